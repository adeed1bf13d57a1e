"""MkDocs hooks for the edition's builds: a segmentation cache, a whole search index on
incremental builds, and less repeated work per page.

Why: Chinese word segmentation (jieba, called by Material's search plugin on every section of
every page) is most of a build's time, and on the traditional site most of that is jieba's HMM
guessing at words its simplified dictionary does not know. So:

- ``segment``: each distinct text is segmented once and cached on disk between builds (keyed by
  the text, jieba's version and the user dictionary), so unchanged articles are not segmented
  again. On the traditional site a text is segmented on its simplified form (OpenCC ``tw2s``)
  and the word boundaries carried back when the two have the same length, which they almost
  always do: both scripts then split the same words (names and places from the user dictionary
  included) and the traditional build costs what the simplified one does.
- ``merge``: ``banmian site`` runs MkDocs with ``--dirty`` (only pages whose staged Markdown
  changed are rendered). Material's search plugin then indexes only those pages, so the previous
  index is merged in: entries of pages not rebuilt are kept, in the order a full build gives,
  which makes an incremental build's index identical to a full build's.

- ``fragments``: Material renders its navigation, tabs and page configuration for every page,
  though for the ten thousand pages outside the navigation (articles, page views, sources) they
  differ only by the relative path to the site root. The theme renders each once per such
  path and reuses it (``fragment_key``): the same bytes, a fifth less template time.
- ``front matter``: staged pages carry their front matter as one line of JSON (see
  ``banmian.site.staged_front``), read here with ``json.loads`` instead of YAML's Python
  constructor; anything else goes to MkDocs' own reader.
- ``raw source``: the raw-text view of a page is a ``<pre class="bm-src">`` of one span per line,
  which Markdown would pass through unchanged after parsing every tag; it is set aside before
  Markdown and put back after.

Settings come from the child config written by ``banmian.site.write_config``:
``extra.bm_build = {segment_cache: PATH, script: zh-Hans|zh-Hant}``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from banmian.emit import atomic_write

log = logging.getLogger("mkdocs.hooks.banmian")

_state: dict[str, Any] = {}
logging.getLogger("jieba").setLevel(logging.WARNING)  # "Building prefix dict…" on every build is noise


def _settings(config: Any) -> dict[str, Any]:
    extra = config.extra or {}
    value = extra.get("bm_build") if hasattr(extra, "get") else None
    return dict(value) if isinstance(value, dict) else {}


def _search_plugin(config: Any) -> Any:
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None and hasattr(plugin, "search_index"):
            return plugin
    return None


class SharedSegments:
    """Segmentations the two scripts' builds hand each other while they run side by side (a
    SQLite file in WAL mode, made new for each ``banmian site``): keyed by the simplified form of
    a text, so what one build segmented the other, a page or two behind, finds instead of running
    jieba again. On a build from nothing that halves the jieba work; later builds find their
    texts in their own ``SegmentCache`` and never open it."""

    FLUSH = 64  # segmentations written at a time: the other build sees them within a page or two

    def __init__(self, path: Path) -> None:
        import sqlite3

        self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE IF NOT EXISTS cut (k BLOB PRIMARY KEY, v TEXT NOT NULL)")
        self.pending: list[tuple[bytes, str]] = []

    @staticmethod
    def _key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()

    def get(self, text: str) -> str | None:
        row = self.db.execute("SELECT v FROM cut WHERE k = ?", (self._key(text),)).fetchone()
        return row[0] if row else None

    def put(self, text: str, cut: str) -> None:
        self.pending.append((self._key(text), cut))
        if len(self.pending) >= self.FLUSH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.db.executemany("INSERT OR IGNORE INTO cut VALUES (?, ?)", self.pending)
            self.pending = []

    def close(self) -> None:
        self.flush()
        self.db.close()


class SegmentCache:
    """Material's ``_segment_chinese`` with a disk cache and, for traditional text, segmentation
    on the simplified form. Returns exactly what Material's function returns for simplified text.

    jieba and the user dictionary (``user_dict``, names and places of the edition) are loaded at
    the first text not in the cache, not at start-up: a build whose texts are all cached never
    loads them. ``shared``: see ``SharedSegments``."""

    def __init__(self, path: Path | None, script: str, user_dict: str | None, shared: Path | None = None) -> None:
        import backrefs.bre as bre
        import jieba

        self.jieba = jieba
        self.han = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)
        self.path = path
        self.script = script
        self.user_dict = user_dict if user_dict and os.path.isfile(user_dict) else None
        self.user_dict_loaded = self.user_dict is None
        dict_hash = hashlib.sha256(Path(self.user_dict).read_bytes()).hexdigest()[:16] if self.user_dict else "-"
        self.fingerprint = f"jieba {jieba.__version__}; user {dict_hash}; {script}; v1"
        self.shared_path = shared
        self.shared: SharedSegments | None = None
        self.entries: dict[str, str] = {}
        self.used: dict[str, str] = {}
        if path and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("fingerprint") == self.fingerprint:
                    self.entries = dict(data.get("entries") or {})
            except (OSError, ValueError):
                self.entries = {}  # a damaged cache is only a slower build
        self.to_simplified = None
        if script == "zh-Hant":
            import opencc

            self.to_simplified = opencc.OpenCC("tw2s.json")

    def _cut(self, run: str) -> list[str]:
        if not self.user_dict_loaded:
            self.jieba.load_userdict(self.user_dict)
            self.user_dict_loaded = True
        return list(self.jieba.cut(run))

    def _simplified(self, data: str) -> str | None:
        """``data`` with each run of Han characters in its simplified form, or None where a run
        does not convert to as many Han characters (that run is cut as written, see ``_words``)."""
        if self.to_simplified is None:
            return data
        runs = []
        for m in self.han.finditer(data):
            simple = self.to_simplified.convert(m.group(0))
            if len(simple) != len(m.group(0)) or not self.han.fullmatch(simple):
                return None
            runs.append((m.start(), m.end(), simple))
        out, pos = [], 0
        for start, end, simple in runs:
            out += [data[pos:start], simple]
            pos = end
        out.append(data[pos:])
        return "".join(out)

    def _words(self, value: str) -> list[str]:
        if self.to_simplified is not None:
            simple = self.to_simplified.convert(value)
            if len(simple) == len(value):
                out, pos = [], 0
                for word in self._cut(simple):
                    out.append(value[pos : pos + len(word)])
                    pos += len(word)
                return out
        return self._cut(value)

    def _segmented(self, data: str, words: Callable[[str], list[str]] | None = None) -> str:
        words = words or self._words
        return self.han.sub(lambda m: "\u200b" + "\u200b".join(words(m.group(0))) + "\u200b", data).strip("\u200b")

    def _from_shared(self, data: str) -> str:
        """Segment ``data`` through the other script's build: the cut of its simplified form,
        made by either build, carried onto ``data`` by length (runs have the same lengths)."""
        simple = self._simplified(data)
        if simple is None:
            return self._segmented(data)
        if self.shared is None:
            self.shared = SharedSegments(self.shared_path)  # type: ignore[arg-type]
        cut = self.shared.get(simple)
        if cut is None:
            cut = self._segmented(simple, self._cut)  # as the simplified build cuts it
            self.shared.put(simple, cut)
        if simple is data:
            return cut
        out, pos = [], 0
        for piece in cut.split("\u200b"):
            out.append(data[pos : pos + len(piece)])
            pos += len(piece)
        return "\u200b".join(out)

    def segment(self, data: str) -> str:
        key = hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()
        hit = self.entries.get(key)
        if hit is None:
            hit = self._from_shared(data) if self.shared_path is not None else self._segmented(data)
        self.used[key] = hit
        return hit

    def save(self, keep_unused: bool) -> None:
        if self.shared is not None:
            self.shared.close()
            self.shared = None
        if not self.path:
            return
        entries = {**self.entries, **self.used} if keep_unused else self.used
        atomic_write(self.path, json.dumps({"fingerprint": self.fingerprint, "entries": dict(sorted(entries.items()))}, ensure_ascii=False))


def on_startup(command: str, dirty: bool) -> None:
    _state.clear()
    _state["dirty"] = dirty


# ---------------------------------------------------------------- front matter as JSON


def _json_front(doc: str) -> tuple[str, dict[str, Any]] | None:
    """``(body, meta)`` of a page staged with a one-line JSON front matter, else None."""
    if not doc.startswith("---\n{"):
        return None
    end = doc.find("\n---\n", 4)
    if end < 0:
        return None
    try:
        data = json.loads(doc[4:end])
    except ValueError:
        return None
    return (doc[end + 5 :].lstrip("\n"), data) if isinstance(data, dict) else None


def _install_json_front() -> None:
    from mkdocs.utils import meta

    upstream = getattr(meta.get_data, "bm_upstream", meta.get_data)

    def get_data(doc: str) -> tuple[str, dict[str, Any]]:
        return _json_front(doc) or upstream(doc)

    get_data.bm_upstream = upstream  # type: ignore[attr-defined]
    meta.get_data = get_data


def on_shutdown() -> None:
    from mkdocs.structure.pages import Page
    from mkdocs.utils import meta

    meta.get_data = getattr(meta.get_data, "bm_upstream", meta.get_data)
    Page.render = getattr(Page.render, "bm_upstream", Page.render)  # type: ignore[method-assign]


# ---------------------------------------------------------------- one Markdown converter


class _RecordingFiles:
    """The build's files as the link processor sees them, noting each lookup and its answer: a
    cached rendering is valid while every lookup it made answers the same."""

    def __init__(self, files: Any) -> None:
        self.files = files
        self.seen: dict[str, tuple[str, bool] | None] = {}

    def get_file_from_path(self, path: str) -> Any:
        found = self.files.get_file_from_path(path)
        self.seen[path] = _file_state(found)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.files, name)


def _file_state(found: Any) -> tuple[str, bool] | None:
    """What a link to a file depends on: its URL and whether it is left out of the site."""
    return None if found is None else (found.url, found.inclusion.is_excluded())


class _LogCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


#: python-markdown's own extensions: pure functions of the text, so their output can be cached.
#: Any other extension (one that reads files, say) turns the render cache off.
PURE_EXTENSIONS = frozenset(
    {
        *("abbr", "admonition", "attr_list", "def_list", "extra", "fenced_code", "footnotes", "legacy_attrs", "legacy_em"),
        *("md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc", "wikilinks"),
    }
)


class RenderCache:
    """Each page's Markdown rendered to HTML, kept between builds (``build/stage/SCRIPT/``), so a
    full re-render (after a theme or configuration change, or ``--full``) converts only the pages
    whose text changed, as the segmentation cache does for jieba.

    Keyed by the page's path, URL and Markdown; an entry also records every link lookup the
    rendering made (see ``_RecordingFiles``) and is used only while each answers the same, so a
    link whose target appeared, vanished or moved is rendered again. Renderings that logged
    anything (a broken link, say) are not kept: they are rendered, and warn, every time."""

    def __init__(self, path: Path | None, config: Any) -> None:
        import markdown
        import mkdocs

        names = [e if isinstance(e, str) else type(e).__module__ for e in config["markdown_extensions"]]
        pure = all(str(n).removeprefix("markdown.extensions.") in PURE_EXTENSIONS for n in names)
        self.path = path if pure else None
        validation = {k: str(v) for k, v in dict(config.validation.links).items()}
        settings = [names, config["mdx_configs"], config.use_directory_urls, validation]
        self.fingerprint = f"markdown {markdown.__version__}; mkdocs {mkdocs.__version__}; {json.dumps(settings, sort_keys=True, default=repr)}; v1"
        self.entries: dict[str, dict[str, Any]] = {}
        self.used: dict[str, dict[str, Any]] = {}
        self.loaded = False

    def _load(self) -> None:
        import pickle

        self.loaded = True
        if self.path is None or not self.path.is_file():
            return
        try:
            with self.path.open("rb") as f:
                data = pickle.load(f)
            if data.get("fingerprint") == self.fingerprint:
                self.entries = data["entries"]
        except Exception:  # a damaged cache is only a slower build
            self.entries = {}

    @staticmethod
    def key(page: Any) -> str:
        text = f"{page.file.src_uri}\0{page.file.url}\0{page.markdown}"
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()

    def get(self, key: str, files: Any) -> dict[str, Any] | None:
        if self.path is None:
            return None
        if not self.loaded:
            self._load()
        hit = self.entries.get(key)
        if hit is None or any(_file_state(files.get_file_from_path(p)) != state for p, state in hit["seen"].items()):
            return None
        self.used[key] = hit
        return hit

    def put(self, key: str, entry: dict[str, Any]) -> None:
        if self.path is not None:
            self.used[key] = entry

    def save(self, keep_unused: bool) -> None:
        import pickle

        if self.path is None or (self.used.keys() <= self.entries.keys() and (keep_unused or len(self.used) == len(self.entries))):
            return  # nothing new, nothing to drop
        if keep_unused and not self.loaded:
            self._load()
        entries = {**self.entries, **self.used} if keep_unused else self.used
        atomic_write(self.path, pickle.dumps({"fingerprint": self.fingerprint, "entries": entries}, protocol=pickle.HIGHEST_PROTOCOL))


class Renderer:
    """MkDocs' ``Page.render`` with one Markdown converter for the whole build, reset between
    pages, instead of a new one per page: building a converter with its extensions costs as much
    as converting a short article. Mirrors MkDocs 1.6's ``Page.render`` (same processors, same
    page attributes), so the HTML is the same; ``cache`` skips pages rendered by an earlier build."""

    def __init__(self, config: Any, cache: RenderCache | None = None) -> None:
        import markdown
        from mkdocs.structure import pages

        self.cache = cache
        self.logged = _LogCount()
        self.md = md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
        self.raw_html = pages._RawHTMLPreprocessor()
        self.raw_html._register(md)
        self.anchors = pages._ExtractAnchorsTreeprocessor(None, None, config)  # type: ignore[arg-type]
        self.anchors._register(md)
        self.links = pages._RelativePathTreeprocessor(None, None, config)  # type: ignore[arg-type]
        self.links._register(md)
        self.title = pages._ExtractTitleTreeprocessor()
        self.title._register(md)
        self.get_toc = pages.get_toc

    def render(self, page: Any, config: Any, files: Any) -> None:
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        key = self.cache.key(page) if self.cache is not None else ""
        entry = self.cache.get(key, files) if self.cache is not None else None
        if entry is None:
            entry, quiet = self._convert(page, files)
            if quiet and self.cache is not None:
                self.cache.put(key, entry)
        page.content = entry["content"]
        page.toc = self.get_toc(entry["toc"])  # reads the tokens, never changes them
        page._title_from_render = entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {files.get_file_from_path(src): dict(links) for src, links in entry["links"].items()}

    def _convert(self, page: Any, files: Any) -> tuple[dict[str, Any], bool]:
        """``page`` rendered, as a cache entry holds it, and whether it logged nothing (a rendering
        that warned, about a broken link say, is not kept: it has to warn again next time)."""
        md = self.md.reset()  # toc_tokens is a new list after reset: the entry keeps the old one
        seen = _RecordingFiles(files)
        self.raw_html.present_anchor_ids = set()
        self.anchors.present_anchor_ids = set()
        self.links.file, self.links.files, self.links.links_to_anchors = page.file, seen, {}  # type: ignore[assignment]
        self.title.title = None
        watched = [logging.getLogger(name) for name in ("mkdocs", "MARKDOWN")]
        before = self.logged.count
        for logger in watched:
            logger.addHandler(self.logged)
        try:
            content = md.convert(page.markdown)
        finally:
            for logger in watched:
                logger.removeHandler(self.logged)
        entry = {
            "content": content,
            "toc": getattr(md, "toc_tokens", []),
            "title": self.title.title,
            "anchors": sorted(self.anchors.present_anchor_ids | self.raw_html.present_anchor_ids),
            "links": {target.src_uri: dict(v) for target, v in self.links.links_to_anchors.items()},
            "seen": seen.seen,
        }
        return entry, self.logged.count == before


def _install_renderer(cache_path: Path | None) -> None:
    from mkdocs.structure import pages

    upstream = getattr(pages.Page.render, "bm_upstream", pages.Page.render)
    needed = ("_RawHTMLPreprocessor", "_ExtractAnchorsTreeprocessor", "_RelativePathTreeprocessor", "_ExtractTitleTreeprocessor", "get_toc")
    if not all(hasattr(pages, name) for name in needed):
        return  # another MkDocs than the one Renderer mirrors: its own rendering
    renderers: list[Renderer] = []  # made at the first page, once every plugin has set the config

    def render(page: Any, config: Any, files: Any) -> None:
        if not renderers:
            cache = RenderCache(cache_path, config)
            _state["render_cache"] = cache
            renderers.append(Renderer(config, cache))
        renderers[0].render(page, config, files)

    render.bm_upstream = upstream  # type: ignore[attr-defined]
    pages.Page.render = render  # type: ignore[method-assign,assignment]


# ---------------------------------------------------------------- fragments rendered once


class Fragments:
    """Template fragments shared by pages outside the navigation (see the module docstring).

    A key names the fragment and what its links depend on: the page's folder when that folder
    holds a navigation target (its links then depend on the folder), else only its depth."""

    def __init__(self, nav: Any) -> None:
        self.nav_pages = {id(p) for p in nav.pages}
        self.tops = {str(p.url).split("/", 1)[0] for p in nav.pages if "/" in str(p.url)} | {"assets", "search"}
        self.store: dict[str, Any] = {}  # a fragment, or one split at its markers

    def key(self, page: Any, name: str) -> str | None:
        if page is None or id(page) in self.nav_pages:
            return None
        folder = str(page.url).rpartition("/")[0]
        if folder.split("/", 1)[0] in self.tops:
            return f"{name}|{folder}"
        return f"{name}|{folder.count('/') + 1 if folder else 0}"

    def keep(self, key: str | None, html: str) -> str:
        if key is not None:
            self.store[key] = html
        return html

    def keep_template(self, key: str, html: str) -> str:
        """Store a fragment rendered with ``HeaderStub`` markers, split at them for ``fill``."""
        self.store[key] = _MARKS.split(html)
        return ""

    def fill(self, key: str, page: Any) -> str:
        """The fragment of ``key`` with this page's title and script-toggle target in place of
        the markers: the values Material's header and partials/alternate.html would print."""
        title = page.meta.get("title") if page.meta else None
        values = {TITLE_MARK: str(title or page.title), HERE_MARK: str(page.url or "index.html")}
        return "".join(values.get(part, part) for part in self.store[key])


