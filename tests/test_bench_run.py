"""benchmarks/run.py: the scorer, gold alignment, and a whole run on tiny dumps."""

from __future__ import annotations

import gzip
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from normalise import streaming

from .conftest import ROOT

RUN = ROOT / "benchmarks" / "run.py"
PEER_MODULES = {
    "flashtext": "flashtext",
    "flashtext2": "flashtext2",
    "pyahocorasick": "ahocorasick",
    "ahocorasick_rs": "ahocorasick_rs",
    "spacy": "spacy",
}
INSTALLED = [p for p, m in PEER_MODULES.items() if importlib.util.find_spec(m) is not None]


def _load_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


run = _load_run()


def test_score_one_right_one_wrong_one_missed() -> None:
    gold = [
        run.Gold(0, 0, 9, "acme", "exact", "en"),
        run.Gold(0, 30, 37, "initech", "misspelling", "de"),
    ]
    found = [(0, 0, 9, "acme"), (0, 15, 21, "globex")]
    s = run.score(found, gold)
    assert (s.found, s.right, s.gold, s.matched) == (2, 1, 2, 1)
    assert (s.precision, s.recall) == (0.5, 0.5)
    assert s.by_kind == {"exact": (1, 1), "misspelling": (0, 1)}
    assert s.by_lang == {"en": (1, 1), "de": (0, 1)}


def test_score_overlap_entity_and_document_must_agree() -> None:
    gold = [
        run.Gold(1, 0, 20, "long", "exact", "en"),  # holds the next one
        run.Gold(1, 5, 8, "short", "affix", "en"),
        run.Gold(2, 0, 4, "isis", "exact", "en"),
    ]
    found = [
        (1, 6, 7, "short"),  # overlaps both; right for "short" only
        (1, 18, 25, "long"),  # overlaps the end of "long"
        (2, 0, 4, "iraq"),  # right place, wrong entity
        (3, 0, 4, "isis"),  # right entity, another document
    ]
    s = run.score(found, gold)
    assert (s.found, s.right, s.gold, s.matched) == (4, 2, 3, 2)
    total = s + run.score([(2, 1, 3, "isis")], gold[2:])
    assert (total.found, total.right, total.gold, total.matched) == (5, 3, 4, 3)
    assert total.by_kind == {"exact": (2, 3), "affix": (1, 1)}


def test_score_of_nothing() -> None:
    s = run.score([], [])
    assert (s.precision, s.recall) == (None, None)


def test_gold_goes_with_the_block_that_holds_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(streaming, "_BLOCK_CHARS", 40)
    monkeypatch.setattr(streaming, "_BATCH_RECORDS", 2)
    paras = [f"Paragraph {i} names Acme Corp here." for i in range(12)]
    text = "\n\n".join(paras) + "\n"
    dump = tmp_path / "many.txt"
    dump.write_text(text, encoding="utf-8")
    gold = []
    for doc in range(12):
        start = text.index("Acme Corp", sum(len(p) + 2 for p in paras[:doc]))
        gold.append({"doc": doc, "start": start, "end": start + 9, "entity": "acme"})
    _write_gold(tmp_path / "many.gold.jsonl.gz", gold)
    records = tmp_path / "recs.jsonl"
    records.write_text("".join(json.dumps({"text": p}) + "\n" for p in paras), encoding="utf-8")
    _write_gold(
        tmp_path / "recs.gold.jsonl.gz",
        [{"doc": d, "start": 20, "end": 29, "entity": "acme"} for d in range(12)],
    )
    got = list(run.tasks([str(dump), str(records)], "auto", None))
    assert len(got) > 8
    for block, lines in got:
        assert lines is not None
        spans = lines.parse()  # the workers parse their block's gold lines
        assert spans
        for g in spans:
            if isinstance(block, streaming.TextBlock):
                assert block.text[g.start - block.start : g.end - block.start] == "Acme Corp"
            else:
                assert g.doc in {n for n, _ in block.lines}
    assert sum(len(lines.parse()) for _, lines in got if lines is not None) == 24


