"""The benchmark at scale: normalise and its peers over dumps of any size, each in its own process.

    python benchmarks/run.py benchmarks/data/en-100MB.txt.gz --workers 2 \\
        --json benchmarks/results/run-en-100MB.json --markdown benchmarks/results/run-en-100MB.md
    python benchmarks/run.py dump.jsonl.xz corpus/ --no-default-lexicon --lexicon my_lexicons/ \\
        --compare flashtext,ahocorasick_rs --limit-mb 20

Dumps are read as ``normalise find`` reads its input (``normalise.streaming``: plain text in
blocks of paragraphs, JSON Lines in batches of records, ``.gz``/``.bz2``/``.xz``, folders), and
spread over ``--workers`` processes by the same ordered, bounded pool. Nothing proportional to
a dump is held: each block's mentions are counted and scored where they are found, and only
counts come back to the main process.

Tools, each run in a fresh child process so that its timings and peak RSS are its own:

- ``normalise``: the full pipeline, ``Normaliser.find`` on each block of text or record
  (folding, exact, affixes, fuzzy unless ``--no-fuzzy``, resolution): mentions with their
  offsets, as each peer returns its hits;
- ``normalise-exact``: the same with ``fuzzy=False, affixes=False``;
- ``normalise-cli`` (with ``--compare``): the job of the ``normalise find`` command, output
  formatted as JSON Lines per block as the command writes them, then discarded;
- peers (``--compare``), given every variant of every entity of the same lexicon (labels are
  variants too: see ``normalise.lexicon``), each mapped to its entity (a form two entities
  share: the first), exact matching as each allows: FlashText 2.7 and flashtext2,
  case-insensitive; pyahocorasick ``iter_long`` on lowercased text, hits inside a longer word
  dropped; ahocorasick_rs, the *raw scan*: leftmost-longest over the unmodified text, no
  folding, no word boundaries; spaCy ``PhraseMatcher(attr="LOWER")`` over a blank English
  tokenizer, longest non-overlapping matches, text fed in pieces of about 100 KB;
- ``read``: no matching, only reading the dumps (and gold) as every tool does: the floor
  under every figure, which the main process alone must sustain with ``--workers``.

Every tool gets the same blocks. MB = 10^6 characters of text (a JSON Lines record's text
field only); documents are paragraphs (separated by a blank line) or records. Build time
(loading the lexicon, compiling, first calls on the start of the dump: 20,000 characters or 50
records, so that what a tool loads lazily, such as word lists per language, is not timed as
throughput) is measured apart. Peak RSS is ``ru_maxrss`` of the tool's process, and the
largest of its workers' with ``--workers``; CPU seconds of both are recorded too.

Where ``<stem>.gold.jsonl.gz`` lies next to a dump (``stem``: the name without
``.gz``/``.bz2``/``.xz`` and ``.txt``/``.jsonl``; the format of ``make_dump.py``), every tool is
scored: a mention found is right if it overlaps a gold mention of the same entity; precision =
right / found, recall = gold mentions overlapped by a right one / gold, also per gold ``kind``
and ``lang``.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import gzip
import itertools
import json
import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any, NamedTuple

from normalise.streaming import (
    Block,
    InputError,
    Job,
    TextBlock,
    expand_inputs,
    input_format,
    ordered_map,
    parse_record,
    read_blocks,
    strip_compression,
)

PEERS = (
    "normalise-cli",
    "flashtext",
    "flashtext2",
    "pyahocorasick",
    "ahocorasick_rs",
    "spacy",
    "read",
)
TOOLS = ("normalise", "normalise-exact", *PEERS)
DISTRIBUTIONS = {  # tool or library -> the package installed
    "normalise": "normalise",
    "flashtext": "flashtext",
    "flashtext2": "flashtext2",
    "pyahocorasick": "pyahocorasick",
    "ahocorasick_rs": "ahocorasick-rs",
    "spacy": "spacy",
    "rapidfuzz": "rapidfuzz",
    "wordfreq": "wordfreq",
}
KIND_ORDER = ("exact", "misspelling", "affix")  # the gold kinds of make_dump.py
_SPACY_PIECE = 100_000  # characters of text per spaCy Doc
_WARM_UP_CHARS = 20_000  # of a text block, or
_WARM_UP_RECORDS = 50  # records of a batch: in a multilingual dump, most of its languages
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


# -- scoring -----------------------------------------------------------------------------------


class Gold(NamedTuple):
    """One gold mention. ``doc`` is 0 in plain text (offsets into the whole file) and the
    record's line number (from 1) in JSON Lines, the same key the tools report."""

    doc: int
    start: int
    end: int
    entity: str
    kind: str
    lang: str


Found = tuple[int, int, int, str]  # (doc, start, end, entity), keyed as Gold


@dataclass(frozen=True, slots=True)
class Score:
    """Counts for precision and recall; scores of blocks add up with ``+``.

    ``by_kind`` and ``by_lang`` map a gold kind or language to (gold matched, gold).
    """

    found: int = 0
    right: int = 0
    gold: int = 0
    matched: int = 0
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)
    by_lang: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __add__(self, other: Score) -> Score:
        return Score(
            self.found + other.found,
            self.right + other.right,
            self.gold + other.gold,
            self.matched + other.matched,
            _add_pairs(self.by_kind, other.by_kind),
            _add_pairs(self.by_lang, other.by_lang),
        )

    @property
    def precision(self) -> float | None:
        return self.right / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None


