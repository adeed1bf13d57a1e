"""Clean-up rules: cases kept as data (tests/cases/clean_*.yml) and behaviour on the seed pages."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from banmian import clean
from banmian.clean import (
    blank_line_blocks,
    clean_and_explain,
    clean_lines,
    column_width,
    dedupe_paragraphs,
    join_block_lines,
    rejoin_blocks,
)
from banmian.model import Block, BlockKind, Fix

CASES_DIR = Path(__file__).resolve().parent / "cases"
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff]"


def load_cases() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("clean_*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            params.append(pytest.param(case, id=f"{path.stem}:{case['name']}", marks=marks))
    return params


def run(case: dict) -> tuple[object, list]:
    func = case.get("func", "clean_and_explain")
    if func == "clean_and_explain":
        return clean_and_explain(case["input"], 1, byline=case.get("byline", False))
    if func == "join_block_lines":
        return join_block_lines(case["input"], 1)
    if func == "dedupe_paragraphs":
        kept, _, fixes = dedupe_paragraphs(case["input"], list(range(1, len(case["input"]) + 1)))
        return kept, fixes
    raise AssertionError(f"unknown func {func}")


@pytest.mark.parametrize("case", load_cases())
def test_case(case: dict) -> None:
    out, fixes = run(case)
    expect = case.get("expect", case["input"])
    if case.get("func") == "join_block_lines" and "expect" not in case:
        expect = "".join(case["input"])
    assert out == expect
    rules = {f.rule for f in fixes}
    if "expect" in case:
        assert rules == set(case["rules"])
    else:
        assert fixes == [], "a negative case must not record any fix"


def test_cases_cover_every_text_rule() -> None:
    """Each named rule has at least one positive case kept as data."""
    covered = set()
    for path in CASES_DIR.glob("clean_positive*.yml"):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            covered |= set(case.get("rules", []))
    assert {name for name, _ in clean.RULES} | {"join_lines", "remove_repeated_paragraph"} <= covered


# --- helpers: a crude stand-in for the segmenter's classifier, enough to exercise the rules -------


def classify(block: Block) -> Block:
    text = "".join(ln.strip() for ln in block.lines)
    if re.fullmatch(r"[(（][^()（）]{1,40}[)）]", text):
        block.kind = BlockKind.BYLINE
    elif text.startswith("#") or (len(block.lines) == 1 and len(text) <= 30 and not re.search(r"[。！？，、；：,;:]$", text)):
        block.kind = BlockKind.HEADLINE
    return block


def without_credits(text: str) -> str:
    """Credits (``（记者熊建国 通讯员刘常红）``) keep the spaces that separate names: skip them."""
    for a, b in reversed(clean.credit_spans(text)):
        text = text[:a] + text[b:]
    return text


def seed_blocks(page) -> tuple[list[Block], int]:
    width = column_width(page.lines)
    return rejoin_blocks([classify(b) for b in blank_line_blocks(page.lines)], width), width


def cleaned_bodies(page) -> list[tuple[Block, str]]:
    blocks, _ = seed_blocks(page)
    out = []
    for b in blocks:
        text, _ = clean_lines(b.lines, b.first, byline=b.kind == BlockKind.BYLINE)
        out.append((b, text))
    return out


# --- seeds -----------------------------------------------------------------------------------------


def test_column_width_tells_narrow_from_wide_pages(seed_pages) -> None:
    widths = {key[:3]: column_width(p.lines) for key, p in seed_pages.items()}
    assert 10 <= widths["000"] <= 13  # the page set in 10–13 character columns
    assert widths["001"] == widths["003"] == widths["004"] == 0  # one source line per paragraph


def test_column_breaks_in_narrow_columns_are_rejoined(seed_pages) -> None:
    page = next(p for k, p in seed_pages.items() if k.startswith("000"))
    blocks, _ = seed_blocks(page)
    joined = {f.line for b in blocks for f in b.fixes if f.rule == "join_column_break"}
    # 开展了一系⏎⏎列生育关怀活动; 有关禁止⏎⏎“两非”行为; 移风易俗等⏎⏎内容
    assert {66, 181, 455} <= joined
    texts = [clean_lines(b.lines, b.first)[0] for b in blocks if b.kind == BlockKind.BODY]
    assert any("开展了一系列生育关怀活动" in t for t in texts)
    assert any("国家有关禁止“两非”行为的法律法规" in t for t in texts)


def test_real_paragraph_ends_stay(seed_pages) -> None:
    """A block ending a sentence followed by an indented (shorter) first line is a new paragraph."""
    page = next(p for k, p in seed_pages.items() if k.startswith("000"))
    blocks, _ = seed_blocks(page)
    starts = {b.first for b in blocks}
    # 口环境。⏎⏎强化领导，提供保障。镇 / 工作格局。⏎⏎宣传到位 / 修订完善工作。⏎⏎开展生育关怀活动
    assert {146, 164, 63} <= starts


def test_headline_is_never_swallowed(seed_pages) -> None:
    page = next(p for k, p in seed_pages.items() if k.startswith("001"))
    blocks, _ = seed_blocks(page)
    heads = [b for b in blocks if b.kind == BlockKind.HEADLINE]
    assert any("常庄镇“五到位”提升计生服务水平" in b.raw for b in heads)
    for b in blocks:
        if b.kind == BlockKind.BODY:
            assert "常庄镇“五到位”提升计生服务水平" not in b.raw


def test_paragraph_end_inside_a_block_is_split(seed_pages) -> None:
    page = next(p for k, p in seed_pages.items() if k.startswith("002"))
    blocks, _ = seed_blocks(page)
    fix = [f for b in blocks for f in b.fixes if f.rule == "split_paragraph_end"]
    assert [f.line for f in fix] == [17]  # 工作的意见和建议。⏎美在基层: …
    assert any(b.lines[0].startswith("美在基层") for b in blocks)


def test_rejoin_blocks_does_not_mutate_its_input(seed_pages) -> None:
    page = next(p for k, p in seed_pages.items() if k.startswith("000"))
    blocks = [classify(b) for b in blank_line_blocks(page.lines)]
    snapshot = [(b.first, b.last, list(b.lines), list(b.fixes)) for b in blocks]
    rejoin_blocks(blocks, column_width(page.lines))
    assert snapshot == [(b.first, b.last, list(b.lines), list(b.fixes)) for b in blocks]


def test_rejoin_blocks_carries_every_block_field() -> None:
    """rejoin_blocks rebuilds blocks field by field (faster than dataclasses.replace): a field
    added to Block must not be dropped on the way."""
    from dataclasses import fields

    fix = Fix("join_lines", 3, "a", "b")
    block = Block(kind=BlockKind.DATELINE, first=3, last=4, lines=["本报讯", "消息"], text="t", fixes=[fix], confidence=0.5)
    assert {f.name for f in fields(Block)} == {"kind", "first", "last", "lines", "text", "fixes", "confidence"}, \
        "Block has a new field: name it in clean._rebuilt"
    (copy,) = rejoin_blocks([block], 0)
    assert copy == block and copy is not block and copy.lines is not block.lines and copy.fixes is not block.fixes


def test_measured_gaps_keep_full_lines_apart() -> None:
    """Narrow columns: a block opening with a full line after a finished sentence continues the
    paragraph (its indent would be printed), unless the blank line is a gap measured on the
    page image (text laid out from OCR coordinates). An unfinished sentence is joined either way."""
    first = Block(kind=BlockKind.BODY, first=1, last=3, lines=["一二三四五六七八九十甲乙", "一二三四五六七八九十甲乙", "一二三四五六七八九十。"])
    full = Block(kind=BlockKind.BODY, first=5, last=6, lines=["子丑寅卯辰巳午未申酉戌亥", "子丑寅卯辰巳午未。"])
    assert len(rejoin_blocks([first, full], 12)) == 1
    assert len(rejoin_blocks([first, full], 12, gaps_measured=True)) == 2
    unfinished = Block(kind=BlockKind.BODY, first=1, last=2, lines=["一二三四五六七八九十甲乙", "一二三四五六七八九十甲"])
    assert len(rejoin_blocks([unfinished, full], 12, gaps_measured=True)) == 1


def test_merged_block_keeps_line_numbers(seed_pages) -> None:
    """lines[i] is source line first+i even after a merge, so every Fix names its real line."""
    page = next(p for k, p in seed_pages.items() if k.startswith("000"))
    blocks, _ = seed_blocks(page)
    for b in blocks:
        assert b.last - b.first + 1 == len(b.lines)
        for i, ln in enumerate(b.lines):
            assert ln == page.lines[b.first + i - 1] or not ln.strip() or b.kind == BlockKind.BYLINE


def test_fix_names_the_source_line_and_stays_short(seed_pages) -> None:
    page = next(p for k, p in seed_pages.items() if k.startswith("000"))
    blocks, _ = seed_blocks(page)
    fixes = [f for b in blocks for f in clean_lines(b.lines, b.first)[1]]
    space = [f for f in fixes if f.rule == "remove_stray_space" and "计 生 协 会" in f.before]
    assert [f.line for f in space] == [21]
    double = [f for f in fixes if f.rule == "collapse_double_period"]
    assert [f.line for f in double] == [185]
    assert all(len(f.before) <= 40 for f in fixes if f.rule not in clean.REMOVAL_RULES)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_bodies_are_clean(seed_pages, prefix: str) -> None:
    """Issue 3 "done when", on the clean-up's own output for every seed page."""
    page = next(p for k, p in seed_pages.items() if k.startswith(prefix))
    for block, text in cleaned_bodies(page):
        if block.kind != BlockKind.BODY:
            continue
        assert "\n" not in text
        text = without_credits(text)
        assert not re.search(f"{HAN}\\s+{HAN}", text), text
        assert not re.search(f"{HAN}[,;:]|[,;:]{HAN}", text), text
        sentences = re.findall(r"[^。！？]+[。！？]", text)
        for a, b in itertools.pairwise(sentences):
            assert not (a == b and len(a) >= clean.MIN_REPEAT_SENTENCE), a


