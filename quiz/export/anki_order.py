"""New positions of an Anki export: the order in which Anki introduces the new cards, card by card.

Anki buries only the cards of one note (and only with "bury siblings" on, which its Default preset leaves off);
comparison and order questions, and hand-written questions linked to events, share events with the event notes
and with one another across notes. So the order itself keeps cards sharing an event apart:

- **The base order** is the one `quiz study` follows: era by era (oldest first), and within an era hand-written
  questions, the forms of events (in date order) and the other generated questions merged evenly; an event's
  forms in card order (recognition, recall, era).
- **Needs.** A card about two or more events (which came first, put these in order, a hand-written question
  linked to several) comes only after each of its events' first card; an event's later forms after its first.
- **Spacing.** Each position takes, among the next `LOOKAHEAD` cards of the base order whose needs are met, one
  that shares no event with the previous `SPACING` cards; of the first `CHOICES` such cards, the one whose
  busiest event has the most cards still to place (as a scheduler with a cool-down starts the longest task
  first: the heavy events of an era start early and cards on no event fill the gaps), then the first. When none
  can keep the spacing, the one whose events were placed longest ago: the bank does not always allow it (an
  event asked about by 16 questions near the bank's end cannot be spread over 16 days of new cards).
  A card pushed past the end of its era is placed among the next era's cards: the package's own preset gathers
  new cards by ascending position across the era subdecks, so Anki follows this order exactly; Anki's Default
  preset gathers deck by deck (the era subdecks in name order, so chronologically) and shows it at its era's
  end.

Each position looks at `LOOKAHEAD` cards at most, one read each: a card placed marks every card sharing one of
its events (quadratic in an event's cards, not in the bank's: 2.8 million marks for the 100k bench bank's 100,000
slots, which are placed in 0.6 s of CPU where a lookup per event of each card looked at took 2.1 s).
"""

from __future__ import annotations

import heapq
from bisect import insort
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from quiz.model import Event

SPACING = 30
"""Cards sharing an event stand at least this many new positions apart where the bank allows it: more than Anki's
default 20 new cards a day, because a day's gather passes over the cards it buries (`bench/anki_same_day.py`, three
runs each: 30 gave the fewest same-day pairs of two new cards, ~82 against ~86 for 20 and ~90 for 40, and ~930
pairs in all against ~990 for 20 and ~920 for 40)."""
LOOKAHEAD = 64
CHOICES = 8
"""Of the cards that keep the spacing, the first this many are compared for the busiest event."""

EVENT_FORMS: tuple[tuple[str, str], ...] = (("yearpick", "Recognition"), ("year", "Recall"), ("era", "Era"))
"""The forms of an event, in card order (recognition before recall): id prefix `gen-<form>-<event>`, card name."""

Unit = tuple[str, Sequence[Any], "Event | None"]
"""A note to be: its key (question or event id), its questions (briefs), its event for an event note."""


@dataclass(frozen=True, slots=True)
class Slot:
    """One card to place: its note (`unit`, an index into the units), its form (`""` for a question note's one
    card) and the events it asks about."""

    unit: int
    form: str
    events: tuple[str, ...]


def base_order(units: Sequence[Unit], era_rank: Mapping[str, int]) -> list[Slot]:
    """The cards in the order `quiz study` would introduce them, before spacing (see the module's text)."""
    by_era: dict[str, list[list[int]]] = {}
    for index, (_, members, event) in enumerate(units):
        first = members[0]
        group = 0 if not first.generated else (1 if event is not None else 2)
        by_era.setdefault(first.era, [[], [], []])[group].append(index)
    out: list[Slot] = []
    for era_id in sorted(by_era, key=lambda e: (era_rank.get(e, len(era_rank)), e)):
        lists = by_era[era_id]
        lists[1].sort(key=lambda i: (_date_key(units[i][2]), units[i][0]))
        keyed = sorted(((j + 0.5) / len(group), g, j, index) for g, group in enumerate(lists)
                       for j, index in enumerate(group))
        for *_, index in keyed:
            key, members, event = units[index]
            if event is None:
                out.append(Slot(index, "", tuple(dict.fromkeys(e for q in members for e in q.events))))
                continue
            ids = {q.id for q in members}
            out.extend(Slot(index, form, (event.id,)) for form, _ in EVENT_FORMS if f"gen-{form}-{key}" in ids)
    return out


