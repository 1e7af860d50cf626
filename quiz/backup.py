"""Whole-database backups and restores (`quiz backup`, `quiz restore`).

`backup` copies the progress database with SQLite's online backup API (`Store.backup_to`): safe while a study
session writes to it, and atomic (written under a temporary name, then renamed). The copy is checked afterwards.

`restore` never puts anything unchecked in place of the learner's progress:

1. the file must exist, start with the SQLite header and not be shorter than its header says;
2. it is copied (SQLite backup API, read-only) to a temporary file beside the database, and that copy, the bytes
   that will be installed, must pass `PRAGMA integrity_check` and be a quiz database of a schema this version knows
   (the current one or an older one, which the next command upgrades after its own backup);
3. the current database must not be open in another quiz process (an exclusive lock is taken and held to the end);
4. the current database is kept, copied beside it as `<name>.before-restore-<time>`;
5. the checked copy replaces the current contents in one SQLite transaction (or, when the current file is damaged
   or absent, by renaming the copy into place): a crash at any point leaves the old database or the new one.

This is the one module besides `store.py` that talks to SQLite: it handles files as a whole (copy, check, swap)
and only counts rows; everything else goes through `Store`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from quiz import migrations
from quiz.errors import StoreError

_HEADER = b"SQLite format 3\x00"
_CORE_TABLES = ("meta", "profiles", "settings", "questions", "cards", "reviews")
LOCK_TIMEOUT_S = 0.5
"""How long `restore` waits for the database to be free before saying another process uses it."""


@dataclass(frozen=True, slots=True)
class DatabaseInfo:
    """What a checked quiz database holds."""

    schema: int  # how many migrations it has applied (len(migrations.NAMES) for the current schema)
    profiles: int
    reviews: int

    def describe(self) -> str:
        p = f"{self.profiles} profile{'s' if self.profiles != 1 else ''}"
        r = f"{self.reviews} answer{'s' if self.reviews != 1 else ''}"
        return f"{p}, {r}"


@dataclass(frozen=True, slots=True)
class Restored:
    db: Path
    source: Path
    info: DatabaseInfo
    kept: Path | None  # where the previous database went (None when there was none)
    damaged: bool  # the previous database could not be read: it was moved aside as it was


def stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _free_name(folder: Path, base: str) -> Path:
    target = folder / base
    n = 1
    while target.exists() or Path(f"{target}-wal").exists():
        n += 1
        target = folder / f"{base}-{n}"
    return target


def default_backup_path(db: Path, now: datetime) -> Path:
    """`<db name>.backup-<UTC time>` beside the database (`-2`, `-3`, ... when taken)."""
    return _free_name(db.parent, f"{db.name}.backup-{stamp(now)}")


# --- backup -------------------------------------------------------------------------------------------------------


def backup(db: Path, target: Path | None, now: datetime) -> tuple[Path, DatabaseInfo]:
    """Copy the database to `target` (a file that must not exist yet, or a folder; None: beside the database)."""
    from quiz.store import Store

    db = db.expanduser()
    if db.is_dir():
        raise StoreError(f"{db} is a directory, not a quiz database; pass --db with the path of a file")
    if not db.exists():
        raise StoreError(f"{db} does not exist, so there is nothing to back up; pass --db with your quiz database")
    if target is None:
        target = default_backup_path(db, now)
    else:
        target = target.expanduser()
        if target.is_dir():
            target = _free_name(target, f"{db.name}.backup-{stamp(now)}")
        elif target.exists() or Path(f"{target}-wal").exists():
            raise StoreError(f"{target} already exists; a backup never overwrites a file, give another path")
        elif not target.parent.is_dir():
            raise StoreError(f"the folder {target.parent} does not exist; create it first or give another path")
    if _same_file(target, db):
        raise StoreError(f"{target} is the database itself; give another path for the backup")
    with Store.open(db, create=False, now=now) as store:
        written = store.backup_to(target)
    return written, check(written)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


# --- checking a file ------------------------------------------------------------------------------------------------


def _refuse(path: Path, why: str) -> StoreError:
    return StoreError(f"{path} {why}; nothing was changed")


def _check_bytes(path: Path) -> None:
    """The cheap checks before SQLite reads the file: it exists, is a file, has the header, is not truncated."""
    if path.is_dir():
        raise _refuse(path, "is a directory, not a backup; pass the path of a backup file")
    if not path.exists():
        raise _refuse(path, "does not exist; pass the path of a backup (quiz backup writes them beside the database)")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise _refuse(path, f"cannot be read ({exc.strerror}); check its permissions") from None
    if size == 0:
        raise _refuse(path, "is empty, not a quiz backup")
    if not header.startswith(_HEADER):
        raise _refuse(path, "is not a quiz backup (the file is not an SQLite database)")
    if len(header) < 100:
        raise _refuse(path, "is damaged (the file is truncated)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    wal = Path(f"{path}-wal")
    wal_pending = wal.exists() and wal.stat().st_size > 0
    if header[24:28] == header[92:96] and pages > 0 and not wal_pending and size < pages * page_size:
        raise _refuse(path, "is damaged (the file is truncated)")


def _connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection that changes nothing on disk (immutable when there is no WAL to read)."""
    uri = path.resolve().as_uri()
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=5.0)
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)


