"""Seeded text dumps of any size with known mentions: for benchmarks, and for precision and
recall at scale.

    python benchmarks/make_dump.py benchmarks/data/en-200MB.txt.gz --size 200MB
    python benchmarks/make_dump.py benchmarks/data/multi-50MB.jsonl.gz --size 50MB \\
        --lang en,ar,fr,de,ru,tr,fa
    python benchmarks/make_dump.py benchmarks/data/synth-100MB.txt --size 100MB \\
        --lexicon benchmarks/data/lex-100000 --no-default-lexicon --mention-entities 1000

OUT's name sets the format: ``*.txt`` plain text (documents separated by a blank line) or
``*.jsonl`` JSON Lines (``{"id": "d0000001", "lang": "en", "text": ...}``), either with
``.gz``. MB = 10^6 characters of document text; the dump stops once ``--size`` is reached. Same
arguments and seed, byte-identical files. Written as a stream (memory stays flat) to temporary
files renamed at the end, so an error or Ctrl-C leaves no partial file.

Documents are news-like paragraphs (3-8 sentences of 8-25 words) in the languages of
``--lang`` (``en,ar`` equal shares, ``en:3,ar:1`` weighted), words drawn with the language's
real frequencies (wordfreq's 30,000 most frequent words, alphabetic ones only). Any word that
an exact-only normaliser (``fuzzy=False, affixes=False``) finds on its own, lowercase or
capitalised, is left out of the vocabulary, so the background text holds no exact mention. It
is not screened with the fuzzy or affix stages, so their false hits on ordinary words stay
measurable; but some such hits are right, since word lists hold inflected names too (Arabic
"وإسرائيل", Russian "России"): ``--screen affix`` also leaves out the words the affix stage
finds, for a background with no mention at all but the fuzzy stage's.

Mentions of the lexicon's entities replace words at random positions (``--rate``, default one
per 120 words), picked with a Zipf-like skew over a seeded shuffle of the entities, written as
one of the entity's forms in the document's language (its label and variants tagged with that
language, or untagged variants in the language's script), leaving out forms with context cues,
forms two entities share once folded, and one-letter forms. Kinds:

- ``exact`` (about 85%): the form as the lexicon writes it (capitalised at a sentence start;
  case-sensitive forms never start a sentence);
- ``misspelling`` (about 5%): one edit (substitution, deletion, insertion or swap of neighbours)
  inside a word of 7 letters or more, never its first letter, in a form that allows fuzzy
  matching and is not an acronym; never another lexicon form, nor a common word;
- ``affix`` (about 10%, in languages with rules in ``lexicons/_rules/affixes.toml``): an Arabic
  or Persian proclitic (``والموصل``, ``للموصل``), a Turkish case suffix with vowel harmony
  (``Rakka'dan``, ``ABD'nin``, or without the apostrophe when the suffix is listed), a Russian
  case ending on each declinable word (``Ракку``, ``Владимира Путина``). The span covers the
  whole written word, affix included.

The gold file ``<stem>.gold.jsonl.gz`` (stem: OUT without ``.gz`` and ``.txt``/``.jsonl``) holds
one line per mention, in text order: ``{"doc", "start", "end", "entity", "kind", "surface",
"lang"}``; for plain text, ``start``/``end`` are ``str`` offsets into the whole file (what
``normalise find FILE`` reports), for JSON Lines into the record's ``text``. ``<stem>.meta.json``
records the arguments and the counts.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import functools
import gzip
import itertools
import json
import os
import re
import signal
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from pathlib import Path
from random import Random
from typing import IO, Any, cast

from wordfreq import get_frequency_dict, top_n_list

from normalise import Lexicon, Normaliser
from normalise.folding import fold_key
from normalise.lexicon import bundled_lexicon_dir
from normalise.rules import script_of

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KINDS = ("exact", "misspelling", "affix")
MISSPELLING_SHARE = 0.05
AFFIX_SHARE = 0.10
VOCABULARY_SIZE = 30_000
NUMBER_SHARE = 0.01  # of background tokens
COMMA_SHARE = 0.4  # of sentences
MIN_SENTENCE, MAX_SENTENCE = 8, 25  # words
MIN_SENTENCES, MAX_SENTENCES = 3, 8  # a document's
MIN_MISSPELT_WORD = 7
# A typo that spells a word this frequent (Zipf 2.5: once in 3 million words) is that word.
COMMON_FREQUENCY = 10.0 ** (2.5 - 9)
HEAD_BITS, TAIL_BITS = 16, 18  # the word urns' sizes (see Background)
BLOCK_WORDS = 1 << 16  # words drawn per refill of the head urn's tail slots
BLOCK_SHAPES = 1 << 12  # sentence shapes drawn at a time
CHUNK_CHARS = 1 << 22
SIZE_UNITS = {"": 1, "B": 1, "K": 10**3, "KB": 10**3, "M": 10**6, "MB": 10**6}
SIZE_UNITS |= {"G": 10**9, "GB": 10**9}
SCRIPTS = {"ar": "Arabic", "fa": "Arabic", "ru": "Cyrillic", "uk": "Cyrillic"}
END_MARKS = {"Arabic": ".......؟!", "": ".......?!"}  # as often as they are listed
COMMAS = {"Arabic": "،", "": ","}
TRAILING = ".,?!؟،"


# -- arguments -------------------------------------------------------------------------------


def parse_size(text: str) -> int:
    """Characters in ``200MB``, ``1GB``, ``200KB`` or ``5000``.

    >>> parse_size("200MB"), parse_size("1.5GB"), parse_size("200KB")
    (200000000, 1500000000, 200000)
    """
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMG]?B?)\s*", text.upper())
    if not m or m.group(2) not in SIZE_UNITS:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 200MB, 1GB)")
    size = round(float(m.group(1)) * SIZE_UNITS[m.group(2)])
    if size < 1:
        raise argparse.ArgumentTypeError(f"size must be positive: {text!r}")
    return size


def parse_rate(text: str) -> float:
    """Mentions per word: ``1/120`` or ``0.008``."""
    try:
        num, _, den = text.partition("/")
        rate = float(num) / float(den) if den else float(num)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"not a rate: {text!r} (try 1/120)") from None
    if not 0 <= rate <= 0.5:
        raise argparse.ArgumentTypeError(f"rate out of range (0 to 1/2): {text!r}")
    return rate


def parse_langs(text: str) -> dict[str, float]:
    """``en,ar`` (equal shares) or ``en:3,ar:1`` (weights)."""
    langs: dict[str, float] = {}
    for part in text.split(","):
        code, _, weight = part.strip().partition(":")
        try:
            langs[code.strip()] = float(weight) if weight else 1.0
        except ValueError:
            raise argparse.ArgumentTypeError(f"bad language weight: {part!r}") from None
    if not langs or any(not c or w <= 0 for c, w in langs.items()):
        raise argparse.ArgumentTypeError(f"bad language list: {text!r}")
    return langs


def output_paths(out: Path) -> tuple[str, bool, Path, Path]:
    """Format (``txt``/``jsonl``), gzip or not, gold path and meta path for ``out``."""
    name = out.name
    gz = name.endswith(".gz")
    base = name[:-3] if gz else name
    for fmt in ("txt", "jsonl"):
        if base.endswith("." + fmt):
            stem = base[: -len(fmt) - 1]
            return (
                fmt,
                gz,
                out.with_name(stem + ".gold.jsonl.gz"),
                out.with_name(stem + ".meta.json"),
            )
    raise ValueError(f"{out}: the name must end in .txt, .jsonl, .txt.gz or .jsonl.gz")


# -- background words ------------------------------------------------------------------------


def capitalise(word: str, lang: str) -> str:
    """``word`` with a capital first letter (Turkish dotted and dotless i kept apart)."""
    if not word:
        return word
    first = word[0]
    if lang in ("tr", "az") and first in "iı":
        upper = "İ" if first == "i" else "I"
    else:
        upper = first.upper()
        if len(upper) != 1:  # "ŉ" and the like: leave the word alone
            return word
    return upper + word[1:]


@functools.cache
def load_vocabulary(lang: str) -> tuple[list[str], list[float]]:
    """The language's most frequent alphabetic words and their frequencies (wordfreq's
    figures, unrounded)."""
    freqs = get_frequency_dict(lang)
    # Persian writes a zero-width non-joiner inside words: still a word of letters.
    words = [w for w in top_n_list(lang, VOCABULARY_SIZE) if w.replace("\u200c", "").isalpha()]
    if not words:
        raise ValueError(f"wordfreq has no words for language {lang!r}")
    return words, [freqs.get(w, 0.0) or 1e-9 for w in words]


def mention_words(words: Sequence[str], lang: str, normaliser: Normaliser) -> set[str]:
    """The words ``normaliser`` finds alone, lowercase or capitalised.

    One ``find`` over all the words joined by a separator no name spans, mapped back to words.
    """
    forms = [*words, *(capitalise(w, lang) for w in words)]
    sep = "\n;\n"
    starts = list(itertools.accumulate((len(f) + len(sep) for f in forms[:-1]), initial=0))
    found = set()
    for m in normaliser.find(sep.join(forms), lang=lang):
        found.add(words[(bisect.bisect_right(starts, m.start) - 1) % len(words)])
    return found


@functools.cache  # the screening is the slow part of the set-up: once per process
def screened_vocabulary(lexicon: Lexicon, lang: str, screen: str) -> tuple[list[str], list[float]]:
    """The vocabulary of ``lang`` without the words that name an entity by themselves.

    ``screen`` is ``exact`` (exact and folded matching) or ``affix`` (affixes too); never
    fuzzy, whose false hits are to measure.
    """
    words, weights = load_vocabulary(lang)
    screener = Normaliser(lexicon, fuzzy=False, affixes=screen == "affix")
    drop = mention_words(words, lang, screener)
    kept = [(w, f) for w, f in zip(words, weights, strict=True) if w not in drop]
    return [w for w, _ in kept], [f for _, f in kept]


def numbers(rng: Random) -> list[str]:
    """Number tokens of news text: counts, years, decimals, thousands."""
    out = [str(n) for n in range(2, 100)] + [str(y) for y in range(1990, 2031)]
    out += [f"{rng.randint(1, 99)}.{rng.randint(1, 9)}" for _ in range(40)]
    out += [f"{rng.randint(1, 999)},{rng.randint(0, 999):03d}" for _ in range(40)]
    return out


class Capitals(dict[str, str]):
    """Words with a capital first letter, made on first use."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def __missing__(self, word: str) -> str:
        self[word] = capital = capitalise(word, self.lang)
        return capital


