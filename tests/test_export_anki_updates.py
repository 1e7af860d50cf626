"""`quiz export anki` again: updates that keep the learner's work (note times from the bank's revision record,
per language; identity per bank), the summary and dry run per output, the revision record, and a collection made
by the previous version (tests/fixtures/anki-main-c19.apkg)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki_kit import (
    IF_NEWER,
    T0,
    TEACHER,
    expected_notes,
    export,
    import_apkg,
    iso,
    listed,
    new_collection,
    note_of,
    notes_snapshot,
    package_mod,
    quiz,
    rewrite,
)

from quiz.bank import load_bank
from quiz.export import anki as ax
from quiz.export.anki_notes import EVENT


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = new_collection(tmp_path / "anki-profile")
    try:
        yield collection
    finally:
        collection.close()


@pytest.fixture
def teacher(tmp_path: Path, write_bank: Any) -> Path:
    return write_bank(tmp_path / "teacher", {"qs.yaml": TEACHER})


# --- re-export without damage ---------------------------------------------------------------------------------------


def test_one_changed_question_updates_exactly_one_note(tmp_path: Path, col: Collection, teacher: Path) -> None:
    v1, v2 = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    args = ("--lang", "en", "--bank", str(teacher))
    export(v1, *args, now=T0)
    first = import_apkg(col, v1)
    total = col.note_count()
    assert len(first.new) == total > 0
    notetypes = {m.id for m in col.models.all_names_and_ids()}
    before = {row[1]: row for row in notes_snapshot(col)}

    rewrite(teacher, "[red]What[/red] is this?", "What is this, now?")
    export(v2, *args, now=T0 + timedelta(hours=1))
    log = import_apkg(col, v2)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 1, total - 1)
    assert len(log.missing_notetype) == 0 and len(log.conflicting) == 0
    assert col.note_count() == total
    assert {m.id for m in col.models.all_names_and_ids()} == notetypes
    changed = note_of(col, "t-card", "en", "teacher")
    assert "What is this, now?" in changed["Prompt"]
    after = {row[1]: row for row in notes_snapshot(col)}
    assert {g for g in after if after[g] != before[g]} == {changed.guid}
    assert after[changed.guid][3] == int((T0 + timedelta(hours=1)).timestamp())  # mod = when content changed


def test_an_english_only_edit_updates_the_english_note_only(tmp_path: Path, col: Collection, teacher: Path) -> None:
    v1, v2 = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    args = ("--lang", "both", "--no-builtin", "--bank", str(teacher))
    export(v1, *args, now=T0)
    import_apkg(col, v1)
    mine = note_of(col, "t-card", "ar", "teacher")
    mine["Explanation"] = "ملاحظتي"
    col.update_note(mine)
    before = {row[1]: row for row in notes_snapshot(col)}
    rewrite(teacher, "[red]What[/red] is this?", "What, is this?")
    export(v2, *args, now=T0 + timedelta(hours=1))
    log = import_apkg(col, v2)
    assert (len(log.new), len(log.updated)) == (0, 1)
    after = {row[1]: row for row in notes_snapshot(col)}
    assert {g for g in after if after[g] != before[g]} == {genanki.guid_for("teacher", "t-card", "en")}
    assert note_of(col, "t-card", "ar", "teacher")["Explanation"] == "ملاحظتي"
    record = json.loads((teacher / "revisions.json").read_text(encoding="utf-8"))["questions"]["t-card"]
    assert record["ar"][1] == iso(T0) and record["en"][1] == iso(T0 + timedelta(hours=1))


def test_an_unchanged_bank_from_a_fresh_database_updates_nothing(tmp_path: Path, col: Collection,
                                                                 teacher: Path) -> None:
    """Another computer, a reinstall, a teacher's export: note times come from the bank, not the database."""
    v1, v2 = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    bank_args = ("--lang", "both", "--bank", str(teacher))
    export(v1, *bank_args, "--db", str(tmp_path / "mine.db"), now=T0)
    import_apkg(col, v1)
    mine = note_of(col, "t-choice", "en", "teacher")
    mine["Explanation"] = "My own mnemonic"
    mine.tags.append("my-tag")
    col.update_note(mine)
    builtin_note = note_of(col, "alaska-purchase-seward", "en")
    builtin_note["Explanation"] = "Seward's folly"
    col.update_note(builtin_note)
    snapshot = notes_snapshot(col)
    export(v2, *bank_args, "--db", str(tmp_path / "elsewhere.db"), now=T0 + timedelta(days=2))
    log = import_apkg(col, v2)
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert notes_snapshot(col) == snapshot
    assert note_of(col, "t-choice", "en", "teacher")["Explanation"] == "My own mnemonic"
    assert note_of(col, "alaska-purchase-seward", "en")["Explanation"] == "Seward's folly"


