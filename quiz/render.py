"""Rich renderables and Arabic display handling. Builds things to print; never prints.

Bank text is always wrapped in `rich.text.Text` (never parsed as markup) after `clean()` removed control
characters and terminal escape sequences, so a question can neither colour nor hijack the terminal.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from quiz.model import Bank, Kind, Lang, Question, Text
from quiz.safetext import for_screen

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text as RichText

    from quiz.session import Feedback, Presented, Summary

# rich is imported by the functions that build renderables (it costs ~25 ms): `quiz due` prints without it.

BidiMode = Literal["auto", "on", "off"]
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


def clean(text: str) -> str:
    """Bank or user text made safe to show: no escape sequences, no control characters but newline and tab, no
    bidi overrides or zero-width characters (what Arabic needs is kept): `quiz.safetext.for_screen`."""
    return for_screen(text)


@dataclass(frozen=True, slots=True)
class Display:
    """How to lay out text for this terminal: the language(s) and whether to reorder Arabic ourselves."""

    lang: Lang | Literal["both"] = "en"
    reorder: bool = False
    width: int = 80

    @staticmethod
    def for_terminal(lang: Lang | Literal["both"], bidi: BidiMode, is_terminal: bool, width: int) -> Display:
        """`on` always reshapes and reorders; `auto` never reorders when output is not a terminal, and on a
        terminal only where the terminal is known not to do it itself (we cannot know: `auto` is `off`
        unless QUIZ_BIDI or --bidi says `on`)."""
        return Display(lang, bidi == "on" or (bidi == "auto" and is_terminal and _terminal_needs_help()), width)

    def langs(self) -> tuple[Lang, ...]:
        return ("ar", "en") if self.lang == "both" else (self.lang,)

    def line(self, text: str, style: str = "", *, align: bool = True) -> RichText:
        """One piece of bank text, cleaned and laid out; never interpreted as markup. `align=False` keeps
        reordered Arabic left-aligned (for an input prompt, which the cursor follows)."""
        from rich.text import Text as RichText

        text = clean(text)
        if self.reorder and _ARABIC.search(text):
            # Shaped and in visual order, right-aligned as Arabic is read.
            return RichText(visual(text, self.width), style=style, justify="right" if align else None)
        return RichText(text, style=style)

    def pick(self, text: Text, style: str = "") -> RichText:
        """A bilingual text in the display language(s): both languages on separate lines for `both`."""
        if self.lang == "both":
            parts = [p for p in (text.ar, text.en) if p]
            return self.line("\n".join(parts) if parts else "", style)
        return self.line(text.get(self.lang), style)


def may_reorder(bidi: BidiMode) -> bool:
    """Whether `Display.for_terminal` could reorder Arabic with this mode on some output: when not, plain
    lines print as they are, without rich."""
    return bidi == "on" or (bidi == "auto" and _terminal_needs_help())


def _terminal_needs_help() -> bool:
    import os

    term_program = os.environ.get("TERM_PROGRAM", "")
    # Terminals that lay out Arabic themselves (VTE, Konsole, mlterm, macOS Terminal) must not get it reordered.
    if os.environ.get("VTE_VERSION") or os.environ.get("KONSOLE_VERSION") or term_program == "Apple_Terminal":
        return False
    if os.environ.get("TERM", "").startswith("mlterm"):
        return False
    return term_program in ("vscode", "WezTerm", "ghostty", "Alacritty") or bool(os.environ.get("WT_SESSION"))


def visual(text: str, width: int) -> str:
    """Reshape Arabic letters, wrap, then reorder each line for display (base direction right-to-left)."""
    import arabic_reshaper
    from bidi.algorithm import get_display

    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = textwrap.wrap(paragraph, width=max(10, width - 4)) or [""]
        for part in wrapped:
            lines.append(get_display(arabic_reshaper.reshape(part), base_dir="R"))
    return "\n".join(lines)


KIND_LABELS: dict[Kind, Text] = {
    Kind.CHOICE: Text("اختيار من متعدد", "multiple choice"),
    Kind.TYPED: Text("إجابة مكتوبة", "typed answer"),
    Kind.TRUEFALSE: Text("صح أم خطأ", "true or false"),
    Kind.ORDER: Text("ترتيب زمني", "chronological order"),
    Kind.CLOZE: Text("أكمل الفراغ", "fill in the blank"),
    Kind.CARD: Text("بطاقة", "flashcard"),
}


def cloze_prompt(text: str) -> str:
    """A cloze prompt with its blank hidden."""
    return re.sub(r"\{\{.+?\}\}", "_____", text)


def question_table(questions: Sequence[Question], bank: Bank, display: Display) -> Table:
    from rich.table import Table
    from rich.text import Text as RichText

    table = Table(show_lines=False, header_style="bold", expand=False)
    table.add_column("id", max_width=30, overflow="fold")
    table.add_column("kind", no_wrap=True)
    table.add_column("era", no_wrap=True)
    table.add_column("prompt" if display.lang == "en" else "prompt / السؤال", ratio=1, min_width=30)
    for question in questions:
        prompt = question.prompt
        if question.kind is Kind.CLOZE:
            prompt = Text(cloze_prompt(prompt.ar), cloze_prompt(prompt.en))
        table.add_row(
            RichText(question.id, style="dim" if question.generated else ""),
            question.kind.value,
            question.era,
            display.pick(prompt),
        )
    table.caption = f"{len(questions)} questions"
    return table


def question_detail(question: Question, bank: Bank, display: Display) -> RenderableType:
    """Everything about one question: prompt, options, answer, explanation and source."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text as RichText

    parts: list[RenderableType] = []
    for lang in display.langs():
        one = Display(lang, display.reorder, display.width)
        block: list[RenderableType] = []
        prompt = question.prompt.get(lang)
        if question.kind is Kind.CLOZE:
            prompt = cloze_prompt(prompt)
        block.append(one.line(prompt, "bold"))
        if question.kind is Kind.CHOICE:
            for index, choice in enumerate(question.choices, 1):
                block.append(one.line(f"  {index}. {choice.get(lang)}"))
        if question.kind is Kind.ORDER:
            for index, item in enumerate(question.items, 1):
                block.append(one.line(f"  {index}. {item.text.get(lang)}"))
        label = "الإجابة" if lang == "ar" else "Answer"
        block.append(one.line(f"{label}: {question.answer_text(lang)}", "green"))
        alternatives = question.accept.get(lang)
        if alternatives:
            also = "تُقبل أيضًا" if lang == "ar" else "Also accepted"
            block.append(one.line(f"{also}: " + " | ".join(alternatives), "dim"))
        if question.tolerance:
            block.append(one.line(f"± {question.tolerance}", "dim"))
        if question.explanation.get(lang):
            block.append(one.line(question.explanation.get(lang), "italic"))
        block.append(one.line(source_line(question, bank, lang), "dim"))
        parts.append(Group(*block))
    era = bank.era(question.era)
    era_title = era.title.get(display.langs()[0]) if era else question.era
    subtitle = f"{question.kind.value} · {question.era}" + (" · generated" if question.generated else "")
    title = RichText(clean(question.id))
    return Panel(Group(*_spaced(parts)), title=title, subtitle=RichText(clean(f"{subtitle} · {era_title}")),
                 expand=False)


