"""Shared by the `test_reliability_*` suites: a small teacher bank, `quiz` in a pseudo-terminal, a scripted learner
who remembers every answer whose feedback it saw, and the checks run on a database after an attack.

Every child gets a pinned clock (QUIZ_NOW), no FSRS fuzz, a fixed seed, NO_COLOR and a temp database.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pexpect
from conftest import bank_header

NOW = "2026-03-02T09:00:00Z"
HEADER = bank_header(eras=("middle",))
QUESTION = re.compile(r"Prompt for ([a-z]+-?\d\d)")
ANSWER_PROMPT = "Your answer: "
RATE_PROMPT = r"Enter = \w+ \([^)]*\) · [^\n]*Easy [^\n]*: "
FEEDBACK = re.compile(r"(✔ Right!|✘ Not quite\.)")
CHANGED_ELSEWHERE = "Left as it was: this card was answered or reset elsewhere"


def quiz_in(db: Path, *args: str, stdin: str = "", now: str = NOW) -> Any:
    """`quiz ARGS` in this process on the database `db`, the clock pinned, FSRS fuzz and the bank cache off."""
    from conftest import run_quiz

    return run_quiz(*args, stdin=stdin, now=now, env={"QUIZ_DB": str(db), "QUIZ_FUZZ": "0", "QUIZ_CACHE_DIR": ""})


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return result


def one_error(result: Any) -> str:
    """The command failed with exit 1 and said why in exactly one line on stderr."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def typed_bank(n: int, prefix: str = "q") -> str:
    """n typed questions `q00`.. whose answer is 'right'; the prompt names the id so the learner knows which."""
    items = []
    for i in range(n):
        items.append(
            f"""  - id: {prefix}{i:02d}
    kind: typed
    era: middle
    prompt: {{ar: "سؤال {prefix}{i:02d}", en: "Prompt for {prefix}{i:02d}"}}
    answer: {{ar: صحيح, en: right}}
    explanation: {{ar: شرح, en: Because.}}
    source: {{doc: doc, para: {i + 1}}}
"""
        )
    return HEADER + "questions:\n" + "".join(items)


