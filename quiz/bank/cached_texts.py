"""A bank's columns kept as text and read on demand: question ids, content hashes and event links (in the bank
cache's body), and reveals (in a file of their own beside it, `quiz.bank.reveal_store`). Each is one string
(`marshal` reads a string in one copy), read from its file and made into the sequence or mapping it stands for
only when used, so a warm run that needs none of them (`quiz due`, `quiz stats`: all but the ids) pays nothing
for them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any


class _TextBacked:
    """One header text (`text`, as the bank cache keeps it), made into what it stands for on first use. The text
    itself may come later: given as a function, it is called on first use (the cache reads each text from its
    file only then: `quiz.bank.cache.read_cache`)."""

    __slots__ = ()
    _raw: str | Callable[[], str]

    @property
    def _text(self) -> str:
        raw = self._raw
        if not isinstance(raw, str):
            raw = raw()
            self._raw = raw  # type: ignore[misc]  # each subclass has the slot
        return raw

    @property
    def text(self) -> str:
        """The text it was made from (as the bank cache's header keeps it)."""
        return self._text

    @property
    def pending(self) -> Callable[[], str] | None:
        """The function that gives the text, while it has not been called; None once the text is known."""
        raw = self._raw
        return None if isinstance(raw, str) else raw


class _Lines(_TextBacked):
    """A text of `count` lines, split on first use (`_list`)."""

    __slots__ = ("_raw", "_count", "_list")
    _list: Any

    def __init__(self, text: str | Callable[[], str], count: int) -> None:
        self._raw = text
        self._count = count
        self._list = None


class _Ids(_Lines, Sequence[str]):
    """The cached question ids, one string split on first use (100,000 ids: ~10 ms a warm `quiz due` skips)."""

    __slots__ = ("_found", "_positions")
    _list: list[str] | None
    _found: dict[str, int | None]
    _positions: dict[str, int]

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

    def positions(self) -> dict[str, int]:
        """Id -> position (the last of an id written twice wins), built once and shared by every index over these
        ids (`by_id`, `hashes`, `links`): ~8 MB at 100,000 ids, which a first export would otherwise build twice."""
        index = getattr(self, "_positions", None)
        if index is None:
            index = self._positions = {qid: i for i, qid in enumerate(self._ids())}
        return index

    def find(self, qid: str) -> int | None:
        """The position of `qid` (-1: absent), found in the text itself: ~0.7 ms at 100,000 ids, where splitting
        them and indexing every id takes ~35 ms. None when the index must decide: an id written twice (the last
        wins there) or one that cannot be a line."""
        if self._list is not None or not qid or "\n" in qid or not self._count:
            return None
        found = getattr(self, "_found", None)
        if found is not None and qid in found:
            return found[qid]
        at = self._start(qid)
        return at if at is None or at < 0 else self._text.count("\n", 0, at)

    def find_all(self, qids: Iterable[str]) -> None:
        """Find many ids at once, for `find` to answer from: each as `find` finds it, the lines before them all
        counted in one pass over the text (a count for each costs 20 of them for `quiz stats`' 20 prompts)."""
        if self._list is not None or not self._count:
            return
        found = getattr(self, "_found", None)
        if found is None:
            found = self._found = {}
        starts = {qid: self._start(qid) for qid in set(qids) if qid and type(qid) is str and "\n" not in qid}
        text, line, last = self._text, 0, 0
        for qid, at in sorted(starts.items(), key=lambda item: -1 if item[1] is None else item[1]):
            if at is None or at < 0:
                found[qid] = at
                continue
            line += text.count("\n", last, at)
            found[qid], last = line, at

    def _start(self, qid: str) -> int | None:
        """Where the line `qid` starts in the text; -1 when absent, None when it is written twice."""
        text = self._text
        at = _line_at(text, qid)
        if at < 0:
            return -1
        return None if _line_at(text, qid, at + 1) >= 0 else at


def id_positions(ids: Sequence[str]) -> dict[str, int]:
    """Id -> position among `ids` (the last of an id written twice wins); the bank cache's ids build it once."""
    return ids.positions() if isinstance(ids, _Ids) else {qid: i for i, qid in enumerate(ids)}


def _line_at(text: str, line: str, start: int = 0) -> int:
    """Where the first whole line equal to `line` starts in `text`, at or after `start`; -1 when none does."""
    if start == 0 and (text.startswith(line + "\n") or text == line):
        return 0
    at = text.find("\n" + line + "\n", max(start - 1, 0))
    if at >= 0:
        return at + 1
    end = len(text) - len(line)
    if end >= start and end > 0 and text.endswith("\n" + line):
        return end
    return -1


class _Hashes(_TextBacked, Sequence[str]):
    """The cached content hashes: one string of 24-character hashes, sliced on demand (`count` of them: known
    without the text, else its length says)."""

    __slots__ = ("_raw", "_count")

    def __init__(self, text: str | Callable[[], str], count: int | None = None) -> None:
        self._raw = text
        self._count = count

    def __len__(self) -> int:
        return len(self._text) // 24 if self._count is None else self._count

    def __getitem__(self, index: Any) -> Any:
        return self._text[24 * index:24 * index + 24]


class _Links(_Lines, Sequence[tuple[str, ...]]):
    """The cached event links of every question: one line per question, event ids separated by commas."""

    __slots__ = ()
    _list: list[tuple[str, ...]] | None

    def _links(self) -> list[tuple[str, ...]]:
        if self._list is None:
            lines = self._text.split("\n") if self._count else []
            self._list = [tuple(line.split(",")) if line else () for line in lines]
        return self._list

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self._links()[index]


class _Reveals(_TextBacked, Mapping[str, tuple[str, ...]]):
    """A bank's reveals (question id -> the ids it reveals): one line per revealer, `id<TAB>id,id`, parsed on
    first use (at 100,000 questions, ~75,000 revealers: a dict of tuples would take ~150 ms to unmarshal in every
    run, `quiz due` and `quiz stats` included, which never look at it). Its text is found on first use too
    (`quiz.bank.reveal_store`); any text is read without error (a line without a tab reveals nothing)."""

    __slots__ = ("_raw", "_dict")

    def __init__(self, text: str | Callable[[], str]) -> None:
        self._raw = text
        self._dict: dict[str, tuple[str, ...]] | None = None

    @staticmethod
    def pack(reveals: Mapping[str, Sequence[str]]) -> str:
        return "\n".join(f"{qid}\t{','.join(targets)}" for qid, targets in reveals.items())

    def _reveals(self) -> dict[str, tuple[str, ...]]:
        if self._dict is None:
            pairs = (line.partition("\t") for line in self._text.split("\n")) if self._text else ()
            self._dict = {qid: tuple(targets.split(",")) if targets else () for qid, _, targets in pairs}
        return self._dict

    def __getitem__(self, qid: str) -> tuple[str, ...]:
        return self._reveals()[qid]

    def __iter__(self) -> Iterator[str]:
        return iter(self._reveals())

    def __len__(self) -> int:
        return len(self._reveals())


def pack_texts(texts: Mapping[str, str], out: Any, crcs: dict[int, int]) -> dict[str, tuple[int, int]]:
    """Each text marshalled into `out` (the bank cache's body, before its chunks), with its CRC in `crcs` as the
    chunks have theirs: name -> (begin, end)."""
    import marshal
    import zlib

    spans = {}
    for name, text in texts.items():
        data = marshal.dumps(text)
        begin = out.tell()
        crcs[begin] = zlib.crc32(data)
        out.write(data)
        spans[name] = (begin, begin + len(data))
    return spans
