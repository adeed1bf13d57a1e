"""Clean: remove OCR noise from a paragraph's text, never rewrite its wording.

Built like ftfy: each fix is a small named rule ``text -> text``; ``clean_and_explain`` applies
them in ``RULES`` order and returns what each one changed, so an editor can see why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from .model import Fix

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"，。、；：？！（）《》〈〉“”‘’「」『』【】…—·"
_HAN_OR_PUNCT = f"[{HAN}{CJK_PUNCT}]"

_SPACE_BETWEEN = re.compile(f"(?<={_HAN_OR_PUNCT})[ \u3000\u00a0]+(?={_HAN_OR_PUNCT})")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def normalize_unicode(text: str) -> str:
    """NFC, and look-alikes (Kangxi radicals, compatibility ideographs, full-width ASCII) to standard forms."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        cp = ord(ch)
        if 0x2F00 <= cp <= 0x2FDF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F:
            ch = unicodedata.normalize("NFKC", ch)
        elif 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
            ch = chr(cp - 0xFEE0)
        out.append(ch)
    return "".join(out)


def remove_han_spaces(text: str) -> str:
    """Justified narrow columns leave spaces between Han characters: ``计 生 协 会`` → ``计生协会``."""
    return _SPACE_BETWEEN.sub("", text)


def fullwidth_punctuation(text: str) -> str:
    """Half-width ``,;:?!`` next to Han become full-width, unless between two digits (``1,200``, ``8:30``)."""

    def swap(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before.isdigit() and after.isdigit():
            return m.group()
        if re.match(f"[{HAN}“”‘’（）《》]", before) or re.match(f"[{HAN}“”‘’（）《》]", after):
            return _HALF_TO_FULL[m.group()]
        return m.group()

    text = re.sub(r"[,;:?!]", swap, text)
    # ( ) only when the content has Han: keep (1) and (A) as printed
    return re.sub(rf"\(([^()]*[{HAN}][^()]*)\)", r"（\1）", text)


def collapse_double_period(text: str) -> str:
    """OCR doubles the full stop: ``。。`` → ``。``."""
    return re.sub("。{2,}", "。", text)


_SENTENCE = re.compile(r"[^。！？]*[。！？]+[”’」』）]*")


def collapse_repeated_sentences(text: str) -> str:
    """A sentence OCR'd two or more times back to back is kept once."""
    sentences = _SENTENCE.findall(text)
    tail = text[sum(len(s) for s in sentences):]
    kept: list[str] = []
    for s in sentences:
        if kept and s.strip() == kept[-1].strip() and len(s.strip()) >= 6:
            continue
        kept.append(s)
    return "".join(kept) + tail


Rule = Callable[[str], str]
RULES: list[tuple[str, Rule]] = [
    ("normalize_unicode", normalize_unicode),
    ("remove_han_spaces", remove_han_spaces),
    ("fullwidth_punctuation", fullwidth_punctuation),
    ("collapse_double_period", collapse_double_period),
    ("collapse_repeated_sentences", collapse_repeated_sentences),
]


def clean_and_explain(text: str, line: int = 0) -> tuple[str, list[Fix]]:
    """Apply every rule in order; return the cleaned text and one Fix per rule that changed it."""
    fixes: list[Fix] = []
    for name, rule in RULES:
        new = rule(text)
        if new != text:
            fixes.append(Fix(rule=name, line=line, before=text, after=new))
            text = new
    return text, fixes


def clean(text: str) -> str:
    return clean_and_explain(text)[0]
