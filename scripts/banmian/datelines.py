"""Datelines (电头): who filed a story, from where and when, as the first words of its text.

``本报海口8月2日电  （记者董泽扬）…``, ``新华社北京7月10日电``, ``据新华社电``, ``本报讯``,
``【新华社延安十四日电】`` and a credit-dateline ``本社记者陈沂报导：`` open the first paragraph;
a bracketed ``（本报雅典6月5日电  记者韩秉宸、任彦）`` may close the story instead. The words
(agencies, markers) are data (``data/datelines.yml``). A dateline stays in the text, as printed;
what it says is read into the article's ``dateline`` (text, agency, place, date as printed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from .han import HAN

_SP = " \u3000\u00a0\t"
#: A date as a justified line prints it: one space may stand between its parts (``6月 10日电``,
#: ``6 月 1 0 日 电``); the date is read without them, the dateline's text keeps them as printed.
_DIGITS_SPACED = rf"(?:[0-9０-９][{_SP}]?[0-9０-９]|[0-9０-９]|[一二三四五六七八九十](?:[{_SP}]?[一二三四五六七八九十]){{0,2}})"
_DATE = rf"(?:{_DIGITS_SPACED}[{_SP}]?月[{_SP}]?)?{_DIGITS_SPACED}[{_SP}]?日[{_SP}]?"


@dataclass(frozen=True)
class Dateline:
    text: str  # as printed, e.g. "本报北京5月31日电", "【新华社延安十四日电】"
    agency: str | None = None  # 本报, 新华社 …
    place: str | None = None
    date: str | None = None  # as printed: "5月31日", "十四日"
    at_end: bool = False

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"text": self.text}
        for key in ("agency", "place", "date"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.at_end:
            out["at_end"] = True
        return out


@dataclass(frozen=True)
class Opening:
    """What a paragraph's opening words are: the dateline, the credit printed with it, and where
    the story's own words begin (offsets into the text matched)."""

    dateline: Dateline | None
    credit: str | None  # "（记者吴储岐）" or "记者林涛  通讯员钱程", as printed
    credit_start: int
    end: int  # first character of the story itself


@cache
def _data() -> dict:
    return yaml.safe_load(resources.files("banmian.data").joinpath("datelines.yml").read_text(encoding="utf-8"))


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    d = _data()
    agency = _alt(d["agencies"])
    dated = (
        rf"(?P<pre>{_alt(d['prefixes'])})?(?P<agency>{agency})"
        rf"(?:(?P<place>(?!记者|通讯员)[{HAN}·]{{1,8}}?)(?P<date>{_DATE})(?:{_alt(d['dated_endings'])})"
        rf"|(?P<place2>(?!记者|通讯员)[{HAN}]{{2,4}})电"
        rf"|(?P<marker>{_alt(d['markers'])})"
        rf"|(?P<alone>{_alt(d['standalone'])}))"
    )
    opening = re.compile(rf"^[{_SP}]*(?P<open>【)?(?P<dl>{dated})(?(open)】)")
    filed = re.compile(rf"^[{_SP}]*(?P<role>(?:{agency})(?:特派|特约|首席)?记者)[{_SP}]*(?P<name>[{HAN}]{{2,4}})[{_SP}]*(?:{_alt(d['filed'])})[：:]")
    return opening, filed


def _date(printed: str | None) -> str | None:
    """The date as printed, without the spaces a justified line put between its parts."""
    return re.sub(f"[{_SP}]", "", printed) if printed else printed


def match_opening(text: str, credit_ok=None) -> Opening | None:
    """The dateline (and credit) a paragraph opens with, or None. ``credit_ok`` tells whether an
    unbracketed run of words after the dateline is a credit (``记者林涛  通讯员钱程``)."""
    opening, filed = _patterns()
    m = opening.match(text)
    if m:
        printed = text[m.start("dl") - (1 if m.group("open") else 0) : m.end()].strip(_SP)
        dl = Dateline(printed, m.group("agency"), m.group("place") or m.group("place2"), _date(m.group("date")))
        rest = m.end()
        gap = len(text[rest:]) - len(text[rest:].lstrip(_SP))
        after = text[rest + gap :]
        b = re.match(r"^[(（]([^()（）]{1,60})[)）]", after)
        if b:
            return Opening(dl, b.group(0), rest + gap, rest + gap + b.end())
        if credit_ok is not None and gap:
            parts = re.split(rf"([{_SP}]{{2,}}|\u3000)", after)
            taken = ""
            for i in range(0, len(parts) - 1, 2):
                if credit_ok(parts[i]):
                    taken += parts[i] + parts[i + 1]
                else:
                    break
            if taken.strip():
                return Opening(dl, taken.strip(_SP), rest + gap, rest + gap + len(taken))
        return Opening(dl, None, rest, rest + gap)
    m = filed.match(text)
    if m:
        return Opening(Dateline(m.group(0).strip(_SP), None), m.group(0).strip(_SP), m.start("role"), m.end())
    return None


def end_dateline(inner: str) -> tuple[Dateline, str] | None:
    """``本报雅典6月5日电  记者韩秉宸、任彦`` (inside an end bracket) → the dateline and the credit."""
    opening, _ = _patterns()
    m = opening.match(inner)
    if not m or (m.group("marker") is not None and m.group("marker") != "电"):
        return None
    printed = inner[: m.end()].strip(_SP)
    return Dateline(printed, m.group("agency"), m.group("place") or m.group("place2"), _date(m.group("date")), at_end=True), inner[m.end() :].strip(_SP)
