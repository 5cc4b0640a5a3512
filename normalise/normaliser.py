"""The pipeline step: fold, scan, resolve, output, as one plain callable.

>>> from normalise.lexicon import Lexicon
>>> n = Normaliser(Lexicon.from_dict({"Hezbollah": ["Hizbullah", "Hizb Allah"]}))
>>> n("Hizbullah and Ḥizb Allāh")
'Hezbollah and Hezbollah'
>>> [(m.surface, m.method) for m in n.find("Hizbullah and Ḥizb Allāh")]
[('Hizbullah', 'exact'), ('Ḥizb Allāh', 'folded')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, Literal

from .fuzzy import FuzzySettings
from .lexicon import Lexicon
from .output import Mention, rewrite
from .pipeline import find_mentions

__all__ = ["Normaliser", "Options"]


@dataclass(frozen=True, slots=True)
class Options:
    """How a :class:`Normaliser` matches and rewrites.

    ``target_lang`` is the language of the labels that :meth:`Normaliser.normalise` writes
    (BCP 47 or a CLDR locale such as ``ar_IQ``; it falls back to the language, then English).
    ``lang`` is the language of the input texts when known: it picks the affixes to strip and
    the word list that decides what is an ordinary word.
    ``fuzzy`` turns matching of misspelt names on; ``max_edits`` caps the edit budget per
    word (by default 1 for words of 5 letters, 2 for 6 or more); words shorter than
    ``min_fuzzy_length`` are matched exactly. ``affixes`` turns the stripping of clitics,
    suffixes and case endings on.
    """

    target_lang: str = "en"
    lang: str | None = None
    fuzzy: bool = True
    max_edits: int | None = None
    min_fuzzy_length: int = 5
    affixes: bool = True


def _check_text(text: object, where: str) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"{where} expects str, got {type(text).__name__}: decode it first, "
            "for example data.decode('utf-8')"
        )
    raise TypeError(f"{where} expects str, got {type(text).__name__}: {text!r:.60}")


class Normaliser:
    """Finds and rewrites the mentions of a lexicon's entities.

    A plain callable (``normaliser(text) -> str``) that holds no per-document state, so it
    works in ``map``, multiprocessing, pandas, Dask or Spark. It pickles as its lexicon (the
    bundled one as a mere reference) and rebuilds its index on first use.
    """

    __slots__ = ("_bundled", "lexicon", "options")

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        fuzzy: bool = True,
        target_lang: str = "en",
        lang: str | None = None,
        max_edits: int | None = None,
        min_fuzzy_length: int = 5,
        affixes: bool = True,
    ) -> None:
        if lexicon is not None and not isinstance(lexicon, Lexicon):
            raise TypeError(f"lexicon must be a Lexicon, got {type(lexicon).__name__}")
        if max_edits is not None and max_edits < 0:
            raise ValueError(f"max_edits must be 0 or more, got {max_edits}")
        if min_fuzzy_length < 3:
            raise ValueError(f"min_fuzzy_length must be at least 3, got {min_fuzzy_length}")
        self._bundled = lexicon is None
        self.lexicon = Lexicon.bundled() if lexicon is None else lexicon
        self.options = Options(
            target_lang=target_lang,
            lang=lang,
            fuzzy=fuzzy,
            max_edits=max_edits,
            min_fuzzy_length=min_fuzzy_length,
            affixes=affixes,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (None if self._bundled else self.lexicon, self.options))

    def __repr__(self) -> str:
        return f"Normaliser({self.lexicon!r}, target_lang={self.options.target_lang!r})"

    # -- the work -----------------------------------------------------------------------------

    def find(
        self, text: str, *, lang: str | None = None, target_lang: str | None = None
    ) -> list[Mention]:
        """Every mention in ``text``, in order, with offsets into ``text``.

        ``lang`` is the text's language if known; ``target_lang`` sets each mention's label.
        """
        text = _check_text(text, "find()")
        opts = self.options
        settings = FuzzySettings(
            fuzzy=opts.fuzzy,
            affixes=opts.affixes,
            max_edits=opts.max_edits,
            min_length=opts.min_fuzzy_length,
            lang=lang or opts.lang,
        )
        return find_mentions(self.lexicon, text, settings, target_lang or opts.target_lang)

    def normalise(self, text: str, *, target_lang: str | None = None) -> str:
        """``text`` with each mention replaced by its entity's label in ``target_lang``."""
        text = _check_text(text, "normalise()")
        mentions = self.find(text, target_lang=target_lang)
        return rewrite(text, mentions, lambda m: m.label)

    def __call__(self, text: str) -> str:
        return self.normalise(text)

    def pipe(
        self,
        items: Iterable[str | Mapping[str, Any]],
        *,
        field: str = "text",
        mode: Literal["normalise", "find"] = "normalise",
        batch_size: int = 256,
        n_process: int = 1,
    ) -> Iterator[Any]:
        """Process a stream of texts or records, in order.

        A ``str`` gives the rewritten ``str`` (``mode="normalise"``) or its list of
        :class:`Mention` (``mode="find"``). A record (a mapping) gives a new dict: its
        ``field`` rewritten, or a ``"mentions"`` key added with the mentions as dicts.
        ``n_process > 1`` spreads batches over worker processes; output keeps input order.

        >>> from normalise.lexicon import Lexicon
        >>> n = Normaliser(Lexicon.from_dict({"Iraq": ["Iraq", "Irak"]}))
        >>> list(n.pipe(["Irak", {"id": 7, "text": "in Irak"}]))
        ['Iraq', {'id': 7, 'text': 'in Iraq'}]
        """
        if mode not in ("normalise", "find"):
            raise ValueError(f"mode must be 'normalise' or 'find', got {mode!r}")
        if batch_size < 1 or n_process < 1:
            raise ValueError("batch_size and n_process must be at least 1")
        job = _Job(self, field, mode)
        batches = _batched(items, batch_size)
        if n_process == 1:
            for batch in batches:
                yield from job(batch)
            return
        import multiprocessing  # only here: importing it costs start-up time

        # The job (and its lexicon) crosses to each worker once, not with every batch.
        with multiprocessing.get_context().Pool(n_process, _init_worker, (job,)) as pool:
            for result in pool.imap(_run_in_worker, batches):
                yield from result


