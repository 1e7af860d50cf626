"""Teachers' commands: init-bank, add, import, derive."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from quiz.cli.app import BankOpt, NoBuiltinOpt, command, say_error
from quiz.errors import BankError, UsageError

if TYPE_CHECKING:
    from quiz.authoring.add import BankContext, NewQuestion
    from quiz.errors import Problem
    from quiz.model import OrderItem, Text

Many = Optional[list[str]]  # noqa: UP045 - typer needs Optional here on Python 3.10


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _teacher(bank: list[Path] | None) -> list[Path]:
    from quiz.locations import teacher_banks

    return teacher_banks(bank)


def _context(bank: list[Path] | None, no_builtin: bool, extra: list[Path]) -> BankContext:
    from quiz.authoring.add import bank_context

    teacher = _teacher(bank)
    if no_builtin and not teacher and not any(p.exists() for p in extra):
        raise UsageError("--no-builtin leaves no bank; add --bank DIR")
    return bank_context(teacher, builtin=not no_builtin, extra=extra)


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        say_error(f"Error: {problem}" if problem.severity == "error" else str(problem))


# --- init-bank -------------------------------------------------------------------------------------------------


@command("init-bank")
def init_bank_cmd(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A new (or empty) folder for the bank.")],
    title_en: Annotated[str, typer.Option("--title-en", help="The bank's title in English (default: the "
                                          "folder's name).")] = "",
    title_ar: Annotated[str, typer.Option("--title-ar", help="The bank's title in Arabic.")] = "",
) -> None:
    """Create a teacher's bank: bank.yaml (what it is), a source, an era, an event and one example question of
    each kind."""
    from quiz.authoring.scaffold import init_bank
    from quiz.bank import load_bank
    from quiz.locations import cache_dir
    from quiz.model import Text

    builtin = [era.id for era in load_bank(builtin=True, cache_dir=cache_dir()).bank.eras]
    title = Text(title_ar.strip(), title_en.strip()) if title_ar.strip() or title_en.strip() else None
    written = init_bank(folder, title=title, builtin_eras=builtin)
    out(f"Created a teacher bank in {folder}:")
    for path in written:
        out(f"  {path}")
    out("Next:")
    out(f"  quiz validate {folder}              check it (also: quiz validate --bank {folder})")
    out(f"  quiz add --bank {folder}            write a question, with checks as you type")
    out(f"  quiz study --bank {folder}          what your students run")


# --- add -------------------------------------------------------------------------------------------------------


@command("add")
def add_cmd(
    kind: Annotated[Optional[str], typer.Option("--kind", help="choice, typed, truefalse, order, cloze or card; "  # noqa: UP045
                                                "without it, every field is asked for.", show_default=False)] = None,
    era: Annotated[Optional[str], typer.Option("--era", help="The era id.", show_default=False)] = None,  # noqa: UP045
    prompt_ar: Annotated[str, typer.Option("--prompt-ar", help="The prompt in Arabic.")] = "",
    prompt_en: Annotated[str, typer.Option("--prompt-en", help="The prompt in English.")] = "",
    answer_ar: Annotated[str, typer.Option("--answer-ar", help="The answer in Arabic.")] = "",
    answer_en: Annotated[str, typer.Option("--answer-en", help="The answer in English.")] = "",
    accept_ar: Annotated[Many, typer.Option("--accept-ar", help="Another accepted answer, Arabic (repeatable).",
                                            show_default=False)] = None,
    accept_en: Annotated[Many, typer.Option("--accept-en", help="Another accepted answer, English (repeatable).",
                                            show_default=False)] = None,
    choice_ar: Annotated[Many, typer.Option("--choice-ar", help="A choice in Arabic (repeatable, in order).",
                                            show_default=False)] = None,
    choice_en: Annotated[Many, typer.Option("--choice-en", help="A choice in English (repeatable, in order).",
                                            show_default=False)] = None,
    item_ar: Annotated[Many, typer.Option("--item-ar", help="An order item in Arabic (repeatable, oldest first).",
                                          show_default=False)] = None,
    item_en: Annotated[Many, typer.Option("--item-en", help="An order item in English (repeatable, oldest first).",
                                          show_default=False)] = None,
    item_year: Annotated[Optional[list[int]], typer.Option("--item-year", help="An order item's year "  # noqa: UP045
                                                           "(repeatable).", show_default=False)] = None,
    truth: Annotated[Optional[str], typer.Option("--truth", help="truefalse: true or false.",  # noqa: UP045
                                                 show_default=False)] = None,
    tolerance: Annotated[int, typer.Option("--tolerance", help="typed year answers: accept ± this many years.")] = 0,
    explanation_ar: Annotated[str, typer.Option("--explanation-ar", help="The explanation in Arabic.")] = "",
    explanation_en: Annotated[str, typer.Option("--explanation-en", help="The explanation in English.")] = "",
    source_doc: Annotated[Optional[str], typer.Option("--source-doc", help="The source document id.",  # noqa: UP045
                                                      show_default=False)] = None,
    source_era: Annotated[Optional[str], typer.Option("--source-era", help="The source's section: an era "  # noqa: UP045
                                                      "id or intro.", show_default=False)] = None,
    source_para: Annotated[Optional[int], typer.Option("--source-para", help="The source's paragraph (from "  # noqa: UP045
                                                       "1).", show_default=False)] = None,
    tag: Annotated[Many, typer.Option("--tag", help="A tag (repeatable).", show_default=False)] = None,
    qid: Annotated[Optional[str], typer.Option("--id", help="The question id (default: proposed from the "  # noqa: UP045
                                               "prompt).", show_default=False)] = None,
    to: Annotated[Optional[Path], typer.Option("--to", help="The bank file to add to (default: questions.yaml "  # noqa: UP045
                                               "in the first --bank).", show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Write without asking for confirmation.")] = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Add a question to a bank file: interactively, or from options (for scripts), checked before writing."""
    from quiz.authoring.add import (
        NewQuestion,
        apply,
        check_question,
        existing_keys,
        parse_kind,
        plan_add,
        propose_id,
    )
    from quiz.model import Alternatives, Kind, OrderItem, Source, Text

    target = _target(to, bank)
    context = _context(bank, no_builtin, [target])
    taken = context.question_ids
    if kind is None:
        question = _interactive(context, target)
    else:
        parsed = parse_kind(kind)
        if not isinstance(parsed, Kind):
            raise UsageError(f"--kind: {parsed}")
        if era is None:
            raise UsageError("--era is required with --kind (the era id the question belongs to)")
        items_ar, items_en, years = item_ar or [], item_en or [], item_year or []
        count = max(len(items_ar), len(items_en))
        if (items_ar and len(items_ar) != count) or (items_en and len(items_en) != count):
            raise UsageError("--item-ar and --item-en must be given the same number of times (one per item)")
        if years and len(years) != count:
            raise UsageError(f"--item-year is given {len(years)} times for {count} items; give one per item or none")
        choices_ar, choices_en = choice_ar or [], choice_en or []
        n = max(len(choices_ar), len(choices_en))
        if (choices_ar and len(choices_ar) != n) or (choices_en and len(choices_en) != n):
            raise UsageError("--choice-ar and --choice-en must be given the same number of times (one per choice)")
        verdict: bool | None = None
        if truth is not None:
            word = truth.strip().casefold()
            if word not in ("true", "false", "t", "f", "yes", "no"):
                raise UsageError(f"--truth: '{truth}' is not true or false")
            verdict = word in ("true", "t", "yes")
        source = None
        if source_doc:
            source = Source(source_doc, source_era, source_para)
        elif source_era or source_para is not None:
            raise UsageError("--source-era and --source-para need --source-doc")
        question = NewQuestion(
            kind=parsed, era=era, prompt=Text(prompt_ar.strip(), prompt_en.strip()),
            answer=Text(answer_ar.strip(), answer_en.strip()),
            accept=Alternatives(tuple(accept_ar or ()), tuple(accept_en or ())),
            choices=tuple(Text(_at(choices_ar, i), _at(choices_en, i)) for i in range(n)),
            items=tuple(OrderItem(Text(_at(items_ar, i), _at(items_en, i)), years[i] if years else None)
                        for i in range(count)),
            truth=verdict, tolerance=tolerance,
            explanation=Text(explanation_ar.strip(), explanation_en.strip()), source=source,
            tags=tuple(tag or ()), id=qid or "",
        )
        if not question.id:
            from dataclasses import replace

            question = replace(question, id=propose_id(question.naming_text(), taken))
        problems = check_question(question, context.bank, taken, taken, existing_keys(context.bank))
        if problems:
            for problem in problems:
                say_error(f"Error: {problem}")
            raise typer.Exit(1)
    try:
        plan = plan_add(question, target, context.roots)
    except BankError as exc:
        _report(exc.problems)
        say_error(f"Error: the question was not added: the bank would not validate ({len(exc.problems)} "
                  f"error{'s' if len(exc.problems) != 1 else ''}); {target} is unchanged")
        raise typer.Exit(1) from None
    out(f"New question for {plan.shown} (line {plan.line}):")
    out(plan.block.strip("\n"))
    _report(list(plan.warnings))
    if not yes and not typer.confirm(f"Write it to {plan.shown}?", default=False):
        out(f"Nothing written; {plan.shown} is unchanged.")
        raise typer.Exit(1)
    apply(plan)
    out(f"Added question '{question.id}' to {plan.shown}:{plan.line}.")


