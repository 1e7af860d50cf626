"""The bank's revision record: when each question's text last changed, per language, committed with the bank.

Each bank folder carries `revisions.json`: for every question id and language, the hash of what a learner sees
in that language (`lang_hash`) and the moment that content first appeared. Anki exports take note modification
times from it, never from a machine's database, so the same bank exported on any computer gives the same times:
an unchanged bank never updates a note in Anki, and an English-only edit updates exactly the English note.

`quiz export anki` and `quiz validate --fix` bring a stale record up to date (a changed hash gets the current
time); `quiz validate` says when it is stale. The built-in bank's record ships with quiz and is never written by
an export (a test keeps it current). Stdlib only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from quiz.errors import ExportError
from quiz.model import LANGS, Bank, Lang, Question

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

RECORD_NAME = "revisions.json"
FORMAT = 1
_ABOUT = ("When each question's text last changed, per language (hash of what a learner sees -> since when). "
          "Anki exports take note modification times from here. Kept up to date by `quiz validate --fix` and "
          "`quiz export anki`; commit it with the bank.")

T = TypeVar("T")
Entry = tuple[str, str]
"""(content hash, ISO time the content first appeared)."""


def lang_hash(question: Question, lang: Lang) -> str:
    """A hash of what a learner sees of `question` in `lang` (with the other language where one is missing):
    kind, era, prompt, answer, explanation, source, alternatives, choices, items, truth, tolerance and tags."""
    q = question
    source = q.source
    sep, end = "\x1f", "\x1e"
    parts = [
        q.kind.value, q.era, q.prompt.get(lang), q.answer.get(lang), q.explanation.get(lang),
        "" if source is None else f"{source.doc}{sep}{source.era}{sep}{source.para}",
        sep.join(q.accept.get(lang)),
        sep.join(c.get(lang) for c in q.choices),
        sep.join(f"{i.text.get(lang)}{sep}{i.year}" for i in q.items),
        str(q.truth), str(q.tolerance), sep.join(q.tags),
    ]
    return blake2b(end.join(parts).encode("utf-8"), digest_size=10).hexdigest()


@dataclass(frozen=True, slots=True)
class Record:
    """One bank's record: question id → language → (hash, since)."""

    entries: Mapping[str, Mapping[Lang, Entry]]

    def since(self, qid: str, lang: Lang, content_hash: str) -> datetime | None:
        entry = self.entries.get(qid, {}).get(lang)
        if entry is None or entry[0] != content_hash:
            return None
        return parse_time(entry[1])


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def format_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def read_record(folder: Path) -> Record:
    """The record in `folder` (empty when there is none); an ExportError when it cannot be read."""
    entries = _read(folder, _entries)
    return Record(entries)


def _read(folder: Path, entries: Callable[[Iterable[tuple[str, Any]]], dict[str, T]]) -> dict[str, T]:
    """`entries` of the (question id, languages) pairs of the record in `folder` (none when there is none)."""
    path = folder / RECORD_NAME
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ExportError(f"cannot read the revision record ({exc.strerror or exc})", where=str(path)) from None
    try:
        try:
            return entries(_questions(raw))
        except _NotLaidOut:
            return entries(json.loads(raw)["questions"].items())
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        raise ExportError("the revision record is not valid", where=str(path),
                          hint="delete it and run `quiz validate --fix` (notes then count as changed now)") from None


def _entries(questions: Iterable[tuple[str, Any]]) -> dict[str, dict[Lang, Entry]]:
    moments: dict[str, str] = {}  # a record's entries share a few moments: each string held and checked once
    entries: dict[str, dict[Lang, Entry]] = {}
    for qid, langs in questions:
        own: dict[Lang, Entry] = {}
        for lang, v in langs.items():
            if lang in LANGS:
                since = str(v[1])
                held = moments.get(since)
                if held is None:
                    parse_time(since)
                    held = moments[since] = since
                own[lang] = (str(v[0]), held)
        entries[str(qid)] = own
    return entries


