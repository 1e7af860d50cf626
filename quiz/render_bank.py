"""Rich renderables for `quiz list` and `quiz show`: the question table, one question in full, its siblings and
the learner's progress on it. Builds things to print; never prints.

Bank text goes through `Display` and `clean()` (never markup), as in quiz/render.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from quiz.messages import source_line
from quiz.model import Bank, Kind, Lang, Question
from quiz.render import Display, clean, shown_prompt, shown_prompts

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import RenderableType
    from rich.table import Table

    from quiz.model import CardState
    from quiz.store import CardFlags

# rich is imported by the functions that build renderables, as in quiz/render.py.


LIST_ID_WIDTH = 30  # the longest id shown on one line; longer ones fold
LIST_PROMPT_MIN = 20  # below this the id column gives up room (it folds) so that prompts stay readable


def question_table(questions: Sequence[Question], bank: Bank, display: Display) -> Table:
    """The questions of `quiz list`, fitting `display.width`: long ids fold and prompts wrap in their cells,
    never cut off at the terminal's edge."""
    from dataclasses import replace

    from rich.table import Table
    from rich.text import Text as RichText

    kind_width = max([len("kind")] + [len(q.kind.value) for q in questions]) if questions else len(
        max((k.value for k in Kind), key=len))
    era_width = min(14, max([len("era")] + [len(q.era) for q in questions]))
    id_width = min(LIST_ID_WIDTH, max([len("id")] + [len(q.id) for q in questions]))
    # On a narrow terminal (a phone held upright) the id folds first, then the era and the kind columns go, so
    # the prompt keeps room of its own and is never folded a second time by rich.
    shown = {"kind": kind_width, "era": era_width}

    def room() -> int:
        return display.width - (1 + 3 * (2 + len(shown))) - id_width - sum(shown.values())

    if room() < LIST_PROMPT_MIN:
        id_width = max(8, id_width - (LIST_PROMPT_MIN - room()))
    for column in ("era", "kind"):
        if room() < LIST_PROMPT_MIN:
            del shown[column]
    prompt_width = max(10, room())
    table = Table(show_lines=False, header_style="bold", expand=False)
    table.add_column("id", width=id_width, overflow="fold")
    if "kind" in shown:
        table.add_column("kind", width=kind_width, no_wrap=True)
    if "era" in shown:
        table.add_column("era", width=era_width, overflow="fold")
    table.add_column("prompt" if display.lang == "en" else "prompt / السؤال", width=prompt_width,
                     overflow="fold")
    # Where quiz lays out Arabic itself, it wraps before reordering: each line of the cell is reordered on its own.
    cells = replace(display, width=prompt_width + 4) if display.reorder else display
    for question in questions:
        middle = [value for column, value in (("kind", question.kind.value), ("era", question.era))
                  if column in shown]
        table.add_row(RichText(question.id, style="dim" if question.generated else ""), *middle,
                      cells.pick(shown_prompts(question)))
    table.caption = f"{len(questions)} questions"
    return table


def question_detail(question: Question, bank: Bank, display: Display) -> RenderableType:
    """Everything about one question: prompt, options, answer, explanation and source."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text as RichText

    parts: list[RenderableType] = []
    for lang in display.langs():
        one = display.only(lang)
        block: list[RenderableType] = []
        block.append(one.line(shown_prompt(question, lang), "bold"))
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
    return Panel(Group(*_spaced(parts)), title=title, subtitle=display.line(f"{subtitle} · {era_title}"),
                 expand=False)


def siblings_view(question: Question, bank: Bank, display: Display) -> RenderableType | None:
    """The questions sharing a fact (an event) with `question`, one line each: id, kind, prompt; None if none."""
    from rich.table import Table

    siblings = [q for q in (bank.question(qid) for qid in bank.siblings(question.id)) if q is not None]
    if not siblings:
        return None
    events = ", ".join(bank.events_of(question.id))
    table = Table(title=display.line(f"Same facts ({events}) · نفس الوقائع", "bold"), show_header=False,
                  expand=False, box=None)
    table.add_column("id", overflow="fold")
    table.add_column("kind", no_wrap=True)
    table.add_column("prompt", ratio=1)
    for sibling in siblings:
        table.add_row(clean(sibling.id), sibling.kind.value, display.pick(shown_prompts(sibling)))
    return table


def _spaced(parts: list[RenderableType]) -> list[RenderableType]:
    from rich.text import Text as RichText

    out: list[RenderableType] = []
    for index, part in enumerate(parts):
        if index:
            out.append(RichText(""))
        out.append(part)
    return out


def progress_lines(state: CardState, flags: CardFlags, now: datetime, ui: Lang) -> list[str]:
    """The learner's progress on one question (`quiz show`): its state, when it is due, lapses, flags."""
    from quiz.messages import humanize_delta, say
    from quiz.model import CardPhase

    if state.phase is CardPhase.NEW:
        lines = [say("progress.new", ui)]
    else:
        when = say("when.now", ui) if state.due is None or state.due <= now \
            else humanize_delta((state.due - now).total_seconds(), ui)
        lines = [say("progress.line", ui, state=say(f"progress.{state.phase.name.lower()}", ui), when=when,
                     lapses=state.lapses, reps=state.reps)]
    if flags.suspended:
        lines.append(say("progress.suspended", ui, id=state.question_id))
    if flags.leech:
        lines.append(say("progress.leech", ui))
    return lines
