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

The first two and the last are one question's own (`quiz.bank.answer_faults`, also `quiz add`'s). Numbers, Roman
numerals and ordinal words are significant: `Alexander II` / `Alexander III`, `SALT I` / `SALT II`, `1962` /
`1963`, `نيقولا الأول` / `نيقولا الثاني` are never near-equal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from quiz.bank.answer_faults import choice_fault, near_equal, year_fault
from quiz.bank.cache import pause_gc, resume_gc, stream
from quiz.bank.duplicates import SIMILAR, Asked, Duplicates, near_duplicates
from quiz.bank.facts import Ready, first_pass, joined_first, ready
from quiz.bank.link_proposals import LinkFinder
from quiz.bank.lint_facts import _at, fact_problems
from quiz.bank.paraphrase import forget, word_memo
from quiz.bank.rules import (
    ANSWER_OUTSIDE_ERA,
    EMPTY_PROMPT,
    NEAR_DUPLICATE,
    PROPOSED_LINK,
    SWAPPED_LANGUAGES,
    UNUSED_DISTRACTOR,
    Rule,
    swapped,
)
from quiz.errors import Problem
from quiz.model import Bank, Era, Event, Kind, Question, Text
from quiz.parallel import MAX_RUNS, split_claimed_parts

if TYPE_CHECKING:
    from quiz.bank.early_checks import EarlyChecks

__all__ = ["BLOCK", "SIMILAR", "checks_of", "choice_fault", "fact_problems", "first_eras", "Linted", "lint",
           "lint_beside", "near_duplicates", "near_equal", "Rider", "RiderPart", "swapped_message",
           "unused_distractors", "year_fault"]

_Add = Callable[[Question | Asked, Rule, str], None]
T = TypeVar("T")
P = TypeVar("P")
R = TypeVar("R")
P_co = TypeVar("P_co", covariant=True)
T_co = TypeVar("T_co", covariant=True)
SPLIT_AT = 5000
"""A bank of this many questions or more is linted on two cores (`quiz.parallel.split_claimed_parts`); a smaller
one here, where a fork would cost more than it saves."""


def lint(bank: Bank, known: Iterable[Problem] = ()) -> list[Problem]:
    """Findings beyond the format rules, in bank order; a finding among `known` is not reported again.

    One pass over the questions (`quiz.bank.stream`: a cached bank's questions are decoded for it and dropped,
    never all held): each hand-written question's own checks there and then, and of each only a compact key
    for the checks across questions (`quiz.bank.duplicates`). A bank of `SPLIT_AT` questions or more is split
    over the cores (`quiz.parallel.split_claimed_parts`): its blocks of `BLOCK` questions are shared out to the
    parts as they get through them (each decodes only its own), each part's findings and keys come back by block
    and are put back in bank order, then the near-duplicate search takes one language a part; the findings are
    the same, in the same order, however it is split."""
    return lint_beside(bank, known, None).problems


class RiderPart(Protocol[P_co]):
    """One part of a `Rider`: shown each question of the part's blocks (a block's in bank order, the blocks in
    the order the part takes them); then its result."""

    def visit(self, question: Question) -> None: ...

    def result(self) -> P_co: ...


class Rider(Protocol[P, T_co]):
    """Another pass of a command over every question (pure computation), riding on the linter's: each question is
    decoded once for both. `part()` starts it in each part of the linter (here or in a forked child, whose result
    comes back pickled), `merged` makes one result of the parts' results, given in no particular order (the
    early checks' first, `quiz.bank.early_checks`): merging must not depend on it."""

    def part(self) -> RiderPart[P]: ...

    def merged(self, results: list[P]) -> T_co: ...


@dataclass(frozen=True, slots=True)
class Linted(Generic[T]):
    """What `lint_beside` finds: the linter's findings, what the rider found (None without one), and how many of
    the bank's questions are generated (counted in the linter's pass, `quiz validate` makes no other)."""

    problems: list[Problem]
    beside: T | None
    generated: int


