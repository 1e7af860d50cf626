"""The export's counts against the previous record (`quiz.export.anki_outputs.compare`) fed rows directly, as the
store streams them (GUID order, never a mapping), and the record it is fed (`previous_record`): the previous
export to the same file, else the latest Anki export."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quiz.bank import load_bank
from quiz.export import anki as ax
from quiz.export.anki_outputs import Removed, compare, previous_record, record_value
from quiz.model import Bank
from quiz.store import Store

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def _plan() -> tuple[Bank, list[ax.NoteSpec]]:
    bank = load_bank([], builtin=True).bank
    return bank, ax.plan(bank, bank.questions, ("ar", "en"))


def test_rows_fed_directly_count_as_the_record_they_are() -> None:
    bank, notes = _plan()
    record = {spec.guid: record_value(spec) for spec in notes}
    same = compare(notes, iter(sorted(record.items())), bank)
    assert (same.new, same.changed, same.unchanged) == (0, 0, len(notes)) and not same.removed
    new, changed, kinded = notes[0], notes[1], notes[2]
    del record[new.guid]
    record[changed.guid] = record_value(replace(changed, content_hash="0" * 20))
    record[kinded.guid] = record_value(replace(kinded, note_type=kinded.note_type + 1))
    record["~gone"] = record_value(replace(notes[3], guid="~gone", key="no-such-question"))
    record["~bare"] = "0" * 20  # an earlier version's record: a bare hash, no id to name
    rows = sorted(record.items())
    got = compare(notes, iter(rows), bank)
    assert got == compare(notes, record, bank)  # a mapping is merged as its sorted rows
    assert (got.new, got.changed, got.unchanged) == (1, 1, len(notes) - 2)
    assert got.kind_changes == (f"{kinded.key} ({kinded.lang})",)
    assert got.removed == (Removed(notes[3].top, ("no-such-question",)), Removed("", (), 1))


def test_rows_out_of_guid_order_or_two_notes_of_one_guid_are_errors() -> None:
    bank, notes = _plan()
    rows = sorted((spec.guid, record_value(spec)) for spec in notes)
    with pytest.raises(ValueError, match="not in GUID order"):
        compare(notes, iter([rows[1], rows[0], *rows[2:]]), bank)
    with pytest.raises(ValueError, match="share the GUID"):
        compare([*notes, notes[5]], iter(rows), bank)


def test_the_previous_record_is_the_same_files_else_the_latest_anki_exports(tmp_path: Path) -> None:
    with Store.open(tmp_path / "quiz.db", now=NOW) as store:
        assert previous_record(store, tmp_path / "a.apkg") is None
        store.record_export(None, ax.EXPORT_KIND, str(tmp_path / "a.apkg"), NOW, {"g2": "a2", "g1": "a1"})
        store.record_export(None, "csv", str(tmp_path / "c.csv"), NOW + timedelta(seconds=1), {"g9": "c9"})
        fallback = previous_record(store, tmp_path / "b.apkg")
        assert fallback is not None and list(fallback) == [("g1", "a1"), ("g2", "a2")]  # GUID order
        store.record_export(None, ax.EXPORT_KIND, str(tmp_path / "b.apkg"), NOW + timedelta(seconds=2), {"g3": "b3"})
        own, other = previous_record(store, tmp_path / "a.apkg"), previous_record(store, tmp_path / "d.apkg")
        assert own is not None and list(own) == [("g1", "a1"), ("g2", "a2")]  # its own file's, not the latest
        assert other is not None and list(other) == [("g3", "b3")]  # the latest Anki export's
