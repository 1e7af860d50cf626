"""The schema of the progress database, as an append-only list of migrations (sqlite-utils `Migrations`).

NEVER edit, rename, reorder or remove a migration once it is committed: databases in the field have applied it.
To change the schema, append a new step to `STEPS`. Every step must be transactional (no VACUUM).

Conventions: times are INTEGER epoch milliseconds UTC; study days are TEXT 'YYYY-MM-DD' (the learner's day, which
rolls over at 04:00 local); booleans are INTEGER 0/1; card phases are `quiz.model.CardPhase` values.

This module imports nothing at run time (sqlite-utils only inside `migrations()` and `database()`), so `store` can
compare `NAMES` with what a database has applied without paying for any import on every run.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's (~7 ms): `quiz due`'s fast path compares NAMES without importing anything
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from typing import Any

    from sqlite_utils import Database, Migrations

SET_NAME = "quiz"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' own table: (id, migration_set, name, applied_at)


def _run(db: Database, statements: tuple[str, ...]) -> None:
    for statement in statements:
        db.execute(statement)


# --- 0001: profiles, settings, the bank's questions, cards and the review log (committed: do not edit) ---------
_CORE = (
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE profiles (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
    )""",
    """CREATE TABLE settings (
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (profile_id, key)
    ) WITHOUT ROWID""",
    """CREATE TABLE questions (
        qid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        era TEXT NOT NULL,
        kind TEXT NOT NULL,
        position INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        first_seen INTEGER NOT NULL,
        changed_at INTEGER NOT NULL
    )""",
    "CREATE INDEX questions_active_position ON questions(active, position)",
    """CREATE TABLE cards (
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        qid INTEGER NOT NULL REFERENCES questions(qid),
        phase INTEGER NOT NULL DEFAULT 0 CHECK (phase BETWEEN 0 AND 3),
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due INTEGER,
        last_review INTEGER,
        lapses INTEGER NOT NULL DEFAULT 0,
        reps INTEGER NOT NULL DEFAULT 0,
        suspended INTEGER NOT NULL DEFAULT 0,
        buried_until INTEGER,
        leech INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (profile_id, qid)
    ) WITHOUT ROWID""",
    "CREATE INDEX cards_due ON cards(profile_id, due)",
    "CREATE INDEX cards_buried ON cards(profile_id, buried_until) WHERE buried_until IS NOT NULL",
    """CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        qid INTEGER NOT NULL REFERENCES questions(qid),
        reviewed_at INTEGER NOT NULL,
        day TEXT NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        answer TEXT NOT NULL DEFAULT '',
        correct INTEGER,
        duration_ms INTEGER NOT NULL DEFAULT 0,
        retrievability REAL,
        phase_before INTEGER NOT NULL,
        step_before INTEGER,
        stability_before REAL,
        difficulty_before REAL,
        due_before INTEGER,
        last_review_before INTEGER,
        lapses_before INTEGER NOT NULL,
        reps_before INTEGER NOT NULL,
        phase_after INTEGER NOT NULL,
        step_after INTEGER,
        stability_after REAL,
        difficulty_after REAL,
        due_after INTEGER,
        last_review_after INTEGER,
        lapses_after INTEGER NOT NULL,
        reps_after INTEGER NOT NULL,
        interval_days REAL,
        became_leech INTEGER NOT NULL DEFAULT 0
    )""",
    # Undo (latest review), time ranges (retention over N days).
    "CREATE INDEX reviews_profile_time ON reviews(profile_id, reviewed_at)",
    # Covering index for per-day figures: today's counts, streak, heatmap, retention, time spent.
    "CREATE INDEX reviews_profile_day ON reviews(profile_id, day, phase_before, rating, duration_ms)",
    # `quiz history ID`.
    "CREATE INDEX reviews_profile_question ON reviews(profile_id, qid, reviewed_at)",
)


def m0001_core(db: Database) -> None:
    _run(db, _CORE)


# --- 0002: what each export wrote, so the next export can tell new / changed / unchanged (committed) ------------
_EXPORTS = (
    """CREATE TABLE exports (
        id INTEGER PRIMARY KEY,
        profile_id INTEGER REFERENCES profiles(id) ON DELETE SET NULL,
        kind TEXT NOT NULL,
        path TEXT NOT NULL,
        at INTEGER NOT NULL,
        note_count INTEGER NOT NULL
    )""",
    "CREATE INDEX exports_kind_at ON exports(kind, at)",
    """CREATE TABLE export_notes (
        export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        PRIMARY KEY (export_id, guid)
    ) WITHOUT ROWID""",
)


