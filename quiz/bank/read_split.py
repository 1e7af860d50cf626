"""A cold load's files read on two cores: the last bank root's files split in two, the second part read by a
forked child (`quiz.parallel.split_run`) while this process reads the first, its outcome merged after.

The child starts from this process's `Checker` as it is at the split (every file declaring a bank read already),
reads its files exactly as one process would, and sends back what they added: problems, references, ids,
eras, events, documents, tied years, digests, and its questions, pickled file by file into an unnamed temporary file
(never all in memory) and handed to the spill here in order. Reading a file only ever depends on what
came before it through a few things, each checked at the merge; when one of them shows the child read its
files differently from one process, its outcome is dropped and its files are read here again:

- an id defined both by the child's files and by this process's part (a duplicate across the split),
- a bank described (a `bank:` mapping) by a file of either part after the split.

So the problems (their order too), the bank and its questions are those of one process (tested against it);
only the pickled chunks of the cache may share strings differently (the same questions once decoded). A child
that fails costs time: its part is read here (`split_run`), and so is everything when one core is available
(`QUIZ_WORKERS=1`) or the files are few.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any

SPLIT_BYTES = 4 << 20
"""Below this many bytes of splittable files everything is read here: the fork and the questions sent back
would cost more than they save."""
CHILD_SHARE = 0.50
"""The child's share of the bytes: about half. This process reads the same bytes more slowly (it writes its
questions into the spill's chunks, on pages the child shares until then), the child sends back what it found
(~0.1 s at 100k). With 0.48 this process finished its part 0.25–0.7 s after the child, with 0.52 0.1–0.2 s
before."""


def split(order: Sequence[int], sizes: Sequence[int], movable: Sequence[bool],
          least: int = SPLIT_BYTES) -> tuple[list[int], list[int], list[int]] | None:
    """`order` as (read first here, then here while the child reads, the child's): the child's files are the end
    of the longest run at the end of `order` of `movable` files (of the last root, declaring no bank), about
    `CHILD_SHARE` of its bytes; None when that run has fewer than `least` bytes or two files."""
    start = len(order)
    while start > 0 and movable[order[start - 1]]:
        start -= 1
    run = list(order[start:])
    total = sum(sizes[i] for i in run)
    if len(run) < 2 or total < least:
        return None
    cut, taken = len(run), 0
    while cut > 1 and taken + sizes[run[cut - 1]] <= total * CHILD_SHARE:
        cut -= 1
        taken += sizes[run[cut]]
    if cut == len(run):
        cut -= 1
    return list(order[:start]), run[:cut], run[cut:]


class _Collected:
    """The child's spill: each file's questions pickled into `out`, their content hashes kept."""

    def __init__(self, out: Any) -> None:
        from quiz.bank.spill import _chunk_pickler

        self.out, self.pickler = _chunk_pickler(out)
        self.hashes: list[tuple[str, ...]] = []  # of each file's questions

    def add(self, questions: Sequence[Any]) -> None:
        questions = tuple(questions)
        self.pickler.dump(questions)
        self.pickler.clear_memo()  # or it would keep every question of the child alive
        self.hashes.append(tuple(q.content_hash() for q in questions))


_LISTS = ("problems", "era_refs", "doc_refs", "event_refs", "documents", "eras", "events", "later_ties")


def _mark(checker: Any) -> dict[str, Any]:
    mark: dict[str, Any] = {name: len(getattr(checker, name)) for name in _LISTS}
    mark["ids"] = len(checker.ids)
    mark["era_banks"] = len(checker.era_banks)
    mark["infos"] = dict(checker.infos)
    return mark


def read_two(checker: Any, read: Callable[[int], None], middle: Sequence[int], tail: Sequence[int],
             outcome: Callable[[Sequence[int]], Any], merge_outcome: Callable[[Any], None]) -> bool:
    """Read `middle` here and `tail` in a child (or here, after, when there is none); `read(i)` reads file i into
    `checker`. `outcome(files)` is what else the child must send back of its files (digests, those it could not
    read), `merge_outcome` takes it here. True when the child's reading was used."""
    from quiz.parallel import split_run, workers

    mark = _mark(checker)
    parent = os.getpid()
    store = _store(checker.spill.directory) if workers() > 1 else None
    if store is None:  # one process (or no temporary file can be made): all here
        for index in (*middle, *tail):
            read(index)
        return False
    with store:

        def work(part: int, parts: int) -> Any:
            if part == 0:
                for index in middle:
                    read(index)
                return None
            if os.getpid() == parent:  # no child, or it failed: read here, after the middle, as one process would
                for index in tail:
                    read(index)
                return None
            collected = checker.spill = _Collected(store)
            for index in tail:
                read(index)
            store.flush()
            return _delta(checker, mark, collected, outcome(tail))

        checker.spill.flush()  # nothing of the scratch file buffered when the child drops its copy of the spill
        delta = split_run(work, 2)[1]
        if delta is None:
            return False
        if not _mergeable(checker, mark, delta):
            del delta
            for index in tail:
                read(index)
            return False
        store.seek(0)
        _merge(checker, delta, store)
    merge_outcome(delta["outcome"])
    return True


def _store(directory: Any) -> Any:
    """The unnamed temporary file the child pickles its questions into (beside the spill's scratch file, else in
    the system's temporary folder): read back here file by file, they are never all in memory, nor sent whole
    through a pipe. None when none can be made."""
    import tempfile

    for place in (directory, None) if directory is not None else (None,):
        try:
            if place is not None:
                place.mkdir(parents=True, exist_ok=True)
            return tempfile.TemporaryFile(dir=place, prefix="read-")
        except OSError:
            continue
    return None


def _delta(checker: Any, mark: dict[str, Any], collected: _Collected, outcome: Any) -> dict[str, Any]:
    delta: dict[str, Any] = {name: getattr(checker, name)[mark[name]:] for name in _LISTS}
    for name in ("era_refs", "doc_refs", "event_refs"):  # those defined since they were made: never reported
        refs = getattr(checker, name)
        delta[name] = [ref for ref in delta[name] if not refs.defined(ref)]
    delta["ids"] = list(checker.ids.items())[mark["ids"]:]
    delta["era_banks"] = list(checker.era_banks.items())[mark["era_banks"]:]
    delta["infos"] = checker.infos
    delta["ties"] = checker.ties
    delta["outcome"] = outcome
    delta["hashes"] = collected.hashes
    return delta


def _mergeable(checker: Any, mark: dict[str, Any], delta: dict[str, Any]) -> bool:
    """Whether the child read its files as one process would have (see the module doc)."""
    if checker.infos != mark["infos"] or delta["infos"] != mark["infos"]:
        return False
    ids = checker.ids
    if any(key in ids for key, _ in delta["ids"]):
        return False
    return True


def _merge(checker: Any, delta: dict[str, Any], store: Any) -> None:
    for name in _LISTS:
        list.extend(getattr(checker, name), delta[name])  # not `_Refs.append`: these were checked by the child
    checker.ids.update(delta["ids"])
    checker.era_banks.update(delta["era_banks"])
    checker.era_ids.update(era.id for era in delta["eras"])
    checker.event_ids.update(event.id for event in delta["events"])
    checker.doc_ids.update(doc.id for doc in delta["documents"])
    for event_id, years in delta["ties"].items():
        checker.ties.setdefault(event_id, set()).update(years)
    bank_ids = {checker.bank_id: checker.bank_id}
    for hashes in delta.pop("hashes"):
        questions = pickle.load(store)  # (its own memo: one for every file would keep them all alive)
        for q in questions:  # the bank's id as this process holds it (so chunks pickle it as one would)
            same = bank_ids.get(q.bank)
            if same is not None:
                object.__setattr__(q, "bank", same)
        checker.spill.add(questions, hashes)
        del questions
