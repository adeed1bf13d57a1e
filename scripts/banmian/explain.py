"""Explain: what the clean-up changed on one page, article by article, for an editor."""

from __future__ import annotations

import sys
from pathlib import Path

from .pipeline import process_page
from .reader import InputError, read_pages


def explain_file(path: Path) -> int:
    read = read_pages(path.parent, display_root=path.parent.as_posix())
    pages = [p for p in read.pages if p.path.endswith("/" + path.name)]
    errors = [e for e in read.errors if e.path.endswith("/" + path.name)]
    if errors or not pages:
        print(errors[0] if errors else InputError(path.as_posix(), "找不到该文件 / no such page text"), file=sys.stderr)
        return 2
    result = process_page(pages[0])
    for item in result.items:
        print(f"== {item.id} [{item.type}] {item.title}  (行 lines {item.first_line}–{item.last_line})")
        for note in item.notes:
            print(f"   说明 note: {note}")
        for fix in item.fixes:
            before = fix.before.replace("\n", "⏎")
            after = fix.after.replace("\n", "⏎")
            if len(before) > 60 or len(after) > 60:
                before, after = before[:60] + "…", after[:60] + "…"
            print(f"   {fix.line:>4}  {fix.rule}: {before!s} → {after!s}")
    return 0
