"""`quiz backup [PATH]` and `quiz restore PATH`: exact one-line messages, nothing invalid ever installed, the current
database always kept, safe beside a running `quiz study`, and a restore killed half-way leaves one whole database."""

from __future__ import annotations

import hashlib
import shutil
import signal
import sqlite3
from pathlib import Path

import pexpect
import pytest
from conftest import run_quiz
from reliability_kit import (
    Learner,
    assert_sound,
    integrity,
    kill,
    review_log,
    spawn,
    spawn_crasher,
    spawn_study,
    typed_bank,
    wait_for,
    write_bank,
)

from quiz import migrations

NOW = "2026-03-02T09:00:00Z"
STAMP = "20260302T090000Z"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "bank", typed_bank(8))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "quiz.db"


def quiz(db: Path, *args: str, stdin: str = "") -> object:
    return run_quiz(*args, stdin=stdin, now=NOW, env={"QUIZ_DB": str(db), "QUIZ_FUZZ": "0", "QUIZ_CACHE_DIR": ""})


def study(db: Path, bank: Path, answers: int) -> None:
    result = quiz(db, "study", "--no-builtin", "--bank", str(bank), "--lang", "en", "--new", str(answers),
                  stdin="right\n\n" * answers + "q\n")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def error(result: object) -> str:
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    assert result.stdout == ""  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, lines
    return lines[0]


# --- quiz backup ------------------------------------------------------------------------------------------------


def test_backup_beside_the_database_with_a_timestamp(db: Path, bank: Path) -> None:
    study(db, bank, 3)
    result = quiz(db, "backup")
    target = db.with_name(f"quiz.db.backup-{STAMP}")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert result.stdout == f"Backed up {db} to {target} (1 profile, 3 answers).\n"  # type: ignore[attr-defined]
    assert integrity(target) == "ok"
    assert review_log(target) == review_log(db)
    # A second one the same second does not overwrite the first.
    result = quiz(db, "backup")
    assert result.stdout == f"Backed up {db} to {target}-2 (1 profile, 3 answers).\n"  # type: ignore[attr-defined]
    assert files(db.parent) == ["quiz.db", f"quiz.db.backup-{STAMP}", f"quiz.db.backup-{STAMP}-2"]


def test_backup_to_a_file_or_a_folder(tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 2)
    out = tmp_path / "copies"
    out.mkdir()
    result = quiz(db, "backup", str(out / "mine.db"))
    assert result.stdout == f"Backed up {db} to {out / 'mine.db'} (1 profile, 2 answers).\n"  # type: ignore[attr-defined]
    result = quiz(db, "backup", str(out))
    assert result.stdout == (  # type: ignore[attr-defined]
        f"Backed up {db} to {out / f'quiz.db.backup-{STAMP}'} (1 profile, 2 answers).\n")
    assert files(out) == ["mine.db", f"quiz.db.backup-{STAMP}"]
    assert review_log(out / "mine.db") == review_log(db)


def test_backup_refusals(tmp_path: Path, db: Path, bank: Path) -> None:
    missing = tmp_path / "nowhere" / "quiz.db"
    assert error(quiz(missing, "backup")) == (
        f"Error: {missing} does not exist, so there is nothing to back up; pass --db with your quiz database")
    assert not missing.parent.exists()
    study(db, bank, 1)
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"precious")
    assert error(quiz(db, "backup", str(taken))) == (
        f"Error: {taken} already exists; a backup never overwrites a file, give another path")
    assert taken.read_bytes() == b"precious"
    assert error(quiz(db, "backup", str(tmp_path / "no" / "such" / "x.db"))) == (
        f"Error: the folder {tmp_path / 'no' / 'such'} does not exist; create it first or give another path")
    assert error(quiz(db, "backup", str(db))) == (
        f"Error: {db} already exists; a backup never overwrites a file, give another path")
    assert error(quiz(tmp_path, "backup")) == (
        f"Error: {tmp_path} is a directory, not a quiz database; pass --db with the path of a file")


@pytest.mark.slow
def test_backup_while_a_session_runs_holds_every_answer_shown(db: Path, bank: Path) -> None:
    learner = Learner(spawn_study(db, bank, "--new", "5"))
    for _ in range(3):
        learner.question()
        learner.answer("right")
        learner.rate("")
    learner.question()
    learner.answer("wrong")  # the session waits at the rating prompt, its connection open
    result = quiz(db, "backup")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    copy = db.with_name(f"quiz.db.backup-{STAMP}")
    assert review_log(copy) == learner.seen
    assert_sound(copy)
    learner.rate("")  # and the session goes on
    learner.question()
    learner.answer("right")
    kill(learner.child)
    assert review_log(db) == learner.seen


