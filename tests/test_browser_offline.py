"""The offline bundle in a real browser: Chromium, file://, network off, every request recorded.

Builds the seed edition (ingest → site → bundle through the CLI, shared with test_bundle.py),
unzips it, opens index.html by file:// and checks what a reader does (search: test_browser_search.py):
the script toggle there and back, and following navigation links. Nothing may leave file:.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from banmian.bundle import BUNDLE_FILE
from test_bundle import build_seed_bundle

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
SHOTS = Path(os.environ.get("BANMIAN_SCREENSHOTS", "")) if os.environ.get("BANMIAN_SCREENSHOTS") else None


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[tuple[Path, object, list[str]]]:
    """(bundle root, browser context with the network off, list of every requested URL)."""
    root = build_seed_bundle(tmp_path_factory.mktemp("bundle"))
    requests: list[str] = []
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_offline(True)
    context.on("request", lambda r: requests.append(r.url))
    context.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
    yield root, context, requests
    context.close()


def shot(page, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))


def where(page, root: Path) -> str:
    """The open page as a path inside the bundle (fails if it is not a file there)."""
    parts = urlsplit(page.url)
    assert parts.scheme == "file", page.url
    path = Path(unquote(parts.path))
    assert path.is_file(), f"{page.url} is not a file"
    return path.resolve().relative_to(root.resolve()).as_posix()


def assert_no_outside_requests(requests: list[str]) -> None:
    outside = sorted({u for u in requests if not u.startswith("file:")})
    assert not outside, f"requests left the bundle: {outside}"


def test_script_toggle_keeps_the_article(offline) -> None:
    root, context, requests = offline
    page = context.new_page()
    page.goto((root / "browse" / "pages.html").as_uri())
    page.locator("article > ul a[href$='index.html']").first.click()  # a page of the paper (not the breadcrumb)
    page.wait_for_load_state()
    page_view = where(page, root)
    page.locator("article > ul li > a[href$='.html']:not([href^='source'])").first.click()  # its first item
    page.wait_for_load_state()
    article = where(page, root)
    assert Path(article).parent == Path(page_view).parent and article != page_view, (page_view, article)
    heading = page.locator("article h1").first.inner_text()

    page.locator("[data-banmian-toggle]").click()
    page.wait_for_load_state()
    assert where(page, root) == f"zh-Hant/{article}"
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    shot(page, "article-traditional")

    page.locator("[data-banmian-toggle]").click()
    page.wait_for_load_state()
    assert where(page, root) == article
    assert page.locator("article h1").first.inner_text() == heading
    assert_no_outside_requests(requests)
    page.close()


VISIBLE_LINKS = """els => els.filter(e => e.offsetParent !== null && e.getAttribute('href'))
                   .map(e => [e.getAttribute('href'), e.href])"""


def test_navigation_links_resolve_to_files(offline) -> None:
    root, context, requests = offline
    page = context.new_page()
    page.goto((root / "index.html").as_uri())
    visited = [where(page, root)]
    # as a reader: a header tab, then the section's sidebar or the page's own links
    for selectors in ([".md-tabs a"], [".md-sidebar--primary a.md-nav__link", "article a"], [".md-sidebar--primary a.md-nav__link", "article a"]):
        links = [link for sel in selectors for link in page.locator(sel).evaluate_all(VISIBLE_LINKS)]
        seen = {str(root / v) for v in visited}
        # the download link names the zip itself, which sits beside the hosted site, not inside the bundle
        fresh = [raw for raw, full in links if full.startswith("file:") and unquote(urlsplit(full).path) not in seen and not raw.endswith(BUNDLE_FILE)]
        assert fresh, f"no unvisited navigation link on {visited[-1]}: {links}"
        page.locator(f"a[href='{fresh[0]}']:visible").first.click()
        page.wait_for_load_state()
        assert page.url.startswith("file:"), f"{visited[-1]}: link {fresh[0]} opened {page.url}"
        visited.append(where(page, root))
        assert page.locator("article h1").count() >= 1, f"{visited[-1]} has no content"
    shot(page, "navigation")
    assert len(set(visited)) == 4, visited
    assert_no_outside_requests(requests)
    page.close()
