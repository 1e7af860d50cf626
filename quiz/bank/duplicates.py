"""Near-duplicate questions (rule Q403, `near-duplicate`), found in one pass over a bank that keeps only a compact
key of each hand-written question: its id and place, its prompts' key words (`quiz.bank.paraphrase.key_words`,
in each language) or, for an order question, its items' word sets.

Order questions compare their items as sets (Jaccard, at least `SIMILAR`), the others their prompts
(`quiz.bank.paraphrase`: question phrases and stop words normalised, compared with rapidfuzz).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from quiz.bank.facts import words
from quiz.bank.paraphrase import joined_key, key_words, similar_keys
from quiz.model import Kind, Lang, Location, Question

SIMILAR = 0.85
_LANGS: tuple[Lang, ...] = ("en", "ar")


@dataclass(frozen=True, slots=True)
class Asked:
    """What a finding about a question needs of it once a pass over the bank has moved on."""

    id: str
    loc: Location | None
    draft: bool


class Texts(Sequence[str]):
    """Texts without a newline, held as one UTF-8 byte string and their ends: a few bytes each where a list of
    strings costs an object each (~60-75 bytes more); each is decoded when read. Appended to (`append`,
    `extend`), never changed."""

    __slots__ = ("_data", "_ends")

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array("q")

    def append(self, text: str) -> None:
        self._data += text.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._data))

    def extend(self, other: Texts) -> None:
        """`other`'s texts after these."""
        base = len(self._data)
        self._data += other._data
        self._ends.extend(end + base for end in other._ends)

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        ends = self._ends
        end = ends[index]  # an IndexError as a list's (a negative index counts from the end)
        at = index % len(ends)
        return self._data[ends[at - 1] if at else 0:end].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        data, start = self._data, 0
        for end in self._ends:
            yield data[start:end].decode("utf-8", "surrogatepass")
            start = end

    def __getstate__(self) -> tuple[bytearray, array[int]]:
        return self._data, self._ends

    def __setstate__(self, state: tuple[bytearray, array[int]]) -> None:
        self._data, self._ends = state


class Duplicates:
    """The hand-written questions of a bank, added in bank order (`add`), as compact keys; `pairs` then finds the
    near-duplicates among them. Each question is held as a few columns (its id and key texts in `Texts`, its
    place's line in an array), not as objects: ~55,000 questions at 100k go from part to part of the linter,
    pickled, and are held until its end; `asked(at)` makes one back."""

    def __init__(self) -> None:
        self._ids = Texts()
        self._paths: list[str | None] = []  # None: no place (the path objects are the questions' own, shared)
        self._lines = array("q")
        self._drafts = bytearray()
        self._orders = array("q")  # positions among the questions added
        self._others = array("q")
        self._items: dict[Lang, Texts] = {lang: Texts() for lang in _LANGS}  # an order's item set (`_item_text`)
        self._keys: dict[Lang, Texts] = {lang: Texts() for lang in _LANGS}  # `joined_key`s

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, question: Question, spelled: Callable[[str], tuple[str, ...]] = words) -> None:
        """`question` after those added (`spelled`: the words of a text, `quiz.bank.facts.words` or a memo of the
        same, `quiz.bank.paraphrase.word_memo`, for an order's items)."""
        at = len(self._ids)
        self._ids.append(question.id)
        loc = question.loc
        self._paths.append(loc.path if loc is not None else None)
        self._lines.append(loc.line if loc is not None else 0)
        self._drafts.append(question.draft)
        if question.kind is Kind.ORDER:
            self._orders.append(at)
            for lang in _LANGS:
                self._items[lang].append(_item_text(_item_set(question, lang, spelled)))
        else:
            self._others.append(at)
            for lang in _LANGS:
                text = getattr(question.prompt, lang)
                self._keys[lang].append(joined_key(key_words(text, lang)) if text else "")

    def asked(self, at: int) -> Asked:
        """The question added `at`-th."""
        path = self._paths[at]
        return Asked(self._ids[at], Location(path, self._lines[at]) if path is not None else None,
                     bool(self._drafts[at]))

    def extend(self, other: Duplicates) -> None:
        """`other`'s questions added after these (the keys of a later part of the bank)."""
        offset = len(self._ids)
        self._ids.extend(other._ids)
        self._paths.extend(other._paths)
        self._lines.extend(other._lines)
        self._drafts += other._drafts
        self._orders.extend(at + offset for at in other._orders)
        self._others.extend(at + offset for at in other._others)
        for lang in _LANGS:
            self._items[lang].extend(other._items[lang])
            self._keys[lang].extend(other._keys[lang])

    def pairs(self, split: bool = False, meanwhile: Callable[[], None] | None = None) -> list[tuple[int, int]]:
        """(later, earlier) positions of questions that ask the same thing in other words, in either language;
        each later question once (with the first earlier one found), in the order of the later ones. With
        `split`, the two languages are searched at once, one in a forked child (`quiz.parallel.split_run`).
        `meanwhile`: run here once the first language is searched, before the other's is waited for (the child's
        takes longer: English, ~0.25 s more at 100k)."""
        from quiz.parallel import split_run

        def work(part: int, _: int) -> list[tuple[int, int]]:
            found = self._found(_LANGS[part])
            if part == 0 and meanwhile is not None:
                meanwhile()
            return found

        ids = self._ids
        pairs: dict[str, tuple[int, int]] = {}
        found_by_lang = split_run(work, len(_LANGS)) if split else [work(part, 1) for part in range(len(_LANGS))]
        for found in found_by_lang:
            for a, b in found:
                later = ids[b]
                if ids[a] != later and later not in pairs:
                    pairs[later] = (b, a)
        if not pairs:
            return []
        order = {qid: index for index, qid in enumerate(ids)}
        return sorted(pairs.values(), key=lambda pair: order[ids[pair[0]]])

    def _found(self, lang: Lang) -> list[tuple[int, int]]:
        """(earlier, later) positions of the similar questions in `lang`: orders by their items, then the others
        by their prompts."""
        orders, others = self._orders, self._others
        keys = list(self._keys[lang])  # as strings for the search, which reads them again and again
        items = [frozenset(text.split("\n")[:-1]) for text in self._items[lang]]
        found = [(orders[i], orders[j]) for i, j in _similar(items, SIMILAR)]
        found += [(others[i], others[j]) for i, j in similar_keys(keys)]
        return found


