"""The data-driven cases of tests/cases/find.jsonl (schema in tests/cases/README.md)."""

from __future__ import annotations

import pytest

from normalise import Lexicon, Normaliser

from .conftest import CASES, load_jsonl

CASE_LIST = load_jsonl(CASES / "find.jsonl")


def _params():
    for case in CASE_LIST:
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        yield pytest.param(case, id=case["id"], marks=marks)


def test_case_ids_are_unique():
    ids = [c["id"] for c in CASE_LIST]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", list(_params()))
def test_case(case, bundled):
    if case["lexicon"] == "bundled":
        n = bundled
    else:
        lex = Lexicon.from_dict(
            case["lexicon"],
            case_sensitive=case.get("case_sensitive", False),
            fuzzy=case.get("fuzzy", True),
        )
        n = Normaliser(lex)
    text = case["text"]
    mentions = n.find(text, lang=case.get("lang"))
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    got = [[m.surface, m.entity_id] for m in mentions]
    if case.get("only"):
        wanted = {e for _, e in case["expect"]}
        got = [g for g in got if g[1] in wanted]
    assert got == case["expect"], case["why"]
    if "edits" in case:
        assert [m.edits for m in mentions] == case["edits"]
    if "normalised" in case:
        lang = case.get("target_lang", "en")
        once = n.normalise(text, target_lang=lang)
        assert once == case["normalised"]
        if case.get("idempotent"):
            assert n.normalise(once, target_lang=lang) == once
