"""The start-up and scale benchmarks (issues 8 and 18): every operation timed as a separate process, against
baselines, and every budget checked.

    python bench/run.py [--rounds N] [--quick] [--optimize-sizes N ...] [--only NAME ...] [--no-write]

`--quick` runs 3 rounds, fits parameters at the smallest log size only and leaves out the 100k export (a few
minutes in all instead of ~15); `--optimize-sizes` sets the log sizes of `quiz optimize` (default 200,000 and
2,000,000 reviews; a smaller log is the learner's first cards, see `anki_side_by_side.py`).

Regenerates the synthetic data first when it is missing or stale (`bench/generate.py`, about three minutes), then
runs each operation several times, interleaved round by round (so a load from other processes falls on all of them
alike; each after `os.sync()`, so none pays for flushing the files an earlier one wrote), and prints a table of the
median, the spread (min-max) and the peak memory of each (max RSS, from `wait4`, and the Pss summed over the
process and its children, sampled every 100 ms: memory budgets take the larger). The baselines
`python -c "import sqlite3"` and `python -c "import typer"` run in the same rounds, and every budget is checked
against them (ratios) or in absolute terms. The table, the machine and the budgets go to `bench/RESULTS.md`,
between the markers of this section.

Issue 18's rows:
- `quiz stats` warm, and page-cache cold: before each cold run the database's pages (and the bank cache's) are
  dropped from the page cache with `os.posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)` on each file (no root
  needed; pages of Python's own modules stay cached, as they would be for anyone who ran a program lately).
- `quiz due` at the usual time (QUIZ_NOW, after the day's study) and on the morning of a new day (04:30, after
  the 04:00 rollover, nothing answered yet): then the daily new-question room is open, so new questions are looked
  for (the learner has started all 100,000 cards: the walk through the bank finds none, its worst case, which the
  counts of migration 0004 now skip; the floor still walks).
- `quiz due` against its floor: `bench/due_floor.py`, a bare python + sqlite3 process asking the same questions.
- `quiz optimize --dry-run` against Anki's `compute_fsrs_params` on the same log (`anki_side_by_side.py` builds
  the collections), in the same rounds: time and peak RSS.

Every process runs the `quiz` console script of this interpreter's environment with this checkout first on
PYTHONPATH (so a git worktree measures its own code), from `bench/data/`, with the user's
folders (HOME, XDG_*) in `bench/data/home` (so the default database and bank cache paths are used, as a user's
are), QUIZ_NOW pinned to the end of the synthetic history, QUIZ_TZ=UTC, and byte-compiled modules kept (in
`bench/data/pycache`), as an installed package has them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
DATA = BENCH / "data"
HOME = DATA / "home"
RESULTS = BENCH / "RESULTS.md"
START, END = "<!-- bench/run.py: start -->", "<!-- bench/run.py: end -->"
PYTHON = sys.executable
OPTIMIZE_SIZES = [200_000, 2_000_000]  # reviews in the logs `quiz optimize` fits (--optimize-sizes)
QUICK = False  # --quick
QUIZ = str(Path(PYTHON).with_name("quiz"))
PROMPTS = r"Your answer|Fill in the blank|True or false\?|Order, oldest first|Press Enter to see the answer"
LARGE = ["--db", "large.db", "--profile", "learner", "--bank", "bank", "--no-builtin"]
LOAD_BANK = (
    "import sys\nfrom pathlib import Path\nfrom quiz.bank import load_bank\n"
    "r = load_bank([Path(sys.argv[1])], builtin=False, cache_dir=Path(sys.argv[2]))\n"
    "assert not r.errors, r.errors[:3]\nprint(len(r.bank.questions))\n"
)


@dataclass
class Op:
    name: str
    label: str
    argv: list[str] | None = None  # a command; None for `probe`
    rounds: int = 15
    setup: Callable[[], None] | None = None
    teardown: Callable[[], None] | None = None  # after each measured run
    pty: bool = False
    probe: Callable[[], dict[str, float]] | None = None  # in-process measurements, run once per round
    env: dict[str, str] = field(default_factory=dict)  # added to the environment
    times: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)  # KiB
    tree: list[int] = field(default_factory=list)  # KiB: peak Pss of the process and its children (LAST_TREE)
    cpu: list[float] = field(default_factory=list)  # user + system seconds
    extra: dict[str, list[float]] = field(default_factory=dict)


def environment(now: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("QUIZ_") and k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env.update({
        "HOME": str(HOME), "XDG_DATA_HOME": str(HOME / ".local" / "share"), "XDG_CACHE_HOME": str(HOME / ".cache"),
        "QUIZ_NOW": now, "QUIZ_TZ": "UTC", "QUIZ_SEED": "7", "LANG": "C.UTF-8", "TERM": "xterm-256color",
        "PYTHONPYCACHEPREFIX": str(DATA / "pycache"), "COLUMNS": "100",
        # This checkout's code, whichever one the environment's editable install points at (a git worktree's).
        "PYTHONPATH": str(ROOT),
    })
    return env


TIME = ["/usr/bin/time", "-f", "MAXRSS=%M CPU=%U+%S"] if Path("/usr/bin/time").exists() else []
LAST_CPU: list[float] = [float("nan")]
"""User + system CPU seconds of the last process `run_process` ran (from /usr/bin/time): on a machine that other
processes load, wall times stretch with the share of the cores a process gets, CPU time much less."""
"""Peak memory comes from /usr/bin/time (a child forked from this process would count this one's pages)."""


LAST_TREE: list[int] = [0]
"""The peak of the summed proportional set size (Pss, KiB) of the last process `run_process` ran and all its
descendants, sampled every `SAMPLE_EVERY` seconds: a command that forks workers is charged for its children's
memory too, and pages a child shares with its parent are counted once (/usr/bin/time's %M is the largest single
process)."""

BUDGET_ROUNDS = 3
"""Rounds of the long 100k operations whose time has a budget (`quiz validate`, the 100k export): their median is
checked. On this machine (two cores others share) one run of the same command has taken from 14.7 s to 21.9 s
within an hour, so a single run says more about the neighbours than about the command."""

SAMPLE_EVERY = 0.1
"""Seconds between two samples of the Pss. Each sample reads every process's `smaps_rollup` (the kernel walks its
page tables): ~5 ms of CPU for a 200 MB process tree, so every 20 ms the sampler took ~3.5 s of CPU from a 16 s
`quiz validate` on two cores, stretching what it measured by a second or more. The peaks it looks for last
seconds (the parts of a split pass); wait4's max RSS still catches the largest single process exactly."""


def _tree_pss(root: int) -> int:
    """Pss (KiB) of `root` and its descendants now (Linux /proc; 0 elsewhere)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            todo += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def run_process(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) and max RSS (KiB) of one process, stdout discarded; its tree's peak Pss in LAST_TREE."""
    import threading

    start = time.perf_counter()
    proc = subprocess.Popen([*TIME, *argv], cwd=DATA, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_EVERY):
            peak[0] = max(peak[0], _tree_pss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, raw_err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    LAST_TREE[0] = peak[0]
    err = raw_err.decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err.strip()[-400:]}")
    found = re.search(r"MAXRSS=(\d+)", err)
    cpu = re.search(r"CPU=([\d.]+)\+([\d.]+)", err)
    LAST_CPU[0] = float(cpu.group(1)) + float(cpu.group(2)) if cpu else float("nan")
    return elapsed, int(found.group(1)) if found else 0


def run_pty(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds until the first question's prompt is on screen, in a real terminal; then `q` quits."""
    import pexpect

    timed = [*TIME, *argv]
    start = time.perf_counter()
    child = pexpect.spawn(timed[0], timed[1:], cwd=str(DATA), env=env, encoding="utf-8", dimensions=(40, 110),
                          timeout=60)
    child.expect(PROMPTS)
    elapsed = time.perf_counter() - start
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    found = re.search(r"MAXRSS=(\d+)", child.before or "")
    return elapsed, int(found.group(1)) if found else 0


# --- in-process: the cost of one answer -------------------------------------------------------------------------


def answer_probe(db: Path, answers: int = 40) -> dict[str, list[float]]:
    """Answer `answers` new questions of the built-in bank on a database on disk, timing `Session.answer` (grade,
    schedule, commit) and drawing the feedback (rendered by rich into a terminal-sized buffer)."""
    import io
    import random

    from rich.console import Console

    from quiz import clock
    from quiz.bank import load_bank
    from quiz.locations import cache_dir
    from quiz.model import Kind
    from quiz.render import Display, feedback_view
    from quiz.session import Limits, new_session
    from quiz.workspace import open_workspace

    bank = load_bank([], cache_dir=cache_dir()).bank
    now = clock.now()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    ws = open_workspace(db, bank, "probe", now)
    day, day_end = ws.day(now)
    session = new_session(ws.store, bank, ws.scheduler(), profile="probe", lang="en", now=now, day=day,
                          day_end=day_end, only=None, limits=Limits(10_000, 10_000, answers, answers),
                          rng=random.Random(7))
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="truecolor")
    display = Display("en", False, 100)
    grade, drawn = [], []
    while len(grade) < answers:
        presented = session.next_question(clock.now())
        if presented is None:
            break
        question = presented.question
        start = time.perf_counter()
        if question.kind is Kind.CARD:
            feedback = session.rate_card(3, clock.now())  # type: ignore[arg-type]
        else:
            feedback = session.answer(_right_reply(presented), clock.now())
        middle = time.perf_counter()
        console.print(feedback_view(feedback, presented, bank, display))  # type: ignore[arg-type]
        end = time.perf_counter()
        grade.append(middle - start)
        drawn.append(end - start)
    ws.close()
    return {"answer": grade, "answer_drawn": drawn}


def _right_reply(presented: object) -> str:
    from quiz.model import Kind

    question = presented.question  # type: ignore[attr-defined]
    order = presented.shown_order  # type: ignore[attr-defined]
    if question.kind is Kind.CHOICE:
        right = next(i for i, c in enumerate(question.choices) if c.en == question.answer.en)
        return str(order.index(right) + 1)
    if question.kind is Kind.ORDER:
        return " ".join(str(order.index(i) + 1) for i in range(len(question.items)))
    if question.kind is Kind.TRUEFALSE:
        return "t" if question.truth else "f"
    return question.answer.en


# --- the run ----------------------------------------------------------------------------------------------------


def operations(meta: dict[str, object], env: dict[str, str]) -> list[Op]:
    cache = HOME / ".cache" / "timeline-quiz"
    new_db = DATA / "new.db"
    cold_cache = DATA / "cold-cache"

    def fresh_new_db() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(new_db) + suffix).unlink(missing_ok=True)

    def empty_cold_cache() -> None:
        shutil.rmtree(cold_cache, ignore_errors=True)
        cold_cache.mkdir(parents=True)

    def empty_default_cache_for_validate() -> None:
        shutil.rmtree(DATA / "validate-cache", ignore_errors=True)

    export_db = DATA / "export.db"
    big_export_db = DATA / "export-100k.db"
    from datetime import datetime, timedelta

    now = datetime.fromisoformat(str(meta["now"]).replace("Z", "+00:00"))
    morning = (now + timedelta(days=1)).replace(hour=4, minute=30)
    morning_env = {"QUIZ_NOW": morning.isoformat().replace("+00:00", "Z")}
    floor = [PYTHON, str(BENCH / "due_floor.py"), "large.db", "learner"]

    def evicted_files() -> list[Path]:
        return [DATA / "large.db", DATA / "large.db-wal", *sorted(cache.glob("bank-*"))]

    def rewarm() -> None:
        """The evicted files read back into the page cache, so that the next round's warm rows are warm."""
        for path in evicted_files():
            try:
                with path.open("rb") as file:
                    while file.read(1 << 24):
                        pass
            except OSError:
                continue

    def evict() -> None:
        files = evicted_files()
        for path in files:
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)

    extra: list[Op] = []
    import anki_side_by_side as side

    for size in OPTIMIZE_SIZES:
        shift = int(time.time() - now.timestamp())
        db, col = side.quiz_db(size), side.anki_collection(size, shift)
        tag = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M"
        rounds = 3 if size < 1_000_000 else 1
        extra += [
            Op(f"optimize-{tag}", f"quiz optimize --dry-run, {size:,} reviews",
               [QUIZ, "optimize", "--dry-run", "--db", str(db), "--profile", "learner"], rounds=rounds),
            Op(f"anki-fit-{tag}", f"Anki compute_fsrs_params, {size:,} reviews",
               [PYTHON, "-c", side.ANKI_FIT, str(col)], rounds=rounds),
        ]
    if not QUICK:
        extra.append(Op("export-100k", "quiz export anki, the 100k bank (100,000 notes)",
                        [QUIZ, "export", "anki", "big.apkg", "--lang", "both", "--db", str(big_export_db),
                         "--bank", "bank", "--no-builtin"], rounds=BUDGET_ROUNDS))
    return [
        Op("sqlite3", 'python -c "import sqlite3"', [PYTHON, "-c", "import sqlite3"]),
        Op("typer", 'python -c "import typer"', [PYTHON, "-c", "import typer"]),
        Op("version", "quiz --version", [QUIZ, "--version"]),
        Op("due", "quiz due (built-in bank, new learner's database)", [QUIZ, "due"]),
        Op("due-first", "quiz due, first run ever (database created)", [QUIZ, "due", "--db", str(new_db)],
           setup=fresh_new_db),
        Op("study", "quiz study: first question on screen (pty)", [QUIZ, "study"], rounds=10, pty=True),
        Op("answer", "one answer: grade, schedule, commit (in process)", rounds=3,
           probe=lambda: answer_probe(DATA / "probe.db")),  # type: ignore[arg-type,return-value]
        Op("due-large", "quiz due, 100k cards / 2M reviews", [QUIZ, "due", *LARGE], rounds=10),
        Op("floor", "floor: python + sqlite3, the same counts (bench/due_floor.py)",
           [*floor, str(int(now.timestamp() * 1000))], rounds=10),
        Op("due-morning", "quiz due, 100k / 2M, morning of a new day (new-question room open)",
           [QUIZ, "due", *LARGE], rounds=10, env=morning_env),
        Op("floor-morning", "floor: python + sqlite3, the same counts, that morning",
           [*floor, str(int(morning.timestamp() * 1000))], rounds=10),
        Op("stats-large", "quiz stats, 100k cards / 2M reviews", [QUIZ, "stats", *LARGE], rounds=7),
        Op("stats-cold", "quiz stats, 100k / 2M, database and bank cache evicted from the page cache",
           [QUIZ, "stats", *LARGE], rounds=5, setup=evict, teardown=rewarm),
        Op("bank-cold", "100k bank: `quiz show ID`, no bank cache (load + validate)",
           [QUIZ, "show", "era-050-q0100", "--bank", "bank", "--no-builtin"], rounds=3, setup=empty_cold_cache,
           env={"QUIZ_CACHE_DIR": str(cold_cache)}),
        Op("bank-cached", "100k bank: `quiz show ID`, cached", [QUIZ, "show", "era-050-q0100", "--bank", "bank",
                                                                "--no-builtin"], rounds=10),
        Op("load-cold", "100k bank: load_bank() in a bare process, no cache",
           [PYTHON, "-c", LOAD_BANK, "bank", str(cold_cache)], rounds=2, setup=empty_cold_cache),
        Op("load-cached", "100k bank: load_bank() in a bare process, cached",
           [PYTHON, "-c", LOAD_BANK, "bank", str(cache)], rounds=10),
        Op("validate-cold", "quiz validate (+ lint) of the 100k bank, no cache",
           [QUIZ, "validate", "--no-builtin", "--bank", "bank"], rounds=BUDGET_ROUNDS,
           setup=empty_default_cache_for_validate,
           env={"QUIZ_CACHE_DIR": str(DATA / "validate-cache")}),
        Op("list-json", "quiz list --json of the 100k bank (cached)",
           [QUIZ, "list", "--json", "--bank", "bank", "--no-builtin"], rounds=3),
        Op("export-2k", "quiz export anki, one era (~2,000 notes)",
           [QUIZ, "export", "anki", "era.apkg", "--lang", "both", "--era", "era-000", "--db", str(export_db),
            "--bank", "bank-export", "--no-builtin"], rounds=3),
        Op("export-10k", "quiz export anki, ~10,000 notes",
           [QUIZ, "export", "anki", "all.apkg", "--lang", "both", "--db", str(export_db),
            "--bank", "bank-export", "--no-builtin"], rounds=3),
        *extra,
    ]


