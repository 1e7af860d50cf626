"""Bank files as plain data with line numbers, parsed safely.

PyYAML's libyaml composer gives every node its position; we build plain values from the node graph
ourselves, so no YAML tag can ever construct an object, aliases cannot blow up, and every mapping knows the
line of each of its keys. This is PyYAML's home module (with `bank.py` calling it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiz.errors import Problem

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 32
_DEEP_INDENT = re.compile(rb"^ {256,}\S", re.MULTILINE)
_DEEP_FLOW = re.compile(rb"[\[{]{64,}")
_STD = "tag:yaml.org,2002:"


class Map(dict):  # type: ignore[type-arg]
    """A YAML mapping: a dict that knows its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):  # type: ignore[type-arg]
    """A YAML sequence: a list that knows its own line and the line of each item (1-based)."""

    line: int
    item_lines: list[int]


@dataclass(frozen=True, slots=True)
class ParsedFile:
    path: str
    data: Map | None
    problems: tuple[Problem, ...]


class _Reject(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse_file(path: Path, shown: str) -> ParsedFile:
    """Read one bank file; every problem (encoding, syntax, unsafe content) comes back as a `Problem`."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return ParsedFile(shown, None, (too_large(shown, size),))
        raw = path.read_bytes()
    except OSError as exc:
        return _fail(shown, 0, f"cannot read the file ({exc.strerror or exc}); check that it exists and is readable")
    return parse_bytes(raw, shown)


def too_large(shown: str, size: int) -> Problem:
    """The problem reported for a file over `MAX_FILE_BYTES` (checked before reading it)."""
    return Problem(shown, 1, f"file is {size // (1024 * 1024)} MiB, larger than the 32 MiB a bank file may be; "
                   "split it into several files")


def parse_bytes(raw: bytes, shown: str) -> ParsedFile:
    if len(raw) > MAX_FILE_BYTES:
        return ParsedFile(shown, None, (too_large(shown, len(raw)),))
    problems: list[Problem] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(shown, 1, "file starts with a UTF-8 byte-order mark; it was ignored, but save the "
                                "file as UTF-8 without BOM", "warning"))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return _fail(shown, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                     problems)
    if not text.strip():
        problems.append(Problem(shown, 1, "file is empty; add eras, events or questions, or delete it", "warning"))
        return ParsedFile(shown, None, tuple(problems))
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return _fail(shown, line, "file contains a NUL character; it is not a text file", problems)
    deep = _DEEP_INDENT.search(raw) or _DEEP_FLOW.search(raw)
    if deep:
        line = raw[: deep.start()].count(b"\n") + 1
        return _fail(shown, line, f"nesting is deeper than {MAX_DEPTH} levels; bank files are shallow lists "
                     "of mappings", problems)
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        # libyaml's composer recurses in C without a limit: `- - - - ...` or `[ [ [ ...` a few thousand levels
        # deep crashes the interpreter (a segfault, not an exception). Its parser does not recurse, so measure
        # the depth on the event stream first and refuse before composing.
        too_deep = _too_deep(text, loader)
        if too_deep:
            return _fail(shown, too_deep, f"nesting is deeper than {MAX_DEPTH} levels; bank files are shallow "
                         "lists of mappings", problems)
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        return _fail(shown, line, f"YAML syntax error: {what}; check indentation, colons and quotes near here",
                     problems)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (a control character): one line, its line
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return _fail(shown, line, f"character {char} is not allowed in YAML ({exc.reason}); remove it", problems)
    except yaml.YAMLError as exc:
        return _fail(shown, 1, f"YAML syntax error: {' '.join(str(exc).split())}", problems)
    except RecursionError:
        return _fail(shown, 1, f"nesting is deeper than {MAX_DEPTH} levels", problems)
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _STD + "null"):  # also `---` or `~`
        problems.append(Problem(shown, 1, "file is empty; add eras, events or questions, or delete it", "warning"))
        return ParsedFile(shown, None, tuple(problems))
    try:
        data = _build(node, 0, set())
    except _Reject as exc:
        return _fail(shown, exc.line, exc.message, problems)
    if not isinstance(data, Map):
        return _fail(shown, node.start_mark.line + 1, "a bank file must be a mapping with keys sources, eras, "
                     "events, questions", problems)
    return ParsedFile(shown, data, tuple(problems))


def _too_deep(text: str, loader: Any) -> int:
    """The line where collections nest deeper than `MAX_DEPTH`, or 0; YAML errors propagate."""
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return int(event.start_mark.line) + 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return 0


def _fail(shown: str, line: int, message: str, before: list[Problem] | None = None) -> ParsedFile:
    return ParsedFile(shown, None, (*(before or []), Problem(shown, line, message)))


def _build(node: Any, depth: int, seen: set[int]) -> Any:
    import yaml

    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise _Reject(line, f"nesting is deeper than {MAX_DEPTH} levels; bank files are shallow lists of mappings")
    if id(node) in seen:
        raise _Reject(line, "YAML anchors and aliases (&name / *name) are not supported; write the value out")
    tag = node.tag or ""
    if isinstance(node, yaml.MappingNode):
        seen.add(id(node))
        if tag != _STD + "map":
            raise _Reject(line, f"YAML tag {tag!r} is not allowed; bank files hold plain data")
        result = Map()
        result.line = line
        result.key_lines = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == _STD + "merge":
                raise _Reject(key_line, "YAML merge keys (<<) are not supported; write the keys out")
            key = _build(key_node, depth + 1, seen)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise _Reject(key_line, f"key {key!r} appears twice in the same mapping "
                              f"(first at line {result.key_lines[key]}); keep one")
            result[key] = _build(value_node, depth + 1, seen)
            result.key_lines[key] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        seen.add(id(node))
        if tag != _STD + "seq":
            raise _Reject(line, f"YAML tag {tag!r} is not allowed; bank files hold plain data")
        seq = Seq(_build(item, depth + 1, seen) for item in node.value)
        seq.line = line
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq
    return _scalar(node.value, tag, line)


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
