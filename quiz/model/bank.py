"""A loaded bank as one value: `Bank` (eras, events, every question, and what is derived from them once) and
`BankInfo` (what a bank says about itself)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

try:  # blake2b without hashlib, which loads OpenSSL (~4 ms at start-up) for hashes quiz never uses
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

from quiz.model.content import LANGS, Document, Era, Event, Lang, Location, Question, Text


def sync_fingerprint(entries: Sequence[tuple[str, str, str, str]]) -> str:
    """A hash of a whole (id, content hash, era, kind) list, in order: what the store compares to skip a sync."""
    digest = blake2b(digest_size=16)
    # Each entry's fields joined by \x1f and ended by \x1e, hashed 1,024 entries at a time (one update each:
    # the digest of the bytes is that of their pieces hashed in turn).
    for start in range(0, len(entries), 1024):
        digest.update(("\x1e".join(["\x1f".join(entry) for entry in entries[start:start + 1024]]) + "\x1e")
                      .encode("utf-8"))
    return f"{len(entries)}:{digest.hexdigest()}"


@dataclass(frozen=True, slots=True)
class BankInfo:
    """What a bank says about itself (its `bank:` mapping, by convention in `bank.yaml`): what students and
    teachers are shown instead of the built-in subject.

    - `id`: stable, unique among the banks loaded (Anki GUIDs carry it); default the bank folder's name, slugified.
    - `title`: the bank's name; `deck`: the Anki deck name (default the title); `subject`: what prompts and help
      may call the topic (default the title); `description`: a sentence or two about it.
    - `languages`: the languages the bank is written in; `builtin`: the bank shipped with quiz.
    """

    id: str
    title: Text = Text()
    deck: Text = Text()
    description: Text = Text()
    subject: Text = Text()
    languages: tuple[Lang, ...] = LANGS
    builtin: bool = False
    loc: Location | None = field(default=None, compare=False)

    def deck_name(self, lang: Lang) -> str:
        """The Anki deck name in `lang` (the other language, then the id, when it is missing)."""
        return self.deck.get(lang) or self.title.get(lang) or self.id

    def subject_text(self, lang: Lang) -> str:
        """What the topic may be called in `lang`: the subject, else the title, else the id."""
        return self.subject.get(lang) or self.title.get(lang) or self.id


@dataclass(frozen=True, slots=True)
class Bank:
    """An immutable, validated bank: eras, events, and every question (hand-written and generated).

    A bank read from the bank cache decodes its events and questions on first use (`questions` is then a
    read-only sequence, equal to the tuple it stands for), so a command that needs a few questions, or none,
    does not pay for a hundred thousand.
    """

    eras: tuple[Era, ...]
    events: Sequence[Event]
    questions: Sequence[Question]
    documents: tuple[Document, ...] = ()
    infos: tuple[BankInfo, ...] = ()  # one per bank root loaded, the built-in bank first when included
    by_id: Mapping[str, Question] = field(default_factory=dict, compare=False, repr=False)
    hashes: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    fingerprint: str = field(default="", compare=False, repr=False)
    links: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    """Question id -> the ids of the events it asks about (its facts); questions without events may be absent."""
    reveals: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    """Question id -> the ids of the questions whose answer it shows (in its prompt, choices, answer or
    explanation); found on first use (`quiz.bank.facts.reveal_map`), not by every load, and kept beside the bank
    cache (`quiz.bank.reveal_store`): only the day plan and the linter need them."""
    _by_event: dict[str, tuple[str, ...]] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Derived once when the bank is built (and kept in the bank cache): lookups, content hashes, and the
        # fingerprint of what a sync writes to the store.
        if not self.by_id and self.questions:
            object.__setattr__(self, "by_id", {q.id: q for q in self.questions})
        if not self.hashes and self.questions:
            object.__setattr__(self, "hashes", {q.id: q.content_hash() for q in self.questions})
        if not self.links and self.questions:
            object.__setattr__(self, "links", {q.id: q.events for q in self.questions if q.events})
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", sync_fingerprint(self.sync_entries()))

    def sync_entries(self) -> list[tuple[str, str, str, str]]:
        """(id, content hash, era, kind) of every studyable question, in the order new questions are introduced:
        era by era, oldest first, and within an era interleaved (`_interleaved`): every fact's first question,
        then every fact's second, ..., the kinds alternating within each round."""
        era_rank = {era.id: index for index, era in enumerate(sorted(self.eras, key=lambda e: (e.start, e.end)))}
        by_era: dict[int, list[_Entry]] = {}
        shared: dict[str, str] = {}  # an era's id held once
        for q in _each(self.questions):
            if not q.draft:
                era = shared.setdefault(q.era, q.era)
                by_era.setdefault(era_rank.get(era, len(era_rank)), []).append(
                    (q.id, era, q.kind.value, q.events[0] if q.events else "\x00" + q.id,
                     _RANKS[bool(q.requires)][q.generated]))
        hashes = self.hashes
        out: list[tuple[str, str, str, str]] = []
        for rank in sorted(by_era):
            entries = by_era.pop(rank)
            order = interleaved_order([e[3] for e in entries], [e[4] for e in entries], [e[2] for e in entries])
            out.extend((qid, hashes[qid], era, kind) for qid, era, kind, *_ in map(entries.__getitem__, order))
        return out

    def events_of(self, qid: str) -> tuple[str, ...]:
        """The ids of the events (facts) a question asks about."""
        return self.links.get(qid, ())

    def by_event(self) -> Mapping[str, tuple[str, ...]]:
        """Event id -> the ids of the questions asking about it, in bank order (built once, on first use)."""
        index = self._by_event
        if index is None:
            lists: dict[str, list[str]] = {}
            for qid, events in self.links.items():
                for event in events:
                    lists.setdefault(event, []).append(qid)
            index = {event: tuple(ids) for event, ids in lists.items()}
            object.__setattr__(self, "_by_event", index)
        return index

    def siblings(self, qid: str) -> tuple[str, ...]:
        """The other questions sharing an event with `qid` (its siblings), in bank order, each once."""
        events = self.links.get(qid, ())
        if not events:
            return ()
        index = self.by_event()
        if len(events) == 1:
            return tuple(other for other in index.get(events[0], ()) if other != qid)
        found = dict.fromkeys(other for event in events for other in index.get(event, ()))
        found.pop(qid, None)
        return tuple(found)

    def content_hash(self, qid: str) -> str:
        """The content hash of a question of this bank (computed once, when the bank was built)."""
        return self.hashes[qid]

    def question(self, qid: str) -> Question | None:
        return self.by_id.get(qid)

    def era(self, era_id: str) -> Era | None:
        for era in self.eras:
            if era.id == era_id:
                return era
        return None

    def info(self, bank_id: str) -> BankInfo | None:
        """The description of a loaded bank, by its id."""
        for info in self.infos:
            if info.id == bank_id:
                return info
        return None

    def document(self, doc_id: str) -> Document | None:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        return None

    def studyable(self) -> tuple[Question, ...]:
        """Questions that may be studied and exported: everything but drafts."""
        return tuple(q for q in self.questions if not q.draft)


