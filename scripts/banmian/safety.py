"""Safety: find markup in an article body that MkDocs would turn into live HTML.

Ingest escapes source text, so generated bodies never hold markup; a pull request can. Python-
Markdown passes raw HTML through, renders ``[x](javascript:…)`` as a live link, and with
``attr_list`` turns ``{: onclick="…"}`` into an attribute. ``banmian check`` (which the PR workflow
runs) reports each finding as ``file:line`` so such an edit is refused before it is published.

These are early warnings with a line number; the guarantee is the sanitiser every page passes
through (``banmian.sanitize``). ``find_unsafe_rendered`` renders the body and reads the HTML with
a parser, so it sees what a pattern over Markdown misses (``&#106;avascript:``, a reference whose
URL is on the next line, ``<x.y onfocus=…>``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from . import sanitize

# A tag, closing tag, comment, declaration or processing instruction: what Markdown passes through.
_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|/[A-Za-z][A-Za-z0-9-]*\s*>|!--|![A-Za-z]|\?)")
# Link or image destinations and reference definitions with a scheme that runs code.
_BAD_URL = re.compile(r"(?:\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?)\s*(?:javascript|vbscript|data|file)\s*:", re.I | re.M)
# attr_list on a block or inline element: {: …} / { … } holding an event handler or a style.
_ATTR = re.compile(r"(?<!\\)\{:?[^{}\n]*\b(?:on[a-z]+|style|href|src)\s*=[^{}\n]*(?<!\\)\}", re.I)
_CODE_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def find_raw_html(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """``(line, snippet)`` for each line holding live markup in a Markdown body (first finding).

    ``first_line`` is the file line of ``text``'s first line, so callers passing only the body
    (after the front matter) still report file lines. Escaped forms (``&lt;``, ``\\<``) are text
    and are not reported; fenced code is skipped (Markdown shows it as text).
    """
    found: list[tuple[int, str]] = []
    in_fence = False
    for offset, line in enumerate(text.split("\n")):
        if _CODE_FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        unescaped = re.sub(r"\\.", "  ", line)  # backslash escapes make the next character text
        unescaped = re.sub(r"`[^`]*`", lambda m: " " * len(m.group()), unescaped)  # inline code is text
        hits = [m for pattern in (_TAG, _BAD_URL, _ATTR) for m in pattern.finditer(unescaped)]
        if hits:
            m = min(hits, key=lambda h: h.start())
            found.append((first_line + offset, line[max(0, m.start() - 10) : m.end() + 30].strip()))
    return found


def problems_message(snippet: str) -> str:
    """The message ``banmian check`` prints for one finding."""
    return (f"正文含有 HTML 或可执行的标记 / the body contains raw HTML or executable markup: {snippet!r}; "
            "write it as plain text (use &lt; for <), or remove it")


# ---------------------------------------------------------------- the rendered body, as a browser reads it

_MAYBE_MARKUP = re.compile(r"[<&{]|\]\s*[(\[:]|^\s{0,3}\[", re.M)


class _Unsafe(HTMLParser):
    """What in rendered HTML the sanitiser would remove: a tag or attribute outside the allow-list,
    a script or data URL, an id Material reserves. Each finding is ``(needle, description)``:
    text to look for in the Markdown to find its line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        policy = sanitize.policy()
        if tag not in policy["tags"]:
            self.found.append((f"<{tag}", f"<{tag}>"))
            return
        allowed = set(policy["attributes"].get("*", ())) | set(policy["attributes"].get(tag, ()))
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self.found.append((name, f"{name}={value[:40]!r}"))
            elif name == "id" and not sanitize.id_allowed(value):
                self.found.append((value, f"id={value!r}"))
            elif name in ("href", "src") and re.match(r"^[a-z][a-z0-9+.\-]*:", re.sub(r"[\x00-\x20]+", "", value), re.I):
                scheme = re.sub(r"[\x00-\x20]+", "", value).split(":", 1)[0].lower()
                if scheme not in policy["url_schemes"]:
                    self.found.append((value.split(":", 1)[-1][:20], f"{name}={value[:40]!r}"))


def find_unsafe_rendered(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """``(line, what)`` for what Python-Markdown (with the edition's extensions) makes of ``text``
    that the sanitiser removes: entity-encoded or split-line ``javascript:`` links, tags such as
    ``<x.y onfocus=…>``, Material's ids. The line is the first that holds the finding's text
    (else the body's first line): rendering loses positions."""
    if not _MAYBE_MARKUP.search(text):
        return []
    import markdown

    parser = _Unsafe()
    parser.feed(markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables", "toc"]))
    parser.close()
    lines = text.split("\n")
    out: list[tuple[int, str]] = []
    for needle, what in parser.found:
        line = next((i for i, line in enumerate(lines) if needle.lower() in line.lower()), 0)
        out.append((first_line + line, what))
    return out
