"""The time of day and the learner's day: the system clock, or a pinned clock from the environment.

`QUIZ_NOW` (ISO 8601; naive means UTC) pins "now" so end-to-end tests can travel days; `QUIZ_TZ` (an IANA name)
sets the learner's zone. A study day rolls over at 04:00 local time, as in Anki. Stdlib only (`quiz.errors` is
imported where an error is raised: `quiz due`'s fast path reads the clock without dataclasses).
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROLLOVER_HOUR = 4
NOW_ENV = "QUIZ_NOW"
TZ_ENV = "QUIZ_TZ"


def parse_time(text: str) -> datetime:
    """An ISO 8601 time as an aware UTC datetime (a naive value means UTC); ValueError when it is not one."""
    value = text.strip()
    if value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)  # raises ValueError
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def truncate_ms(moment: datetime) -> datetime:
    """`moment` without its sub-millisecond part, so it round-trips through the store exactly."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9899, 12, 31, tzinfo=timezone.utc)
"""The times quiz works at: from the Unix epoch (a machine whose clock battery died says 1970) to a century before
the calendar's end (a card may be scheduled up to 100 years ahead; statistics look a year back)."""


def now() -> datetime:
    """Now, aware UTC, to the millisecond: from `QUIZ_NOW` when set, else the system clock. UsageError when it is
    outside `EARLIEST`..`LATEST`."""
    pinned = os.environ.get(NOW_ENV, "").strip()
    if pinned:
        try:
            moment = parse_time(pinned)
        except (ValueError, OverflowError):
            from quiz.errors import UsageError

            raise UsageError(
                f"'{pinned}' is not an ISO 8601 time (example: 2026-11-22T09:00:00Z)", where=NOW_ENV
            ) from None
        if not EARLIEST <= moment <= LATEST:
            from quiz.errors import UsageError

            raise UsageError(f"'{pinned}' is outside the times quiz can schedule (years 1970 to 9899)",
                             where=NOW_ENV, hint="give a time in that range")
    else:
        moment = datetime.now(timezone.utc)
        if not EARLIEST <= moment <= LATEST:
            from quiz.errors import UsageError

            raise UsageError(f"the system clock says {moment.isoformat()}, outside the times quiz can schedule "
                             "(years 1970 to 9899); set the clock")
    return truncate_ms(moment)


def local_tz() -> tzinfo:
    """The learner's time zone: `QUIZ_TZ` (IANA name) when set, else the system's local zone."""
    name = os.environ.get(TZ_ENV, "").strip()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            from quiz.errors import UsageError

            raise UsageError(
                f"'{name}' is not a time zone name (example: Asia/Riyadh)", where=TZ_ENV
            ) from None
    return _system_tz()


def _system_tz() -> tzinfo:
    """The system zone as a ZoneInfo when it can be named (DST-aware), else its current fixed offset."""
    candidates: list[str] = []
    env = os.environ.get("TZ", "").strip().lstrip(":")
    if env:
        candidates.append(env)
    else:
        try:
            link = os.readlink("/etc/localtime")
            if "zoneinfo/" in link:
                candidates.append(link.split("zoneinfo/", 1)[1])
        except OSError:
            pass
        try:
            with open("/etc/timezone", encoding="utf-8") as handle:
                candidates.append(handle.read().strip())
        except OSError:
            pass
    for key in candidates:
        try:
            return ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    return datetime.now().astimezone().tzinfo or timezone.utc


def study_day(moment: datetime, tz: tzinfo | None = None, rollover_hour: int = ROLLOVER_HOUR) -> date:
    """The learner's day of `moment`: it starts at `rollover_hour` local time (02:00 on the 23rd is the 22nd)."""
    local = moment.astimezone(tz if tz is not None else local_tz())
    return (local.replace(tzinfo=None) - timedelta(hours=rollover_hour)).date()


def day_start(day: date, tz: tzinfo | None = None, rollover_hour: int = ROLLOVER_HOUR) -> datetime:
    """The UTC instant at which study day `day` begins."""
    zone = tz if tz is not None else local_tz()
    return datetime.combine(day, time(rollover_hour), tzinfo=zone).astimezone(timezone.utc)


def next_rollover(moment: datetime, tz: tzinfo | None = None, rollover_hour: int = ROLLOVER_HOUR) -> datetime:
    """The UTC instant at which the study day of `moment` ends (the next local `rollover_hour`)."""
    zone = tz if tz is not None else local_tz()
    return day_start(study_day(moment, zone, rollover_hour) + timedelta(days=1), zone, rollover_hour)
