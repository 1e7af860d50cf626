"""Rich renderables and Arabic display handling. Builds things to print; never prints.

Bank text is always wrapped in `rich.text.Text` (never parsed as markup) after `clean()` removed control
characters and terminal escape sequences, so a question can neither colour nor hijack the terminal. rich is
imported by the functions that build renderables (it costs ~25 ms): `quiz due` and `quiz stats` print without it.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, TypeVar

from quiz.messages import kind_label, source_line
from quiz.model import Bank, Kind, Lang, Question, Text
from quiz.safetext import for_screen
from quiz.terminal import cells

if TYPE_CHECKING:

    from rich.console import Console, RenderableType
    from rich.text import Text as RichText

    from quiz.session import Feedback, Presented, Summary

BidiMode = Literal["auto", "on", "off"]
T = TypeVar("T")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


def clean(text: str) -> str:
    """Bank or user text made safe to show: no escape sequences, no control characters but newline and tab, no
    bidi overrides or zero-width characters (what Arabic needs is kept): `quiz.safetext.for_screen`."""
    return for_screen(text)


@dataclass(frozen=True, slots=True)
class Display:
    """How to lay out text for this terminal: the language(s), and who lays out Arabic. `reorder`: quiz shapes
    and reorders it (terminals without bidi, `--bidi on`); `marks`: the terminal does, and each line is made a
    well-formed paragraph for its bidi algorithm (direction marks, isolates around Latin runs, numbers and table
    cells); neither: plain text (output that is not a terminal). `guard`: what starts each printed line when quiz
    reorders for a terminal that has its own bidi (`quiz.terminal.Terminal.guard`; the console's stream adds it,
    see `guard_console`); `italic`: whether Arabic may be italic; `logical_prompt`: the study prompt goes in
    logical order for the terminal to lay out (mlterm), `prompt_margin` spaces in front of each of its lines."""

    lang: Lang | Literal["both"] = "en"
    reorder: bool = False
    width: int = 80
    marks: bool = False
    guard: str = ""
    italic: bool = True
    logical_prompt: bool = False
    prompt_margin: int = 0

    @staticmethod
    def for_terminal(lang: Lang | Literal["both"], bidi: BidiMode, is_terminal: bool, width: int) -> Display:
        """`on` always reshapes and reorders; `off` leaves layout to the terminal (with marks when it is one);
        `auto` asks `quiz.terminal.detect`, and never reorders when output is not a terminal."""
        from quiz.terminal import choose, detect

        if bidi == "auto":
            bidi = choose("auto", is_terminal=is_terminal).mode
        terminal = detect()
        marks = bidi == "off" and is_terminal and terminal.marks
        return Display(lang, bidi == "on", width, marks=marks,
                       guard=terminal.guard if bidi == "on" and is_terminal and lang != "en" else "",
                       italic=terminal.italic_arabic or not is_terminal,
                       logical_prompt=bidi == "on" and is_terminal and terminal.logical_prompt)

    def langs(self) -> tuple[Lang, ...]:
        return ("ar", "en") if self.lang == "both" else (self.lang,)

    def only(self, lang: Lang) -> Display:
        """The same layout for one language."""
        return replace(self, lang=lang)

    @property
    def mirrored(self) -> bool:
        """Whether quiz lays out tables and legends right to left itself (`on`, Arabic interface)."""
        return self.reorder and self.lang == "ar"

    def line(self, text: str, style: str = "", *, align: bool = True, width: int | None = None) -> RichText:
        """One piece of bank text, cleaned and laid out; never interpreted as markup. `width` cuts it (from the
        end of the logical text) to fit; `align=False` keeps reordered Arabic left-aligned (for an input
        prompt, which the cursor follows: its trailing space stays after it)."""
        from rich.text import Text as RichText

        text = cut(clean(text), width)
        if not self.italic and "italic" in style and _ARABIC.search(text):
            style = " ".join(word for word in style.split() if word != "italic")  # mlterm, Konsole
        if not align and self.logical_prompt and _ARABIC.search(text):  # mlterm lays out the prompt and reply
            return RichText(self._logical_prompt(text), style=style)
        if self.reorder and _ARABIC.search(text):
            base = "R" if self.lang == "ar" else None
            body = text.rstrip(" ")
            shown = visual(body, self.width, base) + text[len(body):]
            right = align and (base == "R" or _first_strong_is_arabic(text))
            return RichText(shown, style=style, justify="right" if right else None)
        if self.marks and _ARABIC.search(text):
            return RichText(marked(text, rtl=self.lang == "ar"), style=style)
        return RichText(text, style=style)

    def _logical_prompt(self, text: str) -> str:
        """A prompt for mlterm to lay out: marked, wrapped here, each line starting with `prompt_margin` spaces
        (mlterm right-aligns it: its right edge where the guarded lines end, see `guard_console`), the trailing
        space kept for the reply."""
        body = text.rstrip(" ")
        parts = textwrap.wrap(body, width=max(10, self.width - self.prompt_margin)) or [""]
        shown = [" " * self.prompt_margin + marked(part, rtl=self.lang == "ar", embed=True) for part in parts]
        return "\n".join(shown) + text[len(body):]

    def cell(self, text: str, style: str = "", *, width: int | None = None) -> RichText:
        """A table cell: cut to `width` from the end of its logical text; reordered on its own (`on`), or
        isolated so that the terminal keeps it in its column (`marks`, Arabic interface)."""
        from rich.text import Text as RichText

        text = " ".join(cut(clean(text), width).split("\n"))
        if self.reorder and _ARABIC.search(text):
            base = "R" if self.lang == "ar" else None
            return RichText(visual(text, 10_000, base), style=style,
                            justify="right" if self.mirrored else None)
        if self.marks and self.lang == "ar":
            inner = marked(text, rtl=True).lstrip(RLM) if _ARABIC.search(text) else text
            return RichText(RLM + FSI + inner + PDI if text else RLM, style=style)
        return RichText(text, style=style)

    def chart(self, row: RichText) -> RichText:
        """A row of a chart: always left to right (time flows that way), also in a terminal that detects a
        line's direction from its first letter."""
        if self.marks and self.lang == "ar":
            row = row.copy()
            row.pad_left(1, LRM)
        return row

    def mirror(self, items: Sequence[T]) -> list[T]:
        """Columns (or legend entries) in the order they are printed: right to left when `mirrored`."""
        return list(items)[::-1] if self.mirrored else list(items)

    def justify(self, justify: str) -> str:
        if self.mirrored:
            return {"left": "right", "right": "left"}.get(justify, justify)
        return justify

    def pick(self, text: Text, style: str = "") -> RichText:
        """A bilingual text in the display language(s): both languages on separate lines for `both`."""
        if self.lang == "both":
            parts = [p for p in (text.ar, text.en) if p]
            return self.line("\n".join(parts) if parts else "", style)
        return self.line(text.get(self.lang), style)


