"""Layout evidence the segmenter reads on pages of other papers: subheads printed inside a block
(no blank line around them), narrow-column text that a column break left looking like title
lines, a headline group on a page that runs its paragraphs on, and a title whose column tag
reads like a name. Texts are written for these tests, in the habits of such pages."""

from __future__ import annotations

from banmian.model import BlockKind, Page
from banmian.pipeline import process_page
from banmian.segment import column_run, inner_subhead, runs_across_break


def page(text: str, key: str = "t") -> Page:
    return Page(key=key, path=f"{key}.txt", lines=text.split("\n"))


def articles(text: str) -> list:
    return [i for i in process_page(page(text)).items if i.type == "article"]


def test_inner_subhead_on_a_wide_page() -> None:
    lines = [
        "河湾村今年种下三百亩高粱，比去年多了一倍，村里的合作社统一收购。",
        "合作社带农增收",
        "合作社负责人说，高粱收购价比玉米高出一成，村民种植的积极性明显提高。",
    ]
    assert inner_subhead(lines, 0) == (1, 2)
    # a sentence whose full stop OCR lost is not a subhead when a short line follows it
    assert inner_subhead([lines[0], "合作社带农增收", "好。"], 0) is None


def test_inner_subhead_in_a_narrow_column() -> None:
    lines = [
        "高粱收购价比玉米高出",
        "一成。",
        "合作社带农增收，",
        "产业链越拉越长",
        "合作社负责人说，今",
        "年还将建一座烘干房，",
    ]
    assert inner_subhead(lines, 10) == (2, 4)
    # a line short only because a number was carried whole onto the next line is body text
    carried = ["高粱收购价比玉米高出", "一成。", "全村今年共收获", "2000吨高粱，比去年多。"]
    assert inner_subhead(carried, 10) is None


def test_column_run() -> None:
    assert column_run(["  今年上半年，沿海主", "要港口货物吞吐量保持稳", "步增长，集装箱航线持续"], 11)
    assert not column_run(["上半年外贸运行观察", "港口吞吐量稳步增长"], 11)
    assert not column_run(["“无目的地”出入境通行证签发", "降低游客邮轮出境门槛"], 11)  # wider than the column


RUN_ON = """东岸港口吞吐量稳步增长

东岸港口今年上半年货物吞吐量保持增长，集装箱航线持续加密。
码头负责人介绍，新投用的调度系统让船舶平均在港时间缩短了一成多。
业内人士认为，港口数据是观察外贸走势的重要窗口。

西山茶园迎来采摘季
鲜叶收购价格稳中有升

清晨，西山茶园云雾缭绕，采茶工人背着竹篓穿行在茶垄间。
合作社统一收购鲜叶，茶农还能拿到年底分红。
"""


def test_headline_group_after_one_blank_line_on_a_run_on_page() -> None:
    got = articles(RUN_ON)
    assert [(a.kicker, a.title) for a in got] in (
        [(None, "东岸港口吞吐量稳步增长"), ("西山茶园迎来采摘季", "鲜叶收购价格稳中有升")],
        [(None, "东岸港口吞吐量稳步增长"), (None, "西山茶园迎来采摘季 鲜叶收购价格稳中有升")],
    )
    assert len(got[1].paragraphs) == 2


TAGGED = """东岸港口吞吐量稳步增长

东岸港口今年上半年货物吞吐量保持增长，集装箱航线持续加密。


老茶农的新账本（田间记）

“过去鲜叶卖不上价，现在合作社统一收购，年底还能拿到分红。”西山村茶农周大姐一边采茶一边说。今年她家的茶叶收入有望超过五万元。
"""


def test_title_with_a_name_like_column_tag_over_its_text() -> None:
    got = articles(TAGGED)
    assert [a.title for a in got] == ["东岸港口吞吐量稳步增长", "老茶农的新账本（田间记）"]
    assert got[1].authors == []


