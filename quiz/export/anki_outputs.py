"""An Anki export as a whole: what changed per output (a top deck in one language) since the previous export,
what was removed from the bank (with the Anki search that finds it), which notes Anki will refuse because their
note type changed; then the package written and the export recorded.

The store's export record keeps, per note GUID, `{"h": content hash, "t": note type, "o": output, "k": key}`
(records of earlier versions hold a bare hash: their notes count as changed once and cannot be named).
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.export import Progress, atomic_write
from quiz.export.anki import EXPORT_KIND, NOTE_TYPES, note_mod, package_time, write_package, written_by_quiz
from quiz.export.anki_notes import NoteSpec
from quiz.model import Bank, Lang

if TYPE_CHECKING:
    from quiz.export.anki import Render
    from quiz.export.anki_progress import Memory
    from quiz.store import Store

LANG_NAMES: Mapping[Lang, str] = {"ar": "Arabic", "en": "English"}


@dataclass(frozen=True, slots=True)
class Previous:
    content_hash: str
    note_type: int | None = None
    output: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class OutputCounts:
    """One output (top deck, language): notes new, changed and unchanged since the previous export."""

    deck: str
    lang: Lang
    notes: int
    cards: int
    new: int
    changed: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class Removed:
    """Notes of an output whose questions left the bank: Anki keeps them (a search finds them)."""

    deck: str
    keys: tuple[str, ...]
    unnamed: int = 0  # notes of an earlier version's record, which did not keep their ids

    @property
    def search(self) -> str:
        ids = " OR ".join(f'"Id:{key}"' for key in self.keys)
        return f'"deck:{self.deck}" ({ids})' if len(self.keys) > 1 else f'"deck:{self.deck}" {ids}'


@dataclass(frozen=True, slots=True)
class AnkiResult:
    path: Path
    notes: int
    cards: int
    outputs: tuple[OutputCounts, ...]
    removed: tuple[Removed, ...]
    kind_changes: tuple[str, ...]  # keys of notes whose note type changed under the same GUID
    dry_run: bool = False
    scheduled_cards: int = 0
    reviews: int = 0

    @property
    def new(self) -> int:
        return sum(o.new for o in self.outputs)

    @property
    def changed(self) -> int:
        return sum(o.changed for o in self.outputs)

    @property
    def unchanged(self) -> int:
        return sum(o.unchanged for o in self.outputs)


def record_value(spec: NoteSpec) -> str:
    """`json.dumps({"h": hash, "t": note type, "o": output, "k": key}, ensure_ascii=False, separators=(",", ":"))`,
    its strings quoted by the json module's own C function (twice per note: 1 us, not 8)."""
    quote = _quote
    return ('{"h":' + quote(spec.content_hash) + ',"t":' + str(int(spec.note_type)) + ',"o":'
            + quote(spec.top + "\x1f" + spec.lang) + ',"k":' + quote(spec.key) + "}")


_quote = json.encoder.encode_basestring  # what json.dumps(str, ensure_ascii=False) returns


class NoteRecord(Mapping[str, str]):
    """What the store records of an export, note GUID → `record_value`, made as it is read (the store reads it
    once): 100,000 notes' values are never all held at once. Iterated in GUID order: the store's table is keyed
    by GUID, and rows inserted in its order are appended (184,000 rows in 0.5 s of CPU instead of 1.3 s)."""

    def __init__(self, notes: Sequence[NoteSpec]) -> None:
        self._notes = notes
        self._index: dict[str, int] | None = None  # made if a value is looked up (the store iterates the items)

    def __len__(self) -> int:
        return len(self._notes)

    def _in_order(self) -> list[NoteSpec]:
        return sorted(self._notes, key=attrgetter("guid"))

    def __iter__(self) -> Iterator[str]:
        return (spec.guid for spec in self._in_order())

    def __getitem__(self, guid: str) -> str:
        if self._index is None:
            self._index = {spec.guid: i for i, spec in enumerate(self._notes)}
        return record_value(self._notes[self._index[guid]])

    def items(self) -> ItemsView[str, str]:
        return _NoteRecordItems(self)


class _NoteRecordItems(ItemsView[str, str]):
    _mapping: NoteRecord

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((spec.guid, record_value(spec)) for spec in self._mapping._in_order())

def card_count(spec: NoteSpec) -> int:
    return spec.cards


def _parse_one(value: str) -> Previous:
    try:
        data = json.loads(value) if value.startswith("{") else None
    except ValueError:
        data = None
    if isinstance(data, dict):
        return Previous(str(data.get("h", "")), data.get("t"), data.get("o"), data.get("k"))
    return Previous(value)


Rows = Iterable[tuple[str, str]]
"""An export record as (note GUID, `record_value`) rows in GUID order (`Store.export_rows`)."""

