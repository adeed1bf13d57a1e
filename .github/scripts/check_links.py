"""Internal link check over a built site: every relative href/src must name a file that exists.

Usage: python .github/scripts/check_links.py SITE_DIR  → prints ``page.html: broken link …`` lines
and exits 1 when any internal link is broken. External links (http:, mailto: …) are not fetched:
PR checks need no network. Links that climb out of the site folder count as broken, since on
GitHub Pages (a project site under /<repo>/) and in the offline zip they lead nowhere.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ATTRS = {"href", "src"}
SKIP_SCHEMES = ("http:", "https:", "mailto:", "tel:", "data:", "javascript:", "blob:", "about:")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "link", "script", "img", "iframe", "source", "audio", "video"):
            for name, value in attrs:
                if name in ATTRS and value:
                    self.links.append((self.getpos()[0], value.strip()))


def broken_links(site: Path) -> list[str]:
    site = site.resolve()
    problems: list[str] = []
    for page in sorted(site.rglob("*.html")):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        shown = page.relative_to(site).as_posix()
        for line, link in parser.links:
            if link.lower().startswith(SKIP_SCHEMES) or link.startswith("//"):
                continue
            path = unquote(urlsplit(link).path)
            if not path:
                continue  # "#anchor" or "?query" on the same page
            target = (site / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
            resolved = target.resolve()
            if resolved.is_dir() or path.endswith("/"):
                resolved = resolved / "index.html"
            if site not in resolved.parents and resolved != site:
                problems.append(f"{shown}:{line}: link leaves the site folder: {link}")
            elif not resolved.is_file():
                problems.append(f"{shown}:{line}: broken link: {link} (no {resolved.relative_to(site).as_posix()})")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: check_links.py SITE_DIR (a built site, e.g. site)", file=sys.stderr)
        return 2
    problems = broken_links(Path(argv[0]))
    for problem in problems[:500]:
        print(problem)
    if problems:
        print(f"{len(problems)} broken internal link(s)", file=sys.stderr)
        return 1
    print("all internal links resolve", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
