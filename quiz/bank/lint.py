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

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import partial

from quiz.bank.cache import stream
from quiz.bank.duplicates import SIMILAR, Asked, Duplicates, near_duplicates
from quiz.bank.facts import BEFORE, PLACES, Reveal, words
from quiz.bank.link_proposals import LinkFinder
from quiz.bank.paraphrase import ROMAN, forget, significant, word_memo
from quiz.bank.reveal_scan import _Found
from quiz.bank.rules import (
    ANSWER_OUTSIDE_ERA,
    DISTRACTOR_EQUALS,
    EMPTY_PROMPT,
    LANG_NAMES,
    NEAR_DUPLICATE,
    NEAR_DUPLICATE_CHOICE,
    PROPOSED_LINK,
    REVEAL,
    SWAPPED_LANGUAGES,
    UNUSED_DISTRACTOR,
    Rule,
    fold,
    swapped,
)
from quiz.errors import Problem
from quiz.grading import allowed_edits, within_edits
from quiz.model import LANGS, Bank, Era, Kind, Location, Question, Text
from quiz.parallel import split_run

__all__ = ["SIMILAR", "choice_fault", "fact_problems", "lint", "near_duplicates", "near_equal", "swapped_message",
           "unused_distractors", "year_fault"]

_ASKS_YEAR = re.compile(r"\byears?\b|\bwhen\b|عام|سنة|متى", re.IGNORECASE)
_Add = Callable[[Question | Asked, Rule, str], None]
SPLIT_AT = 5000
"""A bank of this many questions or more is linted on two cores (`quiz.parallel.split_run`); a smaller one here,
where a fork would cost more than it saves."""


