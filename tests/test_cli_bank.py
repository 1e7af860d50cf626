"""`quiz --version`, `quiz validate`, `quiz list` and `quiz show` through Typer's CliRunner: exit codes, exact
stderr, JSON shapes, and bank text that can neither style nor take over the terminal."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import run_quiz
from typer.testing import Result

import quiz
import quiz.bank

WriteBank = Callable[..., Path]
ARABIC = re.compile(r"[\u0600-\u06FF]")
TEACHER = ["--no-builtin", "--bank", "bank"]

def run(*args: str) -> Result:
    return run_quiz(*args, prog_name="quiz", env={"COLUMNS": "200"})


@pytest.fixture
def here(in_tmp_path: Path) -> Path:
    """Run inside tmp_path, so files are shown as `bank/<name>`."""
    return in_tmp_path


GOOD = """\
events:
  - id: ev-a
    date: 1950
    era: middle
    title: {ar: الحدث الأول, en: the first event}
    source: {doc: doc, era: middle, para: 1}
    tags: [war]
  - id: ev-b
    date: 1962-10
    era: middle
    title: {ar: الحدث الثاني, en: the second event}
    source: {doc: doc, era: middle, para: 2}
questions:
  - id: q-typed
    kind: typed
    era: middle
    events: [ev-a]
    prompt: {ar: في أي عام بدأ الحدث الأول؟, en: In which year did the first event begin?}
    answer: {ar: "1950", en: "1950"}
    explanation: {ar: بدأ عام 1950 كما تقول الوثيقة., en: It began in 1950 according to the document.}
    source: {doc: doc, era: middle, para: 1}
    tags: [war]
  - id: q-choice
    kind: choice
    era: late
    prompt: {ar: أي لون؟, en: Which colour?}
    answer: {ar: أحمر, en: Red}
    choices:
      - {ar: أزرق, en: Blue}
      - {ar: أحمر, en: Red}
      - {ar: أخضر, en: Green}
    explanation: {ar: لأنه أحمر., en: Because it is red.}
    source: {doc: doc, para: 3}
  - id: q-tf
    kind: truefalse
    era: early
    prompt: {ar: الأرض مسطحة., en: The earth is flat.}
    answer: false
    explanation: {ar: ليست كذلك., en: It is not.}
    source: {doc: doc}
  - id: q-draft
    kind: card
    era: early
    prompt: {ar: مسودة, en: A draft}
    answer: {ar: جواب, en: Answer}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc}
    draft: true
