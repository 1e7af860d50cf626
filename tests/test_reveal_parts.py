"""The reveal search split over the cores (quiz.bank.reveal_parts): the same reveals, in the same order, whether a
bank is searched in one process or in runs in forked children, from a list or from a cold load's scratch file
(which the children read without disturbing it); runs decode only their own chunks."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.bank import facts, reveal_parts, spill
from quiz.bank.cache import _CHUNK, _CachedSequence
from quiz.model import Event, EventDate, Kind, Location, Question, Text

EVENTS = [
    Event("yalta", EventDate(1945), "e", Text("مؤتمر يالطا", "Yalta conference"), Text(), None),
    Event("potsdam", EventDate(1945), "e", Text("مؤتمر بوتسدام", "Potsdam conference"), Text(), None),
    Event("cuba", EventDate(1962), "e", Text("أزمة الصواريخ الكوبية", "Cuban missile crisis"), Text(), None),
]
VOCAB = ["the", "Moscow", "Summit", "treaty", "of", "Yalta", "Potsdam", "conference", "1945", "1962", "crisis",
         "missile", "Cuban", "in", "year", "when", "الاتحاد", "موسكو", "قمة", "معاهدة", "عام", "١٩٤٥", "يالطا",
         "Summit,", "(1945)"]
text = st.lists(st.sampled_from(VOCAB), max_size=6).map(" ".join)
texts = st.builds(Text, text, text)


@st.composite
def templates(draw: st.DrawFn) -> list[Question]:
    out: list[Question] = []
    for n in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from([Kind.TYPED, Kind.CHOICE, Kind.CLOZE, Kind.ORDER]))
        year = draw(st.booleans())
        answer = Text(*(2 * [draw(st.sampled_from(["1945", "1962"]))])) if year else draw(texts)
        choices = (answer, *draw(st.lists(texts, max_size=2))) if kind is Kind.CHOICE else ()
        generated = year and draw(st.booleans())
        events = tuple(draw(st.lists(st.sampled_from([e.id for e in EVENTS]), max_size=2)))
        out.append(Question(f"gen-year-{n}" if generated else f"q{n}", kind, "e", draw(texts), answer, draw(texts),
                            None, choices=choices, tolerance=draw(st.sampled_from([0, 1])), generated=generated,
                            events=events, draft=draw(st.booleans())))
    return out


def bank_of(shapes: list[Question], size: int) -> list[Question]:
    """`size` questions made of the templates: ids, places and a word of the prompt made distinct, and a word
    answers of 1 in 150 copies share, and a year kept in 1 in 75 (another year in the others), so copies far apart
    reveal each other, not all pairs."""
    out = []
    for i in range(size):
        q = shapes[i % len(shapes)]
        answer = q.answer
        if not q.answer.en.isdigit():
            answer = Text(f"{answer.ar} {code(i % 150)}", f"{answer.en} {code(i % 150)}")
        elif i % 75:  # a year no text names
            answer = Text(*2 * [str(1800 + i % 75)])
        choices = (answer, *q.choices[1:]) if q.choices else ()
        out.append(replace(q, id=f"{q.id}-{i}", loc=Location(f"bank/f{i % 7}.yaml", i + 1) if i % 5 else None,
                           prompt=Text(f"{q.prompt.ar} {i % 97}", q.prompt.en), answer=answer, choices=choices))
    return out


def code(n: int) -> str:
    """A distinct word for each n below 26 ** 3."""
    return "x" + "".join(chr(ord("a") + n // 26 ** k % 26) for k in range(3))


def reveals(questions: object, workers: str) -> list[facts.Reveal]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QUIZ_WORKERS", workers)
        patch.setattr(reveal_parts, "SPLIT_AT", 1_000)
        facts._LAST.clear()
        try:
            return facts.find_reveals(questions, EVENTS)  # type: ignore[arg-type]
        finally:
            facts._LAST.clear()


def spilled(questions: list[Question], directory: Path) -> _CachedSequence:
    """The questions as a cold load keeps them: chunks in a scratch file on disk, its last writes buffered."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(spill, "IN_MEMORY", 0)
        out = spill.Spill(directory)
        out.add(questions)
        return out.lookups()["questions"]  # type: ignore[no-any-return]


needs_fork = pytest.mark.skipif(sys.platform != "linux", reason="splits fork on Linux only")


@needs_fork
@settings(max_examples=5, deadline=None)
@given(templates(), st.integers(1_000, 2_000))
def test_reveals_split_over_two_processes_are_those_found_in_one(shapes: list[Question], size: int) -> None:
    bank = bank_of(shapes, size)
    one = reveals(bank, "1")
    assert reveals(bank, "2") == one
    assert reveals(tuple(bank), "3") == one


@needs_fork
def test_a_scratch_file_read_by_the_children_is_left_as_it_was(tmp_path: Path) -> None:
    bank = [Question(f"q{i}", Kind.TYPED, "e", Text("", "Which summit?"), Text("", f"Summit {code(i)}"),
                     Text("", f"Not Summit {code(i ^ 1)}."), None, loc=Location("bank/a.yaml", i + 1))
            for i in range(2_500)]  # each question's explanation shows its neighbour's answer
    questions = spilled(bank, tmp_path)
    scratch = questions._source.handle
    assert scratch.file is not None  # on disk, its last chunk written but maybe not flushed
    found = reveals(questions, "2")
    assert [(r.revealer_id, r.target_id, r.place) for r in found] == [
        (f"q{i}", f"q{i ^ 1}", "explanation") for i in range(2_500)]
    assert found == reveals(bank, "1")
    scratch.file.flush()
    assert os.fstat(scratch.file.fileno()).st_size == scratch.size  # nothing written twice by a child
    assert tuple(questions) == tuple(bank)


