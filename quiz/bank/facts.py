"""What questions know about each other through their facts: reveals and proposed links.

- A question **reveals** another when its prompt, its choices (a wrong option: only a sibling's), its answer
  (shown in the feedback) or its explanation contains the other's answer: the year of a year question (any
  question whose answer is a year it asks for), or the answer of a hand-written typed, cloze or choice
  question when that answer has at least 4 letters. Texts are compared as words after
  `quiz.grading.normalize` (a leading Arabic article `ال` and a leading English `the` dropped), on word
  boundaries.
  A year reveals only in a question about the same event (a sibling, or one naming key words of its title),
  and never as an option: a wrong year offered as an option states nothing.
  Siblings (questions sharing an event) are shown on different days anyway: a sibling's explanation or answer
  stating the other's answer is expected ("after" places); its prompt or choices stating it is still a reveal
  (the linter reports it), because it hands the answer over before the question is asked.
- A **proposed link**: a hand-written question without `events:` whose texts name an event's year and the key
  words of its title is probably about that event.

Everything here is linear in the size of the bank: answers are indexed by their rarest word, events by year;
each question's texts are looked up as one run of pieces and scanned once for those words (positions found in
C). Two passes over the questions, in order: the first for what can be revealed, the second for what reveals
it; no question is kept after its turn (the bank may be a lazy sequence decoding it from disk), and the reveals
found are ids and small strings.

A bank of `quiz.bank.reveal_parts.SPLIT_AT` questions or more has each pass split over the cores, in contiguous
runs of the bank (`quiz.bank.reveal_parts`): the same reveals, in the same order.

The index and the second pass are `quiz.bank.reveal_scan`'s (with `_places`, what a question shows, imported
here), the second pass by words' codes `quiz.bank.reveal_codes`' (the same reveals, less Python work per word);
this module keeps the words, the first pass and what is made of the reveals found.
"""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import is_
from typing import Any

from quiz.bank import reveal_codes
from quiz.bank.cache import _CachedSequence, pause_gc, resume_gc
from quiz.bank.plain_text import ARABIC_PLAIN as _ARABIC_PLAIN  # noqa: F401  (imported from here)
from quiz.bank.plain_text import ARABIC_RUN, plain_tokens, plain_words
from quiz.bank.reveal_parts import joined, pack_places, parts_for, shared_scan, split, unpack_places
from quiz.bank.reveal_scan import PLACES, _anchored, _Found, _Index, _places, _scan, _Topic, answer_sizes, indexed  # noqa: F401  (_places: imported from here)
from quiz.grading import normalize
from quiz.model import LANGS, Event, Kind, Lang, Location, Question

MIN_LETTERS = 4
BEFORE = ("prompt", "choices")
"""Places seen before the question is answered; `answer` and `explanation` come after (with the feedback)."""
WORD_RUN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+")
"""A word: a number (with its decimals) or a run of letters."""
_YEAR = re.compile(r"^\d{3,4}$")
_ASKS_YEAR = re.compile(r"\byears?\b|\bwhen\b|عام|سنة|متى", re.IGNORECASE)
_STOP = frozenset(
    "the and for from with into over under between against after before about during their this that which "
    "first second united states russia russian soviet union american treaty "
    "ولايات متحده روسيا روسي روسيه اتحاد سوفياتي سوفيتي امريكي امريكيه معاهده بين".split()
)


@dataclass(frozen=True, slots=True)
class Reveal:
    """Question `revealer_id` shows question `target_id`'s answer (`shown`, in `lang`) in one of its places: ids
    and small strings only, with what the linter reports it by (the revealer's place in its file and whether it is
    a draft; where the target is written)."""

    revealer_id: str
    target_id: str
    place: str  # prompt, choices, answer or explanation
    lang: Lang
    shown: str
    siblings: bool
    year: bool = False  # the target's answer is a year it asks for (`asks_year`)
    restates: bool = False  # the place is the revealer's answer and it is `shown`, word for word
    at: Location | None = None  # where the revealer is written (None: nowhere, a test's question)
    draft: bool = False  # the revealer is an unfinished draft
    target_at: Location | None = None  # where the target is written

    @property
    def reported(self) -> bool:
        """Whether the linter reports it: always, except a sibling's answer or explanation."""
        return not self.siblings or self.place in BEFORE


