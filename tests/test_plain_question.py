"""The fast path of the question reader (`quiz.bank.plain_question`) against the field readers
(`Checker._question_fields`), its reference: whatever question it reads, it reads into exactly what they make
(the same question, pickled to the same bytes, the same ids, references and problems), and whatever it refuses
is read by them as before."""

from __future__ import annotations

import pickle
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quiz.bank import plain_question, reader
from quiz.bank.format import Checker

HEAD = {
    "sources": [{"id": "timeline", "title": {"ar": "الخط", "en": "Timeline"}}],
    "eras": [{"id": "cold-war", "start": 1945, "end": 1991, "title": {"ar": "الحرب", "en": "Cold War"}}],
    "events": [{"id": "sputnik", "date": 1957, "era": "cold-war", "title": {"ar": "سبوتنيك", "en": "Sputnik"},
                "source": {"doc": "timeline", "era": "cold-war", "para": 2}}],
}


def _text(ar: str = "نص عربي", en: str = "English text") -> dict[str, Any]:
    return {"ar": ar, "en": en}


def plain(kind: str, n: int = 0) -> dict[str, Any]:
    """A question of `kind` the fast path reads."""
    question: dict[str, Any] = {"id": f"q-{kind}-{n}", "kind": kind, "era": "cold-war", "prompt": _text()}
    if kind == "choice":
        question["answer"] = _text("ب", "B")
        question["choices"] = [_text("أ", "A"), _text("ب", "B"), _text("ج", "C")]
    elif kind == "truefalse":
        question["answer"] = True
    elif kind == "cloze":
        question["prompt"] = _text("أطلق {{سبوتنيك}} عام", "They launched {{Sputnik}} in")
    elif kind == "order":
        question["items"] = [{"ar": "أ", "en": "A", "year": 1950}, {"ar": "ب", "en": "B", "year": 1960}]
    else:
        question["answer"] = _text("1957", "1957") if kind == "typed" else _text()
    if kind == "typed":
        question["accept"] = {"ar": ["١٩٥٧"], "en": ["57"]}
        question["tolerance"] = 1
    question["explanation"] = _text()
    question["source"] = {"doc": "timeline", "era": "cold-war", "para": 3}
    question["tags"] = ["space", "space"]
    return question


KINDS = ("choice", "typed", "truefalse", "cloze", "order", "card")
_T = _text()
CHANGES: dict[str, list[Any]] = {
    "id": ["gen-x", "Bad Id", 5, None, "q-other", "q-choice-0"],
    "kind": ["choice", "typed", "truefalse", "cloze", "order", "card", "essay", None, ["choice"]],
    "era": ["", None, 5, "nowhere", "cold-war", ["cold-war"]],
    "prompt": [None, "text", {"ar": "", "en": "x"}, {"ar": "x"}, {"ar": 1, "en": "y"}, {"ar": " ", "en": "y"},
               {"ar": "x", "en": "y", "fr": "z"}, _text("{{أ}} و {{ب}}", "{{a}}"), _text("{{أ}}", "{{a}}")],
    "answer": [None, True, "B", _text("ب", "B"), _text("ب", "C"), _text("1957", "1957"), _text("x", "")],
    "accept": [None, [], {"ar": ["Latin"]}, {"en": ["عربي"]}, {"ar": [5]}, {"ar": [True]}, {"ar": "x"},
               {"fr": []}, {"ar": None, "en": ["ok", " ok "]}, {"ar": ["١٩٥٧"]}],
    "choices": [None, 5, [_T], [_text("ب", "B")], [_T, _T], [_text("ب", "B"), _text("أ", "A")],
                [_text("ب", "B"), {"ar": "x"}],
                [_text("ب", "B"), _text("A", "A ")], [_text("ب", "B"), _text("أ", "b")], [_text("ب", "B"), "x"]],
    "items": [None, [_T], [{"ar": "أ", "en": "A", "year": True}, _T], [{"ar": "أ", "en": "A", "year": 1970},
              {"ar": "ب", "en": "B", "year": 1960}], [_T, {"ar": "ب", "en": "B", "year": 1960}],
              [_T, {"ar": "ب"}], [_T, {"ar": "ب", "en": "B", "when": 1}], [_T] * 9, [_T, "x"]],
    "tolerance": [None, -1, 0, 2, True, "1"],
    "explanation": [None, "x", {"ar": "", "en": ""}, {"en": "only"}, _text()],
    "source": [None, "timeline", {"doc": "timeline", "para": 0}, {"doc": "timeline", "para": True},
               {"doc": ""}, {"doc": "timeline", "era": 5}, {"doc": "timeline", "x": 1}, {"doc": "missing"},
               {"doc": "timeline", "era": "nowhere"}, {"doc": "timeline", "era": "intro", "para": 1}],
    "tags": [None, [], "space", ["Bad"], [5], ["a", "b", "a"]],
    "draft": [None, False, True, "no"],
    "events": [None, [], ["sputnik"], ["later", "sputnik", "later"], ["Bad"], "sputnik"],
    "extra": [1],
}


