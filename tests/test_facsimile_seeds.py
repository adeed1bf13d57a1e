"""Acceptance: seed pages typeset as images and OCR'd with Tesseract (hOCR, ALTO) and their
PaddleOCR-style JSON (lines sorted by height, some glued) ingest to the same articles as the
text pages.

Measured against the seeds' key (tests/expected/*.yml) and the text pages' own articles:
- titles: a key title counts when an article of the OCR'd page carries it, allowing for
  Tesseract's misread characters (similarity ≥ 0.8 after removing spaces);
- boundaries: an article of the text page counts once for its start and once for its end when
  one article of the OCR'd page starts with its first words (similarity ≥ 0.7 over 12
  characters) and ends with its last words (the same, within the last 30 characters: a closing
  byline misread by the OCR stays in the text, which does not move the boundary);
- no article mixes two columns' lines: within an article, reading never goes back to a column
  on the left unless it continues further down the page (the next story).
Both ratios must reach 90 % over the five seeds, per input format.
"""

from __future__ import annotations

import difflib
import itertools
import re
import shutil

import pytest

from ocr_material import have_tesseract, seed_page_material, seed_truth
from test_seeds import EXPECTED, expected

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not have_tesseract(), reason="Tesseract with chi_sim is not installed (tesseract-ocr, tesseract-ocr-chi-sim)"),
]
STEMS = [p.stem for p in EXPECTED]
FORMATS = {"hocr": ".hocr", "alto": ".xml", "paddle": ".json"}


def norm(text: str | None) -> str:
    return re.sub(r"[\s#]", "", text or "")


def similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@pytest.fixture(scope="session")
def material(request, tmp_path_factory):
    pytest.importorskip("PIL")
    # pytest's cache keeps the OCR between runs; with -p no:cacheprovider the pages are made again
    cache = request.config.cache.mkdir("banmian-ocr-seeds") if hasattr(request.config, "cache") else tmp_path_factory.mktemp("banmian-ocr-seeds")
    return {stem: seed_page_material(stem, cache) for stem in STEMS}


def ingest(folder, stem, suffix, tmp_path):
    from banmian.pipeline import process_page
    from banmian.reader import read_pages

    src = tmp_path / "source_texts"
    src.mkdir(exist_ok=True)
    for old in src.iterdir():
        old.unlink()
    shutil.copy(folder / f"{stem}{suffix}", src / f"{stem}{suffix}")
    shutil.copy(folder / f"{stem}.png", src / f"{stem}.png")
    read = read_pages(src, display_root="source_texts")
    assert not read.errors, read.errors
    (page,) = read.pages
    return process_page(page)


def article_ends(item, tail: int = 12) -> tuple[str, str]:
    text = norm("".join(item.paragraphs))
    return text[:12], text[-tail:]


def ends_with(end: str, tail: str) -> bool:
    """``end`` (12 characters) found, OCR errors allowed, somewhere in ``tail``."""
    return any(similar(end, tail[i : i + len(end)]) >= 0.7 for i in range(max(1, len(tail) - len(end) + 1)))


def scores(result, seed_result, stem) -> tuple[int, int, int, int, list[str]]:
    want_titles = [norm(a["title"]) for a in expected(stem)["articles"] if a["title"]]
    got = [i for i in result.items if i.type == "article"]
    got_titles = [norm(i.title) for i in got]
    titles = sum(1 for t in want_titles if any(similar(t, g) >= 0.8 for g in got_titles))
    reference = [i for i in seed_result.items if i.type == "article" and i.paragraphs]
    ends = [article_ends(i, 30) for i in got if i.paragraphs]
    bounds = 0
    misses = []
    for item in reference:
        start, end = article_ends(item)
        s = any(similar(start, a) >= 0.7 for a, _ in ends)
        e = any(similar(start, a) >= 0.7 and ends_with(end, b) for a, b in ends)
        bounds += s + e
        if not (s and e):
            misses.append(f"{item.title}: start {s}, end {e}")
    return titles, len(want_titles), bounds, 2 * len(reference), misses