def make_console(**kwargs: object) -> Console:
    """A rich Console whose `print(line)` keeps the line's own justification: rich joins the texts given to
    one `print` into a new one and drops it, so right-aligned Arabic lines came out left-aligned."""
    from rich.console import Console
    from rich.text import Text as RichText

    class AlignedConsole(Console):
        def print(self, *objects: object, **options: object) -> None:
            if options.get("justify") is None and len(objects) == 1 and isinstance(objects[0], RichText) \
                    and objects[0].justify:
                options["justify"] = objects[0].justify
            super().print(*objects, **options)  # type: ignore[arg-type]

    return AlignedConsole(**kwargs)  # type: ignore[arg-type]


def guard_console(console: Console, display: Display) -> Display:
    """Makes `console` start each line with the display's guard (a left-to-right override, so that a terminal
    with its own bidi shows quiz's visual order as it is), narrower by the columns the guard takes there.
    Returns the display for the console's width. The stream is wrapped once per console; nothing without a
    guard."""
    from quiz.terminal import GuardedStream, detect, guarded

    if not display.guard:
        return display
    terminal = detect()
    if not isinstance(console.file, GuardedStream):
        console.file = guarded(console.file, terminal)  # type: ignore[assignment]
        console.width = console.width - terminal.guard_cells
    # mlterm leaves the columns of the zero-width cells undrawn, with whatever scrolled past them: a logical
    # prompt, which mlterm right-aligns, keeps off them too.
    return replace(display, width=console.width,
                   prompt_margin=terminal.guard_cells if display.logical_prompt else 0)


def may_reorder(bidi: BidiMode, is_terminal: bool = True) -> bool:
    """Whether `Display.for_terminal` would reorder Arabic with this mode: when not, plain lines print as they
    are, without rich (with `marked` lines on a terminal)."""
    if bidi == "auto":
        from quiz.terminal import detect

        return is_terminal and detect().mode == "on"
    return bidi == "on"


def cell_width(text: str) -> int:
    """The cells `text` takes in a terminal, as rich counts them (`quiz.terminal.cells`, else rich itself)."""
    width = cells(text)
    if width is None:
        from rich.cells import cell_len

        width = cell_len(text)
    return width


def cut(text: str, width: int | None) -> str:
    """The text cut to `width` cells from the end of its logical order, with an ellipsis; harakat take no cell."""
    if width is None:
        return text
    if cell_width(text) <= width:
        return text
    out: list[str] = []
    used = 0
    for ch in text:
        size = cell_width(ch)
        if used + size > width - 1:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + "…"


