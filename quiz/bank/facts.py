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
"""

from __future__ import annotations

import functools
import re
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, compress, count
from typing import Any

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


_PIECES: dict[str, tuple[str, ...]] = {}
"""Whitespace-separated piece -> its words (the same word objects each time: their hashes are kept)."""
_PIECES_KEPT = 1 << 19


def _pieces_words(pieces: list[str]) -> tuple[str, ...]:
    """The words of `pieces`, in order (each piece worked out on first use)."""
    try:
        return tuple(chain.from_iterable(map(_PIECES.__getitem__, pieces)))
    except KeyError:
        new = set(pieces).difference(_PIECES)
        if len(_PIECES) + len(new) > _PIECES_KEPT:
            _PIECES.clear()
            new = set(pieces)
        for piece in new:
            _PIECES[piece] = _piece_words(piece)
        return tuple(chain.from_iterable(map(_PIECES.__getitem__, pieces)))


def _piece_words(piece: str) -> tuple[str, ...]:
    """The words of one whitespace-free piece (a leading Arabic article dropped from each)."""
    out: list[str] = []
    for word in WORD_RUN.findall(normalize(piece)):
        if word.startswith("ال") and len(word) > 3 and not word[2:].isdigit():
            word = word[2:]
        out.append(word)
    return tuple(out)


def words(text: str) -> tuple[str, ...]:
    """A text as the words reveals (and the linter's spelling checks and paraphrases) are matched on:
    `quiz.grading.normalize`'s words, a leading Arabic article dropped from each and a leading English `the`
    from the text.

    Normalising changes nothing across whitespace (it becomes one space, and no rule looks past it), so each
    whitespace-separated piece is worked out once and remembered (a bank repeats its words: 900,000 texts of a
    100,000-question bank have ~25 times fewer distinct pieces)."""
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


_Topic = Mapping[Lang, frozenset[str]]


def _targets(question: Question, titles: Mapping[str, Event]) -> Iterator[tuple[Lang | None, str, _Topic | None]]:
    """What of `question` can be revealed: (language or None for both, its words joined by spaces, and for a
    year the key words of what it is the year of). Era questions are not: their answer is shared by every
    event of the era (the study screen hides the era header instead)."""
    if asks_year(question):
        year = (question.answer.en or question.answer.ar).strip()
        topic: dict[Lang, frozenset[str]] = {}
        for lang in LANGS:
            keys = [_key_words(getattr(titles[e].title, lang)) for e in question.events if e in titles]
            if not keys:
                keys = [_key_words(getattr(question.prompt, lang))]
            topic[lang] = frozenset().union(*keys)
        yield None, year, topic
        return
    if question.generated or question.kind not in (Kind.TYPED, Kind.CLOZE, Kind.CHOICE):
        return
    for lang in LANGS:
        shown = " ".join(words(getattr(question.answer, lang)))
        if sum(map(str.isalpha, shown)) >= MIN_LETTERS:
            yield lang, shown, None


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


def _texts(question: Question) -> tuple[list[str], int]:
    """The texts of `_places` in Arabic, then in English (as one list), and how many are Arabic."""
    choices, items = question.choices, question.items
    answer = question.kind is not Kind.CHOICE and question.kind is not Kind.ORDER
    out = [question.prompt.ar]
    if choices:
        out += [c.ar for c in choices]
    if items:
        out += [i.text.ar for i in items]
    if answer:
        out.append(question.answer.ar)
    out.append(question.explanation.ar)
    n = len(out)
    out.append(question.prompt.en)
    if choices:
        out += [c.en for c in choices]
    if items:
        out += [i.text.en for i in items]
    if answer:
        out.append(question.answer.en)
    out.append(question.explanation.en)
    return out, n


_SEP = "zzqzz"
"""A word joining a question's texts before their pieces are looked up in one pass (a word of itself: its piece's
words are itself); a question whose words contain it anyway is looked up text by text, between NUL marks."""


def _tokens(texts: list[str]) -> tuple[tuple[str, ...], str]:
    """The words of `texts` (as `words`, but for a text's leading `the`, kept: no answer starts with it), a mark
    between two texts; and the mark."""
    out = _pieces_words(f" {_SEP} ".join(texts).split())
    if out.count(_SEP) == len(texts) - 1:
        return out, _SEP
    return tuple(chain.from_iterable((*_pieces_words(text.split()), "\x00") for text in texts))[:-1], "\x00"


PLACES = ("prompt", "choices", "answer", "explanation")
_CODE = {place: n << 3 for n, place in enumerate(PLACES)}


@dataclass(frozen=True, slots=True)
class _Found:
    """The reveals of a bank as columns (no object per reveal): for each, the index of its revealer and of its
    target in the tables, and a code: place << 3 | lang << 2 | siblings << 1 | restates."""

    size: int  # the number of questions (for `common_answers`)
    target_ids: list[str]
    shown: list[str]
    years: bytearray  # 1 where the target asks for a year
    target_at: list[Location | None]
    revealer_ids: list[str]
    revealer_at: list[Location | None]
    drafts: bytearray
    revealers: array[int]
    targets: array[int]
    codes: bytearray

    def reveals(self) -> list[Reveal]:
        ids, shown, years, where = self.target_ids, self.shown, self.years, self.target_at
        rids, rat, drafts = self.revealer_ids, self.revealer_at, self.drafts
        return [Reveal(rids[r], ids[t], PLACES[c >> 3], LANGS[c >> 2 & 1], shown[t], bool(c & 2), bool(years[t]),
                       bool(c & 1), rat[r], bool(drafts[r]), where[t])
                for r, t, c in zip(self.revealers, self.targets, self.codes, strict=True)]

    def common(self) -> dict[str, int]:
        """`common_answers` of these reveals."""
        shown: dict[str, set[str]] = {}
        ids, years, revealer_ids = self.target_ids, self.years, self.revealer_ids
        for r, t in zip(self.revealers, self.targets, strict=True):
            if not years[t]:
                shown.setdefault(ids[t], set()).add(revealer_ids[r])
        limit = max(10, self.size // 50)
        return {qid: len(found) for qid, found in shown.items() if len(found) > limit}


def find_reveals(questions: Sequence[Question], events: Sequence[Event] = ()) -> list[Reveal]:
    """Every reveal among `questions` (each revealer, target and place once), in bank order.

    A year reveals a year question only in a question about the same thing: a sibling, or one whose texts
    name at least two key words of the event's title (all when it has fewer) in that language: `1945` in an
    explanation of Yalta says nothing of Potsdam's year.

    `questions` is iterated at most twice, in order, and no question is kept: any sequence will do, a lazy one
    decoding the bank from disk too. The last bank's reveals are remembered by a fingerprint of its questions
    and events (their content and places): `quiz validate` finds them when the bank is built (`reveal_map`)
    and again in the linter, which then costs one pass."""
    return _find(questions, events).reveals()


_LAST: dict[str, tuple[int, _Found]] = {}


def _find(questions: Sequence[Question], events: Sequence[Event]) -> _Found:
    titles = {event.id: event for event in events}
    # first pass: what can be revealed, and the fingerprint of the bank
    target_ids: list[str] = []
    shown: list[str] = []
    years = bytearray()
    target_at: list[Location | None] = []
    target_events: list[tuple[str, ...]] = []
    langs: list[Lang | None] = []
    topics: list[_Topic | None] = []
    fingerprint: list[int] = []
    for question in questions:
        fingerprint.append(hash((question, question.loc)))
        for lang, words_shown, topic in _targets(question, titles):
            target_ids.append(question.id)
            shown.append(words_shown)
            years.append(topic is not None)
            target_at.append(question.loc)
            target_events.append(question.events)
            langs.append(lang)
            topics.append(topic)
    key = hash((tuple(fingerprint), tuple(events)))
    last = _LAST.get("reveals")
    if last is not None and last[0] == key:
        return last[1]
    _LAST.clear()
    found = _Found(len(fingerprint), target_ids, shown, years, target_at, [], [], bytearray(), array("l"),
                   array("l"), bytearray())
    del fingerprint
    if target_ids:
        _scan(questions, _index(shown, langs, topics, target_events), target_events, found)
    _PIECES.clear()  # a large bank's pieces (~150,000 at 100k questions) are not kept once it is read
    _LAST["reveals"] = (key, found)
    return found


_Anchored = tuple[list[tuple[int, tuple[str, ...], int, int]], Any]


def _index(shown: Sequence[str], langs: Sequence[Lang | None], topics: Sequence[_Topic | None],
           target_events: Sequence[tuple[str, ...]]) -> dict[str, _Anchored]:
    """What can be revealed by each answer's *anchor*: the word of it the fewest answers contain (a name rather
    than `in` or `war`). word -> (the answers anchored there, as (the anchor's offset in the answer, the answer's
    words, target, language); the year's groups or None). A text is looked at only where it has an anchor word
    (most texts have none: one set intersection in C), and an answer is compared only around its anchor. A
    target is its index; a year's targets are kept by event (for siblings) and by their key words in each
    language (one test per set of key words, not per question: a year is shared by many generated questions)."""
    plain: list[tuple[tuple[str, ...], int, int]] = []
    years: dict[str, list[int]] = {}
    for t, (text, lang, topic) in enumerate(zip(shown, langs, topics, strict=True)):
        if topic is not None:
            years.setdefault(text, []).append(t)
        else:
            plain.append((tuple(text.split()), t, lang == "en"))
    counts: list[Counter[str]] = [Counter(), Counter()]
    for answer, _, n in plain:
        counts[n].update(set(answer))
    index: dict[str, _Anchored] = {}
    for answer, t, n in plain:
        count = counts[n]
        anchor = min(answer, key=lambda w: (count[w], -len(w), w))
        entry = index.get(anchor)
        if entry is None:
            entry = index[anchor] = ([], None)
        entry[0].append((answer.index(anchor), answer, t, n))
    for year, group in years.items():
        by_event: dict[str, list[int]] = {}
        by_topic: tuple[dict[frozenset[str], list[int]], ...] = ({}, {})
        for t in group:
            for event in dict.fromkeys(target_events[t]):
                by_event.setdefault(event, []).append(t)
            topic = topics[t]
            assert topic is not None
            for n, lang in enumerate(LANGS):
                if topic[lang]:  # no key words: a year then reveals only to siblings
                    by_topic[n].setdefault(topic[lang], []).append(t)
        index[year] = (index[year][0] if year in index else [],
                       (by_event, tuple(tuple(found.items()) for found in by_topic)))
    return index


def _scan(questions: Sequence[Question], index: dict[str, _Anchored], target_events: Sequence[tuple[str, ...]],
          found: _Found) -> None:
    """The second pass: each question's texts (as one tuple of words, texts between NUL marks) against the
    anchors, its reveals appended to `found`. The targets found are sorted by (position, target): what trying
    every target at every word finds."""
    ids, years = found.target_ids, found.years
    revealer_ids, revealer_at, drafts = found.revealer_ids, found.revealer_at, found.drafts
    revealers, targets, codes = found.revealers, found.targets, found.codes
    shown_words = [tuple(text.split()) for text in found.shown]
    anchors = index.keys()
    for question in questions:
        texts, n_ar = _texts(question)
        tokens, mark = _tokens(texts)
        hit = anchors & tokens  # most texts contain no answer's anchor word: one test in C
        if not hit:
            continue
        hits: dict[tuple[int, int], int] = {}  # (start, target) -> text
        names: list[str] | None = None
        verdicts: tuple[dict[frozenset[str], bool], ...] = ({}, {})  # a year's key words: named in the texts?
        bags: list[set[str] | None] = [None, None]
        hit.add(mark)
        k = 0  # the text at p: the number of marks before it
        for p in compress(count(), map(hit.__contains__, tokens)):  # the anchors and marks, in order (in C)
            word = tokens[p]
            if word == mark:
                k += 1
                continue
            plain, year = index[word]
            lang = 0 if k < n_ar else 1
            for offset, answer, t, n in plain:
                i = p - offset
                if n == lang and i >= 0 and tokens[i:i + len(answer)] == answer:
                    if answer[0] == "the" and (i == 0 or tokens[i - 1] == mark):
                        continue  # the text's own leading `the`, which `words` drops
                    hits[i, t] = k
            if year is None:
                continue
            if names is None:
                names = _names(question)
            if names[k] == "option" or names[k] == "choices":  # a year is never shown by an option
                continue
            # a year's questions: only those about this question's facts (siblings), or about what its texts
            # name (the same key words: one verdict per set of them)
            by_event, by_topic = year
            for event in question.events:
                for t in by_event.get(event, ()):
                    hits[p, t] = k
            for need, group in by_topic[lang]:
                verdict = verdicts[lang].get(need)
                if verdict is None:
                    bag = bags[lang]
                    if bag is None:
                        bag = bags[lang] = _bag(tokens, mark, n_ar, lang)
                    verdict = verdicts[lang][need] = len(need & bag) >= min(2, len(need))
                if verdict:
                    for t in group:
                        hits[p, t] = k
        if not hits:
            continue
        if names is None:
            names = _names(question)
        qid = question.id
        links = set(question.events)
        seen: set[tuple[str, str]] = set()
        r = -1
        for (start, t), k in sorted(hits.items()):
            other = ids[t]
            place = names[k]
            if other == qid or (other, place) in seen:
                continue
            siblings = bool(links) and not links.isdisjoint(target_events[t])
            if place == "option":  # a wrong option primes only its own fact's answers
                if not siblings or years[t]:
                    continue
                place = "choices"
                if (other, place) in seen:
                    continue
            # a year found here is a sibling's, or its key words are named (and it is not in an option)
            seen.add((other, place))
            if r < 0:
                r = len(revealer_ids)
                revealer_ids.append(qid)
                revealer_at.append(question.loc)
                drafts.append(question.draft)
            revealers.append(r)
            targets.append(t)
            restates = place == "answer" and _whole(tokens, mark, start, len(shown_words[t]))
            codes.append(_CODE[place] | (k >= n_ar) << 2 | siblings << 1 | restates)


def _bag(tokens: tuple[str, ...], mark: str, n_ar: int, lang: int) -> set[str]:
    """The words of a question's texts in one language (`lang` 0: the first `n_ar` texts)."""
    split = -1
    for _ in range(n_ar):
        split = tokens.index(mark, split + 1)
    return set(tokens[:split] if lang == 0 else tokens[split + 1:])


def _whole(tokens: tuple[str, ...], mark: str, start: int, size: int) -> bool:
    """Whether the words at start:start+size are a whole text (but for its leading `the`, which `words` drops)."""
    end = start + size
    if end < len(tokens) and tokens[end] != mark:
        return False
    if start == 0 or tokens[start - 1] == mark:
        return True
    return tokens[start - 1] == "the" and (start == 1 or tokens[start - 2] == mark)


def _names(question: Question) -> list[str]:
    """The places of `_texts`."""
    return [place for lang in LANGS for place, _ in _places(question, lang)]


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
    return [r for r in found.reveals() if r.target_id not in common], common


def reveal_map(questions: Sequence[Question], events: Sequence[Event] = ()) -> dict[str, tuple[str, ...]]:
    """Question id -> the ids of the questions it reveals (any place), for the session. Two questions with the
    same answer do not reveal each other by their answers alone (they ask the same thing: Q403's concern)."""
    found = _find(questions, events)
    common = found.common()
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
