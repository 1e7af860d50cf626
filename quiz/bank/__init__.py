"""The question bank: load, validate and generate it. This package's public API, and the loader itself.

`load_bank()` reads every `*.yaml` file of the built-in bank and of any teacher banks, checks every rule of the
rulebook, generates questions from events, and returns an immutable `Bank` plus every `Problem` found. A parsed
bank is cached by the content of its files, so a second run with nothing changed does not parse YAML.

Modules, one concern each:

| module | owns |
| --- | --- |
| `files` | finding bank files, the built-in bank's folder, the name a file is shown by |
| `reader` | YAML to plain data with line numbers, safely (PyYAML's only home) |
| `format` | the grammar: a file's sections and items into `quiz.model` values (`Checker`) |
| `fields` | the grammar of one field: ids, texts, tags, sources, dates, years, links (`Checker`'s base) |
| `checks` | the loader's content checks on what was read, and those needing every file |
| `read_split` | a large cold load's files read on two cores (a forked child reads the second half) |
| `rules` | the rulebook: every check with its stable code, and the predicates deciding them |
| `generate` | questions generated from events, bank by bank |
| `cache` | the parsed-bank cache and the garbage-collector pause |
| `lint` | checks across questions (near-duplicates, distractors in other spelling) |
| `answer_faults` | one question's answer against its choices and era (the linter's, `quiz add`'s) |
| `early_checks` | the linter's own checks of a cold load's hand-written questions, begun while it generates |
| `facts` | what questions know of each other through their facts: reveals and proposed links |
| `reveal_scan` | the reveal search's machinery: its index of what can be revealed and its scan of each question |
| `reveal_index` | that index's plain answers as flat arrays (forked parts of the scan share it, never copy it) |
| `reveal_parts` | the reveal search of a large bank split over the cores |
| `reveal_store` | a bank's reveals, found when first needed and kept beside the bank cache |

Only `files` and `cache` are imported for a warm run; the rest is imported when a bank is parsed.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.bank import cache
from quiz.bank.cache import stream
from quiz.bank.files import BankRoot, bank_files, bank_root, builtin_dir, root_files, shown_name
from quiz.errors import BankError, HasProblems, Problem
from quiz.model import Bank

if TYPE_CHECKING:
    from quiz.bank.format import Begun
    from quiz.bank.generate import date_text, generate_questions, pair_window
    from quiz.bank.rules import BLANK_RE, ID_RE, RULES, Rule

__all__ = [
    "BLANK_RE", "ID_RE", "RULES", "BankRoot", "LoadResult", "Rule", "bank_files", "bank_root", "build_bank",
    "builtin_dir", "date_text", "root_files",
    "generate_questions", "load_bank", "load_valid_bank", "pair_window", "shown_name", "stream",
]

_LAZY = {
    "BLANK_RE": "rules", "ID_RE": "rules", "RULES": "rules", "Rule": "rules",
    "date_text": "generate", "generate_questions": "generate", "pair_window": "generate",
}


def __getattr__(name: str) -> Any:
    """What a warm run does not need, imported on first use (`from quiz.bank import generate_questions`)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'quiz.bank' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"quiz.bank.{module}"), name)


@dataclass(frozen=True, slots=True)
class LoadResult(HasProblems):
    bank: Bank
    problems: tuple[Problem, ...]
    files: tuple[str, ...]


