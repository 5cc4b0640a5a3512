"""Seeded synthetic lexicons of any size, for the lexicon-size scaling runs.

    python benchmarks/make_lexicon.py benchmarks/data/lex-100000 --entities 100000 [--seed 1]
    normalise lexicon check benchmarks/data/lex-100000
    python benchmarks/make_dump.py benchmarks/data/synth-100MB.txt --size 100MB \\
        --lexicon benchmarks/data/lex-100000 --no-default-lexicon --mention-entities 1000

Writes one TOML file per entity in the bundled lexicons' format: folders ``organisations/``,
``people/`` and ``places/``, each file named by its id. Names are made of syllables, so they
are pronounceable and are no English word (Zipf frequency under 3): persons "Given Family",
organisations "X Front", "Party of X", "X Y Movement" or "X Brigades", places one word. Each
entity has one to four variants: a transliteration-like respelling (k/q, u/ou, sh/ch, ...), an
acronym for organisations (case-sensitive), a short form (a person's family name, an
organisation's name word). Every form is distinct across the whole lexicon once folded.

Prefix-stable: ids run ``s0000001``, ``s0000002``, ... in the order of generation, every draw
comes from one seeded stream and none depends on ``--entities``, so the first 1,000 entities of
``--entities 100000`` are exactly those of ``--entities 1000`` with the same seed. A dump whose
mentions come from the first N ids (``make_dump.py --mention-entities N``) thus suits every
lexicon size. The folder is written beside OUT_DIR and renamed into place when complete.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from wordfreq import get_frequency_dict

from normalise.folding import fold_key

FOLDERS = {"person": "people", "organisation": "organisations", "place": "places"}
TYPE_SHARES = (("person", 0.35), ("organisation", 0.35), ("place", 0.30))
ID_DIGITS = 7
MAX_ENTITIES = 10**ID_DIGITS - 1
# A form at least this frequent as English text (Zipf 3: once in a million words) is a word.
COMMON_FREQUENCY = 10.0 ** (3 - 9)

ONSETS = (*"bdfghklmnprstvzyq", "sh", "kh", "br", "dr", "tr", "gr", "")
VOWELS = ("a", "e", "i", "o", "u", "a", "e", "i", "ai", "ou")
CODAS = ("", "", "", "n", "r", "l", "s", "m", "k", "sh")
# Transliteration-like respellings: one of these, at one place in the name.
RESPELLINGS = (
    ("k", "q"),
    ("q", "k"),
    ("ou", "u"),
    ("u", "ou"),
    ("sh", "ch"),
    ("kh", "h"),
    ("i", "ee"),
    ("e", "i"),
    ("o", "u"),
    ("z", "s"),
    ("v", "w"),
    ("f", "ph"),
    ("ai", "ay"),
    ("y", "i"),
    ("a", "aa"),
    # Doubled consonants, as transliterations of Arabic write them or not (Muhammad, Mohamad).
    ("d", "dd"),
    ("l", "ll"),
    ("m", "mm"),
    ("n", "nn"),
    ("r", "rr"),
    ("s", "ss"),
    ("t", "tt"),
)
# Organisations' names and their short forms.
ORGANISATION_FORMS = (
    ("{X} Front", "{X}"),
    ("Party of {X}", "{X} Party"),
    ("{X} {Y} Movement", "{X} {Y}"),
    ("{X} Brigades", "{X}"),
)
ACRONYM_LETTERS = "ABDEFGHIKLMNOPRSTUVYZ"

# Written into the folder, so that `normalise lexicon check` checks the sources key against it.
SOURCES_MD = """\
# Sources

