"""The scaling runs of benchmarks/RESULTS.md: every figure there comes from this script.

    python benchmarks/scaling.py                  # all steps: data, runs, plots
    python benchmarks/scaling.py --steps plots    # redraw the plots from the saved results

Steps (each one skips data that already exists; results go to ``benchmarks/results/``):

- ``data``: seeded English news-like dumps of 10 MB, 100 MB, 200 MB, 1 GB and 2 GB
  (``make_dump.py``, bundled lexicons, gold files beside them); synthetic lexicons of 1,000,
  10,000 and 100,000 entities (``make_lexicon.py``, prefix-stable) and a 100 MB dump that
  mentions the first 1,000 of their entities; a 50 MB JSON Lines dump in seven languages;
- ``peers``: ``run.py`` on the 100 MB dump with every peer;
- ``sizes``: ``run.py`` (normalise only) on each English dump: time against size, precision and
  recall at scale, and peak RSS (memory flat in dump size: 200 MB against 2 GB);
- ``lexicons``: ``run.py`` on the synthetic dump with each synthetic lexicon alone (their
  compiled caches are built first, outside the timed run);
- ``workers``: ``run.py`` on the 200 MB dump with ``--workers 1`` and ``--workers 2``;
- ``multi``: ``run.py`` on the seven-language dump (``--lang en,ar,fr,de,ru,tr,fa``);
- ``plots``: PNG files from the saved results (matplotlib).

Data lives in ``benchmarks/data/`` (not committed; about 3.5 GB with everything).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
SIZES_MB = (10, 100, 200, 1000, 2000)
LEXICON_SIZES = (1000, 10_000, 100_000)
STEPS = ("data", "peers", "sizes", "lexicons", "workers", "multi", "plots")


def _run(cmd: list[str]) -> None:
    print("$", " ".join(cmd), flush=True)
    t = time.perf_counter()
    # From benchmarks/: a `python -c` there imports the installed normalise (a compiled wheel
    # if so installed), as run.py does, never the sources at the top of the repository.
    subprocess.run(cmd, check=True, cwd=HERE)
    print(f"  ({time.perf_counter() - t:.0f} s)", flush=True)


def _py(script: str, *args: str) -> list[str]:
    return [sys.executable, str(HERE / script), *args]


def dump(mb: int) -> Path:
    return DATA / f"en-{mb}MB.txt"


def lexicon(n: int) -> Path:
    return DATA / f"lex-{n}"


SYNTH = DATA / "synth-100MB.txt"
MULTI = DATA / "multi-50MB.jsonl.gz"
MULTI_LANGS = "en,ar,fr,de,ru,tr,fa"


def step_data() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for mb in SIZES_MB:
        if not dump(mb).exists():
            _run(_py("make_dump.py", str(dump(mb)), "--size", f"{mb}MB", "--seed", "1"))
    for n in LEXICON_SIZES:
        if not lexicon(n).exists():
            _run(_py("make_lexicon.py", str(lexicon(n)), "--entities", str(n), "--seed", "1"))
    if not MULTI.exists():
        _run(
            _py("make_dump.py", str(MULTI), "--size", "50MB", "--lang", MULTI_LANGS, "--seed", "1")
        )
    if not SYNTH.exists():
        # Mentions of the first 1,000 entities only: the same dump serves every lexicon size
        # (the lexicons are prefix-stable), and the larger ones add names that never occur.
        _run(
            _py(
                "make_dump.py",
                str(SYNTH),
                "--size",
                "100MB",
                "--lexicon",
                str(lexicon(1000)),
                "--no-default-lexicon",
                "--seed",
                "1",
            )
        )


def bench(name: str, *args: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / name
    _run(
        _py(
            "run.py",
            *args,
            "--quiet",
            "--json",
            str(out.with_suffix(".json")),
            "--markdown",
            str(out.with_suffix(".md")),
        )
    )


def step_peers() -> None:
    bench("peers-en-100MB", str(dump(100)))


def step_sizes() -> None:
    for mb in SIZES_MB:
        bench(f"size-en-{mb}MB", str(dump(mb)), "--compare", "none")


def step_lexicons() -> None:
    for n in LEXICON_SIZES:
        # Compile and cache the lexicon first: its build is reported apart, not timed here.
        code = "import sys; from normalise.cache import load_folders; load_folders(sys.argv[1])"
        _run([sys.executable, "-c", code, str(lexicon(n))])
        bench(
            f"lexicon-{n}",
            str(SYNTH),
            "--no-default-lexicon",
            "--lexicon",
            str(lexicon(n)),
            "--compare",
            "none",
        )


def step_multi() -> None:
    bench("multi-50MB", str(MULTI), "--compare", "none")


def step_workers() -> None:
    for w in (1, 2):
        bench(f"workers-{w}-en-200MB", str(dump(200)), "--workers", str(w), "--compare", "none")


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def step_plots() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [(mb, _load(f"size-en-{mb}MB")) for mb in SIZES_MB]
    sizes = [(mb, r) for mb, r in sizes if r]
    if sizes:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
        for tool, label in (("normalise", "full pipeline"), ("normalise-exact", "exact only")):
            xs = [r["tools"][tool]["mb"] for _, r in sizes]
            ax1.plot(xs, [r["tools"][tool]["seconds"] for _, r in sizes], "o-", label=label)
            ax2.plot(xs, [r["tools"][tool]["peak_rss_mb"] for _, r in sizes], "o-", label=label)
        for ax, ylabel in ((ax1, "seconds"), (ax2, "peak RSS (MB)")):
            ax.set_xscale("log")
            ax.set_xlabel("dump size (MB of text)")
            ax.set_ylabel(ylabel)
            ax.grid(True, which="both", alpha=0.3)
            ax.legend()
        ax1.set_yscale("log")
        ax1.set_title("Time against dump size")
        ax2.set_title("Peak memory against dump size")
        ax2.set_ylim(bottom=0)
        fig.tight_layout()
        fig.savefig(RESULTS / "scaling-size.png", dpi=110)
        print("wrote", RESULTS / "scaling-size.png")
    lexicons = [(n, _load(f"lexicon-{n}")) for n in LEXICON_SIZES]
    lexicons = [(n, r) for n, r in lexicons if r]
    if lexicons:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
        ns = [n for n, _ in lexicons]
        for tool, label in (("normalise", "full pipeline"), ("normalise-exact", "exact only")):
            ax1.plot(
                ns, [r["tools"][tool]["match_mb_per_s"] for _, r in lexicons], "o-", label=label
            )
            ax2.plot(ns, [r["tools"][tool]["peak_rss_mb"] for _, r in lexicons], "o-", label=label)
        for ax, ylabel in ((ax1, "matching MB/s"), (ax2, "peak RSS (MB)")):
            ax.set_xscale("log")
            ax.set_xlabel("entities in the lexicon")
            ax.set_ylabel(ylabel)
            ax.set_ylim(bottom=0)
            ax.grid(True, which="both", alpha=0.3)
            ax.legend()
        ax1.set_title("Throughput against lexicon size")
        ax2.set_title("Peak memory against lexicon size")
        fig.tight_layout()
        fig.savefig(RESULTS / "scaling-lexicon.png", dpi=110)
        print("wrote", RESULTS / "scaling-lexicon.png")
    peers = _load("peers-en-100MB")
    if peers:
        tools = [(t, r) for t, r in peers["tools"].items() if r.get("match_mb_per_s")]
        tools.sort(key=lambda tr: tr[1]["match_mb_per_s"])
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.barh([t for t, _ in tools], [r["match_mb_per_s"] for _, r in tools])
        ax.set_xlabel("matching MB/s (100 MB English news-like dump, bundled lexicons)")
        ax.set_xscale("log")
        ax.grid(True, axis="x", which="both", alpha=0.3)
        fig.tight_layout()
        fig.savefig(RESULTS / "peers.png", dpi=110)
        print("wrote", RESULTS / "peers.png")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated: {STEPS}")
    args = ap.parse_args()
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        ap.error(f"unknown steps: {unknown}; choose from {STEPS}")
    for s in steps:
        globals()[f"step_{s}"]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
