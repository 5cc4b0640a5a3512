"""Which build runs the tests: CI runs them once on the sources (an editable install) and once
on the wheel, compiled with mypyc (see hatch_build.py), and says which it expects."""

from __future__ import annotations

import os
import pickle

import pytest

import normalise


def test_the_build_under_test_is_the_one_expected() -> None:
    expected = os.environ.get("NORMALISE_EXPECT_COMPILED")
    if expected is None:
        pytest.skip("NORMALISE_EXPECT_COMPILED is not set (CI sets it)")
    assert normalise.COMPILED is (expected == "1"), normalise.__file__


def test_mentions_and_the_cached_lexicon_pickle_in_either_build(bundled) -> None:
    # A compiled class cannot be unpickled around its constructor: these go through it.
    text = "Hizbullah and ISIS near Mosul; Hadr Al-Abadi spoke."
    found = bundled.find(text)
    assert pickle.loads(pickle.dumps(found)) == found
    words = bundled.lexicon.words
    again = pickle.loads(pickle.dumps(words))
    assert again.occurrences == words.occurrences
    assert again.deletes.near("abadii") == words.deletes.near("abadii") != set()
