"""Dates: the manifest's issue date, else what the page's own text proves, else unknown.

What the text can honestly support. A page is printed no earlier than the most recent event it
reports, so the latest dated event is the best the text offers; it is recorded as the page date with
the precision the text gives that event, and the sentence it comes from as evidence:

- ``2013年``, ``2013年度``, ``2013年以来`` → the year 2013;
- ``2013年9月``, ``2013年9月21日`` → month or day precision, because the year is printed with them;
- ``第24个世界人口日`` → the year of that observance (first held 1990, so the 24th is 2013).

A month-day without its own year (``9月21日``, ``今年1至8月份``) never raises the precision: pairing it
with a year printed elsewhere on the page is a guess (the year of a work plan is not necessarily the
year of the event; "今年" is the unknown publication year itself). Targets and plans
(``到2015年``, ``2020年前``, ``力争…``) are not events and are ignored. Nothing dated → null, never a guess.
The result is deterministic: it never looks at today's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import PageResult

#: Recurring observances counted by ordinal ("第24个世界人口日"): name -> year first held.
#: Facts of the calendar, not of any page: World Population Day 11 July 1990, World AIDS Day
#: 1 December 1988, International Day of Families 15 May 1994.
OBSERVANCES: dict[str, int] = {"世界人口日": 1990, "世界艾滋病日": 1988, "国际家庭日": 1994}

# Each pattern opens with a lookahead for the character every match starts with: the same matches,
# but the regex engine skips other positions quickly instead of trying the lookbehind at each.
_YEAR = r"(?=[12])(?<![0-9０-９])(?P<year>19[4-9][0-9]|20[0-9]{2})\s*年"
_FULL = re.compile(_YEAR + r"(?:度)?(?:(?P<month>1[0-2]|0?[1-9])\s*月(?:份)?(?:(?P<day>3[01]|[12][0-9]|0?[1-9])\s*[日号])?)?")
_OBSERVANCE = re.compile(r"第\s*(?P<n>[0-9]{1,3})\s*(?:个|届)\s*(?P<name>" + "|".join(OBSERVANCES) + ")")
_TARGET_BEFORE = ("到", "至", "力争", "争取", "计划", "预计")
_TARGET_AFTER = ("前", "以前", "之前", "底前", "末前")
_SENTENCE_END = "。！？；!?;\n"
#: OCR padding: spaces not between two Latin letters or digits.
_PADDING = re.compile(r"(?=[ \t\u3000])(?:(?<![A-Za-z0-9])[ \t\u3000]+|[ \t\u3000]+(?![A-Za-z0-9]))")


@dataclass(frozen=True, order=True)
class DatedMention:
    """One dated event the page reports; ordered by date, then by where it stands on the page."""

    date: str  # ISO, as precise as the text says
    position: int
    precision: str  # day | month | year
    evidence: str


def page_text(lines: list[str]) -> str:
    """The page as running text: lines of a paragraph joined (narrow columns split ``2013`` / ``年``),
    paragraphs on their own line, OCR padding spaces and Markdown marks removed."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        stripped = line.strip()
        if stripped:
            current.append(stripped.lstrip("#").strip())
        elif current:
            paragraphs.append("".join(current))
            current = []
    text = "\n".join(paragraphs).replace("*", "")
    return _PADDING.sub("", text)


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    rights = [i for ch in _SENTENCE_END if (i := text.find(ch, end)) != -1]
    right = min(rights) if rights else len(text)
    return text[left:right].strip()


def _is_target(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 4) : start]
    after = text[end : end + 3]
    if before.endswith("截至"):  # "截至2013年底": a status reached, i.e. past
        return after.startswith(_TARGET_AFTER)
    return before.endswith(_TARGET_BEFORE) or after.startswith(_TARGET_AFTER)


def dated_mentions(lines: list[str]) -> list[DatedMention]:
    """Every dated event the page's text reports, in page order; targets are no events.

    >>> [(d.date, d.precision) for d in dated_mentions(["2012年以来，到2015年力争…", "2013年9月，第24个世界人口日。"])]
    [('2012', 'year'), ('2013-09', 'month'), ('2013', 'year')]
    """
    text = page_text(lines)
    found: list[DatedMention] = []
    for m in _FULL.finditer(text):
        if _is_target(text, m.start(), m.end()):
            continue
        year, month, day = m.group("year"), m.group("month"), m.group("day")
        if day:
            date, precision = f"{year}-{int(month):02d}-{int(day):02d}", "day"
        elif month:
            date, precision = f"{year}-{int(month):02d}", "month"
        else:
            date, precision = year, "year"
        found.append(DatedMention(date, m.start(), precision, _sentence(text, m.start(), m.end())))
    for m in _OBSERVANCE.finditer(text):
        n = int(m.group("n"))
        if n >= 1:
            year = OBSERVANCES[m.group("name")] + n - 1
            found.append(DatedMention(str(year), m.start(), "year", _sentence(text, m.start(), m.end())))
    return sorted(found, key=lambda d: d.position)


def latest_event(mentions: list[DatedMention]) -> DatedMention | None:
    """The most recent event; among equals (same year) the most precise, then the first printed."""
    if not mentions:
        return None
    rank = {"day": 0, "month": 1, "year": 2}
    year = max(d.date[:4] for d in mentions)
    same = [d for d in mentions if d.date.startswith(year)]
    return min(same, key=lambda d: (rank[d.precision], [-int(x) for x in d.date.split("-")[1:]], d.position))


def infer_page_date(result: PageResult) -> None:
    """Manifest date first (source ``manifest``); else the date the page's folio line prints
    (source ``folio``, the folio as evidence); else the latest dated event the page reports
    (source ``inferred``, with the evidence sentence); else everything stays None."""
    meta = result.page.meta
    if meta.date:
        result.date = meta.date
        result.date_precision = {10: "day", 7: "month", 4: "year"}.get(len(meta.date))
        result.date_source = "manifest"
        result.date_evidence = "manifest"
        return
    if result.folio is not None and result.folio.date:
        result.date, result.date_precision = result.folio.date, "day"
        result.date_source = "folio"
        result.date_evidence = result.folio.text
        return
    event = latest_event(dated_mentions(result.page.lines))
    if event is None:
        result.date = result.date_precision = result.date_source = result.date_evidence = None
        return
    precision = event.precision
    result.date = event.date if precision != "year" else event.date[:4]
    result.date_precision = precision
    result.date_source = "inferred"
    result.date_evidence = event.evidence
