"""yaml_writer writes exactly what PyYAML + libyaml write for emit's options, or declines (None).

Generated data has the shapes of front matter and page records (nested dicts, lists of dicts, flow
lists and mappings of scalars) and strings chosen to hit every style decision: indicators, implicit
types, quotes, leading and trailing spaces, line breaks, text long enough to fold at the width,
characters PyYAML double-quotes.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banmian import emit, yaml_writer

pytestmark = pytest.mark.skipif(not hasattr(yaml, "CSafeDumper"), reason="yaml_writer is used only with libyaml")


def pyyaml(data: object) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)


PIECES = ["计生", "协会", " ", "  ", "\n", "\n\n", ":", ": ", "#", " #", ",", "?", "-", "- ", "[", "]", "{", "}", "'", '"',
          "&", "*", "!", "|", ">", "%", "@", "`", "~", "null", "yes", "No", "2013", "2013-09-21", "0x1F", "1e3", ".5",
          "---", "...", "a", "Z", "é", "\u3000", "\xa0", "\t", "\x85", "\u2028", "\ufeff", "𠀀", "（", "）", "。", "=", "<<"]
text = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.text(max_size=20),
    # long enough to reach column 1000 and fold at a space, with or without line breaks
    st.tuples(st.integers(900, 1100), st.sampled_from(["字", "ab", "a ", "字 ", "字\n字"])).map(lambda t: (t[1] * t[0])[: t[0]]),
)
scalar = st.one_of(text, st.integers(-10**6, 10**6), st.booleans(), st.none())
key = st.one_of(st.sampled_from(["id", "title", "before", "null", "yes", "on", "line", "a_b"]), st.text(max_size=4))
flat = st.dictionaries(key, scalar, max_size=5)
data = st.recursive(
    st.one_of(scalar, st.lists(scalar, max_size=4), flat),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(key, inner, max_size=5)),
    max_leaves=25,
)
document = st.dictionaries(key, data, min_size=1, max_size=6)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document)
def test_same_text_as_pyyaml_or_declined(doc: dict) -> None:
    out = yaml_writer.dump(doc)
    if out is not None:
        assert out == pyyaml(doc)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.fixed_dictionaries({"rule": st.sampled_from(["join_lines", "remove_stray_space"]), "line": st.integers(1, 500),
                                        "before": text, "after": text}), max_size=6),
       st.lists(text, max_size=3))
def test_page_record_shapes(fixes: list, notes: list) -> None:
    """The shape that carries most of the text: items with their fixes and notes."""
    record = {"key": "k", "date": None, "credits": [], "items": [{"file": "a01.md", "lines": [1, 9], "fixes": fixes, "notes": notes}]}
    out = yaml_writer.dump(record)
    if out is not None:
        assert out == pyyaml(record)


def test_declines_what_it_does_not_write() -> None:
    shared = ["x", "y"]
    for doc in ({"a": 1.5, "b": []}, {"a": shared, "b": shared}, {1: "x", "b": []}, {"a": "tab\there", "b": []},
                {"a": "𠀀", "b": []}, {"a": "line \nbreak", "b": []}, {"a": 1}, {"a": ("t",), "b": []}):
        assert yaml_writer.dump(doc) is None
        assert emit.dump_yaml(doc) == pyyaml(doc)  # emit falls back to PyYAML


def test_seed_page_records_are_written_by_the_fast_writer(seed_pages) -> None:
    """The real shapes are not declined: page records and front matter of the seeds."""
    from banmian.pipeline import process_page

    for page in seed_pages.values():
        result = process_page(page)
        docs = [emit.page_record(result)]
        for item in result.items:
            fm = emit.front_matter(item, result)
            fm["generated"] = emit.content_hash(fm, emit.body(item))
            docs.append(fm)
        for doc in docs:
            out = yaml_writer.dump(doc)
            assert out is not None and out == pyyaml(doc)
