"""Personal FSRS parameters: fit them to a learner's review log, and measure how well a model predicts recall.

This is the only module that imports `fsrs_rs_python` (the Rust FSRS optimizer of open-spaced-repetition, the one
Anki uses; no deep-learning framework). It fits, and `quiz optimize` judges parameters with its batch memory
states (`FSRS.historical_memory_state_batch`: the state after every answer of every held-out history in one call,
in Rust), from which the recall is predicted with FSRS's forgetting curve. `predict` replays the log through
`quiz.scheduler` instead — the code that schedules the learner's cards — and the tests hold the two to the same
predictions (within 1e-4: fsrs-rs computes in 32-bit floats), so what is evaluated is what is used; the replay is
~20 × slower (py-fsrs, in Python).

Vocabulary
- A *history* is one card's answers from new, oldest first (a reset card starts a new history).
- A review is *scored* when it is not the first of its history and comes at least one whole day (24 h) after the
  previous answer: only then is the predicted recall a long-term memory prediction. Elapsed days are whole days,
  as `quiz.scheduler` (py-fsrs) counts them, for fitting and predicting alike.
- Metrics, as the open-spaced-repetition srs-benchmark defines them (log loss, RMSE(bins), AUC), are computed by
  `quiz.optimizer.metrics`; this module re-exports them.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import json
import operator
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import fsrs_rs_python

from quiz.errors import QuizError
from quiz.model import CardState, Rating
from quiz.optimizer.metrics import (
    BinKey,
    Metrics,
    auc,
    better,
    bin_key,
    binned_metrics,
    log_loss,
    metrics,
    rmse_bins,
)

if TYPE_CHECKING:
    from quiz.store import Store

__all__ = [
    "MAX_SEQ_LEN", "MAX_TRAIN_ITEMS", "MIN_REVIEWS", "TEST_SHARE", "BinKey", "History", "LogEntry", "Metrics",
    "OptimizeReport", "Scored", "auc", "better", "bin_key", "binned_metrics", "evaluate_log", "fit", "histories",
    "log_loss", "metrics", "optimize_profile", "predict", "predict_batch", "rmse_bins", "scored_reviews",
    "time_series_splits", "whole_days",
]

MIN_REVIEWS = 400  # scored reviews needed before `quiz optimize` fits anything
TEST_SHARE = 0.2  # the later part of the log held out to judge fitted parameters
MAX_TRAIN_ITEMS = 60_000  # the latest scored reviews of the training part that fitting uses (bounds memory)
MAX_SEQ_LEN = 256  # fsrs-rs' own limit on the answers of one training item
_DAY_MS = 86_400_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One answer of a review log. `new`: the card was new before it (first answer, or first after a reset)."""

    card: Hashable
    at_ms: int  # epoch milliseconds UTC
    rating: int  # 1 Again … 4 Easy
    new: bool = False


History = tuple[tuple[int, int], ...]
"""One card's answers from new: (epoch ms, rating), oldest first."""


@dataclass(frozen=True, slots=True)
class Scored:
    """A review on which predictions are scored (see the module docstring)."""

    history: int  # index into the histories
    index: int  # position in its history (≥ 1)
    at_ms: int
    recalled: bool  # rated above Again
    elapsed_days: int  # whole days since the previous answer (≥ 1)
    lapses: int  # earlier Again answers of the history that came ≥ 1 day after their previous answer


# --- the log ------------------------------------------------------------------------------------------------------


def histories(entries: Iterable[LogEntry]) -> list[History]:
    """The log cut into histories: by card, in time order, a new history at every answer to a new card."""
    by_card: dict[Hashable, list[LogEntry]] = {}
    for entry in entries:
        by_card.setdefault(entry.card, []).append(entry)
    result: list[History] = []
    for answers in by_card.values():
        answers.sort(key=lambda e: e.at_ms)
        current: list[tuple[int, int]] = []
        for entry in answers:
            if entry.new and current:
                result.append(tuple(current))
                current = []
            current.append((entry.at_ms, entry.rating))
        if current:
            result.append(tuple(current))
    return result


