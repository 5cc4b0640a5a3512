"""The ``normalise`` command line.

    normalise text [FILE ...]        rewrite mentions to canonical labels
    normalise find [FILE ...]        one JSON line per mention
    normalise lexicon check [PATH ...]

Input is read as a stream (memory stays flat in the input's size; see
:mod:`normalise.streaming`): plain text in blocks of paragraphs, or JSON Lines with
``--field``, either optionally compressed (.gz, .bz2, .xz), or folders of such files.
``--workers N`` spreads the blocks over N processes; output keeps input order. Bad input
stops the run with exit status 2 and an error naming file and line; ``-o`` output is written
to a temporary file and renamed only on success, so no partial output file is left behind
(see :mod:`normalise.safeout`). ``--on-error skip`` reports bad records and carries on,
every record keeping its place. ``-o OUTDIR --resume`` writes one output per input and
skips the inputs whose output is already complete. The exit statuses are in EXIT_STATUS.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, redirect_stdout, suppress
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import COMPILED, __version__
from .lexicon import Entity, Lexicon, LexiconError, bundled_lexicon_dir
from .normaliser import Normaliser
from .safeout import OutputError, Sink, open_output
from .signals import Interrupted, exit_status, install
from .streaming import (
    InputError,
    Job,
    ReadError,
    Skipped,
    expand_inputs,
    run_job,
    strip_compression,
)

_BUILD = "compiled with mypyc" if COMPILED else "pure Python"

__all__ = ["main"]


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number, 0 or more, got {value!r}")
    return n or os.cpu_count() or 1


EXIT_STATUS = """\
exit status:
  0    success (find and text: also when mentions were found)
  1    problems found, where a command says so (lexicon check; evaluate --min-f1)
  2    bad input or usage: a message names the file and line (or record)
  3    an input or output could not be read or written (closed stream, full disk,
       missing folder, read-only file system)
  4    an internal error (a bug: please report it; NORMALISE_DEBUG=1 shows the traceback)
  130  interrupted by SIGINT (Ctrl-C); 143 by SIGTERM; 129 by SIGHUP
