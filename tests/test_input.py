"""Bad input: every readable file is read correctly, every unreadable one is named with what to do,
the rest of the batch is still ingested, and the command exits non-zero with a summary.

The bad files are built here in temporary folders from the seed texts in source_texts/.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from banmian.check import check_docs
from banmian.emit import emit, is_hand_edited
from banmian.pipeline import process_page
from banmian.reader import MAX_PAGE_BYTES, decode, page_key, read_pages
from conftest import SEEDS, items_of
from conftest import run_here as run  # in this process: none of these commands starts MkDocs

SEED = SEEDS[0]
TEXT = SEED.read_text(encoding="utf-8")


def png_bytes() -> bytes:
    """A real 1×1 PNG, as a scanner folder would hold next to the texts."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    ihdr = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def one_page(tmp: Path, name: str, data: bytes, manifest: str | None = None):
    src = tmp / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / name).write_bytes(data)
    if manifest is not None:
        (src / "manifest.yml").write_text(manifest, encoding="utf-8")
    return read_pages(src)


def lines_of(text: str) -> list[str]:
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


# --- encodings and line ends ----------------------------------------------------------------

@pytest.mark.parametrize(
    "label, data",
    [
        ("utf8-bom", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
        ("gb18030", TEXT.encode("gb18030")),
        ("gbk", TEXT.encode("gbk")),
        ("utf16-le-bom", TEXT.encode("utf-16")),  # Python writes LE with BOM
        ("utf16-be-bom", b"\xfe\xff" + TEXT.encode("utf-16-be")),
        ("utf32-bom", TEXT.encode("utf-32")),
    ],
)
def test_encodings_give_the_same_lines(tmp_path: Path, label: str, data: bytes) -> None:
    read = one_page(tmp_path, "p.txt", data)
    assert read.errors == []
    assert read.pages[0].lines == lines_of(TEXT), label
    assert not read.pages[0].lines[0].startswith("\ufeff")


def test_manifest_encoding_is_used_and_bom_dropped(tmp_path: Path) -> None:
    read = one_page(tmp_path, "p.txt", b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "pages:\n  p.txt: {encoding: utf-8}\n")
    assert read.errors == [] and read.pages[0].lines == lines_of(TEXT)


def test_big5_needs_the_manifest(tmp_path: Path) -> None:
    from banmian.convert import to_traditional

    trad = to_traditional(TEXT)
    data = trad.encode("big5", errors="ignore")
    named = one_page(tmp_path / "a", "p.txt", data, "pages:\n  p.txt: {encoding: big5}\n")
    assert named.errors == [] and named.pages[0].lines == lines_of(data.decode("big5"))
    guessed = one_page(tmp_path / "b", "p.txt", data)
    assert guessed.pages == []
    assert "encoding: big5" in str(guessed.errors[0])


def test_wrong_manifest_encoding_is_named(tmp_path: Path) -> None:
    read = one_page(tmp_path, "p.txt", TEXT.encode("gb18030"), "pages:\n  p.txt: {encoding: utf-8}\n")
    assert read.pages == []
    assert str(read.errors[0]).startswith("src/p.txt: ") and "manifest.yml" in str(read.errors[0])


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_give_the_same_articles(tmp_path: Path, newline: str) -> None:
    lf = one_page(tmp_path / "lf", "p.txt", TEXT.encode("utf-8")).pages[0]
    other = one_page(tmp_path / "x", "p.txt", TEXT.replace("\n", newline).encode("utf-8")).pages[0]
    assert other.lines == lf.lines
    a, b = process_page(lf), process_page(other)
    assert [(i.id, i.title, i.paragraphs, i.first_line, i.last_line) for i in a.items] == [
        (i.id, i.title, i.paragraphs, i.first_line, i.last_line) for i in b.items
    ]


# --- files that cannot be pages -----------------------------------------------------------

@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "file is empty"),
        (b" \n\t\r\n\xe3\x80\x80\n", "file is empty"),  # spaces, tab, CRLF, ideographic space
        (png_bytes(), "binary"),
        (bytes(range(1, 32)) * 40, "binary"),  # control characters, no NUL
        (b"Only English text here.\nNo Chinese at all.\n", "no Chinese characters"),
        (bytes([0x81, 0x20, 0xFF]) * 50, "unknown encoding"),
    ],
)
def test_unreadable_files_are_named(tmp_path: Path, data: bytes, expected: str) -> None:
    read = one_page(tmp_path, "bad.txt", data)
    assert read.pages == []
    assert len(read.errors) == 1
    message = str(read.errors[0])
    assert message.startswith("src/bad.txt: ") and expected in message
    assert re.search(r"[\u4e00-\u9fff]", message), "every message has a Chinese part"


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    """Policy: a page file over MAX_PAGE_BYTES (2 MiB) is refused from its size; 20 MB of seed text
    is refused in bounded memory and the other pages of the batch are still ingested."""
    src = tmp_path / "src"
    src.mkdir()
    with (src / "huge.txt").open("w", encoding="utf-8") as fh:
        while fh.tell() < 20_000_000:
            fh.write(TEXT)
    (src / "ok.txt").write_text(TEXT, encoding="utf-8")
    assert (src / "huge.txt").stat().st_size > MAX_PAGE_BYTES
    # The ingest process reports its own peak (VmHWM of its address space). Neither RUSAGE_CHILDREN
    # (every child pytest ever ran, site builds included) nor ru_maxrss (Linux keeps the forking
    # parent's high-water mark across exec) measures this ingest.
    probe = (
        "import re, sys\n"
        "from banmian.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "status = open('/proc/self/status').read()\n"
        "print('PEAK_KB', re.search(r'VmHWM:\\s*(\\d+)', status).group(1))\n"
        "sys.exit(code)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", probe, "ingest", "--source", str(src), "--docs", str(tmp_path / "docs")],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert r.returncode == 1
    assert "src/huge.txt: " in r.stderr and "file too large" in r.stderr and "split it" in r.stderr
    assert items_of(tmp_path / "docs" / "ok")[0].is_file()
    peak_kb = int(r.stdout.split("PEAK_KB")[1].split()[0])
    assert peak_kb < 400_000, "ingest must not load a 20 MB file into memory"


