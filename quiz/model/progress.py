"""A learner's progress as values: ratings, card states and reviews (what the scheduler and the store pass)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum


class Rating(IntEnum):
    """The learner's verdict on one review, as in Anki and FSRS."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class CardPhase(IntEnum):
    """FSRS's card state (named phase here so it does not clash with `CardState`)."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True, slots=True)
class CardState:
    """A learner's scheduling state for one question."""

    question_id: str
    phase: CardPhase = CardPhase.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    lapses: int = 0
    reps: int = 0

    @property
    def is_new(self) -> bool:
        return self.phase is CardPhase.NEW


@dataclass(frozen=True, slots=True)
class Review:
    """One answer, as recorded in the review log."""

    question_id: str
    reviewed_at: datetime
    rating: Rating
    answer: str
    correct: bool | None
    duration_ms: int
    before: CardState
    after: CardState
