"""Anki packages (.apkg) that re-import cleanly: the only home of genanki (imported inside the functions).

Identity, chosen once and never changed (Anki matches on these when a package is imported again):

- **Note types**: one per question kind and language (12), with the fixed ids of `NOTE_TYPES` and frozen field and
  template names. Arabic and English get separate note types so each carries its own direction, fonts and labels
  (and Anki's editor shows Arabic fields right-to-left); their ids are literal constants, never derived from
  content. Changing a field or template *name* or the number of fields would make Anki create a new note type:
  never do that; add a new kind instead. Templates and CSS may change: bump `NOTE_TYPES_MOD` so Anki takes them.
- **Decks**: one top deck per language (`TOP_DECKS`) with a subdeck per era. Built-in eras have frozen subdeck
  names (`ERA_DECKS`, chronological by their start year); an era of a teacher's bank is named by its id, which
  never changes. Deck ids are derived from the deck name (`deck_id`); Anki itself matches decks by name.
- **Notes**: GUID = `genanki.guid_for(question id, language)`, never content.

Modification times: every note's `mod` is when that question's content last changed (the store's `changed_at`,
or `NOTE_FORMAT_TIME` when this module's rendering changed later), so Anki's "update if newer" import updates
exactly the notes whose content changed and leaves the others, and the learner's own edits to them, alone. The
collection's `mod` is the export time, strictly later than the previous export's (`package_time`).

Every text of the bank is HTML-escaped (plus `{`, `}`, `[` and `]`, so it cannot form Anki template, cloze or sound
syntax); only this module's own markup reaches Anki as HTML.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import random
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.bank import BLANK_RE
from quiz.export import ExportResult, Progress, atomic_write, check_target
from quiz.messages import kind_label, source_line
from quiz.model import Bank, Kind, Lang, Question
from quiz.safetext import for_screen

if TYPE_CHECKING:
    from quiz.store import Store

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

FIELDS: Mapping[Kind, tuple[str, ...]] = {
    Kind.CARD: ("Prompt", "Answer", "Explanation", "Source", "Id"),
    Kind.TYPED: ("Prompt", "Answer", "Accepted", "Explanation", "Source", "Id"),
    Kind.CHOICE: ("Prompt", "Choices", "Marked", "Answer", "Explanation", "Source", "Id"),
    Kind.TRUEFALSE: ("Statement", "Answer", "Explanation", "Source", "Id"),
    Kind.ORDER: ("Prompt", "Items", "Answer", "Explanation", "Source", "Id"),
    Kind.CLOZE: ("Text", "Explanation", "Source", "Id"),
}


@dataclass(frozen=True, slots=True)
class NoteType:
    kind: Kind
    lang: Lang
    id: int
    name: str
    template: str


NOTE_TYPES: Mapping[tuple[Kind, Lang], NoteType] = {
    (t.kind, t.lang): t
    for t in (
        NoteType(Kind.CARD, "ar", 1794221306, "مسابقة الخط الزمني: بطاقة", "بطاقة"),
        NoteType(Kind.CARD, "en", 1568992416, "Timeline Quiz: flashcard", "Flashcard"),
        NoteType(Kind.TYPED, "ar", 2020317741, "مسابقة الخط الزمني: إجابة مكتوبة", "إجابة مكتوبة"),
        NoteType(Kind.TYPED, "en", 1873263175, "Timeline Quiz: typed answer", "Typed answer"),
        NoteType(Kind.CHOICE, "ar", 1396996815, "مسابقة الخط الزمني: اختيار من متعدد", "اختيار من متعدد"),
        NoteType(Kind.CHOICE, "en", 1569925952, "Timeline Quiz: multiple choice", "Multiple choice"),
        NoteType(Kind.TRUEFALSE, "ar", 1826282201, "مسابقة الخط الزمني: صح أم خطأ", "صح أم خطأ"),
        NoteType(Kind.TRUEFALSE, "en", 1727843143, "Timeline Quiz: true or false", "True or false"),
        NoteType(Kind.ORDER, "ar", 1683175342, "مسابقة الخط الزمني: ترتيب زمني", "ترتيب زمني"),
        NoteType(Kind.ORDER, "en", 1709755217, "Timeline Quiz: chronological order", "Chronological order"),
        NoteType(Kind.CLOZE, "ar", 1317165678, "مسابقة الخط الزمني: أكمل الفراغ", "أكمل الفراغ"),
        NoteType(Kind.CLOZE, "en", 1432786409, "Timeline Quiz: cloze", "Cloze"),
    )
}

# --- times that change with this module --------------------------------------------------------------------------

NOTE_TYPES_MOD = 1_793_491_200  # 2026-11-01T00:00:00Z: bump when templates or CSS change, so Anki takes them.
NOTE_FORMAT_TIME = 1_793_491_200  # 2026-11-01T00:00:00Z: bump when the fields' rendering changes, so every note
# is newer than what learners imported before and Anki updates it once.

DECK_DESCRIPTION: Mapping[Lang, str] = {
    "en": "Questions on US–Russia relations from timeline-quiz. Import a newer export to update them: "
          "notes whose questions did not change, and your own edits to them, are kept.",
    "ar": "أسئلة عن العلاقات الأمريكية الروسية من timeline-quiz. استورد تصديرًا أحدث لتحديثها: "
          "الملاحظات التي لم تتغير أسئلتها، وتعديلاتك عليها، تبقى كما هي.",
}

ARABIC_FONTS = ('"Noto Naskh Arabic", "Amiri", "Scheherazade New", "Geeza Pro", "Arabic Typesetting", '
                '"Traditional Arabic", serif')
LATIN_FONTS = '-apple-system, "Segoe UI", "Noto Sans", Roboto, "Helvetica Neue", Arial, sans-serif'

_LABELS: Mapping[Lang, Mapping[str, str]] = {
    "en": {"answer": "Answer", "accepted": "Also accepted", "truefalse": "True or false?"},
    "ar": {"answer": "الإجابة", "accepted": "تُقبل أيضًا", "truefalse": "صح أم خطأ؟"},
}


# --- notes -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoteSpec:
    """One Anki note, ready to write: everything but its modification time."""

    guid: str
    question_id: str
    lang: Lang
    kind: Kind
    note_type: int
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    content_hash: str
    position: int


def guid(question_id: str, lang: Lang) -> str:
    """The note's GUID: from the question id and language only, never from content."""
    import genanki

    return str(genanki.guid_for(question_id, lang))


