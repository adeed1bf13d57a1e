"""Synthetic archives in the seeds' styles, for size and scale measurements.

A synthetic page is a deterministic mix of whole items (headline, body, byline, captions) cut
from the seed pages along the line ranges ingest finds, so the text keeps the seeds' real OCR
traits: narrow-column line breaks, stray spaces, half-width punctuation, bylines, captions.
Years are shifted per page so a large archive spreads over many years and months, as a real
one does. Never use this output as content: it exists to measure the site and the pipeline.
"""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "source_texts"
YEAR = re.compile(r"(?<!\d)(20[0-2]\d)(?=\s*年)")


@cache
def _fragments(source: Path) -> tuple[tuple[str, ...], ...]:
    """Raw line runs of every item ingest recovers from the seed pages, in a stable order."""
    from .pipeline import process_page
    from .reader import read_pages

    read = read_pages(source)
    if not read.pages:
        raise FileNotFoundError(f"{source}: 没有可用的种子版面 / no seed page texts (*.txt) to build synthetic pages from")
    out: list[tuple[str, ...]] = []
    for page in read.pages:
        for item in process_page(page).items:
            if item.first_line and item.last_line >= item.first_line:
                lines = page.lines[item.first_line - 1 : item.last_line]
                if any(line.strip() for line in lines):
                    out.append(tuple(lines))
    return tuple(out)


def page_text(rng: random.Random, fragments: tuple[tuple[str, ...], ...], items: int, year_shift: int) -> str:
    chosen = rng.sample(range(len(fragments)), k=min(items, len(fragments)))
    blocks = ["\n".join(fragments[i]).strip("\n") for i in chosen]
    text = "\n\n".join(blocks) + "\n"
    return YEAR.sub(lambda m: str(int(m.group(1)) + year_shift), text)


#: Items per page. The issue "Scale" sizes its targets as 1,000 pages ≈ 3,000 articles; on the
#: seeds' mix (three items in four are articles) 2–6 items a page gives that. The seed pages
#: themselves are denser (about 10 items): ``items=SEED_DENSITY`` reproduces them.
ISSUE_DENSITY = (2, 6)
SEED_DENSITY = (6, 14)


def generate(n_pages: int, out_dir: Path, seed: int = 0, source: Path | None = None, items: tuple[int, int] = ISSUE_DENSITY) -> list[Path]:
    """Write ``n_pages`` page texts to ``out_dir`` (``synth_00001.txt`` …); same seed, same files."""
    fragments = _fragments((source or DEFAULT_SOURCE).resolve())
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, n_pages + 1):
        text = page_text(rng, fragments, rng.randint(*items), rng.randint(-6, 2))
        path = out_dir / f"synth_{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """``python -m banmian.synth N OUT [SEED] [--seed-density]``: a quick way to make a test archive."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    items = SEED_DENSITY if "--seed-density" in args else ISSUE_DENSITY
    args = [a for a in args if a != "--seed-density"]
    if len(args) not in (2, 3):
        print("usage: python -m banmian.synth N_PAGES OUT_DIR [SEED] [--seed-density]", file=sys.stderr)
        return 2
    paths = generate(int(args[0]), Path(args[1]), int(args[2]) if len(args) == 3 else 0, items=items)
    print(f"{len(paths)} pages → {args[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
