"""Site: stage docs/ plus generated pages, convert to traditional, build both scripts with MkDocs.

Every content decision is made here and in the theme templates, so mkdocs.yml stays conventional
and the site can move to another generator: the home page, page views, raw-source views, the
browse indexes, each article's header data (byline links, date label, notes, neighbours, source
link, citations) and the script toggle. Articles stay out of the navigation and every listing is
split into pages of at most ``LIMIT`` items, so no page's HTML grows with the archive.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import html
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import __version__, citation, convert, facsimile_site, search_index, yamlload
from . import proc as child
from .docs_layout import LayoutError, layout_problems, line_of, record_problems, resolve_source
from .emit import FRONT_MATTER, atomic_write, escape_markdown, write_if_changed
from .fold import has_traditional
from .model import FrontMatter
from .notes import flag_note, from_record, render
from .owned import OwnedFolder, claim, refuse_committed
from .reader import decode, real_date, split_lines
from .sanitize import markdown_url

SCRIPTS = {"zh-Hans": {"language": "zh", "prefix": ""}, "zh-Hant": {"language": "zh-Hant", "prefix": "zh-Hant/"}}
LIMIT = 100  # items per listing page: keeps every listing's HTML well under 60 KB
SOURCE_LINES = 300  # raw-source lines per page of the source view
UNDATED = "undated"
UP = "@@BM-SITE-ROOT@@"  # in DOWNLOAD_PAGE only: from it to the hosted site's root, "" or "../" (zh-Hant/)
DOWNLOAD_PAGE = "download.md"
ACCESSED = "\ue000"  # in citation texts: where the page's script puts the reader's date (引用日期)
ACCESSED_LABEL = "引用日期"  # shown there without script

# Strings our own templates show; converted for the traditional site at build time.
UI = {
    "byline": "作者",
    "no_author": "未识别出署名",
    "column": "栏目",
    "dateline": "电头",
    "printed": "刊载",
    "place": "地区",
    "date": "日期",
    "status": "校对状态",
    "notes": "说明",
    "source": "出处",
    "lines": "行",
    "view_source": "查看原文并高亮这些行",
    "page_view": "所在版面",
    "prev": "上一篇",
    "next": "下一篇",
    "history": "最近校对",
    "contributors": "校对者",
    "never_corrected": "尚未人工校对",
    "cite": "引用本文",
    "copy": "复制",
    "copied": "已复制",
    "edit": "校对本文（在 GitHub 上编辑）",
    "download": "下载",
    "cite_note": "引文按原报字形著录；引用日期是你打开本页的日期。",
    "cite_converted": "繁体字形（仅供阅读）",
    "cite_simplified": "简体字形（仅供阅读）",
    "raw_note": "原始 OCR 文本，未经清理；行号可点击，按住 Shift 点击可选择多行。",
    "not_found": "页面不存在（404）",  # 404.html
    "not_found_text": "这个网址没有对应的页面：可能输入有误，或者链接已经过时。",
    "not_found_home": "回到首页",
    "not_found_browse": "按版面浏览全部文章",
    "not_found_search": "也可以点击页首的搜索框，输入文章标题、人名或地名查找。",
    "crumbs": "当前位置",
    "page_credit": "（本版署名，印在版面上，适用于本版各篇）",
    "printed_as": "原文作",
    "source_text": "原文",
    "report_intro": "发现错字、漏字，或标题、作者不对？",
    "report": "报告错误",
    "report_mail": "用电子邮件报告",
    "report_text": "无法打开 GitHub？复制这段文字告诉编辑",
    "report_text_intro": "把下面的文字连同错误之处和正确写法发给本数字版的编辑：",
    "guide": "校对指南",
}

#: how a page's date is known (page.yml ``date_source``), in readers' words
DATE_SOURCES = {"manifest": "编者提供的版面清单", "folio": "版面上印的报头", "inferred": "由正文推断"}
TYPE_LABEL = {"article": "文章", "caption": "图片说明", "notice": "启事"}


@dataclass(eq=False)  # identity: membership tests stay O(1) per entry at 10,000 articles
class DocEntry:
    path: str  # relative to docs/
    meta: FrontMatter
    body: str = ""  # Markdown after the front matter
    front: str = ""  # the front matter's digest (ListingCache)


def load_yaml(text: str) -> Any:
    """libyaml when present (the pure-Python parser spent minutes on a 2,000-article archive),
    no aliases (a YAML bomb in one article is refused, not expanded): ``banmian.yamlload``."""
    return yamlload.load(text)


def staged_front(data: dict[str, Any]) -> str:
    """Front matter of a staged (never committed) page as one line of JSON, which YAML reads as
    a flow mapping: the same values as block YAML, written in C (YAML's representer is Python
    and was the largest cost of staging).

    A value's own "-{" / "}-" (a title may hold them) is text, not the converter's protection
    mark (convert.PROTECT): written as JSON escapes, which YAML and JSON read back as the same
    characters. Neither pair can be JSON's own syntax ('{' never follows '-', '}' is never
    followed by '-'). Only ``bm``, the template's data, may carry marks (``convert.protect``)."""
    own = own_json({k: v for k, v in data.items() if k != "bm"})
    return with_bm(own, data["bm"]) if "bm" in data else "---\n" + own + "\n---\n\n"


def own_json(own: dict[str, Any]) -> str:
    """``staged_front``'s JSON of the page's own values (marks written as escapes); the same for
    both scripts, so stage() makes it once an article."""
    return json.dumps(own, ensure_ascii=False, default=str).replace("-{", "-\\u007b").replace("}-", "\\u007d-")


def with_bm(own: str, bm: dict[str, Any]) -> str:
    """The staged front matter: ``own_json``'s text with the template's data ``bm`` added."""
    return "---\n" + own[:-1] + (", " if own != "{}" else "") + '"bm": ' + json.dumps(bm, ensure_ascii=False, default=str) + "}\n---\n\n"


def split_front(text: str, path: Path) -> tuple[dict[str, Any], str]:
    m = FRONT_MATTER.match(text)
    meta = load_yaml(m.group(1)) if m else None
    if not isinstance(meta, dict):
        raise ValueError(f"{path}: 无法读取前置元数据 / no readable front matter; run `banmian check`")
    return meta, m.group(2).lstrip("\n") if m else ""


@dataclass
class PageRec:
    key: str
    record: dict[str, Any]
    items: list[DocEntry] = field(default_factory=list)

    @functools.cached_property
    def text(self) -> str:
        """The record as one string (what a placeholder character must not occur in), made once
        a page rather than once an item."""
        return json.dumps(self.record, ensure_ascii=False, default=str)


