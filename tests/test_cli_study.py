"""`quiz study` and friends end to end through the CLI, with a pinned clock (QUIZ_NOW) and piped answers."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import run_quiz

from quiz.model import CardPhase
from quiz.store import Store

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def typed_bank(n: int) -> str:
    """n typed questions whose answer is 'right' (so a scripted learner knows what to type)."""
    items = []
    for i in range(n):
        items.append(
            f"""
  - id: q{i:02d}
    kind: typed
    era: middle
    prompt: {{ar: "السؤال {i}", en: "Question number {i}"}}
    answer: {{ar: صحيح, en: right}}
    explanation: {{ar: شرح, en: Because.}}
    source: {{doc: doc, para: 1}}"""
        )
    return "questions:" + "".join(items) + "\n"


@pytest.fixture
def bank_dir(tmp_path: Path, write_bank) -> Path:  # type: ignore[no-untyped-def]
    return write_bank(tmp_path / "bank", {"qs.yaml": typed_bank(20)})


@pytest.fixture(autouse=True)
def _study_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_FUZZ", "0")
    monkeypatch.setenv("QUIZ_SEED", "7")


def run(args: list[str], now: datetime, stdin: str = "") -> object:
    return run_quiz(*args, stdin=stdin, now=now.isoformat())


def study(bank: Path, now: datetime, answers: list[str], *extra: str) -> object:
    stdin = "".join(a + "\n" for a in answers)
    return run(["study", "--no-builtin", "--bank", str(bank), "--lang", "en", *extra], now, stdin)


def reviews_of(qid: str) -> list:  # type: ignore[type-arg]
    with Store.open(Path(os.environ["QUIZ_DB"])) as store:
        return store.reviews("default", qid)


def all_reviews() -> list[tuple[str, int, str]]:
    with Store.open(Path(os.environ["QUIZ_DB"])) as store:
        rows = store.conn.execute(
            "SELECT q.id, r.rating, r.day FROM reviews r JOIN questions q ON q.qid = r.qid ORDER BY r.id"
        ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def test_first_day_shows_the_daily_new_limit_and_saves_every_answer(bank_dir: Path) -> None:
    result = study(bank_dir, START, ["right", ""] * 40)
    assert result.exit_code == 0, result.output
    log = all_reviews()
    # 10 new questions a day; each goes through two learning steps (1 min, 10 min), shown early in the session.
    assert len({qid for qid, _, _ in log}) == 10
    assert "Left: 10 new · 0 learning · 0 review" in result.output
    assert "Session summary" in result.output
    assert all(rating == 3 for _, rating, _ in log)


def test_a_missed_question_comes_back_in_the_same_session(bank_dir: Path) -> None:
    result = study(bank_dir, START, ["wrong", ""] + ["right", ""] * 40, "--new", "2")
    assert result.exit_code == 0, result.output
    log = all_reviews()
    first = log[0][0]
    ratings = [rating for qid, rating, _ in log if qid == first]
    assert ratings[0] == 1  # Again
    assert len(ratings) >= 2  # it came back in this session
    assert "Not quite." in result.output
    assert "Answer: right" in result.output


def test_limits_and_intervals_over_thirty_days(bank_dir: Path) -> None:
    """A learner who answers everything right every day: intervals grow, daily limits hold."""
    for day in range(30):
        now = START + timedelta(days=day)
        result = study(bank_dir, now, ["right", ""] * 80)
        assert result.exit_code == 0, result.output
    log = all_reviews()
    per_day_new: dict[str, set[str]] = {}
    seen: set[str] = set()
    for qid, _, day in log:
        if qid not in seen:
            per_day_new.setdefault(day, set()).add(qid)
            seen.add(qid)
    assert len(seen) == 20
    assert all(len(ids) <= 10 for ids in per_day_new.values())
    intervals = [r.interval_days for r in reviews_of("q00") if r.review.after.phase is CardPhase.REVIEW]
    assert len(intervals) >= 3
    assert intervals == sorted(intervals) and intervals[-1] > intervals[0]


def test_a_lapse_shrinks_the_interval(tmp_path: Path, write_bank) -> None:  # type: ignore[no-untyped-def]
    bank_dir = write_bank(tmp_path / "one", {"qs.yaml": typed_bank(1)})
    for day in range(12):
        study(bank_dir, START + timedelta(days=day), ["right", ""] * 80, "--new", "1")
    before = reviews_of("q00")[-1].interval_days
    # Next time q00 is due, get it wrong.
    with Store.open(Path(os.environ["QUIZ_DB"])) as store:
        due = store.card("default", "q00").due
    assert due is not None
    result = study(bank_dir, due + timedelta(minutes=1), ["wrong", "", "right", "", "right", ""], "--new", "0")
    assert result.exit_code == 0, result.output
    lapse = [r for r in reviews_of("q00") if r.review.rating == 1][-1]
    assert lapse.review.after.phase is CardPhase.RELEARNING
    assert lapse.review.after.lapses == 1
    later = [r for r in reviews_of("q00") if r.review.before.phase is CardPhase.RELEARNING]
    assert later and later[-1].interval_days < before


def test_undo_restores_the_card_exactly(bank_dir: Path) -> None:
    study(bank_dir, START, ["right", ""], "--new", "1")
    with Store.open(Path(os.environ["QUIZ_DB"])) as store:
        before = store.card("default", "q00")
        count = len(store.reviews("default", "q00"))
    result = study(bank_dir, START + timedelta(minutes=30), ["right", "u", "q"], "--new", "0")
    assert "Undone" in result.output
    with Store.open(Path(os.environ["QUIZ_DB"])) as store:
        assert store.card("default", "q00") == before
        assert len(store.reviews("default", "q00")) == count


def test_rating_override_replaces_the_suggested_rating(bank_dir: Path) -> None:
    study(bank_dir, START, ["right", "4", "q"], "--new", "1")
    log = all_reviews()
    assert [rating for _, rating, _ in log] == [4]


def test_nothing_due_says_when_and_exits_zero(bank_dir: Path) -> None:
    study(bank_dir, START, ["right", ""] * 80, "--new", "1")
    result = study(bank_dir, START + timedelta(hours=2), [], "--new", "0")
    assert result.exit_code == 0
    assert "Nothing is due now. Next question:" in result.output


def test_end_of_input_ends_cleanly_with_a_summary(bank_dir: Path) -> None:
    result = study(bank_dir, START, ["right"])
    assert result.exit_code == 0
    assert "Session summary" in result.output
    assert len(all_reviews()) == 1


def test_skip_buries_until_tomorrow(bank_dir: Path) -> None:
    result = study(bank_dir, START, ["s", "q"], "--new", "1")
    assert "Skipped until tomorrow." in result.output
    again = study(bank_dir, START + timedelta(hours=1), ["q"], "--new", "1")
    assert "Question number 0" not in again.output


def test_due_json(bank_dir: Path) -> None:
    result = run(["due", "--json", "--no-builtin", "--bank", str(bank_dir)], START)
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "profile": "default", "due": 0, "new": 10, "learning": 0, "next_due": None, "streak": 0,
    }
    study(bank_dir, START, ["wrong"], "--new", "1")
    data = json.loads(run(["due", "--json", "--no-builtin", "--bank", str(bank_dir)], START).output)
    assert data["learning"] == 0 and data["new"] == 9 and data["streak"] == 1
    assert data["next_due"] == (START + timedelta(minutes=1)).isoformat().replace("+00:00", "Z")


def test_profiles_are_separate(bank_dir: Path) -> None:
    study(bank_dir, START, ["right", ""] * 4, "--new", "2", "--profile", "amal")
    result = run(["due", "--json", "--no-builtin", "--bank", str(bank_dir), "--profile", "omar"], START)
    assert json.loads(result.output)["new"] == 10


def test_config_changes_the_daily_new_limit(bank_dir: Path) -> None:
    assert run(["config", "new_per_day", "3"], START).exit_code == 0
    result = run(["due", "--json", "--no-builtin", "--bank", str(bank_dir)], START)
    assert json.loads(result.output)["new"] == 3
    bad = run(["config", "new_per_day", "lots"], START)
    assert bad.exit_code == 2
    assert bad.stderr == "Error: new_per_day: 'lots' is not a whole number; new questions introduced per day\n"
    typo = run(["config", "new_per_dya", "3"], START)
    assert typo.exit_code == 2 and typo.stderr.startswith(
        "Error: unknown setting 'new_per_dya' (did you mean 'new_per_day'?); settings are: new_per_day, ")
    negative = run(["config", "new_per_day", "-5"], START)  # a negative number is a value, not an option
    assert negative.stderr == "Error: new_per_day: '-5' must be from 0 to 9999; new questions introduced per day\n"


def test_suspend_and_reset(bank_dir: Path) -> None:
    common = ["--no-builtin", "--bank", str(bank_dir)]
    assert run(["suspend", "q00", *common], START).exit_code == 0
    assert json.loads(run(["due", "--json", *common], START).output)["new"] == 10
    study(bank_dir, START, ["right", ""] * 2, "--new", "1")
    assert "Question number 0" not in study(bank_dir, START, ["q"], "--new", "1").output
    missing = run(["suspend", "nope", *common], START)
    assert missing.exit_code == 1
    assert missing.stderr == "Error: no question with id 'nope' (see 'quiz list')\n"
    refused = run(["reset", "--all", *common], START)
    assert refused.exit_code == 2
    assert refused.stderr.startswith("Error: reset all progress of profile 'default': confirm with --yes")
    assert run(["reset", "--all", "--yes", *common], START).exit_code == 0


def test_bad_clock_and_language_are_usage_errors(bank_dir: Path) -> None:
    bad = run_quiz("due", now="yesterday")
    assert bad.exit_code == 2
    assert bad.stderr == "Error: QUIZ_NOW: 'yesterday' is not an ISO 8601 time (example: 2026-11-22T09:00:00Z)\n"
    lang = run(["study", "--lang", "fr", "--no-builtin", "--bank", str(bank_dir)], START)
    assert lang.exit_code == 2
    assert lang.stderr == "Error: --lang: 'fr' is not a language; use ar, en, both\n"


def test_bare_quiz_shows_status(bank_dir: Path) -> None:
    result = run([], START)
    assert result.exit_code == 0
    assert "Due now:" in result.output and "quiz study" in result.output


def test_arabic_interface(bank_dir: Path) -> None:
    result = study(bank_dir, START, [], "--lang", "ar")
    result = run(["study", "--no-builtin", "--bank", str(bank_dir), "--lang", "ar", "--bidi", "off"], START,
                 "صحيح\n\nq\n")
    assert result.exit_code == 0, result.output
    assert "المتبقي — جديد: 10 · قيد التعلّم: 0 · للمراجعة: 0" in result.output
    assert "إجابة صحيحة!" in result.output
    assert "ملخص الجلسة" in result.output


def test_both_languages_accept_an_answer_in_either(bank_dir: Path) -> None:
    result = run(["study", "--no-builtin", "--bank", str(bank_dir), "--lang", "both", "--bidi", "off", "--new", "2"],
                 START, "صحيح\n\nright\n\nq\n")
    assert result.exit_code == 0, result.output
    assert [rating for _, rating, _ in all_reviews()] == [3, 3]
    assert "Question number 0" in result.output and "السؤال 0" in result.output


def test_help_lists_study_first() -> None:
    result = run_quiz("--help", prog_name="quiz")
    assert result.exit_code == 0
    commands = [line.split()[0] for line in result.output.split("Commands:", 1)[1].splitlines() if line.strip()]
    assert commands[:3] == ["study", "due", "stats"]
    assert commands[-4:] == ["init-bank", "add", "import", "derive"]
