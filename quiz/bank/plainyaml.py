"""The fast path of `quiz.bank.reader`: a bank file written in the plain subset of YAML, read line by line.

Most bank files use a small part of YAML: block mappings and sequences indented with spaces, one entry a line,
keys that are plain words, and values that are plain scalars, quoted strings without escapes, or one-line flow
collections of such scalars (`{ar: ..., en: ...}`, `[a, b]`). `read_plain` reads such a file with a few regular
expressions (several times faster than composing libyaml's event stream in Python) into exactly what the full
reader builds: the same `Map` / `Seq` values, the same line of every collection, key and item, the same scalar
resolution (the reader's `_plain_tag` and `_scalar`).

It refuses (returns None) at the first thing outside that subset, and the reader then reads the file with the
full composer, so every problem (a syntax error, a duplicate key, a tag, an alias, a tab, a character YAML
refuses, a multi-line scalar, a document marker, ...) is reported as before, word for word. Refusing is always
safe; reading a file differently from the full reader is not, and `tests/test_plainyaml.py` holds the two equal.
"""

from __future__ import annotations

import re
from typing import Any

from quiz.bank.reader import _PLAIN_TAGS, _STR, Map, Seq, _plain_tag, _Reject, _scalar, typed_starts

# The bytes this reader leaves to the full one: ASCII controls but the line break (a tab, a carriage return,
# ...), a backslash (an escape between double quotes); and the lead bytes of the characters of more than one byte
# it leaves too, found by `_ODD` and `_ODD_CHARACTERS`: C1 controls and NEL, the line and paragraph separators,
# the byte-order mark, the non-characters U+FFFE / U+FFFF. Deleting every other byte leaves little to look at.
_LEADS = b"\xc2\xe2\xef"
_ODD_BYTES = bytes(range(0x20)).replace(b"\n", b"") + b"\x7f\\" + _LEADS
_OTHER_BYTES = bytes(byte for byte in range(256) if byte not in _ODD_BYTES)
_ODD = re.compile(rb"\xc2[\x80-\x9f]")
_ODD_CHARACTERS = (b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbb\xbf", b"\xef\xbf\xbe", b"\xef\xbf\xbf")

_KEY = r"[A-Za-z_][A-Za-z0-9_-]{0,99}"  # libyaml refuses a key of over 1024 characters: stay far below
# A plain scalar may not start with an indicator (a `-` only before a digit or a dot: -5, -.5), never holds `:` or
# `#` (so neither `key: value` nor a comment can hide in it), and ends on a character that is not a space. In a
# flow collection it holds none of `,[]{}` either. Quoted scalars are kept with their quotes (a `findall` gives
# "" for a group not taken, which must not be taken for an empty string); the text between the quotes is the
# value, as a file holding a backslash is refused (no escapes) and a `''` inside single quotes matches no line.
# A quoted scalar may run over a line break here (`[^"]*` is the fastest scan sre has): then the lines matched
# fall short of the file's and the file is refused, as when a line matches nothing.
_START = r"""(?:[^ \-?:,\[\]{}#&*!|>'"%@`\n]|-(?=[0-9.]))"""
_PLAIN = _START + r"(?:[^:#\n]*[^ :#\n])?"
_FLOW_PLAIN = _START + r"(?:[^:#,\[\]{}\n]*[^ :#,\[\]{}\n])?"
_QUOTED = r""""[^"]*"|'[^']*'"""
_FLOW_VALUE = rf"(?:{_QUOTED}|{_FLOW_PLAIN})"
_MAP_ENTRY = rf"{_KEY}: +{_FLOW_VALUE} *"
_FLOW = rf"\{{ *(?:{_MAP_ENTRY}(?:, *{_MAP_ENTRY})*)?\}}|\[ *(?:{_FLOW_VALUE} *(?:, *{_FLOW_VALUE} *)*)?\]"

# One line: indentation, an optional `- `, an optional `key:`, an optional value, an optional comment; every line
# of a file is matched once, or the file is refused. The most common mapping, a bilingual text written over three
# lines (`key:` then `ar: "..."` and `en: "..."` under it), is matched as one, and so is the one-line form
# `{ar: "...", en: "..."}`. Groups: indent, dash, key, then the value: `{` and the two texts of the one-line form,
# quoted, flow, plain; then for a text over three lines the indentation of its lines past `indent`, `ar`, `en`.
_LINES = re.compile(
    rf"^( *)(- +)?(?:({_KEY}):(?: +|$))?"
    r'(?:(\{)ar: "([^"]*)", en: "([^"]*)"\}|'
    rf"({_QUOTED})|({_FLOW})|({_PLAIN}))? *(?:(?<![^ \n])#.*)?"
    r'(?:\n\1( +)ar: "([^"]*)" *\n\1\10en: "([^"]*)" *)?$',
    re.MULTILINE,
)
_MAP_ENTRIES = re.compile(rf"({_KEY}): +(?:({_QUOTED})|({_FLOW_PLAIN}))")
_SEQ_ITEMS = re.compile(rf"({_QUOTED})|({_FLOW_PLAIN})")

_MAX_STACK = 16


class _Refuse(Exception):
    """The file is outside the subset: read it with the full composer."""


def read_plain(raw: bytes, text: str) -> Map | None:
    """The root mapping of `text` (the decoded `raw`), or None when the file is outside the plain subset."""
    odd = raw.translate(None, _OTHER_BYTES)
    if odd and (odd.translate(None, _LEADS) or _ODD.search(raw) or any(seq in raw for seq in _ODD_CHARACTERS)):
        return None
    try:
        root, lines = _read(_LINES.findall(text))
    except (_Refuse, _Reject):
        return None
    return root if lines == raw.count(b"\n") + 1 else None  # else a line is not of the subset


def _resolved(plain: str, line: int) -> Any:
    """A plain scalar as the full reader resolves it (text unless it may be a number, a boolean, a null, ...)."""
    if plain[0] not in _typed_starts():
        return plain
    tag = _PLAIN_TAGS.get(plain) or _plain_tag(plain)
    return plain if tag is _STR else _scalar(plain, tag, line)


_FLOWS: dict[str, tuple[tuple[str, ...] | None, Any]] = {}


def _flow(text: str, line: int) -> Map | Seq:
    """A flow collection on one line, of scalars only (`_FLOW` matched it). Short ones repeat (a source, tags):
    their keys and entries (immutable scalars) are kept for the next time."""
    known = _FLOWS.get(text)
    if known is not None:
        keys, values = known
        if keys is None:
            sequence = Seq(values)
            sequence.line = line
            sequence.item_lines = [line] * len(values)
            return sequence
        mapping = Map(values)  # a copy of the mapping's entries, in order
        mapping.line = line
        mapping.key_lines = dict.fromkeys(keys, line)
        return mapping
    value = _new_flow(text, line)
    if len(text) <= 80 and len(_FLOWS) < 20_000:
        _FLOWS[text] = (tuple(value), dict(value)) if isinstance(value, Map) else (None, tuple(value))
    return value


def _new_flow(text: str, line: int) -> Map | Seq:
    if text[0] == "{":
        mapping = Map()
        mapping.line = line
        mapping.key_lines = key_lines = {}
        str_keys = _STR_KEYS
        for key, quoted, plain in _MAP_ENTRIES.findall(text):
            if key not in str_keys:
                _check_key(key)
            if key in key_lines:
                raise _Refuse
            key_lines[key] = line
            mapping[key] = quoted[1:-1] if quoted else _resolved(plain, line)
        return mapping
    sequence = Seq(quoted[1:-1] if quoted else _resolved(plain, line) for quoted, plain in _SEQ_ITEMS.findall(text))
    sequence.line = line
    sequence.item_lines = [line] * len(sequence)
    return sequence


_STR_KEYS: set[str] = set()


def _check_key(key: str) -> None:
    """Refuse a plain key that YAML reads as something other than text (yes, no, on, null, ...)."""
    if _plain_tag(key) is not _STR:
        raise _Refuse
    if len(_STR_KEYS) < 10_000:
        _STR_KEYS.add(key)


class _Any:
    def __contains__(self, item: object) -> bool:
        return True


_TYPED: list[Any] = []


def _typed_starts() -> Any:
    """The first characters of plain scalars that PyYAML's resolver may read as something other than text."""
    if not _TYPED:
        _TYPED.append(typed_starts() or _Any())
    return _TYPED[0]


def _text(ar: str, en: str, ar_line: int, en_line: int) -> Map:
    """The mapping {ar: ..., en: ...} of a bilingual text."""
    text = Map(ar=ar, en=en)
    text.line = ar_line
    text.key_lines = {"ar": ar_line, "en": en_line}
    return text


def _read(lines: list[tuple[str, ...]]) -> tuple[Map | None, int]:
    """The root mapping of the lines `_LINES` found, and how many lines of the file they cover."""
    root: Map | None = None
    # Open block collections, innermost last: (container, column, is_mapping, key_lines or item_lines); the
    # innermost one is also held in the locals `container`, `column`, `is_map` and `inner`.
    stack: list[tuple[Any, int, bool, Any]] = []
    container: Any = None
    inner: Any = None
    is_map = True
    column = -1
    pending: str | None = None  # a key of `container` awaiting its value on the lines below
    str_keys = _STR_KEYS
    typed = _typed_starts()
    number = 0
    for indent, dash, key, brace, flow_ar, flow_en, quoted, flow, plain, under, ar, en in lines:
        number += 1
        if under:  # `key:` and a bilingual text on the two lines under it
            if not key or brace or quoted or flow or plain or len(under) <= len(dash):
                raise _Refuse
        elif not dash and not key:
            if quoted or flow or plain or brace:
                raise _Refuse  # a value alone on its line: the continuation of a scalar, or a scalar root
            continue  # a blank or comment line
        here = len(indent)
        if pending is not None:
            if here > column:  # the pending key's value: a collection indented under it
                if len(stack) >= _MAX_STACK:
                    raise _Refuse
                if dash:
                    value: Any = Seq()
                    value.item_lines = inner = []
                else:
                    value = Map()
                    value.key_lines = inner = {}
                value.line = number
                container[pending] = container = value
                is_map = not dash
                column = here
                stack.append((container, column, is_map, inner))
            elif here == column and dash:
                raise _Refuse  # a sequence at its key's column
            else:
                container[pending] = None  # `key:` and nothing under it
            pending = None
        if here != column:
            if not stack:
                if here or dash:
                    raise _Refuse  # the root is one block mapping at column 0
                root = container = Map()
                root.line = number
                root.key_lines = inner = {}
                is_map, column = True, 0
                stack.append((container, column, is_map, inner))
            else:
                while stack[-1][1] > here:
                    stack.pop()
                    if not stack:
                        raise _Refuse
                container, column, is_map, inner = stack[-1]
                if column != here:
                    raise _Refuse
        if dash:
            if is_map:
                raise _Refuse
            if not key:  # `- value`
                if quoted:
                    container.append(quoted[1:-1])
                elif plain:
                    container.append(plain if plain[0] not in typed else _resolved(plain, number))
                elif brace:
                    container.append(_text(flow_ar, flow_en, number, number))
                elif flow:
                    container.append(_flow(flow, number))
                else:
                    raise _Refuse  # `-` and the item on the lines below
                inner.append(number)
                continue
            # `- key: ...`: a mapping starts as the item
            if len(stack) >= _MAX_STACK:
                raise _Refuse
            item = Map()
            item.line = number
            container.append(item)
            inner.append(number)
            item.key_lines = inner = {}
            container, is_map = item, True
            column = here + len(dash)
            stack.append((container, column, is_map, inner))
        elif not is_map:
            raise _Refuse
        if key not in str_keys:
            _check_key(key)
        if key in inner:
            raise _Refuse  # the full reader names both lines
        inner[key] = number
        if quoted:
            container[key] = quoted[1:-1]
        elif plain:
            container[key] = plain if plain[0] not in typed else _resolved(plain, number)
        elif brace:
            container[key] = _text(flow_ar, flow_en, number, number)
        elif under:
            container[key] = _text(ar, en, number + 1, number + 2)
            number += 2
        elif flow:
            container[key] = _flow(flow, number)
        else:
            pending = key
    if pending is not None:
        container[pending] = None
    return root, number
