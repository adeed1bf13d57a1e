"""Segment: split a page into blocks, say what each block is, group blocks into articles.

First version: blank-line blocks, simple shape rules, headline-starts-article grouping.
"""

from __future__ import annotations

import re

from .clean import clean_and_explain
from .model import Article, Block, BlockKind, Fix, Page

TERMINAL = "。！？”’」』…)）"
_BYLINE = re.compile(r"^[(（]([^()（）]{1,40})[)）]$")
_TRAILING_BYLINE = re.compile(r"^(.*[。！？”])\s*[(（]([^()（）]{1,40})[)）]\s*$")


def raw_blocks(page: Page) -> list[Block]:
    """Runs of non-blank lines, with their 1-based line numbers."""
    blocks: list[Block] = []
    start: int | None = None
    for i, line in enumerate([*page.lines, ""], start=1):
        if line.strip():
            if start is None:
                start = i
        elif start is not None:
            blocks.append(Block(kind=BlockKind.BODY, first=start, last=i - 1, lines=page.lines[start - 1 : i - 1]))
            start = None
    return blocks


def join_lines(lines: list[str]) -> str:
    return "".join(line.strip() for line in lines)


def classify(block: Block) -> BlockKind:
    text = join_lines(block.lines)
    if text.startswith("#"):
        return BlockKind.HEADLINE
    if re.match(r"^[—-]{2,}\s*\S", text) and len(text) < 60 and len(block.lines) == 1:
        return BlockKind.SUBTITLE
    if text.startswith("本版策划") or text.startswith("撰文"):
        return BlockKind.PAGE_CREDIT
    if text in {"资料图片", "图片资料"}:
        return BlockKind.PICTURE_NOTE
    m = _BYLINE.match(text)
    if m:
        return BlockKind.SOURCE_NOTE if m.group(1).startswith("据") else BlockKind.BYLINE
    if text.startswith("□") and text.endswith("作"):
        return BlockKind.BYLINE
    if ("摄" in text[-12:] or text.startswith("图为") or "图为" in text) and len(text) < 200:
        return BlockKind.CAPTION
    if len(text) <= 30 and not text.endswith(tuple(TERMINAL + "，、；：,;:")):
        return BlockKind.HEADLINE
    return BlockKind.BODY


def split_trailing_byline(block: Block) -> list[Block]:
    """``…观念。 (潘鹏)`` — a byline printed on the last line of a paragraph becomes its own block."""
    last = block.lines[-1]
    m = _TRAILING_BYLINE.match(last)
    if not m or block.kind != BlockKind.BODY:
        return [block]
    body_lines = [*block.lines[:-1], m.group(1)]
    byline = Block(kind=BlockKind.BYLINE, first=block.last, last=block.last, lines=[f"({m.group(2)})"])
    return [Block(kind=BlockKind.BODY, first=block.first, last=block.last, lines=body_lines), byline]


def merge_column_breaks(blocks: list[Block]) -> list[Block]:
    """A body block that stops mid-sentence continues in the next body block (a column ended)."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == BlockKind.BODY
            and block.kind == BlockKind.BODY
            and not join_lines(prev.lines).endswith(tuple(TERMINAL))
        ):
            prev.lines = prev.lines + block.lines
            prev.last = block.last
            prev.fixes.append(Fix("join_column_break", block.first, "\n\n", ""))
            continue
        out.append(block)
    return out


def segment_blocks(page: Page) -> list[Block]:
    blocks: list[Block] = []
    for block in raw_blocks(page):
        block.kind = classify(block)
        blocks.extend(split_trailing_byline(block))
    blocks = merge_column_breaks(blocks)
    for block in blocks:
        text = join_lines(block.lines)
        if block.kind == BlockKind.HEADLINE:
            text = text.lstrip("#").strip()
        if len(block.lines) > 1:
            block.fixes.append(Fix("join_lines", block.first, "\n".join(block.lines), text))
        block.text, fixes = clean_and_explain(text, block.first)
        block.fixes.extend(fixes)
    return blocks


def group_articles(page: Page, blocks: list[Block]) -> list[Article]:
    """Headline starts an article; body, bylines and the like follow it; captions stand alone."""
    items: list[Article] = []
    current: Article | None = None

    def new(kind: str = "article") -> Article:
        item = Article(page=page, seq=len(items) + 1, type=kind)
        items.append(item)
        return item

    for block in blocks:
        k = block.kind
        if k == BlockKind.HEADLINE:
            current = new()
            current.title = block.text
            current.blocks.append(block)
        elif k in (BlockKind.CAPTION, BlockKind.PICTURE_NOTE):
            cap = new("caption")
            cap.title = block.text[:30]
            cap.paragraphs.append(block.text)
            cap.blocks.append(block)
        elif k in (BlockKind.PAGE_CREDIT, BlockKind.PAGE_TITLE, BlockKind.NOTICE):
            continue
        else:
            if current is None:
                current = new()
                current.flags.append("untitled")
            current.blocks.append(block)
            if k == BlockKind.SUBTITLE:
                current.subtitle = block.text.lstrip("—- \u3000").strip()
            elif k in (BlockKind.BODY, BlockKind.DATELINE, BlockKind.SUBHEAD, BlockKind.SOURCE_NOTE):
                current.paragraphs.append(block.text)
            if k == BlockKind.BYLINE:
                current = None
        if items:
            items[-1].fixes.extend(block.fixes)
    for item in items:
        if not item.title and item.paragraphs:
            item.title = item.paragraphs[0][:20]
    return [i for i in items if i.paragraphs or i.type != "article"]
