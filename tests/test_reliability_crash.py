"""Crashes: `quiz study` killed with SIGKILL at many points, Ctrl-C at every prompt, a closed terminal (SIGHUP),
`quiz export anki` and a schema upgrade killed half-way.

After every kill: `PRAGMA integrity_check` is ok, the review log holds exactly the answers whose feedback was on
screen (plus, at most, the one answer in flight when the kill came), every card equals its last review's
after-state, and the next `quiz study` (the next spawn of the chain) works.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
from conftest import bank_header
from reliability_kit import (
    FEEDBACK,
    HEADER,
    RATE_PROMPT,
    Learner,
    assert_sound,
    consistency_problems,
    integrity,
    kill,
    review_log,
    spawn,
    spawn_crasher,
    spawn_study,
    typed_bank,
    wait_for,
    write_bank,
)

from quiz import migrations

pytestmark = pytest.mark.slow  # crash tests: processes SIGKILLed at exact points

FIXTURES = Path(__file__).parent / "fixtures"
Log = list[tuple[str, int]]


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "bank", typed_bank(40))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "quiz.db"


def settle(db: Path, learner: Learner, allowed: list[Log]) -> None:
    """The checks after a kill; the learner then continues from what the log really holds."""
    assert integrity(db) == "ok"
    assert consistency_problems(db) == []
    log = review_log(db)
    assert log in allowed, f"review log {log} is none of {allowed}"
    learner.seen = list(log)


# --- the kill points ------------------------------------------------------------------------------------------------
# Each takes a learner at a question prompt of a fresh `quiz study` and returns the review logs allowed after the kill.

Kill = Callable[[Learner], list[Log]]


def answered(learner: Learner, n: int) -> None:
    """Answer n questions completely (alternately right and wrong), then stop at the next question's prompt."""
    for i in range(n):
        learner.answer("right" if i % 2 == 0 else "wrong")
        learner.rate("")
        assert learner.question() is not None


def waiting_for_an_answer(n: int) -> Kill:
    def run(learner: Learner) -> list[Log]:
        answered(learner, n)
        kill(learner.child, 0.02)
        return [learner.seen]
    return run


def waiting_for_a_rating(n: int) -> Kill:
    def run(learner: Learner) -> list[Log]:
        answered(learner, n)
        learner.answer("wrong" if n % 2 else "right")
        kill(learner.child, 0.02)
        return [learner.seen]
    return run


def right_after_an_answer(delay: float, text: str = "right") -> Kill:
    def run(learner: Learner) -> list[Log]:
        before = list(learner.seen)
        qid = learner.current
        assert qid is not None
        learner.child.sendline(text)
        rest = kill(learner.child, delay)
        one_more = before + [(qid, 3 if text == "right" else 1)]
        return [one_more] if FEEDBACK.search(rest) else [before, one_more]
    return run


def right_after_a_rating_override(delay: float) -> Kill:
    def run(learner: Learner) -> list[Log]:
        learner.answer("right")
        kept = list(learner.seen)
        learner.child.sendline("1")
        rest = kill(learner.child, delay)
        overridden = kept[:-1] + [(kept[-1][0], 1)]
        return [overridden] if "Rated" in rest else [kept, overridden]
    return run


def right_after_an_undo(delay: float) -> Kill:
    def run(learner: Learner) -> list[Log]:
        learner.answer("wrong")
        kept = list(learner.seen)
        learner.child.sendline("u")
        rest = kill(learner.child, delay)
        return [kept[:-1]] if "Undone" in rest else [kept, kept[:-1]]
    return run


def right_after_enter(delay: float) -> Kill:
    def run(learner: Learner) -> list[Log]:
        learner.answer("right")
        learner.child.sendline("")
        kill(learner.child, delay)
        return [learner.seen]
    return run


def right_after_a_skip(delay: float) -> Kill:
    def run(learner: Learner) -> list[Log]:
        learner.child.sendline("s")
        kill(learner.child, delay)
        return [learner.seen]
    return run