def test_two_teachers_banks_with_the_same_ids_give_two_notes(tmp_path: Path, col: Collection,
                                                            write_bank: Any) -> None:
    a = write_bank(tmp_path / "class-a", {"qs.yaml": TEACHER})
    b = write_bank(tmp_path / "class-b", {"qs.yaml": TEACHER.replace("An answer &", "Another answer &")})
    for bank, out in ((a, tmp_path / "a.apkg"), (b, tmp_path / "b.apkg")):
        export(out, "--lang", "en", "--no-builtin", "--bank", str(bank))
        import_apkg(col, out)
    assert len(col.find_notes('"Id:t-card"')) == 2
    assert "An answer" in note_of(col, "t-card", "en", "class-a")["Answer"]
    assert "Another answer" in note_of(col, "t-card", "en", "class-b")["Answer"]
    decks = {d.name for d in col.decks.all_names_and_ids()}
    assert {"class-a (English)", "class-b (English)"} <= decks or {"class-a", "class-b"} <= decks


def test_reimporting_an_unchanged_export_changes_nothing(tmp_path: Path, col: Collection, teacher: Path) -> None:
    v1, v2 = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    args = ("--lang", "both", "--bank", str(teacher))
    export(v1, *args, now=T0)
    import_apkg(col, v1)
    snapshot = notes_snapshot(col)
    log = import_apkg(col, v1)
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert notes_snapshot(col) == snapshot
    export(v2, *args, now=T0 + timedelta(days=1))  # a later export of the same bank
    log = import_apkg(col, v2)
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert notes_snapshot(col) == snapshot


