"""quiz derive: eras from headings with year spans, events from dated sentences, in English and Arabic."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_quiz

from quiz.authoring.derive import derive, find_dates, find_span, split_sentences
from quiz.bank import build_bank, load_bank
from quiz.model import EventDate, Text

# Written for these tests (a made-up class handout, not the project's source texts).
ENGLISH = """\
# Moscow and Washington: a class handout

These notes cover two periods. They were written for a history club in 2024.

## The Cold War (1945–1991)

On 4 October 1957 the Soviet Union launched Sputnik, the first artificial satellite. The U.S. answered by
creating NASA in July 1958.

In October 1962, the Cuban Missile Crisis brought both powers to the edge of nuclear war.

- A treaty banning nuclear tests in the atmosphere was signed on August 5, 1963.
- The two leaders met in Reykjavik in 1986.

Advertisement

Back in 1941, Germany had attacked the Soviet Union.

## After the Soviet Union, 1991-2000

Boris Yeltsin and George H. W. Bush met at Camp David in February 1992.
A summit was announced for 31 February 1995, a date that never existed.
"""

# Arabic: both month-name systems, the combined forms, Arabic-Indic digits in a heading and a sentence.
ARABIC = """\
محطات في العلاقات بين البلدين

مرحلة ضم القرم (٢٠١٤-٢٠٢٢)

في آذار/مارس ٢٠١٤ ضمت روسيا شبه جزيرة القرم بعد استفتاء رفضته الدول الغربية.
فرضت الولايات المتحدة عقوبات على موسكو في عام 2014، ثم وسّعتها لاحقا.
وفي 30 أيلول 2015 بدأت روسيا تدخلها العسكري في سوريا.

الحرب على أوكرانيا 2022-2026

في 24 فبراير/شباط 2022 بدأت روسيا هجوما واسعا على أوكرانيا. وفي كانون الأول 2025 جرت محادثات جديدة بين الطرفين.
وصلت أول دفعة من الدبابات الغربية في شهر آذار (مارس) 2023.