# Isolates and marks (UAX #9), for terminals that run the bidi algorithm themselves.
LRM, RLM = "\u200e", "\u200f"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
LRE, PDF = "\u202a", "\u202c"
_TOKEN = r"(?:--?)?[A-Za-z0-9][A-Za-z0-9_%°′″'+]*(?:[-./:,×][A-Za-z0-9_%°′″'+]+)*"
_LTR_RUN = re.compile(rf"{_TOKEN}(?: +{_TOKEN})*")
_WORD = re.compile(r"[^\W_]")
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _first_strong_is_arabic(text: str) -> bool:
    match = _WORD.search(text)
    return bool(match and _ARABIC.match(match.group()))


def marked(text: str, *, rtl: bool = True, embed: bool = False) -> str:
    """Each line of Arabic text made a well-formed paragraph for a terminal's bidi algorithm: Latin runs and
    numbers with signs (`Enter`, `t/f`, `54°40′`, `45%`, `3 1 2`; a plain number needs none) in left-to-right
    isolates (LRI … PDI; with `embed`, embeddings LRE … PDF: mlterm's prompt), and a right-to-left mark in front
    where the line would otherwise start with Latin or a digit. Lines of an English interface that start with Latin
    are left alone (left-to-right paragraphs)."""
    start, end = (LRE, PDF) if embed else (LRI, PDI)
    lines = []
    for line in text.split("\n"):
        if not _ARABIC.search(line) or not (rtl or _first_strong_is_arabic(line)):
            lines.append(line)
            continue
        body = _LTR_RUN.sub(lambda m: m.group() if m.group().isdigit() else start + m.group() + end, line)
        lines.append(body if _first_strong_is_arabic(line) else RLM + body)
    return "\n".join(lines)


_RESHAPER = None


def _reshape(text: str) -> str:
    global _RESHAPER
    if _RESHAPER is None:
        from arabic_reshaper import ArabicReshaper

        # Harakat are kept (they change meanings: أُجيب is not أجيب), moved so that they follow their letter
        # once the line is reversed.
        _RESHAPER = ArabicReshaper(configuration={"delete_harakat": False, "shift_harakat_position": True})
    return str(_RESHAPER.reshape(text))


def visual(text: str, width: int, base: str | None = "R") -> str:
    """Reshape Arabic letters, wrap, then reorder each line for display (base direction right-to-left, or
    that of the line's first strong letter when `base` is None)."""
    from bidi.algorithm import get_display

    text = _BIDI_CONTROLS.sub("", text)  # we lay it out: the bank's own marks and isolates have no say
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = textwrap.wrap(paragraph, width=max(10, width - 4), break_on_hyphens=False) or [""]
        for part in wrapped:
            # Numbers with signs and Latin runs as embedded left-to-right runs: the pure-Python algorithm splits
            # `54°40′` and `45.0%` otherwise (it gives `′40°54`, `%45.0`).
            part = _LTR_RUN.sub(lambda m: m.group() if m.group().isdigit() else "\u202a" + m.group() + "\u202c",
                                _reshape(part))
            lines.append(get_display(part, base_dir=base))
    return "\n".join(lines)


def cloze_prompt(text: str) -> str:
    """A cloze prompt with its blank hidden."""
    return re.sub(r"\{\{.+?\}\}", "_____", text)


def shown_prompt(question: Question, lang: Lang) -> str:
    """The question's prompt in `lang` as it is asked: a cloze's blank hidden."""
    prompt = question.prompt.get(lang)
    return cloze_prompt(prompt) if question.kind is Kind.CLOZE else prompt


def shown_prompts(question: Question) -> Text:
    """The question's prompt in both languages as it is asked (`shown_prompt`)."""
    return Text(shown_prompt(question, "ar"), shown_prompt(question, "en"))


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
    phase = say("again" if presented.again else presented.phase, ui)
    counts = presented.counts
    lines: list[RenderableType] = [
        display.line(say("counts", ui, new=counts.new, learning=counts.learning, review=counts.review), "dim"),
        display.line(" · ".join([*([] if question.asks_era else [era_title]), kind_label(question.kind, ui), phase]),
                     "bold cyan"),
    ]
    if presented.ahead and presented.state.due is not None:
        from quiz.messages import humanize_delta

        when = humanize_delta((presented.state.due - presented.shown_at).total_seconds(), ui)
        lines.append(display.line(say("ahead", ui, when=when), "yellow"))
    for lang in _langs(question, display):
        lines.append(display.only(lang).line(shown_prompt(question, lang), "bold"))
    if question.kind is Kind.CHOICE:
        for position, index in enumerate(presented.shown_order, 1):
            lines.append(display.line(f"  {position}. {_both(question.choices[index], display)}"))
    elif question.kind is Kind.ORDER:
        for position, index in enumerate(presented.shown_order):
            letter = ARABIC_LETTERS[position] if display.lang == "ar" else "abcdefghij"[position]
            lines.append(display.line(f"  {position + 1} ({letter}). {_both(question.items[index].text, display)}"))
    return Group(*lines)


