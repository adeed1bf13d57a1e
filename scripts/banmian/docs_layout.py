"""Docs layout: what may be under docs/, what a page record (``page.yml``) may say, and where its
source may be read from.

Why: a pull request can add any folder or file under docs/. Folder and file names are pasted into
link targets and paths, and ``page.yml`` names the raw text the site shows in its source view
and puts in the offline zip. So the site is built only from a tree ingest could have written:
page folders named as ``reader.page_key`` names them, holding ``page.yml`` and item files
(``a-3f9c2e1b.md`` …, or the older ``a01.md``) and nothing else, no symbolic links; a record that follows
``data/page.schema.json``; and a source that resolves (symbolic links followed) inside the source
folder. ``banmian site`` refuses to build from anything else, naming ``file:line``; ``banmian
check --source`` also reports a page folder with no record or whose source is not there.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema

from .reader import _RESERVED_KEYS as RESERVED_KEYS

RECORD = "page.yml"
ITEM_FILE = re.compile(r"^[a-z](?:[0-9]{2,}|-[0-9a-f]{6,})(?:[._-][0-9A-Za-z_-]+)*\.md$")


class LayoutError(ValueError):
    """docs/ holds something the site must not be built from; the message lists ``file:line: problem``."""


@cache
def page_schema() -> dict[str, Any]:
    return json.loads(resources.files("banmian.data").joinpath("page.schema.json").read_text(encoding="utf-8"))


@cache
def _folder_name() -> re.Pattern[str]:
    return re.compile(page_schema()["properties"]["key"]["pattern"])


def line_of(text: str, key: str) -> int:
    """1-based line of a top-level key in a YAML mapping (1 when it is not found)."""
    m = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def record_problems(record: dict[str, Any], text: str) -> list[tuple[int, str]]:
    """``(line, message)`` for each way ``record`` (parsed from ``text``) breaks the page schema."""
    validator = jsonschema.Draft202012Validator(page_schema())
    out = []
    for err in sorted(validator.iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path]):
        key = str(err.absolute_path[0]) if err.absolute_path else ""
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        message = err.message if len(err.message) < 300 else err.message[:300] + "…"
        out.append((line_of(text, key) if key else 1, f"{where}: {message}"))
    return out


def resolve_source(source: str, root: Path, sources: Path) -> Path:
    """The file a page record's ``source`` names, which must lie inside ``sources`` once every
    symbolic link is followed; raises ValueError (with the reason) for anything else. ``source``
    is relative to ``root``, the edition's folder (``source_texts/…``)."""
    rel = PurePosixPath(source)
    if not source or rel.is_absolute() or "\\" in source or re.match(r"^[A-Za-z]:", source) or any(p in ("..", ".") for p in rel.parts):
        raise ValueError(f"source {source!r} 不是源文件夹内的相对路径 / is not a relative path inside {sources.as_posix()}/")
    path = root / rel
    real, real_sources = path.resolve(), sources.resolve()
    if real_sources not in real.parents:
        raise ValueError(f"source {source!r} 在源文件夹之外 / lies outside {sources.as_posix()}/ (links followed): "
                         "a page's raw text is read only from the source folder")
    return path


def layout_problems(docs: Path) -> list[tuple[str, int, str]]:
    """``(file, line, message)`` for every folder or file under docs/ that ingest does not write."""
    out: list[tuple[str, int, str]] = []
    if not docs.is_dir():
        return out
    for entry in sorted(docs.iterdir()):
        shown = entry.as_posix()
        if not entry.is_dir() or entry.is_symlink():
            out.append((shown, 1, "docs/ 下只应有版面文件夹 / docs/ holds only page folders (made by banmian ingest): remove or move this file"))
            continue
        if not _folder_name().match(entry.name) or entry.name.casefold() in RESERVED_KEYS:
            out.append((shown, 1, f"文件夹名 {entry.name!r} 不是 ingest 生成的版面编号 / is not a page key ingest makes "
                                  "(letters, digits, Han, - and _): rename the source text and run banmian ingest"))
            continue
        for item in sorted(entry.iterdir()):
            if item.name == RECORD and item.is_file() and not item.is_symlink():
                continue
            if item.is_file() and not item.is_symlink() and ITEM_FILE.match(item.name):
                continue
            out.append((item.as_posix(), 1, f"{item.name!r} 不是 ingest 写的文件 / is not a file banmian ingest writes "
                                            f"(page.yml, a-3f9c2e1b.md …): remove it"))
    return out
