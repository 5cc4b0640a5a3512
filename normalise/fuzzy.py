"""Matching beyond exact: names inside inflected or cliticised words, and misspelt names.

Works word by word. Each distinct word of a text is analysed once (the result is cached on
the lexicon's index, so a large dump pays for each distinct word once) into the lexicon words
it may stand for:

- an Arabic proclitic stripped (``بداعش`` -> ``داعش``, the prefix left outside the mention);
- a Turkish suffix stripped, where the text is Turkish (``Rakkadan`` -> ``Rakka``);
- a Russian or Ukrainian case ending (``Ракку`` ~ ``Ракка``, compared by stem);
- a misspelling: candidates from a one-deletion index of the lexicon's words, verified with
  an edit budget set by word length (Elasticsearch's AUTO: 5 letters 1 edit, 6 or more 2;
  an adjacent swap counts as one), never for acronyms, short words or ``fuzzy = false``
  variants, and never for a word that is an ordinary word of the text's language.

Two kinds of word start a search. *Anchors*, the distinctive words of multi-word names, are
found by the exact automaton in its one pass (as marker patterns); an anchor inside an exact
mention is checked only against names that would reach beyond that mention. Other words that
may be inflected or misspelt names are looked for among the text's words that could be
names: capitalised words in scripts with case, every word in scripts without. The names they
belong to are verified word by word around them. A multi-word name needs one word spelled
right (the anchor); its other words may be misspelt (one typo each within budget, or a looser
likeness when the whole name still scores 0.8) or inflected. A misspelt or inflected word on
its own is found only where it keeps its capital (in scripts with case), as names do.

>>> from normalise.lexicon import Lexicon
>>> from normalise import Normaliser
>>> lex = Lexicon.from_dict({"Hezbollah": ["Hezbollah"], "Haider al-Abadi": ["Haider al-Abadi"]})
>>> n = Normaliser(lex)
>>> [(m.surface, m.method, m.edits) for m in n.find("Hezbolla said Hadr Al-Abadi")]
[('Hezbolla', 'fuzzy', 1), ('Hadr Al-Abadi', 'fuzzy', 2)]
"""

from __future__ import annotations

import itertools
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import ahocorasick_rs
import regex

from .folding import fold_key, scan_form, sparse_runs
from .languages import LANGS_BY_SCRIPT
from .matching import starts_upper
from .rules import LanguageAffixes, Rules, script_of

if TYPE_CHECKING:
    from .folding import Folded
    from .frequencies import ZipfTable
    from .index import Entry, Index
    from .matching import Candidate

__all__ = ["FuzzySettings", "WordHit", "WordIndex", "anchor_words", "edit_budget"]

# A text word at least this frequent (wordfreq's Zipf scale; 1.5 is about once in 30 million
# words) in the text's language, and not far rarer than the name it resembles, is an ordinary
# word, never a misspelt name: "Mosel" (3.56 in German) is not Mosul (2.63), "ragga" (1.88)
# not Raqqa (2.71), "poutine" (4.23 in French) not Putin. A frequent misspelling stays one:
# "Isreal" (2.12) is 450 times rarer than "Israel" (4.77).
ORDINARY_WORD_ZIPF = 1.5
MISSPELLING_MARGIN = 1.0
# In another lexicon language of the word's script than the text's, a word must be this
# common (one in a million words) to count as ordinary: "mosel" is 3.56 in German.
FOREIGN_WORD_ZIPF = 3.0


# Multi-word names: a word other than the anchor may differ by more than its edit budget if
# it keeps this likeness (Indel similarity) and its first letter, and the whole name this one.
_WORD_LIKENESS = 0.7
_NAME_LIKENESS = 0.8
_KEY_SET_LIMIT = 300_000  # deletions; below, also kept as a set of str (about 25 MB at most)
# Entries per table of the per-word memo (words, word pairs) and of neighbour contexts (which
# grow several times faster) before a new generation starts: memory stays flat however long
# the input (see WordIndex.memo). Small enough that both generations are full within the
# first 100 MB of English news, so that memory is level from there on (at twice these, it
# still rose by 10% between 200 and 300 MB).
_MAX_WORDS = 15_000
_MAX_PLACES = 5_000
# Words that may be a name on their own: a capital, or a letter of a script without case;
# four letters or more (the shortest stem with an affix, below the shortest misspelt name).
# (The regex module finds them three times faster than re, whose search tries the capital
# class at every position.)
_NAME_WORD_ASCII = regex.compile(r"[A-Z][A-Za-z]{3,}")
_NAME_WORD_ASCII_5 = regex.compile(r"[A-Z][A-Za-z]{4,}")
_NAME_WORD = regex.compile(r"[\p{Lu}\p{Lt}\p{Lo}][\p{L}\p{M}]{3,}")
# Above this many distinct words to place, one automaton pass beats a str.find per word.
_FIND_LIMIT = 48
# Up to this many words to place, patterns without their leading space scan faster (beyond,
# their matches inside other words cost more than the prefilter saves).
_LEAD_LIMIT = 150
_FREQUENT_ZIPF = 3.5  # one in 300,000 words: never taken for a misspelt name
_VOWELS = frozenset("аеёиоуыэюяіїєaeiou")


