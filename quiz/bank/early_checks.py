"""The linter's own checks of a cold load's first blocks of questions, begun while the load generates the rest.

A cold load reads its files on two cores, then generates the questions of its events on one
(`quiz.bank.format.Checker.finish`: 1.5–1.8 s at 100k, the other core idle). Its hand-written questions are
pickled by then, and come first in the bank (the generated ones are appended): `EarlyChecks`, given to the load
as its hook, forks a child there (`quiz.parallel.begin`) which runs the linter's own checks (`quiz.bank.lint.
checks_of`) on those blocks, one after the other, while this process generates. The linter (`quiz.bank.lint.
lint_beside`) then stops it (`stop`): the blocks the child has begun are its, the others are checked as usual,
split over the cores; the child's are merged in their place (`result`). The findings are the same, in the same
order (tested).

The child takes its blocks by tokens from a pipe written before the fork, one byte a block (a read of a pipe is
atomic): `stop` reads the tokens still there, so this process knows at once which blocks are left without waiting
for the child, and the child finds no more. A child that fails, or none forked (`QUIZ_WORKERS=1`, no fork),
costs time, never a finding: the blocks it has not sent are checked here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from types import TracebackType
from typing import Any

from quiz.bank import lint
from quiz.bank.cache import stream
from quiz.errors import QuizError
from quiz.model import Bank, BankInfo, Era, Event, Question
from quiz.parallel import Pending, begin, token_pipe, workers

RiderOf = Callable[[Sequence[BankInfo]], "lint.Rider[Any, Any] | None"]
"""The command's rider (`quiz.bank.lint.Rider`) for a bank of these banks, made before the bank is: None for
none."""

AT_LEAST = lint.SPLIT_AT
"""Hand-written questions from which the early checks begin (below, a fork costs more than it saves): where the
linter splits its pass."""

MAX_BLOCKS = 1 << 16
"""The most blocks granted (one byte a token: they fit in a pipe's buffer, 64 KiB on Linux, written before the
fork)."""


class EarlyChecks:
    """The loader's hook (`quiz.bank.load_bank`'s `begun`) and the linter's head start (`lint_beside`'s `early`).

    `rider_of`: the rider of the command's pass (`quiz validate`'s stale revision records), made from the banks'
    infos when the checks begin; `rider` is that rider once they have (None before, or when `rider_of` gave none).
    `at_least`: the hand-written questions from which they begin (`AT_LEAST` when not given); a rider that
    cannot be made (a broken record) leaves them not begun, for the command to report. Used as a context manager: a
    child still running at the end of the block (an error) is stopped and reaped."""

    def __init__(self, rider_of: RiderOf | None = None, at_least: int | None = None) -> None:
        self._rider_of = rider_of
        self._at_least = at_least
        self.rider: lint.Rider[Any, Any] | None = None
        self._pending: Pending[tuple[list[Any], Any]] | None = None
        self._tokens = -1  # the read end of the tokens' pipe
        self._granted = 0
        self._start: int | None = None  # the blocks taken, once stopped

    def __call__(self, questions: Sequence[Question], events: Sequence[Event], eras: Sequence[Era],
                 infos: Sequence[BankInfo]) -> None:
        """Begin: `questions` are the bank's first questions (pickled, readable while more are written: a
        `quiz.bank.spill.Spill.written`), `events` and `eras` the bank's, `infos` its banks'."""
        granted = min(len(questions) // lint.BLOCK, MAX_BLOCKS)
        at_least = AT_LEAST if self._at_least is None else self._at_least
        if self._pending is not None or len(questions) < at_least or granted == 0 or workers() < 2:
            return
        try:
            self.rider = self._rider_of(infos) if self._rider_of is not None else None
        except QuizError:  # (a broken revision record) the command's to report, as it would without early checks
            return
        try:
            read = token_pipe(bytes(granted))  # a block a byte
        except OSError:  # no file descriptor left: the linter checks every block
            return
        self._tokens, self._granted = read, granted
        self._pending = begin(partial(_claimed, questions, events, lint.first_eras(eras), self.rider, read))

    def stop(self, wait: bool = False) -> int:
        """How many of the first blocks the early checks take (those the child has begun); it begins no other.
        (`wait`: let it take every block granted first, for tests.)"""
        if self._pending is None or self._start is not None:
            return self._start or 0
        if wait:
            found = self._pending.result()
            self._pending = Pending(lambda: found)
        left = 0
        while chunk := os.read(self._tokens, self._granted):
            left += len(chunk)
        self._start = self._granted - left
        return self._start

    def result(self, bank: Bank, eras: Mapping[str, Era],
               rider: lint.Rider[Any, Any] | None) -> tuple[list[Any], list[Any]]:
        """The blocks `stop` gave the early checks, in order (`quiz.bank.lint._Block`s), and the results of the
        parts of `rider` shown their questions (none without a rider). Blocks the child did not send are checked
        here; so are their questions shown to `rider` when it is not the one the child was given."""
        if self._pending is None:
            return [], []
        self.stop()
        pending = self._pending
        try:
            blocks, ride = pending.result()  # computed here when the child failed: no token left, no block
        finally:
            pending.cancel()  # reaped already; or stopped, the result not taken (an interruption)
            self._pending = None
            os.close(self._tokens)
            self._tokens = -1
        start = self._start or 0
        blocks = blocks[:start]
        rides = [ride] if rider is not None and rider is self.rider and blocks else []
        if rider is not None and not rides and blocks:  # another rider: shown those blocks' questions here
            riding = rider.part()
            for question in stream(bank.questions, 0, len(blocks) * lint.BLOCK):
                riding.visit(question)
            rides.append(riding.result())
        if len(blocks) < start:
            more, ride = lint.checks_of(bank.questions, bank.events, eras, rider, range(len(blocks), start))
            blocks += more
            if rider is not None:
                rides.append(ride)
        return blocks, rides

    def __enter__(self) -> EarlyChecks:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        if self._tokens >= 0:
            os.close(self._tokens)
            self._tokens = -1


def _claimed(questions: Sequence[Question], events: Sequence[Event], eras: Mapping[str, Era],
             rider: lint.Rider[Any, Any] | None, tokens: int) -> tuple[list[Any], Any]:
    """The child's work: the own checks of blocks 0, 1, ... of `questions`, one token read from `tokens` before
    each (none left: done)."""
    def numbers() -> Iterator[int]:
        block = 0
        while len(os.read(tokens, 1)) == 1:
            yield block
            block += 1
    return lint.checks_of(questions, events, eras, rider, numbers())
