"""The measuring stick: typeset pages keep every printed word, are deterministic, and the answer
key says what is printed. Reads the shared corpus when it is there (skips otherwise) and the
project's own articles of other papers (tests/fixtures/other_papers.jsonl, written for the project)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from banmian.evaluate import Score, columns_for, evaluate, score_joins, table
from banmian.model import Article, Page
from banmian.typeset import CorpusError, KeyArticle, folio_date_text, key_authors, norm, read_corpus, split_halves, typeset

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent.parent / "shared" / "corpus" / "rmrb-2026-dev.jsonl"
if not CORPUS.is_file():
    CORPUS = ROOT.parent / "shared" / "corpus" / "rmrb-2026-dev.jsonl"
OTHER = ROOT / "tests" / "fixtures" / "other_papers.jsonl"


@pytest.fixture(scope="module")
def other_rows() -> list[dict]:
    return read_corpus(OTHER)


def test_same_seed_same_pages(other_rows) -> None:
    a = typeset(other_rows, seed=3)
    b = typeset(other_rows, seed=3)
    assert [(n, t) for n, t, _ in a] == [(n, t) for n, t, _ in b]
    assert [t for _, t, _ in typeset(other_rows, seed=4)] != [t for _, t, _ in a]


def test_every_article_in_every_layout(other_rows) -> None:
    pages = typeset(other_rows, seed=0)
    for layout in ("narrow", "medium", "wide"):
        ids = [k.id for name, _, key in pages if name.startswith(layout) for k in key.articles]
        assert sorted(ids) == sorted(r["id"] for r in other_rows)


def test_pages_print_every_key_paragraph_and_title(other_rows) -> None:
    """Nothing the key expects is missing from the printed page (spaces and punctuation width aside)."""
    for _, text, key in typeset(other_rows, seed=1):
        flat = norm(text)
        for art in key.articles:
            assert norm(art.title) in flat or all(norm(p) in flat for p in art.title.split())
            for para in art.paragraphs:
                assert norm(para) in flat, (key.name, para[:20])
            assert art.anchors[0] in flat and art.anchors[1] in flat


def test_layout_widths(other_rows) -> None:
    """Body lines fill the column (titles, bylines and the folio are wider; digits are half an em)."""
    for _, text, key in typeset(other_rows, seed=2, layouts=["narrow"]):
        widths = sorted(len(re.sub(r"[\s0-9A-Za-z%.]", "", ln)) for ln in text.splitlines() if ln.strip())
        assert key.traits.width in range(10, 14)
        assert widths[len(widths) * 3 // 4] <= key.traits.width + 1


def test_folio_dates() -> None:
    assert folio_date_text("1946-05-14", "minguo") == "中华民国三十五年五月十四日"
    assert folio_date_text("2026-05-03", "numerals") == "二〇二六年五月三日"
    assert folio_date_text("2026-05-03", "gregorian") == "2026年5月3日"


def test_key_authors_made_consistent() -> None:
    row = {"authors": [{"name": None, "role": "本报评论员"}, {"name": "北京日报", "role": None}, {"name": "任珊", "role": "记者"},
                       {"name": "座谈会发言摘编见第八版", "role": None}]}
    assert key_authors(row) == [{"name": "任珊", "role": "北京日报记者"}]


def test_halves_are_deterministic_and_disjoint(other_rows) -> None:
    dev, held = split_halves(other_rows)
    assert (dev, held) == split_halves(list(reversed(other_rows)))
    assert not {r["id"] for r in dev} & {r["id"] for r in held}
    assert abs(len(dev) - len(held)) <= 1


def test_bad_corpus_names_file_and_line(tmp_path) -> None:
    bad = tmp_path / "c.jsonl"
    bad.write_text('{"id": "a", "title": "t", "paragraphs": ["x"]}\n{oops\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.jsonl:2"):
        read_corpus(bad)


def test_eval_table_on_other_papers() -> None:
    columns = [(name, evaluate(rows, seed=0)) for name, rows in columns_for(OTHER, split=False)]
    out = table(columns)
    assert "boundaries" in out and "other_papers" in out


@pytest.mark.skipif(not CORPUS.is_file(), reason="the shared development corpus is not here")
def test_corpus_typesets() -> None:
    rows = read_corpus(CORPUS)
    dev, held = split_halves(rows)
    assert len(dev) == len(held) == len(rows) // 2
    pages = typeset(held, seed=0, layouts=["wide"])
    assert sum(len(k.articles) for _, _, k in pages) == len(held)


def test_joins_count_paragraphs_whole_in_any_piece_of_a_split_article() -> None:
    """Joins measure lines made into paragraphs, not boundaries: an article split into two items
    scores its paragraphs whole in the second item as joins (the split is a boundary miss), while a
    paragraph cut in two or glued to the next is a join miss wherever it stands."""
    paras = ["第一段的文字写在这里。", "第二段的文字写在这里。", "第三段的文字写在这里。", "第四段的文字写在这里。", "第五段的文字。"]
    key = KeyArticle(id="k", title="标题", kicker=None, subtitle=None, authors=[], dateline=None, paragraphs=paras,
                     end_notes=[], anchors=(norm(paras[0])[:6], norm(paras[-1])[-6:]))  # fmt: skip
    page = Page(key="p", path="eval/p.txt", lines=[])
    first = Article(page=page, seq=1, title="标题", paragraphs=[paras[0], "第二段的文字", "写在这里。"])  # ¶2 cut
    second = Article(page=page, seq=2, title="第三段", paragraphs=[paras[2], paras[3] + paras[4]])  # ¶4 and ¶5 glued
    score = Score()
    score_joins(key, [first, second], first, score, "p.txt")
    assert (score.right["joins"], score.total["joins"]) == (2, 5)  # ¶1 in the first item, ¶3 in the second
    assert {m.split("¶")[1][0] for m in score.misses if m.startswith("joins:")} == {"2", "4", "5"}
    assert any(m.startswith("joins elsewhere (not a miss)") and "1/5" in m for m in score.misses)
