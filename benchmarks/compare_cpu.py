"""CPU time of one ``normalise`` command run from two source trees: did a change cost time?

    git archive main | tar -x -C /tmp/base
    python benchmarks/compare_cpu.py /tmp/base . -- find dump.txt

Runs the command from each tree (``PYTHONPATH``, a cache folder of its own) three times and
prints the best CPU time (user + system) of each: steadier than wall time on a busy machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys


def best_cpu(code: str, args: list[str], runs: int = 3) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": os.path.abspath(code),
        "NORMALISE_CACHE_DIR": f"/tmp/compare-cpu-cache-{abs(hash(os.path.abspath(code)))}",
    }
    main = "import sys; from normalise.cli import main; sys.exit(main())"
    best = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [sys.executable, "-P", "-c", main, *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        best = min(best, cpu)
    return best


def main() -> int:
    if "--" not in sys.argv or sys.argv.index("--") != 3:
        print(__doc__, file=sys.stderr)
        return 2
    before, after, args = sys.argv[1], sys.argv[2], sys.argv[4:]
    a, b = best_cpu(before, args), best_cpu(after, args)
    print(f"{' '.join(args)}: {before} {a:.2f} s, {after} {b:.2f} s CPU (best of 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
