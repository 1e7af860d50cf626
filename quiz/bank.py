"""Load, validate and generate the question bank.

`load_bank()` reads every `*.yaml` file of the built-in bank and of any teacher banks, checks every rule the
JSON Schema cannot, generates questions from events, and returns an immutable `Bank` plus every `Problem` found.
A parsed bank is cached by the content of its files, so a second run with nothing changed does not parse YAML.

The cache (one file per bank, in `quiz.locations.cache_dir()`) is built for a warm run to cost next to nothing,
whatever the size of the bank:

- Its key is a hash of the format, quiz's version, and each file's name and content digest. A file's digest is
  remembered with its `stat` (size, mtime, ctime, inode) in `files.pickle`, and reused while the `stat` is
  unchanged, as git's index does; an entry recorded within `RACY_NS` of the file's own mtime or ctime is never
  trusted (a write in the same clock tick leaves the times unchanged), and ctime cannot be set back. So an edit
  always changes the key, and a warm run reads no bank file.
- The header (problems, files, eras, documents, the sync fingerprint, ids and content hashes) is read whole; the
  events and questions are pickled in chunks after it and decoded only when used (`_CachedSequence`), from a
  memory map. A command that needs no question (`quiz due`) decodes none.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

try:  # blake2b without hashlib, which loads OpenSSL (~4 ms at start-up) for hashes quiz never uses
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

from quiz import __version__
from quiz.errors import BankError, CacheDamaged, HasProblems, Problem
from quiz.model import (
    Alternatives,
    Bank,
    Document,
    Era,
    Event,
    EventDate,
    Kind,
    Location,
    OrderItem,
    Question,
    Source,
    Text,
)
from quiz.yamlnodes import Map

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
BLANK_RE = re.compile(r"\{\{(.+?)\}\}")
DATE_RE = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
CACHE_FORMAT = 5

TOP_KEYS = ("sources", "eras", "events", "questions")
DOC_KEYS = ("id", "title", "author", "published", "file", "kind")
ERA_KEYS = ("id", "start", "end", "title", "draft")
EVENT_KEYS = ("id", "date", "era", "title", "detail", "source", "tags", "generate", "draft")
QUESTION_KEYS = (
    "id", "kind", "era", "prompt", "answer", "accept", "choices", "items", "tolerance",
    "explanation", "source", "tags", "draft",
)
SOURCE_KEYS = ("doc", "era", "para")
KIND_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.CHOICE: ("prompt", "answer", "choices"),
    Kind.TYPED: ("prompt", "answer"),
    Kind.TRUEFALSE: ("prompt", "answer"),
    Kind.ORDER: ("items",),
    Kind.CLOZE: ("prompt",),
    Kind.CARD: ("prompt", "answer"),
}
KIND_ONLY: dict[str, tuple[Kind, ...]] = {
    "choices": (Kind.CHOICE,),
    "items": (Kind.ORDER,),
    "tolerance": (Kind.TYPED, Kind.CLOZE),
    "accept": (Kind.TYPED, Kind.CLOZE),
}
LANG_NAMES = {"ar": "Arabic", "en": "English"}


@dataclass(frozen=True, slots=True)
class LoadResult(HasProblems):
    bank: Bank
    problems: tuple[Problem, ...]
    files: tuple[str, ...]


def builtin_dir() -> Path:
    """The built-in bank: inside the installed package, or `questions/` beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "questions"
    return packaged if packaged.is_dir() else here.parent / "questions"


def bank_files(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """Every `*.yaml`/`*.yml` file under the given files and folders, sorted, with the name to show for it."""
    found: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()):
                found.append((file, _shown(file)))
        elif path.exists():  # a missing path is reported once, by `load_bank`
            found.append((path, _shown(path)))
    return found