def _rebuild(lexicon: Lexicon | None, options: Options) -> Normaliser:
    return Normaliser(
        lexicon,
        fuzzy=options.fuzzy,
        target_lang=options.target_lang,
        lang=options.lang,
        max_edits=options.max_edits,
        min_fuzzy_length=options.min_fuzzy_length,
        affixes=options.affixes,
    )


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


_WORKER_JOB: list[_Job] = []  # set once in each worker process by _init_worker


def _init_worker(job: _Job) -> None:
    _WORKER_JOB[:] = [job]


def _run_in_worker(batch: list[Any]) -> list[Any]:
    return _WORKER_JOB[0](batch)


@dataclass(frozen=True, slots=True)
class _Job:
    """One batch of pipe() work; picklable, so it runs the same in a worker process."""

    normaliser: Normaliser
    field: str
    mode: str

    def __call__(self, batch: list[Any]) -> list[Any]:
        return [self.one(item) for item in batch]

    def one(self, item: Any) -> Any:
        n = self.normaliser
        if isinstance(item, Mapping):
            if self.field not in item:
                raise KeyError(f"record has no field {self.field!r}: keys are {sorted(item)}")
            text = _check_text(item[self.field], f"pipe() field {self.field!r}")
            if self.mode == "find":
                return {**item, "mentions": [m.to_dict() for m in n.find(text)]}
            return {**item, self.field: n.normalise(text)}
        if self.mode == "find":
            return n.find(item)
        return n.normalise(item)
