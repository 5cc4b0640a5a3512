"""The ``normalise`` command line.

    normalise text [FILE ...]        rewrite mentions to canonical labels
    normalise find [FILE ...]        one JSON line per mention
    normalise lexicon check [PATH ...]

Input is read as a stream (memory stays flat in the input's size; see
:mod:`normalise.streaming`): plain text in blocks of paragraphs, or JSON Lines with
``--field``, either optionally compressed (.gz, .bz2, .xz), or folders of such files.
``--workers N`` spreads the blocks over N processes; output keeps input order. Bad input
stops the run with exit status 2 and an error naming file and line; ``-o`` output is written
to a temporary file and renamed only on success, so no partial output file is left behind.
``--on-error skip`` reports bad records and carries on with the good ones.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from . import COMPILED, __version__
from .lexicon import Entity, Lexicon, LexiconError, bundled_lexicon_dir
from .normaliser import Normaliser
from .streaming import InputError, Job, expand_inputs, run_job

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


def _run(args: argparse.Namespace, out: IO[str]) -> list[str]:
    job = Job(
        _normaliser(args),
        args.command,
        field=args.field,
        lang=args.lang,
        skip_errors=args.on_error == "skip",
    )
    paths = expand_inputs(args.files or ["-"])
    return run_job(job, paths, out.write, fmt=args.format, workers=args.workers)


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


def _process(args: argparse.Namespace) -> int:
    if args.output in (None, "-"):
        errors = _run(args, sys.stdout)
    else:
        target = Path(args.output)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                errors = _run(args, out)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    for e in errors:
        print(f"normalise: skipped {e}", file=sys.stderr)
    return 0


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
    ap = argparse.ArgumentParser(prog="normalise", description=__doc__.split("\n\n")[0])
    ap.add_argument("--version", action="version", version=f"normalise {__version__} ({_BUILD})")
    sub = ap.add_subparsers(dest="command", required=True)
    for name, help_ in (
        ("text", "rewrite each mention to its canonical label"),
        ("find", "print each mention as a JSON line"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument(
            "files",
            nargs="*",
            metavar="FILE",
            help="input files or folders, plain or .gz/.bz2/.xz ('-' or none: standard input)",
        )
        p.add_argument("-o", "--output", help="write here (atomically) instead of standard output")
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
            help="on a bad record: stop (exit 2) or report it and go on",
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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "lexicon":
            return {"check": _lexicon_check, "show": _lexicon_show, "stats": _lexicon_stats}[
                args.lexicon_command
            ](args)
        if args.command == "evaluate":
            return _evaluate(args)
        return _process(args)
    except InputError as exc:
        print(f"normalise: error: {exc}", file=sys.stderr)
        return 2
    except LexiconError as exc:
        print(f"normalise: error: bad lexicon:\n{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
