"""Dates: the manifest's issue date, else what the page's own text supports, else unknown."""

from __future__ import annotations

import re

from .model import PageResult

_YEAR = re.compile(r"(19[5-9]\d|20[0-4]\d)年")


def infer_page_date(result: PageResult) -> None:
    """Manifest date first; else the latest explicit year the page mentions (year precision)."""
    meta = result.page.meta
    if meta.date:
        result.date = meta.date
        result.date_precision = {10: "day", 7: "month", 4: "year"}.get(len(meta.date))
        result.date_source = "manifest"
        return
    years = sorted({m.group(1) for line in result.page.lines for m in _YEAR.finditer(line)})
    if years:
        result.date = years[-1]
        result.date_precision = "year"
        result.date_source = "inferred"
        result.date_evidence = f"{years[-1]}年"
