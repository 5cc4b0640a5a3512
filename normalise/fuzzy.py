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

Words that may stand for a lexicon word are then found in the text with a small automaton, and
the names they belong to are verified word by word around them. A multi-word name needs one
word spelled right (the anchor); its other words may be misspelt (one typo each within budget,
or a looser likeness when the whole name still scores 0.8) or inflected.

>>> from normalise.lexicon import Lexicon
>>> from normalise import Normaliser
>>> lex = Lexicon.from_dict({"Hezbollah": ["Hezbollah"], "Haider al-Abadi": ["Haider al-Abadi"]})
>>> n = Normaliser(lex)
>>> [(m.surface, m.method, m.edits) for m in n.find("Hezbolla said Hadr Al-Abadi")]
[('Hezbolla', 'fuzzy', 1), ('Hadr Al-Abadi', 'fuzzy', 2)]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ahocorasick_rs

from .rules import LanguageAffixes, Rules, script_of

if TYPE_CHECKING:
    from .folding import Folded
    from .index import Entry, Index
    from .matching import Candidate

__all__ = ["FuzzySettings", "WordHit", "WordIndex", "edit_budget"]

# A text word at least this frequent (wordfreq's Zipf scale; 1.5 is about once in 30 million
# words) in the text's language, and not far rarer than the name it resembles, is an ordinary
# word, never a misspelt name: "Mosel" (3.56 in German) is not Mosul (2.63), "ragga" (1.88)
# not Raqqa (2.71), "poutine" (4.23 in French) not Putin. A frequent misspelling stays one:
# "Isreal" (2.12) is 450 times rarer than "Israel" (4.77).
ORDINARY_WORD_ZIPF = 1.5
MISSPELLING_MARGIN = 1.0
# Languages whose word lists decide "ordinary word" when the text's language is not given.
_LANGS_BY_SCRIPT = {
    "Latin": ("en", "fr", "de", "es", "tr"),
    "Cyrillic": ("ru", "uk"),
    "Arabic": ("ar", "fa"),
}
# Multi-word names: a word other than the anchor may differ by more than its edit budget if
# it keeps this likeness (Indel similarity) and its first letter, and the whole name this one.
_WORD_LIKENESS = 0.7
_NAME_LIKENESS = 0.8
_MAX_CACHE = 1_000_000
_FREQUENT_ZIPF = 3.5  # one in 300,000 words: never taken for a misspelt name
_VOWELS = frozenset(
    "аеёиоуыэюяіїєaeiou"
)  # distinct words remembered per setting before the memo starts over


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