def _shown(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    if rel.startswith(".." + os.sep + ".." + os.sep):
        return str(path)
    return rel


def load_bank(
    paths: Sequence[Path] = (),
    *,
    builtin: bool = True,
    cache_dir: Path | None = None,
) -> LoadResult:
    """Load the built-in bank (unless `builtin` is false) and the given teacher banks; never raises for content."""
    roots = ([builtin_dir()] if builtin else []) + [Path(p) for p in paths]
    files = bank_files(roots)
    missing = [Problem(str(root), 0, "no such file or folder; check the path") for root in roots if not root.exists()]
    from quiz.yamlnodes import MAX_FILE_BYTES, too_large

    memo = _FileMemo.open(cache_dir) if cache_dir is not None else None
    found: list[tuple[Path, str, bytes | None, bytes]] = []  # path, name shown, content (when read), digest
    for path, shown in files:
        try:
            stat = path.stat()
            if stat.st_size > MAX_FILE_BYTES:
                missing.append(too_large(shown, stat.st_size))
                continue
            digest = memo.digest(path, stat) if memo is not None else None
            raw = None
            if digest is None:
                raw = path.read_bytes()
                digest = _digest(raw)
                if memo is not None:
                    memo.remember(path, stat, digest)
            found.append((path, shown, raw, digest))
        except OSError as exc:
            missing.append(Problem(shown, 0, f"cannot read the file ({exc.strerror or exc})"))
    if cache_dir is not None and not missing:
        cached = _cache_read(cache_dir, _cache_key((shown, digest) for _, shown, _, digest in found))
        if cached is not None:
            if memo is not None:
                memo.save()
            return cached
    blobs: list[tuple[str, bytes]] = []
    for path, shown, raw, _ in found:
        if raw is None:  # its digest came from the memo; the cache missed all the same (another bank, pruned)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                missing.append(Problem(shown, 0, f"cannot read the file ({exc.strerror or exc})"))
                continue
        blobs.append((shown, raw))
    paused = _pause_gc()
    size = 0
    try:
        result = build_bank(blobs)
        size = len(result.bank.questions)
        if missing:
            result = LoadResult(result.bank, (*missing, *result.problems), result.files)
        elif cache_dir is not None:
            # Keyed by what was just parsed, never by remembered digests.
            _cache_write(cache_dir, _cache_key((shown, _digest(raw)) for shown, raw in blobs), result)
            if memo is not None:
                memo.save()
    finally:
        _resume_gc(paused, size)
    return result


FREEZE_AT = 20_000
"""A bank this large (in questions) is frozen out of the cyclic collector once built or decoded."""


def _pause_gc() -> bool:
    """Turn the cyclic collector off while a bank is built, cached or decoded: millions of small objects and
    no cycles, which the collector would only rescan again and again (it doubles the time of a large bank)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    return enabled


def _resume_gc(enabled: bool, size: int) -> None:
    """Turn it back on; after a large bank, first move everything alive into the permanent generation
    (`gc.freeze`), or the collector would still traverse the whole bank a few times later on (~0.5 s each)."""
    import gc

    if size >= FREEZE_AT:
        gc.freeze()
    if enabled:
        gc.enable()


def load_valid_bank(paths: Sequence[Path] = (), *, builtin: bool = True, cache_dir: Path | None = None) -> Bank:
    """Like `load_bank`, but raise `BankError` when there is any error."""
    result = load_bank(paths, builtin=builtin, cache_dir=cache_dir)
    if result.errors:
        raise BankError(list(result.errors))
    return result.bank


def build_bank(blobs: Sequence[tuple[str, bytes]]) -> LoadResult:
    """Parse and validate file contents (name shown, bytes), then generate questions from events."""
    from quiz.yamlnodes import parse_bytes

    paused = _pause_gc()
    try:
        checker = _Checker()
        for parsed in _parsed(blobs, parse_bytes):
            checker.problems.extend(parsed.problems)
            if parsed.data is not None:
                checker.read_file(parsed.path, parsed.data)
            del parsed
        bank = checker.finish()
    finally:
        _resume_gc(paused, 0)
    return LoadResult(bank, tuple(checker.problems), tuple(shown for shown, _ in blobs))


def _parsed(blobs: Sequence[tuple[str, bytes]], parse: Any) -> Iterator[Any]:
    """Each file parsed, in order, one at a time (a parsed file is dropped once validated)."""
    for shown, raw in blobs:
        yield parse(raw, shown)


# --- the cache -------------------------------------------------------------------------------------------------

_MAGIC = b"quiz bank cache\n"
_CHUNK = 64  # questions per pickled chunk: one lookup by id decodes 64 (~1 ms)
RACY_NS = 3_000_000_000
"""A remembered digest is trusted only for a file whose mtime and ctime were older than this when it was recorded."""
MEMO_ENTRIES = 10_000


def _digest(raw: bytes) -> bytes:
    return blake2b(raw, digest_size=16).digest()


def _cache_key(named_digests: Iterable[tuple[str, bytes]]) -> str:
    digest = blake2b(digest_size=16)
    digest.update(f"{CACHE_FORMAT}|{__version__}|{sys.version_info[:2]}".encode())
    for shown, file_digest in named_digests:
        digest.update(shown.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(file_digest)
    return digest.hexdigest()


class _FileMemo:
    """Content digests of bank files by their `stat`, so a warm run need not read them (see the module doc)."""

    def __init__(self, path: Path, entries: dict[str, tuple[int, ...]]) -> None:
        self.path = path
        self.entries = entries  # path -> (size, mtime_ns, ctime_ns, inode, device, recorded_ns), digest at the end
        self.changed = False

    @classmethod
    def open(cls, cache_dir: Path) -> _FileMemo:
        import marshal

        path = cache_dir / "files.marshal"
        try:
            with open(path, "rb") as handle:
                entries = marshal.load(handle)
            if not isinstance(entries, dict):
                entries = {}
        except Exception:  # missing, unreadable or damaged: start afresh
            entries = {}
        return cls(path, entries)

    @staticmethod
    def _stat_key(stat: os.stat_result) -> tuple[int, int, int, int, int]:
        return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)

    def digest(self, path: Path, stat: os.stat_result) -> bytes | None:
        entry = self.entries.get(str(path.absolute()))
        if entry is None or len(entry) != 7:
            return None
        size, mtime, ctime, inode, device, recorded, digest = entry
        if (size, mtime, ctime, inode, device) != self._stat_key(stat):
            return None
        if recorded - max(mtime, ctime) < RACY_NS:  # recorded too soon after a write to tell another one
            return None
        return digest if isinstance(digest, bytes) else None

    def remember(self, path: Path, stat: os.stat_result, digest: bytes) -> None:
        import time

        self.entries[str(path.absolute())] = (*self._stat_key(stat), time.time_ns(), digest)
        self.changed = True

    def save(self) -> None:
        """Best effort, atomic; keeps the most recently recorded entries."""
        import marshal

        if not self.changed:
            return
        entries = self.entries
        if len(entries) > MEMO_ENTRIES:
            entries = dict(sorted(entries.items(), key=lambda item: item[1][5])[-MEMO_ENTRIES:])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".tmp{os.getpid()}")
            with open(tmp, "wb") as handle:
                marshal.dump(entries, handle)
            os.replace(tmp, self.path)
        except OSError:
            pass
        self.changed = False


class _Ids(Sequence[str]):
    """The cached question ids, one string split on first use (100,000 ids: ~10 ms a warm `quiz due` skips)."""

    __slots__ = ("_text", "_count", "_list")

    def __init__(self, text: str, count: int) -> None:
        self._text = text
        self._count = count
        self._list: list[str] | None = None

    def _ids(self) -> list[str]:
        if self._list is None:
            self._list = self._text.split("\n") if self._count else []
        return self._list

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self._ids()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids())


class _Hashes(Sequence[str]):
    """The cached content hashes: one string of 24-character hashes, sliced on demand."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __len__(self) -> int:
        return len(self._text) // 24

    def __getitem__(self, index: Any) -> Any:
        return self._text[24 * index:24 * index + 24]


class _CachedSequence(Sequence[Any]):
    """Events or questions of a cached bank, decoded chunk by chunk on first use; equal to the tuple it stands for."""

    __slots__ = ("_source", "_offsets", "_count", "_chunks")

    def __init__(self, source: _CacheBody, offsets: tuple[int, ...], count: int) -> None:
        self._source = source
        self._offsets = offsets  # chunk i spans body[offsets[i]:offsets[i + 1]]
        self._count = count
        self._chunks: list[tuple[Any, ...] | None] = [None] * (len(offsets) - 1)

    def _chunk(self, index: int) -> tuple[Any, ...]:
        chunk = self._chunks[index]
        if chunk is None:
            chunk = self._chunks[index] = self._source.decode(self._offsets[index], self._offsets[index + 1])
        return chunk

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self)[index]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("bank sequence index out of range")
        return self._chunk(index // _CHUNK)[index % _CHUNK]

    def __iter__(self) -> Iterator[Any]:
        if all(chunk is not None for chunk in self._chunks):
            for chunk in self._chunks:
                yield from chunk  # type: ignore[misc]
            return
        paused = _pause_gc()
        try:
            for index in range(len(self._chunks)):
                yield from self._chunk(index)
        finally:
            _resume_gc(paused, self._count)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, _CachedSequence)):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (tuple(self),))


