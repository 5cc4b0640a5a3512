"""Streaming input: compressed files, folders, worker processes, bad input located."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from normalise import streaming
from normalise.cli import main
from normalise.streaming import InputError, expand_inputs, ordered_map, read_blocks

COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
}

PARAGRAPHS = [
    "Hizbullah and the U.S.-led coalition fought Daesh near Deir Ezzor.",
    "Prime Minister Hadr Al-Abadi thanked Hezbolah; ИГИЛ покинул Ракку.",
    "Nothing to see here,\njust two lines.",
    "بداعش والحشد الشعبي في الموصل",
    "ISIS, Iraq and Syria; Rakka'dan gelen haber.",
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def plain_text(n: int = 40) -> str:
    return "\n\n".join(PARAGRAPHS[i % len(PARAGRAPHS)] for i in range(n)) + "\n"


def records(n: int = 40) -> str:
    return "".join(
        json.dumps({"id": i, "text": PARAGRAPHS[i % len(PARAGRAPHS)]}, ensure_ascii=False) + "\n"
        for i in range(n)
    )


ENTITIES = {
    "hezbollah": ("organisation", "Hezbollah", ["Hizbullah", "Hizb Allah", "حزب الله"]),
    "islamic-state": ("organisation", "Islamic State", ["Daesh", "داعش", "ИГИЛ"]),
    "raqqa": ("place", "Raqqa", ["Rakka", "Ракка"]),
}


@pytest.fixture(scope="module")
def lexicon(tmp_path_factory) -> list[str]:
    """CLI options for a small lexicon: quicker to load than the bundled one."""
    root = tmp_path_factory.mktemp("lexicon")
    for eid, (kind, label, variants) in ENTITIES.items():
        folder = root / f"{kind}s"
        folder.mkdir(exist_ok=True)
        body = "".join(f"[[variants]]\ntext = {json.dumps(v)}\n" for v in variants)
        (folder / f"{eid}.toml").write_text(
            f'id = "{eid}"\ntype = "{kind}"\nsources = ["editorial"]\n'
            f'[labels]\nen = "{label}"\n{body}',
            encoding="utf-8",
        )
    return ["--no-default-lexicon", "--lexicon", str(root)]


@pytest.fixture
def small_blocks(monkeypatch) -> None:
    """Blocks of a few paragraphs and batches of a few records, so that inputs have many."""
    monkeypatch.setattr(streaming, "_BLOCK_CHARS", 150)
    monkeypatch.setattr(streaming, "_BATCH_RECORDS", 3)


@pytest.mark.parametrize("command", ["find", "text"])
def test_compressed_input_gives_the_same_output(capsys, tmp_path, lexicon, command) -> None:
    for name, content in (("doc.txt", plain_text()), ("posts.jsonl", records())):
        plain = tmp_path / name
        plain.write_text(content, encoding="utf-8")
        code, expected, _ = run(capsys, command, *lexicon, str(plain))
        assert code == 0 and "Raqqa" in expected
        for suffix, compress in COMPRESS.items():
            packed = tmp_path / (name + suffix)
            packed.write_bytes(compress(content.encode("utf-8")))
            code, got, _ = run(capsys, command, *lexicon, str(packed))
            assert code == 0
            assert got == expected, packed.name


def test_a_folder_is_its_files_in_order_without_hidden_files_or_sidecars(
    capsys, tmp_path, lexicon
) -> None:
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / "a.txt").write_text(plain_text(3), encoding="utf-8")
    (tmp_path / "b" / "c" / "d.jsonl.gz").write_bytes(gzip.compress(records(4).encode()))
    (tmp_path / "b" / "e.txt").write_text("Daesh.\n", encoding="utf-8")
    for skipped in (".hidden.txt", "a.gold.jsonl.gz", "a.gold.jsonl", "a.meta.json"):
        (tmp_path / skipped).write_text("ISIS\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("ISIS\n", encoding="utf-8")
    files = [str(tmp_path / p) for p in ("a.txt", "b/c/d.jsonl.gz", "b/e.txt")]
    assert expand_inputs([str(tmp_path)]) == files
    code, from_folder, _ = run(capsys, "find", *lexicon, str(tmp_path))
    assert code == 0
    assert run(capsys, "find", *lexicon, *files)[1] == from_folder
    docs = {json.loads(x)["doc"] for x in from_folder.splitlines()}
    assert docs == {0, 1, 2, 4, 5}  # record 3 is the paragraph with no mention


def test_an_empty_folder_is_an_error(capsys, tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "find", str(tmp_path / "empty"))
    assert code == 2 and "no input files" in err


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("command", ["find", "text"])
def test_two_workers_write_what_one_writes(capsys, tmp_path, command) -> None:
    text = tmp_path / "doc.txt"
    text.write_text(plain_text(60), encoding="utf-8")
    posts = tmp_path / "posts.jsonl"
    posts.write_text(records(50), encoding="utf-8")
    assert sum(1 for _ in read_blocks([str(text), str(posts)])) > 20
    code, one, _ = run(capsys, command, str(text), str(posts), str(text))
    assert code == 0 and one
    code, two, _ = run(capsys, command, "--workers", "2", str(text), str(posts), str(text))
    assert code == 0
    assert two == one
    if command == "find":
        content = text.read_text(encoding="utf-8")
        for row in map(json.loads, one.splitlines()):
            if row["doc"] == 0:  # offsets index the whole file, across blocks
                assert content[row["start"] : row["end"]] == row["surface"]


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("workers", ["1", "2"])
def test_bad_records_skipped_in_order_with_workers(capsys, tmp_path, lexicon, workers) -> None:
    lines = records(20).splitlines(keepends=True)
    lines[4] = '{"text": oops}\n'
    lines[11] = '{"body": "no text"}\n'
    posts = tmp_path / "posts.jsonl"
    posts.write_text("".join(lines), encoding="utf-8")
    out_file = tmp_path / "out.jsonl"
    options = [*lexicon, "--workers", workers, "--on-error", "skip"]
    code, _, err = run(capsys, "text", *options, str(posts), "-o", str(out_file))
    assert code == 0
    reported = [x for x in err.splitlines() if "skipped" in x]
    assert len(reported) == 3
    assert f"{posts}:5: malformed JSON" in reported[0]
    assert f"{posts}:12: field 'text' must be a string" in reported[1]
    assert "skipped 2 bad record(s)" in reported[2]
    written = out_file.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(written) == len(lines)  # bad records are written unchanged, in their place
    assert [written[i] for i in (4, 11)] == [lines[i] for i in (4, 11)]
    kept = [json.loads(x)["id"] for i, x in enumerate(written) if i not in (4, 11)]
    assert kept == [i for i in range(20) if i not in (4, 11)]
    # find's doc is the input record's index, whatever the workers: mentions join back
    code, out, _ = run(capsys, "find", *options, str(posts))
    assert code == 0
    rows = [json.loads(x) for x in out.splitlines()]
    assert rows and {r["doc"] for r in rows}.isdisjoint({4, 11})
    for r in rows:
        text = json.loads(lines[r["doc"]])["text"]
        assert text[r["start"] : r["end"]] == r["surface"]


@pytest.mark.usefixtures("small_blocks")
def test_a_bad_record_stops_two_workers_and_leaves_no_output(capsys, tmp_path, lexicon) -> None:
    lines = records(30).splitlines(keepends=True)
    lines[17] = "[1, 2]\n"
    posts = tmp_path / "posts.jsonl"
    posts.write_text("".join(lines), encoding="utf-8")
    out_file = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "find", *lexicon, "--workers", "2", str(posts), "-o", str(out_file))
    assert code == 2
    assert f"{posts}:18: expected a JSON object, got list" in err
    assert sorted(tmp_path.iterdir()) == [posts]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_invalid_utf8_in_a_gz_names_file_and_line(capsys, tmp_path, lexicon, workers) -> None:
    f = tmp_path / "bad.txt.gz"
    f.write_bytes(gzip.compress(b"ISIS line one\n\nline three\nline four \xff bad\n"))
    out_file = tmp_path / "out.txt"
    code, _, err = run(capsys, "text", *lexicon, "--workers", workers, str(f), "-o", str(out_file))
    assert code == 2
    assert f"{f}:4: invalid UTF-8 (byte 0xff at column 11)" in err
    assert sorted(tmp_path.iterdir()) == [f]


def test_corrupt_compressed_data_names_the_file(capsys, tmp_path, lexicon) -> None:
    f = tmp_path / "cut.jsonl.xz"
    f.write_bytes(lzma.compress(records(200).encode())[:-40])
    code, _, err = run(capsys, "find", *lexicon, str(f))
    assert code == 2 and f"{f}:" in err and "cannot decompress" in err


def test_workers_zero_means_every_cpu_and_negative_is_refused(capsys, tmp_path, lexicon) -> None:
    f = tmp_path / "t.txt"
    f.write_text("Daesh\n", encoding="utf-8")
    assert run(capsys, "text", *lexicon, "--workers", "0", str(f))[:2] == (0, "Islamic State\n")
    assert main(["text", "--workers", "-1", str(f)]) == 2
    assert "must be a whole number" in capsys.readouterr().err


def test_ordered_map_keeps_order_and_bounds_what_is_read_ahead() -> None:
    read: list[int] = []

    def items() -> Iterator[int]:
        for i in range(-40, 0):
            read.append(i)
            yield i

    results = []
    for r in ordered_map(abs, items(), workers=2, in_flight=4):
        results.append(r)
        assert len(read) <= len(results) + 4
    assert results == list(range(40, 0, -1))


def test_ordered_map_gives_what_was_read_before_an_input_error() -> None:
    def items() -> Iterator[int]:
        yield from (-1, -2, -3)
        raise InputError("dump.txt:4: invalid UTF-8")

    got: list[int] = []
    with pytest.raises(InputError, match=r"dump\.txt:4"):
        for r in ordered_map(abs, items(), workers=2):
            got.append(r)
    assert got == [1, 2, 3]


def test_text_block_offsets_cover_the_file(tmp_path: Path) -> None:
    content = plain_text(30)
    f = tmp_path / "doc.txt.bz2"
    f.write_bytes(bz2.compress(content.encode("utf-8")))
    blocks = list(read_blocks([str(f)], block_chars=100))
    assert len(blocks) > 5
    assert "".join(b.text for b in blocks if isinstance(b, streaming.TextBlock)) == content
    starts = [b.start for b in blocks if isinstance(b, streaming.TextBlock)]
    assert starts == sorted(starts) and starts[0] == 0
    assert blocks[-1].bytes_read == f.stat().st_size
