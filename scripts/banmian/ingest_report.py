"""The editor's report at the end of ``banmian ingest``: what the tool decided on new or changed pages.

For every page that wrote a new or changed file: where its date came from (manifest, folio line,
the text, or unknown) and what the folio says; then per article its title (and kicker), byline,
dateline, region decision and anything flagged for review with the confidence that put it there.
Exact duplicate pages (the same text under another file name) are found before ingest and reported;
only the first is ingested.
"""

from __future__ import annotations

import hashlib

from .emit import EmitReport, article_path
from .metadata import REVIEW_BELOW
from .model import Article, Page, PageResult

DATE_SOURCE = {"manifest": "清单 manifest", "folio": "报头线 folio", "inferred": "据正文推断 inferred from the text"}


def text_key(page: Page) -> str:
    """What makes two pages the same text: their decoded lines, whatever the file's encoding."""
    return hashlib.sha256("\n".join(line.rstrip() for line in page.lines).strip().encode("utf-8")).hexdigest()


def drop_duplicates(pages: list[Page]) -> tuple[list[Page], list[tuple[Page, Page]]]:
    """Pages in order with exact duplicates removed, and (duplicate, the page it repeats) pairs."""
    seen: dict[str, Page] = {}
    kept: list[Page] = []
    dupes: list[tuple[Page, Page]] = []
    for page in pages:
        key = text_key(page)
        if not any(line.strip() for line in page.lines):
            kept.append(page)  # empty pages are not "the same text"; ingest reports them itself
        elif key in seen:
            dupes.append((page, seen[key]))
        else:
            seen[key] = page
            kept.append(page)
    return kept, dupes


def _byline(item: Article) -> str:
    if not item.authors:
        return "无署名 none"
    return "、".join(f"{a.role} {a.name}" if a.role else a.name for a in item.authors)


def _region(item: Article) -> str:
    r = item.region
    if r is None or not any((r.province, r.city, r.county, r.town)):
        return "未定 undecided" + (f"（{r.note}）" if r is not None and r.note else "")
    return " › ".join(x for x in (r.province, r.city, r.county, r.town, r.village) if x)


def _date(result: PageResult) -> str:
    if not result.date:
        return "日期未知 date unknown"
    how = DATE_SOURCE.get(result.date_source or "", result.date_source or "")
    return f"日期 {result.date}（{how}）"


def review_items(item: Article) -> list[str]:
    """Why an item needs an editor: its flags and the decisions below the review threshold."""
    low = [f"{k} {v:.2f}" for k, v in sorted(item.confidence.items()) if v < REVIEW_BELOW]
    flags = [f for f in item.flags if f != "review"]
    return flags + low


def report_lines(results: list[PageResult], emitted: EmitReport, duplicates: list[tuple[Page, Page]]) -> list[str]:
    """The report as lines (the CLI prints them to stderr)."""
    changed_keys = {rel.split("/", 1)[0] for rel in emitted.written}
    out: list[str] = []
    changed = [r for r in results if any(article_path(i).split("/", 1)[0] in changed_keys for i in r.items) or r.page.key in changed_keys]
    flagged = 0
    if changed:
        out.append(f"编辑报告：新增或改动的版面 {len(changed)} 个 / editor's report: {len(changed)} new or changed page(s)")
    for result in changed:
        folio = result.folio
        printed = f"；报头线 folio: {folio.text}" if folio else ""
        out.append(f"{result.page.path}: {_date(result)}{printed}")
        for item in result.items:
            if item.type != "article":
                continue
            head = f"「{item.kicker}」" if item.kicker else ""
            line = f"  {article_path(item)} {head}《{item.title}》 作者 {_byline(item)} · 地区 {_region(item)}"
            if item.dateline is not None:
                line += f" · 电头 {item.dateline.text}"
            out.append(line)
            why = review_items(item)
            if why:
                flagged += 1
                out.append(f"    待复核 review: {', '.join(why)}")
    if flagged:
        out.append(f"待复核的文章 {flagged} 篇（见上）/ {flagged} article(s) flagged for review, named above")
    for dup, first in duplicates:
        out.append(f"{dup.path}: 与 {first.path} 文字完全相同，未重复导入 / the same text as {first.path}; not ingested twice")
    return out
