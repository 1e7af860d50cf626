"""How stale each bank's revision record is, counted on the linter's pass (`quiz validate` without `--fix`).

A `quiz.bank.lint.Rider`: each part of the linter compares the questions it is shown with the records (their
hashes only, `record_pairs`; read ahead while the bank loads, `read_ahead`, or by each part), so no question is
decoded twice and the work is split over the cores as the linter's is (`quiz.export.revisions.fix_records` runs
it alone, in one pass). The counts are what `refreshed` would change, neither record built (tested): changed or
missing hashes and languages, and the entries of ids no question (but a draft) has.
"""

from __future__ import annotations

import io
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from quiz.export.revisions import (
    RECORD_NAME,
    Entry,
    NotLaidOut,
    folders_of,
    lang_hashes,
    record_pairs,
    root_folders,
)
from quiz.model import LANGS, BankInfo, Lang, Question
from quiz.parallel import Pending, begin

_Hashes = tuple[str | None, ...]
"""A record's hash of a question in each of `LANGS` (None: no entry)."""
_Found = dict[str, tuple[int, bytes, bytes]]
"""Bank id -> (changed entries among the questions shown, for each entry of the record 1 where a question shown
has its id, and for each its languages as bits (`_Record.has`))."""


READ_AHEAD_BYTES = 1 << 20
"""Records of this many bytes or more in all are read ahead in a forked child (`read_ahead`; ~0.8 s of work for
the 14 MB record of a 100k bank); smaller ones when wanted."""


@dataclass(frozen=True, slots=True)
class StaleRecords:
    """The records of `folders` (bank id -> its folder; a bank without a record is left out) as a `Rider`: its
    result is each stale record's path and how many of its entries differ, in the order of `folders`. `read`:
    the records read already (`read_ahead`), each folder's, shared by the parts; else each part reads them."""

    folders: Mapping[str, Path]
    read: Mapping[Path, _Record] | None = None

    @classmethod
    def of(cls, infos: Sequence[BankInfo], paths: Sequence[Path], builtin: bool,
           read: Mapping[Path, _Record] | None = None) -> StaleRecords:
        """The records of the banks `infos` (a bank's, `Bank.infos`) loaded from `paths` (the built-in one first
        when `builtin`)."""
        return cls({bank_id: folder for bank_id, (folder, _) in folders_of(infos, paths, builtin).items()}, read)

    def part(self) -> _Part:
        read = self.read
        if read is not None:
            return _Part({bank_id: read[folder] for bank_id, folder in self.folders.items() if folder in read})
        return _Part({bank_id: _read(folder) for bank_id, folder in self.folders.items()
                      if (folder / RECORD_NAME).exists()})

    def merged(self, results: list[_Found]) -> list[tuple[Path, int]]:
        """The parts' results merged: a rider is merged once, when its parts are done, so the records read ahead
        are let go here (~10 MB at 100k, not held through the rest of the linter's work)."""
        if isinstance(self.read, dict):
            self.read.clear()
        out: list[tuple[Path, int]] = []
        for bank_id, folder in self.folders.items():
            found = [result[bank_id] for result in results if bank_id in result]
            if not found:
                continue
            has = found[0][2]
            seen = bytearray(len(has))
            for _, its_seen, _ in found:
                seen = bytearray(map(int.__or__, seen, its_seen))
            unseen = sum(_ENTRIES[bits] for bits, was in zip(has, seen, strict=True) if not was)
            stale = sum(changed for changed, _, _ in found) + unseen
            if stale:
                out.append((folder / RECORD_NAME, stale))
        return out


def read_ahead(paths: Sequence[Path], builtin: bool) -> Pending[dict[Path, _Record]]:
    """The records of the banks `paths` load (the built-in one first when `builtin`), by folder, for
    `StaleRecords.of`: read in a forked child at the lowest priority (`quiz.parallel.begin`) while this process
    loads the bank, when they are large (`READ_AHEAD_BYTES`), so that they take the time a core is left idle (a
    cold load's two readers waiting for each other) instead of each part of the linter's; else read when wanted.
    (`quiz validate`'s early checks take them as the load begins to generate when they are there by then, and do
    without them otherwise: the load never waits for them.)
    The same records, and the same error for a broken one, as the parts would read."""
    folders = [folder for folder, _ in root_folders(paths, builtin)]
    size = 0
    for folder in folders:
        try:
            size += (folder / RECORD_NAME).stat().st_size
        except OSError:  # none (or none readable: the read says so)
            pass
    return begin(partial(_read_all, folders), fork=size >= READ_AHEAD_BYTES, idle=True)


