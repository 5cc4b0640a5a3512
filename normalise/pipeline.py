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
            context = context or any(c.entry.variant.context for c in more)
            candidates = candidates + more
    if context:
        candidates = supported(candidates, found.cues)
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


# Mention's slot setters, in the order find_mentions unpacks them: every field, checked here.
_FIELDS = ("start", "end", "surface", "entity_id", "label", "variant", "method", "score", "edits")
assert tuple(f.name for f in fields(Mention)) == _FIELDS, "find_mentions sets each Mention field"
_SETTERS: tuple[Callable[[Mention, Any], None], ...] = tuple(
    getattr(Mention, name).__set__ for name in _FIELDS
)
