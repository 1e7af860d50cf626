"""What `quiz due` asks of the database: today's answers, the due counts, the new questions, the next due time and
the streak. The SQL here is the store's own (`Cards` and `Reviews` ask it too); the functions below ask it over a
bare sqlite3 connection, for the fast path of `quiz due` (`quiz.cli.quick`), which must not pay for `quiz.model`,
the `Store` or sqlite-utils: this module imports only the standard library and `quiz.migrations` (itself free of
imports).

`open_plain` opens a database only in the plain state a warm run finds it in (a writable, healthy file with every
migration applied, the bank synced, the profile there, WAL on); in any other state it raises `Unusual`, and the
full path runs, which knows what to do or what to say.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, timedelta

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

ONLY = "AND q.id IN (SELECT value FROM json_each(:only))"
NOT_BURIED = "(c.buried_until IS NULL OR c.buried_until <= :now)"

SQL_TODAY = """
SELECT COALESCE(SUM(phase_before = 0), 0), COALESCE(SUM(phase_before = 2), 0)
FROM reviews WHERE profile_id = :profile AND day = :day
"""

# What `SQL_DUE` would list, counted: (learning or relearning, review) — `quiz due` needs no rows.
SQL_DUE_COUNTS = f"""
SELECT COALESCE(SUM(c.phase IN (1, 3)), 0), COALESCE(SUM(c.phase = 2), 0)
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.due < :horizon AND c.phase > 0 AND c.suspended = 0 AND {NOT_BURIED}
  AND q.active = 1
  AND CASE WHEN c.phase = 2 THEN c.due < :day_end ELSE c.due <= :now END
  {{only}}
"""

SQL_NEW = f"""
SELECT q.id
FROM questions q LEFT JOIN cards c ON c.profile_id = :profile AND c.qid = q.qid
WHERE q.active = 1
  AND (c.qid IS NULL OR (c.phase = 0 AND c.suspended = 0 AND {NOT_BURIED}))
  {{only}}
ORDER BY q.position
LIMIT :limit
"""

# How many questions `SQL_NEW` could list at most, from the counts migration 0004 keeps (active questions, each
# profile's started or suspended cards of them) and the few new cards buried now: 0 means none, without the walk
# through the bank in `SQL_NEW` (a learner who started every question, each morning).
SQL_NEW_ROOM = """
SELECT (SELECT active FROM question_counts WHERE id = 1)
       - COALESCE((SELECT started FROM card_counts WHERE profile_id = :profile), 0)
       - (SELECT COUNT(*) FROM cards c JOIN questions q ON q.qid = c.qid
          WHERE c.profile_id = :profile AND c.buried_until > :now AND c.phase = 0 AND c.suspended = 0
            AND q.active = 1)
"""

SQL_NEXT_DUE = f"""
SELECT c.due
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.due IS NOT NULL AND c.phase > 0 AND c.suspended = 0 AND {NOT_BURIED}
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

# The study days with answers, latest first (review_days: one row per day, kept by triggers).
SQL_STUDY_DAYS = "SELECT day FROM review_days WHERE profile_id = ? AND day <= ? ORDER BY day DESC"

QUICK_CHECK_MAX_BYTES = 64 << 20
"""`Connection.check_health` reads the whole file (~10 ms per MiB): larger databases are checked by `quiz backup`."""

_HEADER = b"SQLite format 3\x00"


def streak_of(days: Iterable[tuple[str]], today: str) -> int:
    """Consecutive study days among `days` (latest first), ending `today`, or yesterday when `today` has none."""
    streak = 0
    expected = date.fromisoformat(today)
    for (day,) in days:
        if day == expected.isoformat():
            streak += 1
        elif streak == 0 and day == (expected - timedelta(days=1)).isoformat():
            streak, expected = 1, expected - timedelta(days=1)  # nothing yet today: from yesterday
        else:
            return streak
        expected -= timedelta(days=1)
    return streak


# --- the fast path's reads ------------------------------------------------------------------------------------------


class Unusual(Exception):
    """The database is not in the plain state the fast path serves: the full path runs instead."""


