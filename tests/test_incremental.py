"""Incremental site builds: after a correction only changed pages are rendered, and the result,
search index included, is byte-identical to a full build of the same docs/."""

from __future__ import annotations

import filecmp
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from banmian import mkdocs_hooks, site
from conftest import run, seed_edition


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_edition(tmp_path_factory.mktemp("incremental"))


def first_article(docs: Path) -> Path:
    return next(p for p in sorted(docs.rglob("a*.md")) if p.parent != docs)


@pytest.mark.slow
def test_one_correction_rebuilds_few_pages_and_equals_a_full_build(edition: Path) -> None:
    docs, out = edition / "docs", edition / "site"
    first = site.build_site(docs, out, root=edition)
    assert first["full"] == {"zh-Hans": True, "zh-Hant": True}
    before = tree(out)

    article = first_article(docs)
    text = article.read_text(encoding="utf-8")
    body_line = next(line for line in text.splitlines() if len(line) > 20 and not line.startswith(("---", "title:", "#")) and ":" not in line[:12])
    fixed = body_line[:-1] + "（校对）" + body_line[-1]
    article.write_text(text.replace(body_line, fixed, 1), encoding="utf-8")

    again = site.build_site(docs, out, root=edition)
    assert again["full"] == {"zh-Hans": False, "zh-Hant": False}
    after = tree(out)
    changed = sorted(rel for rel in after if before.get(rel) != after[rel])
    html_changed = [rel for rel in changed if rel.endswith(".html")]
    rel_html = site.html_of(article.relative_to(docs).as_posix())
    assert rel_html in html_changed and f"zh-Hant/{rel_html}" in html_changed
    assert len(html_changed) <= 8, html_changed  # the article in both scripts, nothing like the whole site
    index = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("校对" in d["text"] for d in index["docs"] if d["location"].startswith(rel_html))
    assert len(index["docs"]) > 40  # the other pages' entries were kept, not dropped

    full_out = edition / "site-full"
    site.build_site(docs, full_out, root=edition, stage_root=edition / "build" / "stage-full", full=True)
    cmp = filecmp.dircmp(out, full_out)
    assert tree(out) == tree(full_out), (cmp.diff_files, cmp.left_only, cmp.right_only)


