"""The printed page on the site: page image with outlined zones, zone crops beside articles, the
lines of the raw-source view highlighted on the image.

Only pages whose record (``page.yml``) names an image that exists get any of this; text-only
pages are built exactly as before. Images are made at build time with Pillow and staged beside
the pages, all links relative, so the site works hosted and from ``file://`` with nothing
fetched from elsewhere:

- ``<page>/facsimile/page.jpg``: the page scaled to at most ``PAGE_WIDTH`` pixels wide, shown on
  the page view and the raw-source view, zoomable with the edition's own small zoom (buttons and
  the page's scroll bars: no viewer library, so nothing to load or keep up to date);
- ``<page>/facsimile/a01-1.jpg`` …: each zone of an item cropped from the full image and scaled to
  at most ``CROP_WIDTH`` pixels wide: an article page never loads the whole page image.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import FrontMatter

PAGE_WIDTH = 1600
CROP_WIDTH = 420
MAX_CROPS = 6  # more zones than this: one crop of their union
JPEG_QUALITY = 78


def image_of(root: Path, record: dict[str, Any]) -> tuple[Path, int, int] | None:
    """The page image, its width and height in the zones' pixels, when the record names one that exists."""
    fac = record.get("facsimile")
    if not isinstance(fac, dict) or not fac.get("image"):
        return None
    path = root / str(fac["image"])
    if not path.is_file():
        return None
    try:
        return path, int(fac["width"]), int(fac["height"])
    except (KeyError, TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=8)
def _opened(path: Path, stamp: tuple[int, int]) -> Any:
    from PIL import Image

    with Image.open(path) as im:
        im.load()
        return im.convert("RGB") if im.mode not in ("L", "RGB") else im.copy()


def _jpeg(im: Any) -> bytes:
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _load(path: Path) -> Any:
    st = path.stat()
    return _opened(path, (st.st_size, st.st_mtime_ns))


def scaled_page(path: Path) -> bytes:
    from PIL import Image

    im = _load(path)
    if im.width > PAGE_WIDTH:
        im = im.resize((PAGE_WIDTH, round(im.height * PAGE_WIDTH / im.width)), Image.Resampling.LANCZOS)
    return _jpeg(im)


def crop(path: Path, box: list[int], pad: int = 8) -> bytes:
    from PIL import Image

    im = _load(path)
    x0, y0, x1, y1 = max(0, box[0] - pad), max(0, box[1] - pad), min(im.width, box[2] + pad), min(im.height, box[3] + pad)
    piece = im.crop((x0, y0, x1, y1))
    if piece.width > CROP_WIDTH:
        piece = piece.resize((CROP_WIDTH, max(1, round(piece.height * CROP_WIDTH / piece.width))), Image.Resampling.LANCZOS)
    return _jpeg(piece)


def crop_boxes(zones: list[list[int]]) -> list[list[int]]:
    """One crop per zone, or, for an item in many pieces, one of their union."""
    zones = [z for z in zones if isinstance(z, list) and len(z) == 4]
    if len(zones) <= MAX_CROPS:
        return zones
    return [[min(z[0] for z in zones), min(z[1] for z in zones), max(z[2] for z in zones), max(z[3] for z in zones)]]


def _digest(path: Path) -> str:
    st = path.stat()
    return hashlib.blake2b(f"{path}\0{st.st_size}\0{st.st_mtime_ns}".encode(), digest_size=12).hexdigest()


def item_name(entry_path: str) -> str:
    return entry_path.rsplit("/", 1)[-1].removesuffix(".md")


def staged_images(root: Path, key: str, record: dict[str, Any], items: list[tuple[str, FrontMatter]]) -> dict[str, tuple[str, Any]]:
    """``rel path → (key, make)`` for the page image and every item's crops (made only when staged anew)."""
    found = image_of(root, record)
    if found is None:
        return {}
    path = found[0]
    digest = _digest(path)
    out: dict[str, tuple[str, Any]] = {f"{key}/facsimile/page.jpg": (f"page {digest} {PAGE_WIDTH} {JPEG_QUALITY}", functools.partial(scaled_page, path))}
    for entry_path, meta in items:
        for n, box in enumerate(crop_boxes(meta.get("zones") or []), 1):
            rel = f"{key}/facsimile/{item_name(entry_path)}-{n}.jpg"
            out[rel] = (f"crop {digest} {box} {CROP_WIDTH} {JPEG_QUALITY}", functools.partial(crop, path, list(box)))
    return out


