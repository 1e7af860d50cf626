"""Plain texts: those whose words (`WORD_RUN` of `quiz.grading.normalize`) are found by one regular expression,
without normalising and without remembering pieces.

A text is plain when each of its characters is an ASCII letter, an Arabic letter that normalising leaves as it
is (`ARABIC_PLAIN`) or folds into one of those (`ARABIC_FOLDED`: أ إ آ ٱ → ا, ؤ ئ → ء, ى ی → ي, ة → ه, ک → ك),
ASCII whitespace or punctuation, or Arabic punctuation (، ؛ ؟ « »): no digit, no combining mark, nothing that
compatibility forms decompose. Each such character is its own NFKC form, combines with no other (none is a
combining mark, and no two of them compose: `tests/test_plain_text.py` checks every pair), and normalising maps
it on its own: a letter lower-cased or folded, anything else a word boundary (without a digit beside it, a '.' or
',' is one too). So a plain text's words are the runs of its letters, lower-cased and folded.

Most of a bank's texts are plain (on the 100k bench bank: 97% of those the linter spells, all but a few prompts),
so the linter's word memos (`quiz.bank.paraphrase`) only see the others.
"""

from __future__ import annotations

import re
import string
import unicodedata

from quiz.grading import normalize

ARABIC_PLAIN = frozenset(
    char for char in map(chr, range(0x0621, 0x064B))
    if unicodedata.category(char) == "Lo" and unicodedata.normalize("NFKD", char) == char == normalize(char))
"""Arabic letters (hamza to yeh) that are their own normal form, decomposed or not: not folded (أ, ة ...), no
tatweel, no combining mark (the only characters Arabic letters compose with, so a run of these is its own normal
form too)."""
ARABIC_FOLDED = {
    char: normalize(char) for char in map(chr, range(0x0621, 0x0700))
    if unicodedata.category(char) == "Lo" and char not in ARABIC_PLAIN
    and unicodedata.normalize("NFKC", char) == char and normalize(char) in ARABIC_PLAIN}
"""Arabic letters, their own NFKC form, that normalising folds into one plain letter (أ → ا, ة → ه ...)."""
_WHITESPACE = frozenset(" \t\n\r\x0b\x0c")
SEPARATORS = frozenset(string.punctuation + "،؛؟«»") | _WHITESPACE
"""Characters normalising makes a space of, in a text without digits."""
PLAIN = frozenset(string.ascii_letters) | ARABIC_PLAIN | ARABIC_FOLDED.keys() | SEPARATORS
"""The characters of a plain text."""


def _class(chars: frozenset[str]) -> str:
    return "".join(map(re.escape, sorted(chars)))


_LETTERS = _class(frozenset(string.ascii_lowercase) | ARABIC_PLAIN)
_PLAIN_TEXT = re.compile(f"[{_class(PLAIN)}]*")
_TOKEN = re.compile(f"[{_LETTERS}]+")
_WORD = re.compile(f"(?:ال(?=[{_LETTERS}]{{2}}))?([{_LETTERS}]+)")
"""A word without its leading Arabic article (as `quiz.bank.facts.words` drops it: from a word of 4 letters or
more)."""
ARABIC_RUN = re.compile(f"[{_class(ARABIC_PLAIN)}]+")
"""A piece of plain Arabic letters only: its own single word (`fullmatch`)."""
_SPACED = re.compile(f"([{_class(PLAIN - SEPARATORS)}{_class(_WHITESPACE)}]*)[{_class(SEPARATORS)}]*")
"""A plain text whose words are separated by whitespace only, but for what ends it (a question's '?', a
sentence's '.'): its words are those of `str.split` (without a regular expression's search for each)."""
_FOLDS = tuple(ARABIC_FOLDED.items())
_FOLDABLE = re.compile(f"[{_class(frozenset(ARABIC_FOLDED))}]")


def _letters(text: str) -> str:
    """A plain text with its letters as normalising leaves them (lower-cased, folded), its other characters kept
    (they separate words)."""
    if not text.isascii() and _FOLDABLE.search(text) is not None:
        for char, folded in _FOLDS:  # a few letters, each replaced in one C scan (`str.translate` is slower)
            if char in text:
                text = text.replace(char, folded)
    return text.lower()


def is_plain(text: str) -> bool:
    """Whether `text` is plain (so it has no digit, nor anything NFKC makes one)."""
    return _PLAIN_TEXT.fullmatch(text) is not None


def plain_tokens(text: str) -> list[str] | None:
    """`WORD_RUN` of `quiz.grading.normalize(text)` for a plain text, else None."""
    spaced = _SPACED.fullmatch(text)
    if spaced is not None:
        return _letters(spaced[1]).split()
    if _PLAIN_TEXT.fullmatch(text) is None:
        return None
    return _TOKEN.findall(_letters(text))


def plain_words(text: str) -> tuple[str, ...] | None:
    """`quiz.bank.facts.words(text)` for a plain text (its tokens, a leading Arabic article dropped from each and a
    leading English `the` from the text), else None."""
    spaced = _SPACED.fullmatch(text)
    if spaced is not None:
        body = _letters(spaced[1])
        found = body.split()
        if "ال" in body:  # letters only: `quiz.bank.facts.words`' test for digits left out
            found = [word[2:] if word[:2] == "ال" and len(word) > 3 else word for word in found]
    elif _PLAIN_TEXT.fullmatch(text) is None:
        return None
    else:
        found = _WORD.findall(_letters(text))
    return tuple(found[1:] if len(found) > 1 and found[0] == "the" else found)
