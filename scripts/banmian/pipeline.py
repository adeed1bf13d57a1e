"""The page pipeline as one pure function: Page → PageResult (clean, segment, metadata)."""

from __future__ import annotations

from . import identity, metadata, segment
from .model import Page, PageResult


def process_page(page: Page) -> PageResult:
    """Segment the page (blocks are cleaned there, fixes kept per item), then add metadata.
    Items get their content names here; ``emit`` may keep older names for them (identity.assign)."""
    blocks, items, credits, page_title = segment.segment_page(page)
    for item, name in zip(items, identity.natural_names(items), strict=True):
        item.name = name
    result = PageResult(page=page, items=items, blocks=blocks, credits=credits, page_title=page_title)
    metadata.enrich(result)
    return result
