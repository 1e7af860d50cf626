"""Card templates and CSS of the Anki note types (plain strings; `quiz.export.anki` builds the note types).

Typed answers: the front keeps Anki's own `{{type:Field}}` box (and remembers what was typed); the back runs
`anki_check.js`, the quiz's own answer matching (alternatives, year tolerance, Arabic-Indic digits, Arabic
folding), and shows its verdict beside Anki's character comparison. Anki desktop and AnkiDroid run template
scripts.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from functools import cache
from importlib import resources

from quiz.messages import kind_label
from quiz.model import Kind, Lang

ARABIC_FONTS = ('"Noto Naskh Arabic", "Amiri", "Scheherazade New", "Geeza Pro", "Arabic Typesetting", '
                '"Traditional Arabic", serif')
LATIN_FONTS = '-apple-system, "Segoe UI", "Noto Sans", Roboto, "Helvetica Neue", Arial, sans-serif'

LABELS: Mapping[Lang, Mapping[str, str]] = {
    "en": {"answer": "Answer", "accepted": "Also accepted", "truefalse": "True or false?", "right": "Accepted",
           "wrong": "Not accepted", "near": "Accepted (close enough)", "recognition": "year",
           "recall": "year, typed", "era": "era", "event": "event"},
    "ar": {"answer": "الإجابة", "accepted": "تُقبل أيضًا", "truefalse": "صح أم خطأ؟", "right": "إجابة مقبولة",
           "wrong": "إجابة غير مقبولة", "near": "إجابة مقبولة (قريبة بما يكفي)", "recognition": "العام",
           "recall": "العام، كتابةً", "era": "المرحلة", "event": "حدث"},
}


@cache
def check_script() -> str:
    """The matching script (the same file the tests run in Chromium against the shared answer vectors)."""
    return resources.files("quiz.export").joinpath("anki_check.js").read_text(encoding="utf-8")


def _wrap(lang: Lang, body: str) -> str:
    direction = "rtl" if lang == "ar" else "ltr"
    return f'<div class="qz qz-{lang}" dir="{direction}" lang="{lang}">{body}</div>'


REMEMBER = ("<script>(function(){var b=document.getElementById('typeans'),k='qz-typed';"
            "if(!b||b.tagName!=='INPUT'){window.qzTyped=undefined;try{sessionStorage.removeItem(k);}catch(e){}"
            "return;}"
            "function s(){window.qzTyped=b.value;try{sessionStorage.setItem(k,b.value);}"
            "catch(e){}}s();"
            "b.addEventListener('input',s);b.addEventListener('change',s);b.addEventListener('keyup',s);})();"
            "</script>")
"""The front's script: what is typed in Anki's box, kept for the back (a global on Anki desktop, which shows both
sides in one page; sessionStorage where the back is a page of its own). Starting empty on every card, so the back
never judges an answer typed for another card. With no box in the card (AnkiDroid's default: its own input field
under the card, "……" in the card) it keeps nothing and forgets what an earlier card kept: the back then reads
Anki's comparison, which AnkiDroid renders as Anki desktop does (`<code id=typeans>`: typed, arrow, expected)."""


def verdict_block(lang: Lang, answer_field: str, accepted_field: str) -> str:
    """The back's verdict: the typed answer checked by `anki_check.js` against the answer and alternatives."""
    words = LABELS[lang]
    return (f'<div class="qz-check" hidden data-lang="{lang}" data-right="{html.escape(words["right"])}" '
            f'data-near="{html.escape(words["near"])}" data-wrong="{html.escape(words["wrong"])}">'
            f'<span class="qz-expected">{{{{{answer_field}}}}}</span>'
            f'<span class="qz-accept">{{{{{accepted_field}}}}}</span></div>'
            f'<div class="qz-verdict"></div><script>{check_script()}\nqzShowVerdict();</script>')


def _tail(explanation: str = "Explanation") -> str:
    return (f'{{{{#{explanation}}}}}<div class="qz-explanation">{{{{{explanation}}}}}</div>{{{{/{explanation}}}}}'
            '<div class="qz-source">{{Source}}</div><div class="qz-id">{{Id}}</div>')


def _answer(lang: Lang, field: str = "Answer") -> str:
    return (f'<div class="qz-answer"><span class="qz-label">{LABELS[lang]["answer"]}:</span> '
            f"{{{{{field}}}}}</div>")


def _accepted(lang: Lang, field: str = "Accepted") -> str:
    return (f'{{{{#{field}}}}}<div class="qz-accepted">{LABELS[lang]["accepted"]}: {{{{{field}}}}}</div>'
            f"{{{{/{field}}}}}")


