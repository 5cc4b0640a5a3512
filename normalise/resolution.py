"""Resolution: choose non-overlapping mentions among the candidates, leftmost-longest.

Precedence among candidates that start at the same place: longer first, then exact before
folded before fuzzy, then higher score, then lexicon order.

>>> from normalise.index import Entry
>>> from normalise.lexicon import Variant
>>> e = Entry(0, Variant("x"), "x", False, False)
>>> picked = resolve([Candidate(0, 4, e, "folded", 1.0), Candidate(0, 13, e, "folded", 1.0),
...                   Candidate(9, 13, e, "exact", 1.0), Candidate(14, 18, e, "exact", 1.0)])
>>> [(c.start, c.end) for c in picked]
[(0, 13), (14, 18)]
"""

from __future__ import annotations

from .matching import Candidate

__all__ = ["resolve"]

_METHOD_RANK = {"exact": 0, "folded": 1, "fuzzy": 2}


def resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Leftmost-longest, non-overlapping, in text order."""
    ordered = sorted(
        candidates,
        key=lambda c: (c.start, c.start - c.end, _METHOD_RANK[c.method], -c.score, c.entry.entity),
    )
    chosen: list[Candidate] = []
    last_end = -1
    for c in ordered:
        if c.start >= last_end and c.end > c.start:
            chosen.append(c)
            last_end = c.end
    return chosen