@st.composite
def questions(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Plain questions, some changed in a few fields (a value replaced, a field dropped), some with the id of
    another."""
    out = []
    for n in range(draw(st.integers(1, 4))):
        question = plain(draw(st.sampled_from(KINDS)), n)
        for _ in range(draw(st.integers(1, 4))):
            key = draw(st.sampled_from(sorted(CHANGES)))
            if draw(st.integers(0, 4)) == 0:
                question.pop(key, None)
            else:
                question[key] = draw(st.sampled_from(CHANGES[key]))
        out.append(question)
    return out


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # every value written out (a bank file may hold no alias)


def read(data: dict[str, Any], fast: bool) -> tuple[tuple[Any, ...], list[bool]]:
    """What the checker holds after reading `data` as a file, with the fast path or without it; and whether the
    fast path read each question it was given."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    parsed = reader.parse_bytes(text.encode(), "b.yaml")
    assert parsed.data is not None
    checker = Checker()
    kept: list[Any] = []
    checker.spill.add = lambda questions, known=(): kept.extend(questions)  # type: ignore[method-assign]
    taken: list[bool] = []
    if fast:
        checker._plain = lambda *args: taken.append(plain_question.read(*args)) or taken[-1]
    else:
        checker._plain = lambda *args: False
    checker.read_file(parsed.path, parsed.data)
    return (checker.problems, kept, [q.loc for q in kept], [q.bank for q in kept], pickle.dumps(tuple(kept), 5),
            list(checker.ids.items()), list(checker.era_refs), list(checker.doc_refs),
            list(checker.event_refs)), taken


def same(batch: list[dict[str, Any]]) -> list[bool]:
    fast, taken = read({**HEAD, "questions": batch}, True)
    slow, _ = read({**HEAD, "questions": batch}, False)
    assert fast == slow
    return taken


def test_every_kind_written_plainly_takes_the_fast_path() -> None:
    assert same([plain(kind, n) for n, kind in enumerate(KINDS)]) == [True] * len(KINDS)


def test_a_question_with_something_to_report_is_read_by_the_field_readers() -> None:
    odd = [plain("choice", 0), {**plain("typed", 1), "era": None}, {**plain("card", 2), "explanation": None},
           {**plain("choice", 3), "choices": [_text(), _text()]}, {**plain("cloze", 4), "prompt": _text("بلا", "No")},
           {**plain("order", 5), "draft": True}, {**plain("typed", 6), "id": "q-choice-0"}]
    assert same(odd) == [True, False, False, False, False, False]  # a draft never reaches the fast path


def test_each_change_alone_is_read_as_the_field_readers_do() -> None:
    taken = []
    for kind in KINDS:
        for key, values in CHANGES.items():
            for value in [*values, _DROP]:
                question = plain(kind)
                if value is _DROP:
                    question.pop(key, None)
                else:
                    question[key] = value
                taken += same([plain("typed", 9), question])[1:]
    assert True in taken and False in taken


_DROP = object()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questions())
@example([{**plain("typed"), "events": ["sputnik", "later", "sputnik"], "accept": None}])
@example([{**plain("order"), "items": [{"ar": " أ ", "en": "A "}, {"ar": "ب", "en": "B", "year": 1960}]}])
def test_the_fast_path_reads_as_the_field_readers_do(batch: list[dict[str, Any]]) -> None:
    same(batch)


def _distinct_reference(texts: list[str]) -> bool:
    from quiz.bank import rules

    return "" not in texts and len(set(map(rules.fold, texts))) == len(texts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from("aAbBßSsẞ |\u00a0\t\u2028\u200dأب"), max_size=6), max_size=5))
@example(["a b", "a  b"])
@example(["a ", "a"])
@example([" a", "a"])
@example(["a", "b "])
@example(["a\u00a0b", "a b"])
@example(["a\tb", "a b"])
@example(["ß", "SS"])
@example(["a|b", "a", "b"])
def test_choices_are_told_apart_as_folded_one_by_one(texts: list[str]) -> None:
    from quiz.bank import checks

    assert checks._distinct(texts) == _distinct_reference(texts)
