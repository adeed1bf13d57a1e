"""Proofreading: status levels and the 待校对 (needs proofreading) page.

Levels follow Wikisource's idea of proofreading stages. The tool only ever writes the first two
(``emit.generated_status``): 机器识别 when it could not establish an item's title or extent (flags
in ``emit.STRUCTURAL_DOUBT``), otherwise 已清理 (the automatic clean-up ran, nothing left in doubt).
People raise an item to 已校对 (compared with the printed page, OCR errors fixed) and a second
person to 已审定 (checked again) in a pull request; see CONTRIBUTING.md.

The page stays small at any archive size: counts for everything, and each list capped.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from .emit import STATUS_CLEANED, STATUS_MACHINE, escape_markdown

STATUS_LEVELS = ["机器识别", "已清理", "已校对", "已审定"]
DONE = frozenset({"已校对", "已审定"})
MANY_FIXES = 10  # automatic fixes in one item from which a proofreader should look twice
CAP = 12  # rows per list: the page stays under 60 KB of HTML at any archive size; the rest is counted

# (flag, heading): the problems worth a proofreader's attention first, in this order
FLAG_LISTS = [
    ("truncated", "文章不完整（在版面上被截断）/ truncated"),
    ("continued", "文章接续他处 / continued elsewhere"),
    ("untitled", "没有标题 / untitled"),
    ("orphan_headline", "标题是从版面别处找回的 / headline restored from elsewhere on the page"),
]


def _config(path: Path | None) -> dict[str, Any]:
    """mkdocs.yml, tolerant of tags like ``!!python/name`` (only plain keys are read)."""
    path = path or Path.cwd() / "mkdocs.yml"

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def edit_base(config: dict[str, Any]) -> str | None:
    """``repo_url`` + ``edit_uri`` as MkDocs joins them; the one place a fork configures."""
    repo = str(config.get("repo_url") or "").rstrip("/")
    if not repo:
        return None
    uri = config.get("edit_uri")
    if uri is None:
        uri = "edit/master/docs/" if "github.com" in repo else ""
    if not uri:
        return None
    uri = str(uri)
    return uri if uri.startswith(("http://", "https://")) else f"{repo}/{uri.strip('/')}/"


def edit_url(docs_path: str, config: dict[str, Any]) -> str | None:
    """The GitHub edit page of one file under docs/ (``None`` when mkdocs.yml names no repository)."""
    base = edit_base(config)
    return base + quote(docs_path) if base else None


def contributing_url(config: dict[str, Any]) -> str | None:
    """CONTRIBUTING.md on the branch the edit links use (``edit/<branch>/docs/``)."""
    repo = str(config.get("repo_url") or "").rstrip("/")
    parts = str(config.get("edit_uri") or "").strip("/").split("/")
    if not repo or len(parts) < 2 or parts[0] != "edit":
        return None
    return f"{repo}/blob/{parts[1]}/CONTRIBUTING.md"


def _cell(text: str) -> str:
    return escape_markdown(" ".join(text.split())).replace("|", "\\|")


def _target(path: str) -> str:
    """Link targets are never converted to traditional script (``-{…}-``, see convert.py)."""
    return path if path.isascii() else "-{" + path + "}-"


def _fixes(meta: dict[str, Any]) -> int:
    fixes = meta.get("fixes")
    return sum(v for v in fixes.values() if isinstance(v, int)) if isinstance(fixes, dict) else 0


def _table(rows: list[Any], from_dir: str, config: dict[str, Any], cap: int) -> str:
    lines = ["| 条目 | 版面 | 状态 | 自动修改 | 编辑 |", "| --- | --- | --- | ---: | --- |"]
    for e in rows[:cap]:
        title = _cell(str(e.meta.get("title") or "")) or "（无标题）"
        link = os.path.relpath(e.path, from_dir or ".").replace(os.sep, "/")
        url = edit_url(e.path, config)
        edit = f"[编辑]({url})" if url else ""
        page = _cell(e.path.split("/", 1)[0])
        lines.append(f"| [{title}]({_target(link)}) | {page} | {e.meta.get('status') or ''} | {_fixes(e.meta)} | {edit} |")
    if len(rows) > cap:
        lines.append("")
        lines.append(f"另有 {len(rows) - cap} 篇未列出 / {len(rows) - cap} more not listed.")
    return "\n".join(lines)


def proofreading_page(
    entries: list[Any], *, page_path: str = "browse/proofreading.md", config_path: Path | None = None, cap: int = CAP
) -> str:
    """Markdown of the needs-proofreading page from site.DocEntry items (path relative to docs/, meta).

    Lists only items not yet proofread (below 已校对), grouped by flag, then by many automatic
    fixes, then by status; every list holds at most ``cap`` rows. Links are relative to
    ``page_path``; edit links come from ``repo_url``/``edit_uri`` in mkdocs.yml.
    """
    config = _config(config_path)
    from_dir = os.path.dirname(page_path)
    items = sorted((e for e in entries if isinstance(e.meta, dict) and e.meta.get("id")), key=lambda e: e.path)
    todo = [e for e in items if e.meta.get("status") not in DONE]
    status_count = Counter(str(e.meta.get("status") or "") for e in items)

    # bm_generated: a page made here, not a file under docs/, so it shows no edit button
    out = ["---", "title: 待校对", "bm_generated: true", "search:", "  exclude: true", "---", "", "# 待校对", ""]
    out.append(
        f"共 {len(items)} 个条目，其中 {len(todo)} 个尚未人工校对。下面按问题分组，每组最多列出 {cap} 篇；"
        "点「编辑」即可在 GitHub 上修改该文章的文件并提交拉取请求（PR）。"
    )
    guide = contributing_url(config)
    if guide:
        out.append(f"校对方法和状态说明见[参与校对指南]({guide})。")
    out += ["", "## 校对进度", "", "| 状态 | 篇数 |", "| --- | ---: |"]
    for level in STATUS_LEVELS:
        out.append(f"| {level} | {status_count.get(level, 0)} |")
    for other in sorted(set(status_count) - set(STATUS_LEVELS)):
        out.append(f"| {_cell(other) or '（未标）'} | {status_count[other]} |")
    out.append(f"| 合计 | {len(items)} |")

    groups: list[tuple[str, list[Any]]] = []
    for flag, heading in FLAG_LISTS:
        groups.append((heading, [e for e in todo if flag in (e.meta.get("flags") or [])]))
    many = sorted((e for e in todo if _fixes(e.meta) >= MANY_FIXES), key=lambda e: (-_fixes(e.meta), e.path))
    groups.append((f"自动修改较多（{MANY_FIXES} 处以上）/ many automatic fixes", many))
    for level in (STATUS_MACHINE, STATUS_CLEANED):
        groups.append((f"状态：{level} / status {level}", [e for e in todo if e.meta.get("status") == level]))

    out += ["", "## 需要注意的问题", "", "| 问题 | 篇数 |", "| --- | ---: |"]
    out += [f"| {heading} | {len(rows)} |" for heading, rows in groups]
    for heading, rows in groups:
        if rows:
            out += ["", f"## {heading}", "", _table(rows, from_dir, config, cap)]
    return "\n".join(out) + "\n"
