"""Check: every article file under docs/ parses and its front matter follows the schema."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from .emit import FRONT_MATTER
from .safety import find_raw_html, problems_message


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


def check_text(text: str, shown: str) -> list[Problem]:
    if not text.startswith("---\n"):
        return [Problem(shown, 1, "缺少 YAML 前置元数据 / missing front matter: the file must start with a '---' line")]
    m = FRONT_MATTER.match(text)
    if not m:
        return [Problem(shown, 1, "前置元数据没有结束的 '---' 行 / front matter is not closed by a '---' line")]
    try:
        data = yaml.safe_load(m.group(1))
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
        problems.append(Problem(shown, _line_of_key(m.group(1), key), f"{where}: {err.message}"))
    body_line = text.count("\n", 0, m.end(1)) + 2  # the line after the closing '---'
    if not m.group(2).strip():
        problems.append(Problem(shown, body_line, "正文为空 / the article has no body text"))
    problems.extend(Problem(shown, line, problems_message(snippet)) for line, snippet in find_raw_html(m.group(2), body_line))
    return problems


def check_docs(docs: Path) -> tuple[int, list[Problem]]:
    """Validate every ``*.md`` below docs; return how many files were checked and the problems."""
    files = sorted(p for p in docs.rglob("*.md") if p.is_file())
    problems: list[Problem] = []
    for path in files:
        shown = path.as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(shown, 1, "不是 UTF-8 文本 / not UTF-8 text: save the file as UTF-8"))
            continue
        problems.extend(check_text(text, shown))
    return len(files), problems
