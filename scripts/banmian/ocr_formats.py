"""Read OCR output that carries coordinates: ALTO XML (v2–v4), hOCR and PaddleOCR JSON.

Each reader turns one file into an ``OcrPage``: its text lines in the engine's order, each with
its box (and its words' boxes where the format has them), the page's size in the file's units,
and the boxes of pictures. Putting the lines in reading order is ``layout``'s business.

Safety: these files come from outside (an OCR vendor, a pull request). ALTO is parsed with the
standard library's expat with every entity declaration refused (no billion laughs, no external
entities: XXE) and no DTD read; hOCR is read with ``html.parser``, which expands no declared
entities at all; JSON with ``json``. Files larger than ``MAX_OCR_BYTES`` are refused unread.
Every problem becomes an ``InputError`` naming the file (and line, where there is one).
"""

from __future__ import annotations

import json
import re
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.parsers import expat

from .reader import InputError

MAX_OCR_BYTES = 64 * 1024 * 1024  # an ALTO file of a dense broadsheet page is a few MB
OCR_SUFFIXES = {".xml": "alto", ".alto": "alto", ".hocr": "hocr", ".html": "hocr", ".htm": "hocr", ".json": "paddle"}
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in the page's units (pixels, or ALTO's mm10/inch1200)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def as_list(self) -> list[int]:
        return [round(self.x0), round(self.y0), round(self.x1), round(self.y1)]


@dataclass(frozen=True)
class Word:
    text: str
    box: Box


@dataclass
class OcrLine:
    """One line as the engine found it; ``source_line`` is where it sits in the file (messages)."""

    text: str
    box: Box
    words: tuple[Word, ...] = ()
    source_line: int | None = None


@dataclass
class OcrPage:
    path: str  # as shown in messages and citations
    format: str  # alto | hocr | paddle
    width: float
    height: float
    lines: list[OcrLine]
    pictures: list[Box] = field(default_factory=list)
    sized: bool = True  # the file states the page's size (PaddleOCR's JSON usually does not)


def _too_big(path: Path, shown: str) -> None:
    """Refuse, unread, what is no regular file (a pipe would block forever) or too large."""
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise InputError(shown, "不是普通文件（管道、套接字或设备），已跳过 / not a regular file (a pipe, socket or device): skipped")
    size = st.st_size
    if size > MAX_OCR_BYTES:
        raise InputError(shown, f"OCR 文件过大（{size / 1e6:.1f} MB）/ OCR file too large ({size / 1e6:.1f} MB, limit "
                         f"{MAX_OCR_BYTES / 1e6:.0f} MB for one page): export one file per page")


def join_words(words: list[Word], height: float) -> str:
    """A line's text from its words: a space only where the page shows one.

    Engines put a separator between every word, but Chinese is set without spaces, so a space is
    kept where the gap between two words is at least 0.9 of the line's height (a space about a
    character wide, as between the names of a byline: engines' CJK word boxes are too ragged to
    trust a narrower gap) or where both sides are Latin letters or digits."""
    out = ""
    prev: Word | None = None
    for w in words:
        if prev is not None and out:
            gap = w.box.x0 - prev.box.x1
            latin = not _HAN.search(out[-1]) and not _HAN.search(w.text[:1])
            if gap >= 0.9 * height or (latin and gap > 0):
                out += " "
        out += w.text
        prev = w
    return out


# --------------------------------------------------------------------------------------- ALTO


