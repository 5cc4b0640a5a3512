"""Build hook: a wheel's per-text stages compiled with mypyc, where a C compiler is at hand.

The stages a text goes through (folding, matching, the word stage, resolution and the pipeline
that calls them) are plain, fully typed Python. mypyc compiles them to C extension
modules that run the same code about a tenth faster (``benchmarks/RESULTS.md``). The API
class, the lexicon loader, the CLI and the rest stay Python.

- An editable install (``pip install -e .``) is never compiled: the sources run as they are,
  so an edit takes effect at once and no stale extension module can shadow it.
- ``NORMALISE_PURE=1`` builds a pure-Python wheel.
- Without a working compiler, or if mypyc fails, the wheel is built pure, with a warning;
  ``NORMALISE_COMPILE=require`` makes that an error instead (CI uses it).

``normalise.COMPILED`` and ``normalise --version`` say which build is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The modules a text's journey runs through; each is compiled as a whole. Not output.py:
# nothing in it is hot (pipeline.py builds mentions by slot), and the public result type,
# Mention, stays a plain dataclass rather than a compiled class.
COMPILED_MODULES = ("folding", "matching", "fuzzy", "resolution", "pipeline")

_SETUP = """\
from setuptools import setup
from mypyc.build import mypycify

setup(
    name="normalise-compiled",
    ext_modules=mypycify({paths!r}, opt_level="3", group_name="normalise"),
)
"""

# Type-checking for compilation only: the strict check is CI's (`mypy`). The runtime
# dependencies are not in the build environment; their values are then of type Any.
_MYPY_INI = """\
[mypy]
ignore_missing_imports = True
"""


class MypycHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        if os.environ.get("NORMALISE_PURE", "") not in ("", "0"):
            self.app.display_info("normalise: NORMALISE_PURE is set: a pure-Python wheel")
            return
        self._work = Path(tempfile.mkdtemp(prefix="normalise-mypyc-"))
        try:
            built = self._compile(self._work)
        except Exception as exc:
            if os.environ.get("NORMALISE_COMPILE") == "require":
                raise
            self.app.display_warning(
                f"normalise: compiling with mypyc failed, building a pure-Python wheel "
                f"(same results, slower; NORMALISE_COMPILE=require makes this an error): {exc}"
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"].update(built)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)

    def _compile(self, work: Path) -> dict[str, str]:
        """Compile a copy of the package in ``work``: {extension file: its path in the wheel}."""
        src = Path(self.root) / "normalise"
        pkg = work / "normalise"
        pkg.mkdir()
        for f in src.glob("*.py"):  # every module: mypyc type-checks the imports too
            shutil.copy2(f, pkg / f.name)
        (pkg / "py.typed").touch()
        paths = [f"normalise/{m}.py" for m in COMPILED_MODULES]
        (work / "setup.py").write_text(_SETUP.format(paths=[*paths, "--config-file", "mypy.ini"]))
        (work / "mypy.ini").write_text(_MYPY_INI)
        self.app.display_info(f"normalise: compiling {', '.join(COMPILED_MODULES)} with mypyc")
        out = work / "out"
        command = [sys.executable, "setup.py", "build_ext", "--build-lib", str(out)]
        command += ["--build-temp", str(work / "tmp")]
        proc = subprocess.run(
            command,
            cwd=work,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if proc.returncode:
            tail = "\n".join(proc.stdout.splitlines()[-20:])
            raise RuntimeError(f"mypyc exited with {proc.returncode}:\n{tail}")
        built = {str(p): str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
        names = {Path(rel).name.split(".")[0] for rel in built.values()}
        missing = set(COMPILED_MODULES) - names
        if missing:
            raise RuntimeError(f"mypyc built no extension for {sorted(missing)}")
        return built
