"""Teachers' commands end to end: init-bank, teacher banks (--bank, QUIZ_BANKS, --no-builtin), quiz add (options,
and interactive through a real pseudo-terminal)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import bank_header, run_quiz

from quiz.bank import load_bank

HEADER = bank_header("notes", ("middle",))

QUESTIONS = """\
# Unit 2 — keep this comment.

questions:
  - id: existing          # and this one
    kind: card
    era: middle
    prompt: {ar: "ما الستار الحديدي؟", en: 'What was the Iron Curtain?'}
    answer: {ar: الحد الفاصل في أوروبا, en: The line dividing Europe}
    explanation: {ar: شرح, en: Why}
    source: {doc: notes, para: 1}
"""

CHOICE_ARGS = [
    "--kind", "choice", "--era", "middle",
    "--prompt-ar", "أي مركبة حملت يوري غاغارين؟", "--prompt-en", "Which spacecraft carried Yuri Gagarin?",
    "--choice-ar", "فوستوك 1", "--choice-en", "Vostok 1",
    "--choice-ar", "سويوز 1", "--choice-en", "Soyuz 1",
    "--choice-ar", "جيميني 3", "--choice-en", "Gemini 3",
    "--answer-ar", "فوستوك 1", "--answer-en", "Vostok 1",
    "--explanation-ar", "طار غاغارين على فوستوك 1 عام 1961.", "--explanation-en", "Gagarin flew Vostok 1 in 1961.",
    "--source-doc", "notes", "--source-era", "middle", "--source-para", "2", "--tag", "space", "--tag", "person",
]

ADDED = """\

  - id: spacecraft-carried-yuri-gagarin
    kind: choice
    era: middle
    prompt: {ar: أي مركبة حملت يوري غاغارين؟, en: Which spacecraft carried Yuri Gagarin?}
    answer: {ar: فوستوك 1, en: Vostok 1}
    choices:
      - {ar: فوستوك 1, en: Vostok 1}
      - {ar: سويوز 1, en: Soyuz 1}
      - {ar: جيميني 3, en: Gemini 3}
    explanation: {ar: طار غاغارين على فوستوك 1 عام 1961., en: Gagarin flew Vostok 1 in 1961.}
    source: {doc: notes, era: middle, para: 2}
    tags: [space, person]