def _langs(question: Question, display: Display) -> tuple[Lang, ...]:
    """The languages to show a question in: with both languages, only those it is written in."""
    langs = display.langs()
    if len(langs) == 1:
        return langs
    return tuple(lang for lang in langs if question.has(lang)) or langs


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
    if feedback is not None and feedback.dont_know:
        lines.append(display.line(say("dont_know", ui), "bold yellow"))
    elif verdict is not None:
        if verdict.correct and verdict.exact:
            lines.append(display.line("✔ " + say("right", ui), "bold green"))
        elif verdict.correct:
            lines.append(display.line("✔ " + say("near", ui, expected=_answer(question, display)), "bold green"))
        elif verdict.partial:
            lines.append(display.line("~ " + say("partial", ui), "bold yellow"))
        else:
            lines.append(display.line("✘ " + say("wrong", ui), "bold red"))
            if verdict.picked is not None and question.kind is Kind.CHOICE:
                picked = _both(question.choices[verdict.picked], display)
                lines.append(display.line(say("picked", ui, given=picked), "red"))
    # A near miss accepted already names the spelling; an order shows its years.
    shown_answer = not (verdict is not None and verdict.correct) or question.kind is Kind.ORDER
    if shown_answer and not (after_rating and question.kind is Kind.CARD):  # a card's answer: once, at the reveal
        lines.append(display.line(say("answer", ui, answer=_answer(question, display)), "green"))
    if reveal_only:
        return Group(*lines)
    if not after_rating or feedback is None or feedback.verdict is None:
        for lang in _langs(question, display):
            one = display.only(lang)
            if question.explanation.get(lang):
                lines.append(one.line(question.explanation.get(lang), "italic"))
        lines.append(display.line(source_line(question, bank, ui), "dim"))
    if feedback is not None:
        if feedback.due is not None:
            seconds = (feedback.due - feedback.now).total_seconds()
            lines.append(display.line(say("comes_back", ui, when=humanize_delta(seconds, ui)), "dim"))
        if feedback.became_leech:
            lines.append(display.line(say("leech", ui, n=feedback.lapses, lapses=feedback.lapses, id=question.id),
                                      "bold magenta"))
    return Group(*lines)


def _answer(question: Question, display: Display) -> str:
    if display.lang == "both":
        return " / ".join(dict.fromkeys(_answer_text(question, lang) for lang in ("ar", "en")))
    return _answer_text(question, display.lang)


def _answer_text(question: Question, lang: Lang) -> str:
    """The right answer as words; an order's items with their years, joined in the reading direction."""
    if question.kind is not Kind.ORDER:
        return question.answer_text(lang)
    arrow = " ← " if lang == "ar" else " → "
    return arrow.join(item.text.get(lang) + (f" ({item.year})" if item.year is not None else "")
                      for item in question.items)


def summary_panel(summary: Summary, display: Display, ui: Lang) -> RenderableType:
    from rich.panel import Panel
    from rich.table import Table

    from quiz.messages import say

    table = Table.grid(padding=(0, 2))
    for justify in display.mirror(["left", "right"]):
        table.add_column(justify=display.justify(justify))  # type: ignore[arg-type]
    accuracy = "—" if summary.accuracy is None else f"{summary.accuracy:.0%}"
    minutes, seconds = divmod(int(round(summary.seconds)), 60)
    streak = say("day", ui) if summary.streak == 1 else say("days", ui, n=summary.streak)
    for key, value in (("summary.answered", str(summary.answered)), ("summary.correct", str(summary.correct)),
                       ("summary.accuracy", accuracy), ("summary.time", f"{minutes}:{seconds:02d}"),
                       ("summary.streak", streak), ("summary.later_today", str(summary.later_today)),
                       ("summary.tomorrow", str(summary.due_tomorrow))):
        table.add_row(*display.mirror([display.cell(say(key, ui)), display.cell(value, "bold")]))
    return Panel(table, title=display.line(say("summary.title", ui)), expand=False)


def echo_line(reply: str, display: Display, ui: Lang) -> RichText | None:
    """The learner's reply in display order, once Enter is pressed: a terminal that does not lay out Arabic
    echoes typed Arabic backwards and unjoined (`on` only; nothing for replies without Arabic, nor in a terminal
    with its own bidi, which lays out the reply typed after the guarded prompt)."""
    from quiz.messages import say

    if not (display.reorder and not display.guard and _ARABIC.search(reply)):
        return None
    return display.line(say("your_answer", ui, given=reply.strip()), "dim")
