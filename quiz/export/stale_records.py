"""How stale each bank's revision record is, counted on the linter's pass (`quiz validate` without `--fix`).

`quiz.export.revisions.stale_entries` counts one record against its bank's questions in a pass of its own; this
counts every record with a record on the linter's pass instead (`quiz.bank.lint.Rider`): each part of the linter
reads the records (their hashes only, `record_pairs`) and compares the questions it is shown, so no question is
decoded twice and the work is split over the cores as the linter's is. The counts are `stale_entries`' (tested):
changed or missing hashes and languages, and the entries of ids no question (but a draft) has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from quiz.export.revisions import RECORD_NAME, Entry, NotLaidOut, lang_hash, record_pairs
from quiz.model import LANGS, Lang, Question

_Hashes = tuple[str | None, ...]
"""A record's hash of a question in each of `LANGS` (None: no entry)."""
_Found = dict[str, tuple[int, dict[str, int], int]]
"""Bank id -> (changed entries among the questions shown, id -> its entries in the record for each question id
shown, the record's entries in all)."""


@dataclass(frozen=True, slots=True)
class StaleRecords:
    """The records of `folders` (bank id -> its folder; a bank without a record is left out) as a `Rider`: its
    result is each stale record's path and how many of its entries differ, in the order of `folders`."""

    folders: Mapping[str, Path]

    def part(self) -> _Part:
        records: dict[str, dict[str, _Hashes]] = {}
        for bank_id, folder in self.folders.items():
            if (folder / RECORD_NAME).exists():
                records[bank_id] = {qid: tuple(e[0] if e else None for e in map(langs.get, LANGS))
                                    for qid, langs in _pairs(folder)}
        return _Part(records)

    def merged(self, results: list[_Found]) -> list[tuple[Path, int]]:
        out: list[tuple[Path, int]] = []
        for bank_id, folder in self.folders.items():
            found = [result[bank_id] for result in results if bank_id in result]
            if not found:
                continue
            shown: dict[str, int] = {}
            for _, ids, _ in found:
                shown.update(ids)
            stale = sum(changed for changed, _, _ in found) + found[0][2] - sum(shown.values())
            if stale:
                out.append((folder / RECORD_NAME, stale))
        return out


def _pairs(folder: Path) -> list[tuple[str, dict[Lang, Entry]]]:
    """The record's pairs, as `stale_entries` reads them (line by line, or whole when laid out otherwise)."""
    try:
        return list(record_pairs(folder))
    except NotLaidOut:
        return list(record_pairs(folder, whole=True))


@dataclass(slots=True)
class _Part:
    """One part's count: for each bank with a record, the changed entries of the questions shown and the ids
    shown (with their entries in the record)."""

    records: dict[str, dict[str, _Hashes]]
    changed: dict[str, int] = field(default_factory=dict)
    shown: dict[str, dict[str, int]] = field(default_factory=dict)

    def visit(self, question: Question) -> None:
        if question.draft:
            return
        record = self.records.get(question.bank)
        if record is None:
            return
        old = record.get(question.id)
        changed = 0
        if old is None:
            changed = len(LANGS)
        else:
            for lang, digest in zip(LANGS, old, strict=True):
                if digest is None or digest != lang_hash(question, lang):
                    changed += 1
        bank_id = question.bank
        self.changed[bank_id] = self.changed.get(bank_id, 0) + changed
        self.shown.setdefault(bank_id, {})[question.id] = 0 if old is None else len(old) - old.count(None)

    def result(self) -> _Found:
        return {bank_id: (self.changed.get(bank_id, 0), self.shown.get(bank_id, {}),
                          sum(len(v) - v.count(None) for v in record.values()))
                for bank_id, record in self.records.items()}