def whole_days(earlier_ms: int, later_ms: int) -> int:
    """Whole days (24 h) from one time to a later one, as py-fsrs counts elapsed days."""
    return max(0, (later_ms - earlier_ms) // _DAY_MS)


def scored_reviews(hists: Sequence[History]) -> list[Scored]:
    """Every scored review of the histories, in time order."""
    found: list[Scored] = []
    for h, history in enumerate(hists):
        lapses = 0
        for i in range(1, len(history)):
            at, rating = history[i]
            elapsed = whole_days(history[i - 1][0], at)
            if elapsed >= 1:
                found.append(Scored(h, i, at, rating > 1, elapsed, lapses))
                if rating == 1:
                    lapses += 1
    found.sort(key=lambda s: (s.at_ms, s.history, s.index))
    return found


def time_series_splits(n: int, folds: int = 5) -> list[tuple[int, int]]:
    """(train end, test end) for `folds` splits of n time-ordered items, as scikit-learn's TimeSeriesSplit: each
    test part is the next n // (folds + 1) items, trained on everything before it."""
    size = n // (folds + 1)
    if size == 0:
        return []
    first = n - folds * size
    return [(start, start + size) for start in range(first, n, size)]


# --- fitting and predicting ---------------------------------------------------------------------------------------


def fit(hists: Sequence[History], train: Sequence[Scored]) -> tuple[float, ...]:
    """FSRS parameters fitted (fsrs-rs) to predict the `train` reviews from their histories; rounded to 4 places."""
    latest = sorted(train, key=lambda s: s.at_ms)[-MAX_TRAIN_ITEMS:]
    return _fit(hists, [(s.history, s.index) for s in latest])


def _fit(hists: Sequence[History], train: Sequence[tuple[int, int]]) -> tuple[float, ...]:
    """`fit` on (history, index) pairs, already in time order and no more than fitting uses."""
    if not train:
        raise QuizError("no reviews to fit FSRS parameters to")
    review_lists: dict[int, list[fsrs_rs_python.FSRSReview]] = {}
    item = fsrs_rs_python.FSRSItem
    items: list[fsrs_rs_python.FSRSItem] = []
    for h, index in train:
        reviews = review_lists.get(h)
        if reviews is None:
            reviews = review_lists[h] = _fsrs_reviews(hists, h)
        items.append(item(reviews[max(0, index + 1 - MAX_SEQ_LEN) : index + 1]))
    try:
        model = fsrs_rs_python.FSRS(fsrs_rs_python.DEFAULT_PARAMETERS)
        fitted = model.compute_parameters(items, enable_short_term=True)
    except Exception as exc:  # fsrs-rs raises plain exceptions (not enough data, numerical trouble)
        raise QuizError(f"fitting FSRS parameters failed ({exc})") from None
    return tuple(round(float(p), 4) for p in fitted)


class _Histories(list[History]):
    """Histories that remember their fsrs-rs reviews (by history index), shared by fitting and predicting."""

    def __init__(self, items: Iterable[History]) -> None:
        super().__init__(items)
        self.fsrs_reviews: dict[int, list[fsrs_rs_python.FSRSReview]] = {}


_REVIEWS: dict[int, fsrs_rs_python.FSRSReview] = {}
"""fsrs-rs reviews by elapsed days * 8 + rating: values that fsrs-rs copies, so one object serves every history."""


def _fsrs_reviews(hists: Sequence[History], h: int) -> list[fsrs_rs_python.FSRSReview]:
    """History `h` as fsrs-rs reviews: each rating with the whole days since the previous answer."""
    cache = getattr(hists, "fsrs_reviews", None)
    if cache is not None and h in cache:
        return cache[h]
    reviews = []
    history = hists[h]
    previous = history[0][0]
    known = _REVIEWS
    for at, rating in history:
        days = (at - previous) // _DAY_MS if at > previous else 0
        review = known.get(days * 8 + rating)
        if review is None:
            review = known[days * 8 + rating] = fsrs_rs_python.FSRSReview(rating, days)
        reviews.append(review)
        previous = at
    if cache is not None:
        cache[h] = reviews
    return reviews


def predict_batch(hists: Sequence[History], scored: Sequence[Scored], parameters: Sequence[float] | None
                  ) -> list[float]:
    """Predicted recall of each scored review, as `predict` gives it, from fsrs-rs' batch memory states."""
    return _BatchPredictor(hists, [(s.history, s.index, s.elapsed_days) for s in scored]).predict(parameters)


class _BatchPredictor:
    """The memory state before each of some reviews, by fsrs-rs in one call per set of parameters: one item per
    history (up to its last review asked for), whose states after every answer fsrs-rs gives at once. The items are
    built once and shared by every set of parameters judged."""

    def __init__(self, hists: Sequence[History], reviews: Iterable[tuple[int, int, int]]) -> None:
        last: dict[int, int] = {}  # per history: the last review asked for
        wanted: list[int] = []
        self.columns: list[int] = []  # per review: the state after the answer before it
        self.elapsed: list[int] = []
        for h, index, elapsed in reviews:
            if last.setdefault(h, index) < index:
                last[h] = index
            wanted.append(h)
            self.columns.append(index - 1)
            self.elapsed.append(elapsed)
        position = {h: k for k, h in enumerate(last)}
        self.rows = [position[h] for h in wanted]  # per review: its history's item
        item = fsrs_rs_python.FSRSItem
        self.items = [item(_fsrs_reviews(hists, h)[:index]) for h, index in last.items()]  # whole, as a replay

    def predict(self, parameters: Sequence[float] | None) -> list[float]:
        from quiz.scheduler import default_parameters

        weights = [float(w) for w in (default_parameters() if parameters is None else parameters)]
        states = fsrs_rs_python.FSRS(weights).historical_memory_state_batch(self.items)
        decay = -weights[20]
        factor = 0.9 ** (1 / decay) - 1
        return [(1 + factor * t / states[k][i].stability) ** decay
                for t, k, i in zip(self.elapsed, self.rows, self.columns, strict=True)]


def predict(hists: Sequence[History], scored: Sequence[Scored], parameters: Sequence[float] | None) -> list[float]:
    """Predicted recall of each scored review, replaying every history through `quiz.scheduler` (fuzz off)."""
    from quiz.scheduler import Scheduler, SchedulerConfig

    scheduler = Scheduler(SchedulerConfig(fuzz=False, parameters=None if parameters is None else tuple(parameters)))
    wanted: dict[int, set[int]] = {}
    for s in scored:
        wanted.setdefault(s.history, set()).add(s.index)
    found: dict[tuple[int, int], float] = {}
    for h in sorted(wanted):
        indexes = wanted[h]
        history = hists[h]
        last = max(indexes)
        state = CardState(f"h{h}")
        for i, (at_ms, rating) in enumerate(history[: last + 1]):
            at = _EPOCH + timedelta(milliseconds=at_ms)
            if i in indexes:
                found[(h, i)] = scheduler.retrievability(state, at) or 0.0
            if i < last:
                state = scheduler.review(state, Rating(rating), at)
    return [found[(s.history, s.index)] for s in scored]


# --- quiz optimize ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OptimizeReport:
    """What `quiz optimize` found: the log's size, the split, the metrics on the held-out later part."""

    reviews: int
    usable: int  # scored reviews
    needed: int = MIN_REVIEWS
    train: int = 0
    test: int = 0
    split_at: datetime | None = None  # the first held-out review
    default: Metrics | None = None
    current: Metrics | None = None  # the profile's own parameters, when it has some
    fitted: Metrics | None = None
    parameters: tuple[float, ...] | None = None
    better: bool = False
    saved: bool = False

    @property
    def enough(self) -> bool:
        return self.usable >= self.needed

    def as_json(self) -> dict[str, object]:
        """The `quiz optimize --json` document: the fields in order (and `enough` after `needed`), `usable` named
        `usable_reviews`; times in UTC ISO 8601 with a Z, metrics as their own documents, tuples as lists."""
        return {_JSON_RENAMED.get(name, name): _json_value(getattr(self, name)) for name in _JSON_FIELDS}


_JSON_FIELDS = ("reviews", "usable", "needed", "enough", "train", "test", "split_at", "default", "current", "fitted",
                "parameters", "better", "saved")
_JSON_RENAMED = {"usable": "usable_reviews"}


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Metrics):
        return value.as_json()
    if isinstance(value, tuple):
        return list(value)
    return value


