"""Finding bank files: the built-in bank's folder, every `*.yaml`/`*.yml` file under the given paths, and the
name a file is shown by in problems (relative to the working folder when that is short)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


def builtin_dir() -> Path:
    """The built-in bank: inside the installed package, or `questions/` beside it in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "questions"
    return packaged if packaged.is_dir() else here.parent / "questions"


def bank_files(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """Every `*.yaml`/`*.yml` file under the given files and folders, sorted, with the name to show for it."""
    found: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()):
                found.append((file, shown_name(file)))
        elif path.exists():  # a missing path is reported once, by `load_bank`
            found.append((path, shown_name(path)))
    return found


def shown_name(path: Path) -> str:
    """The name the loader shows for a file: relative to the working folder when that is short."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    if rel.startswith(os.pardir + os.sep + os.pardir + os.sep):
        return str(path)
    return rel


@dataclass(frozen=True, slots=True)
class BankRoot:
    """One bank as given to the loader (the built-in folder, or a teacher's folder or file): the id it has when
    no `bank:` mapping names one (its folder's name, slugified), whether it is the built-in bank, its shown name."""

    default_id: str
    builtin: bool = False
    shown: str = ""
    folder: str = ""  # the bank's folder, resolved

    def holds(self, path: Path) -> bool:
        """Whether a file at `path` belongs to this bank (it lies in the bank's folder or below)."""
        if not self.folder:
            return False
        folder = Path(self.folder)
        resolved = path.resolve()
        return folder == resolved.parent or folder in resolved.parents


def slug(name: str) -> str:
    """A folder name as a bank id: lowercase ASCII letters and digits joined by hyphens ('bank' when none are left)."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name)) or "bank"


def _folder(path: Path) -> Path:
    return (path if path.is_dir() or not path.suffix else path.parent).resolve()


def bank_root(path: Path) -> BankRoot:
    """The `BankRoot` for a path given to the loader: a folder is named by itself, a file by its folder."""
    folder = _folder(path)
    return BankRoot(slug(folder.name), folder == builtin_dir().resolve(), shown_name(path), str(folder))


def root_files(paths: Sequence[Path]) -> tuple[list[tuple[Path, str, int]], tuple[BankRoot, ...]]:
    """`bank_files` of every path, each with the position of its bank root, and the roots: paths naming one
    folder (a folder, or files in it) are one bank."""
    roots: list[BankRoot] = []
    index_of: dict[Path, int] = {}
    found: list[tuple[Path, str, int]] = []
    for path in paths:
        folder = _folder(path)
        if folder not in index_of:
            index_of[folder] = len(roots)
            roots.append(bank_root(path))
        found.extend((file, shown, index_of[folder]) for file, shown in bank_files([path]))
    return found, tuple(roots)