def safe_xml(data: bytes, shown: str) -> tuple[ET.Element, dict[int, int]]:
    """Parse XML with expat, refusing entity declarations and external entities.

    Returns the root and the source line of each element (``id(element)`` → line)."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    lines: dict[int, int] = {}

    def refuse_entity(*_args: object) -> None:
        raise InputError(shown, "XML 中声明了实体，为安全起见拒绝读取 / the XML declares entities (<!ENTITY …>), refused "
                         "for safety (entity expansion, external files): export the OCR without a DTD", parser.CurrentLineNumber)

    def external(*_args: object) -> int:
        raise InputError(shown, "XML 引用了外部实体，拒绝读取 / the XML refers to an external entity, refused", parser.CurrentLineNumber)

    def start(tag: str, attrs: dict[str, str]) -> None:
        elem = builder.start("{" + tag if "}" in tag else tag, attrs)
        lines[id(elem)] = parser.CurrentLineNumber

    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = external
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end("{" + tag if "}" in tag else tag)
    parser.CharacterDataHandler = builder.data
    parser.ordered_attributes = False
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise InputError(shown, f"XML 格式错误 / malformed XML: {expat.ErrorString(exc.code)} (column {exc.offset + 1}); "
                         "re-export the file from the OCR program", exc.lineno) from None
    return builder.close(), lines


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _num(elem: ET.Element, name: str, shown: str, line: int | None) -> float:
    raw = elem.get(name)
    try:
        return float(raw) if raw is not None else float("nan")
    except ValueError:
        raise InputError(shown, f"{_local(elem.tag)} 的 {name}={raw!r} 不是数字 / {name} is not a number", line) from None


def _alto_box(elem: ET.Element, shown: str, line: int | None) -> Box | None:
    vals = [_num(elem, k, shown, line) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT")]
    if any(v != v for v in vals):  # NaN: attribute missing
        return None
    x, y, w, h = vals
    if w < 0 or h < 0:
        return None
    return Box(x, y, x + w, y + h)


def read_alto(data: bytes, shown: str) -> OcrPage:
    root, where = safe_xml(data, shown)
    if _local(root.tag) != "alto":
        raise InputError(shown, f"不是 ALTO 文件（根元素是 <{_local(root.tag)}>）/ not an ALTO file (root element <{_local(root.tag)}>, "
                         "expected <alto>); only ALTO XML is read from .xml files", 1)
    pages = [e for e in root.iter() if _local(e.tag) == "Page"]
    if len(pages) != 1:
        raise InputError(shown, f"ALTO 文件应恰好有一个 <Page>，这里有 {len(pages)} 个 / an ALTO file must hold exactly one <Page>, "
                         f"this one has {len(pages)}: export one file per page")
    page = pages[0]
    pline = where.get(id(page))
    width, height = _num(page, "WIDTH", shown, pline), _num(page, "HEIGHT", shown, pline)
    lines: list[OcrLine] = []
    pictures: list[Box] = []
    for elem in page.iter():
        name = _local(elem.tag)
        line_no = where.get(id(elem))
        if name == "Illustration":
            box = _alto_box(elem, shown, line_no)
            if box is not None and box.w > 0 and box.h > 0:
                pictures.append(box)
        if name != "TextLine":
            continue
        words: list[Word] = []
        for child in elem:
            if _local(child.tag) == "String":
                content = child.get("CONTENT") or ""
                box = _alto_box(child, shown, where.get(id(child)))
                if content and box is not None:
                    words.append(Word(content, box))
            elif _local(child.tag) == "HYP" and words:
                content = child.get("CONTENT") or ""  # a printed hyphen at the line's end: kept, as printed
                words[-1] = Word(words[-1].text + content, words[-1].box)
        box = _alto_box(elem, shown, line_no)
        if box is None and words:
            box = words[0].box
            for w in words[1:]:
                box = box.union(w.box)
        if box is None:
            raise InputError(shown, "TextLine 缺少坐标 (HPOS/VPOS/WIDTH/HEIGHT) / TextLine without coordinates", line_no)
        text = join_words(words, box.h)
        if text.strip():
            lines.append(OcrLine(text, box, tuple(words), line_no))
    return _finish(OcrPage(shown, "alto", width, height, lines, pictures), pline)


# --------------------------------------------------------------------------------------- hOCR

_BBOX = re.compile(r"\bbbox\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)")
_LINE_CLASSES = {"ocr_line", "ocrx_line", "ocr_caption", "ocr_header", "ocr_textfloat"}
_PICTURE_CLASSES = {"ocr_photo", "ocr_image", "ocr_graphic"}


class _Hocr(HTMLParser):
    """Collects pages, lines and words from hOCR; no entities beyond HTML's own are expanded."""

    def __init__(self, shown: str) -> None:
        super().__init__(convert_charrefs=True)
        self.shown = shown
        self.stack: list[tuple[str, set[str]]] = []
        self.pages: list[tuple[Box | None, int]] = []
        self.pictures: list[Box] = []
        self.lines: list[OcrLine] = []
        self.line: tuple[Box, int, list[Word], list[str]] | None = None
        self.word: tuple[Box, list[str]] | None = None

    def box(self, title: str | None) -> Box | None:
        m = _BBOX.search(title or "")
        return Box(*(float(g) for g in m.groups())) if m else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if tag not in ("br", "img", "meta", "link", "hr", "input"):
            self.stack.append((tag, classes))
        line_no = self.getpos()[0]
        if "ocr_page" in classes:
            self.pages.append((self.box(a.get("title")), line_no))
        elif classes & _PICTURE_CLASSES:
            b = self.box(a.get("title"))
            if b is not None:
                self.pictures.append(b)
        elif classes & _LINE_CLASSES:
            b = self.box(a.get("title"))
            if b is None:
                raise InputError(self.shown, "hOCR 行没有 bbox / an hOCR line has no bbox in its title", line_no)
            self.line = (b, line_no, [], [])
        elif "ocrx_word" in classes and self.line is not None:
            b = self.box(a.get("title"))
            if b is not None:
                self.word = (b, [])

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            name, classes = self.stack.pop()
            if "ocrx_word" in classes and self.word is not None and self.line is not None:
                text = "".join(self.word[1]).strip()
                if text:
                    self.line[2].append(Word(text, self.word[0]))
                self.word = None
            if classes & _LINE_CLASSES and self.line is not None:
                box, line_no, words, loose = self.line
                text = join_words(words, box.h) if words else " ".join("".join(loose).split())
                if text.strip():
                    self.lines.append(OcrLine(text, box, tuple(words), line_no))
                self.line = None
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.word is not None:
            self.word[1].append(data)
        elif self.line is not None:
            self.line[3].append(data)


