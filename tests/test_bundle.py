"""The offline bundle: built from the seeds, unzipped, every relative link must end at a file.

The seed edition is built once per test session (ingest → site → bundle through the real CLI,
in a temporary folder with a copy of mkdocs.yml); test_browser_offline.py reuses it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from banmian import bundle

ROOT = Path(__file__).resolve().parent.parent
_BUILT: dict[str, Path] = {}


def run_cli(work: Path, *args: str) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    proc = subprocess.run([sys.executable, "-m", "banmian", *args], cwd=work, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"banmian {' '.join(args)} failed:\n{proc.stderr[-3000:]}"


def build_seed_bundle(base: Path) -> Path:
    """ingest → site → bundle for the seeds under ``base``; returns the unzipped bundle's root."""
    if "root" in _BUILT:
        return _BUILT["root"]
    work = base / "edition"
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(ROOT / "source_texts", work / "source_texts")  # the raw-source views read them from here
    run_cli(work, "ingest", "--source", "source_texts", "--docs", "docs")
    run_cli(work, "site", "--docs", "docs", "--site", "site")
    run_cli(work, "bundle", "--site", "site", "--out", "dist/offline.zip")
    unzipped = work / "unzipped"
    with zipfile.ZipFile(work / "dist" / "offline.zip") as zf:
        zf.extractall(unzipped)
    _BUILT.update(root=unzipped / bundle.ROOT_NAME, zip=work / "dist" / "offline.zip", site=work / "site")
    return _BUILT["root"]


@pytest.fixture(scope="session")
def seed_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_seed_bundle(tmp_path_factory.mktemp("bundle"))


class Refs(HTMLParser):
    """Every href/src on a page, with its tag and rel (an independent reading, not bundle's)."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.toggles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and "data-banmian-toggle" in a and a.get("href"):
            self.toggles.append(str(a["href"]))
        for attr in ("href", "src"):
            if a.get(attr):
                self.refs.append((tag, str(a.get("rel") or ""), str(a[attr])))


def parse(path: Path) -> Refs:
    parser = Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_refs(path: Path) -> list[tuple[str, str, str]]:
    return parse(path).refs


def search_text(root: Path) -> str:
    """Everything the one search index shows of its entries (both scripts' forms)."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted((root / "bm-search" / "m").glob("*.js")))


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


@pytest.mark.slow
def test_every_relative_link_in_the_bundle_is_a_file_inside_it(seed_bundle: Path) -> None:
    root = seed_bundle.resolve()
    checked, broken = 0, []
    for page in html_files(root):
        for tag, _rel, url in page_refs(page):
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//")) or not parts.path:
                continue
            if Path(parts.path).name == bundle.BUNDLE_FILE:
                continue  # the hosted site's download link: the zip is published beside the site, not in itself
            target = (page.parent / unquote(parts.path)).resolve()
            checked += 1
            if not target.is_relative_to(root) or not target.is_file():
                broken.append(f"{page.relative_to(root)}: <{tag}> {url}")
    assert checked > 1000, "the link checker saw almost no links: is the bundle empty?"
    assert not broken, "\n".join(broken[:30])


@pytest.mark.slow
def test_no_page_loads_anything_from_outside(seed_bundle: Path) -> None:
    loads = []
    for page in html_files(seed_bundle):
        for tag, rel, url in page_refs(page):
            outside = bool(urlsplit(url).scheme) or url.startswith("//")
            if outside and (tag in {"script", "img", "iframe"} or (tag == "link" and rel in {"stylesheet", "preconnect", "icon", "preload"})):
                loads.append(f"{page.relative_to(seed_bundle)}: <{tag}> {url}")
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        assert 'data-md-component="source"' not in text, f"{page}: the header would fetch repository facts from api.github.com"
    assert not loads, "\n".join(loads[:30])


@pytest.mark.slow
def test_both_scripts_are_complete_offline_sites(seed_bundle: Path) -> None:
    for root in (seed_bundle, seed_bundle / "zh-Hant"):
        assert (root / "index.html").is_file()
        assert (root / "assets" / "bm-search.js").is_file()
        assert 'src="' in (root / "index.html").read_text(encoding="utf-8")
    assert (seed_bundle / "bm-search" / "index.js").is_file(), "the search index (one for both scripts) is missing"
    assert not (seed_bundle / "zh-Hant" / "bm-search").exists()
    assert "西集镇" in search_text(seed_bundle) and "西集鎮" in search_text(seed_bundle)
    for server_only in ("404.html", "sitemap.xml"):
        assert not (seed_bundle / server_only).exists()


@pytest.mark.slow
def test_script_toggle_goes_to_the_same_page_in_the_other_script(seed_bundle: Path) -> None:
    pairs = 0
    for page in html_files(seed_bundle):
        rel = page.relative_to(seed_bundle)
        in_hant = rel.parts[0] == "zh-Hant"
        toggles = parse(page).toggles
        assert len(toggles) == 1, f"{rel}: expected one script toggle, found {toggles}"
        href = toggles[0]
        target = (page.parent / href).resolve().relative_to(seed_bundle.resolve())
        expected = Path(*rel.parts[1:]) if in_hant else Path("zh-Hant", *rel.parts)
        assert target == expected, f"{rel}: toggle goes to {target}, expected {expected}"
        pairs += 1
    assert pairs > 100


def test_bundle_is_byte_identical_for_the_same_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "zh-Hant" / "assets").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "index.html").write_text('<a href="zh-Hant/index.html">繁體</a>', encoding="utf-8")
    (site / "zh-Hant" / "index.html").write_text('<a href="../index.html">简体</a>', encoding="utf-8")
    one = bundle.make_bundle(site, tmp_path / "a.zip")
    two = bundle.make_bundle(site, tmp_path / "b.zip")
    assert hashlib.sha256(one.read_bytes()).digest() == hashlib.sha256(two.read_bytes()).digest()
    names = zipfile.ZipFile(one).namelist()
    assert names == sorted(names)


def test_bundle_refuses_a_site_that_loads_from_unpkg(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<script src="https://unpkg.com/some/shim"></script>', encoding="utf-8")
    with pytest.raises(bundle.BundleError, match="unpkg"):
        bundle.make_bundle(site, tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def test_audit_tells_links_from_loads() -> None:
    files = {
        "index.html": (
            b'<a href="https://github.com/x/y">repo</a><a href="a/">dir</a><a href="a/b.html#top">ok</a>'
            b'<a href="missing.html">gone</a><a href="../banmian-offline.zip">download</a><img src="/abs.png"><link rel="stylesheet" href="https://cdn.example/x.css">'
        ),
        "a/b.html": b'<a href="../../outside.html">up</a><a href="#here">anchor</a>',
    }
    problems = "\n".join(bundle.audit(files))
    assert "github.com" not in problems  # a link a reader may click is not a request
    assert "index.html:1: <a href> a/ → a: 是文件夹" in problems and "a folder, not a file" in problems
    assert "missing.html → missing.html: 文件不存在 / missing" in problems
    assert "<img src> /abs.png: 绝对路径" in problems and "is absolute" in problems
    assert "cdn.example/x.css: 从离线包之外加载 / loads from outside the bundle" in problems
    assert "a/b.html:1: <a href> ../../outside.html: 链接离开了离线包 / leaves the bundle" in problems
    assert "#here" not in problems and "b.html#top" not in problems
    assert "banmian-offline.zip" not in problems  # the hosted download link names the bundle itself
