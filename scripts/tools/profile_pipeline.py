"""Measure and profile the page pipeline (``process_page``) in CPU time, apart from start-up.

The machine is shared, so wall time means little: this reports ``time.process_time`` per page
and, with ``--profile``, the top cProfile entries. ``--dump FILE`` writes one digest line per page
of the full ``PageResult`` repr, so a speed change can be proven output-neutral with ``diff``.

    python scripts/tools/profile_pipeline.py --source source_texts --repeat 3
    python scripts/tools/profile_pipeline.py --source /tmp/synth --profile --top 30
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("source_texts"), help="folder of page texts")
    parser.add_argument("--repeat", type=int, default=1, help="process every page this many times")
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries")
    parser.add_argument("--top", type=int, default=25, help="how many profile rows to print")
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative)")
    parser.add_argument("--dump", type=Path, help="write '<page key> <sha256 of repr(PageResult)>' lines here")
    args = parser.parse_args(argv)

    t0 = time.process_time()
    from banmian.pipeline import process_page
    from banmian.reader import read_pages

    read = read_pages(args.source)
    pages = read.pages
    # warm-up: lazy data loads (rules, gazetteer) belong to start-up, not to per-page work
    results = [process_page(pages[0])] if pages else []
    startup = time.process_time() - t0
    if not pages:
        print(f"{args.source}: no pages", file=sys.stderr)
        return 2

    profiler = cProfile.Profile() if args.profile else None
    t1 = time.process_time()
    if profiler:
        profiler.enable()
    for _ in range(args.repeat):
        results = [process_page(page) for page in pages]
    if profiler:
        profiler.disable()
    spent = time.process_time() - t1
    n = len(pages) * args.repeat
    print(f"start-up (imports, read, first page): {startup:.2f} s CPU")
    print(f"pipeline: {n} pages in {spent:.2f} s CPU = {n / spent:.1f} pages/s "
          f"({1000 * spent / n:.1f} ms/page){' (under cProfile)' if profiler else ''}")
    if args.dump:
        lines = [f"{r.page.key} {hashlib.sha256(repr(r).encode('utf-8')).hexdigest()}" for r in results]
        args.dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
