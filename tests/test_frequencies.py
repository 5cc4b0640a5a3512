"""The compact word-frequency tables of the misspelling test, and their on-disk cache."""

from __future__ import annotations

import random

import pytest
from wordfreq import zipf_frequency

from normalise.frequencies import ZipfTable, common_words, folded_word, folded_words, zipf_table
from normalise.index import frequent_words


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NORMALISE_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("NORMALISE_NO_CACHE", raising=False)
    return tmp_path


def test_table_agrees_with_wordfreq() -> None:
    table = ZipfTable.from_wordfreq("en")
    assert table is not None
    sample = random.Random(7).sample(table.words, 500)
    for w in [*sample, "house", "mosul", "isreal"]:
        assert table.zipf(w) == zipf_frequency(w, "en", wordlist="large"), w
    # Below the floor and unknown words read 0, as the test treats them.
    assert table.zipf("hezbolah") == 0.0
    assert min(table.values) >= 150
    assert list(table.words) == sorted(table.words)


def test_case_is_ignored() -> None:
    table = zipf_table("en")
    assert table is not None
    assert table.zipf("House") == table.zipf("house") > 4


def test_written_once_then_read(cache) -> None:
    first = zipf_table("fr")
    files = list(cache.glob("zipf-fr-*.bin"))
    assert len(files) == 1
    again = zipf_table("fr")
    assert first is not None and again is not None
    assert again.words == first.words and again.values == first.values


def test_unreadable_file_is_rebuilt(cache) -> None:
    zipf_table("es")
    (path,) = cache.glob("zipf-es-*.bin")
    good = path.read_bytes()
    path.write_bytes(b"not a table")
    table = zipf_table("es")
    assert table is not None and table.zipf("casa") > 4
    assert path.read_bytes() == good  # rewritten
    path.write_bytes(good[:40] + b"garbage")  # damaged behind a good header
    again = zipf_table("es")
    assert again is not None and again.words == table.words


def test_common_words_cached(cache) -> None:
    first = common_words("de", 3.5)
    assert "haus" in first and "mossul" not in first
    assert len(list(cache.glob("common-de-*.bin"))) == 1
    assert common_words("de", 3.5) == first
    # wordfreq's spellings and the matcher's folded ones: nothing else
    listed = frequent_words("de", 3.5)
    assert first == listed | set(folded_words(sorted(listed)))
    assert {"münchen", "munchen"} <= first


def test_words_are_there_as_the_matcher_sees_them(cache) -> None:
    """A text word reaches the frequency test folded: Persian letters as their Arabic
    counterparts, accents gone. Common Persian words were taken for misspelt names."""
    fa = common_words("fa", 3.5)
    for word in ("پارسی", "پزشکان", "فرکانس"):  # Persian, parsi, doctors, frequency
        assert word in fa and folded_word(word) in fa and folded_word(word) != word
    table = zipf_table("fr")
    assert table is not None and table.zipf("cafe") == table.zipf("café") > 3


def test_small_list_or_none(cache) -> None:
    table = zipf_table("tr")  # wordfreq has only a small list for Turkish: Zipf 3 and up
    assert table is not None and table.zipf("ve") > 5 and min(table.values) >= 300
    assert zipf_table("zz") is None  # no list at all
    assert not list(cache.glob("zipf-zz-*"))


def test_language_tags_are_reduced(cache) -> None:
    a, b = zipf_table("en_GB"), zipf_table("en-US")
    assert a is not None and b is not None and a.words == b.words
    assert len(list(cache.glob("zipf-en-*.bin"))) == 1


def test_unwritable_cache_still_answers(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("NORMALISE_CACHE_DIR", str(blocker / "sub"))  # cannot be a folder
    table = zipf_table("en")
    assert table is not None and table.zipf("house") > 4


def test_no_cache_setting_writes_nothing(cache, monkeypatch) -> None:
    monkeypatch.setenv("NORMALISE_NO_CACHE", "1")
    assert zipf_table("en") is not None
    assert not list(cache.iterdir())


def test_cache_write_leaves_nothing_behind_on_failure(tmp_path) -> None:
    from normalise.cache import write_cache_file

    def fail(f) -> None:
        f.write(b"half")
        raise ValueError("boom")

    target = tmp_path / "x.bin"
    with pytest.raises(ValueError):
        write_cache_file(target, fail)
    assert list(tmp_path.iterdir()) == []
    assert write_cache_file(target, lambda f: f.write(b"whole"))
    assert target.read_bytes() == b"whole" and list(tmp_path.iterdir()) == [target]
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert not write_cache_file(blocker / "sub" / "y.bin", lambda f: f.write(b"-"))