class Background:
    """One language's background words, drawn by frequency in bulk.

    Two urns of slots, each slot holding a word, as many slots as its frequency earns: a head
    urn of 2**16 slots (small enough to stay in the CPU cache, so drawing is one lookup done
    in C per word, 4-5 times faster than ``random.choices``), and a tail urn of 2**18 slots
    for what the head cannot hold (the fractions of a slot, and the rare words). The head's
    tail slots are refilled from the tail urn before each block of draws. Frequencies stay
    within 0.3% (total variation) of wordfreq's.
    """

    def __init__(self, lang: str, words: list[str], weights: list[float], seed: str) -> None:
        self.lang = lang
        rng = Random(seed)
        nums = numbers(rng)
        total = sum(weights)
        shares = [w / total * (1 - NUMBER_SHARE) for w in weights]
        shares += [NUMBER_SHARE / len(nums)] * len(nums)
        tokens = words + nums
        head_size, tail_size = 1 << HEAD_BITS, 1 << TAIL_BITS
        self.head: list[str] = []
        rest: list[float] = []
        for token, share in zip(tokens, shares, strict=True):
            n = int(share * head_size)
            self.head.extend(itertools.repeat(token, n))
            rest.append(share * head_size - n)
        self.tail_slots = head_size - len(self.head)
        self.head.extend(itertools.repeat("", self.tail_slots))
        left = sum(rest)
        counts = [max(1, round(r / left * tail_size)) if r > 0 else 0 for r in rest]
        counts[counts.index(max(counts))] += tail_size - sum(counts)
        self.tail: list[str] = []
        for token, n in zip(tokens, counts, strict=True):
            self.tail.extend(itertools.repeat(token, n))
        self.capitals = Capitals(lang)
        self.rng = rng
        self.buffer: list[str] = []
        self.pos = 0
        arabic = "Arabic" if SCRIPTS.get(lang) == "Arabic" else ""
        self.comma = COMMAS[arabic]
        # Sentence shapes (length, word followed by a comma or 0, end mark), drawn in bulk
        # like the words: a comma in 40% of sentences, never after the first or last words.
        lengths = range(MIN_SENTENCE, MAX_SENTENCE + 1)
        self.shapes = [
            (n, c, mark)
            for n in lengths
            for c in (0, *range(2, n - 2))
            for mark in END_MARKS[arabic]
        ]
        self.shape_weights = list(
            itertools.accumulate(
                COMMA_SHARE / (n - 4) if c else 1 - COMMA_SHARE for n, c, _ in self.shapes
            )
        )
        self.shape_buffer: list[tuple[int, int, str]] = []
        self.shape_pos = 0
        self.vocabulary = frozenset(words)
        self.frequencies: dict[str, float] = get_frequency_dict(lang)
        # Letters for typos, as often as the language uses them.
        self.letters = "".join(w for w in words[:3000] if w.isalpha())

    def _draws(self, k: int, itemcode: str) -> array[int]:
        draws = array(itemcode)
        draws.frombytes(self.rng.randbytes(draws.itemsize * k))
        if sys.byteorder == "big":
            draws.byteswap()  # the same words on every machine
        return draws

    def sentences(self, n: int) -> list[tuple[int, int, str]]:
        """The shapes of ``n`` sentences."""
        if self.shape_pos + n > len(self.shape_buffer):
            self.shape_buffer = self.rng.choices(
                self.shapes, cum_weights=self.shape_weights, k=max(n, BLOCK_SHAPES)
            )
            self.shape_pos = 0
        out = self.shape_buffer[self.shape_pos : self.shape_pos + n]
        self.shape_pos += n
        return out

    def take(self, n: int) -> list[str]:
        """``n`` words, each drawn independently by frequency."""
        if self.pos + n > len(self.buffer):
            if self.tail_slots:
                mask = (1 << TAIL_BITS) - 1
                tail = map(mask.__and__, self._draws(self.tail_slots, "I"))
                self.head[-self.tail_slots :] = map(self.tail.__getitem__, tail)
            self.buffer = list(map(self.head.__getitem__, self._draws(BLOCK_WORDS, "H")))
            self.pos = 0
        out = self.buffer[self.pos : self.pos + n]
        self.pos += n
        return out


