"""Lexicons: entities, their labels and variants, loaded from TOML files or built in memory.

A lexicon is one explicit object. It is cheap to pickle (the compiled index is rebuilt on
first use in the receiving process) and two lexicons combine with ``+``.

>>> lex = Lexicon.from_dict({"Hezbollah": ["Hizbullah", "Hizb Allah"]})
>>> [v.text for v in lex["Hezbollah"].variants]
['Hizbullah', 'Hizb Allah']
>>> len(lex + Lexicon.from_dict({"Iraq": ["Iraq"]}))
2
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from .fuzzy import WordIndex
    from .index import Index
    from .rules import Rules

__all__ = [
    "ENTITY_TYPES",
    "MAX_VARIANT_CHARS",
    "Entity",
    "Lexicon",
    "LexiconError",
    "Problem",
    "Variant",
    "bundled_lexicon_dir",
    "normalise_tag",
]

ENTITY_TYPES = ("organisation", "person", "place")
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")
_ENTITY_KEYS = {"id", "type", "labels", "variants", "wikidata", "sources"}
_VARIANT_KEYS = {
    "text",
    "lang",
    "case_sensitive",
    "capitalised",
    "fuzzy",
    "note",
    "context",
    "cue_entities",
}
# A name longer than this is no name: refused, so that no input can make matching slow.
MAX_VARIANT_CHARS = 256
# TOML nested deeper than this (arrays, inline tables) is refused before it is parsed, and so
# is a line longer than this (the bundled files' longest is 725): tomllib takes a second to
# read a 1 MB string.
_MAX_TOML_DEPTH = 32
_MAX_LINE_CHARS = 8192


def form_problem(text: str) -> str | None:
    """Why ``text`` cannot be a variant or label, or None: too long (its start is quoted,
    not all of it), or with no letter or digit to match.

    >>> form_problem("Daesh") is None, form_problem("...")
    (True, "'...' has no letter or digit")
    >>> form_problem("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' is 1,000 characters long, over the limit of 256"
    """
    if len(text) > MAX_VARIANT_CHARS:
        return (
            f"{text[:30] + '…'!r} is {len(text):,} characters long, "
            f"over the limit of {MAX_VARIANT_CHARS}"
        )
    if not any(c.isalnum() for c in text):
        return f"{text!r} has no letter or digit"
    return None


def _long_line(raw: str) -> tuple[int, str] | None:
    """The first line of ``raw`` longer than the limit, with its number, or None."""
    if len(raw) <= _MAX_LINE_CHARS:
        return None
    start = 0
    for number, end in enumerate(_line_ends(raw), start=1):
        if end - start > _MAX_LINE_CHARS:
            return number, raw[start:end]
        start = end + 1
    return None


def _line_ends(raw: str) -> Iterator[int]:
    at = raw.find("\n")
    while at >= 0:
        yield at
        at = raw.find("\n", at + 1)
    yield len(raw)


def _too_deep(raw: str) -> int:
    """The line where ``raw`` nests arrays or inline tables deeper than the limit, or 0.
    Brackets in strings count too: an overestimate that no entity file comes near."""
    depth = 0
    line = 1
    for m in re.finditer(r"[\[\]{}\n]", raw):
        c = m.group()
        if c == "\n":
            line += 1
        elif c in "[{":
            depth += 1
            if depth > _MAX_TOML_DEPTH:
                return line
        else:
            depth = max(0, depth - 1)
    return 0


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a lexicon file, located by file and line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class LexiconError(ValueError):
    """A lexicon could not be loaded; ``problems`` lists every ``file:line: message``."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class Variant:
    """One way texts write an entity's name."""

    text: str
    lang: str | None = None
    case_sensitive: bool = False
    fuzzy: bool = True
    note: str | None = None
    context: tuple[str, ...] = ()  # cue words: an ambiguous form counts only near one
    capitalised: bool = False  # must start with a capital: "Turkey", "TURKEY", not "turkey"
    # cue entities: an ambiguous form also counts where one of these entities (ids) is
    # mentioned in the same text, in whatever language or script ("IS" beside "Syrien")
    cue_entities: tuple[str, ...] = ()

    @property
    def guarded(self) -> bool:
        """Whether the form counts only where the text backs it (cue words or entities)."""
        return bool(self.context or self.cue_entities)

    # Plain constructor calls unpickle ten times faster than dataclasses' generic setstate,
    # which matters for the cached lexicon's tens of thousands of variants.
    def __reduce__(self) -> tuple[Any, ...]:
        return (
            Variant,
            (
                self.text,
                self.lang,
                self.case_sensitive,
                self.fuzzy,
                self.note,
                self.context,
                self.capitalised,
                self.cue_entities,
            ),
        )


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity: its id, type, labels by language and the variants that name it."""

    id: str
    type: str
    labels: Mapping[str, str]
    variants: tuple[Variant, ...]
    wikidata: str | None = None
    sources: tuple[str, ...] = ()
    path: str | None = field(default=None, compare=False)

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            Entity,
            (
                self.id,
                self.type,
                self.labels,
                self.variants,
                self.wikidata,
                self.sources,
                self.path,
            ),
        )

    def label(self, lang: str = "en") -> str:
        """The label in ``lang``, falling back through the locale chain, then to English.

        >>> e = Entity("iraq", "place", {"en": "Iraq", "ar": "العراق"}, ())
        >>> e.label("ar_IQ"), e.label("fr")
        ('العراق', 'Iraq')
        """
        from .output import label_for

        return label_for(self, lang)


def normalise_tag(tag: str) -> str | None:
    """A BCP 47 tag in canonical case (``zh-hans`` -> ``zh-Hans``), or None if unknown.

    >>> normalise_tag("ar_iq"), normalise_tag("zh-hans"), normalise_tag("xx-nope")
    ('ar-IQ', 'zh-Hans', None)
    """
    from babel import Locale, UnknownLocaleError

    if tag == "und":
        return tag
    try:
        loc = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return "-".join(p for p in (loc.language, loc.script, loc.territory) if p)


class Lexicon:
    """An ordered set of entities, with the compiled index built on first use."""

    __slots__ = ("_all_rules", "_by_id", "_entities", "_index", "_rules", "_words")

    def __init__(self, entities: Iterable[Entity] = (), *, rules: Rules | None = None) -> None:
        merged: dict[str, Entity] = {}
        for e in entities:
            merged[e.id] = _merge(merged[e.id], e) if e.id in merged else e
        self._entities = tuple(merged.values())
        self._by_id = merged
        self._rules = rules
        self._all_rules: Rules | None = None
        self._index: Index | None = None
        self._words: WordIndex | None = None

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def load(cls, *paths: str | Path, fuzzy: bool = True) -> Lexicon:
        """Load TOML entity files, or every ``*.toml`` under the given folders.

        A folder's ``_rules/`` (affixes, honorifics) is added to the bundled rules.
        ``fuzzy=False`` turns fuzzy matching off for every variant of this lexicon.
        Raises :class:`LexiconError` listing every problem found, each with file and line.
        """
        entities: list[Entity] = []
        problems: list[Problem] = []
        for path in _toml_files(paths, problems):
            entity, found = parse_entity_file(path)
            problems.extend(found)
            if entity is not None and not found:
                entities.append(entity)
        if problems:
            raise LexiconError(problems)
        if not fuzzy:
            entities = [_without_fuzzy(e) for e in entities]
        rules = None
        for p in map(Path, paths):
            if (p / "_rules").is_dir():
                from .rules import Rules

                rules = (rules or Rules()) + Rules.load(p / "_rules")
        return cls(entities, rules=rules)

    @classmethod
    def bundled(cls) -> Lexicon:
        """The lexicons shipped with the package: curated entities and CLDR territories.

        Compiled once and cached on disk by content hash (see :mod:`normalise.cache`).
        """
        from .cache import load_bundled

        return load_bundled()

    @classmethod
    def from_dict(
        cls,
        mapping: Mapping[str, Iterable[str]],
        *,
        case_sensitive: bool = False,
        fuzzy: bool = True,
    ) -> Lexicon:
        """Build a lexicon from FlashText's ``{canonical: [variants]}`` shape.

        Each key becomes an entity whose id and label is the key; only the listed variants
        are matched, as in FlashText.

        >>> Lexicon.from_dict({"IS": ["IS"]}, case_sensitive=True)["IS"].variants[0].case_sensitive
        True
        """
        if not isinstance(mapping, Mapping):
            raise TypeError(
                "from_dict() expects a mapping of str to lists of str, "
                f"got {type(mapping).__name__}"
            )
        entities = []
        for key, variants in mapping.items():
            if isinstance(variants, str):
                raise TypeError(f"variants of {key!r} must be a list of str, not a single str")
            vs = tuple(
                Variant(text=v, case_sensitive=case_sensitive, fuzzy=fuzzy)
                for v in variants
                if v.strip()
            )
            for v in vs:
                if len(v.text) > MAX_VARIANT_CHARS:
                    raise ValueError(f"variant of {key!r}: {form_problem(v.text)}")
            entities.append(Entity(id=key, type="other", labels={"und": key}, variants=vs))
        return cls(entities)

    def __add__(self, other: Lexicon) -> Lexicon:
        """Combine two lexicons; an id in both merges labels and variants, ``other`` last."""
        if not isinstance(other, Lexicon):
            return NotImplemented
        rules = other._rules if self._rules is None else self._rules
        if self._rules is not None and other._rules is not None:
            rules = self._rules + other._rules
        return Lexicon(self._entities + other._entities, rules=rules)

    # -- access ---------------------------------------------------------------------------

    @property
    def entities(self) -> tuple[Entity, ...]:
        return self._entities

    @property
    def index(self) -> Index:
        """The compiled matching index, built once on first use."""
        if self._index is None:
            from .fuzzy import anchor_words
            from .index import Index

            rules = self.rules
            self._index = Index.build(
                self._entities, anchors=lambda entries: anchor_words(entries, rules)
            )
        return self._index

    @property
    def rules(self) -> Rules:
        """The language rules: the bundled ones plus any loaded with this lexicon."""
        if self._all_rules is None:  # read once: every find() asks
            from .rules import Rules

            bundled = Rules.bundled()
            self._all_rules = bundled if self._rules is None else bundled + self._rules
        return self._all_rules

    @property
    def words(self) -> WordIndex:
        """The word-level index for affixes and fuzzy matching, built once on first use."""
        if self._words is None:
            from .fuzzy import WordIndex

            self._words = WordIndex.build(self.index, self.rules)
        return self._words

    def __len__(self) -> int:
        return len(self._entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self._entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._by_id

    def __getitem__(self, entity_id: str) -> Entity:
        return self._by_id[entity_id]

    def __repr__(self) -> str:
        return f"<Lexicon of {len(self._entities)} entities>"

    def compiled_state(self) -> _Compiled:
        """This lexicon with its compiled indexes, for the on-disk cache."""
        return _Compiled(self)

    # The index holds an automaton that cannot be pickled; the entities can, and the index
    # is rebuilt on first use in the receiving process (see compiled_state for the cache).
    def __getstate__(self) -> tuple[tuple[Entity, ...], Rules | None]:
        return self._entities, self._rules

    def __setstate__(self, state: tuple[tuple[Entity, ...], Rules | None]) -> None:
        self._entities, self._rules = state
        self._all_rules = None
        self._by_id = {e.id: e for e in self._entities}
        self._index = None
        self._words = None


def _merge(a: Entity, b: Entity) -> Entity:
    seen = {(v.text, v.case_sensitive) for v in a.variants}
    extra = tuple(v for v in b.variants if (v.text, v.case_sensitive) not in seen)
    return replace(
        a,
        labels={**a.labels, **b.labels},
        variants=a.variants + extra,
        wikidata=a.wikidata or b.wikidata,
        sources=a.sources + tuple(s for s in b.sources if s not in a.sources),
    )


class _Compiled:
    """Pickles a lexicon with its index and word index; unpickles to the Lexicon itself."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __reduce__(self) -> tuple[Any, ...]:
        lex = self.lexicon
        return (_restore, (lex._entities, lex._rules, lex._index, lex._words))


def _restore(
    entities: tuple[Entity, ...], rules: Rules | None, index: Index | None, words: WordIndex | None
) -> Lexicon:
    lex = Lexicon.__new__(Lexicon)
    lex._entities = entities
    lex._by_id = {e.id: e for e in entities}
    lex._rules = rules
    lex._all_rules = None
    lex._index = index
    lex._words = words
    return lex


def _without_fuzzy(e: Entity) -> Entity:
    return replace(e, variants=tuple(replace(v, fuzzy=False) for v in e.variants))


def bundled_lexicon_dir() -> Path:
    """Where the shipped lexicons are: inside the installed package, or the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "lexicons", here.parent / "lexicons"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled lexicons not found beside {here}")


def _toml_files(paths: Iterable[str | Path], problems: list[Problem]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            # Folders and files starting with "_" hold rules, not entities.
            files.extend(
                f
                for f in sorted(p.rglob("*.toml"))
                if not any(part.startswith("_") for part in f.relative_to(p).parts)
            )
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), 0, "no such file or folder"))
    return files


# -- parsing one file -------------------------------------------------------------------------


class _Lines:
    """Line numbers of keys in a TOML file of this format (tomllib reports none)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?")
    _KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")

    def __init__(self, text: str) -> None:
        self.where: dict[tuple[Any, ...], int] = {}
        table: tuple[Any, ...] = ()
        counts: dict[str, int] = {}
        for n, line in enumerate(text.splitlines(), start=1):
            m = self._HEADER.match(line)
            if m:
                name = m.group(2)
                if m.group(1) == "[[":
                    i = counts.get(name, 0)
                    counts[name] = i + 1
                    table = (name, i)
                else:
                    table = (name,)
                self.where.setdefault(table, n)
                continue
            m = self._KEY.match(line)
            if m:
                self.where.setdefault((*table, m.group(1).strip("\"'")), n)

    def line(self, *path: Any) -> int:
        while path:
            if path in self.where:
                return self.where[path]
            path = path[:-1]
        return 1


def parse_entity_file(path: Path) -> tuple[Entity | None, list[Problem]]:
    """Parse and validate the schema of one entity file."""
    name = str(path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, f"invalid UTF-8: {exc.reason}")]
    except OSError as exc:
        return None, [Problem(name, 0, f"cannot read: {exc.strerror}")]
    long = _long_line(raw)
    if long is not None:
        number, content = long
        return None, [
            Problem(
                name,
                number,
                f"line of {len(content):,} characters, over the limit of {_MAX_LINE_CHARS:,} "
                f"(a variant or label is at most {MAX_VARIANT_CHARS}): {content[:40] + '…'!r}",
            )
        ]
    deep = _too_deep(raw)
    if deep:
        return None, [Problem(name, deep, f"nested more than {_MAX_TOML_DEPTH} levels deep")]
    try:
        data = tomllib.loads(raw)
    except RecursionError:
        return None, [Problem(name, 1, "invalid TOML: nested too deeply")]
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return None, [Problem(name, int(m.group(1)) if m else 1, f"invalid TOML: {exc}")]
    lines = _Lines(raw)
    problems: list[Problem] = []

    def bad(message: str, *where: Any) -> None:
        problems.append(Problem(name, lines.line(*where), message))

    for key in sorted(set(data) - _ENTITY_KEYS):
        bad(f"unknown field '{key}' (expected one of {', '.join(sorted(_ENTITY_KEYS))})", key)
    eid = data.get("id")
    if not isinstance(eid, str) or not eid:
        bad("field 'id' is required and must be a string", "id")
        eid = path.stem
    elif not _ID_RE.match(eid):
        bad(
            f"id '{eid}' is not kebab case (lowercase ASCII letters and digits joined by '-')", "id"
        )
    elif path.stem != eid:
        bad(f"id '{eid}' does not match the file name '{path.name}'", "id")
    etype = data.get("type")
    if etype not in ENTITY_TYPES:
        bad(f"field 'type' must be one of {', '.join(ENTITY_TYPES)}, got {etype!r}", "type")
    wikidata = data.get("wikidata")
    if wikidata is not None and (not isinstance(wikidata, str) or not _WIKIDATA_RE.match(wikidata)):
        bad(f"field 'wikidata' must look like 'Q123', got {wikidata!r}", "wikidata")
    sources = data.get("sources", [])
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
        bad("field 'sources' must be a non-empty list of source keys (see SOURCES.md)", "sources")
        sources = []

    labels: dict[str, str] = {}
    raw_labels = data.get("labels")
    if not isinstance(raw_labels, dict) or not raw_labels:
        bad("table [labels] is required, with at least an 'en' label", "labels")
    else:
        for tag, text in raw_labels.items():
            canon = normalise_tag(tag)
            if canon is None:
                bad(f"labels: '{tag}' is not a language tag known to CLDR", "labels", tag)
            elif not isinstance(text, str) or not text.strip():
                bad(f"labels.{tag} must be a non-empty string", "labels", tag)
            elif form_problem(text.strip()):
                bad(f"labels.{tag}: {form_problem(text.strip())}", "labels", tag)
            else:
                labels[canon] = text.strip()
        if "en" not in labels and not problems:
            bad("labels: an 'en' label is required", "labels")

    variants: list[Variant] = []
    raw_variants = data.get("variants", [])
    if not isinstance(raw_variants, list):
        bad("'variants' must be an array of tables: [[variants]]", "variants")
        raw_variants = []
    for i, v in enumerate(raw_variants):
        if not isinstance(v, dict):
            bad(f"variants[{i}] must be a table", "variants", i)
            continue
        for key in sorted(set(v) - _VARIANT_KEYS):
            bad(
                f"variants[{i}]: unknown field '{key}' "
                f"(expected one of {', '.join(sorted(_VARIANT_KEYS))})",
                "variants",
                i,
                key,
            )
        text = v.get("text")
        if not isinstance(text, str) or not text.strip():
            bad(
                f"variants[{i}]: field 'text' is required and must be a non-empty string",
                "variants",
                i,
                "text",
            )
            continue
        problem = form_problem(text.strip())
        if problem is not None:
            bad(f"variants[{i}]: text {problem}", "variants", i, "text")
            continue
        if text != text.strip():
            bad(
                f"variants[{i}]: text {text!r} has leading or trailing spaces",
                "variants",
                i,
                "text",
            )
        lang = v.get("lang")
        if lang is not None:
            canon = normalise_tag(lang) if isinstance(lang, str) else None
            if canon is None:
                bad(
                    f"variants[{i}]: lang {lang!r} is not a language tag known to CLDR",
                    "variants",
                    i,
                    "lang",
                )
            lang = canon
        flags = {}
        for key in ("case_sensitive", "capitalised", "fuzzy"):
            if key in v and not isinstance(v[key], bool):
                bad(
                    f"variants[{i}]: '{key}' must be true or false, got {v[key]!r}",
                    "variants",
                    i,
                    key,
                )
            else:
                flags[key] = v.get(key, key == "fuzzy")
        note = v.get("note")
        if note is not None and not isinstance(note, str):
            bad(f"variants[{i}]: 'note' must be a string", "variants", i, "note")
            note = None
        context = v.get("context", [])
        if not isinstance(context, list) or not all(
            isinstance(c, str) and c.strip() for c in context
        ):
            bad(f"variants[{i}]: 'context' must be a list of cue words", "variants", i, "context")
            context = []
        cue_entities = v.get("cue_entities", [])
        if not isinstance(cue_entities, list) or not all(
            isinstance(c, str) and _ID_RE.match(c) for c in cue_entities
        ):
            bad(
                f"variants[{i}]: 'cue_entities' must be a list of entity ids (kebab case)",
                "variants",
                i,
                "cue_entities",
            )
            cue_entities = []
        variants.append(
            Variant(
                text.strip(),
                lang,
                flags.get("case_sensitive", False),
                flags.get("fuzzy", True),
                note,
                tuple(c.strip() for c in context),
                flags.get("capitalised", False),
                tuple(cue_entities),
            )
        )

    if problems:
        return None, problems
    # Labels are names too: they match like variants (case-insensitively), unless a listed
    # variant folds to the same form, whose flags then rule ("París" must not undo a
    # capitalised "Paris", nor a label an acronym's case sensitivity).
    from .folding import fold_key

    listed = {fold_key(v.text) for v in variants}
    for tag, text in labels.items():
        if fold_key(text) not in listed:
            variants.append(Variant(text, tag, False, True, "label"))
            listed.add(fold_key(text))
    assert isinstance(etype, str)
    return (
        Entity(eid, etype, labels, tuple(variants), wikidata, tuple(sources), name),
        problems,
    )
