"""The fault table: every way the command line can be given bad input, a bad place to write,
a signal or a damaged cache, and what it must do.

Each :class:`Fault` sets up a folder, runs ``normalise`` in a child process (as a user would)
and records the exit status, the message on standard error, the records out against the
records in and the files left behind. ``tests/test_faults.py`` checks every row; run this
module to print the table for the README (``python -m tests.faults``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

LEXICON_FILES = {
    "organisations/islamic-state.toml": (
        'id = "islamic-state"\ntype = "organisation"\nsources = ["editorial"]\n'
        '[labels]\nen = "Islamic State"\n[[variants]]\ntext = "Daesh"\n'
        '[[variants]]\ntext = "ISIS"\ncase_sensitive = true\n'
    ),
    "places/iraq.toml": (
        'id = "iraq"\ntype = "place"\nsources = ["editorial"]\n'
        '[labels]\nen = "Iraq"\n[[variants]]\ntext = "Irak"\n'
    ),
}


def write_lexicon(folder: Path) -> Path:
    for name, body in LEXICON_FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(body, encoding="utf-8")
    return folder


def good_records(n: int) -> bytes:
    return "".join(
        json.dumps({"id": i, "text": f"Daesh left Irak, day {i}."}) + "\n" for i in range(n)
    ).encode()


def big_text(paragraphs: int) -> bytes:
    return ("Daesh and ISIS near Irak, again and again. " * 20 + "\n\n").encode() * paragraphs


@dataclass
class Result:
    status: int
    stderr: str
    stdout: bytes
    records_in: int | None
    records_out: int | None
    files_left: list[str]
    seconds: float

    @property
    def message(self) -> str:
        lines = [x for x in self.stderr.splitlines() if x.strip()]
        return lines[-1] if lines else ""


@dataclass
class Fault:
    """One row: ``setup(folder)`` writes the input and returns the argv after ``normalise``
    (``{dir}`` stands for the folder); ``run`` may replace the plain run (signals)."""

    name: str
    what: str
    setup: Callable[[Path], list[str]]
    status: int
    message: str  # a regular expression the last line of standard error must match
    records_in: int | None = None
    records_out: int | None = None  # of standard output, or of `out` if named
    out: str | None = None
    left: list[str] | None = None  # files the folder must hold afterwards (None: unchecked)
    # "devnull", "closed", or "feed": feed.txt of the folder through a pipe that stays open
    # until the run is signalled (so that it is surely running then, however fast it is)
    stdin: str | None = "devnull"
    stdout: str = "pipe"  # "pipe", "closed", "full"
    # (workers to wait for, signal, to the whole group): sent once the run writes its
    # temporary output file and has that many worker processes, then 0.3 s more
    signal_after: tuple[int, int, bool] | None = None
    env: dict[str, str] = field(default_factory=dict)
    check: Callable[[Path, Result], None] | None = None


def command(folder: Path, argv: list[str]) -> list[str]:
    lex = ["--no-default-lexicon", "--lexicon", str(folder.parent / "lexicon")]
    if argv and argv[0] in ("find", "text"):
        argv = [argv[0], *lex, *argv[1:]]
    return [sys.executable, "-m", "normalise.cli", *argv]


def run_fault(fault: Fault, folder: Path) -> Result:
    folder.mkdir(parents=True, exist_ok=True)
    write_lexicon(folder.parent / "lexicon")
    argv = fault.setup(folder)
    env = {**os.environ, **{k: v.replace("{dir}", str(folder)) for k, v in fault.env.items()}}
    env.pop("NORMALISE_DEBUG", None)
    stdin: int | None
    if fault.stdin == "devnull":
        stdin = subprocess.DEVNULL
    elif fault.stdin == "closed":
        stdin = None
    else:
        stdin, feed = os.pipe()
        data = (folder / "feed.txt").read_bytes()
        feeder = threading.Thread(target=_feed, args=(feed, data), daemon=True)
    stdout: int | None = subprocess.PIPE
    if fault.stdout == "full":
        stdout = os.open("/dev/full", os.O_WRONLY)
    elif fault.stdout == "closed":
        stdout = None
    before = time.perf_counter()

    def close_fds() -> None:  # in the child, before exec: the stream really is closed
        if fault.stdin == "closed":
            os.close(0)
        if fault.stdout == "closed":
            os.close(1)

    proc = subprocess.Popen(
        command(folder, argv),
        cwd=folder,
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=close_fds,
        start_new_session=True,
    )
    if fault.stdin == "feed":
        os.close(stdin)
        feeder.start()
    if fault.signal_after is not None:
        workers, signum, group = fault.signal_after
        wait_until_running(proc, folder, workers)
        if group:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
    out, err = proc.communicate(timeout=300)
    if fault.stdin == "feed":
        feeder.join(10)
        os.close(feed)
    seconds = time.perf_counter() - before
    for fd in (stdin, stdout):
        if isinstance(fd, int) and fd > 2 and fault.stdin != "feed":
            os.close(fd)
    out = out or b""
    target = folder / fault.out if fault.out else None
    produced = target.read_bytes() if target and target.exists() else out
    records_out = None
    if fault.records_out is not None:
        records_out = len(produced.splitlines())
    left = sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink()
    )
    return Result(
        proc.returncode,
        err.decode("utf-8", "replace"),
        out,
        fault.records_in,
        records_out,
        left,
        seconds,
    )


def _feed(fd: int, data: bytes) -> None:
    with contextlib.suppress(OSError):  # the reader is gone
        os.write(fd, data)


def children(pid: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(proc.name))
    return found


def wait_until_running(proc: subprocess.Popen[bytes], folder: Path, workers: int) -> None:
    """Until ``proc`` writes its temporary output and has ``workers`` children (or 120 s)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        part = any(p.name.endswith(".normalise-part") for p in folder.iterdir())
        if part and len(children(proc.pid)) >= workers:
            break
        time.sleep(0.05)
    time.sleep(0.3)