# -- mentions --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Form:
    """A written form of an entity that may be injected."""

    entity: str
    etype: str
    text: str
    case_sensitive: bool
    fuzzy: bool
    acronym: bool


def is_acronym(text: str, case_sensitive: bool) -> bool:
    """Case-sensitive forms, and short all-capital ones (ДАИШ, DEAŞ)."""
    letters = [c for c in text if c.isalpha()]
    return case_sensitive or (0 < len(letters) <= 6 and all(c.isupper() for c in letters))


def language_script(lang: str, words: Sequence[str]) -> str | None:
    """The script the language writes in (from its words when not a known one)."""
    if lang in SCRIPTS:
        return SCRIPTS[lang]
    scripts = Counter(script_of(w) for w in words[:200])
    return scripts.most_common(1)[0][0] if scripts else None


def owners_of(lexicon: Lexicon) -> dict[str, set[str]]:
    """The entities that claim each folded form."""
    owners: dict[str, set[str]] = {}
    for e in lexicon:
        for v in e.variants:
            owners.setdefault(fold_key(v.text), set()).add(e.id)
    return owners


def entity_forms(
    lexicon: Lexicon, lang: str, script: str | None, ids: set[str], owners: dict[str, set[str]]
) -> list[Form]:
    """Forms of the entities ``ids`` usable in texts of ``lang``."""
    out: list[Form] = []
    for e in sorted(lexicon, key=lambda e: e.id):
        if e.id not in ids:
            continue
        seen = set()
        for v in e.variants:
            vlang = v.lang.split("-")[0] if v.lang else None
            if not (vlang == lang or (vlang is None and script_of(v.text) == script)):
                continue  # first, as most forms are in other languages: no folding for them
            if (
                v.context
                or len(v.text) < 2
                or any(c in v.text for c in ",،;")  # CLDR's long forms: "Hong Kong SAR, China"
                or len(owners.get(fold_key(v.text), ())) > 1
                or v.text in seen
            ):
                continue
            seen.add(v.text)
            acronym = is_acronym(v.text, v.case_sensitive)
            out.append(Form(e.id, e.type, v.text, v.case_sensitive, v.fuzzy, acronym))
    return out


