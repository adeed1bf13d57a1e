"""Pages printed in traditional characters are read like simplified ones (``banmian.fold``).

Each seed page and each typeset other-paper page is converted to traditional script with OpenCC
(``s2t``, phrase-aware: 頭髮 and 發現 as a traditional paper prints them) and read again. The
reading must be the same — the same items over the same source lines, the same dates and places,
the same number of authors — and every text must come out in the page's own characters: it folds
back to what the simplified page gave, and nothing of it is invented (``test_nothing_invented``).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import opencc
import pytest

from banmian.fold import Restorer, page_fold
from banmian.model import Page, PageResult, Region
from banmian.pipeline import process_page
from banmian.search_index import fold as search_fold
from banmian.typeset import read_corpus, typeset
from conftest import run
from test_nothing_invented import invented, normal

ROOT = Path(__file__).resolve().parent.parent
OTHER = ROOT / "tests" / "fixtures" / "other_papers.jsonl"
S2T = opencc.OpenCC("s2t.json")


def folded(text: str | None) -> str | None:
    """The text's script-free form: the search index's fold, which also takes back what OpenCC
    writes otherwise only inside certain words (了解 → 瞭解, 反复 → 反覆)."""
    return None if text is None else search_fold(S2T.convert(text))


def traditional(page: Page) -> Page:
    return dataclasses.replace(page, lines=S2T.convert("\n".join(page.lines)).split("\n"))


def reading(result: PageResult) -> list[tuple]:
    """What was decided, in a form that does not depend on the script."""
    return [
        (i.type, i.first_line, i.last_line, folded(i.title), folded(i.kicker), folded(i.subtitle),
         [(folded(a.name), folded(a.role)) for a in i.authors], [folded(p) for p in i.paragraphs],
         i.date, i.date_source, _region(i.region), folded(i.publication), i.page_number,
         sorted(i.flags))
        for i in result.items
    ]  # fmt: skip


def _region(region: Region | None) -> dict[str, str] | None:
    if region is None:
        return None
    return {k: (folded(v) if k == "label" else v) for k, v in region.as_dict().items()}  # type: ignore[misc]


def pages() -> list[Page]:
    return [Page(key=name[:-4], path=name, lines=text.split("\n")) for name, text, _ in typeset(read_corpus(OTHER), seed=0)]


def test_traditional_seed_pages_read_as_the_simplified_ones(seed_pages) -> None:
    for page in seed_pages.values():
        simple, trad_page = process_page(page), traditional(page)
        assert trad_page.lines != page.lines, page.path
        trad = process_page(trad_page)
        assert reading(trad) == reading(simple), page.path
        assert invented(trad) == [], page.path
        assert trad.page is trad_page  # the result holds the page as printed, not its folded copy


def test_traditional_pages_of_other_papers_read_as_the_simplified_ones() -> None:
    for page in pages():
        simple, trad = process_page(page), process_page(traditional(page))
        assert reading(trad) == reading(simple), page.path
        assert invented(trad) == [], page.path
        printed = normal("".join(trad.page.lines))
        for item in trad.items:  # in the page's own characters (invented() checks every 10-character run)
            for text in (item.title, *(a.name for a in item.authors)):
                assert normal(text) in printed, (page.path, text)

def test_a_simplified_page_is_not_touched(seed_pages) -> None:
    for page in seed_pages.values():
        assert page_fold(page.lines) == (page.lines, False)


def test_two_printed_forms_of_one_folded_character_are_told_apart_by_context() -> None:
    r = Restorer(["他發現了頭髮", "乾隆年間的干部"])
    assert r.text("他发现了头发") == "他發現了頭髮"
    assert r.text("头发") == "頭髮" and r.text("发现") == "發現"
    assert r.text("乾隆") == "乾隆" and r.text("干部") == "干部"  # a simplified page quoting 乾隆
    assert r.text("北京") == "北京"  # nothing to give back


def test_eval_scores_the_traditional_printing_as_the_simplified_one() -> None:
    """``banmian eval --traditional``: the same corpus printed in traditional script scores the same."""
    from banmian.evaluate import evaluate
    from banmian.typeset import reprinted

    rows = read_corpus(OTHER)
    simple, trad = evaluate(rows), evaluate(reprinted(rows, traditional=True))
    assert trad.right == simple.right and trad.total == simple.total


def test_full_width_digits_are_read_and_kept_as_printed() -> None:
    """``banmian eval --full-width``: folio dates, datelines and numbers printed ２０２６年５月３日."""
    from banmian.evaluate import evaluate
    from banmian.typeset import reprinted

    rows = reprinted(read_corpus(OTHER), traditional=True, full_width=True)
    score = evaluate(rows)
    for metric in ("boundaries", "titles", "authors", "year", "page"):
        assert score.right[metric] >= 0.9 * score.total[metric], (metric, score.cell(metric))
    for name, text, _ in typeset(rows, seed=0):
        result = process_page(Page(key=name[:-4], path=name, lines=text.split("\n")))
        assert invented(result) == [], name
        for item in result.items:
            assert not any("0" <= c <= "9" for p in item.paragraphs for c in p), (name, item.title)  # printed ５, not 5
            assert item.date is None or item.date.isascii()  # the normalised date stays ISO


@pytest.mark.slow
def test_a_traditional_edition_reads_in_simplified_on_the_simplified_site(tmp_path: Path) -> None:
    """A page printed in traditional script: the simplified site shows its text in simplified
    characters (OpenCC t2s, script only) with the citation as printed and a simplified reading aid;
    the traditional site shows it as printed; the raw text stays as printed on both."""
    (tmp_path / "source_texts").mkdir()
    seed = (ROOT / "source_texts" / "002_3f89323adee11a79.txt").read_text(encoding="utf-8")
    (tmp_path / "source_texts" / "p1.txt").write_text(S2T.convert(seed), encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for args in (("ingest",), ("site",)):
        r = run(*args, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    (doc,) = [p for p in (tmp_path / "docs" / "p1").glob("a-*.md") if "睢陽區" in p.read_text(encoding="utf-8")]
    simple = (tmp_path / "site" / "p1" / f"{doc.stem}.html").read_text(encoding="utf-8")
    trad = (tmp_path / "site" / "zh-Hant" / "p1" / f"{doc.stem}.html").read_text(encoding="utf-8")
    assert "商丘市睢阳区为群众拉起" in simple and "商丘市睢陽區" not in re.sub(r"<pre>.*?</pre>|<meta[^>]*>", "", simple, flags=re.S)
    assert "简体字形（仅供阅读）" in simple and "侯書華" in simple  # the citation as printed, and the aid
    assert "睢陽區" in trad and "仅供阅读" not in trad and "僅供閱讀" not in trad


def test_a_page_mixing_both_scripts_gets_each_text_as_printed_where_it_stands(seed_pages) -> None:
    """Every second (third, …) line of a seed page in traditional script: a phrase printed in both
    scripts on one page (本报讯 / 本報訊) is given the printing of the place it was read from, so no
    text comes out in a mix that the page never printed."""
    for step in (2, 3, 5):
        for page in seed_pages.values():
            for off in (0, 1):
                lines = [S2T.convert(line) if i % step == off else line for i, line in enumerate(page.lines)]
                assert invented(process_page(dataclasses.replace(page, lines=lines))) == [], (page.path, step, off)
