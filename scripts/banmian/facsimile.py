"""Pages that come with their printed image and/or OCR coordinates (ALTO, hOCR, PaddleOCR JSON).

Beside a page text ``p01.txt`` in the source folder, files with the same stem are read too:

- an image (``.jpg``, ``.jpeg``, ``.png``, ``.tif``, ``.tiff``): the facsimile the site shows;
- OCR with coordinates (``.xml`` ALTO, ``.hocr``/``.html`` hOCR, ``.json`` PaddleOCR): the page's
  text is then *derived* from it in reading order (``layout.reading_order``), and that derived
  text is the page's source: articles cite the OCR file and lines of the derived text, which the
  site's raw-source view shows (it derives the same text again: deterministic). A ``.txt`` beside
  the OCR file must hold the same characters (the engine's plain-text export, in any order); it is
  then not read as a page of its own.

Every line of the derived text keeps its box; ``zones`` gives each article and caption the
rectangles its lines cover. Boxes are in the image's pixels when there is an image (OCR files
made at another resolution are scaled), else in the OCR file's own units.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from pathlib import Path, PurePosixPath

from .layout import Laid, reading_order, zones
from .model import Facsimile, Page, PageMeta, PageResult
from .notes import note
from .ocr_formats import OCR_SUFFIXES, Box, OcrPage, read_ocr
from .reader import _HAN, InputError, Manifests, decode, page_key, printable_path

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
COMPANION_SUFFIXES = frozenset(IMAGE_SUFFIXES) | frozenset(OCR_SUFFIXES)
_ASPECT_TOLERANCE = 0.03
_WS = re.compile(r"[\s#]")


def image_size(path: Path, shown: str) -> tuple[int, int]:
    """The image's size in pixels, read from its header (Pillow), or an error naming it."""
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError as exc:  # pragma: no cover - Pillow is a dependency
        raise InputError(shown, "读取版面图像需要 Pillow / reading page images needs Pillow: pip install Pillow") from exc
    if not path.is_file():  # a pipe or device named .png would block the read
        raise InputError(shown, "不是普通文件（管道、套接字或设备），已跳过 / not a regular file (a pipe, socket or device): skipped")
    try:
        with Image.open(path) as im:
            return im.size
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError(shown, f"无法读取图像 / cannot read the image: {exc}; re-save it as JPEG, PNG or TIFF") from None


def _scaled(box: Box, sx: float, sy: float) -> Box:
    return Box(box.x0 * sx, box.y0 * sy, box.x1 * sx, box.y1 * sy)


def derive(ocr: OcrPage, image: tuple[str, int, int] | None) -> tuple[Laid, Facsimile]:
    """Reading order of an OCR page and its facsimile record, boxes in the image's pixels."""
    sx = sy = 1.0
    width, height = ocr.width, ocr.height
    if image is not None and not ocr.sized:  # boxes in the image's pixels, the page size unstated
        _, iw, ih = image
        if ocr.width > iw * (1 + _ASPECT_TOLERANCE) or ocr.height > ih * (1 + _ASPECT_TOLERANCE):
            raise InputError(ocr.path, f"OCR 坐标超出图像 {image[0]}（{iw}×{ih}）/ the OCR boxes reach beyond the image "
                             f"({round(ocr.width)}×{round(ocr.height)}): OCR of another image, or at another resolution?")
        width, height = iw, ih
    elif image is not None:
        _, iw, ih = image
        sx, sy = iw / ocr.width, ih / ocr.height
        if abs(sx - sy) / max(sx, sy) > _ASPECT_TOLERANCE:
            raise InputError(ocr.path, f"OCR 页面 {round(ocr.width)}×{round(ocr.height)} 与图像 {image[0]} 的 {iw}×{ih} 比例不符 / "
                             f"the OCR page's size does not match the image's proportions: OCR of another image?")
        width, height = iw, ih
    laid = reading_order(ocr)
    fac = Facsimile(
        image=image[0] if image else None,
        width=round(width),
        height=round(height),
        coordinates=ocr.path,
        format=ocr.format,
        boxes=[_scaled(b, sx, sy).as_list() if b else None for b in laid.boxes],
        pictures={n: [_scaled(p, sx, sy).as_list() for p in ps] for n, ps in laid.pictures.items()},
        body_height=laid.body_height * sy,
        notes=list(laid.notes),
    )
    return laid, fac


def page_text(path: Path, shown: str) -> list[str]:
    """The derived text of an OCR file, as ingest derived it (for the raw-source view)."""
    return reading_order(read_ocr(path, shown)).lines