def _inspect(conn: sqlite3.Connection, path: Path) -> DatabaseInfo:
    """Integrity and schema of an open database; StoreError when it cannot be restored."""
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
        if result != ["ok"]:
            raise _refuse(path, f"is damaged (integrity check: {result[0]})")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if migrations.MIGRATIONS_TABLE not in tables:
            if tables - {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}:
                raise _refuse(path, "is not a quiz database (it holds other tables)")
            raise _refuse(path, "is an empty database, not a quiz backup")
        applied = [
            row[0]
            for row in conn.execute(
                f"SELECT name FROM {migrations.MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id",
                (migrations.SET_NAME,),
            )
        ]
        unknown = [name for name in applied if name not in migrations.NAMES]
        if unknown:
            raise _refuse(path, f"was written by a newer version of quiz (schema step '{unknown[-1]}'); "
                                "upgrade quiz to restore it")
        if not applied or applied != list(migrations.NAMES[: len(applied)]):
            raise _refuse(path, "is not a quiz database (its schema steps are not this program's)")
        missing = [name for name in _CORE_TABLES if name not in tables]
        if missing:
            raise _refuse(path, f"is damaged (the table '{missing[0]}' is missing)")
        profiles = conn.execute("SELECT COUNT(*) FROM profiles").fetchone()[0]
        reviews = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _sqlite_refusal(path, exc) from None
    return DatabaseInfo(len(applied), profiles, reviews)


def _sqlite_refusal(path: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc).lower()
    if "not a database" in text:
        return _refuse(path, "is not a quiz backup (the file is not an SQLite database)")
    if "locked" in text or "busy" in text:
        return _refuse(path, "is locked by another program; close it and try again")
    return _refuse(path, f"is damaged ({exc})")


def check(path: Path) -> DatabaseInfo:
    """Check a backup file where it is, changing nothing: StoreError saying why it cannot be restored."""
    _check_bytes(path)
    try:
        conn = _connect_ro(path)
    except sqlite3.Error as exc:
        raise _sqlite_refusal(path, exc) from None
    try:
        return _inspect(conn, path)
    finally:
        conn.close()


# --- restore --------------------------------------------------------------------------------------------------------


