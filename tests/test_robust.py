"""Bad and hostile input (issue 15): every case a clear ``file:line`` message, never a traceback,
a hang, a lost file or a silently wrong result. Fast: the functions are called directly; the
cases that need a built site are marked ``slow``."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
import yaml

from banmian import yamlload
from banmian.check import check_docs, check_text
from banmian.emit import is_hand_edited, split_file
from banmian.reader import read_pages
from conftest import ROOT, items_of, run_here
from conftest import run as run_banmian

ARTICLE_DIR = "000_313d489b37d45823"
ARTICLE = items_of(ROOT / "docs" / ARTICLE_DIR)[0]  # the page's first article
ARTICLE_ID = f"{ARTICLE_DIR}-{ARTICLE.stem}"
OTHER_ID = f"{ARTICLE_DIR}-{items_of(ROOT / 'docs' / ARTICLE_DIR)[6].stem}"
BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n' + "".join(
    f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("bcdefgh", "cdefghi", strict=True)
)


def article(**replace: str) -> str:
    """The first seed article with front-matter lines replaced (``key=new line``) or added (``extra``)."""
    text = ARTICLE.read_text(encoding="utf-8")
    for key, new in replace.items():
        if key == "extra":
            text = text.replace("\ngenerated:", "\n" + new + "generated:", 1)
            continue
        old = next(line for line in text.splitlines() if line.startswith(f"{key}:") or line.startswith(f"  {key}:"))
        text = text.replace(old, new, 1)
    return text


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


# case: (front-matter replacements, start of the line the message must name, words it must hold)
BAD_FRONT_MATTER = {
    "impossible date, unquoted": (dict(date="date: 2013-02-30"), "date:", "not a real date"),
    "impossible date, quoted": (dict(date="date: '2013-99-99'"), "date:", "not a real date"),
    "5,000-deep nesting": (dict(extra="x: " + "[" * 5000 + "]" * 5000 + "\n"), "x:", "nested deeper"),
    "alias bomb": (dict(extra=BOMB), "b:", "aliases"),
    "duplicate key": (dict(extra="title: 又一个标题\n"), "title: 又一个标题", "duplicate key 'title'"),
    "line range backwards": (dict(lines="  lines: [99999999, 1]"), "source:", "first <= last"),
    "changed id": (dict(id=f"id: {OTHER_ID}"), "id:", "does not match the file's place"),
    "54 MB title": (dict(title="title: " + "长" * (18 * 1024 * 1024)), "title:", "too long"),
}


@pytest.mark.parametrize("case", sorted(BAD_FRONT_MATTER))
def test_check_refuses_bad_front_matter_with_file_and_line(case: str) -> None:
    replace, start, words = BAD_FRONT_MATTER[case]
    text = article(**replace)
    started = time.perf_counter()
    problems = check_text(text, "docs/x/a01.md", ARTICLE_ID)
    assert time.perf_counter() - started < 30  # a hang or a bomb takes minutes; a busy machine takes a few seconds
    assert [p.line for p in problems] == [line_of(text, start)], problems
    assert words in problems[0].message
    assert len(problems[0].message) < 400  # the 54 MB title is not quoted back


def test_the_seed_article_itself_passes() -> None:
    assert check_text(article(), "docs/x/a01.md", ARTICLE_ID) == []


def test_check_docs_names_oversized_and_non_utf8_files(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a01.md").write_bytes(b"x" * (1024 * 1024 + 1))
    (tmp_path / "p" / "a02.md").write_bytes(b"---\nid: p-a02\n" + "\n标题\n".encode("gb18030"))
    count, problems = check_docs(tmp_path)
    assert count == 2
    assert [(Path(p.path).name, p.line) for p in problems] == [("a01.md", 1), ("a02.md", 4)]
    assert "too large" in problems[0].message and "not UTF-8" in problems[1].message


def test_alias_bomb_is_refused_quickly_everywhere() -> None:
    text = article(extra=BOMB)
    started = time.perf_counter()
    with pytest.raises(yaml.YAMLError):
        split_file(text)
    assert is_hand_edited(text)  # ingest keeps it (and reports it) instead of expanding it
    assert time.perf_counter() - started < 10


def test_alias_bomb_in_a_page_record_is_refused_by_check_with_the_line(tmp_path: Path) -> None:
    """page.yml is read by ``check`` as ``site`` reads it (banmian.yamlload): a bomb is named, not expanded."""
    folder = tmp_path / "docs" / ARTICLE_DIR
    folder.mkdir(parents=True)
    record = (ROOT / "docs" / ARTICLE_DIR / "page.yml").read_text(encoding="utf-8")
    (folder / "page.yml").write_text(record + BOMB, encoding="utf-8")
    started = time.perf_counter()
    _, problems = check_docs(tmp_path / "docs")
    assert time.perf_counter() - started < 10
    shown = [p for p in problems if p.path.endswith("page.yml")]
    assert [p.line for p in shown] == [record.count("\n") + 2] and "aliases" in shown[0].message, shown


def test_yaml_loader_keeps_dates_as_written_and_refuses_what_it_must() -> None:
    assert yamlload.load("date: 2013-02-30\nwhen: 2013-09-20") == {"date": "2013-02-30", "when": "2013-09-20"}
    assert yamlload.load("a: 1\na: 2") == {"a": 2}  # duplicates are only refused where asked (check, manifests)
    with pytest.raises(yamlload.Refused, match="duplicate key"):
        yamlload.load("a: 1\na: 2", duplicates=True)
    with pytest.raises(yamlload.Refused) as info:
        yamlload.load("a: &x [1]\nb: *x")
    assert info.value.problem_mark.line == 1


def test_manifest_with_impossible_date_is_named_and_the_rest_ingested(tmp_path: Path) -> None:
    src = tmp_path / "pages"
    src.mkdir()
    for seed in sorted((ROOT / "source_texts").glob("*.txt"))[:2]:
        (src / seed.name).write_bytes(seed.read_bytes())
    names = sorted(p.name for p in src.iterdir())
    (src / "manifest.yml").write_text(f"pages:\n  {names[0]}: {{date: 2013-02-30}}\n  {names[1]}: {{date: 2013-09-20}}\n", encoding="utf-8")
    read = read_pages(src, display_root="pages")
    assert [str(e) for e in read.errors] == [f"pages/manifest.yml:2: {read.errors[0].message}"]
    assert "2013-02-30" in read.errors[0].message and "real date" in read.errors[0].message
    assert [p.meta.date for p in read.pages] == [None, "2013-09-20"]


@pytest.mark.parametrize("body", [BOMB, "a: 1\na: 2\n", "x: " + "[" * 5000 + "]" * 5000 + "\n"])
def test_manifest_refuses_bombs_duplicates_and_nesting(tmp_path: Path, body: str) -> None:
    src = tmp_path / "pages"
    src.mkdir()
    seed = sorted((ROOT / "source_texts").glob("*.txt"))[0]
    (src / seed.name).write_bytes(seed.read_bytes())
    (src / "manifest.yml").write_text(body, encoding="utf-8")
    started = time.perf_counter()
    read = read_pages(src, display_root="pages")
    assert time.perf_counter() - started < 30
    assert len(read.errors) == 1 and read.errors[0].line and "manifest ignored" in read.errors[0].message
    assert len(read.pages) == 1


def test_check_command_exits_1_with_file_line(tmp_path: Path) -> None:
    (tmp_path / "docs" / ARTICLE_DIR).mkdir(parents=True)
    (tmp_path / "docs" / ARTICLE_DIR / ARTICLE.name).write_text(article(date="date: 2013-02-30"), encoding="utf-8")
    r = run_banmian("check", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stdout.startswith(f"docs/{ARTICLE_DIR}/{ARTICLE.name}:{line_of(article(), 'date:')}: ")


# ---------------------------------------------------------------- output folders the tool owns


def edition(tmp_path: Path, ingested_copy) -> Path:
    """A small edition: mkdocs.yml, two seed pages in source_texts/, their docs/, a .git folder."""
    work = ingested_copy(tmp_path / "ed", pages=2)
    (work / ".git").mkdir()
    (work / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return work


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def outside_build(files: dict[str, bytes]) -> dict[str, bytes]:
    """A snapshot without build/ (which holds the lock file, rewritten by every run)."""
    return {k: v for k, v in files.items() if "build/" not in k}


@pytest.mark.parametrize("target", [".", "docs", "source_texts", ".git", "..", "docs/inner", "source_texts/x", "user", "user/inner/.."])
def test_site_refuses_folders_it_does_not_own_and_touches_nothing(tmp_path: Path, target: str, ingested_copy) -> None:
    work = edition(tmp_path, ingested_copy)
    (work / "user").mkdir()
    (work / "user" / "notes.txt").write_text("mine", encoding="utf-8")
    (work / "user" / "inner").mkdir()
    before = snapshot(tmp_path)
    r = run_here("site", "--site", target, cwd=work)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and f"{target}: " in r.stderr and "--site" in r.stderr
    after = snapshot(tmp_path)
    assert outside_build(after) == outside_build(before)


def test_bundle_refuses_protected_places_and_files_it_did_not_make(tmp_path: Path, ingested_copy) -> None:
    work = edition(tmp_path, ingested_copy)
    (work / "site").mkdir()
    (work / "site" / "index.html").write_text("<p>site</p>", encoding="utf-8")
    (work / "dist").mkdir()
    (work / "dist" / "other.zip").write_bytes(b"not a zip")
    before = snapshot(work)
    for out in ("docs/x.zip", "source_texts/000.txt", ".git/x.zip", "mkdocs.yml", "dist/other.zip", "dist"):
        r = run_here("bundle", "--out", out, cwd=work)
        assert r.returncode == 2 and r.stderr.startswith(f"{out}: ") and "Traceback" not in r.stderr, (out, r.stderr)
    assert outside_build(snapshot(work)) == outside_build(before)


def test_sync_tree_removes_only_what_it_recorded_writing(tmp_path: Path) -> None:
    from banmian.owned import claim
    from banmian.site import sync_tree

    src, site = tmp_path / "built", tmp_path / "site"
    (src / "a").mkdir(parents=True)
    for name in ("index.html", "a/one.html", "a/two.html"):
        (src / name).write_text(name, encoding="utf-8")
    owned = claim(site, tmp_path / "edition", "--site")
    written: set[str] = set()
    assert sync_tree(src, site, owned=owned, written=written) == 3
    owned.save(written)
    (site / "a" / "mine.txt").write_text("a reader's note", encoding="utf-8")
    (src / "a" / "two.html").unlink()  # a page the build no longer makes
    owned = claim(site, tmp_path / "edition", "--site")
    written = set()
    sync_tree(src, site, owned=owned, written=written)
    owned.save(written)
    assert sorted(snapshot(site)) == [".banmian-output", "a/mine.txt", "a/one.html", "index.html"]


def test_bench_refuses_a_work_folder_it_did_not_make(tmp_path: Path, ingested_copy) -> None:
    work = edition(tmp_path, ingested_copy)
    (work / "mine").mkdir()
    (work / "mine" / "data.txt").write_text("keep", encoding="utf-8")
    for target in ("mine", ".", "docs"):
        r = run_here("bench", "--pages", "1", "--work", target, cwd=work)
        assert r.returncode == 2 and r.stderr.startswith(f"{target}: ") and "--work" in r.stderr, r.stderr
    assert (work / "mine" / "data.txt").read_text(encoding="utf-8") == "keep"
    assert len(list((work / "docs").rglob("*.md"))) > 0


def test_bundle_on_a_full_disk_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import zipfile

    from banmian import bundle

    def full(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    with pytest.raises(bundle.BundleError, match="No space left"):
        bundle.write_zip({"index.html": b"<p>x</p>"}, tmp_path / "dist" / "x.zip")
    assert list((tmp_path / "dist").iterdir()) == []


def test_second_run_on_the_same_tree_is_told_another_holds_the_lock(tmp_path: Path, ingested_copy) -> None:
    from banmian.owned import tree_lock

    work = edition(tmp_path, ingested_copy)
    before = snapshot(work / "docs")
    with tree_lock(work, "site"):
        for command in ("ingest", "site", "build", "bundle"):
            r = run_banmian(command, cwd=work)
            assert r.returncode == 2 and "another banmian run holds the lock" in r.stderr, r.stderr
            assert "banmian site" in r.stderr and "Traceback" not in r.stderr
    assert snapshot(work / "docs") == before
    assert run_banmian("ingest", cwd=work).returncode == 0  # released with its holder


# ---------------------------------------------------------------- child processes are bounded


def test_a_hung_child_is_stopped_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    from banmian import limits, proc

    monkeypatch.setattr(limits, "limits", lambda: {"mkdocs_timeout_s": 1})
    # the child starts a grandchild that would outlive it
    code = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    started = time.perf_counter()
    child = proc.start([sys.executable, "-c", code], stdout=subprocess.DEVNULL)
    with pytest.raises(proc.TimedOut, match=r"MkDocs \(zh-Hans\): .*did not finish within 1 s.*mkdocs_timeout_s"):
        proc.wait(child, "mkdocs_timeout_s", "MkDocs (zh-Hans)")
    assert time.perf_counter() - started < 30  # a 1 s limit; the child would sleep 60 s
    deadline = time.monotonic() + 10  # SIGKILL is delivered asynchronously
    while running_in_group(child.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert running_in_group(child.pid) == []  # the whole group is gone, grandchild included


def running_in_group(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


# ---------------------------------------------------------------- text that must come out as it went in

ODD_PAGE = (
    "计划生育新进展\U000f0001标题\n\n"
    "本报讯 计划生育工作取得新进展，见@@BM-SITE-ROOT@@与@@BM-SCRIPT-PREFIX@@，还有-{测试发展}-和私用\U000f0000字\U0010fffd。群众满意。\n\n"
    "(通讯员 张三)\n\n"
    "第二篇-{发展}-标题\n\n"
    "这是正文，内容完整，没有别的东西。\n\n"
    "(通讯员 李四)\n"
)


def test_supplementary_private_use_characters_survive_conversion() -> None:
    from banmian.convert import Converter

    text = "私用\U000f0000字\U000f0005\U0010fffd发展-{发展}-"
    assert Converter().convert(text) == "私用\U000f0000字\U000f0005\U0010fffd發展发展"


def test_staged_front_matter_keeps_protection_marks_of_values_as_text() -> None:
    from banmian import convert
    from banmian.site import split_front, staged_front

    staged = staged_front({"title": "第二篇-{发展}-标题", "bm_crumbs": [{"label": "-{x}-"}], "bm": {"cite": convert.protect("发展 2013")}})
    assert split_front(convert.Converter().convert(staged), Path("x.md"))[0] == {
        "title": "第二篇-{發展}-標題", "bm_crumbs": [{"label": "-{x}-"}], "bm": {"cite": "发展 2013"}}  # the template data's marks still protect
    assert split_front(convert.strip_markup(staged), Path("x.md"))[0]["title"] == "第二篇-{发展}-标题"


def test_crlf_article_files_are_read_like_lf_ones(tmp_path: Path) -> None:
    from banmian.site import ParseCache, load_entries, load_pages

    docs = tmp_path / "docs"
    (docs / ARTICLE_DIR).mkdir(parents=True)
    for name in (ARTICLE.name, "page.yml"):
        data = (ROOT / "docs" / ARTICLE_DIR / name).read_bytes()
        (docs / ARTICLE_DIR / name).write_bytes(data.replace(b"\n", b"\r\n"))
    entries = load_entries(docs, ParseCache(None))
    want_meta, want_body = split_file(ARTICLE.read_text(encoding="utf-8"))
    assert [(e.meta, e.body) for e in entries] == [(want_meta, want_body)]
    assert "\r" not in entries[0].body
    assert ARTICLE.name in load_pages(docs, entries)[0].record["item_files"]
    assert check_docs(docs) == (1, [])


def test_a_non_utf8_file_in_docs_is_named_by_site_and_ingest(tmp_path: Path, ingested_copy) -> None:
    from banmian.site import ParseCache, load_entries

    work = edition(tmp_path, ingested_copy)
    bad = items_of(sorted(p for p in (work / "docs").iterdir() if p.is_dir())[0])[0]
    bad.write_bytes(bad.read_bytes().replace("。".encode(), "。".encode("gb18030"), 1))
    line = bad.read_bytes().split("。".encode("gb18030"))[0].count(b"\n") + 1
    with pytest.raises(ValueError, match=f"{bad.name}:{line}: .*not UTF-8"):
        load_entries(work / "docs", ParseCache(None))
    r = run_here("ingest", cwd=work)
    assert r.returncode == 2 and f"{bad.relative_to(work).as_posix()}:{line}: " in r.stderr and "Traceback" not in r.stderr


def test_upper_case_extension_passes_the_schema(tmp_path: Path) -> None:
    src = tmp_path / "pages"
    src.mkdir()
    src.joinpath("P02.TXT").write_bytes(sorted((ROOT / "source_texts").glob("*.txt"))[0].read_bytes())
    r = run_here("ingest", "--source", "pages", "--docs", "docs", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    count, problems = check_docs(tmp_path / "docs")
    assert count > 1 and problems == []


@pytest.mark.slow
def test_odd_text_and_windows_line_ends_build_and_come_out_verbatim(tmp_path: Path) -> None:
    """U+F0000 in a title and body, the tool's own marker strings and -{…}- in a source text, and
    every docs/ file with CRLF line ends (a Windows checkout): the site builds, and every such
    text is on the pages as it was written (the traditional site converts the Chinese around it)."""
    work = tmp_path / "ed"
    (work / "pages").mkdir(parents=True)
    (work / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    (work / "pages" / "P02.TXT").write_text(ODD_PAGE, encoding="utf-8")
    assert run_banmian("ingest", "--source", "pages", cwd=work).returncode == 0
    for path in (work / "docs").rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert run_banmian("check", cwd=work).returncode == 0
    r = run_banmian("site", "--site", "out", "--source", "pages", cwd=work)  # the pages are read only from their own folder
    assert r.returncode == 0, r.stderr
    import html as html_mod

    def text_of(rel: str) -> str:
        return html_mod.unescape((work / "out" / rel).read_text(encoding="utf-8"))

    first, second = (f"P02/{p.stem}.html" for p in items_of(work / "docs" / "P02")[:2])
    a01, a02 = text_of(first), text_of(second)
    assert "见@@BM-SITE-ROOT@@与@@BM-SCRIPT-PREFIX@@，还有-{测试发展}-和私用\U000f0000字\U0010fffd。" in a01
    assert "<title>计划生育新进展\U000f0001标题" in a01
    assert "<title>第二篇-{发展}-标题" in a02
    hant = text_of(f"zh-Hant/{first}")
    assert "見@@BM-SITE-ROOT@@與@@BM-SCRIPT-PREFIX@@，還有-{測試發展}-和私用\U000f0000字\U0010fffd。" in hant
    assert "<title>第二篇-{發展}-標題" in text_of(f"zh-Hant/{second}")
    assert 'href="../banmian-offline.zip"' in text_of("zh-Hant/download.html")
    assert 'href="banmian-offline.zip"' in text_of("download.html")


@pytest.mark.slow
@pytest.mark.browser
def test_a_huge_line_range_in_the_address_does_not_hang_the_tab(tmp_path: Path, ingested_copy, browser) -> None:
    work = edition(tmp_path, ingested_copy)
    assert run_banmian("site", "--site", "out", cwd=work).returncode == 0
    source = sorted((work / "out").glob("*/source.html"))[0]
    shown = source.read_text(encoding="utf-8").count('<span id="L')
    page = browser.new_page()
    started = time.perf_counter()
    page.goto(source.as_uri() + "#L1-L2000000000")
    page.wait_for_function("document.querySelectorAll('.bm-src .bm-hl').length > 0", timeout=10_000)
    assert page.locator(".bm-src .bm-hl").count() == shown  # every line this page shows, and no more work
    page.evaluate("location.hash = '#L2000000000-L1999999000'")  # wholly beyond the page: nothing, quickly
    page.wait_for_function("document.querySelectorAll('.bm-src .bm-hl').length === 0", timeout=10_000)
    assert time.perf_counter() - started < 20
    page.close()


# ---------------------------------------------------------------- one file, regular files only


def test_a_fifo_named_txt_is_skipped_with_a_message_not_read(tmp_path: Path) -> None:
    import os

    src = tmp_path / "pages"
    src.mkdir()
    seed = sorted((ROOT / "source_texts").glob("*.txt"))[0]
    (src / seed.name).write_bytes(seed.read_bytes())
    os.mkfifo(src / "pipe.txt")  # nothing ever writes to it: reading it would wait forever
    started = time.perf_counter()
    read = read_pages(src, display_root="pages")
    assert time.perf_counter() - started < 30
    assert [(e.path, "not a regular file" in e.message) for e in read.errors] == [("pages/pipe.txt", True)]
    assert len(read.pages) == 1


def test_explain_reads_only_the_file_it_is_given(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from banmian import explain

    seed = sorted((ROOT / "source_texts").glob("*.txt"))[0]
    (tmp_path / "sub").mkdir()
    (tmp_path / "p.txt").write_bytes(seed.read_bytes())
    (tmp_path / "sub" / "p.txt").write_text("这一页完全不同。\n", encoding="utf-8")  # the same name one folder down
    os.mkfifo(tmp_path / "other.txt")  # would hang a reader of the whole folder

    def no_walk(*args: object, **kwargs: object) -> None:
        raise AssertionError("explain walked a folder")

    monkeypatch.setattr(os, "walk", no_walk)
    assert explain.explain_file(tmp_path / "p.txt") == 0
    out = capsys.readouterr().out
    assert "== " in out and "这一页完全不同" not in out
    for missing in (tmp_path / "nope.txt", Path("/nonexistent.txt"), tmp_path / "other.txt", tmp_path):
        assert explain.explain_file(missing) == 2
        assert capsys.readouterr().err.startswith(f"{missing.as_posix()}: ")


CHINESE_TEXT = "今年以来，北庄镇计生办创新工作思路，积极探索基层计划生育工作新方法，进一步推动计划生育各项工作有力、有序、有效地开展。"
OTHER_LANGUAGES = {  # issue 15 item 11: each decodes as GB18030 into mojibake, none may be accepted as Chinese
    "latin-1": "Les élèves de l'école ont visité le musée. Ça coûte très cher, à Noël déjà. Deuxième ligne : garçon, hôpital.",
    "shift_jis": "東京都の人口は増加しています。今日は天気がいいですね。政府は新しい経済政策を発表した。国民はこの政策について様々な意見を持っている。",
    "euc-kr": "대한민국의 수도는 서울입니다. 오늘은 날씨가 좋습니다. 정부는 오늘 새로운 경제 정책을 발표했다. "
              "국민들은 이 정책에 대해 다양한 의견을 가지고 있다.",
    "big5": "臺灣的報紙在民國三十五年出版，記者報導了當地的新聞。政府發表了新的經濟政策，各界人士對這項政策有不同的看法。",
}


@pytest.mark.parametrize("codec", sorted(OTHER_LANGUAGES))
def test_pages_in_other_encodings_are_refused_not_read_as_mojibake(codec: str) -> None:
    from banmian.reader import InputError, decode

    with pytest.raises(InputError, match="unknown encoding"):
        decode((OTHER_LANGUAGES[codec] * 3).encode(codec), f"p-{codec}.txt")


@pytest.mark.parametrize("text", [CHINESE_TEXT * 3, OTHER_LANGUAGES["big5"] * 3])
def test_gb18030_pages_in_either_script_are_still_read(text: str) -> None:
    from banmian.reader import decode

    assert decode(text.encode("gb18030"), "p.txt") == text
    big5 = OTHER_LANGUAGES["big5"] * 3
    assert decode(big5.encode("big5"), "p.txt", "big5") == big5  # named in the manifest: read as named


def test_the_parse_cache_is_json_that_gives_back_exactly_a_fresh_parse(tmp_path: Path) -> None:
    """The staging parse cache is data, never code: a pickle planted where the old cache lived is
    not read, and what the JSON cache gives back equals a fresh parse (a value JSON would change,
    like YAML's !!binary or a number as a key, is not kept)."""
    import pickle

    from banmian.site import ParseCache, load_entries

    docs = tmp_path / "docs"
    (docs / ARTICLE_DIR).mkdir(parents=True)
    shutil.copy(ARTICLE, docs / ARTICLE_DIR / ARTICLE.name)
    odd = docs / ARTICLE_DIR / "odd.md"
    odd.write_text("---\ntitle: x\nblob: !!binary aGk=\n1: one\n---\n\n正文\n", encoding="utf-8")

    class Boom:
        def __reduce__(self):
            return (Path(tmp_path / "ran").touch, ())

    (tmp_path / "parsed-docs.pickle").write_bytes(pickle.dumps({"format": (3, "x"), "files": Boom()}))
    cache_file = tmp_path / "parsed-docs.json"
    fresh = [(e.path, e.meta, e.body) for e in load_entries(docs, ParseCache(None))]
    first = ParseCache(cache_file)
    assert [(e.path, e.meta, e.body) for e in load_entries(docs, first)] == fresh
    first.save()
    kept = json.loads(cache_file.read_text(encoding="utf-8"))["files"]
    assert sorted(kept) == [f"{ARTICLE_DIR}/{ARTICLE.name}"]  # odd.md would not come back the same
    again = ParseCache(cache_file)
    assert [(e.path, e.meta, e.body) for e in load_entries(docs, again)] == fresh
    assert again.fresh == {f"{ARTICLE_DIR}/odd.md"}  # the article came from the cache
    assert not (tmp_path / "ran").exists()


@pytest.mark.slow
def test_build_output_committed_to_git_is_refused_before_anything_is_written(tmp_path: Path, ingested_copy) -> None:
    """A pull request can force-add files under build/ (a rendered page with a matching
    fingerprint, a compiled Jinja template that is loaded as code): the site build refuses the
    checkout instead of trusting them, names the file and says how to remove it."""
    import subprocess

    work = ingested_copy(tmp_path / "work")
    shutil.copy(ROOT / ".gitignore", work / ".gitignore")
    planted = work / "build" / "stage" / "zh-Hans" / "jinja-cache" / "__jinja2_planted.cache"
    planted.parent.mkdir(parents=True)
    planted.write_bytes(b"planted")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["add", "-f", str(planted.relative_to(work))], ["commit", "-qm", "x"]):
        subprocess.run([*git, *args], cwd=work, check=True, capture_output=True)
    r = run_banmian("site", cwd=work)
    assert r.returncode != 0
    assert "build/stage/zh-Hans/jinja-cache/__jinja2_planted.cache" in r.stderr and "git rm -r --cached build" in r.stderr, r.stderr
    assert not (work / "site").exists()
    subprocess.run(["git", "rm", "-rq", "--cached", "build"], cwd=work, check=True)
    planted.unlink()
    r = run_banmian("site", cwd=work)
    assert r.returncode == 0, r.stderr


def test_work_forked_beside_the_build_reports_its_error_and_its_result(tmp_path: Path) -> None:
    """The search index is built in a forked child while the scripts are staged: what it writes
    is there when ``result()`` returns, and its error stops the build with the same message."""
    from banmian.proc import Forked

    done = tmp_path / "index.js"
    Forked(lambda: done.write_text("ok", encoding="utf-8"), "index", "search_index_timeout_s").result()
    assert done.read_text(encoding="utf-8") == "ok"

    def fail() -> None:
        raise ValueError("docs/x/a.md:3: 坏的前置元数据 / bad front matter")

    with pytest.raises(RuntimeError, match=r"^index: docs/x/a\.md:3: 坏的前置元数据"):
        Forked(fail, "index", "search_index_timeout_s").result()