def deck_id(name: str) -> int:
    """A deck's id: a fixed function of its (frozen) name, in genanki's recommended range."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8, person=b"quiz-deck").digest()
    return (1 << 30) + int.from_bytes(digest, "big") % (1 << 30)


def deck_name(era_id: str, lang: Lang) -> str:
    """`<top deck>::<era subdeck>`: frozen names for built-in eras, the era id for a teacher's era."""
    frozen = ERA_DECKS.get(era_id)
    sub = frozen[lang] if frozen is not None else era_id
    return f"{TOP_DECKS[lang]}::{sub}"


def esc(text: str) -> str:
    """Bank text as inert HTML: escaped, and with nothing Anki would read as template, cloze or sound syntax."""
    escaped = html.escape(for_screen(text), quote=True)
    escaped = escaped.replace("{", "&#123;").replace("}", "&#125;").replace("[", "&#91;").replace("]", "&#93;")
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def plan_notes(bank: Bank, questions: Sequence[Question], langs: Sequence[Lang]) -> list[NoteSpec]:
    """The notes of an export, per language, era (bank order) and question (bank order). Drafts are left out."""
    era_order = {era.id: index for index, era in enumerate(bank.eras)}
    chosen = sorted((q for q in questions if not q.draft), key=lambda q: era_order.get(q.era, len(era_order)))
    notes: list[NoteSpec] = []
    for lang in langs:
        for question in chosen:
            notes.append(NoteSpec(
                guid=guid(question.id, lang),
                question_id=question.id,
                lang=lang,
                kind=question.kind,
                note_type=NOTE_TYPES[(question.kind, lang)].id,
                deck=deck_name(question.era, lang),
                fields=note_fields(question, bank, lang),
                tags=note_tags(question),
                content_hash=question.content_hash(),
                position=len(notes) + 1,
            ))
    return notes