class _Pieces(dict[str, tuple[str, ...]]):
    """Whitespace-separated piece -> its words (the same word objects each time: their hashes are kept), each
    piece worked out on first use; emptied when it grows past `kept` pieces."""

    __slots__ = ("kept",)

    def __init__(self, kept: int) -> None:
        super().__init__()
        self.kept = kept

    def __missing__(self, piece: str) -> tuple[str, ...]:
        if len(self) >= self.kept:
            self.clear()
        found = self[piece] = _piece_words(piece)
        return found

    def words(self, pieces: list[str]) -> tuple[str, ...]:
        """The words of `pieces`, in order (each piece worked out on first use)."""
        return tuple(chain.from_iterable(map(self.__getitem__, pieces)))


_PIECES_KEPT = 1 << 19
_PIECES = _Pieces(_PIECES_KEPT)
_SCAN_KEPT = 1 << 16
"""Pieces a part of a split scan remembers: each part starts its own memo (one inherited from this process would
be written to by every lookup, its pages copied into each child), kept small (a memo growing into the heap's
free space writes to pages shared with the other parts)."""


_CODES_KEPT = 1 << 18
"""Pieces the coded scan remembers (`quiz.bank.reveal_codes.Pieces`), in each part: every piece of a part of the
100k bench bank (~134,000 distinct in each half). A smaller memo, emptied again and again, works many of them out
several times (65,536: 612,000 pieces worked out in a part instead of 134,000, ~0.6 s more of its CPU). `quiz
validate` of that bank measured a tree Pss of 212 MB with 65,536 pieces a part and 220 MB with 262,144, now that
the scan's parts no longer touch the index it was coded from, nor every answer (237 MB and 247 MB before)."""


def _pieces_words(pieces: list[str]) -> tuple[str, ...]:
    """The words of `pieces`, in order (each piece worked out on first use)."""
    return _PIECES.words(pieces)


def _piece_words(piece: str) -> tuple[str, ...]:
    """The words of one whitespace-free piece (a leading Arabic article dropped from each)."""
    found = piece_tokens(piece)
    if len(found) == 1:  # most pieces: one word
        word = found[0]
        if word.startswith("ال") and len(word) > 3 and not word[2:].isdigit():
            return (word[2:],)
        return found
    out: list[str] = []
    for word in found:
        if word.startswith("ال") and len(word) > 3 and not word[2:].isdigit():
            word = word[2:]
        out.append(word)
    return tuple(out)


def piece_tokens(piece: str) -> tuple[str, ...]:
    """`WORD_RUN` of a whitespace-free piece's normal form (`quiz.grading.normalize`), worked out without
    normalising for the plainest pieces (most of a bank's words): ASCII letters only (lower-cased), ASCII digits
    only, or Arabic letters that normalising leaves as they are (`ARABIC_RUN`: no two of them compose); then for
    any other plain piece (`quiz.bank.plain_text`: letters folded, punctuation such as a question's '?' or a
    cloze's braces), by one regular expression."""
    if piece.isascii():
        if piece.isalpha():
            return (piece if piece.islower() else piece.lower(),)
        if piece.isdigit():
            return (piece,)
    elif ARABIC_RUN.fullmatch(piece) is not None:
        return (piece,)
    plain = plain_tokens(piece)
    if plain is not None:
        return tuple(plain)
    return tuple(WORD_RUN.findall(normalize(piece)))


def words(text: str) -> tuple[str, ...]:
    """A text as the words reveals (and the linter's spelling checks and paraphrases) are matched on:
    `quiz.grading.normalize`'s words, a leading Arabic article dropped from each and a leading English `the`
    from the text.

    Normalising changes nothing across whitespace (it becomes one space, and no rule looks past it), so each
    whitespace-separated piece is worked out once and remembered (a bank repeats its words: 900,000 texts of a
    100,000-question bank have ~25 times fewer distinct pieces)."""
    plain = plain_words(text)  # most texts: found without normalising or remembering (`quiz.bank.plain_text`)
    if plain is not None:
        return plain
    out = _pieces_words(text.split())
    return out[1:] if len(out) > 1 and out[0] == "the" else out


def asks_year(question: Question) -> bool:
    """A question whose answer is a year it asks for (generated year questions, hand-written ones that ask)."""
    if question.kind not in (Kind.TYPED, Kind.CHOICE, Kind.CLOZE):
        return False
    answer = (question.answer.en or question.answer.ar).strip()
    if not _YEAR.match(answer):
        return False
    if question.generated:
        return question.id.startswith(("gen-year-", "gen-yearpick-"))
    return bool(question.tolerance) or bool(_ASKS_YEAR.search(f"{question.prompt.en} {question.prompt.ar}"))


