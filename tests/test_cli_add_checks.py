"""Interactive `quiz add` runs the whole-question checks as each field is typed (a distractor equal to the answer
in other spelling, a year outside the era, swapped languages) and saves a question it cannot finish as a draft:
through CliRunner with typed input, and (marked slow) through a real terminal with pexpect."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import bank_header, run_quiz

from quiz.bank import build_bank

HEADER = bank_header("notes", ("middle",))

pytestmark = pytest.mark.usefixtures("workdir")


def make_bank() -> Path:
    Path("bank").mkdir()
    Path("bank/header.yaml").write_text(HEADER, encoding="utf-8")
    return Path("bank")


def add(*lines: str):  # type: ignore[no-untyped-def]
    return run_quiz("add", "--bank", "bank", "--no-builtin", stdin="\n".join(lines) + "\n")


TAIL = ("", "",  # explanation
        "",  # source document
        "",  # tags
        "")  # id


def test_a_distractor_equal_to_the_answer_is_asked_again_at_once() -> None:
    make_bank()
    result = add(
        "choice", "", "أي برنامج زوّد السوفيات بالسلاح؟", "Which programme armed the Soviets?",
        "ليند-ليز", "Lend-Lease", "الإعارة", "Lend Lease", "مارشال", "Marshall Plan", "", "",
        "1",
        # asked again: the choices, then the right answer
        "ليند-ليز", "Lend-Lease", "مارشال", "Marshall Plan", "", "",
        "1", *TAIL, "y")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("distractor 'Lend Lease' is the answer 'Lend-Lease' in other spelling; replace it "
                               "with a different wrong answer; give the choices again") == 1
    text = Path("bank/questions.yaml").read_text(encoding="utf-8")
    assert "Lend Lease" not in text and "- {ar: مارشال, en: Marshall Plan}" in text


def test_a_year_outside_the_era_is_asked_again_and_kept_when_given_twice() -> None:
    make_bank()
    prompt = ("في أي عام أُطلق سبوتنيك؟", "In which year was Sputnik launched?")
    fixed = add("typed", "", *prompt, "1977", "1977", "1957", "1957", "", "", "", *TAIL, "y")
    assert fixed.exit_code == 0, fixed.stderr
    assert ("  warning: the question answers 1977, outside its era 'middle' (1940–1969); check the year, or move "
            "the question to the era it is about; give it again to keep it\n") in fixed.stderr
    assert 'answer: {ar: "1957", en: "1957"}' in Path("bank/questions.yaml").read_text(encoding="utf-8")
    Path("bank/questions.yaml").unlink()
    kept = add("typed", "", *prompt, "1977", "1977", "1977", "1977", "", "", "", *TAIL, "y")
    assert kept.exit_code == 0, kept.stderr
    assert kept.stderr.count("outside its era") == 2  # said when typed, and again with the question shown
    assert 'answer: {ar: "1977", en: "1977"}' in Path("bank/questions.yaml").read_text(encoding="utf-8")


def test_swapped_languages_are_reported_as_such() -> None:
    from quiz.authoring import add as a
    from quiz.model import Text

    finding = a.check_answer(a.Kind.TYPED, Text("USSR", "الاتحاد السوفياتي"))
    assert finding is not None and finding.rule.code == "Q408"
    assert str(finding) == ("the languages of the answer are swapped: the Arabic is 'USSR' (Latin letters) and the "
                            "English 'الاتحاد السوفياتي' (Arabic letters); swap them: answer: {ar: الاتحاد السوفياتي, "
                            "en: USSR}")
    scripted = run_quiz("add", "--bank", "bank", "--no-builtin", "--kind", "card", "--era", "middle",
                        "--prompt-ar", "من كان الخصم؟", "--prompt-en", "Who was the rival?", "--answer-ar", "USSR",
                        "--answer-en", "الاتحاد السوفياتي", "--yes") if make_bank() else None
    assert scripted is not None and scripted.exit_code == 1
    assert scripted.stderr == f"Error: {finding}\n"


def refuse_finished_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check only the loader makes (every field check passed): an error on any question not a draft."""
    from quiz.authoring import add as a
    from quiz.errors import Problem

    real = a.check_with_loader

    def check(roots, target, text):  # type: ignore[no-untyped-def]
        shown, problems = real(roots, target, text)
        if "draft: true" in text:
            return shown, problems
        return shown, [*problems, Problem(shown, 2, "a finding only the loader makes", "error", "reveal", "Q405")]

    monkeypatch.setattr(a, "check_with_loader", check)


