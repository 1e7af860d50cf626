"""The package's ZIP container, written here rather than by `zipfile`, so that its large member (the collection:
303 MB at 100,000 questions) is deflated by ISA-L (`isal`, this module its only home) on two threads.

A member asked for `fast` is deflated by ISA-L's deflate, where `isal` is installed (its wheels cover the usual
platforms; elsewhere zlib at the member's `level` does the same job more slowly): raw deflate like zlib's, which
any reader inflates, and several times faster (`FAST_LEVEL`). Every other member is deflated by zlib.

Both release the GIL while they compress, so the collection is deflated pigz-style: cut into `CHUNK`-byte pieces,
each compressed by a compressor of its own primed with the 32 KiB before it (`zdict`: the window the decompressor
will hold there) and ended by a sync flush (the last: the stream's end). Concatenated in order they are one valid
raw-deflate stream, which any reader (Anki's, `zipfile`) reads as it would zlib's own. The pieces, hence the bytes
written, do not depend on how many threads compressed them; a member of one piece deflated by zlib is exactly what
`zipfile.ZipFile` writes for it (tested), and so is every header, the central directory and the end records (ZIP64
where zipfile would use it: a member whose size could pass 2 GiB, offsets past it).
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import BinaryIO


def _isal() -> ModuleType | None:
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - a platform without its wheel: zlib deflates every member
        return None
    return isal_zlib


FAST: ModuleType | None = _isal()
"""ISA-L's zlib-like module, or None where `isal` is not installed."""
FAST_LEVEL = 2
"""ISA-L's level (0-3) for a `fast` member. The 100k bank's collection (303 MB), one thread: zlib at level 1 took
1.74 s and gave 59.3 MB; ISA-L at level 1 0.36 s, 58.1 MB; at 2, 0.37 s, 57.4 MB; at 3, 0.89 s, 54.7 MB."""

CHUNK = 1 << 20
"""Bytes of the collection per piece: 290 pieces at 100k (a sync flush costs 5 bytes; priming keeps the ratio:
the package came out 16 KB smaller than zipfile's). The threads hold a few pieces at a time: at 4 MiB the
export's tree Pss rose from 224 MB to 243 MB, at 1 MiB it stays at 225 MB."""
_WINDOW = 32 << 10  # deflate's window: what primes the next piece's compressor

ZIP64_LIMIT = (1 << 31) - 1  # zipfile's: sizes and offsets past it take ZIP64 fields
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCATOR64 = struct.Struct("<4sLQL")
_DEFLATED = 8
_VERSION, _ZIP64_VERSION = 20, 45
_UTF8_NAME = 0x800
_MODE = 0o600 << 16  # ?rw-------: what zipfile gives a member without one
_SYSTEM = 0 if sys.platform == "win32" else 3  # zipfile's "made by"


ZIP_LEVEL = 1
"""zlib's deflate level for an Anki package's collection where ISA-L is not installed (`FAST`, which deflates it
faster and smaller): Anki reads any. At 184,000 notes (a 379 MB collection of 4 KiB pages) level 1 takes 1.5 s
and gives 64 MB, level 6 (zlib's default) 6.1 s and 51 MB: a quarter larger, four times faster."""


def write_package_zip(collection: Path, path: Path, stamp: datetime, comment: bytes) -> None:
    """An Anki package at `path`: the `collection` file deflated as it is read (never held whole), by ISA-L where
    installed and on two threads where the machine has the cores, then the empty media list; dated `stamp`."""
    from quiz.parallel import cores

    write_zip(path, [Member("collection.anki2", collection, ZIP_LEVEL, fast=True), Member("media", b"{}")],
              zip_time(stamp), comment, threads=cores())


def zip_time(stamp: datetime) -> tuple[int, int, int, int, int, int]:
    """The stamp as a ZIP time, which can say only 1980-01-01 to 2107-12-31: a clock outside is clamped."""
    when = stamp.astimezone(timezone.utc).timetuple()[:6]
    return max((1980, 1, 1, 0, 0, 0), min((2107, 12, 31, 23, 59, 58), when))


