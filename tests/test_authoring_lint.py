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
    assert result.stderr == ""
    assert result.stdout == (
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
    assert (lenient.exit_code, lenient.stderr) == (0, "")
    assert lenient.stdout.splitlines()[-1] == "1 questions (0 generated) in 2 files: 0 errors, 1 warning"
    strict = run_quiz("validate", "--strict", "bank")
    assert (strict.exit_code, strict.stderr) == (1, "")
    assert strict.stdout == (
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


# --- swapped languages (Q408), paraphrases (Q403), --format github ----------------------------------------------


def typed(qid: str, prompt_en: str, prompt_ar: str, answer: str = "{ar: \"1989\", en: \"1989\"}") -> str:
    return (f"  - id: {qid}\n    kind: typed\n    era: middle\n    prompt: {{ar: {prompt_ar}, en: {prompt_en}}}\n"
            f"    answer: {answer}\n    explanation: {{ar: شرح, en: Why}}\n"
            "    source: {doc: notes, era: middle, para: 1}\n")


def test_swapped_languages_are_one_error_with_the_swap_spelled_out() -> None:
    text = "questions:\n" + typed("rival", "Who was the rival?", "من كان الخصم؟", "{ar: USSR, en: الاتحاد السوفياتي}")
    text += typed("fine", "Who was the ally?", "من كان الحليف؟", "{ar: بريطانيا, en: Britain}")
    text += typed("half", "Who was the partner?", "من كان الشريك؟", "{ar: France, en: France}")
    _, found = load({"q.yaml": text})
    swapped = [(p.line, p.severity, p.rule, p.code, p.message) for p in found if p.rule == "Q408"]
    assert swapped == [
        (2, "error", "Q408", "swapped-languages", "typed question 'rival': the languages of its answer are swapped: "
         "the Arabic is 'USSR' (Latin letters) and the English 'الاتحاد السوفياتي' (Arabic letters); swap them: "
         "answer: {ar: الاتحاد السوفياتي, en: USSR}"),
    ]


def test_swapped_event_titles_are_reported_on_the_event() -> None:
    text = ("events:\n  - id: ev-wall\n    date: 1961\n    era: middle\n    title: {ar: Berlin Wall, en: جدار برلين}\n"
            "    source: {doc: notes, para: 1}\n")
    _, found = load({"e.yaml": text})
    assert [(p.line, p.rule) for p in found if p.rule == "Q408"] == [(2, "Q408")]


@pytest.mark.parametrize(("first", "second"), [
    (("In which year did the Berlin Wall fall?", "سؤال أول؟"), ("What year did the Berlin Wall fall?", "سؤال ثان؟")),
    (("When did the Berlin Wall fall?", "سؤال أول؟"), ("In what year did the Berlin Wall fall?", "سؤال ثان؟")),
    (("Question one?", "في أي عام سقط جدار برلين؟"), ("Question two?", "في أي سنة سقط جدار برلين؟")),
    (("Question one?", "متى سقط جدار برلين؟"), ("Question two?", "في أي عام سقط جدار برلين؟")),
])
def test_paraphrased_prompts_in_either_language_are_near_duplicates(
        first: tuple[str, str], second: tuple[str, str]) -> None:
    text = "questions:\n" + typed("wall-a", *first) + typed("wall-b", *second)
    _, found = load({"q.yaml": text})
    assert [(p.line, p.rule, p.message) for p in found if p.rule == "Q403"] == [
        (9, "Q403", "question 'wall-b' asks the same as 'wall-a' (bank/q.yaml:2) in other words; merge them or "
         "make them differ"),
    ]


@pytest.mark.parametrize(("first", "second"), [
    ("In which year did the Berlin Wall fall?", "In which year was the Berlin Wall built?"),
    ("In which year did Apollo 11 land on the Moon?", "In which year did Apollo 13 land on the Moon?"),
    ("Who succeeded Alexander II?", "Who succeeded Alexander III?"),
    ("In which year did the Berlin Wall fall?", "Who ordered the Berlin Wall to fall?"),
])
def test_prompts_that_ask_other_things_are_not_paraphrases(first: str, second: str) -> None:
    from quiz.bank.paraphrase import paraphrases

    assert list(paraphrases([first, second], "en")) == []


def test_key_words_normalise_question_phrases_and_stop_words() -> None:
    from quiz.bank.paraphrase import key_words

    assert key_words("In which year did the Berlin Wall fall?", "en") == ("@when", "berlin", "wall", "fall")
    assert key_words("What year did the Berlin Wall fall?", "en") == ("@when", "berlin", "wall", "fall")
    assert key_words("في أي سنة سقط جدار برلين؟", "ar") == key_words("في أي عام سقط جدار برلين؟", "ar")
    assert key_words("في أي سنة سقط جدار برلين؟", "ar") == ("@when", "سقط", "جدار", "برلين")


def test_validate_format_github_prints_annotations_on_stdout() -> None:
    broken_bank()
    result = run_quiz("validate", "--format", "github", "bank")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == (
        "::error file=bank/a.yaml,line=2,title=Q401::choice question 'lend': distractor 'Lend Lease' is the answer "
        "'Lend-Lease' in other spelling; replace it with a different wrong answer\n"
        "::warning file=bank/a.yaml,line=13,title=Q209::card question 'nosource' has no source; add source: "
        "{doc: ..., era: ..., para: N}\n"
        "::warning file=bank/b.yaml,line=5,title=Q110::card question 'half' has no English prompt; add prompt.en\n"
        "3 questions (0 generated) in 3 files: 1 error, 2 warnings\n"
    )
    strict = run_quiz("validate", "--format", "github", "--strict", "bank")
    assert strict.stdout.splitlines()[1].startswith("::error file=bank/a.yaml,line=13,title=Q209::")


def test_validate_format_text_is_the_default_and_a_bad_format_is_a_usage_error() -> None:
    broken_bank()
    assert run_quiz("validate", "--format", "text", "bank").stdout == run_quiz("validate", "bank").stdout
    bad = run_quiz("validate", "--format", "xml", "bank")
    assert (bad.exit_code, bad.stdout) == (2, "")
    assert bad.stderr == "Error: --format: 'xml' is not a format; use text or github (or --json)\n"


def test_github_annotations_escape_what_github_reads_as_syntax() -> None:
    from quiz.cli.bank_cmds import _annotation

    assert _annotation("error", "50% done\nnext", "a,b:c.yaml", 3, "Q1") == \
        "::error file=a%2Cb%3Ac.yaml,line=3,title=Q1::50% done%0Anext".replace("50% ", "50%25 ")


def test_a_distractor_the_generator_never_offers_is_a_warning_on_its_event() -> None:
    """A teacher's own wrong years are offered when they lie inside the era; one outside it would silently vanish."""
    text = ("events:\n"
            "  - id: ev-a\n    date: 1960\n    era: middle\n    title: {ar: حدث أ, en: event a}\n"
            "    source: {doc: notes, para: 1}\n"
            "  - id: ev-b\n    date: 1965\n    era: middle\n    title: {ar: حدث ب, en: event b}\n"
            "    source: {doc: notes, para: 1}\n    distractors: [1961, 1968, 1935]\n")
    _, found = load({"e.yaml": text})
    assert [(p.path, p.line, p.severity, p.message) for p in found if p.rule == "Q409"] == [
        ("bank/e.yaml", 7, "warning", "event 'ev-b': distractor 1935 is never offered: it lies outside era 'middle' "
         "(1940–1969); choose a year inside it"),
    ]
    result, fine = load({"e.yaml": text.replace("1935", "1962")})
    assert [p for p in fine if p.rule == "Q409"] == []
    # 1968 is after the bank's latest event (1965), but the teacher chose it: it is offered.
    question = result.bank.question("gen-yearpick-ev-b")
    assert question is not None and {c.en for c in question.choices} == {"1961", "1962", "1965", "1968"}


def test_validate_names_the_unused_distractor_with_file_and_line(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "_header.yaml").write_text(HEADER, encoding="utf-8")
    (bank / "e.yaml").write_text(
        "events:\n  - id: ev-a\n    date: 1960\n    era: middle\n    title: {ar: حدث أ, en: event a}\n"
        "    source: {doc: notes, para: 1}\n    distractors: [1930]\n", encoding="utf-8")
    result = run_quiz("validate", "bank")
    assert result.exit_code == 0
    assert ("bank/e.yaml:2: warning: event 'ev-a': distractor 1930 is never offered: it lies outside era 'middle' "
            "(1940–1969); choose a year inside it\n") in result.stdout
    assert run_quiz("validate", "--strict", "bank").exit_code == 1
