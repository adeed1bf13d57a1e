"""`banmian explain PAGE.txt` works on every seed and shows, per article, what the clean-up changed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from banmian.explain import fix_counts, format_fixes
from banmian.model import Fix
from conftest import ROOT, SEEDS, run_here


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_explain_runs_on_every_seed(seed) -> None:
    proc = run_here("explain", f"source_texts/{seed.name}", cwd=ROOT)  # in this process; the tests below run the command itself
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.count("== ") >= 3  # one header per article or caption
    assert "合计 total:" in out.splitlines()[-1]
    assert "Traceback" not in proc.stderr


def test_explain_shows_removed_text_and_line() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "banmian", "explain", "source_texts/" + next(p.name for p in SEEDS if p.name.startswith("001"))],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    removed = [ln for ln in proc.stdout.splitlines() if "repeated sentence" in ln]
    assert removed and all(ln.strip().startswith("29") for ln in removed)
    assert "近几年来，全区通过项目运作倾斜女孩家庭" in removed[0]


def test_explain_missing_page_is_a_clear_error(tmp_path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "banmian", "explain", str(tmp_path / "nope.txt")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode != 0
    assert "nope.txt" in proc.stderr


def test_format_summarises_bulk_rules_and_lists_the_rest() -> None:
    fixes = [Fix("join_lines", n, "开\n发", "开发") for n in range(5, 40)]
    fixes += [Fix("remove_stray_space", 21, "计 生 协 会", "计生协会"), Fix("remove_repeated_paragraph", 83, "打好“三张牌”…", "")]
    lines = format_fixes(fixes)
    assert sum("join" in ln or "断行" in ln for ln in lines) <= 4  # count + a few examples, not 35 lines
    assert any("35 处" in ln and "5–39" in ln for ln in lines)
    assert any(ln.strip().startswith("21") and "计 生 协 会 → 计生协会" in ln for ln in lines)
    assert any("删去" in ln and "打好“三张牌”…" in ln for ln in lines)
    assert fix_counts(fixes) == {"join_lines": 35, "remove_repeated_paragraph": 1, "remove_stray_space": 1}
