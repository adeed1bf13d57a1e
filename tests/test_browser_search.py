"""Search in Chromium, the same tests hosted (http://127.0.0.1) and offline (the unzipped bundle
from file://, network off), in both scripts: a researcher's queries find every entry that holds
them and nothing else (checked against a plain scan of the articles, test_search.brute), either
script finds both, results show date and place, filters and order live in the URL, a query in
the URL runs on load, and the article marks the whole query in its own script.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

from banmian import convert
from conftest import served
from test_bundle import _BUILT, build_seed_bundle
from test_search import QUERIES, brute

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
SCRIPTS = {"zh-Hans": "", "zh-Hant": "zh-Hant/"}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """mode → base URL of the simplified site: hosted (http.server) and offline (file://)."""
    root = build_seed_bundle(tmp_path_factory.mktemp("bundle"))
    with served(_BUILT["site"]) as base:
        yield {"hosted": base, "offline": root.as_uri() + "/"}


@pytest.fixture(params=["hosted", "offline"])
def mode(request: pytest.FixtureRequest, browser, sites: dict[str, str]) -> Iterator[tuple[str, object, list[str]]]:
    """(base URL, page, requests made); offline: the network is off and only file: may load."""
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    requests: list[str] = []
    if request.param == "offline":
        ctx.set_offline(True)
        ctx.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
    else:  # nothing outside the local server either (the header's repository facts aside)
        ctx.route("https://api.github.com/**", lambda route: route.abort())
    ctx.on("request", lambda r: requests.append(r.url))
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield sites[request.param], page, requests
    ctx.close()
    assert not errors, errors
    if request.param == "offline":
        assert not [u for u in requests if not u.startswith("file:")], "requests left the bundle"


def settle(page) -> None:
    page.wait_for_function("() => ['done', 'failed'].includes(document.getElementById('bm-search-app').dataset.state)", timeout=30_000)
    assert page.get_attribute("#bm-search-app", "data-state") == "done"


def type_query(page, base: str, query: str) -> None:
    """Type the way a reader does: into the box, then a key release (how IMEs commit)."""
    page.goto(base + "search.html")
    box = page.locator(".bm-s-input")
    box.fill(query)
    box.press("End")
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=query, timeout=10_000)
    settle(page)


def paths_in(page, base: str, prefix: str) -> list[str]:
    out = []
    root = urlsplit(base + prefix).path
    for href in page.eval_on_selector_all(".bm-s-hit a.bm-s-title", "as => as.map(a => a.href)"):
        path = urlsplit(href).path
        assert path.startswith(root), (href, root)
        out.append(unquote(path[len(root):]))
    return out


def all_results(page, base: str, prefix: str) -> list[str]:
    for _ in range(50):  # "显示更多" until every result is listed
        if not page.locator(".bm-s-more").is_visible():
            break
        page.locator(".bm-s-more").click()
    else:
        raise AssertionError("the 'more' button never went away")
    return paths_in(page, base, prefix)


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_query_set_finds_exactly_the_entries_that_hold_it(mode, script: str) -> None:
    base, page, _ = mode
    prefix = SCRIPTS[script]
    for q in QUERIES:
        expected = brute(q)
        typed = convert.to_traditional(q) if script == "zh-Hant" else q
        type_query(page, base + prefix, typed)
        found = all_results(page, base, prefix)
        assert set(found) == expected, (typed, sorted(set(found) ^ expected))
        assert len(found) == len(set(found))
        assert int(page.get_attribute("#bm-search-app", "data-count") or 0) == len(expected)


@pytest.mark.parametrize(("script", "query", "same_as"), [("zh-Hans", "計劃生育", "计划生育"), ("zh-Hant", "计划生育", "计划生育"),
                                                          ("zh-Hant", "无梁镇", "无梁镇")])
def test_the_other_script_finds_the_same_entries(mode, script: str, query: str, same_as: str) -> None:
    base, page, _ = mode
    type_query(page, base + SCRIPTS[script], query)
    assert set(all_results(page, base, SCRIPTS[script])) == brute(same_as) != set()


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_query_in_the_url_runs_and_the_result_shows_date_and_place(mode, script: str) -> None:
    base, page, _ = mode
    q = "无梁镇" if script == "zh-Hans" else "無梁鎮"
    page.goto(base + SCRIPTS[script] + "search.html?q=" + quote(q))  # pasted, never typed
    settle(page)
    hits = page.locator(".bm-s-hit")
    assert hits.count() == 1
    meta = hits.first.locator(".bm-s-meta").inner_text()
    assert "2014年" in meta and ("河南省 › 许昌市 › 禹州市 › 无梁镇" if script == "zh-Hans" else "禹州市 › 無梁鎮") in meta, meta
    assert page.locator(".bm-s-input").input_value() == q


def test_facets_filter_and_sort_live_in_the_url(mode) -> None:
    base, page, _ = mode
    type_query(page, base, "计划生育")
    total = int(page.get_attribute("#bm-search-app", "data-count") or 0)
    assert total == len(brute("计划生育")) > 5
    province = page.locator("section[data-facet=place] li:not(.bm-s-on) button").first
    value = province.get_attribute("data-value")
    count = int(province.locator(".bm-s-n").inner_text())
    province.click()
    settle(page)
    assert parse_qs(urlsplit(page.url).query)["place"] == [value]
    assert len(all_results(page, base, "")) == count < total
    city = page.locator("section[data-facet=place] li:not(.bm-s-on) button").first
    assert city.get_attribute("data-value").startswith(value + "/")  # one level down: cities of the province
    page.select_option(".bm-s-sort", "date")
    settle(page)
    url = page.url
    assert parse_qs(urlsplit(url).query)["sort"] == ["date"]
    shown = all_results(page, base, "")
    page.goto(url)  # shared: the same results in the same order
    settle(page)
    assert all_results(page, base, "") == shown
    assert page.locator("section[data-facet=place] .bm-s-on").count() == 1


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_article_marks_the_whole_query_in_its_script(mode, script: str) -> None:
    base, page, _ = mode
    q = "无梁镇"
    type_query(page, base + SCRIPTS[script], q)
    page.locator(".bm-s-hit a.bm-s-title").first.click()
    page.wait_for_function("() => document.documentElement.dataset.bmMarked !== undefined", timeout=20_000)
    marks = page.locator("mark.bm-mark").all_text_contents()  # some sit in folded parts (the report form)
    want = "无梁镇" if script == "zh-Hans" else "無梁鎮"
    assert marks and set(marks) == {want}, marks
    assert page.locator(".bm-body mark.bm-mark").first.is_visible()  # in the text, where the reader is taken


def test_the_header_box_searches_from_any_page(mode) -> None:
    base, page, _ = mode
    page.goto(base + "browse/places.html")
    box = page.locator(".bm-h-input")
    box.fill("熊建国")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    settle(page)
    assert set(all_results(page, base, "")) == brute("熊建国")
