"""Inputs read as streams of blocks, and a job run over the blocks in worker processes.

An input is a plain text or JSON Lines file, optionally compressed (``.gz``, ``.bz2``,
``.xz``: detected by suffix, which is stripped before the format is), ``-`` for standard
input, or a folder (every file inside, recursively, in sorted order, except hidden files and
``*.gold.jsonl*`` / ``*.meta.json`` sidecars). Memory stays flat in the input's size:

- plain text goes in :class:`TextBlock` s of whole paragraphs (about 1 MB, cut at a blank
  line), whose mentions are reported with offsets into the whole file;
- JSON Lines goes in :class:`RecordBatch` es of raw lines (up to about 1 MB of text or 1,000
  records), parsed by whoever processes the batch, so a worker pool spreads that cost too.

:func:`ordered_map` runs a function over the blocks, in worker processes if asked, and gives
the results in input order with a bounded number of blocks in flight. :class:`Job` is what
``normalise find`` and ``normalise text`` do to one block; it returns the block's output as one
string, so the main process only reads input and writes strings.

>>> from normalise.lexicon import Lexicon
>>> from normalise.normaliser import Normaliser
>>> job = Job(Normaliser(Lexicon.from_dict({"Iraq": ["Irak"]})), "text")
>>> job(TextBlock("notes.txt", 0, 0, "In Irak.\\n", 9)).text
'In Iraq.\\n'
"""

from __future__ import annotations

import bz2
import codecs
import contextlib
import fnmatch
import gzip
import io
import json
import lzma
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .normaliser import Normaliser

from .output import Mention, rewrite

__all__ = [
    "Block",
    "InputError",
    "Job",
    "Output",
    "ReadError",
    "RecordBatch",
    "Skipped",
    "Source",
    "TextBlock",
    "expand_inputs",
    "find_in_windows",
    "input_format",
    "ordered_map",
    "owned_mentions",
    "parse_record",
    "read_blocks",
    "strip_compression",
]

# Plain text is processed in blocks of whole paragraphs: a block ends at a blank line once it
# holds _BLOCK_CHARS characters. A paragraph (or a line) longer than _MAX_BLOCK_CHARS is cut
# anywhere, into blocks that overlap by _OVERLAP_CHARS on each side: a name that crosses the
# cut is found whole, by the block it starts in (see TextBlock). Memory stays bounded, and
# per-call overhead is paid per block, not per paragraph.
_BLOCK_CHARS = 1 << 20
_MAX_BLOCK_CHARS = 1 << 20
_OVERLAP_CHARS = 1024
# Input is read in pieces of at most this many bytes, however long its lines.
_PIECE_BYTES = 1 << 18
# A JSON Lines record longer than this is a bad record, not read into memory.
_MAX_RECORD_BYTES = 1 << 25
# JSON Lines records travel in batches, so that per-task overhead (a pickle round trip to a
# worker) is paid per batch, not per record.
_BATCH_CHARS = 1 << 20
_BATCH_RECORDS = 1000
# Blocks submitted to a pool and not yet written, per worker: enough to keep every worker
# busy while the main process writes, few enough that memory stays flat on huge inputs.
_IN_FLIGHT_PER_WORKER = 3

_COMPRESSIONS = (".gz", ".bz2", ".xz")
_SIDECARS = ("*.gold.jsonl*", "*.meta.json")
# Characters a line decoded from UTF-8 can only hold where its bytes were not valid UTF-8
# (decoded with surrogateescape), and the JSON escapes that can make a lone surrogate.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")

T = TypeVar("T")
R = TypeVar("R")


class InputError(Exception):
    """Bad input, located: ``file:line: message``."""


class ReadError(InputError):
    """An input that cannot be read (a closed standard input, a read error of the disk),
    as against one that is bad: ``file:line: cannot read: reason``."""


# -- files -------------------------------------------------------------------------------------


