"""Upgrades: a database made by the first schema version (`fixtures/schema-v1.db`, see its README) becomes the
current schema with every row intact, after a backup written beside it; several processes upgrading it at once
make one upgrade, and the learner goes on studying from the old history."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from reliability_kit import (
    HEADER,
    Learner,
    assert_sound,
    child_env,
    consistency_problems,
    integrity,
    kill,
    quiz_args,
    review_log,
    spawn_study,
    write_bank,
)

from quiz import migrations
from quiz.clock import parse_time
from quiz.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "schema-v1.db"
V1_TABLES = ("meta", "profiles", "settings", "questions", "cards", "reviews")
NOW = parse_time("2026-03-02T09:00:00Z")


@pytest.fixture
def old(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "quiz.db"
    path.parent.mkdir()
    shutil.copyfile(FIXTURE, path)
    return path


def rows(path: Path, tables: tuple[str, ...] = V1_TABLES) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the given tables, in the first schema's columns (later steps may add columns)."""
    fixture = sqlite3.connect(f"{FIXTURE.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table in tables:
            columns = ", ".join(row[1] for row in fixture.execute(f"PRAGMA table_info({table})"))
            out[table] = conn.execute(f"SELECT {columns} FROM {table} ORDER BY {columns}").fetchall()
        return out
    finally:
        conn.close()
        fixture.close()


def test_the_fixture_is_the_first_schema(tmp_path: Path) -> None:
    conn = sqlite3.connect(f"{FIXTURE.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] == [migrations.NAMES[0]]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in V1_TABLES}
    conn.close()
    assert counts == {"meta": 1, "profiles": 3, "settings": 2, "questions": 6, "cards": 8, "reviews": 18}
    assert consistency_problems(pristine(tmp_path)) == []


def pristine(tmp_path: Path) -> Path:
    """A copy of the fixture to open (the committed file itself is only ever read, immutable)."""
    copy = tmp_path / "pristine.db"
    shutil.copyfile(FIXTURE, copy)
    return copy


def test_the_first_schema_upgrades_with_every_row_intact_after_a_backup(old: Path) -> None:
    before = rows(old)
    with Store.open(old, now=NOW) as store:
        assert store.schema_version() == len(migrations.NAMES)
        assert store.profiles() == ["ana", "ben", "نور"]
        assert [r.review.rating for r in store.reviews("ana", "fx-01")] == [1, 3, 3, 1, 3]
        assert store.settings("ana") == {"new_per_day": "5"}
        assert store.flags("ana", "fx-04").suspended
    assert rows(old) == before
    backup = old.with_name("quiz.db.bak-1-20260302T090000Z")
    assert sorted(p.name for p in old.parent.iterdir()) == ["quiz.db", backup.name]
    assert integrity(backup) == "ok"
    conn = sqlite3.connect(backup)
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] == ["0001_core"]
    conn.close()
    assert rows(backup) == before
    assert_sound(old)
    conn = sqlite3.connect(old)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "review_days" in tables:  # a later step derived per-day figures from the old log: they add up
        assert conn.execute("SELECT SUM(reviews) FROM review_days").fetchone()[0] == 18
    conn.close()


def test_three_processes_upgrading_at_once_make_one_upgrade(old: Path) -> None:
    before = rows(old)
    procs = [subprocess.Popen([sys.executable, *quiz_args("config", "--profile", "ana")], env=child_env(old),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert err == ""
    conn = sqlite3.connect(old)
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")] == list(migrations.NAMES)
    conn.close()
    assert rows(old) == before
    backups = [p for p in old.parent.iterdir() if p.name.startswith("quiz.db.bak-")]
    assert backups and all(".partial" not in p.name for p in backups)
    for backup in backups:
        assert rows(backup) == before


BANK = "".join(f"""  - id: fx-{i:02d}
    kind: typed
    era: middle
    prompt: {{ar: "سؤال {i}", en: "Prompt for fx-{i:02d}"}}
    answer: {{ar: صحيح, en: right}}
    source: {{doc: doc, para: {i + 1}}}
""" for i in range(6))


@pytest.mark.slow
def test_study_goes_on_from_the_old_history(tmp_path: Path, old: Path) -> None:
    bank = write_bank(tmp_path / "bank", HEADER + "questions:\n" + BANK)
    before = rows(old, ("reviews",))["reviews"]
    learner = Learner(spawn_study(old, bank, "--profile", "ana"), seen=review_log(pristine(tmp_path), "ana"))
    for _ in range(3):
        if learner.question() is None:
            break
        learner.answer("right")
        learner.rate("")
    kill(learner.child)
    assert review_log(old, "ana") == learner.seen
    assert len(learner.seen) > 11
    after = rows(old, ("reviews",))["reviews"]
    assert all(row in after for row in before)
    assert_sound(old)  # each new review starts where the old history left the card