def column_returns(result) -> list[str]:
    """Articles whose lines go back to a column on the left higher up: two columns mixed."""
    fac = result.page.facsimile
    bad = []
    for item in result.items:
        boxes = [fac.boxes[n - 1] for b in item.blocks for n in range(b.first, b.last + 1) if fac.boxes[n - 1]]
        lowest = 0
        for prev, box in itertools.pairwise(boxes):
            if box[2] <= prev[0] and box[1] < lowest:  # wholly left of the previous line, and above lines already read
                bad.append(f"{item.id} {item.title}: line at {box} after {prev}")
                break
            lowest = max(lowest, prev[3])
    return bad


_MEASURED: dict[str, tuple[list[int], list[str]]] = {}


def measured(fmt, material, seed_pages, tmp_path) -> tuple[list[int], list[str]]:
    """(titles found, titles, boundaries found, boundaries) over the seeds, and a report; once per format."""
    from banmian.pipeline import process_page

    if fmt not in _MEASURED:
        totals = [0, 0, 0, 0]
        report = []
        for stem in STEMS:
            result = ingest(material[stem], stem, FORMATS[fmt], tmp_path)
            t, tn, b, bn, misses = scores(result, process_page(seed_pages[stem]), stem)
            totals = [x + y for x, y in zip(totals, (t, tn, b, bn), strict=True)]
            report.append(f"{stem}: titles {t}/{tn}, boundaries {b}/{bn}; " + "; ".join(misses[:4]))
            assert not column_returns(result), column_returns(result)
            assert all(item.zones for item in result.items)
        print(f"\n{fmt}: titles {totals[0]}/{totals[1]}, boundaries {totals[2]}/{totals[3]}\n" + "\n".join(report))
        _MEASURED[fmt] = (totals, report)
    return _MEASURED[fmt]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_ocr_pages_titles_and_no_mixed_columns(fmt, material, seed_pages, tmp_path) -> None:
    (titles, want, _, _), report = measured(fmt, material, seed_pages, tmp_path)
    assert titles >= 0.9 * want, report


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_ocr_pages_boundaries(fmt, material, seed_pages, tmp_path) -> None:
    (_, _, bounds, want), report = measured(fmt, material, seed_pages, tmp_path)
    assert bounds >= 0.9 * want, report


def test_typeset_truth_reads_back_in_order() -> None:
    """Without OCR errors: the typeset boxes, listed by height and partly glued, give back
    every title of the key (the reading order alone, measured apart from Tesseract)."""
    pytest.importorskip("PIL")
    from banmian.facsimile import derive
    from banmian.model import Page
    from banmian.ocr_formats import Box, OcrLine, OcrPage
    from banmian.page_image import typeset
    from banmian.pipeline import process_page

    for stem in STEMS:
        lines, titles, captions = seed_truth(stem)
        _, placed = typeset(lines, titles, captions, columns=5)
        ocr_lines = sorted((OcrLine(t, Box(*b)) for t, b, _ in placed.lines), key=lambda ln: (ln.box.y0, ln.box.x0))
        glued, i = [], 0
        while i < len(ocr_lines):
            a = ocr_lines[i]
            if i % 6 == 5 and i + 1 < len(ocr_lines) and ocr_lines[i + 1].box.y0 == a.box.y0 and a.box.h < 40:
                glued.append(OcrLine(a.text + ocr_lines[i + 1].text, a.box.union(ocr_lines[i + 1].box)))
                i += 2
            else:
                glued.append(a)
                i += 1
        page = OcrPage(f"{stem}.json", "paddle", placed.width, placed.height, glued, [Box(*p) for p in placed.pictures])
        laid, fac = derive(page, None)
        result = process_page(Page(key=stem, path=page.path, lines=laid.lines, facsimile=fac))
        got = {norm(i.title) for i in result.items if i.type == "article"}
        assert {norm(t) for t in titles} <= got, stem
        assert not column_returns(result), stem
