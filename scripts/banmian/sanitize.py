"""Sanitise: what a page's content may hold once Markdown has made it HTML.

Why here and not in the Markdown: a pull request edits Markdown, and Python-Markdown passes raw
HTML through (``<x.y onfocus=…>``, ``<a:b onmouseover=…>``), turns ``[x](&#106;avascript:…)`` and
multi-line reference definitions into live links, and lets ``attr_list`` set any ``id`` (Material
reads its configuration from ``#__config``). No pattern over Markdown source sees all of that; an
HTML parser over the rendered result does. So every page's content, article or generated, passes
through ammonia (the ``nh3`` binding: an HTML5 parser and an allow-list) in the ``on_page_content``
event of ``banmian.mkdocs_hooks``, and the table of contents built from it is filtered the same way.

The allow-list is data: ``data/html_allowlist.json``. ``banmian check`` warns earlier (with file
and line, see ``banmian.safety``); this is the guarantee.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote

import nh3

_ABSOLUTE = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|[\\/]{2})")


@cache
def policy() -> dict[str, Any]:
    return json.loads(resources.files("banmian.data").joinpath("html_allowlist.json").read_text(encoding="utf-8"))


@cache
def _id_ok() -> re.Pattern[str]:
    return re.compile(policy()["id_pattern"])


def id_allowed(value: str) -> bool:
    """An ``id`` the content may set: not one of Material's (``__config``, ``__search`` …: all
    start with two underscores), no quotes, spaces or markup, at most 128 characters."""
    return bool(_id_ok().match(value))


def _classes(value: str) -> str | None:
    p = policy()
    kept = [c for c in value.split() if c in p["classes"] or any(c.startswith(x) for x in p["class_prefixes"])]
    return " ".join(kept) or None


def _attribute(tag: str, name: str, value: str) -> str | None:
    """ammonia's per-attribute callback: the ``id``, ``class`` and relative-only URL rules."""
    if name == "id":
        return value if id_allowed(value) else None
    if name == "class":
        return _classes(value)
    if name in policy()["relative_only"].get(tag, ()) and _ABSOLUTE.match(value):
        return None  # an image from elsewhere: the site (and the offline zip) fetch nothing outside
    return value


@cache
def cleaner() -> nh3.Cleaner:
    p = policy()
    return nh3.Cleaner(
        tags=set(p["tags"]),
        clean_content_tags=set(p["clean_content_tags"]),
        attributes={tag: set(names) for tag, names in p["attributes"].items()},
        attribute_filter=_attribute,
        strip_comments=True,
        link_rel=None,  # internal links stay as MkDocs wrote them
        url_schemes=set(p["url_schemes"]),
        filter_style_properties=set(p["style_properties"]),
    )


def clean_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed (text is kept, escaped)."""
    return cleaner().clean(html)


def clean_toc(items: list[Any]) -> list[Any]:
    """Table-of-contents entries (MkDocs ``AnchorLink``) whose id the content keeps, titles as
    text: Material prints both raw (``href="{{ toc_item.url }}"``) in the page's sidebar."""
    kept = []
    for item in items:
        item.children = clean_toc(list(item.children))
        if not id_allowed(str(item.id)):
            kept.extend(item.children)  # the heading lost its id: its subheadings move up
            continue
        item.title = nh3.clean(str(item.title), tags=set())
        kept.append(item)
    return kept


def markdown_url(path: str) -> str:
    """A relative path as a Markdown link target: every character but ASCII letters, digits and
    ``/-_.~`` percent-encoded, so a folder or file name cannot end the link, open markup or read
    as a scheme (``javascript:``); MkDocs decodes it to find the file it names."""
    return quote(path, safe="/-_.~")
