"""The bundled lexicon's build: CLDR territories, the curated overlay, the on-disk cache."""

from __future__ import annotations

import shutil

from normalise import Normaliser
from normalise.cache import build_bundled, content_hash, load_bundled
from normalise.lexicon import bundled_lexicon_dir
from normalise.territories import territory_entities


def test_territories_are_generated_with_guards() -> None:
    ents = {e.id: e for e in territory_entities()}
    assert len(ents) >= 240
    assert "turkey" in ents and "ivory-coast" in ents and "united-states" in ents
    for e in ents.values():
        for v in e.variants:
            if v.text[:1].lower() != v.text[:1].upper():
                assert v.capitalised, (e.id, v.text)
    # A foreign name that is an English word is left out.
    assert not any(v.text == "Iraqi" for v in ents["iraq"].variants)
    assert any(v.context for v in ents["chad"].variants if v.text == "Chad")


def test_curated_countries_keep_their_own_forms(bundled) -> None:
    turkey = bundled.lexicon["turkey"]
    assert turkey.labels["en"] == "Turkey"  # curated, not CLDR's "Türkiye"
    assert [m.surface for m in bundled.find("Türkiye, Turkey and a turkey")] == [
        "Türkiye",
        "Turkey",
    ]


def test_cache_is_keyed_by_content(tmp_path, monkeypatch) -> None:
    copy = tmp_path / "lexicons"
    shutil.copytree(bundled_lexicon_dir(), copy)
    before = content_hash(copy)
    target = next(copy.glob("places/*.toml"))
    target.write_text(target.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert content_hash(copy) != before


def test_cached_lexicon_matches_a_fresh_build(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NORMALISE_CACHE_DIR", str(tmp_path))
    first = load_bundled()  # builds and writes the cache
    assert list(tmp_path.glob("bundled-*.pickle"))
    second = load_bundled()  # reads it
    fresh = build_bundled(bundled_lexicon_dir())
    text = "ИГИЛ, Hezbolah and the PMU near Mosul; Türkiye, Deutschland, 中国 and Irak."
    expected = Normaliser(fresh).find(text)
    assert Normaliser(first).find(text) == expected
    assert Normaliser(second).find(text) == expected
    assert len(expected) >= 7
