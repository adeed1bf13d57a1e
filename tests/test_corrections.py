"""Corrections survive rebuilds: hand-edited files are kept, changes under them are reported, nothing is deleted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from banmian.emit import STRUCTURAL_DOUBT, emit, is_hand_edited, split_file
from banmian.pipeline import process_page
from banmian.reader import read_pages
from conftest import ROOT, run_here

# ``work`` (conftest.py): each test its own copy of what one ingest of the seed pages (in pages/) made.


def snapshot(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}


def articles(docs: Path) -> list[Path]:
    return sorted(p for p in docs.glob("*/a*.md"))


def edit_body(path: Path) -> None:
    """A proofreader's correction: one character of the first paragraph changed."""
    fm_text, sep, rest = path.read_text(encoding="utf-8").partition("\n---\n")
    first = rest.lstrip("\n")
    assert first, path
    corrected = first.replace(first[0], "〇" if first[0] != "〇" else "零", 1)
    path.write_text(fm_text + sep + "\n" + corrected, encoding="utf-8")


def add_publication(pages: Path) -> None:
    """Give every page a publication name: the generator's output changes for every article."""
    listed = {p.name: {"publication": "测试报"} for p in sorted(pages.glob("*.txt"))}
    (pages / "manifest.yml").write_text(yaml.safe_dump({"pages": listed}, allow_unicode=True), encoding="utf-8")


def page_of(path: Path, pages: Path) -> Path:
    fm, _ = split_file(path.read_text(encoding="utf-8"))
    return pages / Path(str(fm["source"]["file"])).name  # type: ignore[index]


def test_generated_files_are_not_hand_edited_and_carry_tool_status(work: Path) -> None:
    for path in (work / "docs").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert not is_hand_edited(text), path
        fm, _ = split_file(text)
        doubt = bool(STRUCTURAL_DOUBT.intersection(fm["flags"]))  # type: ignore[arg-type]
        assert fm["status"] == ("机器识别" if doubt else "已清理"), path
    assert not list((work / "docs").rglob("*.tmp")), "atomic writes leave no temporary files"


def test_edited_article_survives_reingest_while_others_regenerate(work: Path) -> None:
    docs = work / "docs"
    target = articles(docs)[0]
    edit_body(target)
    assert is_hand_edited(target.read_text(encoding="utf-8"))
    edited = target.read_bytes()
    add_publication(work / "pages")
    r = run_here("ingest", "--source", "pages", "--docs", "docs", cwd=work)
    assert r.returncode == 0, r.stderr
    assert target.read_bytes() == edited
    others = [p for p in articles(docs) if p != target]
    assert others and all("publication: 测试报" in p.read_text(encoding="utf-8") for p in others)
    assert str(target.relative_to(work).as_posix()) in r.stderr


def test_changed_source_under_edited_article_is_reported_and_file_left_alone(work: Path) -> None:
    docs = work / "docs"
    target = articles(docs)[0]
    edit_body(target)
    before = snapshot(docs)[target.relative_to(docs).as_posix()]
    fm, _ = split_file(target.read_text(encoding="utf-8"))
    first, last = fm["source"]["lines"]  # type: ignore[index]
    page = page_of(target, work / "pages")
    lines = page.read_text(encoding="utf-8").split("\n")
    # change one Han character inside the article's own source lines
    for n in range(first - 1, last):
        han = [c for c in lines[n] if "\u4e00" <= c <= "\u9fff"]
        if len(han) > 3:
            lines[n] = lines[n].replace(han[2], "〇", 1)
            break
    else:
        pytest.fail("no Han text in the article's line range")
    page.write_text("\n".join(lines), encoding="utf-8")

    r = run_here("ingest", "--source", "pages", "--docs", "docs", cwd=work)
    assert r.returncode == 3, r.stderr  # an unresolved conflict fails ingest (and so build and deploy)
    assert target.read_bytes() == before
    rel = target.relative_to(docs).as_posix()
    assert any(rel in line and "conflict" in line for line in r.stderr.splitlines()), r.stderr
    copy = target.with_name(target.name + ".new")  # the generator's version is kept beside it, not lost
    assert "〇" in copy.read_text(encoding="utf-8"), "the copy holds the changed source's text"
    assert not is_hand_edited(copy.read_text(encoding="utf-8"))
    assert f"docs/{rel}" in r.stderr.splitlines()[-1], "the summary names the file"

    results = [process_page(p) for p in read_pages(work / "pages").pages]
    report = emit(results, docs)
    assert rel in report.conflicts and rel in report.kept_edited
    detail = "\n".join(report.details[rel])
    assert "source page changed" in detail and page.name in detail
    assert "differ" in detail  # what the generator would now write differently
    assert target.read_bytes() == before


