"""Issue 17, internal errors from hostile clocks and settings, replayed the way they were found.

- A clock in 1970: `quiz export anki` failed on ZIP timestamps (ZIP cannot say a time before 1980).
- `QUIZ_NOW` near year 1 or 9999: `due`, `stats` and `study` died with OverflowError. Now the clock refuses a time
  quiz cannot schedule from, in one line; the edges of the range it accepts work.
- `quiz config learning_steps 9999999999d`, `quiz config fsrs_parameters '[NaN]'` (21 zeros, one number) were
  accepted, then every `quiz study` failed: refused when set, with the scheduler's own check; a value stored by an
  older version falls back to the default instead of breaking every session.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from reliability_kit import typed_bank, write_bank
from typer.testing import CliRunner

from quiz.cli import app

NOW = "2026-03-02T09:00:00Z"


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "bank", typed_bank(4))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "quiz.db"


def quiz(db: Path, *args: str, stdin: str = "", now: str = NOW) -> object:
    return CliRunner().invoke(app, list(args), input=stdin,
                              env={"QUIZ_DB": str(db), "QUIZ_NOW": now, "QUIZ_FUZZ": "0", "QUIZ_CACHE_DIR": ""})


def teacher(bank: Path) -> tuple[str, ...]:
    return ("--no-builtin", "--bank", str(bank), "--lang", "en")


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00Z", "0001-01-02T09:00:00Z", "1969-12-31T23:59:59Z",
                                 "9999-12-25T00:00:00Z", "9999-12-31T23:59:59Z"])
@pytest.mark.parametrize("command", [["due"], ["stats"], ["study"]])
def test_a_clock_quiz_cannot_schedule_from_is_refused_in_one_line(now: str, command: list[str], db: Path,
                                                                 bank: Path) -> None:
    args = [*command, *teacher(bank)] if command == ["study"] else command
    result = quiz(db, *args, stdin="right\n\nq\n", now=now)
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert result.stderr == (f"Error: QUIZ_NOW: '{now}' is outside the times quiz can schedule (years 1970 to "  # type: ignore[attr-defined]
                             "9899) (give a time in that range)\n")


@pytest.mark.parametrize("now", ["1970-01-01T00:00:00Z", "9899-12-30T23:00:00Z"])
def test_the_edges_of_the_range_work(now: str, db: Path, bank: Path) -> None:
    study = quiz(db, "study", *teacher(bank), "--new", "2", stdin="right\n\nwrong\n\nq\n", now=now)
    assert study.exit_code == 0, study.stderr  # type: ignore[attr-defined]
    for args in (["due"], ["stats"], ["history", "q00", *teacher(bank)], ["study", *teacher(bank)]):
        result = quiz(db, *args, stdin="q\n", now=now)
        assert result.exit_code == 0, (args, result.stderr)  # type: ignore[attr-defined]


def test_anki_export_with_a_clock_in_1970(tmp_path: Path, db: Path, bank: Path) -> None:
    out = tmp_path / "deck.apkg"
    result = quiz(db, "export", "anki", str(out), *teacher(bank), now="1970-01-01T00:00:00Z")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    with zipfile.ZipFile(out) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        (tmp_path / "c.anki2").write_bytes(package.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    assert conn.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 4
    conn.close()


BAD_SETTINGS = {
    ("learning_steps", "9999999999d"): "'9999999999d' is not between 1s and 36500d",
    ("relearning_steps", "0s"): "'0s' is not between 1s and 36500d",
    ("fsrs_parameters", "[NaN]"): "Expected 21 parameters, got 1.",
    ("fsrs_parameters", "[" + ",".join(["0"] * 21) + "]"): "parameters[20] = 0.0 is out of bounds: (0.1, 0.8)",
    ("fsrs_parameters", "[0.5]"): "Expected 21 parameters, got 1.",
    ("fsrs_parameters", "[" + ",".join(["NaN"] * 21) + "]"): "is out of bounds",
    ("fsrs_parameters", "[true]"): "must be a JSON list of numbers",
}


@pytest.mark.parametrize(("key", "value"), sorted(BAD_SETTINGS))
def test_settings_that_would_break_every_session_are_refused_when_set(key: str, value: str, db: Path,
                                                                       bank: Path) -> None:
    result = quiz(db, "config", key, value)
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    (line,) = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert line.startswith(f"Error: {key}: ") and BAD_SETTINGS[(key, value)] in line
    study = quiz(db, "study", *teacher(bank), "--new", "1", stdin="right\n\nq\n")
    assert study.exit_code == 0, study.stderr  # type: ignore[attr-defined]


def test_a_bad_value_stored_by_an_older_version_falls_back_to_the_default(db: Path, bank: Path) -> None:
    assert quiz(db, "config", "new_per_day", "3").exit_code == 0  # type: ignore[attr-defined]
    conn = sqlite3.connect(db)
    conn.execute("INSERT OR REPLACE INTO settings(profile_id, key, value) VALUES "
                 "((SELECT id FROM profiles WHERE name = 'default'), 'fsrs_parameters', '[NaN]'), "
                 "((SELECT id FROM profiles WHERE name = 'default'), 'learning_steps', '9999999999d')")
    conn.commit()
    conn.close()
    study = quiz(db, "study", *teacher(bank), "--new", "2", stdin="right\n\nwrong\n\nq\n")
    assert study.exit_code == 0, study.stderr  # type: ignore[attr-defined]
