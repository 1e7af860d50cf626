"""`quiz stats`, `quiz history` and `quiz optimize` through Typer's CliRunner: exact JSON, the figures on screen in
English and Arabic, exit codes and exact errors. The learner is test_stats' hand-computed history; time is pinned
(QUIZ_NOW, QUIZ_TZ=UTC)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_quiz
from test_optimizer import synthetic_log
from test_stats import EXPECTED_JSON_7D, build_history
from typer.testing import Result

from quiz.bank import load_bank
from quiz.clock import study_day
from quiz.model import Rating
from quiz.scheduler import Scheduler, SchedulerConfig
from quiz.store import Store, from_ms
from quiz.workspace import sync_entries

WriteBank = Callable[..., Path]
NOW = "2026-11-22T09:00:00Z"
ERAS = {"q1": "early", "q2": "early", "q8": "early", "q3": "middle", "q4": "middle", "q5": "late", "q6": "late",
        "q7": "late"}


def question(qid: str, era: str) -> str:
    return f"""\
  - id: {qid}
    kind: card
    era: {era}
    prompt: {{ar: سؤال {qid}, en: Question {qid}?}}
    answer: {{ar: جواب, en: Answer}}
    explanation: {{ar: شرح, en: Because.}}
    source: {{doc: doc}}
"""


@pytest.fixture
def bank(tmp_path: Path, write_bank: WriteBank) -> Path:
    return write_bank(tmp_path / "bank", {"q.yaml": "questions:\n" + "".join(question(q, e) for q, e in ERAS.items())})


@pytest.fixture
def learner(bank: Path) -> Path:
    """The database of QUIZ_DB with ana's history, the bank synced as the CLI syncs it."""
    loaded = load_bank([bank], builtin=False)
    assert not loaded.errors
    path = Path(os.environ["QUIZ_DB"])
    with Store.open(path) as store:
        store.sync_questions(sync_entries(loaded.bank), from_ms(0))
        build_history(store)
    return path


def run(bank: Path, *args: str, now: str = NOW, columns: int = 100) -> Result:
    return run_quiz(*args, "--no-builtin", "--bank", bank, prog_name="quiz", now=now, env={"COLUMNS": str(columns)})


def lines(result: Result) -> list[str]:
    return [line.rstrip() for line in result.stdout.splitlines()]


# --- quiz stats -----------------------------------------------------------------------------------------------------


def test_stats_json_is_exact(bank: Path, learner: Path) -> None:
    result = run(bank, "stats", "--json", "--days", "7", "--profile", "ana")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == json.dumps(EXPECTED_JSON_7D, ensure_ascii=False) + "\n"


def test_stats_json_for_one_era(bank: Path, learner: Path) -> None:
    result = run(bank, "stats", "--json", "--era", "middle", "--profile", "ana")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["era"], doc["reviews_total"], doc["due_today"], doc["streak_days"]) == ("middle", 4, 2, 3)
    assert doc["eras"] == {"middle": {"new": 0, "learning": 1, "young": 1, "mature": 0}}
    assert len(doc["heatmap"]) == 182 and len(doc["forecast"]) == 30