def test_repeated_paragraphs_in_seed_002_are_removed_once(seed_pages) -> None:
    page = next(p for k, p in seed_pages.items() if k.startswith("002"))
    bodies = [(b, t) for b, t in cleaned_bodies(page) if b.kind == BlockKind.BODY and 66 <= b.first <= 83]
    kept, lines, fixes = dedupe_paragraphs([t for _, t in bodies], [b.first for b, _ in bodies])
    assert [f.line for f in fixes] == [83]
    assert fixes[0].before.startswith("打好“三张牌”，唱好维护群众利益曲。")
    assert 83 not in lines and len(kept) == len(bodies) - 1


def test_sentence_repeated_three_times_in_seed_001(seed_pages) -> None:
    page = next(p for k, p in seed_pages.items() if k.startswith("001"))
    text, fixes = clean_lines([page.lines[28]], 29)
    removed = [f for f in fixes if f.rule == "remove_repeated_sentence"]
    assert len(removed) == 2 and all(f.line == 29 for f in removed)
    assert text.count("近几年来，全区通过项目运作倾斜女孩家庭") == 1


def test_clean_is_deterministic(seed_pages) -> None:
    page = next(p for k, p in seed_pages.items() if k.startswith("000"))
    assert cleaned_bodies(page) == cleaned_bodies(page)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_pipeline_bodies_have_no_stray_spaces_or_halfwidth_punctuation(seed_pages, prefix: str) -> None:
    """The same checks on what the pipeline publishes, whatever the segmenter does around us."""
    from banmian.pipeline import process_page

    page = next(p for k, p in seed_pages.items() if k.startswith(prefix))
    for item in process_page(page).items:
        if item.type != "article":
            continue
        for para in map(without_credits, item.paragraphs):
            # ASCII/no-break spaces only: a deliberate U+3000 after a dateline (本报讯　) is typography
            assert not re.search(f"{HAN}[ \u00a0]+{HAN}", para), (item.id, para)
            assert not re.search(f"{HAN}[,;:]|[,;:]{HAN}", para), (item.id, para)