class _CacheBody:
    """The chunks after a cache file's header: mapped from the open file on first use, each checked (CRC)."""

    def __init__(self, path: Path, handle: Any, start: int, crcs: Mapping[int, int]) -> None:
        self.path = path
        self.handle = handle  # kept open: the file may be replaced or pruned meanwhile, the data stays readable
        self.start = start
        self.crcs = crcs
        self.view: Any = None

    def decode(self, begin: int, end: int) -> tuple[Any, ...]:
        import pickle
        import zlib

        if self.view is None:
            import mmap

            self.view = mmap.mmap(self.handle.fileno(), 0, access=mmap.ACCESS_READ)
        data = self.view[self.start + begin:self.start + end]
        paused = _pause_gc()
        try:
            if zlib.crc32(data) != self.crcs.get(begin):
                raise ValueError("checksum")
            return tuple(pickle.loads(data))
        except Exception:
            try:
                self.path.unlink()
            except OSError:
                pass
            raise CacheDamaged(self.path) from None
        finally:
            _resume_gc(paused, 0)


class _LazyIndex(Mapping[str, Any]):
    """Question id -> question (or content hash), over the cached ids, built on first use."""

    __slots__ = ("_ids", "_values", "_index")

    def __init__(self, ids: Sequence[str], values: Any) -> None:
        self._ids = ids
        self._values = values  # a sequence aligned with ids
        self._index: dict[str, int] | None = None

    def _positions(self) -> dict[str, int]:
        if self._index is None:
            self._index = {qid: i for i, qid in enumerate(self._ids)}
        return self._index

    def __getitem__(self, qid: str) -> Any:
        return self._values[self._positions()[qid]]

    def __contains__(self, qid: object) -> bool:
        return qid in self._positions()

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def _pack(items: Sequence[Any], out: Any, crcs: dict[int, int], base: int) -> tuple[int, ...]:
    import pickle
    import zlib

    offsets = [base]
    for start in range(0, len(items), _CHUNK):
        data = pickle.dumps(tuple(items[start:start + _CHUNK]), protocol=pickle.HIGHEST_PROTOCOL)
        crcs[offsets[-1]] = zlib.crc32(data)
        out.append(data)
        offsets.append(offsets[-1] + len(data))
    return tuple(offsets)


def _plain(value: Any) -> Any:
    """Eras, documents and problems as nested tuples for `marshal` (which needs no import, unlike pickle)."""
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    cls = type(value)
    if _PLAIN_TYPES().get(cls.__name__) is cls:
        return ("\0" + cls.__name__, *(_plain(getattr(value, name)) for name in cls.__dataclass_fields__))
    return value


def _unplain(value: Any) -> Any:
    if type(value) is tuple:
        if value and type(value[0]) is str and value[0][:1] == "\0":
            return _PLAIN_TYPES()[value[0][1:]](*(_unplain(item) for item in value[1:]))
        return tuple(_unplain(item) for item in value)
    return value


@functools.lru_cache(maxsize=1)
def _PLAIN_TYPES() -> dict[str, type]:  # noqa: N802
    return {cls.__name__: cls for cls in (Era, Document, Text, Location, Problem)}