# Misspellings: one edit in a long word, never its first letter.
_WORD = re.compile(r"[^\W\d_]+")


def misspell(form: Form, rng: Random, bg: Background, taken: Container[str]) -> str | None:
    """``form`` with one typo, or None if none fits."""
    text = form.text
    long = [m.span() for m in _WORD.finditer(text) if m.end() - m.start() >= MIN_MISSPELT_WORD]
    if not long or form.acronym or not form.fuzzy:
        return None
    script = script_of(text)
    original = fold_key(text)
    for _ in range(12):
        s, e = rng.choice(long)
        word = text[s:e]
        letter = rng.choice(bg.letters)
        if script_of(letter) != script:
            continue
        i = rng.randrange(1, len(word))
        op = rng.randrange(4)
        if op == 0:
            new = word[:i] + letter + word[i + 1 :]
        elif op == 1:
            new = word[:i] + word[i + 1 :]
        elif op == 2:
            new = word[:i] + letter + word[i:]
        else:
            if i + 1 >= len(word) or word[i] == word[i + 1]:
                continue
            new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        result = text[:s] + new + text[e:]
        key = fold_key(result)
        if key == original or key in taken:
            continue
        low = new.lower()
        if low in bg.vocabulary or bg.frequencies.get(low, 0.0) >= COMMON_FREQUENCY:
            continue
        return result
    return None


class Affixer:
    """Writes a name with a clitic, suffix or case ending, as ``affixes.toml`` describes."""

    def __init__(self, lang: str, spec: dict[str, Any]) -> None:
        self.lang = lang
        self.prefixes: list[str] = list(spec.get("prefixes", ()))
        self.suffixes: list[str] = list(spec.get("suffixes", ()))
        self.endings: list[str] = list(spec.get("endings", ()))
        self.article: str | None = spec.get("article")
        self.article_prefixes: set[str] = set(spec.get("article_prefixes", ()))
        self.min_stem = int(spec.get("min_stem", 3))
        # One-letter clitics are far more common than combined ones.
        self.prefix_weights = list(
            itertools.accumulate(4.0 if len(p) == 1 else 1.0 for p in self.prefixes)
        )

    def usable(self, form: Form) -> bool:
        """Whether some affixed writing of ``form`` exists (tried with fixed choices)."""
        return any(self.write(form, Random(k)) is not None for k in range(6))

    def write(self, form: Form, rng: Random) -> str | None:
        if self.prefixes:
            return self._prefixed(form, rng)
        if self.suffixes and self.lang in ("tr", "az"):
            return _turkish(form, rng, set(self.suffixes), self.min_stem)
        if self.lang == "ru":
            return _russian(form, rng)
        if self.suffixes or self.endings:
            return self._generic(form, rng)
        return None

    def _prefixed(self, form: Form, rng: Random) -> str | None:
        first = form.text.split(" ")[0]
        if sum(c.isalpha() for c in first) < self.min_stem or script_of(first) == "Latin":
            return None
        p = rng.choices(self.prefixes, cum_weights=self.prefix_weights)[0]
        art = self.article
        # "ل" + "الموصل" is written "للموصل": the article's alef goes (article_prefixes).
        if art and form.text.startswith(art) and p + art[1:] in self.article_prefixes:
            return p + art[1:] + form.text[len(art) :]
        return p + form.text

    def _generic(self, form: Form, rng: Random) -> str | None:
        last = form.text.split(" ")[-1]
        if not last[-1:].isalpha() or form.acronym or len(last) < self.min_stem:
            return None
        return form.text + rng.choice(self.suffixes or self.endings)


_TR_VOWELS = "aeıioöuü"
_TR_BACK = "aıou"
_TR_HIGH = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "i": "i", "ö": "ü", "ü": "ü"}
_TR_VOICELESS = "fstkçşhp"
_TR_CASES = ("loc", "abl", "gen", "dat", "acc", "ins")


def _tr_lower(s: str) -> str:
    return s.replace("I", "ı").replace("İ", "i").lower()