def read_hocr(data: bytes, shown: str) -> OcrPage:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"hOCR 不是 UTF-8 / hOCR is not UTF-8 (byte {exc.start}): re-export it as UTF-8") from None
    if re.search(r"<!ENTITY", text, re.I):
        raise InputError(shown, "hOCR 中声明了实体，为安全起见拒绝读取 / the hOCR declares entities (<!ENTITY …>), refused for safety",
                         text[: re.search(r"<!ENTITY", text, re.I).start()].count("\n") + 1)  # type: ignore[union-attr]
    parser = _Hocr(shown)
    parser.feed(text)
    parser.close()
    if "ocr_page" not in text:
        raise InputError(shown, "不是 hOCR 文件（没有 ocr_page）/ not an hOCR file (no element of class ocr_page)", 1)
    if len(parser.pages) != 1:
        raise InputError(shown, f"hOCR 文件应恰好有一个 ocr_page，这里有 {len(parser.pages)} 个 / an hOCR file must hold exactly one page "
                         f"(ocr_page), this one has {len(parser.pages)}: export one file per page")
    pbox, pline = parser.pages[0]
    width, height = (pbox.x1, pbox.y1) if pbox else (float("nan"), float("nan"))
    return _finish(OcrPage(shown, "hocr", width, height, parser.lines, parser.pictures), pline)


# --------------------------------------------------------------------------------------- PaddleOCR


def _paddle_box(raw: object) -> Box | None:
    """``[x0, y0, x1, y1]`` or a polygon ``[[x, y], …]`` (PaddleOCR's four corners)."""
    if isinstance(raw, list) and len(raw) == 4 and all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw):
        x0, y0, x1, y1 = (float(v) for v in raw)
        return Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)) if x1 != x0 and y1 != y0 else None
    if isinstance(raw, list) and len(raw) >= 3 and all(isinstance(p, list) and len(p) == 2 for p in raw):
        try:
            xs = [float(p[0]) for p in raw]
            ys = [float(p[1]) for p in raw]
        except (TypeError, ValueError):
            return None
        return Box(min(xs), min(ys), max(xs), max(ys))
    return None


