"""An Anki note's fields, every bank text in them escaped (`quiz.export.anki_html.esc`): a question note's, in
`quiz.export.anki.FIELDS` order, and an event note's (`EVENT_FIELDS`), whose forms are the cards of one note
(`quiz.export.anki_notes`). No genanki and no I/O here."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from quiz.bank import date_text
from quiz.export.anki_html import _choices_html, accepted_html, cloze_text, esc, shuffled_order
from quiz.messages import source_line
from quiz.model import Bank, Event, Kind, Lang, Question

SourceLines = Callable[[Question, Lang], str]
"""A question's escaped source line in a language (a renderer's, made once per source)."""


def first_field(question: Question, lang: Lang, order: Sequence[int] | None = None) -> str:
    """A question note's first field (what it is, unique within its note type unless `NoteSpec.dup`); an order
    question's items shown in `order` (its `shuffled_order`, found here when not given)."""
    q = question
    prompt = q.prompt.get(lang)
    if q.kind is Kind.ORDER:
        order = shuffled_order(q) if order is None else order
        listed = (" · " if lang == "en" else " · ").join(q.items[i].text.get(lang) for i in order)
        return f'{esc(prompt or _order_prompt(lang))}<span class="qz-listed">: {esc(listed)}</span>'
    if q.kind is Kind.CLOZE:
        return cloze_text(prompt, q.answer.get(lang))
    return esc(prompt)


def _order_prompt(lang: Lang) -> str:
    return ("رتّب هذه الأحداث ترتيبًا زمنيًا، من الأقدم إلى الأحدث." if lang == "ar"
            else "Put these events in chronological order, oldest first.")


def question_fields(question: Question, bank: Bank, lang: Lang,
                    sources: SourceLines | None = None) -> tuple[str, ...]:
    """A question note's fields in `FIELDS[kind]` order, every bank text escaped (its source line from
    `sources` when given)."""
    q = question
    explanation = esc(q.explanation.get(lang))
    source = sources(q, lang) if sources is not None else esc(source_line(q, bank, lang))
    ident = esc(q.id)
    prompt = q.prompt.get(lang)
    if q.kind is Kind.CARD:
        return (esc(prompt), esc(q.answer_text(lang)), explanation, source, ident)
    if q.kind is Kind.TYPED:
        return (esc(prompt), esc(q.answer.get(lang)), accepted_html(q, lang), explanation, source, ident)
    if q.kind is Kind.CHOICE:
        plain, marked = _choices_html(q, lang)
        return (esc(prompt), plain, marked, esc(q.answer.get(lang)), explanation, source, ident)
    if q.kind is Kind.TRUEFALSE:
        return (esc(prompt), esc(q.answer_text(lang)), explanation, source, ident)
    if q.kind is Kind.ORDER:
        order = shuffled_order(q)
        first = first_field(q, lang, order)
        texts = [esc(item.text.get(lang)) for item in q.items]  # each escaped once for both lists
        shuffled = "".join([f"<li>{texts[i]}</li>" for i in order])
        ordered = "".join([
            f"<li>{text}" + (f" <span class=\"qz-year\">({item.year})</span>" if item.year is not None else "")
            + "</li>"
            for item, text in zip(q.items, texts, strict=True)
        ])
        return (first, f'<ul class="qz-items">{shuffled}</ul>', f'<ol class="qz-order">{ordered}</ol>',
                explanation, source, ident)
    if q.kind is Kind.CLOZE:
        return (cloze_text(prompt, q.answer.get(lang)), explanation, source, ident)
    raise ValueError(f"no note type for kind {q.kind}")  # pragma: no cover - every Kind is handled above


def event_fields(event: Event, forms: Mapping[str, Question], bank: Bank, lang: Lang,
                 sources: SourceLines | None = None) -> tuple[str, ...]:
    """An event note's fields (`EVENT_FIELDS` order): what the event is, then each form's own fields (empty for
    a form the export leaves out, so Anki makes no card for it)."""
    what = event_first_field(event, lang)
    year_q = forms.get("year") or forms.get("yearpick")
    pick, recall, era_q = forms.get("yearpick"), forms.get("year"), forms.get("era")
    year_prompt = esc(year_q.prompt.get(lang)) if year_q else ""
    pick_plain, pick_marked = _choices_html(pick, lang) if pick else ("", "")
    era_plain, era_marked = _choices_html(era_q, lang) if era_q else ("", "")
    any_q = year_q or era_q
    assert any_q is not None
    return (
        what,
        year_prompt if pick else "",
        pick_plain,
        pick_marked,
        year_prompt if recall else "",
        esc(year_q.answer.get(lang)) if year_q else "",
        accepted_html(recall, lang) if recall else "",
        esc(year_q.explanation.get(lang)) if year_q else "",
        esc(era_q.prompt.get(lang)) if era_q else "",
        era_plain,
        era_marked,
        esc(era_q.answer.get(lang)) if era_q else "",
        esc(era_q.explanation.get(lang)) if era_q else "",
        sources(any_q, lang) if sources is not None else esc(source_line(any_q, bank, lang)),
        esc(event.id),
    )


def event_first_field(event: Event, lang: Lang) -> str:
    title = event.title.get(lang) or event.id
    return f"{esc(title[:1].upper() + title[1:])} ({esc(date_text(event.date).get(lang))})"


EVENT_FIELDS = ("Event", "RecognitionPrompt", "YearChoices", "YearMarked", "RecallPrompt", "Year", "Accepted",
                "YearExplanation", "EraPrompt", "EraChoices", "EraMarked", "Era", "EraExplanation", "Source", "Id")
