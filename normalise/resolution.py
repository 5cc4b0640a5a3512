"""Resolution: choose non-overlapping mentions among the candidates.

Exact beats fuzzy, then longer, then fewer edits. Exact, folded and affixed candidates are
chosen leftmost-longest; a fuzzy candidate is then taken where it overlaps nothing chosen, or
where everything it overlaps is its own entity's and lies inside it ("Hadr Al-Abadi" replaces
the exact "Al-Abadi"). Last, a person mention grows over the honorifics right before it.

>>> from normalise.index import Entry
>>> from normalise.lexicon import Variant
>>> e = Entry(0, Variant("x"), "x", False, False)
>>> picked = resolve([Candidate(0, 4, e, "folded", 1.0), Candidate(0, 13, e, "folded", 1.0),
...                   Candidate(9, 13, e, "exact", 1.0), Candidate(14, 18, e, "exact", 1.0)])
>>> [(c.start, c.end) for c in picked]
[(0, 13), (14, 18)]
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING

from .matching import Candidate

if TYPE_CHECKING:
    from .folding import Folded
    from .lexicon import Entity
    from .rules import Rules

__all__ = ["attach_honorifics", "merge_adjacent", "resolve"]

_METHOD_RANK = {"exact": 0, "folded": 1, "affix": 2, "fuzzy": 3}
_START = itemgetter(0)  # a candidate's start


def _order(c: Candidate) -> tuple[int, int, int, int, float, int, str]:
    # The form last: the outcome never depends on the order candidates came in.
    return (
        c.start,
        c.start - c.end,
        _METHOD_RANK[c.method],
        c.edits,
        -c.score,
        c.entry.entity,
        c.entry.variant.text,
    )


def resolve(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Non-overlapping mentions in text order (see the module's rules)."""
    chosen: list[Candidate] = []
    last_end = -1
    # Leftmost-longest: by start (a C-level sort key), then among the candidates of one start,
    # which sit together, the first in _order. Comparing only there keeps the key function
    # off the thousands of candidates a megabyte has, nearly all alone at their start.
    pool = [c for c in candidates if c.method != "fuzzy"]
    pool.sort(key=_START)
    for c in pool:
        start = c[0]
        if start < last_end:
            prev = chosen[-1]
            if start == prev[0] and c[1] > start and _order(c) < _order(prev):
                chosen[-1] = c
                last_end = c[1]
        elif c[1] > start:
            chosen.append(c)
            last_end = c[1]
    fuzzy = sorted(
        (c for c in candidates if c.method == "fuzzy"),
        # Ties end on the entity and the form, so the outcome never depends on set order.
        key=lambda c: (
            c.start - c.end,
            c.edits,
            -c.score,
            c.start,
            c.entry.entity,
            c.entry.variant.text,
        ),
    )
    # Chosen mentions never overlap: sorted by start, their ends are sorted too, so the ones
    # a fuzzy candidate overlaps are found by bisection.
    starts = [c.start for c in chosen]
    for f in fuzzy:
        i = bisect_left(starts, f.start)
        if i > 0 and chosen[i - 1].end > f.start:
            i -= 1
        j = bisect_left(starts, f.end)
        hit = chosen[i:j]
        if all(
            c.method != "fuzzy"  # a better fuzzy candidate came first: keep it
            and (c.start, c.end) != (f.start, f.end)  # the same span: exact beats fuzzy
            and c.entry.entity == f.entry.entity
            and f.start <= c.start
            and c.end <= f.end
            for c in hit
        ):
            chosen[i:j] = [f]
            starts[i:j] = [f.start]
    return chosen


def merge_adjacent(
    chosen: list[Candidate], haystack: str, entities: Sequence[Entity]
) -> list[Candidate]:
    """Join mentions of the same person separated by one space: "Haj Qasem" + "Soleimani"."""
    out: list[Candidate] = []
    for c in chosen:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.entry.entity == c.entry.entity
            and entities[c.entry.entity].type == "person"
            and c.fstart == prev.fend + 1
            and haystack[prev.fend + 1] == " "
        ):
            out[-1] = prev._replace(
                end=c.end,
                fend=c.fend,
                edits=prev.edits + c.edits,
                method=max(prev.method, c.method, key=_METHOD_RANK.__getitem__),
                score=min(prev.score, c.score),
            )
        else:
            out.append(c)
    return out


def attach_honorifics(
    chosen: list[Candidate],
    haystack: str,
    folded: Folded,
    rules: Rules,
    entities: Sequence[Entity],
) -> list[Candidate]:
    """Grow each person mention over the honorifics right before it, in a chain.

    ``haystack`` is the padded scan form (folded position p is haystack position p + 1).
    A honorific of one word and 6 letters or more also matches with one typo.
    """
    if not rules.honorifics:
        return chosen
    # Honorifics by their last word: the word before a mention picks the few to compare.
    by_last = rules.honorifics_by_last
    long_words = rules.long_honorifics
    out = []
    prev_end = 0
    for c in chosen:
        if entities[c.entry.entity].type == "person":
            pos = c.fstart + 1  # haystack position of the mention's first character
            floor = prev_end + 1
            while pos - 2 >= floor and haystack[pos - 1] == " " and haystack[pos - 2] != " ":
                before = pos - 1  # the space before the mention (or before the last honorific)
                word_start = haystack.rfind(" ", 0, before) + 1
                word = haystack[word_start:before]
                found = 0
                for h in by_last.get(word, ()):
                    start = before - len(h)
                    if (
                        start >= floor
                        and haystack[start:before] == h
                        and haystack[start - 1] == " "
                    ):
                        found = start
                        break
                else:
                    if word_start >= floor and len(word) >= 6 and _near_any(word, long_words):
                        found = word_start
                if not found:
                    break
                pos = found
            if pos - 1 != c.fstart:
                fstart = pos - 1
                c = c._replace(start=folded.original_start(fstart), fstart=fstart)
        out.append(c)
        prev_end = c.fend
    return out


def _near_any(word: str, choices: Sequence[str]) -> bool:
    """Whether ``word`` is one edit (an adjacent swap counts as one) from one of ``choices``."""
    if not choices:
        return False
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=1) is not None