def _turkish(form: Form, rng: Random, listed: set[str], min_stem: int) -> str | None:
    """A Turkish case suffix on the name's last word, with vowel harmony and the apostrophe
    proper names take; without it only when the suffix is one the rules list."""
    last = form.text.split(" ")[-1]
    low = _tr_lower(last)
    if not low[-1:].isalpha():
        return None
    if form.acronym and not _word_like(low):
        # Read letter by letter: ABD'nin, PKK'nın (K is "ka", other consonants end in "e").
        c = low[-1]
        vowel: str | None = c if c in _TR_VOWELS else ("a" if c == "k" else "e")
        final_vowel, voiceless = True, False
    else:  # a word, or an acronym read as one: IŞİD'in, DEAŞ'ın
        vowel = next((c for c in reversed(low) if c in _TR_VOWELS), None)
        final_vowel, voiceless = low[-1] in _TR_VOWELS, low[-1] in _TR_VOICELESS
    if vowel is None:
        return None
    a = "a" if vowel in _TR_BACK else "e"
    i = _TR_HIGH[vowel]
    d = "t" if voiceless else "d"
    y = "y" if final_vowel else ""
    suffix = {
        "loc": d + a,
        "abl": d + a + "n",
        "gen": ("n" if final_vowel else "") + i + "n",
        "dat": y + a,
        "acc": y + i,
        "ins": y + "l" + a,
    }[rng.choice(_TR_CASES)]
    apostrophe = rng.random() < 0.75 or form.acronym
    if not apostrophe and (suffix not in listed or len(low) < min_stem):
        apostrophe = True
    if apostrophe:
        return form.text + ("’" if rng.random() < 0.2 else "'") + suffix
    return form.text + suffix


def _word_like(low: str) -> bool:
    """An acronym pronounced as a word: it has a vowel and no two consonants in a row."""
    return any(c in _TR_VOWELS for c in low) and not re.search(f"[^{_TR_VOWELS}]{{2}}", low)


_RU_CASES = ("gen", "dat", "ins", "prep")
_RU_VOWELS = "аеёиоуыэюя"
_RU_HUSHING = "жшчщц"
_RU_VELAR = "гкх"


def _russian(form: Form, rng: Random) -> str | None:
    """The name in an oblique case (genitive, dative, instrumental or prepositional).

    A person's every word declines (Владимира Путина). In other names the leading adjectives
    and the first noun decline, and what follows is a complement that keeps its own case
    (Исламского государства, Патриотическим союзом Курдистана). Names whose declension these
    rules cannot write (plural heads: Вооружённые силы) are left alone.
    """
    parts = form.text.replace("-", " ").split(" ")
    if form.acronym or any(sum(c.isalpha() for c in p) < 2 for p in parts):
        return None  # "Папуа — Новая Гвинея", "о-в Мэн": forms these rules do not know
    case = rng.choice(_RU_CASES)
    out = []
    declining = True
    for w in form.text.split(" "):
        if declining:
            head, sep, last = w.rpartition("-")  # "Дейр-эз-Зор": the last part declines
            declined = _ru_decline(last, case, form.etype)
            if declined is None:
                return None
            w = head + sep + declined[0]
            declining = declined[1] != "noun" or form.etype == "person"
        out.append(w)
    result = " ".join(out)
    return result if result != form.text else None


def _ru_decline(word: str, c: str, etype: str) -> tuple[str, str] | None:
    """``word`` in case ``c`` and what it is (``adjective``, ``noun``, ``particle``), or None
    for a form these rules cannot decline."""
    low = word.lower()
    if script_of(word) != "Cyrillic" or len(word) < 3 or (word.isupper() and len(word) > 1):
        return word, "particle"
    if low == word and len(word) <= 3:  # "аль", "ибн", "де"
        return word, "particle"
    if low.endswith("ий") and etype == "person":  # a given name: Дмитрий -> Дмитрия
        return word[:-1] + {"gen": "я", "dat": "ю", "ins": "ем", "prep": "и"}[c], "noun"
    if low.endswith(("ое", "ый", "ой", "ий")):
        stem = word[:-2]
        soft = low.endswith("ний")
        ins = "им" if soft or stem[-1:].lower() in _RU_VELAR + _RU_HUSHING else "ым"
        ends = {"gen": "его" if soft else "ого", "dat": "ему" if soft else "ому", "ins": ins}
        return stem + ends.get(c, "ем" if soft else "ом"), "adjective"
    if low.endswith("ая"):
        return word[:-2] + "ой", "adjective"
    if low.endswith(("ые", "ие")) or (low == word and low.endswith(("ы", "и"))):
        return None  # plurals: Вооружённые силы -> Вооружённых сил
    if low.endswith("ия"):
        return word[:-1] + {"gen": "и", "dat": "и", "ins": "ей", "prep": "и"}[c], "noun"
    if low.endswith("я"):
        return word[:-1] + {"gen": "и", "dat": "е", "ins": "ей", "prep": "е"}[c], "noun"
    if low.endswith("а"):
        gen = "и" if low[-2:-1] in _RU_VELAR + _RU_HUSHING else "ы"
        return word[:-1] + {"gen": gen, "dat": "е", "ins": "ой", "prep": "е"}[c], "noun"
    if low.endswith("о") and low == word:  # common neuter nouns: государство
        return word[:-1] + {"gen": "а", "dat": "у", "ins": "ом", "prep": "е"}[c], "noun"
    if low.endswith(("ь", "й")):
        return word[:-1] + {"gen": "я", "dat": "ю", "ins": "ем", "prep": "е"}[c], "noun"
    if low[-1] in _RU_VOWELS or not low[-1].isalpha():
        return word, "noun"  # foreign names in a vowel do not decline: Сомали, Осло
    if c == "ins":
        surname = etype == "person" and low.endswith(("ин", "ын", "ов", "ев", "ёв"))
        return word + ("ым" if surname else "ем" if low[-1] in _RU_HUSHING else "ом"), "noun"
    return word + {"gen": "а", "dat": "у", "prep": "е"}[c], "noun"