def _add_pairs(
    a: dict[str, tuple[int, int]], b: dict[str, tuple[int, int]]
) -> dict[str, tuple[int, int]]:
    out = dict(a)
    for k, (m, n) in b.items():
        m0, n0 = out.get(k, (0, 0))
        out[k] = (m0 + m, n0 + n)
    return out


def score(found: Iterable[Found], gold: Iterable[Gold]) -> Score:
    """Score one block's mentions against its gold mentions.

    >>> g = [Gold(0, 0, 4, "isis", "exact", "en"), Gold(0, 10, 15, "iraq", "affix", "en")]
    >>> s = score([(0, 0, 4, "isis"), (0, 20, 24, "iran")], g)
    >>> (s.precision, s.recall, s.by_kind)
    (0.5, 0.5, {'exact': (1, 1), 'affix': (0, 1)})
    """
    by_doc: dict[int, list[Gold]] = {}
    for g in gold:
        by_doc.setdefault(g.doc, []).append(g)
    # Per document: gold sorted by start, and the furthest end so far, to stop looking back.
    index: dict[int, tuple[list[Gold], list[int], list[int]]] = {}
    for doc, spans in by_doc.items():
        spans.sort()
        reach = list(itertools.accumulate((g.end for g in spans), max))
        index[doc] = (spans, [g.start for g in spans], reach)
    matched: set[tuple[int, int]] = set()
    n_found = right = 0
    for doc, start, end, entity in found:
        n_found += 1
        if doc not in index:
            continue
        spans, starts, reach = index[doc]
        hit = False
        i = bisect.bisect_left(starts, end) - 1
        while i >= 0 and reach[i] > start:
            g = spans[i]
            if g.end > start and g.entity == entity:
                hit = True
                matched.add((doc, i))
            i -= 1
        right += hit
    by_kind: dict[str, tuple[int, int]] = {}
    by_lang: dict[str, tuple[int, int]] = {}
    n_gold = 0
    for doc, (spans, _, _) in index.items():
        for i, g in enumerate(spans):
            n_gold += 1
            hit = (doc, i) in matched
            for table, key in ((by_kind, g.kind), (by_lang, g.lang)):
                m, n = table.get(key, (0, 0))
                table[key] = (m + hit, n + 1)
    return Score(n_found, right, n_gold, len(matched), by_kind, by_lang)


def gold_path(dump: str) -> Path | None:
    """The gold file next to ``dump``, if there is one."""
    p = Path(strip_compression(dump))
    stem = p.name
    for ext in (".txt", ".jsonl", ".ndjson"):
        stem = stem.removesuffix(ext)
    for name in (f"{stem}.gold.jsonl.gz", f"{stem}.gold.jsonl"):
        if (p.parent / name).is_file():
            return p.parent / name
    return None


def parse_gold(path: Path | str, n: int, line: str, jsonl: bool) -> Gold:
    """One gold line (line ``n`` of ``path``) as a :class:`Gold`."""
    try:
        d = json.loads(line)
        return Gold(
            d["doc"] + 1 if jsonl else 0,
            d["start"],
            d["end"],
            d["entity"],
            d.get("kind", "?"),
            d.get("lang", "?"),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}:{n}: bad gold line: {exc!r}") from exc


_GOLD_KEY = {False: re.compile(r'"start":\s*(\d+)'), True: re.compile(r'"doc":\s*(\d+)')}


class GoldReader:
    """A gold file's lines, unparsed, handed out by the block they fall in: parsing is the
    workers' job, so that the main process stays light with ``--workers``.

    Each line is placed by a number (its document in JSON Lines, its start in plain text),
    read with one regular-expression pass per megabyte where every line holds it as
    make_dump.py writes them, else line by line.
    """

    def __init__(self, path: Path, jsonl: bool) -> None:
        self.path = path
        self.jsonl = jsonl
        self._file = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # noqa: SIM115
        self._key_re = _GOLD_KEY[jsonl]
        self._lines: list[str] = []  # read, not handed out yet (from self._at on)
        self._keys: list[int] = []
        self._at = 0
        self._first = 1  # the line number of self._lines[self._at]
        self._done = False

    def close(self) -> None:
        self._file.close()

    def take(self, last: int) -> GoldLines:
        """The lines placed at ``last`` or before, not handed out yet."""
        pieces: list[str] = []
        first = self._first
        while True:
            if self._at == len(self._lines) and not self._fill():
                break
            end = bisect.bisect_right(self._keys, last, self._at)
            pieces.extend(self._lines[self._at : end])
            self._first += end - self._at
            self._at = end
            if end < len(self._lines):
                break
        return GoldLines(str(self.path), self.jsonl, first, "\n".join(pieces))

    def _fill(self) -> bool:
        if self._done:
            return False
        raw = self._file.read(1 << 20)
        if raw and not raw.endswith(b"\n"):
            raw += self._file.readline()
        if not raw:
            self._done = True
            return False
        text = raw.decode("utf-8")
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        keys = [int(k) for k in self._key_re.findall(text)]
        if len(keys) != len(lines):  # a blank line, or one not as make_dump.py writes it
            keys = self._keys_by_line(lines)
        elif self.jsonl:
            keys = [k + 1 for k in keys]
        self._lines, self._keys, self._at = lines, keys, 0
        return True

    def _keys_by_line(self, lines: list[str]) -> list[int]:
        keys = []
        key = self._keys[-1] if self._keys else -1
        for i, line in enumerate(lines):
            if line.strip():  # a blank line keeps the key before it: it is never parsed
                m = self._key_re.search(line)
                if m:
                    key = int(m.group(1)) + 1 if self.jsonl else int(m.group(1))
                else:
                    g = parse_gold(self.path, self._first + i, line, self.jsonl)
                    key = g.doc if self.jsonl else g.start
            keys.append(key)
        return keys


