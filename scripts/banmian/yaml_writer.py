"""A fast writer for the YAML that ``emit`` writes: the text PyYAML with libyaml writes, or None.

Why: ``yaml.dump`` with libyaml's C emitter still builds and resolves a node for every value in
Python (the representer and the implicit-type resolver); page records carry every fix, and that
was six seconds in seven of ``emit``. This module walks the same plain data (dicts with string
keys, lists, strings, ints, bools, None) and writes what libyaml 0.2 writes for the options of
``emit.dump_yaml`` (``allow_unicode``, ``sort_keys=False``, ``width=1000``,
``default_flow_style=None``): PyYAML's choice of block or flow style (flow when every value is
a scalar), libyaml's choice between plain and single-quoted scalars, its line folding past the
width and its indentation of multi-line scalars. It follows libyaml's emitter
(``yaml_emitter_analyze_scalar``, ``select_scalar_style``, the plain and single-quoted writers,
``write_indent``, the flow and block collection states) rather than examples of its output.

Whatever it does not reproduce on purpose makes ``dump`` return None, and the caller uses PyYAML:
floats and other types, a list or dict that appears twice (PyYAML would write an anchor), keys
that are not short words, and every string PyYAML would double-quote (control and tab
characters, characters beyond U+FFFF, U+FEFF, line and paragraph separators, a space next to a
line break). ``tests/test_yaml_writer.py`` compares it with ``yaml.dump`` on generated data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml

WIDTH = 1000  # emit.dump_yaml's width: libyaml folds plain and quoted scalars at spaces past it
INDENT = 2

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
#: The implicit-type patterns by first character: a string one of them matches (``2013``,
#: ``null``, ``yes``, ``2013-09-21``) is quoted, or it would read back as another type.
_RESOLVERS: dict[str | None, list[re.Pattern[str]]] = {
    first: [regexp for _, regexp in pairs] for first, pairs in _DUMPER.yaml_implicit_resolvers.items()
}

# Characters libyaml writes as they are (its IS_PRINTABLE), less the line and paragraph separators
# (line breaks to it): anything else is written double-quoted, which is left to PyYAML.
_UNPRINTABLE = "\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff"
_NOT_SIMPLE = re.compile(f"[{_UNPRINTABLE}]")
#: Strings that are plain in any context at a glance: the first character is no indicator, no
#: space and starts no implicit type; no ``:``, ``#``, flow indicator or line break follows; the
#: last character is no space. (Most titles, notes and snippets.)
_FIRST_EXCLUDED = re.escape("".join(sorted(k for k in _RESOLVERS if k)) + "#,[]{}&*!|>'\"%@`?:-")
_REST_EXCLUDED = _UNPRINTABLE + r"\n:#,\[\]{}?"
_PLAIN_AT_A_GLANCE = (
    re.compile(f"[^ {_FIRST_EXCLUDED}{_UNPRINTABLE}\n](?:[^{_REST_EXCLUDED}]*[^ {_REST_EXCLUDED}])?")
    if None not in _RESOLVERS  # (a resolver for every first character would make the glance wrong)
    else re.compile(r"(?!)")
)
_GLANCE = _PLAIN_AT_A_GLANCE.fullmatch
#: Indicators that stop a plain scalar when they come first (``yaml_emitter_analyze_scalar``).
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")
#: In flow context (inside ``[…]`` or ``{…}``) any of ``,?[]{}:`` does.
_NOT_FLOW_PLAIN = re.compile(r"[,?\[\]{}:]")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_SCALARS = frozenset({str, int, bool, type(None)})


class Unsupported(Exception):
    """The data has something this writer leaves to PyYAML."""


def _plain_implicit(value: str) -> bool:
    """Would the string read back as a string if written plain? (``Resolver.resolve``)"""
    patterns = [*_RESOLVERS.get(value[0] if value else "", ()), *_RESOLVERS.get(None, ())]
    return not any(p.match(value) for p in patterns)


def _plain(text: str, flow: bool) -> bool:
    """libyaml's choice for a string value: plain (True) or single-quoted (False); raises for
    what it would double-quote. (The caller has tried ``_GLANCE`` first.)"""
    if not text:
        return False  # the empty string reads back as null: ''
    if _NOT_SIMPLE.search(text) or " \n" in text or "\n " in text:
        raise Unsupported("double-quoted")
    if (
        "\n" in text  # a line break
        or text[0] in _FIRST_INDICATORS
        or text.startswith(("---", "...", " ", "- ", "? ", ": "))  # a document marker, "- " and the like
        or text in ("-", "?", ":")
        or text.endswith((" ", ":"))
        or ": " in text
        or " #" in text
        or (flow and _NOT_FLOW_PLAIN.search(text))
    ):
        return False
    return _plain_implicit(text)


_KEYS: dict[str, str] = {}


def _key_text(key: object) -> str:
    """A mapping key as written: a short word, plain unless it reads as another type (``null``)."""
    text = _KEYS.get(key) if type(key) is str else None
    if text is None:
        if type(key) is not str or not _KEY.fullmatch(key):
            raise Unsupported("key")
        text = _KEYS[key] = key if _plain_implicit(key) else f"'{key}'"
    return text


class _Writer:
    """libyaml's emitter state (column, whether the last thing written was white space or
    indentation, the indent stack) for the events PyYAML's serializer sends for plain data."""

    __slots__ = ("column", "flow_level", "indent", "indention", "indents", "out", "seen", "whitespace")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.indent = -1
        self.indents: list[int] = []
        self.flow_level = 0
        self.seen: set[int] = set()

    def write_indent(self) -> None:
        indent = self.indent if self.indent >= 0 else 0
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.out.append("\n")
            self.column = 0
        if self.column < indent:
            self.out.append(" " * (indent - self.column))
            self.column = indent
        self.whitespace = self.indention = True

    def indicator(self, text: str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) -> None:
        if need_whitespace and not self.whitespace:
            self.out.append(" ")
            self.column += 1
        self.out.append(text)
        self.column += len(text)
        self.whitespace = is_whitespace
        self.indention = self.indention and is_indention

    def push_indent(self, flow: bool, indentless: bool = False) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = INDENT if flow else 0
        elif not indentless:
            self.indent += INDENT

    # -- collections ------------------------------------------------------------------------

    def node(self, value: object, mapping: bool = False) -> None:
        kind = type(value)
        if kind in _SCALARS:
            self.scalar(value)
            return
        if kind is not list and kind is not dict:
            raise Unsupported(kind.__name__)
        if id(value) in self.seen:  # the same object twice: PyYAML writes an anchor and an alias
            raise Unsupported("shared object")
        self.seen.add(id(value))
        if kind is list:
            assert isinstance(value, list)
            if all(type(v) in _SCALARS for v in value):  # PyYAML's best style: flow when all scalars
                self.flow(value, None)
            else:
                self.block_sequence(value, mapping)
        else:
            assert isinstance(value, dict)
            if all(type(v) in _SCALARS for v in value.values()):
                self.flow(value.values(), list(value))
            else:
                self.block_mapping(value)

    def flow(self, values: Iterable[object], keys: list[object] | None) -> None:
        """``[a, b]`` or, with keys, ``{k: a, l: b}``; a new line (at the indent) before an entry
        that would start past the width."""
        out = self.out
        self.indicator("[" if keys is None else "{", True, True, False)
        self.push_indent(True)
        self.flow_level += 1
        for n, value in enumerate(values):
            if n:
                out.append(",")  # (``indicator``, inlined: this loop writes most of a page record)
                self.column += 1
                self.whitespace = False
            if self.column > WIDTH:
                self.write_indent()
            if keys is not None:
                text = _key_text(keys[n])
                if not self.whitespace:
                    text = " " + text
                out.append(text + ":")
                self.column += len(text) + 1
                self.whitespace = False
            self.scalar(value)
        self.flow_level -= 1
        self.indent = self.indents.pop()
        self.indicator("]" if keys is None else "}", False, False, False)

    def block_sequence(self, items: list[object], mapping: bool) -> None:
        self.push_indent(False, mapping and not self.indention)  # under a key: "- " at the key's indent
        for item in items:
            self.write_indent()
            self.indicator("-", True, False, True)
            if type(item) is list:
                raise Unsupported("list in a block list")
            self.node(item)
        self.indent = self.indents.pop()

    def block_mapping(self, data: dict[object, object]) -> None:
        self.push_indent(False)
        for key, value in data.items():
            self.write_indent()
            text = _key_text(key)
            self.out.append(text + ":")
            self.column += len(text) + 1
            self.whitespace = self.indention = False
            self.node(value, mapping=True)
        self.indent = self.indents.pop()

    # -- scalars ----------------------------------------------------------------------------

    def scalar(self, value: object) -> None:
        """A value (never a key: keys are written by ``_key_text``), plain or single-quoted.
        Written whole when no space can fall past the width, else by ``folded``."""
        kind = type(value)
        if kind is str:
            text: str = value  # type: ignore[assignment]
            plain = _GLANCE(text) is not None or _plain(text, self.flow_level > 0)
        elif kind is int:
            text, plain = str(value), True
        else:
            text, plain = ("null" if value is None else "true" if value else "false"), True
        lead = "" if self.whitespace else " "
        if plain:
            if " " not in text or self.column + len(lead) + len(text) <= WIDTH + 1:
                self.out.append(lead + text)
                self.column += len(lead) + len(text)
            else:
                self.out.append(lead)
                self.column += len(lead)
                self.folded(text, quoted=False)
        else:
            quoted = text.replace("'", "''") if "'" in text else text
            start = self.column + len(lead) + 1
            if "\n" not in text and (" " not in text or start + len(quoted) <= WIDTH + 1):
                self.out.append(f"{lead}'{quoted}'")
                self.column = start + len(quoted) + 1
            elif "\n" in text and self.quoted_lines(lead, quoted, start):
                pass
            else:
                self.indicator("'", True, False, False)
                self.folded(text, quoted=True)
                self.indicator("'", False, False, False)
        self.whitespace = self.indention = False

    def quoted_lines(self, lead: str, quoted: str, start: int) -> bool:
        """A single-quoted scalar with line breaks, line by line, when no line is long enough
        to fold (else False, nothing written): libyaml writes the first break of a run twice
        and goes on at the scalar's indent (``folded`` does the same character by character)."""
        indent = self.indent + INDENT if self.indent >= 0 else INDENT
        lines = quoted.split("\n")
        parts = [lead, "'", lines[0]]
        column = start + len(lines[0])
        if " " in lines[0] and column > WIDTH + 1:
            return False
        breaks = False
        pad = " " * indent
        for line in lines[1:]:
            parts.append("\n" if breaks else "\n\n")
            breaks = not line
            if line:
                if " " in line and indent + len(line) > WIDTH + 1:
                    return False
                parts += (pad, line)
                column = indent + len(line)
        if breaks:  # the text ends with a line break: the closing quote stands at the indent
            parts.append(pad)
            column = indent
        parts.append("'")
        self.out.append("".join(parts))
        self.column = column + 1
        return True

    def folded(self, text: str, quoted: bool) -> None:
        """libyaml's plain or single-quoted writer character by character: a space past the width
        becomes a line break, a line break is written twice, and the text goes on at the indent."""
        self.push_indent(True)  # continuation lines: the scalar's own indent
        spaces = breaks = False
        last = len(text) - 1
        for i, ch in enumerate(text):
            if ch == " ":
                nxt = text[i + 1] if i < last else ""
                if not spaces and self.column > WIDTH and nxt != " " and (not quoted or 0 < i < last):
                    self.write_indent()
                else:
                    self.out.append(ch)
                    self.column += 1
                spaces = True
            elif ch == "\n":  # (only quoted text has line breaks)
                if not breaks:
                    self.out.append("\n")
                self.out.append("\n")
                self.column = 0
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                if ch == "'" and quoted:
                    self.out.append("'")
                    self.column += 1
                self.out.append(ch)
                self.column += 1
                self.indention = False
                spaces = breaks = False
        if breaks:
            self.write_indent()
        self.indent = self.indents.pop()


def dump(data: object) -> str | None:
    """``data`` as ``emit.dump_yaml`` writes it with libyaml, or None when it holds anything this
    writer leaves to PyYAML (which then writes the same text, only slower)."""
    if type(data) is not dict or not data or all(type(v) in _SCALARS for v in data.values()):
        return None  # a top-level flow mapping or a scalar is no page record or front matter
    writer = _Writer()
    try:
        writer.node(data)
    except Unsupported:
        return None
    writer.write_indent()  # document end
    return "".join(writer.out)
