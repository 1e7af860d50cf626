"""Shared fixtures: every test runs away from the user's real data, and teacher banks are easy to write."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

HEADER_FILE = "_header.yaml"

ERAS = {
    "early": (1900, 1939, "المرحلة الأولى", "The early era"),
    "middle": (1940, 1969, "المرحلة الوسطى", "The middle era"),
    "late": (1970, 1999, "المرحلة الأخيرة", "The late era"),
    "cold": (1945, 1991, "الحرب الباردة", "The Cold War"),
}
"""The eras test banks are made of: id → (start, end, Arabic title, English title)."""

SOURCES = {"doc": ("وثيقة", "A document"), "notes": ("ملاحظات", "Notes")}
"""The source documents test banks cite: id → (Arabic title, English title)."""


def bank_header(source: str = "doc", eras: Sequence[str] = ("early", "middle", "late"), *,
                title: tuple[str, str] | None = None) -> str:
    """The YAML a test bank starts with: one source document and some of `ERAS`, in block style (one key a
    line, so the line numbers of what follows are easy to count). `title` overrides the source's titles."""
    ar, en = title or SOURCES[source]
    lines = ["sources:", f"  - id: {source}", f"    title: {{ar: {ar}, en: {en}}}", "eras:"]
    for era in eras:
        start, end, era_ar, era_en = ERAS[era]
        lines += [f"  - id: {era}", f"    start: {start}", f"    end: {end}",
                  f"    title: {{ar: {era_ar}, en: {era_en}}}"]
    return "\n".join(lines) + "\n"


HEADER = bank_header()
"""What `write_bank` puts beside the files it is given: one source document `doc` and three eras,
`early` (1900–1939), `middle` (1940–1969) and `late` (1970–1999)."""

WriteBank = Callable[..., Path]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The one autouse fixture: every test runs away from the user's real data. The database, the bank cache,
    HOME and the XDG data, cache, config and state folders all point into a fresh temp folder of this test (its
    own, beside `tmp_path`, so that `tmp_path` starts empty); every QUIZ_* setting is cleared, the time zone is
    UTC and the locale says nothing about the language. Returns that folder."""
    root = tmp_path_factory.mktemp("env")
    for name in ("home", "data", "cache", "config", "state", "quiz-cache"):
        (root / name).mkdir()
    for name in ("QUIZ_BANKS", "QUIZ_LANG", "QUIZ_BIDI", "QUIZ_PROFILE", "QUIZ_NOW", "QUIZ_DEBUG", "QUIZ_FUZZ",
                 "QUIZ_SEED", "QUIZ_WORKERS", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QUIZ_DB", str(root / "data" / "quiz.db"))
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(root / "quiz-cache"))
    monkeypatch.setenv("QUIZ_TZ", "UTC")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("HOME", str(root / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(root / "state"))
    return root


@pytest.fixture
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run inside `tmp_path`, so files are shown by short relative names (`bank/<file>`); returns `tmp_path`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def workdir(in_tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A teacher's folder: run inside `tmp_path`, the database is `tmp_path/quiz.db`, the bank cache is off."""
    monkeypatch.setenv("QUIZ_DB", str(in_tmp_path / "quiz.db"))
    monkeypatch.setenv("QUIZ_CACHE_DIR", "")
    return in_tmp_path


def run_quiz(*args: str | Path, stdin: str | bytes | None = None, now: str | None = None,
             env: Mapping[str, str] | None = None, prog_name: str | None = None) -> Result:
    """`quiz ARGS` in this process through Typer's CliRunner (stdout and stderr kept apart): `stdin` is what the
    learner types, `now` pins the clock (QUIZ_NOW), `env` adds variables for this one run."""
    from quiz.cli import app

    extra = dict(env or {})
    if now is not None:
        extra["QUIZ_NOW"] = now
    return CliRunner().invoke(app, [str(a) for a in args], input=stdin, env=extra or None, prog_name=prog_name)


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
