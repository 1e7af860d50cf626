"""Near-duplicate questions (rule Q403, `near-duplicate`), found in one pass over a bank that keeps only a compact
key of each hand-written question: its id and place, its prompts' key words (`quiz.bank.paraphrase.key_words`,
in each language) or, for an order question, its items' word sets.

Order questions compare their items as sets (Jaccard, at least `SIMILAR`), the others their prompts
(`quiz.bank.paraphrase`: question phrases and stop words normalised, compared with rapidfuzz).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from quiz.bank.facts import words
from quiz.bank.paraphrase import content_words, key_words, similar_keys
from quiz.model import Kind, Lang, Location, Question

SIMILAR = 0.85
_LANGS: tuple[Lang, ...] = ("en", "ar")


@dataclass(frozen=True, slots=True)
class Asked:
    """What a finding about a question needs of it once a pass over the bank has moved on."""

    id: str
    loc: Location | None
    draft: bool


class Duplicates:
    """The hand-written questions of a bank, added in bank order (`add`), as compact keys; `pairs` then finds the
    near-duplicates among them."""

    def __init__(self) -> None:
        self.asked: list[Asked] = []
        self._orders: list[int] = []  # positions in `asked`
        self._others: list[int] = []
        self._items: dict[Lang, list[frozenset[str]]] = {lang: [] for lang in _LANGS}
        self._keys: dict[Lang, list[str]] = {lang: [] for lang in _LANGS}  # key words joined by spaces: one object

    def add(self, question: Question) -> Asked:
        asked = Asked(question.id, question.loc, question.draft)
        if question.kind is Kind.ORDER:
            self._orders.append(len(self.asked))
            for lang in _LANGS:
                self._items[lang].append(_item_set(question, lang))
        else:
            self._others.append(len(self.asked))
            for lang in _LANGS:
                text = getattr(question.prompt, lang)
                self._keys[lang].append(" ".join(key_words(text, lang)) if text else "")
        self.asked.append(asked)
        return asked

    def extend(self, other: Duplicates) -> None:
        """`other`'s questions added after these (the keys of a later part of the bank)."""
        offset = len(self.asked)
        self.asked.extend(other.asked)
        self._orders.extend(at + offset for at in other._orders)
        self._others.extend(at + offset for at in other._others)
        for lang in _LANGS:
            self._items[lang].extend(other._items[lang])
            self._keys[lang].extend(other._keys[lang])

    def pairs(self, split: bool = False) -> list[tuple[int, int]]:
        """(later, earlier) positions of questions that ask the same thing in other words, in either language;
        each later question once (with the first earlier one found), in the order of the later ones. With
        `split`, the two languages are searched at once, one in a forked child (`quiz.parallel.split_run`)."""
        from quiz.parallel import split_run

        asked = self.asked
        pairs: dict[str, tuple[int, int]] = {}
        found_by_lang = (split_run(lambda part, _: self._found(_LANGS[part]), len(_LANGS)) if split else
                         [self._found(lang) for lang in _LANGS])
        for found in found_by_lang:
            for a, b in found:
                if asked[a].id != asked[b].id and asked[b].id not in pairs:
                    pairs[asked[b].id] = (b, a)
        order = {item.id: index for index, item in enumerate(asked)}
        return sorted(pairs.values(), key=lambda pair: order[asked[pair[0]].id])

    def _found(self, lang: Lang) -> list[tuple[int, int]]:
        """(earlier, later) positions of the similar questions in `lang`: orders by their items, then the others
        by their prompts."""
        orders, others, keys = self._orders, self._others, self._keys[lang]
        frequency: Counter[str] = Counter()
        for key in keys:
            frequency.update(content_words(key.split()))
        found = [(orders[i], orders[j]) for i, j in _similar(self._items[lang], SIMILAR)]
        found += [(others[i], others[j]) for i, j in similar_keys(keys, frequency)]
        return found


def near_duplicates(questions: Iterable[Question]) -> list[tuple[Question, Question]]:
    """(later, earlier) pairs of `questions` that ask the same thing in other words (`Duplicates.pairs`)."""
    kept = list(questions)
    duplicates = Duplicates()
    for question in kept:
        duplicates.add(question)
    return [(kept[later], kept[earlier]) for later, earlier in duplicates.pairs()]


def _item_set(question: Question, lang: Lang) -> frozenset[str]:
    return frozenset(" ".join(words(getattr(item.text, lang))) for item in question.items if getattr(item.text, lang))


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
