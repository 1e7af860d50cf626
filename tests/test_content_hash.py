"""Content hashes are stored in learners' databases: a question whose hash changes is marked as edited. These
pin the hash of questions of every kind, and check it against its definition (the blake2b of the content's
sorted, compact JSON) for any content."""

from __future__ import annotations

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from quiz.model import Alternatives, Kind, Location, OrderItem, Question, Source, Text

ODD = 'a "quoted" back\\slash\ttab\nnewline \x00\x1f\x7f \u2028 \U0001f600 «عربي»'
"""What JSON escapes, or might: quotes, backslashes, control characters, a line separator, a non-BMP character."""

PINNED: list[tuple[Question, str]] = [
    (Question("q-choice", Kind.CHOICE, "cold-war", Text("أي عام؟", "Which year?"), Text("1962", "1962"),
              Text("شرح", "Because."), Source("timeline", "cold-war", 3),
              choices=(Text("1961", "1961"), Text("1962", "1962"), Text("1963", "1963")), tags=("crisis", "cuba")),
     "a2c324c6cd24b333741e0767"),
    (Question("q-typed", Kind.TYPED, "c19", Text("متى؟", "When?"), Text("1867", "1867"), Text("", "Sold."),
              Source("timeline"), accept=Alternatives(("١٨٦٧",), ("1867 AD", "AD 1867")), tolerance=1),
     "aa1999c3edfb7cc39fb74086"),
    (Question("q-tf", Kind.TRUEFALSE, "crimea", Text("صح؟", "True?"), Text(), Text("لا", "No."), None,
              truth=False, tags=("x",), loc=Location("bank/a.yaml", 3), bank="other"),
     "7aa0307288d1cc51df9033ac"),
    (Question("q-tf2", Kind.TRUEFALSE, "crimea", Text("صح؟", "True?"), Text(), Text(), Source("d", None, None),
              truth=True),
     "daa8f33ad44f63f85d28e8ae"),
    (Question("q-order", Kind.ORDER, "world-wars", Text("رتّب", "Order"), Text(), Text("ب", "B"),
              Source("d", "intro"),
              items=(OrderItem(Text("أ", "A"), 1914), OrderItem(Text("ب", "B"), None), OrderItem(Text("ج", "C"), -5))),
     "a874532c011cc133e9695889"),
    (Question("q-odd", Kind.CLOZE, ODD, Text(ODD, "{{" + ODD + "}}"), Text(ODD, ODD), Text(ODD, ""),
              Source(ODD, ODD, 7), accept=Alternatives((ODD, ""), ("",)), choices=(Text(ODD, ODD),), tags=(ODD,)),
     "f96da226147c9bc4a4e22a5e"),
    (Question("gen-yearpick-x", Kind.CHOICE, "post-soviet", Text("ما العام الذي شهد حدثًا؟", "Which year saw it?"),
              Text("1991", "1991"), Text("حدث: 1991.", "It: 1991."), None,
              choices=(Text("1989", "1989"), Text("1991", "1991")), generated=True, events=("x",),
              requires=("gen-year-x",), asks_era=True, draft=True),
     "84cc878b7fe513e18af54d66"),
]


def reference_hash(question: Question) -> str:
    blob = json.dumps(question.content(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=12).hexdigest()


def test_pinned_content_hashes_never_change() -> None:
    assert [q.content_hash() for q, _ in PINNED] == [pinned for _, pinned in PINNED]
    assert [reference_hash(q) for q, _ in PINNED] == [pinned for _, pinned in PINNED]


texts = st.text(max_size=12)
bilingual = st.builds(Text, texts, texts)
years = st.one_of(st.none(), st.integers(-10**6, 10**6))


@given(
    kind=st.sampled_from(Kind), era=texts, prompt=bilingual, answer=bilingual, explanation=bilingual,
    source=st.one_of(st.none(), st.builds(Source, texts, st.one_of(st.none(), texts), years)),
    accept=st.builds(Alternatives, st.tuples(texts), st.lists(texts, max_size=3).map(tuple)),
    choices=st.lists(bilingual, max_size=5).map(tuple),
    items=st.lists(st.builds(OrderItem, bilingual, years), max_size=4).map(tuple),
    truth=st.one_of(st.none(), st.booleans()), tolerance=st.integers(0, 50),
    tags=st.lists(texts, max_size=3).map(tuple),
)
def test_the_content_hash_is_the_blake2b_of_the_sorted_json_of_the_content(
    kind: Kind, era: str, prompt: Text, answer: Text, explanation: Text, source: Source | None,
    accept: Alternatives, choices: tuple[Text, ...], items: tuple[OrderItem, ...], truth: bool | None,
    tolerance: int, tags: tuple[str, ...],
) -> None:
    question = Question("q", kind, era, prompt, answer, explanation, source, accept, choices, items, truth,
                        tolerance, tags)
    assert question.content_hash() == reference_hash(question)