def _cache_read(cache_dir: Path, key: str) -> LoadResult | None:
    import marshal

    path = cache_dir / f"bank-{key}.pickle"
    try:
        handle = open(path, "rb")
    except OSError:
        return None
    try:
        if handle.read(len(_MAGIC)) != _MAGIC:
            raise ValueError("not a bank cache")
        size = int.from_bytes(handle.read(8), "big")
        header = marshal.loads(handle.read(size))
        if header.get("format") != CACHE_FORMAT or header.get("key") != key:
            raise ValueError("another format")
        start = len(_MAGIC) + 8 + size
        if os.fstat(handle.fileno()).st_size != start + header["body"]:
            raise ValueError("truncated")
        body = _CacheBody(path, handle, start, header["crcs"])
        hashes = header["hashes"]
        ids = _Ids(header["ids"], len(hashes) // 24)
        questions = _CachedSequence(body, header["questions"], len(ids))
        bank = Bank(
            _unplain(header["eras"]), _CachedSequence(body, header["events"], header["event_count"]), questions,
            _unplain(header["documents"]), by_id=_LazyIndex(ids, questions),
            hashes=_LazyIndex(ids, _Hashes(hashes)),
            fingerprint=header["fingerprint"],
        )
        return LoadResult(bank, _unplain(header["problems"]), header["files"])
    except Exception:  # damaged, truncated, another format: rebuild
        handle.close()
        return None


def _cache_write(cache_dir: Path, key: str, result: LoadResult) -> None:
    """Best effort: a cache that cannot be written only costs time. Old entries are removed."""
    import marshal

    bank = result.bank
    if any(len(bank.hashes[q.id]) != 24 for q in bank.questions):
        return
    chunks: list[bytes] = []
    crcs: dict[int, int] = {}
    events = _pack(tuple(bank.events), chunks, crcs, 0)
    questions = _pack(tuple(bank.questions), chunks, crcs, events[-1])
    header = marshal.dumps({
        "format": CACHE_FORMAT, "key": key, "problems": _plain(result.problems), "files": result.files,
        "eras": _plain(bank.eras), "documents": _plain(bank.documents), "fingerprint": bank.fingerprint,
        "ids": "\n".join(q.id for q in bank.questions),
        "hashes": "".join(bank.hashes[q.id] for q in bank.questions),
        "event_count": len(bank.events), "events": events, "questions": questions, "crcs": crcs,
        "body": questions[-1],
    })
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        target = cache_dir / f"bank-{key}.pickle"
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as handle:
            handle.write(_MAGIC + len(header).to_bytes(8, "big"))
            handle.write(header)
            for data in chunks:
                handle.write(data)
        os.replace(tmp, target)
        entries = sorted(cache_dir.glob("bank-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[8:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


# --- validation ------------------------------------------------------------------------------------------------


class _Checker:
    """Collects every problem while turning parsed files into model values."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.documents: list[Document] = []
        self.eras: list[Era] = []
        self.events: list[Event] = []
        self.questions: list[Question] = []
        self.ids: dict[tuple[str, str], Location] = {}
        # items whose id repeats an earlier one: checked like any other, but not added to the bank
        self.duplicates: set[int] = set()
        # checks that need every file: (what, location, value)
        self.era_refs: list[tuple[str, str, Location]] = []
        self.doc_refs: list[tuple[Source, Location, str]] = []

    # problems
    def error(self, path: str, line: int, message: str, code: str = "") -> None:
        self.problems.append(Problem(path, line, message, "error", code))

    def warn(self, path: str, line: int, message: str, code: str = "") -> None:
        self.problems.append(Problem(path, line, message, "warning", code))

    # files
    def read_file(self, path: str, data: Any) -> None:
        for key in data:
            if key not in TOP_KEYS:
                self._unknown(path, data.line_of(key), key, TOP_KEYS, "at the top of the file")
        for key, reader in (("sources", self._document), ("eras", self._era), ("events", self._event),
                            ("questions", self._question)):
            if key not in data or data[key] is None:
                continue
            items = data[key]
            if not isinstance(items, list):
                self.error(path, data.line_of(key), f"'{key}' must be a list of mappings (each item starts "
                           "with '- ')")
                continue
            for index, item in enumerate(items):
                line = items.item_lines[index]
                if not isinstance(item, dict):
                    self.error(path, line, f"each item of '{key}' must be a mapping with an 'id'")
                    continue
                reader(path, item)

    def _unknown(self, path: str, line: int, key: str, allowed: Sequence[str], where: str) -> None:
        import difflib

        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
        self.error(path, line, f"unknown key '{key}' {where} ({hint})", "unknown-key")

    def _keys(self, path: str, item: Any, allowed: Sequence[str], what: str) -> None:
        for key in item:
            if key not in allowed:
                self._unknown(path, item.line_of(key), key, allowed, f"in {what}")

    def _id(self, path: str, item: Any, table: str, label: str) -> str | None:
        if "id" not in item:
            self.error(path, item.line, f"{label} has no 'id'; add id: a-lowercase-id", "missing-field")
            return None
        value = item["id"]
        line = item.line_of("id")
        if not isinstance(value, str) or not ID_RE.match(value):
            self.error(path, line, f"{label} id {value!r} is not valid; use lowercase letters, digits and "
                       "hyphens, like 'cuban-missile-crisis'", "bad-id")
            return None
        here = Location(path, line)
        if table == "question" and value.startswith("gen-"):
            self.error(path, line, f"question id '{value}' starts with 'gen-', which is kept for generated "
                       "questions; choose another id", "bad-id")
        first = self.ids.get((table, value))
        if first is not None:
            self.error(path, line, f"duplicate {label} id '{value}' (first defined at {first}); "
                       "rename one of them", "duplicate-id")
            self.duplicates.add(id(item))
            return value
        self.ids[(table, value)] = here
        return value

    def _text(self, path: str, item: Any, key: str, what: str, *, required: bool = True) -> Text:
        if key not in item or item[key] is None:
            if required:
                self.error(path, item.line, f"{what} has no '{key}'; add {key}: {{ar: ..., en: ...}}",
                           "missing-field")
            return Text()
        return self._text_value(path, item[key], item.line_of(key), what, key, required=required)

    def _text_value(self, path: str, value: Any, line: int, what: str, key: str, *, required: bool = True,
                    extra: tuple[str, ...] = ()) -> Text:
        """A bilingual mapping {ar: ..., en: ...}; `extra` keys may sit beside the two languages."""
        if value.__class__ is Map and len(value) == 2:  # the usual case, checked quickly: {ar: text, en: text}
            ar, en = value.get("ar"), value.get("en")
            if ar.__class__ is str and en.__class__ is str:
                ar, en = ar.strip(), en.strip()
                if ar and en:
                    return Text(ar, en)
        if isinstance(value, str):
            self.error(path, line, f"{what}: '{key}' must give both languages, like {key}: {{ar: ..., en: ...}}",
                       "bad-type")
            return Text()
        if not isinstance(value, dict):
            self.error(path, line, f"{what}: '{key}' must be a mapping {{ar: ..., en: ...}}", "bad-type")
            return Text()
        for lang in value:
            if lang not in ("ar", "en", *extra):
                self._unknown(path, value.line_of(lang), lang, ("ar", "en", *extra), f"'{key}' of {what}")
        parts: dict[str, str] = {}
        for lang in ("ar", "en"):
            raw = value.get(lang)
            if raw is None:
                parts[lang] = ""
            elif isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
                parts[lang] = str(raw).strip()
            else:
                self.error(path, value.line_of(lang), f"{what}: '{key}.{lang}' must be text", "bad-type")
                parts[lang] = ""
        if not parts["ar"] and not parts["en"]:
            if required:
                self.error(path, line, f"{what}: '{key}' is empty; write it in Arabic and English",
                           "missing-field")
        else:
            for lang in ("ar", "en"):
                if not parts[lang]:
                    self.warn(path, line, f"{what} has no {LANG_NAMES[lang]} {key}; add {key}.{lang}",
                              "missing-translation")
        return Text(parts["ar"], parts["en"])

    def _tags(self, path: str, item: Any, what: str) -> tuple[str, ...]:
        value = item.get("tags")
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(t, str) and ID_RE.match(t) for t in value):
            self.error(path, item.line_of("tags"), f"{what}: 'tags' must be a list of lowercase ids, like "
                       "[treaty, arms-control]", "bad-type")
            return ()
        return tuple(dict.fromkeys(value))

    def _bool(self, path: str, item: Any, key: str, what: str, default: bool) -> bool:
        value = item.get(key, default)
        if not isinstance(value, bool):
            self.error(path, item.line_of(key), f"{what}: '{key}' must be true or false", "bad-type")
            return default
        return value

    def _source(self, path: str, item: Any, what: str) -> Source | None:
        value = item.get("source")
        if value is None:
            return None
        line = item.line_of("source")
        if not isinstance(value, dict):
            self.error(path, line, f"{what}: 'source' must be a mapping like {{doc: timeline, era: cold-war, "
                       "para: 3}", "bad-type")
            return None
        self._keys(path, value, SOURCE_KEYS, f"the source of {what}")
        doc = value.get("doc")
        if not isinstance(doc, str) or not doc:
            self.error(path, line, f"{what}: source has no 'doc'; name a document declared under 'sources'",
                       "missing-field")
            return None
        era = value.get("era")
        if era is not None and not isinstance(era, str):
            self.error(path, value.line_of("era"), f"{what}: source 'era' must be an era id", "bad-type")
            era = None
        para = value.get("para")
        if para is not None and (not isinstance(para, int) or isinstance(para, bool) or para < 1):
            self.error(path, value.line_of("para"), f"{what}: source 'para' must be a paragraph number from 1",
                       "bad-type")
            para = None
        source = Source(doc, era, para)
        self.doc_refs.append((source, Location(path, line), what))
        return source

    # sections
    def _document(self, path: str, item: Any) -> None:
        self._keys(path, item, DOC_KEYS, "a source document")
        doc_id = self._id(path, item, "document", "source document")
        if doc_id is None:
            return
        what = f"source document '{doc_id}'"
        title = self._text(path, item, "title", what)
        kind = item.get("kind", "reference")
        if kind not in ("reference", "opinion"):
            self.error(path, item.line_of("kind"), f"{what}: 'kind' must be reference or opinion", "bad-type")
            kind = "reference"
        if id(item) in self.duplicates:
            return
        self.documents.append(Document(
            doc_id, title, str(item.get("author", "")), str(item.get("published", "")), str(item.get("file", "")),
            kind, Location(path, item.line),
        ))

    def _era(self, path: str, item: Any) -> None:
        self._keys(path, item, ERA_KEYS, "an era")
        era_id = self._id(path, item, "era", "era")
        if era_id is None:
            return
        what = f"era '{era_id}'"
        bounds: list[int] = []
        for key in ("start", "end"):
            value = item.get(key)
            if not isinstance(value, int) or isinstance(value, bool):
                self.error(path, item.line_of(key) if key in item else item.line,
                           f"{what} needs '{key}' as a year, like {key}: 1945", "missing-field")
                return
            bounds.append(value)
        if bounds[0] > bounds[1]:
            self.error(path, item.line_of("start"), f"{what} starts in {bounds[0]}, after it ends in {bounds[1]}; "
                       "swap start and end", "bad-span")
            return
        title = self._text(path, item, "title", what)
        draft = self._bool(path, item, "draft", what, False)
        if id(item) in self.duplicates:
            return
        self.eras.append(Era(era_id, bounds[0], bounds[1], title, draft, Location(path, item.line)))

    def _date(self, path: str, item: Any, what: str) -> EventDate | None:
        if "date" not in item:
            self.error(path, item.line, f"{what} has no 'date'; add date: YYYY, YYYY-MM or YYYY-MM-DD",
                       "missing-field")
            return None
        raw = item["date"]
        line = item.line_of("date")
        match = DATE_RE.match(str(raw)) if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None
        if not match:
            self.error(path, line, f"{what}: date {raw!r} is not YYYY, YYYY-MM or YYYY-MM-DD", "bad-date")
            return None
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if month is not None and not 1 <= month <= 12:
            self.error(path, line, f"{what}: month {month} in date {raw!r} is not 1-12", "bad-date")
            return None
        if day is not None:
            import calendar

            last = calendar.monthrange(year if year > 0 else 2000, month or 1)[1]
            if not 1 <= day <= last:
                self.error(path, line, f"{what}: day {day} in date {raw!r} does not exist", "bad-date")
                return None
        return EventDate(year, month, day)

    def _event(self, path: str, item: Any) -> None:
        self._keys(path, item, EVENT_KEYS, "an event")
        event_id = self._id(path, item, "event", "event")
        if event_id is None:
            return
        what = f"event '{event_id}'"
        date = self._date(path, item, what)
        era = self._era_ref(path, item, what)
        title = self._text(path, item, "title", what)
        detail = self._text(path, item, "detail", what, required=False)
        source = self._source(path, item, what)
        if source is None:
            self.warn(path, item.line, f"{what} has no source; add source: {{doc: ..., era: ..., para: N}}",
                      "no-source")
        tags = self._tags(path, item, what)
        generate = self._bool(path, item, "generate", what, True)
        draft = self._bool(path, item, "draft", what, False)
        if date is None or era is None or id(item) in self.duplicates:
            return
        self.events.append(Event(event_id, date, era, title, detail, source, tags, generate, draft,
                                 Location(path, item.line)))

    def _era_ref(self, path: str, item: Any, what: str) -> str | None:
        value = item.get("era")
        if not isinstance(value, str) or not value:
            self.error(path, item.line_of("era") if "era" in item else item.line,
                       f"{what} has no 'era'; add era: an-era-id", "missing-field")
            return None
        self.era_refs.append((value, what, Location(path, item.line_of("era"))))
        return value

    def _question(self, path: str, item: Any) -> None:
        self._keys(path, item, QUESTION_KEYS, "a question")
        qid = self._id(path, item, "question", "question")
        if qid is None:
            return
        raw_kind = item.get("kind")
        try:
            kind = Kind(raw_kind)
        except ValueError:
            hint = ", ".join(k.value for k in Kind)
            self.error(path, item.line_of("kind") if "kind" in item else item.line,
                       f"question '{qid}' has kind {raw_kind!r}; use one of: {hint}", "bad-kind")
            return
        what = f"{kind.value} question '{qid}'"
        era = self._era_ref(path, item, what)
        for key in KIND_FIELDS[kind]:
            if key not in item and key != "prompt":  # a missing prompt is reported by _text below
                self.error(path, item.line, f"{what} has no '{key}'; add it", "missing-field")
        for key, kinds in KIND_ONLY.items():
            if key in item and kind not in kinds:
                self.error(path, item.line_of(key), f"{what}: '{key}' is only for "
                           + " and ".join(k.value for k in kinds) + " questions; remove it", "bad-field")
        prompt = self._text(path, item, "prompt", what, required=kind is not Kind.ORDER)
        explanation = self._text(path, item, "explanation", what, required=False)
        if "explanation" not in item:
            self.warn(path, item.line, f"{what} has no explanation; add explanation: {{ar: ..., en: ...}}",
                      "no-explanation")
        source = self._source(path, item, what)
        if source is None:
            self.warn(path, item.line, f"{what} has no source; add source: {{doc: ..., era: ..., para: N}}",
                      "no-source")
        tags = self._tags(path, item, what)
        draft = self._bool(path, item, "draft", what, False)
        accept = self._accept(path, item, what)
        tolerance = item.get("tolerance", 0)
        if not isinstance(tolerance, int) or isinstance(tolerance, bool) or tolerance < 0:
            self.error(path, item.line_of("tolerance"), f"{what}: 'tolerance' must be a whole number of years "
                       "(0 or more)", "bad-type")
            tolerance = 0
        answer = Text()
        choices: tuple[Text, ...] = ()
        items: tuple[OrderItem, ...] = ()
        truth: bool | None = None
        if kind is Kind.TRUEFALSE:
            value = item.get("answer")
            if "answer" in item and not isinstance(value, bool):
                self.error(path, item.line_of("answer"), f"{what}: 'answer' must be true or false", "bad-type")
            truth = value if isinstance(value, bool) else None
        elif kind is Kind.CLOZE:
            answer = self._cloze(path, item, what, prompt)
        elif kind is not Kind.ORDER and "answer" in item:
            answer = self._text(path, item, "answer", what)
        if kind is Kind.CHOICE:
            choices = self._choices(path, item, what, answer)
        if kind is Kind.ORDER:
            items = self._items(path, item, what)
            if not prompt.ar and not prompt.en:
                prompt = Text("رتّب ما يلي ترتيبًا زمنيًا، من الأقدم إلى الأحدث.",
                              "Put these in chronological order, oldest first.")
        if tolerance and kind is Kind.TYPED and not (answer.en or answer.ar).strip().isdigit():
            self.error(path, item.line_of("tolerance"), f"{what}: 'tolerance' needs a numeric answer (a year)",
                       "bad-field")
        if era is None or id(item) in self.duplicates:
            return
        self.questions.append(Question(
            qid, kind, era, prompt, answer, explanation, source, accept, choices, items, truth, tolerance, tags,
            False, (), draft, Location(path, item.line),
        ))

    def _accept(self, path: str, item: Any, what: str) -> Alternatives:
        value = item.get("accept")
        if value is None:
            return Alternatives()
        line = item.line_of("accept")
        if not isinstance(value, dict):
            self.error(path, line, f"{what}: 'accept' must be a mapping {{ar: [...], en: [...]}}", "bad-type")
            return Alternatives()
        for lang in value:
            if lang not in ("ar", "en"):
                self._unknown(path, value.line_of(lang), lang, ("ar", "en"), f"'accept' of {what}")
        lists: dict[str, tuple[str, ...]] = {"ar": (), "en": ()}
        for lang in ("ar", "en"):
            raw = value.get(lang)
            if raw is None:
                continue
            if not isinstance(raw, list) or not all(isinstance(x, (str, int)) for x in raw):
                self.error(path, value.line_of(lang), f"{what}: 'accept.{lang}' must be a list of answers",
                           "bad-type")
                continue
            texts = tuple(str(x).strip() for x in raw)
            for text in texts:
                if _script(text) not in (lang, "none"):
                    self.error(path, value.line_of(lang), f"{what}: accepted answer {text!r} under "
                               f"'accept.{lang}' is not written in {LANG_NAMES[lang]}; list it under the other "
                               "language", "cross-script")
            lists[lang] = texts
        return Alternatives(lists["ar"], lists["en"])

    def _cloze(self, path: str, item: Any, what: str, prompt: Text) -> Text:
        parts: dict[str, str] = {}
        line = item.line_of("prompt")
        for lang in ("ar", "en"):
            text = getattr(prompt, lang)
            if not text:
                parts[lang] = ""
                continue
            blanks = BLANK_RE.findall(text)
            if not blanks:
                self.error(path, line, f"{what} has no {{{{blank}}}} in its {LANG_NAMES[lang]} prompt; mark the "
                           "missing words like {{Lend-Lease}}", "cloze-blank")
            elif len(blanks) > 1:
                self.error(path, line, f"{what} has {len(blanks)} blanks in its {LANG_NAMES[lang]} prompt; "
                           "use exactly one per question", "cloze-blank")
            parts[lang] = blanks[0].strip() if blanks else ""
        if "answer" in item:
            self.error(path, item.line_of("answer"), f"{what}: a cloze's answer is the text inside {{{{...}}}}; "
                       "remove 'answer' (use 'accept' for other spellings)", "bad-field")
        return Text(parts["ar"], parts["en"])

    def _choices(self, path: str, item: Any, what: str, answer: Text) -> tuple[Text, ...]:
        raw = item.get("choices")
        if raw is None:
            return ()
        line = item.line_of("choices")
        if not isinstance(raw, list) or len(raw) < 2:
            self.error(path, line, f"{what}: 'choices' must be a list of at least two options", "bad-type")
            return ()
        choices = [
            self._text_value(path, value, raw.item_lines[index], what, f"choices[{index + 1}]")
            for index, value in enumerate(raw)
        ]
        for lang in ("ar", "en"):
            seen: dict[str, int] = {}
            for index, choice in enumerate(choices):
                text = getattr(choice, lang)
                if not text:
                    continue
                folded = _fold(text)
                if folded in seen:
                    self.error(path, raw.item_lines[index], f"{what} lists {text!r} twice ({LANG_NAMES[lang]}, "
                               f"choices {seen[folded] + 1} and {index + 1}); make every choice different",
                               "duplicate-choice")
                else:
                    seen[folded] = index
            expected = getattr(answer, lang)
            present = [c for c in choices if getattr(c, lang)]
            if expected and present and all(getattr(c, lang) != expected for c in choices):
                self.error(path, item.line_of("answer"), f"{what} has no correct answer among its choices: the "
                           f"{LANG_NAMES[lang]} answer {expected!r} is not one of them; copy it exactly into "
                           "'choices'", "answer-not-in-choices")
        for lang, other in (("ar", "en"), ("en", "ar")):
            exp, exp_other = getattr(answer, lang), getattr(answer, other)
            if not exp or not exp_other:
                continue
            hits = [i for i, c in enumerate(choices) if getattr(c, lang) == exp]
            if hits and all(getattr(choices[i], other) not in ("", exp_other) for i in hits):
                self.error(path, item.line_of("answer"), f"{what}: the answer is choice {hits[0] + 1} in "
                           f"{LANG_NAMES[lang]} but that choice's {LANG_NAMES[other]} text differs; make the "
                           "translations match", "choice-mismatch")
                break
        return tuple(choices)

    def _items(self, path: str, item: Any, what: str) -> tuple[OrderItem, ...]:
        raw = item.get("items")
        if raw is None:
            return ()
        line = item.line_of("items")
        if not isinstance(raw, list) or len(raw) < 2:
            self.error(path, line, f"{what}: 'items' must list at least two items in the right order", "bad-type")
            return ()
        if len(raw) > 8:
            self.error(path, line, f"{what} has {len(raw)} items; keep it to 8 or fewer", "bad-type")
        result: list[OrderItem] = []
        for index, entry in enumerate(raw):
            entry_line = raw.item_lines[index]
            if not isinstance(entry, dict):
                self.error(path, entry_line, f"item {index + 1} of {what} must be a mapping {{ar: ..., en: ..., "
                           "year: ...}", "bad-type")
                continue
            text = self._text_value(path, entry, entry_line, what, f"items[{index + 1}]", extra=("year",))
            year = entry.get("year")
            if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
                self.error(path, entry.line_of("year"), f"item {index + 1} of {what}: 'year' must be a year",
                           "bad-type")
                year = None
            result.append(OrderItem(text, year))
        dated = [(i, it) for i, it in enumerate(result) if it.year is not None]
        for (_, a), (j, b) in zip(dated, dated[1:], strict=False):
            if a.year == b.year:
                self.error(path, raw.item_lines[j], f"{what} has items with the same year {a.year}: "
                           f"{a.text.get('en')!r} and {b.text.get('en')!r}; an order needs distinct dates",
                           "order-tie")
            elif a.year is not None and b.year is not None and a.year > b.year:
                self.error(path, raw.item_lines[j], f"{what} lists its items out of order ({a.year} before "
                           f"{b.year}); list them oldest first", "order-unsorted")
        return tuple(result)

    # whole bank
    def finish(self) -> Bank:
        eras = {era.id: era for era in self.eras}
        for era_id, what, loc in self.era_refs:
            if era_id not in eras:
                choices = ", ".join(eras) or "(no eras are defined)"
                import difflib

                close = difflib.get_close_matches(era_id, list(eras), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"use one of: {choices}"
                self.error(loc.path, loc.line, f"{what} names era '{era_id}', which is not defined ({hint})",
                           "unknown-era")
        docs = {doc.id for doc in self.documents}
        for source, loc, what in self.doc_refs:
            if source.doc not in docs:
                self.error(loc.path, loc.line, f"{what}: source document '{source.doc}' is not declared under "
                           f"'sources' (known: {', '.join(sorted(docs)) or 'none'})", "unknown-doc")
            if source.era is not None and source.era != "intro" and source.era not in eras:
                self.error(loc.path, loc.line, f"{what}: source era '{source.era}' is not an era id (or 'intro')",
                           "unknown-era")
        events: list[Event] = []
        for event in self.events:
            era = eras.get(event.era)
            if era is None:
                continue
            if not era.start <= event.date.year <= era.end:
                assert event.loc is not None
                self.error(event.loc.path, event.loc.line, f"event '{event.id}' is dated {event.date.year}, outside "
                           f"era '{era.id}' ({era.start}–{era.end}); fix the date or the era", "year-outside-era")
                continue
            events.append(event)
        self._check_event_order(events)
        questions = [q for q in self.questions if q.era in eras]
        generated = generate_questions(events, self.eras)
        taken = {q.id for q in questions}
        questions.extend(q for q in generated if q.id not in taken)
        return Bank(tuple(self.eras), tuple(events), tuple(questions), tuple(self.documents))

    def _check_event_order(self, events: Sequence[Event]) -> None:
        last: dict[tuple[str, str], Event] = {}
        for event in events:
            assert event.loc is not None
            key = (event.loc.path, event.era)
            previous = last.get(key)
            if previous is not None and event.date.sort_key() < previous.date.sort_key():
                self.warn(event.loc.path, event.loc.line, f"event '{event.id}' ({event.date.iso()}) comes after "
                          f"'{previous.id}' ({previous.date.iso()}) in the file; list events oldest first",
                          "event-order")
            last[key] = event


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


def _script(text: str) -> str:
    if _ARABIC.search(text):
        return "ar"
    if _LATIN.search(text):
        return "en"
    return "none"


# --- generated questions --------------------------------------------------------------------------------------

AR_MONTHS = (
    "يناير/كانون الثاني", "فبراير/شباط", "مارس/آذار", "أبريل/نيسان", "مايو/أيار", "يونيو/حزيران",
    "يوليو/تموز", "أغسطس/آب", "سبتمبر/أيلول", "أكتوبر/تشرين الأول", "نوفمبر/تشرين الثاني", "ديسمبر/كانون الأول",
)
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)


@functools.lru_cache(maxsize=4096)
def date_text(date: EventDate) -> Text:
    """A date as people write it: '4 October 1957' / '4 أكتوبر/تشرين الأول 1957'."""
    if date.month is None:
        return Text(str(date.year), str(date.year))
    ar = f"{AR_MONTHS[date.month - 1]} {date.year}"
    en = f"{EN_MONTHS[date.month - 1]} {date.year}"
    if date.day:
        ar, en = f"{date.day} {ar}", f"{date.day} {en}"
    return Text(ar, en)


def _h(*parts: str) -> int:
    return int.from_bytes(blake2b("|".join(parts).encode(), digest_size=8).digest(), "big")


def _short(*parts: str) -> str:
    return blake2b("|".join(parts).encode(), digest_size=5).hexdigest()


def _event_source(*events: Event) -> Source | None:
    return events[0].source


def _tags(*events: Event) -> tuple[str, ...]:
    tags: dict[str, None] = {"generated": None}
    for event in events:
        tags.update(dict.fromkeys(event.tags))
    return tuple(tags)


def generate_questions(events: Sequence[Event], eras: Sequence[Era]) -> list[Question]:
    """Questions drawn from events. Each depends only on the events it names (and the eras), so adding an
    unrelated event never changes an existing generated question: pairs and groups are chosen by a hash of
    their own event ids, never by their neighbours."""
    usable = [e for e in events if e.generate and not e.draft]
    out: list[Question] = []
    for event in usable:
        out.extend(_year_questions(event))
        era_question = _era_question(event, eras)
        if era_question is not None:
            out.append(era_question)
    by_era: dict[str, list[Event]] = {}
    for event in usable:
        by_era.setdefault(event.era, []).append(event)
    spans = {era.id: era.end - era.start for era in eras}
    for era_id, group in by_era.items():
        group.sort(key=lambda e: (e.date.sort_key(), e.id))
        window = pair_window(spans.get(era_id, 0))
        out.extend(_first_questions(group, window))
        out.extend(_order_questions(group, window))
    return out


def pair_window(span: int) -> int:
    """How many years apart two events of an era may be to be compared or ordered together: half the era's
    span, at least 10. Close events make the better question, and the window keeps the number of generated
    questions in proportion to an era's density instead of growing with the square of its size."""
    return max(10, span // 2)


def _first_pairs(group: Sequence[Event], window: int) -> Iterator[tuple[Event, Event]]:
    """Pairs (earlier, later) chosen by a hash of their own two ids: one in four of the pairs of events of
    different years at most `window` years apart."""
    for i, a in enumerate(group):
        for b in group[i + 1:]:
            if b.date.year - a.date.year > window:
                break
            if a.date.year != b.date.year and _h("first", a.id, b.id) % 4 == 0:
                yield a, b


def _year_questions(event: Event) -> list[Question]:
    year = str(event.date.year)
    when = date_text(event.date)
    detail = event.detail if (event.detail.ar or event.detail.en) else Text()
    explanation = Text(
        f"{event.title.ar}: {when.ar}. {detail.ar}".strip(),
        f"{_cap(event.title.en)}: {when.en}. {detail.en}".strip(),
    )
    prompt = Text(f"في أي عام كان {event.title.ar}؟", f"In which year did {event.title.en} take place?")
    typed = Question(
        f"gen-year-{event.id}", Kind.TYPED, event.era, prompt, Text(year, year), explanation, _event_source(event),
        tags=_tags(event), generated=True, events=(event.id,), loc=event.loc,
    )
    offsets = [d for d in range(-6, 7) if d != 0]
    seed = _h("yearpick", event.id)
    picked: list[int] = []
    while len(picked) < 3:
        index = seed % len(offsets)
        picked.append(offsets.pop(index))
        seed //= 13
    years = sorted([event.date.year, *(event.date.year + d for d in picked)])
    choices = tuple(Text(str(y), str(y)) for y in years)
    pick = replace(typed, id=f"gen-yearpick-{event.id}", kind=Kind.CHOICE, choices=choices)
    return [typed, pick]


def _era_question(event: Event, eras: Sequence[Era]) -> Question | None:
    own = next((era for era in eras if era.id == event.era), None)
    others = [era for era in eras if era.id != event.era and not era.start <= event.date.year <= era.end]
    if own is None or len(others) < 1:
        return None
    # Ordered by _h("era", event.id, era.id), the shared prefix hashed once.
    prefix = blake2b(f"era|{event.id}|".encode(), digest_size=8)

    def rank(era: Era) -> int:
        digest = prefix.copy()
        digest.update(era.id.encode())
        return int.from_bytes(digest.digest(), "big")

    others.sort(key=rank)
    options = sorted([own, *others[:3]], key=lambda era: (era.start, era.end))
    return Question(
        f"gen-era-{event.id}", Kind.CHOICE, event.era,
        Text(f"إلى أي مرحلة من مراحل العلاقات ينتمي {event.title.ar}؟",
             f"To which era of the relationship does {event.title.en} belong?"),
        own.title,
        Text(f"{event.title.ar} ({date_text(event.date).ar}) من مرحلة «{own.title.ar}» ({own.start}–{own.end}).",
             f"{_cap(event.title.en)} ({date_text(event.date).en}) belongs to “{own.title.en}” "
             f"({own.start}–{own.end})."),
        _event_source(event),
        choices=tuple(era.title for era in options),
        tags=_tags(event), generated=True, events=(event.id,), loc=event.loc,
    )


def _first_questions(group: Sequence[Event], window: int) -> list[Question]:
    out: list[Question] = []
    for a, b in _first_pairs(group, window):
        # Show the pair in a fixed order that does not give the answer away.
        shown = (a, b) if _h("firstshow", a.id, b.id) % 2 else (b, a)
        out.append(Question(
            f"gen-first-{_short(a.id, b.id)}", Kind.CHOICE, a.era,
            Text(f"أيهما كان أولًا: {shown[0].title.ar}، أم {shown[1].title.ar}؟",
                 f"Which came first: {shown[0].title.en}, or {shown[1].title.en}?"),
            a.title,
            Text(f"{a.title.ar} ({date_text(a.date).ar}) سبق {b.title.ar} ({date_text(b.date).ar}).",
                 f"{_cap(a.title.en)} ({date_text(a.date).en}) came before {b.title.en} "
                 f"({date_text(b.date).en})."),
            _event_source(a, b),
            choices=(shown[0].title, shown[1].title),
            tags=_tags(a, b), generated=True, events=(a.id, b.id), loc=a.loc,
        ))
    return out


def _order_questions(group: Sequence[Event], window: int) -> list[Question]:
    """Chains a < b < c of chosen pairs within the window, one in two kept by a hash of their own ids; a
    chain extends to a fourth event the same way, one in six. Each depends only on the events it names."""
    later: dict[str, list[Event]] = {}
    for a, b in _first_pairs(group, window):
        later.setdefault(a.id, []).append(b)
    out: list[Question] = []
    for a in group:
        for b in later.get(a.id, ()):
            for c in later.get(b.id, ()):
                if c.date.year - a.date.year > window or _h("order3", a.id, b.id, c.id) % 2:
                    continue
                out.append(_order_question([a, b, c]))
                for d in later.get(c.id, ()):
                    if d.date.year - a.date.year <= window and _h("order4", a.id, b.id, c.id, d.id) % 3 == 0:
                        out.append(_order_question([a, b, c, d]))
    return out


def _order_question(members: Sequence[Event]) -> Question:
    ids = [m.id for m in members]
    items = tuple(OrderItem(m.title, m.date.year) for m in members)
    return Question(
        f"gen-order-{_short(*ids)}", Kind.ORDER, members[0].era,
        Text("رتّب هذه الأحداث ترتيبًا زمنيًا، من الأقدم إلى الأحدث.",
             "Put these events in chronological order, oldest first."),
        Text(),
        Text("؛ ".join(f"{m.title.ar} ({date_text(m.date).ar})" for m in members) + ".",
             "; ".join(f"{_cap(m.title.en)} ({date_text(m.date).en})" for m in members) + "."),
        _event_source(*members),
        items=items, tags=_tags(*members), generated=True, events=tuple(ids), loc=members[0].loc,
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
