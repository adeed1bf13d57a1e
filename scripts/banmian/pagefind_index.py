"""Hosted search: a chunked Pagefind index over the built site, and what a reader downloads.

Material's search makes every reader download the whole index (56 MB of JSON at 7,000 articles).
Pagefind (``pip install 'pagefind[extended]'``; the extended binary segments Chinese) writes a
chunked index, so a query fetches only the fragments it needs. It cannot work from file:// (its
module import is blocked there), so the offline bundle leaves SITE/pagefind/ out and keeps
Material's search; the theme uses Pagefind on http(s) only, when ``extra.bm_search`` is
"pagefind" (assets/banmian-search.js), and marks the pages Material indexes with
``data-pagefind-body``.

``python -m banmian.pagefind_index SITE [QUERY …]`` (``zh-Hant:QUERY`` for the traditional site) indexes a built site (both scripts in one
run: Pagefind makes one index per ``<html lang>``, "zh" and "zh-hant"), then serves it on
localhost and runs each query in Chromium the way a reader does, from a cold cache, reporting
the time from the last keystroke to the first result and the bytes downloaded.
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import http.server
import json
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser

OUTPUT_SUBDIR = "pagefind"  # SITE/pagefind/: one index shared by both scripts
BODY_MARK = "data-pagefind-body"  # set by the theme in pagefind mode on every searchable page
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEFAULT_QUERIES = ("西集镇", "2.04亿元", "计划生育")
#: The only pages that can be searchable: each script's home and the items (a01, c01, n01 …: see
#: emit.article_path). Page views, raw sources and indexes (two thirds of the HTML) are never, and
#: not parsing them saves a third of the indexing time; test_one_index_for_both_scripts checks
#: that every marked page is still found.
CANDIDATES = "{index.html,*/[acn][0-9]*.html,zh-Hant/index.html,zh-Hant/*/[acn][0-9]*.html}"
#: The same candidates, one script each. Pagefind indexes mostly on one core, and the time goes to
#: segmenting and writing, not to reading HTML (fed only the marked article bodies, it takes as
#: long). Each script is a separate language index, so one Pagefind process per script, side by
#: side, writes the same files as one run over both (test_one_run_per_script_equals_one_run_over_both)
#: for the same CPU time; the wall time it saves depends on a free second core (3,073 articles,
#: best of four: 24.6 s against 33.3 s; on a machine busy with other work, nothing).
SCRIPTS = (("zh", "{index.html,*/[acn][0-9]*.html}"), ("zh-Hant", "zh-Hant/{index.html,*/[acn][0-9]*.html}"))
TRAD_PREFIX = "zh-Hant:"  # on the command line: this query is typed on zh-Hant/index.html


def available() -> bool:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return False
    return True


def build_index(site: Path, state: Path | None = None, *, reuse: bool = True) -> dict[str, Any]:
    """Index both scripts of the built site into SITE/pagefind/; returns time, files, MB, pages per language.

    Only pages the theme marked with ``data-pagefind-body`` are indexed (the ones Material's search
    indexes); a site built without ``extra.bm_search: pagefind`` has no mark, and Pagefind would
    then index every page whole, so that is refused.

    ``state``: a file (outside the site) recording what Pagefind read of each candidate page the
    last time (see indexed_part). When that is the same now (a rebuild that changed only what
    Pagefind does not read: a proofreading status, a date, the neighbours' links, the theme) and
    SITE/pagefind/ is the one written then, the index is kept as it is (``reused``: True), unless
    ``reuse`` is false. Pagefind itself has no incremental mode: any change re-indexes it whole.
    """
    if not available():
        raise RuntimeError("pagefind is not installed: pip install 'pagefind[extended]'")
    home = site / "index.html"
    if not home.is_file() or BODY_MARK not in home.read_text(encoding="utf-8"):
        raise RuntimeError(f"{home}: no {BODY_MARK} mark; build the site with extra.bm_search: pagefind in mkdocs.yml")
    out = site / OUTPUT_SUBDIR
    start = time.perf_counter()
    cpu = _children_cpu()
    known: dict[str, list[Any]] = {}
    digests = None
    if state is not None:
        before = _read_state(state)
        known = before.get("pages", {})
        if known:  # only the pages whose file changed are read
            digests = _inputs(site, known)
            if reuse and before.get("inputs") == digests[1] and before.get("index") == _index_digest(out):
                return {**_stats(out, time.perf_counter() - start, 0.0), "reused": True}
        state.unlink(missing_ok=True)  # a failed run leaves no state: the next one indexes
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    parts = [(out / f".{name}", glob) for name, glob in SCRIPTS]
    with concurrent.futures.ThreadPoolExecutor(len(parts) + 1) as pool:
        # no state yet: every page is read, alongside Pagefind (3-4 s at 9,300 articles)
        later = pool.submit(_inputs, site, known) if state is not None and digests is None else None
        procs = list(pool.map(lambda part: _pagefind(site, *part), parts))
        digests = later.result() if later is not None else digests
    elapsed = time.perf_counter() - start
    for proc in procs:
        if proc.returncode != 0:
            raise RuntimeError(f"pagefind failed on {site}:\n{proc.stderr[-2000:]}")
    _merge_parts(out, [part for part, _ in parts])
    if state is not None and digests is not None:
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text(json.dumps({"inputs": digests[1], "index": _index_digest(out), "pages": digests[0]}, ensure_ascii=False), encoding="utf-8")
    return {**_stats(out, elapsed, _children_cpu() - cpu), "reused": False}


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
        found.update(p for p in site.glob(f"{prefix}*/[acn][0-9]*.html") if p.is_file())
    return sorted(found)


def _inputs(site: Path, known: dict[str, list[Any]]) -> tuple[dict[str, list[Any]], str]:
    """Per candidate page [size, mtime_ns, digest of indexed_part] (read again only when its size or
    time changed since ``known``), and one digest of them all and of how Pagefind is run."""
    from importlib.metadata import version

    pages: dict[str, list[Any]] = {}
    total = hashlib.sha256(json.dumps([version("pagefind"), SCRIPTS, _pagefind_args(site, Path("OUT"), "GLOB")[2:]]).encode())
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