def load_affix_rules(folders: Sequence[Path]) -> dict[str, dict[str, Any]]:
    """Affix rules by language: the bundled file, then each folder's ``_rules``, as written."""
    rules: dict[str, dict[str, Any]] = {}
    for folder in [bundled_lexicon_dir(), *folders]:
        f = folder / "_rules" / "affixes.toml"
        if f.is_file():
            rules.update(tomllib.loads(f.read_text(encoding="utf-8")))
    return rules


class Pool:
    """Forms of one kind in one language, by entity, drawn with the entities' skew."""

    def __init__(self, by_entity: dict[str, list[Form]], weight: dict[str, float]) -> None:
        self.entities = [e for e in sorted(by_entity) if by_entity[e]]
        self.forms = [by_entity[e] for e in self.entities]
        self.cum = list(itertools.accumulate(weight[e] for e in self.entities))

    def __bool__(self) -> bool:
        return bool(self.entities)

    def draw(self, rng: Random) -> Form:
        i = bisect.bisect_right(self.cum, rng.random() * self.cum[-1])
        forms = self.forms[min(i, len(self.forms) - 1)]
        return forms[int(rng.random() * len(forms))]


@dataclass(slots=True)
class Planted:
    """A mention written into a document: its word's index, then its character offset."""

    index: int
    surface: str
    entity: str
    kind: str
    start: int = 0


class Language:
    """Everything needed to write documents in one language."""

    def __init__(
        self,
        lang: str,
        lexicon: Lexicon,
        screen: str,
        owners: dict[str, set[str]],
        ids: set[str],
        weight: dict[str, float],
        affix_spec: dict[str, Any] | None,
        seed: int,
    ) -> None:
        words, _ = load_vocabulary(lang)
        kept, kept_weights = screened_vocabulary(lexicon, lang, screen)
        self.dropped = len(words) - len(kept)
        self.bg = Background(lang, kept, kept_weights, f"{seed}:{lang}")
        self.lang = lang
        forms = entity_forms(lexicon, lang, language_script(lang, words), ids, owners)
        self.affixer = Affixer(lang, affix_spec) if affix_spec else None
        self.taken = owners.keys()
        pools: dict[str, dict[str, list[Form]]] = {k: {} for k in KINDS}
        for f in forms:
            pools["exact"].setdefault(f.entity, []).append(f)
            if (
                f.fuzzy
                and not f.acronym
                and any(len(w) >= MIN_MISSPELT_WORD for w in _WORD.findall(f.text))
            ):
                pools["misspelling"].setdefault(f.entity, []).append(f)
            if self.affixer and self.affixer.usable(f):
                pools["affix"].setdefault(f.entity, []).append(f)
        self.pools = {k: Pool(v, weight) for k, v in pools.items()}
        self.plantable = bool(self.pools["exact"])
        self.forms = len(forms)

    def plant(self, rng: Random) -> tuple[Form, str, str]:
        """A form to inject: (form, surface, kind)."""
        r = rng.random()
        kind = "exact"
        if r < MISSPELLING_SHARE and self.pools["misspelling"]:
            kind = "misspelling"
        elif r < MISSPELLING_SHARE + AFFIX_SHARE and self.pools["affix"]:
            kind = "affix"
        for _ in range(20):
            if kind == "exact":
                break
            form = self.pools[kind].draw(rng)
            if kind == "misspelling":
                surface = misspell(form, rng, self.bg, self.taken)
            else:
                assert self.affixer is not None
                surface = self.affixer.write(form, rng)
            if surface is not None:
                return form, surface, kind
        form = self.pools["exact"].draw(rng)
        return form, form.text, "exact"


class Writer:
    """Documents with planted mentions, one language drawn per document."""

    def __init__(
        self, languages: dict[str, Language], shares: dict[str, float], rate: float, seed: int
    ) -> None:
        self.languages = languages
        self.codes = list(shares)
        self.cum = list(itertools.accumulate(shares.values()))
        self.rate = rate
        self.rng = Random(seed)

    def document(self) -> tuple[str, str, list[Planted]]:
        rng = self.rng
        rnd = rng.random
        code = self.codes[0]
        if len(self.codes) > 1:
            code = self.codes[bisect.bisect_right(self.cum, rnd() * self.cum[-1])]
        lang = self.languages[code]
        bg = lang.bg
        shapes = bg.sentences(MIN_SENTENCES + int(rnd() * (MAX_SENTENCES - MIN_SENTENCES + 1)))
        words = bg.take(sum(n for n, _, _ in shapes))
        caps, comma = bg.capitals, bg.comma
        starts = []
        pos = 0
        for n, c, mark in shapes:
            starts.append(pos)
            words[pos] = caps[words[pos]]
            if c:
                words[pos + c] += comma
            words[pos + n - 1] += mark
            pos += n
        planted: list[Planted] = []
        if lang.plantable:
            used: set[int] = set()
            for _ in range(int(len(words) * self.rate + rnd())):
                form, surface, kind = lang.plant(rng)
                for _ in range(10):
                    p = int(rnd() * len(words))
                    # Apart from each other (two names side by side may read as one), and an
                    # acronym never at a sentence start, where capitals mean nothing.
                    if used & {p - 1, p, p + 1} or (p in starts and form.case_sensitive):
                        continue
                    used.add(p)
                    if p in starts:
                        surface = capitalise(surface, code)
                    token = words[p]
                    core = token.rstrip(TRAILING)
                    words[p] = surface + token[len(core) :]
                    planted.append(Planted(p, surface, form.entity, kind))
                    break
            planted.sort(key=lambda m: m.index)
        text = " ".join(words)
        # Character offsets: the words before each mention and one space after each word.
        prev = offset = 0
        for m in planted:
            offset += sum(map(len, words[prev : m.index])) + (m.index - prev)
            prev = m.index
            m.start = offset
        return code, text, planted


