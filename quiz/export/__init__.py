"""Exporters: Anki packages (`anki`), spreadsheets (`table`) and JSON backups (`backup`).

Every exporter writes through `atomic_write`: the file is built under a temporary name in the target folder and
renamed over the target only when it is complete, so a failure never leaves a partial file and never damages the
previous export. This module is light (stdlib only); genanki is imported by `quiz.export.anki` only when a package
is written.
"""

from __future__ import annotations

import glob
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from quiz.errors import ExportError
from quiz.locations import process_alive

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


Ours = Callable[[Path], bool]
"""`ours(path)`: whether the existing file at `path` is one this exporter wrote (its content signature)."""

STALE_TMP_S = 3600
"""A temporary export older than this, whose process is gone, was left by a killed export: removed."""


def check_target(path: Path, *, force: bool = False, ours: Ours | None = None) -> Path:
    """The absolute path to write (a symlink's target), or an ExportError when it must not be written there:
    a missing folder, a folder, a device, FIFO or socket, or a file quiz did not write (unless `force`)."""
    target = Path(os.path.abspath(path.expanduser()))
    if target.is_symlink():
        target = Path(os.path.realpath(target))  # write the file the link points to; the link stays
    folder = target.parent
    try:
        mode: int | None = os.stat(target).st_mode  # stat never opens: a FIFO does not block here
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _os_error(path, exc) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise ExportError("is a folder; give the path of a file to write", where=str(path))
    if mode is not None and not stat.S_ISREG(mode):
        raise ExportError("is not a regular file (a device, FIFO or socket); an export never replaces one",
                          where=str(path), hint="give the path of a file to write")
    if not folder.exists():
        raise ExportError(f"the folder {folder} does not exist", where=str(path), hint="create it first")
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder", where=str(path))
    foreign = mode is not None and target.stat().st_size > 0 and not (ours is not None and _is_ours(ours, target))
    if foreign and not force:
        raise ExportError("already exists and was not written by quiz", where=str(path),
                          hint="pass --force to replace it, or give another path")
    return target


def _is_ours(ours: Ours, target: Path) -> bool:
    try:
        return ours(target)
    except (OSError, ValueError):
        return False


def remove_stale_temporaries(folder: Path, name: str, now_s: float) -> None:
    """Temporary files of killed exports to `name` in `folder`: `.<name>.<pid>.XXXX.tmp` whose process is gone, or
    `.<name>.XXXX.tmp` (as older versions named them) older than an hour. Only ours, only stale ones."""
    for tmp in folder.glob(f".{glob.escape(name)}.*.tmp"):
        middle = tmp.name[len(name) + 2:-4]
        pid_text = middle.split(".", 1)[0]
        try:
            if pid_text.isdigit() and "." in middle:
                stale = not process_alive(int(pid_text))  # its process is gone
            else:
                stale = now_s - tmp.lstat().st_mtime > STALE_TMP_S  # an older name: by its age
            if stale and tmp.is_file() and not tmp.is_symlink():
                tmp.unlink()
        except OSError:
            continue


def atomic_write(path: Path, write: Callable[[Path], object], *, force: bool = False, ours: Ours | None = None) -> Path:
    """Call `write(tmp)` to build the file at a temporary path beside `path`, then rename it over `path`.

    On any failure the temporary file is removed and `path` is left as it was. OSErrors become ExportErrors.
    `path` must not be a device, FIFO or socket; an existing file must be one `ours` recognises, or `force`
    be given; a symlink is followed (its target is replaced). Returns the absolute path written.
    """
    target = check_target(path, force=force, ours=ours)
    remove_stale_temporaries(target.parent, target.name, time.time())
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
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


@contextmanager
def collector_paused(size: int) -> Iterator[None]:
    """The cyclic collector off while an export of a bank of `size` questions plans or writes its notes: hundreds
    of thousands of small acyclic objects (briefs, specs, fields, rows), which each full pass would walk again
    (a fifth of a 100k Anki export's CPU). Restored as it was; what is alive after a large bank's pass is frozen
    out of later passes (`quiz.bank.cache.resume_gc`)."""
    from quiz.bank.cache import pause_gc, resume_gc

    enabled = pause_gc()
    try:
        yield
    finally:
        resume_gc(enabled, size)
