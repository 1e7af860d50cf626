"""Bank files as plain data with line numbers, parsed safely.

PyYAML's libyaml composer gives every node its position; we build plain values from the node graph
ourselves, so no YAML tag can ever construct an object, aliases cannot blow up, and every mapping knows the
line of each of its keys. This is PyYAML's only home module. Every problem is reported under a rule of
`quiz.bank.rules` (Q0xx).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiz.bank import rules as R
from quiz.bank.plain_values import _STD, Map, Seq, _Reject, _scalar
from quiz.errors import Problem

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 32
_DEEP_INDENT = re.compile(rb"^ {256,}\S", re.MULTILINE)
_DEEP_FLOW = re.compile(rb"[\[{]{64,}")


@dataclass(frozen=True, slots=True)
class ParsedFile:
    path: str
    data: Map | None
    problems: tuple[Problem, ...]


def parse_file(path: Path, shown: str) -> ParsedFile:
    """Read one bank file; every problem (encoding, syntax, unsafe content) comes back as a `Problem`."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return ParsedFile(shown, None, (too_large(shown, size),))
        raw = path.read_bytes()
    except OSError as exc:
        return _fail(R.UNREADABLE, shown, 0,
                     f"cannot read the file ({exc.strerror or exc}); check that it exists and is readable")
    return parse_bytes(raw, shown)


def too_large(shown: str, size: int) -> Problem:
    """The problem reported for a file over `MAX_FILE_BYTES` (checked before reading it)."""
    return R.UNREADABLE.problem(shown, 1, f"file is {size // (1024 * 1024)} MiB, larger than the 32 MiB a bank "
                                "file may be; split it into several files")