def _at(values: list[str], index: int) -> str:
    return values[index].strip() if index < len(values) else ""


def _target(to: Path | None, bank: list[Path] | None) -> Path:
    if to is not None:
        return to
    teacher = _teacher(bank)
    if not teacher:
        raise UsageError("say where the question goes: --to FILE, or --bank DIR (it goes to DIR/questions.yaml)")
    first = teacher[0]
    if first.suffix in (".yaml", ".yml") and not first.is_dir():
        return first
    return first / "questions.yaml"


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


def _ask_pair(what: str, check: Callable[[Text], str | None]) -> Text:
    from quiz.model import Text

    while True:
        value = Text(_ask_text(what, "ar"), _ask_text(what, "en"))
        problem = check(value)
        if problem is None:
            return value
        say_error(f"  {problem}")


def _interactive(context: BankContext, target: Path) -> NewQuestion:
    from quiz.authoring import add as a
    from quiz.model import Alternatives, Kind, Source, Text

    bank = context.bank
    out(f"A new question for {target}. Press Enter to skip an optional field; Ctrl-C to stop.")
    kinds = ", ".join(k.value for k in Kind)
    kind = Kind(_ask(f"Kind ({kinds})", lambda v: None if isinstance(a.parse_kind(v), Kind) else a.parse_kind(v)
                     ).lower())
    era_ids = [e.id for e in bank.eras]
    own = [e.id for e in bank.eras if e.loc is not None and _under(Path(e.loc.path), target)]
    out("Eras: " + ", ".join(era_ids))
    era = _ask("Era", lambda v: a.check_era(v, bank), default=(own or era_ids or [""])[0])
    if kind is Kind.CLOZE:
        out("Mark the missing words in each prompt with {{...}}, like: The US supplied arms through {{Lend-Lease}}.")
    keys = a.existing_keys(bank)

    def check_prompt(text: Text) -> str | None:
        same = keys.get(a.content_key(kind, text)) if kind is not Kind.ORDER else None
        return a.check_prompt(kind, text) or (f"the bank already has this question: {same}" if same else None)

    prompt = _ask_pair("Prompt", check_prompt)
    answer = Text()
    choices: tuple[Text, ...] = ()
    items: tuple[OrderItem, ...] = ()
    truth: bool | None = None
    accept = Alternatives()
    tolerance = 0
    if kind is Kind.CHOICE:
        choices = _ask_choices()
        answer = _ask_right_choice(choices)
    elif kind in (Kind.TYPED, Kind.CARD):
        answer = _ask_pair("Answer", lambda t: a.check_answer(kind, t))
    elif kind is Kind.TRUEFALSE:
        word = _ask("Is the statement true? (true/false)",
                    lambda v: None if v.casefold() in ("true", "false", "t", "f", "yes", "no", "y", "n")
                    else "answer true or false")
        truth = word.casefold() in ("true", "t", "yes", "y")
    elif kind is Kind.ORDER:
        items = _ask_items()
    if kind in (Kind.TYPED, Kind.CLOZE):
        accept = Alternatives(_ask_alternatives("ar"), _ask_alternatives("en"))
    if kind is Kind.TYPED and (answer.en or answer.ar).isdigit():
        tolerance = int(_ask("Tolerance in years (Enter for 0)",
                             lambda v: None if v.isdigit() else "a whole number of years, like 0 or 1", "0"))
    explanation = Text(_ask_text("Explanation", "ar"), _ask_text("Explanation", "en"))
    source = None
    docs = ", ".join(d.id for d in bank.documents) or "none declared"
    doc = _ask(f"Source document ({docs}; Enter for none)",
               lambda v: a.check_source(Source(v), bank) if v else None)
    if doc:
        section = _ask("Source section: an era id or intro", lambda v: a.check_source(Source(doc, v), bank),
                       default=era)
        para = _ask("Source paragraph (from 1; Enter for none)",
                    lambda v: None if not v or (v.isdigit() and int(v) >= 1) else "a paragraph number from 1")
        source = Source(doc, section or None, int(para) if para else None)
    tags_text = _ask("Tags (separated by spaces or commas; Enter for none)",
                     lambda v: next((p for p in map(a.check_tag, _tags(v)) if p), None))
    draft = a.NewQuestion(kind=kind, era=era, prompt=prompt, answer=answer, accept=accept, choices=choices,
                          items=items, truth=truth, tolerance=tolerance, explanation=explanation, source=source,
                          tags=_tags(tags_text))
    proposed = a.propose_id(draft.naming_text(), context.question_ids)
    qid = _ask("Id", lambda v: a.check_id(v, context.question_ids, context.question_ids), default=proposed)
    from dataclasses import replace

    return replace(draft, id=qid)


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
    index = pick(value)
    assert index is not None
    return choices[index]


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


