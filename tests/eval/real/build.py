"""Build real.gold.jsonl from the hand-annotated real-text sources next to this file.

Every `<lang>.txt` in this folder holds published passages (Wikipedia, Wikinews,
US-government press releases) with each organisation, person and place marked
inline as `[[surface|entity-id|type]]`. The format and the schema of the output
are described in README.md. Run from the repository root:

    python tests/eval/real/build.py            # (re)write real.gold.jsonl
    python tests/eval/real/build.py --check    # exit 1 if stale, 2 if a source is malformed

Standard library only; the output depends on the `*.txt` sources alone (read in
sorted file-name order, documents in file order).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOLD = HERE / "real.gold.jsonl"

LANGS = frozenset({"en", "fr", "de", "es", "ar", "fa", "ru", "tr"})
TYPES = frozenset({"org", "person", "place"})
REQUIRED = ("source", "licence", "title")
KNOWN_KEYS = frozenset({*REQUIRED, "note"})
LICENCE_PREFIXES = ("CC BY", "public domain")

HEADER = re.compile(r"=== (?P<doc>\S+) (?P<lang>\S+)")
DOC_ID = re.compile(r"(?P<lang>[a-z]{2})-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*")
COMMENT = re.compile(r"# (?P<key>[a-z]+): (?P<value>\S.*)")
# Any three `|`-separated fields between [[ and ]]; each field is validated separately
# so that a bad type or id gets its own message rather than a generic "stray [[".
MENTION = re.compile(
    r"\[\[(?P<surface>[^\[\]|\n]*)\|(?P<entity>[^\[\]|\n]*)\|(?P<type>[^\[\]|\n]*)\]\]"
)
ENTITY_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class SourceError(ValueError):
    """Malformed source input; each message starts with `file:line:`."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class _Errors:
    messages: list[str] = field(default_factory=list)

    def add(self, path: Path, line: int, message: str) -> None:
        self.messages.append(f"{_display(path)}:{line}: {message}")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _strip_markup(
    path: Path, first_line: int, marked: str, errors: _Errors
) -> tuple[str, list[dict[str, Any]]]:
    """Remove the [[surface|entity-id|type]] markup; return plain text and mentions."""
    parts: list[str] = []
    mentions: list[dict[str, Any]] = []
    pos = 0  # in `marked`
    length = 0  # of the plain text so far
    for m in MENTION.finditer(marked):
        before = marked[pos : m.start()]
        parts.append(before)
        length += len(before)
        surface, entity, kind = m.group("surface", "entity", "type")
        at = first_line + marked.count("\n", 0, m.start())
        if not surface.strip():
            errors.add(path, at, f"empty surface in {m.group(0)!r}")
        elif surface != surface.strip():
            errors.add(path, at, f"surface {surface!r} has surrounding whitespace")
        if not ENTITY_ID.fullmatch(entity):
            errors.add(path, at, f"bad entity id {entity!r} (want kebab-case ASCII: a-z, 0-9, -)")
        if kind not in TYPES:
            errors.add(path, at, f"unknown type {kind!r} (want one of {', '.join(sorted(TYPES))})")
        mentions.append(
            {
                "start": length,
                "end": length + len(surface),
                "surface": surface,
                "entity": entity,
                "tag": kind,
            }
        )
        parts.append(surface)
        length += len(surface)
        pos = m.end()
    parts.append(marked[pos:])
    plain = "".join(parts)
    # Anything left that looks like markup is malformed; report each stray occurrence.
    for stray in ("[[", "]]"):
        start = 0
        while (index := plain.find(stray, start)) != -1:
            at = first_line + plain.count("\n", 0, index)
            errors.add(path, at, f"stray {stray!r}: malformed mention markup")
            start = index + len(stray)
    for mention in mentions:
        assert plain[mention["start"] : mention["end"]] == mention["surface"], mention
    return plain, mentions


