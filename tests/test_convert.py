"""Traditional conversion: s2tw, project overrides, name rules, -{…}- protection."""

from __future__ import annotations

import pytest

from banmian import convert


@pytest.mark.parametrize(
    ("simp", "trad"),
    [
        ("禹州市无梁镇", "禹州市無梁鎮"),  # s2t would give 無樑鎮
        ("台前县", "台前縣"),
        ("不准吸烟", "不准吸菸"),
        ("□茹杰作", "□茹杰作"),
        ("头发里面", "頭髮裡面"),  # s2tw forms, not 裏
        ("联系", "聯繫"),  # script only: s2twp would say 聯絡
    ],
)
def test_overrides_and_script_only(simp: str, trad: str) -> None:
    assert convert.to_traditional(simp) == trad


def test_surnames_in_names_are_kept() -> None:
    assert convert.name_to_traditional("范志红") == "范志紅"
    assert convert.name_to_traditional("余华") == "余華"
    assert convert.name_to_traditional("张杰") == "張杰"
    extra = convert.name_overrides(["范志红", "刘常红"])
    assert extra == {"范志红": "范志紅"}  # only names plain OpenCC gets wrong
    conv = convert.Converter(extra)
    assert conv.convert("记者范志红报道：范围扩大") == "記者范志紅報道：範圍擴大"


def test_protect_markup_removed_in_both_scripts() -> None:
    text = "这是-{范围}-和范围"
    assert convert.strip_markup(text) == "这是范围和范围"
    assert convert.to_traditional(text) == "這是范围和範圍"


def test_override_file_errors_name_the_line() -> None:
    with pytest.raises(ValueError, match=r"x.tsv:2"):
        convert.parse_overrides("a\tb\nbad line\n", "x.tsv")
    with pytest.raises(ValueError, match="surname"):
        convert.parse_overrides("范\t範\tsurname\n", "x.tsv")


def test_every_interface_string_is_written_for_traditional_readers() -> None:
    """The zh-Hant interface is written, not converted: every template string has an entry, and
    the entries use Taiwan/Hong Kong wording where it differs from a plain conversion."""
    from banmian import convert, site

    table = convert.ui_table()
    missing = sorted(v for v in site.UI.values() if v not in table)
    assert not missing, f"add to data/zh_hant_ui.tsv: {missing}"
    ui = site.ui_strings("zh-Hant")
    assert ui["report"] == "回報錯誤" and "搜尋" in ui["not_found_search"] and "連結" in ui["not_found_text"]
    assert all(len(k) >= convert.MIN_UI_SENTENCE for k in convert.ui_sentences())


def test_interface_sentences_never_touch_article_text() -> None:
    """The written forms apply on generated pages only: an article converts by script alone."""
    from banmian import convert

    sentence = "离线版包含整个网站（简体和繁体），不需要网络，也不需要安装任何软件。"
    article = convert.Converter()
    pages = convert.Converter(convert.ui_sentences())
    assert "網路" in pages.convert(sentence) and "軟體" in pages.convert(sentence)
    assert "網絡" in article.convert(sentence)  # the paper's own wording is kept in articles


def test_overrides_go_to_opencc_and_private_use_characters_are_text() -> None:
    """The overrides are an OpenCC user dictionary (no placeholders in the text): the variant step
    leaves their results alone, and the text's own private-use characters come out as they went in."""
    conv = convert.Converter({"熊建国": "熊建國"})
    assert conv.convert("台前县的熊建国后来") == "台前縣的熊建國後來"
    assert conv.convert("后\U000f0000来\U000f0001\ue000") == "後\U000f0000來\U000f0001\ue000"
    assert conv.convert("-{后来}-后来") == "后来後來"
