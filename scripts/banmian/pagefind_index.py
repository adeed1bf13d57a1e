"""Hosted search: a chunked Pagefind index over the built site, and what a reader downloads.

Material's search makes every reader download the whole index (56 MB of JSON at 7,000 articles).
Pagefind (``pip install 'pagefind[extended]'``; the extended binary segments Chinese) writes a
chunked index, so a query fetches only the fragments it needs. It cannot work from file:// (its
module import is blocked there), so the offline bundle leaves SITE/pagefind/ out and keeps
Material's search; the theme uses Pagefind on http(s) only, when ``extra.bm_search`` is
"pagefind" (assets/banmian-search.js), and marks the pages Material indexes with
``data-pagefind-body``.

A rebuild after a correction indexes only the pages changed since SITE/pagefind/ was written,
into SITE/pagefind-delta/ (build_index), and the theme's script searches both (mergeIndex),
hiding the main index's superseded pages.

``python -m banmian.pagefind_index SITE [QUERY …]`` (``zh-Hant:QUERY`` for the traditional site) indexes a built site (both scripts in one
run: Pagefind makes one index per ``<html lang>``, "zh" and "zh-hant"), then serves it on
localhost and runs each query in Chromium the way a reader does, from a cold cache, reporting
the time from the last keystroke to the first result and the bytes downloaded.
"""

from __future__ import annotations

import concurrent.futures
import functools
import gzip
import hashlib
import http.server
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser

OUTPUT_SUBDIR = "pagefind"  # SITE/pagefind/: one index shared by both scripts, the main index
DELTA_SUBDIR = "pagefind-delta"  # SITE/pagefind-delta/: the pages changed since the main index was written
#: A delta takes at most the larger of these many changed pages (both scripts counted) and this
#: share of the indexed pages; more, and the main index is written again (``extra.banmian.
#: search_delta_max`` in mkdocs.yml sets a number instead; 0 turns the delta off).
DELTA_MIN_PAGES = 50
DELTA_SHARE = 0.05
STATE_FORMAT = 2  # of the state file (build/stage/pagefind-inputs.json)
DELTA_FORMAT = 1  # of the delta's files (delta_file), which the theme's search script reads
BODY_MARK = "data-pagefind-body"  # set by the theme in pagefind mode on every searchable page
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEFAULT_QUERIES = ("西集镇", "2.04亿元", "计划生育")
#: The only pages that can be searchable: each script's home and the items (a-3f9c2e1b, c-…, n-…,
#: and hand-corrected files that kept a01-style names: see identity.py). Page views, raw sources and indexes (two thirds of the HTML) are never, and
#: not parsing them saves a third of the indexing time; test_one_index_for_both_scripts checks
#: that every marked page is still found.
CANDIDATES = "{index.html,*/[acn]-*.html,*/[acn][0-9]*.html,zh-Hant/index.html,zh-Hant/*/[acn]-*.html,zh-Hant/*/[acn][0-9]*.html}"
#: The same candidates, one script each. Pagefind indexes mostly on one core, and the time goes to
#: segmenting and writing, not to reading HTML (fed only the marked article bodies, it takes as
#: long). Each script is a separate language index, so one Pagefind process per script, side by
#: side, writes the same files as one run over both (test_one_run_per_script_equals_one_run_over_both)
#: for the same CPU time; the wall time it saves depends on a free second core (3,073 articles,
#: best of four: 24.6 s against 33.3 s; on a machine busy with other work, nothing).
SCRIPTS = (("zh", "{index.html,*/[acn]-*.html,*/[acn][0-9]*.html}"), ("zh-Hant", "zh-Hant/{index.html,*/[acn]-*.html,*/[acn][0-9]*.html}"))
TRAD_PREFIX = "zh-Hant:"  # on the command line: this query is typed on zh-Hant/index.html


def available() -> bool:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return False
    return True


