"""A learner's progress as Anki scheduling (`quiz export anki --with-progress`): one row per studied card and one
per review, which `quiz.export.anki` writes into the package's `cards` and `revlog` tables.

Anki's columns (rslib/src/storage/card, revlog): `cards.type` 0 new, 1 learning, 2 review, 3 relearning;
`queue` the same, or -1 suspended, -3 buried; `due` a timestamp in seconds for learning cards and a day number
(days since the collection's creation, `col.crt`) for review cards; `ivl` days; `factor` the SM-2 ease in
permille; `left` learning steps left; `data` JSON with the FSRS memory state `{"s": stability, "d": difficulty}`
and `lrt`, the last review's time (epoch seconds). `revlog.id` is the review's time in milliseconds (Anki skips
ids it already has: importing again adds no review twice), `ease` 1–4, `ivl`/`lastIvl` days (negative: seconds),
`time` milliseconds spent, `type` 0 learn, 1 review, 2 relearn.

Anki imports them only with "Import any learning progress" (scheduling) ticked; cards already in the collection
keep their own scheduling.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from quiz.export.anki_notes import EVENT, EVENT_FORMS, NoteSpec
from quiz.model import CardPhase, CardState

if TYPE_CHECKING:
    from quiz.store import Store

PACKAGE_CRT = 1411124400
"""The creation time (`col.crt`) of the collection genanki writes: review due days count from it."""

LEARNING_STEPS = 2  # 1m, 10m
RELEARNING_STEPS = 1  # 10m
DEFAULT_EASE = 2500


@dataclass(frozen=True, slots=True)
class CardRow:
    guid: str
    ord: int
    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    left: int
    data: str


@dataclass(frozen=True, slots=True)
class RevlogRow:
    id: int
    guid: str
    ord: int
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time: int
    type: int


def package_day(moment: datetime) -> int:
    """The day number of `moment` in the package's collection (whole days since `PACKAGE_CRT`)."""
    return math.floor((moment.timestamp() - PACKAGE_CRT) / 86400)


def anki_interval(state: CardState) -> int:
    """Anki's `ivl`: whole days from the last review to the due date (reviews); negative seconds (learning)."""
    if state.due is None or state.last_review is None:
        return 0
    seconds = (state.due - state.last_review).total_seconds()
    if state.phase is CardPhase.REVIEW:
        return max(1, round(seconds / 86400))
    return -max(1, round(seconds))


@dataclass(frozen=True, slots=True)
class Memory:
    """The profile's FSRS settings that Anki keeps on each card: desired retention and the forgetting curve's
    decay (FSRS-6's last parameter; Anki assumes FSRS-5's 0.5 when a card does not say)."""

    desired_retention: float = 0.9
    decay: float = 0.5


def card_row(guid: str, ord_: int, state: CardState, suspended: bool, buried: bool, now: datetime,
             memory_settings: Memory = Memory()) -> CardRow:
    """A studied card's row."""
    due = state.due or now
    memory: dict[str, float | int] = {}
    if state.stability is not None and state.difficulty is not None:
        memory = {"s": round(state.stability, 4), "d": round(state.difficulty, 4),
                  "dr": memory_settings.desired_retention, "decay": round(memory_settings.decay, 4)}
    if state.last_review is not None:
        memory["lrt"] = int(state.last_review.timestamp())
    if state.phase is CardPhase.REVIEW:
        ctype, queue = 2, 2
        last = state.last_review or now
        ivl = anki_interval(state)
        anki_due = package_day(last) + ivl
    else:
        ctype = 1 if state.phase is CardPhase.LEARNING else 3
        queue = 1
        anki_due = int(due.timestamp())
        ivl = 0 if ctype == 1 else max(1, round(((state.due or now) - (state.last_review or now)).days))
    steps = LEARNING_STEPS if ctype == 1 else RELEARNING_STEPS
    left = 0 if ctype == 2 else max(1, steps - (state.step or 0))
    if suspended:
        queue = -1
    elif buried:
        queue = -3
    return CardRow(guid, ord_, ctype, queue, anki_due, ivl, DEFAULT_EASE, state.reps, state.lapses, left,
                   json.dumps(memory, separators=(",", ":")))


_REVLOG_TYPE = {CardPhase.NEW: 0, CardPhase.LEARNING: 0, CardPhase.REVIEW: 1, CardPhase.RELEARNING: 2}


def revlog_rows(guid: str, ord_: int, store: Store, profile: str, qid: str, used: set[int]) -> list[RevlogRow]:
    rows = []
    for record in store.reviews(profile, qid):
        review = record.review
        rid = int(review.reviewed_at.timestamp() * 1000)
        while rid in used:  # two reviews in one millisecond: the later one a millisecond on
            rid += 1
        used.add(rid)
        rows.append(RevlogRow(
            id=rid, guid=guid, ord=ord_, ease=int(review.rating),
            ivl=anki_interval(review.after), last_ivl=anki_interval(review.before),
            factor=DEFAULT_EASE if review.after.phase is CardPhase.REVIEW else 0,
            time=max(0, min(review.duration_ms, 60_000)), type=_REVLOG_TYPE[review.before.phase],
        ))
    return rows


def card_ords(spec: NoteSpec) -> list[tuple[str, int]]:
    """(question id, card ordinal) of a note's cards."""
    if spec.kind != EVENT:
        return [(spec.questions[0], 0)]
    return [(f"gen-{form}-{spec.key}", index) for index, (form, _) in enumerate(EVENT_FORMS)
            if f"gen-{form}-{spec.key}" in spec.questions]


def scheduling_rows(notes: Sequence[NoteSpec], store: Store, profile: str, now: datetime,
                    memory: Memory = Memory()) -> tuple[list[CardRow], list[RevlogRow]]:
    """The profile's state and review log for every card of the notes that it has studied."""
    wanted = [(spec.guid, ord_, qid) for spec in notes for qid, ord_ in card_ords(spec)]
    states = store.cards(profile, list(dict.fromkeys(qid for *_, qid in wanted)))
    cards: list[CardRow] = []
    revlog: list[RevlogRow] = []
    used: set[int] = set()
    for guid, ord_, qid in wanted:
        state = states.get(qid)
        if state is None or state.phase is CardPhase.NEW:
            continue
        flags = store.flags(profile, qid)
        buried = flags.buried_until is not None and flags.buried_until > now
        cards.append(card_row(guid, ord_, state, flags.suspended, buried, now, memory))
        revlog.extend(revlog_rows(guid, ord_, store, profile, qid, used))
    return cards, revlog