def _hashes(questions: Iterable[tuple[str, Any]]) -> dict[str, tuple[str | None, ...]]:
    """`_entries`, checked alike, of each question only its hash in each of `LANGS` (None: no entry): ~3 times
    smaller (a 100k bank's record as read and as it should be are ~80 MB)."""
    moments: set[str] = set()
    hashes: dict[str, tuple[str | None, ...]] = {}
    for qid, langs in questions:
        own: dict[str, str] = {}
        for lang, v in langs.items():
            if lang in LANGS:
                since = str(v[1])
                if since not in moments:
                    parse_time(since)
                    moments.add(since)
                own[lang] = str(v[0])
        hashes[str(qid)] = tuple(own.get(lang) for lang in LANGS)
    return hashes


class _NotLaidOut(Exception):
    pass


def _questions(raw: str) -> Iterator[tuple[str, Any]]:
    """The record's (question id, languages) pairs: line by line when the text is laid out as `record_text` lays
    it out (a 100k bank's record is never parsed whole: ~60 MB of lists and dicts), else `_NotLaidOut` (from
    the first line that is not)."""
    head = record_text(Record({})).split("\n")
    start, end = "\n".join(head[:-3]) + "\n", "\n".join(head[-3:])
    if not (raw.startswith(start) and raw.endswith(end)):
        raise _NotLaidOut
    at, stop = len(start), len(raw) - len(end)
    while at < stop:
        eol = raw.find("\n", at, stop)
        line = raw[at:stop if eol < 0 else eol]
        at = stop if eol < 0 else eol + 1
        try:
            one = json.loads("{" + line.removesuffix(",") + "}")
        except ValueError:
            raise _NotLaidOut from None
        if len(one) != 1:
            raise _NotLaidOut
        yield from one.items()


def refreshed(record: Record, questions: Iterable[Question], now: datetime) -> tuple[Record, int]:
    """The record for `questions` (entries of other ids dropped): unchanged hashes keep their time, new or
    changed ones get `now`. Returns it and how many (question, language) entries changed."""
    stamp = format_time(now)
    entries: dict[str, Mapping[Lang, Entry]] = {}
    changed = 0
    for q in questions:
        if q.draft:
            continue
        own: dict[Lang, Entry] = {}
        before = record.entries.get(q.id, {})
        for lang in LANGS:
            digest = lang_hash(q, lang)
            old = before.get(lang)
            if old is not None and old[0] == digest:
                own[lang] = old
            else:
                own[lang] = (digest, stamp)
                changed += 1
        entries[q.id] = before if own == before else own  # unchanged: the record's own entry, not a copy
    changed += sum(len(v) for k, v in record.entries.items() if k not in entries)
    return Record(entries), changed


def stale_entries(folder: Path, questions: Iterable[Question]) -> int:
    """How many entries of the record in `folder` `refreshed` changes for `questions` (its bank's), neither record
    built: the record's hashes by id (`_hashes`), each question compared as it comes."""
    record = _read(folder, _hashes)
    done: set[str] = set()
    changed = 0
    for q in questions:
        if q.draft:
            continue
        for lang, old in zip(LANGS, record.get(q.id, (None,) * len(LANGS)), strict=True):
            if old is None or old != lang_hash(q, lang):
                changed += 1
        done.add(q.id)
    return changed + sum(len(v) - v.count(None) for k, v in record.items() if k not in done)


def record_text(record: Record) -> str:
    """The file's text: one line per question, sorted, so that diffs stay small."""
    lines = [f'{{\n  "about": {json.dumps(_ABOUT)},\n  "format": {FORMAT},\n  "questions": {{']
    body = []
    for qid in sorted(record.entries):
        langs = record.entries[qid]
        value = {lang: list(langs[lang]) for lang in sorted(langs)}
        body.append(f"    {json.dumps(qid, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}")
    lines.append(",\n".join(body))
    lines.append("  }\n}\n")
    return "\n".join(line for line in lines if line)


def write_record(folder: Path, record: Record) -> Path:
    from quiz.export import atomic_write

    data = record_text(record).encode("utf-8")

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return atomic_write(folder / RECORD_NAME, write, ours=_is_record)


def _is_record(path: Path) -> bool:
    """A revision record quiz wrote: JSON whose "format" and "questions" keys are ours (never another file)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("questions"), dict)


# --- banks and their folders ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BankRecord:
    """One loaded bank's folder, its record as read, and the record it should be."""

    bank_id: str
    folder: Path
    builtin: bool
    current: Record
    wanted: Record
    stale: int  # entries that differ