@dataclass(frozen=True, slots=True)
class GoldLines:
    """A block's gold lines (from line number ``first``), parsed where the block is matched."""

    path: str
    jsonl: bool
    first: int
    text: str

    def parse(self) -> list[Gold]:
        return [
            parse_gold(self.path, n, line, self.jsonl)
            for n, line in enumerate(self.text.split("\n"), start=self.first)
            if line.strip()
        ]


# -- tools -------------------------------------------------------------------------------------


class BlockStats(NamedTuple):
    """What a tool did with one block: the only thing sent back to the main process."""

    name: str
    bytes_read: int
    chars: int
    docs: int
    mentions: int
    score: Score | None
    match_s: float = 0.0  # seconds inside the tool's matching call(s) alone


Task = tuple[Block, GoldLines | None]


def paragraphs(text: str) -> int:
    """Documents of a plain text block: runs of non-blank lines.

    >>> paragraphs("One.\\n\\nTwo,\\nstill two.\\n\\n\\nThree.\\n")
    3
    """
    return sum(1 for p in _PARAGRAPH_BREAK.split(text) if p.strip())


class Tool:
    """A matcher over the blocks of a dump; ``spans`` is what each peer implements."""

    description = ""

    def __init__(self, field: str) -> None:
        self.field = field

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        raise NotImplementedError

    def __call__(self, task: Task) -> BlockStats:
        block, gold = task
        found: list[Found] = []
        match_s = 0.0
        clock = time.perf_counter
        if isinstance(block, TextBlock):
            base = block.start
            t = clock()
            spans = self.spans(block.text)
            match_s += clock() - t
            found.extend((0, s + base, e + base, ent) for s, e, ent in spans)
            chars, docs = len(block.text), paragraphs(block.text)
        else:
            chars = docs = 0
            for line_no, line in block.lines:
                text = parse_record(block.name, line_no, line, self.field)[self.field]
                t = clock()
                spans = self.spans(text)
                match_s += clock() - t
                found.extend((line_no, s, e, ent) for s, e, ent in spans)
                chars += len(text)
                docs += 1
        result = score(found, gold.parse()) if gold is not None else None
        return BlockStats(block.name, block.bytes_read, chars, docs, len(found), result, match_s)


class NormaliseTool(Tool):
    """normalise: ``Normaliser.find`` per text, or the ``normalise find`` job (``cli``)."""

    def __init__(self, field: str, spec: dict[str, Any], exact: bool, cli: bool = False) -> None:
        super().__init__(field)
        from normalise import Lexicon, Normaliser

        parts = [] if spec["no_default_lexicon"] else [Lexicon.bundled()]
        if spec["lexicon"]:
            from normalise.cache import load_folders

            parts.append(load_folders(*spec["lexicon"]))
        lexicon = parts[0]
        for p in parts[1:]:
            lexicon = lexicon + p
        fuzzy = "fuzzy, " if spec["fuzzy"] else "no fuzzy, "
        if exact:
            self.normaliser = Normaliser(lexicon, fuzzy=False, affixes=False)
            self.description = "normalise, exact and folded only (fuzzy=False, affixes=False)"
        else:
            self.normaliser = Normaliser(lexicon, fuzzy=spec["fuzzy"])
            self.description = (
                f"normalise, full pipeline: folding, exact, affixes, {fuzzy}resolution "
                "(`Normaliser.find`)"
            )
        self.cli = cli
        if cli:
            self.description = (
                f"normalise, the `normalise find` command's job: folding, exact, affixes, {fuzzy}"
                "resolution, JSON Lines out"
            )
        self.job = Job(self.normaliser, "find", field=field)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        return [(m.start, m.end, m.entity_id) for m in self.normaliser.find(text)]

    def __call__(self, task: Task) -> BlockStats:
        if not self.cli:
            return super().__call__(task)
        block, gold = task
        found: list[Found] = []
        t = time.perf_counter()
        out = self.job.run(block, found)
        match_s = time.perf_counter() - t
        if out.error is not None:
            raise InputError(out.error)
        docs = paragraphs(block.text) if isinstance(block, TextBlock) else out.records
        result = score(found, gold.parse()) if gold is not None else None
        return BlockStats(
            block.name, block.bytes_read, out.chars, docs, out.mentions, result, match_s
        )