def strip_compression(path: str) -> str:
    """``path`` without a compression suffix.

    >>> strip_compression("dump.jsonl.gz"), strip_compression("notes.txt")
    ('dump.jsonl', 'notes.txt')
    """
    for suffix in _COMPRESSIONS:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def input_format(path: str, fmt: str = "auto") -> Literal["text", "jsonl"]:
    """``"jsonl"`` or ``"text"``: ``fmt`` unless it is ``"auto"``, else by file name.

    >>> input_format("posts.ndjson.xz"), input_format("report.txt.gz"), input_format("-")
    ('jsonl', 'text', 'text')
    """
    if fmt in ("text", "jsonl"):
        return fmt  # type: ignore[return-value]
    if fmt != "auto":
        raise ValueError(f"format must be 'auto', 'text' or 'jsonl', got {fmt!r}")
    name = strip_compression(path)
    return "jsonl" if name.endswith((".jsonl", ".ndjson", ".jsonl.txt")) else "text"


def expand_inputs(paths: Iterable[str]) -> list[str]:
    """The input files named by ``paths``: each folder replaced by the files inside it.

    Folders are walked recursively in sorted order; hidden files and folders and the
    ``*.gold.jsonl*`` and ``*.meta.json`` sidecars of benchmark dumps are left out.
    """
    out: list[str] = []
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            out.append(path)
            continue
        root = Path(path)
        found = [
            str(p)
            for p in sorted(root.rglob("*"))
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(root).parts)
            and not any(fnmatch.fnmatch(p.name, pattern) for pattern in _SIDECARS)
        ]
        if not found:
            raise InputError(f"{path}: no input files in this folder")
        out.extend(found)
    return out


class Source:
    """One input opened for reading: its decoded, numbered lines, and how far it is read.

    Use as a context manager. Invalid UTF-8 and corrupt compressed data are errors naming
    the file and the line.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.name = "<stdin>" if path == "-" else path
        self._raw: IO[bytes]
        if path == "-":
            if sys.stdin is None:
                raise ReadError("standard input: cannot read: it is closed")
            self._raw = sys.stdin.buffer
        else:
            try:
                self._raw = open(path, "rb")  # noqa: SIM115 - closed by close()
            except OSError as exc:
                raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
        # The decompressors read the raw file, whose position then says how far it is read.
        self._stream: io.BufferedIOBase | IO[bytes]
        if path.endswith(".gz"):
            self._stream = gzip.GzipFile(fileobj=self._raw, mode="rb")
        elif path.endswith(".bz2"):
            self._stream = bz2.BZ2File(self._raw, mode="rb")
        elif path.endswith(".xz"):
            self._stream = lzma.LZMAFile(self._raw, mode="rb")  # noqa: SIM115 - close()
        else:
            self._stream = self._raw
        self._compressed = self._stream is not self._raw

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._stream is not self._raw:
            self._stream.close()
        if self._raw is not sys.stdin.buffer:
            self._raw.close()

    def bytes_read(self) -> int:
        """Bytes of the file (compressed, if it is) read so far; 0 where it cannot tell."""
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return 0

    def pieces(self) -> Iterator[tuple[int, bytes, bool]]:
        """The raw lines, in pieces of at most :data:`_PIECE_BYTES`: ``(line number (from
        1), bytes, whether the line ends with this piece)``."""
        n = 1
        read = self._stream.readline
        while True:
            try:
                raw = read(_PIECE_BYTES)
            except (OSError, EOFError, lzma.LZMAError) as exc:
                if not self._compressed:
                    raise ReadError(f"{self.name}:{n}: cannot read: {exc}") from exc
                raise InputError(f"{self.name}:{n}: cannot decompress: {exc}") from exc
            if not raw:
                return
            ends = raw.endswith(b"\n")
            yield n, raw, ends
            if ends:
                n += 1

    def text_pieces(self) -> Iterator[tuple[str, bool, bool]]:
        """The decoded text in pieces: ``(text, whether it starts a line, whether it ends
        one)``; invalid UTF-8 is an :class:`InputError` naming the line and column."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        column = 0  # bytes of the current line before this piece
        n = 1
        for n, raw, ends in self.pieces():
            try:
                text = decoder.decode(raw, final=ends)
            except UnicodeDecodeError as exc:
                held = len(exc.object) - len(raw)
                at = column - held + exc.start
                raise self._utf8_error(n, at, exc.object[exc.start]) from exc
            yield text, column == 0, ends
            column = 0 if ends else column + len(raw)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            at = column - len(exc.object) + exc.start
            raise self._utf8_error(n, at, exc.object[exc.start]) from exc

    def _utf8_error(self, line: int, offset: int, byte: int) -> InputError:
        return InputError(
            f"{self.name}:{line}: invalid UTF-8 (byte 0x{byte:02x} at column {offset + 1}); "
            "convert the file to UTF-8 first"
        )

    def lines(self) -> Iterator[tuple[int, str]]:
        """Whole decoded lines, each with its number (from 1) and its line end. A line that
        is not valid UTF-8 is decoded with ``surrogateescape`` (its bad bytes become lone
        surrogates, which :func:`parse_record` reports); a line longer than
        :data:`_MAX_RECORD_BYTES` comes as ``""``, unread. A byte order mark at the start
        of the input is left out."""
        parts: list[bytes] = []
        size = 0
        for n, raw, ends in self.pieces():
            if n == 1 and not size and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
                if not raw:
                    continue
            if size <= _MAX_RECORD_BYTES:
                parts.append(raw)
            size += len(raw)
            if not ends:
                if size > _MAX_RECORD_BYTES:
                    parts = []
                continue
            line = b"".join(parts)
            parts, size_was, size = [], size, 0
            if size_was > _MAX_RECORD_BYTES:
                yield n, ""
                continue
            try:
                yield n, line.decode("utf-8")
            except UnicodeDecodeError:
                yield n, line.decode("utf-8", "surrogateescape")
        if parts or size:
            if size > _MAX_RECORD_BYTES:
                yield n, ""
            else:
                line = b"".join(parts)
                try:
                    yield n, line.decode("utf-8")
                except UnicodeDecodeError:
                    yield n, line.decode("utf-8", "surrogateescape")


