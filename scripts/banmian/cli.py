"""The ``banmian`` command: a thin layer over the stages; every decision lives in the modules."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import yaml
from tqdm import tqdm

from . import __version__

DEFAULT_SOURCE = Path("source_texts")
DEFAULT_DOCS = Path("docs")
DEFAULT_SITE = Path("site")
DEFAULT_BUNDLE = Path("dist/banmian-offline.zip")
#: Commands that write docs/, build/, site/ or dist/: one at a time per working tree (banmian.owned).
LOCKED = frozenset({"ingest", "site", "bundle", "build"})


def say(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Exit 0 when every file was ingested, 1 when anything was skipped (named above the summary),
    2 when the command could not run at all (no source folder, docs/ not writable), 3 when a
    conflict needs an editor (a hand-edited file the generator may not overwrite changed under
    it, or a hand-corrected item's text moved): named above, with the generator's version beside
    each file, so nothing is lost; builds and deploys stop on it."""
    from .emit import CONFLICT_SUFFIX, emit
    from .ingest_report import drop_duplicates, report_lines
    from .pipeline import process_page
    from .reader import InputError, read_pages

    source: Path = args.source
    if not source.is_dir():
        what = "不是文件夹 / is not a folder" if source.exists() else "源文件夹不存在 / source folder does not exist"
        say(f"{source}: {what}; give the folder of page texts with --source DIR")
        return 2
    read = read_pages(source)
    pages, duplicates = drop_duplicates(read.pages)
    results = []
    errors: list[InputError] = list(read.errors)
    for page in tqdm(pages, desc="分析版面 pages", unit="页", disable=None):
        try:
            results.append(process_page(page))
        except Exception as exc:  # one page's bug must not stop the batch; it is named and counted
            errors.append(InputError(page.path, f"内部错误，此版面未处理 / internal error, page not ingested: {type(exc).__name__}: {exc}; "
                                     "please report it with this file"))
    try:
        report = emit(results, args.docs)
    except OSError as exc:
        say(f"{exc.filename or args.docs}: 无法写入 / cannot write: {exc.strerror}; check that --docs names a writable folder")
        return 2
    except Exception as exc:  # e.g. an unreadable hand-edited file under docs/
        say(f"{args.docs}: 写入中断 / writing stopped: {type(exc).__name__}: {exc}; fix the file named and re-run (nothing is half-written)")
        return 2
    items = sum(len(r.items) for r in results)
    say(f"已处理 {len(results)} 个版面，{items} 个条目 / {len(results)} pages, {items} items")
    say(f"写入 {len(report.written)}，未变 {len(report.unchanged)} / written {len(report.written)}, unchanged {len(report.unchanged)}")
    for rel in report.kept_edited:
        say(f"{(args.docs / rel).as_posix()}: 人工校对过，保留不覆盖 / hand-edited, kept as it is")
    for line in report.messages(args.docs):
        say(line)
    for line in report_lines(results, report, duplicates):
        say(line)
    for err in errors:
        say(f"{err}")
    if report.conflicts:
        say(f"未解决的冲突 {len(report.conflicts)} 个（见上）/ {len(report.conflicts)} unresolved conflict(s), named above: "
            + ", ".join((args.docs / rel).as_posix() for rel in report.conflicts[:5]) + (" …" if len(report.conflicts) > 5 else "")
            + f"; merge each by hand (the generator's version is beside it as *{CONFLICT_SUFFIX}), then run banmian ingest again")
        return 3
    if errors:
        files = len({e.path for e in errors})
        say(f"跳过或有问题的文件 {files} 个，问题 {len(errors)} 处（见上）/ skipped: {len(errors)} problem(s) in {files} file(s), "
            "named above; the other pages were ingested")
        return 1
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .check import check_docs

    if not args.docs.is_dir():
        say(f"{args.docs}: 文章文件夹不存在 / docs folder does not exist; run 'banmian ingest' first or give --docs DIR")
        return 2
    source: Path | None = getattr(args, "source", None)
    if source is None and DEFAULT_SOURCE.is_dir():
        source = DEFAULT_SOURCE
    elif source is None:
        say(f"{DEFAULT_SOURCE}: 没有源文件夹，不检查版面记录的出处 / no source folder here: page records' sources not checked (give --source DIR)")
    elif not source.is_dir():
        say(f"{source}: 源文件夹不存在 / source folder does not exist; give the folder of page texts with --source DIR")
        return 2
    count, problems = check_docs(args.docs, source)
    for problem in problems:
        print(problem)
    if problems:
        say(f"{len(problems)} 个问题，共检查 {count} 个文件 / {len(problems)} problem(s) in {count} file(s)")
        return 1
    say(f"全部通过：{count} 个文件 / all {count} files valid")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from .docs_layout import LayoutError
    from .site import build_site

    if not args.docs.is_dir():
        say(f"{args.docs}: 文章文件夹不存在 / docs folder does not exist; run 'banmian ingest' first or give --docs DIR")
        return 2
    if not Path("mkdocs.yml").is_file():
        say(f"{Path.cwd() / 'mkdocs.yml'}: 缺少网站配置 / no mkdocs.yml here; run 'banmian site' from the edition's folder")
        return 2
    say("构建简体与繁体网站 / building both scripts …")
    try:
        report = build_site(args.docs, args.site, strict=getattr(args, "strict", False), full=getattr(args, "full", False),
                            sources=getattr(args, "source", DEFAULT_SOURCE))
    except LayoutError as exc:  # a name or page record the site must not be built from: file:line per problem
        say(f"{exc}\n网站未构建 / site not built: fix the files named above (banmian check lists them too)")
        return 1
    except (ValueError, yaml.YAMLError, UnicodeDecodeError) as exc:
        say(f"{args.docs}: 有文章文件无法读取 / an article file cannot be read ({exc}); run 'banmian check --docs {args.docs}' for file:line")
        return 1
    except RuntimeError as exc:  # a failed MkDocs build (its messages are above)
        say(str(exc))
        return 1
    how = "全部重新生成 / full build" if any(report["full"].values()) else "仅更新有变化的页面 / changed pages only"
    search = f"{report['search_files']} 个索引文件更新 / index files updated"
    say(f"网站已写入 / site written: {args.site}/index.html, {args.site}/zh-Hant/index.html ({how}; 检索 search: {search}; {report['total_s']} s)")
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    from .bundle import BundleError, make_bundle

    try:
        out = make_bundle(args.site, args.out)
    except (FileNotFoundError, BundleError) as exc:
        say(str(exc))
        return 2
    say(f"离线包 / offline bundle: {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    ns = argparse.Namespace(source=DEFAULT_SOURCE, docs=DEFAULT_DOCS, site=DEFAULT_SITE, out=DEFAULT_BUNDLE)
    status = cmd_ingest(ns)
    if status in (2, 3):  # could not run, or conflicts: no site that would publish a text twice
        return status
    for step in (cmd_check, cmd_site, cmd_bundle):
        code = step(ns)
        if code:
            return code
    return status


def cmd_scan(args: argparse.Namespace) -> int:
    """Exit 0 when no page of the built site or zip could run script, 1 with findings, 2 when
    there is nothing to scan."""
    from .scan import scan

    try:
        count, findings = scan(args.paths)
    except FileNotFoundError as exc:
        say(str(exc))
        return 2
    for finding in findings:
        print(finding)
    if findings:
        say(f"{len(findings)} 处可执行的内容，共 {count} 页 / {len(findings)} finding(s) that could run script in {count} page(s)")
        return 1
    say(f"未发现可执行的内容：{count} 页 / nothing that runs script in {count} page(s)")
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    """Exit 0 when every internal link of the built site ends at a file, 1 with the broken ones
    (``page:line``), 2 when there is no built site."""
    from .bundle import BUNDLE_FILE
    from .links import SiteFiles, check, published_path

    if not (args.site / "index.html").is_file():
        say(f"{args.site}/index.html: 没有已构建的网站 / no built site here; run 'banmian site' first")
        return 2
    files = SiteFiles(args.site)
    problems = check(files, offline=False, skip=(BUNDLE_FILE,), base=published_path(files["index.html"]))
    for problem in problems[:500]:
        print(problem)
    pages = sum(1 for name in files if name.endswith(".html"))
    if problems:
        say(f"{len(problems)} 个站内链接无效，共 {pages} 页 / {len(problems)} broken internal link(s) in {pages} page(s)")
        return 1
    say(f"站内链接全部有效：{pages} 页 / every internal link resolves in {pages} page(s)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from .owned import tree_lock
    from .site import stage, write_config

    root = Path.cwd()
    stage_root = root / "build" / "stage"
    with tree_lock(root, "serve"):  # staging writes build/stage, as 'banmian site' does
        stage(args.docs, stage_root)
    cfg = write_config(root, stage_root, "zh-Hans")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "-f", str(cfg), "-a", args.addr], env=env)


