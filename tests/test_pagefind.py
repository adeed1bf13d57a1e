"""Hosted search with Pagefind (extra.bm_search: pagefind): the index, the bundle, and lunr unchanged.

The seed edition (the committed docs/) is built into a temporary folder with the key set in a copy
of mkdocs.yml, as the integrator's root config will carry it; INHERIT deep-merges ``extra``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from banmian import bundle, pagefind_index
from banmian.site import build_site
from conftest import ROOT, article_titled, run

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not pagefind_index.available(), reason="pip install 'pagefind[extended]'")]


def edition(base: Path, search: str | None) -> Path:
    """docs/ + source_texts/ + mkdocs.yml (with ``extra.bm_search`` when given) under ``base``."""
    base.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "docs", base / "docs")
    shutil.copytree(ROOT / "source_texts", base / "source_texts")  # the raw-source views read them
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if search is not None:
        assert text.count("\nextra:\n") == 1
        text = text.replace("\nextra:\n", f"\nextra:\n  bm_search: {search}\n")
    (base / "mkdocs.yml").write_text(text, encoding="utf-8")
    return base


def build(base: Path, search: str | None) -> Path:
    work = edition(base, search)
    r = run("site", "--docs", "docs", "--site", "site", cwd=work)
    assert r.returncode == 0, r.stderr
    return work / "site"


@pytest.fixture(scope="session")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The seed edition built in pagefind mode and indexed: (SITE, build_index's stats)."""
    work = edition(tmp_path_factory.mktemp("pagefind") / "edition", "pagefind")
    report = build_site(work / "docs", work / "site", root=work)  # indexes in pagefind mode
    assert report["search"] == "pagefind"
    return work / "site", report["pagefind"]