@dataclass(frozen=True, slots=True)
class Member:
    """One member of the archive: a file's contents (read as it is deflated, never held whole) or bytes,
    deflated at `level` (zlib's default: what `zipfile.ZipFile.writestr` uses for a `ZipInfo` without one)."""

    name: str
    source: Path | bytes
    level: int = zlib.Z_DEFAULT_COMPRESSION
    fast: bool = False  # deflated by ISA-L at `FAST_LEVEL` where it is installed (else by zlib at `level`)


@dataclass(frozen=True, slots=True)
class _Written:
    name: bytes
    flags: int
    crc: int
    compressed: int
    size: int
    offset: int
    version: int


def write_zip(path: Path, members: Sequence[Member], when: tuple[int, int, int, int, int, int], comment: bytes,
              threads: int = 1, chunk: int | None = None) -> None:
    """The archive of `members`, in order, each dated `when` (a ZIP time: 1980 to 2107), with `comment`; a file
    member deflated in pieces of `chunk` bytes (default `CHUNK`) on up to `threads` threads (the output is the
    same for any number)."""
    chunk = CHUNK if chunk is None else chunk
    dosdate = (when[0] - 1980) << 9 | when[1] << 5 | when[2]
    dostime = when[3] << 11 | when[4] << 5 | (when[5] // 2)
    written: list[_Written] = []
    with open(path, "wb") as out:
        for member in members:
            written.append(_write_member(out, member, dosdate, dostime, threads, chunk))
        start = out.tell()
        for entry in written:
            _central(out, entry, dosdate, dostime)
        end = out.tell()
        _end(out, len(written), start, end - start, comment)


def _write_member(out: BinaryIO, member: Member, dosdate: int, dostime: int, threads: int, chunk: int) -> _Written:
    """A local header (written again once the CRC and compressed size are known), then the deflated data."""
    try:
        name, flags = member.name.encode("ascii"), 0
    except UnicodeEncodeError:
        name, flags = member.name.encode("utf-8"), _UTF8_NAME
    size = member.source.stat().st_size if isinstance(member.source, Path) else len(member.source)
    zip64 = size * 1.05 > ZIP64_LIMIT  # zipfile's rule: the compressed size may exceed the size a little
    offset = out.tell()
    out.write(_local(name, flags, 0, 0, size, zip64, dosdate, dostime))
    engine, level = (FAST, FAST_LEVEL) if member.fast and FAST is not None else (zlib, member.level)
    if isinstance(member.source, Path):
        with open(member.source, "rb") as source:
            crc, compressed, size = _deflate_file(source, out.write, engine, level, threads, chunk)
    else:
        packer = engine.compressobj(level, engine.DEFLATED, -15)
        data = packer.compress(member.source) + packer.flush()
        out.write(data)
        crc, compressed = engine.crc32(member.source), len(data)
    if not zip64 and (size > ZIP64_LIMIT or compressed > ZIP64_LIMIT):  # the file grew as it was read
        raise OSError(f"{member.name}: grew past 2 GiB while it was written")
    end = out.tell()
    out.seek(offset)
    out.write(_local(name, flags, crc, compressed, size, zip64, dosdate, dostime))
    out.seek(end)
    return _Written(name, flags, crc, compressed, size, offset, _ZIP64_VERSION if zip64 else _VERSION)


def _local(name: bytes, flags: int, crc: int, compressed: int, size: int, zip64: bool, dosdate: int,
           dostime: int) -> bytes:
    extra = struct.pack("<HHQQ", 1, 16, size, compressed) if zip64 else b""
    if zip64:
        compressed = size = 0xFFFFFFFF
    return _LOCAL.pack(b"PK\003\004", _ZIP64_VERSION if zip64 else _VERSION, 0, flags, _DEFLATED, dostime,
                       dosdate, crc, compressed, size, len(name), len(extra)) + name + extra


def _central(out: BinaryIO, entry: _Written, dosdate: int, dostime: int) -> None:
    fields: list[int] = []
    size, compressed, offset = entry.size, entry.compressed, entry.offset
    if size > ZIP64_LIMIT or compressed > ZIP64_LIMIT:
        fields += [size, compressed]
        size = compressed = 0xFFFFFFFF
    if offset > ZIP64_LIMIT:
        fields.append(offset)
        offset = 0xFFFFFFFF
    extra = struct.pack("<HH" + "Q" * len(fields), 1, 8 * len(fields), *fields) if fields else b""
    version = max(entry.version, _ZIP64_VERSION if fields else 0)
    out.write(_CENTRAL.pack(b"PK\001\002", version, _SYSTEM, version, 0, entry.flags, _DEFLATED, dostime, dosdate,
                            entry.crc, compressed, size, len(entry.name), len(extra), 0, 0, 0, _MODE, offset))
    out.write(entry.name + extra)


def _end(out: BinaryIO, count: int, start: int, size: int, comment: bytes) -> None:
    if count > 0xFFFF or start > ZIP64_LIMIT or size > ZIP64_LIMIT:
        at = out.tell()
        out.write(_END64.pack(b"PK\006\006", 44, 45, 45, 0, 0, count, count, size, start))
        out.write(_LOCATOR64.pack(b"PK\006\007", 0, at, 1))
        count, size, start = min(count, 0xFFFF), min(size, 0xFFFFFFFF), min(start, 0xFFFFFFFF)
    out.write(_END.pack(b"PK\005\006", 0, 0, count, count, size, start, len(comment)))
    out.write(comment)


def _deflate_file(source: BinaryIO, write: Callable[[bytes], object], engine: ModuleType, level: int, threads: int,
                  chunk: int) -> tuple[int, int, int]:
    """Deflate `source` into `write` with `engine` (zlib, or ISA-L's like module), piece by piece (see the
    module's docstring): its CRC-32, compressed size and size. At most `threads` pieces are compressed at once and
    one more read ahead."""
    crc = compressed = size = 0
    crc32 = engine.crc32
    if threads <= 1:
        for piece in _pieces(source, engine, level, chunk):
            crc, size = crc32(piece.data, crc), size + len(piece.data)
            data = piece.pack()
            write(data)
            compressed += len(data)
        return crc, compressed, size
    from concurrent.futures import Future, ThreadPoolExecutor

    pending: deque[Future[bytes]] = deque()
    with ThreadPoolExecutor(threads, thread_name_prefix="quiz-deflate") as pool:
        try:
            for piece in _pieces(source, engine, level, chunk):
                pending.append(pool.submit(piece.pack))
                crc, size = crc32(piece.data, crc), size + len(piece.data)  # as the pieces compress
                while len(pending) > threads:
                    data = pending.popleft().result()
                    write(data)
                    compressed += len(data)
            while pending:
                data = pending.popleft().result()
                write(data)
                compressed += len(data)
        finally:
            for future in pending:  # an error: the rest is not waited for
                future.cancel()
    return crc, compressed, size


@dataclass(frozen=True, slots=True)
class _Piece:
    data: bytes
    primer: bytes  # the data's last `_WINDOW` bytes before it (none for the first)
    last: bool
    engine: ModuleType  # zlib, or ISA-L's like module
    level: int

    def pack(self) -> bytes:
        engine = self.engine
        if self.primer:
            packer = engine.compressobj(self.level, engine.DEFLATED, -15, zdict=self.primer)
        else:
            packer = engine.compressobj(self.level, engine.DEFLATED, -15)
        return packer.compress(self.data) + packer.flush(engine.Z_FINISH if self.last else engine.Z_SYNC_FLUSH)


def _pieces(source: BinaryIO, engine: ModuleType, level: int, chunk: int) -> Iterator[_Piece]:
    """The file in `chunk`-byte pieces, each knowing whether it is the last (one read ahead): an empty file is
    one empty last piece."""
    primer = b""
    data = source.read(chunk)
    while True:
        following = source.read(chunk) if len(data) == chunk else b""
        yield _Piece(data, primer, not following, engine, level)
        if not following:
            return
        primer = data[-_WINDOW:]
        data = following
