"""The seed gold in ../shared/eval, scored by its own score.py."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT, shared_path

MIN_OVERLAP_F1 = 0.99


def test_seed_gold_overlap_f1() -> None:
    score = shared_path("eval", "score.py")
    gold = shared_path("eval", "seeds.gold.jsonl")
    run = subprocess.run(
        [sys.executable, str(score), str(gold)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    f1 = float(re.search(r"overlap_f1=([0-9.]+)", run.stdout).group(1))
    assert f1 >= MIN_OVERLAP_F1, run.stdout