def restore(db: Path, source: Path, now: datetime) -> Restored:
    """Replace the database at `db` with the checked contents of `source`, keeping the current one beside it."""
    db, source = db.expanduser(), source.expanduser()
    if db.is_dir():
        raise StoreError(f"{db} is a directory, not a quiz database; pass --db with the path of a file")
    if _same_file(source, db):
        raise _refuse(source, "is the database itself; pass the path of a backup")
    _check_bytes(source)
    if not db.parent.is_dir():
        try:
            db.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder {db.parent} ({exc.strerror}); pass --db with another path") \
                from None
    _remove_stale_copies(db)
    staged = db.with_name(f".{db.name}.restore-{os.getpid()}.tmp")
    _remove(staged)
    try:
        info = _stage(source, staged)
        kept, damaged = _install(db, staged, now)
    finally:
        _remove(staged)
    return Restored(db, source, info, kept, damaged)


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _remove_stale_copies(db: Path) -> None:
    """Checked copies left behind by a restore that was killed (its process is gone)."""
    for path in db.parent.glob(f".{db.name}.restore-*.tmp"):
        try:
            pid = int(path.name.rsplit(".restore-", 1)[1].split(".")[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            _remove(path)
        except (ValueError, IndexError, OSError):
            continue


def _stage(source: Path, staged: Path) -> DatabaseInfo:
    """Copy `source` to `staged` with SQLite (its WAL included) and check the copy."""
    try:
        src = _connect_ro(source)
    except sqlite3.Error as exc:
        raise _sqlite_refusal(source, exc) from None
    try:
        dest = sqlite3.connect(str(staged), isolation_level=None)
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file until it is installed
            info = _inspect(dest, source)
        finally:
            dest.close()
    except sqlite3.DatabaseError as exc:
        raise _sqlite_refusal(source, exc) from None
    except OSError as exc:
        raise StoreError(f"cannot write {staged} ({exc.strerror}); nothing was changed") from None
    finally:
        src.close()
    return info


def _install(db: Path, staged: Path, now: datetime) -> tuple[Path | None, bool]:
    if not db.exists():
        _remove_sidecars(db)  # a stray WAL beside a new file would be replayed into it
        _rename(staged, db)
        return None, False
    kept = _free_name(db.parent, f"{db.name}.before-restore-{stamp(now)}")
    try:
        conn = sqlite3.connect(str(db), isolation_level=None, timeout=LOCK_TIMEOUT_S)
    except sqlite3.Error:
        return _install_over_damaged(db, staged, kept), True
    try:
        try:
            # Exclusive locking mode keeps the lock after the transaction: no quiz process can open the
            # database from here until this connection closes. One already open holds a shared lock: refuse.
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise StoreError(
                    f"{db} is in use by another quiz process (quiz study?); quit it, then run quiz restore again; "
                    "nothing was changed"
                ) from None
            conn.close()
            return _install_over_damaged(db, staged, kept), True
        except sqlite3.DatabaseError:
            conn.close()
            return _install_over_damaged(db, staged, kept), True
        _copy_with_sqlite(conn, kept)
        source = sqlite3.connect(str(staged), isolation_level=None)
        try:
            source.backup(conn)  # one write transaction on the locked database: all or nothing
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write {db} ({exc}); nothing was changed, the previous database is also "
                             f"kept as {kept}") from None
        finally:
            source.close()
        return kept, False
    finally:
        conn.close()


def _copy_with_sqlite(conn: sqlite3.Connection, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    try:
        dest = sqlite3.connect(str(partial))
        try:
            conn.backup(dest)
        finally:
            dest.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        _remove(partial)
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StoreError(f"cannot keep the current database as {target} ({detail}); nothing was changed") from None


def _install_over_damaged(db: Path, staged: Path, kept: Path) -> Path:
    """The current file cannot be read as a database: move it (and its WAL) aside as it is, then rename."""
    try:
        os.replace(db, kept)
        wal = Path(f"{db}-wal")
        if wal.exists():
            os.replace(wal, Path(f"{kept}-wal"))
    except OSError as exc:
        raise StoreError(f"cannot move {db} aside to {kept} ({exc.strerror}); nothing was changed") from None
    _remove_sidecars(db)
    _rename(staged, db)
    return kept


def _remove_sidecars(db: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{db}{suffix}").unlink(missing_ok=True)


def _rename(staged: Path, db: Path) -> None:
    try:
        with open(staged, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staged, db)
    except OSError as exc:
        raise StoreError(f"cannot write {db} ({exc.strerror}); nothing was changed") from None
    with contextlib.suppress(OSError):
        fd = os.open(db.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
