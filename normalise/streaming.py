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
import fnmatch
import gzip
import io
import json
import lzma
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .normaliser import Normaliser
    from .output import Mention

__all__ = [
    "Block",
    "InputError",
    "Job",
    "Output",
    "RecordBatch",
    "Source",
    "TextBlock",
    "expand_inputs",
    "input_format",
    "ordered_map",
    "parse_record",
    "read_blocks",
    "strip_compression",
]

# Plain text is processed in blocks of whole paragraphs: a block ends at a blank line once it
# holds _BLOCK_CHARS characters, or at any line end past _MAX_BLOCK_CHARS. Memory stays
# bounded, and per-call overhead is paid per block, not per paragraph. A name is not
# looked for across a block's end, which is always a blank line unless a paragraph is huge.
_BLOCK_CHARS = 1 << 20
_MAX_BLOCK_CHARS = 1 << 22
# JSON Lines records travel in batches, so that per-task overhead (a pickle round trip to a
# worker) is paid per batch, not per record.
_BATCH_CHARS = 1 << 20
_BATCH_RECORDS = 1000
# Blocks submitted to a pool and not yet written, per worker: enough to keep every worker
# busy while the main process writes, few enough that memory stays flat on huge inputs.
_IN_FLIGHT_PER_WORKER = 3

_COMPRESSIONS = (".gz", ".bz2", ".xz")
_SIDECARS = ("*.gold.jsonl*", "*.meta.json")
_DOC_RE = re.compile(r'^\{"doc": (\d+)', re.MULTILINE)

T = TypeVar("T")
R = TypeVar("R")


class InputError(Exception):
    """Bad input, located: ``file:line: message``."""


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

    def lines(self) -> Iterator[tuple[int, str]]:
        """Decoded lines, each with its number (from 1) and its line end."""
        n = 0
        stream = iter(self._stream)
        while True:
            try:
                raw = next(stream)
            except StopIteration:
                return
            except (OSError, EOFError, lzma.LZMAError) as exc:
                what = "cannot decompress" if self._compressed else "cannot read"
                raise InputError(f"{self.name}:{n + 1}: {what}: {exc}") from exc
            n += 1
            try:
                yield n, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{self.name}:{n}: invalid UTF-8 (byte 0x{raw[exc.start]:02x} "
                    f"at column {exc.start + 1}); "
                    "convert the file to UTF-8 first"
                ) from exc


# -- blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Whole paragraphs of a plain text input.

    ``doc`` is the document's index (a plain text file is one document), ``start`` the
    block's character offset in its file, ``bytes_read`` how many bytes of the file (as
    stored, compressed or not) had been read when the block was cut.
    """

    name: str
    doc: int
    start: int
    text: str
    bytes_read: int


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


def _text_blocks(source: Source, doc: int, block_chars: int) -> Iterator[TextBlock]:
    block: list[str] = []
    size = start = 0
    for _, line in source.lines():
        block.append(line)
        size += len(line)
        if size >= _MAX_BLOCK_CHARS or (size >= block_chars and not line.strip()):
            yield TextBlock(source.name, doc, start, "".join(block), source.bytes_read())
            start += size
            block, size = [], 0
    if block:
        yield TextBlock(source.name, doc, start, "".join(block), source.bytes_read())


def _record_batches(
    source: Source, first_doc: int, batch_chars: int, batch_records: int
) -> Iterator[RecordBatch]:
    batch: list[tuple[int, str]] = []
    size = 0
    doc = first_doc
    for n, line in source.lines():
        if not line or line.isspace():
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
) -> Iterator[Block]:
    """The blocks of every input in ``paths`` (already expanded: see :func:`expand_inputs`).

    Documents are numbered across inputs: a plain text file is one document, a JSON Lines
    record another. Sizes default to the module's: blocks of about 1 MB of plain text,
    batches of up to about 1 MB or 1,000 records.

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
    doc = 0
    for path in paths:
        with Source(path) as source:
            if input_format(path, fmt) == "jsonl":
                for batch in _record_batches(source, doc, batch_chars, batch_records):
                    doc += len(batch.lines)
                    yield batch
            else:
                yield from _text_blocks(source, doc, block_chars)
                doc += 1


def parse_record(name: str, line_no: int, line: str, field: str) -> dict[str, Any]:
    """One JSON Lines record, whose ``field`` must be a string; else a located InputError.

    >>> parse_record("posts.jsonl", 3, '{"text": 7}', "text")
    Traceback (most recent call last):
    ...
    normalise.streaming.InputError: posts.jsonl:3: field 'text' must be a string, is a int
    """
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
    return record


