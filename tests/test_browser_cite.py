"""The citation box in Chromium (issue 19): the reader's date filled in, copy and download work on
a server and from file://, and nothing from the address bar (a search's ?h=, a file: URL) gets
into any format. Screenshots of the box in both scripts go to the screenshot folder."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from banmian import site
from test_browser_site import article_with_author, server, shots  # noqa: F401 - fixtures
from test_site import seed_site  # noqa: F401 - the session fixture that builds the site

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    yield pg
    ctx.close()


def citations(page) -> dict[str, str]:
    return {key: page.locator(f".bm-cite-{key} pre").inner_text() for key in ("gbt7714", "bibtex", "ris", "csl")}


def download(page, key: str, tmp_path: Path) -> tuple[str, str]:
    with page.expect_download() as info:
        page.locator(f".bm-cite-{key} .bm-download").click()
    d = info.value
    target = tmp_path / d.suggested_filename
    d.save_as(target)
    return d.suggested_filename, target.read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_citation_box_on_a_server_after_a_search(page, server: str, seed_site: Path, shots: Path, prefix: str, tmp_path: Path) -> None:  # noqa: F811
    rel = article_with_author(seed_site)
    page.goto(server + prefix + rel + "?h=%E8%AE%A1%E7%94%9F")  # as a search result link opens it
    today = datetime.date.today().isoformat()
    canonical = site.site_url(site.site_config(seed_site)) + prefix + rel
    texts = citations(page)
    for key, text in texts.items():
        assert canonical in text, key
        assert "?h=" not in text and "127.0.0.1" not in text and "file:" not in text, key
        assert today in text, key
    assert texts["gbt7714"].endswith(f"[{today}].{canonical}.")
    simplified = page.evaluate("document.querySelector('meta[name=citation_title]').content")
    assert f".{simplified}[N/OL]." in texts["gbt7714"]  # quoted as printed, on the traditional page too
    name, ris = download(page, "ris", tmp_path)
    assert name.endswith(".ris") and ris.startswith("TY  - NEWS\n") and f"Y2  - {today}" in ris and f"UR  - {canonical}" in ris
    name, csl = download(page, "csl", tmp_path)
    assert name.endswith(".json") and json.loads(csl)[0]["URL"] == canonical
    name, bib = download(page, "bibtex", tmp_path)
    assert name.endswith(".bib") and f"urldate = {{{today}}}" in bib
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator(".bm-cite-gbt7714 .bm-copy").click()
    assert page.evaluate("navigator.clipboard.readText()") == texts["gbt7714"].strip()
    page.locator(".bm-cite").scroll_into_view_if_needed()
    page.locator(".bm-cite").screenshot(path=str(shots / f"citation-box-{'trad' if prefix else 'simp'}.png"))


def test_citation_box_from_file(page, seed_site: Path, tmp_path: Path) -> None:  # noqa: F811
    rel = article_with_author(seed_site)
    page.goto((seed_site / "site" / rel).as_uri())
    canonical = site.site_url(site.site_config(seed_site)) + rel
    for key, text in citations(page).items():
        assert canonical in text and "file:" not in text, key
    name, ris = download(page, "ris", tmp_path)
    assert name.endswith(".ris") and f"UR  - {canonical}" in ris and "file:" not in ris