وقّع البلدان معاهدة نيو ستارت في نيسان 2010.
"""


@pytest.fixture(autouse=True)
def _env(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_NOW", "2026-03-01T12:00:00Z")


def test_spans_in_headings() -> None:
    assert find_span("The Cold War (1945–1991)", 2026)[:2] == (1945, 1991)  # type: ignore[index]
    assert find_span("مرحلة ضم القرم (٢٠١٤-٢٠٢٢)", 2026)[:2] == (2014, 2022)  # type: ignore[index]
    assert find_span("Détente, 1969 to 1979", 2026)[:2] == (1969, 1979)  # type: ignore[index]
    assert find_span("1945-91", 2026)[:2] == (1945, 1991)  # type: ignore[index]
    assert find_span("من 2022 حتى اليوم", 2026)[:2] == (2022, 2026)  # type: ignore[index]
    assert find_span("1991-1985", 2026) is None


@pytest.mark.parametrize(("sentence", "date"), [
    ("On 4 October 1957 the satellite flew.", EventDate(1957, 10, 4)),
    ("It was signed on August 5, 1963.", EventDate(1963, 8, 5)),
    ("NASA was created in July 1958.", EventDate(1958, 7)),
    ("The wall fell in 1989.", EventDate(1989)),
    ("في 24 فبراير/شباط 2022 بدأ الهجوم.", EventDate(2022, 2, 24)),
    ("في شباط/فبراير 2022 بدأ الهجوم.", EventDate(2022, 2)),
    ("في آذار (مارس) 2023 وصلت الدبابات.", EventDate(2023, 3)),
    ("في كانون الثاني 1959 انتصرت الثورة.", EventDate(1959, 1)),
    ("في كانون الأول 1991 تفكك الاتحاد.", EventDate(1991, 12)),
    ("في تشرين الأول 1962 وقعت الأزمة.", EventDate(1962, 10)),
    ("في تشرين الثاني ١٩٨٩ سقط الجدار.", EventDate(1989, 11)),
    ("في 9 نوفمبر 1989 سقط الجدار.", EventDate(1989, 11, 9)),
    ("وقع ذلك عام 1962م.", EventDate(1962)),
    ("في أغسطس/آب 1945 انتهت الحرب.", EventDate(1945, 8)),
])
def test_dates_in_sentences(sentence: str, date: EventDate) -> None:
    assert find_dates(sentence)[0].date == date


def test_numbers_that_are_not_dates() -> None:
    assert find_dates("Alaska cost $7.2 million and 1,000 people lived there in the 1860s.") == []
    # a Hijri year is found but never dated as if it were AD (tests/test_derive_short_years.py)
    assert [m.date for m in find_dates("سنة 1383هـ")] == [None]


def test_sentences_split_but_not_at_abbreviations() -> None:
    assert split_sentences("The U.S. answered. St. Petersburg was the capital! Was it? Yes.") == [
        "The U.S. answered.", "St. Petersburg was the capital!", "Was it?", "Yes."]
    assert split_sentences("بدأ الهجوم. وتوقفت المحادثات؟ نعم") == ["بدأ الهجوم.", "وتوقفت المحادثات؟", "نعم"]


def test_english_timeline() -> None:
    result = derive(ENGLISH, file_name="handout.md", this_year=2026)
    assert result.doc_id == "handout"
    assert result.doc_title == Text(en="Moscow and Washington: a class handout")
    assert [(e.id, e.start, e.end, e.title) for e in result.eras] == [
        ("cold-war", 1945, 1991, Text(en="The Cold War")),
        ("after-soviet-union", 1991, 2000, Text(en="After the Soviet Union")),
    ]
    assert [(e.date.iso(), e.era, e.title.en, e.section, e.para, e.line) for e in result.events] == [
        ("1957-10-04", "cold-war", "the Soviet Union launching Sputnik", "cold-war", 1, 7),
        ("1958-07", "cold-war", "the U.S. answering by creating NASA", "cold-war", 1, 7),
        ("1962-10", "cold-war", "the Cuban Missile Crisis bringing both powers to the edge of nuclear war",
         "cold-war", 2, 10),
        ("1963-08-05", "cold-war", "the signing of a treaty banning nuclear tests in the atmosphere", "cold-war", 3,
         12),
        ("1986", "cold-war", "the two leaders meeting in Reykjavik", "cold-war", 4, 13),
        ("1992-02", "after-soviet-union", "Boris Yeltsin and George H. W. Bush meeting at Camp David",
         "after-soviet-union", 1, 21),
    ]
    assert [e.year_question.en for e in result.events if e.year_question] == [
        "In which year did the Soviet Union launch Sputnik?",
        "In which year did the U.S. answer by creating NASA?",
        "In which year did the Cuban Missile Crisis bring both powers to the edge of nuclear war?",
        "In which year was a treaty banning nuclear tests in the atmosphere signed?",
        "In which year did the two leaders meet in Reykjavik?",
        "In which year did Boris Yeltsin and George H. W. Bush meet at Camp David?",
    ]
    assert result.events[0].detail == Text(en="On 4 October 1957 the Soviet Union launched Sputnik, the first "
                                              "artificial satellite.")
    assert [(s.line, s.reason) for s in result.skipped] == [
        (3, "2024 is outside every era (cold-war 1945–1991, after-soviet-union 1991–2000)"),
        (17, "1941 is outside every era (cold-war 1945–1991, after-soviet-union 1991–2000)"),
        (22, "the date '31 February 1995' does not exist"),
    ]
    assert result.dated == 9


def test_arabic_timeline() -> None:
    result = derive(ARABIC, file_name="mahattat.txt", this_year=2026)
    assert result.doc_title == Text(ar="محطات في العلاقات بين البلدين")
    assert [(e.id, e.start, e.end, e.title.ar) for e in result.eras] == [
        ("era-2014-2022", 2014, 2022, "مرحلة ضم القرم"), ("era-2022-2026", 2022, 2026, "الحرب على أوكرانيا")]
    crimea, war = (e.id for e in result.eras)
    assert [(e.date.iso(), e.era, e.title.ar, e.para, e.checked) for e in result.events] == [
        ("2014-03", crimea, "ضم روسيا شبه جزيرة القرم بعد استفتاء رفضته الدول الغربية", 1, True),
        ("2014", crimea, "فرض الولايات المتحدة عقوبات على موسكو", 2, True),
        ("2015-09-30", crimea, "بدء روسيا تدخلها العسكري في سوريا", 3, True),
        ("2022-02-24", war, "بدء روسيا هجوما واسعا على أوكرانيا", 1, True),
        ("2025-12", war, "محادثات جديدة بين الطرفين", 1, True),  # a verb of happening: its subject is the event
        ("2023-03", war, "وصول أول دفعة من الدبابات الغربية", 2, True),  # «في شهر» left with the date
    ]
    assert result.events[0].year_question == Text(ar="في أي عام ضمت روسيا شبه جزيرة القرم بعد استفتاء رفضته "
                                                     "الدول الغربية؟")
    assert [e.id for e in result.events][:2] == ["mahattat-2014-03", "mahattat-2014"]  # readable, no soup
    assert [(s.line, s.reason) for s in result.skipped] == [
        (14, f"2010 is outside every era ({crimea} 2014–2022, {war} 2022–2026)")]


@pytest.mark.parametrize(("name", "text"), [("handout.md", ENGLISH), ("mahattat.txt", ARABIC)])
def test_drafts_validate_and_are_never_studied(name: str, text: str) -> None:
    rendered = derive(text, file_name=name, this_year=2026).render()
    result = build_bank([(f"bank/{Path(name).stem}.yaml", rendered.encode())])
    assert result.errors == ()
    assert {p.code for p in result.warnings} <= {"missing-translation"}
    assert result.bank.events and all(e.draft for e in result.bank.events)
    assert all(e.draft for e in result.bank.eras)
    assert result.bank.studyable() == ()  # drafts generate no questions


def test_derive_cli(tmp_path: Path) -> None:
    Path("handout.md").write_text(ENGLISH, encoding="utf-8")
    result = run_quiz("derive", "handout.md", "-o", "drafts.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Found 2 eras and 6 events in handout.md (9 dated sentences).\n"
        "Wrote drafts.yaml: every era and event is a draft (draft: true) until you check it and remove the mark.\n"
        "Wrote bank.yaml: what the bank is (id, title, languages); edit it to name your subject.\n"
        "Wrote bank.schema.json: the bank format, for your editor.\n"
        "The questions the drafts will give (check each, then remove the draft marks):\n"
        "  soviet-union-launching-sputnik-1957 (1957-10-04): In which year did the Soviet Union launch Sputnik?\n"
        "    Which period saw the Soviet Union launching Sputnik?\n"
        "  u-s-answering-creating-nasa-1958 (1958-07): In which year did the U.S. answer by creating NASA?\n"
        "    Which period saw the U.S. answering by creating NASA?\n"
        "  cuban-missile-crisis-bringing-both-1962 (1962-10): In which year did the Cuban Missile Crisis bring both "
        "powers to the edge of nuclear war?\n"
        "    Which period saw the Cuban Missile Crisis bringing both powers to the edge of nuclear war?\n"
        "  signing-treaty-banning-nuclear-tests-1963 (1963-08-05): In which year was a treaty banning nuclear tests "
        "in the atmosphere signed?\n"
        "    Which period saw the signing of a treaty banning nuclear tests in the atmosphere?\n"
        "  two-leaders-meeting-reykjavik-1986 (1986): In which year did the two leaders meet in Reykjavik?\n"
        "    Which period saw the two leaders meeting in Reykjavik?\n"
        "  boris-yeltsin-george-h-w-1992 (1992-02): In which year did Boris Yeltsin and George H. W. Bush meet at "
        "Camp David?\n"
        "    Which period saw Boris Yeltsin and George H. W. Bush meeting at Camp David?\n"
        "  Comparing events (3):\n"
        "    Which came first: the Soviet Union launching Sputnik or the U.S. answering by creating NASA?\n"
        "    Which came first: the Cuban Missile Crisis bringing both powers to the edge of nuclear war or the "
        "signing of a treaty banning nuclear tests in the atmosphere?\n"
        "    Put these events in order, oldest first: the signing of a treaty banning nuclear tests in the "
        "atmosphere; the Soviet Union launching Sputnik; the U.S. answering by creating NASA.\n"
        "Could not turn 3 dated sentences into an event:\n"
        "  handout.md:3: 2024 is outside every era (cold-war-2 1945–1991, after-soviet-union 1991–2000): They "
        "were written for a history club in 2024.\n"
        "  handout.md:17: 1941 is outside every era (cold-war-2 1945–1991, after-soviet-union 1991–2000): Back in "
        "1941, Germany had attacked the Soviet Union.\n"
        "  handout.md:22: the date '31 February 1995' does not exist: A summit was announced for 31 February 1995, "
        "a date that never existed.\n"
    )
    text = Path("drafts.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Drafted by quiz derive from handout.md: 2 eras, 6 events.\n")
    assert "  - id: cold-war-2\n" in text  # the built-in bank has cold-war: ids never clash
    assert "    source: {doc: handout, era: cold-war-2, para: 1}\n    draft: true\n" in text
    check = run_quiz("validate", "--bank", "drafts.yaml")
    assert check.exit_code == 0, check.stderr
    standalone = run_quiz("validate", "drafts.yaml")
    assert standalone.exit_code == 0, standalone.stderr
    assert load_bank([Path("drafts.yaml")], builtin=False).errors == ()
    again = run_quiz("derive", "handout.md", "-o", "drafts.yaml")
    assert again.exit_code == 2
    assert again.stderr == "Error: drafts.yaml exists; choose another -o (derive never overwrites a file)\n"


def test_derive_cli_arabic_dry_run() -> None:
    Path("mahattat.txt").write_text(ARABIC, encoding="utf-8")
    result = run_quiz("derive", "mahattat.txt", "--dry-run", "--no-builtin")
    assert result.exit_code == 0, result.stderr
    assert "date: 2022-02-24\n" in result.stdout
    assert "Found 2 eras and 6 events in mahattat.txt (7 dated sentences). (dry run: nothing written)\n" \
        in result.stdout
    assert not Path("mahattat.yaml").exists()


def test_derive_without_era_headings_gives_one_era() -> None:
    Path("notes.txt").write_text("Sputnik flew in 1957. Gagarin orbited the Earth in April 1961.\n", encoding="utf-8")
    result = run_quiz("derive", "notes.txt", "--no-builtin")
    assert result.exit_code == 0, result.stderr
    assert ("No heading with a year span: one era 'notes' (1957–1961) holds every event; split it with headings "
            "like '## The founding years (1950–1957)'.\n") in result.stdout
    assert "  gagarin-orbiting-earth-1961 (1961-04): In which year did Gagarin orbit the Earth?\n" in result.stdout
    assert load_bank([Path("notes.yaml")], builtin=False).errors == ()


def test_derive_with_no_dated_sentence_writes_nothing() -> None:
    Path("notes.txt").write_text("No dates here.\n", encoding="utf-8")
    result = run_quiz("derive", "notes.txt", "--no-builtin")
    assert result.exit_code == 1
    assert result.stderr == ("Error: notes.txt: found no dated sentence that could become an event; nothing was "
                             "written\n")
    assert not Path("notes.yaml").exists()