def test_runs_across_break() -> None:
    assert runs_across_break(["  西山村的茶园里，", "采茶工人背着竹篓穿行"], ["在茶垄间，一边采一边"], 10)
    assert not runs_across_break(["西山茶园迎来采摘季", "鲜叶收购价格稳中有升"], ["  清晨，西山茶园云"], 10)  # indented under it
    assert not runs_across_break(["茶农收入逐年提高。"], ["合作社统一收购鲜叶，"], 10)  # a finished sentence


SERIES = """三城楼市回暖

  记者近日走访三座城市，看到楼市
出现了回暖迹象，成交量稳步回升。

东城：成交量稳步回升

  东城今年二手房成交量创下近年新
高，新房市场也同步复苏，成交活跃。

西城：改善需求集中释放

  今年“五一”假期，西城多个新楼
盘到访量明显上升，改善需求集中释放。
"""


def test_labelled_subheads_come_in_series() -> None:
    got = articles(SERIES)
    assert [a.title for a in got] == ["三城楼市回暖"]
    assert list(got[0].subheads.values()) == ["东城：成交量稳步回升", "西城：改善需求集中释放"]


def test_justified_name_in_a_listed_credit() -> None:
    from banmian.bylines import looks_like_byline, parse_byline

    credit = "（本报东岸6月1日电  记者林小川、周  蓉、韩 秉文）"
    assert looks_like_byline(credit)
    assert [a.name for a in parse_byline(credit)] == ["林小川", "周蓉", "韩秉文"]
    assert [(a.name, a.role) for a in parse_byline("（记者林小川、周蓉 摄）")] == [("林小川", "摄影"), ("周蓉", "摄影")]


ONCE = """西山茶园迎来采摘季

林小川  周  蓉

清晨，西山茶园云雾缭绕，采茶工人背着竹篓穿行在茶垄间。

合作社统一收购鲜叶，茶农还能拿到年底分红。

（本报记者  林小川整理）
"""


def test_an_author_credited_twice_is_one_author() -> None:
    got = articles(ONCE)
    assert [(a.name, a.role) for a in got[0].authors] == [("林小川", None), ("周蓉", None)]


CAPTIONED = """东岸港口吞吐量稳步增长

东岸港口今年上半年货物吞吐量保持增长，集装箱航线持续加密。

码头负责人介绍，新投用的调度系统让船舶平均在港时间缩短了一成多。


图为东岸港口的集装箱码头。
林小川/摄
"""


def test_a_caption_over_its_credit_line_is_not_a_credit() -> None:
    items = process_page(page(CAPTIONED)).items
    assert [i.type for i in items] == ["article", "caption"]
    assert len(items[0].paragraphs) == 2 and items[0].authors == []
    assert [(a.name, a.role) for a in items[1].authors] == [("林小川", "摄影")]


def test_a_justified_dateline_line_over_its_credit() -> None:
    from banmian.segment import _opening

    got = _opening(["东 岸 讯 6 月 1 日 电    ", "(记者林小川)6月1日晚,东岸", "港口举行开港仪式。"])
    assert got is None or got[1] == "(记者林小川)"
    got = _opening(["本 报 北 京 6 月 1 日 电    ", "(记者林小川)6月1日晚,东岸", "港口举行开港仪式。"])
    assert got == ("本报北京6月1日电", "(记者林小川)", 1, "6月1日晚,东岸")


def test_a_credit_pair_glued_by_a_line_break() -> None:
    from banmian.bylines import parse_byline

    assert [(a.name, a.role) for a in parse_byline("记者林小川通讯员周蓉")] == [("林小川", "记者"), ("周蓉", "通讯员")]
    assert parse_byline("本报评论员") == []


SPEAKER = """老茶农讲茶经

主讲人：西山村茶叶合作社理事长  周大成

种茶三十年，我最深的体会是：好茶是管出来的。

合作社统一收购鲜叶，茶农还能拿到年底分红。

（本报记者林小川采访整理）
"""


def test_a_speakers_piece_is_by_the_speaker() -> None:
    got = articles(SPEAKER)
    assert [a.name for a in got[0].authors] == ["周大成"]
    assert any("林小川" in note for note in got[0].end_notes)


