"""The progress database: all SQL lives here, and only `quiz.model` values (or the small values below) leave it.

- Times are INTEGER epoch milliseconds UTC (pass times truncated to the millisecond, as `quiz.clock.now()` gives,
  and they round-trip exactly); study days are TEXT 'YYYY-MM-DD'.
- The connection is a plain `sqlite3` connection in autocommit mode; every write is one `BEGIN IMMEDIATE`
  transaction (so a busy database waits up to 5 s instead of failing), committed at once (WAL, synchronous=FULL).
- sqlite-utils is imported only when migrations are pending (it costs ~0.1 s at import; `quiz due` must be fast).
- Every sqlite3 error becomes a `StoreError` with one line saying what happened and what to do.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from quiz import migrations
from quiz.errors import CardChanged, StoreError, UnknownQuestion
from quiz.model import CardPhase, CardState, Rating, Review, sync_fingerprint

if TYPE_CHECKING:
    from sqlite_utils import Database

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)
BUSY_TIMEOUT_MS = 5000
_HEADER = b"SQLite format 3\x00"
_FINGERPRINT_KEY = "bank_fingerprint"
_OWN_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4", migrations.MIGRATIONS_TABLE}

# Primary SQLite result codes (Python < 3.11 has no `sqlite_errorcode`: messages are matched as well).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


def to_ms(moment: datetime) -> int:
    """An aware datetime as epoch milliseconds (sub-millisecond parts are dropped)."""
    if moment.tzinfo is None:
        raise ValueError("store times must be timezone-aware")
    return (moment - EPOCH) // _MS


def from_ms(ms: int) -> datetime:
    """Epoch milliseconds as an aware UTC datetime."""
    return EPOCH + ms * _MS


def _opt_ms(moment: datetime | None) -> int | None:
    return None if moment is None else to_ms(moment)


def _opt_dt(ms: int | None) -> datetime | None:
    return None if ms is None else from_ms(ms)


# --- values -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardFlags:
    suspended: bool = False
    buried_until: datetime | None = None
    leech: bool = False


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What `sync_questions` changed; `skipped` when the bank was identical to the last sync (one SELECT)."""

    new: int = 0
    changed: int = 0
    removed: int = 0
    restored: int = 0
    skipped: bool = False


class QuestionMeta(NamedTuple):
    content_hash: str
    first_seen: datetime
    changed_at: datetime


class DayCounts(NamedTuple):
    """Answers on one study day: to cards that were new, and to cards in review (what daily limits count)."""

    new_done: int
    reviews_done: int


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One row of the review log."""

    id: int
    review: Review
    day: str
    retrievability: float | None
    interval_days: float | None
    became_leech: bool


# --- SQL ----------------------------------------------------------------------------------------------------------

_STATE_COLS = "c.phase, c.step, c.stability, c.difficulty, c.due, c.last_review, c.lapses, c.reps"
_ONLY = "AND q.id IN (SELECT value FROM json_each(:only))"
_NOT_BURIED = "(c.buried_until IS NULL OR c.buried_until <= :now)"

SQL_DUE = f"""
SELECT q.id, {_STATE_COLS}
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.due < :horizon AND c.phase > 0 AND c.suspended = 0 AND {_NOT_BURIED}
  AND q.active = 1
  AND CASE WHEN c.phase = 2 THEN c.due < :day_end ELSE c.due <= :now END
  {{only}}
ORDER BY c.phase = 2, c.due, q.position
LIMIT :limit
"""

# What `SQL_DUE` would list, counted: (learning or relearning, review) — `quiz due` needs no rows.
SQL_DUE_COUNTS = f"""
SELECT COALESCE(SUM(c.phase IN (1, 3)), 0), COALESCE(SUM(c.phase = 2), 0)
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.due < :horizon AND c.phase > 0 AND c.suspended = 0 AND {_NOT_BURIED}
  AND q.active = 1
  AND CASE WHEN c.phase = 2 THEN c.due < :day_end ELSE c.due <= :now END
  {{only}}
"""

SQL_LEARNING_WITHIN = f"""
SELECT q.id, {_STATE_COLS}
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.due <= :until AND c.phase IN (1, 3) AND c.suspended = 0 AND {_NOT_BURIED}
  AND q.active = 1
  {{only}}
ORDER BY c.due, q.position
"""

SQL_NEW = f"""
SELECT q.id
FROM questions q LEFT JOIN cards c ON c.profile_id = :profile AND c.qid = q.qid
WHERE q.active = 1
  AND (c.qid IS NULL OR (c.phase = 0 AND c.suspended = 0 AND {_NOT_BURIED}))
  {{only}}
ORDER BY q.position
LIMIT :limit
"""

SQL_NEXT_DUE = f"""
SELECT c.due
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.due IS NOT NULL AND c.phase > 0 AND c.suspended = 0 AND {_NOT_BURIED}
  AND q.active = 1
  {{only}}
ORDER BY c.due
LIMIT 1
"""

SQL_NEXT_DUE_BURIED = """
SELECT MIN(MAX(c.due, c.buried_until))
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.buried_until > :now AND c.phase > 0 AND c.suspended = 0 AND q.active = 1
  {only}
