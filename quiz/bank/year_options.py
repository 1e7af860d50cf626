"""The wrong years of a generated *in which year* question: where they lie, which are picked, and the place of
the answer among the four options (dealt across an era so that each place is about as common as the others).
See questions/README.md, "Year options"."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from quiz.bank.choice_hash import choice_hash as _h
from quiz.model import Era, Event


@dataclass(frozen=True, slots=True)
class YearSpan:
    """Where the wrong years of an event's year question lie: the nearest of them below and above its year
    (`below`, `above`), the era's span that the event's own distractors may take (`start`..`end`), and how many
    options are earlier than the answer (`rank`, its place among the four sorted)."""

    start: int
    end: int
    rank: int
    below: tuple[int, ...]
    above: tuple[int, ...]


def reaches(by_era: Mapping[str, Sequence[Event]], era_of: Mapping[str, Era]) -> dict[str, int]:
    """Era id -> the latest year of the events of that era and of the eras starting no earlier: where its
    generated wrong years end. For an era followed by an era with events that is past the era's end, so the whole
    span is used; for the bank's last era, its own latest event."""
    latest = {era_id: max(e.date.year for e in group) for era_id, group in by_era.items()}
    out: dict[str, int] = {}
    for era_id, year in latest.items():
        era = era_of.get(era_id)
        later = (y for other, y in latest.items()
                 if era is not None and other in era_of and era_of[other].start >= era.start)
        out[era_id] = max(year, *later)
    return out


def year_spans(group: Sequence[Event], era: Era | None,
                ties: Mapping[str, Collection[int]], reach: int) -> dict[str, YearSpan]:
    """The wrong-year pools and the answer's rank of each event of one era.

    Wrong years lie inside the era. The ones quiz picks end at `reach` (`reaches`) if the era ends later: never
    after the bank's latest event, and the whole span for every era but the last (the Alaska sale of 1867 can be
    offered 1876 when the era runs to 1913; the bank's last era offers no year after its latest event). Only when
    that leaves fewer than three does it take the years after, still inside the era, before any outside it. An
    event's own `distractors` inside the era are always offered (the teacher chose them). An event added to
    another era changes an option only when it is the first event later than an era's end (a new last era).
    Ranks are dealt across the era so that each of the four places is the answer's about equally often: the
    events with the fewest possible places first (one of the era's latest year has one: last), each taking its
    least used possible place, its own hash's place among equals."""
    places: list[tuple[int, int, str, int, range]] = []
    bounds: dict[str, tuple[int, int, tuple[int, ...], tuple[int, ...]]] = {}
    for event in group:
        year = event.date.year
        low, high, end = (era.start, min(era.end, reach), era.end) if era else (year - 10, min(year + 10, reach),
                                                                              year + 10)
        tied = ties.get(event.id, ())
        below, above = _wrong_pools(event, low, high, end, tied)
        hand = _hand(event, low, end, tied)
        earlier = sum(y < year for y in hand)
        below_all = len(set(below) | {y for y in hand if y < year})
        above_all = len(set(above) | {y for y in hand if y > year})
        possible = range(max(0, 3 - above_all), min(3, below_all) + 1)
        keeps = range(earlier, 3 - (len(hand) - earlier) + 1)  # the places at which every own distractor is offered
        possible = range(max(possible.start, keeps.start), min(possible.stop, keeps.stop)) or possible
        seed = _h("yearpick", event.id)
        places.append((len(possible), seed, event.id, seed % 4, possible))
        bounds[event.id] = (low, end, below, above)
    used = [0, 0, 0, 0]
    out: dict[str, YearSpan] = {}
    for _, _, event_id, own, possible in sorted(places, key=lambda p: p[:3]):
        rank = min(possible, key=lambda r: (used[r], abs(r - own), r))
        used[rank] += 1
        low, end, below, above = bounds[event_id]
        out[event_id] = YearSpan(low, end, rank, below, above)
    return out


def _wrong_pools(event: Event, low: int, high: int, end: int,
                 tied: Collection[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Up to six wrong years below and above the event's year inside `low`..`high` (nearest first), never a year
    also right or tied to the event. A span too short for three takes the next years up to `end` (the era's end),
    as few as needed, and only then years before `low`."""
    year = event.date.year
    banned = {year, *event.also_right, *tied}
    below = tuple(itertools.islice((y for y in range(year - 1, low - 1, -1) if y not in banned), 6))
    above = tuple(itertools.islice((y for y in range(year + 1, high + 1) if y not in banned), 6))
    if len(below) + len(above) < 3:  # after the era's latest event rather than outside the era
        more = (y for y in range(max(high, year) + 1, end + 1) if y not in banned)
        above += tuple(itertools.islice(more, 3 - len(below) - len(above)))
    if len(below) + len(above) < 3:  # before the era rather than after it
        below = tuple(itertools.islice((y for y in itertools.count(year - 1, -1) if y not in banned), 6))
    return below, above


def _hand(event: Event, low: int, high: int, tied: Collection[int]) -> list[int]:
    """The event's own distractors that can be offered (inside `low`..`high`, not right), the first three."""
    banned = {event.date.year, *event.also_right, *tied}
    return [y for y in dict.fromkeys(event.distractors) if low <= y <= high and y not in banned][:3]


def year_options(event: Event, span: YearSpan, tied: Collection[int]) -> list[int]:
    """The year and three wrong years, `span.rank` of them earlier: the event's own distractors first, then
    years near it chosen by a hash of its id, at most 6 years away (`year_spans`)."""
    year = event.date.year
    below, above = span.below, span.above
    hand = _hand(event, span.start, span.end, tied)
    seed = _h("yearpick", event.id) // 4
    rank = span.rank
    picked: list[int] = []
    for pool, count, side in ((below, rank, lambda y: y < year), (above, 3 - rank, lambda y: y > year)):
        chosen = [y for y in hand if side(y)][:count]  # the event's own distractors first
        rest = [y for y in pool if y not in chosen]
        while len(chosen) < count and rest:
            chosen.append(rest.pop(seed % len(rest)))
            seed //= 7
        picked.extend(chosen)
    return sorted({year, *picked})
