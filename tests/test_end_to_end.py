"""Seeds → ingest → check → both site builds → bundle, in a temporary folder."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SOURCE, run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("edition")
    shutil.copytree(SOURCE, work / "pages")
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    r = run("ingest", "--source", "pages", "--docs", "articles", cwd=work)
    assert r.returncode == 0, r.stderr
    r = run("check", "--docs", "articles", "--source", "pages", cwd=work)
    assert r.returncode == 0, r.stdout + r.stderr
    r = run("site", "--docs", "articles", "--site", "out", "--source", "pages", cwd=work)
    assert r.returncode == 0, r.stderr
    r = run("bundle", "--site", "out", "--out", "dist/x.zip", cwd=work)
    assert r.returncode == 0, r.stderr
    return work


@pytest.mark.slow
def test_ingest_without_manifest_writes_articles(built: Path) -> None:
    pages = sorted(p.name for p in (built / "articles").iterdir())
    assert pages == sorted(p.stem for p in SOURCE.glob("*.txt"))
    assert len(list((built / "articles").rglob("a*.md"))) >= 30


@pytest.mark.slow
def test_both_scripts_built_with_same_paths(built: Path) -> None:
    simp = {p.relative_to(built / "out").as_posix() for p in (built / "out").rglob("*.html") if "zh-Hant" not in p.parts}
    trad = {p.relative_to(built / "out" / "zh-Hant").as_posix() for p in (built / "out" / "zh-Hant").rglob("*.html")}
    assert "index.html" in simp
    assert simp == trad
    html = (built / "out" / "zh-Hant" / "index.html").read_text(encoding="utf-8")
    assert 'lang="zh-Hant"' in html


@pytest.mark.slow
def test_bundle_holds_both_scripts(built: Path) -> None:
    names = zipfile.ZipFile(built / "dist" / "x.zip").namelist()
    assert "banmian-offline/index.html" in names
    assert "banmian-offline/zh-Hant/index.html" in names


@pytest.mark.slow
def test_ingest_is_deterministic(built: Path, tmp_path: Path) -> None:
    r = run("ingest", "--source", str(built / "pages"), "--docs", str(tmp_path / "again"), cwd=built)
    assert r.returncode == 0, r.stderr
    first = {p.relative_to(built / "articles"): p.read_bytes() for p in (built / "articles").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "again"): p.read_bytes() for p in (tmp_path / "again").rglob("*") if p.is_file()}
    assert first == second


def test_committed_docs_match_ingest(tmp_path: Path) -> None:
    """The committed docs/ is exactly what ingest makes (hand-edited files aside)."""
    r = run("ingest", "--source", str(SOURCE), "--docs", str(tmp_path / "docs"), cwd=ROOT)
    assert r.returncode == 0, r.stderr
    made = {p.relative_to(tmp_path / "docs").as_posix(): p.read_text(encoding="utf-8") for p in (tmp_path / "docs").rglob("*") if p.is_file()}
    committed = {p.relative_to(ROOT / "docs").as_posix(): p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*") if p.is_file()}
    from banmian.emit import is_hand_edited

    differing = sorted(k for k in made.keys() | committed.keys() if made.get(k) != committed.get(k) and not (k in committed and is_hand_edited(committed[k])))
    assert not differing, f"docs/ is stale, run `banmian ingest`: {differing[:5]}"
