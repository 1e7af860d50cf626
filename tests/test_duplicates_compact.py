"""The near-duplicate search's compact records (`quiz.bank.duplicates`): texts held as one UTF-8 string
(`Texts`) read back as they were written, and a bank's questions added in pieces, pickled from part to part and
put back together (`Duplicates.extend`), give the same questions back (`asked`) and the same pairs as all of them
added at once; a piece's words worked out without normalising are those normalising finds
(`quiz.bank.facts.piece_tokens`)."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.bank.duplicates import Asked, Duplicates, Texts, _item_set, _item_text
from quiz.bank.facts import _ARABIC_PLAIN, WORD_RUN, piece_tokens, words
from quiz.bank.paraphrase import word_memo
from quiz.grading import normalize
from quiz.model import Kind, Location, OrderItem, Question, Text

no_newline = st.text(st.characters(blacklist_characters="\n"), max_size=12)  # lone surrogates too


@settings(max_examples=200, deadline=None)
@given(st.lists(no_newline, max_size=8), st.lists(no_newline, max_size=8))
def test_texts_read_back_as_written_extended_and_pickled(first: list[str], second: list[str]) -> None:
    texts, more = Texts(), Texts()
    for text in first:
        texts.append(text)
    for text in second:
        more.append(text)
    texts.extend(more)
    written = first + second
    texts = pickle.loads(pickle.dumps(texts))
    assert list(texts) == written
    assert len(texts) == len(written)
    assert [texts[i] for i in range(-len(written), len(written))] == written + written
    assert texts[1:] == written[1:]
    with pytest.raises(IndexError):
        texts[len(written)]


@settings(max_examples=200, deadline=None)
@given(st.frozensets(st.text(st.sampled_from("ab أ"), max_size=3), max_size=4))
def test_an_item_set_is_one_text_and_back(items: frozenset[str]) -> None:
    assert frozenset(_item_text(items).split("\n")[:-1]) == items  # the empty item too ({""} is not frozenset())


vocab = st.sampled_from(["Which", "year", "did", "Yalta", "conference", "treaty", "1945", "II", "III", "في أي عام",
                         "مؤتمر", "يالطا", "متى", "when"])
prompts = st.lists(vocab, max_size=6).map(" ".join)


@st.composite
def questions(draw: st.DrawFn) -> list[Question]:
    out: list[Question] = []
    for n in range(draw(st.integers(1, 14))):
        kind = draw(st.sampled_from([Kind.TYPED, Kind.ORDER, Kind.CARD]))
        items = tuple(OrderItem(Text(draw(prompts), draw(prompts))) for _ in range(draw(st.integers(0, 3)))) \
            if kind is Kind.ORDER else ()
        loc = Location(draw(st.sampled_from(["a.yaml", "b/c.yaml"])), n + 1) if draw(st.booleans()) else None
        out.append(Question(f"q{draw(st.integers(0, n))}", kind, "e", Text(draw(prompts), draw(prompts)),
                            Text("x", "x"), Text(), None, items=items, draft=draw(st.booleans()), loc=loc))
    return out


@settings(max_examples=200, deadline=None)
@given(questions(), st.lists(st.integers(1, 5), max_size=6))
def test_questions_added_in_pickled_pieces_are_those_added_at_once(bank: list[Question], cuts: list[int]) -> None:
    whole = Duplicates()
    for question in bank:
        whole.add(question)
    merged, start = Duplicates(), 0
    for size in [*cuts, len(bank)]:
        piece = Duplicates()
        for question in bank[start:start + size]:
            piece.add(question)
        merged.extend(pickle.loads(pickle.dumps(piece)))
        start += size
    assert len(merged) == len(whole) == len(bank)
    assert [merged.asked(i) for i in range(len(bank))] == [Asked(q.id, q.loc, q.draft) for q in bank]
    assert [merged.asked(i).loc for i in range(len(bank))] == [q.loc for q in bank]  # compared unlike a question's
    assert merged.pairs() == whole.pairs() == whole.pairs(split=True)
    orders = [q for q in bank if q.kind is Kind.ORDER]
    assert [frozenset(text.split("\n")[:-1]) for text in merged._items["en"]] == [_item_set(q, "en") for q in orders]


letters = st.sampled_from([*_ARABIC_PLAIN, *"aZq09أإآةىـًٌّٓٔ،؟.,-'ٱ٣۴ﻻé", "\u200f", "\u0301"])


@settings(max_examples=500, deadline=None)
@given(st.text(letters, min_size=1, max_size=8) | st.text(min_size=1, max_size=8))
def test_a_pieces_words_are_those_of_its_normal_form(text: str) -> None:
    for piece in text.split():
        assert piece_tokens(piece) == tuple(WORD_RUN.findall(normalize(piece)))


def test_the_plain_arabic_letters_are_their_own_words_two_by_two() -> None:
    for first in _ARABIC_PLAIN:
        for second in _ARABIC_PLAIN:
            assert piece_tokens(first + second) == tuple(WORD_RUN.findall(normalize(first + second))) \
                == (first + second,)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(letters, min_size=1, max_size=5) | st.sampled_from(["the", "The", "الحرب", "ال"]),
                         max_size=5).map(" ".join), max_size=12))
def test_a_word_memo_spells_as_the_reveal_search_does(texts: list[str]) -> None:
    spelled = word_memo(4)  # cleared as it fills
    assert [spelled(text) for text in texts] == [words(text) for text in texts]
