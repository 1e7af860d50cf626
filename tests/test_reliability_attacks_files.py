"""Issue 17, hangs and wrong verdicts around the database file, replayed the way they were found.

- A FIFO as the database or as the restore source blocked every command forever: refused before opening.
- A healthy backup with another page size (1024, 65536) could not be restored and left a `before-restore` copy each
  try; `before-restore` copies are bounded; a full disk during a restore said "damaged".
- A database with a damaged interior page kept being used and written to, and `quiz backup` of it left the damaged
  copy with a six-line dump: now one line naming the latest good backup, no copy, no write.
- Killed backups' `.partial` files are removed on the next run (only ours, only when their process is gone).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from reliability_kit import NOW, child_env, ok, one_error, review_log, spawn_crasher, typed_bank, write_bank
from reliability_kit import quiz_in as quiz
from test_reliability_badfiles import tmpfs_available

from quiz.backup import KEEP_BEFORE_RESTORE


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "bank", typed_bank(8))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "quiz.db"


def study(db: Path, bank: Path, answers: int, now: str = NOW, answer: str = "right") -> None:
    ok(quiz(db, "study", "--no-builtin", "--bank", str(bank), "--lang", "en", "--new", str(answers),
            stdin=f"{answer}\n\n" * answers + "q\n", now=now))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`quiz` in a real process, so that a hang is a timeout, not a stuck test run."""
    return subprocess.run([sys.executable, "-m", "quiz", *args], env=child_env(db), capture_output=True, text=True,
                          timeout=30, check=False)


# --- FIFOs ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["due"], ["stats"], ["study", "--no-builtin", "--bank"], ["backup"],
                                     ["export", "json", "out.json", "--no-builtin", "--bank"]])
def test_a_fifo_as_the_database_is_refused_at_once(command: list[str], tmp_path: Path, bank: Path) -> None:
    fifo = tmp_path / "quiz.db"
    os.mkfifo(fifo)
    args = [*command, str(bank)] if command[-1] == "--bank" else command
    result = run(fifo, *[str(tmp_path / a) if a == "out.json" else a for a in args])
    assert result.returncode == 1, result
    assert result.stderr == f"Error: {fifo} is a FIFO (named pipe), not a quiz database; pass --db with the path " \
                            "of a file\n"


def test_a_fifo_as_the_restore_source_is_refused_at_once(tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 1)
    fifo = tmp_path / "backup.db"
    os.mkfifo(fifo)
    result = run(db, "restore", str(fifo))
    assert result.returncode == 1
    assert result.stderr == (f"Error: {fifo} is a FIFO (named pipe), not a backup; pass the path of a backup file; "
                             "nothing was changed\n")


