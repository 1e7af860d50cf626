"""`quiz.bank.facts` against plain reference versions: the reveal finder (answers indexed by their anchor word,
a year's questions grouped by event and key words) must find what comparing every text with every answer finds,
in the same order, and `words` (pieces remembered between whitespace) must equal normalising the whole text."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.bank import facts
from quiz.grading import normalize
from quiz.model import LANGS, Event, EventDate, Kind, Location, OrderItem, Question, Text


def reference_words(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in facts.WORD_RUN.findall(normalize(text)):
        if word.startswith("ال") and len(word) > 3 and not word[2:].isdigit():
            word = word[2:]
        out.append(word)
    if len(out) > 1 and out[0] == "the":
        out = out[1:]
    return tuple(out)


def reference_reveals(questions: Sequence[Question], events: Sequence[Event]) -> list[tuple[object, ...]]:
    """Every target tried at every word of every text, in the order the targets were found."""
    titles = {event.id: event for event in events}
    targets = [(lang, question, tuple(shown.split()), topic)
               for question in questions for lang, shown, topic in facts._targets(question, titles)]
    found: list[tuple[object, ...]] = []
    for revealer in questions:
        links = set(revealer.events)
        seen: set[tuple[str, str]] = set()
        for lang in LANGS:
            placed = [(place, reference_words(text)) for place, text in facts._places(revealer, lang) if text]
            bag = {w for _, t in placed for w in t}
            for place, tokens in placed:
                for i in range(len(tokens)):
                    for target_lang, other, answer, topic in targets:
                        if target_lang not in (None, lang) or tokens[i:i + len(answer)] != answer:
                            continue
                        if other.id == revealer.id or (other.id, place) in seen:
                            continue
                        siblings = bool(links.intersection(other.events))
                        if place == "option" and (not siblings or topic is not None):
                            continue
                        if topic is not None:
                            if place == "choices":
                                continue
                            need = topic[lang]
                            if not siblings and (not need or len(need & bag) < min(2, len(need))):
                                continue
                        shown_in = "choices" if place == "option" else place
                        if (other.id, shown_in) in seen:
                            continue
                        seen.add((other.id, shown_in))
                        found.append((revealer.id, other.id, shown_in, lang, " ".join(answer), siblings))
    return found


VOCAB = ["the", "Moscow", "Summit", "treaty", "of", "Yalta", "Potsdam", "conference", "1945", "1962", "1961",
         "crisis", "missile", "Cuban", "in", "year", "when", "الاتحاد", "موسكو", "قمة", "معاهدة", "عام", "١٩٤٥",
         "يالطا", "the Moscow", "Summit,", "(1945)", "1,945", "1.5"]
EVENTS = [
    Event("yalta", EventDate(1945), "e", Text("مؤتمر يالطا", "Yalta conference"), Text(), None),
    Event("potsdam", EventDate(1945), "e", Text("مؤتمر بوتسدام", "Potsdam conference"), Text(), None),
    Event("cuba", EventDate(1962), "e", Text("أزمة الصواريخ الكوبية", "Cuban missile crisis"), Text(), None),
    Event("wall", EventDate(1961), "e", Text("جدار", "Berlin wall"), Text(), None),
]
text = st.lists(st.sampled_from(VOCAB), max_size=7).map(" ".join)
texts = st.builds(Text, text, text)


@st.composite
def questions(draw: st.DrawFn) -> list[Question]:
    out: list[Question] = []
    for n in range(draw(st.integers(1, 9))):
        kind = draw(st.sampled_from([Kind.TYPED, Kind.CHOICE, Kind.CLOZE, Kind.ORDER, Kind.CARD]))
        year = draw(st.booleans())
        answer = Text(*(2 * [draw(st.sampled_from(["1945", "1962", "1961"]))])) if year else draw(texts)
        choices = (answer, *draw(st.lists(texts, max_size=3))) if kind is Kind.CHOICE else ()
        items = tuple(OrderItem(t) for t in draw(st.lists(texts, max_size=3))) if kind is Kind.ORDER else ()
        generated = year and draw(st.booleans())
        qid = f"gen-year-{n}" if generated else f"q{n}"
        events = tuple(draw(st.lists(st.sampled_from([e.id for e in EVENTS]), max_size=2)))
        out.append(Question(qid, kind, "e", draw(texts), answer, draw(texts), None, choices=choices, items=items,
                            tolerance=draw(st.sampled_from([0, 1])), generated=generated, events=events))
    return out


@settings(max_examples=400, deadline=None)
@given(questions())
def test_find_reveals_finds_what_comparing_every_text_with_every_answer_finds(bank: list[Question]) -> None:
    found = [(r.revealer_id, r.target_id, r.place, r.lang, r.shown, r.siblings)
             for r in facts.find_reveals(bank, EVENTS)]
    assert found == reference_reveals(bank, EVENTS)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"aT h1,.٫٬٠9 \u00a0\u2028\u200c\u0301\u00a8ـأةبكت١", "the ", "ال"]), max_size=20)
       .map("".join) | st.text(max_size=30))
def test_words_of_a_text_are_its_pieces_words(value: str) -> None:
    assert facts.words(value) == reference_words(value)


class OnePass(Sequence[Question]):
    """A bank read like a lazy chunked store: iterated in order (counted), never indexed."""

    def __init__(self, questions: list[Question]) -> None:
        self.questions = questions
        self.passes = 0

    def __len__(self) -> int:
        return len(self.questions)

    def __getitem__(self, index: object) -> Question:  # type: ignore[override]
        raise AssertionError("find_reveals indexed the bank")

    def __iter__(self) -> Iterator[Question]:
        self.passes += 1
        return iter(self.questions)


@settings(max_examples=100, deadline=None)
@given(questions())
def test_find_reveals_reads_a_bank_in_at_most_two_passes_and_remembers_only_its_content(bank: list[Question]) -> None:
    lazy = OnePass(bank)
    first = facts.find_reveals(lazy, EVENTS)
    assert lazy.passes <= 2
    again = OnePass([replace(q) for q in bank])  # equal questions, other objects: the remembered reveals
    assert facts.find_reveals(again, EVENTS) == first and again.passes == 1
    changed = [replace(q, explanation=Text(q.answer.en, q.answer.en)) for q in bank]  # same ids, new texts
    found = [(r.revealer_id, r.target_id, r.place, r.lang, r.shown, r.siblings)
             for r in facts.find_reveals(OnePass(changed), EVENTS)]
    assert found == reference_reveals(changed, EVENTS)


def test_reveals_carry_where_the_linter_reports_them_and_the_map_leaves_out_same_answers() -> None:
    shown = Text("موسكو", "Moscow Summit")
    target = Question("q-target", Kind.TYPED, "e", Text("أين؟", "Where?"), shown, Text(), None,
                      loc=Location("bank/a.yaml", 3))
    revealer = Question("q-revealer", Kind.TYPED, "e", Text("قمة موسكو", "The Moscow Summit"), shown, Text(), None,
                        draft=True, loc=Location("bank/b.yaml", 9))
    a, b = Location("bank/a.yaml", 3), Location("bank/b.yaml", 9)
    assert facts.find_reveals([target, revealer]) == [
        facts.Reveal("q-target", "q-revealer", "answer", "ar", "موسكو", False, False, True, a, False, b),
        facts.Reveal("q-revealer", "q-target", "prompt", "ar", "موسكو", False, False, False, b, True, a),
        facts.Reveal("q-revealer", "q-target", "answer", "ar", "موسكو", False, False, True, b, True, a),
    ]
    assert facts.reveal_map([target, revealer]) == {"q-revealer": ("q-target",)}
