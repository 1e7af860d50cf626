"""The plain values a bank file is read into, whichever reader reads it (`quiz.bank.reader`'s pass over
libyaml's events, `quiz.bank.plainyaml`'s fast path): mappings and sequences that know their lines, scalars by
their YAML tag, and the rejection of what a bank file may not hold. No PyYAML here (`quiz.bank.reader` is its
home).
"""

from __future__ import annotations

from typing import Any

_STD = "tag:yaml.org,2002:"


class Map(dict):
    """A YAML mapping: a dict that knows its own line and the line of each key (1-based)."""

    __slots__ = ("line", "key_lines")
    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    """A YAML sequence: a list that knows its own line and the line of each item (1-based)."""

    __slots__ = ("line", "item_lines")
    line: int
    item_lines: list[int]


class _Reject(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _scalar(value: str, tag: str, line: int) -> Any:
    if tag in (_STD + "str", _STD + "timestamp", "!"):
        return value
    if tag == _STD + "int":
        try:
            number = int(value.replace("_", ""), 0)
        except ValueError:
            return value
        # A huge (hexadecimal) integer parses, but Python refuses to turn it back into text (more than 4300
        # digits): keep such a value as the text it was written as.
        return number if number.bit_length() <= 64 else value
    if tag == _STD + "bool":
        return value.lower() in ("true", "yes", "on", "y")
    if tag == _STD + "null":
        return None
    if tag == _STD + "float":
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    raise _Reject(line, f"YAML tag {tag!r} is not allowed; bank files hold plain data")
