"""Bounded fuzzing of what reads untrusted bytes: the JSON Lines reader with the find and
text jobs, the plain text reader, and the lexicon loader. Whatever the bytes, the only
failure is a located InputError (or a list of problems), records keep their count, and the
output is valid UTF-8.

CI runs a few hundred examples each; ``NORMALISE_FUZZ_EXAMPLES=100000`` runs many more, and
``benchmarks/fuzz.py`` runs them all for a given time (10 minutes found nothing: see the
README's fault table).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalise import Lexicon, Normaliser
from normalise.lexicon import parse_entity_file
from normalise.streaming import InputError, Job, RecordBatch, TextBlock, read_blocks

EXAMPLES = int(os.environ.get("NORMALISE_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NORMALISER = Normaliser(
    Lexicon.from_dict({"Islamic State": ["Daesh", "ISIS", "داعش"], "Iraq": ["Irak", "العراق"]})
)
FIND = Job(NORMALISER, "find", skip_errors=True)
TEXT = Job(NORMALISER, "text", skip_errors=True)

# Bytes that look like JSON Lines often enough to get past the parser: real records,
# fragments, escapes (lone surrogates too), invalid UTF-8, BOMs and odd line ends.
FRAGMENTS = [
    b'{"text": "',
    b'"}',
    b"Daesh ",
    b"Irak",
    "داعش ".encode(),
    b"\\ud800",
    b"\\udc80",
    b"\\ud83d\\ude00",
    b"\\u0000",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\r",
    b"\n",
    b"\n\n",
    b" ",
    b"7",
    b"[",
    b"{",
    b'"text"',
    b": ",
    b", ",
    b"null",
    b"\x00",
    "\u2028".encode(),
    b'{"text": "Daesh in Irak"}\n',
]
jsonl_bytes = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(b"".join),
    st.binary(max_size=300),
)


def _blocks(data: bytes, name: str, **sizes: int) -> list[TextBlock | RecordBatch]:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp, name)
        f.write_bytes(data)
        try:
            return list(read_blocks([str(f)], **sizes))
        except InputError as exc:
            assert str(exc).startswith(str(f) + ":"), exc
            return []


@FUZZ
@given(jsonl_bytes)
def test_jsonl_reader_and_jobs_keep_every_record(data: bytes) -> None:
    batches = _blocks(data, "f.jsonl", batch_records=3)
    records = sum(len(b.lines) for b in batches if isinstance(b, RecordBatch))
    written = []
    for batch in batches:
        for job in (FIND, TEXT):
            out = job(batch)
            assert out.error is None
            out.text.encode("utf-8")  # strict: no lone surrogate reaches the output
            for s in out.skipped:
                assert s.message.startswith(f"{batch.name}:{s.line}: ")
                s.to_json().encode("utf-8")
            if job is TEXT:
                assert not out.text or out.text.endswith("\n")
                written.extend(out.text.split("\n")[:-1])
            else:
                docs = [json.loads(x)["doc"] for x in out.text.split("\n")[:-1]]
                first = batch.first_doc
                assert all(first <= d < first + len(batch.lines) for d in docs)
    assert len(written) == records  # text writes one line per record, bad ones included


@FUZZ
@given(jsonl_bytes, st.integers(4, 64))
def test_plain_text_reader_and_jobs(data: bytes, max_chars: int) -> None:
    blocks = _blocks(data, "f.txt", max_chars=max_chars, overlap=16)
    for block in blocks:
        assert isinstance(block, TextBlock)
        for job in (FIND, TEXT):
            job(block).text.encode("utf-8", "surrogatepass")


TOML_FRAGMENTS = [
    'id = "x"\n',
    'type = "organisation"\n',
    'sources = ["editorial"]\n',
    "[labels]\n",
    'en = "X"\n',
    "[[variants]]\n",
    'text = "Daesh"\n',
    'text = "..."\n',
    "context = [",
    "]",
    "[",
    "{",
    "}",
    '"',
    "'''",
    "\\u",
    "= ",
    "\n",
    "a.b.c = 1\n",
    "case_sensitive = true\n",
    'lang = "xx-YY"\n',
    "\x00",
    "\ud800",
]


@FUZZ
@given(
    st.one_of(
        st.lists(st.sampled_from(TOML_FRAGMENTS), max_size=40).map("".join),
        st.text(max_size=200),
    )
)
def test_lexicon_loader_reports_problems_never_raises(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp, "x.toml")
        f.write_bytes(text.encode("utf-8", "surrogatepass"))
        entity, problems = parse_entity_file(f)
    assert (entity is None) == bool(problems)
    for p in problems:
        assert str(p).startswith(str(f) + ":")
    if entity is not None:
        Lexicon([entity]).index  # noqa: B018 - it compiles