"""

SQL_TODAY = """
SELECT COALESCE(SUM(phase_before = 0), 0), COALESCE(SUM(phase_before = 2), 0)
FROM reviews WHERE profile_id = :profile AND day = :day
"""

# Walks back one day at a time from today (or yesterday, when nothing was studied yet today), probing the index.
SQL_STREAK = """
WITH RECURSIVE walk(day, n) AS (
  SELECT CASE WHEN EXISTS (SELECT 1 FROM reviews WHERE profile_id = :profile AND day = :today)
              THEN :today ELSE date(:today, '-1 day') END, 0
  UNION ALL
  SELECT date(walk.day, '-1 day'), n + 1 FROM walk
  WHERE EXISTS (SELECT 1 FROM reviews WHERE profile_id = :profile AND day = walk.day)
)
SELECT MAX(n) FROM walk
"""

_REVIEW_COLS = (
    "r.id, q.id, r.reviewed_at, r.day, r.rating, r.answer, r.correct, r.duration_ms, r.retrievability, "
    "r.interval_days, r.became_leech, "
    "r.phase_before, r.step_before, r.stability_before, r.difficulty_before, r.due_before, r.last_review_before, "
    "r.lapses_before, r.reps_before, "
    "r.phase_after, r.step_after, r.stability_after, r.difficulty_after, r.due_after, r.last_review_after, "
    "r.lapses_after, r.reps_after"
)


def _state_row(state: CardState) -> tuple[Any, ...]:
    """The eight stored scalars of a CardState, in `_STATE_COLS` order."""
    return (
        int(state.phase),
        state.step,
        state.stability,
        state.difficulty,
        _opt_ms(state.due),
        _opt_ms(state.last_review),
        state.lapses,
        state.reps,
    )


def _state(question_id: str, row: Sequence[Any]) -> CardState:
    phase, step, stability, difficulty, due, last_review, lapses, reps = row
    return CardState(
        question_id=question_id,
        phase=CardPhase(phase),
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=_opt_dt(due),
        last_review=_opt_dt(last_review),
        lapses=lapses,
        reps=reps,
    )


def _record(row: Sequence[Any]) -> ReviewRecord:
    rid, qid, at, day, rating, answer, correct, duration, retr, interval, leech = row[:11]
    review = Review(
        question_id=qid,
        reviewed_at=from_ms(at),
        rating=Rating(rating),
        answer=answer,
        correct=None if correct is None else bool(correct),
        duration_ms=duration,
        before=_state(qid, row[11:19]),
        after=_state(qid, row[19:27]),
    )
    return ReviewRecord(rid, review, day, retr, interval, bool(leech))


def bank_fingerprint(entries: Sequence[tuple[str, str, str, str]]) -> str:
    """A hash of the whole (id, content hash, era, kind) list, in order (`quiz.model.sync_fingerprint`)."""
    return sync_fingerprint(entries)


# --- stats: values and SQL (`quiz stats`, `quiz optimize`); the methods are the "stats" section of Store -----------


class DayStats(NamedTuple):
    """Answers on one study day: all of them, those to cards in review (and how many of those were recalled, i.e.
    rated above Again), those to new cards, and the time spent answering."""

    day: str
    reviews: int
    review_phase: int
    review_passed: int
    new: int
    duration_ms: int


class ReviewTotals(NamedTuple):
    reviews: int
    duration_ms: int


class EraCounts(NamedTuple):
    """An era's active questions by state: new (never started), learning (or relearning), young and mature review
    cards (mature: interval of at least the given number of days)."""

    era: str
    new: int
    learning: int
    young: int
    mature: int


class CardLapses(NamedTuple):
    question_id: str
    lapses: int
    leech: bool


class CardMemory(NamedTuple):
    """A review card's memory: what retrievability "now" is computed from."""

    question_id: str
    stability: float
    last_review: datetime
    lapses: int


class LogRow(NamedTuple):
    """One review as the optimizer needs it; `phase_before` 0 means the card was new (a history starts)."""

    qid: int
    reviewed_at: int
    rating: int
    phase_before: int


_ERA_REVIEWS = "AND r.qid IN (SELECT qid FROM questions WHERE era = :era)"
_ERA_CARDS = "AND q.era = :era"

# Without an era filter, per-day figures come from review_days (migration 0003: one row per profile and day, kept
# by triggers on reviews); with one, from reviews themselves (the era is known per question only).
SQL_STATS_DAYS_ALL = """
SELECT day, reviews, review_phase, review_passed, new, duration_ms
FROM review_days
WHERE profile_id = :profile AND day BETWEEN :since AND :until
ORDER BY day
"""

SQL_STATS_TOTALS_ALL = """
SELECT COALESCE(SUM(reviews), 0), COALESCE(SUM(duration_ms), 0) FROM review_days WHERE profile_id = :profile
"""

SQL_STATS_DAYS = """
SELECT r.day, COUNT(*), COALESCE(SUM(r.phase_before = 2), 0), COALESCE(SUM(r.phase_before = 2 AND r.rating > 1), 0),
       COALESCE(SUM(r.phase_before = 0), 0), COALESCE(SUM(r.duration_ms), 0)
FROM reviews r
WHERE r.profile_id = :profile AND r.day BETWEEN :since AND :until {era}
GROUP BY r.day
ORDER BY r.day
"""

SQL_STATS_TOTALS = """
SELECT COUNT(*), COALESCE(SUM(r.duration_ms), 0) FROM reviews r WHERE r.profile_id = :profile {era}
"""

# One range probe of cards_due per day: [lo, hi) in epoch ms, from a JSON list of pairs.
SQL_STATS_FORECAST = """
WITH b(i, lo, hi) AS (
  SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:bounds)
)
SELECT (SELECT COUNT(*) FROM cards c JOIN questions q ON q.qid = c.qid
        WHERE c.profile_id = :profile AND c.due >= b.lo AND c.due < b.hi AND c.phase > 0 AND c.suspended = 0
          AND q.active = 1 {era})
FROM b
ORDER BY b.i
"""

SQL_STATS_MASTERY = """
SELECT q.era,
       COALESCE(SUM(c.phase IS NULL OR c.phase = 0), 0),
       COALESCE(SUM(c.phase IN (1, 3)), 0),
       COALESCE(SUM(c.phase = 2 AND c.due - c.last_review < :mature_ms), 0),
       COALESCE(SUM(c.phase = 2 AND c.due - c.last_review >= :mature_ms), 0)
FROM questions q LEFT JOIN cards c ON c.profile_id = :profile AND c.qid = q.qid
WHERE q.active = 1 {era}
GROUP BY q.era
"""