SCREEN = """\
Progress of ana
Today: 3 due · 2 done · 2 new learned · streak: 3 days

Answers per day, last 26 weeks: 18 answers on 9 of 182 days
      Jun     Jul     Aug       Sep     Oct     Nov
Mon · · · · · · · · · · · · · · · · · · · · · · · · · ░
    · · · · · · · · · · · · · · · · · · · · · · · · ▒ ▒
Wed · · · · · · · · · · · · · · · · · · · · · · · · · ▓
    · · · · · · · · · · · · · · · · · · ░ · · · · · · ·
Fri · · · · · · · · · · · · · · · · · · · · · · ▒ · · █
    · · · · · · · · · · · · · · · · · · · · · · · · · ░
    · · · · · · · · · · · · · · · · · · · · · · · · · ▒
    less · ░ ▒ ▓ █ more

True retention (answers to cards in review, recalled)
  last 7 days   40.0%  (5 reviews)
  last 30 days  33.3%  (6 reviews)
  desired       90.0%

Due in the next 30 days: 6 (today 3, next 7 days 2)
3 ██
  ██
  ██
  ██▅▅▅▅                                    ▅▅
  ██████                                    ██
  ┬─────────────┬─────────────┬─────────────┬─────────────┬───
  0             7             14            21            28

Mastery by era
era                                             new  learning  young  mature
The early era   ██████████▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓    0         0      2       1
The middle era  ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒    0         1      1       0
The late era    ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓░░░░░░░░░░    1         0      2       0
  █ mature  ▓ young  ▒ learning  ░ new
  mature: interval of 21 days or more

Hardest questions
  Most forgotten
    q8  Question q8?                                  2 lapses  leech
    q1  Question q1?                                   1 lapse
    q3  Question q3?                                   1 lapse
  Leeches: 1
  Lowest recall now
    q8  Question q8?                                   72.1%
    q2  Question q2?                                   94.0%
    q3  Question q3?                                   95.0%
    q1  Question q1?                                   98.3%
    q5  Question q5?                                  100.0%

Time spent
  today 20 s · last 7 days 1 min · all time 3 min (19 answers)
"""


def test_stats_on_screen(bank: Path, learner: Path) -> None:
    """Every figure of the hand-computed history, as drawn (the 16th-22nd are the last column of the calendar:
    1, 2, 3, 0, 4, 1, 2 answers; the forecast has 3 today, 1 tomorrow, 1 the day after and 1 on day 21)."""
    result = run(bank, "stats", "--profile", "ana", "--lang", "en")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "\n".join(lines(result)) + "\n" == SCREEN


def test_stats_in_arabic(bank: Path, learner: Path) -> None:
    result = run(bank, "stats", "--profile", "ana", "--lang", "ar")
    assert (result.exit_code, result.stderr) == (0, "")
    out = lines(result)
    assert out[:2] == ["تقدّم ana", "اليوم — المستحق: 3 · أنجزت 2 · تعلّمت سؤالين جديدين · أيام متتالية: 3 أيام"]
    assert "الإجابات يوميًا، آخر 26 أسبوعًا: 18 إجابة في 9 من 182 يومًا" in out
    assert "  آخر 7 أيام   40.0%  (5 مراجعات)" in out
    assert out[4] == "5 6       7       8         9       10      11"  # month numbers: no letters in the calendar
    assert "الإتقان حسب الحقبة" in out and any(line.startswith("المرحلة الأولى") for line in out)
    assert [line.split() for line in out if line.startswith("    q")][:3] == [
        ["q8", "سؤال", "q8", "نُسي", "مرتين", "مستعصٍ"], ["q1", "سؤال", "q1", "نُسي", "مرة", "واحدة"],
        ["q3", "سؤال", "q3", "نُسي", "مرة", "واحدة"]]
    assert out[-2:] == ["الوقت المستغرق", "  اليوم 20 ث · آخر 7 أيام 1 د · الإجمالي 3 د (19 إجابة)"]
    assert not any("Mon" in line for line in out)  # the calendar has no letters in Arabic


def test_stats_of_a_new_learner(bank: Path) -> None:
    result = run(bank, "stats")
    assert (result.exit_code, result.stderr) == (0, "")
    assert lines(result)[:4] == ["Progress of default", "Today: 0 due · 0 done · 0 new learned · streak: 0 days", "",
                                 "No answers yet: run `quiz study` to start."]
    doc = json.loads(run(bank, "stats", "--json").stdout)
    assert (doc["reviews_total"], doc["retention_30d"], doc["forecast"]) == (0, None, [0] * 30)
    assert doc["eras"]["late"] == {"new": 3, "learning": 0, "young": 0, "mature": 0}


