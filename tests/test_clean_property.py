"""Never invent text: every character of cleaned output comes from the source, in order.

Property (issue 3): undo the named normalisations (punctuation width, look-alike mapping, NFC),
drop whitespace, and the cleaned text is a subsequence of the source. Inputs are windows of the
seed pages, further damaged the way OCR damages text (stray spaces, half-width punctuation,
doubled full stops, repeated sentences, look-alike characters, markup hints).
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banmian.clean import (
    _lookalike,
    blank_line_blocks,
    clean_and_explain,
    clean_lines,
    column_width,
    rejoin_blocks,
)
from conftest import SEEDS

PAGES = [p.read_text(encoding="utf-8").split("\n") for p in SEEDS]
FULL_TO_HALF = str.maketrans("，；：？！（）", ",;:?!()")
KANGXI = {"人": "⼈", "生": "⽣", "口": "⼝", "工": "⼯", "大": "⼤"}


def fold(text: str) -> str:
    """Undo the named normalisations on both sides, drop whitespace and markup marks."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(_lookalike(c) or c for c in text).translate(FULL_TO_HALF)
    return "".join(c for c in text if not c.isspace())


def is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


@st.composite
def damaged_window(draw) -> list[str]:
    lines = draw(st.sampled_from(PAGES))
    start = draw(st.integers(0, len(lines) - 1))
    window = lines[start : start + draw(st.integers(1, 15))]
    out = []
    for line in window:
        chars = list(line)
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["space", "half", "period", "kangxi", "markup", "repeat"]))
            if not chars:
                break
            i = draw(st.integers(0, len(chars) - 1))
            if kind == "space":
                chars.insert(i, " ")
            elif kind == "half":
                chars[i] = chars[i].translate(FULL_TO_HALF)
            elif kind == "period" and chars[i] == "。":
                chars.insert(i, "。")
            elif kind == "kangxi":
                chars[i] = KANGXI.get(chars[i], chars[i])
            elif kind == "markup":
                chars.insert(i, "**")
            elif kind == "repeat":
                text = "".join(chars)
                end = text.find("。", i)
                if end > i:
                    chars = list(text[: end + 1] + text[i : end + 1] + text[end + 1 :])
        out.append("".join(chars))
    return out


SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(damaged_window(), st.booleans())
def test_cleaned_block_is_a_subsequence_of_its_source(lines: list[str], byline: bool) -> None:
    text, _ = clean_lines(lines, 1, byline=byline)
    assert is_subsequence(fold(text), fold("".join(lines)))


@SETTINGS
@given(damaged_window())
def test_whole_layout_clean_up_never_invents(lines: list[str]) -> None:
    blocks = rejoin_blocks(blank_line_blocks(lines), column_width(lines))
    out = "".join(clean_lines(b.lines, b.first)[0] for b in blocks)
    assert is_subsequence(fold(out), fold("".join(lines)))


@SETTINGS
@given(damaged_window())
def test_clean_is_idempotent(lines: list[str]) -> None:
    once, _ = clean_lines(lines, 1)
    twice, fixes = clean_and_explain(once, 1)
    assert twice == once, fixes


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("计生协会 ,.;:?!()（）。，“”0123456789AB%-—#*⼈\u3000")), max_size=60))
def test_arbitrary_text_never_invents(text: str) -> None:
    out, fixes = clean_and_explain(text, 1)
    assert is_subsequence(fold(out), fold(text))
    assert all(f.line == 1 for f in fixes)
