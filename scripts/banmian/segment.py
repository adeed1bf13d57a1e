"""Segment: read a page like an editor — say what each block is, then group blocks into articles.

Three linear passes over the page, no page-specific code (the words live in
``data/segment_rules.yml``):

1. ``segment_blocks``: blank-line runs → typed blocks. Shape rules first (a ``(潘鹏)`` byline, a
   ``本报讯 (…)`` dateline, a ``——— …`` subtitle, a ``本版策划…`` credit, a picture note); then
   context decides what a short unpunctuated line is: a headline, a subhead, a column label, a
   caption or a page title (what stands before and after it, the page's own style: ``#`` marks,
   captions set off by two or more blank lines, narrow columns). Then ``clean.rejoin_blocks``
   mends column breaks and every block is cleaned (its fixes kept on the block).
2. ``group_articles``: blocks → items in reading order (articles, captions, notices); a byline or
   source note closes an article; column labels attach before or after; orphan headlines go
   back to the untitled article their words match; untitled and truncated articles are flagged.
3. ``page_furniture``: the page title and page credits (as authors) for ``PageResult``.
"""

from __future__ import annotations

import itertools
import operator
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from . import clean, notes
from .bylines import byline_rules, contributors, is_names_line, is_role_only, labelled_credit, looks_like_byline, parse_byline, unbracketed_credit
from .datelines import match_opening
from .folio import parse_folio
from .han import HAN
from .model import Article, Author, Block, BlockKind, Fix, Page
from .notes import NoteCode

TERMINAL = "。！？…!?"
CLOSERS = "”’」』)）》"
_SPACES = " \u3000\u00a0\t"
_END_SENTENCE = re.compile(f"[{re.escape(TERMINAL)}][{re.escape(CLOSERS)}]*$")
_NO_TITLE_END = re.compile(r"[。！？!?，,、；;：:…]$")
#: A bracketed line (an end note or credit), which may hold one bracket of its own: (作者单位：…学院（出版学院）)
_BRACKETED = re.compile(r"^[(（]((?:[^()（）]|[(（][^()（）]{1,20}[)）]){1,40})[)）]$")
_TRAILING_BRACKET = re.compile(rf"^(.*[{re.escape(TERMINAL)}][{re.escape(CLOSERS)}]*)[{_SPACES}]*[(（]([^()（）]{{1,40}})[)）][{_SPACES}]*$")
_MARK_BYLINE = re.compile(r"^[□■◇◆○●][^。，,！？]{1,20}$")
_NOTICE_ENTRY = re.compile(rf"^[{HAN}]{{2,10}}[{_SPACES}]*[:：]")
_TIME_CLAUSE = re.compile(r"(以来|年初|年底|年中|月份?|[0-9]日|期间|之际|时节|起)$")
#: A kicker (引题) says who said or found what the title reports: it ends with such a verb or a dash.
_KICKER_END = re.compile(r"(——|—|:|：|强调|表示|指出|显示|提醒|预计|认为|透露|宣布|发布|获悉|介绍|要求|提出|印发通知|签署[^，。]{0,6}令)$")
_COLUMN_TAG = re.compile(r"（[^（）]{2,40}）$")
_SECTION_LABEL = re.compile(r"^【[^】]{1,8}】$")


# --- rule data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    column_suffixes: tuple[str, ...]
    column_words: frozenset[str]
    series_suffixes: tuple[str, ...]
    credit_openers: tuple[str, ...]
    credit_roles: tuple[tuple[str, str], ...]
    picture_notes: frozenset[str]
    wrapped_title_starts: str
    source_openers: tuple[str, ...]
    photo_credit: re.Pattern[str]
    notice_titles: frozenset[str]
    section_marks: frozenset[str]
    opener: re.Pattern[str]
    place_start: re.Pattern[str]
    common_unit_words: tuple[str, ...]
    layout: dict[str, float]
    subhead_series: re.Pattern[str]
    source_line: re.Pattern[str]


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


@cache
def rules() -> Rules:
    """The segmenter's word lists, read once from ``data/segment_rules.yml``."""
    data = yaml.safe_load(resources.files("banmian.data").joinpath("segment_rules.yml").read_text(encoding="utf-8"))
    alt = lambda words: "|".join(re.escape(w) for w in _longest_first(words))  # noqa: E731
    return Rules(
        column_suffixes=_longest_first(data["column_suffixes"]),
        column_words=frozenset(data["column_words"]),
        series_suffixes=_longest_first(data["series_suffixes"]),
        credit_openers=_longest_first(data["page_credit_openers"]),
        credit_roles=tuple(sorted(data["page_credit_roles"].items(), key=lambda kv: -len(kv[0]))),
        picture_notes=frozenset(data["picture_notes"]),
        wrapped_title_starts=str(data["wrapped_title_starts"]) + clean.CONTINUATION_START,
        source_openers=_longest_first(list(byline_rules().source_markers)),
        photo_credit=re.compile(rf"^(.{{1,30}}?)[{_SPACES}]*[/／][{_SPACES}]*(?:{alt(list(byline_rules().photo_credit_words))})$"),
        notice_titles=frozenset(data["notice_titles"]),
        section_marks=frozenset(data["section_marks"]),
        opener=re.compile(rf"^(?:{alt(data['article_openers'])})"),
        place_start=re.compile(rf"^[{HAN}]{{1,4}}[{data['place_unit_chars']}]"),
        common_unit_words=_longest_first(data["common_unit_words"]),
        layout=dict(data["layout"]),
        subhead_series=re.compile(data["subhead_series"].replace("{HAN}", HAN)),
        source_line=re.compile(rf"^(?:{alt(data['source_labels'])})[：:][^。！？]+$"),
    )


# --- text shape -----------------------------------------------------------------------------------


def _join(lines: list[str]) -> str:
    return "".join([line.strip() for line in lines])  # a blank line strips to "" and adds nothing


_HASHES = re.compile(r"^#{1,6}")
_NOISE = re.compile(f"[{_SPACES}*]")
_DASHES = re.compile(r"^[—－\-─]{2,}")
_CUT_WORD = re.compile(rf"^[{HAN}]{{1,3}}[，。、；：,;:！？]")
_COMMA = re.compile(r"[,，]")
_CUT_CHAR = re.compile(rf"^[{HAN}][，。、；：,;:！？!?]")
_NOT_TEXT = re.compile(rf"[^{HAN}0-9A-Za-z]")


def _bare(text: str) -> str:
    """Text without spaces and Markdown marks: what shape rules measure.

    Called for nearly every block and line: the regexes run only when there is something to remove."""
    t = text.strip()
    if t.startswith("#"):
        t = _HASHES.sub("", t)
    if "*" in t or " " in t or "\u3000" in t or "\u00a0" in t or "\t" in t:
        return _NOISE.sub("", t)
    return t


def ends_sentence(text: str) -> bool:
    return bool(_END_SENTENCE.search(text.rstrip(_SPACES)))


def is_title_like(text: str) -> bool:
    """A short line that does not end a sentence: a headline, subhead, label or short caption."""
    if len(text) > 120:  # cheap reject before measuring
        return False
    bare = _bare(text)
    if bare.endswith(("）", ")")):
        return _tagged_title(bare)
    return 2 <= len(bare) <= 32 and not _NO_TITLE_END.search(bare) and "。" not in bare


def _tagged_title(bare: str) -> bool:
    """``沙滩排球，有啥不一样（聚焦亚沙会）``: a title ending with its column tag in brackets (not a
    byline, not a sentence with a bracket after its full stop)."""
    m = _COLUMN_TAG.search(bare.replace("(", "（").replace(")", "）"))
    if not m or len(bare) > 72:
        return False
    head = bare[: m.start()]
    inner = m.group(0)[1:-1]
    if len(head) < 4 or _NO_TITLE_END.search(head.rstrip("？！?!")) or "。" in head or inner.startswith(rules().source_openers):
        return False
    if _photo_credit_line(head):
        return False  # 许丛军摄（影像中国）: a photo credit and the picture column's tag, not a title
    # a bracket of a two- or three-character name, or one printing a role, is a byline, not a tag
    return not (looks_like_byline(f"（{inner}）") and (len(inner) <= 3 or any(r in inner for r in byline_rules().roles if len(r) >= 2)))


def is_byline_inner(inner: str) -> bool:
    """The inside of a bracket is a credit (``通讯员 自发 修智 王雷``, ``李 岚``, ``记者 张𠀀明``): asked of
    the one byline reader, ``bylines.looks_like_byline``."""
    return looks_like_byline(f"({inner})")


@cache
def _byline_kind(text: str) -> BlockKind | None:
    """BYLINE or SOURCE_NOTE for a block that is only a credit line, else None.

    The context rules ask this of the same line several times (as the last line before a block,
    as the first line after one, as a block or a headline line of its own), so the answers are
    kept, for one page only: ``_segment`` forgets them when the next page begins (kept across
    pages, they would flatter a benchmark whose pages repeat lines, and grow with the archive)."""
    r = rules()
    t = text.strip()
    m = _BRACKETED.match(t)
    if m:
        inner = m.group(1).strip()
        if inner.startswith(r.source_openers):
            return BlockKind.SOURCE_NOTE
        return BlockKind.BYLINE if is_byline_inner(inner) else None
    if _MARK_BYLINE.match(t):
        return None if _bare(t)[1:] in r.section_marks else BlockKind.BYLINE  # ■链接 heads a section
    if ("/" in t or "／" in t) and _photo_credit(t) and len(_bare(t)) <= 30:  # a slash first: cheap
        return BlockKind.BYLINE
    if len(t) <= 48 and "\n" not in t and (is_role_only(t) or (not ends_sentence(t) and looks_like_byline(t) and not _clause_first(t))):
        return BlockKind.BYLINE  # 本报记者  董丝雨  本报通讯员  唐  彪, 新华社记者 顾钱江, 本报评论员
    if len(t) <= 60 and labelled_credit(t):
        return BlockKind.BYLINE  # 主讲人：宁夏…负责人  杨旭东
    return None


