"""Finding bank files: the built-in bank's folder, every `*.yaml`/`*.yml` file under the given paths, and the
name a file is shown by in problems (relative to the working folder when that is short)."""

from __future__ import annotations

import os
from collections.abc import Iterable
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