LABELLED = """三城楼市回暖

记者近日走访三座城市，看到楼市出现了回暖迹象，成交量稳步回升，买卖双方心态更加理性，市场预期明显改善，多家中介门店的带看量比去年同期高出三成以上。
东城：成交量稳步回升
东城今年二手房成交量创下近年新高，新房市场也同步复苏，多个新楼盘开盘当天即售出过半，购房者以改善型需求为主，不少家庭选择卖旧买新，置换节奏明显加快。
西城：改善需求集中释放
今年“五一”假期，西城多个新楼盘到访量明显上升，改善需求集中释放，售楼处里看房的家庭络绎不绝，销售人员说，带孩子来看学区和配套的年轻家庭尤其多，周末几乎排满。
南城：政策利好持续显效
南城今年出台了多项购房支持政策，公积金贷款额度提高，首付比例下调，购房者的还款压力明显减轻，不少观望已久的刚需家庭开始入市，成交量连续三个月环比上升。

东岸晚报  2026年5月1日  星期五  第8版  综合
"""


def test_an_article_with_labelled_subheads_is_no_notice() -> None:
    result = process_page(page(LABELLED))
    assert [i.type for i in result.items] == ["article"]
    assert list(result.items[0].subheads.values()) == ["东城：成交量稳步回升", "西城：改善需求集中释放", "南城：政策利好持续显效"]
    assert result.folio is not None and result.folio.page == "8"


LONG_SUBTITLE = """东岸港口新航线开通
听取港口建设进展情况汇报，研究集装箱航线加密有关工作，部署下半年口岸通关便利化改革和智慧港口建设各项任务，审议通过港口发展规划

  东岸港口今年上半
年货物吞吐量保持增长，
集装箱航线持续加密。
码头负责人介绍，新投
用的调度系统让船舶平
均在港时间缩短了一成
多。

  业内人士认为，港口
数据是观察外贸走势的
重要窗口。港口还开通
了多条海铁联运班列，
货物从码头直达内陆城
市。

  港口方面表示，下半
年将继续优化作业流程，
提升装卸效率，同时加
快建设智慧港口，推动
岸桥、场桥等设备的自
动化改造，让货物进出
港更加便捷高效。


西山茶园迎来采摘季

  清晨，西山茶园云雾
缭绕，采茶工人背着竹
篓穿行在茶垄间。合作
社统一收购鲜叶，茶农
还能拿到年底分红。
"""


def test_a_long_subtitle_set_across_narrow_columns() -> None:
    got = articles(LONG_SUBTITLE)
    assert len(got) == 2
    assert got[0].title.startswith("东岸港口新航线开通")
    assert got[0].paragraphs[0].startswith("东岸港口今年上半年")


SOURCED = """东岸港口吞吐量稳步增长

东岸港口今年上半年货物吞吐量保持增长，集装箱航线持续加密。

数据来源：东岸港口集团

西山茶园迎来采摘季
鲜叶收购价格稳中有升

清晨，西山茶园云雾缭绕，采茶工人背着竹篓穿行在茶垄间。
"""


def test_a_source_line_closes_its_text() -> None:
    got = articles(SOURCED)
    assert len(got) == 2
    assert got[0].paragraphs[-1] == "数据来源：东岸港口集团"


DASHED_LINE = """东岸港口吞吐量稳步增长

东岸港口今年上半年货物吞吐量保持增长，集装箱航线持续加密。

码头负责人告诉记者，港口作业类型庞杂
——集装箱、散货、滚装船并存，既要装得快，又要卸得稳。
"""


def test_a_dash_after_a_line_break_inside_a_paragraph_is_no_subtitle() -> None:
    got = articles(DASHED_LINE)
    assert [a.title for a in got] == ["东岸港口吞吐量稳步增长"] and got[0].subtitle is None


SECTIONED = """老茶农的新账本

林小川

【镜头】

清晨，西山茶园云雾缭绕，采茶工人背着竹篓穿行在茶垄间。

【记者手记】

合作社统一收购鲜叶，茶农还能拿到年底分红。
"""


