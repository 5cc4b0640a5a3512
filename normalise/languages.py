"""Facts about the Latin-script languages of the lexicons, for the guards that depend on the
text's language: which of them a text is written in, and in which of them a name's form is
also an ordinary word.

A name's form tagged with one language can be an ordinary word of another: French "Poutine"
(Putin) is the Canadian dish in English, German "Syrien" the French adjective. Such a form
counts only in a text that is not written in the language where it is a word; when the
caller does not say the text's language, :func:`guess_language` reads it from the text's
most frequent words.

>>> guess_language("Le président a dit que la guerre en Syrie est finie.")
'fr'
>>> guess_language("Poutine is a Canadian dish of fries and cheese curds.")
'en'
>>> guess_language("Hezbollah") is None
True
"""

from __future__ import annotations

import functools
import re

from .frequencies import ZipfTable, zipf_table

__all__ = [
    "GUARDED_LANGS",
    "LANGS_BY_SCRIPT",
    "LOWER_WORD_ZIPF",
    "ORDINARY_FORM_ZIPF",
    "base_language",
    "guess_language",
    "is_cased",
    "ordinary_in",
]

# The lexicon's languages by the script they write: whose ordinary words a word of that script
# must not be taken for (the word stage's misspellings, the CLDR names of other languages).
LANGS_BY_SCRIPT: dict[str, tuple[str, ...]] = {
    "Latin": ("en", "fr", "de", "es", "tr"),
    "Arabic": ("ar", "fa"),
    "Cyrillic": ("ru", "uk"),
}
# The Latin-script languages whose ordinary words can hide a name's form (and whose texts
# :func:`guess_language` tells apart).
GUARDED_LANGS = LANGS_BY_SCRIPT["Latin"]
# A form at least this frequent as a word of a language (wordfreq's Zipf scale, about once in
# five million words) is an ordinary word there: "poutine" is 2.5 in English, where the names
# that other languages write alike mostly stay below it ("Irak" 2.05).
ORDINARY_FORM_ZIPF = 2.3
# A form counts as another language's ordinary word only where it is at least this much
# rarer (Zipf) than the entity's own name in that language: 1.5 is 30 times.
NAME_MARGIN = 1.5
# A capitalised name whose lower-case form is at least this frequent in a guarded language
# needs its capital in a text written with capitals: Spanish "siria" (Syrian, 4.33) and
# "libia" are adjectives; "kurdistán" lower case is rare (names stay under it when lower
# case is unusual for them, but wordfreq does not keep case, so this is a floor, not proof).
LOWER_WORD_ZIPF = 2.0
# Texts where names keep their capitals: a sentence starts with one.
_CASED = re.compile(r"(?:^|[.!?]\s+)[^\W\d_]", re.MULTILINE)
# How many of a language's most frequent words stand for it in a guess, how many of them a
# text needs, and how much of a text is read.
_TOP_WORDS = 60
_MIN_HITS = 1.0
_SAMPLE = 4000
_WORD = re.compile(r"[^\W\d_]+")


def base_language(tag: str | None) -> str | None:
    """The language of a BCP 47 tag or CLDR locale, lower case.

    >>> base_language("ar_IQ"), base_language("zh-Hans"), base_language(None)
    ('ar', 'zh', None)
    """
    if not tag:
        return None
    return tag.replace("_", "-").split("-")[0].lower()


@functools.cache
def _marker_words() -> dict[str, tuple[str, ...]]:
    """Each of the guarded languages' most frequent words, and the languages it is one of."""
    from wordfreq import top_n_list

    owners: dict[str, list[str]] = {}
    for lang in GUARDED_LANGS:
        for w in top_n_list(lang, _TOP_WORDS):
            owners.setdefault(w, []).append(lang)
    return {w: tuple(langs) for w, langs in owners.items()}


def guess_language(text: str) -> str | None:
    """The guarded language ``text`` is most likely written in, by its frequent words (a word
    that several languages share counts for each in part); None when too few of them are
    there to tell, or two languages tie (a headline of names, another language)."""
    markers = _marker_words()
    scores: dict[str, float] = dict.fromkeys(GUARDED_LANGS, 0.0)
    for w in _WORD.findall(text[:_SAMPLE].lower()):
        langs = markers.get(w, ())
        for lang in langs:
            scores[lang] += 1 / len(langs)
    first, second = sorted(scores.values(), reverse=True)[:2]
    if first < _MIN_HITS or first == second:
        return None
    return max(scores, key=scores.__getitem__)


@functools.cache
def _table(lang: str) -> ZipfTable | None:
    """The Zipf table of ``lang``, read once per process."""
    return zipf_table(lang)


def rarer_than_name(key: str, name: str, lang: str) -> bool:
    """Whether the form ``key`` is far rarer in ``lang`` than the entity's own name there
    (its most frequent word), so that its uses in ``lang`` are mostly something else: English
    writes "Putin" 40 times as often as "poutine" (the dish), while Spanish writes
    "Hezbollah" more often than its own "Hezbolá" (both name the party).

    >>> rarer_than_name("poutine", "vladimir putin", "en")
    True
    >>> rarer_than_name("hezbollah", "hezbola", "es")
    False
    """
    table = _table(lang)
    if table is None:
        return False
    own = max((table.zipf(w) for w in name.split()), default=0.0)
    return table.zipf(key) < own - NAME_MARGIN


def is_cased(text: str) -> bool:
    """Whether ``text`` is written with capitals (a sentence starts with one), so that a
    lower-case word is no name: unlike a forum post typed all in lower case.

    >>> is_cased("La oposición siria negocia."), is_cased("la oposicion siria negocia")
    (True, False)
    """
    return any(m.group()[-1].isupper() for m in _CASED.finditer(text[:_SAMPLE]))


def ordinary_in(
    key: str, own: set[str], threshold: float = ORDINARY_FORM_ZIPF
) -> tuple[str, ...]:
    """The guarded languages, other than those in ``own``, where the folded one-word form
    ``key`` is an ordinary word (Zipf ``threshold`` or more).

    >>> ordinary_in("poutine", {"fr"})
    ('en',)
    """
    if not key.isalpha() or not key.isascii():
        return ()
    out = []
    for lang in GUARDED_LANGS:
        if lang in own:
            continue
        table = _table(lang)
        if table is not None and table.zipf(key) >= threshold:
            out.append(lang)
    return tuple(out)
