"""The lexicon checker: every problem of every entity file, as ``file:line: message``.

Schema problems come from :func:`normalise.lexicon.parse_entity_file`; this module adds the
checks across files: duplicate ids, a variant claimed by two entities, a variant listed twice
in one entity, and source keys missing from ``SOURCES.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from .cache import load_bundled
from .folding import fold_key
from .index import zipf
from .lexicon import (
    Entity,
    LexiconError,
    Problem,
    Variant,
    _Lines,
    _toml_files,
    parse_entity_file,
)
from .rules import script_of

# A one-word Latin-script variant at least this frequent as a lowercase word (Zipf, in English
# or its own language: 4.5 is once in 30,000 words) must say how it is told from the word.
ORDINARY_ZIPF = 4.5


def _ordinary(v: Variant) -> bool:
    if v.case_sensitive or v.capitalised or v.guarded:
        return False
    key = fold_key(v.text)
    if " " in key or script_of(key) != "Latin":
        return False
    langs = {"en", (v.lang or "en").split("-")[0]}
    return any(zipf(key, lang) >= ORDINARY_ZIPF for lang in langs)


__all__ = ["check_paths", "source_keys"]


def source_keys(folder: Path) -> set[str] | None:
    """The keys of the sources table in ``SOURCES.md`` at or above ``folder``, if any."""
    for d in (folder, *folder.parents):
        f = d / "SOURCES.md"
        if f.is_file():
            keys = set()
            for line in f.read_text(encoding="utf-8").splitlines():
                m = re.match(r"^\|\s*([a-z0-9][a-z0-9_-]*)\s*\|", line)
                if m and m.group(1) != "key":
                    keys.add(m.group(1))
            return keys
        if (d / "pyproject.toml").exists():
            break
    return None


def check_paths(
    paths: Iterable[str | Path], *, require_wikidata: bool = False
) -> tuple[list[Entity], list[Problem]]:
    """Check the entity files under ``paths``; return the good entities and every problem.

    ``require_wikidata`` makes a missing ``wikidata`` id a problem (the bundled lexicons
    demand one of every curated entity); a Wikidata id used twice always is one.
    """
    paths = [Path(p) for p in paths]
    problems: list[Problem] = []
    files = _toml_files(paths, problems)
    entities: list[Entity] = []
    for f in files:
        entity, found = parse_entity_file(f)
        problems.extend(found)
        if entity is not None:
            entities.append(entity)

    lines: dict[str, _Lines] = {}

    def line_of(entity: Entity, *where: object) -> int:
        assert entity.path is not None
        if entity.path not in lines:
            lines[entity.path] = _Lines(Path(entity.path).read_text(encoding="utf-8"))
        return lines[entity.path].line(*where)

    folder_type = {"organisations": "organisation", "people": "person", "places": "place"}
    known_sources: dict[Path, set[str] | None] = {}
    first_id: dict[str, Entity] = {}
    claimed: dict[tuple[str, bool], tuple[Entity, Variant]] = {}
    for e in entities:
        assert e.path is not None
        path = Path(e.path)
        if e.id in first_id:
            problems.append(
                Problem(
                    e.path, line_of(e, "id"), f"id '{e.id}' is also used by {first_id[e.id].path}"
                )
            )
        first_id.setdefault(e.id, e)
        expected = folder_type.get(path.parent.name)
        if expected and e.type != expected:
            problems.append(
                Problem(
                    e.path,
                    line_of(e, "type"),
                    f"type '{e.type}' in folder '{path.parent.name}/' (expected '{expected}')",
                )
            )
        if path.parent not in known_sources:
            known_sources[path.parent] = source_keys(path.parent)
        keys = known_sources[path.parent]
        if keys is not None:
            for s in e.sources:
                if s not in keys:
                    problems.append(
                        Problem(
                            e.path,
                            line_of(e, "sources"),
                            f"source '{s}' is not a key of the table in SOURCES.md",
                        )
                    )

        seen_here: dict[tuple[str, bool], int] = {}
        explicit = 0
        for v in e.variants:
            is_label = v.note == "label"
            where: tuple[object, ...] = (
                ("labels", v.lang) if is_label else ("variants", explicit, "text")
            )
            if not is_label:
                explicit += 1
            key = (fold_key(v.text), v.case_sensitive)
            if not key[0]:
                problems.append(
                    Problem(
                        e.path,
                        line_of(e, *where),
                        f"variant {v.text!r} has no letters or digits to match",
                    )
                )
                continue
            if key in seen_here and not is_label:
                problems.append(
                    Problem(
                        e.path,
                        line_of(e, *where),
                        f"variant {v.text!r} repeats an earlier form of this entity once folded "
                        f"(line {seen_here[key]})",
                    )
                )
                continue
            seen_here.setdefault(key, line_of(e, *where))
            if not is_label and _ordinary(v):
                problems.append(
                    Problem(
                        e.path,
                        line_of(e, *where),
                        f"variant {v.text!r} is also an ordinary word: set case_sensitive, "
                        "capitalised or context, or leave it out",
                    )
                )
            owner = claimed.get(key)
            if owner is not None and owner[1].guarded and v.guarded:
                pass  # declared ambiguous on both sides, with cues to tell them apart
            elif owner is not None and owner[0].id != e.id:
                problems.append(
                    Problem(
                        e.path,
                        line_of(e, *where),
                        f"variant {v.text!r} is also claimed by '{owner[0].id}' "
                        f"({owner[0].path}: {owner[1].text!r}); if both are right, give "
                        "both context cues or cue entities",
                    )
                )
            else:
                claimed.setdefault(key, (e, v))
    problems.extend(_identity_problems(entities, line_of, require_wikidata=require_wikidata))
    problems.sort(key=lambda p: (p.path, p.line))
    return entities, problems


def _identity_problems(
    entities: list[Entity],
    line_of: Callable[..., int],
    *,
    require_wikidata: bool,
) -> list[Problem]:
    """Wikidata ids missing or used twice, and cue entities that name no known entity."""
    out: list[Problem] = []
    by_qid: dict[str, Entity] = {}
    for e in entities:
        assert e.path is not None
        if e.wikidata is None:
            if require_wikidata:
                out.append(Problem(e.path, line_of(e, "id"), "field 'wikidata' is required"))
            continue
        first = by_qid.setdefault(e.wikidata, e)
        if first is not e:
            out.append(
                Problem(
                    e.path,
                    line_of(e, "wikidata"),
                    f"wikidata id {e.wikidata} is also used by '{first.id}' ({first.path})",
                )
            )
    known = {e.id for e in entities} | _bundled_ids()
    for e in entities:
        assert e.path is not None
        explicit = [v for v in e.variants if v.note != "label"]
        for i, v in enumerate(explicit):
            for cue in v.cue_entities:
                if cue not in known:
                    out.append(
                        Problem(
                            e.path,
                            line_of(e, "variants", i, "cue_entities"),
                            f"variant {v.text!r}: cue entity '{cue}' is not an entity id",
                        )
                    )
    return out


def _bundled_ids() -> set[str]:
    """The ids of the bundled lexicon (curated and generated), which any lexicon may cue."""
    try:
        return {e.id for e in load_bundled().entities}
    except LexiconError:
        return set()  # its own problems are reported where its files are checked
