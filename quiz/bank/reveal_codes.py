"""The reveal scan with each word as one character: a question's texts as one short string, in which every answer
anchored at a word the question has is looked for in C (`str.find`).

`quiz.bank.reveal_scan._scan` looks at every place of a text where an answer's anchor word stands (1.2M places in a
100,000-question bank, a Python call each) to find the ~340,000 where a whole answer does. Here each word that an
answer, a year or a year's key words contain is given a character of its own (its *code*), every other word one
shared character (`OTHER`), a text boundary another (`MARK`): a question's words become a string of one character a
word, made by looking up each whitespace-separated piece of its texts once (a memo: piece -> the codes of its
words). The anchors present are found by one regular expression (theirs are the first codes); each answer anchored
there is then found by `str.find` of its codes, a match being a whole answer on word boundaries and a word's
position its character's, and only the first place in each text is kept (`record` keeps a target once a place, at
its first). Only what is found costs Python work. (An Aho-Corasick automaton of the answers' codes, pyahocorasick,
found the same and was slower: its trie's root has ~60,000 children, looked up one by one.)

The results are `_scan`'s, in the same order (tested against it): the same words (`quiz.bank.facts`'s of each
piece), the same hits, the same verdicts (`reveal_scan.record`). A bank whose answers or key words contain the
scan's own mark word (`reveal_scan._SEP`, which `_scan` would match across a text boundary) is not coded
(`build` gives None): `_scan` searches it as before.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain

from quiz.bank.reveal_scan import _SEP, _Anchored, _Found, _names, _texts, record
from quiz.model import Question

MARK = "\x00"
"""The code between two texts of a question."""
OTHER = "\x01"
"""The code of every word no answer, year or key word contains (it matches nothing)."""
_FIRST_CODE = 2
_SURROGATES = range(0xD800, 0xE000)

_PieceWords = Callable[[str], tuple[str, ...]]
"""One whitespace-free piece -> its words (`quiz.bank.facts._piece_words`)."""
_CodedTopics = tuple[frozenset[str], dict[str, tuple[int, ...]], tuple[tuple[int, tuple[int, ...]], ...]]


@dataclass(frozen=True, slots=True)
class Coded:
    """What can be revealed (`reveal_scan._anchored`) in codes, kept flat (a forked part reads it without writing to
    it: see `quiz.bank.reveal_index`): for an anchor's code, its number `a` (its rank among the codes, `rank`: the
    `anchors` anchors have the first codes, in order) and its plain answers u in [a_spans[a], a_spans[a + 1]); an
    answer u's codes (`texts[text_at[u]:text_at[u + 1]]`), whether its first word is `the`, and its targets in
    language n (`targets[spans[2u + n]:spans[2u + n + 1]]`); a year's number (`year_numbers`) and its groups, key
    words in codes (`years`); the code of each word that has one; and a character of an anchor's or a year's code
    (`anchor_run`: the first codes, given to them before any other word's)."""

    anchors: int
    a_spans: array[int]
    texts: str
    text_at: array[int]
    the: bytes
    spans: array[int]
    targets: array[int]
    year_numbers: dict[str, int]
    years: tuple[tuple[dict[str, tuple[int, ...]], tuple[_CodedTopics | None, _CodedTopics | None]], ...]
    codes: dict[str, str]
    the_code: str
    anchor_run: re.Pattern[str]


def rank(code: str) -> int:
    """The rank of a code among those given (`build` gives them in order from `_FIRST_CODE`, the surrogates
    skipped): an anchor's number, for a code below `Coded.anchors`. (Worked out, not looked up: a forked part
    looking up a number shared with the others would write to the page holding it, `quiz.bank.reveal_index`.)"""
    point = ord(code)
    return point - _FIRST_CODE if point < _SURROGATES.start else point - _FIRST_CODE - len(_SURROGATES)


def _run_of(end: int) -> re.Pattern[str]:
    """A character of the codes from `_FIRST_CODE` up to (not including) `end` (none: nothing matches)."""
    if end <= _FIRST_CODE:
        return re.compile("(?!)")
    last = end - 1
    if last < _SURROGATES.start:
        return re.compile(f"[\\x{_FIRST_CODE:02x}-\\U{last:08x}]")
    return re.compile(f"[\\x{_FIRST_CODE:02x}-\\U{_SURROGATES.start - 1:08x}\\U{_SURROGATES.stop:08x}-\\U{last:08x}]")


def build(anchored: _Anchored) -> Coded | None:
    """What can be revealed (`reveal_scan._anchored`) in codes; None when an answer or a key word is the scan's
    mark word (`_scan` searches then, `reveal_scan.indexed`)."""
    plain = anchored.plain
    codes: dict[str, str] = {}
    next_code = _FIRST_CODE

    def code(word: str) -> str:
        nonlocal next_code
        found = codes.get(word)
        if found is None:
            if next_code in _SURROGATES:
                next_code = _SURROGATES.stop
            found = codes[word] = chr(next_code)
            next_code += 1
        return found

    # anchors and years first: the codes a scan looks for among a text's are one run from the first code
    # (`anchor_run`), found by a regular expression instead of word by word
    for word in plain:
        code(word)
    for year in anchored.years:
        code(year)
    anchor_end = next_code
    anchors = 0
    a_spans = array("q", [0])
    texts: list[str] = []
    text_at = array("q", [0])
    the = bytearray()
    spans = array("q", [0])
    flat = array("q")
    for entries in plain.values():
        answers: dict[tuple[str, ...], list[tuple[int, ...]]] = {}  # its answers' words -> targets by language
        for n in (0, 1):
            for _, words, targets in entries[n]:
                if _SEP in words:
                    return None
                answers.setdefault(words, [(), ()])[n] = targets
        anchors += 1  # its code's rank (`rank`): the anchors' codes came first, in this order
        for words, by_lang in answers.items():
            text = "".join(map(code, words))
            texts.append(text)
            text_at.append(text_at[-1] + len(text))
            the.append(words[0] == "the")
            for targets in by_lang:
                flat.extend(targets)
                spans.append(len(flat))
        a_spans.append(len(texts))
    years: list[tuple[dict[str, tuple[int, ...]], tuple[_CodedTopics | None, _CodedTopics | None]]] = []
    year_numbers: dict[str, int] = {}
    for year, (by_event, by_topic) in anchored.years.items():
        topics: list[_CodedTopics | None] = []
        for topic in by_topic:
            if topic is None:
                topics.append(None)
                continue
            keys, inverted, groups = topic
            if _SEP in keys:
                return None
            topics.append((frozenset(map(code, keys)), {code(w): sets for w, sets in inverted.items()}, groups))
        year_numbers[code(year)] = len(years)
        years.append((by_event, (topics[0], topics[1])))
    the_code = code("the")
    return Coded(anchors, a_spans, "".join(texts), text_at, bytes(the),
                 spans, flat, year_numbers, tuple(years), codes, the_code, _run_of(anchor_end))


class Pieces(dict[str, str]):
    """Whitespace-separated piece -> the codes of its words, each piece worked out on first use (its words by
    `piece_words`); emptied when it grows past `kept` pieces. The scan's mark word, as a piece of its own, is
    `MARK` (a text's own such piece is told apart by `codes`)."""

    __slots__ = ("kept", "piece_words", "words_coded")

    def __init__(self, words_coded: dict[str, str], piece_words: _PieceWords, kept: int) -> None:
        super().__init__()
        self.kept = kept
        self.piece_words = piece_words
        self.words_coded = words_coded
        self[_SEP] = MARK

    def __missing__(self, piece: str) -> str:
        if len(self) >= self.kept:
            self.clear()
            self[_SEP] = MARK
        get = self.words_coded.get
        if piece.isascii() and (piece.isalpha() or piece.isdigit()):  # its one word, normalised: lower case
            found = self[piece] = get(piece.lower(), OTHER)
        else:
            found = self[piece] = "".join([get(word, OTHER) for word in self.piece_words(piece)])
        return found

    def codes(self, texts: list[str]) -> str:
        """The codes of `texts`' words, `MARK` between two texts."""
        out = "".join(map(self.__getitem__, f" {_SEP} ".join(texts).split()))
        if out.count(MARK) == len(texts) - 1:
            return out
        mark = self.words_coded.get(_SEP, OTHER)  # a text's own pieces `zzqzz`: a word
        return MARK.join("".join(map(self.__getitem__, text.split())).replace(MARK, mark) for text in texts)


def scan(questions: Iterable[Question], coded: Coded, target_events: Sequence[tuple[str, ...]], found: _Found,
         pieces: Pieces, sizes: Sequence[int]) -> None:
    """`reveal_scan._scan` of `questions` by their codes: the same reveals appended to `found`, in the same
    order.

    Each answer anchored at a word the question has is looked for in its codes (`str.find`, in C: a match is a
    whole answer on word boundaries); only its first place in each text is kept, and only a year's first in
    each text is looked at: a later one gives the same targets and place, which `record` keeps once, at the
    first. (`sizes`: each target's words, `reveal_scan.answer_sizes`.)"""
    anchors, a_spans, texts, text_at = coded.anchors, coded.a_spans, coded.texts, coded.text_at
    the, spans, flat, by_year = coded.the, coded.spans, coded.targets, coded.years
    year_number = coded.year_numbers.get
    the_code, anchor_run = coded.the_code, coded.anchor_run
    codes_of = pieces.codes
    for question in questions:
        texts_of, n_ar = _texts(question)
        hidden = _hide_options(question, texts_of, n_ar) if question.choices and not question.events else None
        line = codes_of(texts_of)
        present = set(anchor_run.findall(line))  # the anchors and years it has (their codes are one run)
        if not present:
            continue
        marks = _marks(line)
        last = len(marks)
        hits: dict[tuple[int, int], int] = {}  # (start, target) -> text
        names: list[str] | None = None
        bags: list[set[str] | None] = [None, None]
        for word in present:
            a = rank(word)
            if a < anchors:
                for u in range(a_spans[a], a_spans[a + 1]):
                    answer = texts[text_at[u]:text_at[u + 1]]
                    leading_the = the[u]
                    start = line.find(answer)
                    while start >= 0:
                        k = bisect_right(marks, start)
                        if leading_the and (start == 0 or line[start - 1] == MARK):
                            start = line.find(answer, start + 1)  # the text's own leading `the`, which `words` drops
                            continue
                        lang = 0 if k < n_ar else 1
                        for t in flat[spans[2 * u + lang]:spans[2 * u + lang + 1]]:
                            hits[start, t] = k
                        start = line.find(answer, marks[k] + 1) if k < last else -1  # on to the next text
            y = year_number(word, -1)
            if y < 0:
                continue
            if names is None:
                names = _names(question)
            by_event, by_topic = by_year[y]
            chosen: list[list[tuple[int, ...]] | None] = [None, None]
            at = line.find(word)
            while at >= 0:
                k = bisect_right(marks, at)
                following = line.find(word, marks[k] + 1) if k < last else -1
                if names[k] == "option" or names[k] == "choices":  # a year is never shown by an option
                    at = following
                    continue
                # a year's questions: only those about this question's facts (siblings), or about what its texts
                # name (the same key words: one verdict per year and language)
                lang = 0 if k < n_ar else 1
                for event in question.events:
                    for t in by_event.get(event, ()):
                        hits[at, t] = k
                topics = by_topic[lang]
                if topics is not None:
                    named = chosen[lang]
                    if named is None:
                        bag = bags[lang]
                        if bag is None:  # the codes of its texts in that language (a set of every code: made
                            split = marks[n_ar - 1]  # in C, it costs less than picking the key words' out)
                            bag = bags[lang] = set(line[:split] if lang == 0 else line[split + 1:])
                            if hidden is not None and hidden[lang]:  # the wrong options' words count here
                                bag.update(codes_of(hidden[lang]))
                        keys, inverted, groups = topics
                        counts: dict[int, int] = {}  # set of key words -> how many of them the texts name
                        for g in chain.from_iterable(map(inverted.__getitem__, bag & keys)):  # ~5: no Counter
                            counts[g] = counts.get(g, 0) + 1
                        named = chosen[lang] = [groups[g][1] for g, c in counts.items() if c >= groups[g][0]]
                    for group in named:
                        for t in group:
                            hits[at, t] = k
                at = following
        if hits:
            record(question, hits, names, n_ar, found, target_events, partial(_whole, line, the_code), sizes)


def _hide_options(question: Question, texts: list[str], n_ar: int) -> tuple[list[str], list[str]]:
    """Blank the wrong options among `texts` (`_texts`' of `question`, which is linked to no event) and give
    them back, by language. What such an option shows reveals nothing (`record` keeps an option's reveal only
    for a sibling, a year is never shown by one), so its words are not looked up, nor its answers looked for:
    a fifth of the scan of the 100k bench bank, whose choice questions are mostly linked to none. Its words still
    count among a language's for a year's key words (`_bag`)."""
    hidden: tuple[list[str], list[str]] = ([], [])
    count = len(question.choices)
    for n, (right, start) in enumerate(((question.answer.ar, 1), (question.answer.en, n_ar + 1))):
        for at in range(start, start + count):  # each language's choices follow its prompt (`_texts`)
            if texts[at] != right:  # a wrong option (`_names`)
                hidden[n].append(texts[at])
                texts[at] = ""
    return hidden


def _marks(line: str) -> list[int]:
    """The positions of `MARK` in `line`."""
    out: list[int] = []
    at = line.find(MARK)
    while at >= 0:
        out.append(at)
        at = line.find(MARK, at + 1)
    return out


def _whole(line: str, the_code: str, start: int, size: int) -> bool:
    """`reveal_scan._whole` in codes."""
    end = start + size
    if end < len(line) and line[end] != MARK:
        return False
    if start == 0 or line[start - 1] == MARK:
        return True
    return line[start - 1] == the_code and (start == 1 or line[start - 2] == MARK)