def note_fields(question: Question, bank: Bank, lang: Lang) -> tuple[str, ...]:
    """The note's fields in `FIELDS[kind]` order, every bank text escaped."""
    q = question
    explanation = esc(q.explanation.get(lang))
    source = esc(source_line(q, bank, lang))
    ident = esc(q.id)
    prompt = q.prompt.get(lang)
    if q.kind is Kind.CARD:
        return (esc(prompt), esc(q.answer_text(lang)), explanation, source, ident)
    if q.kind is Kind.TYPED:
        accepted = " | ".join(q.accept.get(lang))
        if q.tolerance:
            tolerance = f"± {q.tolerance}"
            accepted = f"{accepted} ({tolerance})" if accepted else tolerance
        return (esc(prompt), esc(q.answer.get(lang)), esc(accepted), explanation, source, ident)
    if q.kind is Kind.CHOICE:
        right = q.answer.get(lang)
        options = [c.get(lang) for c in q.choices]
        plain = "".join(f"<li>{esc(o)}</li>" for o in options)
        marked = "".join(
            f'<li class="qz-right">✓ {esc(o)}</li>' if o == right else f"<li>{esc(o)}</li>" for o in options
        )
        return (esc(prompt), f'<ol class="qz-choices">{plain}</ol>', f'<ol class="qz-choices">{marked}</ol>',
                esc(right), explanation, source, ident)
    if q.kind is Kind.TRUEFALSE:
        return (esc(prompt), esc(q.answer_text(lang)), explanation, source, ident)
    if q.kind is Kind.ORDER:
        if not prompt:
            prompt = ("رتّب هذه الأحداث ترتيبًا زمنيًا، من الأقدم إلى الأحدث." if lang == "ar"
                      else "Put these events in chronological order, oldest first.")
        shuffled = "".join(f"<li>{esc(q.items[i].text.get(lang))}</li>" for i in shuffled_order(q))
        ordered = "".join(
            f"<li>{esc(item.text.get(lang))}" + (f" <span class=\"qz-year\">({item.year})</span>" if item.year
                                                 is not None else "") + "</li>"
            for item in q.items
        )
        return (esc(prompt), f'<ul class="qz-items">{shuffled}</ul>', f'<ol class="qz-order">{ordered}</ol>',
                explanation, source, ident)
    if q.kind is Kind.CLOZE:
        return (cloze_text(prompt, q.answer.get(lang)), explanation, source, ident)
    raise ValueError(f"no note type for kind {q.kind}")  # pragma: no cover - every Kind is handled above


def shuffled_order(question: Question) -> list[int]:
    """The items' indexes in a fixed, per-question shuffled order that is never already the right order."""
    indexes = list(range(len(question.items)))
    seed = int.from_bytes(hashlib.blake2b(question.id.encode("utf-8"), digest_size=8).digest(), "big")
    rng = random.Random(seed)
    shuffled = indexes[:]
    for _ in range(8):
        rng.shuffle(shuffled)
        if shuffled != indexes:
            return shuffled
    return indexes[1:] + indexes[:1]


def cloze_text(prompt: str, answer: str) -> str:
    """Our `{{blank}}` as Anki's `{{c1::blank}}` (every blank is c1: one card per note), the rest escaped."""
    parts: list[str] = []
    pos = 0
    for match in BLANK_RE.finditer(prompt):
        parts.append(esc(prompt[pos:match.start()]))
        parts.append("{{c1::" + _cloze_inner(match.group(1)) + "}}")
        pos = match.end()
    if not parts:  # no blank in this language: append the answer as one (validation normally prevents this)
        return esc(prompt) + " {{c1::" + _cloze_inner(answer) + "}}"
    parts.append(esc(prompt[pos:]))
    return "".join(parts)


def _cloze_inner(text: str) -> str:
    return esc(text).replace(":", "&#58;")  # `::` inside a cloze would start a hint