def evaluate_log(entries: Iterable[LogEntry], current: Sequence[float] | None = None) -> OptimizeReport:
    """Fit on the earlier 80% of the scored reviews, and compare fitted, default (and current) parameters on the
    later 20%. Nothing is fitted when there are fewer than MIN_REVIEWS scored reviews."""
    reviews = 0

    def counted() -> Iterable[LogEntry]:
        nonlocal reviews
        for entry in entries:
            reviews += 1
            yield entry

    with _no_cyclic_gc():
        hists = _Histories(histories(counted()))
        return _evaluate(hists, reviews, current)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic collector off while millions of (acyclic) tuples are built: each of its full passes walks them
    all (~12% of `quiz optimize` on 2M reviews). Restored as it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _card_histories(rows: Iterable[Sequence[int]]) -> tuple[_Histories, int]:
    """`histories` of (card, epoch ms, rating, phase before) rows already in card then time order (as
    `Store.review_log` streams them), without a LogEntry per row; and how many rows there were."""
    result: list[History] = []
    current: list[tuple[int, int]] = []
    append = current.append
    last: object = None
    count = 0
    for card, at_ms, rating, phase_before in rows:
        count += 1
        if (card != last or phase_before == 0) and current:
            result.append(tuple(current))
            current = []
            append = current.append
        last = card
        append((at_ms, rating))
    if current:
        result.append(tuple(current))
    return _Histories(result), count


