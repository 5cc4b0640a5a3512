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

import pickle
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

__all__ = ["ZipfTable", "common_words", "folded_word", "zipf_table"]

FLOOR = 1.5  # the rarest Zipf value the misspelling test tells from absent
_FORMAT = 4  # in the file names and headers: bump when the files' shape or content changes


class ZipfTable:
    """One language's alphabetic words of Zipf :data:`FLOOR` or more, sorted, with their
    Zipf values in hundredths (wordfreq stores frequencies in centibels: the same steps).

    Each word is there as wordfreq spells it and as the matcher sees it, folded (see
    :func:`folded_word`): Persian "پارسی" is also "پارسي", French "café" also "cafe".
    """

    __slots__ = ("values", "words")

    def __init__(self, words: Sequence[str], values: array[int]) -> None:
        # A tuple: of strings only, the cyclic GC stops tracking it after one look, where it
        # would walk a list of half a million words at every full collection (6% of the time
        # the stages take a megabyte).
        self.words = tuple(words)
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
        """Built from wordfreq's large list, else its small one (Zipf 3 and more: Persian
        has no large list); None where it has neither for ``lang``."""
        from wordfreq import get_frequency_list

        # The list's function unwrapped from its cache: wordfreq would keep the whole list
        # in memory for the life of the process.
        for size in ("large", "small"):
            try:
                buckets = get_frequency_list.__wrapped__(lang, size)
                break
            except LookupError:
                continue
        else:
            return None
        floor = round(FLOOR * 100)
        listed: list[tuple[str, int]] = []
        # Bucket i holds the words of frequency 10^(-i/100), that is Zipf 9 - i/100.
        for i, bucket in enumerate(buckets):
            value = 900 - i
            if value < floor:
                break
            listed.extend((w, value) for w in bucket if w.isalpha())
        found: dict[str, int] = {}
        for (w, value), f in zip(listed, folded_words([w for w, _ in listed]), strict=True):
            found.setdefault(w, value)  # the first value a spelling gets is its highest
            if f != w and f.isalpha():
                found.setdefault(f, value)
        words = sorted(found)
        return cls(words, array("H", (found[w] for w in words)))

    def to_bytes(self) -> bytes:
        return pickle.dumps(
            ("\n".join(self.words), self.values.tobytes()), protocol=pickle.HIGHEST_PROTOCOL
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> ZipfTable:
        from .cachefile import safe_loads

        joined, raw = safe_loads(data)  # a str and bytes: no class may be named
        if not isinstance(joined, str) or not isinstance(raw, bytes):
            raise ValueError("not a table of words and values")
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
    lang = _language(lang)
    data = _cached_file(f"zipf-{lang}", lambda: _table_bytes(lang))
    if data is None:
        return None
    try:
        return ZipfTable.from_bytes(data)
    except (ValueError, pickle.UnpicklingError, EOFError, TypeError):
        return ZipfTable.from_wordfreq(lang)  # a damaged file: work without it


def common_words(lang: str, threshold: float) -> frozenset[str]:
    """The words of ``lang`` at Zipf ``threshold`` (3 or more) or more, from wordfreq's small
    list (:func:`normalise.index.frequent_words`), as spelled there and folded (see
    :func:`folded_word`), cached like the tables: a few ms to load.

    >>> "house" in common_words("en", 3.5), "hezbollah" in common_words("en", 3.5)
    (True, False)
    """
    from .index import frequent_words

    lang = _language(lang)

    def build() -> bytes:
        words = sorted(frequent_words(lang, threshold))
        return "\n".join(sorted(set(words) | set(folded_words(words)))).encode("utf-8")

    data = _cached_file(f"common-{lang}-{threshold}", build)
    assert data is not None
    return frozenset(data.decode("utf-8").split("\n")) if data else frozenset()


def folded_word(word: str) -> str:
    """``word`` as the matcher sees a text word: folded (case, marks, letter variants) and in
    scan form.

    >>> folded_word("Café"), folded_word("پارسی") == "پارسي"
    ('cafe', True)
    """
    if word.isascii():
        return word.lower()
    from .folding import fold, scan_form

    # fold(), not fold_key(): a few hundred thousand words would flush its memo of the
    # lexicon's strings.
    return scan_form(fold(word).text).strip(" ")


def folded_words(words: list[str]) -> list[str]:
    """:func:`folded_word` of each of ``words`` (alphabetic), folded as one text: a list of
    300,000 Arabic words in a second rather than ten.

    >>> folded_words(["Café", "Straße", "پارسی"]) == ["cafe", "strasse", "پارسي"]
    True
    """
    if all(w.isascii() for w in words):
        return [w.lower() for w in words]
    from .folding import fold, scan_form

    out = scan_form(fold(" ".join(words)).text).strip(" ").split(" ")
    if len(out) == len(words):
        return out
    # A word folded to nothing, or to several: one at a time.
    return [folded_word(w) for w in words]


def _language(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _table_bytes(lang: str) -> bytes | None:
    table = ZipfTable.from_wordfreq(lang)
    return None if table is None else table.to_bytes()


def _cached_file(name: str, build: Callable[[], bytes | None]) -> bytes | None:
    """The bytes cached under ``name`` (for this wordfreq), else ``build()``'s, written to the
    cache folder (None: nothing to cache). Unreadable files are rebuilt."""
    from .cache import cache_dir, cache_enabled
    from .cachefile import CacheFileError, read_body, unsafe_reason, warn, write_body

    if not cache_enabled():
        return build()
    folder = cache_dir()
    unsafe = unsafe_reason(folder)
    if unsafe is not None:
        warn(f"cache folder {folder} {unsafe}: not used (see NORMALISE_CACHE_DIR)")
        return build()
    try:
        wf = version("wordfreq")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        wf = "?"
    path = folder / f"{name}-wordfreq{wf}-{_FORMAT}.bin"
    try:
        stored = read_body(path, _FORMAT)
        if stored is not None:
            return stored
    except CacheFileError as exc:
        warn(f"{exc}: rebuilding it")
    data = build()
    if data is not None:
        write_body(path, data, _FORMAT)
    return data
