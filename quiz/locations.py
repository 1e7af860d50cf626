"""Where things live: the database, the bank cache and teacher banks, from options, environment or defaults."""

from __future__ import annotations

import os
from pathlib import Path

APP = "timeline-quiz"


def database_path(option: Path | None) -> Path:
    """`--db`, else `QUIZ_DB`, else `quiz.db` in the platform's user data directory."""
    if option is not None:
        return option
    env = os.environ.get("QUIZ_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False) / "quiz.db"


def cache_dir() -> Path | None:
    """`QUIZ_CACHE_DIR`, else the platform's user cache directory; `QUIZ_CACHE_DIR=` (empty) turns caching off."""
    env = os.environ.get("QUIZ_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    from platformdirs import user_cache_path

    return user_cache_path(APP, appauthor=False)


def teacher_banks(options: list[Path] | None) -> list[Path]:
    """`--bank DIR` (repeatable) followed by the folders listed in `QUIZ_BANKS` (a path list)."""
    banks = list(options or [])
    env = os.environ.get("QUIZ_BANKS", "")
    banks.extend(Path(p) for p in env.split(os.pathsep) if p)
    return banks
