"""Scan: read a built site (or the offline zip) with an HTML parser and report anything that
could run script: event-handler attributes, ``javascript:``/``vbscript:``/``data:`` URLs, and,
inside a page's content (``<article>``), elements that run or load something (script, iframe,
object, form, meta, base, SVG animation …), ``style`` attributes with ``url(``, and ids Material reserves.

Why: the pull-request check promises that no edit makes the site run script. The sanitiser in
the build (``banmian.sanitize``) is what keeps that promise; this reads the output the way a
browser would and proves it, page by page, for the site and the zip alike. ``html.parser``
decodes entities in attribute values as browsers do, so ``&#106;avascript:`` is seen as
``javascript:``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

#: Attributes whose value a browser follows or loads as a URL.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite", "longdesc", "srcset", "ping"})
#: Elements that have no place in a page's content: they run, load or submit something.
CONTENT_FORBIDDEN = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "textarea", "select",
    "meta", "base", "link", "style", "math", "template", "portal", "noscript",
    # SVG may hold icons (Material's edit button is one); these SVG elements load or animate
    "foreignobject", "animate", "animatemotion", "animatetransform", "set", "use", "image", "feimage", "handler", "listener",
})
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha):", re.I)
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.problem}"


class _Scanner(HTMLParser):
    def __init__(self, file: str) -> None:
        super().__init__(convert_charrefs=True)
        self.file = file
        self.findings: list[Finding] = []
        self.depth = 0  # how many <article> elements we are inside

    def _report(self, problem: str) -> None:
        self.findings.append(Finding(self.file, self.getpos()[0], problem))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self._report(f"<{tag}> has an event handler {name}={value[:60]!r}")
            if name in URL_ATTRIBUTES or name.endswith(":href"):
                for url in value.split(",") if name == "srcset" else [value]:
                    if _BAD_SCHEME.match(_IGNORED.sub("", url)):
                        self._report(f"<{tag} {name}> is a script or data URL: {url.strip()[:60]!r}")
            if name == "srcdoc":
                self._report(f"<{tag}> has srcdoc (a document in an attribute)")
            if self.depth:
                if name == "style" and re.search(r"url\s*\(|expression\s*\(|@import", value, re.I):
                    self._report(f"<{tag}> in the content has a style that loads something: {value[:60]!r}")
                if name == "id" and value.startswith("__"):
                    self._report(f"<{tag}> in the content takes Material's id {value!r}")
        if self.depth and tag in CONTENT_FORBIDDEN:
            self._report(f"<{tag}> inside the content")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "article":
            self.depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.depth:
            self.depth -= 1


def scan_html(text: str, file: str) -> list[Finding]:
    scanner = _Scanner(file)
    scanner.feed(text)
    scanner.close()
    return scanner.findings


def _pages(target: Path) -> Iterator[tuple[str, str]]:
    """``(name, text)`` of every ``*.html`` in a folder or a zip."""
    if target.is_file() and zipfile.is_zipfile(target):
        with zipfile.ZipFile(target) as zf:
            for info in zf.infolist():
                if info.filename.endswith(".html"):
                    yield f"{target.as_posix()}!{info.filename}", zf.read(info).decode("utf-8", "replace")
    elif target.is_dir():
        for path in sorted(target.rglob("*.html")):
            yield path.as_posix(), path.read_text(encoding="utf-8", errors="replace")
    else:
        raise FileNotFoundError(f"{target}: 不是网站文件夹或 zip / not a site folder or a zip; build it first (banmian site, banmian bundle)")


def scan(targets: list[Path]) -> tuple[int, list[Finding]]:
    """How many pages were read and what was found in them."""
    count, findings = 0, []
    for target in targets:
        for name, text in _pages(target):
            count += 1
            findings.extend(scan_html(text, name))
    return count, findings
