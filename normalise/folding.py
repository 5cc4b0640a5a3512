"""Folding: the one module that knows Unicode.

Matching never runs on the caller's text. It runs on a *folded* copy in which every
difference that should not matter is gone: compatibility forms (NFKC), case (full case
folding, so ``İ`` and ``ß`` fold without shifting later offsets), Latin, Greek and Cyrillic
diacritics, Arabic harakat, tatweel and letter variants, Persian ``ی``/``ک``, zero-width and
format characters, typographic apostrophes, and hyphens or runs of white space between words.

A :class:`Folded` text remembers where each of its characters came from, so a span found in
the folded text maps back to exact ``str`` offsets in the original.

>>> f = fold("Ḥizb  Allāh’s")
>>> f.text
"hizb allah's"
>>> f.original_span(0, 10)
(0, 11)

Folding is per character plus one rule across characters (runs of white space and hyphens
become one space), so the same function folds lexicon variants and running text alike.
"""

from __future__ import annotations

import codecs
import functools
import heapq
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs
import regex

__all__ = [
    "Folded",
    "fold",
    "fold_key",
    "is_spaced_word_char",
    "non_ascii_runs",
    "scan_form",
    "sparse_runs",
]

# Combining marks removed after decomposition: the diacritics of Latin, Greek and Cyrillic,
# Hebrew points and Arabic harakat (with the superscript alef). Marks of Indic and other
# scripts are kept: there they spell vowels, not accents.
_STRIPPED_MARKS = (
    *((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F)),
    (0x0591, 0x05C7),  # Hebrew
    *((0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x08D3, 0x08FF)),  # Arabic
)

# Letters folded after decomposition. Arabic: alef wasla, alef maqsura, ta marbuta; Persian
# yeh and keheh fold to their Arabic forms (the direction Lucene takes), heh with yeh above and
# heh goal to heh. Arabic-Indic and Persian digits fold to ASCII digits.
_LETTER_MAP: dict[str, str] = {
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0649": "\u064a",  # ى -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u06cc": "\u064a",  # ی -> ي
    "\u06a9": "\u0643",  # ک -> ك
    "\u06c0": "\u0647",  # ۀ -> ه
    "\u06c1": "\u0647",  # ہ -> ه
    "\u0640": "",  # tatweel
}
_LETTER_MAP.update({chr(0x0660 + d): str(d) for d in range(10)})
_LETTER_MAP.update({chr(0x06F0 + d): str(d) for d in range(10)})

# Apostrophe-like characters (including the ʿayn and hamza of transliteration) become "'",
# typographic double quotes become '"'.
_APOSTROPHES = "\u2019\u02bc\u2018`\u00b4\u2032\u02b9\u02bb\u02bd\u02be\u02bf\uff07\u201b"
_QUOTES = "\u201c\u201d\u201e\u201f\u2033\uff02"
# Hyphens separate the parts of a name exactly as a space does: "al-Abadi" = "al Abadi".
_HYPHENS = "-\u2010\u2011"
_SEPARATOR_CLASS = r"\s\-\u2010\u2011"
# Scripts written without spaces between words: there every character is a word of its own
# for boundary purposes, so a name matches inside a longer run of such characters.
_UNSPACED = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}]"
)
# Everything that is not part of a word (punctuation, symbols, controls, surrogates) is a
# boundary. In the scan form it becomes a space, one for one.
_NON_WORD = regex.compile(r"[^\p{L}\p{M}\p{N} ]")
_DOUBLE_SPACE = ahocorasick_rs.BytesAhoCorasick([b"  "])  # see _ascii_parts
_ASCII_NON_WORD = bytes(c if (chr(c).isalnum() or c == 0x20) else 0x20 for c in range(256))


def _strip_marks(s: str) -> str:
    return "".join(ch for ch in s if not any(lo <= ord(ch) <= hi for lo, hi in _STRIPPED_MARKS))


