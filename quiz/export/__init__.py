"""Exporters: Anki packages (`anki`), spreadsheets (`table`) and JSON backups (`backup`).

Every exporter writes through `atomic_write`: the file is built under a temporary name in the target folder and
renamed over the target only when it is complete, so a failure never leaves a partial file and never damages the
previous export. This module is light (stdlib only); genanki is imported by `quiz.export.anki` only when a package
is written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quiz.errors import ExportError

Progress = Callable[[int, int], None]
"""`progress(done, total)`: called while an export is written (the CLI draws a bar with it)."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote (or, for a dry run, would write)."""

    path: Path
    notes: int
    cards: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    dry_run: bool = False


def check_target(path: Path) -> Path:
    """The absolute target path, or an ExportError when it cannot be written (missing folder, a folder)."""
    target = Path(os.path.abspath(path.expanduser()))
    folder = target.parent
    if target.is_dir():
        raise ExportError("is a folder; give the path of a file to write", where=str(path))
    if not folder.exists():
        raise ExportError(f"the folder {folder} does not exist", where=str(path), hint="create it first")
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder", where=str(path))
    return target


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` to build the file at a temporary path beside `path`, then rename it over `path`.

    On any failure the temporary file is removed and `path` is left as it was. OSErrors become ExportErrors.
    Returns the absolute path written.
    """
    target = check_target(path)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _os_error(path, exc) from None
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        _keep_mode(target, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _os_error(path, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return target


def _keep_mode(target: Path, tmp: Path) -> None:
    """mkstemp makes 0600 files: give the new file the old file's mode, or the usual mode for new files."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _os_error(path: Path, exc: OSError) -> ExportError:
    if isinstance(exc, PermissionError):
        return ExportError("cannot write the file: permission denied", where=str(path),
                           hint="choose a folder you can write to")
    reason = exc.strerror or str(exc)
    return ExportError(f"cannot write the export ({reason})", where=str(path))
