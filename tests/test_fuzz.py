"""Fuzzing the clean-up and the segmentation: random Unicode and mutated seed text never raise,
and never produce a Han character the source does not hold (as a multiset, per output field)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banmian.clean import clean_and_explain
from banmian.model import Page
from banmian.pipeline import process_page
from conftest import SEEDS

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")
SEED_LINES = [line for path in SEEDS for line in path.read_text(encoding="utf-8").split("\n")]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
INJECTIONS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "{: onclick=x}",
              "---", "# ", "**", "\\", "`", "&amp;", "\u200b", "\ufeff", "\u3000", "\t", "。。", "(", "）", "——— "]
SWAPS = {"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?", ",": "，", "(": "（", ")": "）"}


def han(text: str) -> Counter[str]:
    """Han characters as a multiset, with look-alikes folded the way the clean-up may fold them."""
    return Counter(HAN.findall(unicodedata.normalize("NFKC", text)))


def bounded(output: str, source: Counter[str]) -> Counter[str]:
    """What ``output`` holds beyond the source's Han multiset (empty when nothing was invented)."""
    return han(output) - source


@st.composite
def mutated_page(draw: st.DrawFn) -> list[str]:
    """A run of seed lines with random line breaks, spaces, deletions, punctuation swaps, injections."""
    start = draw(st.integers(0, len(SEED_LINES) - 1))
    lines = SEED_LINES[start : start + draw(st.integers(1, 40))]
    text = "\n".join(lines)
    for _ in range(draw(st.integers(0, 12))):
        if not text:
            break
        pos = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["break", "blank", "space", "delete", "swap", "inject", "unicode"]))
        if op == "break":
            text = text[:pos] + "\n" + text[pos:]
        elif op == "blank":
            text = text[:pos] + "\n\n" + text[pos:]
        elif op == "space":
            text = text[:pos] + draw(st.sampled_from([" ", "  ", "\u3000", "\u00a0"])) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)) :]
        elif op == "swap" and pos < len(text) and text[pos] in SWAPS:
            text = text[:pos] + SWAPS[text[pos]] + text[pos + 1 :]
        elif op == "inject":
            text = text[:pos] + draw(st.sampled_from(INJECTIONS)) + text[pos:]
        elif op == "unicode":
            text = text[:pos] + draw(st.text(max_size=5)) + text[pos:]
    return text.replace("\r", "\n").split("\n")


def page_of(lines: list[str]) -> Page:
    return Page(key="fuzz", path="fuzz/fuzz.txt", lines=lines, sha256="0" * 64)


def check_no_invention(lines: list[str]) -> None:
    result = process_page(page_of(lines))
    source = han("\n".join(lines))
    for item in result.items:
        fields = {"title": item.title, "subtitle": item.subtitle or "", "column": item.column or "",
                  "paragraphs": "".join(item.paragraphs), "subheads": "".join(item.subheads.values()),
                  "authors": "".join(a.name for a in item.authors)}
        for name, text in fields.items():
            extra = bounded(text, source)
            assert not extra, f"{item.id} {name} invents {dict(extra)}: {text[:80]!r}"
        assert item.first_line >= 0 and item.last_line <= len(lines)


@FUZZ
@given(st.text(max_size=300))
def test_clean_random_unicode(text: str) -> None:
    out, fixes = clean_and_explain(text, 1)
    assert isinstance(out, str)
    assert not bounded(out, han(text))
    for fix in fixes:  # a "\n" in the text advances the line (clean_and_explain's contract): '\n㐀!' is fixed on line 2
        assert fix.rule and 1 <= fix.line <= 1 + text.count("\n")
    assert clean_and_explain("\n㐀!", 1)[1][0].line == 2


@FUZZ
@given(mutated_page())
def test_clean_mutated_seed_lines(lines: list[str]) -> None:
    text = "".join(lines)
    out, _ = clean_and_explain(text, 1)
    assert not bounded(out, han(text))


@FUZZ
@given(st.lists(st.text(max_size=60), max_size=30))
def test_segment_random_unicode(lines: list[str]) -> None:
    lines = [line.replace("\r", " ").replace("\n", " ") for line in lines]
    check_no_invention(lines)


@FUZZ
@given(mutated_page())
def test_segment_mutated_seed_pages(lines: list[str]) -> None:
    check_no_invention(lines)


def test_whole_seed_pages_invent_nothing() -> None:
    for path in SEEDS:
        check_no_invention(path.read_text(encoding="utf-8").split("\n"))