_CLAUSE_MARK = re.compile(r"[。，！？；,;!?]")


def _clause_first(text: str) -> bool:
    """An unbracketed line opening with a clause that is no credit of its own before a comma
    (``然而，记者查阅``: a paragraph's first words, not a byline naming 然而 and 查阅)."""
    head = re.split(r"[，,]", _bare(text), maxsplit=1)
    return len(head) == 2 and bool(head[0]) and not (is_role_only(head[0]) or looks_like_byline(head[0]))
_WIDE_MARKS = str.maketrans({"、": "，", "：": "，", ":": "，"})  # an enumeration comma or a colon is punctuation too


def _photo_credit(text: str) -> bool:
    """``刘新吾/摄``, ``本报记者  王晓华/摄影``: who took the picture, then the credit word; what
    stands before the slash names people, it holds no sentence (a caption over its credit line
    is a caption, not a credit)."""
    m = rules().photo_credit.match(text)
    return m is not None and not _CLAUSE_MARK.search(m.group(1))


def is_photo_credit(text: str) -> bool:
    t = text.strip()
    if _photo_credit(t):
        return True
    m = _BRACKETED.match(t)
    return bool(m and re.search(r"摄影?$|供图$", m.group(1).strip()))


def column_label(text: str, known: set[str]) -> bool:
    if len(text) > 40:
        return False
    bare = _bare(text)
    if len(bare) > 10 or not is_title_like(bare):
        return False
    r = rules()
    return bare in known or bare in r.column_words or bare.endswith(r.column_suffixes)


# --- pass 1: blocks -------------------------------------------------------------------------------


@dataclass
class _Piece:
    """A block under construction, with the layout facts the context rules need."""

    block: Block
    gap_before: int = 1
    gap_after: int = 1
    title_like: bool = False
    marked: bool = False  # a '#' heading on the page
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> BlockKind:
        return self.block.kind

    @property
    def text(self) -> str:
        return _join(self.block.lines)


@dataclass
class _Raw:
    first: int
    lines: list[str]
    gap_before: int
    gap_after: int = 0
    after_end: bool = False  # the block before it ends a sentence, a credit or a note (or it opens the page)
    dense: bool = False  # the page runs paragraphs on without blank lines: a blank line sets more than a paragraph apart
    before_credit: bool = False  # the block after it opens with a byline line or a dateline
    runs_on: bool = False  # narrow page: it ends on a full unfinished line and the next block opens on a full unindented one
    after_picture: bool = False  # the block before it ends with a picture's note or photo credit (a picture stood there)
    after_close: bool = False  # the block before it ends with a credit or a bracketed end note: the text before is closed


def _raw_blocks(lines: list[str]) -> list[_Raw]:
    out: list[_Raw] = []
    start: int | None = None
    gap = 0
    for i, line in enumerate([*lines, ""], start=1):
        if line.strip():
            if start is None:
                start = i
        elif start is not None:
            out.append(_Raw(start, lines[start - 1 : i - 1], gap))
            start, gap = None, 1
        else:
            gap += 1
    for a, b in itertools.pairwise(out):
        a.gap_after = b.gap_before
    if out:
        out[-1].gap_after = 99
        out[0].gap_before = 99
    return out


def dense_page(raws: list[_Raw], width: int) -> bool:
    """Does the page run its paragraphs on without a blank line between them? Then a blank line
    after a finished sentence sets apart more than a paragraph (an article, a caption), and a
    group of title lines after it is a headline group, not stacked subheads. Told by the page's
    longer blocks: on such a page most of them hold a paragraph end inside (``clean._split_points``:
    a sentence-final short or indented line, or on a wide page a second line after a full stop)."""
    share = float(rules().layout["dense_page_share"])
    longer = [r for r in raws if len(r.lines) >= (4 if width else 2)]
    if len(longer) < 2:
        return False
    inside = sum(bool(clean.paragraph_starts(r.lines, width)) for r in longer)
    return inside >= share * len(longer)


def _notice_runs(raws: list[_Raw], width: int = 0) -> tuple[set[int], set[str]]:
    """Indices of raw blocks forming an editorial notice (a titled list of ``名称: 说明`` entries)
    and the column names such a list declares."""
    r = rules()
    picked: set[int] = set()
    labels: set[str] = set()
    i = 0
    while i < len(raws):
        run: list[int] = []
        entries: list[str] = []
        starts = 0  # lines that open a paragraph in the run
        j = i
        while j < len(raws):
            if len(raws[j].lines) == 1 and parse_folio(raws[j].lines[0]) is not None:
                break  # a folio line ends whatever stood before it
            raw_text = "\n".join(raws[j].lines)
            if ":" in raw_text or "：" in raw_text:  # an entry needs a colon: most blocks have none
                lines = [ln.strip() for ln in raws[j].lines]
                # an entry opens a line that starts a paragraph (not a narrow column's chance line start)
                found = [ln for k, ln in enumerate(lines) if _NOTICE_ENTRY.match(ln) and not ln.startswith(("*", "#"))
                         and (k == 0 or ends_sentence(lines[k - 1]) or len(lines[k - 1]) < 8)]
            else:
                found = []
            prev_open = bool(run) and not ends_sentence(raws[run[-1]].lines[-1])
            if not found and not prev_open:
                break
            run.append(j)
            entries.extend(found)
            lines = [ln.strip() for ln in raws[j].lines]
            starts += sum(1 for k, ln in enumerate(lines) if ln and (not width or k == 0 or ends_sentence(lines[k - 1]) or len(lines[k - 1]) < 8))
            j += 1
        if len(entries) >= 3 and len(entries) >= float(r.layout["notice_entry_share"]) * starts:  # (an article with labelled subheads is no list)
            title = i - 1
            titled = title >= 0 and title not in picked and len(_bare(_join(raws[title].lines))) <= 10 and is_title_like(_join(raws[title].lines))
            if titled:
                run.insert(0, title)
            # untitled, ``名称: 说明`` paragraphs are an article's own run-in heads (突出一条主线：…), unless one names a notice
            if titled or any(re.split("[:：]", _bare(e))[0] in r.notice_titles for e in entries):
                picked.update(run)
                labels.update(re.split("[:：]", _bare(e))[0] for e in entries)
        i = j + 1 if j > i else i + 1
    return picked, labels


def _group_pieces(lines: list[str], first: int, piece) -> list[_Piece]:
    """One piece per part of a headline group: kicker (引题), title, subtitle (副题)."""
    kicker, title, subtitle, confidence = resolve_group(lines)
    out: list[_Piece] = []
    k = 0
    if kicker is not None:
        out.append(piece(BlockKind.HEADLINE_KICKER, 0, 1))
        k = 1
    n_title = 2 if kicker is None and subtitle is None and len(lines) == 2 else 1  # one title on both lines
    head = piece(BlockKind.HEADLINE, 0, 2, [title]) if n_title == 2 else piece(BlockKind.HEADLINE, k, k + 1)
    head.block.confidence = confidence
    out.append(head)
    k += n_title
    if subtitle is not None and k < len(lines):
        out.append(piece(BlockKind.SUBTITLE, k, len(lines)))
    for p in out:
        p.title_like = False
    return out