def parse_bytes(raw: bytes, shown: str) -> ParsedFile:
    if len(raw) > MAX_FILE_BYTES:
        return ParsedFile(shown, None, (too_large(shown, len(raw)),))
    problems: list[Problem] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(R.BYTE_ORDER_MARK.problem(shown, 1, "file starts with a UTF-8 byte-order mark; it was "
                                                  "ignored, but save the file as UTF-8 without BOM"))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return _fail(R.UNREADABLE, shown, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                     problems)
    if not text or text.isspace():  # (not `text.strip()`: that copies the whole text)
        problems.append(R.EMPTY_FILE.problem(shown, 1, "file is empty; add eras, events or questions, or delete it"))
        return ParsedFile(shown, None, tuple(problems))
    if b"\x00" in raw:
        line = text[: text.index("\x00")].count("\n") + 1
        return _fail(R.UNREADABLE, shown, line, "file contains a NUL character; it is not a text file", problems)
    deep = _deep_at(raw)
    if deep >= 0:
        line = raw[:deep].count(b"\n") + 1
        return _fail(R.UNSAFE_YAML, shown, line,
                     f"nesting is deeper than {MAX_DEPTH} levels; bank files are shallow lists "
                     "of mappings", problems)
    from quiz.bank.plainyaml import read_plain

    plain = read_plain(raw, text)  # most files: the fast path; anything unusual is read by `_compose` below
    if plain is not None:
        return ParsedFile(shown, plain, tuple(problems))
    import yaml

    try:
        root = _compose(text, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except _TooDeep as exc:
        return _fail(R.UNSAFE_YAML, shown, exc.line,
                     f"nesting is deeper than {MAX_DEPTH} levels; bank files are shallow lists "
                     "of mappings", problems)
    except _Reject as exc:
        return _fail(R.UNSAFE_YAML, shown, exc.line, exc.message, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        return _fail(R.YAML_SYNTAX, shown, line,
                     f"YAML syntax error: {what}; check indentation, colons and quotes near here",
                     problems)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (a control character): one line, its line
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return _fail(R.YAML_SYNTAX, shown, line,
                     f"character {char} is not allowed in YAML ({exc.reason}); remove it", problems)
    except yaml.YAMLError as exc:
        return _fail(R.YAML_SYNTAX, shown, 1, f"YAML syntax error: {' '.join(str(exc).split())}", problems)
    if root is None or (root[2] == _STD + "null"):  # no document, or `---` / `~` alone
        problems.append(R.EMPTY_FILE.problem(shown, 1, "file is empty; add eras, events or questions, or delete it"))
        return ParsedFile(shown, None, tuple(problems))
    data, line, _ = root
    if not isinstance(data, Map):
        return _fail(R.NOT_A_MAPPING, shown, line,
                     "a bank file must be a mapping with keys sources, eras, events, questions",
                     problems)
    return ParsedFile(shown, data, tuple(problems))


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _compose(text: str, loader_class: Any) -> tuple[Any, int, str] | None:
    """The first document of `text` as plain values: (value, line, tag) of its root, or None when there is none.

    One pass over libyaml's event stream with an explicit stack, instead of `yaml.compose` and a walk over its
    node graph: several times faster (no node objects, no Python resolver call per scalar), and safe at any
    depth, since nothing recurses (libyaml's own composer recurses in C without a limit, so a few thousand
    `[` crash the interpreter). What the composer and the walk did, in the same order of precedence:

    - nesting deeper than `MAX_DEPTH` collections: `_TooDeep` at once, at the line of the collection too many
      (before a syntax error further on, as the depth was measured on the event stream first);
    - any syntax error of the whole stream (every document is parsed, as before);
    - the composer's errors (undefined alias, duplicate anchor, a second document): its `ComposerError`;
    - then the first value refused (`_Reject`): an alias of a collection, a tag that is not plain data, a merge
      key, a key twice in one mapping. An alias of a scalar repeats its value, as the walk over nodes did.
    """
    import yaml

    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, map_end = yaml.MappingStartEvent, yaml.MappingEndEvent
    seq_start, seq_end = yaml.SequenceStartEvent, yaml.SequenceEndEvent
    doc_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
    resolve = _plain_tag
    parser = loader_class(text)
    try:
        get = parser.get_event
        get()  # StreamStartEvent
        event = get()
        if event.__class__ is stream_end:
            return None
        root: tuple[Any, int, str] | None = None
        root_mark = None
        depth = 0
        composer_error: Exception | None = None
        reject: _Reject | None = None
        anchors: dict[str, tuple[Any, int, bool]] = {}
        # Open collections: [container, is_mapping, a mapping's pending key (_NO_KEY while a key is awaited), the
        # key's line, the collection's line, its key_lines or item_lines].
        stack: list[list[Any]] = []
        container: Any
        lines: Any
        building = True  # False once the first document is done: later events are only checked
        tags = _PLAIN_TAGS
        while True:
            event = get()
            cls = event.__class__
            if cls is scalar_event and stack and event.tag is None and event.anchor is None:
                # The common case, inline: plain data inside a collection, resolved to a string.
                value = event.value
                if event.implicit[0]:
                    tag = tags.get(value) or resolve(value)
                    if tag is not _STR:
                        cls = _GENERAL
                if cls is scalar_event:
                    frame = stack[-1]
                    if not frame[1]:
                        frame[0].append(value)
                        frame[5].append(event.start_mark.line + 1)
                    elif frame[2] is _NO_KEY:
                        line = event.start_mark.line + 1
                        if value in frame[5] and reject is None:
                            reject = _Reject(line, f"key {value!r} appears twice in the same mapping "
                                             f"(first at line {frame[5][value]}); keep one")
                        frame[2] = value
                        frame[3] = line
                    else:
                        key = frame[2]
                        if key not in frame[5]:
                            frame[0][key] = value
                            frame[5][key] = frame[3]
                        frame[2] = _NO_KEY
                    continue
                cls = scalar_event
            elif cls is map_start or cls is seq_start:
                if building and event.tag is None and event.anchor is None:  # inline too: a plain collection
                    depth += 1
                    line = event.start_mark.line + 1
                    if depth > MAX_DEPTH:
                        raise _TooDeep(line)
                    if cls is map_start:
                        container = Map()
                        container.key_lines = lines = {}
                    else:
                        container = Seq()
                        container.item_lines = lines = []
                    container.line = line
                    if not stack:
                        root_mark = event.start_mark
                    stack.append([container, cls is map_start, _NO_KEY, 0, line, lines])
                    continue
            elif cls is map_end or cls is seq_end:
                if building and len(stack) > 1 and (not stack[-2][1] or stack[-2][2] is not _NO_KEY):
                    depth -= 1  # a collection done, as an item or a mapping's value
                    frame = stack.pop()
                    parent = stack[-1]
                    if parent[1]:
                        key = parent[2]
                        if key not in parent[5]:
                            parent[0][key] = frame[0]
                            parent[5][key] = parent[3]
                        parent[2] = _NO_KEY
                    else:
                        parent[0].append(frame[0])
                        parent[5].append(frame[4])
                    continue
            if not building and (cls is scalar_event or cls is alias_event):
                continue
            if cls is scalar_event or cls is alias_event:
                line = event.start_mark.line + 1
                if cls is alias_event:
                    found = anchors.get(event.anchor)
                    if found is None:
                        if composer_error is None:
                            composer_error = yaml.composer.ComposerError(
                                None, None, "found undefined alias", event.start_mark)
                        value, tag = None, _STD + "null"
                    else:
                        value, line, is_collection = found
                        tag = ""
                        if is_collection and reject is None:
                            reject = _Reject(line, "YAML anchors and aliases (&name / *name) are not supported; "
                                             "write the value out")
                        if not is_collection:
                            value, tag = value
                else:
                    tag = event.tag
                    if tag is None or tag == "!":
                        tag = resolve(event.value) if event.implicit[0] else _STR
                    if stack and stack[-1][1] and stack[-1][2] is _NO_KEY and tag == _STD + "merge":
                        if reject is None:
                            reject = _Reject(line, "YAML merge keys (<<) are not supported; write the keys out")
                        value = None
                    else:
                        try:
                            value = _scalar(event.value, tag, line)
                        except _Reject as exc:
                            if reject is None:
                                reject = exc
                            value = None
                    if event.anchor is not None:
                        if event.anchor in anchors:
                            if composer_error is None:
                                composer_error = _duplicate_anchor(yaml, anchors, event)
                        else:
                            anchors[event.anchor] = ((value, tag), line, False)
                if not stack:
                    root, root_mark = (value, line, tag), event.start_mark
                    building = False
                    continue
                reject = _place(stack[-1], value, line, reject)
            elif cls is map_start or cls is seq_start:
                depth += 1
                line = event.start_mark.line + 1
                if depth > MAX_DEPTH:
                    raise _TooDeep(line)
                if not building:
                    continue
                tag = event.tag
                is_map = cls is map_start
                if tag is not None and tag != "!" and tag != (_MAP if is_map else _SEQ) and reject is None:
                    reject = _Reject(line, f"YAML tag {tag!r} is not allowed; bank files hold plain data")
                container = Map() if is_map else Seq()
                container.line = line
                lines = {} if is_map else []
                if is_map:
                    container.key_lines = lines
                else:
                    container.item_lines = lines
                if event.anchor is not None:
                    if event.anchor in anchors:
                        if composer_error is None:
                            composer_error = _duplicate_anchor(yaml, anchors, event)
                    else:
                        anchors[event.anchor] = (container, line, True)
                if not stack:
                    root_mark = event.start_mark
                stack.append([container, is_map, _NO_KEY, 0, line, lines])
            elif cls is map_end or cls is seq_end:
                depth -= 1
                if not building:
                    continue
                frame = stack.pop()
                value = frame[0]
                if not stack:
                    root = (value, frame[4], _MAP if frame[1] else _SEQ)
                    building = False
                    continue
                reject = _place(stack[-1], value, frame[4], reject)
            elif cls is doc_start:
                if composer_error is None:
                    composer_error = yaml.composer.ComposerError(
                        "expected a single document in the stream", root_mark, "but found another document",
                        event.start_mark)
            elif cls is stream_end:
                break
        if composer_error is not None:
            raise composer_error
        if reject is not None:
            raise reject
        return root
    finally:
        parser.dispose()


_NO_KEY = object()
_GENERAL = object()
_STR = _STD + "str"
_MAP = _STD + "map"
_SEQ = _STD + "seq"


def _place(frame: list[Any], value: Any, line: int, reject: _Reject | None) -> _Reject | None:
    """Put a finished value into the open collection `frame`: an item, a mapping's key, or its value."""
    container = frame[0]
    if not frame[1]:
        container.append(value)
        container.item_lines.append(line)
        return reject
    if frame[2] is _NO_KEY:
        key = value if isinstance(value, str) else str(value)
        if key in container or key in container.key_lines:
            if reject is None:
                reject = _Reject(line, f"key {key!r} appears twice in the same mapping "
                                 f"(first at line {container.key_lines[key]}); keep one")
        frame[2], frame[3] = key, line
        return reject
    key = frame[2]
    if key not in container.key_lines:
        container[key] = value
        container.key_lines[key] = frame[3]
    frame[2] = _NO_KEY
    return reject


def _duplicate_anchor(yaml: Any, anchors: dict[str, tuple[Any, int, bool]], event: Any) -> Exception:
    # libyaml's composer says this (its first mark is the first node's; only the problem's is ever shown).
    return yaml.composer.ComposerError("found duplicate anchor; first occurrence", None, "second occurrence",
                                       event.start_mark)


_PLAIN_TAGS: dict[str, str] = {}


def _plain_tag(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar (bool, int, float, null, timestamp, merge, value or str)."""
    tag = _PLAIN_TAGS.get(value)
    if tag is None:
        from yaml.resolver import Resolver

        resolvers = Resolver.yaml_implicit_resolvers
        tag = _STR
        for candidate, regexp in resolvers.get(value[:1] if value else "", []) + resolvers.get(None, []):
            if regexp.match(value):
                tag = candidate
                break
        if len(value) <= 40 and len(_PLAIN_TAGS) < 50_000:  # keys and short values repeat; prose does not
            _PLAIN_TAGS[value] = tag
    return tag


def typed_starts() -> frozenset[str] | None:
    """The first characters of the plain scalars `_plain_tag` may resolve to other than text (None: any)."""
    from yaml.resolver import Resolver

    resolvers = Resolver.yaml_implicit_resolvers
    return None if resolvers.get(None) else frozenset(start for start in resolvers if start)


def _deep_at(raw: bytes) -> int:
    """Where `_DEEP_INDENT` or `_DEEP_FLOW` first matches, or -1; the regexes run only where a quick scan says
    they can match (256 spaces in a row, 64 brackets in a row), so a large valid file is scanned in C only."""
    if b" " * 256 in raw:
        match = _DEEP_INDENT.search(raw)
        if match:
            return match.start()
    run = raw.translate(_BRACKETS).find(b"[" * 64)
    if run >= 0:
        match = _DEEP_FLOW.search(raw)
        if match:
            return match.start()
    return -1


_BRACKETS = bytes(0x5B if byte in b"[{" else 0x20 for byte in range(256))


def _fail(rule: R.Rule, shown: str, line: int, message: str, before: list[Problem] | None = None) -> ParsedFile:
    return ParsedFile(shown, None, (*(before or []), rule.problem(shown, line, message)))
