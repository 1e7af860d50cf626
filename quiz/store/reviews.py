"""The review log read back: one question's reviews, a study day's counts, the streak of study days."""

from __future__ import annotations

from quiz.store.connection import Connection
from quiz.store.rows import REVIEW_COLS, review_record
from quiz.store.status import SQL_STUDY_DAYS, SQL_TODAY, streak_of
from quiz.store.values import DayCounts, ReviewRecord

SQL_STUDIED_ON = """
SELECT q.id FROM reviews r JOIN questions q ON q.qid = r.qid
WHERE r.profile_id = :profile AND r.day = :day
GROUP BY q.id ORDER BY MIN(r.reviewed_at), MIN(r.id)
"""

# Walks back one day at a time from today (or yesterday, when nothing was studied yet today), probing the index.
SQL_STREAK = """
WITH RECURSIVE walk(day, n) AS (
  SELECT CASE WHEN EXISTS (SELECT 1 FROM reviews WHERE profile_id = :profile AND day = :today)
              THEN :today ELSE date(:today, '-1 day') END, 0
  UNION ALL
  SELECT date(walk.day, '-1 day'), n + 1 FROM walk
  WHERE EXISTS (SELECT 1 FROM reviews WHERE profile_id = :profile AND day = walk.day)
)
SELECT MAX(n) FROM walk
"""


class Reviews(Connection):
    def reviews(self, profile: str, question_id: str) -> list[ReviewRecord]:
        """Every review of the question by the profile, oldest first."""
        rows = self._rows(
            f"SELECT {REVIEW_COLS} FROM reviews r JOIN questions q ON q.qid = r.qid "
            "JOIN profiles p ON p.id = r.profile_id WHERE p.name = ? AND q.id = ? ORDER BY r.reviewed_at, r.id",
            (profile, question_id),
        )
        return [review_record(row) for row in rows]

    def all_reviews(self, profile: str) -> list[ReviewRecord]:
        """The profile's whole review log, oldest first: every question, whether or not it is still in the bank,
        reset or suspended since (a reset keeps history)."""
        rows = self._rows(
            f"SELECT {REVIEW_COLS} FROM reviews r JOIN questions q ON q.qid = r.qid "
            "JOIN profiles p ON p.id = r.profile_id WHERE p.name = ? ORDER BY r.reviewed_at, r.id",
            (profile,),
        )
        return [review_record(row) for row in rows]

    def studied_on(self, profile: str, day: str) -> list[str]:
        """The ids of the questions answered on study day `day`, each once, in the order first answered."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return []
        rows = self._rows(SQL_STUDIED_ON, {"profile": pid, "day": day})
        return [row[0] for row in rows]

    def today_counts(self, profile: str, day: str) -> DayCounts:
        """Answers on study day `day`: to new cards, and to cards in review (learning steps count in neither)."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return DayCounts(0, 0)
        new, review = self._rows(SQL_TODAY, {"profile": pid, "day": day})[0]
        return DayCounts(new, review)

    def streak(self, profile: str, today: str) -> int:
        """Consecutive study days with answers, ending today (or yesterday when nothing was answered yet today)."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return 0
        # The study days come from review_days (one row per day with answers, kept by triggers): a walk in
        # Python over a few hundred short rows instead of one index probe per day in SQL (3 years: ~10 ms).
        return streak_of(self._stream(SQL_STUDY_DAYS, (pid, today), 64), today)


__all__ = ["SQL_STREAK", "SQL_TODAY", "Reviews"]
