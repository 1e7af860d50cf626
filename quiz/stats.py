"""A learner's progress in figures: what `quiz stats` and `quiz history` show.

Every figure comes from an SQL aggregate of the store (answers grouped by study day, cards grouped by era and
state, cards counted by due day) or from a short bounded list (the hardest questions); nothing here loads the
review log. Values are frozen dataclasses; `Stats.as_json()` is the `--json` form.

Definitions
- A study day rolls over at 04:00 local time (`quiz.clock`); "today" is the study day of `now`.
- True retention over N days: of the answers on the last N study days (today included) to cards that were in
  review before the answer, the share rated above Again. Learning steps and new cards do not count.
- Forecast: started, unsuspended cards by the study day they fall due; day 0 is today and includes everything
  overdue, so `forecast[0] == due_today` (learning steps due later today included; daily limits not applied).
- Mastery: new (never started), learning (or relearning), young (in review, interval < 21 days), mature
  (interval ≥ 21 days), over the era's active questions.
- Retrievability now: FSRS-6's forgetting curve R = (1 + factor · t / S) ^ (−decay), factor = 0.9^(−1/decay) − 1,
  t the whole days since the last review (as `quiz.scheduler` counts them), decay the 21st FSRS parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from quiz import clock

if TYPE_CHECKING:
    from quiz.store import Store

MATURE_DAYS = 21
FORECAST_DAYS = 30
DEFAULT_HEATMAP_DAYS = 182  # 26 weeks
HARDEST = 10
# FSRS-6's default decay (the 21st default parameter); tests check it against quiz.scheduler.default_parameters(),
# so stats need not import fsrs.
FSRS6_DEFAULT_DECAY = 0.1542
_DAY = timedelta(days=1)
_OVERDUE = -(2**62)


def forgetting_curve(elapsed_days: float, stability: float, decay: float = FSRS6_DEFAULT_DECAY) -> float:
    """FSRS-6's probability of recall after `elapsed_days` for a memory of `stability` days."""
    factor = 0.9 ** (-1.0 / decay) - 1.0
    return float((1.0 + factor * max(0.0, elapsed_days) / stability) ** (-decay))


def decay_of(parameters: Sequence[float] | None) -> float:
    """The decay (21st parameter) of FSRS parameters; FSRS-6's default for None or an older, shorter list."""
    if parameters is not None and len(parameters) >= 21:
        return float(parameters[20])
    return FSRS6_DEFAULT_DECAY


# --- values ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Today:
    due: int  # cards due before today's rollover (overdue included)
    done: int  # answers today
    new: int  # new questions started today
    seconds: float


@dataclass(frozen=True, slots=True)
class Retention:
    """Answers to review cards over a window, and how many were recalled."""

    days: int
    reviews: int
    passed: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None


@dataclass(frozen=True, slots=True)
class Mastery:
    era: str
    new: int
    learning: int
    young: int
    mature: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.young + self.mature


@dataclass(frozen=True, slots=True)
class HardQuestion:
    question_id: str
    lapses: int
    leech: bool = False
    retrievability: float | None = None


@dataclass(frozen=True, slots=True)
class TimeSpent:
    today: float
    week: float  # the last 7 study days, today included
    total: float


@dataclass(frozen=True, slots=True)
class Stats:
    profile: str
    today_day: str
    era: str | None
    today: Today
    streak: int
    reviews_total: int
    heatmap: tuple[tuple[str, int], ...]  # every day of the window, oldest first
    retention_7d: Retention
    retention_30d: Retention
    desired_retention: float
    forecast: tuple[int, ...]  # FORECAST_DAYS counts, today first
    mastery: tuple[Mastery, ...]
    most_lapses: tuple[HardQuestion, ...]
    leech_count: int
    leeches: tuple[HardQuestion, ...]
    lowest_retrievability: tuple[HardQuestion, ...]
    time: TimeSpent

    def as_json(self) -> dict[str, Any]:
        """The `quiz stats --json` document."""
        return {
            "profile": self.profile,
            "day": self.today_day,
            "era": self.era,
            "reviews_total": self.reviews_total,
            "streak_days": self.streak,
            "due_today": self.today.due,
            "done_today": self.today.done,
            "new_today": self.today.new,
            "retention_7d": _rounded(self.retention_7d.rate),
            "retention_7d_reviews": self.retention_7d.reviews,
            "retention_30d": _rounded(self.retention_30d.rate),
            "retention_30d_reviews": self.retention_30d.reviews,
            "desired_retention": self.desired_retention,
            "forecast": list(self.forecast),
            "eras": {
                m.era: {"new": m.new, "learning": m.learning, "young": m.young, "mature": m.mature}
                for m in self.mastery
            },
            "heatmap": dict(self.heatmap),
            "time_seconds": {
                "today": round(self.time.today),
                "7d": round(self.time.week),
                "total": round(self.time.total),
            },
            "hardest": {
                "most_lapses": [{"id": h.question_id, "lapses": h.lapses, "leech": h.leech} for h in self.most_lapses],
                "leech_count": self.leech_count,
                "leeches": [h.question_id for h in self.leeches],
                "lowest_retrievability": [
                    {"id": h.question_id, "retrievability": _rounded(h.retrievability)}
                    for h in self.lowest_retrievability
                ],
            },
        }


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


