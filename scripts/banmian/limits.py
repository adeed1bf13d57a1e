"""The input and time limits of ``data/limits.yml``, read once."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def limits() -> dict[str, int]:
    """Every limit as a whole number; a missing or malformed value is a packaging error, raised early."""
    data = yaml.safe_load(resources.files("banmian.data").joinpath("limits.yml").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in data.values()):
        raise ValueError("banmian/data/limits.yml: every limit must be a positive whole number")
    return data


def limit(name: str) -> int:
    return limits()[name]
