"""quiz add, the library: ids, field checks, planning with the real loader, atomic writes; init-bank's scaffold."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import bank_header

from quiz.authoring import add
from quiz.authoring.scaffold import bank_prefix, init_bank
from quiz.bank import load_bank
from quiz.errors import AuthoringError, BankError
from quiz.model import Alternatives, Kind, OrderItem, Source, Text

HEADER = bank_header("notes", ("middle",))

QUESTIONS = """\
# My questions: comments and layout must survive `quiz add`.

questions:
  - id: existing          # keep this comment
    kind: card
    era: middle
    prompt: {ar: "سؤال؟", en: 'A question?'}
    answer: {ar: جواب, en: An answer}
    explanation: {ar: شرح, en: Why}
    source: {doc: notes, para: 1}
"""


@pytest.fixture(autouse=True)
def _env(workdir: Path) -> None:
    Path("bank").mkdir()
    Path("bank/header.yaml").write_text(HEADER, encoding="utf-8")
    Path("bank/questions.yaml").write_text(QUESTIONS, encoding="utf-8")


def context() -> add.BankContext:
    return add.bank_context([Path("bank")], builtin=False)


def typed(**changes: object) -> add.NewQuestion:
    base = add.NewQuestion(
        kind=Kind.TYPED, era="middle", prompt=Text("في أي عام أُطلق سبوتنيك؟", "In which year was Sputnik launched?"),
        answer=Text("1957", "1957"), explanation=Text("في أكتوبر 1957.", "In October 1957."),
        source=Source("notes", "middle", 2), tags=("space",), id="sputnik-year",
    )
    from dataclasses import replace

    return replace(base, **changes)  # type: ignore[arg-type]


def test_ids_are_proposed_from_english_else_arabic_else_a_hash() -> None:
    assert add.propose_id(Text(en="In which year was Sputnik launched?"), ()) == "sputnik-launched"
    assert add.propose_id(Text(en="Who signed the SALT I treaty?"), {"signed-salt-i-treaty"}) == \
        "signed-salt-i-treaty-2"
    assert add.propose_id(Text(ar="متى أُطلق القمر الصناعي سبوتنيك؟"), ()) == "atlq-qmr-snaay-sbwtnyk"
    assert add.propose_id(Text(ar="؟؟"), ()).startswith("q-")
    assert add.propose_id(Text(en="Gen. Patton's army?"), ()) == "q-gen-pattons-army"


def test_field_checks_say_what_is_wrong() -> None:
    bank = context().bank
    choices = (Text("أ", "A"), Text("ب", "B"))
    assert add.check_answer_in_choices(Text("ج", "C"), choices) == \
        "the Arabic answer 'ج' is not among the choices ('أ', 'ب')"
    assert add.check_answer_in_choices(Text("أ", "B"), choices) == \
        "the Arabic answer is choice 1 but the English answer is choice 2; they must be the same choice"
    assert add.check_era("late", bank) == "'late' is not an era of the bank (known: middle)"
    assert add.check_prompt(Kind.CLOZE, Text(en="No blank here")) == (
        "a cloze prompt needs exactly one {{blank}} in each language; the English prompt has 0 (mark the missing "
        "words like {{Lend-Lease}})")
    assert add.check_items([OrderItem(Text(en="a"), 1950), OrderItem(Text(en="b"), 1950)]) == \
        "items 1 and 2 have the same year 1950; an order needs distinct dates"
    assert add.check_alternative("ar", "Sputnik") == \
        "accepted answer 'Sputnik' is not Arabic; list it with the English alternatives"
    assert add.check_id("existing", context().question_ids, context().question_ids) == \
        "id 'existing' is already used at bank/questions.yaml:4; choose another"
    assert add.check_id("gen-x", ()) == "id 'gen-x' starts with 'gen-', which is kept for generated questions"
    assert add.check_source(Source("nope"), bank) == "'nope' is not a source document of the bank (known: notes)"
    assert add.check_question(typed(tolerance=2, answer=Text("سبوتنيك", "Sputnik")), bank, ()) == [
        "tolerance is only for typed questions whose answer is a year"]


def test_plan_and_apply_append_after_the_last_question() -> None:
    ctx = context()
    plan = add.plan_add(typed(accept=Alternatives((), ("57",))), Path("bank/questions.yaml"), ctx.roots)
    assert plan.line == 12 and plan.warnings == ()
    add.apply(plan)
    text = Path("bank/questions.yaml").read_text(encoding="utf-8")
    assert text == QUESTIONS + (
        "\n"
        "  - id: sputnik-year\n"
        "    kind: typed\n"
        "    era: middle\n"
        "    prompt: {ar: في أي عام أُطلق سبوتنيك؟, en: In which year was Sputnik launched?}\n"
        '    answer: {ar: "1957", en: "1957"}\n'
        '    accept: {en: ["57"]}\n'
        "    explanation: {ar: في أكتوبر 1957., en: In October 1957.}\n"
        "    source: {doc: notes, era: middle, para: 2}\n"
        "    tags: [space]\n"
    )
    loaded = load_bank([Path("bank")], builtin=False)
    assert loaded.problems == ()
    assert loaded.bank.question("sputnik-year") is not None


def test_the_loader_has_the_last_word_and_the_file_is_untouched() -> None:
    before = Path("bank/questions.yaml").read_bytes()
    wrong = typed(kind=Kind.CLOZE, prompt=Text(en="Two {{blanks}} {{here}}"), answer=Text())
    with pytest.raises(BankError) as caught:
        add.plan_add(wrong, Path("bank/questions.yaml"), context().roots)
    assert [str(p) for p in caught.value.problems] == [
        "bank/questions.yaml:15: cloze question 'sputnik-year' has 2 blanks in its English prompt; use exactly one "
        "per question"]
    assert Path("bank/questions.yaml").read_bytes() == before


def test_a_failed_write_leaves_the_file_byte_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    before = Path("bank/questions.yaml").read_bytes()
    plan = add.plan_add(typed(), Path("bank/questions.yaml"), context().roots)

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        add.apply(plan)
    assert Path("bank/questions.yaml").read_bytes() == before
    assert sorted(p.name for p in Path("bank").iterdir()) == ["header.yaml", "questions.yaml"]


def test_a_file_changed_since_planning_is_not_overwritten() -> None:
    plan = add.plan_add(typed(), Path("bank/questions.yaml"), context().roots)
    Path("bank/questions.yaml").write_text(QUESTIONS + "# edited meanwhile\n", encoding="utf-8")
    with pytest.raises(AuthoringError, match="the file changed"):
        add.apply(plan)
    assert Path("bank/questions.yaml").read_text(encoding="utf-8").endswith("# edited meanwhile\n")


def test_a_new_file_is_created() -> None:
    plan = add.plan_add(typed(), Path("bank/more.yaml"), context().roots)
    assert plan.old is None
    add.apply(plan)
    assert Path("bank/more.yaml").read_text(encoding="utf-8").startswith("questions:\n  - id: sputnik-year\n")


def test_scaffold_prefix_and_refusal(tmp_path: Path) -> None:
    assert bank_prefix(Path("Class 10B")) == "class-10b"
    assert bank_prefix(Path("gen")) == "my-gen"
    assert bank_prefix(Path("صف")) == "sf"
    Path("full").mkdir()
    Path("full/notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(AuthoringError) as caught:
        init_bank(Path("full"))
    assert caught.value.line() == "full: the folder is not empty; choose a new (or empty) folder for the bank"


def test_scaffold_validates_with_no_warnings_and_has_every_kind() -> None:
    written = init_bank(Path("class-7"), builtin_eras=["cold-war"])
    assert [p.name for p in written] == ["bank.yaml", "bank.schema.json", "sources-and-eras.yaml", "questions.yaml"]
    loaded = load_bank([Path("class-7")], builtin=False)
    assert loaded.problems == ()
    hand = [q for q in loaded.bank.questions if not q.generated]
    assert sorted(q.kind.value for q in hand) == sorted(k.value for k in Kind)
    assert all(q.id.startswith("class-7-") for q in hand)
    from quiz.bank.lint import lint

    assert lint(loaded.bank) == []