# --- manifests --------------------------------------------------------------------------

def test_malformed_manifest_names_its_line(tmp_path: Path) -> None:
    read = one_page(tmp_path, "p.txt", TEXT.encode(), "defaults:\n  publication: 某报\npages:\n  p.txt: {date: 2013-09-20\n  q.txt: x\n")
    assert [p.key for p in read.pages] == ["p"], "the page is still read, without the manifest"
    (err,) = read.errors
    assert err.path == "src/manifest.yml" and err.line in (4, 5, 6) and "malformed YAML" in err.message


@pytest.mark.parametrize(
    "name, expected",
    [
        ("missing.txt", "does not exist"),
        ("../../etc/passwd", "leaves the source folder"),
        ("/etc/passwd", "leaves the source folder"),
        ("link.txt", "leaves the source folder"),
    ],
)
def test_manifest_paths_stay_inside(tmp_path: Path, name: str, expected: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "p.txt").write_text(TEXT, encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text(TEXT, encoding="utf-8")
    (src / "link.txt").symlink_to(outside)
    (src / "manifest.yml").write_text(f"pages:\n  p.txt: {{date: 2013-09-20}}\n  '{name}': {{publication: 某报}}\n", encoding="utf-8")
    read = read_pages(src)
    assert [p.key for p in read.pages] == ["p"] and read.pages[0].meta.date == "2013-09-20"
    messages = [str(e) for e in read.errors if "manifest" in e.path]
    assert len(messages) == 1 and messages[0].startswith("src/manifest.yml:3: ") and expected in messages[0]
    # the escaping symlink itself is refused as a page, too
    assert any(e.path == "src/link.txt" and "outside the source folder" in e.message for e in read.errors)


def test_manifest_bad_shapes_never_crash(tmp_path: Path) -> None:
    bad = "defaults: [1, 2]\npages:\n  p.txt: just a string\n  q.txt: {date: last tuesday, encoding: klingon, colour: red}\nextra: 1\n"
    src = tmp_path / "src"
    src.mkdir()
    (src / "p.txt").write_text(TEXT, encoding="utf-8")
    (src / "q.txt").write_text(TEXT, encoding="utf-8")
    (src / "manifest.yml").write_text(bad, encoding="utf-8")
    read = read_pages(src)
    assert [p.key for p in read.pages] == ["p", "q"]
    assert read.pages[1].meta.date is None and read.pages[1].meta.encoding is None
    text = "\n".join(map(str, read.errors))
    for fragment in ("'defaults' must be a mapping", "src/manifest.yml:3: ", "must be a mapping", "last tuesday",
                     "unknown encoding 'klingon'", "unknown field 'colour'", "unknown top-level key 'extra'"):
        assert fragment in text


def test_symlinked_folder_is_not_followed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "p.txt").write_text(TEXT, encoding="utf-8")
    (src / "loop").symlink_to(src)  # a loop, and a folder outside would be the same
    read = read_pages(src)
    assert [p.key for p in read.pages] == ["p"]
    assert [e.path for e in read.errors] == ["src/loop"]


