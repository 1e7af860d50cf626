"""Bad files and environments. The database is a directory, not SQLite, truncated, corrupt, someone else's, from
a newer quiz, read-only, or on a full disk; a bank file is not UTF-8, has a BOM, is empty, is huge, carries YAML
tags that would construct objects, or nests without end. Each gives one clear error line that says what to do, a
non-zero exit, no traceback, and the file untouched (same bytes), never code execution."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_quiz
from reliability_kit import HEADER, child_env, quiz_args, review_log, typed_bank, write_bank

from quiz.store import Store

NOW = "2026-03-02T09:00:00Z"


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "bank", typed_bank(4))


def quiz(db: Path, *args: str, stdin: str = "") -> object:
    return run_quiz(*args, stdin=stdin, now=NOW, env={"QUIZ_DB": str(db), "QUIZ_FUZZ": "0", "QUIZ_CACHE_DIR": ""})


def study(db: Path, bank: Path, stdin: str = "right\n\nq\n") -> object:
    return quiz(db, "study", "--no-builtin", "--bank", str(bank), "--lang", "en", stdin=stdin)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error(result: object, code: int = 1) -> str:
    """The command failed with `code` and said why in exactly one line on stderr, without a traceback."""
    assert result.exit_code == code, result.output  # type: ignore[attr-defined]
    assert isinstance(result.exception, SystemExit)  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: ")
    return lines[0]


def filled(db: Path, bank: Path) -> None:
    """A real database with some progress, closed (one file: the WAL is checkpointed away)."""
    result = study(db, bank, "right\n\nwrong\n\nq\n")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert not Path(f"{db}-wal").exists()


# --- the database -----------------------------------------------------------------------------------------------

REMEDY_DAMAGED = "restore a backup (quiz restore) or move it away"


def make_bad_db(kind: str, db: Path, bank: Path) -> str:
    """Spoil the database at `db` in one way; the error line quiz must give."""
    if kind == "directory":
        db.mkdir(parents=True)
        return f"Error: {db} is a directory, not a quiz database; pass --db with the path of a file"
    db.parent.mkdir(parents=True, exist_ok=True)
    if kind == "text":
        db.write_text("profile: ana\nreviews: lots\n", encoding="utf-8")
        return f"Error: {db} is not a quiz database (file is not SQLite); move it away or pass --db with another path"
    if kind == "other-sqlite":
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, flds TEXT)")
        conn.commit()
        conn.close()
        return (f"Error: {db} is not a quiz database (it holds other tables); move it away or pass --db with "
                "another path")
    filled(db, bank)
    data = db.read_bytes()
    if kind == "truncated":
        db.write_bytes(data[: len(data) // 2])
        return f"Error: {db} is damaged (the file is truncated); {REMEDY_DAMAGED}"
    if kind == "header-only":
        db.write_bytes(data[:60])
        return f"Error: {db} is damaged (the file is truncated); {REMEDY_DAMAGED}"
    if kind == "corrupt":
        page = int.from_bytes(data[16:18], "big")
        db.write_bytes(data[:page] + bytes([0x5A]) * (len(data) - page))
        return f"Error: {db} is damaged (database disk image is malformed); {REMEDY_DAMAGED}"
    if kind == "newer":
        conn = sqlite3.connect(db)
        conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
                     "VALUES ('quiz', '9999_future', '')")
        conn.commit()
        conn.close()
        return f"Error: {db} was written by a newer version of quiz (schema step '9999_future'); upgrade quiz to use it"
    raise AssertionError(kind)


BAD_DBS = ["directory", "text", "other-sqlite", "truncated", "header-only", "corrupt", "newer"]


@pytest.mark.parametrize("command", ["study", "due", "stats", "export-anki", "backup"])
@pytest.mark.parametrize("kind", BAD_DBS)
def test_a_bad_database_gives_one_line_and_stays_as_it_was(kind: str, command: str, tmp_path: Path,
                                                           bank: Path) -> None:
    db = tmp_path / "data" / "quiz.db"
    expected = make_bad_db(kind, db, bank)
    before = None if db.is_dir() else digest(db)
    common = ("--no-builtin", "--bank", str(bank))
    args = {"study": ("study", "--lang", "en", *common), "due": ("due", *common), "stats": ("stats", *common),
            "export-anki": ("export", "anki", str(tmp_path / "d.apkg"), *common), "backup": ("backup",)}[command]
    if command == "stats" and "stats" not in quiz(db, "--help").output:  # type: ignore[attr-defined]
        pytest.skip("no quiz stats in this version")
    result = quiz(db, *args, stdin="right\n\nq\n")
    line = one_error(result)
    if command == "backup" and kind == "directory":
        assert line == f"Error: {db} is a directory, not a quiz database; pass --db with the path of a file"
    elif command == "backup" and kind == "corrupt":
        assert line.startswith(f"Error: {db} is damaged")  # the copy it made is checked, and refused
    else:
        assert line == expected
    if before is not None:
        assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == \
        (["quiz.db"] if kind != "directory" else [p.name for p in db.parent.iterdir()])
    assert not (tmp_path / "d.apkg").exists()


def deny_writes(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make `folder` look read-only: real permissions where they bind, os.access where we are root."""
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        for path in [folder, *folder.iterdir()]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return
    real = os.access

    def access(path: object, mode: int, *args: object, **kw: object) -> bool:
        if mode & os.W_OK and str(path).startswith(str(folder)):
            return False
        return real(path, mode, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)


