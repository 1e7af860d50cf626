"""`quiz export anki --with-progress`: the learner's card states and review log, imported by the official `anki`
library with "Import any learning progress" (with_scheduling), continue where `quiz study` left off.

The quiz's clock is pinned to the real time (Anki's importer and scheduler read the system clock), rounded to the
second; every review is placed days before it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki_kit import TEACHER
from typer.testing import CliRunner

from quiz.bank import load_bank
from quiz.cli import app
from quiz.clock import study_day
from quiz.model import CardPhase, CardState, Rating
from quiz.scheduler import Scheduler, SchedulerConfig
from quiz.store import Store

NOW = datetime.now(timezone.utc).replace(microsecond=0)

# question id → (days ago, rating) of each review, oldest first
HISTORY: dict[str, list[tuple[float, Rating]]] = {
    "t-card": [(30, Rating.GOOD), (29.9, Rating.GOOD), (27, Rating.GOOD), (15, Rating.GOOD)],
    "t-choice": [(20, Rating.GOOD), (19.99, Rating.GOOD), (12, Rating.AGAIN), (11.99, Rating.GOOD), (5, Rating.HARD)],
    "gen-year-ev-one": [(9, Rating.EASY), (2, Rating.GOOD)],
    "gen-era-ev-one": [(8, Rating.GOOD), (7.99, Rating.GOOD)],
    "t-typed": [(0.001, Rating.GOOD)],  # in its learning steps
}


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def quiz(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), env={"QUIZ_NOW": iso(NOW)})


@pytest.fixture
def studied(tmp_path: Path, write_bank: Any) -> tuple[Path, dict[str, CardState]]:
    """A teacher's bank and the profile 'ana' who studied it with `HISTORY` (FSRS, fuzz off)."""
    teacher = write_bank(tmp_path / "teacher", {"qs.yaml": TEACHER})
    bank = load_bank([teacher], builtin=False).bank
    scheduler = Scheduler(SchedulerConfig(fuzz=False))
    states: dict[str, CardState] = {}
    with Store.open(Path(os.environ["QUIZ_DB"]), now=NOW) as store:
        store.sync_questions(bank.sync_entries(), NOW - timedelta(days=40))
        for qid, history in HISTORY.items():
            for days, rating in history:
                moment = NOW - timedelta(days=days)
                before = store.card("ana", qid)
                after = scheduler.review(before, rating, moment)
                store.record_answer("ana", qid, before=before, after=after, rating=rating, answer="", correct=None,
                                    duration_ms=4200, reviewed_at=moment, day=study_day(moment).isoformat(),
                                    retrievability=None)
            states[qid] = store.card("ana", qid)
        store.set_suspended("ana", "t-choice", True)
    return teacher, states


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    folder = tmp_path / "anki-profile"
    folder.mkdir()
    collection = Collection(str(folder / "collection.anki2"))
    collection.set_config("fsrs", True)
    try:
        yield collection
    finally:
        collection.close()


def import_with_scheduling(col: Collection, path: Path) -> Any:
    options = ImportAnkiPackageOptions(update_notes=0, update_notetypes=0, merge_notetypes=False,
                                       with_scheduling=True)
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options)).log


def card_of(col: Collection, qid: str) -> Any:
    forms = {"gen-yearpick-ev-one": ("gen-year-ev-one", 0), "gen-year-ev-one": ("gen-year-ev-one", 1),
             "gen-era-ev-one": ("gen-year-ev-one", 2)}
    anchor, ord_ = forms.get(qid, (qid, 0))
    nid = col.db.scalar("SELECT id FROM notes WHERE guid = ?", genanki.guid_for("teacher", anchor, "en"))
    return col.get_card(col.db.scalar("SELECT id FROM cards WHERE nid = ? AND ord = ?", nid, ord_))


def test_progress_moves_to_anki_and_continues(tmp_path: Path, col: Collection,
                                              studied: tuple[Path, dict[str, CardState]]) -> None:
    teacher, states = studied
    out = tmp_path / "mine.apkg"
    result = quiz("export", "anki", str(out), "--with-progress", "--profile", "ana", "--lang", "en",
                  "--no-builtin", "--bank", str(teacher))
    assert result.exit_code == 0, result.stderr
    reviews = sum(len(h) for h in HISTORY.values())
    assert (f"With the progress of {len(HISTORY)} studied cards and {reviews} reviews: import with "
            '"Import any learning progress" ticked') in result.stdout
    import_with_scheduling(col, out)
    assert col.db.scalar("SELECT count() FROM revlog") == reviews
    today = col.sched.today
    scheduler = Scheduler(SchedulerConfig(fuzz=False))
    for qid, state in states.items():
        card = card_of(col, qid)
        assert card.reps == state.reps and card.lapses == state.lapses, qid
        assert card.memory_state is not None, qid
        assert card.memory_state.stability == pytest.approx(state.stability, abs=1e-3)
        assert card.memory_state.difficulty == pytest.approx(state.difficulty, abs=1e-3)
        assert state.due is not None and state.last_review is not None
        if state.phase is CardPhase.REVIEW:
            assert card.type == 2
            due_in = (state.due.date() - NOW.date()).days
            assert abs((card.due - today) - due_in) <= 1, (qid, card.due, today, due_in)
            interval = round((state.due - state.last_review).total_seconds() / 86400)
            assert card.ivl == max(1, interval), qid
            stats = col.card_stats_data(card.id)
            ours = scheduler.retrievability(state, NOW)
            assert ours is not None
            assert stats.fsrs_retrievability == pytest.approx(ours, abs=0.02), qid
        else:
            assert card.type in (1, 3) and card.queue == 1
            assert abs(card.due - state.due.timestamp()) <= 1
    assert card_of(col, "t-choice").queue == -1  # suspended in the quiz, suspended in Anki
    assert card_of(col, "gen-yearpick-ev-one").type == 0  # the event's unstudied form arrives new
    assert card_of(col, "t-tf").type == 0

    again = tmp_path / "again.apkg"
    assert quiz("export", "anki", str(again), "--with-progress", "--profile", "ana", "--lang", "en",
                "--no-builtin", "--bank", str(teacher)).exit_code == 0
    import_with_scheduling(col, again)
    assert col.db.scalar("SELECT count() FROM revlog") == reviews  # importing again adds no review twice
    revlog = col.db.all("SELECT ease, time, type, cid FROM revlog ORDER BY id")
    expected = sorted((NOW - timedelta(days=d), int(r)) for h in HISTORY.values() for d, r in h)
    assert [row[0] for row in revlog] == [r for _, r in expected]
    assert all(row[1] == 4200 for row in revlog)


def test_without_the_option_every_card_arrives_new(tmp_path: Path, col: Collection,
                                                   studied: tuple[Path, dict[str, CardState]]) -> None:
    teacher, _ = studied
    out = tmp_path / "plain.apkg"
    result = quiz("export", "anki", str(out), "--profile", "ana", "--lang", "en", "--no-builtin", "--bank",
                  str(teacher))
    assert result.exit_code == 0 and "progress" not in result.stdout
    import_with_scheduling(col, out)
    assert col.db.scalar("SELECT count() FROM revlog") == 0
    assert col.db.scalar("SELECT count() FROM cards WHERE type <> 0") == 0
