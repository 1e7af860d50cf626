"""What an Anki export holds: one note per question, or per event for the forms of one fact; fields, tags, decks
and new positions. No genanki and no I/O here (`quiz.export.anki` writes the package).

- **Event notes.** The questions generated from one event (`gen-yearpick-E` recognition of the year, `gen-year-E`
  recall of it, `gen-era-E` its era) are the cards of one note of the "event" note type, so that Anki's own
  bury-siblings keeps them apart. The note takes the GUID its recall question had as a note of its own, so an old
  collection either keeps its old notes (Anki skips the "conflicting" note) or, with "merge note types" ticked,
  turns that note into the event note with its scheduling: never a duplicate.
- **Identity per bank.** The built-in bank keeps the GUIDs of earlier exports (question id and language); a teacher's
  bank adds its id, so two banks that both have a `q1` give two notes.
- **The first field** of every note says what it is and is unique within its note type: a duplicate prompt gets
  the question's id (or an order question its items) in a span the cards hide.
- **Choices** are shown in an order shuffled per question (seeded by its id: stable across exports, and the right
  answer's position is uniform over the bank); the back marks the answer.
- **New positions** are given card by card (`quiz.export.anki_order`): era by era, cards sharing an event
  `SPACING` positions apart where the bank allows it, an event's forms on different days even where Anki
  buries nothing, and a card about several events after each of them was met.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quiz.export.anki_fields import EVENT_FIELDS as EVENT_FIELDS  # re-exported: its home is quiz.export.anki_fields
from quiz.export.anki_fields import event_fields, event_first_field, first_field, question_fields
from quiz.export.anki_html import esc as esc  # re-exported: its home is quiz.export.anki_html
from quiz.export.anki_html import shuffled_order as shuffled_order  # likewise
from quiz.export.anki_names import TAG_ROOT as TAG_ROOT  # re-exported: its home is quiz.export.anki_names
from quiz.export.anki_names import era_deck, note_tags, top_deck
from quiz.export.anki_order import EVENT_FORMS as EVENT_FORMS  # re-exported: its home is quiz.export.anki_order
from quiz.export.anki_order import Unit, order
from quiz.export.revisions import lang_hash
from quiz.messages import source_line
from quiz.model import Bank, Era, Kind, Lang, Question

if TYPE_CHECKING:
    from quiz.export.revision_pass import Refresh

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

EVENT = "event"
"""The `kind` of event notes."""


@dataclass(frozen=True, slots=True)
class NoteSpec:
    """One Anki note, ready to write: everything but its modification time."""

    guid: str
    key: str  # the question id, or the event id of an event note
    questions: tuple[str, ...]  # the ids of the questions it carries
    lang: Lang
    kind: str  # a Kind value, or EVENT
    note_type: int
    bank: str
    top: str  # the top deck: with `lang`, the output it belongs to
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    content_hash: str  # of what it shows in `lang`
    events: tuple[str, ...]
    position: int = 0  # the new position of its first card
    cards: int = 1  # the cards Anki makes of it (an event note: one per form it carries)
    dues: tuple[tuple[int, int], ...] = ()  # (card ordinal, new position) of an event note's cards (a question
    # note's one card is at `position`: its dues are left empty, 136 bytes a note)
    dup: bool = False  # its first field repeats one of its note type: rendered with its key added (see below)

    @property
    def question_id(self) -> str:
        return self.key


# --- the plan ----------------------------------------------------------------------------------------------------


Hasher = Callable[[Question, Lang], str]
"""`quiz.export.revisions.lang_hash`, or what gives the same (`Refresh.hash`)."""


class Brief:
    """What planning needs of a question; its note is rendered from the question itself, fetched again by id
    (`renderer`), so a plan of 100,000 notes holds no question and no field."""

    __slots__ = ("id", "era", "generated", "events", "kind", "bank", "langs", "hashes", "firsts", "prompted")

    def __init__(self, q: Question, langs: Sequence[Lang], hasher: Hasher = lang_hash) -> None:
        self.id, self.era, self.generated, self.events, self.kind, self.bank = (
            q.id, q.era, q.generated, q.events, q.kind, q.bank)
        own = tuple(lang for lang in langs if q.has(lang))  # the languages it can be exported in
        self.langs = _SHARED.setdefault(own, own)  # a few distinct tuples, each held once
        self.hashes = tuple([hasher(q, lang) for lang in langs])
        order = shuffled_order(q) if q.kind is Kind.ORDER else None  # the same in every language
        self.firsts = tuple([_digest(first_field(q, lang, order)) for lang in langs])
        prompted = tuple([bool(esc(q.prompt.get(lang))) for lang in langs])
        self.prompted = _SHARED.setdefault(prompted, prompted)

    def __reduce__(self) -> tuple[Callable[..., Brief], tuple[Any, ...]]:
        """Pickled as its values (a forked child's briefs, `briefs_split`)."""
        return (_brief, (self.id, self.era, self.generated, self.events, self.kind, self.bank, self.langs,
                         self.hashes, self.firsts, self.prompted))


def _brief(*values: Any) -> Brief:
    brief = Brief.__new__(Brief)
    (brief.id, brief.era, brief.generated, brief.events, brief.kind, brief.bank, langs, brief.hashes, brief.firsts,
     prompted) = values
    brief.langs, brief.prompted = _SHARED.setdefault(langs, langs), _SHARED.setdefault(prompted, prompted)
    return brief


_SHARED: dict[tuple[Any, ...], Any] = {}
"""The briefs' tuples of languages and of flags: one of each value."""


def briefs_of(questions: Iterable[Question], langs: Sequence[Lang], hasher: Hasher = lang_hash) -> list[Brief]:
    """The briefs of the questions that are not drafts, in order."""
    return [Brief(q, langs, hasher) for q in questions if not q.draft]


BRIEFS_SPLIT_FROM = 20_000
"""From this many questions, a whole bank's briefs are made on two cores (`briefs_split`)."""


def briefs_split(questions: Sequence[Question], langs: Sequence[Lang], watcher: Refresh) -> list[Brief]:
    """The briefs of every question of a bank (`briefs_of`, in order), made in two halves from a large bank: the
    first here, the second in a forked child at once (`quiz.parallel.split_run`: 100,000 questions take ~2.7 s
    of a single core, decoded, hashed and briefed). Each half's hashes are kept by a part of `watcher` of its own
    (`Refresh.part`) and given back to `watcher` in order (`Refresh.take`), so the records come out as one pass
    over the bank would have left them."""
    from quiz.bank import stream
    from quiz.parallel import split_run

    count = len(questions)

    def half(part: int, parts: int) -> tuple[list[Brief], dict[str, list[tuple[str, ...]]]]:
        own = watcher.part()
        start, stop = part * count // parts, (part + 1) * count // parts
        return briefs_of(own.watch(stream(questions, start, stop)), langs, own.hash), own.seen()

    made: list[Brief] = []
    for briefs, seen in split_run(half, 2 if count >= BRIEFS_SPLIT_FROM else 1):
        made += briefs
        watcher.take(seen)
    return made


def _digest(first: str) -> int:
    """A first field without its markup, as a number (96 bits of blake2b): what `NoteSpec.dup` compares."""
    plain = _plain(first) if "<" in first else first.strip()  # no markup: nothing to take out
    return int.from_bytes(blake2b(plain.encode("utf-8", "surrogatepass"), digest_size=12).digest(), "big")


def event_forms(questions: Sequence[Question]) -> dict[str, dict[str, Question]]:
    """event id → form → question, for the generated questions that are forms of one event."""
    return _forms(questions)


def _forms(questions: Iterable[Any]) -> dict[str, dict[str, Any]]:
    forms: dict[str, dict[str, Any]] = {}
    for q in questions:
        if not q.generated or len(q.events) != 1:
            continue
        event_id = q.events[0]
        for form, _ in EVENT_FORMS:
            if q.id == f"gen-{form}-{event_id}":
                forms.setdefault(event_id, {})[form] = q
    return forms


_ONE_CARD = frozenset({""})
"""The forms a question's own note makes cards of: its one card."""

Fetch = Callable[[str], Question]
"""A question by id (from the bank: `quiz.bank.cache.fetcher`)."""


def plan_notes(
    bank: Bank,
    questions: Iterable[Question],
    langs: Sequence[Lang],
    *,
    guid: Callable[..., str],
    note_type: Callable[[str, Lang], int],
    frozen_tops: Mapping[Lang, str],
    frozen_eras: Mapping[str, Mapping[Lang, str]],
    deck: str | None = None,
    fetch: Fetch | None = None,
    hasher: Hasher | None = None,
    briefs: list[Brief] | None = None,
) -> list[NoteSpec]:
    """The notes of an export, per language, in new-position order. Drafts are left out.

    `questions` is read once (it may be a stream). Without `fetch` the notes come with their fields and tags;
    with it, without them (`fields` and `tags` empty): `renderer(bank, fetch)` gives them when the note is
    written. `hasher` gives each question's content hash in a language (`lang_hash`). With `fetch`, the
    questions' `briefs` may be given instead, made already (`briefs_split`): `questions` is then not read, and
    the list is emptied (its briefs are let go as the plan goes on)."""
    kept: dict[str, Question] | None = None if fetch is not None else {}
    if briefs is not None and kept is None:
        given, briefs = briefs, list(briefs)
        given.clear()  # taken over: let go here as the plan goes on, whoever else holds the list
    else:
        briefs = []
        for q in questions:
            if q.draft:
                continue
            briefs.append(Brief(q, langs, hasher or lang_hash))
            if kept is not None:
                kept[q.id] = q
    forms = _forms(briefs)
    carried = {b.id for per in forms.values() for b in per.values()}
    events = {e.id: e for e in bank.events}
    era_rank = {era.id: i for i, era in enumerate(sorted(bank.eras, key=lambda e: (e.start, e.end)))}
    eras: dict[str, Era] = {}
    for era in bank.eras:
        eras.setdefault(era.id, era)  # the first of an id, as `Bank.era` finds it
    units: list[Unit] = []
    for b in briefs:
        event_id = b.events[0] if b.id in carried else ""
        if event_id in events:
            per = forms[event_id]
            if per[next(f for f, _ in EVENT_FORMS if f in per)] is b:  # the event's first form stands for it
                units.append((event_id, [per[f] for f, _ in EVENT_FORMS if f in per], events[event_id]))
        else:
            units.append((b.id, [b], None))
    del briefs, forms, carried
    slots = order(units, era_rank)
    ords = {form: index for index, (form, _) in enumerate(EVENT_FORMS)}
    notes: list[NoteSpec] = []
    seen: dict[int, dict[int, int]] = {}  # note type → first field without markup (`_digest`) → its notes
    firsts: list[int] = []
    tops: dict[str, str] = {}  # one string per deck name, shared by its notes
    ids: list[tuple[str, ...] | None] = [None] * len(units)  # per unit, its notes' questions: one tuple held
    position = 0
    for li, lang in enumerate(langs):
        # per unit: the forms it makes cards of in `lang` (None: no question of it has the language); few
        # distinct sets, each held once
        made_of: list[frozenset[str] | None] = [None] * len(units)
        kinds: dict[frozenset[str], frozenset[str]] = {}
        for index, (key, every, event) in enumerate(units):
            if (lang not in every[0].langs if len(every) == 1 else not any(lang in b.langs for b in every)):
                continue  # a question lacking the language: not exported in it
            made = _ONE_CARD
            if event is not None:
                by_form = {form: b for form, _ in EVENT_FORMS for b in every
                           if lang in b.langs and b.id == f"gen-{form}-{key}"}
                year_q = by_form.get("year") or by_form.get("yearpick")
                asked = bool(year_q and year_q.prompted[li])
                era_q = by_form.get("era")
                made = frozenset(f for f in by_form if (asked if f != "era" else bool(era_q and era_q.prompted[li])))
                made = kinds.setdefault(made, made)
            made_of[index] = made
        names: dict[tuple[str, str], tuple[bool, str, str]] = {}  # (bank, era) → built-in?, top deck, deck
        dues: list[list[tuple[int, int]] | None] = [None] * len(units)
        placed: list[int] = []  # units in the order of their first card (or of their place, when they make none)
        for slot in slots:
            making = made_of[slot.unit]
            if making is None:
                continue
            got = dues[slot.unit]
            if got is None:
                got = dues[slot.unit] = []
                placed.append(slot.unit)
            if slot.form in making:
                position += 1
                got.append((ords.get(slot.form, 0), position))
        del made_of
        for index in placed:
            key, every, event = units[index]
            members = every if len(every) == 1 else [b for b in every if lang in b.langs]  # one: it has `lang`
            card_dues = tuple(sorted(dues[index] or ()))
            dues[index] = None
            first = members[0]
            qids = ids[index]  # the same tuple as the unit's note in the other language, when it has the same
            if qids is None or len(qids) != len(members) or (qids[0] != first.id if len(members) == 1 else any(
                    qid != b.id for qid, b in zip(qids, members, strict=True))):
                qids = ids[index] = tuple(b.id for b in members)
            if len(members) == 1:  # its question's own tuple, unless an event is listed twice
                about = first.events if len(set(first.events)) == len(first.events) else tuple(
                    dict.fromkeys(first.events))
            else:
                about = tuple(dict.fromkeys(e for b in members for e in b.events))
            named = names.get((first.bank, first.era))  # the same for every note of a bank's era in `lang`
            if named is None:
                info = bank.info(first.bank)
                top = top_deck(info, lang, langs, deck, frozen_tops)
                top = tops.setdefault(top, top)
                deck_name = f"{top}::{era_deck(eras.get(first.era), first.era, lang, frozen_eras)}"
                named = names[(first.bank, first.era)] = (info is None or info.builtin, top,
                                                          tops.setdefault(deck_name, deck_name))
            builtin, top, deck_name = named
            kind = EVENT if event is not None else first.kind.value
            anchor = f"gen-year-{key}" if event is not None else key
            head = _digest(event_first_field(event, lang)) if event is not None else first.firsts[li]
            type_id = note_type(kind, lang)
            heads = seen.get(type_id)
            if heads is None:
                heads = seen[type_id] = {}
            heads[head] = heads.get(head, 0) + 1
            firsts.append(head)
            notes.append(NoteSpec(
                guid=guid(anchor, lang) if builtin else guid(first.bank, anchor, lang),
                key=key,
                questions=qids,
                lang=lang,
                kind=kind,
                note_type=type_id,
                bank=first.bank,
                top=top,
                deck=deck_name,
                fields=(),
                tags=(),
                content_hash=first.hashes[li] if len(members) == 1 else _hash([b.hashes[li] for b in members]),
                events=about,
                position=card_dues[0][1] if len(card_dues) == 1 else min((p for _, p in card_dues),
                                                                         default=position + 1),
                cards=len(card_dues) if event is not None else 1,
                dues=card_dues if event is not None else (),
            ))
        del dues
    del units, slots, ids
    from dataclasses import replace

    render = renderer(bank, kept.__getitem__) if kept is not None else None
    for index, spec in enumerate(notes):
        if seen[spec.note_type][firsts[index]] > 1:
            notes[index] = spec = replace(spec, dup=True)
        if render is not None:
            fields, tags = render(spec)
            notes[index] = replace(spec, fields=fields, tags=tags)
    return notes


def renderer(bank: Bank, fetch: Fetch) -> Callable[[NoteSpec], tuple[tuple[str, ...], tuple[str, ...]]]:
    """A planned note's fields and tags, from its questions (`fetch`) and the bank's events."""
    events = {e.id: e for e in bank.events}
    lines: dict[tuple[Any, Lang], str] = {}  # a source line depends on the source alone: 7,196 at 100k

    def sources(q: Question, lang: Lang) -> str:
        line = lines.get((q.source, lang))
        if line is None:
            line = lines[(q.source, lang)] = esc(source_line(q, bank, lang))
        return line

    def render(spec: NoteSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
        members = [fetch(qid) for qid in spec.questions]
        if spec.kind == EVENT:
            by_form = {form: q for form, _ in EVENT_FORMS for q in members if q.id == f"gen-{form}-{spec.key}"}
            fields = event_fields(events[spec.key], by_form, bank, spec.lang, sources)
        else:
            fields = question_fields(members[0], bank, spec.lang, sources)
        if spec.dup:
            fields = (fields[0] + f'<span class="qz-listed"> · {esc(spec.key)}</span>', *fields[1:])
        return fields, note_tags(members, spec.kind)

    return render


def _hash(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else blake2b("+".join(parts).encode(), digest_size=10).hexdigest()


_MARKUP = re.compile(r"<[^>]+>")


def _plain(field: str) -> str:
    return _MARKUP.sub("", field).strip()
