"""The counts migration 0004 keeps by triggers (active questions; each profile's started or suspended cards of
them) stay equal to what the tables say through every write the store makes, and `new_questions`, which skips
its walk through the bank when they say no question is new, lists what the walk lists."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.model import Rating
from quiz.scheduler import Scheduler, SchedulerConfig
from quiz.store import SQL_NEW, SQL_NEW_ROOM, CardChanged, Store, to_ms

UTC = timezone.utc
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
IDS = [f"q{i}" for i in range(6)]
PROFILES = ["ana", "ben"]
SCHED = Scheduler(SchedulerConfig(fuzz=False))


def bank(ids: list[str]) -> list[tuple[str, str, str, str]]:
    return [(qid, f"h-{qid}", "early", "typed") for qid in ids]


def kept(store: Store) -> tuple[int, dict[int, int]]:
    active = store.conn.execute("SELECT active FROM question_counts").fetchone()[0]
    started = dict(store.conn.execute("SELECT profile_id, started FROM card_counts WHERE started <> 0").fetchall())
    return active, started


def counted(store: Store) -> tuple[int, dict[int, int]]:
    active = store.conn.execute("SELECT COUNT(*) FROM questions WHERE active = 1").fetchone()[0]
    started = dict(store.conn.execute(
        "SELECT c.profile_id, COUNT(*) FROM cards c JOIN questions q ON q.qid = c.qid "
        "WHERE q.active = 1 AND (c.phase <> 0 OR c.suspended <> 0) GROUP BY c.profile_id").fetchall())
    return active, started


def walked(store: Store, profile: str, now: datetime) -> list[str]:
    """What `SQL_NEW` lists, never skipped."""
    row = store.conn.execute("SELECT id FROM profiles WHERE name = ?", (profile,)).fetchone()
    params = {"profile": row[0] if row else -1, "now": to_ms(now), "limit": 100}
    return [r[0] for r in store.conn.execute(SQL_NEW.format(only=""), params)]


def answer(store: Store, profile: str, qid: str, rating: int, at: datetime) -> None:
    before = store.card(profile, qid)
    after = SCHED.review(before, Rating(rating), at)
    store.record_answer(profile, qid, before=before, after=after, rating=Rating(rating), answer="x",
                        correct=rating > 1, duration_ms=1000, reviewed_at=at, day=at.date().isoformat(),
                        retrievability=None)


def apply(store: Store, op: tuple[Any, ...], at: datetime) -> None:
    kind, profile, qid = op[0], op[1], op[2]
    active = {r[0] for r in store.conn.execute("SELECT id FROM questions WHERE active = 1")}
    if kind == "answer" and qid in active:
        answer(store, profile, qid, 1 + op[3] % 4, at)
    elif kind == "suspend":
        store.set_suspended(profile, qid, op[3] % 2 == 0)
    elif kind == "bury":
        store.bury(profile, qid, None if op[3] == 1 else at + timedelta(hours=op[3]))
    elif kind == "reset":
        store.reset(profile, None if op[3] == 1 else [qid])
    elif kind == "undo":
        with contextlib.suppress(CardChanged):  # reset since: the store refuses, and changes nothing
            store.undo_last(profile)
    elif kind == "sync":  # some questions leave the bank, others come back
        store.sync_questions(bank([i for n, i in enumerate(IDS) if (op[3] >> n) & 1 or n == 0]), at)
    elif kind == "drop-profile":
        store.conn.execute("DELETE FROM profiles WHERE name = ?", (profile,))
        store._pids.clear()


OPS = st.tuples(st.sampled_from(["answer", "answer", "suspend", "bury", "reset", "undo", "sync", "drop-profile"]),
                st.sampled_from(PROFILES), st.sampled_from(IDS), st.integers(1, 63))


@settings(max_examples=150, deadline=None)  # no clock in tests
@given(st.lists(OPS, max_size=40))
def test_counts_follow_every_write_and_new_questions_match_the_walk(ops: list[tuple[Any, ...]]) -> None:
    store = Store.memory()
    try:
        store.sync_questions(bank(IDS), NOW)
        for step, op in enumerate(ops):
            at = NOW + timedelta(minutes=5 * step)
            apply(store, op, at)
            assert kept(store) == counted(store), op
            for profile in PROFILES:
                for now in (at, at + timedelta(hours=30)):  # while buried, and once unburied
                    for limit in (1, 100):
                        assert store.new_questions(profile, now, limit=limit) == walked(store, profile, now)[:limit]
    finally:
        store.close()


def test_no_new_question_means_no_walk_through_the_bank() -> None:
    """A learner who started every question: the kept counts say so, and `new_questions` needs nothing else."""
    store = Store.memory()
    store.sync_questions(bank(IDS), NOW)
    for n, qid in enumerate(IDS):
        answer(store, "ana", qid, 3, NOW + timedelta(minutes=n))
    pid = store.conn.execute("SELECT id FROM profiles WHERE name = 'ana'").fetchone()[0]
    assert store.conn.execute(SQL_NEW_ROOM, {"profile": pid, "now": to_ms(NOW)}).fetchone()[0] == 0
    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    assert store.new_questions("ana", NOW + timedelta(days=1), limit=10) == []
    store.conn.set_trace_callback(None)
    assert not any("ORDER BY q.position" in sql for sql in traced)  # SQL_NEW never ran
    assert store.new_questions("ben", NOW, limit=10) == IDS  # another learner: all of them
    store.close()


def test_upgrading_fills_the_counts_and_swaps_the_indexes(tmp_path: Path) -> None:
    """A database of schema 3 with progress: the upgrade counts what is there and replaces the two indexes."""
    from sqlite_utils import Database

    from quiz import migrations

    path = tmp_path / "old.db"
    old = Database(path)
    migrations.migrations(upto=3).apply(old)
    old.close()
    with Store.open(path, now=NOW) as store:  # progress written the way schema 3 wrote it, without the counts
        store.sync_questions(bank(IDS), NOW)
        for n, qid in enumerate(IDS[:4]):
            answer(store, "ana", qid, 3, NOW + timedelta(minutes=n))
        store.set_suspended("ben", "q5", True)
        store.sync_questions(bank(IDS[1:]), NOW)  # q0 leaves the bank
        expected = counted(store)
        store.conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0004_fast_reads'")
        for name in ("card_counts_insert", "card_counts_delete", "card_counts_update", "question_counts_insert",
                     "question_counts_delete", "question_counts_update"):
            store.conn.execute(f"DROP TRIGGER {name}")
        for name in ("card_counts", "question_counts"):
            store.conn.execute(f"DROP TABLE {name}")
        for name in ("reviews_profile_question_log", "cards_due_state", "questions_active_era"):
            store.conn.execute(f"DROP INDEX {name}")
        store.conn.execute("CREATE INDEX reviews_profile_question ON reviews(profile_id, qid, reviewed_at)")
        store.conn.execute("CREATE INDEX cards_due ON cards(profile_id, due)")
    with Store.open(path, now=NOW) as store:
        assert store.schema_version() == len(migrations.NAMES)
        assert kept(store) == counted(store) == expected == (5, {1: 3, 2: 1})
        indexes = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"reviews_profile_question_log", "cards_due_state", "questions_active_era"} <= indexes
        assert not {"reviews_profile_question", "cards_due"} & indexes
        assert store.new_questions("ana", NOW, limit=10) == ["q4", "q5"]