def test_a_bracketed_section_label_is_a_subhead() -> None:
    got = articles(SECTIONED)
    assert [a.title for a in got] == ["老茶农的新账本"]
    assert list(got[0].subheads.values()) == ["【镜头】", "【记者手记】"]


TWICE_SIGNED = """前线通讯

本社特派记者  李  原

我们到达前沿阵地的时候，天刚蒙蒙亮。战士们正在加修工事。

傍晚，炊事员挑着饭担子沿着交通沟送上来，大家一边吃饭，一边议论着明天的任务。

纺织运动在妇女中扩大

五月以来，各地妇女纺织运动日益扩大，仅一县即有纺车三千余架。

县妇联派出干部分赴各村，帮助解决棉花和销路问题。

（特派记者 赵明）
"""


def test_a_second_signature_shows_a_second_article() -> None:
    got = articles(TWICE_SIGNED)
    assert [a.title for a in got] == ["前线通讯", "纺织运动在妇女中扩大"]
    assert [[x.name for x in a.authors] for a in got] == [["李原"], ["赵明"]]
    assert [len(a.paragraphs) for a in got] == [2, 2]


COLUMN_WIDE_TITLES = """上半年港口运行观察
东岸港口吞吐量增长
集装箱航线持续加密

新华社记者  顾  远  林小川

今年上半年，东岸
港口货物吞吐量保持稳
步增长，集装箱航线持
续加密。码头负责人介
绍，新投用的调度系统
让船舶平均在港时间缩
短了一成多。

  业内人士认为，港口
数据是观察外贸走势的
重要窗口。港口还开通
了多条海铁联运班列，
货物从码头直达内陆城
市。

  港口方面表示，下半
年将继续优化作业流程，
提升装卸效率，同时加
快建设智慧港口，推动
岸桥、场桥等设备的自
动化改造，让货物进出
港更加便捷高效。

  码头工人说，过去装
卸一艘大船要好几天，
现在一天多就能完成，
效率提高了不少。港口
还新建了员工食堂和休
息室，大家的工作条件
也越来越好了。
"""


def test_title_lines_as_wide_as_the_column_over_a_byline() -> None:
    got = articles(COLUMN_WIDE_TITLES)
    assert len(got) == 1
    assert "东岸港口吞吐量增长" in got[0].title
    assert [a.name for a in got[0].authors] == ["顾远", "林小川"]


UNDER_A_TITLE = """东岸港口吞吐量稳步增长

东岸港口今年上半年货物吞吐量保持增长，集装箱航线持续加密。


山区学校用上远程课堂

新华社昆明7月10日电  暑假前的最后
一周，一所山区小学的孩子们通过屏幕，

与城里学校的学生一起上了一堂科学课。
"""


def test_a_title_set_apart_over_a_dateline_is_no_caption() -> None:
    items = process_page(page(UNDER_A_TITLE)).items
    assert [(i.type, i.title) for i in items] == [("article", "东岸港口吞吐量稳步增长"), ("article", "山区学校用上远程课堂")]


def test_a_photo_credit_glued_to_the_name() -> None:
    from banmian.bylines import parse_byline

    assert [(a.name, a.role) for a in parse_byline("本报记者  王晓华摄")] == [("王晓华", "摄影")]
    assert [(a.name, a.role) for a in parse_byline("新华社记者  顾  远摄")] == [("顾远", "摄影")]


def test_a_lost_indent_after_a_full_sentence_final_line() -> None:
    from banmian.clean import paragraph_starts

    lines = [
        "早上七点，村卫生室的门就开了。乡村",  # 18: the first line, its indent lost
        "刘建国先给几位老人量血压，然后背起药箱。",  # 20: full, ends a sentence
        "三十年来，他走遍了全村每一户人家。村",  # 18: stops short without ending a sentence
        "谁有高血压、谁要复查，他心里有本账。",  # 18: the paragraph's last line
    ]
    assert paragraph_starts(lines, 20) == [2]
    carried = ["早上七点，村卫生室的门就开了。乡村", "刘建国先给几位老人量血压，然后背起药箱。", "全村今年共有老人和孩子", "2000多位，他都熟悉。"]
    assert paragraph_starts(carried, 20) == []