def bank_folders(bank: Bank, paths: Sequence[Path], builtin: bool) -> dict[str, tuple[Path, bool]]:
    """bank id → (folder, is built-in) for the banks loaded from `paths` (the built-in first when included)."""
    import quiz.bank
    from quiz.bank.files import bank_root

    builtin_folder = quiz.bank.builtin_dir()  # looked up when called, as the loader does
    roots = ([builtin_folder] if builtin else []) + [Path(p) for p in paths]
    folders: list[tuple[Path, bool]] = []
    for index, root in enumerate(roots):
        folder = Path(bank_root(root).folder)
        if all(folder != f for f, _ in folders):
            folders.append((folder, builtin and index == 0))
    return {info.id: where for info, where in zip(bank.infos, folders, strict=False)}


def bank_records(bank: Bank, folders: Mapping[str, tuple[Path, bool]], now: datetime,
                 only_existing: bool = False) -> list[BankRecord]:
    """Every loaded bank's record (with `only_existing`, of the banks that have one), as read and as it should
    be at `now`. A cached bank's questions are decoded for the pass and dropped (`quiz.bank.stream`)."""
    from quiz.bank import stream

    out = []
    for bank_id, (folder, builtin) in folders.items():
        if only_existing and not (folder / RECORD_NAME).exists():
            continue
        current = read_record(folder)
        wanted, stale = refreshed(current, (q for q in stream(bank.questions) if q.bank == bank_id), now)
        out.append(BankRecord(bank_id, folder, builtin, current, wanted, stale))
    return out


def note_times(records: Sequence[BankRecord]) -> dict[tuple[str, Lang], datetime]:
    """(question id, language) → when that content first appeared, from the up-to-date records."""
    times: dict[tuple[str, Lang], datetime] = {}
    parsed: dict[str, datetime] = {}  # a bank's entries share a few moments: one datetime for each
    for rec in records:
        for qid, langs in rec.wanted.entries.items():
            for lang, (_, since) in langs.items():
                moment = parsed.get(since)
                if moment is None:
                    moment = parsed[since] = parse_time(since)
                times[(qid, lang)] = moment
    return times


def note_times_for(bank: Bank, paths: Sequence[Path], builtin: bool, now: datetime, *,
                   write: bool) -> tuple[dict[tuple[str, Lang], datetime], list[str]]:
    """The note times of an export, and (with `write`) the teachers' records brought up to date (the built-in
    bank's record is never written here). Returns the times and what was done to the records, one line each (a
    record that cannot be written does not stop the export: its times hold for this export only)."""
    records = bank_records(bank, bank_folders(bank, paths, builtin), now)
    said = []
    if write:
        for rec in records:
            if rec.stale and not rec.builtin:
                try:
                    path = write_record(rec.folder, rec.wanted)
                except ExportError as exc:
                    said.append(f"Warning: {exc}; the notes of bank '{rec.bank_id}' get this export's times "
                                "(another export may give them others)")
                else:
                    said.append(f"Updated the revision record {path}: commit it with the bank")
    return note_times(records), said


def fix_records(bank: Bank, paths: Sequence[Path], builtin: bool, now: datetime,
                *, write: bool) -> list[tuple[Path, int]]:
    """The stale records and how many entries differ: with `write`, every bank's (missing ones included), brought
    up to date; without, those of the banks that have one (`stale_entries`: their records are not built)."""
    from quiz.bank import stream

    out = []
    if not write:
        for bank_id, (folder, _) in bank_folders(bank, paths, builtin).items():
            if (folder / RECORD_NAME).exists():
                stale = stale_entries(folder, (q for q in stream(bank.questions) if q.bank == bank_id))
                if stale:
                    out.append((folder / RECORD_NAME, stale))
        return out
    for rec in bank_records(bank, bank_folders(bank, paths, builtin), now, only_existing=not write):
        if rec.stale:
            out.append((rec.folder / RECORD_NAME, rec.stale))
            if write:
                write_record(rec.folder, rec.wanted)
    return out
