"""Emit: articles → Markdown files with YAML front matter under docs/, written atomically.

The one writer of docs/. Each generated file records a hash of what the tool wrote
(``generated``; spaces at line ends and blank-line runs do not count). A file whose content no
longer matches its hash was edited by a person, and ingest never overwrites it: when the
generator's output for it changed under the edit, that output goes beside it as ``NAME.md.new``
(a conflict copy) and ingest fails until an editor merged the two. ``page.yml`` is generated
only: a hand edit is refused the same way (page facts belong in a ``manifest.yml``).

Items are named by content (identity.py), so their files and URLs stay when others move; a
renamed source page (same sha256) keeps its folder; an item whose text moved into another item
leaves a redirect (``redirects`` in page.yml, pages made by ``site``).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import identity, notes, yamlload
from .model import Article, Facsimile, FrontMatter, PageResult

FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n?(.*)\Z", re.S)
STATUS_MACHINE = "机器识别"
STATUS_CLEANED = "已清理"
# Flags that mean the tool could not establish the article's extent or title: such an item is raw
# machine output needing structural proofreading (机器识别); every other generated item went through
# the automatic clean-up with nothing left in doubt (已清理). Higher levels are set only by people.
STRUCTURAL_DOUBT = frozenset({"untitled", "truncated", "orphan_headline", "continued"})


def escape_markdown(text: str) -> str:
    """Source text is text: ``< > &`` become entities, Markdown syntax characters are escaped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]{}])", r"\\\1", text)  # { } too: attr_list would make {: onclick=…} live
    return re.sub(r"^([#+\-=|]|\d+[.)])", r"\\\1", text)


CONFLICT_SUFFIX = ".new"  # the generator's version beside a file it may not overwrite


def article_path(item: Article) -> str:
    """Path under docs/: one folder per page, one file per item named by content (``a-3f9c2e1b.md``)."""
    return f"{item.page.key}/{item.name}.md"


def front_matter(item: Article, result: PageResult) -> FrontMatter:
    """The item's front matter, in the one shape every later stage reads (``model.FrontMatter``)."""
    page = item.page
    fm: FrontMatter = {"id": item.id, "type": item.type, "title": item.title}
    if item.kicker:
        fm["kicker"] = item.kicker
    if item.subtitle:
        fm["subtitle"] = item.subtitle
    if item.column:
        fm["column"] = item.column
    fm["authors"] = [a.as_dict() for a in item.authors]
    fm["region"] = item.region.as_dict() if item.region else None
    fm["date"] = item.date
    fm["date_precision"] = item.date_precision
    fm["date_source"] = item.date_source
    if item.dateline is not None:
        fm["dateline"] = item.dateline.as_dict()
    # a manifest's value, else what the page's folio prints
    if item.publication:
        fm["publication"] = item.publication
    if page.meta.issue:
        fm["issue"] = page.meta.issue
    if item.page_number:
        fm["page"] = item.page_number
    if item.page_name:
        fm["page_name"] = item.page_name
    if item.end_notes:
        fm["end_notes"] = list(item.end_notes)
    if item.confidence:  # in percent: whole numbers keep the front matter plain (and the fast YAML writer)
        fm["confidence"] = {k: round(v * 100) for k, v in item.confidence.items()}
    fm["source"] = {"file": page.path, "lines": [item.first_line, item.last_line], "sha256": page.sha256}
    if item.zones:
        fm["zones"] = [list(z) for z in item.zones]
    fm["status"] = generated_status(item.flags)
    fm["flags"] = sorted(set(item.flags))
    fm["fixes"] = dict(sorted(Counter(f.rule for f in item.fixes).items()))
    return fm


def generated_status(flags: list[str]) -> str:
    """The level the tool may give: 机器识别 when structure is in doubt, otherwise 已清理."""
    return STATUS_MACHINE if STRUCTURAL_DOUBT.intersection(flags) else STATUS_CLEANED