# -- blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Whole paragraphs of a plain text input, or a cut of a huge one.

    ``doc`` is the document's index (a plain text file is one document), ``start`` the
    block's character offset in its file, ``bytes_read`` how many bytes of the file (as
    stored, compressed or not) had been read when the block was cut. A block cut out of a
    huge paragraph carries ``head`` characters before its own part and ``tail`` after it,
    which belong to its neighbours: it reports the mentions that start in its own part (see
    :func:`owned_mentions`), so a name that crosses a cut is found once, whole.
    """

    name: str
    doc: int
    start: int
    text: str
    bytes_read: int
    head: int = 0
    tail: int = 0


@dataclass(frozen=True, slots=True)
class RecordBatch:
    """Consecutive JSON Lines of one input, not parsed yet: ``(line number, line)`` pairs.

    ``first_doc`` is the document index of the first record, counting every earlier
    non-blank line as a good record (see :meth:`Output.renumbered`).
    """

    name: str
    first_doc: int
    lines: tuple[tuple[int, str], ...]
    bytes_read: int


Block = TextBlock | RecordBatch


def _text_blocks(
    source: Source, doc: int, block_chars: int, max_chars: int, overlap: int
) -> Iterator[TextBlock]:
    pending: list[str] = []
    size = head = start = 0  # pending's length, its context chars, its offset in the file
    for piece, starts_line, ends_line in source.text_pieces():
        pending.append(piece)
        size += len(piece)
        if starts_line and ends_line and size - head >= block_chars and not piece.strip():
            yield TextBlock(source.name, doc, start, "".join(pending), source.bytes_read(), head)
            start += size
            pending, size, head = [], 0, 0
        while size - head >= max_chars + overlap:
            # A huge paragraph: cut it, with `overlap` characters of context on each side.
            text = "".join(pending)
            cut = head + max_chars
            end = min(len(text), cut + overlap)
            yield TextBlock(
                source.name, doc, start, text[:end], source.bytes_read(), head, end - cut
            )
            keep = max(0, cut - overlap)  # the next block's context starts here
            rest = text[keep:]
            start += keep
            pending, size, head = [rest], len(rest), cut - keep
    if pending:
        yield TextBlock(source.name, doc, start, "".join(pending), source.bytes_read(), head)


def owned_mentions(
    mentions: list[Mention], head: int, tail: int, length: int
) -> tuple[list[Mention], int, int]:
    """The mentions a block of ``length`` characters owns, and the span of its text it owns
    once those are rewritten: ``(mentions, begin, end)``.

    A block owns the mentions that start in ``[head, length - tail)``; a mention that starts
    before ``head`` and ends after it belongs to the block before, which writes it, so this
    block's text begins after it; one that starts in the block's own part and ends in its
    tail is its own, and its text ends after it.

    >>> from normalise.output import Mention
    >>> ms = [Mention(2, 6, "abcd", "x", "X", "abcd", "exact", 1.0, 0),
    ...       Mention(9, 12, "efg", "y", "Y", "efg", "exact", 1.0, 0)]
    >>> owned, begin, end = owned_mentions(ms, 4, 2, 12)
    >>> [m.surface for m in owned], begin, end
    (['efg'], 6, 12)
    """
    if not head and not tail:
        return mentions, 0, length
    lo, hi = head, length - tail
    begin = lo
    owned: list[Mention] = []
    for m in mentions:
        if m.start < lo:
            begin = max(begin, m.end)
        elif m.start < hi and m.start >= begin:
            owned.append(m)
    end = max(hi, owned[-1].end) if owned else hi
    return owned, begin, end


def find_in_windows(
    normaliser: Normaliser, text: str, lang: str | None, max_chars: int, overlap: int
) -> list[Mention]:
    """``normaliser.find(text, lang=lang)``, a window of at most ``max_chars`` (and its
    context) at a time, so that a huge text costs memory in the window's size, not its own.

    >>> from normalise.lexicon import Lexicon
    >>> from normalise.normaliser import Normaliser
    >>> n = Normaliser(Lexicon.from_dict({"Iraq": ["Irak"]}))
    >>> text = "In Irak. " * 5
    >>> [m.start for m in find_in_windows(n, text, None, 10, 6)] == [
    ...     m.start for m in n.find(text)]
    True
    """
    if len(text) <= max_chars + 2 * overlap:
        return normaliser.find(text, lang=lang)
    found: list[Mention] = []
    begin = 0  # where the next window's own part begins
    while begin < len(text):
        lo = max(0, begin - overlap)
        hi = min(len(text), begin + max_chars + overlap)
        tail = hi - min(len(text), begin + max_chars)
        window = normaliser.find(text[lo:hi], lang=lang)
        owned, _, _ = owned_mentions(window, begin - lo, tail, hi - lo)
        found.extend(replace(m, start=m.start + lo, end=m.end + lo) for m in owned)
        begin += max_chars
    return found


def _record_batches(
    source: Source, first_doc: int, batch_chars: int, batch_records: int
) -> Iterator[RecordBatch]:
    batch: list[tuple[int, str]] = []
    size = 0
    doc = first_doc
    for n, line in source.lines():
        if line.isspace():  # a blank line ("" is a line too long to read: a bad record)
            continue
        batch.append((n, line))
        size += len(line)
        if size >= batch_chars or len(batch) >= batch_records:
            yield RecordBatch(source.name, doc, tuple(batch), source.bytes_read())
            doc += len(batch)
            batch, size = [], 0
    if batch:
        yield RecordBatch(source.name, doc, tuple(batch), source.bytes_read())


def read_blocks(
    paths: Sequence[str],
    *,
    fmt: str = "auto",
    block_chars: int | None = None,
    batch_chars: int | None = None,
    batch_records: int | None = None,
    max_chars: int | None = None,
    overlap: int | None = None,
    docs_per_input: bool = False,
) -> Iterator[Block]:
    """The blocks of every input in ``paths`` (already expanded: see :func:`expand_inputs`).

    Documents are numbered across inputs (from 0 in each input with ``docs_per_input``): a
    plain text file is one document, a JSON Lines record another. Sizes default to the
    module's: blocks of about 1 MB of plain text, batches of up to about 1 MB or 1,000
    records; a paragraph longer than ``max_chars`` is cut into blocks that overlap by
    ``overlap`` characters.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     a, b = pathlib.Path(tmp, "a.txt"), pathlib.Path(tmp, "b.jsonl.gz")
    ...     _ = a.write_text("One.\\n\\nTwo.\\n", encoding="utf-8")
    ...     _ = b.write_bytes(gzip.compress(b'{"text": "x"}\\n\\n{"text": "y"}\\n'))
    ...     blocks = list(read_blocks([str(a), str(b)], block_chars=1))
    >>> [(x.doc, x.start, x.text) for x in blocks if isinstance(x, TextBlock)]
    [(0, 0, 'One.\\n\\n'), (0, 6, 'Two.\\n')]
    >>> [(x.first_doc, x.lines) for x in blocks if isinstance(x, RecordBatch)]
    [(1, ((1, '{"text": "x"}\\n'), (3, '{"text": "y"}\\n')))]
    """
    # Defaults are read at call time, so that tests can make blocks small.
    block_chars = block_chars or _BLOCK_CHARS
    batch_chars = batch_chars or _BATCH_CHARS
    batch_records = batch_records or _BATCH_RECORDS
    max_chars = max_chars or _MAX_BLOCK_CHARS
    overlap = overlap or _OVERLAP_CHARS
    doc = 0
    for path in paths:
        if docs_per_input:
            doc = 0
        with Source(path) as source:
            if input_format(path, fmt) == "jsonl":
                for batch in _record_batches(source, doc, batch_chars, batch_records):
                    doc += len(batch.lines)
                    yield batch
            else:
                yield from _text_blocks(source, doc, block_chars, max_chars, overlap)
                doc += 1


def parse_record(name: str, line_no: int, line: str, field: str) -> dict[str, Any]:
    """One JSON Lines record, whose ``field`` must be a string; else a located InputError.

    A record must be valid UTF-8 and hold no lone surrogate (``"\\ud800"``), which no UTF-8
    output can carry; a line of ``""`` is one longer than the record limit.

    >>> parse_record("posts.jsonl", 3, '{"text": 7}', "text")
    Traceback (most recent call last):
    ...
    normalise.streaming.InputError: posts.jsonl:3: field 'text' must be a string, is a int
    >>> parse_record("posts.jsonl", 4, '{"text": "\\\\udc80"}', "text")
    Traceback (most recent call last):
    ...
    normalise.streaming.InputError: posts.jsonl:4: lone surrogate \\udc80 in a JSON string: not text
    """
    if not line:
        raise InputError(
            f"{name}:{line_no}: line longer than {_MAX_RECORD_BYTES} bytes: too long for a record"
        )
    if not line.isascii():
        bad = _SURROGATE_RE.search(line)
        if bad is not None:
            column = len(line[: bad.start()].encode("utf-8", "surrogateescape")) + 1
            byte = ord(bad.group()) - 0xDC00
            raise InputError(
                f"{name}:{line_no}: invalid UTF-8 (byte 0x{byte:02x} at column {column})"
            )
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name}:{line_no}: malformed JSON: {exc.msg} at column {exc.colno}"
        ) from exc
    if not isinstance(record, dict):
        raise InputError(f"{name}:{line_no}: expected a JSON object, got {type(record).__name__}")
    if not isinstance(record.get(field), str):
        got = "missing" if field not in record else f"a {type(record[field]).__name__}"
        raise InputError(f"{name}:{line_no}: field '{field}' must be a string, is {got}")
    if _SURROGATE_ESCAPE_RE.search(line):
        try:
            json.dumps(record, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            char = exc.object[exc.start]
            raise InputError(
                f"{name}:{line_no}: lone surrogate \\u{ord(char):04x} in a JSON string: not text"
            ) from exc
    return record


# -- the work on one block ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Skipped:
    """A bad record left out with ``--on-error skip``: where it is, why, and its line as
    read (None where the line is not valid UTF-8 or too long to hold)."""

    name: str
    line: int
    doc: int
    message: str
    record: str | None

    def to_json(self) -> str:
        """One JSON line, as ``--errors FILE`` writes it.

        >>> Skipped("a.jsonl", 2, 1, "a.jsonl:2: malformed JSON", "{oops").to_json()
        '{"file": "a.jsonl", "line": 2, "doc": 1, "error": "a.jsonl:2: malformed JSON", \
"record": "{oops"}\\n'
        """
        d = {
            "file": self.name,
            "line": self.line,
            "doc": self.doc,
            "error": self.message,
            "record": self.record,
        }
        return json.dumps(d, ensure_ascii=False) + "\n"


@dataclass(frozen=True, slots=True)
class Output:
    """What a :class:`Job` made of one block.

    ``text`` is the output to write; ``skipped`` the bad records (with ``--on-error
    skip``); ``error`` a bad record that stops the run, after ``text`` (the output of the
    records before it) is written. ``mentions``, ``chars`` (characters of text processed)
    and ``records`` (good records) are counts; ``name`` the input the block came from.
    """

    text: str
    skipped: tuple[Skipped, ...] = ()
    error: str | None = None
    mentions: int = 0
    chars: int = 0
    records: int = 0
    name: str = ""


def _mention_lines(doc: int, mentions: list[Mention], base: int, out: list[str]) -> None:
    for m in mentions:
        d = m.to_dict()
        if base:
            d["start"] += base
            d["end"] += base
        out.append(json.dumps({"doc": doc, **d}, ensure_ascii=False) + "\n")


def _passed_through(line: str) -> str:
    """A skipped record as ``normalise text`` writes it: unchanged, or ``null`` where it is
    not valid UTF-8 or too long to hold."""
    if not line or (not line.isascii() and _SURROGATE_RE.search(line)):
        return "null\n"
    return line if line.endswith("\n") else line + "\n"


@dataclass(frozen=True, slots=True)
class Job:
    """What ``normalise find`` (``command="find"``) or ``normalise text`` does to a block.

    Picklable (it carries its :class:`~normalise.Normaliser`, which pickles cheaply), so a
    worker process receives it once and then formats each block's output itself.
    ``field`` is the JSON Lines field holding the text, ``lang`` the language of the input
    if known, ``skip_errors`` whether a bad record is reported and passed over rather than
    stopping the run: ``text`` then writes it unchanged (``null`` if it is not valid UTF-8),
    and ``find`` nothing for it; either way every record keeps its index, ``doc``.
    """

    normaliser: Normaliser
    command: Literal["find", "text"]
    field: str = "text"
    lang: str | None = None
    skip_errors: bool = False

    def __call__(self, block: Block) -> Output:
        return self.run(block)

    def run(self, block: Block, found: list[tuple[int, int, int, str]] | None = None) -> Output:
        """The block's output; ``found``, if given, also receives each mention as
        ``(line, start, end, entity_id)``: ``line`` is the record's line number in JSON
        Lines, 0 in plain text, whose offsets are into the whole file."""
        n = self.normaliser
        find = self.command == "find"
        if isinstance(block, TextBlock):
            text = block.text
            all_found = n.find(text, lang=self.lang) if find else n.find(text)
            mentions, begin, end = owned_mentions(all_found, block.head, block.tail, len(text))
            if not find:
                parts: list[str] = []
                last = begin
                for m in mentions:
                    parts += (text[last : m.start], m.label)
                    last = m.end
                parts.append(text[last:end])
                return Output("".join(parts), chars=end - begin, name=block.name)
            parts = []
            _mention_lines(block.doc, mentions, block.start, parts)
            if found is not None:
                found.extend(
                    (0, m.start + block.start, m.end + block.start, m.entity_id) for m in mentions
                )
            return Output(
                "".join(parts), mentions=len(mentions), chars=end - begin, name=block.name
            )

        parts = []
        skipped: list[Skipped] = []
        doc = block.first_doc
        count = chars = good = 0
        for line_no, line in block.lines:
            try:
                record = parse_record(block.name, line_no, line, self.field)
            except InputError as exc:
                if not self.skip_errors:
                    return Output(
                        "".join(parts), tuple(skipped), str(exc), count, chars, good, block.name
                    )
                raw = None if _passed_through(line) == "null\n" else line.rstrip("\r\n")
                skipped.append(Skipped(block.name, line_no, doc, str(exc), raw))
                if not find:
                    parts.append(_passed_through(line))
                doc += 1
                continue
            text = record[self.field]
            chars += len(text)
            if find:
                mentions = find_in_windows(n, text, self.lang, _MAX_BLOCK_CHARS, _OVERLAP_CHARS)
                count += len(mentions)
                _mention_lines(doc, mentions, 0, parts)
                if found is not None:
                    found.extend((line_no, m.start, m.end, m.entity_id) for m in mentions)
            else:
                mentions = find_in_windows(n, text, None, _MAX_BLOCK_CHARS, _OVERLAP_CHARS)
                record[self.field] = rewrite(text, mentions, lambda m: m.label)
                parts.append(json.dumps(record, ensure_ascii=False) + "\n")
            doc += 1
            good += 1
        return Output("".join(parts), tuple(skipped), None, count, chars, good, block.name)


def run_job(
    job: Job,
    paths: Sequence[str],
    write: Callable[[str], object],
    *,
    fmt: str = "auto",
    workers: int = 1,
    skipped: Callable[[Skipped], object] | None = None,
    next_input: Callable[[str], object] | None = None,
    docs_per_input: bool = False,
) -> int:
    """Run ``job`` over the inputs, writing each block's output in input order.

    Each bad record skipped goes to ``skipped``, in input order; the number of them is
    returned. ``next_input(name)``, if given, is called before the first output of each
    input (every input, also one with no output). A bad record that stops the run raises
    :class:`InputError` after the output before it is written.
    """
    count = 0
    todo = deque(paths)
    current: str | None = None
    blocks = read_blocks(paths, fmt=fmt, docs_per_input=docs_per_input)
    # closing(): stopped early, the generator ends its workers now, not when collected.
    with contextlib.closing(ordered_map(job, blocks, workers=workers)) as outputs:
        for out in outputs:
            if next_input is not None and out.name != current:
                current = out.name
                while todo:  # inputs with no output of their own come first
                    path = todo.popleft()
                    next_input(path)
                    if _source_name(path) == out.name:
                        break
            write(out.text)
            for s in out.skipped:
                count += 1
                if skipped is not None:
                    skipped(s)
            if out.error is not None:
                raise InputError(out.error)
    if next_input is not None:
        while todo:
            next_input(todo.popleft())
    return count


def _source_name(path: str) -> str:
    return "<stdin>" if path == "-" else path


# -- worker processes --------------------------------------------------------------------------


_WORKER_FUNC: list[Callable[[Any], Any]] = []  # set once in each worker by _init_worker


def _init_worker(func: Callable[[Any], Any], parent: int) -> None:
    from .signals import worker_init

    worker_init(parent)
    _WORKER_FUNC[:] = [func]


def _call_worker(item: Any) -> Any:
    return _WORKER_FUNC[0](item)


def ordered_map(
    func: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int = 1,
    in_flight: int | None = None,
    start_method: str | None = None,
) -> Generator[R, None, None]:
    """``map(func, items)``, spread over ``workers`` processes, results in input order.

    ``func`` goes to each worker once, when the pool starts (a module-level function, or a
    picklable object such as a :class:`Job`), and items one by one. At most ``in_flight``
    items (default: 3 per worker) are submitted and not yet given back, so a huge input is
    never read far ahead of the output. ``workers=1`` runs in this process, without a pool.
    If reading ``items`` raises, the results of the items before it are given first.

    >>> list(ordered_map(len, ["a", "bb", "ccc"]))
    [1, 2, 3]
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if workers == 1:
        yield from map(func, items)
        return
    import multiprocessing  # only here: importing them costs start-up time
    from concurrent.futures import ProcessPoolExecutor

    from .signals import blocked_signals

    window = in_flight or _IN_FLIGHT_PER_WORKER * workers
    ctx = multiprocessing.get_context(start_method)
    # An executor, not a multiprocessing.Pool: a worker that dies breaks the run with an
    # error instead of leaving it waiting for ever, and stopping on bad input waits for the
    # blocks in flight instead of terminating workers mid-task.
    # Workers die with this process, however it dies (see normalise.signals); when the run
    # is stopped (a signal, a closed output, the caller giving up) they are ended at once
    # rather than waited for.
    pool = ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(func, os.getpid())
    )
    finished = False
    try:
        pending: deque[Future[R]] = deque()
        it = iter(items)
        while True:
            try:
                item = next(it)
            except StopIteration:
                break
            except Exception:
                # Bad input further on: what was read before it is still written, in order.
                while pending:
                    yield pending.popleft().result()
                finished = True
                raise
            with blocked_signals():  # a worker forked now starts with them held
                pending.append(pool.submit(_call_worker, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        finished = True
    finally:
        if not finished:
            _stop_workers(pool)
        # Waited for even when stopped (its workers are dead by now): a manager thread
        # still running at exit makes concurrent.futures print a traceback.
        pool.shutdown(wait=True, cancel_futures=not finished)


def _stop_workers(pool: Any) -> None:
    """Kill the pool's worker processes (the executor has no public way to)."""
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.kill()
            process.join(5)
        except (OSError, ValueError, AssertionError):
            pass
