"""Convert simplified text to traditional script (OpenCC ``s2tw``), with project overrides.

Why ``s2tw``: an archive must keep the paper's wording, so the conversion changes script only.
``s2twp``/``s2hkp`` also rewrite vocabulary (联系→聯絡, B超→超音波): wrong for a source edition.
Plain ``s2t`` emits OpenCC's own variant forms (爲 羣 着 裏) that few readers use; ``s2tw`` gives the
standard forms (為 群 著 裡) and gets some place names right that ``s2t`` breaks (无梁镇→無樑鎮).

OpenCC still gets names wrong, so two things are protected from it:
- ``data/opencc_overrides.tsv``: phrases with their fixed traditional form, and characters kept
  unchanged in person names (范/于/余 as surnames are not 範/於/餘; 杰 in a name is not 傑);
- inline ``-{…}-`` markup (MediaWiki's convention) around any span; the marks are removed from
  both scripts' output.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import opencc

CONFIG = "s2tw"
PROTECT = re.compile(r"-\{(.*?)\}-", re.S)
_PUA = 0xF0000  # supplementary private use area: never in source text, untouched by OpenCC
_HELD = re.compile("[\U000f0000-\U000fffff]")


@dataclass(frozen=True)
class Overrides:
    phrases: tuple[tuple[str, str], ...]  # (simplified, traditional) used everywhere
    surname_kept: frozenset[str]  # first character of a person's name kept as written
    name_kept: frozenset[str]  # characters kept anywhere in a person's name


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(f"{CONFIG}.json")


def parse_overrides(text: str, origin: str = "opencc_overrides.tsv") -> Overrides:
    """``simplified<TAB>traditional[<TAB>surname|name]``; ``#`` starts a comment line."""
    phrases: list[tuple[str, str]] = []
    surname: set[str] = set()
    name: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) not in (2, 3) or not cols[0] or not cols[1]:
            raise ValueError(f"{origin}:{number}: expected 'simplified<TAB>traditional[<TAB>surname|name]', got {line!r}")
        kind = cols[2].strip() if len(cols) == 3 else ""
        if kind in ("surname", "name"):
            if len(cols[0]) != 1 or cols[0] != cols[1]:
                raise ValueError(f"{origin}:{number}: a {kind} entry keeps one character as it is, e.g. '范<TAB>范<TAB>{kind}'")
            (surname if kind == "surname" else name).add(cols[0])
        elif kind:
            raise ValueError(f"{origin}:{number}: unknown kind {kind!r}; use 'surname' or 'name'")
        else:
            phrases.append((cols[0], cols[1]))
    return Overrides(tuple(sorted(phrases, key=lambda p: (-len(p[0]), p[0]))), frozenset(surname), frozenset(name))


@cache
def overrides() -> Overrides:
    text = resources.files("banmian.data").joinpath("opencc_overrides.tsv").read_text(encoding="utf-8")
    return parse_overrides(text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def protect(text: str) -> str:
    """``text`` kept as it is on the traditional site: each run of non-ASCII characters wrapped
    in ``-{…}-``. Only those runs: ASCII never converts, and a ``}-`` in the text (possible in
    a citation's BibTeX) cannot end a wrapped span early."""
    return _NON_ASCII.sub(lambda m: "-{" + m.group() + "}-", text)


def strip_markup(text: str) -> str:
    """The simplified site shows protected spans as they are, without the ``-{ }-`` marks."""
    return PROTECT.sub(r"\1", text)


class Converter:
    """s2tw plus the project's phrase overrides and any extra phrases (e.g. this edition's names)."""

    def __init__(self, extra: dict[str, str] | None = None) -> None:
        table = dict(overrides().phrases)
        table.update(extra or {})
        self.table = table
        keys = sorted(table, key=lambda s: (-len(s), s))
        self.pattern = re.compile("|".join(re.escape(k) for k in keys)) if keys else None

    def convert(self, text: str) -> str:
        held: list[str] = []

        def hold(value: str) -> str:
            held.append(value)
            return chr(_PUA + len(held) - 1)

        text = PROTECT.sub(lambda m: hold(m.group(1)), text)
        if self.pattern is not None:
            text = self.pattern.sub(lambda m: hold(self.table[m.group()]), text)
        converted = _converter().convert(text)
        return _HELD.sub(lambda m: held[ord(m.group()) - _PUA], converted)

    def fingerprint(self) -> str:
        """Changes whenever the overrides change: part of the conversion cache key."""
        payload = CONFIG + "\n" + "\n".join(f"{k}\t{v}" for k, v in sorted(self.table.items()))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]



def name_to_traditional(name: str) -> str:
    """A person's name: s2tw, except characters names keep (surname 范 stays 范, 杰 stays 杰).

    >>> name_to_traditional("范杰"), to_traditional("范杰")
    ('范杰', '範傑')
    """
    ov = overrides()
    # Convert the unprotected runs together so OpenCC can still use phrase context.
    result: list[str] = []
    run: list[str] = []
    for i, ch in enumerate(name):
        if (i == 0 and ch in ov.surname_kept) or ch in ov.name_kept:
            if run:
                result.append(_converter().convert("".join(run)))
                run = []
            result.append(ch)
        else:
            run.append(ch)
    if run:
        result.append(_converter().convert("".join(run)))
    return "".join(result)


def name_overrides(names: Iterable[str]) -> dict[str, str]:
    """Names whose plain conversion differs from the name rule, as extra phrases for a Converter."""
    extra: dict[str, str] = {}
    for name in set(names):
        if len(name) >= 2:
            fixed = name_to_traditional(name)
            if fixed != _converter().convert(name):
                extra[name] = fixed
    return extra


MIN_UI_SENTENCE = 8  # on generated pages, only sentences this long: no article phrase matches by chance


@cache
def ui_table() -> dict[str, str]:
    """``data/zh_hant_ui.tsv``: the interface as written for readers of traditional script."""
    text = resources.files("banmian.data").joinpath("zh_hant_ui.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 2 or not cols[0] or not cols[1]:
            raise ValueError(f"zh_hant_ui.tsv:{number}: expected 'simplified<TAB>traditional', got {line!r}")
        table[cols[0]] = cols[1]
    return table


def ui_sentences() -> dict[str, str]:
    """The table's long entries, for a Converter of generated pages (site.stage)."""
    return {k: v for k, v in ui_table().items() if len(k) >= MIN_UI_SENTENCE}


def ui_to_traditional(text: str) -> str:
    """One interface string: its written form from the table, else s2tw."""
    return ui_table().get(text) or to_traditional(text)


def to_traditional(text: str) -> str:
    return _default().convert(text)


@cache
def _default() -> Converter:
    return Converter()
