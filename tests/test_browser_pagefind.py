"""Hosted search with Pagefind in Debian's Chromium: the header search of both scripts over http,
and the same pagefind-mode HTML from file:// (the offline bundle), where Material's search stays.

Screenshots of the search dialog go to BANMIAN_SCREENSHOTS (or a pytest temporary folder).
"""

from __future__ import annotations

import http.server
import os
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from banmian import bundle, pagefind_index
from conftest import article_titled
from test_pagefind import pagefind_site  # noqa: F401 - the session fixture that builds and indexes the site

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not pagefind_index.available(), reason="pip install 'pagefind[extended]'"),
]


@pytest.fixture(scope="module")
def hosted(pagefind_site: tuple[Path, dict]) -> Iterator[str]:  # noqa: F811
    site, _ = pagefind_site
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), pagefind_index._quiet_handler(str(site.resolve())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = Path(os.environ["BANMIAN_SCREENSHOTS"]) if os.environ.get("BANMIAN_SCREENSHOTS") else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def articles_mentioning(site: Path, word: str, prefix: str = "") -> set[str]:
    """Article pages (of the script under ``prefix``) whose indexed text holds ``word``."""
    docs = site.parent / "docs"
    return {prefix + p.relative_to(docs).as_posix().replace(".md", ".html") for p in docs.glob("*/*.md") if word in p.read_text(encoding="utf-8")}


def open_search(page, url: str) -> list[str]:
    """Open ``url``, press "s" as a reader does, wait until the box has the focus."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if "/pagefind/" in u or "/pagefind-delta/" in u], "Pagefind must load only when the search opens"
    page.keyboard.press("s")
    page.locator("input.md-search__input").wait_for(state="visible")
    page.wait_for_function(pagefind_index.FOCUSED_JS)
    return requests


@pytest.mark.parametrize(("prefix", "query", "simplified"), [("", "西集镇", "西集镇"), ("zh-Hant/", "西集鎮", "西集镇")])
def test_header_search_uses_pagefind(browser, hosted: str, pagefind_site: tuple[Path, dict], shots: Path, prefix: str, query: str, simplified: str) -> None:  # noqa: F811
    site, _ = pagefind_site
    expected = articles_mentioning(site, simplified, prefix)
    assert expected
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # a page view below the script's root: the import must find the one index at the site root
    start = f"{prefix}{sorted(expected)[0].removeprefix(prefix).split('/')[0]}/index.html"
    requests = open_search(page, hosted + start)
    page.keyboard.type(query)
    page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    items = page.locator(".md-search-result__item")
    hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result__item > a.md-search-result__link").all()]
    paths = {urlsplit(h).path.removeprefix("/") for h in hrefs}
    assert paths == expected, (paths, expected)  # all eight, and nothing else, in this script
    assert page.locator(".md-search-result__meta").inner_text() == ("找到 {} 個符合條件的結果" if prefix else "找到 {} 个符合条件的结果").format(len(expected))
    first = items.first
    assert query in first.locator("h1").inner_text()
    assert first.locator("p mark").count() >= 1
    assert first.locator("article[data-md-score]").count() == 1
    page.screenshot(path=str(shots / f"pagefind-{'trad' if prefix else 'simp'}.png"))
    assert any("/pagefind/pagefind.js" in u for u in requests)
    assert not [u for u in requests if "search_index" in u], "Material's lunr index was fetched"

    page.keyboard.press("Escape")  # Material's own key handling still closes the dialog
    assert not page.locator("input.md-search__input").evaluate("e => document.activeElement === e")
    assert not page.locator("#__search").is_checked()
    # Material sees focus through a 1 ms debounce (bundle.js: focusin/focusout, debounceTime(1),
    # distinctUntilChanged): a "/" before that timer fires merges the blur and the focus "/" gives
    # back into no change, and the dialog stays shut. A page timer set now fires after it.
    page.evaluate("() => new Promise(done => setTimeout(done, 10))")
    page.keyboard.press("/")  # and opens it again, results still there
    page.locator(".md-search-result__item").first.wait_for(state="visible")
    page.keyboard.press("Enter")  # the best result opens
    page.wait_for_url(lambda url: urlsplit(url).path.removeprefix("/") in expected)
    assert page.locator("html").get_attribute("lang") == ("zh-Hant" if prefix else "zh")
    context.close()


def test_no_results_and_clearing(browser, hosted: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    open_search(page, hosted + "index.html")
    page.keyboard.type("没有这样的词语啊")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('没有找到')")
    assert page.locator(".md-search-result__item").count() == 0
    page.locator("input.md-search__input").fill("")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('键入')")
    context.close()


def test_file_url_keeps_material_search(browser, pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:  # noqa: F811
    """The offline bundle of a pagefind-mode site: Material's lunr search from file://, network off."""
    site, _ = pagefind_site
    out = bundle.make_bundle(site, tmp_path / "offline.zip")
    with zipfile.ZipFile(out) as zf:
        zf.extractall(tmp_path)
    root = tmp_path / bundle.ROOT_NAME
    context = browser.new_context()
    context.set_offline(True)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto((root / "index.html").as_uri())
    assert page.locator("form[name=search]").count() == 1  # untouched on file://
    page.keyboard.press("s")
    page.wait_for_function("!document.querySelector('.md-search-result__meta').textContent.includes('初始化')", timeout=60_000)
    page.locator("input.md-search__input").fill("西集镇")
    page.keyboard.press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    assert "西集镇" in page.locator(".md-search-result__item h1").first.inner_text()
    assert any(u.endswith("search/search_index.js") for u in requests)
    assert not [u for u in requests if "pagefind" in u.rsplit("/", 1)[-1] or "/pagefind/" in u]
    assert not [u for u in requests if not u.startswith("file:")]
    context.close()


# --- corrections: the main index and the delta, against an index made from scratch ----------------

A = article_titled("西集镇计生协会“贷”动计生户创业")  # corrected: "信贷" → "惠民", and a paragraph of words no other page has
B = article_titled("三大工程温暖计生困难家庭")  # deleted


@pytest.fixture(scope="module")
def corrected(pagefind_site: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:  # noqa: F811
    """The seed edition after a correction and a deletion, rebuilt (main index and delta), and
    the same pages indexed from scratch, each served over http: (URL with the delta, URL from scratch)."""
    from banmian.site import build_site

    site, _ = pagefind_site
    work = tmp_path_factory.mktemp("corrected") / "edition"
    shutil.copytree(site.parent, work)
    article = work / "docs" / f"{A}.md"
    head, body = article.read_text(encoding="utf-8").split("\n---\n", 1)
    assert "信贷" in body and "惠民" not in body
    article.write_text(head + "\n---\n" + body.replace("信贷", "惠民") + "\n鳕鲑勘误。\n", encoding="utf-8")
    (work / "docs" / f"{B}.md").unlink()
    report = build_site(work / "docs", work / "site", root=work)
    assert report["pagefind"]["mode"] == "delta" and f"{A}.html" in pagefind_index._page_ids(work / "site" / "pagefind-delta")
    scratch = work.parent / "scratch"
    shutil.copytree(work / "site", scratch, ignore=shutil.ignore_patterns("pagefind", "pagefind-delta"))
    assert pagefind_index.build_index(scratch)["mode"] == "full"
    shutil.rmtree(scratch / "pagefind-delta")  # a site indexed before deltas existed: no delta file at all
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), pagefind_index._quiet_handler(str(s.resolve()))) for s in (work / "site", scratch)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    hosted, scratch_url = (f"http://127.0.0.1:{s.server_address[1]}/" for s in servers)
    yield hosted, scratch_url
    for server in servers:
        server.shutdown()
        server.server_close()