def edit_budget(length: int, *, min_length: int = 5, max_edits: int | None = None) -> int:
    """Edits allowed in a word of ``length`` letters.

    >>> [edit_budget(n) for n in (3, 4, 5, 6, 9)]
    [0, 0, 1, 2, 2]
    >>> edit_budget(9, max_edits=1)
    1
    """
    if length < min_length:
        return 0
    budget = 1 if length < 6 else 2
    return budget if max_edits is None else min(budget, max_edits)


@dataclass(frozen=True, slots=True)
class FuzzySettings:
    """What the word-level stage may do (from the Normaliser's options)."""

    fuzzy: bool = True
    affixes: bool = True
    max_edits: int | None = None
    min_length: int = 5
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class WordHit:
    """A text word standing for a lexicon word."""

    word: str
    kind: str  # "anchor" (the word itself), "prefix", "suffix", "ending" or "fuzzy"
    edits: int = 0
    cut_start: int = 0  # characters at the word's start left outside the mention
    cut_end: int = 0  # at its end

    def __reduce__(self) -> tuple[Any, ...]:
        return (WordHit, (self.word, self.kind, self.edits, self.cut_start, self.cut_end))


@dataclass(frozen=True, slots=True)
class _Form:
    entry: Entry
    words: tuple[str, ...]
    fuzzy: bool

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Form, (self.entry, self.words, self.fuzzy))


def _word_forms(
    entries: Iterable[Entry], affix_langs: set[str]
) -> Iterator[tuple[Entry, tuple[str, ...]]]:
    """The entries the word stage can match, with their words."""
    for entry in entries:
        if entry.punctuated or entry.variant.case_sensitive:
            continue  # "U.S." and acronyms: exact only
        words = tuple(entry.folded.split(" "))
        if any(not w for w in words):
            continue
        # A form that may not be fuzzy, in a language no affix rule is for, can never match
        # here: leave it to the exact automaton (most of CLDR's names in 200 languages).
        lang = entry.variant.lang
        if not entry.variant.fuzzy and lang and lang.split("-")[0] not in affix_langs:
            continue
        yield entry, words


def anchor_words(entries: Iterable[Entry], rules: Rules) -> frozenset[str]:
    """Words distinctive enough that finding one is worth looking around it: words of
    multi-word names, three letters or more, not ordinary English words (Zipf 3 or more)."""
    from .index import is_ordinary_word

    multi = {
        w
        for _, words in _word_forms(entries, {a.lang for a in rules.affixes})
        if len(words) > 1
        for w in words
    }
    return frozenset(
        w
        for w in multi
        if len(w) >= 3 and not (script_of(w) == "Latin" and is_ordinary_word(w, "en", 3.0))
    )


