"""The bank's questions as the database knows them: synced from the bank (id, content hash, era, kind, order)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from quiz.model import sync_fingerprint
from quiz.store.connection import Connection
from quiz.store.rows import from_ms, to_ms
from quiz.store.values import QuestionMeta, SyncReport

_FINGERPRINT_KEY = "bank_fingerprint"


def bank_fingerprint(entries: Sequence[tuple[str, str, str, str]]) -> str:
    """A hash of the whole (id, content hash, era, kind) list, in order (`quiz.model.sync_fingerprint`)."""
    return sync_fingerprint(entries)


class BankSync(Connection):
    def bank_synced(self, fingerprint: str) -> bool:
        """Whether the last sync recorded a bank with this fingerprint (`bank_fingerprint`): one SELECT."""
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (_FINGERPRINT_KEY,))
        return bool(rows) and rows[0][0] == fingerprint

    def sync_questions(self, entries: Sequence[tuple[str, str, str, str]], now: datetime,
                       fingerprint: str | None = None) -> SyncReport:
        """Record the bank: (question_id, content_hash, era, kind) in bank order.

        New ids are added, changed hashes update `changed_at`, ids no longer listed become inactive (history kept,
        no longer scheduled), inactive ids listed again become active. Skipped with one SELECT when unchanged.
        `fingerprint` is `bank_fingerprint(entries)` when the caller already knows it.
        """
        if fingerprint is None:
            fingerprint = bank_fingerprint(entries)
        if self.bank_synced(fingerprint):
            return SyncReport(skipped=True)
        at = to_ms(now)
        with self._write("the question bank") as conn:
            conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bank_sync "
                "(id TEXT PRIMARY KEY, hash TEXT NOT NULL, era TEXT NOT NULL, kind TEXT NOT NULL, "
                "position INTEGER NOT NULL)"
            )
            conn.execute("DELETE FROM temp.bank_sync")
            conn.executemany(
                "INSERT OR IGNORE INTO temp.bank_sync(id, hash, era, kind, position) VALUES (?, ?, ?, ?, ?)",
                ((qid, chash, era, kind, pos) for pos, (qid, chash, era, kind) in enumerate(entries)),
            )
            new, changed, restored = conn.execute(
                "SELECT COALESCE(SUM(q.qid IS NULL), 0), "
                "COALESCE(SUM(q.qid IS NOT NULL AND q.content_hash <> b.hash), 0), "
                "COALESCE(SUM(q.active = 0), 0) "
                "FROM temp.bank_sync b LEFT JOIN questions q ON q.id = b.id"
            ).fetchone()
            removed = conn.execute(
                "UPDATE questions SET active = 0 WHERE active = 1 AND id NOT IN (SELECT id FROM temp.bank_sync)"
            ).rowcount
            conn.execute(
                "INSERT INTO questions(id, content_hash, era, kind, position, active, first_seen, changed_at) "
                "SELECT id, hash, era, kind, position, 1, :at, :at FROM temp.bank_sync WHERE true "
                "ON CONFLICT(id) DO UPDATE SET "
                "changed_at = CASE WHEN content_hash <> excluded.content_hash THEN :at ELSE changed_at END, "
                "content_hash = excluded.content_hash, era = excluded.era, kind = excluded.kind, "
                "position = excluded.position, active = 1 "
                "WHERE content_hash <> excluded.content_hash OR era <> excluded.era OR kind <> excluded.kind "
                "OR position <> excluded.position OR active = 0",
                {"at": at},
            )
            conn.execute("DELETE FROM temp.bank_sync")
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (_FINGERPRINT_KEY, fingerprint),
            )
        return SyncReport(new=new, changed=changed, removed=removed, restored=restored)

    def question_meta(self, ids: Iterable[str] | None = None) -> dict[str, QuestionMeta]:
        """{id: (content_hash, first_seen, changed_at)} for the given ids (all known questions when None)."""
        sql = "SELECT id, content_hash, first_seen, changed_at FROM questions"
        params: tuple[Any, ...] = ()
        if ids is not None:
            sql += " WHERE id IN (SELECT value FROM json_each(?))"
            params = (json.dumps(list(ids)),)
        return {
            qid: QuestionMeta(chash, from_ms(first), from_ms(changed))
            for qid, chash, first, changed in self._rows(sql, params)
        }
