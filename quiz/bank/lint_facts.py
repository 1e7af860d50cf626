"""The linter's findings about facts (rules Q405, Q406, Q407 of `quiz.bank.rules`): reveals, found by
`quiz.bank.facts` and reported here one revealer at a time, answers too common to ask for, and the questions
empty in a language or proposing links that `quiz.bank.lint`'s pass found; also where a finding at a question
is reported (`_at`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from quiz.bank.duplicates import Asked
from quiz.bank.facts import BEFORE, PLACES
from quiz.bank.reveal_scan import _Found
from quiz.bank.rules import LANG_NAMES, REVEAL, Rule
from quiz.errors import Problem
from quiz.model import LANGS, Bank, Lang, Location, Question

if TYPE_CHECKING:
    from quiz.bank.facts import Ready


def fact_problems(bank: Bank, empty: Sequence[Problem] = (), links: Sequence[Problem] = (),
                  search: Ready | None = None) -> list[Problem]:
    """Questions empty in a language they are asked in (Q407, `empty`), reveals (Q405) and proposed links (Q406,
    `links`): the first and last as `lint`'s pass found them. The reveals are made from the search's columns
    one at a time, as they are reported (`quiz.bank.facts.reveals_of` would hold them all, ~50 MB at 100k).
    The search is the bank's reveals' too, when still to be found (`quiz.bank.reveal_store.settle`: kept beside
    the bank cache, no command searches this bank again); its memo is dropped after (`quiz.bank.facts.forget`).
    `search`: the search made ready already, but for its scan (`quiz.bank.facts.ready`: the linter's, from the
    first pass its own pass made)."""
    from quiz.bank.facts import _find, forget, mapped, scanned
    from quiz.bank.reveal_store import settle

    out: list[Problem] = list(empty)
    found = scanned(search) if search is not None else _find(bank.questions, bank.events)
    common = found.common()
    settle(bank.reveals, partial(mapped, found, common))
    out.extend(_reveal_problems(found, common))
    del found
    forget()  # the search's memo (~30 MB at 100k): nothing after the linter searches again
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


_Shown = tuple[str, str, str, Lang, str, bool, bool, Location | None, bool, Location | None]
"""A reveal as the linter reports it: the revealer's id, the target's id, the place, the language, what is shown,
siblings, a year, where the revealer is written, whether it is a draft, where the target is written (a `Reveal`'s
fields as a plain tuple: 300,000 frozen dataclasses at 100k took ~1 s to make)."""


def _reported(found: _Found, common: Mapping[str, int]) -> Iterator[_Shown]:
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
        yield (rids[r], ids[t], place, LANGS[c >> 2 & 1], shown[t], bool(c & 2), bool(years[t]), rat[r],
               bool(drafts[r]), where[t])


def _reveal_problems(found: _Found, common: Mapping[str, int]) -> Iterator[Problem]:
    """Q405: one finding for each revealer, place and what it shows (its targets named together), in the order
    of their first reveals. A revealer's reveals are found together (one after the other), so its findings are
    made once the next revealer's begin and only one revealer's groups are held; were they not, all are held."""
    together = _together(found, common)
    grouped: dict[tuple[str, str, str], dict[str, _Shown]] = {}
    langs: dict[tuple[str, str, str], set[str]] = {}
    last = None
    for reveal in _reported(found, common):
        revealer_id, target_id, place, lang, shown, _, year = reveal[:7]
        if together and revealer_id != last:
            if grouped:
                yield from _reveal_groups(grouped, langs)
                grouped, langs = {}, {}
            last = revealer_id
        key = (revealer_id, place, shown if year else f"{lang}:{shown}")
        targets = grouped.get(key)
        if targets is None:
            grouped[key] = {target_id: reveal}
            langs[key] = {LANG_NAMES[lang]}
        else:
            targets.setdefault(target_id, reveal)
            langs[key].add(LANG_NAMES[lang])
    yield from _reveal_groups(grouped, langs)


_SIBLINGS_ONLY = "reword it"
_LINK_OR_REWORD = "reword it (or, if both ask about one event, link them with 'events:')"


def _reveal_groups(grouped: Mapping[tuple[str, str, str], Mapping[str, _Shown]],
                   langs: Mapping[tuple[str, str, str], set[str]]) -> Iterator[Problem]:
    code, family, severity = REVEAL.code, REVEAL.family, REVEAL.severity
    for key, targets in grouped.items():
        siblings = True
        names = []
        for _, target_id, _, _, _, sibling, _, _, _, written in targets.values():  # most often one
            written_at = "generated" if written is None else f"{written.path}:{written.line}"  # `Location.__str__`
            if sibling:
                names.append(f"sibling '{target_id}' ({written_at})")
            else:
                siblings = False
                names.append(f"'{target_id}' ({written_at})")
        revealer_id, _, place, _, shown, _, _, at, draft, _ = next(iter(targets.values()))
        in_langs = langs[key]
        where = " and ".join(sorted(in_langs)) if len(in_langs) > 1 else next(iter(in_langs))
        message = (f"question '{revealer_id}' shows {shown!r} in its {where} {place}, the answer of "
                   f"{', '.join(names)}; {_SIBLINGS_ONLY if siblings else _LINK_OR_REWORD}")
        if draft and severity == "error":
            yield _at_place(at, draft, REVEAL, message)
        else:  # `_at_place`, made here: ~130,000 findings at 100k
            yield Problem(at.path if at else "?", at.line if at else 0, message, severity, family, code)


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