def test_a_question_the_loader_refuses_can_be_saved_as_a_draft(monkeypatch: pytest.MonkeyPatch) -> None:
    make_bank()
    refuse_finished_questions(monkeypatch)
    result = add("typed", "", "ما الستار الحديدي؟", "What was the Iron Curtain?", "", "The line dividing Europe",
                 "", "", *TAIL, "y")
    assert result.exit_code == 0, result.stderr
    assert "Error: the question was not added: the bank would not validate (1 error)" in result.stderr
    assert "Saved draft 'iron-curtain' to bank/questions.yaml:2 (3 things to fix, listed by: quiz validate " \
           "bank); remove draft: true when it is finished." in result.stdout
    text = Path("bank/questions.yaml").read_text(encoding="utf-8")
    assert text.endswith("    draft: true\n")
    checked = run_quiz("validate", "bank")
    assert checked.exit_code == 0, checked.stdout  # a draft: studied by no one, so not an error
    assert "typed question 'iron-curtain' has no Arabic answer; add answer.ar" in checked.stdout
    assert run_quiz("validate", "--strict", "bank").exit_code == 1


def test_declining_the_draft_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    make_bank()
    refuse_finished_questions(monkeypatch)
    result = add("typed", "", "ما الستار الحديدي؟", "What was the Iron Curtain?", "", "The line dividing Europe",
                 "", "", *TAIL, "n")
    assert result.exit_code == 1
    assert not Path("bank/questions.yaml").exists()


def test_end_of_input_half_way_offers_the_draft_and_writes_nothing_unanswered() -> None:
    make_bank()
    result = add("typed", "", "في أي عام أُطلق سبوتنيك؟", "In which year was Sputnik launched?")
    assert result.exit_code == 1
    assert "Save what you typed as a draft (draft: true) in bank/questions.yaml to finish later? [Y/n]" \
        in result.stdout
    assert "Nothing written; bank/questions.yaml is unchanged." in result.stdout
    assert not Path("bank/questions.yaml").exists()


def test_an_unfinished_draft_stays_out_of_the_bank_and_its_errors_are_warnings() -> None:
    text = ("questions:\n  - id: half\n    kind: choice\n    era: middle\n    prompt: {ar: أي؟, en: Which?}\n"
            "    answer: {ar: ب, en: B}\n    draft: true\n")
    result = build_bank([("h.yaml", HEADER.encode()), ("q.yaml", text.encode())])
    assert not result.errors
    assert "half" not in {q.id for q in result.bank.questions}
    assert any(p.message == "choice question 'half' has no 'choices'; add it (unfinished draft: fix it, then remove "
               "draft: true)" and p.severity == "warning" for p in result.problems)


# --- a real terminal ---------------------------------------------------------------------------------------------


def spawn(tmp_path: Path) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
    env.update({"QUIZ_DB": str(tmp_path / "quiz.db"), "QUIZ_CACHE_DIR": "", "PYTHONIOENCODING": "utf-8",
                "LANG": "C.UTF-8", "COLUMNS": "200"})
    return pexpect.spawn(sys.executable, ["-m", "quiz", "add", "--bank", "bank", "--no-builtin"],
                         cwd=str(tmp_path), env=env, encoding="utf-8", timeout=20, dimensions=(50, 200))


def answer(child: pexpect.spawn, prompt: str, value: str) -> None:
    child.expect_exact(prompt)
    child.sendline(value)


@pytest.mark.slow
def test_terminal_distractor_asked_again_and_ctrl_c_saves_a_draft(tmp_path: Path) -> None:
    make_bank()
    child = spawn(tmp_path)
    answer(child, "Kind (choice, typed, truefalse, order, cloze, card): ", "choice")
    answer(child, "Era [middle]: ", "")
    answer(child, "Prompt in Arabic (Enter to skip): ", "من خلف ستالين؟")
    answer(child, "Prompt in English (Enter to skip): ", "Who succeeded Stalin?")
    for n, (ar, en) in enumerate([("خروتشوف", "Khrushchev"), ("خروشوف", "Khrushchov")], 1):
        answer(child, f"Choice {n} in Arabic: ", ar)
        answer(child, f"Choice {n} in English: ", en)
    answer(child, "Choice 3 in Arabic: ", "")
    answer(child, "Choice 3 in English: ", "")
    answer(child, "Right answer (its number, or its text): ", "1")
    child.expect_exact("is the answer 'خروتشوف' in other spelling; replace it with a different wrong answer; give "
                       "the choices again")
    answer(child, "Choice 1 in Arabic: ", "خروتشوف")
    child.expect_exact("Choice 1 in English: ")  # at the next prompt, the teacher cannot think of a wrong answer
    child.sendintr()
    answer(child, "to finish later? [Y/n]: ", "")
    child.expect_exact("Saved draft 'succeeded-stalin' to bank/questions.yaml:2")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    text = Path("bank/questions.yaml").read_text(encoding="utf-8")
    assert "id: succeeded-stalin" in text and "Khrushchov" in text and text.endswith("    draft: true\n")
    checked = run_quiz("validate", "bank")
    assert checked.exit_code == 0, checked.stdout  # a draft's mistakes are warnings


