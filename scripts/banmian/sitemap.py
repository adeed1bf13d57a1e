"""Sitemaps of any size: a sitemap file may list at most 50,000 URLs (sitemaps.org), and a script's
site passes that at about 20,000 articles. MkDocs writes one ``sitemap.xml`` from the theme's
template (theme/sitemap.xml: every page, its alternate in the other script, no build date); when
it lists more than ``LIMIT`` URLs it is split after the build into ``sitemap-1.xml`` … of at most
``LIMIT`` each, and ``sitemap.xml`` (and MkDocs' ``sitemap.xml.gz`` beside it) becomes the
sitemap index that lists them, so the address crawlers are given stays the same.
"""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

LIMIT = 50_000  # URLs a sitemap file may list (sitemaps.org protocol)
_URL = re.compile(r"<url>.*?</url>", re.S)
_PART = re.compile(r"sitemap-\d+\.xml")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _gzip(path: Path, text: str) -> None:
    """``sitemap.xml.gz`` with a fixed timestamp: the same bytes from the same sitemap."""
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, filename="sitemap.xml", mode="wb", mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def split(site_dir: Path, site_url: str | None, limit: int = LIMIT) -> int:
    """Split ``site_dir/sitemap.xml`` when it lists more than ``limit`` URLs; returns the number of
    part files written (0: it fits, and parts left from a larger build are removed)."""
    index = site_dir / "sitemap.xml"
    if not index.is_file() or not site_url:
        return 0
    text = index.read_text(encoding="utf-8")
    entries = _URL.findall(text)
    stale = [p for p in site_dir.glob("sitemap-*.xml") if _PART.fullmatch(p.name)]
    if len(entries) <= limit:
        for path in stale:
            path.unlink()
        return 0
    head = text[: text.index("<urlset")]
    opening = re.search(r"<urlset[^>]*>", text)
    assert opening is not None  # the entries above were found inside it
    parts = [entries[i : i + limit] for i in range(0, len(entries), limit)]
    names = [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    for name, part in zip(names, parts, strict=True):
        _write(site_dir / name, head + opening.group() + "\n" + "\n".join(part) + "\n</urlset>\n")
    for path in stale:
        if path.name not in names:
            path.unlink()
    base = html.escape(site_url.rstrip("/") + "/")
    listing = "\n".join(f"<sitemap><loc>{base}{name}</loc></sitemap>" for name in names)
    text = f'{head}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{listing}\n</sitemapindex>\n'
    _write(index, text)
    if (site_dir / "sitemap.xml.gz").is_file():
        _gzip(site_dir / "sitemap.xml.gz", text)
    return len(parts)
