"""Site: stage docs/ plus generated index pages, convert to traditional, build both with MkDocs.

All content decisions (indexes, toggle links, conversion) are made here and in the theme
templates, so mkdocs.yml stays conventional. Articles are kept out of the navigation: a page's
HTML must not grow with the archive.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from . import convert
from .emit import split_file

SCRIPTS = {"zh-Hans": {"language": "zh", "prefix": ""}, "zh-Hant": {"language": "zh-Hant", "prefix": "zh-Hant/"}}


@dataclass
class DocEntry:
    path: str  # relative to docs/
    meta: dict[str, object]


def load_entries(docs: Path) -> list[DocEntry]:
    entries = []
    for path in sorted(docs.rglob("*.md")):
        meta, _ = split_file(path.read_text(encoding="utf-8"))
        entries.append(DocEntry(path.relative_to(docs).as_posix(), meta))
    return entries


def _link(from_dir: str, target: str) -> str:
    return os.path.relpath(target, from_dir or ".").replace(os.sep, "/")


def index_pages(entries: list[DocEntry]) -> dict[str, str]:
    """Generated Markdown pages (path → text): home and the browse indexes."""
    articles = [e for e in entries if e.meta.get("type") == "article"]
    by_page: dict[str, list[DocEntry]] = defaultdict(list)
    for e in entries:
        by_page[e.path.split("/")[0]].append(e)
    authors: dict[str, list[DocEntry]] = defaultdict(list)
    places: dict[str, list[DocEntry]] = defaultdict(list)
    dates: dict[str, list[DocEntry]] = defaultdict(list)
    columns: dict[str, list[DocEntry]] = defaultdict(list)
    for e in articles:
        for a in e.meta.get("authors") or []:
            authors[a["name"]].append(e)
        region = e.meta.get("region") or {}
        label = " › ".join(str(region[k]) for k in ("province", "city", "county", "town") if region.get(k)) or "未定地区"
        places[label].append(e)
        dates[str(e.meta.get("date") or "未注明日期")].append(e)
        if e.meta.get("column"):
            columns[str(e.meta["column"])].append(e)

    def listing(from_dir: str, items: list[DocEntry]) -> str:
        return "\n".join(f"- [{md_text(str(e.meta['title']))}]({_link(from_dir, e.path)})" for e in items)

    pages: dict[str, str] = {}
    pages["index.md"] = (
        "---\ntitle: 首页\nhide: [navigation]\n---\n\n# 版面数字版\n\n"
        f"本版收录 **{len(by_page)}** 个版面、**{len(articles)}** 篇文章、**{len(places)}** 个地区、**{len(authors)}** 位作者。\n\n"
        "- [按版面浏览](browse/pages.md)\n- [按地区浏览](browse/places.md)\n- [按作者浏览](browse/authors.md)\n"
        "- [按日期浏览](browse/dates.md)\n- [按栏目浏览](browse/columns.md)\n"
    )
    body = ["---\ntitle: 版面\n---\n\n# 版面\n"]
    for key, items in sorted(by_page.items()):
        body.append(f"## {md_text(key)}\n\n{listing('browse', items)}\n")
    pages["browse/pages.md"] = "\n".join(body)
    for name, title, groups in (("places", "地区", places), ("authors", "作者", authors), ("dates", "日期", dates), ("columns", "栏目", columns)):
        body = [f"---\ntitle: {title}\n---\n\n# {title}\n"]
        for label, items in sorted(groups.items()):
            body.append(f"## {md_text(label)} ({len(items)})\n\n{listing('browse', items)}\n")
        pages[f"browse/{name}.md"] = "\n".join(body)
    return pages


def md_text(text: str) -> str:
    from .emit import escape_markdown

    return escape_markdown(text)


def stage(docs: Path, stage_root: Path) -> None:
    """Write build/stage/<script>/docs for both scripts from docs/ and the generated pages."""
    entries = load_entries(docs)
    generated = index_pages(entries)
    files: dict[str, str] = {e.path: (docs / e.path).read_text(encoding="utf-8") for e in entries}
    files.update(generated)
    for script in SCRIPTS:
        out = stage_root / script / "docs"
        if out.exists():
            shutil.rmtree(out)
        for rel, text in files.items():
            text = convert.to_traditional(text) if script == "zh-Hant" else convert.strip_markup(text)
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def write_config(root: Path, stage_root: Path, script: str) -> Path:
    cfg_dir = stage_root / script
    theme_dir = Path(str(resources.files("banmian").joinpath("theme")))
    site_dir = stage_root / script / "site"  # assembled under site/ afterwards: MkDocs cleans its site_dir
    cfg = {
        "INHERIT": os.path.relpath(root / "mkdocs.yml", cfg_dir),
        "docs_dir": "docs",
        "site_dir": str(site_dir.resolve()),
        "theme": {"name": "material", "language": SCRIPTS[script]["language"], "custom_dir": str(theme_dir)},
        "extra": {"script": script},
    }
    path = cfg_dir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_site(docs: Path, site: Path, root: Path | None = None, stage_root: Path | None = None) -> None:
    """Both scripts, built in parallel (two cores, two MkDocs processes)."""
    root = root or Path.cwd()
    stage_root = stage_root or root / "build" / "stage"
    stage(docs, stage_root)
    if site.exists():
        shutil.rmtree(site)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    procs = []
    for script in SCRIPTS:
        cfg = write_config(root, stage_root, script)
        procs.append((script, subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg)], env=env)))
    failed = [script for script, p in procs if p.wait() != 0]
    if failed:
        raise RuntimeError(f"MkDocs build failed for {', '.join(failed)}")
    shutil.move(str(stage_root / "zh-Hans" / "site"), str(site))
    shutil.move(str(stage_root / "zh-Hant" / "site"), str(site / "zh-Hant"))