def write_bank(folder: Path, text: str, name: str = "bank.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def child_env(db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
    env.update({
        "QUIZ_DB": str(db), "QUIZ_NOW": NOW, "QUIZ_FUZZ": "0", "QUIZ_SEED": "5", "QUIZ_TZ": "UTC",
        "QUIZ_CACHE_DIR": "", "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "100", "LINES": "40",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.update(extra)
    return env


def quiz_args(*args: str) -> list[str]:
    return ["-m", "quiz", *args]


def quick(child: pexpect.spawn) -> pexpect.spawn:  # type: ignore[type-arg]
    """No pexpect pauses before each send and after closing (they add up over hundreds of sends)."""
    child.delaybeforesend = None
    child.delayafterclose = 0.0
    child.delayafterterminate = 0.02
    return child


def spawn(db: Path, *args: str, timeout: float = 20, **env: str) -> pexpect.spawn:  # type: ignore[type-arg]
    return quick(pexpect.spawn(sys.executable, quiz_args(*args), env=child_env(db, **env), encoding="utf-8",
                               codec_errors="replace", timeout=timeout, dimensions=(40, 100)))


def spawn_study(db: Path, bank: Path, *extra: str, **env: str) -> pexpect.spawn:  # type: ignore[type-arg]
    return spawn(db, "study", "--no-builtin", "--bank", str(bank), "--lang", "en", "--bidi", "off", *extra, **env)


def kill(child: pexpect.spawn, delay: float = 0.0) -> str:  # type: ignore[type-arg]
    """SIGKILL the child (after `delay` seconds); returns everything it printed that was not read yet."""
    if delay:
        time.sleep(delay)
    try:
        os.kill(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    rest = ""
    try:
        while True:
            rest += child.read_nonblocking(65536, timeout=5)
    except (pexpect.EOF, pexpect.TIMEOUT):
        pass
    child.close(force=True)
    assert child.signalstatus == signal.SIGKILL or child.exitstatus is not None
    return rest


@dataclass
class Learner:
    """Drives `quiz study` on the typed bank and keeps the list of answers whose feedback appeared on screen."""

    child: pexpect.spawn  # type: ignore[type-arg]
    seen: list[tuple[str, int]] = field(default_factory=list)  # (question, rating) per feedback shown
    current: str | None = None

    def question(self) -> str | None:
        """Wait for the next question's prompt; None when the session ended instead."""
        index = self.child.expect([QUESTION, "Session summary", "Nothing is due", "Nothing to study"])
        if index != 0:
            self.current = None
            return None
        self.current = self.child.match.group(1)
        self.child.expect(ANSWER_PROMPT)
        return self.current

    def answer(self, text: str = "right", *, expect: bool = True) -> None:
        """Type an answer; with `expect`, wait for the verdict and the rating prompt."""
        self.child.sendline(text)
        if expect:
            self.child.expect(FEEDBACK)
            assert self.current is not None
            self.seen.append((self.current, 3 if "Right" in self.child.match.group(1) else 1))
            self.child.expect(RATE_PROMPT)

    def note_output(self, text: str, sent: str) -> None:
        """After a kill: an answer whose feedback made it to the screen counts as seen."""
        if self.current is not None and FEEDBACK.search(text):
            rating = 3 if "Right" in FEEDBACK.search(text).group(1) else 1  # type: ignore[union-attr]
            self.seen.append((self.current, rating))

    def rate(self, key: str = "") -> None:
        """At the rating prompt: Enter (keep), 1-4 (override), u (undo)."""
        self.child.sendline(key)
        if key == "u":
            if self.child.expect(["Undone", CHANGED_ELSEWHERE]) == 0:
                self.seen.pop()
        elif key in ("1", "2", "4"):
            if self.child.expect(["Rated", CHANGED_ELSEWHERE]) == 0:
                qid, _ = self.seen[-1]
                self.seen[-1] = (qid, int(key))


# --- checks on a database ---------------------------------------------------------------------------------------

STATE = ("phase", "step", "stability", "difficulty", "due", "last_review", "lapses", "reps")


def connect(db: Path) -> sqlite3.Connection:
    """A plain connection, as the next quiz process would open it (a crashed WAL is recovered here)."""
    return sqlite3.connect(str(db), isolation_level=None, timeout=10)


def integrity(db: Path) -> str:
    conn = connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def review_log(db: Path, profile: str = "default") -> list[tuple[str, int]]:
    """(question id, rating) of every review of the profile, in the order they were recorded."""
    conn = connect(db)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "reviews" not in tables:
            return []
        rows = conn.execute(
            "SELECT q.id, r.rating FROM reviews r JOIN questions q ON q.qid = r.qid JOIN profiles p "
            "ON p.id = r.profile_id WHERE p.name = ? ORDER BY r.id", (profile,)).fetchall()
    finally:
        conn.close()
    return [(qid, rating) for qid, rating in rows]


def consistency_problems(db: Path) -> list[str]:
    """Every card equals its last review's after-state, and every review starts where the one before it ended
    (per profile and question); a card with no review is new. Empty when all holds."""
    conn = connect(db)
    problems: list[str] = []
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "reviews" not in tables:
            return []
        before = ", ".join(f"r.{c}_before" for c in STATE)
        after = ", ".join(f"r.{c}_after" for c in STATE)
        log: dict[tuple[int, int], list[tuple[tuple[object, ...], tuple[object, ...], int]]] = {}
        for row in conn.execute(f"SELECT r.profile_id, r.qid, r.id, {before}, {after} FROM reviews r "
                                "ORDER BY r.reviewed_at, r.id"):
            log.setdefault((row[0], row[1]), []).append((tuple(row[3:11]), tuple(row[11:19]), row[2]))
        cards = {(r[0], r[1]): tuple(r[2:10]) for r in conn.execute(
            "SELECT profile_id, qid, " + ", ".join(STATE) + " FROM cards")}
        new = (0, None, None, None, None, None, 0, 0)
        for key, reviews in log.items():
            previous = new
            for b, a, rid in reviews:
                if b != previous:
                    problems.append(f"review {rid} of {key} starts at {b}, not where the last ended: {previous}")
                previous = a
            if cards.get(key) != previous:
                problems.append(f"card {key} is {cards.get(key)}, its last review ended at {previous}")
        for key, state in cards.items():
            if key not in log and state != new:
                problems.append(f"card {key} is {state} without any review")
        dup = conn.execute("SELECT COUNT(*) - COUNT(DISTINCT id) FROM reviews").fetchone()[0]
        if dup:
            problems.append(f"{dup} duplicate review ids")
    finally:
        conn.close()
    return problems


def assert_sound(db: Path) -> None:
    assert integrity(db) == "ok"
    assert consistency_problems(db) == []


# --- a quiz process that SIGKILLs itself at an exact point --------------------------------------------------------

CRASHER = '''\
"""`quiz ARGS...` that kills itself with SIGKILL at CRASH_AT (the CRASH_N-th time it gets there)."""
import os
import signal
import sys
from contextlib import contextmanager

from quiz import migrations, store

AT, N = os.environ["CRASH_AT"], int(os.environ.get("CRASH_N", "1"))
count = 0


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def reached():
    global count
    count += 1
    if count == N:
        die()


real_write = store.Store._write


@contextmanager
def _write(self, what):
    with real_write(self, what) as conn:
        yield conn
        if what == AT:  # everything of the transaction is written, nothing is committed yet
            reached()


store.Store._write = _write
if AT == "mid-backup":
    def backup_to(self, target):
        import sqlite3
        dest = sqlite3.connect(str(target.with_name(target.name + ".partial")))
        self.conn.backup(dest, pages=1, progress=lambda *args: die())
    store.Store.backup_to = backup_to
elif AT == "mid-copy":  # the real partial file name (with the process id), killed after its first page
    import quiz.store.connection

    def copy_database(conn, target, partial, message):
        import sqlite3
        dest = sqlite3.connect(str(partial))
        conn.backup(dest, pages=1, progress=lambda *args: die())
    quiz.store.connection.copy_database = copy_database
elif AT.split(":")[0] in ("before-rename", "after-rename"):  # optionally ":NAME", the file renamed over
    real_replace = os.replace
    WHEN, _, NAME = AT.partition(":")
    def replace(src, dst, **kw):
        if NAME and os.path.basename(dst) != NAME:
            return real_replace(src, dst, **kw)
        if WHEN == "after-rename":
            real_replace(src, dst, **kw)
        die()
    os.replace = replace
elif AT.startswith("step:"):
    def crash_after(fn):
        def run(db):
            fn(db)
            die()
        return run
    migrations.STEPS = tuple((name, crash_after(fn) if name == AT[5:] else fn) for name, fn in migrations.STEPS)

elif AT.startswith("sqlite-backup:"):  # the N-th SQLite backup quiz.backup makes dies after its first page
    import sqlite3
    import types

    import quiz.store.backups
    calls = 0

    class Conn:
        def __init__(self, real):
            self._real = real

        def __getattr__(self, name):
            return getattr(self._real, name)

        def backup(self, target, *args, **kw):
            global calls
            calls += 1
            target = getattr(target, "_real", target)
            if calls == int(AT.split(":")[1]):
                return self._real.backup(target, pages=1, progress=lambda *a: die())
            return self._real.backup(target, *args, **kw)

    quiz.store.backups.sqlite3 = types.SimpleNamespace(
        connect=lambda *a, **k: Conn(sqlite3.connect(*a, **k)), Error=sqlite3.Error,
        DatabaseError=sqlite3.DatabaseError, OperationalError=sqlite3.OperationalError)

sys.argv = ["quiz", *sys.argv[1:]]
from quiz.cli import main  # noqa: E402

main()
'''


def spawn_crasher(db: Path, folder: Path, at: str, *args: str, n: int = 1) -> pexpect.spawn:  # type: ignore[type-arg]
    """`quiz ARGS` in a pseudo-terminal, killing itself at `at`: a `Store._write` label ("this answer", "the undo",
    "the upgrade", ...), "mid-backup", "mid-copy" (Store.backup_to's real copy, after its first page), "before-rename",
    "after-rename" (of the first os.replace; "before-rename:NAME" of the first one over a file named NAME) or
    "step:NAME" (right after that migration step ran, inside the upgrade transaction)."""
    script = folder / "crasher.py"
    if not script.exists():
        script.write_text(CRASHER, encoding="utf-8")
    return quick(pexpect.spawn(sys.executable, [str(script), *args],
                               env=child_env(db, CRASH_AT=at, CRASH_N=str(n)), encoding="utf-8",
                               codec_errors="replace", timeout=20, dimensions=(40, 100)))


def wait_for(condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    """Poll `condition()` every half millisecond."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the child")
        time.sleep(0.0005)