def _first_by_key(variants: Sequence[tuple[str, str]], key: Any) -> dict[str, str]:
    """form key -> entity: the first entity to claim a form wins."""
    out: dict[str, str] = {}
    for form, entity in variants:
        k = key(form)
        if k and k not in out:
            out[k] = entity
    return out


def _lower_keeping_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lowercase to two ("İ"): keep those as they are, so offsets hold.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class FlashText(Tool):
    description = "FlashText 2.7 `extract_keywords(span_info=True)`, case-insensitive"

    def __init__(self, field: str, variants: Sequence[tuple[str, str]]) -> None:
        super().__init__(field)
        from flashtext import KeywordProcessor

        self.kp = KeywordProcessor(case_sensitive=False)
        for form, entity in _first_by_key(variants, str.lower).items():
            self.kp.add_keyword(form, entity)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        return [(s, e, ent) for ent, s, e in self.kp.extract_keywords(text, span_info=True)]


class FlashText2(Tool):
    description = "flashtext2 `extract_keywords_with_span`, case-insensitive"

    def __init__(self, field: str, variants: Sequence[tuple[str, str]]) -> None:
        super().__init__(field)
        from flashtext2 import KeywordProcessor

        self.kp = KeywordProcessor(case_sensitive=False)
        self.kp.add_keywords_with_clean_word_from_iter(
            list(_first_by_key(variants, str.lower).items())
        )

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        return [(s, e, ent) for ent, s, e in self.kp.extract_keywords_with_span(text)]


class PyAhoCorasick(Tool):
    description = "pyahocorasick `iter_long` on lowercased text, hits inside a longer word dropped"

    def __init__(self, field: str, variants: Sequence[tuple[str, str]]) -> None:
        super().__init__(field)
        import ahocorasick

        self.automaton = ahocorasick.Automaton()
        for form, entity in _first_by_key(variants, _lower_keeping_length).items():
            self.automaton.add_word(form, (len(form), entity))
        self.automaton.make_automaton()

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        out = []
        n = len(text)
        for last, (length, entity) in self.automaton.iter_long(_lower_keeping_length(text)):
            start, end = last + 1 - length, last + 1
            if (start and text[start - 1].isalnum()) or (end < n and text[end].isalnum()):
                continue
            out.append((start, end, entity))
        return out


class AhoCorasickRaw(Tool):
    description = (
        "ahocorasick_rs raw scan: leftmost-longest on the unmodified text, "
        "no folding, no word boundaries"
    )

    def __init__(self, field: str, variants: Sequence[tuple[str, str]]) -> None:
        super().__init__(field)
        from ahocorasick_rs import AhoCorasick, MatchKind

        forms = _first_by_key(variants, str)
        self.entities = list(forms.values())
        self.automaton = AhoCorasick(list(forms), matchkind=MatchKind.LeftmostLongest)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        ents = self.entities
        return [(s, e, ents[i]) for i, s, e in self.automaton.find_matches_as_indexes(text)]


class SpaCy(Tool):
    description = (
        'spaCy `PhraseMatcher(attr="LOWER")`, blank English tokenizer, '
        "longest non-overlapping matches"
    )

    def __init__(self, field: str, variants: Sequence[tuple[str, str]]) -> None:
        super().__init__(field)
        import spacy
        from spacy.matcher import PhraseMatcher
        from spacy.util import filter_spans

        self.nlp = spacy.blank("en")
        self.nlp.max_length = 10 * _SPACY_PIECE
        self.filter_spans = filter_spans
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        forms = _first_by_key(variants, str.lower)
        by_entity: dict[str, list[str]] = {}
        for form, entity in forms.items():
            by_entity.setdefault(entity, []).append(form)
        for entity, entity_forms in by_entity.items():
            self.matcher.add(entity, [self.nlp.make_doc(f) for f in entity_forms])

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        out = []
        for base, piece in _pieces(text, _SPACY_PIECE):
            doc = self.nlp.make_doc(piece)
            for span in self.filter_spans(self.matcher(doc, as_spans=True)):
                out.append((base + span.start_char, base + span.end_char, span.label_))
        out.sort()
        return out


def _pieces(text: str, size: int) -> Iterator[tuple[int, str]]:
    """``text`` cut into pieces of about ``size`` characters at paragraph (else line) ends.

    >>> list(_pieces("aa\\n\\nbb\\n\\ncc", 4))
    [(0, 'aa\\n\\n'), (4, 'bb\\n\\n'), (8, 'cc')]
    """
    start, n = 0, len(text)
    while start < n:
        end = start + size
        if end >= n:
            end = n
        else:
            cut = text.find("\n\n", end)
            if cut < 0 or cut > end + size:
                cut = text.find("\n", end)
            end = n if cut < 0 else cut + (2 if text.startswith("\n\n", cut) else 1)
        yield start, text[start:end]
        start = end


class ReadOnly(Tool):
    description = "no matching: reading the dump and its gold, the floor under every figure"

    def __init__(self, field: str, variants: Sequence[tuple[str, str]]) -> None:
        super().__init__(field)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        return []

    def __call__(self, task: Task) -> BlockStats:
        return super().__call__((task[0], None))  # nothing found: nothing to score


