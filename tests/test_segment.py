"""Segmenter behaviour on excerpts of the seed pages: block kinds, grouping, flags, columns."""

from __future__ import annotations

import pytest

from banmian.model import BlockKind, Page
from banmian.notes import render
from banmian.segment import (
    group_articles,
    is_byline_inner,
    page_furniture,
    provisional_title,
    segment_blocks,
    segment_page,
)


def page_of(lines: list[str], key: str = "t") -> Page:
    return Page(key=key, path=f"source_texts/{key}.txt", lines=lines)


def excerpt(seed_pages, stem_prefix: str, first: int, last: int) -> Page:
    """Source lines first..last (1-based, inclusive) of a seed, as a page of its own."""
    page = next(p for k, p in seed_pages.items() if k.startswith(stem_prefix))
    return page_of(page.lines[first - 1 : last], key=f"{stem_prefix}_{first}_{last}")


def kinds(page: Page) -> list[tuple[str, str]]:
    return [(b.kind.value, b.text) for b in segment_blocks(page)]


def kind_of(page: Page, text: str) -> BlockKind:
    hits = [b.kind for b in segment_blocks(page) if text in b.text]
    assert hits, f"no block holds {text!r}: {kinds(page)}"
    return hits[0]


# --- block kinds ---------------------------------------------------------------------------------


def test_headline_subtitle_and_trailing_byline(seed_pages) -> None:
    page = excerpt(seed_pages, "000", 1, 131)
    assert kind_of(page, "蓬勃发展活力足") == BlockKind.HEADLINE
    assert kind_of(page, "聊城市经济开发区计生协会工作纪实") == BlockKind.SUBTITLE
    assert kind_of(page, "姚振华") == BlockKind.BYLINE
    (item,) = group_articles(page, segment_blocks(page))
    assert item.subtitle == "聊城市经济开发区计生协会工作纪实"
    assert "姚振华" not in "".join(item.paragraphs)


def test_byline_on_the_last_body_line_is_split_off(seed_pages) -> None:
    page = excerpt(seed_pages, "000", 205, 215)  # …村民自觉转变传统的生育观念。 (潘鹏)
    blocks = segment_blocks(page)
    assert [b.kind for b in blocks] == [BlockKind.BODY, BlockKind.BYLINE]
    assert blocks[-1].text.strip("()（）") == "潘鹏"
    assert blocks[-2].text.endswith("观念。")


def test_kicker_dateline_source_note_caption_credit(seed_pages) -> None:
    page = excerpt(seed_pages, "002", 26, 66)
    assert kind_of(page, "据国家卫生计生委网站") == BlockKind.SOURCE_NOTE
    assert kind_of(page, "业内要闻") == BlockKind.KICKER
    assert kind_of(page, "金水区人口计生委开展") == BlockKind.CAPTION
    assert kind_of(page, "刘 穆/摄影报道") == BlockKind.BYLINE
    assert kind_of(page, "本报讯") == BlockKind.DATELINE
    blocks = segment_blocks(page)
    dateline = next(i for i, b in enumerate(blocks) if b.kind == BlockKind.DATELINE)
    # the dateline's people stay available as a BYLINE block right after it
    assert blocks[dateline + 1].kind == BlockKind.BYLINE
    assert "熊建国" in blocks[dateline + 1].text and "刘常红" in blocks[dateline + 1].text
    assert blocks[dateline + 2].kind == BlockKind.BODY and blocks[dateline + 2].text.startswith("近年来")


def test_mark_byline_picture_note_subheads(seed_pages) -> None:
    page = excerpt(seed_pages, "002", 85, 186)
    assert kind_of(page, "□茹杰作") == BlockKind.BYLINE
    assert kind_of(page, "资料图片") == BlockKind.PICTURE_NOTE
    assert kind_of(page, "党建网络引领") == BlockKind.SUBHEAD
    assert kind_of(page, "优化计生阵地") == BlockKind.SUBHEAD
    assert kind_of(page, "李 岚") == BlockKind.BYLINE


def test_page_title_and_credit_at_the_page_end(seed_pages) -> None:
    page = excerpt(seed_pages, "001", 135, 158)
    assert kind_of(page, "薛城区人口计划生育工作巡礼") == BlockKind.PAGE_TITLE
    assert kind_of(page, "本版策划组稿") == BlockKind.PAGE_CREDIT
    credits, title = page_furniture(segment_blocks(page))
    assert title == "薛城区人口计划生育工作巡礼"
    assert [(a.name, a.role) for a in credits] == [("郭祥云", "策划组稿"), ("张保平", "策划组稿"), ("蒋平", "策划组稿")]


