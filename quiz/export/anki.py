"""Anki packages (.apkg) that re-import cleanly: the only home of genanki (imported inside the functions) and of
the SQL that writes the package's collection.

Identity, chosen once and never changed (Anki matches on these when a package is imported again):

- **Note types**: one per question kind and language (12) plus the "event" note type per language (a card per
  form of one fact, see `quiz.export.anki_notes`), with the fixed ids of `NOTE_TYPES` and frozen field and
  template names. Arabic and English get separate note types so each carries its own direction, fonts and labels.
  Changing a field or template *name* or the number of fields would make Anki create a new note type: never do
  that; add a new note type instead. Templates and CSS may change: bump `NOTE_TYPES_MOD` so Anki takes them.
- **Decks**: a top deck per bank and language with a subdeck per era ("1945–1991 The Cold War", chronological).
  The built-in bank keeps its frozen names (`TOP_DECKS`, `ERA_DECKS`) so existing collections stay in one tree.
  Deck ids are derived from the deck name (`deck_id`); Anki itself matches decks by name.
- **Notes**: GUID = `genanki.guid_for(question id, language)` for the built-in bank (as ever), with the bank's id
  first for a teacher's bank; never content.

Modification times come from the bank's revision record (`quiz.export.revisions`): a note's `mod` is when its
content in that language first appeared, or `NOTE_FORMAT_TIME` when this module's rendering changed later. So
Anki's "update if newer" updates exactly the notes whose content changed, from whichever machine or database the
export is made, and leaves the others, and the learner's own edits to them, alone. The collection's `mod` is the
export time, strictly later than the previous export's (`package_time`).

Every text of the bank is HTML-escaped (plus `{`, `}`, `[` and `]`, so it cannot form Anki template, cloze or sound
syntax); only this module's own markup reaches Anki as HTML.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import sqlite3
import tempfile
import zipfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.export import Progress
from quiz.export.anki_cards import CardsOf, cards_maker
from quiz.export.anki_fields import EVENT_FIELDS
from quiz.export.anki_names import guid
from quiz.export.anki_notes import EVENT, Brief, Fetch, Hasher, NoteSpec, esc, plan_notes, shuffled_order
from quiz.export.anki_templates import css, event_templates, question_templates
from quiz.model import LANGS, Bank, Kind, Lang, Question

if TYPE_CHECKING:
    from quiz.export.anki_progress import CardRow, RevlogRow

Render = Callable[[NoteSpec], tuple[tuple[str, ...], tuple[str, ...]]]

__all__ = ["DEFAULT_FILE", "ERA_DECKS", "EXPORT_KIND", "FIELDS", "NOTE_TYPES", "TOP_DECKS", "NoteSpec", "deck_id",
           "esc", "guid", "note_mod", "package_time", "plan", "shuffled_order", "write_package"]

EXPORT_KIND = "anki"
PACKAGE_COMMENT = b"timeline-quiz package"
"""The ZIP comment of every package quiz writes: how the next export knows the file is its own to replace."""
"""The `kind` of Anki exports in the store's export records."""

DEFAULT_FILE = "timeline-quiz.apkg"

# --- frozen identity: never change a value below --------------------------------------------------------------

TOP_DECKS: Mapping[Lang, str] = {
    "en": "Timeline Quiz (English)",
    "ar": "مسابقة الخط الزمني (العربية)",
}

ERA_DECKS: Mapping[str, Mapping[Lang, str]] = {
    "c19": {"en": "1800–1916 Beginnings and friendly relations", "ar": "1800–1916 البدايات والعلاقات الودية"},
    "world-wars": {"en": "1917–1945 The two world wars", "ar": "1917–1945 الحربان العالميتان"},
    "cold-war": {"en": "1945–1991 The Cold War", "ar": "1945–1991 الحرب الباردة"},
    "post-soviet": {"en": "1991–2000 After the Soviet Union", "ar": "1991–2000 ما بعد الاتحاد السوفياتي"},
    "putin-rise": {"en": "2000–2014 Putin's rise", "ar": "2000–2014 صعود بوتين"},
    "crimea": {"en": "2014–2022 Crimea and the erosion of trust", "ar": "2014–2022 ضم القرم وتآكل الثقة"},
    "ukraine-war": {"en": "2022– Russia's war on Ukraine", "ar": "2022– الحرب الروسية على أوكرانيا"},
}