_Entry = tuple[str, str, str, str, tuple[bool, bool]]
"""What a sync keeps of a question until its era is ordered: id, era, kind, group (`interleaved_order`), rank."""
_RANKS = ((False, False), (False, True)), ((True, False), (True, True))
"""A question's rank in its group, (requires another, generated): four tuples, each held once."""


def _each(items: Sequence[Question]) -> Iterable[Question]:
    """`items` in order; a cached bank's lazily decoded questions through their `stream` (`quiz.bank.cache`),
    each chunk dropped once used, so that a pass over 100,000 questions holds 64 at a time."""
    stream = getattr(items, "stream", None)
    return stream() if callable(stream) else items


def interleaved_order(groups: Sequence[str], ranks: Sequence[tuple[bool, bool]],
                      kinds: Sequence[Hashable]) -> list[int]:
    """The order (positions) in which one era's questions are introduced, from what decides it for each question:
    its group (its first event; a question without events is a group of its own), its rank in the group (whether
    it `requires` another, whether it is generated) and its kind. A group lists hand-written questions first,
    then generated ones, and a form that `requires` another after it. Round r holds the r-th question of every
    group, groups in bank order; within a round the kinds take turns. So a session meets many facts before any
    fact twice, and never a block of one kind."""
    members_of: dict[str, list[int]] = {}
    for position, group in enumerate(groups):
        members_of.setdefault(group, []).append(position)
    rounds: list[list[int]] = []
    for members in members_of.values():
        members.sort(key=lambda p: (ranks[p], p))
        for r, position in enumerate(members):
            if r == len(rounds):
                rounds.append([])
            rounds[r].append(position)
    out: list[int] = []
    for round_ in rounds:
        seen: dict[Hashable, int] = {}
        turn: list[int] = []
        for position in round_:
            kind = kinds[position]
            turn.append(seen.get(kind, 0))
            seen[kind] = turn[-1] + 1
        rank = {kind: i for i, kind in enumerate(dict.fromkeys(kinds[p] for p in round_))}
        order = sorted(range(len(round_)), key=lambda i: (turn[i], rank[kinds[round_[i]]]))
        out.extend(round_[i] for i in order)
    return out
