"""Index: every variant of every entity, folded and compiled into one Aho-Corasick automaton.

The automaton runs over the *scan form* of the folded text, in which every non-word
character is a space, padded with a space at each end. A pattern carries its own word
boundaries: a variant that begins (ends) with a letter of a script written with spaces gets a
leading (trailing) space, so a hit can only start (end) at a word boundary and no boundary
check is left for Python to do. Scripts written without spaces get no padding there.

>>> from normalise.lexicon import Lexicon
>>> idx = Index.build(Lexicon.from_dict({"Haider al-Abadi": ["Haider al-Abadi"]}).entities)
>>> sorted(idx.patterns)
[' haider al abadi ', ' haider alabadi ', ' haideralabadi ']
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import ahocorasick_rs

from .folding import fold_key, is_spaced_word_char, scan_form, sparse_runs
from .languages import (
    GUARDED_LANGS,
    LOWER_WORD_ZIPF,
    base_language,
    ordinary_in,
    rarer_than_name,
)
from .lexicon import Entity, Variant

__all__ = [
    "ANCHOR",
    "COMMON_WORD_ZIPF",
    "CONTEXT",
    "CUE",
    "EDGE_LEFT",
    "EDGE_RIGHT",
    "UNPADDED_LEFT",
    "UNPADDED_RIGHT",
    "UPPER_ONLY",
    "Entry",
    "Index",
]

# Index.edges: per pattern, how its ends differ from the common " form " (0).
EDGE_LEFT = 1  # its first character is a space of the form itself (it began with punctuation)
EDGE_RIGHT = 2
UNPADDED_LEFT = 4  # no padding space at the start (set with EDGE_LEFT, or an unspaced script)
UNPADDED_RIGHT = 8
# Marker patterns: words the later stages need to know the places of, found in the same pass.
ANCHOR = 16  # a distinctive word of a multi-word name (see normalise.fuzzy)
CUE = 32  # a context cue word of an ambiguous variant
UPPER_ONLY = 64  # every entry is a case-sensitive form in capitals: a lowercase hit is no hit
CONTEXT = 128  # an entry has context cues: its hits are kept only where the text backs them

# A case-sensitive acronym whose lowercase form is at least this frequent (wordfreq's Zipf
# scale: 4.5 is about once per 30,000 words) is also an ordinary word: "IS", "US", "IT".
COMMON_WORD_ZIPF = 4.5
# Arabic articles in Latin script that may be written joined to the name: "alAbadi".
_ARTICLES = frozenset({"al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an"})
_HYPHEN_RE = re.compile(r"(?<=\w)[-\u2010\u2011](?=\w)")
_MAX_JOIN_COMBINATIONS = 8
# A name run together ("IslamicState") is matched when it has at least this many letters:
# shorter joins collide with ordinary words and other names.
_MIN_JOINED = 8
_GENERATED = frozenset({"cldr", "geonames"})  # sources of entities no editor reviewed
_JOINABLE_WORD = re.compile(r"[^\W_]+")


class Entry(NamedTuple):
    """What a pattern stands for: one folded form of one variant of one entity.

    A named tuple rather than a dataclass: the cached index holds tens of thousands, and
    tuples unpickle at C speed.
    """

    entity: int
    variant: Variant
    folded: str
    punctuated: bool  # the form holds non-word characters: compare folded text on a hit
    common_word: bool  # a case-sensitive acronym that is also an ordinary word
    context_scan: tuple[str, ...] = ()  # the variant's cue words, in scan form
    # The anchor words in the form: (character offset, words before, words after, word).
    anchors: tuple[tuple[int, int, int, str], ...] = ()
    # Languages where the form is an ordinary word and not this entity's name ("poutine" in
    # English): it does not count in a text written in one of them.
    ordinary_in: tuple[str, ...] = ()
    # A capitalised one-word name that is also a lower-case word somewhere ("Siria", Spanish
    # "siria", Syrian): in a text written with capitals, it needs its capital.
    lower_word: bool = False
    # The form is the name run together ("islamicstate"): matched exactly, never a fuzzy
    # target (its deletions would swell the word stage's index for nothing).
    joined: bool = False


def _automaton(patterns: list[str]) -> ahocorasick_rs.BytesAhoCorasick | None:
    # Over bytes: for an ASCII haystack byte offsets are str offsets, and the bytes automaton
    # scans 40% faster than the str one (which converts every offset; measured 11 vs 19 ms
    # per MB). The contiguous NFA: it is built at every start-up, so a DFA's half second and
    # 450 MB are too dear; it scans 8% faster than the noncontiguous one.
    if not patterns:
        return None
    return ahocorasick_rs.BytesAhoCorasick(
        [p.encode("utf-8") for p in patterns],
        implementation=ahocorasick_rs.Implementation.ContiguousNFA,
    )


def _str_automaton(patterns: list[str]) -> ahocorasick_rs.AhoCorasick:
    return ahocorasick_rs.AhoCorasick(
        patterns, implementation=ahocorasick_rs.Implementation.ContiguousNFA
    )


class Index:
    """The compiled lexicon: patterns, what each stands for, and the automaton.

    Besides the variants' patterns, the automaton holds *marker* patterns: the anchor words
    of the word stage and the context cue words, so one pass over the text finds them all.
    A marker pattern may have no entries of its own.
    """

    __slots__ = (
        "_str_automaton",
        "anchor_of",
        "automaton",
        "cue_of",
        "entities",
        "entries",
        "flags",
        "lpad",
        "patterns",
        "rpad",
    )

    def __init__(
        self,
        entities: tuple[Entity, ...],
        patterns: list[str],
        entries: list[tuple[Entry, ...]],
        pads: list[tuple[bool, bool]],
        anchor_of: dict[int, str] | None = None,
        cue_of: dict[int, str] | None = None,
    ) -> None:
        self.entities = entities
        self.patterns = patterns
        self.entries = entries
        # Whether each pattern's first and last space is boundary padding rather than text.
        self.lpad = [left for left, _ in pads]
        self.rpad = [right for _, right in pads]
        self.anchor_of = anchor_of or {}
        self.cue_of = cue_of or {}
        self.automaton = _automaton(patterns)
        self._str_automaton: ahocorasick_rs.AhoCorasick | None = None
        self.flags = self._flags()

    # What is pickled; the automata cannot be, and are rebuilt from the patterns (fast) on
    # load. The flags are kept: a list of ints unpickles at once, recomputing it takes 60 ms.
    _STATE = ("entities", "patterns", "entries", "lpad", "rpad", "anchor_of", "cue_of", "flags")

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._STATE)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self._STATE, state, strict=True):
            setattr(self, name, value)
        self.automaton = _automaton(self.patterns)
        self._str_automaton = None

    def find(
        self,
        haystack: str,
        masked: bytes | None = None,
        runs: list[tuple[int, int]] | None = None,
    ) -> list[tuple[int, int, int]]:
        """Every occurrence of every pattern in ``haystack``: (pattern id, start, end).

        ``masked`` is ``haystack.encode("ascii", errors="replace")`` and ``runs`` its
        :func:`~normalise.folding.sparse_runs`, if the caller has them.
        """
        if self.automaton is None:
            return []
        if masked is None:
            masked = haystack.encode("ascii", errors="replace")
        if haystack.isascii():  # constant time: CPython knows
            return self.automaton.find_matches_as_indexes(masked, overlapping=True)
        # A few non-ASCII stretches (a Greek or Cyrillic word in English news): the bytes
        # automaton over the haystack with each of their characters masked as "?" (no
        # pattern holds one, and it is no boundary), then over each stretch in UTF-8, its
        # byte offsets turned into str ones there. (A str automaton would do that itself,
        # but costs as much again to build: over a second for 100,000 entities.)
        if runs is None:
            runs = sparse_runs(haystack)
        if runs is not None:
            automaton = self.automaton
            matches = automaton.find_matches_as_indexes(masked, overlapping=True)
            for a, b in _spaced_together(haystack, runs):
                lo = a - 1  # the haystack is padded: a stretch never starts at 0
                data = haystack[lo : b + 1].encode("utf-8")
                for pid, bs, be in automaton.find_matches_as_indexes(data, overlapping=True):
                    # A UTF-8 pattern starts and ends on character boundaries.
                    s = lo + len(data[:bs].decode("utf-8"))
                    e = s + len(data[bs:be].decode("utf-8"))
                    if s < b and e > a:  # holds a masked character
                        matches.append((pid, s, e))
            return matches
        # Other texts: the str automaton (it converts offsets, slower but right).
        return self._str().find_matches_as_indexes(haystack, overlapping=True)

    def _str(self) -> ahocorasick_rs.AhoCorasick:
        """The str automaton, built on the first text that needs it."""
        if self._str_automaton is None:
            self._str_automaton = _str_automaton(self.patterns)
        return self._str_automaton

    def _flags(self) -> list[int]:
        """Per pattern: how its ends differ from the common " form ", and its markers."""
        out = []
        for p, left, right in zip(self.patterns, self.lpad, self.rpad, strict=True):
            flags = 0
            if not left:
                flags |= UNPADDED_LEFT | (EDGE_LEFT if p[0] == " " else 0)
            if not right:
                flags |= UNPADDED_RIGHT | (EDGE_RIGHT if p[-1] == " " else 0)
            out.append(flags)
        for pid, bucket in enumerate(self.entries):
            if bucket and all(
                e.variant.case_sensitive and e.variant.text.isupper() for e in bucket
            ):
                out[pid] |= UPPER_ONLY
            if any(e.variant.guarded for e in bucket):
                out[pid] |= CONTEXT
        for pid in self.anchor_of:
            out[pid] |= ANCHOR
        for pid in self.cue_of:
            out[pid] |= CUE
        return out

    @property
    def anchors(self) -> frozenset[str]:
        """The anchor words the automaton marks."""
        return frozenset(self.anchor_of.values())

    @classmethod
    def build(
        cls,
        entities: Sequence[Entity],
        *,
        anchors: Callable[[list[Entry]], Iterable[str]] | None = None,
    ) -> Index:
        """Compile ``entities``; ``anchors`` picks the anchor words from all entries."""
        entities = tuple(entities)
        by_pattern: dict[str, list[Entry]] = {}
        pads: dict[str, tuple[bool, bool]] = {}
        for i, entity in enumerate(entities):
            curated = not _GENERATED.intersection(entity.sources)
            forms_of = _EntityForms(entity)
            for variant in entity.variants:
                is_common = variant.case_sensitive and _is_common_acronym(variant)
                cues = tuple(scan_form(fold_key(c)).strip() for c in variant.context)
                foreign = forms_of.ordinary_elsewhere(variant)
                lower = _lower_case_word(variant)
                # Names run together, for the curated entities only: generated names in 200
                # languages would double the automaton (and the start-up) for little.
                joined = _joined(variant.text) if curated else None
                run_together = fold_key(joined) if joined else None
                for form in _forms(variant.text, run_together):
                    scan = scan_form(form)
                    if not scan.strip(" "):
                        continue  # no word character: nothing to anchor a match
                    left, right = is_spaced_word_char(scan[0]), is_spaced_word_char(scan[-1])
                    pattern = " " * left + scan + " " * right
                    seen = pads.get(pattern)
                    if seen is not None and seen != (left, right):
                        # "Liechtenstein," (CLDR) scans as "liechtenstein " with a space of
                        # its own: the same pattern as the padded "Liechtenstein". The
                        # padded reading wins (its boundary check is the stricter); the
                        # punctuated form, which it matches anyway, is dropped.
                        if sum(seen) >= left + right:
                            continue
                        by_pattern[pattern] = []
                    pads[pattern] = (left, right)
                    entry = Entry(
                        i,
                        variant,
                        form,
                        scan != form,
                        is_common,
                        cues,
                        (),
                        foreign,
                        lower,
                        form == run_together,
                    )
                    bucket = by_pattern.setdefault(pattern, [])
                    if entry not in bucket:
                        bucket.append(entry)
        all_entries = [e for bucket in by_pattern.values() for e in bucket]
        cue_words = sorted({c for e in all_entries for c in e.context_scan if c})
        anchor_words = sorted(set(anchors(all_entries))) if anchors else []
        if anchor_words:
            known = set(anchor_words)
            for bucket in by_pattern.values():
                bucket[:] = [_with_anchors(e, known) for e in bucket]
        markers: dict[str, list[tuple[int, str]]] = {}
        for kind, words in ((ANCHOR, anchor_words), (CUE, cue_words)):
            for w in words:
                pattern = f" {w} "
                if pattern not in by_pattern:
                    by_pattern[pattern] = []
                    pads[pattern] = (True, True)
                markers.setdefault(pattern, []).append((kind, w))
        patterns = list(by_pattern)
        anchor_of: dict[int, str] = {}
        cue_of: dict[int, str] = {}
        for pid, p in enumerate(patterns):
            for kind, w in markers.get(p, ()):
                (anchor_of if kind == ANCHOR else cue_of)[pid] = w
        return cls(
            entities,
            patterns,
            [tuple(by_pattern[p]) for p in patterns],
            [pads[p] for p in patterns],
            anchor_of,
            cue_of,
        )


def _spaced_together(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``runs`` with those that only spaces separate joined: "владимир путин" is one."""
    out: list[tuple[int, int]] = []
    for a, b in runs:
        if out and not text[out[-1][1] : a].strip(" "):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _with_anchors(entry: Entry, anchors: set[str]) -> Entry:
    """``entry`` with the places of the anchor words its form holds."""
    words = entry.folded.split(" ")
    if len(words) < 2 or anchors.isdisjoint(words):
        return entry
    found = []
    offset = 0
    for j, w in enumerate(words):
        if w in anchors:
            found.append((offset, j, len(words) - j - 1, w))
        offset += len(w) + 1
    return entry._replace(anchors=tuple(found))


