"""Metadata for a page's items: authors (bylines), page credits, date (dates), region (region).

Runs after ``segment``: it reads the blocks each item was built from and never changes their text;
the one move it makes is a bracketed end note printed as the last paragraph (``（作者为…）``), which
goes from ``paragraphs`` to ``end_notes``.
Bylines are parsed from the blocks' RAW lines, where spaces still separate or pad names.
"""

from __future__ import annotations

import functools
import re

from . import region
from .bylines import byline_rules, compiled_note, contributors, credit_dateline, labelled_credit, parse_byline, split_dateline, split_trailing_credit
from .datelines import match_opening
from .dates import infer_page_date
from .folio import parse_folio
from .model import Article, Author, Block, BlockKind, PageResult
from .notes import note

#: End notes printed in brackets after a story: the author's affiliation, helpers, initials, an
#: end mark or a cross-reference (（作者为…）, （X参与采写）, （步）, （完）, （…见第八版）).
_END_NOTE = re.compile(
    r"^[(（](?:作者(?:为|系|单位)|[^()（）]{0,40}(?:参与采写|参加采写|协助采写)$|[^()（）]{1,2}$|[^()（）]{0,30}见第.{1,4}版$|完$)(?:[^()（）]|[(（][^()（）]{1,20}[)）])*[)）]$"
)  # (one bracket may stand inside: （作者单位：…学院（出版学院））)

#: Role given to the people of a credit attached to a photo caption when the credit prints none.
PHOTO_ROLE = "摄影"
WRITERS_NOTE = note("authors_from_page_credit")


