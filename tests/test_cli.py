"""The command line: subcommands, flags and defaults stay as documented; exit codes say what happened."""

from __future__ import annotations

from pathlib import Path

from banmian.cli import parser
from conftest import SEEDS, run


def test_subcommands_flags_and_defaults_are_stable() -> None:
    p = parser()
    expected = {
        "ingest": {"source": "source_texts", "docs": "docs"},
        "site": {"docs": "docs", "site": "site", "source": "source_texts"},
        "bundle": {"site": "site", "out": "dist/banmian-offline.zip"},
        "check": {"docs": "docs"},
        "serve": {"docs": "docs", "addr": "127.0.0.1:8000"},
    }
    for command, defaults in expected.items():
        args = p.parse_args([command])
        for name, value in defaults.items():
            assert str(getattr(args, name)) == value, (command, name)
    assert str(p.parse_args(["scan"]).paths) == "[PosixPath('site')]"
    assert {"build", "explain", "bench", "scan"} <= set(p._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def test_help_and_version(tmp_path: Path) -> None:
    r = run("--help", cwd=tmp_path)
    assert r.returncode == 0 and "ingest" in r.stdout
    assert run("--version", cwd=tmp_path).stdout.startswith("banmian ")


def test_clean_run_exits_0_and_reports_counts(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "p.txt").write_bytes(SEEDS[0].read_bytes())
    r = run("ingest", "--source", "src", "--docs", "docs", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "1 pages" in r.stderr and "Traceback" not in r.stderr
    again = run("ingest", "--source", "src", "--docs", "docs", cwd=tmp_path)
    assert again.returncode == 0 and "written 0" in again.stderr


def test_skipped_file_exits_1_with_summary_last(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "p.txt").write_bytes(SEEDS[0].read_bytes())
    (src / "empty.txt").write_bytes(b"")
    r = run("ingest", "--source", "src", "--docs", "docs", cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert any(x.startswith("src/empty.txt: ") for x in lines)
    assert "1 problem(s) in 1 file(s)" in lines[-1]
    assert (tmp_path / "docs" / "p").is_dir()


def test_explain_missing_page_is_a_message(tmp_path: Path) -> None:
    r = run("explain", "nowhere/p.txt", cwd=tmp_path)
    assert r.returncode != 0 and "Traceback" not in r.stderr and "p.txt" in r.stderr


def test_site_without_mkdocs_yml_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    r = run("site", "--docs", "docs", "--site", "out", cwd=tmp_path)
    assert r.returncode == 2 and "mkdocs.yml" in r.stderr and "Traceback" not in r.stderr


def test_site_with_broken_article_points_to_check(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_bytes((Path(__file__).resolve().parent.parent / "mkdocs.yml").read_bytes())
    (tmp_path / "docs" / "x").mkdir(parents=True)
    (tmp_path / "docs" / "x" / "a01.md").write_text("---\ntitle: [broken\n---\n\n正文。\n", encoding="utf-8")
    r = run("site", "--docs", "docs", "--site", "out", cwd=tmp_path)
    assert r.returncode != 0 and "Traceback" not in r.stderr