def _forms(text: str, joined: str | None = None) -> list[str]:
    """The folded forms a variant matches: as written, apostrophes dropped, joins at hyphens
    and after a Latin-script Arabic article."""
    spellings = {text}
    if "'" in text or "\u2019" in text:
        spellings.add(text.replace("'", "").replace("\u2019", ""))
    for s in list(spellings):
        spellings.update(_joins(s))
    forms = []
    for s in sorted(spellings):
        f = fold_key(s)
        if f and f not in forms:
            forms.append(f)
    if joined and joined not in forms:
        forms.append(joined)  # already folded
    return forms


def _joined(text: str) -> str | None:
    """The name run together, as hashtags, handles and hurried typing write it: "Islamic
    State" -> "IslamicState" (folding takes the case), "الحشد الشعبي" -> "الحشدالشعبي".
    Only for names of two words or more, at least :data:`_MIN_JOINED` letters long, and not
    an ordinary word of a lexicon language once joined ("sea port" -> "seaport")."""
    if " " not in text:
        return None  # one word (a hyphenated one is joined by _joins already)
    words = _JOINABLE_WORD.findall(text)
    if len(words) < 2 or _JOINABLE_WORD.sub("", text).strip(" -'’"):
        return None  # one word, or punctuation the join would have to drop
    joined = "".join(words)
    if len(joined) < _MIN_JOINED or ordinary_in(fold_key(joined), set()):
        return None
    return joined