def _raw(block: Block) -> str:
    """The block's lines joined by a space (a line break may part two names), except where a
    column wrapped a role word (``…电  记`` / ``者王新萍、…``): that break is no space."""
    lines = [line.strip() for line in block.lines if line.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        out += ("" if _splits_role(out, line) else " ") + line
    return out


def _splits_role(before: str, after: str) -> bool:
    """A role word of two or more characters runs across the break between ``before`` and ``after``."""
    heads = _role_splits()
    for k in range(1, min(len(before), _LONGEST_ROLE) + 1):
        tails = heads.get(before[-k:])
        if tails is not None and after.startswith(tails):
            return True
    return False


_LONGEST_ROLE = 12  # characters of a role word's first part looked at (longer parts are not in the table)


@functools.cache
def _role_splits() -> dict[str, tuple[str, ...]]:
    """Each way to cut a role word of two or more characters: its first part → the second parts."""
    out: dict[str, list[str]] = {}
    for role in byline_rules().roles:
        for k in range(1, min(len(role), _LONGEST_ROLE + 1)):  # (a one-character role has no cut)
            out.setdefault(role[:k], []).append(role[k:])
    return {head: tuple(tails) for head, tails in out.items()}


def _unique(people: list[Author]) -> list[Author]:
    """Keep the first mention of each (name, role): a dateline credit may reach us twice."""
    seen: set[tuple[str, str | None]] = set()
    out: list[Author] = []
    for a in people:
        if a.name and (a.name, a.role) not in seen:
            seen.add((a.name, a.role))
            out.append(a)
    return out


def _one_each(people: list[Author]) -> list[Author]:
    """An article's authors name each person once: the same name credited again (an OCR repeat of
    the credit, or a byline under the headline and a note at the end, ``（本报记者  陶相安整理）``)
    is one author, as the first credit prints them."""
    out: list[Author] = []
    seen: set[str] = set()
    for a in people:
        if a.name and a.name not in seen:
            seen.add(a.name)
            out.append(a)
    return out


def article_authors(item: Article) -> list[Author]:
    """People named by the item's byline blocks and by a dateline's credit (``本报讯 (记者…)``);
    source notes (``(据…网站)``) name no one."""
    people: list[Author] = []
    speaker = any(b.kind == BlockKind.BYLINE and labelled_credit(_raw(b)) is not None for b in item.blocks)
    for block in item.blocks:
        if block.kind == BlockKind.BYLINE:
            if speaker and compiled_note(_raw(block)):
                continue  # the speaker's piece: who wrote it up is credited in an end note
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


def page_folio(result: PageResult) -> None:
    """The page's first folio line, read into ``result.folio`` (publication, date, page, name)."""
    if result.folio is None:
        result.folio = next((f for b in result.blocks if b.kind == BlockKind.FOLIO and (f := parse_folio(b.raw)) is not None), None)


def article_dateline(item: Article):
    """The dateline the first paragraph opens with, else one printed inside the end credit."""
    first = _first_text_block(item)
    if first is not None:
        text = first.text if first.kind == BlockKind.DATELINE else _raw(first)
        found = match_opening(text)
        if found is not None and found.dateline is not None:
            return found.dateline
    for block in reversed(item.blocks):
        if block.kind == BlockKind.BYLINE and (dl := credit_dateline(_raw(block))) is not None:
            return dl
    return None


def end_notes(item: Article) -> list[str]:
    """Bracketed notes after the story, as printed: helpers (参与采写), the author's affiliation,
    initials, an end mark, a cross-reference. Such a note printed as the story's last paragraphs
    moves from the text to ``end_notes`` (shown after the text; nothing is dropped)."""
    tail: list[str] = []
    while len(item.paragraphs) > 1 and _END_NOTE.match(item.paragraphs[-1].strip()) and len(item.paragraphs) - 1 not in item.subheads:
        tail.insert(0, item.paragraphs.pop().strip())
    speaker = any(b.kind == BlockKind.BYLINE and labelled_credit(_raw(b)) is not None for b in item.blocks)
    helpers = [b.text for b in item.blocks if b.kind == BlockKind.BYLINE and (contributors(_raw(b)) or (speaker and compiled_note(_raw(b))))]
    return [*helpers, *tail] if not item.end_notes else item.end_notes


def enrich(result: PageResult) -> None:
    """Fill authors, page credits, folio, dates, datelines and regions in place; safe to run twice
    (nothing doubles)."""
    if not result.credits:  # the segmenter may already have read them
        result.credits = page_credits(result)
    page_writers = writers(result.credits)
    page_folio(result)
    infer_page_date(result)
    meta, folio = result.page.meta, result.folio
    for item in result.items:
        item.publication = meta.publication or (folio.publication if folio else None)
        item.page_number = meta.page or (folio.page if folio else None)
        item.page_name = folio.page_name if folio else None
        if item.type == "article":
            item.dateline = article_dateline(item)
            item.end_notes = end_notes(item)
        if item.type == "caption":
            item.authors = _unique([*item.authors, *caption_authors(item)])
        elif item.type == "article":
            item.authors = _one_each([*item.authors, *article_authors(item)])
            reprinted = any(b.kind == BlockKind.SOURCE_NOTE for b in item.blocks)
            if not item.authors and page_writers and not reprinted:
                item.authors = list(page_writers)
                if WRITERS_NOTE not in item.notes:
                    item.notes.append(WRITERS_NOTE)
        item.date = result.date
        item.date_precision = result.date_precision
        item.date_source = result.date_source
        _confidence(item, result)
    region.assign_regions(result)


#: Below this an automatic decision is flagged for an editor's review.
REVIEW_BELOW = 0.6


def _confidence(item: Article, result: PageResult) -> None:
    """How sure each decision is: the title (its headline block's, 0.4 for a provisional one), the
    authors (a bracketed or role-printing credit 0.9, names alone under a headline 0.7), the date
    (manifest 1, folio 0.95 or less when its weekday disagrees, inferred 0.6). Below
    ``REVIEW_BELOW`` the item is flagged ``review``."""
    if item.type != "article":
        return
    conf: dict[str, float] = {}
    head = next((b for b in item.blocks if b.kind == BlockKind.HEADLINE), None)
    conf["title"] = 0.4 if "untitled" in item.flags else (head.confidence if head is not None else 0.7)
    credits = [b for b in item.blocks if b.kind == BlockKind.BYLINE]
    if item.authors:
        conf["authors"] = 0.9 if any(b.raw.strip()[:1] in "(（□" or any(r in b.raw for r in byline_rules().roles) for b in credits) else 0.7
    if item.date_source:
        conf["date"] = {"manifest": 1.0, "folio": result.folio.confidence if result.folio else 0.95}.get(item.date_source, 0.6)
    item.confidence = {k: round(v, 2) for k, v in conf.items()}
    if any(v < REVIEW_BELOW for v in conf.values()) and "review" not in item.flags:
        item.flags.append("review")
