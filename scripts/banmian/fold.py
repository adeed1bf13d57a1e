"""Read a page printed in traditional characters with the same rules as a simplified one.

Every word list the reading rules use (本报记者, 新华社…电, 星期, 第…版, 民国 …) is written in
simplified characters, once. A page printed in traditional script (a Hong Kong or Taiwan paper,
a paper of the 1940s) would match none of them: its 本報記者 line became body text, its dateline
was not seen, its folio not read. So the pipeline reads a *folded* copy of such a page, each
traditional character replaced by its simplified form one for one (OpenCC's ``t2s`` applied to
each character alone; full-width digits and letters, which the OCR of many papers prints, by
ASCII ones), and afterwards every text it kept is given back its printed characters
(``restore``): the decisions are made on the folded page, the text is the page's own.

Folding never reaches the output: a title, a name, a paragraph, a fix's "before", a dateline as
printed come out in the page's script. Only what is not the page's text stays as the rules know
it: region names (the gazetteer's normalised names, by which the site groups places), normalised
dates and page numbers, and the tool's own codes and words (``TEXT_FIELDS``).

Giving characters back is exact where the page prints one character for a folded one (the usual
case: a traditional page prints 發 wherever 发 is folded from it). Where the page prints two
(發 and 髮 both fold to 发, a simplified page quotes 乾隆 and writes 干部, a page mixes both
scripts), the text is found where it stands, in its article's own lines: its longest piece
first, then the rest around it in reading order (``Restorer._align``); a character it does not
place is told by the text around it, widest context first.

>>> page_fold(["本報記者 王明", "新華社北京7月10日電"])
(['本报记者 王明', '新华社北京7月10日电'], True)
>>> page_fold(["本报记者 王明"])
(['本报记者 王明'], False)
>>> r = Restorer(["本報記者 王明", "發現頭髮"])
>>> r.text("本报记者"), r.text("发现头发"), r.text("发"), r.text("海口市")
('本報記者', '發現頭髮', '發', '海口市')
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from functools import cache
from typing import Any

from .model import Article, Page, PageResult, Region

CONTEXT = (8, 5, 3, 2, 1)  # characters of context tried on each side, widest first


@cache
def t2s_table() -> dict[str, str]:
    """Traditional → simplified, one character for one: OpenCC's ``t2s`` on each CJK character
    alone (BMP blocks), only those it changes. The search index folds with the same table."""
    import opencc

    t2s = opencc.OpenCC("t2s.json")
    table: dict[str, str] = {}
    for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
        chars = [chr(c) for c in range(lo, hi + 1)]
        for c, s in zip(chars, t2s.convert("\n".join(chars)).split("\n"), strict=True):
            if len(s) == 1 and s != c:
                table[c] = s
    return table


@cache
def fold_table() -> dict[str, str]:
    """What a page is read with: ``t2s_table`` plus full-width digits and Latin letters to ASCII
    (２０２６年５月３日, ＣＣＴＶ: OCR of many papers prints them), one character for one."""
    table = dict(t2s_table())
    for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)):
        for cp in range(lo, hi + 1):
            table[chr(cp)] = chr(cp - 0xFEE0)
    return table


@cache
def _translation() -> dict[int, str]:
    return str.maketrans(fold_table())


@cache
def _foldable() -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(fold_table())) + "]")


def has_traditional(text: str) -> bool:
    """Whether ``text`` holds a character that reads as another in simplified script."""
    return _traditional().search(text) is not None


@cache
def _traditional() -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(t2s_table())) + "]")


def fold_text(text: str) -> str:
    """One text folded as a page is (``本報記者`` → ``本报记者``): for reading a word, never for output."""
    return text.translate(_translation())


def page_fold(lines: list[str]) -> tuple[list[str], bool]:
    """The page's lines folded to simplified characters, and whether any character changed
    (a simplified page, the usual case, is only searched once, not copied)."""
    if _foldable().search("\n".join(lines)) is None:
        return lines, False
    table = _translation()
    return [line.translate(table) for line in lines], True


_PRINTED = re.compile(r"[\s*#]+")  # what a text never holds of its lines: white space and Markdown marks

#: Half-width punctuation the clean-up prints full-width (``clean.fullwidth_punctuation``): read
#: as the same character when a text is looked for on its page.
_SAME_PUNCTUATION = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})
RUNS = (64, 32, 16, 8, 4, 2, 1)  # lengths of the pieces of a text looked for on the page, longest first


class Restorer:
    """Gives a folded text back the characters the page printed (see the module's docstring).

    ``lines``: where the texts come from (an article's own lines); ``fallback``: the whole page's
    restorer, for a text found nowhere in them (a folio's publication copied into an article)."""

    def __init__(self, lines: list[str], fallback: Restorer | None = None) -> None:
        original = _PRINTED.sub("", "".join(lines))  # lines joined, spaces closed, ** and # taken out
        self.original = original
        self.folded = original.translate(_translation())
        self.hay = self.folded.translate(_SAME_PUNCTUATION)
        self.fallback = fallback
        self.only: dict[str, str] = {}
        self.several: set[str] = set()
        if fallback is None:  # which characters need their printed form back is the whole page's to say
            self._printed_forms()

    def _printed_forms(self) -> None:
        printed: dict[str, set[str]] = defaultdict(set)
        for f, o in zip(self.folded, self.original, strict=True):
            if f != o:
                printed[f].add(o)
        for f in printed:  # the page may print the simplified form itself too
            if f in self.original:
                printed[f].add(f)
        self.only = {f: next(iter(o)) for f, o in printed.items() if len(o) == 1}  # one printed form: a plain swap
        self.several = {f for f, o in printed.items() if len(o) > 1}  # found on the page

    def text(self, s: str) -> str:
        page = self.fallback or self
        if not any(c in page.only or c in page.several for c in s):
            return s
        if not any(c in page.several for c in s):
            return "".join(page.only.get(c, c) for c in s)  # one printed form each on the whole page
        at = [i for i, c in enumerate(s) if not c.isspace()]
        key = "".join(s[i] for i in at).translate(_SAME_PUNCTUATION)
        if self.fallback is not None and key not in self.hay and key in self.fallback.hay:
            return self.fallback.text(s)  # printed whole elsewhere on the page (a headline moved to its text)
        places = self._align(key)
        out = list(s)
        for j, i in enumerate(at):
            c, p = s[i], places[j]
            if p is not None and self.folded[p] == c:
                out[i] = self.original[p]  # where the text stands in these lines
            elif c in page.only:
                out[i] = page.only[c]
            elif c in page.several:
                out[i] = page._by_context(s, i)
        return "".join(out)

    def _align(self, key: str) -> list[int | None]:
        """Where each character of ``key`` (a text, folded, without spaces) stands in these lines:
        its longest piece found first, then the pieces before and after it looked for only before
        and after it (a paragraph is printed in one run, less what the clean-up took out), so a
        phrase printed twice, in two scripts, is given the right printing."""
        places: list[int | None] = [None] * len(key)
        self._place(key, 0, len(key), 0, len(self.hay), places)
        return places

    def _place(self, key: str, lo: int, hi: int, start: int, end: int, places: list[int | None], last: bool = False) -> None:
        """Place ``key[lo:hi]`` within ``hay[start:end]``; ``last``: nearest the piece after it."""
        for k in RUNS:
            k = min(k, hi - lo)
            if k < 1:
                return
            for a in range(lo, hi - k + 1, max(1, k // 2)):
                piece = key[a : a + k]
                found = self.hay.rfind(piece, start, end) if last else self.hay.find(piece, start, end)
                if found >= 0:
                    places[a : a + k] = range(found, found + k)
                    self._place(key, lo, a, start, found, places, last=True)
                    self._place(key, a + k, hi, found + k, end, places)
                    return

    def _by_context(self, s: str, i: int) -> str:
        left = "".join(s[:i].split())
        right = "".join(s[i + 1 :].split())
        for width in CONTEXT:
            for lw, rw in ((width, width), (width, 0), (0, width)):
                if (lw and len(left) < lw) or (rw and len(right) < rw):
                    continue
                before = left[len(left) - lw :] if lw else ""
                found = self._printed_at(before + s[i] + right[:rw], len(before))
                if found is not None:
                    return found
        counts: dict[str, int] = defaultdict(int)  # no telling context: the page's commonest form
        for f, o in zip(self.folded, self.original, strict=True):
            if f == s[i]:
                counts[o] += 1
        return max(sorted(counts), key=counts.__getitem__) if counts else s[i]

    def _printed_at(self, pattern: str, at: int) -> str | None:
        """The character printed at ``at`` in every place the page holds ``pattern`` (folded),
        or None when the pattern is not there or its places print different characters."""
        seen: set[str] = set()
        start = self.folded.find(pattern)
        while start >= 0:
            seen.add(self.original[start + at])
            start = self.folded.find(pattern, start + 1)
        return next(iter(seen)) if len(seen) == 1 else None


#: The fields that hold the page's own text, per class: only these are given their printed
#: characters back. Everything else is the tool's (codes, rule names, flags, normalised dates and
#: page numbers, region names) and stays as the rules wrote it, whatever the page prints.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {  # (in this order: an item's blocks before the page's, which are the same)
    "PageResult": ("items", "blocks", "credits", "page_title", "date_evidence", "folio"),
    "Article": ("title", "kicker", "subtitle", "column", "authors", "paragraphs", "subheads", "blocks",
                "region", "dateline", "publication", "page_name", "end_notes", "fixes", "notes"),
    "Block": ("lines", "text", "fixes"),
    "Fix": ("before", "after"),
    "Author": ("name", "role"),
    "Dateline": ("text", "agency", "place", "date"),  # as printed
    "Folio": ("text", "publication", "weekday", "page_name", "era"),  # its date and page are normalised
    "Note": ("params",),
}


def restore(result: PageResult, page: Page) -> None:
    """Give every text of ``result`` (read from the folded copy of ``page``) the page's printed
    characters, in place (``TEXT_FIELDS`` says which); the result's page becomes ``page``. An
    article's texts are looked for in its own lines first."""
    whole = Restorer(page.lines)
    memo: dict[int, Any] = {}

    def walk(value: Any, r: Restorer) -> Any:
        if isinstance(value, str):
            return r.text(value)
        if isinstance(value, list):
            return [walk(v, r) for v in value]
        if isinstance(value, dict):
            return {k: walk(v, r) for k, v in value.items()}
        if isinstance(value, Region):  # "printed（normalised path）": only the printed part is the page's
            if value.label:
                printed, sep, path = value.label.partition("（")
                value.label = r.text(printed) + sep + path
            return value
        fields = TEXT_FIELDS.get(type(value).__name__)
        if fields is None or not dataclasses.is_dataclass(value) or isinstance(value, type):
            return value  # a number, None, or not the page's text
        if id(value) in memo:  # a block is both the page's and its article's
            return memo[id(value)]
        if isinstance(value, Article) and value.blocks:
            r = Restorer(page.lines[value.first_line - 1 : value.last_line], fallback=whole)
        changes = {name: walk(getattr(value, name), r) for name in fields}
        if type(value).__dataclass_params__.frozen:
            memo[id(value)] = dataclasses.replace(value, **changes)
        else:
            memo[id(value)] = value
            for name, v in changes.items():
                setattr(value, name, v)
        return memo[id(value)]

    walk(result, whole)
    result.page = page
    for item in result.items:
        item.page = page
