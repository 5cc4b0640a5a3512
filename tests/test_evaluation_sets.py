"""Accuracy on annotated data: our multilingual set (tests/eval) and the seed gold (../shared)."""

from __future__ import annotations

import pytest

from normalise.evaluate import Report, evaluate, read_gold

from .conftest import shared_path
from .eval.build import GOLD, SOURCE, build, dumps

# Issue 3's floors for our own set.
MIN_PRECISION = 0.98
MIN_RECALL = 0.92
MIN_SEED_OVERLAP_F1 = 0.99


def test_multilingual_gold_is_built_from_its_source() -> None:
    assert GOLD.read_text(encoding="utf-8") == dumps(build(SOURCE))


@pytest.fixture(scope="module")
def multilingual(bundled) -> Report:
    return evaluate(bundled, read_gold(GOLD))


def test_multilingual_set_is_large_and_varied() -> None:
    docs = read_gold(GOLD)
    mentions = [m for d in docs for m in d["mentions"]]
    assert len(mentions) >= 150
    assert len({d["lang"] for d in docs}) >= 6
    tags = {m["tag"] for m in mentions}
    assert {"misspelling", "clitic", "suffix", "case-ending", "transliteration"} <= tags


def test_multilingual_precision_and_recall(multilingual: Report) -> None:
    o = multilingual.overlap
    assert o.precision >= MIN_PRECISION, multilingual.text(errors=True)
    assert o.recall >= MIN_RECALL, multilingual.text(errors=True)


@pytest.mark.parametrize("tag", ["misspelling", "clitic", "suffix", "case-ending", "title"])
def test_every_hard_tag_is_mostly_found(multilingual: Report, tag: str) -> None:
    assert multilingual.per_tag[tag].recall >= 0.9, multilingual.text(errors=True)


def test_seed_gold_with_fuzzy_matching(bundled) -> None:
    gold = shared_path("eval", "seeds.gold.jsonl")
    report = evaluate(bundled, read_gold(gold))
    assert report.overlap.f1 >= MIN_SEED_OVERLAP_F1, report.text(errors=True)
    missed = [e for e in report.errors if e.startswith("MISS")]
    assert not any("Hadr Al-Abadi" in e or "Qassem Solemio" in e for e in missed)
