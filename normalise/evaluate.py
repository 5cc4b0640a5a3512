"""Evaluation against annotated data: precision, recall and F1, strict and overlapping, per tag.

The gold format is JSON Lines, one document a line::

    {"doc": "a.txt", "text": "...", "lang": "en",
     "mentions": [{"start": 0, "end": 4, "surface": "Iran", "entity": "iran", "tag": "exact"}]}

``text`` may be left out and read from a folder (``doc`` is its file name). A mention marked
``"optional": true`` is neither required nor wrong. Only entities named in the gold are scored.

>>> from normalise import Lexicon, Normaliser
>>> gold = [{"doc": "d", "text": "Hezbolah in Iraq", "mentions": [
...     {"start": 0, "end": 8, "surface": "Hezbolah", "entity": "Hezbollah", "tag": "misspelling"},
...     {"start": 12, "end": 16, "surface": "Iraq", "entity": "Iraq", "tag": "exact"}]}]
>>> n = Normaliser(Lexicon.from_dict({"Hezbollah": ["Hezbollah"], "Iraq": ["Iraq"]}))
>>> r = evaluate(n, gold)
>>> r.overlap.f1, r.per_tag["misspelling"].recall
(1.0, 1.0)
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .normaliser import Normaliser

__all__ = ["Report", "Scores", "evaluate", "read_gold"]


@dataclass
class Scores:
    """Counts of true positives, false positives and false negatives, and the ratios."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, pairs: _Pairs) -> None:
        """Count one document's pairing of found and gold mentions."""
        self.tp += len(pairs.gold)
        self.fp += pairs.n_found - len(pairs.found)
        self.fn += pairs.n_gold - len(pairs.gold)

    def line(self) -> str:
        return (
            f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}  "
            f"(tp={self.tp} fp={self.fp} fn={self.fn})"
        )


@dataclass
class Report:
    """Scores overall (strict and overlapping), per tag and per language (overlapping), the
    lexicon's coverage of the gold, and the errors."""

    strict: Scores = field(default_factory=Scores)
    overlap: Scores = field(default_factory=Scores)
    per_tag: dict[str, Scores] = field(default_factory=lambda: defaultdict(Scores))
    per_lang: dict[str, Scores] = field(default_factory=lambda: defaultdict(Scores))
    covered: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    errors: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        """The share of gold mentions whose entity the lexicon has."""
        have = sum(c[0] for c in self.covered.values())
        total = sum(c[1] for c in self.covered.values())
        return have / total if total else 1.0

    def lang_coverage(self, lang: str) -> float:
        """:attr:`coverage` for the documents in ``lang``."""
        have, total = self.covered[lang]
        return have / total if total else 1.0

    def text(self, *, errors: bool = False) -> str:
        lines = [
            f"strict   {self.strict.line()}",
            f"overlap  {self.overlap.line()}",
            f"coverage {self.coverage:.3f} (gold mentions whose entity the lexicon has)",
        ]
        for tag in sorted(self.per_tag):
            s = self.per_tag[tag]
            lines.append(f"  {tag:16s} recall={s.recall:.3f} ({s.tp}/{s.tp + s.fn})  fp={s.fp}")
        if len(self.per_lang) > 1:
            for lang in sorted(self.per_lang):
                s = self.per_lang[lang]
                lines.append(
                    f"  lang {lang:11s} {s.line()}  coverage={self.lang_coverage(lang):.3f}"
                )
        if errors:
            lines.extend(self.errors)
        return "\n".join(lines)


def read_gold(path: str | Path, texts: str | Path | None = None) -> list[dict[str, Any]]:
    """Read a gold file; fill in each document's text from ``texts`` where it is missing."""
    path = Path(path)
    docs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: malformed JSON: {exc.msg}") from exc
        if "text" not in doc:
            folder = Path(texts) if texts else path.parent / "seeds"
            doc["text"] = (folder / doc["doc"]).read_text(encoding="utf-8")
        docs.append(doc)
    return docs


def _overlaps(a: tuple[int, int], b: Mapping[str, Any]) -> bool:
    return bool(a[0] < b["end"] and b["start"] < a[1])


def evaluate(normaliser: Normaliser, docs: Iterable[Mapping[str, Any]]) -> Report:
    """Score ``normaliser.find`` on annotated documents.

    Only entities named in the gold are scored, unless a document says ``"complete": true``
    (every named entity of its text is marked): then every mention found in it is scored.
    """
    docs = list(docs)
    scored = {m["entity"] for d in docs for m in d["mentions"]}
    report = Report()
    for d in docs:
        _score_document(normaliser, d, scored, report)
    return report


def _score_document(
    normaliser: Normaliser, d: Mapping[str, Any], scored: set[str], report: Report
) -> None:
    """Add one document's counts and errors to ``report``."""
    text = d["text"]
    lang = d.get("lang") or "?"
    required = [m for m in d["mentions"] if not m.get("optional")]
    optional = [m for m in d["mentions"] if m.get("optional")]
    found = normaliser.find(text, lang=d.get("lang"))
    if not d.get("complete"):
        found = [m for m in found if m.entity_id in scored]
    found = [
        m
        for m in found
        if not any(o["entity"] == m.entity_id and _overlaps((m.start, m.end), o) for o in optional)
        or any(g["entity"] == m.entity_id and _overlaps((m.start, m.end), g) for g in required)
    ]
    cov = report.covered[lang]
    cov[0] += sum(1 for g in required if g["entity"] in normaliser.lexicon)
    cov[1] += len(required)
    report.strict.add(_match(found, required, strict=True))
    used = _match(found, required, strict=False)
    report.overlap.add(used)
    report.per_lang[lang].add(used)
    for m in (m for i, m in enumerate(found) if i not in used.found):
        report.errors.append(
            f"FALSE {d['doc']} {m.start}-{m.end} {m.surface!r} -> {m.entity_id} ({m.method})"
        )
        report.per_tag["(false hits)"].fp += 1
    for i, g in enumerate(required):
        tag = g.get("tag", "untagged")
        if i in used.gold:
            report.per_tag[tag].tp += 1
            continue
        report.per_tag[tag].fn += 1
        known = "" if g["entity"] in normaliser.lexicon else " (not in the lexicon)"
        report.errors.append(
            f"MISS  {d['doc']} {g['start']}-{g['end']} {g['surface']!r} "
            f"-> {g['entity']} [{tag}]{known}"
        )


@dataclass
class _Pairs:
    """Which found mentions (by position) and which gold mentions were paired."""

    found: set[int]
    gold: set[int]
    n_found: int
    n_gold: int


def _match(found: list[Any], required: list[Mapping[str, Any]], *, strict: bool) -> _Pairs:
    """Pair each found mention with the first unpaired gold mention of its entity that has
    the same span (``strict``) or overlaps it."""
    pairs = _Pairs(set(), set(), len(found), len(required))
    for j, m in enumerate(found):
        span = (m.start, m.end)
        for i, g in enumerate(required):
            if i in pairs.gold or g["entity"] != m.entity_id:
                continue
            if (g["start"], g["end"]) == span if strict else _overlaps(span, g):
                pairs.found.add(j)
                pairs.gold.add(i)
                break
    return pairs
