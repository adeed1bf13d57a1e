"""Test material: seed pages typeset as column images, OCR'd with Tesseract to hOCR and ALTO,
and PaddleOCR-style JSON made from the same boxes sorted by height.

Nothing is shipped: the images and OCR files are made here, once per machine (kept in pytest's
cache folder, keyed by the image's bytes, since Tesseract takes minutes on this machine).

Tesseract is given the page in tiles, as a scanning workflow's zoning would: its own layout
analysis reads this typesetting's lines straight across the columns (and slows down more than
linearly with a page's height). Strips are cut where no printed line is, around each headline;
a strip with a headline is one tile, the others are cut into their columns, and each tile is read
as one block of text (``--psm 6``); the pictures the zoning found are added as ``ocr_photo`` and
``Illustration``. The tiles' hOCR and
ALTO are joined into one page file, coordinates moved by the tile's offset: text, boxes and
errors are Tesseract's own. Lines glued across columns, as PaddleOCR returns them, are made in
the JSON form (``paddle_json``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STRIP = 1400  # pixels: a strip this tall takes Tesseract seconds, a whole page minutes


def have_tesseract() -> bool:
    if not shutil.which("tesseract"):
        return False
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return "chi_sim" in out.stdout.split()


def seed_truth(stem: str) -> tuple[list[str], set[str], set[str]]:
    exp = yaml.safe_load((ROOT / "tests" / "expected" / f"{stem}.yml").read_text(encoding="utf-8"))
    lines = (ROOT / "source_texts" / f"{stem}.txt").read_text(encoding="utf-8").split("\n")
    titles = {a["title"] for a in exp["articles"] if a["title"]}
    captions = {c["text"] for c in exp.get("captions") or []}
    return lines, titles, captions


def _tiles(placed, width: int, height: int) -> list[tuple[int, int, int, int]]:
    """Tiles to OCR: horizontal strips cut where no line or picture is (around each headline,
    and at most ``STRIP`` tall where the page allows); a strip with a headline is one tile, the
    others are cut into their columns at the gutters' middles."""
    spans = sorted([(b[1], b[3], kind in ("head", "sub")) for _, b, kind in placed.lines] + [(p[1], p[3], False) for p in placed.pictures])
    free: list[tuple[int, bool]] = []  # (y, next to a headline)
    end, run_head = 0, False  # run_head: the run of lines since the last gap holds a headline
    for a, b, is_head in spans:
        if end and a > end + 4:
            free.append(((end + a) // 2, run_head or is_head))
            run_head = is_head
        else:
            run_head = run_head or is_head
        end = max(end, b)
    cuts = [0]
    for i, (y, at_head) in enumerate(free):
        following = free[i + 1][0] if i + 1 < len(free) else height
        if at_head or following - cuts[-1] > STRIP:
            cuts.append(y)
    cuts.append(height)
    tiles = []
    for top, bottom in itertools.pairwise(cuts):
        if any(kind in ("head", "sub") and top <= b[1] < bottom for _, b, kind in placed.lines):
            tiles.append((0, top, width, bottom))
            continue
        edges = [0] + [(a[1] + b[0]) // 2 for a, b in itertools.pairwise(placed.columns)] + [width]
        tiles.extend((x0, top, x1, bottom) for x0, x1 in itertools.pairwise(edges))
    return tiles


def _shift_hocr(text: str, dx: int, dy: int, n: int) -> str:
    body = text[text.index("<div class='ocr_page'") :]
    body = body[body.index(">") + 1 : body.rindex("</div>")]
    body = re.sub(r"bbox (\d+) (\d+) (\d+) (\d+)", lambda m: f"bbox {int(m[1]) + dx} {int(m[2]) + dy} {int(m[3]) + dx} {int(m[4]) + dy}", body)
    return re.sub(r"id='", f"id='t{n}_", body)


def _shift_alto(text: str, dx: int, dy: int, n: int) -> str:
    body = text[text.index("<PrintSpace") :]
    body = body[body.index(">") + 1 : body.index("</PrintSpace>")]
    body = re.sub(r'VPOS="(\d+)"', lambda m: f'VPOS="{int(m[1]) + dy}"', body)
    body = re.sub(r'HPOS="(\d+)"', lambda m: f'HPOS="{int(m[1]) + dx}"', body)
    return re.sub(r'ID="', f'ID="t{n}_', body).replace('IDNEXT="', f'IDNEXT="t{n}_')


def tesseract(image_path: Path, placed, out_dir: Path, stem: str) -> tuple[Path, Path]:
    """OCR ``image_path`` tile by tile; write ``stem.hocr`` and ``stem.xml`` for the whole page."""
    from PIL import Image

    image = Image.open(image_path)
    w, h = image.size
    hocr_parts, alto_parts = [], []
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    tmp = out_dir / f".{stem}-tiles"
    tmp.mkdir(parents=True, exist_ok=True)
    for n, (x0, y0, x1, y1) in enumerate(_tiles(placed, w, h)):
        tile = tmp / f"{n}.png"
        image.crop((x0, y0, x1, y1)).save(tile)
        subprocess.run(["tesseract", str(tile), str(tmp / str(n)), "-l", "chi_sim", "--psm", "6", "-c", "tessedit_do_invert=0", "hocr", "alto"],
                       check=True, capture_output=True, env=env, timeout=900)
        hocr_parts.append(_shift_hocr((tmp / f"{n}.hocr").read_text(encoding="utf-8"), x0, y0, n))
        alto_parts.append(_shift_alto((tmp / f"{n}.xml").read_text(encoding="utf-8"), x0, y0, n))
    # the zoning that cut the tiles also marks the pictures, as a layout analysis reports them
    hocr_parts += [f"<div class='ocr_photo' id='photo_{n}' title='bbox {p[0]} {p[1]} {p[2]} {p[3]}'></div>" for n, p in enumerate(placed.pictures)]
    alto_parts += [f'<Illustration ID="photo_{n}" HPOS="{p[0]}" VPOS="{p[1]}" WIDTH="{p[2] - p[0]}" HEIGHT="{p[3] - p[1]}"/>'
                   for n, p in enumerate(placed.pictures)]
    first_hocr = (tmp / "0.hocr").read_text(encoding="utf-8")
    head = first_hocr[: first_hocr.index("<div class='ocr_page'")]
    page = f"<div class='ocr_page' id='page_1' title='image \"{stem}.png\"; bbox 0 0 {w} {h}; ppageno 0'>"
    hocr = head + page + "".join(hocr_parts) + "</div>\n </body>\n</html>\n"
    first_alto = (tmp / "0.xml").read_text(encoding="utf-8")
    alto_head = first_alto[: first_alto.index("<Page ")]
    alto = (alto_head + f'<Page WIDTH="{w}" HEIGHT="{h}" PHYSICAL_IMG_NR="0" ID="page_0"><PrintSpace HPOS="0" VPOS="0" WIDTH="{w}" HEIGHT="{h}">'
            + "".join(alto_parts) + "</PrintSpace></Page></Layout></alto>\n")
    shutil.rmtree(tmp)
    (out_dir / f"{stem}.hocr").write_text(hocr, encoding="utf-8")
    (out_dir / f"{stem}.xml").write_text(alto, encoding="utf-8")
    return out_dir / f"{stem}.hocr", out_dir / f"{stem}.xml"


def paddle_json(hocr_path: Path, glue_every: int = 9) -> list[dict[str, object]]:
    """PaddleOCR-style results from Tesseract's line boxes: sorted by height (top edge), as
    PaddleOCR lists them, and every ``glue_every``-th pair of lines side by side on one row glued
    into one box, as PaddleOCR sometimes returns neighbouring columns' lines."""
    from banmian.ocr_formats import read_ocr

    lines = sorted(read_ocr(hocr_path, hocr_path.name).lines, key=lambda ln: (round(ln.box.y0), ln.box.x0))
    out: list[dict[str, object]] = []
    i = 0
    while i < len(lines):
        a = lines[i]
        b = lines[i + 1] if i + 1 < len(lines) else None
        neighbours = b is not None and b.box.x0 > a.box.x1 and b.box.x0 - a.box.x1 < 4 * a.box.h  # the next column, not beyond
        same_row = b is not None and abs(a.box.y0 - b.box.y0) < a.box.h / 2 and abs(a.box.h - b.box.h) < a.box.h / 3
        if b is not None and neighbours and same_row and i % glue_every == glue_every - 1:
            box = a.box.union(b.box)
            text, i = a.text + b.text, i + 2
        else:
            box, text, i = a.box, a.text, i + 1
        quad = [[round(box.x0), round(box.y0)], [round(box.x1), round(box.y0)], [round(box.x1), round(box.y1)], [round(box.x0), round(box.y1)]]
        out.append({"text": text, "box": quad})
    return out


def seed_page_material(stem: str, cache: Path) -> Path:
    """A folder holding ``<stem>.png``, ``<stem>.hocr``, ``<stem>.xml`` and ``<stem>.json`` (made once)."""
    from banmian.page_image import typeset

    lines, titles, captions = seed_truth(stem)
    image, placed = typeset(lines, titles, captions, columns=5)
    png = cache / f"{stem}.png.tmp"
    cache.mkdir(parents=True, exist_ok=True)
    image.save(png, format="PNG", optimize=True)
    digest = hashlib.sha256(png.read_bytes()).hexdigest()[:16]
    folder = cache / f"{stem}-{digest}"
    if not (folder / f"{stem}.json").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        shutil.move(png, folder / f"{stem}.png")
        hocr, _ = tesseract(folder / f"{stem}.png", placed, folder, stem)
        (folder / f"{stem}.json").write_text(json.dumps(paddle_json(hocr), ensure_ascii=False), encoding="utf-8")
    png.unlink(missing_ok=True)
    return folder