@pytest.mark.slow
def test_a_removed_article_leaves_the_site_and_its_search_index(edition: Path) -> None:
    docs, out = edition / "docs", edition / "site"
    site.build_site(docs, out, root=edition)
    gone = sorted(docs.rglob("c*.md"))[0]  # a caption: no other page needs it to build
    rel_html = site.html_of(gone.relative_to(docs).as_posix())
    assert (out / rel_html).is_file()
    gone.unlink()
    report = site.build_site(docs, out, root=edition)
    assert report["full"] == {"zh-Hans": False, "zh-Hant": False}
    assert not (out / rel_html).exists() and not (out / "zh-Hant" / rel_html).exists()
    for base in (out, out / "zh-Hant"):
        index = json.loads((base / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert not [d for d in index["docs"] if d["location"].startswith(rel_html)]


@pytest.mark.slow
def test_a_theme_or_config_change_forces_a_full_build(edition: Path) -> None:
    docs, out = edition / "docs", edition / "site"
    site.build_site(docs, out, root=edition)
    cfg = edition / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("site_name: 版面", "site_name: 版面测试", 1), encoding="utf-8")
    report = site.build_site(docs, out, root=edition)
    assert report["full"] == {"zh-Hans": True, "zh-Hant": True}
    assert "版面测试" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_strict_fails_on_a_broken_link_a_proofreader_added(edition: Path) -> None:
    article = first_article(edition / "docs")
    article.write_text(article.read_text(encoding="utf-8") + "\n参见[另一篇](no-such-article.md)。\n", encoding="utf-8")
    r = run("site", "--docs", "docs", "--site", "site-strict", "--strict", cwd=edition)
    assert r.returncode == 1
    assert "no-such-article.md" in r.stderr and "strict" in r.stderr
    r = run("site", "--docs", "docs", "--site", "site-strict", cwd=edition)
    assert r.returncode == 0 and "WARNING" in r.stderr and "no-such-article.md" in r.stderr


def seed_texts(seed_pages: dict) -> list[str]:
    from banmian.pipeline import process_page

    return ["".join(item.paragraphs) for page in seed_pages.values() for item in process_page(page).items if item.paragraphs][:20]


def test_segment_cache_gives_materials_own_segmentation(seed_pages: dict, tmp_path: Path) -> None:
    from material.plugins.search.plugin import SearchIndex

    cache = mkdocs_hooks.SegmentCache(tmp_path / "seg.json", "zh-Hans", None)
    material = SearchIndex()
    texts = seed_texts(seed_pages)
    assert texts
    for text in texts:
        assert cache.segment(text) == material._segment_chinese(text)
    cache.save(keep_unused=False)
    again = mkdocs_hooks.SegmentCache(tmp_path / "seg.json", "zh-Hans", None)
    assert len(again.entries) == len(set(texts))
    assert again.segment(texts[0]) == material._segment_chinese(texts[0])


def test_traditional_text_is_cut_where_its_simplified_form_is(seed_pages: dict, tmp_path: Path) -> None:
    from banmian import convert

    simple = mkdocs_hooks.SegmentCache(None, "zh-Hans", None)
    trad = mkdocs_hooks.SegmentCache(None, "zh-Hant", None)
    same = 0
    for text in seed_texts(seed_pages):
        t = convert.to_traditional(text)
        seg_t = trad.segment(t)
        assert seg_t.replace("\u200b", "") == t.replace("\u200b", "")  # boundaries only, never text
        if len(t) == len(text):
            # the same cuts: word lengths agree one to one
            assert [len(w) for w in seg_t.split("\u200b")] == [len(w) for w in simple.segment(text).split("\u200b")]
            same += 1
    assert same >= 15


def test_shared_segments_give_what_each_build_would_cut_alone(seed_pages: dict, tmp_path: Path) -> None:
    """The traditional build finds the cuts the simplified build made (no jieba run of its own)
    and gets exactly what it would have cut alone; texts whose runs do not convert still work."""
    from banmian import convert

    shared = tmp_path / "shared.sqlite"
    texts = seed_texts(seed_pages)
    simple = mkdocs_hooks.SegmentCache(None, "zh-Hans", None, shared)
    for text in texts:
        assert simple.segment(text) == mkdocs_hooks.SegmentCache(None, "zh-Hans", None).segment(text)
    simple.save(keep_unused=False)  # closes the store, as a build's end does

    alone = mkdocs_hooks.SegmentCache(None, "zh-Hant", None)
    trad = mkdocs_hooks.SegmentCache(None, "zh-Hant", None, shared)
    cuts: list[str] = []
    trad._cut = lambda run: cuts.append(run) or list(alone.jieba.cut(run))  # type: ignore[method-assign]
    found = 0
    for text in texts:
        t = convert.to_traditional(text)
        before = len(cuts)
        assert trad.segment(t) == alone.segment(t)
        if trad._simplified(t) == text:  # in the store: not cut again
            assert len(cuts) == before
            found += 1
    assert found >= 15
    assert trad.segment("今年1至8月份，鄭州") == alone.segment("今年1至8月份，鄭州")  # not in the store: cut here


def test_jieba_is_loaded_only_when_a_text_is_not_cached(seed_pages: dict, tmp_path: Path) -> None:
    user = tmp_path / "user.txt"
    user.write_text("熊建国 100000\n", encoding="utf-8")
    texts = seed_texts(seed_pages)[:3]
    first = mkdocs_hooks.SegmentCache(tmp_path / "seg.json", "zh-Hans", str(user))
    assert not first.user_dict_loaded
    for text in texts:
        first.segment(text)
    assert first.user_dict_loaded
    first.save(keep_unused=False)
    again = mkdocs_hooks.SegmentCache(tmp_path / "seg.json", "zh-Hans", str(user))
    assert [again.segment(t) for t in texts] == [first.segment(t) for t in texts]
    assert not again.user_dict_loaded  # every text came from the cache


@pytest.mark.slow
@pytest.mark.parametrize("search", ["lunr", "pagefind"])
def test_build_shortcuts_give_the_same_bytes_as_plain_rendering(edition: Path, tmp_path: Path, search: str) -> None:
    """Navigation, header and the other page-independent parts rendered once per folder depth,
    one Markdown converter for all pages, JSON front matter and raw-source views kept out of
    Markdown (banmian.mkdocs_hooks) are only faster: every page's HTML is the same, in both
    search modes (Pagefind's adds its script to the cached scripts block)."""
    import yaml

    stage_root = tmp_path / "stage"
    site.stage(edition / "docs", stage_root, edition)
    for script in site.SCRIPTS:
        cfg_path = site.write_config(edition, stage_root, script, search)
        built = {}
        for shortcuts in (True, False):
            cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
            cfg["extra"]["bm_build"]["shortcuts"] = shortcuts
            cfg["site_dir"] = str(tmp_path / f"{script}-{shortcuts}")
            variant = cfg_path.with_name(f"mkdocs-{shortcuts}.yml")
            variant.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
            r = subprocess.run([sys.executable, "-m", "banmian.mkdocs_run", str(variant)], capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
            built[shortcuts] = tree(Path(cfg["site_dir"]))
        assert any(rel.endswith("source.html") for rel in built[True])  # raw-source views were built
        assert built[True] == built[False], [rel for rel in built[True] if built[True][rel] != built[False].get(rel)][:5]


def _mkdocs(cfg_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "banmian.mkdocs_run", str(cfg_path), *args], capture_output=True, text=True)


def _render_cache(cfg_path: Path) -> dict:
    with (cfg_path.parent / "render-cache.pickle").open("rb") as f:
        return pickle.load(f)


@pytest.mark.slow
def test_render_cache_is_used_and_gives_the_same_bytes(edition: Path, tmp_path: Path) -> None:
    """A full re-render takes each page's HTML from the previous build (nothing converted again)
    and writes the same site as a build from nothing."""
    stage_root = tmp_path / "stage"
    site.stage(edition / "docs", stage_root, edition)
    cfg_path = site.write_config(edition, stage_root, "zh-Hant")
    assert _mkdocs(cfg_path).returncode == 0
    fresh = tree(stage_root / "zh-Hant" / "site")
    entries = _render_cache(cfg_path)["entries"]
    staged = list((stage_root / "zh-Hant" / "docs").rglob("*.md"))
    assert len(entries) >= len(staged) - 1  # every page but the proofreading list, whose link check warns about nothing
    r = _mkdocs(cfg_path)
    assert r.returncode == 0, r.stderr
    assert tree(stage_root / "zh-Hant" / "site") == fresh

    # the cached HTML is what the second build wrote: a marked entry shows up in the page
    data = _render_cache(cfg_path)
    entry = next(e for e in data["entries"].values() if "<p>" in e["content"])
    entry["content"] = entry["content"].replace("<p>", "<p>CACHED-ENTRY ", 1)
    with (cfg_path.parent / "render-cache.pickle").open("wb") as f:
        pickle.dump(data, f)
    assert _mkdocs(cfg_path).returncode == 0
    built = tree(stage_root / "zh-Hant" / "site")
    assert sum(b"CACHED-ENTRY" in data for rel, data in built.items() if rel.endswith(".html")) == 1  # one page (and the search index)


@pytest.mark.slow
def test_render_cache_renders_again_when_a_link_target_vanishes(tmp_path: Path) -> None:
    """A cached page is reused only while its links resolve as before: with a target gone, the
    page is rendered again and MkDocs' warning about the broken link is shown (and --strict fails)."""
    edition = seed_edition(tmp_path / "edition")  # its own: another test adds a broken link to the shared one
    stage_root = tmp_path / "stage"
    site.stage(edition / "docs", stage_root, edition)
    cfg_path = site.write_config(edition, stage_root, "zh-Hans")
    assert _mkdocs(cfg_path, "--strict").returncode == 0
    docs = stage_root / "zh-Hans" / "docs"
    page_view = next(p for p in sorted(docs.glob("*/index.md")) if "](source.md" in p.read_text(encoding="utf-8"))
    (page_view.parent / "source.md").unlink()
    r = _mkdocs(cfg_path, "--strict")
    assert r.returncode != 0
    assert f"'{page_view.relative_to(docs).as_posix()}' contains a link 'source.md" in r.stderr


@pytest.mark.slow
def test_full_build_writes_over_the_previous_one(edition: Path, tmp_path: Path) -> None:
    """A full build keeps each file's inode (site/'s hard links stay valid, nothing is linked
    again), removes what it no longer makes, and equals a build into an empty folder."""
    stage_root = tmp_path / "stage"
    site.stage(edition / "docs", stage_root, edition)
    cfg_path = site.write_config(edition, stage_root, "zh-Hans")
    built = stage_root / "zh-Hans" / "site"
    assert _mkdocs(cfg_path).returncode == 0
    page = next(p for p in sorted(built.rglob("a*.html")) if p.parent != built)
    inode = page.stat().st_ino
    (built / "gone" / "old.html").parent.mkdir()
    (built / "gone" / "old.html").write_text("left from an earlier build", encoding="utf-8")
    (built / "assets" / "old.css").write_text("a renamed asset", encoding="utf-8")
    (built / ".hidden").write_text("MkDocs leaves hidden entries of site_dir alone", encoding="utf-8")
    docs = stage_root / "zh-Hans" / "docs"
    removed = next(p for p in sorted(docs.rglob("c*.md")) if p.parent != docs)
    removed.unlink()
    r = _mkdocs(cfg_path)
    assert r.returncode == 0, r.stderr
    assert page.stat().st_ino == inode
    assert not (built / "gone").exists() and not (built / "assets" / "old.css").exists()
    assert not (built / removed.relative_to(docs).with_suffix(".html")).exists()
    assert (built / ".hidden").is_file()
    (built / ".hidden").unlink()
    assert not list(built.parent.glob(".*build-started"))  # the marker is gone
    fresh = tmp_path / "fresh"
    cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    cfg["site_dir"] = str(fresh)
    variant = cfg_path.with_name("mkdocs-fresh.yml")
    variant.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    assert _mkdocs(variant).returncode == 0
    assert tree(built) == tree(fresh)


def test_in_place_build_refuses_when_the_clock_went_back(tmp_path: Path) -> None:
    from mkdocs import utils

    from banmian.mkdocs_run import InPlace

    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "stale.html").write_text("old", encoding="utf-8")
    os.utime(site_dir / "stale.html", ns=(0, 0))
    over = InPlace(site_dir)
    with over.writing():
        utils.clean_directory(str(site_dir))  # a no-op while writing in place
        utils.write_file(b"new", str(site_dir / "page.html"))
    assert (site_dir / "stale.html").is_file()
    os.utime(site_dir / "page.html", ns=(0, 0))  # stamped before the build started: the clock went back
    assert over.finish() is False
    assert (site_dir / "stale.html").is_file() and (site_dir / "page.html").is_file()
    over = InPlace(site_dir)
    with over.writing():
        utils.write_file(b"new", str(site_dir / "page.html"))
    assert over.finish() is True
    assert sorted(p.name for p in site_dir.iterdir()) == ["page.html"]