def _split_raw(raw: _Raw, width: int, marked: bool = False) -> list[_Piece]:
    """Shape rules inside one blank-line block; several pieces when it holds a headline and its
    subtitle, a subhead line over its paragraph, a dateline, or a byline after the last sentence.
    ``marked``: the page marks its headlines with ``#``."""
    r = rules()
    lines = raw.lines
    text = _join(lines)
    first = raw.first
    narrow = width > 0

    def piece(kind: BlockKind, a: int, b: int, sub: list[str] | None = None) -> _Piece:
        chunk = sub if sub is not None else lines[a:b]
        blk = Block(kind=kind, first=first + a, last=first + b - 1, lines=chunk)
        p = _Piece(blk)
        joined = text if sub is None and a == 0 and b == len(lines) else _join(chunk)  # (usually the whole block)
        p.title_like = kind == BlockKind.BODY and is_title_like(joined)
        p.marked = joined.startswith("#")
        return p

    def piece_at(offset: int):
        """``piece`` for lines counted from ``offset`` (what ``_group_pieces`` numbers from 0)."""
        return lambda kind, a, b, sub=None: piece(kind, offset + a, offset + b, sub)

    bare = _bare(text) if len(text) <= 160 else text[:160]  # long blocks fail every short-block rule
    if len(lines) > 1:
        for k in (0, len(lines) - 1):  # a folio line printed against the text, no blank line between
            if (found := parse_folio(lines[k])) is not None:
                f0, f1 = k, k + 1
                if found.publication is None:  # the paper's name set on a line of its own: 经济日报 / 2025年9月18日 …
                    n = k + 1 if k == 0 else k - 1
                    both = parse_folio(f"{lines[min(k, n)]}  {lines[max(k, n)]}") if 0 <= n < len(lines) and len(_bare(lines[n])) <= 12 else None
                    if both is not None and both.publication is not None:
                        f0, f1 = min(k, n), max(k, n) + 1
                if f1 - f0 == len(lines):
                    return [piece(BlockKind.FOLIO, 0, len(lines))]
                a, b = (f1, len(lines)) if f0 == 0 else (0, f0)
                others = _split_raw(_Raw(first + a, lines[a:b], 0, 0), width, marked)
                folio = piece(BlockKind.FOLIO, f0, f1)
                return [folio, *others] if f0 == 0 else [*others, folio]
    elif parse_folio(lines[0]) is not None:
        return [piece(BlockKind.FOLIO, 0, 1)]
    group = _headline_lines(lines, width)
    set_apart = raw.after_end and (raw.before_credit or raw.dense or raw.after_picture or raw.after_close)
    if raw.runs_on or (group == len(lines) and raw.gap_before < 2 and not set_apart):
        group = 0  # short lines inside a text (stacked subheads, a subhead over a column-cut line), not a headline group
        # (after a picture's caption a headline group opens the next article: pictures stand between articles;
        # so does one after a closing credit or end note: the text above is signed off)
    if group and marked and _column_wrapped(lines[:group], width):
        group = 0  # a page that marks its headlines: unmarked lines the column wrapped are one text (a caption), not a group
    if group:
        out = _group_pieces(lines[:group], first, piece)
        if group < len(lines):
            out += _split_raw(_Raw(first + group, lines[group:], 0, 0), width, marked)
        return out
    if text.startswith("#"):
        return [piece(BlockKind.HEADLINE, 0, len(lines))]
    if bare.startswith(r.credit_openers) and len(bare) <= 80:
        return [piece(BlockKind.PAGE_CREDIT, 0, len(lines))]
    if bare in r.picture_notes:
        return [piece(BlockKind.PICTURE_NOTE, 0, len(lines))]
    kind = _byline_kind(text)
    if kind is not None:
        return [piece(kind, 0, len(lines))]
    if len(lines) == 1 and len(bare) <= 40 and r.source_line.match(bare):
        return [piece(BlockKind.SOURCE_NOTE, 0, 1)]  # 数据来源：国家统计局 — closes the text it stands under
    # headline + ——— subtitle in one block
    for k, line in enumerate(lines):
        if k > 0 and _DASHES.match(line.strip()) and len(_bare(line)) <= 40 and is_title_like(_join(lines[:k])) and _subtitle_tail(lines[k:]):
            head = piece(BlockKind.BODY, 0, k)
            head.title_like = True
            return [head, piece(BlockKind.SUBTITLE, k, len(lines))]
    if _DASHES.match(text) and len(bare) <= 40 and len(lines) == 1 and not ends_sentence(text):
        return [piece(BlockKind.SUBTITLE, 0, 1)]
    # 本报讯 (记者… 通讯员…)正文…, 本报北京5月31日电  （记者…）…, 【新华社延安十四日电】…
    opened = _opening(lines)
    if opened is not None:
        dateline, credit, line_no, rest = opened
        out = [piece(BlockKind.DATELINE, 0, line_no + 1, [dateline])]
        if credit:
            out.append(piece(BlockKind.BYLINE, 0, line_no + 1, [credit]))
        body_lines = ([rest] if rest.strip() else []) + lines[line_no + 1 :]
        if body_lines:
            body = piece(BlockKind.BODY, line_no if rest.strip() else line_no + 1, len(lines), body_lines)
            body.title_like = False
            out += _split_trailing(body)
        return out
    # a byline line over the text with no blank line between (本报记者 刘 洋 / 走进…): it stops short
    # of the text's first line, which fills its column or is a paragraph of its own
    if (len(lines) >= 2 and len(_bare(lines[0])) < len(_bare(lines[1])) and _byline_kind(lines[0]) == BlockKind.BYLINE
            and match_opening(lines[0]) is None):  # (本社记者王平报导： opens the text: a dateline, read below)
        return [piece(BlockKind.BYLINE, 0, 1), *_text_under(_Raw(first + 1, lines[1:], 0, 0), width)]
    new_article = _inner_article(lines)
    if new_article is not None:  # a page printed with no blank lines: headline and byline or dateline inside the text
        a, b, byline = new_article
        out = []
        if a:
            before = piece(BlockKind.BODY, 0, a)
            before.title_like = False
            out = _split_trailing(before)
        out += _group_pieces(lines[a:b], first + a, piece_at(a))
        if byline:
            out.append(piece(BlockKind.BYLINE, b, b + 1))
            b += 1
        return [*out, *_text_under(_Raw(first + b, lines[b:], 0, 0), width)]
    # wide pages: a short line over one long unfinished line, set apart after a finished text and
    # over a dateline or byline: a title over its long subtitle (副题), not a subhead over a paragraph
    long_deck = int(rules().layout["long_subtitle_min_chars"])
    if (not narrow and len(lines) == 2 and is_title_like(lines[0]) and not ends_sentence(lines[1]) and raw.gap_before >= 2
            and raw.after_end and raw.before_credit and long_deck < len(_bare(lines[1])) <= int(rules().layout["wide_head_max_chars"])):  # fmt: skip
        return _group_pieces(lines, first, piece)
    # wide pages: one line wholly a quotation that ends no sentence (“我们不仅是…的伙伴”): a speaker's
    # words printed over a section, a subhead (a paragraph quoting ends its sentence: “…。”); between
    # paragraphs only (a quoted headline stands apart, over its byline or dateline)
    if not narrow and len(lines) == 1 and _quoted_head(bare) and raw.gap_before < 2 and not (raw.before_credit or raw.after_close):
        return [piece(BlockKind.SUBHEAD, 0, 1)]
    # subhead line over its paragraph (wide pages: a paragraph is one long line)
    if not narrow and len(lines) >= 2 and is_title_like(lines[0]) and len(_bare(lines[1])) > len(_bare(lines[0])) + 8:
        head = piece(BlockKind.SUBHEAD, 0, 1)
        return [head, *_text_under(_Raw(first + 1, lines[1:], 0, 0), width)]
    inner = inner_subhead(lines, width)
    if inner is not None:  # a subhead between two paragraphs, no blank line around it
        a, b = inner
        before = piece(BlockKind.BODY, 0, a)
        before.title_like = False
        heads = [piece(BlockKind.SUBHEAD, a, b)] if narrow else [piece(BlockKind.SUBHEAD, k, k + 1) for k in range(a, b)]  # (a line each)
        return [*_split_trailing(before), *heads, *_text_under(_Raw(first + b, lines[b:], 0, 0), width)]
    body = piece(BlockKind.BODY, 0, len(lines))
    if len(lines) > 1 and body.title_like and narrow:
        body.title_like = len(bare) <= 24 and not column_run(lines, width) and not raw.runs_on
    return _split_trailing(body)


def _text_under(raw: _Raw, width: int) -> list[_Piece]:
    """The lines under a subhead, split by the same shape rules; what opens them is the
    paragraph the subhead heads (body text, whatever its length), never a title."""
    out = _split_raw(raw, width)
    if out and out[0].kind == BlockKind.BODY:
        out[0].title_like = False
    return out


def inner_subhead(lines: list[str], width: int) -> tuple[int, int] | None:
    """Lines ``a:b`` of a block that are a subhead printed between two paragraphs with no blank
    line around it: they follow a finished sentence, hold no sentence end themselves, are short
    enough for a subhead, do not end on clause punctuation, and a longer paragraph follows.
    On a wide page (a paragraph a line) the subhead is one line. In a narrow column it may wrap:
    its lines fill the column except its last, which stops clearly short of it (or the next line
    is printed indented) — a body line stops short only where its paragraph ends, on a full stop."""
    limit, quoted_limit = int(rules().layout["subhead_max_chars"]), int(rules().layout["quoted_subhead_max_chars"])
    for a in range(1, len(lines) - 1):
        if not ends_sentence(lines[a - 1]) and _BRACKETED.match(_bare(lines[a - 1])) is None:
            continue
        for b in range(a + 1, min(a + 4, len(lines) - 1) + 1):
            head = _join(lines[a:b])
            bare = _bare(head)
            quoted = bare.startswith("“") and bare.endswith("”") and bare.count("“") == 1  # a quotation as subhead runs longer
            if len(bare) > (quoted_limit if quoted else limit) or any(c in bare for c in "。！？!?"):
                break
            last, nxt = lines[b - 1].strip(), lines[b].strip()
            if not _head_line(head, 0) or ends_sentence(last) or not nxt or nxt[0] in clean.CONTINUATION_START:
                continue
            if width and _CUT_CHAR.match(nxt):  # ``…一条`` / ``街。省道…``: a word cut by the line end
                continue
            if not width:  # a line a paragraph: a subhead line, or two stacked (从分布式走向融合式 / 推动…跃迁)
                if len(_bare(nxt)) > len(bare) + 8:
                    return a, b
                if b == a + 1 and _head_line(nxt, 0) and not ends_sentence(nxt):
                    continue
                break
            if not all(clean.text_width(ln) >= width - 1 for ln in lines[a + 1 : b - 1]):
                break  # a wrapped subhead fills the column up to its last line
            # a paragraph's first line is two em short by its indent (printed, or lost: then a
            # one-line subhead must stop shorter still); a number is never split, so a line may
            # stop short where a number was carried whole onto the next line
            indent = clean.printed_indent(lines[b - 1])
            room = width - clean.text_width(last) - (2 if indent else 0)
            carried = re.match(r"[0-9A-Za-z.%]+", nxt)  # a number carried whole makes a line at most its width short
            short = room >= (3 if b - 1 == a and not indent else 2) and (carried is None or room > clean.text_width(carried.group(0)) + 2)
            if short or (clean.printed_indent(lines[b]) and (b - 1 > a or indent)):
                return a, b
    return None


def _inner_article(lines: list[str]) -> tuple[int, int, bool] | None:
    """Lines ``a:b`` of a block that are a new article's headline, and whether line ``b`` is its
    byline (else it opens with a dateline): after a finished paragraph, one to three short lines
    that end no sentence, then a byline line (``本报记者 陈 静``) over the text, or the text opening
    with a dateline (``【本报讯】…``: then the headline may also open the block). Pages printed
    with no blank lines at all set articles so."""
    ends = [ends_sentence(line) for line in lines]
    for b in range(1, len(lines)):
        if ends[b - 1] or not any(a == 0 or ends[a - 1] for a in range(max(0, b - 3), b)):
            continue  # (cheap tests first: a headline's last line ends no sentence, a finished text stands above it)
        if not is_title_like(lines[b - 1]):
            continue
        if b + 1 < len(lines) and _byline_kind(lines[b]) == BlockKind.BYLINE and len(_bare(lines[b])) < len(_bare(lines[b + 1])):
            byline = True
        elif (opened := match_opening(lines[b])) is not None and opened.dateline is not None and opened.credit != opened.dateline.text:
            byline = False
        else:
            continue
        for a in range(b - 1, max(0, b - 3) - 1, -1):
            if ends[a] or not is_title_like(lines[a]):
                break
            if (a >= 1 and ends[a - 1]) or (a == 0 and not byline):
                return a, b, byline
    return None


