"""The linter's checks of one question's answer against its own choices and era (rules Q401, Q402 and Q404 of
`quiz.bank.rules`), also used by `quiz add` before a question is written: a wrong choice that is the answer in
other spelling, two choices the same in other spelling, a year answered outside the question's era.

Numbers, Roman numerals and ordinal words are significant: `Alexander II` / `Alexander III`, `SALT I` /
`SALT II`, `1962` / `1963`, `نيقولا الأول` / `نيقولا الثاني` are never near-equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from quiz.bank.facts import words
from quiz.bank.paraphrase import ROMAN, significant
from quiz.bank.rules import DISTRACTOR_EQUALS, NEAR_DUPLICATE_CHOICE, Rule, fold
from quiz.grading import allowed_edits, within_edits
from quiz.model import Era, Kind, Text

__all__ = ["choice_fault", "near_equal", "year_fault"]

_ASKS_YEAR = re.compile(r"\byears?\b|\bwhen\b|عام|سنة|متى", re.IGNORECASE)


# --- near-equal answers ----------------------------------------------------------------------------------------


def near_equal(a: str, b: str) -> bool:
    """The same text up to normalisation, spacing and a small misspelling in long words; numbers, Roman
    numerals and ordinal words must be identical, and short words (5 letters or fewer) exact."""
    return _near(words(a), words(b))


def _near(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """`near_equal` of two texts' words."""
    if not x or not y:
        return False
    if len(x) != len(y):  # no test below holds for words of other counts but the joined one
        return "".join(x) == "".join(y) and significant(x) == significant(y)
    if x == y or "".join(x) == "".join(y):
        return significant(x) == significant(y)
    if significant(x) != significant(y):
        return False
    for p, q in zip(x, y, strict=True):
        if p == q:
            continue
        if p[0].isdigit() or q[0].isdigit() or ROMAN.match(p) or ROMAN.match(q):
            return False
        if not within_edits(p, q, allowed_edits(min(len(p), len(q)))):
            return False
    return True


def choice_fault(what: str, answer: Text, choices: Sequence[Text],
                 spelled: Callable[[str], tuple[str, ...]] = words) -> tuple[Rule, str] | None:
    """Q401/Q402: a wrong choice that is the answer in other spelling, or two choices that are the same in other
    spelling (the first found), as the rule and its message; None when the choices are fine. (`spelled`: the
    words of a text, `quiz.bank.facts.words` or a memo of the same.) Each text is split into words once (the
    answer, most often one of the choices, with them), and folded only when its words could be near-equal to
    another's (as many, or the same joined)."""
    for lang in ("ar", "en"):
        expected = getattr(answer, lang)
        texts = [getattr(choice, lang) for choice in choices]
        spelt = [spelled(text) if text else () for text in texts]
        joined = ["".join(words_) for words_ in spelt]  # near-equal words are as many, or the same joined
        folds: list[str | None] = [None] * len(texts)
        if expected:
            at = texts.index(expected) if expected in texts else None
            mine = spelt[at] if at is not None else spelled(expected)
            whole = joined[at] if at is not None else "".join(mine)
            folded = fold(expected)
            for i, (text, words_, join) in enumerate(zip(texts, spelt, joined, strict=True)):
                if text and text != expected and (len(words_) == len(mine) or join == whole) \
                        and _folded(texts, folds, i) != folded and _near(mine, words_):
                    return DISTRACTOR_EQUALS, (f"{what}: distractor {text!r} is the answer {expected!r} in other "
                                               "spelling; replace it with a different wrong answer")
        for i, first in enumerate(texts):
            if not first or first == expected:
                continue
            for k in range(i + 1, len(texts)):
                second = texts[k]
                if not second or second == expected:
                    continue  # the answer is checked above
                if (len(spelt[i]) == len(spelt[k]) or joined[i] == joined[k]) \
                        and _folded(texts, folds, i) != _folded(texts, folds, k) and _near(spelt[i], spelt[k]):
                    return NEAR_DUPLICATE_CHOICE, (f"{what}: choices {first!r} and {second!r} are the same in other "
                                                   "spelling; make every choice different")
    return None


def _folded(texts: Sequence[str], folds: list[str | None], i: int) -> str:
    """`fold(texts[i])`, remembered in `folds`."""
    found = folds[i]
    if found is None:
        found = folds[i] = fold(texts[i])
    return found


# --- years -----------------------------------------------------------------------------------------------------


def year_fault(what: str, kind: Kind, prompt: Text, answer: Text, tolerance: int, era: Era) -> str | None:
    """Q404: the message when a question answers a year (it asks for one, or has a tolerance) outside its era."""
    if kind not in (Kind.TYPED, Kind.CHOICE, Kind.CLOZE):
        return None
    value = (answer.en or answer.ar).strip()
    if not re.fullmatch(r"\d{4}", value):
        return None
    if not tolerance and not _ASKS_YEAR.search(f"{prompt.en} {prompt.ar}"):
        return None  # a number, not necessarily a year
    year = int(value)
    if era.start - tolerance <= year <= era.end + tolerance:
        return None
    return (f"{what} answers {year}, outside its era '{era.id}' ({era.start}–{era.end}); check the year, or move "
            "the question to the era it is about")
