"""Pages printed (or OCR'd) with few or no blank lines: the byline line directly over the text, a
new article's headline and byline inside the text of the one before, the paper's name on a line of
its own above the folio. The page below was written for this test in a business daily's habits."""

from __future__ import annotations

from banmian.model import Page
from banmian.pipeline import process_page

DENSE = """经济日报
2025年9月18日 星期四 第6版 产业

从“制造”到“智造”的跨越
——某市推动传统产业转型升级见闻
本报记者 刘 洋
走进某市经济开发区的一家汽车零部件企业，只见生产线上机械臂
上下翻飞，自动导引车往来穿梭。“过去这条线要几十个工人，现在
只需要几个人巡检。”企业负责人说。
近年来，该市把数字化转型作为传统产业升级的主攻方向，累计推动
三百多家规上工业企业实施技术改造。
专家认为，传统产业转型升级要因企施策，避免一哄而上。
小店经济激活街巷烟火气
本报记者 陈 静
夜幕降临，老城区的街巷里人头攒动。新开的咖啡馆、手作店与老字号
比邻而居，吸引了不少年轻消费者前来打卡。
据统计，今年前8个月，该区新增个体工商户两千余户。
"""


def read(text: str) -> list:
    return [i for i in process_page(Page(key="p", path="p.txt", lines=text.split("\n"))).items if i.type == "article"]


def test_a_page_with_no_blank_lines_between_articles() -> None:
    first, second = read(DENSE)
    assert (first.title, first.subtitle, [(a.name, a.role) for a in first.authors]) == (
        "从“制造”到“智造”的跨越", "某市推动传统产业转型升级见闻", [("刘洋", "记者")])
    assert first.paragraphs[-1] == "专家认为，传统产业转型升级要因企施策，避免一哄而上。"
    assert (second.title, [(a.name, a.role) for a in second.authors]) == ("小店经济激活街巷烟火气", [("陈静", "记者")])
    assert second.paragraphs[0].startswith("夜幕降临")
    for item in (first, second):  # the paper's name on its own line is the folio's, not an article
        assert (item.publication, item.date, item.page_number) == ("经济日报", "2025-09-18", "6")
        assert not any("本报记者" in p or "烟火气" in p for p in item.paragraphs)


def test_a_byline_right_over_the_text_is_the_byline_not_a_subhead() -> None:
    page = DENSE.replace("专家认为，传统产业转型升级要因企施策，避免一哄而上。\n", "专家认为，传统产业转型升级要因企施策，避免一哄而上。\n\n")
    first, second = read(page.replace("经济日报\n", "经济日报  "))
    assert first.subheads == {} and second.subheads == {}
    assert [a.name for a in first.authors] == ["刘洋"] and [a.name for a in second.authors] == ["陈静"]


def test_a_reporters_credit_over_the_text_stays_its_dateline() -> None:
    page = "冀南民兵配合主力收复两镇\n\n  本社记者王平报导：\n冀南军区部队在民兵配\n合下，于十日夜间收复\n清河以东两个据点。\n"
    (item,) = read(page)
    assert [(a.name, a.role) for a in item.authors] == [("王平", "记者")]
    assert item.dateline is not None and item.dateline.text == "本社记者王平报导："


def test_a_headline_right_over_a_dateline_opens_an_article() -> None:
    page = ("一九四六年五月十五日  星期三  边声日报  第1版  综合\n边区参议会讨论减租问题\n——各县代表报告经验\n"
            "【新华社延安十四日电】边区参议会常驻委员\n会十四日举行会议，讨论继续贯彻减租减息问题。\n"
            "发展文化教育\n太岳区创办冬学成绩显著\n【本报讯】太岳区去冬创办冬学一千二百余处，\n入学农民达四万余人。\n")
    first, second = read(page)
    assert (first.title, first.subtitle, first.dateline and first.dateline.text) == ("边区参议会讨论减租问题", "各县代表报告经验", "【新华社延安十四日电】")
    assert second.dateline is not None and second.dateline.text == "【本报讯】"
    assert "太岳区创办冬学成绩显著" in (second.title or "") and second.paragraphs[0].startswith("【本报讯】太岳区")
    assert first.paragraphs[-1].endswith("减租减息问题。")
