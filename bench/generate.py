"""Synthetic data for the benchmarks: a 100,000-question teacher bank and a database with years of history.

    python bench/generate.py [--out bench/data] [--force] [--seed 8]

Writes, under `--out` (git-ignored):

- `bank/`: a teacher bank as YAML, one file per era plus `eras.yaml` (sources and eras). 200 eras of 5 years,
  20 events each (4,000 events; issue 13's generator makes ~225 questions of an era of 20 events), and
  hand-written questions of every kind, so that hand-written plus generated questions make exactly 100,000.
  Texts are drawn from the words of the built-in bank, in both languages, with the lengths the built-in bank
  has (prompts of 8-20 words, explanations of 20-45 ...), so files weigh what real ones would (~84 MB).
- `large.db`: a progress database made by `quiz.store.Store` (every migration applied), the bank synced into it
  as `quiz` itself syncs it, then, inserted with `executemany` in the schema's own columns: profile `learner`
  with 100,000 cards and 2,000,000 reviews over three years ending at `NOW`, and 30 profiles `p01`..`p30` with
  5,000 reviews each. Reviews are inserted in time order (ids grow with time, as they would), with every column
  `Store.record_answer` writes: the study `day` (04:00 rollover, UTC), the card before and after, the
  retrievability, the interval, leeches.
- `meta.json`: what was generated, with timings.

The generator of event questions (`quiz.bank.generate_questions`) is quadratic per era for "which came first"
pairs and quartic for four-event orders, so events are spread over many eras of modest size; `per_era_growth()`
measures it (it is printed with `--growth`).
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import re
import shutil
import sqlite3
import sys
import time
from array import array
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT / "bench" / "data"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
"""The end of the synthetic history; the benchmarks pin `QUIZ_NOW` to it (and `QUIZ_TZ=UTC`)."""

QUESTIONS = 100_000
ERAS = 200
ERA_YEARS = 5
EVENTS_PER_ERA = 20
FIRST_YEAR = 1000
EXPORT_ERAS = 10
MAIN_PROFILE = "learner"
MAIN_REVIEWS = 2_000_000
SMALL_PROFILES = 30
SMALL_REVIEWS = 5_000
SMALL_CARDS = 250
HISTORY_DAYS = 3 * 365
DAY_MS = 86_400_000
MINUTE_MS = 60_000
FORMAT = 4  # bump when the generated data changes, so run.py regenerates it

KIND_MIX = (("choice", 35), ("typed", 20), ("truefalse", 15), ("cloze", 12), ("card", 10), ("order", 8))

_AR_WORD = re.compile(r"^[\u0621-\u064A]{2,}$")
_EN_WORD = re.compile(r"^[A-Za-z]{2,}$")


# --- words --------------------------------------------------------------------------------------------------------


def vocabulary() -> tuple[list[str], list[str]]:
    """The Arabic and English words of the built-in bank (letters only), with their frequencies."""
    ar: list[str] = []
    en: list[str] = []
    for path in sorted((ROOT / "questions").glob("*.yaml")):
        for token in re.split(r"[\s\"'{}\[\]:,.;()«»“”،؛؟?!/–—-]+", path.read_text(encoding="utf-8")):
            if _AR_WORD.match(token):
                ar.append(token)
            elif _EN_WORD.match(token) and token not in ("ar", "en", "id", "kind", "era", "doc", "para"):
                en.append(token.lower())
    return ar, en


EN_SYLLABLES = ("ka", "lo", "vin", "dra", "mer", "tos", "ber", "ni", "sha", "grad", "ov", "mir", "pet", "sky",
                "ton", "vel", "ra", "dor", "ek", "lin", "bur", "gen", "sol", "ast", "ril", "mon", "zin", "hal")
AR_SYLLABLES = ("كا", "لو", "فين", "درا", "مير", "توس", "بير", "ني", "شا", "غراد", "وف", "ميرا", "بيت", "سكي",
                "تون", "فيل", "را", "دور", "يك", "لين", "بور", "جين", "سول", "است", "ريل", "مون", "زين", "هال")
NAMES = 40_000


class Words:
    """Words of the built-in bank, plus made-up names (people, places, treaties): real questions name
    specific things, so that most of their rarest words are rare, as the linter's near-duplicate search
    expects of real text."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ar, self.en = vocabulary()
        names: dict[str, str] = {}
        while len(names) < NAMES:
            parts = [rng.randrange(len(EN_SYLLABLES)) for _ in range(rng.randint(2, 4))]
            en = "".join(EN_SYLLABLES[p] for p in parts)
            names.setdefault(en.capitalize(), "".join(AR_SYLLABLES[p] for p in parts))
        self.names = list(names.items())  # (English, Arabic) spellings of the same name

    def text(self, lo: int, hi: int) -> tuple[str, str]:
        n = self.rng.randint(lo, hi)
        ar = self.rng.choices(self.ar, k=n)
        en = self.rng.choices(self.en, k=n)
        for _ in range(1 if n < 4 else 2):  # one or two names
            name_en, name_ar = self.rng.choice(self.names)
            at = self.rng.randrange(n)
            en[at], ar[at] = name_en, name_ar
        text_en = " ".join(en)
        return " ".join(ar), text_en[:1].upper() + text_en[1:]

    def sentence(self, lo: int, hi: int, end: str = ".") -> tuple[str, str]:
        ar, en = self.text(lo, hi)
        return ar + ("؟" if end == "?" else end), en + end