class ParseCache:
    """Parsed docs/ files kept between builds (JSON in the stage folder), keyed by path and
    content digest (not mtime: a fresh checkout, as in CI, touches every file): YAML's
    constructor is Python, and re-parsing 10,000 front matters and page records was most of a
    rebuild's staging. A damaged or old cache is only a slower build.

    JSON, not pickle: loading a pickle runs code, and a pull request could commit a planted
    ``build/stage/parsed-docs.json`` (``git add -f``) for CI to load. A value that JSON cannot
    give back as it was (YAML's ``!!binary``, a number as a mapping key) is not kept, so a cached
    parse always equals a fresh one.
    """

    FORMAT = 5  # 4: JSON instead of pickle; 5: an article's "front" digest

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, list[Any]] = {}
        self.now: dict[str, list[Any]] = {}
        self.fresh: set[str] = set()
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_bytes())
                if data.get("format") == [self.FORMAT, yaml.__version__]:
                    self.known = {rel: [str(digest), value] for rel, (digest, value) in data["files"].items()}
            except Exception:
                self.known = {}

    def get(self, path: Path, rel: str, parse: Callable[[Path, str], Any]) -> Any:
        data = path.read_bytes()
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        hit = self.known.get(rel)
        if hit is not None and hit[0] == digest:
            value = hit[1]
        else:
            value = parse(path, _decoded(path, data))
            self.fresh.add(rel)
        self.now[rel] = [digest, value]
        return value

    def digest(self, rel: str) -> str | None:
        """The content digest of a file ``get`` read this run (None: not read, as a page without page.yml)."""
        hit = self.now.get(rel)
        return hit[0] if hit else None

    def save(self) -> None:
        if self.path is None:
            return
        files = {}
        for rel, (digest, value) in sorted(self.now.items()):
            if rel in self.fresh:
                try:
                    if json.loads(json.dumps(value)) != value:
                        continue
                except (TypeError, ValueError):
                    continue
            files[rel] = [digest, value]
        data = {"format": [self.FORMAT, yaml.__version__], "files": files}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _decoded(path: Path, data: bytes) -> str:
    """A docs/ file's text with LF line ends (a Windows checkout writes CRLF); not UTF-8 is an
    error naming the file and line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(f"{path}:{line}: 不是 UTF-8 文本 / not UTF-8 text: save the file as UTF-8") from None
    return text.replace("\r\n", "\n")


def _parse_doc(path: Path, text: str) -> dict[str, Any]:
    """An article file as ``{"meta": front matter, "body": Markdown, "front": the front
    matter's digest}`` (a mapping, which the parse cache keeps as JSON). ``front`` keys what is
    made from the front matter alone (``ListingCache``): a correction of the text leaves it."""
    try:
        meta, body = split_front(text, path)
        m = FRONT_MATTER.match(text)
        return {"meta": meta, "body": body, "front": _digest(m.group(1) if m else "")}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: 无法读取前置元数据 / cannot read front matter: {exc}; run `banmian check`") from exc


def load_entries(docs: Path, cache: ParseCache | None = None) -> list[DocEntry]:
    cache = cache or ParseCache(None)
    entries = []
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        doc = cache.get(path, rel, _parse_doc)
        entries.append(DocEntry(rel, doc["meta"], doc["body"], doc["front"]))
    return entries


def read_page_record(path: Path, text: str | None = None) -> dict[str, Any]:
    """Page-level fields of page.yml and its items' file order, without parsing every item's
    fix log (most of the file, and most of the staging time at 2,000 articles)."""
    text = path.read_text(encoding="utf-8") if text is None else text
    head, sep, items = text.partition("\nitems:\n")
    record = load_yaml(head + "\n") if sep else load_yaml(text)
    if not isinstance(record, dict):
        raise LayoutError(f"{path}:1: 版面记录不是映射 / page record is not a mapping; run `banmian ingest` again")
    problems = record_problems(record, head)
    if problems:  # its values are printed and its source read: nothing unchecked from a pull request
        raise LayoutError("\n".join(f"{path}:{line}: {message}" for line, message in problems))
    if sep:
        record["item_files"] = re.findall(r"^- file: ['\"]?([^'\"\n]+?)['\"]?$", items, re.M)
    else:
        record["item_files"] = [i.get("file") for i in record.get("items") or [] if isinstance(i, dict)]
    return record


def load_pages(docs: Path, entries: list[DocEntry], cache: ParseCache | None = None) -> list[PageRec]:
    """Page records in key order, items in the reading order page.yml gives (others appended)."""
    by_dir: dict[str, list[DocEntry]] = defaultdict(list)
    for e in entries:
        if "/" in e.path:
            by_dir[e.path.rsplit("/", 1)[0]].append(e)
    pages = []
    for key in sorted(by_dir):
        rec_path = docs / key / "page.yml"
        record = (cache or ParseCache(None)).get(rec_path, f"{key}/page.yml", read_page_record) if rec_path.exists() else {}
        files = {e.path.rsplit("/", 1)[1]: e for e in by_dir[key]}
        order = [str(f) for f in record.get("item_files") or []]
        items = [files[f] for f in order if f in files] + [e for f, e in sorted(files.items()) if f not in order]
        pages.append(PageRec(key, record, items))
    return pages


# ---------------------------------------------------------------- small helpers


def md_text(text: str) -> str:
    return escape_markdown(text)


def relpath(target: str, from_file: str) -> str:
    """``os.path.relpath(target, dirname(from_file))`` for docs-relative POSIX paths, by string
    operations: relpath's two abspath calls were a tenth of staging at 10,000 articles."""
    start = from_file.rsplit("/", 1)[0].split("/") if "/" in from_file else []
    parts = target.split("/")
    common = 0
    for a, b in zip(start, parts, strict=False):
        if a != b:
            break
        common += 1
    if common == len(parts) or any(p in ("", ".", "..") for p in start + parts):  # not a plain file path
        return os.path.relpath(target, os.path.dirname(from_file) or ".").replace(os.sep, "/")
    return "/".join([".."] * (len(start) - common) + parts[common:])


def rel_md(from_file: str, target: str) -> str:
    """Relative Markdown link between two docs paths (MkDocs turns .md into .html and checks it),
    percent-encoded: no name can end the link or start markup, and none is converted to
    traditional script (MkDocs decodes it to find the file)."""
    return markdown_url(relpath(target, from_file))


def rel_html(from_file: str, target: str, anchor: str = "") -> str:
    """Relative URL for templates (``use_directory_urls: false``: a.md is a.html)."""
    url = relpath(target[:-3] + ".html" if target.endswith(".md") else target, from_file)
    return url + (f"#{anchor}" if anchor else "")


def short_hash(text: str, n: int = 6) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def pinyin(text: str) -> list[str]:
    """Toneless pinyin syllables (pypinyin); non-Han runs kept as they are, lower-cased."""
    from pypinyin import lazy_pinyin

    return [s.lower() for s in lazy_pinyin(text, errors="default")]


def slug(text: str, limit: int = 32) -> str:
    """ASCII file/anchor name: pinyin, then a short hash so different names never collide."""
    base = re.sub(r"[^a-z0-9]+", "-", "-".join(pinyin(text))).strip("-")[:limit].strip("-")
    return f"{base}-{short_hash(text, 4)}" if base else short_hash(text)


def title_of(e: DocEntry) -> str:
    return str(e.meta.get("title") or e.path)


def date_label(meta: Mapping[str, object]) -> str:
    """``2013年9月20日``; an inferred date is marked ``约2013年（据版面推断）``; none: ``未注明日期``.
    ``meta``: an article's front matter or a page record (both carry ``date`` and ``date_source``)."""
    date = meta.get("date")
    if not date:
        return "未注明日期"
    parts = str(date).split("-")
    label = f"{int(parts[0])}年"
    if len(parts) > 1:
        label += f"{int(parts[1])}月"
    if len(parts) > 2:
        label += f"{int(parts[2])}日"
    return f"约{label}（据版面推断）" if meta.get("date_source") == "inferred" else label


def byline_text(meta: FrontMatter) -> str:
    out = []
    for a in meta.get("authors") or []:
        if isinstance(a, dict) and a.get("name"):
            out.append(f"{a['role']} {a['name']}" if a.get("role") else str(a["name"]))
    return "　".join(out)


def region_path(meta: FrontMatter) -> list[str]:
    region = meta.get("region") or {}
    if not isinstance(region, dict):
        return []
    return [str(region[k]) for k in ("province", "city", "county", "town") if region.get(k)]


#: The navigation section each generated page belongs to (its tab is shown active) and the
#: breadcrumb roots; the labels are the nav titles of mkdocs.yml (converted with the page).
SECTION_BROWSE = "浏览"
HOME_CRUMB = ("首页", "index.md")
BROWSE_CRUMB = ("浏览", "browse/index.md")


def front(title: str, *, search: bool = False, hide: Iterable[str] = (), here: str = "", crumbs: Iterable[tuple[str, str | None]] = (),
          section: str | None = None) -> str:
    """Front matter of a generated page. ``crumbs`` are (label, docs path or None for this page),
    rendered by the theme as a breadcrumb above the title with links relative to ``here``;
    ``section`` names the nav tab shown active (pages outside the navigation have none)."""
    # Material prints page.title unescaped (<title>, header): a title made of names and headlines is text
    fm: dict[str, Any] = {"title": html.escape(title, quote=False), "bm_generated": True}
    if not search:
        fm["search"] = {"exclude": True}
    if hide:
        fm["hide"] = list(hide)
    if crumbs:
        fm["bm_crumbs"] = [{"label": label, "href": rel_html(here, target) if target else None} for label, target in crumbs]
    if section:
        fm["bm_section"] = section
    return staged_front(fm)


def item_line(from_file: str, e: DocEntry, with_date: bool = True) -> str:
    bits = [f"[{md_text(title_of(e))}]({rel_md(from_file, e.path)})"]
    if e.meta.get("type") not in (None, "article"):
        bits.append(md_text(TYPE_LABEL.get(str(e.meta["type"]), str(e.meta["type"]))))
    by = byline_text(e.meta)
    if by:
        bits.append(md_text(by))
    if with_date and e.meta.get("date"):
        bits.append(md_text(date_label(e.meta)))
    return "- " + " · ".join(bits)


# ---------------------------------------------------------------- paginated listings


@dataclass
class Group:
    anchor: str
    heading: str  # Markdown
    items: list[DocEntry]
    level: int = 2
    note: str = ""


Crumbs = list[tuple[str, str | None]]


def _pager(path_of: list[str], i: int, trail: Crumbs) -> tuple[str, Crumbs]:
    """Page ``i`` of a listing split over ``path_of``: its ← / → line (empty for one page) and
    its breadcrumb (later pages add 第 N 页 under the listing's own crumb)."""
    here, n = path_of[i], len(path_of)
    pager = []
    if n > 1:
        if i:
            pager.append(f"[← 上一页]({rel_md(here, path_of[i - 1])})")
        pager.append(f"第 {i + 1} / {n} 页")
        if i + 1 < n:
            pager.append(f"[下一页 →]({rel_md(here, path_of[i + 1])})")
    crumbs = trail if i == 0 else [*trail[:-1], (trail[-1][0], path_of[0]), (f"第 {i + 1} 页", None)]
    return (" · ".join(pager) + "\n\n" if pager else ""), crumbs


def paginate(base: str, title: str, groups: list[Group], intro: str = "", crumbs: Crumbs | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Split groups over pages ``base.md``, ``base-2.md`` … of at most LIMIT items.

    ``crumbs`` lead to this listing (its own label last, without a target). Returns (pages,
    anchor → page path), so links can point at the page holding a heading.
    """
    chunks: list[list[tuple[Group, list[DocEntry], bool]]] = [[]]
    used = 0
    for g in groups:
        rest, first = list(g.items), True
        while True:
            room = LIMIT - used
            if rest and room <= 0:
                chunks.append([])
                used, room = 0, LIMIT
            part, rest = rest[:room], rest[room:]
            chunks[-1].append((g, part, first))
            used += len(part)
            first = False
            if not rest:
                break
    n = len(chunks)
    path_of = [f"{base}.md" if i == 0 else f"{base}-{i + 1}.md" for i in range(n)]
    pages: dict[str, str] = {}
    anchors: dict[str, str] = {}
    trail = list(crumbs or [(title, None)])
    for i, chunk in enumerate(chunks):
        here = path_of[i]
        pager_line, crumbs_here = _pager(path_of, i, trail)
        body = [front(title if i == 0 else f"{title}（第 {i + 1} 页）", here=here, crumbs=crumbs_here, section=SECTION_BROWSE, hide=["navigation"]),
                f"# {md_text(title)}\n\n"]
        if i == 0 and intro:
            body.append(intro + "\n\n")
        body.append(pager_line)
        for g, part, first in chunk:
            heading = g.heading + ("" if first else "（续）")
            attr = f" {{#{g.anchor}}}" if first else f" {{#{g.anchor}-cont}}"  # anchors from names, never from counts
            body.append(f"{'#' * g.level} {heading}{attr}\n\n")
            if first:
                anchors[g.anchor] = here
                if g.note:
                    body.append(g.note + "\n\n")
            if part:
                body.append("\n".join(item_line(here, e) for e in part) + "\n\n")
        body.append(pager_line)
        pages[here] = "".join(body)
    return pages, anchors


def paged_lines(base: str, title: str, lines: list[str], intro: str = "", crumbs: Crumbs | None = None, limit: int = 4 * LIMIT,
                section: str | None = SECTION_BROWSE, hide: Iterable[str] = ()) -> dict[str, str]:
    """An overview of many short Markdown lines (names, places, pages) split over ``base.md``,
    ``base-2.md`` …; each line may hold ``{{docs/path.md}}`` placeholders, made relative to the
    page it lands on. Overviews stay bounded however large the archive grows."""
    chunks = [lines[i : i + limit] for i in range(0, len(lines), limit)] or [[]]
    path_of = [f"{base}.md" if i == 0 else f"{base}-{i + 1}.md" for i in range(len(chunks))]
    trail = list(crumbs or [(title, None)])
    out = {}
    for i, chunk in enumerate(chunks):
        here = path_of[i]
        pager_line, crumbs_here = _pager(path_of, i, trail)
        def links(text: str, here: str = here) -> str:
            return re.sub(r"\{\{(.+?\.md)\}\}", lambda m: rel_md(here, m.group(1)), text)

        text = links("\n".join(chunk))
        out[here] = (front(title if i == 0 else f"{title}（第 {i + 1} 页）", here=here, crumbs=crumbs_here, section=section, hide=hide)
                     + f"# {md_text(title)}\n\n" + (links(intro) + "\n\n" if i == 0 and intro else "") + pager_line + text + "\n\n" + pager_line)
    return out


# ---------------------------------------------------------------- indexes


@dataclass
class Indexes:
    pages: dict[str, str] = field(default_factory=dict)
    author_link: dict[str, str] = field(default_factory=dict)  # name → its page (docs path)
    place_link: dict[tuple[str, ...], str] = field(default_factory=dict)  # region path → its page
    column_link: dict[str, str] = field(default_factory=dict)
    date_link: dict[str, str] = field(default_factory=dict)  # "2013", "2013-09", "undated" → page
    counts: dict[str, Any] = field(default_factory=dict)


def _browse(label: str, target: str) -> Crumbs:
    return [HOME_CRUMB, BROWSE_CRUMB, (label, target)]


def author_index(articles: list[DocEntry], ix: Indexes) -> None:
    """An overview of every name by pinyin initial, and one page per author listing their items."""
    by_name: dict[str, list[DocEntry]] = defaultdict(list)
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    for e in articles:
        for a in e.meta.get("authors") or []:
            if isinstance(a, dict) and a.get("name"):
                name = str(a["name"])
                listed = by_name[name]
                if not listed or listed[-1] is not e:  # an author named twice in one article
                    listed.append(e)
                roles[name][str(a.get("role") or "")] += 1
    keyed = sorted(by_name, key=lambda n: (pinyin(n), n))
    lines: list[str] = []
    letter = None
    for name in keyed:
        first = pinyin(name)[0][:1].upper() if name else "#"
        first = first if "A" <= first <= "Z" else "#"
        if first != letter:
            letter = first
            lines.append(f"\n## {letter}\n")
        target = f"browse/authors/{slug(name)}.md"
        ix.author_link[name] = target
        role_list = [r for r, _ in roles[name].most_common() if r]
        what = f"（{len(by_name[name])} 篇" + ("；" + "、".join(md_text(r) for r in role_list) if role_list else "") + "）"
        lines.append(f"- [{md_text(name)}]({{{{{target}}}}}){what}")
        note = "署名身份：" + "、".join(role_list) + "。" if role_list else ""
        pages, _ = paginate(target[:-3], f"作者：{name}", [Group("items", f"署名的条目（{len(by_name[name])}）", by_name[name], note=md_text(note))],
                            crumbs=[*_browse("作者", "browse/authors.md"), (name, None)])
        ix.pages.update(pages)
    intro = f"共 **{len(keyed)}** 位作者，按姓名拼音排序；点姓名查看其全部文章。"
    ix.pages.update(paged_lines("browse/authors", "作者", lines, intro, [HOME_CRUMB, BROWSE_CRUMB, ("作者", None)]))
    ix.counts["authors"] = len(keyed)


def printed_place(meta: FrontMatter) -> str | None:
    """The place as the article printed it, when the normalised path does not show it as such
    (``茌平县肖庄镇`` normalised to ``茌平区 › 肖庄镇``): the part of ``region.label`` before its
    bracketed normalised path."""
    region = meta.get("region") or {}
    label = str(region.get("label") or "") if isinstance(region, dict) else ""
    printed = label.split("（", 1)[0].strip()
    path = region_path(meta)
    if not printed or not path or printed == path[-1] or (printed.endswith(path[-1]) and any(printed == "".join(path[k:]) for k in range(len(path)))):
        return None
    return printed


def place_index(articles: list[DocEntry], ix: Indexes) -> None:
    """One page per place at every level (province › city › county › town), listing its
    sub-places and every article in it; an overview tree of all places, with the names as the
    papers printed them where these differ (常庄镇 → 常庄街道)."""
    direct: dict[tuple[str, ...], list[DocEntry]] = defaultdict(list)
    printed: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    notes: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for e in articles:
        node = tuple(region_path(e.meta))
        direct[node].append(e)
        shown = printed_place(e.meta)
        if node and shown:
            printed[node][shown] += 1
            region = e.meta.get("region") or {}
            if isinstance(region, dict) and region.get("note"):
                notes[node].add(str(region["note"]))
    total: Counter[tuple[str, ...]] = Counter()
    for path, items in direct.items():
        for depth in range(1, len(path) + 1):
            total[path[:depth]] += len(items)
    nodes = sorted(total, key=lambda p: [(pinyin(x), x) for x in p])
    subtree: dict[tuple[str, ...], list[DocEntry]] = defaultdict(list)
    for path, items in direct.items():
        for depth in range(1, len(path) + 1):
            subtree[path[:depth]].extend(items)
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for node in nodes:
        ix.place_link[node] = f"browse/places/{slug('/'.join(node), 48)}.md"
        children[node[:-1]].append(node)
    for node in nodes:
        items = sorted(subtree[node], key=lambda e: (str(e.meta.get("date") or "9999"), e.path))
        intro = []
        if children[node]:
            intro.append("下级地区：" + "、".join(f"[{md_text(c[-1])}]({rel_md(ix.place_link[node], ix.place_link[c])})（{total[c]}）" for c in children[node]))
        if printed[node]:
            intro.append("原文写作：" + "、".join(f"“{md_text(p)}”（{n} 篇）" for p, n in sorted(printed[node].items())))
        for note in sorted(notes[node]):
            intro.append(md_text(note))
        crumbs: Crumbs = [*_browse("地区", "browse/places.md"), *[(x, ix.place_link[node[: k + 1]]) for k, x in enumerate(node[:-1])], (node[-1], None)]
        heading = f"文章（{len(items)}，含下级地区）" if children[node] else f"文章（{len(items)}）"
        pages, _ = paginate(ix.place_link[node][:-3], f"地区：{' › '.join(node)}", [Group("items", heading, items)], "\n\n".join(intro), crumbs)
        ix.pages.update(pages)
    lines = []
    for node in nodes:
        indent = "    " * (len(node) - 1)
        also = "；原文作" + "、".join(f"“{md_text(p)}”" for p in sorted(printed[node])) if printed[node] else ""
        lines.append(f"{indent}- [{md_text(node[-1])}]({{{{{ix.place_link[node]}}}}})（{total[node]}{also}）")
    if direct.get(()):
        pages, _ = paginate("browse/places/unknown", "地区未定", [Group("items", f"地区未定的文章（{len(direct[()])}）", direct[()])],
                            crumbs=[*_browse("地区", "browse/places.md"), ("地区未定", None)])
        ix.pages.update(pages)
        ix.place_link[()] = "browse/places/unknown.md"
        lines.append(f"\n[地区未定的文章]({{{{browse/places/unknown.md}}}})（{len(direct[()])}）")
    summary = f"共 **{len(nodes)}** 个地区（省 › 市 › 县 › 乡镇），括号内为文章数；每个地区都有自己的页面。"
    ix.pages.update(paged_lines("browse/places", "地区", lines, summary, [HOME_CRUMB, BROWSE_CRUMB, ("地区", None)]))
    ix.counts["places"] = len(nodes)


def date_index(articles: list[DocEntry], ix: Indexes) -> None:
    """Years → months → articles, each with its own page; undated articles listed apart."""
    by_year: dict[str, dict[str, list[DocEntry]]] = defaultdict(lambda: defaultdict(list))
    undated: list[DocEntry] = []
    for e in articles:
        date = str(e.meta.get("date") or "")
        if not re.match(r"^\d{4}", date):
            undated.append(e)
            continue
        month = date[5:7] if len(date) >= 7 else ""
        by_year[date[:4]][month].append(e)
    root = _browse("日期", "browse/dates.md")
    overview = ["按年、月浏览，括号内为文章数；标“推断”的日期由版面内容推得。"]
    for year in sorted(by_year):
        months = by_year[year]
        year_page = f"browse/dates/{year}.md"
        ix.date_link[year] = year_page
        links = []
        for month in sorted(m for m in months if m):
            items = sorted(months[month], key=lambda e: (str(e.meta.get("date")), e.path))
            target = f"browse/dates/{year}-{month}.md"
            ix.date_link[f"{year}-{month}"] = target
            pages, _ = paginate(target[:-3], f"{year}年{int(month)}月", [Group("items", f"{year}年{int(month)}月（{len(items)}）", items)],
                                crumbs=[*root, (f"{year}年", year_page), (f"{int(month)}月", None)])
            ix.pages.update(pages)
            links.append((f"{int(month)}月", target, len(items)))
        count = sum(len(v) for v in months.values())
        month_list = "、".join(f"[{label}]({rel_md(year_page, t)})（{n}）" for label, t, n in links)
        year_only = sorted(months.get("", []), key=lambda e: e.path)
        groups = [Group("year-only", f"只知年份的文章（{len(year_only)}）", year_only)] if year_only else []
        intro = (f"{year}年共 {count} 篇。" + (f"按月：{month_list}。" if links else ""))
        pages, _ = paginate(year_page[:-3], f"{year}年", groups, intro, [*root, (f"{year}年", None)])
        ix.pages.update(pages)
        month_links = "、".join(f"[{label}]({{{{{t}}}}})（{n}）" for label, t, n in links)
        overview.append(f"## [{year}年]({{{{{year_page}}}}})（{count}） {{#y-{year}}}\n\n{month_links}")  # anchors from names, not counts
    overview.append(f"## 未注明日期（{len(undated)}） {{#{UNDATED}}}")
    if undated:
        target = f"browse/dates/{UNDATED}.md"
        ix.date_link[UNDATED] = target
        pages, _ = paginate(target[:-3], "未注明日期", [Group("items", f"未注明日期（{len(undated)}）", undated)], crumbs=[*root, ("未注明日期", None)])
        ix.pages.update(pages)
        overview.append(f"[查看未注明日期的文章]({{{{{target}}}}})")
    ix.pages.update(paged_lines("browse/dates", "日期", overview[1:], overview[0], [HOME_CRUMB, BROWSE_CRUMB, ("日期", None)]))
    undated_set = set(undated)
    dated = sorted(str(e.meta["date"]) for e in articles if e not in undated_set)
    ix.counts["date_range"] = (dated[0], dated[-1]) if dated else None
    ix.counts["undated"] = len(undated)


def column_index(articles: list[DocEntry], ix: Indexes) -> None:
    cols: dict[str, list[DocEntry]] = defaultdict(list)
    for e in articles:
        if e.meta.get("column"):
            cols[str(e.meta["column"])].append(e)
    lines = []
    for name in sorted(cols, key=lambda n: (pinyin(n), n)):
        target = f"browse/columns/{slug(name)}.md"
        pages, _ = paginate(target[:-3], f"栏目：{name}", [Group("items", f"{md_text(name)}（{len(cols[name])}）", cols[name])],
                            crumbs=[*_browse("栏目", "browse/columns.md"), (name, None)])
        ix.pages.update(pages)
        ix.column_link[name] = target
        lines.append(f"- [{md_text(name)}]({{{{{target}}}}})（{len(cols[name])}）")
    without = len(articles) - sum(len(v) for v in cols.values())
    lines.append(f"\n未标栏目的文章：{without} 篇。")
    ix.pages.update(paged_lines("browse/columns", "栏目", lines, f"共 **{len(cols)}** 个栏目，括号内为文章数。", [HOME_CRUMB, BROWSE_CRUMB, ("栏目", None)]))
    ix.counts["columns"] = len(cols)


def page_title(rec: PageRec) -> str:
    """What readers call a page: paper, date and page number when printed or given; else its
    page title, else its first headline. Never the file's hash key, which stays in the URL."""
    r = rec.record
    bits = [str(r[k]) for k in ("publication", "issue") if r.get(k)]
    if r.get("date") and r.get("date_source") != "inferred":
        bits.append(date_label(r))
    if r.get("edition"):
        bits.append(f"{r['edition']}版" if str(r["edition"]).isascii() else str(r["edition"]))
    if r.get("page"):
        bits.append(f"第{r['page']}版")
    if r.get("page_title"):
        bits.append(str(r["page_title"]))
    if bits:
        return " ".join(bits)
    first = next((title_of(e) for e in rec.items if e.meta.get("type", "article") == "article" and e.meta.get("title")), None)
    return f"版面：{first} 等" if first else "版面（未命名）"


NO_PUBLICATION = "报纸名称未注明"
INLINE_PAGES = 20  # a publication with no dated issue and at most this many pages lists them on the overview


def issue_of(rec: PageRec) -> tuple[str, str] | None:
    """(publication, YYYY-MM-DD) when a folio or manifest gives the page's full date; a year
    inferred from the text is not an issue date."""
    r = rec.record
    date = str(r.get("date") or "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) or r.get("date_source") == "inferred" or not real_date(date):
        return None
    return str(r.get("publication") or NO_PUBLICATION), date


def _issue_paths(pub: str, date: str) -> tuple[str, str]:
    """(year page, issue page) of one publication's issue."""
    return f"browse/issues/{slug(pub)}-{date[:4]}.md", f"browse/issues/{slug(pub)}-{date}.md"


def _page_order(rec: PageRec) -> tuple[str, int, str, str]:
    r = rec.record
    number = re.search(r"\d+", str(r.get("page") or ""))
    return (str(r.get("edition") or ""), int(number.group()) if number else 10**6, str(r.get("page") or ""), rec.key)


def _calendar(here: str, year: int, month: int, days: dict[int, str]) -> str:
    """A month as a Markdown table, Monday first; days with an issue link to it."""
    rows, week = [], [""] * calendar.monthrange(year, month)[0]
    for day in range(1, calendar.monthrange(year, month)[1] + 1):
        week.append(f"[**{day}**]({rel_md(here, days[day])})" if day in days else str(day))
        if len(week) == 7:
            rows.append(week)
            week = []
    if week:
        rows.append(week + [""] * (7 - len(week)))
    head = "| 一 | 二 | 三 | 四 | 五 | 六 | 日 |\n| :-: | :-: | :-: | :-: | :-: | :-: | :-: |\n"
    return '<div class="bm-calendar" markdown>\n\n' + head + "\n".join("| " + " | ".join(w) + " |" for w in rows) + "\n\n</div>"


def pages_index(pages: list[PageRec], ix: Indexes) -> None:
    """Browse by issue: publication → year → a calendar of each month → issue → its pages in
    page order; pages without a printed or given date are listed apart, by publication."""
    dated: dict[str, dict[str, list[PageRec]]] = defaultdict(lambda: defaultdict(list))
    undated: dict[str, list[PageRec]] = defaultdict(list)
    for rec in pages:
        found = issue_of(rec)
        if found:
            dated[found[0]][found[1]].append(rec)
        else:
            undated[str(rec.record.get("publication") or NO_PUBLICATION)].append(rec)
    root = _browse("版面", "browse/pages.md")

    def page_line(rec: PageRec) -> str:
        n = sum(1 for e in rec.items if e.meta.get("type", "article") == "article")
        return f"- [{md_text(page_title(rec))}]({{{{{rec.key}/index.md}}}})：{n} 篇文章，共 {len(rec.items)} 个条目"

    lines: list[str] = []
    for pub in sorted(set(dated) | set(undated), key=lambda p: (p == NO_PUBLICATION, pinyin(p), p)):
        issues = dated.get(pub, {})
        count = sum(len(v) for v in issues.values()) + len(undated.get(pub, []))
        lines.append(f"\n## {md_text(pub)}（{count} 个版面） {{#pub-{short_hash(pub, 8)}}}\n")  # anchors from names, not counts
        by_year: dict[str, list[str]] = defaultdict(list)
        for date in sorted(issues):
            by_year[date[:4]].append(date)
        for year, dates in sorted(by_year.items()):
            year_page, _ = _issue_paths(pub, dates[0])
            lines.append(f"- [{year}年]({{{{{year_page}}}}})：{len(dates)} 期，{sum(len(issues[d]) for d in dates)} 个版面")
            months: dict[int, dict[int, str]] = defaultdict(dict)
            for date in dates:
                _, issue_page = _issue_paths(pub, date)
                months[int(date[5:7])][int(date[8:10])] = issue_page
                recs = sorted(issues[date], key=_page_order)
                numbers = sorted({str(r.record["issue"]) for r in recs if r.record.get("issue")})
                title = f"{pub} {date_label({'date': date})}" + (f"（{'、'.join(numbers)}）" if numbers else "")
                ix.pages.update(paged_lines(issue_page[:-3], title, [page_line(r) for r in recs], f"本期共 {len(recs)} 个版面，按版次排列。",
                                            [*root, (f"{pub} {year}年", year_page), (date_label({"date": date})[5:], None)]))
            body = [f"{md_text(pub)} {year}年共 {len(dates)} 期；有报纸的日子可以点开。"]
            for month, days in sorted(months.items()):
                body.append(f"## {month}月（{len(days)} 期） {{#m-{month:02d}}}\n\n" + _calendar(year_page, int(year), month, days))
            ix.pages[year_page] = (front(f"{pub} {year}年", here=year_page, crumbs=[*root, (f"{pub} {year}年", None)], section=SECTION_BROWSE,
                                         hide=["navigation"]) + f"# {md_text(pub)} {year}年\n\n" + "\n\n".join(body) + "\n")
        if undated.get(pub) and not issues and len(undated[pub]) <= INLINE_PAGES:  # a few pages of no known date: listed right here
            lines.extend(page_line(r) for r in sorted(undated[pub], key=lambda r: (page_title(r), r.key)))
        elif undated.get(pub):
            target = f"browse/issues/{slug(pub)}-undated.md"
            recs = sorted(undated[pub], key=lambda r: (page_title(r), r.key))
            ix.pages.update(paged_lines(target[:-3], f"{pub}：日期不详的版面", [page_line(r) for r in recs], "这些版面没有印出或注明出版日期。",
                                        [*root, (f"{pub}：日期不详", None)], limit=LIMIT))
            lines.append(f"- [日期不详的版面]({{{{{target}}}}})（{len(recs)}）")
    intro = (f"共 **{len(pages)}** 个版面，按报纸、年份、月历和期次浏览；每个版面列出其文章和图片说明（按阅读顺序），并可查看原始文本。"
             "日期取自版面上印的报头或编者给出的清单，由正文推断的年份不算出版日期。")
    ix.pages.update(paged_lines("browse/pages", "版面", lines, intro, [HOME_CRUMB, BROWSE_CRUMB, ("版面", None)], limit=LIMIT))


def browse_home(ix: Indexes, pages: int, articles: int) -> str:
    """The 浏览 section's landing page: every way into the edition, with counts."""
    here = "browse/index.md"
    c = ix.counts
    rows = [("版面", "browse/pages.md", f"{pages} 个版面，按报纸和日期排列"), ("地区", "browse/places.md", f"{c['places']} 个地区，省 › 市 › 县 › 乡镇"),
            ("作者", "browse/authors.md", f"{c['authors']} 位作者，按拼音排序"), ("日期", "browse/dates.md", "按年、月"),
            ("栏目", "browse/columns.md", f"{c['columns']} 个栏目"), ("待校对", "browse/proofreading.md", "按风险排列的校对清单")]
    body = "\n".join(f"- **[{label}]({rel_md(here, target)})**：{what}" for label, target, what in rows)
    return (front("浏览", here=here, crumbs=[HOME_CRUMB, ("浏览", None)], section=SECTION_BROWSE)
            + f"# 浏览\n\n共 {articles} 篇文章，从下面任一入口查找：\n\n{body}\n")


def line_label(first: int, last: int) -> str:
    """``第 51 行`` or ``第 51–60 行``."""
    return f"第 {first} 行" if first == last else f"第 {first}–{last} 行"


def page_crumbs(rec: PageRec, *, linked: bool) -> Crumbs:
    """首页 › 浏览 › 版面 [› paper and year › issue date] › the page."""
    trail: Crumbs = [HOME_CRUMB, BROWSE_CRUMB, ("版面", "browse/pages.md")]
    found = issue_of(rec)
    if found:
        pub, date = found
        year_page, issue_page = _issue_paths(pub, date)
        trail += [(f"{pub} {date[:4]}年", year_page), (date_label({"date": date})[5:], issue_page)]
    return [*trail, (page_title(rec), f"{rec.key}/index.md" if linked else None)]


def page_view(rec: PageRec, source_parts: int, root: Path | None = None) -> str:
    here = f"{rec.key}/index.md"
    r = rec.record
    out = [front(page_title(rec), here=here, crumbs=page_crumbs(rec, linked=False), section=SECTION_BROWSE, hide=["navigation"]),
           f"# {md_text(page_title(rec))}\n\n"]
    facts = []
    if r.get("source"):
        view = f"[查看原始文本]({rel_md(here, f'{rec.key}/source.md')})（带行号，可与文章对照）" if source_parts else "原始文本不在本仓库中"
        facts.append(f"- 原文：{view}")
    how = DATE_SOURCES.get(str(r.get("date_source") or ""))
    evidence = str(r.get("date_evidence") or "")
    facts.append(f"- 日期：{md_text(date_label(r))}" + (f"（{how}）" if how else "")
                 + (f"；依据：“{md_text(evidence)}”" if evidence and evidence != r.get("date_source") else ""))
    for key, label in (("publication", "报纸"), ("issue", "期号"), ("edition", "版次"), ("page", "版"), ("folio", "报头线")):
        if r.get(key):
            facts.append(f"- {label}：{md_text(str(r[key]))}")
    credits = [c for c in r.get("credits") or [] if isinstance(c, dict) and c.get("name")]
    if credits:
        facts.append("- 本版署名（印在版面上，适用于本版各篇）：" + md_text("　".join(f"{c.get('role') or ''} {c['name']}".strip() for c in credits)))
    out.append("\n".join(facts) + "\n\n")
    if root is not None:  # the page image with each item's zones, when there is one
        out.append(facsimile_site.page_figure(rec.key, r, [(rel_html(here, e.path), title_of(e), e.meta) for e in rec.items], root))
    out.append("## 本版条目（按阅读顺序）\n\n")
    for n, e in enumerate(rec.items, 1):
        m = e.meta
        bits = [f"{n}\\. [{md_text(title_of(e))}]({rel_md(here, e.path)})"]
        if m.get("type") not in (None, "article"):
            bits.append(md_text(TYPE_LABEL.get(str(m["type"]), str(m["type"]))))
        if m.get("column"):
            bits.append("栏目：" + md_text(str(m["column"])))
        if byline_text(m):
            bits.append(md_text(byline_text(m)))
        first, last = line_range(m)
        if first and source_parts:
            bits.append(f"[原文{line_label(first, last)}]({rel_md(here, source_page_for(rec.key, first))}#L{first}-L{last})")
        out.append("- " + " · ".join(bits) + "\n")
    return "".join(out)


def line_range(meta: FrontMatter) -> tuple[int, int]:
    """An item's first and last source line as numbers ((0, 0) when unknown): they go into links."""
    src = meta.get("source")
    lines = src.get("lines") if isinstance(src, dict) else None
    try:
        first, last = (int(x) for x in lines)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return 0, 0
    return (first, last) if 0 < first <= last else (0, 0)


def source_page_for(key: str, line: int) -> str:
    part = (max(line, 1) - 1) // SOURCE_LINES
    return f"{key}/source.md" if part == 0 else f"{key}/source-{part + 1}.md"


def read_source(root: Path, rec: PageRec, sources: Path, docs: Path) -> list[str] | None:
    """The raw page lines, decoded as ingest decoded them; None when the file is not here.

    Read only from inside ``sources`` (links followed): a page record is text a pull request can
    change, and whatever it names is published in the source view and the offline zip."""
    src = rec.record.get("source")
    if not src:
        return None
    try:
        path = resolve_source(str(src), root, sources)
    except ValueError as exc:
        record = docs / rec.key / "page.yml"
        raise LayoutError(f"{record.as_posix()}:{line_of(record.read_text(encoding='utf-8'), 'source')}: {exc}") from None
    if not path.is_file():
        return None
    fac = rec.record.get("facsimile")
    if isinstance(fac, dict) and fac.get("coordinates"):  # OCR with coordinates: the text ingest derived from it
        from .facsimile import page_text

        return page_text(path, str(src))
    return split_lines(decode(path.read_bytes(), str(src)))


def _unchanged(text: str) -> str:
    return text


def source_pages(rec: PageRec, lines: list[str], conv: Callable[[str], str], root: Path | None = None) -> dict[str, str]:
    """Raw source view: escaped text, never Markdown or HTML, never converted; lines are anchors.
    With ``root`` and a page image, the image beside the text, the highlighted lines outlined."""
    out = {}
    parts = max(1, -(-len(lines) // SOURCE_LINES))
    for p in range(parts):
        here = source_page_for(rec.key, p * SOURCE_LINES + 1)
        first = p * SOURCE_LINES + 1
        chunk = lines[p * SOURCE_LINES : (p + 1) * SOURCE_LINES]
        title = conv(f"原文：{page_title(rec)}") + (f" ({p + 1}/{parts})" if parts > 1 else "")  # text: escaped where printed
        nav = [f'<a href="{html.escape(rel_html(here, f"{rec.key}/index.md"))}">{conv("返回版面")}</a>']
        if p:
            nav.append(f'<a href="{html.escape(rel_html(here, source_page_for(rec.key, first - SOURCE_LINES)))}">{conv("上一部分")}</a>')
        if p + 1 < parts:
            nav.append(f'<a href="{html.escape(rel_html(here, source_page_for(rec.key, first + SOURCE_LINES)))}">{conv("下一部分")}</a>')
        spans = "".join(f'<span id="L{first + i}">{html.escape(line)}</span>' for i, line in enumerate(chunk))
        crumbs = [*page_crumbs(rec, linked=True), ("原始文本" + (f"（{p + 1}/{parts}）" if parts > 1 else ""), None)]
        fm = {"title": html.escape(title, quote=False), "bm_generated": True, "search": {"exclude": True}, "hide": ["toc", "navigation"],
              "bm_section": conv(SECTION_BROWSE),
              "bm_crumbs": [{"label": conv(label), "href": rel_html(here, target) if target else None} for label, target in crumbs]}
        source_file = html.escape(str(rec.record.get("source")))
        out[here] = (
            staged_front(fm)
            + f"# {md_text(title)}\n\n"
            + f'<p class="bm-src-meta"><span title="{source_file}">{conv("原始 OCR 文本")}</span> · {conv(UI["raw_note"])} · {" · ".join(nav)}</p>\n\n'
            + (facsimile_site.source_figure(rec.record, first, len(chunk), root) if root is not None else "")
            + f'<pre class="bm-src" style="counter-reset:bmline {first - 1}">{spans}</pre>\n'
        )
    return out


def source_files(rec: PageRec, lines: list[str], conv: Callable[[str], str], root: Path, recipe: str, record: str | None) -> dict[str, Staged]:
    """``source_pages`` as staged files, keyed by what they are made from (``recipe``: the
    converter and banmian's code; ``record``: page.yml's content digest; the page's title and
    image; the lines): made only when ``sync_stage`` finds a key new."""
    image = facsimile_site.image_of(root, rec.record)
    key = _digest(json.dumps([recipe, record, page_title(rec), str(image) if image else None, lines], ensure_ascii=False))
    made: dict[str, str] = {}

    def make(rel: str) -> bytes:
        if not made:
            made.update(source_pages(rec, lines, conv, root))
        return made[rel].encode("utf-8")

    parts = max(1, -(-len(lines) // SOURCE_LINES))
    rels = [source_page_for(rec.key, p * SOURCE_LINES + 1) for p in range(parts)]
    return {rel: Staged(key + "\0" + rel, functools.partial(make, rel)) for rel in rels}


def redirect_pages(pages: list[PageRec], conv: Callable[[str], str]) -> dict[str, str]:
    """A page at each old item URL that page.yml's ``redirects`` lists (an item whose text moved
    into another, or a name from before content names): plain HTML copied as it is, so it works
    from file:// too, with a canonical link and an ordinary link for browsers that do not follow
    the refresh. None where a file still has that name (a hand-corrected file awaiting merge)."""
    out: dict[str, str] = {}
    for rec in pages:
        redirects = rec.record.get("redirects")
        if not isinstance(redirects, dict):
            continue
        present = {e.path.rsplit("/", 1)[1][:-3]: e for e in rec.items}
        for old, new in sorted(redirects.items()):
            old, new = str(old), str(new)
            if old in present or new not in present or not re.fullmatch(r"[a-z0-9-]+", old + new):
                continue
            href = html.escape(new + ".html")
            title = html.escape(conv(f"已移至：{title_of(present[new])}"))
            out[f"{rec.key}/{old}.html"] = (
                '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
                f'<title>{title}</title><link rel="canonical" href="{href}">'
                f'<meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url={href}"></head>\n'
                f'<body><p>{html.escape(conv("本文的网址已改变，请前往"))} <a href="{href}">{html.escape(conv(title_of(present[new])))}</a></p></body></html>\n'
            )
    return out


def home(pages: list[PageRec], articles: list[DocEntry], ix: Indexes, name: str = "版面数字版") -> str:
    c = ix.counts
    rng = c.get("date_range")
    dates = f"{date_label({'date': rng[0]})}至{date_label({'date': rng[1]})}" if rng else "暂无可考日期"
    captions = sum(1 for p in pages for e in p.items if e.meta.get("type") == "caption")
    return (
        front("首页", search=True, hide=["navigation", "toc"])
        + f"# {md_text(name)}\n\n"
        + "这里是 OCR 识别的报纸版面整理而成的数字版：每篇文章单独成页，标明作者、地区、日期和原文出处。\n\n"
        + '<div class="bm-counts" markdown>\n\n'
        + "| 版面 | 文章 | 图片说明 | 地区 | 作者 | 栏目 |\n| --- | --- | --- | --- | --- | --- |\n"
        + f"| [{len(pages)}](browse/pages.md) | {len(articles)} | {captions} | [{c['places']}](browse/places.md) | "
        + f"[{c['authors']}](browse/authors.md) | [{c['columns']}](browse/columns.md) |\n\n"
        + f"日期范围：[{md_text(dates)}](browse/dates.md)；未注明日期的文章 {c.get('undated', 0)} 篇。\n\n</div>\n\n"
        + "## 怎样使用\n\n"
        + "- **浏览**：按[版面](browse/pages.md)、[地区](browse/places.md)、[作者](browse/authors.md)、[日期](browse/dates.md)、"
        + "[栏目](browse/columns.md)查找文章；每个地区（直到乡镇）、作者、年月和栏目都有自己的页面，每个版面页按阅读顺序列出条目，并可查看带行号的原始文本。\n"
        + "- **[检索](search.md)**：在页首的搜索框（或按 `S` 键）输入人名、地名、词语或数字，简体繁体都可以；"
        + "结果按年份、地区、栏目、作者和校对状态筛选，可按相关度或日期排序。\n"
        + "- **简繁切换**：页首的字形按钮转到另一种字形的同一页面。\n"
        + "- **引用**：每篇文章页末有 GB/T 7714、BibTeX、RIS 和 CSL-JSON 四种引文格式，可一键复制或下载；"
        + "Zotero 等文献管理软件也能直接从文章页读取引文信息。\n"
        + "- **校对**：发现错字，点文章右上角的编辑按钮，在 GitHub 上修改该文章的文件并提交拉取请求，或点文章末尾的“报告错误”；"
        + "[待校对](browse/proofreading.md)页按风险列出需要核对的条目，[校对指南](guide.md)说明做法。\n"
        + "- **离线使用**：[下载离线版](download.md)，解压后双击 `index.html` 即可在没有网络时阅读和检索。\n\n"
        + "## 版权说明\n\n"
        + "文章的文字版权归原报刊及作者所有，本数字版仅供研究、教学和个人阅读；整理、分篇和元数据由本项目完成，"
        + "引用时请注明原报刊和本数字版网址。\n"
    )


def download_page() -> str:
    """The offline bundle sits beside the deployed site (``UP``), outside docs/. Where it is
    not there (a local build, or the offline copy itself) banmian.js says so in plain words."""
    return (
        front("下载离线版", here="download.md", crumbs=[HOME_CRUMB, ("下载离线版", None)])
        + "# 下载离线版\n\n"
        + "离线版包含整个网站（简体和繁体），不需要网络，也不需要安装任何软件。\n\n"
        + '<p class="bm-download"><a class="md-button md-button--primary" href="' + UP + 'banmian-offline.zip" download="">下载 banmian-offline.zip</a></p>\n\n'
        + '<p class="bm-download-offline" hidden="">你现在打开的就是离线版：它已经在你的电脑上，不需要再下载。</p>\n\n'
        + '<p class="bm-download-missing" hidden="">本网站目前没有提供离线包下载。</p>\n\n'
        + "1. 下载后解压缩（Windows：右键 → 全部解压缩；macOS：双击 zip 文件）。\n"
        + "2. 打开解压出的 `banmian-offline` 文件夹，双击 `index.html`，用浏览器打开即可阅读。\n"
        + "3. 检索同样可用：在页首的搜索框或“检索”页输入即可，不需要网络。\n"
    )


# ---------------------------------------------------------------- article data for the template


def site_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it (its own YAML loader: ``!ENV``, ``!!python/name``, ``INHERIT``),
    not validated: ``{}`` when there is none. A file MkDocs cannot read is a RuntimeError naming it."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    path = root / "mkdocs.yml"
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            return yaml_load(fh)
    except ConfigurationError as exc:
        raise RuntimeError(f"{path}: 网站配置无法读取 / MkDocs cannot read it: {exc}") from None


SITE_URL_ENV = "BANMIAN_SITE_URL"


def site_url(parent: dict[str, Any]) -> str | None:
    """The published address of the simplified site, ending in ``/``: ``BANMIAN_SITE_URL`` when
    set (the deploy workflow derives it from the repository's name, so a fork publishes under
    its own address), else ``site_url`` in mkdocs.yml; None when neither is set.

    Canonical links, the sitemaps, the hreflang alternates, the citations' URL and the 404
    page's asset paths (MkDocs makes them absolute from its path) are built from it alone, never
    from a reader's address bar, which may hold a search query or a file: URL."""
    url = os.environ.get(SITE_URL_ENV) or parent.get("site_url")
    if not url:
        return None
    where = SITE_URL_ENV if os.environ.get(SITE_URL_ENV) else "mkdocs.yml: site_url"
    url = str(url).strip()
    if not re.match(r"^https?://[^/?#\s]+(/[^?#\s]*)?$", url):
        raise ValueError(f"{where}: 网站地址必须是 http(s):// 开头、不含 ? 和 # 的完整网址 / must be a full http(s) URL without ? or #, got {url!r}")
    return url.rstrip("/") + "/"


@functools.cache
def _docs_in_repo(docs: Path, root: Path) -> str:
    """docs/ as a path inside the repository ("docs/"), for the correction history."""
    try:
        rel = docs.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return "docs/"
    return "" if rel == "." else rel + "/"


def corrections(root: Path, docs: Path, here: str) -> dict[str, Any]:
    """An article's correction history (``history.article_history``); none when git fails."""
    docs_rel = _docs_in_repo(docs, root) + here
    try:
        from .history import article_history

        return dict(article_history(root, docs_rel))
    except Exception as exc:  # history is a nicety: a git problem must not break the build
        print(f"{docs_rel}: 无法读取校对历史 / cannot read history: {exc}", file=sys.stderr)
        return {"last_corrected": None, "contributors": []}


def article_data(e: DocEntry, rec: PageRec, ix: Indexes, root: Path, docs: Path, site_url: str | None, has_source: bool,
                 pos: int | None = None, history: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the article template shows beyond the body, with links relative to the page.
    ``pos`` (the item's place in its page) and ``history`` (``article_history``): when the
    caller has them already."""
    m, here = e.meta, e.path
    credits = {(str(c.get("name")), str(c.get("role") or "")) for c in rec.record.get("credits") or [] if isinstance(c, dict)}
    groups: list[dict[str, Any]] = []  # one line per role as printed (作者 when none): 摄影 is not an author
    for a in m.get("authors") or []:
        if isinstance(a, dict) and a.get("name"):
            name, role = str(a["name"]), str(a.get("role") or "")
            link = ix.author_link.get(name)
            credit = (name, role) in credits
            if not groups or groups[-1]["role"] != role or groups[-1]["page_credit"] != credit:
                groups.append({"role": role, "page_credit": credit, "authors": []})
            groups[-1]["authors"].append({"name": name, "href": rel_html(here, link) if link else None})
    node = tuple(region_path(m))
    region = m.get("region") if isinstance(m.get("region"), dict) else {}
    place = {
        "levels": [{"label": x, "href": rel_html(here, ix.place_link[node[: k + 1]]) if node[: k + 1] in ix.place_link else None} for k, x in enumerate(node)],
        "label": " › ".join(node) if node else "未定",
        "printed": printed_place(m),
        "note": str(region.get("note")) if region and region.get("note") and printed_place(m) else None,
    }
    column = None
    if m.get("column") and str(m["column"]) in ix.column_link:
        column = {"label": m["column"], "href": rel_html(here, ix.column_link[str(m["column"])])}
    # in Chinese, from data/notes.yml; the traditional site converts the sentence with the page
    notes = [flag_note(str(f)) for f in m.get("flags") or []] + [render(from_record(n)) for n in m.get("notes") or []]
    pos = rec.items.index(e) if pos is None else pos
    neighbour = {}
    for name, j in (("prev", pos - 1), ("next", pos + 1)):
        if 0 <= j < len(rec.items):
            neighbour[name] = {"title": title_of(rec.items[j]), "href": rel_html(here, rec.items[j].path)}
    src: dict[str, Any] = dict(m["source"]) if isinstance(m.get("source"), dict) else {}
    first, last = line_range(m)
    source = {"file": src.get("file"), "lines": line_label(first, last)}
    if has_source and first:
        source["href"] = rel_html(here, source_page_for(rec.key, first), f"L{first}-L{last}")
    history = corrections(root, docs, here) if history is None else history
    # the access date's placeholder: a private-use character the article's own text does not hold
    # (a title may hold any character; a placeholder in it would be replaced)
    blob = json.dumps(m, ensure_ascii=False, default=str) + rec.text
    accessed = next(c for c in itertools.chain((ACCESSED,), map(chr, range(0xE001, 0xF900))) if c not in blob)  # lazily: almost always the first

    def cite_html(text: str) -> str:
        """Escaped for the page, the access date a placeholder the page's script fills in."""
        return html.escape(text).replace(accessed, '<span class="bm-accessed">' + ACCESSED_LABEL + "</span>")

    def cite_for(script: str) -> dict[str, Any]:
        """One script's citations: each names that script's own page (site_url + zh-Hant/ …)."""
        cite = citation.work(m, rec.record, site_url + SCRIPTS[script]["prefix"] + html_of(here) if site_url else None)
        texts = citation.all_formats(cite, accessed)
        cites = []
        for key, (label, ext, mime) in citation.FORMATS.items():
            entry = {"key": key, "label": label, "text": convert.protect(cite_html(texts[key]))}  # as printed, both sites
            if ext:
                entry["file"] = f"{re.sub(r'[^A-Za-z0-9_.-]', '_', cite.key)}.{ext}"
                entry["ext"] = ext  # for the template: no Python string methods in templates (Zensical has none)
                entry["type"] = mime
            cites.append(entry)
        return {
            "cite": cites,
            # the traditional site's reading aid; on the simplified site it equals the first
            "cite_converted": cite_html(texts["gbt7714"]),
            "cite_traditional": has_traditional(texts["gbt7714"]),  # printed in traditional: the simplified site's reading aid
            "citation_meta": [[name, convert.protect(value)] for name, value in citation.highwire(cite)],
            "json_ld": citation.json_ld(cite),  # ASCII only: no conversion can touch it
        }

    printed = " ".join(str(x) for x in (m.get("publication"), f"第{m['page']}版" if m.get("page") else None, m.get("page_name")) if x)
    dateline = m.get("dateline") if isinstance(m.get("dateline"), dict) else None
    return {
        "bylines": groups,
        "place": place,
        "column": column,
        "kicker": m.get("kicker"),
        "dateline": dateline.get("text") if dateline else None,
        "printed": printed or None,
        "end_notes": [str(n) for n in m.get("end_notes") or []],
        "date": date_label(m),
        "notes": notes,
        "status": m.get("status"),
        "status_done": m.get("status") in ("已校对", "已审定"),
        **neighbour,
        "page": {"title": page_title(rec), "href": rel_html(here, f"{rec.key}/index.md")},
        "source": source,
        "facsimile": facsimile_site.article_facsimile(e.path, m, root, rec.record),
        "history": {"last_corrected": history.get("last_corrected"), "contributors": list(history.get("contributors") or [])},
        "by_script": {script: cite_for(script) for script in SCRIPTS},  # stage() keeps the page's own
    }


ARTICLE_FORMAT = "banmian-article 1"  # a change in how an article's key is made


@functools.cache
def code_digest() -> str:
    """banmian's own code and data, and the versions of Python and of the libraries whose output
    is in the pages (pypinyin: slugs and the order of names; PyYAML), as one digest: part of
    every article's and listing's key, so an upgrade (or any edit of the code that makes pages)
    makes them again."""
    from importlib.metadata import PackageNotFoundError, version

    here = Path(__file__).parent
    h = hashlib.blake2b(digest_size=16)
    for lib in ("pypinyin", "PyYAML"):
        try:
            h.update(f"{lib} {version(lib)}\n".encode())
        except PackageNotFoundError:
            h.update(f"{lib} -\n".encode())
    h.update(sys.version.encode() + b"\n")
    for path in sorted([*here.glob("*.py"), *(here / "data").glob("*")]):
        if path.is_file():
            h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def article_pages(pages: list[PageRec], ix: Indexes, root: Path, docs: Path, published: str | None, config: dict[str, Any],
                  with_source: set[str], parsed: ParseCache) -> dict[str, tuple[str, Callable[[str], str]]]:
    """Every item's staged page, as docs path → (key, script → simplified staged text).

    The key digests everything the text is made from: the item's file and its page record (by
    their content digests), its neighbours' titles, the index pages it links, the page's title,
    source view and image, its correction history, the site's address and configuration, and
    banmian's code. The text, most of staging's time (citations in four formats for two
    scripts, JSON), is made only when ``sync_stage`` finds the key new: a rebuild after one
    correction makes a handful of articles, not ten thousand."""
    common = json.dumps([ARTICLE_FORMAT, code_digest(), yaml.__version__, published, str(root.resolve()), _docs_in_repo(docs, root), config],
                        ensure_ascii=False, default=str)
    common = _digest(common)
    out: dict[str, tuple[str, Callable[[str], str]]] = {}
    for rec in pages:
        image = facsimile_site.image_of(root, rec.record)
        page_key = [parsed.digest(f"{rec.key}/page.yml"), rec.key in with_source, page_title(rec), str(image) if image else None]
        for pos, e in enumerate(rec.items):
            m = e.meta
            history = corrections(root, docs, e.path)
            node = region_path(m)
            around = [[title_of(rec.items[j]), rec.items[j].path] for j in (pos - 1, pos + 1) if 0 <= j < len(rec.items)]
            key = [common, page_key, e.path, parsed.digest(e.path), pos, around, history,
                   [ix.author_link.get(str(a["name"])) for a in m.get("authors") or [] if isinstance(a, dict) and a.get("name")],
                   [ix.place_link.get(tuple(node[: k + 1])) for k in range(len(node))],
                   ix.column_link.get(str(m["column"])) if m.get("column") else None]
            out[e.path] = (_digest(json.dumps(key, ensure_ascii=False, default=str)),
                           functools.partial(_article_text, e, rec, pos, history, ix, root, docs, published, config, rec.key in with_source, {}))
    return out


def _article_text(e: DocEntry, rec: PageRec, pos: int, history: dict[str, Any], ix: Indexes, root: Path, docs: Path, published: str | None,
                  config: dict[str, Any], has_source: bool, made: dict[str, str], script: str) -> str:
    """One script's staged article page (simplified text; ``made`` keeps the other script's,
    whose data is made with it)."""
    if script not in made:
        meta = {k: v for k, v in e.meta.items() if k in ARTICLE_KEYS}  # no key Material acts on (template, description …)
        bm = article_data(e, rec, ix, root, docs, published, has_source, pos, history)
        meta["bm_section"] = SECTION_BROWSE
        meta["bm_crumbs"] = [{"label": label, "href": rel_html(e.path, target) if target else None}
                             for label, target in [*page_crumbs(rec, linked=True), (title_of(e), None)]]
        # Material prints page.title unescaped (<title>, header, search index): a title is text.
        meta["title"] = html.escape(str(meta.get("title") or ""), quote=False)
        own = own_json(meta)
        for name, cite in bm.pop("by_script").items():  # each script cites and reports its own URL
            data = {**bm, **cite, "report": report_links(e, config, published, SCRIPTS[name]["prefix"])}
            made[name] = with_bm(own, data) + e.body
    return made.pop(script)


def proofreading_index(pages: list[PageRec], config: dict[str, Any], with_source: set[str]) -> dict[str, str]:
    """待校对: every item not yet proofread, riskiest first, LIMIT to a page; each row links the
    item, its lines in the raw source (to compare side by side) and its edit page."""
    from .proofread import STATUS_LEVELS, edit_url, normal_status, queue

    entries = [e for rec in pages for e in rec.items]
    page_of = {id(e): rec for rec in pages for e in rec.items}
    rows = queue(entries)
    status_count = Counter(normal_status(e.meta.get("status")) for e in entries if e.meta.get("id"))
    progress = "、".join(f"{level} {status_count.get(level, 0)} 篇" for level in STATUS_LEVELS)
    others = sorted(set(status_count) - set(STATUS_LEVELS))
    if others:
        progress += "、" + "、".join(f"{md_text(o) or '（未标）'} {status_count[o]} 篇" for o in others)
    intro = (f"共 {sum(status_count.values())} 个条目（{progress}），其中 **{len(rows)}** 个尚未人工校对，全部列在下面，"
             "按风险从高到低排列：风险只计可能改变文意的自动处理（跨栏接续、删除重复、从别处找回的标题等），"
             "普通的断行合并和标点转换不计。“对照原文”打开带行号的原始文本并高亮这一篇；有版面图像的，“对照版面图像”打开文章页，"
             "文字旁边就是这一篇在版面上的原貌；“编辑”在 GitHub 上修改文章文件。"
             "做法见[校对指南]({{guide.md}})。")
    lines = []
    for n, (score, reasons, e) in enumerate(rows, 1):
        rec = page_of[id(e)]
        bits = [f"**{n}\\.** [{md_text(title_of(e))}]({{{{{e.path}}}}})", f"[{md_text(page_title(rec))}]({{{{{rec.key}/index.md}}}})",
                f"风险 {score}" + ("：" + "、".join(md_text(r) for r in reasons) if reasons else ""), f"状态：{md_text(str(e.meta.get('status') or '未标'))}"]
        first, last = line_range(e.meta)
        if first and rec.key in with_source:
            bits.append(f"[对照原文]({{{{{source_page_for(rec.key, first)}}}}}#L{first}-L{last})")
        fac = rec.record.get("facsimile")
        if isinstance(fac, dict) and fac.get("image") and e.meta.get("zones"):  # the printed zone beside the text
            bits.append(f"[对照版面图像]({{{{{e.path}}}}}#facsimile)")
        url = edit_url(e.path, config)
        if url:
            bits.append(f"[编辑]({url})")
        lines.append("- " + " · ".join(bits))
    return paged_lines("browse/proofreading", "待校对", lines, intro, [HOME_CRUMB, BROWSE_CRUMB, ("待校对", None)], limit=LIMIT)


def report_links(e: DocEntry, config: dict[str, Any], published: str | None, prefix: str = "") -> dict[str, Any]:
    """报告错误: a prefilled issue on the repository's form (``.github/ISSUE_TEMPLATE/report-error.yml``),
    a mail link where ``extra.banmian.report_email`` is set, and a plain text to send any other way."""
    from urllib.parse import quote, urlencode

    from .proofread import issue_url

    title = str(e.meta.get("title") or "")
    where = published.rstrip("/") + "/" + prefix + html_of(e.path) if published else e.path  # prefix: "" or "zh-Hant/"
    text = f"文章：{title}\n编号：{e.meta.get('id') or e.path}\n网址：{where}\n文件：docs/{e.path}\n错误的文字：\n正确的文字：\n"
    settings = config.get("extra", {}).get("banmian", {}) if isinstance(config.get("extra"), dict) else {}
    mail = settings.get("report_email") if isinstance(settings, dict) else None
    return {
        "issue": issue_url(config, {"title": f"[勘误] {title}", "article": where}),
        "mail": f"mailto:{mail}?" + urlencode({"subject": f"[勘误] {title}", "body": text}, quote_via=quote) if mail else None,
        "text": text,
        "guide": rel_html(e.path, "guide.md"),
    }


def guide_page(root: Path) -> str:
    """CONTRIBUTING.md as a page of the site, so the proofreading guide is in the offline zip too."""
    path = root / "CONTRIBUTING.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else "# 校对指南\n\n本数字版没有附带校对指南。\n"
    body = re.sub(r"^#\s+.*\n", "", text, count=1)
    return front("校对指南", here="guide.md", crumbs=[HOME_CRUMB, BROWSE_CRUMB, ("待校对", "browse/proofreading.md"), ("校对指南", None)],
                 section=SECTION_BROWSE) + "# 校对指南\n\n" + body
#: The front-matter keys an article may have (its schema): the only ones passed to the templates.
ARTICLE_KEYS = frozenset(json.loads(resources.files("banmian.data").joinpath("article.schema.json").read_text(encoding="utf-8"))["properties"])


# ---------------------------------------------------------------- staging and building


LISTINGS_FORMAT = "banmian-listings 1"


def listings_key(root: Path, config: dict[str, Any], entries: list[DocEntry], pages: list[PageRec], with_source: set[str], parsed: ParseCache) -> str:
    """What the browse indexes, home, page views, guide and proofreading list are made from:
    every file's front matter (by digest, in page order), every page record (by digest), which
    pages have their source and image, the configuration, CONTRIBUTING.md, banmian's code."""
    guide = root / "CONTRIBUTING.md"
    data = [LISTINGS_FORMAT, code_digest(), yaml.__version__, str(root.resolve()), os.environ.get(SITE_URL_ENV), config,
            _digest(guide.read_text(encoding="utf-8")) if guide.is_file() else None,
            [[e.path, e.front] for e in entries],
            [[rec.key, parsed.digest(f"{rec.key}/page.yml"), rec.key in with_source, str(facsimile_site.image_of(root, rec.record)),
              [e.path for e in rec.items]] for rec in pages]]
    return _digest(json.dumps(data, ensure_ascii=False, default=str))


class ListingCache:
    """The generated pages of the last build and the index links articles use, kept (JSON, in
    the stage folder) under ``listings_key``: a rebuild whose front matters and records did not
    change (a correction of an article's text) does not make the indexes again. A missing,
    damaged or other key's file is only a slower build."""

    def __init__(self, path: Path, key: str) -> None:
        self.path, self.key, self.hit = path, key, False

    def load(self, ix: Indexes, generated: dict[str, str]) -> bool:
        try:
            data = json.loads(self.path.read_bytes())
            if data.get("key") != self.key:
                return False
            ix.author_link = {str(k): str(v) for k, v in data["author_link"].items()}
            ix.place_link = {tuple(str(x) for x in node): str(link) for node, link in data["place_link"]}
            ix.column_link = {str(k): str(v) for k, v in data["column_link"].items()}
            generated.update({str(k): str(v) for k, v in data["pages"].items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            ix.author_link, ix.place_link, ix.column_link = {}, {}, {}
            generated.clear()
            return False
        self.hit = True
        return True

    def save(self, ix: Indexes, generated: dict[str, str]) -> None:
        data = {"key": self.key, "author_link": ix.author_link, "place_link": [[list(node), link] for node, link in ix.place_link.items()],
                "column_link": ix.column_link, "pages": generated}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def stage(docs: Path, stage_root: Path, root: Path | None = None, staged: Callable[[str, int], None] | None = None, source_dir: Path | None = None) -> int:
    """Write <stage_root>/<script>/docs for both scripts and the search index; returns the
    number of articles.

    ``staged(script, articles)`` is called as soon as a script is staged, so its build can
    start while the other script is converted. ``source_dir``: the folder raw-source views are read
    from (default ``root/source_texts``). A docs/ tree ingest could not have written (a folder or
    file name, a page record) raises LayoutError naming each file and line."""
    root = root or Path.cwd()
    source_dir = source_dir if source_dir is not None else root / "source_texts"
    problems = layout_problems(docs)
    if problems:
        raise LayoutError("\n".join(f"{path}:{line}: {message}" for path, line, message in problems))
    stage_root.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(stage_root / "opencc-cache", ignore_errors=True)  # conversion cache of earlier versions: see Staged
    # caches of earlier versions, which patched Material's search and MkDocs' rendering
    for old in ("segments-shared.sqlite", "parsed-docs.pickle", *(f"{s}/{name}" for s in SCRIPTS for name in ("segment-cache.json", "render-cache.pickle"))):
        (stage_root / old).unlink(missing_ok=True)
    parsed = ParseCache(stage_root / "parsed-docs.json")
    entries = load_entries(docs, parsed)
    pages = load_pages(docs, entries, parsed)
    parsed.save()
    articles = [e for e in entries if e.meta.get("type", "article") == "article"]
    config = site_config(root)
    sources: dict[str, list[str]] = {}
    for rec in pages:
        lines = read_source(root, rec, source_dir, docs)
        if lines is not None:
            sources[rec.key] = lines
    # the browse indexes, home and page views: made from front matters, page records and the
    # configuration, never from an article's text, so a correction of the text reuses them
    listings = ListingCache(stage_root / "listings.json", listings_key(root, config, entries, pages, set(sources), parsed))
    ix = Indexes()
    generated: dict[str, str] = {}
    if not listings.load(ix, generated):
        author_index(articles, ix)
        place_index(articles, ix)
        date_index(articles, ix)
        column_index(articles, ix)
        pages_index(pages, ix)
        generated.update(ix.pages)
        generated["index.md"] = home(pages, articles, ix, str(config.get("site_name") or "版面数字版"))
        generated[DOWNLOAD_PAGE] = download_page()
        generated["search.md"] = search_index.search_page()
        for rec in pages:
            generated[f"{rec.key}/index.md"] = page_view(rec, 1 if rec.key in sources else 0, root)

    names = {str(a["name"]) for e in entries for a in e.meta.get("authors") or [] if isinstance(a, dict) and a.get("name")}
    trad = convert.Converter(convert.name_overrides(names))
    # one index for both scripts (both sites' search reads it; see banmian.search_index), built
    # beside the staging of the two scripts: it reads only what is loaded by now
    records = {rec.key: rec.record for rec in pages}
    index = child.Forked(lambda: search_index.build(entries, records, trad.convert, stage_root / search_index.OUTPUT_SUBDIR),
                         "检索索引 / search index", "search_index_timeout_s")
    try:
        published = site_url(config)
        if not listings.hit:
            generated["guide.md"] = guide_page(root)
            generated.update(proofreading_index(pages, config, set(sources)))
            generated["browse/index.md"] = browse_home(ix, len(pages), len(articles))
            listings.save(ix, generated)
        articles_out = article_pages(pages, ix, root, docs, published, config, set(sources), parsed)

        # generated pages: the interface's sentences as written for traditional-script readers
        trad_ui = convert.Converter({**convert.name_overrides(names), **convert.ui_sentences()})
        for script in SCRIPTS:
            is_trad = script == "zh-Hant"
            up = "../" if is_trad else ""
            # what turns a simplified staged text into this script's file: part of every file's key
            files: dict[str, Staged] = {}
            for conv in (trad, trad_ui):
                recipe = f"{STAGE_FORMAT}; {script}; " + (f"opencc {conv.fingerprint()}" if is_trad else "strip, t2s")

                def make(text: str | Callable[[str], str], is_trad: bool = is_trad, up: str = up, conv: convert.Converter = conv,
                         marked: bool = False, script: str = script) -> bytes:
                    text = text if isinstance(text, str) else text(script)
                    if marked:  # only our own page with the marker: an article may hold the marker's text as text
                        text = text.replace(UP, up)
                    return (conv.convert(text) if is_trad else convert.to_simplified(text)).encode("utf-8")

                if conv is trad:  # an article's key is what its text is made from: the text is made only when the key is new
                    files.update({rel: Staged(recipe + "\0" + key, functools.partial(make, text_of)) for rel, (key, text_of) in articles_out.items()})
                else:
                    files.update({rel: Staged(recipe + "\0" + text, functools.partial(make, text, marked=rel == DOWNLOAD_PAGE))
                                  for rel, text in generated.items()})
            source_conv = trad_ui.convert if is_trad else _unchanged
            source_recipe = f"{STAGE_FORMAT}; source {code_digest()}; {script}; " + (f"opencc {trad_ui.fingerprint()}" if is_trad else "")
            for rec in pages:
                if rec.key in sources:  # raw text: labels converted, the source itself never
                    files.update(source_files(rec, sources[rec.key], source_conv, root, source_recipe, parsed.digest(f"{rec.key}/page.yml")))
            for rel, text in redirect_pages(pages, trad.convert if is_trad else _unchanged).items():
                files[rel] = Staged.of(text.encode("utf-8"))
            for rec in pages:  # page images and zone crops (facsimile_site), made only when new
                for rel, (key, make_image) in facsimile_site.staged_images(root, rec.key, rec.record, [(e.path, e.meta) for e in rec.items]).items():
                    files[rel] = Staged(key, make_image)
            sync_stage(files, stage_root / script / "docs", stage_root / script / "site", stage_root / script / "staged.json")
            if staged is not None:
                staged(script, len(articles))
    except BaseException:
        index.stop()
        raise
    index.result()
    return len(articles)


STAGE_FORMAT = "banmian-stage 1"


@dataclass
class Staged:
    """One staged file: ``key`` is what it is made from, ``make`` makes its bytes. A file whose
    key and size and mtime are as the last build recorded is neither made nor read again, so
    a rebuild after one correction converts one article, not ten thousand."""

    key: str
    make: Callable[[], bytes]

    @classmethod
    def of(cls, data: bytes) -> Staged:
        return cls(hashlib.blake2b(data, digest_size=16).hexdigest(), lambda: data)


def html_of(rel: str) -> str:
    """Where MkDocs writes a staged file (``use_directory_urls`` is off: a.md is a.html)."""
    return rel[:-3] + ".html" if rel.endswith(".md") else rel


def _digest(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def sync_stage(files: dict[str, Staged], out: Path, built: Path, manifest: Path) -> None:
    """Make ``out`` hold exactly ``files``; a file no longer staged loses its built page too.

    ``manifest`` records each file's key digest, size and mtime after the write."""
    try:
        known = json.loads(manifest.read_text(encoding="utf-8"))
        if not isinstance(known, dict):
            known = {}
    except (OSError, ValueError):
        known = {}
    manifest.unlink(missing_ok=True)  # an interrupted staging leaves none: the next one checks every file
    now: dict[str, list[Any]] = {}
    for rel, staged in files.items():
        path, key = out / rel, _digest(staged.key)
        rec = known.get(rel)
        if rec and rec[0] == key:
            try:
                st = path.stat()
                if st.st_size == rec[1] and st.st_mtime_ns == rec[2]:
                    now[rel] = rec
                    continue
            except FileNotFoundError:
                pass
        write_if_changed(path, staged.make())
        st = path.stat()
        now[rel] = [key, st.st_size, st.st_mtime_ns]
    if out.is_dir():
        stale = [out / rel for rel in known if rel not in files] if known else [p for p in out.rglob("*") if p.is_file()]
        for path in sorted(stale):
            rel = path.relative_to(out).as_posix()
            if rel not in files:
                path.unlink(missing_ok=True)
                (built / html_of(rel)).unlink(missing_ok=True)
    atomic_write(manifest, json.dumps(now, sort_keys=True, separators=(",", ":")))


def ui_strings(script: str) -> dict[str, str]:
    if script == "zh-Hant":
        return {k: convert.ui_to_traditional(v) for k, v in UI.items()}
    return dict(UI)


def _convert_nav(nav: Any) -> Any:
    if isinstance(nav, list):
        return [_convert_nav(x) for x in nav]
    if isinstance(nav, dict):
        return {convert.ui_to_traditional(str(k)): _convert_nav(v) for k, v in nav.items()}
    return nav


def write_config(root: Path, stage_root: Path, script: str) -> Path:
    """A child config that INHERITs mkdocs.yml: only paths, language, theme overrides, UI strings."""
    cfg_dir = stage_root / script
    cfg_dir.mkdir(parents=True, exist_ok=True)
    theme_dir = Path(str(resources.files("banmian").joinpath("theme")))
    site_dir = stage_root / script / "site"  # assembled under site/ afterwards: MkDocs cleans its site_dir
    parent = site_config(root)
    cfg: dict[str, Any] = {
        "INHERIT": os.path.relpath(root / "mkdocs.yml", cfg_dir),
        "docs_dir": "docs",
        "site_dir": str(site_dir.resolve()),
        "theme": {"name": "material", "language": SCRIPTS[script]["language"], "custom_dir": str(theme_dir)},
        "extra": {"script": script, "ui": ui_strings(script)},
    }
    # JSON front matter, raw source views, compiled templates (banmian.mkdocs_hooks)
    cfg["hooks"] = [str(Path(__file__).with_name("mkdocs_hooks.py"))]
    cfg["extra"]["bm_build"] = {
        "jinja_cache": str((cfg_dir / "jinja-cache").resolve()),  # one folder per script: one writer each
        "script": script,
    }
    published = site_url(parent)
    if published:  # both scripts: BANMIAN_SITE_URL may differ from what mkdocs.yml says
        cfg["site_url"] = published + SCRIPTS[script]["prefix"]
        cfg["extra"]["bm_site_url"] = published  # the simplified site's: hreflang alternates, sitemaps
    if script == "zh-Hant":
        for key in ("site_name", "site_description", "copyright"):
            if parent.get(key):
                cfg[key] = convert.ui_to_traditional(str(parent[key]))
        if parent.get("nav"):
            cfg["nav"] = _convert_nav(parent["nav"])
    path = cfg_dir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def default_stage_root(root: Path, site: Path) -> Path:
    """build/stage for the default site/, else a folder keyed by the output path (parallel runs)."""
    if site.resolve() == (root / "site").resolve():
        return root / "build" / "stage"
    return root / "build" / f"stage-{short_hash(str(site.resolve()), 10)}"


def build_fingerprint(root: Path, cfg: Path) -> str:
    """Everything besides the staged Markdown that shapes every page: when it changes, an
    incremental build would leave old pages behind, so the next build is a full one."""
    import material
    import mkdocs

    h = hashlib.sha256()
    h.update(f"banmian {__version__}; mkdocs {mkdocs.__version__}; material {material.__version__}\n".encode())
    here = Path(__file__).parent
    paths = [root / "mkdocs.yml", cfg, here / "mkdocs_hooks.py", here / "mkdocs_run.py"]
    paths += sorted(p for p in (here / "theme").rglob("*") if p.is_file())
    for path in paths:
        h.update(path.as_posix().encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"-")
    return h.hexdigest()


def sync_tree(src: Path, dst: Path, keep: Iterable[str] = (), owned: OwnedFolder | None = None, prefix: str = "",
              written: set[str] | None = None) -> int:
    """Link (or copy) what changed from ``src`` to ``dst`` and remove what ``src`` no longer has
    (top-level names in ``keep`` are left alone: the traditional site and the search index under
    site/). Returns the number of files linked or copied.

    Only files ``owned`` records this tool writing (``prefix`` + their path under ``dst``) are
    ever removed: a file someone else put there stays. ``written`` collects ``prefix`` + the path
    of every file ``dst`` now has from ``src``, for the record.

    Hard links: MkDocs rewrites a changed page in place, so the site's name for it changes with
    it; the next sync finds it current. Nothing writes into site/ files (the bundle adapts pages
    as it zips them)."""
    keep = set(keep)
    copied = 0
    seen: set[str] = set()
    src_s, dst_s = os.fspath(src), os.fspath(dst)  # strings, not Paths: 40,000 files at 10,000 articles
    for dirpath, _, names in os.walk(src_s):
        reldir = _rel_dir(dirpath, src_s)
        for name in names:
            rel = reldir + name
            seen.add(rel)
            path, target = os.path.join(dirpath, name), os.path.join(dst_s, rel)
            st = os.stat(path)
            try:
                tt = os.stat(target)
                if tt.st_size == st.st_size and tt.st_mtime_ns == st.st_mtime_ns:
                    continue
                os.unlink(target)
            except FileNotFoundError:
                os.makedirs(os.path.dirname(target), exist_ok=True)
            try:
                os.link(path, target)  # a second name, not a copy: a gigabyte of HTML at 10,000 articles
            except OSError:  # another file system, or links not allowed
                shutil.copy2(path, target)
            copied += 1
    if written is not None:
        written.update(prefix + rel for rel in seen)
    if dst.is_dir() and owned is not None and owned.files:
        for dirpath, dirs, names in os.walk(dst_s, topdown=True):
            reldir = _rel_dir(dirpath, dst_s)
            if not reldir:
                dirs[:] = [d for d in dirs if d not in keep]
                names = [n for n in names if n not in keep]
            for name in names:
                rel = reldir + name
                if rel not in seen and owned.may_delete(prefix + rel):
                    os.unlink(os.path.join(dirpath, name))
    return copied


def _rel_dir(dirpath: str, top: str) -> str:
    """``dirpath`` under ``top`` as a POSIX prefix ending in ``/`` (``""`` for ``top`` itself)."""
    rel = os.path.relpath(dirpath, top)
    return "" if rel == "." else rel.replace(os.sep, "/") + "/"


def build_site(docs: Path, site: Path, root: Path | None = None, stage_root: Path | None = None, strict: bool = False, full: bool = False,
               sources: Path | None = None) -> dict[str, Any]:
    """Both scripts, built in parallel (two cores, two MkDocs processes); ``strict``: warnings fail.

    Incremental by default: MkDocs renders only pages whose staged Markdown changed since the
    last build in ``stage_root`` (``full`` or any change to the theme, configuration or versions
    renders everything). Returns what was done, for the benchmark.
    """
    root = root or Path.cwd()
    stage_root = stage_root or default_stage_root(root, site)
    refuse_committed(root, [root / "build", stage_root, site])  # what a run trusts as its own must not come from a commit
    owned = claim(site, root, "--site", protect=[docs], adopt_default=root / "site")  # before any work: a refusal is immediate
    started = time.perf_counter()
    report: dict[str, Any] = {"full": {}}
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    procs: list[tuple[str, Path, str, subprocess.Popen[bytes]]] = []

    def start_build(script: str, articles: int) -> None:
        """One script's MkDocs process, started while the next script is still being staged."""
        cfg = write_config(root, stage_root, script)
        mark = stage_root / script / "build.fingerprint"
        fingerprint = build_fingerprint(root, cfg)
        built = stage_root / script / "site"
        incremental = not full and mark.is_file() and mark.read_text() == fingerprint and (built / "index.html").is_file()
        mark.unlink(missing_ok=True)  # a failed build leaves no mark: the next one is full
        report["full"][script] = not incremental
        cmd = [sys.executable, "-m", "banmian.mkdocs_run", str(cfg), *(["--dirty"] if incremental else []), *(["--strict"] if strict else [])]
        procs.append((script, mark, fingerprint, child.start(cmd, env=env)))

    try:
        articles = stage(docs, stage_root, root, staged=start_build, source_dir=sources)
    except BaseException:
        for _, _, _, proc in procs:
            child.stop(proc)
        raise
    # staging time includes the simplified build's start: the two overlap
    report["stage_s"] = round(time.perf_counter() - started, 2)
    report["articles"] = articles
    try:  # bounded: a hung MkDocs stops with a message (data/limits.yml), and takes its sibling with it
        failed = [script for script, _, _, p in procs if child.wait(p, "mkdocs_timeout_s", f"MkDocs ({script})", time.perf_counter() - started) != 0]
    except BaseException:
        for _, _, _, proc in procs:
            child.stop(proc)
        raise
    if failed:
        raise RuntimeError(f"MkDocs 构建失败 / MkDocs build failed for {', '.join(failed)}; see its messages above")
    for _, mark, fingerprint, _ in procs:
        mark.write_text(fingerprint)
    report["mkdocs_s"] = round(time.perf_counter() - started - report["stage_s"], 2)
    index = search_index.OUTPUT_SUBDIR
    written: set[str] = set()
    report["copied"] = sync_tree(stage_root / "zh-Hans" / "site", site, keep={"zh-Hant", index}, owned=owned, written=written)
    report["copied"] += sync_tree(stage_root / "zh-Hant" / "site", site / "zh-Hant", owned=owned, prefix="zh-Hant/", written=written)
    report["search_files"] = sync_tree(stage_root / index, site / index, owned=owned, prefix=index + "/", written=written)
    owned.save(written)
    report["total_s"] = round(time.perf_counter() - started, 2)
    return report