def test_gold_with_blank_and_odd_lines_keeps_line_numbers(tmp_path, monkeypatch) -> None:
    """Blank lines and lines not as make_dump.py writes them take the slow path, with the
    same blocks and line numbers; a bad line is named by its number."""
    monkeypatch.setattr(streaming, "_BLOCK_CHARS", 40)
    paras = [f"Paragraph {i} names Acme Corp here." for i in range(6)]
    text = "\n\n".join(paras) + "\n"
    dump = tmp_path / "odd.txt"
    dump.write_text(text, encoding="utf-8")
    starts = [text.index("Acme Corp", sum(len(p) + 2 for p in paras[:d])) for d in range(6)]
    lines = [json.dumps({"doc": 0, "start": s, "end": s + 9, "entity": "acme"}) for s in starts]
    lines.insert(3, "")  # a blank line: gold line 4
    lines[5] = json.dumps({"entity": "acme", "end": starts[4] + 9, "doc": 0, "start": starts[4]})
    gold = tmp_path / "odd.gold.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = list(run.tasks([str(dump)], "auto", None))
    spans = [g for block, gl in got if gl is not None for g in gl.parse()]
    assert [g.start for g in spans] == starts
    for block, gl in got:
        assert gl is not None
        for g in gl.parse():
            assert block.text[g.start - block.start : g.end - block.start] == "Acme Corp"
    lines[6] = '{"doc": 0, "entity": "acme"}'  # gold line 7 has no start
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(run.InputError, match=r"odd\.gold\.jsonl:7: bad gold line"):
        list(run.tasks([str(dump)], "auto", None))


def _write_gold(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))


def _lexicon(root: Path) -> Path:
    folder = root / "organisations"
    folder.mkdir(parents=True)
    for eid, label, variant in (
        ("acme-corporation", "Acme Corporation", "Acme Corp"),
        ("globex", "Globex", "Globex"),
    ):
        (folder / f"{eid}.toml").write_text(
            f'id = "{eid}"\ntype = "organisation"\nsources = ["editorial"]\n'
            f'[labels]\nen = "{label}"\n[[variants]]\ntext = "{variant}"\n',
            encoding="utf-8",
        )
    return root


def _dumps(tmp_path: Path) -> list[Path]:
    """Two dumps, each with one mention found and in the gold, one found but not in the
    gold (Globex), and one in the gold that no tool can find (Initech)."""
    text = "Acme Corp said hello.\n\nGlobex rose today.\n\nInitech fell.\n"
    txt = tmp_path / "tiny.txt"
    txt.write_text(text, encoding="utf-8")
    i = text.index("Initech")
    _write_gold(
        tmp_path / "tiny.gold.jsonl.gz",
        [
            {"doc": 0, "start": 0, "end": 9, "entity": "acme-corporation", "kind": "exact"}
            | {"surface": "Acme Corp", "lang": "en"},
            {"doc": 2, "start": i, "end": i + 7, "entity": "initech", "kind": "misspelling"}
            | {"surface": "Initech", "lang": "de"},
        ],
    )
    rows = [
        {"id": "d0", "lang": "en", "text": "Nothing here."},
        {"id": "d1", "lang": "en", "text": "Then Acme Corp and Globex."},
        {"id": "d2", "lang": "de", "text": "Initech."},
    ]
    jsonl = tmp_path / "tiny2.jsonl.gz"
    jsonl.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    _write_gold(
        tmp_path / "tiny2.gold.jsonl.gz",
        [
            {"doc": 1, "start": 5, "end": 14, "entity": "acme-corporation", "kind": "exact"}
            | {"surface": "Acme Corp", "lang": "en"},
            {"doc": 2, "start": 0, "end": 7, "entity": "initech", "kind": "affix"}
            | {"surface": "Initech", "lang": "de"},
        ],
    )
    return [txt, jsonl]