def _fold_string(s: str) -> str:
    """Fold a short string character by character, without the run rule."""
    out = []
    for ch in s:
        if ch in _APOSTROPHES:
            out.append("'")
        elif ch in _QUOTES:
            out.append('"')
        elif ch in _HYPHENS or ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) == "Cf":
            continue  # zero-width characters, soft hyphen, bidi controls
        elif unicodedata.category(ch) == "Cs":
            out.append(ch)  # a lone surrogate is kept as it is: it is never part of a word
        else:
            t = _strip_marks(unicodedata.normalize("NFKD", ch.casefold())).casefold()
            t = "".join(_LETTER_MAP.get(c, c) for c in t)
            out.append(unicodedata.normalize("NFC", t))
    return "".join(out)


def _fold_char(ch: str) -> str:
    # Iterate to a fixed point so that folding is idempotent.
    prev, cur = ch, _fold_string(ch)
    while cur != prev:
        prev, cur = cur, _fold_string(cur)
    return cur


class _CharFolds:
    """Memo of the per-character fold, filled lazily with the characters texts contain.

    The fold is a pure function of the running Python's Unicode database, so one memo per
    process is safe; filling it per distinct character seen avoids building a table of all
    of Unicode at start-up.
    """

    __slots__ = (
        "fold",
        "invisible_or_space",
        "non_word",
        "patterns",
        "residual",
        "special",
        "units",
    )

    def __init__(self) -> None:
        self.fold: dict[str, str] = {}
        self.special: dict[str, str] = {}  # fold or casefold is not exactly one character
        self.residual: dict[str, str] = {}  # one-for-one folds still due after casefold()
        self.non_word: set[str] = set()  # folded characters that are word boundaries
        self.invisible_or_space: set[str] = set()  # fold to "" or to spaces only
        self.patterns: dict[tuple[frozenset[str], bool, frozenset[str]], re.Pattern[str]] = {}
        # Folds of whole stretches of non-ASCII text in mostly ASCII texts (see fold).
        # A unit's fold, scan form, marks, masked scan form and non-ASCII runs in that.
        self.units: dict[str, tuple[Folded, str, bool, bytes, list[tuple[int, int]]]] = {}

    def learn(self, chars: set[str]) -> None:
        fold = self.fold
        for ch in [c for c in chars if c not in fold]:  # "chars - fold.keys()" copies the memo
            out = _fold_char(ch)
            self.fold[ch] = out
            cf = ch if ch.isspace() else ch.casefold()
            if len(cf) != 1 or len(out) != 1:
                self.special[ch] = out
            elif out != cf:
                self.residual[cf] = out
            self.non_word.update(o for o in out if o != " " and _NON_WORD.match(o))
            if not out.strip(" ") and not ch.isspace() and ch not in _HYPHENS:
                self.invisible_or_space.add(ch)

    def pattern(
        self, chars: frozenset[str], *, alone: bool = False, run_extra: frozenset[str] = frozenset()
    ) -> re.Pattern[str]:
        """A compiled class of ``chars``; unless ``alone``, or a run of two or more separators.

        Of the ``run_extra`` characters, those that fold to spaces count as separators in a
        run, and those that fold to nothing may sit between separators.
        """
        key = (chars, alone, run_extra)
        pat = self.patterns.get(key)
        if pat is None:
            spaces = "".join(re.escape(c) for c in sorted(run_extra) if self.fold[c])
            empties = "".join(re.escape(c) for c in sorted(run_extra) if not self.fold[c])
            sep = f"[{_SEPARATOR_CLASS}{spaces}]"
            run = f"{sep}(?:[{empties}]*{sep})+" if empties else f"{sep}{sep}+"
            alternatives = [] if alone else [run]
            if chars:
                alternatives.append("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")
            if len(self.patterns) > 4096:  # bound the memo on adversarial input
                self.patterns.clear()
            pat = self.patterns[key] = re.compile("|".join(alternatives))
        return pat


_CHARS = _CharFolds()
_ASCII_FOLD = bytes(ord(_fold_char(chr(c))) for c in range(128)) + bytes(range(128, 256))
# stdlib re, several times faster than the regex module on these simple classes.
_RUN_RE = re.compile(rf"[{_SEPARATOR_CLASS}][{_SEPARATOR_CLASS}]+")
# A stretch of non-ASCII characters, with the separators around and between them.
_ASCII_SEPARATORS = frozenset(c for c in map(chr, range(128)) if re.match(r"[\s\-]", c))
_SPARSE = 64  # at most one stretch per this many characters: the sparse path pays
_MAX_UNITS = 1 << 16


