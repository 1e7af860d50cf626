"""The revision records of an export brought up to date from the plan's own pass over the bank (`Refresh`), so
that a large bank is decoded once and each question's hashes are computed once.

The questions' hashes are kept as they pass (id and one hash per language, ~8 MB at 100k), then merged in id
order with the record as it is read line by line (`quiz.export.revisions.record_pairs`): a 100k bank's record,
~60 MB as dicts, is never held. The up-to-date record (`Merged`) is those hashes and, for each question, its
times (a few distinct ones, each held once); `quiz.export.revisions.record_text` writes it as it would the
record `refreshed` makes, and the note times are looked up in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from pathlib import Path

from quiz.export.revisions import (
    BankRecord,
    Entry,
    NotLaidOut,
    Record,
    bank_folders,
    format_time,
    lang_hash,
    lang_hashes,
    record_pairs,
)
from quiz.model import LANGS, Bank, Lang, Question


class Merged(Mapping[str, Mapping[Lang, Entry]]):
    """A bank's up-to-date record entries, question id → language → (hash, since), made when looked up from
    the questions' hashes (`rows`: id, then a hash per `LANGS`) and their times (`sinces`: one per `LANGS`)."""

    def __init__(self, rows: Sequence[tuple[str, ...]], sinces: Sequence[tuple[str, ...]]) -> None:
        self._rows = rows
        self._sinces = sinces
        self._index = {row[0]: at for at, row in enumerate(rows)}  # of an id listed twice, the later

    def __getitem__(self, qid: str) -> Mapping[Lang, Entry]:
        at = self._index[qid]
        row, since = self._rows[at], self._sinces[at]
        return {lang: (row[1 + k], since[k]) for k, lang in enumerate(LANGS)}

    def since(self, qid: str, lang: Lang) -> str | None:
        """`self[qid][lang][1]` without making the entry (`quiz.export.revisions.NoteTimes`); None when the id
        has none."""
        at = self._index.get(qid)
        return None if at is None or lang not in LANGS else self._sinces[at][LANGS.index(lang)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


class Refresh:
    """Every loaded bank's record brought up to date from a stream of the whole bank that another pass reads
    (`watch`: an export's plan); `hash` gives that pass the hashes computed here. `records` then gives what
    `quiz.export.revisions.bank_records` would have (without the records as read)."""

    def __init__(self, folders: Mapping[str, tuple[Path, bool]], now: datetime) -> None:
        self._folders = dict(folders)
        self._seen: dict[str, list[tuple[str, ...]]] = {bank_id: [] for bank_id in folders}  # (id, *hashes)
        self._now = now
        self._last: tuple[Question | None, tuple[str, ...]] = (None, ())

    def watch(self, questions: Iterable[Question]) -> Iterator[Question]:
        """`questions` (every question of the bank, in its order), each one's hashes kept as it passes."""
        for q in questions:
            seen = self._seen.get(q.bank)
            if seen is not None and not q.draft:
                digests = lang_hashes(q)
                self._last = (q, digests)
                seen.append((q.id, *digests))
            yield q

    def part(self) -> Refresh:
        """A Refresh of the same banks that keeps hashes of its own: those of a part of the pass, made apart (in a
        forked child, `quiz.export.anki_notes.briefs_split`) and given back by `take`."""
        return Refresh(self._folders, self._now)

    def seen(self) -> dict[str, list[tuple[str, ...]]]:
        """The hashes kept so far, by bank: (id, *hashes) in the order the questions passed."""
        return self._seen

    def take(self, seen: Mapping[str, Sequence[tuple[str, ...]]]) -> None:
        """Keep a part's hashes (`part`, `seen`) after those kept so far, as if its questions passed here."""
        for bank_id, rows in seen.items():
            self._seen[bank_id].extend(rows)

    def hash(self, q: Question, lang: Lang) -> str:
        """`lang_hash(q, lang)`, taken from this pass when `q` is the question it saw last."""
        last, digests = self._last
        return digests[LANGS.index(lang)] if last is q else lang_hash(q, lang)

    def records(self) -> list[BankRecord]:
        """Each bank's record as `refreshed` would make it, and how many entries differ (its record read now)."""
        stamp = format_time(self._now)
        out = []
        for bank_id, (folder, builtin) in self._folders.items():
            rows = self._seen[bank_id]
            rows.sort(key=itemgetter(0))  # stable: of an id listed twice, the later stays later
            try:
                sinces, stale = merged(rows, record_pairs(folder), stamp)
            except NotLaidOut:
                sinces, stale = merged(rows, record_pairs(folder, whole=True), stamp)
            out.append(BankRecord(bank_id, folder, builtin, Record(Merged(rows, sinces)), stale))
        return out


def merged(rows: Sequence[tuple[str, ...]], record: Iterable[tuple[str, Mapping[Lang, Entry]]],
           stamp: str) -> tuple[list[tuple[str, ...]], int]:
    """Each row's times (`rows` and `record` both in id order): a hash the record has keeps its time, a new or
    changed one gets `stamp`; and how many entries changed, those of ids no longer in the bank included."""
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    sinces: list[tuple[str, ...]] = []
    changed = 0
    pairs = iter(record)
    pair = next(pairs, None)
    matched = False  # whether `pair` is some row's
    for qid, *digests in rows:
        while pair is not None and pair[0] < qid:
            if not matched:
                changed += len(pair[1])
            pair, matched = next(pairs, None), False
        before: Mapping[Lang, Entry] = {}
        if pair is not None and pair[0] == qid:
            before, matched = pair[1], True
        own = []
        for lang, digest in zip(LANGS, digests, strict=True):
            old = before.get(lang)
            if old is not None and old[0] == digest:
                own.append(old[1])
            else:
                own.append(stamp)
                changed += 1
        times = tuple(own)
        sinces.append(shared.setdefault(times, times))
    while pair is not None:
        if not matched:
            changed += len(pair[1])
        pair, matched = next(pairs, None), False
    return sinces, changed


def refresher(bank: Bank, paths: Sequence[Path], builtin: bool, now: datetime) -> Refresh:
    """A `Refresh` of the banks `quiz.export.revisions.note_times_for` would bring up to date."""
    return Refresh(bank_folders(bank, paths, builtin), now)