PEER_CLASSES: dict[str, Callable[[str, Sequence[tuple[str, str]]], Tool]] = {
    "flashtext": FlashText,
    "flashtext2": FlashText2,
    "pyahocorasick": PyAhoCorasick,
    "ahocorasick_rs": AhoCorasickRaw,
    "spacy": SpaCy,
    "read": ReadOnly,
}


def make_tool(name: str, spec: dict[str, Any]) -> Tool:
    field_ = spec["field"]
    if name in ("normalise", "normalise-exact", "normalise-cli"):
        return NormaliseTool(
            field_, spec, exact=name == "normalise-exact", cli=name == "normalise-cli"
        )
    with open(spec["variants"], encoding="utf-8") as f:
        variants = [tuple(v) for v in json.load(f)]
    return PEER_CLASSES[name](field_, variants)


# -- one tool, in its own process --------------------------------------------------------------


def tasks(paths: Sequence[str], fmt: str, limit_chars: float | None) -> Iterator[Task]:
    """Every block of the dumps with its gold mentions (None where a dump has no gold)."""
    chars = 0
    for path in paths:
        jsonl = input_format(path, fmt) == "jsonl"
        gp = gold_path(path)
        gold = GoldReader(gp, jsonl) if gp else None
        try:
            for block in read_blocks([path], fmt=fmt):
                if isinstance(block, TextBlock):
                    last = block.start + len(block.text) - 1
                    size = len(block.text)
                else:
                    last = block.lines[-1][0]
                    size = sum(len(line) for _, line in block.lines)
                yield block, gold.take(last) if gold is not None else None
                chars += size
                if limit_chars is not None and chars >= limit_chars:
                    return
        finally:
            if gold is not None:
                gold.close()


class Progress:
    """A one-line progress bar on stderr: MB of the dump files read, text MB/s, elapsed."""

    def __init__(self, label: str, total_bytes: int, enabled: bool) -> None:
        self.label, self.total, self.enabled = label, total_bytes, enabled
        self.start = time.perf_counter()
        self.last_draw = 0.0
        self.done_files = 0
        self.current = ("", 0)

    def update(self, stats: BlockStats, chars: int, sizes: dict[str, int]) -> None:
        if not self.enabled:
            return
        name, _ = self.current
        if name and name != stats.name:
            self.done_files += sizes.get(name, 0)
        self.current = (stats.name, stats.bytes_read)
        now = time.perf_counter()
        if now - self.last_draw < 0.2:
            return
        self.last_draw = now
        self.draw(chars)

    def draw(self, chars: int) -> None:
        elapsed = time.perf_counter() - self.start
        done = (self.done_files + self.current[1]) / 1e6
        rate = chars / 1e6 / elapsed if elapsed else 0.0
        pct = f"{100 * done * 1e6 / self.total:5.1f}%" if self.total else ""
        m, s = divmod(int(elapsed), 60)
        sys.stderr.write(
            f"\r{self.label:16s} {done:8.1f}/{self.total / 1e6:.1f} MB {pct} "
            f"{rate:7.2f} MB/s text  {m}:{s:02d} "
        )
        sys.stderr.flush()

    def finish(self, chars: int) -> None:
        if self.enabled:
            self.draw(chars)
            sys.stderr.write("\n")


def warm_up(tool: Tool, block: Block) -> None:
    """Run ``tool`` on the start of ``block``, so that what it loads lazily counts as build."""
    if isinstance(block, TextBlock):
        tool.spans(block.text[:_WARM_UP_CHARS])
        return
    for line_no, line in block.lines[:_WARM_UP_RECORDS]:
        tool.spans(parse_record(block.name, line_no, line, tool.field)[tool.field])


class Turns:
    """Block-by-block turns among the tools of one run (see :func:`interleave`): a child
    waits for its turn before each step and hands it back after, so that the tools alternate
    over the same stretch of time and the machine's drifts fall on all of them alike."""

    def __init__(self, fds: str | None) -> None:
        self.go: IO[bytes] | None = None
        self.back: IO[bytes] | None = None
        if fds:
            r, w = (int(x) for x in fds.split(","))
            self.go, self.back = os.fdopen(r, "rb", 0), os.fdopen(w, "wb", 0)

    def wait(self) -> None:
        if self.go is not None and self.go.read(1) != b"g":
            raise SystemExit(3)  # the parent has gone

    def done(self, more: bool = True) -> None:
        if self.back is not None:
            self.back.write(b"d" if more else b"e")


