"""The study session as a state machine: no input, no output.

The CLI asks `next_question()`, shows it, passes the learner's reply to `answer()`, shows the `Feedback`, and
passes an optional rating override to `rate()`. Every answer is committed to the store inside `answer()` —
before its feedback can be shown — in one transaction, so nothing answered is ever lost.

The queue follows Anki: learning cards that are due come first, then due reviews, then new questions, within
the daily limits; a card answered wrong comes back in the same session after its learning step (shown early,
up to the learn-ahead limit, when nothing else is left); the session ends when nothing is due within it.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from quiz.day_plan import DayPlan
from quiz.grading import Verdict, answered_in, grade, near_miss, normalize
from quiz.model import Bank, CardPhase, CardState, Kind, Lang, Rating
from quiz.session_values import (  # re-exported: quiz.session stays the home of the session's values
    DEFAULT_NEW_PER_DAY as DEFAULT_NEW_PER_DAY,
)
from quiz.session_values import (
    DEFAULT_REVIEWS_PER_DAY as DEFAULT_REVIEWS_PER_DAY,
)
from quiz.session_values import (
    Counts,
    Feedback,
    Invalid,
    Limits,
    Presented,
    Summary,
)

if TYPE_CHECKING:
    from quiz.scheduler import Scheduler
    from quiz.store import Store

LEARN_AHEAD = timedelta(minutes=20)
LEECH_LAPSES = 8
MAX_ANSWER_SECONDS = 60
"""Time spent counts at most this much per answer (Anki's cap): a coffee break is not study time."""
DONT_KNOW = "-"
"""A reply that means "I don't know" for every kind (an empty reply means it too, for typed answers)."""
GRADUATED_INTERVAL = timedelta(days=4)
"""A question that `requires` others is introduced once each is in review with at least this interval."""
COMMIT_ATTEMPTS = 8
"""How often an answer is re-read and re-scheduled when other sessions keep answering the same card meanwhile."""


@dataclass(slots=True)
class _Entry:
    question_id: str
    phase: str


@dataclass(slots=True)
class _Tally:
    answered: int = 0
    correct: int = 0
    started: datetime | None = None
    seconds: float = 0.0


@dataclass(slots=True)
class _Undo:
    question_id: str
    entry: _Entry
    review_id: int
    correct: bool | None
    seconds: float


@dataclass
class Session:
    """One sitting of `quiz study` for one profile."""

    store: Store
    bank: Bank
    scheduler: Scheduler
    profile: str
    lang: Lang
    only: Collection[str] | None
    limits: Limits
    day: str
    day_end: datetime
    rng: random.Random = field(default_factory=random.Random)
    leech_lapses: int = LEECH_LAPSES
    both_languages: bool = False
    _queue: list[_Entry] = field(default_factory=list)
    _learning: dict[str, datetime] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)
    _current: Presented | None = None
    _current_entry: _Entry = field(default_factory=lambda: _Entry("", "new"))
    _pending: Feedback | None = None
    _undo: list[_Undo] = field(default_factory=list)
    _tally: _Tally = field(default_factory=_Tally)
    _number: int = 0
    _near_tried: bool = False
    _last_rating: dict[str, Rating] = field(default_factory=dict)
    _last_answered: str | None = None
    held_back: int = 0
    """How many questions `start()` held back for another day (siblings, reveals, graduated forms)."""

    # --- building the queue --------------------------------------------------------------------------------

    def start(self, now: datetime) -> None:
        """Fill the queue from the store: due cards within the daily review limit, then new questions.

        Facts are buried as Anki buries siblings (unless `Limits.bury_siblings` is off): of the questions sharing
        an event, or revealing one another's answer (`Bank.reveals`, either way), at most one is shown a day —
        counting what was answered earlier today — and the others wait, still due or new, for another day. A new
        question that `requires` others waits until each is known (`_known`); new ones held back make room for
        the next in bank order. A question lacking the session's language is never shown (`Question.has`)."""
        new_done, reviews_done = self.store.today_counts(self.profile, self.day)
        review_room = max(0, self.limits.reviews_per_day - reviews_done)
        new_room = max(0, self.limits.new_per_day - new_done)
        if self.limits.session_new is not None:
            new_room = self.limits.session_new
        plan = DayPlan(self.bank, self.limits.bury_siblings)  # first: it may search the bank (`DayPlan`)
        due = self.store.due_reviews(self.profile, now, self.day_end, limit=review_room + 1000, only=self.only)
        due = [c for c in due if c.question_id in self.bank.by_id and self._askable(c.question_id)]
        learning = [c for c in due if c.phase in (CardPhase.LEARNING, CardPhase.RELEARNING)]
        for qid in self.store.studied_on(self.profile, self.day):
            plan.take(qid, force=True)
        # Learning questions due within the learn-ahead window too, as a running session would show them.
        learning += [c for c in self.store.learning_due_within(self.profile, now, now + LEARN_AHEAD, only=self.only)
                     if c.question_id in self.bank.by_id and self._askable(c.question_id)]
        for card in learning:
            assert card.due is not None
            self._learning[card.question_id] = card.due
            plan.take(card.question_id, force=True)
        reviews = [c.question_id for c in due if c.phase is CardPhase.REVIEW]
        self._queue = [_Entry(qid, "review") for qid in plan.pick(reviews, review_room)]
        if new_room:
            new_ids = self.store.new_questions(self.profile, now, limit=new_room + len(self.bank.questions),
                                               only=self.only)
            # looked at only as far as the room is filled: each question looked at is decoded (~350 MB at 100k)
            fresh = (qid for qid in new_ids if qid in self.bank.by_id and self._askable(qid))
            self._queue.extend(_Entry(qid, "new") for qid in plan.pick(fresh, new_room, self._known))
        self.held_back = plan.held
        if self.limits.session_total is not None:
            self._learning = dict(sorted(self._learning.items(), key=lambda item: item[1])
                                  [:self.limits.session_total])
            room = max(0, self.limits.session_total - len(self._learning))
            self._queue = self._queue[:room]
        self._tally.started = now

    def _askable(self, qid: str) -> bool:
        """Whether the question can be shown in this session's language (with both languages: in either)."""
        question = self.bank.by_id[qid]
        return bool(question.langs) if self.both_languages else question.has(self.lang)

    def _known(self, qids: list[str]) -> list[str]:
        """Those of `qids` whose requirements are met: each required question that can be studied here is in
        review with an interval of at least `GRADUATED_INTERVAL` (one store read for the whole list)."""
        needed = {r for qid in qids for r in self.bank.by_id[qid].requires
                  if r in self.bank.by_id and self._askable(r) and (self.only is None or r in self.only)}
        states = self.store.cards(self.profile, needed) if needed else {}

        def known(state: CardState) -> bool:
            return (state.phase is CardPhase.REVIEW and state.due is not None and state.last_review is not None
                    and state.due - state.last_review >= GRADUATED_INTERVAL)

        return [qid for qid in qids
                if all(known(states[r]) for r in self.bank.by_id[qid].requires if r in states)]

    def remaining(self) -> int:
        return len(self._queue) + len(self._learning)

    def counts(self) -> Counts:
        """New, learning and review questions left in this session (the one on screen included)."""
        new = sum(1 for entry in self._queue if entry.phase == "new")
        review = sum(1 for entry in self._queue if entry.phase != "new")
        learning = sum(1 for due in self._learning.values() if due < self.day_end)
        current = self._current
        if current is not None and self._pending is None:
            if current.phase == "new":
                new += 1
            elif current.phase == "review":
                review += 1
            else:
                learning += 1
        return Counts(new, learning, review)

    def preview(self, now: datetime) -> dict[Rating, datetime | None]:
        """When the question comes back for each rating, nothing committed: for the answer just given, as
        `rerate` would schedule it; for a card on screen, as `rate_card` at `now` would."""
        pending = self._pending
        if pending is not None:
            return {rating: self.scheduler.review(pending.before, rating, pending.now).due for rating in Rating}
        current = self._require_current()
        state = self.store.card(self.profile, current.question.id)
        return {rating: self.scheduler.review(state, rating, now).due for rating in Rating}

    def only_ahead_left(self, now: datetime) -> bool:
        """Whether all that is left are questions in learning not yet due (shown early, learn-ahead)."""
        return not self._queue and bool(self._learning) and all(due > now for due in self._learning.values())

    # --- the loop ------------------------------------------------------------------------------------------

    def next_question(self, now: datetime) -> Presented | None:
        """The next question to show, or None when the session is over."""
        self._pending = None
        self._near_tried = False
        entry = self._next_entry(now)
        if entry is None:
            self._current = None
            return None
        question = self.bank.by_id[entry.question_id]
        state = self.store.card(self.profile, question.id)
        self._number += 1
        size = len(question.choices) if question.kind is Kind.CHOICE else len(question.items)
        order = list(range(size))
        self.rng.shuffle(order)
        if question.kind is Kind.ORDER and order == sorted(order) and size > 1:
            order.reverse() if size == 2 else self.rng.shuffle(order)
            if order == sorted(order):
                order = order[1:] + order[:1]
        again = entry.phase == "learning" and self._last_rating.get(question.id, Rating.AGAIN) is Rating.AGAIN
        ahead = entry.phase == "learning" and state.due is not None and state.due > now
        self._current = Presented(question, state, self._number, self._number + self.remaining(), tuple(order),
                                  now, entry.phase, again=again, ahead=ahead)
        self._current_entry = entry
        self._current = replace(self._current, counts=self.counts())
        return self._current

    def _next_entry(self, now: datetime) -> _Entry | None:
        due_now = sorted((due, qid) for qid, due in self._learning.items() if due <= now)
        if due_now:
            qid = due_now[0][1]
            del self._learning[qid]
            return _Entry(qid, "learning")
        if self._queue:
            return self._queue.pop(0)
        ahead = sorted((due, qid) for qid, due in self._learning.items() if due <= now + LEARN_AHEAD)
        if len(ahead) > 1 and ahead[0][1] == self._last_answered:  # never the same question twice in a row
            ahead = ahead[1:]
        if ahead:
            qid = ahead[0][1]
            del self._learning[qid]
            return _Entry(qid, "learning")
        return None

    def answer(self, reply: str, now: datetime) -> Feedback | Invalid:
        """Grade a reply to the current question and commit it. Cards: the reply only reveals the answer."""
        current = self._require_current()
        question = current.question
        if question.kind is Kind.CARD:
            raise ValueError("card questions are rated with rate_card(), after the reveal")
        text = reply.strip()
        if text == DONT_KNOW or (not normalize(reply) and not text and question.kind in (Kind.TYPED, Kind.CLOZE)):
            # "I don't know": the answer is shown and the question rated Again.
            from quiz.grading import Verdict

            expected = question.answer_text(self.lang)
            return self._commit(current, "", Verdict(False, False, False, expected, 0.0), Rating.AGAIN, now,
                                dont_know=True)
        if not normalize(reply) and question.kind in (Kind.TYPED, Kind.CLOZE):
            return Invalid("invalid.empty")
        other_lang: Lang = "ar" if self.lang == "en" else "en"
        langs: tuple[Lang, ...] = (self.lang, other_lang) if self.both_languages else (self.lang,)
        verdict = grade(question, reply, self.lang, current.shown_order, langs)
        if verdict is not None and not verdict.correct and self.both_languages:
            # With both languages on screen, an answer typed in the other language counts as well.
            other = grade(question, reply, other_lang, current.shown_order, langs)
            if other is not None and other.correct:
                verdict = other
        if (verdict is None or not verdict.correct) and not self.both_languages \
                and answered_in(question, reply, self.lang):
            return Invalid("answer_in")  # typed in the other language of a one-language session: ask again
        if (verdict is None or not verdict.correct) and not self._near_tried \
                and any(near_miss(question, reply, lang) for lang in langs):
            self._near_tried = True  # one more try, no lapse for the slip itself
            return Invalid("near_miss")
        if verdict is None:
            if question.kind is Kind.CHOICE:
                return Invalid("invalid.choice", len(question.choices))
            if question.kind is Kind.ORDER:
                return Invalid("invalid.order", len(question.items))
            return Invalid("invalid.truefalse")
        return self._commit(current, reply, verdict, verdict.rating, now)

    def rate_card(self, rating: Rating, now: datetime) -> Feedback:
        """Record a self-graded card after its answer was revealed."""
        current = self._require_current()
        return self._commit(current, "", None, rating, now)

    def rerate(self, rating: Rating, now: datetime) -> Feedback:
        """The learner overrides the suggested rating of the answer just given (one transaction)."""
        pending = self._pending
        if pending is None or pending.rating == rating:
            if pending is None:
                raise RuntimeError("no answer to rate")
            return pending
        question = pending.question
        after = self.scheduler.review(pending.before, rating, pending.now)
        record = self.store.rerate(self.profile, pending.review_id, rating=rating, after=after,
                                   leech_threshold=self.leech_lapses)
        self._learning.pop(question.id, None)
        if after.phase in (CardPhase.LEARNING, CardPhase.RELEARNING) and after.due is not None:
            self._learning[question.id] = after.due
        if pending.verdict is None:
            self._tally.correct += (rating >= Rating.GOOD) - (pending.rating >= Rating.GOOD)
        self._last_rating[question.id] = rating
        feedback = Feedback(question, pending.given, pending.verdict, rating, after.due, pending.now,
                            record.became_leech, after.lapses, record.id, pending.before, pending.dont_know)
        self._pending = feedback
        return feedback

    def _commit(self, current: Presented, reply: str, verdict: Verdict | None, rating: Rating,
                now: datetime, *, dont_know: bool = False) -> Feedback:
        from quiz.errors import CardChanged

        question = current.question
        elapsed = (now - current.shown_at).total_seconds()
        duration_ms = max(0, int(min(elapsed, MAX_ANSWER_SECONDS) * 1000))
        correct = None if verdict is None else verdict.correct
        stored = reply
        if verdict is not None and verdict.picked is not None:  # the history shows the option, not its number
            stored = question.choices[verdict.picked].get(self.lang)
        for attempt in range(1, COMMIT_ATTEMPTS + 1):
            # Read the card as stored: if another session answered it meanwhile, schedule from its new state.
            # Each retry follows another session's commit to this card, so a few always suffice.
            before = self.store.card(self.profile, question.id)
            after = self.scheduler.review(before, rating, now)
            try:
                record = self.store.record_answer(
                    self.profile, question.id, before=before, after=after, rating=rating, answer=stored,
                    correct=correct, duration_ms=duration_ms, reviewed_at=now, day=self.day,
                    retrievability=self.scheduler.retrievability(before, now), leech_threshold=self.leech_lapses,
                )
                break
            except CardChanged:
                if attempt == COMMIT_ATTEMPTS:
                    raise
        if after.phase in (CardPhase.LEARNING, CardPhase.RELEARNING) and after.due is not None:
            self._learning[question.id] = after.due
        self._tally.answered += 1
        self._tally.correct += 1 if (correct if correct is not None else rating >= Rating.GOOD) else 0
        self._tally.seconds += duration_ms / 1000
        self._undo.append(_Undo(question.id, self._current_entry, record.id, correct, duration_ms / 1000))
        self._last_rating[question.id] = rating
        self._last_answered = question.id
        feedback = Feedback(question, reply, verdict, rating, after.due, now, record.became_leech, after.lapses,
                            record.id, before, dont_know)
        self._pending = feedback
        return feedback

    def skip(self, now: datetime) -> None:
        """Bury the current question until the next day starts."""
        current = self._require_current()
        self.store.bury(self.profile, current.question.id, self.day_end)
        self._learning.pop(current.question.id, None)
        self._current = None

    def undo(self, now: datetime) -> str | None:
        """Take back the last answer of this session: the card is restored exactly, its review deleted."""
        if not self._undo:
            return None
        last = self._undo.pop()
        restored = self.store.undo_last(self.profile, last.review_id)
        if restored is None:
            return None
        self._learning.pop(last.question_id, None)
        self._tally.answered -= 1
        self._tally.correct -= 1 if last.correct else 0
        self._tally.seconds -= last.seconds
        self._queue.insert(0, last.entry)
        # The undone question is asked again next, as the same number; a question on screen goes back too.
        if self._current is not None and self._pending is None and self._current.question.id != last.question_id:
            self._queue.insert(1, self._current_entry)
            self._number -= 1
        self._number = max(0, self._number - 1)
        self._current = None
        self._pending = None
        return last.question_id

    def summary(self, now: datetime, tomorrow_end: datetime) -> Summary:
        """The tally, the streak, what is still due today (learning questions coming back before the day
        ends) and what is due tomorrow (all due by the end of tomorrow, less those)."""
        later = len(self.store.learning_due_within(self.profile, now, self.day_end, only=self.only))
        due_by_tomorrow = len(self.store.due_reviews(self.profile, tomorrow_end, tomorrow_end, limit=1_000_000,
                                                     only=self.only))
        return Summary(
            self._tally.answered, self._tally.correct, self._tally.seconds,
            self.store.streak(self.profile, self.day), max(0, due_by_tomorrow - later), later,
        )

    def _require_current(self) -> Presented:
        if self._current is None:
            raise RuntimeError("no question is on screen")
        return self._current


def new_session(
    store: Store,
    bank: Bank,
    scheduler: Scheduler,
    *,
    profile: str,
    lang: Lang,
    now: datetime,
    day: str,
    day_end: datetime,
    only: Collection[str] | None,
    limits: Limits,
    rng: random.Random | None = None,
    leech_lapses: int = LEECH_LAPSES,
    both_languages: bool = False,
) -> Session:
    session = Session(store, bank, scheduler, profile, lang, only, limits, day, day_end,
                      rng or random.Random(), leech_lapses, both_languages)
    session.start(now)
    return session