def _joins(text: str) -> list[str]:
    # Split points: hyphens between word characters, and the space after an article.
    points = [m.start() for m in _HYPHEN_RE.finditer(text)]
    for m in re.finditer(r"(?:(?<=\s)|^)([A-Za-z]{2,3})[ ](?=\w)", text):
        if m.group(1).lower() in _ARTICLES:
            points.append(m.end(1))
    if not points:
        return []
    points.sort()
    combos: list[tuple[bool, ...]]
    if 2 ** len(points) <= _MAX_JOIN_COMBINATIONS:
        combos = list(itertools.product((False, True), repeat=len(points)))
    else:
        combos = [(True,) * len(points)]
    out = []
    for combo in combos:
        if not any(combo):
            continue
        chars = list(text)
        for point, join in zip(points, combo, strict=True):
            if join:
                chars[point] = ""
        out.append("".join(chars))
    return out


def zipf(word: str, lang: str) -> float:
    """``word``'s frequency in ``lang`` on wordfreq's Zipf scale, from its "small" list (it
    loads in 15 ms and holds every word of Zipf 3 or more; rarer words read 0). The
    misspelling test, which needs rarer words, reads :mod:`normalise.frequencies`.

    >>> zipf("is", "en"), zipf("soleimany", "en")
    (7.07, 0.0)
    """
    from wordfreq import zipf_frequency

    lang = lang.replace("_", "-").split("-")[0].lower()
    freqs = _frequencies(lang, "small")
    if freqs is None:  # a language wordfreq has no such list for
        return 0.0
    if word.isalpha():
        # One word: straight from the list. zipf_frequency() would tokenize it and list
        # wordfreq's languages on disk first, 0.7 ms a call.
        freq = freqs.get(word.casefold())
        return round(math.log10(freq) + 9, 2) if freq else 0.0
    return float(zipf_frequency(word, lang, wordlist="small"))