def lint_beside(bank: Bank, known: Iterable[Problem], rider: Rider[P, T] | None,
                early: EarlyChecks | None = None) -> Linted[T]:
    """`lint`, and `rider` (another pass of a command over the questions) on the linter's own pass: each part
    shows it the questions of its blocks as it checks them, so that no question is decoded twice and the work is
    split as the linter's is. The cyclic collector is off meanwhile (`quiz.bank.cache.pause_gc`): the passes make
    millions of small values and no cycle (at 100k it ran ~1,100 times, 7 of them through everything, ~0.5 s).

    `early`: the own checks of the bank's first blocks, begun by its cold load while it generated the rest
    (`quiz.bank.early_checks`, with their part of `rider`): the blocks it took are not checked again, the others
    are split as usual; the findings are the same."""
    paused = pause_gc()
    try:
        return _lint_beside(bank, known, rider, early)
    finally:
        resume_gc(paused, 0)


def _lint_beside(bank: Bank, known: Iterable[Problem], rider: Rider[P, T] | None,
                 early: EarlyChecks | None) -> Linted[T]:
    seen = {(p.path, p.line, p.code or p.message) for p in known}
    found: list[Problem] = []

    def add(question: Question | Asked, rule: Rule, message: str) -> None:
        problem = _at(question, rule, message)
        key = (problem.path, problem.line, problem.code)
        if key not in seen:
            seen.add(key)
            found.append(problem)

    eras = first_eras(bank.eras)
    count = len(bank.questions)
    start = early.stop() if early is not None else 0  # the first blocks, checked by `early`
    ahead, rides = early.result(bank, eras, rider) if early is not None else ([], [])  # its child gone
    total = (count + BLOCK - 1) // BLOCK
    per_run = max(1, -(-(total - start) // MAX_RUNS))  # blocks a run: one, but in a bank of millions
    checks = partial(_own_checks, bank, eras, rider, start, per_run)
    runs = -(-(total - start) // per_run)
    by_run, parts = split_claimed_parts(checks, runs, 1 if count - start * BLOCK < SPLIT_AT else None)
    beside_found = rider.merged(cast(list[P], [*rides, *parts])) if rider is not None else None
    blocks = [block for its in reversed(by_run) for block in reversed(its)]  # taken from the end: each dropped
    blocks += reversed(ahead)  # once merged
    del by_run, ahead
    duplicates = Duplicates()
    empty: list[Problem] = []
    links: list[Problem] = []
    first: list[list[Any]] = []
    generated = 0
    while blocks:  # the blocks back in bank order
        own, its_empty, its_links, its_duplicates, its_generated, its_first = blocks.pop()
        generated += its_generated
        first.append(its_first)
        for problem in own:
            key = (problem.path, problem.line, problem.code)
            if key not in seen:
                seen.add(key)
                found.append(problem)
        empty.extend(its_empty)
        links.extend(its_links)
        duplicates.extend(its_duplicates)
    del blocks
    columns = [joined_first(first)] if first else None  # no block: no question; the search takes them out
    del first  # the blocks' columns, joined: held once, by the search, until its scan
    search: list[Ready] = []  # the reveal search's index, made while the near-duplicate search's child finishes
    for later_at, earlier_at in duplicates.pairs(count >= SPLIT_AT, lambda: search.append(
            ready(bank.questions, bank.events, columns))):
        later, earlier = duplicates.asked(later_at), duplicates.asked(earlier_at)
        where = str(earlier.loc) if earlier.loc else earlier.id
        add(later, NEAR_DUPLICATE, f"question '{later.id}' asks the same as '{earlier.id}' ({where}) in other "
            "words; merge them or make them differ")
    del duplicates
    found.extend(p for p in fact_problems(bank, empty, links, search[0]) if (p.path, p.line, p.message) not in seen)
    found.extend(p for p in unused_distractors(bank) if (p.path, p.line, p.code) not in seen)
    for event in stream(bank.events):
        message = swapped_message(f"event '{event.id}'", [("title", event.title), ("detail", event.detail)])
        if message and event.loc is not None:
            problem = SWAPPED_LANGUAGES.problem(event.loc.path, event.loc.line, message)
            if (problem.path, problem.line, problem.code) not in seen:
                found.append(problem)
    return Linted(found, beside_found, generated)


BLOCK = 256
"""Questions in a block: a split bank's blocks are shared out to the parts as they get through them (a bank's
hand-written questions, most of the work, come first; the generated ones cost less)."""
_Block = tuple[list[Problem], list[Problem], list[Problem], Duplicates, int, list[Any]]
"""What `_own_checks` finds in a block of a bank: its questions' own findings (Q401/Q402, Q404, Q408, in order,
not yet weighed against those known), the empty ones (Q407), the proposed links (Q406), their duplicate keys, how
many of them are generated, and the reveal search's first pass over them (`quiz.bank.facts.first_pass`: made on
this pass, so the search decodes the bank once, for its scan)."""


def _own_checks(bank: Bank, eras: Mapping[str, Era], rider: Rider[P, T] | None, start: int, per_run: int,
                granted: Iterator[int]) -> tuple[list[tuple[int, list[_Block]]], P | None]:
    """Each question's own checks, for the runs a part is `granted` (`quiz.parallel.split_claimed_parts`), run r
    being the `per_run` blocks from block `start` + r·`per_run`: `checks_of` them, here or in a forked child;
    each run's blocks with its number, and the rider's part's result."""
    taken: list[int] = []
    last = (len(bank.questions) + BLOCK - 1) // BLOCK
    numbers = _numbers(granted, taken, start, per_run, last)
    found = checks_of(bank.questions, bank.events, eras, rider, numbers)
    return _by_run(found, taken, per_run, last - start)


def _numbers(granted: Iterator[int], taken: list[int], start: int, per_run: int, last: int) -> Iterator[int]:
    """The blocks of the runs `granted`, each run noted in `taken` as it is taken."""
    for run in granted:
        taken.append(run)
        yield from range(start + run * per_run, min(start + (run + 1) * per_run, last))


def _by_run(found: tuple[list[_Block], R], taken: list[int], per_run: int,
            blocks_left: int) -> tuple[list[tuple[int, list[_Block]]], R]:
    """`checks_of`'s blocks, `per_run` a run, with the numbers of the runs `taken` (the last run may be short)."""
    blocks, ride = found
    out: list[tuple[int, list[_Block]]] = []
    at = 0
    for run in taken:
        size = min(per_run, blocks_left - run * per_run)
        out.append((run, blocks[at:at + size]))
        at += size
    return out, ride


def checks_of(questions: Sequence[Question], events: Sequence[Event], eras: Mapping[str, Era],
              rider: Rider[P, T] | None, numbers: Iterable[int]) -> tuple[list[_Block], P | None]:
    """The own checks of blocks `numbers` of `questions` (`BLOCK` questions each, in the order given), in a pass of
    its own over those questions (`quiz.bank.stream`: only they are decoded), with `rider`'s part shown each of
    them (its result second, else None). Each pass has its own word memo and link finder (written to from the
    start: none is inherited and copied page by page), both dropped before its result is sent (the memo holds
    only the pieces of texts that are not plain, `quiz.bank.plain_text`)."""
    riding = rider.part() if rider is not None else None
    visit = riding.visit if riding is not None else None
    spelled = word_memo()
    finder = LinkFinder(events, spelled)
    titles = {event.id: event for event in events}
    blocks: list[_Block] = []
    for block in numbers:
        blocks.append(_block_checks(stream(questions, block * BLOCK, (block + 1) * BLOCK), eras,
                                    finder, spelled, visit, titles))
    forget()
    return blocks, riding.result() if riding is not None else None


def first_eras(eras: Iterable[Era]) -> dict[str, Era]:
    """Era id -> era, the first of an id defined twice (which the loader reports)."""
    out: dict[str, Era] = {}
    for era in eras:
        out.setdefault(era.id, era)
    return out


def _block_checks(questions: Iterable[Question], eras: Mapping[str, Era], finder: LinkFinder,
                  spelled: Callable[[str], tuple[str, ...]], visit: Callable[[Question], None] | None,
                  titles: Mapping[str, Event]) -> _Block:
    """The own checks of one block's questions (each shown to `visit` first), and the reveal search's first pass
    over them (`titles`: the bank's events by id)."""
    questions = list(questions)  # a block: a few hundred questions, decoded once for both passes
    own: list[Problem] = []
    empty: list[Problem] = []
    links: list[Problem] = []
    duplicates = Duplicates()
    generated = 0

    def add(question: Question | Asked, rule: Rule, message: str) -> None:
        own.append(_at(question, rule, message))

    for question in questions:
        if visit is not None:
            visit(question)
        empty.extend(_empty(question))
        if question.generated:
            generated += 1
            continue
        if question.kind is Kind.CHOICE:
            fault = choice_fault(f"choice question '{question.id}'", question.answer, question.choices, spelled)
            if fault:
                add(question, *fault)
        its_era = eras.get(question.era)
        if its_era is not None:
            message = year_fault(f"{question.kind.value} question '{question.id}'", question.kind,
                                 question.prompt, question.answer, question.tolerance, its_era)
            if message:
                add(question, ANSWER_OUTSIDE_ERA, message)
        _check_swapped(question, add)
        duplicates.add(question, spelled)
        events = finder.events_of(question)
        if events:
            ids = ", ".join(event.id for event in events)
            places = "; ".join(f"'{event.id}' at {_where(event)}" for event in events)
            links.append(_at(question, PROPOSED_LINK, f"question '{question.id}' names the year and title of "
                             f"{places}; add events: [{ids}]"))
    return own, empty, links, duplicates, generated, first_pass(questions, titles, keyed=False)


def _empty(question: Question) -> list[Problem]:
    """Q407: a question empty in a language it is asked in, or in both."""
    kind = question.kind
    if kind is not Kind.ORDER:  # the common case first: asked in a language, with an answer in both
        answer, prompt = question.answer, question.prompt
        if kind is Kind.TRUEFALSE or kind is Kind.CARD or (answer.ar.strip() and answer.en.strip()):
            if kind is not Kind.CHOICE:
                if prompt.ar or prompt.en:
                    return []
            elif (prompt.ar and all(c.ar for c in question.choices)) or \
                    (prompt.en and all(c.en for c in question.choices)):
                return []
    out: list[Problem] = []
    langs = question.langs
    for lang in langs:
        if not question.answer_text(lang).strip() and question.kind is not Kind.CARD:
            out.append(_at(question, EMPTY_PROMPT, f"question '{question.id}' has no {lang} answer though "
                           f"it is asked in {lang}; write it"))
    if not langs:
        out.append(_at(question, EMPTY_PROMPT, f"question '{question.id}' is empty in both languages; "
                       "write its prompt (and choices or items)"))
    return out


def unused_distractors(bank: Bank) -> list[Problem]:
    """Q409: an event's own distractors that its generated year question never offers: outside its era, or a
    year a linked question accepts (the generator offers every other one)."""
    eras = {era.id: era for era in bank.eras}
    out: list[Problem] = []
    for event in bank.events:
        question = bank.question(f"gen-yearpick-{event.id}") if event.distractors else None
        era = eras.get(event.era)
        if question is None or event.loc is None or era is None:
            continue
        offered = {choice.en or choice.ar for choice in question.choices}
        for year in (y for y in event.distractors if str(y) not in offered):
            why = (f"it lies outside era '{era.id}' ({era.start}–{era.end}); choose a year inside it"
                   if not era.start <= year <= era.end else
                   "a question linked to the event accepts it; choose another year")
            out.append(UNUSED_DISTRACTOR.problem(
                event.loc.path, event.loc.line, f"event '{event.id}': distractor {year} is never offered: {why}"))
    return out


def swapped_message(what: str, fields: Sequence[tuple[str, Text]]) -> str | None:
    """Q408: the finding for the fields of one question or event whose two languages are the wrong way round,
    with the fix spelled out; None when none is swapped."""
    bad = [(name, text) for name, text in fields if swapped(text)]
    if not bad:
        return None
    name, text = bad[0]
    more = "".join(f", {other}" for other, _ in bad[1:])
    head = f"{what}: the languages of its {name}{more}" if what else f"the languages of the {name}{more}"
    return (f"{head} are swapped: the Arabic is {text.ar!r} (Latin letters) and the English {text.en!r} (Arabic "
            f"letters); swap them: {name}: {{ar: {text.en}, en: {text.ar}}}")


def _check_swapped(question: Question, add: _Add) -> None:
    fields = [("prompt", question.prompt), ("answer", question.answer), ("explanation", question.explanation)]
    fields += [(f"choice {n}", choice) for n, choice in enumerate(question.choices, 1)]
    fields += [(f"item {n}", item.text) for n, item in enumerate(question.items, 1)]
    message = swapped_message(f"{question.kind.value} question '{question.id}'", fields)
    if message:
        add(question, SWAPPED_LANGUAGES, message)


def _where(item: object) -> str:
    loc = getattr(item, "loc", None)
    return str(loc) if loc else "generated"
