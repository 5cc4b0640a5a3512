"""Matching: find every candidate mention of the index's variants in a folded text.

Candidates may overlap; :mod:`normalise.resolution` chooses among them.

>>> from normalise.folding import fold
>>> from normalise.lexicon import Lexicon
>>> lex = Lexicon.from_dict({"Islamic State": ["IS", "Islamic State"]}, case_sensitive=True)
>>> f = fold("Fight IS, it is said.")
>>> [(c.start, c.end) for c in scan(lex.index, f, haystack_of(f)).candidates]
[(6, 8)]
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

from .folding import Folded, scan_form
from .index import (
    ANCHOR,
    CONTEXT,
    CUE,
    EDGE_LEFT,
    EDGE_RIGHT,
    UNPADDED_LEFT,
    UNPADDED_RIGHT,
    UPPER_ONLY,
    Entry,
    Index,
)
from .lexicon import Entity, Variant
from .output import Method

__all__ = ["Candidate", "Scan", "haystack_of", "scan", "starts_upper", "supported"]

_MARKED = ANCHOR | CUE

# The ALL-CAPS guard reads this many characters on each side of an acronym, within its line,
# and needs this many cased letters there to call the passage upper case.
_CONTEXT = 60
_MIN_CASED = 4
_LONGEST = 256  # no name is longer: how far before a window a mention may start


class Candidate(NamedTuple):
    """A possible mention, with original offsets and folded ones (``fstart``, ``fend``).

    A named tuple: a megabyte of news holds thousands, and tuples build several times faster
    than frozen dataclasses.
    """

    start: int
    end: int
    entry: Entry
    method: Method
    score: float
    fstart: int = 0
    fend: int = 0
    edits: int = 0


def haystack_of(folded: Folded) -> str:
    """The automaton's input: the scan form padded with a space at each end."""
    scan = folded.scan if folded.scan is not None else scan_form(folded.text)
    return f" {scan} "  # one copy of a text that may be megabytes long, not two


class Scan(NamedTuple):
    """What one pass of the automaton found."""

    candidates: list[Candidate]
    anchors: list[tuple[str, int, int]]  # anchor word, its haystack span
    cues: set[str]  # context cue words present
    context: bool  # some candidate's variant has context cues (see supported)
    masked: bytes  # the haystack as ASCII bytes, each other character a "?"


def scan(index: Index, folded: Folded, haystack: str) -> Scan:
    """Every occurrence of every variant at word boundaries, verified, with original offsets;
    and the places of the anchor and cue words.

    Candidates of ambiguous forms are kept here; :func:`supported` filters them once every
    stage has had its say.
    """
    out: list[Candidate] = []
    anchors: list[tuple[str, int, int]] = []
    cues: set[str] = set()
    if not folded.text:
        return Scan(out, anchors, cues, False, b"")
    context = False
    text = folded.original
    ftext = folded.text
    guarded: list[Candidate] = []
    entries, all_flags = index.entries, index.flags
    span = folded.original_span
    # Without combining marks (an ASCII text) a span maps back by the piecewise offsets alone:
    # inlined here, where a megabyte of news has thousands of hits.
    plain = not folded.marks
    fold_at, orig_at = folded.fold_at, folded.orig_at
    breaks = len(fold_at)
    new = tuple.__new__
    if folded.masked is not None:  # folding's fast paths made it
        masked = b"".join((b" ", folded.masked, b" "))  # one copy, not two
        runs = [(a + 1, b + 1) for a, b in folded.scan_runs or ()]
        found = index.find(haystack, masked, runs)
    else:
        masked = haystack.encode("ascii", errors="replace")
        found = index.find(haystack, masked)
    for pid, s, e in found:
        flags = all_flags[pid]
        if not flags:  # the common case: a form padded with a boundary space at each end
            fs = s
            fe = e - 2
        else:
            if flags & CONTEXT:
                context = True
            if flags & _MARKED:
                if flags & ANCHOR:
                    anchors.append((index.anchor_of[pid], s + 1, e - 1))
                if flags & CUE:
                    cues.add(index.cue_of[pid])
                if not entries[pid]:
                    continue
            # A form that starts or ends with punctuation ("U.S.") still needs a word boundary
            # beyond it: "U.S.A" holds no "U.S.". (Its pattern's edge space is text.)
            if flags & EDGE_RIGHT and haystack[e : e + 1] not in (" ", ""):
                continue
            if flags & EDGE_LEFT and s > 0 and haystack[s - 1] != " ":
                continue
            # Haystack position p is folded position p - 1; drop the boundary padding.
            fs = s if not flags & UNPADDED_LEFT else s - 1
            fe = e - 2 if not flags & UNPADDED_RIGHT else e - 1
        if plain:
            k = bisect_right(fold_at, fs) - 1
            start = orig_at[k] + fs - fold_at[k]
            if flags & UPPER_ONLY and text[start].islower():
                continue  # "is" is not "IS": decided before anything else
            if k + 1 < breaks and fold_at[k + 1] < fe:
                j = bisect_right(fold_at, fe - 1) - 1
                end = orig_at[j] + fe - fold_at[j]
            else:
                end = start + fe - fs
        else:
            start, end = span(fs, fe)
        surface = text[start:end]
        for entry in entries[pid]:
            variant = entry.variant
            if surface == variant.text:
                method: Method = "exact"
            elif entry.punctuated and ftext[fs:fe] != entry.folded:
                continue  # "U S" is not "U.S.", "Islamic, State" is not "Islamic State"
            elif variant.case_sensitive or variant.capitalised:
                if not _case_allows(surface, variant):
                    continue
                method = "folded"
            else:
                method = "folded"
            # tuple.__new__ skips the named tuple's Python-level __new__: thousands a MB.
            cand = new(Candidate, (start, end, entry, method, 1.0, fs, fe, 0))
            (guarded if entry.common_word else out).append(cand)
    if guarded:
        spans = sorted((c.start, c.end) for c in out)
        starts = [a for a, _ in spans]
        out.extend(c for c in guarded if not _in_upper_case_passage(text, c, spans, starts))
    return Scan(out, anchors, cues, context, masked)


