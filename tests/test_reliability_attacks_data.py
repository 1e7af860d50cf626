"""Issue 17, data loss: the attacks that lost or endangered progress, replayed the way they were found.

- `quiz export json` after `quiz reset --all --yes` (and suspends, and questions removed from the bank) must carry
  the whole review log: its review count equals the database's.
- `quiz restore` of a crafted backup (a trigger that wipes the log, a trigger that forges a "newer" schema step, a
  view, a missing column, an altered trigger of quiz's own) is refused in one line, nothing changed.
- Exports never replace a device node, a FIFO or a socket, follow a symlink to write its target, and replace a
  file quiz did not write only with `--force`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import sqlite3
from pathlib import Path

import pexpect
import pytest
from reliability_kit import NOW, ok, one_error, review_log, spawn_crasher, typed_bank, write_bank
from reliability_kit import quiz_in as quiz


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "bank", typed_bank(8))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "quiz.db"


def study(db: Path, bank: Path, answers: int, now: str = NOW) -> None:
    ok(quiz(db, "study", "--no-builtin", "--bank", str(bank), "--lang", "en", "--new", str(answers),
            stdin="right\n\n" * answers + "q\n", now=now))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- export json carries the whole log ----------------------------------------------------------------------------


def test_json_export_carries_every_review_after_resets_suspends_and_removed_questions(
        tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 6)
    study(db, bank, 6, now="2026-03-05T09:00:00Z")
    teacher = ("--no-builtin", "--bank", str(bank))
    ok(quiz(db, "suspend", "q01", *teacher))
    ok(quiz(db, "reset", "--all", "--yes", *teacher))
    in_db = len(review_log(db))
    assert in_db >= 12
    # q05 leaves the bank: its reviews stay in the database, and so in the export
    text = (bank / "bank.yaml").read_text(encoding="utf-8")
    (bank / "bank.yaml").write_text(text.replace("  - id: q05\n", "  - id: q05-renamed\n"), encoding="utf-8")
    out = tmp_path / "progress.json"
    ok(quiz(db, "export", "json", str(out), *teacher))
    data = json.loads(out.read_text(encoding="utf-8"))
    reviews = data["progress"]["reviews"]
    assert len(reviews) == in_db
    assert [r["id"] for r in reviews] == sorted(r["id"] for r in reviews)
    assert {r["question_id"] for r in reviews} >= {"q01", "q05"}


# --- restore refuses what quiz did not make -----------------------------------------------------------------------


CRAFTED = {
    "wipe-trigger": ("CREATE TRIGGER wipe AFTER INSERT ON reviews BEGIN DELETE FROM reviews WHERE id <> NEW.id; END",
                     "holds a trigger 'wipe' that quiz does not make"),
    "newer-trigger": ("CREATE TRIGGER brick AFTER INSERT ON reviews BEGIN INSERT INTO _sqlite_migrations"
                      "(migration_set, name, applied_at) VALUES ('quiz', '9999_future', ''); END",
                      "holds a trigger 'brick' that quiz does not make"),
    "view": ("CREATE VIEW everything AS SELECT * FROM reviews", "holds a view 'everything' that quiz does not make"),
    "missing-column": ("ALTER TABLE reviews DROP COLUMN answer", "lacks the column 'answer' of the table 'reviews'"),
    "extra-index": ("CREATE INDEX mine ON cards(reps)", "holds a index 'mine' that quiz does not make"),
}


@pytest.mark.parametrize("kind", sorted(CRAFTED))
def test_restore_refuses_a_crafted_schema(kind: str, tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 3)
    crafted = tmp_path / f"{kind}.db"
    ok(quiz(db, "backup", str(crafted)))
    conn = sqlite3.connect(crafted)
    conn.execute(CRAFTED[kind][0])
    conn.commit()
    conn.close()
    ok(quiz(db, "config"))  # checkpoint: one file to compare
    before, listing = digest(db), sorted(os.listdir(db.parent))
    line = one_error(quiz(db, "restore", str(crafted)))
    assert line == (f"Error: {crafted} cannot be restored: it {CRAFTED[kind][1]} (a crafted or altered file); "
                    "nothing was changed")
    assert digest(db) == before and sorted(os.listdir(db.parent)) == listing


def test_restore_refuses_quiz_own_trigger_rewritten(tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 2)
    crafted = tmp_path / "altered.db"
    ok(quiz(db, "backup", str(crafted)))
    conn = sqlite3.connect(crafted)
    (name,) = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchone()
    conn.execute(f"DROP TRIGGER {name}")
    conn.execute(f"CREATE TRIGGER {name} AFTER INSERT ON reviews BEGIN DELETE FROM reviews; END")
    conn.commit()
    conn.close()
    line = one_error(quiz(db, "restore", str(crafted)))
    assert f"has a trigger '{name}' that is not the one quiz makes" in line


def test_restore_of_an_untouched_backup_and_of_the_v1_fixture_still_works(tmp_path: Path, db: Path,
                                                                           bank: Path) -> None:
    study(db, bank, 3)
    good = tmp_path / "good.db"
    ok(quiz(db, "backup", str(good)))
    ok(quiz(db, "restore", str(good)))
    old = tmp_path / "v1.db"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "schema-v1.db", old)
    ok(quiz(db, "restore", str(old)))
    study(db, bank, 1)  # then it is upgraded and used


# --- exports and what is at the target ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "json", "anki"])
def test_exports_refuse_fifos_sockets_and_devices(kind: str, tmp_path: Path, db: Path, bank: Path) -> None:
    fifo = tmp_path / f"pipe.{kind}"
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for target in (fifo, sock_path, Path("/dev/null")):
            line = one_error(quiz(db, "export", kind, str(target), "--force", "--no-builtin", "--bank", str(bank)))
            assert line == (f"Error: {target}: is not a regular file (a device, FIFO or socket); an export never "
                            "replaces one (give the path of a file to write)")
    finally:
        server.close()
    assert Path("/dev/null").is_char_device()
    assert fifo.is_fifo()


@pytest.mark.parametrize("kind", ["csv", "json", "anki"])
def test_exports_follow_a_symlink_and_write_its_target(kind: str, tmp_path: Path, db: Path, bank: Path) -> None:
    real = tmp_path / "real" / f"deck.{kind}"
    real.parent.mkdir()
    link = tmp_path / f"link.{kind}"
    link.symlink_to(real)
    teacher = ("--no-builtin", "--bank", str(bank))
    ok(quiz(db, "export", kind, str(link), *teacher))
    first = digest(real)
    assert link.is_symlink() and real.is_file()
    study(db, bank, 1)
    ok(quiz(db, "export", kind, str(link), *teacher, now="2026-03-03T09:00:00Z"))  # ours: replaced, link kept
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.is_file() and (kind == "csv" or digest(real) != first)


@pytest.mark.parametrize("kind", ["csv", "json", "anki"])
def test_exports_replace_a_foreign_file_only_with_force(kind: str, tmp_path: Path, db: Path, bank: Path) -> None:
    thesis = tmp_path / f"thesis.{kind}"
    thesis.write_text("four years of work\n", encoding="utf-8")
    teacher = ("--no-builtin", "--bank", str(bank))
    line = one_error(quiz(db, "export", kind, str(thesis), *teacher))
    assert line == (f"Error: {thesis}: already exists and was not written by quiz "
                    "(pass --force to replace it, or give another path)")
    assert thesis.read_text(encoding="utf-8") == "four years of work\n"
    ok(quiz(db, "export", kind, str(thesis), *teacher, "--force"))
    ok(quiz(db, "export", kind, str(thesis), *teacher))  # now it is ours: no --force needed
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_killed_exports_stale_temporary_is_cleaned_on_the_next_run(tmp_path: Path, db: Path, bank: Path) -> None:
    out = tmp_path / "deck.csv"
    stale = tmp_path / ".deck.csv.999999999.abcd1234.tmp"  # a pid that cannot exist
    old = tmp_path / ".deck.csv.k2j3h4.tmp"  # written before temporaries carried the pid
    fresh = tmp_path / ".deck.csv.zz9.tmp"
    other = tmp_path / ".notes.txt.abc.tmp"  # not ours to touch
    for path in (stale, old, fresh, other):
        path.write_bytes(b"PK partial")
    for path in (old, other):
        os.utime(path, (1, 1))
    ok(quiz(db, "export", "csv", str(out), "--no-builtin", "--bank", str(bank)))
    assert not stale.exists() and not old.exists()
    assert fresh.exists() and other.exists()


def test_a_sigkilled_export_leaves_a_temporary_that_the_next_export_removes(tmp_path: Path, db: Path,
                                                                            bank: Path) -> None:
    out = tmp_path / "deck.apkg"
    # the package's own rename: a teacher bank's first export renames its revision record into place before it
    child = spawn_crasher(db, tmp_path, "before-rename:deck.apkg", "export", "anki", str(out), "--no-builtin",
                          "--bank", str(bank))
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == 9
    left = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and left[0].startswith(f".deck.apkg.{child.pid}."), left
    ok(quiz(db, "export", "anki", str(out), "--no-builtin", "--bank", str(bank)))
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
