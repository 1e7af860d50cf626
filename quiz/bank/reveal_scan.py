"""The reveal scan: the machinery of `quiz.bank.facts.find_reveals` (its index of what can be revealed, its pass
over each question's texts, and the columns the reveals are found into).

`quiz.bank.facts` works out what of each question can be revealed (its first pass) and turns the columns into
`Reveal`s; this module indexes those answers by their rarest word (`_anchored`) and scans each question's texts, as
one run of words, for them (`_scan`, the second pass). The words of a text are facts' (`_pieces_words`, or a
split scan part's own memo of pieces, given to the scan). What a question shows, place by place, is `_places`
here, which `_texts` lists in the same order.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, compress, count

from quiz.bank.reveal_index import PlainIndex
from quiz.model import LANGS, Kind, Lang, Location, Question

_Topic = Mapping[Lang, frozenset[str]]
_PiecesWords = Callable[[list[str]], tuple[str, ...]]
"""Whitespace-separated pieces -> their words, in order (`quiz.bank.facts._pieces_words`)."""


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
    out: list[str] = []
    n = 0
    for lang in ("ar", "en"):
        out.append(getattr(question.prompt, lang))
        out += [getattr(c, lang) for c in choices]
        out += [getattr(i.text, lang) for i in items]
        if answer:
            out.append(getattr(question.answer, lang))
        out.append(getattr(question.explanation, lang))
        n = n or len(out)
    return out, n


_SEP = "zzqzz"
"""A word joining a question's texts before their pieces are looked up in one pass (a word of itself: its piece's
words are itself); a question whose words contain it anyway is looked up text by text, between NUL marks."""


def _tokens(texts: list[str], pieces_words: _PiecesWords) -> tuple[tuple[str, ...], str]:
    """The words of `texts` (as `words`, but for a text's leading `the`, kept: no answer starts with it), a mark
    between two texts; and the mark."""
    out = pieces_words(f" {_SEP} ".join(texts).split())
    if out.count(_SEP) == len(texts) - 1:
        return out, _SEP
    return tuple(chain.from_iterable((*pieces_words(text.split()), "\x00") for text in texts))[:-1], "\x00"


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

    def common(self) -> dict[str, int]:
        """`common_answers` of these reveals."""
        shown: dict[str, set[str]] = {}
        ids, years, revealer_ids = self.target_ids, self.years, self.revealer_ids
        for r, t in zip(self.revealers, self.targets, strict=True):
            if not years[t]:
                shown.setdefault(ids[t], set()).add(revealer_ids[r])
        limit = max(10, self.size // 50)
        return {qid: len(found) for qid, found in shown.items() if len(found) > limit}

_Targets = tuple[int, ...]
_Entry = tuple[int, tuple[str, ...], _Targets]
_Topics = tuple[frozenset[str], dict[str, tuple[int, ...]], tuple[tuple[int, _Targets], ...]]
_Year = tuple[dict[str, _Targets], tuple[_Topics | None, _Topics | None]]


@dataclass(frozen=True, slots=True)
class _Index:
    """What can be revealed, by anchor word: the words (one set, for the scan's intersection), the plain
    answers anchored at each (`PlainIndex`), each year's groups."""

    anchors: set[str]  # (a set: its intersection with a tuple is a set, which the scan adds its mark to)
    plain: PlainIndex
    years: dict[str, _Year]


@dataclass(frozen=True, slots=True)
class _Anchored:
    """What can be revealed, before it is indexed (`_anchored`): the plain answers by anchor word, in each
    language as (the anchor's offset in the answer, the answer's words, its targets); each year's groups. Made into
    the scan's index (`indexed`) or into codes (`quiz.bank.reveal_codes.build`)."""

    plain: dict[str, tuple[list[_Entry], list[_Entry]]]
    years: dict[str, _Year]


def indexed(anchored: _Anchored) -> _Index:
    """The scan's index of `anchored`: its plain answers flat (`PlainIndex`), its anchor words and years."""
    return _Index(set(anchored.plain).union(anchored.years), PlainIndex(anchored.plain), anchored.years)


def _anchored(shown: Sequence[str], langs: Sequence[Lang | None], topics: Sequence[_Topic | None],
              target_events: Sequence[tuple[str, ...]]) -> _Anchored:
    """What can be revealed by each answer's *anchor*: the word of it the fewest answers contain (a name rather
    than `in` or `war`): the answers anchored at each word in each language, as (the anchor's offset in the
    answer, the answer's words, its targets), made flat by `indexed` or coded; and each year's groups. A
    text is looked at only where it has an anchor word (most texts have none: one set intersection in C), and an
    answer is compared only around its anchor, once for every target of the same words. A target is its index; a
    year's targets are kept by event (for siblings) and by their key words in each language (one test per set of
    key words, not per question: a year is shared by many generated questions), those sets indexed by their words
    (a text's words then find the sets they name: work in proportion to the text, not to the year's sets).

    Built to be small (a forked scan copies what it touches): the years' groups as tuples, not lists; each word
    one string, shared by every answer that has it; an answer's words made once for all its targets."""
    same: dict[tuple[str, int], list[int]] = {}  # (answer, language) -> its targets, in order
    years: dict[str, list[int]] = {}
    for t, (text, lang, topic) in enumerate(zip(shown, langs, topics, strict=True)):
        if topic is not None:
            years.setdefault(text, []).append(t)
        else:
            same.setdefault((text, lang == "en"), []).append(t)
    spelled: dict[str, str] = {}
    answers = [(tuple([spelled.setdefault(w, w) for w in text.split()]), n, tuple(group))
               for (text, n), group in same.items()]
    del same, spelled
    counts: list[Counter[str]] = [Counter(), Counter()]
    for answer, n, group in answers:  # how many answers (targets) contain each word
        counts[n].update(dict.fromkeys(answer, len(group)))
    anchored: dict[str, tuple[list[_Entry], list[_Entry]]] = {}
    for answer, n, group in answers:
        if len(answer) == 1:
            anchor = answer[0]
        else:
            count = counts[n]
            anchor = min(answer, key=lambda w: (count[w], -len(w), w))
        entry = anchored.get(anchor)
        if entry is None:
            entry = anchored[anchor] = ([], [])
        entry[n].append((answer.index(anchor), answer, group))
    del answers, counts
    by_year: dict[str, _Year] = {}
    for year, year_targets in years.items():
        by_event: dict[str, list[int]] = {}
        by_topic: tuple[dict[frozenset[str], list[int]], ...] = ({}, {})
        for t in year_targets:
            for event in dict.fromkeys(target_events[t]):
                by_event.setdefault(event, []).append(t)
            topic = topics[t]
            assert topic is not None
            for n, lang in enumerate(LANGS):
                if topic[lang]:  # no key words: a year then reveals only to siblings
                    by_topic[n].setdefault(topic[lang], []).append(t)
        by_year[year] = ({event: tuple(ts) for event, ts in by_event.items()},
                         (_topics(by_topic[0]), _topics(by_topic[1])))
    return _Anchored(anchored, by_year)


def _topics(by_need: dict[frozenset[str], list[int]]) -> _Topics | None:
    """A year's sets of key words in one language, indexed: (every key word, key word -> the sets naming it,
    each set as (how many of its words a text must name: two, or one when it has one; its targets))."""
    if not by_need:
        return None
    inverted: dict[str, list[int]] = {}
    groups: list[tuple[int, _Targets]] = []
    for g, (need, targets) in enumerate(by_need.items()):
        groups.append((min(2, len(need)), tuple(targets)))
        for word in need:
            inverted.setdefault(word, []).append(g)
    return frozenset(inverted), {word: tuple(sets) for word, sets in inverted.items()}, tuple(groups)


def answer_sizes(shown: Sequence[str]) -> array[int]:
    """The number of words of each target's answer (as `_Found.shown`, words joined by spaces): worked out
    before a split scan's fork, so that no part reads every answer (and writes to the pages holding them)."""
    return array("l", [text.count(" ") + 1 for text in shown])


def _scan(questions: Iterable[Question], index: _Index, target_events: Sequence[tuple[str, ...]],
          found: _Found, pieces_words: _PiecesWords, sizes: Sequence[int]) -> None:
    """The second pass: each question's texts (as one tuple of words, texts between NUL marks) against the
    anchors, its reveals appended to `found`. The targets found are sorted by (position, target): what trying
    every target at every word finds. (`sizes`: each target's words, `answer_sizes`.)"""
    anchors, plain, by_year = index.anchors, index.plain, index.years
    number = plain.numbers.get
    for question in questions:
        texts, n_ar = _texts(question)
        tokens, mark = _tokens(texts, pieces_words)
        hit = anchors.intersection(tokens)  # most texts contain no answer's anchor word: one test in C
        if not hit:
            continue
        hits: dict[tuple[int, int], int] = {}  # (start, target) -> text
        names: list[str] | None = None
        chosen: dict[tuple[str, int], list[_Targets]] = {}  # (year, language) -> its sets of key words named
        bags: list[set[str] | None] = [None, None]
        hit.add(mark)
        k = 0  # the text at p: the number of marks before it
        for p in compress(count(), map(hit.__contains__, tokens)):  # the anchors and marks, in order (in C)
            word = tokens[p]
            if word == mark:
                k += 1
                continue
            lang = 0 if k < n_ar else 1
            anchor = number(word, -1)
            if anchor >= 0:
                plain.find(anchor, lang, tokens, p, mark, k, hits)
            year = by_year.get(word)
            if year is None:
                continue
            if names is None:
                names = _names(question)
            if names[k] == "option" or names[k] == "choices":  # a year is never shown by an option
                continue
            # a year's questions: only those about this question's facts (siblings), or about what its texts
            # name (the same key words: one verdict per year and language)
            by_event, by_topic = year
            for event in question.events:
                for t in by_event.get(event, ()):
                    hits[p, t] = k
            topics = by_topic[lang]
            if topics is None:
                continue
            named = chosen.get((word, lang))
            if named is None:
                bag = bags[lang]
                if bag is None:
                    bag = bags[lang] = _bag(tokens, mark, n_ar, lang)
                keys, inverted, groups = topics
                counts = Counter(chain.from_iterable(map(inverted.__getitem__, bag & keys)))  # counted in C
                named = chosen[word, lang] = [groups[g][1] for g, c in counts.items() if c >= groups[g][0]]
            for group in named:
                for t in group:
                    hits[p, t] = k
        if hits:
            record(question, hits, names, n_ar, found, target_events, partial(_whole, tokens, mark), sizes)


def record(question: Question, hits: dict[tuple[int, int], int], names: list[str] | None, n_ar: int,
           found: _Found, target_events: Sequence[tuple[str, ...]], whole: Callable[[int, int], bool],
           sizes: Sequence[int]) -> None:
    """Append to `found` the reveals of `question`'s `hits` ((start, target) -> text, `names` its texts'
    places when known): sorted by (position, target), what trying every target at every word finds; each target
    and place once; a wrong option only for a sibling's plain answer. `whole(start, size)`: whether the words at
    start:start+size are a whole text (`_whole`)."""
    ids, years = found.target_ids, found.years
    revealer_ids, revealer_at, drafts = found.revealer_ids, found.revealer_at, found.drafts
    revealers, targets, codes = found.revealers, found.targets, found.codes
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
        restates = place == "answer" and whole(start, sizes[t])
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
    """The places of `_texts` (`_places`' names, in both languages)."""
    choices, answer = question.choices, question.answer
    tail = ["choices"] * len(question.items)
    if question.kind is not Kind.CHOICE and question.kind is not Kind.ORDER:
        tail.append("answer")
    tail.append("explanation")
    out: list[str] = []
    for lang in LANGS:
        out.append("prompt")
        if choices:
            right = getattr(answer, lang)
            out += ["choices" if getattr(c, lang) == right else "option" for c in choices]
        out += tail
    return out
