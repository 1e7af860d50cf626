"""`quiz study`'s fast path (quiz.cli.quick_study) is the full command without Typer: the same session, the same
words, the same errors and exit status. Each case runs `quiz study` with the same typed input through the console
script's `main` and through the Typer app alone, in fresh interpreters, on databases in the same state; the
modules imported say which path ran. (The interactive loop in a terminal: tests/test_pty_study.py and
tests/test_pty_loop.py, which now start through the fast path.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli_stats import NOW, bank  # noqa: F401 - the fixture: eight cards in three eras
from test_due_fast import MAIN, TYPER


def run(script: str, args: tuple[str, ...], env: dict[str, str], probe: Path, typed: str) -> tuple[int, str, str, bool]:
    probe.unlink(missing_ok=True)
    proc = subprocess.run([sys.executable, "-c", script, *args], env=env, input=typed.encode(), capture_output=True,
                          timeout=120)
    modules = set(probe.read_text().splitlines()) if probe.exists() else set()
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode(), bool(modules) and "typer" not in modules


def both(tmp_path: Path, bank_dir: Path, *args: str, typed: str = "q\n", fast: bool | None = True, **env: str) -> str:
    """`quiz study ARGS --bank BANK --no-builtin`, `typed` on stdin, through `main` and through the Typer app,
    each on its own copy of the database as it was: equal output. `fast`: whether `main` ran without Typer (None:
    an error, which the app's boundary says: its module, and Typer, are imported then)."""
    db = Path(os.environ["QUIZ_DB"])
    environ = dict(os.environ, QUIZ_NOW=NOW, QUIZ_SEED="7", PROBE_OUT=str(tmp_path / "modules.txt"), **env)
    argv = ("study", *args, "--no-builtin", "--bank", str(bank_dir))
    results = []
    for script in (MAIN, TYPER):
        copy = tmp_path / f"copy-{len(results)}.db"
        if db.exists():
            shutil.copy(db, copy)
        else:
            copy.unlink(missing_ok=True)
        results.append(run(script, argv, dict(environ, QUIZ_DB=str(copy)), tmp_path / "modules.txt", typed))
    (main_code, main_out, main_err, main_fast), (code, out, err, full_fast) = results
    assert (main_code, main_out, main_err) == (code, out, err), args
    assert not full_fast
    if fast is not None:
        assert main_fast is fast, (args, main_err)
    return main_out


def test_sessions_through_both_paths(tmp_path: Path, bank: Path) -> None:  # noqa: F811
    out = both(tmp_path, bank, typed="\n3\n\n1\nq\n")  # two cards rated, then quit: the summary
    assert "Question" in out and "answered" in out.lower()
    both(tmp_path, bank, "--lang", "ar", typed="\n3\nq\n")
    both(tmp_path, bank, "--lang=both", "--limit", "1", typed="\n3\n")
    both(tmp_path, bank, "--era", "late", "--new", "0")  # nothing to study: said so
    both(tmp_path, bank, "--kind", "card", "--tag", "none")
    both(tmp_path, bank, typed="?\nu\ns\n\n4\n")  # keys, then the end of input
    both(tmp_path, bank, "--profile", "ana", "--bidi", "off", typed="")
    for wrong in (("--lang", "fr"), ("--era", "nope"), ("--bidi", "sideways")):  # usage errors found by the session
        both(tmp_path, bank, *wrong, fast=None)


@pytest.mark.parametrize("args", [("--limit", "0"), ("--limit", "1_0"), ("--new", "-1"), ("--help",),
                                  ("--profile",), ("--bank", ""), ("extra",)])
def test_what_typer_reads_goes_to_the_full_command(tmp_path: Path, bank: Path, args: tuple[str, ...]) -> None:  # noqa: F811
    both(tmp_path, bank, *args, fast=False)


def test_a_broken_bank_is_the_same_error(tmp_path: Path, bank: Path) -> None:  # noqa: F811
    (bank / "q.yaml").write_text("questions:\n  - id: broken\n    kind: card\n", encoding="utf-8")
    both(tmp_path, bank, fast=None)


def test_the_mirrored_limits_are_the_command_s() -> None:
    from quiz.cli import quick_study, study_cmds

    source = Path(study_cmds.__file__).read_text(encoding="utf-8")
    assert 'bounded_int(ctx, limit_text, "--limit", low=1)' in source
    assert 'bounded_int(ctx, new_text, "--new", low=0)' in source
    assert quick_study.LOWEST == {"--limit": 1, "--new": 0}
