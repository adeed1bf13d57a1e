"""Citations: GB/T 7714-2015, biblatex, CSL-JSON, RIS, Highwire tags, JSON-LD; unknowns left out,
an inferred year marked as an estimate, the URL only the canonical one."""

from __future__ import annotations

import json

from banmian import citation, convert

URL = "https://example.org/p/a01.html"
PEOPLES_DAILY = {"id": "p-a01", "title": "创造学习的思路", "authors": [{"name": "谢希德"}], "publication": "人民日报",
                 "date": "1998-12-25", "date_source": "manifest", "page": "10"}


def test_gbt7714_full_record_is_the_standards_example() -> None:
    w = citation.work(PEOPLES_DAILY, url=URL)
    assert citation.gbt7714(w, "2024-05-01") == f"谢希德.创造学习的思路[N/OL].人民日报,1998-12-25(10)[2024-05-01].{URL}."
    # without an address the record is the printed one: [N], no access date
    assert citation.gbt7714(citation.work(PEOPLES_DAILY), "x") == "谢希德.创造学习的思路[N].人民日报,1998-12-25(10)."


def test_gbt7714_inferred_year_in_brackets_unknowns_omitted() -> None:
    meta = {"id": "p-a02", "title": "无题", "authors": [], "date": "2013", "date_source": "inferred"}
    assert citation.gbt7714(citation.work(meta, url=URL), "2024-05-01") == f"无题[N/OL].[2013][2024-05-01].{URL}."
    assert citation.gbt7714(citation.work({"title": "无题"}, url=URL), "d") == f"无题[N/OL].[d].{URL}."


def test_publication_and_page_come_from_the_page_record_when_the_article_lacks_them() -> None:
    meta = {"id": "k-a03", "title": "标题", "date": "2013", "date_source": "inferred"}
    w = citation.work(meta, {"publication": "某某人口报", "page": "3", "issue": "第1234期"}, URL)
    assert citation.gbt7714(w, "d") == f"标题[N/OL].某某人口报,[2013](3)[d].{URL}."
    assert ("citation_journal_title", "某某人口报") in citation.highwire(w)


def test_gbt7714_more_than_three_authors_and_a_supplied_title() -> None:
    meta = {"title": "标题", "authors": [{"name": n} for n in ("甲一", "乙二", "丙三", "丁四")], "flags": ["untitled"]}
    assert citation.gbt7714(citation.work(meta, url=URL), "x").startswith("甲一,乙二,丙三,等.[标题][N/OL]")


def test_bibtex_newspaper_article_escapes_specials_and_marks_circa() -> None:
    meta = {"id": "p-a01", "title": "50% 的 A&B_{x}", "authors": [{"name": "范志红", "role": "记者"}, {"name": "李岚"}],
            "publication": "某报", "date": "2013", "date_source": "inferred"}
    text = citation.bibtex(citation.work(meta, url=URL), "2024-05-01")
    assert text.startswith("@article{p-a01,\n")
    assert "entrysubtype = {newspaper}" in text
    assert "author = {{范志红} and {李岚}}" in text
    assert r"title = {50\% 的 A\&B\_\{x\}}" in text
    assert "journaltitle = {某报}" in text and "date = {2013~}" in text
    assert f"url = {{{URL}}}" in text and "urldate = {2024-05-01}" in text
    assert text.replace("\\{", "").replace("\\}", "").count("{") == text.replace("\\{", "").replace("\\}", "").count("}")


def test_csl_json_article_newspaper() -> None:
    meta = {"id": "p-a01", "title": "标题", "subtitle": "副题", "authors": [{"name": "李岚"}], "date": "2013-09", "date_source": "manifest"}
    item = json.loads(citation.csl_json(citation.work(meta, url=URL), "2024-05-01"))[0]
    assert item["type"] == "article-newspaper"
    assert item["title"] == "标题:副题"
    assert item["author"] == [{"literal": "李岚"}]
    assert item["issued"] == {"date-parts": [[2013, 9]]}
    assert item["URL"] == URL and "container-title" not in item
    inferred = json.loads(citation.csl_json(citation.work({**meta, "date": "2013", "date_source": "inferred"}), "d"))[0]
    assert inferred["issued"] == {"date-parts": [[2013]], "circa": True}
    assert "URL" not in inferred and "accessed" not in inferred


def test_ris_newspaper_record() -> None:
    text = citation.ris(citation.work(PEOPLES_DAILY, url=URL), "2024-05-01")
    lines = text.split("\n")
    assert lines[0] == "TY  - NEWS" and lines[-1] == "ER  - "
    for line in ("AU  - 谢希德", "TI  - 创造学习的思路", "T2  - 人民日报", "PY  - 1998", "DA  - 1998/12/25/", "SP  - 10",
                 f"UR  - {URL}", "Y2  - 2024-05-01"):
        assert line in lines
    inferred = citation.ris(citation.work({"title": "题", "date": "2013", "date_source": "inferred"}), "d").split("\n")
    assert "PY  - 2013" in inferred and not any(x.startswith(("DA", "UR", "Y2")) for x in inferred)
    assert any(x.startswith("N1  - ") and "推断" in x for x in inferred)


def test_highwire_tags() -> None:
    tags = citation.highwire(citation.work({**PEOPLES_DAILY, "authors": [{"name": "甲"}, {"name": "乙"}]}, url=URL))
    assert [v for k, v in tags if k == "citation_author"] == ["甲", "乙"]
    assert dict(tags)["citation_title"] == "创造学习的思路"
    assert dict(tags)["citation_date"] == "1998/12/25" == dict(tags)["citation_publication_date"]
    assert dict(tags)["citation_firstpage"] == "10" and dict(tags)["citation_public_url"] == URL
    bare = dict(citation.highwire(citation.work({"title": "题"})))
    assert set(bare) == {"citation_title", "citation_language"}


def test_json_ld_cannot_close_its_script_element() -> None:
    meta = {**PEOPLES_DAILY, "title": "</script><script>alert(1)</script>", "authors": [{"name": "A&B <i>"}]}
    text = citation.json_ld(citation.work(meta, url=URL))
    assert "<" not in text and ">" not in text and "&" not in text and text.isascii()
    data = json.loads(text)
    assert data["@type"] == "NewsArticle" and data["headline"] == meta["title"]
    assert data["author"] == [{"@type": "Person", "name": "A&B <i>"}]
    assert data["datePublished"] == "1998-12-25" and data["url"] == URL and data["isPartOf"]["name"] == "人民日报"


def test_protect_keeps_a_citation_simplified_whatever_it_holds() -> None:
    text = citation.bibtex(citation.work({"id": "x", "title": "计划生育}-协会", "publication": "报"}), "d")
    trad = convert.Converter()
    assert trad.convert(convert.protect(text)) == text
    assert convert.strip_markup(convert.protect(text)) == text
    assert trad.convert("计划生育协会") != "计划生育协会"  # it would have been converted


def test_a_photographer_is_the_author_of_a_caption_not_of_an_article() -> None:
    people = [{"name": "熊建国", "role": "记者"}, {"name": "刘穆", "role": "摄影"}, {"name": "王斌", "role": "责任编辑"}]
    assert citation.work({"title": "文", "type": "article", "authors": people}).authors == ("熊建国",)
    assert citation.work({"title": "图", "type": "caption", "authors": people}).authors == ("熊建国", "刘穆")
    assert citation.work({"title": "无署名角色", "authors": [{"name": "李岚"}]}).authors == ("李岚",)
