"""Incremental site builds: after a correction only changed pages are rendered, and the result,
search index (bm-search/) included, is byte-identical to a full build of the same docs/."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from banmian import mkdocs_hooks, site
from conftest import run


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory, ingested_copy) -> Path:
    return ingested_copy(tmp_path_factory.mktemp("incremental"))


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
    from test_search import query

    assert rel_html in query(out / "bm-search", "（校对）"), "the corrected text is searchable"
    assert len(query(out / "bm-search", "的")) > 20  # the other entries were kept, not dropped

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
    from test_search import entries

    assert rel_html not in {e["u"] for e in entries(out / "bm-search")}


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


@pytest.mark.slow
def test_hooks_give_the_same_bytes_as_plain_mkdocs(edition: Path, tmp_path: Path) -> None:
    """JSON front matter read with json.loads and raw-source views kept out of Markdown
    (banmian.mkdocs_hooks) are only faster: every file is what MkDocs writes without the hooks."""

    stage_root = tmp_path / "stage"
    site.stage(edition / "docs", stage_root, edition)
    for script in site.SCRIPTS:
        cfg_path = site.write_config(edition, stage_root, script)
        built = {}
        for hooks in (True, False):
            cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
            if not hooks:
                del cfg["hooks"]
            cfg["site_dir"] = str(tmp_path / f"{script}-{hooks}")
            variant = cfg_path.with_name(f"mkdocs-{hooks}.yml")
            variant.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
            r = subprocess.run([sys.executable, "-m", "banmian.mkdocs_run", str(variant)], capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
            built[hooks] = tree(Path(cfg["site_dir"]))
        assert any(rel.endswith("source.html") for rel in built[True])  # raw-source views were built
        assert built[True] == built[False], [rel for rel in built[True] if built[True][rel] != built[False].get(rel)][:5]


def _mkdocs(cfg_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "banmian.mkdocs_run", str(cfg_path), *args], capture_output=True, text=True)


def test_json_front_matter_reads_as_mkdocs_reads_it(edition: Path, tmp_path: Path) -> None:
    from mkdocs.utils.meta import get_data

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
        assert fast == get_data(text), path
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