LOAD_ALL_JS = """async (total) => {
  const list = document.querySelector('.md-search-result__list');
  const scroller = list.closest('.md-search__scrollwrap');
  for (let i = 0; i < 500 && list.children.length < total; i++) {
    scroller.scrollTop = scroller.scrollHeight;
    scroller.dispatchEvent(new Event('scroll'));
    await new Promise(r => setTimeout(r, 25));
  }
  return Array.from(list.querySelectorAll('a.md-search-result__link'), a => a.getAttribute('href'));
}"""
SETTLED_META_JS = "() => /\\d|没有|沒有/.test(document.querySelector('.md-search-result__meta').textContent)"


def search_all(browser, base: str, page: str, query: str) -> tuple[str, list[str], list[str]]:
    """Type ``query`` on ``page`` in a fresh context (Pagefind's answers depend on what a session
    loaded before); every result loaded: (the count line, result paths in order, requests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    requests = open_search(tab, base + page)
    tab.locator("input.md-search__input").fill(query)  # one input event: no search for part of the query
    tab.wait_for_function(SETTLED_META_JS, timeout=60_000)
    tab.wait_for_load_state("networkidle")
    meta = tab.locator(".md-search-result__meta").inner_text()
    hrefs = tab.evaluate(LOAD_ALL_JS, pagefind_index._count(meta))
    context.close()
    return meta, [urlsplit(h).path.removeprefix("/") for h in hrefs], requests


@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_corrections_are_searched_as_an_index_made_from_scratch(browser, corrected: tuple[str, str], prefix: str) -> None:
    from banmian.convert import to_traditional

    hosted, scratch = corrected
    word = to_traditional if prefix else str
    count = "找到 {} 個符合條件的結果" if prefix else "找到 {} 个符合条件的结果"
    a, b = f"{prefix}{A}.html", f"{prefix}{B}.html"
    found = {}
    for query in ("惠民", "鳕鲑", "信贷", "西集镇", "养殖", "惠民 上报", "惠民 不同", "计划生育 上门", "鳕鲑 一致", "信贷 上报"):
        meta, paths, requests = search_all(browser, hosted, f"{prefix}index.html", word(query))
        s_meta, s_paths, _ = search_all(browser, scratch, f"{prefix}index.html", word(query))
        assert set(paths) == set(s_paths), (query, set(paths) ^ set(s_paths))  # the same pages as from scratch
        assert len(paths) == len(set(paths)) and meta == s_meta, (query, meta, s_meta)
        assert meta == count.format(len(paths)) if paths else meta.startswith(("没有", "沒有")), (query, meta)  # the count is the pages listed
        assert all(p.startswith("zh-Hant/") == bool(prefix) for p in paths)  # this script's pages only
        files = {urlsplit(u).path.rsplit("/", 1)[-1] for u in requests if "/pagefind-delta/banmian-delta." in u}
        assert files == {f"banmian-delta.{'zh-hant' if prefix else 'zh'}.json"}  # this script's language only
        assert not [u for u in requests if "search_index" in u]
        found[query] = paths
    assert a in found["惠民"] and len(found["惠民"]) > 1  # the new word finds it, and unchanged pages
    assert found["鳕鲑"] == [a]  # words no other page has
    assert a not in found["信贷"] and found["信贷"]  # the old word no longer finds it; other pages still
    assert a in found["西集镇"] and len(found["西集镇"]) > 5
    assert b not in found["养殖"] and found["养殖"]  # the deleted article is gone
    # where the corrected article ranks: for its title, first, as from scratch
    title = word("西集镇计生协会“贷”动计生户创业")
    assert search_all(browser, hosted, f"{prefix}index.html", title)[1][0] == search_all(browser, scratch, f"{prefix}index.html", title)[1][0] == a