# -- output ----------------------------------------------------------------------------------


class Outputs:
    """Temporary files beside their final names, renamed together only on success."""

    def __init__(self) -> None:
        self.files: list[tuple[IO[bytes], list[IO[bytes]], str, Path]] = []
        umask = os.umask(0)
        os.umask(umask)
        self.mode = 0o666 & ~umask  # what a plain open() would give, not mkstemp's 0600

    def open(self, final: Path, gz: bool, level: int) -> IO[bytes]:
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
        os.chmod(fd, self.mode)
        raw: IO[bytes] = os.fdopen(fd, "wb")
        closers = [raw]
        out = raw
        if gz:
            # No file name and no time in the header: the same bytes on every run.
            gzipped = gzip.GzipFile(
                filename="", mode="wb", fileobj=raw, compresslevel=level, mtime=0
            )
            out = cast(IO[bytes], gzipped)
            closers.insert(0, out)
        self.files.append((out, closers, tmp, final))
        return out

    def commit(self) -> None:
        for _, closers, _, _ in self.files:
            for c in closers:
                c.close()
        for _, _, tmp, final in self.files:
            os.replace(tmp, final)
        self.files = []

    def abort(self) -> None:
        for _, closers, tmp, _ in self.files:
            for c in closers:
                with contextlib.suppress(OSError):
                    c.close()
            Path(tmp).unlink(missing_ok=True)
        self.files = []