class WordIndex:
    """The lexicon's words, their deletion neighbourhoods and stems, and the per-word memo.

    Built by :meth:`build`; the constructor takes the built tables, so that a cached index
    unpickles without building anything (and the same way when this module is compiled).
    """

    def __init__(
        self,
        rules: Rules,
        forms: list[_Form],
        occurrences: dict[str, list[tuple[int, int]]],
        anchors: frozenset[str],
        deletes: _DeletionIndex,
        stems: dict[str, set[str]],
        max_token: int,
        max_name: int,
    ) -> None:
        self.rules = rules
        self.forms = forms
        self.occurrences = occurrences
        # Anchors: the index's marker words (see anchor_words), found by its automaton.
        self.anchors = anchors
        # Fuzzy targets: words of fuzzy-enabled variants, long enough.
        self.deletes = deletes
        # Stems for inflecting languages: a word minus any of its endings, and itself.
        self.stems = stems
        # No affix or typo makes a word longer than this match a lexicon word.
        self.max_token = max_token
        self.max_name = max_name  # the longest pattern
        # Which names to verify around an anchor, by the anchor and the room exact mentions
        # leave around it (see _plan): a handful of distinct keys in any text.
        self._plans: dict[tuple[str, tuple[tuple[int, int], ...]], _Plan] = {}
        self._common_words: dict[tuple[str, ...], dict[str, None]] = {}
        self._zipf_tables: dict[str, ZipfTable | None] = {}
        self._memo: dict[FuzzySettings, _Memo] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        # The tables only: the memo and word lists belong to the texts seen, not the lexicon.
        return (
            WordIndex,
            (
                self.rules,
                self.forms,
                self.occurrences,
                self.anchors,
                self.deletes,
                self.stems,
                self.max_token,
                self.max_name,
            ),
        )

    @classmethod
    def build(cls, index: Index, rules: Rules) -> WordIndex:
        """The word index of ``index``'s entries, with ``rules``' affixes."""
        forms: list[_Form] = []
        occurrences: dict[str, list[tuple[int, int]]] = {}
        affix_langs = {a.lang for a in rules.affixes}
        entries = (entry for bucket in index.entries for entry in bucket if not entry.joined)
        for entry, words in _word_forms(entries, affix_langs):
            forms.append(_Form(entry, words, entry.variant.fuzzy))
            for k, w in enumerate(words):
                occurrences.setdefault(w, []).append((len(forms) - 1, k))
        deletes = _DeletionIndex.build(
            (d, w)
            for w, occ in occurrences.items()
            if len(w) >= 5 and any(forms[f].fuzzy for f, _ in occ)
            for d in _deletions(w, 2 if len(w) >= 8 else 1)
        )
        stems: dict[str, set[str]] = {}
        enders = [a for a in rules.affixes if a.endings]
        ending_scripts = {s for a in enders for s in a.scripts}
        for w in occurrences:
            if script_of(w) not in ending_scripts:
                continue
            if w[-1] not in _VOWELS:
                # A consonant-final name declines on itself (Путин -> Путину); a vowel-final
                # one that no stem ending covers is indeclinable (Сулеймани: "в Сулеймании" is
                # the city of Sulaymaniyah, not the general).
                stems.setdefault(w, set()).add(w)
            for a in enders:
                for e in a.stem_endings:
                    if w.endswith(e) and len(w) - len(e) >= a.min_stem:
                        stems.setdefault(w[: -len(e)], set()).add(w)
        return cls(
            rules,
            forms,
            occurrences,
            index.anchors,
            deletes,
            stems,
            max((len(w) for w in occurrences), default=0) + 8,
            max((len(p) for p in index.patterns), default=0),
        )

    # -- per word ---------------------------------------------------------------------------

    def analyse(self, token: str, settings: FuzzySettings) -> tuple[WordHit, ...]:
        """The lexicon words ``token`` may stand for."""
        hits: list[WordHit] = []
        if len(token) > self.max_token:
            return ()
        # (Most words analysed are capitalised English words: their script without a lookup.)
        script = "Latin" if token.isascii() and token.isalpha() else script_of(token)
        if settings.affixes:
            for aff in self.rules.affixes_for(script, settings.lang):
                hits.extend(self._affixed(token, aff))
        if (
            settings.fuzzy
            and len(token) >= settings.min_length
            and token not in self.occurrences
            and not hits
        ):
            hits.extend(self._misspelt(token, script, settings))
        return tuple(dict.fromkeys(hits))

    def _affixed(self, token: str, aff: LanguageAffixes) -> list[WordHit]:
        out = []
        words = self.occurrences
        for p in aff.prefixes:
            if token.startswith(p) and len(token) - len(p) >= aff.min_stem:
                rest = token[len(p) :]
                if rest in words:
                    out.append(WordHit(rest, "prefix", cut_start=len(p)))
        if aff.article:
            for p in aff.article_prefixes:
                # "للموصل": the prefix swallowed the article's alef: ل + الموصل. Only names
                # listed with the article match; "السورية" (the Syrian) is not "سورية".
                rest = token[len(p) :]
                if (
                    token.startswith(p)
                    and len(rest) >= aff.min_stem
                    and aff.article + rest in words
                ):
                    out.append(WordHit(aff.article + rest, "prefix", cut_start=len(p)))
        for s in aff.suffixes:
            if token.endswith(s) and len(token) - len(s) >= aff.min_stem:
                rest = token[: -len(s)]
                if rest in words:
                    out.append(WordHit(rest, "suffix", cut_end=len(s)))
        if aff.endings:
            stems = [token] + [
                token[: -len(e)]
                for e in aff.endings
                if token.endswith(e) and len(token) - len(e) >= aff.min_stem
            ]
            for stem in stems:
                for w in self.stems.get(stem, ()):
                    if w != token:
                        out.append(WordHit(w, "ending"))
        return out

    def _common(self, langs: tuple[str, ...]) -> dict[str, None]:
        """The words of any of ``langs`` at Zipf 3.5 or more (one in 300,000 words), as the
        keys of a dict: of strings only, the cyclic GC stops tracking it, where it would walk
        a set at every collection."""
        words = self._common_words.get(langs)
        if words is None:
            from .frequencies import common_words

            words = self._common_words[langs] = dict.fromkeys(
                w for lang in langs for w in common_words(lang, _FREQUENT_ZIPF)
            )
        return words

    def _zipf(self, word: str, lang: str) -> float:
        """``word``'s Zipf frequency in ``lang`` (0 below 1.5; see frequencies.py)."""
        if lang not in self._zipf_tables:
            from .frequencies import zipf_table

            self._zipf_tables[lang] = zipf_table(lang)
        table = self._zipf_tables[lang]
        return table.zipf(word) if table is not None else 0.0

    def _misspelt(self, token: str, script: str | None, settings: FuzzySettings) -> list[WordHit]:
        # Known language: its ordinary words; unknown: those of every lexicon language of
        # the word's script.
        langs = (settings.lang,) if settings.lang else LANGS_BY_SCRIPT.get(script or "", ())
        # A frequent word of the text's language is no misspelt name, and a set lookup says
        # so; but until some word has a candidate the word lists are not even loaded (a
        # tenth of a second at start-up).
        common = self._common_words.get(langs)
        if common is not None and token in common:
            return []
        candidates = self.deletes.near(token)
        if not candidates:
            return []
        if common is None and token in self._common(langs):
            return []
        out = []
        for w in sorted(candidates):  # a fixed order: ties never depend on the hash seed
            if w[0] != token[0]:
                continue  # typos rarely hit the first letter; names collide there a lot
            budget = edit_budget(
                len(w), min_length=settings.min_length, max_edits=settings.max_edits
            )
            dist = _osa(token, w, budget)
            if dist <= budget:
                out.append(WordHit(w, "fuzzy", edits=dist))
        if out and self._ordinary(token, min(out, key=lambda h: h.edits).word, langs, script):
            return []
        return out

    def _ordinary(
        self, token: str, target: str, langs: tuple[str, ...], script: str | None
    ) -> bool:
        """Whether ``token`` is an ordinary word rather than a misspelling of ``target``: in
        the text's languages, a word not far rarer than the name; in the other lexicon
        languages of its script, a common word more frequent than the name there and no
        lexicon word itself ("Mosel", German, in an English text; not Turkish "Rakka")."""
        for lang in langs:
            z = self._zipf(token, lang)
            if z >= ORDINARY_WORD_ZIPF and z > self._zipf(target, lang) - MISSPELLING_MARGIN:
                return True
        if token in self.occurrences:
            return False
        for lang in LANGS_BY_SCRIPT.get(script or "", ()):
            if lang in langs:
                continue
            z = self._zipf(token, lang)
            if z >= FOREIGN_WORD_ZIPF and z > self._zipf(target, lang):
                return True
        return False

    def clear_memo(self) -> None:
        """Forget the per-word analyses and word lists (texts' business, not the lexicon's)."""
        self._memo.clear()
        self._common_words.clear()
        self._zipf_tables.clear()

    def memo(self, settings: FuzzySettings) -> _Memo:
        """The per-word memo of ``settings``. Each of its tables starts a new generation once
        full; the one before stays for lookups, and what recurs moves over: a least-recently-
        used cache's effect at a dict's cost. Memory stays flat however long the input, and
        the words in use are never analysed again in a burst."""
        state = self._memo.get(settings)
        if state is None:
            state = self._memo[settings] = _Memo({}, {}, set(), {}, {}, {}, {}, {}, {})
            return state
        if len(state.hits) > _MAX_WORDS:
            state.old_hits, state.hits = state.hits, {}
        if len(state.raw) > _MAX_WORDS:
            state.old_raw, state.raw, state.positive = state.raw, {}, set()
        if len(state.fits) > _MAX_WORDS:
            state.old_fits, state.fits = state.fits, {}
        if len(state.places) > _MAX_PLACES:
            state.old_places, state.places = state.places, {}
        return state

    def _hits(self, token: str, memo: _Memo, settings: FuzzySettings) -> tuple[WordHit, ...]:
        hits = memo.hits.get(token)
        if hits is None:
            hits = _recall(memo.hits, memo.old_hits, token)
            if hits is None:
                hits = memo.hits[token] = self.analyse(token, settings)
        return hits

    # -- per text ---------------------------------------------------------------------------

    def scan(
        self,
        folded: Folded,
        haystack: str,
        settings: FuzzySettings,
        make: Callable[[int, int, Entry, str, float, int], Candidate | None],
        anchors: list[tuple[str, int, int]],
        exact: list[Candidate],
        masked: bytes = b"",
    ) -> list[Candidate]:
        """Candidates from anchored names and from affixed and misspelt words of one text.

        ``haystack`` is the padded scan form; ``anchors`` and ``exact`` are what the exact
        automaton found (anchor words with their haystack spans; candidates); ``make(fstart,
        fend, entry, method, score, edits)`` builds a candidate from folded positions.
        """
        memo = self.memo(settings)
        out: list[Candidate] = []

        def verify(ts: int, te: int, hit: WordHit, form_id: int, k: int) -> None:
            form = self.forms[form_id]
            if hit.kind == "fuzzy" and not form.fuzzy:
                return
            found = self._verify(haystack, ts, te, hit, form, k, memo, settings)
            if found is not None:
                hs, he, edits, fuzzy, score = found
                method = "fuzzy" if fuzzy else "affix"
                cand = make(hs - 1, he - 1, form.entry, method, score, edits)
                if cand is not None:
                    out.append(cand)

        def verify_plan(
            key: tuple[str, tuple[tuple[int, int], ...]],
            before: int,
            after: int,
            cs: int,
            ce: int,
            ts: int,
            te: int,
            hit: WordHit,
        ) -> None:
            """Verify the names of the plan for ``key`` around the word at ``ts:te``, whose
            room (see _plan) is ``before`` and ``after`` words, spanning ``cs:ce``. Which of
            them the words just outside the room fit is memoised: a name and its neighbours
            recur through a text ("Ahmed said")."""
            plan = self._plan_for(key)
            if not plan.groups:
                return
            word_before = _word_before(haystack, cs) if plan.left else ""
            word_after = _word_after(haystack, ce) if plan.right else ""
            fit_key = (key, word_before, word_after)
            places = memo.places.get(fit_key)
            if places is None:
                places = _recall(memo.places, memo.old_places, fit_key)
            if places is None:
                places = memo.places[fit_key] = self._fitting(
                    plan, before, after, word_before, word_after, memo, settings
                )
            for form_id, k in places:
                verify(ts, te, hit, form_id, k)

        if anchors:
            # Exact mentions that will stand (no context cue can remove them), by start.
            covers = sorted(
                (c.fstart + 1, c.fend + 1) for c in exact if not c.entry.variant.guarded
            )
            starts = [a for a, _ in covers]
            anchor = WordHit("", "anchor")
            # Anchors inside an exact mention that no name containing them reaches beyond:
            # the common case, settled per mention from the anchors its form holds.
            absorbed = set()
            for c in exact:
                if c.entry.anchors and not c.entry.variant.guarded:
                    for offset, before, after, word in c.entry.anchors:
                        if not self._plan_for((word, ((before, after), (0, 0)))).groups:
                            absorbed.add(c.fstart + 1 + offset)
            for word, ts, te in anchors:
                if ts in absorbed:
                    continue
                # The room around the anchor: the anchor itself, and each exact mention that
                # holds it, as (words before it, words after it). A name that fits in the room
                # could only lose to the exact mention, so it is not worth verifying. (Spaces
                # count the words: a double space, left by punctuation, can only overcount
                # them where no name can reach across anyway.)
                rooms = [(0, 0, ts, te)]
                i = bisect_right(starts, ts) - 1
                while i >= 0 and ts - starts[i] <= self.max_name:
                    cs, ce = covers[i]
                    if ce >= te:
                        rooms.append(
                            (haystack.count(" ", cs, ts), haystack.count(" ", te, ce), cs, ce)
                        )
                    i -= 1
                if len(rooms) > 1:
                    rooms.sort(key=_room_size, reverse=True)
                # The names left must reach beyond the largest room.
                before, after, cs, ce = rooms[0]
                key = (word, tuple([(b, a) for b, a, _, _ in rooms]))
                verify_plan(key, before, after, cs, ce, ts, te, anchor)

        # Words that may be inflected or misspelt names: each distinct one analysed once.
        text = folded.original
        latin = self.rules.affixes_for("Latin", settings.lang) if settings.affixes else ()
        if latin or (settings.fuzzy and settings.min_length < 5):
            capitalised = _NAME_WORD_ASCII
        elif settings.fuzzy:
            capitalised = _NAME_WORD_ASCII_5  # no Latin affix rule applies: typos only
        else:
            capitalised = None  # affixes only, none for Latin-script words
        if text.isascii():
            if capitalised is None:
                return out
            raw = set(capitalised.findall(text))
        else:
            runs = folded.runs if folded.runs is not None else sparse_runs(text)
            if runs is None:  # scripts without case need every word
                raw = set(_NAME_WORD.findall(text))
            else:  # mostly Latin: capitalised words, and the words around non-ASCII letters
                raw = set(capitalised.findall(text)) if capitalised is not None else set()
                raw.update(_words_around(text, runs))
        for r in raw.difference(memo.raw):
            name_words = _recall(memo.raw, memo.old_raw, r)
            if name_words is None:
                # A word of ASCII letters folds to itself in lower case: the common case.
                words = (
                    [r.lower()] if r.isascii() and r.isalpha() else scan_form(fold_key(r)).split()
                )
                name_words = tuple(w for w in words if self._hits(w, memo, settings))
            memo.raw[r] = name_words
            if name_words:
                memo.positive.add(r)
        tokens = sorted({w for r in raw.intersection(memo.positive) for w in memo.raw[r]})
        for token, ts, te in _places(tokens, haystack, masked):
            for hit in self._hits(token, memo, settings):
                # Every name holding the word (in a large lexicon, thousands): no room.
                verify_plan((hit.word, ()), 0, 0, ts, te, ts, te, hit)
        return out

    def _plan_for(self, key: tuple[str, tuple[tuple[int, int], ...]]) -> _Plan:
        """:meth:`_plan` of (word, rooms), memoised: a handful of distinct keys in any text."""
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) > _MAX_WORDS:
                self._plans.clear()
            plan = self._plans[key] = self._plan(*key)
        return plan

    def _plan(self, word: str, rooms: tuple[tuple[int, int], ...]) -> _Plan:
        """The places of ``word`` in names that reach beyond every room (words before it,
        words after it, inside an exact mention), grouped by the first letters the words just
        outside the largest room (``rooms[0]``) must have. No rooms: every place."""
        before, after = rooms[0] if rooms else (0, 0)
        places: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for form_id, k in self.occurrences.get(word, ()):
            words = self.forms[form_id].words
            rest = len(words) - k - 1
            if any(k <= b and rest <= a for b, a in rooms):
                continue
            need = (
                words[k - before - 1][0] if k > before else "",
                words[k + after + 1][0] if rest > after else "",
            )
            places.setdefault(need, []).append((form_id, k))
        # Each group with its rank, so that the groups a text chooses sort into plan order.
        groups = {need: (rank, group) for rank, (need, group) in enumerate(places.items())}
        return _Plan(groups, any(a for a, _ in places), any(b for _, b in places))

    def _fitting(
        self,
        plan: _Plan,
        before: int,
        after: int,
        word_before: str,
        word_after: str,
        memo: _Memo,
        settings: FuzzySettings,
    ) -> tuple[tuple[int, int], ...]:
        """The places of ``plan`` whose names' words just outside the room (``before`` and
        ``after`` words) ``word_before`` and ``word_after`` fit: first by their first letters
        (per group), then each word (a memoised check, where verifying takes 6 us)."""
        # The groups whose letters the neighbours have: a few lookups, where a common word's
        # plan in a large lexicon has hundreds of groups. Kept in the plan's order, so
        # candidates come out in the same order whatever the neighbours.
        lefts = _letter_keys(self._letters(word_before, memo, settings))
        rights = _letter_keys(self._letters(word_after, memo, settings))
        groups = plan.groups
        chosen = [g for a in lefts for b in rights if (g := groups.get((a, b))) is not None]
        if len(chosen) > 1:
            chosen.sort()
        out = []
        for _, places in chosen:
            for form_id, k in places:
                words = self.forms[form_id].words
                if k > before and not self._fits(
                    word_before, words[k - before - 1], memo, settings
                ):
                    continue
                if len(words) - k - 1 > after and not self._fits(
                    word_after, words[k + after + 1], memo, settings
                ):
                    continue
                out.append((form_id, k))
        return tuple(out)

    def _fits(self, word: str, target: str, memo: _Memo, settings: FuzzySettings) -> bool:
        """Whether text ``word`` may stand for the name's ``target`` word (what _verify asks
        of it, and a little more): the same, a word it may stand for, or a loose likeness."""
        key = (word, target)
        known = memo.fits.get(key)
        if known is None:
            known = _recall(memo.fits, memo.old_fits, key)
        if known is None:
            known = bool(word) and (
                word == target
                or any(h.word == target for h in self._hits(word, memo, settings))
                or (
                    settings.fuzzy
                    and len(target) >= 4
                    and abs(len(word) - len(target)) <= 2
                    and word[:1] == target[:1]
                    and _likeness(word, target) >= _WORD_LIKENESS
                )
            )
            memo.fits[key] = known
        return known

    def _letters(self, word: str, memo: _Memo, settings: FuzzySettings) -> str:
        """First letters of ``word`` and of the lexicon words it may stand for."""
        if not word:
            return ""
        hits = self._hits(word, memo, settings)
        if not hits:  # most words: the letter itself
            return word[0]
        return word[0] + "".join(h.word[0] for h in hits)

    def _verify(
        self,
        haystack: str,
        ts: int,
        te: int,
        hit: WordHit,
        form: _Form,
        k: int,
        memo: _Memo,
        settings: FuzzySettings,
    ) -> tuple[int, int, int, bool, float] | None:
        """Check the name ``form`` around a word standing for its ``k``-th word."""
        n = len(form.words)
        if n == 1 and hit.kind == "anchor":
            return None  # the word itself: the exact automaton has it
        # The text words around, separated by single spaces (a name never spans punctuation).
        spans = [(ts, te)]
        pos = ts
        for _ in range(k):
            if pos < 2 or haystack[pos - 1] != " " or haystack[pos - 2] == " ":
                return None
            start = haystack.rfind(" ", 0, pos - 1) + 1
            spans.insert(0, (start, pos - 1))
            pos = start
        pos = te
        for _ in range(n - k - 1):
            if haystack[pos : pos + 1] != " " or haystack[pos + 1 : pos + 2] in (" ", ""):
                return None
            end = haystack.find(" ", pos + 1)
            spans.append((pos + 1, end))
            pos = end
        edits = 0
        fuzzy = hit.kind == "fuzzy"
        anchored = hit.kind != "fuzzy"
        loose = False
        cut_start = hit.cut_start if k == 0 else 0
        cut_end = hit.cut_end if k == n - 1 else 0
        if (hit.cut_start and k != 0) or (hit.cut_end and k != n - 1):
            return None  # a clitic only before the name, a suffix only after it
        edits += hit.edits
        for j, (a, b) in enumerate(spans):
            if j == k:
                continue
            word, target = haystack[a:b], form.words[j]
            if word == target:
                anchored = True
                continue
            match = next((h for h in self._hits(word, memo, settings) if h.word == target), None)
            if match is not None and (match.kind != "fuzzy" or form.fuzzy):
                if (match.cut_start and j != 0) or (match.cut_end and j != n - 1):
                    return None
                cut_start = match.cut_start if j == 0 else cut_start
                cut_end = match.cut_end if j == n - 1 else cut_end
                edits += match.edits
                fuzzy = fuzzy or match.kind == "fuzzy"
                anchored = anchored or match.kind != "fuzzy"
                continue
            if (
                settings.fuzzy
                and form.fuzzy
                and len(target) >= 4
                and abs(len(word) - len(target)) <= 2  # "ForceAAH" is not a typo of "Force"
                and word[:1] == target[:1]
                and _likeness(word, target) >= _WORD_LIKENESS
            ):
                edits += _osa(word, target)
                fuzzy = loose = True
                continue
            return None
        if n > 1 and not anchored:
            return None  # every word of a multi-word name misspelt: too weak
        start, end = spans[0][0] + cut_start, spans[-1][1] - cut_end
        score = 1.0
        if fuzzy:
            text_name = " ".join(haystack[a:b] for a, b in spans)
            score = _likeness(text_name, " ".join(form.words))
            if loose and score < _NAME_LIKENESS:
                return None
        as_listed = all(haystack[a:b] == w for (a, b), w in zip(spans, form.words, strict=True))
        if as_listed and not fuzzy and cut_start == cut_end == 0:
            return None  # spelled as listed: the exact automaton has it
        return start, end, edits, fuzzy, round(score, 3)


