"""The optimizer on small synthetic logs: histories and scored reviews, the metrics against hand values and brute
force, fitting with fsrs-rs, and `optimize_profile` saving fitted parameters only when they are better."""

from __future__ import annotations

import json
import math
import random
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from itertools import product

import fsrs_rs_python
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz import optimizer
from quiz.clock import study_day
from quiz.model import CardPhase, CardState, Rating
from quiz.optimizer import LogEntry, Metrics, Scored
from quiz.scheduler import Scheduler, SchedulerConfig, default_parameters
from quiz.store import Store, from_ms, to_ms

UTC = timezone.utc
START = datetime(2025, 1, 6, 9, tzinfo=UTC)
END = START + timedelta(days=150)
H = 3_600_000
DAY = 24 * H
# The synthetic learner forgets faster than FSRS's defaults expect: a success makes memories grow less (w8 1.0,
# not 1.87), so recall at the scheduled reviews falls well below the 90% the defaults aim for.
TRUE = tuple(1.0 if k == 8 else p for k, p in enumerate(default_parameters()))


def synthetic_log(cards: int = 120, seed: int = 3) -> list[LogEntry]:
    """A learner scheduled by default FSRS who recalls with the probability the TRUE model gives."""
    rng = random.Random(seed)
    truth = Scheduler(SchedulerConfig(fuzz=False, parameters=TRUE))
    scheduler = Scheduler(SchedulerConfig(fuzz=False))
    entries: list[LogEntry] = []
    for card in range(cards):
        moment = START + timedelta(days=rng.randrange(60), hours=rng.randrange(12))
        state, memory = CardState(f"c{card}"), CardState(f"c{card}")
        while moment < END:
            if memory.phase is CardPhase.NEW:
                p = 0.5
            elif memory.last_review is not None and moment - memory.last_review < timedelta(days=1):
                p = 0.85
            else:
                p = truth.retrievability(memory, moment) or 0.0
            rating = Rating.GOOD if rng.random() < p else Rating.AGAIN
            entries.append(LogEntry(card, to_ms(moment), int(rating), new=state.phase is CardPhase.NEW))
            state = scheduler.review(state, rating, moment)
            memory = truth.review(memory, rating, moment)
            assert state.due is not None
            moment = state.due + timedelta(hours=rng.uniform(0, 6))
    return entries


@pytest.fixture(scope="module")
def log() -> list[LogEntry]:
    return synthetic_log()


# --- histories and scored reviews ---------------------------------------------------------------------------------


def test_histories_split_at_resets_and_sort_by_time() -> None:
    t = 1_700_000_000_000
    entries = [
        LogEntry("b", t + 5, 3, new=True),
        LogEntry("a", t + 2 * DAY, 3),
        LogEntry("a", t, 1, new=True),
        LogEntry("a", t + 3 * DAY, 3, new=True),  # reset, then studied again
        LogEntry("a", t + 4 * DAY, 1),
    ]
    assert optimizer.histories(entries) == [((t + 5, 3),), ((t, 1), (t + 2 * DAY, 3)),
                                            ((t + 3 * DAY, 3), (t + 4 * DAY, 1))]


def test_scored_reviews_come_a_day_or_more_after_the_previous_answer() -> None:
    t = 1_700_000_000_000
    history = ((t, 1), (t + 5 * 60_000, 3), (t + DAY + H, 1), (t + DAY + H + 600_000, 3), (t + 3 * DAY + 2 * H, 3))
    other = ((t + DAY, 3), (t + DAY + 23 * H, 3), (t + 2 * DAY + 23 * H, 4))
    scored = optimizer.scored_reviews([history, other])
    assert scored == [
        Scored(0, 2, t + DAY + H, False, 1, 0),  # 25 h after the learning step
        Scored(1, 2, t + 2 * DAY + 23 * H, True, 1, 0),  # 23 h after its previous answer: only the third counts
        Scored(0, 4, t + 3 * DAY + 2 * H, True, 2, 1),  # after a long-term lapse
    ]
    assert optimizer.whole_days(t, t + DAY - 1) == 0 and optimizer.whole_days(t, t + 2 * DAY) == 2


