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

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.errors import ExportError
from quiz.model import LANGS, Bank, BankInfo, Lang, Question

if TYPE_CHECKING:
    from quiz.export.revision_pass import Refresh

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

RECORD_NAME = "revisions.json"
FORMAT = 1
_ABOUT = ("When each question's text last changed, per language (hash of what a learner sees -> since when). "
          "Anki exports take note modification times from here. Kept up to date by `quiz validate --fix` and "
          "`quiz export anki`; commit it with the bank.")

Entry = tuple[str, str]
"""(content hash, ISO time the content first appeared)."""


def lang_hash(question: Question, lang: Lang) -> str:
    """A hash of what a learner sees of `question` in `lang` (with the other language where one is missing):
    kind, era, prompt, answer, explanation, source, alternatives, choices, items, truth, tolerance and tags."""
    return lang_hashes(question, (lang,))[0]


def lang_hashes(question: Question, langs: Sequence[Lang] = LANGS) -> tuple[str, ...]:
    """`lang_hash` of `question` in each of `langs` (all by default), in order: what the languages share (kind,
    era, source, truth, tolerance, tags) put together once."""
    q = question
    source = q.source
    sep, end = "\x1f", "\x1e"
    head = f"{q.kind.value}{end}{q.era}"
    cited = "" if source is None else f"{source.doc}{sep}{source.era}{sep}{source.para}"
    tail = f"{q.truth}{end}{q.tolerance}{end}{sep.join(q.tags)}"
    choices, items = q.choices, q.items
    out = []
    for lang in langs:
        parts = [
            head, q.prompt.get(lang), q.answer.get(lang), q.explanation.get(lang), cited,
            sep.join(q.accept.get(lang)),
            sep.join([c.get(lang) for c in choices]) if choices else "",
            sep.join([f"{i.text.get(lang)}{sep}{i.year}" for i in items]) if items else "",
            tail,
        ]
        out.append(blake2b(end.join(parts).encode("utf-8"), digest_size=10).hexdigest())
    return tuple(out)


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
    try:
        return Record(dict(record_pairs(folder)))
    except NotLaidOut:
        return Record(dict(record_pairs(folder, whole=True)))


def record_pairs(folder: Path, *, whole: bool = False) -> Iterator[tuple[str, dict[Lang, Entry]]]:
    """The entries of the record in `folder` (none when there is none), one at a time: line by line in id order
    when the text is laid out as `record_text` lays it out (never held whole: 14 MB of text at 100k, twice while
    decoded), else `NotLaidOut` (from the first line that is not or is out of order: read it again `whole`,
    parsed at once, in id order). An ExportError when it cannot be read."""
    path = folder / RECORD_NAME
    moments: dict[str, str] = {}  # a record's entries share a few moments: each string held and checked once
    try:
        with path.open(encoding="utf-8") as file:
            if whole:
                entries = {str(qid): _entry(langs, moments) for qid, langs in json.load(file)["questions"].items()}
                yield from sorted(entries.items())
                return
            last = None
            for qid, langs in _questions(file):
                key = str(qid)
                if last is not None and key <= last:
                    raise NotLaidOut
                last = key
                yield key, _entry(langs, moments)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ExportError(f"cannot read the revision record ({exc.strerror or exc})", where=str(path)) from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        raise ExportError("the revision record is not valid", where=str(path),
                          hint="delete it and run `quiz validate --fix` (notes then count as changed now)") from None


def _entry(langs: Any, moments: dict[str, str]) -> dict[Lang, Entry]:
    own: dict[Lang, Entry] = {}
    for lang, v in langs.items():
        if lang in LANGS:
            since = str(v[1])
            held = moments.get(since)
            if held is None:
                parse_time(since)
                held = moments[since] = since
            own[lang] = (str(v[0]), held)
    return own


class NotLaidOut(Exception):
    """A revision record whose text is not as `record_text` lays it out (`record_pairs`)."""


