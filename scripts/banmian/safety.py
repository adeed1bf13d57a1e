"""Safety: find markup in an article body that MkDocs would turn into live HTML.

Ingest escapes source text, so generated bodies never hold markup; a pull request can. Python-
Markdown passes raw HTML through, renders ``[x](javascript:…)`` as a live link, and with
``attr_list`` turns ``{: onclick="…"}`` into an attribute. ``banmian check`` (which the PR workflow
runs) reports each finding as ``file:line`` so such an edit is refused before it is published.
"""

from __future__ import annotations

import re

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