def m0002_exports(db: Database) -> None:
    _run(db, _EXPORTS)


# --- 0003: answers per profile and study day, kept by triggers, so `quiz stats` never scans the review log -------
# (heatmap, retention, time spent, totals: one row per day instead of one per answer; 2M answers ≈ 1,100 rows).
_DAY_ROW = "NEW.phase_before = 2, NEW.phase_before = 2 AND NEW.rating > 1, NEW.phase_before = 0, NEW.duration_ms"
_ADD_NEW = f"""INSERT INTO review_days(profile_id, day, reviews, review_phase, review_passed, new, duration_ms)
    VALUES (NEW.profile_id, NEW.day, 1, {_DAY_ROW})
    ON CONFLICT(profile_id, day) DO UPDATE SET reviews = reviews + 1,
      review_phase = review_phase + excluded.review_phase, review_passed = review_passed + excluded.review_passed,
      new = new + excluded.new, duration_ms = duration_ms + excluded.duration_ms;"""
_TAKE_OLD = """UPDATE review_days SET reviews = reviews - 1, review_phase = review_phase - (OLD.phase_before = 2),
      review_passed = review_passed - (OLD.phase_before = 2 AND OLD.rating > 1),
      new = new - (OLD.phase_before = 0), duration_ms = duration_ms - OLD.duration_ms
    WHERE profile_id = OLD.profile_id AND day = OLD.day;
    DELETE FROM review_days WHERE profile_id = OLD.profile_id AND day = OLD.day AND reviews <= 0;"""
_REVIEW_DAYS = (
    """CREATE TABLE review_days (
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        reviews INTEGER NOT NULL,
        review_phase INTEGER NOT NULL,
        review_passed INTEGER NOT NULL,
        new INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        PRIMARY KEY (profile_id, day)
    ) WITHOUT ROWID""",
    """INSERT INTO review_days(profile_id, day, reviews, review_phase, review_passed, new, duration_ms)
    SELECT profile_id, day, COUNT(*), SUM(phase_before = 2), SUM(phase_before = 2 AND rating > 1),
           SUM(phase_before = 0), SUM(duration_ms)
    FROM reviews GROUP BY profile_id, day""",
    f"CREATE TRIGGER review_days_insert AFTER INSERT ON reviews BEGIN\n    {_ADD_NEW}\nEND",
    f"CREATE TRIGGER review_days_delete AFTER DELETE ON reviews BEGIN\n    {_TAKE_OLD}\nEND",
    "CREATE TRIGGER review_days_update AFTER UPDATE OF profile_id, day, rating, phase_before, duration_ms ON reviews "
    f"BEGIN\n    {_TAKE_OLD}\n    {_ADD_NEW}\nEND",
)


def m0003_review_days(db: Database) -> None:
    _run(db, _REVIEW_DAYS)


# --- 0004: indexes that answer the big reads by themselves, and the counts that let `quiz due` skip a scan -------
# - The review log for `quiz optimize` (`SQL_REVIEW_LOG`, in (qid, reviewed_at, id) order) read from the index
#   alone; it still serves a question's history (2M reviews: 4.5 s -> 0.8 s).
# - What falls due per day (`SQL_STATS_FORECAST`), the due counts and the next due time without a look-up of every
#   card in the table (this index replaces cards_due, of which it is an extension).
# - Mastery per era (`SQL_STATS_MASTERY`) in index order, covering: no temporary B-tree.
# - How many of each profile's cards of active questions are started or suspended (`card_counts`), and how many
#   questions are active (`question_counts`), kept by triggers: when they are equal (with the few buried new cards)
#   no question is new, and `Store.new_questions` answers without walking the bank (`quiz due` on a new day's morning).
_STARTED = "(phase <> 0 OR suspended <> 0)"  # the negation of SQL_NEW's `c.phase = 0 AND c.suspended = 0`


def _count_card(row: str, sign: str) -> str:
    """Add (`+`) or take (`-`) one from the started count of `row`'s profile (NEW or OLD) when that card is started
    or suspended and its question active. Taking only updates: a profile being deleted has lost its row first."""
    started = _STARTED.replace("phase", f"{row}.phase").replace("suspended", f"{row}.suspended")
    if sign == "-":
        return f"""UPDATE card_counts SET started = started - 1 WHERE profile_id = {row}.profile_id AND {started}
      AND EXISTS (SELECT 1 FROM questions WHERE qid = {row}.qid AND active = 1);"""
    return f"""INSERT INTO card_counts(profile_id, started)
      SELECT {row}.profile_id, 1 FROM questions WHERE qid = {row}.qid AND active = 1 AND {started}
      ON CONFLICT(profile_id) DO UPDATE SET started = started + 1;"""


