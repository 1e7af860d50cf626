"""Answer normalisation and tokens (Arabic + English): the text every grader compares.

Everything here is pure: strings in, values out, nothing raised for any input. See quiz.grading for how the
tokens are matched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["has_roman", "normalize", "tokenize"]


# ----------------------------------------------------------------------------------------------------
# Normalisation

_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ؤ": "ء",
    "ئ": "ء",
    "ى": "ي",
    "ة": "ه",
    # Persian keyboard letters often typed for their Arabic twins.
    "ی": "ي",
    "ک": "ك",
}
_TATWEEL = "ـ"
_DECIMAL_SEPARATOR = "٫"  # U+066B
_THOUSANDS_SEPARATOR = "٬"  # U+066C


def _char_map(char: str, *, marks: bool) -> str | None:
    """What one character becomes: itself, a replacement, or None (dropped).

    With `marks`, combining marks (Mn, Me) are dropped and ',' becomes a space (the final pass); without, they
    are kept for the first pass so that NFKC-composed letters (ي + hamza → ئ) fold first.
    """
    if char in _FOLD:
        return _FOLD[char]
    if char == _TATWEEL:
        return None
    if char == _DECIMAL_SEPARATOR or char == ".":
        return "."
    if char == _THOUSANDS_SEPARATOR or char == ",":
        return " " if marks else ","
    category = unicodedata.category(char)
    if category in ("Cs", "Cf"):
        return None
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if category[0] in "PSZ" or category == "Cc":
        return " "
    if marks and category in ("Mn", "Me"):
        return None
    return char


class _Table(dict[int, str | None]):
    """A `str.translate` table that works out (and remembers) each character the first time it is seen."""

    def __init__(self, *, marks: bool) -> None:
        super().__init__()
        self.marks = marks

    def __missing__(self, key: int) -> str | None:
        value = _char_map(chr(key), marks=self.marks)
        self[key] = value
        return value


_FIRST = _Table(marks=False)
_FINAL = _Table(marks=True)
_SURROGATES = re.compile("[\ud800-\udfff]")
_THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_STRAY_DOT = re.compile(r"(?<![0-9])\.|\.(?![0-9])")


def normalize(text: str) -> str:
    """The form answers are compared in; idempotent, total (never raises) and linear in the length of `text`.

    NFKC → drop format characters (Cf: bidi marks, isolates, ZWJ/ZWNJ) → fold أ إ آ ٱ→ا, ؤ ئ→ء, ى→ي, ة→ه
    (and Persian ی→ي, ک→ك), drop tatweel → any decimal digit (Arabic-Indic, Persian, …) → 0-9, ٫ → '.',
    thousands separators (',' or ٬ before exactly three digits) dropped → casefold → strip diacritics
    (NFKD, drop combining marks: Arabic tashkeel, Latin accents) → punctuation and symbols (P*, S*) to
    spaces, except a '.' between two digits → collapse whitespace (NBSP included) → strip.
    Lone surrogates are dropped first.
    """
    text = _SURROGATES.sub("", text)
    text = unicodedata.normalize("NFKC", text).translate(_FIRST)
    text = _THOUSANDS.sub("", text).casefold()
    text = unicodedata.normalize("NFKD", text).translate(_FINAL)
    text = _STRAY_DOT.sub(" ", text)
    return " ".join(unicodedata.normalize("NFC", text).split())


# ----------------------------------------------------------------------------------------------------
# Tokens

_ARTICLE_AR = "ال"
_DIGITS = "0123456789"
_DIGITS_AND_DOT = "0123456789."
_ARTICLE_EN = "the"
_RUN = re.compile(r"[0-9]+(?:\.[0-9]+)*|[^0-9]+")
# Words that may stand beside a year without changing it: "1962م", "عام 1962", "1962 AD".
_ERA_WORDS = frozenset({"م", "ميلادي", "ميلاديه", "عام", "سنه", "في", "ad", "ce", "in", "year"})


@dataclass(frozen=True, slots=True)
class _Tokens:
    numbers: tuple[str, ...]
    words: tuple[str, ...]  # letter runs, in order

    @property
    def letters(self) -> str:
        return "".join(self.words)

    @property
    def numeric(self) -> bool:
        """Only numbers, possibly with era words such as م or AD."""
        return bool(self.numbers) and all(word in _ERA_WORDS for word in self.words)


def _is_integer(text: str) -> bool:
    """ASCII digits only (`str.isdigit` would also admit digits such as ① or 𑁒 that `int` refuses)."""
    return text.isascii() and text.isdigit()


def _drop_article(word: str) -> str:
    if word.startswith(_ARTICLE_AR):
        rest = word[len(_ARTICLE_AR) :]
        if sum(1 for char in rest if char not in _DIGITS_AND_DOT) >= 2:
            return rest
    return word


def _canonical_number(run: str) -> str:
    whole, dot, fraction = run.partition(".")
    return (whole.lstrip("0") or "0") + dot + fraction


_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_UPPER = re.compile(r"(?<![A-Za-z])(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?![A-Za-z])")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def _roman_value(word: str) -> int | None:
    """1-39 for a Roman numeral word (i, ii, iv, xii, …), else None."""
    if not word or not _ROMAN.match(word):
        return None
    total = 0
    for index, char in enumerate(word):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[word[index + 1]] if index + 1 < len(word) else 0
        total += -value if value < following else value
    return total


def has_roman(text: str) -> bool:
    """Whether an answer as written carries a Roman numeral (SALT II, Alexander II, World War I)."""
    return bool(_ROMAN_UPPER.search(text))


def _tokens(normalized: str, roman: bool = False) -> _Tokens:
    """Numbers and letter runs; with `roman`, Roman numeral words count as numbers (SALT II = SALT 2)."""
    words = normalized.split()
    if len(words) > 1 and words[0] == _ARTICLE_EN:
        words = words[1:]
    numbers: list[str] = []
    letters: list[str] = []
    for word in words:
        value = _roman_value(word) if roman else None
        if value is not None:
            numbers.append(str(value))
            continue
        for run in _RUN.findall(_drop_article(word)):
            if run[0] in _DIGITS:
                numbers.append(_canonical_number(run))
            else:
                letters.append(run)
    return _Tokens(tuple(numbers), tuple(letters))


def tokenize(text: str) -> tuple[tuple[str, ...], str]:
    """The numbers (in order) and the letters (spaces removed, articles dropped) of an answer, as compared."""
    tokens = _tokens(normalize(text))
    return tokens.numbers, tokens.letters


def _script(char: str) -> str:
    code = ord(char)
    if 0x0600 <= code <= 0x08FF or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return "arabic"
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    return unicodedata.name(char, "?").split(" ", 1)[0].lower()


def _scripts(text: str) -> frozenset[str]:
    return frozenset(_script(char) for char in set(text) if char.isalpha())
