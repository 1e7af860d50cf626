"""The progress database: all SQL lives in this package, and only `quiz.model` values (or the small values of
`quiz.store.values`) leave it.

- Times are INTEGER epoch milliseconds UTC (pass times truncated to the millisecond, as `quiz.clock.now()` gives,
  and they round-trip exactly); study days are TEXT 'YYYY-MM-DD'.
- Every write is one `BEGIN IMMEDIATE` transaction, committed at once (WAL, synchronous=FULL, a 5 s busy timeout);
  every sqlite3 error becomes a `StoreError` with one line saying what happened and what to do.

`Store` (`facade`) is a thin facade: each part of it lives in the module that owns that concern —
`connection` (opening, upgrading, transactions, shared lookups), `failures` (file checks, sqlite3 errors for people),
`profiles` (profiles and settings), `sync` (the bank's questions), `cards` (card states, what is due, flags),
`answers` (recording, undoing and re-rating an answer), `reviews` (the review log read back), `exports` (export
bookkeeping), `stats` (statistics queries); `rows` (how values are stored), `values` (what leaves the store) and
`backups` (the SQLite side of `quiz backup` / `quiz restore`); `status` (what `quiz due` asks, also over a bare
sqlite3 connection for its fast path). Names are imported from their modules on first use.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing costs ~7 ms, and `quiz due`'s fast path reads quiz.store.status
if TYPE_CHECKING:
    from quiz.errors import CardChanged, StoreError
    from quiz.store.cards import (
        SQL_DUE,
        SQL_DUE_COUNTS,
        SQL_LEARNING_WITHIN,
        SQL_NEW,
        SQL_NEW_ROOM,
        SQL_NEXT_DUE,
        SQL_NEXT_DUE_BURIED,
    )
    from quiz.store.connection import BUSY_TIMEOUT_MS
    from quiz.store.facade import Store
    from quiz.store.reviews import SQL_STREAK, SQL_TODAY
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
    )
    from quiz.store.sync import bank_fingerprint
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
        Repeated,
        ReviewRecord,
        ReviewTotals,
        SyncReport,
    )

_HOMES: dict[str, str] = {
    "BUSY_TIMEOUT_MS": "quiz.store.connection",
    "EPOCH": "quiz.store.rows",
    "SQL_DUE": "quiz.store.cards",
    "SQL_DUE_COUNTS": "quiz.store.cards",
    "SQL_LEARNING_WITHIN": "quiz.store.cards",
    "SQL_NEW": "quiz.store.cards",
    "SQL_NEW_ROOM": "quiz.store.cards",
    "SQL_NEXT_DUE": "quiz.store.cards",
    "SQL_NEXT_DUE_BURIED": "quiz.store.cards",
    "SQL_REVIEW_LOG": "quiz.store.stats",
    "SQL_STATS_DAYS": "quiz.store.stats",
    "SQL_STATS_DAYS_ALL": "quiz.store.stats",
    "SQL_STATS_FORECAST": "quiz.store.stats",
    "SQL_STATS_FORGOTTEN": "quiz.store.stats",
    "SQL_STATS_LAPSES": "quiz.store.stats",
    "SQL_STATS_LEECHES": "quiz.store.stats",
    "SQL_STATS_MASTERY": "quiz.store.stats",
    "SQL_STATS_TOTALS": "quiz.store.stats",
    "SQL_STATS_TOTALS_ALL": "quiz.store.stats",
    "SQL_STREAK": "quiz.store.reviews",
    "SQL_TODAY": "quiz.store.reviews",
    "CardChanged": "quiz.errors",
    "CardFlags": "quiz.store.values",
    "CardLapses": "quiz.store.values",
    "CardMemory": "quiz.store.values",
    "DatabaseInfo": "quiz.store.values",
    "DayCounts": "quiz.store.values",
    "DayStats": "quiz.store.values",
    "EraCounts": "quiz.store.values",
    "LogRow": "quiz.store.values",
    "QuestionMeta": "quiz.store.values",
    "Repeated": "quiz.store.values",
    "ReviewRecord": "quiz.store.values",
    "ReviewTotals": "quiz.store.values",
    "Store": "quiz.store.facade",
    "StoreError": "quiz.errors",
    "SyncReport": "quiz.store.values",
    "bank_fingerprint": "quiz.store.sync",
    "from_ms": "quiz.store.rows",
    "to_ms": "quiz.store.rows",
}
"""Each public name -> the module that defines it: imported on first use (PEP 562), so that importing a part of the
store (`quiz.store.status`, for `quiz due`'s fast path) does not import every part, `quiz.model` and
`quiz.errors` with it."""


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'quiz.store' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(_HOMES)


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
    "Repeated",
    "ReviewRecord",
    "ReviewTotals",
    "Store",
    "StoreError",
    "SyncReport",
    "bank_fingerprint",
    "from_ms",
    "to_ms",
]
