"""The wording of generated questions reads correctly whatever the titles are (the native reader's review, section 4):
no verb agrees with an inserted title, so feminine Arabic titles are as grammatical as masculine ones; titles are
quoted where two are joined; a date is stated once."""

from __future__ import annotations

from quiz.bank import generate_questions
from quiz.model import Era, Event, EventDate, Kind, Question, Source, Text

ERAS = [
    Era("early", 1900, 1939, Text("المرحلة الأولى", "The early era")),
    Era("cold", 1945, 1991, Text("الحرب الباردة", "The Cold War")),
]
# Feminine titles (أزمة، الثورة، الحرب، معاهدة…), one holding commas, one naming its own day and month.
TITLES = [
    ("korean-war", 1950, 6, None, "الحرب الكورية", "The Korean War"),
    ("berlin-crisis", 1953, None, None, "أزمة برلين، أو حصارها الثاني، الكبرى", "The second, greater Berlin crisis"),
    ("hungarian-revolution", 1956, 10, None, "الثورة المجرية", "The Hungarian Revolution"),
    ("sputnik", 1957, 10, 4, "رحلة سبوتنيك", "The flight of Sputnik"),
    ("u2", 1960, 5, 1, "حادثة 1 مايو/أيار", "The 1 May incident"),
    ("wall", 1961, 8, None, "إقامة جدار برلين", "The building of the Berlin Wall"),
    ("missiles", 1962, 10, None, "أزمة الصواريخ الكوبية", "The Cuban Missile Crisis"),
    ("hotline", 1963, 6, 20, "اتفاقية «الخط الساخن»", "The hotline agreement"),
]
EVENTS = [
    Event(eid, EventDate(year, month, day), "cold", Text(ar, en), Text("تفصيل.", "Detail."), None)
    for eid, year, month, day, ar, en in TITLES
]
AGREEING = ("كان ", "سبق ", "ينتمي", "أيهما", "مرحلة")


def _nested(title: str) -> str:
    """Quotation marks inside a quoted title, as Arabic nests them: «توقيع معاهدة "نيو ستارت"»."""
    return title.replace("«", '"').replace("»", '"')


def _generated() -> list[Question]:
    return generate_questions(EVENTS, ERAS)


def test_no_arabic_template_verb_agrees_with_a_title() -> None:
    questions = _generated()
    assert {q.kind for q in questions} == {Kind.CHOICE, Kind.TYPED, Kind.ORDER}
    for question in questions:
        for text in (question.prompt.ar, question.explanation.ar):
            assert not any(word in text for word in AGREEING), (question.id, text)


def test_comparisons_quote_arabic_titles_and_name_what_they_order() -> None:
    firsts = [q for q in _generated() if q.id.startswith("gen-first-")]
    orders = [q for q in _generated() if q.kind is Kind.ORDER]
    assert firsts and orders
    for question in firsts:
        a, b = (_nested(c.ar) for c in question.choices)
        assert question.prompt.ar == f"أيّ الحدثين أسبق: «{a}» أم «{b}»؟"
        assert question.prompt.en.startswith("Which came first: ") and ", or " not in question.prompt.en
        assert all(c.en[:1].isupper() for c in question.choices)
        assert question.explanation.ar.startswith(f"الأسبق: {question.answer.ar} (")
    for question in orders:
        assert question.prompt.ar.startswith("رتّب هذه الأحداث من الأقدم إلى الأحدث: «")
        assert all(f"«{_nested(item.text.ar)}»" in question.prompt.ar for item in question.items)
        assert "، ثم " in question.explanation.ar and ", then " in question.explanation.en


def test_explanations_state_a_date_once() -> None:
    by_id = {q.id: q for q in _generated()}
    year = by_id["gen-yearpick-korean-war"]
    assert year.explanation == Text("الحرب الكورية: يونيو/حزيران 1950. تفصيل.", "The Korean War: June 1950. Detail.")
    # A title that names its own day and month is shown with its year only.
    assert by_id["gen-yearpick-u2"].explanation == Text("حادثة 1 مايو/أيار: 1960. تفصيل.",
                                                        "The 1 May incident: 1960. Detail.")
    era = by_id["gen-era-missiles"]
    assert era.prompt == Text("أيّ حقبة شهدت أزمة الصواريخ الكوبية؟", "Which period saw the Cuban Missile Crisis?")
    assert era.explanation == Text("أزمة الصواريخ الكوبية (أكتوبر/تشرين الأول 1962): من حقبة «الحرب الباردة».",
                                   "The Cuban Missile Crisis (October 1962): part of the period “The Cold War”.")


def test_an_order_prompt_never_lists_its_events_in_the_answers_order() -> None:
    """Alphabetical order can be the chronology or its reverse (it was for one ukraine-war question)."""
    era = Era("e", 1900, 1999, Text("حقبة", "Era"))
    events = [Event(f"x{i}", EventDate(1900 + 10 * i), "e", Text(f"حدث {name}", f"event {name}"), Text(), Source("s"))
              for i, name in enumerate(["alpha", "beta", "gamma", "delta"])]
    orders = [q for q in generate_questions(events, [era]) if q.kind is Kind.ORDER]
    assert orders
    for question in orders:
        for lang in ("ar", "en"):
            prompt = question.prompt.get(lang)
            titles = [item.text.get(lang) for item in question.items]
            places = [prompt.index(t[1:] if lang == "en" else t) for t in titles]
            assert places not in (sorted(places), sorted(places, reverse=True)), (lang, prompt)