def test_credit_naming_writers(seed_pages) -> None:
    page = excerpt(seed_pages, "003", 1, 8)
    _, items, credits, _ = segment_page(page)
    assert [(a.name, a.role) for a in credits if a.role == "撰文"] == [("自小亮", "撰文"), ("李梅", "撰文"), ("韩文亚", "撰文")]
    assert items[0].title == "北庄镇创新工作思路稳步推进计划生育工作"
    assert "撰文" not in "".join(items[0].paragraphs)


def test_notice_is_its_own_item(seed_pages) -> None:
    page = excerpt(seed_pages, "002", 1, 56)
    _, items, _, _ = segment_page(page)
    assert [i.type for i in items] == ["article", "notice"]
    notice = items[1]
    assert notice.title == "栏目设置"
    assert any(p.startswith("婚育新风") for p in notice.paragraphs)
    # the article's headline is printed before the notice, its body after it
    assert items[0].title == "发挥计生协会生力军作用 形成强大合力"
    assert items[0].paragraphs[0].startswith("为了充分发挥")
    assert "栏目设置" not in "".join(items[0].paragraphs)


@pytest.mark.parametrize(
    "inner, ok",
    [("通讯员 自发 修智 王雷", True), ("李 岚", True), ("记者熊建国 通讯员刘常红", True), ("通讯员 刘守涛 张筠琪 摄", True),
     ("以下简称计生协会", False), ("知身份情况、知暂住理由、知户籍所在地、知计生情况", False)],
)
def test_byline_shape(inner: str, ok: bool) -> None:
    assert is_byline_inner(inner) is ok


# --- grouping ------------------------------------------------------------------------------------


def test_orphan_headline_goes_back_to_its_article(seed_pages) -> None:
    page = next(p for k, p in seed_pages.items() if k.startswith("000"))
    _, items, _, _ = segment_page(page)
    match = [i for i in items if i.title == "三支队伍送温暖"]
    assert len(match) == 1
    item = match[0]
    assert "orphan_headline" in item.flags and "untitled" not in item.flags
    assert item.paragraphs[0].startswith("入冬以来")
    assert any(n.code == "headline_moved" and n.params["line"] == 633 for n in item.notes)
    # and it is no longer a headline-only article at the end of the page
    assert items[-1].title != "三支队伍送温暖"


def test_untitled_article_gets_a_title_from_its_own_words(seed_pages) -> None:
    page = excerpt(seed_pages, "002", 139, 186)
    _, items, _, _ = segment_page(page)
    (item,) = [i for i in items if i.type == "article"]
    assert "untitled" in item.flags
    assert item.title and item.title.rstrip("…") in "".join(item.paragraphs)
    assert item.column == "理论探索"
    assert item.subheads and "党建网络引领，健全工作体系" in item.subheads.values()


def test_provisional_title_drops_the_time_phrase() -> None:
    assert provisional_title("入冬以来，临清市潘庄镇积极组建三支队伍开展冬季送温暖活动，使广大群众…") == "临清市潘庄镇积极组建三支队伍开展冬季送温暖活动"


def test_article_cut_before_the_next_headline_is_truncated(seed_pages) -> None:
    page = excerpt(seed_pages, "001", 89, 113)
    _, items, _, _ = segment_page(page)
    titles = [i.title for i in items]
    assert titles == ["陶庄镇抓好计生家庭养老保险工作", "常庄镇“五到位”提升计生服务水平"]
    assert "truncated" in items[0].flags and "truncated" not in items[1].flags


def test_captions_are_separate_items_with_their_credit(seed_pages) -> None:
    page = excerpt(seed_pages, "001", 33, 72)
    _, items, _, _ = segment_page(page)
    assert [i.type for i in items] == ["article", "caption", "caption", "article"]
    bodies = "".join(p for i in items if i.type == "article" for p in i.paragraphs)
    assert "图为" not in bodies and "李继芳" not in bodies
    credit = [b for b in items[2].blocks if b.kind == BlockKind.BYLINE]
    assert credit and "刘守涛" in credit[0].text
    assert items[2].paragraphs[0].endswith("发放宣传资料。")


def test_captions_set_off_by_blank_lines_on_a_marked_page(seed_pages) -> None:
    page = excerpt(seed_pages, "003", 23, 58)
    _, items, _, _ = segment_page(page)
    assert [i.type for i in items] == ["article"] + ["caption"] * 5 + ["article"]


def test_column_label_after_the_headline(seed_pages) -> None:
    page = excerpt(seed_pages, "000", 130, 244)
    _, items, _, _ = segment_page(page)
    assert items[0].title == "综合治理出生人口性别比偏高"
    assert items[0].column == "潘庄计生专题" and items[0].column_confidence is not None
    assert items[0].notes and "第5行" in render(items[0].notes[0])  # line 134 of the seed = line 5 of the excerpt
    assert "潘庄计生专题" not in "".join(items[0].paragraphs)