_NEW, _CHANGED, _UNCHANGED, _KIND = 0, 1, 2, 4  # a note's outcome against the record (`_KIND`: a flag)


def compare(notes: Sequence[NoteSpec], record: Rows | Mapping[str, str] | None, bank: Bank) -> AnkiResult:
    """The export's counts per output against the previous export's record (nothing written). The record's rows
    are merged with the notes in GUID order, one row at a time (it is never held: 184,000 rows at 100k). A note
    whose record value is the one this export records is unchanged without parsing it; only the others are
    parsed. A ValueError when two notes share a GUID (the planner's bug: a GUID is its question's or event's id,
    with its bank's) or when the rows are not in GUID order (`Rows`)."""
    return _compared(notes, record, bank)[0]


REPEAT_MAX = 20_000
"""At most this many rows of the previous record left out of the new one (changed or gone) for the new one to be
recorded as what it repeats of it (`quiz.store.Repeated`); past it, the record is written whole (and the GUIDs
left out are not gathered: they would be held while the package is written)."""


@dataclass(frozen=True, slots=True)
class _Repeats:
    """What the export's record repeats of the previous one (see `quiz.store.Repeated`): its rows but
    `left_out`, then the notes not `kept` as they were."""

    rows: int
    left_out: list[str]
    kept: bytearray  # per note: 1 when the record has it with the very value this export records


def _compared(notes: Sequence[NoteSpec], record: Rows | Mapping[str, str] | None,
              bank: Bank) -> tuple[AnkiResult, _Repeats | None]:
    """`compare`, and what the new record would repeat of `record` (None past `REPEAT_MAX` rows left out)."""
    rows: Rows = sorted(record.items()) if isinstance(record, Mapping) else (record or ())
    guids = [spec.guid for spec in notes]
    sorted_notes = sorted(range(len(notes)), key=guids.__getitem__)
    ordered = [guids[i] for i in sorted_notes]
    del guids
    # two notes of one GUID: the export record (a mapping) would hold fewer entries than the package has notes
    twice = next((a for a, b in itertools.pairwise(ordered) if a == b), None)
    if twice is not None:
        raise ValueError(f"two notes of the export share the GUID {twice!r}")
    outcome = bytearray(len(notes))  # _NEW unless the record has the note
    kept = bytearray(len(notes))
    left_out: list[str] | None = []
    read = 0

    def leave(guid: str) -> None:  # a row the new record leaves out (none gathered past REPEAT_MAX)
        nonlocal left_out
        if left_out is not None:
            left_out.append(guid)
            if len(left_out) > REPEAT_MAX:
                left_out = None

    at, count = 0, len(sorted_notes)
    in_bank: set[str] | None = None
    removed: dict[str, list[str]] = {}
    unnamed, keyless = 0, False
    last = ""
    for guid, value in rows:
        if guid < last:  # the merge would count notes the record has as new
            raise ValueError(f"the export record's rows are not in GUID order ({guid!r} after {last!r})")
        last = guid
        read += 1
        while at < count and ordered[at] < guid:
            at += 1
        if at < count and ordered[at] == guid:
            while at < count and ordered[at] == guid:
                index = sorted_notes[at]
                at += 1
                spec = notes[index]
                if value == record_value(spec):  # the same hash, note type, output and key
                    outcome[index] = _UNCHANGED
                    kept[index] = 1
                    continue
                leave(guid)
                old = _parse_one(value)
                keyless = keyless or old.key is None
                outcome[index] = _CHANGED if old.content_hash != spec.content_hash else _UNCHANGED
                if old.note_type is not None and old.note_type != spec.note_type:
                    outcome[index] |= _KIND
            continue
        leave(guid)
        old = _parse_one(value)
        keyless = keyless or old.key is None
        if old.key is None or old.output is None:
            unnamed += 1
            continue
        if in_bank is None:
            in_bank = set(bank.by_id) | {e.id for e in bank.events}  # ids only: a cached bank decodes no question
        if old.key not in in_bank:
            removed.setdefault(old.output.split("\x1f")[0], []).append(old.key)
    del sorted_notes, ordered
    outputs: dict[tuple[str, Lang], list[int]] = {}
    kind_changes: list[str] = []
    for index, spec in enumerate(notes):
        counts = outputs.setdefault((spec.top, spec.lang), [0, 0, 0, 0, 0])
        counts[0] += 1
        counts[1] += card_count(spec)
        state = outcome[index]
        counts[2 + (state & 3)] += 1
        if state & _KIND:
            kind_changes.append(f"{spec.key} ({spec.lang})")
    gone = [Removed(deck, tuple(sorted(dict.fromkeys(keys)))) for deck, keys in sorted(removed.items())]
    if unnamed and keyless:
        gone.append(Removed("", (), unnamed))
    result = AnkiResult(
        path=Path(),
        notes=len(notes),
        cards=sum(card_count(n) for n in notes),
        outputs=tuple(OutputCounts(deck, lang, *counts) for (deck, lang), counts in outputs.items()),
        removed=tuple(gone),
        kind_changes=tuple(kind_changes),
    )
    if left_out is None or len(left_out) > REPEAT_MAX or not read:
        return result, None
    return result, _Repeats(read, left_out, kept)