@pytest.mark.slow
def test_terminal_ctrl_c_before_the_era_saves_nothing(tmp_path: Path) -> None:
    make_bank()
    child = spawn(tmp_path)
    answer(child, "Kind (choice, typed, truefalse, order, cloze, card): ", "card")
    child.expect_exact("Era [middle]: ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert not Path("bank/questions.yaml").exists()


# A check that takes its time, so the interrupt lands while a typed line is being processed (between prompts),
# not at a prompt: the prompt check says when it starts, then sleeps until the signal.
SLOW_CHECK = """\
import sys, time
import quiz.authoring.add as a
check = a.check_prompt
def slow(*args):
    print("(checking the prompt)", flush=True)
    time.sleep(60)
    return check(*args)
a.check_prompt = slow
from quiz.cli import main
main()
"""


def spawn_slow(tmp_path: Path) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
    env.update({"QUIZ_DB": str(tmp_path / "quiz.db"), "QUIZ_CACHE_DIR": "", "PYTHONIOENCODING": "utf-8",
                "LANG": "C.UTF-8", "COLUMNS": "200"})
    return pexpect.spawn(sys.executable, ["-c", SLOW_CHECK, "add", "--bank", "bank", "--no-builtin"],
                         cwd=str(tmp_path), env=env, encoding="utf-8", timeout=20, dimensions=(50, 200))


@pytest.mark.slow
def test_terminal_ctrl_c_while_a_line_is_checked_offers_the_draft(tmp_path: Path) -> None:
    make_bank()
    child = spawn_slow(tmp_path)
    answer(child, "Kind (choice, typed, truefalse, order, cloze, card): ", "typed")
    answer(child, "Era [middle]: ", "")
    answer(child, "Prompt in Arabic (Enter to skip): ", "في أي عام سقط جدار برلين؟")
    answer(child, "Prompt in English (Enter to skip): ", "In which year did the Berlin Wall fall?")
    child.expect_exact("(checking the prompt)")
    child.sendintr()  # between prompts: the line is being processed
    answer(child, "to finish later? [Y/n]: ", "y")
    child.expect(r"Saved draft '([a-z0-9-]+)' to bank/questions.yaml:2")
    qid = child.match.group(1)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    text = Path("bank/questions.yaml").read_text(encoding="utf-8")
    assert f"id: {qid}" in text and "In which year did the Berlin Wall fall?" in text  # the line being checked
    assert text.endswith("    draft: true\n")
    checked = run_quiz("validate", "bank")
    assert checked.exit_code == 0, checked.stdout  # accepted as a draft
    assert "draft" in checked.stdout


@pytest.mark.slow
def test_terminal_ctrl_c_at_the_last_confirmation_offers_the_draft(tmp_path: Path) -> None:
    make_bank()
    child = spawn(tmp_path)
    answer(child, "Kind (choice, typed, truefalse, order, cloze, card): ", "card")
    answer(child, "Era [middle]: ", "")
    answer(child, "Prompt in Arabic (Enter to skip): ", "")
    answer(child, "Prompt in English (Enter to skip): ", "The Berlin Wall fell")
    answer(child, "Answer in Arabic (Enter to skip): ", "")
    answer(child, "Answer in English (Enter to skip): ", "1989")
    for prompt in ("Explanation in Arabic (Enter to skip): ", "Explanation in English (Enter to skip): ",
                   "Source document (notes; Enter for none): ",
                   "Tags (separated by spaces or commas; Enter for none): "):
        answer(child, prompt, "")
    child.expect(r"Id \[([a-z0-9-]+)\]: ")
    child.sendline("")
    child.expect_exact("[y/N]: ")
    child.sendintr()
    answer(child, "to finish later? [Y/n]: ", "")
    child.expect_exact("Saved draft ")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    text = Path("bank/questions.yaml").read_text(encoding="utf-8")
    assert "The Berlin Wall fell" in text and "1989" in text and text.endswith("    draft: true\n")
