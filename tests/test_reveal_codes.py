"""The reveal scan by words' codes (quiz.bank.reveal_codes) finds what the scan word by word
(quiz.bank.reveal_scan._scan) finds: the same reveals, places, codes (restates, siblings, language) and order, on
banks whose texts repeat answers, years, a leading `the` and the scan's own mark word."""

from __future__ import annotations

from array import array
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.bank import facts, reveal_codes
from quiz.bank.reveal_scan import _SEP, _anchored, _Found, _scan, answer_sizes, indexed
from quiz.model import Kind, OrderItem, Question, Text
from tests.test_bank_facts_reference import EVENTS, VOCAB

WORDS = [*VOCAB, "The", "Yalta conference", _SEP, "ZZQZZ", "the the", "1945,", "الموسكو"]
text = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)
texts = st.builds(Text, text, text)
answers = st.sampled_from(["Yalta", "the Yalta conference", "Moscow Summit", "Cuban missile crisis", "موسكو",
                           "قمة موسكو", "Potsdam conference", "the Moscow"]).map(lambda a: Text(a, a)) | texts


@st.composite
def questions(draw: st.DrawFn) -> list[Question]:
    out: list[Question] = []
    for n in range(draw(st.integers(1, 10))):
        kind = draw(st.sampled_from([Kind.TYPED, Kind.CHOICE, Kind.CLOZE, Kind.ORDER, Kind.CARD]))
        year = draw(st.booleans())
        answer = Text(*(2 * [draw(st.sampled_from(["1945", "1962", "1961"]))])) if year else draw(answers)
        choices = (answer, *draw(st.lists(texts | answers, max_size=3))) if kind is Kind.CHOICE else ()
        items = tuple(OrderItem(t) for t in draw(st.lists(texts, max_size=3))) if kind is Kind.ORDER else ()
        generated = year and draw(st.booleans())
        qid = f"gen-year-{n}" if generated else f"q{n}"
        events = tuple(draw(st.lists(st.sampled_from([e.id for e in EVENTS]), max_size=2)))
        out.append(Question(qid, kind, "e", draw(texts | answers), answer, draw(texts | answers), None,
                            choices=choices, items=items, tolerance=draw(st.sampled_from([0, 1])),
                            generated=generated, events=events))
    return out


def _columns(found: _Found) -> tuple[object, ...]:
    return (found.revealer_ids, found.revealer_at, bytes(found.drafts), found.revealers.tobytes(),
            found.targets.tobytes(), bytes(found.codes))


def _empty(columns: list[object]) -> _Found:
    _, target_ids, shown, years, target_at, _, _, _ = columns
    return _Found(0, target_ids, shown, years, target_at, [], [], bytearray(), array("l"), array("l"),
                  bytearray())  # type: ignore[arg-type]


def _both(bank: list[Question], kept: int) -> tuple[tuple[object, ...], tuple[object, ...]] | None:
    columns = facts._first(bank, {e.id: e for e in EVENTS})
    _, _, shown, _, _, target_events, langs, topics = columns
    if not shown:
        return None
    anchored = _anchored(shown, langs, topics, target_events)
    index, coded = indexed(anchored), reveal_codes.build(anchored)
    if coded is None:
        return None
    by_words, by_codes = _empty(columns), _empty(columns)
    sizes = answer_sizes(shown)
    _scan(bank, index, target_events, by_words, facts._Pieces(1 << 10).words, sizes)
    reveal_codes.scan(bank, coded, target_events, by_codes, reveal_codes.Pieces(coded.codes, facts._piece_words, kept),
                      sizes)
    return _columns(by_words), _columns(by_codes)


@settings(max_examples=500, deadline=None)
@given(questions(), st.sampled_from([4, 1 << 10]))
def test_the_coded_scan_finds_what_the_scan_word_by_word_finds(bank: list[Question], kept: int) -> None:
    both = _both(bank, kept)
    if both is not None:
        assert both[1] == both[0]


def test_a_text_with_the_mark_word_of_its_own_is_scanned_text_by_text() -> None:
    target = Question("q0", Kind.TYPED, "e", Text("س", "who?"), Text("موسكو", "Moscow Summit"), Text(), None)
    revealer = Question("q1", Kind.TYPED, "e", Text("x", f"Moscow {_SEP} Summit"), Text("y", "z"),
                        Text("", "the Moscow Summit"), None)
    both = _both([target, revealer], 1 << 10)
    assert both is not None and both[1] == both[0]
    assert both[1][0] == ["q1"]  # in the explanation, not across the prompt's own mark word


