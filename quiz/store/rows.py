"""How values are stored: times as epoch milliseconds, card states and review rows as columns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from quiz.model import CardPhase, CardState, Rating, Review
from quiz.store.values import ReviewRecord

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)

STATE_COLS = "c.phase, c.step, c.stability, c.difficulty, c.due, c.last_review, c.lapses, c.reps"
"""A card's eight stored scalars, in `state_row` order."""

REVIEW_COLS = (
    "r.id, q.id, r.reviewed_at, r.day, r.rating, r.answer, r.correct, r.duration_ms, r.retrievability, "
    "r.interval_days, r.became_leech, "
    "r.phase_before, r.step_before, r.stability_before, r.difficulty_before, r.due_before, r.last_review_before, "
    "r.lapses_before, r.reps_before, "
    "r.phase_after, r.step_after, r.stability_after, r.difficulty_after, r.due_after, r.last_review_after, "
    "r.lapses_after, r.reps_after"
)
"""A review row as `review_record` reads it: columns 19 to 27 are the card after the review (`STATE_COLS` order)."""


def to_ms(moment: datetime) -> int:
    """An aware datetime as epoch milliseconds (sub-millisecond parts are dropped)."""
    if moment.tzinfo is None:
        raise ValueError("store times must be timezone-aware")
    return (moment - EPOCH) // _MS


def from_ms(ms: int) -> datetime:
    """Epoch milliseconds as an aware UTC datetime."""
    return EPOCH + ms * _MS


def opt_ms(moment: datetime | None) -> int | None:
    return None if moment is None else to_ms(moment)


def opt_dt(ms: int | None) -> datetime | None:
    return None if ms is None else from_ms(ms)


def state_row(state: CardState) -> tuple[Any, ...]:
    """The eight stored scalars of a CardState, in `STATE_COLS` order."""
    return (
        int(state.phase),
        state.step,
        state.stability,
        state.difficulty,
        opt_ms(state.due),
        opt_ms(state.last_review),
        state.lapses,
        state.reps,
    )


def state(question_id: str, row: Sequence[Any]) -> CardState:
    phase, step, stability, difficulty, due, last_review, lapses, reps = row
    return CardState(
        question_id=question_id,
        phase=CardPhase(phase),
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=opt_dt(due),
        last_review=opt_dt(last_review),
        lapses=lapses,
        reps=reps,
    )


def review_record(row: Sequence[Any]) -> ReviewRecord:
    """A review row read with `REVIEW_COLS`."""
    rid, qid, at, day, rating, answer, correct, duration, retr, interval, leech = row[:11]
    review = Review(
        question_id=qid,
        reviewed_at=from_ms(at),
        rating=Rating(rating),
        answer=answer,
        correct=None if correct is None else bool(correct),
        duration_ms=duration,
        before=state(qid, row[11:19]),
        after=state(qid, row[19:27]),
    )
    return ReviewRecord(rid, review, day, retr, interval, bool(leech))


def interval_days(after: CardState) -> float | None:
    """Days from the card's last review to when it is due (None for a card without both)."""
    if after.due is None or after.last_review is None:
        return None
    return (after.due - after.last_review) / timedelta(days=1)