def q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bi(pair: tuple[str, str]) -> str:
    return "{ar: " + q(pair[0]) + ", en: " + q(pair[1]) + "}"


def block(key: str, pair: tuple[str, str], indent: str = "    ") -> list[str]:
    return [f"{indent}{key}:", f"{indent}  ar: {q(pair[0])}", f"{indent}  en: {q(pair[1])}"]


# --- the bank -----------------------------------------------------------------------------------------------------


def per_era_growth(sizes: tuple[int, ...] = (10, 25, 40, 50, 100, 200)) -> list[dict[str, float]]:
    """Generated questions (and time) per era for `n` events in it: the generator's growth, measured."""
    from quiz.bank import generate_questions
    from quiz.model import Era, Event, EventDate, Text

    rows = []
    eras = [Era(f"era-{i}", 1000 + 20 * i, 1019 + 20 * i, Text("ع", "t")) for i in range(ERAS)]
    for n in sizes:
        rng = random.Random(n)
        events = [
            Event(f"ev-{j}", EventDate(rng.randint(1000, 1019), rng.randint(1, 12), None), "era-0",
                  Text("حدث", "an event"), Text(), None)
            for j in range(n)
        ]
        start = time.perf_counter()
        made = generate_questions(events, eras)
        seconds = time.perf_counter() - start
        rows.append({"events": n, "generated": len(made), "ms": round(seconds * 1000, 1)})
    return rows


