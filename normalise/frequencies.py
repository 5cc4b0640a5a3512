"""Word frequencies for the misspelling test: wordfreq's large lists, compacted, cached on disk.

The fuzzy stage asks how frequent a text word is before it calls it a misspelt name (see
:data:`normalise.fuzzy.ORDINARY_WORD_ZIPF`), in up to five languages for a word in Latin
script. wordfreq's large lists take 130-350 ms each to load as dicts, and a hundred MB of
memory each; that test needs only the alphabetic words of Zipf 1.5 or more. A
:class:`ZipfTable` keeps those as a sorted list with their values, written to the cache
folder (see :mod:`normalise.cache`) the first time a language is needed: later processes
load it in about 20 ms, and hold a few MB.

>>> table = zipf_table("en")
>>> table.zipf("house") > 4.5, table.zipf("hezbolah")
(True, 0.0)
"""

from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from bisect import bisect_left
from importlib.metadata import PackageNotFoundError, version

__all__ = ["ZipfTable", "zipf_table"]

FLOOR = 1.5  # the rarest Zipf value the misspelling test tells from absent
_FORMAT = 1  # bump when the file's shape changes


class ZipfTable:
    """One language's alphabetic words of Zipf :data:`FLOOR` or more, sorted, with their
    Zipf values in hundredths (wordfreq stores frequencies in centibels: the same steps)."""

    __slots__ = ("values", "words")

    def __init__(self, words: list[str], values: array[int]) -> None:
        self.words = words
        self.values = values

    def zipf(self, word: str) -> float:
        """``word``'s Zipf frequency, 0 below the floor or when unknown (case is ignored)."""
        word = word.casefold()
        i = bisect_left(self.words, word)
        if i < len(self.words) and self.words[i] == word:
            return self.values[i] / 100
        return 0.0

    @classmethod
    def from_wordfreq(cls, lang: str) -> ZipfTable | None:
        """Built from wordfreq's large list; None where it has none for ``lang``."""
        from wordfreq import get_frequency_list

        try:
            # The list's function unwrapped from its cache: wordfreq would keep the whole
            # list in memory for the life of the process.
            buckets = get_frequency_list.__wrapped__(lang, "large")
        except LookupError:
            return None
        floor = round(FLOOR * 100)
        found: dict[str, int] = {}
        # Bucket i holds the words of frequency 10^(-i/100), that is Zipf 9 - i/100.
        for i, bucket in enumerate(buckets):
            value = 900 - i
            if value < floor:
                break
            for w in bucket:
                if w.isalpha():
                    found[w] = value
        words = sorted(found)
        return cls(words, array("H", (found[w] for w in words)))

    def to_bytes(self) -> bytes:
        return pickle.dumps(
            (_FORMAT, "\n".join(self.words), self.values.tobytes()),
            protocol=pickle.HIGHEST_PROTOCOL,
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> ZipfTable:
        fmt, joined, raw = pickle.loads(data)
        if fmt != _FORMAT:
            raise ValueError(f"format {fmt}, expected {_FORMAT}")
        values = array("H")
        values.frombytes(raw)
        words = joined.split("\n") if joined else []
        if len(words) != len(values):
            raise ValueError("words and values differ in number")
        return cls(words, values)


def zipf_table(lang: str) -> ZipfTable | None:
    """The table for ``lang`` (a BCP 47 tag or CLDR locale: its language is what counts),
    from the cache folder, or built and written there; None where wordfreq has no large list.

    Files that cannot be read are rebuilt; a folder that cannot be written is done without.
    """
    from .cache import cache_dir

    lang = lang.replace("_", "-").split("-")[0].lower()
    try:
        wf = version("wordfreq")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        wf = "?"
    use_cache = not os.environ.get("NORMALISE_NO_CACHE")
    path = cache_dir() / f"zipf-{lang}-wordfreq{wf}-{_FORMAT}.pickle"
    if use_cache:
        try:
            return ZipfTable.from_bytes(path.read_bytes())
        except (OSError, ValueError, pickle.UnpicklingError, EOFError, TypeError):
            pass  # missing, unreadable or stale: rebuild
    table = ZipfTable.from_wordfreq(lang)
    if table is None or not use_cache:
        return table
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".zipf-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(table.to_bytes())
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only home: work from the table in memory
    return table
