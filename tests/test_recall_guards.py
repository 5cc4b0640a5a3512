"""Guards that work in every language: cue entities, Wikidata ids in the checker, and the
evaluation's coverage. (The bundled-lexicon traps are rows of tests/cases/find.jsonl.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from normalise import Lexicon, Normaliser
from normalise.check import check_paths
from normalise.evaluate import evaluate

SOURCES = "| key | source | licence | used for |\n|---|---|---|---|\n| test | tests | CC0 | all |\n"

IS = """id = "islamic-state"
type = "organisation"
wikidata = "Q2429253"
sources = ["test"]
[labels]
en = "Islamic State"
[[variants]]
text = "IS"
case_sensitive = true
fuzzy = false
cue_entities = ["syria"]
"""

SYRIA = """id = "syria"
type = "place"
wikidata = "Q858"
sources = ["test"]
[labels]
en = "Syria"
de = "Syrien"
ar = "سوريا"
"""


def _lexicon(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "SOURCES.md").write_text(SOURCES, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def cued(tmp_path: Path) -> Normaliser:
    folder = _lexicon(tmp_path, {"islamic-state.toml": IS, "syria.toml": SYRIA})
    return Normaliser(Lexicon.load(folder))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Der IS kämpft weiter in Syrien.", ["IS", "Syrien"]),
        ("قال إن IS ما زال في سوريا", ["IS", "سوريا"]),
        ("Der IS kämpft weiter.", []),
        ("IS IS IS", []),
    ],
)
def test_a_cue_entity_backs_an_ambiguous_form_in_any_language(
    cued: Normaliser, text: str, found: list[str]
) -> None:
    assert [m.surface for m in cued.find(text)] == found


def test_the_checker_wants_known_cue_entities_and_unique_wikidata(tmp_path: Path) -> None:
    other = SYRIA.replace('id = "syria"', 'id = "syrie"').replace("Syria", "Syria Two")
    other = other.replace("Syrien", "Syrien Zwei").replace("سوريا", "سوريا ٢")
    bad_cue = IS.replace('["syria"]', '["nowhere-at-all"]')
    folder = _lexicon(tmp_path, {"islamic-state.toml": bad_cue, "syria.toml": SYRIA})
    (folder / "syrie.toml").write_text(other, encoding="utf-8")
    _, problems = check_paths([folder])
    messages = [str(p) for p in problems]
    assert any("cue entity 'nowhere-at-all' is not an entity id" in m for m in messages)
    assert any("islamic-state.toml:11:" in m for m in messages), messages
    assert any("wikidata id Q858 is also used by 'syria'" in m for m in messages)


def test_the_bundled_check_requires_a_wikidata_id(tmp_path: Path) -> None:
    folder = _lexicon(tmp_path, {"syria.toml": SYRIA.replace('wikidata = "Q858"\n', "")})
    assert check_paths([folder])[1] == []
    (problem,) = check_paths([folder], require_wikidata=True)[1]
    assert problem.line == 1 and "field 'wikidata' is required" in problem.message


def test_evaluate_reports_coverage_and_scores_every_mention_of_complete_gold(
    cued: Normaliser,
) -> None:
    text = "Der IS ist in Syrien und in Palmyra."
    gold = [
        {"start": 4, "end": 6, "surface": "IS", "entity": "islamic-state", "tag": "org"},
        {"start": 27, "end": 34, "surface": "Palmyra", "entity": "palmyra", "tag": "place"},
    ]
    doc = {"doc": "d", "lang": "de", "text": text, "mentions": gold}
    partial = evaluate(cued, [doc])
    assert (partial.overlap.tp, partial.overlap.fp, partial.overlap.fn) == (1, 0, 1)
    assert partial.coverage == 0.5
    complete = evaluate(cued, [{**doc, "complete": True}])
    assert (complete.overlap.tp, complete.overlap.fp) == (1, 1)  # Syrien is not in the gold
    assert complete.per_lang["de"].fp == 1
    assert "(not in the lexicon)" in complete.text(errors=True)
