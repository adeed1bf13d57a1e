"""The one link checker: every relative href/src/srcset of a built site ends at a file.

Two readings of one site, because the same pages are served two ways:

- **hosted** (``banmian links site``, the pull-request check): a link to a folder is served as
  its ``index.html``; a root-absolute path (Material's 404 page: ``/banmian/assets/…``) is read
  against the path the site is published under (``base``, from the site's canonical address);
  a link that climbs out of the site leads nowhere on a project site.
- **offline** (``bundle.make_bundle``, before the zip is written): ``file://`` shows no
  ``index.html`` for a folder and reads ``/…`` from the disk's root, so both are problems; and a
  *load* from outside the bundle (script, stylesheet, image, preconnect) is a request the reader
  never asked for. A *link* a reader may click (the edit button, the repository) is fine in both.

Pages are given as a mapping of site-relative POSIX paths to bytes (``site_files`` reads a
folder lazily, so checking a 10,000-page site never holds it all in memory). Each problem names
the page and the line, in Chinese and English, since proofreaders read the PR check's output.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# <link rel=…> values that make the browser fetch the target (others, like "alternate" or
# "next", are only links and are checked as such).
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest"}
LOADING_TAGS = {"script", "img", "iframe", "source", "audio", "video", "embed", "track", "input"}
_CANONICAL = re.compile(r'<link\b[^>]*\brel="canonical"[^>]*\bhref="([^"]*)"')
NON_FILE_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")


class _Refs(HTMLParser):
    """Collects (line, tag, attribute, url, loads) for every href/src/srcset of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[int, str, str, str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        a = {k: v for k, v in attrs if v is not None}
        if tag == "link":
            rels = set((a.get("rel") or "").lower().split())
            if "href" in a:
                self.refs.append((line, tag, "href", a["href"], bool(rels & LOADING_RELS)))
            return
        for attr in ("href", "src", "poster", "data"):
            if attr in a:
                loads = attr != "href" and (tag in LOADING_TAGS or attr == "poster" or tag == "object")
                self.refs.append((line, tag, attr, a[attr], loads))
        if "srcset" in a:
            for part in a["srcset"].split(","):
                if part.strip():
                    self.refs.append((line, tag, "srcset", part.split()[0], True))


def html_refs(text: str) -> list[tuple[int, str, str, str, bool]]:
    """(line, tag, attribute, url, whether the browser fetches it) for each reference of a page."""
    parser = _Refs()
    parser.feed(text)
    parser.close()
    return parser.refs


class SiteFiles(Mapping[str, bytes]):
    """A built site folder as ``{relative path: bytes}``; a page is read when it is checked."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
        self.known = set(self.names)

    def __getitem__(self, name: str) -> bytes:
        if name not in self.known:
            raise KeyError(name)
        return (self.site / name).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def published_path(index_html: bytes) -> str:
    """The URL path a built site is published under (``/banmian/``), from the canonical link of
    its home page (``index.html`` at the site's root); ``/`` when it has none (no ``site_url``).

    >>> published_path(b'<link rel="canonical" href="https://x.github.io/banmian/index.html">')
    '/banmian/'
    >>> published_path(b"<title>no canonical</title>")
    '/'
    """
    found = _CANONICAL.search(index_html.decode("utf-8", "replace"))
    return posixpath.dirname(urlsplit(html.unescape(found[1])).path).rstrip("/") + "/" if found else "/"


def check(files: Mapping[str, bytes], offline: bool, skip: tuple[str, ...] = (), base: str = "/") -> list[str]:
    """Every problem of every HTML page in ``files``, page by page, in file order.

    ``skip`` names link targets (file names) that are not in ``files`` on purpose: the hosted
    download link to the offline zip, which is placed beside the site after the build. ``base``
    is the path the hosted site is published under (``published_path``).
    """
    names = set(files)
    dirs = {posixpath.dirname(n) for n in names} | {""}
    outside = "离线包" if offline else "网站"
    problems: list[str] = []
    for name in sorted(n for n in names if n.endswith(".html")):
        here = posixpath.dirname(name)
        for line, tag, attr, url, loads in html_refs(files[name].decode("utf-8", "replace")):
            url = url.strip()
            if not url or url.startswith("#") or url.lower().startswith(NON_FILE_SCHEMES):
                continue
            at = f"{name}:{line}: <{tag} {attr}> {url}"
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                if loads and offline:
                    problems.append(f"{at}: 从离线包之外加载 / loads from outside the bundle")
                continue
            if not parts.path or posixpath.basename(parts.path) in skip:
                continue  # "?query"/"#anchor" only (the page itself), or a file placed beside the site
            path = unquote(parts.path)
            if path.startswith("/"):
                if offline:
                    problems.append(f"{at}: 绝对路径在 file:// 下指向磁盘根目录 / is absolute: on file:// it points at the disk's root")
                    continue
                if not path.startswith(base):
                    problems.append(f"{at}: 不在网站的地址 {base} 之下 / is not under the site's address {base}")
                    continue
                target = posixpath.normpath(path[len(base):] or ".")
            else:
                target = posixpath.normpath(posixpath.join(here, path))
            if target == ".." or target.startswith("../"):
                problems.append(f"{at}: 链接离开了{outside} / leaves the {'bundle' if offline else 'site folder'}")
                continue
            if target == ".":
                target = ""
            if target in names:
                continue
            is_dir = target in dirs
            if is_dir and not offline and posixpath.join(target, "index.html") in names:
                continue
            if is_dir:
                problems.append(f"{at} → {target or '.'}: 是文件夹，file:// 不显示其中的 index.html / a folder, not a file (file:// shows no index.html for it)"
                                if offline else f"{at} → {target or '.'}: 文件夹中没有 index.html / a folder without index.html")
            else:
                problems.append(f"{at} → {target}: 文件不存在 / missing")
    return problems
