"""The public API: types, errors, labels, lexicons built in memory."""

from __future__ import annotations

import dataclasses

import pytest

import normalise
from normalise import Lexicon, Mention, Normaliser


def test_public_names() -> None:
    for name in normalise.__all__:
        assert hasattr(normalise, name)


@pytest.mark.parametrize("bad", [b"ISIS", bytearray(b"x"), None, 3, ["ISIS"]])
def test_non_str_is_a_type_error(bad) -> None:
    with pytest.raises(TypeError) as err:
        normalise.find(bad)
    assert type(bad).__name__ in str(err.value)
    if isinstance(bad, (bytes, bytearray)):
        assert "decode" in str(err.value)
    with pytest.raises(TypeError):
        normalise.normalise(bad)


def test_mention_is_frozen() -> None:
    m = normalise.find("ISIS")[0]
    assert isinstance(m, Mention)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.start = 3  # type: ignore[misc]
    assert m.to_dict()["entity_id"] == "islamic-state"


def test_method_and_variant_reported() -> None:
    n = Normaliser(Lexicon.from_dict({"Hezbollah": ["Hizb Allah"]}))
    exact, folded = n.find("Hizb Allah, ḤIZB ALLĀH")
    assert (exact.method, exact.variant, exact.score) == ("exact", "Hizb Allah", 1.0)
    assert (folded.method, folded.surface) == ("folded", "ḤIZB ALLĀH")


def test_target_lang_falls_back_through_the_locale() -> None:
    n = normalise.default_normaliser()
    assert n.normalise("Hizbullah", target_lang="ar_IQ") == n.normalise(
        "Hizbullah", target_lang="ar"
    )
    assert n.normalise("Hizbullah", target_lang="ar") != "Hezbollah"
    assert n.normalise("Hizbullah", target_lang="xx") == "Hezbollah"


def test_lexicons_combine_and_merge_variants() -> None:
    a = Lexicon.from_dict({"Iraq": ["Iraq"]})
    b = Lexicon.from_dict({"Iraq": ["Irak"], "Syria": ["Syria"]})
    both = a + b
    assert len(both) == 2
    assert [v.text for v in both["Iraq"].variants] == ["Iraq", "Irak"]
    assert [m.entity_id for m in Normaliser(both).find("Irak, Iraq, Syria")] == ["Iraq"] * 2 + [
        "Syria"
    ]


def test_from_dict_rejects_wrong_shapes() -> None:
    with pytest.raises(TypeError):
        Lexicon.from_dict([("a", ["b"])])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="single str"):
        Lexicon.from_dict({"a": "b"})


def test_empty_and_odd_texts() -> None:
    n = normalise.default_normaliser()
    assert n.find("") == []
    for text in ["\x00ISIS\x00", "\ud800ISIS\udfff", "\x07ISIS\x1b", "ISIS\u2028Iraq"]:
        found = n.find(text)
        assert [m.surface for m in found][:1] == ["ISIS"]
        assert all(text[m.start : m.end] == m.surface for m in found)


def test_a_long_line_without_spaces_is_linear() -> None:
    n = normalise.default_normaliser()
    blob = "ab" * 2_500_000 + " ISIS " + "\u0628" * 1_000_000
    found = n.find(blob)
    assert [m.surface for m in found] == ["ISIS"]


def test_a_label_does_not_undo_a_case_sensitive_variant(tmp_path) -> None:
    f = tmp_path / "organisations" / "acme.toml"
    f.parent.mkdir()
    f.write_text(
        'id = "acme"\ntype = "organisation"\nsources = ["editorial"]\n[labels]\nen = "ACME"\n'
        '[[variants]]\ntext = "ACME"\ncase_sensitive = true\n',
        encoding="utf-8",
    )
    n = Normaliser(Lexicon.load(tmp_path))
    assert [m.surface for m in n.find("ACME, acme, Acme")] == ["ACME"]


def test_fuzzy_options_and_overrides(tmp_path) -> None:
    lex = Lexicon.from_dict({"Hezbollah": ["Hezbollah"], "Soleimani": ["Soleimani"]})
    text = "Hezbolah and Solemaini"  # one edit, and two (a swap counts one, plus one)
    assert [m.edits for m in Normaliser(lex).find(text)] == [1, 2]
    assert [m.surface for m in Normaliser(lex, max_edits=1).find(text)] == ["Hezbolah"]
    assert Normaliser(lex, fuzzy=False).find(text) == []
    assert Normaliser(Lexicon.from_dict({"Hezbollah": ["Hezbollah"]}, fuzzy=False)).find(text) == []
    with pytest.raises(ValueError):
        Normaliser(lex, max_edits=-1)
    f = tmp_path / "people" / "hezbollah.toml"
    f.parent.mkdir()
    f.write_text(
        'id = "hezbollah"\ntype = "person"\nsources = ["editorial"]\n[labels]\nen = "Hezbollah"\n',
        encoding="utf-8",
    )
    assert Normaliser(Lexicon.load(tmp_path)).find("Hezbolah")
    assert Normaliser(Lexicon.load(tmp_path, fuzzy=False)).find("Hezbolah") == []
