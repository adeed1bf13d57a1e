"""Reading other papers' pages: folio lines, datelines, headline groups, bylines under the headline,
end notes, the one byline reader, the editor's report and duplicate pages. Pages here are written
for the project in the habits of other papers (a 1946 daily, a wire-service daily, a weekly)."""

from __future__ import annotations

import pytest

from banmian.bylines import looks_like_byline, parse_byline
from banmian.datelines import match_opening
from banmian.folio import numeral, parse_folio
from banmian.ingest_report import drop_duplicates, report_lines
from banmian.model import Page
from banmian.pipeline import process_page
from banmian.segment import is_byline_inner, resolve_group


def page(text: str, key: str = "t") -> Page:
    return Page(key=key, path=f"{key}.txt", lines=text.split("\n"))


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("人民日报  2026年5月3日  星期日  第13版  要闻", ("人民日报", "2026-05-03", "13", "要闻")),
        ("第4版  体育  滨江周报  2024年3月8日  星期五", ("滨江周报", "2024-03-08", "4", "体育")),
        ("边声日报  中华民国三十五年五月十四日  星期二  第二版", ("边声日报", "1946-05-14", "2", None)),
        ("二〇二六年四月三十日 星期四  08", (None, "2026-04-30", "8", None)),
        ("中国青年报 2024年3月8日 星期五 第 5 版", ("中国青年报", "2024-03-08", "5", None)),  # spaced page number
        ("2024 年 3 月 8 日  星期五  第5版  要闻", (None, "2024-03-08", "5", "要闻")),  # spaced date
        ("2026-05-03  星期日  第13版", (None, "2026-05-03", "13", None)),  # a numeric date
        ("晨光晚报  2025.07.11  星期五  A3", ("晨光晚报", "2025-07-11", "A3", None)),
        # furniture beside the fields: editors, the lunar date, the page count
        ("人民日报  2026年5月3日  星期日  第13版  要闻  责编：王  明  李四", ("人民日报", "2026-05-03", "13", "要闻")),
        ("2024年3月8日 星期五 责任编辑：张三 第5版", (None, "2024-03-08", "5", None)),
        ("2026年5月3日 星期日 农历丙午年三月十七 人民日报 第13版", ("人民日报", "2026-05-03", "13", None)),
        ("人民日报 2026年5月3日 星期日 今日16版 第13版", ("人民日报", "2026-05-03", "13", None)),
    ],
)
def test_folio_lines(line: str, fields: tuple) -> None:
    f = parse_folio(line)
    assert f is not None and (f.publication, f.date, f.page, f.page_name) == fields


@pytest.mark.parametrize("line", ["2026年5月3日，记者来到现场", "本报北京5月31日电", "新华社北京5月18日电  （记者邹伟）", "第24个世界人口日",
                                  "2026-05-03", "星期日", "共有2026.5.3万人", "责任编辑：张三", "编辑：李四  校对：王五"])
def test_not_folio_lines(line: str) -> None:
    assert parse_folio(line) is None


def test_numerals() -> None:
    assert [numeral(x) for x in ("十三", "二十一", "三十五", "一百一十五", "二〇二六", "08")] == [13, 21, 35, 115, 2026, 8]


@pytest.mark.parametrize(
    ("text", "printed", "agency", "place", "credit"),
    [
        ("本报海口8月2日电  （记者董泽扬）海南…", "本报海口8月2日电", "本报", "海口", "（记者董泽扬）"),
        ("新华社北京7月10日电  外交部发言人…", "新华社北京7月10日电", "新华社", "北京", None),
        ("【新华社延安十四日电】边区参议会…", "【新华社延安十四日电】", "新华社", "延安", None),
        ("据新华社电  气象部门预计…", "据新华社电", "新华社", None, None),
        ("本报讯 (记者熊建国 通讯员刘常红)近年来…", "本报讯", "本报", None, "(记者熊建国 通讯员刘常红)"),
        ("本报北京5月3日讯（记者 张三）今天…", "本报北京5月3日讯", "本报", "北京", "（记者 张三）"),  # 讯 with place and date
        ("新华社北京7月10日专电  今天…", "新华社北京7月10日专电", "新华社", "北京", None),
    ],
)
def test_datelines(text: str, printed: str, agency: str, place: str | None, credit: str | None) -> None:
    found = match_opening(text)
    assert found is not None and found.dateline is not None
    assert (found.dateline.text, found.dateline.agency, found.dateline.place, found.credit) == (printed, agency, place, credit)