def _osa(a: str, b: str, cutoff: int | None = None) -> int:
    """Edits between two words, an adjacent swap counting as one (rapidfuzz's OSA)."""
    from rapidfuzz.distance import OSA  # imported on first use: start-up stays short

    return int(OSA.distance(a, b, score_cutoff=cutoff))


def _likeness(a: str, b: str) -> float:
    """Normalised Indel similarity, 0 to 1."""
    from rapidfuzz.distance import Indel

    return float(Indel.normalized_similarity(a, b))


def _deletions(word: str, depth: int) -> set[str]:
    """``word`` and every string made by deleting up to ``depth`` characters from it."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


class _DeletionIndex:
    """Deletion neighbourhoods of the lexicon's words, packed: the deletions as one sorted
    list of bytes, each with its word's number in a parallel array.

    A dict of sets took 1.5 GB for a lexicon of 100,000 entities (6.5 million deletions);
    this takes a fifth of that, and a lookup is one bisection at C speed.
    """

    __slots__ = ("_key_set", "ids", "keys", "words")

    def __init__(self, words: list[str], ids: array[int], keys: list[bytes]) -> None:
        self.words = words
        self.ids = ids
        self.keys = keys
        self._key_set: frozenset[str] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (_DeletionIndex, (self.words, self.ids, self.keys))

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, str]]) -> _DeletionIndex:
        """The index of (deletion, word) ``pairs``."""
        numbers: dict[str, int] = {}
        packed = [
            d.encode("utf-8") + b"\0" + numbers.setdefault(w, len(numbers)).to_bytes(4, "big")
            for d, w in pairs
        ]
        packed.sort()  # in place, duplicates dropped after: a set would double the peak
        packed = [k for k, _ in itertools.groupby(packed)]
        ids = array("I", (int.from_bytes(k[-4:], "big") for k in packed))
        return cls(list(numbers), ids, [k[:-5] for k in packed])

    def near(self, word: str) -> set[str]:
        """The lexicon words with ``word`` or one of its one-letter deletions in their
        neighbourhood: the candidates for a misspelling."""
        deletions = _deletions(word, 1)
        if len(self.keys) <= _KEY_SET_LIMIT:
            # A small index answers for all of them in one set intersection (a bisection
            # each takes a microsecond).
            if self._key_set is None:
                self._key_set = frozenset(k.decode("utf-8") for k in self.keys)
            deletions &= self._key_set
        out: set[str] = set()
        for d in deletions:
            out.update(self.get(d))
        return out

    def get(self, deletion: str) -> list[str]:
        """The lexicon words with ``deletion`` in their neighbourhood."""
        key = deletion.encode("utf-8")
        keys = self.keys
        i = bisect_left(keys, key)
        out = []
        while i < len(keys) and keys[i] == key:
            out.append(self.words[self.ids[i]])
            i += 1
        return out


_K = TypeVar("_K")
_V = TypeVar("_V")


def _recall(current: dict[_K, _V], before: dict[_K, _V], key: _K) -> _V | None:
    """``key``'s value in a memo table's generation before (see WordIndex.memo), moved over
    to the current one; None if it is not there either."""
    value = before.get(key)
    if value is not None:
        current[key] = value
    return value


# (plan key, word before, word after): see WordIndex.scan's verify_plan
_PlacesKey = tuple[tuple[str, tuple[tuple[int, int], ...]], str, str]


@dataclass(slots=True)
class _Memo:
    """Per setting: analyses of folded words, and which raw text words hold name words; each
    table with its generation before (see WordIndex.memo)."""

    hits: dict[str, tuple[WordHit, ...]]
    raw: dict[str, tuple[str, ...]]
    positive: set[str]  # the words of raw that hold a name word
    fits: dict[tuple[str, str], bool]  # see WordIndex._fits
    places: dict[_PlacesKey, tuple[tuple[int, int], ...]]  # see WordIndex._fitting
    old_hits: dict[str, tuple[WordHit, ...]]
    old_raw: dict[str, tuple[str, ...]]
    old_fits: dict[tuple[str, str], bool]
    old_places: dict[_PlacesKey, tuple[tuple[int, int], ...]]


def _places(tokens: list[str], haystack: str, masked: bytes) -> Iterator[tuple[str, int, int]]:
    """Each occurrence of each of ``tokens`` as a whole word of ``haystack``: (token, span).

    A small automaton over bytes finds a hundred words in a megabyte in half a millisecond
    (its prefilter skips ahead); a str.find per word would take 40 ms. Non-ASCII words are
    looked for in the str haystack; over bytes, the haystack's non-ASCII characters are
    masked, so byte offsets stay str offsets.
    """
    if not tokens:
        return
    plain = [t for t in tokens if t.isascii()]
    other = [t for t in tokens if not t.isascii()]
    if plain:
        hay = masked or haystack.encode("ascii", errors="replace")
        # Few words: patterns without their leading space, so that the automaton's prefilter
        # skips ahead on the words' own letters (twice as fast), the space checked here.
        lead = int(len(plain) > _LEAD_LIMIT)
        automaton = ahocorasick_rs.BytesAhoCorasick(
            [(" " * lead + t + " ").encode("ascii") for t in plain]
        )
        for pid, s, e in automaton.find_matches_as_indexes(hay, overlapping=True):
            if lead or hay[s - 1] == 32:  # the haystack is padded: s >= 1
                yield plain[pid], s + lead, e - 1
    if len(other) <= _FIND_LIMIT:
        for token in other:
            needle = f" {token} "
            i = haystack.find(needle)
            while i >= 0:
                yield token, i + 1, i + 1 + len(token)
                i = haystack.find(needle, i + len(token) + 1)
        return
    str_automaton = ahocorasick_rs.AhoCorasick([f" {t} " for t in other])
    for pid, s, e in str_automaton.find_matches_as_indexes(haystack, overlapping=True):
        yield other[pid], s + 1, e - 1


class _Plan(NamedTuple):
    """Where a word sits in the names worth verifying around it (see WordIndex._plan)."""

    # (first letter needed before, after; "" for none) -> (rank, places: (form id, word
    # position)), the rank being the group's place in the plan.
    groups: dict[tuple[str, str], tuple[int, list[tuple[int, int]]]]
    left: bool  # some group needs a word before
    right: bool  # some group needs a word after


def _letter_keys(letters: str) -> tuple[str, ...]:
    """The group keys a neighbour with these first ``letters`` can fill: none ("") or each
    distinct letter once."""
    return ("", *dict.fromkeys(letters)) if letters else ("",)


def _room_size(room: tuple[int, int, int, int]) -> int:
    return room[0] + room[1]


def _word_before(haystack: str, pos: int) -> str:
    """The word ending one space before ``pos``, if a single space separates them."""
    if pos < 2 or haystack[pos - 1] != " " or haystack[pos - 2] == " ":
        return ""
    return haystack[haystack.rfind(" ", 0, pos - 1) + 1 : pos - 1]


def _word_after(haystack: str, pos: int) -> str:
    """The word starting one space after ``pos``, if a single space separates them."""
    if haystack[pos : pos + 1] != " ":
        return ""
    end = haystack.find(" ", pos + 1)
    return haystack[pos + 1 : end] if end > 0 else haystack[pos + 1 :]


def _words_around(text: str, runs: list[tuple[int, int]]) -> list[str]:
    """The words of four letters or more that hold the non-ASCII ``runs`` of ``text`` and
    start with a capital, or with a letter of a script without case: what the capitalised-word
    pattern cannot see ("Türkiye", "Erdoğan"), by the same rule (not "fiancé" for France).

    >>> _words_around("Her fiancé left Türkiye; سوريا too.", [(9, 10), (17, 18), (25, 30)])
    ['Türkiye', 'سوريا']
    """
    out = []
    n = len(text)
    for s, e in runs:
        while s > 0 and text[s - 1].isalpha():
            s -= 1
        while e < n and text[e].isalpha():
            e += 1
        if e - s >= 4 and starts_upper(text[s:e]):
            out.append(text[s:e])
    return out
