"""Where things live: the database, the bank cache and teacher banks, from options, environment or defaults; and
whether the process that left a temporary file there is still alive."""

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
    fast = _xdg("XDG_DATA_HOME", "~/.local/share")
    if fast is not None:
        return fast / "quiz.db"
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False) / "quiz.db"


def cache_dir() -> Path | None:
    """`QUIZ_CACHE_DIR`, else the platform's user cache directory; `QUIZ_CACHE_DIR=` (empty) turns caching off."""
    env = os.environ.get("QUIZ_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    fast = _xdg("XDG_CACHE_HOME", "~/.cache")
    if fast is not None:
        return fast
    from platformdirs import user_cache_path

    return user_cache_path(APP, appauthor=False)


def _xdg(variable: str, default: str) -> Path | None:
    """The folder platformdirs gives on Linux in the plain case, without importing it (~7 ms on every start):
    `$XDG_..._HOME` when it is an absolute path, else the default under an absolute `$HOME`, then the app's
    name. Anything else (another system, Android, a relative value, no usable HOME) is left to platformdirs;
    tests/test_startup.py checks the two agree."""
    import sys

    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel") or os.environ.get("ANDROID_ROOT"):
        return None
    value = os.environ.get(variable, "")
    if value.startswith("/"):
        return Path(value) / APP
    if value.strip():
        return None
    home = os.environ.get("HOME", "")
    if not home.startswith("/"):
        return None
    return Path(os.path.expanduser(default)) / APP


def teacher_banks(options: list[Path] | None) -> list[Path]:
    """`--bank DIR` (repeatable) followed by the folders listed in `QUIZ_BANKS` (a path list)."""
    banks = list(options or [])
    env = os.environ.get("QUIZ_BANKS", "")
    banks.extend(Path(p) for p in env.split(os.pathsep) if p)
    return banks


def process_alive(pid: int) -> bool:
    """Whether process `pid` is running (a temporary file named with it is still being written)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is not ours to signal
        return True
    return True
