"""Score the page pipeline on typeset pages against their answer key (``banmian eval``).

Each corpus is split by article id into a development half (tune rules on it) and a held-out
half (report it, never tune on it); both are typeset (``banmian.typeset``) and read by
``pipeline.process_page`` exactly as ``banmian ingest`` reads a page. What is counted:

- **boundaries**: one article of the output holds the key article's first and last words and no
  other key article's; **precision**: items typed as articles that hold some article's words;
- **titles** (the main title; the whole headline group joined also counts), **kickers**,
  **subtitles**, **authors** (the names, in order), **roles** (where the names are right),
  **datelines**, folio **publication** / **date** / **page** and the **year** (pages with a folio);
- **joins**: key paragraphs whose printed lines come out as one paragraph (or subhead; two
  subhead lines printed one under the other are kept as one subhead, its lines joined by a space),
  neither cut nor glued. A paragraph is looked for among the body units of *every* article item of
  the page, not only the item holding the key article's first words: where an article is split
  into several items, that split is a boundary miss (counted under boundaries), and a paragraph
  that is whole in the second piece is joined right. Counting it again as a join miss would score
  one boundary error a second time (until 2026-12-02 joins were read that way). The old reading
  stays visible: ``--misses`` prints, per split article, how many of its paragraphs came out whole
  in an item other than its first holder (``joins elsewhere``, not a miss);
- **repeats**: inserted OCR repeats that come out once; **captions apart**: captions not inside
  an article's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .bylines import canonical_role
from .model import Article, Page, PageMeta
from .pipeline import process_page
from .typeset import KeyArticle, KeyPage, norm, read_corpus, split_halves, typeset

METRICS = (
    "boundaries", "precision", "titles", "kickers", "subtitles", "authors", "roles", "datelines",
    "publication", "date", "page", "year", "joins", "repeats", "captions apart",
)  # fmt: skip


@dataclass
class Score:
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METRICS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METRICS, 0))
    misses: list[str] = field(default_factory=list)

    def add(self, metric: str, ok: bool, why: str = "") -> None:
        self.total[metric] += 1
        self.right[metric] += bool(ok)
        if not ok and why:
            self.misses.append(f"{metric}: {why}")

    def cell(self, metric: str) -> str:
        if not self.total[metric]:
            return "—"
        return f"{self.right[metric]}/{self.total[metric]} {100 * self.right[metric] / self.total[metric]:.0f}%"


def _bare_dashes(text: str | None) -> str:
    return norm(text).strip("—－-─")


def body_units(item: Article) -> list[str]:
    """The article's text as printed order: each subhead before its paragraph."""
    out: list[str] = []
    for n, para in enumerate(item.paragraphs):
        if n in item.subheads:
            out.append(item.subheads[n])
        out.append(para)
    return out


def _text(item: Article) -> str:
    return norm("".join(body_units(item)))


def _dateline_text(item: Article) -> str | None:
    d = getattr(item, "dateline", None)
    if d is None:
        return None
    return getattr(d, "text", None) or (d.get("text") if isinstance(d, dict) else str(d))


def _page_number(item: Article) -> int | None:
    p = getattr(item, "page_number", None)
    if p is None:
        info = getattr(item, "page_info", None)
        p = getattr(info, "number", None) if info is not None else None
    try:
        return int(p) if p is not None else None
    except (TypeError, ValueError):
        return None


def _title_ok(item: Article, key: KeyArticle) -> bool:
    got = norm(item.title)
    if got == norm(key.title):
        return True
    group = [x for x in (key.kicker, key.title, key.subtitle) if x]
    t = group.index(key.title)
    return any(got == norm("".join(group[a:b])) for a in range(t + 1) for b in range(t + 1, len(group) + 1))


def _names(people: Iterable) -> list[str]:
    return [norm(p["name"] if isinstance(p, dict) else p.name) for p in people]


def _roles(people: Iterable) -> list[str | None]:
    return [canonical_role(p["role"] if isinstance(p, dict) else p.role) for p in people]


def _paragraph_ok(para: str, units: set[str], first: bool, key: KeyArticle) -> bool:
    p = norm(para)
    if p in units:
        return True
    if first and key.dateline:
        rest = p[len(norm(key.dateline)) :] if p.startswith(norm(key.dateline)) else p
        rest = re.sub(r"^[（(][^）)]{0,40}[)）]", "", rest)
        if key.credit and rest.startswith(norm(key.credit)):
            rest = rest[len(norm(key.credit)) :]
        return any(u.endswith(rest) and len(rest) >= 4 for u in units)
    return False


def _units(items: Iterable[Article]) -> set[str]:
    """Every body unit of the items, and each line of a subhead printed on several lines."""
    return {norm(u) for o in items for u in body_units(o)} | {norm(part) for o in items for sub in o.subheads.values() for part in sub.split()}


def score_joins(k: KeyArticle, outs: list[Article], first: Article, score: Score, page: str = "") -> None:
    """Joins of one key article: each paragraph against the units of every article item of the page.

    ``first`` is the item holding the article's first anchor; paragraphs joined right in another
    item (the article was split: a boundary miss) count as joins and are noted, not as misses."""
    everywhere, holder = _units(outs), _units([first])
    elsewhere = 0
    for n, para in enumerate(k.paragraphs):
        ok = _paragraph_ok(para, everywhere, n == 0, k)
        score.add("joins", ok, f"{page} {k.id} ¶{n + 1}: {norm(para)[:16]}…")
        elsewhere += ok and not _paragraph_ok(para, holder, n == 0, k)
    if elsewhere:
        score.misses.append(f"joins elsewhere (not a miss): {page} {k.id}: {elsewhere}/{len(k.paragraphs)} paragraphs whole in another item than the first")


