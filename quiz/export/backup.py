"""The bank and one profile's progress as JSON, for backups and other tools.

Layout (`FORMAT`, version `VERSION`; times are ISO 8601 UTC with milliseconds, like `2026-11-22T09:00:00.000Z`):

    {"format": "timeline-quiz-backup", "version": 1, "app_version", "exported_at", "profile",
     "bank": {"documents": [...], "eras": [...], "events": [...], "questions": [...]},
     "progress": {"questions": [{id, content_hash, first_seen, changed_at, in_bank}],
                  "cards": [{id, phase, step, stability, difficulty, due, last_review, lapses, reps,
                             suspended, buried_until, leech}],
                  "reviews": [{id, question_id, reviewed_at, day, rating, answer, correct, duration_ms,
                               retrievability, interval_days, became_leech, before: {...}, after: {...}}]}}

Questions carry their content exactly as the bank holds it (bilingual texts as {"ar", "en"}) and their content
hash; cards are listed only once the learner has seen them (or suspended or buried them); reviews are the whole
review log of the profile, oldest first, including questions no longer in the bank. Drafts are left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz import __version__
from quiz.export import atomic_write
from quiz.model import Bank, CardState, Question, Text

if TYPE_CHECKING:
    from quiz.store import Store
    from quiz.store.values import ReviewRecord

FORMAT = "timeline-quiz-backup"
VERSION = 1


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _text(text: Text) -> dict[str, str]:
    return text.as_dict()


def question_data(question: Question) -> dict[str, Any]:
    q = question
    source = q.source
    return {
        "id": q.id,
        "kind": q.kind.value,
        "era": q.era,
        "generated": q.generated,
        "events": list(q.events),
        "prompt": _text(q.prompt),
        "answer": _text(q.answer),
        "accept": {"ar": list(q.accept.ar), "en": list(q.accept.en)},
        "choices": [_text(c) for c in q.choices],
        "items": [{"ar": i.text.ar, "en": i.text.en, "year": i.year} for i in q.items],
        "truth": q.truth,
        "tolerance": q.tolerance,
        "explanation": _text(q.explanation),
        "source": None if source is None else {"doc": source.doc, "era": source.era, "para": source.para},
        "tags": list(q.tags),
        "content_hash": q.content_hash(),
        "langs": list(q.langs),  # the languages it is asked in (Question.has)
    }


def bank_data(bank: Bank) -> dict[str, Any]:
    return {
        "documents": [
            {"id": d.id, "title": _text(d.title), "author": d.author, "published": d.published, "file": d.file,
             "kind": d.kind}
            for d in bank.documents
        ],
        "eras": [
            {"id": e.id, "start": e.start, "end": e.end, "title": _text(e.title)} for e in bank.eras if not e.draft
        ],
        "events": [
            {"id": e.id, "date": e.date.iso(), "era": e.era, "title": _text(e.title), "detail": _text(e.detail),
             "source": None if e.source is None else {"doc": e.source.doc, "era": e.source.era,
                                                      "para": e.source.para},
             "tags": list(e.tags)}
            for e in bank.events if not e.draft
        ],
        "questions": [question_data(q) for q in bank.questions if not q.draft],
    }


def _state(state: CardState) -> dict[str, Any]:
    return {
        "phase": state.phase.name.lower(),
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": iso(state.due),
        "last_review": iso(state.last_review),
        "lapses": state.lapses,
        "reps": state.reps,
    }


def progress_data(bank: Bank, store: Store | None, profile: str) -> dict[str, Any]:
    """The profile's cards and review log, read through the store's own read methods."""
    if store is None:
        return {"questions": [], "cards": [], "reviews": []}
    meta = store.question_meta()
    ids = list(dict.fromkeys([*meta, *(q.id for q in bank.questions if not q.draft)]))
    in_bank = {q.id for q in bank.questions if not q.draft}
    questions = [
        {"id": qid, "content_hash": m.content_hash, "first_seen": iso(m.first_seen), "changed_at": iso(m.changed_at),
         "in_bank": qid in in_bank}
        for qid, m in meta.items()
    ]
    states = store.cards(profile, [qid for qid in ids if qid in meta])
    cards: list[dict[str, Any]] = []
    for qid, state in states.items():
        flags = store.flags(profile, qid)
        seen = state != CardState(qid)
        if seen or flags.suspended or flags.buried_until is not None or flags.leech:
            cards.append({"id": qid, **_state(state), "suspended": flags.suspended,
                          "buried_until": iso(flags.buried_until), "leech": flags.leech})
    # The whole log, read on its own: a reset card is "new" again but its history stays (and must be exported).
    reviews = [_review(record) for record in store.all_reviews(profile)]
    return {"questions": questions, "cards": cards, "reviews": reviews}


def _review(record: ReviewRecord) -> dict[str, Any]:
    review = record.review
    return {
        "id": record.id,
        "question_id": review.question_id,
        "reviewed_at": iso(review.reviewed_at),
        "day": record.day,
        "rating": review.rating.name.lower(),
        "answer": review.answer,
        "correct": review.correct,
        "duration_ms": review.duration_ms,
        "retrievability": record.retrievability,
        "interval_days": record.interval_days,
        "became_leech": record.became_leech,
        "before": _state(review.before),
        "after": _state(review.after),
    }


def backup(bank: Bank, store: Store | None, profile: str, now: datetime) -> dict[str, Any]:
    """Everything the JSON export holds, as plain data."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "app_version": __version__,
        "exported_at": iso(now),
        "profile": profile,
        "bank": bank_data(bank),
        "progress": progress_data(bank, store, profile),
    }


def written_by_quiz(path: Path) -> bool:
    """Whether the file is a JSON export of quiz's (its first key names the format)."""
    with path.open("rb") as handle:
        start = handle.read(64)
    return start.startswith(b'{\n  "format": "' + FORMAT.encode() + b'"')


def write_json(data: Mapping[str, Any], out: Path, *, force: bool = False) -> Path:
    """Write the data as UTF-8 JSON (Arabic kept as is, indented) atomically; returns the absolute path written.
    An existing file quiz did not write is replaced only with `force`."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    blob = text.encode("utf-8")
    return atomic_write(out, lambda tmp: tmp.write_bytes(blob), force=force, ours=written_by_quiz)
