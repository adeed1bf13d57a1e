"""Test material: seed pages typeset as column images, OCR'd with Tesseract to hOCR and ALTO,
and PaddleOCR-style JSON made from the same boxes sorted by height.

Nothing is shipped: the images and OCR files are made here, once per machine (kept in pytest's
cache folder, keyed by the image's bytes, since Tesseract takes minutes on this machine).

Tesseract's layout analysis slows down more than linearly with the page's height, so the page is
OCR'd in horizontal strips cut where no printed line is (between rows), and the strips' hOCR and
ALTO are joined into one page file with their coordinates moved down by the strip's offset. The
text, boxes and errors are Tesseract's own.
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


def _cuts(placed, height: int) -> list[int]:
    """Strip edges: 0, y positions where no printed line or picture is (at most ``STRIP``
    apart where the page allows), and the page's height."""
    spans = sorted([(b[1], b[3]) for _, b, _ in placed.lines] + [(p[1], p[3]) for p in placed.pictures])
    free: list[int] = []
    end = 0
    for a, b in spans:
        if end and a > end + 4:
            free.append((end + a) // 2)
        end = max(end, b)
    cuts = [0]
    for i, y in enumerate(free):
        following = free[i + 1] if i + 1 < len(free) else height
        if following - cuts[-1] > STRIP:
            cuts.append(y)
    return [*cuts, height]


def _shift_hocr(text: str, dy: int, n: int) -> str:
    body = text[text.index("<div class='ocr_page'") :]
    body = body[body.index(">") + 1 : body.rindex("</div>")]
    body = re.sub(r"bbox (\d+) (\d+) (\d+) (\d+)", lambda m: f"bbox {m[1]} {int(m[2]) + dy} {m[3]} {int(m[4]) + dy}", body)
    return re.sub(r"id='", f"id='s{n}_", body)


def _shift_alto(text: str, dy: int, n: int) -> str:
    body = text[text.index("<PrintSpace") :]
    body = body[body.index(">") + 1 : body.index("</PrintSpace>")]
    body = re.sub(r'VPOS="(\d+)"', lambda m: f'VPOS="{int(m[1]) + dy}"', body)
    return re.sub(r'ID="', f'ID="s{n}_', body).replace('IDNEXT="', f'IDNEXT="s{n}_')


def tesseract(image_path: Path, placed, out_dir: Path, stem: str) -> tuple[Path, Path]:
    """OCR ``image_path`` strip by strip; write ``stem.hocr`` and ``stem.xml`` for the whole page."""
    from PIL import Image

    image = Image.open(image_path)
    w, h = image.size
    cuts = _cuts(placed, h)
    hocr_parts, alto_parts = [], []
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    tmp = out_dir / f".{stem}-strips"
    tmp.mkdir(parents=True, exist_ok=True)
    for n, (top, bottom) in enumerate(itertools.pairwise(cuts)):
        strip = tmp / f"{n}.png"
        image.crop((0, top, w, bottom)).save(strip)
        subprocess.run(["tesseract", str(strip), str(tmp / str(n)), "-l", "chi_sim", "-c", "tessedit_do_invert=0", "hocr", "alto"],
                       check=True, capture_output=True, env=env, timeout=900)
        hocr_parts.append(_shift_hocr((tmp / f"{n}.hocr").read_text(encoding="utf-8"), top, n))
        alto_parts.append(_shift_alto((tmp / f"{n}.xml").read_text(encoding="utf-8"), top, n))
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
        if b is not None and i % glue_every == glue_every - 1 and abs(a.box.y0 - b.box.y0) < a.box.h / 2 and abs(a.box.h - b.box.h) < a.box.h / 3:
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