"""


@pytest.fixture
def good_bank(here: Path, write_bank: WriteBank) -> Path:
    return write_bank(here / "bank", {"t.yaml": GOOD})


def listed(*args: str) -> list[dict[str, Any]]:
    result = run("list", "--json", *TEACHER, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


# --- --version -------------------------------------------------------------------------------------------------


def test_version() -> None:
    from importlib.metadata import version

    result = run("--version")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, f"quiz {quiz.__version__}\nArabic layout: off (auto: output is not a terminal)\n", "")
    assert quiz.__version__ == version("timeline-quiz")


# --- validate ------------------------------------------------------------------------------------------------


def test_validate_the_builtin_bank_passes() -> None:
    result = run("validate")
    assert (result.exit_code, result.stderr) == (0, ""), result.stdout
    assert re.fullmatch(r"\d+ questions \(\d+ generated\) in \d+ files: 0 errors, \d+ warnings?\n",
                        result.stdout.splitlines(keepends=True)[-1])
    assert ": error: " not in result.stdout


def test_validate_without_paths_checks_the_builtin_bank(
    good_bank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quiz.bank, "builtin_dir", lambda: good_bank)
    result = run("validate")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "11 questions (7 generated) in 2 files: 0 errors, 0 warnings\n"


def test_validate_a_good_teacher_bank(good_bank: Path) -> None:
    result = run("validate", "bank")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "11 questions (7 generated) in 2 files: 0 errors, 0 warnings\n"


BROKEN = {
    "a.yaml": """\
        events:
          - id: ev-a
            date: 1890
            era: middle
            title: {en: an event}
            source: {doc: doc}
        questions:
          - id: q-a
            kind: choice
            era: midle
            prompt: {ar: أي؟, en: Which?}
            answer: {ar: ب, en: B}
            choices:
              - {ar: أ, en: A}
              - {ar: ب, en: B}
            explanation: {ar: شرح, en: Because.}
            source: {doc: doc}
        """,
    "b.yaml": """\
        questions:
          - id: q-b
            kind: cloze
            era: late
            prompt: {ar: "{{كلمة}}", en: "no blank"}
            explanation: {ar: شرح, en: Because.}
            source: {doc: doc}
          - id: q-a
            kind: card
            era: late
            prompt: {ar: سؤال, en: Question}
            answer: {ar: جواب, en: Answer}
            explanation: {ar: شرح, en: Because.}
            source: {doc: doc}
          - id: q-c
            kind: card
            era: late
            prompt: {ar: سؤال آخر, en: Another question}
            answer: {ar: جواب, en: Answer}
            explanation: {ar: شرح, en: Because.}
            source: {doc: doc}
        """,
    "c.yaml": "events: [\n",
}

BROKEN_STDOUT = """\
== bank/a.yaml (2 errors, 1 warning)
bank/a.yaml:2: error: event 'ev-a' is dated 1890, outside era 'middle' (1940–1969); fix the date or the era
bank/a.yaml:5: warning: event 'ev-a' has no Arabic title, so no Arabic question is generated from it; add title.ar
bank/a.yaml:10: error: choice question 'q-a' names era 'midle', which is not defined (did you mean 'middle'?)
== bank/b.yaml (2 errors, 0 warnings)
bank/b.yaml:5: error: cloze question 'q-b' has no {{blank}} in its English prompt; mark the missing words like \
{{Lend-Lease}}
bank/b.yaml:8: error: duplicate question id 'q-a' (first defined at bank/a.yaml:8); rename one of them
== bank/c.yaml (1 error, 0 warnings)
bank/c.yaml:2: error: YAML syntax error: did not find expected node content; check indentation, colons and quotes \
near here
2 questions (0 generated) in 4 files: 5 errors, 1 warning
"""


@pytest.fixture
def broken_bank(here: Path, write_bank: WriteBank) -> Path:
    return write_bank(here / "bank", BROKEN)


def test_validate_lists_every_problem_with_path_and_line(broken_bank: Path) -> None:
    result = run("validate", "bank")
    assert result.exit_code == 1
    assert result.stderr == ""  # diagnostics are the output, like ruff's and eslint's
    assert result.stdout == BROKEN_STDOUT
    assert "Traceback" not in result.output


def test_validate_a_single_file(broken_bank: Path) -> None:
    result = run("validate", "bank/_header.yaml", "bank/c.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "0 questions (0 generated) in 2 files: 1 error, 0 warnings"


def test_validate_a_path_that_does_not_exist(here: Path) -> None:
    result = run("validate", "nowhere")
    assert result.exit_code == 1
    assert "nowhere: error: no such file or folder; check the path\n" in result.stderr
    assert result.stderr.count("nowhere: error:") == 1
    assert "nowhere" not in result.stdout  # the tool's own failure, not a diagnostic


def test_warnings_pass_and_strict_fails(here: Path, write_bank: WriteBank) -> None:
    write_bank(here / "bank", {"t.yaml": GOOD.replace("{ar: أي لون؟, en: Which colour?}", "{en: Which colour?}")})
    warning = "bank/t.yaml:26: {}: choice question 'q-choice' has no Arabic prompt; add prompt.ar\n"
    relaxed = run("validate", "bank")
    assert relaxed.exit_code == 0
    assert relaxed.stderr == ""
    assert relaxed.stdout == ("== bank/t.yaml (0 errors, 1 warning)\n" + warning.format("warning")
                              + "11 questions (7 generated) in 2 files: 0 errors, 1 warning\n")
    strict = run("validate", "--strict", "bank")
    assert strict.exit_code == 1
    assert strict.stderr == ""
    assert strict.stdout == (
        "== bank/t.yaml (1 error, 0 warnings)\n" + warning.format("error")
        + "11 questions (7 generated) in 2 files: 1 error, 0 warnings\n"
    )


def test_validate_json(broken_bank: Path) -> None:
    result = run("validate", "--json", "bank")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert payload["files"] == ["bank/_header.yaml", "bank/a.yaml", "bank/b.yaml", "bank/c.yaml"]
    assert payload["questions"] == 2  # q-b (its error aside) and q-c
    problems = payload["problems"]
    assert all(set(p) == {"path", "line", "severity", "code", "message"} for p in problems)
    assert [(p["path"], p["line"], p["severity"], p["code"]) for p in problems] == [
        ("bank/a.yaml", 2, "error", "year-outside-era"),
        ("bank/a.yaml", 5, "warning", "missing-translation"),
        ("bank/a.yaml", 10, "error", "unknown-era"),
        ("bank/b.yaml", 5, "error", "cloze-blank"),
        ("bank/b.yaml", 8, "error", "duplicate-id"),
        ("bank/c.yaml", 2, "error", ""),
    ]
    # Each message is the text of the matching line of the text format.
    for problem in problems:
        line = f"{problem['path']}:{problem['line']}: {problem['severity']}: {problem['message']}"
        assert line in BROKEN_STDOUT.splitlines()


def test_validate_json_of_a_valid_bank(good_bank: Path) -> None:
    result = run("validate", "--json", "bank")
    assert (result.exit_code, result.stderr) == (0, "")
    payload = json.loads(result.stdout)
    assert (payload["valid"], payload["questions"], payload["problems"]) == (True, 11, [])
    strict = json.loads(run("validate", "--json", "--strict", "bank").stdout)
    assert strict["valid"] is True


# --- list ---------------------------------------------------------------------------------------------------


def _check_row(row: dict[str, Any]) -> None:
    assert {"id", "kind", "era", "generated", "prompt", "answer"} <= set(row)
    assert isinstance(row["id"], str) and row["id"]
    assert row["kind"] in {"choice", "typed", "truefalse", "order", "cloze", "card"}
    assert isinstance(row["era"], str)
    assert isinstance(row["generated"], bool)
    assert row["generated"] == row["id"].startswith("gen-")
    for key in ("prompt", "answer"):
        assert set(row[key]) == {"ar", "en"}
        assert all(isinstance(v, str) for v in row[key].values())
        assert row[key]["ar"] or row[key]["en"], (row["id"], key)


def test_list_json_of_the_builtin_bank() -> None:
    result = run("list", "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    rows = json.loads(result.stdout)
    assert rows and len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        _check_row(row)
    assert any(r["generated"] for r in rows) and not all(r["generated"] for r in rows)


def test_list_json_of_a_teacher_bank(good_bank: Path) -> None:
    rows = {row["id"]: row for row in listed()}
    for row in rows.values():
        _check_row(row)
    assert "q-draft" not in rows  # drafts are not listed
    # 3 hand-written questions (the draft is left out) and 3 generated from each of the two events
    assert len(rows) == 10
    assert rows["q-typed"] | {"tags": None, "source": None, "draft": None} == {
        "id": "q-typed", "kind": "typed", "era": "middle", "generated": False,
        "prompt": {"ar": "في أي عام بدأ الحدث الأول؟", "en": "In which year did the first event begin?"},
        "answer": {"ar": "1950", "en": "1950"}, "tags": None, "source": None, "draft": None,
        "langs": ["ar", "en"],
    }
    assert rows["q-tf"]["answer"] == {"ar": "خطأ", "en": "False"}
    assert rows["gen-year-ev-b"]["answer"] == {"ar": "1962", "en": "1962"}
    assert rows["gen-year-ev-b"]["generated"] is True
    assert {r["id"] for r in listed("--drafts")} == set(rows) | {"q-draft"}


def test_list_filters(good_bank: Path) -> None:
    assert {r["id"] for r in listed("--era", "late")} == {"q-choice"}
    assert {r["era"] for r in listed("--era", "middle")} == {"middle"}
    assert {r["id"] for r in listed("--kind", "truefalse")} == {"q-tf"}
    choices = {r["id"] for r in listed("--kind", "choice", "--era", "middle")}
    firsts = {qid for qid in choices if qid.startswith("gen-first-")}
    assert len(firsts) == 1  # ev-a and ev-b, close enough in time to be compared
    assert choices - firsts == {"gen-yearpick-ev-a", "gen-era-ev-a", "gen-yearpick-ev-b", "gen-era-ev-b"}
    tagged = {r["id"] for r in listed("--tag", "war")}
    assert "q-typed" in tagged and "gen-year-ev-a" in tagged and "gen-year-ev-b" not in tagged
    assert {r["id"] for r in listed("--era", "middle", "--kind", "typed", "--tag", "war")} == {
        "q-typed", "gen-year-ev-a",
    }
    assert listed("--era", "early", "--kind", "choice") == []


def test_list_table(good_bank: Path) -> None:
    result = run("list", *TEACHER, "--lang", "en", "--era", "late")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "q-choice" in result.stdout and "Which colour?" in result.stdout
    assert result.stdout == "q-choice\tchoice\tlate\tWhich colour?\n"  # piped: plain tab-separated lines
    assert not ARABIC.search(result.stdout)


@pytest.mark.parametrize("args,message", [
    (["--era", "nowhere"], "Error: --era: unknown era 'nowhere'; use one of: early, middle, late\n"),
    (["--kind", "essay"], "Error: --kind: unknown kind 'essay'; use one of: choice, typed, truefalse, order, cloze, "
                          "card\n"),
    (["--lang", "fr"], "Error: --lang: 'fr' is not a language; use ar, en, both\n"),
])
def test_list_bad_filters_are_usage_errors(args: list[str], message: str, good_bank: Path) -> None:
    result = run("list", *TEACHER, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_list_unknown_era_in_the_builtin_bank() -> None:
    result = run("list", "--era", "space-race")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --era: unknown era 'space-race'; use one of: c19, world-wars, cold-war, post-soviet, putin-rise, "
        "crimea, ukraine-war\n"
    )


def test_list_of_a_broken_bank_is_one_error_line(broken_bank: Path) -> None:
    result = run("list", *TEACHER)
    assert result.exit_code == 1
    assert result.stdout == ""
    line = result.stderr
    assert line.count("\n") == 1 and line.startswith("Error: bank/") and line.endswith(" (and 4 more errors)\n")
    first = line.removeprefix("Error: ").removesuffix(" (and 4 more errors)\n")
    assert any(first == entry.replace(": error: ", ": ", 1) for entry in BROKEN_STDOUT.splitlines())


def test_teacher_banks_from_the_environment(good_bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_BANKS", "bank")
    result = run("list", "--json", "--no-builtin", "--kind", "truefalse")
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in json.loads(result.stdout)] == ["q-tf"]


def test_unknown_option_is_one_line(good_bank: Path) -> None:
    result = run("list", "--bogus")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "Error: No such option: --bogus (see 'quiz list --help')\n",
    )


def test_unknown_command_is_one_line() -> None:
    result = run("lsit")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output


# --- show ---------------------------------------------------------------------------------------------------


def test_show_both_languages(good_bank: Path) -> None:
    result = run("show", "q-typed", *TEACHER)
    assert (result.exit_code, result.stderr) == (0, "")
    out = result.stdout
    for text in (
        "q-typed",
        "في أي عام بدأ الحدث الأول؟", "In which year did the first event begin?",
        "الإجابة: 1950", "Answer: 1950",
        "بدأ عام 1950 كما تقول الوثيقة.", "It began in 1950 according to the document.",
        "المصدر: وثيقة، المرحلة الوسطى، الفقرة 1", "Source: A document, The middle era, paragraph 1",
    ):
        assert text in out, text
    assert out.index("في أي عام") < out.index("In which year")  # Arabic first


def test_show_in_english_only(good_bank: Path) -> None:
    result = run("show", "q-choice", *TEACHER, "--lang", "en")
    assert (result.exit_code, result.stderr) == (0, "")
    out = result.stdout
    for text in ("Which colour?", "1. Blue", "2. Red", "3. Green", "Answer: Red", "Because it is red.",
                 "Source: A document, paragraph 3"):
        assert text in out, text
    assert not ARABIC.search(out)


def test_show_a_generated_question(good_bank: Path) -> None:
    result = run("show", "gen-yearpick-ev-b", *TEACHER, "--lang", "en")
    assert result.exit_code == 0
    assert "Which year saw the second event?" in result.stdout
    assert "Answer: 1962" in result.stdout
    assert "generated" in result.stdout


@pytest.mark.parametrize("qid,message", [
    ("nothing-like-it", "Error: no question with id 'nothing-like-it' (see 'quiz list')\n"),
    ("q-typd", "Error: no question with id 'q-typd' (did you mean 'q-typed', 'q-tf'?)\n"),
    ("gen-year-ev", "Error: no question with id 'gen-year-ev' (did you mean 'gen-year-ev-b', 'gen-year-ev-a', "
                    "'gen-yearpick-ev-b'?)\n"),
])
def test_show_an_unknown_id(qid: str, message: str, good_bank: Path) -> None:
    result = run("show", qid, *TEACHER)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


HOSTILE = textwrap.dedent("""\
    questions:
      - id: q-markup
        kind: card
        era: middle
        prompt: {ar: "سؤال [bold]عريض[/bold]", en: "Is [red]x[/red] red? [link=http://e]click[/link]"}
        answer: {ar: "[/]جواب", en: "[blink]yes[/blink] :smile:"}
        explanation: {ar: "شرح \\e[2J", en: "Cleared\\e[2J\\e[31m red\\e]0;pwned\\a done"}
        source: {doc: doc}
    """)


def test_rich_markup_in_bank_text_is_shown_literally(here: Path, write_bank: WriteBank) -> None:
    write_bank(here / "bank", {"t.yaml": HOSTILE})
    result = run("show", "q-markup", *TEACHER)
    assert (result.exit_code, result.stderr) == (0, "")
    for text in ("Is [red]x[/red] red? [link=http://e]click[/link]", "[blink]yes[/blink] :smile:",
                 "سؤال [bold]عريض[/bold]", "[/]جواب"):
        assert text in result.stdout, text


def test_terminal_escapes_in_bank_text_are_removed(here: Path, write_bank: WriteBank) -> None:
    write_bank(here / "bank", {"t.yaml": HOSTILE})
    shown = run("show", "q-markup", *TEACHER)
    assert shown.exit_code == 0
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout
    assert "Cleared red done" in shown.stdout
    listed_table = run("list", *TEACHER)
    assert listed_table.exit_code == 0 and "\x1b" not in listed_table.stdout
