"""Profiles (several learners may share one database) and each profile's settings."""

from __future__ import annotations

from datetime import datetime

from quiz.store.connection import Connection


class Profiles(Connection):
    def ensure_profile(self, name: str, now: datetime | None = None) -> int:
        """The profile's id, creating it when needed (no write transaction when it exists)."""
        pid = self._read(lambda: self._pid(name))
        if pid is not None:
            return int(pid)
        with self._write("the new profile"):
            pid = self._pid_create(name, now)
        return pid

    def profiles(self) -> list[str]:
        return [row[0] for row in self._rows("SELECT name FROM profiles ORDER BY name")]

    def get_setting(self, profile: str, key: str) -> str | None:
        rows = self._rows(
            "SELECT s.value FROM settings s JOIN profiles p ON p.id = s.profile_id WHERE p.name = ? AND s.key = ?",
            (profile, key),
        )
        return rows[0][0] if rows else None

    def set_setting(self, profile: str, key: str, value: str | None) -> None:
        """Set a setting of the profile; None removes it."""
        with self._write("the setting") as conn:
            pid = self._pid_create(profile, None)
            if value is None:
                conn.execute("DELETE FROM settings WHERE profile_id = ? AND key = ?", (pid, key))
            else:
                conn.execute(
                    "INSERT INTO settings(profile_id, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT(profile_id, key) DO UPDATE SET value = excluded.value",
                    (pid, key, value),
                )

    def settings(self, profile: str) -> dict[str, str]:
        rows = self._rows(
            "SELECT s.key, s.value FROM settings s JOIN profiles p ON p.id = s.profile_id "
            "WHERE p.name = ? ORDER BY s.key",
            (profile,),
        )
        return dict(rows)
