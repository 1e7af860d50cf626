"""`quiz.bank.facts` against plain reference versions: the reveal finder (answers indexed by their anchor word,
a year's questions grouped by event and key words) must find what comparing every text with every answer finds,
in the same order, and `words` (pieces remembered between whitespace) must equal normalising the whole text."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.bank import facts
from quiz.grading import normalize
from quiz.model import LANGS, Event, EventDate, Kind, OrderItem, Question, Text


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
@given(st.lists(st.sampled_from([*"aT h1,.٫٬٠9 \u00a0\u2028\u200c\u0301\u00a8ـأة", "the ", "ال"]), max_size=20)
       .map("".join) | st.text(max_size=30))
def test_words_of_a_text_are_its_pieces_words(value: str) -> None:
    assert facts.words(value) == reference_words(value)