# -- the work on one block ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Output:
    """What a :class:`Job` made of one block.

    ``text`` is the output to write; ``skipped`` the bad records left out (with
    ``--on-error skip``), each as ``file:line: message``; ``error`` a bad record that stops
    the run, after ``text`` (the output of the records before it) is written. ``mentions``,
    ``chars`` (characters of text processed) and ``records`` (good records) are counts.
    """

    text: str
    skipped: tuple[str, ...] = ()
    error: str | None = None
    mentions: int = 0
    chars: int = 0
    records: int = 0

    def renumbered(self, shift: int) -> str:
        """``text`` of ``find`` output with every ``doc`` lowered by ``shift``.

        A block's documents are numbered as if every earlier record were good; once bad
        records have been skipped, later output is renumbered here, in the main process.

        >>> Output('{"doc": 5, "start": 0}\\n{"doc": 6, "start": 2}\\n').renumbered(2)
        '{"doc": 3, "start": 0}\\n{"doc": 4, "start": 2}\\n'
        """
        if not shift:
            return self.text
        return _DOC_RE.sub(lambda m: f'{{"doc": {int(m[1]) - shift}', self.text)


def _mention_lines(doc: int, mentions: list[Mention], base: int, out: list[str]) -> None:
    for m in mentions:
        d = m.to_dict()
        if base:
            d["start"] += base
            d["end"] += base
        out.append(json.dumps({"doc": doc, **d}, ensure_ascii=False) + "\n")


@dataclass(frozen=True, slots=True)
class Job:
    """What ``normalise find`` (``command="find"``) or ``normalise text`` does to a block.

    Picklable (it carries its :class:`~normalise.Normaliser`, which pickles cheaply), so a
    worker process receives it once and then formats each block's output itself.
    ``field`` is the JSON Lines field holding the text, ``lang`` the language of the input
    if known, ``skip_errors`` whether a bad record is reported and left out rather than
    stopping the run.
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
            if not find:
                return Output(n.normalise(text), chars=len(text))
            mentions = n.find(text, lang=self.lang)
            parts: list[str] = []
            _mention_lines(block.doc, mentions, block.start, parts)
            if found is not None:
                found.extend(
                    (0, m.start + block.start, m.end + block.start, m.entity_id) for m in mentions
                )
            return Output("".join(parts), mentions=len(mentions), chars=len(text))

        parts = []
        skipped: list[str] = []
        doc = block.first_doc
        count = chars = 0
        for line_no, line in block.lines:
            try:
                record = parse_record(block.name, line_no, line, self.field)
            except InputError as exc:
                if not self.skip_errors:
                    good = doc - block.first_doc
                    return Output("".join(parts), tuple(skipped), str(exc), count, chars, good)
                skipped.append(str(exc))
                continue
            text = record[self.field]
            chars += len(text)
            if find:
                mentions = n.find(text, lang=self.lang)
                count += len(mentions)
                _mention_lines(doc, mentions, 0, parts)
                if found is not None:
                    found.extend((line_no, m.start, m.end, m.entity_id) for m in mentions)
            else:
                record[self.field] = n.normalise(text)
                parts.append(json.dumps(record, ensure_ascii=False) + "\n")
            doc += 1
        return Output("".join(parts), tuple(skipped), None, count, chars, doc - block.first_doc)


def run_job(
    job: Job,
    paths: Sequence[str],
    write: Callable[[str], object],
    *,
    fmt: str = "auto",
    workers: int = 1,
) -> list[str]:
    """Run ``job`` over the inputs, writing each block's output in input order.

    Returns the bad records skipped (``file:line: message``), in input order. A bad record
    that stops the run raises :class:`InputError` after the output before it is written.
    """
    skipped: list[str] = []
    for out in ordered_map(job, read_blocks(paths, fmt=fmt), workers=workers):
        write(out.renumbered(len(skipped)) if job.command == "find" else out.text)
        skipped.extend(out.skipped)
        if out.error is not None:
            raise InputError(out.error)
    return skipped


# -- worker processes --------------------------------------------------------------------------


_WORKER_FUNC: list[Callable[[Any], Any]] = []  # set once in each worker by _init_worker


def _init_worker(func: Callable[[Any], Any]) -> None:
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
) -> Iterator[R]:
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

    window = in_flight or _IN_FLIGHT_PER_WORKER * workers
    ctx = multiprocessing.get_context(start_method)
    # An executor, not a multiprocessing.Pool: a worker that dies breaks the run with an
    # error instead of leaving it waiting for ever, and stopping on bad input waits for the
    # blocks in flight instead of terminating workers mid-task.
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(func,)
    ) as pool:
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
                raise
            pending.append(pool.submit(_call_worker, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
