"""`quiz stats`' fast path (quiz.cli.quick_stats) prints byte for byte what the full command prints, and leaves
everything it does not draw to the full command. Each case runs `quiz stats` through the console script's
`main` (fast path first) and through the Typer app alone, in fresh interpreters, on the same database: stdout,
stderr and the exit status must be equal, and the modules imported say which path answered (neither Typer nor
rich on the fast path)."""

from __future__ import annotations

import inspect
import os
from pathlib import Path

import pytest
from test_cli_stats import NOW, bank, learner  # noqa: F401 - the fixtures: test_stats' hand-computed learner
from test_due_fast import MAIN, TYPER, Run, run


def both(tmp_path: Path, bank_dir: Path, *args: str, fast: bool | None = True, **env: str) -> Run:
    """`quiz stats ARGS --bank BANK --no-builtin` through `main` and through the Typer app: equal output; `fast`
    says which path `main` took (None: either)."""
    environ = dict(os.environ, QUIZ_NOW=NOW, PROBE_OUT=str(tmp_path / "modules.txt"), COLUMNS="100")
    environ.update(env)
    for name, value in env.items():
        if value == "<unset>":
            environ.pop(name)
    argv = ("stats", *args, "--no-builtin", "--bank", str(bank_dir))
    main = run(MAIN, argv, environ, tmp_path / "modules.txt")
    full = run(TYPER, argv, environ, tmp_path / "modules.txt")
    assert (main.code, main.stdout.decode(), main.stderr.decode()) == \
           (full.code, full.stdout.decode(), full.stderr.decode()), args
    assert not full.fast
    if fast is not None:
        assert main.fast is fast, (args, env, main)
    return main


def test_the_page_in_every_plain_mode(tmp_path: Path, bank: Path, learner: Path) -> None:  # noqa: F811
    first = both(tmp_path, bank, "--profile", "ana", fast=None)  # the bank cache is written
    assert first.stdout.startswith(b"Progress of ana\nToday: 3 due")
    out = both(tmp_path, bank, "--profile", "ana")
    assert out.stdout == first.stdout and b"Mastery by era" in out.stdout and b"Lowest recall now" in out.stdout
    for args, env in [
        (("--lang", "ar"), {}), (("--lang=ar", "--days", "7"), {}), (("--days=365",), {}), (("--era", "middle"), {}),
        (("--json",), {}), (("--json", "--era", "late", "--lang", "ar"), {}), (("--bidi", "off"), {}),
        (("--bidi", "auto", "--lang", "ar"), {}), ((), {"QUIZ_LANG": "ar"}), ((), {"LANG": "ar_EG.UTF-8"}),
        ((), {"QUIZ_BIDI": "off"}), ((), {"COLUMNS": "80"}), ((), {"COLUMNS": "140"}), (("--lang", "ar"),
                                                                                         {"COLUMNS": "80"}),
        ((), {"COLUMNS": "<unset>"}), ((), {"QUIZ_NOW": "2026-12-25T03:00:00Z"}),
        (("--db", str(learner)), {"QUIZ_DB": "<unset>"}), ((), {"QUIZ_PROFILE": "ana"}),
    ]:
        both(tmp_path, bank, "--profile", "ana", *args, **env)
    both(tmp_path, bank, "--profile", "nobody")  # a new profile (created, as the full command creates it)
    both(tmp_path, bank, "--json", "--profile", "ana", "--bidi", "nonsense")  # --json never reads --bidi


@pytest.mark.parametrize(("args", "env"), [
    (("--bidi", "on"), {}),  # Arabic reordered: rich lays it out
    ((), {"QUIZ_BIDI": "on"}),
    (("--lang", "ar"), {"QUIZ_BIDI": "on"}),
    (("--bidi", "nonsense"), {}),  # usage errors: the full command says them
    (("--days", "3"), {}),
    (("--days", " 9"), {}),
    (("--days", "1_0"), {}),
    (("--era", "nope"), {}),
    (("--lang", "fr"), {}),
    (("--profile", "a\tb"), {}),  # not a usable name
    (("--help",), {}),
    (("--kind", "card"), {}),
    ((), {"COLUMNS": "30"}),  # narrow: the tables shrink as rich shrinks them
    ((), {"FORCE_COLOR": "1"}),  # colours
])
def test_everything_else_is_the_full_command(tmp_path: Path, bank: Path, learner: Path,  # noqa: F811
                                             args: tuple[str, ...], env: dict[str, str]) -> None:
    both(tmp_path, bank, "--profile", "ana", fast=None)
    both(tmp_path, bank, "--profile", "ana", *args, fast=False, **env)


def test_an_ascii_output_gets_the_full_command_s_stand_ins(tmp_path: Path, bank: Path, learner: Path) -> None:  # noqa: F811
    environ = dict(os.environ, QUIZ_NOW=NOW, PROBE_OUT=str(tmp_path / "modules.txt"), PYTHONIOENCODING="ascii")
    out = run(MAIN, ("stats", "--profile", "ana", "--no-builtin", "--bank", str(bank)), environ,
              tmp_path / "modules.txt")
    assert (out.code, out.fast) == (0, False) and b"Today: 3 due - 2 done" in out.stdout


def test_a_bank_with_errors_and_a_new_database(tmp_path: Path, bank: Path, write_bank: object) -> None:  # noqa: F811
    both(tmp_path, bank, fast=None, QUIZ_DB=str(tmp_path / "new.db"))  # created by either path, as the full one does
    out = both(tmp_path, bank)
    assert out.stdout.startswith(b"Progress of default\nToday: 0 due") and b"No answers yet" in out.stdout
    (bank / "q.yaml").write_text("questions:\n  - id: broken\n    kind: card\n", encoding="utf-8")
    out = both(tmp_path, bank, fast=False)
    assert out.code == 1 and out.stderr.startswith(b"Error: ")


def test_the_mirrored_defaults_are_the_command_s() -> None:
    from quiz.cli import quick_stats, stats_cmds

    assert quick_stats.DAYS == ("182", stats_cmds.DAYS_MIN, stats_cmds.DAYS_MAX)
    assert inspect.signature(stats_cmds.stats_cmd).parameters["days"].default == quick_stats.DAYS[0]
