"""The rulebook (`quiz.bank.rules`): every code unique and documented, and the authoring tools give the same
verdict, under the same rule, as the loader for the same mistake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quiz.authoring import add
from quiz.bank import build_bank, builtin_dir
from quiz.bank import rules as R
from quiz.model import Kind, OrderItem, Text

HEADER = """\
sources:
  - {id: notes, title: {ar: ملاحظات, en: Notes}}
eras:
  - {id: middle, start: 1950, end: 1970, title: {ar: الوسط, en: Middle}}
questions:
"""


def loader_rules(question_yaml: str) -> set[str]:
    result = build_bank([("bank.yaml", (HEADER + question_yaml).encode())])
    return {p.rule for p in result.errors}


def test_every_rule_has_a_unique_well_formed_code() -> None:
    assert all(re.fullmatch(r"Q\d{3}", code) for code in R.RULES)
    assert [rule.code for rule in R.RULES.values()] == list(R.RULES)
    assert len({rule.summary for rule in R.RULES.values()}) == len(R.RULES)
    with pytest.raises(ValueError, match="Q101 is used twice"):
        R._rule("Q101", "unknown-key", "error", "again")


def test_every_rule_is_documented_in_the_bank_readme() -> None:
    text = (builtin_dir() / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (Q\d{3}) \| (.*) \|$", text, re.MULTILINE))
    assert set(table) == set(R.RULES)
    for code, rule in R.RULES.items():
        assert table[code] == f"{rule.family or '—'} | {rule.severity} | {rule.summary}"


def test_every_problem_the_loader_reports_names_its_rule() -> None:
    raw = (HEADER + "  - {id: Bad, kind: typed, era: late, prompt: {en: x}}\n  - [oops]\n").encode()
    problems = build_bank([("bank.yaml", raw), ("empty.yaml", b""), ("bad.yaml", b"a: [")]).problems
    assert problems and all(p.rule in R.RULES for p in problems)
    assert all(p.code == R.RULES[p.rule].family and p.severity == R.RULES[p.rule].severity for p in problems)


CHOICE = "  - {{id: q, kind: choice, era: middle, prompt: {{ar: س, en: Q}}, answer: {{ar: {a}, en: {e}}}, " \
         "choices: [{choices}], source: {{doc: notes}}, explanation: {{ar: ش, en: E}}}}\n"


@pytest.mark.parametrize(("answer", "choices", "rule"), [
    (("ج", "C"), [("أ", "A"), ("ب", "B")], R.ANSWER_NOT_IN_CHOICES),
    (("أ", "B"), [("أ", "A"), ("ب", "B")], R.CHOICE_MISMATCH),
    (("أ", "A"), [("أ", "A"), ("أ", "B")], R.DUPLICATE_CHOICE),
])
def test_choices_get_the_same_verdict_from_add_and_the_loader(
        answer: tuple[str, str], choices: list[tuple[str, str]], rule: R.Rule) -> None:
    flow = ", ".join(f"{{ar: {ar}, en: {en}}}" for ar, en in choices)
    assert rule.code in loader_rules(CHOICE.format(a=answer[0], e=answer[1], choices=flow))
    texts = [Text(ar, en) for ar, en in choices]
    found = add.check_choices(texts) or add.check_answer_in_choices(Text(*answer), texts)
    assert found is not None and found.rule is rule


@pytest.mark.parametrize(("years", "rule"), [((1950, 1950), R.ORDER_TIE), ((1960, 1955), R.ORDER_UNSORTED)])
def test_order_years_get_the_same_verdict(years: tuple[int, int], rule: R.Rule) -> None:
    items = ", ".join(f"{{ar: ب{i}, en: b{i}, year: {y}}}" for i, y in enumerate(years))
    assert rule.code in loader_rules(f"  - {{id: q, kind: order, era: middle, items: [{items}]}}\n")
    found = add.check_items([OrderItem(Text("ب", f"b{i}"), y) for i, y in enumerate(years)])
    assert found is not None and found.rule is rule


@pytest.mark.parametrize(("qid", "rule"), [("Bad_Id", R.BAD_ID), ("gen-mine", R.RESERVED_ID)])
def test_ids_get_the_same_verdict(qid: str, rule: R.Rule) -> None:
    card = f"  - {{id: {qid}, kind: card, era: middle, prompt: {{en: Q}}, answer: {{en: A}}}}\n"
    assert rule.code in loader_rules(card)
    found = add.check_id(qid, ())
    assert found is not None and found.rule is rule


def test_cloze_blanks_script_and_tolerance_get_the_same_verdict() -> None:
    assert R.CLOZE_BLANK.code in loader_rules("  - {id: q, kind: cloze, era: middle, prompt: {en: No blank}}\n")
    assert add.check_prompt(Kind.CLOZE, Text(en="No blank")).rule is R.CLOZE_BLANK  # type: ignore[union-attr]
    typed = "  - {id: q, kind: typed, era: middle, prompt: {en: Q}, answer: {en: A}, "
    assert R.CROSS_SCRIPT.code in loader_rules(typed + "accept: {ar: [Sputnik]}}\n")
    assert add.check_alternative("ar", "Sputnik").rule is R.CROSS_SCRIPT  # type: ignore[union-attr]
    assert add.check_alternative("ar", "سبوتنيك Sputnik") is None  # mixed text: the loader accepts it too
    assert R.CROSS_SCRIPT.code not in loader_rules(typed + "accept: {ar: [سبوتنيك Sputnik]}}\n")
    assert R.TOLERANCE.code in loader_rules(typed + "tolerance: 2}\n")
    assert add.check_tolerance(Kind.TYPED, 2, Text(en="A")).rule is R.TOLERANCE  # type: ignore[union-attr]


def test_the_importer_reports_findings_under_their_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.authoring import importers

    monkeypatch.chdir(tmp_path)
    Path("bank").mkdir()
    Path("bank/b.yaml").write_text(HEADER.replace("questions:\n", ""), encoding="utf-8")
    Path("in.csv").write_text("id,kind,era,prompt_en,answer_en,choices_en\n"
                              "gen-x,typed,middle,Which year?,1957,\n"
                              "q2,typed,nowhere,Which year?,1958,\n", encoding="utf-8")
    context = add.bank_context([Path("bank")], builtin=False)
    plan = importers.plan_import(Path("in.csv"), context, target=Path("bank/new.yaml"))
    by_line = {(p.line, p.rule) for p in plan.errors}
    assert (2, R.RESERVED_ID.code) in by_line and (3, R.UNKNOWN_ERA.code) in by_line