# -- the setups --------------------------------------------------------------------------------


def _write(name: str, data: bytes, *argv: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        (folder / name).write_bytes(data)
        return list(argv)

    return setup


BAD_JSONL = (
    good_records(2)
    + b'{"text": "bad \xff byte"}\n'
    + b'{"text": "\\ud800 lone high"}\n'
    + b'{"text": "\\udc80 lone low"}\n'
    + b'{"text": oops}\n'
    + b'{"text": 7}\n'
    + b"[1, 2]\n"
    + good_records(2)
)


def _fifo(folder: Path) -> list[str]:
    (folder / "in.txt").write_bytes(b"Daesh in Irak.\n")
    os.mkfifo(folder / "pipe")
    reader = subprocess.Popen(
        ["sh", "-c", f"cat '{folder / 'pipe'}' > '{folder / 'from-pipe.txt'}'"],
    )
    _READERS.append(reader)
    return ["text", "in.txt", "-o", "pipe"]


_READERS: list[subprocess.Popen[bytes]] = []


def _symlink(folder: Path) -> list[str]:
    (folder / "in.txt").write_bytes(b"Daesh in Irak.\n")
    (folder / "real.txt").write_bytes(b"old\n")
    (folder / "link.txt").symlink_to("real.txt")
    return ["text", "in.txt", "-o", "link.txt"]


def _mode(folder: Path) -> list[str]:
    (folder / "in.txt").write_bytes(b"Daesh in Irak.\n")
    (folder / "out.txt").write_bytes(b"old\n")
    os.chmod(folder / "out.txt", 0o640)
    return ["text", "in.txt", "-o", "out.txt"]


def _read_only(folder: Path) -> list[str]:
    (folder / "in.txt").write_bytes(b"Daesh in Irak.\n")
    if os.geteuid() == 0:  # root writes anywhere but in /proc
        return ["text", "in.txt", "-o", "/proc/normalise-fault/out.txt"]
    (folder / "ro").mkdir()
    os.chmod(folder / "ro", 0o555)
    return ["text", "in.txt", "-o", "ro/out.txt"]


def _leftover(folder: Path) -> list[str]:
    (folder / "in.txt").write_bytes(b"Daesh in Irak.\n")
    dead = subprocess.Popen(["true"])
    dead.wait()
    (folder / f".out.txt.{dead.pid}.normalise-part").write_bytes(b"half a run")
    return ["text", "in.txt", "-o", "out.txt"]


def _check_lexicon(body: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        f = folder / "lex" / "organisations" / "big-one.toml"
        f.parent.mkdir(parents=True)
        f.write_text(
            'id = "big-one"\ntype = "organisation"\nsources = ["editorial"]\n'
            f'[labels]\nen = "Big One"\n{body}',
            encoding="utf-8",
        )
        return ["lexicon", "check", "lex"]

    return setup


def _cache(damage: Callable[[Path], None], mode: int = 0o700) -> Callable[[Path], list[str]]:
    """A warm private cache, damaged, then a run that must rebuild it and find the same."""

    def setup(folder: Path) -> list[str]:
        cache = folder / "cache"
        (folder / "in.txt").write_bytes(b"Daesh in Irak.\n")
        env = {**os.environ, "NORMALISE_CACHE_DIR": str(cache)}
        subprocess.run(
            command(folder, ["find", "in.txt"]),
            cwd=folder,
            env=env,
            check=True,
            capture_output=True,
        )
        damage(cache)
        os.chmod(cache, mode)
        return ["find", "in.txt"]

    return setup


def _flip_bytes(cache: Path) -> None:
    for f in cache.glob("folders-*.pickle"):
        data = bytearray(f.read_bytes())
        for i in range(100, len(data), max(1, len(data) // 7)):
            data[i] ^= 0x5A
        f.write_bytes(bytes(data))


def _truncate(cache: Path) -> None:
    for f in cache.glob("*"):
        f.write_bytes(f.read_bytes()[: len(f.read_bytes()) // 2])


def _garbage(cache: Path) -> None:
    for f in cache.glob("*"):
        f.write_bytes(os.urandom(64) + f.read_bytes()[64:])


def _planted(cache: Path) -> None:
    import pickle

    class Evil:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, ("touch PWNED",))

    for f in cache.glob("folders-*.pickle"):
        f.write_bytes(pickle.dumps(Evil()))


def _planted_with_header(cache: Path) -> None:
    import pickle

    from normalise.cachefile import pack

    class Evil:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, ("touch PWNED",))

    for f in cache.glob("folders-*.pickle"):
        f.write_bytes(pack(pickle.dumps(Evil()), 3))


def _no_pwned(folder: Path, result: Result) -> None:
    assert not (folder / "PWNED").exists(), "a planted cache file ran code"


def _same_find(folder: Path, result: Result) -> None:
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["surface"] for r in rows] == ["Daesh", "Irak"], rows
    _no_pwned(folder, result)


def _doc_is_input_index(folder: Path, result: Result) -> None:
    docs = sorted({json.loads(x)["doc"] for x in result.stdout.splitlines()})
    assert docs == [0, 1, 8, 9], docs
    errors = [json.loads(x) for x in (folder / "errors.jsonl").read_text("utf-8").splitlines()]
    assert [e["doc"] for e in errors] == [2, 3, 4, 5, 6, 7]
    assert [e["line"] for e in errors] == [3, 4, 5, 6, 7, 8]


def _passed_through(folder: Path, result: Result) -> None:
    lines = (folder / "out.jsonl").read_bytes().splitlines()
    assert lines[2] == b"null"  # not UTF-8: written as null
    assert lines[3:8] == BAD_JSONL.splitlines()[3:8]  # the others unchanged


def _mode_kept(folder: Path, result: Result) -> None:
    assert (folder / "out.txt").stat().st_mode & 0o777 == 0o640


def _through_link(folder: Path, result: Result) -> None:
    assert (folder / "link.txt").is_symlink()
    assert (folder / "real.txt").read_text("utf-8") == "Islamic State in Iraq.\n"


def _into_fifo(folder: Path, result: Result) -> None:
    for reader in _READERS:
        reader.wait(10)
    _READERS.clear()
    assert (folder / "pipe").is_fifo()
    assert (folder / "from-pipe.txt").read_text("utf-8") == "Islamic State in Iraq.\n"


def processes_with(needle: str) -> list[int]:
    """The processes whose command line holds ``needle`` (read from /proc)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if needle.encode() in cmdline:
                found.append(int(proc.name))
    return found


def _no_workers_left(folder: Path, result: Result) -> None:
    time.sleep(1.5)  # the watcher looks twice a second; PR_SET_PDEATHSIG is at once
    found = processes_with(f"--lexicon {folder.parent / 'lexicon'}")
    assert not found, f"worker processes left running: {found}"


def _no_workers_then_rerun(folder: Path, result: Result) -> None:
    _no_workers_left(folder, result)
    assert any(".normalise-part" in f for f in result.files_left)  # named, to be found
    rerun = subprocess.run(
        command(folder, ["find", "feed.txt", "-o", "out.jsonl"]), cwd=folder, capture_output=True
    )
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["feed.txt", "out.jsonl"]


def _in_stdout(pattern: bytes, result: Result) -> None:
    assert re.search(pattern, result.stdout), result.stdout[:300]


def _long_line(folder: Path) -> list[str]:
    (folder / "line.txt").write_bytes(b"Daesh and Irak " * 100_000)  # 1.5 MB, no newline
    return ["find", "line.txt"]


def _count_long_line(folder: Path, result: Result) -> None:
    assert len(result.stdout.splitlines()) == 200_000


def _long_record(folder: Path) -> list[str]:
    from normalise import streaming

    size = streaming._MAX_RECORD_BYTES + 10
    (folder / "big.jsonl").write_bytes(
        good_records(1) + b'{"text": "' + b"x" * size + b'"}\n' + good_records(1)
    )
    return ["text", "--on-error", "skip", "big.jsonl"]


FAULTS = [
    Fault(
        "utf8-text",
        "invalid UTF-8 in plain text",
        _write("bad.txt", b"Daesh\nline two \xff bad\n", "text", "bad.txt", "-o", "out.txt"),
        2,
        r"^normalise: error: bad.txt:2: invalid UTF-8 \(byte 0xff at column 10\)",
        left=["bad.txt"],
    ),
    Fault(
        "bad-records-fail",
        "JSON Lines: bad UTF-8, lone surrogates, malformed JSON, a number, a list",
        _write("in.jsonl", BAD_JSONL, "find", "in.jsonl", "-o", "out.jsonl"),
        2,
        r"^normalise: error: in.jsonl:3: invalid UTF-8 \(byte 0xff at column 15\)",
        left=["in.jsonl"],
    ),
    Fault(
        "bad-records-skip-text",
        "the same, text --on-error skip",
        _write("in.jsonl", BAD_JSONL, "text", "--on-error", "skip", "in.jsonl", "-o", "out.jsonl"),
        0,
        r"^normalise: skipped 6 bad record\(s\)$",
        records_in=10,
        records_out=10,
        out="out.jsonl",
        left=["in.jsonl", "out.jsonl"],
        check=_passed_through,
    ),
    Fault(
        "bad-records-skip-find",
        "the same, find --on-error skip --errors FILE",
        _write(
            "in.jsonl",
            BAD_JSONL,
            *("find", "--on-error", "skip", "--errors", "errors.jsonl", "in.jsonl"),
        ),
        0,
        r"^normalise: skipped 6 bad record\(s\); all of them in errors.jsonl$",
        records_in=10,
        records_out=8,  # two mentions in each of the 4 good records; doc = input index
        left=["errors.jsonl", "in.jsonl"],
        check=_doc_is_input_index,
    ),
    Fault(
        "surrogate-fail",
        'a lone surrogate escape "\\udc80" (once written as a raw byte)',
        _write("s.jsonl", b'{"text": "\\udc80 Daesh"}\n', "text", "s.jsonl"),
        2,
        r"^normalise: error: s.jsonl:1: lone surrogate \\udc80 in a JSON string: not text$",
        records_in=1,
        records_out=0,
    ),
    Fault(
        "bom",
        "a byte order mark before the first JSON Lines record",
        _write("b.jsonl", b"\xef\xbb\xbf" + good_records(2), "find", "b.jsonl"),
        0,
        r"^$",
        records_in=2,
        records_out=4,
    ),
    Fault(
        "long-record",
        "a JSON Lines record longer than the limit (32 MB), --on-error skip",
        _long_record,
        0,
        r"^normalise: skipped 1 bad record\(s\)$",
        records_in=3,
        records_out=3,
    ),
    Fault(
        "long-line",
        "a 1.5 MB line with no newline (cut into overlapping blocks)",
        _long_line,
        0,
        r"^$",
        check=_count_long_line,
    ),
    Fault(
        "stdin-closed",
        "standard input closed",
        lambda folder: ["text"],
        3,
        r"^normalise: error: standard input: cannot read: it is closed$",
        stdin="closed",
    ),
    Fault(
        "stdout-closed",
        "standard output closed",
        _write("in.txt", b"Daesh\n", "text", "in.txt"),
        3,
        r"^normalise: error: standard output: cannot write: it is closed$",
        stdout="closed",
    ),
    Fault(
        "stdout-full",
        "standard output a full disk (/dev/full)",
        _write("in.txt", big_text(50), "text", "in.txt"),
        3,
        r"^normalise: error: standard output: cannot write: No space left on device$",
        stdout="full",
    ),
    Fault(
        "check-stdout-full",
        "lexicon check to /dev/full",
        lambda folder: ["lexicon", "check", str(folder.parent / "lexicon")],
        3,
        r"^normalise: error: standard output: cannot write: No space left on device$",
        stdout="full",
    ),
    Fault(
        "missing-folder",
        "-o in a missing folder",
        _write("in.txt", b"Daesh\n", "text", "in.txt", "-o", "nowhere/out.txt"),
        3,
        r"^normalise: error: nowhere/out.txt: cannot write: No such file or directory$",
        left=["in.txt"],
    ),
    Fault(
        "read-only",
        "-o where nothing may be written",
        _read_only,
        3,
        r"^normalise: error: \S+out.txt: cannot write: ",
    ),
    Fault(
        "mode",
        "-o over an existing file of mode 0640",
        _mode,
        0,
        r"^$",
        left=["in.txt", "out.txt"],
        check=_mode_kept,
    ),
    Fault(
        "symlink",
        "-o a symbolic link",
        _symlink,
        0,
        r"^$",
        left=["in.txt", "link.txt", "real.txt"],
        check=_through_link,
    ),
    Fault(
        "fifo",
        "-o a FIFO",
        _fifo,
        0,
        r"^$",
        check=_into_fifo,
    ),
    Fault(
        "dev-stdout",
        "-o /dev/stdout, a pipe",
        _write("in.txt", b"Daesh in Irak.\n", "text", "in.txt", "-o", "/dev/stdout"),
        0,
        r"^$",
        records_in=1,
        records_out=1,
        left=["in.txt"],
    ),
    Fault(
        "leftover",
        "-o beside a temporary file a killed run left",
        _leftover,
        0,
        r"^$",
        left=["in.txt", "out.txt"],
    ),
    Fault(
        "sigterm",
        "SIGTERM during a run with -o",
        _write("feed.txt", big_text(2000), "find", "-", "-o", "out.jsonl"),
        143,
        r"^normalise: error: interrupted by SIGTERM$",
        left=["feed.txt"],
        stdin="feed",
        signal_after=(0, signal.SIGTERM, False),
    ),
    Fault(
        "sigint",
        "SIGINT (Ctrl-C) during a run with -o",
        _write("feed.txt", big_text(2000), "find", "-", "-o", "out.jsonl"),
        130,
        r"^normalise: error: interrupted by SIGINT$",
        left=["feed.txt"],
        stdin="feed",
        signal_after=(0, signal.SIGINT, False),
    ),
    Fault(
        "sigterm-group-workers",
        "SIGTERM to the process group, --workers 2",
        _write("feed.txt", big_text(2000), "find", "--workers", "2", "-", "-o", "out.jsonl"),
        143,
        r"^normalise: error: interrupted by SIGTERM$",
        left=["feed.txt"],
        stdin="feed",
        signal_after=(2, signal.SIGTERM, True),
        check=_no_workers_left,
    ),
    Fault(
        "sigint-group-workers",
        "SIGINT to the process group, --workers 2",
        _write("feed.txt", big_text(2000), "find", "--workers", "2", "-", "-o", "out.jsonl"),
        130,
        r"^normalise: error: interrupted by SIGINT$",
        left=["feed.txt"],
        stdin="feed",
        signal_after=(2, signal.SIGINT, True),
        check=_no_workers_left,
    ),
    Fault(
        "sigkill-workers",
        "SIGKILL to the parent of --workers 2, then a rerun",
        _write("feed.txt", big_text(2000), "find", "--workers", "2", "-", "-o", "out.jsonl"),
        -9,
        r"^$",
        stdin="feed",
        signal_after=(2, signal.SIGKILL, False),
        check=_no_workers_then_rerun,
    ),
    Fault(
        "cache-flipped",
        "cache: bytes flipped in the compiled lexicon",
        _cache(_flip_bytes),
        0,
        r"^normalise: warning: \S+\.pickle: checksum mismatch: rebuilding it$",
        check=_same_find,
        env={"NORMALISE_CACHE_DIR": "{dir}/cache"},
    ),
    Fault(
        "cache-truncated",
        "cache: every file cut to half",
        _cache(_truncate),
        0,
        r"^normalise: warning: \S+: truncated \(\d+ of \d+ bytes\): rebuilding it$",
        check=_same_find,
        env={"NORMALISE_CACHE_DIR": "{dir}/cache"},
    ),
    Fault(
        "cache-garbage",
        "cache: garbage over every file's start (common-*.bin too)",
        _cache(_garbage),
        0,
        r"^normalise: warning: \S+: not a cache file \(no header\): rebuilding it$",
        check=_same_find,
        env={"NORMALISE_CACHE_DIR": "{dir}/cache"},
    ),
    Fault(
        "cache-planted",
        "cache: a pickle that runs code, with a valid header",
        _cache(_planted_with_header),
        0,
        r"^normalise: warning: \S+\.pickle: cannot be loaded \(UnpicklingError\): rebuilding it$",
        check=_same_find,
        env={"NORMALISE_CACHE_DIR": "{dir}/cache"},
    ),
    Fault(
        "cache-shared",
        "cache: a folder others can write, holding a planted pickle",
        _cache(_planted, 0o777),
        0,
        r"^normalise: warning: cache folder \S+ can be written by other users: not used",
        check=_same_find,
        env={"NORMALISE_CACHE_DIR": "{dir}/cache"},
    ),
    Fault(
        "variant-1mb",
        "lexicon check: a 1 MB variant",
        _check_lexicon('[[variants]]\ntext = "' + "ab " * 350_000 + 'x"\n'),
        1,
        r"^1 problem\(s\) in 0 entities$",
        check=lambda folder, r: _in_stdout(
            rb":7: line of 1,050,010 characters, over the limit of 8,192 \(a variant or label "
            rb"is at most 256\): 'text = \"(ab )+ab\xe2\x80\xa6'",
            r,
        ),
    ),
    Fault(
        "variant-300",
        "lexicon check: a 300-character variant",
        _check_lexicon('[[variants]]\ntext = "' + "x" * 300 + '"\n'),
        1,
        r"^1 problem\(s\) in 0 entities$",
        check=lambda folder, r: _in_stdout(
            rb":7: variants\[0\]: text 'x{30}\xe2\x80\xa6' is 300 characters long, over the "
            rb"limit of 256",
            r,
        ),
    ),
    Fault(
        "variant-punctuation",
        "lexicon check: a variant of punctuation only",
        _check_lexicon('[[variants]]\ntext = "..."\n[[variants]]\ntext = "؟"\n'),
        1,
        r"^2 problem\(s\) in 0 entities$",
    ),
    Fault(
        "toml-deep",
        "lexicon check: a TOML value nested 1,000 deep",
        _check_lexicon('[[variants]]\ntext = "Big"\ncontext = ' + "[" * 1000 + "]" * 1000 + "\n"),
        1,
        r"^1 problem\(s\) in 0 entities$",
        check=lambda folder, r: _in_stdout(rb"big-one.toml:8: nested more than 32 levels deep", r),
    ),
    Fault(
        "usage",
        "a usage error",
        lambda folder: ["find", "--workers", "-1"],
        2,
        r"^normalise find: error: argument --workers: must be a whole number",
    ),
]


def check_fault(fault: Fault, result: Result, folder: Path) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.status == fault.status, (result.status, result.stderr)
    assert re.search(fault.message, result.message), (fault.message, result.stderr)
    if fault.records_out is not None:
        assert result.records_out == fault.records_out, result.stdout[:500]
    if fault.left is not None:
        assert result.files_left == sorted(fault.left), result.files_left
    if fault.check is not None:
        fault.check(folder, result)


def table(results: list[tuple[Fault, Result, Path]]) -> str:
    rows = [
        "| fault | exit | message (last line of standard error) | records out / in | files left |",
        "|---|---|---|---|---|",
    ]
    for fault, r, folder in results:
        io = (
            f"{r.records_out} / {r.records_in}"
            if r.records_in is not None
            else (str(r.records_out) if r.records_out is not None else "")
        )
        message = r.message.replace(f"{folder}/", "").replace("|", "\\|")
        if len(message) > 110:
            message = message[:107] + "..."
        left = ", ".join(f for f in r.files_left if not f.startswith("cache/")) or "nothing"
        rows.append(f"| {fault.what} | {r.status} | `{message}` | {io} | {left} |")
    return "\n".join(rows)


if __name__ == "__main__":
    import tempfile

    done = []
    with tempfile.TemporaryDirectory() as tmp:
        for fault in FAULTS:
            folder = Path(tmp) / fault.name / "run"
            result = run_fault(fault, folder)
            try:
                check_fault(fault, result, folder)
                ok = "ok"
            except AssertionError as exc:
                ok = f"FAILED: {exc}"
            print(f"{fault.name}: {ok} ({result.seconds:.1f} s)", file=sys.stderr)
            done.append((fault, result, folder))
    print(table(done))