@functools.cache
def _frequencies(lang: str, wordlist: str) -> dict[str, float] | None:
    """wordfreq's list for ``lang``, or None where it has none (asking again would search its
    data folder every time: wordfreq caches lists, not their absence)."""
    from wordfreq import get_frequency_dict

    try:
        return get_frequency_dict(lang, wordlist)
    except LookupError:
        return None


def frequent_words(lang: str, threshold: float) -> frozenset[str]:
    """The words of ``lang`` at Zipf ``threshold`` or more (3 or more: wordfreq's small list).

    >>> "the" in frequent_words("en", 5.0), "soleimani" in frequent_words("en", 3.0)
    (True, False)
    """
    from wordfreq import get_frequency_dict

    lang = lang.replace("_", "-").split("-")[0].lower()
    try:
        freqs = get_frequency_dict(lang, wordlist="small")
    except LookupError:  # a language wordfreq has no list for
        return frozenset()
    floor = 10 ** (threshold - 9)  # Zipf = log10(frequency per word) + 9
    return frozenset(w for w, f in freqs.items() if f >= floor)


def is_ordinary_word(word: str, lang: str, threshold: float) -> bool:
    """Whether ``word`` is at least ``threshold`` frequent in ``lang`` (Zipf 3 or more).

    >>> is_ordinary_word("is", "en", 4.5), is_ordinary_word("isis", "en", 4.5)
    (True, False)
    """
    return zipf(word, lang) >= threshold


