"""Check: every article file under docs/ parses and its front matter follows the schema; every
page record (page.yml) follows its schema and names an existing source inside the source folder
whose page key is its folder's name; nothing else is under docs/ (see ``banmian.docs_layout``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath

import jsonschema
import yaml

from . import yamlload
from .docs_layout import RECORD, layout_problems, line_of, record_problems, resolve_source
from .emit import FRONT_MATTER
from .limits import limit
from .reader import real_date
from .safety import find_raw_html, find_unsafe_rendered, problems_message


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@cache
def schema() -> dict[str, object]:
    return json.loads(resources.files("banmian.data").joinpath("article.schema.json").read_text(encoding="utf-8"))


def _line_of_key(fm_text: str, key: str) -> int:
    """1-based file line of a top-level front-matter key (front matter starts on line 2)."""
    for i, line in enumerate(fm_text.splitlines(), start=2):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return i
    return 1


def _long_strings(value: object, where: str = "") -> Iterator[tuple[str, int]]:
    """(path, length) of every string value longer than ``field_max_chars``."""
    if isinstance(value, str):
        if len(value) > limit("field_max_chars"):
            yield where or "(top)", len(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _long_strings(v, f"{where}/{k}" if where else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _long_strings(v, f"{where}/{i}")


def _consistency(data: dict[str, object], fm_text: str, shown: str, expected_id: str | None) -> list[Problem]:
    """What the schema cannot say: a real date, an ordered line range, the id the file's place
    gives it (``<page folder>-<file name>``: a changed id would break citations and history)."""
    out = []
    date = data.get("date")
    if isinstance(date, str) and not real_date(date):
        out.append(Problem(shown, _line_of_key(fm_text, "date"), f"date: {date!r} 不是真实的日期 / is not a real date; write YYYY-MM-DD, YYYY-MM or YYYY"))
    source = data.get("source")
    lines = source.get("lines") if isinstance(source, dict) else None
    if isinstance(lines, list) and len(lines) == 2 and all(isinstance(n, int) and not isinstance(n, bool) for n in lines):
        top = limit("source_max_line")
        if lines[0] > lines[1] or lines[1] > top:
            out.append(Problem(shown, _line_of_key(fm_text, "source"), f"source/lines: {lines} 应是 [首行, 末行]，首行不大于末行，且不超过 {top} / "
                               f"must be [first, last] with first <= last <= {top}"))
    if expected_id is not None and isinstance(data.get("id"), str) and data["id"] != expected_id:
        out.append(Problem(shown, _line_of_key(fm_text, "id"), f"id: {data['id']!r} 与文件位置不符，应为 {expected_id!r} / does not match the file's "
                           "place; ids are not edited (citations and history use them): put back the id"))
    for where, n in _long_strings(data):
        out.append(Problem(shown, _line_of_key(fm_text, where.split("/")[0]), f"{where}: 过长（{n} 字）/ too long ({n} characters, "
                           f"limit {limit('field_max_chars')})"))
    return out


def _short(message: str, limit_chars: int = 300) -> str:
    """jsonschema quotes the whole offending value; a 54 MB title must not become the message."""
    return message if len(message) <= limit_chars else message[: limit_chars - 1] + "…"


def in_chinese(err: jsonschema.ValidationError) -> str:
    """What a schema error means, in the proofreader's language (jsonschema speaks English only)."""
    value = json.dumps(err.instance, ensure_ascii=False)[:60]
    if err.validator == "enum":
        allowed = err.validator_value if isinstance(err.validator_value, list) else []
        return f"{value} 不是允许的值，可用的值：{'、'.join(str(v) for v in allowed)}"
    if err.validator == "required":
        return "缺少必需的字段"
    if err.validator == "type":
        return f"{value} 的类型不对，应为 {err.validator_value}"
    if err.validator == "additionalProperties":
        return "有不认识的字段（拼写错误？）"
    if err.validator in ("pattern", "format"):
        return f"{value} 的格式不对"
    return f"{value} 不符合规定"


