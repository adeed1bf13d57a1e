"""Typeset a page text as a printed newspaper page image (test material and benchmarks).

Real page images with known truth cannot be shipped, so the tests make them: a page text (a
seed page, or a corpus article) is set in columns with a CJK font (Noto CJK, Debian
``fonts-noto-cjk``), each story under a headline spanning the columns, photos as grey boxes
with their captions below, and the image is then OCR'd (Tesseract) like a scanned page.
Nothing here is used when ingesting: it only makes inputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
_SERIF = ("NotoSerifCJK-Regular.ttc", "NotoSansCJK-Regular.ttc")
_BOLD = ("NotoSansCJK-Bold.ttc", "NotoSerifCJK-Bold.ttc")
_SC = 2  # index of the Simplified Chinese face in Noto's collections


@dataclass
class Set:
    """What was printed where: per printed line its text and box, and the pictures."""

    width: int
    height: int
    lines: list[tuple[str, tuple[int, int, int, int], str]] = field(default_factory=list)  # text, box, kind
    pictures: list[tuple[int, int, int, int]] = field(default_factory=list)
    columns: list[tuple[int, int]] = field(default_factory=list)  # x-ranges of the columns


def font_path(bold: bool = False) -> Path | None:
    for name in _BOLD if bold else _SERIF:
        if (FONT_DIR / name).is_file():
            return FONT_DIR / name
    return None


def _blocks(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    cur: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            cur.append(line.strip())
        elif cur:
            out.append(cur)
            cur = []
    return out


_CREDIT = re.compile(r"(?<=[。！？”])\s*([(（][^()（）]{1,40}[)）])\s*$")


def _norm(text: str) -> str:
    return re.sub(r"[\s#*]", "", text)


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def typeset(lines: list[str], titles: set[str] | None = None, captions: set[str] | None = None, *, columns: int = 3,
            chars: int = 12, size: int = 26, gutter: float = 2.5, rules: bool = True) -> tuple[Any, Set]:
    """Set a page text in ``columns`` columns of ``chars`` characters, ``size`` pixels a character,
    ``gutter`` characters apart, with a thin rule between columns when ``rules`` (as papers print).

    A block whose text is in ``titles`` (or starts with ``#``) opens a story: its headline spans
    the columns; a block starting with ``——`` after it is the subtitle. A block in ``captions`` is
    set under a grey photo box. Returns the Pillow image and what was printed where."""
    from PIL import Image, ImageDraw, ImageFont

    regular, bold = font_path(), font_path(bold=True)
    if regular is None or bold is None:
        raise RuntimeError(f"Noto CJK fonts not found in {FONT_DIR} (Debian package fonts-noto-cjk)")
    body_font = ImageFont.truetype(str(regular), size, index=_SC)
    head_font = ImageFont.truetype(str(bold), int(size * 1.8), index=_SC)
    sub_font = ImageFont.truetype(str(regular), int(size * 1.3), index=_SC)
    titles = {_norm(t) for t in titles or set()}
    captions = {_norm(c)[:12] for c in captions or set()}
    lead = int(size * 1.45)
    gap = int(size * gutter)
    margin = size * 2
    colw = chars * size
    width = 2 * margin + columns * colw + (columns - 1) * gap

    # stories: (headline lines, units); a unit is ("text"|"caption"|"gap", lines)
    stories: list[tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]] = [([], [])]
    for block in _blocks(lines):
        joined = "".join(block)
        key = _norm(joined)
        if key in titles or joined.startswith("#") or (len(block) > 1 and _norm(block[0]) in titles and block[1].startswith("——")):
            head = block[0] if key not in titles and not joined.startswith("#") else joined
            stories.append(([("head", re.sub(r"^#+\s*", "", head).replace("**", ""))], []))
            if head is block[0]:
                stories[-1][0].extend(("sub", line) for line in block[1:])
            continue
        if joined.startswith("——") and stories[-1][0] and not stories[-1][1]:
            stories[-1][0].append(("sub", joined))
            continue
        text = joined.replace("**", "")
        kind = "caption" if key[:12] in captions else "text"
        units = stories[-1][1]
        if units:
            units.append(("gap", []))
        credit = _CREDIT.search(text) if kind == "text" else None
        if credit:  # a closing byline "(通讯员 …)" is set apart below the paragraph, as papers print it
            units.extend([(kind, _wrap(text[: credit.start()], chars)), ("gap", []), (kind, _wrap(credit.group(1), chars))])
        else:
            units.append((kind, _wrap(text, chars)))

    placed = Set(width, 0, columns=[(margin + c * (colw + gap), margin + c * (colw + gap) + colw) for c in range(columns)])
    draw_ops: list[tuple[str, tuple[int, int], str, object]] = []
    y = margin
    for heads, units in stories:
        if not heads and not units:
            continue
        for kind, text in heads:
            font = head_font if kind == "head" else sub_font
            x0, y0, x1, y1 = font.getbbox(text)
            tw = x1 - x0
            if tw > width - 2 * margin:  # too long for one line: two lines
                half = (len(text) + 1) // 2
                parts = [text[:half], text[half:]]
            else:
                parts = [text]
            for part in parts:
                x0, y0, x1, y1 = (int(v) for v in font.getbbox(part))
                x = margin + (width - 2 * margin - (x1 - x0)) // 2
                draw_ops.append(("text", (x, y), part, font))
                placed.lines.append((part, (x + x0, y + y0, x + x1, y + y1), kind))
                y += int((y1 - y0) * 1.5)
        y += size // 2
        # the story's units as rows of lines; pictures take six rows
        rows: list[tuple[str, str]] = []  # (kind, text): text / caption / gap / pic
        for kind, wrapped in units:
            if kind == "caption":
                rows.extend([("pic", "")] * 6)
                rows.extend(("caption", t) for t in wrapped)
            elif kind == "gap":
                rows.append(("gap", ""))
            else:
                rows.extend(("text", t) for t in wrapped)
        per = -(-len(rows) // columns) if rows else 0
        # never break a photo from its caption: move a column break before the photo
        cols: list[list[tuple[str, str]]] = []
        i = 0
        for c in range(columns):
            end = len(rows) if c == columns - 1 else min(len(rows), i + per)
            while 0 < end < len(rows) and rows[end][0] in ("pic", "caption") and rows[end - 1][0] in ("pic", "caption"):
                end += 1
            cols.append(rows[i:end])
            i = end
        top = y
        deepest = y
        for c, col in enumerate(cols):
            x = margin + c * (colw + gap)
            yy = top
            for n, (kind, text) in enumerate(col):
                if kind == "pic":
                    if n == 0 or col[n - 1][0] != "pic":
                        box = (x, yy, x + colw, yy + 6 * lead - size // 2)
                        draw_ops.append(("pic", (box[0], box[1]), "", box))
                        placed.pictures.append(box)
                elif kind in ("text", "caption") and text:
                    x0, y0, x1, y1 = (int(v) for v in body_font.getbbox(text))
                    draw_ops.append(("text", (x, yy), text, body_font))
                    placed.lines.append((text, (x + x0, yy + y0, x + x1, yy + y1), kind))
                yy += lead
            deepest = max(deepest, yy)
            if rules and c and col:
                rx = x - gap // 2
                draw_ops.append(("rule", (rx, top), "", (rx, top, rx + 1, top + len(col) * lead)))
        y = deepest + size * 2
    placed.height = y + margin
    image = Image.new("L", (placed.width, placed.height), 255)
    draw = ImageDraw.Draw(image)
    for op, (x, yy), text, arg in draw_ops:
        if op == "pic":
            draw.rectangle(arg, fill=170)  # type: ignore[arg-type]
        elif op == "rule":
            draw.rectangle(arg, fill=90)  # type: ignore[arg-type]
        else:
            draw.text((x, yy), text, font=arg, fill=0)  # type: ignore[arg-type]
    return image, placed