def searchable(site: Path) -> set[str]:
    """Pages Material's search indexes in the simplified site (its search_index.json)."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return {d["location"].split("#")[0] for d in docs}


def test_one_index_for_both_scripts(pagefind_site: tuple[Path, dict]) -> None:
    site, stats = pagefind_site
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"zh", "zh-hant"}
    assert stats["languages"] == {lang: info["page_count"] for lang, info in entry["languages"].items()}
    assert stats["files"] > 0 and stats["mb"] > 0 and stats["seconds"] > 0
    # exactly the pages Material's search indexes (articles and the home page), in each script
    assert stats["languages"]["zh"] == stats["languages"]["zh-hant"] == len(searchable(site))


def test_only_searchable_pages_are_marked(pagefind_site: tuple[Path, dict]) -> None:
    site, _ = pagefind_site
    marked = {p.relative_to(site).as_posix() for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")}
    simplified = {m for m in marked if not m.startswith("zh-Hant/")}
    assert simplified == searchable(site)
    assert {m.removeprefix("zh-Hant/") for m in marked - simplified} == simplified
    assert not any("source" in m.rsplit("/", 1)[-1] or m.startswith(("browse/", "zh-Hant/browse/")) for m in marked)
    article = sorted(site.glob("*/a-*.html"))[0].read_text(encoding="utf-8")
    # the header facts, notes and footer (neighbours, provenance, citations) stay out of the index
    assert '<dl class="bm-facts" data-pagefind-ignore>' in article
    assert '<footer class="bm-foot" data-pagefind-ignore>' in article
    assert "assets/banmian-search.js" in article and 'data-pagefind="../pagefind/pagefind.js"' in article
    trad = (site / "zh-Hant" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind="./../pagefind/pagefind.js"' in trad  # one shared index at the site root
    assert "找到 # 個符合條件的結果" in trad
    for page in site.rglob("*.html"):  # never protocol-relative ("//pagefind/…" names a host)
        assert 'data-pagefind="//' not in page.read_text(encoding="utf-8"), page


def test_index_is_deterministic(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    site, _ = pagefind_site
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    pagefind_index.build_index(copy)
    second = {p.relative_to(copy).as_posix(): p.read_bytes() for p in (copy / "pagefind").rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_one_run_per_script_equals_one_run_over_both(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    """build_index runs Pagefind once per script, side by side, and joins the two indexes: the
    same files, byte for byte, as one Pagefind run over both scripts' candidates."""
    site, _ = pagefind_site
    ours = {p.relative_to(site / "pagefind").as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    proc = pagefind_index._pagefind(site, tmp_path / "one", pagefind_index.CANDIDATES)
    assert proc.returncode == 0, proc.stderr
    pagefind_index._canonical_entry(tmp_path / "one" / "pagefind-entry.json")
    one = {p.relative_to(tmp_path / "one").as_posix(): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    assert ours.keys() == one.keys()
    assert [k for k in ours if ours[k] != one[k]] == []
    assert not [k for k in ours if k.startswith(".")]  # the per-script parts were moved in, not left


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def edit_both_scripts(site: Path, rel: str, old: str, new: str) -> None:
    for page in (site / rel, site / "zh-Hant" / rel):
        html = page.read_text(encoding="utf-8")
        assert old in html, (page, old)
        page.write_text(html.replace(old, new, 1), encoding="utf-8")


def test_index_is_kept_while_what_pagefind_reads_is_unchanged(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    site, _ = pagefind_site
    copy, state = tmp_path / "site", tmp_path / "pagefind-inputs.json"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    first = pagefind_index.build_index(copy, state)
    assert first["reused"] is False and state.is_file()
    index = tree(copy / "pagefind")
    assert index == tree(site / "pagefind")  # a state file changes nothing in the index

    again = pagefind_index.build_index(copy, state)
    assert again["reused"] is True and again["languages"] == first["languages"] and again["files"] == first["files"]
    assert tree(copy / "pagefind") == index

    # the proofreading facts and the footer are marked data-pagefind-ignore: Pagefind reads neither
    rel = sorted(copy.glob("*/a-*.html"))[0].relative_to(copy).as_posix()
    html = (copy / rel).read_text(encoding="utf-8")
    edit_both_scripts(copy, rel, "data-pagefind-ignore>", "data-pagefind-ignore><p>已校对：2026年</p>")
    edit_both_scripts(copy, rel, '<footer class="bm-foot" data-pagefind-ignore>', '<footer class="bm-foot" data-pagefind-ignore><p>上一篇：新</p>')
    assert pagefind_index.indexed_part((copy / rel).read_text(encoding="utf-8")) == pagefind_index.indexed_part(html)
    assert pagefind_index.build_index(copy, state)["reused"] is True
    fresh = tmp_path / "fresh"  # and Pagefind agrees: indexed from scratch, the edited site gives the same bytes
    shutil.copytree(copy, fresh, ignore=shutil.ignore_patterns("pagefind"))
    pagefind_index.build_index(fresh)
    assert tree(fresh / "pagefind") == index

    # a corrected text is indexed again, and the index is the one a build from scratch makes
    edit_both_scripts(copy, rel, '<div class="bm-body">\n<p>', '<div class="bm-body">\n<p>勘误八项')
    fixed = pagefind_index.build_index(copy, state)
    assert fixed["reused"] is False and tree(copy / "pagefind") != index
    shutil.rmtree(fresh)
    shutil.copytree(copy, fresh, ignore=shutil.ignore_patterns("pagefind"))
    pagefind_index.build_index(fresh)
    assert tree(copy / "pagefind") == tree(fresh / "pagefind")

    # an index that is not the one the state was written with is made again
    (copy / "pagefind" / "pagefind-entry.json").unlink()
    assert pagefind_index.build_index(copy, state)["reused"] is False
    assert tree(copy / "pagefind") == tree(fresh / "pagefind")
    assert pagefind_index.build_index(copy, state, reuse=False)["reused"] is False


def test_a_kept_index_remembers_pages_written_again(pagefind_site: tuple[Path, dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a full render every page has a new time but the same text: the index is kept, and the
    new times are recorded, so the next build does not read every page again."""
    site, _ = pagefind_site
    copy, state = tmp_path / "site", tmp_path / "pagefind-inputs.json"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    pagefind_index.build_index(copy, state)
    later = time.time_ns() + 10**9
    pages = pagefind_index.candidates(copy)
    for page in pages:
        os.utime(page, ns=(later, later))
    read: list[bytes] = []
    real = pagefind_index.indexed_part
    monkeypatch.setattr(pagefind_index, "indexed_part", lambda html: read.append(html) or real(html))
    assert pagefind_index.build_index(copy, state)["reused"] is True
    assert len(read) == len(pages)  # each page read once, its text the same
    read.clear()
    assert pagefind_index.build_index(copy, state)["reused"] is True
    assert read == []


def test_indexed_part() -> None:
    page = (
        '<html lang="zh-Hant"><head><title>T</title></head><body><nav>menu</nav>'
        '<article data-pagefind-body><h1>題</h1><dl data-pagefind-ignore><div><dt>a</dt></div></dl>'
        '<div><p>正文</p></div><footer data-pagefind-ignore><div>x</div></footer></article><p>after</p></body></html>'
    )
    assert pagefind_index.indexed_part(page) == 'zh-Hant\0<title>T</title>\0<article data-pagefind-body><h1>題</h1><div><p>正文</p></div></article>'.encode()
    assert pagefind_index.indexed_part(page.replace("menu", "other").replace("<dt>a</dt>", "<dt>b</dt>")) == pagefind_index.indexed_part(page)
    assert pagefind_index.indexed_part(page.replace("正文", "正文。")) != pagefind_index.indexed_part(page)
    assert pagefind_index.indexed_part(page.replace("zh-Hant", "zh")) != pagefind_index.indexed_part(page)
    assert pagefind_index.indexed_part(page.replace(" data-pagefind-body", "")) is None
    # the attributes' names as text, or as part of another name, mark nothing
    text = page.replace("<p>正文</p>", "<p>正文 data-pagefind-ignore x-data-pagefind-body</p>").replace("<nav>", "<nav data-pagefind-bodyx>")
    assert pagefind_index.indexed_part(text) == pagefind_index.indexed_part(page.replace("正文", "正文 data-pagefind-ignore x-data-pagefind-body"))
    assert pagefind_index.indexed_part(text.encode()) == pagefind_index.indexed_part(text)
    meta = page.replace("<nav>", '<nav data-pagefind-meta="x">')  # data gathered from anywhere: the whole page counts
    assert pagefind_index.indexed_part(meta) == meta.encode()


def test_a_rebuild_that_changes_nothing_keeps_the_index(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    site, stats = pagefind_site
    assert stats["reused"] is False
    work = tmp_path / "edition"
    shutil.copytree(site.parent, work)  # docs, the site and the build's stage (its state file too)
    report = build_site(work / "docs", work / "site", root=work)
    assert report["pagefind"]["reused"] is True
    assert tree(work / "site" / "pagefind") == tree(site / "pagefind")
    assert build_site(work / "docs", work / "site", root=work, full=True)["pagefind"]["reused"] is False


def test_bundle_leaves_the_index_out(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    site, stats = pagefind_site
    from collections import Counter

    counts: Counter[str] = Counter()
    files = bundle.collect(site, counts)
    assert counts["pagefind-index-files"] == stats["files"]
    assert not [f for f in files if f.startswith("pagefind/")]
    assert bundle.audit(files) == []
    out = bundle.make_bundle(site, tmp_path / "offline.zip", strict=True)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert names and not [n for n in names if n.startswith(f"{bundle.ROOT_NAME}/pagefind/")]


def test_refuses_a_site_built_without_pagefind(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html><body><article>x</article></body></html>", encoding="utf-8")
    with pytest.raises(RuntimeError, match="bm_search: pagefind"):
        pagefind_index.build_index(tmp_path)


def test_lunr_output_is_unchanged(tmp_path: Path) -> None:
    """"lunr" and no key give the same bytes: the pagefind parts of the theme leave no trace."""
    plain = build(tmp_path / "plain", None)
    lunr = build(tmp_path / "lunr", "lunr")
    a = {p.relative_to(plain).as_posix(): p.read_bytes() for p in plain.rglob("*") if p.is_file()}
    b = {p.relative_to(lunr).as_posix(): p.read_bytes() for p in lunr.rglob("*") if p.is_file()}
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    html = [v.decode("utf-8") for k, v in a.items() if k.endswith(".html")]
    assert not any("pagefind" in h or "banmian-search.js" in h for h in html)


def test_entry_file_lists_languages_in_one_order(tmp_path: Path) -> None:
    # Pagefind writes its languages in hash-map order, which varies between runs (seen in CI)
    entry = tmp_path / "pagefind-entry.json"
    entry.write_text('{"version":"1.5.2","languages":{"zh-hant":{"page_count":2},"zh":{"page_count":2}},"include_characters":["‿"]}', encoding="utf-8")
    pagefind_index._canonical_entry(entry)
    assert entry.read_text(encoding="utf-8") == '{"version":"1.5.2","languages":{"zh":{"page_count":2},"zh-hant":{"page_count":2}},"include_characters":["‿"]}'


# --- corrections: the main index and a delta of the pages changed since --------------------------

A = article_titled("西集镇计生协会“贷”动计生户创业")  # 西集镇计生协会“贷”动计生户创业: "信贷" four times, "惠民" never
B = article_titled("三大工程温暖计生困难家庭")  # an article to correct, or to delete


def edition_copy(pagefind_site: tuple[Path, dict], dest: Path, setting: str | None = None) -> Path:
    """The seed edition as last built and indexed (docs, site and the build's stage with its
    state file), to build again; ``setting``: one more line under extra.banmian in mkdocs.yml."""
    site, _ = pagefind_site
    shutil.copytree(site.parent, dest)
    if setting is not None:
        text = (dest / "mkdocs.yml").read_text(encoding="utf-8")
        assert text.count("\n  banmian:\n") == 1
        (dest / "mkdocs.yml").write_text(text.replace("\n  banmian:\n", f"\n  banmian:\n    {setting}\n"), encoding="utf-8")
    return dest


def correct(work: Path, article: str, old: str, new: str, add: str = "") -> str:
    """Replace ``old`` with ``new`` in the article's text (not its front matter), and add a
    paragraph; returns the text it had."""
    path = work / "docs" / f"{article}.md"
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    assert old in body, (article, old)
    path.write_text(head + "\n---\n" + body.replace(old, new) + (f"\n{add}\n" if add else ""), encoding="utf-8")
    return text


def rebuild(work: Path, **kwargs: bool) -> dict:
    report = build_site(work / "docs", work / "site", root=work, **kwargs)
    return report["pagefind"]


def state_of(work: Path) -> dict:
    return json.loads((work / "build" / "stage" / "pagefind-inputs.json").read_text(encoding="utf-8"))


def delta_files(site: Path) -> dict[str, dict]:
    return {lang: json.loads((site / pagefind_index.DELTA_SUBDIR / pagefind_index.delta_file(lang)).read_text(encoding="utf-8")) for lang in ("zh", "zh-hant")}


def delta_pages(site: Path) -> set[str]:
    """The pages the delta index holds (both scripts), by path."""
    folder = site / pagefind_index.DELTA_SUBDIR
    return set(pagefind_index._page_ids(folder)) if (folder / "fragment").is_dir() else set()


def both(article: str) -> set[str]:
    return {f"{article}.html", f"zh-Hant/{article}.html"}


def main_ids(work: Path, pages: set[str]) -> set[str]:
    return {state_of(work)["main"]["pages"][rel][1] for rel in pages}


def files_untouched(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


def scratch_index(site: Path, dest: Path) -> dict[str, bytes]:
    """The index Pagefind makes from nothing for the pages of ``site`` as they are now."""
    shutil.copytree(site, dest, ignore=shutil.ignore_patterns(pagefind_index.OUTPUT_SUBDIR, pagefind_index.DELTA_SUBDIR))
    pagefind_index.build_index(dest)
    return tree(dest / pagefind_index.OUTPUT_SUBDIR)


def test_a_correction_indexes_only_the_changed_pages(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    work = edition_copy(pagefind_site, tmp_path / "edition")
    site = work / "site"
    before = files_untouched(site / "pagefind")
    superseded = main_ids(work, both(A))
    correct(work, A, "信贷", "惠民")
    report = rebuild(work)
    assert report["mode"] == "delta" and report["pages"] == 2 and report["reused"] is False
    assert report["delta"] == {**report["delta"], "pages": 2, "superseded": 2}
    assert files_untouched(site / "pagefind") == before  # the main index: the same files, not written again
    assert delta_pages(site) == both(A)  # just the corrected article, in both scripts
    ids = pagefind_index._page_ids(site / "pagefind-delta")
    files = delta_files(site)
    assert set(files["zh"]["superseded"]) | set(files["zh-hant"]["superseded"]) == superseded
    assert files["zh"]["pages"] == {ids[f"{A}.html"]: main_ids(work, {f"{A}.html"}).pop()}
    assert files["zh-hant"]["pages"] == {ids[f"zh-Hant/{A}.html"]: main_ids(work, {f"zh-Hant/{A}.html"}).pop()}
    assert not set(ids.values()) & {v[1] for v in state_of(work)["main"]["pages"].values()}  # no id in both indexes
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    for lang, data in files.items():
        assert data["main"] == entry["languages"][lang]["hash"] and data["main_pages"] == entry["languages"][lang]["page_count"]
    # only the files the theme's script reads through the main index's pagefind.js
    assert sorted(p.name for p in (site / "pagefind-delta").iterdir() if p.is_file() and not p.name.startswith("banmian-delta.")) == sorted(
        ["pagefind-entry.json", *(p.name for p in (site / "pagefind-delta").glob("*.pf_meta"))]
    )
    assert rebuild(work)["mode"] == "kept"  # nothing changed since: nothing to do
    assert files_untouched(site / "pagefind") == before


def test_corrections_accumulate_until_reverted(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    work = edition_copy(pagefind_site, tmp_path / "edition")
    site = work / "site"
    main = files_untouched(site / "pagefind")
    text_a = correct(work, A, "信贷", "惠民")
    assert rebuild(work)["mode"] == "delta" and delta_pages(site) == both(A)
    text_b = correct(work, B, "养殖", "饲养")
    report = rebuild(work)
    assert report["mode"] == "delta" and report["pages"] == 4
    assert delta_pages(site) == both(A) | both(B)  # relative to the main index, not to the last build
    (work / "docs" / f"{A}.md").write_text(text_a, encoding="utf-8")  # A corrected back
    assert rebuild(work)["mode"] == "delta" and delta_pages(site) == both(B)
    assert {i for f in delta_files(site).values() for i in f["superseded"]} == main_ids(work, both(B))
    (work / "docs" / f"{B}.md").write_text(text_b, encoding="utf-8")
    report = rebuild(work)
    assert report["mode"] == "delta" and report["pages"] == 0 and report["delta"]["pages"] == 0
    assert delta_pages(site) == set() and sorted(p.name for p in (site / "pagefind-delta").iterdir()) == ["banmian-delta.zh-hant.json", "banmian-delta.zh.json"]
    assert all(f["pages"] == {} and f["superseded"] == [] for f in delta_files(site).values())
    assert files_untouched(site / "pagefind") == main


def test_a_deleted_article_is_superseded(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    work = edition_copy(pagefind_site, tmp_path / "edition")
    site = work / "site"
    gone = main_ids(work, both(B))
    (work / "docs" / f"{B}.md").unlink()
    report = rebuild(work)
    assert report["mode"] == "delta"
    assert not (site / f"{B}.html").exists()
    assert not both(B) & delta_pages(site)
    assert gone <= {i for f in delta_files(site).values() for i in f["superseded"]}


def test_more_changes_than_the_bound_index_everything(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    work = edition_copy(pagefind_site, tmp_path / "edition", "search_delta_max: 1")
    site = work / "site"
    correct(work, A, "信贷", "惠民")  # two pages: one per script
    report = rebuild(work)
    assert report["mode"] == "full" and report["pages"] == sum(report["languages"].values())
    assert delta_pages(site) == set() and all(f["pages"] == {} and f["superseded"] == [] for f in delta_files(site).values())
    assert tree(site / "pagefind") == scratch_index(site, tmp_path / "scratch")
    assert state_of(work)["main"]["pages"][f"{A}.html"][0] == state_of(work)["pages"][f"{A}.html"][2]  # the main index holds it now


def test_full_compacts_the_delta_into_the_main_index(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    work = edition_copy(pagefind_site, tmp_path / "edition")
    site = work / "site"
    correct(work, A, "信贷", "惠民")
    assert rebuild(work)["mode"] == "delta" and delta_pages(site) == both(A)
    report = rebuild(work, full=True)
    assert report["mode"] == "full" and report["delta"]["pages"] == 0
    assert delta_pages(site) == set() and all(f["pages"] == {} and f["superseded"] == [] for f in delta_files(site).values())
    assert tree(site / "pagefind") == scratch_index(site, tmp_path / "scratch")
    correct(work, A, "惠民", "信贷")  # and the next correction is relative to the new main index
    assert rebuild(work)["mode"] == "delta" and delta_pages(site) == both(A)


def test_the_delta_is_deterministic(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    out = []
    for name in ("one", "two"):
        work = edition_copy(pagefind_site, tmp_path / name)
        correct(work, A, "信贷", "惠民", "鳕鲑勘误。")
        correct(work, B, "养殖", "饲养")
        assert rebuild(work)["mode"] == "delta"
        out.append(tree(work / "site" / "pagefind-delta"))
    assert out[0].keys() == out[1].keys() and [k for k in out[0] if out[0][k] != out[1][k]] == []
    assert b'"languages":{"zh":' in out[0]["pagefind-entry.json"]  # the entry in one order (_canonical_entry)


def test_a_page_whose_text_is_the_same_stays_in_the_main_index(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    """A change Pagefind reads (the body's markup) that leaves its fragment, and so its id, the
    same: the delta leaves it out, and the main index's page is not superseded."""
    site, _ = pagefind_site
    copy, state = tmp_path / "site", tmp_path / "pagefind-inputs.json"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind", "pagefind-delta"))
    assert pagefind_index.build_index(copy, state, delta=True)["mode"] == "full"
    rel = f"{A}.html"
    old = pagefind_index.indexed_part((copy / rel).read_bytes())
    edit_both_scripts(copy, rel, '<div class="bm-body">\n<p>', '<div class="bm-body">\n<p class="bm-x">')
    assert pagefind_index.indexed_part((copy / rel).read_bytes()) != old
    report = pagefind_index.build_index(copy, state, delta=True)
    assert report["mode"] == "delta" and report["pages"] == 0
    assert delta_pages(copy) == set() and all(f["superseded"] == [] for f in delta_files(copy).values())
    edit_both_scripts(copy, rel, '<p class="bm-x">', '<p class="bm-x">勘误八项')  # its text changes: it is in the delta
    assert pagefind_index.build_index(copy, state, delta=True)["pages"] == 2 and delta_pages(copy) == both(A)


def test_delta_limit() -> None:
    assert pagefind_index.delta_limit({}) is None
    assert pagefind_index.delta_limit({"extra": {"banmian": {"search_delta_max": 0}}}) == 0
    for bad in (-1, "5%", True, 1.5):
        with pytest.raises(ValueError, match="search_delta_max"):
            pagefind_index.delta_limit({"extra": {"banmian": {"search_delta_max": bad}}})


def test_bundle_leaves_the_delta_out(pagefind_site: tuple[Path, dict], tmp_path: Path) -> None:
    from collections import Counter

    work = edition_copy(pagefind_site, tmp_path / "edition")
    correct(work, A, "信贷", "惠民")
    assert rebuild(work)["mode"] == "delta"
    site = work / "site"
    counts: Counter[str] = Counter()
    files = bundle.collect(site, counts)
    assert counts["pagefind-delta-files"] == sum(1 for p in (site / "pagefind-delta").rglob("*") if p.is_file()) > 2
    assert not [f for f in files if f.startswith(("pagefind/", "pagefind-delta/"))]
    out = bundle.make_bundle(site, tmp_path / "offline.zip", strict=True)
    with zipfile.ZipFile(out) as zf:
        assert not [n for n in zf.namelist() if "/pagefind" in n]
