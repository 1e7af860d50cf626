"""The linter's findings about facts (rules Q405, Q406, Q407 of `quiz.bank.rules`): reveals, found by
`quiz.bank.facts` and reported here one revealer at a time, answers too common to ask for, and the questions
empty in a language or proposing links that `quiz.bank.lint`'s pass found; also where a finding at a question
is reported (`_at`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from quiz.bank.duplicates import Asked
from quiz.bank.facts import BEFORE, PLACES, Reveal
from quiz.bank.reveal_scan import _Found
from quiz.bank.rules import LANG_NAMES, REVEAL, Rule
from quiz.errors import Problem
from quiz.model import LANGS, Bank, Location, Question


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
