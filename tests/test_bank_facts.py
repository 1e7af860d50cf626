"""Questions know what they test (issue 13): events on events and questions, siblings, reveals, proposed links."""

from __future__ import annotations

from pathlib import Path

from quiz.bank import build_bank, load_bank
from quiz.bank import rules as R
from quiz.bank.lint import lint
from quiz.model import Bank

HEADER = """\
sources:
  - {id: notes, title: {ar: ملاحظات, en: Notes}}
eras:
  - {id: middle, start: 1950, end: 1970, title: {ar: الوسط, en: Middle}}
events:
  - id: sputnik-launch
    date: "1957-10-04"
    era: middle
    title: {ar: إطلاق القمر الصناعي الأول, en: The launch of the first artificial satellite}
    year_question: {ar: في أي عام أُطلق أول قمر صناعي؟, en: In which year was the first satellite launched?}
    distractors: [1955, 1959]
    also_right: [1958]
    source: {doc: notes}
  - id: cuban-missile-crisis
    date: "1962-10"
    era: middle
    title: {ar: أزمة الصواريخ الكوبية, en: The Cuban missile crisis}
    source: {doc: notes}
questions:
"""


def bank_of(questions: str, header: str = HEADER) -> tuple[Bank, list[str], list[str]]:
    result = build_bank([("bank.yaml", (header + questions).encode())])
    problems = [*result.problems, *lint(result.bank, result.problems)]
    return result.bank, [f"{p.path}:{p.line}: {p.rule}: {p.message}" for p in problems], [p.rule for p in problems]


def q(qid: str, prompt: str, answer: str, explanation: str = "Because.", events: str = "",
      kind: str = "typed") -> str:
    link = f"events: [{events}], " if events else ""
    return (f"  - {{id: {qid}, kind: {kind}, era: middle, {link}prompt: {{ar: س {qid}, en: '{prompt}'}}, "
            f"answer: {{ar: ج, en: '{answer}'}}, explanation: {{ar: ش, en: '{explanation}'}}, "
            "source: {doc: notes}}\n")


def test_events_carry_their_year_question_distractors_and_also_right() -> None:
    bank, messages, _ = bank_of("")
    event = next(e for e in bank.events if e.id == "sputnik-launch")
    assert event.year_question.en == "In which year was the first satellite launched?"
    assert event.distractors == (1955, 1959)
    assert event.also_right == (1958,)
    assert not [m for m in messages if "Q101" in m]


def test_a_question_links_its_events_and_an_unknown_one_is_an_error_with_a_suggestion() -> None:
    bank, messages, rules = bank_of(q("sat-name", "What was the first satellite called?", "Sputnik",
                                      events="sputnik-launch") +
                                    q("crisis-place", "Where were the missiles?", "Cuba", events="cuban-misile-crisis"))
    assert bank.by_id["sat-name"].events == ("sputnik-launch",)
    assert "Q223" in rules
    [line] = [m for m in messages if "Q223" in m]
    assert line == ("bank.yaml:21: Q223: typed question 'crisis-place' names event 'cuban-misile-crisis', which is "
                    "not defined (did you mean 'cuban-missile-crisis'?)")


def test_bad_years_are_reported() -> None:
    header = HEADER.replace("distractors: [1955, 1959]", "distractors: [1957, 1958]")
    _, messages, rules = bank_of("", header)
    assert rules.count("Q224") == 2
    assert any("lists 1957, the event's own year" in m for m in messages)


def test_siblings_are_the_questions_sharing_an_event() -> None:
    bank, _, _ = bank_of(q("sat-name", "What was the first satellite called?", "Sputnik", events="sputnik-launch"))
    siblings = set(bank.siblings("sat-name"))
    assert "gen-year-sputnik-launch" in siblings and "gen-yearpick-sputnik-launch" in siblings
    assert "sat-name" not in siblings
    assert "sat-name" in bank.siblings("gen-year-sputnik-launch")
    assert not any(s.endswith("cuban-missile-crisis") for s in siblings)


def test_siblings_and_reveals_survive_the_bank_cache(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "b.yaml").write_text(HEADER + q("sat-name", "What was the first satellite called?", "Sputnik",
                                                events="sputnik-launch")
                                   + q("spy", "Which satellite, launched in 1957, did the Soviet Union name?",
                                       "Sputnik again", "The first satellite was launched in 1957."),
                                   encoding="utf-8")
    cold = load_bank([folder], builtin=False, cache_dir=tmp_path / "cache").bank
    warm = load_bank([folder], builtin=False, cache_dir=tmp_path / "cache").bank
    assert warm.by_id.__class__ is not dict  # really from the cache
    assert warm.siblings("sat-name") == cold.siblings("sat-name")
    assert dict(warm.reveals) == dict(cold.reveals) and cold.reveals


