"""Simulate a learner studying the built-in bank for 60 days, then show `quiz stats` on that history.

    python bench/simulate_learner.py [--db PATH] [--days 60] [--seed 7] [--lang en|ar]

Every answer goes through the real code: `quiz.workspace` (bank sync, settings), `quiz.session` (the queue,
learning steps, daily limits, grading of the typed reply), `quiz.scheduler` and `quiz.store` — only the clock is
simulated (each sitting starts at a pinned time; each answer takes 4–30 s). The learner recalls a review card with
FSRS's own predicted probability raised to a per-question difficulty, gets a new question right 40% of the time,
and skips about one day in eight (plus a three-day break in the middle). At the end it runs `quiz stats` as the
learner would right after the last session (QUIZ_NOW pinned, QUIZ_TZ=UTC) and prints it.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quiz import clock  # noqa: E402
from quiz.bank import load_bank  # noqa: E402
from quiz.model import CardPhase, Kind, Question, Rating  # noqa: E402
from quiz.session import Feedback, Limits, Presented, new_session  # noqa: E402
from quiz.workspace import open_workspace  # noqa: E402

START = datetime(2026, 9, 23, tzinfo=timezone.utc)
UTC = timezone.utc


def reply_for(presented: Presented, right: bool, rng: random.Random) -> str:
    """What the learner types: the right answer, or a wrong one, for the question's kind."""
    question: Question = presented.question
    shown = presented.shown_order
    if question.kind is Kind.CHOICE:
        correct = next(pos for pos, index in enumerate(shown) if question.choices[index] == question.answer)
        wrong = [pos for pos in range(len(shown)) if pos != correct]
        return str((correct if right else rng.choice(wrong)) + 1)
    if question.kind is Kind.TRUEFALSE:
        return "t" if bool(question.truth) == right else "f"
    if question.kind is Kind.ORDER:
        positions = [shown.index(k) + 1 for k in range(len(shown))]
        if not right:
            positions = positions[::-1]
        return " ".join(str(p) for p in positions)
    return question.answer.en if right else "no idea"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/quiz-sim-60d.db"))
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--width", type=int, default=100)
    args = parser.parse_args()
    os.environ["QUIZ_TZ"] = "UTC"
    for suffix in ("", "-wal", "-shm"):
        Path(str(args.db) + suffix).unlink(missing_ok=True)
    rng = random.Random(args.seed)
    loaded = load_bank(builtin=True)
    if loaded.errors:
        sys.exit(f"the built-in bank has errors: {loaded.errors[0]}")
    bank = loaded.bank
    difficulty = {q.id: rng.uniform(0.5, 1.6) for q in bank.questions}
    answers = 0
    last_answer = START
    break_days = {args.days // 2, args.days // 2 + 1, args.days // 2 + 2}
    with open_workspace(args.db, bank, "default", START) as ws:
        ws.store.set_setting("default", "new_per_day", "5")
        scheduler = ws.scheduler()
        for day in range(args.days):
            if day in break_days or (day < args.days - 12 and rng.random() < 0.12):
                continue
            now = START + timedelta(days=day, hours=rng.choice((7, 8, 12, 18, 21)), minutes=rng.randrange(60))
            study_day, day_end = ws.day(now)
            settings = ws.settings
            session = new_session(
                ws.store, bank, scheduler, profile="default", lang="en", now=now, day=study_day, day_end=day_end,
                only=None, limits=Limits(settings.new_per_day, settings.reviews_per_day), rng=rng,
            )
            while True:
                presented = session.next_question(now)
                if presented is None:
                    break
                state = presented.state
                if state.phase is CardPhase.REVIEW:
                    recall = scheduler.retrievability(state, now) or 0.0
                    right = rng.random() < recall ** difficulty[state.question_id]
                elif state.phase is CardPhase.NEW:
                    right = rng.random() < 0.4
                else:
                    right = rng.random() < 0.8
                now += timedelta(seconds=rng.uniform(4, 30))
                if presented.question.kind is Kind.CARD:
                    session.rate_card(Rating.GOOD if right else Rating.AGAIN, now)
                else:
                    result = session.answer(reply_for(presented, right, rng), now)
                    if not isinstance(result, Feedback):
                        raise SystemExit(f"unexpected {result} for {presented.question.id}")
                answers += 1
                now += timedelta(seconds=rng.uniform(1, 4))
                last_answer = now
    end = last_answer + timedelta(minutes=5)  # the evening of the last day, right after its session
    print(f"{answers} answers over {args.days} days written to {args.db}; `quiz stats` on "
          f"{clock.study_day(end, UTC)}:\n")
    env = {**os.environ, "QUIZ_DB": str(args.db), "QUIZ_NOW": end.isoformat(), "QUIZ_TZ": "UTC",
           "COLUMNS": str(args.width), "QUIZ_LANG": args.lang}
    quiz = Path(sys.executable).with_name("quiz")
    command = [str(quiz)] if quiz.exists() else [sys.executable, "-m", "quiz"]
    subprocess.run([*command, "stats"], env=env, check=True)


if __name__ == "__main__":
    main()