def _questions(lines: Iterable[str]) -> Iterator[tuple[str, Any]]:
    """The record's (question id, languages) pairs: line by line when the text is laid out as `record_text` lays
    it out (a 100k bank's record is never parsed whole: ~60 MB of lists and dicts), else `NotLaidOut` (from
    the first line that is not)."""
    head = record_text(Record({})).split("\n")
    start, end = [line + "\n" for line in head[:-3]], [line + "\n" for line in head[-3:-1]]
    rest = iter(lines)
    if any(next(rest, None) != line for line in start):
        raise NotLaidOut
    for line in rest:
        if line == end[0]:
            if next(rest, None) != end[1] or next(rest, None) is not None:
                raise NotLaidOut
            return
        try:
            one = json.loads("{" + line.removesuffix("\n").removesuffix(",") + "}")
        except ValueError:
            raise NotLaidOut from None
        if len(one) != 1:
            raise NotLaidOut
        yield from one.items()
    raise NotLaidOut  # no end


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


def record_text(record: Record) -> str:
    """The file's text: one line per question, sorted, so that diffs stay small."""
    return "".join(_record_pieces(record))


def _record_pieces(record: Record) -> Iterator[str]:
    """`record_text` piece by piece (a line each), so that a 100k bank's record is written without its text."""
    yield f'{{\n  "about": {json.dumps(_ABOUT)},\n  "format": {FORMAT},\n  "questions": {{'
    between = "\n"
    for qid in sorted(record.entries):
        langs = record.entries[qid]
        value = {lang: list(langs[lang]) for lang in sorted(langs)}
        yield f"{between}    {json.dumps(qid, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
        between = ",\n"
    yield "\n  }\n}\n"


def write_record(folder: Path, record: Record) -> Path:
    from quiz.export import atomic_write

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as file:  # the text as it is, "\n" everywhere
            file.writelines(_record_pieces(record))

    return atomic_write(folder / RECORD_NAME, write, ours=_is_record)


def _is_record(path: Path) -> bool:
    """A revision record quiz wrote: JSON whose "format" and "questions" keys are ours (never another file). The
    questions' own objects are dropped as they are parsed (a 100k record is not made into 60 MB of dicts)."""

    def kept(pairs: list[tuple[str, Any]]) -> Any:
        return dict(pairs) if any(key == "format" for key, _ in pairs) else _DROPPED

    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=kept)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("questions"), dict)


_DROPPED: dict[str, Any] = {}
"""What `_is_record` keeps of a JSON object without a "format" key: an empty dict, one for all."""


# --- banks and their folders ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BankRecord:
    """One loaded bank's folder and the record it should be (the record as read is not kept: see
    `quiz.export.revision_pass`)."""

    bank_id: str
    folder: Path
    builtin: bool
    wanted: Record
    stale: int  # entries that differ


def bank_folders(bank: Bank, paths: Sequence[Path], builtin: bool) -> dict[str, tuple[Path, bool]]:
    """bank id → (folder, is built-in) for the banks loaded from `paths` (the built-in first when included)."""
    return folders_of(bank.infos, paths, builtin)


def folders_of(infos: Sequence[BankInfo], paths: Sequence[Path], builtin: bool) -> dict[str, tuple[Path, bool]]:
    """`bank_folders` of a bank of the banks `infos` (known before the bank is, `quiz.bank.format.Begun`)."""
    return {info.id: where for info, where in zip(infos, root_folders(paths, builtin), strict=False)}


def root_folders(paths: Sequence[Path], builtin: bool) -> list[tuple[Path, bool]]:
    """(folder, is built-in) of each bank `paths` load, in the loader's order (the built-in first when
    included): where their records are, known before the bank is loaded."""
    import quiz.bank
    from quiz.bank.files import bank_root

    builtin_folder = quiz.bank.builtin_dir()  # looked up when called, as the loader does
    roots = ([builtin_folder] if builtin else []) + [Path(p) for p in paths]
    folders: list[tuple[Path, bool]] = []
    for index, root in enumerate(roots):
        folder = Path(bank_root(root).folder)
        if all(folder != f for f, _ in folders):
            folders.append((folder, builtin and index == 0))
    return folders