def check_text(text: str, shown: str, expected_id: str | None = None) -> list[Problem]:
    """Problems of one article file's text; ``expected_id`` is the id its place under docs/ gives it."""
    if not text.startswith("---\n"):
        return [Problem(shown, 1, "缺少 YAML 前置元数据 / missing front matter: the file must start with a '---' line")]
    m = FRONT_MATTER.match(text)
    if not m:
        return [Problem(shown, 1, "前置元数据没有结束的 '---' 行 / front matter is not closed by a '---' line")]
    try:
        data = yamlload.load(m.group(1), duplicates=True)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        return [Problem(shown, line, f"YAML 语法错误 / YAML syntax error: {getattr(exc, 'problem', exc)}")]
    if not isinstance(data, dict):
        return [Problem(shown, 2, "前置元数据必须是键值映射 / front matter must be a mapping of keys to values")]
    problems = []
    validator = jsonschema.Draft202012Validator(schema())
    for err in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        key = str(err.absolute_path[0]) if err.absolute_path else (err.message.split("'")[1] if "'" in err.message else "")
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        problems.append(Problem(shown, _line_of_key(m.group(1), key), f"{where}: {in_chinese(err)} / {_short(err.message)}"))
    problems.extend(_consistency(data, m.group(1), shown, expected_id))
    body_line = text.count("\n", 0, m.end(1)) + 2  # the line after the closing '---'
    if not m.group(2).strip():
        problems.append(Problem(shown, body_line, "正文为空 / the article has no body text"))
    found = dict(find_raw_html(m.group(2), body_line))
    for line, what in find_unsafe_rendered(m.group(2), body_line):  # what the rendered body shows beyond the patterns, once per line
        found.setdefault(line, what)
    problems.extend(Problem(shown, line, problems_message(snippet)) for line, snippet in sorted(found.items()))
    return problems


def check_record(path: Path, sources: Path | None) -> list[Problem]:
    """One ``page.yml``: its schema, and with ``sources`` (the source folder; the edition's root
    is its parent) that its source is a file inside it whose page key is the folder's name."""
    from .reader import page_key, shown_root

    shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
        record = yamlload.load(text)  # as site reads it: no aliases, dates as written; libyaml (the pure-Python parser took 0.2 s a page)
    except UnicodeDecodeError:
        return [Problem(shown, 1, "不是 UTF-8 文本 / not UTF-8 text: run banmian ingest to write it again")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [Problem(shown, mark.line + 1 if mark else 1, f"YAML 语法错误 / YAML syntax error: {getattr(exc, 'problem', exc)}")]
    if not isinstance(record, dict):
        return [Problem(shown, 1, "版面记录必须是键值映射 / a page record must be a mapping; run banmian ingest to write it again")]
    problems = [Problem(shown, line, message) for line, message in record_problems(record, text)]
    if record.get("key") != path.parent.name:
        problems.append(Problem(shown, line_of(text, "key"), f"key {record.get('key')!r} 与文件夹名不同 / differs from the folder's name {path.parent.name!r}"))
    if problems or sources is None:
        return problems
    source, line = str(record["source"]), line_of(text, "source")
    prefix = shown_root(sources) + "/"
    try:
        file = resolve_source(source, sources.resolve().parent, sources)
    except ValueError as exc:
        return [Problem(shown, line, str(exc))]
    if not source.startswith(prefix) or not file.is_file():
        return [Problem(shown, line, f"source {source!r} 不存在 / is not a file in {sources.as_posix()}/: this folder was not made from a page "
                        "text there (orphaned or added by hand); remove the folder, or restore the page text and run banmian ingest")]
    if page_key(PurePosixPath(source[len(prefix):])) != path.parent.name:
        return [Problem(shown, line, f"source {source!r} 的版面编号不是 {path.parent.name!r} / gives another page key than this folder's name; "
                        "run banmian ingest")]
    return []


def check_docs(docs: Path, sources: Path | None = None) -> tuple[int, list[Problem]]:
    """Validate every ``*.md`` and ``page.yml`` below docs and the tree itself; return how many
    article files were checked and the problems. ``sources``: also check that every page folder comes
    from a page text in that folder (``banmian check`` passes ``--source``)."""
    files = sorted(p for p in docs.rglob("*.md") if p.is_file())
    problems: list[Problem] = [Problem(f, line, m) for f, line, m in layout_problems(docs)]
    records = sorted(p for p in docs.glob(f"*/{RECORD}") if p.is_file())
    if sources is not None:  # every page folder comes from a page text: it has its record
        problems += [Problem(d.as_posix(), 1, f"缺少 {RECORD} / no {RECORD}: not a page folder written by banmian ingest from {sources.as_posix()}/; "
                             "remove it or run banmian ingest") for d in sorted(docs.iterdir()) if d.is_dir() and not (d / RECORD).exists()]
    for path in records:
        problems.extend(check_record(path, sources))
    for path in files:
        shown = path.as_posix()
        size = path.stat().st_size
        if size > limit("article_max_bytes"):
            problems.append(Problem(shown, 1, f"文件过大（{size} 字节）/ file too large ({size} bytes, limit {limit('article_max_bytes')}): "
                                    "one article is tens of KB; split it or remove what does not belong"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            problems.append(Problem(shown, line, "不是 UTF-8 文本 / not UTF-8 text: save the file as UTF-8"))
            continue
        rel = path.relative_to(docs)
        expected = f"{rel.parent.as_posix().replace('/', '__')}-{rel.stem}" if rel.parent != Path(".") else None
        problems.extend(check_text(text, shown, expected))
    return len(files), problems
