"""How well predictions of recall match what happened: the metrics of the open-spaced-repetition srs-benchmark.

Log loss; RMSE(bins): scored reviews grouped by (elapsed days, review number, lapses), each bin's mean prediction
against its mean outcome, RMSE weighted by bin size; AUC of the predicted recall. Pure arithmetic on lists, no
FSRS: `quiz.optimizer` scores fitted and current parameters with them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.optimizer import Scored

_EPS = 1e-6


@dataclass(frozen=True, slots=True)
class Metrics:
    """How well one set of predictions scored on `n` reviews."""

    n: int
    log_loss: float
    rmse_bins: float
    auc: float | None  # None when every outcome is the same
    predicted: float  # mean predicted recall
    actual: float  # share recalled

    def as_json(self) -> dict[str, float | int | None]:
        return {
            "n": self.n,
            "log_loss": round(self.log_loss, 4),
            "rmse_bins": round(self.rmse_bins, 4),
            "auc": None if self.auc is None else round(self.auc, 4),
            "predicted": round(self.predicted, 4),
            "actual": round(self.actual, 4),
        }


def log_loss(predictions: Sequence[float], outcomes: Sequence[bool]) -> float:
    total = 0.0
    for p, y in zip(predictions, outcomes, strict=True):
        p = min(max(p, _EPS), 1 - _EPS)
        total -= math.log(p) if y else math.log(1 - p)
    return total / len(predictions)


def _bin(x: float, scale: float, base: float, digits: int) -> float:
    return round(scale * base ** math.floor(math.log(x) / math.log(base)), digits)


BinKey = tuple[float, float, float]


@functools.lru_cache(maxsize=65_536)
def bin_key(elapsed_days: int, index: int, lapses: int) -> BinKey:
    """The RMSE(bins) bin of a scored review: its elapsed days, review number (index + 1) and lapses."""
    return (
        _bin(max(elapsed_days, _EPS), 2.48, 3.62, 2),
        _bin(index + 1, 1.99, 1.89, 0),
        _bin(lapses, 1.65, 1.73, 0) if lapses else 0.0,
    )


def rmse_bins(scored: Sequence[Scored], predictions: Sequence[float]) -> float:
    """srs-benchmark's RMSE(bins): bins by elapsed days, review number and lapses; weighted by bin size."""
    return _rmse_bins([bin_key(s.elapsed_days, s.index, s.lapses) for s in scored],
                      [s.recalled for s in scored], predictions)


def _rmse_bins(keys: Sequence[BinKey], outcomes: Sequence[bool], predictions: Sequence[float]) -> float:
    bins: dict[BinKey, list[float]] = {}
    for key, y, p in zip(keys, outcomes, predictions, strict=True):
        acc = bins.get(key)
        if acc is None:
            acc = bins[key] = [0.0, 0.0, 0.0]
        acc[0] += 1
        acc[1] += p
        acc[2] += 1.0 if y else 0.0
    squares = sum(n * (sum_p / n - sum_y / n) ** 2 for n, sum_p, sum_y in bins.values())
    return math.sqrt(squares / sum(n for n, _, _ in bins.values()))


def auc(predictions: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """The area under the ROC curve (ties count half); None when all outcomes are equal."""
    positives = sum(1 for y in outcomes if y)
    negatives = len(outcomes) - positives
    if positives == 0 or negatives == 0:
        return None
    order = sorted(range(len(predictions)), key=predictions.__getitem__)
    ranked = [predictions[k] for k in order]
    # Twice the rank sum of the positives, in integers (exact): rank k + 1 each, a tie's members the tie's mean.
    twice = 2 * sum(rank for rank, k in enumerate(order, 1) if outcomes[k])
    k, n = 1, len(ranked)
    while k < n:
        if ranked[k] != ranked[k - 1]:
            k += 1
            continue
        first = k - 1  # a tie: ranked[first:j] are equal
        j = k + 1
        while j < n and ranked[j] == ranked[first]:
            j += 1
        tied = [rank for rank in range(first + 1, j + 1) if outcomes[order[rank - 1]]]
        twice += len(tied) * (first + 1 + j) - 2 * sum(tied)
        k = j + 1
    return (twice / 2 - positives * (positives + 1) / 2) / (positives * negatives)


def metrics(scored: Sequence[Scored], predictions: Sequence[float]) -> Metrics:
    return binned_metrics([bin_key(s.elapsed_days, s.index, s.lapses) for s in scored], [s.recalled for s in scored],
                    predictions)


def binned_metrics(keys: Sequence[BinKey], outcomes: Sequence[bool], predictions: Sequence[float]) -> Metrics:
    """`metrics` of reviews given by their bins and outcomes (what `quiz optimize` keeps of its held-out part)."""
    if not outcomes:
        raise ValueError("no reviews to score")
    return Metrics(
        n=len(outcomes),
        log_loss=log_loss(predictions, outcomes),
        rmse_bins=_rmse_bins(keys, outcomes, predictions),
        auc=auc(predictions, outcomes),
        predicted=sum(predictions) / len(predictions),
        actual=sum(outcomes) / len(outcomes),
    )


def better(candidate: Metrics, baseline: Metrics) -> bool:
    """Lower log loss and lower RMSE(bins) on the same reviews."""
    return candidate.log_loss < baseline.log_loss and candidate.rmse_bins < baseline.rmse_bins
