"""Benchmark: synthetic archive → ingest → both site builds, against a plain MkDocs floor.

``banmian bench --pages N --work DIR`` measures, in one run and on the same generated text:
ingest (pipeline work per page on one core, start-up reported apart), the two-script site build,
the floor (the same article Markdown built once with plain MkDocs + Material, search on, articles
out of the navigation), the ratio between them, article HTML sizes, the search index per script
and the offline zip. Numbers go to stdout and to DIR/bench.json. Timings on a shared machine are
noisy: run it more than once before quoting a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from .bundle import make_bundle
from .limits import limit
from .model import FrontMatter
from .owned import claim


def _timed(fn, *args, **kwargs) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def startup_seconds() -> float:
    """A fresh interpreter importing what ``banmian ingest`` imports, minus doing any work."""
    code = "import banmian.cli, banmian.reader, banmian.pipeline, banmian.emit"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, timeout=limit("mkdocs_timeout_s"))
    return time.perf_counter() - start


def run_ingest(source: Path, docs: Path) -> dict[str, Any]:
    from .emit import emit
    from .pipeline import process_page
    from .reader import read_pages

    # cited as "source/…": page records name their text relative to the edition's root (the work folder), as ingest does
    read, t_read = _timed(read_pages, source, source.name)
    if read.errors:
        raise RuntimeError(f"{source}: synthetic pages failed to read: {read.errors[:3]}")
    if not read.pages:
        raise RuntimeError(f"{source}: no synthetic pages were generated")
    # the first page pays for loading data files and lazy imports: start-up, reported apart
    first, t_first = _timed(process_page, read.pages[0])
    start = time.perf_counter()
    results = [first] + [process_page(page) for page in read.pages[1:]]
    t_pipeline = time.perf_counter() - start
    _, t_emit = _timed(emit, results, docs)
    n = len(read.pages)
    rest = read.pages[1:]
    kb = sum(len("\n".join(p.lines).encode("utf-8")) for p in rest) / 1024
    articles = sum(1 for r in results[1:] for item in r.items if item.type == "article")
    return {
        "pages": n,
        "items": sum(len(r.items) for r in results),
        "articles": sum(1 for r in results for item in r.items if item.type == "article"),
        "read_s": round(t_read, 3),
        "first_page_s": round(t_first, 3),
        "pipeline_s": round(t_pipeline, 3),
        "emit_s": round(t_emit, 3),
        "pipeline_pages_per_s": round((n - 1) / t_pipeline, 1) if n > 1 and t_pipeline else None,
        "pipeline_articles_per_s": round(articles / t_pipeline, 1) if n > 1 and t_pipeline else None,
        "pipeline_kb_per_s": round(kb / t_pipeline, 1) if n > 1 and t_pipeline else None,
        "page_kb_mean": round(kb / len(rest), 1) if rest else None,
        "ingest_pages_per_s": round(n / (t_read + t_first + t_pipeline + t_emit), 1),
    }


def floor_config(root: Path, work: Path) -> Path:
    """Plain MkDocs + Material for one script: the edition's search settings, nothing of ours."""
    from .site import site_config

    plugins = site_config(root).get("plugins") or {}
    if isinstance(plugins, list):  # MkDocs takes plugins as a list or a mapping
        plugins = {k: v for p in plugins for k, v in (p.items() if isinstance(p, dict) else [(p, {})])}
    search = {"search": plugins.get("search") or {"lang": "zh"}}
    cfg = {
        "site_name": "floor",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [search],
        "nav": [{"首页": "index.md"}],
        "not_in_nav": "/*/*.md\n",
        "validation": {"nav": {"omitted_files": "info"}, "links": {"not_found": "info"}},
    }
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run_floor(root: Path, docs: Path, work: Path) -> float:
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(docs, work / "docs")
    (work / "docs" / "index.md").write_text("# floor\n", encoding="utf-8")
    cfg = floor_config(root, work)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg)], check=True, env=env, cwd=work, timeout=limit("mkdocs_timeout_s"))
    return time.perf_counter() - start