FIELDS: Mapping[str, tuple[str, ...]] = {
    Kind.CARD.value: ("Prompt", "Answer", "Explanation", "Source", "Id"),
    Kind.TYPED.value: ("Prompt", "Answer", "Accepted", "Explanation", "Source", "Id"),
    Kind.CHOICE.value: ("Prompt", "Choices", "Marked", "Answer", "Explanation", "Source", "Id"),
    Kind.TRUEFALSE.value: ("Statement", "Answer", "Explanation", "Source", "Id"),
    Kind.ORDER.value: ("Prompt", "Items", "Answer", "Explanation", "Source", "Id"),
    Kind.CLOZE.value: ("Text", "Explanation", "Source", "Id"),
    EVENT: EVENT_FIELDS,
}


@dataclass(frozen=True, slots=True)
class NoteType:
    kind: str  # a Kind value, or EVENT
    lang: Lang
    id: int
    name: str
    template: str  # the name of its one template (event note types: see `anki_templates.event_templates`)


NOTE_TYPE_PREFIX: Mapping[Lang, str] = {"ar": "مسابقة الخط الزمني", "en": "Timeline Quiz"}
"""Every note type is named `PREFIX: title` (`Timeline Quiz: typed answer`)."""
_NOTE_TYPE_ROWS: Mapping[str, tuple[int, str, int, str]] = {
    # kind: the Arabic note type's id and title, the English one's (ids are frozen: see the module's docstring)
    "card": (1794221306, "بطاقة", 1568992416, "flashcard"),
    "typed": (2020317741, "إجابة مكتوبة", 1873263175, "typed answer"),
    "choice": (1396996815, "اختيار من متعدد", 1569925952, "multiple choice"),
    "truefalse": (1826282201, "صح أم خطأ", 1727843143, "true or false"),
    "order": (1683175342, "ترتيب زمني", 1709755217, "chronological order"),
    "cloze": (1317165678, "أكمل الفراغ", 1432786409, "cloze"),
    EVENT: (1522523693, "حدث", 1098770087, "event"),
}
NOTE_TYPES: Mapping[tuple[str, Lang], NoteType] = {
    # A question's note type has one template, named after its title (capitalised); an event's has its own.
    (kind, lang): NoteType(kind, lang, ident, f"{NOTE_TYPE_PREFIX[lang]}: {title}",
                           "" if kind == EVENT else title[:1].upper() + title[1:])
    for kind, (ar_id, ar_title, en_id, en_title) in _NOTE_TYPE_ROWS.items()
    for lang, ident, title in zip(LANGS, (ar_id, en_id), (ar_title, en_title), strict=True)
}

# --- times that change with this module --------------------------------------------------------------------------

NOTE_TYPES_MOD = 1_796_169_600  # 2026-12-02T00:00:00Z: bump when templates or CSS change, so Anki takes them.
NOTE_FORMAT_TIME = 1_795_219_200  # 2026-11-21T00:00:00Z: bump when the fields' rendering changes, so every note
# is newer than what learners imported before and Anki updates it once.


PRESET_ID = 1_795_219_201
PRESET_NAME = "Timeline Quiz"
PRESET_MOD = 1_795_219_200  # 2026-11-21T00:00:00Z: older than any change a learner makes to the preset in Anki


