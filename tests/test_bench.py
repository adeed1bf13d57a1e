"""Smoke test of the benchmark: it runs end to end on a tiny archive and reports every figure.

No timing is asserted here (speed targets live in `banmian bench`, run by hand on a quiet machine).
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest
import yaml

from banmian import bench

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_runs_on_a_tiny_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    work = tmp_path / "work"
    assert bench.main(argparse.Namespace(pages=3, work=work, items=None, no_search=True, add=2)) == 0
    report = json.loads((work / "bench.json").read_text(encoding="utf-8"))
    assert report["ingest"]["pages"] == 3 and report["ingest"]["items"] > 3
    assert report["articles_html"]["files"] > 0 and report["articles_html"]["largest_kb"] >= report["articles_html"]["median_kb"] > 0
    assert report["search_index"]["files"] > 3 and report["search_index"]["mb"] > 0
    assert report["offline_zip_mb"] > 0 and report["ratio"] > 0
    assert (work / "floor" / "site" / "search" / "search_index.json").is_file()
    out = capsys.readouterr().out
    assert report["site_rebuild_one_edit"]["full"] == {"zh-Hans": False, "zh-Hant": False}
    assert report["site_config_change"]["full"] == {"zh-Hans": True, "zh-Hant": True} and report["ratio_config_change"] > 0
    added = report["add_pages"]
    assert added["pages"] == 2 and added["articles"] > 0 and added["site"]["articles"] == report["site_cold"]["articles"] + added["articles"]
    assert (work / "site" / "synth_00005" / "index.html").is_file() and (work / "site" / "zh-Hant" / "synth_00005" / "index.html").is_file()
    for label in ("ingest", "floor, one script", "ratio", "config change", "rebuild", "article HTML", "search index", "offline zip", "new pages"):
        assert label in out


def test_floor_keeps_articles_out_of_the_navigation(tmp_path: Path) -> None:
    cfg = bench.floor_config(ROOT, tmp_path)
    floor = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    assert floor["nav"] == [{"首页": "index.md"}]
    assert "/*/*.md" in floor["not_in_nav"]
    assert floor["theme"]["font"] is False
    assert any("search" in p for p in floor["plugins"]) and "offline" not in str(floor["plugins"])


def test_bench_refuses_to_run_outside_an_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert bench.main(argparse.Namespace(pages=1, work=tmp_path / "w", items=None, no_search=True)) == 2
