"""Explain: what the clean-up changed on one page, article by article, for an editor.

Every Fix is shown, except rules that fire hundreds of times on a narrow-column page (joined line
breaks, punctuation width): those are summarised as a count, their source lines and a few
examples, so the removals and rewrites an editor must check stay visible.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .clean import REMOVAL_RULES
from .model import Fix, Page
from .notes import render
from .pipeline import process_page
from .reader import MANIFEST_NAME, InputError, load_manifests, read_file

#: Rule names in plain Chinese (and English) for the report.
RULE_LABELS = {
    "normalize_unicode": "统一字符编码 NFC",
    "map_lookalike": "异形字符改为标准字符 look-alike",
    "strip_markup": "去掉排版标记 # **",
    "fullwidth_punctuation": "半角标点改全角 punctuation width",
    "remove_stray_space": "删除多余空格 stray space",
    "collapse_double_period": "重复句号 。。",
    "remove_repeated_sentence": "删除重复的句子 repeated sentence",
    "remove_repeated_paragraph": "删除重复的段落 repeated paragraph",
    "join_lines": "接上断行 joined line break",
    "join_column_break": "接上分栏断开的段落 column break",
    "split_paragraph_end": "在段落结尾处分段 paragraph end",
    "collapse_byline_space": "署名多余空格 byline spaces",
}
#: Rules summarised rather than listed one by one.
BULK_RULES = ("join_lines", "fullwidth_punctuation")
EXAMPLES = 3
MAX_SNIPPET = 60


def fix_counts(fixes: Iterable[Fix]) -> dict[str, int]:
    """How many times each rule fired, in a stable order (for front matter and reports)."""
    counts = Counter(f.rule for f in fixes)
    return dict(sorted(counts.items()))


def _show(text: str) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= MAX_SNIPPET else text[:MAX_SNIPPET] + "…"


def _line_ranges(lines: list[int]) -> str:
    lines = sorted(set(lines))
    if not lines:
        return ""
    return f"{lines[0]}" if lines[0] == lines[-1] else f"{lines[0]}–{lines[-1]}"


def format_fixes(fixes: list[Fix], indent: str = "   ") -> list[str]:
    """Readable lines for one article's fixes: removals with their text, rewrites as before → after."""
    out: list[str] = []
    for rule in BULK_RULES:
        group = [f for f in fixes if f.rule == rule]
        if group:
            label = RULE_LABELS.get(rule, rule)
            out.append(f"{indent}{label}: {len(group)} 处 (行 lines {_line_ranges([f.line for f in group])})")
            for f in group[:EXAMPLES]:
                out.append(f"{indent}   e.g. {f.line:>4}  {_show(f.before)} → {_show(f.after)}")
    for f in sorted(fixes, key=lambda f: f.line):
        if f.rule in BULK_RULES:
            continue
        label = RULE_LABELS.get(f.rule, f.rule)
        if f.rule in REMOVAL_RULES:
            out.append(f"{indent}{f.line:>4}  {label}: 删去 removed「{f.before.replace(chr(10), '⏎')}」")
        else:
            out.append(f"{indent}{f.line:>4}  {label}: {_show(f.before)} → {_show(f.after)}")
    return out


def read_one(path: Path) -> Page:
    """The page text ``path`` alone, with what the manifest beside it says (nothing else is read:
    not its folder's other pages, not the folders below); ``InputError`` when it cannot be used."""
    shown = path.as_posix()
    if not path.is_file():
        what = "不是普通文件 / not a regular file" if path.exists() else "找不到该文件 / no such page text"
        raise InputError(shown, f"{what}: give the path of one page text (*.txt)")
    manifest = path.parent / MANIFEST_NAME
    found, _ = load_manifests(path.parent, path.parent.as_posix(), [manifest] if manifest.is_file() else [])
    return read_file(path, path.name, shown, found.meta_for(path, path.parent))


def explain_file(path: Path) -> int:
    try:
        page = read_one(path)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    result = process_page(page)
    total: Counter[str] = Counter()
    shown: set[int] = set()
    for item in result.items:
        print(f"== {item.id} [{item.type}] {item.title}  (行 lines {item.first_line}–{item.last_line})")
        for note in item.notes:
            print(f"   说明: {render(note, 'zh')}")
            print(f"   note: {render(note, 'en')}")
        if not item.fixes:
            print("   (无修改 no changes)")
        for line in format_fixes(item.fixes):
            print(line)
        total.update(f.rule for f in item.fixes)
        shown.update(id(f) for f in item.fixes)
    # fixes on blocks that belong to no item (page credits, page titles) still count
    rest = [f for b in result.blocks for f in b.fixes if id(f) not in shown]
    rest = [f for f in rest if not any(f in item.fixes for item in result.items)]
    if rest:
        print("== 版面其他部分 rest of the page")
        for line in format_fixes(rest):
            print(line)
        total.update(f.rule for f in rest)
    summary = ", ".join(f"{rule} {n}" for rule, n in sorted(total.items())) or "无 none"
    print(f"-- 合计 total: {summary}")
    return 0