def note_tags(question: Question) -> tuple[str, ...]:
    """era::ID, kind::KIND, source::DOC and the question's own tags (Anki tags cannot hold spaces)."""
    tags = [f"era::{question.era}", f"kind::{question.kind.value}"]
    if question.source is not None:
        tags.append(f"source::{question.source.doc}")
    tags.extend(question.tags)
    return tuple(dict.fromkeys(re.sub(r"\s+", "_", tag.strip()) for tag in tags if tag.strip()))


# --- note types ---------------------------------------------------------------------------------------------------


def _wrap(lang: Lang, body: str) -> str:
    direction = "rtl" if lang == "ar" else "ltr"
    return f'<div class="qz qz-{lang}" dir="{direction}" lang="{lang}">{body}</div>'


def _templates(kind: Kind, lang: Lang) -> tuple[str, str]:
    """(front, back) of the note type's one template."""
    label = html.escape(kind_label(kind, lang))
    words = _LABELS[lang]
    head = f'<div class="qz-kind">{label}</div>'
    tail = ('{{#Explanation}}<div class="qz-explanation">{{Explanation}}</div>{{/Explanation}}'
            '<div class="qz-source">{{Source}}</div><div class="qz-id">{{Id}}</div>')
    answer = f'<div class="qz-answer"><span class="qz-label">{words["answer"]}:</span> {{{{Answer}}}}</div>'
    if kind is Kind.CARD:
        front = head + '<div class="qz-prompt">{{Prompt}}</div>'
        return _wrap(lang, front), _wrap(lang, front + '<hr id="answer">' + answer + tail)
    if kind is Kind.TYPED:
        front = head + '<div class="qz-prompt">{{Prompt}}</div>'
        accepted = (f'{{{{#Accepted}}}}<div class="qz-accepted">{words["accepted"]}: {{{{Accepted}}}}</div>'
                    "{{/Accepted}}")
        return (_wrap(lang, front + "{{type:Answer}}"),
                _wrap(lang, front + '<hr id="answer">{{type:Answer}}' + accepted + tail))
    if kind is Kind.CHOICE:
        front = head + '<div class="qz-prompt">{{Prompt}}</div>'
        return (_wrap(lang, front + "{{Choices}}"),
                _wrap(lang, front + "{{Marked}}" + '<hr id="answer">' + answer + tail))
    if kind is Kind.TRUEFALSE:
        front = head + f'<div class="qz-prompt">{{{{Statement}}}}</div><div class="qz-ask">{words["truefalse"]}</div>'
        return _wrap(lang, front), _wrap(lang, front + '<hr id="answer">' + answer + tail)
    if kind is Kind.ORDER:
        front = head + '<div class="qz-prompt">{{Prompt}}</div>'
        return (_wrap(lang, front + "{{Items}}"),
                _wrap(lang, front + '<hr id="answer"><div class="qz-answer">{{Answer}}</div>' + tail))
    if kind is Kind.CLOZE:
        front = head + '<div class="qz-prompt">{{cloze:Text}}</div>'
        return _wrap(lang, front), _wrap(lang, front + '<hr id="answer">' + tail)
    raise ValueError(f"no templates for kind {kind}")  # pragma: no cover


def _css(lang: Lang) -> str:
    fonts = ARABIC_FONTS if lang == "ar" else LATIN_FONTS
    direction, align = ("rtl", "right") if lang == "ar" else ("ltr", "left")
    size = "24px" if lang == "ar" else "20px"
    return f""".card {{ font-family: {fonts}; font-size: {size}; line-height: 1.6; direction: {direction};
  text-align: {align}; color: #1f2328; background-color: #ffffff; }}
.nightMode.card, .night_mode .card {{ color: #e6edf3; background-color: #1e1e1e; }}
.qz {{ max-width: 40em; margin: 0 auto; font-family: {fonts}; direction: {direction}; text-align: {align}; }}
.qz-kind {{ font-size: 0.65em; opacity: 0.6; margin-bottom: 0.5em; }}
.qz-prompt {{ font-weight: bold; }}
.qz-ask {{ margin-top: 0.5em; opacity: 0.8; }}
.qz-choices li, .qz-items li, .qz-order li {{ margin: 0.25em 0; }}
.qz-right {{ font-weight: bold; color: #1a7f37; }}
.nightMode .qz-right, .night_mode .qz-right {{ color: #3fb950; }}
.qz-answer {{ margin-top: 0.5em; }}
.qz-label {{ opacity: 0.7; }}
.qz-year {{ opacity: 0.7; }}
.qz-accepted {{ font-size: 0.8em; opacity: 0.8; margin-top: 0.5em; }}
.qz-explanation {{ margin-top: 0.75em; font-style: {"normal" if lang == "ar" else "italic"}; }}
.qz-source {{ margin-top: 0.75em; font-size: 0.7em; opacity: 0.7; }}
.qz-id {{ font-size: 0.6em; opacity: 0.4; direction: ltr; text-align: {align}; }}
.cloze {{ font-weight: bold; color: #0969da; }}
#typeans {{ font-family: {fonts}; direction: {direction}; text-align: {align}; }}
"""


