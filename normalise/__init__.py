"""normalise: find every mention of curated entities in multilingual text, and rewrite it.

>>> import normalise
>>> [(m.surface, m.entity_id) for m in normalise.find("Hizbullah fought ISIS near Deir Ezzor.")]
[('Hizbullah', 'hezbollah'), ('ISIS', 'islamic-state'), ('Deir Ezzor', 'deir-ez-zor')]
>>> normalise.normalise("Hizbullah fought ISIS.")
'Hezbollah fought Islamic State.'
>>> normalise.normalise("Hizbullah", target_lang="fr")
'Hezbollah'
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES

from . import matching as _matching
from .folding import Folded, fold
from .lexicon import Entity, Lexicon, LexiconError, Problem, Variant
from .normaliser import Normaliser, Options
from .output import Mention

__all__ = [
    "COMPILED",
    "Entity",
    "Folded",
    "Lexicon",
    "LexiconError",
    "Mention",
    "Normaliser",
    "Options",
    "Problem",
    "Variant",
    "default_normaliser",
    "find",
    "fold",
    "normalise",
]

__version__ = "0.1.0"

#: Whether the stages run as compiled extension modules: a wheel built with mypyc (see
#: ``hatch_build.py``), not an editable install or a build with ``NORMALISE_PURE=1``.
COMPILED = (_matching.__file__ or "").endswith(tuple(EXTENSION_SUFFIXES))

_DEFAULT: list[Normaliser] = []


def default_normaliser() -> Normaliser:
    """The normaliser over the bundled lexicons, loaded on first use and then kept.

    This is the one lexicon object the module-level functions share.
    """
    if not _DEFAULT:
        _DEFAULT.append(Normaliser())
    return _DEFAULT[0]


def find(text: str, *, lang: str | None = None) -> list[Mention]:
    """Every mention of a bundled entity in ``text``, with offsets into ``text``."""
    return default_normaliser().find(text, lang=lang)


def normalise(text: str, *, target_lang: str = "en") -> str:
    """``text`` with every mention replaced by its entity's label in ``target_lang``."""
    return default_normaliser().normalise(text, target_lang=target_lang)
