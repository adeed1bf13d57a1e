"""The page pipeline as one pure function: Page → PageResult (clean, segment, metadata)."""

from __future__ import annotations

from . import metadata, segment
from .model import Page, PageResult


def process_page(page: Page) -> PageResult:
    """Segment the page (blocks are cleaned there, fixes kept per item), then add metadata."""
    blocks, items, credits, page_title = segment.segment_page(page)
    result = PageResult(page=page, items=items, blocks=blocks, credits=credits, page_title=page_title)
    metadata.enrich(result)
    return result
