"""The benchmark data generators: benchmarks/make_dump.py and benchmarks/make_lexicon.py.

Small outputs, so the whole file runs in seconds: dumps are reproducible byte for byte, every
gold span is the text it names, and synthetic lexicons pass the checker and are prefix-stable.
"""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from normalise.check import check_paths

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _script(name: str) -> ModuleType:
    """A script of benchmarks/ (not a package) imported as a module."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


make_dump = _script("make_dump")
make_lexicon = _script("make_lexicon")

MULTI = {"en": 1.0, "ar": 1.0, "ru": 1.0, "tr": 1.0}  # one language of each kind of affix


def _dump(folder: Path, name: str, size: int, langs: dict[str, float], seed: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / name
    make_dump.generate(out, size, langs, seed=seed, log=lambda _: None)
    return out


def _gold(out: Path) -> list[dict[str, Any]]:
    _, _, gold, _ = make_dump.output_paths(out)
    with gzip.open(gold, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="module")
def text_dumps(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("text")
    return [
        _dump(root / "a", "en.txt", 200_000, {"en": 1.0}, 1),
        _dump(root / "b", "en.txt", 200_000, {"en": 1.0}, 1),
        _dump(root / "c", "en.txt", 200_000, {"en": 1.0}, 2),
    ]


@pytest.fixture(scope="module")
def jsonl_dumps(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("jsonl")
    return [
        _dump(root / "a", "multi.jsonl.gz", 300_000, MULTI, 1),
        _dump(root / "b", "multi.jsonl.gz", 300_000, MULTI, 1),
        _dump(root / "c", "multi.jsonl.gz", 300_000, MULTI, 2),
    ]


def _files(out: Path) -> list[Path]:
    _, _, gold, meta = make_dump.output_paths(out)
    return [out, gold, meta]


def test_output_names() -> None:
    fmt, gz, gold, meta = make_dump.output_paths(Path("d/en-200MB.txt.gz"))
    assert (fmt, gz, gold.name, meta.name) == (
        "txt",
        True,
        "en-200MB.gold.jsonl.gz",
        "en-200MB.meta.json",
    )
    assert make_dump.output_paths(Path("x.jsonl"))[:2] == ("jsonl", False)
    with pytest.raises(ValueError):
        make_dump.output_paths(Path("x.csv"))


@pytest.mark.parametrize("fixture", ["text_dumps", "jsonl_dumps"])
def test_reproducible(fixture: str, request: pytest.FixtureRequest) -> None:
    a, b, c = request.getfixturevalue(fixture)
    for fa, fb in zip(_files(a), _files(b), strict=True):
        if fa.suffix != ".json":  # meta.json names its own files
            assert fa.read_bytes() == fb.read_bytes(), fa.name
    assert a.read_bytes() != c.read_bytes()  # another seed, another dump


def test_text_gold_spans(text_dumps: list[Path]) -> None:
    out = text_dumps[0]
    text = out.read_text(encoding="utf-8")
    gold = _gold(out)
    assert len(gold) > 100
    docs = text.split("\n\n")[:-1]  # each document ends with a blank line
    doc_starts = list(itertools.accumulate((len(d) + 2 for d in docs[:-1]), initial=0))
    previous_end = -1
    for g in gold:
        # File offsets, as `normalise find FILE` reports them.
        assert text[g["start"] : g["end"]] == g["surface"]
        assert g["start"] >= previous_end  # in text order, never overlapping
        previous_end = g["end"]
        assert doc_starts[g["doc"]] <= g["start"]
        assert g["doc"] + 1 == len(doc_starts) or g["end"] < doc_starts[g["doc"] + 1]
        assert g["lang"] == "en"
    assert {g["kind"] for g in gold} == {"exact", "misspelling"}  # no affix rules for English
    meta = json.loads(_files(out)[2].read_text(encoding="utf-8"))
    assert meta["mentions"]["total"] == len(gold)
    assert meta["documents"] == len(doc_starts)
    assert meta["characters"] >= 200_000


def test_jsonl_gold_spans(jsonl_dumps: list[Path]) -> None:
    out = jsonl_dumps[0]
    with gzip.open(out, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    assert [r["id"] for r in records[:2]] == ["d0000001", "d0000002"]
    assert {r["lang"] for r in records} == set(MULTI)
    gold = _gold(out)
    seen = set()
    previous = (-1, -1)
    for g in gold:
        record = records[g["doc"]]
        assert record["text"][g["start"] : g["end"]] == g["surface"]  # record offsets
        assert g["lang"] == record["lang"]
        assert (g["doc"], g["start"]) >= previous  # in text order, never overlapping
        previous = (g["doc"], g["end"])
        seen.add((g["lang"], g["kind"]))
    for lang in ("ar", "ru", "tr"):  # languages with affix rules get all three kinds
        assert {k for code, k in seen if code == lang} == {"exact", "misspelling", "affix"}
    assert ("en", "affix") not in seen


def test_affix_forms() -> None:
    form = make_dump.Form
    rng = make_dump.Random(3)
    russian = form("vladimir-putin", "person", "Владимир Путин", False, True, False)
    declined = {make_dump._russian(russian, rng) for _ in range(40)}
    assert "Владимира Путина" in declined and "Владимиром Путиным" in declined
    state = form("islamic-state", "organisation", "Исламское государство", False, True, False)
    assert "Исламского государства" in {make_dump._russian(state, rng) for _ in range(40)}
    listed = {"da", "de", "nın", "nin", "ın", "in"}
    abd = form("united-states", "place", "ABD", True, False, True)
    assert {make_dump._turkish(abd, rng, listed, 4)[4:] for _ in range(60)} >= {"nin", "de", "ye"}
    mosul = form("mosul", "place", "الموصل", False, True, False)
    spec = {"prefixes": ["و", "ل"], "article": "ال", "article_prefixes": ["لل"]}
    assert {make_dump.Affixer("ar", spec).write(mosul, rng) for _ in range(40)} == {
        "والموصل",
        "للموصل",
    }


def test_no_partial_file_on_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def failing(self: Any) -> Any:
        calls.append(1)
        if len(calls) > 50:
            raise KeyboardInterrupt
        return original(self)

    original = make_dump.Writer.document
    monkeypatch.setattr(make_dump.Writer, "document", failing)
    with pytest.raises(KeyboardInterrupt):
        make_dump.generate(tmp_path / "x.txt.gz", 10**9, {"en": 1.0}, log=lambda _: None)
    assert list(tmp_path.iterdir()) == []


def test_lexicon_checks_and_is_prefix_stable(tmp_path: Path) -> None:
    make_lexicon.generate(tmp_path / "300", 300, seed=1)
    make_lexicon.generate(tmp_path / "100", 100, seed=1)
    entities, problems = check_paths([tmp_path / "300"])
    assert problems == [] and len(entities) == 300
    assert {e.type for e in entities} == {"person", "organisation", "place"}
    assert all(1 <= len([v for v in e.variants if v.note != "label"]) <= 4 for e in entities)
    small = sorted(p.relative_to(tmp_path / "100") for p in (tmp_path / "100").rglob("*.toml"))
    assert len(small) == 100
    ids = sorted(p.stem for p in small)
    assert ids == [f"s{i:07d}" for i in range(1, 101)]  # the first 100 of the generation order
    for p in small:
        assert (tmp_path / "100" / p).read_bytes() == (tmp_path / "300" / p).read_bytes()
    with pytest.raises(FileExistsError):
        make_lexicon.generate(tmp_path / "100", 100, seed=1)
