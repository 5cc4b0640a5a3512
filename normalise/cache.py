"""The compiled bundled lexicon, cached on disk by content hash.

Building the bundled lexicon means parsing every TOML file, generating the CLDR territories
and compiling the index: seconds. The result is pickled under a name that hashes every file of
the lexicon folder and the versions of everything that shapes the result (this package,
Python's Unicode data, babel, wordfreq), so any change to a file rebuilds it, and start-up with
a warm cache only unpickles and rebuilds the automaton.

The cache lives in ``$NORMALISE_CACHE_DIR``, else ``$XDG_CACHE_HOME/normalise``, else
``~/.cache/normalise``. ``NORMALISE_NO_CACHE=1`` turns it off. A cache that cannot be read or
written is ignored: the lexicon is then built in memory. Each file carries a header with its
format and a checksum (:mod:`normalise.cachefile`): a damaged one is rebuilt with a one-line
warning, and a folder that another user owns or can write to is not used at all.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import unicodedata
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .cachefile import CacheFileError, read_body, safe_loads, unsafe_reason, warn, write_body
from .cachefile import write_atomic as write_cache_file
from .lexicon import Lexicon, bundled_lexicon_dir

__all__ = [
    "build_bundled",
    "cache_dir",
    "cache_enabled",
    "content_hash",
    "load_bundled",
    "load_folders",
    "write_cache_file",
]

_FORMAT = 3  # bump when the pickled structures change shape


def cache_dir() -> Path:
    env = os.environ.get("NORMALISE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "normalise"


def _versions() -> str:
    from . import COMPILED

    # A compiled build pickles its classes differently: it keeps a cache of its own.
    build = "compiled" if COMPILED else "pure"
    parts = [str(_FORMAT), build, sys.version.split()[0], unicodedata.unidata_version]
    for dist in ("normalise", "babel", "wordfreq", "ahocorasick-rs", "rapidfuzz"):
        try:
            parts.append(f"{dist}={version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist}=?")
    return ";".join(parts)


def content_hash(*folders: Path) -> str:
    """A hash of every file under ``folders`` and of this package's code (names and bytes),
    and of the versions in play."""
    h = hashlib.sha256(_versions().encode())
    code = Path(__file__).resolve().parent
    files = [p for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()]
    for f in files + sorted(code.glob("*.py")):
        h.update(f.name.encode())
        h.update(b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()[:24]


def build_bundled(folder: Path) -> Lexicon:
    """Curated entities plus CLDR territories plus GeoNames places, compiled."""
    from .places import PLACES_FILE, place_entities
    from .rules import Rules
    from .territories import territory_entities

    curated = Lexicon.load(folder)
    territories = territory_entities(curated.entities, folder / "_rules" / "territories.toml")
    done = {t.id for t in territories}  # curated countries come back with CLDR's names added
    entities = [e for e in curated.entities if e.id not in done] + territories
    entities += place_entities(entities, folder / PLACES_FILE)  # what is not curated already
    lexicon = Lexicon(entities, rules=Rules.load(folder / "_rules"))
    lexicon.index  # noqa: B018 - compile now, so the cache holds it
    lexicon.words  # noqa: B018
    return lexicon


def load_bundled() -> Lexicon:
    """The bundled lexicon, from the cache when it is fresh."""
    folder = bundled_lexicon_dir()
    return _cached("bundled", [folder], lambda: build_bundled(folder))


def load_folders(*paths: str | Path) -> Lexicon:
    """``Lexicon.load(*paths)``, compiled and cached like the bundled lexicon (the CLI's
    ``--lexicon``): a large lexicon of your own loads in a fraction of a second."""
    folders = [Path(p).resolve() for p in paths]

    def build() -> Lexicon:
        lexicon = Lexicon.load(*folders)
        lexicon.index  # noqa: B018 - compile now, so the cache holds it
        lexicon.words  # noqa: B018
        return lexicon

    if not all(f.is_dir() for f in folders):
        return build()
    names = "".join(str(f) for f in folders)
    key = hashlib.sha256(names.encode()).hexdigest()[:12]
    return _cached(f"folders-{key}", folders, build)


def cache_enabled() -> bool:
    """False when ``NORMALISE_NO_CACHE`` is set."""
    return not os.environ.get("NORMALISE_NO_CACHE")


def _cached(kind: str, folders: list[Path], build: Callable[[], Lexicon]) -> Lexicon:
    if not cache_enabled():
        return build()
    folder = cache_dir()
    unsafe = unsafe_reason(folder)
    if unsafe is not None:
        warn(f"cache folder {folder} {unsafe}: not used (see NORMALISE_CACHE_DIR)")
        return build()
    path = folder / f"{kind}-{content_hash(*folders)}.pickle"
    try:
        data = read_body(path, _FORMAT)
        if data is not None:
            # Tens of thousands of small objects, none cyclic: the cyclic GC would only
            # rescan them over and over while they are created (40% of the load time).
            gc.disable()
            try:
                lexicon = safe_loads(data)
                gc.freeze()  # static for the life of the process: keep them out of collections
            finally:
                gc.enable()
            if not isinstance(lexicon, Lexicon):
                raise CacheFileError(f"{path}: holds a {type(lexicon).__name__}, not a lexicon")
            return lexicon
    except CacheFileError as exc:
        warn(f"{exc}: rebuilding it")
    except Exception as exc:  # a body that passed its checksum yet does not load
        warn(f"{path}: cannot be loaded ({type(exc).__name__}): rebuilding it")
    lexicon = build()
    body = pickle.dumps(lexicon.compiled_state(), protocol=pickle.HIGHEST_PROTOCOL)
    if write_body(path, body, _FORMAT):
        for old in path.parent.glob(f"{kind}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    return lexicon
