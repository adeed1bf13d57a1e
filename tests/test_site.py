"""The edition site built from the seeds: indexes and their counts, article pages, both scripts, sizes."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from banmian import site
from banmian.emit import split_file
from conftest import SOURCE, run

MAX_HTML = 60_000


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory, ingested_copy) -> Path:
    """Seeds → ingest into a temporary docs/ → both sites; shared with the browser tests."""
    work = ingested_copy(tmp_path_factory.mktemp("seed-site"))
    r = run("site", "--docs", "docs", "--site", "site", cwd=work)
    assert r.returncode == 0, r.stderr
    return work


def docs_meta(work: Path) -> dict[str, dict]:
    return {p.relative_to(work / "docs").as_posix(): split_file(p.read_text(encoding="utf-8"))[0] for p in (work / "docs").rglob("*.md")}


def html(work: Path, rel: str) -> str:
    return (work / "site" / rel).read_text(encoding="utf-8")


def text_of(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


@pytest.mark.slow
def test_home_counts_match_the_docs(seed_site: Path) -> None:
    metas = docs_meta(seed_site)
    articles = [m for m in metas.values() if m["type"] == "article"]
    authors = {a["name"] for m in articles for a in m["authors"]}
    pages = {p.split("/")[0] for p in metas}
    home = text_of(html(seed_site, "index.html"))
    row = re.search(r"版面\s*文章\s*图片说明\s*地区\s*作者\s*栏目\s*(\d+)\s*(\d+)\s*(\d+)\s*(\d+)\s*(\d+)\s*(\d+)", home)
    assert row, home[:2000]
    captions = sum(1 for m in metas.values() if m["type"] == "caption")
    columns = {m["column"] for m in articles if m.get("column")}
    assert [int(x) for x in row.groups()] == [len(pages), len(articles), captions, int(row.group(4)), len(authors), len(columns)]
    assert "download.html" in html(seed_site, "index.html")


@pytest.mark.slow
def test_author_index_counts_and_pinyin_order(seed_site: Path) -> None:
    """The overview names every author once, in pinyin order, with their count; each author has
    a page of their own listing exactly their items."""
    metas = docs_meta(seed_site)
    counts = Counter(a["name"] for m in metas.values() if m["type"] == "article" for a in {x["name"]: x for x in m["authors"]}.values())
    overview = html(seed_site, "browse/authors.html")
    listed = re.findall(r'<li><a href="(authors/[a-z0-9-]+\.html)">([^<]+)</a>（(\d+) 篇', overview)
    assert {name: int(n) for _, name, n in listed} == dict(counts)
    from pypinyin import lazy_pinyin

    names = [name for _, name, _ in listed]
    assert names == sorted(names, key=lambda n: (lazy_pinyin(n), n))
    for href, name, n in listed:
        own = html(seed_site, f"browse/{href}")
        assert f"作者：{name}" in own
        assert len(re.findall(r'<li><a href="\.\./\.\./(?!browse/)[^"/]+/[^"]+\.html">', own)) == int(n), name  # not the breadcrumb


@pytest.mark.slow
def test_date_index_counts_cover_every_article(seed_site: Path) -> None:
    metas = docs_meta(seed_site)
    articles = [m for m in metas.values() if m["type"] == "article"]
    page = text_of(html(seed_site, "browse/dates.html"))
    years = Counter(str(m["date"])[:4] for m in articles if m.get("date"))
    for year, n in years.items():
        assert f"{year}年（{n}）" in page
    undated = sum(1 for m in articles if not m.get("date"))
    assert f"未注明日期（{undated}）" in page


@pytest.mark.slow
def test_place_and_column_indexes_count_every_article(seed_site: Path) -> None:
    metas = docs_meta(seed_site)
    articles = [m for m in metas.values() if m["type"] == "article"]
    places = text_of(html(seed_site, "browse/places.html"))
    provinces = Counter((m.get("region") or {}).get("province") for m in articles)
    for prov, n in provinces.items():
        if prov:
            assert re.search(rf"{prov}\s*（{n}）", places)
    if provinces.get(None):
        assert f"地区未定的文章（{provinces[None]}）" in places
    columns = Counter(m["column"] for m in articles if m.get("column"))
    page = text_of(html(seed_site, "browse/columns.html"))
    for col, n in columns.items():
        assert f"{col}（{n}）" in page
    assert f"未标栏目的文章：{len(articles) - sum(columns.values())} 篇" in page


@pytest.mark.slow
def test_page_view_lists_items_in_reading_order(seed_site: Path) -> None:
    key = sorted(SOURCE.glob("*.txt"))[0].stem
    record = yaml.safe_load((seed_site / "docs" / key / "page.yml").read_text(encoding="utf-8"))
    view = html(seed_site, f"{key}/index.html")
    links = re.findall(r'href="([acn]-[0-9a-f]+\.html)"', view)
    assert list(dict.fromkeys(links)) == [i["file"].replace(".md", ".html") for i in record["items"]]
    assert 'href="source.html#L' in view


@pytest.mark.slow
def test_raw_source_view_is_escaped_and_numbered(seed_site: Path) -> None:
    src = sorted(SOURCE.glob("*.txt"))[0]
    lines = src.read_text(encoding="utf-8").splitlines()
    view = html(seed_site, f"{src.stem}/source.html")
    for n in (1, min(len(lines), site.SOURCE_LINES) // 2, min(len(lines), site.SOURCE_LINES)):  # the first part
        m = re.search(rf'<span id="L{n}">(.*?)</span>', view)
        assert m, n
        import html as html_mod

        assert html_mod.unescape(m.group(1)) == lines[n - 1]
    trad = html(seed_site, f"zh-Hant/{src.stem}/source.html")
    assert re.search(r'<pre class="bm-src".*</pre>', view, re.S).group() == re.search(r'<pre class="bm-src".*</pre>', trad, re.S).group()


@pytest.mark.slow
def test_article_page_has_provenance_edit_link_and_citations(seed_site: Path) -> None:
    metas = docs_meta(seed_site)
    rel, meta = next((p, m) for p, m in sorted(metas.items()) if m["type"] == "article" and m["authors"])
    page = html(seed_site, rel.replace(".md", ".html"))
    assert f'href="https://github.com/banmian/banmian/edit/main/docs/{rel}"' in page
    name = meta["authors"][0]["name"]
    assert re.search(rf'<a href="\.\./browse/authors/[a-z0-9-]+\.html">{name}</a>', page)
    first, last = meta["source"]["lines"]
    assert f'href="source.html#L{first}-L{last}"' in page or "source-" in page
    assert "[N/OL]" in page and "entrysubtype = {newspaper}" in page and "article-newspaper" in page
    # generated pages carry no edit button
    assert 'rel="edit"' not in html(seed_site, "browse/authors.html")
    assert 'rel="edit"' not in html(seed_site, rel.split("/")[0] + "/index.html")
    for generated in ("browse/proofreading.html", "index.html", "download.html", "zh-Hant/browse/proofreading.html"):
        assert 'rel="edit"' not in html(seed_site, generated), generated


@pytest.mark.slow
def test_traditional_site_converts_text_ui_and_keeps_paths(seed_site: Path) -> None:
    metas = docs_meta(seed_site)
    rel = next(p for p, m in sorted(metas.items()) if m["type"] == "article").replace(".md", ".html")
    trad = html(seed_site, f"zh-Hant/{rel}")
    assert '<html lang="zh-Hant"' in trad
    assert "校對狀態" in trad and "引用本文" in trad
    # the header's search box is drawn by bm-search.js in the page's script (its words written for each script there)
    assert 'data-script="zh-Hant"' in trad and "搜尋" in (seed_site / "site" / "assets" / "bm-search.js").read_text(encoding="utf-8")
    assert "校对状态" not in trad
    toggle = re.search(r'href="([^"]+)"[^>]*data-banmian-toggle', trad).group(1)
    assert (seed_site / "site" / "zh-Hant" / rel).parent.joinpath(toggle).resolve() == (seed_site / "site" / rel).resolve()
    assert "-{" not in trad and "-{" not in html(seed_site, rel)


@pytest.mark.slow
def test_no_html_page_exceeds_60_kb(seed_site: Path) -> None:
    sizes = {p: p.stat().st_size for p in (seed_site / "site").rglob("*.html")}
    largest = max(sizes, key=sizes.__getitem__)
    print(f"largest HTML page: {largest.relative_to(seed_site / 'site')} {sizes[largest]} bytes")
    assert sizes[largest] <= MAX_HTML


def test_paginate_splits_long_groups_and_maps_anchors() -> None:
    entries = [site.DocEntry(f"p/a{i:03d}.md", {"title": f"第{i}篇", "type": "article"}) for i in range(site.LIMIT * 2 + 5)]
    groups = [site.Group("g1", "甲", entries[:10]), site.Group("g2", "乙", entries[10:])]
    pages, anchors = site.paginate("browse/x", "标题", groups)
    assert list(pages) == ["browse/x.md", "browse/x-2.md", "browse/x-3.md"]
    assert anchors == {"g1": "browse/x.md", "g2": "browse/x.md"}
    assert sum(t.count("\n- [") for t in pages.values()) == len(entries)
    assert "乙（续）" in pages["browse/x-2.md"] and "{#g2}" not in pages["browse/x-2.md"]
    assert "(x-2.md)" in pages["browse/x.md"]


def test_date_label_marks_inferred_dates() -> None:
    assert site.date_label({"date": "2013", "date_source": "inferred"}) == "约2013年（据版面推断）"
    assert site.date_label({"date": "2013-09-20", "date_source": "manifest"}) == "2013年9月20日"
    assert site.date_label({"date": None}) == "未注明日期"


def test_missing_fields_do_not_break_staging(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "p1").mkdir(parents=True)
    (docs / "p1" / "a01.md").write_text("---\nid: p1-a01\ntype: article\ntitle: 只有标题\n---\n\n正文\n", encoding="utf-8")
    site.stage(docs, tmp_path / "stage", tmp_path)
    out = tmp_path / "stage" / "zh-Hant" / "docs"
    assert (out / "p1" / "index.md").exists() and (out / "browse" / "dates" / "undated.md").exists()
    assert "只有標題" in (out / "p1" / "a01.md").read_text(encoding="utf-8")


def test_notes_shown_in_each_script_from_codes_flags_and_free_text(tmp_path: Path) -> None:
    """Front matter notes as codes (rendered from data/notes.yml), an editor's free text, an unknown
    code (shown as the code), and a flag's sentence; the traditional site converts the sentences."""
    from banmian import convert
    from banmian.notes import Note, flag_note, render

    docs = tmp_path / "docs"
    (docs / "p1").mkdir(parents=True)
    (docs / "p1" / "a01.md").write_text(
        "---\nid: p1-a01\ntype: article\ntitle: 只有标题\nflags: [truncated]\n"
        "notes:\n- {note: orphan_headline, line: 3}\n- 编者补记：这里说明\n- {note: no_such_code, line: 4}\n---\n\n正文\n",
        encoding="utf-8",
    )
    site.stage(docs, tmp_path / "stage", tmp_path)
    want = [flag_note("truncated"), render(Note("orphan_headline", {"line": 3})), "编者补记：这里说明", "no_such_code(line=4)"]
    for script, conv in (("zh-Hans", str), ("zh-Hant", convert.to_traditional)):
        staged = (tmp_path / "stage" / script / "docs" / "p1" / "a01.md").read_text(encoding="utf-8")
        shown = [json.loads(m) for m in re.findall(r'"notes": (\[[^\]]*\])', staged)]
        assert [conv(n) for n in want] in shown, (script, shown)
    assert "可能轉至他版" in convert.to_traditional(want[0]) and "第3行的標題" in convert.to_traditional(want[1])


