"""Stable identity: an article keeps its file and URL when other items move, its text is corrected,
or its source page is renamed; where a name must go (a merge), its old URL redirects; a
re-segmentation under a hand-edited file loses and duplicates nothing and fails ingest until merged."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import opencc
import pytest
import yaml

from banmian.emit import is_hand_edited, split_file
from banmian.identity import natural_names
from banmian.pipeline import process_page
from banmian.reader import read_pages
from conftest import SOURCE, items_of, run, run_here

PAGE = "000_313d489b37d45823"
_BODY = "本报讯 近日，西集镇在镇文化广场举办婚育新风进万家宣传活动，向群众发放宣传材料三千余份，解答政策咨询二百余人次。"
#: A whole article as the seed pages print one: headline, body in short OCR lines, byline.
INSERTED = ["西集镇举办婚育新风进万家活动", "", *(_BODY[i : i + 12] for i in range(0, len(_BODY), 12)), "", "(测试员)", ""]


# ``work`` (conftest.py): each test its own copy of what one ingest of the seed pages (in pages/) made.


def ingest(work: Path) -> subprocess.CompletedProcess[str]:
    return run_here("ingest", "--source", "pages", "--docs", "docs", cwd=work)


def record(folder: Path) -> dict:
    return yaml.safe_load((folder / "page.yml").read_text(encoding="utf-8"))


def titles(folder: Path) -> dict[str, str]:
    """Item file name → title, for every item file of a page folder."""
    return {p.name: split_file(p.read_text(encoding="utf-8"))[0]["title"] for p in sorted(folder.glob("[acn]*.md"))}


def edit_lines(page: Path, at: int, new: list[str], remove: int = 0) -> None:
    """Replace ``remove`` source lines from 1-based line ``at`` with ``new`` (an editor's change)."""
    lines = page.read_text(encoding="utf-8").split("\n")
    lines[at - 1 : at - 1 + remove] = new
    page.write_text("\n".join(lines), encoding="utf-8")


def correct(path: Path, old: str, new: str) -> bytes:
    fm, sep, rest = path.read_text(encoding="utf-8").partition("\n---\n")
    assert old in rest
    path.write_text(fm + sep + rest.replace(old, new, 1), encoding="utf-8")
    return path.read_bytes()


def test_inserting_an_article_at_the_top_keeps_every_other_file_and_url(work: Path) -> None:
    folder = work / "docs" / PAGE
    before = titles(folder)
    edit_lines(work / "pages" / f"{PAGE}.txt", 2, INSERTED)  # line 1 is blank: the page's first article now
    r = ingest(work)
    assert r.returncode == 0, r.stderr
    after = titles(folder)
    assert {k: after[k] for k in before} == before, "every earlier item keeps its file name (its URL) and title"
    (new,) = set(after) - set(before)
    assert after[new] == INSERTED[0]
    assert record(folder)["items"][0]["file"] == new, "the inserted article comes first in reading order"
    assert not list(folder.glob("*.new")) and "redirect" not in r.stderr


def test_a_source_correction_keeps_the_name(work: Path) -> None:
    """An OCR fix in an article's opening changes its content digest; it keeps its name."""
    folder = work / "docs" / PAGE
    before = titles(folder)
    page = work / "pages" / f"{PAGE}.txt"
    lines = page.read_text(encoding="utf-8").split("\n")
    assert lines[1] == "蓬勃发展活力足"
    edit_lines(page, 2, ["蓬勃发展活力定"], remove=1)  # the headline itself corrected
    r = ingest(work)
    assert r.returncode == 0, r.stderr
    after = titles(folder)
    assert set(after) == set(before)
    assert sorted(after.values()) != sorted(before.values()) and "蓬勃发展活力定" in after.values()


def test_splitting_an_article_keeps_its_url_on_the_first_part(work: Path) -> None:
    folder = work / "docs" / PAGE
    first = items_of(folder)[0]
    _, whole = split_file(first.read_text(encoding="utf-8"))
    page = work / "pages" / f"{PAGE}.txt"
    lines = page.read_text(encoding="utf-8").split("\n")
    at = lines.index("开展生育关怀活动。全") + 1  # a paragraph in the middle of the first article
    edit_lines(page, at, ["(姚振华)", "", "开发区生育关怀惠及千家", ""])
    r = ingest(work)
    assert r.returncode == 0, r.stderr
    _, part = split_file(first.read_text(encoding="utf-8"))
    assert first.exists() and len(part) < len(whole) and whole.startswith(part.split("\n\n")[0])
    second = items_of(folder)[1]
    assert "开发区生育关怀惠及千家" in second.read_text(encoding="utf-8")
    assert f"docs/{PAGE}/{second.name}: " in r.stderr and "split out of" in r.stderr


def test_merging_two_articles_redirects_the_old_url(work: Path, root: Path) -> None:
    from banmian.site import load_entries, load_pages, redirect_pages

    folder = work / "docs" / PAGE
    first, second = items_of(folder)[:2]
    page = work / "pages" / f"{PAGE}.txt"
    lines = page.read_text(encoding="utf-8").split("\n")
    at = lines.index("(姚振华)") + 1
    assert lines[at + 1] == "综合治理出生人口性别比偏高"
    edit_lines(page, at, [], remove=6)  # byline, headline and column label gone: the second article's text joins the first
    r = ingest(work)
    assert r.returncode == 0, r.stderr
    assert not second.exists(), "an unedited generated file whose text moved is replaced by a redirect"
    assert record(folder)["redirects"][second.stem] == first.stem
    assert f"docs/{PAGE}/{second.name}: " in r.stderr and "redirect" in r.stderr
    docs = work / "docs"
    pages = load_pages(docs, load_entries(docs))
    html = redirect_pages(pages, lambda s: s)[f"{PAGE}/{second.stem}.html"]
    assert f'<link rel="canonical" href="{first.stem}.html">' in html and f'url={first.stem}.html"' in html


def test_hand_edit_and_inserted_article_lose_nothing_and_fail(work: Path) -> None:
    """Issue 15's vanishing article: an edited third item, a new article between the first two."""
    folder = work / "docs" / PAGE
    before = titles(folder)
    target = items_of(folder)[2]
    edited = correct(target, "临清", "臨清")
    page = work / "pages" / f"{PAGE}.txt"
    lines = page.read_text(encoding="utf-8").split("\n")
    edit_lines(page, lines.index("综合治理出生人口性别比偏高") + 1, INSERTED)
    r = ingest(work)
    assert r.returncode == 3, r.stderr
    assert target.read_bytes() == edited, "the correction is kept"
    copy = target.with_name(target.name + ".new")
    assert copy.is_file() and "临清" in copy.read_text(encoding="utf-8") and f"docs/{PAGE}/{target.name}" in r.stderr
    after = titles(folder)
    assert {k: after[k] for k in before} == before, "no earlier item is lost or renamed"
    assert list(after.values()).count(split_file(edited.decode())[0]["title"]) == 1, "the edited article is not published twice"
    assert INSERTED[0] in after.values()
    # the editor merges (takes the new source reference) and deletes nothing else: ingest passes, the copy goes
    fm_new, _ = split_file(copy.read_text(encoding="utf-8"))
    text = target.read_text(encoding="utf-8")
    old_src = text[text.index("source:") : text.index("status:")]
    new_src = copy.read_text(encoding="utf-8")
    new_src = new_src[new_src.index("source:") : new_src.index("status:")]
    target.write_text(text.replace(old_src, new_src), encoding="utf-8")
    r = ingest(work)
    assert r.returncode == 0, r.stderr
    assert not copy.exists() and "臨清" in target.read_text(encoding="utf-8")
    assert fm_new["source"]["lines"] == split_file(target.read_text(encoding="utf-8"))[0]["source"]["lines"]


def test_renamed_source_page_keeps_its_folder_and_corrections(work: Path) -> None:
    docs = work / "docs"
    target = items_of(docs / PAGE)[1]
    edited = correct(target, "临清", "臨清")
    before = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    (work / "pages" / "sub").mkdir()
    (work / "pages" / f"{PAGE}.txt").rename(work / "pages" / "sub" / "renamed.txt")  # what git mv does to the tree
    r = ingest(work)
    assert r.returncode == 0, r.stderr
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) == before, "no second copy of any article"
    assert target.read_bytes() == edited
    assert record(docs / PAGE)["source"] == "pages/sub/renamed.txt"
    assert "renamed page" in r.stderr


