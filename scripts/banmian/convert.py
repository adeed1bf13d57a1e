"""Convert simplified text to traditional script (OpenCC s2tw), with project overrides.

s2tw changes characters only (no s2twp phrase rewriting such as 联系→聯絡), and uses the
standard forms most readers know (為 群 著 裡) rather than OpenCC's own (爲 羣 着 裏).
Spans OpenCC gets wrong are protected: entries of ``data/opencc_overrides.tsv`` and inline
``-{…}-`` markup (MediaWiki's convention), which is removed from both scripts' output.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import opencc

CONFIG = "s2tw"
PROTECT = re.compile(r"-\{(.*?)\}-", re.S)
_PUA = 0xF0000  # supplementary private use area: never in source text, untouched by OpenCC


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(f"{CONFIG}.json")


@cache
def overrides() -> tuple[tuple[str, str], ...]:
    text = resources.files("banmian.data").joinpath("opencc_overrides.tsv").read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            simp, trad = line.split("\t")
            pairs.append((simp, trad))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def _override_pattern() -> re.Pattern[str] | None:
    pairs = overrides()
    return re.compile("|".join(re.escape(s) for s, _ in pairs)) if pairs else None


def strip_markup(text: str) -> str:
    """The simplified site shows protected spans as they are, without the ``-{ }-`` marks."""
    return PROTECT.sub(r"\1", text)


def to_traditional(text: str) -> str:
    held: list[str] = []

    def hold(value: str) -> str:
        held.append(value)
        return chr(_PUA + len(held) - 1)

    text = PROTECT.sub(lambda m: hold(m.group(1)), text)
    pattern = _override_pattern()
    if pattern is not None:
        table = dict(overrides())
        text = pattern.sub(lambda m: hold(table[m.group()]), text)
    converted = _converter().convert(text)
    return re.sub("[\U000f0000-\U000fffff]", lambda m: held[ord(m.group()) - _PUA], converted)