@pytest.mark.parametrize("text", ["新华社记者近日从国家电网获悉", "本报记者从市场监管局获悉", "本报讯员", "据介绍，今年"])
def test_not_datelines(text: str) -> None:
    found = match_opening(text)
    assert found is None or found.dateline is None or found.dateline.text in ("本报讯",)


def test_one_byline_reader() -> None:
    """The segmenter and the metadata reader agree (issue 17's two examples)."""
    assert is_byline_inner("记者 张𠀀明") and looks_like_byline("(记者 张𠀀明)")
    assert [(a.name, a.role) for a in parse_byline("(记者 张𠀀明)")] == [("张𠀀明", "记者")]
    for source in ("(稿源 新华社)", "(来自 新华社)"):
        assert not looks_like_byline(source) and not is_byline_inner(source[1:-1]) and parse_byline(source) == []


def test_byline_styles_under_headlines() -> None:
    assert [(a.name, a.role) for a in parse_byline("本报记者  董丝雨  本报通讯员  唐  彪")] == [("董丝雨", "记者"), ("唐彪", "通讯员")]
    assert [(a.name, a.role) for a in parse_byline("新华社记者 顾钱江")] == [("顾钱江", "记者")]
    assert [(a.name, a.role) for a in parse_byline("（本报雅典6月5日电  记者韩秉宸、任彦）")] == [("韩秉宸", "记者"), ("任彦", "记者")]
    assert parse_byline("（本报记者刘羿佟、本报通讯员唐彪参与采写）") == []  # helpers are not authors


def test_headline_groups() -> None:
    assert resolve_group(["李强在北京调研时强调", "推动人工智能与先进制造业深度融合"])[:3] == ("李强在北京调研时强调", "推动人工智能与先进制造业深度融合", None)
    assert resolve_group(["坚持不懈，提升原始创新能力", "——论学习贯彻重要讲话"])[:3] == (None, "坚持不懈，提升原始创新能力", "论学习贯彻重要讲话")
    assert resolve_group(["城市记忆", "老街里的修表铺", "——记一位老师傅"])[:3] == ("城市记忆", "老街里的修表铺", "记一位老师傅")
    kicker, title, subtitle, confidence = resolve_group(["港口吞吐量稳步增长", "集装箱航线持续加密"])
    assert (kicker, subtitle) == (None, None) and title == "港口吞吐量稳步增长  集装箱航线持续加密" and confidence < 0.6


WEEKLY = """滨江周报  2024年3月8日  星期五  第5版  人文

城市记忆
老街里的修表铺

文／本报记者  孙  雯

  在滨江老街的拐角，有一间不到十平方米的修表铺。铺子的主人姓何，今年七十一岁，修了五十年表。

  问他什么时候退休，何师傅笑着说：“手还稳，眼还行，就一直修下去。”


春日读书会走进社区

  本报讯（记者 钱晓东 通讯员 丁一）3月3日，滨江区图书馆春日读书会走进阳光社区，三十多名居民围坐在一起分享读书心得。

  读书会由图书馆馆员主持，居民们轮流朗读自己喜爱的段落。


让孩子在劳动中成长

□ 周  敏

  劳动教育不是简单地让孩子干点活，而是让他们在动手实践中体会付出与收获的关系。

  （作者系滨江区实验小学教师）
"""


