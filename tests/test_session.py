"""Unit tests for quiz.session.Session, the study loop as a state machine, driven directly (no CLI, no
terminal): the queue it builds, every transition (new, review, learning-step requeue, learn-ahead, invalid
replies, self-graded cards, re-rating, undo, skip, quitting with a summary, the end of the session) and the
daily and per-session limits. A real store on a temp database and FSRS without fuzz, with pinned clocks."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quiz.bank import load_bank
from quiz.model import Bank, CardPhase, CardState, Rating
from quiz.scheduler import Scheduler, SchedulerConfig
from quiz.session import LEARN_AHEAD, Feedback, Invalid, Limits, Presented, Session, new_session
from quiz.store import ReviewRecord, Store
from quiz.workspace import Workspace, open_workspace

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
DAY = "2026-03-02"
DAY_END = datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc)
PROFILE = "default"


def typed(qid: str) -> str:
    return f"""
  - id: {qid}
    kind: typed
    era: middle
    prompt: {{ar: "سؤال {qid}", en: "Question {qid}"}}
    answer: {{ar: صحيح, en: right}}
    explanation: {{ar: شرح, en: Because.}}
    source: {{doc: doc, para: 1}}"""


OTHER_KINDS = """
  - id: k-choice
    kind: choice
    era: middle
    prompt: {ar: "أين؟", en: "Where?"}
    answer: {ar: يالطا, en: Yalta}
    choices:
      - {ar: يالطا, en: Yalta}
      - {ar: جنيف, en: Geneva}
      - {ar: براغ, en: Prague}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 1}
  - id: k-order
    kind: order
    era: middle
    prompt: {ar: "رتب", en: "Put in order"}
    items:
      - {ar: أ, en: first, year: 1941}
      - {ar: ب, en: second, year: 1945}
      - {ar: ج, en: third, year: 1957}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 1}
  - id: k-tf
    kind: truefalse
    era: middle
    prompt: {ar: "صح أم خطأ؟", en: "True or false?"}
    answer: true
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 1}
  - id: k-card
    kind: card
    era: middle
    prompt: {ar: "بطاقة", en: "A card"}
    answer: {ar: جواب, en: An answer}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 1}
