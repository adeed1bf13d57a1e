"""Notes as codes + parameters (banmian.notes, data/notes.yml): every code the stages use is in
the catalogue in both languages with the same parameters; records keep codes; rendering forgives
hand edits."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import jsonschema
import pytest

from banmian import notes
from banmian.docs_layout import page_schema
from banmian.notes import Note, as_record, catalogue, fields, flag_note, from_record, note, render
from conftest import ROOT, SEEDS, run_here

PACKAGE = ROOT / "scripts" / "banmian"


def _note_calls() -> list[tuple[str, int, ast.Call]]:
    """Every ``note(…)`` / ``notes.note(…)`` call in the package, with where it is."""
    out = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                bare = isinstance(f, ast.Name) and f.id == "note"
                qualified = isinstance(f, ast.Attribute) and f.attr == "note" and isinstance(f.value, ast.Name) and f.value.id == "notes"
                if bare or qualified:
                    out.append((path.name, node.lineno, node))
    return out


def test_catalogue_has_both_languages_with_the_same_parameters() -> None:
    cat = catalogue()
    assert cat
    for code, entry in cat.items():
        assert set(entry) == {"zh", "en"}, code
        assert entry["zh"].strip() and entry["en"].strip(), code
        assert fields(entry["zh"]) == fields(entry["en"]), code
        assert notes.CODE_KEY not in fields(entry["zh"]), code  # the record's key for the code


def test_the_code_list_the_type_checker_sees_is_the_catalogue() -> None:
    assert set(typing.get_args(notes.NoteCode)) == set(catalogue())


def test_every_note_made_in_the_code_is_in_the_catalogue_with_its_parameters() -> None:
    calls = _note_calls()
    assert len(calls) >= 10  # segment, layout, facsimile, metadata
    cat = catalogue()
    for where, line, call in calls:
        first = call.args[0] if call.args else None
        if not isinstance(first, ast.Constant):
            continue  # a code passed on (segment's attach_label): NoteCode, checked by mypy
        assert first.value in cat, f"{where}:{line}: {first.value!r} is not in data/notes.yml"
        given = {k.arg for k in call.keywords}
        assert given == fields(cat[first.value]["zh"]), f"{where}:{line}: {first.value} takes {sorted(fields(cat[first.value]['zh']))}, given {sorted(given)}"


def test_codes_passed_on_are_in_the_catalogue() -> None:
    """String constants where segment passes a code on to ``attach_label``."""
    tree = ast.parse((PACKAGE / "segment.py").read_text(encoding="utf-8"))
    codes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "attach_label":
            why = node.args[3]
            parts = [why.body, why.orelse] if isinstance(why, ast.IfExp) else [why]
            codes.update(p.value for p in parts if isinstance(p, ast.Constant))
    assert codes and codes <= set(catalogue())


def test_render_in_each_language() -> None:
    n = note("orphan_headline", line=12)
    assert render(n, "zh") == "第12行的标题找不到正文，原样保留"
    assert render(n, "en") == "no article found for the headline at line 12; kept as printed"
    moved = note("headline_moved", title="三支队伍送温暖", line=633, score=92)
    assert render(moved) == "标题「三支队伍送温暖」印在第633行，远离正文；按字词相符（92%）移回本篇"
    assert "633" in render(moved, "en") and "92%" in render(moved, "en")


def test_a_note_with_the_wrong_parameters_is_refused_where_it_is_made() -> None:
    with pytest.raises(ValueError):
        note("orphan_headline")
    with pytest.raises(ValueError):
        note("orphan_headline", line=3, extra="x")


def test_hand_edited_records_render_without_crashing() -> None:
    assert render(from_record({"note": "no_such_code", "line": 4})) == "no_such_code(line=4)"
    assert render(from_record({"note": "no_such_code"}), "en") == "no_such_code"
    assert render(from_record({"note": "orphan_headline"})) == "第{line}行的标题找不到正文，原样保留"  # a parameter lost
    assert render(from_record({"note": "orphan_headline", "line": [1, 2]})) == "第[1, 2]行的标题找不到正文，原样保留"
    assert render(from_record("编者：本文第二段据原报补。")) == "编者：本文第二段据原报补。"  # free text, as written
    assert render(from_record(42)) == "42"


def test_records_keep_code_and_parameters() -> None:
    n = note("truncated", line=97)
    assert as_record(n) == {"note": "truncated", "line": 97}
    assert from_record(as_record(n)) == n
    assert as_record("free text") == "free text"


def test_page_schema_takes_codes_free_text_and_unknown_codes() -> None:
    schema = page_schema()
    item = {"file": "a-12345678.md", "notes": [{"note": "truncated", "line": 97}, "编者补记", {"note": "not_yet_known", "x": "y"}]}
    record = {"key": "p1", "source": "source_texts/p1.txt", "sha256": "0" * 64, "items": [item]}
    jsonschema.validate(record, schema)
    for bad in ({"line": 97}, {"note": "truncated", "line": [1]}, {"note": "Bad Code"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**record, "items": [{**item, "notes": [bad]}]}, schema)


def test_committed_page_records_hold_codes_the_catalogue_knows() -> None:
    import yaml

    seen = 0
    for path in sorted((ROOT / "docs").glob("*/page.yml")):
        for it in yaml.safe_load(path.read_text(encoding="utf-8")).get("items") or []:
            for raw in it.get("notes") or []:
                n = from_record(raw)
                assert isinstance(n, Note) and n.code in catalogue(), (path, raw)
                assert set(n.params) == fields(catalogue()[n.code]["zh"]), (path, raw)
                seen += 1
    assert seen


def test_flags_explained_for_readers() -> None:
    """Every flag the schema allows has a sentence for readers in both languages and a label in
    the proofreading queue: no flag name (``review``) reaches a reader or a proofreader as is."""
    import json
    from importlib import resources

    from banmian.proofread import risk_rules

    schema = json.loads(resources.files("banmian").joinpath("data/article.schema.json").read_text(encoding="utf-8"))
    flags = schema["properties"]["flags"]["items"]["enum"]
    labels = risk_rules()["labels"]
    for flag in flags:
        assert flag_note(flag) == render(Note(f"flag_{flag}")) != flag, flag
        assert render(Note(f"flag_{flag}"), "en") != flag, flag
        assert flag in labels and not labels[flag].isascii(), flag
    assert flag_note("not_a_flag") == "not_a_flag"  # a flag a hand edit invents is shown as written


def test_explain_prints_notes_in_chinese_and_english() -> None:
    seed = next(p for p in SEEDS if p.name.startswith("000"))
    out = run_here("explain", f"source_texts/{seed.name}", cwd=ROOT).stdout
    lines = out.splitlines()
    zh = next(i for i, ln in enumerate(lines) if "移回本篇" in ln)
    assert lines[zh].strip().startswith("说明:") and "第633行" in lines[zh]
    assert lines[zh + 1].strip().startswith("note:") and "line 633" in lines[zh + 1]
    assert " / " not in lines[zh]  # one language per line


def test_package_data_ships_the_catalogue() -> None:
    assert (PACKAGE / "data" / "notes.yml").is_file()
    assert Path(notes.__file__).parent == PACKAGE
