"""What can go wrong with a database file, in one line for people: cheap checks of a file before SQLite reads it,
and every sqlite3 error turned into a `StoreError` saying what happened and what to do."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Literal

from quiz.errors import DatabaseBusy, StoreError

HEADER = b"SQLite format 3\x00"

# Primary SQLite result codes (Python < 3.11 has no `sqlite_errorcode`: messages are matched as well).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26

Fault = Literal["empty", "not-sqlite", "truncated"]


def header_fault(path: Path) -> Fault | None:
    """What the file's first 100 bytes and its size say is wrong with it as an SQLite database (None: nothing).

    OSError when it cannot be read. A file shorter than its header says is truncated, unless a WAL beside it
    holds pages not yet written back.
    """
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(100)
    if size == 0:
        return "empty"
    if not header.startswith(HEADER):
        return "not-sqlite"
    if len(header) < 100:
        return "truncated"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96] and pages > 0
    wal = path.with_name(path.name + "-wal")
    wal_pending = wal.exists() and wal.stat().st_size > 0
    if header_valid and not wal_pending and size < pages * page_size:
        return "truncated"
    return None


def special_file(path: Path) -> str | None:
    """What the path is when it is not a regular file ("a FIFO", "a device", "a socket"; None: a regular file or
    nothing). Asked with stat, which never opens: opening a FIFO would block until someone writes to it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def check_file(path: Path) -> None:
    """Cheap checks before SQLite touches the file: a regular file, the SQLite header, and a file shorter than its
    header says."""
    special = special_file(path)
    if special:
        raise StoreError(f"{path} is {special}, not a quiz database; pass --db with the path of a file")
    try:
        fault = header_fault(path)
    except OSError as exc:
        raise StoreError(f"cannot read {path} ({exc.strerror}); check its permissions") from None
    if fault == "not-sqlite":
        raise not_sqlite(str(path))
    if fault == "truncated":
        raise damaged(str(path), "the file is truncated")
    # an empty file is fine: SQLite treats it as an empty database


def not_sqlite(label: str) -> StoreError:
    return StoreError(
        f"{label} is not a quiz database (file is not SQLite); move it away or pass --db with another path"
    )


def check_detail(result: str) -> str:
    """The first problem SQLite's integrity or quick check reports, on one line (it may span several)."""
    lines = [line.strip() for line in result.splitlines() if line.strip() and not line.startswith("***")]
    text = " ".join(lines) or result.strip()
    return text if len(text) <= 120 else text[:117] + "..."


def damaged(label: str, detail: str) -> StoreError:
    """The one line for a damaged database: what is wrong, and the latest good backup to restore when there is one
    beside it."""
    latest = latest_good_backup(Path(label)) if label != ":memory:" else None
    if latest is None:
        return StoreError(f"{label} is damaged ({detail}); restore a backup (quiz restore) or move it away")
    return StoreError(f"{label} is damaged ({detail}); nothing more is written to it; restore the latest good "
                      f"backup: quiz restore {latest}")


BACKUP_KINDS = (".backup-", ".bak-", ".before-restore-")
"""The names quiz gives copies of `<db>`: `quiz backup`, pre-upgrade backups, copies kept by `quiz restore`."""


def latest_good_backup(db: Path, tries: int = 5) -> Path | None:
    """The newest copy of `db` beside it (`BACKUP_KINDS`) that `quiz restore` would accept; None when none is."""
    from quiz.store.backups import check  # the checks a restore makes (imported late: backups imports this)

    try:
        names = [p for p in db.parent.iterdir() if p.name.startswith(tuple(db.name + k for k in BACKUP_KINDS))
                 and not p.name.endswith((".partial", "-wal", "-shm", "-journal")) and p.is_file()]
        names.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return None
    for path in names[:tries]:
        try:
            check(path)
        except StoreError:
            continue
        return path
    return None


def is_corrupt(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    return primary == _CORRUPT or "malformed" in text


def _no_space_left(label: str) -> bool:
    """Whether the disk holding the database is (all but) full: SQLite reports a full disk met while sizing its
    shared-memory file as an I/O error, not as SQLITE_FULL."""
    try:
        fs = os.statvfs(Path(label).parent)
    except (OSError, AttributeError, ValueError):
        return False
    return fs.f_bavail * fs.f_frsize < 256 * 1024


def disk_full(exc: sqlite3.Error, path: Path | str) -> bool:
    """Whether the error is (all but certainly) the disk holding `path` being full."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    io_error = primary == _IOERR or "disk i/o error" in text
    return primary == _FULL or "database or disk is full" in text or (io_error and _no_space_left(str(path)))


def holders(db: Path, limit: int = 2) -> str:
    """Which other processes have the database (or its WAL) open, as `process 1234 (sqlite3 quiz.db)`, from
    /proc (Linux; "" where it cannot be known). Only read when a lock was not released in time."""
    proc = Path("/proc")
    try:
        targets = {os.path.realpath(f"{db}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")}
        pids = [p for p in proc.iterdir() if p.name.isdigit() and int(p.name) != os.getpid()]
    except OSError:
        return ""
    found: list[str] = []
    for pid in pids:
        try:
            if not any(os.path.realpath(fd) in targets for fd in (pid / "fd").iterdir()):
                continue
            argv = (pid / "cmdline").read_bytes().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        command = " ".join([os.path.basename(argv[0]), *argv[1:]]).strip()
        command = command if len(command) <= 60 else command[:20] + "..." + command[-37:]
        found.append(f"process {pid.name}" + (f": {command}" if command else ""))
    if not found:
        return ""
    more = f", and {len(found) - limit} more" if len(found) > limit else ""
    return ", ".join(found[:limit]) + more


def error(exc: sqlite3.Error, label: str, what: str) -> StoreError:
    """One line for people about a sqlite3 error on database `label` while saving `what`."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    io_error = primary == _IOERR or "disk i/o error" in text
    if primary == _FULL or "database or disk is full" in text or (io_error and _no_space_left(label)):
        return StoreError(f"disk full while writing {label}; free some space, nothing was saved of {what}")
    if primary == _READONLY or "readonly" in text or "read-only" in text:
        return StoreError(
            f"{label} is read-only; check the permissions of the file and its folder, or pass --db with another path"
        )
    if primary in (_BUSY, _LOCKED) or "database is locked" in text:
        held = holders(Path(label)) if label != ":memory:" else ""
        who = f"another process ({held})" if held else "another quiz process"
        return DatabaseBusy(f"{label} is busy: {who} kept it locked for 5 seconds; try again")
    if primary == _NOTADB or "file is not a database" in text:
        return not_sqlite(label)
    if primary == _CORRUPT or "malformed" in text:
        return damaged(label, "database disk image is malformed")
    if primary == _CANTOPEN or "unable to open" in text:
        return StoreError(
            f"cannot open {label}; check that its folder exists and is writable, or pass --db with another path"
        )
    if io_error:
        return StoreError(f"cannot read or write {label} (disk I/O error); check the disk, nothing was saved of {what}")
    return StoreError(f"database error on {label} ({exc}); nothing was saved of {what}")
