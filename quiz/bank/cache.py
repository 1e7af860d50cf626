"""The bank cache: a parsed bank kept by the content of its files, so a second run with nothing changed parses no YAML.

The cache (one file per bank, in `quiz.locations.cache_dir()`) is built for a warm run to cost next to nothing,
whatever the size of the bank:

- Its key is a hash of the format, quiz's version, and each file's name and content digest. A file's digest is
  remembered with its `stat` (size, mtime, ctime, inode) in `files.marshal`, and reused while the `stat` is
  unchanged, as git's index does; an entry recorded within `RACY_NS` of the file's own mtime or ctime is never
  trusted (a write in the same clock tick leaves the times unchanged), and ctime cannot be set back. So an edit
  always changes the key, and a warm run reads no bank file.
- The header (problems, files, eras, documents, the sync fingerprint, where everything else lies) is small and
  read whole. After it, the body: the question ids, content hashes and event links as three texts (6 MB at
  100,000 questions), each read only when used (`quiz.bank.cached_texts`), then the events and questions
  pickled in chunks, decoded only when used (`_CachedSequence`), read by offset. A command that needs no question
  (`quiz due`) reads none of them. Not the reveals: found on first need, they are kept beside, in a file of the
  same key (`quiz.bank.reveal_store`), pruned with it. Also the garbage-collector pause used while a bank is
  built or decoded.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from quiz import __version__
from quiz.bank import reveal_store
from quiz.bank.cached_texts import _Hashes, _Ids, _Links, id_positions, pack_texts
from quiz.bank.memo import MEMO_ENTRIES, RACY_NS, FileMemo, blake2b, file_digest
from quiz.errors import CacheDamaged, Problem
from quiz.model import Bank, BankInfo, Document, Era, Location, Text

__all__ = ["MEMO_ENTRIES", "RACY_NS", "FileMemo", "file_digest"]  # re-exported: their home is quiz.bank.memo

CACHE_FORMAT = 13  # 7: Bank.infos, Event.bank, Question.bank; 8: links and reveals; 9: interleaved order;
# 10: reveals as one text, parsed on first use; 11: a cold load's question chunks, copied from its scratch file
# (`quiz.bank.spill`); 12: the ids, hashes, links and reveals texts out of the header, in the body before the
# chunks, each read on first use; 13: no reveals (found on first need, in a file beside: `reveal_store`)
Cached = tuple[Bank, tuple[Problem, ...], tuple[str, ...]]
"""What a cache file holds: the bank, every problem found while loading it, and the names of its files."""

FREEZE_AT = 20_000
"""A bank this large (in questions) is frozen out of the cyclic collector once built or decoded."""
KEEP_DECODED = 20_000
"""Iterating a cached bank's questions keeps the chunks it decoded up to this many questions; a larger bank's are
decoded for the loop and dropped (`stream`), so a pass over 100,000 questions holds 64 at a time."""


def pause_gc() -> bool:
    """Turn the cyclic collector off while a bank is built, cached or decoded: millions of small objects and
    no cycles, which the collector would only rescan again and again (it doubles the time of a large bank)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    return enabled


def resume_gc(enabled: bool, size: int) -> None:
    """Turn it back on; after a large bank, first move everything alive into the permanent generation
    (`gc.freeze`), or the collector would still traverse the whole bank a few times later on (~0.5 s each)."""
    import gc

    if size >= FREEZE_AT:
        gc.freeze()
    if enabled:
        gc.enable()


_MAGIC = b"quiz bank cache\n"
_CHUNK = 64  # questions per pickled chunk: one lookup by id decodes 64 (~1 ms)