def test_whitespace_only_edit_is_not_a_correction(work: Path) -> None:
    target = items_of(work / "docs" / PAGE)[0]
    text = target.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---\n")
    trailing = head + sep + rest.replace("\n", "  \n")  # spaces at the body's line ends
    for changed in (text.replace("\n\n", "\n\n\n", 3), trailing, text.replace("\n", "\r\n"), text + "\n\n"):
        assert not is_hand_edited(changed)
    assert is_hand_edited(text.replace("。", "，", 1))
    target.write_text(trailing, encoding="utf-8")
    r = ingest(work)
    assert r.returncode == 0 and "hand-edited" not in r.stderr
    assert target.read_text(encoding="utf-8") == text, "the generator's form is written back"


def test_hand_edited_page_record_is_refused_not_overwritten(work: Path) -> None:
    path = work / "docs" / PAGE / "page.yml"
    text = path.read_text(encoding="utf-8").replace("publication: null", "publication: 某某报", 1)
    path.write_text(text, encoding="utf-8")
    add = work / "pages" / "manifest.yml"
    add.write_text(yaml.safe_dump({"pages": {f"{PAGE}.txt": {"issue": "第1期"}}}, allow_unicode=True), encoding="utf-8")
    r = ingest(work)
    assert r.returncode == 3
    assert path.read_text(encoding="utf-8") == text
    assert "第1期" in (path.parent / "page.yml.new").read_text(encoding="utf-8")
    assert f"docs/{PAGE}/page.yml: " in r.stderr and "manifest.yml" in r.stderr