def _subtitle_tail(tail: list[str]) -> bool:
    """Lines from a dash on are a subtitle (``——记一位老师傅``), not a paragraph whose line break
    fell before a dash (``…类型庞杂`` / ``——村路、屯路…并存，…认可。``): short, no full stop at
    the end."""
    text = _join(tail)
    return len(_bare(text)) <= 48 and not ends_sentence(text)


def _opening(lines: list[str]) -> tuple[str, str, int, str] | None:
    """A dateline with its credit opening a block, read across narrow-column line breaks:
    (the dateline as printed, the credit, the index of the line where the story's own words
    begin, the rest of that line). A dateline without a credit stays in the text as printed.

    A narrow column often wraps a credit where its names were spaced (``侯书华`` / ``王磊)``):
    when the lines joined as they are give no credit, a line break inside the bracket is read
    as that space."""
    stripped = [line.strip() for line in lines[:4]]
    for spaced in (False, True):
        joined, starts = _join_lines(stripped, spaced)
        found = match_opening(joined, credit_ok=unbracketed_credit)
        end = found.end if found is not None else 0
        if found is None and " " in joined[:40]:
            closed, origin = _close_justified_head(joined)
            found = match_opening(closed, credit_ok=unbracketed_credit)
            end = origin[found.end] if found is not None and found.end < len(origin) else len(joined)
        if found is None or found.dateline is None or not found.credit or found.credit == found.dateline.text:
            return None
        credit = found.credit
        if credit[0] in "(（" and not is_byline_inner(credit[1:-1]):
            continue  # a bracket that is not a credit belongs to the story's first sentence
        for k, line in enumerate(stripped):
            if starts[k] + len(line) >= end:
                return found.dateline.text, credit, k, line[max(0, end - starts[k]) :]
        return None
    return None


def _join_lines(lines: list[str], spaced: bool) -> tuple[str, list[int]]:
    """Lines joined, and where each begins; ``spaced``: a space at a break inside a bracket."""
    joined, starts, depth = "", [], 0
    for line in lines:
        if spaced and depth > 0 and joined and line:
            joined += " "
        starts.append(len(joined))
        joined += line
        depth = max(0, depth + line.count("(") + line.count("（") - line.count(")") - line.count("）"))
    return joined, starts


def _close_justified_head(text: str) -> tuple[str, list[int]]:
    """``本 报 北 京 5 月 2 1 日 电    (记者刘温馨)…``, ``本 报讯(…``: the justification spaces of a dateline line
    closed up up to its credit's bracket (single spaces only: a wider gap sets the credit apart;
    spaces inside the credit may part names). Returns the text and, for each of its characters,
    its offset in ``text``."""
    out: list[str] = []
    origin: list[int] = []
    bracket = min((k for k in (text.find("("), text.find("（")) if k >= 0), default=len(text))
    for i, ch in enumerate(text):
        single = ch == " " and 0 < i < bracket and text[i - 1] != " " and i + 1 < len(text) and text[i + 1] != " "
        if not single:
            out.append(ch)
            origin.append(i)
    return "".join(out), origin


def _head_line(line: str, width: int) -> bool:
    """A line that may belong to a headline group: short, no sentence or clause end, not a credit."""
    t = line.strip()
    bare = _bare(t)
    # in narrow columns a line far wider than the column was set across columns: a headline line
    # (a long subtitle) may then run longer than a headline usually does
    limit = int(rules().layout["wide_head_max_chars"]) if width and clean.text_width(t) > width + 4 else 48
    if not 2 <= len(bare) <= limit or _NO_TITLE_END.search(bare) or "。" in bare or bare.startswith(("(", "（")):
        return False
    if bare.endswith(("）", ")")) and not (_COLUMN_TAG.search(bare) and len(bare) > 8):
        return False
    return _byline_kind(t) is None and not is_role_only(t) and parse_folio(t) is None and match_opening(t) is None


def _column_wrapped(lines: list[str], width: int) -> bool:
    """Narrow columns: every line but the last of the column's width (±1), none marked ``#``:
    one text the column wrapped (``金水区人口计生委开展“便`` / ``民惠民”活动``)."""
    return bool(width) and len(lines) > 1 and not any(ln.lstrip().startswith("#") for ln in lines) and all(
        abs(len(_bare(ln)) - width) <= 1 for ln in lines[:-1]
    )


def _headline_lines(lines: list[str], width: int) -> int:
    """How many leading lines of a block are a headline group (kicker, title, subtitle printed one
    under the other): 0 unless two or more such lines make the whole block, or one to three stand
    over a byline line (``本报记者  董丝雨``). Narrow-column text cut by a column break (lines all
    of the column's width) is not a headline."""
    if len(lines) < 2:
        return 0
    k = 0
    while k < min(len(lines), 4) and _head_line(lines[k], width):
        k += 1
    if k == 0:
        return 0
    if k < len(lines):
        nxt = lines[k].strip()
        return k if k <= 3 and (_byline_kind(nxt) == BlockKind.BYLINE or is_role_only(nxt)) else 0
    if k > 3 or column_run(lines, width):
        return 0
    return k


def runs_across_break(lines: list[str], nxt: list[str], width: int) -> bool:
    """A narrow column's text cut by a blank line mid-paragraph: the block ends on a line that fills
    the column without finishing a sentence, and the next block opens on a full line that is not
    indented (a paragraph, or the text under a headline, opens indented or two em short)."""
    if not width or not lines or not nxt:
        return False
    last, head = lines[-1], nxt[0]
    full = lambda ln: abs(clean.text_width(ln) - width) <= 1  # noqa: E731
    if not (full(last) and not ends_sentence(last) and full(head) and not clean.printed_indent(head)):
        return False
    if _byline_kind(head.strip()) is not None or is_role_only(head) or is_names_line(head):
        return False  # a byline under a headline group may fill the column too
    text = _join(lines)
    return _CLAUSE_MARK.search(text.translate(_WIDE_MARKS)) is not None or match_opening(text) is not None  # (title lines hold neither)


def column_run(lines: list[str], width: int) -> bool:
    """Narrow-column text, not a stack of title lines: every line fills the column (±1 em), or
    the first is printed indented (a paragraph's first line, two em short) and the others fill it.
    A headline is set across columns, not wrapped to the column's measure."""
    if not width or len(lines) < 2:
        return False
    if not all(abs(clean.text_width(ln) - width) <= 1 for ln in lines[1:]):
        return False
    first = clean.text_width(lines[0])
    if clean.printed_indent(lines[0]):
        return first <= width
    # lines of the column's width with not one punctuation mark among them are title lines that
    # happen to match it (上半年外贸运行观察 / 港口吞吐量稳步增长 / 集装箱航线持续加密)
    return abs(first - width) <= 1 and _CLAUSE_MARK.search(_join(lines).translate(_WIDE_MARKS)) is not None


def resolve_group(texts: list[str]) -> tuple[str | None, str, str | None, float]:
    """A headline group's lines → (kicker, main title, subtitle, confidence). A line opening with a
    dash is the subtitle; a first line ending with a dash, a colon or a reporting verb (``…强调``,
    ``…显示——``) is the kicker, as is a first line over a title that ends with its column tag
    (``…（经济聚焦）``); of three lines the middle one is the title. Two plain lines that no rule
    tells apart stay together as the title (confidence 0.5, for review)."""
    lines = [t.strip() for t in texts if t.strip()]
    subtitle = None
    if len(lines) > 1 and _DASHES.match(lines[-1]):
        subtitle = lines.pop().lstrip("—－-─ \u3000").strip()
    if len(lines) == 1:
        return None, lines[0], subtitle, 0.9
    if len(lines) >= 3:
        return lines[0], lines[1], subtitle or "  ".join(lines[2:]), 0.8
    a, b = lines
    bare_a, bare_b = _bare(a), _bare(b)
    if subtitle is None and bare_b[:1] in rules().wrapped_title_starts:
        return None, f"{a}{b}", None, 0.8  # 推动…融合发展 / 的若干措施出台: one title the line wrapped
    if len(bare_a) == len(bare_b) <= 8 and not _KICKER_END.search(bare_a):
        return None, f"{a}  {b}", None, 0.75  # 以茶兴业 / 鲜叶生金: a title of two matched phrases set on two lines
    if subtitle is None and _COLUMN_TAG.search(bare_b) and not _KICKER_END.search(bare_a) and len(bare_a) <= int(rules().layout["title_phrase_max_chars"]):
        # 假期住酒店 / 怎样更安全（服务窗）: one title printed on two lines, or a kicker over it
        return None, f"{a}  {b}", None, 0.5
    if _KICKER_END.search(bare_a) or len(bare_a) <= 5:
        return a, b, subtitle, 0.85
    if subtitle is None and len(bare_b) > int(rules().layout["long_subtitle_min_chars"]) and len(bare_a) < len(bare_b) and not _COLUMN_TAG.search(bare_b):
        return None, a, b, 0.7  # a title over a line longer than titles run: its subtitle (副题)
    if subtitle is None and _COLUMN_TAG.search(bare_b) and not _COLUMN_TAG.search(bare_a):
        return a, b, None, 0.75
    if subtitle is None and _COLUMN_TAG.search(bare_a) and not _COLUMN_TAG.search(bare_b):
        return None, a, b, 0.75
    if subtitle is not None:
        return a, b, subtitle, 0.7
    return None, f"{a}  {b}", None, 0.5


