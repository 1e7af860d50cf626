"""The SQLite side of whole-database copies: `Store.backup_to`, and what `quiz.backup` needs to check a backup
and to restore it (copy it with SQLite, check the copy, lock the current database and write the copy over it).
`quiz.backup` handles the files around it (names, renames); it runs no SQL itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quiz import migrations
from quiz.errors import StoreError
from quiz.store import schema
from quiz.store.connection import applied_migrations, copy_database, remove_files, table_names
from quiz.store.failures import check_detail, disk_full, header_fault, special_file
from quiz.store.values import DatabaseInfo

_CORE_TABLES = ("meta", "profiles", "settings", "questions", "cards", "reviews")
LOCK_TIMEOUT_S = 0.5
"""How long `restore` waits for the database to be free before saying another process uses it."""


# --- checking a backup ----------------------------------------------------------------------------------------------


def refuse(path: Path, why: str) -> StoreError:
    return StoreError(f"{path} {why}; nothing was changed")


def check_bytes(path: Path) -> None:
    """The cheap checks before SQLite reads the file: it exists, is a file, has the header, is not truncated."""
    if path.is_dir():
        raise refuse(path, "is a directory, not a backup; pass the path of a backup file")
    if not path.exists():
        raise refuse(path, "does not exist; pass the path of a backup (quiz backup writes them beside the database)")
    special = special_file(path)
    if special:
        raise refuse(path, f"is {special}, not a backup; pass the path of a backup file")
    try:
        fault = header_fault(path)
    except OSError as exc:
        raise refuse(path, f"cannot be read ({exc.strerror}); check its permissions") from None
    if fault == "empty":
        raise refuse(path, "is empty, not a quiz backup")
    if fault == "not-sqlite":
        raise refuse(path, "is not a quiz backup (the file is not an SQLite database)")
    if fault == "truncated":
        raise refuse(path, "is damaged (the file is truncated)")


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
            raise refuse(path, f"is damaged (integrity check: {check_detail(result[0])})")
        tables = table_names(conn)
        if migrations.MIGRATIONS_TABLE not in tables:
            if tables - {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}:
                raise refuse(path, "is not a quiz database (it holds other tables)")
            raise refuse(path, "is an empty database, not a quiz backup")
        applied = applied_migrations(conn)
        unknown = [name for name in applied if name not in migrations.NAMES]
        if unknown:
            raise refuse(path, f"was written by a newer version of quiz (schema step '{unknown[-1]}'); "
                               "upgrade quiz to restore it")
        if not applied or applied != list(migrations.NAMES[: len(applied)]):
            raise refuse(path, "is not a quiz database (its schema steps are not this program's)")
        missing = [name for name in _CORE_TABLES if name not in tables]
        if missing:
            raise refuse(path, f"is damaged (the table '{missing[0]}' is missing)")
        wrong = schema.difference(conn, len(applied))
        if wrong:
            raise refuse(path, f"cannot be restored: it {wrong} (a crafted or altered file)")
        profiles = conn.execute("SELECT COUNT(*) FROM profiles").fetchone()[0]
        reviews = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _refusal(path, exc) from None
    return DatabaseInfo(len(applied), profiles, reviews)


def _match_page_size(staged: Path, page_size: int, db: Path) -> None:
    """Give the checked copy the current database's page size: SQLite cannot copy a database with another page
    size into a database in WAL mode ("attempt to write a readonly database")."""
    conn = sqlite3.connect(str(staged), isolation_level=None)
    try:
        if conn.execute("PRAGMA page_size").fetchone()[0] != page_size:
            conn.execute(f"PRAGMA page_size = {int(page_size)}")
            conn.execute("VACUUM")
    except sqlite3.Error as exc:
        raise _restore_failed(exc, staged, db,
                              f"cannot prepare the copy {staged} ({exc}); nothing was changed") from None
    finally:
        conn.close()


def _restore_failed(exc: sqlite3.Error, written: Path, db: Path, otherwise: str) -> StoreError:
    """A restore of `db` that failed while writing `written`: a full disk is said as such, else `otherwise`."""
    if disk_full(exc, written):
        return StoreError(f"disk full while restoring {db}; free some space and run quiz restore again; "
                          "nothing was changed")
    return StoreError(otherwise)


def _refusal(path: Path, exc: sqlite3.Error, written: Path | None = None) -> StoreError:
    """Why `path` cannot be restored; a full disk (while writing `written`) is said as such, not as damage."""
    if written is not None and disk_full(exc, written):
        return StoreError(f"disk full while copying {path} to {written.parent}; free some space and run quiz "
                          "restore again; nothing was changed")
    text = str(exc).lower()
    if "not a database" in text:
        return refuse(path, "is not a quiz backup (the file is not an SQLite database)")
    if "locked" in text or "busy" in text:
        return refuse(path, "is locked by another program; close it and try again")
    return refuse(path, f"is damaged ({exc})")


def check(path: Path) -> DatabaseInfo:
    """Check a backup file where it is, changing nothing: StoreError saying why it cannot be restored."""
    check_bytes(path)
    try:
        conn = _connect_ro(path)
    except sqlite3.Error as exc:
        raise _refusal(path, exc) from None
    try:
        return _inspect(conn, path)
    finally:
        conn.close()


# --- restoring ------------------------------------------------------------------------------------------------------


def stage(source: Path, staged: Path) -> DatabaseInfo:
    """Copy `source` to `staged` with SQLite (its WAL included) and check the copy."""
    try:
        src = _connect_ro(source)
    except sqlite3.Error as exc:
        raise _refusal(source, exc) from None
    try:
        dest = sqlite3.connect(str(staged), isolation_level=None)
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file until it is installed
            info = _inspect(dest, source)
        finally:
            dest.close()
    except sqlite3.DatabaseError as exc:
        raise _refusal(source, exc, staged) from None
    except OSError as exc:
        raise StoreError(f"cannot write {staged} ({exc.strerror}); nothing was changed") from None
    finally:
        src.close()
    return info


def install(db: Path, staged: Path, kept: Path) -> bool:
    """Write the checked copy `staged` over the database `db` in one transaction, with `db` locked against every
    other quiz process, after copying it to `kept`. False (nothing done) when `db` cannot be read as a database."""
    try:
        conn = sqlite3.connect(str(db), isolation_level=None, timeout=LOCK_TIMEOUT_S)
    except sqlite3.Error:
        return False
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
            return False
        except sqlite3.DatabaseError:
            return False
        _match_page_size(staged, conn.execute("PRAGMA page_size").fetchone()[0], db)
        copy_database(conn, kept, kept.with_name(kept.name + ".partial"),
                      lambda detail: f"cannot keep the current database as {kept} ({detail}); nothing was changed")
        source = sqlite3.connect(str(staged), isolation_level=None)
        try:
            source.backup(conn)  # one write transaction on the locked database: all or nothing
        except sqlite3.Error as exc:
            remove_files(kept)  # nothing was changed: the kept copy is the database as it still is
            raise _restore_failed(exc, db, db, f"cannot write {db} ({exc}); nothing was changed") from None
        finally:
            source.close()
        return True
    finally:
        conn.close()
