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

Everything here is linear in the size of the bank: answers are indexed by their rarest word, events by year.
"""

from __future__ import annotations

import functools
import operator
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from quiz.grading import normalize
from quiz.model import LANGS, Event, Kind, Lang, Question

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
    """`revealer` shows `target`'s answer (`shown`, in `lang`) in one of its places."""

    revealer: Question
    target: Question
    place: str  # prompt, choices, answer or explanation
    lang: Lang
    shown: str
    siblings: bool

    @property
    def reported(self) -> bool:
        """Whether the linter reports it: always, except a sibling's answer or explanation."""
        return not self.siblings or self.place in BEFORE


def words(text: str) -> tuple[str, ...]:
    """A text as the words reveals (and the linter's spelling checks and paraphrases) are matched on:
    `quiz.grading.normalize`'s words, a leading Arabic article dropped from each and a leading English `the`
    from the text.

    Normalising changes nothing across whitespace (it becomes one space, and no rule looks past it), so each
    whitespace-separated piece is worked out once and remembered (a bank repeats its words: 900,000 texts of a
    100,000-question bank have ~25 times fewer distinct pieces)."""
    pieces = text.split()
    try:
        out = tuple(chain.from_iterable(map(_PIECES.__getitem__, pieces)))
    except KeyError:
        if len(_PIECES) >= _PIECES_KEPT:
            _PIECES.clear()
        for piece in pieces:
            if piece not in _PIECES:
                _PIECES[piece] = _piece_words(piece)
        out = tuple(chain.from_iterable(map(_PIECES.__getitem__, pieces)))
    if len(out) > 1 and out[0] == "the":
        out = out[1:]
    return out


_PIECES: dict[str, tuple[str, ...]] = {}
_PIECES_KEPT = 1 << 17