def open_plain(path: str, fingerprint: str, profile: str) -> tuple[sqlite3.Connection, int]:
    """The database at `path` and the profile's id, when a full `quiz due` would neither write nor complain: a
    regular, writable, healthy SQLite file in WAL mode, every migration applied, no stale partial copy beside it,
    the bank with `fingerprint` synced, `profile` present. Unusual otherwise."""
    from quiz import migrations

    try:
        info = os.stat(path)
        folder = os.path.dirname(path) or "."
        if not stat.S_ISREG(info.st_mode) or info.st_size < 100 or _header_fault(path, info.st_size) \
                or not os.access(path, os.W_OK) or not os.access(folder, os.W_OK):
            raise Unusual()
        name = os.path.basename(path)
        if any(entry.startswith(name + ".") and entry.endswith(".partial") for entry in os.listdir(folder)):
            raise Unusual()  # the full path removes stale partial copies
    except OSError:
        raise Unusual() from None
    conn = None
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
        conn.execute("PRAGMA busy_timeout = 5000")
        applied = [row[0] for row in conn.execute(
            f"SELECT name FROM {migrations.MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id",
            (migrations.SET_NAME,))]
        if tuple(applied) != migrations.NAMES or conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            raise Unusual()
        if info.st_size <= QUICK_CHECK_MAX_BYTES \
                and [row[0] for row in conn.execute("PRAGMA quick_check(3)")] != ["ok"]:
            raise Unusual()
        synced = conn.execute("SELECT value FROM meta WHERE key = 'bank_fingerprint'").fetchone()
        row = conn.execute("SELECT id FROM profiles WHERE name = ?", (profile,)).fetchone()
        if synced is None or synced[0] != fingerprint or row is None:
            raise Unusual()
        return conn, int(row[0])
    except (sqlite3.Error, Unusual):
        if conn is not None:
            conn.close()
        raise Unusual() from None


def _header_fault(path: str, size: int) -> bool:
    """What `quiz.store.failures.header_fault` finds wrong (not SQLite, truncated), as a yes or no."""
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(_HEADER):
        return True
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96] and pages > 0
    try:
        wal_pending = os.stat(path + "-wal").st_size > 0
    except OSError:
        wal_pending = False
    return header_valid and not wal_pending and size < pages * page_size


def settings_of(conn: sqlite3.Connection, pid: int) -> dict[str, str]:
    """The profile's stored settings, as text."""
    return dict(conn.execute("SELECT key, value FROM settings WHERE profile_id = ?", (pid,)).fetchall())


def today_counts(conn: sqlite3.Connection, pid: int, day: str) -> tuple[int, int]:
    """Answers on study day `day`: (to new cards, to cards in review), as `Store.today_counts`."""
    new, review = conn.execute(SQL_TODAY, {"profile": pid, "day": day}).fetchone()
    return int(new), int(review)


def due_counts(conn: sqlite3.Connection, pid: int, now_ms: int, end_ms: int) -> tuple[int, int]:
    """(learning or relearning, review) due, as `Store.due_counts` without `only`."""
    params = {"profile": pid, "now": now_ms, "day_end": end_ms, "horizon": max(end_ms, now_ms + 1)}
    learning, review = conn.execute(SQL_DUE_COUNTS.format(only=""), params).fetchone()
    return int(learning), int(review)


def new_count(conn: sqlite3.Connection, pid: int, now_ms: int, limit: int) -> int:
    """How many new questions `Store.new_questions` would list, up to `limit` (> 0)."""
    params = {"profile": pid, "now": now_ms, "limit": limit}
    room = conn.execute(SQL_NEW_ROOM, params).fetchone()[0]
    if room is not None and room <= 0:
        return 0
    return len(conn.execute(SQL_NEW.format(only=""), params).fetchall())


def next_due_ms(conn: sqlite3.Connection, pid: int, now_ms: int) -> int | None:
    """When the earliest started card is due, as `Store.next_due` (epoch ms)."""
    params = {"profile": pid, "now": now_ms}
    found = [row[0] for sql in (SQL_NEXT_DUE, SQL_NEXT_DUE_BURIED)
             for row in conn.execute(sql.format(only=""), params) if row[0] is not None]
    return min(found) if found else None


def streak(conn: sqlite3.Connection, pid: int, today: str) -> int:
    cursor = conn.execute(SQL_STUDY_DAYS, (pid, today))
    cursor.arraysize = 64
    return streak_of(cursor, today)
