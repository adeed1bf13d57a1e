"""Emit: articles → Markdown files with YAML front matter under docs/, written atomically.

Each generated file records a hash of what the tool wrote (``generated``). A file whose content no
longer matches its hash was edited by a person, and ingest never overwrites it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import Article, PageResult

FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n?(.*)\Z", re.S)
STATUS_MACHINE = "机器识别"
STATUS_CLEANED = "已清理"


def escape_markdown(text: str) -> str:
    """Source text is text: ``< > &`` become entities, Markdown syntax characters are escaped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    return re.sub(r"^([#+\-=|]|\d+[.)])", r"\\\1", text)


def article_path(item: Article) -> str:
    """Path under docs/: one folder per page, one file per item (``a01.md``, ``c01.md``)."""
    return f"{item.page.key}/{item.id.rsplit('-', 1)[1]}.md"


def front_matter(item: Article, result: PageResult) -> dict[str, object]:
    page = item.page
    fm: dict[str, object] = {"id": item.id, "type": item.type, "title": item.title}
    if item.subtitle:
        fm["subtitle"] = item.subtitle
    if item.column:
        fm["column"] = item.column
    fm["authors"] = [a.as_dict() for a in item.authors]
    fm["region"] = item.region.as_dict() if item.region else None
    fm["date"] = item.date
    fm["date_precision"] = item.date_precision
    fm["date_source"] = item.date_source
    for key in ("publication", "issue", "page"):
        value = getattr(page.meta, key)
        if value:
            fm[key] = value
    fm["source"] = {"file": page.path, "lines": [item.first_line, item.last_line], "sha256": page.sha256}
    fm["status"] = STATUS_CLEANED if item.fixes else STATUS_MACHINE
    fm["flags"] = sorted(set(item.flags))
    fm["fixes"] = dict(sorted(Counter(f.rule for f in item.fixes).items()))
    return fm


def body(item: Article) -> str:
    parts: list[str] = []
    for i, para in enumerate(item.paragraphs):
        if i in item.subheads:
            parts.append("## " + escape_markdown(item.subheads[i]))
        parts.append(escape_markdown(para))
    return "\n\n".join(parts) + "\n"


def dump_yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)


def content_hash(fm: dict[str, object], text: str) -> str:
    """Hash of front matter (without ``generated``) and body, insensitive to YAML formatting."""
    fm = {k: v for k, v in fm.items() if k != "generated"}
    payload = json.dumps(fm, ensure_ascii=False, sort_keys=True, default=str) + "\n" + text
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def render(item: Article, result: PageResult) -> str:
    fm = front_matter(item, result)
    text = body(item)
    fm["generated"] = content_hash(fm, text)
    return "---\n" + dump_yaml(fm) + "---\n\n" + text


def split_file(text: str) -> tuple[dict[str, object], str]:
    m = FRONT_MATTER.match(text)
    if not m:
        raise ValueError("no front matter")
    data = yaml.safe_load(m.group(1))
    if not isinstance(data, dict):
        raise ValueError("front matter is not a mapping")
    return data, m.group(2).lstrip("\n")


def is_hand_edited(text: str) -> bool:
    """True when the file differs from what the tool wrote (or cannot be read as ours)."""
    try:
        fm, body_text = split_file(text)
    except (ValueError, yaml.YAMLError):
        return True
    recorded = fm.get("generated")
    return not recorded or recorded != content_hash(fm, body_text)


def atomic_write(path: Path, text: str) -> None:
    """Temporary file + rename: a reader (or a crash) sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def page_record(result: PageResult) -> dict[str, object]:
    """Page-level facts kept beside its articles (``page.yml``): order, credits, date evidence, fixes."""
    page = result.page
    return {
        "key": page.key,
        "source": page.path,
        "sha256": page.sha256,
        "publication": page.meta.publication,
        "issue": page.meta.issue,
        "edition": page.meta.edition,
        "page": page.meta.page,
        "page_title": result.page_title or page.meta.page_title,
        "date": result.date,
        "date_precision": result.date_precision,
        "date_source": result.date_source,
        "date_evidence": result.date_evidence,
        "credits": [a.as_dict() for a in result.credits],
        "items": [
            {
                "file": article_path(item).split("/", 1)[1],
                "id": item.id,
                "type": item.type,
                "title": item.title,
                "lines": [item.first_line, item.last_line],
                "fixes": [f.as_dict() for f in item.fixes],
                "notes": item.notes,
            }
            for item in result.items
        ],
    }


@dataclass
class EmitReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # edited file whose source page changed
    orphaned: list[str] = field(default_factory=list)  # in docs/ but no longer produced


def emit(results: list[PageResult], docs: Path) -> EmitReport:
    """Write every item and page record; keep hand-edited files; report what no longer exists."""
    report = EmitReport()
    produced: set[str] = set()
    for result in results:
        outputs = [(article_path(item), render(item, result)) for item in result.items]
        outputs.append((f"{result.page.key}/page.yml", dump_yaml(page_record(result))))
        for rel, text in outputs:
            produced.add(rel)
            path = docs / rel
            if path.exists():
                old = path.read_text(encoding="utf-8")
                if old == text:
                    report.unchanged.append(rel)
                    continue
                if rel.endswith(".md") and is_hand_edited(old):
                    report.kept_edited.append(rel)
                    try:
                        old_sha = split_file(old)[0].get("source", {}).get("sha256")  # type: ignore[union-attr]
                    except (ValueError, yaml.YAMLError, AttributeError):
                        old_sha = None
                    if old_sha and old_sha != result.page.sha256:
                        report.conflicts.append(rel)
                    continue
            atomic_write(path, text)
            report.written.append(rel)
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs).as_posix()
        if path.is_file() and (rel.endswith(".md") or rel.endswith("page.yml")) and rel not in produced:
            report.orphaned.append(rel)
    return report
