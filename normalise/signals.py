"""Signals: a run stopped by SIGTERM or SIGINT cleans up; workers die with their parent.

The command line calls :func:`install` first: SIGTERM (``kill``, ``timeout``, a container
stop) and SIGHUP then raise :class:`Interrupted`, as SIGINT raises ``KeyboardInterrupt``,
so that every ``finally`` runs (a temporary output file is removed) and the exit status is
128 plus the signal's number (130 for SIGINT, 143 for SIGTERM).

Worker processes start with :func:`worker_init`: they ignore SIGINT (a Ctrl-C reaches the
whole process group; the parent decides), and die when their parent does, however it dies
(SIGKILL too): on Linux the kernel sends them SIGKILL (``PR_SET_PDEATHSIG``), and a watcher
thread also ends a worker whose parent has changed.

>>> exit_status(Interrupted(15))
143
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

__all__ = ["Interrupted", "blocked_signals", "exit_status", "install", "worker_init"]


class Interrupted(BaseException):
    """The run was stopped by a signal (a BaseException, like KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    def __str__(self) -> str:
        return f"interrupted by {signal.Signals(self.signum).name}"


def exit_status(exc: BaseException) -> int:
    """128 + the signal's number, for an :class:`Interrupted` or a ``KeyboardInterrupt``."""
    if isinstance(exc, Interrupted):
        return 128 + exc.signum
    return 128 + signal.SIGINT


def _raise(signum: int, frame: FrameType | None) -> None:
    # Once: a second signal during the clean-up must not interrupt it.
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_IGN)
    raise Interrupted(signum)


def install() -> None:
    """SIGTERM and SIGHUP raise :class:`Interrupted` in the main thread from now on."""
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, _raise)


def _parent_death_signal() -> None:
    """Ask Linux to SIGKILL this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no libc prctl
        pass


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(0.5)


_HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@contextlib.contextmanager
def blocked_signals() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP held (not lost) while the block runs: a worker process
    forked in it starts with them blocked, so none can reach it before :func:`worker_init`
    has set its own handlers (it would print a traceback)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def worker_init(parent: int) -> None:
    """Set a worker process up: SIGINT ignored, SIGTERM back to its default, and death
    when the process ``parent`` (the pool's owner) is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    _parent_death_signal()
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
