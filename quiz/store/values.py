"""What leaves the progress database besides `quiz.model` values (and what an export record is given as,
`Repeated`): small frozen dataclasses and named tuples."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from quiz.model import Review


@dataclass(frozen=True, slots=True)
class CardFlags:
    suspended: bool = False
    buried_until: datetime | None = None
    leech: bool = False


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What `sync_questions` changed; `skipped` when the bank was identical to the last sync (one SELECT)."""

    new: int = 0
    changed: int = 0
    removed: int = 0
    restored: int = 0
    skipped: bool = False


class QuestionMeta(NamedTuple):
    content_hash: str
    first_seen: datetime
    changed_at: datetime


class DayCounts(NamedTuple):
    """Answers on one study day: to cards that were new, and to cards in review (what daily limits count)."""

    new_done: int
    reviews_done: int


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One row of the review log."""

    id: int
    review: Review
    day: str
    retrievability: float | None
    interval_days: float | None
    became_leech: bool


# --- statistics (`quiz stats`, `quiz optimize`) ---------------------------------------------------------------------


class DayStats(NamedTuple):
    """Answers on one study day: all of them, those to cards in review (and how many of those were recalled, i.e.
    rated above Again), those to new cards, and the time spent answering."""

    day: str
    reviews: int
    review_phase: int
    review_passed: int
    new: int
    duration_ms: int


class ReviewTotals(NamedTuple):
    reviews: int
    duration_ms: int


class EraCounts(NamedTuple):
    """An era's active questions by state: new (never started), learning (or relearning), young and mature review
    cards (mature: interval of at least the given number of days)."""

    era: str
    new: int
    learning: int
    young: int
    mature: int


class CardLapses(NamedTuple):
    question_id: str
    lapses: int
    leech: bool


class CardMemory(NamedTuple):
    """A review card's memory: what retrievability "now" is computed from."""

    question_id: str
    stability: float
    last_review: datetime
    lapses: int


LogRow = tuple[int, int, int, int]
"""One review as the optimizer needs it: (qid, reviewed_at, rating, phase_before); `phase_before` 0 means the card
was new (a history starts). A plain tuple, as sqlite3 makes it: a named tuple per row was a quarter of what
`quiz optimize` spent reading the log."""


# --- whole-database backups (`quiz backup`, `quiz restore`) --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DatabaseInfo:
    """What a checked quiz database holds."""

    schema: int  # how many migrations it has applied (len(migrations.NAMES) for the current schema)
    profiles: int
    reviews: int

    def describe(self) -> str:
        p = f"{self.profiles} profile{'s' if self.profiles != 1 else ''}"
        r = f"{self.reviews} answer{'s' if self.reviews != 1 else ''}"
        return f"{p}, {r}"


# --- export records -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Repeated:
    """An export record given as what it repeats of an earlier export's: that export's rows (`rows` of them when
    it was read) but those of the GUIDs `left_out`, then the record's own rows (`rest`). A re-export repeats most
    of the previous record (184,000 rows at 100k): they are copied in SQL, none bound from Python."""

    export_id: int
    rows: int
    left_out: Sequence[str]
    rest: Mapping[str, str]