def test_a_prompt_stating_another_questions_answer_is_a_reveal_naming_both_places() -> None:
    _, messages, _ = bank_of(
        q("sat-name", "What was the first artificial satellite called?", "Sputnik")
        + q("sat-spin", "How long did Sputnik orbit?", "Three months"))
    [line] = [m for m in messages if "Q405" in m]
    assert line.startswith("bank.yaml:21: Q405: question 'sat-spin' shows 'sputnik' in its English prompt, "
                           "the answer of 'sat-name' (bank.yaml:20)")


def test_a_year_reveals_only_about_the_same_event() -> None:
    _, messages, _ = bank_of(
        q("other", "What did the first artificial satellite carry?", "A radio transmitter",
          "The first artificial satellite, launched in 1957, carried a radio.")
        + q("unrelated", "Which crisis followed the U-2 affair?", "The Cuban one", "A U-2 was shot down in 1957."))
    reveals = [m for m in messages if "Q405" in m]
    assert len(reveals) == 1
    assert "'other' shows '1957' in its English explanation, the answer of 'gen-year-sputnik-launch'" in reveals[0]
    assert "'gen-yearpick-sputnik-launch'" in reveals[0]


def test_a_siblings_explanation_may_state_the_answer_but_not_its_prompt() -> None:
    _, messages, _ = bank_of(
        q("sat-carried", "What did the first artificial satellite carry?", "A radio transmitter",
          "It was launched in 1957.", events="sputnik-launch")
        + q("sat-year", "The first artificial satellite of 1957 carried what?", "A radio beacon",
            events="sputnik-launch"))
    reveals = [m for m in messages if "Q405" in m]
    assert len(reveals) == 1
    assert "'sat-year' shows '1957' in its English prompt, the answer of sibling " in reveals[0]


def test_a_question_naming_an_events_year_and_title_is_proposed_a_link() -> None:
    _, messages, _ = bank_of(q("sat-carried", "What did the first artificial satellite carry in 1957?", "A radio"))
    [line] = [m for m in messages if "Q406" in m]
    assert line == ("bank.yaml:20: Q406: question 'sat-carried' names the year and title of 'sputnik-launch' at "
                    "bank.yaml:6; add events: [sputnik-launch]")


def test_an_answer_shown_everywhere_is_reported_once_on_the_weak_question() -> None:
    fillers = "".join(q(f"f{i}", f"What did Cuba do in step {i}?", f"Thing {i}") for i in range(12))
    _, messages, _ = bank_of(q("where", "Which island held the missiles?", "Cuba") + fillers)
    reveals = [m for m in messages if "Q405" in m]
    assert reveals == ["bank.yaml:20: Q405: question 'where' asks for 'Cuba', which 12 other questions show; "
                       "ask for something less common"]


def test_rules_are_in_the_rulebook() -> None:
    assert R.REVEAL.code == "Q405" and R.PROPOSED_LINK.code == "Q406" and R.UNKNOWN_EVENT.code == "Q223"


def test_a_reveal_names_each_target_by_its_place_and_a_placeless_one_as_generated() -> None:
    from quiz.bank.lint_facts import _reveal_groups
    from quiz.model import Location

    shown = ("rev", "t1", "explanation", "en", "sputnik", True, False, None, False, None)
    other = ("rev", "t2", "explanation", "en", "sputnik", False, False, None, False, Location("b.yaml", 7))
    key = ("rev", "explanation", "en:sputnik")
    [problem] = _reveal_groups({key: {"t1": shown, "t2": other}}, {key: {"English"}})
    assert (problem.path, problem.line, problem.rule) == ("?", 0, "Q405")
    assert problem.message == ("question 'rev' shows 'sputnik' in its English explanation, the answer of sibling "
                               "'t1' (generated), 't2' (b.yaml:7); reword it (or, if both ask about one event, "
                               "link them with 'events:')")
    [alone] = _reveal_groups({key: {"t1": shown}}, {key: {"English", "Arabic"}})
    assert alone.message == ("question 'rev' shows 'sputnik' in its Arabic and English explanation, the answer of "
                             "sibling 't1' (generated); reword it")
