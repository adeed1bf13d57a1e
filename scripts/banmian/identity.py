"""Identity: the name (file and URL) an item keeps for good, whatever happens around it.

An item's name is its type letter and a digest of its opening source text (``a-3f9c2e1b``), not
its position: inserting, removing or reordering other items on the page leaves it alone. When the
generator makes an item whose name is not in ``docs/`` yet, the page's existing items are asked
first (``assign``): an existing item of the same type with similar text is the same article (its
source was corrected, or segmentation moved its start), so the new output keeps that name. An
existing item that no produced item continues is followed by its text: if its opening is now part
of another item (articles merged), its old name redirects there; if it is nowhere, it is *gone*
and ingest reports it. Names of the form ``a01`` (by position, before this module) are migrated:
the item gets its content name and the old name redirects to it, unless the old file was
corrected by hand (then the file keeps its name and nothing moves).

Everything here is a pure function of the items and the names already in docs/; ``emit`` reads
and writes the files.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

import yaml

from .model import Article, BlockKind

PREFIX = {"article": "a", "caption": "c", "notice": "n"}
#: Names made by position before content names (``a01``, ``c12``): migrated, see ``assign``.
LEGACY = re.compile(r"[acnx]\d{2,}")
#: Content names: the type letter, a dash, hex digits (``a-3f9c2e1b``).
CONTENT = re.compile(r"[acnx]-[0-9a-f]{6,}")
_NOT_SIGNIFICANT = re.compile(r"[\W_]+")


@cache
def settings() -> dict[str, float]:
    """Thresholds of ``data/identity.yml``; read once."""
    data = yaml.safe_load(resources.files("banmian.data").joinpath("identity.yml").read_text(encoding="utf-8"))
    return {k: data[k] for k in ("opening_chars", "digest_chars", "same_item_ratio", "compare_chars", "contained_chars")}


def significant(text: str) -> str:
    """Letters, digits and Han characters only: what OCR noise, clean-up and Markdown escaping
    do not change (spaces, line breaks, punctuation, backslashes are left out)."""
    return _NOT_SIGNIFICANT.sub("", text)


def prefix(item_type: str) -> str:
    return PREFIX.get(item_type, "x")


def opening(item: Article) -> str:
    """The first ``opening_chars`` significant characters of the item's own source lines, in
    source order; column labels (kickers) are left out, as their attachment is a judgement
    that may change."""
    blocks = sorted((b for b in item.blocks if b.kind != BlockKind.KICKER), key=lambda b: (b.first, b.last))
    text = significant("".join(b.raw for b in blocks)) or significant(item.title + "".join(item.paragraphs))
    return text[: int(settings()["opening_chars"])]


def natural_names(items: list[Article]) -> list[str]:
    """Each item's content name, in reading order. Equal names on one page (two captions that
    both read 资料图片, or a digest clash) are told apart by a numbered digest: the second in
    reading order hashes its opening with ``#2``, and so on."""
    width = int(settings()["digest_chars"])
    names: list[str] = []
    seen: set[str] = set()
    for item in items:
        text, n = opening(item), 1
        while True:
            payload = text if n == 1 else f"{text}#{n}"
            name = f"{prefix(item.type)}-{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:width]}"
            if name not in seen:
                break
            n += 1
        seen.add(name)
        names.append(name)
    return names


def item_text(item: Article) -> str:
    """Significant characters of the item's title and body, as a file would hold them."""
    return significant(item.title + "".join(item.paragraphs))


