"""OCR with coordinates as input: ALTO (v2–v4), hOCR, PaddleOCR JSON; reading order from boxes.

The readers must refuse hostile XML (entity expansion, external entities) and name the file and
line of anything malformed; a page may come as coordinates only, its text derived and cited."""

from __future__ import annotations

import itertools
import json
import re
import statistics
from pathlib import Path

import pytest

from banmian.facsimile import derive
from banmian.layout import reading_order, split_glued
from banmian.model import Page
from banmian.notes import render
from banmian.ocr_formats import Box, OcrLine, OcrPage, read_ocr
from banmian.pipeline import process_page
from banmian.reader import InputError, read_pages

ALTO_NS = {
    2: "http://www.loc.gov/standards/alto/ns-v2#",
    3: "http://www.loc.gov/standards/alto/ns-v3#",
    4: "http://www.loc.gov/standards/alto/ns-v4#",
}

# two columns of two lines each, a headline over both
LINES = [
    ("西集镇计生信贷助推创业", (100, 40, 700, 100)),
    ("近年来，西集镇坚持以", (100, 140, 400, 170)),
    ("市场为导向，做大做强", (100, 180, 400, 210)),
    ("林果业。田军是冯庄村", (450, 140, 750, 170)),
    ("村民，六年前种了侧柏。", (450, 180, 750, 210)),
]


def alto(version: int, lines=LINES, extra: str = "", doctype: str = "") -> bytes:
    body = "".join(
        f'<TextBlock><TextLine HPOS="{b[0]}" VPOS="{b[1]}" WIDTH="{b[2] - b[0]}" HEIGHT="{b[3] - b[1]}">'
        f'<String CONTENT="{t}" HPOS="{b[0]}" VPOS="{b[1]}" WIDTH="{b[2] - b[0]}" HEIGHT="{b[3] - b[1]}"/></TextLine></TextBlock>'
        for t, b in lines
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}\n<alto xmlns="{ALTO_NS[version]}"><Description><MeasurementUnit>pixel'
        f'</MeasurementUnit></Description><Layout><Page WIDTH="800" HEIGHT="400"><PrintSpace>{body}{extra}</PrintSpace></Page></Layout></alto>'
    ).encode()


def hocr(lines=LINES) -> bytes:
    spans = "".join(
        f"<span class='ocr_line' title='bbox {b[0]} {b[1]} {b[2]} {b[3]}'>"
        + "".join(f"<span class='ocrx_word' title='bbox {b[0] + i * 30} {b[1]} {b[0] + i * 30 + 28} {b[3]}'>{c}</span>" for i, c in enumerate(t))
        + "</span>\n"
        for t, b in lines
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
        '    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><body>\n'
        f"<div class='ocr_page' title='image \"p.png\"; bbox 0 0 800 400'>\n{spans}</div></body></html>"
    ).encode()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


@pytest.mark.parametrize("version", [2, 3, 4])
def test_alto_versions(tmp_path, version) -> None:
    page = read_ocr(write(tmp_path, "p.xml", alto(version)), "source_texts/p.xml")
    assert (page.format, page.width, page.height) == ("alto", 800, 400)
    assert [ln.text for ln in page.lines] == [t for t, _ in LINES]
    assert page.lines[1].box == Box(100, 140, 400, 170)


def test_hocr_words_joined_without_spaces(tmp_path) -> None:
    page = read_ocr(write(tmp_path, "p.hocr", hocr()), "source_texts/p.hocr")
    assert [ln.text for ln in page.lines] == [t for t, _ in LINES]
    assert all(len(ln.words) == len(ln.text) for ln in page.lines)


@pytest.mark.parametrize(
    "shape",
    [
        lambda: [{"text": t, "box": list(b)} for t, b in LINES],
        lambda: {"ocr_results": [{"text": t, "box": [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]]} for t, b in LINES]},
        lambda: {"res": {"rec_texts": [t for t, _ in LINES], "rec_boxes": [list(b) for _, b in LINES]}},
        lambda: [[[[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]], [t, 0.98]] for t, b in LINES],
    ],
    ids=["text-box", "ocr_results-polygon", "paddleocr3-rec_texts", "paddleocr2-pairs"],
)
def test_paddle_shapes(tmp_path, shape) -> None:
    page = read_ocr(write(tmp_path, "p.json", json.dumps(shape(), ensure_ascii=False)), "source_texts/p.json")
    assert [ln.text for ln in page.lines] == [t for t, _ in LINES]
    assert page.lines[0].box == Box(*LINES[0][1])