def preset() -> dict[str, Any]:
    """The deck options the package brings (Anki's legacy JSON; Anki fills what is left out with its defaults):
    Anki's defaults (20 new cards and 200 reviews a day, steps 1m 10m), plus "bury new siblings", "bury review
    siblings" and "bury interday learning siblings" on (Anki's Default preset has them off: it would show the
    forms of one event on one day) and new cards gathered by ascending position across the era subdecks, so the
    export's order (`quiz.export.anki_order`) is Anki's order."""
    return {
        "id": PRESET_ID, "name": PRESET_NAME, "mod": PRESET_MOD, "usn": -1, "maxTaken": 60, "autoplay": True,
        "timer": 0, "replayq": True, "dyn": False,
        "new": {"bury": True, "delays": [1.0, 10.0], "initialFactor": 2500, "ints": [1, 4, 0], "order": 1,
                "perDay": 20},
        "rev": {"bury": True, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200, "hardFactor": 1.2},
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0},
        "buryInterdayLearning": True,
        "newGatherPriority": 1,  # NEW_CARD_GATHER_PRIORITY_LOWEST_POSITION ("Ascending position")
        "newSortOrder": 1,  # NEW_CARD_SORT_ORDER_NO_SORT: in the order gathered ("Order gathered")
    }


# --- notes -------------------------------------------------------------------------------------------------------


def deck_id(name: str) -> int:
    """A deck's id: a fixed function of its name, in genanki's recommended range."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8, person=b"quiz-deck").digest()
    return (1 << 30) + int.from_bytes(digest, "big") % (1 << 30)


def deck_name(era_id: str, lang: Lang) -> str:
    """The built-in bank's `<top deck>::<era subdeck>`."""
    frozen = ERA_DECKS.get(era_id)
    return f"{TOP_DECKS[lang]}::{frozen[lang] if frozen is not None else era_id}"


def plan(bank: Bank, questions: Iterable[Question], langs: Sequence[Lang], deck: str | None = None,
         fetch: Fetch | None = None, hasher: Hasher | None = None, briefs: list[Brief] | None = None) -> list[NoteSpec]:
    """The notes of an export (see `quiz.export.anki_notes.plan_notes`: with `fetch`, without their fields, which
    `write_package` renders as it writes), with this module's frozen identity."""
    types = {key: t.id for key, t in NOTE_TYPES.items()}
    return plan_notes(bank, questions, langs, guid=guid, note_type=lambda kind, lang: types[(kind, lang)],
                      frozen_tops=TOP_DECKS, frozen_eras=ERA_DECKS, deck=deck, fetch=fetch, hasher=hasher,
                      briefs=briefs)


def note_mod(spec: NoteSpec, times: Mapping[tuple[str, Lang], datetime]) -> int:
    """A note's modification time (epoch seconds): when its content in its language first appeared (the latest
    of its questions'), or when this module's rendering changed, whichever is later."""
    latest, lang, get = NOTE_FORMAT_TIME, spec.lang, times.get
    for qid in spec.questions:
        moment = get((qid, lang))
        if moment is not None and (seconds := int(moment.timestamp())) > latest:
            latest = seconds
    return latest


# --- note types ---------------------------------------------------------------------------------------------------


def _genanki_model(note_type: NoteType) -> Any:
    import genanki

    rtl = note_type.lang == "ar"
    font = "Noto Naskh Arabic" if rtl else "Arial"
    fields = [{"name": name, "rtl": rtl, "font": font, "size": 20} for name in FIELDS[note_type.kind]]
    if note_type.kind == EVENT:
        templates = [{"name": name, "qfmt": front, "afmt": back}
                     for name, front, back in event_templates(note_type.lang)]
    else:
        front, back = question_templates(Kind(note_type.kind), note_type.lang)
        templates = [{"name": note_type.template, "qfmt": front, "afmt": back}]
    return genanki.Model(
        note_type.id,
        note_type.name,
        fields=fields,
        templates=templates,
        css=css(note_type.lang),
        model_type=genanki.Model.CLOZE if note_type.kind == Kind.CLOZE.value else genanki.Model.FRONT_BACK,
    )


