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
#: The same candidates, one script each. Pagefind indexes on one core, and the time goes to
#: segmenting and writing, not to reading HTML (fed only the marked article bodies, it takes as
#: long). Each script is a separate language index, so one Pagefind process per script, side by
#: side, writes the same files as one run over both (checked by test_index_is_deterministic's
#: comparison with a single run) in half the time on two cores.
SCRIPTS = (("zh", "{index.html,*/[acn][0-9]*.html}"), ("zh-Hant", "zh-Hant/{index.html,*/[acn][0-9]*.html}"))
TRAD_PREFIX = "zh-Hant:"  # on the command line: this query is typed on zh-Hant/index.html


def available() -> bool:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return False
    return True


def build_index(site: Path) -> dict[str, Any]:
    """Index both scripts of the built site into SITE/pagefind/; returns time, files, MB, pages per language.

    Only pages the theme marked with ``data-pagefind-body`` are indexed (the ones Material's search
    indexes); a site built without ``extra.bm_search: pagefind`` has no mark, and Pagefind would
    then index every page whole, so that is refused.
    """
    if not available():
        raise RuntimeError("pagefind is not installed: pip install 'pagefind[extended]'")
    home = site / "index.html"
    if not home.is_file() or BODY_MARK not in home.read_text(encoding="utf-8"):
        raise RuntimeError(f"{home}: no {BODY_MARK} mark; build the site with extra.bm_search: pagefind in mkdocs.yml")
    out = site / OUTPUT_SUBDIR
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    parts = [(out / f".{name}", glob) for name, glob in SCRIPTS]
    start = time.perf_counter()
    cpu = _children_cpu()
    with concurrent.futures.ThreadPoolExecutor(len(parts)) as pool:
        procs = list(pool.map(lambda part: _pagefind(site, *part), parts))
    elapsed = time.perf_counter() - start
    for proc in procs:
        if proc.returncode != 0:
            raise RuntimeError(f"pagefind failed on {site}:\n{proc.stderr[-2000:]}")
    _merge_parts(out, [part for part, _ in parts])
    cpu = _children_cpu() - cpu
    files = [p for p in out.rglob("*") if p.is_file()]
    return {
        "seconds": round(elapsed, 2),
        "cpu_seconds": round(cpu, 2),
        "files": len(files),
        "mb": round(sum(p.stat().st_size for p in files) / 1e6, 2),
        "languages": {lang: info.get("page_count") for lang, info in json.loads((out / "pagefind-entry.json").read_bytes())["languages"].items()},
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pagefind(site: Path, output: Path, glob: str) -> subprocess.CompletedProcess[str]:
    # --keep-index-url: result links name the file (…/index.html), as every other link of the site does
    args = ["--site", str(site), "--output-path", str(output), "--keep-index-url", "--quiet", "--glob", glob]
    return subprocess.run([sys.executable, "-m", "pagefind", *args], capture_output=True, text=True)


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
