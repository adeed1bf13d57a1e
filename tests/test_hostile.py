"""Hostile text: HTML, scripts and Markdown in a source page or a PR-edited article are shown as
text, never run; YAML-special titles cannot break front matter.

The tiny sites are built in temporary folders with the real ``banmian site`` command.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from banmian.check import check_docs
from banmian.emit import emit, split_file
from banmian.model import Article, Block, BlockKind, Page, PageResult
from banmian.safety import find_raw_html
from conftest import ROOT, items_of
from conftest import run as run_banmian

HOSTILE_BODY = [
    "本报讯 计划生育工作取得新进展<img src=x onerror=alert('img')>，群众满意。",
    "请点击[这里](javascript:alert('link'))查看详情，或者看![图片](javascript:alert('image'))说明。",
    "有人写下<a href=\"javascript:alert('a')\">链接</a>和<iframe src=\"javascript:alert('iframe')\"></iframe>两处。",
    "另一段用了<svg onload=alert('svg')>标签，还有<script>alert('inline')</script>脚本。",
]
SAFE_TITLE_PAGE = "计划生育新进展\n\n" + "\n\n".join(HOSTILE_BODY) + "\n\n(通讯员 张三)\n"
HOSTILE_TITLE_PAGE = "<script>alert('title')</script>\n\n这是正文，内容完整，没有别的东西。\n\n(通讯员 李四)\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_banmian(*args, cwd=cwd, env={"SOURCE_DATE_EPOCH": "1700000000"})


ATTR_HEADING = "小标题 {: onclick=\"alert('attr')\" }"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("hostile")
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    (work / "pages").mkdir()
    (work / "pages" / "body.txt").write_text(SAFE_TITLE_PAGE, encoding="utf-8")
    (work / "pages" / "title.txt").write_text(HOSTILE_TITLE_PAGE, encoding="utf-8")
    r = run("ingest", "--source", "pages", "--docs", "articles", cwd=work)
    assert r.returncode == 0, r.stderr
    r = run("site", "--docs", "articles", "--site", "out", "--source", "pages", cwd=work)
    assert r.returncode == 0, r.stderr
    return work


def live_markup(html: str) -> list[str]:
    """Elements or attributes in the HTML that came from the hostile text and would run."""
    found = re.findall(r"<(?:img|iframe|svg)\b[^>]*alert[^>]*>", html)
    # a script that runs; JSON-LD is data (it never runs), but nothing in it may open a tag
    found += re.findall(r"<script\b(?![^>]*application/ld\+json)[^>]*>[^<]*alert\([^<]*</script>", html)
    found += [m for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S) if "<" in m]
    found += re.findall(r"""<[a-z][^<>]*(?:href|src)\s*=\s*["']?\s*javascript:""", html, re.I)
    found += re.findall(r"<[a-z][^>]*\son[a-z]+\s*=[^>]*alert[^>]*>", html, re.I)
    return found


def article_html(site: Path, key: str) -> list[Path]:
    return sorted((site / "out").glob(f"**/{key}/*.html"))


@pytest.mark.slow
def test_hostile_body_is_text_in_the_html(hostile_site: Path) -> None:
    pages = article_html(hostile_site, "body")
    assert pages, "the article page was built (simplified and traditional)"
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert live_markup(html) == [], page
        if not page.name.startswith("a-"):
            continue  # the page's index and its source view: nothing may run there either
        assert "&lt;img src=x onerror=alert(" in html
        assert "&lt;script&gt;alert(" in html
        assert "javascript:alert(" in html  # shown as text


@pytest.mark.slow
def test_hostile_title_is_text_in_the_html(hostile_site: Path) -> None:
    pages = article_html(hostile_site, "title") + sorted((hostile_site / "out").glob("**/browse/*.html"))
    assert pages
    for page in pages:
        assert live_markup(page.read_text(encoding="utf-8")) == [], page


def dialogs_fired(browser, pages: list[Path]) -> list[str]:
    fired: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_timeout(200)
        page.mouse.move(10, 10)
        for selector in ("article p", "article h1", "article h2"):
            for el in page.query_selector_all(selector)[:10]:
                if el.is_visible():  # a reader cannot hover what is folded away (the article's 报告错误 text)
                    el.hover()
                    el.click()
    page.close()
    return fired


@pytest.mark.browser
@pytest.mark.slow
def test_no_dialog_fires_for_a_hostile_body(hostile_site: Path, browser) -> None:
    assert dialogs_fired(browser, article_html(hostile_site, "body")) == []


