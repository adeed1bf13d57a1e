"""Citation strings: GB/T 7714-2015 online newspaper form, biblatex, CSL-JSON; unknowns left out."""

from __future__ import annotations

import json

from banmian import citation

URL = "https://example.org/p/a01.html"


def test_gbt7714_full_record() -> None:
    meta = {"id": "p-a01", "title": "创造学习的思路", "authors": [{"name": "谢希德"}], "publication": "人民日报",
            "date": "1998-12-25", "date_source": "manifest", "page": "10"}
    assert citation.gbt7714(meta, URL, "2024-05-01") == f"谢希德.创造学习的思路[N/OL].人民日报,1998-12-25(10)[2024-05-01].{URL}."


def test_gbt7714_unknowns_are_omitted_not_invented() -> None:
    meta = {"id": "p-a02", "title": "无题", "authors": [], "date": "2013", "date_source": "inferred"}
    text = citation.gbt7714(meta, URL, "2024-05-01")
    assert text == f"无题[N/OL].[2024-05-01].{URL}."
    assert "2013" not in text  # an inferred year is not a publication date


def test_gbt7714_more_than_three_authors() -> None:
    meta = {"title": "标题", "authors": [{"name": n} for n in ("甲一", "乙二", "丙三", "丁四")]}
    assert citation.gbt7714(meta, URL, "x").startswith("甲一,乙二,丙三,等.标题[N/OL]")


def test_bibtex_newspaper_article_escapes_specials() -> None:
    meta = {"id": "p-a01", "title": "50% 的 A&B", "authors": [{"name": "范志红", "role": "记者"}, {"name": "李岚"}], "publication": "某报"}
    text = citation.bibtex(meta, URL, "2024-05-01")
    assert text.startswith("@article{p-a01,\n")
    assert "entrysubtype = {newspaper}" in text
    assert "author = {{范志红} and {李岚}}" in text
    assert r"title = {50\% 的 A\&B}" in text
    assert "journaltitle = {某报}" in text and "\n  date =" not in text
    assert text.count("{") == text.count("}")


def test_csl_json_article_newspaper() -> None:
    meta = {"id": "p-a01", "title": "标题", "subtitle": "副题", "authors": [{"name": "李岚"}], "date": "2013-09", "date_source": "manifest"}
    item = json.loads(citation.csl_json(meta, URL, "2024-05-01"))[0]
    assert item["type"] == "article-newspaper"
    assert item["title"] == "标题:副题"
    assert item["author"] == [{"literal": "李岚"}]
    assert item["issued"] == {"date-parts": [[2013, 9]]}
    assert item["URL"] == URL and "container-title" not in item
