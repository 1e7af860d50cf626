"""The reveal search of a large bank split over the machine's cores (`quiz.parallel.split_run`).

Both passes of `quiz.bank.facts._find` go by question, so each is split into contiguous runs of the bank: the
first pass into one run a part (part 0 here, the others in forked children), the scan into many short runs shared
out to the parts as they get through them (`shared_scan`). The first pass's columns and the scan's reveals of
each run come back in run order and are joined as one pass over the whole bank would have found them (a
revealer's index renumbered).
A child sends back columns only (strings, arrays, bytes; a place as its file's index and line), never `Reveal`s
or questions.

The questions may be a bank's lazy sequence (`quiz.bank.cache._CachedSequence`), decoding its chunks from the
cache file or a cold load's scratch file by `os.pread`: a run decodes only its own chunks (`span`), and reading
never moves a file offset shared with a child. A scratch file's buffered writes are flushed before the fork
(`settle`), so a child's read cannot flush them a second time.

Only a bank of `SPLIT_AT` questions or more is split: below, a fork costs more than it saves, and everything runs
here as before. `QUIZ_WORKERS=1` runs every part here: the same results (tested).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import islice, pairwise
from typing import Any, TypeVar

from quiz import parallel
from quiz.bank.cache import _CHUNK, _CachedSequence
from quiz.bank.reveal_scan import _Found
from quiz.model import Location, Question

T = TypeVar("T")

SPLIT_AT = 5_000
"""A bank with fewer questions is searched in this process only (a fork and the columns sent back cost ~0.1 s)."""


def parts_for(size: int) -> int:
    """How many parts a bank of `size` questions is searched in."""
    return parallel.workers() if size >= SPLIT_AT else 1


def bounds(questions: Sequence[Question], parts: int) -> list[tuple[int, int]]:
    """The questions [start, stop) of each part: contiguous, in order, each starting on a chunk of `_CHUNK`; a
    lazy bank's split where its chunks' sizes are halved (their texts, which the passes' time goes by: a bank's
    hand-written questions are longer than its generated ones), any other by number."""
    size = len(questions)
    chunks = -(-size // _CHUNK)
    if isinstance(questions, _CachedSequence):
        offsets = questions._offsets
        whole = offsets[-1] - offsets[0]
        cuts = [bisect_left(offsets, offsets[0] + whole * part / parts) for part in range(1, parts)]
    else:
        cuts = [-(-chunks * part // parts) for part in range(1, parts)]
    edges = [0, *(min(size, cut * _CHUNK) for cut in cuts), size]
    return list(pairwise(edges))


def span(questions: Sequence[Question], start: int, stop: int) -> Iterator[Question]:
    """`questions[start:stop]` in order, decoding only the chunks of a lazy bank that hold them (kept decoded, or
    dropped after use, as iterating the bank would). A large bank's chunks decoded by earlier lookups are not
    reused but decoded again (`quiz study` looks up every new question before its day plan needs the reveals): a
    forked part touching them would have the pages holding them copied, hundreds of MB at 100,000 questions."""
    if not isinstance(questions, _CachedSequence) or start % _CHUNK:
        yield from islice(questions, start, stop)
        return
    source, offsets, keep = questions._source, questions._offsets, questions._keep
    for index in range(start // _CHUNK, -(-stop // _CHUNK)):
        chunk = questions._chunks[index] if keep else None
        if chunk is None:
            chunk = questions._chunk(index) if questions._keep else source.decode(offsets[index], offsets[index + 1])
        end = stop - index * _CHUNK
        yield from (chunk if end >= len(chunk) else chunk[:end])


def settle(questions: Sequence[Question]) -> None:
    """Flush a cold load's scratch file (`quiz.bank.spill.Scratch`) before a fork: its last chunk may still be in
    the buffer, which a child reading it (a read flushes) would write to the file a second time."""
    if isinstance(questions, _CachedSequence) and questions._source.path is None:
        file = getattr(questions._source.handle, "file", None)
        if file is not None:
            file.flush()


def split(questions: Sequence[Question], parts: int, work: Callable[[Iterator[Question]], T]) -> list[T]:
    """`work` of each run of the questions, in order: part 0 here, the others in forked children."""
    settle(questions)
    runs = bounds(questions, parts)
    return parallel.split_run(lambda part, n: work(span(questions, *runs[part])), parts)


_Places = tuple[list[str], "array[int]"]
"""Places as columns: the files, and for each place the index of its file (-1: no place) and its line."""


def pack_places(places: Sequence[Location | None]) -> _Places:
    files: dict[str, int] = {}
    out = array("q")
    for at in places:
        if at is None:
            out.extend((-1, 0))
        else:
            out.extend((files.setdefault(at.path, len(files)), at.line))
    return list(files), out


def unpack_places(packed: _Places) -> list[Location | None]:
    files, columns = packed
    return [Location(files[f], line) if f >= 0 else None for f, line in zip(columns[::2], columns[1::2], strict=True)]


_Reveals = tuple[list[str], _Places, bytes, "array[int]", "array[int]", bytes]


RUN = 4 * _CHUNK
"""Questions in a run of a split scan (`shared_scan`; more in a bank of more than `parallel.MAX_RUNS` runs)."""


def shared_scan(questions: Sequence[Question], found: _Found,
                scanner: Callable[[], Callable[[Iterator[Question], _Found], None]]) -> None:
    """Append to `found` the reveals of `questions` (as one pass over them finds them, in bank order), the bank
    scanned in runs of `RUN` questions shared out to the parts as they get through them
    (`quiz.parallel.split_claimed`): what a run costs is not known before (a bank's hand-written questions and
    its generated ones differ, the memo of pieces pays off unevenly), so no part waits long for the other, and
    each part goes through neighbouring runs, whose pieces its memo has. `scanner()` makes a part's scan (its
    memo made once, kept from run to run): (questions, found) -> their reveals appended to `found`."""
    settle(questions)
    size = len(questions)
    step = max(RUN, -(-size // parallel.MAX_RUNS // _CHUNK) * _CHUNK)  # whole chunks, at most MAX_RUNS runs
    runs = [(start, min(start + step, size)) for start in range(0, size, step)]

    def part(granted: Iterator[int]) -> list[tuple[int, _Reveals]]:
        scan = scanner()
        return [(run, scan_part(found, partial(scan, span(questions, *runs[run])))) for run in granted]

    join_reveals(found, parallel.split_claimed(part, len(runs)))


def scan_part(found: _Found, scan: Callable[[_Found], None]) -> _Reveals:
    """The reveals `scan` finds into a copy of `found` (the same targets, no revealer yet), as columns."""
    mine = _Found(found.size, found.target_ids, found.shown, found.years, found.target_at, [], [], bytearray(),
                  array("l"), array("l"), bytearray())
    scan(mine)
    return (mine.revealer_ids, pack_places(mine.revealer_at), bytes(mine.drafts), mine.revealers, mine.targets,
            bytes(mine.codes))


def join_reveals(found: _Found, parts: Sequence[_Reveals]) -> None:
    """Append each part's reveals to `found`, in part order, its revealers renumbered after those before."""
    for revealer_ids, places, drafts, revealers, targets, codes in parts:
        base = len(found.revealer_ids)
        found.revealer_ids.extend(revealer_ids)
        found.revealer_at.extend(unpack_places(places))
        found.drafts.extend(drafts)
        found.revealers.extend(array("l", map(base.__add__, revealers)) if base else revealers)
        found.targets.extend(targets)
        found.codes.extend(codes)


def joined(parts: Sequence[Sequence[Any]]) -> list[Any]:
    """Each column of the parts' results, joined in part order (the parts' columns are lists, arrays or bytes):
    the first part's lists and arrays are extended in place, not copied (the parts are the caller's to give up)."""
    out: list[Any] = []
    for column in zip(*parts, strict=True):
        first = column[0]
        whole = bytearray(first) if isinstance(first, bytes) else first  # the first part's own (mutable) column
        if not isinstance(whole, (bytearray, array, list)):
            whole = list(whole)
        for more in column[1:]:
            whole.extend(more)
        out.append(whole)
    return out
