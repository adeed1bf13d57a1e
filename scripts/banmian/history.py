"""History: when an article was last corrected by a person, and by whom, from git.

Rule: a commit counts as a correction of a file when the file's content *after* that commit is
hand-edited (``emit.is_hand_edited``) and differs from the content before it in more than
whitespace (``emit.same_text``: trimming spaces or blank lines corrects nothing). Ingest never rewrites a hand-edited file, so commits that
only regenerated an article (whoever made them) leave generated content behind and do not count;
a proofreader who only raised ``status`` does count. If the current file is plain generator output,
nobody's correction survives in it and the answer is empty.

Cost: one ``git log --raw`` over the docs folder and one ``git cat-file --batch`` for the blobs of
currently hand-edited files, for the whole archive, cached per process (``clear_cache``). Without
git, outside a repository, or in a shallow clone (where the oldest visible commit would wrongly
appear to have written every file) the answer is empty: the build never depends on history.
"""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

from .emit import is_hand_edited, same_text

_NULL_SHA = "0" * 40


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """``git ARGS`` in ``root``: its output, or None when git is missing, fails or times out."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args], cwd=root, input=stdin, capture_output=True, check=False, timeout=300
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _name(value: str) -> str:
    """``Name <mail>`` → ``Name``."""
    return value.split("<", 1)[0].strip()


def _parse_log(raw: str) -> dict[str, list[tuple[str, list[str], str]]]:
    """path → [(date, names, blob after the commit)], newest first."""
    touches: dict[str, list[tuple[str, list[str], str]]] = {}
    for chunk in raw.split("\x00"):
        if not chunk.strip():
            continue
        header, _, rest = chunk.partition("\n")
        parts = header.split("\x1f")
        if len(parts) < 3:
            continue
        date, author = parts[2], parts[1]
        coauthors = [_name(v) for v in (parts[3] if len(parts) > 3 else "").split("\x1e") if v.strip()]
        names = [n for n in [_name(author), *coauthors] if n and not n.endswith("[bot]")]
        for line in rest.splitlines():
            if not line.startswith(":") or "\t" not in line:
                continue
            meta, path = line.split("\t", 1)
            fields = meta.split()
            if len(fields) < 5 or fields[4].startswith("D") or fields[3] == _NULL_SHA:
                continue
            touches.setdefault(path, []).append((date, names, fields[3]))
    return touches


def _read_blobs(root: Path, shas: list[str]) -> dict[str, str]:
    out = git(root, "cat-file", "--batch", stdin="".join(s + "\n" for s in shas).encode())
    blobs: dict[str, str] = {}
    pos = 0
    while out is not None and pos < len(out):
        end = out.index(b"\n", pos)
        head = out[pos:end].decode().split()
        pos = end + 1
        if len(head) < 3 or head[1] != "blob":
            continue  # "<sha> missing"
        size = int(head[2])
        blobs[head[0]] = out[pos : pos + size].decode("utf-8", "replace")
        pos += size + 1
    return blobs


@cache
def _index(root: Path, folder: str) -> dict[str, dict[str, object]]:
    """History of every currently hand-edited file under ``folder`` (repo-relative paths)."""
    probe = git(root, "rev-parse", "--is-shallow-repository")
    if probe is None or probe.strip() != b"false":
        return {}
    log = git(
        root, "log", "--relative", "--no-renames", "--raw", "--no-abbrev", "--date=short",
        "--format=%x00%H%x1f%an%x1f%ad%x1f%(trailers:key=Co-authored-by,valueonly,separator=%x1e)",
        "--", folder,
    )
    if log is None:
        return {}
    touches = _parse_log(log.decode("utf-8", "replace"))
    edited: dict[str, list[tuple[str, list[str], str]]] = {}
    for path, commits in touches.items():
        try:
            current = (root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if is_hand_edited(current):
            edited[path] = commits
    blobs = _read_blobs(root, sorted({sha for commits in edited.values() for _, _, sha in commits}))
    index: dict[str, dict[str, object]] = {}
    for path, commits in edited.items():
        counted = [
            (date, names)
            for n, (date, names, sha) in enumerate(commits)
            if sha in blobs and is_hand_edited(blobs[sha])
            and not (n + 1 < len(commits) and commits[n + 1][2] in blobs and same_text(blobs[sha], blobs[commits[n + 1][2]]))
        ]
        if not counted:
            continue
        contributors: list[str] = []
        for _, names in reversed(counted):  # oldest first: the first corrector leads
            contributors.extend(n for n in names if n not in contributors)
        index[path] = {"last_corrected": max(date for date, _ in counted), "contributors": contributors}
    return index


@cache
def _resolved(root: Path) -> Path:
    """``root.resolve()`` once a process, not once an article (10,000 system calls a build)."""
    return Path(root).resolve()


def article_history(repo_root: Path, docs_rel: str) -> dict[str, object]:
    """``{"last_corrected": "YYYY-MM-DD" | None, "contributors": [names]}`` for ``docs/<path>``.

    ``docs_rel`` is relative to ``repo_root``; the first call reads the history of its whole top
    folder, later calls are dictionary look-ups.
    """
    rel = docs_rel.replace("\\", "/").lstrip("/")
    folder = rel.split("/", 1)[0]
    found = _index(_resolved(repo_root), folder).get(rel)
    if not found:
        return {"last_corrected": None, "contributors": []}
    return {"last_corrected": found["last_corrected"], "contributors": list(found["contributors"])}  # type: ignore[call-overload]


def clear_cache() -> None:
    """Forget cached histories (after new commits in a long-running process or a test)."""
    _index.cache_clear()
    _resolved.cache_clear()
