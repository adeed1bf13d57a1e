"""Read: find page texts under a source folder, decode them, attach manifest facts.

The raw files are never written to; everything downstream works on the decoded lines. Every
problem with one file becomes an ``InputError`` naming it (and the line, where there is one), so
one bad file never stops the batch and never surfaces as a traceback.

Input policy (what is read, what is refused and why):

- Page texts are the files named ``*.txt`` (any case) under the source folder, found recursively
  in code-point order of their path. Symlinked folders are not followed; a symlinked file is read
  only when it resolves inside the source folder.
- Encoding: a BOM decides (UTF-8, UTF-16 LE/BE, UTF-32); else the manifest's ``encoding``; else
  strict UTF-8; else GB18030 (a superset of GBK and GB2312) when the result reads like Chinese
  text. Anything else is refused: name the encoding in ``manifest.yml``.
- Files with NUL bytes or many control characters are binary and refused; so are files larger
  than ``MAX_PAGE_BYTES`` (a printed page is tens of KB; a bigger file is several pages or not a
  page) — they are refused from their size alone, without reading them into memory.
- Empty or whitespace-only files and files without a single Chinese character are refused: there
  is nothing to ingest, or the file is not a page of a Chinese paper (or was decoded wrongly).
- Two files whose page keys are equal (ignoring case, e.g. ``a b.txt`` and ``a-b.txt``) are both
  refused: renaming one silently would change citations when a file is added. Rename one of them.
"""

from __future__ import annotations

import codecs
import datetime
import functools
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path, PurePosixPath

import jsonschema
import yaml

from . import yamlload
from .han import HAN
from .model import Page, PageMeta

