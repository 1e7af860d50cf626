"""The cold load's question store: questions pickled 64 at a time as soon as they are read, only compact records kept.

A 100,000-question bank takes ~230 MB as `Question` objects, more than a cold load may hold. So `Spill` takes a
file's questions (and later the generated ones) as soon as they are read and checked, pickles them in chunks of
`quiz.bank.cache`'s size into a scratch file (kept in memory while small, then an unlinked temporary file, in the
cache folder when there is one), and keeps only what the whole-bank steps need, one entry per question, in order:
its id, content hash, era, kind, event links and three flags (draft, generated, requires others). The bank built
from it is the same lazy value a cached load returns (`_CachedSequence` over the scratch file: questions decoded
on use), and `quiz.bank.cache.write_cache` copies the scratch file's chunks into the cache file unchanged.

Only what the whole-bank steps need: the sync fingerprint (`Spill.fingerprint`), the ids of the questions kept
(`Spill.keep_eras` drops those of an unknown era, which were reported), the lookups of the returned `Bank`.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from quiz.bank.cache import _CHUNK, _CacheBody, _CachedSequence, _LazyIndex
from quiz.bank.cached_texts import _Hashes, _Ids, _Links
from quiz.model import Era, Kind, Question
from quiz.model.bank import interleaved_order, sync_fingerprint

KINDS = tuple(Kind)
_KIND_CODE = {kind: index for index, kind in enumerate(KINDS)}
DRAFT, GENERATED, REQUIRES = 1, 2, 4
IN_MEMORY = 8 << 20
"""A scratch file stays in memory up to this size (a small bank, a test's), then moves to a temporary file."""


class Scratch:
    """Bytes appended, then read back by offset: in memory up to `IN_MEMORY`, else an unlinked temporary file."""

    def __init__(self, directory: Path | None = None) -> None:
        import io

        self.directory = directory
        self.buffer: Any = io.BytesIO()
        self.file: Any = None
        self.size = 0

    def write(self, data: bytes) -> None:
        if self.file is None and self.size + len(data) > IN_MEMORY:
            import tempfile

            directory = self.directory
            if directory is not None:
                try:
                    directory.mkdir(parents=True, exist_ok=True)
                except OSError:
                    directory = None
            self.file = tempfile.TemporaryFile(dir=directory, prefix="body-")
            self.file.write(self.buffer.getbuffer())
            self.buffer = None
        if self.file is not None:
            self.file.write(data)
        else:
            self.buffer.write(data)
        self.size += len(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        """Write what the temporary file buffers: before a fork, or a child freeing or reading its copy of the
        buffer would write it to the shared file a second time."""
        if self.file is not None:
            self.file.flush()

    def pread(self, size: int, offset: int) -> bytes:
        """`os.pread` of what was written (a read by offset: no page of the file counts in this process's memory)."""
        if self.file is None:
            return bytes(self.buffer.getbuffer()[offset:offset + size])
        self.file.flush()
        return os.pread(self.file.fileno(), size, offset)

    def close(self) -> None:
        """Drop what was written (the temporary file, when there is one, is closed and so removed)."""
        if self.file is not None:
            self.file.close()
        self.buffer = None

    def copy_to(self, out: Any) -> None:
        """Everything written, appended to the open file `out`."""
        if self.file is None:
            out.write(self.buffer.getbuffer())
            return
        import shutil

        self.file.flush()
        self.file.seek(0)
        shutil.copyfileobj(self.file, out, 1 << 20)
        self.file.seek(0, os.SEEK_END)


class Spill:
    """Questions pickled in chunks as they come (`add`), a compact record of each kept in order."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self.out = Scratch(directory)
        self.crcs: dict[int, int] = {}
        self.offsets = [0]
        self.pending: list[Question] = []
        self.ids: list[str] = []
        self.hashes = bytearray()  # 24 ASCII characters a question
        self.odd_hashes: dict[int, str] = {}  # a content hash of another length (none today), by position
        self.links: list[str] = []  # event ids joined by commas
        self.eras: list[str] = []  # one string object an era
        self.kinds = bytearray()
        self.flags = bytearray()
        self._era_names: dict[str, str] = {}
        self._pickler = _chunk_pickler()

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, questions: Iterable[Question], known: Sequence[str] = ()) -> None:
        """Record each question and pickle them 64 at a time (the last chunk waits for `close`); `known`: their
        content hashes when computed already (all of them). Each record is made for the whole batch at once."""
        if not isinstance(questions, (list, tuple)):  # a stream: taken a chunk at a time, never held whole
            from itertools import islice

            stream = iter(questions)
            while part := list(islice(stream, _CHUNK)):
                self.add(part)
            return
        batch = questions
        if not batch:
            return
        digests = known or [q.content_hash() for q in batch]
        text = "".join(digests)
        if {*map(len, digests)} == {24} and text.isascii():
            self.hashes += text.encode("ascii")
        else:
            for at, digest in enumerate(digests):
                if len(digest) == 24 and digest.isascii():
                    self.hashes += digest.encode("ascii")
                else:
                    self.odd_hashes[len(self.ids) + at] = digest
                    self.hashes += b" " * 24
        names = self._era_names
        self.ids += [q.id for q in batch]
        self.links += [",".join(q.events) if q.events else "" for q in batch]
        self.eras += [names.setdefault(q.era, q.era) for q in batch]
        self.kinds += bytes([_KIND_CODE[q.kind] for q in batch])
        self.flags += bytes([(DRAFT if q.draft else 0) | (GENERATED if q.generated else 0)
                             | (REQUIRES if q.requires else 0) for q in batch])
        pending = self.pending
        pending += batch
        while len(pending) >= _CHUNK:
            self._pack()

    def _pack(self) -> None:
        """The first `_CHUNK` questions waiting (or all, when fewer) pickled as one chunk."""
        buffer, pickler = self._pickler
        buffer.seek(0)
        buffer.truncate()
        pickler.dump(tuple(self.pending[:_CHUNK]))
        pickler.clear_memo()
        data = buffer.getvalue()
        self.crcs[self.offsets[-1]] = zlib.crc32(data)
        self.out.write(data)
        self.offsets.append(self.offsets[-1] + len(data))
        del self.pending[:_CHUNK]

    def keep_eras(self, eras: Mapping[str, Era]) -> set[str]:
        """Drop the questions naming an era that is not defined (reported already); the ids of those kept. Only a
        bank with such a mistake has its chunks written again."""
        if all(era in eras for era in self._era_names):
            return set(self.ids)
        kept = {i for i, era in enumerate(self.eras) if era in eras}
        self.close()
        old = _CachedSequence(self.body(), tuple(self.offsets), len(self.ids))
        again = Spill(self.directory)
        again.add(q for i, q in enumerate(old.stream()) if i in kept)
        self.__dict__.update(again.__dict__)
        return set(self.ids)

    def close(self) -> None:
        """Pickle the last, partial chunk; everything written is then in the scratch file, none in its buffer."""
        if self.pending:
            self._pack()
        self.out.flush()

    def flush(self) -> None:
        """The scratch file's buffer written (`Scratch.flush`), before a fork."""
        self.out.flush()

    def written(self) -> Sequence[Question]:
        """The questions of the chunks written so far (not those waiting for a whole chunk): read by offset, so a
        forked child reads them while this process writes more."""
        self.flush()
        return _CachedSequence(self.body(), tuple(self.offsets), (len(self.offsets) - 1) * _CHUNK)

    def body(self) -> _CacheBody:
        return _CacheBody(None, self.out, 0, self.crcs)

    def hash_text(self) -> str | None:
        """Every content hash in one string (24 characters each); None when one has another length."""
        return None if self.odd_hashes else self.hashes.decode("ascii")

    def fingerprint(self, eras: Iterable[Era]) -> str:
        """`Bank.fingerprint` from the records: (id, content hash, era, kind) of every studyable question in the
        order new questions are introduced (`Bank.sync_entries`)."""
        era_rank = {era.id: index for index, era in enumerate(sorted(eras, key=lambda e: (e.start, e.end)))}
        by_era: dict[int, list[int]] = {}
        flags = self.flags
        for position, era in enumerate(self.eras):
            if not flags[position] & DRAFT:
                by_era.setdefault(era_rank.get(era, len(era_rank)), []).append(position)
        ids, links, kinds, era_of = self.ids, self.links, self.kinds, self.eras
        hashes = self.hashes.decode("ascii")  # (a question of another content hash length has blanks here)
        odd = self.odd_hashes
        names = [kind.value for kind in KINDS]
        entries: list[tuple[str, str, str, str]] = []
        for rank in sorted(by_era):
            positions = by_era[rank]
            order = interleaved_order(
                [links[p].split(",", 1)[0] if links[p] else "\x00" + ids[p] for p in positions],
                [(bool(flags[p] & REQUIRES), bool(flags[p] & GENERATED)) for p in positions],
                [kinds[p] for p in positions])
            for i in order:
                p = positions[i]
                digest = hashes[24 * p:24 * p + 24] if not odd or p not in odd else odd[p]
                entries.append((ids[p], digest, era_of[p], names[kinds[p]]))
        return sync_fingerprint(entries)

    def hash_at(self, position: int) -> str:
        odd = self.odd_hashes.get(position)
        return odd if odd is not None else self.hashes[24 * position:24 * position + 24].decode("ascii")

    def lookups(self) -> dict[str, Any]:
        """The returned bank's questions and lookups (keyword arguments of `Bank`) over the chunks written; the
        records are given up (their texts live on in the lookups)."""
        self.close()
        count = len(self.ids)
        questions = _CachedSequence(self.body(), tuple(self.offsets), count)
        ids = _Ids("\n".join(self.ids), count)
        text = self.hash_text()
        hashes: Any = _Hashes(text) if text is not None else [self.hash_at(i) for i in range(count)]
        links = _Links("\n".join(self.links), count)
        self.ids, self.links, self.eras = [], [], []
        return {"questions": questions, "by_id": _LazyIndex(ids, questions), "hashes": _LazyIndex(ids, hashes),
                "links": _LazyIndex(ids, links)}


def _chunk_pickler(out: Any = None) -> tuple[Any, pickle.Pickler]:
    """(out, a pickler writing into it) for chunks of questions: `pickle.dumps`'s bytes, made with the value
    classes' reducers looked up directly (`quiz.model.content.REDUCERS`); `out` a new buffer when not given. Its
    memo must be cleared after each chunk (or it would keep every question pickled alive)."""
    import copyreg
    import io

    from quiz.model.content import REDUCERS

    out = io.BytesIO() if out is None else out
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, **REDUCERS}
    return out, pickler


class Spilled(list[Question]):
    """Where the generated questions go: straight to the spill, as they come (100 MB at 100,000 questions
    otherwise), but those whose id a hand-written question already has."""

    def __init__(self, spill: Spill, taken: set[str]) -> None:
        super().__init__()
        self.spill, self.taken = spill, taken
        self.pending: list[Question] = []

    def append(self, question: Question) -> None:
        if question.id not in self.taken:
            self.pending.append(question)
            if len(self.pending) == 64:  # handed on 64 at a time (a call a question costs ~0.1 s at 100k)
                self.flush()

    def extend(self, questions: Any) -> None:
        for question in questions:
            self.append(question)

    def flush(self) -> None:
        self.spill.add(self.pending)
        self.pending.clear()
