"""`quiz stats` figures against a hand-computed history, the store's stats queries and the review_days rollup.

The learner 'ana' (QUIZ_TZ=UTC, now pinned at Sunday 2026-11-22 09:00 UTC) answered these, through the store's
public `record_answer` (states written out by hand, so every figure below can be checked on paper):

| study day  | answers (question: phase before → after, rating, seconds)                                   |
|------------|---------------------------------------------------------------------------------------------|
| 2026-03-01 | q1 new→review 2 d (Good, 10)                                                               |
| 2026-10-01 | q1 review→review 20 d (Good, 8)                                                            |
| 2026-10-30 | q1 review→relearning (Again, 12: lapse), q1 relearning→review 3 d (Good, 6)                |
| 2026-11-10 | q2 new→learning (Again, 20), q2 learning→review 1 d (Good, 15)                             |
| 2026-11-16 | q8 new→review 1 d (Good, 5)                                                                |
| 2026-11-17 | q8 review→relearning (Again, 5: lapse), q8 relearning→review 1 d (Good, 5)                 |
| 2026-11-18 | q1 review→review 25 d (Good, 5), q8 review→relearning (Again, 5: lapse, leech), q8 → 1 d   |
| 2026-11-20 | q2 review→review 4 d (Hard, 9), q3 new→review 8 d (Easy, 7), and at 03:30/03:45 UTC on the |
|            | 21st (before the 04:00 rollover): q3 review→relearning (Again, 11), relearning→review 2 d  |
| 2026-11-21 | q4 new→learning, 10 min (Good, 30)                                                         |
| 2026-11-22 | q5 new→review 1 d (Good, 14), q7 new→review 1 d (Good, 6); then q7 is suspended            |

Eras: early q1 q2 q8, middle q3 q4, late q5 q6 q7 (q6 never seen). Leech threshold 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from quiz import migrations, stats
from quiz.clock import study_day
from quiz.model import CardPhase, CardState, Rating
from quiz.scheduler import Scheduler, SchedulerConfig, default_parameters
from quiz.stats import FSRS6_DEFAULT_DECAY, HardQuestion, Mastery, Retention, TimeSpent, Today
from quiz.store import (
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
    DayStats,
    Store,
    to_ms,
)

UTC = timezone.utc
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
SCHED = Scheduler(SchedulerConfig(fuzz=False))
BANK = [
    ("q1", "h1", "early", "card"),
    ("q2", "h2", "early", "card"),
    ("q8", "h8", "early", "card"),
    ("q3", "h3", "middle", "card"),
    ("q4", "h4", "middle", "card"),
    ("q5", "h5", "late", "card"),
    ("q6", "h6", "late", "card"),
    ("q7", "h7", "late", "card"),
]
ERAS = ["early", "middle", "late"]
R, L, RL = CardPhase.REVIEW, CardPhase.LEARNING, CardPhase.RELEARNING
D, M = timedelta(days=1), timedelta(minutes=1)
# (question, time UTC, rating, phase after, interval, stability after, seconds)
HISTORY: list[tuple[str, str, int, CardPhase, timedelta, float, int]] = [
    ("q1", "2026-03-01T10:00", 3, R, 2 * D, 2.0, 10),
    ("q1", "2026-10-01T10:00", 3, R, 20 * D, 20.0, 8),
    ("q1", "2026-10-30T10:00", 1, RL, 10 * M, 5.0, 12),
    ("q1", "2026-10-30T10:10", 3, R, 3 * D, 5.0, 6),
    ("q2", "2026-11-10T09:00", 1, L, 1 * M, 0.5, 20),
    ("q2", "2026-11-10T09:01", 3, R, 1 * D, 1.0, 15),
    ("q8", "2026-11-16T12:00", 3, R, 1 * D, 1.0, 5),
    ("q8", "2026-11-17T12:00", 1, RL, 10 * M, 0.5, 5),
    ("q8", "2026-11-17T12:10", 3, R, 1 * D, 0.6, 5),
    ("q1", "2026-11-18T10:00", 3, R, 25 * D, 25.0, 5),
    ("q8", "2026-11-18T12:00", 1, RL, 10 * M, 0.3, 5),
    ("q8", "2026-11-18T12:10", 3, R, 1 * D, 0.4, 5),
    ("q2", "2026-11-20T09:00", 2, R, 4 * D, 4.0, 9),
    ("q3", "2026-11-20T20:00", 4, R, 8 * D, 8.0, 7),
    ("q3", "2026-11-21T03:30", 1, RL, 10 * M, 2.0, 11),
    ("q3", "2026-11-21T03:45", 3, R, 2 * D, 2.5, 4),
    ("q4", "2026-11-21T10:00", 3, L, 10 * M, 1.0, 30),
    ("q5", "2026-11-22T08:00", 3, R, 1 * D, 1.2, 14),
    ("q7", "2026-11-22T08:30", 3, R, 1 * D, 1.0, 6),
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def build_history(store: Store, profile: str = "ana") -> None:
    """Record HISTORY for `profile` (the questions of BANK must be synced), then suspend q7."""
    for qid, when, rating, phase, interval, stability, seconds in HISTORY:
        moment = at(when)
        before = store.card(profile, qid)
        lapses = before.lapses + (1 if before.phase is R and rating == 1 else 0)
        after = CardState(qid, phase, step=0 if phase in (L, RL) else None, stability=stability, difficulty=5.0,
                          due=moment + interval, last_review=moment, lapses=lapses, reps=before.reps + 1)
        store.record_answer(
            profile, qid, before=before, after=after, rating=Rating(rating), answer=f"answer {rating}",
            correct=rating > 1, duration_ms=seconds * 1000, reviewed_at=moment,
            day=study_day(moment, UTC).isoformat(), retrievability=SCHED.retrievability(before, moment),
            leech_threshold=2,
        )
    store.set_suspended(profile, "q7", True)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "quiz.db", now=NOW) as opened:
        opened.sync_questions(BANK, NOW)
        build_history(opened)
        yield opened


def compute(store: Store, **kw: object) -> stats.Stats:
    return stats.compute(store, "ana", NOW, UTC, era_order=ERAS, **kw)  # type: ignore[arg-type]


# --- every figure ---------------------------------------------------------------------------------------------------


def test_today_streak_and_totals(store: Store) -> None:
    result = compute(store)
    assert result.today_day == "2026-11-22"
    assert result.today == Today(due=3, done=2, new=2, seconds=20.0)
    assert result.streak == 3  # the 22nd, 21st and 20th; nothing on the 19th
    assert result.reviews_total == 19
    assert result.time == TimeSpent(today=20.0, week=111.0, total=182.0)


def test_heatmap_covers_the_window_by_study_day(store: Store) -> None:
    result = compute(store)
    assert len(result.heatmap) == 182
    assert result.heatmap[0] == ("2026-05-25", 0) and result.heatmap[-1] == ("2026-11-22", 2)
    busy = {day: n for day, n in result.heatmap if n}
    assert busy == {
        "2026-10-01": 1, "2026-10-30": 2, "2026-11-10": 2, "2026-11-16": 1, "2026-11-17": 2, "2026-11-18": 3,
        "2026-11-20": 4,  # two before and two after midnight UTC, all before the 04:00 rollover
        "2026-11-21": 1, "2026-11-22": 2,
    }  # 2026-03-01 is older than 182 days: in the totals only
    assert [d for d, _ in compute(store, days=7).heatmap] == [f"2026-11-{k}" for k in range(16, 23)]


def test_true_retention(store: Store) -> None:
    result = compute(store)
    # 7 days (16th-22nd): answers to review cards on the 17th (Again), 18th (Good, Again), 20th (Hard, Again).
    assert result.retention_7d == Retention(7, reviews=5, passed=2)
    assert result.retention_7d.rate == pytest.approx(0.4)
    # 30 days (from 24 Oct): also the Again of 30 Oct; the relearning step that followed does not count.
    assert result.retention_30d == Retention(30, reviews=6, passed=2)
    assert result.desired_retention == 0.9
    assert compute(store, desired_retention=0.85).desired_retention == 0.85


def test_forecast_by_study_day(store: Store) -> None:
    result = compute(store)
    expected = [0] * 30
    expected[0] = 3  # q8 overdue since the 19th, q4's learning step (overdue), q3 due 23 Nov 03:45 (still the 22nd)
    expected[1] = 1  # q5, 23 Nov 08:00
    expected[2] = 1  # q2, 24 Nov 09:00
    expected[21] = 1  # q1, 13 Dec 10:00; q7 is suspended, q6 never started
    assert result.forecast == tuple(expected)
    assert result.today.due == result.forecast[0]


def test_mastery_per_era_in_era_order(store: Store) -> None:
    assert compute(store).mastery == (
        Mastery("early", new=0, learning=0, young=2, mature=1),  # q1 25 d is mature; q2 4 d and q8 1 d young
        Mastery("middle", new=0, learning=1, young=1, mature=0),  # q4 learning, q3 2 d
        Mastery("late", new=1, learning=0, young=2, mature=0),  # q6 never seen; q5 and (suspended) q7
    )


def test_hardest_questions(store: Store) -> None:
    result = compute(store)
    assert result.most_lapses == (HardQuestion("q8", 2, True), HardQuestion("q1", 1), HardQuestion("q3", 1))
    assert result.leech_count == 1
    assert result.leeches == (HardQuestion("q8", 2, True),)
    # Whole days since the last review / stability: q8 3/0.4, q2 2/4, q3 1/2.5, q1 4/25, q5 0/1.2.
    assert [h.question_id for h in result.lowest_retrievability] == ["q8", "q2", "q3", "q1", "q5"]
    assert result.lowest_retrievability[-1].retrievability == 1.0
    factor = 0.9 ** (-1 / 0.1542) - 1
    assert result.lowest_retrievability[0].retrievability == pytest.approx((1 + factor * 3 / 0.4) ** -0.1542)
    for hard in result.lowest_retrievability:  # the same as the scheduler says for the stored card
        assert hard.retrievability == pytest.approx(SCHED.retrievability(store.card("ana", hard.question_id), NOW))
    assert len(compute(store, limit=2).lowest_retrievability) == 2


# `quiz stats --json --days 7` for ana at NOW (the CLI test checks its output against this too).
EXPECTED_JSON_7D: dict[str, object] = {
    "profile": "ana", "day": "2026-11-22", "era": None, "reviews_total": 19, "streak_days": 3,
    "due_today": 3, "done_today": 2, "new_today": 2,
    "retention_7d": 0.4, "retention_7d_reviews": 5, "retention_30d": 0.3333, "retention_30d_reviews": 6,
    "desired_retention": 0.9,
    "forecast": [3, 1, 1] + [0] * 18 + [1] + [0] * 8,
    "eras": {
        "early": {"new": 0, "learning": 0, "young": 2, "mature": 1},
        "middle": {"new": 0, "learning": 1, "young": 1, "mature": 0},
        "late": {"new": 1, "learning": 0, "young": 2, "mature": 0},
    },
    "heatmap": {"2026-11-16": 1, "2026-11-17": 2, "2026-11-18": 3, "2026-11-19": 0, "2026-11-20": 4,
                "2026-11-21": 1, "2026-11-22": 2},
    "time_seconds": {"today": 20, "7d": 111, "total": 182},
    "hardest": {
        "most_lapses": [{"id": "q8", "lapses": 2, "leech": True}, {"id": "q1", "lapses": 1, "leech": False},
                        {"id": "q3", "lapses": 1, "leech": False}],
        "leech_count": 1,
        "leeches": ["q8"],
        # (1 + factor * t / S) ** -0.1542 with t / S = 3 / 0.4, 2 / 4, 1 / 2.5, 4 / 25, 0 / 1.2
        "lowest_retrievability": [{"id": "q8", "retrievability": 0.7209}, {"id": "q2", "retrievability": 0.9403},
                                  {"id": "q3", "retrievability": 0.9503}, {"id": "q1", "retrievability": 0.983},
                                  {"id": "q5", "retrievability": 1.0}],
    },
}


def test_as_json(store: Store) -> None:
    assert compute(store, days=7).as_json() == EXPECTED_JSON_7D


def test_one_era(store: Store) -> None:
    result = compute(store, era="middle", days=7)
    assert result.reviews_total == 4  # q3 three times, q4 once
    assert dict(result.heatmap) == {"2026-11-16": 0, "2026-11-17": 0, "2026-11-18": 0, "2026-11-19": 0,
                                    "2026-11-20": 3, "2026-11-21": 1, "2026-11-22": 0}
    assert result.today == Today(due=2, done=0, new=0, seconds=0.0)
    assert result.retention_7d == Retention(7, 1, 0)
    assert result.time == TimeSpent(0.0, 52.0, 52.0)
    assert result.mastery == (Mastery("middle", 0, 1, 1, 0),)
    assert [h.question_id for h in result.most_lapses] == ["q3"]
    assert result.leech_count == 0 and result.leeches == ()
    assert result.streak == 3  # the streak is the learner's, whatever the era


def test_a_profile_with_nothing(store: Store) -> None:
    result = stats.compute(store, "nobody", NOW, UTC, era_order=ERAS, days=7)
    assert (result.reviews_total, result.streak, result.today) == (0, 0, Today(0, 0, 0, 0.0))
    assert result.forecast == (0,) * 30 and set(dict(result.heatmap).values()) == {0}
    assert result.retention_30d.rate is None and result.as_json()["retention_30d"] is None
    assert result.mastery == (Mastery("early", 3, 0, 0, 0), Mastery("middle", 2, 0, 0, 0), Mastery("late", 3, 0, 0, 0))
    assert result.most_lapses == result.lowest_retrievability == ()


def test_forecast_days_follow_the_local_rollover_across_daylight_saving_time() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # summer time ends on Sunday 25 October 2026
    bounds = stats._forecast_bounds(date(2026, 10, 23), berlin)
    ends = [hi for _, hi in bounds]
    assert ends[0] == to_ms(datetime(2026, 10, 24, 2, tzinfo=UTC))  # 04:00 CEST
    assert ends[1] - ends[0] == 25 * 3_600_000  # the day of the change is 25 hours long
    assert ends[2] == to_ms(datetime(2026, 10, 26, 3, tzinfo=UTC))  # 04:00 CET
    assert bounds[1][0] == ends[0] and bounds[0][0] < to_ms(datetime(1970, 1, 1, tzinfo=UTC))


# --- retrievability now, as the scheduler computes it -------------------------------------------------------------


def test_default_decay_is_fsrs6s() -> None:
    assert default_parameters()[20] == FSRS6_DEFAULT_DECAY
    assert stats.decay_of(None) == FSRS6_DEFAULT_DECAY
    assert stats.decay_of(list(range(19))) == FSRS6_DEFAULT_DECAY
    assert stats.decay_of([0.0] * 20 + [0.3]) == 0.3


@pytest.mark.parametrize("decay", [0.1542, 0.3, 0.8])
@pytest.mark.parametrize(("days", "stability"), [(0, 1.0), (1, 1.0), (3, 0.4), (10, 25.0), (400, 30.0)])
def test_forgetting_curve_matches_the_scheduler(decay: float, days: int, stability: float) -> None:
    parameters = default_parameters()[:20] + (decay,)
    scheduler = Scheduler(SchedulerConfig(fuzz=False, parameters=parameters))
    last = datetime(2026, 1, 1, 10, tzinfo=UTC)
    card = CardState("q", R, stability=stability, difficulty=5.0, due=last + D, last_review=last)
    now = last + timedelta(days=days, hours=5)  # the scheduler counts whole days
    assert stats.forgetting_curve(days, stability, decay) == pytest.approx(scheduler.retrievability(card, now))


def test_fitted_decay_is_used(store: Store) -> None:
    parameters = default_parameters()[:20] + (0.5,)
    scheduler = Scheduler(SchedulerConfig(fuzz=False, parameters=parameters))
    first = compute(store, parameters=parameters).lowest_retrievability[0]
    assert first.retrievability == pytest.approx(scheduler.retrievability(store.card("ana", "q8"), NOW))
    assert first.retrievability != compute(store).lowest_retrievability[0].retrievability


# --- a question's history -------------------------------------------------------------------------------------------


def test_history(store: Store) -> None:
    entries = stats.history(store, "ana", "q3")
    assert [(e.at, e.day, e.rating, e.phase_before, e.answer, e.correct) for e in entries] == [
        (at("2026-11-20T20:00"), "2026-11-20", 4, 0, "answer 4", True),
        (at("2026-11-21T03:30"), "2026-11-20", 1, 2, "answer 1", False),
        (at("2026-11-21T03:45"), "2026-11-20", 3, 3, "answer 3", True),
    ]
    assert [e.interval_days for e in entries] == pytest.approx([8.0, 10 / 1440, 2.0])
    assert [e.stability_after for e in entries] == [8.0, 2.0, 2.5]
    assert entries[0].retrievability is None  # a new card has no memory yet
    factor = 0.9 ** (-1 / 0.1542) - 1
    assert entries[1].retrievability == pytest.approx(1.0)  # 7.5 hours after the first answer: 0 whole days
    assert entries[2].retrievability == pytest.approx((1 + factor * 0 / 2.0) ** -0.1542)
    assert entries[0].as_json() == {
        "at": "2026-11-20T20:00:00Z", "day": "2026-11-20", "answer": "answer 4", "correct": True, "rating": 4,
        "interval_days": 8.0, "stability": 8.0, "retrievability": None, "duration_ms": 7000,
    }
    assert stats.history(store, "ana", "q6") == ()
    assert stats.history(store, "nobody", "q1") == ()


# --- the store: the rollup, the queries' plans ----------------------------------------------------------------------


def _by_day(store: Store) -> list[tuple[object, ...]]:
    return store.conn.execute(
        "SELECT profile_id, day, COUNT(*), SUM(phase_before = 2), SUM(phase_before = 2 AND rating > 1), "
        "SUM(phase_before = 0), SUM(duration_ms) FROM reviews GROUP BY profile_id, day ORDER BY profile_id, day"
    ).fetchall()


def _rollup(store: Store) -> list[tuple[object, ...]]:
    return store.conn.execute("SELECT * FROM review_days ORDER BY profile_id, day").fetchall()


def test_review_days_follow_answers_undo_and_edits(store: Store) -> None:
    assert _rollup(store) == _by_day(store)
    assert store.stats_days("ana", "2026-11-20", "2026-11-20") == [DayStats("2026-11-20", 4, 2, 1, 1, 31000)]
    assert store.undo_last("ana") is not None  # q7's answer: the 22nd now has one answer
    assert _rollup(store) == _by_day(store)
    assert store.stats_days("ana", "2026-11-22", "2026-11-22") == [DayStats("2026-11-22", 1, 0, 0, 1, 14000)]
    store.conn.execute("UPDATE reviews SET day = '2026-11-19', rating = 3 WHERE day = '2026-11-22'")
    assert _rollup(store) == _by_day(store)
    assert [row.day for row in store.stats_days("ana", "2026-11-19", "2026-11-22")] == [
        "2026-11-19", "2026-11-20", "2026-11-21"]  # the emptied day is gone
    store.conn.execute("DELETE FROM profiles WHERE name = 'ana'")
    assert _rollup(store) == [] == _by_day(store)


def test_upgrading_fills_review_days_from_the_log(tmp_path: Path) -> None:
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    old = Database(path)
    migrations.migrations(upto=2).apply(old)
    old.close()
    with Store.open(path, now=NOW) as store:  # make a log at schema 2, the way an older quiz wrote it
        store.conn.execute("DROP TRIGGER review_days_insert")
        store.conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0003_review_days'")
        store.conn.execute("DROP TRIGGER review_days_delete")
        store.conn.execute("DROP TRIGGER review_days_update")
        store.conn.execute("DROP TABLE review_days")
        store.sync_questions(BANK, NOW)
        build_history(store)
    with Store.open(path, now=NOW) as store:
        assert store.schema_version() == len(migrations.NAMES)
        assert len(_rollup(store)) == 10 and _rollup(store) == _by_day(store)
        assert compute(store).reviews_total == 19


def test_upgrading_indexes_the_hardest_cards(tmp_path: Path) -> None:
    """A database of schema 4 with lapses and a leech: 0005 adds its two partial indexes, and the hardest questions
    read from them are the ones read without them."""
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    old = Database(path)
    migrations.migrations(upto=4).apply(old)
    old.close()
    with Store.open(path, now=NOW) as store:  # upgraded to the end: take 0005 back out, then write progress
        store.conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0005_hard_cards'")
        store.conn.execute("DROP INDEX cards_lapses")
        store.conn.execute("DROP INDEX cards_leeches")
        store.sync_questions(BANK, NOW)
        build_history(store)
        before = compute(store)
    with Store.open(path, now=NOW) as store:
        assert store.schema_version() == len(migrations.NAMES)
        indexes = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"cards_lapses", "cards_leeches"} <= indexes
        after = compute(store)
        assert "cards_lapses" in plan(store, SQL_STATS_LAPSES.format(era=""), profile=1, limit=10)
    assert after.most_lapses == before.most_lapses == (HardQuestion("q8", 2, True), HardQuestion("q1", 1),
                                                       HardQuestion("q3", 1))
    assert (after.leech_count, after.leeches) == (before.leech_count, before.leeches) == (
        1, (HardQuestion("q8", 2, True),))


def plan(store: Store, sql: str, **params: object) -> str:
    rows = store.conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return " | ".join(row[3] for row in rows)


def test_stats_queries_use_indexes(store: Store) -> None:
    p = {"profile": 1, "limit": 10}
    days = plan(store, SQL_STATS_DAYS_ALL, profile=1, since="2026-01-01", until="2026-11-22")
    assert "review_days USING PRIMARY KEY (profile_id=? AND day>? AND day<?)" in days
    assert "USING PRIMARY KEY (profile_id=?)" in plan(store, SQL_STATS_TOTALS_ALL, profile=1)
    for sql in (SQL_STATS_DAYS, SQL_STATS_TOTALS):  # with an era: the log itself, through its covering index
        text = plan(store, sql.format(era="AND r.qid IN (SELECT qid FROM questions WHERE era = :era)"),
                    profile=1, since="2026-01-01", until="2026-11-22", era="early")
        assert "SEARCH r USING INDEX reviews_profile_" in text and "SCAN r " not in text
    forecast = plan(store, SQL_STATS_FORECAST.format(era=""), profile=1, bounds="[[0, 1]]")
    assert "USING COVERING INDEX cards_due_state (profile_id=? AND due>? AND due<?)" in forecast  # no card look-up
    mastery = plan(store, SQL_STATS_MASTERY.format(era=""), profile=1, mature_ms=1)
    assert "SEARCH q USING COVERING INDEX questions_active_era (active=?)" in mastery  # eras in index order
    assert "USING PRIMARY KEY (profile_id=? AND qid=?)" in mastery and "TEMP B-TREE" not in mastery
    log = plan(store, SQL_REVIEW_LOG, profile=1)  # the review log from the index alone, already in order
    assert log == "SEARCH r USING COVERING INDEX reviews_profile_question_log (profile_id=?)"
    # The hardest questions: the cards with a lapse, most first, and the leeches from partial indexes (0005).
    lapses = plan(store, SQL_STATS_LAPSES.format(era=""), **p)
    assert "SEARCH c USING INDEX cards_lapses (profile_id=? AND lapses>?)" in lapses
    assert "RIGHT PART OF ORDER BY" in lapses  # walked most lapses first: stops at the limit
    leeches = plan(store, SQL_STATS_LEECHES.format(era=""), **p)
    assert "SEARCH c USING COVERING INDEX cards_leeches (profile_id=? AND leech=?)" in leeches
    forgotten = plan(store, SQL_STATS_FORGOTTEN.format(era=""), now=0, **p)
    assert "SEARCH c USING PRIMARY KEY (profile_id=?)" in forgotten and "SCAN c" not in forgotten


def test_review_log_streams_card_by_card(store: Store) -> None:
    rows = list(store.review_log("ana"))
    assert len(rows) == 19
    assert rows == sorted(rows, key=lambda r: (r[0], r[1]))  # (qid, reviewed_at, rating, phase_before)
    assert [(rating, phase) for qid, _, rating, phase in rows if qid == rows[0][0]][:2] == [(3, 0), (3, 2)]
    assert list(store.review_log("nobody")) == []


def test_a_read_error_is_a_store_error(store: Store) -> None:
    store.conn.execute("DROP TRIGGER review_days_insert")
    store.conn.execute("DROP TRIGGER review_days_delete")
    store.conn.execute("DROP TRIGGER review_days_update")
    store.conn.execute("DROP TABLE review_days")
    from quiz.errors import StoreError

    with pytest.raises(StoreError, match="database error"):
        store.stats_totals("ana")


def test_forecast_leaves_out_retired_questions_and_needs_no_join_while_none_is(store: Store) -> None:
    from quiz.store.stats import SQL_STATS_FORECAST_ALL

    text = plan(store, SQL_STATS_FORECAST_ALL, profile=1, bounds="[[0, 1]]")
    assert "USING COVERING INDEX cards_due_state (profile_id=? AND due>? AND due<?)" in text and " q " not in text
    assert compute(store).forecast[0] == 3
    store.sync_questions([row for row in BANK if row[0] != "q8"], NOW)  # q8 (overdue) leaves the bank
    assert store.conn.execute("SELECT active FROM questions WHERE id = 'q8'").fetchone() == (0,)
    assert compute(store).forecast[0] == 2
    assert compute(store, era="early").forecast[0] == 0
