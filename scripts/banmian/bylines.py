"""Bylines: who wrote or photographed an item, with their role; roles are data (byline_roles.yml)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from .model import Author


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
