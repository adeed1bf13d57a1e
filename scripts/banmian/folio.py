"""Folio lines: the page's running head or foot (报头线), as page furniture and as evidence.

A folio prints some of: the publication's name, the issue date (Gregorian digits, Chinese
numerals, or an era such as 民国 / 中华民国), the weekday, the page number (``第13版``,
``第十三版``, ``A3``, a bare ``08``) and the page's name (``要闻``). A line is a folio when it is
short, ends no sentence, and prints a date with a weekday or a page number, or a page number
with a publication's name; then every field it prints is read, and nothing it does not print is
guessed: a line without a paper's name gives no publication. What else a folio prints (the
page's editors, the lunar date, the issue's page count) is furniture too and read as none of these.

    >>> f = parse_folio("人民日报  2026年5月3日  星期日  第13版  要闻")
    >>> (f.publication, f.date, f.weekday, f.page, f.page_name)
    ('人民日报', '2026-05-03', '日', '13', '要闻')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date
from functools import cache
from importlib import resources

import yaml

_NUM = "〇零一二三四五六七八九十百"
_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


_NAME = r"(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff] [\u4e00-\u9fff](?![\u4e00-\u9fff0-9])(?: [\u4e00-\u9fff](?![\u4e00-\u9fff0-9]))?)"  # 张三, 王 明 (padded)


@dataclass(frozen=True)
class FolioRules:
    eras: dict[str, int]  # era name -> Gregorian year of its year 1
    publication_endings: tuple[str, ...]
    max_length: int
    date: re.Pattern[str]  # a printed date, any era: compiled once, every line of every page is asked
    furniture: re.Pattern[str]  # editors' credits, the lunar date, the issue's page count
    maybe: re.Pattern[str]  # what every folio prints one of: 年, 星期, a publication's ending


@cache
def folio_rules() -> FolioRules:
    data = yaml.safe_load(resources.files("banmian.data").joinpath("folio.yml").read_text(encoding="utf-8"))
    eras = dict(sorted(data["eras"].items(), key=lambda kv: -len(kv[0])))
    return FolioRules(
        eras=eras,
        publication_endings=tuple(sorted(data["publication_endings"], key=len, reverse=True)),
        max_length=int(data["max_length"]),
        date=_date_pattern(list(eras)),
        maybe=re.compile("|".join(["年", "星期", *(re.escape(e) for e in data["publication_endings"])])),
        furniture=re.compile(
            rf"(?:{'|'.join(re.escape(w) for w in sorted(data['editor_labels'], key=len, reverse=True))})[：:]?\s*"
            rf"{_NAME}(?:[ 、，,]+{_NAME})*"
            rf"|(?:农历|阴历)[\u4e00-\u9fff]{{2}}年[正一二三四五六七八九十冬腊闰]{{1,3}}月[初一二三四五六七八九十廿卅]{{1,3}}"
            rf"|(?:今日|本期|共)[0-9{_NUM}]{{1,3}}版"
        ),
    )


@dataclass(frozen=True)
class Folio:
    text: str
    publication: str | None
    date: str | None  # ISO day
    weekday: str | None
    page: str | None  # as a number when printed as one (第十三版 → "13"), else as printed (A3)
    page_name: str | None
    era: str | None = None  # the era printed, when the date is not Gregorian
    agrees: bool = True  # the weekday printed is the date's weekday (else: an OCR slip somewhere)

    @property
    def confidence(self) -> float:
        return 0.95 if self.agrees else 0.6


def numeral(text: str) -> int | None:
    """Chinese numerals of dates and page numbers: 十三 → 13, 二十一 → 21, 三十五 → 35,
    一百一十五 → 115; a digit-by-digit year 二〇二六 → 2026; Arabic digits as they are."""
    t = text.strip()
    if t.isdigit():
        return int(t)
    if t and all(c in _DIGIT for c in t):
        return int("".join(str(_DIGIT[c]) for c in t))
    total, current = 0, 0
    for c in t:
        if c in _DIGIT:
            current = _DIGIT[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current if t else None


def _date_pattern(eras: list[str]) -> re.Pattern[str]:
    era = "|".join(re.escape(e) for e in eras)
    n = f"[0-9{_NUM}]"
    return re.compile(rf"(?P<era>{era})? ?(?P<y>{n}{{1,4}}) ?年 ?(?P<m>{n}{{1,3}}) ?月 ?(?P<d>{n}{{1,3}}) ?日"
                      rf"|(?<![0-9])(?P<ny>(?:19|20)[0-9]{{2}})(?P<sep>[-./])(?P<nm>[0-9]{{1,2}})(?P=sep)(?P<nd>[0-9]{{1,2}})(?![0-9])")


_WEEKDAY = re.compile(r"(?:星期|礼拜|周)(?P<w>[一二三四五六日天])")
_PAGE = re.compile(rf"第 ?(?P<n>[0-9{_NUM}]{{1,4}}) ?版|(?P<ab>[A-H][0-9]{{1,2}})版?|(?<![0-9])(?P<bare>[0-9]{{1,2}})(?![0-9年月日])")
_SENTENCE = re.compile(r"[。！？；，,;!?：:]")


def _may_be_folio(text: str, r: FolioRules) -> bool:
    """A cheap test before the patterns run: a folio prints a date (so a 年 or a weekday) or a
    publication's name (so one of its endings, 报, 刊…); most short lines (headlines, names) print
    none, and ``parse_folio`` is asked of nearly every line of every page."""
    return r.maybe.search(text) is not None


def parse_folio(line: str) -> Folio | None:
    """The folio a line prints, or None when the line is anything else."""
    text = line.strip()
    r = folio_rules()
    if not text or len(text) > r.max_length or not _may_be_folio(text, r):
        return None
    compact = re.sub(r"\s+", " ", text)
    if any(c in compact for c in "：:编农今共"):  # (cheap test: the furniture words)
        compact = re.sub(" +", " ", r.furniture.sub(" ", compact)).strip()
    if _SENTENCE.search(compact):
        return None
    m_date = r.date.search(compact)
    iso = era = None
    spans: list[tuple[int, int]] = []
    if m_date:
        era = m_date.group("era")
        y, mo, d = (numeral(m_date.group(k) or m_date.group("n" + k)) for k in ("y", "m", "d"))  # 2026年5月3日 or 2026-05-03
        if y is not None and mo is not None and d is not None:
            year = r.eras[era] + y - 1 if era else y
            try:
                iso = Date(year, mo, d).isoformat()
            except ValueError:
                iso = None
        spans.append(m_date.span())
    m_week = _WEEKDAY.search(compact)
    if m_week:
        spans.append(m_week.span())
    rest = _blank(compact, spans)
    m_page = next((m for m in _PAGE.finditer(rest) if m.group("n") or m.group("ab") or m.group("bare")), None)
    page = None
    if m_page:
        page = str(numeral(m_page.group("n"))) if m_page.group("n") else m_page.group("ab") or str(int(m_page.group("bare")))
        spans.append(m_page.span())
    words = [w for w in _blank(compact, spans).split() if w]
    publication = next((w for w in words if w.endswith(r.publication_endings) and len(w) >= 3), None)
    names = [w for w in words if w != publication]
    if iso is None and not (page and publication):
        return None
    if iso is not None and not (m_week or page or publication):
        return None  # a bare date line is a dateline or a heading, not a folio
    if any(len(w) > 8 for w in names) or len(names) > 1:
        return None  # more words than a folio prints: a sentence, not furniture
    weekday = m_week.group("w").replace("天", "日") if m_week else None
    agrees = not (iso and weekday) or "一二三四五六日"[Date.fromisoformat(iso).weekday()] == weekday
    return Folio(text, publication, iso, weekday, page, names[0] if names else None, era, agrees)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the matched spans replaced by spaces (what is left: names, page name)."""
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            chars[i] = " "
    return "".join(chars)
