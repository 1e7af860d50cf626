"""The linter: mistakes a valid bank can still contain (near-duplicate prompts, distractors equal to the answer)."""

from __future__ import annotations

from collections.abc import Iterable

from quiz.errors import Problem
from quiz.model import Bank, Kind, Question


def lint(bank: Bank, known: Iterable[Problem] = ()) -> list[Problem]:
    """Findings beyond the format rules; `known` problems are not reported twice."""
    from quiz.grading import matches, normalize

    seen = set(known)
    found: list[Problem] = []

    def add(question: Question, message: str, severity: str, code: str) -> None:
        loc = question.loc
        problem = Problem(loc.path if loc else "?", loc.line if loc else 0, message, severity, code)  # type: ignore[arg-type]
        if problem not in seen:
            seen.add(problem)
            found.append(problem)

    hand = [q for q in bank.questions if not q.generated]
    for question in hand:
        if question.kind is Kind.CHOICE:
            for lang in ("ar", "en"):
                answer = question.answer.get(lang) if question.answer.has(lang) else ""
                if not answer:
                    continue
                for choice in question.choices:
                    text = choice.get(lang) if choice.has(lang) else ""
                    if text and text != answer and (normalize(text) == normalize(answer) or matches(answer, text)):
                        add(question, f"{question.kind.value} question '{question.id}': distractor {text!r} is "
                            f"(nearly) the same as the answer {answer!r}; replace it", "error", "distractor-equals")
    prompts: dict[str, Question] = {}
    for question in hand:
        for lang in ("en", "ar"):
            text = question.prompt.get(lang) if question.prompt.has(lang) else ""
            if not text:
                continue
            key = lang + ":" + " ".join(sorted(set(normalize(text).split())))
            first = prompts.get(key)
            if first is not None and first.id != question.id:
                where = f"{first.loc}" if first.loc else first.id
                add(question, f"question '{question.id}' asks the same as '{first.id}' ({where}) in other words; "
                    "merge them or make them differ", "warning", "near-duplicate")
                break
            prompts.setdefault(key, question)
    return found