def run_tool(name: str, spec: dict[str, Any], turns: Turns | None = None) -> dict[str, Any]:
    """Build one tool, run it over the dumps, and return its figures."""
    turns = turns or Turns(None)
    paths: list[str] = spec["paths"]
    turns.wait()
    t0 = time.perf_counter()
    tool = make_tool(name, spec)
    first = next(tasks(paths[:1], spec["format"], None), None)
    if first is not None:  # first calls on the dump's own text: lazy loading counts as build
        warm_up(tool, first[0])
    build_s = time.perf_counter() - t0
    turns.done()

    sizes = {p: os.path.getsize(p) for p in paths}
    limit = spec["limit_mb"] * 1e6 if spec["limit_mb"] else None
    progress = Progress(name, sum(sizes.values()), spec["progress"] and sys.stderr.isatty())
    chars = docs = mentions = blocks = 0
    match_s = 0.0
    total: Score | None = None
    seconds = 0.0  # this tool's own time: with turns, the others' turns are left out
    results = iter(
        ordered_map(
            tool, tasks(paths, spec["format"], limit), workers=spec["workers"], start_method="fork"
        )
    )
    while True:
        turns.wait()
        t0 = time.perf_counter()
        stats = next(results, None)
        seconds += time.perf_counter() - t0
        turns.done(more=stats is not None)
        if stats is None:
            break
        blocks += 1
        chars += stats.chars
        docs += stats.docs
        mentions += stats.mentions
        match_s += stats.match_s
        if stats.score is not None:
            total = stats.score if total is None else total + stats.score
        progress.update(stats, chars, sizes)
    progress.finish(chars)

    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pool's workers, if any
    rss = me.ru_maxrss / 1024  # KiB on Linux
    workers_rss = children.ru_maxrss / 1024
    mb = chars / 1e6
    out: dict[str, Any] = {
        "tool": name,
        "description": tool.description,
        "build_s": round(build_s, 4),
        "seconds": round(seconds, 4),
        "chars": chars,
        "mb": round(mb, 6),
        "mb_per_s": round(mb / seconds, 3) if seconds else None,
        # The matching calls alone (summed over workers): reading, counting documents and
        # scoring against the gold are left out, as they are the same for every tool.
        "match_s": round(match_s, 4),
        "match_mb_per_s": round(mb / match_s, 3) if match_s else None,
        "docs": docs,
        "docs_per_s": round(docs / seconds, 1) if seconds else None,
        "mentions": mentions,
        "mentions_per_s": round(mentions / seconds, 1) if seconds else None,
        "blocks": blocks,
        "peak_rss_mb": round(rss, 1),
        "peak_rss_worker_mb": round(workers_rss, 1) if spec["workers"] > 1 else None,
        # CPU seconds, build included: with workers, the main process should stay light.
        "cpu_s": round(me.ru_utime + me.ru_stime, 3),
        "workers_cpu_s": round(children.ru_utime + children.ru_stime, 3),
    }
    out.update(_score_fields(total))
    return out


def _score_fields(s: Score | None) -> dict[str, Any]:
    if s is None:
        return {"precision": None, "recall": None}

    def table(t: dict[str, tuple[int, int]]) -> dict[str, Any]:
        return {
            k: {"recall": round(m / n, 4), "matched": m, "gold": n}
            for k, (m, n) in sorted(t.items())
        }

    p, r = s.precision, s.recall
    return {
        "precision": None if p is None else round(p, 4),
        "recall": None if r is None else round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p and r else None,
        "found_scored": s.found,
        "right": s.right,
        "gold": s.gold,
        "gold_matched": s.matched,
        "recall_by_kind": table(s.by_kind),
        "recall_by_lang": table(s.by_lang),
    }


def child_main(name: str, spec_path: str, out_path: str, turn_fds: str | None = None) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    try:
        result = run_tool(name, spec, Turns(turn_fds))
        code = 0
    except ImportError as exc:
        result = {"tool": name, "error": f"{exc} (pip install -e '.[bench]')"}
        code = 1
    except Exception as exc:  # reported by the parent, which goes on with the other tools
        result = {"tool": name, "error": f"{type(exc).__name__}: {exc}"}
        code = 1
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")
    return code


# -- the parent: one child per tool, then the report ------------------------------------------


def interleave(commands: dict[str, list[str]], progress: bool) -> dict[str, int]:
    """Run one child per tool, all at once but never two at work together: each builds in
    turn, then each matches one block per round, in tool order, until every one is through
    its dumps. A slow minute of the machine then slows every tool alike, and the ratios
    between them hold. Returns each child's exit status."""
    procs: dict[str, tuple[subprocess.Popen[bytes], int, int]] = {}
    active: list[str] = []
    try:
        for name, cmd in commands.items():
            go_r, go_w = os.pipe()
            back_r, back_w = os.pipe()
            proc = subprocess.Popen(
                [*cmd, "--_turns", f"{go_r},{back_w}"],
                stdout=subprocess.DEVNULL,
                pass_fds=(go_r, back_w),
            )
            os.close(go_r)
            os.close(back_w)
            procs[name] = (proc, go_w, back_r)
            if _turn(go_w, back_r):  # its build, alone
                active.append(name)
        rounds = 0
        t0 = time.perf_counter()
        while active:
            for name in list(active):
                _, go_w, back_r = procs[name]
                if not _turn(go_w, back_r):
                    active.remove(name)
            rounds += 1
            if progress and sys.stderr.isatty():
                sys.stderr.write(
                    f"\r{rounds} blocks, {len(active)} tools at work, "
                    f"{time.perf_counter() - t0:.0f} s "
                )
                sys.stderr.flush()
        if progress and sys.stderr.isatty():
            sys.stderr.write("\n")
    finally:
        for _, go_w, back_r in procs.values():
            os.close(go_w)  # a child still waiting for its turn reads the end and stops
            os.close(back_r)
    return {name: proc.wait() for name, (proc, _, _) in procs.items()}