def test_stats_usage_errors(bank: Path) -> None:
    result = run(bank, "stats", "--era", "nope")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: --era: unknown era 'nope'; use one of: early, middle, late\n"
    result = run(bank, "stats", "--days", "3")
    assert result.exit_code == 2 and "--days" in result.stderr and "Traceback" not in result.output


def test_stats_narrow_terminal(bank: Path, learner: Path) -> None:
    result = run(bank, "stats", "--profile", "ana", columns=60)
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in lines(result)) <= 60


# --- quiz history ---------------------------------------------------------------------------------------------------


def test_history_json(bank: Path, learner: Path) -> None:
    result = run(bank, "history", "q3", "--json", "--profile", "ana")
    assert (result.exit_code, result.stderr) == (0, "")
    doc = json.loads(result.stdout)
    assert (doc["profile"], doc["id"]) == ("ana", "q3")
    assert doc["reviews"] == [
        {"at": "2026-11-20T20:00:00Z", "day": "2026-11-20", "answer": "answer 4", "correct": True, "rating": 4,
         "interval_days": 8.0, "stability": 8.0, "retrievability": None, "duration_ms": 7000},
        {"at": "2026-11-21T03:30:00Z", "day": "2026-11-20", "answer": "answer 1", "correct": False, "rating": 1,
         "interval_days": 0.0069, "stability": 2.0, "retrievability": 1.0, "duration_ms": 11000},
        {"at": "2026-11-21T03:45:00Z", "day": "2026-11-20", "answer": "answer 3", "correct": True, "rating": 3,
         "interval_days": 2.0, "stability": 2.5, "retrievability": 1.0, "duration_ms": 4000},
    ]


def test_history_on_screen(bank: Path, learner: Path) -> None:
    result = run(bank, "history", "q1", "--profile", "ana", "--lang", "en")
    assert (result.exit_code, result.stderr) == (0, "")
    out = lines(result)
    assert out == [
        "History of q1",
        "Question q1?",
        "when              answer      rating  interval  stability (d)  recall then",
        "2026-03-01 10:00  ✔ answer 3  Good      2 days            2.0            —",
        "2026-10-01 10:00  ✔ answer 3  Good     20 days           20.0        48.7%",
        "2026-10-30 10:00  ✘ answer 1  Again     10 min            5.0        87.3%",
        "2026-10-30 10:10  ✔ answer 3  Good      3 days            5.0       100.0%",
        "2026-11-18 10:00  ✔ answer 3  Good     25 days           25.0        79.2%",
        "5 answers",
    ]
    arabic = lines(run(bank, "history", "q1", "--profile", "ana", "--lang", "ar"))
    assert arabic[0] == "سجلّ السؤال q1" and arabic[-1] == "5 إجابات"


def test_history_of_a_question_never_answered_or_unknown(bank: Path, learner: Path) -> None:
    result = run(bank, "history", "q6", "--profile", "ana")
    assert (result.exit_code, lines(result)[-1]) == (0, "No answers to q6 yet.")
    result = run(bank, "history", "q9", "--profile", "ana")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: no question with id 'q9' (see 'quiz list')\n"


# --- quiz optimize --------------------------------------------------------------------------------------------------


def optimize(*args: str) -> Result:
    return run_quiz("optimize", *args, prog_name="quiz", now=NOW, env={"COLUMNS": "100"})


def test_optimize_needs_enough_reviews(learner: Path) -> None:
    result = optimize("--profile", "ana")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "Not enough reviews to fit your own parameters yet: 5 usable of 400 needed (a usable review comes at \n"
        "least a day after the question's previous answer; 19 answers in all). The default parameters stay.\n")
    doc = json.loads(optimize("--profile", "ana", "--json").stdout)
    assert doc == {"profile": "ana", "dry_run": False, "reviews": 19, "usable_reviews": 5, "needed": 400,
                   "enough": False, "train": 0, "test": 0, "split_at": None, "default": None, "current": None,
                   "fitted": None, "parameters": None, "better": False, "saved": False}
    arabic = " ".join(optimize("--profile", "ana", "--lang", "ar").stdout.split())
    assert arabic == ("لا توجد بعدُ مراجعات كافية لضبط معاملاتك الخاصة: الصالح منها 5، والمطلوب 400 (المراجعة "
                      "الصالحة هي التي تأتي بعد يوم على الأقل من آخر إجابة عن السؤال نفسه؛ وعدد الإجابات كلها: 19). "
                      "ستبقى المعاملات الافتراضية.")


