"""Opening the progress database and talking to it: the base of every part of `Store`.

- The connection is a plain `sqlite3` connection in autocommit mode; every write is one `BEGIN IMMEDIATE`
  transaction (so a busy database waits up to 5 s instead of failing), committed at once (WAL, synchronous=FULL).
- sqlite-utils is imported only when migrations are pending (it costs ~0.1 s at import; `quiz due` must be fast).
- Every sqlite3 error becomes a `StoreError` with one line saying what happened and what to do (`failures`).
"""

from __future__ import annotations

import contextlib
import glob
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from quiz import migrations
from quiz.errors import StoreError, UnknownQuestion
from quiz.locations import process_alive
from quiz.store import failures
from quiz.store.rows import to_ms
from quiz.store.status import QUICK_CHECK_MAX_BYTES

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 5000
_OWN_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4", migrations.MIGRATIONS_TABLE}

_C = TypeVar("_C", bound="Connection")


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations the database has applied, in order."""
    return [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {migrations.MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id",
            (migrations.SET_NAME,),
        )
    ]


def table_names(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def remove_files(path: Path) -> None:
    """The database file and its journal, WAL and shared-memory files (what is missing is fine)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_database(conn: sqlite3.Connection, target: Path, partial: Path, message: Callable[[str], str]) -> None:
    """Copy the database of `conn` to `target` with SQLite's online backup API, written as `partial` and renamed:
    atomic. StoreError(`message(detail)`) when it cannot be written (the partial copy is removed)."""
    try:
        dest = sqlite3.connect(str(partial))
        try:
            conn.backup(dest)
        finally:
            dest.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        remove_files(partial)
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StoreError(message(detail)) from None


STALE_PARTIAL_S = 3600
"""A `.partial` copy without a process id, older than this, was left by a killed copy: removed."""


def remove_stale_partials(db: Path, now_s: float) -> list[Path]:
    """Partial copies of `db` left by killed backups (`<db>.<anything>.<pid>.partial` whose process is gone, or
    `<db>.<anything>.partial` older than an hour): only ours, only stale ones."""
    removed = []
    for path in db.parent.glob(f"{glob.escape(db.name)}.*.partial"):
        parts = path.name.split(".")
        pid = parts[-2] if len(parts) >= 3 else ""
        try:
            if pid.isdigit() and process_alive(int(pid)):
                continue
            if not pid.isdigit() and now_s - path.lstat().st_mtime < STALE_PARTIAL_S:
                continue
            if path.is_file() and not path.is_symlink():
                remove_files(path)
                removed.append(path)
        except OSError:
            continue
    return removed


