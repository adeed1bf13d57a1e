"""Run one MkDocs build the way ``banmian site`` needs it: warnings shown, ``--strict`` honoured,
``--dirty`` without its development-only warning.

``mkdocs build -q --strict`` passes with warnings (``-q`` drops them before strict mode counts
them), and ``mkdocs build --dirty`` always warns that a dirty build is for development, which
``--strict`` then turns into a failure. ``banmian site`` builds incrementally on purpose (only
the pages whose staged Markdown changed; ``banmian.mkdocs_hooks`` keeps the search index whole),
so this runner shows warnings, counts them for ``--strict``, and drops that one message.

``python -m banmian.mkdocs_run CONFIG [--dirty] [--strict]``; exit 0 on success, 1 on failure.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

DIRTY_NOTICE = "A 'dirty' build is being performed"


class _DropDirtyNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_NOTICE)


class InPlace:
    """A full build written over the previous one instead of into an emptied site_dir.

    MkDocs empties site_dir before a full build, so every page becomes a new file; ``banmian
    site`` then links all of them into site/ again and the old ones are freed, one by one, in the
    main process (five seconds at 9,300 articles on this machine's disk). Written over in place,
    a file keeps its inode: site/'s hard link already shows the new bytes and nothing is linked.
    What the build did not write (a removed page, a renamed theme asset) is removed afterwards:
    every file MkDocs or a plugin writes gets a modification time at or after the marker made at
    the start, by whatever code writes it; older files are left from before. ``finish`` refuses
    (False) when a file written through MkDocs' own functions looks older than the marker: the
    clock went back, and the caller builds again the way MkDocs does."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.mark = site_dir.parent / f".{site_dir.name}-build-started"
        self.written: list[str] = []
        self.since = 0

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        from mkdocs import utils

        self.site_dir.parent.mkdir(parents=True, exist_ok=True)
        self.mark.write_bytes(b"")
        self.since = self.mark.stat().st_mtime_ns  # the file system's clock, which stamps the pages
        saved = utils.clean_directory, utils.write_file, utils.copy_file

        def write_file(content: bytes, output_path: str) -> None:
            saved[1](content, output_path)
            self.written.append(output_path)

        def copy_file(source_path: str, output_path: str) -> None:
            saved[2](source_path, output_path)
            self.written.append(output_path)

        utils.clean_directory, utils.write_file, utils.copy_file = (lambda directory: None), write_file, copy_file
        try:
            yield
        finally:
            utils.clean_directory, utils.write_file, utils.copy_file = saved

    def finish(self) -> bool:
        """Remove what this build did not write; False (nothing removed) if the clock went back."""
        try:
            if any(os.stat(p).st_mtime_ns < self.since for p in self.written if os.path.isfile(p)):
                return False
            for dirpath, dirs, names in os.walk(self.site_dir, topdown=False):
                top = os.path.samefile(dirpath, self.site_dir)
                for name in names:
                    path = os.path.join(dirpath, name)
                    if not (top and name.startswith(".")) and os.lstat(path).st_mtime_ns < self.since:
                        os.unlink(path)  # as MkDocs' clean, top-level hidden files are left alone
                for name in dirs:
                    path = os.path.join(dirpath, name)
                    if not (top and name.startswith(".")) and not os.listdir(path):
                        os.rmdir(path)
            return True
        finally:
            self.mark.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m banmian.mkdocs_run")
    p.add_argument("config")
    p.add_argument("--dirty", action="store_true", help="only rebuild pages whose Markdown is newer than their HTML")
    p.add_argument("--strict", action="store_true", help="any warning fails the build")
    args = p.parse_args(argv)

    from mkdocs import exceptions
    from mkdocs.commands import build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyNotice())

    def run(in_place: bool) -> bool:
        cfg = load_config(config_file=args.config, strict=args.strict)
        site_dir = Path(cfg.site_dir)
        # written over in place (and what it did not write removed) only in banmian's own stage
        # layout, STAGE/<script>/mkdocs.yml beside STAGE/<script>/site: never a folder a config names
        ours = site_dir.resolve() == Path(args.config).resolve().parent / "site"
        over = InPlace(site_dir) if in_place and ours else None
        cfg.plugins.on_startup(command="build", dirty=args.dirty)
        try:
            with over.writing() if over else contextlib.nullcontext():
                build.build(cfg, dirty=args.dirty)
        finally:
            cfg.plugins.on_shutdown()
        return over.finish() if over else True

    try:
        if not run(in_place=not args.dirty):
            logger.warning("the clock went back during the build: building again into an emptied site folder")
            run(in_place=False)
    except exceptions.MkDocsException as exc:
        print(f"{args.config}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
