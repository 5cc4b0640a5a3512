"""FlashText's own 49 extractor cases, through Lexicon.from_dict, in both case modes."""

from __future__ import annotations

import json

import pytest

from normalise import Lexicon, Normaliser

from .conftest import shared_path


def _cases() -> list[dict]:
    return json.loads(
        shared_path("peers", "flashtext", "keyword_extractor_test_cases.json").read_text()
    )


@pytest.mark.parametrize("case_sensitive", [False, True], ids=["insensitive", "sensitive"])
def test_flashtext_extractor_cases(case_sensitive: bool) -> None:
    cases = _cases()
    assert len(cases) == 49
    key = "keywords_case_sensitive" if case_sensitive else "keywords"
    failures = []
    for i, case in enumerate(cases):
        n = Normaliser(Lexicon.from_dict(case["keyword_dict"], case_sensitive=case_sensitive))
        got = [m.label for m in n.find(case["sentence"])]
        if got != case[key]:
            failures.append((i, case["sentence"], case[key], got))
    assert failures == []