| key | source | licence | used for |
|---|---|---|---|
| editorial | Names made up by `benchmarks/make_lexicon.py`, this project's own work \
| CC0 1.0 | ids, labels, variants |
"""


@dataclass
class Synthetic:
    """An entity to write: its label (English) and variants (text, note, acronym or not)."""

    id: str
    type: str
    label: str
    variants: list[tuple[str, str, bool]] = field(default_factory=list)


class Names:
    """Draws names from one seeded stream, each distinct once folded and no common word."""

    def __init__(self, seed: int) -> None:
        self.rng = Random(f"make_lexicon:{seed}")
        self.taken: set[str] = set()
        self.english = get_frequency_dict("en")

    def common(self, text: str) -> bool:
        # A phrase's frequency as wordfreq combines its words': 1 / sum(1 / f).
        inverse = 0.0
        for word in text.lower().replace("-", " ").split():
            f = self.english.get(word, 0.0)
            if f == 0.0:
                return False
            inverse += 1 / f
        return 1 / inverse >= COMMON_FREQUENCY

    def claim(self, text: str) -> bool:
        """Take ``text`` if it is new once folded and no common word."""
        key = fold_key(text)
        if not key or key in self.taken or self.common(text):
            return False
        self.taken.add(key)
        return True

    def word(self) -> str:
        """A pronounceable capitalised word of two or three syllables, 4 to 11 letters (7 on
        average, as in real names: longer words make the fuzzy index grow fast)."""
        rng = self.rng
        while True:
            n = rng.choice((2, 2, 2, 3))
            w = "".join(
                rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(n)
            )
            if 4 <= len(w) <= 11 and not self.common(w):
                return w.capitalize()

    def respell(self, label: str, words: list[str]) -> str | None:
        """``label`` with one transliteration-like change in one of its made-up ``words``
        (never in "Party", "of", "Front"), or None if none applies."""
        rng = self.rng
        word = rng.choice(words)
        low = word.lower()
        options = [(a, b) for a, b in RESPELLINGS if a in low]
        if not options:
            return None
        a, b = rng.choice(options)
        i = rng.choice([i for i in range(len(low)) if low.startswith(a, i)])
        if i == 0:
            b = b.capitalize()  # the word's capital stays
        new = word[:i] + b + word[i + len(a) :]
        return label.replace(word, new, 1)

    def acronym(self) -> str:
        return "".join(self.rng.choice(ACRONYM_LETTERS) for _ in range(self.rng.randint(3, 5)))


def make_entity(number: int, names: Names) -> Synthetic:
    """The entity numbered ``number``: its type, label and one to four variants."""
    rng = names.rng
    r = rng.random()
    etype = next((t for t, share in _cumulative(TYPE_SHARES) if r < share), "place")
    while True:
        short: str | None = None
        if etype == "person":
            given, family = names.word(), names.word()
            label, short, words = f"{given} {family}", family, [given, family]
        elif etype == "organisation":
            form, short_form = rng.choice(ORGANISATION_FORMS)
            x, y = names.word(), names.word()
            label, short = form.format(X=x, Y=y), short_form.format(X=x, Y=y)
            words = [x, y] if "{Y}" in form else [x]
        else:
            label = names.word()
            words = [label]
        if not names.claim(label):
            continue
        entity = Synthetic(f"s{number:0{ID_DIGITS}d}", etype, label)
        kinds = ["respelling", "respelling"]
        kinds += ["acronym"] if etype == "organisation" else []
        kinds += ["short form"] if short else []
        rng.shuffle(kinds)
        for kind in kinds[: rng.randint(1, 4)]:
            for _ in range(4):  # a few tries past forms already taken
                if kind == "acronym":
                    text: str | None = names.acronym()
                elif kind == "short form":
                    text = short
                else:
                    text = names.respell(label, words)
                if text is not None and names.claim(text):
                    entity.variants.append((text, kind, kind == "acronym"))
                    break
        for _ in range(20):  # every entity has a variant: if all were taken, a respelling
            if entity.variants:
                break
            text = names.respell(label, words)
            if text is not None and names.claim(text):
                entity.variants.append((text, "respelling", False))
        if entity.variants:
            return entity
        names.taken.discard(fold_key(label))  # a short name whose respellings are all taken


def _cumulative(shares: tuple[tuple[str, float], ...]) -> Iterator[tuple[str, float]]:
    total = 0.0
    for name, share in shares:
        total += share
        yield name, total


def toml_file(e: Synthetic, seed: int) -> str:
    """The entity's TOML file (JSON's string quoting is valid TOML)."""
    q = json.dumps
    lines = [
        f"# Synthetic entity, benchmarks/make_lexicon.py --seed {seed}",
        f"id = {q(e.id)}",
        f"type = {q(e.type)}",
        'sources = ["editorial"]',
        "",
        "[labels]",
        f"en = {q(e.label)}",
    ]
    for text, note, acronym in e.variants:
        lines += ["", "[[variants]]", f"text = {q(text)}"]
        if acronym:
            lines += ["case_sensitive = true", "fuzzy = false"]
        lines.append(f"note = {q(note)}")
    return "\n".join(lines) + "\n"


def generate(out: Path, entities: int, seed: int = 1, *, force: bool = False) -> dict[str, int]:
    """Write the lexicon folder ``out``; return the count of entities by type."""
    if out.exists() and not force:
        raise FileExistsError(f"{out} exists (use --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        for folder in FOLDERS.values():
            (tmp / folder).mkdir()
        (tmp / "SOURCES.md").write_text(SOURCES_MD, encoding="utf-8")
        names = Names(seed)
        counts = dict.fromkeys(FOLDERS, 0)
        for number in range(1, entities + 1):
            e = make_entity(number, names)
            counts[e.type] += 1
            path = tmp / FOLDERS[e.type] / f"{e.id}.toml"
            path.write_text(toml_file(e, seed), encoding="utf-8")
        os.chmod(tmp, 0o755)  # mkdtemp's folder is private; the lexicon need not be
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--entities", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="replace OUT_DIR if it exists")
    args = ap.parse_args(argv)
    if not 1 <= args.entities <= MAX_ENTITIES:
        ap.error(f"--entities must be between 1 and {MAX_ENTITIES:,}")
    t = time.perf_counter()
    try:
        counts = generate(args.out_dir, args.entities, args.seed, force=args.force)
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing written", file=sys.stderr)
        return 130
    seconds = time.perf_counter() - t
    print(
        f"{args.out_dir}: {args.entities:,} entities ("
        + ", ".join(f"{n:,} {FOLDERS[k]}" for k, n in counts.items())
        + f") in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
