"""Editing bank files without disturbing them: ruamel.yaml's home module.

Teachers' files carry comments, blank lines, quoting and key order that matter to them. Appending a question
(`quiz add`) or a batch of them (`quiz import`) therefore never re-dumps the whole file: ruamel.yaml's round-trip
parser finds where the `questions` (or `events`) list ends, the new items are rendered as YAML text in the file's
own indentation, and that text is spliced in. Every byte outside the added block stays as it was; the result is
parsed again and compared with what was meant before anything is written. Writes are atomic (a temporary file in
the same folder, then `os.replace`): a failure leaves the old file byte-identical.

Only a few odd layouts (a flow-style list such as `questions: []`) fall back to a full round-trip dump, which keeps
comments and order but may re-space the file.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from quiz.errors import AuthoringError

FLOW_WIDTH = 100
"""A mapping or list of scalars is written on one line (`{ar: ..., en: ...}`) when it fits in this many columns."""

# Strings a YAML 1.1 reader (PyYAML, which the bank loader uses) would not read back as the same string.
_AMBIGUOUS = re.compile(
    r"^(?:[-+.0-9].*|~|=|<<|y|n|yes|no|on|off|true|false|null|\.inf|\.nan)$|^\s|\s$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Splice:
    """The outcome of adding items to a file's text: the new text and where the added block sits."""

    text: str
    first_line: int  # 1-based line of the first added line
    item_lines: tuple[int, ...]  # 1-based line of each added item's "- "
    block: str  # the added text itself (for previews)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    return yaml


# --- rendering -----------------------------------------------------------------------------------------------


