"""The site's address (issue 19): site_url from mkdocs.yml or BANMIAN_SITE_URL, canonical links,
hreflang alternates to the same page in the other script, sitemaps that list every page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from banmian import site
from conftest import ROOT
from test_site import seed_site  # noqa: F401 - the session fixture that builds the site

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def published() -> str:
    url = site.site_url(site.site_config(ROOT))
    assert url, "mkdocs.yml sets site_url"
    return url


def pages_of(site_dir: Path, script: str) -> list[str]:
    """Every page of one script, as a path relative to that script's root."""
    top = site_dir / "zh-Hant" if script == "zh-Hant" else site_dir
    out = []
    for path in sorted(top.rglob("*.html")):
        rel = path.relative_to(top).as_posix()
        if rel == "404.html" or rel.startswith(("zh-Hant/", "assets/")):
            continue
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue  # an old item URL that redirects (banmian.identity): not a page of its own
        out.append(rel)
    return out


def test_site_url_comes_from_the_environment_before_mkdocs_yml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(site.SITE_URL_ENV, raising=False)
    assert site.site_url({"site_url": "https://example.org/edition"}) == "https://example.org/edition/"
    assert site.site_url({}) is None
    monkeypatch.setenv(site.SITE_URL_ENV, "https://fork.github.io/copy/")
    assert site.site_url({"site_url": "https://example.org/edition/"}) == "https://fork.github.io/copy/"
    for bad in ("fork.github.io/copy/", "https://example.org/?h=x", "file:///tmp/site/"):
        monkeypatch.setenv(site.SITE_URL_ENV, bad)
        with pytest.raises(ValueError, match=site.SITE_URL_ENV):
            site.site_url({})


def test_both_scripts_configs_carry_their_own_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    monkeypatch.setenv(site.SITE_URL_ENV, "https://fork.github.io/copy")
    (tmp_path / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    for script, expected in (("zh-Hans", "https://fork.github.io/copy/"), ("zh-Hant", "https://fork.github.io/copy/zh-Hant/")):
        cfg = yaml.safe_load(site.write_config(tmp_path, tmp_path / "stage", script).read_text(encoding="utf-8"))
        assert cfg["site_url"] == expected
        assert cfg["extra"]["bm_site_url"] == "https://fork.github.io/copy/"


@pytest.mark.slow
@pytest.mark.parametrize("script", ["zh-Hans", "zh-Hant"])
def test_every_page_links_its_canonical_url_and_the_same_page_in_both_scripts(seed_site: Path, script: str) -> None:  # noqa: F811
    url = published()
    prefix = site.SCRIPTS[script]["prefix"]
    rels = pages_of(seed_site / "site", script)
    assert len(rels) > 50
    for rel in rels:
        page = (seed_site / "site" / prefix / rel).read_text(encoding="utf-8")
        assert re.findall(r'<link rel="canonical" href="([^"]+)">', page) == [url + prefix + rel], rel
        alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
        assert alternates == {"zh-Hans": url + rel, "zh-Hant": url + "zh-Hant/" + rel, "x-default": url + rel}, rel
        # Material's own alternates point at the sites' roots: none is left
        assert len(re.findall(r'<link rel="alternate"', page)) == 3, rel


@pytest.mark.slow
@pytest.mark.parametrize("script", ["zh-Hans", "zh-Hant"])
def test_sitemap_lists_every_page_with_its_other_script(seed_site: Path, script: str) -> None:  # noqa: F811
    url = published()
    prefix = site.SCRIPTS[script]["prefix"]
    tree = ET.parse(seed_site / "site" / prefix / "sitemap.xml")
    entries = tree.getroot().findall(f"{SITEMAP}url")
    locs = [e.findtext(f"{SITEMAP}loc") for e in entries]
    rels = pages_of(seed_site / "site", script)
    assert sorted(locs) == sorted(url + prefix + rel for rel in rels)
    articles = [p.relative_to(seed_site / "docs").as_posix()[:-3] + ".html" for p in (seed_site / "docs").rglob("*.md")]
    assert articles and {url + prefix + a for a in articles} <= set(locs)
    for entry, loc in zip(entries, locs, strict=True):
        rel = loc.removeprefix(url + prefix)
        links = {a.get("hreflang"): a.get("href") for a in entry.findall(f"{XHTML}link")}
        assert links == {"zh-Hans": url + rel, "zh-Hant": url + "zh-Hant/" + rel}
        assert entry.find(f"{SITEMAP}lastmod") is None  # no build date: the same sitemap from the same pages