def touch_one_article(docs: Path) -> Path:
    """Stand-in for a proofreader's fix: one more sentence at the end of the first article."""
    first = next(p for p in sorted(docs.rglob("a*.md")) if p.parent != docs)
    first.write_text(first.read_text(encoding="utf-8") + "\n校对补记。\n", encoding="utf-8")
    return first


def article_html(docs: Path, site: Path) -> list[Path]:
    """The built HTML of every article file of docs/, in both scripts (index pages excluded)."""
    from .emit import split_file

    out = []
    for md in sorted(docs.rglob("*.md")):
        rel = md.relative_to(docs)
        meta, _ = split_file(md.read_text(encoding="utf-8"))
        if meta.get("type") != "article":
            continue
        for base in (site, site / "zh-Hant"):
            html = base / rel.with_suffix(".html")
            if html.is_file():
                out.append(html)
    return out


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from . import search_index
    from .site import build_site
    from .synth import ISSUE_DENSITY, generate

    root = Path.cwd()
    if not (root / "mkdocs.yml").is_file():
        raise FileNotFoundError(f"{root}/mkdocs.yml: run 'banmian bench' from the edition's folder")
    work: Path = args.work.resolve()
    # bench's own scratch folder: new, empty, or marked by an earlier bench run, and only then emptied
    claim(args.work, root, "--work", example="build/bench")
    shutil.rmtree(work)
    claim(args.work, root, "--work", example="build/bench")
    source, docs, site, stage = work / "source", work / "docs", work / "site", work / "stage"
    items = tuple(getattr(args, "items", None) or ISSUE_DENSITY)
    _, t_gen = _timed(generate, args.pages, source, seed=0, items=items)
    report: dict[str, Any] = {"n_pages": args.pages, "items_per_page": list(items), "generate_s": round(t_gen, 2)}
    report["startup_s"] = round(startup_seconds(), 2)
    report["ingest"] = run_ingest(source, docs)
    # the edition's own build reads mkdocs.yml from the folder it runs in: a copy keeps runs apart
    shutil.copy(root / "mkdocs.yml", work / "mkdocs.yml")
    cold, t_site = _timed(build_site, docs, site, root=work, stage_root=stage, sources=source, full=True)
    if getattr(args, "search_only", False):  # the search as readers meet it, at this size: nothing else
        from .search_bench import measure_offline

        report["site_cold"] = {**cold, "wall_s": round(t_site, 2)}
        report["offline_search"] = measure_offline(site)
        return report
    t_floor = run_floor(root, docs, work / "floor")
    report["site_cold"] = {**cold, "wall_s": round(t_site, 2)}
    report["site_both_scripts_s"] = round(t_site, 2)
    report["floor_one_script_s"] = round(t_floor, 2)
    report["ratio"] = round(t_site / t_floor, 2)
    # everything rendered again, with the segmentation and conversion caches of the first build
    warm, t_warm = _timed(build_site, docs, site, root=work, stage_root=stage, sources=source, full=True)
    report["site_warm_full_s"] = round(t_warm, 2)
    report["site_warm_full"] = warm
    # a change of configuration or theme: every page rendered again (the build's fingerprint
    # changed), the text the same
    edition_cfg = work / "mkdocs.yml"
    edition_cfg.write_text(edition_cfg.read_text(encoding="utf-8") + "\n# bench: the configuration changed\n", encoding="utf-8")
    conf, t_conf = _timed(build_site, docs, site, root=work, stage_root=stage, sources=source)
    report["site_config_change_s"] = round(t_conf, 2)
    report["site_config_change"] = conf
    report["ratio_config_change"] = round(t_conf / t_floor, 2)
    report["ratio_warm"] = round(t_warm / t_floor, 2)
    noop, t_noop = _timed(build_site, docs, site, root=work, stage_root=stage, sources=source)
    report["site_rebuild_nothing_changed_s"] = round(t_noop, 2)
    report["site_rebuild_nothing_changed"] = noop
    touch_one_article(docs)
    again, t_again = _timed(build_site, docs, site, root=work, stage_root=stage, sources=source)
    report["site_rebuild_one_edit_s"] = round(t_again, 2)
    report["site_rebuild_one_edit"] = again
    sizes = sorted(p.stat().st_size for p in article_html(docs, site))
    all_html = sorted((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html"))
    report["articles_html"] = {
        "files": len(sizes),
        "largest_kb": round(sizes[-1] / 1024, 1) if sizes else None,
        "median_kb": round(statistics.median(sizes) / 1024, 1) if sizes else None,
        "largest_any_page": {"kb": round(all_html[-1][0] / 1024, 1), "path": all_html[-1][1]} if all_html else None,
    }
    index_files = [p for p in (site / search_index.OUTPUT_SUBDIR).rglob("*") if p.is_file()]
    report["search_index"] = {"files": len(index_files), "mb": round(sum(p.stat().st_size for p in index_files) / 1e6, 2)}
    report["site_mb"] = round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6, 1)
    zip_path, t_zip = _timed(make_bundle, site, work / "dist" / "banmian-offline.zip")
    report["offline_zip_mb"] = round(zip_path.stat().st_size / 1e6, 2)
    report["bundle_s"] = round(t_zip, 2)
    if not getattr(args, "no_search", False):
        from .search_bench import measure_offline

        report["offline_search"] = measure_offline(site)
    added = getattr(args, "add", 0) or 0
    if added:  # an editor's month: more pages dropped into the source folder, then the usual commands
        generate(args.pages + added, source, seed=0, items=items)  # the same seed: the first pages are unchanged
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        cmd = [sys.executable, "-m", "banmian", "ingest", "--source", source.name, "--docs", docs.name]  # run in the work folder
        _, t_add = _timed(subprocess.run, cmd, check=True, env=env, cwd=work, capture_output=True, timeout=limit("mkdocs_timeout_s"))
        month, t_month = _timed(build_site, docs, site, root=work, stage_root=stage, sources=source)
        report["add_pages"] = {"pages": added, "articles": month["articles"] - report["site_cold"]["articles"], "ingest_s": round(t_add, 2),
                               "site_s": round(t_month, 2), "site": month}
    images = getattr(args, "images", 0) or 0
    if images:  # pages with a page image and OCR coordinates, apart from the text-only archive above
        report["images"] = measure_images(images, source, work / "images")
    report["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if hasattr(os, "getloadavg"):
        report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def measure_images(count: int, source: Path, work: Path) -> dict[str, Any]:
    """Pages with images: ``count`` synthetic pages typeset as column images (``page_image``)
    with PaddleOCR-style JSON of their line boxes (sorted by height); per page, the time to ingest
    them (read the OCR file, rebuild the reading order, the pipeline) and, at build time, to make
    the scaled page image and the zone crops (``facsimile_site``). Typesetting is not counted."""
    from .emit import article_path, facsimile_record
    from .facsimile_site import staged_images
    from .page_image import typeset
    from .pipeline import process_page
    from .reader import read_pages

    src = work / "source_texts"
    src.mkdir(parents=True, exist_ok=True)
    texts = sorted(source.rglob("*.txt"))[:count]
    start = time.perf_counter()
    for path in texts:
        image, placed = typeset(path.read_text(encoding="utf-8").split("\n"), columns=5)
        image.save(src / f"{path.stem}.png")
        lines = sorted(placed.lines, key=lambda t: (t[1][1], t[1][0]))
        boxes = [{"text": t, "box": [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]]} for t, b, _ in lines]
        (src / f"{path.stem}.json").write_text(json.dumps(boxes, ensure_ascii=False), encoding="utf-8")
    t_typeset = time.perf_counter() - start
    read, t_read = _timed(read_pages, src, "source_texts")
    if read.errors:
        raise RuntimeError(f"{src}: typeset pages failed to read: {read.errors[:3]}")
    results, t_pipe = _timed(lambda: [process_page(page) for page in read.pages])
    start = time.perf_counter()
    made = 0
    for result in results:
        fac = result.page.facsimile
        record = {"facsimile": facsimile_record(fac)} if fac else {}
        items = [(article_path(item), FrontMatter(zones=item.zones)) for item in result.items]
        for _, make in staged_images(work, result.page.key, record, items).values():
            made += len(make())
    t_images = time.perf_counter() - start
    n = max(1, len(results))
    return {"pages": len(results), "typeset_s_per_page": round(t_typeset / n, 3), "ingest_s_per_page": round((t_read + t_pipe) / n, 3),
            "images_s_per_page": round(t_images / n, 3), "images_mb": round(made / 1e6, 2)}


def _parts(build: dict[str, Any] | None) -> str:
    """Where a build's time went: staging (with the search index), MkDocs."""
    if not isinstance(build, dict):
        return ""
    return f" (staging and search index {build.get('stage_s')} s, MkDocs {build.get('mkdocs_s')} s)"


def print_report(r: dict[str, Any]) -> None:
    ing = r["ingest"]
    if "ratio" not in r:  # --search-only
        from .search_bench import report_lines

        print(f"synthetic pages        {r['n_pages']} pages, {ing['items']} items, {ing['articles']} articles; site built in "
              f"{r['site_cold']['wall_s']} s{_parts(r['site_cold'])}")
        print("\n".join(report_lines(r["offline_search"])))
        return
    cold = r.get("site_cold", {})
    lines = [
        f"synthetic pages        {r['n_pages']} pages ({r['items_per_page'][0]}–{r['items_per_page'][1]} items each), "
        f"{ing['items']} items, {ing['articles']} articles, mean page {ing['page_kb_mean']} KB (generated in {r['generate_s']} s)",
        f"start-up               {r['startup_s']} s (fresh interpreter, imports only) + {ing['first_page_s']} s first page (data loading)",
        f"ingest                 {ing['pipeline_pages_per_s']} pages/s pipeline work on one core "
        f"({ing['pipeline_articles_per_s']} articles/s, {ing['pipeline_kb_per_s']} KB/s); "
        f"{ing['ingest_pages_per_s']} pages/s with reading and writing (emit {ing['emit_s']} s)",
        f"site, both scripts     {r['site_both_scripts_s']} s cold{_parts(cold)}; MkDocs ×2 run in parallel",
        f"floor, one script      {r['floor_one_script_s']} s (plain MkDocs + Material, search on)",
        f"ratio                  {r['ratio']}× the floor cold; {r['ratio_warm']}× with the caches of a previous build "
        f"(full re-render {r['site_warm_full_s']} s{_parts(r.get('site_warm_full'))})",
        f"config change          {r['site_config_change_s']} s, every page rendered again{_parts(r.get('site_config_change'))}: "
        f"{r['ratio_config_change']}× the floor",
        f"rebuild                {r['site_rebuild_one_edit_s']} s after correcting one article{_parts(r.get('site_rebuild_one_edit'))}; "
        f"{r['site_rebuild_nothing_changed_s']} s when nothing changed{_parts(r.get('site_rebuild_nothing_changed'))}",
        f"article HTML           largest {r['articles_html']['largest_kb']} KB, median {r['articles_html']['median_kb']} KB "
        f"({r['articles_html']['files']} files, both scripts); largest page of any kind "
        f"{(r['articles_html'].get('largest_any_page') or {}).get('kb')} KB",
        f"search index           {r['search_index']['files']} files, {r['search_index']['mb']} MB (both scripts, hosted and offline)",
        f"site on disk           {r['site_mb']} MB",
        f"offline zip            {r['offline_zip_mb']} MB ({r['bundle_s']} s)",
    ]
    if r.get("offline_search"):
        from .search_bench import report_lines

        lines += report_lines(r["offline_search"])
    add = r.get("add_pages")
    if add:
        lines.append(f"new pages              +{add['pages']} pages ({add['articles']} articles): `banmian ingest` {add['ingest_s']} s, "
                     f"site rebuild {add['site_s']} s{_parts(add.get('site'))}")
    img = r.get("images")
    if img:
        lines.append(f"page images            {img['pages']} pages with images and OCR boxes: ingest {img['ingest_s_per_page']} s/page "
                     f"(reading order + pipeline), page image and zone crops {img['images_s_per_page']} s/page at build time "
                     f"({img['images_mb']} MB); typesetting them {img['typeset_s_per_page']} s/page, not counted")
    lines.append(f"machine                {r['machine']}; load average at the end {r.get('load_average_at_end')}")
    print("\n".join(lines))


def main(args: argparse.Namespace) -> int:
    try:
        report = measure(args)
    except (FileNotFoundError, RuntimeError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    print_report(report)
    out = args.work / "bench.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"→ {out}")
    return 0
