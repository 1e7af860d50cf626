"""Whole-database backups and restores (`quiz backup`, `quiz restore`).

`backup` copies the progress database with SQLite's online backup API (`Store.backup_to`): safe while a study
session writes to it, and atomic (written under a temporary name, then renamed). The copy is checked afterwards.

`restore` never puts anything unchecked in place of the learner's progress:

1. the file must exist, start with the SQLite header and not be shorter than its header says;
2. it is copied (SQLite backup API, read-only) to a temporary file beside the database, and that copy, the bytes
   that will be installed, must pass `PRAGMA integrity_check` and be a quiz database of a schema this version knows
   (the current one or an older one, which the next command upgrades after its own backup);
3. the current database must not be open in another quiz process (an exclusive lock is taken and held to the end);
4. the current database is kept, copied beside it as `<name>.before-restore-<time>`;
5. the checked copy replaces the current contents in one SQLite transaction (or, when the current file is damaged
   or absent, by renaming the copy into place): a crash at any point leaves the old database or the new one.

This module handles the files (names, renames, what a killed restore left); the SQLite side of each step (the
copies, the checks, the locked install) is `quiz.store.backups`, so all SQL stays in `quiz.store`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from quiz.errors import StoreError
from quiz.store.backups import LOCK_TIMEOUT_S, check, check_bytes, install, refuse, stage
from quiz.store.connection import remove_files
from quiz.store.failures import special_file
from quiz.store.values import DatabaseInfo

__all__ = ["LOCK_TIMEOUT_S", "DatabaseInfo", "Restored", "backup", "check", "default_backup_path", "restore", "stamp"]


@dataclass(frozen=True, slots=True)
class Restored:
    db: Path
    source: Path
    info: DatabaseInfo
    kept: Path | None  # where the previous database went (None when there was none)
    damaged: bool  # the previous database could not be read: it was moved aside as it was


def stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _free_name(folder: Path, base: str) -> Path:
    target = folder / base
    n = 1
    while target.exists() or Path(f"{target}-wal").exists():
        n += 1
        target = folder / f"{base}-{n}"
    return target


def default_backup_path(db: Path, now: datetime) -> Path:
    """`<db name>.backup-<UTC time>` beside the database (`-2`, `-3`, ... when taken)."""
    return _free_name(db.parent, f"{db.name}.backup-{stamp(now)}")


# --- backup -------------------------------------------------------------------------------------------------------


def backup(db: Path, target: Path | None, now: datetime) -> tuple[Path, DatabaseInfo]:
    """Copy the database to `target` (a file that must not exist yet, or a folder; None: beside the database)."""
    from quiz.store import Store

    db = db.expanduser()
    if db.is_dir():
        raise StoreError(f"{db} is a directory, not a quiz database; pass --db with the path of a file")
    if not db.exists():
        raise StoreError(f"{db} does not exist, so there is nothing to back up; pass --db with your quiz database")
    if target is None:
        target = default_backup_path(db, now)
    else:
        target = target.expanduser()
        if target.is_dir():
            target = _free_name(target, f"{db.name}.backup-{stamp(now)}")
        elif target.exists() or Path(f"{target}-wal").exists():
            raise StoreError(f"{target} already exists; a backup never overwrites a file, give another path")
        elif not target.parent.is_dir():
            raise StoreError(f"the folder {target.parent} does not exist; create it first or give another path")
    if _same_file(target, db):
        raise StoreError(f"{target} is the database itself; give another path for the backup")
    with Store.open(db, create=False, now=now) as store:
        store.check_health(always=True)  # a damaged database is not copied: the copy would look like a backup
        written = store.backup_to(target)
    try:
        return written, check(written)
    except StoreError:
        remove_files(written)
        raise


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


# --- restore --------------------------------------------------------------------------------------------------------


def restore(db: Path, source: Path, now: datetime) -> Restored:
    """Replace the database at `db` with the checked contents of `source`, keeping the current one beside it."""
    db, source = db.expanduser(), source.expanduser()
    if db.is_dir():
        raise StoreError(f"{db} is a directory, not a quiz database; pass --db with the path of a file")
    if _same_file(source, db):
        raise refuse(source, "is the database itself; pass the path of a backup")
    check_bytes(source)
    special = special_file(db)
    if special:
        raise StoreError(f"{db} is {special}, not a quiz database; pass --db with the path of a file; "
                         "nothing was changed")
    if not db.parent.is_dir():
        try:
            db.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder {db.parent} ({exc.strerror}); pass --db with another path") \
                from None
    _remove_stale_copies(db)
    staged = db.with_name(f".{db.name}.restore-{os.getpid()}.tmp")
    remove_files(staged)
    try:
        info = stage(source, staged)
        kept, damaged = _install(db, staged, now)
    finally:
        remove_files(staged)
    prune_kept_copies(db)
    return Restored(db, source, info, kept, damaged)


KEEP_BEFORE_RESTORE = 3
"""How many `before-restore` copies of one database are kept (the newest); older ones are removed."""


def prune_kept_copies(db: Path, keep: int = KEEP_BEFORE_RESTORE) -> list[Path]:
    """Remove all but the `keep` newest `<db>.before-restore-<time>[-n]` copies (ours only: that exact name)."""
    pattern = re.compile(re.escape(db.name) + r"\.before-restore-\d{8}T\d{6}Z(?:-\d+)?")
    copies = [p for p in db.parent.glob(f"{glob.escape(db.name)}.before-restore-*")
              if pattern.fullmatch(p.name) and p.is_file() and not p.is_symlink()]
    copies.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    removed = copies[keep:]
    for path in removed:
        remove_files(path)
    return removed


def _remove_stale_copies(db: Path) -> None:
    """Checked copies left behind by a restore that was killed (its process is gone)."""
    for path in db.parent.glob(f".{db.name}.restore-*.tmp"):
        try:
            pid = int(path.name.rsplit(".restore-", 1)[1].split(".")[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            remove_files(path)
        except (ValueError, IndexError, OSError):
            continue


def _install(db: Path, staged: Path, now: datetime) -> tuple[Path | None, bool]:
    if not db.exists():
        _remove_sidecars(db)  # a stray WAL beside a new file would be replayed into it
        _rename(staged, db)
        return None, False
    kept = _free_name(db.parent, f"{db.name}.before-restore-{stamp(now)}")
    if install(db, staged, kept):
        return kept, False
    return _install_over_damaged(db, staged, kept), True


def _install_over_damaged(db: Path, staged: Path, kept: Path) -> Path:
    """The current file cannot be read as a database: move it (and its WAL) aside as it is, then rename."""
    try:
        os.replace(db, kept)
        wal = Path(f"{db}-wal")
        if wal.exists():
            os.replace(wal, Path(f"{kept}-wal"))
    except OSError as exc:
        raise StoreError(f"cannot move {db} aside to {kept} ({exc.strerror}); nothing was changed") from None
    _remove_sidecars(db)
    _rename(staged, db)
    return kept


def _remove_sidecars(db: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{db}{suffix}").unlink(missing_ok=True)


def _rename(staged: Path, db: Path) -> None:
    try:
        with open(staged, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staged, db)
    except OSError as exc:
        raise StoreError(f"cannot write {db} ({exc.strerror}); nothing was changed") from None
    with contextlib.suppress(OSError):
        fd = os.open(db.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
