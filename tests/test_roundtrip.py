"""Round trip: seeds 003 and 004 arrive with their paragraphs mostly intact. Re-typeset them the way
the narrow-column pages arrive (11-em columns, a 2-em paragraph indent lost to OCR, stray
justification spaces, a blank line wherever a column ends, even mid-sentence) and the clean-up
(column_width → rejoin_blocks → clean_lines) must give back the same paragraphs.
"""

from __future__ import annotations

import itertools
import random
import re

import pytest

from banmian.clean import _width, blank_line_blocks, clean_lines, column_width, rejoin_blocks
from banmian.model import Block, BlockKind

WIDTH = 11
INDENT = 2


def page_items(lines: list[str]) -> list[tuple[BlockKind, str]]:
    """The seed page as (kind, raw paragraph text): markup headlines and body paragraphs.

    Picture captions (short lines without a sentence end) are left out: a narrow-column page
    prints them apart from the columns."""
    blocks = blank_line_blocks(lines)
    for b in blocks:
        raw = "".join(ln.strip() for ln in b.lines)
        if raw.startswith("#"):
            b.kind = BlockKind.HEADLINE
        elif not re.search(r"[。！？]”?$", raw) and len(b.lines) == 1 and len(raw) < 40:
            b.kind = BlockKind.CAPTION
    items = []
    for b in rejoin_blocks(blocks, column_width(lines)):
        if b.kind in (BlockKind.HEADLINE, BlockKind.BODY):
            items.append((b.kind, "".join(ln.strip() for ln in b.lines)))
    return items


def tokens(text: str) -> list[str]:
    """Typesetting units: a run of ASCII (``2.04``, ``100%,(``) never breaks; anything else can."""
    return re.findall(r"[!-~]+|.", text)


def typeset(paragraph: str, rng: random.Random) -> list[str]:
    lines, line, limit = [], [], WIDTH - INDENT
    for tok in tokens(paragraph):
        if line and _width("".join(line) + tok) > limit:
            lines.append(line)
            line, limit = [], WIDTH
        line.append(tok)
    lines.append(line)
    # justified lines: OCR reads the stretched gaps as spaces (计 生 协 会)
    return [" ".join(toks) if rng.random() < 0.25 else "".join(toks) for toks in lines]


def retypeset(items: list[tuple[BlockKind, str]], seed: int) -> tuple[list[str], set[int]]:
    """Page lines plus the 1-based numbers of headline lines; columns end every 6–14 lines."""
    rng = random.Random(seed)
    out: list[str] = []
    heads: set[int] = set()
    left = rng.randint(6, 14)
    for kind, text in items:
        if out and out[-1] != "":
            out.append("")
        if kind == BlockKind.HEADLINE:
            out.append(text)
            heads.add(len(out))
            out.append("")
            continue
        for line in typeset(text, rng):
            out.append(line)
            left -= 1
            if left == 0:  # a column ends here: a blank line, wherever the sentence is
                out.append("")
                left = rng.randint(6, 14)
    return out, heads


def clean_page(lines: list[str], heads: set[int]) -> list[str]:
    blocks: list[Block] = blank_line_blocks(lines)
    for b in blocks:
        if b.first in heads:
            b.kind = BlockKind.HEADLINE
    blocks = rejoin_blocks(blocks, column_width(lines))
    return [clean_lines(b.lines, b.first)[0] for b in blocks]


@pytest.mark.parametrize("prefix", ["003", "004"])
@pytest.mark.parametrize("seed", range(8))
def test_retypeset_page_comes_back_whole(seed_pages, prefix: str, seed: int) -> None:
    page = next(p for k, p in seed_pages.items() if k.startswith(prefix))
    items = page_items(page.lines)
    assert sum(k == BlockKind.BODY for k, _ in items) >= 15
    expected = [clean_lines([text], 1)[0] for _, text in items]
    lines, heads = retypeset(items, seed)
    assert column_width(lines) == WIDTH
    assert sum(1 for a, b in itertools.pairwise(lines) if a and b and " " in a) > 10
    assert clean_page(lines, heads) == expected
