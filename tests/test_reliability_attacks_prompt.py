"""Issue 17, at a real terminal prompt (pexpect), replayed the way it was found.

- A NUL byte (Ctrl-@) made the session look frozen and cut the answer: now refused visibly, the line asked again.
- Ctrl-D after half a line submitted it only on the third press: now it submits on the first (like Enter); Ctrl-D
  on an empty line ends the session.
- SIGTERM and SIGQUIT ended the session without its summary: now like Ctrl-C (summary, exit 128 + signal).
- A lock held by another process for over 5 s ended the session with "another quiz process": now the line says
  which process holds it, the session goes on and the same question is answered again once the lock is gone.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest
from reliability_kit import Learner, assert_sound, review_log, spawn_study, typed_bank, write_bank


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "bank", typed_bank(4))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "quiz.db"


def finish(learner: Learner, status: int) -> str:
    learner.child.expect("Session summary")
    learner.child.expect(pexpect.EOF)
    output = learner.child.before
    learner.child.close()
    assert learner.child.exitstatus == status, (learner.child.exitstatus, learner.child.signalstatus)
    assert "Traceback" not in output
    return output


def test_a_nul_byte_is_refused_visibly_and_the_line_asked_again(db: Path, bank: Path) -> None:
    learner = Learner(spawn_study(db, bank, "--new", "2"))
    first = learner.question()
    learner.child.send("ri\x00ght\r")
    learner.child.expect("That line holds a NUL character")
    learner.child.expect("Your answer: ")
    learner.answer("right")  # the same question, answered in full
    assert learner.seen == [(first, 3)]
    learner.rate("")
    learner.question()
    learner.child.sendline("q")
    finish(learner, 0)
    assert review_log(db) == learner.seen
    assert_sound(db)


def test_ctrl_d_after_half_a_line_submits_it_on_the_first_press(db: Path, bank: Path) -> None:
    learner = Learner(spawn_study(db, bank, "--new", "2"))
    first = learner.question()
    learner.child.send("right")
    learner.child.sendeof()  # once
    learner.child.expect(r"✔ Right!")
    learner.seen.append((first, 3))
    learner.child.expect(r"Enter = \w+ \([^)]*\) · [^\n]*: ")
    learner.rate("")
    learner.question()
    learner.child.sendeof()  # on an empty line: the end of input, the session ends
    finish(learner, 0)
    assert review_log(db) == learner.seen
    assert_sound(db)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGQUIT])
@pytest.mark.parametrize("where", ["answer", "rating"])
def test_sigterm_and_sigquit_end_with_the_summary_like_ctrl_c(signum: int, where: str, db: Path,
                                                               bank: Path) -> None:
    learner = Learner(spawn_study(db, bank, "--new", "3"))
    learner.question()
    learner.answer("right")
    learner.rate("")
    learner.question()
    if where == "rating":
        learner.answer("wrong")
    time.sleep(0.05)
    learner.child.kill(signum)
    learner.child.expect("Interrupted: everything you answered is saved.")
    finish(learner, 128 + signum)
    assert review_log(db) == learner.seen
    assert_sound(db)


HOLDER = """\
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def test_a_lock_held_by_another_process_keeps_the_session_alive(tmp_path: Path, db: Path, bank: Path) -> None:
    learner = Learner(spawn_study(db, bank, "--new", "2"))
    learner.child.timeout = 30
    first = learner.question()
    script = tmp_path / "holder.py"
    script.write_text(HOLDER, encoding="utf-8")
    holder = subprocess.Popen([sys.executable, str(script), str(db), "7"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        learner.child.sendline("right")
        learner.child.expect("Not saved: ")
        learner.child.expect(r"Type your answer again \(or q to quit\)\.")
        said = " ".join(learner.child.before.split())  # the line as printed, wrapped to the terminal's width
        assert f"is busy: another process (process {holder.pid}: python" in said, said
        assert " 7) kept it locked for 5 seconds" in said, said  # its command line, shortened to 60 characters
        learner.child.expect("Your answer: ")
        assert holder.wait(timeout=20) == 0
    finally:
        holder.kill()
        holder.wait()
    learner.answer("right")  # the same question, saved now
    assert learner.seen == [(first, 3)]
    learner.rate("")
    learner.question()
    learner.child.sendline("q")
    finish(learner, 0)
    assert review_log(db) == learner.seen
    assert_sound(db)