def _start(m: re.Match[str]) -> int:
    return m.start()


def _replace_all(text: str, mapping: dict[str, str], keys: set[str]) -> str:
    """Apply a one-for-one map to the ``keys`` present in ``text``.

    One C-level pass per distinct target: str.replace() for a single key, re.sub() with a
    cached character class for several (str.translate() is ten times slower on wide strings).
    """
    by_target: dict[str, list[str]] = {}
    for k in keys:
        by_target.setdefault(mapping[k], []).append(k)
    for target, group in by_target.items():
        if len(group) == 1:
            text = text.replace(group[0], target)
        else:
            text = _CHARS.pattern(frozenset(group), alone=True).sub(target, text)
    return text


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text and the map back to the original.

    The map is piecewise linear: folded position ``fold_at[k]`` comes from original position
    ``orig_at[k]``, and later positions advance together until the next break. A text
    without special characters has the single break ``(0, 0)``. ``marks`` is false when the
    original holds no combining mark (an ASCII text), so span ends need no look-ahead.
    """

    original: str
    text: str
    fold_at: tuple[int, ...]
    orig_at: tuple[int, ...]
    marks: bool = True
    scan: str | None = None  # the scan form, where folding made it on the way
    # Where folding took a fast path for (mostly) ASCII text, so later stages need not look
    # again: the scan form as ASCII bytes with each other character a "?"; the original's
    # runs of non-ASCII characters and the scan form's (none for an ASCII text).
    masked: bytes | None = None
    runs: list[tuple[int, int]] | None = None
    scan_runs: list[tuple[int, int]] | None = None

    def original_start(self, pos: int) -> int:
        """Original offset of the character at folded position ``pos``."""
        k = bisect_right(self.fold_at, pos) - 1
        return self.orig_at[k] + (pos - self.fold_at[k])

    def original_end(self, pos: int) -> int:
        """Original end offset of a folded span ending at ``pos`` (exclusive).

        The end follows the last folded character's source, plus combining marks that
        belonged to it and folded to nothing (the accent of a decomposed final ``é``).
        """
        if pos <= 0:
            return 0
        end = self.original_start(pos - 1) + 1
        if not self.marks:
            return end
        src = self.original
        limit = self.original_start(pos) if pos < len(self.text) else len(src)
        while end < limit and unicodedata.category(src[end]).startswith("M"):
            end += 1
        return end

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span ``[start, end)`` to the original text."""
        if not self.marks:
            fold_at, orig_at = self.fold_at, self.orig_at
            k = bisect_right(fold_at, start) - 1
            j = bisect_right(fold_at, end - 1) - 1
            return orig_at[k] + start - fold_at[k], orig_at[j] + end - fold_at[j]
        return self.original_start(start), self.original_end(end)