def cache_key(named_digests: Iterable[tuple[str, bytes]], roots: Sequence[Any] = (),
              root_of: Sequence[int] = ()) -> str:
    """The key of a bank: the format, quiz's version, the bank roots (their default ids) and each file's name,
    content digest and root."""
    digest = blake2b(digest_size=16)
    digest.update(f"{CACHE_FORMAT}|{__version__}|{sys.version_info[:2]}".encode())
    digest.update(repr([(root.default_id, root.builtin) for root in roots]).encode("utf-8", "surrogatepass"))
    digest.update(repr(list(root_of)).encode())
    for shown, content_digest in named_digests:
        digest.update(shown.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(content_digest)
    return digest.hexdigest()


class _CachedSequence(Sequence[Any]):
    """Events or questions of a cached bank, decoded chunk by chunk on first use; equal to the tuple it stands for."""

    __slots__ = ("_source", "_offsets", "_count", "_chunks", "_keep")

    def __init__(self, source: _CacheBody, offsets: tuple[int, ...], count: int) -> None:
        self._source = source
        self._offsets = offsets  # chunk i spans body[offsets[i]:offsets[i + 1]]
        self._count = count
        self._chunks: list[tuple[Any, ...] | None] = [None] * (len(offsets) - 1)
        self._keep = count <= KEEP_DECODED

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
        if not self._keep:
            yield from self.stream()
            return
        if all(chunk is not None for chunk in self._chunks):
            for chunk in self._chunks:
                yield from chunk  # type: ignore[misc]
            return
        paused = pause_gc()
        try:
            for index in range(len(self._chunks)):
                yield from self._chunk(index)
        finally:
            resume_gc(paused, self._count)

    def stream(self, start: int = 0, stop: int | None = None) -> Iterator[Any]:
        """The items (those from `start` to `stop`) in order, each chunk decoded for the loop (the collector paused,
        `_CacheBody.decode`) and then dropped (a chunk already decoded is reused): a pass over 100,000 questions
        holds 64 at a time, not all of them."""
        stop = self._count if stop is None else min(stop, self._count)
        for index in range(start // _CHUNK, -(-stop // _CHUNK)):
            chunk = self._chunks[index] or self._source.decode(self._offsets[index], self._offsets[index + 1])
            base = index * _CHUNK
            yield from (chunk if start <= base and base + _CHUNK <= stop else chunk[max(start - base, 0):stop - base])

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


def stream(items: Sequence[Any], start: int = 0, stop: int | None = None) -> Iterator[Any]:
    """A bank's events or questions (`items[start:stop]`) in order without keeping what is decoded, and decoding
    no other (see `_CachedSequence.stream`); any other sequence is simply iterated."""
    if isinstance(items, _CachedSequence):
        return items.stream(start, stop)
    return iter(items) if start == 0 and stop is None else iter(items[start:stop])


def fetcher(questions: Sequence[Any], by_id: Mapping[str, Any], keep: int = 32) -> Callable[[str], Any]:
    """Question by id for a pass that visits a large bank in some other order than its own (an export's): a
    cached bank's chunks are decoded into a window of the `keep` most recently used ones, never kept in the
    bank, so memory stays flat; any other bank is simply looked up."""
    if not isinstance(questions, _CachedSequence) or not isinstance(by_id, _LazyIndex):
        return by_id.__getitem__
    from collections import OrderedDict

    positions = by_id._positions()
    seq = questions
    window: OrderedDict[int, tuple[Any, ...]] = OrderedDict()

    def fetch(qid: str) -> Any:
        index, at = divmod(positions[qid], _CHUNK)
        chunk = seq._chunks[index] or window.get(index)
        if chunk is None:
            chunk = window[index] = seq._source.decode(seq._offsets[index], seq._offsets[index + 1])
            if len(window) > keep:
                window.popitem(last=False)
        else:
            if index in window:
                window.move_to_end(index)
        return chunk[at]

    return fetch


class _CacheBody:
    """The chunks after a cache file's header (or in a cold load's scratch file, `quiz.bank.spill.Scratch`: no
    `path`), read by offset (`pread`: a pass over every chunk leaves none of the file in this process's memory,
    as a memory map would), each checked (CRC)."""

    def __init__(self, path: Path | None, handle: Any, start: int, crcs: Mapping[int, int]) -> None:
        self.path = path
        self.handle = handle  # kept open: the file may be replaced or pruned meanwhile, the data stays readable
        self.start = start
        self.crcs = crcs

    def read(self, begin: int, end: int) -> bytes:
        if self.path is None:
            return self.handle.pread(end - begin, self.start + begin)
        return os.pread(self.handle.fileno(), end - begin, self.start + begin)

    def decode(self, begin: int, end: int) -> tuple[Any, ...]:
        import pickle

        paused = pause_gc()
        try:
            return tuple(self._load(begin, end, pickle.loads))
        finally:
            resume_gc(paused, 0)

    def text(self, begin: int, end: int) -> str:
        """One of the texts before the chunks (`pack_texts`), read on first use."""
        import marshal

        return str(self._load(begin, end, marshal.loads))

    def _load(self, begin: int, end: int, loads: Callable[[bytes], Any]) -> Any:
        """`loads` of the bytes at [begin, end), checked; a damaged cache file is removed (the next run rebuilds it)."""
        import zlib

        try:
            data = self.read(begin, end)
            if zlib.crc32(data) != self.crcs.get(begin):
                raise ValueError("checksum")
            return loads(data)
        except Exception:
            if self.path is not None:
                try:
                    self.path.unlink()
                except OSError:
                    pass
            raise CacheDamaged(self.path or Path("<scratch>")) from None


class _LazyIndex(Mapping[str, Any]):
    """Question id -> question (or content hash), over the cached ids, built on first use."""

    __slots__ = ("_ids", "_values", "_index", "_finds")

    FINDS = 24
    """Lookups answered from the ids' text (`_Ids.find`, ~0.7 ms each at 100k) before the index is built (~35 ms):
    a command showing a few questions (`quiz stats`: 20, `quiz show`) never builds it."""

    def __init__(self, ids: Sequence[str], values: Any) -> None:
        self._ids = ids
        self._values = values  # a sequence aligned with ids
        self._index: dict[str, int] | None = None
        self._finds = 0

    def _positions(self) -> dict[str, int]:
        if self._index is None:
            self._index = id_positions(self._ids)
        return self._index

    def _position(self, qid: object) -> int:
        """The position of `qid` among the ids; -1 when absent."""
        if self._index is None and self._finds < self.FINDS and isinstance(self._ids, _Ids) \
                and type(qid) is str:
            found = self._ids.find(qid)
            if found is not None:
                self._finds += 1
                return found
        return self._positions().get(qid, -1)  # type: ignore[call-overload]

    def prefetch(self, qids: Iterable[str]) -> None:
        """Many ids looked up at once (`_Ids.find_all`): their lookups that follow search nothing."""
        if self._index is None and isinstance(self._ids, _Ids):
            self._ids.find_all(qids)

    def __getitem__(self, qid: str) -> Any:
        at = self._position(qid)
        if at < 0:
            raise KeyError(qid)
        return self._values[at]

    def __contains__(self, qid: object) -> bool:
        return self._position(qid) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def _pack(items: Sequence[Any], out: Any, crcs: dict[int, int], base: int) -> tuple[int, ...]:
    """Pickle `items` in chunks of `_CHUNK` straight into the file `out` (nothing held): their offsets."""
    import pickle
    import zlib
    from itertools import islice

    offsets = [base]
    source = stream(items)
    for _ in range(0, len(items), _CHUNK):
        data = pickle.dumps(tuple(islice(source, _CHUNK)), protocol=pickle.HIGHEST_PROTOCOL)
        crcs[offsets[-1]] = zlib.crc32(data)
        out.write(data)
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
    return {cls.__name__: cls for cls in (Era, Document, Text, Location, Problem, BankInfo)}


def read_cache(cache_dir: Path, key: str) -> Cached | None:
    """The bank, problems and file names cached under `key`, or None when missing, damaged or of another format."""
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
        count = header["question_count"]
        text = {name: functools.partial(body.text, begin, end) for name, (begin, end) in header["texts"].items()}
        ids = _Ids(text["ids"], count)
        questions = _CachedSequence(body, header["questions"], count)
        events = _CachedSequence(body, header["events"], header["event_count"])
        bank = Bank(
            _unplain(header["eras"]), events, questions, _unplain(header["documents"]), _unplain(header["infos"]),
            by_id=_LazyIndex(ids, questions), hashes=_LazyIndex(ids, _Hashes(text["hashes"], count)),
            fingerprint=header["fingerprint"], links=_LazyIndex(ids, _Links(text["links"], count)),
            reveals=reveal_store.lazy(questions, events, cache_dir, key))
        return bank, _unplain(header["problems"]), header["files"]
    except Exception:  # damaged, truncated, another format: rebuild
        handle.close()
        return None


def write_cache(cache_dir: Path, key: str, bank: Bank, problems: tuple[Problem, ...], files: tuple[str, ...]) -> None:
    """Best effort: a cache that cannot be written only costs time. Old entries are removed. A bank built by a cold
    load (`quiz.bank.spill`) has its chunks copied from its scratch file as they are; any other is pickled here."""
    import marshal

    columns = _columns(bank)
    if columns is None:
        return
    from quiz.bank.spill import Scratch

    crcs: dict[int, int] = {}
    tmp: Path | None = None
    scratches = [Scratch(cache_dir)]  # the texts and events (~20 MB at 100k: a file, not memory), the chunks
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        head = scratches[0]
        ids, hashes, links = columns
        texts = pack_texts({"ids": ids, "hashes": hashes, "links": links}, head, crcs)
        events = _pack(tuple(bank.events), head, crcs, head.tell())
        questions = bank.questions
        body: Any
        if _spilled(questions):
            assert isinstance(questions, _CachedSequence)
            body, base = questions._source.handle, events[-1]
            offsets = tuple(base + offset for offset in questions._offsets)
            crcs.update((base + offset, crc) for offset, crc in questions._source.crcs.items())
        else:  # pickled to a scratch file (110 MB for 100,000 questions, never in memory), copied after the header
            body = Scratch(cache_dir)
            scratches.append(body)
            offsets = _pack(questions, body, crcs, events[-1])
        header = marshal.dumps({
            "format": CACHE_FORMAT, "key": key, "problems": _plain(problems), "files": files,
            "eras": _plain(bank.eras), "documents": _plain(bank.documents),
            "infos": _plain(bank.infos), "fingerprint": bank.fingerprint, "question_count": len(questions),
            "texts": texts, "event_count": len(bank.events), "events": events, "questions": offsets, "crcs": crcs,
            "body": offsets[-1],
        })
        target = cache_dir / f"bank-{key}.pickle"
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as handle:
            handle.write(_MAGIC + len(header).to_bytes(8, "big"))
            handle.write(header)
            head.copy_to(handle)
            body.copy_to(handle)
        os.replace(tmp, target)
        tmp = None
        entries = sorted(cache_dir.glob("bank-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[8:]:
            old.unlink(missing_ok=True)
        reveal_store.prune(cache_dir)
    except OSError:
        pass
    finally:  # whatever went wrong, no half-written file is left behind, nor an open scratch file
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        for scratch in scratches:
            scratch.close()


def _spilled(questions: Sequence[Any]) -> bool:
    """Whether `questions` are the chunks of a cold load's scratch file, all of them and nothing else."""
    if not isinstance(questions, _CachedSequence) or questions._source.path is not None:
        return False
    offsets = questions._offsets
    return offsets[0] == 0 and offsets[-1] == questions._source.handle.size


def _columns(bank: Bank) -> tuple[str, str, str] | None:
    """The header's ids, content hashes and links, each one text, in question order (taken as they are from a
    bank that keeps them so); None when a content hash is not of 24 characters."""
    by_id, hashes, links = bank.by_id, bank.hashes, bank.links
    if isinstance(by_id, _LazyIndex) and isinstance(hashes, _LazyIndex) and isinstance(links, _LazyIndex) \
            and isinstance(by_id._ids, _Ids) and by_id._ids is hashes._ids is links._ids \
            and isinstance(hashes._values, _Hashes) and isinstance(links._values, _Links):
        return by_id._ids.text, hashes._values.text, links._values.text
    qids = [q.id for q in stream(bank.questions)]
    if any(len(bank.hashes[qid]) != 24 for qid in qids):
        return None
    return ("\n".join(qids), "".join(bank.hashes[qid] for qid in qids),
            "\n".join(",".join(bank.links.get(qid, ())) for qid in qids))
