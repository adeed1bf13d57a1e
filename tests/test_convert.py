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