def _turn(go: int, back: int) -> bool:
    """Give a child one turn; whether it has more to do (False once through, or gone)."""
    try:
        os.write(go, b"g")
    except BrokenPipeError:
        return False
    return os.read(back, 1) == b"d"


def machine() -> dict[str, Any]:
    packages: dict[str, str | None] = {}
    for dist in DISTRIBUTIONS.values():
        try:
            packages[dist] = version(dist)
        except PackageNotFoundError:
            packages[dist] = None
    import normalise

    return {
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        # A wheel runs the stages compiled with mypyc; an editable install runs the sources.
        "normalise_build": "compiled (mypyc)" if normalise.COMPILED else "pure Python",
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "packages": packages,
    }


def peer_variants(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(form, entity id) for every variant of every entity, in lexicon order."""
    from normalise import Lexicon

    parts = [] if spec["no_default_lexicon"] else [Lexicon.bundled()]
    if spec["lexicon"]:
        from normalise.cache import load_folders

        parts.append(load_folders(*spec["lexicon"]))
    return [(v.text, e.id) for part in parts for e in part for v in e.variants]


def variants_main(spec_path: str) -> int:
    """Child: write the peers' (form, entity) list where the spec says."""
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    try:
        variants = peer_variants(spec)
    except ValueError as exc:  # LexiconError: every problem as file:line: message
        print(f"run.py: error: bad lexicon:\n{exc}", file=sys.stderr)
        return 2
    Path(spec["variants"]).write_text(json.dumps(variants, ensure_ascii=False), "utf-8")
    return 0


def ratios(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """normalise's matching MB/s over each other tool's: above 1, normalise is faster."""
    out: dict[str, dict[str, float]] = {}
    for base in ("normalise", "normalise-exact"):
        b = results.get(base, {}).get("match_mb_per_s")
        if not b:
            continue
        out[base] = {
            name: round(b / r["match_mb_per_s"], 3)
            for name, r in results.items()
            if name not in (base, "normalise", "read") and r.get("match_mb_per_s")
        }
    return out


def _num(x: Any, fmt: str) -> str:
    return "-" if x is None else format(x, fmt)


def markdown(report: dict[str, Any]) -> str:
    results: dict[str, dict[str, Any]] = report["tools"]
    dumps = ", ".join(f"`{d['path']}` ({d['bytes'] / 1e6:.1f} MB)" for d in report["dumps"])
    lines = [
        f"Dumps: {dumps}; {report['options']['workers']} worker(s); "
        f"{report['machine']['cpu_count']} CPUs, Python {report['machine']['python']}; "
        f"normalise {report['machine'].get('normalise_build', 'build not recorded')}.",
        "",
        f"`{report['command']}`",
        "",
        "| tool | build s | seconds | MB/s | match MB/s | docs/s | mentions | mentions/s "
        "| peak RSS MB | precision | recall |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        if "error" in r:
            lines.append(f"| {name} | error: {r['error']} ||||||||||")
            continue
        rss = _num(r["peak_rss_mb"], ".0f")
        if r.get("peak_rss_worker_mb") is not None:
            rss += f" (+{r['peak_rss_worker_mb']:.0f} per worker)"
        lines.append(
            f"| {name} | {r['build_s']:.2f} | {r['seconds']:.2f} | {_num(r['mb_per_s'], '.2f')} "
            f"| {_num(r.get('match_mb_per_s'), '.2f')} | {_num(r['docs_per_s'], ',.0f')} "
            f"| {r['mentions']:,} "
            f"| {_num(r['mentions_per_s'], ',.0f')} | {rss} "
            f"| {_num(r['precision'], '.3f')} | {_num(r['recall'], '.3f')} |"
        )
    for table, title in (("recall_by_kind", "recall by kind"), ("recall_by_lang", "by language")):
        keys = sorted(
            {k for r in results.values() for k in r.get(table) or {}},
            key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER), k),
        )
        if not keys:
            continue
        lines += ["", f"| {title} | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
        for name, r in results.items():
            by = r.get(table) or {}
            cells = [_num(by[k]["recall"], ".3f") if k in by else "-" for k in keys]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    labels = {"normalise": "normalise full pipeline", "normalise-exact": "normalise exact only"}
    for base, row in report["ratios"].items():
        for name, x in row.items():
            lines.append(f"- {labels[base]} = {x:.2f}x {name} (matching MB/s)")
    lines += ["", "Tools:", ""]
    lines += [
        f"- `{name}`: {r['description']}" for name, r in results.items() if "description" in r
    ]
    return "\n".join(lines) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _tool_list(compare: str) -> list[str]:
    peers = [p.strip() for p in compare.split(",") if p.strip() and p.strip() != "none"]
    unknown = [p for p in peers if p not in PEERS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown peer(s) {', '.join(unknown)}; choose among {', '.join(PEERS)}"
        )
    return peers


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("dumps", nargs="*", metavar="DUMP", help="text or JSON Lines files, folders")
    ap.add_argument("--workers", type=int, default=1, help="worker processes (0: one per CPU)")
    ap.add_argument("--fuzzy", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--lexicon", action="append", default=[], metavar="DIR")
    ap.add_argument("--no-default-lexicon", action="store_true")
    ap.add_argument(
        "--compare",
        type=_tool_list,
        default=list(PEERS),
        help=f"peers, comma-separated (default: {','.join(PEERS)}; 'none': no peer)",
    )
    ap.add_argument("--format", choices=("auto", "text", "jsonl"), default="auto")
    ap.add_argument("--field", default="text", help="JSON Lines field holding the text")
    ap.add_argument("--json", type=Path, help="write the report here as JSON")
    ap.add_argument("--markdown", type=Path, help="write the report here as a Markdown table")
    ap.add_argument("--limit-mb", type=float, help="stop each tool after this much text")
    ap.add_argument("--quiet", action="store_true", help="no progress bar, only the table")
    ap.add_argument(
        "--sequential",
        action="store_true",
        help="run the tools one after another, not in turns block by block (the default "
        "with one worker: the machine's drifts then fall on every tool alike)",
    )
    ap.add_argument("--_turns", help=argparse.SUPPRESS)
    ap.add_argument("--_tool", help=argparse.SUPPRESS)
    ap.add_argument("--_spec", help=argparse.SUPPRESS)
    ap.add_argument("--_out", help=argparse.SUPPRESS)
    ap.add_argument("--_variants", action="store_true", help=argparse.SUPPRESS)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args._tool:
        return child_main(args._tool, args._spec, args._out, args._turns)
    if args._variants:
        return variants_main(args._spec)
    if not args.dumps:
        parser().error("give at least one DUMP")
    if args.no_default_lexicon and not args.lexicon:
        parser().error("--no-default-lexicon needs at least one --lexicon DIR")
    workers = args.workers or os.cpu_count() or 1
    try:
        paths = expand_inputs(args.dumps)
        for p in paths:
            if not os.path.isfile(p):  # each tool reads the dumps again: no standard input
                raise InputError(f"{p}: no such file")
        spec: dict[str, Any] = {
            "paths": paths,
            "format": args.format,
            "field": args.field,
            "workers": workers,
            "fuzzy": args.fuzzy,
            "lexicon": args.lexicon,
            "no_default_lexicon": args.no_default_lexicon,
            "limit_mb": args.limit_mb,
            # One worker per tool: the tools take turns block by block (see interleave);
            # with a pool each, one after another.
            "interleave": workers == 1 and not args.sequential,
            "progress": not args.quiet,
        }
        if spec["interleave"]:
            spec["progress"] = False  # the parent shows one line for all the tools
        tools = ["normalise", "normalise-exact", *args.compare]
        with tempfile.TemporaryDirectory(prefix="normalise-bench-") as tmp:
            spec_path = Path(tmp, "spec.json")
            if args.compare:
                spec["variants"] = str(Path(tmp, "variants.json"))
            spec_path.write_text(json.dumps(spec), encoding="utf-8")
            if args.compare:
                # In a child too: Linux carries a parent's peak RSS over into the ru_maxrss of
                # the children it starts, so the parent must never load a lexicon itself.
                cmd = [sys.executable, str(Path(__file__).resolve()), "--_variants"]
                subprocess.run([*cmd, "--_spec", str(spec_path)], check=True)
            spec_f = str(spec_path)

            def command(name: str) -> list[str]:
                out = str(Path(tmp, f"{name}.json"))
                script = str(Path(__file__).resolve())
                return [sys.executable, script, "--_tool", name, "--_out", out, "--_spec", spec_f]

            codes: dict[str, int] = {}
            if spec["interleave"]:
                codes = interleave({name: command(name) for name in tools}, not args.quiet)
            else:
                for name in tools:
                    codes[name] = subprocess.run(
                        command(name), stdout=subprocess.DEVNULL, check=False
                    ).returncode
            results: dict[str, dict[str, Any]] = {}
            for name in tools:
                out_path = Path(tmp, f"{name}.json")
                if out_path.exists():
                    results[name] = json.loads(out_path.read_text(encoding="utf-8"))
                else:
                    results[name] = {"tool": name, "error": f"exited with status {codes[name]}"}
                if "error" in results[name] and not args.quiet:
                    print(f"run.py: {name}: {results[name]['error']}", file=sys.stderr)
    except InputError as exc:
        print(f"run.py: error: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError:
        return 2  # the child has said why, on stderr

    report: dict[str, Any] = {
        "command": shlex.join([Path(sys.executable).name, *sys.argv]),
        "argv": sys.argv,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "options": {k: v for k, v in spec.items() if k not in ("variants", "paths")},
        "dumps": [
            {
                "path": p,
                "bytes": os.path.getsize(p),
                "gold": str(g) if (g := gold_path(p)) else None,
            }
            for p in paths
        ],
        "tools": results,
        "ratios": ratios(results),
    }
    text = markdown(report)
    print(text, end="")
    if args.json:
        _write_atomically(args.json, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    if args.markdown:
        _write_atomically(args.markdown, text)
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
