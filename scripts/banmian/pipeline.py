"""The page pipeline as one pure function: Page → PageResult (clean, segment, metadata)."""

from __future__ import annotations

from . import identity, metadata, segment
from .model import Page, PageResult


def process_page(page: Page) -> PageResult:
    """Segment the page (blocks are cleaned there, fixes kept per item), then add metadata (and,
    for a page with line boxes, where each item stands on the page).
    Items get their content names here; ``emit`` may keep older names for them (identity.assign)."""
    blocks, items, credits, page_title = segment.segment_page(page)
    for item, name in zip(items, identity.natural_names(items), strict=True):
        item.name = name
    result = PageResult(page=page, items=items, blocks=blocks, credits=credits, page_title=page_title)
    metadata.enrich(result)
    if page.facsimile is not None:
        from .facsimile import attach_zones

        attach_zones(result)
    return result
