"""The command line: text, find, JSON Lines, bad input, lexicon check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalise.cli import main

from .conftest import ROOT

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_rewrites_the_sample(capsys) -> None:
    code, out, _ = run(capsys, "text", str(ROOT / "examples" / "sample.txt"))
    assert code == 0
    assert "Islamic State" in out and "Popular Mobilization Forces" in out
    assert "Hizbullah" not in out


def test_find_offsets_index_the_whole_document(capsys, tmp_path) -> None:
    text = "Intro line.\n\n" + "ISIS here.\n\n" * 3 + "Hizbullah at the end."
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "find", str(f), str(f))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [r["doc"] for r in rows] == [0] * 4 + [1] * 4
    for r in rows:
        assert text[r["start"] : r["end"]] == r["surface"]


def test_jsonl_field_and_target_lang(capsys, tmp_path) -> None:
    f = tmp_path / "posts.jsonl"
    f.write_text(
        '{"id": 1, "body": "Hizbullah"}\n{"id": 2, "body": "Daesh and Iraq"}\n', encoding="utf-8"
    )
    code, out, _ = run(capsys, "text", "--field", "body", "--target-lang", "ar", str(f))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [r["id"] for r in records] == [1, 2]
    assert records[0]["body"] == "حزب الله"
    code, out, _ = run(capsys, "find", "--field", "body", str(f))
    assert [(json.loads(x)["doc"], json.loads(x)["entity_id"]) for x in out.splitlines()] == [
        (0, "hezbollah"),
        (1, "islamic-state"),
        (1, "iraq"),
    ]


def test_invalid_utf8_names_file_and_line_and_leaves_no_output(capsys, tmp_path) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(b"ISIS line one\nline two \xff\xfe bad\n")
    out_file = tmp_path / "out.txt"
    code, _, err = run(capsys, "text", str(f), "-o", str(out_file))
    assert code == 2
    assert f"{f}:2: invalid UTF-8" in err
    assert not out_file.exists()
    assert list(tmp_path.iterdir()) == [f]  # no temporary file either


def test_malformed_json_fails_or_is_skipped(capsys, tmp_path) -> None:
    f = tmp_path / "posts.jsonl"
    f.write_text(
        '{"text": "ISIS"}\n{"text": oops}\n{"nope": 1}\n{"text": "Iraq"}\n', encoding="utf-8"
    )
    out_file = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "text", str(f), "-o", str(out_file))
    assert code == 2 and f"{f}:2: malformed JSON" in err and not out_file.exists()
    code, _, err = run(capsys, "text", "--on-error", "skip", str(f), "-o", str(out_file))
    assert code == 0
    assert f"{f}:2: malformed JSON" in err and f"{f}:3: field 'text'" in err
    assert "skipped 2 bad record(s)" in err
    # every record keeps its place: a bad one is written unchanged
    lines = out_file.read_text(encoding="utf-8").splitlines()
    assert lines[1:3] == ['{"text": oops}', '{"nope": 1}']
    assert [json.loads(lines[i])["text"] for i in (0, 3)] == ["Islamic State", "Iraq"]


def test_extra_lexicon_and_no_default(capsys, tmp_path) -> None:
    lex = tmp_path / "lex" / "organisations"
    lex.mkdir(parents=True)
    (lex / "acme-corporation.toml").write_text(
        'id = "acme-corporation"\ntype = "organisation"\nsources = ["editorial"]\n'
        '[labels]\nen = "Acme Corporation"\n[[variants]]\ntext = "ACME"\ncase_sensitive = true\n',
        encoding="utf-8",
    )
    f = tmp_path / "t.txt"
    f.write_text("ACME and ISIS, acme", encoding="utf-8")
    code, out, _ = run(
        capsys, "text", "--no-default-lexicon", "--lexicon", str(tmp_path / "lex"), str(f)
    )
    assert code == 0 and out == "Acme Corporation and ISIS, acme"
    code, out, _ = run(capsys, "text", "--lexicon", str(tmp_path / "lex"), str(f))
    assert out == "Acme Corporation and Islamic State, acme"


def test_bundled_lexicons_pass_the_check(capsys) -> None:
    code, out, _ = run(capsys, "lexicon", "check")
    assert code == 0, out
    assert out.startswith("ok:")


BAD = [
    ("bad-toml.toml", 4, "invalid TOML"),
    ("bad-id.toml", 1, "not kebab case"),
    ("wrong-name.toml", 1, "does not match the file name"),
    ("bad-type.toml", 2, "field 'type' must be one of"),
    ("bad-lang.toml", 7, "'xx-Nope' is not a language tag"),
    ("bad-variant-lang.toml", 10, "lang 'zz' is not a language tag"),
    ("missing-text.toml", 8, "field 'text' is required"),
    ("unknown-field.toml", 10, "unknown field 'case_sensitiv'"),
    ("bad-source.toml", 3, "source 'blog' is not a key"),
    ("duplicate-variant.toml", 12, "repeats an earlier form"),
    ("duplicate-variant.toml", 9, "also claimed by 'claimed-twice'"),
    ("bad-flag.toml", 10, "'case_sensitive' must be true or false"),
    ("ordinary-word.toml", 9, "variant 'Will' is also an ordinary word"),
]


@pytest.mark.parametrize(("name", "line", "message"), BAD, ids=[b[0] for b in BAD])
def test_lexicon_check_points_at_the_problem(capsys, name, line, message) -> None:
    folder = FIXTURES / "bad_lexicons"
    code, out, _ = run(capsys, "lexicon", "check", str(folder))
    assert code == 1
    path = folder / name
    wanted = [x for x in out.splitlines() if x.startswith(f"{path}:")]
    assert any(x.startswith(f"{path}:{line}: ") and message in x for x in wanted), wanted


def test_evaluate_command_prints_scores_and_errors(capsys, tmp_path) -> None:
    gold = tmp_path / "gold.jsonl"
    doc = {
        "doc": "d1",
        "text": "Hezbolllah met ISIS in Iraq.",
        "mentions": [
            {
                "start": 0,
                "end": 10,
                "surface": "Hezbolllah",
                "entity": "hezbollah",
                "tag": "misspelling",
            },
            {
                "start": 15,
                "end": 19,
                "surface": "ISIS",
                "entity": "islamic-state",
                "tag": "acronym",
            },
        ],
    }
    gold.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "evaluate", str(gold), "--errors")
    assert code == 0
    # Only entities the gold names are scored: "Iraq" is found but neither right nor wrong.
    assert "overlap  P=1.000 R=1.000 F1=1.000" in out
    assert "misspelling      recall=1.000 (1/1)" in out
    code, out, _ = run(capsys, "evaluate", str(gold), "--no-fuzzy", "--errors", "--min-f1", "0.9")
    assert code == 1
    assert "MISS  d1 0-10 'Hezbolllah' -> hezbollah [misspelling]" in out


def test_a_shared_variant_is_allowed_when_both_sides_give_cues(capsys, tmp_path) -> None:
    folder = tmp_path / "organisations"
    folder.mkdir()
    for eid, cues in (("hayat-tahrir-al-sham", '["Idlib", "Syria"]'), ("hts-corp", '["software"]')):
        (folder / f"{eid}.toml").write_text(
            f'id = "{eid}"\ntype = "organisation"\nsources = ["editorial"]\n[labels]\n'
            f'en = "{eid}"\n[[variants]]\ntext = "HTS"\ncase_sensitive = true\ncontext = {cues}\n',
            encoding="utf-8",
        )
    code, out, _ = run(capsys, "lexicon", "check", str(tmp_path))
    assert code == 0, out
    (folder / "hts-corp.toml").write_text(
        'id = "hts-corp"\ntype = "organisation"\nsources = ["editorial"]\n[labels]\n'
        'en = "HTS Corp"\n[[variants]]\ntext = "HTS"\ncase_sensitive = true\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "lexicon", "check", str(tmp_path))
    assert code == 1 and "also claimed by 'hayat-tahrir-al-sham'" in out


def test_lexicon_stats_and_show(capsys) -> None:
    code, out, _ = run(capsys, "lexicon", "stats", "--json")
    stats = json.loads(out)
    assert code == 0
    assert stats["cldr_territories"] >= 240
    assert stats["territories_with_100_plus_locales"] >= 200
    assert set(stats["ids"]) <= set(stats["per_id"])
    assert "en" in stats["per_id"]["hezbollah"]["label_languages"]
    code, out, _ = run(capsys, "lexicon", "show", "islamic-state")
    assert code == 0 and "ISIS" in out and "case_sensitive" in out
    code, _, err = run(capsys, "lexicon", "show", "no-such-id")
    assert code == 2 and "no-such-id" in err