def test_column_labels_before_and_after(seed_pages) -> None:
    page = excerpt(seed_pages, "002", 85, 128)
    _, items, _, _ = segment_page(page)
    by_title = {i.title: i for i in items}
    assert by_title["“好媳妇”带出好村风"].column == "婚育新风"
    assert by_title["温县关爱育龄妇女"].column == "各地动态"
    assert by_title["温县关爱育龄妇女"].column_confidence > by_title["“好媳妇”带出好村风"].column_confidence


def test_weak_headline_vs_subhead() -> None:
    """A short line between two paragraphs: a new article when an article opening follows,
    a subhead when the text runs on."""
    lines = [
        "甲镇开展宣传活动",
        "",
        "今年以来,甲镇开展宣传活动,发放资料500份。",
        "",
        "积极推动协会组织建设",
        "",
        "各级部门要高度重视协会组织建设工作,支持协会发展。",
        "",
        "乙镇“五到位”提升服务水平",
        "",
        "近日,乙镇组织人员进村入户,倾听群众心声。(通讯员 王雷)",
    ]
    _, items, _, _ = segment_page(page_of(lines))
    assert [i.title for i in items] == ["甲镇开展宣传活动", "乙镇“五到位”提升服务水平"]
    assert items[0].subheads == {1: "积极推动协会组织建设"}
    assert [b.text.strip("()（）") for b in items[1].blocks if b.kind == BlockKind.BYLINE] == ["通讯员 王雷"]
    assert "王雷" not in "".join(items[1].paragraphs)


def test_every_source_line_lands_somewhere(seed_pages) -> None:
    """No text lost: every non-blank line is inside some block of the page."""
    for page in seed_pages.values():
        blocks = segment_blocks(page)
        covered = {n for b in blocks for n in range(b.first, b.last + 1)}
        missing = [i for i, line in enumerate(page.lines, start=1) if line.strip() and i not in covered]
        assert not missing, (page.key, missing[:5])


# --- narrow columns read from a page image (headlines marked '#') --------------------------------

_FILL = "区人口计生委坚持以群众需求为导向做好各项服务工作推动全区工作再上新台阶"


def narrow(lines: list[str], body_lines: int = 24) -> Page:
    """``lines`` on a page of 12-em columns whose headlines are marked ``#``, a wrapped body after them."""
    body = [(_FILL * 20)[i * 12 : i * 12 + 12] for i in range(body_lines)]
    return page_of(["# 某县关爱育龄妇女", "", *lines, "", *body[:-1], body[-1][:5] + "。"])


def test_wrapped_caption_under_a_marked_headline_is_not_a_headline_group() -> None:
    """Two unmarked lines, the first of the column's width: one caption the column wrapped."""
    page = narrow(["", "计生委工作人员为群众发放宣", "传资料", "", "", "张三/摄影报道", ""])
    _, items, _, _ = segment_page(page)
    assert [i.type for i in items] == ["article", "caption"]
    assert items[0].title == "某县关爱育龄妇女"
    assert items[1].title == "计生委工作人员为群众发放宣传资料"


def test_dateline_credit_wrapped_by_the_column() -> None:
    """A credit the column wrapped between two names (``侯书华`` / ``王磊)``) reads as spaced there."""
    page = narrow(["本报讯(通讯员侯书华", "王磊)今年,某县人口计", "生委要求全体干部下基层。"])
    blocks = segment_blocks(page)
    dateline = [b for b in blocks if b.kind == BlockKind.DATELINE]
    byline = [b for b in blocks if b.kind == BlockKind.BYLINE]
    assert dateline and dateline[0].text == "本报讯"
    assert byline and byline[0].text == "（通讯员侯书华 王磊）", byline
    body = next(b for b in blocks if b.kind == BlockKind.BODY)
    assert body.text.startswith("今年，某县人口计生委")


def test_untitled_run_in_heads_are_no_notice() -> None:
    """``名称：说明`` paragraphs without a notice title over them are an article's run-in heads."""
    entries = ["突出一条主线：稳定低生育水平。", "", "把握两大重点：一是遏制违法生育。", "", "办好三件实事：一是便民服务。", ""]
    page = page_of(["某镇全面推动计划生育工作", "", "某镇今年计生工作的思路是：突出一条主线，把握两大重点。", "", *entries])
    _, items, _, _ = segment_page(page)
    assert [i.type for i in items] == ["article"]
    titled = page_of(["栏目设置", "", *entries])
    assert [i.type for i in segment_page(titled)[1]] == ["notice"]