_FAST_READS = (
    "DROP INDEX reviews_profile_question",
    # `quiz history ID`, and the review log for `quiz optimize` from the index alone.
    "CREATE INDEX reviews_profile_question_log ON reviews(profile_id, qid, reviewed_at, id, rating, phase_before)",
    "DROP INDEX cards_due",
    # What is due, the forecast per day, the next due time: covering for the counts.
    "CREATE INDEX cards_due_state ON cards(profile_id, due, phase, suspended)",
    # Mastery per era.
    "CREATE INDEX questions_active_era ON questions(active, era, qid)",
    """CREATE TABLE card_counts (
        profile_id INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
        started INTEGER NOT NULL
    )""",
    """INSERT INTO card_counts(profile_id, started)
    SELECT c.profile_id, COUNT(*) FROM cards c JOIN questions q ON q.qid = c.qid
    WHERE q.active = 1 AND (c.phase <> 0 OR c.suspended <> 0) GROUP BY c.profile_id""",
    f"CREATE TRIGGER card_counts_insert AFTER INSERT ON cards BEGIN\n    {_count_card('NEW', '+')}\nEND",
    f"CREATE TRIGGER card_counts_delete AFTER DELETE ON cards BEGIN\n    {_count_card('OLD', '-')}\nEND",
    "CREATE TRIGGER card_counts_update AFTER UPDATE OF profile_id, qid, phase, suspended ON cards "
    "WHEN OLD.profile_id <> NEW.profile_id OR OLD.qid <> NEW.qid "
    "OR (OLD.phase <> 0 OR OLD.suspended <> 0) <> (NEW.phase <> 0 OR NEW.suspended <> 0) "
    f"BEGIN\n    {_count_card('OLD', '-')}\n    {_count_card('NEW', '+')}\nEND",
    """CREATE TABLE question_counts (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        active INTEGER NOT NULL
    )""",
    "INSERT INTO question_counts(id, active) SELECT 1, COUNT(*) FROM questions WHERE active = 1",
    "CREATE TRIGGER question_counts_insert AFTER INSERT ON questions WHEN NEW.active = 1 BEGIN\n"
    "    UPDATE question_counts SET active = active + 1;\nEND",
    "CREATE TRIGGER question_counts_delete AFTER DELETE ON questions WHEN OLD.active = 1 BEGIN\n"
    "    UPDATE question_counts SET active = active - 1;\nEND",
    # A question (de)activated: its count, and the started count of every profile with a started card of it.
    f"""CREATE TRIGGER question_counts_update AFTER UPDATE OF active ON questions
    WHEN (OLD.active = 1) <> (NEW.active = 1) BEGIN
    UPDATE question_counts SET active = active + (NEW.active = 1) - (OLD.active = 1);
    INSERT INTO card_counts(profile_id, started)
      SELECT profile_id, 1 FROM cards WHERE NEW.active = 1 AND qid = NEW.qid AND {_STARTED}
      ON CONFLICT(profile_id) DO UPDATE SET started = started + 1;
    UPDATE card_counts SET started = started - 1
      WHERE NEW.active <> 1 AND profile_id IN (SELECT profile_id FROM cards WHERE qid = NEW.qid AND {_STARTED});
END""",
)


def m0004_fast_reads(db: Database) -> None:
    _run(db, _FAST_READS)


# --- 0005: the hardest questions of `quiz stats` without walking every card of the profile ------------------------
# Partial indexes: the cards with a lapse (`SQL_STATS_LAPSES` walks them most lapses first and stops at its limit)
# and the leeches (`SQL_STATS_LEECHES`, covering). 100k cards: ~16 ms and ~8 ms CPU -> well under 1 ms and ~2 ms.
_HARD_CARDS = (
    "CREATE INDEX cards_lapses ON cards(profile_id, lapses) WHERE lapses > 0",
    "CREATE INDEX cards_leeches ON cards(profile_id, leech, lapses) WHERE leech = 1",
)


def m0005_hard_cards(db: Database) -> None:
    _run(db, _HARD_CARDS)


