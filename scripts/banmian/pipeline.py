"""The page pipeline as one pure function: Page → PageResult (clean, segment, metadata)."""

from __future__ import annotations

import dataclasses

from . import fold, identity, metadata, segment
from .model import Page, PageResult


def process_page(page: Page) -> PageResult:
    """Segment the page (blocks are cleaned there, fixes kept per item), then add metadata (and,
    for a page with line boxes, where each item stands on the page).
    A page printed in traditional characters is read from its folded copy and its texts given
    back their printed characters (``banmian.fold``).
    Items get their content names here; ``emit`` may keep older names for them (identity.assign)."""
    lines, folded = fold.page_fold(page.lines)
    read = dataclasses.replace(page, lines=lines) if folded else page
    blocks, items, credits, page_title = segment.segment_page(read)
    result = PageResult(page=read, items=items, blocks=blocks, credits=credits, page_title=page_title)
    metadata.enrich(result)
    if folded:
        fold.restore(result, page)
    for item, name in zip(result.items, identity.natural_names(result.items), strict=True):
        item.name = name
    if page.facsimile is not None:
        from .facsimile import attach_zones

        attach_zones(result)
    return result
