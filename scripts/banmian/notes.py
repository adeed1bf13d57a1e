"""Notes: the tool's explanations of its decisions, kept as a code and parameters.

A stage appends ``note("orphan_headline", line=12)`` to an article; ``page.yml`` stores it as
``{note: orphan_headline, line: 12}``; ``banmian explain`` prints it in Chinese and English and
the site in Chinese, from the templates in ``data/notes.yml``. Keeping the code rather than a
sentence means the wording can be improved without touching the records, each language is
written by a person rather than mixed into one string, and the traditional site converts a
sentence that is Chinese only (OpenCC was given "中文 / English" before, and the English half
is not its to convert).

Records are hand-editable, so reading is forgiving: a plain string is free text and shown as it
is; an unknown code or a missing parameter is shown as the code (``render``), never an error.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal

import yaml

#: A parameter's value: a line number, a count, or a piece of the page's text.
Param = str | int
Lang = Literal["zh", "en"]
#: Every code a stage may use; the type checker holds the stages to it and the tests hold it to
#: ``data/notes.yml`` (same codes), so a note the catalogue cannot render is not written.
NoteCode = Literal[
    "label_before_headline",
    "label_before_body",
    "label_after_headline",
    "label_after_end",
    "label_page_end",
    "label_follows",
    "label_series",
    "headline_without_text",
    "dateline_opens_body",
    "subhead_split",
    "credit_without_text",
    "headline_moved",
    "orphan_headline",
    "untitled",
    "truncated",
    "authors_from_page_credit",
    "gutter_split",
    "same_text_file",
    "flag_untitled",
    "flag_truncated",
    "flag_orphan_headline",
    "flag_continued",
    "flag_duplicate_removed",
    "flag_no_region_decided",
    "flag_review",
    "region_historical",
    "region_office_renamed",
    "region_renamed",
    "region_zone",
    "region_same_name",
    "region_unlisted_town",
    "region_undecided",
]
#: The key that holds the code in a record; no template may name a parameter so.
CODE_KEY = "note"


@dataclass(frozen=True)
class Note:
    """One explanation: a catalogue code and the values its templates name."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict)


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """``data/notes.yml``: code -> {"zh": template, "en": template}."""
    text = resources.files("banmian.data").joinpath("notes.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {str(code): {str(k): str(v) for k, v in entry.items()} for code, entry in data.items()}


def fields(template: str) -> set[str]:
    """The parameter names a template uses (``{line}`` -> ``line``)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def note(code: NoteCode, **params: Param) -> Note:
    """A note for the catalogue's ``code``; its parameters must be the ones the templates name
    (a mismatch is a programming error, raised where it is made, not a sentence with a gap)."""
    entry = catalogue()[code]
    if set(params) != fields(entry["zh"]):
        raise ValueError(f"note {code!r}: parameters {sorted(params)} != {sorted(fields(entry['zh']))}")
    return Note(code, params)


class _Keep(dict[str, object]):
    """A missing parameter (a hand-edited record) is shown as its ``{name}``."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(n: Note | str, lang: Lang = "zh") -> str:
    """The sentence in ``lang``. Free text is shown as it is; an unknown code (a hand edit, or a
    record newer than this tool) as the code with its parameters."""
    if isinstance(n, str):
        return n
    entry = catalogue().get(n.code)
    if entry is None or lang not in entry:
        shown = ", ".join(f"{k}={v}" for k, v in n.params.items())
        return f"{n.code}({shown})" if shown else n.code
    try:
        return entry[lang].format_map(_Keep(n.params))
    except (ValueError, IndexError, AttributeError, KeyError):  # a format spec the value cannot take
        return n.code


def as_record(n: Note | str) -> dict[str, Param] | str:
    """How page.yml keeps a note: ``{note: code, name: value, …}``; free text as itself."""
    return n if isinstance(n, str) else {CODE_KEY: n.code, **n.params}


def from_record(value: object) -> Note | str:
    """A note as page.yml or front matter holds it; anything else as its text."""
    if isinstance(value, dict) and isinstance(value.get(CODE_KEY), str):
        params = {str(k): v if isinstance(v, int | str) and not isinstance(v, bool) else str(v) for k, v in value.items() if k != CODE_KEY}
        return Note(value[CODE_KEY], params)
    return value if isinstance(value, str) else str(value)


def flag_note(flag: str, lang: Lang = "zh") -> str:
    """A flag (``untitled``, ``truncated``…) as a sentence for readers; an unknown flag as itself."""
    code = "flag_" + flag
    return render(Note(code), lang) if code in catalogue() else flag