def _split_trailing(p: _Piece) -> list[_Piece]:
    """``…观念。 (潘鹏)``: a byline printed after the paragraph's last sentence becomes its own block,
    also when a narrow column wrapped it (``…动。（晚报记者 何 畅`` / ``整理）``)."""
    blk = p.block
    if blk.kind != BlockKind.BODY or not blk.lines:
        return [p]
    if not blk.lines[-1].rstrip(_SPACES + "\n").endswith((")", "）")):
        return [p]  # a trailing credit ends with a closing bracket; most blocks do not
    tail_lines = blk.lines[-int(rules().layout["credit_max_lines"]) :]
    joined = "".join(line.strip() for line in tail_lines)
    start = max(joined.rfind("("), joined.rfind("（"))
    if start < 0:
        return [p]
    inner = joined[start + 1 : -1].strip()
    before = joined[:start].rstrip(_SPACES)
    if len(blk.lines) == 1 and len(_bare(before)) <= 30 and not before.endswith(("。", "。”")):
        return [p]  # ``“前额叶受损”，到底是啥？（服务窗）``: a short line and its tag, a title
    kind = BlockKind.SOURCE_NOTE if inner.startswith(rules().source_openers) else BlockKind.BYLINE if is_byline_inner(inner) else None
    if kind is None or (before and not ends_sentence(before)) or (not before and len(tail_lines) == len(blk.lines)):
        return [p]
    # map the bracket's offset back to a line of the block
    offset = len(blk.lines) - len(tail_lines)
    used = 0
    for k, line in enumerate(tail_lines):
        stripped = line.strip()
        if used + len(stripped) > start:
            cut = start - used
            lead = line[: len(line) - len(line.lstrip())]
            head, rest, line_no = (lead + stripped[:cut]).rstrip(_SPACES), stripped[cut:], offset + k
            break
        used += len(stripped)
    else:
        return [p]
    body_lines = [*blk.lines[:line_no], *([head] if head.strip() else [])]
    if not body_lines:
        return [p]
    credit_lines = [rest, *blk.lines[line_no + 1 :]]
    p.block = Block(kind=BlockKind.BODY, first=blk.first, last=blk.first + len(body_lines) - 1, lines=body_lines)
    p.title_like = False
    tail = _Piece(Block(kind=kind, first=blk.first + line_no, last=blk.last, lines=credit_lines), gap_before=0, gap_after=p.gap_after)
    return [p, tail]


_CLOSING = {BlockKind.BYLINE, BlockKind.SOURCE_NOTE}
_FURNITURE = {BlockKind.CAPTION, BlockKind.PICTURE_NOTE, BlockKind.KICKER, BlockKind.NOTICE, BlockKind.PAGE_CREDIT, BlockKind.PAGE_TITLE, BlockKind.FOLIO}
_HEADS = {BlockKind.HEADLINE, BlockKind.HEADLINE_KICKER, BlockKind.SUBTITLE}


def _continuation_start(text: str) -> bool:
    """The next block begins with the tail of a cut word: ``务。计生服务站…``, ``体，把有关…``."""
    t = _bare(text[:20])
    return bool(_CUT_WORD.match(t)) and not rules().opener.match(t)


def _place_start(bare: str) -> bool:
    """The line opens with a place-shaped name (up to four characters and an administrative unit:
    ``河湾村…``, ``盐城市…``), not with a common word ending like one (``崭新城市…``, ``乡村振兴…``)
    unless the gazetteer lists the whole start as a place."""
    m = rules().place_start.match(bare)
    if m is None:
        return False
    start = m.group(0)
    if not start.endswith(rules().common_unit_words):
        return True
    from .region import gazetteer  # (loaded once; only for the rare start that ends like a common word)

    return start in gazetteer().forms


def _quoted_head(bare: str) -> bool:
    """A line wholly one quotation with no sentence end (``“…的伙伴”``), as long as a quoted subhead runs."""
    return (
        bare.startswith("“") and bare.endswith("”") and bare.count("“") == 1 and len(bare) <= int(rules().layout["quoted_subhead_max_chars"])
        and not any(c in bare for c in "。！？!?…")
    )  # fmt: skip


def _set_across(p: _Piece, width: int) -> bool:
    """Narrow columns: a line of the piece is more than 4 em wider than the column. It was set
    across columns (a headline), so it is no fragment of a paragraph the column cut."""
    return bool(width) and any(clean.text_width(ln) > width + 4 for ln in p.block.lines)


def _tag_headed(p: _Piece) -> bool:
    """One short line ending with a bracket after a title-shaped head: ``工业旅游要有内涵和温度（纵横）``
    (whether the bracket is a column tag or a name is told by what stands under it)."""
    if len(p.block.lines) != 1:
        return False
    bare = _bare(p.text).replace("(", "（").replace(")", "）")
    m = _COLUMN_TAG.search(bare)
    return m is not None and is_title_like(bare[: m.start()].rstrip("？！?!"))


def _heads_text_below(p: _Piece, nxt: _Piece | None) -> bool:
    """A short unpunctuated line (or a title ending with its column tag, whose bracket may read as
    a name: ``靠企吃企受严惩（监督哨）``) printed right over a much longer text, no blank line
    between: that text's headline. A caption stands apart from the text around it: a short line
    set off by two blank lines above but close over a longer text below stands apart from what
    precedes only, as a headline does (``从“单点突破”到“体系跃迁”  车联天下探索…`` after a picture)."""
    if nxt is None or nxt.kind != BlockKind.BODY or nxt.gap_before > 1:
        return False
    if p.title_like:
        below, head = len(_bare(nxt.text)), len(_bare(p.text))
        # much longer; or opening with a dateline; or longer and running on past a column break; or
        # longer and the line set apart from what stands above it
        return below > 2 * head + 20 or (
            below > head + 8 and (match_opening(nxt.text) is not None or not ends_sentence(nxt.text) or p.gap_before >= 2)
        )
    # a title and its tag over any longer text (a column break may cut that text short)
    return _tag_headed(p) and len(_bare(nxt.text)) > len(_bare(p.text))


def _ends_with_note(p: _Piece) -> bool:
    """The piece ends with a bracket after a finished sentence: an end note or credit (``（完）``,
    ``（作者为…）``), also when a narrow column wrapped it over two lines."""
    text = _bare(p.text)
    if _BRACKETED.match(text):
        return True
    if not text.endswith(("）", ")")):
        return False
    start = max(text.rfind("（"), text.rfind("("))
    # (or after a photo credit: 许丛军摄（影像中国）, the credit and the picture column's tag)
    return start > 0 and _BRACKETED.match(text[start:]) is not None and (ends_sentence(text[:start]) or _photo_credit_line(text[:start]))


def _in_subhead_series(pieces: list[_Piece], i: int) -> bool:
    """Piece ``i`` opens like a subhead the running text already printed since its headline: both
    with a label or a number (``上海：…`` after ``深圳：…``, ``二、…`` after ``一、…``). Subheads
    come in series, so a line of the same form is one more of them, not a new article's headline
    (whose other evidence, a time-phrase opening under it, is weak)."""
    series = rules().subhead_series
    if not series.match(_bare(pieces[i].text)):
        return False
    for q in reversed(pieces[:i]):
        if q.kind == BlockKind.SUBHEAD and series.match(_bare(q.text)):
            return True
        if q.kind in _HEADS or q.kind in _CLOSING or q.kind in _FURNITURE:
            return False
    return False


