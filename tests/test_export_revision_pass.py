"""The revision records refreshed from an export's own pass over the bank (`quiz.export.revision_pass`) are the
records `bank_records` makes: the same text, the same count of stale entries, the same note times, whichever way
the record on disk is laid out."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quiz.bank import load_bank
from quiz.export import anki_notes, revisions
from quiz.export.revision_pass import Refresh
from quiz.model import LANGS, Bank

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def _record(tmp_path: Path, how: str) -> tuple[Path, Bank]:
    """A folder whose record is the built-in bank's, edited (a changed hash, a changed time, a question gone, an
    id no longer in the bank, a language missing), written `how`."""
    bank = load_bank([], builtin=True).bank
    wanted, _ = revisions.refreshed(revisions.Record({}), bank.questions, NOW - timedelta(days=30))
    entries = {qid: dict(langs) for qid, langs in wanted.entries.items()}
    ids = sorted(entries)
    entries[ids[0]]["en"] = ("0" * 20, entries[ids[0]]["en"][1])  # the content changed since
    entries[ids[1]]["ar"] = (entries[ids[1]]["ar"][0], "2026-01-02T03:04:05Z")  # an older time, the same hash
    del entries[ids[2]]  # a question the record does not have yet
    del entries[ids[3]]["ar"]  # nor in Arabic
    entries["zz-gone"] = {"en": ("1" * 20, "2026-01-01T00:00:00Z")}  # a question no longer in the bank
    entries["a-gone"] = {"ar": ("2" * 20, "2026-01-01T00:00:00Z"), "en": ("3" * 20, "2026-01-01T00:00:00Z")}
    text = revisions.record_text(revisions.Record(entries))
    folder = tmp_path / how
    folder.mkdir()
    if how == "formatted":
        text = json.dumps(json.loads(text), indent=1)
    elif how == "reordered":  # laid out line by line, but two lines swapped: read whole
        lines = text.split("\n")
        lines[5], lines[6] = lines[6], lines[5]
        text = "\n".join(lines)
    if how != "missing":
        (folder / revisions.RECORD_NAME).write_text(text, encoding="utf-8")
    return folder, bank


@pytest.mark.parametrize("how", ["laid-out", "formatted", "reordered", "missing"])
def test_the_refresh_gives_the_records_the_bank_records_give(tmp_path: Path, how: str) -> None:
    folder, bank = _record(tmp_path, how)
    folders = {bank.infos[0].id: (folder, False)}
    expected = revisions.bank_records(bank, folders, NOW)
    refresh = Refresh(folders, NOW)
    passed = [q.id for q in refresh.watch(bank.questions)]
    assert passed == [q.id for q in bank.questions]  # the stream is unchanged
    got = refresh.records()
    assert [r.stale for r in got] == [r.stale for r in expected]
    assert expected[0].stale > (0 if how == "missing" else 5)
    assert [revisions.record_text(r.wanted) for r in got] == [revisions.record_text(r.wanted) for r in expected]
    times, want = revisions.note_times(got), revisions.note_times(expected)
    assert dict(times) == dict(want) and len(times) == len(want)
    assert all(times.get(key) == want.get(key) == want[key] for key in want)  # up-to-date records and records read
    assert ("zz-gone", "en") not in times and times.get(("zz-gone", "en")) is None


def test_the_refresh_hashes_are_the_questions_own(tmp_path: Path) -> None:
    bank = load_bank([], builtin=True).bank
    refresh = Refresh({bank.infos[0].id: (tmp_path, False)}, NOW)
    for q in refresh.watch(bank.questions):
        assert all(refresh.hash(q, lang) == revisions.lang_hash(q, lang) for lang in ("ar", "en"))


def _brief_values(briefs: list[anki_notes.Brief]) -> list[tuple[object, ...]]:
    return [(b.id, b.era, b.generated, b.events, b.kind, b.bank, b.langs, b.hashes, b.firsts, b.prompted)
            for b in briefs]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_briefs_made_in_two_halves_are_one_passes_briefs_and_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    workers: str) -> None:
    """Split (the second half in a forked child, or here with one worker), the briefs and the refreshed record are
    what one pass over the bank makes."""
    folder, bank = _record(tmp_path, "laid-out")
    folders = {bank.infos[0].id: (folder, False)}
    whole = Refresh(folders, NOW)
    expected = anki_notes.briefs_of(whole.watch(bank.questions), LANGS, whole.hash)
    monkeypatch.setenv("QUIZ_WORKERS", workers)
    monkeypatch.setattr(anki_notes, "BRIEFS_SPLIT_FROM", 10)
    split = Refresh(folders, NOW)
    got = anki_notes.briefs_split(bank.questions, LANGS, split)
    assert _brief_values(got) == _brief_values(expected) and len(got) > 100
    assert split.seen() == whole.seen()
    assert [revisions.record_text(r.wanted) for r in split.records()] == [
        revisions.record_text(r.wanted) for r in whole.records()]


def test_a_failed_child_s_half_is_made_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, bank = _record(tmp_path, "laid-out")
    folders = {bank.infos[0].id: (folder, False)}
    whole = Refresh(folders, NOW)
    expected = anki_notes.briefs_of(whole.watch(bank.questions), LANGS, whole.hash)
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    monkeypatch.setattr(anki_notes, "BRIEFS_SPLIT_FROM", 10)
    parent = os.getpid()
    real = anki_notes.briefs_of

    def failing(*args: object, **kwargs: object) -> list[anki_notes.Brief]:
        if os.getpid() != parent:
            (tmp_path / "forked").touch()
            os._exit(3)  # the child dies before sending its half
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(anki_notes, "briefs_of", failing)
    split = Refresh(folders, NOW)
    assert _brief_values(anki_notes.briefs_split(bank.questions, LANGS, split)) == _brief_values(expected)
    assert split.seen() == whole.seen()
    assert (tmp_path / "forked").exists()  # the half was made here because the child died, not for want of one
