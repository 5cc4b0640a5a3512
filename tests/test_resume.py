"""-o OUTDIR writes one output per input; --resume skips the complete ones, so that a run
killed with SIGTERM and resumed writes what an uninterrupted run writes, byte for byte."""

from __future__ import annotations

import gzip
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from normalise.cli import main

from .faults import big_text, command, good_records, write_lexicon


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def make_inputs(folder: Path) -> Path:
    inputs = folder / "in"
    (inputs / "sub").mkdir(parents=True)
    for i in range(6):
        (inputs / f"d{i}.txt").write_bytes(big_text(2400))  # 2 MB each
    (inputs / "sub" / "r.jsonl.gz").write_bytes(gzip.compress(good_records(50)))
    (inputs / "sub" / "empty.txt").write_bytes(b"")
    return inputs


@pytest.mark.skipif(sys.platform != "linux", reason="signals")
def test_killed_then_resumed_is_byte_identical(tmp_path) -> None:
    write_lexicon(tmp_path / "lexicon")
    inputs = make_inputs(tmp_path)
    run = tmp_path / "run"
    run.mkdir()
    whole = subprocess.run(command(run, ["find", str(inputs), "-o", "whole/"]), cwd=run)
    assert whole.returncode == 0
    expected = tree(run / "whole")
    assert sorted(expected) == [
        "d0.txt.find.jsonl",
        "d1.txt.find.jsonl",
        "d2.txt.find.jsonl",
        "d3.txt.find.jsonl",
        "d4.txt.find.jsonl",
        "d5.txt.find.jsonl",
        "sub/empty.txt.find.jsonl",
        "sub/r.jsonl.find.jsonl",
    ]
    # Killed once the first output is complete, long before the last.
    proc = subprocess.Popen(
        command(run, ["find", str(inputs), "-o", "killed/"]), cwd=run, stderr=subprocess.PIPE
    )
    first = run / "killed" / "d0.txt.find.jsonl"
    deadline = time.monotonic() + 120
    while not first.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    done = tree(run / "killed")
    assert 1 <= len(done) < len(expected)  # no temporary file among them
    assert all(done[name] == expected[name] for name in done)
    resumed = subprocess.run(
        command(run, ["find", str(inputs), "-o", "killed", "--resume"]),
        cwd=run,
        capture_output=True,
        text=True,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"resume: {len(done)} input(s) already done" in resumed.stderr
    assert tree(run / "killed") == expected


def test_resume_needs_an_output_folder(capsys, tmp_path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Daesh", encoding="utf-8")
    assert main(["find", str(f), "--resume"]) == 2
    assert "--resume needs -o OUTDIR" in capsys.readouterr().err
