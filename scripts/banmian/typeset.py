"""Typeset a corpus of printed articles into OCR-style page texts, with an answer key.

The measuring stick for reading pages of any newspaper (``banmian eval``). A corpus is JSON
Lines, one article a line, with the parts as printed (the format of the shared development
corpus): ``id``, ``paper``, ``date`` (ISO), ``page`` (number), ``kicker``, ``title``, ``subtitle``,
``byline_raw`` and ``byline_position`` (``top``: its own line under the headline; ``dateline``
and ``end``: already inside ``paragraphs``), ``authors`` (``name``/``role``), ``dateline`` and
``paragraphs`` (the body as printed). Optional: ``page_name`` (版名).

Every page is set in one layout and a mix of the OCR traits real page texts show, chosen by a
seeded random generator, so the same corpus and seed give the same pages byte for byte:

- layout ``narrow`` (hard line breaks every 10–13 characters), ``medium`` (18–25) or ``wide``
  (one line per paragraph); paragraphs apart by a blank line or not, their first line indented
  (the indent printed as spaces, or lost as OCR often loses it, the line merely shorter);
- justification spaces inside lines, half-width punctuation, column breaks (a blank line where
  a column ended, often mid-sentence);
- the headline group on its own lines (kicker, main title, subtitle), a two-phrase title
  sometimes printed on two lines; a ``top`` byline on its own line under it;
- a folio line at the top or bottom (publication — or none —, date in Gregorian digits, Chinese
  numerals or, before 1950, the 民国 era, weekday, page number, page name);
- photo captions between articles, with a credit line (``本报记者  王晓华摄``) or a bracketed one;
- OCR repeats: a sentence printed two or three times in a row, a paragraph printed twice.

The answer key says, per page, what is printed where: each article's main title, kicker,
subtitle, authors (names and roles as printed), dateline, its paragraphs, the anchors that
identify its first and last words, the repeats inserted, the folio's fields and the captions.
Nothing here reads the pipeline: ``evaluate`` compares the two.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import asdict, dataclass, field
from datetime import date as Date
from pathlib import Path

from . import fold
from .bylines import is_name

LAYOUTS: dict[str, tuple[int, int] | None] = {"narrow": (10, 13), "medium": (18, 25), "wide": None}
WEEKDAYS = "一二三四五六日"
DIGITS = "〇一二三四五六七八九"
#: Page names a folio may print (generic section names, not taken from any corpus).
PAGE_NAMES = ("要闻", "综合", "国际", "经济", "社会", "文化", "地方", "评论", "副刊", "体育")
_HALF = str.maketrans({"，": ",", "；": ";", "：": ":", "？": "?", "！": "!", "（": "(", "）": ")"})
_SENTENCE = re.compile(r"[^。！？]+[。！？][”’]?")
_BRACKETED = re.compile(r"^[（(].*[)）]$")


class CorpusError(ValueError):
    """A corpus line that cannot be typeset; the message names file and line."""


@dataclass
class Traits:
    """The OCR traits one page is set with."""

    layout: str
    width: int = 0  # characters per line; 0: one line per paragraph
    para_gap: bool = True  # a blank line between paragraphs
    justify: bool = False
    halfwidth: bool = False
    column_breaks: bool = False
    indent: bool = False
    folio: str | None = None  # top | bottom | None
    folio_date: str = "gregorian"  # gregorian | numerals | minguo
    folio_paper: bool = True
    captions: bool = False
    repeats: bool = False
    split_title: bool = False
    article_gap: int = 2  # blank lines between two articles (one on many pages)


@dataclass
class KeyArticle:
    id: str
    title: str
    kicker: str | None
    subtitle: str | None
    authors: list[dict[str, str | None]]
    dateline: str | None
    paragraphs: list[str]  # body as printed, without end notes
    end_notes: list[str]
    anchors: tuple[str, str]  # normalised first and last words of the body
    credit: str | None = None  # a credit printed inside the dateline (it leaves the text for the authors)
    repeats: list[str] = field(default_factory=list)  # normalised units printed more than once


@dataclass
class KeyPage:
    name: str
    traits: Traits
    folio: dict[str, object] | None  # publication (None when not printed), date, page, page_name
    articles: list[KeyArticle]
    captions: list[str]


# --- text helpers ---------------------------------------------------------------------------------


_NORM = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})


def norm(text: str | None) -> str:
    """What the comparisons see: no whitespace, half-width punctuation as full-width."""
    return re.sub(r"\s+", "", text or "").translate(_NORM)


def _ocr(text: str) -> str:
    """Printed spaces as OCR gives them: no-break and ideographic spaces become plain spaces."""
    return text.replace("\u00a0", " ").replace("\u3000", " ")


def _numerals(n: int) -> str:
    """21 → 二十一, 10 → 十, 115 → 一百一十五 (dates and page numbers only)."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + DIGITS[rest] if rest < 10 else ("一" + _numerals(rest) if rest < 20 else _numerals(rest)))
    return DIGITS[n // 100] + "百" + tail


def folio_date_text(iso: str, how: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    if how == "minguo":
        return f"中华民国{_numerals(y - 1911)}年{_numerals(m)}月{_numerals(d)}日"
    if how == "numerals":
        return "".join(DIGITS[int(c)] for c in str(y)) + f"年{_numerals(m)}月{_numerals(d)}日"
    return f"{y}年{m}月{d}日"


def folio_line(rng: random.Random, folio: dict[str, object], how: str) -> str:
    """One folio line in one of the orders papers print: paper, date, weekday, page, page name."""
    iso = str(folio["date"])
    weekday = "星期" + WEEKDAYS[Date.fromisoformat(iso).weekday()]
    page = int(str(folio["page"]))
    page_text = rng.choice([f"第{page}版", f"第{_numerals(page)}版", f"{page:02d}", f"第{page}版"])
    date = folio_date_text(iso, how)
    paper = folio["publication"]
    name = folio.get("page_name")
    parts = [p for p in (paper, date, weekday, page_text, name) if p]
    order = rng.randrange(3)
    if order == 1:  # page first: "第13版  要闻  人民日报  2026年5月3日  星期日"
        parts = [p for p in (page_text, name, paper, date, weekday) if p]
    elif order == 2:  # date first
        parts = [p for p in (date, weekday, paper, page_text, name) if p]
    return rng.choice(["  ", "   ", " "]).join(str(p) for p in parts)


# --- answer key from a corpus line ------------------------------------------------------------------


def _end_notes(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Trailing bracketed paragraphs (``（作者为…）``, ``（本报记者…）``) are end notes, not body."""
    body = list(paragraphs)
    notes: list[str] = []
    while body and _BRACKETED.match(body[-1].strip()) and len(body) > 1:
        notes.insert(0, body.pop())
    return body, notes


def key_authors(row: dict) -> list[dict[str, str | None]]:
    """The corpus's authors made consistent: a name-less role (本报评论员) names no one; a paper's
    name listed as its own entry before its reporter (``北京日报`` + ``任珊/记者``) is the role
    ``北京日报记者``; an entry that is not a name (a cross-reference note) is dropped."""
    out: list[dict[str, str | None]] = []
    pending_org: str | None = None
    for a in row.get("authors") or []:
        name, role = a.get("name"), a.get("role")
        if not name:
            continue
        if role is None and re.search(r"(报|社|台|网)$", fold.fold_text(name)):  # 北京日報 too
            pending_org = name
            continue
        if pending_org and role:
            role = pending_org + role
        pending_org = None
        plain = name.replace("·", "")
        if not (is_name(name) or (2 <= len(plain) <= 12 and "·" in name)):
            continue
        out.append({"name": name, "role": role})
    return out


def _anchors(body: list[str], dateline: str | None, credit: str | None) -> tuple[str, str]:
    first = norm(body[0])
    if dateline and first.startswith(norm(dateline)):
        first = first[len(norm(dateline)) :]
        first = re.sub(r"^[（(][^）)]{0,40}[)）]", "", first)
        if credit and first.startswith(norm(credit)):  # 本报讯  记者林涛  通讯员钱程  昨日…
            first = first[len(norm(credit)) :]
    last = norm(body[-1])
    return first[:12], last[-12:]


def key_article(row: dict) -> KeyArticle:
    body, notes = _end_notes([_ocr(p) for p in row["paragraphs"]])
    return KeyArticle(
        id=row["id"],
        title=_ocr(row["title"]),
        kicker=_ocr(row["kicker"]) if row.get("kicker") else None,
        subtitle=_ocr(row["subtitle"]) if row.get("subtitle") else None,
        authors=key_authors(row),
        dateline=_ocr(row["dateline"]) if row.get("dateline") else _end_dateline(notes),
        paragraphs=body,
        end_notes=notes,
        anchors=_anchors(body, row.get("dateline"), row.get("byline_raw") if row.get("byline_position") == "dateline" else None),
        credit=_ocr(row["byline_raw"]) if row.get("byline_position") == "dateline" and row.get("byline_raw") else None,
    )


def _end_dateline(notes: list[str]) -> str | None:
    """``（本报雅典6月5日电  记者…）``: a dateline printed at the end of the story."""
    for n in notes:
        m = re.match(r"^[（(](.{2,20}?电)\s", n)
        if m:
            return m.group(1)
    return None


#: corpus fields that are not printed text: kept as they are when the corpus is set in traditional script
NOT_PRINTED = frozenset({"id", "source", "url", "date", "page", "byline_position"})


def reprinted(rows: list[dict], traditional: bool = False, full_width: bool = False) -> list[dict]:
    """The corpus as another paper would print it, answer key included, to score reading such
    pages: in traditional script (OpenCC ``s2t``, phrase by phrase, as a Hong Kong, Taiwan or
    1940s paper prints), and/or with full-width digits (２０２６年５月３日, as the OCR of many
    papers gives them).

    >>> reprinted([{"id": "x", "title": "发现头发5次", "authors": [{"name": "张三", "role": "本报记者"}]}], True, True)
    [{'id': 'x', 'title': '發現頭髮５次', 'authors': [{'name': '張三', 'role': '本報記者'}]}]
    """
    import opencc

    s2t = opencc.OpenCC("s2t.json")
    digits = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x30, 0x3A)})

    def conv(value: object) -> object:
        if isinstance(value, str):
            value = s2t.convert(value) if traditional else value
            return value.translate(digits) if full_width else value
        if isinstance(value, list):
            return [conv(v) for v in value]
        if isinstance(value, dict):
            return {k: v if k in NOT_PRINTED else conv(v) for k, v in value.items()}
        return value

    return [conv(row) for row in rows]  # type: ignore[misc]


def read_corpus(path: Path) -> list[dict]:
    rows: list[dict] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{n}: not JSON ({exc.msg})") from None
        missing = [k for k in ("id", "title", "paragraphs") if not row.get(k)]
        if missing:
            raise CorpusError(f"{path}:{n}: missing {', '.join(missing)}")
        rows.append(row)
    return rows


def split_halves(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Deterministic split by article id into two equal halves: dev (tune on it) and held-out
    (report only). Ids are ordered by their SHA-256 and dealt alternately."""
    order = sorted(rows, key=lambda r: hashlib.sha256(r["id"].encode("utf-8")).hexdigest())
    return order[0::2], order[1::2]


# --- setting text ---------------------------------------------------------------------------------


def _justify(rng: random.Random, line: str) -> str:
    """``计 生 协 会 按 照``: a justified line as OCR reads it, a space between characters."""
    if len(line) < 6:
        return line
    if rng.random() < 0.5:
        return " ".join(line)
    i = rng.randrange(1, len(line) - 1)
    return line[:i] + " " + line[i:]


_NO_LINE_START = set("，。、；：？！）》」』”’…,.;:?!)")
_NO_LINE_END = set("“‘《（「『(")
_ASCII_RUN = re.compile(r"[0-9A-Za-z.%]+|.", re.S)


def _wrap(text: str, width: int, indent: bool) -> list[str]:
    """Set a paragraph in a column of ``width`` em: its first line indented two em (printed as two
    spaces when ``indent``, else lost as OCR loses it: the line is just shorter), a Han character
    one em, digits and Latin half (a number is never split), a closing mark never starts a line
    (it stays on the line before, as typesetters do)."""
    lines: list[str] = []
    line, used = ("  " if indent else ""), 2.0
    for token in _ASCII_RUN.findall(text):
        w = 0.5 * len(token) if len(token) > 1 or token.isascii() else 1.0
        if used + w > width and line.strip() and token not in _NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line += token
        used += w
    if line.strip():
        lines.append(line)
    for k in range(len(lines) - 1):  # an opening mark never ends a line: it moves down
        while lines[k] and lines[k][-1] in _NO_LINE_END:
            lines[k], lines[k + 1] = lines[k][:-1], lines[k][-1] + lines[k + 1]
    return [ln for ln in lines if ln.strip()]


def _with_repeat(rng: random.Random, paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Print one sentence two or three times in a row, or one paragraph twice."""
    if rng.random() < 0.35 and len(paragraphs) >= 2:
        k = rng.randrange(len(paragraphs))
        if len(norm(paragraphs[k])) >= 30:
            return [*paragraphs[: k + 1], paragraphs[k], *paragraphs[k + 1 :]], norm(paragraphs[k])
    for _ in range(6):
        k = rng.randrange(len(paragraphs))
        sentences = _SENTENCE.findall(paragraphs[k])
        candidates = [s for s in sentences if len(norm(s)) >= 10]
        if candidates:
            s = rng.choice(candidates)
            times = rng.choice([2, 3])
            out = list(paragraphs)
            out[k] = paragraphs[k].replace(s, s * times, 1)
            return out, norm(s)
    return paragraphs, None


def _credit_line(rng: random.Random, name: str) -> str:
    padded = f"{name[0]}  {name[1]}" if len(name) == 2 else name
    return rng.choice([f"本报记者  {padded}摄", f"（{name} 摄）", f"新华社记者  {padded}摄", f"{padded}/摄", "资料图片"])


def _caption(rng: random.Random, pool: list[str], names: list[str]) -> tuple[list[str], str] | None:
    """A photo caption made from a sentence of the corpus, with a credit line."""
    sentences = [s for p in pool for s in _SENTENCE.findall(p) if 12 <= len(norm(s)) <= 48]
    if not sentences or not names:
        return None
    text = "图为" + rng.choice(sentences).lstrip("“")
    credit = _credit_line(rng, rng.choice(names))
    if credit.startswith("（"):
        return [text + credit], text
    return [text, credit], text


def page_traits(rng: random.Random, layout: str, year: int) -> Traits:
    span = LAYOUTS[layout]
    t = Traits(layout=layout, width=rng.randint(*span) if span else 0)
    t.para_gap = rng.random() < 0.7
    t.justify = span is not None and rng.random() < 0.5
    t.halfwidth = rng.random() < 0.35
    t.column_breaks = span is not None and rng.random() < 0.6
    t.indent = span is not None and rng.random() < 0.3
    t.folio = rng.choice(["top", "top", "bottom", None])
    t.folio_date = rng.choice(["minguo", "numerals"]) if year < 1950 else rng.choice(["gregorian", "gregorian", "numerals"])
    t.folio_paper = rng.random() < 0.85
    t.captions = rng.random() < 0.5
    t.repeats = rng.random() < 0.5
    t.split_title = rng.random() < 0.3
    t.article_gap = rng.choice([1, 2, 2])
    return t


def set_article(rng: random.Random, row: dict, t: Traits, key: KeyArticle) -> list[str]:
    """The lines of one article as printed in traits ``t``."""
    out: list[str] = []
    if key.kicker:
        out.append(key.kicker)
    parts = [p for p in re.split(r" {2,}", key.title) if p]
    if t.split_title and len(parts) == 2 and not key.kicker and not key.subtitle:
        out += parts  # a two-phrase title printed on two lines
    else:
        out.append(key.title)
    if key.subtitle:
        out.append(key.subtitle)
    out.append("")
    if row.get("byline_position") == "top" and row.get("byline_raw"):
        out += [_ocr(row["byline_raw"]), ""]
    paragraphs = key.paragraphs + key.end_notes
    if t.repeats and rng.random() < 0.6:
        printed, unit = _with_repeat(rng, key.paragraphs)
        if unit:
            key.repeats.append(unit)
            paragraphs = printed + key.end_notes
    body: list[str] = []
    for n, para in enumerate(paragraphs):
        text = para.translate(_HALF) if t.halfwidth else para
        if not t.width:
            lines = [text.strip()]
        else:
            lines = _wrap(text.strip(), t.width, t.indent)
            if t.justify:
                lines = [_justify(rng, ln) if rng.random() < 0.08 and k < len(lines) - 1 else ln for k, ln in enumerate(lines)]
            if t.column_breaks and len(lines) > 4 and rng.random() < 0.25:
                cut = rng.randrange(2, len(lines) - 1)
                lines = [*lines[:cut], "", *lines[cut:]]
        body += lines
        if n < len(paragraphs) - 1 and t.para_gap:
            body.append("")
    return out + body


def typeset(rows: list[dict], seed: int = 0, layouts: list[str] | None = None, per_page: tuple[int, int] = (2, 4)) -> list[tuple[str, str, KeyPage]]:
    """Pages of the corpus: (file name, page text, answer key). The whole corpus is set once in
    each layout asked for (so every article is read in every layout); the grouping into pages and
    every other trait are drawn from ``random.Random(seed)``."""
    layouts = layouts or list(LAYOUTS)
    unknown = [x for x in layouts if x not in LAYOUTS]
    if unknown:
        raise ValueError(f"unknown style {', '.join(unknown)}; choose from {', '.join(LAYOUTS)}")
    rng = random.Random(seed)
    names = sorted({name for r in rows for a in key_authors(r) if (name := a["name"]) and len(name) in (2, 3)})
    pool = sorted(rows, key=lambda r: r["id"])
    pages: list[tuple[str, str, KeyPage]] = []
    for layout in layouts:
        order = list(pool)
        rng.shuffle(order)
        i = n_page = 0
        while i < len(order):
            chunk = order[i : i + rng.randint(*per_page)]
            i += len(chunk)
            n_page += 1
            name = f"{layout}-{n_page:03d}.txt"
            pages.append((name, *_page(rng, chunk, layout, name, pool, names)))
    return pages


def _page(rng: random.Random, chunk: list[dict], layout: str, name: str, pool: list[dict], names: list[str]) -> tuple[str, KeyPage]:
    head = chunk[0]
    year = int(str(head.get("date") or "2000")[:4])
    t = page_traits(rng, layout, year)
    folio = None
    if t.folio and head.get("date") and head.get("page"):
        folio = {
            "publication": head.get("paper") if t.folio_paper else None,
            "date": head["date"],
            "page": int(head["page"]),
            "page_name": head.get("page_name") or (rng.choice(PAGE_NAMES) if rng.random() < 0.6 else None),
        }
    lines: list[str] = []
    keys: list[KeyArticle] = []
    captions: list[str] = []
    others = [p for r in pool if r not in chunk for p in r["paragraphs"][:2]]
    for n, row in enumerate(chunk):
        key = key_article(row)
        if n:
            lines += [""] * t.article_gap
        lines += set_article(rng, row, t, key)
        keys.append(key)
        if t.captions and rng.random() < 0.5:
            cap = _caption(rng, others, names)
            if cap:
                cap_lines, cap_text = cap
                cap_lines = [c.translate(_HALF) if t.halfwidth else c for c in cap_lines]
                lines += ["", "", *cap_lines]
                captions.append(norm(cap_text))
    if folio:
        fl = folio_line(rng, folio, t.folio_date)
        lines = [fl, "", *lines] if t.folio == "top" else [*lines, "", fl]
    return "\n".join(lines).rstrip("\n") + "\n", KeyPage(name, t, folio, keys, captions)


def write_pages(pages: list[tuple[str, str, KeyPage]], out: Path) -> None:
    """The page texts and ``key.json`` (the answer key) into ``out``, for reading by eye."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text, _ in pages:
        (out / name).write_text(text, encoding="utf-8")
    keys = [asdict(k) for _, _, k in pages]
    (out / "key.json").write_text(json.dumps(keys, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
