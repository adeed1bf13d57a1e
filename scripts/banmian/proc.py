"""Child processes with a time limit: a hung MkDocs build (one ``banmian site`` once waited over
4 minutes on a child with no limit) stops with a message instead of holding the build forever.

Each child starts in its own process group, so a timeout or an interrupt ends it together with
whatever it started. The limits are ``*_timeout_s`` in ``data/limits.yml``.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence
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