SQL_STATS_LAPSES = """
SELECT q.id, c.lapses, c.leech
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.lapses > 0 AND q.active = 1 {era}
ORDER BY c.lapses DESC, q.position
LIMIT :limit
"""

SQL_STATS_LEECHES = """
SELECT q.id, c.lapses, COUNT(*) OVER ()
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.leech = 1 AND q.active = 1 {era}
ORDER BY c.lapses DESC, q.position
LIMIT :limit
"""

# FSRS's retrievability falls as (whole elapsed days) / stability grows, for any parameters: the cards with the
# largest ratio have the lowest retrievability now; only those `limit` leave the database.
SQL_STATS_FORGOTTEN = """
SELECT q.id, c.stability, c.last_review, c.lapses
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.phase = 2 AND c.suspended = 0 AND c.stability > 0
  AND c.last_review IS NOT NULL AND q.active = 1 {era}
ORDER BY MAX(0, (:now - c.last_review) / 86400000) / c.stability DESC, q.position
LIMIT :limit
"""

SQL_REVIEW_LOG = """
SELECT r.qid, r.reviewed_at, r.rating, r.phase_before
FROM reviews r
WHERE r.profile_id = :profile
ORDER BY r.qid, r.reviewed_at, r.id
"""


# --- the store ----------------------------------------------------------------------------------------------------


