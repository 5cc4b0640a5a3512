"""Throughput of `normalise find` next to FlashText, on the same text and lexicon, in one run.

    pip install -e '.[bench]'
    python benchmarks/bench_find.py --size-mb 50 --names 5000

Generates (seeded, reproducible) an English-like text whose words follow real English word
frequencies (wordfreq's list) with names of a synthetic lexicon mixed in (acronyms, one- to
three-word names, "X of Y" names), then times:

- `normalise` API: `Normaliser.find` over the whole text, with the full default pipeline
  (folding, exact, affixes, fuzzy, resolution), and exact-only (`fuzzy=False, affixes=False`);
- `normalise find` CLI: the installed command on the file, JSON Lines to /dev/null;
- FlashText 2.7 `extract_keywords(span_info=True)`, case-insensitive, same names.

Ratios between tools in one run cancel out most machine noise. MB = 10^6 characters.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from normalise import Entity, Lexicon, Normaliser, Variant

HERE = Path(__file__).resolve().parent


def make_names(n: int, rng: random.Random, vocabulary: list[str]) -> list[tuple[str, bool]]:
    """``n`` distinct names: (text, case_sensitive). About 15% acronyms."""
    letters = "ABCDEFGHIJKLMNOPRSTUVWYZ"
    names: dict[str, bool] = {}
    common = set(vocabulary[:3000])
    while len(names) < n:
        kind = rng.random()
        if kind < 0.15:
            name = "".join(rng.choice(letters) for _ in range(rng.randint(3, 5)))
            sensitive = True
        elif kind < 0.85:
            words = [_proper(rng) for _ in range(rng.randint(1, 3))]
            name = " ".join(words)
            sensitive = False
        else:
            name = f"{_proper(rng)} of {_proper(rng)}"
            sensitive = False
        if name.lower() in common:
            continue
        names[name] = sensitive
    return list(names.items())


def _proper(rng: random.Random) -> str:
    syllables = [
        "al",
        "ba",
        "dar",
        "el",
        "fa",
        "gor",
        "ha",
        "ir",
        "ka",
        "lun",
        "ma",
        "nor",
        "os",
        "pa",
        "qua",
        "ra",
        "sa",
        "tor",
        "ul",
        "va",
        "wen",
        "yar",
        "zan",
        "bek",
    ]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()


def make_text(
    path: Path,
    size: int,
    names: list[tuple[str, bool]],
    rng: random.Random,
    vocabulary: list[str],
    weights: list[float],
) -> None:
    """Write ``size`` characters of paragraphs; about one name per 150 words."""
    written = 0
    cumulative = list(itertools.accumulate(weights))
    with path.open("w", encoding="utf-8") as out:
        while written < size:
            sentences = []
            for _ in range(rng.randint(3, 7)):
                words = rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(8, 24))
                for _ in range(len(words) // 150 + (rng.random() < len(words) / 150)):
                    words[rng.randrange(len(words))] = rng.choice(names)[0]
                sentence = " ".join(words)
                sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".....?!"))
            para = " ".join(sentences) + "\n\n"
            out.write(para)
            written += len(para)


def english_vocabulary() -> tuple[list[str], list[float]]:
    """English words (ASCII letters only) and their frequencies, from wordfreq."""
    from wordfreq import top_n_list, word_frequency

    vocabulary = [w for w in top_n_list("en", 30000) if w.isascii() and w.isalpha()]
    return vocabulary, [word_frequency(w, "en") for w in vocabulary]


def lexicon_of(names: list[tuple[str, bool]]) -> Lexicon:
    """A lexicon with one entity per synthetic name (acronyms case-sensitive)."""
    return Lexicon(
        Entity(f"n{i}", "other", {"en": name}, (Variant(name, case_sensitive=sensitive),))
        for i, (name, sensitive) in enumerate(names)
    )


def emit(figures: dict[str, object], path: Path | None) -> None:
    """Print the figures as JSON, and write them to ``path`` if given."""
    out = json.dumps(figures, indent=2)
    print(out)
    if path:
        path.write_text(out + "\n", encoding="utf-8")


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--size-mb", type=float, default=50.0)
    ap.add_argument("--names", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=1, help="repeat each timing, keep the best")
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()

    from flashtext import KeywordProcessor

    rng = random.Random(args.seed)
    vocabulary, weights = english_vocabulary()
    names = make_names(args.names, rng, vocabulary)
    args.data.mkdir(parents=True, exist_ok=True)
    text_path = args.data / f"english-{args.size_mb:g}MB-seed{args.seed}.txt"
    if not text_path.exists():
        make_text(text_path, int(args.size_mb * 1e6), names, rng, vocabulary, weights)
    text = text_path.read_text(encoding="utf-8")
    mb = len(text) / 1e6
    print(f"text: {text_path} ({mb:.1f} MB), lexicon: {len(names)} names")

    t = time.perf_counter()
    lexicon = lexicon_of(names)
    normaliser = Normaliser(lexicon)
    normaliser.find("warm up")
    exact_only = Normaliser(lexicon, fuzzy=False, affixes=False)
    build_normalise = time.perf_counter() - t

    t = time.perf_counter()
    kp = KeywordProcessor(case_sensitive=False)
    for name, _ in names:
        kp.add_keyword(name)
    build_flashtext = time.perf_counter() - t

    found: dict[str, int] = {}

    def run_normalise() -> None:
        found["normalise"] = len(normaliser.find(text))

    def run_exact_only() -> None:
        found["normalise_exact_only"] = len(exact_only.find(text))

    def run_flashtext() -> None:
        found["flashtext"] = len(kp.extract_keywords(text, span_info=True))

    results = {}
    results["normalise_api_s"] = best_of(args.runs, run_normalise)
    results["normalise_exact_only_s"] = best_of(args.runs, run_exact_only)
    results["flashtext_s"] = best_of(args.runs, run_flashtext)

    cli = shutil.which("normalise")
    if cli:
        lex_dir = args.data / f"lexicon-{args.names}-seed{args.seed}"
        if not lex_dir.exists():
            (lex_dir / "organisations").mkdir(parents=True)
            for i, (name, sensitive) in enumerate(names):
                (lex_dir / "organisations" / f"n{i}.toml").write_text(
                    f'id = "n{i}"\ntype = "organisation"\nsources = ["editorial"]\n[labels]\n'
                    f"en = {json.dumps(name)}\n[[variants]]\ntext = {json.dumps(name)}\n"
                    f"case_sensitive = {'true' if sensitive else 'false'}\n",
                    encoding="utf-8",
                )
        cmd = [cli, "find", "--no-default-lexicon", "--lexicon", str(lex_dir), str(text_path)]

        def run_cli() -> None:
            with open("/dev/null", "w") as devnull:
                subprocess.run(cmd, stdout=devnull, check=True)

        results["normalise_cli_s"] = best_of(args.runs, run_cli)

    figures = {
        "text_mb": round(mb, 2),
        "names": len(names),
        "python": sys.version.split()[0],
        "build_index_s": {
            "normalise": round(build_normalise, 2),
            "flashtext": round(build_flashtext, 2),
        },
        "mentions": found,
        "mb_per_s": {k.removesuffix("_s"): round(mb / v, 2) for k, v in results.items()},
        "seconds": {k.removesuffix("_s"): round(v, 2) for k, v in results.items()},
    }
    figures["ratio_normalise_api_to_flashtext"] = round(
        figures["mb_per_s"]["normalise_api"] / figures["mb_per_s"]["flashtext"], 2
    )
    emit(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
