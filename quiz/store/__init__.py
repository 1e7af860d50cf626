"""The progress database: all SQL lives in this package, and only `quiz.model` values (or the small values of
`quiz.store.values`) leave it.

- Times are INTEGER epoch milliseconds UTC (pass times truncated to the millisecond, as `quiz.clock.now()` gives,
  and they round-trip exactly); study days are TEXT 'YYYY-MM-DD'.
- Every write is one `BEGIN IMMEDIATE` transaction, committed at once (WAL, synchronous=FULL, a 5 s busy timeout);
  every sqlite3 error becomes a `StoreError` with one line saying what happened and what to do.

`Store` is a thin facade: each part of it lives in the module that owns that concern —
`connection` (opening, upgrading, transactions, shared lookups), `failures` (file checks, sqlite3 errors for people),
`profiles` (profiles and settings), `sync` (the bank's questions), `cards` (card states, what is due, flags),
`answers` (recording, undoing and re-rating an answer), `reviews` (the review log read back), `exports` (export
bookkeeping), `stats` (statistics queries); `rows` (how values are stored), `values` (what leaves the store) and
`backups` (the SQLite side of `quiz backup` / `quiz restore`).
"""

from __future__ import annotations

from quiz.errors import CardChanged, StoreError
from quiz.store.answers import Answers
from quiz.store.cards import (
    SQL_DUE,
    SQL_DUE_COUNTS,
    SQL_LEARNING_WITHIN,
    SQL_NEW,
    SQL_NEW_ROOM,
    SQL_NEXT_DUE,
    SQL_NEXT_DUE_BURIED,
    Cards,
)
from quiz.store.connection import BUSY_TIMEOUT_MS
from quiz.store.exports import Exports
from quiz.store.profiles import Profiles
from quiz.store.reviews import SQL_STREAK, SQL_TODAY, Reviews
from quiz.store.rows import EPOCH, from_ms, to_ms
from quiz.store.stats import (
    SQL_REVIEW_LOG,
    SQL_STATS_DAYS,
    SQL_STATS_DAYS_ALL,
    SQL_STATS_FORECAST,
    SQL_STATS_FORGOTTEN,
    SQL_STATS_LAPSES,
    SQL_STATS_LEECHES,
    SQL_STATS_MASTERY,
    SQL_STATS_TOTALS,
    SQL_STATS_TOTALS_ALL,
    Stats,
)
from quiz.store.sync import BankSync, bank_fingerprint
from quiz.store.values import (
    CardFlags,
    CardLapses,
    CardMemory,
    DatabaseInfo,
    DayCounts,
    DayStats,
    EraCounts,
    LogRow,
    QuestionMeta,
    ReviewRecord,
    ReviewTotals,
    SyncReport,
)


class Store(Profiles, BankSync, Cards, Answers, Reviews, Exports, Stats):
    """A learner progress database (several profiles may share one file). Use `Store.open(path)`."""


__all__ = [
    "BUSY_TIMEOUT_MS",
    "EPOCH",
    "SQL_DUE",
    "SQL_DUE_COUNTS",
    "SQL_LEARNING_WITHIN",
    "SQL_NEW",
    "SQL_NEW_ROOM",
    "SQL_NEXT_DUE",
    "SQL_NEXT_DUE_BURIED",
    "SQL_REVIEW_LOG",
    "SQL_STATS_DAYS",
    "SQL_STATS_DAYS_ALL",
    "SQL_STATS_FORECAST",
    "SQL_STATS_FORGOTTEN",
    "SQL_STATS_LAPSES",
    "SQL_STATS_LEECHES",
    "SQL_STATS_MASTERY",
    "SQL_STATS_TOTALS",
    "SQL_STATS_TOTALS_ALL",
    "SQL_STREAK",
    "SQL_TODAY",
    "CardChanged",
    "CardFlags",
    "CardLapses",
    "CardMemory",
    "DatabaseInfo",
    "DayCounts",
    "DayStats",
    "EraCounts",
    "LogRow",
    "QuestionMeta",
    "ReviewRecord",
    "ReviewTotals",
    "Store",
    "StoreError",
    "SyncReport",
    "bank_fingerprint",
    "from_ms",
    "to_ms",
]
