"""Region: the most specific administrative unit an article is about, from the gazetteer."""

from __future__ import annotations

from .model import PageResult


def assign_regions(result: PageResult) -> None:
    """Set ``item.region`` for each article of the page (first version: unknown)."""
    for item in result.items:
        item.region = None
