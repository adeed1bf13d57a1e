"""History: last correction date and contributors of an article from git. First version: stub."""

from __future__ import annotations

from pathlib import Path


def article_history(repo_root: Path, docs_rel: str) -> dict[str, object]:
    """``{"last_corrected": "YYYY-MM-DD" | None, "contributors": [names]}``; empty without git."""
    return {"last_corrected": None, "contributors": []}