def _parse_file(path: Path, seen: dict[str, str], errors: _Errors) -> list[dict[str, Any]]:
    """Parse one `<lang>.txt` source into documents (file order)."""
    file_lang = path.stem
    lines = path.read_text(encoding="utf-8").splitlines()
    docs: list[dict[str, Any]] = []
    if file_lang not in LANGS:
        errors.add(
            path, 1, f"file name must be <lang>.txt with lang one of {', '.join(sorted(LANGS))}"
        )
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    while i < len(lines):
        header_line = i + 1
        header = HEADER.fullmatch(lines[i])
        if header is None:
            errors.add(
                path, header_line, f"expected a '=== <doc-id> <lang>' header, got {lines[i]!r}"
            )
            # skip to the next header so that later documents are still checked
            i += 1
            while i < len(lines) and not lines[i].startswith("=== "):
                i += 1
            continue
        doc, lang = header.group("doc", "lang")
        if lang not in LANGS:
            errors.add(path, header_line, f"unknown language {lang!r}")
        elif lang != file_lang:
            errors.add(path, header_line, f"language {lang!r} does not match the file {path.name}")
        id_match = DOC_ID.fullmatch(doc)
        if id_match is None:
            errors.add(
                path, header_line, f"bad document id {doc!r} (want <lang>-<nn>-<slug>, a-z 0-9 -)"
            )
        elif id_match.group("lang") != lang:
            errors.add(
                path, header_line, f"document id {doc!r} does not start with its language {lang!r}"
            )
        if doc in seen:
            errors.add(path, header_line, f"duplicate document id {doc!r} (first at {seen[doc]})")
        else:
            seen[doc] = f"{_display(path)}:{header_line}"
        i += 1
        meta: dict[str, str] = {}
        while i < len(lines) and lines[i].startswith("#"):
            comment = COMMENT.fullmatch(lines[i].rstrip())
            if comment is None:
                errors.add(path, i + 1, f"malformed comment {lines[i]!r} (want '# key: value')")
            else:
                key, value = comment.group("key", "value")
                if key not in KNOWN_KEYS:
                    errors.add(
                        path,
                        i + 1,
                        f"unknown comment key {key!r} (want {', '.join(sorted(KNOWN_KEYS))})",
                    )
                elif key in meta:
                    errors.add(path, i + 1, f"repeated comment key {key!r}")
                else:
                    meta[key] = value.strip()
            i += 1
        for key in REQUIRED:
            if key not in meta:
                errors.add(path, header_line, f"document {doc!r} lacks a '# {key}: ...' comment")
        if "source" in meta and not meta["source"].startswith(("https://", "http://")):
            errors.add(path, header_line, f"source {meta['source']!r} is not a URL")
        if "licence" in meta and not meta["licence"].startswith(LICENCE_PREFIXES):
            errors.add(
                path,
                header_line,
                f"licence {meta['licence']!r} should start with one of {LICENCE_PREFIXES}",
            )
        first = i
        while i < len(lines) and not lines[i].startswith("=== "):
            if lines[i].startswith("#"):
                errors.add(
                    path, i + 1, "comment line inside the text (comments go right after the header)"
                )
            i += 1
        body = lines[first:i]
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
            first += 1
        if not body:
            errors.add(path, header_line, f"document {doc!r} has no text")
            continue
        text, mentions = _strip_markup(path, first + 1, "\n".join(body), errors)
        docs.append(
            {
                "doc": doc,
                "lang": lang,
                "text": text,
                "source": meta.get("source", ""),
                "licence": meta.get("licence", ""),
                "title": meta.get("title", ""),
                # Every named organisation, person and place is marked: every mention the
                # normaliser finds is scored, whatever its entity.
                "complete": True,
                "mentions": mentions,
            }
        )
    return docs


def sources(folder: Path = HERE) -> list[Path]:
    """The `*.txt` sources of `folder`, in sorted file-name order."""
    return sorted(folder.glob("*.txt"), key=lambda p: p.name)


def build(paths: list[Path] | None = None) -> list[dict[str, Any]]:
    """Parse the sources into gold documents; raise SourceError listing every problem."""
    errors = _Errors()
    seen: dict[str, str] = {}
    docs: list[dict[str, Any]] = []
    for path in sources() if paths is None else paths:
        docs.extend(_parse_file(path, seen, errors))
    if errors.messages:
        raise SourceError(errors.messages)
    return docs


def dumps(docs: list[dict[str, Any]]) -> str:
    """The JSONL text: one document per line, UTF-8 characters unescaped, `\\n` line ends."""
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)


def summary(docs: list[dict[str, Any]]) -> str:
    """Documents, mentions and words per language (words: whitespace-separated tokens)."""
    rows: dict[str, list[int]] = {}
    types: dict[str, int] = {}
    for d in docs:
        row = rows.setdefault(d["lang"], [0, 0, 0])
        row[0] += 1
        row[1] += len(d["mentions"])
        row[2] += len(d["text"].split())
        for m in d["mentions"]:
            types[m["tag"]] = types.get(m["tag"], 0) + 1
    total = [sum(r[k] for r in rows.values()) for k in range(3)]
    lines = [f"{'lang':<6}{'docs':>6}{'mentions':>10}{'words':>8}"]
    lines += [f"{lang:<6}{r[0]:>6}{r[1]:>10}{r[2]:>8}" for lang, r in sorted(rows.items())]
    lines.append(f"{'all':<6}{total[0]:>6}{total[1]:>10}{total[2]:>8}")
    lines.append("types: " + ", ".join(f"{k} {v}" for k, v in sorted(types.items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build real.gold.jsonl from the *.txt sources.")
    parser.add_argument("--output", type=Path, default=GOLD)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the output is stale, 2 if a source is malformed",
    )
    parser.add_argument(
        "sources", nargs="*", type=Path, help="source files (default: every *.txt here)"
    )
    args = parser.parse_args(argv)
    try:
        docs = build(args.sources or None)
    except SourceError as e:
        for message in e.messages:
            print(message, file=sys.stderr)
        return 2
    text = dumps(docs)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(
                f"{_display(args.output)} is stale: run python tests/eval/real/build.py",
                file=sys.stderr,
            )
            return 1
        print(summary(docs))
        return 0
    args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {_display(args.output)}")
    print(summary(docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
