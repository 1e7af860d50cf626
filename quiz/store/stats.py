"""Statistics queries for `quiz stats`, and the review log streamed for `quiz optimize`.

Every figure is an SQL aggregate (GROUP BY day, era, ...) or a bounded list; no method loads the whole log, except
`review_log`, which streams it for fitting parameters. `era` restricts to that era's questions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from quiz.migrations import MATURE_MS
from quiz.store.connection import Connection
from quiz.store.rows import from_ms, to_ms
from quiz.store.values import CardLapses, CardMemory, DayStats, EraCounts, LogRow, ReviewTotals

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

# The same counts when every question is active and no era is asked for: the join to `questions` only checked
# `active` (every card has its question: a foreign key), so the covering index cards_due_state answers each
# range alone (100k cards: ~190 ms -> ~2 ms).
SQL_STATS_FORECAST_ALL = """
WITH b(i, lo, hi) AS (
  SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:bounds)
)
SELECT (SELECT COUNT(*) FROM cards c
        WHERE c.profile_id = :profile AND c.due >= b.lo AND c.due < b.hi AND c.phase > 0 AND c.suspended = 0)
FROM b
ORDER BY b.i
"""

# Whether any question is inactive (two probes of questions_active_position).
SQL_ANY_INACTIVE = """
SELECT EXISTS (SELECT 1 FROM questions WHERE active < 1) OR EXISTS (SELECT 1 FROM questions WHERE active > 1)
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

# The same counts from the ones migration 0006 keeps by triggers (for `MATURE_MS` only): one row per era with an
# active question (100k questions, 200 eras: ~50 ms -> well under 1 ms CPU).
SQL_STATS_MASTERY_KEPT = """
SELECT q.era, q.active - COALESCE(c.started, 0), COALESCE(c.learning, 0), COALESCE(c.young, 0),
       COALESCE(c.mature, 0)
FROM era_questions q LEFT JOIN era_cards c ON c.profile_id = :profile AND c.era = q.era
WHERE q.active > 0 {era}
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

# The same list without looking up each card's question (100k cards: ~24 ms -> ~17 ms CPU): the cards with the
# largest ratios, a few more than asked for, then their questions (active? their place in bank order), best first. It is
# the list when it holds `limit` active questions and the last card fetched has a smaller ratio than the last one
# kept (so no card left out could tie with it); else `SQL_STATS_FORGOTTEN` answers.
SQL_STATS_FORGOTTEN_TOP = """
WITH top(qid, ratio) AS (
  SELECT c.qid, MAX(0, (:now - c.last_review) / 86400000) / c.stability AS ratio
  FROM cards c
  WHERE c.profile_id = :profile AND c.phase = 2 AND c.suspended = 0 AND c.stability > 0
    AND c.last_review IS NOT NULL
  ORDER BY ratio DESC
  LIMIT :fetch
)
SELECT q.id, c.stability, c.last_review, c.lapses, q.active, t.ratio
FROM top t JOIN cards c ON c.profile_id = :profile AND c.qid = t.qid JOIN questions q ON q.qid = t.qid
ORDER BY t.ratio DESC, q.position
"""
FORGOTTEN_EXTRA = 16

SQL_REVIEW_LOG = """
SELECT r.qid, r.reviewed_at, r.rating, r.phase_before
FROM reviews r
WHERE r.profile_id = :profile
ORDER BY r.qid, r.reviewed_at, r.id
"""


class Stats(Connection):
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
        sql = SQL_STATS_FORECAST_ALL if era is None and not self._any_inactive() else \
            SQL_STATS_FORECAST.format(era=era_cards)
        return [row[0] for row in self._rows(sql, params)]

    def _any_inactive(self) -> bool:
        return bool(self._rows(SQL_ANY_INACTIVE, {})[0][0])

    def stats_mastery(self, profile: str, mature_days: int = 21, era: str | None = None) -> list[EraCounts]:
        """Each era's active questions by state (eras in no particular order)."""
        pid = self._read(lambda: self._pid(profile))
        params: dict[str, Any] = {"profile": -1 if pid is None else pid, "mature_ms": mature_days * 86_400_000}
        clause = ""
        if era is not None:
            params["era"] = era
            clause = _ERA_CARDS
        sql = SQL_STATS_MASTERY_KEPT if params["mature_ms"] == MATURE_MS else SQL_STATS_MASTERY
        return [EraCounts(*row) for row in self._rows(sql.format(era=clause), params)]

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
        rows = self._forgotten_top(params, limit) if era is None and limit > 0 else None
        if rows is None:
            rows = self._rows(SQL_STATS_FORGOTTEN.format(era=era_cards), params)
        return [CardMemory(qid, stability, from_ms(last), lapses) for qid, stability, last, lapses in rows]

    def _forgotten_top(self, params: dict[str, Any], limit: int) -> list[tuple[Any, ...]] | None:
        """`SQL_STATS_FORGOTTEN`'s rows from `SQL_STATS_FORGOTTEN_TOP`, or None when that cannot tell them."""
        fetch = limit + FORGOTTEN_EXTRA
        rows = self._rows(SQL_STATS_FORGOTTEN_TOP, dict(params, fetch=fetch))
        kept = [row for row in rows if row[4] == 1][:limit]
        if len(rows) == fetch and (len(kept) < limit or not rows[-1][5] < kept[-1][5]):
            return None  # cards left out may rank among (or tie with) those kept
        return [row[:4] for row in kept]

    def review_log(self, profile: str) -> Iterator[LogRow]:
        """Every review of the profile, card by card, oldest first (streamed: for fitting FSRS parameters)."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return
        yield from self._stream(SQL_REVIEW_LOG, {"profile": pid}, 10_000)
