"""How well does the scheduler predict recall on a real learner's log?  Run by hand: `python bench/eval_scheduler.py`.

Replays ../shared/srs-data/review_logs_josh_*.csv (a real, public Anki review log) through the project's own code —
`quiz.optimizer` fits FSRS parameters (fsrs-rs-python) and predicts by replaying every card through
`quiz.scheduler` — and reports log loss, RMSE(bins) (as the open-spaced-repetition srs-benchmark defines it) and
AUC of the predicted recall for:

- FSRS-6 with its default parameters;
- FSRS-6 with parameters fitted on the training part only;
- SM-2 as a reference (the srs-benchmark way: SM-2's interval from the card's earlier ratings, predicted recall
  0.9 ^ (elapsed days / interval)).

A review is scored when it is not the card's first and comes at least one whole day (24 h) after the card's
previous answer. Splits over the scored reviews in time order: a 5-fold time-series split (scikit-learn's
TimeSeriesSplit: six equal parts, each of the last five tested with parameters fitted on everything before it;
metrics over the five test parts together) and a plain split at 80%.

Prints a table and writes it to bench/RESULTS.md, section "Scheduler evaluation" (the rest of the file is kept).
"""

from __future__ import annotations

import csv
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quiz import optimizer  # noqa: E402
from quiz.optimizer import History, LogEntry, Metrics, Scored  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "srs-data"
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Scheduler evaluation"


def load(path: Path) -> list[LogEntry]:
    entries: list[LogEntry] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            at = datetime.fromisoformat(row["review_time"].replace("Z", "+00:00"))
            entries.append(LogEntry(int(row["card_id"]), int(at.timestamp() * 1000), int(row["review_rating"])))
    return entries


def sm2_interval(ratings: Sequence[int]) -> float:
    """SM-2's interval after these answers (Anki ratings 1-4 read as SM-2 grades 2-5; as in srs-benchmark)."""
    interval, ease, reps = 0.0, 2.5, 0
    for rating in ratings:
        grade = rating + 1
        if grade > 2:
            interval = 1 if reps == 0 else 6 if reps == 1 else interval * ease
            reps += 1
        else:
            interval, reps = 1, 0
        ease = max(1.3, ease + (0.1 - (5 - grade) * (0.08 + (5 - grade) * 0.02)))
        interval = min(max(1, round(interval + 0.01)), 36500)
    return float(interval)


def sm2_predict(hists: Sequence[History], scored: Sequence[Scored], *, day_separated: bool = False) -> list[float]:
    """SM-2's predicted recall, from every earlier answer of the card, or (`day_separated`) only from its first
    answer and those that came a day or more after the previous one (SM-2 itself has no learning steps)."""

    def ratings(history: History, index: int) -> list[int]:
        if not day_separated:
            return [rating for _, rating in history[:index]]
        return [history[0][1]] + [history[i][1] for i in range(1, index)
                                  if optimizer.whole_days(history[i - 1][0], history[i][0]) >= 1]

    return [0.9 ** (s.elapsed_days / sm2_interval(ratings(hists[s.history], s.index))) for s in scored]


@dataclass(frozen=True)
class Row:
    split: str
    model: str
    metrics: Metrics


def evaluate(hists: Sequence[History], scored: Sequence[Scored]) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    notes: list[str] = []
    default = optimizer.predict(hists, scored, None)
    sm2 = sm2_predict(hists, scored)
    sm2_days = sm2_predict(hists, scored, day_separated=True)

    def pick(values: Sequence[float], indexes: Sequence[int]) -> list[float]:
        return [values[k] for k in indexes]

    # 5-fold time-series split.
    test_idx: list[int] = []
    fitted_pred: list[float] = []
    for fold, (train_end, test_end) in enumerate(optimizer.time_series_splits(len(scored), 5), 1):
        started = time.perf_counter()
        params = optimizer.fit(hists, scored[:train_end])
        part = list(range(train_end, test_end))
        pred = optimizer.predict(hists, [scored[k] for k in part], params)
        test_idx += part
        fitted_pred += pred
        m_def = optimizer.metrics([scored[k] for k in part], pick(default, part))
        m_fit = optimizer.metrics([scored[k] for k in part], pred)
        notes.append(f"fold {fold}: train {train_end}, test {len(part)}; log loss default {m_def.log_loss:.4f}, "
                     f"fitted {m_fit.log_loss:.4f} ({time.perf_counter() - started:.1f} s)")
    test = [scored[k] for k in test_idx]
    rows += [
        Row("5-fold time series", "FSRS-6 default", optimizer.metrics(test, pick(default, test_idx))),
        Row("5-fold time series", "FSRS-6 fitted", optimizer.metrics(test, fitted_pred)),
        Row("5-fold time series", "SM-2", optimizer.metrics(test, pick(sm2, test_idx))),
        Row("5-fold time series", "SM-2, day-separated answers", optimizer.metrics(test, pick(sm2_days, test_idx))),
    ]
    # Plain split at 80%.
    cut = int(len(scored) * 0.8)
    params = optimizer.fit(hists, scored[:cut])
    part = list(range(cut, len(scored)))
    test = [scored[k] for k in part]
    rows += [
        Row("80% / 20%", "FSRS-6 default", optimizer.metrics(test, pick(default, part))),
        Row("80% / 20%", "FSRS-6 fitted", optimizer.metrics(test, optimizer.predict(hists, test, params))),
        Row("80% / 20%", "SM-2", optimizer.metrics(test, pick(sm2, part))),
        Row("80% / 20%", "SM-2, day-separated answers", optimizer.metrics(test, pick(sm2_days, part))),
    ]
    notes.append("parameters fitted on the first 80%: " + ", ".join(f"{p:g}" for p in params))
    return rows, summary(rows) + notes


