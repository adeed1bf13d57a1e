"""Citations on the built article pages (issue 19): Highwire tags, JSON-LD and the four formats on
every article page of both scripts, as printed; the canonical URL and nothing from an address bar.

Two editions: the seeds as they are (no manifest: years inferred from the text) and the seeds
with a manifest giving the paper, an issue, a date and a page for one page."""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from banmian import site
from banmian.bylines import cited_as_author
from banmian.emit import split_file
from conftest import ROOT, SOURCE, run
from test_site import seed_site  # noqa: F401 - the session fixture that builds the site

pytestmark = pytest.mark.slow
MANIFEST = {"publication": "某某人口报", "page_key": "001_815db835ad161ca1", "date": "2013-07-11", "page": "3", "issue": "第1234期"}


@pytest.fixture(scope="session")
def manifest_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("manifest-site")
    shutil.copytree(SOURCE, work / "source_texts")
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    m = MANIFEST
    (work / "source_texts" / "manifest.yml").write_text(
        f"defaults:\n  publication: {m['publication']}\npages:\n"
        f"  {m['page_key']}.txt: {{date: {m['date']}, page: '{m['page']}', issue: {m['issue']}}}\n", encoding="utf-8")
    for args in (("ingest", "--docs", "docs"), ("site", "--docs", "docs", "--site", "site")):
        r = run(*args, cwd=work)
        assert r.returncode == 0, r.stderr
    return work


class Head(HTMLParser):
    """The meta tags, the canonical link, the JSON-LD and the citation texts of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.json_ld: list[str] = []
        self.cites: dict[str, str] = {}
        self._script = False
        self._cite: str | None = None
        self._in_pre = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and a.get("name", "").startswith("citation_"):
            self.meta.setdefault(str(a["name"]), []).append(str(a.get("content")))
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(str(a["href"]))
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._script = True
            self.json_ld.append("")
        elif tag == "div" and "bm-cite-item" in (a.get("class") or ""):
            self._cite = re.search(r"bm-cite-(\w+)$", str(a["class"])).group(1)
            self.cites[self._cite] = ""
        elif tag == "pre" and self._cite:
            self._in_pre = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False
        elif tag == "pre":
            self._in_pre = False
            self._cite = None

    def handle_data(self, data: str) -> None:
        if self._script:
            self.json_ld[-1] += data
        elif self._in_pre and self._cite:
            self.cites[self._cite] += data


def articles(work: Path) -> list[tuple[str, dict]]:
    out = []
    for path in sorted((work / "docs").rglob("*.md")):
        meta, _ = split_file(path.read_text(encoding="utf-8"))
        out.append((path.relative_to(work / "docs").as_posix()[:-3] + ".html", meta))
    assert out
    return out


def check_edition(work: Path) -> int:
    """Every article page of both scripts; returns how many pages were checked."""
    url = site.site_url(site.site_config(work))
    assert url
    checked = 0
    for rel, meta in articles(work):
        for prefix in ("", "zh-Hant/"):
            page = Head()
            page.feed((work / "site" / prefix / rel).read_text(encoding="utf-8"))
            where = f"{prefix}{rel}"
            canonical = url + prefix + rel
            title = meta["title"] + (f":{meta['subtitle']}" if meta.get("subtitle") else "")
            if "untitled" in (meta.get("flags") or []):
                title = f"[{title}]"
            assert page.canonical == [canonical], where
            assert page.meta["citation_title"] == [title], where  # as printed (simplified) on both sites
            authors = [a["name"] for a in meta["authors"] if cited_as_author(a.get("role"), meta.get("type"))]
            assert page.meta.get("citation_author", []) == authors, where
            if meta.get("date"):
                assert page.meta["citation_date"] == [meta["date"].replace("-", "/")], where
            else:
                assert "citation_date" not in page.meta, where
            assert page.meta.get("citation_journal_title") == ([meta["publication"]] if meta.get("publication") else None), where
            assert page.meta.get("citation_firstpage") == ([meta["page"]] if meta.get("page") else None), where
            assert page.meta["citation_public_url"] == [canonical], where
            assert len(page.json_ld) == 1, where
            data = json.loads(page.json_ld[0])
            assert data["@type"] == "NewsArticle" and data["headline"] == title and data["url"] == canonical, where

            gbt = page.cites["gbt7714"]
            expected = title + "[N/OL]."
            if authors:
                expected = ",".join(authors[:3]) + (",等" if len(authors) > 3 else "") + "." + expected
            date = (f"[{meta['date']}]" if meta.get("date_source") == "inferred" else meta.get("date")) if meta.get("date") else None
            where_printed = ",".join(x for x in (meta.get("publication"), date) if x)
            if meta.get("page") and where_printed:
                where_printed += f"({meta['page']})"
            assert gbt == f"{expected}{where_printed}[引用日期].{canonical}.", where
            for key, text in page.cites.items():
                assert "file:" not in text and "?" not in re.sub(r"\s", "", text).split("http", 1)[-1], (where, key)
                assert canonical in text, (where, key)
            assert set(page.cites) == {"gbt7714", "bibtex", "ris", "csl"}, where
            assert "@article{" in page.cites["bibtex"] and "entrysubtype = {newspaper}" in page.cites["bibtex"]
            assert page.cites["ris"].startswith("TY  - NEWS\n")
            assert json.loads(html.unescape(page.cites["csl"]).replace("引用日期", "2026-01-01"))[0]["type"] == "article-newspaper"
            checked += 1
    return checked


def test_every_article_page_of_the_seed_edition_cites_itself_completely(seed_site: Path) -> None:  # noqa: F811
    assert check_edition(seed_site) == 2 * len(articles(seed_site))
    inferred = [m for _, m in articles(seed_site) if m.get("date_source") == "inferred"]
    assert inferred  # the seeds' years are inferred: GB/T shows them as [2013]


def test_every_article_page_with_a_manifest_cites_paper_issue_date_and_page(manifest_site: Path) -> None:
    assert check_edition(manifest_site) == 2 * len(articles(manifest_site))
    m = MANIFEST
    rel, meta = next((r, x) for r, x in articles(manifest_site) if r.startswith(m["page_key"]) and x["authors"])
    page = Head()
    page.feed((manifest_site / "site" / rel).read_text(encoding="utf-8"))
    names = ",".join(a["name"] for a in meta["authors"])
    assert page.cites["gbt7714"].startswith(f"{names}.{meta['title']}[N/OL].{m['publication']},{m['date']}({m['page']})[引用日期].")
    assert page.meta["citation_journal_title"] == [m["publication"]] and page.meta["citation_issue"] == [m["issue"]]
    assert page.meta["citation_date"] == ["2013/07/11"] and page.meta["citation_firstpage"] == ["3"]
    data = json.loads(page.json_ld[0])
    assert data["datePublished"] == m["date"] and data["printPage"] == "3"
    assert data["isPartOf"] == {"@type": "PublicationIssue", "issueNumber": m["issue"], "isPartOf": {"@type": "Newspaper", "name": m["publication"]}}
    assert "DA  - 2013/07/11/" in page.cites["ris"] and "T2  - 某某人口报" in page.cites["ris"]
    # the traditional page quotes the same citation and adds a converted reading aid
    trad = (manifest_site / "site" / "zh-Hant" / rel).read_text(encoding="utf-8")
    assert re.search(r'<p class="bm-cite-converted">[^<]*：.*某某人口報', trad)
