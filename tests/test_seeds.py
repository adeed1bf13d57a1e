"""Each seed page against the ground truth an editor established by reading it (tests/expected/*.yml).

The expectations are data, written by hand from the page text; the pipeline must reach them.
Whitespace is ignored when comparing titles and caption text (display spacing is the clean-up's
business), and half-width punctuation is compared as full-width; nothing else is loosened.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from banmian.model import Article, PageResult

EXPECTED_DIR = Path(__file__).resolve().parent / "expected"
EXPECTED = sorted(EXPECTED_DIR.glob("*.yml"))
IDS = [p.stem for p in EXPECTED]

_HALF_TO_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})


def norm(text: str | None) -> str:
    """Compare text the way a reader sees it: no whitespace, Chinese punctuation full-width."""
    return re.sub(r"\s+", "", text or "").translate(_HALF_TO_FULL)


@cache
def expected(stem: str) -> dict:
    return yaml.safe_load((EXPECTED_DIR / f"{stem}.yml").read_text(encoding="utf-8"))


_RESULTS: dict[str, PageResult] = {}


@pytest.fixture
def case(request, seed_pages) -> tuple[dict, PageResult]:
    from banmian.pipeline import process_page

    stem = request.param
    if stem not in _RESULTS:
        _RESULTS[stem] = process_page(seed_pages[stem])
    return expected(stem), _RESULTS[stem]


def articles(result: PageResult) -> list[Article]:
    return [i for i in result.items if i.type == "article"]


def captions(result: PageResult) -> list[Article]:
    return [i for i in result.items if i.type == "caption"]


def authors(people) -> list[tuple[str, str | None]]:
    return [(a["name"], a.get("role")) if isinstance(a, dict) else (a.name, a.role) for a in people]


def titles_seen(result: PageResult) -> str:
    return "\n".join(f"{i.seq:>2} {i.type:<8} {i.title!r} {i.flags}" for i in result.items)


parametrize = pytest.mark.parametrize("case", IDS, ids=IDS, indirect=True)


def test_every_seed_has_ground_truth(seed_pages) -> None:
    assert sorted(seed_pages) == IDS


@parametrize
def test_article_count(case) -> None:
    exp, result = case
    assert len(articles(result)) == len(exp["articles"]), titles_seen(result)


@parametrize
def test_titles_in_reading_order(case) -> None:
    exp, result = case
    got = articles(result)
    for n, (want, item) in enumerate(zip(exp["articles"], got, strict=False), start=1):
        if want["title"] is None:
            # provisional title: taken from the article's own words, never invented
            assert item.title, f"article {n} has no provisional title"
            assert norm(item.title) in norm("".join(item.paragraphs)), f"article {n}: {item.title!r}"
        else:
            assert norm(item.title) == norm(want["title"]), f"article {n}\n{titles_seen(result)}"
    assert len(got) == len(exp["articles"]), titles_seen(result)


@parametrize
def test_subtitles(case) -> None:
    exp, result = case
    got = [norm(i.subtitle) or None for i in articles(result)]
    assert got == [norm(a["subtitle"]) or None for a in exp["articles"]]


@parametrize
def test_flags(case) -> None:
    """untitled, orphan_headline and truncated are set exactly where an editor sees them."""
    exp, result = case
    got = articles(result)
    assert len(got) == len(exp["articles"]), titles_seen(result)
    for n, (want, item) in enumerate(zip(exp["articles"], got, strict=True), start=1):
        for flag in ("untitled", "orphan_headline", "truncated"):
            assert (flag in item.flags) == bool(want.get(flag)), f"article {n} {item.title!r}: {flag}"


@parametrize
def test_authors_with_roles(case) -> None:
    exp, result = case
    got = [authors(i.authors) for i in articles(result)]
    assert got == [authors(a["authors"]) for a in exp["articles"]]


@parametrize
def test_captions(case) -> None:
    """Each photo caption is its own item, in page order, with its photo credit as authors."""
    exp, result = case
    notes = {norm(n["text"]) for n in exp["picture_notes"]}
    got = [c for c in captions(result) if norm("".join(c.paragraphs) or c.title) not in notes]
    assert len(got) == len(exp["captions"]), titles_seen(result)
    for want, item in zip(exp["captions"], got, strict=True):
        assert "".join(map(norm, item.paragraphs)).startswith(norm(want["text"]))
        assert authors(item.authors) == authors(want["authors"])


@parametrize
def test_captions_not_in_article_bodies(case) -> None:
    exp, result = case
    bodies = "\n".join(norm(p) for i in articles(result) for p in i.paragraphs)
    for text in [c["text"] for c in exp["captions"]] + [n["text"] for n in exp["picture_notes"]]:
        assert norm(text) not in bodies


@parametrize
def test_notices(case) -> None:
    exp, result = case
    got = [norm(i.title) for i in result.items if i.type == "notice"]
    assert got == [norm(n["title"]) for n in exp["notices"]]


@parametrize
def test_page_title_and_credits(case) -> None:
    exp, result = case
    assert norm(result.page_title) == norm(exp["page_title"])
    assert authors(result.credits) == authors(exp["credits"])


@parametrize
def test_date(case) -> None:
    exp, result = case
    assert result.date == exp["date"]
    assert result.date_precision == exp["date_precision"]
    if exp["date"] is None:
        assert result.date_source is None
    else:
        assert result.date_source == "inferred"
        evidence, want = norm(result.date_evidence), norm(exp["date_evidence"])
        assert evidence and (evidence in want or want in evidence), result.date_evidence
    for item in result.items:
        assert (item.date, item.date_precision, item.date_source) == (
            result.date,
            result.date_precision,
            result.date_source,
        )


@parametrize
def test_columns(case) -> None:
    """Column labels where an editor is sure; attachments marked column_uncertain are not asserted."""
    exp, result = case
    got = articles(result)
    assert len(got) == len(exp["articles"]), titles_seen(result)
    for n, (want, item) in enumerate(zip(exp["articles"], got, strict=True), start=1):
        if not want.get("column_uncertain"):
            assert item.column == want["column"], f"article {n} {item.title!r}"


_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|街道办事处|街道|办事处|省|市|区|县|镇|乡)$")


def unit(name: str | None) -> str | None:
    """A unit's name without its type suffix: 茌平县 (printed) and 茌平区 (today) are one place."""
    return _SUFFIX.sub("", name) if name else None


@parametrize
def test_regions(case) -> None:
    """Region per article: the listed levels only; null means no region (national policy)."""
    exp, result = case
    got = articles(result)
    assert len(got) == len(exp["articles"]), titles_seen(result)
    for n, (want, item) in enumerate(zip(exp["articles"], got, strict=True), start=1):
        region = item.region
        if want["region"] is None:
            assert region is None or not any((region.province, region.city, region.county, region.town)), f"article {n} {item.title!r}"
            continue
        assert region is not None, f"article {n} {item.title!r}: no region"
        for level, name in want["region"].items():
            assert unit(getattr(region, level)) == unit(name), f"article {n} {item.title!r}: {level}"