def summary(rows: Sequence[Row]) -> list[str]:
    """Differences that answer the questions: does FSRS beat SM-2, is fitting worth it?"""
    lines: list[str] = []
    for split in dict.fromkeys(row.split for row in rows):
        by_model = {row.model: row.metrics for row in rows if row.split == split}
        default, fitted, sm2 = by_model["FSRS-6 default"], by_model["FSRS-6 fitted"], by_model["SM-2"]
        sm2_days = by_model["SM-2, day-separated answers"]

        def auc_delta(a: Metrics, b: Metrics) -> str:
            return "—" if a.auc is None or b.auc is None else f"{a.auc - b.auc:+.4f}"

        lines.append(
            f"{split}: FSRS-6 default against SM-2, log loss {default.log_loss - sm2.log_loss:+.4f} "
            f"({default.log_loss - sm2_days.log_loss:+.4f} against the day-separated variant); fitted against "
            f"default, log loss {fitted.log_loss - default.log_loss:+.4f}, RMSE(bins) "
            f"{fitted.rmse_bins - default.rmse_bins:+.4f}, AUC {auc_delta(fitted, default)}")
    return lines


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| split | model | reviews scored | log loss | RMSE(bins) | AUC | mean predicted | share recalled |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        m = row.metrics
        auc = "—" if m.auc is None else f"{m.auc:.4f}"
        lines.append(f"| {row.split} | {row.model} | {m.n} | {m.log_loss:.4f} | {m.rmse_bins:.4f} | {auc} | "
                     f"{m.predicted:.3f} | {m.actual:.3f} |")
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace (or add) this script's section of bench/RESULTS.md, keeping everything else."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    lines = old.splitlines()
    start = next((k for k, line in enumerate(lines) if line.strip() == SECTION), None)
    if start is None:
        new = old.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"
    else:
        end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")), len(lines))
        new = "\n".join(lines[:start] + text.rstrip("\n").splitlines() + ([""] + lines[end:] if end < len(lines)
                                                                           else [])) + "\n"
    RESULTS.write_text(new, encoding="utf-8")


def main() -> None:
    started = time.perf_counter()
    paths = sorted(DATA.glob("review_logs_josh_*.csv"))
    if not paths:
        sys.exit(f"no review_logs_josh_*.csv in {DATA}")
    entries = [entry for path in paths for entry in load(path)]
    hists = optimizer.histories(entries)
    scored = optimizer.scored_reviews(hists)
    rows, notes = evaluate(hists, scored)
    elapsed = time.perf_counter() - started
    recalled = sum(s.recalled for s in scored) / len(scored)
    body = table(rows)
    print(body)
    for note in notes:
        print(note)
    from importlib.metadata import version

    text = "\n".join([
        SECTION,
        "",
        f"`python bench/eval_scheduler.py` on {', '.join(p.name for p in paths)}: {len(entries):,} answers to "
        f"{len({e.card for e in entries}):,} cards, {len(scored):,} of them scored (not a card's first answer, and "
        f"at least 24 h after its previous one; {recalled:.1%} recalled). Predictions replay every card through "
        f"`quiz.scheduler` (fsrs {version('fsrs')}); fitting is `quiz.optimizer.fit` (fsrs-rs-python "
        f"{version('fsrs-rs-python')}), on the training part only. SM-2 is the srs-benchmark reference: "
        "its interval from the card's earlier ratings, predicted recall 0.9^(elapsed days / interval); the "
        "\"day-separated\" variant feeds SM-2 only the card's first answer and those a day or more after the "
        "previous one, leaving out same-day learning steps. Lower log "
        "loss and RMSE(bins) are better, higher AUC is better. The 5-fold time-series rows score the five later "
        "sixths of the scored reviews, each predicted with parameters fitted on everything before it.",
        "",
        body,
        "",
        *[f"- {note}" for note in notes],
        f"- {platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
        f"{elapsed:.1f} s in all.",
        "",
    ])
    write_section(text)
    print(f"written to {RESULTS.relative_to(ROOT)} ({elapsed:.1f} s)")


if __name__ == "__main__":
    main()
