"""Search index: one index of the whole edition, for both scripts, hosted and offline alike.

Why our own: a reader's query must find exactly the articles that contain it (names, places,
``2.04亿元``, ``B超``, digit strings), in either script, from ``file://`` with the network off,
without loading the whole archive. Browsers let a ``file://`` page bring data in only through
``<script src>``, so the index is a set of small JavaScript files, each calling one global
function (``bmSearchData``) with its part; the page's script (``theme/assets/bm-search.js``)
loads only the parts a query needs.

The text of each entry (title, subtitle, kicker, column, authors' names and roles, places at
every level, publication and page, body) is *folded*: traditional characters to simplified
(OpenCC's character table plus ``data/search_fold.tsv``), full-width ASCII to ASCII, Latin to
lower case, one character for one character, so the same code folds the query in the browser
and marks the match in a page of either script. Whitespace is left out.

Layout of ``bm-search/`` (``OUTPUT_SUBDIR``, at the simplified site's root; the traditional
site uses the same one):
- ``index.js``: format, build version, number of shards and of entries, the fold table's file;
- ``fold.js``: the fold table;
- ``s/NNNN.js``: shards of postings, keyed by a hash of the key. Keys are every character
  (postings: entry ids) and every pair of neighbouring characters within a field (postings:
  entry ids with the pair's positions). A query term of n ≥ 2 characters matches where its
  n-1 pairs sit at consecutive positions: exact, with no false hit and no need for the text;
- ``m/NNNN.js``: what results show and filter on, ``BLOCK`` entries a file, in id order.

Entry ids follow the date (undated last), so sorting by date needs no data. Positions place the
title at 0, the other metadata at ``META_AT``, the body at ``BODY_AT``: where a match falls is
its field, for ranking.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .emit import write_if_changed
from .fold import t2s_table

OUTPUT_SUBDIR = "bm-search"
FORMAT = 1
META_AT = 1000  # first position of the metadata fields (the title starts at 0)
BODY_AT = 3000  # first position of the body
BLOCK = 256  # entries per metadata file
SHARD_BYTES = 32_000  # aimed size of a postings file: a query loads one per distinct key
MIN_SHARDS, MAX_SHARDS = 8, 4096
_SPACE = re.compile(r"\s+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")  # emit.escape_markdown's backslashes
_PROTECT = re.compile(r"-\{(.*?)\}-", re.S)


@cache
def fold_table() -> dict[str, str]:
    """Character → folded character (only those that change), chains resolved.

    OpenCC's t2s applied to each CJK character alone, the project's extra folds, full-width
    ASCII to ASCII and upper- to lower-case Latin: each one code point to one code point, so a
    folded text has the same length as the text (what lets the page mark matches in place)."""
    table = dict(t2s_table())
    text = resources.files("banmian.data").joinpath("search_fold.tsv").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 2 or len(cols[0]) != 1 or len(cols[1]) != 1:
            raise ValueError(f"search_fold.tsv:{number}: expected 'character<TAB>character', got {line!r}")
        table[cols[0]] = cols[1]
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[chr(cp)] = chr(cp - 0xFEE0)
    table["\u3000"] = " "
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[c] = c.lower()
    for c, s in list(table.items()):  # 著→着 and a full-width Ａ→A→a: fold all the way
        seen = {c}
        while s in table and s not in seen:
            seen.add(s)
            s = table[s]
        table[c] = s
    return {c: s for c, s in table.items() if c != s}


@cache
def _translation() -> dict[int, str]:
    return str.maketrans(fold_table())


def fold(text: str) -> str:
    """The search form of a text: same length, one folded character for each character."""
    return text.translate(_translation())


def squeeze(text: str) -> str:
    """Folded text without whitespace: what the index holds and a query term is matched against."""
    return _SPACE.sub("", fold(text))


def plain_body(markdown: str) -> str:
    """The article body as readers see it: Markdown escapes and ``-{…}-`` marks removed."""
    return _ESCAPE.sub(r"\1", _PROTECT.sub(r"\1", markdown))


def _strings(value: Any) -> list[str]:
    return [str(value)] if value not in (None, "") else []


def entry_fields(meta: dict[str, Any], body: str, record: dict[str, Any]) -> tuple[str, list[str], str]:
    """(title, metadata fields, body) of one entry, as text: what a reader may search for."""
    others: list[str] = []
    for key in ("subtitle", "kicker", "column"):
        others += _strings(meta.get(key))
    for a in meta.get("authors") or []:
        if isinstance(a, dict):
            others += [s for s in (_strings(a.get("role")) + _strings(a.get("name")))]
    region: dict[str, Any] = r if isinstance(r := meta.get("region"), dict) else {}
    for key in ("province", "city", "county", "town", "village"):
        others += _strings(region.get(key))
    for key in ("publication", "issue", "page_title"):
        others += _strings(meta.get(key) or record.get(key))
    return str(meta.get("title") or ""), others, plain_body(body)


def _date_key(meta: dict[str, Any], path: str) -> tuple[int, str, str]:
    date = str(meta.get("date") or "")
    return (0 if date else 1, date, path)


def result_data(path: str, meta: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """What a result shows and filters on (simplified; see ``traditional`` for the other script)."""
    region: dict[str, Any] = r if isinstance(r := meta.get("region"), dict) else {}
    authors = [str(a["name"]) for a in meta.get("authors") or [] if isinstance(a, dict) and a.get("name")]
    page = []
    for key in ("publication", "issue"):
        page += _strings(meta.get(key) or record.get(key))
    edition = meta.get("edition") or record.get("edition")
    number = meta.get("page") or record.get("page")
    if number:
        page.append(f"{edition or ''}第{number}版")
    out: dict[str, Any] = {"u": re.sub(r"\.md$", ".html", path), "t": str(meta.get("title") or path)}
    if meta.get("date"):
        out["d"] = str(meta["date"])
        if meta.get("date_source") == "inferred":
            out["di"] = 1
    if page:
        out["p"] = " ".join(page)
    place = [str(region[k]) for k in ("province", "city", "county") if region.get(k)]
    if place:
        out["l"] = place
    if region.get("town"):
        out["tn"] = str(region["town"])
    if authors:
        out["a"] = authors
    if meta.get("column"):
        out["c"] = str(meta["column"])
    if meta.get("status"):
        out["s"] = str(meta["status"])
    if meta.get("type", "article") != "article":
        out["y"] = str(meta["type"])
    return out


_TEXT_KEYS = ("t", "p", "tn", "c", "s")
_LIST_KEYS = ("l", "a")


def traditional(items: list[dict[str, Any]], convert: Callable[[str], str]) -> None:
    """Add each item's traditional forms (key ``T``, only the fields that differ), converted in
    one call for the whole edition: OpenCC is fast on one long text, slow on many short ones."""
    texts: list[str] = []
    for d in items:
        texts += [d[k] for k in _TEXT_KEYS if k in d]
        for k in _LIST_KEYS:
            texts += d.get(k, [])
    joined = "\n".join(t.replace("\n", " ") for t in texts)
    out = iter(convert(joined).split("\n") if texts else [])
    for d in items:
        trad: dict[str, Any] = {}
        for k in _TEXT_KEYS:
            if k in d:
                t = next(out)
                if t != d[k]:
                    trad[k] = t
        for k in _LIST_KEYS:
            if k in d:
                ts = [next(out) for _ in d[k]]
                if ts != d[k]:
                    trad[k] = ts
        if trad:
            d["T"] = trad


def _js(kind: str, number: int, data: Any) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f'bmSearchData("{kind}",{number},{payload});\n'.encode()


def varints(values: Any) -> tuple[bytes, Any]:
    """LEB128 bytes of unsigned integers (numpy array) and each value's byte offset."""
    import numpy as np

    v = values.astype(np.uint64)
    n = np.ones(len(v), dtype=np.int64)
    for k in range(1, 5):
        n += v >= (1 << (7 * k))
    starts = np.cumsum(n) - n
    out = np.zeros(int(n.sum()), dtype=np.uint8)
    for k in range(5):
        sel = n > k
        byte = ((v[sel] >> np.uint64(7 * k)) & np.uint64(127)).astype(np.uint8)
        byte |= np.where(n[sel] > k + 1, 128, 0).astype(np.uint8)
        out[starts[sel] + k] = byte
    return out.tobytes(), starts