def load_bank(
    paths: Sequence[Path] = (),
    *,
    builtin: bool = True,
    cache_dir: Path | None = None,
    begun: Begun | None = None,
) -> LoadResult:
    """Load the built-in bank (unless `builtin` is false) and the given teacher banks; never raises for content.
    `begun`: called by a cold load before it generates questions (`build_bank`)."""
    from quiz.bank.reader import MAX_FILE_BYTES, too_large
    from quiz.bank.rules import MISSING_PATH, UNREADABLE

    roots = ([builtin_dir()] if builtin else []) + [Path(p) for p in paths]
    files, described = root_files(roots)
    missing = [MISSING_PATH.problem(str(root), 0, "no such file or folder; check the path")
               for root in roots if not root.exists()]
    memo = cache.FileMemo.open(cache_dir, cache.RACY_NS) if cache_dir is not None else None
    lookup = cache_dir is not None and _holds_cache(cache_dir)  # else no digest is wanted before the parse
    found: list[tuple[Path, str, bytes | None, int, bool | None]] = []  # path, shown, digest, root, declares
    stats: dict[str, tuple[os.stat_result, int]] = {}  # of the files read without a digest, and when: what is
    for path, shown, root in files:
        try:
            stat, stat_at = path.stat(), time.time_ns()  # (remembered with what is parsed)
            if stat.st_size > MAX_FILE_BYTES:
                missing.append(too_large(shown, stat.st_size))
                continue
            digest = memo.digest(path, stat) if memo is not None else None
            declared = None
            if digest is None:
                raw = path.read_bytes()
                declared = _declares(raw)
                if lookup:
                    digest = cache.file_digest(raw)
                    if memo is not None:
                        memo.remember(path, stat, digest)
                else:  # its digest is that of what is parsed
                    stats[shown] = (stat, stat_at)
                del raw  # read again when parsed: a cold load holds the bytes of one file at a time (84 MB at 100k)
            found.append((path, shown, digest, root, declared))
        except OSError as exc:
            missing.append(UNREADABLE.problem(shown, 0, f"cannot read the file ({exc.strerror or exc})"))
    known = [(shown, digest) for _, shown, digest, _, _ in found if digest is not None]
    if lookup and cache_dir is not None and not missing and len(known) == len(found):
        cached = cache.read_cache(cache_dir, cache.cache_key(known, described, [root for _, _, _, root, _ in found]))
        if cached is not None:
            if memo is not None:
                memo.save()
            return LoadResult(*cached)
    blobs: list[tuple[str, _Later, int]] = []
    for path, shown, _, root, declared in found:
        if declared is None:  # its digest came from the memo; the cache missed all the same (another bank, pruned)
            try:
                declared = _declares(path.read_bytes())
            except OSError as exc:
                missing.append(UNREADABLE.problem(shown, 0, f"cannot read the file ({exc.strerror or exc})"))
                continue
        blobs.append((shown, _Later(path, declared), root))
    del found
    paused = cache.pause_gc()
    size = 0
    try:
        result = build_bank(blobs, described, _scratch=cache_dir, begun=begun)  # type: ignore[arg-type]
        size = len(result.bank.questions)
        if missing:
            result = LoadResult(result.bank, (*missing, *result.problems), result.files)
        elif cache_dir is not None and all(later.digest is not None for _, later, _ in blobs):
            # Keyed by what was parsed, never by remembered digests.
            key = cache.cache_key(((shown, later.digest) for shown, later, _ in blobs), described,  # type: ignore[misc]
                                  [root for *_, root in blobs])
            cache.write_cache(cache_dir, key, result.bank, result.problems, result.files)
            result = LoadResult(_kept_beside(result.bank, cache_dir, key), result.problems, result.files)
            if memo is not None:
                for shown, later, _ in blobs:
                    before = stats.get(shown)
                    if before is not None and later.digest is not None:
                        memo.remember(later.path, before[0], later.digest, before[1])
                memo.save()
    finally:
        cache.resume_gc(paused, size)
    return result


def _holds_cache(cache_dir: Path) -> bool:
    """Whether `cache_dir` holds a bank cache at all (a cold load looks one up only then: its key needs every
    file's digest, 0.13 s for the 84 MB of a 100k bank)."""
    try:
        with os.scandir(cache_dir) as entries:
            return any(entry.name.startswith("bank-") and entry.name.endswith(".pickle") for entry in entries)
    except OSError:
        return False


def _kept_beside(bank: Bank, cache_dir: Path, key: str) -> Bank:
    """`bank`, its reveals kept beside its cache once found (`quiz.bank.reveal_store`), as a warm load's are."""
    from dataclasses import replace

    from quiz.bank import reveal_store

    return replace(bank, reveals=reveal_store.lazy(bank.questions, bank.events, cache_dir, key))


class _Later:
    """A bank file of a cold load, read (again) just before it is parsed: then `digest` is the digest of what was
    parsed, None when it could not be read, or no longer declares the bank as it did when the files were ordered."""

    __slots__ = ("path", "declares", "digest")

    def __init__(self, path: Path, declares: bool) -> None:
        self.path = path
        self.declares = declares
        self.digest: bytes | None = None

    def read(self) -> bytes:
        """The file's bytes (OSError when it cannot be read)."""
        raw = self.path.read_bytes()
        if _declares(raw) == self.declares:
            self.digest = cache.file_digest(raw)
        return raw


def _declares(raw: bytes) -> bool:
    """Whether a file declares its bank (a top-level `bank:`): such files are read first within their root."""
    if not raw.startswith(b"bank") and b"\nbank" not in raw:  # most files: one fast scan, no regex
        return False
    import re

    return re.search(rb"(?m)^bank[ \t]*:", raw) is not None