def test_json_front_matter_reads_as_mkdocs_reads_it(edition: Path, tmp_path: Path) -> None:
    from mkdocs.utils import meta

    upstream = getattr(meta.get_data, "bm_upstream", meta.get_data)
    site.stage(edition / "docs", tmp_path, edition)
    staged = sorted((tmp_path / "zh-Hant" / "docs").rglob("*.md"))
    assert len(staged) > 50
    fast_read = 0
    for path in staged:
        text = path.read_text(encoding="utf-8")
        fast = mkdocs_hooks._json_front(text)
        if fast is None:  # block YAML (the proofreading page): MkDocs' own reader takes it
            assert not text.startswith("---\n{"), path
            continue
        fast_read += 1
        assert fast == upstream(text), path
    assert fast_read >= 0.9 * len(staged)
    hand_written = "---\ntitle: 手写\n---\n\n正文\n"
    assert mkdocs_hooks._json_front(hand_written) is None  # YAML front matter: MkDocs reads it


def test_staging_after_a_correction_converts_only_what_changed(edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Staging remembers what each staged file was made from: a correction converts the corrected
    article again, not the archive, and the result equals staging from nothing."""
    from banmian import convert

    stage_root = tmp_path / "stage"
    site.stage(edition / "docs", stage_root, edition)
    article = first_article(edition / "docs")
    original = article.read_text(encoding="utf-8")
    article.write_text(original.rstrip("\n") + "\n\n校对补记。\n", encoding="utf-8")
    try:
        converted: list[str] = []
        real = convert.Converter.convert

        def counting(self: convert.Converter, text: str) -> str:
            converted.append(text)
            return real(self, text)

        monkeypatch.setattr(convert.Converter, "convert", counting)
        site.stage(edition / "docs", stage_root, edition)
        monkeypatch.undo()
        whole_files = [t for t in converted if t.startswith("---\n")]
        assert len(whole_files) == 1 and "校对补记" in whole_files[0]  # the corrected article, nothing else
        site.stage(edition / "docs", tmp_path / "fresh", edition)
        for script in site.SCRIPTS:
            assert tree(stage_root / script / "docs") == tree(tmp_path / "fresh" / script / "docs")
    finally:
        article.write_text(original, encoding="utf-8")