def fnv(cps: list[Any]) -> Any:
    """FNV-1a over code points (arrays), 32 bits: the browser's ``hash`` in bm-search.js."""
    import numpy as np

    h = np.full(len(cps[0]), 0x811C9DC5, dtype=np.uint64)
    for cp in cps:
        h = ((h ^ cp.astype(np.uint64)) * np.uint64(0x01000193)) & np.uint64(0xFFFFFFFF)
    return h


class _Fields:
    """Every searchable field of every entry, squeezed, with its entry and first position."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.doc: list[int] = []
        self.start: list[int] = []

    def add(self, doc: int, title: str, others: Iterable[str], body: str) -> None:
        at = self._one(doc, title, 0)
        at = max(at, META_AT)
        for text in others:
            at = self._one(doc, text, at)
        self._one(doc, body, max(at, BODY_AT))

    def _one(self, doc: int, text: str, start: int) -> int:
        t = squeeze(text).replace("\0", "")
        if t:
            self.texts.append(t)
            self.doc.append(doc)
            self.start.append(start)
        return start + len(t) + 1  # a gap: no pair spans two fields


def postings(fields: _Fields, shards_for: Callable[[int], int]) -> tuple[int, list[tuple[list[str], bytes, list[int]]]]:
    """Per shard: its keys, the varint bytes of their postings, each key's byte offset (and the end).

    A pair's postings: per entry (ids ascending) the id's distance from the previous one, the
    number of positions, the first position, then the distances between positions. A
    character's: per entry the distance of its id from the previous one."""
    import numpy as np

    codes = np.frombuffer("\0".join(fields.texts).encode("utf-32-le"), dtype=np.uint32)
    lens = np.array([len(t) for t in fields.texts], dtype=np.int64)
    fid = np.repeat(np.arange(len(lens)), lens + 1)[: len(codes)]
    first = np.cumsum(lens + 1) - (lens + 1)
    pos = np.array(fields.start, dtype=np.int64)[fid] + (np.arange(len(codes)) - first[fid])
    doc = np.array(fields.doc, dtype=np.int64)[fid]
    real = codes != 0
    pair = real[:-1] & real[1:]
    pkey = (codes[:-1].astype(np.uint64) << np.uint64(21)) | codes[1:].astype(np.uint64)
    pkey, pdoc, ppos = pkey[pair], doc[:-1][pair], pos[:-1][pair]
    ukd = np.sort((codes[real].astype(np.uint64) << np.uint64(32)) | doc[real].astype(np.uint64))
    ukd = ukd[np.append(True, ukd[1:] != ukd[:-1])]  # each character once per entry
    ukey, udoc = ukd >> np.uint64(32), (ukd & np.uint64(0xFFFFFFFF)).astype(np.int64)

    mask21 = np.uint64((1 << 21) - 1)
    size = len(pkey) * 2 + len(ukey) * 1.5  # about the bytes they take: sets the number of shards
    shards = shards_for(int(size))
    pshard = (fnv([pkey >> np.uint64(21), pkey & mask21]) & np.uint64(shards - 1)).astype(np.int64)
    ushard = (fnv([ukey]) & np.uint64(shards - 1)).astype(np.int64)
    order = np.argsort((pshard.astype(np.uint64) << np.uint64(43)) | pkey, kind="stable")  # (doc, pos) order kept
    pkey, pdoc, ppos, pshard = pkey[order], pdoc[order], ppos[order], pshard[order]
    order = np.argsort((ushard.astype(np.uint64) << np.uint64(22)) | ukey, kind="stable")
    ukey, udoc, ushard = ukey[order], udoc[order], ushard[order]

    # pairs: (id distance, count, first position) at each entry's first row, else a position distance
    n = len(pkey)
    new_key = np.ones(n, dtype=bool)
    new_key[1:] = pkey[1:] != pkey[:-1]
    new_grp = new_key.copy()
    new_grp[1:] |= pdoc[1:] != pdoc[:-1]
    grp = np.cumsum(new_grp) - 1
    counts = np.bincount(grp)
    prev_doc = np.zeros(n, dtype=np.int64)
    prev_doc[1:] = pdoc[:-1]
    prev_doc[new_key] = 0
    nvals = np.where(new_grp, 3, 1)
    at = np.cumsum(nvals) - nvals
    vals = np.zeros(int(nvals.sum()), dtype=np.int64)
    g = np.flatnonzero(new_grp)
    vals[at[g]] = pdoc[g] - prev_doc[g]
    vals[at[g] + 1] = counts[grp[g]]
    vals[at[g] + 2] = ppos[g]
    r = np.flatnonzero(~new_grp)
    vals[at[r]] = ppos[r] - ppos[r - 1]
    pbytes, pstart = varints(vals)
    pkey_rows = np.flatnonzero(new_key)
    pkey_off = np.append(pstart[at[pkey_rows]], len(pbytes))

    m = len(ukey)
    unew = np.ones(m, dtype=bool)
    unew[1:] = ukey[1:] != ukey[:-1]
    uprev = np.zeros(m, dtype=np.int64)
    uprev[1:] = udoc[:-1]
    uprev[unew] = 0
    ubytes, ustart = varints(udoc - uprev)
    ukey_rows = np.flatnonzero(unew)
    ukey_off = np.append(ustart[ukey_rows], len(ubytes))

    pk = pkey[pkey_rows]
    pk_shard = pshard[pkey_rows]
    uk = ukey[ukey_rows]
    uk_shard = ushard[ukey_rows]
    p_bounds = np.searchsorted(pk_shard, np.arange(shards + 1))
    u_bounds = np.searchsorted(uk_shard, np.arange(shards + 1))
    pk_text = [chr(a) + chr(b) for a, b in zip((pk >> np.uint64(21)).tolist(), (pk & mask21).tolist(), strict=True)]
    uk_text = [chr(a) for a in uk.tolist()]
    out = []
    for s in range(shards):
        a, b = int(p_bounds[s]), int(p_bounds[s + 1])
        c, d = int(u_bounds[s]), int(u_bounds[s + 1])
        p0, p1 = int(pkey_off[a]), int(pkey_off[b])
        u0, u1 = int(ukey_off[c]), int(ukey_off[d])
        offs = (pkey_off[a:b] - p0).tolist() + (ukey_off[c:d + 1] - u0 + (p1 - p0)).tolist()
        if c == d:
            offs.append(p1 - p0)
        out.append((pk_text[a:b] + uk_text[c:d], pbytes[p0:p1] + ubytes[u0:u1], offs))
    return shards, out