def _read_all(folders: Sequence[Path]) -> dict[Path, _Record]:
    return {folder: _read(folder) for folder in folders if (folder / RECORD_NAME).exists()}


def _read(folder: Path) -> _Record:
    """The record in `folder`, read line by line, or whole when laid out otherwise."""
    try:
        return _Record(record_pairs(folder))
    except NotLaidOut:
        return _Record(record_pairs(folder, whole=True))


_ALL = (1 << len(LANGS)) - 1
"""A record's id with an entry in every language: its language bits."""
_ENTRIES = bytes(bin(bits).count("1") for bits in range(1 << len(LANGS)))
"""The entries of a record's id with these language bits."""


class _Record:
    """A record's hashes, compact: its ids and its hashes each one string (their ends in arrays), an id found by
    its `hash` in a sorted array (searched in C). Each part of the linter holds one: as a dict of tuples, ~30 MB
    more in each process at 100k, which the heap kept after it was dropped."""

    __slots__ = ("_ids", "_id_ends", "_hashes", "_hash_ends", "has", "_keys", "_at")

    def __init__(self, pairs: Iterable[tuple[str, Mapping[Lang, Entry]]]) -> None:
        ids, hashes = io.StringIO(), io.StringIO()
        self._id_ends, self._hash_ends, self.has = array("q", [0]), array("q", [0]), bytearray()
        keys = array("q")
        id_end = hash_end = 0
        for qid, langs in pairs:
            id_end += ids.write(qid)
            self._id_ends.append(id_end)
            keys.append(hash(qid))
            has = 0
            for bit, lang in enumerate(LANGS):
                entry = langs.get(lang)
                if entry is not None:
                    has |= 1 << bit
                    hash_end += hashes.write(entry[0])
                self._hash_ends.append(hash_end)
            self.has.append(has)
        self._ids, self._hashes = ids.getvalue(), hashes.getvalue()
        order = sorted(range(len(keys)), key=keys.__getitem__)
        self._keys = array("q", map(keys.__getitem__, order))
        self._at = array("q", order)

    def find(self, qid: str) -> int:
        """The place of id `qid` in the record, or -1 when it has no entry."""
        key, keys = hash(qid), self._keys
        i = bisect_left(keys, key)
        while i < len(keys) and keys[i] == key:
            at = self._at[i]
            if self._ids[self._id_ends[at]:self._id_ends[at + 1]] == qid:
                return at
            i += 1
        return -1

    def unchanged(self, at: int, now: Sequence[str]) -> bool:
        """Whether the record's `at`-th id has an entry in every language whose hash is `now`'s (one for each of
        `LANGS`): the common case, told by one comparison of its hashes together, then of where they part."""
        n = len(LANGS)
        if self.has[at] != _ALL:
            return False
        ends, base = self._hash_ends, n * at
        if self._hashes[ends[base]:ends[base + n]] != "".join(now):
            return False
        for b in range(n - 1):  # equal together, and each stored hash as long as its current one: each equal
            if ends[base + b + 1] - ends[base + b] != len(now[b]):
                return False
        return True

    def hashes(self, at: int) -> _Hashes:
        """The hash of the record's `at`-th id in each language (None: no entry)."""
        ends, has, n = self._hash_ends, self.has[at], len(LANGS)
        return tuple(self._hashes[ends[n * at + b]:ends[n * at + b + 1]] if has >> b & 1 else None for b in range(n))


@dataclass(slots=True)
class _Part:
    """One part's count: for each bank with a record, the changed entries of the questions shown and which of
    the record's ids they have."""

    records: dict[str, _Record]
    changed: dict[str, int] = field(default_factory=dict)
    seen: dict[str, bytearray] = field(default_factory=dict)

    def visit(self, question: Question) -> None:
        if question.draft:
            return
        bank_id = question.bank
        record = self.records.get(bank_id)
        if record is None:
            return
        at = record.find(question.id)
        changed = 0
        if at < 0:
            changed = len(LANGS)
        else:
            now = lang_hashes(question)
            if not record.unchanged(at, now):
                for digest, its in zip(record.hashes(at), now, strict=True):
                    if digest != its:  # None: no entry in that language
                        changed += 1
            seen = self.seen.get(bank_id)
            if seen is None:
                seen = self.seen[bank_id] = bytearray(len(record.has))
            seen[at] = 1
        self.changed[bank_id] = self.changed.get(bank_id, 0) + changed

    def result(self) -> _Found:
        return {bank_id: (self.changed.get(bank_id, 0), bytes(self.seen.get(bank_id, bytearray(len(record.has)))),
                          bytes(record.has))
                for bank_id, record in self.records.items()}