def previous_export(store: Store, out: Path) -> tuple[int, Rows] | None:
    """The previous export to the same file, else the latest Anki export (one that recorded notes): its id, and
    its record as rows read while they are compared (`compare`)."""
    for path in (str(out), None):
        export_id = store.last_export_id(EXPORT_KIND, path)
        if export_id is None:
            continue
        rows = store.export_rows(export_id)
        first = next(rows, None)
        if first is not None:
            return export_id, itertools.chain((first,), rows)
    return None


def previous_record(store: Store, out: Path) -> Rows | None:
    """The record of `previous_export`."""
    found = previous_export(store, out)
    return None if found is None else found[1]


def dry_run(notes: Sequence[NoteSpec], out: Path, record: Rows | Mapping[str, str] | None, bank: Bank) -> AnkiResult:
    from dataclasses import replace

    return replace(compare(notes, record, bank), path=Path(out), dry_run=True)


def export_anki(
    notes: Sequence[NoteSpec],
    out: Path,
    bank: Bank,
    store: Store,
    now: datetime,
    times: Mapping[tuple[str, Lang], datetime],
    *,
    profile: str | None = None,
    with_progress: Memory | None = None,
    progress: Progress | None = None,
    force: bool = False,
    render: Render | None = None,
) -> AnkiResult:
    """Write the package atomically and record the export (an existing file quiz did not write is replaced only
    with `force`). The bank must already be synced into the store. With `with_progress`, the profile's card
    states and review log go into the package (see `anki_progress`)."""
    from dataclasses import replace

    target = Path(os.path.abspath(Path(out).expanduser()))
    # counted against the previous record before the package is written, and that record (184,000 GUIDs and
    # values at 100k) dropped: it is never held beside the package's notes and cards
    previous = previous_export(store, target)
    result, repeats = _compared(notes, previous[1] if previous is not None else None, bank)
    stamp = package_time(now, store.last_export_at(EXPORT_KIND))

    def mods(spec: NoteSpec) -> int:
        return note_mod(spec, times)

    descriptions = top_descriptions(notes, bank)
    scheduling = None
    if with_progress is not None:
        from quiz.export.anki_progress import scheduling_rows

        scheduling = scheduling_rows(notes, store, profile or "default", now, with_progress)
    recorded = store.last_export_at(EXPORT_KIND, str(target)) is not None
    written = atomic_write(out, lambda tmp: write_package(notes, tmp, mods, stamp, descriptions, progress,
                                                          scheduling, render),
                           force=force, ours=lambda existing: written_by_quiz(existing, recorded))
    repeated = None
    if previous is not None and repeats is not None:  # the previous record, but what changed, then the rest
        from quiz.store import Repeated

        rest = NoteRecord([spec for spec, same in zip(notes, repeats.kept, strict=True) if not same])
        repeated = Repeated(previous[0], repeats.rows, repeats.left_out, rest)
    store.record_export(profile, EXPORT_KIND, str(written), stamp, NoteRecord(notes), repeated)
    return replace(result, path=written, scheduled_cards=len(scheduling[0]) if scheduling else 0,
                   reviews=len(scheduling[1]) if scheduling else 0)


def top_descriptions(notes: Sequence[NoteSpec], bank: Bank) -> dict[str, str]:
    """Each top deck's description: the bank's own, and how updates behave."""
    how: Mapping[Lang, str] = {
        "en": "From timeline-quiz. Import a newer export to update it: notes whose questions did not change, "
              "and your own edits to them, are kept.",
        "ar": "من timeline-quiz. استورد تصديرًا أحدث لتحديثها: الملاحظات التي لم تتغير أسئلتها، وتعديلاتك عليها، "
              "تبقى كما هي.",
    }
    out: dict[str, str] = {}
    for spec in notes:
        if spec.top in out:
            continue
        info = bank.info(spec.bank)
        own = info.description.get(spec.lang) if info is not None else ""
        out[spec.top] = f"{own} {how[spec.lang]}".strip()
    return out


def note_type_name(spec: NoteSpec) -> str:
    return NOTE_TYPES[(spec.kind, spec.lang)].name