def score_page(page_text: str, key: KeyPage, score: Score, meta: PageMeta | None = None) -> None:
    page = Page(key=key.name.removesuffix(".txt"), path=f"eval/{key.name}", lines=page_text.split("\n"), meta=meta or PageMeta())
    result = process_page(page)
    outs = [i for i in result.items if i.type == "article"]
    texts = {id(o): _text(o) for o in outs}
    anchors = [a for k in key.articles for a in k.anchors]
    for out in outs:
        real = any(a in texts[id(out)] for a in anchors)
        score.add("precision", real, f"{key.name}: {out.title!r} is not an article")
    for k in key.articles:
        holders = [o for o in outs if k.anchors[0] in texts[id(o)] and k.anchors[1] in texts[id(o)]]
        others = [a for other in key.articles if other is not k for a in other.anchors]
        o = holders[0] if len(holders) == 1 else None
        clean = o is not None and not any(a in texts[id(o)] for a in others)
        score.add("boundaries", clean, f"{key.name} {k.id}: {'glued to another' if o else f'{len(holders)} holders'} ({k.title})")
        if o is None:
            o = next((x for x in outs if k.anchors[0] in texts[id(x)]), None)
        if o is None:
            for m in ("titles", "authors"):
                score.add(m, False, f"{key.name} {k.id}: not found")
            continue
        score.add("titles", _title_ok(o, k), f"{key.name} {k.id}: {o.title!r} ≠ {k.title!r}")
        if k.kicker:
            got = getattr(o, "kicker", None)
            score.add("kickers", _bare_dashes(got) == _bare_dashes(k.kicker), f"{key.name} {k.id}: {got!r} ≠ {k.kicker!r}")
        if k.subtitle:
            score.add("subtitles", _bare_dashes(o.subtitle) == _bare_dashes(k.subtitle), f"{key.name} {k.id}: {o.subtitle!r} ≠ {k.subtitle!r}")
        names_ok = _names(o.authors) == _names(k.authors)
        score.add("authors", names_ok, f"{key.name} {k.id}: {[a.name for a in o.authors]} ≠ {[a['name'] for a in k.authors]}")
        if names_ok and k.authors:
            score.add("roles", _roles(o.authors) == _roles(k.authors), f"{key.name} {k.id}: {[a.role for a in o.authors]} ≠ {[a['role'] for a in k.authors]}")
        if k.dateline:
            score.add("datelines", norm(_dateline_text(o)) == norm(k.dateline), f"{key.name} {k.id}: {_dateline_text(o)!r} ≠ {k.dateline!r}")
        if key.folio:
            pub = getattr(o, "publication", None)
            score.add("publication", pub == key.folio["publication"], f"{key.name} {k.id}: {pub!r} ≠ {key.folio['publication']!r}")
            score.add("date", o.date == key.folio["date"], f"{key.name} {k.id}: {o.date!r} ≠ {key.folio['date']!r}")
            score.add("page", _page_number(o) == key.folio["page"], f"{key.name} {k.id}: {_page_number(o)!r} ≠ {key.folio['page']!r}")
            score.add("year", (o.date or "")[:4] == str(key.folio["date"])[:4], f"{key.name} {k.id}: {o.date!r}")
        score_joins(k, outs, o, score, key.name)
        for unit in k.repeats:
            want = norm("".join(k.paragraphs)).count(unit)
            score.add("repeats", texts[id(o)].count(unit) <= want, f"{key.name} {k.id}: {unit[:16]}…")
    bodies = "".join(texts.values())
    for cap in key.captions:
        score.add("captions apart", cap not in bodies, f"{key.name}: caption {cap[:16]}… inside an article")


def evaluate(rows: list[dict], seed: int = 0, layouts: list[str] | None = None, write: Path | None = None,
             no_blank_lines: bool = False) -> Score:
    """Typeset ``rows`` and score the pipeline on the pages; ``no_blank_lines``: every blank line
    taken out of the pages (OCR output that runs everything on), the hardest style to read."""
    score = Score()
    pages = typeset(rows, seed=seed, layouts=layouts)
    if no_blank_lines:
        pages = [(name, "\n".join(ln for ln in text.split("\n") if ln.strip()), key) for name, text, key in pages]
    if write is not None:
        from .typeset import write_pages

        write_pages(pages, write)
    for _, text, key in pages:
        score_page(text, key, score)
    return score


#: A corpus smaller than this is scored whole (halves of a handful of articles say little).
SPLIT_MIN = 40


def columns_for(corpus: Path, split: bool) -> list[tuple[str, list[dict]]]:
    rows = read_corpus(corpus)
    if not split or len(rows) < SPLIT_MIN:
        return [(corpus.stem, rows)]
    dev, held = split_halves(rows)
    return [(f"{corpus.stem} dev", dev), (f"{corpus.stem} held-out", held)]


def table(columns: list[tuple[str, Score]]) -> str:
    head = ["measure", *[name for name, _ in columns]]
    rows = [[m, *[s.cell(m) for _, s in columns]] for m in METRICS]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))  # noqa: E731
    return "\n".join([fmt(head), fmt(["-" * w for w in widths]), *map(fmt, rows)])
