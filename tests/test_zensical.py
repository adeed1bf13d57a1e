"""Life after Material: the staged simplified tree builds with Zensical (Material's successor),
which reads the same mkdocs.yml and theme overrides but runs none of MkDocs' plugins or hooks.

Zensical is not a dependency: install it (``pip install zensical``, best in its own virtual
environment) and point ``BANMIAN_ZENSICAL`` at its command, or have ``zensical`` on PATH; else
the test is skipped. ``.ci/run`` runs it apart, and a failure there does not fail CI.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from banmian import site

# a relative BANMIAN_ZENSICAL (.ci/run gives .ci/zensical/bin/zensical) is read from where pytest
# starts: the test runs Zensical in its own folder
ZENSICAL = str(Path(os.environ["BANMIAN_ZENSICAL"]).absolute()) if os.environ.get("BANMIAN_ZENSICAL") else shutil.which("zensical")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not ZENSICAL, reason="pip install zensical, or BANMIAN_ZENSICAL=path/to/zensical")]

HAN_RUN = re.compile(r"[\u4e00-\u9fff，、：；“”]{12,}")


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_staged_tree_builds_with_zensical(tmp_path: Path, ingested_copy) -> None:
    edition = ingested_copy(tmp_path / "edition")
    stage_root = tmp_path / "stage"
    site.stage(edition / "docs", stage_root, edition)
    cfg_path = site.write_config(edition, stage_root, "zh-Hans")
    # the same config; only site_dir relative, as Zensical wants it inside the project folder
    cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    cfg["site_dir"] = "zensical-site"
    variant = cfg_path.with_name("zensical.yml")
    variant.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}  # plain text in a failure's message
    r = subprocess.run([str(ZENSICAL), "build", "-f", variant.name], cwd=cfg_path.parent, capture_output=True, text=True, timeout=900, env=env)
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]

    built = cfg_path.parent / "zensical-site"
    docs = stage_root / "zh-Hans" / "docs"
    articles = 0
    for md in sorted(docs.glob("*/a*.md")):
        front, body = md.read_text(encoding="utf-8")[4:].split("\n---\n", 1)
        meta = json.loads(front) if front.startswith("{") else {}
        if meta.get("type") != "article":
            continue  # an index page (browse/authors.md)
        articles += 1
        text = visible_text((built / md.relative_to(docs).with_suffix(".html")).read_text(encoding="utf-8"))
        assert html.unescape(meta["title"]) in text, md
        for author in meta.get("authors") or []:
            assert author["name"] in text, (md, author)
        run = HAN_RUN.search(body)
        assert run is not None and run.group() in text, md
    assert articles >= 30
