"""Build multilingual.gold.jsonl from the hand-written source.txt next to this file.

The schema of both files is in README.md. Run from the repository root:

    python tests/eval/build.py            # (re)write multilingual.gold.jsonl
    python tests/eval/build.py --check    # exit 1 if the committed JSONL is stale

Standard library only; the output depends on source.txt alone.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source.txt"
GOLD = HERE / "multilingual.gold.jsonl"

LANGS = frozenset({"en", "ar", "fr", "de", "ru", "tr", "fa", "es", "uk"})

TAGS = frozenset(
    {
        "exact",
        "transliteration",
        "misspelling",
        "clitic",
        "suffix",
        "case-ending",
        "all-caps",
        "acronym",
        "title",
    }
)

ENTITIES = frozenset(
    {
        # organisations
        "islamic-state",
        "hezbollah",
        "popular-mobilization-forces",
        "islamic-revolutionary-guard-corps",
        "quds-force",
        "israel-defense-forces",
        "supreme-national-security-council",
        # people
        "ali-khamenei",
        "ali-shamkhani",
        "barack-obama",
        "bashar-al-assad",
        "donald-trump",
        "haider-al-abadi",
        "hassan-rouhani",
        "jim-mattis",
        "qasem-soleimani",
        "robert-mugabe",
        "saad-hariri",
        "vladimir-putin",
        # places
        "abu-kamal",
        "afghanistan",
        "aleppo",
        "brussels",
        "deir-ez-zor",
        "france",
        "idlib",
        "iran",
        "iraq",
        "israel",
        "kurdistan-region",
        "lebanon",
        "libya",
        "london",
        "moscow",
        "mosul",
        "paris",
        "philippines",
        "qalamoun-mountains",
        "raqqa",
        "rawa",
        "russia",
        "saudi-arabia",
        "sochi",
        "syria",
        "syrian-desert",
        "tal-afar",
        "tehran",
        "turkey",
        "united-states",
        "zimbabwe",
    }
)

HEADER = re.compile(r"=== (?P<doc>[A-Za-z0-9][A-Za-z0-9-]*) (?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]+)*)")
MENTION = re.compile(r"\[\[(?P<surface>[^\[\]|\n]+)\|(?P<entity>[a-z0-9-]+)\|(?P<tag>[a-z-]+)\]\]")


class SourceError(ValueError):
    """A malformed source.txt; the message starts with `file:line:`."""


def _fail(source: Path, line: int, message: str) -> SourceError:
    return SourceError(f"{source}:{line}: {message}")


def _strip_markup(source: Path, line: int, marked: str) -> tuple[str, list[dict[str, Any]]]:
    """Remove the [[surface|entity|tag]] markup, returning the plain text and its mentions."""
    parts: list[str] = []
    mentions: list[dict[str, Any]] = []
    pos = 0  # in `marked`
    length = 0  # of the plain text so far
    for m in MENTION.finditer(marked):
        before = marked[pos : m.start()]
        parts.append(before)
        length += len(before)
        surface, entity, tag = m.group("surface", "entity", "tag")
        at = line + marked.count("\n", 0, m.start())
        if entity not in ENTITIES:
            raise _fail(source, at, f"unknown entity id {entity!r}")
        if tag not in TAGS:
            raise _fail(source, at, f"unknown tag {tag!r}")
        if surface != surface.strip():
            raise _fail(source, at, f"surface {surface!r} has surrounding whitespace")
        mentions.append(
            {
                "start": length,
                "end": length + len(surface),
                "surface": surface,
                "entity": entity,
                "tag": tag,
            }
        )
        parts.append(surface)
        length += len(surface)
        pos = m.end()
    parts.append(marked[pos:])
    plain = "".join(parts)
    for stray in ("[[", "]]"):
        if stray in plain:
            at = line + plain.count("\n", 0, plain.index(stray))
            raise _fail(source, at, f"stray {stray!r}: malformed mention markup")
    for mention in mentions:
        assert plain[mention["start"] : mention["end"]] == mention["surface"], mention
    return plain, mentions


def build(source: Path = SOURCE) -> list[dict[str, Any]]:
    """Parse `source` into gold documents, in source order."""
    lines = source.read_text(encoding="utf-8").splitlines()
    docs: list[dict[str, Any]] = []
    seen: set[str] = set()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    while i < len(lines):
        header = HEADER.fullmatch(lines[i])
        if header is None:
            raise _fail(source, i + 1, f"expected a '=== <doc-id> <lang>' header, got {lines[i]!r}")
        doc, lang = header.group("doc", "lang")
        if doc in seen:
            raise _fail(source, i + 1, f"duplicate document id {doc!r}")
        if lang not in LANGS:
            raise _fail(source, i + 1, f"unexpected language tag {lang!r}")
        seen.add(doc)
        i += 1
        while i < len(lines) and lines[i].startswith("#"):
            i += 1  # comments right after the header
        first = i
        while i < len(lines) and not lines[i].startswith("=== "):
            i += 1
        marked = "\n".join(lines[first:i]).rstrip("\n")
        if not marked.strip():
            raise _fail(source, first + 1, f"document {doc!r} has no text")
        text, mentions = _strip_markup(source, first + 1, marked)
        docs.append({"doc": doc, "lang": lang, "text": text, "mentions": mentions})
    return docs


def dumps(docs: list[dict[str, Any]]) -> str:
    """The JSONL text: one document per line, UTF-8 characters unescaped."""
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)


def summary(docs: list[dict[str, Any]]) -> str:
    """Mentions per language and per tag, one `key count` pair per line."""
    by_lang: dict[str, int] = {}
    by_tag: dict[str, int] = {}
    for d in docs:
        for m in d["mentions"]:
            by_lang[d["lang"]] = by_lang.get(d["lang"], 0) + 1
            by_tag[m["tag"]] = by_tag.get(m["tag"], 0) + 1
    total = sum(by_lang.values())
    lines = [f"{len(docs)} documents, {total} mentions"]
    lines += [f"  lang {k:<16}{v:>4}" for k, v in sorted(by_lang.items())]
    lines += [f"  tag  {k:<16}{v:>4}" for k, v in sorted(by_tag.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build multilingual.gold.jsonl from source.txt.")
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=GOLD)
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the output is stale"
    )
    args = parser.parse_args(argv)
    try:
        docs = build(args.source)
    except SourceError as e:
        print(e, file=sys.stderr)
        return 2
    text = dumps(docs)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"{args.output} is stale: run python tests/eval/build.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.output}")
    print(summary(docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