def _decide(pieces: list[_Piece], width: int, marked_page: bool, labels: set[str]) -> None:
    """Context rules for pieces whose shape alone does not say what they are."""
    r = rules()
    n = len(pieces)
    narrow = width > 0
    # a line of names only, right under a headline: the byline (王  亮, 孙龙飞  闫思齐)
    for i, p in enumerate(pieces):
        prev = pieces[i - 1] if i > 0 else None
        under_head = prev is not None and (
            prev.kind in _HEADS
            or (prev.kind == BlockKind.BODY and (prev.title_like or _tag_headed(prev)) and len(prev.block.lines) <= 2 and not column_label(prev.text, labels))
        )
        names = len(p.block.lines) == 1 and is_names_line(p.block.lines[0]) and _bare(p.text) not in r.notice_titles  # (编者按 names no one)
        if p.kind == BlockKind.BODY and under_head and i + 1 < n and names:
            p.block.kind = BlockKind.BYLINE
            p.notes.append("names under a headline")
        tag_over_byline = p.kind == BlockKind.BYLINE and not _BRACKETED.match(p.text.strip())
        if tag_over_byline and prev is not None and prev.kind == BlockKind.BODY and _tag_headed(prev):
            prev.title_like = True  # 工业旅游要有内涵和温度（纵横） over its byline: the bracket is a column tag
    # captions: set off by two or more blank lines, or credited as a photo
    for i, p in enumerate(pieces):
        if p.kind != BlockKind.BODY or p.marked:
            continue
        nxt = pieces[i + 1] if i + 1 < n else None
        text = p.text
        if nxt is not None and nxt.kind == BlockKind.SUBTITLE:
            continue  # a headline over its ——subtitle, not a caption
        credit_after = nxt is not None and nxt.kind in (BlockKind.BYLINE, BlockKind.DATELINE) and not is_photo_credit(nxt.text)
        if credit_after and not ends_sentence(text) and len(p.block.lines) <= 3:
            continue  # a headline over its byline or dateline, not a caption
        if _heads_text_below(p, nxt):
            p.title_like = True  # (``靠企吃企受严惩（监督哨）``: the bracket is a column tag, not a photo credit)
            continue  # a short unpunctuated line right over a longer text: its headline, not a caption
        if len(text) > 260:
            continue
        credited = nxt is not None and nxt.kind == BlockKind.BYLINE and is_photo_credit(nxt.text) and nxt.gap_before >= 1
        if not credited and p.gap_before < 2:
            continue  # (most pieces) each test below needs a photo credit or two blank lines before
        bare = _bare(text)
        isolated = i > 0 and p.gap_before >= 2 and len(bare) <= 200 and len(p.block.lines) <= 3
        if (isolated or (credited and len(bare) <= 200) or ("图为" in bare and len(bare) <= 200 and p.gap_before >= 2)) and not column_label(text, labels):
            p.block.kind = BlockKind.CAPTION
            p.notes.append("set off by blank lines" if isolated else "followed by a photo credit")
            if nxt is not None and credited:
                nxt.notes.append("photo credit")
    # page title: a title line next to the page credit, at the page's start or end
    for i, p in enumerate(pieces):
        if p.kind != BlockKind.PAGE_CREDIT:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < n and pieces[j].kind == BlockKind.BODY and pieces[j].title_like and not pieces[j].marked:
                edge = all(q.kind in _FURNITURE | {BlockKind.PAGE_CREDIT} for q in pieces[max(i, j) + 1 :]) or all(
                    q.kind in _FURNITURE for q in pieces[: min(i, j)]
                )
                if edge:
                    pieces[j].block.kind = BlockKind.PAGE_TITLE
    # short unpunctuated lines: label, headline, subhead or body fragment
    for i, p in enumerate(pieces):
        if p.kind != BlockKind.BODY or not p.title_like:
            continue
        prev = pieces[i - 1] if i > 0 else None
        nxt = pieces[i + 1] if i + 1 < n else None
        if column_label(p.text, labels):
            p.block.kind = BlockKind.KICKER
            continue
        if _SECTION_LABEL.match(_bare(p.text)) and match_opening(_bare(p.text)) is None and prev is not None:
            p.block.kind = BlockKind.SUBHEAD  # 【镜头】, 【记者手记】: a label over a section of the text it stands in
            continue
        if marked_page:
            p.block.kind = BlockKind.SUBHEAD if prev is not None and prev.kind in (BlockKind.BODY, BlockKind.SUBHEAD) else BlockKind.HEADLINE
            continue
        prev_body = prev is not None and prev.kind in (BlockKind.BODY, BlockKind.SUBHEAD, BlockKind.DATELINE)
        if narrow and prev_body and prev is not None and not prev.title_like and not ends_sentence(prev.text) and not _ends_with_note(prev):
            continue  # a column break cut a sentence: stays body, rejoined below
        strong = (
            prev is None
            or prev.kind in _CLOSING
            or prev.kind in _FURNITURE
            or prev.kind == BlockKind.HEADLINE
            or nxt is None
            or nxt.kind in (BlockKind.DATELINE, BlockKind.SUBTITLE, BlockKind.KICKER, BlockKind.NOTICE)
            or (nxt.kind == BlockKind.BYLINE and _MARK_BYLINE.match(nxt.text) is not None)
            or (prev.kind == BlockKind.BODY and _ends_with_note(prev))  # after an end note: （完）, （赵宏笙对本文亦有贡献）
            or (nxt.kind == BlockKind.BODY and match_opening(nxt.text) is not None)  # over a dateline: 本社记者王平报导：
            or (nxt.kind == BlockKind.BYLINE and nxt.gap_before <= 1 and not is_photo_credit(nxt.text) and not _BRACKETED.match(nxt.text.strip()))
        )
        after_end = prev is not None and (ends_sentence(prev.text) or _ends_with_note(prev))
        if not strong and after_end and _set_across(p, width) and nxt is not None and nxt.kind == BlockKind.BODY and not p.marked:
            strong = True  # set across narrow columns after a finished text: a headline (a subhead keeps to its column)
        if not strong and p.gap_before >= 2 and after_end and nxt is not None and nxt.kind in (BlockKind.BODY, BlockKind.BYLINE) and not p.marked:
            strong = len(_bare(nxt.text)) > len(_bare(p.text)) + 8  # set apart above a longer text: a new article
        if strong:
            p.block.kind = BlockKind.HEADLINE
            continue
        nxt_text = nxt.text if nxt is not None else ""
        if nxt is not None and nxt.kind == BlockKind.BODY and _continuation_start(nxt_text) and not _set_across(p, width):
            continue  # "开展生殖健康检查服" + "务。…": one paragraph cut by a column break
        bare = _bare(p.text)
        if _tagged_title(bare) and len(p.block.lines) == 1:
            p.block.kind = BlockKind.HEADLINE  # …（聚焦亚沙会）: a column tag is printed on headlines, not on subheads
        elif _COMMA.search(bare):
            p.block.kind = BlockKind.SUBHEAD
        elif (r.opener.match(_bare(nxt_text[:20])) or _place_start(bare)) and not _in_subhead_series(pieces, i):
            p.block.kind = BlockKind.HEADLINE
        else:
            p.block.kind = BlockKind.SUBHEAD


def _finish(block: Block) -> Block:
    """Join and clean one block's lines; fixes stay on the block with their source lines."""
    if block.kind in (BlockKind.BYLINE, BlockKind.PAGE_CREDIT):
        text, fixes = clean.clean_lines(block.lines, block.first, byline=True)
    else:
        text, fixes = clean.clean_lines(block.lines, block.first)
    if block.kind in (BlockKind.HEADLINE, BlockKind.HEADLINE_KICKER, BlockKind.SUBTITLE, BlockKind.SUBHEAD, BlockKind.CAPTION):
        tokens = _join(block.lines).lstrip("#").split()
        if 2 <= len(tokens) <= 4 and all(len(t) >= 2 for t in tokens):
            # "发挥…作用 形成强大合力": a space between phrases of a title is the layout's, keep one
            text, fixes = clean.clean_lines(block.lines, block.first, byline=True)
    if block.kind == BlockKind.SUBTITLE:
        text = text.lstrip("—－-─ \u3000").strip()
    block.text = text
    block.fixes = [*block.fixes, *fixes]
    return block


def _segment(page: Page) -> tuple[list[Block], set[str]]:
    _byline_kind.cache_clear()  # its answers hold for one page (see there)
    raws = _raw_blocks(page.lines)
    width = clean.column_width(page.lines)
    marked_page = any(line.lstrip().startswith("#") for line in page.lines)
    notice_idx, labels = _notice_runs(raws, width)
    dense = dense_page(raws, width)
    pieces: list[_Piece] = []
    for i, raw in enumerate(raws):
        after_folio = bool(i) and len(raws[i - 1].lines) == 1 and parse_folio(raws[i - 1].lines[0]) is not None
        if after_folio:
            raw.gap_before = max(raw.gap_before, 2)  # after the folio a page's first text begins
        last = raws[i - 1].lines[-1].strip() if i else ""
        tail = _bare(_join(raws[i - 1].lines[-int(rules().layout["credit_max_lines"]) :])) if i else ""
        tail = tail[max(tail.rfind("（"), tail.rfind("(")) :]  # a bracket closing the block, perhaps wrapped
        raw.after_picture = bool(i) and (_bare(last) in rules().picture_notes or is_photo_credit(last) or _photo_credit_line(last))
        raw.after_close = bool(i) and (_byline_kind(last) is not None or _BRACKETED.match(tail) is not None)
        raw.after_end = (
            not i or after_folio or ends_sentence(last) or raw.after_close or raw.after_picture
            or rules().source_line.match(_bare(last)) is not None or _sign_off_line(last)
        )  # a sentence, a credit, an end note, a picture's note or an editor's signature (——编  者) ends there
        if i + 1 < len(raws):
            head = raws[i + 1].lines[0].strip()
            raw.before_credit = (
                _byline_kind(head) == BlockKind.BYLINE or is_role_only(head) or (is_names_line(head) and len(raws[i + 1].lines) == 1)
                or match_opening(_join(raws[i + 1].lines[:3])) is not None  # (a narrow column wraps the dateline)
            )
        raw.dense = dense
        raw.runs_on = i + 1 < len(raws) and runs_across_break(raw.lines, raws[i + 1].lines, width)
        if i in notice_idx:
            blk = Block(kind=BlockKind.NOTICE, first=raw.first, last=raw.first + len(raw.lines) - 1, lines=raw.lines)
            pieces.append(_Piece(blk, raw.gap_before, raw.gap_after))
            continue
        split = _split_raw(raw, width, marked_page)
        split[0].gap_before = raw.gap_before
        split[-1].gap_after = raw.gap_after
        for mid in split[1:]:
            mid.gap_before = 0
        pieces.extend(split)
    _decide(pieces, width, marked_page, labels)
    blocks = [p.block for p in pieces]
    measured = page.facsimile is not None and bool(page.facsimile.boxes)  # text laid out from OCR coordinates
    blocks = clean.rejoin_blocks(blocks, width, gaps_measured=measured)
    return [_finish(b) for b in blocks], labels


def segment_blocks(page: Page) -> list[Block]:
    """Every block of the page, typed and cleaned, in source order."""
    return _segment(page)[0]


# --- pass 2: articles -----------------------------------------------------------------------------


def _bigrams(text: str) -> set[str]:
    t = _NOT_TEXT.sub("", text)
    return {t[i : i + 2] for i in range(len(t) - 1)}


def provisional_title(text: str, limit: int = 24) -> str:
    """A title taken from the article's own first sentence: its leading time phrase dropped, cut at
    a clause boundary; never a word that is not in the text."""
    sentence = _split_outside_quotes(text, "。！？!?")[0]
    clauses = [c for c in _split_outside_quotes(sentence, "，,；;：:") if c.strip()]
    if len(clauses) > 1 and len(_bare(clauses[0])) <= 8 and (rules().opener.match(_bare(clauses[0])) or _TIME_CLAUSE.search(_bare(clauses[0]))):
        clauses = clauses[1:]
    title = ""
    for c in clauses:
        if len(title) >= 8:
            break
        title = f"{title}，{c}" if title else c
    title = title.strip()
    return title if len(title) <= limit else title[:limit] + "…"


