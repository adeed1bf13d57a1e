"""Developer tool: how long resolving regions takes and what it decides, page by page.

``python -m banmian.region_report [SOURCE_DIR]`` (default ``source_texts``). Kept out of
``banmian.region`` so that the domain module does not import the pipeline that imports it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .pipeline import process_page
from .reader import read_pages
from .region import NO_REGION_FLAG, assign_regions, gazetteer


def main(argv: list[str] | None = None) -> int:
    """Benchmark and inspect: ``python -m banmian.region_report [SOURCE_DIR]`` prints load time, time per page and each article's region."""
    args = sys.argv[1:] if argv is None else argv
    start = time.process_time()
    gz = gazetteer()
    print(f"gazetteer: {len(gz.names)} units, {len(gz.forms)} printed forms, loaded in {time.process_time() - start:.3f} s CPU")
    pages = read_pages(Path(args[0] if args else "source_texts"), display_root=args[0] if args else "source_texts")
    for page in pages.pages:
        result = process_page(page)
        start = time.process_time()
        for _ in range(20):
            assign_regions(result)
        per_page = (time.process_time() - start) / 20 * 1000
        print(f"{page.path}: assign_regions {per_page:.2f} ms CPU")
        for item in result.items:
            if item.type == "article":
                got = item.region.label if item.region else "—"
                print(f"  {item.title[:24]}  →  {got}" + ("  [no_region_decided]" if NO_REGION_FLAG in item.flags else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