@dataclass
class Known:
    """An item already in ``docs/<page>/``: its name, and a way to read its file only when needed
    (front matter, body, hand-edited?; None when it cannot be read)."""

    name: str
    read: Callable[[], tuple[dict[str, object], str, bool] | None]

    @cached_property
    def parsed(self) -> tuple[dict[str, object], str, bool] | None:
        return self.read()

    @property
    def type_letter(self) -> str:
        return self.name[0]

    @property
    def legacy(self) -> bool:
        return bool(LEGACY.fullmatch(self.name))

    @property
    def edited(self) -> bool:
        """Unreadable counts as edited: only a person makes a file the tool cannot read."""
        return self.parsed is None or self.parsed[2]

    @cached_property
    def text(self) -> str:
        if self.parsed is None:
            return ""
        fm, body, _ = self.parsed
        return significant(str(fm.get("title") or "") + body)

    @cached_property
    def body_start(self) -> str:
        """The first ``contained_chars`` significant characters of the body (not the title: a
        merged article keeps its text, not its headline)."""
        if self.parsed is None:
            return ""
        return significant(self.parsed[1])[: int(settings()["contained_chars"])]


@dataclass
class Assignment:
    """What ``assign`` decided for one page, for ``emit`` to write and report."""

    names: list[str]  # per produced item, in reading order
    kept: dict[str, str] = field(default_factory=dict)  # produced name → the existing name it continues (same when unchanged)
    redirects: dict[str, str] = field(default_factory=dict)  # existing name no longer produced → produced name holding its text
    gone: list[str] = field(default_factory=list)  # existing names whose text is in no produced item
    splits: dict[str, str] = field(default_factory=dict)  # new produced name → existing name whose text it came out of


def _similarity(a: str, b: str) -> float:
    limit = int(settings()["compare_chars"])
    matcher = difflib.SequenceMatcher(None, a[:limit], b[:limit], autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() >= settings()["same_item_ratio"] else 0.0


def assign(items: list[Article], known: list[Known]) -> Assignment:
    """Give each produced item its name, keeping the names already in docs/ for the same items.

    1. An item whose content name is already there is that item.
    2. Otherwise an existing item of the same type that no item took, with similar text
       (``same_item_ratio``), is the same item: its name is kept (a legacy ``a01``-style name only
       when its file was corrected by hand; else the item takes its content name and the legacy
       name redirects to it). Pairs are taken most similar first, ties in reading order.
    3. Every other item is new and gets its content name.
    Existing items that no item continues redirect to the item that now holds their body's
    opening, or are reported gone. Deterministic: the same items and names give the same result.
    """
    natural = natural_names(items)
    by_name = {k.name: k for k in known}
    names: list[str | None] = [None] * len(items)
    result = Assignment(names=[])
    taken: set[str] = set()
    for i, name in enumerate(natural):
        if name in by_name:
            names[i] = name
            taken.add(name)
            result.kept[name] = name
    open_items = [i for i, n in enumerate(names) if n is None]
    open_known = [k for k in known if k.name not in taken]
    if open_items and open_known:
        texts = {i: item_text(items[i]) for i in open_items}
        pairs = sorted(
            (-score, i, k.name)
            for i in open_items
            for k in open_known
            if k.type_letter == prefix(items[i].type) and (score := _similarity(texts[i], k.text)) >= settings()["same_item_ratio"]
        )
        for _, i, old in pairs:
            if names[i] is not None or old in taken:
                continue
            k = by_name[old]
            names[i] = old if (not k.legacy or k.edited) else natural[i]
            taken.add(old)
            result.kept[names[i]] = old  # type: ignore[index]
    final = [n if n is not None else natural[i] for i, n in enumerate(names)]
    result.names = final
    produced_text = [item_text(item) for item in items]
    for k in known:
        if k.name in final:
            continue
        if k.name in taken:  # a legacy name whose item took its content name
            result.redirects[k.name] = next(n for n, old in result.kept.items() if old == k.name)
            continue
        start = k.body_start
        home = next((final[i] for i, text in enumerate(produced_text) if start and start in text), None)
        if home is not None:
            result.redirects[k.name] = home
        else:
            result.gone.append(k.name)
    for i, name in enumerate(final):
        if name in result.kept:
            continue
        start = significant("".join(items[i].paragraphs))[: int(settings()["contained_chars"])]
        source = next((k.name for k in known if k.name in taken and start and start in k.text), None)
        if source is not None:
            result.splits[name] = source
    return result
