"""The bank an authoring tool adds to (`bank_context`), and checking new file text with the real loader and
linter before anything is written (`check_with_loader`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quiz.bank.files import shown_name
from quiz.errors import Problem
from quiz.model import Bank


@dataclass(frozen=True, slots=True)
class BankContext:
    """The bank as loaded for an authoring tool: its roots, the bank, and every question id with its place."""

    roots: tuple[Path, ...]
    bank: Bank
    problems: tuple[Problem, ...]
    question_ids: dict[str, str] = field(default_factory=dict)
    event_ids: dict[str, str] = field(default_factory=dict)
    era_ids: dict[str, str] = field(default_factory=dict)
    doc_ids: dict[str, str] = field(default_factory=dict)


def bank_context(teacher: Sequence[Path], *, builtin: bool, extra: Sequence[Path] = ()) -> BankContext:
    """Load the built-in bank (unless not `builtin`), the teacher banks and `extra` files that exist."""
    from quiz.bank import builtin_dir, load_bank

    paths = [*teacher, *(p for p in extra if p.exists() and not _inside_any(p, teacher))]
    result = load_bank(paths, builtin=builtin)
    roots = tuple(([builtin_dir()] if builtin else []) + [Path(p) for p in paths])
    bank = result.bank
    return BankContext(
        roots, bank, result.problems,
        {q.id: str(q.loc) if q.loc else q.id for q in bank.questions},
        {e.id: str(e.loc) if e.loc else e.id for e in bank.events},
        {e.id: str(e.loc) if e.loc else e.id for e in bank.eras},
        {d.id: str(d.loc) if d.loc else d.id for d in bank.documents},
    )


def _inside_any(path: Path, roots: Sequence[Path]) -> bool:
    resolved = path.resolve()
    for root in roots:
        root = root.resolve()
        if resolved == root or root in resolved.parents:
            return True
    return False


def check_with_loader(roots: Sequence[Path], target: Path, new_text: str) -> tuple[str, list[Problem]]:
    """Load (and lint) every bank file with `target` holding `new_text`: the name the loader shows for `target`,
    and the problems the change is responsible for (everything in `target`, and new errors elsewhere)."""
    from quiz.bank import bank_root, build_bank, root_files

    resolved = target.resolve()
    files, roots_found = root_files(roots)
    described = list(roots_found)
    before: list[tuple[str, bytes, int]] = []
    shown_target: str | None = None
    index = -1
    for path, shown, root in files:
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        if path.resolve() == resolved:
            shown_target, index = shown, len(before)
        before.append((shown, raw, root))
    after = list(before)
    if shown_target is None:
        shown_target = shown_name(target)
        home = next((i for i, root in enumerate(described) if root.holds(target)), None)
        if home is None:
            home = len(described)
            described.append(bank_root(target))
        after.append((shown_target, new_text.encode("utf-8"), home))
    else:
        after[index] = (shown_target, new_text.encode("utf-8"), before[index][2])
    from quiz.bank.lint import lint

    result = build_bank(after, described)
    found = [*result.problems, *lint(result.bank, result.problems)]
    mine = [p for p in found if p.path == shown_target]
    elsewhere = [p for p in found if p.path != shown_target and p.severity == "error"]
    if elsewhere:
        old_result = build_bank(before, described)
        old = {(p.path, p.line, p.message) for p in (*old_result.problems, *lint(old_result.bank))}
        elsewhere = [p for p in elsewhere if (p.path, p.line, p.message) not in old]
    return shown_target, [*mine, *elsewhere]


def with_folder(context: BankContext, folder: Path) -> BankContext:
    """`context` with every bank file of `folder` loaded too (the siblings of a file about to be written there:
    its bank.yaml, eras and questions declared beside it), unless one of its roots holds the folder already."""
    from quiz.bank import builtin_dir

    if not folder.is_dir():
        return context
    folder = folder.resolve()
    builtin = builtin_dir().resolve()
    roots = [root for root in context.roots if root.resolve() != builtin]
    if folder == builtin or builtin in folder.parents:  # the built-in bank's own files: loaded with it, or not
        return context
    if any(root.is_dir() and (root.resolve() == folder or root.resolve() in folder.parents) for root in roots):
        return context
    kept = [root for root in roots if not _inside_any(root, [folder])]  # the target file itself, say
    return bank_context([*kept, folder], builtin=len(roots) != len(context.roots))


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an authoring tool writes `target`: the bank context with the target folder's bank files loaded, the
    folder, and the prefix of the ids proposed there (its bank.yaml's id, else the folder's name; see
    `destination`)."""

    context: BankContext
    folder: Path
    prefix: str


def bank_folder_of(target: Path, context: BankContext) -> Path:
    """The folder of the bank `target` is written into: the teacher bank holding it, else its own folder."""
    from quiz.authoring.scaffold import bank_folder
    from quiz.bank.files import builtin_dir

    builtin = builtin_dir().resolve()
    return bank_folder(target, [root for root in context.roots if root.resolve() != builtin])


def declared_bank_id(folder: Path, context: BankContext) -> str | None:
    """The id the bank.yaml of `folder` declares, if it has one (loaded in `context`)."""
    for info in context.bank.infos:
        if info.loc is not None and info.loc.line and Path(info.loc.path).resolve().parent == folder.resolve():
            return info.id
    return None


def destination(context: BankContext, target: Path, *, declared_only: bool = False) -> Destination:
    """`context` with the bank files beside `target` loaded (`with_folder`), and the prefix its ids take: the
    bank.yaml's id, else (unless `declared_only`) the folder's name."""
    from quiz.bank import builtin_dir
    from quiz.bank.files import slug

    folder = bank_folder_of(target, context)
    if folder == builtin_dir().resolve():  # the built-in bank's ids carry no prefix
        return Destination(context, folder, "")
    context = with_folder(context, folder)
    declared = declared_bank_id(folder, context)
    prefix = declared if declared is not None else "" if declared_only else slug(folder.name)
    return Destination(context, folder, prefix)


def validates_alone(folder: Path, target: Path, new_text: str) -> bool:
    """Whether `quiz validate FOLDER` passes (no errors) once `target` (in `folder`) holds `new_text`: the
    folder's bank files alone, without the built-in bank or any other."""
    from quiz.bank import bank_root, build_bank, root_files
    from quiz.bank.lint import lint

    resolved = target.resolve()
    files, roots = root_files([folder]) if folder.is_dir() else ([], (bank_root(folder),))
    blobs: list[tuple[str, bytes, int]] = []
    for path, shown, root in files:
        if path.resolve() == resolved:
            continue
        try:
            blobs.append((shown, path.read_bytes(), root))
        except OSError:
            return False
    blobs.append((shown_name(target), new_text.encode("utf-8"), 0))
    result = build_bank(blobs, roots)
    return not any(p.severity == "error" for p in (*result.problems, *lint(result.bank, result.problems)))
