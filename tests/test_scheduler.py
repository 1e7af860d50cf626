"""The FSRS adapter, with a pinned clock and fuzz off (except where fuzz itself is tested)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from quiz.errors import QuizError
from quiz.model import CardPhase, CardState, Rating
from quiz.scheduler import (
    Scheduler,
    SchedulerConfig,
    default_parameters,
    from_fsrs_card,
    to_fsrs_card,
)

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def scheduler() -> Scheduler:
    return Scheduler(SchedulerConfig(fuzz=False))


def graduate(scheduler: Scheduler, qid: str = "q") -> CardState:
    """A new card answered Good twice: a review card."""
    state = scheduler.review(CardState(qid), Rating.GOOD, NOW)
    state = scheduler.review(state, Rating.GOOD, state.due or NOW)
    assert state.phase is CardPhase.REVIEW
    return state


def test_new_card_good_goes_to_the_second_learning_step(scheduler: Scheduler) -> None:
    state = scheduler.review(CardState("q"), Rating.GOOD, NOW)
    assert state.phase is CardPhase.LEARNING
    assert state.step == 1
    assert state.due == NOW + 10 * MINUTE
    assert state.last_review == NOW
    assert (state.reps, state.lapses, state.question_id) == (1, 0, "q")


def test_new_card_again_stays_at_the_first_step(scheduler: Scheduler) -> None:
    state = scheduler.review(CardState("q"), Rating.AGAIN, NOW)
    assert state.phase is CardPhase.LEARNING
    assert state.step == 0
    assert state.due == NOW + MINUTE
    again = scheduler.review(state, Rating.AGAIN, state.due or NOW)
    assert again.step == 0
    assert again.due == NOW + 2 * MINUTE
    assert (again.reps, again.lapses) == (2, 0)  # lapses count only forgotten review cards


def test_graduating_gives_at_least_a_day(scheduler: Scheduler) -> None:
    state = graduate(scheduler)
    assert state.step is None
    assert (scheduler.interval_days(state) or 0) >= 1
    easy = scheduler.review(CardState("q"), Rating.EASY, NOW)
    assert easy.phase is CardPhase.REVIEW
    assert (scheduler.interval_days(easy) or 0) >= 1


def test_repeated_good_intervals_grow(scheduler: Scheduler) -> None:
    state = graduate(scheduler)
    intervals = [scheduler.interval_days(state) or 0]
    for _ in range(5):
        state = scheduler.review(state, Rating.GOOD, state.due or NOW)
        intervals.append(scheduler.interval_days(state) or 0)
    assert intervals == sorted(intervals)
    assert len(set(intervals)) == len(intervals)
    assert state.reps == 7


def test_again_on_a_review_card_relearns(scheduler: Scheduler) -> None:
    state = graduate(scheduler)
    at = state.due or NOW
    lapsed = scheduler.review(state, Rating.AGAIN, at)
    assert lapsed.phase is CardPhase.RELEARNING
    assert lapsed.step == 0
    assert lapsed.due == at + 10 * MINUTE
    assert lapsed.lapses == state.lapses + 1
    assert (lapsed.stability or 0) < (state.stability or 0)
    back = scheduler.review(lapsed, Rating.GOOD, lapsed.due or at)
    assert back.phase is CardPhase.REVIEW
    assert back.lapses == 1


def test_retrievability(scheduler: Scheduler) -> None:
    assert scheduler.retrievability(CardState("q"), NOW) is None
    state = graduate(scheduler)
    for _ in range(3):
        state = scheduler.review(state, Rating.GOOD, state.due or NOW)
    assert state.due is not None and state.last_review is not None
    assert scheduler.retrievability(state, state.last_review) == pytest.approx(1.0)
    assert scheduler.retrievability(state, state.due) == pytest.approx(0.9, abs=0.01)
    later = scheduler.retrievability(state, state.due + timedelta(days=30))
    assert later is not None and later < 0.9


def test_preview_matches_review() -> None:
    for config in (SchedulerConfig(fuzz=False), SchedulerConfig()):
        scheduler = Scheduler(config)
        state = graduate(Scheduler(SchedulerConfig(fuzz=False)))
        at = (state.due or NOW) + timedelta(days=3)
        preview = scheduler.preview(state, at)
        assert set(preview) == set(Rating)
        for rating, due in preview.items():
            assert scheduler.review(state, rating, at).due == due
        assert preview[Rating.AGAIN] < preview[Rating.HARD] <= preview[Rating.GOOD] <= preview[Rating.EASY]


def test_fuzz_is_deterministic() -> None:
    state = graduate(Scheduler(SchedulerConfig(fuzz=False)))
    for _ in range(3):
        state = Scheduler(SchedulerConfig(fuzz=False)).review(state, Rating.GOOD, state.due or NOW)
    at = state.due or NOW
    plain = Scheduler(SchedulerConfig(fuzz=False)).review(state, Rating.GOOD, at)
    fuzzed = Scheduler().review(state, Rating.GOOD, at)
    assert fuzzed == Scheduler().review(state, Rating.GOOD, at)  # pure: same inputs, same answer
    days, fuzzed_days = Scheduler.interval_days(plain), Scheduler.interval_days(fuzzed)
    assert days is not None and fuzzed_days is not None
    assert abs(fuzzed_days - days) <= max(2.0, 0.1 * days)
    # With a seeded generator, the same seed gives the same intervals.
    a = Scheduler(rng=random.Random(7)).review(state, Rating.GOOD, at)
    b = Scheduler(rng=random.Random(7)).review(state, Rating.GOOD, at)
    assert a == b


def test_round_trip_is_lossless(scheduler: Scheduler) -> None:
    states = [CardState("q")]
    state = CardState("q")
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.HARD, Rating.GOOD):
        state = scheduler.review(state, rating, state.due or NOW)
        states.append(state)
    assert {s.phase for s in states} == set(CardPhase)
    for original in states:
        card = to_fsrs_card(original, NOW)
        back = from_fsrs_card(card, question_id=original.question_id, lapses=original.lapses, reps=original.reps)
        assert back == original


def test_parameters() -> None:
    params = default_parameters()
    assert len(params) == 21
    custom = tuple(p * 1.01 if i < 4 else p for i, p in enumerate(params))
    fitted = Scheduler(SchedulerConfig(fuzz=False, parameters=custom)).review(CardState("q"), Rating.EASY, NOW)
    default = Scheduler(SchedulerConfig(fuzz=False)).review(CardState("q"), Rating.EASY, NOW)
    assert fitted.stability != default.stability
    with pytest.raises(QuizError, match="invalid FSRS parameters"):
        Scheduler(SchedulerConfig(parameters=(1.0, 2.0)))


def test_naive_times_are_refused(scheduler: Scheduler) -> None:
    with pytest.raises(ValueError):
        scheduler.review(CardState("q"), Rating.GOOD, NOW.replace(tzinfo=None))


def test_other_zones_are_accepted(scheduler: Scheduler) -> None:
    riyadh = NOW.astimezone(timezone(timedelta(hours=3)))
    assert scheduler.review(CardState("q"), Rating.GOOD, riyadh) == scheduler.review(CardState("q"), Rating.GOOD, NOW)