def caption_title(text: str) -> str:
    """A caption's own first sentence is its title when short enough, else a provisional cut."""
    first = _split_outside_quotes(text, "。！？!?")[0].strip()
    return first if len(first) <= 40 else provisional_title(text, 40)


def _split_outside_quotes(text: str, marks: str) -> list[str]:
    """Split at any of ``marks`` that is not inside “…” or 《…》 (a quoted slogan keeps its commas)."""
    out, buf, depth = [], "", 0
    for ch in text:
        if ch in "“《「":
            depth += 1
        elif ch in "”》」":
            depth = max(0, depth - 1)
        if ch in marks and depth == 0:
            out.append(buf)
            buf = ""
        else:
            buf += ch
    out.append(buf)
    return out


def _new(page: Page, items: list[Article], kind: str = "article") -> Article:
    item = Article(page=page, seq=0, type=kind)
    items.append(item)
    return item


def _add_paragraph(item: Article, block: Block, firsts: dict[int, list[int]]) -> None:
    item.paragraphs.append(block.text)
    firsts.setdefault(id(item), []).append(block.first)


def group_articles(page: Page, blocks: list[Block], labels: set[str] | None = None) -> list[Article]:
    """Blocks → articles, captions and notices in reading order (see the module docstring)."""
    items: list[Article] = []
    firsts: dict[int, list[int]] = {}
    current: Article | None = None
    closed = True
    pending_labels: list[Block] = []
    pending_subhead: str | None = None
    caption: Article | None = None  # the caption a following photo credit belongs to
    last_target: Article | None = None  # the item the previous block went to
    heads: set[int] = set()  # items whose label was printed before them
    prev_block: Block | None = None

    def attach_label(item: Article, label: Block, confidence: float, why: NoteCode) -> None:
        if item.column is None:
            item.column, item.column_confidence = label.text, confidence
            item.notes.append(notes.note(why, label=label.text, line=label.first))
        item.blocks.append(label)

    def start(block: Block | None) -> Article:
        nonlocal current, closed, pending_subhead
        item = _new(page, items)
        current, closed, pending_subhead = item, False, None
        if pending_labels:
            nearest = pending_labels[-1]
            heads.add(id(item))
            attach_label(item, nearest, 0.9 if block is not None else 0.75, "label_before_headline" if block is not None else "label_before_body")
            pending_labels.clear()
        return item

    for n_block, block in enumerate(blocks):
        k = block.kind
        prev_dateline = blocks[n_block - 1] if n_block and blocks[n_block - 1].kind == BlockKind.DATELINE else None
        last_target = next((i for i in reversed(items) if i.blocks and i.blocks[-1] is prev_block), None) if prev_block is not None else None
        prev_block = block
        if k != BlockKind.BYLINE:
            caption = None if k not in (BlockKind.CAPTION,) else caption
        if k == BlockKind.HEADLINE:
            if current is not None and not current.paragraphs and current.title and not closed:
                current.notes.append(notes.note("headline_without_text"))
            if not (current is not None and not current.title and not current.paragraphs and not closed):
                start(block)  # (otherwise a byline or label printed above this headline already opened it)
            assert current is not None
            current.title = block.text
            current.blocks.append(block)
        elif k == BlockKind.HEADLINE_KICKER:
            if not (current is not None and not current.title and not current.paragraphs and not closed and current.kicker is None):
                start(block)
            assert current is not None
            current.kicker = block.text
            current.blocks.append(block)
        elif k == BlockKind.SUBTITLE and current is not None and not closed and current.paragraphs and _sign_off(block):
            # ``——编  者`` under the text: the signature of an editor's note, a line of the text as
            # printed (what follows may still belong to the text: the feature the note introduces)
            block.kind = BlockKind.BODY
            block.text, block.fixes = clean.clean_lines(block.lines, block.first)
            current.blocks.append(block)
            _add_paragraph(current, block, firsts)
        elif k == BlockKind.SUBTITLE:
            if current is None or closed:
                start(None)
            assert current is not None
            current.subtitle = block.text
            current.blocks.append(block)
        elif k == BlockKind.KICKER:
            if current is not None and not closed and current.title and not current.paragraphs and not pending_labels:
                attach_label(current, block, 0.8, "label_after_headline")
            elif current is not None and last_target is current and current.paragraphs and current.column is None and not pending_labels:
                # printed right after this article's last line, nothing between: on these pages a
                # label may close its article; a second label, if any, heads the next one
                attach_label(current, block, 0.55, "label_after_end")
                closed = True
            else:
                pending_labels.append(block)
        elif k in (BlockKind.CAPTION, BlockKind.PICTURE_NOTE):
            cap = _new(page, items, "caption")
            cap.blocks.append(block)
            cap.paragraphs.append(block.text)
            cap.title = caption_title(block.text)
            caption = cap
        elif k == BlockKind.NOTICE:
            if items and items[-1].type == "notice" and items[-1].last_line < block.first and items[-1].blocks[-1] is blocks[blocks.index(block) - 1]:
                note = items[-1]
            else:
                note = _new(page, items, "notice")
            note.blocks.append(block)
            for line in block.lines:
                if not line.strip():
                    continue
                text = clean.clean_lines([line], block.first + block.lines.index(line))[0]
                if not note.title and len(_bare(text)) <= 10 and is_title_like(text):
                    note.title = text
                elif note.paragraphs and not ends_sentence(note.paragraphs[-1]) and not _NOTICE_ENTRY.match(line.strip()):
                    note.paragraphs[-1] += text
                else:
                    note.paragraphs.append(text)
        elif k in (BlockKind.PAGE_CREDIT, BlockKind.PAGE_TITLE, BlockKind.FOLIO):
            continue
        elif k == BlockKind.BYLINE and caption is not None and (is_photo_credit(block.text) or block.first == caption.last_line):
            caption.blocks.append(block)  # the photo credit belongs to its caption
            caption = None
        elif k in (BlockKind.BYLINE, BlockKind.SOURCE_NOTE):
            if current is None or (closed and k == BlockKind.BYLINE):
                # a byline with nothing open before it heads the next text
                start(None)
            assert current is not None
            if k == BlockKind.BYLINE and prev_dateline is None and not closed and _signed_by_others(current, block):
                split = _split_at_last_subhead(current, firsts)
                if split is not None:  # the text was signed at its top: this second signature closes another text
                    items.insert(items.index(current) + 1, split)
                    current = split
            current.blocks.append(block)
            if current.paragraphs and not _reprinted_opening(current, prev_dateline):
                closed = True
            if k == BlockKind.SOURCE_NOTE:
                _add_paragraph(current, block, firsts)
        else:  # BODY, DATELINE, SUBHEAD
            if current is None or closed or pending_labels:
                # a column label between two texts heads a new (untitled) article
                start(None)
            assert current is not None
            current.blocks.append(block)
            if k == BlockKind.SUBHEAD:
                pending_subhead = f"{pending_subhead} {block.text}" if pending_subhead else block.text
                current.subheads[len(current.paragraphs)] = pending_subhead
            elif k == BlockKind.DATELINE:
                pending_subhead = None
                current.notes.append(notes.note("dateline_opens_body", dateline=block.text))
            else:
                pending_subhead = None
                prev = current.blocks[-2] if len(current.blocks) >= 2 else None
                if prev is not None and prev.kind == BlockKind.BYLINE and len(current.blocks) >= 3 and current.blocks[-3].kind == BlockKind.DATELINE:
                    # 本报讯 (…)正文: the dateline word stays in the text, the byline is metadata
                    block_text = f"{current.blocks[-3].text}\u3000{block.text}"
                    current.paragraphs.append(block_text)
                    firsts.setdefault(id(current), []).append(block.first)
                else:
                    _add_paragraph(current, block, firsts)
    _spread_series(items)
    _spread_forward(items, heads)
    for label in pending_labels:
        target = next((i for i in reversed(items) if i.type == "article"), None)
        if target is not None:
            attach_label(target, label, 0.5, "label_page_end")
    _finalise(items, firsts)
    return items


def _sign_off(block: Block) -> bool:
    """A dash line printed under a paragraph (``——编  者``, ``——编辑部``): one short line, no
    punctuation, printed after text rather than under a headline: a signature, not a subtitle."""
    return len(block.lines) == 1 and _sign_off_words(block.lines[0])


def _sign_off_line(line: str) -> bool:
    """A signature line (``——编  者``) standing alone: a dash, then what ``_sign_off_words`` allows."""
    return _DASHES.match(line.strip()) is not None and _sign_off_words(line)


def _sign_off_words(line: str) -> bool:
    """After its dash, a signature holds 1 to 8 characters and no punctuation."""
    bare = _bare(line.strip()).lstrip("—－-─")
    return 1 <= len(bare) <= 8 and _CLAUSE_MARK.search(bare) is None


def _photo_credit_line(line: str) -> bool:
    """A credit line ending with a photo word (``本报记者  屈  佩摄``, ``新华社发  张三摄影``)."""
    t = line.strip()
    return len(t) <= 48 and t.endswith(byline_rules().photo_credit_words) and _byline_kind(t) == BlockKind.BYLINE


def _signed_by_others(item: Article, byline: Block) -> bool:
    """The article already carries a byline naming other people than ``byline`` does (a top byline
    ``本社特派记者  李原`` and now ``（特派记者 赵明）`` after a later paragraph). A photo credit or a
    helpers' note does not sign a text."""
    text = " ".join(ln.strip() for ln in byline.lines)
    if is_photo_credit(text) or contributors(text):
        return False
    names = {a.name for a in parse_byline(text)}
    if not names:
        return False
    for b in item.blocks:
        if b.kind == BlockKind.BYLINE:
            earlier = " ".join(ln.strip() for ln in b.lines)
            if is_photo_credit(earlier) or contributors(earlier):
                continue
            before = {a.name for a in parse_byline(earlier)}
            if before and not before & names:
                return True
    return False


