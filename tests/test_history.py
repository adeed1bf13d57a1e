"""Last-corrected date and contributors from git: human corrections count, regeneration does not."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from banmian import history
from banmian.emit import emit, is_hand_edited
from banmian.history import article_history, clear_cache
from banmian.pipeline import process_page

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo: Path, *args: str, who: str = "Tool Runner", date: str = "2024-01-01T12:00:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": who, "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": who, "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_COMMITTER_DATE": date,
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def correct(path: Path) -> None:
    fm, sep, rest = path.read_text(encoding="utf-8").partition("\n---\n")
    path.write_text(fm + sep + rest.replace(rest.strip()[0], "〇", 1), encoding="utf-8")


@pytest.fixture()
def repo(tmp_path: Path, seed_pages) -> tuple[Path, list[str]]:
    """docs/ of one seed page: generated, one article corrected by people, then regenerated."""
    clear_cache()
    repo = tmp_path / "edition"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    page = next(p for p in seed_pages.values() if len(process_page(p).items) >= 3)
    emit([process_page(page)], repo / "docs")
    git(repo, "add", "docs")
    git(repo, "commit", "-q", "-m", "Generate docs")
    arts = sorted(p.relative_to(repo).as_posix() for p in (repo / "docs").glob("*/a*.md"))
    corrected, untouched = repo / arts[0], arts[1]

    correct(corrected)
    git(repo, "commit", "-q", "-am", "修正错字\n\nCo-authored-by: 李四 <li@example.org>", who="张三", date="2024-03-05T10:00:00")
    text = corrected.read_text(encoding="utf-8")
    corrected.write_text(re.sub(r"^status: .*$", "status: 已校对", text, count=1, flags=re.M), encoding="utf-8")
    assert "status: 已校对\n" in corrected.read_text(encoding="utf-8")
    git(repo, "commit", "-q", "-am", "提升校对状态", who="王五", date="2024-04-01T10:00:00")

    # a regeneration by a person: the generator now knows the paper's name; edited files are kept
    page.meta.publication = "测试报"
    report = emit([process_page(page)], repo / "docs")
    assert arts[0].removeprefix("docs/") in report.kept_edited
    assert untouched.removeprefix("docs/") in report.written
    git(repo, "commit", "-q", "-am", "Regenerate", who="Regen Person", date="2024-05-01T10:00:00")
    page.meta.publication = None
    return repo, arts


def test_human_commits_count_and_regeneration_does_not(repo: tuple[Path, list[str]]) -> None:
    root, arts = repo
    assert is_hand_edited((root / arts[0]).read_text(encoding="utf-8"))
    assert article_history(root, arts[0]) == {"last_corrected": "2024-04-01", "contributors": ["张三", "李四", "王五"]}
    assert article_history(root, arts[1]) == {"last_corrected": None, "contributors": []}
    assert article_history(root, "docs/no/such.md") == {"last_corrected": None, "contributors": []}


def test_one_git_log_for_the_whole_archive(repo: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    root, arts = repo
    calls: list[list[str]] = []
    real = subprocess.run

    def counting(cmd, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(list(cmd))
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(history.subprocess, "run", counting)
    clear_cache()
    for rel in arts:
        article_history(root, rel)
    assert len(calls) <= 3, calls  # rev-parse, log, cat-file
    assert sum("log" in c for c in calls) == 1


def test_no_git_history_gives_empties(tmp_path: Path, repo: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    root, arts = repo
    unpacked = tmp_path / "zip-download"
    shutil.copytree(root / "docs", unpacked / "docs")  # like a zip download: files, no .git
    clear_cache()
    assert article_history(unpacked, arts[0]) == {"last_corrected": None, "contributors": []}

    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", root.as_uri(), str(shallow)], check=True, capture_output=True)
    clear_cache()
    assert article_history(shallow, arts[0]) == {"last_corrected": None, "contributors": []}

    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))  # git not installed
    clear_cache()
    assert article_history(root, arts[0]) == {"last_corrected": None, "contributors": []}


def test_whitespace_only_commits_are_not_corrections(repo: tuple[Path, list[str]]) -> None:
    """Trimming or adding spaces and blank lines (an editor's save) neither makes a generated file
    hand-edited nor counts as a correction of a corrected one."""
    root, arts = repo
    for rel in arts[:2]:
        path = root / rel
        fm, sep, rest = path.read_text(encoding="utf-8").partition("\n---\n")
        path.write_text(fm + sep + rest.replace("\n\n", "  \n\n\n", 2) + "\n\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "格式", who="赵六", date="2024-06-01T10:00:00")
    clear_cache()
    assert not is_hand_edited((root / arts[1]).read_text(encoding="utf-8"))
    assert article_history(root, arts[0]) == {"last_corrected": "2024-04-01", "contributors": ["张三", "李四", "王五"]}
    assert article_history(root, arts[1]) == {"last_corrected": None, "contributors": []}