def coordinate_page(ocr_path: Path, shown: str, key: str, meta: PageMeta, text_file: tuple[Path, str] | None,
                    image: tuple[Path, str] | None) -> Page:
    """A page whose text comes from OCR coordinates; a ``.txt`` beside it is checked, not read."""
    ocr = read_ocr(ocr_path, shown)
    img = (image[1], *image_size(*image)) if image else None
    laid, fac = derive(ocr, img)
    if text_file is not None:
        path, txt_shown = text_file
        plain = decode(path.read_bytes(), txt_shown, meta.encoding)
        have, want = Counter(_WS.sub("", plain)), Counter(_WS.sub("", "".join(laid.lines)))
        if have != want:
            missing = "".join(sorted((want - have).elements()))[:20]
            extra = "".join(sorted((have - want).elements()))[:20]
            raise InputError(txt_shown, f"文本与 {shown} 的文字不一致（文本缺少「{missing}」、多出「{extra}」）/ the text does not match the OCR "
                             f"file beside it: keep one of the two, or export both from the same OCR run")
        fac.notes.append(note("same_text_file", file=txt_shown))
    data = ocr_path.read_bytes()
    return Page(key=key, path=shown, lines=laid.lines, meta=meta, sha256=hashlib.sha256(data).hexdigest(), facsimile=fac)


def image_only(page: Page, image: tuple[Path, str]) -> None:
    """A page text with an image but no coordinates: the site shows the image, no zones."""
    w, h = image_size(*image)
    page.facsimile = Facsimile(image=image[1], width=w, height=h)


def attach_zones(result: PageResult) -> None:
    """Each item's zones: the rectangles its lines cover (a caption's with its picture)."""
    fac = result.page.facsimile
    if fac is None or not fac.boxes:
        return
    h = fac.body_height or 1.0
    for item in result.items:
        boxes: list[Box] = []
        for block in sorted(item.blocks, key=lambda b: b.first):
            for n in range(block.first, block.last + 1):
                for pic in fac.pictures.get(n, []) if item.type == "caption" else []:
                    boxes.append(Box(*pic))
                raw = fac.boxes[n - 1] if 0 < n <= len(fac.boxes) else None
                if raw:
                    boxes.append(Box(*raw))
        item.zones = [z.as_list() for z in zones(boxes, h)]


def read_companions(source: Path, display_root: str, texts: list[Path], companions: list[Path], found: Manifests,
                    pages: list[Page], errors: list[InputError]) -> tuple[list[Path], dict[Path, tuple[Path, str]]]:
    """Group images and OCR files with the page text of the same stem.

    Pages derived from OCR coordinates are appended to ``pages``; returns the page texts still to
    read as texts, and the image of each text that has one (by path without suffix)."""
    groups: dict[Path, list[Path]] = defaultdict(list)
    for path in companions:
        groups[path.with_suffix("")].append(path)
    text_of = {p.with_suffix(""): p for p in texts}
    remaining = set(texts)
    images: dict[Path, tuple[Path, str]] = {}

    def shown(path: Path) -> str:
        return f"{display_root}/{printable_path(path.relative_to(source).as_posix())}"

    for stem, group in sorted(groups.items()):
        imgs = [p for p in group if p.suffix.casefold() in IMAGE_SUFFIXES]
        ocrs = [p for p in group if p.suffix.casefold() in OCR_SUFFIXES]
        txt = text_of.get(stem)
        problem = None
        if len(imgs) > 1:
            problem = (imgs[1], "同一版面有多个图像，请只保留一个 / several images for one page, keep one: " + ", ".join(shown(p) for p in imgs))
        elif len(ocrs) > 1:
            problem = (ocrs[1], "同一版面有多个 OCR 坐标文件，请只保留一个 / several OCR files for one page, keep one: " + ", ".join(shown(p) for p in ocrs))
        elif not ocrs and txt is None:
            problem = (imgs[0], "图像旁没有同名的文本或 OCR 坐标文件 / an image without a page text or OCR file of the same name beside "
                       "it: OCR it (ALTO, hOCR or PaddleOCR JSON) or add the page text")
        if problem is not None:
            errors.append(InputError(shown(problem[0]), problem[1]))
            remaining.discard(txt)
            continue
        image = (imgs[0], shown(imgs[0])) if imgs else None
        if not ocrs:
            if image is not None:
                images[stem] = image
            continue
        remaining.discard(txt)
        ocr = ocrs[0]
        rel_text = ocr.relative_to(source).as_posix()
        if printable_path(rel_text) != rel_text:
            errors.append(InputError(shown(ocr), "文件名不是有效的 UTF-8 / file name is not valid UTF-8: rename it"))
            continue
        named = ocr if ocr.resolve() in found.entries or txt is None else txt
        meta = found.meta_for(named, source)
        try:
            page = coordinate_page(ocr, shown(ocr), page_key(PurePosixPath(rel_text)), meta, (txt, shown(txt)) if txt else None, image)
        except InputError as exc:
            errors.append(exc)
            continue
        except OSError as exc:
            errors.append(InputError(shown(ocr), f"无法读取 / cannot read: {exc.strerror}; check the file's permissions"))
            continue
        if not _HAN.search("".join(page.lines)):
            errors.append(InputError(shown(ocr), "OCR 结果中没有中文字符 / no Chinese characters in the OCR text: OCR it with a Chinese model"))
            continue
        pages.append(page)
    return [p for p in texts if p in remaining], images