# --- writing ------------------------------------------------------------------------------------------------------


def package_time(now: datetime, previous: datetime | None) -> datetime:
    """The export's time: `now`, or just after the previous export when the clock did not move on."""
    if previous is not None and now <= previous:
        return previous + timedelta(milliseconds=1)
    return now


def write_package(
    notes: Sequence[NoteSpec],
    path: Path,
    mods: Callable[[NoteSpec], int],
    stamp: datetime,
    descriptions: Mapping[str, str],
    progress: Progress | None = None,
    scheduling: tuple[Sequence[CardRow], Sequence[RevlogRow]] | None = None,
    render: Render | None = None,
) -> None:
    """Write the notes as an .apkg at `path`: a genanki collection, then our times (and, with `scheduling`, the
    learner's card states and review log), then a deflated zip. Each note's modification time is `mods(note)`
    (`note_mod`), found as it is written. Notes planned without their fields get them from `render`
    (`quiz.export.anki_notes.renderer`) as they are written.

    The collection is what `genanki.Package(decks).write_to_db` followed by the old per-note updates of `mod` and
    `due` wrote, row for row (`_note_rows`), but the notes and cards are inserted in batches with their final
    times and positions, no note object is made (genanki's `Note` costs ~40 us a note), and the decks are written
    in `_write_order`, which numbers the rows (genanki's ids, in another order)."""
    import genanki

    schema, col = genanki.package.APKG_SCHEMA, genanki.package.APKG_COL  # what `Package.write_to_db` runs first

    stamp_ms = int(stamp.timestamp() * 1000)
    tick = _ticker(len(notes), progress)
    models: dict[int, Any] = {}
    decks: dict[str, Any] = {}
    members: dict[str, array[int]] = {}  # deck name → its notes, in plan order
    for top in dict.fromkeys(n.top for n in notes):
        decks[top] = genanki.Deck(deck_id(top), top, description=html.escape(descriptions.get(top, "")))
    for index, spec in enumerate(notes):
        model = models.get(spec.note_type)
        if model is None:
            model = models[spec.note_type] = _genanki_model(NOTE_TYPES[(spec.kind, spec.lang)])
        deck = decks.get(spec.deck)
        if deck is None:
            deck = decks[spec.deck] = genanki.Deck(deck_id(spec.deck), spec.deck)
        if spec.note_type not in deck.models:
            deck.add_model(model)  # the note types of a deck's notes, in order of first use, as genanki adds them
        got = members.get(spec.deck)
        if got is None:
            got = members[spec.deck] = array("l")
        got.append(index)
    with tempfile.TemporaryDirectory(prefix="quiz-apkg-") as folder:
        db_path = Path(folder) / "collection.anki2"
        conn = sqlite3.connect(db_path, isolation_level=None)
        try:
            # SQLite's largest pages, set before anything is written (`PAGE_SIZE`)
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            # a throwaway file, zipped once whole: no journal, no fsync (neither changes what the file holds)
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            cursor = conn.cursor()
            timestamp, ids = stamp_ms / 1000, itertools.count(stamp_ms)
            tables, indexes = _split_schema(schema)
            cursor.executescript(tables)
            cursor.executescript(col)
            cursor.execute("BEGIN")
            for name, deck in _write_order(decks, members, notes):
                _note_rows(cursor, notes, members.get(name, ()), deck.deck_id, models, mods, ids, render, tick)
            for statement in indexes:  # built once over the rows, not row by row
                cursor.execute(statement)
            _set_col(cursor, decks, timestamp, stamp_ms)
            if scheduling is not None:
                _set_scheduling(cursor, *scheduling)
            cursor.execute("COMMIT")
        finally:
            conn.close()
        from quiz.export.package_zip import write_package_zip

        write_package_zip(db_path, path, stamp, PACKAGE_COMMENT)