# --- computing -------------------------------------------------------------------------------------------------------


def compute(
    store: Store,
    profile: str,
    now: datetime,
    tz: tzinfo,
    *,
    days: int = DEFAULT_HEATMAP_DAYS,
    era: str | None = None,
    era_order: Sequence[str] = (),
    desired_retention: float = 0.9,
    parameters: Sequence[float] | None = None,
    limit: int = HARDEST,
) -> Stats:
    """Every figure of `quiz stats` for `profile` at `now` (the heatmap spans the last `days` study days)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    today = clock.study_day(now, tz)
    heat_start = today - timedelta(days=days - 1)
    since = min(heat_start, today - timedelta(days=29))
    per_day = {row.day: row for row in store.stats_days(profile, since.isoformat(), today.isoformat(), era)}

    def window(n: int) -> list[str]:
        return [(today - timedelta(days=k)).isoformat() for k in range(n)]

    def retention(n: int) -> Retention:
        rows = [per_day[d] for d in window(n) if d in per_day]
        return Retention(n, sum(r.review_phase for r in rows), sum(r.review_passed for r in rows))

    today_row = per_day.get(today.isoformat())
    forecast = tuple(store.stats_forecast(profile, _forecast_bounds(today, tz), era))
    totals = store.stats_totals(profile, era)
    week_ms = sum(per_day[d].duration_ms for d in window(7) if d in per_day)
    heatmap = tuple(
        (d.isoformat(), per_day[d.isoformat()].reviews if d.isoformat() in per_day else 0)
        for d in (heat_start + timedelta(days=k) for k in range(days))
    )
    decay = decay_of(parameters)
    forgotten = tuple(
        HardQuestion(card.question_id, card.lapses,
                     retrievability=forgetting_curve((now - card.last_review) // _DAY, card.stability, decay))
        for card in store.stats_forgotten(profile, now, limit, era)
    )
    leech_count, leeches = store.stats_leeches(profile, limit, era)
    return Stats(
        profile=profile,
        today_day=today.isoformat(),
        era=era,
        today=Today(
            due=forecast[0],
            done=today_row.reviews if today_row else 0,
            new=today_row.new if today_row else 0,
            seconds=(today_row.duration_ms if today_row else 0) / 1000,
        ),
        streak=store.streak(profile, today.isoformat()),
        reviews_total=totals.reviews,
        heatmap=heatmap,
        retention_7d=retention(7),
        retention_30d=retention(30),
        desired_retention=desired_retention,
        forecast=forecast,
        mastery=_mastery(store, profile, era, era_order),
        most_lapses=tuple(HardQuestion(c.question_id, c.lapses, c.leech)
                          for c in store.stats_most_lapses(profile, limit, era)),
        leech_count=leech_count,
        leeches=tuple(HardQuestion(c.question_id, c.lapses, True) for c in leeches),
        lowest_retrievability=forgotten,
        time=TimeSpent(
            today=(today_row.duration_ms if today_row else 0) / 1000,
            week=week_ms / 1000,
            total=totals.duration_ms / 1000,
        ),
    )


def _forecast_bounds(today: date, tz: tzinfo) -> list[tuple[int, int]]:
    """[lo, hi) in epoch ms for today (everything overdue included) and each following study day."""
    from quiz.store import to_ms

    ends = [to_ms(clock.day_start(today + timedelta(days=k + 1), tz)) for k in range(FORECAST_DAYS)]
    return [(_OVERDUE if k == 0 else ends[k - 1], ends[k]) for k in range(FORECAST_DAYS)]


def _mastery(store: Store, profile: str, era: str | None, era_order: Sequence[str]) -> tuple[Mastery, ...]:
    rank = {era_id: index for index, era_id in enumerate(era_order)}
    rows = store.stats_mastery(profile, MATURE_DAYS, era)
    ordered = sorted(rows, key=lambda row: (rank.get(row.era, len(rank)), row.era))
    return tuple(Mastery(r.era, r.new, r.learning, r.young, r.mature) for r in ordered)


# --- a question's history -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One answer to a question: when, what was given, the rating, and the memory after it."""

    at: datetime
    day: str
    answer: str
    correct: bool | None
    rating: int
    phase_before: int
    interval_days: float | None  # until the card came due again
    stability_after: float | None
    retrievability: float | None  # predicted recall just before the answer (None for a new card)
    duration_ms: int

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "day": self.day,
            "answer": self.answer,
            "correct": self.correct,
            "rating": self.rating,
            "interval_days": _rounded(self.interval_days),
            "stability": _rounded(self.stability_after),
            "retrievability": _rounded(self.retrievability),
            "duration_ms": self.duration_ms,
        }


def history(store: Store, profile: str, question_id: str) -> tuple[HistoryEntry, ...]:
    """Every answer of `profile` to the question, oldest first."""
    return tuple(
        HistoryEntry(
            at=record.review.reviewed_at,
            day=record.day,
            answer=record.review.answer,
            correct=record.review.correct,
            rating=int(record.review.rating),
            phase_before=int(record.review.before.phase),
            interval_days=record.interval_days,
            stability_after=record.review.after.stability,
            retrievability=record.retrievability,
            duration_ms=record.review.duration_ms,
        )
        for record in store.reviews(profile, question_id)
    )