# --- 0006: mastery per era kept by triggers (`SQL_STATS_MASTERY_KEPT`) --------------------------------------------
# `quiz stats` counted every active question's card (100k: ~50 ms CPU); these tables hold the counts it needs:
# per era, how many questions are active (`era_questions`), and per profile and era, how many cards of active
# questions are started (phase <> 0: the rest of the era's questions are new), learning or relearning, young and
# mature (in review, due less / at least MATURE_MS after the last review: `quiz.stats.MATURE_DAYS`, 21 days).
# Triggers keep them on every write to cards and questions; a card's counts are taken from its era and added to
# the new one when a question moves or is (de)activated.
MATURE_MS = 21 * 86_400_000


def _card_states(row: str) -> tuple[str, str, str, str]:
    """`row`'s (NEW or OLD) card as 0/1: started, learning, young, mature (as SQL_STATS_MASTERY counts them)."""
    return (f"({row}.phase <> 0)", f"({row}.phase IN (1, 3))",
            f"(({row}.phase = 2 AND {row}.due - {row}.last_review < {MATURE_MS}) IS 1)",
            f"(({row}.phase = 2 AND {row}.due - {row}.last_review >= {MATURE_MS}) IS 1)")


_STATE_COLUMNS = ("started", "learning", "young", "mature")


def _add_card(row: str, sign: str, era: str = "q.era", active: str = "q.active = 1") -> str:
    """Add (`+`) or take (`-`) `row`'s card to its profile's counts for its question's era (when active)."""
    states = _card_states(row)
    if sign == "-":
        sets = ", ".join(f"{c} = {c} - {v}" for c, v in zip(_STATE_COLUMNS, states, strict=True))
        return f"""UPDATE era_cards SET {sets} WHERE profile_id = {row}.profile_id
      AND era = (SELECT {era} FROM questions q WHERE q.qid = {row}.qid AND {active}) AND {states[0]};"""
    sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in _STATE_COLUMNS)
    return f"""INSERT INTO era_cards(profile_id, era, {", ".join(_STATE_COLUMNS)})
      SELECT {row}.profile_id, {era}, {", ".join(states)} FROM questions q
      WHERE q.qid = {row}.qid AND {active} AND {states[0]}
      ON CONFLICT(profile_id, era) DO UPDATE SET {sets};"""


def _question_cards(sign: str, row: str) -> str:
    """Add or take every card of question `row` (NEW or OLD) to or from its era's counts, when `row` is active."""
    states = [s.replace("OLD.", "c.") for s in _card_states("OLD")]
    sums = [f"SUM({s})" for s in states]
    if sign == "-":
        sets = ", ".join(f"{col} = {col} - (SELECT {total} FROM cards c WHERE c.qid = {row}.qid "
                         f"AND c.profile_id = era_cards.profile_id)"
                         for col, total in zip(_STATE_COLUMNS, sums, strict=True))
        return f"""UPDATE era_cards SET {sets} WHERE {row}.active = 1 AND era = {row}.era
      AND profile_id IN (SELECT profile_id FROM cards c WHERE c.qid = {row}.qid AND {states[0]});"""
    sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in _STATE_COLUMNS)
    return f"""INSERT INTO era_cards(profile_id, era, {", ".join(_STATE_COLUMNS)})
      SELECT c.profile_id, {row}.era, {", ".join(sums)} FROM cards c
      WHERE {row}.active = 1 AND c.qid = {row}.qid AND {states[0]} GROUP BY c.profile_id
      ON CONFLICT(profile_id, era) DO UPDATE SET {sets};"""


