"""A reader moving through the seed edition in Chromium, on a desktop and a 390 px phone, in both
scripts: from the home page to an article by place (province › city › county › town), by author
and by date in at most three clicks, a breadcrumb on every step, nothing wider than the phone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from banmian.emit import split_file
from test_browser_site import server, shots  # noqa: F401 - session fixtures: the served seed site, screenshots
from test_site import seed_site  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HASH = re.compile(r"[0-9a-f]{16}")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=[(v, s) for v in VIEWPORTS for s in ("", "zh-Hant/")], ids=lambda p: f"{p[0]}-{p[1] or 'zh-Hans'}")
def reader(request, browser):
    viewport, prefix = request.param
    ctx = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone", has_touch=viewport == "phone")
    pg = ctx.new_page()
    yield pg, prefix, viewport
    ctx.close()


def town_article(work: Path) -> tuple[str, dict]:
    """An article placed down to its town, as the docs say."""
    for path in sorted((work / "docs").rglob("*.md")):
        meta = split_file(path.read_text(encoding="utf-8"))[0]
        region = meta.get("region") or {}
        if meta.get("type") == "article" and all(region.get(k) for k in ("province", "city", "county", "town")):
            return path.relative_to(work / "docs").as_posix(), meta
    raise AssertionError("the seeds have articles placed to a town")


def dated_article(work: Path) -> tuple[str, dict]:
    for path in sorted((work / "docs").rglob("*.md")):
        meta = split_file(path.read_text(encoding="utf-8"))[0]
        if meta.get("type") == "article" and meta.get("date") and meta.get("authors"):
            return path.relative_to(work / "docs").as_posix(), meta
    raise AssertionError("the seeds have dated articles with authors")


def step(pg, viewport: str) -> list[str]:
    """After each click: the breadcrumb is there, the active tab is 浏览 (or home), no sideways scrolling."""
    pg.wait_for_load_state("domcontentloaded")
    crumbs = pg.locator("nav.bm-crumbs li").all_inner_texts()
    assert crumbs, pg.url
    wide = pg.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert wide <= 1, f"{pg.url}: {wide}px wider than the {viewport} screen"
    return [c.strip().lstrip("›").strip() for c in crumbs]


def click(pg, text: str) -> None:
    pg.locator("article.md-content__inner a", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).first.click()


def test_reach_an_article_by_place_author_and_date(reader, server: str, seed_site: Path, shots: Path) -> None:  # noqa: F811
    from banmian.convert import to_traditional, ui_to_traditional

    pg, prefix, viewport = reader
    t = (lambda s: to_traditional(s)) if prefix else (lambda s: s)
    ui = ui_to_traditional if prefix else (lambda s: s)

    _, meta = town_article(seed_site)
    region = meta["region"]
    title = t(meta["title"])
    # by place: 首页 → 地区 → the town's page (from the tree) → the article
    pg.goto(server + prefix + "index.html")
    click(pg, ui("地区"))
    assert step(pg, viewport)[-1] == ui("地区")
    click(pg, t(region["town"]))
    crumbs = step(pg, viewport)
    assert crumbs[-4:] == [t(region[k]) for k in ("province", "city", "county", "town")], crumbs
    pg.screenshot(path=str(shots / f"way-town-{viewport}-{prefix.strip('/') or 'hans'}.png"), full_page=True)
    click(pg, title)
    crumbs = step(pg, viewport)
    assert pg.locator("h1").first.inner_text().strip() == title and crumbs[-1] == title
    assert pg.locator(".md-tabs__item--active").count() == 1 or viewport == "phone"

    # by author: 首页 → 作者 → the author's page → the article
    _, meta = dated_article(seed_site)
    name, title = t(meta["authors"][0]["name"]), t(meta["title"])
    pg.goto(server + prefix + "index.html")
    click(pg, ui("作者"))
    assert step(pg, viewport)[-1] == ui("作者")
    click(pg, name)
    assert step(pg, viewport)[-1] == name
    click(pg, title)
    assert step(pg, viewport)[-1] == title

    # by date: 首页 → 日期 → the month (or the year, for a date known to the year) → the article
    date = str(meta["date"])
    pg.goto(server + prefix + "index.html")
    pg.locator("article a[href$='browse/dates.html']").first.click()
    assert step(pg, viewport)[-1] == ui("日期")
    target = f"dates/{date[:7]}.html" if len(date) >= 7 else f"dates/{date[:4]}.html"
    pg.locator(f"article a[href$='{target}']").first.click()
    crumbs = step(pg, viewport)
    assert crumbs[-1] == (t(f"{int(date[5:7])}月") if len(date) >= 7 else f"{date[:4]}年"), crumbs
    click(pg, title)
    assert step(pg, viewport)[-1] == title
    pg.screenshot(path=str(shots / f"way-article-{viewport}-{prefix.strip('/') or 'hans'}.png"), full_page=True)


def test_queue_and_home_fit_a_phone(browser, server: str, shots: Path) -> None:  # noqa: F811
    ctx = browser.new_context(viewport=VIEWPORTS["phone"], is_mobile=True)
    pg = ctx.new_page()
    for rel in ("index.html", "browse/proofreading.html", "browse/places.html", "zh-Hant/index.html", "zh-Hant/browse/proofreading.html"):
        pg.goto(server + rel)
        wide = pg.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 1, f"{rel}: {wide}px wider than the phone"
        # every queue row's edit link can be reached on the phone without scrolling sideways
        for link in pg.locator("a:has-text('编辑')").all()[:5]:
            box = link.bounding_box()
            assert box and box["x"] + box["width"] <= VIEWPORTS["phone"]["width"], rel
    pg.screenshot(path=str(shots / "way-queue-phone.png"), full_page=True)
    ctx.close()


def test_no_visible_hash(browser, server: str, seed_site: Path) -> None:  # noqa: F811
    """Page titles and visible text (outside the citation data) never show a 16-hex-digit key."""
    ctx = browser.new_context()
    pg = ctx.new_page()
    site = seed_site / "site"
    pages = [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html")) if "assets" not in p.parts]
    checked = 0
    for rel in pages:
        if rel.endswith("404.html"):
            continue
        pg.goto(server + rel)
        assert not HASH.search(pg.title()), (rel, pg.title())
        visible = pg.evaluate("""() => { const m = document.querySelector('article') || document.body;
            const c = m.cloneNode(true); c.querySelectorAll('pre, code, .bm-cite, script, style').forEach(e => e.remove());
            return c.innerText; }""")
        assert not HASH.search(visible), (rel, HASH.search(visible).group())
        checked += 1
    assert checked > 100
    ctx.close()
