"""A bank's reveals (`Bank.reveals`), found when first needed and kept beside the bank cache.

The reveal search (`quiz.bank.facts.reveal_map`) is most of a cold load's work (~60% of its CPU at 100,000
questions, and its memory peak), yet it finds no problem: only `quiz study`'s day plan and the linter use the
reveals. So a loaded bank's reveals are a `_Reveals` whose text is a `_Search`, called on first use:

- It reads `bank-KEY.reveals`, the file beside the cache file `bank-KEY.pickle` of the same key (so the same
  content), else searches the bank's own questions and events and writes that file (a temporary file, then
  `os.replace`). A file that is missing, truncated, damaged or of another key is searched again and rewritten,
  never an error; one that cannot be written (a read-only or full cache folder) only costs the search next time.
- A bank built without a cache folder (`build_bank`) searches in memory on first use, once.
- A search made anyway (`quiz validate`'s linter, `settle`) is handed to the bank's reveals still to be found:
  kept in the file, so the reveals cost no second search, in this command or a later one.

The file: `MAGIC`, the key and a newline, the text's length (8 bytes) and CRC-32 (4 bytes), then the text
(`_Reveals.pack`'s, UTF-8). The cache prunes it with its own file (`quiz.bank.cache.write_cache`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from quiz.bank.cached_texts import _Reveals

MAGIC = b"quiz bank reveals\n"
SUFFIX = ".reveals"
LARGEST = 1 << 30
"""A reveals file larger than this is not read (100,000 questions take 8 MB)."""


def path_of(cache_dir: Path, key: str) -> Path:
    """The reveals file of the bank cached under `key` (beside `bank-KEY.pickle`: `bank-*` names both)."""
    return cache_dir / f"bank-{key}{SUFFIX}"


def lazy(questions: Sequence[Any], events: Sequence[Any], cache_dir: Path | None = None,
         key: str = "") -> _Reveals:
    """The reveals of these questions and events, found on first use (kept in `cache_dir` under `key`, when
    given)."""
    return _Reveals(_Search(questions, events, None if cache_dir is None else path_of(cache_dir, key), key))


STALE_SECONDS = 3600
"""A temporary file of a write this old was left by a process that died writing it (a write takes seconds)."""


def prune(cache_dir: Path) -> None:
    """Remove the reveals of every bank no longer cached (its cache file pruned, or removed as damaged), and the
    temporary files of writes that never finished (a process killed while writing: `STALE_SECONDS` old)."""
    import time

    for path in cache_dir.glob(f"bank-*{SUFFIX}"):
        if not path.with_suffix(".pickle").exists():
            path.unlink(missing_ok=True)
    oldest = time.time() - STALE_SECONDS
    for path in cache_dir.glob(f"bank-*{SUFFIX}-tmp*"):
        try:
            if path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def settle(reveals: Mapping[str, tuple[str, ...]], found: Callable[[], Mapping[str, Sequence[str]]]) -> None:
    """Hand a search made anyway (`found()`: what `quiz.bank.facts.reveal_map` would give) to a bank's reveals
    still to be found (`lazy`'s): kept in their file, else in memory; nothing when they are known already."""
    pending = reveals.pending if isinstance(reveals, _Reveals) else None
    if isinstance(pending, _Search):
        pending.settle(found)


class _Search:
    """The text of a bank's reveals (`_Reveals.pack`'s): read from its file, else searched and written there.
    Called once (`_Reveals` keeps the text)."""

    __slots__ = ("questions", "events", "path", "key", "given")

    def __init__(self, questions: Sequence[Any], events: Sequence[Any], path: Path | None, key: str) -> None:
        self.questions = questions  # the bank's own: it keeps them anyway
        self.events = events
        self.path = path
        self.key = key
        self.given: str | None = None  # a search made anyway that could not be kept in the file (`settle`)

    def __call__(self) -> str:
        text = self.given if self.given is not None else self._read()
        if text is None:
            from quiz.bank.cache import pause_gc, resume_gc
            from quiz.bank.facts import forget, reveal_map

            paused = pause_gc()  # ~75,000 small dicts and tuples at 100,000 questions, no cycle
            try:
                text = _Reveals.pack(reveal_map(self.questions, self.events))
            finally:
                resume_gc(paused, 0)
            forget()  # the search's memo (~30 MB at 100,000 questions): nothing searches this bank again
            self._write(text)
        self.questions = self.events = ()
        self.given = None
        return text

    def settle(self, found: Callable[[], Mapping[str, Sequence[str]]]) -> None:
        if self.given is not None or self._read() is not None:
            return
        text = _Reveals.pack(found())
        if not self._write(text):
            self.given = text

    def _read(self) -> str | None:
        return None if self.path is None else _read(self.path, self.key)

    def _write(self, text: str) -> bool:
        return self.path is not None and _write(self.path, self.key, text)


def _read(path: Path, key: str) -> str | None:
    """The text kept in `path` for `key`; None when there is none, or it is damaged, truncated or another's."""
    import zlib

    head = MAGIC + key.encode("ascii") + b"\n"
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if not len(head) + 12 <= size <= LARGEST:
                return None
            data = handle.read()
    except OSError:
        return None
    start = len(head) + 12
    if not data.startswith(head) or int.from_bytes(data[len(head):len(head) + 8], "big") != len(data) - start:
        return None
    body = memoryview(data)[start:]
    if zlib.crc32(body) != int.from_bytes(data[start - 4:start], "big"):
        return None
    try:
        return str(body, "utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None


def _write(path: Path, key: str, text: str) -> bool:
    """Keep `text` in `path` for `key` (whole or not at all); False when it cannot be written."""
    import zlib

    data = text.encode("utf-8", "surrogatepass")
    tmp = path.with_suffix(f"{SUFFIX}-tmp{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(MAGIC + key.encode("ascii") + b"\n" + len(data).to_bytes(8, "big")
                         + zlib.crc32(data).to_bytes(4, "big"))
            handle.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False
