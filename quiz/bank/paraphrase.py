"""Paraphrased prompts (rule Q403, `near-duplicate`): two questions that ask the same thing in other words.

rapidfuzz's one home in this package. A prompt is reduced to its key words in its own language: normalised as
answers are (`quiz.grading.normalize`), its question phrase replaced by a canonical marker ("In which year",
"What year", "When" → `@when`; «في أي عام», «في أي سنة», «متى» → `@when`), its stop words dropped. Two prompts
are paraphrases when rapidfuzz's `token_sort_ratio` of their key words is at least `SCORE` and their numbers,
Roman numerals and ordinal words are the same (`Alexander II` / `Alexander III`, `1957` / `1958` never are).

No all-pairs comparison: each prompt is compared only with the prompts sharing one of its rarest key words (or
one of its numbers), so a bank of 100,000 questions is checked in about the time it takes to read it.

Also the significant words the linter's spelling checks share (`significant`; the words themselves are
`quiz.bank.facts.words`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import chain

from rapidfuzz import fuzz

from quiz.bank.facts import WORD_RUN
from quiz.grading import normalize
from quiz.model import Lang

SCORE = 90.0
"""The least token_sort_ratio (0-100) of two prompts' key words that makes them paraphrases."""
BLOCKING_WORDS = 2
"""How many of a prompt's rarest key words it is blocked (compared) by."""
MAX_BLOCK = 400
"""A blocking word shared by more prompts than this says nothing (a stock word of a generated bank)."""

ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
_ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth elder younger senior junior "
    "اول اولي ثاني ثانيه ثالث ثالثه رابع رابعه خامس خامسه سادس سادسه سابع سابعه ثامن ثامنه تاسع تاسعه عاشر "
    "عاشره اكبر اصغر".split()
)

# Question phrases, on normalised words (أ إ آ → ا, ة → ه, ى → ي, no diacritics), by the marker that stands for
# them: each a sequence of word choices ("in|during" then "which|what" then "year|years"); "^" first: only at the
# start of a prompt.
_PHRASES: dict[str, dict[Lang, tuple[str, ...]]] = {
    "@when": {"en": ("in|during which|what year|years", "which|what year|years", "what was|is the year", "when"),
              "ar": ("في|خلال اي عام|سنه|العام|السنه", "في|ب عام|سنه كم", "اي عام|سنه", "متي")},
    "@which-country": {"en": ("which|what country|nation|state",), "ar": ("اي|ما دوله|الدوله|بلد|البلد",)},
    "@who": {"en": ("which person", "who|whom"), "ar": ("^من هو|هي|كان|كانت", "^من")},
    "@how-many": {"en": ("how many",), "ar": ("كم عدد", "كم")},
    "@which": {"en": ("which|what",), "ar": ("^ما هو|هي", "^ماذا|ما|اي")},
}


def _expand(phrase: str) -> list[tuple[str, ...]]:
    sequences: list[tuple[str, ...]] = [()]
    for choices in phrase.split():
        sequences = [(*seq, word) for seq in sequences for word in choices.split("|")]
    return sequences


# The phrases by their first word, longest first: one dictionary look-up per word of a prompt.
_BY_FIRST: dict[str, dict[str, list[tuple[tuple[str, ...], str, bool]]]] = {}
for _lang in ("en", "ar"):
    _table: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
    for _marker, _phrases in _PHRASES.items():
        for _phrase in _phrases[_lang]:
            for _seq in _expand(_phrase.removeprefix("^")):
                _table.setdefault(_seq[0], []).append((_seq, _marker, _phrase.startswith("^")))
    for _entries in _table.values():
        _entries.sort(key=lambda entry: -len(entry[0]))
    _BY_FIRST[_lang] = _table
_STOP: dict[str, frozenset[str]] = {
    "en": frozenset(
        "a an the of in on at to for by with from as into about did does do is was were are be been being this "
        "that these those and or it its their his her they he she take took place happen happened happens first "
        "time name".split()
    ) - _ORDINALS,
    "ar": frozenset(
        "في من الي الى علي على عن هل كان كانت التي الذي الذين و او ثم مع هذا هذه ذلك تلك قد لقد تم عام سنه "
        "حدث".split()
    ),
}


def significant(tokens: Sequence[str]) -> tuple[str, ...]:
    """The words that change the meaning however small the edit: numbers, Roman numerals, ordinals."""
    return tuple(w for w in tokens if w[0].isdigit() or ROMAN.match(w) or w in _ORDINALS)


def key_words(text: str, lang: Lang) -> tuple[str, ...]:
    """What a prompt asks, for comparison: its question phrase as a marker, its stop words left out.

    Its words are `WORD_RUN` of the normalised text, worked out per whitespace-separated piece (normalising
    changes nothing across whitespace, see `quiz.bank.facts.words`) and remembered: prompts repeat their words."""
    tokens = list(chain.from_iterable(map(_piece_tokens, text.split())))
    table, stop = _BY_FIRST[lang], _STOP[lang]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        for sequence, marker, at_start in table.get(word, ()):
            if (not at_start or i == 0) and tuple(tokens[i:i + len(sequence)]) == sequence:
                out.append(marker)
                i += len(sequence)
                break
        else:
            i += 1
            if word in stop:
                continue
            if lang == "ar" and word.startswith("ال") and len(word) > 3 and not word[2:].isdigit():
                word = word[2:]
            out.append(word)
    return tuple(out)


@functools.lru_cache(maxsize=1 << 17)
def _piece_tokens(piece: str) -> tuple[str, ...]:
    return tuple(WORD_RUN.findall(normalize(piece)))


def paraphrases(texts: Sequence[str], lang: Lang, score: float = SCORE) -> Iterator[tuple[int, int]]:
    """(earlier, later) positions of prompts that are paraphrases of each other, each pair once, compared
    within blocks: a later prompt meets only the earlier ones sharing one of its rarest key words or a number."""
    keys = [key_words(text, lang) if text else () for text in texts]
    content = [frozenset(w for w in key if not w.startswith("@")) for key in keys]
    frequency = Counter(word for words_ in content for word in words_)
    joined = [" ".join(key) for key in keys]
    marks = [significant(sorted(words_)) for words_ in content]
    index: dict[str, list[int]] = {}
    for i, words_ in enumerate(content):
        if len(words_) < 2:
            continue
        numbers = [w for w in words_ if w[0].isdigit()]
        rare = sorted([(frequency[w], w) for w in words_ if not w[0].isdigit()])[:BLOCKING_WORDS]
        blocking = [*numbers, *(w for _, w in rare)]
        seen: set[int] = set()
        for word in blocking:
            for j in index.get(word, ()):
                if j in seen:
                    continue
                seen.add(j)
                if marks[j] == marks[i] and fuzz.token_sort_ratio(joined[j], joined[i], score_cutoff=score):
                    yield j, i
        for word in blocking:
            bucket = index.setdefault(word, [])
            if len(bucket) < MAX_BLOCK:
                bucket.append(i)
