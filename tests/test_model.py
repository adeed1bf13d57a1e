"""The front matter's one shape: ``model.FrontMatter`` (what the code reads and writes, checked by
mypy) and ``data/article.schema.json`` (what ``banmian check`` validates) name the same keys, and
every committed article's front matter fits it."""

from __future__ import annotations

import json
import typing
from importlib import resources

from banmian.emit import split_file
from banmian.model import FrontMatter, SourceRef
from conftest import ROOT

SCHEMA = json.loads(resources.files("banmian").joinpath("data/article.schema.json").read_text(encoding="utf-8"))


def test_the_typed_front_matter_and_the_schema_name_the_same_keys() -> None:
    assert set(FrontMatter.__annotations__) == set(SCHEMA["properties"])
    assert set(SourceRef.__annotations__) == set(SCHEMA["properties"]["source"]["properties"])
    assert set(SourceRef.__required_keys__) == set(SCHEMA["properties"]["source"]["required"])


def test_every_committed_article_fits_the_typed_front_matter() -> None:
    hints = typing.get_type_hints(FrontMatter)
    checked = 0
    for path in sorted((ROOT / "docs").rglob("*.md")):
        meta, _ = split_file(path.read_text(encoding="utf-8"))
        assert set(meta) <= set(hints), (path, set(meta) - set(hints))
        for key, value in meta.items():
            origin = typing.get_origin(hints[key]) or hints[key]
            if value is None or origin in (typing.Union, __import__("types").UnionType, typing.Literal):
                continue
            if origin is float:
                assert isinstance(value, int | float), (path, key)
            elif isinstance(origin, type) and not typing.is_typeddict(origin):
                assert isinstance(value, origin), (path, key, value)
        checked += 1
    assert checked >= 50