MANIFEST_NAME = "manifest.yml"
MAX_PAGE_BYTES = 2 * 1024 * 1024  # 100× the largest seed page; see the module docstring
MAX_MANIFEST_BYTES = 1024 * 1024
HAN_CLASS = HAN  # the one range (han.py)
_HAN = re.compile(f"[{HAN_CLASS}]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# What a Chinese page decoded from GB18030 is made of: Han, ASCII, CJK and full-width punctuation,
# and the symbol, Greek, Cyrillic and box-drawing rows GB2312 carries. Mojibake from another
# encoding lands elsewhere (private use, other scripts, four-byte GB18030 code points).
_PLAUSIBLE = re.compile(
    f"[{HAN_CLASS}\t\n\r\x0c\x20-\x7e\u00a0-\u00ff\u0391-\u03c9\u0401-\u0451\u2000-\u206f"
    "\u2100-\u21ff\u2200-\u22ff\u2460-\u24ff\u2500-\u25ff\u2600-\u26ff\u3000-\u303f\u3040-\u30ff"
    "\u3100-\u312f\u3200-\u32ff\ufe30-\ufe4f\uff00-\uffef]"
)
_RESERVED_KEYS = {"zh-hant", "zh-hans", "browse", "assets", "search", "pagefind", "pagefind-delta", "con", "prn", "aux", "nul"} | {
    f"{dev}{n}" for dev in ("com", "lpt") for n in range(1, 10)
}
_MAX_KEY_BYTES = 180
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with FF FE too
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def real_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day (2013-02-30 is refused, not read as March)."""
    if not _ISO_DATE.match(text):
        return False
    parts = [int(p) for p in text.split("-")]
    try:
        datetime.date(parts[0], *[*parts[1:], 1, 1][:2])
    except ValueError:
        return False
    return True


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


def printable_path(text: str) -> str:
    """A path that can always be printed and stored: undecodable name bytes become ``\\xNN``."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def page_key(rel: PurePosixPath) -> str:
    """A URL-safe key from a path under the source root: stable across runs and machines.

    NFC first (macOS stores names decomposed); folder names the site itself uses and names
    Windows cannot create get ``-page`` appended; very long keys are cut and given a hash.
    """
    stem = unicodedata.normalize("NFC", str(rel.with_suffix("")))
    key = re.sub(r"[^0-9A-Za-z_\-\u3007\u3400-\u4dbf\u4e00-\u9fff/]+", "-", stem).strip("-/")
    key = re.sub(r"-*/-*", "/", key).replace("/", "__") or "page"
    if key.casefold() in _RESERVED_KEYS:
        key += "-page"
    if len(key.encode("utf-8")) > _MAX_KEY_BYTES:
        digest = hashlib.sha256(stem.encode("utf-8", "surrogateescape")).hexdigest()[:10]
        key = key.encode("utf-8")[: _MAX_KEY_BYTES - 11].decode("utf-8", "ignore").rstrip("-_") + "-" + digest
    return key


def _binary_message() -> str:
    return "看起来是二进制文件，不是文本 / looks like a binary file, not a page text: remove it, or export the page as UTF-8 text"


@functools.cache
def _encoding_rules() -> tuple[int, float, frozenset[str]]:
    from importlib import resources

    data = yaml.safe_load(resources.files("banmian.data").joinpath("encoding.yml").read_text(encoding="utf-8"))
    common = frozenset(str(data["common_simplified"]) + str(data["common_traditional"]))
    return int(data["min_han"]), float(data["min_common_share"]), common


def _looks_chinese(text: str) -> bool:
    """Whether bytes decoded as GB18030 read as Chinese: almost every character plausible, and
    (with enough Han characters to tell) the common characters as frequent as Chinese has them.
    Shift-JIS, EUC-KR and Big5 bytes also decode as GB18030, but into rare characters.

    >>> _looks_chinese("今年以来，北庄镇计生办创新工作思路，积极探索基层计划生育工作新方法，进一步推动各项工作开展。")
    True
    >>> _looks_chinese("東京都の人口は増加しています。政府は新しい経済政策を発表した。".encode("shift_jis").decode("gb18030"))
    False
    """
    if not text:
        return True
    odd = len(text) - len(_PLAUSIBLE.findall(text))
    if odd > max(2, len(text) // 200):
        return False
    min_han, min_share, common = _encoding_rules()
    han = _HAN.findall(text)
    return len(han) < min_han or sum(ch in common for ch in han) >= min_share * len(han)


def decode(data: bytes, path: str, encoding: str | None = None) -> str:
    """Decode page bytes: a BOM, the manifest's encoding, UTF-8, then GB18030 if it reads as Chinese."""
    text: str | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"有 {codec} 字节序标记但内容无法按它解码 / has a {codec} byte-order mark but "
                                 f"does not decode as {codec} (byte {exc.start}): re-save the file as UTF-8") from exc
            break
    if text is None and encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(path, f"不能按清单给出的编码 {encoding} 解码 / cannot decode as {encoding} (named in "
                             f"manifest.yml): {exc}; fix the manifest's encoding or re-save the file") from exc
    if text is None:
        if b"\x00" in data:
            raise InputError(path, _binary_message())
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                text = None
            if text is None or not _looks_chinese(text):
                raise InputError(path, "无法识别的编码 / unknown encoding (neither UTF-8 nor GB18030/GBK): save it as UTF-8, "
                                 "or name its encoding in manifest.yml (e.g. encoding: big5)") from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text or len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise InputError(path, _binary_message())
    return text


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF or CR alike; a final line end does not make an extra empty line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _inside(root: Path, target: Path) -> bool:
    return target == root or root in target.parents


def _key_lines(text: str) -> dict[str, int]:
    """1-based line of each key under ``pages:`` (for messages); empty when the shape is unusual."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    for knode, vnode in node.value:
        if getattr(knode, "value", None) == "pages" and isinstance(vnode, yaml.MappingNode):
            return {str(k.value): k.start_mark.line + 1 for k, _ in vnode.value if isinstance(k, yaml.ScalarNode)}
    return {}


@functools.cache
def _field_validators() -> dict[str, jsonschema.Draft202012Validator]:
    """One validator per manifest field, from ``data/manifest.schema.json``."""
    schema = json.loads(resources.files("banmian.data").joinpath("manifest.schema.json").read_text(encoding="utf-8"))
    fields_ = schema["$defs"]["fields"]["properties"]
    return {name: jsonschema.Draft202012Validator({**sub, "$defs": schema["$defs"]}) for name, sub in fields_.items()}


def _field_problem(name: str, text: str) -> str | None:
    """What is wrong with one manifest value by the schema (too long, a control character …), or None."""
    validator = _field_validators().get(name)
    error = next(iter(validator.iter_errors(text)), None) if validator else None
    return None if error is None else (error.message if len(error.message) < 200 else error.message[:200] + "…")


def _meta_fields(raw: dict[object, object], shown: str, line: int | None, errors: list[InputError]) -> dict[str, str]:
    """Known, well-formed fields as strings; anything else is reported and left unknown."""
    known = {f.name for f in fields(PageMeta)}
    out: dict[str, str] = {}
    for name, value in raw.items():
        if name not in known:
            errors.append(InputError(shown, f"未知字段 / unknown field {name!r}; allowed: {', '.join(sorted(known))}", line))
            continue
        if value is None:
            continue
        if isinstance(value, dict | list):
            errors.append(InputError(shown, f"字段 {name} 应是单个值 / field {name} must be a single value, not a list or mapping", line))
            continue
        text = str(value).strip()
        problem = _field_problem(str(name), text)
        if problem:
            errors.append(InputError(shown, f"字段 {name} 的值不合规范，保持未知 / field {name}: {problem}; left unknown", line))
            continue
        if name == "date" and not real_date(text):
            errors.append(InputError(shown, f"日期应为真实日期，格式 YYYY-MM-DD、YYYY-MM 或 YYYY / date {text!r} must be a "
                                     "real date written YYYY-MM-DD, YYYY-MM or YYYY; left unknown", line))
            continue
        if name == "encoding":
            try:
                codecs.lookup(text)
            except LookupError:
                errors.append(InputError(shown, f"未知编码 / unknown encoding {text!r}: use a Python codec name such as gb18030, big5, utf-16", line))
                continue
        out[str(name)] = text
    return out


@dataclass
class Manifests:
    """What the manifests say: ``defaults`` per folder (real path) and fields per named page."""

    defaults: dict[Path, dict[str, str]]
    entries: dict[Path, dict[str, str]]

    def meta_for(self, path: Path, root: Path) -> PageMeta:
        """Defaults of every manifest from the source root down to the page's folder (the nearer
        wins), then the page's own entry."""
        real, real_root = path.resolve(), root.resolve()
        merged: dict[str, str] = {}
        chain = [p for p in reversed(real.parents) if _inside(real_root, p)]
        for folder in chain:
            merged.update(self.defaults.get(folder, {}))
        merged.update(self.entries.get(real, {}))
        return PageMeta(**merged)


