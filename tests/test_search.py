"""The search index (banmian.search_index) on the seed edition, read back independently.

``query`` decodes the index files the way the browser does (tests/test_browser_search.py runs
the real thing in Chromium, hosted and offline) and every answer is compared with a brute-force
scan of the same articles' text: an entry is found exactly when its text holds every term, in
either script, and never otherwise.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from banmian import convert, search_index, site

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CORPUS = ROOT.parent.parent / "shared" / "corpus" / "rmrb-2026-dev.jsonl"
# A researcher's queries: names from bylines, places, numbers with units, Latin+Han in either
# case, phrases, a digit string, either script, a single character, two terms.
QUERIES = ["熊建国", "蒋平", "殷聪", "无梁镇", "2.04亿元", "B超", "b超", "世界人口日", "五星级", "66544",
           "計劃生育", "计划生育", "無梁鎮", "西集鎮", "无", "薛城区 性别比", "临城街道", "特约记者", "ｂ超"]


def _data(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    m = re.fullmatch(r'bmSearchData\("(\w)",(\d+),(.*)\);\n', text, re.S)
    assert m, f"{path}: not one bmSearchData call"
    return json.loads(m.group(3))


def entries(index: Path) -> list[dict]:
    out: list[dict] = []
    for path in sorted((index / "m").glob("*.js")):
        out += _data(path)  # type: ignore[arg-type]
    return out


def _fnv(key: str) -> int:
    h = 0x811C9DC5
    for c in key:
        h = ((h ^ ord(c)) * 0x01000193) & 0xFFFFFFFF
    return h


def _postings(index: Path, head: dict, key: str) -> dict[int, list[int] | None]:
    shard = _data(index / "s" / f"{_fnv(key) & (head['shards'] - 1):04d}.js")
    assert isinstance(shard, dict)
    if key not in shard["k"]:
        return {}
    i = shard["k"].index(key)
    data = base64.b64decode(shard["b"])[shard["o"][i] : shard["o"][i + 1]]
    values, v, shift = [], 0, 0
    for byte in data:
        v |= (byte & 127) << shift
        shift += 7
        if not byte & 128:
            values.append(v)
            v, shift = 0, 0
    out: dict[int, list[int] | None] = {}
    doc, at = 0, 0
    while at < len(values):
        doc += values[at]
        if len(key) == 1:
            out[doc] = None
            at += 1
            continue
        n, pos = values[at + 1], [values[at + 2]]
        for d in values[at + 3 : at + 2 + n]:
            pos.append(pos[-1] + d)
        out[doc] = pos
        at += 2 + n
    return out


def query(index: Path, q: str) -> set[str]:
    """URLs of the entries holding every term of ``q`` (as bm-search.js finds them)."""
    head = _data(index / "index.js")
    assert isinstance(head, dict)
    items = entries(index)
    found: set[int] | None = None
    for term in search_index.fold(q).split():
        if len(term) == 1:
            docs = set(_postings(index, head, term))
        else:
            lists = [_postings(index, head, term[i : i + 2]) for i in range(len(term) - 1)]
            docs = {d for d, pos in lists[0].items() if all(d in lst for lst in lists)
                    and any(all(p + j in set(lists[j][d] or ()) for j in range(1, len(lists))) for p in pos or ())}
        found = docs if found is None else found & docs
    return {items[d]["u"] for d in found or ()}


def brute(q: str) -> set[str]:
    """URLs of the seed entries whose searchable text holds every term: a plain scan."""
    entries_ = site.load_entries(DOCS)
    records = {p.key: p.record for p in site.load_pages(DOCS, entries_)}
    out = set()
    for e in entries_:
        title, others, body = search_index.entry_fields(e.meta, e.body, records.get(e.path.rsplit("/", 1)[0], {}))
        fields = [search_index.squeeze(t) for t in [title, *others, body]]
        if all(any(t in f for f in fields) for t in search_index.fold(q).split()):
            out.add(site.html_of(e.path))
    return out


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "bm-search"
    e = site.load_entries(DOCS)
    search_index.build(e, {p.key: p.record for p in site.load_pages(DOCS, e)}, convert.to_traditional, out)
    return out


@pytest.mark.parametrize("q", QUERIES)
def test_a_query_finds_exactly_the_entries_that_hold_it(index: Path, q: str) -> None:
    expected = brute(q)
    assert query(index, q) == expected
    if q not in ("无",):
        assert expected, f"the seeds hold {q!r}: the query set should test a hit"


def test_either_script_finds_the_same_entries(index: Path) -> None:
    for q in ("计划生育", "无梁镇", "熊建国", "世界人口日", "西集镇"):
        assert query(index, convert.to_traditional(q)) == query(index, q) != set()


def test_bylines_and_places_are_searchable_though_not_in_the_body(index: Path) -> None:
    e = site.load_entries(DOCS)
    xiong = next(x for x in e if any(a.get("name") == "熊建国" for a in x.meta.get("authors") or []))
    assert "熊建国" not in xiong.body
    assert site.html_of(xiong.path) in query(index, "熊建国")


def test_a_term_is_matched_whole_not_by_its_characters(index: Path) -> None:
    """蒋平 is not 平台 + 蒋…; 无梁镇 is not every page with 无."""
    assert query(index, "蒋平") < query(index, "平")
    assert len(query(index, "无梁镇")) == 1 < len(query(index, "无"))


def test_results_carry_date_place_authors_and_the_other_script(index: Path) -> None:
    items = entries(index)
    wu = next(i for i in items if "无梁镇" in i["t"])
    assert wu["l"] == ["河南省", "许昌市", "禹州市"] and wu["tn"] == "无梁镇" and wu.get("d")
    assert wu["T"]["t"] == convert.to_traditional(wu["t"]) and wu["T"]["tn"] == "無梁鎮"
    ids_by_date = [i.get("d") or "~" for i in items]
    assert ids_by_date == sorted(ids_by_date), "entry ids follow the date (undated last): date order needs no data"


def test_every_seed_text_folds_back_from_its_traditional_form() -> None:
    """What the traditional site shows folds to what the index holds, character for character."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(DOCS.rglob("*.md"))]
    if CORPUS.is_file():
        texts += ["".join(json.loads(line)["paragraphs"]) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    for text in texts:
        trad = convert.to_traditional(text)
        if len(trad) == len(text):
            assert search_index.fold(trad) == search_index.fold(text)


def test_fold_is_one_character_for_one() -> None:
    table = search_index.fold_table()
    assert all(len(k) == 1 and len(v) == 1 for k, v in table.items())
    assert search_index.fold("計劃生育Ｂ超") == "计划生育b超"


def test_the_index_is_deterministic_and_keeps_what_did_not_change(index: Path, tmp_path: Path) -> None:
    e = site.load_entries(DOCS)
    records = {p.key: p.record for p in site.load_pages(DOCS, e)}
    again = search_index.build(e, records, convert.to_traditional, index)
    assert again["written"] == 0 and again["removed"] == 0
    stray = index / "notes.txt"
    stray.write_text("not ours", encoding="utf-8")
    fewer = search_index.build(e[:10], records, convert.to_traditional, index)
    assert fewer["entries"] == 10 and stray.is_file(), "only the index's own files are removed"
    assert len(list((index / "m").glob("*.js"))) == 1
    search_index.build(e, records, convert.to_traditional, index)  # as it was, for the other tests