def test_a_sentence_final_line_three_em_short_ends_its_paragraph() -> None:
    from banmian.clean import paragraph_starts

    lines = ["东岸区第十届校园足球联赛在区体育中", "心开幕，二十四支球队参加比赛。", "本届联赛将持续两个月，分小学组、初", "中组和高中组进行。"]
    assert paragraph_starts(lines, 18) == [2]  # 15 em of 18: short of the column by 3


EDITORS_NOTE = """三座城市的早市

编者按：早市是城市的烟火气。本版今天起刊发系列报道，记录三座城市的早市。

——编  者

东城：豆浆油条的早晨

清晨五点，东城的早市就热闹起来了，卖豆浆油条的摊位前排起了长队。
"""


def test_an_editors_sign_off_is_no_subtitle() -> None:
    got = articles(EDITORS_NOTE)
    assert [a.title for a in got] == ["三座城市的早市"] and got[0].subtitle is None
    assert got[0].paragraphs[1] == "——编者"


AFTER_A_PICTURE = """东岸码头今年新建了两个泊位，货轮停靠时间缩短了一半。

码头负责人说，下半年还将开通两条新航线。


图为东岸码头的新泊位。
本报记者  林  涛摄


山区学校  远程课堂开课

今年春季，山区三所小学接入远程课堂，学生每周上两节城里老师的课。

远程课堂由县教育局统一安排，老师和学生通过大屏幕实时交流。
"""


def test_a_title_after_a_picture_over_a_short_first_paragraph_is_no_caption() -> None:
    """A short unpunctuated line set off by two blank lines above but close over a longer text
    stands apart from what precedes only: the next article's headline, not a second caption."""
    items = process_page(page(AFTER_A_PICTURE)).items
    assert [(i.type, i.title) for i in items] == [
        ("article", "东岸码头今年新建了两个泊位"), ("caption", "图为东岸码头的新泊位"), ("article", "山区学校 远程课堂开课"),
    ]  # fmt: skip
    assert items[2].paragraphs[0].startswith("今年春季")


def columns(paragraph: str, width: int) -> list[str]:
    """A paragraph wrapped to a column of ``width`` characters, its first line indented two em."""
    first = width - 2
    return ["  " + paragraph[:first]] + [paragraph[i : i + width] for i in range(first, len(paragraph), width)]


NOTE_TEXT = (
    "今年夏天，本版走进十座县城，记录县城居民的出行变化。从公交线路到共享单车，从夜班车到定制公交，"
    "县城的出行方式正在悄悄改变。我们邀请读者一起，看看身边的新变化。"
)
BUS_TEXT = "本报南城6月2日电  县城公交今天起开通三条夜班线路，末班车延至晚上十一点，覆盖城区主要街道、医院和火车站。"
BUS_MORE = "公交公司负责人介绍，夜班线路的站点由市民投票选出，票价与白天相同，老年人刷卡免费乘车。"


def test_a_headline_group_after_an_editors_sign_off() -> None:
    """``——编  者`` closes the editor's note: a headline group right under it, over a dateline,
    opens the next article, also when only one blank line stands between."""
    lines = ["编者按", "", *columns(NOTE_TEXT, 12), "", "  ——编  者", "",
             "县城公交开通夜班线路", "三条线路覆盖城区主要街道、医院和火车站，末班车延至晚上十一点", "",
             *columns(BUS_TEXT, 12), "", *columns(BUS_MORE, 12), ""]  # fmt: skip
    got = articles("\n".join(lines))
    assert len(got) == 2 and got[0].title == "编者按" and got[1].title.startswith("县城公交开通夜班线路")
    assert got[0].paragraphs[-1] == "——编者"
    assert got[1].paragraphs[-1].startswith("公交公司负责人介绍")