@pytest.mark.browser
@pytest.mark.slow
def test_no_dialog_fires_for_a_hostile_title(hostile_site: Path, browser) -> None:
    assert dialogs_fired(browser, article_html(hostile_site, "title")) == []


# --- PR-edited articles: raw HTML passes through MkDocs, so `banmian check` must refuse it ----------

PR_BODY = """第一段是普通的文字。

<script>alert('pr')</script>

第三段 <img src=x onerror=alert(1)> 图片。

[点这里](javascript:alert(2))

## 小标题 {: onclick="alert(3)" }

这些是安全的：&lt;script&gt;、`<b>代码</b>`、1<2、\\<b\\>、<https://example.com>。
"""


def test_find_raw_html_names_each_line() -> None:
    found = find_raw_html(PR_BODY, first_line=20)
    assert [line for line, _ in found] == [22, 24, 26, 28]
    assert "<script>" in found[0][1] and "onerror" in found[1][1] and "javascript:" in found[2][1] and "onclick" in found[3][1]


def test_generated_articles_never_hold_raw_html(seed_pages, tmp_path: Path) -> None:
    from banmian.pipeline import process_page

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "body.txt").write_text(SAFE_TITLE_PAGE, encoding="utf-8")
    from banmian.reader import read_pages

    pages = [*seed_pages.values(), *read_pages(tmp_path / "src").pages]
    emit([process_page(p) for p in pages], tmp_path / "docs")
    for path in sorted((tmp_path / "docs").rglob("*.md")):
        _, body = split_file(path.read_text(encoding="utf-8"))
        assert find_raw_html(body) == [], path


def test_check_refuses_raw_html_in_a_pr_edit(seed_pages, tmp_path: Path) -> None:
    from banmian.pipeline import process_page

    emit([process_page(p) for p in seed_pages.values()], tmp_path)
    victim = items_of(sorted(p for p in tmp_path.iterdir() if p.is_dir())[0])[0]
    text = victim.read_text(encoding="utf-8")
    victim.write_text(text + "\n" + PR_BODY, encoding="utf-8")
    first = text.count("\n") + 2
    _, problems = check_docs(tmp_path)
    assert [p.line for p in problems] == [first + 2, first + 4, first + 6, first + 8]


def test_attr_list_in_source_text_stays_text(tmp_path: Path) -> None:
    import markdown

    result = special_result("标题", 0)
    item = result.items[0]
    item.paragraphs = ["第一段内容完整。", "第二段内容完整。" + ATTR_HEADING]
    item.subheads = {1: ATTR_HEADING}
    emit([result], tmp_path)
    _, body = split_file(items_of(tmp_path / "special00")[0].read_text(encoding="utf-8"))
    html = markdown.markdown(body, extensions=["attr_list", "md_in_html"])
    assert not re.search(r"<[a-z0-9]+[^>]*\sonclick=", html), html
    assert find_raw_html(body) == []


# --- YAML-special titles ---------------------------------------------------------------------

SPECIAL_TITLES = [
    ': # " \' ---', "---", "...", "* 星号开头", "&锚点", "!标签", "%指令", "@艾特", "`反引号`", "? 问号", "- 列表",
    "{花括号}", "[方括号]", "| 竖线", "> 大于", "yes", "null", "~", "0123", "2013-09-20", "标题: 冒号 #井号",
    "tab\there", "行尾空格 ", "\u2028分隔", "'单引号'", '"双引号"', "\\反斜杠\\", "<script>alert(1)</script>",
]


def special_result(title: str, n: int) -> PageResult:
    page = Page(key=f"special{n:02d}", path=f"src/special{n:02d}.txt", lines=[title, "", "正文内容完整。"], sha256="0" * 64)
    blocks = [Block(BlockKind.HEADLINE, 1, 1, [title], text=title), Block(BlockKind.BODY, 3, 3, ["正文内容完整。"], text="正文内容完整。")]
    item = Article(page=page, seq=1, title=title, paragraphs=["正文内容完整。"], blocks=blocks)
    return PageResult(page=page, items=[item], blocks=blocks)


def test_yaml_special_titles_round_trip(tmp_path: Path) -> None:
    results = [special_result(t, i) for i, t in enumerate(SPECIAL_TITLES)]
    emit(results, tmp_path)
    for i, title in enumerate(SPECIAL_TITLES):
        text = items_of(tmp_path / f"special{i:02d}")[0].read_text(encoding="utf-8")
        fm, body = split_file(text)
        assert fm["title"] == title, text
        assert body.strip() == "正文内容完整。"
    count, problems = check_docs(tmp_path)
    assert count == len(SPECIAL_TITLES) and problems == []