def supported(
    candidates: list[Candidate], cues: set[str], entities: tuple[Entity, ...]
) -> list[Candidate]:
    """Drop candidates of ambiguous forms that nothing in the text supports.

    A guarded variant counts only where the text also has one of its cue words (``cues``:
    those :func:`scan` found), another mention of its entity, or a mention of one of its
    cue entities, in any language or script. Only unguarded mentions back others, so two
    ambiguous forms cannot vouch for each other.
    """
    if not any(c.entry.variant.guarded for c in candidates):
        return candidates
    backed = {c.entry.entity for c in candidates if not c.entry.variant.guarded}
    backed_ids = {entities[i].id for i in backed}
    return [
        c
        for c in candidates
        if not c.entry.variant.guarded
        or c.entry.entity in backed
        or not cues.isdisjoint(c.entry.context_scan)
        or not backed_ids.isdisjoint(c.entry.variant.cue_entities)
    ]


def starts_upper(surface: str) -> bool:
    """Whether the first letter is a capital (or the script has no case)."""
    first = next((c for c in surface if c.isalpha()), "")
    return first.isupper() or first.lower() == first.upper()


def _case_allows(surface: str, variant: Variant) -> bool:
    """Whether the surface's capitalisation is one this variant accepts."""
    if variant.case_sensitive and surface.islower() and variant.text.isupper():
        return False  # the common case, "is" for "IS", decided without comparing letters
    if variant.case_sensitive and not _same_case(surface, variant.text):
        return False
    return not (variant.capitalised and not starts_upper(surface))


def _same_case(surface: str, variant: str) -> bool:
    """Whether the letters of ``surface`` have the capitalisation of ``variant``'s."""
    a = [c.isupper() for c in surface if c.isalpha()]
    b = [c.isupper() for c in variant if c.isalpha()]
    if len(a) == len(b):
        return a == b
    return (surface.upper() == surface) == (variant.upper() == variant)


def _in_upper_case_passage(
    text: str, cand: Candidate, spans: list[tuple[int, int]], starts: list[int]
) -> bool:
    """Whether the acronym sits in an ALL-CAPS passage, where "IS" is just the verb.

    Letters of other candidate mentions (``spans``, sorted; ``starts``, theirs) do not
    count, so the verdict does not change when those mentions are rewritten (normalise stays
    idempotent).
    """
    lo = max(text.rfind("\n", 0, cand.start) + 1, cand.start - _CONTEXT)
    nl = text.find("\n", cand.end)
    hi = min(nl if nl >= 0 else len(text), cand.end + _CONTEXT)
    window = spans[bisect_left(starts, lo - _LONGEST) : bisect_left(starts, hi)]
    inside = [(s, e) for s, e in window if e > lo]
    upper = 0
    for i in range(lo, hi):
        if cand.start <= i < cand.end or any(s <= i < e for s, e in inside):
            continue
        ch = text[i]
        if ch.islower():
            return False  # the usual verdict, on the first lowercase letter
        if ch.isupper():
            upper += 1
    return upper >= _MIN_CASED
