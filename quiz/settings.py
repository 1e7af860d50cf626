"""A profile's settings: typed values, their defaults, and how `quiz config` reads and checks them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import TypeVar

from quiz.errors import UsageError

_STEP = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_STEP = timedelta(days=36500)
"""The longest learning step: the longest interval (a longer one overflows the calendar)."""


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """'1m 10m' → (1 minute, 10 minutes)."""
    steps: list[timedelta] = []
    for part in text.replace(",", " ").split():
        match = _STEP.match(part)
        if not match:
            raise ValueError(f"'{part}' is not a step like 1m, 10m, 1h or 1d")
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
        if not 1 <= seconds <= MAX_STEP.total_seconds():
            raise ValueError(f"'{part}' is not between 1s and 36500d")
        steps.append(timedelta(seconds=seconds))
    return tuple(steps)


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError(f"'{text}' is not a whole number") from None
        if not low <= value <= high:
            raise ValueError(f"must be from {low} to {high}")
        return value

    return parse


def _retention(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None
    if not 0.7 <= value <= 0.99:
        raise ValueError("must be from 0.70 to 0.99")
    return value


def _steps(text: str) -> str:
    parse_steps(text)
    return " ".join(text.replace(",", " ").split())


def _parameters(text: str) -> str:
    from quiz.errors import QuizError
    from quiz.scheduler import validate_parameters  # the scheduler's own check: what it accepts, it can use

    try:
        values = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f"'{text}' is not a JSON list of numbers") from None
    if not isinstance(values, list) or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                               for v in values):
        raise ValueError("must be a JSON list of numbers")
    try:
        validate_parameters(values)
    except QuizError as exc:
        raise ValueError(exc.message.removeprefix("invalid FSRS parameters: ")) from None
    return json.dumps(values)


def _bidi(text: str) -> str:
    value = text.strip().lower()
    if value not in ("auto", "on", "off"):
        raise ValueError("must be auto, on or off")
    return value


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("true", "false", "on", "off", "yes", "no", "1", "0"):
        raise ValueError("must be true or false")
    return value in ("true", "on", "yes", "1")


T = TypeVar("T")


def _setting(default: T, parse: Callable[[str], object], about: str) -> T:
    """A field of `Settings`: its default, how `quiz config` reads a value, what it is."""
    return field(default=default, metadata={"parse": parse, "about": about})


@dataclass(frozen=True, slots=True)
class Settings:
    """A profile's settings, each declared once: its type, default, parser and description (`SPEC`)."""

    new_per_day: int = _setting(10, _int_in(0, 9999), "new questions introduced per day")
    reviews_per_day: int = _setting(200, _int_in(0, 99999), "reviews per day")
    desired_retention: float = _setting(0.9, _retention, "the probability of recall FSRS aims for (0.70-0.99)")
    maximum_interval: int = _setting(36500, _int_in(1, 36500), "the longest interval, in days")
    learning_steps: str = _setting("1m 10m", _steps, "learning steps for new questions, e.g. '1m 10m'")
    relearning_steps: str = _setting("10m", _steps, "relearning steps after a lapse, e.g. '10m'")
    leech_threshold: int = _setting(8, _int_in(1, 99), "lapses after which a question is marked a leech")
    fsrs_parameters: str = _setting("", _parameters, "personal FSRS parameters (set by quiz optimize); JSON list")
    bidi: str = _setting("auto", _bidi, "Arabic layout: auto (by terminal), on (quiz reorders) or off (the terminal "
                         "does)")
    bury_siblings: bool = _setting(True, _flag, "show at most one question per fact a day, none revealing another "
                                   "(true or false)")

    @staticmethod
    def from_store(values: Mapping[str, str]) -> Settings:
        """Typed settings from stored text; a stored value that no longer parses falls back to the default."""
        kwargs: dict[str, object] = {}
        for key, raw in values.items():
            if key in SPEC:
                try:
                    kwargs[key] = SPEC[key][0](raw)
                except ValueError:
                    continue
        return Settings(**kwargs)  # type: ignore[arg-type]

    def parameters(self) -> tuple[float, ...] | None:
        return tuple(json.loads(self.fsrs_parameters)) if self.fsrs_parameters else None

    def as_text(self) -> dict[str, str]:
        return {f.name: _text(getattr(self, f.name)) for f in fields(self)}


SPEC: dict[str, tuple[Callable[[str], object], str]] = {
    f.name: (f.metadata["parse"], f.metadata["about"]) for f in fields(Settings)
}
"""Setting name -> (its parser, its description), in `quiz config`'s order."""


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check(key: str, value: str) -> str:
    """The value as it will be stored, or a UsageError saying what is accepted."""
    if key not in SPEC:
        from difflib import get_close_matches

        close = get_close_matches(key, SPEC, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise UsageError(f"unknown setting '{key}'{hint}; settings are: " + ", ".join(SPEC))
    parse, description = SPEC[key]
    try:
        parsed = parse(value)
    except (ValueError, json.JSONDecodeError) as exc:
        reason = str(exc)
        if not reason.startswith("'"):
            known = reason.startswith(("must", "is"))
            reason = f"'{value}' {reason}" if known else f"'{value}' is not valid ({reason})"
        raise UsageError(f"{key}: {reason}; {description}") from None
    if isinstance(parsed, bool):
        return "true" if parsed else "false"
    return parsed if isinstance(parsed, str) else str(parsed)
