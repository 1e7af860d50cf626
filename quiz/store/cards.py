"""Cards: a profile's scheduling state per question, what is due, and the flags (suspended, buried, leech)."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from quiz.model import CardState
from quiz.store.connection import Connection
from quiz.store.rows import STATE_COLS, from_ms, opt_dt, opt_ms, state, to_ms
from quiz.store.status import (
    NOT_BURIED,
    ONLY,
    SQL_DUE_COUNTS,
    SQL_NEW,
    SQL_NEW_ROOM,
    SQL_NEXT_DUE,
    SQL_NEXT_DUE_BURIED,
)
from quiz.store.values import CardFlags

__all__ = ["SQL_DUE", "SQL_DUE_COUNTS", "SQL_LEARNING_WITHIN", "SQL_NEW", "SQL_NEW_ROOM", "SQL_NEXT_DUE",
           "SQL_NEXT_DUE_BURIED", "Cards"]

SQL_DUE = f"""
SELECT q.id, {STATE_COLS}
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.due < :horizon AND c.phase > 0 AND c.suspended = 0 AND {NOT_BURIED}
  AND q.active = 1
  AND CASE WHEN c.phase = 2 THEN c.due < :day_end ELSE c.due <= :now END
  {{only}}
ORDER BY c.phase = 2, c.due, q.position
LIMIT :limit
"""

SQL_LEARNING_WITHIN = f"""
SELECT q.id, {STATE_COLS}
FROM cards c JOIN questions q ON q.qid = c.qid
WHERE c.profile_id = :profile AND c.due <= :until AND c.phase IN (1, 3) AND c.suspended = 0 AND {NOT_BURIED}
  AND q.active = 1
  {{only}}
