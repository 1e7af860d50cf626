"""The reveal scan's index of plain answers (every answer but a year's), flat: a few arrays and strings, and a
number per anchor word; no object per answer.

The scan of a large bank runs in forked children (`quiz.bank.reveal_parts`) that share this process's memory
until they write to it, and in CPython reading an object writes to it (its reference count). An index of tuples,
one per answer, is read all over by every part of the scan (each answer's anchor word is met at least in its own
question), so each child ended up with its own copy of the pages holding it: ~50 MB of a 100,000-question bank's
heap per process, as the index's objects are spread over pages that hold everything else too. Arrays and
strings are read without a write: the pages of this index stay shared.

An anchor word is found in a dict of its number (a lookup writes only to the int it returns: ~50,000 small
objects made at once, not the index's tuples spread over the heap); an answer is compared with the words at its
place as one string. What each anchor leads to is `reveal_scan._anchored`'s: in each language, its answers in the
order given, each as (the anchor's offset in the answer, its words, its targets).
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence

_Entry = tuple[int, tuple[str, ...], tuple[int, ...]]
"""An answer anchored at a word: (the anchor's offset in it, its words, its targets)."""


class PlainIndex:
    """Anchor word -> the answers anchored there in each language (`find`), as arrays."""

    __slots__ = ("numbers", "_spans", "_offsets", "_sizes", "_texts", "_text_at",
                 "_the", "_targets", "_targets_at")

    def __init__(self, anchored: Mapping[str, tuple[Sequence[_Entry], Sequence[_Entry]]]) -> None:
        words = list(anchored)
        self.numbers = {w: a for a, w in enumerate(words)}
        """Anchor word -> its number (`number`; the scan looks it up itself: one call fewer per word)."""
        self._spans = array("q", [0])  # anchor a's answers in language n: entries spans[2a + n]:spans[2a + n + 1]
        self._offsets = array("q")
        self._sizes = array("q")
        texts: list[str] = []
        self._text_at = array("q", [0])
        self._the = bytearray()
        self._targets = array("q")
        self._targets_at = array("q", [0])
        for word in words:
            for entries in anchored[word]:
                for offset, answer, targets in entries:
                    self._offsets.append(offset)
                    self._sizes.append(len(answer))
                    text = " ".join(answer)
                    texts.append(text)
                    self._text_at.append(self._text_at[-1] + len(text))
                    self._the.append(answer[0] == "the")
                    self._targets.extend(targets)
                    self._targets_at.append(len(self._targets))
                self._spans.append(len(self._offsets))
        self._texts = "".join(texts)

    def __len__(self) -> int:
        return len(self.numbers)

    def number(self, word: str) -> int:
        """The anchor number of `word`, or -1 when no answer is anchored there."""
        return self.numbers.get(word, -1)

    def entries(self, anchor: int, lang: int) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
        """The answers anchored at `anchor` in language `lang`, in order: (its words, its targets)."""
        spans, texts, text_at, targets, targets_at = (self._spans, self._texts, self._text_at, self._targets,
                                                      self._targets_at)
        return [(tuple(texts[text_at[e]:text_at[e + 1]].split(" ")), tuple(targets[targets_at[e]:targets_at[e + 1]]))
                for e in range(spans[2 * anchor + lang], spans[2 * anchor + lang + 1])]

    def find(self, anchor: int, lang: int, tokens: tuple[str, ...], p: int, mark: str, k: int,
             hits: dict[tuple[int, int], int]) -> None:
        """Each answer anchored at `anchor` in language `lang` (0 Arabic, 1 English) that the words of `tokens`
        around `p` (the anchor's place) spell: `hits[start, target] = k` for each of its targets."""
        spans, offsets, sizes, texts, text_at = self._spans, self._offsets, self._sizes, self._texts, self._text_at
        targets, targets_at = self._targets, self._targets_at
        for e in range(spans[2 * anchor + lang], spans[2 * anchor + lang + 1]):
            i = p - offsets[e]
            size = sizes[e]
            if i < 0 or (size > 1 and " ".join(tokens[i:i + size]) != texts[text_at[e]:text_at[e + 1]]):
                continue
            if self._the[e] and (i == 0 or tokens[i - 1] == mark):
                continue  # the text's own leading `the`, which `words` drops
            for t in targets[targets_at[e]:targets_at[e + 1]]:
                hits[i, t] = k
