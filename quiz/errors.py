"""Errors for people: every failure the user can cause is a `QuizError` that says what, where and how to fix.

The CLI prints `Error: <where>: <message>` on one line and exits with `exit_code`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pathlib import Path


class QuizError(Exception):
    """A failure caused by input, files or environment; never a bug in the program."""

    exit_code: int = 1

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.line())

    def line(self) -> str:
        """The one line shown to the user (without the `Error: ` prefix)."""
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text = f"{text} ({self.hint})"
        return text


class UsageError(QuizError):
    """The command line itself is wrong (exit status 2)."""

    exit_code = 2


class BankError(QuizError):
    """One or more problems in bank files; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        first = errors[0] if errors else problems[0]
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        super().__init__(first.message + more, where=first.where)


class UnknownQuestion(QuizError):
    """A question id that is not in the bank."""


class StoreError(QuizError):
    """The progress database cannot be opened, read or written."""


class DatabaseBusy(StoreError):
    """Another process kept the database locked for the whole busy timeout: nothing was written; trying again
    later may work."""


class CardChanged(StoreError):
    """The card changed since the caller read it (another session answered it, or it was reset)."""


class CacheDamaged(QuizError):
    """A bank cache file failed its check while a question was decoded (it was removed: run again)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"the bank cache {path} is damaged; it was removed, run the command again")


class ExportError(QuizError):
    """An export could not be written."""


class AuthoringError(QuizError):
    """A teacher's tool (add, import, derive, init-bank) cannot do what was asked."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of the validator: an error or a warning at a place in a file.

    `rule` is the stable code of the rule it breaks (`"Q214"`, see `quiz.bank.rules`); `code` is that rule's
    family tag (`"answer-not-in-choices"`), shared by related rules and shown by `quiz validate --json`."""

    path: str
    line: int
    message: str
    severity: Literal["error", "warning"] = "error"
    code: str = ""
    rule: str = ""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        tag = "warning: " if self.severity == "warning" else ""
        return f"{self.where}: {tag}{self.message}"


class HasProblems:
    """For results that carry `problems`: the errors and the warnings among them."""

    __slots__ = ()
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")
