"""Dates: manifest first, else what the page's own text proves, else null — never a guess."""

from __future__ import annotations

import pytest

from banmian.dates import dated_mentions, infer_page_date
from banmian.model import Page, PageMeta, PageResult


def page_date(lines: list[str], meta: PageMeta | None = None) -> PageResult:
    result = PageResult(page=Page(key="t", path="t.txt", lines=lines, meta=meta or PageMeta()), items=[], blocks=[])
    infer_page_date(result)
    return result


def test_manifest_date_wins_over_the_text() -> None:
    r = page_date(["2013年，某镇开展活动。"], PageMeta(date="2014-05-06"))
    assert (r.date, r.date_precision, r.date_source) == ("2014-05-06", "day", "manifest")
    r = page_date(["2013年，某镇开展活动。"], PageMeta(date="2014-05"))
    assert (r.date, r.date_precision, r.date_source) == ("2014-05", "month", "manifest")


def test_no_dated_event_means_no_date() -> None:
    r = page_date(["今年以来，某镇开展活动。", "", "9月21日一大早，记者来到村里。去年底，开展帮扶。"])
    assert (r.date, r.date_precision, r.date_source, r.date_evidence) == (None, None, None, None)


def test_explicit_year_is_the_latest_event_with_its_sentence() -> None:
    r = page_date(["2010年，某区投入400多万元。", "", "2012年举行评选。2013年，她获得荣誉称号。"])
    assert (r.date, r.date_precision, r.date_source) == ("2013", "year", "inferred")
    assert r.date_evidence == "2013年，她获得荣誉称号"


def test_year_split_by_a_narrow_column_line_break() -> None:
    r = page_date(["对连续三次排名末位的村取消2013", "年度人口计生工作授奖资格。"])
    assert (r.date, r.date_precision) == ("2013", "year")


def test_month_day_without_its_own_year_does_not_raise_precision() -> None:
    """9月21日 on a page whose only year belongs to a work plan: the page supports 2013, not a day."""
    r = page_date(["某镇2013年工作的思路是：稳定低生育水平。", "", "9月21日一大早，田军如是说。今年1至8月份，共发放贷款60余万元。"])
    assert (r.date, r.date_precision) == ("2013", "year")


def test_year_tied_to_month_and_day_gives_their_precision() -> None:
    assert (page_date(["2013年9月20日，人大代表视察。"]).date_precision) == "day"
    assert page_date(["2013年9月20日，人大代表视察。"]).date == "2013-09-20"
    assert page_date(["2013年9月，人大代表视察。"]).date == "2013-09"


def test_targets_and_plans_are_not_events() -> None:
    r = page_date(["2012年，某县开展活动。", "力争到2020年实现目标，2015年前完成改造。"])
    assert r.date == "2012"
    assert page_date(["截至2013年底，全县发放奖励金。"]).date == "2013"


def test_observance_by_ordinal() -> None:
    """The first World Population Day was 11 July 1990, so the 24th was in 2013."""
    r = page_date(["北庄镇设立第24个世界人口日宣传点，宣传当前人口形势。"])
    assert (r.date, r.date_precision, r.date_source) == ("2013", "year", "inferred")
    assert "第24个世界人口日" in r.date_evidence


def test_numbers_that_are_not_years() -> None:
    assert page_date(["完善66544利益导向政策体系。粘贴 40余幅，2—20万不等额度的贷款。"]).date is None
    assert page_date(["共发放12013年份的资料。"]).date is None


@pytest.mark.parametrize(
    ("stem", "date", "evidence"),
    [
        ("000_313d489b37d45823", None, None),
        ("001_815db835ad161ca1", "2013", "取消2013年度人口计生工作授奖资格"),
        ("002_3f89323adee11a79", "2014", "2014年,吕巷村以“好媳妇”评选为起点"),
        ("003_c9c205ed73b29fae", "2013", "第24个世界人口日"),
        ("004_370a8041abfdf4a3", "2013", "西集镇2013年人口和计生工作的思路是"),
    ],
)
def test_seed_pages(seed_pages, stem: str, date: str | None, evidence: str | None) -> None:
    page = seed_pages[stem]
    r = PageResult(page=page, items=[], blocks=[])
    infer_page_date(r)
    assert r.date == date
    if evidence:
        assert r.date_precision == "year" and r.date_source == "inferred" and evidence in r.date_evidence
    else:
        assert r.date_source is None and not dated_mentions(page.lines)