def test_a_bank_whose_answer_holds_the_mark_word_is_left_to_the_scan_word_by_word() -> None:
    target = Question("q0", Kind.TYPED, "e", Text("س", "who?"), Text("موسكو", f"Moscow {_SEP}"), Text(), None)
    columns = facts._first([target], {})
    _, _, shown, _, _, target_events, langs, topics = columns
    assert reveal_codes.build(_anchored(shown, langs, topics, target_events)) is None


def test_pieces_give_each_words_code_and_one_code_to_other_words() -> None:
    pieces = reveal_codes.Pieces({"moscow": "\x02", "summit": "\x03"}, facts._piece_words, 2)
    assert pieces.codes(["Moscow, (Summit)", "Potsdam"]) == "\x02\x03" + reveal_codes.MARK + reveal_codes.OTHER
    assert pieces.codes([f"{_SEP} Moscow", ""]) == reveal_codes.OTHER + "\x02" + reveal_codes.MARK


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), min_size=1, max_size=12)
       | st.sampled_from(["YALTA", "Yalta", "1945", "The", "x1945", "1945.", "Yalta,"]))
def test_a_piece_of_ascii_letters_or_digits_is_its_one_word_in_lower_case(piece: str) -> None:
    words = {"yalta": "\x02", "1945": "\x03", "the": "\x04"}
    pieces = reveal_codes.Pieces(words, facts._piece_words, 8)
    if piece.split() == [piece] and piece != _SEP:
        assert pieces[piece] == "".join(words.get(w, reveal_codes.OTHER) for w in facts._piece_words(piece))
    for plain in (piece.lower(), piece.upper()):
        if plain.isascii() and (plain.isalpha() or plain.isdigit()):
            assert facts._piece_words(plain) == (plain.lower(),)


def test_an_anchor_s_number_is_its_code_s_rank_past_the_surrogates() -> None:
    """The scan works an anchor's number out from its code (`rank`), the surrogates skipped: a bank of more
    answers than there are codes below them still numbers each anchor as `build` did."""
    count = 0xD800 + 2_000  # anchors whose codes run past U+D7FF
    shown = [f"w{i}" for i in range(count)]
    anchored = _anchored(shown, ["en"] * count, [None] * count, [()] * count)
    coded = reveal_codes.build(anchored)
    assert coded is not None and coded.anchors == count
    numbers = [reveal_codes.rank(coded.codes[word]) for word in anchored.plain]
    assert numbers == list(range(count))
    assert not any(0xD800 <= ord(coded.codes[word]) < 0xE000 for word in anchored.plain)
    assert ord(coded.codes[f"w{count - 1}"]) > 0xE000


def _pairs(columns: tuple[Any, ...], bank: list[Question]) -> set[tuple[str, str, str]]:
    """(revealer, target, place) of a scan's columns (`_columns`), the targets named by their questions' ids."""
    target_ids = facts._first(bank, {e.id: e for e in EVENTS})[1]
    revealer_ids, _, _, revealers, targets, codes = columns
    return {(revealer_ids[r], target_ids[t], facts.PLACES[c >> 3])
            for r, t, c in zip(array("l", revealers), array("l", targets), codes, strict=True)}


def test_a_wrong_option_is_looked_at_only_where_it_can_reveal() -> None:
    """A wrong option shows only its own fact's answers (a sibling's): a question linked to an event reveals its
    sibling's answer there, one linked to none reveals nothing there (its options are not even looked at, the
    coded scan's shortcut); but its options' words still name a year's key words, as the scan word by word
    counts them."""
    yalta = Text("يالطا", "Yalta")
    sibling = Question("where", Kind.TYPED, "e", Text("أين؟", "Where did they meet?"), yalta, Text(), None,
                       events=("yalta",))
    when = Question("when", Kind.TYPED, "e", Text("متى عقد مؤتمر يالطا؟", "In what year was the Yalta conference?"),
                    Text("1945", "1945"), Text(), None, events=("yalta",))
    options = (Text("بوتسدام", "Potsdam"), Text("مؤتمر يالطا", "Yalta conference"))
    linked = Question("linked", Kind.CHOICE, "e", Text("ما الذي جاء أولا؟", "Which came first?"),
                      options[0], Text(), None, choices=options, events=("yalta",))
    alone = Question("alone", Kind.CHOICE, "e", Text("ماذا حدث عام 1945؟", "What happened in 1945?"),
                     options[0], Text(), None, choices=options)
    bank = [sibling, when, linked, alone]
    both = _both(bank, 1 << 10)
    assert both is not None and both[1] == both[0]
    found = _pairs(both[1], bank)
    assert ("linked", "where", "choices") in found  # a sibling's answer, in a wrong option
    assert not {pair for pair in found if pair[0] == "alone" and pair[1] == "where"}
    assert ("alone", "when", "prompt") in found  # 1945 in its prompt, Yalta conference named by an option