def _targets(question: Question, titles: Mapping[str, Event],
             topics: dict[tuple[str, ...], _Topic] | None = None) -> Iterator[tuple[Lang | None, str, _Topic | None]]:
    """What of `question` can be revealed: (language or None for both, its words joined by spaces, and for a
    year the key words of what it is the year of). Era questions are not: their answer is shared by every
    event of the era (the study screen hides the era header instead). A year's key words are its events'
    titles' (remembered in `topics` by events: a bank's year questions share a few thousand events) or, with
    no event known, its prompt's."""
    if asks_year(question):
        year = (question.answer.en or question.answer.ar).strip()
        events = tuple(e for e in question.events if e in titles)
        topic = topics.get(events) if topics is not None and events else None
        if topic is None:
            topic = {}
            for lang in LANGS:
                keys = ([_key_words(getattr(titles[e].title, lang)) for e in events] if events
                        else [_key_words(getattr(question.prompt, lang))])
                topic[lang] = keys[0] if len(keys) == 1 else frozenset().union(*keys)
            if topics is not None and events:
                topics[events] = topic
        yield None, year, topic
        return
    if question.generated or question.kind not in (Kind.TYPED, Kind.CLOZE, Kind.CHOICE):
        return
    for lang in LANGS:
        shown = " ".join(words(getattr(question.answer, lang)))
        if sum(map(str.isalpha, shown)) >= MIN_LETTERS:
            yield lang, shown, None


def find_reveals(questions: Sequence[Question], events: Sequence[Event] = ()) -> list[Reveal]:
    """Every reveal among `questions` (each revealer, target and place once), in bank order.

    A year reveals a year question only in a question about the same thing: a sibling, or one whose texts
    name at least two key words of the event's title (all when it has fewer) in that language: `1945` in an
    explanation of Yalta says nothing of Potsdam's year.

    `questions` is iterated at most twice, in order, and no question is kept: any sequence will do, a lazy one
    decoding the bank from disk too. The last bank's reveals are remembered by a fingerprint of its questions
    and events (their content and places): the same bank searched again costs no pass (the same lazy bank or
    tuple, `_LAST`) or one. (`quiz validate`'s linter searches once: it hands its search to the bank's reveals,
    `quiz.bank.reveal_store.settle`.)"""
    return _reveals(_find(questions, events))


_LAST: dict[str, tuple[tuple[bytes, tuple[Event, ...]], _Found, Sequence[Question] | None]] = {}
"""The last bank's reveals, by the hashes of its questions (with their places) and its events, compared whole:
the same bank given again as other objects (decoded from disk again) is found in one pass; given again as the
same unchangeable sequence (a tuple, a lazy bank) with the same events, in none (which keeps that sequence
alive until the next search or `forget`)."""


def forget() -> None:
    """Drop what the last search remembers (its reveals, its bank, the memo of pieces), once a command has no
    more use for them (`quiz validate`'s linter, ~30 MB at 100,000 questions)."""
    _LAST.clear()
    _PIECES.clear()


def _find(questions: Sequence[Question], events: Sequence[Event], first: list[list[Any]] | None = None) -> _Found:
    """The search; `first`: a list holding its first pass, made already (`joined_first`: the linter's, on its own
    pass), taken out of it (then only the search holds the columns, and drops them before its scan)."""
    return scanned(ready(questions, events, first))


def first_pass(questions: Iterable[Question], titles: Mapping[str, Event], keyed: bool = True) -> list[Any]:
    """The first pass over some questions of a bank (`titles`: its events by id), as columns a forked part sends
    back (`joined_first` joins a bank's runs); `keyed=False`: no fingerprint, no memo of the search made from it
    (the linter's, dropped once made: ~2 µs a question saved)."""
    return _packed(_first(questions, titles, keyed))


def joined_first(runs: Sequence[list[Any]]) -> list[Any]:
    """The first pass of a bank from `first_pass` of its runs, given in bank order."""
    return joined([(*c[:4], unpack_places(c[4]), *c[5:]) for c in runs])