def _spaced(parts: list[RenderableType]) -> list[RenderableType]:
    from rich.text import Text as RichText

    out: list[RenderableType] = []
    for index, part in enumerate(parts):
        if index:
            out.append(RichText(""))
        out.append(part)
    return out


def source_line(question: Question, bank: Bank, lang: Lang) -> str:
    """'Source: <document title>, <era>, paragraph N' in the given language."""
    source = question.source
    if source is None:
        return "بلا مصدر" if lang == "ar" else "No source"
    doc = bank.document(source.doc)
    title = doc.title.get(lang) if doc else source.doc
    parts = [title]
    if doc and doc.published:
        parts[0] += f" ({doc.published})"
    if doc and doc.author:
        parts.append(doc.author)
    if source.era == "intro":
        parts.append("المقدمة" if lang == "ar" else "introduction")
    elif source.era:
        era = bank.era(source.era)
        parts.append(era.title.get(lang) if era else source.era)
    if source.para is not None:
        parts.append(f"الفقرة {source.para}" if lang == "ar" else f"paragraph {source.para}")
    label = "المصدر" if lang == "ar" else "Source"
    return f"{label}: " + "، ".join(parts) if lang == "ar" else f"{label}: " + ", ".join(parts)


# --- the study session ------------------------------------------------------------------------------------------

ARABIC_LETTERS = "أبجدهوزحطي"