ORDER BY c.due, q.position
"""


class Cards(Connection):
    @staticmethod
    def _only(sql: str, only: Collection[str] | None, params: dict[str, Any]) -> str:
        if only is None:
            return sql.format(only="")
        params["only"] = json.dumps(list(only))
        return sql.format(only=ONLY)

    def card(self, profile: str, question_id: str) -> CardState:
        """The card's scheduling state (a NEW state when the learner never saw it)."""
        rows = self._rows(
            f"SELECT {STATE_COLS} FROM cards c JOIN profiles p ON p.id = c.profile_id "
            "JOIN questions q ON q.qid = c.qid WHERE p.name = ? AND q.id = ?",
            (profile, question_id),
        )
        return state(question_id, rows[0]) if rows else CardState(question_id)

    def cards(self, profile: str, question_ids: Collection[str]) -> dict[str, CardState]:
        """Every requested card's state (NEW for those never seen)."""
        result = {qid: CardState(qid) for qid in question_ids}
        rows = self._rows(
            f"SELECT q.id, {STATE_COLS} FROM cards c JOIN profiles p ON p.id = c.profile_id "
            "JOIN questions q ON q.qid = c.qid "
            "WHERE p.name = ? AND q.id IN (SELECT value FROM json_each(?))",
            (profile, json.dumps(list(question_ids))),
        )
        for row in rows:
            result[row[0]] = state(row[0], row[1:])
        return result

    def suspended_ids(self, profile: str) -> set[str]:
        """Ids of the profile's suspended questions (`quiz list --suspended`)."""
        rows = self._rows(
            "SELECT q.id FROM cards c JOIN profiles p ON p.id = c.profile_id JOIN questions q ON q.qid = c.qid "
            "WHERE p.name = ? AND c.suspended = 1", (profile,))
        return {row[0] for row in rows}

    def flags(self, profile: str, question_id: str) -> CardFlags:
        rows = self._rows(
            "SELECT c.suspended, c.buried_until, c.leech FROM cards c JOIN profiles p ON p.id = c.profile_id "
            "JOIN questions q ON q.qid = c.qid WHERE p.name = ? AND q.id = ?",
            (profile, question_id),
        )
        if not rows:
            return CardFlags()
        suspended, buried, leech = rows[0]
        return CardFlags(bool(suspended), opt_dt(buried), bool(leech))

    def due_reviews(
        self, profile: str, now: datetime, day_end: datetime, limit: int, only: Collection[str] | None = None
    ) -> list[CardState]:
        """Cards to review now: learning/relearning due by `now` first, then review cards due before `day_end`.

        Only active, unsuspended, unburied questions; `only` restricts to those ids.
        """
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return []
        now_ms, end_ms = to_ms(now), to_ms(day_end)
        params: dict[str, Any] = {
            "profile": pid,
            "now": now_ms,
            "day_end": end_ms,
            "horizon": max(end_ms, now_ms + 1),
            "limit": limit,
        }
        rows = self._rows(self._only(SQL_DUE, only, params), params)
        return [state(row[0], row[1:]) for row in rows]

    def due_counts(
        self, profile: str, now: datetime, day_end: datetime, only: Collection[str] | None = None
    ) -> tuple[int, int]:
        """How many cards `due_reviews` would list (without a limit): (learning or relearning, review)."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return 0, 0
        now_ms, end_ms = to_ms(now), to_ms(day_end)
        params: dict[str, Any] = {"profile": pid, "now": now_ms, "day_end": end_ms, "horizon": max(end_ms, now_ms + 1)}
        learning, review = self._rows(self._only(SQL_DUE_COUNTS, only, params), params)[0]
        return int(learning), int(review)

    def learning_due_within(
        self, profile: str, now: datetime, until: datetime, only: Collection[str] | None = None
    ) -> list[CardState]:
        """Learning/relearning cards due by `until` (a missed card coming back later in the session), by due."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return []
        params: dict[str, Any] = {"profile": pid, "now": to_ms(now), "until": to_ms(until)}
        rows = self._rows(self._only(SQL_LEARNING_WITHIN, only, params), params)
        return [state(row[0], row[1:]) for row in rows]

    def new_questions(
        self, profile: str, now: datetime, limit: int, only: Collection[str] | None = None
    ) -> list[str]:
        """Ids of active questions the learner has not started (not suspended or buried), in bank order."""
        pid = self._read(lambda: self._pid(profile))
        params: dict[str, Any] = {"profile": -1 if pid is None else pid, "now": to_ms(now), "limit": limit}
        if only is None and limit > 0:
            room = self._rows(SQL_NEW_ROOM, params)[0][0]
            if room is not None and room <= 0:
                return []
        return [row[0] for row in self._rows(self._only(SQL_NEW, only, params), params)]

    def next_due(self, profile: str, now: datetime, only: Collection[str] | None = None) -> datetime | None:
        """When the earliest started, unsuspended, active card is due (a buried one: when it is unburied)."""
        pid = self._read(lambda: self._pid(profile))
        if pid is None:
            return None
        params: dict[str, Any] = {"profile": pid, "now": to_ms(now)}
        candidates = [row[0] for row in self._rows(self._only(SQL_NEXT_DUE, only, params), params)]
        candidates += [row[0] for row in self._rows(self._only(SQL_NEXT_DUE_BURIED, only, params), params)]
        found = [ms for ms in candidates if ms is not None]
        return from_ms(min(found)) if found else None

    # -- card flags and resets -------------------------------------------------------------------------------------

    def _set_flag(self, profile: str, question_id: str, column: str, value: int | None, what: str) -> None:
        with self._write(what) as conn:
            pid = self._pid_create(profile, None)
            qid = self._qid(question_id)
            conn.execute(
                f"INSERT INTO cards(profile_id, qid, {column}) VALUES (?, ?, ?) "
                f"ON CONFLICT(profile_id, qid) DO UPDATE SET {column} = excluded.{column}",
                (pid, qid, value),
            )
            self._tidy(pid, qid)

    def _tidy(self, pid: int, qid: int | None = None) -> None:
        """Drop card rows that say nothing (new, never reviewed, no flags): no row means exactly that."""
        sql = (
            "DELETE FROM cards WHERE profile_id = ? AND phase = 0 AND reps = 0 AND lapses = 0 AND suspended = 0 "
            "AND buried_until IS NULL AND leech = 0"
        )
        self.conn.execute(sql + (" AND qid = ?" if qid is not None else ""), (pid, qid) if qid is not None else (pid,))

    def set_suspended(self, profile: str, question_id: str, suspended: bool) -> None:
        self._set_flag(profile, question_id, "suspended", int(suspended), "the suspension")

    def bury(self, profile: str, question_id: str, until: datetime | None) -> None:
        """Hide the card until `until` (None unburies it)."""
        self._set_flag(profile, question_id, "buried_until", opt_ms(until), "the burial")

    def reset(self, profile: str, question_ids: Collection[str] | None = None) -> int:
        """Put cards back to new (all of the profile's when None); the review log is kept. Returns how many."""
        with self._write("the reset") as conn:
            pid = self._pid(profile)
            if pid is None:
                return 0
            sql = (
                "UPDATE cards SET phase = 0, step = NULL, stability = NULL, difficulty = NULL, due = NULL, "
                "last_review = NULL, lapses = 0, reps = 0, leech = 0 WHERE profile_id = ? AND (phase > 0 OR reps > 0)"
            )
            params: tuple[Any, ...] = (pid,)
            if question_ids is not None:
                sql += " AND qid IN (SELECT qid FROM questions WHERE id IN (SELECT value FROM json_each(?)))"
                params += (json.dumps(list(question_ids)),)
            count = conn.execute(sql, params).rowcount
            self._tidy(pid)
        return count