def cmd_explain(args: argparse.Namespace) -> int:
    from .explain import explain_file

    return explain_file(args.page)


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import main as bench_main

    return bench_main(args)


def cmd_eval(args: argparse.Namespace) -> int:
    """Typeset each corpus (dev and held-out halves) and print the pipeline's scores as a table."""
    from .evaluate import columns_for, evaluate, table
    from .typeset import LAYOUTS, CorpusError, reprinted

    layouts = [s.strip() for s in args.styles.split(",") if s.strip()] if args.styles else list(LAYOUTS)
    bad = [s for s in layouts if s not in LAYOUTS]
    if bad:
        say(f"--styles: 未知版式 / unknown style {', '.join(bad)}; choose from {', '.join(LAYOUTS)}")
        return 2
    columns = []
    for corpus in args.corpus:
        if not corpus.is_file():
            say(f"{corpus}: 语料文件不存在 / corpus file not found (JSON Lines, one article a line)")
            return 2
        try:
            halves = columns_for(corpus, split=not args.whole)
        except (CorpusError, UnicodeDecodeError) as exc:
            say(str(exc))
            return 2
        for name, rows in halves:
            if args.traditional or args.full_width or args.no_blank_lines:
                name = f"{name} ({'繁' if args.traditional else ''}{'全角' if args.full_width else ''}{'无空行' if args.no_blank_lines else ''})"
                rows = reprinted(rows, args.traditional, args.full_width)
            write = args.write / name.replace(" ", "-") if args.write else None
            score = evaluate(rows, seed=args.seed, layouts=layouts, write=write, no_blank_lines=args.no_blank_lines)
            columns.append((name, score))
            if args.misses:
                for miss in score.misses:
                    print(f"[{name}] {miss}")
    print(table(columns))
    return 0