class _EntityForms:
    """One entity's forms by folded key: the languages each is tagged with (None: every
    language), and its names in the guarded languages; built once per entity."""

    __slots__ = ("langs", "names")

    def __init__(self, entity: Entity) -> None:
        self.langs: dict[str, set[str] | None] = {}
        for v in entity.variants:
            key = fold_key(v.text)
            known = self.langs.get(key, set())
            if known is None or not v.lang:
                self.langs[key] = None  # a form of every language
            else:
                known.add(base_language(v.lang) or "")
                self.langs[key] = known
        self.names: dict[str, str] = {}
        for tag, label in entity.labels.items():
            if tag in GUARDED_LANGS:  # labels are keyed by canonical tags: "fr", not "fr-FR"
                self.names[tag] = fold_key(label)
                own = self.langs.get(self.names[tag])
                if own is not None:
                    own.add(tag)

    def ordinary_elsewhere(self, variant: Variant) -> tuple[str, ...]:
        """The languages where a one-word form tagged with another language is an ordinary
        word and not a name of the entity (see :mod:`normalise.languages`). Acronyms are
        left to their case rules."""
        if not variant.lang or variant.case_sensitive:
            return ()
        key = fold_key(variant.text)
        if " " in key:
            return ()
        own = self.langs.get(key, set())
        if own is None:
            return ()
        return tuple(
            lang
            for lang in ordinary_in(key, own)
            if lang in self.names and rarer_than_name(key, self.names[lang], lang)
        )


def _lower_case_word(variant: Variant) -> bool:
    """Whether a capitalised one-word Latin-script name is also a lower-case word of a
    lexicon language (see :data:`normalise.languages.LOWER_WORD_ZIPF`)."""
    text = variant.text
    if variant.case_sensitive or not text[:1].isupper() or " " in text.strip():
        return False
    return bool(ordinary_in(fold_key(text), set(), LOWER_WORD_ZIPF))


def _is_common_acronym(variant: Variant) -> bool:
    """A case-sensitive acronym that is also an ordinary word: "IS", "US", "IT"."""
    text = variant.text
    if not (text.isupper() and text.isalpha() and len(text) <= 6):
        return False
    langs = {variant.lang or "en", "en"}
    return any(is_ordinary_word(text.lower(), lang, COMMON_WORD_ZIPF) for lang in langs)
