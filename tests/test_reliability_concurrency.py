"""Concurrency: two `quiz study` sessions on one database at once, with exports and `quiz stats` / `quiz due`
running beside them. No "database is locked" reaches anyone, no review is lost or recorded twice, every card ends
equal to its last review's after-state, and sessions on different profiles never touch each other's progress.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
from reliability_kit import (
    CHANGED_ELSEWHERE,
    FEEDBACK,
    NOW,
    RATE_PROMPT,
    Learner,
    assert_sound,
    child_env,
    integrity,
    quiz_args,
    review_log,
    spawn_study,
    typed_bank,
    write_bank,
)

pytestmark = pytest.mark.slow  # learners in real terminals (pexpect), side by side

LOCKED = ("locked", "busy", "Traceback", "internal error")


def has_command(name: str) -> bool:
    import typer.main

    from quiz.cli import app

    group = typer.main.get_command(app)
    return group.get_command(typer.Context(group), name) is not None  # type: ignore[attr-defined]


class Beside(threading.Thread):
    """Runs `quiz export anki`, `quiz stats` (or `quiz due`) and `quiz due` over and over until stopped."""

    def __init__(self, db: Path, bank: Path, out: Path) -> None:
        super().__init__(daemon=True)
        self.db, self.stop = db, threading.Event()
        reader = "stats" if has_command("stats") else "due"
        common = ["--no-builtin", "--bank", str(bank)]
        self.commands = [["export", "anki", str(out), "--lang", "en", *common], [reader, "--lang", "en", *common],
                         ["due", "--json", *common]]
        self.runs: list[tuple[list[str], int, str]] = []
        self.started = 0

    def run(self) -> None:
        i = 0
        while not self.stop.is_set():
            args = self.commands[i % len(self.commands)]
            self.started += 1
            done = subprocess.run([sys.executable, *quiz_args(*args)], env=child_env(self.db), capture_output=True,
                                  text=True, timeout=60, check=False)
            self.runs.append((args, done.returncode, done.stdout + done.stderr))
            i += 1

    def until_started(self, n: int) -> None:
        """Wait until the n-th command has started (so that it runs while the sessions go on)."""
        deadline = time.monotonic() + 60
        while self.started < n and time.monotonic() < deadline:
            time.sleep(0.01)

    def finish(self) -> list[tuple[list[str], int, str]]:
        self.stop.set()
        self.join(timeout=90)
        return self.runs


def both_answer(a: Learner, b: Learner, text_a: str, text_b: str) -> None:
    """Both learners send their answer at the same moment, then both wait for their feedback."""
    a.child.sendline(text_a)
    b.child.sendline(text_b)
    for learner in (a, b):
        learner.child.expect(FEEDBACK)
        learner.seen.append((learner.current or "", 3 if "Right" in learner.child.match.group(1) else 1))
        learner.child.expect(RATE_PROMPT)


def finish(learner: Learner) -> str:
    """Quit with q at whatever prompt is showing; the session ends with its summary and exit status 0."""
    learner.child.sendline("q")
    learner.child.expect("Session summary")
    learner.child.expect(pexpect.EOF)
    output = learner.child.before
    learner.child.close()
    assert learner.child.exitstatus == 0
    return output


def drive(a: Learner, b: Learner, rounds: int, between: Callable[[int], None] = lambda r: None) -> None:
    """Interleave two sessions: simultaneous answers (often to the same question), one after the other, rating
    overrides and undos; each learner records the feedback it saw."""
    for r in range(rounds):
        between(r)
        qa, qb = a.question(), b.question()
        assert qa is not None and qb is not None
        if r % 3 == 0:
            both_answer(a, b, "right", "wrong" if r % 2 else "right")
            a.rate("")
            b.rate("")
        elif r % 3 == 1:
            a.answer("wrong")
            b.answer("right")
            a.rate("4")  # an override rewrites a's own review, even with b's answer after it
            b.rate("")
        else:
            a.answer("right")
            a.rate("u")  # a's own answer is taken back (b's are untouched)
            b.answer("right")
            b.rate("")
            assert a.question() is not None
            a.answer("right")
            a.rate("")


def test_two_sessions_on_one_profile_with_exports_and_stats_beside_them(tmp_path: Path) -> None:
    bank = write_bank(tmp_path / "bank", typed_bank(12))
    db = tmp_path / "data" / "quiz.db"
    beside = Beside(db, bank, tmp_path / "deck.apkg")
    # Both start on a database that does not exist yet: they race to create it.
    a = Learner(spawn_study(db, bank, "--new", "8"))
    b = Learner(spawn_study(db, bank, "--new", "8"))
    beside.start()
    try:
        drive(a, b, 9, lambda r: beside.until_started(r + 1))
    finally:
        runs = beside.finish()
    outputs = finish(a) + finish(b)
    assert not any(word in outputs for word in LOCKED)
    assert len(runs) >= 8
    for args, code, output in runs:
        assert code == 0, (args, output)
        assert not any(word in output for word in LOCKED), (args, output)
    log = review_log(db)
    assert Counter(log) == Counter(a.seen + b.seen)  # nothing lost, nothing twice
    assert_sound(db)  # and every card is where its last review left it
    same = {qid for qid, _ in a.seen} & {qid for qid, _ in b.seen}
    assert same  # the two sessions really did answer the same questions
    print(f"two sessions: {len(a.seen)} + {len(b.seen)} answers, {len(same)} questions answered in both, "
          f"{len(runs)} exports/stats/due beside them")


def test_sessions_on_different_profiles_never_affect_each_other(tmp_path: Path) -> None:
    bank = write_bank(tmp_path / "bank", typed_bank(12))
    db = tmp_path / "data" / "quiz.db"
    a = Learner(spawn_study(db, bank, "--new", "8", "--profile", "ana"))
    b = Learner(spawn_study(db, bank, "--new", "8", "--profile", "ben"))
    drive(a, b, 6)
    outputs = finish(a) + finish(b)
    assert not any(word in outputs for word in LOCKED)
    assert review_log(db, "ana") == a.seen
    assert review_log(db, "ben") == b.seen
    assert review_log(db, "default") == []
    assert_sound(db)
    # Each profile's next session picks up where that profile stopped, and only there.
    from quiz.clock import parse_time
    from quiz.store import Store

    with Store.open(db) as store:
        for profile, learner in (("ana", a), ("ben", b)):
            answered = {qid for qid, _ in learner.seen}
            fresh = set(store.new_questions(profile, parse_time(NOW), limit=100))
            assert fresh == {f"q{i:02d}" for i in range(12)} - answered


def test_an_undo_or_override_after_a_reset_elsewhere_is_refused_and_the_session_goes_on(tmp_path: Path) -> None:
    """Another process resets the card the session just answered: the undo (or rating override) is refused with
    one line, the session goes on, and the next answer to that card is scheduled from the card as stored."""
    bank = write_bank(tmp_path / "bank", typed_bank(3))
    db = tmp_path / "data" / "quiz.db"
    a = Learner(spawn_study(db, bank, "--new", "3"))
    for key in ("u", "1"):
        qid = a.question()
        a.answer("right")
        done = subprocess.run(
            [sys.executable, *quiz_args("reset", str(qid), "--yes", "--no-builtin", "--bank", str(bank))],
            env=child_env(db), capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        a.child.sendline(key)
        a.child.expect(CHANGED_ELSEWHERE)
    while a.question() is not None:  # the session goes on to its end
        a.answer("right")
        a.rate("")
    a.child.expect(pexpect.EOF)
    a.child.close()
    assert a.child.exitstatus == 0
    assert "Traceback" not in a.child.before
    assert review_log(db) == a.seen
    assert integrity(db) == "ok"


def test_four_sessions_answering_the_same_questions_at_the_same_moment(tmp_path: Path) -> None:
    """Four sessions send their answers to the same question at once, five times over: every answer is recorded
    once, each scheduled from the state the one before it left (a stale read is retried, never saved)."""
    bank = write_bank(tmp_path / "bank", typed_bank(6))
    db = tmp_path / "data" / "quiz.db"
    learners = [Learner(spawn_study(db, bank, "--new", "5")) for _ in range(4)]
    for r in range(5):
        for learner in learners:
            assert learner.question() is not None
        for i, learner in enumerate(learners):
            learner.child.sendline("right" if (r + i) % 2 == 0 else "wrong")
        for learner in learners:
            learner.child.expect(FEEDBACK)
            learner.seen.append((learner.current or "", 3 if "Right" in learner.child.match.group(1) else 1))
            learner.child.expect(RATE_PROMPT)
            learner.child.sendline("")
    outputs = "".join(finish(learner) for learner in learners)
    assert not any(word in outputs for word in LOCKED)
    assert Counter(review_log(db)) == Counter(sum((learner.seen for learner in learners), []))
    assert_sound(db)