def shard_count(size: int) -> int:
    shards = MIN_SHARDS
    while shards < MAX_SHARDS and size / shards > SHARD_BYTES:
        shards *= 2
    return shards


def build(entries: Iterable[Any], records: dict[str, dict[str, Any]], convert: Callable[[str], str], out: Path) -> dict[str, Any]:
    """Write the index of ``entries`` (``site.DocEntry``: ``path``, ``meta``, ``body``) into
    ``out``; ``records`` maps a page's folder to its page.yml fields (publication, page …).

    Files are written only when their bytes change (an unchanged edition leaves the folder as it
    was) and the files of ours that the new index no longer has are removed; nothing else in
    ``out`` is touched. Deterministic: the same edition gives the same bytes."""
    import base64

    listed = sorted(entries, key=lambda e: _date_key(e.meta, e.path))
    fields = _Fields()
    items = []
    for doc, e in enumerate(listed):
        record = records.get(e.path.rsplit("/", 1)[0], {}) if "/" in e.path else {}
        fields.add(doc, *entry_fields(e.meta, e.body, record))
        items.append(result_data(e.path, e.meta, record))
    traditional(items, convert)
    files: dict[str, bytes] = {}
    shards = MIN_SHARDS
    if fields.texts:
        shards, parts = postings(fields, shard_count)
        for n, (keys, data, offsets) in enumerate(parts):
            files[f"s/{n:04d}.js"] = _js("s", n, {"k": keys, "o": offsets, "b": base64.b64encode(data).decode("ascii")})
    for n in range(0, len(items), BLOCK):
        files[f"m/{n // BLOCK:04d}.js"] = _js("m", n // BLOCK, items[n : n + BLOCK])
    files["fold.js"] = _js("f", 0, "".join(c + s for c, s in sorted(fold_table().items())))
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name])
    head = {"format": FORMAT, "version": digest.hexdigest()[:12], "shards": shards if fields.texts else 0, "entries": len(items),
            "block": BLOCK, "meta_at": META_AT, "body_at": BODY_AT}
    files["index.js"] = _js("i", 0, head)
    written = 0
    for name, data in files.items():
        written += write_if_changed(out / name, data)
    removed = 0
    for sub in ("s", "m"):
        for path in sorted((out / sub).glob("*.js")) if (out / sub).is_dir() else []:
            if f"{sub}/{path.name}" not in files:
                path.unlink()
                removed += 1
    return {"entries": len(items), "shards": head["shards"], "files": len(files), "written": written, "removed": removed,
            "mb": round(sum(len(v) for v in files.values()) / 1e6, 2)}


def search_page() -> str:
    """The search page's staged Markdown (search.md): bm-search.js fills the box. Without
    JavaScript the page says so; the traditional site gets it converted like any page."""
    front = {"title": "检索", "bm_generated": True, "hide": ["toc", "navigation"]}
    return (
        "---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n\n# 检索\n\n"
        # plain text, not <noscript> (the sanitiser keeps only the text): bm-search.js replaces it
        '<div id="bm-search-app" class="bm-search-app">检索需要浏览器启用 JavaScript；'
        "也可以按版面、地区、作者、日期或栏目浏览。</div>\n"
    )
