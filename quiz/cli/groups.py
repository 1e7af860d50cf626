"""Option groups: options that go together, declared once as the fields of an immutable value.

A command takes a group as one parameter (`banks: Banks = Banks()`); `expand_groups` (applied by
`quiz.cli.app.command` when a command module registers its commands) shows Typer the group's options in its place,
in the fields' order, and hands the command the group's value. Only command modules import this module: `quiz
--version` and the app itself never build these classes. They are NamedTuples, not frozen dataclasses: as
immutable, and defined several times faster (four frozen dataclasses would cost every command ~5% of
`import typer` in start-up).
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, get_type_hints

from quiz.cli.options import (
    BankOpt,
    BidiOpt,
    DbOpt,
    EraOpt,
    JsonOpt,
    KindOpt,
    NoBuiltinOpt,
    ProfileOpt,
    TagOpt,
    UiLangOpt,
    console,
    display_for,
    resolve_lang,
    valid_bank,
    workspace,
)

if TYPE_CHECKING:
    from datetime import datetime

    from quiz.model import Bank, Question
    from quiz.render import Display
    from quiz.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])



class Banks(NamedTuple):
    """--bank and --no-builtin: the banks a command reads."""

    bank: BankOpt = None
    no_builtin: NoBuiltinOpt = False

    def valid(self) -> Bank:
        """The bank, or a QuizError naming the first error (and how many more) when it is broken."""
        return valid_bank(self.bank, self.no_builtin)


class Progress(NamedTuple):
    """--db and --profile: whose progress, in which database."""

    db: DbOpt = None
    profile: ProfileOpt = None

    def workspace(self, bank: Bank, now: datetime) -> AbstractContextManager[Workspace]:
        return workspace(self.db, bank, self.profile, now)

    @property
    def path(self) -> Path:
        """The database: --db, else QUIZ_DB, else the user data folder's."""
        from quiz.locations import database_path

        return database_path(self.db)

    @property
    def name(self) -> str:
        """The profile: --profile, else QUIZ_PROFILE, else 'default'."""
        from quiz.workspace import profile_name

        return profile_name(self.profile)


class Filters(NamedTuple):
    """--era, --kind and --tag: which questions."""

    era: EraOpt = None
    kind: KindOpt = None
    tag: TagOpt = None

    def whole(self) -> bool:
        """Whether none of them was given: every question is chosen."""
        return all(value is None for value in self)

    def ids(self, bank: Bank) -> list[str] | None:
        """The ids the filters leave; None when none of them was given."""
        if self.whole():
            return None
        return [q.id for q in self.select(bank)]

    def select(self, bank: Bank) -> list[Question]:
        from quiz.selection import select

        return select(bank, era=self.era, kind=self.kind, tag=self.tag)

    def stream(self, bank: Bank, *, drafts: bool = False) -> Iterator[Question]:
        """The questions one at a time (`quiz.selection.select_stream`)."""
        from quiz.selection import select_stream

        return select_stream(bank, era=self.era, kind=self.kind, tag=self.tag, drafts=drafts)


class Report(NamedTuple):
    """--json, --lang (one language) and --bidi: a report as JSON for other tools, or rendered for people."""

    as_json: JsonOpt = False
    lang: UiLangOpt = None
    bidi: BidiOpt = None

    def print(self, payload: Callable[[], object], view: Callable[[Display], object], setting: str | None) -> None:
        """`payload()` as one line of JSON with --json; else `view(display)` on the console, in the interface's
        language (`setting`: the profile's bidi setting)."""
        if self.as_json:
            import json

            sys.stdout.write(json.dumps(payload(), ensure_ascii=False) + "\n")
            return
        out = console()
        out.print(view(display_for(resolve_lang(self.lang, allow_both=False), self.bidi, out, setting)))


GROUPS = {group.__name__: group for group in (Banks, Progress, Filters, Report)}


@functools.cache
def _group_params(group: type) -> tuple[inspect.Parameter, ...]:
    """The options of a group, as parameters: its fields' names, types (with their Typer options) and defaults."""
    hints = get_type_hints(group, include_extras=True)
    return tuple(inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                   default=group._field_defaults[name],  # type: ignore[attr-defined]
                                   annotation=hints[name]) for name in group._fields)  # type: ignore[attr-defined]


def expand_groups(fn: F) -> F:
    """`fn` as Typer should see it: each parameter annotated with a group of `GROUPS` replaced by the group's
    options (same names, types and defaults as its fields); called, it gets the group's value instead."""
    if not any(GROUPS.get(a) if isinstance(a, str) else a in GROUPS.values() for a in fn.__annotations__.values()):
        return fn  # no group: Typer reads the signature itself (evaluating it here would do that twice)
    signature = inspect.signature(fn, eval_str=True)
    groups = {name: p.annotation for name, p in signature.parameters.items() if p.annotation in GROUPS.values()}
    params: list[inspect.Parameter] = []
    for param in signature.parameters.values():
        group = groups.get(param.name)
        params += [param] if group is None else _group_params(group)

    @functools.wraps(fn)
    def command(*args: Any, **kwargs: Any) -> Any:
        for name, group in groups.items():
            kwargs[name] = group(**{p.name: kwargs.pop(p.name) for p in _group_params(group)})
        return fn(*args, **kwargs)

    # Evaluated once, here: Typer takes the signature and annotations as they are.
    command.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params} | {"return": signature.return_annotation}
    return command  # type: ignore[return-value]
