"""The page pipeline as one pure function: Page → PageResult (clean, segment, metadata)."""

from __future__ import annotations

from . import metadata, segment
from .model import Page, PageResult


def process_page(page: Page) -> PageResult:
    blocks = segment.segment_blocks(page)
    items = segment.group_articles(page, blocks)
    result = PageResult(page=page, items=items, blocks=blocks)
    metadata.enrich(result)
    return result