def question_view(presented: Presented, bank: Bank, display: Display) -> RenderableType:
    """A question on screen: position, era and kind on top, then the prompt and its options."""
    from rich.console import Group

    from quiz.messages import say

    question = presented.question
    ui: Lang = "ar" if display.lang == "ar" else "en"
    era = bank.era(question.era)
    era_title = era.title.get(ui) if era else question.era
    phase = say("learning" if presented.phase == "learning" else presented.phase, ui)
    header = " · ".join([say("position", ui, n=presented.number, total=presented.total), era_title,
                         KIND_LABELS[question.kind].get(ui), phase])
    lines: list[RenderableType] = [display.line(header, "bold cyan")]
    for lang in display.langs():
        one = Display(lang, display.reorder, display.width)
        prompt = question.prompt.get(lang)
        if question.kind is Kind.CLOZE:
            prompt = cloze_prompt(prompt)
        lines.append(one.line(prompt, "bold"))
    if question.kind is Kind.CHOICE:
        for position, index in enumerate(presented.shown_order, 1):
            lines.append(display.line(f"  {position}. {_both(question.choices[index], display)}"))
    elif question.kind is Kind.ORDER:
        for position, index in enumerate(presented.shown_order):
            letter = ARABIC_LETTERS[position] if display.lang == "ar" else "abcdefghij"[position]
            lines.append(display.line(f"  {position + 1} ({letter}). {_both(question.items[index].text, display)}"))
    return Group(*lines)


def _both(text: Text, display: Display) -> str:
    if display.lang == "both":
        return " / ".join(part for part in (text.ar, text.en) if part)
    return text.get(display.lang)


def feedback_view(feedback: Feedback | None, presented: Presented, bank: Bank, display: Display, *,
                  reveal_only: bool = False, after_rating: bool = False) -> RenderableType:
    """After an answer: right or wrong, the right answer, the explanation, the source, when it comes back."""
    from rich.console import Group

    from quiz.messages import humanize_delta, say

    question = presented.question
    ui: Lang = "ar" if display.lang == "ar" else "en"
    lines: list[RenderableType] = []
    verdict = feedback.verdict if feedback is not None else None
    if verdict is not None:
        if verdict.correct and verdict.exact:
            lines.append(display.line("✔ " + say("right", ui), "bold green"))
        elif verdict.correct:
            lines.append(display.line("✔ " + say("near", ui, expected=_answer(question, display)), "bold green"))
        elif verdict.partial:
            lines.append(display.line("~ " + say("partial", ui), "bold yellow"))
        else:
            lines.append(display.line("✘ " + say("wrong", ui), "bold red"))
    if not (verdict is not None and verdict.correct and verdict.exact) or question.kind is Kind.ORDER:
        lines.append(display.line(say("answer", ui, answer=_answer(question, display)), "green"))
    if reveal_only:
        return Group(*lines)
    if not after_rating or feedback is None or feedback.verdict is None:
        for lang in display.langs():
            one = Display(lang, display.reorder, display.width)
            if question.explanation.get(lang):
                lines.append(one.line(question.explanation.get(lang), "italic"))
        lines.append(display.line(source_line(question, bank, ui), "dim"))
    if feedback is not None:
        if feedback.due is not None:
            seconds = (feedback.due - feedback.now).total_seconds()
            lines.append(display.line(say("comes_back", ui, when=humanize_delta(seconds, ui)), "dim"))
        if feedback.became_leech:
            lines.append(display.line(say("leech", ui, lapses=feedback.lapses, id=question.id), "bold magenta"))
    return Group(*lines)


def _answer(question: Question, display: Display) -> str:
    if display.lang == "both":
        return " / ".join(dict.fromkeys(question.answer_text(lang) for lang in ("ar", "en")))
    return question.answer_text(display.lang)


def summary_panel(summary: Summary, display: Display, ui: Lang) -> RenderableType:
    from rich.panel import Panel
    from rich.table import Table

    from quiz.messages import say

    table = Table.grid(padding=(0, 2))
    table.add_column()
    table.add_column(justify="right")
    accuracy = "—" if summary.accuracy is None else f"{summary.accuracy:.0%}"
    minutes, seconds = divmod(int(round(summary.seconds)), 60)
    streak = say("day", ui) if summary.streak == 1 else say("days", ui, n=summary.streak)
    for key, value in (("summary.answered", str(summary.answered)), ("summary.correct", str(summary.correct)),
                       ("summary.accuracy", accuracy), ("summary.time", f"{minutes}:{seconds:02d}"),
                       ("summary.streak", streak), ("summary.tomorrow", str(summary.due_tomorrow))):
        table.add_row(display.line(say(key, ui)), display.line(value, "bold"))
    return Panel(table, title=display.line(say("summary.title", ui)), expand=False)
