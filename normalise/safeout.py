"""Output files that are whole or absent, with the user's permissions, wherever they point.

:func:`open_output` gives a :class:`Sink` that takes text and writes it as UTF-8 (strictly:
a string that cannot be UTF-8 is an error, never a stray byte):

- ``None`` or ``"-"``: standard output; a closed standard output is an :class:`OutputError`.
- a regular file, or a name not taken yet: a temporary file beside it, renamed over it once
  everything is written and flushed to disk; until then the old file is untouched. The new
  file keeps the mode of the file it replaces, else gets the one the umask gives. The
  temporary file is removed when the run fails or is interrupted (SIGINT, SIGTERM: see
  :mod:`normalise.signals`); after a SIGKILL it stays, named ``.NAME.PID.normalise-part``,
  and the next run that writes ``NAME`` removes it once process PID is gone.
- a symbolic link: the file it points to, as above (the link stays a link).
- a FIFO, a character device (``/dev/null``, a terminal), a socket: written directly.

Any failure to write (a missing folder, a full disk, a read-only file system) is an
:class:`OutputError` naming the file: ``out.jsonl: cannot write: No space left on device``.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     target = os.path.join(tmp, "out.txt")
...     with open_output(target) as sink:
...         sink.write("Islamic State\\n")
...     print(open(target, encoding="utf-8").read(), os.listdir(tmp))
Islamic State
 ['out.txt']
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["PART_SUFFIX", "OutputError", "Sink", "open_output", "remove_leftovers"]

PART_SUFFIX = ".normalise-part"


class OutputError(Exception):
    """Output that cannot be written, located: ``file: cannot write: reason``."""


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


class Sink:
    """Text in, strict UTF-8 out, to a binary file; errors become :class:`OutputError`."""

    def __init__(self, f: IO[bytes], name: str) -> None:
        self._f = f
        self.name = name

    def write(self, text: str) -> None:
        if not text:
            return
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate: input checks should stop it
            raise OutputError(f"{self.name}: cannot write a lone surrogate as UTF-8") from exc
        try:
            self._f.write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"{self.name}: cannot write: {_why(exc)}") from exc

    def flush(self) -> None:
        try:
            self._f.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"{self.name}: cannot write: {_why(exc)}") from exc


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the temporary files left beside ``target`` by runs that were killed (their
    process is gone); return them."""
    removed = []
    with contextlib.suppress(OSError):
        for f in target.parent.glob(f".{target.name}.*{PART_SUFFIX}"):
            pid = f.name[len(target.name) + 2 : -len(PART_SUFFIX)]
            if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    f.unlink()
                    removed.append(f)
    return removed


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[Sink]:
    """A :class:`Sink` for ``path`` (see the module's notes); the file is in place once the
    ``with`` block ends without an exception, and untouched if it raises."""
    if path in (None, "-"):
        yield from _stdout()
        return
    assert path is not None
    try:
        st: os.stat_result | None = os.stat(path)  # through links: /dev/stdout is a pipe
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_why(exc)}") from exc
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: cannot write: is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        yield from _special(path)
        return
    real = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    remove_leftovers(real)
    tmp = real.with_name(f".{real.name}.{os.getpid()}{PART_SUFFIX}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # the umask applies
        if st is not None:
            os.fchmod(fd, stat.S_IMODE(st.st_mode))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_why(exc)}") from exc
    try:
        with os.fdopen(fd, "wb", buffering=1 << 16) as f:
            sink = Sink(f, path)
            yield sink
            sink.flush()
            try:
                os.fsync(f.fileno())
            except OSError as exc:
                raise OutputError(f"{path}: cannot write: {_why(exc)}") from exc
        try:
            os.replace(tmp, real)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write: {_why(exc)}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _stdout() -> Iterator[Sink]:
    out = sys.stdout
    if out is None:
        raise OutputError("standard output: cannot write: it is closed")
    with contextlib.suppress(OSError, ValueError):
        out.flush()
    try:
        binary = out.buffer
    except AttributeError:  # replaced by a text-only stream (a test's capture)
        text_sink: Sink = _TextSink(out)
        yield text_sink
        text_sink.flush()
        return
    sink = Sink(binary, "standard output")
    yield sink
    sink.flush()


class _TextSink(Sink):
    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self.name = "standard output"

    def write(self, text: str) -> None:
        if text:
            try:
                text.encode("utf-8")
                self._out.write(text)
            except UnicodeEncodeError as exc:
                raise OutputError(f"{self.name}: cannot write a lone surrogate") from exc
            except OSError as exc:
                raise OutputError(f"{self.name}: cannot write: {_why(exc)}") from exc

    def flush(self) -> None:
        try:
            self._out.flush()
        except OSError as exc:
            raise OutputError(f"{self.name}: cannot write: {_why(exc)}") from exc


def _special(path: str) -> Iterator[Sink]:
    try:
        f = open(path, "wb", buffering=1 << 16)  # noqa: SIM115 - closed below
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_why(exc)}") from exc
    try:
        sink = Sink(f, path)
        yield sink
        sink.flush()
    finally:
        with contextlib.suppress(OSError):
            f.close()
