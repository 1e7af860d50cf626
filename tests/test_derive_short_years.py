"""`quiz derive` reads years of one to three digits (a medieval timeline before 1000) only where the words around
make the number a year ("in 711", "In 732,", "(622)", "AD 800", "800 CE", «عام 711», «في 711م»), never a plain
number ("in 300 ships", "12 provinces", "by 40 votes"). A Hijri year («سنة 92 هـ») is found but never dated as if
it were AD: a Hijri year overlaps two years AD, so converting it would be wrong one time in two; the sentence is
reported as undated, with the fix (give the year AD beside it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.authoring.dates import date_phrases, find_dates, find_span
from quiz.authoring.derive import derive_file
from quiz.model import EventDate

DATA = Path(__file__).parent / "data" / "derive"


@pytest.mark.parametrize(("sentence", "years", "text"), [
    ("In 711 Tariq crossed the strait.", [711], "711"),
    ("In 732, Charles Martel won near Tours.", [732], "732"),
    ("The Hijra (622) began the Islamic calendar.", [622], "(622)"),
    ("Leo III crowned Charlemagne in AD 800.", [800], "AD 800"),
    ("Leo III crowned Charlemagne in A.D. 800.", [800], "A.D. 800"),
    ("The Abbasids won in 750 CE.", [750], "750"),
    ("Rome fell to Odoacer in 476.", [476], "476"),
    ("Cordoba flourished between 756 and 929.", [756, 929], "756"),
    ("William won on 14 October 1066.", [1066], "14 October 1066"),  # as before
    ("عبر طارق المضيق عام 711.", [711], "711"),
    ("أعلن الخلافة سنة 929 في قرطبة.", [929], "929"),
    ("سقطت الدولة الأموية في 750م.", [750], "750"),
    ("سقطت الدولة الأموية في 750.", [750], "750"),
    ("بنى المنصور الزاهرة بين عامي 978 و981.", [978, 981], "978"),
    ("وُلد عام ٧١١ للميلاد.", [711], "٧١١"),  # Arabic digits
])
def test_a_short_year_in_context_is_a_date(sentence: str, years: list[int], text: str) -> None:
    found = find_dates(sentence)
    assert [m.date.year if m.date else None for m in found] == years
    assert found[0].text == text


@pytest.mark.parametrize("sentence", [
    "The Vikings sailed in 300 ships.",
    "The empire had 12 provinces.",
    "The council elected the abbot by 40 votes.",
    "The army grew by 400.",
    "About 300 monks lived there.",
    "They won 3 to 1.",
    "The population rose from 100 to 200 people.",
    "Between 40 and 50 votes were cast.",
    "In 12 months the army doubled.",
    "Trade across the sea grew in the 9th century.",
    "The chapter has 120 pages in 3 volumes.",
    "Egypt was united in 3100 BC.",  # never AD
    "Egypt was united in 310 BC.",
    "حكم الإمارة 17 سنة.",  # a duration
    "أبحر في 300 سفينة.",
    "قُسّمت إلى 12 ولاية.",
    "شيّد الفراعنة الهرم عام 2560 ق.م.",
])
def test_a_plain_number_is_not_a_date(sentence: str) -> None:
    assert find_dates(sentence) == []


_COUNTED = st.sampled_from(["ships", "men", "votes", "provinces", "days", "soldiers", "سفينة", "جندي", "يوما"])


@given(st.sampled_from(["in", "by", "about", "In", "with", "of", "في", "مع"]), st.integers(1, 999), _COUNTED)
def test_a_number_that_counts_something_is_never_a_date(lead: str, number: int, noun: str) -> None:
    assert find_dates(f"They came {lead} {number} {noun} to the city.") == []


@pytest.mark.parametrize("sentence", ["فتح المسلمون الأندلس سنة 92 هـ.", "دخلوا الأندلس عام 92هـ."])
def test_a_hijri_year_is_found_but_not_dated_as_ad(sentence: str) -> None:
    found = find_dates(sentence)
    assert [m.date for m in found] == [None]
    assert found[0].reason.endswith("is a Hijri year; add the year AD (like 92 هـ / 711م) to date it")
    assert date_phrases(sentence) == []


@pytest.mark.parametrize("sentence", ["فتح المسلمون الأندلس سنة 92 هـ الموافق 711م.",
                                      "فتح المسلمون الأندلس عام 711م (92 هـ).",
                                      "فتح المسلمون الأندلس سنة ٩٢ هـ / ٧١١م."])
def test_a_hijri_year_beside_the_year_ad_is_dated_by_the_ad_one_and_leaves_with_it(sentence: str) -> None:
    from quiz.authoring.sentences import sentence_units

    assert [p.date for p in date_phrases(sentence)] == [EventDate(711)]
    assert [u.clause for u in sentence_units(sentence)] == ["فتح المسلمون الأندلس"]


@pytest.mark.parametrize(("heading", "span"), [
    ("The Umayyads (661–750)", (661, 750)),
    ("الأمويون (661–750)", (661, 750)),
    ("The Carolingians (751–900)", (751, 900)),
    ("The caliphate of Cordoba (929–1031)", (929, 1031)),
    ("The emirate (756–88)", (756, 788)),
])
def test_an_era_heading_with_years_before_1000(heading: str, span: tuple[int, int]) -> None:
    found = find_span(heading, 2026)
    assert found is not None and found[:2] == span


def test_the_medieval_timeline() -> None:
    result = derive_file(DATA / "medieval.md", this_year=2026)
    assert [(e.id, e.start, e.end) for e in result.eras] == [
        ("first-caliphs", 622, 660), ("umayyads", 661, 750), ("carolingians", 751, 900)]
    assert [(e.date.year, e.title.en, e.year_question.en if e.year_question else None) for e in result.events] == [
        (622, "the Prophet's companions leaving Mecca for Medina",
         "In which year did the Prophet's companions leave Mecca for Medina?"),
        (636, "the defeat of the Byzantine army at the Yarmouk",
         "In which year was the Byzantine army defeated at the Yarmouk?"),
        (638, "the caliph Umar entering Jerusalem", "In which year did the caliph Umar enter Jerusalem?"),
        (661, "Muawiya making Damascus the capital of the caliphate",
         "In which year did Muawiya make Damascus the capital of the caliphate?"),
        (711, "Tariq ibn Ziyad crossing the strait with 7000 men",  # a four-digit count stays a count
         "In which year did Tariq ibn Ziyad cross the strait with 7000 men?"),
        (732, "Charles Martel stopping an Arab army near Tours",
         "In which year did Charles Martel stop an Arab army near Tours?"),
        (750, "the Abbasids overthrowing the Umayyads", "In which year did the Abbasids overthrow the Umayyads?"),
        (800, "Pope Leo III crowning Charlemagne", "In which year did Pope Leo III crown Charlemagne?"),  # AD out
        (843, "the division of the empire into 3 kingdoms by the Treaty of Verdun",
         "In which year was the empire divided into 3 kingdoms by the Treaty of Verdun?"),
    ]
    assert [e.id for e in result.events][7] == "pope-leo-iii-crowning-charlemagne-800"
    # "the 9th century", "120 ships" and "40 votes" are no dates: those sentences are not events, nor skipped
    assert result.skipped == ()