BILLION_LAUGHS = (
    '<!DOCTYPE alto [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
XXE = '<!DOCTYPE alto [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("doctype", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_hostile_xml_refused(tmp_path, doctype) -> None:
    lines = [("&lol3;" if "lol" in doctype else "&xxe;", (100, 140, 400, 170)), *LINES[1:]]
    with pytest.raises(InputError) as err:
        read_ocr(write(tmp_path, "p.xml", alto(3, lines, doctype=doctype)), "source_texts/p.xml")
    assert err.value.path == "source_texts/p.xml" and err.value.line == 1  # where the DTD declares it
    assert "root:" not in str(err.value) and "lollol" not in str(err.value)


def test_hostile_hocr_refused(tmp_path) -> None:
    data = hocr().replace(b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
                          b'"x" [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    with pytest.raises(InputError, match="entities") as err:
        read_ocr(write(tmp_path, "p.hocr", data), "source_texts/p.hocr")
    assert err.value.line == 3


@pytest.mark.parametrize(
    ("name", "data", "line", "words"),
    [
        ("p.xml", alto(3).replace(b"</Layout>", b"</Layou>"), 2, "malformed XML"),
        ("p.xml", b"<html><body>no</body></html>", 1, "not an ALTO file"),
        ("p.xml", alto(3, [("字", (100, 140, 900, 170))]), 2, "outside the page"),
        ("p.json", b'[{"text": "\xe5\xad\x97", "box": [1, 2, 3, 4]},\n {"text": 5}]', None, "result 2"),
        ("p.json", b'[{"text": "x",\n "box": [1, 2, 3, 4]', 2, "malformed JSON"),
        ("p.hocr", b"<html><body><p>plain</p></body></html>", 1, "not an hOCR file"),
    ],
    ids=["alto-malformed", "not-alto", "box-outside", "paddle-no-text", "json-malformed", "not-hocr"],
)
def test_bad_files_named(tmp_path, name, data, line, words) -> None:
    with pytest.raises(InputError, match=words) as err:
        read_ocr(write(tmp_path, name, data), f"source_texts/{name}")
    assert err.value.path == f"source_texts/{name}"
    assert err.value.line == line


# ----------------------------------------------------------------------------- reading order


def three_columns(glue_every: int = 0) -> tuple[OcrPage, list[str]]:
    """A headline over three columns of six lines, listed by height as PaddleOCR lists them;
    with ``glue_every``, some neighbouring columns' lines come glued into one box."""
    truth: list[str] = []
    lines: list[OcrLine] = [OcrLine("薛城区综合治理出生人口性别比问题", Box(150, 20, 950, 80))]
    chars = "人口计生工作稳步推进群众满意度提高服务水平明显提升各项指标全面完成"
    for col in range(3):
        x = 50 + col * 340
        for row in range(6):
            text = f"{'甲乙丙'[col]}{row}" + chars[(col * 6 + row) % 20 : (col * 6 + row) % 20 + 8]
            truth.append(text)
            lines.append(OcrLine(text, Box(x, 120 + row * 40, x + 300, 150 + row * 40)))
    if glue_every:  # rows 1, 4, …: columns 1 and 2 glued; rows 2, 5, …: columns 2 and 3
        grid = {(ln.box.x0, ln.box.y0): ln for ln in lines[1:]}
        for (x, y), a in list(grid.items()):
            row = (y - 120) // 40
            if x in (50, 390) and row % glue_every == (1 if x == 50 else 2) and (x + 340, y) in grid:
                b = grid.pop((x + 340, y))
                grid[(x, y)] = OcrLine(a.text + b.text, a.box.union(b.box))
        lines = lines[:1] + list(grid.values())
    lines.sort(key=lambda ln: (ln.box.y0, ln.box.x0))
    return OcrPage("p.json", "paddle", 1100, 400, lines), truth


@pytest.mark.parametrize("glue", [0, 3], ids=["interleaved", "interleaved-and-glued"])
def test_columns_read_in_order(glue) -> None:
    page, truth = three_columns(glue)
    laid = reading_order(page)
    text = [ln for ln in laid.lines if ln]
    assert text[0] == "# 薛城区综合治理出生人口性别比问题"
    assert text[1:] == truth
    # the column's last line runs to its edge and ends no sentence: the paragraph goes on in the next column
    assert laid.lines.index(truth[6]) - laid.lines.index(truth[5]) == 1
    if glue:
        assert laid.notes and laid.notes[0].code == "gutter_split" and "split" in render(laid.notes[0], "en")


def replaced(page: OcrPage, old: str, new: OcrLine) -> OcrPage:
    return OcrPage(page.path, page.format, page.width, page.height, [new if ln.text == old else ln for ln in page.lines], page.pictures)


def test_column_break_after_a_paragraph_end() -> None:
    """A column whose last line is short, or ends a sentence, ends its paragraph: one blank line
    at the column break, as the text pages show it."""
    page, truth = three_columns()
    short = replaced(page, truth[5], OcrLine("甲5完。", Box(50, 320, 170, 350)))
    laid = reading_order(short)
    assert laid.lines.index(truth[6]) - laid.lines.index("甲5完。") == 2
    full_stop = replaced(page, truth[5], OcrLine(truth[5][:-1] + "。", Box(50, 320, 350, 350)))
    laid = reading_order(full_stop)
    assert laid.lines.index(truth[6]) - laid.lines.index(truth[5][:-1] + "。") == 2


def test_headline_type_needs_headline_sized_characters() -> None:
    """A body line whose box an engine made taller (a stray mark caught in it) keeps body type:
    its characters' advance says so. A line of large characters is a headline."""
    page, truth = three_columns()
    tall = replaced(page, truth[8], OcrLine(truth[8], Box(390, 200, 690, 250)))  # 50 high, body advance
    laid = reading_order(tall)
    assert truth[8] in laid.lines and "# " + truth[8] not in laid.lines
    assert laid.lines[0] == "# 薛城区综合治理出生人口性别比问题"


def test_room_above_a_column_sets_off_its_text_as_a_caption() -> None:
    """A column that begins far below its neighbours' top has room above it (a picture the OCR
    did not report): its first paragraph is set off by two blank lines on both sides."""
    page, _ = three_columns()
    lines = [ln for ln in page.lines if not ln.text.startswith("丙")]
    lines += [OcrLine("丙图说一", Box(730, 330, 1030, 360)), OcrLine("丙图说二。", Box(730, 370, 880, 400)),
              OcrLine("丙正文接着", Box(730, 440, 1030, 470))]
    laid = reading_order(OcrPage(page.path, page.format, page.width, 500, lines))
    at = laid.lines.index("丙图说一")
    assert laid.lines[at - 2 : at] == ["", ""]
    assert laid.lines[at + 1] == "丙图说二。"
    assert laid.lines[at + 2 : at + 4] == ["", ""] and laid.lines[at + 4] == "丙正文接着"


def test_glued_split_counts_characters_from_the_right() -> None:
    """A paragraph's short last line glued to the next column's full line: the cut is made
    where the right part's width says (its end is the box's end), not at half the box."""
    lines = [OcrLine("一二三四五六七八九十", Box(0, y, 300, y + 30)) for y in (0, 40, 120)]
    lines += [OcrLine("甲乙丙丁戊己庚辛壬癸", Box(340, y, 640, y + 30)) for y in (0, 40, 120)]
    lines.append(OcrLine("完。子丑寅卯辰巳午未申酉", Box(0, 80, 640, 110)))
    h = statistics.median(ln.box.h for ln in lines)
    out, n = split_glued(lines, h, 300)
    assert n == 1
    assert ("完。", "子丑寅卯辰巳午未申酉") in {(a.text, b.text) for a, b in itertools.pairwise(out)}


# ----------------------------------------------------------------------------- ingest


def test_coordinates_only_page_is_read_and_cited(tmp_path) -> None:
    src = tmp_path / "source_texts"
    src.mkdir()
    write(src, "p01.xml", alto(4))
    read = read_pages(src, display_root="source_texts")
    assert not read.errors
    (page,) = read.pages
    assert page.path == "source_texts/p01.xml" and page.key == "p01"
    assert page.lines[0] == "# 西集镇计生信贷助推创业"
    assert page.facsimile is not None and page.facsimile.format == "alto" and page.facsimile.image is None
    result = process_page(page)
    assert result.items and all(item.zones for item in result.items)
    for item in result.items:
        for x0, y0, x1, y1 in item.zones:
            assert 0 <= x0 < x1 <= 800 and 0 <= y0 < y1 <= 400


def test_text_beside_coordinates_must_match(tmp_path) -> None:
    src = tmp_path / "source_texts"
    src.mkdir()
    write(src, "p01.xml", alto(3))
    write(src, "p01.txt", "\n".join(t for t, _ in reversed(LINES)) + "\n")  # the engine's text, any order
    read = read_pages(src, display_root="source_texts")
    assert not read.errors and [p.path for p in read.pages] == ["source_texts/p01.xml"]
    write(src, "p01.txt", "另一个版面的文字\n")
    read = read_pages(src, display_root="source_texts")
    assert not read.pages
    assert [e.path for e in read.errors] == ["source_texts/p01.txt"] and "does not match" in str(read.errors[0])


def test_two_ocr_files_for_one_page_refused(tmp_path) -> None:
    src = tmp_path / "source_texts"
    src.mkdir()
    write(src, "p01.xml", alto(3))
    write(src, "p01.hocr", hocr())
    write(src, "p02.txt", "另一版面的文字。\n")
    read = read_pages(src, display_root="source_texts")
    assert [p.key for p in read.pages] == ["p02"]
    assert len(read.errors) == 1 and "several OCR files" in str(read.errors[0])


def test_image_size_must_match(tmp_path) -> None:
    pil = pytest.importorskip("PIL.Image")
    src = tmp_path / "source_texts"
    src.mkdir()
    write(src, "p01.xml", alto(3))
    pil.new("L", (1600, 800), 255).save(src / "p01.png")  # twice the OCR's resolution: scaled
    (page,) = read_pages(src, display_root="source_texts").pages
    assert page.facsimile.image == "source_texts/p01.png" and page.facsimile.boxes[0] == [200, 80, 1400, 200]
    pil.new("L", (800, 800), 255).save(src / "p01.png")
    read = read_pages(src, display_root="source_texts")
    assert not read.pages and "proportions" in str(read.errors[0])


def test_image_alone_refused_and_image_beside_text_kept(tmp_path) -> None:
    pil = pytest.importorskip("PIL.Image")
    src = tmp_path / "source_texts"
    src.mkdir()
    pil.new("L", (100, 100), 255).save(src / "p01.png")
    write(src, "p02.txt", "第二版的文字。\n")
    pil.new("L", (300, 200), 255).save(src / "p02.jpg")
    read = read_pages(src, display_root="source_texts")
    assert [e.path for e in read.errors] == ["source_texts/p01.png"]
    (page,) = read.pages
    assert page.path == "source_texts/p02.txt" and page.facsimile.image == "source_texts/p02.jpg" and not page.facsimile.boxes


def test_derive_is_deterministic() -> None:
    page, _ = three_columns(3)
    a, fa = derive(page, None)
    b, fb = derive(page, None)
    assert a.lines == b.lines and fa == fb
    assert not re.search(r"\s$", "\n".join(a.lines))
    assert process_page(Page(key="p", path="p.json", lines=a.lines, facsimile=fa)).items


def test_paddle_boxes_are_in_the_image_pixels(tmp_path) -> None:
    """PaddleOCR's JSON states no page size: its boxes are the image's pixels, and must fit in it."""
    pil = pytest.importorskip("PIL.Image")
    src = tmp_path / "source_texts"
    src.mkdir()
    write(src, "p01.json", json.dumps([{"text": t, "box": list(b)} for t, b in LINES], ensure_ascii=False))
    pil.new("L", (900, 500), 255).save(src / "p01.png")
    (page,) = read_pages(src, display_root="source_texts").pages
    assert (page.facsimile.width, page.facsimile.height) == (900, 500) and page.facsimile.boxes[0] == list(LINES[0][1])
    pil.new("L", (400, 200), 255).save(src / "p01.png")
    read = read_pages(src, display_root="source_texts")
    assert not read.pages and read.errors[0].path == "source_texts/p01.json" and "beyond the image" in str(read.errors[0])


# ----------------------------------------------------------------------------- modular pages

OTHER_PAPERS = Path(__file__).resolve().parent / "fixtures" / "other_papers.jsonl"
SIZE, GUTTER = 26, int(26 * 2.5)  # page_image.typeset's defaults: a character, the gap between columns
COLUMN = 12 * SIZE + GUTTER


def story_lines(row: dict) -> list[str]:
    lines = ["# " + row["title"], ""]
    for para in row["paragraphs"]:
        lines += [para, ""]
    return lines


def modular_page(rows: list[dict], arrangement: str) -> tuple[list[dict], list[list[str]]]:
    """PaddleOCR-style results (lines sorted by height, every seventh pair of neighbours on a row
    glued) of stories typeset as a paper makes up a page: ``side``: a story of two columns beside
    one of three, a story across all five under them; ``stacked``: the three-column side holds two
    stories, the second headline printed beside the two-column story's text. Returns the results
    and each story's lines in reading order."""
    from banmian.page_image import typeset

    def set_story(row: dict, columns: int, dx: int, dy: int) -> list[OcrLine]:
        _, placed = typeset(story_lines(row), columns=columns)
        return [OcrLine(t, Box(b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy)) for t, b, _ in placed.lines]

    left = set_story(rows[0], 2, 0, 0)
    right = [set_story(rows[1], 3, 2 * COLUMN, 0)]
    if arrangement == "stacked":
        right.append(set_story(rows[2], 3, 2 * COLUMN, round(max(ln.box.y1 for ln in right[0]))))
    above = left + [ln for r in right for ln in r]
    under = set_story(rows[3], 5, 0, round(max(ln.box.y1 for ln in above)) + 2 * SIZE)
    stories = [left, *right, under]
    lines = sorted((ln for s in stories for ln in s), key=lambda ln: (ln.box.y0, ln.box.x0))
    out: list[dict] = []
    i = 0
    while i < len(lines):
        a, b = lines[i], lines[i + 1] if i + 1 < len(lines) else None
        if b is not None and i % 7 == 6 and b.box.y0 == a.box.y0 and 0 < b.box.x0 - a.box.x1 < 4 * SIZE:
            a, i = OcrLine(a.text + b.text, a.box.union(b.box)), i + 1
        out.append({"text": a.text, "box": [round(a.box.x0), round(a.box.y0), round(a.box.x1), round(a.box.y1)]})
        i += 1
    return out, [[ln.text for ln in s] for s in stories]


@pytest.mark.parametrize("arrangement", ["side", "stacked"])
def test_modular_page_reads_story_by_story(arrangement, tmp_path) -> None:
    """Stories side by side and stacked, read from PaddleOCR's height-sorted lines: each story's
    lines in the order they were printed, the same articles as the page text of the stories,
    and no article mixing two columns' lines."""
    pytest.importorskip("PIL")
    from banmian.page_image import font_path

    if font_path() is None or font_path(bold=True) is None:
        pytest.skip("Noto CJK fonts are not installed (fonts-noto-cjk)")
    rows = [json.loads(line) for line in OTHER_PAPERS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = sorted(rows, key=lambda r: r["id"])[:4]
    results, stories = modular_page(rows, arrangement)
    path = write(tmp_path, "p.json", json.dumps(results, ensure_ascii=False))
    laid = reading_order(read_ocr(path, "p.json"))
    text = "".join(ln.removeprefix("# ") for ln in laid.lines)
    assert re.sub(r"\s", "", text) == re.sub(r"\s", "", "".join("".join(s) for s in stories))  # story after story, each in order
    read = read_pages(tmp_path, display_root="source_texts")
    result = process_page(read.pages[0])
    printed = [r for r in rows if any(story[0] == r["title"] for story in stories)]
    as_text = process_page(Page(key="t", path="source_texts/t.txt", lines=[ln for r in printed for ln in story_lines(r)]))
    got = [(i.title, re.sub(r"\s", "", "".join(i.paragraphs))) for i in result.items]
    assert got == [(i.title, re.sub(r"\s", "", "".join(i.paragraphs))) for i in as_text.items]
    fac = result.page.facsimile
    for item in result.items:  # within an article, reading never goes back to a column on the left higher up
        boxes = [fac.boxes[n - 1] for b in item.blocks for n in range(b.first, b.last + 1) if fac.boxes[n - 1]]
        lowest = 0
        for prev, box in itertools.pairwise(boxes):
            assert not (box[2] <= prev[0] and box[1] < lowest), (item.title, box, prev)
            lowest = max(lowest, prev[3])