def load_manifests(root: Path, display_root: str, manifests: list[Path] | None = None) -> tuple[Manifests, list[InputError]]:
    """Collect ``manifest.yml`` files: ``defaults`` for its folder and below, ``pages`` per file name."""
    found = Manifests(defaults={}, entries={})
    errors: list[InputError] = []
    real_root = root.resolve()
    if manifests is None:
        manifests = _walk(root)[1]
    for manifest in manifests:
        shown = f"{display_root}/{printable_path(manifest.relative_to(root).as_posix())}"
        try:
            if manifest.stat().st_size > MAX_MANIFEST_BYTES:
                errors.append(InputError(shown, f"清单文件过大 / manifest larger than {MAX_MANIFEST_BYTES // 1024} KB; split it per folder"))
                continue
            text = manifest.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            errors.append(InputError(shown, "清单不是 UTF-8 文本 / manifest is not UTF-8 text: re-save it as UTF-8"))
            continue
        except OSError as exc:
            errors.append(InputError(shown, f"无法读取 / cannot read: {exc.strerror}"))
            continue
        try:
            data = yamlload.load(text, duplicates=True) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            errors.append(InputError(shown, f"清单 YAML 有误，整个清单未使用 / malformed YAML, manifest ignored: {problem}; fix the line and re-run",
                                     mark.line + 1 if mark else None))
            continue
        if not isinstance(data, dict):
            errors.append(InputError(shown, "清单应是一个映射 / manifest must be a mapping with 'defaults' and 'pages'", 1))
            continue
        lines = _key_lines(text)
        defaults = data.get("defaults") or {}
        pages = data.get("pages") or {}
        if not isinstance(defaults, dict):
            errors.append(InputError(shown, "defaults 应是键值映射 / 'defaults' must be a mapping of field: value"))
            defaults = {}
        if not isinstance(pages, dict):
            errors.append(InputError(shown, "pages 应是映射 / 'pages' must map file names to fields, e.g.  p01.txt: {date: 2013-09-20}"))
            pages = {}
        for extra in sorted(str(k) for k in data if k not in ("defaults", "pages")):
            errors.append(InputError(shown, f"未知的顶层键 / unknown top-level key {extra!r}; use 'defaults' and 'pages'"))
        found.defaults[manifest.parent.resolve()] = _meta_fields(defaults, shown, None, errors)
        for name, entry in sorted(pages.items(), key=lambda kv: str(kv[0])):
            line = lines.get(str(name))
            rel = str(name)
            target = (manifest.parent / rel).resolve()
            if Path(rel).is_absolute() or not _inside(real_root, target):
                errors.append(InputError(shown, f"路径 {rel!r} 指向源文件夹之外，已忽略 / path leaves the source folder, ignored: "
                                         "name a page inside it, relative to the manifest", line))
                continue
            if not target.is_file():
                errors.append(InputError(shown, f"清单提到的文件不存在 / file named in manifest does not exist: {rel}; "
                                         "fix the name or remove the entry", line))
                continue
            if entry is not None and not isinstance(entry, dict):
                errors.append(InputError(shown, f"{rel} 的值应是键值映射 / the entry for {rel} must be a mapping, e.g. {{date: 2013-09-20}}", line))
                entry = None
            found.entries[target] = _meta_fields(entry or {}, shown, line, errors)
    return found, errors