@pytest.fixture
def long_log() -> Path:
    """The synthetic learner of test_optimizer (who forgets faster than FSRS's defaults expect) as profile 'sam'."""
    path = Path(os.environ["QUIZ_DB"])
    log = synthetic_log()
    scheduler = Scheduler(SchedulerConfig(fuzz=False))
    with Store.open(path) as store:
        store.conn.execute("PRAGMA synchronous = OFF")
        store.sync_questions([(f"c{c}", "h", "early", "card") for c in sorted({e.card for e in log})],  # type: ignore[type-var]
                             from_ms(0))
        for entry in sorted(log, key=lambda e: (e.card, e.at_ms)):  # type: ignore[arg-type]
            qid, moment = f"c{entry.card}", from_ms(entry.at_ms)
            before = store.card("sam", qid)
            store.record_answer("sam", qid, before=before, after=scheduler.review(before, Rating(entry.rating), moment),
                                rating=Rating(entry.rating), answer="", correct=None, duration_ms=0,
                                reviewed_at=moment, day=study_day(moment).isoformat(), retrievability=None)
    return path


def test_optimize_dry_run_then_save(long_log: Path) -> None:
    result = optimize("--profile", "sam", "--dry-run")
    assert (result.exit_code, result.stderr) == (0, "")
    text = " ".join(result.stdout.split())
    assert text.startswith("2280 answers, 1567 usable reviews: fitted on the earlier 1254, tested on the later 313 "
                           "(from 2025-04-27). parameters log loss RMSE (bins) AUC default 0.")
    assert " fitted 0." in text and " current " not in text
    assert text.endswith("The fitted parameters predict better; not saved (--dry-run).")
    with Store.open(long_log) as store:
        assert store.settings("sam") == {}

    result = optimize("--profile", "sam", "--json")
    doc = json.loads(result.stdout)
    assert (doc["better"], doc["saved"], doc["test"]) == (True, True, 313)
    assert doc["fitted"]["log_loss"] < doc["default"]["log_loss"]
    with Store.open(long_log) as store:
        assert json.loads(store.settings("sam")["fsrs_parameters"]) == doc["parameters"]

    again = " ".join(optimize("--profile", "sam").stdout.split())  # now the saved ones are to beat as well
    assert " default 0." in again and " current 0." in again and " fitted 0." in again
    assert again.endswith("The fitted parameters do not predict better on the later reviews: nothing was changed.")


@pytest.mark.parametrize(("days", "arabic", "english"), [
    ("7", "الإجابات يوميًا، آخر أسبوع: 13 إجابة في 6 من 7 أيام",
     "Answers per day, last week: 13 answers on 6 of 7 days"),
    ("14", "الإجابات يوميًا، آخر أسبوعين: 15 إجابة في 7 من 14 يومًا",
     "Answers per day, last 2 weeks: 15 answers on 7 of 14 days"),
    ("800", "الإجابات يوميًا، آخر 114 أسبوعًا: 19 إجابة في 10 من 800 يوم",
     "Answers per day, last 114 weeks: 19 answers on 10 of 800 days"),
])
def test_the_heatmap_title_counts_in_arabic(bank: Path, learner: Path, days: str, arabic: str, english: str) -> None:
    shown = {lang: lines(run(bank, "stats", "--profile", "ana", "--days", days, "--lang", lang, columns=300))
             for lang in ("ar", "en")}
    assert arabic in shown["ar"] and english in shown["en"], (shown["ar"][3], shown["en"][3])
