"""A long run over a folder of dumps, killed with SIGTERM half-way and resumed, against the
same run uninterrupted: the outputs must be byte-identical.

    python benchmarks/resume_check.py benchmarks/data/resume --size 2GB --files 20 --workers 2

Makes the dumps first if they are not there (``make_dump.py``: a few distinct seeded dumps,
the folder filled with copies of them), then runs ``normalise find DIR -o OUTDIR`` once
through, and once killed with SIGTERM after ``--kill-at`` of the first run's time and rerun
with ``--resume``; prints the timings, what the kill left behind and whether every output is
the same, byte for byte (exit status 1 if not).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def digest(folder: Path) -> dict[str, str]:
    out = {}
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            h = hashlib.sha256()
            with open(f, "rb") as fh:
                for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                    h.update(chunk)
            out[str(f.relative_to(folder))] = h.hexdigest()
    return out


def make_dumps(folder: Path, size_mb: int, files: int, distinct: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    each = max(1, size_mb // files)
    seeds = []
    for seed in range(1, distinct + 1):
        f = folder / f"seed-{seed}.txt"
        if not f.exists():
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "make_dump.py"),
                    str(f),
                    "--size",
                    f"{each}MB",
                    "--seed",
                    str(seed),
                ],
                check=True,
            )
        seeds.append(f)
    for i in range(files - distinct):
        f = folder / f"copy-{i:03d}.txt"
        if not f.exists():
            shutil.copyfile(seeds[i % distinct], f)
    for sidecar in folder.glob("*.gold.jsonl*"):
        sidecar.unlink()
    for sidecar in folder.glob("*.meta.json"):
        sidecar.unlink()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--size", default="2GB", help="total size, e.g. 2GB or 300MB")
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--distinct", type=int, default=4, help="distinct seeded dumps")
    ap.add_argument("--workers", default="2")
    ap.add_argument("--kill-at", type=float, default=0.5, help="fraction of the first run")
    ap.add_argument("--out", type=Path, default=None, help="where outputs go (default: beside)")
    args = ap.parse_args()
    size = args.size.upper()
    size_mb = int(float(size[:-2]) * (1000 if size.endswith("GB") else 1))
    inputs = args.data / "in"
    make_dumps(inputs, size_mb, args.files, min(args.distinct, args.files))
    total = sum(f.stat().st_size for f in inputs.iterdir())
    out = args.out or args.data
    whole, killed = out / "out-whole", out / "out-killed"
    for d in (whole, killed):
        shutil.rmtree(d, ignore_errors=True)
    cmd = ["normalise", "find", "--workers", args.workers, str(inputs), "-o"]

    t = time.perf_counter()
    subprocess.run([*cmd, f"{whole}/"], check=True)  # a trailing /: a folder
    whole_s = time.perf_counter() - t

    t = time.perf_counter()
    proc = subprocess.Popen([*cmd, f"{killed}/"], stderr=subprocess.PIPE)
    time.sleep(whole_s * args.kill_at)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate()
    killed_s = time.perf_counter() - t
    left = sorted(p.name for p in killed.rglob("*") if p.is_file())
    partial = [n for n in left if n.endswith(".normalise-part")]
    orphans = subprocess.run(
        ["pgrep", "-f", f"normalise find --workers {args.workers} {inputs}"],
        capture_output=True,
        text=True,
    ).stdout.split()

    t = time.perf_counter()
    resumed = subprocess.run([*cmd, str(killed), "--resume"], stderr=subprocess.PIPE, text=True)
    resume_s = time.perf_counter() - t

    a, b = digest(whole), digest(killed)
    report = {
        "input_files": args.files,
        "input_bytes": total,
        "workers": args.workers,
        "uninterrupted_s": round(whole_s, 1),
        "killed_after_s": round(killed_s, 1),
        "killed_exit_status": proc.returncode,
        "killed_message": err.decode().strip().splitlines()[-1:],
        "outputs_complete_at_kill": len(left) - len(partial),
        "temporary_files_left": partial,
        "orphan_workers": orphans,
        "resume_s": round(resume_s, 1),
        "resume_exit_status": resumed.returncode,
        "resume_message": resumed.stderr.strip().splitlines()[:1],
        "outputs": len(a),
        "output_bytes": sum((whole / n).stat().st_size for n in a),
        "byte_identical": a == b,
    }
    print(json.dumps(report, indent=1))
    return 0 if a == b and not partial and not orphans and proc.returncode == 143 else 1


if __name__ == "__main__":
    sys.exit(main())