def test_a_read_only_database_stops_study_before_the_first_question(tmp_path: Path, bank: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "data" / "quiz.db"
    filled(db, bank)
    before, log = digest(db), review_log(db)
    deny_writes(monkeypatch, db.parent)
    try:
        result = study(db, bank)
        assert one_error(result) == (
            f"Error: {db} is read-only; check the permissions of the file and its folder, or pass --db with another "
            "path")
        assert "Prompt for" not in result.stdout  # type: ignore[attr-defined]
        due = quiz(db, "due", "--no-builtin", "--bank", str(bank))  # reading still works
        assert due.exit_code == 0, due.output  # type: ignore[attr-defined]
    finally:
        for path in [db.parent, *db.parent.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert digest(db) == before
    assert review_log(db) == log


def test_a_full_disk_saves_nothing_of_the_answer_and_says_so(tmp_path: Path, bank: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's max_page_count as the disk size: the database cannot grow by a single page."""
    db = tmp_path / "data" / "quiz.db"
    filled(db, bank)
    before, log = digest(db), review_log(db)
    real = Store._prepare

    def full(self: Store, now: object) -> None:
        real(self, now)  # type: ignore[arg-type]
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(Store, "_prepare", full)
    result = study(db, bank, "right " * 20_000 + "\n\nq\n")  # an answer that needs new pages
    assert one_error(result) == (
        f"Error: disk full while writing {db}; free some space, nothing was saved of this answer")
    assert "Right!" not in result.stdout and "Not quite" not in result.stdout  # type: ignore[attr-defined]
    monkeypatch.setattr(Store, "_prepare", real)
    assert digest(db) == before
    assert review_log(db) == log
    assert study(db, bank).exit_code == 0  # type: ignore[attr-defined]  (room again: it works)


def tmpfs_available() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || "
                            "mount -t tmpfs -o size=64k tmpfs /tmp"], capture_output=True, check=False)
    return probe.returncode == 0


FULL_DISK = """\
set -u
mount -t tmpfs -o size=1m tmpfs "$MNT"
cp "$SEED" "$MNT/quiz.db"
dd if=/dev/zero of="$MNT/filler" bs=1k count=$(( $(df -k "$MNT" | tail -1 | awk '{print $4}') - $SLACK )) 2>/dev/null
printf 'right\\n\\nright\\n\\nq\\n' | QUIZ_DB="$MNT/quiz.db" "$PYTHON" -m quiz study --no-builtin --bank "$BANK" \\
    --lang en > "$OUT/stdout" 2> "$OUT/stderr"
echo $? > "$OUT/rc"
cp "$MNT/quiz.db" "$OUT/after.db"
if [ -s "$MNT/quiz.db-wal" ]; then cp "$MNT/quiz.db-wal" "$OUT/after.db-wal"; fi
"""


@pytest.mark.skipif(not tmpfs_available(), reason="needs unshare and a private tmpfs mount")
@pytest.mark.parametrize("slack_kib", [0, 8, 40, 64])
def test_a_really_full_disk(slack_kib: int, tmp_path: Path, bank: Path) -> None:
    """A 1 MiB tmpfs (in a private mount namespace) filled up to `slack_kib`: `quiz study` says the disk is full in
    one line, or saves what it shows, and the database stays whole."""
    seed = tmp_path / "seed.db"
    filled(seed, bank)
    mnt, out = tmp_path / "mnt", tmp_path / "out"
    mnt.mkdir()
    out.mkdir()
    env = child_env(seed, MNT=str(mnt), SEED=str(seed), SLACK=str(slack_kib), PYTHON=sys.executable,
                    BANK=str(bank), OUT=str(out))
    subprocess.run(["unshare", "-rm", "sh", "-c", FULL_DISK], env=env, check=True, timeout=60)
    rc = int((out / "rc").read_text())
    stderr = (out / "stderr").read_text()
    stdout = (out / "stdout").read_text()
    assert "Traceback" not in stderr + stdout
    shown = stdout.count("Right!")
    if rc != 0:
        assert rc == 1
        assert stderr.splitlines() == [f"Error: disk full while writing {mnt / 'quiz.db'}; free some space, "
                                       f"nothing was saved of {stderr.split('nothing was saved of ')[1].strip()}"]
    after = out / "after.db"
    untouched = digest(after) == digest(seed) and not Path(f"{after}-wal").exists()
    assert review_log(after)[len(review_log(seed)):] == [(qid, 3) for qid, _ in review_log(after)[
        len(review_log(seed)):]]
    assert len(review_log(after)) - len(review_log(seed)) >= shown  # every answer shown is saved
    if shown == 0:
        assert untouched
    print(f"full disk with {slack_kib} KiB free: exit {rc}, {shown} answers shown, {stderr.strip()[:80]}")


# --- bank files -------------------------------------------------------------------------------------------------

PWNED = "PWNED"


TAG = "is not allowed; bank files hold plain data"


def bank_file(kind: str, folder: Path) -> tuple[bytes, str]:
    """A spoiled bank file, and the `line: message` quiz must give for it."""
    good = typed_bank(1).replace(HEADER, "").encode()
    marker = folder / PWNED
    if kind == "latin-1":
        return (good.replace(b"Prompt for", "Café for".encode("latin-1")),
                "5: not UTF-8 text (byte 0xe9); save the file as UTF-8")
    if kind == "utf-16":
        return "questions: []\n".encode("utf-16"), "1: not UTF-8 text (byte 0xff); save the file as UTF-8"
    if kind == "binary":
        return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "1: not UTF-8 text (byte 0x89); save the file as UTF-8"
    if kind == "nul":
        return good.replace(b"Because.", b"Bec\x00ause."), "7: file contains a NUL character; it is not a text file"
    if kind == "python-apply":
        return (f'questions:\n  - !!python/object/apply:os.system ["touch {marker}"]\n'.encode(),
                f"2: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' {TAG}")
    if kind == "python-new":
        return (f"questions:\n  - id: !!python/object/new:subprocess.Popen [[touch, {marker}]]\n".encode(),
                f"2: YAML tag 'tag:yaml.org,2002:python/object/new:subprocess.Popen' {TAG}")
    if kind == "python-name":
        return (b"questions:\n  - id: !!python/name:os.system\n",
                f"2: YAML tag 'tag:yaml.org,2002:python/name:os.system' {TAG}")
    if kind == "custom-tag":
        return b"questions:\n  - id: !Ref q1\n", f"2: YAML tag '!Ref' {TAG}"
    deep = "nesting is deeper than 32 levels; bank files are shallow lists of mappings"
    if kind == "deep-flow":
        return b"questions: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", f"1: {deep}"
    if kind == "deep-block":
        lines = "".join(" " * (2 * i) + "- \n" for i in range(2000))
        return ("questions:\n" + lines).encode(), f"130: {deep}"  # the first line indented 256 spaces
    if kind == "laughs":
        text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
        return text.encode(), "1: YAML anchors and aliases (&name / *name) are not supported; write the value out"
    if kind == "huge":
        return b"", "1: file is 33 MiB, larger than the 32 MiB a bank file may be; split it into several files"
    if kind == "syntax":
        return (b"questions:\n  - id: q1\n    prompt: {en: \"unclosed\n",
                "4: YAML syntax error: found unexpected end of stream; check indentation, colons and quotes near here")
    raise AssertionError(kind)


BAD_BANKS = ["latin-1", "utf-16", "binary", "nul", "python-apply", "python-new", "python-name", "custom-tag",
             "deep-flow", "deep-block", "laughs", "huge", "syntax"]


@pytest.mark.parametrize("kind", BAD_BANKS)
def test_a_bad_bank_file_names_its_line_in_validate_and_study(kind: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = write_bank(tmp_path / "bank", HEADER, name="_header.yaml")
    raw, message = bank_file(kind, tmp_path)
    path = folder / "bad.yaml"
    if kind == "huge":
        with path.open("wb") as handle:
            handle.truncate(33 * 1024 * 1024)  # sparse: the size alone refuses it, unread
    else:
        path.write_bytes(raw)
    before = digest(path)
    db = tmp_path / "data" / "quiz.db"
    line, text = message.split(": ", 1)
    validate = quiz(db, "validate", "--no-builtin", "--bank", "bank")
    assert validate.exit_code == 1, validate.output  # type: ignore[attr-defined]
    assert "Traceback" not in validate.output  # type: ignore[attr-defined]
    assert f"bank/bad.yaml:{line}: error: {text}\n" in validate.output  # type: ignore[attr-defined]
    assert one_error(study(db, Path("bank"))) == f"Error: bank/bad.yaml:{message}"
    assert not db.exists()  # nothing was created for a bank that cannot be studied
    assert digest(path) == before
    assert not (tmp_path / PWNED).exists()


@pytest.mark.parametrize("kind", ["python-apply", "deep-flow", "deep-block"])
def test_a_bad_bank_file_in_a_real_process(kind: str, tmp_path: Path) -> None:
    """The same through a real `quiz` process: exit 1, one line (no segfault from deep nesting, no code run)."""
    folder = write_bank(tmp_path / "bank", HEADER, name="_header.yaml")
    raw, _ = bank_file(kind, tmp_path)
    (folder / "bad.yaml").write_bytes(raw)
    db = tmp_path / "data" / "quiz.db"
    for args in (("validate", "--no-builtin", "--bank", "bank"),
                 ("study", "--no-builtin", "--bank", "bank", "--lang", "en")):
        done = subprocess.run([sys.executable, *quiz_args(*args)], env=child_env(db), input="right\n",
                              capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr + done.stdout
        if args[0] == "study":
            assert len(done.stderr.splitlines()) == 1
            assert done.stderr.startswith("Error: bank/bad.yaml:")
    assert not (tmp_path / PWNED).exists()


def test_a_bank_file_with_a_bom_is_a_warning_and_studies(tmp_path: Path) -> None:
    folder = write_bank(tmp_path / "bank", HEADER, name="_header.yaml")
    (folder / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + typed_bank(2).replace(HEADER, "").encode())
    db = tmp_path / "data" / "quiz.db"
    validate = quiz(db, "validate", "--no-builtin", "--bank", str(folder))
    assert validate.exit_code == 0, validate.output  # type: ignore[attr-defined]
    assert "warning: file starts with a UTF-8 byte-order mark" in validate.output  # type: ignore[attr-defined]
    result = study(db, folder)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert review_log(db) == [("q00", 3)]


def test_an_empty_bank_file_is_a_warning(tmp_path: Path) -> None:
    folder = write_bank(tmp_path / "bank", typed_bank(1))
    (folder / "empty.yaml").write_bytes(b"")
    db = tmp_path / "data" / "quiz.db"
    validate = quiz(db, "validate", "--no-builtin", "--bank", str(folder))
    assert validate.exit_code == 0, validate.output  # type: ignore[attr-defined]
    assert "empty.yaml:1: warning: file is empty" in validate.output  # type: ignore[attr-defined]
    assert study(db, folder).exit_code == 0  # type: ignore[attr-defined]


def test_a_large_valid_bank_file_loads(tmp_path: Path) -> None:
    """Two thousand questions in one file (about half a megabyte) load and can be studied."""
    folder = write_bank(tmp_path / "bank", typed_bank(2000))
    db = tmp_path / "data" / "quiz.db"
    validate = quiz(db, "validate", "--no-builtin", "--bank", str(folder))
    assert validate.exit_code == 0, validate.output  # type: ignore[attr-defined]
    assert study(db, folder).exit_code == 0  # type: ignore[attr-defined]
    assert review_log(db) == [("q00", 3)]