def near_duplicates(questions: Iterable[Question]) -> list[tuple[Question, Question]]:
    """(later, earlier) pairs of `questions` that ask the same thing in other words (`Duplicates.pairs`)."""
    kept = list(questions)
    duplicates = Duplicates()
    for question in kept:
        duplicates.add(question)
    return [(kept[later], kept[earlier]) for later, earlier in duplicates.pairs()]


def _item_set(question: Question, lang: Lang, spelled: Callable[[str], tuple[str, ...]] = words) -> frozenset[str]:
    return frozenset(" ".join(spelled(getattr(item.text, lang))) for item in question.items
                     if getattr(item.text, lang))


def _item_text(items: frozenset[str]) -> str:
    """An order's item set as one text (`Texts`): its items in order, each ended by a newline (an item is words
    joined by spaces, perhaps none)."""
    return "".join(f"{item}\n" for item in sorted(items))


def _similar(sets: Sequence[frozenset[str]], threshold: float) -> Iterator[tuple[int, int]]:
    """Pairs (earlier, later) of sets whose Jaccard similarity is at least `threshold`, later by later, each
    later's earlier ones in order.

    Prefix filtering (two such sets share one of their rarest |s| - ceil(t·|s|) + 1 tokens), with the index
    kept per token *and size*: a set of n tokens can only match one of ceil(t·n) to floor(n / t) tokens, so
    only those sizes are looked up (a common word's postings no longer grow the candidates of every set)."""
    frequency = Counter(token for tokens in sets for token in tokens)
    index: dict[str, dict[int, list[int]]] = {}
    for i, tokens in enumerate(sets):
        if not tokens:
            continue
        n = len(tokens)
        ordered = sorted(tokens, key=lambda t: (frequency[t], t))
        prefix = ordered[: n - math.ceil(threshold * n) + 1]
        low, high = math.ceil(threshold * n - 1e-9), math.floor(n / threshold + 1e-9)
        found: set[int] = set()
        for token in prefix:
            sizes = index.get(token)
            if sizes is None:
                continue
            for size, members in sizes.items():
                if low <= size <= high:
                    found.update(members)
        for j in sorted(found):
            other = sets[j]
            common = len(tokens & other)
            if common >= threshold * (n + len(other) - common):
                yield j, i
        for token in prefix:
            index.setdefault(token, {}).setdefault(n, []).append(i)