def test_time_series_splits_like_scikit_learn() -> None:
    assert optimizer.time_series_splits(14, 5) == [(4, 6), (6, 8), (8, 10), (10, 12), (12, 14)]
    assert optimizer.time_series_splits(12, 5) == [(2, 4), (4, 6), (6, 8), (8, 10), (10, 12)]
    assert optimizer.time_series_splits(5, 5) == []


# --- metrics ------------------------------------------------------------------------------------------------------


def test_log_loss() -> None:
    assert optimizer.log_loss([0.5, 0.9], [True, False]) == pytest.approx(-(math.log(0.5) + math.log(0.1)) / 2)
    assert optimizer.log_loss([1.0], [False]) == pytest.approx(-math.log(1e-6))  # clipped, never infinite


def test_auc_against_counting_pairs() -> None:
    rng = random.Random(1)
    p = [round(rng.random(), 1) for _ in range(60)]  # many ties
    y = [rng.random() < q for q in p]
    pairs = [(a, b) for a, b in product(range(60), repeat=2) if y[a] and not y[b]]
    wins = sum(1.0 if p[a] > p[b] else 0.5 if p[a] == p[b] else 0.0 for a, b in pairs)
    assert optimizer.auc(p, y) == pytest.approx(wins / len(pairs))
    assert optimizer.auc([0.1, 0.9], [False, True]) == 1.0
    assert optimizer.auc([0.3, 0.4], [True, True]) is None


@given(st.lists(st.tuples(st.sampled_from([0.1, 0.25, 0.5, 0.9, 0.95]), st.booleans()), min_size=1, max_size=40))
def test_auc_is_the_exact_share_of_pairs_ranked_right(cases: list[tuple[float, bool]]) -> None:
    """Ties included, to the last bit: the rank sum is counted in integers."""
    p, y = [c[0] for c in cases], [c[1] for c in cases]
    pairs = [(a, b) for a, b in product(range(len(p)), repeat=2) if y[a] and not y[b]]
    if not pairs:
        assert optimizer.auc(p, y) is None
        return
    twice_wins = sum(2 if p[a] > p[b] else 1 if p[a] == p[b] else 0 for a, b in pairs)
    assert optimizer.auc(p, y) == float(Fraction(twice_wins, 2 * len(pairs)))


def test_rmse_bins_groups_by_elapsed_days_review_number_and_lapses() -> None:
    one = Scored(0, 2, 0, True, 1, 0)
    same_bin = Scored(1, 2, 0, False, 1, 0)
    other = Scored(2, 5, 0, True, 30, 2)  # another bin: 30 days, review 6, 2 lapses
    # Bin 1: mean prediction 0.8, share recalled 0.5 (2 reviews); bin 2: 0.6 against 1 (1 review).
    assert optimizer.rmse_bins([one, same_bin, other], [0.9, 0.7, 0.6]) == pytest.approx(
        math.sqrt((2 * 0.3**2 + 1 * 0.4**2) / 3))
    # Within a bin errors cancel: calibration, not discrimination.
    assert optimizer.rmse_bins([one, same_bin], [0.5, 0.5]) == pytest.approx(0.0)


def test_metrics() -> None:
    scored = [Scored(0, 1, 0, True, 1, 0), Scored(1, 1, 0, False, 1, 0)]
    m = optimizer.metrics(scored, [0.8, 0.4])
    assert m == Metrics(2, pytest.approx((-math.log(0.8) - math.log(0.6)) / 2), pytest.approx(0.1), 1.0,  # type: ignore[arg-type]
                        pytest.approx(0.6), 0.5)  # type: ignore[arg-type]  # one bin: 0.6 predicted, 0.5 recalled
    assert m.as_json()["auc"] == 1.0
    with pytest.raises(ValueError):
        optimizer.metrics([], [])


# --- predicting and fitting ---------------------------------------------------------------------------------------