def shown_root(source: Path) -> str:
    """How articles cite the source folder, independent of the working directory and of how the
    folder was named on the command line: its path below the nearest folder holding ``mkdocs.yml``
    (the edition's root: ``source_texts``), else just its name."""
    real = source.resolve()
    for parent in real.parents:
        if (parent / "mkdocs.yml").is_file():
            return real.relative_to(parent).as_posix()
    return real.name or "."


def _walk(source: Path) -> tuple[list[Path], list[Path], list[tuple[Path, str]], list[Path]]:
    """Page files, manifests, symlinks to report, and page companions (images, OCR with
    coordinates: ``facsimile``); sorted, symlinked folders not followed."""
    from .facsimile import COMPANION_SUFFIXES

    pages: list[Path] = []
    companions: list[Path] = []
    manifests: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    real_root = source.resolve()
    for folder, dirs, files in os.walk(source, followlinks=False):
        here = Path(folder)
        for d in sorted(dirs):
            if (here / d).is_symlink():
                skipped.append((here / d, "符号链接的文件夹不会被读取 / symlinked folder not followed: copy its pages into the source folder"))
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
        for name in sorted(files):
            path = here / name
            if name == MANIFEST_NAME:
                manifests.append(path)
            elif name.casefold().endswith(".txt") or Path(name).suffix.casefold() in COMPANION_SUFFIXES:
                if path.is_symlink():
                    try:
                        target = path.resolve(strict=True)
                    except (OSError, RuntimeError):
                        skipped.append((path, "符号链接指向不存在的文件 / broken symlink: fix or remove it"))
                        continue
                    if not _inside(real_root, target):
                        skipped.append((path, "符号链接指向源文件夹之外 / symlink points outside the source folder: copy the file in instead"))
                        continue
                (pages if name.casefold().endswith(".txt") else companions).append(path)
    pages.sort(key=lambda p: p.relative_to(source).as_posix())
    manifests.sort(key=lambda p: p.relative_to(source).as_posix())
    companions.sort(key=lambda p: p.relative_to(source).as_posix())
    return pages, manifests, skipped, companions