def _split_at_last_subhead(item: Article, firsts: dict[int, list[int]]) -> Article | None:
    """Cut ``item`` at its last subhead, which becomes the headline of a new article holding the
    paragraphs from there on; None when it has no subhead after its first paragraph. Told by a
    second signature (``_signed_by_others``): on a page with one blank line between paragraphs and
    between articles, a headline with no byline under it reads as a subhead until then."""
    at = max((n for n in item.subheads if n > 0), default=None)
    lines = firsts.get(id(item), [])
    if at is None or len(lines) != len(item.paragraphs):
        return None
    heads = [i for i, b in enumerate(item.blocks) if b.kind == BlockKind.SUBHEAD]
    if not heads:
        return None
    b_at = heads[-1]
    while b_at > 0 and item.blocks[b_at - 1].kind == BlockKind.SUBHEAD:
        b_at -= 1  # stacked subhead lines: one headline group
    new = Article(page=item.page, seq=0, type="article")
    new.title = item.subheads.pop(at)
    for b in item.blocks[b_at:]:
        if b.kind == BlockKind.SUBHEAD and b.first <= item.blocks[heads[-1]].first:
            b.kind = BlockKind.HEADLINE
    new.blocks, item.blocks = item.blocks[b_at:], item.blocks[:b_at]
    new.paragraphs, item.paragraphs = item.paragraphs[at:], item.paragraphs[:at]
    new.subheads = {n - at: t for n, t in item.subheads.items() if n > at}
    item.subheads = {n: t for n, t in item.subheads.items() if n < at}
    firsts[id(new)], firsts[id(item)] = lines[at:], lines[:at]
    new.notes.append(notes.note("subhead_split", title=new.title))
    return new


def _reprinted_opening(item: Article, dateline: Block | None) -> bool:
    """A dateline and credit printed again inside the article they opened (an OCR repeat of the
    first paragraph): the same dateline word for word, its credit after it. It does not close the
    article; the repeated paragraph is removed with the other repeats."""
    return dateline is not None and bool(item.paragraphs) and item.paragraphs[0].startswith(dateline.text) and any(
        b.kind == BlockKind.DATELINE and b.text == dateline.text and b is not dateline for b in item.blocks
    )


def _spread_forward(items: list[Article], heads: set[int]) -> None:
    """A label printed above an article also heads the articles printed after it, up to the next
    label or the next picture or notice (a run of short news under one column)."""
    suffixes = rules().series_suffixes
    for n, item in enumerate(items):
        if id(item) not in heads or not item.column or _bare(item.column).endswith(suffixes):
            continue
        for other in items[n + 1 :]:
            if other.type != "article" or other.column is not None or not other.paragraphs:
                break  # (a headline with no text is an orphan printed away from its article)
            other.column, other.column_confidence = item.column, 0.5
            other.notes.append(notes.note("label_follows", label=item.column))


def _spread_series(items: list[Article]) -> None:
    """A series label (``<topic>计生专题``) also heads the articles that follow it and are about its
    topic (they mention the label without its series ending); the run stops at the first that is not."""
    suffixes = rules().series_suffixes
    articles = [i for i in items if i.type == "article"]
    for n, item in enumerate(articles):
        if not item.column or item.column_confidence is None or item.column_confidence < 0.7:
            continue
        label = _bare(item.column)
        topic = next((label[: -len(s)] for s in suffixes if label.endswith(s)), "")
        if len(topic) < 2:
            continue
        for other in articles[n + 1 :]:
            if other.column is not None or topic not in other.title + "".join(other.paragraphs[:2]):
                break
            other.column, other.column_confidence = item.column, 0.6
            other.notes.append(notes.note("label_series", label=item.column, topic=topic))


_LINE = operator.attrgetter("line")


def _finalise(items: list[Article], firsts: dict[int, list[int]]) -> None:
    """Orphan headlines, untitled and truncated flags, duplicate paragraphs, fixes, numbering."""
    for n, item in enumerate(list(items)):
        if item.type == "article" and not item.title and not item.paragraphs:
            # a byline or label with no text of its own: it belongs with the next article (or the last)
            later = [i for i in items[n + 1 :] if i.type == "article"]
            earlier = [i for i in items[:n] if i.type == "article"]
            target = later[0] if later else earlier[-1] if earlier else None
            if target is not None:
                target.blocks[:0] = item.blocks
                target.notes.append(notes.note("credit_without_text", line=item.first_line))
                items.remove(item)
    articles = [i for i in items if i.type == "article"]
    orphans = [a for a in articles if a.title and not a.paragraphs]
    untitled = [a for a in articles if not a.title and a.paragraphs]
    for orphan in orphans:
        grams = _bigrams(orphan.title)
        chars = set(_NOT_TEXT.sub("", orphan.title))
        best, score = None, 0.0
        for cand in untitled:
            text = "".join(cand.paragraphs)[:600]
            # half: the headline's two-character words found in the text; half: its characters
            s = 0.5 * len(grams & _bigrams(text)) / max(1, len(grams)) + 0.5 * len(chars & set(text)) / max(1, len(chars))
            if s > score:
                best, score = cand, s
        head = next(b for b in orphan.blocks if b.kind == BlockKind.HEADLINE)
        if best is not None and score >= 0.5:
            best.title = orphan.title
            best.flags.append("orphan_headline")
            best.notes.append(notes.note("headline_moved", title=orphan.title, line=head.first, score=round(score * 100)))
            best.column = best.column or orphan.column
            best.column_confidence = best.column_confidence if best.column_confidence is not None else orphan.column_confidence
            best.fixes.extend(head.fixes)
            untitled.remove(best)
            items.remove(orphan)
        else:
            orphan.flags.append("orphan_headline")
            orphan.paragraphs.append(orphan.title)
            orphan.notes.append(notes.note("orphan_headline", line=head.first))
    for item in items:
        if item.type != "article":
            continue
        if not item.title and item.paragraphs:
            item.title = provisional_title(item.paragraphs[0])
            item.flags.append("untitled")
            item.notes.append(notes.note("untitled", title=item.title))
        # subheads with no paragraph after them would be lost: they become paragraphs
        for idx in sorted(k for k in item.subheads if k >= len(item.paragraphs)):
            item.paragraphs.append(item.subheads.pop(idx))
        if item.paragraphs:
            lines = firsts.get(id(item), [])
            if len(lines) == len(item.paragraphs):
                kept, _, fixes = clean.dedupe_paragraphs(item.paragraphs, lines)
                if fixes:
                    item.subheads, dropped = _reindex_subheads(item.subheads, item.paragraphs, kept)
                    heads = {b.text: b.first for b in item.blocks if b.kind == BlockKind.SUBHEAD}
                    fixes += [Fix("remove_repeated_paragraph", heads.get(h, 0), h, "") for h in dropped]
                    item.paragraphs = kept
                    item.fixes.extend(fixes)
            last_body = next((b for b in reversed(item.blocks) if b.kind in (BlockKind.BODY, BlockKind.DATELINE)), None)
            closing = any(b.kind in _CLOSING and last_body is not None and b.first >= last_body.last for b in item.blocks)
            if last_body is not None and not ends_sentence(last_body.text) and not closing:
                item.flags.append("truncated")
                item.notes.append(notes.note("truncated", line=last_body.last))
    for item in items:
        for block in item.blocks:
            item.fixes.extend(block.fixes)
        item.fixes.sort(key=_LINE)
    counters: dict[str, int] = {}
    for item in items:
        counters[item.type] = counters.get(item.type, 0) + 1
        item.seq = counters[item.type]


def _reindex_subheads(subheads: dict[int, str], before: list[str], after: list[str]) -> tuple[dict[int, str], list[str]]:
    """Keep each subhead before the same paragraph once duplicates were removed; return the
    subheads that stood over a removed repeat (removed with it, and recorded as such)."""
    if not subheads:
        return subheads, []
    mapping: dict[int, int] = {}
    j = 0
    for i, text in enumerate(before):
        if j < len(after) and after[j] == text:
            mapping[i] = j
            j += 1
    return {mapping[i]: s for i, s in subheads.items() if i in mapping}, [s for i, s in subheads.items() if i not in mapping]


# --- pass 3: page furniture -----------------------------------------------------------------------


def parse_credit(text: str) -> list[Author]:
    """``本版策划组稿 孙兴伟 王斌 撰文 自小亮 李梅`` → people with their role on the page."""
    r = rules()
    roles = "|".join(re.escape(p) for p, _ in r.credit_roles)
    parts = re.split(f"({roles})", text)
    out: list[Author] = []
    role: str | None = None
    mapping = dict(r.credit_roles)
    for part in parts:
        if part in mapping:
            role = mapping[part]
            continue
        names = part.strip(" \u3000:：,，、")
        if not names:
            continue
        out.extend(Author(a.name, role) for a in parse_byline(f"({names})") if a.name)
    return out


def page_furniture(blocks: list[Block]) -> tuple[list[Author], str | None]:
    """The page credits (as people with roles) and the page title, if printed."""
    credits: list[Author] = []
    title: str | None = None
    for block in blocks:
        if block.kind == BlockKind.PAGE_CREDIT:
            credits.extend(parse_credit(block.text))
        elif block.kind == BlockKind.PAGE_TITLE and title is None:
            title = block.text
    return credits, title


def segment_page(page: Page) -> tuple[list[Block], list[Article], list[Author], str | None]:
    """All three passes: blocks, items, credits, page title."""
    blocks, labels = _segment(page)
    items = group_articles(page, blocks, labels)
    credits, title = page_furniture(blocks)
    return blocks, items, credits, title


__all__ = ["Fix", "group_articles", "page_furniture", "segment_blocks", "segment_page"]
