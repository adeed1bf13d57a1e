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
import logging
import sys

DIRTY_NOTICE = "A 'dirty' build is being performed"


class _DropDirtyNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_NOTICE)


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

    try:
        cfg = load_config(config_file=args.config, strict=args.strict)
        cfg.plugins.on_startup(command="build", dirty=args.dirty)
        try:
            build.build(cfg, dirty=args.dirty)
        finally:
            cfg.plugins.on_shutdown()
    except exceptions.MkDocsException as exc:
        print(f"{args.config}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