class Connection:
    """An open progress database: opening and upgrading it, transactions, and the lookups every part shares."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, *, read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self._label = str(path) if path is not None else ":memory:"
        self._pids: dict[str, int] = {}
        self._db: Database | None = None
        self._damage: StoreError | None = None  # set when the database was found damaged: writes refused

    # -- opening ---------------------------------------------------------------------------------------------------

    @classmethod
    def open(
        cls: type[_C], path: Path | str, *, create: bool = True, read_only: bool = False, now: datetime | None = None
    ) -> _C:
        """Open (or create) the database at `path` and apply pending migrations, backing it up first.

        A file that cannot be written is opened read-only: reads work, writes raise StoreError.
        `now` names the backup file (default: `quiz.clock.now()`).
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise StoreError(f"{path} is a directory, not a quiz database; pass --db with the path of a file")
        if path.exists():
            failures.check_file(path)
            read_only = read_only or not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
        elif not create or read_only:
            raise StoreError(f"{path} does not exist; pass --db with the path of your quiz database")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder {path.parent} ({exc.strerror}); pass --db with another path"
                ) from None
        try:
            if read_only:
                conn = sqlite3.connect(
                    path.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None, timeout=5.0
                )
            else:
                conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise failures.error(exc, str(path), "the database") from None
        store = cls(conn, path, read_only=read_only)
        try:
            store._prepare(now)
        except BaseException:
            conn.close()
            raise
        if not read_only:
            remove_stale_partials(path, time.time())
        return store

    @classmethod
    def memory(cls: type[_C]) -> _C:
        """A fresh in-memory database with the whole schema (for tests)."""
        store = cls(sqlite3.connect(":memory:", isolation_level=None), None)
        store._prepare(None)
        return store

    def _prepare(self, now: datetime | None) -> None:
        conn = self.conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # The first read: a file that is not SQLite or is damaged fails here, before anything is written.
            tables = table_names(conn)
            applied = applied_migrations(conn) if migrations.MIGRATIONS_TABLE in tables else []
        except sqlite3.Error as exc:
            raise self._error(exc, "the database") from None
        if tables - _OWN_TABLES and not applied:
            raise StoreError(
                f"{self._label} is not a quiz database (it holds other tables); "
                "move it away or pass --db with another path"
            )
        unknown = [name for name in applied if name not in migrations.NAMES]
        if unknown:
            raise StoreError(
                f"{self._label} was written by a newer version of quiz (schema step '{unknown[-1]}'); "
                "upgrade quiz to use it"
            )
        pending = [name for name in migrations.NAMES if name not in applied]
        if pending and self.read_only:
            raise StoreError(
                f"{self._label} is read-only and needs upgrading to this version of quiz; "
                "make it writable once, or pass --db with another path"
            )
        try:
            if not self.read_only and self.path is not None:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise self._error(exc, "the database") from None
        if pending:
            self._migrate(now)

    def _migrate(self, now: datetime | None) -> None:
        """Apply pending migrations in one transaction, after backing up a database that already has a schema."""
        db = self.db

        def applied() -> list[str]:
            return applied_migrations(self.conn) if migrations.MIGRATIONS_TABLE in table_names(self.conn) else []

        # The backup runs outside the write transaction: SQLite's backup cannot read a database whose own
        # connection holds a write transaction (it would wait forever). If another process upgrades the database
        # meanwhile, the backup was merely unneeded.
        done = self._read(applied)
        if all(name in done for name in migrations.NAMES):  # another process created or upgraded it meanwhile
            return
        if done and self.path is not None:
            self._backup_before_upgrade(len(done), now)
        with self._write("the upgrade"):
            if len(applied()) < len(migrations.NAMES):  # another process may have upgraded it meanwhile
                migrations.migrations().apply(db)

    def _backup_before_upgrade(self, version: int, now: datetime | None) -> Path:
        assert self.path is not None
        if now is None:
            from quiz import clock

            now = clock.now()
        stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.bak-{version}-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.bak-{version}-{stamp}-{n}")
        try:
            return self.backup_to(target)
        except StoreError as exc:
            raise StoreError(
                f"cannot back up {self._label} before upgrading it ({exc.message}); nothing was changed"
            ) from None

    def backup_to(self, target: Path) -> Path:
        """Copy the database to `target` with SQLite's online backup API (safe while others write); atomic."""
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")  # two processes may back up at once
        copy_database(self.conn, target, partial, lambda detail: f"cannot write the backup {target} ({detail})")
        return target

    @property
    def db(self) -> Database:
        """The connection wrapped by sqlite-utils (imported on first use)."""
        if self._db is None:
            self._db = migrations.database(self.conn, recursive_triggers=False)
        return self._db

    def schema_version(self) -> int:
        """How many migrations the database has applied."""
        return len(self._read(lambda: applied_migrations(self.conn)))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and reads ------------------------------------------------------------------------------------

    def _error(self, exc: sqlite3.Error, what: str) -> StoreError:
        error = failures.error(exc, self._label, what)
        if failures.is_corrupt(exc):
            self._damage = error  # nothing more is written to a damaged database
        return error

    QUICK_CHECK_MAX_BYTES = QUICK_CHECK_MAX_BYTES
    """`check_health` reads the whole file (~10 ms per MiB): larger databases are checked by `quiz backup` only."""

    def check_health(self, *, always: bool = False) -> None:
        """`PRAGMA quick_check` (a damaged page anywhere, not only where a query looks): StoreError naming the
        latest good backup when it fails, and no write is made afterwards. Skipped for files over
        `QUICK_CHECK_MAX_BYTES` unless `always`."""
        if self.path is None:
            return
        try:
            if not always and self.path.stat().st_size > self.QUICK_CHECK_MAX_BYTES:
                return
            result = [row[0] for row in self.conn.execute("PRAGMA quick_check(3)")]
        except sqlite3.Error as exc:
            raise self._error(exc, "the database") from None
        except OSError:
            return
        if result != ["ok"]:
            self._damage = failures.damaged(self._label, f"quick check: {failures.check_detail(result[0])}")
            raise self._damage

    @contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: committed when the block ends, rolled back on any exception."""
        conn = self.conn
        if self._damage is not None:
            raise self._damage
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc, what) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise self._error(exc, what) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _read(self, fn: Any) -> Any:
        try:
            return fn()
        except sqlite3.Error as exc:
            raise self._error(exc, "the database") from None

    def _rows(self, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc, "the database") from None

    def _stream(self, sql: str, params: Mapping[str, Any] | Sequence[Any], batch: int) -> Iterator[tuple[Any, ...]]:
        """The rows of `sql`, fetched `batch` at a time (the caller may stop early)."""
        try:
            cursor = self.conn.execute(sql, params)
            while rows := cursor.fetchmany(batch):
                yield from rows
        except sqlite3.Error as exc:
            raise self._error(exc, "the database") from None

    # -- lookups ---------------------------------------------------------------------------------------------------

    def _pid(self, profile: str) -> int | None:
        """The profile's id, or None when it does not exist (reads never create profiles)."""
        pid = self._pids.get(profile)
        if pid is None:
            row = self.conn.execute("SELECT id FROM profiles WHERE name = ?", (profile,)).fetchone()
            if row is None:
                return None
            pid = row[0]
            if not self.conn.in_transaction:  # a row made by an open transaction may still be rolled back
                self._pids[profile] = pid
        return pid

    def _pid_create(self, profile: str, now: datetime | None) -> int:
        """The profile's id, creating the profile (call inside `_write`)."""
        pid = self._pid(profile)
        if pid is not None:
            return pid
        if not profile:
            raise StoreError("a profile name cannot be empty; pass --profile NAME")
        if now is None:
            from quiz import clock

            now = clock.now()
        cursor = self.conn.execute(
            "INSERT INTO profiles(name, created_at) VALUES (?, ?)", (profile, to_ms(now))
        )
        return int(cursor.lastrowid or 0)

    def _qid(self, question_id: str) -> int:
        row = self.conn.execute("SELECT qid FROM questions WHERE id = ?", (question_id,)).fetchone()
        if row is None:
            raise UnknownQuestion(f"unknown question '{question_id}'")
        return int(row[0])
