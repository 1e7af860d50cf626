"""Counts in Arabic take the plural form their number needs (zero, one, two, few, many, other), from the
gettext catalogue quiz/locale/ar/LC_MESSAGES/quiz.po, whose compiled .mo must say the same as the .po."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from quiz.messages import PLURALS, plural_category, say, span

LOCALE = Path(__file__).resolve().parent.parent / "quiz" / "locale" / "ar" / "LC_MESSAGES"
COUNTS = (0, 1, 2, 3, 11, 100)


def test_the_compiled_catalogue_matches_the_po() -> None:
    with open(LOCALE / "quiz.po", "rb") as po:
        catalog = read_po(po, locale="ar")
    fresh = io.BytesIO()
    write_mo(fresh, catalog)
    fresh.seek(0)
    compiled = gettext.GNUTranslations(fresh)
    with open(LOCALE / "quiz.mo", "rb") as mo:
        shipped = gettext.GNUTranslations(mo)
    assert catalog.num_plurals == 6
    for key, (one, other) in PLURALS.items():
        for n in range(0, 230):
            assert shipped.npgettext(key, one, other, n) == compiled.npgettext(key, one, other, n), (key, n)


def test_every_counting_message_is_translated_in_all_six_forms() -> None:
    with open(LOCALE / "quiz.po", "rb") as po:
        catalog = read_po(po, locale="ar")
    for key, (one, other) in PLURALS.items():
        message = catalog.get((one, other), context=key) or catalog.get(one, context=key)
        assert message is not None, f"{key} is missing from quiz.po (or its msgid differs from PLURALS)"
        assert isinstance(message.string, tuple) and len(message.string) == 6 and all(message.string), key
        assert message.id == (one, other), key


@pytest.mark.parametrize(("n", "category"), [(0, "zero"), (1, "one"), (2, "two"), (3, "few"), (10, "few"),
                                             (11, "many"), (99, "many"), (100, "other"), (102, "other"),
                                             (103, "few"), (111, "many"), (1000, "other")])
def test_plural_categories(n: int, category: str) -> None:
    assert plural_category(n) == category


EXPECTED: dict[str, tuple[str, ...]] = {
    # 0, 1, 2, 3, 11, 100
    "span.minutes": ("0 دقيقة", "دقيقة واحدة", "دقيقتان", "3 دقائق", "11 دقيقة", "100 دقيقة"),
    "when.minutes": ("بعد 0 دقيقة", "بعد دقيقة واحدة", "بعد دقيقتين", "بعد 3 دقائق", "بعد 11 دقيقة", "بعد 100 دقيقة"),
    "when.hours": ("بعد 0 ساعة", "بعد ساعة واحدة", "بعد ساعتين", "بعد 3 ساعات", "بعد 11 ساعة", "بعد 100 ساعة"),
    "days": ("0 يوم", "يوم واحد", "يومان", "3 أيام", "11 يومًا", "100 يوم"),
    "span.days": ("0 يوم", "يوم واحد", "يومان", "3 أيام", "11 يومًا", "100 يوم"),
    "when.days": ("بعد 0 يوم", "بعد يوم واحد", "بعد يومين", "بعد 3 أيام", "بعد 11 يومًا", "بعد 100 يوم"),
    "when.months": ("بعد 0 شهر", "بعد شهر واحد", "بعد شهرين", "بعد 3 أشهر", "بعد 11 شهرًا", "بعد 100 شهر"),
    "when.years": ("بعد 0 سنة", "بعد سنة واحدة", "بعد سنتين", "بعد 3 سنوات", "بعد 11 سنة", "بعد 100 سنة"),
    "history.count": ("لا إجابات", "إجابة واحدة", "إجابتان", "3 إجابات", "11 إجابة", "100 إجابة"),
    "stats.answers": ("لا إجابات", "إجابة واحدة", "إجابتان", "3 إجابات", "11 إجابة", "100 إجابة"),
    "stats.retention.n": ("(لا مراجعات)", "(مراجعة واحدة)", "(مراجعتان)", "(3 مراجعات)", "(11 مراجعة)",
                          "(100 مراجعة)"),
    "stats.lapses": ("لم يُنسَ", "نُسي مرة واحدة", "نُسي مرتين", "نُسي 3 مرات", "نُسي 11 مرة", "نُسي 100 مرة"),
    "stats.learned": ("لم تتعلّم أسئلة جديدة", "تعلّمت سؤالًا جديدًا واحدًا", "تعلّمت سؤالين جديدين",
                      "تعلّمت 3 أسئلة جديدة", "تعلّمت 11 سؤالًا جديدًا", "تعلّمت 100 سؤال جديد"),
    "stats.heatmap.weeks": ("آخر 0 أسبوع", "آخر أسبوع", "آخر أسبوعين", "آخر 3 أسابيع", "آخر 11 أسبوعًا",
                            "آخر 100 أسبوع"),
    "optimize.usable": ("لا مراجعات صالحة", "مراجعة صالحة واحدة", "مراجعتان صالحتان", "3 مراجعات صالحة",
                        "11 مراجعة صالحة", "100 مراجعة صالحة"),
    "questions.suspended": ("لم يُعلَّق أي سؤال.", "عُلّق سؤال واحد.", "عُلّق سؤالان.", "عُلّقت 3 أسئلة.",
                            "عُلّق 11 سؤالًا.", "عُلّق 100 سؤال."),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_arabic_counts_for_0_1_2_3_11_100(key: str) -> None:
    assert tuple(say(key, "ar", n=n) for n in COUNTS) == EXPECTED[key]


def test_the_heatmap_title_counts_weeks_answers_and_days() -> None:
    def title(lang: str, weeks: int, total: int, active: int, days: int) -> str:
        return say("stats.heatmap", lang, weeks=say("stats.heatmap.weeks", lang, n=weeks),  # type: ignore[arg-type]
                   total=say("stats.answers", lang, n=total),  # type: ignore[arg-type]
                   days=say("stats.heatmap.days", lang, n=days, active=active))  # type: ignore[arg-type]

    assert [say("stats.heatmap.days", "ar", n=n, active=0) for n in COUNTS] == [
        "في 0 من 0 يوم", "في 0 من يوم واحد", "في 0 من يومين", "في 0 من 3 أيام", "في 0 من 11 يومًا", "في 0 من 100 يوم"]
    assert title("ar", 26, 18, 9, 182) == "الإجابات يوميًا، آخر 26 أسبوعًا: 18 إجابة في 9 من 182 يومًا"
    assert title("ar", 1, 2, 2, 7) == "الإجابات يوميًا، آخر أسبوع: إجابتان في 2 من 7 أيام"
    assert title("ar", 114, 100, 90, 800) == "الإجابات يوميًا، آخر 114 أسبوعًا: 100 إجابة في 90 من 800 يوم"
    assert title("ar", 2, 3, 1, 14) == "الإجابات يوميًا، آخر أسبوعين: 3 إجابات في 1 من 14 يومًا"
    assert title("en", 26, 18, 9, 182) == "Answers per day, last 26 weeks: 18 answers on 9 of 182 days"
    assert title("en", 1, 1, 1, 7) == "Answers per day, last week: 1 answer on 1 of 7 days"


def test_optimize_messages_count_in_both_languages() -> None:
    def split(lang: str, reviews: int, usable: int) -> str:
        return say("optimize.split", lang, answers=say("stats.answers", lang, n=reviews),  # type: ignore[arg-type]
                   usable_reviews=say("optimize.usable", lang, n=usable),  # type: ignore[arg-type]
                   train=usable - 1, test=1, since="2026-01-02")

    assert split("en", 2280, 1567) == ("2280 answers, 1567 usable reviews: fitted on the earlier 1566, tested on "
                                       "the later 1 (from 2026-01-02).")
    assert split("en", 501, 401).startswith("501 answers, 401 usable reviews:")
    assert split("ar", 2280, 1567) == ("2280 إجابة، منها 1567 مراجعة صالحة. ضُبطت المعاملات على الأقدم منها (1566) "
                                       "واختُبرت على الأحدث (1، منذ 2026-01-02).")
    assert split("ar", 1003, 405).startswith("1003 إجابات، منها 405 مراجعات صالحة.")
    english = say("optimize.not_enough", "en", usable=0, needed=400, reviews=1, answers=say("stats.answers", "en", n=1))
    assert "; 1 answer in all)" in english


def test_every_counting_message_has_a_form_for_each_count_in_both_languages() -> None:
    for key in PLURALS:
        for n in COUNTS:
            arabic, english = say(key, "ar", n=n, id="q1", active=1), say(key, "en", n=n, id="q1", active=1)
            assert "{" not in arabic and "{" not in english
            assert any("\u0600" <= ch <= "\u06ff" for ch in arabic), (key, n, arabic)


def test_english_has_one_and_other() -> None:
    assert [say("history.count", "en", n=n) for n in (0, 1, 2)] == ["0 answers", "1 answer", "2 answers"]
    assert say("questions.reset", "en", n=1) == "Reset 1 question to new."
    assert span(600, "en") == "10 min" and span(4 * 86400, "en") == "4 days" and span(86400, "en") == "1 day"


def test_spans_for_the_rating_preview() -> None:
    assert [span(s, "ar") for s in (60, 600, 7200, 4 * 86400, 11 * 86400)] == [
        "دقيقة واحدة", "10 دقائق", "ساعتان", "4 أيام", "11 يومًا"]
