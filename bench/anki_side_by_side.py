"""quiz beside Anki on the same collection (issue 18): counts, one answer, statistics, parameter fitting.

    python bench/anki_side_by_side.py [--rounds N] [--sizes 200000 2000000] [--quick]

Builds, from the synthetic learner of `bench/generate.py` (profile `learner` of `bench/data/large.db`: 100,000
cards, 2,000,000 reviews), the same collection with the official `anki` library: one Basic note and card per
question, every review as a revlog row (time, card, rating, interval, type), every card's state (new, learning,
review, relearning; due). A log of fewer reviews (`--sizes`) takes the learner's first cards until their reviews
come to that many, for quiz (a database made by `quiz.store.Store`, rows copied) and Anki alike. The collections
are kept in `bench/data/anki/` and rebuilt when missing.

Anki schedules by the wall clock, quiz by QUIZ_NOW: Anki's collection is shifted in time so that its history ends
at the moment the run starts, as quiz's ends at QUIZ_NOW.

Each round runs every pair back to back as separate processes (so a load from other processes falls on both
alike), and the table gives medians and the ratio quiz / Anki of those medians, from the same run:
- counts: `quiz due` against `import anki` + open + `col.sched.counts()`;
- statistics: `quiz stats` against Anki's `graphs(search="deck:current", days=365)` (what its Statistics screen
  draws) in a process that opens the collection;
- parameters: `quiz optimize --dry-run` against Anki's `compute_fsrs_params` on the same log, time and peak RSS;
- one answer, in process: quiz's `Session.answer` (bench/run.py's probe) against Anki's `answerCard` on the
  collection's next card (40 answers each).
The results go to `bench/RESULTS.md` between this script's markers (unless --no-write).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402  (bench/run.py: the environment, process timing, the answer probe)

ANKI = run.DATA / "anki"
START, END = "<!-- bench/anki_side_by_side.py: start -->", "<!-- bench/anki_side_by_side.py: end -->"
FULL = 2_000_000
DAY = 86_400

ANKI_COUNTS = ("import sys\nfrom anki.collection import Collection\ncol = Collection(sys.argv[1])\n"
               "print(col.sched.counts())\ncol.close(downgrade=False)\n")
ANKI_GRAPHS = ("import sys\nfrom anki.collection import Collection\ncol = Collection(sys.argv[1])\n"
               "col._backend.graphs(search='deck:current', days=365)\ncol.close(downgrade=False)\n")
ANKI_FIT = ("import sys\nfrom anki.collection import Collection\ncol = Collection(sys.argv[1])\n"
            "r = col._backend.compute_fsrs_params(search='', current_params=[], ignore_revlogs_before_ms=0,"
            " num_of_relearning_steps=1, health_check=False)\nprint(len(r.params), r.fsrs_items)\n"
            "col.close(downgrade=False)\n")


def log_subset(reviews: int) -> int:
    """The highest qid such that the learner's reviews of cards up to it come to `reviews` (all: FULL or more)."""
    with sqlite3.connect(run.DATA / "large.db") as conn:
        pid = conn.execute("SELECT id FROM profiles WHERE name = 'learner'").fetchone()[0]
        total = 0
        for qid, n in conn.execute("SELECT qid, COUNT(*) FROM reviews WHERE profile_id = ? GROUP BY qid ORDER BY qid",
                                   (pid,)):
            total += n
            if total >= reviews:
                return int(qid)
    return 1 << 62


def quiz_db(reviews: int) -> Path:
    """quiz's database of the learner's first cards (their whole logs) up to `reviews` reviews."""
    if reviews >= FULL:
        return run.DATA / "large.db"
    path = run.DATA / f"log-{reviews}.db"
    if path.exists():
        return path
    sys.path.insert(0, str(run.ROOT))
    from datetime import datetime, timezone

    from quiz.store import Store

    last = log_subset(reviews)
    tmp = path.with_suffix(".tmp")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    Store.open(tmp, now=datetime(2026, 1, 1, tzinfo=timezone.utc)).close()
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("ATTACH ? AS src", (str(run.DATA / "large.db"),))
    conn.execute("BEGIN")
    conn.execute("INSERT INTO questions SELECT * FROM src.questions")
    conn.execute("INSERT INTO profiles SELECT * FROM src.profiles WHERE name = 'learner'")
    pid = conn.execute("SELECT id FROM profiles WHERE name = 'learner'").fetchone()[0]
    conn.execute("INSERT INTO cards SELECT * FROM src.cards WHERE profile_id = ? AND qid <= ?", (pid, last))
    conn.execute("INSERT INTO reviews SELECT * FROM src.reviews WHERE profile_id = ? AND qid <= ? ORDER BY id",
                 (pid, last))
    conn.execute("COMMIT")
    conn.close()
    tmp.rename(path)
    return path


