"""The whole import: read, check every question, render the YAML, check it with the loader, write it atomically."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from quiz.authoring import yamledit
from quiz.authoring.add import (
    BankContext,
    NewQuestion,
    check_question,
    check_with_loader,
    content_key,
    existing_keys,
    propose_id,
    shown_name,
)
from quiz.authoring.ids import propose_prefixed
from quiz.authoring.importers import reading
from quiz.authoring.importers.aiken import parse_aiken
from quiz.authoring.importers.csv_format import parse_csv
from quiz.authoring.importers.entry import Entry, lang_text, prefixed
from quiz.authoring.importers.eras import NewEra, draft_era, parse_new_era
from quiz.authoring.importers.gift import parse_gift
from quiz.authoring.importers.update import existing_questions, merge
from quiz.authoring.importers.update import render as render_update
from quiz.authoring.importers.update import spans as update_spans
from quiz.bank.rules import MISSING_TRANSLATION, UNKNOWN_ERA, Finding, is_id
from quiz.errors import AuthoringError, HasProblems, Problem, UsageError
from quiz.model import Source, Text


@dataclass(frozen=True, slots=True)
class ImportPlan(HasProblems):
    """What `quiz import` would write, and every problem found (the import file's lines)."""

    fmt: str
    target: Path
    shown_target: str
    old: bytes | None
    new: bytes | None
    count: int
    problems: tuple[Problem, ...]
    lang: str = "en"
    era: NewEra | None = None  # the era declared in the written file (--new-era, or drafted)
    update: bool = False  # --update: questions already in the target are matched and updated in place
    updated: tuple[str, ...] = ()  # --update: the ids of the questions changed in place
    unchanged: int = 0  # --update: questions matched and left as they were
    removed: tuple[str, ...] = ()  # --update: the ids of the target's questions the file no longer has (kept)
    alone: bool = True  # whether the target's bank folder validates by itself once written (else with the others)

    @property
    def changed(self) -> bool:
        """Whether writing would change the target."""
        return self.new is not None and self.new != self.old



def parse_text(text: str, fmt: str, *, era: str | None, lang: str,
               eras: Sequence[str] = ()) -> tuple[list[Entry], list[tuple[int, str]]]:
    if fmt in ("csv", "tsv"):
        return parse_csv(text, delimiter=reading.sniff_delimiter(text, "," if fmt == "csv" else "\t"), era=era)
    if fmt == "gift":
        return parse_gift(text, lang=lang, era=era, eras=eras)
    return parse_aiken(text, lang=lang, era=era)


def read_entries(path: Path, fmt: str, *, era: str | None, lang: str,
                 eras: Sequence[str] = ()) -> tuple[list[Entry], list[tuple[int, str]]]:
    try:
        text = reading.read_text(path)
    except AuthoringError as exc:
        return [], [(int(exc.where.rsplit(":", 1)[1]) if exc.where and ":" in exc.where else 1, exc.message)]
    return parse_text(text, fmt, era=era, lang=lang, eras=eras)



def bank_id_for(target: Path, context: BankContext) -> str:
    """The id of the bank `target` is written into: its bank.yaml's, else its folder's name."""
    from quiz.authoring.context import bank_folder_of, declared_bank_id
    from quiz.bank.files import slug

    folder = bank_folder_of(target, context)
    declared = declared_bank_id(folder, context)
    return declared if declared is not None else slug(folder.name)



def plan_import(
    path: Path,
    context: BankContext,
    *,
    target: Path,
    fmt: str | None = None,
    era: str | None = None,
    lang: str | None = None,
    new_era: str | None = None,
    this_year: int = 2026,
    update: bool = False,
) -> ImportPlan:
    """Read `path`, check every question, render the YAML and check it with the loader; nothing is written.

    Without `era` or `new_era`, questions that name no era go into a draft era made for the file. With `update`,
    questions the target already has are updated in place (`update.py`); without it, finding any is an error
    that says to use --update."""
    from quiz.authoring.context import destination, validates_alone

    where = destination(context, target)
    context, folder, prefix = where.context, where.folder, where.prefix
    text = reading.read_text(path)
    if fmt is None:
        fmt = reading.detect_format(path, text[:65536])
    if fmt not in reading.FORMATS:
        raise UsageError(f"--format: '{fmt}' is not a format; use csv, tsv, gift or aiken")
    if lang is None:
        lang = reading.detect_language(text)
    if lang not in ("ar", "en"):
        raise UsageError(f"--lang: '{lang}' is not a language; use ar or en")
    declared: NewEra | None = None
    if new_era is not None:
        if era is not None:
            raise UsageError("give --era or --new-era, not both")
        declared = parse_new_era(new_era, lang)
        if update and context.bank.era(declared.id) is not None:
            era, declared = declared.id, None  # declared by the first import
        elif context.bank.era(declared.id) is not None:
            raise UsageError(f"--new-era: the era '{declared.id}' exists already; use --era {declared.id}")
    elif era is not None and context.bank.era(era) is None:
        known = ", ".join(e.id for e in context.bank.eras) or "none"
        raise UsageError(f"--era: unknown era '{era}' (known: {known}); to declare it, give its span and title: "
                         f"--new-era {era}:1950-1993:'Its title'")
    elif era is None:
        declared = draft_era(text, path, prefix, lang, this_year)
        if context.bank.era(declared.id) is not None:
            declared = None
            era = draft_era(text, path, prefix, lang, this_year).id  # imported before: the same era again
    bank = context.bank
    if declared is not None:
        from quiz.model import Era

        era = declared.id
        bank = replace(bank, eras=(*bank.eras, Era(declared.id, declared.start, declared.end, declared.title,
                                                  declared.draft)))
    shown = str(path)
    entries, general = parse_text(text, fmt, era=era, lang=lang, eras=[e.id for e in bank.eras])
    problems: list[Problem] = [Problem(shown, line, message) for line, message in general]
    old = target.read_bytes() if target.exists() else None
    old_text = _decoded(old, target)
    existing = existing_questions(old_text, shown_name(target))
    own_keys = set(existing.by_key)
    # the target's own questions are matched, not duplicates: leave them out of what ids and prompts must avoid
    taken: dict[str, str] = {k: v for k, v in context.question_ids.items() if k not in existing.by_id}
    keys = {k: v for k, v in existing_keys(bank).items() if k not in own_keys}
    matched: dict[int, tuple[int, dict[str, Any]]] = {}  # target index -> (line in the file, merged mapping)
    doc_id = prefixed(f"{'-'.join(propose_id(Text(en=path.stem), ()).split('-')[:4])}", prefix)
    new_doc = doc_id not in context.doc_ids and any(e.question and e.question.source is None for e in entries)
    if new_doc:
        from quiz.model import Document

        bank = replace(bank, documents=(*bank.documents, Document(doc_id, lang_text(lang, path.name))))
    good: list[tuple[int, NewQuestion]] = []
    already: list[int] = []  # lines of the file whose question the target has (without --update)
    for entry in entries:
        if entry.skipped:
            problems.append(Problem(shown, entry.line, entry.skipped, "warning"))
            continue
        messages = list(entry.problems)
        question = entry.question
        if question is not None:
            if not question.id:
                title_id = entry.title if is_id(entry.title or "") else ""
                question = replace(question, id=title_id or propose_prefixed(
                    Text(en=entry.title) if entry.title else question.naming_text(), taken, prefix))
            if question.source is None and (new_doc or doc_id in context.doc_ids):
                question = replace(question, source=Source(doc_id))
            index = existing.match(question.id, content_key(question.kind, question.prompt, question.items))
            if index is not None and index not in matched and not update:
                already.append(entry.line)
            elif index is not None and index not in matched:
                old_item = existing.items[index]
                question = replace(question, id=str(old_item.get("id")))
                if fmt in ("gift", "aiken") and isinstance(old_item.get("era"), str):
                    question = replace(question, era=old_item["era"])
                merged = merge(old_item, question.mapping(), fmt, lang if fmt in ("gift", "aiken") else None)
                matched[index] = (entry.line, merged)
            # a row with no era already says so (from the reader); the era rule would only repeat it
            messages.extend(m for m in check_question(question, bank, taken, taken, keys)
                            if not (m.rule is UNKNOWN_ERA and not question.era))
        problems.extend(message.problem(shown, entry.line) if isinstance(message, Finding)
                        else Problem(shown, entry.line, message) for message in dict.fromkeys(messages))
        if question is not None and not messages:
            good.append((entry.line, question))
            taken[question.id] = f"{shown}:{entry.line}"
            key = content_key(question.kind, question.prompt, question.items)
            keys[key] = f"'{question.id}' ({shown}:{entry.line})"
    if not entries and not general:
        problems.append(Problem(shown, 1, f"no questions found in this {reading.FORMAT_NAMES[fmt]} file"))
    if already:
        n = len(already)
        raise UsageError(f"{shown_name(target)} already has {n} of the questions in {shown} (imported before?); "
                         "to update them in place, run the same command with --update")
    new_text: str | None = None
    used_era = declared if declared is not None and any(q.era == declared.id for _, q in good) else None
    sections: dict[str, list[dict[str, Any]]] = {
        "sources": [{"id": doc_id, "title": {lang: path.name}}] if new_doc and good else [],
        "eras": [used_era.mapping()] if used_era is not None else [],
    }
    updated: list[str] = []
    removed: list[str] = []
    if update and old_text is not None and good:
        replaced = {i: merged for i, (_, merged) in matched.items() if merged != existing.items[i]}
        updated = [str(existing.items[i].get("id")) for i in sorted(replaced)]
        matched_ids = {str(existing.items[i].get("id")) for i in matched}
        added = [(line, q) for line, q in good if q.id not in matched_ids]
        new_text = render_update(old_text, replaced, [q.mapping() for _, q in added], sections, str(target))
        at = update_spans(new_text, str(target))
        checked = [(line, q.id) for line, q in good if q.id in matched_ids and q.id in updated] + \
                  [(line, q.id) for line, q in added]
        shown_target, found = check_with_loader(context.roots, target, new_text)
        problems.extend(_map_back(found, shown_target, shown, [at[i][0] for _, i in checked],
                                  [at[i][1] for _, i in checked], [line for line, _ in checked],
                                  single_language=fmt in ("gift", "aiken")))
        old_spans = update_spans(old_text, str(target))
        # when the target's questions name this file's document as their source, only those came from it
        ours = [i for i, item in enumerate(existing.items) if isinstance(item, dict)
                and isinstance(item.get("source"), dict) and item["source"].get("doc") == doc_id]
        for index in ours or range(len(existing.items)):
            item = existing.items[index]
            if index not in matched and isinstance(item, dict) and isinstance(item.get("id"), str):
                qid = item["id"]
                removed.append(qid)
                start, end = old_spans.get(qid, (1, 2))
                problems.append(Problem(
                    shown_name(target), start, f"question '{qid}' is no longer in {shown}; it is kept: to remove "
                    f"it, delete lines {start}-{end - 1} of {shown_name(target)}", "warning"))
    elif good:
        new_text, item_lines, item_ends = _render(target, old, [q for _, q in good], shown, sections)
        shown_target, found = check_with_loader(context.roots, target, new_text)
        problems.extend(_map_back(found, shown_target, shown, item_lines, item_ends, [line for line, _ in good],
                                  single_language=fmt in ("gift", "aiken")))
    languages = _bank_languages(target, context)
    if fmt in ("gift", "aiken") and good and languages is not None and languages != (lang,):
        other = "Arabic" if lang == "en" else "English"
        problems.insert(0, MISSING_TRANSLATION.problem(
            shown, 1, f"{reading.FORMAT_NAMES[fmt]} holds one language: the {other} text of {len(good)} "
            f"question{'s' if len(good) != 1 else ''} is left empty; add it in the YAML before students study in "
            "that language"))
    problems = _collapse(problems)
    problems.sort(key=lambda p: (p.path != shown, p.line, p.severity != "error"))
    has_errors = any(p.severity == "error" for p in problems)
    return ImportPlan(fmt, target, shown_name(target), old,
                      None if has_errors or new_text is None else new_text.encode("utf-8"), len(good),
                      tuple(problems), lang, used_era, update, tuple(updated), len(matched) - len(updated),
                      tuple(removed), new_text is None or validates_alone(folder, target, new_text))


def _decoded(old: bytes | None, target: Path) -> str | None:
    if old is None:
        return None
    try:
        return old.decode("utf-8")
    except UnicodeDecodeError:
        raise AuthoringError("the file is not UTF-8 text", where=str(target)) from None


def _bank_languages(target: Path, context: BankContext) -> tuple[str, ...] | None:
    """The languages of the bank `target` belongs to, when it says (its bank.yaml)."""
    bank_id = bank_id_for(target, context)
    info = context.bank.info(bank_id)
    return tuple(info.languages) if info is not None and info.loc is not None and info.loc.line else None


def _render(target: Path, old: bytes | None, questions: Sequence[NewQuestion], shown: str,
            sections: dict[str, list[dict[str, Any]]] | None = None) -> tuple[str, list[int], list[int]]:
    """The new file text (with `sections`, like a new era, before the questions), and the first and
    (exclusive) last line of each added question."""
    items: list[dict[str, Any]] = [q.mapping() for q in questions]
    extra = {name: values for name, values in (sections or {}).items() if values}
    if old is None:
        header = (f"Imported by quiz import from {Path(shown).name}.\n"
                  "Check the questions, add what is missing, then run: quiz validate")
        text, lines = yamledit.render_file({**extra, "questions": items}, header)
        starts = list(lines["questions"])
    else:
        try:
            text = old.decode("utf-8")
        except UnicodeDecodeError:
            raise AuthoringError("the file is not UTF-8 text", where=str(target)) from None
        for name, values in extra.items():
            text = yamledit.append_items(text, name, values, shown=str(target)).text
        splice = yamledit.append_items(text, "questions", items, shown=str(target))
        text, starts = splice.text, list(splice.item_lines)
    last = starts[-1] + len(yamledit.render_items("questions", items[-1:], blank_lines=False)[0].splitlines())
    return text, starts, [*starts[1:], last]


def _map_back(found: Sequence[Problem], shown_target: str, shown: str, item_lines: Sequence[int],
              item_ends: Sequence[int], source_lines: Sequence[int], *, single_language: bool) -> list[Problem]:
    """Loader problems at lines of the rendered YAML, as problems at the lines of the imported file."""
    ends = item_ends
    out: list[Problem] = []
    for problem in found:
        if single_language and problem.rule == MISSING_TRANSLATION.code:
            continue
        inside = [i for i, start in enumerate(item_lines) if start <= problem.line < ends[i]]
        if problem.path != shown_target or not inside:
            if problem.severity == "error":  # the file's own content is not the import's business, unless broken
                out.append(problem)
            continue
        out.append(replace(problem, path=shown, line=source_lines[inside[0]]))
    return out


def _collapse(problems: Sequence[Problem], keep: int = 3) -> list[Problem]:
    """Warnings of one kind repeated more than `keep` times become one line listing where."""
    by_code: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        if problem.severity == "warning" and problem.code:
            by_code.setdefault((problem.path, problem.code), []).append(problem)
    out: list[Problem] = []
    done: set[tuple[str, str]] = set()
    for problem in problems:
        key = (problem.path, problem.code)
        group = by_code.get(key, []) if problem.severity == "warning" and problem.code else []
        if len(group) <= keep:
            out.append(problem)
            continue
        if key in done:
            continue
        done.add(key)
        lines = ", ".join(str(p.line) for p in group[1:9]) + (", …" if len(group) > 9 else "")
        out.append(replace(problem, message=f"{problem.message} (and {len(group) - 1} more like it, at lines "
                                              f"{lines})"))
    return out


def write(plan: ImportPlan) -> None:
    if plan.new is None:
        raise AuthoringError("there are errors; nothing was written", where=plan.shown_target)
    now = plan.target.read_bytes() if plan.target.exists() else None
    if now != plan.old:
        raise AuthoringError("the file changed during the import; run the command again", where=plan.shown_target)
    yamledit.write_atomic(plan.target, plan.new)
