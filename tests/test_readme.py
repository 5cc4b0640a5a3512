"""The README's two commands are the ones CI runs."""

from __future__ import annotations

import re

from .conftest import ROOT


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)[:2]


def test_ci_runs_the_readme_test_command() -> None:
    main_job, tests = _commands()
    assert main_job == "pip install . && normalise text examples/sample.txt"
    assert tests == "pip install -e '.[test]' && pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()
    assert (ROOT / "examples" / "sample.txt").is_file()


def test_readme_api_example_prints_what_it_says() -> None:
    import normalise

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Python API", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    text = re.search(r'^text = "(.+)"$', block, re.M).group(1)
    claimed = re.findall(r"^# (\d+ \d+ .+)$", block, re.M)
    got = [f"{m.start} {m.end} {m.surface} {m.entity_id} {m.method}" for m in normalise.find(text)]
    assert got == claimed