def test_browse_by_issue_publication_year_calendar_issue_page() -> None:
    """Pages dated by a folio or manifest are browsed publication → year → month calendar → issue
    → its pages in page order; an inferred year is not an issue date, such pages are listed apart."""
    def rec(key: str, **record: object) -> site.PageRec:
        return site.PageRec(key, dict(record), [site.DocEntry(f"{key}/a.md", {"type": "article", "title": f"{key}的文章"})])

    pages = [rec("p3", publication="某某人口报", date="2013-09-20", date_source="manifest", page="3"),
             rec("p1", publication="某某人口报", date="2013-09-20", date_source="folio", page="1"),
             rec("p9", publication="某某人口报", date="2013-10-08", date_source="folio", page="1", issue="第1234期"),
             rec("px", publication="某某人口报", date="2013", date_source="inferred"),
             rec("py")]
    ix = site.Indexes()
    site.pages_index(pages, ix)
    overview = ix.pages["browse/pages.md"]
    assert "某某人口报（4 个版面）" in overview and "报纸名称未注明（1 个版面）" in overview
    year_page = next(p for p in ix.pages if p.endswith("-2013.md"))
    assert f"({year_page.split('/', 1)[1]})" in overview
    calendar = ix.pages[year_page]
    assert "## 9月（1 期）" in calendar and "## 10月（1 期）" in calendar
    # 2013-09-20 was a Friday: the fifth column of its week, linked
    friday = next(line for line in calendar.splitlines() if "[**20**]" in line)
    assert friday.split("|")[5].strip().startswith("[**20**]")
    issue = ix.pages[year_page.replace("-2013.md", "-2013-09-20.md")]
    assert issue.index("(../../p1/index.md)") < issue.index("(../../p3/index.md)")  # page order
    assert "第1234期" in ix.pages[year_page.replace("-2013.md", "-2013-10-08.md")]
    undated = next(t for p, t in ix.pages.items() if p.endswith("undated.md") and "px" in t)
    assert "(../../px/index.md)" in undated
    crumbs = [c[0] for c in site.page_crumbs(pages[1], linked=False)]
    assert crumbs[-3:] == ["某某人口报 2013年", "9月20日", site.page_title(pages[1])]


