"""The daily commands stay off pydantic (issue 18): `quiz study`, `due`, `stats`, `history` and bare `quiz` import
it in no case, with any option, checked by `sys.modules` in a fresh interpreter, never by the clock; `quiz stats
--days` and `quiz study --limit / --new` check their ranges themselves, with the messages and exit code Typer's
coercion gave them."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from quiz.cli import app

PROBE = """\
import atexit, os, sys

def record():  # quiz leaves with os._exit after running exit handlers
    with open(os.environ["PROBE_OUT"], "w") as handle:
        handle.write("\\n".join(sorted(sys.modules)))

atexit.register(record)
sys.argv = ["quiz", *sys.argv[1:]]
from quiz.cli import main
main()
"""
QUESTION = "article-about"  # a built-in question (`history` of a question never answered lists nothing)


def imported(tmp_path: Path, *args: str) -> tuple[int, set[str], str]:
    """`quiz ARGS` in a fresh interpreter (answering `q` to any prompt): exit code, top-level modules, stderr."""
    out = tmp_path / "modules.txt"
    out.unlink(missing_ok=True)
    env = dict(os.environ, PROBE_OUT=str(out), QUIZ_NOW="2026-03-02T09:00:00Z")
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, input="q\n", capture_output=True,
                          text=True, timeout=120)
    assert out.exists(), proc.stderr
    return proc.returncode, {name.split(".")[0] for name in out.read_text().splitlines()}, proc.stderr


@pytest.mark.parametrize("args", [
    (), ("due",), ("due", "--json"), ("due", "--lang", "ar", "--profile", "other"), ("study",),
    ("study", "--lang", "ar"), ("study", "--limit", "3"), ("study", "--new", "0", "--limit", "1"),
    ("stats",), ("stats", "--days", "30"), ("stats", "--json", "--days", "3660"), ("history", QUESTION),
    ("history", QUESTION, "--json"),
])
def test_daily_commands_never_import_pydantic(tmp_path: Path, args: tuple[str, ...]) -> None:
    imported(tmp_path, "due")  # the first run parses the bank and creates the database
    code, modules, stderr = imported(tmp_path, *args)
    assert code == 0, stderr
    assert "pydantic" not in modules and "pydantic_core" not in modules


@pytest.mark.parametrize(("args", "message"), [
    (("stats", "--days", "6"), "Invalid value for '--days': Input should be greater than or equal to 7 "
                               "(see 'quiz stats --help')"),
    (("study", "--limit", "0"), "Invalid value for '--limit': Input should be greater than or equal to 1 "
                                "(see 'quiz study --help')"),
    (("study", "--new", "x"), "Invalid value for '--new': Input should be a valid integer, unable to parse string "
                              "as an integer (see 'quiz study --help')"),
])
def test_a_bad_value_imports_no_pydantic_either(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, modules, stderr = imported(tmp_path, *args)
    assert (code, "pydantic" in modules) == (2, False)
    assert stderr == f"Error: {message}\n"


runner = CliRunner()


@pytest.mark.parametrize(("value", "problem"), [
    ("6", "Input should be greater than or equal to 7"),
    ("-7", "Input should be greater than or equal to 7"),
    ("3661", "Input should be less than or equal to 3660"),
    ("abc", "Input should be a valid integer, unable to parse string as an integer"),
    ("7.5", "Input should be a valid integer, unable to parse string as an integer"),
    ("", "Input should be a valid integer, unable to parse string as an integer"),
])
def test_stats_days_out_of_range_is_a_usage_error(value: str, problem: str) -> None:
    result = runner.invoke(app, ["stats", "--days", value])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: Invalid value for '--days': {problem} (see 'root stats --help')\n"


@pytest.mark.parametrize("value", ["7", "3660", " 30 ", "+30", "30.0", "1_000"])
def test_stats_days_in_range(value: str) -> None:
    result = runner.invoke(app, ["stats", "--json", "--days", value])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(("option", "value", "problem"), [
    ("--limit", "0", "Input should be greater than or equal to 1"),
    ("--limit", "-0", "Input should be greater than or equal to 1"),
    ("--limit", "1.5", "Input should be a valid integer, unable to parse string as an integer"),
    ("--limit", "", "Input should be a valid integer, unable to parse string as an integer"),
    ("--new", "-1", "Input should be greater than or equal to 0"),
    ("--new", "x", "Input should be a valid integer, unable to parse string as an integer"),
])
def test_study_limits_out_of_range_are_usage_errors(tmp_path: Path, option: str, value: str, problem: str) -> None:
    result = runner.invoke(app, ["study", "--db", str(tmp_path / "quiz.db"), option, value], input="q\n")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: Invalid value for '{option}': {problem} (see 'root study --help')\n"
    assert not (tmp_path / "quiz.db").exists()  # refused before anything was opened


@pytest.mark.parametrize(("args", "limit", "new"), [
    ((), None, None), (("--limit", " 3 "), 3, None), (("--new", "0"), None, 0),
    (("--new", "1_0", "--limit", "2.0"), 2, 10),
])
def test_study_limits_in_range_reach_the_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 args: tuple[str, ...], limit: int | None, new: int | None) -> None:
    import quiz.session

    seen: list[object] = []
    real = quiz.session.new_session

    def spy(*a: Any, **kw: Any) -> Any:
        seen.append(kw["limits"])
        return real(*a, **kw)

    monkeypatch.setattr(quiz.session, "new_session", spy)
    result = runner.invoke(app, ["study", "--db", str(tmp_path / "quiz.db"), *args], input="q\n")
    assert result.exit_code == 0, result.stderr
    assert [(lim.session_total, lim.session_new) for lim in seen] == [(limit, new)]  # type: ignore[attr-defined]


@functools.cache
def typer_int_coercion(low: int | None = 7, high: int | None = 3660) -> Any:
    """What Typer coerces an int option with min=low, max=high through: a pydantic TypeAdapter."""
    from pydantic import Field, TypeAdapter

    return TypeAdapter(Annotated[int, Field(ge=low, le=high)])


@settings(deadline=None)  # no clock in tests: the first example imports pydantic
@given(st.from_regex(r"\s*[+-]?[1-9][0-9]{0,5}(\.0+|\.5)?\s*|[a-z.]{0,3}", fullmatch=True))
def test_days_are_read_as_typer_read_them(text: str) -> None:
    """The same value or the same message as Typer's own coercion of an int option with min=7, max=3660."""
    import typer
    from pydantic import ValidationError

    from quiz.cli.coercion import bounded_int
    from quiz.cli.stats_cmds import _days

    cases: list[tuple[int, int | None, Any]] = [
        (7, 3660, lambda t: _days(None, t)),  # type: ignore[arg-type]
        (1, None, lambda t: bounded_int(None, t, "--limit", 1)),
    ]
    for low, high, check in cases:
        adapter = typer_int_coercion(low, high)
        try:
            expected: object = adapter.validate_python(text)
        except ValidationError as exc:
            expected = exc.errors()[0]["msg"]
        try:
            got: object = check(text)
        except typer.BadParameter as exc:
            got = exc.message
        assert got == expected, (low, high)


def test_a_first_run_creates_the_database_without_numpy_or_pandas(tmp_path: Path) -> None:
    # sqlite-utils imports NumPy and pandas whenever they are installed (lemminflect, for `quiz derive`, brings
    # NumPy), only to map their number types, which quiz never writes: ~10 MB and ~50 ms of every first run.
    pytest.importorskip("numpy")  # a dependency's: without it, nothing to hold off
    code, modules, stderr = imported(tmp_path, "due")
    assert code == 0, stderr
    assert "sqlite_utils" in modules  # the database was created by the migrations
    assert not modules & {"numpy", "pandas"}


def test_numpy_still_imports_after_sqlite_utils() -> None:
    pytest.importorskip("numpy")
    code = "import quiz.migrations as m; m.migrations(); import numpy; print(type(numpy.int64(1)).__name__)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          timeout=60).stdout == "int64\n"