"""


@dataclass
class Lab:
    """A bank, a store and a scheduler; `session()` starts a Session on them as `quiz study` does."""

    bank: Bank
    ws: Workspace
    scheduler: Scheduler

    @property
    def store(self) -> Store:
        return self.ws.store

    def session(self, now: datetime = NOW, *, day: str = DAY, day_end: datetime = DAY_END,
                limits: Limits | None = None, only: list[str] | None = None, lang: str = "en",
                both_languages: bool = False, leech_lapses: int = 8, seed: int = 7) -> Session:
        return new_session(self.store, self.bank, self.scheduler, profile=PROFILE, lang=lang,  # type: ignore[arg-type]
                           now=now, day=day, day_end=day_end, only=only, limits=limits or Limits(),
                           rng=random.Random(seed), leech_lapses=leech_lapses, both_languages=both_languages)

    def card(self, qid: str) -> CardState:
        return self.store.card(PROFILE, qid)

    def reviews(self, qid: str) -> list[ReviewRecord]:
        return self.store.reviews(PROFILE, qid)


def make_lab(folder: Path, write_bank, questions: str) -> Iterator[Lab]:  # type: ignore[no-untyped-def]
    write_bank(folder / "bank", {"qs.yaml": "questions:" + questions + "\n"})
    result = load_bank([folder / "bank"], builtin=False, cache_dir=None)
    assert [str(p) for p in result.problems if p.severity == "error"] == []  # type: ignore[attr-defined]
    ws = open_workspace(folder / "quiz.db", result.bank, PROFILE, NOW)
    try:
        yield Lab(result.bank, ws, Scheduler(SchedulerConfig(fuzz=False)))
    finally:
        ws.close()


@pytest.fixture
def lab(tmp_path: Path, write_bank) -> Iterator[Lab]:  # type: ignore[no-untyped-def]
    """Five typed questions q0..q4 (answer 'right')."""
    yield from make_lab(tmp_path, write_bank, "".join(typed(f"q{i}") for i in range(5)))


@pytest.fixture
def kinds_lab(tmp_path: Path, write_bank) -> Iterator[Lab]:  # type: ignore[no-untyped-def]
    """One question of each non-typed kind, in bank order: choice, order, truefalse, card."""
    yield from make_lab(tmp_path, write_bank, OTHER_KINDS)


def ids_in_order(session: Session, now: datetime, reply: str = "right") -> list[str]:
    """Answer every question shown (all right) until the session ends; the ids in the order they came."""
    seen = []
    while (shown := session.next_question(now)) is not None:
        seen.append(shown.question.id)
        feedback = session.answer(reply, now)
        assert isinstance(feedback, Feedback)
    return seen


def graduate(lab: Lab, qid: str, now: datetime = NOW) -> None:
    """Put one card in review (Easy on a new card), as a past session would."""
    before = lab.card(qid)
    after = lab.scheduler.review(before, Rating.EASY, now)
    assert after.phase is CardPhase.REVIEW
    lab.store.record_answer(PROFILE, qid, before=before, after=after, rating=Rating.EASY, answer="right",
                            correct=True, duration_ms=1000, reviewed_at=now, day=DAY, retrievability=None,
                            leech_threshold=8)


# --- building the queue ---------------------------------------------------------------------------------------


def test_a_fresh_session_queues_new_questions_in_bank_order(lab: Lab) -> None:
    session = lab.session()
    assert session.remaining() == 5
    shown = session.next_question(NOW)
    assert isinstance(shown, Presented)
    assert (shown.question.id, shown.phase, shown.number, shown.total) == ("q0", "new", 1, 5)
    assert shown.state == CardState("q0") and shown.shown_at == NOW
    assert session.remaining() == 4


def test_due_reviews_come_before_new_questions(lab: Lab) -> None:
    graduate(lab, "q3")
    later = NOW + timedelta(days=90)
    assert lab.card("q3").due is not None and lab.card("q3").due <= later  # type: ignore[operator]
    session = lab.session(later, day="2026-05-31", day_end=later + timedelta(hours=19))
    first = session.next_question(later)
    assert first is not None and (first.question.id, first.phase) == ("q3", "review")
    assert ids_in_order(session, later)[:1] == ["q0"]


def test_a_review_not_yet_due_is_not_queued(lab: Lab) -> None:
    graduate(lab, "q3")
    session = lab.session(NOW + timedelta(minutes=5))
    assert "q3" not in ids_in_order(session, NOW + timedelta(minutes=5))


def test_only_restricts_the_queue(lab: Lab) -> None:
    session = lab.session(only=["q1", "q4"])
    assert ids_in_order(session, NOW) == ["q1", "q4", "q1", "q4"]  # each again after its 10-minute step


def test_cards_of_questions_no_longer_in_the_bank_are_not_shown(lab: Lab, tmp_path: Path, write_bank) -> None:  # type: ignore[no-untyped-def]
    graduate(lab, "q3")
    smaller = load_bank([write_bank(tmp_path / "small", {"qs.yaml": "questions:" + typed("q0") + "\n"})],
                        builtin=False, cache_dir=None).bank
    later = NOW + timedelta(days=90)
    session = new_session(lab.store, smaller, lab.scheduler, profile=PROFILE, lang="en", now=later,
                          day="2026-05-31", day_end=later + timedelta(hours=19), only=None, limits=Limits(),
                          rng=random.Random(1))
    assert ids_in_order(session, later) == ["q0", "q0"]  # new, then again after its 10-minute step


# --- limits ---------------------------------------------------------------------------------------------------


def test_the_daily_new_limit_counts_what_was_learnt_earlier_today(lab: Lab) -> None:
    assert lab.session(limits=Limits(new_per_day=2)).remaining() == 2
    first = lab.session(limits=Limits(new_per_day=3))
    assert set(ids_in_order(first, NOW)) == {"q0", "q1", "q2"}
    assert lab.store.today_counts(PROFILE, DAY).new_done == 3
    again = lab.session(NOW + timedelta(hours=2), limits=Limits(new_per_day=3))
    assert [e for e in ids_in_order(again, NOW + timedelta(hours=2)) if e in ("q3", "q4")] == []
    tomorrow = lab.session(NOW + timedelta(days=1), day="2026-03-03", day_end=DAY_END + timedelta(days=1),
                           limits=Limits(new_per_day=3))
    assert {"q3", "q4"} <= set(ids_in_order(tomorrow, NOW + timedelta(days=1)))


def test_session_new_overrides_the_daily_new_room(lab: Lab) -> None:
    assert lab.session(limits=Limits(new_per_day=1, session_new=4)).remaining() == 4
    assert lab.session(limits=Limits(new_per_day=5, session_new=0)).remaining() == 0


def test_the_daily_review_limit_caps_due_reviews(lab: Lab) -> None:
    for qid in ("q0", "q1", "q2"):
        graduate(lab, qid)
    later = NOW + timedelta(days=90)
    session = lab.session(later, day="2026-05-31", day_end=later + timedelta(hours=19),
                          limits=Limits(reviews_per_day=2, new_per_day=0))
    assert session.remaining() == 2
    assert [p.phase for p in iter(lambda: session.next_question(later), None)] == ["review", "review"]


def test_session_total_caps_distinct_questions(lab: Lab) -> None:
    session = lab.session(limits=Limits(session_total=2))
    assert session.remaining() == 2
    assert ids_in_order(session, NOW) == ["q0", "q1", "q0", "q1"]  # the same two again after their step


def test_session_total_counts_learning_cards_already_due(lab: Lab) -> None:
    first = lab.session()
    assert first.next_question(NOW) is not None
    assert isinstance(first.answer("wrong", NOW), Feedback)  # q0 is now in learning, due in a minute
    later = NOW + timedelta(minutes=5)
    session = lab.session(later, limits=Limits(session_total=3))
    assert session.remaining() == 3  # q0 (learning) and two of the queue
    assert ids_in_order(session, later) == ["q0", "q1", "q2", "q0", "q1", "q2"]  # each again after its step


# --- answering --------------------------------------------------------------------------------------------------


def test_a_right_answer_is_committed_before_the_feedback_is_returned(lab: Lab) -> None:
    session = lab.session()
    session.next_question(NOW)
    feedback = session.answer("right", NOW + timedelta(seconds=12))
    assert isinstance(feedback, Feedback)
    assert feedback.verdict is not None and feedback.verdict.correct
    assert (feedback.rating, feedback.given, feedback.before, feedback.became_leech) == (
        Rating.GOOD, "right", CardState("q0"), False)
    [review] = lab.reviews("q0")
    assert review.id == feedback.review_id and review.review.rating == Rating.GOOD
    assert lab.card("q0").phase is CardPhase.LEARNING and lab.card("q0").due == feedback.due


def test_a_wrong_answer_comes_back_after_its_learning_step(lab: Lab) -> None:
    session = lab.session()
    session.next_question(NOW)
    feedback = session.answer("wrong", NOW)
    assert isinstance(feedback, Feedback) and feedback.rating is Rating.AGAIN
    assert feedback.due == NOW + timedelta(minutes=1)
    assert session.remaining() == 5  # four new ones, and q0 again
    # Its step is not over: the queue goes on first.
    assert session.next_question(NOW + timedelta(seconds=30)).question.id == "q1"  # type: ignore[union-attr]
    session.answer("right", NOW + timedelta(seconds=30))
    # Once due, a learning card comes before the rest of the queue.
    back = session.next_question(NOW + timedelta(minutes=2))
    assert back is not None and (back.question.id, back.phase) == ("q0", "learning")


def test_learning_cards_are_shown_early_within_the_learn_ahead_limit_then_the_session_ends(lab: Lab) -> None:
    session = lab.session(limits=Limits(session_total=1))
    session.next_question(NOW)
    feedback = session.answer("right", NOW)  # Good on a new card: the 10-minute step
    assert isinstance(feedback, Feedback) and feedback.due == NOW + timedelta(minutes=10)
    assert feedback.due - NOW <= LEARN_AHEAD
    early = session.next_question(NOW + timedelta(seconds=5))
    assert early is not None and (early.question.id, early.phase) == ("q0", "learning")
    final = session.answer("right", NOW + timedelta(seconds=5))
    assert isinstance(final, Feedback) and final.due is not None and final.due - NOW > LEARN_AHEAD
    assert session.remaining() == 0
    assert session.next_question(NOW + timedelta(seconds=10)) is None


def test_a_learning_card_beyond_the_learn_ahead_limit_ends_the_session(lab: Lab) -> None:
    session = lab.session(limits=Limits(session_total=1))
    session.next_question(NOW)
    session.answer("right", NOW)
    assert session.remaining() == 1
    # Seen from 21 minutes before the answer, the 10-minute step is 31 minutes away: beyond learn-ahead.
    assert session.next_question(NOW - LEARN_AHEAD - timedelta(minutes=1)) is None
    assert session.remaining() == 1  # still waiting, not dropped
    assert session.next_question(NOW) is not None


def test_the_end_of_the_session(lab: Lab) -> None:
    session = lab.session(limits=Limits(session_total=2))
    for qid in ("q0", "q1"):
        assert session.next_question(NOW).question.id == qid  # type: ignore[union-attr]
        session.answer("right", NOW)
    later = NOW + timedelta(minutes=30)  # both 10-minute steps are due again
    assert ids_in_order(session, later) == ["q0", "q1"]
    assert session.remaining() == 0
    assert session.next_question(later) is None
    with pytest.raises(RuntimeError, match="no question is on screen"):
        session.answer("right", later)


def test_invalid_replies_record_nothing_and_keep_the_question(kinds_lab: Lab) -> None:
    session = kinds_lab.session()
    assert session.next_question(NOW).question.id == "k-choice"  # type: ignore[union-attr]
    assert session.answer("7", NOW) == Invalid("invalid.choice", 3)
    assert kinds_lab.reviews("k-choice") == []
    shown = session.answer("1", NOW)
    assert isinstance(shown, Feedback)
    assert session.next_question(NOW).question.id == "k-order"  # type: ignore[union-attr]
    assert session.answer("1 1 9", NOW) == Invalid("invalid.order", 3)
    assert isinstance(session.answer("1 2 3", NOW), Feedback)
    assert session.next_question(NOW).question.id == "k-tf"  # type: ignore[union-attr]
    assert session.answer("perhaps", NOW) == Invalid("invalid.truefalse")
    assert kinds_lab.reviews("k-tf") == []
    tf = session.answer("t", NOW)
    assert isinstance(tf, Feedback) and tf.verdict is not None and tf.verdict.correct


def test_an_empty_typed_reply_means_i_dont_know(lab: Lab) -> None:
    session = lab.session()
    session.next_question(NOW)
    feedback = session.answer("  ", NOW)
    assert isinstance(feedback, Feedback) and feedback.dont_know and feedback.rating is Rating.AGAIN
    assert [r.review.rating for r in lab.reviews("q0")] == [Rating.AGAIN]


def test_choices_are_shown_in_a_seeded_order_and_graded_by_what_was_shown(kinds_lab: Lab) -> None:
    a = kinds_lab.session(seed=3).next_question(NOW)
    b = kinds_lab.session(seed=3).next_question(NOW)
    assert a is not None and b is not None and a.shown_order == b.shown_order
    assert sorted(a.shown_order) == [0, 1, 2]
    session = kinds_lab.session(seed=3)
    shown = session.next_question(NOW)
    assert shown is not None
    right = str(shown.shown_order.index(0) + 1)  # choice 0 (Yalta) is the answer
    feedback = session.answer(right, NOW)
    assert isinstance(feedback, Feedback) and feedback.verdict is not None and feedback.verdict.correct


@pytest.mark.parametrize("seed", range(20))
def test_an_order_question_is_never_shown_already_in_order(kinds_lab: Lab, seed: int) -> None:
    session = kinds_lab.session(seed=seed, only=["k-order"])
    shown = session.next_question(NOW)
    assert shown is not None and shown.shown_order != (0, 1, 2) and sorted(shown.shown_order) == [0, 1, 2]


def test_cards_are_rated_by_the_learner_not_answered(kinds_lab: Lab) -> None:
    session = kinds_lab.session(only=["k-card"])
    session.next_question(NOW)
    with pytest.raises(ValueError, match="rate_card"):
        session.answer("anything", NOW)
    feedback = session.rate_card(Rating.HARD, NOW)
    assert (feedback.verdict, feedback.rating, feedback.given) == (None, Rating.HARD, "")
    assert [r.review.rating for r in kinds_lab.reviews("k-card")] == [Rating.HARD]
    summary = session.summary(NOW, DAY_END + timedelta(days=1))
    assert (summary.answered, summary.correct) == (1, 0)  # Hard on a card is not counted as right


def test_both_languages_accept_an_answer_in_the_other_language(lab: Lab) -> None:
    session = lab.session(both_languages=True)
    session.next_question(NOW)
    feedback = session.answer("صحيح", NOW)
    assert isinstance(feedback, Feedback) and feedback.verdict is not None and feedback.verdict.correct
    only_one = lab.session(only=["q1"])
    only_one.next_question(NOW)
    wrong = only_one.answer("صحيح", NOW)  # one language: asked again, "answer in English"
    assert wrong == Invalid("answer_in") and lab.reviews("q1") == []


# --- re-rating --------------------------------------------------------------------------------------------------


def test_rerating_replaces_the_suggested_rating_in_the_same_review(lab: Lab) -> None:
    session = lab.session()
    session.next_question(NOW)
    suggested = session.answer("right", NOW)
    assert isinstance(suggested, Feedback)
    assert session.rerate(Rating.GOOD, NOW) is suggested  # the same rating: nothing to do
    easy = session.rerate(Rating.EASY, NOW)
    assert (easy.rating, easy.review_id, easy.before) == (Rating.EASY, suggested.review_id, suggested.before)
    assert [r.review.rating for r in lab.reviews("q0")] == [Rating.EASY]
    assert lab.card("q0").phase is CardPhase.REVIEW
    assert session.remaining() == 4  # graduated: it does not come back in this session


def test_rerating_to_again_puts_the_card_back_in_the_session(lab: Lab) -> None:
    session = lab.session(limits=Limits(session_total=1))
    session.next_question(NOW)
    session.answer("right", NOW)
    session.rerate(Rating.EASY, NOW)
    assert session.remaining() == 0
    again = session.rerate(Rating.AGAIN, NOW)
    assert again.due == NOW + timedelta(minutes=1) and session.remaining() == 1
    back = session.next_question(NOW + timedelta(minutes=1))
    assert back is not None and (back.question.id, back.phase) == ("q0", "learning")


def test_rerating_a_card_adjusts_the_tally(kinds_lab: Lab) -> None:
    session = kinds_lab.session(only=["k-card"])
    session.next_question(NOW)
    session.rate_card(Rating.AGAIN, NOW)
    session.rerate(Rating.GOOD, NOW)
    assert session.summary(NOW, DAY_END).correct == 1


def test_rerating_without_an_answer_is_an_error(lab: Lab) -> None:
    session = lab.session()
    with pytest.raises(RuntimeError, match="no answer to rate"):
        session.rerate(Rating.GOOD, NOW)
    session.next_question(NOW)
    with pytest.raises(RuntimeError, match="no answer to rate"):
        session.rerate(Rating.GOOD, NOW)  # a question on screen, not answered yet


# --- undo -------------------------------------------------------------------------------------------------------


def test_undo_restores_the_card_deletes_the_review_and_asks_again_with_the_same_number(lab: Lab) -> None:
    session = lab.session()
    first = session.next_question(NOW)
    session.answer("wrong", NOW + timedelta(seconds=4))
    assert first is not None and len(lab.reviews("q0")) == 1
    assert session.undo(NOW) == "q0"
    assert lab.reviews("q0") == [] and lab.card("q0") == CardState("q0")
    summary = session.summary(NOW, DAY_END)
    assert (summary.answered, summary.correct, summary.seconds) == (0, 0, 0)
    assert session.remaining() == 5  # not also waiting in learning
    again = session.next_question(NOW)
    assert again is not None and (again.question.id, again.number, again.phase) == ("q0", 1, "new")


def test_undo_while_the_next_question_is_on_screen_puts_both_back(lab: Lab) -> None:
    session = lab.session()
    session.next_question(NOW)
    session.answer("right", NOW)
    assert session.next_question(NOW).question.id == "q1"  # type: ignore[union-attr]
    assert session.undo(NOW) == "q0"
    assert [(p.question.id, p.number) for p in (session.next_question(NOW),)] == [("q0", 1)]  # type: ignore[union-attr]
    session.answer("right", NOW)
    nxt = session.next_question(NOW)
    assert nxt is not None and (nxt.question.id, nxt.number) == ("q1", 2)


def test_undo_goes_back_one_answer_at_a_time_and_then_has_nothing(lab: Lab) -> None:
    session = lab.session()
    assert session.undo(NOW) is None  # nothing answered yet
    for _ in range(2):
        session.next_question(NOW)
        session.answer("right", NOW)
    assert session.undo(NOW) == "q1"
    assert session.undo(NOW) == "q0"
    assert session.undo(NOW) is None
    assert lab.reviews("q0") == [] and lab.reviews("q1") == []


def test_undo_after_a_rerating_restores_the_card_from_before_the_answer(lab: Lab) -> None:
    session = lab.session()
    session.next_question(NOW)
    session.answer("right", NOW)
    session.rerate(Rating.EASY, NOW)
    assert session.undo(NOW) == "q0"
    assert lab.card("q0") == CardState("q0") and lab.reviews("q0") == []


# --- skip (postpone) --------------------------------------------------------------------------------------------


def test_skip_buries_the_question_until_the_day_ends(lab: Lab) -> None:
    session = lab.session()
    session.next_question(NOW)
    session.skip(NOW)
    assert lab.reviews("q0") == []
    with pytest.raises(RuntimeError):
        session.answer("right", NOW)  # nothing on screen after a skip
    assert ids_in_order(session, NOW)[:4] == ["q1", "q2", "q3", "q4"]
    assert "q0" not in ids_in_order(lab.session(NOW + timedelta(hours=1)), NOW + timedelta(hours=1))
    tomorrow = DAY_END + timedelta(hours=5)
    assert "q0" in ids_in_order(lab.session(tomorrow, day="2026-03-03", day_end=DAY_END + timedelta(days=1)),
                                tomorrow)


def test_skipping_a_learning_card_takes_it_out_of_the_session(lab: Lab) -> None:
    session = lab.session(limits=Limits(session_total=1))
    session.next_question(NOW)
    session.answer("wrong", NOW)
    back = session.next_question(NOW + timedelta(minutes=1))
    assert back is not None and back.phase == "learning"
    session.skip(NOW + timedelta(minutes=1))
    assert session.remaining() == 0 and session.next_question(NOW + timedelta(minutes=5)) is None


# --- quitting: the summary --------------------------------------------------------------------------------------


def test_the_summary_counts_answers_accuracy_time_streak_and_tomorrows_reviews(lab: Lab) -> None:
    session = lab.session()
    session.next_question(NOW)
    session.answer("right", NOW + timedelta(seconds=10))
    session.next_question(NOW + timedelta(seconds=10))
    session.answer("wrong", NOW + timedelta(seconds=40))
    summary = session.summary(NOW + timedelta(minutes=1), DAY_END + timedelta(days=1))
    assert (summary.answered, summary.correct, summary.seconds) == (2, 1, 40.0)
    assert summary.accuracy == 0.5 and summary.streak == 1
    assert (summary.later_today, summary.due_tomorrow) == (2, 0)  # both in learning, due again today
    empty = lab.session(limits=Limits(session_total=0))
    assert empty.remaining() == 0 and empty.next_question(NOW) is None
    assert empty.summary(NOW, DAY_END).accuracy is None


def test_quitting_mid_session_loses_nothing_answered(lab: Lab) -> None:
    session = lab.session()
    session.next_question(NOW)
    session.answer("right", NOW)
    session.next_question(NOW)  # on screen, never answered: the learner quits here
    del session
    assert len(lab.reviews("q0")) == 1 and lab.reviews("q1") == []
    assert lab.card("q1") == CardState("q1")
    # q1..q4 new, and q0 in learning: due within the learn-ahead window, as the running session had it
    assert lab.session().remaining() == 5
    assert lab.session(NOW + timedelta(minutes=10)).remaining() == 5  # then q0 (learning) as well


# --- leeches ----------------------------------------------------------------------------------------------------


def test_a_lapse_at_the_leech_threshold_is_reported(lab: Lab) -> None:
    graduate(lab, "q0")
    later = NOW + timedelta(days=90)
    session = lab.session(later, day="2026-05-31", day_end=later + timedelta(hours=19), leech_lapses=1,
                          only=["q0"])
    session.next_question(later)
    feedback = session.answer("wrong", later)
    assert isinstance(feedback, Feedback)
    assert (feedback.rating, feedback.lapses, feedback.became_leech) == (Rating.AGAIN, 1, True)
    assert feedback.before.phase is CardPhase.REVIEW
    assert lab.card("q0").phase is CardPhase.RELEARNING


# --- another session answered the same card meanwhile ------------------------------------------------------------


def test_an_answer_to_a_card_changed_elsewhere_is_scheduled_from_its_new_state(
        lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.store import CardChanged

    session = lab.session()
    session.next_question(NOW)
    real = lab.store.record_answer
    calls = []

    def elsewhere_first(profile: str, qid: str, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(kwargs["before"])
        if len(calls) == 1:  # another session answers q0 (Again) between our read and our write
            before = lab.card(qid)
            real(profile, qid, before=before, after=lab.scheduler.review(before, Rating.AGAIN, NOW),
                 rating=Rating.AGAIN, answer="x", correct=False, duration_ms=0, reviewed_at=NOW, day=DAY,
                 retrievability=None, leech_threshold=8)
            raise CardChanged("q0 changed")
        return real(profile, qid, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lab.store, "record_answer", elsewhere_first)
    feedback = session.answer("right", NOW + timedelta(seconds=3))
    assert isinstance(feedback, Feedback)
    assert calls[0] == CardState("q0") and calls[1].phase is CardPhase.LEARNING  # re-read, then re-scheduled
    assert feedback.before == calls[1]
    assert [r.review.rating for r in lab.reviews("q0")] == [Rating.AGAIN, Rating.GOOD]


def test_an_answer_that_keeps_losing_the_race_gives_up_after_a_few_attempts(
        lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.session import COMMIT_ATTEMPTS
    from quiz.store import CardChanged

    session = lab.session()
    session.next_question(NOW)
    attempts = []

    def always_changed(*args: object, **kwargs: object) -> None:
        attempts.append(1)
        raise CardChanged("q0 changed")

    monkeypatch.setattr(lab.store, "record_answer", always_changed)
    with pytest.raises(CardChanged):
        session.answer("right", NOW)
    assert len(attempts) == COMMIT_ATTEMPTS
    assert session.summary(NOW, DAY_END).answered == 0
