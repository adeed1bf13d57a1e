"""Bylines: who wrote or photographed an item, with their role; roles are data (byline_roles.yml).

Parse bylines from the RAW text: spaces there separate names (``通讯员 自发 修智 王雷``) or pad a
two-character name to the width of a three-character one (``李 岚``); the clean-up removes spaces
between Han characters, which would glue such names together.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from . import fold
from .datelines import Dateline, end_dateline, match_opening
from .han import HAN as _HAN
from .model import Author

_NAME = re.compile(rf"^(?:[{_HAN}]{{2,4}}|[{_HAN}]{{1,6}}[·•][{_HAN}]{{1,10}})$")
_LOOSE_NAME = re.compile(rf"^[{_HAN}·•]{{2,6}}$")
_SINGLE = re.compile(rf"^[{_HAN}]$")
_SEPARATORS = re.compile(r"[:：,，、;；]")
_SPACES = re.compile(r"[\s\u3000]+")
_PAREN = re.compile(r"^[(（]([^()（）]*)[)）]$")
#: A character no credit prints: roles and names are Han (names perhaps with a middle dot), set
#: apart by spaces, separators and slashes. Any other (a digit, a quote, a full stop) is no credit.
_NOT_CREDIT = re.compile(rf"[^{_HAN}·•/／:：,，、;；\s]")
_TRAILING_PAREN = re.compile(r"^(?P<body>.*?)\s*(?P<credit>[(（][^()（）]*[)）])\s*$", re.S)


@dataclass(frozen=True)
class BylineRules:
    roles: dict[str, str]  # printed form -> role, longest form first
    after: frozenset[str]
    only_after: frozenset[str]
    source_markers: tuple[str, ...]
    box_marks: str
    not_name_endings: str
    org_role: re.Pattern[str]  # 新华社记者, 北京日报记者顾钱江 → role and name
    before_role: re.Pattern[str]  # a role of two or more characters that may stand before a name
    closing: tuple[str, ...]
    contributors: tuple[str, ...]
    compilers: tuple[str, ...]
    glued_after: tuple[str, ...]
    photo_credit_words: tuple[str, ...]
    labels: dict[str, str]  # 主讲人 -> 主讲人: a label word before a colon that names the role
    not_cited_as_author: dict[str, frozenset[str]]  # item type -> roles a citation leaves out
    # Tables derived from the ones above, built once: the byline reader runs on nearly every
    # short line of every page, and looping over every role per token was its main cost.
    glue_rank: dict[str, int]  # role form of two or more characters -> its place in ``roles`` (longest first)
    glue_edges: frozenset[str]  # first and last characters of those forms: a quick reject
    slash_forms: tuple[str, ...]  # forms printed with a slash (文/图), in ``roles`` order
    label: re.Pattern[str]  # a label word (``labels``) opening a line, then a colon
    spacers: tuple[re.Pattern[str], ...]  # where ``_spaced`` parts a role glued to the name before it


@cache
def byline_rules() -> BylineRules:
    data = yaml.safe_load(resources.files("banmian.data").joinpath("byline_roles.yml").read_text(encoding="utf-8"))
    roles = dict(sorted(data["roles"].items(), key=lambda kv: -len(kv[0])))
    only_after = frozenset(data.get("only_after", []))
    labels = dict(data.get("label_roles", {}))
    return BylineRules(
        roles=roles,
        after=frozenset(data.get("after", [])),
        only_after=frozenset(data.get("only_after", [])),
        source_markers=tuple(data.get("source_markers", [])),
        box_marks=data.get("box_marks", "□"),
        not_name_endings=data.get("not_name_endings", ""),
        not_cited_as_author={kind: frozenset(roles) for kind, roles in (data.get("not_cited_as_author") or {}).items()},
        org_role=re.compile(
            rf"^(?:本报|本刊|本社|本台|本网|[{_HAN}]{{1,8}}?(?:{_alt(data['org_endings'])}))(?P<role>{_alt(data['org_roles'])})(?P<rest>.*)$"
        ),
        before_role=re.compile(_alt([f for f in data["roles"] if len(f) >= 2 and f not in data.get("only_after", []) and "/" not in f])),
        closing=tuple(sorted(data.get("closing_words", []), key=len, reverse=True)),
        contributors=tuple(sorted(data.get("contributor_words", []), key=len, reverse=True)),
        compilers=tuple(sorted(data.get("compiler_words", []), key=len, reverse=True)),
        glued_after=tuple(data.get("glued_after", [])),
        photo_credit_words=tuple(sorted(data.get("photo_credit_words", []), key=len, reverse=True)),
        labels=labels,
        glue_rank={form: rank for rank, form in enumerate(roles) if len(form) >= 2},
        glue_edges=frozenset(f[0] for f in roles if len(f) >= 2) | frozenset(f[-1] for f in roles if len(f) >= 2),
        slash_forms=tuple(form for form in roles if "/" in form),
        label=re.compile(rf"^\s*({_alt(list(labels))})\s*[：:]\s*(.*?)\s*$"),
        spacers=tuple(
            re.compile(rf"(?<=[{_HAN}])(?<!{re.escape(form[0])}){re.escape(form)}") for form in roles if len(form) >= 2 and form not in only_after
        ),
    )


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def cited_as_author(role: str | None, item_type: str | None) -> bool:
    """Whether a person credited with ``role`` is one of the item's authors in a citation:
    a reporter or writer is, a photographer of an article's picture or its editor is not."""
    table = byline_rules().not_cited_as_author
    left_out = table.get(item_type or "article", table.get("article", frozenset()))
    return canonical_role(role) not in left_out


