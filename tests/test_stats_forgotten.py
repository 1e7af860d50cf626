"""The lowest-recall list of `quiz stats` (`Store.stats_forgotten`): its faster form, which ranks the cards alone
and looks up only a few questions, lists exactly what `SQL_STATS_FORGOTTEN` lists — ties on the ratio broken by
bank order, retired questions left out, a limit larger than the list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.store import SQL_STATS_FORGOTTEN, Store, from_ms

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
NOW_MS = 1_795_338_000_000
DAY_MS = 86_400_000
QUESTIONS = 120


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("forgotten") / "quiz.db"
    with Store.open(path, now=NOW) as opened:
        opened.sync_questions([(f"q{n:02d}", f"h{n}", "early" if n % 3 else "late", "card")
                               for n in reversed(range(QUESTIONS))], NOW)  # bank order is not id order
        opened.ensure_profile("ana")
        yield opened


card = st.tuples(st.integers(0, QUESTIONS - 1), st.sampled_from([2] * 8 + [1, 0]), st.sampled_from([0] * 9 + [1]),
                 st.sampled_from([0.5, 1.0, 2.0, 4.0] * 3 + [0.0]), st.sampled_from([0, 1, 2, 3, 8, 30, -2, None]))


def fill(store: Store, cards: list[tuple[int, int, int, float, int | None]], retired: set[int]) -> int:
    """Ana's cards exactly as given: (question, phase, suspended, stability, days since the last review)."""
    conn = store.conn
    pid = int(conn.execute("SELECT id FROM profiles WHERE name = 'ana'").fetchone()[0])
    conn.execute("BEGIN")
    conn.execute("DELETE FROM cards WHERE profile_id = ?", (pid,))
    conn.execute("UPDATE questions SET active = 1")
    conn.executemany("UPDATE questions SET active = 0 WHERE id = ?", [(f"q{n:02d}",) for n in retired])
    conn.executemany(
        "INSERT INTO cards(profile_id, qid, phase, stability, difficulty, due, last_review, reps, suspended) "
        "SELECT ?, qid, ?, ?, 5.0, ?, ?, 3, ? FROM questions WHERE id = ?",
        [(pid, phase, stability, NOW_MS, None if days is None else NOW_MS - days * DAY_MS - 7, suspended,
          f"q{n:02d}") for n, phase, suspended, stability, days in cards])
    conn.execute("COMMIT")
    return pid


def check(store: Store, pid: int, limit: int) -> None:
    expected = store.conn.execute(SQL_STATS_FORGOTTEN.format(era=""),
                                  {"profile": pid, "now": NOW_MS, "limit": limit}).fetchall()
    got = store.stats_forgotten("ana", NOW, limit)
    assert [(c.question_id, c.stability, c.last_review, c.lapses) for c in got] == \
           [(qid, s, from_ms(last), lapses) for qid, s, last, lapses in expected]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cards=st.lists(card, min_size=20, max_size=QUESTIONS, unique_by=lambda c: c[0]),
       retired=st.sets(st.integers(0, QUESTIONS - 1), max_size=30), limit=st.integers(1, 12))
def test_the_fast_form_lists_what_the_query_lists(store: Store, cards: list[tuple[int, int, int, float, int | None]],
                                                  retired: set[int], limit: int) -> None:
    check(store, fill(store, cards, retired), limit)
    by_era = store.stats_forgotten("ana", NOW, limit, era="late")  # with an era: the query itself
    assert all(c.question_id in {f"q{n:02d}" for n in range(0, QUESTIONS, 3)} for c in by_era)


@pytest.mark.parametrize("retired", [set(), set(range(0, QUESTIONS, 2)), set(range(QUESTIONS - 30))])
def test_ties_past_the_cards_fetched_and_retired_questions_among_them(store: Store, retired: set[int]) -> None:
    """Forty cards with the same ratio (more than the fast form fetches): bank order decides, by the query."""
    cards = [(n, 2, 0, 2.0, 4) for n in range(40)] + [(n, 2, 0, 4.0, 30) for n in range(100, 103)]
    pid = fill(store, cards, retired)
    for limit in (1, 3, 5, 10, 12):
        check(store, pid, limit)
