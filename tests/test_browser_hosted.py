"""The site as GitHub Pages serves a project site (issue 19): under a path (/sub/), with the
site's 404.html for every missing address. Built with BANMIAN_SITE_URL, as the deploy workflow
builds it; served by a small in-process server that answers misses the way Pages does."""

from __future__ import annotations

import functools
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SITE_URL = "https://example.org/sub/"


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Files under /sub/ from the site folder; anything else, or a missing file: 404.html, status 404."""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the browser's side."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith("/sub/") and Path(self.translate_path("/" + path[len("/sub/"):])).exists():
            self.path = "/" + self.path[len("/sub/"):]
            return super().send_head()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory, ingested_copy) -> Iterator[str]:
    work = ingested_copy(tmp_path_factory.mktemp("hosted"))
    r = run("site", "--docs", "docs", "--site", "site", cwd=work, env={"BANMIAN_SITE_URL": SITE_URL})
    assert r.returncode == 0, r.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesHandler, directory=str(work / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.mark.parametrize("missing", ["sub/no-such-page.html", "sub/000_x/deep/er/a99.html", "sub/zh-Hant/nothing"])
def test_a_missing_address_under_the_project_path_shows_the_styled_chinese_404(page, hosted: str, missing: str, tmp_path_factory) -> None:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and r.url != hosted + missing else None)
    response = page.goto(hosted + missing)
    assert response is not None and response.status == 404
    assert page.locator("h1").first.inner_text() == "页面不存在（404）"
    assert "这个网址没有对应的页面" in page.locator("article").inner_text()
    # Material's stylesheet and ours loaded from /sub/assets/, not from the domain's root
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert page.evaluate("[...document.styleSheets].filter(s => s.href && s.href.includes('/sub/assets/')).length") >= 2
    assert failed == []
    page.screenshot(path=str(tmp_path_factory.getbasetemp() / f"404-{missing.replace('/', '_')}.png"))
    page.locator("article a").first.click()  # 回到首页
    page.wait_for_load_state()
    assert page.url == hosted + "sub/index.html"
    page.goto(hosted + missing)
    page.locator("[data-banmian-toggle]").click()  # 繁體: the traditional home page
    page.wait_for_load_state()
    assert page.url == hosted + "sub/zh-Hant/index.html"
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
