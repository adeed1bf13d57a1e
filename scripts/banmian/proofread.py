"""Proofreading: status levels and the 待校对 (needs proofreading) page. First version: stub."""

from __future__ import annotations

from typing import Any

STATUS_LEVELS = ["机器识别", "已清理", "已校对", "已审定"]


def proofreading_page(entries: list[Any]) -> str:
    """Markdown of the needs-proofreading page from site.DocEntry items (path, meta)."""
    return "---\ntitle: 待校对\n---\n\n# 待校对\n"