_CHANGED = " OR ".join(f"{o} <> {n}" for o, n in zip(_card_states("OLD"), _card_states("NEW"), strict=True))
_ERA_COUNTS = (
    # A question's cards, for the triggers on questions (this one's and 0004's `question_counts_update`): without
    # it each question retired or moved walked every card (100k cards: ~8.5 ms a question).
    "CREATE INDEX cards_question ON cards(qid)",
    "CREATE TABLE era_questions (era TEXT PRIMARY KEY, active INTEGER NOT NULL) WITHOUT ROWID",
    "INSERT INTO era_questions(era, active) SELECT era, COUNT(*) FROM questions WHERE active = 1 GROUP BY era",
    """CREATE TABLE era_cards (
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        era TEXT NOT NULL,
        started INTEGER NOT NULL,
        learning INTEGER NOT NULL,
        young INTEGER NOT NULL,
        mature INTEGER NOT NULL,
        PRIMARY KEY (profile_id, era)
    ) WITHOUT ROWID""",
    f"""INSERT INTO era_cards(profile_id, era, {", ".join(_STATE_COLUMNS)})
    SELECT c.profile_id, q.era, {", ".join(f"SUM({s.replace('OLD.', 'c.')})" for s in _card_states("OLD"))}
    FROM cards c JOIN questions q ON q.qid = c.qid WHERE q.active = 1 GROUP BY c.profile_id, q.era""",
    f"CREATE TRIGGER era_cards_insert AFTER INSERT ON cards BEGIN\n    {_add_card('NEW', '+')}\nEND",
    f"CREATE TRIGGER era_cards_delete AFTER DELETE ON cards BEGIN\n    {_add_card('OLD', '-')}\nEND",
    "CREATE TRIGGER era_cards_update AFTER UPDATE OF profile_id, qid, phase, due, last_review ON cards "
    f"WHEN OLD.profile_id <> NEW.profile_id OR OLD.qid <> NEW.qid OR {_CHANGED} "
    f"BEGIN\n    {_add_card('OLD', '-')}\n    {_add_card('NEW', '+')}\nEND",
    "CREATE TRIGGER era_questions_insert AFTER INSERT ON questions WHEN NEW.active = 1 BEGIN\n"
    "    INSERT INTO era_questions(era, active) VALUES (NEW.era, 1)\n"
    "      ON CONFLICT(era) DO UPDATE SET active = active + 1;\nEND",
    f"""CREATE TRIGGER era_questions_delete AFTER DELETE ON questions WHEN OLD.active = 1 BEGIN
    UPDATE era_questions SET active = active - 1 WHERE era = OLD.era;
    {_question_cards('-', 'OLD')}
END""",
    f"""CREATE TRIGGER era_questions_update AFTER UPDATE OF active, era ON questions
    WHEN (OLD.active = 1) <> (NEW.active = 1) OR OLD.era <> NEW.era BEGIN
    UPDATE era_questions SET active = active - 1 WHERE OLD.active = 1 AND era = OLD.era;
    INSERT INTO era_questions(era, active) SELECT NEW.era, 1 WHERE NEW.active = 1
      ON CONFLICT(era) DO UPDATE SET active = active + 1;
    {_question_cards('-', 'OLD')}
    {_question_cards('+', 'NEW')}
END""",
)


def m0006_era_counts(db: Database) -> None:
    _run(db, _ERA_COUNTS)


# Append new steps at the end. Never edit the ones above.
STEPS: tuple[tuple[str, Callable[[Database], None]], ...] = (
    ("0001_core", m0001_core),
    ("0002_exports", m0002_exports),
    ("0003_review_days", m0003_review_days),
    ("0004_fast_reads", m0004_fast_reads),
    ("0005_hard_cards", m0005_hard_cards),
    ("0006_era_counts", m0006_era_counts),
)
NAMES: tuple[str, ...] = tuple(name for name, _ in STEPS)


def migrations(upto: int | None = None) -> Migrations:
    """The migration set (the first `upto` steps only, when given: tests use it to build old databases)."""
    result = _sqlite_utils().Migrations(SET_NAME)
    for name, fn in STEPS[:upto]:
        result(name=name)(fn)
    return result


def database(conn: sqlite3.Connection, *, recursive_triggers: bool = True) -> Database:
    """sqlite-utils' wrapper of `conn` (its plugins never run)."""
    return _sqlite_utils().Database(conn, execute_plugins=False, recursive_triggers=recursive_triggers)


def _sqlite_utils() -> Any:
    """The sqlite-utils module, imported without NumPy or pandas. Its `db` module imports both whenever they are
    installed (lemminflect, for `quiz derive`, brings NumPy), only to map their number types to column types, and
    quiz never writes such a value: NumPy alone would add ~10 MB and ~50 ms to every command that creates or
    migrates a database. Either still imports afterwards for whoever wants it."""
    import sys

    if "sqlite_utils.db" not in sys.modules:
        held = [name for name in ("numpy", "pandas") if name not in sys.modules]
        for name in held:
            sys.modules[name] = None  # type: ignore[assignment]  # `import numpy` now raises ImportError
        try:
            import sqlite_utils.db  # noqa: F401  # the package imports it
        finally:
            for name in held:
                if name in sys.modules and sys.modules[name] is None:
                    del sys.modules[name]
    return sys.modules["sqlite_utils"]
