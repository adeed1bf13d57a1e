"""Clean: undo OCR damage in a page's text, never rewrite its wording.

Built like ftfy: each fix is a small named rule that proposes edits; ``clean_and_explain`` applies
the rules in ``RULES`` order and returns the text plus one ``Fix`` per change (rule name, source
line, a short snippet before and after), so an editor can see exactly what the machine did.

Rules, in order (each documented on its function, with an example):

text rules (``clean_and_explain``, one paragraph at a time)
  ``normalize_unicode``  NFC                                  e.g. U+F9xx → unified ideograph
  ``map_lookalike``      Kangxi radicals, full-width ASCII     ``⼈`` → ``人``, ``２０１３`` → ``2013``
  ``strip_markup``       ``#``/``##`` heading marks, ``**…**``  ``**突出一条主线：**稳定`` → ``突出一条主线：稳定``
  ``fullwidth_punctuation``  ``,;:?!()`` in Chinese context    ``生育,连续`` → ``生育，连续``
  ``remove_stray_space`` justification spaces next to Han      ``计 生 协 会`` → ``计生协会``
  ``collapse_double_period``                                   ``自觉性。。`` → ``自觉性。``
  ``remove_repeated_sentence``  the same sentence back to back is kept once

block rules (layout, before the text rules)
  ``join_lines``         hard line breaks inside a block (narrow columns)
  ``join_column_break``  a blank line where a column ended mid-sentence (``rejoin_blocks``)
  ``split_paragraph_end`` a clearly short line ending a sentence inside a block (``rejoin_blocks``)

article rule
  ``remove_repeated_paragraph``  a paragraph printed twice, exactly or nearly (``dedupe_paragraphs``)

The text rules at work (these examples run as doctests):

>>> clean_and_explain("⼈口２０１３年")[0]
'人口2013年'
>>> clean_and_explain("**突出一条主线：**稳定")[0]
'突出一条主线：稳定'
>>> clean_and_explain("生育,连续 1,200人 (1)")[0]
'生育，连续1,200人(1)'
>>> clean_and_explain("计 生 协 会 按 照“ 一 乡 (记者 熊建国)")[0]
'计生协会按照“一乡（记者 熊建国）'
>>> text, fixes = clean_and_explain("自觉性。。要提高认识。要提高认识。")
>>> text, [f.rule for f in fixes]
('自觉性。要提高认识。', ['collapse_double_period', 'remove_repeated_sentence'])

Calling sequence for the segmenter::

    width = column_width(page.lines)
    blocks = rejoin_blocks(classified_blocks, width)      # blocks keep raw ``lines``
    for b in blocks:
        b.text, fixes = clean_lines(b.lines, b.first, byline=b.kind in BYLINE_KINDS)
    paragraphs, first_lines, fixes = dedupe_paragraphs(paragraphs, first_lines)   # per article
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import operator
import re
import statistics
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from pathlib import Path

import yaml

from .datelines import match_opening
from .han import HAN
from .model import Block, BlockKind, Fix

CJK_PUNCT = r"，。、；：？！（）《》〈〉“”‘’「」『』【】…—·～"
_HAN_RE = re.compile(f"[{HAN}]")
_CJK_RE = re.compile(f"[{HAN}{CJK_PUNCT}]")
_SPACES = " \t\u3000\u00a0"


@cache
def _is_cjk(ch: str) -> bool:
    """Is this one character Han or CJK punctuation? Asked for the neighbours of every half-width
    mark and every space run; a page uses a few thousand distinct characters, so it is cached."""
    return _CJK_RE.match(ch) is not None

#: A paragraph may end on one of these (then optionally on closing quotes/brackets).
TERMINALS = "。！？…!?：:"
CLOSERS = "”’」』）)》〉】"
#: A block starting with one of these cannot start a paragraph: it continues the previous one.
CONTINUATION_START = "，。、；：？！）》〉】”’,;:?!)"
_TERMINAL_END = re.compile(f"[{re.escape(TERMINALS)}][{re.escape(CLOSERS)}]*$")

#: Block kinds whose spaces separate names, not justification noise.
BYLINE_KINDS = frozenset({BlockKind.BYLINE, BlockKind.PAGE_CREDIT})
_JOINABLE = frozenset({BlockKind.BODY, BlockKind.DATELINE})

_CONTEXT = 4  # characters of context either side of a change in a Fix snippet

Edit = tuple[int, int, str]  # replace text[start:end] with the string


# --- rules: each proposes non-overlapping edits on the current text -----------------------------


def normalize_unicode(text: str) -> list[Edit]:
    """NFC per character cluster, so a decomposed or compatibility form becomes the standard one.

    CJK compatibility ideographs (U+F900…) are canonical duplicates: NFC maps them to the unified
    ideograph that search and conversion expect.
    """
    if unicodedata.is_normalized("NFC", text):
        return []
    edits: list[Edit] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or unicodedata.combining(text[i]) == 0:
            cluster = text[start:i]
            norm = unicodedata.normalize("NFC", cluster)
            if norm != cluster:
                edits.append((start, i, norm))
            start = i
    return edits


def _lookalike(ch: str) -> str | None:
    cp = ord(ch)
    if 0x2F00 <= cp <= 0x2FDF or 0x2E80 <= cp <= 0x2EFF:  # Kangxi radicals, radicals supplement
        norm = unicodedata.normalize("NFKC", ch)
        return norm if norm != ch else None
    if 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
        return chr(cp - 0xFEE0)  # full-width digit or Latin letter
    return None


_LOOKALIKE_CANDIDATE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def map_lookalike(text: str) -> list[Edit]:
    """Look-alike code points OCR emits for ordinary ones: Kangxi radicals (``⼈`` → ``人``) and
    full-width digits and letters (``２０１３`` → ``2013``). They break search and conversion.
    One regex scan finds candidates: most paragraphs have none, and this runs on every one."""
    return [(m.start(), m.end(), r) for m in _LOOKALIKE_CANDIDATE.finditer(text) if (r := _lookalike(m.group())) is not None]


_HEADING_MARK = re.compile(r"^[\s*]*#{1,6}\s*")
_BOLD_MARK = re.compile(r"\*{2,}")


def strip_markup(text: str) -> list[Edit]:
    """Markdown-like hints in a source (``## 标题``, ``**突出一条主线：**``) are structure, not text:
    the segmenter reads them and the marks themselves are dropped — a
    leading run of ``#`` and every run of two or more ``*`` (a lone ``*`` may be a footnote)."""
    if "#" not in text and "**" not in text:  # nearly every paragraph: no mark to look for
        return []
    edits: list[Edit] = []
    m = _HEADING_MARK.match(text)
    if m and "#" in m.group():
        edits.append((0, m.end(), ""))
    for b in _BOLD_MARK.finditer(text):
        if not (m and "#" in m.group() and b.start() < m.end()):
            edits.append((b.start(), b.end(), ""))
    return edits


_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_HALF_MARK = re.compile("[,;:?!]")
_HALF_PARENS = re.compile(r"\(([^()（）]*)\)")
# (each opens with a lookahead for the mark, so the regex engine skips other characters quickly)
_MARK_BY_CJK = re.compile(f"(?=[,;:?!])(?:(?<=[{HAN}{CJK_PUNCT}]).|.(?=[{HAN}{CJK_PUNCT}]))")
_MARK_BY_SPACE = re.compile(f"(?=[,;:?!])(?:(?<=[{_SPACES}]).|.(?=[{_SPACES}]))")


def fullwidth_punctuation(text: str) -> list[Edit]:
    """Half-width ``,;:?!`` next to a Han character become full-width (``生育,连续`` → ``生育，连续``)
    unless both neighbours are digits (``1,200``, ``8:30`` stay); ``( )`` become ``（ ）`` only when
    the content has Han (``(1)``, ``(A)`` stay). ``.``, ``-``, ``—``, ``～``, ``%`` are never touched."""
    edits: list[Edit] = []
    for m in _HALF_PARENS.finditer(text):
        if _HAN_RE.search(m.group(1)):
            edits.append((m.start(), m.start() + 1, "（"))
            edits.append((m.end() - 1, m.end(), "）"))
    view = text
    if edits:  # judge neighbours as they will read once the brackets are converted
        seen = list(text)
        for s, _, rep in edits:
            seen[s] = rep
        view = "".join(seen)
    # A mark with Han or CJK punctuation right beside it converts (such a neighbour is never a
    # digit); only a mark with a space beside it needs the nearest non-space neighbours looked up.
    at = {m.start() for m in _MARK_BY_CJK.finditer(view)}
    n = len(view)
    for m in _MARK_BY_SPACE.finditer(view):
        i = m.start()
        j = i - 1
        while j >= 0 and view[j] in _SPACES:
            j -= 1
        k = i + 1
        while k < n and view[k] in _SPACES:
            k += 1
        before = view[j] if j >= 0 else ""
        after = view[k] if k < n else ""
        if before.isdigit() and after.isdigit():
            continue
        if (before and _is_cjk(before)) or (after and _is_cjk(after)):
            at.add(i)
    edits.extend((i, i + 1, _HALF_TO_FULL[text[i]]) for i in at)
    return sorted(edits)


@lru_cache(maxsize=1)
def _credit_roles() -> tuple[str, ...]:
    """Role words (通讯员, 记者 …) from the byline data: a parenthesis holding one is a credit."""
    path = Path(__file__).parent / "data" / "byline_roles.yml"
    roles = yaml.safe_load(path.read_text(encoding="utf-8")).get("roles", {})
    return tuple(sorted((r for r in roles if len(r) >= 2), key=len, reverse=True))


_PARENTHESIS = re.compile(r"[(（][^()（）]*[)）]")


def credit_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each parenthesis holding a credit, e.g. ``(通讯员 刘守涛 张筠琪 摄)``."""
    spans = []
    for m in _PARENTHESIS.finditer(text):
        if any(role in m.group() for role in _credit_roles()):
            spans.append((m.start(), m.end()))
    return spans


_SPACE_RUN = re.compile(f"[{_SPACES}]+")
_SPACE_RUN_2 = re.compile(f"[{_SPACES}]{{2,}}")
_NEWLINE = re.compile("\n")


def remove_stray_space(text: str) -> list[Edit]:
    """Justified narrow columns leave spaces between Han characters and CJK punctuation
    (``计 生 协 会 按 照“ 一 乡`` → ``计生协会按照“一乡``), also before a number (``粘贴 40余幅``):
    spacing between Han and Latin belongs in CSS. Spaces between two Latin words or numbers stay,
    and so do spaces inside a credit such as ``(记者熊建国 通讯员刘常红)``, where they separate names.
    The space printed after an opening dateline (``新华社北京7月10日电  外交部…``) separates it from
    the story: it stays, as one ideographic space (``电　外交部``), as where a credit is taken out."""
    if " " not in text and "\u3000" not in text and "\t" not in text and "\u00a0" not in text:
        return []  # most paragraphs: four C-speed searches instead of a regex scan
    credits: list[tuple[int, int]] | None = None  # looked for only once a run would be removed
    edits: list[Edit] = []
    n = len(text)
    after_dateline = _dateline_gap(text)
    for m in _SPACE_RUN.finditer(text):
        s, e = m.span()
        if s == after_dateline and e < n:
            if text[s:e] != "\u3000":
                edits.append((s, e, "\u3000"))
            continue
        if s == 0 or e == n:
            edits.append((s, e, ""))  # leading/trailing space of a paragraph
            continue
        left, right = text[s - 1], text[e]
        lc, rc = _is_cjk(left), _is_cjk(right)
        if (lc and rc) or (lc and _is_ascii_mark(right)) or (rc and _is_ascii_mark(left)):
            if credits is None:
                credits = credit_spans(text)
            if not any(a < s and e < b for a, b in credits):
                edits.append((s, e, ""))
    return edits


def _dateline_gap(text: str) -> int:
    """Where the space after an opening dateline with no credit starts (-1: none)."""
    found = match_opening(text[:60])
    return found.credit_start if found is not None and found.dateline is not None and found.credit is None and found.end > found.credit_start else -1


_DOUBLE_PERIOD = re.compile("。{2,}")


def collapse_double_period(text: str) -> list[Edit]:
    """OCR doubles the full stop: ``自觉性。。`` → ``自觉性。``."""
    if "。。" not in text:
        return []
    return [(m.start() + 1, m.end(), "") for m in _DOUBLE_PERIOD.finditer(text)]


# possessive: the three classes are disjoint, so the matches are the same, without backtracking
_SENTENCE = re.compile(f"[^。！？!?]*+[。！？!?]++[{re.escape(CLOSERS)}]*+")
_NO_SPACES = str.maketrans("", "", _SPACES)
MIN_REPEAT_SENTENCE = 6  # shorter "sentences" (好。好。) may be real


def remove_repeated_sentence(text: str) -> list[Edit]:
    """A sentence printed two or more times back to back (OCR re-read a line) is kept once:
    ``…覆盖。近几年来，…覆盖。近几年来，…覆盖。`` keeps the first ``近几年来，…覆盖。``."""
    sentences = _SENTENCE.findall(text)
    # rarely, once stray spaces are gone: skip translate
    spaced = " " in text or "\u3000" in text or "\t" in text or "\u00a0" in text
    keys = [s.translate(_NO_SPACES) for s in sentences] if spaced else sentences
    if not any(map(operator.eq, keys, keys[1:])):  # no sentence equals the one before it: nothing to do
        return []
    edits: list[Edit] = []
    prev = None
    for m in _SENTENCE.finditer(text):
        key = m.group().translate(_NO_SPACES) if spaced else m.group()
        if prev is not None and key == prev and len(key) >= MIN_REPEAT_SENTENCE:
            edits.append((m.start(), m.end(), ""))
            continue
        prev = key
    return edits


Rule = Callable[[str], list[Edit]]
RULES: list[tuple[str, Rule]] = [
    ("normalize_unicode", normalize_unicode),
    ("map_lookalike", map_lookalike),
    ("strip_markup", strip_markup),
    ("fullwidth_punctuation", fullwidth_punctuation),
    ("remove_stray_space", remove_stray_space),
    ("collapse_double_period", collapse_double_period),
    ("remove_repeated_sentence", remove_repeated_sentence),
]
#: Rules whose removed text is shown whole in a Fix (an editor must see what was dropped).
REMOVAL_RULES = frozenset({"remove_repeated_sentence", "remove_repeated_paragraph"})
#: Rules skipped for bylines and page credits (spaces there separate or pad names).
BYLINE_SKIP = frozenset({"remove_stray_space"})


# --- applying edits with a trail back to source lines ---------------------------------------------


class _Text:
    """The text being cleaned, with each character's offset in the text as it arrived.

    ``origin`` is None while it would be the identity (0, 1, 2 …): most paragraphs never need the
    list, because they get no fix at all or only one-for-one replacements (punctuation width)."""

    def __init__(self, text: str, line_of: Callable[[int], int]) -> None:
        self.text = text
        self.origin: list[int] | None = None
        self.line_of = line_of

    def apply(self, rule: str, edits: list[Edit]) -> list[Fix]:
        """Apply one rule's edits (sorted, non-overlapping); one Fix per cluster of nearby edits
        (``计 生 协 会`` is one change), in one pass: this runs for every fix on every page."""
        if not edits:
            return []
        old = self.text
        last = len(old) - 1
        removal = rule in REMOVAL_RULES  # each removal is its own Fix, shown whole
        origin, line_of = self.origin, self.line_of
        parts: list[str] = []
        fixes: list[Fix] = []
        same_length = True  # every edit one character for one: the trail stays as it is
        pos, i, count = 0, 0, len(edits)
        while i < count:
            cs, ce, inner = edits[i]
            same_length = same_length and ce - cs == 1 and len(inner) == 1
            i += 1
            if not removal and i < count and edits[i][0] - ce <= 2:
                pieces = [inner]
                while i < count and edits[i][0] - ce <= 2:
                    s, e, rep = edits[i]
                    same_length = same_length and e - s == 1 and len(rep) == 1
                    pieces += (old[ce:s], rep)
                    ce = e
                    i += 1
                inner = "".join(pieces)
            parts += (old[pos:cs], inner)
            pos = ce
            if removal:
                before, after = old[cs:ce], inner
            else:
                a, b = (cs - _CONTEXT if cs > _CONTEXT else 0), ce + _CONTEXT
                before, after = old[a:b], old[a:cs] + inner + old[ce:b]
            at = cs if cs < last else last  # an edit at the very end is on the last character's line
            line = line_of(0) if last < 0 else line_of(at if origin is None else origin[at])
            fixes.append(Fix(rule, line, before, after))
        parts.append(old[pos:])
        if not same_length:
            self.origin = self._moved_origin(edits)
        self.text = "".join(parts)
        return fixes

    def _moved_origin(self, edits: list[Edit]) -> list[int]:
        """The trail after ``edits``: kept characters keep theirs, a replacement takes its start's."""
        origin: Sequence[int] = self.origin if self.origin is not None else range(len(self.text))
        out: list[int] = []
        pos = 0
        for s, e, rep in edits:
            out.extend(origin[pos:s])
            if rep:
                out.extend([origin[s] if s < len(origin) else (origin[-1] if origin else 0)] * len(rep))
            pos = e
        out.extend(origin[pos:])
        return out


_OFFSET = operator.itemgetter(0)


def _line_mapper(text: str, line: int, line_starts: Sequence[tuple[int, int]] | None) -> Callable[[int], int]:
    """Offset in ``text`` → source line. Builds nothing up front: it is asked only once per Fix,
    and most paragraphs get none."""
    if line_starts is None:
        if "\n" not in text:
            return lambda i: line
        starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        return lambda i: line + bisect.bisect_right(starts, i) - 1
    if len(line_starts) <= 1:  # a one-line block (or none): every offset is on the same line
        only = line_starts[0][1] if line_starts else line
        return lambda i: only
    offsets: list[int] = []  # listed on the first ask: most blocks get no fix

    def line_of(i: int) -> int:
        if not offsets:
            offsets.extend(map(_OFFSET, line_starts))
        return line_starts[max(0, bisect.bisect_right(offsets, i) - 1)][1]

    return line_of


def clean_and_explain(
    text: str,
    line: int = 0,
    *,
    byline: bool = False,
    line_starts: Sequence[tuple[int, int]] | None = None,
) -> tuple[str, list[Fix]]:
    """Apply every rule in order; return the cleaned text and one Fix per change.

    ``line`` is the source line of the text's start (a ``\\n`` in ``text`` advances it);
    ``line_starts`` — (offset, source line) pairs from ``join_block_lines_mapped`` — places each
    Fix on its exact source line. ``byline=True`` keeps spaces, which separate names there.
    """
    state = _Text(text, _line_mapper(text, line, line_starts))
    fixes: list[Fix] = []
    for name, rule in RULES:
        if byline and name in BYLINE_SKIP:
            continue
        edits = rule(state.text)
        if edits:
            fixes.extend(state.apply(name, edits))
    if byline:
        stripped = _SPACE_RUN_2.sub(" ", state.text).strip(_SPACES)
        if stripped != state.text:
            fixes.append(Fix("collapse_byline_space", line, state.text, stripped))
            state.text = stripped
    return state.text, fixes


# --- lines and blocks -----------------------------------------------------------------------------


def _width(line: str) -> float:
    """Printed width in em: a Han character or full-width mark is 1, ASCII is ½; spaces don't count.

    Counted in C (``split`` drops every ``isspace`` character, ``encode(…, "ignore")`` keeps the
    ASCII ones): it runs on every line several times (page width, column breaks, paragraph ends)."""
    ink = "".join(line.split())
    if not ink:
        return 0
    ascii_count = len(ink.encode("ascii", "ignore"))
    return (len(ink) - ascii_count) + 0.5 * ascii_count


text_width = _width  # (public name for the segmenter's layout rules)


def _is_ascii_mark(ch: str) -> bool:
    return ch.isascii() and ch.isprintable() and not ch.isspace()


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_block_lines_mapped(lines: list[str], first_line: int) -> tuple[str, list[Fix], list[tuple[int, int]]]:
    """``join_block_lines`` plus (offset, source line) pairs for ``clean_and_explain(line_starts=)``.

    ``lines[i]`` is source line ``first_line + i``; blank lines (a column break already joined by
    ``rejoin_blocks``) are skipped without a second Fix.
    """
    parts: list[str] = []
    fixes: list[Fix] = []
    starts: list[tuple[int, int]] = []
    length = 0  # of the text joined so far
    tail = ""  # its last _CONTEXT characters, for the snippets
    prev_no = 0
    for i, raw in enumerate(lines):
        part = raw.strip()
        if not part:
            continue
        no = first_line + i
        if parts:
            sep = " " if _is_word(tail[-1]) and _is_word(part[0]) else ""
            if no == prev_no + 1:
                head = part[:_CONTEXT]
                fixes.append(Fix("join_lines", prev_no, tail + "\n" + head, tail + sep + head))
            if sep:
                parts.append(sep)
                length += 1
            tail = (tail + sep + part)[-_CONTEXT:]
        else:
            tail = part[-_CONTEXT:]
        starts.append((length, no))
        parts.append(part)
        length += len(part)
        prev_no = no
    return "".join(parts), fixes, starts or [(0, first_line)]


def join_block_lines(lines: list[str], first_line: int) -> tuple[str, list[Fix]]:
    """Join the hard line breaks inside one block (narrow columns of 10–13 characters wrap every
    line). Lines are stripped and glued; a space is kept only where two Latin/digit words meet."""
    text, fixes, _ = join_block_lines_mapped(lines, first_line)
    return text, fixes


def clean_lines(lines: list[str], first_line: int, *, byline: bool = False) -> tuple[str, list[Fix]]:
    """Join a block's lines and clean the result, each Fix placed on its exact source line."""
    text, fixes, starts = join_block_lines_mapped(lines, first_line)
    cleaned, more = clean_and_explain(text, first_line, byline=byline, line_starts=starts)
    return cleaned, fixes + more


def blank_line_blocks(lines: list[str]) -> list[Block]:
    """Runs of non-blank lines as BODY blocks (1-based line numbers): the unclassified start."""
    blocks: list[Block] = []
    start: int | None = None
    for i, line in enumerate([*lines, ""], start=1):
        if line.strip():
            start = i if start is None else start
        elif start is not None:
            blocks.append(Block(kind=BlockKind.BODY, first=start, last=i - 1, lines=lines[start - 1 : i - 1]))
            start = None
    return blocks


NARROW_MAX = 26  # a page whose wrapped lines are at most this wide (em) is set in columns (10–13 or 18–25 em)
NARROW_MIN_LINES = 20


def column_width(lines: list[str]) -> int:
    """The page's typical column width in em, or 0 when the page is not set in narrow columns.

    Measured on wrapped lines only (a non-blank line followed by another non-blank line), since a
    paragraph's last line and single-line headings say nothing about the column. 0 means each
    source line is a whole paragraph (or heading), as on most pages that were not re-flowed.
    """
    wrapped = [
        _width(lines[i]) for i in range(len(lines) - 1) if lines[i].strip() and lines[i + 1].strip()
    ]
    if len(wrapped) < NARROW_MIN_LINES:
        return 0
    narrow = [w for w in wrapped if w <= NARROW_MAX]
    if len(narrow) < 0.6 * len(wrapped):
        return 0
    # The column is what full lines fill: the upper quartile of the wrapped lines' widths. The
    # median is pulled short on pages that run paragraphs on, where many wrapped lines open a
    # paragraph (an indent, printed or lost: two em short) or end one.
    upper = statistics.quantiles(narrow, n=4, method="inclusive")[2] if len(narrow) > 1 else narrow[0]
    return int(upper + 0.5)  # half up: 10.5 em of mixed text is an 11-em column


def _ends_paragraph(text: str) -> bool:
    return bool(_TERMINAL_END.search(text.rstrip(_SPACES)))


def _nonblank(lines: list[str]) -> list[str]:
    return [ln for ln in lines if ln.strip()]


def _local_width(p_lines: list[str], n_lines: list[str], page_width: int, width: Callable[[str], float] = _width) -> float:
    """Typical width of the lines around a column break: the interior lines of both blocks'
    non-blank lines (first lines are indented, last lines are short) or, failing that, the page's width."""
    inner = p_lines[1:-1] + n_lines[1:-1]
    return statistics.median(map(width, inner)) if len(inner) >= 3 else float(page_width)


def _continues(prev: Block, nxt: Block, page_width: int, width: Callable[[str], float] = _width, gaps_measured: bool = False) -> str | None:
    """Why ``nxt`` continues ``prev``'s paragraph across a blank line, or None if it does not.
    ``width`` is ``_width``, or the same with a memory (``rejoin_blocks``). ``gaps_measured``: the
    page's blank lines are gaps measured on its image (``layout``), which already joined a
    paragraph running on into the next column: full lines meeting across one are no sign then."""
    if prev.kind not in _JOINABLE or nxt.kind != BlockKind.BODY or nxt.first <= prev.last + 1:
        return None  # (no blank line between: a paragraph end found inside one block, never undone)
    p_lines, n_lines = _nonblank(prev.lines), _nonblank(nxt.lines)
    if not p_lines or not n_lines:
        return None
    tail, head = p_lines[-1].strip(), n_lines[0].strip()
    if head[0] in CONTINUATION_START:
        return "next starts with closing punctuation"
    if page_width and not _ends_paragraph(tail) and width(tail) <= page_width - 2 and (
        _printed_indent(n_lines[0]) or (len(n_lines) > 1 and width(head) <= width(n_lines[1].strip()) - 1.5)
    ):
        return None  # a short line over an indented paragraph: a heading, not a column that ended mid-sentence
    if not _ends_paragraph(tail):
        return "sentence unfinished"
    if page_width and not gaps_measured:
        # Narrow columns: a paragraph's first line is indented (narrower). A block whose first
        # line is full width continues a paragraph; so does a lone sentence-final line after a
        # full one. Widths vary by ±½ em (digits, squeezed punctuation), hence the margin.
        full = _local_width(p_lines, n_lines, page_width, width) - 0.5
        if width(head) >= full and not (len(p_lines) > 1 and width(tail) < SHORT_LINE * page_width):
            return "next block's first line is not indented"  # (unless a clearly short line ended the sentence: the paragraph ended there)
        if len(n_lines) == 1 and _ends_paragraph(head) and len(p_lines) > 1 and width(tail) >= full:
            return "full column line, then a lone last line"
    return None


SHORT_LINE = 0.75  # a sentence-final line this much narrower than the column ends a paragraph


@cache
def _short_end_em() -> float:
    """``layout.short_end_em`` in data/segment_rules.yml: how many em short of the column a
    sentence-final line must stop to end its paragraph (a full line's slack is one em or two)."""
    path = Path(__file__).parent / "data" / "segment_rules.yml"
    return float(yaml.safe_load(path.read_text(encoding="utf-8"))["layout"]["short_end_em"])


def _split_points(block: Block, page_width: int) -> list[int]:
    """Indices i where a new paragraph starts at ``block.lines[i]`` inside one block.

    Narrow pages: a line (not the block's first, which is short from its indent) that ends a
    sentence and is clearly shorter than the column (< 75 %) ends its paragraph. Wide pages (width
    0): every source line is a paragraph, so a line ending a sentence ends it.
    """
    if block.kind not in _JOINABLE:
        return []
    idx = [i for i, ln in enumerate(block.lines) if ln.strip()]
    indents_mean = sum(_printed_indent(block.lines[i]) for i in idx) * 2 < len(idx)  # (not when every line is indented)
    points = []
    for k, i in enumerate(idx[:-1]):
        line = block.lines[i].strip()
        if page_width and indents_mean and _printed_indent(block.lines[idx[k + 1]]):
            points.append(idx[k + 1])  # an indent printed as spaces opens a paragraph, after a subhead too
            continue
        if not _ends_paragraph(line):
            continue
        if page_width == 0 or (k > 0 and _short_end(line, block.lines[idx[k + 1]], page_width)) or _indented(block.lines, idx, k + 1, page_width):
            points.append(idx[k + 1])
    return points


def _short_end(line: str, nxt: str, page_width: int) -> bool:
    """A sentence-final line that stops short of the column ends its paragraph: clearly short
    (< 75 %), or short by more than a line's slack (``short_end_em``) when the next line does not
    open with a number or Latin word carried whole from it."""
    w = _width(line)
    return w < SHORT_LINE * page_width or (w <= page_width - _short_end_em() and not nxt.strip()[:1].isascii())


def paragraph_starts(lines: list[str], page_width: int) -> list[int]:
    """``_split_points`` for raw lines not yet typed: where a paragraph starts inside them."""
    return _split_points(Block(kind=BlockKind.BODY, first=1, last=len(lines), lines=lines), page_width)


def _printed_indent(raw: str) -> bool:
    return raw[:2] in ("  ", "\u3000\u3000") or raw[:1] == "\u3000"


printed_indent = _printed_indent  # (public name for the segmenter's layout rules)


def _indented(lines: list[str], idx: list[int], k: int, page_width: int) -> bool:
    """Line ``idx[k]`` opens a paragraph by its indent: printed as leading spaces, or lost (the
    line two em short of the column while the line after it is full; a short line followed by a
    short line is a paragraph's last line, not its first)."""
    raw = lines[idx[k]]
    if _printed_indent(raw):
        return True
    if k + 1 >= len(idx):
        return False
    w, nxt = _width(raw.strip()), lines[idx[k + 1]].strip()
    if w > page_width - 1.5:
        return False
    # the line after it is full; or this line stops short without ending a sentence, which a
    # paragraph's middle line does not do (unless a number was carried whole onto the next line)
    return _width(nxt) >= page_width - 1 or (not _ends_paragraph(raw) and not nxt[:1].isascii())


def _snippet_break(a: str, b: str, sep: str) -> tuple[str, str]:
    a, b = a.strip()[-_CONTEXT:], b.strip()[:_CONTEXT]
    return a + sep + b, a + b


def _rebuilt(block: Block, first: int, last: int, lines: list[str], fixes: list[Fix], confidence: float) -> Block:
    """``dataclasses.replace`` for Block, spelled out: replace walks ``fields()`` on every call,
    which was a third of ``rejoin_blocks``. Names every field of Block (keep it in step)."""
    return Block(kind=block.kind, first=first, last=last, lines=lines, text=block.text, fixes=fixes, confidence=confidence)


def rejoin_blocks(blocks: list[Block], column_width: int, gaps_measured: bool = False) -> list[Block]:
    """Rule 1 at block level, on blocks the segmenter already classified; returns new blocks.

    1. ``split_paragraph_end``: a BODY block holding a real paragraph end is split there.
    2. ``join_column_break``: a BODY (or dateline) block that a blank line cut where a column ended
       is merged with the next BODY block: its sentence is unfinished, or the next block starts
       with closing punctuation, or (narrow pages) full-width lines meet across the break where a
       new paragraph would start indented (not when ``gaps_measured``: the blank lines of a page
       laid out from OCR coordinates are gaps seen on the image). Never across a headline,
       subhead, byline or caption.

    A merged block keeps ``lines[i]`` = source line ``first + i``: the blank lines stay in
    ``lines`` (``join_block_lines`` skips them), so every later Fix still finds its source line.
    """
    split: list[Block] = []
    for block in blocks:
        points = _split_points(block, column_width)
        if not points:
            split.append(_rebuilt(block, block.first, block.last, list(block.lines), list(block.fixes), block.confidence))
            continue
        bounds = [0, *points, len(block.lines)]
        for n, (a, b) in enumerate(itertools.pairwise(bounds)):
            fixes = list(block.fixes) if n == 0 else []
            if n > 0:
                before, after = _snippet_break(block.lines[a - 1], block.lines[a], "\n")
                fixes.append(Fix("split_paragraph_end", block.first + a - 1, before, before.replace("\n", "\n\n")))
            lines = block.lines[a:b]
            while lines and not lines[-1].strip():
                lines.pop()
                b -= 1
            split.append(_rebuilt(block, block.first + a, block.first + b - 1, lines, fixes, block.confidence))
    widths: dict[str, float] = {}

    def width(line: str) -> float:
        """``_width``, once per line: a paragraph cut into many blocks is measured again at each merge."""
        w = widths.get(line)
        if w is None:
            w = widths[line] = _width(line)
        return w

    out: list[Block] = []
    for block in split:
        prev = out[-1] if out else None
        why = _continues(prev, block, column_width, width, gaps_measured) if prev is not None else None
        if prev is None or why is None:
            out.append(block)
            continue
        gap = block.first - prev.last - 1
        last = next(ln for ln in reversed(prev.lines) if ln.strip())
        first = next(ln for ln in block.lines if ln.strip())
        before, after = _snippet_break(last, first, "\n" * (gap + 1))
        merged = _rebuilt(
            prev,
            prev.first,
            block.last,
            prev.lines + [""] * gap + block.lines,
            [*prev.fixes, Fix("join_column_break", prev.last, before, after), *block.fixes],
            min(prev.confidence, block.confidence),
        )
        out[-1] = merged
    return out


# --- article level --------------------------------------------------------------------------------

NEAR_DUPLICATE = 0.9  # difflib ratio at or above which two paragraphs are one printed twice
MIN_REPEAT_PARAGRAPH = 15  # characters; short lines (subheads, 一是…) may legitimately recur
MAX_GLUED_EXTRA = 30  # characters a reprint may carry that its first printing lacks


def _dup_key(text: str) -> str:
    return "".join(text.split())  # the same characters as ``re.sub(r"\s", "", text)``, faster


def dedupe_paragraphs(
    paragraphs: list[str], first_lines: list[int]
) -> tuple[list[str], list[int], list[Fix]]:
    """Rule 4 at article level: a paragraph printed again later in the article (exactly, or nearly:
    OCR noise, a subhead glued on) is kept once, at its first position; each removal is recorded
    with the removed text. A run of repeated paragraphs is removed paragraph by paragraph."""
    if len(paragraphs) != len(first_lines):
        raise ValueError("dedupe_paragraphs: paragraphs and first_lines differ in length")
    kept: list[str] = []
    kept_lines: list[int] = []
    # kept keys and their bigrams, built only once a partner of comparable length needs them;
    # keys shorter than MIN_REPEAT_PARAGRAPH never match (see ``_near``) and are not kept
    keys: list[str] = []
    key_grams: list[frozenset[int] | None] = []
    fixes: list[Fix] = []
    for text, line in zip(paragraphs, first_lines, strict=True):
        key = _dup_key(text)
        if len(key) >= MIN_REPEAT_PARAGRAPH:
            grams: frozenset[int] | None = None
            repeated = False
            for n, k in enumerate(keys):
                if not _comparable(key, k):
                    continue
                grams = grams if grams is not None else _bigrams(key)
                other = key_grams[n]
                if other is None:
                    other = key_grams[n] = _bigrams(k)
                if _shares_bigrams(grams, other) and _near(key, k):
                    repeated = True
                    break
            if repeated:
                fixes.append(Fix("remove_repeated_paragraph", line, text, ""))
                continue
            keys.append(key)
            key_grams.append(grams)
        kept.append(text)
        kept_lines.append(line)
    return kept, kept_lines, fixes


def _bigrams(key: str) -> frozenset[int]:
    """Every character pair ``key[i : i + 2]``, each as one 64-bit number (its two code points).

    Only the sizes of these sets and of their intersections are used, so any one-to-one coding
    of the pairs gives the same answers; numbers read in C from the UTF-32 bytes (the pairs at
    even and at odd offsets are two aligned views) cost half of building a 2-character string each."""
    raw = key.encode("utf-32-le")
    n = len(raw)
    return frozenset(memoryview(raw[: n - n % 8] + raw[4 : n - (n - 4) % 8]).cast("Q"))


def _comparable(later: str, earlier: str) -> bool:
    """``_near``'s length test, run first because it is the cheapest: no reprint is less than
    half or more than twice as long as its original."""
    short, long_ = sorted((len(later), len(earlier)))
    return short >= 0.5 * long_


def _shares_bigrams(a: frozenset[int], b: frozenset[int]) -> bool:
    """Cheap pre-filter before difflib: a reprint (ratio ≥ 0.9) shares most of its character
    pairs with the original; unrelated paragraphs of one article share few."""
    small = min(len(a), len(b))
    return small > 0 and len(a & b) >= 0.6 * small


def _near(later: str, earlier: str) -> bool:
    """Is ``later`` a reprint of ``earlier``? Equal, or difflib ratio ≥ 0.9, or ``later`` is
    ``earlier`` with a short glued-on extra (≤ 30 characters not found in ``earlier``, e.g. the
    subhead printed again in front of it) while covering ≥ 90 % of ``earlier``."""
    if later == earlier:
        return True
    short, long_ = sorted((len(later), len(earlier)))
    if short < MIN_REPEAT_PARAGRAPH or short < 0.5 * long_:
        return False
    sm = difflib.SequenceMatcher(None, later, earlier, autojunk=False)
    if sm.real_quick_ratio() < 0.6 or sm.quick_ratio() < 0.6:
        return False
    if sm.ratio() >= NEAR_DUPLICATE:
        return True
    matched = sum(b.size for b in sm.get_matching_blocks())
    return matched >= NEAR_DUPLICATE * len(earlier) and len(later) - matched <= MAX_GLUED_EXTRA
