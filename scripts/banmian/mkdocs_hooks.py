"""MkDocs hooks for the edition's builds, on MkDocs' documented events only: nothing of MkDocs,
Material or Markdown is replaced or patched, so a build renders exactly as plain MkDocs does.

- ``front matter``: staged pages carry their front matter as one line of JSON (see
  ``banmian.site.staged_front``; JSON is YAML, so MkDocs or any other reader takes it as it is).
  ``on_page_read_source`` reads it with ``json.loads`` and hands MkDocs the page without it;
  ``on_page_markdown`` puts it into ``page.meta``: the same metadata, without YAML's pure-Python
  parser (2 ms an article page). Any other front matter is left to MkDocs.
- ``sanitise``: every page's content, once Markdown has made it HTML, keeps only what
  ``banmian.sanitize`` allows (no script, event handler, ``javascript:`` URL or Material id), and
  so does the table of contents made from it (``on_page_content``).
- ``raw source``: the raw-text view of a page is a ``<pre class="bm-src">`` of one span per line,
  which Markdown would pass through unchanged after parsing every tag; it is set aside before
  Markdown (``on_page_markdown``) and put back after (``on_page_content``).
- ``sitemap``: a sitemap listing more than 50,000 URLs is split into parts under a sitemap
  index after the build (``on_post_build``, ``banmian.sitemap``).
- ``templates``: Jinja keeps the compiled theme templates between builds
  (``extra.bm_build.jinja_cache``; Jinja's documented ``bytecode_cache``).

Settings come from the child config written by ``banmian.site.write_config``:
``extra.bm_build = {jinja_cache: PATH, script: zh-Hans|zh-Hant}``.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from banmian.sanitize import clean_html, clean_toc

log = logging.getLogger("mkdocs.hooks.banmian")

_state: dict[str, Any] = {}


def _settings(config: Any) -> dict[str, Any]:
    extra = config.extra or {}
    value = extra.get("bm_build") if hasattr(extra, "get") else None
    return dict(value) if isinstance(value, dict) else {}


def on_config(config: Any) -> Any:
    _state.clear()
    _state["meta"] = {}
    _state["sources"] = {}
    return config


def on_env(env: Any, config: Any, files: Any) -> Any:
    cache_dir = _settings(config).get("jinja_cache")
    if cache_dir:  # compiled templates kept between builds (keyed by their source): ~0.5 s a build
        import jinja2

        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache_dir))
    return env


# ---------------------------------------------------------------- front matter as JSON


def _json_front(doc: str) -> tuple[str, dict[str, Any]] | None:
    """``(body, meta)`` of a page staged with a one-line JSON front matter, else None."""
    if not doc.startswith("---\n{"):
        return None
    end = doc.find("\n---\n", 4)
    if end < 0:
        return None
    try:
        data = json.loads(doc[4:end])
    except ValueError:
        return None
    return (doc[end + 5 :].lstrip("\n"), data) if isinstance(data, dict) else None


#: What MkDocs reads in place of a JSON front matter: an empty YAML one, so that the body's
#: first lines are never taken for MultiMarkdown-style metadata.
EMPTY_FRONT = "---\n{}\n---\n"


def on_page_read_source(page: Any, config: Any) -> str | None:
    try:
        doc = page.file.content_string
    except (OSError, ValueError):
        return None  # MkDocs reads it again and reports the error as it always does
    parsed = _json_front(doc)
    if parsed is None:
        return doc
    body, meta = parsed
    _state["meta"][page.file.src_uri] = meta
    return EMPTY_FRONT + body


# ---------------------------------------------------------------- raw source views

SOURCE_BLOCK = re.compile(r'^<pre class="bm-src"[^\n]*</pre>$', re.M)
SOURCE_MARK = "<!--bm-src-->"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    meta = _state["meta"].pop(page.file.src_uri, None)
    if meta is not None:
        page.meta.update(meta)
    m = SOURCE_BLOCK.search(markdown) if "bm-src" in markdown else None
    if m is None:
        return markdown
    _state["sources"][page.file.src_uri] = m.group(0)
    return markdown[: m.start()] + SOURCE_MARK + markdown[m.end() :]


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """The page's HTML as it will be written: the raw-source block put back, then everything
    outside the allow-list removed (``banmian.sanitize``), from the content and from the table of
    contents made from it. Every page passes here."""
    block = _state["sources"].pop(page.file.src_uri, None)
    if block is not None:
        html = html.replace(SOURCE_MARK, block, 1)
    if page.toc is not None:
        page.toc.items = clean_toc(list(page.toc.items))
    return clean_html(html)


def on_post_build(config: Any) -> None:
    from banmian.sitemap import split  # this file is loaded by path, not as part of the package

    parts = split(Path(config.site_dir), config.site_url)
    if parts:
        log.info("sitemap.xml: an index of %d sitemaps (more URLs than one may list)", parts)