def read_pages(source: Path, display_root: str | None = None) -> ReadResult:
    """Every page text under ``source`` (recursive, sorted) as a Page; bad files become errors."""
    display_root = display_root or shown_root(source)
    files, manifests, skipped, companions = _walk(source)
    errors: list[InputError] = []
    for path, message in skipped:
        errors.append(InputError(f"{display_root}/{printable_path(path.relative_to(source).as_posix())}", message))
    found, manifest_errors = load_manifests(source, display_root, manifests)
    errors.extend(manifest_errors)
    pages: list[Page] = []
    from .facsimile import image_only, read_companions

    files, images = read_companions(source, display_root, files, companions, found, pages, errors)
    for path in files:
        rel_text = path.relative_to(source).as_posix()
        shown = f"{display_root}/{printable_path(rel_text)}"
        try:
            pages.append(read_file(path, rel_text, shown, found.meta_for(path, source)))
        except InputError as exc:
            errors.append(exc)
            continue
        if path.with_suffix("") in images:
            try:
                image_only(pages[-1], images[path.with_suffix("")])
            except InputError as exc:
                errors.append(exc)
    pages.sort(key=lambda p: p.path)  # pages from OCR coordinates among the texts, by path
    return ReadResult(pages=_without_key_clashes(pages, errors), errors=errors)


def read_file(path: Path, rel_text: str, shown: str, meta: PageMeta) -> Page:
    """One page text as a Page (``rel_text``: its path under the source folder, which makes its
    key); ``InputError`` for anything that makes it unusable."""
    if printable_path(rel_text) != rel_text:
        raise InputError(shown, "文件名不是有效的 UTF-8 / file name is not valid UTF-8: rename it")
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a pipe would block the read forever, a device never end
            raise InputError(shown, "不是普通文件（管道、套接字或设备），已跳过 / not a regular file (a pipe, socket or device): skipped")
        if st.st_size > MAX_PAGE_BYTES:
            raise InputError(shown, f"文件过大（{st.st_size / 1e6:.1f} MB，上限 {MAX_PAGE_BYTES / 1e6:.1f} MB）/ file too large "
                             f"({st.st_size / 1e6:.1f} MB, limit {MAX_PAGE_BYTES / 1e6:.1f} MB for one page): split it into one file per page")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(shown, f"无法读取 / cannot read: {exc.strerror}; check that the file exists and can be read") from None
    text = decode(data, shown, meta.encoding)
    lines = split_lines(text)
    if not any(line.strip() for line in lines):
        raise InputError(shown, "文件是空的 / file is empty or only whitespace: nothing to ingest; add the page text or remove the file")
    if not _HAN.search(text):
        raise InputError(shown, "没有中文字符 / no Chinese characters: not a page of a Chinese paper, or decoded with "
                         "the wrong encoding; check the file (or its encoding in manifest.yml)")
    return Page(key=page_key(PurePosixPath(rel_text)), path=shown, lines=lines, meta=meta, sha256=hashlib.sha256(data).hexdigest())


def _without_key_clashes(pages: list[Page], errors: list[InputError]) -> list[Page]:
    """Pages whose keys clash (ignoring case: Windows and macOS checkouts) are all refused."""
    groups: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        groups[page.key.casefold()].append(page)
    kept = []
    for page in pages:
        group = groups[page.key.casefold()]
        if len(group) == 1:
            kept.append(page)
            continue
        others = ", ".join(p.path for p in group if p is not page)
        errors.append(InputError(page.path, f"与 {others} 得到相同的文章编号 {page.key!r}，两者都未处理 / gives the same page key "
                                 f"as {others}; neither was ingested: rename one of them"))
    return kept