def body(item: Article) -> str:
    parts: list[str] = []
    for i, para in enumerate(item.paragraphs):
        if i in item.subheads:
            parts.append("## " + escape_markdown(item.subheads[i]))
        parts.append(escape_markdown(para))
    return "\n\n".join(parts) + "\n"


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data: object) -> str:
    """Front matter and page records as YAML, with libyaml's C emitter when present (≈15× faster
    than PyYAML's own; page records carry every fix)."""
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)


def canonical_body(text: str) -> str:
    """The body as Markdown reads it, for hashing: line ends, spaces at line ends, runs of blank
    lines and blank lines at either end do not change the page, so an editor that adds or trims
    them has not corrected anything."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _hash(fm: Mapping[str, object], text: str) -> str:
    fm = {k: v for k, v in fm.items() if k != "generated"}
    payload = json.dumps(fm, ensure_ascii=False, sort_keys=True, default=str) + "\n" + text
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def content_hash(fm: Mapping[str, object], text: str) -> str:
    """Hash of front matter (without ``generated``) and body, insensitive to YAML formatting and
    to whitespace that does not change the page (``canonical_body``)."""
    return _hash(fm, canonical_body(text))


def split_file(text: str) -> tuple[dict[str, object], str]:
    m = FRONT_MATTER.match(text)
    if not m:
        raise ValueError("没有前置元数据（文件应以 --- 行开头）/ no front matter")
    data = yamlload.load(m.group(1))  # no aliases: a YAML bomb in an edited file is refused, not expanded
    if not isinstance(data, dict):
        raise ValueError("前置元数据不是键值映射 / front matter is not a mapping")
    return data, m.group(2).lstrip("\n")


def is_hand_edited(text: str) -> bool:
    """True when the file differs from what the tool wrote (or cannot be read as ours)."""
    try:
        fm, body_text = split_file(text.replace("\r\n", "\n"))  # a Windows checkout is not an edit
    except (ValueError, yaml.YAMLError):
        return True
    recorded = fm.get("generated")
    # the exact-body hash: files written before whitespace stopped counting
    return not recorded or recorded not in (content_hash(fm, body_text), _hash(fm, body_text))


def same_text(a: str, b: str) -> bool:
    """True when two article files say the same: equal front matter and equal bodies but for
    whitespace that does not change the page (``canonical_body``)."""
    try:
        fm_a, body_a = split_file(a.replace("\r\n", "\n"))
        fm_b, body_b = split_file(b.replace("\r\n", "\n"))
    except (ValueError, yaml.YAMLError):
        return a == b
    return fm_a == fm_b and canonical_body(body_a) == canonical_body(body_b)


def atomic_write(path: Path, text: str | bytes, *, parent_exists: bool = False) -> None:
    """Temporary file + rename: a reader (or a crash) sees the old file or the new, never half.
    Text is written as UTF-8 with its ``\n`` line ends as they are. ``parent_exists`` skips the
    folder check (``emit`` makes each page's folder once, not once per file)."""
    if not parent_exists:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def facsimile_record(fac: Facsimile) -> dict[str, object]:
    """The page image and OCR coordinates behind a page, for the site's facsimile views."""
    rec: dict[str, object] = {"image": fac.image, "width": fac.width, "height": fac.height}
    if fac.coordinates:
        rec["coordinates"] = fac.coordinates
        rec["format"] = fac.format
        rec["line_boxes"] = [list(b) if b else None for b in fac.boxes]
    if fac.notes:
        rec["notes"] = [notes.as_record(n) for n in fac.notes]
    return rec


def page_record(result: PageResult, redirects: dict[str, str] | None = None) -> dict[str, object]:
    """Page-level facts kept beside its articles (``page.yml``): order, credits, date evidence,
    fixes, and ``redirects`` (old item name → the item that now holds its text), with a hash of
    the record (``generated``) so that a hand edit is noticed and not overwritten."""
    page = result.page
    record: dict[str, object] = {
        "key": page.key,
        "source": page.path,
        "sha256": page.sha256,
        "publication": page.meta.publication or (result.folio.publication if result.folio else None),
        "issue": page.meta.issue,
        "edition": page.meta.edition,
        "page": page.meta.page or (result.folio.page if result.folio else None),
        "page_title": result.page_title or page.meta.page_title or (result.folio.page_name if result.folio else None),
        "folio": result.folio.text if result.folio else None,
        "date": result.date,
        "date_precision": result.date_precision,
        "date_source": result.date_source,
        "date_evidence": result.date_evidence,
        "credits": [a.as_dict() for a in result.credits],
    }
    if page.facsimile:  # before the items: the site reads a record's head only (site.read_page_record)
        record["facsimile"] = facsimile_record(page.facsimile)
    if redirects:
        record["redirects"] = dict(sorted(redirects.items()))
    record["items"] = [
        {
            "file": article_path(item).split("/", 1)[1],
            "id": item.id,
            "type": item.type,
            "title": item.title,
            "lines": [item.first_line, item.last_line],
            "fixes": [f.as_dict() for f in item.fixes],
            "notes": [notes.as_record(n) for n in item.notes],  # codes + parameters: banmian.notes
        }
        for item in result.items
    ]
    record["generated"] = record_hash(record)
    return record


def record_hash(record: dict[str, object]) -> str:
    return _hash(record, "")


def page_record_edited(text: str) -> bool:
    """True when a page.yml is not what the tool wrote. One without ``generated`` was written
    before records carried it: the tool's, and overwritten."""
    try:
        data = yamlload.load(text)
    except yaml.YAMLError:
        return True
    if not isinstance(data, dict):
        return True
    return "generated" in data and data["generated"] != record_hash(data)


def page_head(path: Path) -> dict[str, object]:
    """The page-level part of a page.yml (source, sha256, redirects) without its items' fix
    logs (most of the file). Empty when there is none or it cannot be read."""
    try:
        with path.open("rb") as fh:  # the head is a few hundred bytes; the items can be 100 KB
            raw = b""
            while b"\nitems:\n" not in raw and (chunk := fh.read(16384)):
                raw += chunk
        head = raw.partition(b"\nitems:\n")[0].decode("utf-8")
        data = yamlload.load(head + "\n")
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class EmitReport:
    """What ingest did to docs/; ``details`` says, per reported file, what an editor must look at."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)  # every hand-edited file left alone
    conflicts: list[str] = field(default_factory=list)  # needs an editor before docs/ is whole again; ingest fails
    outdated: list[str] = field(default_factory=list)  # edited; the generator alone would now write it differently
    orphaned: list[str] = field(default_factory=list)  # in docs/ but no longer produced; never deleted
    conflict_copies: list[str] = field(default_factory=list)  # NAME.md.new written beside a conflict
    redirected: dict[str, str] = field(default_factory=dict)  # generated file removed → the file now holding its text
    splits: dict[str, str] = field(default_factory=dict)  # new item → the existing item it was split out of
    renamed_pages: dict[str, str] = field(default_factory=dict)  # new source path → the docs folder kept for it
    details: dict[str, list[str]] = field(default_factory=dict)

    def messages(self, docs: Path) -> list[str]:
        """One line per reported file (path first, so editors can jump to it), details indented."""
        out: list[str] = []
        for source, key in self.renamed_pages.items():
            out.append(f"{source}: 版面改名（内容相同），文章仍在 {(docs / key).as_posix()}/，网址不变 / renamed page (same sha256): "
                       f"its articles stay in {(docs / key).as_posix()}/ with their URLs")
        for rel, target in self.redirected.items():
            out.append(f"{(docs / rel).as_posix()}: 其文字现在在 {(docs / target).as_posix()}，旧网址跳转到那里 / its text is now in "
                       f"{(docs / target).as_posix()}; the file is replaced by a redirect from its old URL")
        for rel, source in self.splits.items():
            out.append(f"{(docs / rel).as_posix()}: 从 {(docs / source).as_posix()} 拆分出的新条目（原网址仍指向前一部分）/ split out of "
                       f"{(docs / source).as_posix()} (its URL keeps the first part)")
        for label, rels in (
            ("冲突，请手工合并 / conflict, merge by hand", self.conflicts),
            ("人工校对过，保留；生成器现在会写出不同内容 / hand-edited, kept; the generator now differs", self.outdated),
            ("源文本中已无此条目，文件未删除 / no longer produced; not deleted", self.orphaned),
        ):
            for rel in rels:
                out.append(f"{(docs / rel).as_posix()}: {label}")
                out.extend(f"    {line}" for line in self.details.get(rel, []))
        return out


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lines_of(fm: Mapping[str, object]) -> tuple[int, int] | None:
    source = fm.get("source")
    lines = source.get("lines") if isinstance(source, dict) else None
    if isinstance(lines, list) and len(lines) == 2 and all(isinstance(n, int) for n in lines):
        return lines[0], lines[1]
    return None


def _sha_of(fm: Mapping[str, object]) -> str | None:
    source = fm.get("source")
    sha = source.get("sha256") if isinstance(source, dict) else None
    return sha if isinstance(sha, str) else None


def _body_differences(old_body: str, new_body: str, shown: int = 2) -> list[str]:
    """Paragraph-level summary of how the file's body differs from fresh generator output."""
    old_paras = [p for p in old_body.split("\n\n") if p.strip()]
    new_paras = [p for p in new_body.split("\n\n") if p.strip()]
    ops = [op for op in difflib.SequenceMatcher(None, old_paras, new_paras, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not ops:
        return []
    changed = sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in ops)
    out = [f"正文有 {changed} 段与新生成的不同 / {changed} body paragraph(s) differ from fresh output (your corrections are among them):"]
    for _, i1, i2, j1, j2 in ops[:shown]:
        old, new = _around_change(" ".join(old_paras[i1:i2]), " ".join(new_paras[j1:j2]))
        out.append(f"  此文件 file: 「{old or '（无 none）'}」 → 新生成 generator: 「{new or '（无 none）'}」")
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _around_change(old: str, new: str, context: int = 12, limit: int = 40) -> tuple[str, str]:
    """Both texts cut to the stretch where they differ, with a little context either side."""
    start = _common_prefix(old, new)
    tail = _common_prefix(old[start:][::-1], new[start:][::-1])
    begin = max(0, start - context)

    def cut(text: str) -> str:
        end = min(len(text), len(text) - tail + context)
        piece = text[begin:end]
        piece = piece if len(piece) <= limit else piece[: limit - 1] + "…"
        return ("…" if begin else "") + piece + ("…" if end < len(text) and not piece.endswith("…") else "")

    return cut(old), cut(new)


def _find_moved(old_fm: dict[str, object], result: PageResult) -> str | None:
    """Where the article a file holds is generated now: same title, else the most overlapping lines."""
    old_lines = _lines_of(old_fm)
    best: tuple[float, str] | None = None
    for item in result.items:
        where = f"{article_path(item)} (lines {item.first_line}–{item.last_line})"
        if item.title and item.title == old_fm.get("title"):
            return where
        if old_lines:
            inter = min(old_lines[1], item.last_line) - max(old_lines[0], item.first_line) + 1
            union = max(old_lines[1], item.last_line) - min(old_lines[0], item.first_line) + 1
            score = inter / union if inter > 0 else 0.0
            if score >= 0.5 and (best is None or score > best[0]):
                best = (score, where)
    return best[1] if best else None


def describe_edit(old_text: str, new_fm: Mapping[str, object], new_body: str, result: PageResult) -> tuple[str, list[str]]:
    """Classify a hand-edited file against what the generator makes now for the same path.

    Returns ``("kept" | "outdated" | "conflict", explanation lines)``. ``kept``: the generator would
    write exactly what it wrote before the edit, so nothing needs merging. ``conflict``: the source
    page changed, or the item's lines moved in it (its source reference in the file is stale).
    ``outdated``: only the generator changed (better clean-up or metadata), worth a look but the
    correction stands.
    """
    try:
        old_fm, old_body = split_file(old_text.replace("\r\n", "\n"))
    except (ValueError, yaml.YAMLError) as exc:
        return "conflict", [f"前置元数据无法读取，请先修复（banmian check）/ front matter unreadable, fix it first (banmian check): {_short(str(exc), 80)}"]
    if old_fm.get("generated") and old_fm.get("generated") == new_fm.get("generated"):
        return "kept", []
    why: list[str] = []
    conflict = False
    old_sha, new_sha = _sha_of(old_fm), _sha_of(new_fm)
    if old_sha and new_sha and old_sha != new_sha:
        conflict = True
        why.append(f"源版面已改变 / source page changed: {result.page.path} sha256 {old_sha[:12]}… → {new_sha[:12]}…")
    old_lines, new_lines = _lines_of(old_fm), _lines_of(new_fm)
    if old_lines and new_lines and old_lines != new_lines:
        conflict = True
        why.append(f"行范围改变 / line range changed: {old_lines[0]}–{old_lines[1]} → {new_lines[0]}–{new_lines[1]}")
    fields = [k for k in new_fm if k not in ("generated", "status") and old_fm.get(k) != new_fm[k]]
    fields += [k for k in old_fm if k not in new_fm and k not in ("generated", "status")]
    if fields:
        why.append("与新生成不同的字段 / fields differing from fresh output: " + ", ".join(fields))
    why.extend(_body_differences(old_body, new_body))
    if not why:
        why.append("仅 generated 标记不同 / only the generated marker differs")
    return ("conflict" if conflict else "outdated"), why


def _pages_dirs(docs: Path) -> list[Path]:
    return sorted(p for p in docs.iterdir() if p.is_dir()) if docs.is_dir() else []


def _settle_keys(results: list[PageResult], heads: dict[str, dict[str, object]], report: EmitReport) -> set[str]:
    """Decide each page's folder; returns the folders taken. A folder whose page.yml names this
    page's source is its own. A page without a folder takes the folder of a page that is no
    longer read and had the same sha256 (a renamed or moved source: its articles, corrections and
    URLs stay; the first such folder by name). Otherwise the page's own key, or, when a renamed
    page holds that folder, the key with the page's sha256 prefix."""
    read = {r.page.path for r in results}
    taken: set[str] = set()
    for r in results:
        if heads.get(r.page.key, {}).get("source") == r.page.path:
            taken.add(r.page.key)
    spare: dict[str, list[str]] = {}
    for key, head in sorted(heads.items()):
        if key not in taken and head.get("source") not in read and isinstance(head.get("sha256"), str):
            spare.setdefault(str(head["sha256"]), []).append(key)
    settled = {r.page.path for r in results if r.page.key in taken}
    for r in results:
        if r.page.path in settled or r.page.key in heads:
            continue
        folder = next((k for k in spare.get(r.page.sha256, []) if k not in taken), None)
        if folder is not None:
            r.page.key = folder
            report.renamed_pages[r.page.path] = folder
            taken.add(folder)
            settled.add(r.page.path)
    for r in results:
        if r.page.path in settled:
            continue
        if r.page.key in taken:
            r.page.key = f"{r.page.key}-{r.page.sha256[:8]}"
        taken.add(r.page.key)
    return taken


def _read_known(path: Path) -> tuple[dict[str, object], str, bool] | None:
    try:
        text = path.read_text(encoding="utf-8")
        fm, body_text = split_file(text.replace("\r\n", "\n"))
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return None
    return fm, body_text, is_hand_edited(text)


def _resolve(redirects: dict[str, str], names: set[str]) -> dict[str, str]:
    """Each old name to the produced item that holds its text, following chains (a01 → a-1… →
    a-2… when an article moved twice); names an item holds again, and chains that end nowhere,
    are dropped."""
    out: dict[str, str] = {}
    for old, target in redirects.items():
        seen = {old}
        while target not in names and target in redirects and target not in seen:
            seen.add(target)
            target = redirects[target]
        if old not in names and target in names:
            out[old] = target
    return out


def _write_copy(copy: Path, text: str) -> None:
    if not copy.exists() or copy.read_text(encoding="utf-8", errors="replace") != text:
        atomic_write(copy, text, parent_exists=True)


def _drop_copy(copy: Path, text: str, report: EmitReport, docs: Path) -> None:
    """A conflict copy whose conflict is resolved goes when it holds what the tool writes now
    (the tool wrote it and nothing was lost); otherwise it stays and is reported."""
    if not copy.exists():
        return
    if copy.read_text(encoding="utf-8", errors="replace") == text:
        copy.unlink()
        return
    rel = copy.relative_to(docs).as_posix()
    report.orphaned.append(rel)
    report.details[rel] = ["过时的冲突副本，合并后请删除 / an old conflict copy: delete it once its changes are merged"]


def _emit_page(result: PageResult, docs: Path, head: dict[str, object], report: EmitReport, produced: set[str]) -> None:
    key = result.page.key
    folder = docs / key
    known = [
        identity.Known(p.stem, functools.partial(_read_known, p))
        for p in (sorted(folder.glob("*.md")) if folder.is_dir() else [])
        if identity.LEGACY.fullmatch(p.stem) or identity.CONTENT.fullmatch(p.stem)
    ]
    decided = identity.assign(result.items, known)
    for item, name in zip(result.items, decided.names, strict=True):
        item.name = name
    names = set(decided.names)
    earlier = head.get("redirects")
    recorded = {str(k): str(v) for k, v in earlier.items()} if isinstance(earlier, dict) else {}
    redirects = _resolve({**recorded, **decided.redirects}, names)
    folder.mkdir(parents=True, exist_ok=True)
    for item in result.items:
        fm = front_matter(item, result)
        text_body = body(item)
        fm["generated"] = content_hash(fm, text_body)
        text = "---\n" + dump_yaml(fm) + "---\n\n" + text_body
        rel = article_path(item)
        produced.add(rel)
        path, copy = docs / rel, docs / (rel + CONFLICT_SUFFIX)
        if path.exists():
            try:
                old = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:  # named, so the person can fix it; nothing after it is written
                line = path.read_bytes()[: exc.start].count(b"\n") + 1
                raise ValueError(f"{path}:{line}: 不是 UTF-8 文本 / not UTF-8 text: save it as UTF-8 (banmian check lists such files)") from None
            if old != text and is_hand_edited(old):
                report.kept_edited.append(rel)
                kind, why = describe_edit(old, fm, text_body, result)
                if kind == "conflict":
                    report.conflicts.append(rel)
                    _write_copy(copy, text)
                    report.conflict_copies.append(rel + CONFLICT_SUFFIX)
                    why.append(f"生成器的版本在 / the generator's version is in {(docs / rel).as_posix()}{CONFLICT_SUFFIX}: 把需要的改动合并到此文件"
                               "（至少 source 的 lines 与 sha256），删除副本后重新运行 banmian ingest / merge what is needed into this "
                               "file (at least source lines and sha256), delete the copy and run banmian ingest again")
                else:
                    _drop_copy(copy, text, report, docs)
                    if kind == "outdated":
                        report.outdated.append(rel)
                if why:
                    report.details[rel] = why
                continue
            if old == text:
                report.unchanged.append(rel)
                _drop_copy(copy, text, report, docs)
                continue
        atomic_write(path, text, parent_exists=True)
        report.written.append(rel)
        _drop_copy(copy, text, report, docs)
    for new, old_name in decided.splits.items():
        report.splits[f"{key}/{new}.md"] = f"{key}/{old_name}.md"
    for k in known:
        if k.name in names:
            continue
        rel = f"{key}/{k.name}.md"
        target = redirects.get(k.name)
        if target is not None and not k.edited:
            (docs / rel).unlink()  # generated, unchanged since, and its text is in the target: a redirect replaces it
            report.redirected[rel] = f"{key}/{target}.md"
            continue
        if target is not None:
            report.conflicts.append(rel)
            report.details[rel] = [
                f"此文件经人工校对，其文字现在在 {(docs / key / target).as_posix()}.md 中：把校对合并到那里，再删除此文件 / hand-corrected, and "
                f"its text is now part of {(docs / key / target).as_posix()}.md: merge the correction there, then delete this file"
            ]
        elif k.edited:
            report.conflicts.append(rel)
            report.details[rel] = [
                f"此文件经人工校对，但 {result.page.path} 不再产生此条目，也找不到它的文字：确认后合并或删除此文件 / hand-corrected, but "
                f"{result.page.path} no longer yields this item and its text is in no item: merge the correction where it belongs, or delete this file"
            ]
        else:
            report.orphaned.append(rel)
            report.details[rel] = [f"版面仍在，但不再产生此条目，文字也不在其他条目中 / page {result.page.path} is still read but "
                                   "no longer yields this item, and its text is in no other item"]
    rel = f"{key}/page.yml"
    produced.add(rel)
    text = dump_yaml(page_record(result, redirects))
    path = docs / rel
    if path.exists():
        old = path.read_text(encoding="utf-8", errors="replace")
        if old == text:
            report.unchanged.append(rel)
            _drop_copy(docs / (rel + CONFLICT_SUFFIX), text, report, docs)
            return
        if page_record_edited(old):
            report.conflicts.append(rel)
            _write_copy(docs / (rel + CONFLICT_SUFFIX), text)
            report.conflict_copies.append(rel + CONFLICT_SUFFIX)
            report.details[rel] = [
                "page.yml 由 banmian ingest 生成，不能手工修改；版面信息（日期、报名、版次）请写在源文件夹的 manifest.yml 中 / page.yml is "
                "generated and is not edited by hand: put page facts (date, publication, page) in a manifest.yml beside the source",
                f"新生成的记录在 / the fresh record is in {path.as_posix()}{CONFLICT_SUFFIX}; 恢复此文件（git checkout）或删除它，再运行 banmian "
                "ingest / restore this file (git checkout) or delete it, then run banmian ingest again",
            ]
            return
    atomic_write(path, text, parent_exists=True)
    report.written.append(rel)
    _drop_copy(docs / (rel + CONFLICT_SUFFIX), text, report, docs)


def emit(results: list[PageResult], docs: Path) -> EmitReport:
    """Write every item and page record; never overwrite a hand-edited file.

    Item names come from ``identity.assign`` against the files already in each page's folder.
    The only files removed are generated ones that nobody edited and whose text a produced item
    now holds (replaced by a redirect), and conflict copies holding what is written now.
    Edited files are compared with what the generator makes now (``describe_edit``); a conflict
    leaves the generator's version beside the file, so no text is lost and none is published
    twice unnoticed (ingest fails on conflicts).
    """
    report = EmitReport()
    for stale in sorted(docs.rglob(".*.tmp")) if docs.is_dir() else []:
        stale.unlink()  # left by a killed run of atomic_write; never an article
    heads = {f.name: page_head(f / "page.yml") for f in _pages_dirs(docs)}
    taken = _settle_keys(results, heads, report)
    produced: set[str] = set()
    by_key = {r.page.key: r for r in results}
    for result in results:
        _emit_page(result, docs, heads.get(result.page.key, {}), report, produced)
    reported = set(report.orphaned) | set(report.conflicts) | set(report.redirected)
    for folder in _pages_dirs(docs):
        for path in sorted(folder.iterdir()):
            rel = path.relative_to(docs).as_posix()
            if not path.is_file() or rel in produced or rel in reported or not (path.suffix == ".md" or path.name == "page.yml"):
                continue
            report.orphaned.append(rel)
            still_read = by_key.get(folder.name) if folder.name in taken else None
            text = path.read_text(encoding="utf-8", errors="replace") if path.suffix == ".md" else ""
            edited = bool(text) and is_hand_edited(text)
            why = [
                (f"版面仍在，但不再产生此条目 / page {still_read.page.path} is still read but does not yield this file"
                 if still_read else "源版面已不在源文件夹中 / its source page is no longer in the source folder")
                + ("；此文件经人工校对 / this file was hand-edited" if edited else "")
            ]
            if still_read and text:
                try:
                    moved = _find_moved(split_file(text.replace("\r\n", "\n"))[0], still_read)
                except (ValueError, yaml.YAMLError):
                    moved = None
                if moved:
                    why.append(f"此文件的文章可能现在生成为 / this file's article is probably now generated as {moved}")
            report.details[rel] = why
    return report


def write_if_changed(path: Path, data: bytes) -> bool:
    """Unchanged files keep their mtime: MkDocs' incremental build renders only newer Markdown.

    A plain write, not write-then-rename: staged files are ours alone, and a file left half
    written by a crash differs from what the next staging makes, so it is written again."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True