def test_predictions_replay_the_scheduler_and_agree_with_fsrs_rs(log: list[LogEntry]) -> None:
    hists = optimizer.histories(log)
    scored = optimizer.scored_reviews(hists)[:300]
    predicted = optimizer.predict(hists, scored, None)
    scheduler = Scheduler(SchedulerConfig(fuzz=False))
    model = fsrs_rs_python.FSRS(fsrs_rs_python.DEFAULT_PARAMETERS)
    decay = default_parameters()[20]
    factor = 0.9 ** (-1 / decay) - 1
    for s, p in list(zip(scored, predicted, strict=True))[:60]:
        history = hists[s.history]
        state = CardState("x")
        for at, rating in history[: s.index]:
            state = scheduler.review(state, Rating(rating), from_ms(at))
        assert p == scheduler.retrievability(state, from_ms(s.at_ms))
        reviews = [fsrs_rs_python.FSRSReview(r, 0 if i == 0 else optimizer.whole_days(history[i - 1][0], at))
                   for i, (at, r) in enumerate(history[: s.index])]
        memory = model.memory_state(fsrs_rs_python.FSRSItem(reviews))
        assert p == pytest.approx((1 + factor * s.elapsed_days / memory.stability) ** -decay, abs=1e-4)


def test_not_enough_reviews_fits_nothing(log: list[LogEntry]) -> None:
    few = [e for e in log if e.card < 20]
    report = optimizer.evaluate_log(few)
    assert report.reviews == len(few)
    assert 0 < report.usable < optimizer.MIN_REVIEWS == report.needed
    assert not report.enough
    assert (report.parameters, report.fitted, report.default, report.better) == (None, None, None, False)
    assert report.as_json()["enough"] is False


def test_evaluate_on_the_later_part(log: list[LogEntry]) -> None:
    report = optimizer.evaluate_log(iter(log))
    assert report.enough and report.reviews == len(log)
    assert report.train + report.test == report.usable
    assert report.test == round(report.usable * optimizer.TEST_SHARE)
    assert report.parameters is not None and len(report.parameters) == 21
    assert report.default is not None and report.fitted is not None and report.current is None
    assert report.default.n == report.fitted.n == report.test
    # The learner forgets faster than the defaults expect: fitted parameters predict that.
    assert report.fitted.log_loss < report.default.log_loss - 0.005
    assert report.fitted.rmse_bins < report.default.rmse_bins
    assert report.fitted.actual < report.fitted.predicted < report.default.predicted
    assert report.better
    hists = optimizer.histories(log)
    scored = optimizer.scored_reviews(hists)
    assert report.split_at == from_ms(scored[report.train].at_ms)


