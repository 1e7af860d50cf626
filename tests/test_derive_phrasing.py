"""quiz derive drafts questions a teacher only has to check: noun-phrase titles, year questions in the clause's
own finite verb, date phrases out whole, lists whole, ranges, every date, table rows, readable ids.

The timelines under tests/data/derive/ were written for these tests: the European Union (Markdown, eras, a
table), the history of medicine (plain text, no era headings) and the Arab world's independence (Arabic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.authoring.derive import derive, derive_file, sentence_units
from quiz.authoring.phrasing import phrase
from quiz.bank import build_bank
from quiz.model import EventDate

DATA = Path(__file__).parent / "data" / "derive"


@pytest.mark.parametrize(("clause", "title", "question"), [
    ("six countries signed the Treaty of Paris", "six countries signing the Treaty of Paris",
     "In which year did six countries sign the Treaty of Paris?"),
    ("Ghana became independent", "Ghana becoming independent", "In which year did Ghana become independent?"),
    ("the Berlin Wall fell", "the Berlin Wall falling", "In which year did the Berlin Wall fall?"),  # irregular
    ("the World Health Organization was founded in Geneva", "the founding of the World Health Organization in "
     "Geneva", "In which year was the World Health Organization founded in Geneva?"),  # a passive
    ("Germany had attacked Poland", "Germany attacking Poland", "In which year did Germany attack Poland?"),
    ("the Single European Act comes into force", "the Single European Act coming into force",
     "In which year did the Single European Act come into force?"),  # the historic present
    ("the United Kingdom joined the European Communities", "the United Kingdom joining the European Communities",
     "In which year did the United Kingdom join the European Communities?"),  # "United" is a name, not the verb
    ("the first directly elected Parliament sat in Strasbourg", "the first directly elected Parliament sitting "
     "in Strasbourg", "In which year did the first directly elected Parliament sit in Strasbourg?"),
    ("the Treaty of Rome", "the Treaty of Rome", None),  # a noun phrase already: the generator's wording
    ("وقّعت ست دول معاهدة باريس", "توقيع ست دول معاهدة باريس", "في أي عام وقّعت ست دول معاهدة باريس؟"),
    ("الجزائر نالت استقلالها", "نيل الجزائر استقلالها", "في أي عام نالت الجزائر استقلالها؟"),  # made verb-first
    ("تأسست جامعة الدول العربية", "تأسيس جامعة الدول العربية", "في أي عام تأسست جامعة الدول العربية؟"),
    ("استقلال المغرب", "استقلال المغرب", None),
])
def test_titles_are_noun_phrases_and_year_questions_use_the_verb(clause: str, title: str,
                                                                  question: str | None) -> None:
    drafted = phrase(clause)
    assert (drafted.title, drafted.year_question, drafted.checked) == (title, question, True)


def test_a_range_asks_when_it_began() -> None:
    assert phrase("twelve astronauts walked on the Moon", ranged=True).year_question == (
        "In which year did twelve astronauts first walk on the Moon?")
    assert phrase("انسحبت القوات البريطانية من الخليج", ranged=True).year_question == (
        "في أي عام انسحبت القوات البريطانية من الخليج لأول مرة؟")


@pytest.mark.parametrize(("sentence", "expected"), [
    # the date phrase leaves whole: no dangling «في», «شهر», "in the spring of", «م»
    ("وفي شهر آذار (مارس) 2023 وصلت أول دفعة من الدبابات.", [("2023-03", None, "وصلت أول دفعة من الدبابات")]),
    ("In the spring of 1957 six countries met in Venice.", [("1957", None, "six countries met in Venice")]),
    ("وقّعت الدول المعاهدة عام 1962م في باريس.", [("1962", None, "وقّعت الدول المعاهدة في باريس")]),
    # lists stay whole, before and after the verb
    ("In April 1951, Belgium, France, West Germany, Italy, Luxembourg and the Netherlands signed the Treaty of "
     "Paris, creating the Community.", [("1951-04", None, "Belgium, France, West Germany, Italy, Luxembourg and "
                                         "the Netherlands signed the Treaty of Paris")]),
    ("The Arab League was founded in 1945 by Egypt, Iraq, Jordan, Lebanon, Saudi Arabia and Syria.",
     [("1945", None, "the Arab League was founded by Egypt, Iraq, Jordan, Lebanon, Saudi Arabia and Syria")]),
    # a range keeps both dates
    ("Between 1969 and 1972 twelve astronauts walked on the Moon.", [("1969", "1972",
                                                                       "twelve astronauts walked on the Moon")]),
    ("بين عامي 1968 و1971 انسحبت القوات البريطانية من الخليج.", [("1968", "1971",
                                                                  "انسحبت القوات البريطانية من الخليج")]),
    ("The war lasted from 1954 to 1962.", [("1954", "1962", "the war lasted")]),
    # every date of a sentence, the verb borrowed where the second part leaves it out
    ("Greece joined in 1981, and Spain and Portugal followed in 1986.",
     [("1981", None, "Greece joined"), ("1986", None, "Spain and Portugal followed")]),
    ("Morocco and Tunisia became independent in 1956 and Algeria in 1962.",
     [("1956", None, "Morocco and Tunisia became independent"), ("1962", None, "Algeria became independent")]),
    ("في ديسمبر 1971 وقّعت ست إمارات الدستور، وانضمت رأس الخيمة في 1972.",
     [("1971-12", None, "وقّعت ست إمارات الدستور"), ("1972", None, "وانضمت رأس الخيمة")]),
])
def test_sentence_units(sentence: str, expected: list[tuple[str, str | None, str]]) -> None:
    assert [(u.phrase.date.iso(), u.phrase.end.iso() if u.phrase.end else None, u.clause)
            for u in sentence_units(sentence)] == expected


def test_european_union_timeline() -> None:
    result = derive_file(DATA / "european_union.md", this_year=2026)
    assert [(e.id, e.start, e.end) for e in result.eras] == [
        ("founding-communities", 1950, 1957), ("widening-deepening", 1958, 1993), ("single-currency", 1994, 2002)]
    events = {e.id: e for e in result.events}
    ranged = events["first-directly-elected-parliament-sitting-1979"]
    assert (ranged.date, ranged.end) == (EventDate(1979), EventDate(1984))
    assert "Between 1979 and 1984" in ranged.detail.en  # the range is said in the detail
    # the table, row by row
    euro = events["introduction-euro-banks-markets-1999"]
    assert euro.title.en == "the introduction of the euro for banks and markets"  # a passive's noun
    assert euro.detail.en == "1999: the euro was introduced for banks and markets."
    assert events["euro-coins-notes-entering-circulation-2002"].year_question.en == (  # type: ignore[union-attr]
        "In which year did Euro coins and notes enter circulation?")
    assert len(result.events) == 10 and result.skipped == ()


def test_medicine_timeline_has_no_era_headings() -> None:
    result = derive_file(DATA / "medicine.txt", this_year=2026)
    assert [(e.id, e.start, e.end, e.title.en, e.line) for e in result.eras] == [
        ("medicine", 1796, 1980, "A short history of medicine", 0)]
    assert [e.year_question.en for e in result.events if e.year_question] == [
        "In which year did Edward Jenner test his smallpox vaccine on a boy?",
        "In which year did Alexander Fleming discover penicillin?",
        "In which year was the World Health Organization founded in Geneva?",
        "In which year did Jonas Salk announce a polio vaccine?",
        "In which year did the first human heart transplant take place?",
        "In which year did the World Health Assembly declare smallpox eradicated?",
    ]


def test_arab_independence_timeline() -> None:
    result = derive_file(DATA / "arab_independence.md", this_year=2026)
    assert [(e.id, e.title.ar) for e in result.eras] == [
        ("era-1951-1962", "المغرب العربي"), ("era-1943-1972", "المشرق والخليج")]
    assert [(e.id, e.title.ar, e.year_question.ar if e.year_question else None) for e in result.events] == [
        ("arab-independence-1951-12-24", "إعلان ليبيا استقلالها", "في أي عام أعلنت ليبيا استقلالها؟"),
        ("arab-independence-1956", "نيل المغرب وتونس استقلالهما", "في أي عام نال المغرب وتونس استقلالهما؟"),
        ("arab-independence-1962-07-05", "نيل الجزائر استقلالها بعد حرب طويلة",
         "في أي عام نالت الجزائر استقلالها بعد حرب طويلة؟"),
        ("arab-independence-1943-11-22", "نيل لبنان استقلاله عن فرنسا", "في أي عام نال لبنان استقلاله عن فرنسا؟"),
        ("arab-independence-1945-03", "تأسيس جامعة الدول العربية في القاهرة",
         "في أي عام تأسست جامعة الدول العربية في القاهرة؟"),
        ("arab-independence-1946-04", "انسحاب القوات الفرنسية من سوريا",
         "في أي عام انسحبت القوات الفرنسية من سوريا؟"),
        ("arab-independence-1968", "انسحاب القوات البريطانية من الخليج",
         "في أي عام انسحبت القوات البريطانية من الخليج لأول مرة؟"),
        ("arab-independence-1971-12", "توقيع ست إمارات دستور دولة الإمارات العربية المتحدة",
         "في أي عام وقّعت ست إمارات دستور دولة الإمارات العربية المتحدة؟"),
        ("arab-independence-1972", "انضمام رأس الخيمة", "في أي عام انضمت رأس الخيمة؟"),
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir()))
def test_every_drafted_question_is_shown_and_the_drafts_validate(name: str) -> None:
    result = derive_file(DATA / name, this_year=2026)
    shown = result.questions()
    assert [line.split(" (", 1)[0] for line in shown if not line.startswith(("  ", "Comparing"))] == [
        e.id for e in result.events]
    rendered = result.render()
    assert rendered.count("year_question:") == sum(1 for e in result.events if e.year_question)
    built = build_bank([(f"bank/{Path(name).stem}.yaml", rendered.encode())])
    assert built.errors == ()


def test_a_table_without_text_cells_is_skipped_not_an_error() -> None:
    result = derive("| 1957 |\n|---|\n| 1961 | Gagarin orbited the Earth |\n", file_name="t.md", this_year=2026)
    assert [e.title.en for e in result.events] == ["Gagarin orbiting the Earth"]
