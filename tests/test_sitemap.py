"""A sitemap over the protocol's 50,000 URLs becomes an index of parts (banmian.sitemap)."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from banmian import sitemap

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.org/sub/"


def write_sitemap(site: Path, n: int) -> list[str]:
    locs = [f"{BASE}p{i}.html" for i in range(n)]
    body = "\n".join(f'<url><loc>{u}</loc><xhtml:link rel="alternate" hreflang="zh-Hant" href="{u}"/></url>' for u in locs)
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n{body}\n</urlset>\n')
    (site / "sitemap.xml").write_text(text, encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    return locs


def test_a_small_sitemap_is_left_alone(tmp_path: Path) -> None:
    write_sitemap(tmp_path, 5)
    before = (tmp_path / "sitemap.xml").read_bytes()
    (tmp_path / "sitemap-3.xml").write_text("left from a larger build", encoding="utf-8")
    assert sitemap.split(tmp_path, BASE, limit=5) == 0
    assert (tmp_path / "sitemap.xml").read_bytes() == before
    assert not (tmp_path / "sitemap-3.xml").exists()


def test_a_large_sitemap_becomes_an_index_of_parts_listing_every_url(tmp_path: Path) -> None:
    locs = write_sitemap(tmp_path, 7)
    assert sitemap.split(tmp_path, BASE, limit=3) == 3
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == f"{NS}sitemapindex"
    parts = [e.findtext(f"{NS}loc") for e in index.findall(f"{NS}sitemap")]
    assert parts == [f"{BASE}sitemap-{n}.xml" for n in (1, 2, 3)]
    listed = []
    for n in (1, 2, 3):
        root = ET.parse(tmp_path / f"sitemap-{n}.xml").getroot()
        assert root.tag == f"{NS}urlset" and len(root) <= 3
        listed += [u.findtext(f"{NS}loc") for u in root]
    assert listed == locs
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == (tmp_path / "sitemap.xml").read_bytes()
