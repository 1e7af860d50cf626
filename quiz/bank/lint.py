"""The linter, checks across questions (rules Q4xx of `quiz.bank.rules`): mistakes a bank can still contain once
every format rule holds.

The loader (`quiz.bank.format`) already reports, once each: duplicate ids (naming both places, across banks too),
choices repeated word for word, an answer missing from its choices, an event dated outside its era, order items
with tied or unsorted years, events out of chronological order within an era's file (warning), a question or
event with no source (warning), a missing translation (warning). This module adds what needs the whole bank or a
judgement of similarity, for hand-written questions (generated ones are built to be right):

- `distractor-equals` (error): a wrong choice that is the answer in other spelling (`Lend-Lease` / `Lend Lease`,
  `Khrushchev` / `Khrushchov`).
- `near-duplicate-choice` (error): two choices that are the same in other spelling.
- `near-duplicate` (warning): the same question twice in other words: the prompts' word sets (after
  normalisation, `quiz.grading.normalize`) are at least 85% the same (Jaccard), with the same numbers; order
  questions compare their items instead.
- `year-outside-era` (warning): a question whose answer is a year outside its era's span.

Numbers, Roman numerals and ordinal words are significant: `Alexander II` / `Alexander III`, `SALT I` /
`SALT II`, `1962` / `1963`, `نيقولا الأول` / `نيقولا الثاني` are never near-equal.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

from quiz.bank.rules import (
    ANSWER_OUTSIDE_ERA,
    DISTRACTOR_EQUALS,
    EMPTY_PROMPT,
    LANG_NAMES,
    NEAR_DUPLICATE,
    NEAR_DUPLICATE_CHOICE,
    PROPOSED_LINK,
    REVEAL,
    Rule,
    fold,
)
from quiz.errors import Problem
from quiz.grading import allowed_edits, normalize, within_edits
from quiz.model import Bank, Kind, Lang, Question

SIMILAR = 0.85
_ASKS_YEAR = re.compile(r"\byears?\b|\bwhen\b|عام|سنة|متى", re.IGNORECASE)
_Add = Callable[[Question, Rule, str], None]
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
_RUN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+")
_ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth elder younger senior junior "
    "اول اولي ثاني ثانيه ثالث ثالثه رابع رابعه خامس خامسه سادس سادسه سابع سابعه ثامن ثامنه تاسع تاسعه عاشر "
    "عاشره اكبر اصغر".split()
)


def lint(bank: Bank, known: Iterable[Problem] = ()) -> list[Problem]:
    """Findings beyond the format rules, in bank order; a finding among `known` is not reported again."""
    seen = {(p.path, p.line, p.code or p.message) for p in known}
    found: list[Problem] = []

    def add(question: Question, rule: Rule, message: str) -> None:
        loc = question.loc
        problem = rule.problem(loc.path if loc else "?", loc.line if loc else 0, message)
        key = (problem.path, problem.line, problem.code)
        if key not in seen:
            seen.add(key)
            found.append(problem)

    hand = [q for q in bank.questions if not q.generated]
    for question in hand:
        if question.kind is Kind.CHOICE:
            _check_choices(question, add)
        _check_year(question, bank, add)
    for later, earlier in near_duplicates(hand):
        where = str(earlier.loc) if earlier.loc else earlier.id
        add(later, NEAR_DUPLICATE, f"question '{later.id}' asks the same as '{earlier.id}' ({where}) in other "
            "words; merge them or make them differ")
    found.extend(p for p in fact_problems(bank) if (p.path, p.line, p.message) not in seen)
    return found


def fact_problems(bank: Bank) -> list[Problem]:
    """Reveals (Q405), proposed links (Q406) and questions empty in a language they are asked in (Q407)."""
    from quiz.bank.facts import Reveal, asks_year, proposed_links, reveals_of

    out: list[Problem] = []
    questions = list(bank.questions)
    for question in questions:
        for lang in question.langs:
            if not question.answer_text(lang).strip() and question.kind is not Kind.CARD:
                out.append(_at(question, EMPTY_PROMPT, f"question '{question.id}' has no {lang} answer though "
                               f"it is asked in {lang}; write it"))
        if not question.langs:
            out.append(_at(question, EMPTY_PROMPT, f"question '{question.id}' is empty in both languages; "
                           "write its prompt (and choices or items)"))
    reveals, common = reveals_of(questions, bank.events)
    grouped: dict[tuple[str, str, str], dict[str, Reveal]] = {}
    langs: dict[tuple[str, str, str], set[str]] = {}
    for reveal in reveals:
        if reveal.reported:
            key = (reveal.revealer.id, reveal.place,
                   reveal.shown if asks_year(reveal.target) else f"{reveal.lang}:{reveal.shown}")
            grouped.setdefault(key, {}).setdefault(reveal.target.id, reveal)
            langs.setdefault(key, set()).add(LANG_NAMES[reveal.lang])
    for key, targets in grouped.items():
        group = list(targets.values())
        first = group[0]
        names = ", ".join(("sibling " if r.siblings else "") + f"'{r.target.id}' ({_where(r.target)})"
                          for r in group)
        where = " and ".join(sorted(langs[key]))
        fix = ("reword it" if all(r.siblings for r in group) else
               "reword it (or, if both ask about one event, link them with 'events:')")
        out.append(_at(first.revealer, REVEAL, f"question '{first.revealer.id}' shows {first.shown!r} in its "
                       f"{where} {first.place}, the answer of {names}; {fix}"))
    for qid, count in common.items():
        question = bank.by_id[qid]
        out.append(_at(question, REVEAL, f"question '{qid}' asks for {question.answer.en or question.answer.ar!r}, "
                       f"which {count} other questions show; ask for something less common"))
    for question, events in proposed_links(questions, bank.events):
        ids = ", ".join(event.id for event in events)
        places = "; ".join(f"'{event.id}' at {_where(event)}" for event in events)
        out.append(_at(question, PROPOSED_LINK, f"question '{question.id}' names the year and title of {places}; "
                       f"add events: [{ids}]"))
    return out


def _where(item: object) -> str:
    loc = getattr(item, "loc", None)
    return str(loc) if loc else "generated"


def _at(question: Question, rule: Rule, message: str) -> Problem:
    loc = question.loc
    return rule.problem(loc.path if loc else "?", loc.line if loc else 0, message)


# --- near-equal answers ----------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    words: list[str] = []
    for word in _RUN.findall(normalize(text)):
        if word.startswith("ال") and len(word) > 3 and not word[2:].isdigit():
            word = word[2:]
        words.append(word)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return tuple(words)


def _significant(words: Sequence[str]) -> tuple[str, ...]:
    """The words that change the meaning however small the edit: numbers, Roman numerals, ordinals."""
    return tuple(w for w in words if w[0].isdigit() or _ROMAN.match(w) or w in _ORDINALS)


def near_equal(a: str, b: str) -> bool:
    """The same text up to normalisation, spacing and a small misspelling in long words; numbers, Roman
    numerals and ordinal words must be identical, and short words (5 letters or fewer) exact."""
    x, y = _words(a), _words(b)
    if not x or not y:
        return False
    if x == y or "".join(x) == "".join(y):
        return _significant(x) == _significant(y)
    if len(x) != len(y) or _significant(x) != _significant(y):
        return False
    for p, q in zip(x, y, strict=True):
        if p == q:
            continue
        if p[0].isdigit() or q[0].isdigit() or _ROMAN.match(p) or _ROMAN.match(q):
            return False
        if not within_edits(p, q, allowed_edits(min(len(p), len(q)))):
            return False
    return True


def _check_choices(question: Question, add: _Add) -> None:
    what = f"choice question '{question.id}'"
    for lang in ("ar", "en"):
        answer = getattr(question.answer, lang)
        texts = [getattr(choice, lang) for choice in question.choices]
        if answer:
            for text in texts:
                if text and text != answer and fold(text) != fold(answer) and near_equal(answer, text):
                    add(question, DISTRACTOR_EQUALS, f"{what}: distractor {text!r} is the answer {answer!r} in "
                        "other spelling; replace it with a different wrong answer")
                    return
        for i, first in enumerate(texts):
            for second in texts[i + 1:]:
                if not first or not second or first == answer or second == answer or fold(first) == fold(second):
                    continue  # exact repeats are the loader's; the answer is checked above
                if near_equal(first, second):
                    add(question, NEAR_DUPLICATE_CHOICE, f"{what}: choices {first!r} and {second!r} are the same "
                        "in other spelling; make every choice different")
                    return


# --- years -----------------------------------------------------------------------------------------------------


def _check_year(question: Question, bank: Bank, add: _Add) -> None:
    if question.kind not in (Kind.TYPED, Kind.CHOICE, Kind.CLOZE):
        return
    era = bank.era(question.era)
    answer = (question.answer.en or question.answer.ar).strip()
    if era is None or not re.fullmatch(r"\d{4}", answer):
        return
    if not question.tolerance and not _ASKS_YEAR.search(f"{question.prompt.en} {question.prompt.ar}"):
        return  # a number, not necessarily a year
    year = int(answer)
    if era.start - question.tolerance <= year <= era.end + question.tolerance:
        return
    add(question, ANSWER_OUTSIDE_ERA, f"{question.kind.value} question '{question.id}' answers {year}, outside its "
        f"era '{era.id}' ({era.start}–{era.end}); check the year, or move the question to the era it is about")


# --- near-duplicate questions ----------------------------------------------------------------------------------


def _signature(question: Question, lang: Lang) -> frozenset[str]:
    if question.kind is Kind.ORDER:
        return frozenset(" ".join(_words(getattr(item.text, lang))) for item in question.items
                         if getattr(item.text, lang))
    text = getattr(question.prompt, lang)
    return frozenset(_words(text)) if text else frozenset()


def _similar(sets: Sequence[frozenset[str]], threshold: float) -> Iterator[tuple[int, int]]:
    """Pairs (earlier, later) of sets whose Jaccard similarity is at least `threshold`, later by later, each
    later's earlier ones in order.

    Prefix filtering (two such sets share one of their rarest |s| - ceil(t·|s|) + 1 tokens), with the index
    kept per token *and size*: a set of n tokens can only match one of ceil(t·n) to floor(n / t) tokens, so
    only those sizes are looked up (a common word's postings no longer grow the candidates of every set)."""
    frequency = Counter(token for tokens in sets for token in tokens)
    index: dict[str, dict[int, list[int]]] = {}
    for i, tokens in enumerate(sets):
        if not tokens:
            continue
        n = len(tokens)
        ordered = sorted(tokens, key=lambda t: (frequency[t], t))
        prefix = ordered[: n - math.ceil(threshold * n) + 1]
        low, high = math.ceil(threshold * n - 1e-9), math.floor(n / threshold + 1e-9)
        found: set[int] = set()
        for token in prefix:
            sizes = index.get(token)
            if sizes is None:
                continue
            for size, members in sizes.items():
                if low <= size <= high:
                    found.update(members)
        for j in sorted(found):
            other = sets[j]
            common = len(tokens & other)
            if common >= threshold * (n + len(other) - common):
                yield j, i
        for token in prefix:
            index.setdefault(token, {}).setdefault(n, []).append(i)


def near_duplicates(questions: Sequence[Question]) -> list[tuple[Question, Question]]:
    """(later, earlier) pairs of questions that ask the same thing in other words; each later question once."""
    pairs: dict[str, tuple[Question, Question]] = {}
    for ordered, group in (
        (True, [q for q in questions if q.kind is Kind.ORDER]),
        (False, [q for q in questions if q.kind is not Kind.ORDER]),
    ):
        for lang in ("en", "ar"):
            sets = [_signature(q, lang) for q in group]
            for i, j in _similar(sets, SIMILAR):
                a, b = group[i], group[j]
                if a.id == b.id or b.id in pairs:
                    continue
                if not ordered and _significant(sorted(sets[i])) != _significant(sorted(sets[j])):
                    continue
                pairs[b.id] = (b, a)
    order = {q.id: index for index, q in enumerate(questions)}
    return sorted(pairs.values(), key=lambda pair: order[pair[0].id])