Every error is one line on standard error, `normalise: error: ...`; no traceback. With -o, the
output file is complete or untouched, never partial; with --on-error skip, each bad record
keeps its place (text: written unchanged, or null where it is not UTF-8; find: doc is always
the input record's index), a summary goes to standard error and --errors FILE gets them all.
"""

# Bad records named one by one on standard error before the summary says "and N more".
_SKIPS_SHOWN = 10


def _job(args: argparse.Namespace) -> Job:
    return Job(
        _normaliser(args),
        args.command,
        field=args.field,
        lang=args.lang,
        skip_errors=args.on_error == "skip",
    )


class _Skips:
    """Bad records skipped: the first few kept for the summary, all to ``--errors``."""

    def __init__(self, sink: Sink | None) -> None:
        self.sink = sink
        self.count = 0
        self.first: list[str] = []

    def __call__(self, s: Skipped) -> None:
        self.count += 1
        if len(self.first) < _SKIPS_SHOWN:
            self.first.append(s.message)
        if self.sink is not None:
            self.sink.write(s.to_json())

    def report(self) -> None:
        for message in self.first:
            print(f"normalise: skipped {message}", file=sys.stderr)
        if self.count:
            more = self.count - len(self.first)
            print(
                f"normalise: skipped {self.count} bad record(s)"
                + (f" ({more} more not shown)" if more else "")
                + ("; all of them in " + self.sink.name if self.sink is not None else ""),
                file=sys.stderr,
            )


def _process(args: argparse.Namespace) -> int:
    if args.resume or _is_folder_target(args.output):
        return _process_per_input(args)
    paths = expand_inputs(args.files or ["-"])
    job = _job(args)
    with ExitStack() as stack:
        errors = stack.enter_context(open_output(args.errors)) if args.errors else None
        skips = _Skips(errors)
        out = stack.enter_context(open_output(args.output))
        run_job(job, paths, out.write, fmt=args.format, workers=args.workers, skipped=skips)
    skips.report()
    return 0


def _is_folder_target(output: str | None) -> bool:
    return (
        output is not None and output != "-" and (output.endswith(os.sep) or os.path.isdir(output))
    )


def _inputs_with_names(files: Sequence[str]) -> Iterator[tuple[str, str]]:
    """Each input file with its name relative to the folder it was found in."""
    for f in files:
        if os.path.isdir(f):
            for path in expand_inputs([f]):
                yield path, os.path.relpath(path, f)
        else:
            yield f, os.path.basename(f)


def _process_per_input(args: argparse.Namespace) -> int:
    if not args.output or args.output == "-":
        raise InputError("--resume needs -o OUTDIR, the folder of outputs (one per input)")
    if not args.files or "-" in args.files:
        raise InputError("-o OUTDIR writes one output per input file: name the input files")
    outdir = Path(args.output)
    suffix = ".find.jsonl" if args.command == "find" else ""
    todo: dict[str, Path] = {}
    done = 0
    for path, rel in _inputs_with_names(args.files):
        target = outdir / (strip_compression(rel) + suffix)
        if target in todo.values():
            raise InputError(f"{path}: two inputs would write the same output {target}")
        if args.resume and _complete(path, target):
            done += 1
            continue
        todo[path] = target
    if done:
        print(
            f"normalise: resume: {done} input(s) already done, {len(todo)} to do", file=sys.stderr
        )
    if not todo:
        return 0
    job = _job(args)
    with ExitStack() as stack:
        errors = stack.enter_context(open_output(args.errors)) if args.errors else None
        skips = _Skips(errors)
        current: list[Any] = []  # [ExitStack, Sink] of the output being written

        def next_input(path: str) -> None:
            if current:
                current.pop(1)
                current.pop(0).close()  # commits the finished output
            target = todo[path]
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"{target.parent}: cannot write: {exc.strerror}") from exc
            inner = ExitStack()
            current.extend([inner, inner.enter_context(open_output(str(target)))])

        def write(text: str) -> None:
            current[1].write(text)

        try:
            run_job(
                job,
                list(todo),
                write,
                fmt=args.format,
                workers=args.workers,
                skipped=skips,
                next_input=next_input,
                docs_per_input=True,
            )
        except BaseException:
            if current:
                # The output being written is not complete: its temporary file goes.
                current[0].__exit__(*sys.exc_info())
            raise
        if current:
            current[0].close()
    skips.report()
    return 0


def _complete(path: str, target: Path) -> bool:
    """Whether ``target`` (written atomically, so whole if it exists) is newer than its
    input ``path``."""
    try:
        return target.stat().st_mtime_ns >= os.stat(path).st_mtime_ns
    except OSError:
        return False


def _normaliser(args: argparse.Namespace) -> Normaliser:
    parts = [] if args.no_default_lexicon else [Lexicon.bundled()]
    if args.lexicon:
        from .cache import load_folders

        parts.append(load_folders(*args.lexicon))
    if not parts:
        raise InputError("no lexicon: --no-default-lexicon needs at least one --lexicon DIR")
    lexicon = parts[0]
    for p in parts[1:]:
        lexicon = lexicon + p
    return Normaliser(
        lexicon,
        fuzzy=not args.no_fuzzy,
        target_lang=getattr(args, "target_lang", "en"),
        lang=getattr(args, "lang", None),
    )


def _evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, read_gold

    try:
        docs = read_gold(args.gold, args.texts)
    except (OSError, ValueError) as exc:
        raise InputError(str(exc)) from exc
    report = evaluate(_normaliser(args), docs)
    print(report.text(errors=args.errors))
    if args.min_f1 is not None and report.overlap.f1 < args.min_f1:
        return 1
    return 0


def _entity_dict(e: Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "type": e.type,
        "wikidata": e.wikidata,
        "sources": list(e.sources),
        "file": e.path,
        "labels": dict(e.labels),
        "variants": [
            {k: v for k, v in asdict(var).items() if v not in (None, (), False) or k == "fuzzy"}
            for var in e.variants
        ],
    }


def _lexicon_show(args: argparse.Namespace) -> int:
    lexicon = Lexicon.bundled()
    if args.id not in lexicon:
        raise InputError(f"no entity with id '{args.id}' in the bundled lexicons")
    d = _entity_dict(lexicon[args.id])
    if args.json:
        print(json.dumps(d, ensure_ascii=False, indent=2))
        return 0
    print(f"{d['id']} ({d['type']}){'  ' + d['wikidata'] if d['wikidata'] else ''}")
    print(f"  file:    {d['file'] or '(generated from CLDR)'}")
    print(f"  sources: {', '.join(d['sources'])}")
    print(f"  labels ({len(d['labels'])}):")
    for tag, text in sorted(d["labels"].items()):
        print(f"    {tag:10s} {text}")
    print(f"  variants ({len(d['variants'])}):")
    for v in d["variants"]:
        flags = [k for k in ("case_sensitive", "capitalised") if v.get(k)]
        if not v.get("fuzzy"):
            flags.append("no fuzzy")
        if v.get("context"):
            flags.append("context: " + ", ".join(v["context"]))
        if v.get("cue_entities"):
            flags.append("cue entities: " + ", ".join(v["cue_entities"]))
        extra = f"  [{'; '.join(flags)}]" if flags else ""
        print(f"    {v['text']}{'  (' + v['lang'] + ')' if v.get('lang') else ''}{extra}")
    return 0


def _lexicon_stats(args: argparse.Namespace) -> int:
    lexicon = Lexicon.bundled()
    curated = [e for e in lexicon if e.path is not None]
    territories = [e for e in lexicon if "cldr" in e.sources]
    per_id = {
        e.id: {
            "type": e.type,
            "curated": e.path is not None,
            "cldr": "cldr" in e.sources,
            "label_languages": sorted(e.labels),
            "variants": len(e.variants),
        }
        for e in lexicon
    }
    locales = sorted(len(e.labels) for e in territories)
    eight = ("en", "ar", "fr", "de", "ru", "tr", "es", "fa")
    stats = {
        "entities": len(lexicon),
        "curated_entities": len(curated),
        "curated_with_wikidata": sum(e.wikidata is not None for e in curated),
        "curated_with_eight_labels": sum(all(t in e.labels for t in eight) for e in curated),
        "generated_places": sum("geonames" in e.sources for e in lexicon),
        "cldr_territories": len(territories),
        "territories_with_100_plus_locales": sum(n >= 100 for n in locales),
        "territory_locales_median": locales[len(locales) // 2] if locales else 0,
        "variants": sum(len(e.variants) for e in lexicon),
        "ids": sorted(e.id for e in curated),
        "per_id": per_id,
    }
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=1))
        return 0
    by_type: dict[str, int] = {}
    for e in curated:
        by_type[e.type] = by_type.get(e.type, 0) + 1
    print(f"entities: {stats['entities']} ({stats['variants']} variants)")
    print(f"curated: {len(curated)} ({', '.join(f'{n} {t}' for t, n in sorted(by_type.items()))})")
    few = [e.id for e in curated if len(e.labels) < 7]
    print(f"curated with labels in fewer than 7 languages: {len(few)} {' '.join(few)}")
    print(
        f"curated with a Wikidata id: {stats['curated_with_wikidata']}; with labels in "
        f"{' '.join(eight)}: {stats['curated_with_eight_labels']}"
    )
    print(
        f"CLDR territories: {len(territories)}, median {stats['territory_locales_median']} "
        f"locales, {stats['territories_with_100_plus_locales']} with 100 or more"
    )
    print(f"generated places (GeoNames): {stats['generated_places']}")
    return 0


def _lexicon_check(args: argparse.Namespace) -> int:
    from .check import check_paths

    paths = args.paths or [str(bundled_lexicon_dir())]
    entities, problems = check_paths(paths, require_wikidata=args.require_wikidata)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in {len(entities)} entities", file=sys.stderr)
        return 1
    print(f"ok: {len(entities)} entities, no problems")
    return 0


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="normalise",
        description=__doc__.split("\n\n")[0],
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action="version", version=f"normalise {__version__} ({_BUILD})")
    sub = ap.add_subparsers(dest="command", required=True)
    for name, help_ in (
        ("text", "rewrite each mention to its canonical label"),
        ("find", "print each mention as a JSON line"),
    ):
        p = sub.add_parser(
            name,
            help=help_,
            description=help_,
            epilog=EXIT_STATUS,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument(
            "files",
            nargs="*",
            metavar="FILE",
            help="input files or folders, plain or .gz/.bz2/.xz ('-' or none: standard input)",
        )
        p.add_argument(
            "-o",
            "--output",
            metavar="PATH",
            help="write here (atomically) instead of standard output; an existing folder "
            "(or a name ending in /) gets one output per input file",
        )
        p.add_argument(
            "--resume",
            action="store_true",
            help="with -o OUTDIR: skip the inputs whose output is complete (a killed run "
            "picks up where it stopped)",
        )
        p.add_argument(
            "--format",
            choices=("auto", "text", "jsonl"),
            default="auto",
            help="input format; auto: .jsonl/.ndjson (also compressed) are JSON Lines",
        )
        p.add_argument(
            "--workers",
            type=_workers,
            default=1,
            metavar="N",
            help="worker processes (default 1; 0: one per CPU); output keeps input order",
        )
        p.add_argument(
            "--field", default="text", help="JSON Lines field holding the text (default: text)"
        )
        p.add_argument(
            "--lexicon",
            action="append",
            metavar="DIR",
            help="add the lexicon files under DIR (repeatable)",
        )
        p.add_argument(
            "--no-default-lexicon", action="store_true", help="do not load the bundled lexicons"
        )
        p.add_argument(
            "--target-lang", default="en", help="language of the labels written (default: en)"
        )
        p.add_argument("--lang", default=None, help="language of the input, if known")
        p.add_argument(
            "--on-error",
            choices=("fail", "skip"),
            default="fail",
            help="on a bad record: stop (exit 2), or report it and go on, every record "
            "keeping its place",
        )
        p.add_argument(
            "--errors",
            metavar="FILE",
            help="with --on-error skip: write each bad record here, as JSON Lines",
        )
        p.add_argument(
            "--no-fuzzy", action="store_true", help="match exact, folded and affixed forms only"
        )
    ev = sub.add_parser("evaluate", help="score against annotated data (P/R/F1, per tag)")
    ev.add_argument("gold", help="gold JSON Lines: {doc, text?, lang?, mentions: [...]}")
    ev.add_argument("--texts", help="folder of the documents, where the gold has no 'text'")
    ev.add_argument("--errors", action="store_true", help="list every miss and false hit")
    ev.add_argument("--lexicon", action="append", metavar="DIR", help="add lexicons (repeatable)")
    ev.add_argument("--no-default-lexicon", action="store_true")
    ev.add_argument("--no-fuzzy", action="store_true", help="exact, folded and affixed only")
    ev.add_argument("--min-f1", type=float, help="exit 1 when overlap F1 is below this")
    lex = sub.add_parser("lexicon", help="work with lexicon files")
    lsub = lex.add_subparsers(dest="lexicon_command", required=True)
    chk = lsub.add_parser(
        "check", help="validate lexicon files; print file:line: message per problem"
    )
    chk.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled lexicons)"
    )
    chk.add_argument(
        "--require-wikidata",
        action="store_true",
        help="a curated entity without a wikidata id is a problem (ids used twice always are)",
    )
    show = lsub.add_parser("show", help="print one entity of the bundled lexicons")
    show.add_argument("id", help="entity id, e.g. islamic-state")
    show.add_argument("--json", action="store_true", help="as JSON")
    stats = lsub.add_parser("stats", help="entities, label languages and variants")
    stats.add_argument("--json", action="store_true", help="as JSON")
    return ap


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "lexicon":
        command: Callable[[argparse.Namespace], int] = {
            "check": _lexicon_check,
            "show": _lexicon_show,
            "stats": _lexicon_stats,
        }[args.lexicon_command]
    elif args.command == "evaluate":
        command = _evaluate
    else:
        return _process(args)
    # These commands print a little: gathered first, then written like any output.
    printed = io.StringIO()
    with redirect_stdout(printed):
        code = command(args)
    with open_output(None) as out:
        out.write(printed.getvalue())
    return code


def _error(message: str) -> None:
    with suppress(OSError, ValueError, AttributeError):
        print(f"normalise: error: {message}", file=sys.stderr)


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that Python's own flush at exit cannot fail
    again (a broken pipe, a full disk) and print a traceback of its own."""
    with suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status (see EXIT_STATUS)."""
    install()
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return _dispatch(args)
    except ReadError as exc:
        _error(str(exc))
        return 3
    except InputError as exc:
        _error(str(exc))
        return 2
    except LexiconError as exc:
        _error(f"bad lexicon:\n{exc}")
        return 2
    except BrokenPipeError:  # e.g. piped into head: the reader has all it wants
        _quiet_stdout()
        return 0
    except OutputError as exc:
        _error(str(exc))
        _quiet_stdout()
        return 3
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}")
        return 3
    except (KeyboardInterrupt, Interrupted) as exc:
        _error(str(exc) if isinstance(exc, Interrupted) else "interrupted by SIGINT")
        return exit_status(exc)
    except RecursionError:
        _error("input nested too deeply")
        return 2
    except Exception as exc:
        if os.environ.get("NORMALISE_DEBUG"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (NORMALISE_DEBUG=1 for details)")
        return 4


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