class Store:
    """A learner progress database (several profiles may share one file). Use `Store.open(path)`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, *, read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self._label = str(path) if path is not None else ":memory:"
        self._pids: dict[str, int] = {}
        self._db: Database | None = None

    # -- opening ---------------------------------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | str, *, create: bool = True, read_only: bool = False, now: datetime | None = None
    ) -> Store:
        """Open (or create) the database at `path` and apply pending migrations, backing it up first.

        A file that cannot be written is opened read-only: reads work, writes raise StoreError.
        `now` names the backup file (default: `quiz.clock.now()`).
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise StoreError(f"{path} is a directory, not a quiz database; pass --db with the path of a file")
        if path.exists():
            _check_file(path)
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
            raise _error(exc, str(path), "the database") from None
        store = cls(conn, path, read_only=read_only)
        try:
            store._prepare(now)
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def memory(cls) -> Store:
        """A fresh in-memory database with the whole schema (for tests)."""
        store = cls(sqlite3.connect(":memory:", isolation_level=None), None)
        store._prepare(None)
        return store

    def _prepare(self, now: datetime | None) -> None:
        conn = self.conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # The first read: a file that is not SQLite or is damaged fails here, before anything is written.
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            applied = self._applied() if migrations.MIGRATIONS_TABLE in tables else []
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

    def _applied(self) -> list[str]:
        return [
            row[0]
            for row in self.conn.execute(
                f"SELECT name FROM {migrations.MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id",
                (migrations.SET_NAME,),
            )
        ]

    def _migrate(self, now: datetime | None) -> None:
        """Apply pending migrations in one transaction, after backing up a database that already has a schema."""
        db = self.db

        def applied() -> list[str]:
            tables = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            return self._applied() if migrations.MIGRATIONS_TABLE in tables else []

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
        try:
            dest = sqlite3.connect(str(partial))
            try:
                self.conn.backup(dest)
            finally:
                dest.close()
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            partial.unlink(missing_ok=True)
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise StoreError(f"cannot write the backup {target} ({detail})") from None
        return target

    @property
    def db(self) -> Database:
        """The connection wrapped by sqlite-utils (imported on first use)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False, recursive_triggers=False)
        return self._db

    def schema_version(self) -> int:
        """How many migrations the database has applied."""
        return len(self._read(lambda: self._applied()))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------------------------------------------

    def _error(self, exc: sqlite3.Error, what: str) -> StoreError:
        return _error(exc, self._label, what)

    @contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: committed when the block ends, rolled back on any exception."""
        conn = self.conn
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

    @staticmethod
    def _only(sql: str, only: Collection[str] | None, params: dict[str, Any]) -> str:
        if only is None:
            return sql.format(only="")
        params["only"] = json.dumps(list(only))
        return sql.format(only=_ONLY)

    # -- profiles and settings -------------------------------------------------------------------------------------

    def ensure_profile(self, name: str, now: datetime | None = None) -> int:
        """The profile's id, creating it when needed (no write transaction when it exists)."""
        pid = self._read(lambda: self._pid(name))
        if pid is not None:
            return int(pid)
        with self._write("the new profile"):
            pid = self._pid_create(name, now)
        return pid

    def profiles(self) -> list[str]:
        return [row[0] for row in self._rows("SELECT name FROM profiles ORDER BY name")]

    def get_setting(self, profile: str, key: str) -> str | None:
        rows = self._rows(
            "SELECT s.value FROM settings s JOIN profiles p ON p.id = s.profile_id WHERE p.name = ? AND s.key = ?",
            (profile, key),
        )
        return rows[0][0] if rows else None

    def set_setting(self, profile: str, key: str, value: str | None) -> None:
        """Set a setting of the profile; None removes it."""
        with self._write("the setting") as conn:
            pid = self._pid_create(profile, None)
            if value is None:
                conn.execute("DELETE FROM settings WHERE profile_id = ? AND key = ?", (pid, key))
            else:
                conn.execute(
                    "INSERT INTO settings(profile_id, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT(profile_id, key) DO UPDATE SET value = excluded.value",
                    (pid, key, value),
                )

    def settings(self, profile: str) -> dict[str, str]:
        rows = self._rows(
            "SELECT s.key, s.value FROM settings s JOIN profiles p ON p.id = s.profile_id "
            "WHERE p.name = ? ORDER BY s.key",
            (profile,),
        )
        return dict(rows)

    # -- the bank --------------------------------------------------------------------------------------------------

    def bank_synced(self, fingerprint: str) -> bool:
        """Whether the last sync recorded a bank with this fingerprint (`bank_fingerprint`): one SELECT."""
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (_FINGERPRINT_KEY,))
        return bool(rows) and rows[0][0] == fingerprint

    def sync_questions(self, entries: Sequence[tuple[str, str, str, str]], now: datetime,
                       fingerprint: str | None = None) -> SyncReport:
        """Record the bank: (question_id, content_hash, era, kind) in bank order.

        New ids are added, changed hashes update `changed_at`, ids no longer listed become inactive (history kept,
        no longer scheduled), inactive ids listed again become active. Skipped with one SELECT when unchanged.
        `fingerprint` is `bank_fingerprint(entries)` when the caller already knows it.
        """
        if fingerprint is None:
            fingerprint = bank_fingerprint(entries)
        if self.bank_synced(fingerprint):
            return SyncReport(skipped=True)
        at = to_ms(now)
        with self._write("the question bank") as conn:
            conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bank_sync "
                "(id TEXT PRIMARY KEY, hash TEXT NOT NULL, era TEXT NOT NULL, kind TEXT NOT NULL, "
                "position INTEGER NOT NULL)"
            )
            conn.execute("DELETE FROM temp.bank_sync")
            conn.executemany(
                "INSERT OR IGNORE INTO temp.bank_sync(id, hash, era, kind, position) VALUES (?, ?, ?, ?, ?)",
                ((qid, chash, era, kind, pos) for pos, (qid, chash, era, kind) in enumerate(entries)),
            )
            new, changed, restored = conn.execute(
                "SELECT COALESCE(SUM(q.qid IS NULL), 0), "
                "COALESCE(SUM(q.qid IS NOT NULL AND q.content_hash <> b.hash), 0), "
                "COALESCE(SUM(q.active = 0), 0) "
                "FROM temp.bank_sync b LEFT JOIN questions q ON q.id = b.id"
            ).fetchone()
            removed = conn.execute(
                "UPDATE questions SET active = 0 WHERE active = 1 AND id NOT IN (SELECT id FROM temp.bank_sync)"
            ).rowcount
            conn.execute(
                "INSERT INTO questions(id, content_hash, era, kind, position, active, first_seen, changed_at) "
                "SELECT id, hash, era, kind, position, 1, :at, :at FROM temp.bank_sync WHERE true "
                "ON CONFLICT(id) DO UPDATE SET "
                "changed_at = CASE WHEN content_hash <> excluded.content_hash THEN :at ELSE changed_at END, "
                "content_hash = excluded.content_hash, era = excluded.era, kind = excluded.kind, "
                "position = excluded.position, active = 1 "
                "WHERE content_hash <> excluded.content_hash OR era <> excluded.era OR kind <> excluded.kind "
                "OR position <> excluded.position OR active = 0",
                {"at": at},
            )
            conn.execute("DELETE FROM temp.bank_sync")
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (_FINGERPRINT_KEY, fingerprint),
            )
        return SyncReport(new=new, changed=changed, removed=removed, restored=restored)

    def question_meta(self, ids: Iterable[str] | None = None) -> dict[str, QuestionMeta]:
        """{id: (content_hash, first_seen, changed_at)} for the given ids (all known questions when None)."""
        sql = "SELECT id, content_hash, first_seen, changed_at FROM questions"
        params: tuple[Any, ...] = ()
        if ids is not None:
            sql += " WHERE id IN (SELECT value FROM json_each(?))"
            params = (json.dumps(list(ids)),)
        return {
            qid: QuestionMeta(chash, from_ms(first), from_ms(changed))
            for qid, chash, first, changed in self._rows(sql, params)
        }

    # -- cards -----------------------------------------------------------------------------------------------------

    def card(self, profile: str, question_id: str) -> CardState:
        """The card's scheduling state (a NEW state when the learner never saw it)."""
        rows = self._rows(
            f"SELECT {_STATE_COLS} FROM cards c JOIN profiles p ON p.id = c.profile_id "
            "JOIN questions q ON q.qid = c.qid WHERE p.name = ? AND q.id = ?",
            (profile, question_id),
        )
        return _state(question_id, rows[0]) if rows else CardState(question_id)

    def cards(self, profile: str, question_ids: Collection[str]) -> dict[str, CardState]:
        """Every requested card's state (NEW for those never seen)."""
        result = {qid: CardState(qid) for qid in question_ids}
        rows = self._rows(
            f"SELECT q.id, {_STATE_COLS} FROM cards c JOIN profiles p ON p.id = c.profile_id "
            "JOIN questions q ON q.qid = c.qid "
            "WHERE p.name = ? AND q.id IN (SELECT value FROM json_each(?))",
            (profile, json.dumps(list(question_ids))),
        )
        for row in rows:
            result[row[0]] = _state(row[0], row[1:])
        return result

    def flags(self, profile: str, question_id: str) -> CardFlags:
        rows = self._rows(
            "SELECT c.suspended, c.buried_until, c.leech FROM cards c JOIN profiles p ON p.id = c.profile_id "
            "JOIN questions q ON q.qid = c.qid WHERE p.name = ? AND q.id = ?",
            (profile, question_id),
        )
        if not rows:
            return CardFlags()
        suspended, buried, leech = rows[0]
        return CardFlags(bool(suspended), _opt_dt(buried), bool(leech))

    def due_reviews(
        self, profile: str, now: datetime, day_end: datetime, limit: int, only: Collection[str] | None = None
    ) -> list[CardState]:
        """Cards to review now: learning/relearning due by `now` first, then review cards due before `day_end`.

        Only active, unsuspended, unburied questions; `only` restricts to those ids.
        """
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return []
        now_ms, end_ms = to_ms(now), to_ms(day_end)
        params: dict[str, Any] = {
            "profile": pid,
            "now": now_ms,
            "day_end": end_ms,
            "horizon": max(end_ms, now_ms + 1),
            "limit": limit,
        }
        rows = self._rows(self._only(SQL_DUE, only, params), params)
        return [_state(row[0], row[1:]) for row in rows]

    def due_counts(
        self, profile: str, now: datetime, day_end: datetime, only: Collection[str] | None = None
    ) -> tuple[int, int]:
        """How many cards `due_reviews` would list (without a limit): (learning or relearning, review)."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return 0, 0
        now_ms, end_ms = to_ms(now), to_ms(day_end)
        params: dict[str, Any] = {"profile": pid, "now": now_ms, "day_end": end_ms, "horizon": max(end_ms, now_ms + 1)}
        learning, review = self._rows(self._only(SQL_DUE_COUNTS, only, params), params)[0]
        return int(learning), int(review)

    def learning_due_within(
        self, profile: str, now: datetime, until: datetime, only: Collection[str] | None = None
    ) -> list[CardState]:
        """Learning/relearning cards due by `until` (a missed card coming back later in the session), by due."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return []
        params: dict[str, Any] = {"profile": pid, "now": to_ms(now), "until": to_ms(until)}
        rows = self._rows(self._only(SQL_LEARNING_WITHIN, only, params), params)
        return [_state(row[0], row[1:]) for row in rows]

    def new_questions(
        self, profile: str, now: datetime, limit: int, only: Collection[str] | None = None
    ) -> list[str]:
        """Ids of active questions the learner has not started (not suspended or buried), in bank order."""
        pid = self._read(lambda: self._pid(profile))
        params: dict[str, Any] = {"profile": -1 if pid is None else pid, "now": to_ms(now), "limit": limit}
        return [row[0] for row in self._rows(self._only(SQL_NEW, only, params), params)]

    def next_due(self, profile: str, now: datetime, only: Collection[str] | None = None) -> datetime | None:
        """When the earliest started, unsuspended, active card is due (a buried one: when it is unburied)."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return None
        params: dict[str, Any] = {"profile": pid, "now": to_ms(now)}
        candidates = [row[0] for row in self._rows(self._only(SQL_NEXT_DUE, only, params), params)]
        candidates += [row[0] for row in self._rows(self._only(SQL_NEXT_DUE_BURIED, only, params), params)]
        found = [ms for ms in candidates if ms is not None]
        return from_ms(min(found)) if found else None

    # -- answers ---------------------------------------------------------------------------------------------------

    def record_answer(
        self,
        profile: str,
        question_id: str,
        *,
        before: CardState,
        after: CardState,
        rating: Rating,
        answer: str,
        correct: bool | None,
        duration_ms: int,
        reviewed_at: datetime,
        day: str,
        retrievability: float | None,
        leech_threshold: int = 8,
    ) -> ReviewRecord:
        """Save one answer in one transaction: the card's new state, the review row, the leech flag.

        `before` must be the card as stored (as read from this store); CardChanged when another session changed it
        meanwhile. `became_leech` on the result says whether this answer just made the card a leech.
        """
        interval = None
        if after.due is not None and after.last_review is not None:
            interval = (after.due - after.last_review) / timedelta(days=1)
        with self._write("this answer") as conn:
            pid = self._pid_create(profile, reviewed_at)
            qid = self._qid(question_id)
            row = conn.execute(
                f"SELECT {_STATE_COLS}, c.leech FROM cards c WHERE c.profile_id = ? AND c.qid = ?", (pid, qid)
            ).fetchone()
            current = _state_row(CardState(question_id)) if row is None else tuple(row[:8])
            if current != _state_row(before):
                raise CardChanged(
                    f"'{question_id}' changed since it was read (answered in another session?); "
                    "nothing was saved of this answer, read the card again"
                )
            was_leech = bool(row[8]) if row is not None else False
            became_leech = not was_leech and leech_threshold > 0 and after.lapses >= leech_threshold
            after_row = _state_row(after)
            conn.execute(
                "INSERT INTO cards(profile_id, qid, phase, step, stability, difficulty, due, last_review, lapses, "
                "reps, leech) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(profile_id, qid) DO UPDATE SET phase = excluded.phase, step = excluded.step, "
                "stability = excluded.stability, difficulty = excluded.difficulty, due = excluded.due, "
                "last_review = excluded.last_review, lapses = excluded.lapses, reps = excluded.reps, "
                "leech = MAX(leech, excluded.leech)",
                (pid, qid, *after_row, int(became_leech)),
            )
            cursor = conn.execute(
                "INSERT INTO reviews(profile_id, qid, reviewed_at, day, rating, answer, correct, duration_ms, "
                "retrievability, phase_before, step_before, stability_before, difficulty_before, due_before, "
                "last_review_before, lapses_before, reps_before, phase_after, step_after, stability_after, "
                "difficulty_after, due_after, last_review_after, lapses_after, reps_after, interval_days, "
                "became_leech) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?)",
                (
                    pid,
                    qid,
                    to_ms(reviewed_at),
                    day,
                    int(rating),
                    answer,
                    None if correct is None else int(correct),
                    int(duration_ms),
                    retrievability,
                    *_state_row(before),
                    *after_row,
                    interval,
                    int(became_leech),
                ),
            )
            rid = int(cursor.lastrowid or 0)
        review = Review(question_id, reviewed_at, Rating(rating), answer, correct, int(duration_ms), before, after)
        return ReviewRecord(rid, review, day, retrievability, interval, became_leech)

    def undo_last(self, profile: str, review_id: int | None = None) -> tuple[str, CardState] | None:
        """Delete the profile's latest review (or review `review_id`, the one a session just recorded, so that
        another session's answers are never undone) and restore its card exactly as it was; None when there is
        none. CardChanged when the card changed after that review (it was reset, or answered in another session).
        """
        with self._write("the undo") as conn:
            pid = self._pid(profile)
            if pid is None:
                return None
            where = "r.profile_id = ?" + (" AND r.id = ?" if review_id is not None else "")
            params = (pid,) if review_id is None else (pid, review_id)
            row = conn.execute(
                f"SELECT {_REVIEW_COLS}, r.qid FROM reviews r JOIN questions q ON q.qid = r.qid "
                f"WHERE {where} ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1",
                params,
            ).fetchone()
            if row is None:
                return None
            record, qid = _record(row[:-1]), row[-1]
            question_id = record.review.question_id
            card = conn.execute(
                f"SELECT {_STATE_COLS}, c.suspended, c.buried_until, c.leech FROM cards c "
                "WHERE c.profile_id = ? AND c.qid = ?",
                (pid, qid),
            ).fetchone()
            if card is None or tuple(card[:8]) != tuple(row[19:27]):
                raise CardChanged(
                    f"cannot undo the last answer to '{question_id}': the card changed since "
                    "(reset, or answered in another session)"
                )
            suspended, buried, leech = card[8:]
            leech = 0 if record.became_leech else leech
            before = record.review.before
            conn.execute("DELETE FROM reviews WHERE id = ?", (record.id,))
            if before.is_new and not suspended and buried is None and not leech and before.reps == 0:
                conn.execute("DELETE FROM cards WHERE profile_id = ? AND qid = ?", (pid, qid))
            else:
                conn.execute(
                    "UPDATE cards SET phase = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
                    "last_review = ?, lapses = ?, reps = ?, leech = ? WHERE profile_id = ? AND qid = ?",
                    (*_state_row(before), leech, pid, qid),
                )
        return question_id, before

    def rerate(
        self, profile: str, review_id: int, *, rating: Rating, after: CardState, leech_threshold: int = 8
    ) -> ReviewRecord:
        """Change the rating of a review just recorded (the learner overrode the grader), in one transaction:
        the review row and the card take the new after-state. CardChanged when the card moved on since."""
        interval = None
        if after.due is not None and after.last_review is not None:
            interval = (after.due - after.last_review) / timedelta(days=1)
        with self._write("the new rating") as conn:
            pid = self._pid(profile)
            row = conn.execute(
                f"SELECT {_REVIEW_COLS}, r.qid FROM reviews r JOIN questions q ON q.qid = r.qid "
                "WHERE r.profile_id = ? AND r.id = ?",
                (pid, review_id),
            ).fetchone()
            if row is None:
                raise CardChanged(f"review {review_id} is gone (undone in another session?); nothing was changed")
            record, qid = _record(row[:-1]), row[-1]
            card = conn.execute(
                f"SELECT {_STATE_COLS}, c.leech FROM cards c WHERE c.profile_id = ? AND c.qid = ?", (pid, qid)
            ).fetchone()
            if card is None or tuple(card[:8]) != tuple(row[19:27]):
                raise CardChanged(
                    f"cannot change the rating of '{record.review.question_id}': the card changed since "
                    "(answered in another session?)"
                )
            was_leech = bool(card[8]) and not record.became_leech
            became_leech = not was_leech and leech_threshold > 0 and after.lapses >= leech_threshold
            after_row = _state_row(after)
            conn.execute(
                "UPDATE reviews SET rating = ?, phase_after = ?, step_after = ?, stability_after = ?, "
                "difficulty_after = ?, due_after = ?, last_review_after = ?, lapses_after = ?, reps_after = ?, "
                "interval_days = ?, became_leech = ? WHERE id = ?",
                (int(rating), *after_row, interval, int(became_leech), review_id),
            )
            conn.execute(
                "UPDATE cards SET phase = ?, step = ?, stability = ?, difficulty = ?, due = ?, last_review = ?, "
                "lapses = ?, reps = ?, leech = ? WHERE profile_id = ? AND qid = ?",
                (*after_row, int(was_leech or became_leech), pid, qid),
            )
        old = record.review
        review = Review(old.question_id, old.reviewed_at, Rating(rating), old.answer, old.correct, old.duration_ms,
                        old.before, after)
        return ReviewRecord(review_id, review, record.day, record.retrievability, interval, became_leech)

    # -- card flags and resets -------------------------------------------------------------------------------------

    def _set_flag(self, profile: str, question_id: str, column: str, value: int | None, what: str) -> None:
        with self._write(what) as conn:
            pid = self._pid_create(profile, None)
            qid = self._qid(question_id)
            conn.execute(
                f"INSERT INTO cards(profile_id, qid, {column}) VALUES (?, ?, ?) "
                f"ON CONFLICT(profile_id, qid) DO UPDATE SET {column} = excluded.{column}",
                (pid, qid, value),
            )
            self._tidy(pid, qid)

    def _tidy(self, pid: int, qid: int | None = None) -> None:
        """Drop card rows that say nothing (new, never reviewed, no flags): no row means exactly that."""
        sql = (
            "DELETE FROM cards WHERE profile_id = ? AND phase = 0 AND reps = 0 AND lapses = 0 AND suspended = 0 "
            "AND buried_until IS NULL AND leech = 0"
        )
        self.conn.execute(sql + (" AND qid = ?" if qid is not None else ""), (pid, qid) if qid is not None else (pid,))

    def set_suspended(self, profile: str, question_id: str, suspended: bool) -> None:
        self._set_flag(profile, question_id, "suspended", int(suspended), "the suspension")

    def bury(self, profile: str, question_id: str, until: datetime | None) -> None:
        """Hide the card until `until` (None unburies it)."""
        self._set_flag(profile, question_id, "buried_until", _opt_ms(until), "the burial")

    def reset(self, profile: str, question_ids: Collection[str] | None = None) -> int:
        """Put cards back to new (all of the profile's when None); the review log is kept. Returns how many."""
        with self._write("the reset") as conn:
            pid = self._pid(profile)
            if pid is None:
                return 0
            sql = (
                "UPDATE cards SET phase = 0, step = NULL, stability = NULL, difficulty = NULL, due = NULL, "
                "last_review = NULL, lapses = 0, reps = 0, leech = 0 WHERE profile_id = ? AND (phase > 0 OR reps > 0)"
            )
            params: tuple[Any, ...] = (pid,)
            if question_ids is not None:
                sql += " AND qid IN (SELECT qid FROM questions WHERE id IN (SELECT value FROM json_each(?)))"
                params += (json.dumps(list(question_ids)),)
            count = conn.execute(sql, params).rowcount
            self._tidy(pid)
        return count

    # -- history and day figures -----------------------------------------------------------------------------------

    def reviews(self, profile: str, question_id: str) -> list[ReviewRecord]:
        """Every review of the question by the profile, oldest first."""
        rows = self._rows(
            f"SELECT {_REVIEW_COLS} FROM reviews r JOIN questions q ON q.qid = r.qid "
            "JOIN profiles p ON p.id = r.profile_id WHERE p.name = ? AND q.id = ? ORDER BY r.reviewed_at, r.id",
            (profile, question_id),
        )
        return [_record(row) for row in rows]

    def today_counts(self, profile: str, day: str) -> DayCounts:
        """Answers on study day `day`: to new cards, and to cards in review (learning steps count in neither)."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return DayCounts(0, 0)
        new, review = self._rows(SQL_TODAY, {"profile": pid, "day": day})[0]
        return DayCounts(new, review)

    def streak(self, profile: str, today: str) -> int:
        """Consecutive study days with answers, ending today (or yesterday when nothing was answered yet today)."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return 0
        # The study days come from review_days (one row per day with answers, kept by triggers): a walk in
        # Python over a few hundred short rows instead of one index probe per day in SQL (3 years: ~10 ms).
        try:
            cursor = self.conn.execute(
                "SELECT day FROM review_days WHERE profile_id = ? AND day <= ? ORDER BY day DESC", (pid, today))
            streak = 0
            expected = date.fromisoformat(today)
            while rows := cursor.fetchmany(64):
                for (day,) in rows:
                    if day == expected.isoformat():
                        streak += 1
                    elif streak == 0 and day == (expected - timedelta(days=1)).isoformat():
                        streak, expected = 1, expected - timedelta(days=1)  # nothing yet today: from yesterday
                    else:
                        return streak
                    expected -= timedelta(days=1)
            return streak
        except sqlite3.Error as exc:
            raise self._error(exc, "the database") from None

    # -- exports ---------------------------------------------------------------------------------------------------

    def record_export(
        self, profile: str | None, kind: str, path: str, at: datetime, notes: Mapping[str, str]
    ) -> None:
        """Remember what an export wrote: note guid → content hash (older note lists for the same file are dropped)."""
        with self._write("the export record") as conn:
            pid = None if profile is None else self._pid_create(profile, at)
            cursor = conn.execute(
                "INSERT INTO exports(profile_id, kind, path, at, note_count) VALUES (?, ?, ?, ?, ?)",
                (pid, kind, path, to_ms(at), len(notes)),
            )
            export_id = cursor.lastrowid
            conn.executemany(
                "INSERT INTO export_notes(export_id, guid, content_hash) VALUES (?, ?, ?)",
                ((export_id, guid, chash) for guid, chash in notes.items()),
            )
            conn.execute(
                "DELETE FROM export_notes WHERE export_id IN "
                "(SELECT id FROM exports WHERE kind = ? AND path = ? AND id <> ?)",
                (kind, path, export_id),
            )

    def _last_export_row(self, kind: str, path: str | None) -> tuple[Any, ...] | None:
        sql = "SELECT id, at FROM exports WHERE kind = ?"
        params: tuple[Any, ...] = (kind,)
        if path is not None:
            sql += " AND path = ?"
            params += (path,)
        rows = self._rows(sql + " ORDER BY at DESC, id DESC LIMIT 1", params)
        return rows[0] if rows else None

    def last_export(self, kind: str, path: str | None = None) -> Mapping[str, str] | None:
        """Note guid → content hash of the latest export of `kind` (to `path`, when given); None if never."""
        row = self._last_export_row(kind, path)
        if row is None:
            return None
        return dict(self._rows("SELECT guid, content_hash FROM export_notes WHERE export_id = ?", (row[0],)))

    def last_export_at(self, kind: str, path: str | None = None) -> datetime | None:
        """When the latest export of `kind` (to `path`, when given) was made; None if never."""
        row = self._last_export_row(kind, path)
        return None if row is None else from_ms(row[1])


    # -- stats: aggregates for `quiz stats` and the review log for `quiz optimize` ---------------------------------
    # Every figure is an SQL aggregate (GROUP BY day, era, ...) or a bounded list; no method loads the whole log,
    # except `review_log`, which streams it for fitting parameters. `era` restricts to that era's questions.

    def _stats_params(self, profile: str, era: str | None, **values: Any) -> tuple[dict[str, Any], str, str] | None:
        """Query parameters and the era clauses (for reviews, for cards); None when the profile does not exist."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return None
        params: dict[str, Any] = {"profile": pid, **values}
        if era is None:
            return params, "", ""
        params["era"] = era
        return params, _ERA_REVIEWS, _ERA_CARDS

    def stats_days(self, profile: str, since: str, until: str, era: str | None = None) -> list[DayStats]:
        """Per study day from `since` to `until` (inclusive, 'YYYY-MM-DD'): only days with answers, oldest first."""
        found = self._stats_params(profile, era, since=since, until=until)
        if found is None:
            return []
        params, era_reviews, _ = found
        sql = SQL_STATS_DAYS_ALL if era is None else SQL_STATS_DAYS.format(era=era_reviews)
        return [DayStats(*row) for row in self._rows(sql, params)]

    def stats_totals(self, profile: str, era: str | None = None) -> ReviewTotals:
        """All the profile's answers ever, and the time spent on them."""
        found = self._stats_params(profile, era)
        if found is None:
            return ReviewTotals(0, 0)
        params, era_reviews, _ = found
        sql = SQL_STATS_TOTALS_ALL if era is None else SQL_STATS_TOTALS.format(era=era_reviews)
        return ReviewTotals(*self._rows(sql, params)[0])

    def stats_forecast(self, profile: str, bounds: Sequence[tuple[int, int]], era: str | None = None) -> list[int]:
        """How many started, unsuspended cards fall due in each [lo, hi) range of epoch ms (one count per range)."""
        found = self._stats_params(profile, era, bounds=json.dumps([list(pair) for pair in bounds]))
        if found is None:
            return [0] * len(bounds)
        params, _, era_cards = found
        return [row[0] for row in self._rows(SQL_STATS_FORECAST.format(era=era_cards), params)]

    def stats_mastery(self, profile: str, mature_days: int = 21, era: str | None = None) -> list[EraCounts]:
        """Each era's active questions by state (eras in no particular order)."""
        pid = self._read(lambda: self._pid(profile))
        params: dict[str, Any] = {"profile": -1 if pid is None else pid, "mature_ms": mature_days * 86_400_000}
        clause = ""
        if era is not None:
            params["era"] = era
            clause = _ERA_CARDS
        return [EraCounts(*row) for row in self._rows(SQL_STATS_MASTERY.format(era=clause), params)]

    def stats_most_lapses(self, profile: str, limit: int = 10, era: str | None = None) -> list[CardLapses]:
        """The questions forgotten most often (at least once), most lapses first."""
        found = self._stats_params(profile, era, limit=limit)
        if found is None:
            return []
        params, _, era_cards = found
        rows = self._rows(SQL_STATS_LAPSES.format(era=era_cards), params)
        return [CardLapses(qid, lapses, bool(leech)) for qid, lapses, leech in rows]

    def stats_leeches(self, profile: str, limit: int = 10, era: str | None = None) -> tuple[int, list[CardLapses]]:
        """How many questions are marked leeches, and the first `limit` of them (most lapses first)."""
        found = self._stats_params(profile, era, limit=limit)
        if found is None:
            return 0, []
        params, _, era_cards = found
        rows = self._rows(SQL_STATS_LEECHES.format(era=era_cards), params)
        return (rows[0][2] if rows else 0), [CardLapses(qid, lapses, True) for qid, lapses, _ in rows]

    def stats_forgotten(self, profile: str, now: datetime, limit: int = 10, era: str | None = None) -> list[CardMemory]:
        """The review cards with the lowest retrievability at `now` (largest elapsed whole days / stability)."""
        found = self._stats_params(profile, era, now=to_ms(now), limit=limit)
        if found is None:
            return []
        params, _, era_cards = found
        rows = self._rows(SQL_STATS_FORGOTTEN.format(era=era_cards), params)
        return [CardMemory(qid, stability, from_ms(last), lapses) for qid, stability, last, lapses in rows]

    def review_log(self, profile: str) -> Iterator[LogRow]:
        """Every review of the profile, card by card, oldest first (streamed: for fitting FSRS parameters)."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return
        try:
            cursor = self.conn.execute(SQL_REVIEW_LOG, {"profile": pid})
            while True:
                rows = cursor.fetchmany(10_000)
                if not rows:
                    return
                for row in rows:
                    yield LogRow(*row)
        except sqlite3.Error as exc:
            raise self._error(exc, "the database") from None


# --- errors -------------------------------------------------------------------------------------------------------


def _check_file(path: Path) -> None:
    """Cheap checks before SQLite touches the file: the SQLite header, and a file shorter than its header says."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise StoreError(f"cannot read {path} ({exc.strerror}); check its permissions") from None
    if size == 0:
        return  # SQLite treats an empty file as an empty database
    if not header.startswith(_HEADER):
        raise _not_sqlite(str(path))
    if len(header) < 100:
        raise _damaged(str(path), "the file is truncated")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96] and pages > 0
    wal = path.with_name(path.name + "-wal")
    wal_pending = wal.exists() and wal.stat().st_size > 0
    if header_valid and not wal_pending and size < pages * page_size:
        raise _damaged(str(path), "the file is truncated")


