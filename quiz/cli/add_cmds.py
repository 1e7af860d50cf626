"""The teacher's `quiz add`: a question from options, or asked for interactively, checked by the bank's rules
and written into a YAML bank file keeping its comments and layout."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from quiz.cli.app import command
from quiz.cli.options import BankOpt, NoBuiltinOpt, out, report_problems, say_error, teacher_context, value_option
from quiz.errors import BankError, UsageError

if TYPE_CHECKING:
    from quiz.authoring.add import AddPlan, BankContext, NewQuestion
    from quiz.model import Text

Many = Optional[list[str]]  # noqa: UP045 - typer needs Optional here on Python 3.10


# --- add -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Into:
    """Where the question goes: the file, its bank folder, the prefix of the ids proposed there, and the banks the
    command read (for the `quiz validate` the closing hint names)."""

    target: Path
    folder: Path
    prefix: str
    bank: list[Path] | None
    no_builtin: bool

    def propose(self, text: Text, taken: dict[str, str], fallback: str = "q") -> str:
        from quiz.authoring.ids import propose_prefixed

        return propose_prefixed(text, taken, self.prefix, fallback=fallback)

    def check_args(self, new: bytes) -> str:
        """The arguments of a `quiz validate` that passes once the target holds `new`."""
        from quiz.authoring.context import validates_alone
        from quiz.cli.options import validate_args

        alone = validates_alone(self.folder, self.target, new.decode("utf-8"))
        return validate_args(self.folder, alone, self.bank, self.no_builtin)


@command("add")
def add_cmd(
    kind: Annotated[Optional[str], typer.Option("--kind", help="choice, typed, truefalse, order, cloze or card; "  # noqa: UP045
                                                "without it, every field is asked for.", show_default=False)] = None,
    era: Annotated[Optional[str], typer.Option("--era", help="The era id.", show_default=False)] = None,  # noqa: UP045
    prompt_ar: Annotated[str, typer.Option("--prompt-ar", help="The prompt in Arabic.")] = "",
    prompt_en: Annotated[str, typer.Option("--prompt-en", help="The prompt in English.")] = "",
    answer_ar: Annotated[str, typer.Option("--answer-ar", help="The answer in Arabic.")] = "",
    answer_en: Annotated[str, typer.Option("--answer-en", help="The answer in English.")] = "",
    accept_ar: Annotated[Many, value_option("--accept-ar", "Another accepted answer, Arabic (repeatable).")] = None,
    accept_en: Annotated[Many, value_option("--accept-en", "Another accepted answer, English (repeatable).")] = None,
    choice_ar: Annotated[Many, value_option("--choice-ar", "A choice in Arabic (repeatable, in order).")] = None,
    choice_en: Annotated[Many, value_option("--choice-en", "A choice in English (repeatable, in order).")] = None,
    item_ar: Annotated[Many, value_option("--item-ar", "An order item in Arabic (repeatable, oldest first).")] = None,
    item_en: Annotated[Many, value_option("--item-en", "An order item in English (repeatable, oldest first).")] = None,
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
    from quiz.authoring.add import NewQuestion, check_question, existing_keys, parse_kind
    from quiz.authoring.context import destination
    from quiz.model import Alternatives, Kind, OrderItem, Source, Text

    target = _target(to, bank)
    # the folder's other bank files too (its bank.yaml, eras, ids), as `quiz import` loads them; the ids take the
    # prefix its bank.yaml declares (a folder without one has declared no id: quiz add writes no bank.yaml)
    where = destination(teacher_context(bank, no_builtin, [target]), target, declared_only=True)
    context, into = where.context, _Into(target, where.folder, where.prefix, bank, no_builtin)
    taken = context.question_ids
    if kind is None:
        # the whole form, not each prompt: Ctrl-C at a prompt (Abort) or while a line is checked (KeyboardInterrupt),
        # up to the last confirmation, offers to save what was typed as a draft
        partial: dict[str, Any] = {}
        try:
            from quiz.cli.add_form import ask_question

            question = ask_question(context, into.target, into.propose, partial)
            plan = _checked_plan(question, context, into, interactive=True)
            if plan is not None:
                _confirm(plan, yes)
        except (typer.Abort, KeyboardInterrupt):
            _save_unfinished(partial, context, into)
            raise
        if plan is not None:
            _apply(plan, question, into)
        return
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
            question = replace(question, id=into.propose(question.naming_text(), taken))
        problems = check_question(question, context.bank, taken, taken, existing_keys(context.bank))
        if problems:
            for problem in problems:
                say_error(f"Error: {problem}")
            raise typer.Exit(1)
    plan = _checked_plan(question, context, into, interactive=False)
    assert plan is not None
    _confirm(plan, yes)
    _apply(plan, question, into)


def _checked_plan(question: NewQuestion, context: BankContext, into: _Into, *, interactive: bool) -> AddPlan | None:
    """The write `question` needs, checked with the loader; when the loader refuses it, the interactive form
    offers to save it as a draft (then None: nothing more to do)."""
    from quiz.authoring.add import plan_add

    try:
        return plan_add(question, into.target, context.roots)
    except BankError as exc:
        report_problems(exc.problems)
        say_error(f"Error: the question was not added: the bank would not validate ({len(exc.problems)} "
                  f"error{'s' if len(exc.problems) != 1 else ''}); {into.target} is unchanged")
        if not interactive:
            raise typer.Exit(1) from None
        try:
            keep = typer.confirm("Save it as a draft (draft: true) to fix later?", default=False)
        except (typer.Abort, KeyboardInterrupt):  # asked already: no second offer
            keep = False
        if not keep:
            raise typer.Exit(1) from None
        _write_draft(replace(question, draft=True), context, into)
        return None


def _confirm(plan: AddPlan, yes: bool) -> None:
    out(f"New question for {plan.shown} (line {plan.line}):")
    out(plan.block.strip("\n"))
    report_problems(list(plan.warnings))
    if not yes and not typer.confirm(f"Write it to {plan.shown}?", default=False):
        out(f"Nothing written; {plan.shown} is unchanged.")
        raise typer.Exit(1)


def _apply(plan: AddPlan, question: NewQuestion, into: _Into) -> None:
    from quiz.authoring.add import apply

    apply(plan)
    out(f"Added question '{question.id}' to {plan.shown}:{plan.line}.")
    out(f"Check it with: quiz validate {into.check_args(plan.new)}")


def _at(values: list[str], index: int) -> str:
    return values[index].strip() if index < len(values) else ""


def _target(to: Path | None, bank: list[Path] | None) -> Path:
    if to is not None:
        return to
    from quiz.locations import teacher_banks

    teacher = teacher_banks(bank)
    if not teacher:
        raise UsageError("say where the question goes: --to FILE, or --bank DIR (it goes to DIR/questions.yaml)")
    first = teacher[0]
    if first.suffix in (".yaml", ".yml") and not first.is_dir():
        return first
    return first / "questions.yaml"


def _save_unfinished(partial: dict[str, Any], context: BankContext, into: _Into) -> None:
    """On Ctrl-C or end of input half-way: offer to save what was typed as a draft (nothing without a kind and
    an era)."""
    from quiz.authoring import add as a

    if "era" not in partial:
        return
    target = into.target
    out("")
    try:
        keep = typer.confirm(f"Save what you typed as a draft (draft: true) in {target} to finish later?",
                             default=True)
    except typer.Abort:
        keep = False
    if not keep:
        out(f"Nothing written; {target} is unchanged.")
        return
    draft = a.NewQuestion(**{k: v for k, v in partial.items() if not k.startswith("_")}, draft=True)
    if not draft.id:
        draft = replace(draft, id=into.propose(draft.naming_text(), context.question_ids, fallback="draft"))
    _write_draft(draft, context, into)
    raise typer.Exit(1)


def _write_draft(question: NewQuestion, context: BankContext, into: _Into) -> None:
    from quiz.authoring.add import apply, plan_add

    try:
        plan = plan_add(question, into.target, context.roots)
    except BankError as exc:
        report_problems(exc.problems)
        say_error(f"Error: even as a draft the question would break the bank; {into.target} is unchanged")
        raise typer.Exit(1) from None
    apply(plan)
    left = len(plan.warnings)
    out(f"Saved draft '{question.id}' to {plan.shown}:{plan.line} ({left} thing{'s' if left != 1 else ''} to "
        f"fix, listed by: quiz validate {into.check_args(plan.new)}); remove draft: true when it is finished.")
