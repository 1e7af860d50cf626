"""Choice questions answered by an option's text, near misses asked again, answers in the other language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.grading import answered_in, grade, match_choice, matches, near_miss, normalize
from quiz.model import Alternatives, Kind, Question, Text

VECTORS = json.loads((Path(__file__).parent / "data" / "answer_vectors.json").read_text(encoding="utf-8"))


def _choice(*options: tuple[str, str], answer: int = 0) -> Question:
    choices = tuple(Text(ar=ar, en=en) for ar, en in options)
    return Question(id="q", kind=Kind.CHOICE, era="e", prompt=Text(ar="؟", en="?"), answer=choices[answer],
                    explanation=Text(), source=None, choices=choices)


def _typed(ar: str, en: str) -> Question:
    return Question(id="t", kind=Kind.TYPED, era="e", prompt=Text(ar="؟", en="?"), answer=Text(ar=ar, en=en),
                    explanation=Text(), source=None, accept=Alternatives())


TSARS = _choice(("ألكسندر الثاني", "Alexander II"), ("ألكسندر الثالث", "Alexander III"),
                ("نيقولا الأول", "Nicholas I"), ("بطرس الأكبر", "Peter the Great"), answer=1)
YEARS = _choice(("1808", "1808"), ("1809", "1809"), ("1812", "1812"), ("1867", "1867"), answer=1)
CITIES = _choice(("يالطا", "Yalta"), ("جنيف", "Geneva"), ("سيتكا", "Sitka"), ("مالطا", "Malta"))


@pytest.mark.parametrize(("reply", "index"), [
    ("Alexander III", 1), ("alexander iii", 1), ("Alexander II", 0), ("Alexandr III", 1),
    ("Nicholas", 2), ("Peter", 3), ("pet", 3), ("great", 3), ("gre", None), ("Alexander", None),
    ("the great", 3), ("Zz", None),
    ("ألكسندر الثالث", None),  # an English session: Arabic text names nothing
])
def test_an_option_is_named_by_its_text(reply: str, index: int | None) -> None:
    assert match_choice(TSARS, reply, ("en",)) == index


def test_with_both_languages_either_names_the_option() -> None:
    assert match_choice(TSARS, "ألكسندر الثالث", ("ar", "en")) == 1
    assert match_choice(TSARS, "بطرس", ("ar", "en")) == 3


def test_years_are_strict_and_a_year_is_not_an_option_number() -> None:
    assert match_choice(YEARS, "1809", ("en",)) == 1
    assert match_choice(YEARS, "١٨٠٩", ("ar",)) == 1
    assert match_choice(YEARS, "1810", ("en",)) is None
    verdict = grade(YEARS, "1809", "en", (3, 2, 1, 0))
    assert verdict is not None and verdict.correct and verdict.picked == 1
    verdict = grade(YEARS, "2", "en", (3, 2, 1, 0))  # a plain number names the option shown second
    assert verdict is not None and not verdict.correct and verdict.picked == 2


def test_grade_picks_by_text_and_says_what_was_picked() -> None:
    right = grade(TSARS, "Alexander III", "en", (0, 1, 2, 3))
    wrong = grade(TSARS, "Peter the Great", "en", (0, 1, 2, 3))
    assert right is not None and right.correct and right.picked == 1
    assert wrong is not None and not wrong.correct and wrong.picked == 3
    assert grade(TSARS, "Alexander", "en", (0, 1, 2, 3)) is None  # ambiguous: asked again


def test_near_misses_are_asked_again_but_never_accepted() -> None:
    sitka = _typed("سيتكا", "Sitka")
    assert near_miss(sitka, "Sitca", "en") and not grade(sitka, "Sitca", "en").correct  # type: ignore[union-attr]
    assert near_miss(sitka, "سيتكة", "ar")  # ة folds to ه: one edit from سيتكا
    assert near_miss(_typed("يالطا", "Yalta"), "Malta", "en")
    assert not grade(_typed("يالطا", "Yalta"), "Malta", "en").correct  # type: ignore[union-attr]
    assert not near_miss(_typed("1962", "1962"), "1961", "en")  # numbers: never a near miss
    assert not near_miss(_typed("سيتكا", "Sitka"), "Sitka", "ar")  # another script is not a slip
    assert not near_miss(sitka, "Moscow", "en")
    # In a choice, a slip counts only when it is close to exactly one option: Malta is an option itself.
    assert not near_miss(CITIES, "Malta", "en")
    assert near_miss(CITIES, "Sitca", "en")


def test_an_answer_in_the_other_language_is_recognised() -> None:
    sitka = _typed("سيتكا", "Sitka")
    assert answered_in(sitka, "سيتكا", "en")
    assert not answered_in(sitka, "Sitka", "en")
    assert answered_in(TSARS, "بطرس الأكبر", "en")
    assert not answered_in(TSARS, "Peter", "en")


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["why"][:40])
def test_the_shared_vectors_a_match_is_never_a_near_miss(vector: dict[str, object]) -> None:
    question = _typed(str(vector["expected"]), str(vector["expected"]))
    lang = "ar" if any("\u0600" <= ch <= "\u06ff" for ch in str(vector["expected"])) else "en"
    if vector["match"]:
        assert not near_miss(question, str(vector["given"]), lang)  # type: ignore[arg-type]


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzابتثجحخدذرزسشصضطظعغفقكلمنهوي ", min_size=1, max_size=14)


@settings(max_examples=300, deadline=None)
@given(words, words)
def test_near_miss_and_match_never_both_hold(expected: str, reply: str) -> None:
    question = _typed(expected, expected)
    lang = "ar" if any("\u0600" <= ch <= "\u06ff" for ch in expected) else "en"
    if normalize(expected) and matches(expected, reply):
        assert not near_miss(question, reply, lang)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.lists(words, min_size=2, max_size=5, unique_by=normalize), st.data())
def test_an_options_own_text_names_it(options: list[str], data: st.DataObject) -> None:
    if len({normalize(o) for o in options}) < len(options) or not all(normalize(o) for o in options):
        return
    question = _choice(*((o, o) for o in options))
    index = data.draw(st.integers(0, len(options) - 1))
    found = match_choice(question, options[index], ("ar", "en"))
    assert found is None or normalize(question.choices[found].en) == normalize(options[index]) or \
        matches(question.choices[found].en, options[index])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_match_choice_is_total(reply: str) -> None:
    found = match_choice(TSARS, reply, ("ar", "en"))
    assert found is None or 0 <= found < 4
    near_miss(TSARS, reply, "en")
    answered_in(TSARS, reply, "ar")
