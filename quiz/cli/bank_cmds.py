"""Bank commands: validate, list, show."""

from __future__ import annotations

import sys
from functools import cache as once
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TextIO

import typer

from quiz.cli.app import command
from quiz.cli.groups import Banks, Filters, Progress
from quiz.cli.options import (
    BankOpt,
    BidiOpt,
    JsonOpt,
    LangOpt,
    NoBuiltinOpt,
    complete_question,
    console,
    display_for,
    load,
    resolve_lang,
    say_error,
)
from quiz.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from quiz.bank import LoadResult
    from quiz.bank.early_checks import EarlyChecks
    from quiz.bank.lint import Linted
    from quiz.errors import Problem
    from quiz.export.stale_records import StaleRecords
    from quiz.model import BankInfo, Question
    from quiz.parallel import Pending


FormatOpt = Annotated[str, typer.Option("--format", metavar="FORMAT", help="text (path:line: severity: message, "
                                         "grouped by file) or github (::error file=...,line=...,title=Qnnn:: "
                                         "annotations for GitHub Actions).")]


@command("validate")
def validate_cmd(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Bank files or folders (default: the built-in "  # noqa: UP045
                                                              "bank).", show_default=False)] = None,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fix: Annotated[bool, typer.Option("--fix", help="Bring each bank's revision record (revisions.json, the "
                                      "Anki note times) up to date.")] = False,
    output_format: FormatOpt = "text",
    as_json: JsonOpt = False,
) -> None:
    """Check bank files and the linter's findings: a header per file, then path:line: severity: message, on
    stdout (like ruff and eslint; stderr only for the tool's own failures: a path that does not exist, a bad
    option). Exit status 1 when there are errors."""
    from quiz.bank.rules import MISSING_PATH

    if output_format not in ("text", "github"):
        raise UsageError(f"--format: '{output_format}' is not a format; use text or github (or --json)")
    teacher = list(paths or []) + list(bank or [])
    builtin = not (no_builtin or bool(paths))
    from quiz.bank.early_checks import EarlyChecks

    with _records_ahead(teacher, builtin, fix) as ahead:
        records = once(ahead.result)  # read once, by the first to want them
        with EarlyChecks(None if fix else partial(_rider_ready, teacher, builtin, ahead, records)) as early:
            result = load(teacher, not builtin, early)  # its linter's own checks begun as it generates
            revisions, linted, generated = _checked(result, teacher, builtin, fix, records, early)
    found = [*result.problems, *linted]
    found.sort(key=attrgetter("severity"))  # "error" before "warning"; then by place, stably (two sorts in C)
    found.sort(key=attrgetter("path", "line"))
    del linted
    missing = [p for p in found if p.rule == MISSING_PATH.code]  # the tool's own failure: stderr
    problems = [p for p in found if p.rule != MISSING_PATH.code]
    errors = [p for p in found if p.severity == "error" or strict]
    warnings = [p for p in found if p.severity == "warning" and not strict]

    def is_error(problem: Problem) -> bool:  # `problem in errors`, without a search of the list
        return strict or problem.severity == "error"
    if as_json:
        payload = {
            "valid": not errors,
            "strict": strict,
            "errors": len(errors),
            "warnings": len(warnings),
            "files": list(result.files),
            "questions": len(result.bank.questions),
            "revisions": [{"path": str(path), "stale": stale, "fixed": fix} for path, stale in revisions],
            "problems": [
                {"path": p.path, "line": p.line, "severity": "error" if is_error(p) else "warning",
                 "code": p.code, "message": p.message}
                for p in found
            ],
        }
        import json

        from quiz.safetext import for_json

        sys.stdout.write(for_json(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n")
        if errors:
            raise typer.Exit(1)
        return
    for problem in missing:
        say_error(f"{problem.where}: error: {problem.message}")
    if output_format == "github":
        for problem in problems:
            emit(_annotation("error" if is_error(problem) else "warning", problem.message, problem.path,
                            problem.line, problem.rule))
        for path, stale in revisions:
            emit(f"::notice file={_property(str(path))}::Updated the revision record ({stale} entries): commit it"
                if fix else _annotation("warning", f"the revision record is stale ({stale} entries); run `quiz "
                                        "validate --fix` and commit it", str(path), 0, "revisions"))
    else:
        current = None
        in_file: dict[str, list[int]] = {}  # path -> [errors, warnings], counted in one pass
        for problem in problems:
            in_file.setdefault(problem.path, [0, 0])[0 if is_error(problem) else 1] += 1
        lines: list[str] = []  # written a few thousand at a time (129,000 findings at 100k: one write each cost 0.3 s)
        for problem in problems:
            shown, line = problem.path, problem.line
            if shown != current:
                current = shown
                n_err, n_warn = in_file[current]
                lines.append(f"== {current} ({n_err} error{'s' if n_err != 1 else ''}, "
                             f"{n_warn} warning{'s' if n_warn != 1 else ''})")
            severity = "error" if strict or problem.severity == "error" else "warning"  # `is_error`
            lines.append(f"{shown}:{line}: {severity}: {problem.message}" if line else
                         f"{shown}: {severity}: {problem.message}")  # `Problem.where`
            if len(lines) >= 4096:
                emit_all(lines)
                lines.clear()
        emit_all(lines)
        for path, stale in revisions:
            emit(f"Updated the revision record {path} ({stale} entries): commit it with the bank" if fix else
                f"{path}: warning: the revision record is stale ({stale} entries); run `quiz validate --fix` "
                "and commit it")
    files = len(result.files)
    emit(f"{len(result.bank.questions)} questions ({generated} "
        f"generated) in {files} file{'s' if files != 1 else ''}: "
        f"{len(errors)} error{'s' if len(errors) != 1 else ''}, "
        f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
    if errors:
        raise typer.Exit(1)


def emit(line: str) -> None:
    """One diagnostic line on stdout, escaped as stderr's are: a newline in a file name stays `\\n`."""
    emit_all([line])


def emit_all(lines: list[str]) -> None:
    """`emit` of each line, in one write."""
    if not "".join(lines).isprintable():  # a control or hiding character in some line (most have none: one test)
        from quiz.safetext import for_message

        lines = [for_message(line.rstrip("\n")) for line in lines]
    sys.stdout.write("\n".join(lines) + "\n" if lines else "")


def _annotation(level: str, message: str, path: str, line: int, title: str) -> str:
    """A GitHub Actions workflow command: `::error file=...,line=...,title=Q401::message`, escaped as GitHub
    asks (% CR LF in the message; also : and , in the properties)."""
    where = f"file={_property(path)}" + (f",line={line}" if line > 0 else "")
    titled = f",title={_property(title)}" if title else ""
    return f"::{level} {where}{titled}::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _records_ahead(teacher: list[Path], builtin: bool, fix: bool) -> Pending[Any]:
    """The revision records `_checked` counts against, read while the bank loads (`quiz.export.stale_records.
    read_ahead`); nothing to read with `fix` (which builds them)."""
    if fix:
        from quiz.parallel import Pending

        return Pending(lambda: None)
    from quiz.export.stale_records import read_ahead
    from quiz.locations import teacher_banks

    return read_ahead(teacher_banks(teacher), builtin)


def _checked(result: LoadResult, teacher: list[Path], builtin: bool, fix: bool, records: Callable[[], Any],
             early: EarlyChecks) -> tuple[list[tuple[Path, int]], list[Problem], int]:
    """The stale revision records (`_revision_records`), the linter's findings and how many questions are
    generated. Without `fix` (which writes), the records (`records`, read ahead) are counted on the linter's
    pass (`quiz.export.stale_records`, a `quiz.bank.lint.Rider`): each question is decoded once for both, and
    for a large bank the count is split over the cores with the linter."""
    from quiz.bank.lint import lint_beside

    if fix:
        stale = _revision_records(result, teacher, builtin, fix)
        alone: Linted[None] = lint_beside(result.bank, result.problems, None, early)
        return stale, alone.problems, alone.generated
    rider = None
    if not result.errors:  # a broken bank's records are not counted
        rider = early.rider or _rider(teacher, builtin, records, result.bank.infos)
    linted = lint_beside(result.bank, result.problems, rider, early)
    return linted.beside or [], linted.problems, linted.generated


def _rider_ready(teacher: list[Path], builtin: bool, ahead: Pending[Any], records: Callable[[], Any],
                 infos: Sequence[BankInfo]) -> StaleRecords | None:
    """`_rider`, for the early checks, when the records read ahead are there already: the load does not wait for
    them (then the linter shows those blocks' questions to its rider itself)."""
    return _rider(teacher, builtin, records, infos) if ahead.ready() else None


def _rider(teacher: list[Path], builtin: bool, records: Callable[[], Any], infos: Sequence[BankInfo]) -> StaleRecords:
    """The count of the stale revision records (`quiz.export.stale_records`) of a bank of the banks `infos`."""
    from quiz.export.stale_records import StaleRecords
    from quiz.locations import teacher_banks

    return StaleRecords.of(infos, teacher_banks(teacher), builtin, records())


def _revision_records(result: LoadResult, teacher: list[Path], builtin: bool, fix: bool) -> list[tuple[Path, int]]:
    """Every missing or stale revision record, written (`--fix`); none for a broken bank."""
    if result.errors:
        return []
    from quiz import clock
    from quiz.export.revisions import fix_records
    from quiz.locations import teacher_banks

    return fix_records(result.bank, teacher_banks(teacher), builtin, clock.now(), write=fix)


@command("list")
def list_cmd(
    filters: Filters = Filters(),
    lang: LangOpt = None,
    bidi: BidiOpt = None,
    as_json: JsonOpt = False,
    banks: Banks = Banks(),
    drafts: Annotated[bool, typer.Option("--drafts", help="Include draft questions.")] = False,
    suspended: Annotated[bool, typer.Option("--suspended", help="Only the questions you suspended.")] = False,
    progress: Progress = Progress(),
) -> None:
    """List the bank's questions: a table on a terminal, tab-separated lines (id, kind, era, prompt) when piped,
    or JSON with --json."""
    the_bank = banks.valid()
    # A cached bank's questions are decoded chunk by chunk and dropped, and JSON and piped lines are written one
    # by one: 100,000 questions never sit in memory.
    chosen = filters.stream(the_bank, drafts=drafts)
    if suspended:
        from quiz import clock

        with progress.workspace(the_bank, clock.now()) as ws:
            held = ws.store.suspended_ids(ws.profile)
        chosen = (q for q in chosen if q.id in held)
    shown = resolve_lang(lang) if lang is not None or not as_json else "both"
    if shown != "both":  # a question lacking the language is not asked in it: not listed in it either
        chosen = (q for q in chosen if q.has(shown))  # type: ignore[arg-type]
    if as_json:
        write_json_rows(chosen, sys.stdout)
        return
    shown_lang = str(resolve_lang(lang))
    if not sys.stdout.isatty():  # piped: one plain line per question, for cut, grep and spreadsheets
        from quiz.render import clean, cloze_prompt
        from quiz.safetext import for_message

        langs = ("ar", "en") if shown_lang == "both" else (shown_lang,)

        def field(text: str) -> str:
            return " ".join(for_message(" ".join(clean(text).split())).split())

        for q in chosen:
            prompts = [cloze_prompt(q.prompt.get(one)) for one in langs]  # type: ignore[arg-type]
            sys.stdout.write("\t".join([q.id, q.kind.value, q.era, *(field(p) for p in prompts)]) + "\n")
        return
    from quiz.render_bank import question_table

    out = console()
    display = display_for(shown_lang, bidi, out)
    out.print(question_table(list(chosen), the_bank, display))


def _json_text(value: object, indent: str) -> str:
    """`value` as `json.dumps(value, ensure_ascii=False, indent=1)` writes it at the nesting of `indent` (its
    newline and indentation): strings, numbers, booleans, None, lists and dicts with string keys."""
    from json.encoder import encode_basestring  # the C encoder's string escaping, as json.dumps uses it

    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    inner = indent + " "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{encode_basestring(k)}: {_json_text(v, inner)}" for k, v in value.items()]
        return "{" + ",".join(items) + indent + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[" + ",".join(inner + _json_text(v, inner) for v in value) + indent + "]"
    import json

    return json.dumps(value, ensure_ascii=False)  # a float: the same text at any nesting


def write_json_rows(questions: Iterable[Question], out: TextIO, batch: int = 512) -> None:
    """The questions as `quiz list --json` shows them: the same text as `json.dumps(rows, ensure_ascii=False,
    indent=1)` passed through `for_json`, written row by row as it is made (json's indenting encoder is pure
    Python: ~10x slower than building the text here from the C encoder's string escaping)."""
    from json.encoder import encode_basestring as s

    from quiz.safetext import for_json

    n1, n2, n3 = "\n  ", "\n   ", "\n  ]"
    parts: list[str] = []
    first = True
    for q in questions:
        tags = ("[" + ",".join(n2 + s(t) for t in q.tags) + n3) if q.tags else "[]"
        langs = ("[" + ",".join(n2 + s(t) for t in q.langs) + n3) if q.langs else "[]"
        source = q.source
        parts.append(
            ("[\n {" if first else ",\n {")
            + f'{n1}"id": {s(q.id)},{n1}"kind": {s(q.kind.value)},{n1}"era": {s(q.era)},'
            f'{n1}"generated": {_json_text(q.generated, "")},{n1}"draft": {_json_text(q.draft, "")},'
            f'{n1}"tags": {tags},{n1}"langs": {langs},'
            f'{n1}"prompt": {_json_text(q.prompt.as_dict(), n1)},'
            f'{n1}"answer": {_json_text({"ar": q.answer_text("ar"), "en": q.answer_text("en")}, n1)},'
            f'{n1}"source": '
            + ("null" if source is None else _json_text({"doc": source.doc, "era": source.era, "para": source.para},
                                                         n1))
            + "\n }")
        first = False
        if len(parts) >= batch:
            out.write(for_json("".join(parts)))  # C1 controls and bidi overrides escaped as \uXXXX
            parts.clear()
    parts.append("[]\n" if first else "\n]\n")
    out.write(for_json("".join(parts)))


@command("show")
def show_cmd(
    question_id: Annotated[str, typer.Argument(metavar="ID", help="A question id (see quiz list).",
                                                                autocompletion=complete_question)],
    lang: Annotated[Optional[str], typer.Option("--lang", metavar="LANG", help="ar, en or both (default: both).",  # noqa: UP045
                                                show_default=False)] = None,
    bidi: BidiOpt = None,
    banks: Banks = Banks(),
    progress: Progress = Progress(),
) -> None:
    """Show one question with its answer, explanation and source, your progress on it, and the questions
    sharing its facts."""
    from quiz import clock
    from quiz.render_bank import progress_lines, question_detail, siblings_view
    from quiz.selection import find

    the_bank = banks.valid()
    question = find(the_bank, question_id)
    from quiz.model import CardState
    from quiz.store import CardFlags, Store

    now = clock.now()
    state, flags = CardState(question.id), CardFlags()
    path = progress.path
    if path.is_file():  # the learner's progress, read as it is (nothing synced, nothing created)
        with Store.open(path, now=now) as store:
            state = store.card(progress.name, question.id)
            flags = store.flags(progress.name, question.id)
    out = console()
    shown = str(resolve_lang(lang or "both"))
    display = display_for(shown, bidi, out)
    out.print(question_detail(question, the_bank, display))
    ui = "ar" if shown == "ar" else "en"
    for line in progress_lines(state, flags, now, ui):  # type: ignore[arg-type]
        out.print(display.only(ui).line(line, "dim"))  # type: ignore[arg-type]
    siblings = siblings_view(question, the_bank, display)
    if siblings is not None:
        out.print(siblings)