def canonical_role(printed: str | None) -> str | None:
    """The role a printed form stands for, so two spellings compare equal: ``本报记者`` → 记者,
    ``北京日报记者`` → 记者 (another paper's reporter: the longest known form it ends with);
    a form the table does not know stays as printed. Traditional forms read as their simplified
    ones (``本報記者`` → 记者, ``banmian.fold``)."""
    if not printed:
        return None
    form = fold.fold_text(printed)
    roles = byline_rules().roles
    if form in roles:
        return roles[form]
    for known, role in roles.items():  # longest first
        if len(known) >= 2 and form.endswith(known):
            return role
    return printed


def is_name(token: str) -> bool:
    """A plausible personal name: 2–4 Han characters, or a transcribed name with a middle dot."""
    return bool(_NAME.match(token))


def _glued(token: str, rules: BylineRules) -> list[str]:
    """``记者熊建国`` → [记者, 熊建国]; ``刘穆摄影报道`` → [刘穆, 摄影报道]. Only forms of two or more
    characters are split off, and only when what remains is a plausible name: a name that merely
    begins or ends with a role character (文静, 高图) stays whole. A two-character name after a
    role (``记者靳博``) is split too, though the whole would also pass as a four-character name."""
    if token in rules.roles:
        return [token]
    m = rules.org_role.match(token)
    if m and (not m.group("rest") or is_name(m.group("rest"))):  # 新华社记者顾钱江 → 记者, 顾钱江
        return [m.group("role"), *([m.group("rest")] if m.group("rest") else [])]
    for form, at_start in _glued_forms(token, rules):
        if at_start and is_name(rest := token[len(form) :]):
            return [form, rest]
        if not at_start and is_name(rest := token[: -len(form)]):
            return [rest, form]
    return _role_runs(token, rules) or [token]


def _glued_forms(token: str, rules: BylineRules) -> list[tuple[str, bool]]:
    """The role forms (two or more characters) ``token`` opens with (those that may stand before a
    name) or ends with (those printed after one), as (form, at the start), in the order ``_glued``
    tries them: the roles table's (longest first), a form's start before its end. Found by looking
    up the token's own prefixes and suffixes rather than testing every role against it."""
    if token[:1] not in rules.glue_edges and token[-1:] not in rules.glue_edges:
        return []  # no role begins or ends with its first or last character: most tokens are plain names
    found: list[tuple[int, bool, str]] = []
    for k in range(2, len(token) + 1):
        head, tail = token[:k], token[-k:]
        if head in rules.glue_rank and head not in rules.only_after:
            found.append((rules.glue_rank[head], False, head))
        if tail in rules.glue_rank and tail in rules.after:
            found.append((rules.glue_rank[tail], True, tail))
    found.sort()
    return [(form, not at_end) for _, at_end, form in found]


def _role_runs(token: str, rules: BylineRules) -> list[str] | None:
    """``记者熊建国通讯员刘常红`` → [记者, 熊建国, 通讯员, 刘常红]: several credits glued, as a narrow
    column leaves them when it wraps the line where they were spaced. Only roles of two or more
    characters that may stand before a name open a run, and only when every name is plausible."""
    pattern = rules.before_role
    out: list[str] = []
    pos = 0
    while pos < len(token):
        m = pattern.match(token, pos)
        if m is None:
            return None
        nxt = pattern.search(token, m.end())
        end = nxt.start() if nxt is not None else len(token)
        if not is_name(token[m.end() : end]):
            return None
        out += [m.group(0), token[m.end() : end]]
        pos = end
    return out if len(out) >= 4 else None


