"""The fast paths for ASCII and mostly-ASCII text give what the general path gives.

Folding, scanning and word discovery each have a path for texts with a few non-ASCII
stretches (English news with an accent, a dash or a Cyrillic name here and there). These
tests force the general path and compare.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import normalise.folding as folding
from normalise import Normaliser

# ASCII letters and separators, and characters that fold in every way: accents, a sharp s
# (two letters), a combining mark and a ZWNJ (nothing), a no-break space (a separator),
# typographic punctuation, Cyrillic, Arabic, a ligature, tatweel, and a script without spaces.
ALPHABET = list("ab Z-\n\t.,'") + list("éßİﬁ½’–дاツ") + ["\u0301", "\u200c", "\u00a0", "\u0640"]


def _units(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    runs = folding.non_ascii_runs(text)
    saved = folding._SPARSE
    folding._SPARSE = 1  # every text counts as sparse
    try:
        assert runs is not None
        units = folding._non_ascii_units(text, runs)
    finally:
        folding._SPARSE = saved
    assert units is not None
    return units, runs


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=16))
def test_sparse_fold_is_the_general_fold(text: str) -> None:
    units, runs = _units(text)
    sparse, general = folding._fold_sparse(text, units, runs), folding._fold_general(text)
    assert sparse.text == general.text
    assert sparse.scan == folding.scan_form(general.text)
    # What the fast path hands on to scanning and word discovery.
    assert sparse.masked == sparse.scan.encode("ascii", errors="replace")
    assert sparse.runs == folding.non_ascii_runs(text)
    assert sparse.scan_runs == folding.non_ascii_runs(sparse.scan)
    for a in range(len(general.text)):
        for b in range(a + 1, len(general.text) + 1):
            assert sparse.original_span(a, b) == general.original_span(a, b)


def _news() -> str:
    # Mostly ASCII, with sparse non-ASCII stretches: names in Cyrillic and with accents,
    # typographic quotes and dashes, a Greek letter, a misspelt name near them.
    para = (
        "Officials in Baghdad said on Monday that the Popular Mobilization Forces had "
        "moved north – “again”, one said – while Путин spoke of Erdoğan’s plan and the "
        "α-particle study. Hezbolah denied it; Владимир Путин did not. Haider al-Abadi "
        "met Hadr Al-Abadi’s envoy in Mosul.\n\n"
    )
    filler = "The weather was mild and the markets were quiet for most of the week. " * 12
    return (para + filler + "\n\n") * 6


def test_mostly_ascii_text_finds_what_the_general_path_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _news()
    assert not text.isascii()
    n = Normaliser()
    fast = [(m.start, m.end, m.entity_id, m.method) for m in n.find(text)]
    surfaces = {text[s:e] for s, e, _, _ in fast}
    assert {"Путин", "Владимир Путин", "Hezbolah", "Hadr Al-Abadi"} <= surfaces
    monkeypatch.setattr(folding, "_SPARSE", 10**9)  # one threshold for every stage
    slow = [(m.start, m.end, m.entity_id, m.method) for m in n.find(text)]
    assert fast == slow


@given(st.text(alphabet=list("ab Z-\n\t.,'()"), max_size=24))
def test_ascii_fold_hands_on_its_scan_form(text: str) -> None:
    folded = folding.fold(text)
    assert folded.scan == folding.scan_form(folded.text)
    assert folded.masked == folded.scan.encode("ascii")
    assert folded.runs == folded.scan_runs == []


def test_non_ascii_runs() -> None:
    assert folding.non_ascii_runs("plain") == []
    assert folding.non_ascii_runs("a–b ‘c’ дд") == [(1, 2), (4, 5), (6, 7), (8, 10)]


def test_small_memo_generations_find_the_same_and_stay_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The word stage's memo starts new generations when full (see WordIndex.memo): with
    tables of a handful of entries, every text gives what a fresh normaliser gives, and no
    table outgrows its limit."""
    import normalise.fuzzy as fuzzy
    from normalise import Lexicon

    texts = [
        _news(),
        "Hadr Al-Abadi met Hezbolah envoys. Nasrallah and Hizbulah spoke of the Houthi.",
        "Ayatollah Ali Khamenei and Qassem Solemio. Hadr Al-Abadi again, then Hezbolah.",
    ] * 3

    def found(n: Normaliser, text: str) -> list[tuple[int, int, str, str]]:
        return [(m.start, m.end, m.entity_id, m.method) for m in n.find(text)]

    fresh = [found(Normaliser(Lexicon.bundled()), t) for t in texts]
    monkeypatch.setattr(fuzzy, "_MAX_WORDS", 5)
    monkeypatch.setattr(fuzzy, "_MAX_PLACES", 3)
    lexicon = Lexicon.bundled()
    lexicon.words.clear_memo()
    small = Normaliser(lexicon)
    assert [found(small, t) for t in texts] == fresh
    # A table grows during a call and starts over at the next: one text's words past it.
    bound = 6 + max(len(set(t.split())) for t in texts)
    for memo in lexicon.words._memo.values():
        for table in (memo.hits, memo.raw, memo.fits, memo.old_hits, memo.old_raw):
            assert len(table) <= bound
        assert memo.old_hits, "a new generation was started"
    lexicon.words.clear_memo()