# --- keys -------------------------------------------------------------------------------

def test_clashing_keys_refuse_both_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a b.txt", "a-b.txt", "A_B.txt", "c.txt"):
        (src / name).write_text(TEXT, encoding="utf-8")
    (src / "A-b.txt").write_text(TEXT, encoding="utf-8")  # differs only in case: clashes on macOS/Windows
    read = read_pages(src)
    assert [p.key for p in read.pages] == ["A_B", "c"]
    clash = sorted(e.path for e in read.errors)
    assert clash == ["src/A-b.txt", "src/a b.txt", "src/a-b.txt"]
    msg = next(str(e) for e in read.errors if e.path == "src/a b.txt")
    assert "src/a-b.txt" in msg and "rename one" in msg


@pytest.mark.parametrize(
    "rel, key",
    [
        ("第 1 版 要闻.txt", "第-1-版-要闻"),
        ("2013/09 20/p 01.txt", "2013__09-20__p-01"),
        ("zh-Hant.txt", "zh-Hant-page"),
        ("CON.txt", "CON-page"),
        ("!!!.txt", "page"),
    ],
)
def test_keys_are_url_safe_and_stable(rel: str, key: str) -> None:
    from pathlib import PurePosixPath

    assert page_key(PurePosixPath(rel)) == key
    assert re.fullmatch(r"[0-9A-Za-z_\-\u3007\u3400-\u4dbf\u4e00-\u9fff]+", key)


def test_long_names_give_short_distinct_keys() -> None:
    from pathlib import PurePosixPath

    a, b = page_key(PurePosixPath("长" * 100 + "甲.txt")), page_key(PurePosixPath("长" * 100 + "乙.txt"))
    assert a != b and len(a.encode()) <= 180 and len(b.encode()) <= 180