def _listed_names(inner: str, rules: BylineRules) -> str:
    """``记者王新萍、任彦、韩 秉宸``: where a credit lists its names with 、, a space inside one listed
    item is a justification space, not a separator (the list already separates the names): an
    item of pieces none of which is a role, which together make one plausible name, is closed up."""
    if "、" not in inner:
        return inner
    items = inner.split("、")
    for n, item in enumerate(items):
        pieces = item.split()
        if len(pieces) > 1 and not any(p in rules.roles for p in pieces) and is_name(joined := "".join(pieces)):
            items[n] = item.replace(item.strip(), joined)
        elif len(pieces) > 2 and all(len(p) == 1 for p in pieces):  # 记 者 冯 歆 然: a role and a name, every character spaced
            joined = "".join(pieces)
            role = next((r for r in rules.roles if len(r) >= 2 and joined.startswith(r) and is_name(joined[len(r) :])), None)
            if role is not None:
                items[n] = item.replace(item.strip(), f"{role} {joined[len(role) :]}")
    return "、".join(items)


def _tokens(inner: str, rules: BylineRules) -> list[str]:
    """Split a credit into role, name and ``/`` tokens, re-joining padded names (``李 岚``)."""
    text = _listed_names(inner, rules)
    stripped = text.rstrip()
    for form in rules.glued_after:  # 本报记者  王晓华摄: the credit word glued to the last name
        if stripped.endswith(form) and len(stripped) > len(form) and _SINGLE.match(stripped[-len(form) - 1]):
            text = stripped[: -len(form)] + " " + form
            break
    if "/" in text:  # (every slash form prints one)
        for form in rules.slash_forms:
            text = text.replace(form, f" {form.replace('/', '')} ")
    text = _SEPARATORS.sub(" ", text).replace("/", " / ").replace("／", " / ")
    raw = [t for t in _SPACES.split(text) if t]
    out: list[str] = []
    i = 0
    while i < len(raw):
        j = i
        while j < len(raw) and len(raw[j]) == 1 and _SINGLE.match(raw[j]):  # (the length first: cheap)
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
    None for a source note. A dateline before or inside the brackets is not part of the credit
    (``本报讯 (记者…)``, ``（本报雅典6月5日电  记者…）``), nor are closing words (``…整理``)."""
    s = text.strip()
    opened = match_opening(s)
    if opened is not None and opened.credit and opened.end >= len(s):
        s = opened.credit
    boxed = bool(s) and s[0] in rules.box_marks
    if boxed:
        s = s.lstrip(rules.box_marks).strip()
    m = _PAREN.match(s)
    if m:
        s = m.group(1).strip()
        at_end = end_dateline(s)
        if at_end is not None:
            s = at_end[1]
    if s.startswith(rules.source_markers):
        return None
    for word in rules.closing:
        cut = _word_at_end(s, word)
        if cut > 0:
            s = s[:cut].strip()
            break
    return s, boxed, bool(m)


def _word_at_end(text: str, word: str) -> int:
    """Where ``word`` ends ``text``, spaces between its characters allowed (a narrow column may
    break ``参与`` / ``采写``); -1 when it does not. The last character is compared first: the
    pattern search tries every position of the text, and most texts end otherwise."""
    if not text.rstrip().endswith(word[-1]):
        return -1
    m = _at_end(word).search(text)
    return m.start() if m else -1


@functools.cache
def _at_end(word: str) -> re.Pattern[str]:
    """``word`` at the end of a text, white space allowed between its characters (compiled once:
    a page asks for each closing word at every credit)."""
    return re.compile(r"\s*".join(map(re.escape, word)) + r"\s*$")


def _split_contributors(inner: str, rules: BylineRules) -> tuple[str, str]:
    """``本报记者屈佩、李琰，麦克·奥杜罗参与采写`` → (the byline, the helpers' names); helpers
    (参与采写) are kept as an end note, not as authors."""
    for word in rules.contributors:
        end = _word_at_end(inner, word)
        if end >= 0:
            body = inner[:end]
            cut = max(body.rfind("，"), body.rfind(","), body.rfind("；"))
            return (body[:cut], body[cut + 1 :]) if cut >= 0 else ("", body)
    return inner, ""


def compiled_note(text: str) -> bool:
    """``（本报记者徐元锋采访整理）``: a bracketed credit of whoever wrote the piece up (``compiler_words``).
    Under a speaker's piece (``主讲人：…``) the speaker is its author and this note an end note."""
    m = _PAREN.match(text.strip())
    return m is not None and any(_word_at_end(m.group(1).strip(), w) > 0 for w in byline_rules().compilers)


def _boxed_writer(inner: str) -> Author | None:
    """``□茹杰作``: a boxed name followed by 作 ("made by")."""
    name = _SPACES.sub("", inner)
    if name.endswith("作") and is_name(name[:-1]):
        return Author(name[:-1], byline_rules().roles.get("作", "作者"))
    return None


def labelled_credit(text: str) -> Author | None:
    """``主讲人：宁夏石嘴山大武口区总工会权益保障工作负责人  杨旭东``, ``口述：李四``: a label word
    (``label_roles`` in byline_roles.yml), a colon, perhaps a description, and a name set apart by
    spaces at the end; the label is the role."""
    m = byline_rules().label.match(text)
    if not m:
        return None
    rest = m.group(2)
    parts = [rest] if is_names_line(rest) else re.split(r"\s{2,}|\u3000", rest)  # 李  四: one padded name
    name = "".join(_tokens(parts[-1], byline_rules())) if parts[-1] else ""
    if not is_name(name) or (len(parts) > 1 and len("".join(parts[:-1])) > 40):
        return None
    return Author(name, byline_rules().labels[m.group(1)])


def parse_byline(text: str) -> list[Author]:
    """Every person a byline, dateline credit, photo credit or page credit names, with their role.

    ``(特约记者 蒋平 通讯员 殷聪)`` → 蒋平/特约记者, 殷聪/通讯员; ``(李 岚)`` → 李岚;
    ``本报讯 (记者熊建国 通讯员刘常红)`` → 熊建国/记者, 刘常红/通讯员; ``□茹杰作`` → 茹杰/作者;
    ``刘 穆/摄影报道`` → 刘穆/摄影; ``本版策划组稿:郭祥云 张保平`` → both 策划组稿;
    ``新华社记者  顾  远  林小川`` → both 记者; ``（本报雅典6月5日电  记者韩秉宸、任彦）`` → both 记者.
    A source note (``(据…网站)``) names no author: []; helpers (``…参与采写``) are not authors.

    >>> parse_byline("(特约记者 蒋平 通讯员 殷聪)")
    [Author(name='蒋平', role='特约记者'), Author(name='殷聪', role='通讯员')]
    >>> parse_byline("(李 岚)"), parse_byline("□茹杰作"), parse_byline("刘 穆/摄影报道")
    ([Author(name='李岚', role=None)], [Author(name='茹杰', role='作者')], [Author(name='刘穆', role='摄影')])
    >>> parse_byline("(据新华网)")
    []
    """
    rules = byline_rules()
    if (labelled := labelled_credit(text)) is not None:
        return [labelled]
    unwrapped = _unwrap(text, rules)
    if unwrapped is None:
        return []
    inner, boxed, bracketed = unwrapped
    if boxed and (writer := _boxed_writer(inner)):
        return [writer]
    inner, _ = _split_contributors(inner, rules)
    found = _assign(_tokens(inner, rules), rules, strict=False) or []
    if not found and not bracketed and unbracketed_credit(inner):  # 记者林涛通讯员钱程: a narrow column's line break was the space between the pair
        found = _assign(_tokens(_spaced(inner), rules), rules, strict=False) or []
    return found


def contributors(text: str) -> list[Author]:
    """The helpers a credit names (``（本报记者刘羿佟、本报通讯员唐彪参与采写）`` → both)."""
    rules = byline_rules()
    unwrapped = _unwrap(text, rules)
    if unwrapped is None:
        return []
    _, helpers = _split_contributors(unwrapped[0], rules)
    return (_assign(_tokens(helpers, rules), rules, strict=False) or []) if helpers else []


def credit_dateline(text: str) -> Dateline | None:
    """The dateline printed inside an end credit: ``（本报雅典6月5日电  记者…）``."""
    m = _PAREN.match(text.strip())
    if not m:
        return None
    found = end_dateline(m.group(1).strip())
    return found[0] if found else None


def is_role_only(text: str) -> bool:
    """``本报评论员``, ``本报记者``: a byline line printing a role and no name."""
    t = _SPACES.sub("", text.strip())
    rules = byline_rules()
    m = rules.org_role.match(t)
    return (t in rules.roles and len(t) >= 3) or bool(m and not m.group("rest"))


def is_names_line(text: str) -> bool:
    """``王  亮``, ``孙龙飞  闫思齐``, ``王宁利``: a line of personal names only (a byline when it
    stands under a headline; alone it could be a headline word, so callers need that context)."""
    t = text.strip()
    if not t or len(t) > 24 or _SEPARATORS.search(t):
        return False
    rules = byline_rules()
    tokens = _tokens(t, rules)
    return 0 < len(tokens) <= 4 and all(is_name(x) and x not in rules.roles and x[-1] not in rules.not_name_endings for x in tokens)


def looks_like_byline(text: str) -> bool:
    """True when ``text`` is a credit and nothing else, so a segmenter can classify a block or the
    trailing parenthesis of a paragraph: a parenthesis holding only roles and plausible names
    (``(潘鹏)``, ``(通讯员 自发 修智 王雷)``, ``(记者 张𠀀明)``), a boxed writer's mark (``□茹杰作``), an
    unbracketed credit that prints a role (``刘 穆/摄影报道``, ``本版策划组稿:…``, ``本报记者  董丝雨``),
    or helpers' names (``（…参与采写）``). A bare name without brackets or role is not enough (it could
    be a headline), nor is a source note or a parenthesis with anything else in it (``(居)``,
    ``(知身份情况、知暂住理由)``). This is the one byline test: the segmenter asks it too."""
    rules = byline_rules()
    s = text.strip()
    if not s or "\n" in s:
        return False
    unwrapped = _unwrap(s, rules)
    if unwrapped is None:
        return False
    inner, boxed, bracketed = unwrapped
    if boxed:
        return _boxed_writer(inner) is not None or is_names_line(inner)
    if _NOT_CREDIT.search(inner):
        return False  # a cheap reject before the tokens: most short lines asked are text, not credits
    main, helpers = _split_contributors(inner, rules)
    parts = [p for p in (main, helpers) if p]
    if not parts:
        return False
    for part in parts:
        tokens = _tokens(part, rules)
        has_role = part is helpers or any(t in rules.roles for t in tokens)  # 参与采写 is itself the credit's role
        if ("、" in part or "，" in part or "," in part) and not has_role:
            return False
        authors = _assign(tokens, rules, strict=True)
        if not authors:
            return False
        if not has_role and not (bracketed and not any(a.name[-1] in rules.not_name_endings for a in authors)):
            return False
    return True


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


def split_dateline(text: str) -> tuple[str, list[Author], str] | None:
    """``本报讯 (记者熊建国 通讯员刘常红)近年来…`` → ("本报讯", [熊建国/记者, 刘常红/通讯员], "近年来…");
    None when the paragraph does not open with a dateline followed by a credit.

    >>> split_dateline("本报讯 (记者熊建国 通讯员刘常红)近年来…")
    ('本报讯', [Author(name='熊建国', role='记者'), Author(name='刘常红', role='通讯员')], '近年来…')
    """
    opened = match_opening(text, credit_ok=unbracketed_credit)
    if opened is None or opened.dateline is None or not opened.credit:
        return None
    credit = opened.credit
    if credit != opened.dateline.text and not (looks_like_byline(credit) or all(unbracketed_credit(p) for p in credit.split())):
        return None
    people = _filed(credit) if credit == opened.dateline.text else parse_byline(credit if credit[:1] in "(（" else _spaced(credit))
    return opened.dateline.text, people, text[opened.end :].lstrip(" \u3000")


def _filed(credit: str) -> list[Author]:
    """``本社记者陈沂报导：`` → 陈沂/记者."""
    return parse_byline(credit.rstrip("：:").removesuffix("报导").removesuffix("报道").removesuffix("电"))


def _spaced(part: str) -> str:
    """``记者林涛通讯员钱程`` (a narrow column joined the pair) → ``记者林涛 通讯员钱程``."""
    for spacer in byline_rules().spacers:
        part = spacer.sub(r" \g<0>", part)
    return part


def unbracketed_credit(part: str) -> bool:
    """``记者林涛``, ``通讯员钱程`` after a dateline with no brackets: a role glued to a name."""
    rules = byline_rules()
    tokens = _tokens(_spaced(part), rules)
    return len(tokens) >= 2 and tokens[0] in rules.roles and all(is_name(t) or t in rules.roles for t in tokens[1:]) and tokens[-1] not in rules.roles
