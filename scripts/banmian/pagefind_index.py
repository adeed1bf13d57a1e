"""Feasibility probe: a chunked Pagefind index for the hosted site, and what one query downloads.

Material's search makes every reader download the whole index (15 MB of JSON at 2,000 articles).
Pagefind (``pip install 'pagefind[extended]'``; the extended binary segments Chinese) writes a
chunked index so a query fetches only the fragments it needs. It cannot work from file:// (its
module import is blocked there), so the offline bundle keeps Material's search; this module is
for the hosted site only and is not wired into ``banmian site``.

``python -m banmian.pagefind_index SITE [QUERY …]`` indexes a built site (both scripts: Pagefind
makes one index per ``<html lang>``), then serves it on localhost and runs each query in Chromium
from a cold cache, reporting the bytes downloaded and the time to the first result.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

OUTPUT_SUBDIR = "pagefind"
ROOT_SELECTOR = "article"  # Material's content area: the header, nav and footer stay out of the index
CHROMIUM = "/usr/bin/chromium"
DEFAULT_QUERIES = ("西集镇", "2.04亿元", "计划生育")


def available() -> bool:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return False
    return True


def build_index(site: Path) -> dict[str, Any]:
    """Run Pagefind over the built site; returns time, file count and size of its output."""
    if not available():
        raise RuntimeError("pagefind is not installed: pip install 'pagefind[extended]'")
    out = site / OUTPUT_SUBDIR
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", OUTPUT_SUBDIR, "--root-selector", ROOT_SELECTOR, "--quiet"],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"pagefind failed on {site}:\n{proc.stderr[-2000:]}")
    files = [p for p in out.rglob("*") if p.is_file()]
    return {
        "seconds": round(elapsed, 2),
        "files": len(files),
        "mb": round(sum(p.stat().st_size for p in files) / 1e6, 2),
        "languages": {lang: info.get("page_count") for lang, info in json.loads((out / "pagefind-entry.json").read_bytes())["languages"].items()},
    }


@functools.cache
def _quiet_handler(directory: str) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=directory, **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


QUERY_JS = """async (q) => {
  const t0 = performance.now();
  const pf = await import('./pagefind/pagefind.js');
  await pf.init();
  const r = await pf.search(q);
  const first = r.results.length ? await r.results[0].data() : null;
  return {results: r.results.length, ms: performance.now() - t0, first: first && first.url};
}"""


def measure_queries(site: Path, queries: tuple[str, ...] = DEFAULT_QUERIES, page: str = "index.html") -> list[dict[str, Any]]:
    """Each query in a fresh browser context (cold cache): results, ms to first result, KB fetched."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _quiet_handler(str(site.resolve())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for q in queries:
                context = browser.new_context()
                tab = context.new_page()
                tab.goto(base + page)
                fetched: list[int] = []
                tab.on("requestfinished", lambda r, fetched=fetched: fetched.append(r.sizes()["responseBodySize"] if "/pagefind/" in r.url else 0))
                result = tab.evaluate(QUERY_JS, q)
                tab.wait_for_timeout(200)
                rows.append({"query": q, **result, "kb": round(sum(fetched) / 1024, 1), "requests": sum(1 for n in fetched if n)})
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m banmian.pagefind_index SITE [QUERY …]", file=sys.stderr)
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
    for row in measure_queries(site, tuple(args[1:]) or DEFAULT_QUERIES):
        print(f"  {row['query']}: {row['results']} results, first {row['first']}, {row['ms']:.0f} ms, {row['kb']} KB in {row['requests']} requests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