def ready(questions: Sequence[Question], events: Sequence[Event], first: list[list[Any]] | None = None) -> Ready:
    """The search (`_find`'s) made but for its scan (`scanned` makes it): its first pass and index, or what it
    remembers. So a command can build the index while a core would wait (`quiz.bank.lint`: the near-duplicate
    search's child finishing)."""
    paused = pause_gc()  # millions of small tuples and no cycle (the linter's call runs with the collector on)
    try:
        return _ready(questions, events, first)
    finally:
        resume_gc(paused, 0)


@dataclass(slots=True)
class Ready:
    """A search but for its scan (`ready`): its reveals to be (`found`), the scan to make (None: none), and what
    it is remembered by once made (None: remembered already)."""

    found: _Found
    scan: Callable[[], None] | None
    key: tuple[bytes, tuple[Event, ...]] | None  # None: not remembered (already, or a search made unkeyed)
    questions: Sequence[Question]


def _ready(questions: Sequence[Question], events: Sequence[Event], first: list[list[Any]] | None) -> Ready:
    last = _LAST.get("reveals")
    if last is not None and last[2] is questions and _same(last[0][1], events):
        return Ready(last[1], None, None, questions)
    titles = {event.id: event for event in events}
    parts = parts_for(len(questions))  # a large bank: each pass split over the cores, in runs of the bank
    if first:
        columns = first.pop()
    elif parts > 1:
        columns = joined_first(split(questions, parts, lambda run: first_pass(run, titles)))
    else:
        columns = _first(questions, titles)
    _key_words.cache_clear()  # the year questions' titles and prompts: not needed again
    fingerprint, target_ids, shown, years, target_at, target_events, langs, topics = columns
    key = (fingerprint.tobytes(), tuple(events)) if isinstance(fingerprint, array) else None  # else unkeyed
    if key is not None and last is not None and last[0] == key:
        _LAST["reveals"] = (key, last[1], _kept(questions))
        return Ready(last[1], None, None, questions)
    _LAST.clear()
    found = _Found(len(fingerprint), target_ids, shown, years, target_at, [], [], bytearray(), array("l"),
                   array("l"), bytearray())
    del fingerprint, columns
    if not target_ids:
        return Ready(found, None, key, questions)
    anchored = _anchored(shown, langs, topics, target_events)
    del langs, topics
    coded = reveal_codes.build(anchored)  # None: a bank whose answers contain the scan's mark word
    searched = indexed(anchored) if coded is None else coded  # the scan holds only one (~17 MB at 100k)
    del anchored, coded
    sizes = answer_sizes(shown)

    def scan() -> None:
        if parts > 1:
            _PIECES.clear()  # each part remembers its own pieces (`_SCAN_KEPT`)
            shared_scan(questions, found, lambda: _scanner(searched, target_events, sizes, _SCAN_KEPT))
        else:
            _scanner(searched, target_events, sizes, None)(questions, found)
    return Ready(found, scan, key, questions)


def scanned(search: Ready) -> _Found:
    """The reveals of a search made ready (`ready`): its scan made (once), the search remembered if keyed."""
    scan, search.scan = search.scan, None
    if scan is not None:
        paused = pause_gc()
        try:
            scan()
        finally:
            resume_gc(paused, 0)
    if scan is not None or search.key is not None:
        _PIECES.clear()  # a large bank's pieces (~150,000 at 100k questions) are not kept once it is read
    if search.key is not None:
        _LAST["reveals"] = (search.key, search.found, _kept(search.questions))
    return search.found


def _scanner(searched: _Index | reveal_codes.Coded, target_events: Sequence[tuple[str, ...]],
             sizes: Sequence[int], kept: int | None) -> Callable[[Iterable[Question], _Found], None]:
    """The second pass, (questions, found) -> their reveals appended to `found`: by their words' codes
    (`quiz.bank.reveal_codes`) when `searched` is coded, else word by word (`_scan`); with a memo of `kept` pieces
    of its own, made here and kept from call to call (a part of a split scan goes through many runs), or (None)
    this process's."""
    if isinstance(searched, _Index):
        words_of = _Pieces(kept).words if kept is not None else _pieces_words
        return lambda questions, found: _scan(questions, searched, target_events, found, words_of, sizes)
    pieces = reveal_codes.Pieces(searched.codes, _piece_words, _CODES_KEPT) if kept is not None else \
        reveal_codes.Pieces(searched.codes, _PIECES.__getitem__, _PIECES_KEPT)
    return lambda questions, found: reveal_codes.scan(questions, searched, target_events, found, pieces, sizes)


