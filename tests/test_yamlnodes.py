"""The YAML layer under hostile input: anything at all comes back as problems, never as an exception (only a
`QuizError` may leave the loader), never as executed code, a hang or a crash."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import bank_header
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.bank import LoadResult, build_bank, load_bank
from quiz.bank.reader import MAX_DEPTH, MAX_FILE_BYTES, Map, ParsedFile, Seq, parse_bytes, parse_file
from quiz.errors import QuizError
from quiz.model import Bank

HEADER = bank_header(eras=("middle", "late")).encode()

DEEP = f"f.yaml:1: nesting is deeper than {MAX_DEPTH} levels; bank files are shallow lists of mappings"


def problems(parsed: ParsedFile | LoadResult) -> list[str]:
    return [str(p) for p in parsed.problems]


def safely_built(raw: bytes) -> LoadResult | None:
    """`build_bank` on one file beside a valid header; a QuizError is allowed out, nothing else."""
    try:
        result = build_bank([("header.yaml", HEADER), ("f.yaml", raw)])
    except QuizError:
        return None
    assert isinstance(result.bank, Bank)
    for problem in result.problems:
        assert problem.path in ("header.yaml", "f.yaml") and problem.line >= 0 and problem.message
        assert problem.severity in ("error", "warning")
    assert not [p for p in result.problems if p.path == "header.yaml"]
    return result


def safely_parsed(raw: bytes) -> ParsedFile | None:
    try:
        parsed = parse_bytes(raw, "f.yaml")
    except QuizError:
        return None
    assert parsed.data is None or isinstance(parsed.data, Map)
    assert parsed.data is not None or any(p.severity == "error" for p in parsed.problems) or parsed.problems
    return parsed


# --- Hypothesis: anything in, problems out --------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    safely_parsed(text.encode("utf-8"))
    safely_built(text.encode("utf-8"))


@settings(max_examples=150, deadline=None)
@given(st.binary())
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    safely_parsed(raw)
    safely_built(raw)


YAMLISH = st.sampled_from(list("-:[]{},&*!|>?#'\"%@` \n\t") + ["- ", ": ", "\n  ", "\n- ", "!!str ", "&a ", "*a",
                                                                 "<<: ", "---\n", "...\n", "\ufeff", "\x85"])


@settings(max_examples=150, deadline=None)
@given(st.lists(YAMLISH | st.text(max_size=4), max_size=60).map("".join))
def test_yaml_punctuation_soup_never_raises(text: str) -> None:
    safely_parsed(text.encode("utf-8"))
    safely_built(text.encode("utf-8"))


KEYS = st.sampled_from([
    "id", "kind", "era", "date", "title", "detail", "source", "doc", "para", "prompt", "answer", "accept",
    "choices", "items", "year", "tolerance", "explanation", "tags", "draft", "generate", "ar", "en", "start",
    "end", "sources", "eras", "events", "questions", "author", "published", "file",
])
SCALARS = (
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.integers() | st.floats(allow_nan=True)
    | st.sampled_from(["middle", "late", "doc", "choice", "typed", "truefalse", "order", "cloze", "card", "x-1",
                       "1950", "1950-02-30", "1950-13", "{{blank}}", "gen-x", "intro", ""])
    | st.text(max_size=12)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS | st.text(max_size=5), inner, max_size=6),
    max_leaves=12,
)
ITEM = st.dictionaries(KEYS, VALUES, max_size=10)
DOCUMENT = st.dictionaries(
    st.sampled_from(["sources", "eras", "events", "questions"]) | KEYS,
    st.lists(ITEM, max_size=4) | VALUES,
    max_size=4,
)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
def test_arbitrary_bank_shaped_data_never_raises(document: dict[str, Any]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    result = safely_built(text.encode("utf-8"))
    assert result is not None


VALID_FILE = textwrap.dedent("""\
    events:
      - id: ev-a
        date: 1950-06-25
        era: middle
        title: {ar: الحدث الأول, en: the first event}
        detail: {ar: تفصيل, en: Detail.}
        source: {doc: doc, era: middle, para: 1}
        tags: [war]
      - id: ev-b
        date: 1962
        era: middle
        title: {ar: الحدث الثاني, en: the second event}
        source: {doc: doc}
        generate: false
    questions:
      - id: q-choice
        kind: choice
        era: middle
        prompt: {ar: أي؟, en: Which?}
        answer: {ar: ب, en: B}
        choices:
          - {ar: أ, en: A}
          - {ar: ب, en: B}
        explanation: {ar: شرح, en: Because.}
        source: {doc: doc, para: 2}
      - id: q-typed
        kind: typed
        era: late
        prompt: {ar: متى؟, en: When?}
        answer: {ar: "1975", en: "1975"}
        tolerance: 1
        accept: {ar: ["١٩٧٥"], en: [nineteen seventy-five]}
        explanation: {ar: شرح, en: Because.}
      - id: q-order
        kind: order
        era: middle
        items:
          - {ar: أ, en: A, year: 1941}
          - {ar: ب, en: B, year: 1950}
      - id: q-cloze
        kind: cloze
        era: middle
        prompt: {ar: "كلمة {{ناقصة}}", en: "a {{missing}} word"}
        accept: {en: [absent]}
      - id: q-tf
        kind: truefalse
        era: late
        prompt: {ar: عبارة, en: A statement}
        answer: false
        draft: true
    """)
VALID_LINES = VALID_FILE.splitlines(keepends=True)


def test_the_valid_file_is_valid() -> None:
    result = safely_built(VALID_FILE.encode())
    assert result is not None and result.errors == ()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, len(VALID_LINES) - 1), max_size=len(VALID_LINES) + 5),
       st.integers(0, len(VALID_FILE)), st.sampled_from(["", " ", "  ", "- ", ":", "x", "\n", "{", "]", "'"]))
def test_mangled_bank_files_never_raise(lines: list[int], cut: int, junk: str) -> None:
    """Lines of a valid file dropped, repeated and shuffled, and junk spliced in, as an editor might leave it."""
    safely_built("".join(VALID_LINES[i] for i in lines).encode())
    safely_built((VALID_FILE[:cut] + junk + VALID_FILE[cut:]).encode())


# --- specific hostile files -----------------------------------------------------------------------------------


def test_not_utf8_names_the_line_and_the_byte() -> None:
    parsed = parse_bytes(b"eras:\n  - id: x\n    title: {en: caf\xe9}\n", "f.yaml")
    assert parsed.data is None
    assert problems(parsed) == ["f.yaml:3: not UTF-8 text (byte 0xe9); save the file as UTF-8"]


def test_utf16_is_not_utf8() -> None:
    parsed = parse_bytes("eras: []\n".encode("utf-16"), "f.yaml")
    assert problems(parsed) == ["f.yaml:1: not UTF-8 text (byte 0xff); save the file as UTF-8"]


def test_a_byte_order_mark_is_a_warning_and_the_file_still_loads() -> None:
    result = safely_built(b"\xef\xbb\xbf" + VALID_FILE.encode())
    assert result is not None and result.errors == ()
    assert problems(result)[0] == (
        "f.yaml:1: warning: file starts with a UTF-8 byte-order mark; it was ignored, but save the file as UTF-8 "
        "without BOM"
    )
    plain = safely_built(VALID_FILE.encode())
    assert plain is not None and plain.bank == result.bank
    assert result.bank.question("q-choice") is not None


@pytest.mark.parametrize("raw", [b"", b"\n\n", b"# only a comment\n", b"   \n", b"---\n", b"~\n"])
def test_an_empty_file_is_a_warning(raw: bytes) -> None:
    parsed = parse_bytes(raw, "f.yaml")
    assert problems(parsed) == ["f.yaml:1: warning: file is empty; add eras, events or questions, or delete it"]
    result = safely_built(raw)
    assert result is not None and result.errors == ()


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    raw = f"eras: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    parsed = parse_bytes(raw, "f.yaml")
    assert problems(parsed) == [
        "f.yaml:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; bank files hold "
        "plain data",
    ]
    result = safely_built(raw)
    assert result is not None and len(result.errors) == 1
    top = f"!!python/object/apply:os.system ['touch {marker}']\n".encode()
    assert safely_built(top) is not None
    assert not marker.exists()


@pytest.mark.parametrize("raw,line", [
    (b"a: !!binary aGk=\n", 1),
    (b"a: !!set {x, y}\n", 1),
    (b"a:\n  b: !custom thing\n", 2),
    (b"a: !!python/name:os.system\n", 1),
])
def test_other_tags_are_refused(raw: bytes, line: int) -> None:
    parsed = parse_bytes(raw, "f.yaml")
    assert parsed.data is None
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert problem.line == line and problem.message.endswith("is not allowed; bank files hold plain data")


def test_anchors_and_aliases_are_refused() -> None:
    raw = b"eras:\n  - &era {id: x, start: 1, end: 2, title: {en: X}}\n  - *era\n"
    assert problems(parse_bytes(raw, "f.yaml")) == [
        "f.yaml:2: YAML anchors and aliases (&name / *name) are not supported; write the value out",
    ]
    merge = b"base: &b {id: x}\nother:\n  <<: *b\n"
    assert problems(parse_bytes(merge, "f.yaml")) == [
        "f.yaml:3: YAML merge keys (<<) are not supported; write the keys out",
    ]


def test_a_billion_laughs_is_refused_without_expanding() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    raw = ("\n".join(lines) + "\n").encode()
    parsed = parse_bytes(raw, "f.yaml")
    assert parsed.data is None
    assert [p.message for p in parsed.problems] == [
        "YAML anchors and aliases (&name / *name) are not supported; write the value out",
    ]
    assert safely_built(raw) is not None


def test_ten_thousand_open_brackets() -> None:
    assert problems(parse_bytes(b"[" * 10_000, "f.yaml")) == [DEEP]
    assert problems(parse_bytes(b"a: " + b"{" * 10_000, "f.yaml")) == [DEEP]


# libyaml's composer recurses in C: these inputs used to kill the interpreter with a segmentation fault, so they
# run in a child process (a regression fails this test instead of ending the whole test run).
CRASHERS = {
    "spaced brackets": "b'a: ' + b'[ ' * 100_000 + b'1' + b' ]' * 100_000",
    "spaced braces": "b'a: ' + b'{a: ' * 50_000 + b'1' + b'}' * 50_000",
    "dashes on one line": "b'a:\\n  ' + b'- ' * 100_000 + b'1\\n'",
    "complex keys": "b'? ' * 100_000 + b'a\\n'",
}


@pytest.mark.parametrize("name", list(CRASHERS))
def test_deep_nesting_is_refused_without_crashing(name: str) -> None:
    code = textwrap.dedent(f"""\
        from quiz.bank import build_bank
        from quiz.bank.reader import parse_bytes
        raw = {CRASHERS[name]}
        print([str(p) for p in parse_bytes(raw, "f.yaml").problems])
        print([p.code or p.message.split(' ')[0] for p in build_bank([("f.yaml", raw)]).problems])
        """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    first, second = done.stdout.splitlines()
    assert DEEP.split(":", 2)[2].strip() in first
    assert second == "['nesting']"


def test_deeply_indented_blocks() -> None:
    nested = "".join(f"{'  ' * level}k{level}:\n" for level in range(40)) + "  " * 40 + "v\n"
    parsed = parse_bytes(nested.encode(), "f.yaml")
    assert problems(parsed) == [DEEP.replace("f.yaml:1:", f"f.yaml:{MAX_DEPTH + 1}:")]
    far = b"a:\n" + b" " * 300 + b"b: 1\n"
    assert problems(parse_bytes(far, "f.yaml")) == [DEEP.replace("f.yaml:1:", "f.yaml:2:")]
    shallow = "".join(f"{'  ' * level}k{level}:\n" for level in range(20)) + "  " * 20 + "v\n"
    assert parse_bytes(shallow.encode(), "f.yaml").problems == ()


def test_duplicate_keys_name_the_first_line() -> None:
    raw = textwrap.dedent("""\
        events:
          - id: ev-a
            title: {ar: أ, en: A}
            date: 1950
            title: {ar: ب, en: B}
        """).encode()
    assert problems(parse_bytes(raw, "f.yaml")) == [
        "f.yaml:5: key 'title' appears twice in the same mapping (first at line 3); keep one",
    ]
    assert problems(parse_bytes(b"a: 1\n'a': 2\n", "f.yaml")) == [
        "f.yaml:2: key 'a' appears twice in the same mapping (first at line 1); keep one",
    ]


def test_a_nul_byte() -> None:
    assert problems(parse_bytes(b"eras: []\nevents: [\x00]\n", "f.yaml")) == [
        "f.yaml:2: file contains a NUL character; it is not a text file",
    ]


def test_a_file_over_32_mib_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.truncate(33 * 1024 * 1024)  # sparse: takes no disk space
    assert big.stat().st_size > MAX_FILE_BYTES
    message = "file is 33 MiB, larger than the 32 MiB a bank file may be; split it into several files"
    assert problems(parse_file(big, "big.yaml")) == [f"big.yaml:1: {message}"]

    def no_reading(self: Path) -> bytes:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.chdir(tmp_path)
    result = load_bank([Path("big.yaml")], builtin=False)
    assert problems(result) == [f"big.yaml:1: {message}"]


def test_a_file_just_under_the_limit_is_read(tmp_path: Path) -> None:
    edge = tmp_path / "edge.yaml"
    edge.write_bytes(b"# " + b"x" * (MAX_FILE_BYTES - 3) + b"\n")
    assert edge.stat().st_size == MAX_FILE_BYTES
    assert problems(parse_file(edge, "edge.yaml")) == [
        "edge.yaml:1: warning: file is empty; add eras, events or questions, or delete it",
    ]


def test_an_unreadable_path_is_a_problem(tmp_path: Path) -> None:
    parsed = parse_file(tmp_path, "folder.yaml")
    assert parsed.data is None and len(parsed.problems) == 1
    assert parsed.problems[0].message.startswith("cannot read the file (")


@pytest.mark.parametrize("raw", [
    b"events:\n  - id: e\n    era: middle\n    date: 0x" + b"f" * 5000 + b"\n",  # an int too long to print
    b"eras:\n  - id: x\n    end: 1\n    start: 0x" + b"f" * 5000 + b"\n",
    b"questions:\n  - id: 0x" + b"f" * 5000 + b"\n",
    b"events:\n  - date: 1" + b"0" * 5000 + b"\n",
])
def test_huge_numbers_are_problems_not_crashes(raw: bytes) -> None:
    result = safely_built(raw)
    assert result is not None and result.errors


@pytest.mark.parametrize("raw", [
    b"a: 1\n---\nb: 2\n",  # two documents
    b"- just\n- a list\n",
    b"just text\n",
    b"a: 'unterminated\n",
    b"a: \"\\ud800\"\n",  # a lone surrogate escape
    b"\t- tab: indented\n",
])
def test_files_that_are_not_one_mapping(raw: bytes) -> None:
    parsed = parse_bytes(raw, "f.yaml")
    assert parsed.data is None
    assert [p.severity for p in parsed.problems] == ["error"]


def test_lines_are_one_based_and_follow_keys_and_items() -> None:
    parsed = parse_bytes(b"# c\nevents:\n  - id: a\n    date: 1950\n\n  - id: b\n", "f.yaml")
    data = parsed.data
    assert data is not None and parsed.problems == ()
    assert data.line_of("events") == 2
    events = data["events"]
    assert isinstance(events, Seq) and events.item_lines == [3, 6]
    first = events[0]
    assert isinstance(first, Map) and first.line == 3 and first.line_of("date") == 4
    assert first == {"id": "a", "date": 1950}


def test_scalars_are_plain_values() -> None:
    parsed = parse_bytes(b"a: 1957-10-04\nb: 1957\nc: true\nd: ~\ne: '1957'\nf: 1.5\ng: 0x1F\n", "f.yaml")
    assert parsed.data == {"a": "1957-10-04", "b": 1957, "c": True, "d": None, "e": "1957", "f": 1.5, "g": 31}