def test_a_few_undated_pages_are_listed_on_the_overview() -> None:
    """No dated issue and a handful of pages (the seeds): one click from 版面 to a page, no detour."""
    pages = [site.PageRec(f"p{i}", {}, [site.DocEntry(f"p{i}/a.md", {"type": "article", "title": f"第{i}篇"})]) for i in range(3)]
    ix = site.Indexes()
    site.pages_index(pages, ix)
    assert all(f"(../p{i}/index.md)" in ix.pages["browse/pages.md"] for i in range(3))
    assert not any("undated" in p for p in ix.pages)


def test_report_links_prefill_the_issue_form_and_offer_mail_and_text() -> None:
    e = site.DocEntry("p/a-1234abcd.md", {"id": "p-a-1234abcd", "title": "西集镇举办活动"})
    config = {"repo_url": "https://github.com/someone/fork", "extra": {"banmian": {"report_email": "editor@example.org"}}}
    links = site.report_links(e, config, "https://someone.github.io/fork/", "zh-Hant/")
    assert links["issue"].startswith("https://github.com/someone/fork/issues/new?template=report-error.yml&")
    assert "article=https%3A%2F%2Fsomeone.github.io%2Ffork%2Fzh-Hant%2Fp%2Fa-1234abcd.html" in links["issue"]
    assert links["mail"].startswith("mailto:editor@example.org?subject=")
    assert "p-a-1234abcd" in links["text"] and "docs/p/a-1234abcd.md" in links["text"]
    assert site.report_links(e, {"repo_url": "https://example.org/x"}, None)["issue"] is None  # not GitHub: text only