def test_equal_openings_get_distinct_deterministic_names(seed_pages: dict) -> None:
    result = process_page(seed_pages[PAGE])
    twin = result.items[0]
    names = natural_names([twin, twin, twin])
    assert len(set(names)) == 3 and names == natural_names([twin, twin, twin])
    assert names[0] == result.items[0].name
    again = process_page(read_pages(SOURCE).pages[0])
    assert [i.name for i in again.items] == [i.name for i in result.items]


@pytest.mark.slow
@pytest.mark.browser
def test_old_url_of_a_merged_article_opens_its_text_offline(work: Path, root: Path, browser) -> None:
    """Built site, opened from file:// as the offline bundle is: the old URL lands on the article
    that now holds the text, in both scripts, and the redirect page names it canonical."""
    folder = work / "docs" / PAGE
    first, second = items_of(folder)[:2]
    shutil.copy(root / "mkdocs.yml", work / "mkdocs.yml")
    assert run("site", "--docs", "docs", "--site", "out", "--source", "pages", cwd=work).returncode == 0  # the old article page is built first
    second_title = split_file(second.read_text(encoding="utf-8"))[0]["title"]
    assert second_title in (work / "out" / PAGE / f"{second.stem}.html").read_text(encoding="utf-8")
    page = work / "pages" / f"{PAGE}.txt"
    lines = page.read_text(encoding="utf-8").split("\n")
    edit_lines(page, lines.index("(姚振华)") + 1, [], remove=6)
    assert ingest(work).returncode == 0
    r = run("site", "--docs", "docs", "--site", "out", "--source", "pages", cwd=work)  # incremental: the article page becomes a redirect
    assert r.returncode == 0, r.stderr
    title = split_file(first.read_text(encoding="utf-8"))[0]["title"]
    tab = browser.new_page()
    try:
        for prefix in ("", "zh-Hant/"):
            old = work / "out" / prefix / PAGE / f"{second.stem}.html"
            assert f'rel="canonical" href="{first.stem}.html"' in old.read_text(encoding="utf-8")
            tab.goto(old.as_uri())
            tab.wait_for_url(f"**/{PAGE}/{first.stem}.html")
            assert tab.locator("h1").first.inner_text().strip() == (opencc.OpenCC("s2tw").convert(title) if prefix else title)
    finally:
        tab.close()


def test_build_stops_on_an_unresolved_conflict(tmp_path: Path, ingested_copy) -> None:
    """What the deploy workflow runs: ``banmian build`` exits non-zero before any site is built."""
    ingested_copy(tmp_path)
    correct(items_of(tmp_path / "docs" / PAGE)[2], "临清", "臨清")
    page = tmp_path / "source_texts" / f"{PAGE}.txt"
    edit_lines(page, page.read_text(encoding="utf-8").split("\n").index("综合治理出生人口性别比偏高") + 1, INSERTED)
    r = run("build", cwd=tmp_path)
    assert r.returncode == 3 and "unresolved conflict" in r.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "dist").exists()