def test_status_only_edit_is_a_human_edit_and_is_kept(work: Path) -> None:
    docs = work / "docs"
    target = articles(docs)[1]
    text = target.read_text(encoding="utf-8")
    fm, _ = split_file(text)
    raised = text.replace(f"status: {fm['status']}\n", "status: 已校对\n", 1)
    assert raised != text
    target.write_text(raised, encoding="utf-8")
    assert is_hand_edited(raised)
    add_publication(work / "pages")
    results = [process_page(p) for p in read_pages(work / "pages").pages]
    report = emit(results, docs)
    rel = target.relative_to(docs).as_posix()
    assert rel in report.kept_edited and rel in report.outdated and rel not in report.conflicts
    assert "publication" in "\n".join(report.details[rel])
    assert target.read_text(encoding="utf-8") == raised


def test_removed_source_page_reports_orphans_and_deletes_nothing(work: Path) -> None:
    docs = work / "docs"
    target = articles(docs)[0]
    edit_body(target)
    page = page_of(target, work / "pages")
    folder = target.parent
    files = sorted(p.relative_to(docs).as_posix() for p in folder.iterdir())
    before = snapshot(docs)
    page.unlink()
    r = run_here("ingest", "--source", "pages", "--docs", "docs", cwd=work)
    assert r.returncode == 0, r.stderr
    assert snapshot(docs) == before, "nothing deleted, nothing rewritten"
    for rel in files:
        assert f"docs/{rel}" in r.stderr
    results = [process_page(p) for p in read_pages(work / "pages").pages]
    report = emit(results, docs)
    assert sorted(report.orphaned) == files
    assert "hand-edited" in report.details[target.relative_to(docs).as_posix()][0]


def test_an_item_the_segmenter_drops_leaves_the_others_alone(work: Path) -> None:
    """Names are not positions: when the page's first item is no longer produced, an edited later
    item keeps its file untouched and is no conflict, and the dropped item's file is reported, not
    deleted (its text is in no produced item)."""
    from banmian.emit import article_path

    docs = work / "docs"
    results = [process_page(p) for p in read_pages(work / "pages").pages]
    result = next(r for r in results if sum(i.type == "article" for i in r.items) >= 3)
    target = docs / article_path(result.items[2])
    edit_body(target)
    before = snapshot(docs)
    removed = result.items.pop(0)
    report = emit(results, docs)
    rel = target.relative_to(docs).as_posix()
    assert not report.conflicts and rel in report.kept_edited
    gone = f"{result.page.key}/{removed.name}.md"
    assert gone in report.orphaned and "no longer yields" in report.details[gone][0]
    after = snapshot(docs)
    assert all(after[f] == before[f] for f in before if not f.endswith("page.yml")), "no item file rewritten or deleted"


def test_a_dropped_hand_corrected_item_is_a_conflict(work: Path) -> None:
    from banmian.emit import article_path

    docs = work / "docs"
    results = [process_page(p) for p in read_pages(work / "pages").pages]
    result = next(r for r in results if sum(i.type == "article" for i in r.items) >= 3)
    target = docs / article_path(result.items[0])
    edit_body(target)
    before = target.read_bytes()
    result.items.pop(0)
    report = emit(results, docs)
    rel = target.relative_to(docs).as_posix()
    assert rel in report.conflicts and "hand-corrected" in report.details[rel][0]
    assert target.read_bytes() == before


def test_unreadable_edited_file_is_kept_and_reported(work: Path) -> None:
    docs = work / "docs"
    target = articles(docs)[0]
    broken = target.read_text(encoding="utf-8").replace("title:", "title: [", 1)
    target.write_text(broken, encoding="utf-8")
    results = [process_page(p) for p in read_pages(work / "pages").pages]
    report = emit(results, docs)
    rel = target.relative_to(docs).as_posix()
    assert rel in report.conflicts and "banmian check" in report.details[rel][0]
    assert target.read_text(encoding="utf-8") == broken


def test_check_names_the_broken_file_and_line(work: Path) -> None:
    target = articles(work / "docs")[0]
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("status: ", "status: 已经看过 # ", 1), encoding="utf-8")
    r = run_here("check", "--docs", "docs", cwd=work)
    assert r.returncode == 1
    line = next(n for n, t in enumerate(target.read_text(encoding="utf-8").splitlines(), 1) if t.startswith("status:"))
    assert f"{target.relative_to(work).as_posix()}:{line}:" in r.stdout, r.stdout


# ------------------------------------------------------------------ the 待校对 page


def entries_of(docs: Path) -> list:
    from banmian.site import DocEntry

    return [DocEntry(p.relative_to(docs).as_posix(), split_file(p.read_text(encoding="utf-8"))[0]) for p in sorted(docs.rglob("*.md"))]


def queue_pages(entries: list, mkdocs_yml: Path) -> dict[str, str]:
    from banmian.site import PageRec, proofreading_index, site_config

    by_page: dict[str, list] = {}
    for e in entries:
        by_page.setdefault(e.path.split("/")[0], []).append(e)
    pages = [PageRec(k, {}, v) for k, v in sorted(by_page.items())]
    return proofreading_index(pages, site_config(mkdocs_yml.parent), set(by_page))