def test_runs_are_contiguous_in_order_and_start_on_a_chunk(tmp_path: Path) -> None:
    bank = bank_of([Question("q", Kind.TYPED, "e", Text("a", "b"), Text("c", "d"), Text("e", "f"), None)], 1_000)
    questions = spilled(bank, tmp_path)
    for parts in (1, 2, 3):
        for seq in (bank, questions):
            runs = reveal_parts.bounds(seq, parts)
            assert runs[0][0] == 0 and runs[-1][1] == len(bank) and len(runs) == parts
            assert all(a[1] == b[0] and b[0] % _CHUNK == 0 for a, b in zip(runs, runs[1:], strict=False))
            assert [q for start, stop in runs for q in reveal_parts.span(seq, start, stop)] == bank
    fresh = spilled(bank, tmp_path)
    start, stop = reveal_parts.bounds(fresh, 2)[1]
    assert [q.id for q in reveal_parts.span(fresh, start, stop)] == [q.id for q in bank[start:stop]]
    assert all(chunk is None for chunk in fresh._chunks[:start // _CHUNK])  # the other run is not decoded
    assert all(chunk is not None for chunk in fresh._chunks[start // _CHUNK:])


def test_a_large_banks_chunks_decoded_by_lookups_are_decoded_again_for_a_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.bank import cache

    bank = bank_of([Question("q", Kind.TYPED, "e", Text("a", "b"), Text("c", "d"), Text("e", "f"), None)], 300)
    monkeypatch.setattr(cache, "KEEP_DECODED", 100)  # a large bank: iterating it keeps nothing
    large = spilled(bank, tmp_path)
    looked_up = large[5]  # as `quiz study` looks up its new questions: the chunk is kept
    assert large._chunks[0] is not None
    run = list(reveal_parts.span(large, 0, 200))
    assert run == bank[:200]
    assert run[5] is not looked_up  # a child touching the lookup's objects would have their pages copied
    monkeypatch.setattr(cache, "KEEP_DECODED", 20_000)
    small = spilled(bank, tmp_path)
    assert list(reveal_parts.span(small, 0, 64))[5] is small[5]  # a small bank's are reused


def test_places_pass_as_columns() -> None:
    places = [Location("a.yaml", 3), None, Location("b.yaml", 1), Location("a.yaml", 9)]
    assert reveal_parts.unpack_places(reveal_parts.pack_places(places)) == places


def test_the_same_unchangeable_bank_searched_again_is_not_searched_and_a_list_always_is() -> None:
    bank = [Question(f"q{i}", Kind.TYPED, "e", Text("", f"Which summit {i}?"), Text("", f"Summit {code(i)}"),
                     Text("", f"Summit {code(i + 1)} came later."), None) for i in range(40)]
    facts.forget()
    try:
        first = facts._find(tuple(bank), EVENTS)
        frozen = tuple(bank)
        found = facts._find(frozen, EVENTS)  # other objects, the same content: found again by its fingerprint
        assert found is first
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(facts, "_first", lambda *_: pytest.fail("the same bank was searched again"))
            assert facts._find(frozen, tuple(EVENTS)) is found  # the same objects: no pass at all
            with pytest.raises(pytest.fail.Exception):
                facts._find(list(frozen), EVENTS)  # a list: its content is looked at again
        assert len(facts._reveals(found)) == 39
        changed = [*bank[:-1], replace(bank[-1], explanation=Text("", f"Summit {code(0)} came first."))]
        as_list = list(changed)
        again = facts._find(as_list, EVENTS)
        assert again is not found
        assert [r.target_id for r in facts._reveals(again)][-1] == "q0"
        as_list[-1] = bank[-1]  # a list may change between two searches: it is searched again
        assert facts._reveals(facts._find(as_list, EVENTS)) == facts._reveals(found)
        facts.forget()
        assert facts._find(frozen, EVENTS) is not found
    finally:
        facts.forget()


def test_a_search_made_from_an_unkeyed_first_pass_finds_the_same_and_is_not_remembered() -> None:
    """The linter's first pass carries no fingerprint (its search's memo is dropped once made): its search finds
    what a keyed one finds, neither takes the other's reveals for its own, and the bank is searched again after."""
    bank = tuple(Question(f"q{i}", Kind.TYPED, "e", Text("", f"Which summit {i}?"), Text("", f"Summit {code(i)}"),
                          Text("", f"Summit {code(i + 1)} came later."), None) for i in range(40))
    titles = {event.id: event for event in EVENTS}
    facts.forget()
    try:
        keyed = facts._find(bank, EVENTS)
        assert len(facts._reveals(keyed)) == 39
        other = tuple(replace(q, explanation=Text()) for q in bank)  # the same size, nothing revealed
        unkeyed = facts._find(other, EVENTS, [facts.joined_first([facts.first_pass(other, titles, keyed=False)])])
        assert unkeyed is not keyed and facts._reveals(unkeyed) == []
        assert facts._LAST == {}  # the keyed search's memo dropped, the unkeyed one's never made
        made = facts._find(bank, EVENTS, [facts.joined_first([facts.first_pass(bank, titles, keyed=False)])])
        assert facts._reveals(made) == facts._reveals(keyed)
        passes: list[int] = []
        first = facts._first
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(facts, "_first", lambda *a: passes.append(1) or first(*a))
            assert facts._reveals(facts._find(bank, EVENTS)) == facts._reveals(keyed)
        assert passes == [1]  # searched again: the unkeyed search was not remembered
    finally:
        facts.forget()
