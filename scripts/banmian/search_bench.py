"""Search as a reader meets it, measured in Chromium from file:// with the network off.

For ``banmian bench``: each query is typed into a fresh browser context's search page (no cache),
and the time from the last key release to the first result on screen is taken in the page
(``performance.now()``), with the index files the query loaded (count and size on disk) and the
page's JavaScript memory afterwards (CDP ``Performance.getMetrics`` ``JSHeapUsedSize``; Chromium's
``performance.memory`` with precise figures). The site folder is what the offline zip holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .search_index import OUTPUT_SUBDIR

CHROMIUM = "/usr/bin/chromium"
DEFAULT_QUERIES = ("熊建国", "无梁镇", "2.04亿元", "B超", "计划生育", "西集鎮")

_WATCH = """() => {
  const box = document.querySelector('.bm-s-input');
  window.__bmT0 = null; window.__bmT1 = null;
  box.addEventListener('keyup', () => { window.__bmT0 = performance.now(); window.__bmT1 = null; }, true);
  new MutationObserver(() => {
    if (window.__bmT0 !== null && window.__bmT1 === null && document.querySelector('.bm-s-hit, .bm-s-status'))
      if (document.querySelector('.bm-s-hit') || /没有|沒有/.test(document.querySelector('.bm-s-status').textContent))
        window.__bmT1 = performance.now();
  }).observe(document.getElementById('bm-search-app'), {childList: true, subtree: true, characterData: true});
}"""


def measure_offline(site: Path, queries: tuple[str, ...] = DEFAULT_QUERIES) -> dict[str, Any]:
    """Per query: results, first-result latency, index files loaded, JS heap (MB)."""
    if not Path(CHROMIUM).exists():
        return {"skipped": f"no {CHROMIUM}"}
    from playwright.sync_api import sync_playwright

    page_url = (site / "search.html").resolve().as_uri()
    out: list[dict[str, Any]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                                     "--enable-precise-memory-info"])
        try:
            for q in queries:
                ctx = browser.new_context(locale="zh-CN")
                ctx.set_offline(True)
                ctx.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
                loaded: list[str] = []
                ctx.on("request", lambda r: loaded.append(r.url))  # noqa: B023 - this context's list, used before the next one
                page = ctx.new_page()
                page.goto(page_url)
                page.evaluate(_WATCH)
                box = page.locator(".bm-s-input")
                box.fill(q)
                box.press("End")
                page.wait_for_function("() => window.__bmT1 !== null", timeout=120_000)
                ms = page.evaluate("() => window.__bmT1 - window.__bmT0")
                page.wait_for_function("() => ['done', 'failed'].includes(document.getElementById('bm-search-app').dataset.state)", timeout=120_000)
                cdp = ctx.new_cdp_session(page)
                cdp.send("Performance.enable")
                metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
                heap = page.evaluate("() => performance.memory ? performance.memory.usedJSHeapSize : null")
                files = [Path(unquote(urlsplit(u).path)) for u in loaded if f"/{OUTPUT_SUBDIR}/" in u]
                out.append({
                    "query": q,
                    "results": int(page.get_attribute("#bm-search-app", "data-count") or 0),
                    "first_result_ms": round(ms),
                    "index_files": len(files),
                    "index_kb": round(sum(f.stat().st_size for f in files if f.is_file()) / 1024, 1),
                    "js_heap_mb": round(metrics.get("JSHeapUsedSize", 0) / 1e6, 1),
                    "performance_memory_mb": round(heap / 1e6, 1) if heap else None,
                })
                ctx.close()
        finally:
            browser.close()
    index_files = list((site / OUTPUT_SUBDIR).rglob("*.js"))
    return {"queries": out, "index_files": len(index_files), "index_mb": round(sum(f.stat().st_size for f in index_files) / 1e6, 2)}


def report_lines(result: dict[str, Any]) -> list[str]:
    if "queries" not in result:
        return [f"offline search         {result.get('skipped')}"]
    lines = [f"offline search         file://, network off: index {result['index_files']} files, {result['index_mb']} MB (one for both scripts)"]
    for q in result["queries"]:
        lines.append(f"  query {q['query']}: {q['results']} results, first shown {q['first_result_ms']} ms after the last key; "
                     f"{q['index_files']} index files ({q['index_kb']} KB) loaded; JS heap {q['js_heap_mb']} MB")
    return lines