def test_names_with_spaces_and_chinese_are_ingested(tmp_path: Path) -> None:
    src = tmp_path / "版面 文本"
    (src / "二〇一三 年").mkdir(parents=True)
    (src / "二〇一三 年" / "第 3 版.txt").write_text(TEXT, encoding="utf-8")
    r = run("ingest", "--source", str(src), "--docs", "docs", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (folder,) = (tmp_path / "docs").iterdir()
    assert folder.name == "二〇一三-年__第-3-版"
    fm = items_of(folder)[0].read_text(encoding="utf-8")
    assert "file: 版面 文本/二〇一三 年/第 3 版.txt" in fm or "file: '版面 文本/二〇一三 年/第 3 版.txt'" in fm


# --- hand-edited articles ------------------------------------------------------------------

def test_broken_front_matter_is_named_and_never_overwritten(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "p.txt").write_text(TEXT, encoding="utf-8")
    docs = tmp_path / "docs"
    assert run("ingest", "--source", str(src), "--docs", str(docs), cwd=tmp_path).returncode == 0
    victim = items_of(docs / "p")[0]
    lines = victim.read_text(encoding="utf-8").split("\n")
    lines[2] = "title: [校对过的标题"  # an unclosed flow sequence: the YAML no longer parses
    broken = "\n".join(lines)
    victim.write_text(broken, encoding="utf-8")
    assert is_hand_edited(broken)
    _, problems = check_docs(docs)
    assert len(problems) == 1 and str(problems[0]).startswith(f"{victim.as_posix()}:") and problems[0].line >= 3
    r = run("ingest", "--source", str(src), "--docs", str(docs), cwd=tmp_path)
    assert "Traceback" not in r.stderr
    assert victim.read_text(encoding="utf-8") == broken
    assert "hand-edited, kept" in r.stderr


def test_hand_edited_file_in_another_encoding_is_not_a_traceback(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "p.txt").write_text(TEXT, encoding="utf-8")
    docs = tmp_path / "docs"
    emit([process_page(p) for p in read_pages(src).pages], docs)
    victim = items_of(docs / "p")[0]
    saved = victim.read_text(encoding="utf-8").replace("\n\n", "\n\n校对。", 1).encode("gb18030")
    victim.write_bytes(saved)
    r = run("ingest", "--source", str(src), "--docs", str(docs), cwd=tmp_path)
    assert "Traceback" not in r.stderr
    assert victim.read_bytes() == saved, "a hand-edited file is never overwritten, whatever its encoding"


# --- the whole batch, as a user sees it ----------------------------------------------------

def bad_batch(src: Path) -> None:
    """One folder holding every kind of bad input next to two good pages."""
    src.mkdir()
    (src / "good one.txt").write_text(TEXT, encoding="utf-8")
    (src / "好 版面.txt").write_bytes(SEEDS[1].read_text(encoding="utf-8").encode("gb18030"))
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_text("  \n\n\u3000\n", encoding="utf-8")
    (src / "photo.txt").write_bytes(png_bytes())
    (src / "english.txt").write_text("Advertisement\nCall 555-0100\n", encoding="utf-8")
    (src / "x y.txt").write_text(TEXT, encoding="utf-8")
    (src / "x-y.txt").write_text(TEXT, encoding="utf-8")
    (src / "manifest.yml").write_text("pages:\n  good one.txt: {date: 2013-09-20}\n  ../../etc/passwd: {}\n  gone.txt: {}\n", encoding="utf-8")
    sub = src / "sub"
    sub.mkdir()
    (sub / "manifest.yml").write_text("pages: [unclosed\n", encoding="utf-8")


def test_bad_batch_names_each_file_and_ingests_the_rest(tmp_path: Path) -> None:
    bad_batch(tmp_path / "src")
    r = run("ingest", "--source", "src", "--docs", "docs", cwd=tmp_path)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    err = r.stderr
    expected = {
        "src/blank.txt: ": "file is empty",
        "src/empty.txt: ": "file is empty",
        "src/english.txt: ": "no Chinese characters",
        "src/photo.txt: ": "looks like a binary file",
        "src/x y.txt: ": "same page key as src/x-y.txt",
        "src/x-y.txt: ": "same page key as src/x y.txt",
        "src/manifest.yml:3: ": "leaves the source folder",
        "src/manifest.yml:4: ": "does not exist: gone.txt",
        "src/sub/manifest.yml:": "malformed YAML",
    }
    for where, what in expected.items():
        line = next((x for x in err.splitlines() if x.startswith(where)), None)
        assert line is not None and what in line, (where, err)
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["good-one", "好-版面"]
    assert "2013-09-20" in items_of(tmp_path / "docs" / "good-one")[0].read_text(encoding="utf-8")
    assert err.rstrip().splitlines()[-1].startswith("跳过"), "the summary comes last"
    assert "9 problem(s) in 8 file(s)" in err.splitlines()[-1]


@pytest.mark.parametrize(
    "args, expected",
    [
        (["ingest", "--source", "missing-dir"], "missing-dir: 源文件夹不存在 / source folder does not exist"),
        (["ingest", "--source", "file.txt"], "file.txt: 不是文件夹 / is not a folder"),
        (["check", "--docs", "missing-dir"], "missing-dir: 文章文件夹不存在 / docs folder does not exist"),
        (["site", "--docs", "missing-dir", "--site", "out"], "missing-dir: 文章文件夹不存在"),
    ],
)
def test_missing_folders_exit_2(tmp_path: Path, args: list[str], expected: str) -> None:
    (tmp_path / "file.txt").write_text(TEXT, encoding="utf-8")
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 2 and expected in r.stderr and "Traceback" not in r.stderr


def test_unwritable_docs_exit_2(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = tmp_path / "docs"
        target.write_text("a file where a folder should be", encoding="utf-8")
    else:
        target = tmp_path / "ro"
        target.mkdir(mode=0o500)
    src = tmp_path / "src"
    src.mkdir()
    (src / "p.txt").write_text(TEXT, encoding="utf-8")
    r = run("ingest", "--source", "src", "--docs", target.name, cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "cannot write" in r.stderr


def test_decode_never_raises_anything_but_input_error() -> None:
    from banmian.reader import InputError

    for data in (b"\xff\xfe\x00", b"\xfe\xff\xd8\x00", b"\xef\xbb\xbf\xff", b"\x00\x00\xfe\xff\x00"):
        with contextlib.suppress(InputError):
            decode(data, "x.txt")


def test_manifest_defaults_apply_to_every_page_in_the_folder(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    for name in ("a.txt", "sub/b.txt", "sub/c.txt"):
        (src / name).write_text(TEXT, encoding="utf-8")
    (src / "manifest.yml").write_text("defaults: {publication: 甲报}\npages:\n  a.txt: {date: 2013-09-20}\n", encoding="utf-8")
    (src / "sub" / "manifest.yml").write_text("defaults: {publication: 乙报}\npages:\n  c.txt: {page: '3'}\n", encoding="utf-8")
    read = read_pages(src)
    assert read.errors == []
    metas = {p.key: (p.meta.publication, p.meta.date, p.meta.page) for p in read.pages}
    assert metas == {"a": ("甲报", "2013-09-20", None), "sub__b": ("乙报", None, None), "sub__c": ("乙报", None, "3")}