DELAYS = (0.0, 0.001, 0.002, 0.004, 0.007, 0.012, 0.02, 0.035, 0.06, 0.1)
CHAINS: dict[str, list[Kill]] = {
    "waiting": [waiting_for_an_answer(n) for n in (0, 1, 2, 3)] + [waiting_for_a_rating(n) for n in (0, 1, 2, 3)],
    "after-answer": [right_after_an_answer(d, "right" if i % 3 else "wrong") for i, d in enumerate(DELAYS)],
    "after-override": [right_after_a_rating_override(d) for d in DELAYS[::2]],
    "after-undo": [right_after_an_undo(d) for d in DELAYS[1::2]],
    "after-enter-or-skip": [right_after_enter(d) for d in DELAYS[::3]] + [right_after_a_skip(d) for d in DELAYS[::3]],
}
KILL_POINTS = sum(len(chain) for chain in CHAINS.values())


@pytest.mark.parametrize("chain", list(CHAINS))
def test_sigkill_during_study_loses_nothing(chain: str, bank: Path, db: Path) -> None:
    learner = Learner(spawn_study(db, bank, "--new", "3"))
    for point in CHAINS[chain]:
        assert learner.question() is not None  # the next `quiz study` works
        allowed = point(learner)
        settle(db, learner, allowed)
        learner.child = spawn_study(db, bank, "--new", "3")
    # And a last session after all those kills ends normally.
    assert learner.question() is not None
    learner.answer("right")
    learner.rate("")
    learner.child.expect(r"Your answer: |Session summary")
    learner.child.sendline("q")
    learner.child.expect(pexpect.EOF)
    learner.child.close()
    assert learner.child.exitstatus == 0
    settle(db, learner, [learner.seen])


# --- kills inside a transaction: the process dies after writing everything of it, before COMMIT -----------------
# (a `quiz study` that SIGKILLs itself there: the feedback is never shown, and nothing of the change may survive)

IN_TRANSACTION = [
    ("this answer", 1), ("this answer", 2), ("this answer", 4), ("the new rating", 1), ("the undo", 1),
    ("the burial", 1), ("the upgrade", 1), ("the question bank", 1), ("the new profile", 1),
]


@pytest.mark.parametrize(("label", "n"), IN_TRANSACTION, ids=[f"{a}-{n}" for a, n in IN_TRANSACTION])
def test_sigkill_inside_a_transaction_leaves_no_trace_of_it(label: str, n: int, tmp_path: Path, bank: Path,
                                                            db: Path) -> None:
    if label not in ("the upgrade", "the question bank", "the new profile"):  # start from a database with some history
        learner = Learner(spawn_study(db, bank, "--new", "2"))
        learner.question()
        learner.answer("wrong")
        learner.rate("")
        kill(learner.child)
        history = review_log(db)
    else:
        history = []
    learner = Learner(spawn_crasher(db, tmp_path, label, "study", "--no-builtin", "--bank", str(bank), "--lang",
                                    "en", "--bidi", "off", "--new", "5", n=n), seen=list(history))
    child = learner.child
    if label == "this answer":
        for _ in range(n - 1):
            learner.question()
            learner.answer("right")
            learner.rate("")
        learner.question()
        child.sendline("right")
    elif label == "the new rating":
        learner.question()
        learner.answer("right")
        child.sendline("1")
    elif label == "the undo":
        learner.question()
        learner.answer("right")
        child.sendline("u")
    elif label == "the burial":
        learner.question()
        child.sendline("s")
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.signalstatus == signal.SIGKILL
    assert not FEEDBACK.search(output.split("Your answer: ")[-1])  # the feedback of the dying answer never showed
    assert "Rated" not in output and "Undone" not in output and "Skipped" not in output
    settle(db, learner, [learner.seen])
    if label == "the burial":
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT COUNT(*) FROM cards WHERE buried_until IS NOT NULL").fetchone()[0] == 0
        conn.close()
    learner.child = spawn_study(db, bank, "--new", "2")
    assert learner.question() is not None
    learner.answer("right")
    kill(learner.child)
    settle(db, learner, [learner.seen])


# --- the first start: the database is created (migrations, bank sync, profile) when the kill comes ------------------

START_KILLS = [("file", 0.0), ("file", 0.05), ("file", 0.1), ("file", 0.15), ("file", 0.2),
               ("wal", 0.0), ("wal", 0.003), ("wal", 0.01), ("wal", 0.03)]