# --- page sizes, kept copies, full disk -------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [1024, 65536])
def test_restore_of_a_backup_with_another_page_size(page_size: int, tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 3)
    backup = tmp_path / f"b{page_size}.db"
    ok(quiz(db, "backup", str(backup)))
    conn = sqlite3.connect(backup, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(f"PRAGMA page_size = {page_size}")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA page_size").fetchone()[0] == page_size
    conn.close()
    study(db, bank, 2, now="2026-03-04T09:00:00Z")
    ok(quiz(db, "restore", str(backup)))
    assert len(review_log(db)) == 3
    study(db, bank, 1, now="2026-03-05T09:00:00Z")  # and it is used afterwards
    assert len(review_log(db)) == 4


def test_before_restore_copies_do_not_pile_up(tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 2)
    backup = tmp_path / "b.db"
    ok(quiz(db, "backup", str(backup)))
    for _ in range(KEEP_BEFORE_RESTORE + 4):
        ok(quiz(db, "restore", str(backup)))
    kept = sorted(p.name for p in db.parent.iterdir() if ".before-restore-" in p.name)
    assert len(kept) == KEEP_BEFORE_RESTORE, kept
    mine = db.parent / "quiz.db.before-restore-notes.txt"  # not a name quiz gives: never touched
    mine.write_text("mine", encoding="utf-8")
    ok(quiz(db, "restore", str(backup)))
    assert mine.read_text(encoding="utf-8") == "mine"


FULL_RESTORE = """\
set -u
mount -t tmpfs -o size=1m tmpfs "$MNT"
cp "$SEED" "$MNT/quiz.db"
dd if=/dev/zero of="$MNT/filler" bs=1k count=$(( $(df -k "$MNT" | tail -1 | awk '{print $4}') - 48 )) 2>/dev/null
QUIZ_DB="$MNT/quiz.db" "$PYTHON" -m quiz restore "$SOURCE" > "$OUT/stdout" 2> "$OUT/stderr"
echo $? > "$OUT/rc"
ls -a "$MNT" > "$OUT/listing"
"""


@pytest.mark.skipif(not tmpfs_available(), reason="needs unshare and a private tmpfs mount")
def test_restore_onto_a_full_disk_says_the_disk_is_full(tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 1)
    seed = tmp_path / "seed.db"
    ok(quiz(db, "backup", str(seed)))
    study(db, bank, 2, now="2026-03-03T09:00:00Z", answer="x" * 200_000)  # a 400 KiB log: more than is free
    source = tmp_path / "big.db"
    ok(quiz(db, "backup", str(source)))
    mnt, out = tmp_path / "mnt", tmp_path / "out"
    mnt.mkdir()
    out.mkdir()
    env = child_env(seed, MNT=str(mnt), SEED=str(seed), PYTHON=sys.executable, SOURCE=str(source), OUT=str(out))
    subprocess.run(["unshare", "-rm", "sh", "-c", FULL_RESTORE], env=env, check=True, timeout=60)
    assert (out / "rc").read_text().strip() == "1"
    assert (out / "stderr").read_text() == (
        f"Error: disk full while copying {source} to {mnt}; free some space and run quiz restore again; "
        "nothing was changed\n")
    assert sorted((out / "listing").read_text().split()) == [".", "..", "filler", "quiz.db"]


# --- a damaged interior page --------------------------------------------------------------------------------------


def damage_an_interior_page(db: Path) -> None:
    """Grow the review log past one page of pointers, then break the child pointers of its root (interior) page."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    columns = [row[1] for row in conn.execute("PRAGMA table_info(reviews)") if row[1] != "id"]
    names = ", ".join(columns)
    for _ in range(9):  # 3 reviews -> 1,536 rows, over many leaf pages
        conn.execute(f"INSERT INTO reviews({names}) SELECT {names} FROM reviews")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'reviews'").fetchone()
    conn.close()
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    assert data[start] == 0x05, "the reviews table's root is an interior page"
    data[start + 8:start + 12] = (10 ** 8).to_bytes(4, "big")  # the right-most child: a page that does not exist
    cells = int.from_bytes(data[start + 3:start + 5], "big")
    for i in range(cells):  # and every other child pointer
        at = start + int.from_bytes(data[start + 12 + 2 * i:start + 14 + 2 * i], "big")
        data[at:at + 4] = (10 ** 8 + i).to_bytes(4, "big")
    db.write_bytes(bytes(data))


def test_a_damaged_interior_page_stops_study_and_backup_in_one_line(tmp_path: Path, db: Path, bank: Path) -> None:
    study(db, bank, 3)
    ok(quiz(db, "backup"))  # beside the database: quiz.db.backup-<time>
    good = db.with_name("quiz.db.backup-20260302T090000Z")
    assert good.exists()
    damage_an_interior_page(db)
    before = digest(db)
    listing = sorted(p.name for p in db.parent.iterdir())
    remedy = f"restore the latest good backup: quiz restore {good}"
    line = one_error(quiz(db, "study", "--no-builtin", "--bank", str(bank), "--lang", "en", stdin="right\n\nq\n",
                          now="2026-03-09T09:00:00Z"))
    assert line.startswith(f"Error: {db} is damaged (quick check: ") and line.endswith(remedy), line
    assert "; nothing more is written to it; " in line
    line = one_error(quiz(db, "backup", str(tmp_path / "copy.db")))
    assert line.startswith(f"Error: {db} is damaged (") and line.endswith(remedy), line
    assert not (tmp_path / "copy.db").exists()
    assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == listing
    ok(quiz(db, "restore", str(good)))  # the way out the message names works
    assert len(review_log(db)) == 3


def test_a_killed_backups_partial_file_is_removed_on_the_next_run(db: Path, bank: Path) -> None:
    study(db, bank, 1)
    dead = db.with_name("quiz.db.bak-2-20260302T090000Z.999999999.partial")
    alive = db.with_name(f"quiz.db.backup-20260302T090000Z.{os.getpid()}.partial")
    old_kept = db.with_name("quiz.db.before-restore-20260302T090000Z.partial")
    other = db.with_name("notes.db.1.partial")
    for path in (dead, alive, old_kept, other):
        path.write_bytes(b"SQLite format 3\x00")
    os.utime(old_kept, (1, 1))
    ok(quiz(db, "stats"))
    assert not dead.exists() and not old_kept.exists()
    assert alive.exists() and other.exists()


def test_a_sigkilled_backup_leaves_a_partial_copy_that_the_next_run_removes(tmp_path: Path, db: Path,
                                                                            bank: Path) -> None:
    study(db, bank, 3)
    child = spawn_crasher(db, tmp_path, "mid-copy", "backup")
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == 9
    partial = [p.name for p in db.parent.iterdir() if p.name.endswith(".partial")]
    assert len(partial) == 1 and partial[0].startswith("quiz.db.backup-20260302T090000Z."), partial
    ok(quiz(db, "due"))
    assert [p.name for p in db.parent.iterdir() if p.name.endswith(".partial")] == []
    assert len(review_log(db)) == 3