def _run(tmp_path: Path, *extra: str) -> tuple[dict[str, Any], str]:
    lexicon = _lexicon(tmp_path / "lexicon")
    dumps = _dumps(tmp_path)
    out_json, out_md = tmp_path / "report.json", tmp_path / "report.md"
    cmd = [sys.executable, str(RUN), *map(str, dumps), "--no-default-lexicon"]
    cmd += ["--lexicon", str(lexicon), "--json", str(out_json), "--markdown", str(out_md)]
    done = subprocess.run([*cmd, *extra], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == out_md.read_text(encoding="utf-8")
    return json.loads(out_json.read_text(encoding="utf-8")), done.stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[dict[str, Any], str]:
    tmp = tmp_path_factory.mktemp("bench")
    return _run(tmp, "--quiet", "--compare", ",".join([*INSTALLED, "read"]))


TOOL_KEYS = {
    "tool",
    "description",
    "build_s",
    "seconds",
    "mb",
    "mb_per_s",
    "docs",
    "docs_per_s",
    "mentions",
    "mentions_per_s",
    "peak_rss_mb",
    "precision",
    "recall",
    "recall_by_kind",
    "recall_by_lang",
}


def _check_tool(result: dict[str, Any]) -> None:
    assert "error" not in result, result.get("error")
    assert set(result) >= TOOL_KEYS
    # Acme Corp found twice and in the gold, Globex twice and not, Initech never.
    assert result["mentions"] == 4 and result["docs"] == 6
    assert (result["precision"], result["recall"]) == (0.5, 0.5)
    assert result["recall_by_kind"]["exact"] == {"recall": 1.0, "matched": 2, "gold": 2}
    assert result["recall_by_kind"]["misspelling"]["recall"] == 0.0
    assert result["recall_by_lang"]["de"] == {"recall": 0.0, "matched": 0, "gold": 2}
    assert result["peak_rss_mb"] > 0 and result["mb_per_s"] > 0


def test_report_keys_and_normalise_scores(report) -> None:
    data, markdown = report
    assert set(data) >= {"command", "machine", "options", "dumps", "tools", "ratios"}
    assert {"cpu_count", "python", "platform", "packages"} <= set(data["machine"])
    assert "run.py" in data["command"]
    assert [Path(d["gold"]).name for d in data["dumps"]] == [
        "tiny.gold.jsonl.gz",
        "tiny2.gold.jsonl.gz",
    ]
    for name in ("normalise", "normalise-exact"):
        _check_tool(data["tools"][name])
    assert data["tools"]["normalise"]["mb"] == pytest.approx(
        (len("Acme Corp said hello.\n\nGlobex rose today.\n\nInitech fell.\n") + 13 + 26 + 8) / 1e6
    )
    assert "| normalise | " in markdown and "normalise full pipeline = " in markdown
    assert "normalise-exact" in data["ratios"]["normalise"]


@pytest.mark.parametrize("peer", list(PEER_MODULES))
def test_each_peer_runs_and_is_scored(report, peer) -> None:
    if peer not in INSTALLED:
        pytest.skip(f"{peer} is not installed (pip install -e '.[bench]')")
    data, markdown = report
    _check_tool(data["tools"][peer])
    assert f"| {peer} | " in markdown
    assert peer in data["ratios"]["normalise"]


def test_the_read_baseline_reads_everything_and_finds_nothing(report) -> None:
    data, _ = report
    read = data["tools"]["read"]
    assert (read["mentions"], read["docs"], read["precision"]) == (0, 6, None)
    assert read["chars"] == data["tools"]["normalise"]["chars"]
    assert "read" not in data["ratios"]["normalise"]


def test_two_workers_count_and_score_the_same(tmp_path, report) -> None:
    data, _ = _run(tmp_path, "--quiet", "--compare", "none", "--workers", "2")
    assert list(data["tools"]) == ["normalise", "normalise-exact"]
    for name, result in data["tools"].items():
        _check_tool(result)
        assert result["peak_rss_worker_mb"] > 0
        one = report[0]["tools"][name]
        same = ("mentions", "docs", "chars", "recall_by_lang")
        assert {k: result[k] for k in same} == {k: one[k] for k in same}


def test_a_missing_dump_is_an_error(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, str(RUN), str(tmp_path / "nope.txt"), "--compare", "none"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "nope.txt: no such file" in done.stderr
