"""Pull requests that try to run script or read the build machine (issue 15, items 5–7).

Every payload is put where a pull request can put it — an article's Markdown body, its front
matter (title, column, region, author), a manifest's publication, a page record's source, a
folder or file name — and built into a real site with the real commands. Then:

- without a browser: ``banmian scan`` (an HTML parser) finds no event handler, script URL or
  forbidden element in any page of the site or the offline zip; the sanitiser removes what the
  Markdown alone would have made live (each payload is checked to be live without it);
- in Chromium, hosted (served from 127.0.0.1) and offline (the zip, unpacked, from file://):
  ``alert``/``confirm``/``prompt``/``print`` and ``console`` are trapped before any script of the
  page runs, the content is focused, hovered, clicked and tabbed through, and nothing fires; the
  DOM of the content holds no ``on*`` attribute and no ``javascript:`` URL, Material's
  ``#__config`` is the only one;
- a page record naming a file outside ``source_texts/`` (absolute, ``../``, a symbolic link) or a
  name ingest does not make is refused by ``banmian check`` and ``banmian site`` with
  ``file:line``, and no byte of that file reaches the site.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
import yaml

from banmian.emit import split_file
from banmian.sanitize import clean_html
from banmian.scan import scan_html
from conftest import ROOT, SEEDS, run_here
from conftest import run as run_cli

CHROMIUM = "/usr/bin/chromium"

# Markdown a pull request can write in an article body; each must be live without the sanitiser.
BODY_PAYLOADS = {
    "issue 15 tags, as filed": "<x.y autofocus tabindex=0 onfocus=alert(1)>…</x.y> <a:b onmouseover=alert(2)>…</a:b> <x_y onclick=alert(3)>…</x_y>",
    "dotted tag": "<x.y autofocus tabindex=0 onfocus=\"alert('xy')\">焦点</x.y>",
    "namespaced tag": "<a:b onmouseover=\"alert('ab')\">悬停</a:b>",
    "underscore tag": "<x_y onclick=\"alert('x_y')\">点击</x_y>",
    "entity scheme": "[实体](&#106;avascript:alert('entity'))",
    "named-entity colon": "[冒号](javascript&colon;alert('colon'))",
    "decimal entities": "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058"
                        "alert('dec')\">十进制</a>",
    "tab in scheme": "<a href=\"jav&#x09;ascript:alert('tab')\">制表符</a>",
    "reference on the next line": "[引用][evil]\n\n[evil]:\n    javascript:alert('refdef')",
    "reference over three lines": "[又一个][r3]\n\n[r3]:\njavascript:alert('r3')\n\"标题\"",
    "reference in angle brackets": "[尖括号][r4]\n\n[r4]: <javascript:alert('angle')>",
    "link target on the next line": "[换行](\njavascript:alert('newline'))",
    "image scheme": "![图](javascript:alert('image'))",
    "vbscript": "<a href=\"vbscript:msgbox('vb')\">vb</a>",
    "data URL": "[数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgnZGF0YScpPC9zY3JpcHQ+)",
    "img onerror": "<img src=x onerror=\"alert('img')\">",
    "script": "<script>alert('script')</script>",
    "svg onload": "<svg onload=\"alert('svgload')\"><circle r=1></circle></svg>",
    "svg script": "<svg><script>alert('svg')</script></svg>",
    "mathml": "<math><mtext><table><mglyph><style><img src=x onerror=\"alert('mathml')\"></style></mglyph></table></mtext></math>",
    "iframe srcdoc": "<iframe srcdoc=\"<script>parent.alert('srcdoc')</script>\"></iframe>",
    "form action": "<form action=\"javascript:alert('form')\"><button>提交</button></form>",
    "meta refresh": "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('meta')\">",
    "base href": "<base href=\"javascript:alert('base')//\">",
    "style url": "<p style=\"background:url(javascript:alert('style'))\">样式</p>",
    "input autofocus": "<input autofocus onfocus=\"alert('autofocus')\">",
    "details ontoggle": "<details open ontoggle=\"alert('toggle')\"><summary>摘要</summary>内容</details>",
    "object": "<object data=\"javascript:alert('object')\"></object>",
    "noscript mutation": "<noscript><p title=\"</noscript><img src=x onerror=alert('noscript')>\"></noscript>",
    "md_in_html": "<div markdown=\"1\" onclick=\"alert('mdinhtml')\">块</div>",
    "attr_list handler": "小标题 {: onclick=\"alert('attr')\" }\n\n"
                         "## 标题二 {: onmouseover=\"alert('h2')\" style=\"background:url(javascript:alert('css'))\" }",
    "attr_list Material id": "## 配置 {: #__config }",
    "raw Material id": "<span id=\"__config\">{\"search\": \"data:text/javascript,alert('config')\"}</span>",
    "attr_list quoted id": "## 引号 {: id='\" onmouseover=\"alert(1)' }",
    "console": "<img src=x onerror=\"console.error('bm-pwned')\">",
}

# Front-matter and manifest values a pull request can set; printed on generated pages.
COLUMN = "<img src=data:x onerror=alert('column')>"
PROVINCE = "<img src=data:x onerror=alert('province')>"
AUTHOR = "<script>alert('author')</script>"
TITLE = "<img src=x onerror=alert('title')>标题"
PUBLICATION = "<img src=data:x onerror=alert('publication')>"
ISSUE = "\"><script>alert('issue')</script>"


def run(*args: str, cwd: Path):
    return run_cli(*args, cwd=cwd, env={"SOURCE_DATE_EPOCH": "1700000000"})


def here(*args: str, cwd: Path):
    """``run`` in this process (conftest.run_here), for the refusals: no MkDocs starts."""
    return run_here(*args, cwd=cwd, env={"SOURCE_DATE_EPOCH": "1700000000"})


def render(text: str) -> str:
    """Python-Markdown with the extensions of the edition's mkdocs.yml."""
    cfg = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in cfg["markdown_extensions"]]
    return markdown.markdown(text, extensions=extensions)


