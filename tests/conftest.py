"""Shared fixtures: every test runs away from the user's real data, and teacher banks are easy to write."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

HEADER_FILE = "_header.yaml"
HEADER = textwrap.dedent(
    """\
    sources:
      - id: doc
        title: {ar: وثيقة, en: A document}
    eras:
      - id: early
        start: 1900
        end: 1939
        title: {ar: المرحلة الأولى, en: The early era}
      - id: middle
        start: 1940
        end: 1969
        title: {ar: المرحلة الوسطى, en: The middle era}
      - id: late
        start: 1970
        end: 1999
        title: {ar: المرحلة الأخيرة, en: The late era}
    """
)
"""What `write_bank` puts beside the files it is given: one source document `doc` and three eras,
`early` (1900–1939), `middle` (1940–1969) and `late` (1970–1999)."""

WriteBank = Callable[..., Path]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the database, the cache and every user directory at a fresh temp folder; clear QUIZ_* settings."""
    root = tmp_path_factory.mktemp("env")
    for name in ("home", "data", "cache", "quiz-cache"):
        (root / name).mkdir()
    monkeypatch.setenv("QUIZ_DB", str(root / "data" / "quiz.db"))
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(root / "quiz-cache"))
    for name in ("QUIZ_BANKS", "QUIZ_LANG", "QUIZ_BIDI", "QUIZ_PROFILE", "QUIZ_NOW", "QUIZ_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QUIZ_TZ", "UTC")
    monkeypatch.setenv("HOME", str(root / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))
    return root


def _write_bank(root: Path, files: dict[str, str], *, header: bool = True) -> Path:
    """Write teacher-bank files (dedented) into `root`, plus `_header.yaml` with `HEADER`; return `root`."""
    root.mkdir(parents=True, exist_ok=True)
    if header:
        (root / HEADER_FILE).write_text(HEADER, encoding="utf-8")
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def write_bank() -> WriteBank:
    """`write_bank(folder, {"name.yaml": yaml_text}, header=True) -> folder`."""
    return _write_bank
