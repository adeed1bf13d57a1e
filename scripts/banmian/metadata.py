"""Extract metadata for a page's items: authors (bylines), date (dates), region (region)."""

from __future__ import annotations

from . import region
from .bylines import parse_byline
from .dates import infer_page_date
from .model import Article, BlockKind, PageResult


def extract_authors(item: Article) -> None:
    for block in item.blocks:
        if block.kind == BlockKind.BYLINE:
            item.authors.extend(parse_byline(block.text))


def enrich(result: PageResult) -> None:
    infer_page_date(result)
    for item in result.items:
        extract_authors(item)
        item.date = result.date
        item.date_precision = result.date_precision
        item.date_source = result.date_source
    region.assign_regions(result)