def test_a_weekly_page() -> None:
    result = process_page(page(WEEKLY, "weekly"))
    arts = [i for i in result.items if i.type == "article"]
    assert [a.title for a in arts] == ["老街里的修表铺", "春日读书会走进社区", "让孩子在劳动中成长"]
    assert arts[0].kicker == "城市记忆"
    assert [[(x.name, x.role) for x in a.authors] for a in arts] == [[("孙雯", "记者")], [("钱晓东", "记者"), ("丁一", "通讯员")], [("周敏", None)]]
    assert arts[1].dateline is not None and arts[1].dateline.text == "本报讯"
    assert arts[2].end_notes == ["（作者系滨江区实验小学教师）"] and "作者系" not in "".join(arts[2].paragraphs)
    for a in arts:  # the folio is furniture and evidence
        assert (a.publication, a.date, a.date_source, a.page_number, a.page_name) == ("滨江周报", "2024-03-08", "folio", "5", "人文")
    assert not any("滨江周报" in p for a in arts for p in a.paragraphs)


DAILY_1946 = """【新华社延安十三日电】晋绥边区各县春耕工作已普遍展开。据兴县、临县等地报告，各村变工组织较去年增加三成。

（完）

冀南民兵配合主力收复两镇

本社记者王平报导：冀南军区部队在民兵配合下，于十日夜间收复清河以东两个据点。

边声日报　中华民国三十五年五月十四日　星期二　第一版
"""


def test_a_1946_page() -> None:
    result = process_page(page(DAILY_1946, "d1946"))
    arts = [i for i in result.items if i.type == "article"]
    assert result.date == "1946-05-14" and result.date_source == "folio"
    assert arts[0].dateline is not None and arts[0].dateline.text == "【新华社延安十三日电】" and arts[0].dateline.place == "延安"
    assert arts[-1].title == "冀南民兵配合主力收复两镇"
    assert [(a.name, a.role) for a in arts[-1].authors] == [("王平", "记者")]
    assert all(a.publication == "边声日报" and a.page_number == "1" for a in arts)


def test_no_paper_name_is_guessed() -> None:
    result = process_page(page("2024年3月8日  星期五  第5版\n\n老街里的修表铺\n\n在滨江老街的拐角，有一间修表铺。铺子的主人姓何，修了五十年表。\n"))
    assert result.folio is not None and result.folio.publication is None
    assert all(i.publication is None for i in result.items)


def test_manifest_wins_over_the_folio() -> None:
    from banmian.model import PageMeta

    p = page(WEEKLY, "m")
    p.meta = PageMeta(publication="某某报", date="2024-03-09", page="6")
    result = process_page(p)
    assert result.date_source == "manifest"
    assert all((i.publication, i.page_number, i.date) == ("某某报", "6", "2024-03-09") for i in result.items)


def test_duplicate_pages_are_reported_and_ingested_once() -> None:
    a, b, c = page(WEEKLY, "a"), page(WEEKLY + "\n", "b"), page(DAILY_1946, "c")
    kept, dupes = drop_duplicates([a, b, c])
    assert kept == [a, c] and dupes == [(b, a)]


def test_editor_report_names_decisions() -> None:
    from banmian.emit import EmitReport, article_path

    result = process_page(page(WEEKLY, "weekly"))
    report = EmitReport(written=[article_path(i) for i in result.items])
    lines = report_lines([result], report, [])
    text = "\n".join(lines)
    assert "weekly.txt: 日期 2024-03-08（报头线 folio）" in text
    assert "《老街里的修表铺》" in text and "记者 孙雯" in text and "电头 本报讯" in text


def test_labelled_and_sectioned_lines() -> None:
    from banmian.bylines import labelled_credit
    from banmian.segment import segment_blocks

    assert labelled_credit("主讲人：宁夏某区总工会权益保障工作负责人  杨旭东") is not None
    assert labelled_credit("口述：李  四") is not None and labelled_credit("记者：今年以来情况如何") is None
    kinds = [b.kind for b in segment_blocks(page("■链接\n\n什么是跑酷\n\n跑酷运动起源于欧洲，是一项在街头完成的运动。\n"))]
    assert "byline" not in kinds  # a section label after a box mark is not a writer


@pytest.mark.parametrize("text", ["本社记者陈沂报导：边区…", "本报记者 张三 报道：今天…", "新华社特派记者王五电：…"])
def test_a_reporters_credit_opening_the_story_is_its_dateline(text: str) -> None:
    found = match_opening(text)
    assert found is not None and found.dateline is not None and found.credit == found.dateline.text
    assert text[found.end :].startswith(("边区", "今天", "…"))