def _not_sqlite(label: str) -> StoreError:
    return StoreError(
        f"{label} is not a quiz database (file is not SQLite); move it away or pass --db with another path"
    )


def _damaged(label: str, detail: str) -> StoreError:
    return StoreError(f"{label} is damaged ({detail}); restore a backup (quiz restore) or move it away")


def _no_space_left(label: str) -> bool:
    """Whether the disk holding the database is (all but) full: SQLite reports a full disk met while sizing its
    shared-memory file as an I/O error, not as SQLITE_FULL."""
    try:
        fs = os.statvfs(Path(label).parent)
    except (OSError, AttributeError, ValueError):
        return False
    return fs.f_bavail * fs.f_frsize < 256 * 1024


def _error(exc: sqlite3.Error, label: str, what: str) -> StoreError:
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
        return StoreError(f"{label} is busy: another quiz process kept it locked for 5 seconds; try again")
    if primary == _NOTADB or "file is not a database" in text:
        return _not_sqlite(label)
    if primary == _CORRUPT or "malformed" in text:
        return _damaged(label, "database disk image is malformed")
    if primary == _CANTOPEN or "unable to open" in text:
        return StoreError(
            f"cannot open {label}; check that its folder exists and is writable, or pass --db with another path"
        )
    if io_error:
        return StoreError(f"cannot read or write {label} (disk I/O error); check the disk, nothing was saved of {what}")
    return StoreError(f"database error on {label} ({exc}); nothing was saved of {what}")
