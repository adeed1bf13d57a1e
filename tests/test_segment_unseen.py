"""The segmenter on a page it has never seen: seed 004's Markdown-marked articles re-typeset in the
other styles of these papers (plain headlines, narrow columns with a column break, half-width
punctuation, trailing and standalone bylines, a dateline, a mark byline, a column label, a photo
caption with its credit, a headline printed at the page end) and shuffled. The right articles must come out."""

from __future__ import annotations

import re

import pytest

from banmian.model import BlockKind, Page
from banmian.segment import segment_page


def seed_articles(page: Page) -> list[tuple[str, list[str]]]:
    """(headline, paragraphs) from a page whose headlines are marked ``## ``; bold marks dropped."""
    out: list[tuple[str, list[str]]] = []
    for line in page.lines:
        text = line.strip()
        if text.startswith("#"):
            out.append((text.lstrip("#").strip(), []))
        elif text and out:
            out[-1][1].append(text.replace("**", ""))
    # the source's own column breaks (a sentence cut by a blank line) joined back for the fixture
    for _, paras in out:
        n = 0
        while n < len(paras) - 1:
            if not re.search(r"[。！？”]$", paras[n]):
                paras[n : n + 2] = [paras[n] + paras[n + 1]]
            else:
                n += 1
    return out


def narrow(paragraph: str, width: int = 12) -> list[str]:
    """Wrap like a narrow newspaper column: the first line indented by two characters."""
    first = width - 2
    return [paragraph[:first]] + [paragraph[i : i + width] for i in range(first, len(paragraph), width)]


def half_width(text: str) -> str:
    return text.translate(str.maketrans({"，": ",", "；": ";", "：": ":"}))


def norm(text: str) -> str:
    return re.sub(r"\s", "", text).translate(str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}))


@pytest.fixture(scope="module")
def unseen(seed_pages) -> tuple[list[tuple[str, list[str]]], Page]:
    source = next(p for k, p in seed_pages.items() if k.startswith("004"))
    arts = seed_articles(source)
    assert len(arts) == 8
    a, b, c, d, e = arts[2], arts[5], arts[1], arts[6], arts[7]  # shuffled
    lines: list[str] = ["", ""]
    # 1. plain headline, narrow columns, a column break mid-sentence, byline after the last sentence
    lines += [a[0], ""]
    for n, para in enumerate(a[1]):
        wrapped = narrow(para)
        if n == 1:
            cut = len(wrapped) // 2
            wrapped = [*wrapped[:cut], "", *wrapped[cut:]]  # a column ended mid-sentence
        if n == len(a[1]) - 1:
            wrapped[-1] += " (通讯员 张明)"
        lines += [*wrapped, ""]
    # 2. wide lines, half-width punctuation, standalone byline with a padded two-character name
    lines += [b[0], ""]
    for para in b[1]:
        lines += [half_width(para), ""]
    lines += ["(赵 新)", ""]
    # an article whose headline is printed at the very end of the page
    for para in e[1]:
        lines += [para, ""]
    lines += ["(通讯员 吴刚)", ""]
    # a photo caption between articles, set off by blank lines, with its credit in brackets
    lines += ["", "", "北庄镇设立第24个世界人口日宣传点,宣传当前人口形势和计生法律法规。(通讯员 周文 摄)", "", "", ""]
    # 3. column label over the headline, a dateline with its byline
    lines += ["各地动态", "", c[0], "", f"本报讯 (记者孙力 通讯员钱进){c[1][0]}", ""]
    for para in c[1][1:]:
        lines += [para, ""]
    # 4. headline followed by a mark byline
    lines += [d[0], "", "□陈晓作", ""]
    for para in d[1]:
        lines += [para, ""]
    lines += [e[0], ""]
    return [a, b, e, c, d], Page(key="unseen", path="tests/unseen.txt", lines=lines)


def test_right_articles_in_order(unseen) -> None:
    expected, page = unseen
    _, items, _, _ = segment_page(page)
    articles = [i for i in items if i.type == "article"]
    assert [i.title for i in articles] == [t for t, _ in expected]
    assert [i.flags for i in articles] == [[], [], ["orphan_headline"], [], []]
    assert [i.type for i in items] == ["article", "article", "article", "caption", "article", "article"]


def test_text_kept_whole_and_bylines_out_of_the_body(unseen) -> None:
    expected, page = unseen
    _, items, _, _ = segment_page(page)
    articles = [i for i in items if i.type == "article"]
    for item, (title, paras) in zip(articles, expected, strict=True):
        body = norm("".join(item.paragraphs))
        assert body.replace("本报讯", "") == norm("".join(paras)), title
        for name in ("张明", "赵新", "赵 新", "吴刚", "孙力", "钱进", "陈晓", "周文"):
            assert name not in "".join(item.paragraphs)
    # the narrow-column article keeps its paragraphs (the column break is mended, not a new paragraph)
    assert len(articles[0].paragraphs) == len(expected[0][1])


def test_bylines_are_blocks_of_their_articles(unseen) -> None:
    _, page = unseen
    _, items, _, _ = segment_page(page)
    articles = [i for i in items if i.type == "article"]
    bylines = [[norm(b.text) for b in i.blocks if b.kind == BlockKind.BYLINE] for i in articles]
    assert bylines == [["（通讯员张明）"], ["（赵新）"], ["（通讯员吴刚）"], ["（记者孙力通讯员钱进）"], ["□陈晓作"]]
    assert any(b.kind == BlockKind.DATELINE for b in articles[3].blocks)


def test_caption_separate_with_its_credit_and_column_attached(unseen) -> None:
    _, page = unseen
    _, items, _, _ = segment_page(page)
    (caption,) = [i for i in items if i.type == "caption"]
    assert norm(caption.paragraphs[0]) == norm("北庄镇设立第24个世界人口日宣传点,宣传当前人口形势和计生法律法规。")
    assert [norm(b.text) for b in caption.blocks if b.kind == BlockKind.BYLINE] == ["（通讯员周文摄）"]
    articles = [i for i in items if i.type == "article"]
    assert articles[3].column == "各地动态"
    assert [i.column for i in articles[:3]] == [None, None, None]