MARKET_TEXT = "河湾镇的早市今年搬进了新建的农贸市场，摊位统一编号，蔬菜、水产、熟食分区摆放，市民买菜更方便了。"
MARKET_MORE = "市场管理员说，每天清晨四点就有菜农拉着新鲜蔬菜进场，七点前是一天中最热闹的时候。"
ROADS = "河湾镇今年还新修了三条通往各村的水泥路，客车每天往返六趟，村民进城赶集、看病、办事都方便多了，镇上的快递点也多了起来。"
SERVICE = "镇里的干部说，下一步还要在每个村建一个便民服务站，让群众在家门口就能办理社保、医保等常用业务，少跑路、不跑路。"
SHOPS = "桥头的商户也忙了起来，几家小饭馆延长了营业时间，晚上八九点钟还有不少过江的客人进店吃饭，老板们说生意比去年好了许多。"
MARKET_LAST = "不少老街坊说，早市搬进室内以后，刮风下雨也不怕了，地面干净，买菜的人比以前多了不少。"
BRIDGE_TEXT = "当前，江南江北两座新桥已同日通车，过江车辆分流明显，早晚高峰的拥堵路段减少了一半以上，市民出行时间大为缩短。"
BRIDGE_MORE = "交通部门表示，两座新桥通车后，将同步调整十余条公交线路，方便沿线居民出行。"


def test_a_headline_group_after_a_picture() -> None:
    """A picture stands between articles: a headline group under its note opens the next article,
    with one blank line around it as around every paragraph of the page."""
    lines = [*columns(MARKET_TEXT, 18), "", *columns(ROADS, 18), "", *columns(MARKET_MORE, 18), "", *columns(SERVICE, 18), "",
             *columns(MARKET_LAST, 18), "", "", "图为河湾镇新建的农贸市场。", "资料图片", "",
             "第二届城乡交通论坛在南城举办", "江南江北：两座新桥同日通车", "",
             *columns(BRIDGE_TEXT, 18), "", *columns(SHOPS, 18), "", *columns(BRIDGE_MORE, 18), ""]  # fmt: skip
    got = articles("\n".join(lines))
    assert len(got) == 2 and "两座新桥同日通车" in got[1].title  # (the group's lines joined counts too)
    assert got[0].paragraphs[-1].startswith("不少老街坊说") and got[1].paragraphs[0].startswith("当前")


def test_a_line_set_across_narrow_columns_is_a_headline() -> None:
    """On a page set in narrow columns a line far wider than the column was set across columns: a
    headline, not a subhead, and no fragment of a paragraph cut by a column break (even over a
    paragraph opening ``当前，``, which reads like the tail of a cut word)."""
    lines = [*columns(MARKET_TEXT, 10), "", *columns(MARKET_MORE, 10), "", *columns(MARKET_LAST, 10), "",
             "江南江北两座新桥同日通车  市民过江时间缩短一半", "",
             *columns(BRIDGE_TEXT, 10), "", *columns(BRIDGE_MORE, 10), ""]  # fmt: skip
    got = articles("\n".join(lines))
    assert [a.title for a in got][1:] == ["江南江北两座新桥同日通车 市民过江时间缩短一半"]
    assert got[1].paragraphs[0].startswith("当前，江南江北") and len(got[1].paragraphs) == 2


def test_a_common_word_ending_like_a_place_is_no_place() -> None:
    """``…城市``, ``乡村…`` end with an administrative-unit character but name no place: a subhead
    opening with one is no headline for its place-shaped start (the gazetteer still knows 盐城市)."""
    from banmian.segment import _place_start

    assert [_place_start(t) for t in ("河湾村种出致富果", "盐城市盐都区启动早市改造", "崭新城市定位带来新发展", "乡村振兴有了新抓手")] == [
        True, True, False, False,
    ]  # fmt: skip


LONG_DECK = """江北港区今年吞吐量再创新高。

码头工人说，新的装卸设备让效率提高了三成。


全市召开交通工作会议
部署城乡公交一体化和农村公路改造提升工作，研究下半年重点项目推进和资金保障有关事项

本报南城5月15日电  全市交通工作会议今天召开，会议部署城乡公交一体化和农村公路改造提升工作。

会议要求，各区县要加快推进重点项目建设，确保年内完成。
"""


