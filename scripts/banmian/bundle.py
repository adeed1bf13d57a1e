"""Bundle: the built site (both scripts) as one zip that works from file:// offline.

Entries are sorted and stamped with one fixed time (SOURCE_DATE_EPOCH if set), so the same
site gives a byte-identical zip. The bundle is audited before it is written: a page that loads anything
from outside the bundle, or a relative link that does not end at a file, breaks the promise
"unzip, double-click index.html, works without network".
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from .links import check
from .owned import MARKER, check_output_file

ROOT_NAME = "banmian-offline"
BUNDLE_FILE = f"{ROOT_NAME}.zip"  # the hosted site's download link points at it; never inside itself

SERVER_ONLY = ("404.html", "sitemap.xml", "sitemap.xml.gz")


# Offline adaptations of the HTML, each named and counted (the hosted site keeps the original):
# - repo-facts: Material's header fetches the repository's stars and forks from api.github.com,
#   a request out of the bundle; without the component marker the link stays, the fetch goes.
# - hreflang-head-links: <link rel="alternate" hreflang> in the head serve crawlers of the hosted
#   site; on file:// Material follows them to fetch sitemap.xml, which browsers refuse. The
#   script toggle in the header is a separate, relative link and is kept.
OFFLINE_REWRITES: tuple[tuple[str, re.Pattern[bytes], bytes], ...] = (
    ("repo-facts", re.compile(rb' data-md-component="source"'), b""),
    ("hreflang-head-links", re.compile(rb'[ \t]*<link rel="alternate" (?:href="[^"]*" hreflang="[^"]*"|hreflang="[^"]*" href="[^"]*")>\n?'), b""),
)


class BundleError(ValueError):
    """The site cannot work offline as it is; the message lists every problem."""


def zip_time() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01, zip's earliest
    return time.gmtime(max(epoch, 315532800))[:6]


def script_roots(site: Path) -> list[str]:
    """The site root and every nested MkDocs site in it (zh-Hant/), as bundle-relative prefixes."""
    roots = [""]
    for child in sorted(site.iterdir()):
        if child.is_dir() and (child / "index.html").is_file() and (child / "assets").is_dir():
            roots.append(child.name + "/")
    return roots


def offline_html(data: bytes, counts: Counter[str]) -> bytes:
    for name, pattern, replacement in OFFLINE_REWRITES:
        data, n = pattern.subn(replacement, data)
        counts[name] += n
    return data


def collect(site: Path, counts: Counter[str] | None = None) -> dict[str, bytes]:
    """Every file of the bundle (path relative to the bundle root → bytes), HTML adapted offline.

    404.html and the sitemaps serve web servers and crawlers only; the 404 page also uses
    absolute URLs, which on file:// point at the disk's root. They are left out.
    """
    roots = script_roots(site)
    server_only = {root + name for root in roots for name in SERVER_ONLY}
    counts = Counter() if counts is None else counts
    files = {}
    for p in sorted(site.rglob("*")):
        if not p.is_file() or (rel := p.relative_to(site).as_posix()) in server_only or rel == MARKER:
            continue
        if re.fullmatch(r"sitemap-\d+\.xml", p.name) and any(rel == root + p.name for root in roots):
            continue  # the parts of a split sitemap (banmian.sitemap): for crawlers too
        files[rel] = p.read_bytes()
    for rel in files:
        if rel.endswith(".html"):
            files[rel] = offline_html(files[rel], counts)
    return files


def audit(files: Mapping[str, bytes]) -> list[str]:
    """Problems that would break the bundle offline (``links.check``, offline reading): outside
    loads and relative links that do not end at a file. The hosted download link names the
    bundle itself, which is never inside it."""
    return check(files, offline=True, skip=(BUNDLE_FILE,))


def is_bundle(path: Path) -> bool:
    """Whether ``path`` is an offline bundle this tool made (every entry under ``ROOT_NAME/``):
    only such a file is ever written over."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
    return bool(names) and all(n.startswith(f"{ROOT_NAME}/") for n in names)


def write_zip(files: Mapping[str, bytes], out: Path) -> Path:
    """Write the zip beside ``out`` under a temporary name, then rename: ``out`` is the old bundle
    or the new one, never half of one. A failed write (a full disk) removes the temporary file
    and raises ``BundleError`` naming the cause."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    tmp = Path(name)
    stamp = zip_time()
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for rel in sorted(files):
                info = zipfile.ZipInfo(f"{ROOT_NAME}/{rel}", date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, files[rel])
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BundleError(f"{out}: 无法写入离线包 / cannot write the offline bundle: {exc.strerror or exc}; "
                          "free some space or give --out another place (nothing was left half-written)") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def _say(lines: Iterable[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def make_bundle(site: Path, out: Path, strict: bool = False) -> Path:
    """Zip the site; outside loads always stop it, dangling links stop it only when ``strict``."""
    check_output_file(out, Path.cwd(), "--out", is_bundle)
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site}/index.html: 没有已构建的网站 / no built site here; run 'banmian site' first")
    counts: Counter[str] = Counter()
    files = collect(site, counts)
    problems = audit(files)
    loads = [p for p in problems if "from outside the bundle" in p]
    if loads or (strict and problems):
        bad = loads if not strict else problems
        raise BundleError(
            "离线包无法离线使用 / the bundle would not work offline:\n  " + "\n  ".join(bad[:50])
            + (f"\n  … and {len(bad) - 50} more" if len(bad) > 50 else "")
            + "\nCheck mkdocs.yml (theme.font: false) and the theme."
        )
    if problems:
        _say([f"警告 / warning: {len(problems)} link(s) in the bundle do not end at a file:", *(f"  {p}" for p in problems[:20])])
        if len(problems) > 20:
            _say([f"  … and {len(problems) - 20} more"])
    if counts:
        _say(["离线调整 / offline adaptations: " + ", ".join(f"{k} ×{v}" for k, v in sorted(counts.items()))])
    return write_zip(files, out)