def build_index(site: Path, state: Path | None = None, *, reuse: bool = True, delta: bool = False, delta_max: int | None = None) -> dict[str, Any]:
    """Index both scripts of the built site into SITE/pagefind/ (the main index) and, with
    ``delta``, the pages changed since into SITE/pagefind-delta/; returns what was done.

    Only pages the theme marked with ``data-pagefind-body`` are indexed (the ones Material's search
    indexes); a site built without ``extra.bm_search: pagefind`` has no mark, and Pagefind would
    then index every page whole, so that is refused.

    ``state``: a file (outside the site) recording what Pagefind read of each candidate page (see
    indexed_part), both now and when the main index was written, with the main index's id of
    each page. What happens (``mode`` in the result):

    - "kept": what Pagefind reads is the same as last time (a rebuild that changed only a
      proofreading status, a date, the neighbours' links, the theme) and both folders are the ones
      written then: nothing is done (``reused``: True).
    - "delta" (only with ``delta``): some indexed pages differ from what the main index holds, at
      most ``delta_max`` of them (None: the larger of DELTA_MIN_PAGES and DELTA_SHARE of the
      indexed pages). Pagefind indexes just those into SITE/pagefind-delta/, beside a file per
      language (delta_file) naming the main index's pages they supersede; the main index is not
      touched. The delta is relative to the main index, not to the last build: successive
      corrections accumulate in it, and a page corrected back to its text leaves it.
    - "full": everything else (no state, ``reuse`` false, more changes than ``delta_max``, another
      Pagefind or main index than the state's): the main index is written again from every
      page, and the delta emptied (compaction).

    Pagefind itself has no incremental mode.
    """
    if not available():
        raise RuntimeError("pagefind is not installed: pip install 'pagefind[extended]'")
    home = site / "index.html"
    if not home.is_file() or BODY_MARK not in home.read_text(encoding="utf-8"):
        raise RuntimeError(f"{home}: no {BODY_MARK} mark; build the site with extra.bm_search: pagefind in mkdocs.yml")
    out, dout = site / OUTPUT_SUBDIR, site / DELTA_SUBDIR
    start = time.perf_counter()
    cpu = _children_cpu()
    setup = _setup_digest(site)
    before = _read_state(state) if state is not None else {}
    known = k if isinstance(k := before.get("pages"), dict) else {}
    main = m if before.get("format") == STATE_FORMAT and isinstance(m := before.get("main"), dict) else None
    digests = None
    if state is not None:
        if known and reuse:  # only the pages whose file changed are read; with ``reuse`` false, alongside Pagefind
            digests = _inputs(site, known, setup)
            main_ok = main is not None and main.get("setup") == setup and main.get("index") == _index_digest(out)
            if main_ok and main is not None and before.get("inputs") == digests[1] and before.get("delta") == _delta_digest(dout):
                if digests[0] != known:  # pages written again with the same text: their new times, so they are not read next time
                    _write_state(state, digests, main, dout)
                return {**_stats(out, time.perf_counter() - start, 0.0), "mode": "kept", "reused": True, "pages": 0, "delta": _delta_stats(dout)}
            if delta and main_ok and main is not None:
                indexed = sum(1 for v in digests[0].values() if v[2] != "-")
                limit = delta_max if delta_max is not None else max(DELTA_MIN_PAGES, math.ceil(DELTA_SHARE * indexed))
                if len(_changed(main["pages"], digests[0])) <= limit:
                    state.unlink(missing_ok=True)  # a failed run leaves no state: the next one indexes whole
                    n = _build_delta(site, main, digests[0], state.parent)
                    if n is not None:
                        _write_state(state, digests, main, dout)
                        stats = _stats(out, time.perf_counter() - start, _children_cpu() - cpu)
                        return {**stats, "mode": "delta", "reused": False, "pages": n, "delta": _delta_stats(dout)}
        state.unlink(missing_ok=True)  # a failed run leaves no state: the next one indexes
    for folder in (out, dout):
        if folder.exists():
            shutil.rmtree(folder)
    out.mkdir(parents=True)
    parts = [(out / f".{name}", glob) for name, glob in SCRIPTS]
    with concurrent.futures.ThreadPoolExecutor(len(parts) + 1) as pool:
        # no state yet, or everything indexed anyway: every page is read alongside Pagefind (3-4 s at 9,300 articles)
        later = pool.submit(_inputs, site, known, setup) if state is not None and digests is None else None
        procs = list(pool.map(lambda part: _pagefind(site, *part), parts))
        digests = later.result() if later is not None else digests
    for proc in procs:
        if proc.returncode != 0:
            raise RuntimeError(f"pagefind failed on {site}:\n{proc.stderr[-2000:]}")
    _merge_parts(out, [part for part, _ in parts])
    elapsed = time.perf_counter() - start
    if state is not None and digests is not None:
        ids = _page_ids(out)  # 0.06 s per 1,000 pages (both scripts counted), once per main index
        main = {
            "setup": setup,
            "index": _index_digest(out),
            "pages": {rel: [v[2], ids.get(rel)] for rel, v in digests[0].items() if v[2] != "-"},
        }
        _write_delta(dout, out, main, {})
        _write_state(state, digests, main, dout)
    else:
        _write_delta(dout, out, None, {})
    stats = _stats(out, elapsed, _children_cpu() - cpu)
    return {**stats, "mode": "full", "reused": False, "pages": sum(stats["languages"].values()), "delta": _delta_stats(dout)}