def test_a_title_over_its_long_subtitle_on_a_wide_page() -> None:
    """A short line over one long unfinished line, set apart after a finished text and over a
    dateline: a title and its subtitle (副题), not a subhead over a paragraph; also right under the folio."""
    for text in (LONG_DECK, "2026年5月16日  星期六  南城日报  第1版\n\n" + LONG_DECK.split("\n\n\n", 1)[1]):
        got = articles(text)[-1]
        assert (got.title, got.subtitle) == ("全市召开交通工作会议", "部署城乡公交一体化和农村公路改造提升工作，研究下半年重点项目推进和资金保障有关事项")
        assert "全市交通工作会议今天召开" in got.paragraphs[0] and got.dateline is not None


def test_an_end_credit_wrapped_inside_its_role_word() -> None:
    """A narrow column wraps an end credit inside ``记者`` (``…电  记`` / ``者王新萍、…``): the line
    break is no space there, and the first name is read whole."""
    body = [*columns(MARKET_TEXT, 12), "", *columns(ROADS, 12), "", *columns(MARKET_MORE, 12), ""]
    lines = ["河湾镇早市搬进新市场", "", *body, "(本报南城6月10日电  记", "者王新萍、任彦、韩秉宸)", ""]
    got = articles("\n".join(lines))
    assert [a.name for a in got[0].authors] == ["王新萍", "任彦", "韩秉宸"]


def test_a_headline_the_line_wrapped_is_one_title_with_no_space() -> None:
    """``推动文化和旅游深度融合发展`` / ``的若干措施出台``: the second line opens with a particle, so it
    continues the first (data: ``wrapped_title_starts``); two phrases set on two lines keep their space."""
    wrapped = "推动文化和旅游深度融合发展\n的若干措施出台\n\n新华社北京5月2日电  （记者  李\n明）文化和旅游部日前印发通知，\n推出一系列措施。\n"
    (got,) = articles(wrapped)
    assert got.title == "推动文化和旅游深度融合发展的若干措施出台" and [a.name for a in got.authors] == ["李明"]
    (two,) = articles(wrapped.replace("的若干措施出台", "若干措施出台"))
    assert two.title == "推动文化和旅游深度融合发展 若干措施出台"


def test_an_end_note_holding_a_bracket_closes_its_article() -> None:
    """``（作者单位：…学院（出版学院））`` holds a bracket of its own: still an end note, so the
    title line under it opens the next article (it was read as a line of a text a column cut)."""
    lines = ["河湾镇早市搬进新市场", "", *columns(MARKET_TEXT, 12), "", *columns(ROADS, 12), "", *columns(MARKET_MORE, 12), "",
             "(作者单位:南城师范学院文学院(新闻学院))", "",
             "县城公交开通夜班线路", "", *columns(BUS_TEXT, 12), "", *columns(BUS_MORE, 12), ""]  # fmt: skip
    got = articles("\n".join(lines))
    assert [a.title for a in got] == ["河湾镇早市搬进新市场", "县城公交开通夜班线路"]
    assert got[0].end_notes == ["(作者单位：南城师范学院文学院（新闻学院）)"] and got[1].dateline is not None


def test_a_headline_group_after_a_closing_credit() -> None:
    """A credit in brackets closes the text above it: two title lines right under it open the next
    article, with one blank line around them as around every paragraph."""
    lines = ["河湾镇早市搬进新市场", "", *columns(MARKET_TEXT, 12), "", *columns(ROADS, 12), "", *columns(MARKET_MORE, 12), "",
             "  (林  涛  钱  程)", "", "第二届城乡交通论坛在南城举办", "江南江北：两座新桥同日通车", "",
             *columns(BRIDGE_TEXT, 12), "", *columns(SHOPS, 12), "", *columns(BRIDGE_MORE, 12), ""]  # fmt: skip
    got = articles("\n".join(lines))
    assert len(got) == 2 and [a.name for a in got[0].authors] == ["林涛", "钱程"]
    assert "两座新桥同日通车" in got[1].title and got[1].paragraphs[0].startswith("当前")