@pytest.mark.parametrize("current", [None, TRUE])
def test_evaluate_is_its_definition(log: list[LogEntry], monkeypatch: pytest.MonkeyPatch,
                                    current: tuple[float, ...] | None) -> None:
    """`evaluate_log`'s shortcuts (only the reviews it needs kept, one item per held-out history) give what the
    plain definition gives: the scored reviews split 80/20 by time, `fit` on the first part, the batch predictions
    scored on the second. Times on whole hours make ties, and few training items put the window inside them."""
    monkeypatch.setattr(optimizer, "MAX_TRAIN_ITEMS", 1000)
    tied = [LogEntry(e.card, e.at_ms // H * H, e.rating, e.new) for e in log]
    report = optimizer.evaluate_log(tied, current)
    hists = optimizer.histories(tied)
    scored = optimizer.scored_reviews(hists)
    assert len({s.at_ms for s in scored}) < len(scored) - 50  # many ties
    cut = len(scored) - round(len(scored) * optimizer.TEST_SHARE)
    train, test = scored[:cut], scored[cut:]
    parameters = optimizer.fit(hists, train)
    assert (report.usable, report.train, report.test, report.parameters) == (len(scored), cut, len(test), parameters)
    assert report.default == optimizer.metrics(test, optimizer.predict_batch(hists, test, None))
    assert report.fitted == optimizer.metrics(test, optimizer.predict_batch(hists, test, parameters))
    assert report.current == (None if current is None else
                              optimizer.metrics(test, optimizer.predict_batch(hists, test, current)))


def test_fit_is_deterministic(log: list[LogEntry]) -> None:
    hists = optimizer.histories(log)
    train = optimizer.scored_reviews(hists)[:500]
    first = optimizer.fit(hists, train)
    assert first == optimizer.fit(hists, train)
    assert all(round(p, 4) == p for p in first)
    with pytest.raises(optimizer.QuizError):
        optimizer.fit(hists, [])


# --- quiz optimize: saving only what is better --------------------------------------------------------------------


@pytest.fixture
def store(log: list[LogEntry]) -> Store:
    """The synthetic log recorded for profile 'ana' through the store (states from the default scheduler)."""
    store = Store.memory()
    cards = sorted({int(e.card) for e in log})  # type: ignore[call-overload]
    store.sync_questions([(f"c{c}", "h", "early", "card") for c in cards], START)
    scheduler = Scheduler(SchedulerConfig(fuzz=False))
    for entry in sorted(log, key=lambda e: (e.card, e.at_ms)):  # type: ignore[arg-type]
        qid = f"c{entry.card}"
        moment = from_ms(entry.at_ms)
        before = store.card("ana", qid)
        store.record_answer(
            "ana", qid, before=before, after=scheduler.review(before, Rating(entry.rating), moment),
            rating=Rating(entry.rating), answer="", correct=entry.rating > 1, duration_ms=1000, reviewed_at=moment,
            day=study_day(moment, UTC).isoformat(), retrievability=None,
        )
    return store


def test_dry_run_writes_nothing(store: Store) -> None:
    report = optimizer.optimize_profile(store, "ana", None, dry_run=True)
    assert report.better and not report.saved
    assert store.settings("ana") == {}


def test_better_parameters_are_saved(store: Store, log: list[LogEntry]) -> None:
    report = optimizer.optimize_profile(store, "ana", None)
    assert report.saved and report.parameters is not None
    assert report.reviews == len(log)
    assert json.loads(store.settings("ana")["fsrs_parameters"]) == list(report.parameters)
    # Run again: the saved parameters are now the ones to beat, and a refit is no better than itself.
    again = optimizer.optimize_profile(store, "ana", report.parameters)
    assert again.current is not None and again.current.log_loss == pytest.approx(report.fitted.log_loss)  # type: ignore[union-attr]
    assert not again.better and not again.saved


def test_parameters_that_are_not_better_are_not_saved(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(optimizer, "_fit", lambda hists, train: default_parameters())  # what optimize fits with
    report = optimizer.optimize_profile(store, "ana", None)
    assert report.fitted == report.default and not report.better and not report.saved
    assert store.settings("ana") == {}


def test_a_profile_without_reviews(store: Store) -> None:
    report = optimizer.optimize_profile(store, "nobody", None)
    assert (report.reviews, report.usable, report.enough, report.saved) == (0, 0, False, False)


def test_batch_predictions_agree_with_the_replay(log: list[LogEntry]) -> None:
    """What `quiz optimize` judges with (fsrs-rs batch memory states) is what the scheduler would predict."""
    hists = optimizer.histories(log)
    scored = optimizer.scored_reviews(hists)
    fitted = optimizer.fit(hists, scored[: len(scored) // 2])
    for parameters in (None, fitted):
        replayed = optimizer.predict(hists, scored, parameters)
        batch = optimizer.predict_batch(hists, scored, parameters)
        assert batch == pytest.approx(replayed, abs=1e-4)
        assert optimizer.metrics(scored, batch).log_loss == pytest.approx(
            optimizer.metrics(scored, replayed).log_loss, abs=1e-5)


def test_the_store_rows_make_the_same_histories(log: list[LogEntry]) -> None:
    rows = sorted(((e.card, e.at_ms, e.rating, 0 if e.new else 2) for e in log), key=lambda r: (r[0], r[1]))
    hists, count = optimizer._card_histories(rows)
    assert (hists, count) == (optimizer.histories(log), len(log))
