"""The learner's commands behave like good CLIs (issue 14): QUIZ_LANG=both, bare `quiz` options, help that
reads as written, suspend/reset in both languages, `quiz list --suspended` and piped, `quiz show` progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_quiz

NOW = "2026-03-02T09:00:00Z"
BANK = """questions:
  - id: q00
    kind: typed
    era: middle
    prompt: {ar: "السؤال 0", en: "Question number 0"}
    answer: {ar: صحيح, en: right}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 1}
  - id: q01
    kind: typed
    era: middle
    prompt: {ar: "السؤال 1", en: "Question number 1"}
    answer: {ar: صحيح, en: right}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 1}
"""


@pytest.fixture
def teacher(tmp_path: Path, write_bank, monkeypatch: pytest.MonkeyPatch) -> list[str]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("QUIZ_FUZZ", "0")
    bank = write_bank(tmp_path / "bank", {"qs.yaml": BANK})
    return ["--no-builtin", "--bank", str(bank)]


def run(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> object:
    return run_quiz(*args, now=NOW, env=env, stdin=stdin)


@pytest.mark.parametrize("command", [[], ["due"], ["stats"], ["history", "q00"], ["optimize", "--dry-run"]])
def test_quiz_lang_both_falls_back_to_one_language(command: list[str], teacher: list[str]) -> None:
    extra = teacher if command and command[0] in ("due", "history") else []
    result = run(*command, *extra, env={"QUIZ_LANG": "both", "LANG": "C.UTF-8", "LC_ALL": ""})
    assert (result.exit_code, result.stderr) == (0, ""), result.output  # type: ignore[attr-defined]
    arabic = run(*command, *extra, env={"QUIZ_LANG": "both", "LC_ALL": "ar_EG.UTF-8"})
    assert arabic.exit_code == 0 and any("\u0600" <= ch <= "\u06ff" for ch in arabic.stdout)  # type: ignore[attr-defined]


def test_a_one_language_command_says_what_lang_accepts() -> None:
    result = run("due", "--help")
    assert "ar or en" in " ".join(result.stdout.split())  # type: ignore[attr-defined]
    bad = run("due", "--lang", "both")
    assert (bad.exit_code, bad.stderr) == (2, "Error: --lang: 'both' is not a language; use ar, en\n")  # type: ignore[attr-defined]


def test_bare_quiz_takes_db_profile_and_lang(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "other.db"), "--profile", "ana", "--lang", "ar")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert result.stdout.startswith("المستحق الآن — للمراجعة: 0، قيد التعلّم: 0، جديد: 10.")  # type: ignore[attr-defined]
    assert (tmp_path / "other.db").exists()


def test_help_shows_id_and_the_values_of_kind_and_era() -> None:
    suspend = run_quiz("suspend", "--help", prog_name="quiz").stdout
    assert "Usage: quiz suspend [OPTIONS] ID..." in suspend and "{" not in suspend and "<list" not in suspend
    show = run_quiz("show", "--help", prog_name="quiz").stdout
    assert "Usage: quiz show [OPTIONS] ID\n" in show and "<str>" not in show
    listing = " ".join(run("list", "--help").stdout.split())  # type: ignore[attr-defined]
    assert "choice, typed, truefalse, order, cloze or card" in listing and "c19, world-wars, cold-war" in listing


def test_suspend_says_when_a_question_already_was_and_list_shows_the_suspended(teacher: list[str]) -> None:
    first = run("suspend", "q01", *teacher)
    assert (first.exit_code, first.stdout) == (0, "Suspended 1 question.\n")  # type: ignore[attr-defined]
    again = run("suspend", "q01", *teacher)
    assert again.stdout == "q01 was already suspended.\n"  # type: ignore[attr-defined]
    arabic = run("suspend", "q00", "q01", *teacher, "--lang", "ar")
    assert arabic.stdout == "السؤال q01 معلّق من قبل.\nعُلّق سؤال واحد.\n"  # type: ignore[attr-defined]
    listed = run("list", "--suspended", *teacher, "--lang", "en")
    assert listed.stdout == "q00\ttyped\tmiddle\tQuestion number 0\nq01\ttyped\tmiddle\tQuestion number 1\n"  # type: ignore[attr-defined]
    back = run("unsuspend", "q00", "q01", *teacher, "--lang", "ar")
    assert back.stdout == "أُلغي تعليق سؤالين.\n"  # type: ignore[attr-defined]
    assert run("list", "--suspended", *teacher).stdout == ""  # type: ignore[attr-defined]


def test_reset_counts_without_a_literal_s(teacher: list[str]) -> None:
    run("study", *teacher, "--lang", "en", stdin="right\n\nq\n")
    result = run("reset", "q00", "--yes", *teacher)
    assert (result.exit_code, result.stdout) == (0, "Reset 1 question to new.\n")  # type: ignore[attr-defined]
    arabic = run("reset", "q00", "q01", "--yes", *teacher, "--lang", "ar")
    assert arabic.stdout == "لم يُعَد ضبط أي سؤال.\n"  # type: ignore[attr-defined]
    refused = run("reset", "q00", "q01", *teacher)
    assert refused.stderr == "Error: reset 2 questions: confirm with --yes (no terminal to ask on)\n"  # type: ignore[attr-defined]


def test_show_tells_the_learners_progress(teacher: list[str]) -> None:
    fresh = run("show", "q00", *teacher, "--lang", "en")
    assert "Your progress: new, not studied yet." in fresh.stdout  # type: ignore[attr-defined]
    run("study", *teacher, "--lang", "en", stdin="right\n\nq\n")
    run("suspend", "q00", *teacher)
    shown = run("show", "q00", *teacher, "--lang", "en")
    assert "Your progress: learning · due in 10 min · forgotten: 0 · answers: 1" in shown.stdout  # type: ignore[attr-defined]
    assert "Suspended: `quiz unsuspend q00` schedules it again." in shown.stdout  # type: ignore[attr-defined]
    arabic = run("show", "q00", *teacher, "--lang", "ar")
    assert "تقدّمك: قيد التعلّم · موعده بعد 10 دقائق · مرات النسيان: 0 · الإجابات: 1" in arabic.stdout  # type: ignore[attr-defined]


def test_completion_scripts_for_bash_zsh_and_fish() -> None:
    scripts = (("bash", "_quiz_completion()"), ("zsh", "#compdef quiz"), ("fish", "complete --command quiz"))
    for shell, marker in scripts:
        result = run("completion", shell)
        assert (result.exit_code, result.stderr) == (0, "") and marker in result.stdout  # type: ignore[attr-defined]
    bad = run("completion", "tcsh")
    assert (bad.exit_code, bad.stderr) == (  # type: ignore[attr-defined]
        2, "Error: SHELL: 'tcsh' is not a shell quiz completes; use bash, zsh or fish\n")


@pytest.mark.parametrize(("words", "cword", "expected"), [
    ("quiz st", "1", ["study", "stats"]),
    ("quiz study --li", "2", ["--limit"]),
    ("quiz study --era cr", "3", ["crimea"]),
    ("quiz show alaska-purchase-p", "2", ["alaska-purchase-price"]),
    ("quiz suspend c19-relations-c", "2", ["c19-relations-character"]),
])
def test_completion_of_commands_options_eras_and_question_ids(words: str, cword: str, expected: list[str]) -> None:
    result = run_quiz(env={"_QUIZ_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword},
                      prog_name="quiz")
    assert result.exit_code == 0 and result.stdout.split() == expected, result.output


@pytest.mark.parametrize("command", [["stats"], ["list", "--era", "c19"], ["show", "c19-relations-character"],
                                     ["due", "--lang", "ar"], ["history", "c19-relations-character"]])
def test_an_ascii_output_gets_ascii_stand_ins_not_an_internal_error(command: list[str], tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONIOENCODING="ascii", QUIZ_NOW=NOW, COLUMNS="80")
    result = subprocess.run([sys.executable, "-m", "quiz", *command], env=env, capture_output=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, b""), result.stderr
    assert result.stdout.isascii() and result.stdout


def test_an_ascii_terminal_studies_too(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONIOENCODING="ascii", QUIZ_NOW=NOW, QUIZ_SEED="3", QUIZ_FUZZ="0")
    result = subprocess.run([sys.executable, "-m", "quiz", "study", "--lang", "en", "--new", "1"], input=b"1\n\n",
                            env=env, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("ascii")
    assert "Left: 1 new - 0 learning - 0 review" in out and "Enter = " in out and "+--- Session summary" in out


def test_config_backup_and_restore_speak_arabic(tmp_path: Path) -> None:
    listing = run("config", "--lang", "ar").stdout  # type: ignore[attr-defined]
    assert "new_per_day = 10    # الأسئلة الجديدة في اليوم\n" in listing
    assert run("config", "bidi", "--unset", "--lang", "ar").stdout == "bidi = auto (القيمة الافتراضية)\n"  # type: ignore[attr-defined]
    assert run("config").stdout.startswith("new_per_day = 10    # new questions introduced per day\n")  # type: ignore[attr-defined]
    run("config", "new_per_day", "3")
    copy = tmp_path / "copy.db"
    backed = run("backup", str(copy), "--lang", "ar")
    assert backed.exit_code == 0, backed.output  # type: ignore[attr-defined]
    assert backed.stdout.startswith("نُسخت قاعدة البيانات ") and backed.stdout.endswith(  # type: ignore[attr-defined]
        f" احتياطيًا إلى {copy} (ملف شخصي واحد، لا إجابات).\n")
    restored = run("restore", str(copy), "--lang", "ar")
    assert restored.exit_code == 0, restored.output  # type: ignore[attr-defined]
    assert restored.stdout.startswith("استُعيدت قاعدة البيانات ") and "، وحُفظت قاعدة البيانات السابقة باسم " \
        in restored.stdout  # type: ignore[attr-defined]
