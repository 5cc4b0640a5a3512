"""The on-disk format of cache files, and the rules for trusting a cache folder.

Every cache file (the compiled lexicons, the word-frequency tables) is a fixed header and a
body::

    magic (16 bytes) | format (uint16) | body length (uint64) | SHA-256 of the body (32 bytes)

so a file cut short, a flipped byte or a file of another version is told apart from a good
one before anything is decoded: :func:`read_body` raises :class:`CacheFileError`, and the
caller rebuilds the file with a one-line warning (:func:`warn`). Pickled bodies are read
with :func:`safe_loads`, which resolves only the classes of this package (and ``array``):
a planted file cannot name ``os.system``. A cache folder is read only when it belongs to
the user running the program and nobody else can write to it (:func:`unsafe_reason`).

>>> body = b"hello"
>>> data = pack(body, 7)
>>> unpack(data, 7, "x.bin") == body
True
>>> unpack(data[:-1], 7, "x.bin")
Traceback (most recent call last):
...
normalise.cachefile.CacheFileError: x.bin: truncated (4 of 5 bytes)
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import stat
import struct
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

__all__ = [
    "CacheFileError",
    "pack",
    "read_body",
    "safe_loads",
    "unpack",
    "unsafe_reason",
    "warn",
    "write_atomic",
    "write_body",
]

MAGIC = b"normalise-cache\0"
_HEADER = struct.Struct("<16sHQ32s")


class CacheFileError(Exception):
    """A cache file that cannot be used: truncated, damaged, of another format."""


def pack(body: bytes, fmt: int) -> bytes:
    """``body`` behind its header (format ``fmt``, length, SHA-256)."""
    return _HEADER.pack(MAGIC, fmt, len(body), hashlib.sha256(body).digest()) + body


def unpack(data: bytes, fmt: int, name: str) -> bytes:
    """The body of ``data`` (a whole cache file), checked; else :class:`CacheFileError`.

    >>> unpack(b"junk", 1, "a.bin")
    Traceback (most recent call last):
    ...
    normalise.cachefile.CacheFileError: a.bin: not a cache file (no header)
    """
    if len(data) < _HEADER.size or not data.startswith(MAGIC):
        raise CacheFileError(f"{name}: not a cache file (no header)")
    _, got_fmt, length, digest = _HEADER.unpack_from(data)
    if got_fmt != fmt:
        raise CacheFileError(f"{name}: format {got_fmt}, expected {fmt}")
    body = memoryview(data)[_HEADER.size :]
    if len(body) != length:
        what = "truncated" if len(body) < length else "longer than its header says"
        raise CacheFileError(f"{name}: {what} ({len(body)} of {length} bytes)")
    if hashlib.sha256(body).digest() != digest:
        raise CacheFileError(f"{name}: checksum mismatch")
    return bytes(body)


def read_body(path: Path, fmt: int) -> bytes | None:
    """The checked body of the cache file at ``path``; None if there is none; a damaged or
    foreign file raises :class:`CacheFileError`."""
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if hasattr(os, "getuid") and st.st_uid != os.getuid():
                raise CacheFileError(f"{path}: owned by another user")
            data = f.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CacheFileError(f"{path}: cannot read: {exc.strerror}") from exc
    return unpack(data, fmt, str(path))


def write_body(path: Path, body: bytes, fmt: int) -> bool:
    """Write ``body`` with its header to ``path``, atomically; False where it cannot."""
    return write_atomic(path, lambda f: (f.write(pack(body, fmt)),))


def write_atomic(path: Path, write: Callable[[IO[bytes]], object]) -> bool:
    """Write a cache file atomically: ``write`` fills a temporary file beside ``path``, which
    then replaces it. False (and nothing left behind) where the folder cannot be written. A
    missing folder is made readable and writable by its owner only."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    except OSError:
        return False  # a read-only home: work without the cache
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            return False
        raise
    return True


def unsafe_reason(folder: Path) -> str | None:
    """Why the cache folder ``folder`` must not be used, or None if it may (or does not
    exist yet: it is then created for its owner only).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     os.chmod(tmp, 0o777)
    ...     print(unsafe_reason(Path(tmp)) is not None)
    True
    """
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if not stat.S_ISDIR(st.st_mode):
        return "is not a folder"
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return "belongs to another user"
    if st.st_mode & 0o022:
        return "can be written by other users"
    return None


_WARNED: set[str] = set()


def warn(message: str) -> None:
    """One line on standard error, once per message and process."""
    if message in _WARNED:
        return
    _WARNED.add(message)
    with contextlib.suppress(OSError, ValueError):  # no standard error to write to
        print(f"normalise: warning: {message}", file=sys.stderr)


# Functions a pickled body may call besides this package's classes: the reducers of the
# lexicon and of arrays. Everything else (os.system, builtins.eval, ...) is refused.
_FUNCTIONS = {("normalise.lexicon", "_restore"), ("array", "_array_reconstructor")}
_CLASSES = {("array", "array")}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _FUNCTIONS or (module, name) in _CLASSES:
            return super().find_class(module, name)
        if module.startswith("normalise.") and "." not in name:
            obj = super().find_class(module, name)
            if isinstance(obj, type) and obj.__module__ == module:
                return obj
        raise pickle.UnpicklingError(f"global '{module}.{name}' is not allowed in a cache file")


def safe_loads(data: bytes) -> Any:
    """``pickle.loads`` that resolves only this package's classes, its lexicon reducer and
    ``array``.

    >>> safe_loads(pickle.dumps(print))
    Traceback (most recent call last):
    ...
    _pickle.UnpicklingError: global 'builtins.print' is not allowed in a cache file
    """
    return _SafeUnpickler(io.BytesIO(data)).load()