# --- quiz restore -----------------------------------------------------------------------------------------------


def test_restore_round_trip_keeps_the_current_database(db: Path, bank: Path) -> None:
    study(db, bank, 2)
    assert quiz(db, "backup").exit_code == 0  # type: ignore[attr-defined]
    backup = db.with_name(f"quiz.db.backup-{STAMP}")
    saved = review_log(db)
    study(db, bank, 3)
    later = review_log(db)
    assert len(later) > len(saved)
    result = quiz(db, "restore", str(backup))
    kept = db.with_name(f"quiz.db.before-restore-{STAMP}")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert result.stdout == (  # type: ignore[attr-defined]
        f"Restored {db} from {backup} (1 profile, 2 answers); the previous database is kept as {kept}.\n")
    assert review_log(db) == saved
    assert review_log(kept) == later
    assert_sound(db)
    assert files(db.parent) == ["quiz.db", f"quiz.db.backup-{STAMP}", f"quiz.db.before-restore-{STAMP}"]
    study(db, bank, 1)  # and study goes on from the restored progress
    assert len(review_log(db)) == len(saved) + 1


def test_restore_into_an_empty_place(tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 2)
    assert quiz(db, "backup", str(tmp_path / "b.db")).exit_code == 0  # type: ignore[attr-defined]
    other = tmp_path / "new-home" / "quiz.db"
    result = quiz(other, "restore", str(tmp_path / "b.db"))
    assert result.stdout == (  # type: ignore[attr-defined]
        f"Restored {other} from {tmp_path / 'b.db'} (1 profile, 2 answers).\n")
    assert review_log(other) == review_log(db)
    assert files(other.parent) == ["quiz.db"]


def test_restore_an_old_schema_backup_then_it_is_upgraded(tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 1)
    old = tmp_path / "v1.db"
    shutil.copyfile(FIXTURES / "schema-v1.db", old)
    before = digest(old)
    result = quiz(db, "restore", str(old))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "(3 profiles, 18 answers)" in result.stdout  # type: ignore[attr-defined]
    assert digest(old) == before  # the backup itself is only read
    assert quiz(db, "config", "--profile", "ana").exit_code == 0  # type: ignore[attr-defined]
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")] == list(migrations.NAMES)
    conn.close()
    assert len(review_log(db, "ana")) == 11
    assert any(name.startswith("quiz.db.bak-1-") for name in files(db.parent))  # backed up before upgrading


def test_restore_over_a_damaged_database_moves_it_aside(tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 2)
    quiz(db, "backup", str(tmp_path / "b.db"))
    db.write_bytes(b"this is not a database any more" * 100)
    damaged = db.read_bytes()
    result = quiz(db, "restore", str(tmp_path / "b.db"))
    kept = db.with_name(f"quiz.db.before-restore-{STAMP}")
    assert result.stdout == (  # type: ignore[attr-defined]
        f"Restored {db} from {tmp_path / 'b.db'} (1 profile, 2 answers); the damaged database was moved to "
        f"{kept}.\n")
    assert kept.read_bytes() == damaged
    assert len(review_log(db)) == 2


def make_bad(kind: str, tmp_path: Path, good: Path) -> tuple[Path, str]:
    """A file that must never be restored, and the reason `quiz restore` gives."""
    path = tmp_path / f"bad-{kind}.db"
    if kind == "missing":
        return path, "does not exist; pass the path of a backup (quiz backup writes them beside the database)"
    if kind == "directory":
        path.mkdir()
        return path, "is a directory, not a backup; pass the path of a backup file"
    if kind == "empty":
        path.write_bytes(b"")
        return path, "is empty, not a quiz backup"
    if kind == "text":
        path.write_text("questions:\n  - id: q1\n", encoding="utf-8")
        return path, "is not a quiz backup (the file is not an SQLite database)"
    data = good.read_bytes()
    if kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
        return path, "is damaged (the file is truncated)"
    if kind == "corrupt":
        page = int.from_bytes(data[16:18], "big")
        path.write_bytes(data[: 2 * page] + bytes([0x5A]) * (len(data) - 2 * page))
        return path, "is damaged"
    conn = sqlite3.connect(path)
    if kind == "other-sqlite":
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, flds TEXT)")
        why = "is not a quiz database (it holds other tables)"
    elif kind == "empty-sqlite":
        conn.execute("PRAGMA user_version = 1")
        why = "is an empty database, not a quiz backup"
    else:
        conn.close()
        shutil.copyfile(good, path)
        conn = sqlite3.connect(path)
        conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
                     "VALUES ('quiz', '9999_future', '')")
        why = "was written by a newer version of quiz (schema step '9999_future'); upgrade quiz to restore it"
    conn.commit()
    conn.close()
    return path, why


