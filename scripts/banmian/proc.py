"""Child processes with a time limit: a hung MkDocs build (one ``banmian site`` once waited over
4 minutes on a child with no limit) stops with a message instead of holding the build forever.

Each child starts in its own process group, so a timeout or an interrupt ends it together with
whatever it started. The limits are ``*_timeout_s`` in ``data/limits.yml``.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable, Sequence
from typing import Any

from .limits import limit


class TimedOut(RuntimeError):
    """A child process ran past its limit and was stopped."""


def _stop(proc: subprocess.Popen[Any]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def start(cmd: Sequence[str], **kwargs: Any) -> subprocess.Popen[Any]:
    """``Popen`` in a process group of its own (``wait`` and ``stop`` end the whole group)."""
    return subprocess.Popen(cmd, start_new_session=True, **kwargs)


def wait(proc: subprocess.Popen[Any], limit_name: str, what: str, started_s: float = 0.0) -> int:
    """The child's exit status; ``TimedOut`` (the child stopped) when it runs past ``limit_name``
    seconds, less ``started_s`` already spent waiting on others; any interruption stops it too."""
    seconds = limit(limit_name)
    try:
        return proc.wait(timeout=max(1.0, seconds - started_s))
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise TimedOut(f"{what}: 超过 {seconds} 秒仍未结束，已停止 / did not finish within {seconds} s and was stopped "
                       f"({limit_name} in banmian/data/limits.yml); run it again, and if it hangs again, report it") from None
    except BaseException:
        _stop(proc)
        raise


def stop(proc: subprocess.Popen[Any]) -> None:
    """End a child and everything it started."""
    if proc.poll() is None:
        _stop(proc)


class Forked:
    """``fn()`` run beside the caller in a forked child (where the platform forks; elsewhere
    inline), for work that needs the caller's objects but not its later state: the search index
    is built while the two scripts are staged. ``result()`` waits (at most ``limit_name``
    seconds) and raises the child's error as a ``RuntimeError`` with its message."""

    def __init__(self, fn: Callable[[], object], what: str, limit_name: str) -> None:
        import multiprocessing

        self.what, self.limit_name = what, limit_name
        self.proc: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            fn()
            return
        ctx = multiprocessing.get_context("fork")
        self.receive, send = ctx.Pipe(duplex=False)

        def run() -> None:
            try:
                fn()
                send.send(None)
            except BaseException as exc:  # the message goes to the caller, which raises it
                send.send(str(exc) or type(exc).__name__)
                raise SystemExit(1) from None

        self.proc = ctx.Process(target=run, daemon=True)
        self.proc.start()
        send.close()

    def result(self) -> None:
        if self.proc is None:
            return
        seconds = limit(self.limit_name)
        try:
            self.proc.join(seconds)
            if self.proc.is_alive():
                raise TimedOut(f"{self.what}: 超过 {seconds} 秒仍未结束，已停止 / did not finish within {seconds} s and was stopped "
                               f"({self.limit_name} in banmian/data/limits.yml)")
            message = self.receive.recv() if self.receive.poll() else None
            if self.proc.exitcode != 0:
                raise RuntimeError(f"{self.what}: {message or f'exit status {self.proc.exitcode}'}")
        finally:
            self.stop()

    def stop(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
