"""The fault suite: every row of the fault table (tests/faults.py) as a test, run as a user
would run the command, in a child process."""

from __future__ import annotations

import sys

import pytest

from .faults import FAULTS, Fault, check_fault, run_fault

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals, FIFOs, /dev/full")


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault(fault: Fault, tmp_path) -> None:
    folder = tmp_path / "run"
    check_fault(fault, run_fault(fault, folder), folder)


def test_exit_statuses_are_documented_in_help_and_readme(capsys) -> None:
    import re

    from normalise.cli import EXIT_STATUS, main

    from .conftest import ROOT

    assert main(["find", "--help"]) == 0
    help_text = capsys.readouterr().out
    assert EXIT_STATUS.splitlines()[1] in help_text
    documented = set(re.findall(r"^  (\d+) ", EXIT_STATUS, re.MULTILINE)) | {"143", "129"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| ([\d, ]+) \|", readme, re.MULTILINE))
    in_readme = {code for row in table for code in row.replace(" ", "").split(",")}
    assert documented == in_readme == {"0", "1", "2", "3", "4", "130", "143", "129"}
