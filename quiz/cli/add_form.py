"""The interactive form of `quiz add`: each field asked for and checked by the bank's rules as soon as it is
typed (whole-question checks included), what was typed kept in `partial` so a teacher who stops can save a
draft (quiz/cli/add_cmds.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from quiz.cli.options import out, say_error

if TYPE_CHECKING:
    from quiz.authoring.add import BankContext, NewQuestion
    from quiz.model import OrderItem, Text


def _ask(label: str, check: Callable[[str], str | None] | None = None, default: str = "") -> str:
    """Ask until `check` accepts the answer (returns None rather than a message saying what is wrong)."""
    while True:
        value = typer.prompt(label, default=default, show_default=bool(default)).strip()
        problem = check(value) if check else None
        if isinstance(problem, str):
            say_error(f"  {problem}")
            continue
        return value


def _ask_text(what: str, lang: str, *, optional_hint: str = " (Enter to skip)") -> str:
    from quiz.authoring.add import check_script

    name = "Arabic" if lang == "ar" else "English"
    return _ask(f"{what} in {name}{optional_hint}", lambda v: check_script(v, lang, what.lower()))


def _ask_pair(what: str, check: Callable[[Text], str | None], partial: dict[str, Any], key: str) -> Text:
    """Ask for both languages of a field until `check` accepts them; `partial[key]` holds what was typed as it
    is typed (a draft saved on Ctrl-C keeps it, also while the check runs)."""
    from quiz.model import Text

    while True:
        arabic = _ask_text(what, "ar")
        partial[key] = Text(ar=arabic)
        value = partial[key] = Text(arabic, _ask_text(what, "en"))
        problem = check(value)
        if problem is None:
            return value
        say_error(f"  {problem}")


def ask_question(context: BankContext, target: Path, propose: Callable[[Text, dict[str, str]], str],
                 partial: dict[str, Any]) -> NewQuestion:
    """Ask for each field, checking it (whole-question checks included) as soon as it is typed; `partial`
    holds what has been given so far, to save as a draft if the teacher stops half-way."""
    from quiz.authoring import add as a
    from quiz.model import Alternatives, Kind, Source, Text

    bank = context.bank
    out(f"A new question for {target}. Press Enter to skip an optional field; Ctrl-C to stop (you can then save "
        "what you typed as a draft).")
    kinds = ", ".join(k.value for k in Kind)
    kind = Kind(_ask(f"Kind ({kinds})", lambda v: None if isinstance(a.parse_kind(v), Kind) else a.parse_kind(v)
                     ).lower())
    era_ids = [e.id for e in bank.eras]
    own = [e.id for e in bank.eras if e.loc is not None and _under(Path(e.loc.path), target)]
    out("Eras: " + ", ".join(era_ids))
    era = _ask("Era", lambda v: a.check_era(v, bank), default=(own or era_ids or [""])[0])
    partial.update(kind=kind, era=era)
    if kind is Kind.CLOZE:
        out("Mark the missing words in each prompt with {{...}}, like: The US supplied arms through {{Lend-Lease}}.")
    keys = a.existing_keys(bank)

    def check_prompt(text: Text) -> str | None:
        same = keys.get(a.content_key(kind, text)) if kind is not Kind.ORDER else None
        return a.check_prompt(kind, text) or (f"the bank already has this question: {same}" if same else None)

    prompt = _ask_pair("Prompt", check_prompt, partial, "prompt")
    answer = Text()
    if kind is Kind.CHOICE:
        while True:
            choices = partial["choices"] = _ask_choices()
            answer = partial["answer"] = _ask_right_choice(choices)
            problem = a.check_distractors(answer, choices) or _year_once(
                a.check_answer_year(kind, prompt, answer, 0, era, bank), partial)
            if problem is None:
                break
            say_error(f"  {problem}; give the choices again")
    elif kind in (Kind.TYPED, Kind.CARD):
        def check_answer(text: Text) -> str | None:
            return a.check_answer(kind, text) or _year_once(a.check_answer_year(kind, prompt, text, 0, era, bank),
                                                            partial)

        answer = _ask_pair("Answer", check_answer, partial, "answer")
    elif kind is Kind.TRUEFALSE:
        word = _ask("Is the statement true? (true/false)",
                    lambda v: None if v.casefold() in ("true", "false", "t", "f", "yes", "no", "y", "n")
                    else "answer true or false")
        partial["truth"] = word.casefold() in ("true", "t", "yes", "y")
    elif kind is Kind.ORDER:
        partial["items"] = _ask_items()
    if kind in (Kind.TYPED, Kind.CLOZE):
        partial["accept"] = Alternatives(_ask_alternatives("ar"), _ask_alternatives("en"))
    if kind is Kind.TYPED and (answer.en or answer.ar).isdigit():
        partial["tolerance"] = int(_ask(
            "Tolerance in years (Enter for 0)",
            lambda v: None if v.isdigit() else "a whole number of years, like 0 or 1", "0"))
    _ask_pair("Explanation", lambda t: a.check_swapped("explanation", t), partial, "explanation")
    docs = ", ".join(d.id for d in bank.documents) or "none declared"
    doc = _ask(f"Source document ({docs}; Enter for none)",
               lambda v: a.check_source(Source(v), bank) if v else None)
    if doc:
        section = _ask("Source section: an era id or intro", lambda v: a.check_source(Source(doc, v), bank),
                       default=era)
        para = _ask("Source paragraph (from 1; Enter for none)",
                    lambda v: None if not v or (v.isdigit() and int(v) >= 1) else "a paragraph number from 1")
        partial["source"] = Source(doc, section or None, int(para) if para else None)
    tags_text = _ask("Tags (separated by spaces or commas; Enter for none)",
                     lambda v: next((p for p in map(a.check_tag, _tags(v)) if p), None))
    partial["tags"] = _tags(tags_text)
    draft = a.NewQuestion(**{k: v for k, v in partial.items() if not k.startswith("_")})
    proposed = propose(draft.naming_text(), context.question_ids)
    qid = partial["id"] = _ask("Id", lambda v: a.check_id(v, context.question_ids, context.question_ids),
                               default=proposed)
    return replace(draft, id=qid)


def _year_once(problem: str | None, partial: dict[str, Any]) -> str | None:
    """A year outside the era is a warning: said once and asked again; the same answer given again is kept."""
    if problem is None or partial.get("_year_warned") == str(problem):
        return None
    partial["_year_warned"] = str(problem)
    return f"warning: {problem}; give it again to keep it"


def _under(path: Path, target: Path) -> bool:
    try:
        return path.resolve().parent == target.resolve().parent or target.resolve().parent in path.resolve().parents
    except OSError:
        return False


def _tags(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in text.replace(",", " ").split() if t))


def _ask_alternatives(lang: str) -> tuple[str, ...]:
    from quiz.authoring.add import check_alternative

    name = "Arabic" if lang == "ar" else "English"

    def check(value: str) -> str | None:
        return next((p for p in (check_alternative(lang, v) for v in _split(value)) if p), None)

    return _split(_ask(f"Other accepted answers in {name} (separate with |; Enter for none)", check))


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _ask_choices() -> tuple[Text, ...]:
    from quiz.authoring.add import check_choices
    from quiz.model import Text

    out("Choices: give each in Arabic and/or English; Enter on both to finish (2 to 6 choices).")
    while True:
        choices: list[Text] = []
        while len(choices) < 6:
            n = len(choices) + 1
            choice = Text(_ask_text(f"Choice {n}", "ar", optional_hint=""), _ask_text(f"Choice {n}", "en",
                                                                                      optional_hint=""))
            if not choice.ar and not choice.en:
                if len(choices) >= 2:
                    break
                say_error("  a choice question needs at least two choices")
                continue
            choices.append(choice)
        problem = check_choices(choices)
        if problem is None:
            return tuple(choices)
        say_error(f"  {problem}; give the choices again")


def _ask_right_choice(choices: tuple[Text, ...]) -> Text:
    for index, choice in enumerate(choices, 1):
        out(f"  {index}. {' / '.join(t for t in (choice.ar, choice.en) if t)}")

    def pick(value: str) -> int | None:
        if value.isdigit() and 1 <= int(value) <= len(choices):
            return int(value) - 1
        for index, choice in enumerate(choices):
            if value and value in (choice.ar, choice.en):
                return index
        return None

    value = _ask("Right answer (its number, or its text)",
                 lambda v: None if pick(v) is not None else
                 f"{v!r} is not among the choices; give a number from 1 to {len(choices)} or a choice's exact text")
    picked = pick(value)
    assert picked is not None
    return choices[picked]


def _ask_items() -> tuple[OrderItem, ...]:
    from quiz.authoring.add import check_item_years
    from quiz.model import OrderItem, Text

    out("Items, oldest first: give each in Arabic and/or English and its year; Enter on both to finish (2 to 8).")
    items: list[OrderItem] = []
    while len(items) < 8:
        n = len(items) + 1
        text = Text(_ask_text(f"Item {n}", "ar", optional_hint=""), _ask_text(f"Item {n}", "en", optional_hint=""))
        if not text.ar and not text.en:
            if len(items) >= 2:
                break
            say_error("  an order question needs at least two items")
            continue
        years = [item.year for item in items]

        def check(value: str, years: list[int | None] = years) -> str | None:
            if not value:
                return None
            if not value.lstrip("-").isdigit():
                return f"{value!r} is not a year"
            return check_item_years([*years, int(value)])

        year = _ask(f"Item {n} year (Enter if none)", check)
        items.append(OrderItem(text, int(year) if year else None))
    return tuple(items)
