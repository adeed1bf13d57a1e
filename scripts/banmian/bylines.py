"""Bylines: who wrote or photographed an item, with their role; roles are data (byline_roles.yml).

Parse bylines from the RAW text: spaces there separate names (``通讯员 自发 修智 王雷``) or pad a
two-character name to the width of a three-character one (``李 岚``); the clean-up removes spaces
between Han characters, which would glue such names together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from .model import Author

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002a6df"
_NAME = re.compile(rf"^(?:[{_HAN}]{{2,4}}|[{_HAN}]{{1,6}}[·•][{_HAN}]{{1,10}})$")
_LOOSE_NAME = re.compile(rf"^[{_HAN}·•]{{2,6}}$")
_SINGLE = re.compile(rf"^[{_HAN}]$")
_SEPARATORS = re.compile(r"[:：,，、;；]")
_SPACES = re.compile(r"[\s\u3000]+")
_PAREN = re.compile(r"^[(（]([^()（）]*)[)）]$")
_TRAILING_PAREN = re.compile(r"^(?P<body>.*?)\s*(?P<credit>[(（][^()（）]*[)）])\s*$", re.S)


@dataclass(frozen=True)
class BylineRules:
    roles: dict[str, str]  # printed form -> role, longest form first
    after: frozenset[str]
    only_after: frozenset[str]
    source_markers: tuple[str, ...]
    dateline_markers: tuple[str, ...]
    box_marks: str
    not_name_endings: str


@cache
def byline_rules() -> BylineRules:
    data = yaml.safe_load(resources.files("banmian.data").joinpath("byline_roles.yml").read_text(encoding="utf-8"))
    return BylineRules(
        roles=dict(sorted(data["roles"].items(), key=lambda kv: -len(kv[0]))),
        after=frozenset(data.get("after", [])),
        only_after=frozenset(data.get("only_after", [])),
        source_markers=tuple(data.get("source_markers", [])),
        dateline_markers=tuple(sorted(data.get("dateline_markers", []), key=len, reverse=True)),
        box_marks=data.get("box_marks", "□"),
        not_name_endings=data.get("not_name_endings", ""),
    )


def byline_roles() -> dict[str, str]:
    """Printed role form -> role, longest first (kept for callers that only need the table)."""
    return byline_rules().roles


def canonical_role(printed: str | None) -> str | None:
    """The role a printed form stands for, so two spellings compare equal: ``本报记者`` → 记者,
    ``北京日报记者`` → 记者 (another paper's reporter: the longest known form it ends with);
    a form the table does not know stays as printed."""
    if not printed:
        return None
    roles = byline_rules().roles
    if printed in roles:
        return roles[printed]
    for form, role in roles.items():  # longest first
        if len(form) >= 2 and printed.endswith(form):
            return role
    return printed


def is_name(token: str) -> bool:
    """A plausible personal name: 2–4 Han characters, or a transcribed name with a middle dot."""
    return bool(_NAME.match(token))


def _glued(token: str, rules: BylineRules) -> list[str]:
    """``记者熊建国`` → [记者, 熊建国]; ``刘穆摄影报道`` → [刘穆, 摄影报道]. Only forms of two or more
    characters are split off, and only when what remains is a plausible name: a name that merely
    begins or ends with a role character (文静, 高图) stays whole."""
    if token in rules.roles or is_name(token):
        return [token]
    for form in rules.roles:
        if len(form) < 2:
            continue
        if form not in rules.only_after and token.startswith(form) and is_name(rest := token[len(form) :]):
            return [form, rest]
        if form in rules.after and token.endswith(form) and is_name(rest := token[: -len(form)]):
            return [rest, form]
    return [token]


def _tokens(inner: str, rules: BylineRules) -> list[str]:
    """Split a credit into role, name and ``/`` tokens, re-joining padded names (``李 岚``)."""
    text = inner
    for form in rules.roles:
        if "/" in form:
            text = text.replace(form, f" {form.replace('/', '')} ")
    text = _SEPARATORS.sub(" ", text).replace("/", " / ").replace("／", " / ")
    raw = [t for t in _SPACES.split(text) if t]
    out: list[str] = []
    i = 0
    while i < len(raw):
        j = i
        while j < len(raw) and _SINGLE.match(raw[j]):
            j += 1
        run = raw[i:j]
        if len(run) >= 2:
            tail = []
            if len(run) >= 3 and run[-1] in rules.after:
                run, tail = run[:-1], run[-1:]
            if len(run) in (2, 3):
                out.append("".join(run))
            elif len(run) == 4:
                out.extend(["".join(run[:2]), "".join(run[2:])])
            else:
                out.extend(run)
            out.extend(tail)
            i = j
            continue
        out.extend(_glued(raw[i], rules))
        i += 1
    return out


def _assign(tokens: list[str], rules: BylineRules, *, strict: bool) -> list[Author] | None:
    """Give each name the role printed before it, or after it when the role closes the group
    (``通讯员 刘守涛 张筠琪 摄`` → both 摄影). Returns None in strict mode on any token that is
    neither a role nor a plausible name."""
    authors: list[Author] = []
    pending: list[int] = []  # indexes of the names of the group being read
    pending_role: str | None = None
    for i, tok in enumerate(tokens):
        if tok == "/":
            continue
        role = rules.roles.get(tok)
        if role is not None:
            rest = [t for t in tokens[i + 1 :] if t != "/" and t not in rules.roles]
            prev_slash = i > 0 and tokens[i - 1] == "/"
            if tok in rules.after and pending and (not rest or prev_slash or pending_role is None):
                for k in pending:
                    authors[k] = Author(authors[k].name, role)
                pending, pending_role = [], None
            elif tok not in rules.only_after:
                pending, pending_role = [], role
            elif strict:
                return None
            continue
        if is_name(tok) or (not strict and _LOOSE_NAME.match(tok)):
            pending.append(len(authors))
            authors.append(Author(tok, pending_role))
        elif strict:
            return None
    return authors


def _unwrap(text: str, rules: BylineRules) -> tuple[str, bool, bool] | None:
    """The credit inside its marks, whether it was boxed (``□茹杰作``) and whether bracketed;
    None for a source note."""
    s = text.strip()
    for marker in rules.dateline_markers:
        if s.startswith(marker):
            s = s[len(marker) :].strip()
            break
    boxed = bool(s) and s[0] in rules.box_marks
    if boxed:
        s = s.lstrip(rules.box_marks).strip()
    m = _PAREN.match(s)
    if m:
        s = m.group(1).strip()
    if s.startswith(rules.source_markers):
        return None
    return s, boxed, bool(m)


def _boxed_writer(inner: str) -> Author | None:
    """``□茹杰作``: a boxed name followed by 作 ("made by")."""
    name = _SPACES.sub("", inner)
    if name.endswith("作") and is_name(name[:-1]):
        return Author(name[:-1], byline_rules().roles.get("作", "作者"))
    return None


def parse_byline(text: str) -> list[Author]:
    """Every person a byline, dateline credit, photo credit or page credit names, with their role.

    ``(特约记者 蒋平 通讯员 殷聪)`` → 蒋平/特约记者, 殷聪/通讯员; ``(李 岚)`` → 李岚;
    ``本报讯 (记者熊建国 通讯员刘常红)`` → 熊建国/记者, 刘常红/通讯员; ``□茹杰作`` → 茹杰/作者;
    ``刘 穆/摄影报道`` → 刘穆/摄影; ``本版策划组稿:郭祥云 张保平`` → both 策划组稿. A source note
    (``(据…网站)``) names no author: [].

    >>> parse_byline("(特约记者 蒋平 通讯员 殷聪)")
    [Author(name='蒋平', role='特约记者'), Author(name='殷聪', role='通讯员')]
    >>> parse_byline("(李 岚)"), parse_byline("□茹杰作"), parse_byline("刘 穆/摄影报道")
    ([Author(name='李岚', role=None)], [Author(name='茹杰', role='作者')], [Author(name='刘穆', role='摄影')])
    >>> parse_byline("(据新华网)")
    []
    """
    rules = byline_rules()
    unwrapped = _unwrap(text, rules)
    if unwrapped is None:
        return []
    inner, boxed, _ = unwrapped
    if boxed and (writer := _boxed_writer(inner)):
        return [writer]
    return _assign(_tokens(inner, rules), rules, strict=False) or []


def looks_like_byline(text: str) -> bool:
    """True when ``text`` is a credit and nothing else, so a segmenter can classify a block or the
    trailing parenthesis of a paragraph: a parenthesis holding only roles and plausible names
    (``(潘鹏)``, ``(通讯员 自发 修智 王雷)``), a boxed writer's mark (``□茹杰作``), or an unbracketed
    credit that prints a role (``刘 穆/摄影报道``, ``本版策划组稿:…``, ``撰文 …``). A bare name without
    brackets or role is not enough (it could be a headline), nor is a source note or a parenthesis
    with anything else in it (``(居)``, ``(知身份情况、知暂住理由)``)."""
    rules = byline_rules()
    s = text.strip()
    if not s or "\n" in s.strip():
        return False
    unwrapped = _unwrap(s, rules)
    if unwrapped is None:
        return False
    inner, boxed, bracketed = unwrapped
    if boxed:
        return _boxed_writer(inner) is not None
    if "、" in inner:
        return False
    tokens = _tokens(inner, rules)
    authors = _assign(tokens, rules, strict=True)
    if not authors:
        return False
    if any(t in rules.roles for t in tokens):
        return True
    return bracketed and not any(a.name[-1] in rules.not_name_endings for a in authors)


def split_trailing_credit(text: str) -> tuple[str, list[Author]] | None:
    """``…观念。 (潘鹏)`` or a caption ending ``…资料。(通讯员 刘守涛 张筠琪 摄)`` → (text before the
    credit, its people); a last line such as ``刘 穆/摄影报道`` counts too. None when the text does
    not end with a credit (a parenthesis that is part of the sentence, a source note)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and looks_like_byline(lines[-1]):
        return "\n".join(lines[:-1]), parse_byline(lines[-1])
    m = _TRAILING_PAREN.match(text.strip())
    if m and m.group("body") and looks_like_byline(m.group("credit")):
        return m.group("body"), parse_byline(m.group("credit"))
    return None


_DATELINE = re.compile(r"^\s*(?P<marker>\S{2,6}?)\s*(?P<credit>[(（][^()（）]*[)）])\s*(?P<rest>.*)$", re.S)


def split_dateline(text: str) -> tuple[str, list[Author], str] | None:
    """``本报讯 (记者熊建国 通讯员刘常红)近年来…`` → ("本报讯", [熊建国/记者, 刘常红/通讯员], "近年来…");
    None when the paragraph does not open with a dateline marker followed by a credit.

    >>> split_dateline("本报讯 (记者熊建国 通讯员刘常红)近年来…")
    ('本报讯', [Author(name='熊建国', role='记者'), Author(name='刘常红', role='通讯员')], '近年来…')
    """
    rules = byline_rules()
    m = _DATELINE.match(text)
    if not m or m.group("marker") not in rules.dateline_markers or not looks_like_byline(m.group("credit")):
        return None
    return m.group("marker"), parse_byline(m.group("credit")), m.group("rest")