PICTURE_STORY = """河湾大桥合龙

河湾大桥今天顺利合龙，预计年底建成通车。

图为合龙现场。

林  涛摄（影像南城）


编者按

今天起，本版推出“城乡新变化”系列报道，记录县城和乡村的新面貌。
"""


def test_a_photo_credit_with_a_column_tag_is_no_headline() -> None:
    """``林  涛摄（影像南城）``: a photo credit and the picture column's tag close the picture story,
    they are no headline; ``编者按`` under it is the next item's title, not a byline."""
    got = articles(PICTURE_STORY)
    assert [(a.title, [x.name for x in a.authors]) for a in got] == [("河湾大桥合龙", []), ("编者按", [])]
    assert got[0].paragraphs[-1].startswith("林") and got[1].paragraphs[0].startswith("今天起")


QUOTED = """“让古桥再活一百年”

本报记者  林  涛

河湾古桥修缮工程今天完工，工程历时两年。

“我们修的不只是一座桥，更是全村人共同的记忆，是子孙后代回家的路标和念想”

老石匠说，修缮用的石料都取自附近的老采石场，工艺也按老办法来。

村民们在桥头办了一场庆祝活动。
"""


def test_a_quotation_between_paragraphs_is_a_subhead() -> None:
    """Wide pages: a line wholly one quotation that ends no sentence, between two paragraphs, is a
    speaker's words printed over a section (a subhead), not the start of the next paragraph; a
    quoted title over its byline stays the headline."""
    (got,) = articles(QUOTED)
    assert got.title == "“让古桥再活一百年”" and [a.name for a in got.authors] == ["林涛"]
    assert got.subheads == {1: "“我们修的不只是一座桥，更是全村人共同的记忆，是子孙后代回家的路标和念想”"} and got.paragraphs[1].startswith("老石匠说")


def test_two_stacked_subhead_lines_on_a_wide_page_without_blank_lines() -> None:
    """A page printing a paragraph a line and no blank lines: two short lines stacked between two
    paragraphs (a subhead over a second subhead line) are the subhead, each line kept apart from
    the paragraph under them."""
    lines = ["河湾大桥今天顺利合龙", "", MARKET_TEXT, ROADS, "从渡船到大桥", "两岸村民盼了三十年", MARKET_MORE, MARKET_LAST]
    (got,) = articles("\n".join(lines))
    assert got.paragraphs[2] == MARKET_MORE and got.subheads == {2: "从渡船到大桥 两岸村民盼了三十年"}


def test_a_subhead_over_a_paragraph_opening_with_a_number() -> None:
    """A number is carried whole onto the next line, so a line may stop short by its width; a line
    short by far more than the number under it (``神养分”`` over ``2024年深秋…``) still ends a subhead."""
    lines = ["以“和而不同”的古老智慧", "推动构建公正的秩序。", "“共同探索文明交流", "互鉴的新空间，为建设一", "个更加美好的世界提供精", "神养分”",
             "2024年深秋，北京雁", "栖湖畔，首届世界古典学", "大会成功举办。"]  # fmt: skip
    assert inner_subhead(lines, 11) == (2, 6)
    # a line short by little more than the number carried under it is no subhead's end
    assert inner_subhead(["推动构建公正的秩序。", "还有读者反映，向", "12345热线反映问题时，", "明确表示不需要联系自己。"], 12) is None


def test_a_paragraph_opening_with_a_clause_is_no_byline() -> None:
    """``然而，记者查阅`` opens a paragraph (a narrow column cut it after 查阅): a clause and a comma
    before the role, which no credit line prints, so it names no one."""
    from banmian.segment import _byline_kind

    assert _byline_kind("然而，记者查阅") is None
    assert _byline_kind("本报记者  张  三，实习生  李  四") == BlockKind.BYLINE
