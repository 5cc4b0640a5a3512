"""Invariants under Hypothesis: offsets, nothing lost, idempotence, folding never fails."""

from __future__ import annotations

import pickle

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalise import Lexicon, Normaliser, fold

# Names with the characters folding cares about, in several scripts.
NAMES = [
    "Islamic State",
    "IS",
    "ISIS",
    "Da'esh",
    "Hizbullah",
    "Ḥizb Allāh",
    "al-Abadi",
    "Haider al-Abadi",
    "U.S.",
    "داعش",
    "الدولة الإسلامية",
    "خامنه‌ای",
    "ИГИЛ",
    "Straße",
    "İstanbul",
    "北京",
    "F-16",
    "Deir ez-Zor",
    "Iran",
    "Islamic Republic of Iran",
]
LEXICON = Lexicon.from_dict({n: [n] for n in NAMES}) + Lexicon.from_dict(
    {"acronyms": ["IS", "US", "PMU"]}, case_sensitive=True
)
NORMALISER = Normaliser(LEXICON)

# Text built from names, their pieces, separators and awkward characters, so that matches
# are frequent and edges (case, marks, joiners, surrogates, controls) are exercised.
PIECES = st.sampled_from(
    NAMES
    + [n.upper() for n in NAMES]
    + [n.lower() for n in NAMES]
    + [
        " ",
        "  ",
        "\n",
        "-",
        "'s",
        "’",
        ".",
        ",",
        "(",
        ")",
        "x",
        "is",
        "the",
        "\u200c",
        "\u00ad",
        "\u0301",
        "\u0640",
        "ß",
        "İ",
        "ﷲ",
        "\x00",
        "\ud800",
        "\t",
        "ＩＳ",
        "ـ",
    ]
)
TEXTS = st.one_of(st.lists(PIECES, max_size=25).map("".join), st.text(max_size=60))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_mentions_point_into_the_original(text: str) -> None:
    mentions = NORMALISER.find(text)
    last = 0
    for m in mentions:
        assert text[m.start : m.end] == m.surface
        assert last <= m.start < m.end <= len(text)
        last = m.end


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_normalise_changes_only_mentions(text: str) -> None:
    mentions = NORMALISER.find(text)
    out = NORMALISER.normalise(text)
    # Rebuild the output from the original's outside text and the labels: nothing else moved.
    pieces, last = [], 0
    for m in mentions:
        pieces += [text[last : m.start], m.label]
        last = m.end
    pieces.append(text[last:])
    assert out == "".join(pieces)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_normalise_is_idempotent(text: str) -> None:
    once = NORMALISER.normalise(text)
    assert NORMALISER.normalise(once) == once


@settings(max_examples=500)
@given(st.text(max_size=200))
def test_folding_never_fails_and_maps_monotonically(text: str) -> None:
    f = fold(text)
    starts = [f.original_start(i) for i in range(len(f.text))]
    assert all(0 <= s < len(text) for s in starts)
    assert starts == sorted(starts)
    for i in range(len(f.text) + 1):
        end = f.original_end(i)
        assert 0 <= end <= len(text)
        if i:
            assert end > starts[i - 1]


@settings(max_examples=300)
@given(TEXTS)
def test_folding_is_idempotent(text: str) -> None:
    once = fold(text).text
    assert fold(once).text == once


def test_pickled_normaliser_gives_identical_results() -> None:
    text = "ISIS and Daʿesh, Hizbullah in İstanbul; the U.S. and IS."
    clone = pickle.loads(pickle.dumps(NORMALISER))
    assert clone.find(text) == NORMALISER.find(text)
    assert [m.surface for m in NORMALISER.find(text)] == [
        "ISIS",
        "Daʿesh",
        "Hizbullah",
        "İstanbul",
        "U.S.",
        "IS",
    ]


def test_bundled_normaliser_pickles_as_a_reference(bundled) -> None:
    data = pickle.dumps(bundled)
    assert len(data) < 500  # the lexicon is reloaded, not shipped
    text = "Hizbullah and ISIS in Deir Ezzor"
    assert pickle.loads(data).find(text) == bundled.find(text)


def test_pipe_in_two_processes_matches_one() -> None:
    texts = [f"{i}: ISIS, Hizbullah and the U.S. in İstanbul" for i in range(300)]
    records = [{"id": i, "text": t} for i, t in enumerate(texts)]
    one = list(NORMALISER.pipe(texts + records, batch_size=16))
    two = list(NORMALISER.pipe(texts + records, batch_size=16, n_process=2))
    assert one == two
    assert one[0] == NORMALISER.normalise(texts[0])
    assert one[300] == {"id": 0, "text": one[0]}
    found = list(NORMALISER.pipe(records[:3], mode="find", n_process=2))
    assert [len(r["mentions"]) for r in found] == [4, 4, 4]


def _bundled_forms() -> list[str]:
    import normalise

    lexicon = normalise.default_normaliser().lexicon
    curated = [e for e in lexicon if e.path is not None]
    return sorted({v.text for e in curated for v in e.variants})


BUNDLED_TEXTS = st.lists(
    st.one_of(
        st.sampled_from(_bundled_forms()), st.sampled_from([" ", ", ", ". ", "\n", "'s ", "و"])
    ),
    max_size=12,
).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(BUNDLED_TEXTS, st.sampled_from(["en", "ar", "ru", "fr"]))
def test_bundled_lexicon_offsets_and_rewrites(text: str, lang: str) -> None:
    import normalise

    n = normalise.default_normaliser()
    mentions = n.find(text)
    last = 0
    pieces = []
    for m in mentions:
        assert text[m.start : m.end] == m.surface
        assert last <= m.start < m.end
        pieces += [text[last : m.start], n.lexicon[m.entity_id].label(lang)]
        last = m.end
    pieces.append(text[last:])
    assert n.normalise(text, target_lang=lang) == "".join(pieces)
