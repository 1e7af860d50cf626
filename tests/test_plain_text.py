"""Plain texts (`quiz.bank.plain_text`): their words found by one regular expression are those normalising finds.

The proof, over the plain characters: each is its own NFKC form with combining class 0 and no two of them
compose, so a plain text is its own NFKC form; normalising maps each of them on its own (a letter to a letter,
anything else to a word boundary), and the letters it maps to decompose to nothing else and compose with none
of each other. So a plain text's words are those of its characters mapped one by one: what the pairs below and
the Hypothesis-made texts check against the slow path.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.bank.facts import WORD_RUN, piece_tokens, words
from quiz.bank.plain_text import ARABIC_FOLDED, ARABIC_PLAIN, PLAIN, SEPARATORS, plain_tokens, plain_words
from quiz.grading import normalize


def slow_tokens(text: str) -> tuple[str, ...]:
    return tuple(WORD_RUN.findall(normalize(text)))


def slow_words(text: str) -> tuple[str, ...]:
    """`quiz.bank.facts.words` as it says: normalised words, a leading Arabic article dropped from each and a
    leading English `the` from the text."""
    out = tuple(word[2:] if word.startswith("ال") and len(word) > 3 and not word[2:].isdigit() else word
                for word in slow_tokens(text))
    return out[1:] if len(out) > 1 and out[0] == "the" else out


def test_the_folded_letters_are_those_normalising_folds() -> None:
    assert ARABIC_FOLDED == {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "ء", "ئ": "ء", "ى": "ي", "ی": "ي",
                             "ة": "ه", "ک": "ك"}


def test_each_plain_character_is_its_own_normal_form_and_maps_alone() -> None:
    letters = set(map(chr, range(ord("a"), ord("z") + 1))) | ARABIC_PLAIN
    for char in PLAIN:
        assert unicodedata.combining(char) == 0
        assert unicodedata.normalize("NFKC", char) == char
        mapped = normalize(char)
        if char in SEPARATORS:
            assert mapped == "" and not char.isdigit()
        else:
            assert mapped in letters and unicodedata.normalize("NFKD", mapped) == mapped
        assert plain_tokens(char) == list(slow_tokens(char))


def test_no_two_plain_characters_compose_and_each_pair_has_the_slow_words() -> None:
    chars = sorted(PLAIN)
    for first in chars:
        for second in chars:
            pair = first + second
            assert unicodedata.normalize("NFKC", pair) == pair
            mapped = normalize(first) + normalize(second)
            assert unicodedata.normalize("NFC", mapped) == mapped
            assert tuple(plain_tokens(pair) or ()) == slow_tokens(pair)
            assert plain_words(pair) == slow_words(pair) == words(pair)
            assert piece_tokens(pair) == slow_tokens(pair)


plain_word = st.sampled_from(["the", "The", "ال", "الب", "الأب", "الحرب", "الأول", "{{Yalta}}?", "«يالطا»؟",
                              "turning."])
plain_text = st.lists(st.text(st.sampled_from(sorted(PLAIN)), max_size=6) | plain_word, max_size=8).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(plain_text)
def test_a_plain_texts_words_are_those_of_its_normal_form(text: str) -> None:
    assert tuple(plain_tokens(text) or ()) == slow_tokens(text)
    assert plain_words(text) == slow_words(text)
    for piece in text.split():
        assert piece_tokens(piece) == slow_tokens(piece)


def test_other_texts_are_not_plain() -> None:
    for text in ["1945", "١٩٤٥", "Yalta 1945", "é", "e\u0301", "عربـي", "أيّ", "a\u00a0b", "ﻻ", "a\u200fb", "²"]:
        assert plain_tokens(text) is None and plain_words(text) is None
    assert plain_words("") == () and plain_tokens("") == []
