"""Content digests of bank files remembered by their `stat`, so a warm run reads no bank file (`FileMemo`).

A file's digest is kept with its size, mtime, ctime, inode and device in `files.marshal` in the cache folder and
reused while its `stat` is unchanged, as git's index does; an entry recorded within `RACY_NS` of the file's own
mtime or ctime is never trusted (a write in the same clock tick leaves the times unchanged). quiz.bank.cache
re-exports all of this.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

try:  # blake2b without hashlib, which loads OpenSSL (~4 ms at start-up) for hashes quiz never uses
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

__all__ = ["MEMO_ENTRIES", "RACY_NS", "FileMemo", "blake2b", "file_digest"]

RACY_NS = 3_000_000_000
"""A remembered digest is trusted only for a file whose mtime and ctime were older than this when it was recorded."""
MEMO_ENTRIES = 10_000


def file_digest(raw: bytes) -> bytes:
    return blake2b(raw, digest_size=16).digest()


class FileMemo:
    """Content digests of bank files by their `stat`, so a warm run need not read them (see the module doc)."""

    def __init__(self, path: Path, entries: dict[str, tuple[Any, ...]], racy_ns: int = RACY_NS) -> None:
        self.path = path
        self.racy_ns = racy_ns
        self.entries = entries  # path -> (size, mtime_ns, ctime_ns, inode, device, recorded_ns), digest at the end
        self.changed = False

    @classmethod
    def open(cls, cache_dir: Path, racy_ns: int = RACY_NS) -> FileMemo:
        import marshal

        path = cache_dir / "files.marshal"
        try:
            with open(path, "rb") as handle:
                entries = marshal.load(handle)
            if not isinstance(entries, dict):
                entries = {}
        except Exception:  # missing, unreadable or damaged: start afresh
            entries = {}
        return cls(path, entries, racy_ns)

    @staticmethod
    def _stat_key(stat: os.stat_result) -> tuple[int, int, int, int, int]:
        return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)

    def digest(self, path: Path, stat: os.stat_result) -> bytes | None:
        entry = self.entries.get(str(path.absolute()))
        if entry is None or len(entry) != 7:
            return None
        size, mtime, ctime, inode, device, recorded, digest = entry
        if (size, mtime, ctime, inode, device) != self._stat_key(stat):
            return None
        if recorded - max(mtime, ctime) < self.racy_ns:  # recorded too soon after a write to tell another one
            return None
        return digest if isinstance(digest, bytes) else None

    def remember(self, path: Path, stat: os.stat_result, digest: bytes, recorded: int | None = None) -> None:
        """Remember `digest` for `path` as `stat` found it; `recorded`: when `stat` was taken (`time.time_ns`, now
        when not given), what `digest` weighs against the file's times (a digest learnt later, from the parse,
        must not pass for one taken long after the file was last written)."""
        import time

        self.entries[str(path.absolute())] = (*self._stat_key(stat), time.time_ns() if recorded is None else recorded,
                                              digest)
        self.changed = True

    def save(self) -> None:
        """Best effort, atomic; keeps the most recently recorded entries."""
        import marshal

        if not self.changed:
            return
        entries = self.entries
        if len(entries) > MEMO_ENTRIES:
            entries = dict(sorted(entries.items(), key=lambda item: item[1][5])[-MEMO_ENTRIES:])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".tmp{os.getpid()}")
            with open(tmp, "wb") as handle:
                marshal.dump(entries, handle)
            os.replace(tmp, self.path)
        except OSError:
            pass
        self.changed = False