_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _scalar(value: Any) -> Any:
    if isinstance(value, str) and _YEAR_MONTH.match(value):
        return value
    if isinstance(value, str) and (not value or _AMBIGUOUS.search(value) or "\n" in value):
        return DoubleQuotedScalarString(value)
    return value


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _flow_length(value: Any) -> int:
    if isinstance(value, Mapping):
        return 2 + sum(len(str(k)) + 4 + _flow_length(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return 2 + sum(_flow_length(v) + 2 for v in value)
    return len(str(value)) + 2


def _node(value: Any, key_width: int = 0) -> Any:
    """Plain data as ruamel nodes, choosing flow style for short mappings and lists of scalars."""
    if isinstance(value, Mapping):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = _node(item, len(str(key)))
        leaves = all(_is_scalar(v) or (isinstance(v, (list, tuple)) and all(map(_is_scalar, v)))
                     for v in value.values())
        if value and leaves and key_width + _flow_length(value) <= FLOW_WIDTH:
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
        return node
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq(_node(v) for v in value)
        if all(_is_scalar(v) for v in value) and key_width + _flow_length(value) <= FLOW_WIDTH:
            seq.fa.set_flow_style()
        else:
            seq.fa.set_block_style()
        return seq
    return _scalar(value)


def render_items(section: str, items: Sequence[Mapping[str, Any]], *, dash: int = 2,
                 blank_lines: bool = True) -> tuple[str, tuple[int, ...]]:
    """The items as the body of a block list under `section:` (that key line not included), each item's "- " at
    column `dash`; with `blank_lines`, a blank line before each item. Also the 0-based line of each item."""
    yaml = _yaml()
    yaml.indent(mapping=2, sequence=dash + 2, offset=dash)
    lines: list[str] = []
    starts: list[int] = []
    for item in items:
        node = _node(item)
        node.fa.set_block_style()  # an item of a section is always a block mapping
        buffer = io.StringIO()
        yaml.dump({section: [node]}, buffer)
        body = buffer.getvalue().splitlines()[1:]
        if blank_lines:
            lines.append("")
        starts.append(len(lines))
        lines.extend(body)
    return "\n".join(lines) + "\n", tuple(starts)


def render_file(
    sections: Mapping[str, Sequence[Mapping[str, Any]]], header: str = ""
) -> tuple[str, dict[str, tuple[int, ...]]]:
    """A new bank file: a comment header, then each non-empty section. Also the 1-based line of each item."""
    out = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) if header else ""
    lines: dict[str, tuple[int, ...]] = {}
    for section, items in sections.items():
        if not items:
            continue
        if out:
            out += "\n"
        key_line = out.count("\n") + 1
        body, starts = render_items(section, items, blank_lines=False)
        out += f"{section}:\n" + body
        lines[section] = tuple(key_line + 1 + s for s in starts)
    return out, lines


# --- splicing ------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def load_text(text: str, shown: str) -> Any:
    """Parse YAML text round-trip; a syntax error is an `AuthoringError` naming the line."""
    try:
        return _yaml().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise AuthoringError(f"YAML syntax error: {problem}; fix the file first", where=f"{shown}:{line}") from None


def append_items(text: str, section: str, items: Sequence[Mapping[str, Any]], *, shown: str = "the file") -> Splice:
    """`text` with `items` added at the end of its `section` list, every other byte unchanged."""
    if not items:
        return Splice(text, 0, (), "")
    data = load_text(text, shown)
    if data is not None and not isinstance(data, CommentedMap):
        raise AuthoringError("a bank file must be a mapping with keys sources, eras, events, questions",
                             where=f"{shown}:1")
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    current = data.get(section) if data is not None else None
    if data is not None and section in data and current is not None:
        if not isinstance(current, CommentedSeq):
            raise AuthoringError(f"'{section}' must be a list", where=f"{shown}:{data.lc.key(section)[0] + 1}")
        if not current or current.fa.flow_style():
            return _round_trip(data, section, items, shown)
        splice = _splice_into_list(lines, data, section, current, items)
    elif data is not None and section in data:  # `questions:` with nothing under it
        key_line = data.lc.key(section)[0]
        if lines[key_line].split("#", 1)[0].strip() != f"{section}:":
            return _round_trip(data, section, items, shown)
        body, starts = render_items(section, items, blank_lines=False)
        at = key_line + 1
        splice = _insert(lines, at, body, starts)
    else:
        body, starts = render_items(section, items, blank_lines=False)
        prefix = f"{section}:\n"
        if lines and lines[-1].strip():
            prefix = "\n" + prefix
        at = len(lines)
        extra = prefix.count("\n")
        splice = _insert(lines, at, prefix + body, tuple(s + extra for s in starts))
    if newline != "\n":  # keep the file's line endings
        block = splice.block.replace("\n", newline)
        at = splice.first_line - 1
        splice = Splice("".join(lines[:at]) + block + "".join(lines[at:]), splice.first_line, splice.item_lines, block)
    _verify(text, splice.text, section, items, shown)
    return splice


def _splice_into_list(lines: list[str], data: CommentedMap, section: str, current: CommentedSeq,
                      items: Sequence[Mapping[str, Any]]) -> Splice:
    first_line = current.lc.item(0)[0]
    raw = lines[first_line]
    dash = len(raw) - len(raw.lstrip(" "))
    if not raw.lstrip(" ").startswith("-"):
        dash = max(current.lc.item(0)[1] - 2, 0)
    blank = True
    if len(current) > 1:
        above = current.lc.item(1)[0] - 1
        while above > 0 and lines[above].lstrip().startswith("#"):
            above -= 1  # comments introducing the item
        blank = above >= 0 and not lines[above].strip()
    keys = list(data.keys())
    index = keys.index(section)
    if index + 1 < len(keys):
        at = data.lc.key(keys[index + 1])[0]
        # comments and blank lines just above the next key belong to it
        while at > first_line + 1 and (not lines[at - 1].strip() or lines[at - 1].startswith("#")):
            at -= 1
        body, starts = render_items(section, items, dash=dash, blank_lines=blank)
        trailer = "\n" if blank and at < len(lines) and lines[at].strip() else ""
        return _insert(lines, at, body + trailer, starts)
    at = len(lines)
    body, starts = render_items(section, items, dash=dash, blank_lines=blank)
    if blank and lines and not lines[-1].strip():
        body, starts = body[1:], tuple(s - 1 for s in starts)  # the file already ends with a blank line
    return _insert(lines, at, body, starts)


def _insert(lines: list[str], at: int, block: str, starts: tuple[int, ...]) -> Splice:
    text = "".join(lines[:at]) + block + "".join(lines[at:])
    return Splice(text, at + 1, tuple(at + 1 + s for s in starts), block)


def _round_trip(data: CommentedMap, section: str, items: Sequence[Mapping[str, Any]], shown: str) -> Splice:
    if data.get(section) is None:
        data[section] = CommentedSeq()
    seq = data[section]
    seq.fa.set_block_style()
    before = len(seq)
    for item in items:
        node = _node(item)
        node.fa.set_block_style()
        seq.append(node)
    yaml = _yaml()
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    text = buffer.getvalue()
    again = load_text(text, shown)
    item_lines = tuple(again[section].lc.item(i)[0] + 1 for i in range(before, before + len(items)))
    return Splice(text, item_lines[0], item_lines, text)


def _verify(old: str, new: str, section: str, items: Sequence[Mapping[str, Any]], shown: str) -> None:
    """The new text must read as the old data plus the items, exactly."""
    before = _plain(load_text(old, shown) or {})
    after = _plain(load_text(new, shown) or {})
    expected = dict(before)
    expected[section] = list(before.get(section) or []) + [_plain(item) for item in items]
    if after != expected:
        raise AuthoringError(f"could not add to {shown} without changing what is already there; "
                             "add the question by hand", where=shown)


# --- replacing (quiz import --update) ---------------------------------------------------------------------------


def section_items(text: str, section: str, *, shown: str = "the file") -> list[Any]:
    """The items of `section` as plain data (dicts, lists, strings), [] when there is none."""
    data = load_text(text, shown)
    current = data.get(section) if isinstance(data, CommentedMap) else None
    return [_plain(item) for item in current] if isinstance(current, CommentedSeq) else []


def item_spans(text: str, section: str, *, shown: str = "the file") -> list[tuple[int, int]]:
    """The 1-based first and (exclusive) last line of each item of a block list `section`; comments and blank
    lines between two items belong to the second."""
    data = load_text(text, shown)
    current = data.get(section) if isinstance(data, CommentedMap) else None
    if not isinstance(current, CommentedSeq) or not current or current.fa.flow_style():
        return []
    lines = text.splitlines()
    keys = list(data.keys())
    index = keys.index(section)
    stop = data.lc.key(keys[index + 1])[0] if index + 1 < len(keys) else len(lines)
    starts = [current.lc.item(i)[0] for i in range(len(current))]
    spans: list[tuple[int, int]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else stop
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        spans.append((start + 1, end + 1))
    return spans


def replace_items(text: str, section: str, items: Mapping[int, Mapping[str, Any]], *,
                  shown: str = "the file") -> str:
    """`text` with the items of `section` at the given indexes replaced by new ones, in place; every other line
    stays as it was (checked by parsing the result again)."""
    if not items:
        return text
    spans = item_spans(text, section, shown=shown)
    if not spans or max(items) >= len(spans):
        raise AuthoringError(f"could not update '{section}' in {shown}: it is not a block list; edit it by hand",
                             where=shown)
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    for index in sorted(items, reverse=True):
        start, end = spans[index]
        raw = lines[start - 1]
        dash = len(raw) - len(raw.lstrip(" "))
        body, _ = render_items(section, [items[index]], dash=dash, blank_lines=False)
        lines[start - 1:end - 1] = [line + newline for line in body.splitlines()]
    new = "".join(lines)
    if not text.endswith(("\n", "\r")):
        new = new.rstrip("\r\n")
    before = _plain(load_text(text, shown) or {})
    after = _plain(load_text(new, shown) or {})
    expected = dict(before)
    expected[section] = [_plain(items[i]) if i in items else item for i, item in enumerate(before[section])]
    if after != expected:
        raise AuthoringError(f"could not update {shown} in place without changing anything else; edit it by hand",
                             where=shown)
    return new


# --- writing -------------------------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once: a temporary file in the same folder, flushed, then `os.replace`.

    On any failure the temporary file is removed and `path` is left exactly as it was."""
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
