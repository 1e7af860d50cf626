"""Export bookkeeping: what each export wrote (note guid → content hash), so the next one knows what changed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from quiz.store.connection import Connection
from quiz.store.rows import from_ms, to_ms
from quiz.store.values import Repeated


class Exports(Connection):
    def record_export(
        self, profile: str | None, kind: str, path: str, at: datetime, notes: Mapping[str, str],
        repeated: Repeated | None = None,
    ) -> None:
        """Remember what an export wrote: note guid → content hash (older note lists for the same file are
        dropped). With `repeated` (what `notes` repeats of an earlier export), the rows are copied from that
        export and completed, when it still has the rows it was read with; else `notes` are written whole. The
        record is the same either way."""
        with self._write("the export record") as conn:
            pid = None if profile is None else self._pid_create(profile, at)
            cursor = conn.execute(
                "INSERT INTO exports(profile_id, kind, path, at, note_count) VALUES (?, ?, ?, ?, ?)",
                (pid, kind, path, to_ms(at), len(notes)),
            )
            export_id = cursor.lastrowid
            rows = notes
            if repeated is not None and self._repeats(repeated, len(notes)):
                conn.execute(
                    "INSERT INTO export_notes(export_id, guid, content_hash) "
                    "SELECT ?, guid, content_hash FROM export_notes WHERE export_id = ?",
                    (export_id, repeated.export_id),
                )
                conn.executemany(
                    "DELETE FROM export_notes WHERE export_id = ? AND guid = ?",
                    ((export_id, guid) for guid in repeated.left_out),
                )
                rows = repeated.rest
            conn.executemany(
                "INSERT INTO export_notes(export_id, guid, content_hash) VALUES (?, ?, ?)",
                ((export_id, guid, chash) for guid, chash in rows.items()),
            )
            conn.execute(
                "DELETE FROM export_notes WHERE export_id IN "
                "(SELECT id FROM exports WHERE kind = ? AND path = ? AND id <> ?)",
                (kind, path, export_id),
            )

    def _repeats(self, repeated: Repeated, notes: int) -> bool:
        """Whether `repeated` still describes `notes` rows: its export has the rows it was read with (an export's
        rows are only ever deleted, all at once) and they add up."""
        if repeated.rows - len(repeated.left_out) + len(repeated.rest) != notes:
            return False
        (count,) = self.conn.execute("SELECT COUNT(*) FROM export_notes WHERE export_id = ?",
                                     (repeated.export_id,)).fetchone()
        return bool(count == repeated.rows)

    def _last_export_row(self, kind: str, path: str | None) -> tuple[Any, ...] | None:
        sql = "SELECT id, at FROM exports WHERE kind = ?"
        params: tuple[Any, ...] = (kind,)
        if path is not None:
            sql += " AND path = ?"
            params += (path,)
        rows = self._rows(sql + " ORDER BY at DESC, id DESC LIMIT 1", params)
        return rows[0] if rows else None

    def last_export(self, kind: str, path: str | None = None) -> Mapping[str, str] | None:
        """Note guid → content hash of the latest export of `kind` (to `path`, when given); None if never."""
        row = self._last_export_row(kind, path)
        if row is None:
            return None
        return dict(self._rows("SELECT guid, content_hash FROM export_notes WHERE export_id = ?", (row[0],)))

    def last_export_id(self, kind: str, path: str | None = None) -> int | None:
        """The id of the latest export of `kind` (to `path`, when given); None if never."""
        row = self._last_export_row(kind, path)
        return None if row is None else int(row[0])

    def export_rows(self, export_id: int) -> Iterator[tuple[str, str]]:
        """An export's (note guid, content hash) rows in guid order, read as they are iterated."""
        return self._stream("SELECT guid, content_hash FROM export_notes WHERE export_id = ? ORDER BY guid",
                            (export_id,), 2000)

    def last_export_at(self, kind: str, path: str | None = None) -> datetime | None:
        """When the latest export of `kind` (to `path`, when given) was made; None if never."""
        row = self._last_export_row(kind, path)
        return None if row is None else from_ms(row[1])