_Held = tuple[float, int, int, bool, int, int]
"""A scored review as `_evaluate` keeps it: (at_ms, history, index, recalled, elapsed days, lapses); the time a float
(exact below 2**53 ms), which sorts twice as fast as an int beyond 2**30."""
_at = operator.itemgetter(0)


def _evaluate(hists: Sequence[History], reviews: int, current: Sequence[float] | None) -> OptimizeReport:
    """`evaluate_log` on histories. The scored reviews are the same as `scored_reviews` lists, but only the held-out
    part and the training reviews that fitting uses are kept (sorted by time, history, index); predictions come
    from fsrs-rs' batch memory states (`_BatchPredictor`)."""
    times: list[float] = []  # floats, as in _Held
    scored = times.append
    for history in hists:
        previous = history[0][0]
        for at, _ in history:
            if at - previous >= _DAY_MS:
                scored(float(at))
            previous = at
    usable = len(times)
    if usable < MIN_REVIEWS:
        return OptimizeReport(reviews, usable)
    times.sort()
    cut = usable - max(1, round(usable * TEST_SHARE))
    first_kept = int(times[max(0, cut - MAX_TRAIN_ITEMS)])
    skipped = bisect.bisect_left(times, first_kept)  # scored reviews before the first one kept
    del times
    kept: list[_Held] = []
    for h, history in enumerate(hists):
        if history[-1][0] < first_kept:
            continue  # a history over before the first review kept: none of its reviews are kept
        lapses = 0
        previous = history[0][0]
        for i in range(1, len(history)):
            at, rating = history[i]
            elapsed = (at - previous) // _DAY_MS
            previous = at
            if elapsed >= 1:
                if at >= first_kept:
                    kept.append((float(at), h, i, rating > 1, elapsed, lapses))
                if rating == 1:
                    lapses += 1
    kept.sort(key=_at)  # by time, history, index: kept is in history, index order and the sort is stable
    split = cut - skipped
    test = kept[split:]
    del kept[split:]
    # The latest MAX_TRAIN_ITEMS of the training part, as `fit` takes them (kept may begin with a tie).
    parameters = _fit(hists, [(h, i) for _, h, i, _, _, _ in kept[-MAX_TRAIN_ITEMS:]])
    del kept
    from quiz.scheduler import validate_parameters

    validate_parameters(parameters)
    predictor = _BatchPredictor(hists, ((h, i, elapsed) for _, h, i, _, elapsed, _ in test))
    keys = [bin_key(elapsed, i, lapses) for _, _, i, _, elapsed, lapses in test]
    outcomes = [t[3] for t in test]
    default = binned_metrics(keys, outcomes, predictor.predict(None))
    fitted = binned_metrics(keys, outcomes, predictor.predict(parameters))
    own = binned_metrics(keys, outcomes, predictor.predict(current)) if current is not None else None
    baselines = [default] + ([own] if own is not None else [])
    return OptimizeReport(
        reviews=reviews,
        usable=usable,
        train=cut,
        test=usable - cut,
        split_at=_EPOCH + timedelta(milliseconds=int(test[0][0])),
        default=default,
        current=own,
        fitted=fitted,
        parameters=parameters,
        better=all(better(fitted, b) for b in baselines),
    )


def optimize_profile(store: Store, profile: str, current: Sequence[float] | None, *, dry_run: bool = False
                     ) -> OptimizeReport:
    """`quiz optimize`: evaluate the profile's log; save the fitted parameters (the profile's `fsrs_parameters`
    setting) only when they are better on the held-out part, and never on a dry run."""
    with _no_cyclic_gc():
        hists, reviews = _card_histories(store.review_log(profile))
        report = _evaluate(hists, reviews, current)
        del hists
    if not report.better or dry_run or report.parameters is None:
        return report
    store.set_setting(profile, "fsrs_parameters", json.dumps(list(report.parameters)))
    return replace(report, saved=True)
