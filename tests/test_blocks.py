"""Huge paragraphs and lines are cut into overlapping blocks: memory stays bounded, and the
output is what the API gives for the whole text, names across a cut included."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from normalise import Lexicon, Normaliser
from normalise.streaming import Job, TextBlock, find_in_windows, read_blocks

NORMALISER = Normaliser(
    Lexicon.from_dict(
        {
            "Islamic State": ["Islamic State", "Daesh", "ISIS"],
            "Iraq": ["Irak", "Iraq"],
            "Hezbollah": ["Hizb Allah", "Hizbullah"],
        }
    )
)
PIECES = ["Islamic ", "State", "Daesh", "ISIS", "Irak", "Hizb", " Allah", "Hizbullah", "x"]
SEPARATORS = [" ", "  ", "\n", "\n\n", ", ", "-", ""]

texts = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), min_size=1, max_size=60
).map(lambda parts: "".join(p + s for p, s in parts))


def blocks_of(text: str, max_chars: int, overlap: int) -> list[TextBlock]:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp, "t.txt")
        f.write_text(text, encoding="utf-8", newline="")
        found = list(read_blocks([str(f)], block_chars=10**6, max_chars=max_chars, overlap=overlap))
    assert all(isinstance(b, TextBlock) for b in found)
    return [b for b in found if isinstance(b, TextBlock)]


@settings(max_examples=300)
@given(texts, st.integers(5, 40))
def test_cut_blocks_find_and_rewrite_what_the_whole_text_gives(text: str, max_chars: int) -> None:
    overlap = 24  # more than the longest name (11) with its separators
    blocks = blocks_of(text, max_chars, overlap)
    assert all(len(b.text) <= max_chars + 2 * overlap + len(text) for b in blocks)
    # every character is owned by exactly one block
    owned = "".join(b.text[b.head : len(b.text) - b.tail] for b in blocks)
    assert owned == text
    find = Job(NORMALISER, "find")
    rows = [json.loads(x) for b in blocks for x in find(b).text.splitlines()]
    expected = [(m.start, m.end, m.entity_id) for m in NORMALISER.find(text)]
    assert [(r["start"], r["end"], r["entity_id"]) for r in rows] == expected
    rewrite = Job(NORMALISER, "text")
    assert "".join(rewrite(b).text for b in blocks) == NORMALISER.normalise(text)


@settings(max_examples=200)
@given(texts, st.integers(3, 30))
def test_find_in_windows_is_find(text: str, max_chars: int) -> None:
    got = find_in_windows(NORMALISER, text, None, max_chars, 24)
    assert [(m.start, m.end, m.entity_id) for m in got] == [
        (m.start, m.end, m.entity_id) for m in NORMALISER.find(text)
    ]


def test_a_long_line_is_read_in_bounded_blocks(tmp_path) -> None:
    line = "Daesh and Irak " * 20_000  # 300,000 characters, no newline
    f = tmp_path / "line.txt"
    f.write_text(line, encoding="utf-8")
    blocks = [
        b for b in read_blocks([str(f)], max_chars=10_000, overlap=100) if isinstance(b, TextBlock)
    ]
    assert len(blocks) == 30
    assert max(len(b.text) for b in blocks) <= 10_000 + 2 * 100
    assert "".join(b.text[b.head : len(b.text) - b.tail] for b in blocks) == line