class WordIndex:
    """The lexicon's words, their deletion neighbourhoods and stems, and the per-word memo."""

    def __init__(self, index: Index, rules: Rules) -> None:
        from .index import is_ordinary_word

        self.rules = rules
        self.forms: list[_Form] = []
        self.occurrences: dict[str, list[tuple[int, int]]] = {}
        # A form that may not be fuzzy, in a language no affix rule is for, can never match
        # here: leave it to the exact automaton (most of CLDR's names in 200 languages).
        affix_langs = {a.lang for a in rules.affixes}
        for bucket in index.entries:
            for entry in bucket:
                if entry.punctuated or entry.variant.case_sensitive:
                    continue  # "U.S." and acronyms: exact only
                words = tuple(entry.folded.split(" "))
                if any(not w for w in words):
                    continue
                lang = entry.variant.lang
                if not entry.variant.fuzzy and lang and lang.split("-")[0] not in affix_langs:
                    continue
                self.forms.append(_Form(entry, words, entry.variant.fuzzy))
                for k, w in enumerate(words):
                    self.occurrences.setdefault(w, []).append((len(self.forms) - 1, k))
        # Each word's places in multi-word names, by the first letter of the next word in the
        # name (or of the previous one, for a last word): an anchor in the text is checked only
        # against names whose neighbouring word could be the text's neighbouring word.
        self.by_neighbour: dict[str, dict[tuple[int, str], list[tuple[int, int]]]] = {}
        for w, occ in self.occurrences.items():
            groups: dict[tuple[int, str], list[tuple[int, int]]] = {}
            for form_id, k in occ:
                words = self.forms[form_id].words
                if len(words) == 1:
                    key = (0, "")
                elif k + 1 < len(words):
                    key = (1, words[k + 1][0])
                else:
                    key = (-1, words[k - 1][0])
                groups.setdefault(key, []).append((form_id, k))
            self.by_neighbour[w] = groups
        # Anchors: words distinctive enough that finding one is worth looking around it.
        self.anchors = frozenset(
            w
            for w in self.occurrences
            if len(w) >= 3
            and any(len(self.forms[f].words) > 1 for f, _ in self.occurrences[w])
            and not (script_of(w) == "Latin" and is_ordinary_word(w, "en", 3.0))
        )
        # Fuzzy targets: words of fuzzy-enabled variants, long enough.
        self.deletes: dict[str, set[str]] = {}
        for w, occ in self.occurrences.items():
            if len(w) >= 5 and any(self.forms[f].fuzzy for f, _ in occ):
                for d in _deletions(w, 2 if len(w) >= 8 else 1):
                    self.deletes.setdefault(d, set()).add(w)
        # Stems for inflecting languages: a word minus any of its endings, and itself.
        self.stems: dict[str, set[str]] = {}
        enders = [a for a in rules.affixes if a.endings]
        ending_scripts = {s for a in enders for s in a.scripts}
        for w in self.occurrences:
            if script_of(w) not in ending_scripts:
                continue
            if w[-1] not in _VOWELS:
                # A consonant-final name declines on itself (Путин -> Путину); a vowel-final
                # one that no stem ending covers is indeclinable (Сулеймани: "в Сулеймании" is
                # the city of Sulaymaniyah, not the general).
                self.stems.setdefault(w, set()).add(w)
            for a in enders:
                for e in a.stem_endings:
                    if w.endswith(e) and len(w) - len(e) >= a.min_stem:
                        self.stems.setdefault(w[: -len(e)], set()).add(w)
        # No affix or typo makes a word longer than this match a lexicon word.
        self.max_token = max((len(w) for w in self.occurrences), default=0) + 8
        self._frequent_words: dict[str, frozenset[str]] = {}
        self._memo: dict[FuzzySettings, tuple[dict[str, tuple[WordHit, ...]], set[str]]] = {}

    # -- per word ---------------------------------------------------------------------------

    def analyse(self, token: str, settings: FuzzySettings) -> tuple[WordHit, ...]:
        """The lexicon words ``token`` may stand for."""
        hits: list[WordHit] = []
        if len(token) > self.max_token:
            return ()
        if token in self.anchors:
            hits.append(WordHit(token, "anchor"))
        script = script_of(token)
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

    def _frequent(self, lang: str) -> frozenset[str]:
        """The words of ``lang`` at Zipf 3.5 or more (one in 300,000 words), as a set."""
        words = self._frequent_words.get(lang)
        if words is None:
            from .index import frequent_words

            words = self._frequent_words[lang] = frequent_words(lang, _FREQUENT_ZIPF)
        return words

    def _misspelt(self, token: str, script: str | None, settings: FuzzySettings) -> list[WordHit]:
        from .index import zipf

        langs = (settings.lang,) if settings.lang else _LANGS_BY_SCRIPT.get(script or "", ())
        if any(token in self._frequent(lang) for lang in langs):
            return []  # a frequent word of the text's language: no misspelt name (and cheap)
        candidates: set[str] = set()
        for d in _deletions(token, 1):
            candidates.update(self.deletes.get(d, ()))
        out = []
        for w in candidates:
            if w[0] != token[0]:
                continue  # typos rarely hit the first letter; names collide there a lot
            budget = edit_budget(
                len(w), min_length=settings.min_length, max_edits=settings.max_edits
            )
            dist = _osa(token, w, budget)
            if dist <= budget:
                out.append(WordHit(w, "fuzzy", edits=dist))
        if out:
            target = min(out, key=lambda h: h.edits).word
            for lang in langs:
                z = zipf(token, lang)
                if z >= ORDINARY_WORD_ZIPF and z > zipf(target, lang) - MISSPELLING_MARGIN:
                    return []
        return out

    def clear_memo(self) -> None:
        """Forget the per-word analyses and word lists (texts' business, not the lexicon's)."""
        self._memo.clear()
        self._frequent_words.clear()

    def memo(self, settings: FuzzySettings) -> tuple[dict[str, tuple[WordHit, ...]], set[str]]:
        state = self._memo.get(settings)
        if state is None or len(state[0]) > _MAX_CACHE:
            state = self._memo[settings] = ({}, set())
        return state

    # -- per text ---------------------------------------------------------------------------

    def scan(
        self,
        folded: Folded,
        haystack: str,
        settings: FuzzySettings,
        make: Callable[[int, int, Entry, str, float, int], Candidate | None],
    ) -> list[Candidate]:
        """Candidates from affixed and misspelt words of one text.

        ``haystack`` is the padded scan form; ``make(fstart, fend, entry, method, score,
        edits)`` builds a candidate from folded positions.
        """
        cache, positive = self.memo(settings)
        tokens = set(haystack.split())
        # Membership, not "tokens - cache.keys()", which walks the whole memo on every call.
        for t in [t for t in tokens if t not in cache]:
            hits = self.analyse(t, settings)
            cache[t] = hits
            if hits:
                positive.add(t)
        here = sorted(tokens & positive)
        if not here:
            return []
        out: list[Candidate] = []
        automaton = ahocorasick_rs.AhoCorasick([f" {t} " for t in here])
        for pid, s, e in automaton.find_matches_as_indexes(haystack, overlapping=True):
            token = here[pid]
            ts, te = s + 1, e - 1  # the token's span in the haystack
            for hit in cache[token]:
                places = (
                    self._near(hit.word, haystack, ts, te, cache)
                    if hit.kind == "anchor"
                    else self.occurrences.get(hit.word, ())
                )
                for form_id, k in places:
                    form = self.forms[form_id]
                    if hit.kind == "fuzzy" and not form.fuzzy:
                        continue
                    found = self._verify(haystack, ts, te, hit, form, k, cache, settings)
                    if found is not None:
                        hs, he, edits, fuzzy, score = found
                        method = "fuzzy" if fuzzy else "affix"
                        cand = make(hs - 1, he - 1, form.entry, method, score, edits)
                        if cand is not None:
                            out.append(cand)
        return out

    def _near(
        self,
        word: str,
        haystack: str,
        ts: int,
        te: int,
        cache: dict[str, tuple[WordHit, ...]],
    ) -> list[tuple[int, int]]:
        """The places of an anchor ``word`` whose neighbouring name word fits the text's."""
        groups = self.by_neighbour.get(word, {})
        out: list[tuple[int, int]] = []
        for side in (1, -1):
            if side == 1:
                if haystack[te : te + 1] != " ":
                    continue
                end = haystack.find(" ", te + 1)
                neighbour = haystack[te + 1 : end]
            else:
                if ts < 2 or haystack[ts - 1] != " ":
                    continue
                neighbour = haystack[haystack.rfind(" ", 0, ts - 1) + 1 : ts - 1]
            if not neighbour:
                continue
            letters = {neighbour[0]} | {h.word[0] for h in cache.get(neighbour, ())}
            for letter in letters:
                out.extend(groups.get((side, letter), ()))
        return out

    def _verify(
        self,
        haystack: str,
        ts: int,
        te: int,
        hit: WordHit,
        form: _Form,
        k: int,
        cache: dict[str, tuple[WordHit, ...]],
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
            match = next((h for h in cache.get(word, ()) if h.word == target), None)
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