def delta_limit(config: dict[str, Any]) -> int | None:
    """``extra.banmian.search_delta_max`` of mkdocs.yml (None when unset: build_index's default)."""
    extra = e if isinstance(e := config.get("extra"), dict) else {}
    settings = s if isinstance(s := extra.get("banmian"), dict) else {}
    limit = settings.get("search_delta_max")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
        raise ValueError(f"mkdocs.yml: extra.banmian.search_delta_max must be a whole number of pages, got {limit!r}")
    return limit


def delta_file(lang: str) -> str:
    """The name of the delta's file for one language of the index ("zh", "zh-hant"), in SITE/pagefind-delta/."""
    return f"banmian-delta.{lang}.json"


def _changed(main: dict[str, list[Any]], now: dict[str, list[Any]]) -> list[str]:
    """Candidate pages whose indexed part differs from the main index's ("-": not indexed)."""
    return sorted(rel for rel in main.keys() | now.keys() if (main[rel][0] if rel in main else "-") != (now[rel][2] if rel in now else "-"))


def _build_delta(site: Path, main: dict[str, Any], now: dict[str, list[Any]], scratch: Path) -> int | None:
    """Index the pages that differ from the main index into SITE/pagefind-delta/ and write its
    files; returns the number of pages indexed, or None when the main index must be written again.

    Pagefind reads a folder that mirrors the pages' paths with hard links, so their URLs are the
    ones the main index has (the same options, --keep-index-url). Pagefind's Python API, fed each
    page with its URL, took 0.5 s for 2 pages and 10.4 s for 100 (each page's HTML goes to its
    service through a pipe); the command over a mirror, 0.27 s and 0.41 s.

    A result's id is its fragment's name, which Pagefind derives from the fragment's content: the
    client tells the delta's results from the main index's by id, so no id may be in both. A
    changed page whose fragment is the same (its text the same, its markup not) is the same page
    to Pagefind: it is left out of the delta and not superseded. Another page with an id of the
    main index (a clash of the shortened hashes): the main index is made again."""
    dout = site / DELTA_SUBDIR
    changed = _changed(main["pages"], now)
    pages = [rel for rel in changed if rel in now and now[rel][2] != "-"]
    main_ids = {v[1]: rel for rel, v in main["pages"].items() if v[1]}
    if dout.exists():
        shutil.rmtree(dout)
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pagefind-delta-", dir=scratch) as tmp:
        built = Path(tmp) / "index"
        ids: dict[str, str] = {}
        for attempt in range(len(pages) + 1):
            if built.exists():
                shutil.rmtree(built)
            ids = _index_pages(site, pages, Path(tmp) / f"site{attempt}", built) if pages else {}
            if any(main_ids.get(i, rel) != rel for rel, i in ids.items()):
                return None
            same = {rel for rel, i in ids.items() if i in main_ids}
            if not same:
                break
            pages = [rel for rel in pages if rel not in same]
            changed = [rel for rel in changed if rel not in same]
        if pages:
            for path in built.iterdir():  # the client reads the index through the main index's pagefind.js
                if path.is_file() and not path.name.endswith((".pf_meta", "pagefind-entry.json")):
                    path.unlink()
            shutil.move(str(built), str(dout))
    superseded = {main["pages"][rel][1]: rel for rel in changed if rel in main["pages"] and main["pages"][rel][1]}
    _write_delta(dout, site / OUTPUT_SUBDIR, main, {"ids": ids, "superseded": superseded})
    return len(pages)