def fold(text: str) -> Folded:
    """Fold ``text`` for matching and keep the map back to it.

    >>> fold("İstanbul").text
    'istanbul'
    >>> fold("STRAẞE").text
    'strasse'
    >>> fold("خامنه\u200cای").text == fold("خامنهاي").text
    True
    >>> fold("al-Abadi").text, fold("al  \\n Abadi").text
    ('al abadi', 'al abadi')
    """
    if text.isascii():
        return _fold_ascii(text)
    # Mostly ASCII (English news with an accent, a dash or a curly quote here and there): the
    # ASCII stretches by table, each stretch of other characters (with the separators around
    # it, so that no run of separators is cut) by the general path, memoised.
    sparse = _runs_and_masked(text, len(text) // _SPARSE)
    if sparse is not None:
        runs, masked = sparse
        units = _non_ascii_units(text, runs)
        if units is not None:
            return _fold_sparse(text, units, runs, masked)
    return _fold_general(text)


def non_ascii_runs(text: str, limit: int | None = None) -> list[tuple[int, int]] | None:
    """The spans of the runs of non-ASCII characters in ``text``; None if there are more
    than ``limit`` (the search stops there: a Russian text has one per word).

    Found by the ASCII encoder, which scans at memory speed and hands each run to an error
    handler (a regular expression takes 14 ms a megabyte).

    >>> non_ascii_runs("Erdoğan’s Türkiye")
    [(4, 5), (7, 8), (11, 12)]
    >>> non_ascii_runs("Эрдоган и Путин", limit=2) is None
    True
    """
    found = _runs_and_masked(text, limit)
    return None if found is None else found[0]


def _runs_and_masked(
    text: str, limit: int | None = None
) -> tuple[list[tuple[int, int]], bytes] | None:
    """:func:`non_ascii_runs` and, from the same pass, ``text`` as ASCII bytes with each
    non-ASCII character a "?" (``text.encode("ascii", errors="replace")``)."""
    found: list[tuple[int, int]] = []
    _RUNS.found = found
    _RUNS.limit = len(text) if limit is None else limit
    try:
        masked = text.encode("ascii", errors="normalise-runs")
    except _TooManyRuns:
        return None
    return found, masked


class _TooManyRuns(Exception):
    pass


def _record_run(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeEncodeError)
    found = _RUNS.found
    if len(found) >= _RUNS.limit:
        raise _TooManyRuns
    found.append((exc.start, exc.end))
    return "?" * (exc.end - exc.start), exc.end  # as errors="replace" would


_RUNS = threading.local()  # each thread's list of runs for the handler to fill, and its limit
codecs.register_error("normalise-runs", _record_run)


def sparse_runs(text: str) -> list[tuple[int, int]] | None:
    """``text``'s runs of non-ASCII characters if they are few enough for the fast paths of
    mostly-ASCII text (folding, scanning, word discovery), else None.

    >>> sparse_runs("Erdoğan spoke. " + "The rest is English. " * 5)
    [(4, 5)]
    >>> sparse_runs("Эрдоган и Путин") is None
    True
    """
    return non_ascii_runs(text, len(text) // _SPARSE)


def _non_ascii_units(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """The stretches of the non-ASCII ``runs`` with the separators around and between them;
    None when there are too many for the sparse path to pay."""
    units: list[tuple[int, int]] = []
    n = len(text)
    limit = n // _SPARSE
    for s, e in runs:
        while s > 0 and text[s - 1] in _ASCII_SEPARATORS:
            s -= 1
        while e < n and text[e] in _ASCII_SEPARATORS:
            e += 1
        if units and s <= units[-1][1]:
            units[-1] = (units[-1][0], e)
        else:
            units.append((s, e))
            if len(units) > limit:
                return None
    return units


def _fold_general(text: str) -> Folded:
    chars = set(text)
    memo = _CHARS
    memo.learn(chars)
    specials = frozenset(c for c in chars if c in memo.special)
    # Characters that fold to nothing, or to spaces only, belong to a separator run when they
    # sit inside one; otherwise a run would fold to two spaces, and folding must be stable.
    in_runs = frozenset(c for c in chars if c in memo.invisible_or_space)
    matches: Iterable[re.Match[str]]
    if in_runs:
        matches = memo.pattern(specials, run_extra=in_runs).finditer(text)
    elif specials:
        # Two simple scans, merged, are twice as fast as one alternation.
        matches = heapq.merge(
            _RUN_RE.finditer(text), memo.pattern(specials, alone=True).finditer(text), key=_start
        )
    else:
        matches = _RUN_RE.finditer(text)
    joined, fold_at, orig_at = _splice(text, matches, memo.special)
    present = {c if c.isspace() else c.casefold() for c in chars if c not in specials}
    folded = _replace_all(joined.casefold(), memo.residual, present & memo.residual.keys())
    return Folded(text, folded, *_compact(fold_at, orig_at))


def _fold_sparse(
    text: str,
    units: list[tuple[int, int]],
    runs: list[tuple[int, int]],
    replaced: bytes | None = None,
) -> Folded:
    """Fold a text whose non-ASCII characters sit in the few ``units`` (spans).

    The whole text goes through the ASCII path with each non-ASCII character masked as "?"
    (one for one, so offsets hold); then each unit's stretch of that is replaced by the unit
    folded on its own. A unit holds the separators around it, so no run of separators
    crosses its edges, and the ASCII fold maps its edges exactly.
    """
    if replaced is None:
        replaced = text.encode("ascii", errors="replace")
    base_text, b_fold, b_orig, base_masked = _ascii_parts(replaced)
    base_scan = base_masked.decode("ascii")
    memo = _CHARS.units
    pieces: list[str] = []
    scans: list[str] = []
    masks: list[bytes] = []
    scan_runs: list[tuple[int, int]] = []
    fold_at: list[int] = []
    orig_at: list[int] = []
    marks = False
    delta = 0  # length the units added to the folded text so far
    last = 0  # folded (base) position up to which pieces cover the base
    k = 0  # next base break to copy
    for s, e in units:
        unit = memo.get(text[s:e])
        if unit is None:
            if len(memo) > _MAX_UNITS:  # bound the memo on adversarial input
                memo.clear()
            part = _fold_general(text[s:e])
            has_marks = any(unicodedata.category(c)[0] == "M" for c in text[s:e])
            part_scan = scan_form(part.text)
            unit = memo[text[s:e]] = (
                part,
                part_scan,
                has_marks,
                part_scan.encode("ascii", errors="replace"),
                non_ascii_runs(part_scan) or [],
            )
        part, part_scan, has_marks, part_masked, part_runs = unit
        marks = marks or has_marks
        j = bisect_right(b_orig, s) - 1
        fs = b_fold[j] + s - b_orig[j]
        j = bisect_right(b_orig, e) - 1
        fe = b_fold[j] + e - b_orig[j]
        # The base's breaks before the unit, shifted; those inside it give way to the unit's.
        k_unit = bisect_left(b_fold, fs, k)
        fold_at.extend([fa + delta for fa in b_fold[k:k_unit]] if delta else b_fold[k:k_unit])
        orig_at.extend(b_orig[k:k_unit])
        k = bisect_right(b_fold, fe, k_unit)
        pieces.append(base_text[last:fs])
        scans.append(base_scan[last:fs])
        masks.append(base_masked[last:fs])
        at = fs + delta  # where the unit starts in the folded text
        scan_runs.extend((at + a, at + b) for a, b in part_runs)
        fold_at.append(at)
        orig_at.append(s)
        fold_at.extend([at + fa for fa in part.fold_at])
        orig_at.extend([s + oa for oa in part.orig_at])
        pieces.append(part.text)
        scans.append(part_scan)
        masks.append(part_masked)
        delta += len(part.text) - (fe - fs)
        fold_at.append(fe + delta)
        orig_at.append(e)
        last = fe
    fold_at.extend([fa + delta for fa in b_fold[k:]] if delta else b_fold[k:])
    orig_at.extend(b_orig[k:])
    pieces.append(base_text[last:])
    scans.append(base_scan[last:])
    masks.append(base_masked[last:])
    return Folded(
        text,
        "".join(pieces),
        *_compact(fold_at, orig_at),
        marks=marks,
        scan="".join(scans),
        masked=b"".join(masks),
        runs=runs,
        scan_runs=scan_runs,
    )


def _ascii_scan(folded: str) -> bytes:
    return folded.encode("ascii").translate(_ASCII_NON_WORD)


def _fold_ascii(text: str) -> Folded:
    """The ASCII fast path: one table lookup per character (case, separators to spaces),
    then each run of spaces becomes one.

    Every run shortens the text, so each is a break of the offset map; no other character
    changes length. Runs are rare in prose; :func:`_ascii_parts` finds them with a
    one-pattern automaton, which skips ahead where str.find stops at every space.
    """
    spaced, fold_at, orig_at, masked = _ascii_parts(text.encode("ascii"))
    return Folded(
        text,
        spaced,
        fold_at,
        orig_at,
        marks=False,
        scan=masked.decode("ascii"),
        masked=masked,
        runs=[],
        scan_runs=[],
    )


def _ascii_parts(data: bytes) -> tuple[str, tuple[int, ...], tuple[int, ...], bytes]:
    """:func:`_fold_ascii`'s work on ASCII ``data``: the folded text, its offset map (fold_at,
    orig_at) and its scan form as bytes."""
    spaced_bytes = data.translate(_ASCII_FOLD)
    spaced = spaced_bytes.decode("ascii")
    # The runs of two spaces or more. A one-pattern automaton finds "  " ten times faster than
    # str.find does (which stops at every space, a sixth of the text): its matches are
    # non-overlapping, so a run is the matches that touch, plus one more space if odd.
    starts: list[int] = []
    ends: list[int] = []
    for _, a, b in _DOUBLE_SPACE.find_matches_as_indexes(spaced_bytes):
        if ends and ends[-1] == a:
            ends[-1] = b
        else:
            starts.append(a)
            ends.append(b)
    fold_at = [0]
    orig_at = [0]
    pieces = []
    last = removed = 0
    for s, e in zip(starts, ends, strict=True):
        if spaced_bytes[e : e + 1] == b" ":
            e += 1
        pieces.append(spaced[last:s])
        removed += e - s - 1
        fold_at.append(e - removed)  # the folded position right after the run's space
        orig_at.append(e)
        last = e
    if pieces:
        pieces.append(spaced[last:])
        spaced = " ".join(pieces)
    return spaced, tuple(fold_at), tuple(orig_at), _ascii_scan(spaced)


def _splice(
    text: str, matches: Iterable[re.Match[str]], special: dict[str, str]
) -> tuple[str, list[int], list[int]]:
    """Replace separator runs and special characters, recording where the output came from."""
    pieces: list[str] = []
    fold_at = [0]
    orig_at = [0]
    last = 0  # original position up to which pieces cover the text
    flen = 0  # length of the output so far
    for m in matches:
        s, e = m.span()
        if s > last:
            pieces.append(text[last:s])
            flen += s - last
        rep = " " if e - s > 1 or m.group() not in special else special[m.group()]
        for i in range(len(rep)):  # each output character comes from the first source one
            fold_at.append(flen + i)
            orig_at.append(s)
        pieces.append(rep)
        flen += len(rep)
        fold_at.append(flen)
        orig_at.append(e)
        last = e
    if last == 0:
        return text, fold_at, orig_at
    pieces.append(text[last:])
    return "".join(pieces), fold_at, orig_at


def _compact(fold_at: list[int], orig_at: list[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The breaks that matter: the last of several at one folded position (a deletion moves
    the origin on), and of those only the ones that change the offset between the two texts.
    Both sides advance together between breaks, so a break that keeps the offset of the one
    before it changes nothing. (One pass over ints: compiled, it makes no tuple per break.)
    """
    folds: list[int] = []
    origs: list[int] = []
    last = len(fold_at) - 1
    gap = 0
    for i in range(last + 1):
        f = fold_at[i]
        if i < last and fold_at[i + 1] == f:
            continue  # a later break at this folded position says where it comes from
        o = orig_at[i]
        if folds and o - f == gap:
            continue
        folds.append(f)
        origs.append(o)
        gap = o - f
    return tuple(folds), tuple(origs)


@functools.lru_cache(maxsize=1 << 17)
def fold_key(text: str) -> str:
    """The folded form of a lexicon string, trimmed (memoised: building the bundled lexicon
    folds each of its 30,000 names several times).

    >>> fold_key("  Ḥizb Allāh ")
    'hizb allah'
    """
    return fold(text).text.strip(" ")


def scan_form(folded: str) -> str:
    """Replace every non-word character by a space, one for one: the automaton's input.

    >>> scan_form("iran's (is)")
    'iran s  is '
    """
    if folded.isascii():
        return _ascii_scan(folded).decode("ascii")
    non_word = _CHARS.non_word
    present = {c for c in set(folded) if c in non_word or (c != " " and _NON_WORD.match(c))}
    return _replace_all(folded, dict.fromkeys(present, " "), present)


def is_spaced_word_char(ch: str) -> bool:
    """True for a word character of a script that separates its words with spaces.

    >>> is_spaced_word_char("a"), is_spaced_word_char("北"), is_spaced_word_char(" ")
    (True, False, False)
    """
    return ch != " " and _NON_WORD.match(ch) is None and _UNSPACED.match(ch) is None
