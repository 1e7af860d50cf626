"""What a quiz database's schema must be, exactly: the objects the migrations create, nothing more, nothing less.

A backup is a file anyone can craft. Its rows are data, but its schema is code: a trigger runs on the next answer
(`AFTER INSERT ON reviews ... DELETE FROM reviews`), a view or a missing column makes every answer fail. So
`quiz restore` accepts a database only when its `sqlite_master` equals, object for object and statement for
statement, what this program's migrations create on an empty database for the same number of steps.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache

from quiz import migrations

Schema = dict[tuple[str, str], tuple[str, str]]
"""(type, name) -> (table it belongs to, its SQL with runs of whitespace made one space)."""

_SQLITE_OWN = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}
"""Tables SQLite makes by itself (AUTOINCREMENT, ANALYZE): allowed, never required."""


def _normal(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def schema_of(conn: sqlite3.Connection) -> Schema:
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {(kind, name): (table, _normal(sql)) for kind, name, table, sql in rows if name not in _SQLITE_OWN}


def columns_of(conn: sqlite3.Connection) -> dict[str, list[str]]:
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {name: [row[1] for row in conn.execute("SELECT * FROM pragma_table_xinfo(?)", (name,))]
            for name in tables}


@cache
def expected(steps: int) -> tuple[Schema, dict[str, list[str]]]:
    """The schema the first `steps` migrations create, and its tables' columns (built once, in memory)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrations.migrations(steps).apply(migrations.database(conn))
        return schema_of(conn), columns_of(conn)
    finally:
        conn.close()


def difference(conn: sqlite3.Connection, steps: int) -> str | None:
    """Why the database's schema is not the one `steps` migrations make (None: it is exactly that)."""
    have = schema_of(conn)
    want, want_columns = expected(steps)
    for key in sorted(have.keys() - want.keys()):
        kind, name = key
        return f"holds a {kind} '{name}' that quiz does not make"
    for key in sorted(want.keys() - have.keys()):
        kind, name = key
        return f"lacks the {kind} '{name}'"
    for key in sorted(want):
        if have[key] == want[key]:
            continue
        kind, name = key
        if kind == "table":
            have_columns = columns_of(conn).get(name, [])
            missing = [c for c in want_columns.get(name, []) if c not in have_columns]
            if missing:
                return f"lacks the column '{missing[0]}' of the table '{name}'"
        return f"has a {kind} '{name}' that is not the one quiz makes"
    return None