def question_templates(kind: Kind, lang: Lang) -> tuple[str, str]:
    """(front, back) of a question note type's one template."""
    label = html.escape(kind_label(kind, lang))
    words = LABELS[lang]
    head = f'<div class="qz-kind">{label}</div>'
    tail = _tail()
    answer = _answer(lang)
    front = head + '<div class="qz-prompt">{{Prompt}}</div>'
    if kind is Kind.CARD:
        return _wrap(lang, front), _wrap(lang, front + '<hr id="answer">' + answer + tail)
    if kind is Kind.TYPED:
        return (_wrap(lang, front + "{{type:Answer}}" + REMEMBER),
                _wrap(lang, front + '<hr id="answer">{{type:Answer}}' + verdict_block(lang, "Answer", "Accepted")
                      + _accepted(lang) + tail))
    if kind is Kind.CHOICE:
        return (_wrap(lang, front + "{{Choices}}"),
                _wrap(lang, front + "{{Marked}}" + '<hr id="answer">' + answer + tail))
    if kind is Kind.TRUEFALSE:
        front = head + f'<div class="qz-prompt">{{{{Statement}}}}</div><div class="qz-ask">{words["truefalse"]}</div>'
        return _wrap(lang, front), _wrap(lang, front + '<hr id="answer">' + answer + tail)
    if kind is Kind.ORDER:
        return (_wrap(lang, front + "{{Items}}"),
                _wrap(lang, front + '<hr id="answer"><div class="qz-answer">{{Answer}}</div>' + tail))
    if kind is Kind.CLOZE:
        front = head + '<div class="qz-prompt">{{cloze:Text}}</div>'
        return _wrap(lang, front), _wrap(lang, front + '<hr id="answer">' + tail)
    raise ValueError(f"no templates for kind {kind}")  # pragma: no cover


EVENT_TEMPLATE_NAMES: Mapping[Lang, tuple[str, str, str]] = {
    "en": ("Year (recognition)", "Year (recall)", "Era"),
    "ar": ("العام (تعرّف)", "العام (استدعاء)", "المرحلة"),
}


def event_templates(lang: Lang) -> list[tuple[str, str, str]]:
    """(name, front, back) of the event note type's cards: recognition of the year, recall of it, the era. Each
    front is empty (so Anki makes no card) when its form is not in the note."""
    words = LABELS[lang]

    def head(form: str) -> str:
        return f'<div class="qz-kind">{html.escape(words["event"])} · {html.escape(words[form])}</div>'

    names = EVENT_TEMPLATE_NAMES[lang]
    pick_front = head("recognition") + '<div class="qz-prompt">{{RecognitionPrompt}}</div>{{YearChoices}}'
    recall_front = head("recall") + '<div class="qz-prompt">{{RecallPrompt}}</div>'
    era_front = head("era") + '<div class="qz-prompt">{{EraPrompt}}</div>{{EraChoices}}'
    year_tail = _tail("YearExplanation")
    return [
        (names[0], "{{#RecognitionPrompt}}" + _wrap(lang, pick_front) + "{{/RecognitionPrompt}}",
         _wrap(lang, head("recognition") + '<div class="qz-prompt">{{RecognitionPrompt}}</div>{{YearMarked}}'
               '<hr id="answer">' + _answer(lang, "Year") + year_tail)),
        (names[1], "{{#RecallPrompt}}" + _wrap(lang, recall_front + "{{type:Year}}" + REMEMBER) + "{{/RecallPrompt}}",
         _wrap(lang, recall_front + '<hr id="answer">{{type:Year}}' + verdict_block(lang, "Year", "Accepted")
               + _accepted(lang) + year_tail)),
        (names[2], "{{#EraPrompt}}" + _wrap(lang, era_front) + "{{/EraPrompt}}",
         _wrap(lang, head("era") + '<div class="qz-prompt">{{EraPrompt}}</div>{{EraMarked}}<hr id="answer">'
               + _answer(lang, "Era") + _tail("EraExplanation"))),
    ]


def css(lang: Lang) -> str:
    fonts = ARABIC_FONTS if lang == "ar" else LATIN_FONTS
    direction, align = ("rtl", "right") if lang == "ar" else ("ltr", "left")
    size = "24px" if lang == "ar" else "20px"
    return f""".card {{ font-family: {fonts}; font-size: {size}; line-height: 1.6; direction: {direction};
  text-align: {align}; color: #1f2328; background-color: #ffffff; }}
.nightMode.card, .night_mode .card {{ color: #e6edf3; background-color: #1e1e1e; }}
.qz {{ max-width: 40em; margin: 0 auto; font-family: {fonts}; direction: {direction}; text-align: {align}; }}
.qz-kind {{ font-size: 0.65em; opacity: 0.6; margin-bottom: 0.5em; }}
.qz-prompt {{ font-weight: bold; }}
.qz-listed {{ display: none; }}
.qz-ask {{ margin-top: 0.5em; opacity: 0.8; }}
.qz-choices li, .qz-items li, .qz-order li {{ margin: 0.25em 0; }}
.qz-right {{ font-weight: bold; color: #1a7f37; }}
.nightMode .qz-right, .night_mode .qz-right {{ color: #3fb950; }}
.qz-answer {{ margin-top: 0.5em; }}
.qz-label {{ opacity: 0.7; }}
.qz-year {{ opacity: 0.7; }}
.qz-accepted {{ font-size: 0.8em; opacity: 0.8; margin-top: 0.5em; }}
.qz-verdict {{ margin-top: 0.5em; font-weight: bold; }}
.qz-verdict.qz-ok {{ color: #1a7f37; }}
.qz-verdict.qz-no {{ color: #cf222e; }}
.qz-explanation {{ margin-top: 0.75em; font-style: {"normal" if lang == "ar" else "italic"}; }}
.qz-source {{ margin-top: 0.75em; font-size: 0.7em; opacity: 0.7; }}
.qz-id {{ font-size: 0.6em; opacity: 0.4; direction: ltr; text-align: {align}; }}
.cloze {{ font-weight: bold; color: #0969da; }}
#typeans {{ font-family: {fonts}; direction: {direction}; text-align: {align}; }}
"""
