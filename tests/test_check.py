"""`banmian check` validates front matter against the published schema and names file:line."""

from __future__ import annotations

from pathlib import Path

from banmian.check import check_docs
from banmian.emit import emit
from banmian.pipeline import process_page
from conftest import items_of


def test_generated_seed_articles_are_valid(seed_pages, tmp_path: Path) -> None:
    emit([process_page(p) for p in seed_pages.values()], tmp_path)
    count, problems = check_docs(tmp_path)
    assert count > 30
    assert problems == []


def test_broken_file_is_named_with_line(seed_pages, tmp_path: Path) -> None:
    emit([process_page(p) for p in seed_pages.values()], tmp_path)
    victim = items_of(sorted(p for p in tmp_path.iterdir() if p.is_dir())[0])[0]
    lines = victim.read_text(encoding="utf-8").splitlines()
    idx = next(i for i, line in enumerate(lines) if line.startswith("date_precision:"))
    lines[idx] = "date_precision: fortnight"
    victim.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, problems = check_docs(tmp_path)
    assert [str(p).split(": ")[0] for p in problems] == [f"{victim.as_posix()}:{idx + 1}"]
    assert "fortnight" in problems[0].message


def test_unclosed_yaml_is_reported(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a01.md").write_text("---\ntitle: [unclosed\nid: x\n---\n\ntext\n", encoding="utf-8")
    _, problems = check_docs(tmp_path)
    assert len(problems) == 1 and problems[0].path.endswith("x/a01.md") and problems[0].line >= 2


def test_raw_html_in_a_pr_edited_body_is_refused_with_its_line(seed_pages, tmp_path: Path) -> None:
    emit([process_page(p) for p in seed_pages.values()], tmp_path)
    victim = items_of(sorted(p for p in tmp_path.iterdir() if p.is_dir())[0])[1]
    text = victim.read_text(encoding="utf-8").rstrip("\n") + "\n\n<script>alert(1)</script>\n"
    victim.write_text(text, encoding="utf-8")
    _, problems = check_docs(tmp_path)
    assert len(problems) == 1
    assert problems[0].path == victim.as_posix()
    assert problems[0].line == len(text.splitlines())
    assert "<script>" in problems[0].message
