"""Answers: each one saved in one transaction (the card's new state, the review row, the leech flag), undone, or
re-rated. `before` must be the card as stored: CardChanged when another session changed it meanwhile."""

from __future__ import annotations

from datetime import datetime

from quiz.errors import CardChanged
from quiz.model import CardState, Rating, Review
from quiz.store.connection import Connection
from quiz.store.rows import REVIEW_COLS, STATE_COLS, interval_days, review_record, state_row, to_ms
from quiz.store.values import ReviewRecord


class Answers(Connection):
    def record_answer(
        self,
        profile: str,
        question_id: str,
        *,
        before: CardState,
        after: CardState,
        rating: Rating,
        answer: str,
        correct: bool | None,
        duration_ms: int,
        reviewed_at: datetime,
        day: str,
        retrievability: float | None,
        leech_threshold: int = 8,
    ) -> ReviewRecord:
        """Save one answer in one transaction: the card's new state, the review row, the leech flag.

        `before` must be the card as stored (as read from this store); CardChanged when another session changed it
        meanwhile. `became_leech` on the result says whether this answer just made the card a leech.
        """
        interval = interval_days(after)
        with self._write("this answer") as conn:
            pid = self._pid_create(profile, reviewed_at)
            qid = self._qid(question_id)
            row = conn.execute(
                f"SELECT {STATE_COLS}, c.leech FROM cards c WHERE c.profile_id = ? AND c.qid = ?", (pid, qid)
            ).fetchone()
            current = state_row(CardState(question_id)) if row is None else tuple(row[:8])
            if current != state_row(before):
                raise CardChanged(
                    f"'{question_id}' changed since it was read (answered in another session?); "
                    "nothing was saved of this answer, read the card again"
                )
            was_leech = bool(row[8]) if row is not None else False
            became_leech = not was_leech and leech_threshold > 0 and after.lapses >= leech_threshold
            after_row = state_row(after)
            conn.execute(
                "INSERT INTO cards(profile_id, qid, phase, step, stability, difficulty, due, last_review, lapses, "
                "reps, leech) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(profile_id, qid) DO UPDATE SET phase = excluded.phase, step = excluded.step, "
                "stability = excluded.stability, difficulty = excluded.difficulty, due = excluded.due, "
                "last_review = excluded.last_review, lapses = excluded.lapses, reps = excluded.reps, "
                "leech = MAX(leech, excluded.leech)",
                (pid, qid, *after_row, int(became_leech)),
            )
            cursor = conn.execute(
                "INSERT INTO reviews(profile_id, qid, reviewed_at, day, rating, answer, correct, duration_ms, "
                "retrievability, phase_before, step_before, stability_before, difficulty_before, due_before, "
                "last_review_before, lapses_before, reps_before, phase_after, step_after, stability_after, "
                "difficulty_after, due_after, last_review_after, lapses_after, reps_after, interval_days, "
                "became_leech) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?)",
                (
                    pid,
                    qid,
                    to_ms(reviewed_at),
                    day,
                    int(rating),
                    answer,
                    None if correct is None else int(correct),
                    int(duration_ms),
                    retrievability,
                    *state_row(before),
                    *after_row,
                    interval,
                    int(became_leech),
                ),
            )
            rid = int(cursor.lastrowid or 0)
        review = Review(question_id, reviewed_at, Rating(rating), answer, correct, int(duration_ms), before, after)
        return ReviewRecord(rid, review, day, retrievability, interval, became_leech)

    def undo_last(self, profile: str, review_id: int | None = None) -> tuple[str, CardState] | None:
        """Delete the profile's latest review (or review `review_id`, the one a session just recorded, so that
        another session's answers are never undone) and restore its card exactly as it was; None when there is
        none. CardChanged when the card changed after that review (it was reset, or answered in another session).
        """
        with self._write("the undo") as conn:
            pid = self._pid(profile)
            if pid is None:
                return None
            where = "r.profile_id = ?" + (" AND r.id = ?" if review_id is not None else "")
            params = (pid,) if review_id is None else (pid, review_id)
            row = conn.execute(
                f"SELECT {REVIEW_COLS}, r.qid FROM reviews r JOIN questions q ON q.qid = r.qid "
                f"WHERE {where} ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1",
                params,
            ).fetchone()
            if row is None:
                return None
            record, qid = review_record(row[:-1]), row[-1]
            question_id = record.review.question_id
            card = conn.execute(
                f"SELECT {STATE_COLS}, c.suspended, c.buried_until, c.leech FROM cards c "
                "WHERE c.profile_id = ? AND c.qid = ?",
                (pid, qid),
            ).fetchone()
            if card is None or tuple(card[:8]) != tuple(row[19:27]):
                raise CardChanged(
                    f"cannot undo the last answer to '{question_id}': the card changed since "
                    "(reset, or answered in another session)"
                )
            suspended, buried, leech = card[8:]
            leech = 0 if record.became_leech else leech
            before = record.review.before
            conn.execute("DELETE FROM reviews WHERE id = ?", (record.id,))
            if before.is_new and not suspended and buried is None and not leech and before.reps == 0:
                conn.execute("DELETE FROM cards WHERE profile_id = ? AND qid = ?", (pid, qid))
            else:
                conn.execute(
                    "UPDATE cards SET phase = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
                    "last_review = ?, lapses = ?, reps = ?, leech = ? WHERE profile_id = ? AND qid = ?",
                    (*state_row(before), leech, pid, qid),
                )
        return question_id, before

    def rerate(
        self, profile: str, review_id: int, *, rating: Rating, after: CardState, leech_threshold: int = 8
    ) -> ReviewRecord:
        """Change the rating of a review just recorded (the learner overrode the grader), in one transaction:
        the review row and the card take the new after-state. CardChanged when the card moved on since."""
        interval = interval_days(after)
        with self._write("the new rating") as conn:
            pid = self._pid(profile)
            row = conn.execute(
                f"SELECT {REVIEW_COLS}, r.qid FROM reviews r JOIN questions q ON q.qid = r.qid "
                "WHERE r.profile_id = ? AND r.id = ?",
                (pid, review_id),
            ).fetchone()
            if row is None:
                raise CardChanged(f"review {review_id} is gone (undone in another session?); nothing was changed")
            record, qid = review_record(row[:-1]), row[-1]
            card = conn.execute(
                f"SELECT {STATE_COLS}, c.leech FROM cards c WHERE c.profile_id = ? AND c.qid = ?", (pid, qid)
            ).fetchone()
            if card is None or tuple(card[:8]) != tuple(row[19:27]):
                raise CardChanged(
                    f"cannot change the rating of '{record.review.question_id}': the card changed since "
                    "(answered in another session?)"
                )
            was_leech = bool(card[8]) and not record.became_leech
            became_leech = not was_leech and leech_threshold > 0 and after.lapses >= leech_threshold
            after_row = state_row(after)
            conn.execute(
                "UPDATE reviews SET rating = ?, phase_after = ?, step_after = ?, stability_after = ?, "
                "difficulty_after = ?, due_after = ?, last_review_after = ?, lapses_after = ?, reps_after = ?, "
                "interval_days = ?, became_leech = ? WHERE id = ?",
                (int(rating), *after_row, interval, int(became_leech), review_id),
            )
            conn.execute(
                "UPDATE cards SET phase = ?, step = ?, stability = ?, difficulty = ?, due = ?, last_review = ?, "
                "lapses = ?, reps = ?, leech = ? WHERE profile_id = ? AND qid = ?",
                (*after_row, int(was_leech or became_leech), pid, qid),
            )
        old = record.review
        review = Review(old.question_id, old.reviewed_at, Rating(rating), old.answer, old.correct, old.duration_ms,
                        old.before, after)
        return ReviewRecord(review_id, review, record.day, record.retrievability, interval, became_leech)

