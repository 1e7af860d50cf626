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

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from itertools import chain, filterfalse

from rapidfuzz import fuzz

from quiz.bank.facts import piece_tokens
from quiz.bank.plain_text import plain_tokens, plain_words
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
_MARKERS = frozenset(_PHRASES)
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

    Its words are `WORD_RUN` of the normalised text: a plain text's (`quiz.bank.plain_text`, nearly every prompt)
    found by one regular expression, another's worked out per whitespace-separated piece (normalising changes
    nothing across whitespace, see `quiz.bank.facts.words`) and remembered (`_TOKENS`). They are scanned left to
    right: at each word the longest phrase starting there, else the word itself (left out if a stop word)."""
    plain = plain_tokens(text)
    if plain is not None:
        return _phrased(tuple(plain), lang, True)
    return _phrased(tuple(chain.from_iterable(map(_TOKENS.__getitem__, text.split()))), lang, False)


def _phrased(tokens: tuple[str, ...], lang: Lang, plain: bool) -> tuple[str, ...]:
    """`key_words` of a text's tokens (`plain`: a plain text's, all letters)."""
    table, stop = _BY_FIRST[lang], _STOP[lang].__contains__
    out: list[str] = []
    done = 0  # the words before this one are in `out`
    for i in [i for i, word in enumerate(tokens) if word in table]:
        if i < done:
            continue
        for sequence, marker, at_start in table[tokens[i]]:
            if (not at_start or i == 0) and tokens[i:i + len(sequence)] == sequence:
                out.extend(filterfalse(stop, tokens[done:i]))
                out.append(marker)
                done = i + len(sequence)
                break
    out.extend(filterfalse(stop, tokens[done:]))
    if lang != "ar":
        return tuple(out)
    if plain:  # letters only: `_unprefixed` without its test for digits
        return tuple([word[2:] if word[:2] == "ال" and len(word) > 3 else word for word in out])
    return tuple(map(_unprefixed, out))


def _unprefixed(word: str) -> str:
    """A word without its leading Arabic article (`quiz.bank.facts.words` drops it likewise)."""
    return word[2:] if word.startswith("ال") and len(word) > 3 and not word[2:].isdigit() else word


class _Tokens(dict[str, tuple[str, ...]]):
    """Whitespace-free pieces of texts that are not plain -> their normalised words (`WORD_RUN` of
    `quiz.grading.normalize`), worked out on first sight: the one normalisation of a piece that both languages'
    key words and `word_memo` share; emptied when it holds `_PIECES_KEPT`."""

    def __missing__(self, piece: str) -> tuple[str, ...]:
        if len(self) >= _PIECES_KEPT:
            self.clear()
        tokens = self[piece] = piece_tokens(piece)
        return tokens


_TOKENS = _Tokens()
_PIECES_KEPT = 1 << 14
"""Pieces remembered in `_TOKENS` and in each `word_memo`, emptied when full. Few: they are the pieces of texts
that are not plain (`quiz.bank.plain_text`: with digits, say), 3% of the 100k bench bank's texts the linter
spells and a few of its prompts."""


def forget() -> None:
    """Drop the remembered pieces (the linter, once its pass over a bank is done)."""
    _TOKENS.clear()


def paraphrases(texts: Sequence[str], lang: Lang, score: float = SCORE) -> Iterator[tuple[int, int]]:
    """(earlier, later) positions of prompts that are paraphrases of each other, each pair once, compared
    within blocks: a later prompt meets only the earlier ones sharing one of its rarest key words or a number."""
    return similar_keys([joined_key(key_words(text, lang)) if text else "" for text in texts], score=score)


def joined_key(key: Sequence[str]) -> str:
    """A prompt's key words as `similar_keys` compares them: sorted and joined by spaces (rapidfuzz's
    `token_sort_ratio` of two prompts is the `ratio` of these, each sorted once rather than at each comparison)."""
    return " ".join(sorted(key))


def content_words(key: Sequence[str]) -> frozenset[str]:
    """A prompt's key words but its question-phrase markers."""
    return frozenset(key).difference(_MARKERS)


def similar_keys(keys: Sequence[str], score: float = SCORE) -> Iterator[tuple[int, int]]:
    """`paraphrases` of prompts given as their `key_words` sorted and joined by spaces (`joined_key`: one string a
    prompt, what rapidfuzz compares). A prompt is blocked by its numbers and its `BLOCKING_WORDS` rarest other
    content words (fewest prompts, then alphabetical: each word's rank in that order worked out once); a
    candidate is compared with rapidfuzz first (in C), its significant words only when that passes."""
    frequency: Counter[str] = Counter()
    for key in keys:
        frequency.update(content_words(key.split()))
    numbers_ = {w for w in frequency if w[0].isdigit()}
    for at, word in enumerate(sorted(sorted(frequency), key=frequency.__getitem__)):
        frequency[word] = at  # the counts, once in order, as ranks in their place (no second table of the words)
    rank = frequency.__getitem__
    marks: dict[int, tuple[str, ...]] = {}
    index: dict[str, list[int]] = {}
    ratio = fuzz.ratio  # of sorted words: `token_sort_ratio`
    for i, key in enumerate(keys):
        words_ = content_words(key.split())
        if len(words_) < 2:
            continue
        if words_.isdisjoint(numbers_):
            blocking = sorted(words_, key=rank)[:BLOCKING_WORDS]
        else:
            blocking = sorted(words_ & numbers_) + sorted(words_ - numbers_, key=rank)[:BLOCKING_WORDS]
        seen: set[int] = set()
        for word in blocking:
            for j in index.get(word, ()):
                if j in seen:
                    continue
                seen.add(j)
                if ratio(keys[j], key, score_cutoff=score) and \
                        _mark(j, keys, marks) == _mark(i, keys, marks):
                    yield j, i
        for word in blocking:
            bucket = index.get(word)
            if bucket is None:
                index[word] = [i]
            elif len(bucket) < MAX_BLOCK:
                bucket.append(i)


def _mark(i: int, keys: Sequence[str], marks: dict[int, tuple[str, ...]]) -> tuple[str, ...]:
    found = marks.get(i)
    if found is None:
        found = marks[i] = significant(sorted(content_words(keys[i].split())))
    return found


def word_memo(kept: int = _PIECES_KEPT) -> Callable[[str], tuple[str, ...]]:
    """`quiz.bank.facts.words`, remembering up to `kept` pieces in a memo of its own, dropped with the function
    (facts' shared memo is emptied by every reveal search): one for each pass of the linter. A plain text's words
    (`quiz.bank.plain_text`, most texts) are found without it; another's pieces' normalised words come from
    `_TOKENS`, shared with the key words of prompts (`forget` empties it)."""
    pieces: dict[str, tuple[str, ...]] = {}
    get = pieces.__getitem__
    tokens_of = _TOKENS.__getitem__

    def spelled(text: str) -> tuple[str, ...]:
        plain = plain_words(text)
        if plain is not None:
            return plain
        split = text.split()
        try:
            out = tuple(chain.from_iterable(map(get, split)))
        except KeyError:
            if len(pieces) >= kept:
                pieces.clear()
            for piece in split:
                if piece not in pieces:
                    tokens = tokens_of(piece)
                    words = tuple(map(_unprefixed, tokens))
                    pieces[piece] = tokens if words == tokens else words  # most pieces: one tuple kept
            out = tuple(chain.from_iterable(map(get, split)))
        if len(out) > 1 and out[0] == "the":
            out = out[1:]
        return out

    return spelled
