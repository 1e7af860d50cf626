"""quiz derive on two more timelines written for these tests, on subjects the other test data does not touch:
the history of computing (English) and al-Andalus from the conquest to the Moriscos (Arabic). Every drafted
title and year question is pinned (each was read for grammar), and the tricky clause shapes are pinned one by one:
English auxiliaries, passives, phrasal verbs, negation and compound subjects; Arabic verb forms, agreement when a
clause is turned verb-first, the genitive after a verbal noun, and verbs of happening."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.authoring.derive import derive_file
from quiz.authoring.phrasing import phrase
from quiz.authoring.sentences import choose_clause

DATA = Path(__file__).parent / "data" / "derive"


@pytest.mark.parametrize(("clause", "title", "question"), [
    # passives: by-agents, particles, a noun for the event where the gerund reads badly
    ("the Treaty of Versailles was signed by Germany and the Allies",
     "the signing of the Treaty of Versailles by Germany and the Allies",
     "In which year was the Treaty of Versailles signed by Germany and the Allies?"),
    ("Gandhi was assassinated", "the assassination of Gandhi", "In which year was Gandhi assassinated?"),
    ("the League of Nations was set up in Geneva", "the setting up of the League of Nations in Geneva",
     "In which year was the League of Nations set up in Geneva?"),
    ("ENIAC was switched on in Philadelphia", "the switching on of ENIAC in Philadelphia",
     "In which year was ENIAC switched on in Philadelphia?"),
    ("the Berlin Wall was torn down", "the tearing down of the Berlin Wall",
     "In which year was the Berlin Wall torn down?"),
    ("the treaty was being negotiated", "the negotiation of the treaty",
     "In which year was the treaty being negotiated?"),
    ("women were given the vote", "women being given the vote", "In which year were women given the vote?"),
    # auxiliaries: perfects, modals, negation (also contracted)
    ("the treaty had been signed in secret", "the signing of the treaty in secret",
     "In which year had the treaty been signed in secret?"),
    ("the United States had been neutral", "the United States having been neutral",
     "In which year had the United States been neutral?"),
    ("Japan has joined the United Nations", "Japan joining the United Nations",
     "In which year did Japan join the United Nations?"),  # a perfect asks in the simple past
    ("the Senate did not ratify the Treaty of Versailles", "the Senate not ratifying the Treaty of Versailles",
     "In which year did the Senate not ratify the Treaty of Versailles?"),
    ("the Senate didn't ratify the treaty", "the Senate not ratifying the treaty",
     "In which year did the Senate not ratify the treaty?"),
    ("the treaty was not ratified", "the treaty not being ratified", "In which year was the treaty not ratified?"),
    ("the country would join the euro", "the country joining the euro",
     "In which year would the country join the euro?"),
    # phrasal verbs, and pasts spelt like the base form
    ("the First World War broke out", "the First World War breaking out",
     "In which year did the First World War break out?"),
    ("Steve Jobs and Steve Wozniak set up Apple", "Steve Jobs and Steve Wozniak setting up Apple",
     "In which year did Steve Jobs and Steve Wozniak set up Apple?"),
    ("the oil crisis hit Europe", "the oil crisis hitting Europe", "In which year did the oil crisis hit Europe?"),
    # compound subjects, coordinated verbs, a participle qualifying the subject, the plural historic present
    ("Iraq invaded and annexed Kuwait", "Iraq invading and annexing Kuwait",
     "In which year did Iraq invade and annex Kuwait?"),
    ("the Allies landed in Normandy and liberated Paris", "the Allies landing in Normandy and liberating Paris",
     "In which year did the Allies land in Normandy and liberate Paris?"),
    ("the satellite launched by the Soviet Union orbited the Earth",
     "the satellite launched by the Soviet Union orbiting the Earth",
     "In which year did the satellite launched by the Soviet Union orbit the Earth?"),
    ("six countries sign the Treaty of Rome", "six countries signing the Treaty of Rome",
     "In which year did six countries sign the Treaty of Rome?"),
    # "there was": the thing that was is the event
    ("there was a coup in Chile", "a coup in Chile", "In which year was there a coup in Chile?"),
    ("the first human heart transplant", "the first human heart transplant", None),  # no verb: a noun phrase
    # a plural noun that is also a present verb: the noun, unless an object or "to" follows
    ("the peace talks", "the peace talks", None),
    ("the arms race", "the arms race", None),
    ("Solidarity strikes in Gdansk", "Solidarity strikes in Gdansk", None),
    ("Gagarin orbits the Earth", "Gagarin orbiting the Earth", "In which year did Gagarin orbit the Earth?"),
    ("Britain votes to leave the EU", "Britain voting to leave the EU",
     "In which year did Britain vote to leave the EU?"),
])
def test_english_clauses(clause: str, title: str, question: str | None) -> None:
    drafted = phrase(clause)
    assert (drafted.title, drafted.year_question, drafted.checked) == (title, question, True)


def test_an_apposition_leaves_the_subject_its_verb() -> None:
    assert choose_clause("Deep Blue, a chess computer built by IBM, beat Garry Kasparov") == \
        "Deep Blue beat Garry Kasparov"


@pytest.mark.parametrize(("clause", "title", "question"), [
    # every past form of a verb is found; before its subject the verb is singular, in the subject's gender
    ("الطلاب خرجوا إلى الشوارع", "خروج الطلاب إلى الشوارع", "في أي عام خرج الطلاب إلى الشوارع؟"),
    ("الطالبات خرجن إلى الشوارع", "خروج الطالبات إلى الشوارع", "في أي عام خرجت الطالبات إلى الشوارع؟"),
    ("الدولتان وقّعتا اتفاقية السلام", "توقيع الدولتين اتفاقية السلام", "في أي عام وقّعت الدولتان اتفاقية السلام؟"),
    ("الزعيمان التقيا في جنيف", "التقاء الزعيمين في جنيف", "في أي عام التقى الزعيمان في جنيف؟"),
    ("الأمريكيون غزوا العراق", "غزو الأمريكيين العراق", "في أي عام غزا الأمريكيون العراق؟"),
    ("غزت ألمانيا بولندا", "غزو ألمانيا بولندا", "في أي عام غزت ألمانيا بولندا؟"),
    # the agent after a verbal noun is genitive: duals, sound plurals, their adjectives, أبو
    ("التقى الزعيمان في جنيف", "التقاء الزعيمين في جنيف", "في أي عام التقى الزعيمان في جنيف؟"),
    ("احتج المتظاهرون على الضرائب", "احتجاج المتظاهرين على الضرائب", "في أي عام احتج المتظاهرون على الضرائب؟"),
    ("دخل الملكان الكاثوليكيان غرناطة", "دخول الملكين الكاثوليكيين غرناطة",
     "في أي عام دخل الملكان الكاثوليكيان غرناطة؟"),
    ("سلّم أبو عبد الله مفاتيح المدينة", "تسليم أبي عبد الله مفاتيح المدينة",
     "في أي عام سلّم أبو عبد الله مفاتيح المدينة؟"),
    # the verbs the issue names
    ("أعلنت الحكومة حالة الطوارئ", "إعلان الحكومة حالة الطوارئ", "في أي عام أعلنت الحكومة حالة الطوارئ؟"),
    ("انسحبت القوات الأمريكية من فيتنام", "انسحاب القوات الأمريكية من فيتنام",
     "في أي عام انسحبت القوات الأمريكية من فيتنام؟"),
    ("اندلعت الحرب الأهلية", "اندلاع الحرب الأهلية", "في أي عام اندلعت الحرب الأهلية؟"),
    ("انهار الاتحاد السوفييتي", "انهيار الاتحاد السوفييتي", "في أي عام انهار الاتحاد السوفييتي؟"),
    ("زار الرئيس نيكسون الصين", "زيارة الرئيس نيكسون الصين", "في أي عام زار الرئيس نيكسون الصين؟"),
    ("عقدت القمة العربية في الخرطوم", "عقد القمة العربية في الخرطوم", "في أي عام عقدت القمة العربية في الخرطوم؟"),
    ("اعترفت فرنسا باستقلال تونس", "اعتراف فرنسا باستقلال تونس", "في أي عام اعترفت فرنسا باستقلال تونس؟"),
    ("فرضت الأمم المتحدة عقوبات على العراق", "فرض الأمم المتحدة عقوبات على العراق",
     "في أي عام فرضت الأمم المتحدة عقوبات على العراق؟"),
    ("رفعت الولايات المتحدة الحظر", "رفع الولايات المتحدة الحظر", "في أي عام رفعت الولايات المتحدة الحظر؟"),
    ("أطلق الاتحاد السوفييتي سبوتنيك", "إطلاق الاتحاد السوفييتي سبوتنيك", "في أي عام أطلق الاتحاد السوفييتي سبوتنيك؟"),
    ("انضمت مصر إلى حركة عدم الانحياز", "انضمام مصر إلى حركة عدم الانحياز",
     "في أي عام انضمت مصر إلى حركة عدم الانحياز؟"),
    ("ضمّت روسيا شبه جزيرة القرم", "ضمّ روسيا شبه جزيرة القرم", "في أي عام ضمّت روسيا شبه جزيرة القرم؟"),
    ("انتُخب جمال عبد الناصر رئيسًا", "انتخاب جمال عبد الناصر رئيسًا", "في أي عام انتُخب جمال عبد الناصر رئيسًا؟"),
    ("أمّمت مصر قناة السويس", "تأميم مصر قناة السويس", "في أي عام أمّمت مصر قناة السويس؟"),
    ("الأهرامات بنيت", "بناء الأهرامات", "في أي عام بنيت الأهرامات؟"),  # a passive, turned verb-first
    # a second verb after و takes its verbal noun in the title
    ("انهارت الخلافة وانقسمت الأندلس", "انهيار الخلافة وانقسام الأندلس",
     "في أي عام انهارت الخلافة وانقسمت الأندلس؟"),
    # verbs of happening: the subject is the event; وقع without a shadda signs only a document
    ("وقعت معركة حطين", "معركة حطين", "في أي عام وقعت معركة حطين؟"),
    ("وقعت الدول المعاهدة", "توقيع الدول المعاهدة", "في أي عام وقعت الدول المعاهدة؟"),
    ("تمّ توقيع اتفاقية كامب ديفيد", "توقيع اتفاقية كامب ديفيد", "في أي عام تمّ توقيع اتفاقية كامب ديفيد؟"),
    ("وتم افتتاح قناة السويس", "افتتاح قناة السويس", "في أي عام تم افتتاح قناة السويس؟"),
    ("جرت الانتخابات الأولى", "الانتخابات الأولى", "في أي عام جرت الانتخابات الأولى؟"),
    ("إذ جرى بحث سبل إدارة النزاع", "بحث سبل إدارة النزاع", "في أي عام جرى بحث سبل إدارة النزاع؟"),  # «إذ» out
    # a verb whose noun ends in ي is not its noun: «تولّى» the verb, «تولّي» the noun
    ("تولّى فلاديمير بوتين الرئاسة", "تولّي فلاديمير بوتين الرئاسة", "في أي عام تولّى فلاديمير بوتين الرئاسة؟"),
    # a verb spelt like its noun (تفعّل، تفاعل) is its noun too: the title is the clause, and it is right
    ("تفكك الاتحاد السوفيتي", "تفكك الاتحاد السوفيتي", "في أي عام تفكك الاتحاد السوفيتي؟"),
    ("تصاعدت الاحتجاجات في المدن", "تصاعد الاحتجاجات في المدن", "في أي عام تصاعدت الاحتجاجات في المدن؟"),
])
def test_arabic_clauses(clause: str, title: str, question: str) -> None:
    drafted = phrase(clause)
    assert (drafted.title, drafted.year_question, drafted.checked) == (title, question, True)


@pytest.mark.parametrize("clause", [
    "أصبحت غرناطة آخر مملكة إسلامية",  # a verb the table does not know
    "شكَّل ضم روسيا شبه جزيرة القرم نقطة تحول",  # «ضم» after a word is the noun, not a verb after its subject
    "مع تولّي فلاديمير بوتين رئاسة روسيا",  # a noun, not the verb «تولّى»
])
def test_an_arabic_clause_it_cannot_turn_is_flagged_not_garbled(clause: str) -> None:
    drafted = phrase(clause)
    assert (drafted.title, drafted.year_question, drafted.checked) == (clause, f"في أي عام {clause}؟", False)


def test_computing_timeline() -> None:
    result = derive_file(DATA / "computing.md", this_year=2026)
    assert [(e.id, e.start, e.end) for e in result.eras] == [
        ("machines-before-computers", 1830, 1939), ("first-computers", 1940, 1970),
        ("personal-computers-web", 1971, 2000)]
    assert [(e.id, e.title.en, e.year_question.en if e.year_question else None) for e in result.events] == [
        ("charles-babbage-describing-analytical-engine-1837", "Charles Babbage describing the Analytical Engine",
         "In which year did Charles Babbage describe the Analytical Engine?"),
        ("ada-lovelace-publishing-first-algorithm-1843", "Ada Lovelace publishing the first algorithm for the machine",
         "In which year did Ada Lovelace publish the first algorithm for the machine?"),
        ("tabulation-united-states-census-herman-1890",
         "the tabulation of the United States census by Herman Hollerith's punched-card machines",
         "In which year was the United States census tabulated by Herman Hollerith's punched-card machines?"),
        ("alan-turing-alonzo-church-independently-1936",
         "Alan Turing and Alonzo Church independently defining what a machine can compute",
         "In which year did Alan Turing and Alonzo Church independently define what a machine can compute?"),
        ("british-codebreakers-building-running-colossus-1943",
         "British codebreakers building and running Colossus at Bletchley Park",
         "In which year did British codebreakers first build and run Colossus at Bletchley Park?"),  # a range
        ("switching-eniac-philadelphia-1946", "the switching on of ENIAC in Philadelphia",
         "In which year was ENIAC switched on in Philadelphia?"),
        ("invention-transistor-bell-labs-john-1947",
         "the invention of the transistor at Bell Labs by John Bardeen, Walter Brattain and William Shockley",
         "In which year was the transistor invented at Bell Labs by John Bardeen, Walter Brattain and William "
         "Shockley?"),
        ("computer-sale-britain-first-time-1951", "a computer for sale in Britain for the first time",
         "In which year was there a computer for sale in Britain for the first time?"),
        ("grace-hoppers-team-writing-first-1952", "Grace Hopper's team writing the first compiler",
         "In which year did Grace Hopper's team write the first compiler?"),  # "had written", "By 1952"
        ("jack-kilby-robert-noyce-separately-1958",
         "Jack Kilby and Robert Noyce separately inventing the integrated circuit",
         "In which year did Jack Kilby and Robert Noyce separately invent the integrated circuit?"),
        ("setting-up-arpanet-1969", "the setting up of the ARPANET", "In which year was the ARPANET set up?"),
        ("intel-releasing-4004-selling-calculator-1971",
         "Intel releasing the 4004 and selling it to a calculator maker",
         "In which year did Intel release the 4004 and sell it to a calculator maker?"),
        ("steve-jobs-steve-wozniak-setting-1976", "Steve Jobs and Steve Wozniak setting up Apple",
         "In which year did Steve Jobs and Steve Wozniak set up Apple?"),
        ("ibm-pc-coming-out-1981", "the IBM PC coming out", "In which year did the IBM PC come out?"),
        ("tim-berners-lee-proposing-world-1989", "Tim Berners-Lee proposing the World Wide Web",
         "In which year did Tim Berners-Lee propose the World Wide Web?"),
        ("first-website-going-online-1991", "the first website going online",
         "In which year did the first website go online?"),  # the second date of the sentence
        ("deep-blue-beating-garry-kasparov-1997", "Deep Blue beating Garry Kasparov",
         "In which year did Deep Blue beat Garry Kasparov?"),
        ("mosaic-making-web-graphical-1993", "Mosaic making the web graphical",  # table rows, historic present
         "In which year did Mosaic make the web graphical?"),
        ("two-stanford-students-starting-google-1998", "two Stanford students starting Google",
         "In which year did two Stanford students start Google?"),
    ]
    assert result.skipped == () and all(e.checked for e in result.events)


def test_andalus_timeline() -> None:
    result = derive_file(DATA / "andalus.md", this_year=2026)
    assert [(e.id, e.title.ar) for e in result.eras] == [
        ("era-711-1030", "الإمارة والخلافة الأموية"), ("era-1031-1085", "ملوك الطوائف"),
        ("era-1086-1237", "المرابطون والموحدون"), ("era-1238-1492", "مملكة غرناطة"),
        ("era-1493-1614", "ما بعد السقوط")]
    assert [(e.id, e.title.ar, e.year_question.ar if e.year_question else None, e.checked)
            for e in result.events] == [
        # years before 1000 (tests/test_derive_short_years.py): «عام 711», «في 756م», «سنة 929», «بين عامي 978 و981»;
        # «17 سنة» is a count and stays in the title; «سنة 92 هـ» (Hijri) is skipped, below
        ("andalus-0711", "عبر طارق بن زياد المضيق إلى الأندلس", "في أي عام عبر طارق بن زياد المضيق إلى الأندلس؟",
         False),
        ("andalus-0756", "تأسيس عبد الرحمن الداخل إمارة قرطبة", "في أي عام أسّس عبد الرحمن الداخل إمارة قرطبة؟", True),
        ("andalus-0929", "إعلان عبد الرحمن الناصر الخلافة في قرطبة بعد أن حكم الإمارة 17 سنة",
         "في أي عام أعلن عبد الرحمن الناصر الخلافة في قرطبة بعد أن حكم الإمارة 17 سنة؟", True),
        ("andalus-0978", "بناء المنصور بن أبي عامر مدينة الزاهرة",
         "في أي عام بنى المنصور بن أبي عامر مدينة الزاهرة لأول مرة؟", True),
        ("andalus-1031", "انهيار الخلافة الأموية في قرطبة وانقسام الأندلس إلى دويلات",
         "في أي عام انهارت الخلافة الأموية في قرطبة وانقسمت الأندلس إلى دويلات؟", True),
        ("andalus-1085-05", "استيلاء ألفونسو السادس على طليطلة", "في أي عام استولى ألفونسو السادس على طليطلة؟", True),
        ("andalus-1086-10-23", "معركة الزلاقة", "في أي عام وقعت معركة الزلاقة؟", True),
        ("andalus-1212", "التقاء الجيشين في معركة العقاب", "في أي عام التقى الجيشان في معركة العقاب؟", True),
        ("andalus-1236", "سقوط قرطبة بيد قشتالة", "في أي عام سقطت قرطبة بيد قشتالة؟", True),
        ("andalus-1238", "تأسيس مملكة غرناطة", "في أي عام تمّ تأسيس مملكة غرناطة؟", True),
        ("andalus-1250", "أصبحت غرناطة آخر مملكة إسلامية في الأندلس",  # «في ربيع عام» out whole; flagged
         "في أي عام أصبحت غرناطة آخر مملكة إسلامية في الأندلس؟", False),
        ("andalus-1491-11", "توقيع الطرفين معاهدة تسليم غرناطة", "في أي عام وقّع الطرفان معاهدة تسليم غرناطة؟", True),
        ("andalus-1492-01-02", "تسليم أبي عبد الله الصغير مفاتيح المدينة",
         "في أي عام سلّم أبو عبد الله الصغير مفاتيح المدينة؟", True),
        ("andalus-1492", "دخول الملكين الكاثوليكيين غرناطة", "في أي عام دخل الملكان الكاثوليكيان غرناطة؟", True),
        ("andalus-1499", "إحراق القشتاليين الكتب العربية في غرناطة",
         "في أي عام أحرق القشتاليون الكتب العربية في غرناطة؟", True),
        ("andalus-1568", "اندلاع ثورة البشرات", "في أي عام اندلعت ثورة البشرات؟", True),
        ("andalus-1569", "مشاركة النساء الموريسكيات في القتال", "في أي عام شاركت النساء الموريسكيات في القتال؟", True),
        ("andalus-1609", "طرد الموريسكيين من إسبانيا", "في أي عام طُرد الموريسكيون من إسبانيا لأول مرة؟", True),
    ]
    assert [(s.line, s.reason) for s in result.skipped] == [
        (8, "'92 هـ' is a Hijri year; add the year AD (like 92 هـ / 711م) to date it")]
    shown = result.questions()
    assert "  أيّ حقبة شهدت دخول الملكين الكاثوليكيين غرناطة؟" in shown  # the generator's own wording


_WORDS = ("the a Britain was were had has been being not never did didn't would set up on in by and signed founded "
          "talks there is are of France Kuwait invaded annexed switched torn down could will Senate peace to "
          "وقّع وقعت تم جرى إذ الزعيمان التقى التقوا خرجوا الطلاب أبو في من و وانقسمت الدولتان الكاثوليكيان "
          "معركة على أصبح غزا ف").split()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=8))
def test_any_clause_gives_a_title_and_a_question_that_ends_like_one(words: list[str]) -> None:
    drafted = phrase(" ".join(words))
    assert "  " not in drafted.title
    if drafted.year_question is not None:
        assert drafted.year_question.startswith(("In which year ", "في أي عام "))
        assert drafted.year_question.endswith(("?", "؟")) and "  " not in drafted.year_question