def load_valid_bank(paths: Sequence[Path] = (), *, builtin: bool = True, cache_dir: Path | None = None) -> Bank:
    """Like `load_bank`, but raise `BankError` when there is any error."""
    result = load_bank(paths, builtin=builtin, cache_dir=cache_dir)
    if result.errors:
        raise BankError(list(result.errors))
    return result.bank


Blob = tuple[str, bytes] | tuple[str, bytes, int]
"""A file's content for `build_bank`: its shown name, its bytes, and the position of its bank root (default 0)."""


def build_bank(blobs: Sequence[Blob], roots: Sequence[BankRoot] = (), _scratch: Path | None = None,
               _split_at: int | None = None, begun: Begun | None = None) -> LoadResult:
    """Parse and validate file contents, then generate questions from events. `roots` describes the bank roots
    the blobs belong to (a single root named 'bank' when not given); within a root the files declaring the
    bank (a top-level `bank:`) are read first, so every event and question knows its bank's id. (`_scratch`: the
    folder of the scratch file the questions are pickled into as they are read, `quiz.bank.spill`, when it grows
    large; `_split_at`: the bytes from which the files are read on two cores, `quiz.bank.read_split`.) `begun`:
    shown the hand-written questions, events, eras and banks once every file is read, before the questions are
    generated (`quiz.bank.format.Begun`: `quiz validate` begins the linter's own checks there,
    `quiz.bank.early_checks`)."""
    from quiz.bank import read_split, reader
    from quiz.bank.format import Checker
    from quiz.bank.rules import UNREADABLE

    def declared(blob: Blob) -> bool:
        content: Any = blob[1]
        return content.declares if isinstance(content, _Later) else _declares(content)

    order = sorted(range(len(blobs)), key=lambda i: (_root_of(blobs[i]), not declared(blobs[i])))
    unread: set[int] = set()
    paused = cache.pause_gc()
    try:
        checker = Checker(roots, _scratch)

        def read(index: int) -> None:  # one file at a time: a parsed file is dropped once validated
            shown, raw = blobs[index][0], blobs[index][1]
            if isinstance(raw, _Later):  # `load_bank`'s: read now (a file that cannot be read is reported)
                try:
                    raw = raw.read()
                except OSError as exc:
                    checker.report(UNREADABLE, shown, 0, f"cannot read the file ({exc.strerror or exc})")
                    unread.add(index)
                    return
            parsed = reader.parse_bytes(raw, shown)
            del raw
            checker.problems.extend(parsed.problems)
            if parsed.data is not None:
                checker.read_file(parsed.path, parsed.data, _root_of(blobs[index]))

        last = max((_root_of(blob) for blob in blobs), default=0)
        parts = read_split.split(order, [_size(blob[1]) for blob in blobs],
                                 [_root_of(blob) == last and not declared(blob) for blob in blobs],
                                 read_split.SPLIT_BYTES if _split_at is None else _split_at)
        if parts is None:
            for index in order:
                read(index)
        else:
            first, middle, tail = parts
            for index in first:
                read(index)

            def outcome(files: Sequence[int]) -> Any:  # what the child knows of its files: digests, unread
                contents: list[Any] = [blobs[i][1] for i in files]
                return ([(i, c.digest) for i, c in zip(files, contents, strict=True) if isinstance(c, _Later)],
                        [i for i in files if i in unread])

            def merge_outcome(found: Any) -> None:
                for i, digest in found[0]:
                    later: Any = blobs[i][1]
                    later.digest = digest
                unread.update(found[1])

            read_split.read_two(checker, read, middle, tail, outcome, merge_outcome)
        if "quiz.bank.plainyaml" in sys.modules:  # its repeated flow values (~5 MB at 100k) are not kept once read
            sys.modules["quiz.bank.plainyaml"]._FLOWS.clear()
        bank = checker.finish(begun)
    finally:
        cache.resume_gc(paused, 0)
    return LoadResult(bank, tuple(checker.problems), tuple(blob[0] for i, blob in enumerate(blobs) if i not in unread))


def _size(content: Any) -> int:
    if isinstance(content, _Later):
        try:
            return content.path.stat().st_size
        except OSError:
            return 0
    return len(content)


def _root_of(blob: Blob) -> int:
    return blob[2] if len(blob) == 3 else 0