# --- import ----------------------------------------------------------------------------------------------------


@command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A CSV, TSV, GIFT or Aiken file.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The YAML bank file to write (default: "  # noqa: UP045
                                                   "FILE with .yaml); an existing file is added to.",
                                                   show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")] = False,
    fmt: Annotated[Optional[str], typer.Option("--format", help="csv, tsv, gift or aiken (default: from the "  # noqa: UP045
                                               "file's name or content).", show_default=False)] = None,
    era: Annotated[Optional[str], typer.Option("--era", help="The era of questions that do not name one "  # noqa: UP045
                                               "(default: a draft era made for the file).",
                                               show_default=False)] = None,
    new_era: Annotated[Optional[str], typer.Option("--new-era", metavar="ID:START-END:TITLE",  # noqa: UP045
                                                   help="Declare the era of the questions in the file written, "
                                                   "like eu-founding:1950-1967:'The founding years'.",
                                                   show_default=False)] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="GIFT and Aiken: the language of the file, ar "  # noqa: UP045
                                                "or en (default: from its script).", show_default=False)] = None,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Import questions into a YAML bank file; every problem is FILE:line: message, and nothing is written
    when there is an error."""
    from quiz.authoring.importers import FORMAT_NAMES, plan_import, write

    if not file.is_file():
        raise UsageError(f"{file}: no such file")
    target = output if output is not None else file.with_suffix(".yaml")
    if target.resolve() == file.resolve():
        raise UsageError("the output would overwrite the imported file; choose another -o")
    context = _context(bank, no_builtin, [target])
    from quiz.clock import now

    plan = plan_import(file, context, target=target, fmt=fmt.lower() if fmt else None, era=era,
                       lang=lang.lower() if lang else None, new_era=new_era, this_year=now().year)
    _report(list(plan.problems))
    if plan.errors:
        n = len(plan.errors)
        say_error(f"Error: {n} error{'s' if n != 1 else ''} in {file}; nothing was written")
        raise typer.Exit(1)
    assert plan.new is not None
    noun = f"{plan.count} question{'s' if plan.count != 1 else ''}"
    if dry_run:
        if plan.old is None:
            out(f"Would write {noun} to {plan.shown_target} (new file):")
            out(plan.new.decode("utf-8").rstrip("\n"))
        else:
            out(f"Would add {noun} to {plan.shown_target}:")
            old = plan.old.decode("utf-8")
            new = plan.new.decode("utf-8")
            out(_added(old, new).rstrip("\n"))
        out("(dry run: nothing written)")
        return
    write(plan)
    out(f"Imported {noun} from {file} ({FORMAT_NAMES[plan.fmt]}) into {plan.shown_target}.")
    if plan.era is not None:
        what = "a draft era" if plan.era.draft else "the era"
        origin = " (its span from the years in the file)" if plan.era.draft else ""
        out(f"Declared {what} '{plan.era.id}' {plan.era.start}–{plan.era.end}{origin} in {plan.shown_target}; "
            "check its title and span" + (", then remove 'draft: true'." if plan.era.draft else "."))
    _describe(target, bank, plan.era.title.get(plan.lang) if plan.era is not None else "",
              ["ar", "en"] if plan.fmt in ("csv", "tsv") else [plan.lang])
    from quiz.authoring.scaffold import bank_folder
    from quiz.bank import shown_name

    folder = shown_name(bank_folder(target, _teacher(bank)))
    out(f"Check it with: quiz validate {folder}")
    out(f"Study it with: quiz study --bank {folder}")


def _describe(target: Path, bank: list[Path] | None, name: str, languages: Sequence[str]) -> None:
    """Give the bank a written file belongs to its bank.yaml (and schema copy) when it has none; say so."""
    from quiz.authoring.scaffold import describe_for
    from quiz.bank import shown_name

    for path in describe_for(target, _teacher(bank), name=name, languages=languages):
        out(f"Wrote {shown_name(path)}" + (": what the bank is (id, title, languages); edit it to name your subject."
                               if path.suffix == ".yaml" else ": the bank format, for your editor."))


def _added(old: str, new: str) -> str:
    """The text `new` has beyond `old` (the block `yamledit` spliced in)."""
    start = 0
    while start < len(old) and start < len(new) and old[start] == new[start]:
        start += 1
    end = 0
    while end < len(old) - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    start = new.rfind("\n", 0, start) + 1
    return new[start: len(new) - end]


# --- derive ----------------------------------------------------------------------------------------------------


@command("derive")
def derive_cmd(
    timeline: Annotated[Path, typer.Argument(metavar="TIMELINE", help="A timeline: plain text or Markdown, "
                                             "Arabic or English.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The YAML file of drafts to write "  # noqa: UP045
                                                   "(default: TIMELINE with .yaml); must not exist.",
                                                   show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the drafts; write nothing.")] = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Draft eras and events from a timeline document; everything is written as a draft to check."""
    from quiz.authoring.add import check_with_loader
    from quiz.authoring.derive import derive_file, list_skipped
    from quiz.authoring.yamledit import write_atomic
    from quiz.clock import now

    if not timeline.is_file():
        raise UsageError(f"{timeline}: no such file")
    target = output if output is not None else timeline.with_suffix(".yaml")
    if target.resolve() == timeline.resolve():
        raise UsageError("the output would overwrite the timeline; choose another -o")
    if target.exists() and not dry_run:
        raise UsageError(f"{target} exists; choose another -o (derive never overwrites a file)")
    from quiz.authoring.add import bank_context

    teacher = _teacher(bank)
    context = bank_context(teacher, builtin=not no_builtin)
    derivation = derive_file(
        timeline, this_year=now().year, taken_docs=context.doc_ids, taken_eras=context.era_ids,
        taken_events=context.event_ids,
    )
    shown = str(timeline)
    if not derivation.events:
        say_error(f"Error: {shown}: found no dated sentence that could become an event; nothing was written")
        raise typer.Exit(1)
    text = derivation.render()
    _, problems = check_with_loader(context.roots, target, text)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        _report(errors)
        say_error(f"Error: the drafts would not validate; nothing was written ({target})")
        raise typer.Exit(1)
    eras, events = len(derivation.eras), len(derivation.events)
    summary = (f"Found {eras} era{'s' if eras != 1 else ''} and {events} event{'s' if events != 1 else ''} "
               f"in {shown} ({derivation.dated} dated sentence{'s' if derivation.dated != 1 else ''}).")
    if dry_run:
        out(text.rstrip("\n"))
        out(summary + " (dry run: nothing written)")
    else:
        write_atomic(target, text.encode("utf-8"))
        out(summary)
        out(f"Wrote {target}: every era and event is a draft (draft: true) until you check it and remove the mark.")
        _describe(target, bank, "", ["ar", "en"])
    if derivation.eras and derivation.eras[0].line == 0:
        era = derivation.eras[0]
        out(f"No heading with a year span: one era '{era.id}' ({era.start}–{era.end}) holds every event; "
            "split it with headings like '## The founding years (1950–1957)'.")
    out("The questions the drafts will give (check each, then remove the draft marks):")
    for line in derivation.questions():
        out(f"  {line}")
    skipped = list_skipped(derivation, shown)
    if skipped:
        n = len(skipped)
        out(f"Could not turn {n} dated sentence{'s' if n != 1 else ''} into an event:")
        for line in skipped:
            out(f"  {line}")