PAGE_SIZE = 65536
"""The page size of the package's collection, SQLite's largest (any SQLite reads any). A note's row is 0.7-2.5 KB
(its fields: Arabic and HTML), and 4 KiB pages (SQLite's default) hold one to three of them with much left empty.
Measured on the 100k bank's collection (184,000 notes, 200,000 cards), medians of four runs: at 4 KiB the rows
take 1.54 s to insert and 0.68 s to index, and the file is 376 MB; at 64 KiB, 0.90 s and 0.23 s, and 303 MB,
which deflates in 0.85× the time."""


def _write_order(decks: Mapping[str, Any], members: Mapping[str, array[int]],
                 notes: Sequence[NoteSpec]) -> list[tuple[str, Any]]:
    """The decks in the order their rows are written: each language's decks in plan order, the languages taken
    in turn (the first deck of each, then the second of each, ...), so that a question's notes in both languages
    are rendered close together and its chunk of a cached bank is decoded once, not once per language (a deck
    holds an era's notes in one language). Only the note and card ids, which Anki never matches on, depend on it."""
    ranks: dict[str, int] = {}  # deck → its place among its language's decks
    counts: dict[str, int] = {}  # language → its decks so far
    for name in decks:
        held = members.get(name)
        if held:
            lang = notes[held[0]].lang
            ranks[name] = counts[lang] = counts.get(lang, 0) + 1
    ordered = sorted(ranks, key=lambda name: ranks[name])  # stable: languages in order within a rank
    return [(name, decks[name]) for name in ordered]


def _split_schema(schema: str) -> tuple[str, list[str]]:
    """genanki's schema as its tables and its index statements (run after the rows are in)."""
    at = schema.index("CREATE INDEX")
    return schema[:at], [line.strip() for line in schema[at:].split(";") if line.strip()]


def written_by_quiz(path: Path, recorded: bool = False) -> bool:
    """Whether the package at `path` is one quiz wrote: its ZIP comment, or the export record (`recorded`)."""
    if recorded:
        return True
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as package:
        return package.comment.startswith(PACKAGE_COMMENT)


def _ticker(total: int, progress: Progress | None) -> Callable[[], None]:
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done == total or done % 25 == 0):
            progress(done, total)

    return tick


NOTE_BATCH = 2000


def _note_rows(cursor: sqlite3.Cursor, notes: Sequence[NoteSpec], indexes: Iterable[int], did: int,
               models: Mapping[int, Any], mods: Callable[[NoteSpec], int], ids: Iterator[int], render: Render | None,
               tick: Callable[[], None]) -> None:
    """One deck's notes and their cards, as `genanki.Note.write_to_db` writes them (note id, then its cards'
    ids, from `ids`), with each note's and card's `mod` its content time (`mods`) and each card its own new
    position (`NoteSpec.dues`; genanki gives all the cards of a note the note's): the forms of one event are
    introduced on different days, whether or not Anki buries siblings. Rendered and written `NOTE_BATCH` at a
    time, so the fields of only so many notes are held."""
    note_rows: list[tuple[Any, ...]] = []
    card_rows: list[tuple[Any, ...]] = []
    shapes: dict[int, tuple[int, int, CardsOf]] = {}  # note type → its fields, sort field, `_cards_of`

    def flush() -> None:
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?);", note_rows)
        cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?);", card_rows)
        note_rows.clear()
        card_rows.clear()

    for index in indexes:
        spec = notes[index]
        fields, tags = render(spec) if render is not None and not spec.fields else (spec.fields, spec.tags)
        shape = shapes.get(spec.note_type)
        if shape is None:
            model = models[spec.note_type]
            shape = shapes[spec.note_type] = (len(model.fields), model.sort_field_index, cards_maker(model))
        width, sort_at, cards_of = shape
        if len(fields) != width:  # what genanki's Note checked: a note type's fields, one each
            raise ValueError(f"note {spec.guid} has {len(fields)} fields; its note type has {width}")
        mod = mods(spec)
        note_id = next(ids)
        note_rows.append((note_id, spec.guid, spec.note_type, mod, -1, " " + " ".join(tags) + " ",
                          "\x1f".join(fields), fields[sort_at], 0, 0, ""))
        if spec.dues:
            dues = dict(spec.dues)
            for card_ord in cards_of(fields):
                card_rows.append((next(ids), note_id, did, card_ord, mod, -1, 0, 0, dues.get(card_ord, spec.position),
                                  0, 0, 0, 0, 0, 0, 0, 0, ""))
        else:
            for card_ord in cards_of(fields):
                card_rows.append((next(ids), note_id, did, card_ord, mod, -1, 0, 0, spec.position,
                                  0, 0, 0, 0, 0, 0, 0, 0, ""))
        tick()
        if len(note_rows) >= NOTE_BATCH:
            flush()
    flush()