def lint(bank: Bank, known: Iterable[Problem] = ()) -> list[Problem]:
    """Findings beyond the format rules, in bank order; a finding among `known` is not reported again.

    One pass over the questions (`quiz.bank.stream`: a cached bank's questions are decoded for it and dropped,
    never all held): each hand-written question's own checks there and then, and of each only a compact key
    for the checks across questions (`quiz.bank.duplicates`). A bank of `SPLIT_AT` questions or more is split
    over the cores (`quiz.parallel.split_run`): its blocks of `BLOCK` questions are dealt out to the parts, each
    part's findings and keys come back by block and are put back in bank order, then the near-duplicate search
    takes one language a part; the findings are the same, in the same order, however it is split."""
    seen = {(p.path, p.line, p.code or p.message) for p in known}
    found: list[Problem] = []

    def add(question: Question | Asked, rule: Rule, message: str) -> None:
        problem = _at(question, rule, message)
        key = (problem.path, problem.line, problem.code)
        if key not in seen:
            seen.add(key)
            found.append(problem)

    eras: dict[str, Era] = {}
    for era in bank.eras:
        eras.setdefault(era.id, era)
    spelled = word_memo()
    finder = LinkFinder(bank.events, spelled)
    count = len(bank.questions)
    parts = split_run(partial(_own_checks, bank, eras, finder, spelled), 1 if count < SPLIT_AT else None)
    duplicates = Duplicates()
    empty: list[Problem] = []
    links: list[Problem] = []
    for block in range(sum(len(blocks) for blocks in parts)):  # the blocks back in bank order
        own, its_empty, its_links, its_duplicates = parts[block % len(parts)][block // len(parts)]
        for problem in own:
            key = (problem.path, problem.line, problem.code)
            if key not in seen:
                seen.add(key)
                found.append(problem)
        empty.extend(its_empty)
        links.extend(its_links)
        duplicates.extend(its_duplicates)
    del parts
    asked = duplicates.asked
    for later_at, earlier_at in duplicates.pairs(split=count >= SPLIT_AT):
        later, earlier = asked[later_at], asked[earlier_at]
        where = str(earlier.loc) if earlier.loc else earlier.id
        add(later, NEAR_DUPLICATE, f"question '{later.id}' asks the same as '{earlier.id}' ({where}) in other "
            "words; merge them or make them differ")
    del duplicates, asked, spelled, finder
    found.extend(p for p in fact_problems(bank, empty, links) if (p.path, p.line, p.message) not in seen)
    found.extend(p for p in unused_distractors(bank) if (p.path, p.line, p.code) not in seen)
    for event in stream(bank.events):
        message = swapped_message(f"event '{event.id}'", [("title", event.title), ("detail", event.detail)])
        if message and event.loc is not None:
            problem = SWAPPED_LANGUAGES.problem(event.loc.path, event.loc.line, message)
            if (problem.path, problem.line, problem.code) not in seen:
                found.append(problem)
    return found


BLOCK = 256
"""Questions in a block: a split bank's blocks are dealt out to the parts in turn (a bank's hand-written
questions, most of the work, may all be in its first half)."""
_Block = tuple[list[Problem], list[Problem], list[Problem], Duplicates]
"""What `_own_checks` finds in a block of a bank: its questions' own findings (Q401/Q402, Q404, Q408, in order,
not yet weighed against those known), the empty ones (Q407), the proposed links (Q406) and their duplicate keys."""


def _own_checks(bank: Bank, eras: Mapping[str, Era], finder: LinkFinder, spelled: Callable[[str], tuple[str, ...]],
                part: int, parts: int) -> list[_Block]:
    """Each question's own checks, for the blocks of `part` (blocks part, part + parts, ... of `BLOCK`
    questions, in order): a pass of its own over `bank.questions` (`quiz.bank.stream`), here or in a forked
    child."""
    blocks: list[_Block] = []
    own: list[Problem] = []
    empty: list[Problem] = []
    links: list[Problem] = []
    duplicates = Duplicates()

    def add(question: Question | Asked, rule: Rule, message: str) -> None:
        own.append(_at(question, rule, message))

    last = -1
    for at, question in enumerate(stream(bank.questions)):
        block = at // BLOCK
        if block % parts != part:
            continue
        if block != last:
            if last >= 0:
                blocks.append((own, empty, links, duplicates))
                own, empty, links, duplicates = [], [], [], Duplicates()
            last = block
        empty.extend(_empty(question))
        if question.generated:
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
        duplicates.add(question)
        events = finder.events_of(question)
        if events:
            ids = ", ".join(event.id for event in events)
            places = "; ".join(f"'{event.id}' at {_where(event)}" for event in events)
            links.append(_at(question, PROPOSED_LINK, f"question '{question.id}' names the year and title of "
                             f"{places}; add events: [{ids}]"))
    if last >= 0:
        blocks.append((own, empty, links, duplicates))
    forget()
    return blocks


def _empty(question: Question) -> list[Problem]:
    """Q407: a question empty in a language it is asked in, or in both."""
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


def fact_problems(bank: Bank, empty: Sequence[Problem] = (), links: Sequence[Problem] = ()) -> list[Problem]:
    """Questions empty in a language they are asked in (Q407, `empty`), reveals (Q405) and proposed links (Q406,
    `links`): the first and last as `lint`'s pass found them. The reveals are made from the search's columns
    one at a time, as they are reported (`quiz.bank.facts.reveals_of` would hold them all, ~50 MB at 100k)."""
    from quiz.bank.facts import _find

    out: list[Problem] = list(empty)
    found = _find(bank.questions, bank.events)
    common = found.common()
    out.extend(_reveal_problems(found, common))
    del found
    for qid, count in common.items():
        question = bank.by_id[qid]
        out.append(_at(question, REVEAL, f"question '{qid}' asks for {question.answer.en or question.answer.ar!r}, "
                       f"which {count} other questions show; ask for something less common"))
    out.extend(links)
    return out


def _together(found: _Found, common: Mapping[str, int]) -> bool:
    """Whether each revealer's reveals (but those of `common` answers) are found one after the other."""
    ids, rids = found.target_ids, found.revealer_ids
    seen: set[str] = set()
    last = None
    for r, t in zip(found.revealers, found.targets, strict=True):
        if ids[t] in common:
            continue
        rid = rids[r]
        if rid != last:
            last = rid
            if rid in seen:
                return False
            seen.add(rid)
    return True


def _reported(found: _Found, common: Mapping[str, int]) -> Iterator[Reveal]:
    """The reveals of `found` the linter reports (`Reveal.reported`, the target's answer not common), in the
    order found, each made when it is reached."""
    ids, shown, years, where = found.target_ids, found.shown, found.years, found.target_at
    rids, rat, drafts = found.revealer_ids, found.revealer_at, found.drafts
    for r, t, c in zip(found.revealers, found.targets, found.codes, strict=True):
        place = PLACES[c >> 3]
        if c & 2 and place not in BEFORE:
            continue
        if ids[t] in common:
            continue
        yield Reveal(rids[r], ids[t], place, LANGS[c >> 2 & 1], shown[t], bool(c & 2), bool(years[t]),
                     bool(c & 1), rat[r], bool(drafts[r]), where[t])


def _reveal_problems(found: _Found, common: Mapping[str, int]) -> Iterator[Problem]:
    """Q405: one finding for each revealer, place and what it shows (its targets named together), in the order
    of their first reveals. A revealer's reveals are found together (one after the other), so its findings are
    made once the next revealer's begin and only one revealer's groups are held; were they not, all are held."""
    together = _together(found, common)
    grouped: dict[tuple[str, str, str], dict[str, Reveal]] = {}
    langs: dict[tuple[str, str, str], set[str]] = {}
    last = None
    for reveal in _reported(found, common):
        if together and reveal.revealer_id != last:
            yield from _reveal_groups(grouped, langs)
            grouped.clear()
            langs.clear()
            last = reveal.revealer_id
        key = (reveal.revealer_id, reveal.place, reveal.shown if reveal.year else f"{reveal.lang}:{reveal.shown}")
        grouped.setdefault(key, {}).setdefault(reveal.target_id, reveal)
        langs.setdefault(key, set()).add(LANG_NAMES[reveal.lang])
    yield from _reveal_groups(grouped, langs)


def _reveal_groups(grouped: Mapping[tuple[str, str, str], Mapping[str, Reveal]],
                   langs: Mapping[tuple[str, str, str], set[str]]) -> Iterator[Problem]:
    for key, targets in grouped.items():
        group = list(targets.values())
        first = group[0]
        names = ", ".join(("sibling " if r.siblings else "") + f"'{r.target_id}' ({r.target_at or 'generated'})"
                          for r in group)
        where = " and ".join(sorted(langs[key]))
        fix = ("reword it" if all(r.siblings for r in group) else
               "reword it (or, if both ask about one event, link them with 'events:')")
        yield _at_place(first.at, first.draft, REVEAL, f"question '{first.revealer_id}' shows {first.shown!r} in its "
                        f"{where} {first.place}, the answer of {names}; {fix}")


def _where(item: object) -> str:
    loc = getattr(item, "loc", None)
    return str(loc) if loc else "generated"


def _at(question: Question | Asked, rule: Rule, message: str) -> Problem:
    """The problem at a question; a draft's errors are warnings (an unfinished draft, as the loader says)."""
    return _at_place(question.loc, question.draft, rule, message)


def _at_place(loc: Location | None, draft: bool, rule: Rule, message: str) -> Problem:
    """`_at` a question written at `loc` (a draft or not)."""
    problem = rule.problem(loc.path if loc else "?", loc.line if loc else 0, message)
    if draft and problem.severity == "error":
        return replace(problem, severity="warning",
                       message=f"{message} (unfinished draft: fix it, then remove draft: true)")
    return problem


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
    words of a text, `quiz.bank.facts.words` or a memo of the same.) Each text is folded and split into words
    once."""
    for lang in ("ar", "en"):
        expected = getattr(answer, lang)
        texts = [getattr(choice, lang) for choice in choices]
        folds = [fold(text) if text else "" for text in texts]
        spelt = [spelled(text) if text else () for text in texts]
        joined = ["".join(words_) for words_ in spelt]  # near-equal words are as many, or the same joined
        if expected:
            folded, mine = fold(expected), spelled(expected)
            whole = "".join(mine)
            for text, fold_, words_, join in zip(texts, folds, spelt, joined, strict=True):
                if text and text != expected and fold_ != folded and (len(words_) == len(mine) or join == whole) \
                        and _near(mine, words_):
                    return DISTRACTOR_EQUALS, (f"{what}: distractor {text!r} is the answer {expected!r} in other "
                                               "spelling; replace it with a different wrong answer")
        for i, first in enumerate(texts):
            if not first or first == expected:
                continue
            for k in range(i + 1, len(texts)):
                second = texts[k]
                if not second or second == expected or folds[i] == folds[k]:
                    continue  # exact repeats are the loader's; the answer is checked above
                if (len(spelt[i]) == len(spelt[k]) or joined[i] == joined[k]) and _near(spelt[i], spelt[k]):
                    return NEAR_DUPLICATE_CHOICE, (f"{what}: choices {first!r} and {second!r} are the same in other "
                                                   "spelling; make every choice different")
    return None


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