def test_the_record_of_a_re_export_repeats_the_previous_one_and_is_what_writing_it_whole_gives(
        tmp_path: Path, write_bank: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.export import anki_outputs
    from quiz.store.exports import Exports

    copied: list[bool] = []
    real = Exports._repeats
    monkeypatch.setattr(Exports, "_repeats", lambda self, *a: copied.append(real(self, *a)) or copied[-1])

    def records(name: str) -> list[list[tuple[str, str]]]:
        bank = write_bank(tmp_path / name / "teacher", {"qs.yaml": TEACHER})  # one bank id for both runs
        db, out = tmp_path / name / "quiz.db", tmp_path / name / "deck.apkg"
        got = []
        steps = [("both", None), ("en", ("[red]What[/red] is this?", "What is this, now?")), ("both", None),
                 ("both", ("An answer & <i>more</i>", "Another answer"))]
        for hours, (lang, edit) in enumerate(steps):
            if edit is not None:
                rewrite(bank, *edit)
            # gone (the Arabic notes), changed, new (the Arabic notes again), changed in both languages
            export(out, "--lang", lang, "--no-builtin", "--bank", str(bank), "--db", str(db),
                   now=T0 + timedelta(hours=hours))
            conn = sqlite3.connect(db)
            got.append(conn.execute("SELECT guid, content_hash FROM export_notes WHERE export_id = "
                                    "(SELECT MAX(id) FROM exports) ORDER BY guid").fetchall())
            conn.close()
        return got

    repeated = records("repeated")
    assert copied == [True, True, True]  # the first export has no record to repeat
    monkeypatch.setattr(anki_outputs, "REPEAT_MAX", -1)  # every record written whole
    assert records("whole") == repeated
    assert copied == [True, True, True]
    assert len(repeated[1]) < len(repeated[0]) == len(repeated[2]) == len(repeated[3])


def test_package_timestamps_always_increase(tmp_path: Path, teacher: Path) -> None:
    args = ("--lang", "en", "--no-builtin", "--bank", str(teacher))
    mods = []
    for index, now in enumerate((T0, T0, T0 - timedelta(hours=5), T0 + timedelta(minutes=1))):
        out = tmp_path / f"v{index}.apkg"
        export(out, *args, now=now)
        mods.append(package_mod(out))
    assert mods == sorted(mods) and len(set(mods)) == len(mods)
    assert mods[0] == int(T0.timestamp() * 1000)


def test_dry_run_counts_per_output_names_removed_ids_and_writes_nothing(tmp_path: Path, teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    args = ("--lang", "en", "--no-builtin", "--bank", str(teacher))
    bank = load_bank([teacher], builtin=False).bank
    ids = [q["id"] for q in listed("--no-builtin", "--bank", str(teacher))]
    notes, cards = expected_notes(bank, ids), len(ids)
    first = quiz("export", "anki", str(out), *args, "--dry-run")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == (f"Would write {notes} notes ({cards} cards) to {out} ({notes} new, 0 changed, "
                            "0 unchanged since the previous export)\n")
    assert not out.exists()
    export(out, *args)
    written = out.read_bytes()

    rewrite(teacher, "[red]What[/red] is this?", "What is this, now?")
    rewrite(teacher, "  - id: t-tf\n", "  - id: t-tf-renamed\n")  # one removed, one new
    for _ in range(2):  # a dry run records nothing: the second one says the same
        result = quiz("export", "anki", str(out), *args, "--dry-run", now=T0 + timedelta(hours=1))
        assert result.exit_code == 0, result.stderr
        assert result.stdout == (
            f"Would write {notes} notes ({cards} cards) to {out} (1 new, 1 changed, {notes - 2} unchanged since "
            "the previous export)\n"
            "No longer in the bank (1): t-tf; Anki keeps them, find them with the search: "
            '"deck:teacher (English)" "Id:t-tf"\n')
    assert out.read_bytes() == written
    collection = new_collection(tmp_path / "anki")
    try:
        import_apkg(collection, out)
        found = collection.find_notes('"deck:teacher (English)" "Id:t-tf"')  # the search it prints works
        assert [collection.get_note(nid)["Id"] for nid in found] == ["t-tf"]
    finally:
        collection.close()


def test_two_outputs_are_counted_apart(tmp_path: Path, teacher: Path) -> None:
    args = ("--no-builtin", "--bank", str(teacher))
    export(tmp_path / "en.apkg", "--lang", "en", *args)
    result = quiz("export", "anki", str(tmp_path / "both.apkg"), "--lang", "both", *args, "--dry-run")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    bank = load_bank([teacher], builtin=False).bank
    n = expected_notes(bank, [q["id"] for q in listed(*args)])
    assert lines[1:] == [f"  teacher (English) [en]: {n} notes, 0 new, 0 changed, {n} unchanged",
                         f"  teacher (العربية) [ar]: {n} notes, {n} new, 0 changed, 0 unchanged"][::-1] or \
        lines[1:] == [f"  teacher (العربية) [ar]: {n} notes, {n} new, 0 changed, 0 unchanged",
                      f"  teacher (English) [en]: {n} notes, 0 new, 0 changed, {n} unchanged"]


def test_a_kind_change_is_warned_about_before_anki_refuses_it(tmp_path: Path, col: Collection,
                                                              teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    args = ("--lang", "en", "--no-builtin", "--bank", str(teacher))
    export(out, *args)
    import_apkg(col, out)
    rewrite(teacher, "    kind: card\n    era: early\n", "    kind: typed\n    era: early\n")
    dry = quiz("export", "anki", str(out), *args, "--dry-run", now=T0 + timedelta(hours=1))
    assert dry.exit_code == 0, dry.stderr
    assert dry.stderr.startswith("Warning: 1 notes changed their kind under the same id (t-card (en)); Anki skips "
                                 "them as conflicting")
    export(out, *args, now=T0 + timedelta(hours=1))
    assert len(import_apkg(col, out).conflicting) == 1  # what the warning said


def test_dry_run_without_a_database_creates_none(tmp_path: Path, teacher: Path) -> None:
    db = tmp_path / "nowhere" / "quiz.db"
    result = quiz("export", "anki", str(tmp_path / "d.apkg"), "--db", str(db), "--dry-run", "--lang", "en",
                  "--no-builtin", "--bank", str(teacher))
    assert result.exit_code == 0, result.stderr
    assert " new, 0 changed, 0 unchanged" in result.stdout
    assert not db.exists() and not db.parent.exists()
    assert not (teacher / "revisions.json").exists()  # a dry run writes nothing, the record neither


# --- the revision record ---------------------------------------------------------------------------------------------


def test_the_built_in_revision_record_is_current() -> None:
    from quiz.export import revisions

    bank = load_bank().bank
    stale = revisions.fix_records(bank, [], True, T0, write=False)
    assert stale == [], "questions/revisions.json is stale: run `quiz validate --fix` and commit it"


def test_validate_says_when_the_record_is_stale_and_fix_brings_it_up_to_date(teacher: Path) -> None:
    record = teacher / "revisions.json"
    fresh = quiz("validate", str(teacher))
    assert fresh.exit_code == 0 and "revision record" not in fresh.stdout  # none yet: the first export makes it
    fixed = quiz("validate", "--fix", str(teacher))
    assert fixed.exit_code == 0, fixed.stdout
    total = len(listed("--no-builtin", "--bank", str(teacher))) * 2
    assert f"Updated the revision record {record} ({total} entries): commit it with the bank\n" in fixed.stdout
    assert record.is_file()
    again = quiz("validate", str(teacher))
    assert "revision record" not in again.stdout
    rewrite(teacher, "[red]What[/red] is this?", "What is this, now?")
    stale = quiz("validate", str(teacher))
    assert stale.exit_code == 0
    assert (f"{record}: warning: the revision record is stale (1 entries); run `quiz validate --fix` and commit "
            "it\n") in stale.stdout


OLD_PACKAGE = Path(__file__).parent / "fixtures" / "anki-main-c19.apkg"


@pytest.mark.parametrize("merge", [False, True])
def test_a_collection_made_from_the_previous_version_updates_in_place(tmp_path: Path, col: Collection,
                                                                     merge: bool) -> None:
    """tests/fixtures/anki-main-c19.apkg: `quiz export anki --era c19 --lang both` of the version before event
    notes (separate notes per generated question, GUIDs from the question id). Its learner's scheduling stays, no
    note is duplicated; with "Merge note types" ticked the old typed year note becomes the event note. What Anki
    must do with each note follows from the fixture's own notes (their Id field and note type), not from counts
    of today's bank: a question that kept its id updates its note in place (same GUID), one that is new since the
    fixture (a new id, e.g. a question that now asks another fact) adds a note, and a note whose note type changed
    is refused as conflicting unless note types are merged."""
    import_apkg(col, OLD_PACKAGE)
    old_notes = col.note_count()
    types = {t.id: t for t in ax.NOTE_TYPES.values()}
    old: dict[tuple[str, str], tuple[str, int]] = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        old[(note["Id"], types[note.mid].lang)] = (note.guid, note.mid)
    assert len(old) == old_notes == 48
    col.db.execute("UPDATE cards SET type = 2, queue = 2, ivl = 12, due = 400, reps = 3, factor = 2500")
    before = {row[0]: row for row in col.db.all("SELECT id, type, queue, ivl, due, reps FROM cards")}
    new = tmp_path / "new.apkg"
    export(new, "--era", "c19", "--lang", "both")
    options = ImportAnkiPackageOptions(update_notes=IF_NEWER, update_notetypes=IF_NEWER, merge_notetypes=merge,
                                       with_scheduling=False)
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(new), options=options)).log

    bank = load_bank().bank
    c19 = [q for q in bank.studyable() if q.era == "c19"]
    added: set[tuple[str, str]] = set()
    updated: list[tuple[str, str]] = []
    conflicting: list[tuple[str, str]] = []
    for spec in ax.plan(bank, c19, ("ar", "en")):
        anchor = f"gen-year-{spec.key}" if spec.kind == EVENT else spec.key  # an event note keeps its year's GUID
        was = old.get((anchor, spec.lang))
        if was is None:
            added.add((anchor, spec.lang))
            continue
        assert spec.guid == was[0], anchor  # a question that kept its id keeps its note
        (updated if merge or spec.note_type == was[1] else conflicting).append((anchor, spec.lang))
    events = len([e for e in bank.events if e.era == "c19"])
    assert sum(1 for qid, _ in updated + conflicting if qid.startswith("gen-year-")) == 2 * events
    assert len(updated) >= 2 * 10  # most hand-written questions of the fixture are still there under their id

    assert len(log.new) == len(added) and col.note_count() == old_notes + len(added)  # nothing added twice
    assert len(col.db.list("SELECT guid FROM notes GROUP BY guid HAVING count(*) > 1")) == 0

    def held(nid: int) -> tuple[str, str]:  # what a note stands for: its question, or its event's year question
        note = col.get_note(nid)
        kind = types[note.mid]
        return ("gen-year-" if kind.kind == EVENT else "") + note["Id"], kind.lang

    assert {held(nid) for nid in col.find_notes("")} - set(old) == added  # the new notes are the new ids
    after = {row[0]: row for row in col.db.all("SELECT id, type, queue, ivl, due, reps FROM cards")}
    assert all(after[cid] == row for cid, row in before.items())  # every old card keeps its scheduling
    # in place: same GUIDs, the new rendering (and, merging, the old typed year notes become event notes)
    assert len(log.updated) == len(updated)
    assert len(log.conflicting) == len(conflicting) == (0 if merge else 2 * events)  # Anki keeps the old notes
    assert note_of(col, "alaska-purchase-seward", "en").mid == ax.NOTE_TYPES[("typed", "en")].id
    year = note_of(col, "gen-year-" + next(e.id for e in bank.events if e.era == "c19"), "en")
    if merge:
        assert year["RecallPrompt"]  # the event note now, its old card kept
    else:
        assert year.mid == ax.NOTE_TYPES[("typed", "en")].id


def test_the_first_export_writes_the_teachers_record_and_a_read_only_bank_still_exports(
        tmp_path: Path, teacher: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.errors import ExportError
    from quiz.export import revisions

    args = ("--lang", "en", "--no-builtin", "--bank", str(teacher))
    first = export(tmp_path / "a.apkg", *args)
    record = teacher / "revisions.json"
    assert first.stderr == f"Updated the revision record {record}: commit it with the bank\n"
    assert export(tmp_path / "b.apkg", *args).stderr == ""  # current: nothing to say
    rewrite(teacher, "[red]What[/red] is this?", "What is this, now?")

    def refuse(folder: Path, record: object) -> Path:
        raise ExportError("cannot write the file: permission denied", where=str(folder / "revisions.json"))

    monkeypatch.setattr(revisions, "write_record", refuse)
    result = export(tmp_path / "c.apkg", *args, now=T0 + timedelta(hours=1))
    assert result.stderr.startswith("Warning: ") and "permission denied" in result.stderr
    assert "the notes of bank 'teacher' get this export's times" in result.stderr
    assert (tmp_path / "c.apkg").is_file()



def test_a_revision_record_reads_the_same_laid_out_or_hand_formatted(tmp_path: Path) -> None:
    """The record is read line by line when laid out as quiz writes it, and from the whole JSON otherwise (a
    hand-formatted or reordered file): the same entries either way; a broken one is an error."""
    from quiz.errors import ExportError
    from quiz.export import revisions

    entries = {"q1": {"ar": ("a" * 20, "2026-01-02T03:04:05Z"), "en": ("b" * 20, "2026-01-02T03:04:05Z")},
               "q,2": {"en": ("c" * 20, "2026-02-01T00:00:00Z")}, 'q"3': {}}
    laid_out, formatted, broken = (tmp_path / name for name in ("laid", "formatted", "broken"))
    for folder in (laid_out, formatted, broken):
        folder.mkdir()
    text = revisions.record_text(revisions.Record(entries))
    (laid_out / "revisions.json").write_text(text, encoding="utf-8")
    (formatted / "revisions.json").write_text(json.dumps(json.loads(text), indent=1), encoding="utf-8")
    (broken / "revisions.json").write_text(text.replace('"en": [', '"en": ', 1), encoding="utf-8")
    assert revisions.read_record(laid_out).entries == entries
    assert revisions.read_record(formatted).entries == entries
    with pytest.raises(ExportError, match="the revision record is not valid"):
        revisions.read_record(broken)


def test_the_export_record_value_is_the_json_it_always_was() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from quiz.export.anki_notes import NoteSpec
    from quiz.export.anki_outputs import record_value

    @settings(max_examples=300, deadline=None)
    @given(st.text(), st.integers(0, 1 << 40), st.text(), st.sampled_from(["ar", "en"]), st.text())
    def check(content_hash: str, note_type: int, top: str, lang: Any, key: str) -> None:
        spec = NoteSpec(guid="g", key=key, questions=(key,), lang=lang, kind="card", note_type=note_type, bank="b",
                        top=top, deck=top + "::x", fields=(), tags=(), content_hash=content_hash, events=())
        assert record_value(spec) == json.dumps({"h": content_hash, "t": note_type, "o": f"{top}\x1f{lang}",
                                                 "k": key}, ensure_ascii=False, separators=(",", ":"))

    check()