TITLE_MARK = "\ue000bm-title\ue000"  # private-use characters: never in a rendered header
HERE_MARK = "\ue000bm-here\ue000"
_MARKS = re.compile(f"({TITLE_MARK}|{HERE_MARK})")


class HeaderStub:
    """The page as the header sees it while it is rendered for many pages: markers for the title
    and the script toggle's target (``bm_here``); everything else, the URL the ``url`` filter
    makes links relative to included, is the page's own."""

    meta = None  # so the header prints page.title, the marker; fill() picks meta.title when set
    title = TITLE_MARK
    bm_here = HERE_MARK

    def __init__(self, page: Any) -> None:
        self._page = page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Material's own templates under ``bm-upstream/`` (the theme's partials/nav.html wraps them)."""
    import jinja2
    import material

    upstream = jinja2.FileSystemLoader(str(Path(material.__file__).parent / "templates"))
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader({"bm-upstream": upstream})])
    cache_dir = _settings(config).get("jinja_cache")
    if cache_dir:  # compiled templates kept between builds (keyed by their source): ~0.5 s a build
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache_dir))
    fragments = Fragments(_state["nav"]) if "nav" in _state and _state.get("shortcuts") else None
    env.globals["bm_fragments"] = fragments.store if fragments else {}
    env.globals["bm_fragment_key"] = fragments.key if fragments else (lambda page, name: None)
    env.globals["bm_keep"] = fragments.keep if fragments else (lambda key, html: html)
    env.globals["bm_keep_template"] = fragments.keep_template if fragments else None
    env.globals["bm_fill"] = fragments.fill if fragments else None
    env.globals["bm_header_stub"] = HeaderStub
    return env


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    _state["nav"] = nav
    return nav


# ---------------------------------------------------------------- raw source views

SOURCE_BLOCK = re.compile(r'^<pre class="bm-src"[^\n]*</pre>$', re.M)
SOURCE_MARK = "<!--bm-src-->"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    m = SOURCE_BLOCK.search(markdown) if _state.get("shortcuts") and "bm-src" in markdown else None
    if m is None:
        return markdown
    _state.setdefault("sources", {})[page.file.src_uri] = m.group(0)
    return markdown[: m.start()] + SOURCE_MARK + markdown[m.end() :]


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    block = _state.get("sources", {}).pop(page.file.src_uri, None)
    return html.replace(SOURCE_MARK, block, 1) if block is not None else html


def on_config(config: Any) -> Any:
    settings = _settings(config)
    # ``shortcuts: false`` renders every page the plain way (the tests compare the two builds)
    _state["shortcuts"] = settings.get("shortcuts", True) is not False
    if _state["shortcuts"]:
        _install_json_front()
        render_cache = settings.get("render_cache")
        _install_renderer(Path(render_cache) if render_cache else None)
    plugin = _search_plugin(config)
    _state["built"] = set()
    _state["order"] = []
    if plugin is None or not settings:
        return config
    cache_path, shared = settings.get("segment_cache"), settings.get("segment_shared")
    # the edition's names and places: given to the cache, which loads them only if it runs jieba
    user_dict = settings.get("jieba_user") or plugin.config.jieba_dict_user
    script = str(settings.get("script") or "zh-Hans")
    cache = SegmentCache(Path(cache_path) if cache_path else None, script, user_dict, Path(shared) if shared else None)
    plugin.search_index._segment_chinese = cache.segment  # instance attribute: this build only
    _state["cache"] = cache
    _state["plugin"] = plugin
    return config


def on_pre_build(config: Any) -> None:
    """Keep the previous index in memory before the build overwrites it (incremental builds)."""
    _state["previous"] = None
    if not _state.get("dirty"):
        return
    path = Path(config.site_dir) / "search" / "search_index.json"
    if path.is_file():
        _state["previous"] = json.loads(path.read_text(encoding="utf-8"))


def on_files(files: Any, config: Any) -> Any:
    _state["order"] = [f.url for f in files.documentation_pages()]
    return files


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    _state.setdefault("built", set()).add(page.url)
    return context


def _by_page(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Index entries grouped by the page they belong to (their location without the anchor)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        grouped.setdefault(str(entry.get("location", "")).split("#", 1)[0], []).append(entry)
    return grouped


@event_priority(50)  # before Material's search plugin writes its index from these entries
def on_post_build(config: Any) -> None:
    for name in ("cache", "render_cache"):
        cache = _state.get(name)
        if cache is not None:
            cache.save(keep_unused=bool(_state.get("dirty")))
    previous, plugin = _state.get("previous"), _state.get("plugin")
    if not previous or plugin is None:
        return
    # pages not rebuilt keep their previous entries, all in the order a full build gives, so
    # Material writes the same index as a full build would
    built: set[str] = _state.get("built", set())
    old, fresh = _by_page(previous.get("docs") or []), _by_page(plugin.search_index.entries)
    plugin.search_index.entries = [e for url in _state.get("order") or [] for e in (fresh if url in built else old).get(url, [])]
    log.debug("search index: %d pages rebuilt, %d entries", len(built), len(plugin.search_index.entries))
