"""Output folders the tool owns, and the one-run-at-a-time lock of a working tree.

``banmian site --site DIR`` once removed every file of DIR that the build had not written:
``--site .`` emptied the repository, ``--site docs`` every article. Now a command writes only
into a folder it owns:

- the folder must not be, or hold, the edition's folder (where ``mkdocs.yml`` is), ``docs/``,
  ``source_texts/`` or ``.git``, and must not lie inside ``docs/``, ``source_texts/`` or ``.git``;
- it is new or empty (the tool creates it and writes a marker file, ``MARKER``), or it holds that
  marker from an earlier run; any other non-empty folder is refused;
- the marker lists every file the tool wrote there; a later run removes only files on that list
  (``OwnedFolder.may_delete``), so a file a person puts into the folder is never deleted.

The default ``site/`` of an edition built by a banmian without markers is adopted once, with a
notice: nothing in it is removed until the marker lists it (stale pages stay until the folder is
removed by hand).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MARKER = ".banmian-output"
MARKER_FORMAT = "banmian-output 1"
LOCK = Path("build") / "banmian.lock"
#: Folders a site or a bench run may never be, hold, or sit inside (relative to the edition).
PROTECTED = ("docs", "source_texts", ".git")


class OutputRefused(Exception):
    """The requested output folder or file is not one the tool may write into."""


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def refusal(target: Path, root: Path, protect: Iterable[Path] = ()) -> str | None:
    """Why ``target`` may not receive tool output (None: it may): it is or holds the edition or a
    protected folder, or lies inside a protected folder."""
    real, real_root = target.resolve(), root.resolve()
    guarded = [real_root / name for name in PROTECTED] + [p.resolve() for p in protect]
    if _is_within(real_root, real):
        return f"它是（或包含）项目文件夹 {real_root} / it is or holds the project folder {real_root}"
    for folder in guarded:
        if _is_within(folder, real):
            return f"它是（或包含）{folder} / it is or holds {folder}"
        if _is_within(real, folder):
            return f"它在 {folder} 之内 / it lies inside {folder}"
    return None


@dataclass
class OwnedFolder:
    """A folder the tool may write into; ``files`` are those it wrote there before."""

    path: Path
    files: set[str] = field(default_factory=set)

    def may_delete(self, rel: str) -> bool:
        """Only files this tool recorded writing are ever removed."""
        return rel in self.files

    def save(self, files: Iterable[str]) -> None:
        """Record what the folder now holds from the tool (the next run may remove those)."""
        from .emit import atomic_write

        self.files = set(files)
        data = {"format": MARKER_FORMAT, "files": sorted(self.files)}
        atomic_write(self.path / MARKER, json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


def claim(target: Path, root: Path, option: str, protect: Iterable[Path] = (), adopt_default: Path | None = None,
          example: str = "site") -> OwnedFolder:
    """The folder ``target`` as an ``OwnedFolder`` (created, with its marker, when new or empty);
    ``OutputRefused`` naming ``option`` when the tool may not write there. ``adopt_default``: the
    edition's default output folder, adopted without a marker (made by an earlier banmian)."""
    why = refusal(target, root, protect)
    if why:
        raise OutputRefused(f"{target}: 拒绝写入 / refusing to write here: {why}. Give {option} a new or empty folder of its own, "
                            f"e.g. {option} {example}")
    marker = target / MARKER
    if target.exists() and not target.is_dir():
        raise OutputRefused(f"{target}: 不是文件夹 / is not a folder; give {option} a new or empty folder, e.g. {option} {example}")
    if marker.is_file():
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
            files = data["files"] if data.get("format") == MARKER_FORMAT else []
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            files = []  # a damaged record: nothing may be removed, everything is written again
        return OwnedFolder(target, {f for f in files if isinstance(f, str)})
    if target.is_dir() and any(target.iterdir()):
        adopted = adopt_default is not None and target.resolve() == adopt_default.resolve()
        if not adopted:
            raise OutputRefused(f"{target}: 文件夹不是空的，也不是 banmian 建立的 / the folder is not empty and was not made by banmian "
                                f"(no {MARKER}): nothing in it is written or deleted. Give {option} a new or empty folder, e.g. {option} {example}")
        print(f"{target}: 由较早版本的 banmian 建立，现在接管；其中不再生成的旧文件不会被删除 / made by an earlier banmian, adopted: "
              "files it no longer makes are not removed; delete the folder once for a clean site", file=sys.stderr)
    target.mkdir(parents=True, exist_ok=True)
    owned = OwnedFolder(target)
    owned.save([])
    return owned


def refuse_committed(root: Path, folders: Iterable[Path]) -> None:
    """``OutputRefused`` when git tracks a file inside a folder the tool fills and reads back
    (``build/``: the staged tree, caches, Jinja's compiled templates; ``site/``).

    The tool trusts what it wrote there on an earlier run: a rendered page is kept when its
    fingerprint matches, a compiled template is loaded as Python code. A pull request can commit
    such files with ``git add -f`` past ``.gitignore``; CI would then publish a planted page or run
    planted code. Outside a git checkout (or without git) there is nothing to check.
    """
    inside = [f for f in folders if _is_within(f.resolve(), root.resolve()) and f.resolve() != root.resolve()]
    if not inside or not (root / ".git").exists():
        return
    from .history import git

    out = git(root, "ls-files", "-z", "--", *(str(f.resolve()) for f in inside))
    tracked = [name for name in (out or b"").decode("utf-8", "replace").split("\0") if name]
    if tracked:
        raise OutputRefused(f"{root / tracked[0]}: 构建输出不应提交到仓库（共 {len(tracked)} 个文件）/ build output is committed to the "
                            f"repository ({len(tracked)} file(s)); the tool would trust it as its own. Remove it from git: "
                            f"git rm -r --cached {' '.join(sorted({t.split('/')[0] for t in tracked}))}")


def check_output_file(out: Path, root: Path, option: str, is_ours: object) -> None:
    """A file the tool is to write (the offline zip): not inside a protected folder, not a folder,
    and not an existing file the tool did not make (``is_ours(path) -> bool``)."""
    why = refusal(out, root)
    if why:
        raise OutputRefused(f"{out}: 拒绝写入 / refusing to write here: {why}. Give {option} a path outside them, e.g. dist/banmian-offline.zip")
    if out.is_dir():
        raise OutputRefused(f"{out}: 是文件夹 / is a folder; give {option} a file name, e.g. dist/banmian-offline.zip")
    if out.exists() and not (out.is_file() and callable(is_ours) and is_ours(out)):
        raise OutputRefused(f"{out}: 已存在且不是 banmian 生成的离线包，不会覆盖 / exists and is not an offline bundle banmian made; "
                            f"it is not overwritten: move it away or give {option} another name")


@contextlib.contextmanager
def tree_lock(root: Path, command: str) -> Iterator[None]:
    """One writing run per working tree: ``build/banmian.lock`` held with ``flock`` for the whole
    command. A second run stops at once with ``OutputRefused`` naming the holder; the lock goes
    with the process (a killed run leaves none behind)."""
    path = root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "?"
            raise OutputRefused(f"{path}: 另一个 banmian 正在此目录运行（{holder}）/ another banmian run holds the lock of this "
                                f"working tree ({holder}); wait for it to finish, then run 'banmian {command}' again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: banmian {command}".encode(), 0)
        yield
    finally:
        os.close(fd)
