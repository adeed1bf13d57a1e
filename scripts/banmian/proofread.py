"""Proofreading: status levels and the 待校对 (needs proofreading) page.

Levels follow Wikisource's idea of proofreading stages. The tool only ever writes the first two
(``emit.generated_status``): 机器识别 when it could not establish an item's title or extent (flags
in ``emit.STRUCTURAL_DOUBT``), otherwise 已清理 (the automatic clean-up ran, nothing left in doubt).
People raise an item to 已校对 (compared with the printed page, OCR errors fixed) and a second
person to 已审定 (checked again) in a pull request; see CONTRIBUTING.md.

The queue (``queue``) holds every item not yet proofread, riskiest first: risk counts the
automatic decisions that can change what an item says (``data/proofread_risk.yml``), not the
harmless line joins. ``banmian.site`` pages it, so no page grows with the archive.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote

import yaml

STATUS_LEVELS = ["机器识别", "已清理", "已校对", "已审定"]
DONE = frozenset({"已校对", "已审定"})
#: a volunteer on the traditional site writes the level in that script: the same level
TRADITIONAL_STATUS = {"機器識別": "机器识别", "已校對": "已校对", "已審定": "已审定"}


def normal_status(status: object) -> str:
    """A status in either script, as the simplified level name (unknown values kept as written)."""
    text = str(status or "")
    return TRADITIONAL_STATUS.get(text, text)


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


def issue_url(config: dict[str, Any], fields: dict[str, str]) -> str | None:
    """A new issue on the repository's 报告文章错误 form, its fields filled in (GitHub issue forms
    take ``?template=…&<field id>=…``); None when mkdocs.yml names no GitHub repository."""
    from urllib.parse import urlencode

    repo = str(config.get("repo_url") or "").rstrip("/")
    if "github.com" not in repo:
        return None
    return f"{repo}/issues/new?" + urlencode({"template": "report-error.yml", **fields}, quote_via=quote)


@cache
def risk_rules() -> dict[str, Any]:
    data = yaml.safe_load(resources.files("banmian.data").joinpath("proofread_risk.yml").read_text(encoding="utf-8"))
    return {k: dict(data.get(k) or {}) for k in ("fixes", "flags", "labels")}


def risk(meta: dict[str, Any]) -> tuple[int, list[str]]:
    """(score, reasons): the automatic decisions in one item that can change what it says,
    weighted by ``data/proofread_risk.yml``; harmless joins and punctuation count nothing."""
    rules = risk_rules()
    score, reasons = 0, []
    for flag in meta.get("flags") or []:
        weight = int(rules["flags"].get(str(flag), 1))
        if weight:
            score += weight
            reasons.append(str(rules["labels"].get(str(flag), flag)))
    fixes = meta.get("fixes")
    for rule, count in sorted(fixes.items() if isinstance(fixes, dict) else []):
        weight = int(rules["fixes"].get(str(rule), 1))
        if weight and isinstance(count, int) and count > 0:
            score += weight * count
            reasons.append(f"{rules['labels'].get(str(rule), rule)} {count} 处")
    return score, reasons


def queue(entries: list[Any]) -> list[tuple[int, list[str], Any]]:
    """Every item not yet proofread, riskiest first (then by path): the whole queue."""
    todo = [e for e in entries if isinstance(e.meta, dict) and e.meta.get("id") and normal_status(e.meta.get("status")) not in DONE]
    rows = [(*risk(e.meta), e) for e in todo]
    rows.sort(key=lambda r: (-r[0], r[2].path))
    return rows
