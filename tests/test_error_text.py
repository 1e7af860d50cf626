"""Errors in the interface's language (issue 14): under `--lang ar`, QUIZ_LANG=ar or an Arabic locale, the one
error line is Arabic (`خطأ: …`, the same what / where / how to fix), through the app's one error boundary; English
output is unchanged. Every error the learner's commands raise has its Arabic (checked on the source)."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_quiz
from typer.testing import Result

import quiz.errors
from quiz.error_text import arabic, error_line
from quiz.errors import CacheDamaged

PACKAGE = Path(quiz.errors.__file__).resolve().parent
LEARNER_MODULES = (
    "selection.py", "settings.py", "clock.py", "workspace.py", "backup.py", "scheduler.py", "terminal.py",
    "optimizer/__init__.py", "export/__init__.py", "export/revisions.py", "store/answers.py", "store/backups.py",
    "store/connection.py", "store/failures.py", "cli/options.py", "cli/resolve.py", "cli/study_cmds.py",
    "cli/study_loop.py", "cli/export_cmds.py",
    "cli/completion_cmds.py", "cli/stats_cmds.py", "cli/status_cmds.py", "cli/backup_cmds.py",
    # teachers' tools
    "authoring/add.py", "authoring/derive.py", "authoring/scaffold.py", "authoring/yamledit.py",
    "authoring/importers/eras.py", "authoring/importers/plan.py", "authoring/importers/reading.py",
    "cli/add_cmds.py", "cli/teach_cmds.py", "cli/bank_cmds.py",
)
"""The modules whose errors reach the error boundary: every error they raise has its Arabic. The bank's own
findings (`quiz validate`, a teacher's bank with errors: quiz.bank.rules) stay English: a BankError is shown in
English whole."""
ERRORS = {name for name, value in vars(quiz.errors).items() if isinstance(value, type)
          and issubclass(value, quiz.errors.QuizError)} | {"BadMode"}
COMPOSED = {("settings.py", 'f"{key}: {reason}; {description}"'),
            ("store/backups.py", 'f"{path} {why}; nothing was changed"')}
"""Messages composed of other messages (the calls that give their parts are checked, and they end to end)."""
SAMPLES: dict[str, tuple[str, ...]] = {
    # what a placeholder holds where it is itself words (the rest get a path-like sample)
    "special": ("a socket", "a FIFO (named pipe)", "a device"),
    "what": ("this answer", "the database", "3 questions", "all progress of profile 'ana'"),
    "who": ("another quiz process", "another process (pid 42)"),
    "hint": ("see 'quiz list'", "did you mean 'q1', 'q2'?"),
    "exc.strerror": ("Permission denied",),
    "exc.strerror or exc": ("Permission denied",),
    "shown_name(target)": ("bank/questions.yaml",),
    "spec!r": ("'x'",),
    "era_id!r": ("'X'",),
    "parsed": ("'x' is not a kind; use one of: choice, typed",),
}
MODULE_SAMPLES: dict[str, dict[str, tuple[str, ...]]] = {"settings.py": {"hint": ("", " (did you mean 'bidi'?)")}}


def _texts(node: ast.expr, source: str, samples: dict[str, tuple[str, ...]]) -> Iterator[str]:
    """The messages an expression can give, its formatted values replaced by samples."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        choices: list[tuple[str, ...]] = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                choices.append((str(part.value),))
            else:
                assert isinstance(part, ast.FormattedValue)
                name = ast.get_source_segment(source, part.value) or ""
                choices.append(samples.get(name, ("/tmp/my data/quiz.db",)))
        for combination in itertools.product(*choices):
            yield "".join(combination)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        for left in _texts(node.left, source, samples):
            for right in _texts(node.right, source, samples):
                yield left + right
    else:
        yield "early, late"  # a joined list of names


def raised_messages() -> Iterator[tuple[str, int, str, list[str]]]:
    """(module, line, the message's source, the messages it can give) of every error the learner's modules make."""
    for name in LEARNER_MODULES:
        source = (PACKAGE / name).read_text(encoding="utf-8")
        samples = SAMPLES | MODULE_SAMPLES.get(name, {})
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if func == "refuse" and len(node.args) == 2:
                messages = [f"/tmp/x.db {why}; nothing was changed" for why in _texts(node.args[1], source, samples)]
            elif func in ERRORS and func != "BankError" and isinstance(node.args[0], (ast.Constant, ast.JoinedStr,
                                                                                       ast.BinOp)):
                messages = list(_texts(node.args[0], source, samples))
            else:
                continue
            segment = ast.get_source_segment(source, node.args[-1]) or ""
            if (name, segment) in COMPOSED:
                continue
            for keyword in node.keywords:
                if keyword.arg == "hint":
                    messages += list(_texts(keyword.value, source, samples))
            yield name, node.lineno, segment, messages


def test_the_scan_finds_the_errors_it_checks() -> None:
    found = list(raised_messages())
    assert len(found) > 80
    assert any(name == "selection.py" and "no question with id" in segment for name, _, segment, _ in found)


def test_every_error_of_the_learners_commands_has_its_arabic() -> None:
    missing = [(name, line, message) for name, line, _, messages in raised_messages() for message in messages
               if arabic(message) is None]
    assert missing == []


def test_arabic_parts_are_found_inside_messages() -> None:
    assert arabic("/tmp/My Data/b.db is a directory, not a backup; pass the path of a backup file; nothing was "
                  "changed") == ("المسار /tmp/My Data/b.db مجلد، وليس نسخة احتياطية؛ مرّر مسار ملف نسخة احتياطية؛ "
                                 "لم يتغير شيء")
    assert arabic("/x/quiz.db is a FIFO (named pipe), not a quiz database; pass --db with the path of a file") == (
        "الملف /x/quiz.db أنبوب مسمّى (FIFO)، وليس قاعدة بيانات quiz؛ مرّر --db بمسار ملف")
    assert arabic("cannot write /x/quiz.db (Some new OS error); nothing was changed") == (
        "تعذّرت الكتابة في /x/quiz.db (Some new OS error)؛ لم يتغير شيء")  # an unknown OS reason stays as it is
    assert arabic("/x/q.db is busy: another quiz process kept it locked for 5 seconds; try again") == (
        "قاعدة البيانات /x/q.db مشغولة: أبقاها برنامج quiz آخر مقفلة لمدة 5 ثوانٍ؛ حاول مرة أخرى")
    assert [arabic(f"reset {n} question{'s' if n != 1 else ''}: confirm with --yes (no terminal to ask on)")
            for n in (1, 2, 3, 11, 100)] == [
        f"إعادة ضبط {what}: أكّد ذلك بالخيار --yes (لا توجد طرفية يُسأل فيها)"
        for what in ("سؤال واحد", "سؤالين", "3 أسئلة", "11 سؤالًا", "100 سؤال")]
    assert arabic("no question with id 'q9' (something new)") is None  # a part without Arabic: no Arabic line
    assert arabic("a message nobody translated") is None
    assert error_line(CacheDamaged(Path("/c/bank.cache")).message) == (
        "خطأ: الذاكرة المؤقتة للبنك /c/bank.cache تالفة، وقد حُذفت؛ شغّل الأمر مرة أخرى")
    assert error_line("the folder /x does not exist", where="deck.apkg", hint="create it first") == (
        "خطأ: deck.apkg: المجلد /x غير موجود (أنشئه أولًا)")
    assert error_line("the folder /x does not exist", where="deck.apkg", hint="untranslated hint") is None


# --- end to end ---------------------------------------------------------------------------------------------------


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return run_quiz(*args, prog_name="quiz", now="2026-11-22T09:00:00Z", env=env)


ARABIC_ERRORS = [
    (["history", "nope", "--lang", "ar"], 1, "خطأ: لا يوجد سؤال معرّفه «nope» (انظر `quiz list`)"),
    (["stats", "--era", "nope", "--lang", "ar"], 2,
     "خطأ: --era: لا توجد حقبة «nope»؛ اختر واحدة من: c19، world-wars، cold-war، post-soviet، putin-rise، crimea، "
     "ukraine-war"),
    (["config", "new_per_day", "fifteen", "--lang", "ar"], 2,
     "خطأ: new_per_day: «fifteen» ليس عددًا صحيحًا؛ الأسئلة الجديدة في اليوم"),
    (["config", "new_per_dya", "3", "--lang", "ar"], 2,
     "خطأ: لا يوجد إعداد «new_per_dya» (هل تقصد «new_per_day»؟)؛ الإعدادات هي: new_per_day، reviews_per_day، "
     "desired_retention، maximum_interval، learning_steps، relearning_steps، leech_threshold، fsrs_parameters، "
     "bidi، bury_siblings"),
    (["stats", "--bogus", "--lang", "ar"], 2, "خطأ: لا يوجد خيار --bogus (انظر `quiz stats --help`)"),
    (["stats", "--days", "3", "--lang", "ar"], 2,
     "خطأ: قيمة غير صالحة للخيار '--days': يجب أن تكون القيمة 7 أو أكثر (انظر `quiz stats --help`)"),
    (["reset", "--lang", "ar"], 2, "خطأ: اذكر معرّفات الأسئلة التي تريد إعادة ضبطها، أو مرّر --all"),
    (["--lang", "ar", "suspend", "nope"], 1, "خطأ: لا يوجد سؤال معرّفه «nope» (انظر `quiz list`)"),
    (["studdy", "--lang", "ar"], 2, "خطأ: لا يوجد أمر «studdy». هل تقصد «study»؟ (انظر `quiz --help`)"),
]


@pytest.mark.parametrize(("args", "code", "line"), ARABIC_ERRORS, ids=[" ".join(a[:2]) for a, _, _ in ARABIC_ERRORS])
def test_errors_in_arabic(args: list[str], code: int, line: str) -> None:
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", line + "\n")


def test_english_is_unchanged() -> None:
    assert run("history", "nope").stderr == "Error: no question with id 'nope' (see 'quiz list')\n"
    assert run("history", "nope", "--lang", "en", env={"QUIZ_LANG": "ar"}).stderr == (
        "Error: no question with id 'nope' (see 'quiz list')\n")
    assert run("stats", "--bogus").stderr == "Error: No such option: --bogus (see 'quiz stats --help')\n"
    result = run("config", "new_per_day", "fifteen")
    assert (result.exit_code, result.stderr) == (
        2, "Error: new_per_day: 'fifteen' is not a whole number; new questions introduced per day\n")


def test_quiz_lang_and_the_locale_choose_arabic_too(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    expected = (f"خطأ: المسار {missing} غير موجود؛ مرّر مسار نسخة احتياطية (يكتبها quiz backup بجانب قاعدة البيانات)؛ "
                "لم يتغير شيء\n")
    for env in ({"QUIZ_LANG": "ar"}, {"LANG": "ar_EG.UTF-8"}, {"QUIZ_LANG": "both", "LC_ALL": "ar_SA.UTF-8"}):
        result = run("restore", str(missing), env=env)
        assert (result.exit_code, result.stderr) == (1, expected), env
    assert run("restore", str(missing), env={"QUIZ_LANG": "both"}).stderr.startswith("Error: ")


def test_a_database_error_in_arabic(tmp_path: Path) -> None:
    folder = tmp_path / "db-folder"
    folder.mkdir()
    result = run("stats", "--db", str(folder), "--lang", "ar")
    assert (result.exit_code, result.stderr) == (1, f"خطأ: المسار {folder} مجلد، وليس قاعدة بيانات quiz؛ مرّر --db "
                                                    "بمسار ملف\n")


def test_an_error_without_arabic_stays_english_whole(write_bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bank = write_bank(tmp_path / "bank", {"q.yaml": "questions:\n  - id: q1\n    kind: nonsense\n"})
    arabic_run = run("study", "--no-builtin", "--bank", str(bank), "--lang", "ar")
    english_run = run("study", "--no-builtin", "--bank", str(bank), "--lang", "en")
    assert arabic_run.exit_code == english_run.exit_code == 1
    assert arabic_run.stderr == english_run.stderr and arabic_run.stderr.startswith("Error: ")


def test_the_language_of_an_imported_file_is_not_the_interfaces(tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nothing.txt"), "--lang", "ar")
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")


def test_a_busy_database_during_study_is_said_in_arabic() -> None:
    from quiz.cli.study_loop import _busy
    from quiz.errors import DatabaseBusy

    exc = DatabaseBusy("/x/q.db is busy: another quiz process kept it locked for 5 seconds; try again")
    assert _busy(exc, "ar") == ("لم يُحفظ: قاعدة البيانات /x/q.db مشغولة: أبقاها برنامج quiz آخر مقفلة لمدة 5 ثوانٍ. "
                                "اكتب إجابتك مرة أخرى (أو q للخروج).")
    assert _busy(exc, "en") == ("Not saved: /x/q.db is busy: another quiz process kept it locked for 5 seconds. Type "
                                "your answer again (or q to quit).")


LRM, LRO, PDF, ZWNJ, LRI, PDI = "\u200e", "\u202d", "\u202c", "\u200c", "\u2066", "\u2069"
TERMINAL_VARIABLES = ("TERM", "TERM_PROGRAM", "VTE_VERSION", "KONSOLE_VERSION", "MLTERM", "XTERM_VERSION",
                      "WT_SESSION", "KITTY_WINDOW_ID", "ALACRITTY_WINDOW_ID", "ALACRITTY_SOCKET", "ALACRITTY_LOG",
                      "GHOSTTY_RESOURCES_DIR", "WEZTERM_EXECUTABLE", "QUIZ_BIDI", "COLORTERM")
SHOWN = "(`quiz list` ﺮﻈﻧﺍ) «nope» ﻪﻓﺮّﻌﻣ ﻝﺍﺆﺳ ﺪﺟﻮﻳ ﻻ :ﺄﻄﺧ"
"""`خطأ: لا يوجد سؤال معرّفه «nope» (انظر `quiz list`)` reshaped (presentation forms) and reordered: the first word
is at the right end."""
LOGICAL = "خطأ: لا يوجد سؤال معرّفه «nope» (انظر `quiz list`)"


def in_a_terminal(args: list[str], env: dict[str, str], columns: int = 100) -> tuple[int, str]:
    """`quiz ARGS` in a real terminal (pexpect) with only the terminal variables of `env`: status and bytes."""
    import os
    import sys

    import pexpect

    child_env = {k: v for k, v in os.environ.items() if k not in TERMINAL_VARIABLES}
    child_env.update({"NO_COLOR": "1", "COLUMNS": str(columns), **env})
    child = pexpect.spawn(sys.executable, ["-m", "quiz", *args], env=child_env, encoding="utf-8", timeout=30,
                          dimensions=(24, columns))
    child.expect(pexpect.EOF)
    out = str(child.before)
    child.close()
    assert child.exitstatus is not None
    return child.exitstatus, out


@pytest.mark.slow
@pytest.mark.parametrize(("env", "expected"), [
    ({"TERM": "xterm"}, SHOWN + "\r\n"),
    ({"TERM": "xterm", "XTERM_VERSION": "XTerm(379)"}, SHOWN + "\r\n"),
    # Konsole and mlterm: each line in a left-to-right override, so that their bidi leaves it as it is
    ({"KONSOLE_VERSION": "221203", "TERM": "xterm-256color"},
     " " + LRO + SHOWN.replace("ﻝﺍ", "ﻝ" + ZWNJ + "ﺍ") + PDF + LRM + "\r\n"),
    ({"TERM": "mlterm"}, "\x1b[K" + LRM + LRO + SHOWN + PDF + "\r\n"),
    ({"MLTERM": "3.9.0", "TERM": "xterm"}, "\x1b[K" + LRM + LRO + SHOWN + PDF + "\r\n"),
    # VTE: explicit mode (its own bidi off) while quiz runs, back to implicit at exit
    ({"VTE_VERSION": "7000", "TERM": "xterm-256color"}, "\x1b[8l" + SHOWN + "\r\n\x1b[8h"),
], ids=["TERM=xterm", "xterm", "Konsole", "TERM=mlterm", "mlterm", "VTE"])
def test_in_a_real_terminal_the_arabic_error_is_laid_out_and_guarded(env: dict[str, str], expected: str) -> None:
    for bidi in ([], ["--bidi", "on"]):  # auto reorders in each of these terminals
        assert in_a_terminal(["history", "nope", "--lang", "ar", *bidi], env) == (1, expected), (env, bidi)


@pytest.mark.slow
def test_in_a_real_terminal_off_leaves_the_arabic_error_to_the_terminal() -> None:
    marked = LOGICAL.replace("nope", LRI + "nope" + PDI).replace("quiz list", LRI + "quiz list" + PDI)
    assert in_a_terminal(["history", "nope", "--lang", "ar", "--bidi", "off"], {"TERM": "xterm"}) == (
        1, marked + "\r\n")  # isolates around the Latin runs, as every Arabic line gets
    assert in_a_terminal(["history", "nope", "--lang", "ar", "--bidi", "off"], {"VTE_VERSION": "7000"}) == (
        1, "\x1b[2 k" + LOGICAL + "\r\n\x1b[0 k")  # VTE: right-to-left paragraphs, no marks
    status, out = in_a_terminal(["stats", "--era", "nope", "--lang", "ar", "--bidi", "on"], {"TERM": "xterm"}, 50)
    wrapped = out.replace("\r", "").strip().split("\n")
    assert status == 2
    assert len(wrapped) > 1 and all(len(line) <= 50 and "\\n" not in line for line in wrapped), wrapped
    assert wrapped[0].endswith(":ﺄﻄﺧ")  # the first line begins (on the right) with «خطأ:»


def test_the_saved_bidi_setting_lays_out_the_arabic_error(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    args = ("history", "nope", "--lang", "ar", "--db", str(db))
    assert run(*args).stderr == LOGICAL + "\n"  # auto, not a terminal
    assert run("config", "bidi", "on", "--db", str(db)).exit_code == 0
    assert run(*args).stderr == SHOWN + "\n"
    assert run(*args, "--bidi", "off").stderr == LOGICAL + "\n"  # the option wins
    assert run(*args, env={"QUIZ_BIDI": "off"}).stderr == LOGICAL + "\n"
    assert run(*args, "--profile", "other").stderr == LOGICAL + "\n"  # another profile's setting
    assert run("config", "bidi", "off", "--db", str(db)).exit_code == 0
    assert run(*args, env={"QUIZ_BIDI": "on"}).stderr == SHOWN + "\n"
    assert run(*args, "--bidi", "bogus").stderr == LOGICAL + "\n"  # a bad option is left out: the setting's off


@pytest.mark.slow
def test_a_saved_bidi_off_is_kept_in_a_terminal_that_auto_would_reorder(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    assert run("config", "bidi", "off", "--db", str(db)).exit_code == 0
    args = ["history", "nope", "--lang", "ar", "--db", str(db)]
    assert in_a_terminal(args, {"TERM": "alacritty"}) == (1, LOGICAL.replace("nope", LRI + "nope" + PDI).replace(
        "quiz list", LRI + "quiz list" + PDI) + "\r\n")
    assert run("config", "bidi", "on", "--db", str(db)).exit_code == 0
    assert in_a_terminal(args, {"TERM": "alacritty"}) == (1, SHOWN + "\r\n")


def test_teachers_tools_speak_arabic_with_quiz_lang(tmp_path: Path) -> None:
    folder = tmp_path / "full"
    folder.mkdir()
    (folder / "a.txt").write_text("x", encoding="utf-8")
    result = run("init-bank", str(folder), env={"QUIZ_LANG": "ar"})
    assert (result.exit_code, result.stderr) == (
        1, f"خطأ: {folder}: المجلد ليس فارغًا؛ اختر مجلدًا جديدًا (أو فارغًا) لبنك الأسئلة\n")
    result = run("validate", "--format", "zz", env={"QUIZ_LANG": "ar"})
    assert (result.exit_code, result.stderr) == (
        2, "خطأ: --format: «zz» ليست صيغة؛ استعمل text أو github (أو --json)\n")
    assert run("validate", "--format", "zz").stderr == (
        "Error: --format: 'zz' is not a format; use text or github (or --json)\n")


@pytest.mark.parametrize("folder", ["what is this", "a copy (is it)"])
def test_a_path_with_is_or_a_bracket_still_gets_the_arabic(tmp_path: Path, folder: str) -> None:
    import os

    fifo = tmp_path / folder / "q.db"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    result = run("stats", "--lang", "ar", env={"QUIZ_DB": str(fifo)})
    assert (result.exit_code, result.stderr) == (
        1, f"خطأ: الملف {fifo} أنبوب مسمّى (FIFO)، وليس قاعدة بيانات quiz؛ مرّر --db بمسار ملف\n")
    missing = tmp_path / folder / "none.db"
    assert arabic(f"{missing} does not exist; pass the path of a backup (quiz backup writes them beside the "
                  "database); nothing was changed") == (
        f"المسار {missing} غير موجود؛ مرّر مسار نسخة احتياطية (يكتبها quiz backup بجانب قاعدة البيانات)؛ لم يتغير شيء")
    assert run("stats", "--lang", "en", env={"QUIZ_DB": str(fifo)}).stderr == (
        f"Error: {fifo} is a FIFO (named pipe), not a quiz database; pass --db with the path of a file\n")


def test_arabic_wording_after_review() -> None:
    assert arabic("disk full while writing /x/q.db; free some space, nothing was saved of this answer") == (
        "امتلأ القرص أثناء الكتابة في /x/q.db؛ لم يُحفظ شيء من هذه الإجابة؛ أفرغ بعض المساحة")
    assert arabic("cannot read or write /x/q.db (disk I/O error); check the disk, nothing was saved of the "
                  "database") == ("تعذّرت القراءة من /x/q.db أو الكتابة فيه (خطأ في إدخال القرص أو إخراجه)؛ لم يُحفظ "
                                  "شيء من قاعدة البيانات؛ افحص القرص")
    assert arabic("a profile name cannot be empty; pass --profile NAME") == (
        "لا يجوز أن يكون اسم الملف الشخصي فارغًا؛ مرّر --profile NAME")
    assert arabic("/x/q.db was written by a newer version of quiz (schema step '9'); upgrade quiz to use it") == (
        "الملف /x/q.db كتبه إصدار أحدث من quiz (خطوة المخطط «9»)؛ حدّث quiz لتستعمله")
    assert arabic("b/q.yaml already has 3 of the questions in in.csv (imported before?); to update them in place, "
                  "run the same command with --update") == (
        "يحوي b/q.yaml بالفعل 3 من أسئلة in.csv (هل استُوردت سابقًا؟)؛ لتحديثها في مكانها، شغّل الأمر نفسه مع "
        "--update")
    assert arabic("SHELL: 'tcsh' is not a shell quiz completes; use bash, zsh or fish") == (
        "SHELL: «tcsh» ليست واجهة أوامر (shell) يُكمل quiz أوامرها؛ استعمل bash أو zsh أو fish")


def test_a_wrapped_arabic_error_keeps_an_id_whole() -> None:
    question = "gen-yearpick-c19-emancipation-1861"
    result = run("history", question, "--lang", "ar", "--bidi", "on", env={"COLUMNS": "40"})
    lines = result.stderr.rstrip("\n").split("\n")
    assert result.exit_code == 1 and len(lines) > 1, lines
    assert any(question in line for line in lines), lines  # it can be copied from the message
    assert all(not line.endswith("-") and not line.startswith("-") for line in lines), lines
