"""The FSRS adapter: the only module that imports `fsrs` (FSRS-6).

Other modules import this one lazily (inside functions), so commands that do not schedule never pay for fsrs.

Determinism: fsrs fuzzes review intervals with Python's global `random`. This adapter always runs fsrs with its own
fuzzing off and applies the same fuzz itself (the fsrs 6.3 / Anki ranges), drawing the random number

- by default from a hash of (question id, repetition number, review time): `review` is a pure function, and
  `preview` shows exactly the due times `review` will give;
- from `rng` when one is given (`Scheduler(config, rng=random.Random(seed))`), for simulations;
- never, when `SchedulerConfig(fuzz=False)` (what tests use).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import fsrs

from quiz.errors import QuizError
from quiz.model import CardPhase, CardState, Rating

# Fuzz ranges of fsrs 6.3 (and Anki): (start, end, factor) in days.
_FUZZ_RANGES: tuple[tuple[float, float, float], ...] = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))
_DAY = timedelta(days=1)


def default_parameters() -> tuple[float, ...]:
    """FSRS-6's default model parameters (21 numbers)."""
    return tuple(fsrs.Scheduler().parameters)


@dataclass(frozen=True)
class SchedulerConfig:
    """How cards are scheduled; `parameters=None` means FSRS's defaults."""

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    fuzz: bool = True
    parameters: tuple[float, ...] | None = None


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("scheduler times must be timezone-aware")
    return moment.astimezone(timezone.utc)


def to_fsrs_card(state: CardState, now: datetime) -> fsrs.Card:
    """`state` as an fsrs Card; a NEW card is fsrs's fresh Learning card (step 0, no memory state) due `now`."""
    if state.phase is CardPhase.NEW:
        return fsrs.Card(card_id=0, state=fsrs.State.Learning, step=0, due=_utc(now))
    return fsrs.Card(
        card_id=0,
        state=fsrs.State(int(state.phase)),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_utc(state.due if state.due is not None else now),
        last_review=None if state.last_review is None else _utc(state.last_review),
    )


def from_fsrs_card(card: fsrs.Card, *, question_id: str, lapses: int, reps: int) -> CardState:
    """An fsrs Card as a CardState; a card never reviewed (no memory state) is NEW."""
    if card.state == fsrs.State.Learning and card.stability is None and card.last_review is None:
        return CardState(question_id=question_id, lapses=lapses, reps=reps)
    return CardState(
        question_id=question_id,
        phase=CardPhase(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        lapses=lapses,
        reps=reps,
    )


class Scheduler:
    """FSRS scheduling of CardStates; see the module docstring for how fuzz is made deterministic."""

    def __init__(self, config: SchedulerConfig | None = None, *, rng: random.Random | None = None) -> None:
        self.config = config if config is not None else SchedulerConfig()
        self._rng = rng
        try:
            self._fsrs = fsrs.Scheduler(
                parameters=self.config.parameters if self.config.parameters is not None else default_parameters(),
                desired_retention=self.config.desired_retention,
                learning_steps=self.config.learning_steps,
                relearning_steps=self.config.relearning_steps,
                maximum_interval=self.config.maximum_interval,
                enable_fuzzing=False,
            )
        except ValueError as exc:
            detail = str(exc).splitlines()
            raise QuizError(
                f"invalid FSRS parameters: {detail[-1] if detail else exc}",
                hint="run `quiz optimize` again or remove the profile's fitted parameters",
            ) from None

    def review(self, state: CardState, rating: Rating, now: datetime) -> CardState:
        """The card after answering with `rating` at `now` (pure: nothing is stored)."""
        now = _utc(now)
        card, _log = self._fsrs.review_card(to_fsrs_card(state, now), fsrs.Rating(int(rating)), now)
        reps = state.reps + 1
        lapses = state.lapses + (1 if state.phase is CardPhase.REVIEW and rating is Rating.AGAIN else 0)
        if self.config.fuzz and card.state == fsrs.State.Review:
            card.due = now + self._fuzzed(card.due - now, state.question_id, reps, now)
        return from_fsrs_card(card, question_id=state.question_id, lapses=lapses, reps=reps)

    def preview(self, state: CardState, now: datetime) -> dict[Rating, datetime]:
        """When the card comes back for each rating ("comes back in …")."""
        return {rating: self.review(state, rating, now).due or now for rating in Rating}

    def retrievability(self, state: CardState, now: datetime) -> float | None:
        """FSRS's predicted probability of recall at `now` (whole elapsed days, as fsrs counts); None for new cards."""
        if state.phase is CardPhase.NEW or state.stability is None or state.last_review is None:
            return None
        return float(self._fsrs.get_card_retrievability(to_fsrs_card(state, now), _utc(now)))

    @staticmethod
    def interval_days(state: CardState) -> float | None:
        """Days from the last review to the due time; None for new cards."""
        if state.due is None or state.last_review is None:
            return None
        return (state.due - state.last_review) / _DAY

    def _fuzzed(self, interval: timedelta, question_id: str, reps: int, now: datetime) -> timedelta:
        days = interval.days
        if days < 2.5:
            return interval
        delta = 1.0
        for start, end, factor in _FUZZ_RANGES:
            delta += factor * max(min(float(days), end) - start, 0.0)
        high = min(round(days + delta), self.config.maximum_interval)
        low = min(max(2, round(days - delta)), high)
        draw = self._rng.random() if self._rng is not None else _unit_hash(question_id, reps, now)
        return timedelta(days=min(round(draw * (high - low + 1) + low), self.config.maximum_interval))


def _unit_hash(question_id: str, reps: int, now: datetime) -> float:
    """A number in [0, 1) that depends only on the arguments."""
    key = f"{question_id}\x1f{reps}\x1f{now.isoformat()}".encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") / 2.0**64


def validate_parameters(parameters: Sequence[float]) -> tuple[float, ...]:
    """`parameters` as a tuple if fsrs accepts them; QuizError naming the problem otherwise."""
    Scheduler(SchedulerConfig(parameters=tuple(float(p) for p in parameters)))
    return tuple(float(p) for p in parameters)
