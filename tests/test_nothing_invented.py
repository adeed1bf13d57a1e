"""Nothing invented: every 10-character run of an article's text (title, kicker, subtitle, each
paragraph, subhead, end note) is in its source page, after the named normalisations only:
whitespace removed (line joins, justification spaces, column breaks), half-width punctuation read
as full-width, look-alike characters mapped (NFKC), Markdown marks and doubled full stops dropped,
and a dateline's bracketed credit taken out of the first paragraph (it becomes the authors).

Checked on the seeds, on pages typeset from the project's own other-paper articles and, when it is
there, on the shared development corpus."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from banmian.model import Page, PageResult
from banmian.pipeline import process_page
from banmian.typeset import read_corpus, typeset

ROOT = Path(__file__).resolve().parent.parent
OTHER = ROOT / "tests" / "fixtures" / "other_papers.jsonl"
CORPUS = next((p for p in (ROOT.parent.parent / "shared" / "corpus" / "rmrb-2026-dev.jsonl",
                           ROOT.parent / "shared" / "corpus" / "rmrb-2026-dev.jsonl") if p.is_file()), None)
RUN = 10
_HALF = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})


def normal(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).translate(_HALF)
    t = re.sub(r"[\s#*]", "", t)
    return re.sub("。{2,}", "。", t)


def pieces(result: PageResult) -> list[str]:
    out: list[str] = []
    for item in result.items:
        # a provisional or caption title cut short ends with "…", which is not printed
        out += [x.removesuffix("…") for x in (item.title, item.kicker, item.subtitle) if x]
        for n, para in enumerate(item.paragraphs):
            if n == 0 and item.dateline is not None and para.startswith(item.dateline.text):
                out += [item.dateline.text, para[len(item.dateline.text) :]]  # the credit between them left
            else:
                out.append(para)
        out += list(item.subheads.values()) + list(item.end_notes)
    return out


def invented(result: PageResult) -> list[str]:
    source = normal("\n".join(result.page.lines))
    bad = []
    for text in pieces(result):
        t = normal(text)
        for i in range(max(1, len(t) - RUN + 1)):
            run = t[i : i + RUN]
            if run not in source:
                bad.append(run)
                break
    return bad


def test_seeds_invent_nothing(seed_pages) -> None:
    for page in seed_pages.values():
        assert invented(process_page(page)) == [], page.path


def _typeset_results(path: Path) -> list[PageResult]:
    pages = typeset(read_corpus(path), seed=0)
    return [process_page(Page(key=name[:-4], path=name, lines=text.split("\n"))) for name, text, _ in pages]


def test_other_papers_invent_nothing() -> None:
    for result in _typeset_results(OTHER):
        assert invented(result) == [], result.page.path


@pytest.mark.slow
@pytest.mark.skipif(CORPUS is None, reason="the shared development corpus is not here")
def test_corpus_pages_invent_nothing() -> None:
    assert CORPUS is not None
    for result in _typeset_results(CORPUS):
        assert invented(result) == [], result.page.path
