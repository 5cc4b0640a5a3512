"""Language rules kept as data: affixes that attach to names, and honorifics.

The files live in a lexicon folder's ``_rules/`` (``affixes.toml``, ``honorifics.toml``); the
bundled ones are always loaded, and a lexicon folder may add its own.

>>> rules = Rules.bundled()
>>> "ar" in {a.lang for a in rules.affixes}
True
>>> script_of("داعش"), script_of("Ракка"), script_of("Raqqa"), script_of("123")
('Arabic', 'Cyrillic', 'Latin', None)
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .folding import fold_key, scan_form

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["LanguageAffixes", "Rules", "script_of"]


@dataclass(frozen=True, slots=True)
class LanguageAffixes:
    """One language's affixes, folded, longest first."""

    lang: str
    scripts: tuple[str, ...]
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    endings: tuple[str, ...] = ()
    stem_endings: tuple[str, ...] = ()  # stripped from lexicon words (declinable forms only)
    article: str | None = None
    article_prefixes: tuple[str, ...] = ()  # prefixes that absorbed the article
    min_stem: int = 3


@dataclass(frozen=True, slots=True)
class Rules:
    """Affixes by language and the honorifics that belong to a name (scan forms)."""

    affixes: tuple[LanguageAffixes, ...] = ()
    honorifics: tuple[str, ...] = ()
    # Derived once (every find() asks): honorifics by their last word, and the single words
    # of six letters or more, which also match with one typo.
    honorifics_by_last: dict[str, tuple[str, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    long_honorifics: tuple[str, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        by_last: dict[str, list[str]] = {}
        for h in self.honorifics:
            by_last.setdefault(h.rpartition(" ")[2], []).append(h)
        object.__setattr__(self, "honorifics_by_last", {k: tuple(v) for k, v in by_last.items()})
        long_words = tuple(h for h in self.honorifics if " " not in h and len(h) >= 6)
        object.__setattr__(self, "long_honorifics", long_words)

    @classmethod
    def load(cls, folder: str | Path) -> Rules:
        """Read ``affixes.toml`` and ``honorifics.toml`` from ``folder`` where present."""
        folder = Path(folder)
        affixes: list[LanguageAffixes] = []
        honorifics: list[str] = []
        f = folder / "affixes.toml"
        if f.is_file():
            data = tomllib.loads(f.read_text(encoding="utf-8"))
            for lang, spec in data.items():
                affixes.append(
                    LanguageAffixes(
                        lang=lang,
                        scripts=tuple(spec.get("scripts", ())),
                        prefixes=_folded(spec.get("prefixes", ())),
                        suffixes=_folded(spec.get("suffixes", ())),
                        endings=_folded(spec.get("endings", ())),
                        stem_endings=_folded(spec.get("stem_endings", ())),
                        article=fold_key(spec["article"]) if "article" in spec else None,
                        article_prefixes=_folded(spec.get("article_prefixes", ())),
                        min_stem=int(spec.get("min_stem", 3)),
                    )
                )
        f = folder / "honorifics.toml"
        if f.is_file():
            data = tomllib.loads(f.read_text(encoding="utf-8"))
            honorifics = [scan_form(fold_key(h)).strip() for h in data.get("honorifics", ())]
        return cls(tuple(affixes), _longest_first(honorifics))

    @classmethod
    def bundled(cls) -> Rules:
        from .lexicon import bundled_lexicon_dir

        return cls.load(bundled_lexicon_dir() / "_rules")

    def __add__(self, other: Rules) -> Rules:
        seen = {a.lang for a in other.affixes}
        return Rules(
            tuple(a for a in self.affixes if a.lang not in seen) + other.affixes,
            _longest_first([*self.honorifics, *other.honorifics]),
        )

    def affixes_for(self, script: str | None, lang: str | None) -> tuple[LanguageAffixes, ...]:
        """The affixes to try on a word of ``script`` in a text of language ``lang``.

        With ``lang`` given, that language's affixes. Without, those of every language that
        writes in ``script``, except Latin-script ones (English words would lose real endings).
        """
        if lang is not None:
            base = lang.replace("_", "-").split("-")[0].lower()
            return tuple(a for a in self.affixes if a.lang == base)
        if script is None or script == "Latin":
            return ()
        return tuple(a for a in self.affixes if script in a.scripts)


def _folded(items: Iterable[str]) -> tuple[str, ...]:
    return _longest_first(fold_key(i) for i in items)


def _longest_first(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({i for i in items if i}, key=lambda s: (-len(s), s)))


_SCRIPT_PREFIXES = (("ARABIC", "Arabic"), ("CYRILLIC", "Cyrillic"), ("LATIN", "Latin"))


def script_of(word: str) -> str | None:
    """The script of a word's first letter, for the scripts the rules know."""
    for ch in word:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            for prefix, script in _SCRIPT_PREFIXES:
                if name.startswith(prefix):
                    return script
            return "Other"
    return None
