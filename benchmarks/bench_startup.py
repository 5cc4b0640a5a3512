"""Start-up time: import normalise and run a first find with every bundled lexicon loaded.

    python benchmarks/bench_startup.py --runs 10

Each run is a fresh Python process. Cold runs start with an empty cache folder (the bundled
lexicon is parsed, CLDR territories generated, the index compiled and cached); warm runs
reuse it. Prints the median and the spread of each, in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

PROBE = (
    "import time; t = time.perf_counter(); import normalise; "
    "normalise.find('Hizbullah fought ISIS near Deir Ezzor.'); "
    "print(time.perf_counter() - t)"
)


def timed(cache: str) -> float:
    env = {**os.environ, "NORMALISE_CACHE_DIR": cache}
    env.pop("NORMALISE_NO_CACHE", None)
    # From benchmarks/: `python -c` imports the installed normalise (a compiled wheel if so
    # installed), never the sources at the top of the repository.
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=here,
    )
    return float(out.stdout.strip())


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--cold-runs", type=int, default=3)
    args = ap.parse_args()
    cold, warm = [], []
    for _ in range(args.cold_runs):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(timed(cache))
    with tempfile.TemporaryDirectory() as cache:
        timed(cache)  # fill it
        warm = [timed(cache) for _ in range(args.runs)]
    figures = {
        name: {
            "median_s": round(statistics.median(v), 3),
            "min_s": round(min(v), 3),
            "max_s": round(max(v), 3),
            "runs": len(v),
        }
        for name, v in (("cold", cold), ("warm", warm))
    }
    import normalise  # the same one the probes import: this script runs from benchmarks/

    build = "compiled (mypyc)" if normalise.COMPILED else "pure Python"
    print(json.dumps({"build": build, **figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