def test_sigkill_while_the_database_is_created(bank: Path, db: Path) -> None:
    """Killed a moment after the file appears (the schema is being made) or after its first commit (the bank and
    the profile are being written)."""
    outcomes = []
    wal = Path(f"{db}-wal")
    for event, delay in START_KILLS:
        for path in db.parent.glob("quiz.db*"):
            path.unlink()
        child = spawn_study(db, bank, "--new", "3")
        wait_for(db.exists if event == "file" else lambda: wal.exists() and wal.stat().st_size > 0)
        kill(child, delay)
        assert integrity(db) == "ok"
        conn = sqlite3.connect(db)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] if tables else []
        questions = conn.execute("SELECT COUNT(*) FROM questions").fetchone()[0] if applied else 0
        conn.close()
        assert applied in ([], list(migrations.NAMES))  # all of the schema or none of it
        assert questions in (0, 40)  # all of the bank or none of it
        outcomes.append((len(applied), questions))
        learner = Learner(spawn_study(db, bank, "--new", "3"))
        assert learner.question() is not None
        learner.answer("right")
        kill(learner.child)
        assert review_log(db) == learner.seen
        assert_sound(db)
    print(f"first start killed: (schema steps, questions) = {outcomes}")


# --- an upgrade killed half-way -------------------------------------------------------------------------------------


def v1_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("profiles", "settings", "questions", "cards", "reviews", "meta")}
    finally:
        conn.close()


UPGRADE_KILLS = ["mid-backup", "before-rename", "after-rename",
                 *(f"step:{name}" for name in migrations.NAMES[1:]), "the upgrade",
                 "when-the-backup-appears", "when-the-wal-grows"]


@pytest.mark.parametrize("when", UPGRADE_KILLS)
def test_sigkill_during_an_upgrade(when: str, tmp_path: Path) -> None:
    db = tmp_path / "old" / "quiz.db"
    db.parent.mkdir()
    shutil.copyfile(FIXTURES / "schema-v1.db", db)
    rows = v1_rows(db)
    wal = Path(f"{db}-wal")
    if when.startswith("when-"):
        child = spawn(db, "config", "--profile", "ana")
        if when == "when-the-backup-appears":
            wait_for(lambda: any(db.parent.glob("quiz.db.bak-*")))
        else:  # the upgrade transaction is being committed
            wait_for(lambda: wal.exists() and wal.stat().st_size > 0)
        kill(child)
    else:
        child = spawn_crasher(db, tmp_path, when, "config", "--profile", "ana")
        child.expect(pexpect.EOF)
        child.close()
        assert child.signalstatus == signal.SIGKILL
    assert integrity(db) == "ok"
    conn = sqlite3.connect(db)
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    conn.close()
    assert applied in (["0001_core"], list(migrations.NAMES))  # the upgrade is one transaction
    print(f"upgrade killed at {when}: schema steps {len(applied)}, files {sorted(p.name for p in db.parent.iterdir())}")
    if not when.startswith("when-"):
        assert applied == ["0001_core"]
    after = v1_rows(db)
    for table in ("profiles", "settings", "cards", "reviews"):
        assert after[table] == rows[table]
    for backup in db.parent.glob("quiz.db.bak-*"):
        if ".partial" not in backup.name:  # a finished backup is a whole, sound copy of the old file
            assert integrity(backup) == "ok"
            assert v1_rows(backup) == rows
    # The next command upgrades it, with every row intact.
    child = spawn(db, "config", "--profile", "ana")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")] == list(migrations.NAMES)
    conn.close()
    after = v1_rows(db)
    for table in ("profiles", "settings", "cards", "reviews"):
        assert after[table] == rows[table]
    assert_sound(db)


# --- an export killed half-way --------------------------------------------------------------------------------------

EXPORT_KILLS: list[object] = [0.0, 0.002, 0.01, 0.03, 0.1, "before-rename", "after-rename", "the export record"]


