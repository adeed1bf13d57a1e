"""Reading order from coordinates: OCR lines with boxes → the page text an editor would read.

Engines list lines in their own order: PaddleOCR sorts them by height, so the lines of three
columns come interleaved, and neighbouring columns' lines are sometimes glued into one box.
This module puts them back, in four steps, all from geometry (nothing here knows any words):

1. **Measure** the body type: the median line height ``h`` and the column width (median width
   of body-height lines); the gutters are the x-ranges that (almost) no column-wide line covers.
2. **Split glued lines**: a body-height line crossing a gutter, with column lines on both sides
   nearby, is two columns' lines in one box; it is cut at the gutter (at a word boundary when
   the format gives word boxes, else where the characters' share of the width says).
3. **Order** by recursive X–Y cuts: a region is cut above each row of headlines with no
   column's text beside them (stories stacked), then between stories side by side (a vertical
   gap every part of which holds a headline), then under a story's headline, then at vertical
   gaps (columns, left to right), then beside an element spanning columns (a picture, a line
   left glued); what cannot be cut is one column, read top to bottom (see ``_xy_order``).
   A picture and the lines printed just below it (its caption) move as one element.
4. **Write** the page text: one line per OCR line; a blank line where the gap between lines is
   larger than the line spacing (a paragraph) and at each column break, as in the text pages,
   except where a column's last line runs to the column's edge without ending a sentence (its
   paragraph goes on at the top of the next column); a caption set off by two blank lines before
   and after, and so is text after a gap of more than five lines, in its column or above its
   column's start (room for a picture the OCR did not report), up to its paragraph's end; a line in
   headline type (at least 1.5 × the body type, by its height and by its characters' advance)
   starts with ``# `` — the text pages' own mark for a heading, recorded here as a layout inference.

The thresholds are data: ``data/layout.yml``.

Each text line keeps its box, so every article can say where on the page it stands (``zones``).
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources

import yaml

from .notes import Note, note
from .ocr_formats import Box, OcrLine, OcrPage, Word, join_words

_HAN_OR_ALNUM = re.compile("[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")
_SENTENCE_END = re.compile("[。！？!?…][”’」』)）》]*$")


@dataclass(frozen=True)
class LayoutRules:
    """The thresholds of ``data/layout.yml`` (see the comments there)."""

    headline_ratio: float
    headline_pitch_ratio: float
    glued_max_ratio: float
    wide_ratio: float
    picture_gap_lines: float
    full_line_slack_chars: float


@cache
def layout_rules() -> LayoutRules:
    """Read once; a missing or malformed value is a packaging error, raised early."""
    data = yaml.safe_load(resources.files("banmian.data").joinpath("layout.yml").read_text(encoding="utf-8"))
    names = {f.name for f in fields(LayoutRules)}
    if not isinstance(data, dict) or set(data) != names or not all(isinstance(v, int | float) and v > 0 for v in data.values()):
        raise ValueError(f"banmian/data/layout.yml: expected exactly {sorted(names)}, each a positive number")
    return LayoutRules(**{k: float(v) for k, v in data.items()})


def advance(text: str) -> float:
    """A line's length in character advances: a Han character or full-width mark is one, a Latin
    letter, digit or ASCII mark half (they are set half-width); spaces do not count."""
    return sum(0.5 if ord(c) < 128 else 1.0 for c in text if not c.isspace())


@dataclass(frozen=True)
class _Type:
    """The page's body type: line height ``h``, column width ``colw``, character advance ``pitch``
    (0 when no line says)."""

    h: float
    colw: float
    pitch: float

    def headline(self, line: OcrLine) -> bool:
        """Set in headline type. The type's size is the line's height, but not more than its
        characters' advance (CJK type is square): an engine's box made taller by a stray mark or
        a rule does not make body type a headline. (Lines set vertically: the other way round.)"""
        r = layout_rules()
        b = line.box
        n = advance(line.text)
        if n < 2 or self.pitch <= 0:
            return b.h >= r.headline_ratio * self.h
        across, along = (b.h, b.w) if b.w >= b.h else (b.w, b.h)
        return across >= r.headline_ratio * self.h and along / n >= r.headline_pitch_ratio * self.pitch


@dataclass
class _El:
    """An element to order: a text line, or a picture with the caption lines printed below it."""

    box: Box
    lines: list[OcrLine] = field(default_factory=list)
    picture: Box | None = None


@dataclass
class Laid:
    """The page text in reading order and, per text line, its box."""

    lines: list[str]
    boxes: list[Box | None]  # boxes[i] belongs to lines[i]; None for blank lines
    pictures: dict[int, list[Box]]  # 1-based line of a caption's first line → its picture(s)
    notes: list[Note]
    body_height: float


def _median(values: list[float], default: float) -> float:
    return statistics.median(values) if values else default


def column_width(widths: list[float], h: float, default: float) -> float:
    """The commonest width of body lines: a column's full lines are justified to one width,
    while short last lines and glued pairs vary (so the median would not do when many are glued)."""
    if not widths:
        return default
    step = max(1.0, h / 2)
    bins = Counter(round(w / step) for w in widths)
    top = max(bins.items(), key=lambda kv: (kv[1], kv[0]))[0] * step
    return _median([w for w in widths if abs(w - top) <= h], top)


def _coverage_gaps(spans: list[tuple[float, float]], min_width: float) -> list[tuple[float, float]]:
    """The gaps between merged intervals, at least ``min_width`` wide (not the outer margins)."""
    gaps: list[tuple[float, float]] = []
    end: float | None = None
    for a, b in sorted(spans):
        if end is not None and a - end >= min_width:
            gaps.append((end, a))
        end = b if end is None else max(end, b)
    return gaps


def _sparse_gaps(spans: list[tuple[float, float]], min_width: float) -> list[tuple[float, float]]:
    """x-ranges inside the spans' extent that at most a few spans cover (5 % of the densest
    place: OCR puts stray marks in gutters), at least ``min_width`` wide."""
    if not spans:
        return []
    events = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
    peak = count = 0
    for _, step in events:
        count += step
        peak = max(peak, count)
    allowed = max(1, int(0.05 * peak))
    gaps: list[tuple[float, float]] = []
    count, start = 0, None
    for x, step in events:
        before = count
        count += step
        if before > allowed >= count:
            start = x
        elif before <= allowed < count and start is not None:
            if x - start >= min_width:
                gaps.append((start, x))
            start = None
    return gaps


def _word_span(w: Word, h: float) -> tuple[float, float]:
    """A word's x-range, its width capped at 1.3 line heights a character: some engines give a
    CJK word a box running far past its last character."""
    return w.box.x0, min(w.box.x1, w.box.x0 + 1.3 * h * max(1, len(w.text)))


def gutters(lines: list[OcrLine], h: float, colw: float) -> list[tuple[float, float]]:
    """x-ranges between columns. With word boxes: what (almost) no word covers, so that even
    lines glued across every column (Tesseract on a page it took for a table) show the columns.
    Without: what (almost) no column-wide body line covers."""
    body = [ln for ln in lines if ln.box.h <= layout_rules().glued_max_ratio * h * 1.2]
    words = [_word_span(w, h) for ln in body for w in ln.words if _HAN_OR_ALNUM.search(w.text)]  # not stray marks
    if words:
        return _sparse_gaps(words, 0.5 * h)
    return _sparse_gaps([(ln.box.x0, ln.box.x1) for ln in body if ln.box.w <= 1.35 * colw], 0.3 * h)


def _near(lines: list[OcrLine], box: Box, gutter: tuple[float, float], left: bool, h: float, colw: float) -> bool:
    """Is there a column line on the ``left`` (or right) of ``gutter``, not crossing it, less than
    three lines above or below ``box``?"""
    for ln in lines:
        b = ln.box
        if b.w > 1.35 * colw or b.y1 <= box.y0 - 3 * h or b.y0 >= box.y1 + 3 * h:
            continue
        if left and b.x1 <= gutter[0] + 0.3 * h and b.x1 > box.x0:
            return True
        if not left and b.x0 >= gutter[1] - 0.3 * h and b.x0 < box.x1:
            return True
    return False


def _split_text(line: OcrLine, cut_x: float, gutter: tuple[float, float], pitch: float) -> tuple[OcrLine, OcrLine] | None:
    """Cut a glued line at a gutter: by words when there are word boxes, else by counting
    characters: the right part runs from the gutter to the box's end, and Chinese type is
    monospaced (``pitch`` per character), while the left part may end anywhere before the
    gutter (a paragraph's last line). The cut moves to a space if one is near."""
    b = line.box
    if line.words:
        h = b.h
        spans = [_word_span(w, h) for w in line.words]
        if any(a < cut_x < z and _HAN_OR_ALNUM.search(w.text) for w, (a, z) in zip(line.words, spans, strict=True)):
            return None  # a word runs across the gap: one line, not two columns
        left = [w for w, (a, z) in zip(line.words, spans, strict=True) if (a + z) / 2 < cut_x]
        right = [w for w, (a, z) in zip(line.words, spans, strict=True) if (a + z) / 2 >= cut_x]
        if not left or not right:
            return None
        lbox = Box(b.x0, b.y0, min(max(_word_span(w, h)[1] for w in left), gutter[1]), b.y1)
        rbox = Box(max(min(w.box.x0 for w in right), gutter[0]), b.y0, b.x1, b.y1)
        return (
            OcrLine(join_words(left, b.h), lbox, tuple(left), line.source_line),
            OcrLine(join_words(right, b.h), rbox, tuple(right), line.source_line),
        )
    text = line.text.strip()
    lw, rw = gutter[0] - b.x0, b.x1 - gutter[1]
    if lw <= 0 or rw <= 0 or len(text) < 2:
        return None
    visible = [i for i, c in enumerate(text) if not c.isspace()]  # engines space CJK text at random
    on_right = round(rw / pitch) if pitch > 0 else round(len(visible) * rw / (lw + rw))
    k = visible[max(1, min(len(visible) - 1, len(visible) - on_right))]
    if sum(c.isspace() for c in text) * 8 < len(text):  # a rare space near the cut is the engine's own mark of it
        near = [i for i, c in enumerate(text) if c.isspace() and abs(i - k) <= 2]
        if near:
            k = min(near, key=lambda i: abs(i - k))
    lt, rt = text[:k].strip(), text[k:].strip()
    if not lt or not rt:
        return None
    return OcrLine(lt, Box(b.x0, b.y0, gutter[0], b.y1)), OcrLine(rt, Box(gutter[1], b.y0, b.x1, b.y1))


def split_glued(lines: list[OcrLine], h: float, colw: float) -> tuple[list[OcrLine], int]:
    """Lines of two or more columns glued into one box, cut at the gutters they cross."""
    gaps = gutters(lines, h, colw)
    glued_max = layout_rules().glued_max_ratio
    pitch = _median([ln.box.w / n for ln in lines if (n := len("".join(ln.text.split()))) >= 4 and ln.box.w <= 1.35 * colw
                     and ln.box.h <= glued_max * h], 0.0)
    out: list[OcrLine] = []
    count = 0
    for line in lines:
        b = line.box
        pieces = [line]
        if b.h <= glued_max * h:
            for g in gaps:
                last = pieces[-1]
                lb = last.box
                if not (lb.x0 + 0.5 * h < g[0] and g[1] < lb.x1 - 0.5 * h):
                    continue
                if not last.words and not (_near(lines, lb, g, True, h, colw) and _near(lines, lb, g, False, h, colw)):
                    continue
                cut = _split_text(last, (g[0] + g[1]) / 2, g, pitch)
                if cut is None:
                    continue
                pieces[-1:] = list(cut)
                count += 1
        out.extend(pieces)
    return out, count


def _attach_captions(lines: list[OcrLine], pictures: list[Box], h: float) -> list[_El]:
    """Elements to order: each picture with the lines printed just below it, inside its width."""
    els: list[_El] = []
    used: set[int] = set()
    for pic in sorted(pictures, key=lambda p: (p.y0, p.x0)):
        el = _El(pic, [], pic)
        bottom = pic.y1
        for i, ln in sorted(enumerate(lines), key=lambda t: t[1].box.y0):
            b = ln.box
            if i in used or b.cx < pic.x0 or b.cx > pic.x1 or b.w > pic.w * 1.2:
                continue
            if bottom - 0.5 * h <= b.y0 <= bottom + 1.2 * h:
                el.lines.append(ln)
                el.box = el.box.union(b)
                used.add(i)
                bottom = b.y1
        els.append(el)
    els.extend(_El(ln.box, [ln]) for i, ln in enumerate(lines) if i not in used)
    return els


def _bands(els: list[_El]) -> list[list[_El]]:
    """Runs of elements with no horizontal gap between them, top to bottom."""
    bands: list[list[_El]] = []
    bottom = 0.0
    for e in sorted(els, key=lambda e: (e.box.y0, e.box.x0)):
        if not bands or e.box.y0 >= bottom:
            bands.append([e])
            bottom = e.box.y1
        else:
            bands[-1].append(e)
            bottom = max(bottom, e.box.y1)
    return bands


def _cut_where(bands: list[list[_El]], before: list[bool], after: list[bool]) -> list[list[_El]]:
    """Join the bands again except before the bands marked ``before`` and after those marked ``after``."""
    groups = [list(bands[0])]
    for i in range(1, len(bands)):
        if before[i] or after[i - 1]:
            groups.append(list(bands[i]))
        else:
            groups[-1].extend(bands[i])
    return groups


@dataclass
class _Leaf:
    """A single column's elements, top to bottom; ``top``: where the region it was cut from
    begins (its columns' common top), so a column starting lower has room above it."""

    els: list[_El]
    top: float


def _xy_order(els: list[_El], t: _Type, top: float | None = None) -> list[_Leaf]:
    """Recursive X–Y cut; leaves are single columns, read top to bottom. In this order:

    1. Above each band of headlines (headline type, or wider than a column and taller than
       body type) with no column's text beside them: stacked stories one after the other, each
       headline with the text under it. (A story whose headline stands beside another's column
       is not cut off here: step 2 parts them.)
    2. Vertical gaps with a headline on either side: stories side by side, left to right.
    3. In one story's stripe, above and below its headline band: a headline before its columns
       even when, centred, it leaves a column beside it free.
    4. Vertical gaps: columns, left to right.
    5. Above and below any element spanning columns (a picture, a line left glued).

    Columns cut side by side keep their region's top; stacked groups begin at their own."""
    h, colw = t.h, t.colw
    here = min((e.box.y0 for e in els), default=0.0) if top is None else top
    if len(els) <= 1:
        return [_Leaf(els, here)]

    def side_by_side(groups: list[list[_El]]) -> list[_Leaf]:
        return [leaf for g in groups if g for leaf in _xy_order(g, t, here)]

    def stacked(groups: list[list[_El]]) -> list[_Leaf]:
        return [leaf for g in groups if g for leaf in _xy_order(g, t)]

    def by_gaps(gaps: list[tuple[float, float]]) -> list[list[_El]]:
        columns: list[list[_El]] = [[] for _ in range(len(gaps) + 1)]
        for e in els:
            columns[sum(1 for g in gaps if e.box.cx > g[1])].append(e)
        return columns

    wide_ratio = layout_rules().wide_ratio

    def headline(e: _El) -> bool:
        return e.picture is None and (t.headline(e.lines[0]) or (e.box.w > wide_ratio * colw and e.box.h >= 1.2 * h))

    bands = _bands(els)
    marked = [any(headline(e) for e in band) for band in bands]
    clear = [all(headline(e) for e in band) for band in bands]  # no column's text beside the headline(s)
    if len(bands) > 1:
        groups = _cut_where(bands, clear, [False] * len(bands))
        if len(groups) > 1:
            return stacked(groups)
    vgaps = _coverage_gaps([(e.box.x0, e.box.x1) for e in els], 0.4 * h)
    heads = [e for e in els if headline(e)]
    sides = _story_gaps([g for g in vgaps if any(e.box.cx < g[0] for e in heads) and any(e.box.cx > g[1] for e in heads)], els, heads)
    if sides:
        return side_by_side(by_gaps(sides))
    if len(bands) > 1:
        groups = _cut_where(bands, marked, marked)
        if len(groups) > 1:
            return stacked(groups)
    if vgaps:
        return side_by_side(by_gaps(vgaps))
    if len(bands) > 1:
        wide = [any(e.box.w > wide_ratio * colw for e in band) for band in bands]
        groups = _cut_where(bands, wide, wide)
        if len(groups) > 1:
            return stacked(groups)
    return [_Leaf(sorted(els, key=lambda e: (e.box.y0, e.box.x0)), here)]


def _story_gaps(gaps: list[tuple[float, float]], els: list[_El], heads: list[_El]) -> list[tuple[float, float]]:
    """Of the vertical gaps with a headline on either side, those between stories: every part
    they leave must hold a headline. A part without one (a story's column beside its own
    centred headline) is joined to the neighbour whose headline stands nearer above it, as a
    headline is centred over its story."""
    kept = sorted(gaps)
    while kept:
        parts: list[list[_El]] = [[] for _ in range(len(kept) + 1)]
        for e in els:
            parts[sum(1 for g in kept if e.box.cx > g[1])].append(e)
        own = [[e for e in part if any(e is h for h in heads)] for part in parts]
        headless = next((k for k, hs in enumerate(own) if not hs), None)
        if headless is None:
            break
        cx = statistics.median(e.box.cx for e in parts[headless]) if parts[headless] else 0.0
        left, right = (min((abs(e.box.cx - cx) for e in own[k]), default=float("inf")) if 0 <= k < len(own) else float("inf")
                       for k in (headless - 1, headless + 1))
        if headless > 0 and (headless == len(kept) or left <= right):
            del kept[headless - 1]  # the gap on its left
        else:
            del kept[headless]  # the gap on its right
    return kept


def _runs_on(leaf: _Leaf, nxt: _Leaf, t: _Type) -> bool:
    """Does the paragraph at the end of ``leaf`` go on at the top of ``nxt``? Yes when the
    column's last line is body type, reaches the column's right edge (as a paragraph's inner
    lines do, its last line seldom) and ends no sentence, and the next column, beside it (it
    starts higher than that line), opens with body type at its left edge (no indent)."""
    texts = [e for e in leaf.els if e.picture is None and e.lines]
    if not texts or not nxt.els or texts[-1] is not leaf.els[-1] or nxt.els[0].picture is not None or not nxt.els[0].lines:
        return False
    last, first = texts[-1].lines[0], nxt.els[0].lines[0]
    if t.pitch <= 0 or t.headline(last) or t.headline(first) or _SENTENCE_END.search(last.text.rstrip()):
        return False
    slack = layout_rules().full_line_slack_chars * t.pitch
    right = max(e.box.x1 for e in texts)
    left = min(e.box.x0 for e in nxt.els if e.picture is None)
    return last.box.x1 >= right - slack and first.box.x0 <= left + 0.5 * t.pitch and first.box.y0 < last.box.y0


def reading_order(page: OcrPage) -> Laid:
    """The page's text in reading order, one entry per line, with boxes (see the module doc)."""
    heights = [ln.box.h for ln in page.lines]
    h = _median(heights, 1.0)
    body = [ln for ln in page.lines if 0.75 * h <= ln.box.h <= 1.3 * h]
    colw = column_width([ln.box.w for ln in body], h, page.width)
    lines, glued = split_glued(page.lines, h, colw)
    notes: list[Note] = []
    if glued:
        notes.append(note("gutter_split", count=glued))
    pitch = _median([ln.box.w / n for ln in lines if (n := advance(ln.text)) >= 4 and 0.75 * h <= ln.box.h <= 1.3 * h
                     and ln.box.w <= 1.35 * colw and ln.box.w >= ln.box.h], 0.0)
    t = _Type(h, colw, pitch)
    leaves = _xy_order(_attach_captions(lines, page.pictures, h), t)
    gaps = []
    for leaf in leaves:
        for a, b in itertools.pairwise(leaf.els):
            if not a.picture and not b.picture and a.lines and b.lines:
                gaps.append(b.box.y0 - a.box.y1)
    leading = _median([g for g in gaps if g >= 0], 0.3 * h)
    room = layout_rules().picture_gap_lines * h
    text: list[str] = []
    boxes: list[Box | None] = []
    pictures: dict[int, list[Box]] = {}

    def blank(n: int) -> None:
        have = 0
        while have < len(text) and text[len(text) - 1 - have] == "":
            have += 1
        for _ in range(max(0, n - have) if text else 0):
            text.append("")
            boxes.append(None)

    def put(line: OcrLine, mark: bool) -> None:
        text.append(("# " if mark else "") + line.text.strip())
        boxes.append(line.box)

    caption = False  # text set off under room for a picture: up to its paragraph's end, set off after too
    previous: _Leaf | None = None
    for leaf in leaves:
        runs_on = previous is not None and _runs_on(previous, leaf, t) and not caption
        if not runs_on:
            blank(2 if caption else 1)  # a column break, as the text pages show it
            caption = False
        previous = leaf
        prev: _El | None = None
        above = leaf.top  # where the room above the next element begins (None: after a picture)
        after_picture = False
        for el in leaf.els:
            if el.picture is not None:
                blank(2)
                if el.lines:
                    pictures[len(text) + 1] = [el.picture]
                    for ln in el.lines:
                        put(ln, False)
                blank(2)
                prev, caption, after_picture = None, False, True
                continue
            line = el.lines[0]
            big = t.headline(line)
            was_big = prev is not None and prev.lines and prev.picture is None and t.headline(prev.lines[0])
            gap = el.box.y0 - (prev.box.y1 if prev is not None else above)
            if not after_picture and not runs_on and gap > room:
                blank(2)  # room for something that is not text (a picture the OCR did not report): set off as a caption is
                caption = True
            elif prev is not None and (big != was_big or gap > leading + 0.5 * h):
                blank(2 if caption else 1)
                caption = False
            put(line, big and not was_big)
            prev, runs_on, after_picture = el, False, False
    while text and text[-1] == "":
        text.pop()
        boxes.pop()
    return Laid(text, boxes, pictures, notes, h)


def zones(boxes: list[Box], h: float) -> list[Box]:
    """Boxes of consecutive lines merged into rectangles, one per column stretch."""
    out: list[Box] = []
    for b in boxes:
        if out:
            z = out[-1]
            same_column = b.x0 < z.x1 and b.x1 > z.x0
            if same_column and z.y1 - 0.5 * h <= b.y0 <= z.y1 + 3 * h:
                out[-1] = z.union(b)
                continue
        out.append(b)
    return out


__all__ = ["Box", "Laid", "OcrLine", "Word", "reading_order", "zones"]
