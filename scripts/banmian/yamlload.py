"""Safe YAML for the files a person or a pull request can edit: front matter, page.yml, manifests.

PyYAML's safe loader still expands aliases (a 1 KB "billion laughs" in one article took ingest
108 s and ``banmian site`` 24 GB), turns ``date: 2013-02-30`` into a ``ValueError`` from the
date constructor instead of a YAML error, keeps the last of two equal keys without a word, and
its pure-Python composer recurses once per nesting level. Nothing banmian writes or reads needs
aliases, anchors, timestamps or deep nesting, so this loader:

- refuses aliases (``*name``), with the line;
- refuses nesting deeper than ``yaml_max_depth`` (``data/limits.yml``);
- with ``duplicates=True`` (``banmian check``, manifests) refuses a key given twice in a mapping;
- keeps timestamps as the strings they are written as (``date: 2013-09-20`` reads as the text
  ``2013-09-20``; whether it is a real date is checked where dates are checked).

Every refusal is a ``yaml.MarkedYAMLError``, so callers that report YAML errors with their line
report these too. The full scan (one more parse, in C) runs only when the text could hold an
alias or deep nesting, or when duplicates are checked: loading 10,000 generated front matters for
a site build costs what it did.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .limits import limit

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_Base):
    """The safe loader (libyaml's when present) with timestamps read as strings."""


Loader.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


class Refused(yaml.MarkedYAMLError):
    """YAML that parses but that banmian will not load (alias, too deep, duplicate key)."""


def _refuse(problem: str, mark: Any) -> Refused:
    return Refused(None, None, problem, mark)


def scan(text: str, duplicates: bool = False) -> None:
    """Raise ``Refused`` for an alias, nesting deeper than the limit, or (``duplicates``) a
    mapping key given twice; YAML syntax errors are raised as the parser raises them."""
    max_depth = limit("yaml_max_depth")
    # one frame per open collection: [is_mapping, keys seen, next node is a key]
    stack: list[list[Any]] = []

    def node_done() -> None:
        if stack and stack[-1][0]:
            stack[-1][2] = not stack[-1][2]

    for event in _events(text, max_depth):
        if isinstance(event, yaml.AliasEvent):
            raise _refuse(f"不允许 YAML 别名 / YAML aliases (*{event.anchor}) are not allowed here: write the value out", event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            if duplicates and stack and stack[-1][0] and stack[-1][2]:
                if event.value in stack[-1][1]:
                    raise _refuse(f"键重复 / duplicate key {event.value!r}: keep one of them", event.start_mark)
                stack[-1][1].add(event.value)
            node_done()
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if len(stack) >= max_depth:
                raise _refuse(f"嵌套过深 / nested deeper than {max_depth} levels", event.start_mark)
            stack.append([isinstance(event, yaml.MappingStartEvent), set(), True])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
            node_done()


def _events(text: str, max_depth: int) -> Iterator[Any]:
    """The parser's events. Some libyaml builds cap nesting themselves (seen in CI: "exceeded
    maximum nesting depth", raised by the scanner before the events reach ``scan``'s count):
    that is the same refusal, given in the same words."""
    try:
        yield from yaml.parse(text, Loader=_Base)
    except yaml.MarkedYAMLError as error:
        if "nesting" not in str(error.problem):
            raise
        raise _refuse(f"嵌套过深 / nested deeper than {max_depth} levels", error.problem_mark) from None


def _suspect(text: str) -> bool:
    """Could the text hold an alias or deep nesting? (``*`` and ``&`` also occur in plain text.)"""
    return "*" in text or "&" in text or text.count("[") + text.count("{") + text.count("- ") > limit("yaml_max_depth")


def load(text: str, duplicates: bool = False) -> Any:
    """``yaml.safe_load`` without aliases, deep nesting or (``duplicates``) repeated keys, and
    with timestamps as strings."""
    if duplicates or _suspect(text):
        scan(text, duplicates)
    try:
        return yaml.load(text, Loader=Loader)
    except RecursionError:  # deep nesting in a shape the scan let through: still a YAML error
        raise _refuse("嵌套过深 / nested too deeply", None) from None