def test_sigkill_during_an_anki_export(tmp_path: Path, bank: Path, db: Path) -> None:
    """The built-in bank makes the package big enough to be killed while it is written."""
    out = tmp_path / "out" / "deck.apkg"
    out.parent.mkdir()
    learner = Learner(spawn_study(db, bank, "--new", "2"))
    learner.question()
    learner.answer("right")
    kill(learner.child)
    child = spawn(db, "export", "anki", str(out), "--lang", "en")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    good = out.read_bytes()
    exports = 1
    for when in EXPORT_KILLS:
        args = ("export", "anki", str(out), "--lang", "both" if exports % 2 else "en")
        if isinstance(when, float):  # a delay after the temporary package appears
            old = set(out.parent.iterdir())
            child = spawn(db, *args)
            wait_for(lambda old=old: any(p.name.endswith(".tmp") for p in set(out.parent.iterdir()) - old))
            kill(child, when)
        else:
            child = spawn_crasher(db, tmp_path, when, *args)  # type: ignore[arg-type]
            child.expect(pexpect.EOF)
            child.close()
            assert child.signalstatus == signal.SIGKILL
        assert integrity(db) == "ok"
        assert review_log(db) == learner.seen
        data = out.read_bytes()  # the old package, or a whole new one: never a torn file
        with zipfile.ZipFile(out) as package:
            assert package.testzip() is None
        print(f"export killed at {when}: package {'replaced' if data != good else 'unchanged'}, "
              f"left behind {sorted(p.name for p in out.parent.iterdir() if p != out)}")
        if data != good:
            good, exports = data, exports + 1
    conn = sqlite3.connect(db)
    recorded = conn.execute("SELECT COUNT(*) FROM exports").fetchone()[0]
    conn.close()
    assert 1 <= recorded <= exports
    # The next export and the next study work.
    child = spawn(db, *args)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    learner = Learner(spawn_study(db, bank, "--new", "2"), seen=learner.seen)
    assert learner.question() is not None
    learner.answer("right")
    kill(learner.child)
    assert review_log(db) == learner.seen
    assert_sound(db)


# --- Ctrl-C and a closed terminal -----------------------------------------------------------------------------------

CARD_BANK = """\
  - id: c00
    kind: card
    era: late
    prompt: {ar: "بطاقة", en: "Prompt for c00"}
    answer: {ar: جواب, en: The card's answer}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 1}
"""


@pytest.mark.parametrize("where", ["answer", "rating", "card-reveal", "card-rating", "mid-line"])
def test_ctrl_c_at_any_prompt_saves_everything_and_exits_130(where: str, tmp_path: Path, db: Path) -> None:
    # The card is in a later era: new questions move through the eras in order, so it comes after the typed ones.
    text = typed_bank(3).replace(HEADER, bank_header(eras=("middle", "late")), 1) + CARD_BANK
    bank = write_bank(tmp_path / "bank", text)
    learner = Learner(spawn_study(db, bank, "--new", "4"))
    learner.question()
    learner.answer("right")
    learner.rate("")
    if where == "rating":
        learner.question()
        learner.answer("wrong")
    elif where.startswith("card"):
        while learner.question() != "q02":
            learner.answer("right")
            learner.rate("")
        learner.answer("right")
        learner.rate("")
        learner.child.expect("Prompt for c00")
        learner.child.expect("Press Enter to see the answer")
        if where == "card-rating":
            learner.child.sendline("")
            learner.child.expect(RATE_PROMPT)
    elif where == "mid-line":
        learner.question()
        learner.child.send("half an ans")
    else:
        learner.question()
    time.sleep(0.05)
    learner.child.sendintr()
    learner.child.expect("Interrupted: everything you answered is saved.")
    learner.child.expect("Session summary")
    learner.child.expect(pexpect.EOF)
    output = learner.child.before
    learner.child.close()
    assert learner.child.exitstatus == 130
    assert "Traceback" not in output
    assert review_log(db) == learner.seen
    assert_sound(db)


@pytest.mark.parametrize("how", ["sighup", "terminal-closed"])
def test_a_closed_terminal_saves_everything_and_exits_129(how: str, bank: Path, db: Path) -> None:
    learner = Learner(spawn_study(db, bank, "--new", "3"))
    learner.question()
    learner.answer("right")
    learner.rate("")
    learner.question()
    learner.answer("wrong")
    if how == "sighup":
        learner.child.kill(signal.SIGHUP)
        learner.child.expect(pexpect.EOF)
        output = learner.child.before
        learner.child.close()
        assert "Traceback" not in output
    else:
        os.close(learner.child.child_fd)  # the terminal goes away: the kernel sends SIGHUP
        learner.child.child_fd = -1
        learner.child.closed = True
        _, status = os.waitpid(learner.child.pid, 0)
        learner.child.exitstatus = os.waitstatus_to_exitcode(status)
        learner.child.terminated = True
    assert learner.child.exitstatus == 129
    assert review_log(db) == learner.seen
    assert_sound(db)
    assert Learner(spawn_study(db, bank)).question() is not None