"""


pytestmark = pytest.mark.usefixtures("workdir")


def make_bank(root: str = "bank", questions: str = QUESTIONS) -> Path:
    path = Path(root)
    path.mkdir()
    (path / "header.yaml").write_text(HEADER, encoding="utf-8")
    (path / "questions.yaml").write_text(questions, encoding="utf-8")
    return path


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run_quiz(*args, stdin=stdin, env=env)


# --- init-bank -------------------------------------------------------------------------------------------------


def test_init_bank_creates_a_bank_that_validates_alone_and_beside_the_builtin_one() -> None:
    result = run("init-bank", "class-9")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Created a teacher bank in class-9:\n"
        "  class-9/bank.yaml\n"
        "  class-9/bank.schema.json\n"
        "  class-9/sources-and-eras.yaml\n"
        "  class-9/questions.yaml\n"
        "Next:\n"
        "  quiz validate class-9              check it (also: quiz validate --bank class-9)\n"
        "  quiz add --bank class-9            write a question, with checks as you type\n"
        "  quiz study --bank class-9          what your students run\n"
    )
    alone = run("validate", "class-9")
    assert (alone.exit_code, alone.stderr) == (0, "")
    assert alone.stdout == "8 questions (2 generated) in 3 files: 0 errors, 0 warnings\n"
    beside = run("validate", "--bank", "class-9")
    # no error beside the built-in bank; reveals across the two banks are warnings (both teach the space race)
    assert beside.exit_code == 0
    assert not [line for line in beside.stderr.splitlines() if ": error:" in line]
    assert ": 0 errors, " in beside.stdout
    text = Path("class-9/sources-and-eras.yaml").read_text(encoding="utf-8")
    assert "# With the built-in bank loaded (the default), your questions may also use its eras: c19," in text
    listed = run("list", "--bank", "class-9", "--no-builtin", "--json")
    assert listed.exit_code == 0, listed.stderr
    kinds = sorted(q["kind"] for q in json.loads(listed.stdout) if not q["generated"])
    assert kinds == ["card", "choice", "cloze", "order", "truefalse", "typed"]


def test_init_bank_describes_the_bank_and_speaks_of_no_builtin_subject() -> None:
    result = run("init-bank", "eu-history", "--title-en", "The European Union", "--title-ar", "الاتحاد الأوروبي")
    assert result.exit_code == 0, result.stderr
    assert Path("eu-history/bank.yaml").read_text(encoding="utf-8").endswith(
        "bank:\n  id: eu-history\n  title: {ar: \"الاتحاد الأوروبي\", en: \"The European Union\"}\n"
        "  languages: [ar, en]\n")
    for name in ("bank.yaml", "sources-and-eras.yaml", "questions.yaml"):
        text = Path("eu-history", name).read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=bank.schema.json\n")
        for word in ("Russia", "Soviet", "Sputnik", "relations", "روسي", "سوفيات", "العلاقات"):
            assert word not in text, (name, word)
    schema = json.loads(Path("eu-history/bank.schema.json").read_text(encoding="utf-8"))
    assert "bank" in schema["properties"]
    from quiz.bank import load_bank

    bank = load_bank([Path("eu-history")], builtin=False).bank
    assert [(info.id, info.title.en) for info in bank.infos] == [("eu-history", "The European Union")]
    era_question = next(q for q in bank.questions if q.id.startswith("gen-era-") or q.id.startswith("gen-year-"))
    assert "relationship" not in era_question.prompt.en and "العلاقات" not in era_question.prompt.ar


def test_help_does_not_name_the_builtin_subject() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "Russia" not in result.stdout and "quiz on timelines" in result.stdout


def test_init_bank_refuses_a_folder_that_is_not_empty() -> None:
    Path("full").mkdir()
    Path("full/old.yaml").write_text("questions:\n", encoding="utf-8")
    result = run("init-bank", "full")
    assert result.exit_code == 1
    assert result.stderr == "Error: full: the folder is not empty; choose a new (or empty) folder for the bank\n"
    assert sorted(p.name for p in Path("full").iterdir()) == ["old.yaml"]


# --- teacher banks ---------------------------------------------------------------------------------------------


def test_an_id_used_in_two_teacher_banks_names_both_places() -> None:
    make_bank("a")
    make_bank("b", QUESTIONS.replace("# Unit 2", "# Unit 3")).joinpath("header.yaml").unlink()
    result = run("validate", "--bank", "a", "--bank", "b", "--no-builtin")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == (
        "== b/questions.yaml (1 error, 0 warnings)\n"
        "b/questions.yaml:4: error: duplicate question id 'existing' (first defined at a/questions.yaml:4); rename "
        "one of them\n"
        "1 questions (0 generated) in 3 files: 1 error, 0 warnings\n"
    )


def test_an_id_the_builtin_bank_uses_is_an_error_naming_both_places() -> None:
    builtin = load_bank(builtin=True)
    era = builtin.bank.eras[0]
    assert era.loc is not None
    Path("mine").mkdir()
    Path("mine/eras.yaml").write_text(
        f"eras:\n  - id: {era.id}\n    start: 1800\n    end: 1810\n    title: {{ar: مكرر, en: Again}}\n",
        encoding="utf-8")
    result = run("validate", "--bank", "mine")
    assert result.exit_code == 1
    assert (f"mine/eras.yaml:2: error: duplicate era id '{era.id}' (first defined at {era.loc.path}:"
            in result.stdout)


def test_quiz_banks_and_no_builtin() -> None:
    make_bank()
    alone = run("list", "--json", "--no-builtin", env={"QUIZ_BANKS": "bank"})
    assert alone.exit_code == 0, alone.stderr
    assert [q["id"] for q in json.loads(alone.stdout)] == ["existing"]
    both = run("list", "--json", env={"QUIZ_BANKS": "bank"})
    ids = [q["id"] for q in json.loads(both.stdout)]
    assert "existing" in ids and len(ids) > 100
    nothing = run("list", "--no-builtin")
    assert nothing.exit_code == 2
    assert nothing.stderr == "Error: --no-builtin leaves no bank; add --bank DIR\n"


# --- quiz add, from options ------------------------------------------------------------------------------------


def test_add_with_options_appends_and_keeps_the_file() -> None:
    make_bank()
    result = run("add", "--bank", "bank", "--no-builtin", "--yes", *CHOICE_ARGS)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == ("New question for bank/questions.yaml (line 12):\n" + ADDED.strip("\n") + "\n"
                             "Added question 'spacecraft-carried-yuri-gagarin' to bank/questions.yaml:12.\n"
                             "Check it with: quiz validate bank\n")
    assert Path("bank/questions.yaml").read_text(encoding="utf-8") == QUESTIONS + ADDED
    assert run("validate", "bank").exit_code == 0


def test_add_asks_for_confirmation_without_yes() -> None:
    make_bank()
    refused = run("add", "--bank", "bank", "--no-builtin", *CHOICE_ARGS, stdin="n\n")
    assert refused.exit_code == 1
    assert refused.stdout.endswith("Write it to bank/questions.yaml? [y/N]: n\n"
                                   "Nothing written; bank/questions.yaml is unchanged.\n")
    assert Path("bank/questions.yaml").read_text(encoding="utf-8") == QUESTIONS
    accepted = run("add", "--bank", "bank", "--no-builtin", *CHOICE_ARGS, stdin="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert Path("bank/questions.yaml").read_text(encoding="utf-8") == QUESTIONS + ADDED


def test_add_reports_every_field_problem_and_writes_nothing() -> None:
    make_bank()
    args = [a if a != "Vostok 1" else "Vostock 1" for a in CHOICE_ARGS]
    args[args.index("--answer-en") + 1] = "Voskhod 1"
    result = run("add", "--bank", "bank", "--no-builtin", "--yes", "--id", "existing", "--tag", "Bad Tag", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: the English answer 'Voskhod 1' is not among the choices ('Vostock 1', 'Soyuz 1', 'Gemini 3')\n"
        "Error: tag 'Bad Tag' is not valid; use lowercase letters, digits and hyphens\n"
        "Error: id 'existing' is already used at bank/questions.yaml:4; choose another\n"
    )
    assert Path("bank/questions.yaml").read_text(encoding="utf-8") == QUESTIONS


def test_add_refuses_the_same_question_twice() -> None:
    make_bank()
    result = run("add", "--bank", "bank", "--no-builtin", "--yes", "--kind", "card", "--era", "middle",
                 "--prompt-en", "What was the  iron curtain?", "--prompt-ar", "ما الستار الحديدي؟",
                 "--answer-en", "A border", "--answer-ar", "حدود")
    assert result.exit_code == 1
    assert result.stderr == ("Error: the bank already has this question: 'existing' (bank/questions.yaml:4); "
                             "change it or leave it out\n")


def test_add_validates_with_the_loader_before_writing() -> None:
    broken = QUESTIONS + "    colour: red\n"
    make_bank(questions=broken)
    result = run("add", "--bank", "bank", "--no-builtin", "--yes", *CHOICE_ARGS)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: bank/questions.yaml:11: unknown key 'colour' in a question (allowed: id, kind, era, prompt, answer, "
        "accept, choices, items, tolerance, explanation, source, tags, draft, events)\n"
        "Error: the question was not added: the bank would not validate (1 error); bank/questions.yaml is unchanged\n"
    )
    assert Path("bank/questions.yaml").read_text(encoding="utf-8") == broken


def test_add_failing_write_leaves_the_file_byte_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    make_bank()
    before = Path("bank/questions.yaml").read_bytes()

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    result = run("add", "--bank", "bank", "--no-builtin", "--yes", *CHOICE_ARGS)
    assert result.exit_code == 1
    assert result.stderr == "Error: No space left on device\n"
    assert Path("bank/questions.yaml").read_bytes() == before
    assert sorted(p.name for p in Path("bank").iterdir()) == ["header.yaml", "questions.yaml"]


def test_add_order_to_another_file_and_usage_errors() -> None:
    make_bank()
    result = run("add", "--bank", "bank", "--no-builtin", "--yes", "--to", "bank/order.yaml", "--kind", "order",
                 "--era", "middle", "--item-en", "Sputnik", "--item-ar", "سبوتنيك", "--item-year", "1957",
                 "--item-en", "Gagarin", "--item-ar", "غاغارين", "--item-year", "1961",
                 "--explanation-en", "1957, then 1961.", "--explanation-ar", "1957 ثم 1961.", "--source-doc", "notes")
    assert result.exit_code == 0, result.stderr
    assert Path("bank/order.yaml").read_text(encoding="utf-8") == (
        "questions:\n"
        "  - id: order-sputnik-gagarin\n"
        "    kind: order\n"
        "    era: middle\n"
        "    items:\n"
        "      - {ar: سبوتنيك, en: Sputnik, year: 1957}\n"
        "      - {ar: غاغارين, en: Gagarin, year: 1961}\n"
        '    explanation: {ar: "1957 ثم 1961.", en: "1957, then 1961."}\n'
        "    source: {doc: notes}\n"
    )
    nowhere = run("add", "--kind", "card", "--era", "middle", "--no-builtin")
    assert nowhere.exit_code == 2
    assert nowhere.stderr == ("Error: say where the question goes: --to FILE, or --bank DIR (it goes to "
                              "DIR/questions.yaml)\n")
    years = run("add", "--bank", "bank", "--no-builtin", "--kind", "order", "--era", "middle", "--item-en", "a",
                "--item-en", "b", "--item-year", "1950")
    assert years.exit_code == 2
    assert years.stderr == "Error: --item-year is given 1 times for 2 items; give one per item or none\n"


# --- quiz add, interactive, through a real terminal ------------------------------------------------------------


def spawn(tmp_path: Path) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
    env.update({"QUIZ_DB": str(tmp_path / "quiz.db"), "QUIZ_CACHE_DIR": "", "PYTHONIOENCODING": "utf-8",
                "LANG": "C.UTF-8", "COLUMNS": "200"})
    child = pexpect.spawn(sys.executable, ["-m", "quiz", "add", "--bank", "bank", "--no-builtin"],
                          cwd=str(tmp_path), env=env, encoding="utf-8", timeout=20, dimensions=(50, 200))
    return child


def answer(child: pexpect.spawn, prompt: str, value: str) -> None:
    child.expect_exact(prompt)
    child.sendline(value)


@pytest.mark.slow
def test_interactive_add_checks_each_field_and_writes_after_confirmation(tmp_path: Path) -> None:
    make_bank()
    child = spawn(tmp_path)
    answer(child, "Kind (choice, typed, truefalse, order, cloze, card): ", "multiple")
    child.expect_exact("'multiple' is not a kind; use one of: choice, typed, truefalse, order, cloze, card")
    answer(child, "Kind (choice, typed, truefalse, order, cloze, card): ", "choice")
    child.expect_exact("Eras: middle")
    answer(child, "Era [middle]: ", "late")
    child.expect_exact("'late' is not an era of the bank (known: middle)")
    answer(child, "Era [middle]: ", "")
    answer(child, "Prompt in Arabic (Enter to skip): ", "Which spacecraft?")
    child.expect_exact("the Arabic prompt 'Which spacecraft?' is written in Latin letters")
    answer(child, "Prompt in Arabic (Enter to skip): ", "أي مركبة حملت يوري غاغارين؟")
    answer(child, "Prompt in English (Enter to skip): ", "Which spacecraft carried Yuri Gagarin?")
    for n, (ar, en) in enumerate([("فوستوك 1", "Vostok 1"), ("سويوز 1", "Soyuz 1"), ("جيميني 3", "Gemini 3")], 1):
        answer(child, f"Choice {n} in Arabic: ", ar)
        answer(child, f"Choice {n} in English: ", en)
    answer(child, "Choice 4 in Arabic: ", "")
    answer(child, "Choice 4 in English: ", "")
    child.expect_exact("  2. سويوز 1 / Soyuz 1")
    answer(child, "Right answer (its number, or its text): ", "Voskhod 1")
    child.expect_exact("'Voskhod 1' is not among the choices; give a number from 1 to 3 or a choice's exact text")
    answer(child, "Right answer (its number, or its text): ", "Vostok 1")
    answer(child, "Explanation in Arabic (Enter to skip): ", "طار غاغارين على فوستوك 1 عام 1961.")
    answer(child, "Explanation in English (Enter to skip): ", "Gagarin flew Vostok 1 in 1961.")
    answer(child, "Source document (notes; Enter for none): ", "timeline")
    child.expect_exact("'timeline' is not a source document of the bank (known: notes)")
    answer(child, "Source document (notes; Enter for none): ", "notes")
    answer(child, "Source section: an era id or intro [middle]: ", "")
    answer(child, "Source paragraph (from 1; Enter for none): ", "zero")
    child.expect_exact("a paragraph number from 1")
    answer(child, "Source paragraph (from 1; Enter for none): ", "2")
    answer(child, "Tags (separated by spaces or commas; Enter for none): ", "space, Person")
    child.expect_exact("tag 'Person' is not valid")
    answer(child, "Tags (separated by spaces or commas; Enter for none): ", "space, person")
    answer(child, "Id [spacecraft-carried-yuri-gagarin]: ", "existing")
    child.expect_exact("id 'existing' is already used at bank/questions.yaml:4; choose another")
    answer(child, "Id [spacecraft-carried-yuri-gagarin]: ", "")
    child.expect_exact("New question for bank/questions.yaml (line 12):")
    answer(child, "Write it to bank/questions.yaml? [y/N]: ", "y")
    child.expect_exact("Added question 'spacecraft-carried-yuri-gagarin' to bank/questions.yaml:12.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert Path("bank/questions.yaml").read_text(encoding="utf-8") == QUESTIONS + ADDED


@pytest.mark.slow
def test_interactive_add_writes_nothing_when_not_confirmed(tmp_path: Path) -> None:
    make_bank()
    child = spawn(tmp_path)
    answer(child, "Kind (choice, typed, truefalse, order, cloze, card): ", "truefalse")
    answer(child, "Era [middle]: ", "")
    answer(child, "Prompt in Arabic (Enter to skip): ", "")
    answer(child, "Prompt in English (Enter to skip): ", "")
    child.expect_exact("the prompt is empty; write it in Arabic, English or both")
    answer(child, "Prompt in Arabic (Enter to skip): ", "أُطلق سبوتنيك عام 1957.")
    answer(child, "Prompt in English (Enter to skip): ", "Sputnik was launched in 1957.")
    answer(child, "Is the statement true? (true/false): ", "perhaps")
    child.expect_exact("answer true or false")
    answer(child, "Is the statement true? (true/false): ", "true")
    answer(child, "Explanation in Arabic (Enter to skip): ", "")
    answer(child, "Explanation in English (Enter to skip): ", "")
    answer(child, "Source document (notes; Enter for none): ", "")
    answer(child, "Tags (separated by spaces or commas; Enter for none): ", "")
    answer(child, "Id [sputnik-launched-1957]: ", "")
    child.expect_exact("    answer: true")
    child.expect_exact("has no explanation")
    answer(child, "Write it to bank/questions.yaml? [y/N]: ", "")
    child.expect_exact("Nothing written; bank/questions.yaml is unchanged.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert Path("bank/questions.yaml").read_text(encoding="utf-8") == QUESTIONS
