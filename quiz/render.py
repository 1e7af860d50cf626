"""Rich renderables and Arabic display handling. Builds things to print; never prints.

Bank text is always wrapped in `rich.text.Text` (never parsed as markup) after `clean()` removed control
characters and terminal escape sequences, so a question can neither colour nor hijack the terminal.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from quiz.model import Bank, Kind, Lang, Question, Text

BidiMode = Literal["auto", "on", "off"]
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


def clean(text: str) -> str:
    """Bank or user text made safe to show: no escape sequences, no control characters but newline and tab."""
    text = _ESCAPES.sub("", text)
    return "".join(
        ch for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )


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

    def line(self, text: str, style: str = "") -> RichText:
        """One piece of bank text, cleaned and laid out; never interpreted as markup."""
        text = clean(text)
        if self.reorder and _ARABIC.search(text):
            text = visual(text, self.width)
        return RichText(text, style=style)

    def pick(self, text: Text, style: str = "") -> RichText:
        """A bilingual text in the display language(s): both languages on separate lines for `both`."""
        if self.lang == "both":
            parts = [p for p in (text.ar, text.en) if p]
            return self.line("\n".join(parts) if parts else "", style)
        return self.line(text.get(self.lang), style)


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
