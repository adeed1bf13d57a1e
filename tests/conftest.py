"""Shared fixtures: the seed pages shipped in source_texts/ are the test corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source_texts"
SEEDS = sorted(SOURCE.glob("*.txt"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_pages():
    from banmian.reader import read_pages

    result = read_pages(SOURCE, display_root="source_texts")
    assert not result.errors
    return {p.key: p for p in result.pages}
