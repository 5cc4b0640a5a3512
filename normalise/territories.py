"""Countries and territories generated from CLDR (through babel), never typed by hand.

One entity per CLDR territory, with its name in every CLDR locale that has one as labels and
variants. Ids follow the Wikipedia-title rule (``lexicons/_rules/territories.toml`` holds the
exceptions: CLDR's English "Türkiye" is ``turkey``). CLDR gives proper names, which running
text capitalises in every script that has case, so a generated name must start with a capital
to count: lowercase "turkey", "chad", "jersey" or "china" are words, not countries (curated
forms keep their own rules). A name from another language that is an ordinary word of a core
Latin-script language is left out, unless that language names the territory so: some
language's name for Iraq is "Iraqi", an English adjective. Names that are also given names
carry cue words. A name CLDR gives to two territories, or that a curated entity claims, is
left out.

>>> ents = {e.id: e for e in territory_entities()}
>>> ents["turkey"].labels["en"], ents["turkey"].labels["tr"], len(ents) >= 240
('Türkiye', 'Türkiye', True)
>>> [(v.text, v.capitalised) for v in ents["turkey"].variants if v.lang in ("en", "ru")]
[('Türkiye', True), ('Турция', True)]
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from .folding import fold_key
from .languages import LANGS_BY_SCRIPT
from .lexicon import Entity, Variant, bundled_lexicon_dir
from .rules import script_of

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["territory_entities"]

_WORD_ZIPF = 3.0  # about once in a million words
_PRIORITY = {
    lang: i for i, lang in enumerate(("en", "ar", "fa", "fr", "de", "ru", "tr", "es", "uk"))
}


def _slug(name: str) -> str:
    name = re.sub(r"\(.*?\)", "", name)
    name = name.replace("&", " and ").replace("St.", "Saint")
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def territory_entities(
    curated: Iterable[Entity] = (), rules_file: Path | None = None
) -> list[Entity]:
    """Every CLDR territory as an entity; names claimed by ``curated`` entities are left out.

    A territory that is also a curated entity (same id) comes back as the curated entity with
    CLDR's labels and names added beneath it: the curated labels, variants and flags win.
    """
    from babel import Locale, UnknownLocaleError, localedata

    from .frequencies import common_words

    # The ordinary words of the lexicon's languages, one set per script: a name that another
    # language gives a territory and that is an ordinary word in its script is left out
    # ("پیرو", Urdu for Peru, is "follower" in Persian). One lookup per name, not a call to
    # zipf_frequency, which tokenises its input every time.
    ordinary = {
        script: frozenset().union(*(common_words(lang, _WORD_ZIPF) for lang in langs))
        for script, langs in LANGS_BY_SCRIPT.items()
    }
    core_langs = [lang for langs in LANGS_BY_SCRIPT.values() for lang in langs]

    rules_file = rules_file or bundled_lexicon_dir() / "_rules" / "territories.toml"
    rules = tomllib.loads(rules_file.read_text(encoding="utf-8"))
    skip = set(rules.get("skip", ()))
    ids: dict[str, str] = rules.get("ids", {})
    guards: dict[str, dict[str, list[str]]] = rules.get("guards", {})

    english = {k: v for k, v in Locale("en").territories.items() if isinstance(k, str)}
    codes = sorted(c for c in english if len(c) == 2 and c.isalpha() and c not in skip)
    names: dict[str, dict[str, str]] = {c: {} for c in codes}
    for lid in sorted(localedata.locale_identifiers()):
        if "_" in lid:
            continue  # regional locales repeat their language's names
        try:
            territories = Locale.parse(lid).territories
        except (UnknownLocaleError, ValueError):
            continue
        for c in codes:
            name = territories.get(c)
            if name:
                names[c][lid.replace("_", "-")] = name

    # Names given to two territories, or claimed by a curated entity of another id, go.
    keys = {name: fold_key(name) for c in codes for name in names[c].values()}
    owners: dict[str, set[str]] = {}
    for c in codes:
        for name in names[c].values():
            owners.setdefault(keys[name], set()).add(c)
    curated_keys: dict[str, str] = {}
    curated_by_id: dict[str, Entity] = {}
    for e in curated:
        curated_by_id[e.id] = e
        for v in e.variants:
            curated_keys.setdefault(fold_key(v.text), e.id)

    out = []
    for c in codes:
        eid = ids.get(c) or _slug(english[c])
        context = tuple(guards.get(c, {}).get("context", ()))
        en_key = keys.get(english[c]) or fold_key(english[c])
        core_names = {names[c].get(core) for core in core_langs}
        variants: dict[str, Variant] = {}
        # A name several languages share is tagged with the first of the core languages.
        for lang, name in sorted(
            names[c].items(), key=lambda kv: (_PRIORITY.get(kv[0], 99), kv[0])
        ):
            key = keys[name]
            if len(owners[key]) > 1 or curated_keys.get(key, eid) != eid or len(key) < 3:
                continue
            if name in variants:
                continue
            if name not in core_names and key in ordinary.get(script_of(name) or "", ()):
                continue
            variants[name] = Variant(
                name,
                lang,
                fuzzy=lang == "en",  # fuzzy matching across 200 languages would cost precision
                capitalised=name[:1].upper() != name[:1].lower(),
                context=context if key == en_key else (),
                note="CLDR",
            )
        own = curated_by_id.get(eid)
        if own is None:
            out.append(
                Entity(
                    id=eid,
                    type="place",
                    labels=dict(names[c]),
                    variants=tuple(variants.values()),
                    sources=("cldr",),
                )
            )
            continue
        listed = {fold_key(v.text) for v in own.variants}
        extra = tuple(v for v in variants.values() if keys[v.text] not in listed)
        out.append(
            replace(
                own,
                labels={**names[c], **own.labels},
                variants=own.variants + extra,
                sources=(*own.sources, "cldr"),
            )
        )
    return out
