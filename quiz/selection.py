"""Choosing questions from a bank: filters shared by list, study and the exporters."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from quiz.errors import UnknownQuestion, UsageError
from quiz.model import Bank, Kind, Question


def select(bank: Bank, *, era: str | None = None, kind: str | None = None, tag: str | None = None,
           drafts: bool = False) -> list[Question]:
    """The bank's questions that pass every given filter (those of `select_stream`); an unknown era or kind is
    a usage error."""
    return list(select_stream(bank, era=era, kind=kind, tag=tag, drafts=drafts, keep=True))


def select_stream(
    bank: Bank,
    *,
    era: str | None = None,
    kind: str | None = None,
    tag: str | None = None,
    drafts: bool = False,
    keep: bool = False,
) -> Iterator[Question]:
    """The questions that pass every given filter, one at a time; without `keep`, a cached bank's questions are
    decoded for the loop and dropped (`quiz.bank.stream`), so a pass over a large bank holds a few. The filters
    are checked at once (an unknown era or kind raises here, before anything is yielded)."""
    if era is not None and bank.era(era) is None:
        raise UsageError(f"--era: unknown era '{era}'; use one of: " + ", ".join(e.id for e in bank.eras))
    wanted_kind: Kind | None = None
    if kind is not None:
        try:
            wanted_kind = Kind(kind)
        except ValueError:
            raise UsageError(f"--kind: unknown kind '{kind}'; use one of: "
                             + ", ".join(k.value for k in Kind)) from None
    from quiz.bank import stream

    return (
        q for q in (bank.questions if keep else stream(bank.questions))
        if (drafts or not q.draft)
        and (era is None or q.era == era)
        and (wanted_kind is None or q.kind is wanted_kind)
        and (tag is None or tag in q.tags)
    )


def find(bank: Bank, question_id: str) -> Question:
    """The question with this id, or an error that suggests the closest ids."""
    question = bank.question(question_id)
    if question is not None:
        return question
    close = difflib.get_close_matches(question_id, list(bank.by_id), n=3, cutoff=0.6)
    hint = "did you mean " + ", ".join(f"'{c}'" for c in close) + "?" if close else "see 'quiz list'"
    raise UnknownQuestion(f"no question with id '{question_id}' ({hint})")