def _pct(v: float, whole: int) -> str:
    return f"{100 * v / whole:.3f}%"


def _zone_style(box: list[int], w: int, h: int) -> str:
    return f"left:{_pct(box[0], w)};top:{_pct(box[1], h)};width:{_pct(box[2] - box[0], w)};height:{_pct(box[3] - box[1], h)}"


def tools() -> str:
    return ('<div class="bm-facs-tools"><button type="button" class="md-button" data-zoom="in">放大</button>'
            '<button type="button" class="md-button" data-zoom="out">缩小</button>'
            '<button type="button" class="md-button" data-zoom="fit">适应宽度</button></div>')


def page_figure(rec_key: str, record: dict[str, Any], entries: list[tuple[str, str, FrontMatter]], root: Path) -> str:
    """Raw HTML for the page view: the page image with each item's zones outlined and linked.

    ``entries``: (relative link to the item's page, its title, its front matter)."""
    found = image_of(root, record)
    if found is None:
        return ""
    _, w, h = found
    zones = []
    for n, (href, title, meta) in enumerate(entries, 1):
        for box in meta.get("zones") or []:
            if isinstance(box, list) and len(box) == 4:
                zones.append(f'<a class="bm-zone" href="{html.escape(href)}" style="{_zone_style(box, w, h)}" title="{n}. {html.escape(title)}">'
                             f'<span>{n}</span></a>')
    return (
        f'<div class="bm-facs" id="facsimile" data-width="{w}" data-height="{h}">{tools()}'
        f'<div class="bm-facs-view"><div class="bm-facs-page"><img src="facsimile/page.jpg" alt="版面图像：{html.escape(rec_key)}" '
        f'width="{w}" height="{h}" loading="lazy">{"".join(zones)}</div></div>'
        '<p class="bm-facs-note">框出的区域是各条目在版面上的位置，点击即可打开该条目。</p></div>\n\n'
    )


def source_figure(record: dict[str, Any], first: int, count: int, root: Path) -> str:
    """Raw HTML for a raw-source view: the page image, with the boxes of this part's lines for
    the script to outline when lines are highlighted (``#L12-L40``)."""
    found = image_of(root, record)
    fac = record.get("facsimile") or {}
    boxes = fac.get("line_boxes") if isinstance(fac, dict) else None
    if found is None or not isinstance(boxes, list):
        return ""
    _, w, h = found
    marks = []
    for n in range(first, first + count):
        box = boxes[n - 1] if 0 < n <= len(boxes) else None
        if isinstance(box, list) and len(box) == 4:
            marks.append(f'<i class="bm-line" data-line="{n}" style="{_zone_style(box, w, h)}"></i>')
    return (
        f'<div class="bm-facs bm-facs--source" data-width="{w}" data-height="{h}">{tools()}'
        f'<div class="bm-facs-view"><div class="bm-facs-page"><img src="facsimile/page.jpg" alt="版面图像" width="{w}" height="{h}" '
        f'loading="lazy">{"".join(marks)}</div></div></div>\n\n'
    )


def article_facsimile(entry_path: str, meta: FrontMatter, root: Path, record: dict[str, Any]) -> dict[str, Any] | None:
    """What an article page shows beside its text: its zone crops, and a link to the page image."""
    found = image_of(root, record)
    if found is None:
        return None
    boxes = crop_boxes(meta.get("zones") or [])
    if not boxes:
        return None
    name = item_name(entry_path)
    crops = []
    for n, box in enumerate(boxes, 1):
        w, h = box[2] - box[0] + 16, box[3] - box[1] + 16
        if w > CROP_WIDTH:
            w, h = CROP_WIDTH, round(h * CROP_WIDTH / w)
        crops.append({"src": f"facsimile/{name}-{n}.jpg", "w": w, "h": h})
    return {"crops": crops, "alt": "本条目在版面上的原貌", "label": "版面原貌（与文字对照校对）", "page_label": "在整版图像中查看"}
