"""The pipeline's body: one text through every stage, from folding to mentions.

:class:`~normalise.normaliser.Normaliser` checks its input and options and calls
:func:`find_mentions`; this module holds the per-text work only, so that a compiled build
(see ``hatch_build.py``) compiles it with the stages it calls.

>>> from normalise.lexicon import Lexicon
>>> lex = Lexicon.from_dict({"Hezbollah": ["Hizbullah"]})
>>> found = find_mentions(lex, "Hizbulah, Hizbullah", FuzzySettings(), "en")
>>> [(m.start, m.end, m.label, m.method) for m in found]
[(0, 8, 'Hezbollah', 'fuzzy'), (10, 19, 'Hezbollah', 'exact')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from .folding import fold
from .fuzzy import FuzzySettings
from .index import Entry
from .languages import base_language, guess_language, is_cased
from .lexicon import Lexicon
from .matching import Candidate, haystack_of, scan, starts_upper, supported
from .output import Mention, label_for
from .resolution import attach_honorifics, merge_adjacent, resolve

__all__ = ["find_mentions"]


def find_mentions(
    lexicon: Lexicon, text: str, settings: FuzzySettings, target_lang: str
) -> list[Mention]:
    """Every mention of ``lexicon``'s entities in ``text``, in order, labelled in
    ``target_lang``; ``settings`` says whether the word stage looks for misspelt and
    inflected names, and in which language."""
    index = lexicon.index
    folded = fold(text)
    haystack = haystack_of(folded)
    found = scan(index, folded, haystack)
    candidates = found.candidates
    context = found.context
    if settings.fuzzy or settings.affixes:

        def make(
            fs: int, fe: int, entry: Entry, method: str, score: float, edits: int
        ) -> Candidate | None:
            start, end = folded.original_span(fs, fe)
            variant = entry.variant
            # A name found inside an inflected word, or a form marked capitalised, must keep
            # its capital where the script has case: "путина" is the fishing season, not
            # Putin.
            if (variant.capitalised or (method == "affix" and starts_upper(variant.text))) and (
                not starts_upper(text[start:end])
            ):
                return None
            return Candidate(start, end, entry, method, score, fs, fe, edits)  # type: ignore[arg-type]

        more = lexicon.words.scan(
            folded, haystack, settings, make, found.anchors, candidates, found.masked
        )
        if more:
            context = context or any(c.entry.variant.guarded for c in more)
            candidates = candidates + more
    if context:
        candidates = supported(candidates, found.cues, index.entities)
    if any(c.entry.ordinary_in or c.entry.lower_word for c in candidates):
        candidates = _not_ordinary_words(candidates, text, settings.lang)
    entities = index.entities
    chosen = merge_adjacent(resolve(candidates), haystack, entities)
    chosen = attach_honorifics(chosen, haystack, folded, lexicon.rules, entities)
    labels: dict[int, str] = {}  # per entity, for this call
    out = []
    # A mention's slots set one by one, as the frozen dataclass's __init__ sets them too, but
    # without its object.__setattr__ round trip per field: half the cost, thousands a MB.
    s_start, s_end, s_surface, s_id, s_label, s_variant, s_method, s_score, s_edits = _SETTERS
    new = object.__new__
    for c in chosen:
        entry = c.entry
        entity = entities[entry.entity]
        label = labels.get(entry.entity)
        if label is None:
            label = labels[entry.entity] = label_for(entity, target_lang)
        m = new(Mention)
        s_start(m, c.start)
        s_end(m, c.end)
        s_surface(m, text[c.start : c.end])
        s_id(m, entity.id)
        s_label(m, label)
        s_variant(m, entry.variant.text)
        s_method(m, c.method)
        s_score(m, c.score)
        s_edits(m, c.edits)
        out.append(m)
    return out


def _not_ordinary_words(
    candidates: list[Candidate], text: str, lang: str | None
) -> list[Candidate]:
    """Drop the candidates whose form is an ordinary word of the text's language (given, or
    guessed from the text) and not a name of their entity there ("Poutine" in English), and,
    in a text written with capitals, lower-case words that are names only when capitalised
    (Spanish "siria"). The text's language and case are read only when a candidate asks."""
    text_lang: str | None = None
    guessed = False
    cased: bool | None = None
    out = []
    for c in candidates:
        entry = c.entry
        if entry.lower_word and text[c.start].islower():
            if cased is None:
                cased = is_cased(text)
            if cased:
                continue
        # Mid-sentence, a capital says "name"; at a sentence start or in lower case it says
        # nothing, and an ordinary word of the text's language is the likelier reading.
        if entry.ordinary_in and not (
            starts_upper(text[c.start : c.end]) and _mid_sentence(text, c.start)
        ):
            if not guessed:
                text_lang = base_language(lang) or guess_language(text)
                guessed = True
            if text_lang in entry.ordinary_in:
                continue
        out.append(c)
    return out


def _mid_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` follows another word of its sentence."""
    before = text[max(0, start - 80) : start].rstrip(" \t\"'«“‘(\u00a0")
    return bool(before) and before[-1] not in ".!?:;\n\r\u061f\u3002"


# Mention's slot setters, in the order find_mentions unpacks them: every field, checked here.
_FIELDS = ("start", "end", "surface", "entity_id", "label", "variant", "method", "score", "edits")
assert tuple(f.name for f in fields(Mention)) == _FIELDS, "find_mentions sets each Mention field"
_SETTERS: tuple[Callable[[Mention, Any], None], ...] = tuple(
    getattr(Mention, name).__set__ for name in _FIELDS
)