BAD = ["missing", "directory", "empty", "text", "truncated", "corrupt", "other-sqlite", "empty-sqlite", "newer"]


@pytest.mark.parametrize("kind", BAD)
def test_restore_never_installs_anything_invalid(kind: str, tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 2)
    good = tmp_path / "good.db"
    assert quiz(db, "backup", str(good)).exit_code == 0  # type: ignore[attr-defined]
    bad, why = make_bad(kind, tmp_path, good)
    assert quiz(db, "config").exit_code == 0  # type: ignore[attr-defined]  (checkpoints: one file to compare)
    before, listing = digest(db), files(db.parent)
    line = error(quiz(db, "restore", str(bad)))
    assert line.startswith(f"Error: {bad} {why}")
    assert line.endswith("; nothing was changed")
    assert digest(db) == before
    assert files(db.parent) == listing  # no temporary or kept file left behind


def test_restore_refuses_the_database_itself(db: Path, bank: Path) -> None:
    study(db, bank, 1)
    before = digest(db)
    assert error(quiz(db, "restore", str(db))) == (
        f"Error: {db} is the database itself; pass the path of a backup; nothing was changed")
    assert digest(db) == before


@pytest.mark.slow
def test_restore_refuses_while_a_session_uses_the_database(tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 1)
    quiz(db, "backup", str(tmp_path / "b.db"))
    learner = Learner(spawn_study(db, bank, "--new", "3"), seen=review_log(db))
    learner.question()
    learner.answer("right")
    assert error(quiz(db, "restore", str(tmp_path / "b.db"))) == (
        f"Error: {db} is in use by another quiz process (quiz study?); quit it, then run quiz restore again; "
        "nothing was changed")
    learner.rate("")  # the session is not disturbed
    learner.question()
    learner.answer("right")
    learner.child.sendline("q")
    learner.child.expect(pexpect.EOF)
    learner.child.close()
    assert review_log(db) == learner.seen
    assert not any(".restore-" in name for name in files(db.parent))


RESTORE_KILLS: list[object] = [
    "sqlite-backup:1", "sqlite-backup:2", "before-rename", "after-rename", "sqlite-backup:3",
    0.0, 0.005, 0.02, 0.05]


@pytest.mark.slow
def test_sigkill_during_a_restore_leaves_one_whole_database(tmp_path: Path, db: Path, bank: Path) -> None:
    """Killed while the backup is copied and checked, while the current database is kept, in the middle of
    writing the restored contents, or a moment after the checked copy appears: the database is the old one or
    the restored one, whole, and the next study works."""
    study(db, bank, 1)
    backup = tmp_path / "b.db"
    quiz(db, "backup", str(backup))
    restored = review_log(backup)
    study(db, bank, 3)
    outcomes = []
    for when in RESTORE_KILLS:
        current = review_log(db)
        if isinstance(when, str):
            child = spawn_crasher(db, tmp_path, when, "restore", str(backup))
            child.expect(pexpect.EOF)
            child.close()
            assert child.signalstatus == signal.SIGKILL
        else:
            old = set(db.parent.iterdir())
            child = spawn(db, "restore", str(backup))
            wait_for(lambda old=old: any(".restore-" in p.name for p in set(db.parent.iterdir()) - old))
            kill(child, when)  # type: ignore[arg-type]
        assert integrity(db) == "ok"
        log = review_log(db)
        assert log in (current, restored)
        if isinstance(when, str) and when != "sqlite-backup:3":
            assert log == current  # before the install nothing of the database changed
        outcomes.append(f"{when}: {'restored' if log == restored else 'old'}")
        assert_sound(db)
        study(db, bank, 1)  # the next study works, on whichever it is
    assert quiz(db, "restore", str(backup)).exit_code == 0  # type: ignore[attr-defined]
    assert review_log(db) == restored
    assert not any(".restore-" in name for name in files(db.parent))  # what the killed ones left is cleared
    print(f"restore killed: {outcomes}")