def in_content(html: str) -> str:
    return f"<article>{html}</article>"


@pytest.mark.parametrize("name", sorted(BODY_PAYLOADS))
def test_each_payload_is_live_without_the_sanitiser_and_dead_with_it(name: str) -> None:
    html = render(BODY_PAYLOADS[name])
    live = scan_html(in_content(html), name)
    ids = re.findall(r"\bid=\"(__[^\"]*|[^\"]*(?:&quot;|[<>])[^\"]*)\"", html)
    assert live or ids or "<script" in html or "<style" in html, f"{name}: the payload does nothing even without the sanitiser: {html}"
    cleaned = clean_html(html)
    assert scan_html(in_content(cleaned), name) == [], cleaned
    assert not re.search(r"<(script|style|iframe|object|embed|form|input|meta|base|svg|math)\b", cleaned, re.I), cleaned
    assert 'id="__' not in cleaned


@pytest.fixture(scope="module")
def one_page_docs(seed_pages, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/ of the first seed page, emitted once for the module (each test edits its own copy)."""
    from banmian.emit import emit
    from banmian.pipeline import process_page

    docs = tmp_path_factory.mktemp("one-page-docs")
    emit([process_page(next(iter(seed_pages.values())))], docs)
    return docs


@pytest.mark.parametrize("name", sorted(BODY_PAYLOADS))
def test_check_warns_early_with_the_line(one_page_docs: Path, tmp_path: Path, name: str) -> None:
    """``banmian check`` names the line of every payload (an early warning; the sanitiser is the guarantee)."""
    from banmian.check import check_docs

    shutil.copytree(one_page_docs, tmp_path, dirs_exist_ok=True)
    article = sorted(tmp_path.rglob("a*.md"))[0]
    text = article.read_text(encoding="utf-8") + "\n"
    article.write_text(text + BODY_PAYLOADS[name] + "\n", encoding="utf-8")
    first = text.count("\n") + 1
    _, problems = check_docs(tmp_path)
    payload_lines = range(first, first + BODY_PAYLOADS[name].count("\n") + 1)
    assert problems and all(p.path == article.as_posix() and p.line in payload_lines for p in problems), (problems, list(payload_lines))


def test_the_sanitiser_keeps_what_articles_and_generated_pages_use() -> None:
    text = (
        "开展*计划生肓*{ .sic title=\"原文如此\" }工作。\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        "[文章](../x/a01.md) [外链](https://example.org/) <a class=\"md-button md-button--primary\" href=\"x.zip\" download>下载</a>\n\n"
        "## 小标题\n\n<pre class=\"bm-src\" style=\"counter-reset: bmline 299\"><span id=\"L300\">原文</span></pre>\n\n"
        "<div id=\"bm-search-app\" class=\"bm-search-app\"><noscript>检索需要浏览器启用 JavaScript</noscript></div>\n"
    )
    cleaned = clean_html(render(text))
    for kept in ('<em class="sic" title="原文如此">计划生肓</em>', 'style="text-align:left"', 'href="../x/a01.md"', 'href="https://example.org/"',
                 'class="md-button md-button--primary"', "download", 'id="L300"', 'class="bm-src"', "counter-reset", "<h2 id=",
                 '<div id="bm-search-app" class="bm-search-app">检索需要浏览器启用 JavaScript</div>'):
        assert kept in cleaned, (kept, cleaned)


def test_table_of_contents_keeps_only_ids_the_content_keeps() -> None:
    from mkdocs.structure.toc import get_toc

    from banmian.sanitize import clean_toc

    md = markdown.Markdown(extensions=["attr_list", "toc"])
    md.convert("## 好 {: #good }\n\n## 配置 {: #__config }\n\n### 子 {: #child }\n\n## 引号 {: id='\" onmouseover=\"alert(1)' }\n")
    items = clean_toc(list(get_toc(md.toc_tokens)))
    assert [i.id for i in items] == ["good", "child"]


# ---------------------------------------------------------------- a whole site


def _edit_front(path: Path, change) -> None:
    text = path.read_text(encoding="utf-8")
    fm, body = split_file(text)
    change(fm)
    path.write_text("---\n" + yaml.safe_dump(fm, allow_unicode=True, sort_keys=False) + "---\n\n" + body.lstrip("\n"), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An edition from two seed pages with every payload in place, built and bundled."""
    work = tmp_path_factory.mktemp("hostile-html")
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    (work / "source_texts").mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, work / "source_texts" / seed.name)
    manifest = {"defaults": {"publication": PUBLICATION, "issue": ISSUE}}
    (work / "source_texts" / "manifest.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    r = run("ingest", cwd=work)
    assert r.returncode == 0, r.stderr
    folders = sorted(p for p in (work / "docs").iterdir())
    body_article, meta_article = (sorted(folder.glob("a*.md"))[0] for folder in folders[:2])
    with body_article.open("a", encoding="utf-8") as f:
        f.write("\n" + "\n\n".join(BODY_PAYLOADS.values()) + "\n")

    def meta(fm: dict) -> None:
        fm.update(title=TITLE, column=COLUMN, region={"province": PROVINCE}, authors=[{"name": AUTHOR, "role": "记者"}])

    _edit_front(meta_article, meta)
    r = run("site", "--site", "out", cwd=work)
    assert r.returncode == 0, r.stderr
    r = run("bundle", "--site", "out", "--out", "dist/offline.zip", cwd=work)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(work / "dist" / "offline.zip") as zf:
        zf.extractall(work / "unzipped")
    return work


@pytest.mark.slow
def test_scan_finds_nothing_in_the_site_or_the_zip(hostile: Path) -> None:
    r = run("scan", "out", "dist/offline.zip", cwd=hostile)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "nothing that runs script" in r.stderr


@pytest.mark.slow
def test_scan_reports_what_it_is_for(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "p.html").write_text("<p>x</p>\n<article><p>\n<a href=' jav&#x61;script:alert(1)' onclick='x()'>a</a><iframe></iframe></p></article>")
    r = run("scan", "s", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.count("s/p.html:3:") == 3, r.stdout


@pytest.mark.slow
def test_generated_values_are_text_where_they_are_printed(hostile: Path) -> None:
    out = hostile / "out"
    pages = sorted(out.rglob("*.html"))
    for value in (COLUMN, PROVINCE, AUTHOR, PUBLICATION, TITLE):
        raw = [p for p in pages if value in p.read_text(encoding="utf-8")]
        assert raw == [], (value, raw[:3])
    shown_as_text = "&lt;img src=data:x onerror=alert("
    for index in ("columns", "places"):  # the hostile column's and province's own pages, both scripts
        pages_of = sorted(out.glob(f"**/browse/{index}/img-src-*.html"))
        assert len(pages_of) == 2 and all(shown_as_text in p.read_text(encoding="utf-8") for p in pages_of), (index, pages_of)
    page_views = [p for p in out.glob("**/index.html") if p.parent.name not in ("browse", "zh-Hant", out.name)]
    assert page_views and all(shown_as_text in p.read_text(encoding="utf-8") for p in page_views), "the publication, as text"
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count('id="__config"') <= 1, page


def _trap() -> str:
    """Counts every dialog and every console message from a payload, before the page's scripts run."""
    return """
    (() => {
      window.__bm_calls = [];
      for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
        window[name] = (...args) => { window.__bm_calls.push(name + ":" + args.join(",")); };
      }
      for (const name of ["log", "error", "warn", "info"]) {
        const real = console[name].bind(console);
        console[name] = (...args) => {
          if (args.some(a => String(a).includes("bm-pwned"))) window.__bm_calls.push("console." + name);
          real(...args);
        };
      }
    })();
    """


_DOM_CHECK = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll("article, article *")) {
    for (const a of el.attributes) {
      const v = a.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (a.name.startsWith("on")) bad.push(el.tagName + " " + a.name);
      const url = ["href", "src", "action", "formaction", "xlink:href", "data"].includes(a.name);
      if (url && /^(javascript|vbscript|data):/.test(v)) bad.push(el.tagName + " " + a.name + "=" + v);
    }
    if (["SCRIPT", "IFRAME", "OBJECT", "EMBED", "FORM", "INPUT", "META", "BASE", "STYLE"].includes(el.tagName)) bad.push(el.tagName);
  }
  if (document.querySelectorAll('[id="__config"]').length > 1) bad.push("second #__config");
  return bad;
}
"""


def _pages_to_visit(root: Path) -> list[Path]:
    """The pages the payloads reach: the two articles, their page views and source views, the
    column, place and author pages, the page index, the home page — in both scripts."""
    picked = []
    for base in (root, root / "zh-Hant"):
        folders = sorted(p for p in base.iterdir() if p.is_dir() and (p / "source.html").is_file())[:2]
        for folder in folders:
            picked += [*sorted(folder.glob("a*.html"))[:2], folder / "index.html", folder / "source.html"]
        for sub in ("columns", "places", "authors"):
            picked += sorted((base / "browse" / sub).glob("*.html"))[:2]
        picked += [base / "browse" / "pages.html", base / "index.html"]
    return [p for p in picked if p.is_file()]


def _visit(context, urls: list[str]) -> list[str]:
    fired: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (fired.append("dialog:" + d.message), d.dismiss()))
    for url in urls:
        page.goto(url)
        page.wait_for_timeout(150)
        page.mouse.move(5, 5)
        for el in page.query_selector_all("article p, article h2, article a, article span, article div")[:60]:
            try:
                el.hover(timeout=500)
                el.focus()
            except Exception:  # hidden or detached: nothing to hover
                pass
        for _ in range(8):
            page.keyboard.press("Tab")
        page.wait_for_timeout(150)
        calls = page.evaluate("window.__bm_calls")
        fired += [f"{url}: {c}" for c in calls]
        fired += [f"{url}: {b}" for b in page.evaluate(_DOM_CHECK)]
        if not url.startswith("file:"):
            assert page.evaluate("typeof window.__md_get") == "function", f"{url}: Material's scripts did not run"
    page.close()
    return fired


@pytest.fixture
def trapped(browser) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(_trap())
    yield context
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_nothing_runs_on_the_hosted_site(hostile: Path, trapped) -> None:
    out = hostile / "out"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        urls = [base + p.relative_to(out).as_posix() for p in _pages_to_visit(out)]
        assert len(urls) >= 20
        assert _visit(trapped, urls) == []
    finally:
        server.shutdown()


@pytest.mark.browser
@pytest.mark.slow
def test_nothing_runs_in_the_offline_zip(hostile: Path, trapped) -> None:
    root = next((hostile / "unzipped").iterdir())
    urls = [p.as_uri() for p in _pages_to_visit(root)]
    assert len(urls) >= 20
    assert _visit(trapped, urls) == []


# ---------------------------------------------------------------- files outside source_texts/ and names


SECRET = "ROOT-PASSWORD-LINE 不应出现在网站上"


@pytest.fixture
def edition(tmp_path: Path, ingested_copy) -> Path:
    """One seed page ingested, plus a secret file beside source_texts/ (never to be published)."""
    ingested_copy(tmp_path, pages=1)
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    return tmp_path


def _evil_page(edition: Path, source: str, name: str = "evilpage") -> Path:
    """A page folder as a pull request would add it: a copy of a real one, its source changed."""
    real = next(p for p in (edition / "docs").iterdir() if p.is_dir())
    evil = edition / "docs" / name
    shutil.copytree(real, evil)
    record = (evil / "page.yml").read_text(encoding="utf-8")
    record = re.sub(r"^key: .*$", f"key: {name}", record, count=1, flags=re.M)
    quoted = yaml.safe_dump(source, default_style="'").strip()
    record = re.sub(r"^source: .*$", lambda _: "source: " + quoted, record, count=1, flags=re.M)
    (evil / "page.yml").write_text(record, encoding="utf-8")
    return evil


def _nothing_published(edition: Path) -> None:
    for folder in ("site", "out", "build", "dist"):
        for path in (edition / folder).rglob("*") if (edition / folder).exists() else []:
            if path.is_file():
                assert SECRET.encode("utf-8") not in path.read_bytes(), path
                assert b"root:x:0:0" not in path.read_bytes(), path


@pytest.mark.parametrize("source", ["/etc/passwd", "../secret.txt", "source_texts/../secret.txt", "secret.txt", "source_texts/link.txt",
                                    "source_texts/linked/secret.txt", "C:/Windows/win.ini", "source_texts\\..\\secret.txt"])
def test_a_source_outside_source_texts_is_refused_with_file_and_line(edition: Path, source: str) -> None:
    (edition / "source_texts" / "link.txt").symlink_to(edition / "secret.txt")
    (edition / "source_texts" / "linked").symlink_to(edition, target_is_directory=True)
    _evil_page(edition, source)
    r = here("check", cwd=edition)
    assert r.returncode == 1
    assert "docs/evilpage/page.yml:2:" in r.stdout, r.stdout
    r = here("site", cwd=edition)
    assert r.returncode == 1, r.stderr
    assert "docs/evilpage/page.yml:2:" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not list((edition / "site").rglob("*.html")), "no page was written"
    _nothing_published(edition)


def test_an_orphaned_folder_is_an_error_in_check(edition: Path) -> None:
    (edition / "source_texts" / "other.txt").write_text(SEEDS[1].read_text(encoding="utf-8"), encoding="utf-8")
    _evil_page(edition, "source_texts/other.txt", name="not_its_key")
    _evil_page(edition, "source_texts/gone.txt", name="gone")
    r = here("check", cwd=edition)
    assert r.returncode == 1
    assert "docs/not_its_key/page.yml:2:" in r.stdout and "docs/gone/page.yml:2:" in r.stdout, r.stdout


@pytest.mark.parametrize(("folder", "file"), [("javascript:alert(1)", None), ('x"><img src=x onerror=alert(1)>', None), ("x y", None),
                                              (None, "javascript:alert(1).md"), (None, "a-1234abcd (copy).md"), (None, "notes.txt"), ("browse", None)])
def test_names_ingest_does_not_make_are_refused(edition: Path, folder: str | None, file: str | None) -> None:
    real = next(p for p in (edition / "docs").iterdir() if p.is_dir())
    if folder:
        shutil.copytree(real, edition / "docs" / folder)
        shown = f"docs/{folder}"
    else:
        shutil.copy(sorted(real.glob("a*.md"))[0], real / file)
        shown = f"docs/{real.name}/{file}"
    r = here("check", cwd=edition)
    assert r.returncode == 1 and shown in r.stdout, r.stdout
    r = here("site", cwd=edition)
    assert r.returncode == 1 and shown in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not list((edition / "site").rglob("*.html")), "no page was written"


def test_page_record_fields_follow_the_schema(edition: Path) -> None:
    record = next((edition / "docs").glob("*/page.yml"))
    text = record.read_text(encoding="utf-8")
    record.write_text(re.sub(r"^publication: .*$", "publication: {evil: [1, 2]}", text, count=1, flags=re.M), encoding="utf-8")
    shown = record.relative_to(edition).as_posix() + ":" + str(text[: text.index("\npublication:")].count("\n") + 2) + ": publication"
    r = here("check", cwd=edition)
    assert r.returncode == 1 and shown in r.stdout, r.stdout
    r = here("site", cwd=edition)
    assert r.returncode == 1 and shown in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_symlinked_page_folder_is_refused(edition: Path) -> None:
    outside = edition / "elsewhere"
    shutil.copytree(next(p for p in (edition / "docs").iterdir() if p.is_dir()), outside)
    os.symlink(outside, edition / "docs" / "linkedpage", target_is_directory=True)
    r = here("check", cwd=edition)
    assert r.returncode == 1 and "docs/linkedpage" in r.stdout, r.stdout


def test_manifest_values_follow_the_schema(tmp_path: Path) -> None:
    """A manifest value with a line break or control character, or too long to be a name, is
    reported with the manifest's line and left unknown; the page is ingested without it."""
    import json

    import jsonschema

    (tmp_path / "src").mkdir()
    shutil.copy(SEEDS[0], tmp_path / "src" / "p01.txt")
    manifest = "defaults:\n  publication: 某某人口报\npages:\n  p01.txt: {issue: \"第1期\\u0007\", page_title: '" + "长" * 201 + "', date: 2013-09-20}\n"
    (tmp_path / "src" / "manifest.yml").write_text(manifest, encoding="utf-8")
    r = here("ingest", "--source", "src", "--docs", "docs", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.count("src/manifest.yml:4: 字段") == 2 and "issue" in r.stderr and "page_title" in r.stderr, r.stderr
    record = yaml.safe_load(next((tmp_path / "docs").glob("*/page.yml")).read_text(encoding="utf-8"))
    assert (record["publication"], record["issue"], record["page_title"], record["date"]) == ("某某人口报", None, None, "2013-09-20")
    schema = json.loads((ROOT / "scripts" / "banmian" / "data" / "manifest.schema.json").read_text(encoding="utf-8"))
    readme_example = {"defaults": {"publication": "某某人口报"},
                      "pages": {"p01.txt": {"date": "2013-09-20", "issue": "第1234期", "edition": "A", "page": "3", "page_title": "各地动态",
                                            "encoding": "gb18030"}}}
    jsonschema.Draft202012Validator(schema).validate(readme_example)