def _index_pages(site: Path, pages: list[str], mirror: Path, built: Path) -> dict[str, str]:
    """Pagefind over ``pages`` of the site alone, into ``built``; the id of each page indexed."""
    for rel in pages:
        target = mirror / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site / rel, target)
        except OSError:  # another file system
            shutil.copy2(site / rel, target)
    proc = _pagefind(mirror, built, CANDIDATES)
    if proc.returncode != 0:
        raise RuntimeError(f"pagefind failed on the changed pages of {site}:\n{proc.stderr[-2000:]}")
    _canonical_entry(built / "pagefind-entry.json")
    return _page_ids(built)


def _write_delta(dout: Path, out: Path, main: dict[str, Any] | None, delta: dict[str, Any]) -> None:
    """One file per language of the main index (delta_file), read by the theme's search script:
    ``main``, the main index's meta file hash (the index the delta applies to); ``main_pages``,
    its number of pages; ``pages``, each page of the delta by id, with the id of the page it
    replaces in the main index (null for a page the main index does not have); ``superseded``,
    the ids of the main index's pages to hide (changed or removed since); ``include_characters``,
    the main index's, for the script's copy of Pagefind's query terms. Nothing in the delta: the
    files list nothing. Written in a stable form (sorted keys and lists)."""
    dout.mkdir(parents=True, exist_ok=True)
    entry = json.loads((out / "pagefind-entry.json").read_bytes())
    ids: dict[str, str] = delta.get("ids", {})
    superseded: dict[str, str] = delta.get("superseded", {})
    for lang, info in sorted(entry["languages"].items()):
        mine = {i: (main["pages"][rel][1] if main and rel in main["pages"] else None) for rel, i in ids.items() if i.startswith(f"{lang}_")}
        data = {
            "format": DELTA_FORMAT,
            "main": info.get("hash"),
            "main_pages": info.get("page_count"),
            "pages": dict(sorted(mine.items())),
            "superseded": sorted(i for i in superseded if i.startswith(f"{lang}_")),
            "include_characters": entry.get("include_characters", []),
        }
        (dout / delta_file(lang)).write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")


def _unpack(path: Path) -> bytes:
    """An index file's bytes: gzip, then a "pagefind_dcd" signature."""
    data = gzip.decompress(path.read_bytes())
    return data[12:] if data[:12] == b"pagefind_dcd" else data


def _page_ids(index: Path) -> dict[str, str]:
    """The id of each page of an index, by its path in the site. A search result's ``id`` is its
    page's fragment file name (pagefind.js loads ``fragment/${id}.pf_fragment`` for its data),
    and a fragment is JSON holding the page's URL ("/" and the path, --keep-index-url)."""
    ids: dict[str, str] = {}
    for path in sorted((index / "fragment").glob("*.pf_fragment")):
        url = urllib.parse.unquote(json.loads(_unpack(path))["url"])
        ids[url.lstrip("/")] = path.name.removesuffix(".pf_fragment")
    return ids


def _delta_digest(dout: Path) -> str | None:
    """Names and sizes of the delta's files and the bytes of its JSON files."""
    if not dout.is_dir():
        return None
    h = hashlib.sha256()
    for path in sorted(dout.rglob("*")):
        rel = path.relative_to(dout).as_posix()
        h.update(f"{rel}\0{path.stat().st_size if path.is_file() else -1}\n".encode())
        if rel.endswith(".json"):
            h.update(path.read_bytes())
    return h.hexdigest()


def _delta_stats(dout: Path) -> dict[str, Any]:
    """Pages in the delta and main pages it supersedes (both scripts), its index files and MB."""
    pages = superseded = 0
    for path in dout.glob(delta_file("*")):
        info = json.loads(path.read_bytes())
        pages += len(info.get("pages", {}))
        superseded += len(info.get("superseded", []))
    files = [p for p in dout.rglob("*") if p.is_file() and not p.name.endswith(".json")] if dout.is_dir() else []
    mb = round(sum(p.stat().st_size for p in files) / 1e6, 2)
    return {"pages": pages, "superseded": superseded, "files": len(files), "mb": mb}


