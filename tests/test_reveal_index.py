"""The reveal scan's flat index of plain answers (quiz.bank.reveal_index): an anchor word is found by its spelling
(words of one hash told apart), and an answer anchored there is found only where the words around the anchor spell
it, in its language, with a text's own leading `the` left to the text."""

from __future__ import annotations

from quiz.bank.reveal_index import PlainIndex

MARK = "\x00"


class _SameHash(str):
    """A word whose hash is every other's: anchors told apart by their spelling."""

    def __hash__(self) -> int:
        return 42


def _index() -> PlainIndex:
    return PlainIndex({
        "yalta": ([], [(0, ("yalta",), (3,)), (1, ("the", "yalta", "conference"), (5, 6))]),
        "موسكو": ([(1, ("قمة", "موسكو"), (7,))], []),
    })


def test_every_anchor_is_found_and_no_other_word() -> None:
    index = _index()
    assert len(index) == 2
    assert index.number("yalta") >= 0 and index.number("موسكو") >= 0
    assert index.number("yalta") != index.number("موسكو")
    assert index.number("potsdam") == -1
    assert index.number("yalt") == -1


def test_words_of_the_same_hash_are_told_apart_by_their_spelling() -> None:
    index = PlainIndex({_SameHash("a"): ([(0, ("a",), (1,))], []), _SameHash("b"): ([(0, ("b",), (2,))], [])})
    hits: dict[tuple[int, int], int] = {}
    for word, target in (("a", 1), ("b", 2)):
        anchor = index.number(_SameHash(word))
        assert anchor >= 0
        index.find(anchor, 0, (word,), 0, MARK, 0, hits)
        assert (0, target) in hits
    assert index.number(_SameHash("c")) == -1


def test_an_answer_is_found_where_its_words_are_and_in_its_language_only() -> None:
    index = _index()
    anchor = index.number("yalta")
    tokens = ("at", "the", "yalta", "conference", MARK, "yalta")
    hits: dict[tuple[int, int], int] = {}
    index.find(anchor, 1, tokens, 2, MARK, 0, hits)  # the anchor at 2: `yalta` alone and `the yalta conference`
    assert hits == {(2, 3): 0, (1, 5): 0, (1, 6): 0}
    arabic: dict[tuple[int, int], int] = {}
    index.find(anchor, 0, tokens, 2, MARK, 0, arabic)
    assert arabic == {}


def test_a_texts_own_leading_the_is_not_an_answers_and_words_past_the_end_do_not_match() -> None:
    index = _index()
    anchor = index.number("yalta")
    hits: dict[tuple[int, int], int] = {}
    index.find(anchor, 1, ("the", "yalta", "conference"), 1, MARK, 0, hits)  # `the` opens the text
    assert hits == {(1, 3): 0}
    hits.clear()
    index.find(anchor, 1, ("x", "the", "yalta"), 2, MARK, 1, hits)  # `conference` would be past the end
    assert hits == {(2, 3): 1}
    hits.clear()
    index.find(index.number("موسكو"), 0, ("قمة", "موسكو"), 1, MARK, 0, hits)
    assert hits == {(0, 7): 0}
