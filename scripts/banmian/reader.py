"""Read: find page texts under a source folder, decode them, attach manifest facts.

The raw files are never written to; everything downstream works on the decoded lines.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath

import yaml

from .model import Page, PageMeta

MANIFEST_NAME = "manifest.yml"


class InputError(Exception):
    """A problem with one input file, phrased for the person who has to fix it."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass
class ReadResult:
    pages: list[Page]
    errors: list[InputError]


def page_key(rel: PurePosixPath) -> str:
    """A URL-safe key from a path under the source root: stable across runs and machines."""
    stem = str(rel.with_suffix(""))
    key = re.sub(r"[^0-9A-Za-z_\-\u4e00-\u9fff/]+", "-", stem).strip("-/")
    return key.replace("/", "__") or "page"


def decode(data: bytes, path: str, encoding: str | None = None) -> str:
    """Decode page bytes: BOMs first, then UTF-8, then GB18030 (a superset of GBK/GB2312)."""
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(path, f"不能按清单给出的编码 {encoding} 解码 / cannot decode as {encoding}: {exc}") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise InputError(path, "看起来是二进制文件，不是文本 / looks like a binary file, not a page text; remove it or convert it to UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(path, "无法识别的编码 / unknown encoding: save it as UTF-8 or name its encoding in manifest.yml") from exc


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF or CR alike; a final line end does not make an extra empty line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def load_manifests(root: Path, display_root: str) -> tuple[dict[Path, PageMeta], list[InputError]]:
    """Collect ``manifest.yml`` files: ``defaults`` for the folder, ``pages`` per file name."""
    metas: dict[Path, PageMeta] = {}
    errors: list[InputError] = []
    known = {f.name for f in fields(PageMeta)}
    for manifest in sorted(root.rglob(MANIFEST_NAME)):
        shown = f"{display_root}/{manifest.relative_to(root).as_posix()}"
        try:
            data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            errors.append(InputError(shown, f"清单 YAML 有误 / malformed YAML: {getattr(exc, 'problem', exc)}", mark.line + 1 if mark else None))
            continue
        if not isinstance(data, dict):
            errors.append(InputError(shown, "清单应是一个映射 / manifest must be a mapping with 'defaults' and 'pages'"))
            continue
        defaults = data.get("defaults") or {}
        pages = data.get("pages") or {}
        for name, entry in sorted(pages.items(), key=lambda kv: str(kv[0])):
            target = (manifest.parent / str(name)).resolve()
            if root.resolve() not in target.parents:
                errors.append(InputError(shown, f"路径 {name!r} 指向源文件夹之外 / path leaves the source folder; use a path inside it"))
                continue
            if not target.is_file():
                errors.append(InputError(shown, f"清单提到的文件不存在 / file named in manifest does not exist: {name}"))
                continue
            merged = {**defaults, **(entry or {})}
            unknown = sorted(set(merged) - known)
            if unknown:
                errors.append(InputError(shown, f"未知字段 / unknown fields {unknown}; allowed: {sorted(known)}"))
            metas[target] = PageMeta(**{k: (str(v) if v is not None else None) for k, v in merged.items() if k in known})
    return metas, errors


def shown_root(source: Path) -> str:
    """How articles cite the source folder: relative to the working directory when inside it
    (``source_texts``), else just its name, so output never depends on where a machine keeps it."""
    try:
        return source.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return source.resolve().name


def read_pages(source: Path, display_root: str | None = None) -> ReadResult:
    """Every ``*.txt`` under ``source`` (recursive, sorted) as a Page; bad files become errors."""
    display_root = display_root or shown_root(source)
    metas, errors = load_manifests(source, display_root)
    pages: list[Page] = []
    for path in sorted(source.rglob("*.txt"), key=lambda p: p.relative_to(source).as_posix()):
        rel = PurePosixPath(path.relative_to(source).as_posix())
        shown = f"{display_root}/{rel}"
        meta = metas.get(path.resolve(), PageMeta())
        try:
            data = path.read_bytes()
            text = decode(data, shown, meta.encoding)
        except InputError as exc:
            errors.append(exc)
            continue
        except OSError as exc:
            errors.append(InputError(shown, f"无法读取 / cannot read: {exc.strerror}"))
            continue
        lines = split_lines(text)
        if not any(line.strip() for line in lines):
            errors.append(InputError(shown, "文件是空的 / file is empty: nothing to ingest"))
            continue
        pages.append(Page(key=page_key(rel), path=shown, lines=lines, meta=meta, sha256=hashlib.sha256(data).hexdigest()))
    return ReadResult(pages=pages, errors=errors)