def generate(
    out: Path,
    size: int,
    langs: dict[str, float],
    *,
    seed: int = 1,
    rate: float = 1 / 120,
    lexicon_dirs: Sequence[Path] = (),
    default_lexicon: bool = True,
    mention_entities: int | None = None,
    compresslevel: int = 1,
    screen: str = "exact",
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Write the dump, its gold and its meta file; return the meta data."""
    fmt, gz, gold_path, meta_path = output_paths(out)
    t0 = time.perf_counter()
    lexicon = load_lexicon(tuple(Path(d).resolve() for d in lexicon_dirs), default_lexicon)
    ids = sorted(e.id for e in lexicon)
    chosen = ids[:mention_entities] if mention_entities is not None else ids
    # Zipf-like skew over a seeded shuffle: a few entities are frequent, most are rare.
    order = list(chosen)
    Random(f"{seed}:entities").shuffle(order)
    weight = {e: 1.0 / (rank + 1) for rank, e in enumerate(order)}
    rules = load_affix_rules(lexicon_dirs)
    owners = owners_of(lexicon)
    languages = {
        code: Language(code, lexicon, screen, owners, set(chosen), weight, rules.get(code), seed)
        for code in langs
    }
    for code, lang in languages.items():
        pools = ", ".join(f"{k} {len(p.entities)}" for k, p in lang.pools.items())
        log(
            f"{code}: {len(lang.bg.vocabulary)} words ({lang.dropped} names left out), "
            f"entities with forms: {pools}"
        )
    writer = Writer(languages, langs, rate, seed)
    setup = time.perf_counter() - t0

    files = Outputs()
    t1 = time.perf_counter()
    try:
        dump = files.open(out, gz, compresslevel)
        gold = files.open(gold_path, True, 3)
        chunk: list[str] = []
        gold_chunk: list[str] = []
        chunk_chars = 0
        file_pos = 0
        # Lines built by hand around json's string quoting: json.dumps per record and per
        # mention took a third of the time.
        quote = encode_basestring
        quoted_ids: dict[str, str] = {}
        by_lang_kind: Counter[tuple[str, str]] = Counter()
        documents = characters = 0
        while characters < size:
            code, text, planted = writer.document()
            if fmt == "txt":
                piece = text + "\n\n"
                base = file_pos
                file_pos += len(piece)
            else:
                piece = (
                    f'{{"id": "d{documents + 1:07d}", "lang": "{code}", "text": {quote(text)}}}\n'
                )
                base = 0
            chunk.append(piece)
            chunk_chars += len(piece)
            for m in planted:
                eid = quoted_ids.get(m.entity) or quoted_ids.setdefault(m.entity, quote(m.entity))
                start = base + m.start
                gold_chunk.append(
                    f'{{"doc": {documents}, "start": {start}, "end": {start + len(m.surface)}, '
                    f'"entity": {eid}, "kind": "{m.kind}", "surface": {quote(m.surface)}, '
                    f'"lang": "{code}"}}\n'
                )
                by_lang_kind[(code, m.kind)] += 1
            documents += 1
            characters += len(text)
            if chunk_chars >= CHUNK_CHARS:
                dump.write("".join(chunk).encode("utf-8"))
                gold.write("".join(gold_chunk).encode("utf-8"))
                chunk, gold_chunk, chunk_chars = [], [], 0
        dump.write("".join(chunk).encode("utf-8"))
        gold.write("".join(gold_chunk).encode("utf-8"))
        seconds = time.perf_counter() - t1
        meta = {
            "generator": "benchmarks/make_dump.py",
            "arguments": {
                "out": str(out),
                "size": size,
                "lang": langs,
                "seed": seed,
                "rate": rate,
                "lexicon": [str(d) for d in lexicon_dirs],
                "default_lexicon": default_lexicon,
                "mention_entities": mention_entities,
                "compresslevel": compresslevel,
                "screen": screen,
            },
            "seed": seed,
            "format": fmt + (".gz" if gz else ""),
            "gold": gold_path.name,
            "documents": documents,
            "characters": characters,
            "mentions": {
                "total": sum(by_lang_kind.values()),
                "by_kind": {k: sum(by_lang_kind[(c, k)] for c in langs) for k in KINDS},
                "by_lang": {
                    c: {
                        "total": sum(by_lang_kind[(c, k)] for k in KINDS),
                        **{k: by_lang_kind[(c, k)] for k in KINDS},
                    }
                    for c in langs
                },
            },
            "lexicon_entities": len(ids),
            "mention_entities": len(chosen),
            "vocabulary": {
                code: {"words": len(lang.bg.vocabulary), "left_out": lang.dropped}
                for code, lang in languages.items()
            },
        }
        files.open(meta_path, False, 0).write(
            (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        )
        files.commit()
    except BaseException:
        files.abort()
        raise
    meta["seconds"] = {"setup": round(setup, 2), "generation": round(seconds, 2)}
    meta["mb_per_s"] = round(characters / 1e6 / max(seconds, 1e-9), 1)
    return meta


@functools.cache  # one load per process, however many dumps it writes
def load_lexicon(dirs: tuple[Path, ...], default: bool) -> Lexicon:
    """The bundled lexicon and/or the folders given, compiled and cached."""
    from normalise.cache import load_folders

    parts = [Lexicon.bundled()] if default else []
    if dirs:
        parts.append(load_folders(*dirs))
    if not parts:
        raise ValueError("no lexicon: give --lexicon DIR or drop --no-default-lexicon")
    lexicon = parts[0]
    for p in parts[1:]:
        lexicon = lexicon + p
    return lexicon


def summary(meta: dict[str, Any]) -> Iterator[str]:
    m = meta["mentions"]
    yield (
        f"{meta['documents']:,} documents, {meta['characters'] / 1e6:,.1f} MB, "
        f"{m['total']:,} mentions (" + ", ".join(f"{k} {m['by_kind'][k]:,}" for k in KINDS) + ")"
    )
    for code, c in m["by_lang"].items():
        yield f"  {code}: {c['total']:,} (" + ", ".join(f"{k} {c[k]:,}" for k in KINDS) + ")"
    s = meta["seconds"]
    yield (
        f"setup {s['setup']:.1f} s, generation {s['generation']:.1f} s, {meta['mb_per_s']:.1f} MB/s"
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("out", type=Path, help="*.txt, *.jsonl, *.txt.gz or *.jsonl.gz")
    ap.add_argument("--size", type=parse_size, required=True, help="200MB, 1GB, 10GB, ...")
    ap.add_argument(
        "--lang",
        type=parse_langs,
        default={"en": 1.0},
        help="en, or en,ar,fr,de,ru,tr,fa, or en:3,ar:1 (default en)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--rate", type=parse_rate, default=1 / 120, help="mentions per word (default 1/120)"
    )
    ap.add_argument(
        "--lexicon",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a lexicon folder to load (repeatable)",
    )
    ap.add_argument(
        "--no-default-lexicon", action="store_true", help="leave the bundled lexicon out"
    )
    ap.add_argument(
        "--mention-entities",
        type=int,
        default=None,
        metavar="N",
        help="mention only the first N entities in id order",
    )
    ap.add_argument(
        "--compresslevel",
        type=int,
        choices=range(1, 10),
        default=1,
        help="gzip level of a .gz dump (default 1: fastest)",
    )
    ap.add_argument(
        "--screen",
        choices=("exact", "affix"),
        default="exact",
        help="leave out of the background the words a normaliser finds alone with exact and "
        "folded matching (default: affix and fuzzy false hits stay measurable), or with "
        "affixes too (then ordinary words that are inflected names, such as Arabic "
        "'وإسرائيل', are left out as well)",
    )
    args = ap.parse_args(argv)
    try:
        output_paths(args.out)
    except ValueError as exc:
        ap.error(str(exc))
    if not args.out.parent.is_dir():
        ap.error(f"{args.out.parent}: no such folder")
    if args.mention_entities is not None and args.mention_entities < 1:
        ap.error("--mention-entities must be 1 or more")
    # A kill (SIGTERM) cleans up like Ctrl-C: the temporary files go.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        meta = generate(
            args.out,
            args.size,
            args.lang,
            seed=args.seed,
            rate=args.rate,
            lexicon_dirs=args.lexicon,
            default_lexicon=not args.no_default_lexicon,
            mention_entities=args.mention_entities,
            compresslevel=args.compresslevel,
            screen=args.screen,
            log=lambda s: print(s, file=sys.stderr),
        )
    except KeyboardInterrupt:
        print("interrupted: no file written", file=sys.stderr)
        return 130
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in summary(meta):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
