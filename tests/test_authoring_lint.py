"""The linter: near-duplicates, distractors equal to the answer, years outside eras; each problem reported once;
`quiz validate` groups by file, `--strict`, `--json`."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from conftest import bank_header, run_quiz

from quiz.bank import build_bank
from quiz.bank.lint import lint, near_duplicates, near_equal

HEADER = bank_header("notes", ("early", "middle"))


pytestmark = pytest.mark.usefixtures("workdir")


def card(qid: str, en: str, ar: str, era: str = "middle", *, source: bool = True) -> str:
    src = "\n    source: {doc: notes, era: middle, para: 1}" if source else ""
    return (f"  - id: {qid}\n    kind: card\n    era: {era}\n    prompt: {{ar: {ar}, en: {en}}}\n"
            f"    answer: {{ar: جواب, en: An answer}}\n    explanation: {{ar: شرح, en: Why}}{src}\n")


def choice(qid: str, answer: str, *others: str, ar: tuple[str, ...] = ()) -> str:
    options = [answer, *others]
    ar_options = list(ar) or [f"خيار {qid} {i}" for i in range(len(options))]  # distinct: no reveals
    lines = "".join(f"      - {{ar: {a}, en: {e}}}\n" for a, e in zip(ar_options, options, strict=True))
    return (f"  - id: {qid}\n    kind: choice\n    era: middle\n    prompt: {{ar: سؤال {qid}؟, en: Question {qid}?}}\n"
            f"    answer: {{ar: {ar_options[0]}, en: {answer}}}\n    choices:\n{lines}"
            "    explanation: {ar: شرح, en: Why}\n    source: {doc: notes, era: middle, para: 1}\n")


def load(files: dict[str, str]) -> tuple:
    blobs = [("bank/_header.yaml", HEADER.encode())]
    blobs += [(f"bank/{name}", text.encode()) for name, text in files.items()]
    result = build_bank(blobs)
    return result, lint(result.bank, result.problems)


@pytest.mark.parametrize(("a", "b"), [
    ("Alexander II", "Alexander III"),
    ("SALT I", "SALT II"),
    ("1962", "1963"),
    ("Apollo 11", "Apollo 13"),
    ("East Germany", "West Germany"),
    ("نيقولا الأول", "نيقولا الثاني"),
    ("ستارت 1", "ستارت 2"),
    ("Iran", "Iraq"),
    ("The first Gulf War", "The second Gulf War"),
])
def test_numbers_roman_numerals_and_ordinals_are_significant(a: str, b: str) -> None:
    assert not near_equal(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("Lend-Lease", "Lend Lease"),
    ("Khrushchev", "Khrushchov"),
    ("The Marshall Plan", "Marshall plan"),
    ("نيو ستارت", "نيوستارت"),
    ("خروتشوف", "خروشوف"),
    ("Alexander II", "alexander ii"),
])
def test_other_spellings_are_near_equal(a: str, b: str) -> None:
    assert near_equal(a, b)


def test_a_distractor_equal_to_the_answer_is_an_error_once() -> None:
    text = "questions:\n" + choice("lend", "Lend-Lease", "Lend Lease", "The Marshall Plan")
    text += choice("tsar", "Alexander II", "Alexander III", "Nicholas I")
    text += choice("salt", "SALT I", "SALT II", "START I")
    _, found = load({"q.yaml": text})
    assert [(p.line, p.severity, p.code, p.message) for p in found] == [
        (2, "error", "distractor-equals", "choice question 'lend': distractor 'Lend Lease' is the answer "
         "'Lend-Lease' in other spelling; replace it with a different wrong answer"),
    ]


def test_near_duplicate_choices_are_an_error_and_exact_ones_are_the_loaders() -> None:
    text = "questions:\n" + choice("plans", "NATO", "The Marshall Plan", "Marshall plan")
    text += choice("same", "NATO", "Warsaw Pact", "Warsaw Pact")
    result, found = load({"q.yaml": text})
    assert [(p.line, p.code) for p in found if p.code != "reveal"] == [(2, "near-duplicate-choice")]  # both ask NATO
    assert [p.code for p in result.errors] == ["duplicate-choice"]  # reported by the loader, not again by lint


def test_near_duplicate_prompts_are_a_warning_on_the_later_question() -> None:
    text = "questions:\n"
    text += card("who-sputnik", "Which country launched the satellite Sputnik in 1957?",
                 "أي دولة أطلقت القمر الصناعي سبوتنيك عام 1957؟")
    text += card("who-sputnik-again", "Which country launched the Sputnik satellite in 1957?",
                 "ما الدولة التي أطلقت سبوتنيك؟")
    text += card("who-sputnik-other-year", "Which country launched the satellite Sputnik in 1958?",
                 "أي دولة أطلقت القمر الصناعي سبوتنيك عام 1958؟")
    text += card("who-explorer", "Which country launched the satellite Explorer in 1958?",
                 "أي دولة أطلقت القمر الصناعي إكسبلورر؟")
    _, found = load({"q.yaml": text})
    assert [(p.line, p.severity, p.message) for p in found] == [
        (9, "warning", "question 'who-sputnik-again' asks the same as 'who-sputnik' (bank/q.yaml:2) in other "
         "words; merge them or make them differ"),
    ]


def test_order_questions_compare_their_items_not_their_stock_prompt() -> None:
    def order(qid: str, *items: tuple[str, int]) -> str:
        arabic = dict(zip("ABCDEF", "أبجدهو", strict=True))
        rows = "".join(f"      - {{ar: بند {arabic[t]}, en: {t}, year: {y}}}\n" for t, y in items)
        return (f"  - id: {qid}\n    kind: order\n    era: middle\n"
                "    prompt: {ar: رتّب هذه الأحداث, en: Put these events in order}\n"
                f"    items:\n{rows}    explanation: {{ar: شرح, en: Why}}\n"
                "    source: {doc: notes, para: 1}\n")

    text = "questions:\n" + order("o1", ("A", 1941), ("B", 1950), ("C", 1960))
    text += order("o2", ("D", 1942), ("E", 1951), ("F", 1961))
    text += order("o3", ("C", 1941), ("B", 1950), ("A", 1960))
    result, _ = load({"q.yaml": text})
    hand = [q for q in result.bank.questions if not q.generated]
    assert [(a.id, b.id) for a, b in near_duplicates(hand)] == [("o3", "o1")]


def test_a_year_answer_outside_the_era_is_a_warning() -> None:
    text = textwrap.dedent("""\
        questions:
          - id: atom-year
            kind: typed
            era: early
            prompt: {ar: في أي عام ألقيت القنبلة الذرية على هيروشيما؟, en: In which year was Hiroshima bombed?}
            answer: {ar: "1945", en: "1945"}
            explanation: {ar: شرح, en: Why}
            source: {doc: notes, para: 1}
          - id: diplomats-count
            kind: typed
            era: early
            prompt: {ar: كم دبلوماسيا طرد؟, en: How many diplomats were expelled?}
            answer: {ar: "1200", en: "1200"}
            explanation: {ar: شرح, en: Why}
            source: {doc: notes, para: 1}
        """)
    _, found = load({"q.yaml": text})
    assert [(p.line, p.code, p.message) for p in found] == [
        (2, "year-outside-era", "typed question 'atom-year' answers 1945, outside its era 'early' (1900–1939); "
         "check the year, or move the question to the era it is about"),
    ]


def test_loader_findings_are_not_repeated_by_the_linter() -> None:
    text = textwrap.dedent("""\
        events:
          - id: later
            date: 1960
            era: middle
            title: {ar: حدث لاحق, en: a later event}
            source: {doc: notes, era: middle, para: 1}
          - id: earlier
            date: 1950
            era: middle
            title: {ar: حدث سابق, en: an earlier event}
        questions:
          - id: tied
            kind: order
            era: middle
            items:
              - {ar: أ, en: A, year: 1950}
              - {ar: ب, en: B, year: 1950}
            explanation: {ar: شرح, en: Why}
            source: {doc: notes, para: 1}
        """)
    result, found = load({"q.yaml": text})
    codes = sorted(p.code for p in (*result.problems, *found))
    assert codes == ["event-order", "no-source", "order-tie"]


# --- quiz validate: grouping, --strict, --json ----------------------------------------------------------------


def write_bank(files: dict[str, str]) -> Path:
    root = Path("bank")
    root.mkdir(exist_ok=True)
    (root / "_header.yaml").write_text(HEADER, encoding="utf-8")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def broken_bank() -> Path:
    return write_bank({
        "a.yaml": "questions:\n" + choice("lend", "Lend-Lease", "Lend Lease", "Marshall Plan")
        + card("nosource", "Who?", "من؟", source=False),
        "b.yaml": "questions:\n" + card("half", "What happened?", "ماذا حدث؟").replace(", en: What happened?", ""),
    })


def test_validate_groups_problems_by_file() -> None:
    broken_bank()
    result = run_quiz("validate", "bank")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "== bank/a.yaml (1 error, 1 warning)\n"
        "bank/a.yaml:2: error: choice question 'lend': distractor 'Lend Lease' is the answer 'Lend-Lease' in other "
        "spelling; replace it with a different wrong answer\n"
        "bank/a.yaml:13: warning: card question 'nosource' has no source; add source: {doc: ..., era: ..., para: N}\n"
        "== bank/b.yaml (0 errors, 1 warning)\n"
        "bank/b.yaml:5: warning: card question 'half' has no English prompt; add prompt.en\n"
        "3 questions (0 generated) in 3 files: 1 error, 2 warnings\n"
    )


def test_validate_strict_makes_warnings_errors() -> None:
    write_bank({"b.yaml": "questions:\n" + card("half", "What happened?", "ماذا حدث؟").replace(
        ", en: What happened?", "")})
    lenient = run_quiz("validate", "bank")
    assert lenient.exit_code == 0
    assert lenient.stdout == "1 questions (0 generated) in 2 files: 0 errors, 1 warning\n"
    strict = run_quiz("validate", "--strict", "bank")
    assert strict.exit_code == 1
    assert strict.stderr == (
        "== bank/b.yaml (1 error, 0 warnings)\n"
        "bank/b.yaml:5: error: card question 'half' has no English prompt; add prompt.en\n"
        "1 questions (0 generated) in 2 files: 1 error, 0 warnings\n"
    )


def test_validate_json() -> None:
    broken_bank()
    result = run_quiz("validate", "--json", "bank")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert (payload["errors"], payload["warnings"], payload["strict"]) == (1, 2, False)
    assert payload["problems"][0] == {
        "path": "bank/a.yaml", "line": 2, "severity": "error", "code": "distractor-equals",
        "message": "choice question 'lend': distractor 'Lend Lease' is the answer 'Lend-Lease' in other spelling; "
                   "replace it with a different wrong answer",
    }
    assert [p["code"] for p in payload["problems"]] == ["distractor-equals", "no-source", "missing-translation"]


def test_the_builtin_bank_has_no_linter_errors() -> None:
    result = run_quiz("validate")
    assert result.exit_code == 0, result.stderr