def bank_records(bank: Bank, folders: Mapping[str, tuple[Path, bool]], now: datetime,
                 only_existing: bool = False) -> list[BankRecord]:
    """Every loaded bank's record (with `only_existing`, of the banks that have one) as it should be at `now`,
    and how many of its entries differ. A cached bank's questions are decoded for the pass and dropped
    (`quiz.bank.stream`)."""
    from quiz.bank import stream

    out = []
    for bank_id, (folder, builtin) in folders.items():
        if only_existing and not (folder / RECORD_NAME).exists():
            continue
        current = read_record(folder)
        wanted, stale = refreshed(current, (q for q in stream(bank.questions) if q.bank == bank_id), now)
        out.append(BankRecord(bank_id, folder, builtin, wanted, stale))
    return out


class NoteTimes(Mapping[tuple[str, Lang], datetime]):
    """(question id, language) → when that content first appeared, looked up in the up-to-date records (a later
    bank's entry wins, as the loader's later bank does): no table of 200,000 keys is made for an export."""

    def __init__(self, records: Sequence[Record]) -> None:
        self._entries = [rec.entries for rec in reversed(records)]
        # per record, its lookup of one (id, language): an up-to-date record's own (`Merged.since`: no entry made)
        self._lookups: list[Callable[[str, Lang], str | None]] = [
            getattr(entries, "since", None) or functools.partial(_since_in, entries) for entries in self._entries]
        self._parsed: dict[str, datetime] = {}  # a bank's entries share a few moments: one datetime for each

    def _since(self, key: tuple[str, Lang]) -> str | None:
        qid, lang = key
        for since in self._lookups:
            found = since(qid, lang)
            if found is not None:
                return found
        return None

    def get(self, key: tuple[str, Lang], default: Any = None) -> Any:
        """`self[key]`, else `default` (one lookup, not `Mapping.get`'s two calls and a caught KeyError)."""
        since = self._since(key)
        if since is None:
            return default
        moment = self._parsed.get(since)
        if moment is None:
            moment = self._parsed[since] = parse_time(since)
        return moment

    def __getitem__(self, key: tuple[str, Lang]) -> datetime:
        since = self._since(key)
        if since is None:
            raise KeyError(key)
        moment = self._parsed.get(since)
        if moment is None:
            moment = self._parsed[since] = parse_time(since)
        return moment

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and self._since(key) is not None

    def __iter__(self) -> Iterator[tuple[str, Lang]]:
        keys = {(qid, lang): None for entries in reversed(self._entries) for qid, langs in entries.items()
                for lang in langs}
        return iter(keys)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _since_in(entries: Mapping[str, Mapping[Lang, Entry]], qid: str, lang: Lang) -> str | None:
    """When the content of `qid` in `lang` first appeared, by `entries`; None when it has no entry."""
    langs = entries.get(qid)
    return langs[lang][1] if langs is not None and lang in langs else None


def note_times(records: Sequence[BankRecord]) -> NoteTimes:
    """(question id, language) → when that content first appeared, from the up-to-date records."""
    return NoteTimes([rec.wanted for rec in records])


def note_times_for(bank: Bank, paths: Sequence[Path], builtin: bool, now: datetime, *,
                   write: bool, refresh: Refresh | None = None) -> tuple[NoteTimes, list[str]]:
    """The note times of an export, and (with `write`) the teachers' records brought up to date (the built-in
    bank's record is never written here). Returns the times and what was done to the records, one line each (a
    record that cannot be written does not stop the export: its times hold for this export only). With
    `refresh` (`quiz.export.revision_pass.refresher` of the same banks, its stream read to the end), the
    records it made."""
    records = refresh.records() if refresh is not None else bank_records(bank, bank_folders(bank, paths, builtin),
                                                                         now)
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
    up to date; without, those of the banks that have one, counted in one pass over the questions, their records
    not built (`quiz.export.stale_records`, which `quiz validate` runs on the linter's pass instead)."""
    if not write:
        from quiz.bank import stream
        from quiz.export.stale_records import StaleRecords

        rider = StaleRecords.of(bank.infos, paths, builtin)
        part = rider.part()
        for question in stream(bank.questions):
            part.visit(question)
        return rider.merged([part.result()])
    out = []
    for rec in bank_records(bank, bank_folders(bank, paths, builtin), now):
        if rec.stale:
            out.append((rec.folder / RECORD_NAME, rec.stale))
            write_record(rec.folder, rec.wanted)
    return out
