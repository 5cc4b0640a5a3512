"""Output: mentions as results, labels in the language asked for, rewritten text.

>>> from normalise.lexicon import Entity
>>> e = Entity("hezbollah", "organisation", {"en": "Hezbollah", "ar": "حزب الله"}, ())
>>> m = Mention(6, 15, "Hizbullah", "hezbollah", "Hezbollah", "Hizbullah", "exact", 1.0)
>>> rewrite("Iraq, Hizbullah.", [m], lambda mention: "Hezbollah")
'Iraq, Hezbollah.'
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .lexicon import Entity

__all__ = ["Mention", "Method", "label_for", "locale_chain", "rewrite"]

Method = Literal["exact", "folded", "affix", "fuzzy"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of an entity in a text.

    ``start`` and ``end`` are ``str`` offsets into the caller's original text, so
    ``text[m.start:m.end] == m.surface`` always holds. ``variant`` is the lexicon form that
    matched; ``method`` says how: ``exact`` (character for character), ``folded`` (equal
    after folding case, diacritics, script variants and separators), ``affix`` (inside an
    inflected or cliticised word: a case ending, a proclitic or suffix left outside) or
    ``fuzzy`` (misspelt: ``edits`` says by how many edits; ``score`` is the likeness, 0-1).
    """

    start: int
    end: int
    surface: str
    entity_id: str
    label: str
    variant: str
    method: Method
    score: float
    edits: int = 0

    def __reduce__(self) -> tuple[Any, ...]:
        # A plain constructor call unpickles twice as fast as dataclasses' generic
        # setstate (see Variant): mentions cross back from worker processes by the thousand.
        return (
            Mention,
            (
                self.start,
                self.end,
                self.surface,
                self.entity_id,
                self.label,
                self.variant,
                self.method,
                self.score,
                self.edits,
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the fields (faster than dataclasses.asdict)."""
        return {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "entity_id": self.entity_id,
            "label": self.label,
            "variant": self.variant,
            "method": self.method,
            "score": self.score,
            "edits": self.edits,
        }


@functools.lru_cache(maxsize=512)
def locale_chain(tag: str) -> tuple[str, ...]:
    """Tags to try for a label, most specific first, ending in English and ``und``.

    >>> locale_chain("ar_IQ")
    ('ar-IQ', 'ar-Arab-IQ', 'ar-Arab', 'ar', 'en', 'und')
    >>> locale_chain("zh-TW")
    ('zh-TW', 'zh-Hant-TW', 'zh-Hant', 'zh', 'en', 'und')
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    out: list[str] = []
    try:
        loc = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        loc = None
    if loc is not None:
        lang, script, terr = loc.language, loc.script, loc.territory
        if not script:
            likely = get_global("likely_subtags").get(
                f"{lang}_{terr}" if terr else lang, get_global("likely_subtags").get(lang, "")
            )
            parts = likely.split("_")
            script = next((p for p in parts[1:] if len(p) == 4), None)
        for parts in (
            (lang, None, terr),
            (lang, script, terr),
            (lang, script, None),
            (lang, None, None),
        ):
            cand = "-".join(p for p in parts if p)
            if cand not in out:
                out.append(cand)
    for fallback in ("en", "und"):
        if fallback not in out:
            out.append(fallback)
    return tuple(out)


def label_for(entity: Entity, lang: str) -> str:
    """The entity's label in ``lang``, through :func:`locale_chain`, else its first label."""
    labels = entity.labels
    direct = labels.get(lang)
    if direct is not None:  # the common case needs no CLDR locale data
        return direct
    for tag in locale_chain(lang):
        if tag in labels:
            return labels[tag]
    return next(iter(labels.values()), entity.id)


def rewrite(text: str, mentions: Iterable[Mention], replacement: Callable[[Mention], str]) -> str:
    """Replace each mention's span by ``replacement(mention)``; every other character stays."""
    out: list[str] = []
    last = 0
    for m in sorted(mentions, key=lambda m: m.start):
        out.append(text[last : m.start])
        out.append(replacement(m))
        last = m.end
    out.append(text[last:])
    return "".join(out)
