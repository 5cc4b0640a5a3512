"""Run the fuzz tests (tests/test_fuzz.py: the JSON Lines and plain text readers with the find
and text jobs, the lexicon loader) for a given time, round after round with fresh seeds.

    python benchmarks/fuzz.py --minutes 10

Prints the rounds and examples run per test; a failure stops it with Hypothesis's report
(the smallest failing input), to be made a regression test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--examples", type=int, default=1000, help="examples per round")
    args = ap.parse_args()
    os.environ["NORMALISE_FUZZ_EXAMPLES"] = str(args.examples)
    sys.path.insert(0, str(ROOT))
    from tests import test_fuzz

    tests = [
        test_fuzz.test_jsonl_reader_and_jobs_keep_every_record,
        test_fuzz.test_plain_text_reader_and_jobs,
        test_fuzz.test_lexicon_loader_reports_problems_never_raises,
    ]
    rounds = dict.fromkeys((t.__name__ for t in tests), 0)
    end = time.monotonic() + args.minutes * 60
    start = time.monotonic()
    while time.monotonic() < end:
        for test in tests:
            test()
            rounds[test.__name__] += 1
    elapsed = time.monotonic() - start
    for name, n in rounds.items():
        print(f"{name}: {n} rounds, {n * args.examples} examples, no failure")
    print(f"{elapsed / 60:.1f} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
