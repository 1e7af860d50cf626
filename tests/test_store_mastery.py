"""The mastery counts migration 0006 keeps by triggers (per era: active questions; per profile and era: started,
learning, young and mature cards of them) give `quiz stats` what counting every card gives, through every write the
store makes, questions moving between eras, intervals crossing the 21 days, and an upgrade."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_store_counts import IDS, NOW, OPS, PROFILES, answer, apply, bank

from quiz import migrations
from quiz.store import Store
from quiz.store.stats import SQL_STATS_MASTERY, SQL_STATS_MASTERY_KEPT

ERAS = ["early", "late"]


def mastery(store: Store, sql: str, profile: str, era: str | None) -> list[tuple[Any, ...]]:
    row = store.conn.execute("SELECT id FROM profiles WHERE name = ?", (profile,)).fetchone()
    params: dict[str, Any] = {"profile": row[0] if row else -1, "mature_ms": migrations.MATURE_MS}
    clause = ""
    if era is not None:
        params["era"], clause = era, "AND q.era = :era"
    return sorted(store.conn.execute(sql.format(era=clause), params).fetchall())


def assert_same(store: Store) -> None:
    for profile in [*PROFILES, "nobody"]:
        for era in (None, *ERAS):
            assert mastery(store, SQL_STATS_MASTERY_KEPT, profile, era) == mastery(store, SQL_STATS_MASTERY, profile,
                                                                                 era)


MOVES = st.tuples(st.sampled_from(["move", "interval", "delete-card"]), st.sampled_from(PROFILES),
                  st.sampled_from(IDS), st.integers(1, 63))


def move(store: Store, op: tuple[Any, ...]) -> None:
    kind, profile, qid, n = op
    if kind == "move":  # the bank moves some questions to the other era (and keeps the rest)
        store.sync_questions([(i, f"h-{i}", ERAS[(n >> k) & 1], "typed") for k, i in enumerate(IDS)], NOW)
    elif kind == "interval":  # an interval either side of the 21 days, or a card with no due time
        due = "NULL" if n == 1 else f"last_review + {(n % 42) * 86_400_000}"
        store.conn.execute(f"UPDATE cards SET due = {due} WHERE qid = (SELECT qid FROM questions WHERE id = ?)",
                           (qid,))
    elif kind == "delete-card":
        store.conn.execute("DELETE FROM cards WHERE qid = (SELECT qid FROM questions WHERE id = ?) AND profile_id = "
                           "(SELECT id FROM profiles WHERE name = ?)", (qid, profile))


@settings(max_examples=150, deadline=None)  # no clock in tests
@given(st.lists(st.one_of(OPS, MOVES), max_size=40))
def test_kept_mastery_follows_every_write(ops: list[tuple[Any, ...]]) -> None:
    store = Store.memory()
    try:
        store.sync_questions(bank(IDS), NOW)
        for step, op in enumerate(ops):
            if op[0] in ("move", "interval", "delete-card"):
                move(store, op)
            else:
                apply(store, op, NOW + timedelta(days=3 * step))  # days apart: some intervals pass 21 days
            assert_same(store)
    finally:
        store.close()


def test_mature_cards_are_counted_as_mature() -> None:
    store = Store.memory()
    store.sync_questions(bank(IDS), NOW)
    at = NOW
    for _ in range(6):  # Easy again and again: the interval grows past 21 days
        answer(store, "ana", "q0", 4, at)
        at = store.card("ana", "q0").due or at
    answer(store, "ana", "q1", 1, NOW)
    counts = mastery(store, SQL_STATS_MASTERY_KEPT, "ana", None)
    assert counts == mastery(store, SQL_STATS_MASTERY, "ana", None) == [("early", 4, 1, 0, 1)]
    for days, expected in ((20, ("early", 4, 0, 1, 1)), (21, ("early", 4, 0, 0, 2))):  # 21 days: mature
        store.conn.execute(f"UPDATE cards SET phase = 2, due = last_review + {days * 86_400_000} WHERE qid = "
                           "(SELECT qid FROM questions WHERE id = 'q1')")
        counts = mastery(store, SQL_STATS_MASTERY_KEPT, "ana", None)
        assert counts == mastery(store, SQL_STATS_MASTERY, "ana", None) == [expected]
    store.close()


def test_upgrading_counts_what_is_there(tmp_path: Path) -> None:
    """A database of schema 5 with progress: the upgrade fills the counts from the cards."""
    path = tmp_path / "old.db"
    with Store.open(path, now=NOW) as store:  # progress written, then 0006 taken back out
        store.sync_questions(bank(IDS), NOW)
        for n, qid in enumerate(IDS[:4]):
            answer(store, "ana", qid, 1 + n % 4, NOW + timedelta(minutes=n))
        answer(store, "ben", "q5", 3, NOW)
        store.sync_questions(bank(IDS[1:]), NOW)  # q0 leaves the bank
        expected = {p: mastery(store, SQL_STATS_MASTERY, p, None) for p in PROFILES}
        store.conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0006_era_counts'")
        for name in ("era_cards_insert", "era_cards_delete", "era_cards_update", "era_questions_insert",
                     "era_questions_delete", "era_questions_update"):
            store.conn.execute(f"DROP TRIGGER {name}")
        store.conn.execute("DROP TABLE era_cards")
        store.conn.execute("DROP TABLE era_questions")
        store.conn.execute("DROP INDEX cards_question")
    with Store.open(path, now=NOW) as store:
        assert store.schema_version() == len(migrations.NAMES)
        for profile in PROFILES:
            assert mastery(store, SQL_STATS_MASTERY_KEPT, profile, None) == expected[profile]
        assert expected["ben"] == [("early", 4, 1, 0, 0)]  # q5 in learning
        assert_same(store)


def test_quiz_stats_reads_the_kept_counts() -> None:
    from quiz import stats

    assert stats.MATURE_DAYS * 86_400_000 == migrations.MATURE_MS  # the threshold the triggers keep
    store = Store.memory()
    store.sync_questions(bank(IDS), NOW)
    answer(store, "ana", "q0", 3, NOW)
    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    assert [(m.era, m.new, m.learning) for m in stats.compute(store, "ana", NOW, NOW.tzinfo).mastery] == [  # type: ignore[arg-type]
        ("early", 5, 1)]
    store.conn.set_trace_callback(None)
    assert any("FROM era_questions q" in sql for sql in traced)
    assert not any("LEFT JOIN cards c" in sql for sql in traced)  # no card of the bank looked up
    store.close()


def test_a_questions_cards_are_found_by_index() -> None:
    """The triggers on questions look up that question's cards: by `cards_question`, not a walk of every card."""
    store = Store.memory()
    plan = " | ".join(row[3] for row in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT profile_id FROM cards c WHERE c.qid = 1 AND (c.phase <> 0)"))
    assert "SEARCH c USING INDEX cards_question (qid=?)" in plan
    store.close()