def _kept(questions: Sequence[Question]) -> Sequence[Question] | None:
    """`questions` when they cannot change (a tuple, a lazy bank): the object `_LAST` knows them by."""
    return questions if isinstance(questions, (tuple, _CachedSequence)) else None


def _same(events: tuple[Event, ...], others: Sequence[Event]) -> bool:
    """Whether `others` are `events`, the same objects in the same order."""
    return len(events) == len(others) and all(map(is_, events, others))


def _first(questions: Iterable[Question], titles: Mapping[str, Event], keyed: bool = True) -> list[Any]:
    """The first pass: what can be revealed, and the fingerprint of the bank, as columns: the hashes of the
    questions (with their places; unkeyed, a zero byte each); for each target its question's id, the words
    shown, whether it is a year, its question's place and events, its language and its year's key words."""
    target_ids: list[str] = []
    shown: list[str] = []
    years = bytearray()
    target_at: list[Location | None] = []
    target_events: list[tuple[str, ...]] = []
    langs: list[Lang | None] = []
    topics: list[_Topic | None] = []
    fingerprint = array("q") if keyed else bytearray()
    memo: dict[tuple[str, ...], _Topic] = {}
    for question in questions:
        fingerprint.append(hash((question, question.loc)) if keyed else 0)
        for lang, words_shown, topic in _targets(question, titles, memo):
            target_ids.append(question.id)
            shown.append(words_shown)
            years.append(topic is not None)
            target_at.append(question.loc)
            target_events.append(question.events)
            langs.append(lang)
            topics.append(topic)
    return [fingerprint, target_ids, shown, years, target_at, target_events, langs, topics]


def _packed(columns: list[Any]) -> list[Any]:
    """The first pass's columns as a child sends them back (places as columns)."""
    return [*columns[:4], pack_places(columns[4]), *columns[5:]]


def _reveals(found: _Found) -> list[Reveal]:
    """The reveals of `found`, as `Reveal`s, in the order found."""
    ids, shown, years, where = found.target_ids, found.shown, found.years, found.target_at
    rids, rat, drafts = found.revealer_ids, found.revealer_at, found.drafts
    return [Reveal(rids[r], ids[t], PLACES[c >> 3], LANGS[c >> 2 & 1], shown[t], bool(c & 2), bool(years[t]),
                   bool(c & 1), rat[r], bool(drafts[r]), where[t])
            for r, t, c in zip(found.revealers, found.targets, found.codes, strict=True)]


def common_answers(questions: Sequence[Question], reveals: Sequence[Reveal]) -> dict[str, int]:
    """Word answers that so many questions show that a question asking for them is the weak one (`Russia` in a
    bank about Russia): target id -> how many questions show it. More than `max(10, 2% of the bank)`."""
    limit = max(10, len(questions) // 50)
    shown: dict[str, set[str]] = {}
    for reveal in reveals:
        if not reveal.year:
            shown.setdefault(reveal.target_id, set()).add(reveal.revealer_id)
    return {qid: len(ids) for qid, ids in shown.items() if len(ids) > limit}


def reveals_of(questions: Sequence[Question], events: Sequence[Event] = ()) -> tuple[list[Reveal], dict[str, int]]:
    """The reveals that count (answers too common to give anything away left out), and those common answers."""
    found = _find(questions, events)
    common = found.common()
    return [r for r in _reveals(found) if r.target_id not in common], common


def reveal_map(questions: Sequence[Question], events: Sequence[Event] = ()) -> dict[str, tuple[str, ...]]:
    """Question id -> the ids of the questions it reveals (any place), for the session (`Bank.reveals`). Two
    questions with the same answer do not reveal each other by their answers alone (they ask the same thing:
    Q403's concern)."""
    found = _find(questions, events)
    return mapped(found, found.common())


def mapped(found: _Found, common: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
    """`reveal_map` of a search already made (`_find`'s, its common answers `common`)."""
    ids, revealer_ids = found.target_ids, found.revealer_ids
    out: dict[str, dict[str, None]] = {}
    for r, t, code in zip(found.revealers, found.targets, found.codes, strict=True):
        if code & 1 or ids[t] in common:  # restates: the revealer's answer is the target's
            continue
        out.setdefault(revealer_ids[r], {})[ids[t]] = None
    return {qid: tuple(targets) for qid, targets in out.items()}


@functools.lru_cache(maxsize=1 << 14)  # an event's title, for each of its year questions
def _key_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if len(w) >= 4 and not w.isdigit() and w not in _STOP)
