"""Bundle: the built site (both scripts) as one zip that works from file:// offline.

Entries are sorted and stamped with one fixed time (SOURCE_DATE_EPOCH if set), so the same
site gives a byte-identical zip.
"""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

ROOT_NAME = "banmian-offline"


def zip_time() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01, zip's earliest
    return time.gmtime(max(epoch, 315532800))[:6]


def make_bundle(site: Path, out: Path) -> Path:
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site}/index.html: 没有已构建的网站 / no built site here; run 'banmian site' first")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    stamp = zip_time()
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            rel = path.relative_to(site).as_posix()
            info = zipfile.ZipInfo(f"{ROOT_NAME}/{rel}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    os.replace(tmp, out)
    return out