def write_bank(folder: Path, rng: random.Random) -> dict[str, int]:
    """Write the bank: eras.yaml, then one file per era; hand-written questions fill up to QUESTIONS."""
    from quiz.bank import generate_questions
    from quiz.model import Era, Event, EventDate, Text

    words = Words(rng)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    eras = []
    head = ["# Synthetic bank for bench/: sources and eras.", "", "sources:"]
    for doc in ("timeline", "atlas", "memoirs"):
        head += [f"  - id: {doc}", *block("title", words.text(3, 8)), "    kind: reference", ""]
    head.append("eras:")
    for i in range(ERAS):
        start = FIRST_YEAR + ERA_YEARS * i
        era_id = f"era-{i:03d}"
        title = words.text(3, 7)
        eras.append((era_id, start, start + ERA_YEARS - 1))
        head += [f"  - id: {era_id}", f"    start: {start}", f"    end: {start + ERA_YEARS - 1}",
                 *block("title", title), ""]
    (folder / "eras.yaml").write_text("\n".join(head), encoding="utf-8")

    # Events first (their generated questions decide how many hand-written ones fill up to QUESTIONS).
    model_eras = [Era(e, s, t, Text("a", "b")) for e, s, t in eras]
    events: dict[str, list[tuple[str, tuple[int, int, int], tuple[str, str], tuple[str, str], int]]] = {}
    model_events = []
    for era_id, start, end in eras:
        dates = sorted((rng.randint(start, end), rng.randint(1, 12), rng.randint(1, 28))
                       for _ in range(EVENTS_PER_ERA))
        rows = []
        for j, date in enumerate(dates):
            event_id = f"{era_id}-event-{j:02d}"
            title = words.text(3, 8)
            title = (title[0], title[1][:1].lower() + title[1][1:])
            detail = words.sentence(18, 40)
            para = rng.randint(1, 9)
            rows.append((event_id, date, title, detail, para))
            model_events.append(Event(event_id, EventDate(*date), era_id, Text(*title), Text(*detail), None))
        events[era_id] = rows
    generated = len(generate_questions(model_events, model_eras))
    hand = QUESTIONS - generated
    per_era = [hand // ERAS + (1 if i < hand % ERAS else 0) for i in range(ERAS)]
    kinds = [k for k, weight in KIND_MIX for _ in range(weight)]
    counts = {k: 0 for k, _ in KIND_MIX}
    for (era_id, start, end), n in zip(eras, per_era, strict=True):
        lines = [f"# Synthetic bank for bench/: era {era_id} ({start}-{end}).", "", "events:"]
        for event_id, (y, m, d), title, detail, para in events[era_id]:
            lines += [f"  - id: {event_id}", f'    date: "{y:04d}-{m:02d}-{d:02d}"', f"    era: {era_id}",
                      *block("title", title), *block("detail", detail),
                      f"    source: {{doc: timeline, era: {era_id}, para: {para}}}", "    tags: [synthetic]", ""]
        lines.append("questions:")
        for k in range(n):
            kind = rng.choice(kinds)
            counts[kind] += 1
            lines += question_lines(f"{era_id}-q{k:04d}", kind, era_id, start, end, words, rng)
        (folder / f"{era_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"hand_written": hand, "generated": generated, "events": ERAS * EVENTS_PER_ERA, "eras": ERAS,
            **{f"kind_{k}": v for k, v in counts.items()}}


def question_lines(qid: str, kind: str, era_id: str, start: int, end: int, words: Words,
                   rng: random.Random) -> list[str]:
    out = [f"  - id: {qid}", f"    kind: {kind}", f"    era: {era_id}"]
    if kind == "choice":
        out += block("prompt", words.sentence(8, 20, "?"))
        options: list[tuple[str, str]] = []
        seen: set[str] = set()
        while len(options) < 4:
            option = words.text(2, 9)
            key_ar, key_en = " ".join(option[0].split()), option[1].casefold()
            if key_ar in seen or key_en in seen:
                continue
            seen.update((key_ar, key_en))
            options.append(option)
        right = rng.randrange(4)
        out += block("answer", options[right])
        out += ["    choices:"] + [f"      - {bi(o)}" for o in options]
    elif kind == "typed":
        out += block("prompt", words.sentence(8, 18, "?"))
        if rng.random() < 0.4:
            year = str(rng.randint(start, end))
            out += block("answer", (year, year)) + ["    tolerance: 1"]
        else:
            out += block("answer", words.text(1, 3))
            ar, en = words.text(1, 3), words.text(1, 3)
            out += ["    accept:", f"      ar: [{q(ar[0])}]", f"      en: [{q(en[1])}]"]
    elif kind == "truefalse":
        out += block("prompt", words.sentence(10, 22))
        out.append(f"    answer: {'true' if rng.random() < 0.5 else 'false'}")
    elif kind == "cloze":
        before, after = words.text(4, 10), words.text(3, 9)
        gap = words.text(1, 2)
        out += block("prompt", (f"{before[0]} {{{{{gap[0]}}}}} {after[0]}.",
                                f"{before[1]} {{{{{gap[1]}}}}} {after[1]}."))
    elif kind == "card":
        out += block("prompt", words.sentence(6, 16, "?"))
        out += block("answer", words.sentence(10, 30))
    else:  # order
        n = rng.randint(3, 5)
        years = sorted(rng.sample(range(start, end + 1), n))
        out += block("prompt", words.sentence(5, 10))
        out.append("    items:")
        for year in years:
            ar, en = words.text(3, 7)
            out.append(f"      - {{ar: {q(ar)}, en: {q(en)}, year: {year}}}")
    out += block("explanation", words.sentence(20, 45))
    out.append(f"    source: {{doc: {rng.choice(('timeline', 'atlas', 'memoirs'))}, era: {era_id}, "
               f"para: {rng.randint(1, 12)}}}")
    if rng.random() < 0.5:
        out.append(f"    tags: [{rng.choice(('diplomacy', 'treaty', 'war', 'economy', 'space'))}]")
    out.append("")
    return out


# --- the database -------------------------------------------------------------------------------------------------


def study_day(ms: int) -> str:
    """The study day of an epoch-ms time in UTC (rolls over at 04:00), as `quiz.clock.study_day` gives it."""
    return time.strftime("%Y-%m-%d", time.gmtime((ms - 4 * 3_600_000) // 1000))


class History:
    """One card's answers: their times (epoch ms) and ratings."""

    __slots__ = ("times", "ratings")

    def __init__(self, times: array, ratings: bytes) -> None:
        self.times = times
        self.ratings = ratings


class Schedule:
    """A card's answers as offsets from its first one, simulated forward: a new card, a 10-minute learning step,
    then reviews on the day they fall due, intervals growing with stability (x growth on Good); a lapse sends the
    card to relearning for one 10-minute step. Every answer happens when the card is due, so a card is never
    overdue; where its history starts decides how many answers it has by now."""

    __slots__ = ("offsets", "ratings")

    def __init__(self, rng: random.Random, growth: float, horizon_ms: int) -> None:
        offsets = array("q", [0])
        ratings = bytearray()
        stability = rng.uniform(0.5, 2.5)
        phase = 0
        while True:
            if phase == 0:
                rating = 3 if rng.random() < 0.85 else 1
                step = 10 * MINUTE_MS if rating == 3 else MINUTE_MS
                phase = 1
            elif phase in (1, 3):
                rating = 3
                step = int(stability * DAY_MS)
                phase = 2
            else:
                roll = rng.random()
                rating = 1 if roll < 0.1 else 2 if roll < 0.2 else 4 if roll > 0.95 else 3
                if rating == 1:
                    stability = max(0.3, stability * 0.3)
                    step = 10 * MINUTE_MS
                    phase = 3
                else:
                    factor = {2: 1.2, 3: growth * rng.uniform(0.8, 1.2), 4: growth * 1.6}[rating]
                    stability = min(stability * factor, 3650.0)
                    step = int(stability * DAY_MS)
            ratings.append(rating)
            if offsets[-1] > horizon_ms:
                break
            offsets.append(offsets[-1] + step)
        self.offsets = offsets  # offsets[i] is answer i; the last one lies past the horizon (the next due)
        self.ratings = bytes(ratings)

    def count(self, room_ms: int) -> int:
        """How many answers fall within `room_ms` of the first."""
        return bisect.bisect_right(self.offsets, room_ms, 0, len(self.offsets) - 1)


def plan_histories(cards: int, total: int, days: int, now_ms: int, seed: int) -> list[tuple[Schedule, int]]:
    """(schedule, first answer time) per card: first answers spread evenly over `days`, the growth of intervals
    calibrated so the answers come to about `total`, then a few first answers moved (later or earlier) so that
    they come to exactly `total`."""
    horizon = days * DAY_MS
    starts_rng = random.Random(seed)
    starts = [now_ms - MINUTE_MS - int(starts_rng.random() * (horizon - 2 * MINUTE_MS)) for _ in range(cards)]

    def simulate(growth: float, sample: int) -> tuple[list[Schedule], int]:
        schedules = [Schedule(random.Random(seed * 1_000_003 + i), growth, horizon) for i in range(sample)]
        answered = sum(s.count(now_ms - starts[i]) for i, s in enumerate(schedules))
        return schedules, answered * cards // sample

    low, high = 1.05, 4.0
    for _ in range(14):  # answers fall as growth rises
        middle = (low + high) / 2
        _, answered = simulate(middle, min(cards, 4000))
        low, high = (middle, high) if answered > total else (low, middle)
    schedules, _ = simulate((low + high) / 2, cards)
    counts = [s.count(now_ms - starts[i]) for i, s in enumerate(schedules)]
    left = sum(counts) - total
    rng = random.Random(seed + 1)
    while left:
        i = rng.randrange(cards)
        if left > 0:  # start later: fewer answers by now
            moved = min(now_ms - MINUTE_MS, starts[i] + int(rng.random() * 60 * DAY_MS))
        else:
            moved = max(now_ms - horizon, starts[i] - int(rng.random() * 60 * DAY_MS))
        count = schedules[i].count(now_ms - moved)
        change = count - counts[i]
        if change and (0 < -change <= left if left > 0 else 0 < change <= -left):
            starts[i], counts[i] = moved, count
            left += change
    return [(schedules[i], starts[i]) for i in range(cards)]


def review_rows(pid: int, plans: dict[int, History], kinds: dict[int, str], rng: random.Random
                ) -> Iterator[tuple[object, ...]]:
    """Every answer of one profile in time order, with the card state before and after each (as
    `Store.record_answer` writes them); at the end `final` holds each card's state."""
    import heapq

    heap = [(plan.times[0], qid, 0) for qid, plan in plans.items()]
    heapq.heapify(heap)
    # state: phase, step, stability, difficulty, due, last_review, lapses, reps, leech
    state: dict[int, list[object]] = {qid: [0, None, None, None, None, None, 0, 0, 0] for qid in plans}
    while heap:
        at, qid, i = heapq.heappop(heap)
        plan = plans[qid]
        rating = plan.ratings[i]
        nxt = plan.times[i + 1]  # the next answer, or (after the last) when the card falls due
        before = state[qid]
        phase, step, stability, difficulty, due, last, lapses, reps, leech = before
        if phase == 0:
            new_phase, new_step = 1, (1 if rating == 3 else 0)
            new_stab = {1: 0.2, 2: 1.2, 3: 2.3, 4: 8.3}[rating]
            new_diff = round(rng.uniform(3.0, 8.0), 4)
        elif phase in (1, 3):
            new_phase, new_step = 2, None
            new_stab = round(min(36500.0, float(stability) * 1.1 + 0.5), 4)
            new_diff = difficulty
        elif rating == 1:
            new_phase, new_step = 3, 0
            new_stab = round(max(0.3, float(stability) * 0.35), 4)
            new_diff = round(min(10.0, float(difficulty) + 0.6), 4)
        else:
            new_phase, new_step = 2, None
            new_stab = round(min(36500.0, float(stability) * {2: 1.25, 3: 2.1, 4: 3.2}[rating]), 4)
            new_diff = round(max(1.0, float(difficulty) - (0.15 if rating == 4 else 0.0)), 4)
        new_lapses = lapses + (1 if phase == 2 and rating == 1 else 0)
        new_due = nxt
        became_leech = int(not leech and new_lapses >= 8)
        after = [new_phase, new_step, new_stab, new_diff, new_due, at, new_lapses, reps + 1, leech or became_leech]
        retr = None
        if phase == 2 and last is not None and stability:
            elapsed = max(0, (at - int(last)) // DAY_MS)
            retr = round((1 + 19 / 81 * elapsed / float(stability)) ** -0.5, 4)
        kind = kinds.get(qid, "choice")
        answer = "" if kind == "card" else str(rng.randint(1, 4)) if kind in ("choice", "order") else "an answer"
        correct = None if kind == "card" else int(rating > 1)
        yield (
            pid, qid, at, study_day(at), rating, answer, correct, rng.randint(2500, 30000), retr,
            *before[:8], *after[:8], round((new_due - at) / DAY_MS, 4), became_leech,
        )
        state[qid] = after
        if i + 1 < len(plan.ratings):
            heapq.heappush(heap, (nxt, qid, i + 1))
    review_rows.final = state  # type: ignore[attr-defined]


REVIEW_INSERT = (
    "INSERT INTO reviews(profile_id, qid, reviewed_at, day, rating, answer, correct, duration_ms, retrievability, "
    "phase_before, step_before, stability_before, difficulty_before, due_before, last_review_before, lapses_before, "
    "reps_before, phase_after, step_after, stability_after, difficulty_after, due_after, last_review_after, "
    "lapses_after, reps_after, interval_days, became_leech) VALUES (" + ", ".join("?" * 27) + ")"
)
CARD_INSERT = (
    "INSERT INTO cards(profile_id, qid, phase, step, stability, difficulty, due, last_review, lapses, reps, "
    "suspended, buried_until, leech) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def write_database(path: Path, bank_dir: Path, rng: random.Random) -> dict[str, object]:
    from quiz.bank import load_bank
    from quiz.store import Store, to_ms
    from quiz.workspace import sync_entries

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    timings: dict[str, object] = {}
    start = time.perf_counter()
    result = load_bank([bank_dir], builtin=False, cache_dir=None)
    timings["bank_load_s"] = round(time.perf_counter() - start, 2)
    print(f"  loaded the bank in {timings['bank_load_s']} s", file=sys.stderr)
    if result.errors:
        raise SystemExit(f"generated bank has errors, first: {result.errors[0].line()}")
    bank = result.bank
    now_ms = to_ms(NOW)
    with Store.open(path, now=NOW) as store:
        store.sync_questions(sync_entries(bank), NOW)
        names = [MAIN_PROFILE] + [f"p{i:02d}" for i in range(1, SMALL_PROFILES + 1)]
        for name in names:
            store.ensure_profile(name, NOW - timedelta(days=HISTORY_DAYS + 1))
        conn = store.conn
        qids = dict(conn.execute("SELECT id, qid FROM questions"))
        pids = dict(conn.execute("SELECT name, id FROM profiles"))
    kinds = {qids[q.id]: q.kind.value for q in bank.questions}
    all_qids = sorted(qids.values())
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    conn.execute("PRAGMA foreign_keys = ON")
    start = time.perf_counter()
    total = 0
    for name in names:
        main = name == MAIN_PROFILE
        cards = len(all_qids) if main else SMALL_CARDS
        reviews = MAIN_REVIEWS if main else SMALL_REVIEWS
        days = HISTORY_DAYS if main else 365
        chosen = all_qids if main else rng.sample(all_qids, cards)
        planned = plan_histories(cards, reviews, days, now_ms, seed=rng.randrange(1 << 30))
        plans = {}
        for qid, (schedule, start) in zip(chosen, planned, strict=True):
            k = schedule.count(now_ms - start)
            times = array("q", (start + o for o in schedule.offsets[:k + 1]))  # the last: when it falls due next
            plans[qid] = History(times, schedule.ratings[:k])
        conn.execute("BEGIN")
        rows = review_rows(pids[name], plans, kinds, rng)
        while True:
            chunk = [row for _, row in zip(range(50_000), rows, strict=False)]
            if not chunk:
                break
            conn.executemany(REVIEW_INSERT, chunk)
            total += len(chunk)
        final = review_rows.final  # type: ignore[attr-defined]
        suspended = set(rng.sample(chosen, len(chosen) // 200))
        conn.executemany(CARD_INSERT, (
            (pids[name], qid, *s[:8], int(qid in suspended), None, s[8]) for qid, s in final.items()
        ))
        conn.execute("COMMIT")
    timings["reviews_insert_s"] = round(time.perf_counter() - start, 1)
    conn.close()
    timings["reviews"] = total
    timings["questions"] = len(bank.questions)
    return timings


# --- main ---------------------------------------------------------------------------------------------------------


def is_current(out: Path) -> bool:
    try:
        meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (meta.get("format") == FORMAT and (out / "large.db").exists() and (out / "bank" / "eras.yaml").exists()
            and (out / "bank-export" / "eras.yaml").exists())


def generate(out: Path = DATA, seed: int = 8, force: bool = False, quiet: bool = False) -> dict[str, object]:
    if not force and is_current(out):
        return json.loads((out / "meta.json").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "meta.json").unlink(missing_ok=True)
    rng = random.Random(seed)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    start = time.perf_counter()
    say("generating the 100k-question bank ...")
    bank = write_bank(out / "bank", rng)
    bank["bytes"] = sum(p.stat().st_size for p in (out / "bank").glob("*.yaml"))
    export = out / "bank-export"  # eras.yaml and the first EXPORT_ERAS eras: about 10,000 notes in two languages
    export.mkdir(exist_ok=True)
    for old in export.glob("*.yaml"):
        old.unlink()
    for name in ["eras.yaml"] + [f"era-{i:03d}.yaml" for i in range(EXPORT_ERAS)]:
        shutil.copyfile(out / "bank" / name, export / name)
    bank["seconds"] = round(time.perf_counter() - start, 1)
    say(f"  {bank['hand_written']} hand-written + {bank['generated']} generated, {bank['bytes'] / 1e6:.1f} MB "
        f"in {bank['seconds']} s")
    start = time.perf_counter()
    say("generating the database (2M reviews + 30 x 5k) ...")
    db = write_database(out / "large.db", out / "bank", rng)
    db["seconds"] = round(time.perf_counter() - start, 1)
    db["bytes"] = (out / "large.db").stat().st_size
    say(f"  {db['reviews']} reviews, {db['bytes'] / 1e6:.0f} MB in {db['seconds']} s")
    meta = {"format": FORMAT, "seed": seed, "now": NOW.isoformat().replace("+00:00", "Z"), "bank": bank,
            "database": db, "main_profile": MAIN_PROFILE}
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--force", action="store_true", help="regenerate even when the data is current")
    parser.add_argument("--growth", action="store_true", help="only print the generator's growth per era")
    args = parser.parse_args()
    if args.growth:
        for row in per_era_growth():
            print(row)
        return
    meta = generate(args.out, args.seed, args.force)
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