def _item_range(text: str) -> tuple[int, int]:
    try:
        lo, hi = (int(x) for x in text.split("-", 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give a range such as 2-6") from None
    if not 1 <= lo <= hi:
        raise argparse.ArgumentTypeError(f"{text!r}: need 1 <= LO <= HI")
    return lo, hi


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="banmian",
        description="版面：把 OCR 报纸版面文本变成可检索的简繁双版数字版。\n"
        "banmian: turn OCR'd Chinese newspaper pages into a searchable digital edition.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"banmian {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="源文本 → docs/ 文章 Markdown / page texts → article Markdown")
    s.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of page texts, searched recursively (default: source_texts)")
    s.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="where article files go (default: docs)")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("site", help="构建简繁两个网站 / build both scripts' sites")
    s.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    s.add_argument("--site", type=Path, default=DEFAULT_SITE, help="simplified at its root, traditional under zh-Hant/ (default: site)")
    s.add_argument("--strict", action="store_true", help="MkDocs warnings fail the build (used on pull requests)")
    s.add_argument("--full", action="store_true", help="render every page again (by default only pages whose content changed)")
    s.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                   help="folder of page texts: raw-source views are read only from files inside it (default: source_texts)")
    s.set_defaults(func=cmd_site)

    s = sub.add_parser("bundle", help="离线包 zip / the offline zip of a built site")
    s.add_argument("--site", type=Path, default=DEFAULT_SITE)
    s.add_argument("--out", type=Path, default=DEFAULT_BUNDLE)
    s.set_defaults(func=cmd_bundle)

    s = sub.add_parser("build", help="ingest + check + site + bundle, with the default folders")
    s.set_defaults(func=cmd_build)

    s = sub.add_parser("check", help="校验文章文件 / validate every article file")
    s.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    s.add_argument("--source", type=Path, default=None,
                   help="folder of page texts every page folder must come from (default: source_texts, when it exists)")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("scan", help="检查网站中可执行的内容 / scan built pages for anything that runs script")
    s.add_argument("paths", type=Path, nargs="*", default=[DEFAULT_SITE], help="site folders or offline zips (default: site)")
    s.set_defaults(func=cmd_scan)

    s = sub.add_parser("links", help="检查站内链接 / check that every internal link of a built site ends at a file")
    s.add_argument("site", type=Path, nargs="?", default=DEFAULT_SITE, help="a built site folder (default: site)")
    s.set_defaults(func=cmd_links)

    s = sub.add_parser("serve", help="本地预览 / live preview of the simplified site")
    s.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    s.add_argument("--addr", default="127.0.0.1:8000")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("explain", help="列出清理规则的每一处修改 / show every automatic fix on a page")
    s.add_argument("page", type=Path)
    s.set_defaults(func=cmd_explain)
    s = sub.add_parser("eval", help="在排版的语料版面上评测切分 / score the pipeline on pages typeset from a corpus")
    s.add_argument("corpus", type=Path, nargs="+", help="JSON Lines corpus (the shared corpus's format)")
    s.add_argument("--styles", default=None, help="layouts to typeset, comma-separated: narrow,medium,wide (default: all)")
    s.add_argument("--seed", type=int, default=0, help="typesetting seed (same seed, same pages)")
    s.add_argument("--whole", action="store_true", help="score each corpus whole instead of its dev and held-out halves")
    s.add_argument("--write", type=Path, default=None, metavar="DIR", help="also write the typeset pages and their key.json here")
    s.add_argument("--misses", action="store_true", help="print every miss before the table")
    s.add_argument("--traditional", action="store_true",
                   help="print the corpus in traditional script (OpenCC s2t, answer key too), as a Hong Kong, Taiwan or 1940s paper would")
    s.add_argument("--full-width", action="store_true", help="print the corpus's digits full-width (２０２６年), as many papers' OCR gives them")
    s.add_argument("--no-blank-lines", action="store_true", help="take every blank line out of the typeset pages (OCR output that runs everything on)")
    s.set_defaults(func=cmd_eval)
    s = sub.add_parser("bench", help="性能基准 / benchmark on a synthetic archive")
    s.add_argument("--pages", type=int, default=1000, help="synthetic pages to generate (default 1000)")
    s.add_argument("--work", type=Path, default=Path("build/bench"),
                   help="scratch folder, made by bench and emptied on every run (a non-empty folder bench did not make is refused)")
    s.add_argument("--items", type=_item_range, default=None, metavar="LO-HI",
                   help="items per synthetic page (default 2-6: the issue's 1,000 pages ≈ 3,000 articles; the seeds print 6-14)")
    s.add_argument("--no-search", action="store_true", help="skip the search queries in Chromium (offline, file://)")
    s.add_argument("--search-only", action="store_true",
                   help="build the site once and measure only the search in Chromium from file:// (latency, loaded files, memory)")
    s.add_argument("--images", type=int, default=0, metavar="K",
                   help="also typeset K of the pages as images with OCR boxes and report the image processing time per page (default 0: none)")
    s.add_argument("--add", type=int, default=100, metavar="N",
                   help="then add N more pages, as an editor adds a month of pages, and time ingest and rebuild (default 100; 0: skip)")
    s.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # a message must never fail to print
    args = parser().parse_args(argv)
    from .owned import OutputRefused, tree_lock

    try:
        if args.command in LOCKED:
            with tree_lock(Path.cwd(), args.command):
                return int(args.func(args))
        return int(args.func(args))
    except OutputRefused as exc:  # an output folder the tool does not own, or another run holds the lock
        say(str(exc))
        return 2
    except KeyboardInterrupt:
        say("已中断 / interrupted; files already written are complete, re-run to finish")
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