def _paddle_items(data: object) -> list[tuple[object, object]] | None:
    """(text, box) pairs from the shapes PaddleOCR's tools write, or None when it is none of them:
    ``[{text, box}]``, ``{ocr_results: [...]}``, PaddleOCR 3's ``{rec_texts, rec_polys|rec_boxes}``
    (also under ``res``), and the classic ``[[polygon, [text, score]], ...]``."""
    if isinstance(data, dict):
        if isinstance(data.get("res"), dict):
            data = data["res"]
        if isinstance(data, dict) and isinstance(data.get("ocr_results"), list):
            data = data["ocr_results"]
        elif isinstance(data, dict) and isinstance(data.get("rec_texts"), list):
            boxes = data.get("rec_polys") or data.get("rec_boxes") or data.get("dt_polys")
            if not isinstance(boxes, list) or len(boxes) != len(data["rec_texts"]):
                return None
            return list(zip(data["rec_texts"], boxes, strict=True))
    if not isinstance(data, list):
        return None
    first = data[0] if len(data) == 1 and isinstance(data[0], list) and data[0] else None
    if first is not None and isinstance(first[0], list) and len(first[0]) == 2 and isinstance(first[0][1], list | tuple):
        data = first  # PaddleOCR 2's result for one image: [[[polygon, (text, score)], ...]]
    out: list[tuple[object, object]] = []
    for item in data:
        if isinstance(item, dict):
            text = next((item[k] for k in ("text", "transcription", "rec_text") if k in item), None)
            box = next((item[k] for k in ("box", "bbox", "points", "text_region", "poly") if k in item), None)
            out.append((text, box))
        elif isinstance(item, list) and len(item) == 2 and isinstance(item[1], list | tuple) and item[1]:
            out.append((item[1][0], item[0]))
        else:
            out.append((None, None))
    return out


def read_paddle(data: bytes, shown: str) -> OcrPage:
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"JSON 不是 UTF-8 / JSON is not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InputError(shown, f"JSON 格式错误 / malformed JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    items = _paddle_items(parsed)
    if items is None:
        raise InputError(shown, "不是可识别的 PaddleOCR JSON / not PaddleOCR JSON: expected a list of {\"text\": …, \"box\": …}, "
                         "{\"ocr_results\": [...]}, or {\"rec_texts\": [...], \"rec_polys\": [...]}", 1)
    lines: list[OcrLine] = []
    for n, (text, raw_box) in enumerate(items, 1):
        box = _paddle_box(raw_box)
        if not isinstance(text, str) or box is None:
            raise InputError(shown, f"第 {n} 条识别结果缺少文字或坐标 / result {n} lacks a text string or a box "
                             "([x0, y0, x1, y1] or [[x, y], …])")
        if text.strip():
            lines.append(OcrLine(text, box, (), None))
    width = max((ln.box.x1 for ln in lines), default=float("nan"))
    height = max((ln.box.y1 for ln in lines), default=float("nan"))
    sized = False
    if isinstance(parsed, dict):  # a page size, when the tool wrote one
        for wk, hk in (("width", "height"), ("image_width", "image_height")):
            if isinstance(parsed.get(wk), int | float) and isinstance(parsed.get(hk), int | float):
                width, height, sized = float(parsed[wk]), float(parsed[hk]), True
    return _finish(OcrPage(shown, "paddle", width, height, lines, [], sized), None)


# --------------------------------------------------------------------------------------- common


def _finish(page: OcrPage, page_line: int | None) -> OcrPage:
    """Check what every format must give: some text, a page size, boxes inside the page."""
    if not page.lines:
        raise InputError(page.path, "OCR 文件中没有文字行 / no text lines in the OCR file: nothing to ingest")
    if not (page.width > 0 and page.height > 0):
        page.width = max(ln.box.x1 for ln in page.lines)
        page.height = max(ln.box.y1 for ln in page.lines)
    tol = 0.02 * max(page.width, page.height)
    for ln in page.lines:
        b = ln.box
        if b.x1 <= b.x0 or b.y1 <= b.y0 or b.x0 < -tol or b.y0 < -tol or b.x1 > page.width + tol or b.y1 > page.height + tol:
            raise InputError(page.path, f"行「{ln.text[:20]}」的坐标 {b.as_list()} 超出页面 {round(page.width)}×{round(page.height)} "
                             f"或为空 / line box outside the page or empty", ln.source_line or page_line)
    return page


def read_ocr(path: Path, shown: str) -> OcrPage:
    """Read one OCR file by its suffix; any problem is an ``InputError`` naming the file."""
    kind = OCR_SUFFIXES.get(path.suffix.casefold())
    if kind is None:
        raise InputError(shown, f"不认识的 OCR 文件类型 {path.suffix} / unknown OCR file type; use .xml (ALTO), .hocr or .json (PaddleOCR)")
    _too_big(path, shown)
    data = path.read_bytes()
    return {"alto": read_alto, "hocr": read_hocr, "paddle": read_paddle}[kind](data, shown)
