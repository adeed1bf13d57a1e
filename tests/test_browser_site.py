"""The built seed edition in Debian's Chromium: article header, script toggle, index pages
(search: test_browser_search.py).

Served by ``python -m http.server`` on 127.0.0.1 (a free port); screenshots go to the pytest
temporary folder (path printed) so a person can look at them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from banmian.emit import split_file
from conftest import served
from test_site import seed_site  # noqa: F401 - the session fixture that builds the site

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def server(seed_site: Path) -> Iterator[str]:  # noqa: F811
    with served(seed_site / "site") as base:
        yield base


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BANMIAN_SCREENSHOTS=DIR keeps them (pytest rotates its temporary folders)."""
    path = Path(os.environ["BANMIAN_SCREENSHOTS"]) if os.environ.get("BANMIAN_SCREENSHOTS") else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {path}")
    return path


def article_with_author(site_root: Path) -> str:
    for path in sorted((site_root / "docs").rglob("a*.md")):
        meta, _ = split_file(path.read_text(encoding="utf-8"))
        if meta["type"] == "article" and meta["authors"]:
            return path.relative_to(site_root / "docs").as_posix().replace(".md", ".html")
    raise AssertionError("no article with an author in the seed edition")


def articles_mentioning(site_root: Path, *words: str) -> set[str]:
    found = set()
    for path in (site_root / "docs").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if all(w in text for w in words):
            found.add(path.relative_to(site_root / "docs").as_posix().replace(".md", ".html"))
    return found


def test_article_header_and_script_toggle(page, server: str, seed_site: Path, shots: Path) -> None:  # noqa: F811
    rel = article_with_author(seed_site)
    page.goto(server + rel)
    assert page.locator(".bm-byline a").first.is_visible()
    assert page.locator(".bm-place").is_visible()
    edit = page.locator("a[rel=edit]")
    assert edit.is_visible()
    assert edit.get_attribute("href").endswith(f"/edit/main/docs/{rel.replace('.html', '.md')}")
    assert page.locator("html").get_attribute("lang") == "zh"
    page.screenshot(path=str(shots / "article-simplified.png"), full_page=True)

    page.locator("[data-banmian-toggle]").click()
    page.wait_for_load_state()
    assert page.url == server + "zh-Hant/" + rel
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert "校對狀態" in page.locator(".bm-facts").inner_text()
    page.screenshot(path=str(shots / "article-traditional.png"), full_page=True)

    page.locator("[data-banmian-toggle]").click()
    page.wait_for_load_state()
    assert page.url == server + rel

    page.locator(".bm-source-link").click()
    page.wait_for_load_state()
    assert page.locator(".bm-src .bm-hl").count() >= 1
    page.screenshot(path=str(shots / "source-view.png"))

    page.goto(server + rel)
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert page.locator(".bm-article h1").is_visible()
    page.pdf(path=str(shots / "article-print.pdf"), format="A4")
    page.screenshot(path=str(shots / "article-print.png"), full_page=True)


def test_index_and_page_view_screens(page, server: str, seed_site: Path, shots: Path) -> None:  # noqa: F811
    page.goto(server + "browse/authors.html")
    assert page.locator("h1").inner_text() == "作者"
    page.screenshot(path=str(shots / "index-authors.png"), full_page=True)
    key = article_with_author(seed_site).split("/")[0]
    page.goto(server + f"{key}/index.html")
    assert page.locator("a[href^='source.html#L']").count() >= 1
    page.screenshot(path=str(shots / "page-view.png"), full_page=True)
    page.goto(server + "index.html")
    page.screenshot(path=str(shots / "home.png"), full_page=True)


@pytest.mark.parametrize("there", ["zh-Hant/", ""])
def test_script_toggle_keeps_the_lines_and_the_query(page, server: str, seed_site: Path, there: str) -> None:  # noqa: F811
    """source.html#L33-L47 in one script lands on the same highlighted lines in the other; a
    search's ?h= survives too (issue 19)."""
    key = article_with_author(seed_site).split("/")[0]
    here = "" if there else "zh-Hant/"
    page.goto(server + f"{here}{key}/source.html?h=%E8%AE%A1%E7%94%9F#L33-L47")
    assert page.locator(".bm-src .bm-hl").count() == 15
    page.locator("[data-banmian-toggle]").click()
    page.wait_for_load_state()
    assert page.url == server + f"{there}{key}/source.html?h=%E8%AE%A1%E7%94%9F#L33-L47"
    assert [el.get_attribute("id") for el in page.locator(".bm-src .bm-hl").all()] == [f"L{n}" for n in range(33, 48)]
    assert page.locator("#L33").is_visible()
    # a line picked with a click (history.replaceState, no hashchange) is kept as well
    page.locator("#L60").click(position={"x": 5, "y": 5})
    assert page.url.endswith("#L60")
    page.locator("[data-banmian-toggle]").click()
    page.wait_for_load_state()
    assert page.url == server + f"{here}{key}/source.html?h=%E8%AE%A1%E7%94%9F#L60"
    assert page.locator(".bm-src .bm-hl").count() == 1
