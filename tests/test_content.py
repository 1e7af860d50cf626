"""The built-in bank's content: coverage minimums, both languages everywhere, sources that point at real
paragraphs, and opinion presented as opinion (issue 3)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from quiz.bank import load_bank
from quiz.bank.lint import lint
from quiz.grading import grade_typed
from quiz.model import Bank, Kind

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"
"""Copies of ../shared/seeds, the source texts, as test data (tests/data/README.md; tests/test_vendored.py)."""
TIMELINE = SEEDS / "000_abe3bace565342d6.txt"
ARTICLE = SEEDS / "002_82c1c93d25d090f4.txt"
TIMELINE_ERAS = ("c19", "world-wars", "cold-war", "post-soviet", "putin-rise", "crimea", "ukraine-war")
HEADINGS = {
    "ukraine-war": "الحرب الروسية على أوكرانيا",
    "crimea": "ضم القرم وتآكل الثقة",
    "putin-rise": "صعود بوتين وعودة منطق القوة",
    "post-soviet": "ما بعد انهيار الاتحاد السوفياتي",
    "cold-war": "الحرب الباردة: صراع بلا مواجهة مباشرة",
    "world-wars": "الحربان العالميتان وتحالف الضرورة",
    "c19": "البدايات والعلاقات الودية في القرن التاسع عشر",
}


@pytest.fixture(scope="module")
def bank() -> Bank:
    result = load_bank(builtin=True, cache_dir=None)
    assert [str(p) for p in result.problems] == []
    return result.bank


def hand_written(bank: Bank) -> list:  # type: ignore[type-arg]
    return [q for q in bank.questions if not q.generated]


def test_validate_and_lint_are_clean(bank: Bank) -> None:
    assert [str(p) for p in lint(bank) if p.rule not in ("Q405", "Q406")] == []


def test_no_question_reveals_another_and_every_link_is_made(bank: Bank) -> None:
    assert [str(p) for p in lint(bank) if p.rule in ("Q405", "Q406")] == []


def test_coverage_minimums(bank: Bank) -> None:
    questions = hand_written(bank)
    timeline = [q for q in questions if "article-2025" not in q.tags]
    article = [q for q in questions if "article-2025" in q.tags]
    assert len(timeline) >= 80
    assert len(bank.events) >= 40
    assert len(article) >= 10
    per_era = Counter(q.era for q in timeline)
    kinds = {era: {q.kind for q in timeline if q.era == era} for era in TIMELINE_ERAS}
    for era in TIMELINE_ERAS:
        assert per_era[era] >= 8, era
        assert kinds[era] == set(Kind), (era, set(Kind) - kinds[era])
    assert {q.kind for q in article} == set(Kind)
    events_per_era = Counter(e.era for e in bank.events)
    assert all(events_per_era[era] >= 3 for era in TIMELINE_ERAS), events_per_era


def test_every_question_is_bilingual_explained_and_sourced(bank: Bank) -> None:
    for q in hand_written(bank):
        assert q.prompt.ar and q.prompt.en, q.id
        assert q.explanation.ar and q.explanation.en, q.id
        assert q.source is not None, q.id
        if q.kind in (Kind.CHOICE, Kind.TYPED, Kind.CARD, Kind.CLOZE):
            assert q.answer.ar and q.answer.en, q.id
    for event in bank.events:
        assert event.title.ar and event.title.en and event.source is not None, event.id


def test_article_questions_present_the_authors_argument(bank: Bank) -> None:
    opinion = re.compile(r"article|author|مقال|كاتب", re.IGNORECASE)
    for q in hand_written(bank):
        if "article-2025" not in q.tags:
            continue
        assert q.source is not None and q.source.doc == "article-2025", q.id
        assert opinion.search(q.prompt.en) and opinion.search(q.prompt.ar), q.id


def test_typed_answers_accept_their_own_answer_in_both_languages(bank: Bank) -> None:
    for q in bank.questions:
        if q.kind not in (Kind.TYPED, Kind.CLOZE):
            continue
        for lang in ("ar", "en"):
            verdict = grade_typed(q, q.answer.get(lang), lang)  # type: ignore[arg-type]
            assert verdict.correct and verdict.exact, (q.id, lang)
            for alternative in q.accept.get(lang):  # type: ignore[arg-type]
                assert grade_typed(q, alternative, lang).correct, (q.id, alternative)  # type: ignore[arg-type]


def _sections() -> dict[str, int]:
    """How many paragraphs each section of the timeline has (headings and 'إعلان' markers do not count)."""
    lines = [line.strip() for line in TIMELINE.read_text(encoding="utf-8").splitlines()]
    counts: dict[str, int] = {"intro": 0}
    current = "intro"
    for line in lines:
        if not line or line == "إعلان":
            continue
        era = next((era for era, heading in HEADINGS.items() if line.startswith(heading)), None)
        if era is not None:
            current = era
            counts[era] = 0
            continue
        counts[current] += 1
    return counts


def test_sources_point_at_paragraphs_that_exist(bank: Bank) -> None:
    sections = _sections()
    assert sections["intro"] == 4 and all(sections[era] >= 4 for era in TIMELINE_ERAS)
    sources = [(q.id, q.source) for q in hand_written(bank)] + [(e.id, e.source) for e in bank.events]
    for item, source in sources:
        assert source is not None
        if source.doc == "timeline":
            assert source.era in sections, (item, source)
            assert source.para is not None and 1 <= source.para <= sections[source.era], (item, source)


def test_no_sentence_is_pasted_from_the_sources(bank: Bank) -> None:
    """Own words: no run of eight words of a source text appears in the bank's Arabic."""

    def words(text: str) -> list[str]:
        return re.findall(r"[\u0621-\u064A]+", re.sub(r"[\u064B-\u0652]", "", text))

    source_words = words(TIMELINE.read_text(encoding="utf-8")) + words(ARTICLE.read_text(encoding="utf-8"))
    runs = {tuple(source_words[i:i + 8]) for i in range(len(source_words) - 7)}
    for q in hand_written(bank):
        for text in (q.prompt.ar, q.answer.ar, q.explanation.ar):
            bank_words = words(text)
            pasted = [bank_words[i:i + 8] for i in range(len(bank_words) - 7) if tuple(bank_words[i:i + 8]) in runs]
            assert not pasted, (q.id, " ".join(pasted[0]))