def anki_collection(reviews: int, shift_s: int) -> Path:
    """The same cards and log as an Anki collection (built with the `anki` library, rows through its own db)."""
    path = ANKI / f"collection-{reviews}.anki2"
    stamp = path.with_suffix(".shift")
    if path.exists() and stamp.exists() and abs(int(stamp.read_text()) - shift_s) < 6 * 3600:
        return path
    from anki.collection import Collection

    shutil.rmtree(ANKI / f"build-{reviews}", ignore_errors=True)
    build = ANKI / f"build-{reviews}"
    build.mkdir(parents=True)
    target = build / "collection.anki2"
    col = Collection(str(target))
    model = col.models.by_name("Basic")
    assert model is not None
    mid = model["id"]
    conf = col.decks.config_dict_for_deck_id(1)
    conf["new"]["perDay"] = 10  # quiz's defaults
    conf["rev"]["perDay"] = 200
    col.decks.update_config(conf)
    col.set_config("fsrs", True)
    col.close(downgrade=False)
    # Rows go in through sqlite3 itself: the collection is SQLite, and Anki's own `db.executemany` passes every
    # row through its backend (~2,000 rows a second). The tables written have no index with Anki's collation.
    db = sqlite3.connect(target)
    source = sqlite3.connect(run.DATA / "large.db")
    pid = source.execute("SELECT id FROM profiles WHERE name = 'learner'").fetchone()[0]
    last = log_subset(reviews)
    first_ms = source.execute("SELECT MIN(reviewed_at) FROM reviews WHERE profile_id = ?", (pid,)).fetchone()[0]
    crt = (first_ms // 1000 + shift_s) // DAY * DAY - DAY
    db.execute("UPDATE col SET crt = ?", (crt,))
    now_s = int(time.time())
    notes, cards = [], []
    rows = source.execute("SELECT c.qid, c.phase, c.due, c.stability, c.difficulty, c.reps, c.lapses, c.suspended, "
                          "c.last_review FROM cards c WHERE c.profile_id = ? AND c.qid <= ? ORDER BY c.qid",
                          (pid, last))
    for qid, phase, due, stab, diff, reps, lapses, suspended, last_review in rows:
        nid = cid = 1_000_000_000 + qid
        notes.append((nid, f"g{qid}", mid, now_s, -1, "", f"Question {qid}\x1fAnswer {qid}", f"Question {qid}",
                      0, 0, ""))
        due_s = None if due is None else due // 1000 + shift_s
        if phase == 0:
            ctype, queue, cdue, ivl = 0, 0, qid, 0
        elif phase in (1, 3):
            ctype, queue, cdue, ivl = phase, 1, due_s, 0
        else:
            ivl = max(1, round(((due or 0) - (last_review or 0)) / 86_400_000))
            ctype, queue, cdue = 2, 2, (due_s - crt) // DAY
        data = "" if stab is None else f'{{"s":{stab:.4f},"d":{diff:.4f}}}'
        cards.append((cid, nid, 1, 0, now_s, -1, ctype, -1 if suspended else queue, cdue, ivl, 2500, reps, lapses,
                      0, 0, 0, 0, data))
    db.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
    db.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
    del notes, cards
    revlog = []
    previous = 0
    for qid, at, rating, phase, interval, ms in source.execute(
            "SELECT qid, reviewed_at, rating, phase_before, interval_days, duration_ms FROM reviews "
            "WHERE profile_id = ? AND qid <= ? ORDER BY reviewed_at, id", (pid, last)):
        rid = max(previous + 1, at + shift_s * 1000)
        previous = rid
        days = interval or 0.0
        ivl = round(days) if days >= 1 else -max(1, round(days * DAY))
        rtype = {0: 0, 1: 0, 2: 1, 3: 2}[phase]
        revlog.append((rid, 1_000_000_000 + qid, -1, rating, ivl, 0, 2500, min(ms, 60_000), rtype))
        if len(revlog) >= 100_000:
            db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", revlog)
            revlog = []
    db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", revlog)
    source.close()
    db.commit()
    db.close()
    col = Collection(str(target))  # Anki opens it, checks nothing is amiss, counts
    assert col.card_count() > 0, "no cards"
    col.close(downgrade=False)
    path.unlink(missing_ok=True)
    (build / "collection.anki2").rename(path)
    shutil.rmtree(build, ignore_errors=True)
    stamp.write_text(str(shift_s))
    return path


def anki_answers(path: Path, answers: int = 40) -> list[float]:
    """Seconds per `answerCard` (Good) on a copy of the collection, in process."""
    from anki.collection import Collection

    copy = ANKI / "answer.anki2"
    shutil.copyfile(path, copy)
    col = Collection(str(copy))
    times = []
    for _ in range(answers):
        card = col.sched.getCard()
        if card is None:
            break
        card.start_timer()
        start = time.perf_counter()
        col.sched.answerCard(card, 3)
        times.append(time.perf_counter() - start)
    col.close(downgrade=False)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="paired rounds (default 5)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[200_000, FULL], help="log sizes for optimize")
    parser.add_argument("--quick", action="store_true", help="one round; optimize at the smallest size only")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    import generate

    meta = generate.generate(run.DATA)
    env = run.environment(str(meta["now"]))
    from datetime import datetime

    shift = int(time.time() - datetime.fromisoformat(str(meta["now"]).replace("Z", "+00:00")).timestamp())
    sizes = sorted(args.sizes)[:1] if args.quick else sorted(args.sizes)
    rounds = 1 if args.quick else args.rounds
    ANKI.mkdir(parents=True, exist_ok=True)
    print("building collections ...", file=sys.stderr, flush=True)
    full = anki_collection(FULL, shift)
    pairs: list[tuple[str, list[str], list[str], dict[str, str]]] = [
        ("`quiz due` / Anki counts", [run.QUIZ, "due", *run.LARGE],
         [run.PYTHON, "-c", ANKI_COUNTS, str(full)], {}),
        ("`quiz stats` / Anki graphs (365 days)", [run.QUIZ, "stats", *run.LARGE],
         [run.PYTHON, "-c", ANKI_GRAPHS, str(full)], {}),
    ]
    for size in sizes:
        db, col = quiz_db(size), anki_collection(size, shift)
        pairs.append((f"`quiz optimize` / Anki `compute_fsrs_params`, {size:,} reviews",
                      [run.QUIZ, "optimize", "--dry-run", "--db", str(db), "--profile", "learner"],
                      [run.PYTHON, "-c", ANKI_FIT, str(col)], {}))
    results: dict[str, tuple[list[float], list[int], list[float], list[int]]] = {
        label: ([], [], [], []) for label, *_ in pairs}
    cpus: dict[str, tuple[list[float], list[float]]] = {label: ([], []) for label, *_ in pairs}
    for argv in (p[1] for p in pairs[:2]):
        run.run_process(argv, env)  # warm: bank cache, compiled modules
    for r in range(rounds):
        for label, ours, theirs, extra in pairs:
            qt, qm = run.run_process(ours, dict(env, **extra))
            cpus[label][0].append(run.LAST_CPU[0])
            at, am = run.run_process(theirs, env)
            cpus[label][1].append(run.LAST_CPU[0])
            rec = results[label]
            rec[0].append(qt)
            rec[1].append(qm)
            rec[2].append(at)
            rec[3].append(am)
        print(f"  round {r + 1}/{rounds}", file=sys.stderr, flush=True)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("QUIZ_", "XDG_", "HOME"))})
    sys.path.insert(0, str(run.ROOT))
    ours_answer = run.answer_probe(run.DATA / "probe.db")["answer"]
    theirs_answer = anki_answers(full)

    def fmt(s: float) -> str:
        return f"{s * 1000:.0f} ms" if s < 2 else f"{s:.2f} s"

    lines = [START, "## quiz beside Anki (issue 18)", "",
             f"`python bench/anki_side_by_side.py` ({rounds} paired rounds; Anki {anki_version()}): the same "
             "100,000 cards and 2,000,000 reviews (smaller logs: the learner's first cards), medians of separate "
             "processes run back to back; ratio = quiz median / Anki median, from this run (CPU: of user + system "
             "seconds, which a load from other processes stretches less than wall time). Load average "
             f"{os.getloadavg()[0]:.2f} at the end.", "",
             "| measure | quiz | Anki | quiz ÷ Anki | CPU: quiz ÷ Anki | quiz peak RSS | Anki peak RSS |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, (qt, qm, at, am) in results.items():
        q, a = statistics.median(qt), statistics.median(at)
        qc, ac = (statistics.median(v) for v in cpus[label])
        lines.append(f"| {label} | {fmt(q)} | {fmt(a)} | {q / a:.2f} | {qc / ac:.2f} | {max(qm) / 1024:.0f} MB | "
                     f"{max(am) / 1024:.0f} MB |")
    q, a = statistics.median(ours_answer), statistics.median(theirs_answer)
    lines.append(f"| one answer, in process (`Session.answer` / `answerCard`) | {q * 1000:.2f} ms | "
                 f"{a * 1000:.2f} ms | {q / a:.2f} | | | |")
    lines += ["", END]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        text = run.RESULTS.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            text = head + section + rest.split(END, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        run.RESULTS.write_text(text, encoding="utf-8")


def anki_version() -> str:
    from importlib.metadata import version

    return version("anki")


if __name__ == "__main__":
    main()