def _date_key(event: Event | None) -> tuple[int, int, int]:
    return event.date.sort_key() if event is not None else (0, 0, 0)


def spaced(slots: Sequence[Slot], spacing: int = SPACING, lookahead: int = LOOKAHEAD) -> list[Slot]:
    """`slots` (in base order) reordered: needs met, cards sharing an event `spacing` apart where possible."""
    introduced = {s.events[0] for s in slots if s.form}  # events with an event note: their first card is a need
    missing = [0] * len(slots)
    waiting: dict[str, list[int]] = {}
    seen_first: set[int] = set()
    for index, slot in enumerate(slots):
        if slot.form:
            if slot.unit in seen_first:  # a later form: after its event's first
                waiting.setdefault(slot.events[0], []).append(index)
                missing[index] = 1
            seen_first.add(slot.unit)
        elif len(slot.events) > 1:
            for event in slot.events:
                if event in introduced:
                    waiting.setdefault(event, []).append(index)
                    missing[index] += 1
    free: Iterator[int] = iter([i for i in range(len(slots)) if missing[i] == 0])
    later: list[int] = []  # released by a need met, not yet in the window: a heap
    window: list[int] = []  # the `lookahead` first ready cards, ascending
    upcoming = next(free, None)
    # per card, the latest position of a card sharing one of its events (kept up to date as cards are placed,
    # `on`: event → its cards), so that a look at a card is one read, not one per event
    newest = [-len(slots) - spacing] * len(slots)
    on: dict[str, list[int]] = {}
    out: list[Slot] = []
    left: dict[str, int] = {}  # event → its cards not placed yet
    for index, slot in enumerate(slots):
        for event in slot.events:
            left[event] = left.get(event, 0) + 1
            on.setdefault(event, []).append(index)

    def release(index: int) -> None:
        if len(window) < lookahead or index < window[-1]:
            insort(window, index)
            if len(window) > lookahead:
                heapq.heappush(later, window.pop())
        else:
            heapq.heappush(later, index)

    while len(out) < len(slots):
        while len(window) < lookahead and (upcoming is not None or later):
            if later and (upcoming is None or later[0] < upcoming):
                insort(window, heapq.heappop(later))
            else:
                assert upcoming is not None
                insort(window, upcoming)
                upcoming = next(free, None)
        if not window:  # needs that cannot be met (not expected): the rest in base order
            window = sorted(i for i in range(len(slots)) if missing[i] > 0)
            for i in window:
                missing[i] = 0
            waiting.clear()
        here = len(out)
        pick, best, busiest, feasible = 0, -1, -1, 0
        for at, index in enumerate(window):
            gap = here - newest[index]
            if gap >= spacing:
                load = 0
                for event in slots[index].events:
                    if left[event] > load:
                        load = left[event]
                if best < spacing or load > busiest:
                    pick, best, busiest = at, spacing, load
                feasible += 1
                if feasible == CHOICES:
                    break
            elif gap > best:
                pick, best = at, gap
        slot = slots[window.pop(pick)]
        out.append(slot)
        for event in slot.events:
            for index in on[event]:
                newest[index] = here
            left[event] -= 1
        if slot.form and slot.events[0] in waiting:
            for index in waiting.pop(slot.events[0]):
                missing[index] -= 1
                if missing[index] == 0:
                    release(index)
    return out


def order(units: Sequence[Unit], era_rank: Mapping[str, int], spacing: int = SPACING) -> list[Slot]:
    """The cards of `units` in new-position order."""
    return spaced(base_order(units, era_rank), spacing)
