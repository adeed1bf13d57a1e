"""Extract metadata: authors from bylines, the page's date, the column, the region.

First version; bylines, dates and regions each grow their own module as they get serious.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

from .model import Article, Author, BlockKind, PageResult


@cache
def byline_roles() -> dict[str, str]:
    data = yaml.safe_load(resources.files("banmian.data").joinpath("byline_roles.yml").read_text(encoding="utf-8"))
    return dict(sorted(data["roles"].items(), key=lambda kv: -len(kv[0])))


def parse_byline(text: str) -> list[Author]:
    """``(特约记者 蒋平 通讯员 殷聪)`` → [蒋平/特约记者, 殷聪/通讯员]; ``(李 岚)`` → [李岚]."""
    inner = text.strip().strip("()（）□").strip()
    if inner.endswith("作") and text.strip().startswith("□"):
        return [Author(inner[:-1].strip(), "作者")]
    roles = byline_roles()
    role: str | None = None
    authors: list[Author] = []
    tokens = inner.split()
    if len(tokens) == 2 and all(len(t) == 1 for t in tokens):
        tokens = ["".join(tokens)]
    for token in tokens:
        for printed, canonical in roles.items():
            if token.startswith(printed) and printed not in {"作", "文", "图", "摄"}:
                role = canonical
                token = token[len(printed):]
                break
        if token:
            authors.append(Author(token, role))
    return authors


def extract_authors(item: Article) -> None:
    for block in item.blocks:
        if block.kind == BlockKind.BYLINE:
            item.authors.extend(parse_byline(block.text))


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


def enrich(result: PageResult) -> None:
    infer_page_date(result)
    for item in result.items:
        extract_authors(item)
        item.date = result.date
        item.date_precision = result.date_precision
        item.date_source = result.date_source
