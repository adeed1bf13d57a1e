"""Bylines: every credit style printed on the seed pages, plus cases that must NOT read as bylines."""

from __future__ import annotations

import pytest

from banmian.bylines import looks_like_byline, parse_byline, split_dateline, split_trailing_credit

# (printed text, expected [(name, role)]) — one row per byline style; roles come from byline_roles.yml
CASES: list[tuple[str, list[tuple[str, str | None]]]] = [
    ("(潘鹏)", [("潘鹏", None)]),
    ("(通讯员 袁玉磊)", [("袁玉磊", "通讯员")]),
    ("（通讯员 袁玉磊）", [("袁玉磊", "通讯员")]),
    ("(特约记者 蒋平 通讯员 殷聪)", [("蒋平", "特约记者"), ("殷聪", "通讯员")]),
    ("(李 岚)", [("李岚", None)]),  # a two-character name padded to three
    ("(通讯员 自发 修智 王雷)", [("自发", "通讯员"), ("修智", "通讯员"), ("王雷", "通讯员")]),
    ("(通讯员 自发 王雷)", [("自发", "通讯员"), ("王雷", "通讯员")]),
    ("□茹杰作", [("茹杰", "作者")]),
    ("(蒋平 刘守涛)", [("蒋平", None), ("刘守涛", None)]),
    ("(杨凤君 张菁)", [("杨凤君", None), ("张菁", None)]),
    ("本报讯 (记者熊建国 通讯员刘常红)", [("熊建国", "记者"), ("刘常红", "通讯员")]),  # role glued to name
    ("(记者熊建国通讯员刘常红)", [("熊建国", "记者"), ("刘常红", "通讯员")]),  # the space lost where a column wrapped it
    ("(本报记者李文通讯员王武)", [("李文", "记者"), ("王武", "通讯员")]),
    ("(通讯员侯书华 王磊)", [("侯书华", "通讯员"), ("王磊", "通讯员")]),
    ("刘 穆/摄影报道", [("刘穆", "摄影")]),
    ("刘劲松/摄影报道", [("刘劲松", "摄影")]),
    ("(通讯员 刘守涛 张筠琪 摄)", [("刘守涛", "摄影"), ("张筠琪", "摄影")]),  # the photo role closes the group
    ("本版策划组稿:郭祥云 张保平 蒋平", [("郭祥云", "策划组稿"), ("张保平", "策划组稿"), ("蒋平", "策划组稿")]),
    (
        "本版策划组稿 孙兴伟 王斌 撰文 自小亮 李梅 韩文亚",
        [("孙兴伟", "策划组稿"), ("王斌", "策划组稿"), ("自小亮", "撰文"), ("李梅", "撰文"), ("韩文亚", "撰文")],
    ),
    ("撰文 自小亮 李梅", [("自小亮", "撰文"), ("李梅", "撰文")]),
    ("文/张三", [("张三", "撰文")]),
    ("特约撰稿人 张三", [("张三", "撰文")]),
    ("撰稿人：李四", [("李四", "撰文")]),
    ("张三 文 李四 摄影", [("张三", "撰文"), ("李四", "摄影")]),
    ("(张 三 摄)", [("张三", "摄影")]),
    # names that begin or end with a role character stay whole
    ("(文静)", [("文静", None)]),
    ("(记者 文静)", [("文静", "记者")]),
    ("(图门 摄)", [("图门", "摄影")]),
    # a source note names no author
    ("(据国家卫生计生委网站)", []),
    ("（摘自人民日报）", []),
]

# Text that is not a credit, though it may sit in brackets at the end of a sentence.
NOT_BYLINES = [
    "(据国家卫生计生委网站)",
    "(居)",
    "(手册)",
    "(大工委)",
    "(知身份情况、知暂住理由、知户籍所在地、知计生情况)",
    "潘鹏",  # a bare name could be a headline word
    "薛城区人口计划生育工作巡礼",
    "近日,临城街道开展以“促进家庭幸福,构建和谐人口”为主题的宣传服务活动。",
    "本报讯 (记者熊建国 通讯员刘常红)近年来,郑州市金水区",  # a dateline opens a paragraph
    "",
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_byline(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(a.name, a.role) for a in parse_byline(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [c for c in CASES if c[1]], ids=[c[0] for c in CASES if c[1]])
def test_every_credit_style_looks_like_a_byline(text: str, expected: list) -> None:
    assert looks_like_byline(text)


@pytest.mark.parametrize("text", NOT_BYLINES)
def test_not_bylines(text: str) -> None:
    assert not looks_like_byline(text)


def test_trailing_credit_of_a_paragraph_and_of_a_caption() -> None:
    body, people = split_trailing_credit("村民自觉转变传统的生育观念。 (潘鹏)")
    assert body == "村民自觉转变传统的生育观念。" and [(a.name, a.role) for a in people] == [("潘鹏", None)]
    body, people = split_trailing_credit("图为计生工作人员在街头发放宣传资料。(通讯员 刘守涛 张筠琪 摄)")
    assert body.endswith("宣传资料。") and [a.role for a in people] == ["摄影", "摄影"]
    body, people = split_trailing_credit("金水区人口计生委开展“便民惠民”活动\n刘 穆/摄影报道")
    assert body == "金水区人口计生委开展“便民惠民”活动" and [a.name for a in people] == ["刘穆"]


def test_no_trailing_credit() -> None:
    assert split_trailing_credit("对持证(手册)人员定期进行孕情随访。") is None
    assert split_trailing_credit("加强流动人口管理工作(据国家卫生计生委网站)") is None
    assert split_trailing_credit("全区按照大工委(大工委)") is None


def test_dateline() -> None:
    marker, people, rest = split_dateline("本报讯 (记者熊建国 通讯员刘常红)近年来,郑州市金水区按照")
    assert marker == "本报讯" and rest.startswith("近年来")
    assert [(a.name, a.role) for a in people] == [("熊建国", "记者"), ("刘常红", "通讯员")]
    assert split_dateline("近年来,郑州市金水区(区)按照") is None


def test_a_date_spaced_by_justification_is_still_a_dateline() -> None:
    """A justified or column-wrapped line prints spaces inside the date (``6月 10日电``,
    ``6月1 0日电``): the dateline and its credit are read all the same, the date without them."""
    from banmian.bylines import credit_dateline
    from banmian.datelines import match_opening

    for text in ("（本报雅典6月 10日电  记者王新萍、任彦）", "（本报雅典6月1 0日电记者王新萍、任彦）", "(新华社延安十 四日电  记者陈沂)"):
        dl = credit_dateline(text)
        assert dl is not None and dl.date in ("6月10日", "十四日"), text
        assert looks_like_byline(text) and [a.name for a in parse_byline(text)] in (["王新萍", "任彦"], ["陈沂"])
    opening = match_opening("新华社北京5月 15日电  国务院总理今天主持召开会议。")
    assert opening is not None and opening.dateline is not None and opening.dateline.date == "5月15日"
    assert opening.dateline.text == "新华社北京5月 15日电"  # (as printed)


def test_a_credit_justified_character_by_character() -> None:
    """A justified line spaces every character (``( 记 者 冯 歆 然 、张继业)``): where the list's
    item is a role and a name, it is read as such (a padded name alone, ``李 岚``, as before)."""
    assert [(a.name, a.role) for a in parse_byline("( 记 者 冯 歆 然 、张继业)")] == [("冯歆然", "记者"), ("张继业", "记者")]
    assert [(a.name, a.role) for a in parse_byline("（记者 李 岚、张继业）")] == [("李岚", "记者"), ("张继业", "记者")]
