"""What fuzzy matching costs: fuzzy off vs on, and a lexicon ten times larger, on one text.

    python benchmarks/bench_fuzzy.py --size-mb 50 --names 5000 --scale 10

Uses the text and lexicon generator of bench_find.py (same seed, same text file). The larger
lexicon holds the smaller one's names plus new ones, so both find the same mentions in the
text. Each timing is `Normaliser.find` over the whole text, best of `--runs`; the index is
built and warmed before timing, and each setting runs on a fresh Normaliser, so its per-word
memo starts empty (the timing includes analysing every distinct word once).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from bench_find import HERE, emit, english_vocabulary, lexicon_of, make_names, make_text

from normalise import Normaliser


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--size-mb", type=float, default=50.0)
    ap.add_argument("--names", type=int, default=5000)
    ap.add_argument(
        "--scale", type=int, default=10, help="the larger lexicon is this many times larger"
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    vocabulary, weights = english_vocabulary()
    big = make_names(args.names * args.scale, rng, vocabulary)
    small = big[: args.names]
    # The text is bench_find.py's: generate it the same way if it is missing.
    text_path = args.data / f"english-{args.size_mb:g}MB-seed{args.seed}.txt"
    if not text_path.exists():
        rng2 = random.Random(args.seed)
        names = make_names(args.names, rng2, vocabulary)
        args.data.mkdir(parents=True, exist_ok=True)
        make_text(text_path, int(args.size_mb * 1e6), names, rng2, vocabulary, weights)
    text = text_path.read_text(encoding="utf-8")
    mb = len(text) / 1e6
    print(f"text {text_path.name}: {mb:.1f} MB; lexicons of {len(small)} and {len(big)} names")

    figures: dict[str, dict[str, float]] = {}
    for label, names, fuzzy in (
        ("small_fuzzy_off", small, False),
        ("small_fuzzy_on", small, True),
        ("large_fuzzy_on", big, True),
    ):
        best = float("inf")
        found = 0
        t0 = time.perf_counter()
        lexicon = lexicon_of(names)
        Normaliser(lexicon, fuzzy=fuzzy).find("warm up the index")
        build = time.perf_counter() - t0
        for _ in range(args.runs):
            n = Normaliser(lexicon, fuzzy=fuzzy)
            n.find("warm")  # the index is shared through the lexicon; the word memo restarts
            lexicon.words._memo.clear()
            t = time.perf_counter()
            found = len(n.find(text))
            best = min(best, time.perf_counter() - t)
        figures[label] = {
            "seconds": round(best, 2),
            "mb_per_s": round(mb / best, 2),
            "mentions": found,
            "build_s": round(build, 2),
        }
        print(label, figures[label], flush=True)
    result = {
        "text_mb": round(mb, 2),
        "names": [len(small), len(big)],
        **figures,
        "fuzzy_on_over_off": round(
            figures["small_fuzzy_on"]["seconds"] / figures["small_fuzzy_off"]["seconds"], 2
        ),
        "large_over_small": round(
            figures["large_fuzzy_on"]["seconds"] / figures["small_fuzzy_on"]["seconds"], 2
        ),
    }
    emit(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