def _genanki_model(note_type: NoteType) -> Any:
    import genanki

    front, back = _templates(note_type.kind, note_type.lang)
    rtl = note_type.lang == "ar"
    font = "Noto Naskh Arabic" if rtl else "Arial"
    fields = [{"name": name, "rtl": rtl, "font": font, "size": 20} for name in FIELDS[note_type.kind]]
    return genanki.Model(
        note_type.id,
        note_type.name,
        fields=fields,
        templates=[{"name": note_type.template, "qfmt": front, "afmt": back}],
        css=_css(note_type.lang),
        model_type=genanki.Model.CLOZE if note_type.kind is Kind.CLOZE else genanki.Model.FRONT_BACK,
    )


# --- writing ------------------------------------------------------------------------------------------------------


def package_time(now: datetime, previous: datetime | None) -> datetime:
    """The export's time: `now`, or just after the previous export when the clock did not move on."""
    if previous is not None and now <= previous:
        return previous + timedelta(milliseconds=1)
    return now


def note_mod(changed_at: datetime | None, stamp: datetime) -> int:
    """A note's modification time (epoch seconds): when its content last changed, or the rendering did."""
    changed = int((changed_at or stamp).timestamp())
    return max(changed, NOTE_FORMAT_TIME)


def write_package(
    notes: Sequence[NoteSpec],
    path: Path,
    mods: Mapping[str, int],
    stamp: datetime,
    progress: Progress | None = None,
) -> None:
    """Write the notes as an .apkg at `path`: a genanki collection, then our times, then a deflated zip."""
    import genanki

    stamp_ms = int(stamp.timestamp() * 1000)
    tick = _ticker(len(notes), progress)

    class QuizNote(genanki.Note):
        def write_to_db(self, *args: Any, **kwargs: Any) -> None:
            super().write_to_db(*args, **kwargs)
            tick()

    models: dict[int, Any] = {}
    decks: dict[str, Any] = {}
    for lang in dict.fromkeys(n.lang for n in notes):
        top = TOP_DECKS[lang]
        decks[top] = genanki.Deck(deck_id(top), top, description=html.escape(DECK_DESCRIPTION[lang]))
    for spec in notes:
        model = models.get(spec.note_type)
        if model is None:
            model = models[spec.note_type] = _genanki_model(NOTE_TYPES[(spec.kind, spec.lang)])
        deck = decks.get(spec.deck)
        if deck is None:
            deck = decks[spec.deck] = genanki.Deck(deck_id(spec.deck), spec.deck)
        deck.add_note(QuizNote(model=model, fields=list(spec.fields), tags=list(spec.tags), guid=spec.guid,
                               due=spec.position))
    with tempfile.TemporaryDirectory(prefix="quiz-apkg-") as folder:
        db_path = Path(folder) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            cursor = conn.cursor()
            genanki.Package(list(decks.values())).write_to_db(cursor, stamp_ms / 1000, itertools.count(stamp_ms))
            _set_times(cursor, mods, stamp_ms)
            conn.commit()
        finally:
            conn.close()
        when = _zip_time(stamp)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
            package.comment = PACKAGE_COMMENT
            info = zipfile.ZipInfo("collection.anki2", date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(db_path, "rb") as source, package.open(info, "w") as target:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
            media = zipfile.ZipInfo("media", date_time=when)
            media.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(media, "{}")


def _zip_time(stamp: datetime) -> tuple[int, int, int, int, int, int]:
    """The stamp as a ZIP time, which can say only 1980-01-01 to 2107-12-31: a clock outside is clamped."""
    when = stamp.astimezone(timezone.utc).timetuple()[:6]
    return max((1980, 1, 1, 0, 0, 0), min((2107, 12, 31, 23, 59, 58), when))


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


def _set_times(cursor: sqlite3.Cursor, mods: Mapping[str, int], stamp_ms: int) -> None:
    """Note and card mod = content time; collection mod = export time; note types keep `NOTE_TYPES_MOD`."""
    # Through a keyed temporary table: Anki's notes table has no index on guid, so one UPDATE per note would scan
    # every note (10,000 notes: ~40 s instead of ~0.1 s).
    cursor.execute("CREATE TEMP TABLE note_mods (guid TEXT PRIMARY KEY, mod INTEGER NOT NULL) WITHOUT ROWID")
    cursor.executemany("INSERT OR REPLACE INTO temp.note_mods (guid, mod) VALUES (?, ?)", mods.items())
    cursor.execute("UPDATE notes SET mod = (SELECT m.mod FROM temp.note_mods m WHERE m.guid = notes.guid) "
                   "WHERE guid IN (SELECT guid FROM temp.note_mods)")
    cursor.execute("DROP TABLE temp.note_mods")
    cursor.execute("UPDATE cards SET mod = (SELECT notes.mod FROM notes WHERE notes.id = cards.nid)")
    (models_json,) = cursor.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for model in models.values():
        model["mod"] = NOTE_TYPES_MOD
    cursor.execute("UPDATE col SET mod = ?, models = ?", (stamp_ms, json.dumps(models, ensure_ascii=False)))


# --- the export ---------------------------------------------------------------------------------------------------


def compare(notes: Sequence[NoteSpec], previous: Mapping[str, str] | None) -> tuple[int, int, int, int]:
    """(new, changed, unchanged, removed) notes against the previous export's guid → content hash."""
    before = previous or {}
    new = changed = unchanged = 0
    for spec in notes:
        old = before.get(spec.guid)
        if old is None:
            new += 1
        elif old != spec.content_hash:
            changed += 1
        else:
            unchanged += 1
    removed = len(set(before) - {spec.guid for spec in notes})
    return new, changed, unchanged, removed


def dry_run(notes: Sequence[NoteSpec], out: Path, previous: Mapping[str, str] | None) -> ExportResult:
    """What an export would write, against the previous export; writes nothing."""
    new, changed, unchanged, removed = compare(notes, previous)
    return ExportResult(Path(out), len(notes), len(notes), new, changed, unchanged, removed, dry_run=True)


def export_anki(
    notes: Sequence[NoteSpec],
    out: Path,
    store: Store,
    now: datetime,
    *,
    profile: str | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> ExportResult:
    """Write the package atomically and record the export (an existing file quiz did not write is replaced only
    with `force`). The bank must already be synced into the store."""
    previous = store.last_export(EXPORT_KIND)
    stamp = package_time(now, store.last_export_at(EXPORT_KIND))
    meta = store.question_meta(dict.fromkeys(n.question_id for n in notes))
    mods = {
        spec.guid: note_mod(meta[spec.question_id].changed_at if spec.question_id in meta else None, stamp)
        for spec in notes
    }
    recorded = store.last_export(EXPORT_KIND, str(check_target(out, force=True))) is not None
    written = atomic_write(out, lambda tmp: write_package(notes, tmp, mods, stamp, progress), force=force,
                           ours=lambda existing: written_by_quiz(existing, recorded))
    store.record_export(profile, EXPORT_KIND, str(written), stamp, {n.guid: n.content_hash for n in notes})
    new, changed, unchanged, removed = compare(notes, previous)
    return ExportResult(written, len(notes), len(notes), new, changed, unchanged, removed)
