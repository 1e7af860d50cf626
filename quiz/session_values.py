"""The session's values: its daily limits, the question on screen, the verdict on an answer, the counts left
and the summary at the end. Frozen and free of behaviour; `quiz.session` re-exports every one of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quiz.grading import Verdict
from quiz.model import CardState, Question, Rating

DEFAULT_NEW_PER_DAY = 10
DEFAULT_REVIEWS_PER_DAY = 200


@dataclass(frozen=True, slots=True)
class Limits:
    new_per_day: int = DEFAULT_NEW_PER_DAY
    reviews_per_day: int = DEFAULT_REVIEWS_PER_DAY
    session_new: int | None = None  # --new N: at most N new questions in this session
    session_total: int | None = None  # --limit N: at most N distinct questions in this session
    bury_siblings: bool = True  # questions sharing a fact (or revealing one another) never on the same day


@dataclass(frozen=True, slots=True)
class Counts:
    """What is left in this session, the question on screen included (as Anki counts): these only go down,
    but for a question answered wrong, which joins the learning ones."""

    new: int = 0
    learning: int = 0
    review: int = 0


@dataclass(frozen=True, slots=True)
class Presented:
    """A question on screen: where it stands in the session and in which order its options are shown.

    `again`: a learning question last answered wrong (not a learning step answered right). `ahead`: shown
    before it is due, because only questions in learning are left (learn-ahead)."""

    question: Question
    state: CardState
    number: int
    total: int
    shown_order: tuple[int, ...]
    shown_at: datetime
    phase: str  # "new", "review" or "learning"
    counts: Counts = Counts()
    again: bool = False
    ahead: bool = False


@dataclass(frozen=True, slots=True)
class Invalid:
    """A reply that cannot be understood for this kind: ask again, nothing was recorded."""

    reason: str  # a messages.py key: invalid.*, "near_miss" (asked once more) or "answer_in" (other language)
    n: int = 0


@dataclass(frozen=True, slots=True)
class Feedback:
    """The verdict on an answer that is already committed, and what follows from it."""

    question: Question
    given: str
    verdict: Verdict | None  # None for self-graded cards
    rating: Rating
    due: datetime | None
    now: datetime
    became_leech: bool
    lapses: int
    review_id: int
    before: CardState
    dont_know: bool = False  # the learner said "I don't know": the answer is shown, rated Again


@dataclass(frozen=True, slots=True)
class Summary:
    answered: int
    correct: int
    seconds: float
    streak: int
    due_tomorrow: int
    later_today: int = 0  # learning questions due again before the day ends (after this session)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None
