"""Metadata for a page's items: authors (bylines), page credits, date (dates), region (region).

Runs after ``segment``: it reads the blocks each item was built from and never changes their text.
Bylines are parsed from the blocks' RAW lines, where spaces still separate or pad names.
"""

from __future__ import annotations

from . import region
from .bylines import byline_rules, parse_byline, split_dateline, split_trailing_credit
from .dates import infer_page_date
from .model import Article, Author, Block, BlockKind, PageResult

#: Role given to the people of a credit attached to a photo caption when the credit prints none.
PHOTO_ROLE = "摄影"
WRITERS_NOTE = "作者取自版面署名“撰文” (authors from the page credit)"


def _raw(block: Block) -> str:
    return " ".join(line.strip() for line in block.lines)


def _unique(people: list[Author]) -> list[Author]:
    """Keep the first mention of each (name, role): a dateline credit may reach us twice."""
    seen: set[tuple[str, str | None]] = set()
    out: list[Author] = []
    for a in people:
        if a.name and (a.name, a.role) not in seen:
            seen.add((a.name, a.role))
            out.append(a)
    return out


def article_authors(item: Article) -> list[Author]:
    """People named by the item's byline blocks and by a dateline's credit (``本报讯 (记者…)``);
    source notes (``(据…网站)``) name no one."""
    people: list[Author] = []
    for block in item.blocks:
        if block.kind == BlockKind.BYLINE:
            people.extend(parse_byline(_raw(block)))
        elif block.kind in (BlockKind.DATELINE, BlockKind.BODY) and block is _first_text_block(item):
            dated = split_dateline(_raw(block))
            if dated:
                people.extend(dated[1])
    return _unique(people)


def _first_text_block(item: Article) -> Block | None:
    return next((b for b in item.blocks if b.kind in (BlockKind.DATELINE, BlockKind.BODY)), None)


def caption_authors(item: Article) -> list[Author]:
    """A photo credit belongs to its caption: a credit block in the caption item, or a credit printed
    at the end of the caption text (``…资料。(通讯员 刘守涛 张筠琪 摄)``). People with no printed
    role are the photographers."""
    people: list[Author] = []
    for block in item.blocks:
        if block.kind == BlockKind.BYLINE:
            people.extend(parse_byline(_raw(block)))
        elif block.kind == BlockKind.CAPTION:
            found = split_trailing_credit("\n".join(block.lines))
            if found:
                people.extend(found[1])
    return _unique([Author(a.name, a.role or PHOTO_ROLE) for a in people])


def page_credits(result: PageResult) -> list[Author]:
    """The people the page credits (``本版策划组稿:…``, ``撰文 …``), from the page-credit blocks."""
    people: list[Author] = []
    for block in result.blocks:
        if block.kind == BlockKind.PAGE_CREDIT:
            people.extend(parse_byline(_raw(block)))
    return _unique(people)


def writers(credits: list[Author]) -> list[Author]:
    """The page credit's writers (撰文): authors of the page's articles that print no byline."""
    role = byline_rules().roles.get("撰文", "撰文")
    return [a for a in credits if a.role == role]


def enrich(result: PageResult) -> None:
    """Fill authors, page credits, dates and regions in place; safe to run twice (nothing doubles)."""
    if not result.credits:  # the segmenter may already have read them
        result.credits = page_credits(result)
    page_writers = writers(result.credits)
    infer_page_date(result)
    for item in result.items:
        if item.type == "caption":
            item.authors = _unique([*item.authors, *caption_authors(item)])
        elif item.type == "article":
            item.authors = _unique([*item.authors, *article_authors(item)])
            reprinted = any(b.kind == BlockKind.SOURCE_NOTE for b in item.blocks)
            if not item.authors and page_writers and not reprinted:
                item.authors = list(page_writers)
                if WRITERS_NOTE not in item.notes:
                    item.notes.append(WRITERS_NOTE)
        item.date = result.date
        item.date_precision = result.date_precision
        item.date_source = result.date_source
    region.assign_regions(result)
