"""The clock: pinned time from the environment, the learner's zone, and the 04:00 day rollover."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from quiz import clock
from quiz.errors import UsageError

UTC = timezone.utc
RIYADH = ZoneInfo("Asia/Riyadh")  # UTC+3, no DST
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-22T09:00:00Z", datetime(2026, 11, 22, 9, tzinfo=UTC)),
        ("2026-11-22T12:00:00+03:00", datetime(2026, 11, 22, 9, tzinfo=UTC)),
        ("2026-11-22T09:00:00", datetime(2026, 11, 22, 9, tzinfo=UTC)),  # naive means UTC
        ("2026-11-22 09:00:00.123456z", datetime(2026, 11, 22, 9, 0, 0, 123000, tzinfo=UTC)),  # to the ms
        ("2026-11-22", datetime(2026, 11, 22, tzinfo=UTC)),
    ],
)
def test_now_from_environment(monkeypatch: pytest.MonkeyPatch, value: str, expected: datetime) -> None:
    monkeypatch.setenv("QUIZ_NOW", value)
    got = clock.now()
    assert got == expected
    assert got.tzinfo == UTC


def test_now_rejects_a_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_NOW", "next tuesday")
    with pytest.raises(UsageError) as info:
        clock.now()
    assert info.value.line() == (
        "QUIZ_NOW: 'next tuesday' is not an ISO 8601 time (example: 2026-11-22T09:00:00Z)"
    )
    assert info.value.exit_code == 2


def test_now_from_the_system_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUIZ_NOW", raising=False)
    before = datetime.now(UTC)
    got = clock.now()
    after = datetime.now(UTC)
    assert got.tzinfo == UTC
    assert got.microsecond % 1000 == 0
    # The system clock, read between two readings of our own (to the millisecond it keeps): no time bound.
    assert before - timedelta(milliseconds=1) < got <= after


def test_local_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_TZ", "Asia/Riyadh")
    assert clock.local_tz() == RIYADH
    monkeypatch.setenv("QUIZ_TZ", "Mars/Olympus_Mons")
    with pytest.raises(UsageError) as info:
        clock.local_tz()
    assert info.value.line() == "QUIZ_TZ: 'Mars/Olympus_Mons' is not a time zone name (example: Asia/Riyadh)"
    monkeypatch.delenv("QUIZ_TZ")
    assert datetime(2026, 1, 1, tzinfo=clock.local_tz()).utcoffset() is not None


def test_study_day_rolls_over_at_four_local() -> None:
    # 02:00 on the 23rd in Riyadh still belongs to the 22nd; 04:00 starts the 23rd.
    assert clock.study_day(datetime(2026, 11, 22, 23, 0, tzinfo=UTC), RIYADH) == date(2026, 11, 22)
    assert clock.study_day(datetime(2026, 11, 23, 0, 59, tzinfo=UTC), RIYADH) == date(2026, 11, 22)
    assert clock.study_day(datetime(2026, 11, 23, 1, 0, tzinfo=UTC), RIYADH) == date(2026, 11, 23)
    assert clock.study_day(datetime(2026, 11, 22, 20, 0, tzinfo=UTC), RIYADH) == date(2026, 11, 22)
    assert clock.study_day(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), UTC, rollover_hour=0) == date(2026, 11, 23)


def test_study_day_uses_the_learner_zone_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_TZ", "Asia/Riyadh")
    assert clock.study_day(datetime(2026, 11, 22, 23, 0, tzinfo=UTC)) == date(2026, 11, 22)


def test_next_rollover() -> None:
    moment = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)  # 02:00 on the 23rd in Riyadh
    assert clock.next_rollover(moment, RIYADH) == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert clock.next_rollover(datetime(2026, 11, 23, 1, 0, tzinfo=UTC), RIYADH) == datetime(
        2026, 11, 24, 1, 0, tzinfo=UTC
    )
    assert clock.day_start(date(2026, 11, 23), RIYADH) == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def test_rollover_across_daylight_saving() -> None:
    # New York falls back at 02:00 on 2026-11-01: the 31st starts at 04:00 EDT (08:00Z) and lasts 25 hours,
    # until 04:00 EST (09:00Z) on the 1st.
    assert clock.day_start(date(2026, 10, 31), NEW_YORK) == datetime(2026, 10, 31, 8, 0, tzinfo=UTC)
    assert clock.next_rollover(datetime(2026, 10, 31, 12, 0, tzinfo=UTC), NEW_YORK) == datetime(
        2026, 11, 1, 9, 0, tzinfo=UTC
    )
    assert clock.study_day(datetime(2026, 11, 1, 8, 30, tzinfo=UTC), NEW_YORK) == date(2026, 10, 31)
    assert clock.study_day(datetime(2026, 11, 1, 9, 0, tzinfo=UTC), NEW_YORK) == date(2026, 11, 1)
