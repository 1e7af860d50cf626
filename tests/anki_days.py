"""Days of study in Anki itself: an exported deck imported with the official `anki` library, its v3 scheduler run
day after day (every card it queues answered until the queue is empty), and the cards it showed on each day
that share an event (a fact) with another card shown that day.

Anki counts days from the collection's creation (`col.crt`): a day passes by moving it back a day. The deck's
options are whatever the import gave it (Anki's Default preset, or the package's own with "Import deck presets");
`options` changes them before the first day.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.scheduler.v3 import CardAnswer

from quiz.export.anki_notes import NoteSpec

IF_NEWER = 0


@dataclass(frozen=True, slots=True)
class Shown:
    """A card shown on a day: its id, its note's GUID, and whether it was new when first shown that day."""

    card: int
    guid: str
    new: bool


@dataclass
class Days:
    """What Anki showed, day by day, and the pairs of cards of one day that share an event."""

    days: list[list[Shown]] = field(default_factory=list)
    pairs: list[list[tuple[Shown, Shown, tuple[str, ...]]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(p) for p in self.pairs)

    @property
    def new_pairs(self) -> int:
        """Pairs of two cards both new that day: what new positions decide."""
        return sum(1 for day in self.pairs for a, b, _ in day if a.new and b.new)

    @property
    def same_note(self) -> int:
        return sum(1 for day in self.pairs for a, b, _ in day if a.guid == b.guid)

    @property
    def cards(self) -> int:
        return sum(len(d) for d in self.days)

    @property
    def new_cards(self) -> int:
        return sum(1 for d in self.days for s in d if s.new)


def import_package(col: Collection, path: Path, *, presets: bool = False) -> Any:
    """Import as Anki's dialog does by default (update notes and note types if newer), with "Import deck
    presets" ticked when `presets`."""
    options = ImportAnkiPackageOptions(update_notes=IF_NEWER, update_notetypes=IF_NEWER, merge_notetypes=False,
                                       with_scheduling=False, with_deck_configs=presets)
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options)).log


def study(path: Path, deck: str, events: Mapping[str, Sequence[str]], days: int, *,
          options: Callable[[dict[str, Any]], None] | None = None, rating: Any = CardAnswer.GOOD,
          limit: int = 20000) -> Days:
    """Run Anki's scheduler on the collection at `path` (already holding the deck) for `days` days, answering
    every card it shows with `rating`; `events` maps a note's GUID to the events its cards ask about."""
    col = Collection(str(path))
    out = Days()
    try:
        # Anki's day also turns at its rollover hour (4 a.m. by default) on the real clock: a run crossing it
        # would count a day more than the simulated ones. Put the rollover half a day away from now.
        col.set_config("rollover", (time.localtime().tm_hour + 12) % 24)
        top = col.decks.id_for_name(deck)
        assert top is not None, deck
        if options is not None:
            config = col.decks.config_dict_for_deck_id(top)
            options(config)
            col.decks.update_config(config)
        for _ in range(days):
            col.decks.select(top)
            _ = col.sched.today  # Anki's day check, run by its main screen: it unburies yesterday's buried cards
            shown: dict[int, Shown] = {}
            for _ in range(limit):
                queued = col.sched.get_queued_cards(fetch_limit=1)
                if not queued.cards:
                    break
                card = col.get_card(queued.cards[0].card.id)
                if card.id not in shown:
                    shown[card.id] = Shown(card.id, col.get_note(card.nid).guid, card.type == 0)
                card.start_timer()
                col.sched.answer_card(col.sched.build_answer(card=card, states=queued.cards[0].states,
                                                             rating=rating))
            day = list(shown.values())
            out.days.append(day)
            out.pairs.append(sharing(day, events))
            col.db.execute("UPDATE col SET crt = crt - 86400")
            col.close()
            col = Collection(str(path))
    finally:
        col.close()
    return out


def sharing(day: Sequence[Shown], events: Mapping[str, Sequence[str]]) -> list[tuple[Shown, Shown, tuple[str, ...]]]:
    """The pairs of distinct cards of one day that share an event (two cards of one event note included)."""
    by_event: dict[str, list[int]] = {}
    for i, shown in enumerate(day):
        for event in events.get(shown.guid, ()):
            by_event.setdefault(event, []).append(i)
    found: dict[tuple[int, int], list[str]] = {}
    for event, indexes in by_event.items():
        for a, b in combinations(indexes, 2):
            found.setdefault((a, b), []).append(event)
    return [(day[a], day[b], tuple(shared)) for (a, b), shared in sorted(found.items())]


def events_by_guid(notes: Sequence[NoteSpec]) -> dict[str, tuple[str, ...]]:
    return {n.guid: n.events for n in notes}


def bury_all(config: dict[str, Any]) -> None:
    config["new"]["bury"] = config["rev"]["bury"] = config["buryInterdayLearning"] = True


def no_new_limit(config: dict[str, Any]) -> None:
    config["new"]["perDay"] = 9999
    config["rev"]["perDay"] = 9999  # the v3 scheduler counts new cards against the review limit too


def by_position(config: dict[str, Any]) -> None:
    """New cards gathered by ascending position across subdecks (not deck by deck)."""
    config["newGatherPriority"] = 1  # NEW_CARD_GATHER_PRIORITY_LOWEST_POSITION


def combined(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(config: dict[str, Any]) -> None:
        for each in changes:
            each(config)

    return change