def _piece_words(piece: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in WORD_RUN.findall(normalize(piece)):
        if word.startswith("ال") and len(word) > 3 and not word[2:].isdigit():
            word = word[2:]
        out.append(word)
    return tuple(out)


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


@dataclass(frozen=True, slots=True)
class _Target:
    question: Question
    tokens: tuple[str, ...]
    topic: Mapping[Lang, frozenset[str]] | None = None  # a year: the key words of what it is the year of
    shown: str = ""  # the tokens joined by spaces (one string for all of a target's reveals)


def _targets(question: Question, titles: Mapping[str, Event]) -> Iterator[tuple[Lang | None, _Target]]:
    """What of `question` can be revealed: (language or None for both, target). Era questions are not: their
    answer is shared by every event of the era (the study screen hides the era header instead)."""
    if asks_year(question):
        year = (question.answer.en or question.answer.ar).strip()
        topic: dict[Lang, frozenset[str]] = {}
        for lang in LANGS:
            keys = [_key_words(getattr(titles[e].title, lang)) for e in question.events if e in titles]
            if not keys:
                keys = [_key_words(getattr(question.prompt, lang))]
            topic[lang] = frozenset().union(*keys)
        yield None, _Target(question, (year,), topic, year)
        return
    if question.generated or question.kind not in (Kind.TYPED, Kind.CLOZE, Kind.CHOICE):
        return
    for lang in LANGS:
        tokens = words(getattr(question.answer, lang))
        if sum(ch.isalpha() for word in tokens for ch in word) >= MIN_LETTERS:
            yield lang, _Target(question, tokens, None, " ".join(tokens))


def _places(question: Question, lang: Lang) -> Iterator[tuple[str, str]]:
    """(place, text) of everything a question shows; a wrong option is `option`: it states nothing."""
    yield "prompt", getattr(question.prompt, lang)
    right = getattr(question.answer, lang)
    for choice in question.choices:
        text = getattr(choice, lang)
        yield ("choices" if text == right else "option"), text
    for item in question.items:
        yield "choices", getattr(item.text, lang)
    if question.kind is not Kind.CHOICE and question.kind is not Kind.ORDER:
        yield "answer", getattr(question.answer, lang)
    yield "explanation", getattr(question.explanation, lang)


def find_reveals(questions: Sequence[Question], events: Sequence[Event] = ()) -> list[Reveal]:
    """Every reveal among `questions` (each revealer, target and place once), in bank order.

    A year reveals a year question only in a question about the same thing: a sibling, or one whose texts
    name at least two key words of the event's title (all when it has fewer) in that language: `1945` in an
    explanation of Yalta says nothing of Potsdam's year.

    The last bank's reveals are remembered (while its questions and events are the same objects, in the same
    order): `quiz validate` finds them when the bank is built (`reveal_map`) and again in the linter."""
    last = _LAST.get("reveals")
    if last is not None and _same(last[0], questions) and _same(last[1], events):
        return list(last[2])
    _LAST.clear()
    index = _answer_index(questions, {event.id: event for event in events})
    found: list[Reveal] = []
    for revealer in questions:
        links = set(revealer.events)
        seen: set[tuple[str, str]] = set()
        for lang in LANGS:
            anchors = index[lang]
            placed = [(place, words(text)) for place, text in _places(revealer, lang) if text]
            bag: set[str] | None = None
            verdicts: dict[frozenset[str], bool] = {}  # a year's key words: named in this question's texts?
            for place, tokens in placed:
                hits = anchors.keys() & tokens  # most texts contain no answer's anchor word: one test in C
                if not hits:
                    continue
                years_count = place != "option" and place != "choices"  # a year is never shown by an option
                at: dict[tuple[int, int], _Target] = {}  # (start, order) -> target: the trie's order
                for word in hits:
                    plain, year = anchors[word]
                    if year is None and not plain:
                        continue
                    p = -1
                    while True:
                        try:
                            p = tokens.index(word, p + 1)
                        except ValueError:
                            break
                        for offset, answer, order, target in plain:
                            i = p - offset
                            if i >= 0 and tokens[i:i + len(answer)] == answer:
                                at[i, order] = target
                        if year is not None and years_count:
                            # a year's questions: only those about this question's facts (siblings), or about
                            # what its texts name (the same key words: one verdict per set of them)
                            by_event, by_topic = year
                            for event in links:
                                for order, target in by_event.get(event, ()):
                                    at[p, order] = target
                            for need, group in by_topic[lang]:
                                verdict = verdicts.get(need)
                                if verdict is None:
                                    if bag is None:
                                        bag = {w for _, t in placed for w in t}
                                    verdict = verdicts[need] = len(need & bag) >= min(2, len(need))
                                if verdict:
                                    for order, target in group:
                                        at[p, order] = target
                for key in sorted(at):
                    target = at[key]
                    other = target.question
                    if other.id == revealer.id or (other.id, place) in seen:
                        continue
                    siblings = bool(links.intersection(other.events))
                    if place == "option":  # a wrong option primes only its own fact's answers
                        if not siblings or target.topic is not None:
                            continue
                    if target.topic is not None:  # a year: not an option, and about the same thing
                        if place == "choices":
                            continue
                        if not siblings:
                            if bag is None:
                                bag = {w for _, t in placed for w in t}
                            need = target.topic[lang]
                            if not need or len(need & bag) < min(2, len(need)):
                                continue
                    shown_in = "choices" if place == "option" else place
                    if (other.id, shown_in) in seen:
                        continue
                    seen.add((other.id, shown_in))
                    found.append(Reveal(revealer, other, shown_in, lang, target.shown, siblings))
    _PIECES.clear()  # a large bank's pieces (~150,000 at 100k questions) are not kept once it is read
    _LAST["reveals"] = (tuple(questions), tuple(events), found)
    return list(found)


_LAST: dict[str, tuple[tuple[Question, ...], tuple[Event, ...], list[Reveal]]] = {}


def _same(kept: Sequence[object], given: Sequence[object]) -> bool:
    return len(kept) == len(given) and all(map(operator.is_, kept, given))


_Anchored = tuple[list[tuple[int, tuple[str, ...], int, "_Target"]], Any]


def _answer_index(questions: Sequence[Question], titles: Mapping[str, Event]) -> dict[Lang, dict[str, _Anchored]]:
    """What can be revealed, per language, by each answer's *anchor*: the word of it the fewest answers contain
    (a name rather than `in` or `war`). word → (the word answers anchored there, as (the anchor's offset in the
    answer, the answer's words, its order, target); the year answers of that word). A text is looked at only
    where it has an anchor word (most texts have none: one set intersection in C), and an answer is compared
    only around its anchor. A year's answers are kept by event (for siblings) and by their key words in each
    language (one test per set of key words, not per question: a year is shared by many generated questions).
    The targets found at a place are sorted by (start, order): what walking every word of the text finds."""
    plain: dict[Lang, list[tuple[tuple[str, ...], int, _Target]]] = {"ar": [], "en": []}
    years: dict[str, list[tuple[int, _Target]]] = {}
    order = 0
    for question in questions:
        for lang, target in _targets(question, titles):
            if target.topic is not None:
                years.setdefault(target.tokens[0], []).append((order, target))
            else:
                assert lang is not None
                plain[lang].append((target.tokens, order, target))
            order += 1
    index: dict[Lang, dict[str, _Anchored]] = {"ar": {}, "en": {}}
    for lang in LANGS:
        counts = Counter(word for answer, _, _ in plain[lang] for word in set(answer))
        anchored = index[lang]
        for answer, order, target in plain[lang]:
            anchor = min(answer, key=lambda w: (counts[w], -len(w), w))
            entry = anchored.get(anchor)
            if entry is None:
                entry = anchored[anchor] = ([], None)
            entry[0].append((answer.index(anchor), answer, order, target))
    for year, entries in years.items():
        by_event: dict[str, list[tuple[int, _Target]]] = {}
        by_topic: dict[Lang, dict[frozenset[str], list[tuple[int, _Target]]]] = {"ar": {}, "en": {}}
        for item in entries:
            topic = item[1].topic
            assert topic is not None
            for event in dict.fromkeys(item[1].question.events):
                by_event.setdefault(event, []).append(item)
            for lang in LANGS:
                need = topic[lang]
                if need:  # no key words: a year then reveals only to siblings
                    by_topic[lang].setdefault(need, []).append(item)
        groups = (by_event, {lang: tuple(found.items()) for lang, found in by_topic.items()})
        for lang in LANGS:
            anchored = index[lang]
            anchored[year] = (anchored[year][0] if year in anchored else [], groups)
    return index


def common_answers(questions: Sequence[Question], reveals: Sequence[Reveal]) -> dict[str, int]:
    """Word answers that so many questions show that a question asking for them is the weak one (`Russia` in a
    bank about Russia): target id -> how many questions show it. More than `max(10, 2% of the bank)`."""
    limit = max(10, len(questions) // 50)
    shown: dict[str, set[str]] = {}
    for reveal in reveals:
        if not asks_year(reveal.target):
            shown.setdefault(reveal.target.id, set()).add(reveal.revealer.id)
    return {qid: len(ids) for qid, ids in shown.items() if len(ids) > limit}


def reveals_of(questions: Sequence[Question], events: Sequence[Event] = ()) -> tuple[list[Reveal], dict[str, int]]:
    """The reveals that count (answers too common to give anything away left out), and those common answers."""
    found = find_reveals(questions, events)
    common = common_answers(questions, found)
    return [r for r in found if r.target.id not in common], common


def reveal_map(questions: Sequence[Question], events: Sequence[Event] = ()) -> dict[str, tuple[str, ...]]:
    """Question id -> the ids of the questions it reveals (any place), for the session. Two questions with the
    same answer do not reveal each other by their answers alone (they ask the same thing: Q403's concern)."""
    out: dict[str, dict[str, None]] = {}
    for reveal in reveals_of(questions, events)[0]:
        if reveal.place == "answer" and words(getattr(reveal.revealer.answer, reveal.lang)) == tuple(
                reveal.shown.split(" ")):
            continue
        out.setdefault(reveal.revealer.id, {})[reveal.target.id] = None
    return {qid: tuple(targets) for qid, targets in out.items()}


@functools.lru_cache(maxsize=1 << 14)  # an event's title, for each of its year questions
def _key_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if len(w) >= 4 and not w.isdigit() and w not in _STOP)


def proposed_links(questions: Sequence[Question], events: Sequence[Event]) -> list[tuple[Question, list[Event]]]:
    """Hand-written questions without `events:` that name an event's year and at least two key words of its
    title (all of them when it has fewer), in either language: (question, the events it seems to be about)."""
    by_year: dict[str, list[tuple[Event, Mapping[Lang, frozenset[str]]]]] = {}
    for event in events:
        title_keys: Mapping[Lang, frozenset[str]] = {lang: _key_words(getattr(event.title, lang)) for lang in LANGS}
        by_year.setdefault(str(event.date.year), []).append((event, title_keys))
    out: list[tuple[Question, list[Event]]] = []
    for question in questions:
        if question.generated or question.events:
            continue
        bag: dict[Lang, set[str]] = {lang: set() for lang in LANGS}
        for lang in LANGS:
            for _, text in _places(question, lang):
                bag[lang].update(words(text))
        years = {w for w in bag["en"] | bag["ar"] if _YEAR.match(w)}
        matches: list[Event] = []
        for year in sorted(years):
            for event, keys in by_year.get(year, ()):
                for lang in LANGS:
                    need = keys[lang]
                    if need and len(need & bag[lang]) >= min(2, len(need)):
                        matches.append(event)
                        break
        if matches:
            out.append((question, matches))
    return out
