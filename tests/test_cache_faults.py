"""A damaged cache file never breaks a run: every single-byte flip of a cached lexicon and of
a word list is caught by its header (format, length, SHA-256) and the file rebuilt, with a
one-line warning; a planted pickle runs no code."""

from __future__ import annotations

import os
import pickle
import random

import pytest

from normalise import cachefile
from normalise.cache import load_folders
from normalise.frequencies import common_words

from .faults import write_lexicon


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("NORMALISE_CACHE_DIR", str(folder))
    monkeypatch.delenv("NORMALISE_NO_CACHE", raising=False)
    cachefile._WARNED.clear()
    return folder


def test_forty_single_byte_flips_are_each_caught_and_rebuilt(cache, tmp_path, capsys) -> None:
    lexicon = write_lexicon(tmp_path / "lexicon")
    expected = sorted(e.id for e in load_folders(lexicon))
    (path,) = cache.glob("folders-*.pickle")
    good = path.read_bytes()
    rng = random.Random(13)
    for i in range(40):
        data = bytearray(good)
        at = i if i < 20 else rng.randrange(len(data))  # the header's bytes, then anywhere
        data[at] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        cachefile._WARNED.clear()
        assert sorted(e.id for e in load_folders(lexicon)) == expected
        err = capsys.readouterr().err
        assert err.startswith("normalise: warning: ") and err.endswith(": rebuilding it\n"), err
        assert err.count("\n") == 1
        assert path.read_bytes() == good  # rebuilt, byte for byte


def test_a_word_list_cut_short_or_garbled_is_rebuilt(cache, capsys) -> None:
    words = common_words("en", 3.5)
    (path,) = cache.glob("common-en-*.bin")
    good = path.read_bytes()
    for damaged in (good[: len(good) // 2], os.urandom(64) + good[64:], b""):
        path.write_bytes(damaged)
        cachefile._WARNED.clear()
        assert common_words("en", 3.5) == words
        assert "rebuilding it" in capsys.readouterr().err
        assert path.read_bytes() == good


def test_a_planted_pickle_with_a_good_header_runs_no_code(cache, tmp_path, capsys) -> None:
    lexicon = write_lexicon(tmp_path / "lexicon")
    load_folders(lexicon)
    (path,) = cache.glob("folders-*.pickle")
    marker = tmp_path / "PWNED"

    class Evil:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    path.write_bytes(cachefile.pack(pickle.dumps(Evil()), 3))
    assert len(load_folders(lexicon)) == 2
    assert not marker.exists()
    assert "cannot be loaded (UnpicklingError): rebuilding it" in capsys.readouterr().err


def test_a_cache_folder_others_can_write_is_not_read(cache, tmp_path, capsys) -> None:
    lexicon = write_lexicon(tmp_path / "lexicon")
    load_folders(lexicon)
    os.chmod(cache, 0o777)
    (path,) = cache.glob("folders-*.pickle")
    path.write_bytes(b"planted")
    assert len(load_folders(lexicon)) == 2
    assert "can be written by other users: not used" in capsys.readouterr().err
    assert path.read_bytes() == b"planted"  # neither read nor written
