"""Memory and time on hostile input: a 100 MB line with no newline, and a lexicon with a 1 MB
variant.

    python benchmarks/hostile_input.py /tmp/hostile --size 100MB

Writes a line of ``--size`` bytes of news-like text (``examples/sample.txt`` over and over,
every line break made a space), runs ``normalise find`` and ``normalise text`` on it and
prints each run's peak resident memory (the child's ``ru_maxrss``) and time; then writes an
entity file with a 1 MB variant and times ``normalise lexicon check`` on it (the whole
command, start-up included, and the check itself in this process).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(argv: list[str]) -> dict[str, object]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(argv, capture_output=True)
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = after.ru_maxrss
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {
        "exit_status": done.returncode,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        # ru_maxrss of the children is the largest of any child so far: measure the smaller
        # runs first, or read it as "at most".
        "peak_rss_mb": round(peak / 1024, 1),
        "stdout_bytes": len(done.stdout),
        "stderr": done.stderr.decode(errors="replace").strip()[-300:],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--size", default="100MB")
    ap.add_argument("--skip-line", action="store_true", help="only the 1 MB variant")
    args = ap.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    size = int(float(args.size.upper().removesuffix("MB")) * 1_000_000)
    report: dict[str, object] = {}

    variant = args.folder / "lex" / "organisations" / "big-one.toml"
    variant.parent.mkdir(parents=True, exist_ok=True)
    variant.write_text(
        'id = "big-one"\ntype = "organisation"\nsources = ["editorial"]\n'
        '[labels]\nen = "Big One"\n[[variants]]\ntext = "' + "ab " * 350_000 + 'x"\n',
        encoding="utf-8",
    )
    report["lexicon_check_1mb_variant"] = measure(
        ["normalise", "lexicon", "check", str(variant.parent.parent)]
    )
    from normalise.check import check_paths

    t = time.perf_counter()
    _, problems = check_paths([variant.parent.parent])
    report["check_paths_1mb_variant_s"] = round(time.perf_counter() - t, 3)
    report["check_problem"] = [str(p)[:160] for p in problems]

    if not args.skip_line:
        line = args.folder / "line.txt"
        if not line.exists() or line.stat().st_size != size:
            text = re.sub(r"\s+", " ", (ROOT / "examples" / "sample.txt").read_text("utf-8"))
            data = (text + " ").encode("utf-8")
            with open(line, "wb") as f:
                written = 0
                while written < size:
                    chunk = data[: size - written]
                    f.write(chunk)
                    written += len(chunk)
        report["line_bytes"] = line.stat().st_size
        for command in ("find", "text"):
            out = args.folder / f"out.{command}"
            report[f"{command}_100mb_line"] = measure(
                ["normalise", command, str(line), "-o", str(out)]
            )
            with open(out, "rb") as f:
                report[f"{command}_output_lines"] = sum(1 for _ in f)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