def measure(ops: list[Op], env: dict[str, str], rounds: int) -> None:
    for op in ops:  # warm-up: databases created, bank caches written, modules compiled
        if op.setup:
            op.setup()
        if op.probe:
            continue
        if op.pty:
            run_pty(op.argv or [], env)
        elif op.name not in ("bank-cold", "load-cold", "validate-cold", "stats-cold") \
                and not op.name.startswith(("optimize-", "anki-fit-")):
            run_process(op.argv or [], dict(env, **op.env))
    for r in range(rounds):
        for op in ops:
            if r >= min(op.rounds, rounds):
                continue
            os.sync()  # no write of an earlier operation left for the kernel to flush during this one (and a
            # page-cache eviction in `setup` finds every page clean)
            if op.setup:
                op.setup()
            if op.probe:
                for key, values in op.probe().items():
                    op.extra.setdefault(key, []).extend(values)
                continue
            run = run_pty if op.pty else run_process
            elapsed, rss = run(op.argv or [], dict(env, **op.env))
            if op.teardown:
                op.teardown()
            if not op.pty:
                op.cpu.append(LAST_CPU[0])
                op.tree.append(LAST_TREE[0])
            op.times.append(elapsed)
            op.rss.append(rss)
        print(f"  round {r + 1}/{rounds} done", file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


SPEED_LOOP = ("import time\nt = time.process_time()\ns = 0\nfor i in range(10_000_000):\n    s += i\n"
              "print(time.process_time() - t)")
"""A yardstick of the machine's speed for one Python thread: the CPU seconds of ten million additions in a loop
(the least of three runs, which another process's load disturbs least). Budgets in seconds are for the machine
the run is on; this says how that machine compares with another run's."""


def speed() -> float:
    """`SPEED_LOOP`'s CPU seconds, the least of three separate processes."""
    return min(float(subprocess.run([PYTHON, "-c", SPEED_LOOP], capture_output=True, text=True, check=True).stdout)
               for _ in range(3))


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import typer

    return {
        "cpu": cpu, "cores": str(os.cpu_count()), "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}", "sqlite": sqlite3.sqlite_version,
        "typer": typer.__version__, "speed": f"{speed():.2f}",
    }


def report(ops: list[Op], meta: dict[str, object], load: tuple[str, str], seconds: float) -> str:
    by = {op.name: op for op in ops}
    typer_s = median(by["typer"].times)
    rows = ["| operation | median | min – max | runs | ÷ import typer | peak RSS | peak Pss, with children "
            "| CPU (median) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for op in ops:
        if op.probe:
            for key, values in op.extra.items():
                label = {"answer": "one answer: `Session.answer` (grade, schedule, commit), on disk",
                         "answer_drawn": "one answer + its feedback drawn (rich, terminal buffer)"}[key]
                rows.append(f"| {label} | {median(values) * 1000:.1f} ms | {min(values) * 1000:.1f} – "
                            f"{max(values) * 1000:.1f} ms | {len(values)} | | | | |")
            continue
        med = median(op.times)
        unit = (lambda s: f"{s * 1000:.0f} ms") if med < 2 else (lambda s: f"{s:.2f} s")
        rows.append(f"| {op.label} | {unit(med)} | {unit(min(op.times))} – {unit(max(op.times))} | {len(op.times)} "
                    f"| {med / typer_s:.2f} | {max(op.rss) / 1024:.0f} MB | "
                    f"{f'{max(op.tree) / 1024:.0f} MB' if op.tree and max(op.tree) else ''} | "
                    f"{unit(median(op.cpu)) if op.cpu and median(op.cpu) == median(op.cpu) else ''} |")
    answers = by["answer"].extra if "answer" in by else {}

    def med(name: str) -> float:
        return median(by[name].times) if name in by and by[name].times else float("nan")

    def cpu(name: str) -> float:
        return median(by[name].cpu) if name in by and by[name].cpu else float("nan")

    def peak(name: str) -> float:
        """The larger of the largest single process's RSS and the whole process tree's Pss: a command that forks
        is charged for what its children add."""
        if name not in by or not by[name].rss:
            return float("nan")
        return max(max(by[name].rss), max(by[name].tree, default=0)) / 1024

    budgets: list[tuple[str, float, float, str]] = [
        ("`quiz --version` ≤ 1.2 × import typer", med("version") / typer_s, 1.2, "×"),
        ("`quiz due` (built-in bank) ≤ 1.6 × import typer", med("due") / typer_s, 1.6, "×"),
        ("first question of `quiz study` ≤ 2.5 × import typer", med("study") / typer_s, 2.5, "×"),
        ("one answer, feedback drawn, ≤ 10 ms", median(answers.get("answer_drawn", [])) * 1000, 10.0, "ms"),
        ("100k bank, cached ≤ 0.5 s", med("bank-cached"), 0.5, "s"),
        ("`quiz export anki` of ~10,000 notes ≤ 15 s", med("export-10k"), 15.0, "s"),
        # issue 18
        ("`quiz stats`, 100k / 2M, ≤ 3 × import typer", med("stats-large") / typer_s, 3.0, "×"),
        ("`quiz stats`, 100k / 2M, warm, < 0.5 s", med("stats-large"), 0.5, "s"),
        ("`quiz stats`, 100k / 2M, page cache cold (reported; issue 18 sets no budget)", med("stats-cold"),
         float("inf"), "s"),
        ("`quiz due`, 100k / 2M, ≤ 1.6 × import typer", med("due-large") / typer_s, 1.6, "×"),
        ("`quiz due`, 100k / 2M, morning of a new day, ≤ 1.6 × import typer", med("due-morning") / typer_s, 1.6,
         "×"),
        ("`quiz due`, 100k / 2M, ≤ 2 × its python + sqlite3 floor", med("due-large") / med("floor"), 2.0, "×"),
        ("`quiz due`, that morning, ≤ 2 × its floor", med("due-morning") / med("floor-morning"), 2.0, "×"),
    ]
    for name in sorted((op.name for op in ops if op.name.startswith("optimize-")), key=lambda n: med(n)):
        tag = name.removeprefix("optimize-")
        budgets += [
            (f"`quiz optimize`, {tag} reviews, ≤ 1.5 × Anki's compute_fsrs_params", med(name) / med(f"anki-fit-{tag}"),
             1.5, "×"),
            (f"`quiz optimize`, {tag} reviews, CPU time (user + system) ÷ Anki's (reported)",
             cpu(name) / cpu(f"anki-fit-{tag}"), float("inf"), "×"),
            (f"`quiz optimize`, {tag} reviews, peak RSS ≤ Anki's", peak(name) / peak(f"anki-fit-{tag}"), 1.0, "×"),
        ]
    budgets += [
        ("100k bank, cold load + validation (`quiz show ID`, no cache) ≤ 10 s", med("bank-cold"), 10.0, "s"),
        ("100k bank, cold load + validation ≤ 200 MB", peak("bank-cold"), 200.0, "MB"),
        ("`quiz validate` of the 100k bank ≤ 15 s", med("validate-cold"), 15.0, "s"),
        ("`quiz validate` of the 100k bank ≤ 250 MB", peak("validate-cold"), 250.0, "MB"),
        ("`quiz export anki` of 100,000 notes ≤ 15 s", med("export-100k"), 15.0, "s"),
        ("`quiz export anki` of 100,000 notes ≤ 250 MB", peak("export-100k"), 250.0, "MB"),
        ("`quiz list --json` of the 100k bank ≤ 100 MB", peak("list-json"), 100.0, "MB"),
    ]
    checks = ["| budget | measured | met |", "| --- | ---: | :---: |"]
    for label, value, limit, unit in budgets:
        shown = f"{value:.2f} {unit}" if unit in ("×", "s") else f"{value:.1f} {unit}"
        verdict = "not run" if value != value else "—" if limit == float("inf") else \
            "yes" if value <= limit else "**no**"
        checks.append(f"| {label} | {shown if value == value else '—'} | {verdict} |")
    info = machine()
    bank = meta.get("bank", {})
    db = meta.get("database", {})
    notes_10k = meta.get("export_notes", "~10,000")
    lines = [
        START,
        "## Start-up and scale (issues 8 and 18)",
        "",
        "`python bench/run.py` (data: `python bench/generate.py`). Medians of separate processes, interleaved round "
        "by round; ratios are to `python -c \"import typer\"` measured in the same rounds.",
        "",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['system']}; CPython {info['python']}, SQLite "
        f"{info['sqlite']}, Typer {info['typer']}; a pure-Python loop of ten million additions takes "
        f"{info['speed']} s of CPU (`SPEED_LOOP`, the machine's speed for one thread). Load average {load[0]} "
        f"before, {load[1]} after (other engineers' test runs share the machine); {seconds:.0f} s in all.",
        f"- Bank: {bank.get('hand_written')} hand-written + {bank.get('generated')} generated questions "
        f"({bank.get('events')} events in {bank.get('eras')} eras), {int(bank.get('bytes', 0)) / 1e6:.0f} MB of "
        f"YAML in {int(bank.get('eras', 0)) + 1} files. Database: {int(db.get('bytes', 0)) / 1e6:.0f} MB, "
        f"100,000 cards and 2,000,000 reviews over three years for one profile, 30 profiles of 5,000 reviews. "
        f"Export: {notes_10k} notes (10 eras, both languages).",
        "",
        *rows,
        "",
        *checks,
        "",
        END,
    ]
    return "\n".join(lines)


def write_results(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the fast operations (default 15)")
    parser.add_argument("--only", nargs="*", help="only these operations (and the baselines)")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave RESULTS.md alone")
    parser.add_argument("--quick", action="store_true", help="3 rounds, smallest optimize size, no 100k export")
    parser.add_argument("--optimize-sizes", type=int, nargs="*", default=[200_000, 2_000_000], metavar="N",
                        help="reviews in the logs `quiz optimize` fits (default 200000 2000000)")
    args = parser.parse_args()
    global QUICK, OPTIMIZE_SIZES
    QUICK = args.quick
    OPTIMIZE_SIZES = sorted(args.optimize_sizes)[:1] if args.quick else sorted(args.optimize_sizes)
    if args.quick:
        args.rounds = min(args.rounds, 3)
    sys.path.insert(0, str(BENCH))
    import generate

    start = time.perf_counter()
    meta = generate.generate(DATA)
    env = environment(str(meta["now"]))
    shutil.rmtree(HOME, ignore_errors=True)
    ops = operations(meta, env)
    if args.only:
        wanted = set(args.only) | {f"anki-fit-{n.removeprefix('optimize-')}" for n in args.only
                                   if n.startswith("optimize-")}
        ops = [op for op in ops if op.name in ("sqlite3", "typer", *wanted)]
    before = os.getloadavg()[0]
    print(f"measuring {len(ops)} operations, up to {args.rounds} rounds ...", file=sys.stderr, flush=True)
    if any(op.probe for op in ops):
        os.environ.update({k: v for k, v in env.items() if k.startswith(("QUIZ_", "XDG_", "HOME"))})
        sys.path.insert(0, str(ROOT))
    measure(ops, env, args.rounds)
    after = os.getloadavg()[0]
    try:
        with sqlite3.connect(DATA / "export.db") as conn:
            row = conn.execute("SELECT note_count FROM exports WHERE path LIKE '%all.apkg' ORDER BY id DESC LIMIT 1"
                               ).fetchone()
        meta["export_notes"] = f"{row[0]:,}" if row else "~10,000"
    except sqlite3.Error:
        pass
    section = report(ops, meta, (f"{before:.2f}", f"{after:.2f}"), time.perf_counter() - start)
    print(section)
    if not args.no_write and not args.only and not args.quick:
        write_results(section)
        json.dump({op.name: {"times": op.times, "rss": op.rss, "tree": op.tree, **op.extra} for op in ops},
                  (DATA / "last-run.json").open("w"), indent=1)


if __name__ == "__main__":
    main()
