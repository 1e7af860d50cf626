"""The progress database: migrations and backups, bank sync, answers and undo, queues, day figures, bad files."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quiz import migrations
from quiz.clock import next_rollover, study_day
from quiz.errors import StoreError, UnknownQuestion
from quiz.model import CardPhase, CardState, Rating
from quiz.scheduler import Scheduler, SchedulerConfig
from quiz.store import (
    SQL_DUE,
    SQL_NEW,
    SQL_NEXT_DUE,
    SQL_STREAK,
    SQL_TODAY,
    CardChanged,
    CardFlags,
    DayCounts,
    ReviewRecord,
    Store,
    SyncReport,
    from_ms,
    to_ms,
)

UTC = timezone.utc
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
BANK = [
    ("q1", "h1", "early", "typed"),
    ("q2", "h2", "early", "choice"),
    ("q3", "h3", "middle", "typed"),
    ("q4", "h4", "late", "card"),
]
SCHED = Scheduler(SchedulerConfig(fuzz=False))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "quiz.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path, now=NOW) as opened:
        opened.sync_questions(BANK, NOW)
        yield opened


def answer(store: Store, qid: str, rating: Rating, at: datetime, profile: str = "ana", **kw: object) -> ReviewRecord:
    before = store.card(profile, qid)
    after = SCHED.review(before, rating, at)
    return store.record_answer(
        profile,
        qid,
        before=before,
        after=after,
        rating=rating,
        answer="an answer",
        correct=rating > Rating.AGAIN,
        duration_ms=1500,
        reviewed_at=at,
        day=study_day(at, UTC).isoformat(),
        retrievability=SCHED.retrievability(before, at),
        **kw,  # type: ignore[arg-type]
    )


def put(store: Store, qid: str, state: CardState, profile: str = "ana") -> None:
    """Give a card an exact state (through the one write path there is)."""
    before = store.card(profile, qid)
    store.record_answer(
        profile,
        qid,
        before=before,
        after=state,
        rating=Rating.GOOD,
        answer="",
        correct=None,
        duration_ms=0,
        reviewed_at=NOW - DAY * 30,
        day="2026-10-23",
        retrievability=None,
    )


def learning(qid: str, due: datetime) -> CardState:
    return CardState(qid, CardPhase.LEARNING, 1, 2.3, 5.0, due, due - 10 * MINUTE, 0, 1)


def review(qid: str, due: datetime, lapses: int = 0) -> CardState:
    return CardState(qid, CardPhase.REVIEW, None, 10.0, 5.0, due, due - 10 * DAY, lapses, 4)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plan(store: Store, sql: str, **params: object) -> str:
    rows = store.conn.execute("EXPLAIN QUERY PLAN " + sql.format(only=""), params).fetchall()
    return " | ".join(row[3] for row in rows)


# --- opening, migrations, backups -----------------------------------------------------------------------------------


def test_open_applies_migrations_and_sets_pragmas(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.schema_version() == len(migrations.NAMES)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    with Store.open(db_path) as store:  # idempotent
        rows = store.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id").fetchall()
        assert [r[0] for r in rows] == list(migrations.NAMES)
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["quiz.db"]  # no backup of a fresh database


def test_open_creates_missing_folders(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a" / "b" / "quiz.db") as store:
        assert store.schema_version() == len(migrations.NAMES)


def test_backup_before_upgrading_an_older_database(db_path: Path) -> None:
    from sqlite_utils import Database

    old = Database(db_path)
    migrations.migrations(upto=1).apply(old)
    old.execute("INSERT INTO profiles(name, created_at) VALUES ('ana', 0)")
    old.execute(
        "INSERT INTO questions(id, content_hash, era, kind, position, first_seen, changed_at) "
        "VALUES ('q1', 'h1', 'early', 'typed', 0, 0, 0)"
    )
    old.close()

    with Store.open(db_path, now=NOW) as store:
        assert store.schema_version() == len(migrations.NAMES)
        assert store.profiles() == ["ana"]
        assert list(store.question_meta()) == ["q1"]

    backup = db_path.with_name("quiz.db.bak-1-20261122T090000Z")
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["quiz.db", backup.name]
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT name FROM _sqlite_migrations").fetchall() == [("0001_core",)]
    assert copy.execute("SELECT name FROM profiles").fetchall() == [("ana",)]
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()

    with Store.open(db_path, now=NOW + DAY):  # nothing pending: no second backup
        pass
    assert len(list(db_path.parent.glob("quiz.db.bak-*"))) == 1


def test_memory_store() -> None:
    store = Store.memory()
    store.sync_questions(BANK, NOW)
    assert store.new_questions("ana", NOW, 10) == ["q1", "q2", "q3", "q4"]


# --- the bank -------------------------------------------------------------------------------------------------------


def test_sync_new_changed_removed_restored(store: Store) -> None:
    meta = store.question_meta()
    assert list(meta) == ["q1", "q2", "q3", "q4"]
    assert meta["q1"] == (("h1", NOW, NOW))

    later = NOW + DAY
    bank = [("q4", "h4", "late", "card"), ("q1", "h1-edited", "early", "typed"), ("q5", "h5", "late", "typed")]
    assert store.sync_questions(bank, later) == SyncReport(new=1, changed=1, removed=2)
    meta = store.question_meta(["q1", "q4", "q5", "q2", "nope"])
    assert meta["q1"] == ("h1-edited", NOW, later)  # changed_at moves, first_seen stays
    assert meta["q4"] == ("h4", NOW, NOW)
    assert meta["q5"] == ("h5", later, later)
    assert meta["q2"] == ("h2", NOW, NOW)  # removed from the bank: kept, with its history
    assert store.new_questions("ana", later, 10) == ["q4", "q1", "q5"]  # bank order; removed ones not offered

    back = [*bank, ("q2", "h2", "early", "choice")]
    assert store.sync_questions(back, later) == SyncReport(restored=1)
    assert store.new_questions("ana", later, 10) == ["q4", "q1", "q5", "q2"]


def test_sync_with_nothing_changed_is_one_select(store: Store) -> None:
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    assert store.sync_questions(BANK, NOW + DAY) == SyncReport(skipped=True)
    store.conn.set_trace_callback(None)
    assert len(statements) == 1 and statements[0].startswith("SELECT")
    assert store.question_meta()["q1"].changed_at == NOW


def test_sync_many_questions(store: Store) -> None:
    bank = [(f"gen-{i:05d}", f"{i:x}", "early", "typed") for i in range(20_000)]
    assert store.sync_questions(bank, NOW) == SyncReport(new=20_000, removed=4)
    assert store.new_questions("ana", NOW, 3) == ["gen-00000", "gen-00001", "gen-00002"]
    bank[7] = ("gen-00007", "edited", "early", "typed")
    assert store.sync_questions(bank[::-1], NOW + DAY) == SyncReport(changed=1)
    assert store.new_questions("ana", NOW, 2) == ["gen-19999", "gen-19998"]


# --- answers and undo -----------------------------------------------------------------------------------------------


def test_record_answer_then_undo_restores_exactly(store: Store) -> None:
    first = answer(store, "q1", Rating.GOOD, NOW)
    assert first.review.before == CardState("q1")
    assert first.review.after.phase is CardPhase.LEARNING
    assert first.day == "2026-11-22"
    assert first.interval_days == pytest.approx(10 / 1440)
    learning_state = store.card("ana", "q1")
    assert learning_state == first.review.after

    second = answer(store, "q1", Rating.GOOD, NOW + 10 * MINUTE)
    graduated = store.card("ana", "q1")
    assert graduated.phase is CardPhase.REVIEW
    assert store.reviews("ana", "q1") == [first, second]

    assert store.undo_last("ana") == ("q1", learning_state)
    assert store.card("ana", "q1") == learning_state
    assert store.reviews("ana", "q1") == [first]

    assert store.undo_last("ana") == ("q1", CardState("q1"))
    assert store.card("ana", "q1") == CardState("q1")
    assert store.conn.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 0  # a new card without flags: no row
    assert store.undo_last("ana") is None
    assert store.today_counts("ana", "2026-11-22") == DayCounts(0, 0)


def test_undo_keeps_flags_of_a_new_card(store: Store) -> None:
    store.bury("ana", "q1", NOW - MINUTE)  # an expired burial still makes a row
    answer(store, "q1", Rating.AGAIN, NOW)
    store.undo_last("ana")
    assert store.card("ana", "q1") == CardState("q1")
    assert store.flags("ana", "q1") == CardFlags(buried_until=NOW - MINUTE)


def test_leech_is_flagged_and_undone(store: Store) -> None:
    put(store, "q1", review("q1", NOW, lapses=2))
    record = answer(store, "q1", Rating.AGAIN, NOW, leech_threshold=3)
    assert record.became_leech
    assert store.card("ana", "q1").lapses == 3
    assert store.flags("ana", "q1") == CardFlags(leech=True)
    again = answer(store, "q1", Rating.AGAIN, NOW + 10 * MINUTE, leech_threshold=3)
    assert not again.became_leech  # already a leech
    store.undo_last("ana")
    assert store.flags("ana", "q1").leech
    store.undo_last("ana")
    assert store.flags("ana", "q1") == CardFlags()
    assert store.card("ana", "q1") == review("q1", NOW, lapses=2)


def test_a_stale_card_is_refused(store: Store) -> None:
    stale = store.card("ana", "q1")
    answer(store, "q1", Rating.GOOD, NOW)
    with pytest.raises(CardChanged):
        store.record_answer(
            "ana", "q1", before=stale, after=SCHED.review(stale, Rating.AGAIN, NOW), rating=Rating.AGAIN,
            answer="", correct=False, duration_ms=1, reviewed_at=NOW, day="2026-11-22", retrievability=None,
        )  # fmt: skip
    assert len(store.reviews("ana", "q1")) == 1
    store.reset("ana", ["q1"])
    with pytest.raises(CardChanged, match="cannot undo the last answer to 'q1'"):
        store.undo_last("ana")
    assert len(store.reviews("ana", "q1")) == 1


def test_unknown_question(store: Store) -> None:
    with pytest.raises(UnknownQuestion, match="unknown question 'nope'"):
        answer(store, "nope", Rating.GOOD, NOW)
    with pytest.raises(UnknownQuestion):
        store.set_suspended("ana", "nope", True)


def test_history(store: Store) -> None:
    answer(store, "q2", Rating.GOOD, NOW)
    answer(store, "q2", Rating.GOOD, NOW + 10 * MINUTE)
    answer(store, "q2", Rating.AGAIN, NOW + 3 * DAY)
    history = store.reviews("ana", "q2")
    assert [r.review.rating for r in history] == [Rating.GOOD, Rating.GOOD, Rating.AGAIN]
    assert [r.review.correct for r in history] == [True, True, False]
    assert history[0].retrievability is None
    assert history[2].retrievability is not None and 0 < history[2].retrievability < 1
    assert history[1].interval_days is not None and history[1].interval_days >= 1
    assert history[2].review.after.phase is CardPhase.RELEARNING
    assert all(r.review.before == prev.review.after for prev, r in zip(history, history[1:], strict=False))
    assert store.reviews("bob", "q2") == []


# --- queues ---------------------------------------------------------------------------------------------------------


def test_due_reviews_order_and_filters(store: Store) -> None:
    day_end = next_rollover(NOW, UTC)  # 04:00 tomorrow
    put(store, "q1", review("q1", NOW + 2 * 60 * MINUTE))  # due later today
    put(store, "q2", learning("q2", NOW + 5 * MINUTE))  # learning, not yet
    put(store, "q3", review("q3", NOW - DAY))  # overdue
    put(store, "q4", learning("q4", NOW - MINUTE))  # learning, due
    due = store.due_reviews("ana", NOW, day_end, 10)
    assert [c.question_id for c in due] == ["q4", "q3", "q1"]
    assert due[1] == review("q3", NOW - DAY)
    assert [c.question_id for c in store.due_reviews("ana", NOW, NOW + MINUTE, 10)] == ["q4", "q3"]
    assert [c.question_id for c in store.due_reviews("ana", NOW, day_end, 2)] == ["q4", "q3"]
    assert [c.question_id for c in store.due_reviews("ana", NOW, day_end, 10, only={"q1", "q2"})] == ["q1"]
    assert [c.question_id for c in store.due_reviews("ana", NOW + 6 * MINUTE, day_end, 10)] == ["q4", "q2", "q3", "q1"]
    assert store.due_reviews("bob", NOW, day_end, 10) == []

    assert [c.question_id for c in store.learning_due_within("ana", NOW, NOW + 20 * MINUTE)] == ["q4", "q2"]
    assert [c.question_id for c in store.learning_due_within("ana", NOW, NOW)] == ["q4"]

    assert store.next_due("ana", NOW) == NOW - DAY
    assert store.next_due("ana", NOW, only=["q1", "q2"]) == NOW + 5 * MINUTE
    assert store.next_due("bob", NOW) is None

    store.sync_questions([e for e in BANK if e[0] != "q3"], NOW)  # q3 leaves the bank
    assert [c.question_id for c in store.due_reviews("ana", NOW, day_end, 10)] == ["q4", "q1"]


def test_new_questions_order_and_filters(store: Store) -> None:
    assert store.new_questions("ana", NOW, 10) == ["q1", "q2", "q3", "q4"]
    answer(store, "q2", Rating.GOOD, NOW)
    store.set_suspended("ana", "q3", True)
    store.bury("ana", "q4", NOW + DAY)
    assert store.new_questions("ana", NOW, 10) == ["q1"]
    assert store.new_questions("ana", NOW + DAY, 10) == ["q1", "q4"]
    assert store.new_questions("ana", NOW, 10, only=["q2", "q3", "q4"]) == []
    assert store.new_questions("bob", NOW, 2) == ["q1", "q2"]


def test_suspend_bury_reset(store: Store) -> None:
    day_end = NOW + DAY
    put(store, "q1", review("q1", NOW - DAY))
    put(store, "q2", review("q2", NOW - 2 * DAY))
    store.set_suspended("ana", "q1", True)
    assert store.flags("ana", "q1") == CardFlags(suspended=True)
    assert [c.question_id for c in store.due_reviews("ana", NOW, day_end, 10)] == ["q2"]
    assert store.next_due("ana", NOW) == NOW - 2 * DAY
    store.set_suspended("ana", "q1", False)
    assert [c.question_id for c in store.due_reviews("ana", NOW, day_end, 10)] == ["q2", "q1"]

    store.bury("ana", "q2", NOW + 3 * 60 * MINUTE)
    assert [c.question_id for c in store.due_reviews("ana", NOW, day_end, 10)] == ["q1"]
    assert [c.question_id for c in store.due_reviews("ana", NOW + 4 * 60 * MINUTE, day_end, 10)] == ["q2", "q1"]
    store.set_suspended("ana", "q1", True)
    assert store.next_due("ana", NOW) == NOW + 3 * 60 * MINUTE  # when the burial ends
    store.bury("ana", "q2", None)
    assert store.flags("ana", "q2") == CardFlags()

    store.set_suspended("ana", "q3", True)
    store.set_suspended("ana", "q3", False)
    assert store.conn.execute("SELECT COUNT(*) FROM cards WHERE qid = 3").fetchone()[0] == 0  # tidy

    assert store.reset("ana", ["q2"]) == 1
    assert store.card("ana", "q2") == CardState("q2")
    assert len(store.reviews("ana", "q2")) == 1  # history kept
    assert store.reset("ana") == 1  # q1, still suspended
    assert store.card("ana", "q1") == CardState("q1")
    assert store.flags("ana", "q1") == CardFlags(suspended=True)
    assert store.reset("ana") == 0
    assert store.reset("bob") == 0


# --- day figures and profiles ---------------------------------------------------------------------------------------


def test_today_counts(store: Store) -> None:
    answer(store, "q1", Rating.AGAIN, NOW)  # new
    answer(store, "q1", Rating.GOOD, NOW + MINUTE)  # learning step: counts in neither
    put(store, "q2", review("q2", NOW))
    answer(store, "q2", Rating.GOOD, NOW + 2 * MINUTE)  # a review
    assert store.today_counts("ana", "2026-11-22") == DayCounts(new_done=1, reviews_done=1)
    assert store.today_counts("ana", "2026-11-21") == DayCounts(0, 0)
    assert store.today_counts("bob", "2026-11-22") == DayCounts(0, 0)


def test_streak_across_the_four_oclock_rollover(store: Store) -> None:
    # 10:00 on the 20th, 03:30 on the 22nd (still the 21st's study day), 05:00 on the 22nd.
    for at, qid in [
        (datetime(2026, 11, 20, 10, 0, tzinfo=UTC), "q1"),
        (datetime(2026, 11, 22, 3, 30, tzinfo=UTC), "q2"),
        (datetime(2026, 11, 22, 5, 0, tzinfo=UTC), "q3"),
    ]:
        answer(store, qid, Rating.GOOD, at)
    assert [r.day for r in store.reviews("ana", "q2")] == ["2026-11-21"]
    assert store.streak("ana", "2026-11-22") == 3
    assert store.streak("ana", "2026-11-23") == 3  # nothing yet today: yesterday still counts
    assert store.streak("ana", "2026-11-24") == 0
    assert store.streak("ana", "2026-11-21") == 2
    assert store.streak("bob", "2026-11-22") == 0


def test_profiles_are_isolated(store: Store) -> None:
    answer(store, "q1", Rating.GOOD, NOW, profile="ana")
    answer(store, "q2", Rating.GOOD, NOW, profile="bob")
    store.set_suspended("bob", "q3", True)
    assert store.profiles() == ["ana", "bob"]
    assert store.new_questions("ana", NOW, 10) == ["q2", "q3", "q4"]
    assert store.new_questions("bob", NOW, 10) == ["q1", "q4"]
    assert store.card("bob", "q1") == CardState("q1")
    assert store.today_counts("ana", "2026-11-22") == DayCounts(1, 0)
    assert store.undo_last("bob") == ("q2", CardState("q2"))
    assert store.card("ana", "q1").phase is CardPhase.LEARNING
    assert len(store.reviews("ana", "q1")) == 1


def test_settings(store: Store) -> None:
    assert store.get_setting("ana", "new_per_day") is None
    store.set_setting("ana", "new_per_day", "10")
    store.set_setting("ana", "lang", "ar")
    store.set_setting("bob", "new_per_day", "5")
    store.set_setting("ana", "new_per_day", "12")
    assert store.get_setting("ana", "new_per_day") == "12"
    assert store.settings("ana") == {"lang": "ar", "new_per_day": "12"}
    store.set_setting("ana", "lang", None)
    assert store.settings("ana") == {"new_per_day": "12"}
    assert store.settings("bob") == {"new_per_day": "5"}
    assert store.settings("carol") == {}


def test_exports(store: Store) -> None:
    assert store.last_export("anki") is None
    assert store.last_export_at("anki") is None
    store.record_export("ana", "anki", "/tmp/deck.apkg", NOW, {"g1": "h1", "g2": "h2"})
    store.record_export(None, "anki", "/tmp/deck.apkg", NOW + DAY, {"g1": "h1", "g3": "h3"})
    store.record_export("ana", "csv", "/tmp/deck.csv", NOW + 2 * DAY, {"g1": "h1"})
    assert store.last_export("anki") == {"g1": "h1", "g3": "h3"}
    assert store.last_export("anki", "/tmp/other.apkg") is None
    assert store.last_export("csv") == {"g1": "h1"}
    assert store.last_export_at("anki") == NOW + DAY
    assert store.last_export_at("anki", "/tmp/other.apkg") is None
    assert store.conn.execute("SELECT COUNT(*) FROM export_notes").fetchone()[0] == 3  # older lists dropped


def test_a_record_given_as_what_it_repeats_is_the_record_written_whole(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.store import Repeated
    from quiz.store.exports import Exports

    copied: list[bool] = []
    real = Exports._repeats
    monkeypatch.setattr(Exports, "_repeats", lambda self, *a: copied.append(real(self, *a)) or copied[-1])

    first = {f"g{i}": f"h{i}" for i in range(1, 7)}
    second = {"g1": "h1", "g2": "x2", "g4": "h4", "g5": "h5", "g6": "h6", "g7": "h7"}  # g2 changed, g3 gone, g7 new
    rest = {"g2": "x2", "g7": "h7"}

    def recorded(repeated: Repeated | None, name: str) -> list[tuple[object, ...]]:
        with Store.open(tmp_path / f"{name}.db", now=NOW) as opened:
            opened.record_export(None, "anki", "/tmp/deck.apkg", NOW, first)
            opened.record_export(None, "anki", "/tmp/other.apkg", NOW, {"g1": "o1"})
            previous = opened.last_export_id("anki", "/tmp/deck.apkg")
            assert previous is not None
            if repeated is not None:
                repeated = Repeated(previous, repeated.rows, repeated.left_out, repeated.rest)
            opened.record_export("ana", "anki", "/tmp/deck.apkg", NOW + DAY, second, repeated)
            assert opened.last_export("anki", "/tmp/deck.apkg") == second
            return opened.conn.execute("SELECT e.id, e.profile_id, e.kind, e.path, e.at, e.note_count, n.guid, "
                                       "n.content_hash FROM exports e LEFT JOIN export_notes n ON n.export_id = e.id "
                                       "ORDER BY e.id, n.guid").fetchall()

    whole = recorded(None, "whole")
    assert recorded(Repeated(0, 6, ("g2", "g3"), rest), "repeated") == whole
    # a record read before another export dropped some of its rows, or one that does not add up: written whole
    assert recorded(Repeated(0, 7, ("g2", "g3", "g8"), rest), "stale") == whole
    assert recorded(Repeated(0, 6, ("g2",), rest), "short") == whole
    assert copied == [True, False, False]


def test_times_round_trip_to_the_millisecond() -> None:
    moment = datetime(2026, 11, 22, 9, 0, 0, 123000, tzinfo=UTC)
    assert from_ms(to_ms(moment)) == moment
    assert to_ms(datetime(1970, 1, 1, 3, tzinfo=timezone(timedelta(hours=3)))) == 0
    with pytest.raises(ValueError):
        to_ms(datetime(2026, 1, 1))


def test_queries_use_their_indexes(store: Store) -> None:
    p = {"profile": 1, "now": 0, "day_end": 0, "horizon": 0, "limit": 1}
    assert "USING INDEX cards_due" in plan(store, SQL_DUE, **p)
    assert "USING INDEX cards_due" in plan(store, SQL_NEXT_DUE, profile=1, now=0)
    assert "USING INDEX questions_active_position" in plan(store, SQL_NEW, profile=1, now=0, limit=1)
    assert "COVERING INDEX reviews_profile_day" in plan(store, SQL_TODAY, profile=1, day="2026-11-22")
    streak = plan(store, SQL_STREAK, profile=1, today="2026-11-22")
    assert "SCAN reviews" not in streak and "COVERING INDEX reviews_profile_day" in streak


# --- bad files and environments -------------------------------------------------------------------------------------


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Store.open(tmp_path)
    assert info.value.line() == f"{tmp_path} is a directory, not a quiz database; pass --db with the path of a file"


def test_not_sqlite(db_path: Path) -> None:
    db_path.write_text("questions:\n  - id: q1\n", encoding="utf-8")
    before = digest(db_path)
    with pytest.raises(StoreError) as info:
        Store.open(db_path)
    assert info.value.line() == (
        f"{db_path} is not a quiz database (file is not SQLite); move it away or pass --db with another path"
    )
    assert digest(db_path) == before


def test_another_sqlite_database(db_path: Path) -> None:
    other = sqlite3.connect(db_path)
    other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, flds TEXT)")
    other.commit()
    other.close()
    before = digest(db_path)
    with pytest.raises(StoreError) as info:
        Store.open(db_path)
    assert info.value.line() == (
        f"{db_path} is not a quiz database (it holds other tables); move it away or pass --db with another path"
    )
    assert digest(db_path) == before


def test_missing_without_create(db_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Store.open(db_path, create=False)
    assert info.value.line() == f"{db_path} does not exist; pass --db with the path of your quiz database"
    assert not db_path.exists()


def filled(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.sync_questions([(f"q{i}", "h" * 40, "early", "typed") for i in range(3000)], NOW)


def test_truncated(db_path: Path) -> None:
    filled(db_path)
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])
    before = digest(db_path)
    with pytest.raises(StoreError) as info:
        Store.open(db_path)
    assert info.value.line() == (
        f"{db_path} is damaged (the file is truncated); restore a backup (quiz restore) or move it away"
    )
    assert digest(db_path) == before


def test_corrupt(db_path: Path) -> None:
    filled(db_path)
    data = bytearray(db_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = bytes([0x5A]) * (len(data) - page)  # every page but the first is garbage
    db_path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as info:
        with Store.open(db_path) as store:
            store.new_questions("ana", NOW, 10)
    assert info.value.line() == (
        f"{db_path} is damaged (database disk image is malformed); restore a backup (quiz restore) or move it away"
    )


def test_newer_schema(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.conn.execute(
            "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('quiz', '9999_future', '')"
        )
    with pytest.raises(StoreError) as info:
        Store.open(db_path)
    assert info.value.line() == (
        f"{db_path} was written by a newer version of quiz (schema step '9999_future'); upgrade quiz to use it"
    )


def read_only_message(path: Path) -> str:
    return f"{path} is read-only; check the permissions of the file and its folder, or pass --db with another path"


def test_read_only_mode(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.sync_questions(BANK, NOW)
        answer(store, "q1", Rating.GOOD, NOW)
    before = digest(db_path)
    with Store.open(db_path, read_only=True) as store:
        assert store.new_questions("ana", NOW, 10) == ["q2", "q3", "q4"]
        assert store.card("ana", "q1").phase is CardPhase.LEARNING
        with pytest.raises(StoreError) as info:
            answer(store, "q2", Rating.GOOD, NOW)
        assert info.value.line() == read_only_message(db_path)
        with pytest.raises(StoreError) as info:
            store.set_setting("ana", "lang", "ar")
        assert info.value.line() == read_only_message(db_path)
    assert digest(db_path) == before


def test_query_only_connection(store: Store, db_path: Path) -> None:
    store.conn.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError) as info:
        answer(store, "q1", Rating.GOOD, NOW)
    assert info.value.line() == read_only_message(db_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.sync_questions(BANK, NOW)
    db_path.chmod(0o444)
    try:
        with Store.open(db_path) as store:
            assert store.read_only
            assert store.new_questions("ana", NOW, 1) == ["q1"]
            with pytest.raises(StoreError) as info:
                answer(store, "q1", Rating.GOOD, NOW)
            assert info.value.line() == read_only_message(db_path)
    finally:
        db_path.chmod(0o644)


def test_disk_full(store: Store, db_path: Path) -> None:
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as info:
        store.record_answer(
            "ana", "q1", before=CardState("q1"), after=SCHED.review(CardState("q1"), Rating.GOOD, NOW),
            rating=Rating.GOOD, answer="x" * 200_000, correct=True, duration_ms=1, reviewed_at=NOW,
            day="2026-11-22", retrievability=None,
        )  # fmt: skip
    assert info.value.line() == (
        f"disk full while writing {db_path}; free some space, nothing was saved of this answer"
    )
    store.conn.execute("PRAGMA max_page_count = 1000000")
    assert store.card("ana", "q1") == CardState("q1")
    assert store.reviews("ana", "q1") == []
    answer(store, "q1", Rating.GOOD, NOW)  # and it works again once there is room


def test_busy(store: Store, db_path: Path) -> None:
    with Store.open(db_path) as other:
        other.conn.execute("PRAGMA busy_timeout = 50")
        store.conn.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError) as info:
                other.set_setting("ana", "lang", "ar")
        finally:
            store.conn.execute("ROLLBACK")
        assert info.value.line() == (
            f"{db_path} is busy: another quiz process kept it locked for 5 seconds; try again"
        )
        other.set_setting("ana", "lang", "ar")
    assert store.get_setting("ana", "lang") == "ar"
