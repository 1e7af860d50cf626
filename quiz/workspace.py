"""A learner's place to work: the store opened for one profile, the bank synced into it, its settings.

Every command that reads or writes progress opens one `Workspace`; the study session, `quiz due`, stats and
exports all start here, so the bank is synced the same way everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from quiz import clock
from quiz.errors import UsageError
from quiz.model import Bank
from quiz.settings import Settings

if TYPE_CHECKING:
    from quiz.scheduler import Scheduler
    from quiz.store import Store

DEFAULT_PROFILE = "default"


def profile_name(option: str | None) -> str:
    """--profile, else QUIZ_PROFILE, else 'default'."""
    name = option or os.environ.get("QUIZ_PROFILE") or DEFAULT_PROFILE
    if not name.strip() or len(name) > 64 or any(ord(ch) < 32 for ch in name):
        raise UsageError(f"--profile: '{name}' is not a usable profile name (1-64 printable characters)")
    return name


@dataclass
class Workspace:
    store: Store
    bank: Bank
    profile: str
    tz: tzinfo

    @property
    def settings(self) -> Settings:
        return Settings.from_store(self.store.settings(self.profile))

    def scheduler(self) -> Scheduler:
        """The FSRS scheduler with this profile's settings (imports fsrs)."""
        from quiz.scheduler import Scheduler, SchedulerConfig
        from quiz.settings import parse_steps

        settings = self.settings
        fuzz = os.environ.get("QUIZ_FUZZ", "1") not in ("0", "off", "false")
        config = SchedulerConfig(
            desired_retention=settings.desired_retention,
            learning_steps=parse_steps(settings.learning_steps),
            relearning_steps=parse_steps(settings.relearning_steps),
            maximum_interval=settings.maximum_interval,
            fuzz=fuzz,
            parameters=settings.parameters(),
        )
        return Scheduler(config)

    def day(self, now: datetime) -> tuple[str, datetime]:
        """The learner's study day (rolls over at 04:00 local time) and when it ends."""
        return clock.study_day(now, self.tz).isoformat(), clock.next_rollover(now, self.tz)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_workspace(db_path: Path, bank: Bank, profile: str, now: datetime, *, sync: bool = True) -> Workspace:
    """Open the database, make sure the profile exists, and record the bank's questions (new, changed, gone)."""
    from quiz.store import Store

    store = Store.open(db_path, now=now)
    try:
        if sync and not store.read_only:
            store.check_health()  # before the session's first write: a damaged page anywhere stops it here
            # The bank's fingerprint (kept in the bank cache) says whether anything changed since the last sync:
            # a warm run neither lists the bank's questions nor decodes them.
            if not store.bank_synced(bank.fingerprint):
                store.sync_questions(bank.sync_entries(), now, fingerprint=bank.fingerprint)
            store.ensure_profile(profile, now)
    except BaseException:
        store.close()
        raise
    return Workspace(store, bank, profile, clock.local_tz())


def sync_entries(bank: Bank) -> list[tuple[str, str, str, str]]:
    """(id, content hash, era, kind) of every studyable question, in the order new questions are introduced
    (`Bank.sync_entries`)."""
    return bank.sync_entries()


@dataclass(frozen=True, slots=True)
class Status:
    profile: str
    due: int
    learning: int
    new: int
    next_due: datetime | None
    streak: int


def status(ws: Workspace, now: datetime, only: Collection[str] | None = None) -> Status:
    """What `quiz due` and bare `quiz` report: today's due reviews, learning cards, new questions available."""
    settings = ws.settings
    day, day_end = ws.day(now)
    counts = ws.store.today_counts(ws.profile, day)
    review_room = max(0, settings.reviews_per_day - counts.reviews_done)
    new_room = max(0, settings.new_per_day - counts.new_done)
    learning, review_due = ws.store.due_counts(ws.profile, now, day_end, only=only)
    reviews = min(review_room, review_due)
    new = len(ws.store.new_questions(ws.profile, now, limit=new_room, only=only)) if new_room else 0
    return Status(ws.profile, reviews, learning, new, ws.store.next_due(ws.profile, now, only=only),
                  ws.store.streak(ws.profile, day))