def _write_state(state: Path, digests: tuple[dict[str, list[Any]], str], main: dict[str, Any], dout: Path) -> None:
    state.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": STATE_FORMAT, "inputs": digests[1], "delta": _delta_digest(dout), "main": main, "pages": digests[0]}
    state.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _stats(out: Path, seconds: float, cpu: float) -> dict[str, Any]:
    files = [p for p in out.rglob("*") if p.is_file()]
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "files": len(files),
        "mb": round(sum(p.stat().st_size for p in files) / 1e6, 2),
        "languages": {lang: info.get("page_count") for lang, info in json.loads((out / "pagefind-entry.json").read_bytes())["languages"].items()},
    }


_START_TAG = re.compile(rb"<([a-zA-Z][\w-]*)\b[^<>]*>")
#: Pagefind attributes that take data from anywhere in a page: a page with any is read whole
_ELSEWHERE = re.compile(rb"data-pagefind-(?:meta|filter|sort|default-meta|index-attrs|weight)")
_LANG = re.compile(rb"<html\b[^>]*\blang=\"([^\"]*)\"")
_TITLE = re.compile(rb"<title>.*?</title>", re.S)


def _element_end(html: bytes, start: int, tag: bytes) -> int:
    """End of the element whose start tag begins at ``start`` (the rest of ``html`` if unclosed)."""
    depth = 0
    for m in re.compile(rb"<(/?)" + re.escape(tag) + rb"\b[^>]*>").finditer(html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return len(html)


def _find_tag(html: bytes, attribute: bytes, pos: int = 0) -> re.Match[bytes] | None:
    """The first start tag from ``pos`` on that carries ``attribute`` (found as text first: a
    regular expression over the whole page is fifty times slower)."""
    while (i := html.find(attribute, pos)) >= 0:
        tag = _START_TAG.match(html, max(html.rfind(b"<", 0, i), 0))
        after = html[i + len(attribute) : i + len(attribute) + 1]
        if tag is not None and tag.end() > i and html[i - 1 : i].isspace() and not (after.isalnum() or after == b"-"):
            return tag
        pos = i + len(attribute)
    return None


def indexed_part(html: bytes | str) -> bytes | None:
    """What Pagefind reads of a page, as far as the theme's pages go: its language, its title and
    the element marked ``data-pagefind-body`` less the parts marked ``data-pagefind-ignore``
    (None: no mark, Pagefind skips the page). A page using Pagefind attributes that gather data
    from outside the body is taken whole. Two pages with the same part give the same index
    (test_index_is_kept_while_what_pagefind_reads_is_unchanged checks it against Pagefind).
    Bytes, as read from disk: decoding every page would double the time."""
    if isinstance(html, str):
        html = html.encode("utf-8")
    marked = _find_tag(html, BODY_MARK.encode())
    if marked is None:
        return None
    if _ELSEWHERE.search(html):
        return html
    lang = _LANG.search(html)
    title = _TITLE.search(html)
    body = html[marked.start() : _element_end(html, marked.start(), marked.group(1))]
    while (ignored := _find_tag(body, b"data-pagefind-ignore", 1)) is not None:
        body = body[: ignored.start()] + body[_element_end(body, ignored.start(), ignored.group(1)) :]
    return b"\0".join((lang.group(1) if lang else b"", title.group(0) if title else b"", body))


def candidates(site: Path) -> list[Path]:
    """The files Pagefind is given (CANDIDATES), in a stable order."""
    found: set[Path] = set()
    for prefix in ("", "zh-Hant/"):
        found.update(p for p in site.glob(f"{prefix}index.html") if p.is_file())
        for name in ("[acn]-*.html", "[acn][0-9]*.html"):
            found.update(p for p in site.glob(f"{prefix}*/{name}") if p.is_file())
    return sorted(found)


def _setup_digest(site: Path) -> str:
    """How Pagefind is run (its version, the globs and the options) and the delta's file format."""
    from importlib.metadata import version

    setup = [version("pagefind"), SCRIPTS, CANDIDATES, _pagefind_args(site, Path("OUT"), "GLOB")[2:], DELTA_FORMAT]
    return hashlib.sha256(json.dumps(setup).encode()).hexdigest()


def _inputs(site: Path, known: dict[str, list[Any]], setup: str) -> tuple[dict[str, list[Any]], str]:
    """Per candidate page [size, mtime_ns, digest of indexed_part] (read again only when its size or
    time changed since ``known``), and one digest of them all and of how Pagefind is run (``setup``)."""
    pages: dict[str, list[Any]] = {}
    total = hashlib.sha256(setup.encode())
    for path in candidates(site):
        rel = path.relative_to(site).as_posix()
        st = path.stat()
        old = known.get(rel)
        if old and old[:2] == [st.st_size, st.st_mtime_ns]:
            digest = old[2]
        else:
            part = indexed_part(path.read_bytes())
            digest = "-" if part is None else hashlib.sha256(part).hexdigest()
        pages[rel] = [st.st_size, st.st_mtime_ns, digest]
        total.update(f"{rel}\0{digest}\n".encode())
    return pages, total.hexdigest()


def _index_digest(out: Path) -> str | None:
    """Names and sizes of the index files and the entry's bytes: whether SITE/pagefind/ is still
    the index the state was written with."""
    entry = out / "pagefind-entry.json"
    if not entry.is_file():
        return None
    h = hashlib.sha256(entry.read_bytes())
    for path in sorted(out.rglob("*")):
        h.update(f"{path.relative_to(out).as_posix()}\0{path.stat().st_size if path.is_file() else -1}\n".encode())
    return h.hexdigest()


def _read_state(state: Path) -> dict[str, Any]:
    try:
        data = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pagefind_args(site: Path, output: Path, glob: str) -> list[str]:
    # --keep-index-url: result links name the file (…/index.html), as every other link of the site does
    return ["--site", str(site), "--output-path", str(output), "--keep-index-url", "--quiet", "--glob", glob]


def _pagefind(site: Path, output: Path, glob: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pagefind", *_pagefind_args(site, output, glob)], capture_output=True, text=True)


def _merge_parts(out: Path, parts: list[Path]) -> None:
    """Move the per-script indexes of ``parts`` into ``out``: their files have content-hashed
    names, apart from Pagefind's scripts and wasm (the same bytes in each) and
    pagefind-entry.json, whose languages are joined (in sorted order, see _canonical_entry)."""
    entry: dict[str, Any] = {}
    for part in parts:
        data = json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8"))
        if not entry:
            entry = data  # Pagefind's order of keys, kept
        elif {k: v for k, v in entry.items() if k != "languages"} != {k: v for k, v in data.items() if k != "languages"}:
            raise RuntimeError(f"{part}: Pagefind entry differs from the other script's: {data}")
        else:
            entry["languages"].update(data["languages"])
        for path in sorted(part.rglob("*")):
            rel = path.relative_to(part)
            target = out / rel
            if path.is_dir():
                target.mkdir(exist_ok=True)
            elif rel.as_posix() != "pagefind-entry.json":
                if target.exists() and target.read_bytes() != path.read_bytes():
                    raise RuntimeError(f"{target}: differs between the scripts' Pagefind runs")
                path.replace(target)
        shutil.rmtree(part)
    (out / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    _canonical_entry(out / "pagefind-entry.json")


def _canonical_entry(path: Path) -> None:
    """Pagefind lists the languages of pagefind-entry.json in hash-map order, which changes from
    run to run (zh before zh-hant, or after). Sorted, the same site gives the same index bytes;
    pagefind.js reads the file as JSON, so the order means nothing to it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data.get("languages"), dict):
        data["languages"] = dict(sorted(data["languages"].items()))
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


@functools.cache
def _quiet_handler(directory: str) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=directory, **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


# Installed before typing: the time of the last input event and of the first result after it.
WATCH_JS = """() => {
  const w = window.__bm = {lastInput: 0, first: 0};
  const input = document.querySelector('input.md-search__input');
  input.addEventListener('input', () => { w.lastInput = performance.now(); w.first = 0; }, true);
  const list = document.querySelector('.md-search-result__list');
  new MutationObserver(() => {
    if (!w.first && list.querySelector('.md-search-result__item')) w.first = performance.now();
  }).observe(list, {childList: true});
}"""
SETTLED_JS = "() => window.__bm.first > 0"
FOCUSED_JS = "() => document.activeElement && document.activeElement.matches('input.md-search__input')"


def _count(meta: str) -> int:
    m = re.search(r"\d[\d,]*", meta)
    return int(m.group(0).replace(",", "")) if m else 0


def measure_queries(
    site: Path, queries: tuple[str, ...] = DEFAULT_QUERIES, page: str = "index.html", *, browser: Browser | None = None
) -> list[dict[str, Any]]:
    """What a reader experiences, per query, in a fresh browser context (cold cache) over http.

    Opens ``page``, presses "s" (Material's key for the header search), types the query, and
    records ms from the last keystroke to the first result on screen, the results found and
    shown, and the KB of the whole page visit split into pagefind/ and everything else.
    Raises AssertionError if anything fetched Material's search index. ``browser``: reuse an
    open Playwright Chromium (one sync driver per process, e.g. a test session's).
    """
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _quiet_handler(str(site.resolve())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        if browser is not None:
            rows = [_measure_one(browser, base, page, q) for q in queries]
        else:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                own = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    rows = [_measure_one(own, base, page, q) for q in queries]
                finally:
                    own.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def _measure_one(browser: Browser, base: str, page: str, query: str) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fetched: list[tuple[str, int]] = []
    context.on("requestfinished", lambda r: fetched.append((r.url, r.sizes()["responseBodySize"])))
    try:
        tab = context.new_page()
        tab.goto(base + page, wait_until="load")
        tab.evaluate(WATCH_JS)
        tab.keyboard.press("s")
        box = tab.locator("input.md-search__input")
        box.wait_for(state="visible")
        tab.wait_for_function(FOCUSED_JS)  # on a narrow screen the box slides in: a key typed before is lost
        tab.keyboard.type(query)
        tab.wait_for_function(SETTLED_JS, timeout=60_000)
        tab.wait_for_load_state("networkidle")
        timing = tab.evaluate("() => window.__bm")
        meta = tab.locator(".md-search-result__meta").inner_text()
        links = tab.locator(".md-search-result__item > a")
        first = links.first.get_attribute("href") if links.count() else None
        shown = links.count()
    finally:
        context.close()
    lunr = [u for u, _ in fetched if "search_index" in u]
    assert not lunr, f"Material's search index was fetched: {lunr}"
    pf = sum(n for u, n in fetched if f"/{OUTPUT_SUBDIR}/" in u)
    other = sum(n for u, n in fetched if f"/{OUTPUT_SUBDIR}/" not in u)
    return {
        "query": query,
        "page": page,
        "results": _count(meta),
        "shown": shown,
        "first": first,
        "ms": round(timing["first"] - timing["lastInput"], 1),
        "kb_pagefind": round(pf / 1024, 1),
        "kb_other": round(other / 1024, 1),
        "kb": round((pf + other) / 1024, 1),
        "requests_pagefind": sum(1 for u, _ in fetched if f"/{OUTPUT_SUBDIR}/" in u),
    }


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m banmian.pagefind_index SITE [QUERY …] (zh-Hant:QUERY searches the traditional site)", file=sys.stderr)
        return 2
    site = Path(args[0])
    if not (site / "index.html").is_file():
        print(f"{site}/index.html: no built site here; run 'banmian site' first", file=sys.stderr)
        return 2
    try:
        stats = build_index(site)
    except RuntimeError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"pagefind index: {stats['files']} files, {stats['mb']} MB in {stats['seconds']} s; pages per language {stats['languages']}")
    queries = args[1:] or list(DEFAULT_QUERIES)
    simplified = tuple(q for q in queries if not q.startswith(TRAD_PREFIX))
    traditional = tuple(q.removeprefix(TRAD_PREFIX) for q in queries if q.startswith(TRAD_PREFIX))
    rows = measure_queries(site, simplified) if simplified else []
    rows += measure_queries(site, traditional, "zh-Hant/index.html") if traditional else []
    for row in rows:
        print(
            f"  {row['query']}: {row['results']} results ({row['shown']} shown), first {row['first']}, {row['ms']:.0f} ms after the last key, "
            f"{row['kb_pagefind']} KB pagefind/ in {row['requests_pagefind']} requests + {row['kb_other']} KB page and assets"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
