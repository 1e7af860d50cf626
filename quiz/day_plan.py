"""Burying siblings: which questions a study day may still show, given those it has taken already."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice

from quiz.model import Bank


class DayPlan:
    """What a study day shows so far, and what that rules out: the events of every question taken, and the
    questions revealing or revealed by one (`Bank.reveals`, both ways).

    Made before the day looks up its questions: a loaded bank's reveals are found on first use
    (`quiz.bank.reveal_store`), and a search forked from a process already holding every new question decoded
    (a session checks each one's languages) would copy their pages into each part (~500 MB against ~400 at
    100,000 questions)."""

    def __init__(self, bank: Bank, bury: bool) -> None:
        self.bank = bank
        self.bury = bury
        self.events: set[str] = set()
        self.related: set[str] = set()
        self.held = 0
        self._revealed_by: dict[str, list[str]] | None = None
        if bury:  # worked out now, before the day looks up any question (a loaded bank's are found on first use)
            len(bank.reveals)

    def _inverse(self) -> dict[str, list[str]]:
        if self._revealed_by is None:
            self._revealed_by = {}
            for revealer, targets in self.bank.reveals.items():
                for target in targets:
                    self._revealed_by.setdefault(target, []).append(revealer)
        return self._revealed_by

    def take(self, qid: str, *, force: bool = False) -> bool:
        """Take a question for today unless it conflicts with one taken (`force`: taken anyway, it was shown)."""
        if not self.bury:
            return True
        events = self.bank.events_of(qid)
        if not force and (qid in self.related or not self.events.isdisjoint(events)):
            self.held += 1
            return False
        self.events.update(events)
        self.related.update(self.bank.reveals.get(qid, ()))
        self.related.update(self._inverse().get(qid, ()))
        return True

    def pick(self, qids: Iterable[str], room: int,
             ready: Callable[[list[str]], list[str]] | None = None) -> list[str]:
        """Up to `room` of `qids`, in order, each taken; `ready` keeps those whose requirements are met (asked
        a chunk at a time, so a long list costs a few store reads). `qids` is read only as far as it takes to
        fill the room (a lazy filter of a large bank's new questions then looks at a few of them, not all)."""
        out: list[str] = []
        each = iter(qids)
        while len(out) < room:
            chunk = list(islice(each, 256))
            if not chunk:
                break
            usable = set(ready(chunk)) if ready is not None else None
            for qid in chunk:
                if len(out) >= room:
                    break
                if usable is not None and qid not in usable:
                    self.held += 1
                elif self.take(qid):
                    out.append(qid)
        return out
