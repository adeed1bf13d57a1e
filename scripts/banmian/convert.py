"""Convert simplified text to traditional script (OpenCC ``s2tw``), with project overrides.

Why ``s2tw``: an archive must keep the paper's wording, so the conversion changes script only.
``s2twp``/``s2hkp`` also rewrite vocabulary (联系→聯絡, B超→超音波): wrong for a source edition.
Plain ``s2t`` emits OpenCC's own variant forms (爲 羣 着 裏) that few readers use; ``s2tw`` gives the
standard forms (為 群 著 裡) and gets some place names right that ``s2t`` breaks (无梁镇→無樑鎮).

OpenCC still gets names wrong, so two things are protected from it:
- ``data/opencc_overrides.tsv``: phrases with their fixed traditional form, and characters kept
  unchanged in person names (范/于/余 as surnames are not 範/於/餘; 杰 in a name is not 傑). The
  phrases (and an edition's names, see ``name_overrides``) go to OpenCC itself as a user
  dictionary: a config derived from ``s2tw.json`` whose segmentation and first conversion step
  look in it before OpenCC's own dictionaries, and whose variant step (TWVariants) leaves its
  results as they are;
- inline ``-{…}-`` markup (MediaWiki's convention) around any span: the text between such spans
  is converted, the spans are not; the marks are removed from both scripts' output.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import opencc

from .fold import has_traditional

CONFIG = "s2tw"
PROTECT = re.compile(r"-\{(.*?)\}-", re.S)


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


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    """A staged text for the simplified site: what a page printed in traditional characters
    (``banmian.fold``) shown in simplified ones (OpenCC ``t2s``: script only, like ``s2tw`` the
    other way), protected spans (citations: as printed) kept, the marks removed. A text with no
    traditional character, the usual case, is only searched.

    >>> to_simplified("計劃生育 -{潘鵬.三大工程}- 本报")
    '计划生育 潘鵬.三大工程 本报'
    """
    if not has_traditional(text):
        return strip_markup(text)
    parts = PROTECT.split(text)  # odd positions: the protected spans, kept as written
    return "".join(part if i % 2 else _t2s().convert(part) if part else "" for i, part in enumerate(parts))


def _with_paths(node: Any, folder: Path) -> Any:
    """``node`` of an OpenCC config with each dictionary file named by its full path in ``folder``
    (OpenCC looks for a config's dictionaries beside the config, and ours is elsewhere)."""
    if isinstance(node, dict):
        out = {k: _with_paths(v, folder) for k, v in node.items()}
        if out.get("type") == "ocd2":
            out["file"] = str(folder / out["file"])
        return out
    if isinstance(node, list):
        return [_with_paths(v, folder) for v in node]
    return node


def _user_config(base: dict[str, Any], phrases: Path, kept: Path) -> dict[str, Any]:
    """``base`` (s2tw) with the user dictionary ``phrases`` first in segmentation and in the first
    conversion step, and ``kept`` (its results, unchanged) first in every later step."""
    user = {"type": "text", "file": str(phrases)}
    cfg = json.loads(json.dumps(base))
    cfg["segmentation"]["dict"] = {"type": "group", "match_policy": "short_circuit", "dicts": [user, base["segmentation"]["dict"]]}
    for n, step in enumerate(cfg["conversion_chain"]):
        first = user if n == 0 else {"type": "text", "file": str(kept)}
        step["dict"] = {"type": "group", "match_policy": "short_circuit", "dicts": [first, step["dict"]]}
    return cfg


class Converter:
    """s2tw plus the project's phrase overrides and any extra phrases (e.g. this edition's names),
    given to OpenCC as a user dictionary."""

    def __init__(self, extra: dict[str, str] | None = None) -> None:
        table = dict(overrides().phrases)
        table.update(extra or {})
        self.table = table
        # an OpenCC text dictionary holds "key<TAB>value" lines, a space separating alternatives:
        # entries with white space (the interface's sentences) are cut out of the text instead
        words = {k: v for k, v in table.items() if not re.search(r"\s", k + v)}
        self.spaced = {k: v for k, v in table.items() if k not in words}
        keys = sorted(self.spaced, key=lambda s: (-len(s), s))
        self.spaced_pattern = re.compile("(" + "|".join(re.escape(k) for k in keys) + ")") if keys else None
        self.opencc = _converter()
        if words:
            share = Path(_converter().config).parent
            base = _with_paths(json.loads((share / f"{CONFIG}.json").read_text(encoding="utf-8")), share)
            with tempfile.TemporaryDirectory(prefix="banmian-opencc-") as tmp:  # OpenCC reads it all now
                phrases, kept, config = Path(tmp, "phrases.txt"), Path(tmp, "kept.txt"), Path(tmp, "config.json")
                phrases.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(words.items())), encoding="utf-8")
                kept.write_text("".join(f"{v}\t{v}\n" for v in sorted(set(words.values()))), encoding="utf-8")
                config.write_text(json.dumps(_user_config(base, phrases, kept), ensure_ascii=False), encoding="utf-8")
                self.opencc = opencc.OpenCC(str(config))

    def convert(self, text: str) -> str:
        parts = PROTECT.split(text)  # odd positions: the protected spans, kept as written
        return "".join(part if i % 2 else self._convert(part) for i, part in enumerate(parts))

    def _convert(self, text: str) -> str:
        if self.spaced_pattern is None:
            return self.opencc.convert(text) if text else ""
        parts = self.spaced_pattern.split(text)  # odd positions: an entry with white space
        return "".join(self.spaced[part] if i % 2 else self.opencc.convert(part) if part else "" for i, part in enumerate(parts))

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
