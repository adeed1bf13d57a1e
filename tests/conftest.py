"""Shared fixtures: the seed pages shipped in source_texts/ are the test corpus."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source_texts"
SEEDS = sorted(SOURCE.glob("*.txt"))


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m banmian ARGS`` in ``cwd``, as a user would run it; ``env`` adds variables."""
    return subprocess.run([sys.executable, "-m", "banmian", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})


def items_of(folder: Path, letter: str = "a") -> list[Path]:
    """A page folder's item files of one type (a: articles, c: captions) in reading order, as its
    page.yml lists them: files are named by content (identity.py), not by position."""
    import yaml

    record = yaml.safe_load((folder / "page.yml").read_text(encoding="utf-8"))
    return [folder / i["file"] for i in record["items"] if i["file"].startswith(letter)]


def article_titled(title: str, docs: Path = ROOT / "docs") -> str:
    """``<page>/<name>`` (no suffix) of the item with this title in docs/: tests name articles by
    what they are, not by a file name."""
    import yaml

    for record in sorted(docs.glob("*/page.yml")):
        for item in yaml.safe_load(record.read_text(encoding="utf-8"))["items"]:
            if item["title"] == title:
                return f"{record.parent.name}/{item['file'][:-3]}"
    raise LookupError(f"no item titled {title!r} in {docs}")


def seed_edition(work: Path) -> Path:
    """An edition folder made from the seeds: source_texts/, mkdocs.yml and an ingested docs/."""
    shutil.copytree(SOURCE, work / "source_texts")
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    r = run("ingest", "--docs", "docs", cwd=work)
    assert r.returncode == 0, r.stderr
    return work


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_pages():
    from banmian.reader import read_pages

    result = read_pages(SOURCE, display_root="source_texts")
    assert not result.errors
    return {p.key: p for p in result.pages}


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run: Playwright's sync API allows one driver per thread."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()
