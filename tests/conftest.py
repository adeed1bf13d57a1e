"""Shared fixtures: the seed pages shipped in source_texts/ are the test corpus."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.request import urlopen

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source_texts"
SEEDS = sorted(SOURCE.glob("*.txt"))


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m banmian ARGS`` in ``cwd``, as a user would run it; ``env`` adds variables."""
    return subprocess.run([sys.executable, "-m", "banmian", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})


def run_here(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``banmian ARGS`` in ``cwd`` as ``run`` gives it (exit status, stdout, stderr), but in this
    process: ``banmian.cli.main`` is what ``python -m banmian`` calls. A new interpreter costs an
    import of the package and a load of the gazetteer, about 0.4 s of CPU per call, which dozens of
    ingests in the fast tier paid again and again. An exception ``main`` lets out is printed as the
    interpreter prints it (``Traceback`` on stderr, status 1), so tests asserting there is none still
    see one. Only for commands that start no MkDocs child (its output would bypass the capture):
    ``ingest``, ``check``, ``explain``, and ``site``/``bundle`` where they refuse. ``run`` (a real
    process) stays for the entry point itself, locks, signals and site builds."""
    from banmian.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    saved_env = {k: os.environ.get(k) for k in env or {}}
    saved = (os.getcwd(), sys.stdout, sys.stderr)
    os.environ.update(env or {})
    sys.stdout = stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    try:
        os.chdir(cwd)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors and --help: a status, as the interpreter makes one of it
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
            if isinstance(exc.code, str):
                print(exc.code, file=sys.stderr)
        except Exception:
            traceback.print_exc()
            code = 1
    finally:
        os.chdir(saved[0])
        sys.stdout, sys.stderr = saved[1], saved[2]
        for stream in (stdout, stderr):
            stream.flush()
            stream.detach()  # a wrapper that is collected closes its buffer; the bytes are read below
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    def text(data: io.BytesIO) -> str:  # as subprocess.run(text=True) decodes: universal newlines
        return data.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")

    return subprocess.CompletedProcess(["banmian", *args], code, text(out), text(err))


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """``python -m http.server`` for ``folder`` on 127.0.0.1 (a free port); yields its base URL once
    it answers, and stops it afterwards (the browser tests' hosted site)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urlopen(base, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def items_of(folder: Path, letter: str = "a") -> list[Path]:
    """A page folder's item files of one type (a: articles, c: captions) in reading order, as its
    page.yml lists them: files are named by content (identity.py), not by position."""
    import yaml

    record = yaml.safe_load((folder / "page.yml").read_text(encoding="utf-8"))
    return [folder / i["file"] for i in record["items"] if i["file"].startswith(letter)]


def article_titled(title: str, docs: Path = ROOT / "docs") -> str:
    """``<page>/<name>`` (no suffix) of the item with this title in docs/: tests name articles by
    what they are, not by a file name."""
    import yaml

    for record in sorted(docs.glob("*/page.yml")):
        for item in yaml.safe_load(record.read_text(encoding="utf-8"))["items"]:
            if item["title"] == title:
                return f"{record.parent.name}/{item['file'][:-3]}"
    raise LookupError(f"no item titled {title!r} in {docs}")


@pytest.fixture(scope="session")
def ingested_copy(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``copy(dest, pages=N, source="source_texts")``: ``dest`` becomes an edition of the first N
    seed pages (all by default) in ``source``, with mkdocs.yml and what ``banmian ingest`` made of
    them. Each set is ingested once per run and copied after that: ingest's output does not depend
    on the folder it runs in (test_determinism.py), so a copy is what an ingest there would make."""
    made: dict[tuple[int, str], Path] = {}

    def copy(dest: Path, pages: int = len(SEEDS), source: str = "source_texts") -> Path:
        if (pages, source) not in made:
            base = tmp_path_factory.mktemp(f"ingested-{pages}")
            (base / source).mkdir()
            for seed in SEEDS[:pages]:
                shutil.copy(seed, base / source / seed.name)
            shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
            r = run("ingest", "--source", source, "--docs", "docs", cwd=base)
            assert r.returncode == 0, r.stderr
            made[pages, source] = base
        shutil.copytree(made[pages, source], dest, symlinks=True, dirs_exist_ok=True)
        return dest

    return copy


@pytest.fixture()
def work(ingested_copy: Callable[..., Path], tmp_path: Path) -> Path:
    """Each test its own copy of what one ingest of the seed pages (in ``pages/``) made."""
    return ingested_copy(tmp_path, source="pages")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_pages():
    from banmian.reader import read_pages

    result = read_pages(SOURCE, display_root="source_texts")
    assert not result.errors
    return {p.key: p for p in result.pages}


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run: Playwright's sync API allows one driver per thread."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()