def _set_col(cursor: sqlite3.Cursor, decks: Mapping[str, Any], timestamp: float, stamp_ms: int) -> None:
    """The collection's decks and note types, as `genanki.Deck.write_to_db` left them deck after deck (each deck's
    JSON, then its note types', a note type's `did` the last deck holding it), written once; then our times (the
    collection's `mod` the export time, note types' `NOTE_TYPES_MOD`) and the package's own options preset
    (`preset`), given to every deck it holds: Anki takes it only when "Import deck presets" is ticked, and keeps
    the learner's own changes to it on a later import (they are newer)."""
    (decks_json, models_json, dconf_json) = cursor.execute("SELECT decks, models, dconf FROM col").fetchone()
    stored, models, dconf = json.loads(decks_json), json.loads(models_json), json.loads(dconf_json)
    for deck in decks.values():
        stored[str(deck.deck_id)] = deck.to_json()
        for model in deck.models.values():
            models[str(model.model_id)] = model.to_json(timestamp, deck.deck_id)
    for model in models.values():
        model["mod"] = NOTE_TYPES_MOD
    ours = {str(deck.deck_id) for deck in decks.values()}
    for deck_key, deck_json in stored.items():
        if deck_key in ours:
            deck_json["conf"] = PRESET_ID
    dconf[str(PRESET_ID)] = preset()
    cursor.execute("UPDATE col SET mod = ?, models = ?, decks = ?, dconf = ?",
                   (stamp_ms, *(json.dumps(v, ensure_ascii=False) for v in (models, stored, dconf))))


def _set_scheduling(cursor: sqlite3.Cursor, cards: Sequence[CardRow], revlog: Sequence[RevlogRow]) -> None:
    """The learner's state on each studied card (found by note GUID and card ordinal) and the review log. The
    collection says it uses the v2+ scheduler: Anki would otherwise read learning answers as the v1 scheduler's
    three buttons and shift their ease."""
    (conf_json,) = cursor.execute("SELECT conf FROM col").fetchone()
    conf = json.loads(conf_json)
    conf["schedVer"] = 2
    cursor.execute("UPDATE col SET conf = ?", (json.dumps(conf),))
    cursor.execute("CREATE TEMP TABLE card_ids AS SELECT c.id AS cid, n.guid AS guid, c.ord AS ord "
                   "FROM cards c JOIN notes n ON n.id = c.nid")
    ids = {(g, o): cid for cid, g, o in cursor.execute("SELECT cid, guid, ord FROM temp.card_ids")}
    cursor.execute("DROP TABLE temp.card_ids")
    cursor.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, lapses = ?, left = ?, "
        "data = ? WHERE id = ?",
        [(c.type, c.queue, c.due, c.ivl, c.factor, c.reps, c.lapses, c.left, c.data, ids[(c.guid, c.ord)])
         for c in cards if (c.guid, c.ord) in ids])
    cursor.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
        [(r.id, ids[(r.guid, r.ord)], r.ease, r.ivl, r.last_ivl, r.factor, r.time, r.type)
         for r in revlog if (r.guid, r.ord) in ids])
