"""Paraphrased prompts (rule Q403, `near-duplicate`): two questions that ask the same thing in other words.

rapidfuzz's one home in this package. A prompt is reduced to its key words in its own language: normalised as
answers are (`quiz.grading.normalize`), its question phrase replaced by a canonical marker ("In which year",
"What year", "When" → `@when`; «في أي عام», «في أي سنة», «متى» → `@when`), its stop words dropped. Two prompts
are paraphrases when rapidfuzz's `token_sort_ratio` of their key words is at least `SCORE` and their numbers,
Roman numerals and ordinal words are the same (`Alexander II` / `Alexander III`, `1957` / `1958` never are).

No all-pairs comparison: each prompt is compared only with the prompts sharing one of its rarest key words (or
one of its numbers), so a bank of 100,000 questions is checked in about the time it takes to read it.

Also the word splitting the linter's spelling checks share (`words`, `significant`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

from rapidfuzz import fuzz

from quiz.grading import normalize
from quiz.model import Lang

SCORE = 90.0
"""The least token_sort_ratio (0-100) of two prompts' key words that makes them paraphrases."""
BLOCKING_WORDS = 2
"""How many of a prompt's rarest key words it is blocked (compared) by."""
MAX_BLOCK = 400
"""A blocking word shared by more prompts than this says nothing (a stock word of a generated bank)."""

_RUN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+")
ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
_ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth elder younger senior junior "
    "اول اولي ثاني ثانيه ثالث ثالثه رابع رابعه خامس خامسه سادس سادسه سابع سابعه ثامن ثامنه تاسع تاسعه عاشر "
    "عاشره اكبر اصغر".split()
)

# Question phrases, on normalised text (أ إ آ → ا, ة → ه, ى → ي, no diacritics), longest first.
_QUESTION_PHRASES: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "en": tuple((re.compile(rf"(?<!\S){pattern}(?!\S)"), marker) for pattern, marker in (
        (r"(?:in|during) (?:which|what) (?:year|years)", "@when"),
        (r"(?:which|what) (?:year|years)", "@when"),
        (r"what (?:was|is) the year", "@when"),
        (r"when", "@when"),
        (r"(?:which|what) (?:country|nation|state)", "@which-country"),
        (r"(?:who|whom|which person)", "@who"),
        (r"(?:which|what)", "@which"),
        (r"how many", "@how-many"),
    )),
    "ar": tuple((re.compile(rf"(?<!\S){pattern}(?!\S)"), marker) for pattern, marker in (
        (r"(?:في|خلال) (?:اي|اى) (?:عام|سنه|العام|السنه)", "@when"),
        (r"(?:اي|اى) (?:عام|سنه)", "@when"),
        (r"(?:في|ب) (?:عام|سنه) كم", "@when"),
        (r"متي", "@when"),
        (r"(?:اي|ما) (?:دوله|الدوله|بلد|البلد)", "@which-country"),
        (r"^(?:من هو|من هي|من كان|من كانت|من)", "@who"),
        (r"^(?:ما هو|ما هي|ماذا|ما|اي)", "@which"),
        (r"(?:كم عدد|كم)", "@how-many"),
    )),
}
_STOP: dict[str, frozenset[str]] = {
    "en": frozenset(
        "a an the of in on at to for by with from as into about did does do is was were are be been being this "
        "that these those and or it its their his her they he she take took place happen happened happens first "
        "time name".split()
    ) - _ORDINALS,
    "ar": frozenset(
        "في من الي الى علي على عن هل كان كانت التي الذي الذين و او ثم مع هذا هذه ذلك تلك قد لقد تم عام سنه "
        "حدث وقع".split()
    ),
}


def words(text: str) -> tuple[str, ...]:
    """The normalised words of a text, Arabic `ال` and a leading English `the` dropped."""
    out: list[str] = []
    for word in _RUN.findall(normalize(text)):
        if word.startswith("ال") and len(word) > 3 and not word[2:].isdigit():
            word = word[2:]
        out.append(word)
    if len(out) > 1 and out[0] == "the":
        out = out[1:]
    return tuple(out)


def significant(tokens: Sequence[str]) -> tuple[str, ...]:
    """The words that change the meaning however small the edit: numbers, Roman numerals, ordinals."""
    return tuple(w for w in tokens if w[0].isdigit() or ROMAN.match(w) or w in _ORDINALS)


def key_words(text: str, lang: Lang) -> tuple[str, ...]:
    """What a prompt asks, for comparison: its question phrase as a marker, its stop words left out."""
    plain = " ".join(_RUN.findall(normalize(text)))
    for pattern, marker in _QUESTION_PHRASES[lang]:
        plain = pattern.sub(marker, plain)
    out: list[str] = []
    for word in plain.split():
        if word.startswith("@"):
            out.append(word)
            continue
        if lang == "ar" and word.startswith("ال") and len(word) > 3 and not word[2:].isdigit():
            word = word[2:]
        if word not in _STOP[lang]:
            out.append(word)
    return tuple(out)


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
        rare = sorted((w for w in words_ if not w[0].isdigit()), key=lambda w: (frequency[w], w))[:BLOCKING_WORDS]
        blocking = [*numbers, *rare]
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