def test_proofreading_queue_lists_every_item_riskiest_first_with_edit_links(work: Path, root: Path) -> None:
    from banmian.proofread import risk

    entries = entries_of(work / "docs")
    pages = queue_pages(entries, root / "mkdocs.yml")
    text = "\n".join(pages[k] for k in sorted(pages, key=lambda k: (len(k), k)))
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    base = config["repo_url"].rstrip("/") + "/" + config["edit_uri"]
    todo = [e for e in entries if e.meta["status"] not in ("已校对", "已审定")]
    for e in todo:  # complete: every item, once, with its edit link
        assert text.count(f"(../{e.path})") == 1 and text.count(f"({base}{e.path})") == 1, e.path
    order = [m for m in re.findall(r"\]\((?:\.\./)?([^)]+\.md)\) · \[", text)]
    scores = {e.path: risk(e.meta)[0] for e in todo}
    ranked = [scores[p] for p in order if p in scores]
    assert ranked == sorted(ranked, reverse=True) and len(ranked) == len(todo)
    flagged = [e.path for e in entries if set(e.meta["flags"]) & {"truncated", "untitled", "orphan_headline"}]
    assert flagged and all(order.index(p) < len(order) // 2 for p in flagged), "flagged items come first"
    assert f"共 {len(entries)} 个条目" in pages["browse/proofreading.md"]


def test_every_fix_rule_has_a_weight_and_a_chinese_label() -> None:
    """The queue names each decision in Chinese: every rule the cleaner applies (``RULES`` and the
    layout rules that make a ``Fix`` of their own) is weighed and labelled in proofread_risk.yml."""
    import re as _re

    from banmian import clean
    from banmian.proofread import risk_rules

    source = (ROOT / "scripts" / "banmian" / "clean.py").read_text(encoding="utf-8")
    names = {name for name, _ in clean.RULES} | set(_re.findall(r'Fix\("([a-z_]+)"', source)) | clean.REMOVAL_RULES
    rules = risk_rules()
    assert names <= set(rules["fixes"]), sorted(names - set(rules["fixes"]))
    assert all(name in rules["labels"] and not rules["labels"][name].isascii() for name in names), sorted(names - set(rules["labels"]))


def test_risk_counts_meaning_changing_fixes_not_line_joins() -> None:
    from banmian.proofread import risk

    harmless = {"fixes": {"join_lines": 53, "fullwidth_punctuation": 30, "remove_stray_space": 8}, "flags": []}
    risky = {"fixes": {"join_column_break": 1, "remove_repeated_sentence": 1}, "flags": []}
    assert risk(harmless)[0] == 0
    assert risk(risky)[0] > 0 and risk({"fixes": {}, "flags": ["orphan_headline"]})[0] > 0
    assert any("跨栏接续" in r for r in risk(risky)[1])


def test_proofreading_queue_follows_a_fork_and_skips_proofread_items(work: Path, tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("repo_url: https://github.com/someone/fork/\nedit_uri: edit/trunk/docs/\n", encoding="utf-8")
    entries = entries_of(work / "docs")
    done, trad_done = entries[0], entries[1]
    done.meta["status"] = "已校对"
    trad_done.meta["status"] = "已校對"  # a volunteer on the traditional site: the same level
    text = "".join(queue_pages(entries, tmp_path / "mkdocs.yml").values())
    assert "https://github.com/someone/fork/edit/trunk/docs/" in text
    assert f"{done.path})" not in text and f"{trad_done.path})" not in text
    assert "已校对 2 篇" in text


def test_proofreading_queue_pages_stay_bounded_at_thousands_of_articles(work: Path, root: Path) -> None:
    from banmian.site import DocEntry

    real = entries_of(work / "docs")
    many = [DocEntry(f"p{i:05d}/{e.path.split('/', 1)[1]}", dict(e.meta)) for i in range(200) for e in real]
    pages = queue_pages(many, root / "mkdocs.yml")
    assert len(many) > 5000
    assert max(len(t.encode()) for t in pages.values()) < 60_000
    assert sum(t.count("[编辑](") for t in pages.values()) == sum(1 for e in many if e.meta["status"] not in ("已校对", "已审定"))


def test_sic_convention_passes_check_and_renders_marked(work: Path) -> None:
    """CONTRIBUTING's mark for a misprint of the original paper is accepted and shown as such."""
    import markdown

    target = articles(work / "docs")[0]
    fm_text, sep, rest = target.read_text(encoding="utf-8").partition("\n---\n")
    para = rest.strip().split("\n\n")[0]
    word = next(para[i : i + 2] for i in range(len(para) - 1) if all("\u4e00" <= c <= "\u9fff" for c in para[i : i + 2]))
    marked = para.replace(word, f'*{word}*{{ .sic title="原文如此" }}', 1)
    target.write_text(fm_text + sep + "\n" + rest.replace(para, marked, 1), encoding="utf-8")
    r = run_here("check", "--docs", "docs", cwd=work)
    assert r.returncode == 0, r.stdout
    html = markdown.markdown(marked, extensions=["attr_list"])
    assert f'<em class="sic" title="原文如此">{word}</em>' in html
    assert is_hand_edited(target.read_text(encoding="utf-8"))
