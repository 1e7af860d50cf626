"""The fast path of the bank reader (`quiz.bank.plainyaml`) against the full composer (`reader._compose`), its
reference: whatever file the fast path reads, it reads into exactly what the composer builds (the same values of
the same types, the same line of every collection, key and item, the same key order), and `parse_bytes` gives
the same result, problems included, with the fast path as without it."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quiz.bank import plainyaml, reader
from quiz.bank.reader import Map, Seq, parse_bytes

ROOT = Path(__file__).resolve().parent.parent
BENCH_BANK = ROOT / "bench" / "data" / "bank"  # built by bench/run.py (not in git)


def shape(value: Any) -> Any:
    """Everything the bank reader's callers can see of a value: types, values, order and lines."""
    if isinstance(value, Map):
        assert type(value) is Map
        return ("map", value.line, [(key, value.key_lines[key], shape(item)) for key, item in value.items()],
                list(value.key_lines.items()))
    if isinstance(value, Seq):
        assert type(value) is Seq
        return ("seq", value.line, [shape(item) for item in value], list(value.item_lines))
    return (type(value).__name__, value)


def composed(text: str) -> Any:
    """The reference: the full composer's root, or the exception it raises."""
    try:
        root = reader._compose(text, yaml.CSafeLoader)
    except Exception as exc:  # noqa: BLE001 - any refusal is a result to compare
        return exc
    return root


def reference_parse(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> reader.ParsedFile:
    with monkeypatch.context() as patch:
        patch.setattr(plainyaml, "read_plain", lambda raw, text: None)
        return parse_bytes(raw, "f.yaml")


def check(raw: bytes) -> bool:
    """The fast path agrees with the composer on `raw`; True when it read the file (did not refuse it)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    fast = plainyaml.read_plain(raw, text)
    if fast is None:
        return False
    root = composed(text)
    assert not isinstance(root, Exception), f"the fast path read a file the composer refuses: {root!r}"
    assert root is not None
    value, line, _ = root
    assert isinstance(value, Map) and line == fast.line
    assert shape(fast) == shape(value)
    return True


def same_parse(raw: bytes) -> None:
    """`parse_bytes` with the fast path gives what it gives without it (data and problems)."""
    with pytest.MonkeyPatch.context() as patch:
        old = reference_parse(raw, patch)
    new = parse_bytes(raw, "f.yaml")
    assert [str(p) for p in new.problems] == [str(p) for p in old.problems]
    assert [p.code for p in new.problems] == [p.code for p in old.problems]
    assert (new.data is None) == (old.data is None)
    if new.data is not None:
        assert shape(new.data) == shape(old.data)


# --- every bank file there is ---------------------------------------------------------------------------------


def bank_files() -> list[Path]:
    # not bench/data (the 100k benchmark bank, when generated, has its own slow test), nor .git or a venv
    return [p for p in sorted(ROOT.rglob("*.yaml"))
            if not {".git", ".venv"}.intersection(p.parts) and p.relative_to(ROOT).parts[:2] != ("bench", "data")]


@pytest.mark.parametrize("path", bank_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_of_the_project(path: Path) -> None:
    raw = path.read_bytes()
    check(raw)
    same_parse(raw)


def test_the_built_in_bank_takes_the_fast_path() -> None:
    files = sorted((ROOT / "questions").glob("*.yaml"))
    assert files and all(check(p.read_bytes()) for p in files)


@pytest.mark.slow
@pytest.mark.skipif(not BENCH_BANK.is_dir(), reason="the 100k bench bank is not here")
def test_a_few_files_of_the_100k_bench_bank() -> None:
    files = sorted(BENCH_BANK.glob("*.yaml"))
    for path in files[:3] + files[-2:]:
        assert check(path.read_bytes())


# --- files written by hand: in the subset, at its edges, and just outside it -----------------------------------

CASES = [
    "a: 1\n",
    "a: 1",
    "# c\n\na: x\n",
    "a:\n  b: 1\n  c:\n    - x\n    - 'y'\n    - \"z\"\nd: ~\n",
    "a:\n- x\n",  # a sequence at its key's column: refused (the composer reads it)
    "a:\n  - b: 1\n    c: 2\n  - d: 3\n",
    "a:\n  -   b: 1\n      c: 2\n",
    "a: {x: 1, y: \"two\", z: 'three'}\nb: [1, two, \"3\", '4']\nc: {}\nd: []\ne: [ ]\nf: { }\n",
    "a: {x: 1, x: 2}\n",
    "a: 1\na: 2\n",
    "a: x # comment\nb: \"y\"  # comment\nc: # comment\n  d: 1\n",
    "a: x#y\n",
    "a: x #y\n",
    "a: 'it''s'\n",
    "a: \"a\\tb\"\n",
    "a: hello\n  world\n",
    "a: \"x\"\n  b: 1\n",
    "a:\n  b: 1\n c: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "yes: 1\n",
    "a:\n  no: 1\n",
    "a: {on: 1}\n",
    "null: 1\n",
    "a: yes\nb: No\nc: on\nd: 0x1F\ne: 1_000\nf: 1.5\ng: .inf\nh: -5\ni: 1950-06-25\nj: 0o17\nk: 017\nl: 1:30\n",
    "a: [yes, no, 1, -2, .5, ~, null, x]\n",
    "a: <<\n",
    "<<: 1\n",
    "a: =\n",
    "a: b: c\n",
    "a: - b\n",
    "- a\n- b\n",
    "just text\n",
    "a: 1\n---\nb: 2\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "a: [x, [y]]\n",
    "a: {x: {y: 1}}\n",
    "a: [x,]\n",
    "a: {x: 1,}\n",
    "a: {x:1}\n",
    "a: [x: 1]\n",
    "a: \"unterminated\n",
    "a: 'unterminated\n",
    "a: x]\nb: y}\nc: x,y\nd: x [y]\n",
    "a: -x\nb: -\nc: -1\n",
    "a: @x\n",
    "a: `x\n",
    "a: ? x\n",
    "? a\n: b\n",
    "a:\n  - - x\n",
    "a:\n  -\n    b: 1\n",
    "a:\n  - \n",
    "a:\tb\n",
    "a: b\r\nc: d\r\n",
    "a: b\x85c: d\n",
    "a: b\u2028c: d\n",
    "a: \"\u00a0x\u00a0\"\nb: \u00a0x\nc: x\u00a0\n",
    "a: \ufeffx\n",
    "a: \x7f\n",
    "a: \"\x01\"\n",
    "a: \uffff\n",
    "a: الحدث الأول\nb: {ar: الحدث الأول, en: the first event}\n",
    "title: {ar: \"x, y}\", en: 'a: b'}\n",
    "a:  \"two spaces\"\nb:   plain  words  \n",
    "a:\n\n  b: 1\n\n  # c\n  c: 2\n\n",
    "a:\n  # c\n\n",
    "a:\n",
    "a:\nb:\n",
    "a:\n  b:\n",
    "_: 1\na-b: 2\nA_1: 3\n",
    "1: x\n",
    "a b: 1\n",
    "'a': 1\n",
    "a: 'x' y\n",
    "a: \"x\"\"y\"\n",
    "a: [\"x\" y]\n",
    "x" * 2000 + ": 1\n",
    "a: ...\nb: ---\nc: --- x\n",
    "  a: 1\n",
    "a: 1\n  # indented comment\nb: 2\n",
    "a: x\n    # c\n",
    "a: x\n  #c\nb: y\n",
    "a:\n  - x\n  # c\n  - y\n",
    "a: [x] # c ]\n",
    "a: {x: 1} # }\n",
    "a: {x: 1} }\n",
    "a: x   \nb: 'y'   \n",
    "a: [a b, c  d ]\n",
    "a: {k: a b , l: c}\n",
    "a: ''\nb: \"\"\nc: ['', \"\"]\nd: {x: '', y: \"\"}\n",
    "a: \"x\n  y\"\nb: 1\n",  # quoted scalars over several lines: refused (the line count gives them away)
    "a: 'x\n\n  y'\nb: 1\n",
    "a: {x: \"p\n q\"}\n",
    "a: [\"p\n\", q]\n",
    "t:\n  ar: \"p\n  q\"\n  en: \"r\"\n",
    "t:\n  ar: \"p\"\n  en: \"r\n\"\nb: 2\n",
    "t: {ar: \"p\n\", en: \"q\"}\n",
    "t:\n  ar: \"p\"\n  en: \"q\"\n  fr: \"r\"\n",
    "t:\n  ar: \"p\"\n  en: \"q\"\n    x: 1\n",
    "- t:\n    ar: \"p\"\n    en: \"q\"\n",
    "a:\n  - t:\n    ar: \"p\"\n    en: \"q\"\n",
    "a:\n  - t:\n      ar: \"p\"\n      en: \"q\"\n    u: {ar: \"\", en: \"\"}\n",
    "t: # c\n  ar: \"p\"\n  en: \"q\"\n",
    "a: x\\y\nb: 'x\\y'\n",
    textwrap.dedent("""\
        events:
          - id: ev-a
            date: 1950-06-25
            era: middle
            title: {ar: الحدث الأول, en: the first event}
            detail:
              ar: "تفصيل"
              en: "Detail."
            source: {doc: doc, era: middle, para: 1}
            tags: [war]

          - id: ev-b
            date: "1962"
            generate: false
        """),
]


@pytest.mark.parametrize("text", CASES)
def test_hand_written_files(text: str) -> None:
    raw = text.encode("utf-8")
    check(raw)
    same_parse(raw)


def test_the_subset_is_read_and_the_rest_refused() -> None:
    assert check(b"a:\n  b: 1\n  c:\n    - x\n")
    assert check(b"a: {x: 1, y: [2]}\n".replace(b"[2]", b"2"))
    for refused in (b"a: 1\na: 2\n", b"a: hello\n  world\n", b"a: &x 1\n", b"a: |\n  x\n", b"- a\n",
                    b"a:\tb\n", b"a: \"\\n\"\n", b"a:\n- x\n", b"yes: 1\n", b"a: b\r\n", b"a: \"x\n y\"\n",
                    b"t:\n  ar: \"p\"\n  en: \"q\"\n  fr: \"r\"\n"):
        assert not check(refused), refused


# --- Hypothesis -----------------------------------------------------------------------------------------------

GOOD_KEYS = st.sampled_from(["id", "ar", "en", "title", "a", "b", "x-y", "_k", "k", "date", "A1"])
KEYS = st.one_of(GOOD_KEYS, GOOD_KEYS, GOOD_KEYS, st.sampled_from(["yes", "no", "on", "null", "y", "1", "a b",
                                                                   "<<", "'q'", "=", "x" * 101]))
GOOD_PLAINS = st.sampled_from([
    "x", "era-000", "1950", "-5", "0x1F", "1_000", "1.5", ".5", ".inf", "~", "null", "yes", "On", "1950-06-25",
    "a b", "a  b", "x]", "x}", "x,y", "it's", 'say "x"', "\u00a0x", "x\u00a0", "الحدث الأول", "0o7", "017", "1e3", "+1",
    "x\\y", "ünï", "...", "<x", "x y.", "a [b]", "~x", "n", "y", "NO", "0", "-0", "0.", "1_0.5", "12:30",
])
PLAINS = st.one_of(GOOD_PLAINS, GOOD_PLAINS, GOOD_PLAINS, st.sampled_from([
    "a #b", "a#b", "a: b", "a:b", "[x]", "{a: 1}", "*a", "&a x", "!t x", "|", ">", "@x", "%x", "`x", "---", "- x", "-",
    "?", "? x", "'x'", '"x"', "=", "<<", "x ", " x", "-x", "1:30", "\t", "x\ty",
]))
QUOTED_TEXT = st.text(alphabet=st.sampled_from(list("ab #:,[]{}-") + ["ح", "\u00a0", "é"]), max_size=6)
ODD_TEXT = st.text(alphabet=st.sampled_from(list("a'\"\\\t") + ["\u2028", "\x85", "\ufeff"]), max_size=4)
QUOTED = st.tuples(st.one_of(QUOTED_TEXT, QUOTED_TEXT, QUOTED_TEXT, ODD_TEXT), st.booleans()).map(
    lambda t: f'"{t[0]}"' if t[1] else f"'{t[0]}'")
FLOWS = st.lists(st.tuples(KEYS, PLAINS | QUOTED), max_size=3).map(
    lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}") | st.lists(PLAINS | QUOTED, max_size=3).map(
    lambda vs: "[" + ", ".join(vs) + "]")
VALUES = PLAINS | QUOTED | FLOWS | st.just("")
GOOD_COMMENTS = st.sampled_from(["", "", "", " # c", "  # c: {x}"])
COMMENTS = GOOD_COMMENTS | st.just("#c")
LINES = st.builds(
    lambda indent, dash, key, colon, value, comment: " " * indent + dash + (key + colon if key else "") + value
    + comment,
    st.sampled_from([0, 0, 2, 2, 4, 4, 6, 1, 3]), st.sampled_from(["", "", "", "- ", "-  ", "-"]),
    KEYS | st.just(""), st.sampled_from([": ", ": ", ":", ":  "]), VALUES, COMMENTS,
) | st.sampled_from(["", "", "# comment", "  # comment", "---", "..."])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, min_size=1, max_size=14), st.sampled_from(["\n", ""]))
@example(["a:", "  - x: 1", "    y: 2", "  - z"], "\n")
def test_line_soup(lines: list[str], end: str) -> None:
    raw = ("\n".join(lines) + end).encode("utf-8")
    check(raw)
    same_parse(raw)


SCALARS = (
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, width=32)
    | st.text(max_size=8) | PLAINS
)
TREES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4) | KEYS, inner, max_size=4),
    max_leaves=16,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS | st.text(max_size=4), TREES, min_size=1, max_size=5),
       st.sampled_from([None, False, True]), st.sampled_from([2, 4]), st.sampled_from([20, 80, 1000]),
       st.booleans())
def test_documents_dumped_by_pyyaml(document: dict[str, Any], flow: bool | None, indent: int, width: int,
                                    unicode: bool) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, indent=indent, width=width, allow_unicode=unicode,
                          sort_keys=False)
    check(text.encode("utf-8"))


def emit(value: Any, indent: int, step: int, draw: Any) -> list[str]:
    """Lines of `value` (a dict) in the subset, with some freedom of layout."""
    lines: list[str] = []
    for key, item in value.items():
        pad = " " * indent
        if isinstance(item, dict) and item and (not flat(item) or draw(st.booleans())):
            lines.append(f"{pad}{key}:")
            lines.extend(emit(item, indent + step, step, draw))
        elif isinstance(item, list) and item and (not flat(item) or draw(st.booleans())):
            lines.append(f"{pad}{key}:")
            inner = indent + draw(st.sampled_from([step, step + 1]))
            for entry in item:
                if isinstance(entry, dict) and entry:
                    sub = emit(entry, inner + 2, step, draw)
                    lines.append(" " * inner + "- " + sub[0].lstrip(" "))
                    lines.extend(sub[1:])
                elif isinstance(entry, list) and not flat(entry):
                    return [f"{pad}{key}: [too deep]"]
                else:
                    lines.append(" " * inner + "- " + scalar_text(entry, draw))
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["", " " * inner + "# c"])))
        else:
            lines.append(f"{pad}{key}: {scalar_text(item, draw)}{draw(GOOD_COMMENTS)}")
    return lines


def flat(value: dict[str, Any] | list[Any]) -> bool:
    return not any(isinstance(v, (dict, list)) for v in (value.values() if isinstance(value, dict) else value))


def scalar_text(value: Any, draw: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {scalar_text(v, draw)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(scalar_text(v, draw) for v in value) + "]"
    if isinstance(value, str) and draw(st.booleans()):
        return draw(st.sampled_from([f'"{value}"', f"'{value}'", value]))
    return value if isinstance(value, str) else yaml.safe_dump(value).split("\n")[0]


BANKISH = st.recursive(
    GOOD_PLAINS | QUOTED_TEXT.map(lambda s: f'"{s}"'),
    lambda inner: st.lists(inner, min_size=1, max_size=3) | st.dictionaries(GOOD_KEYS, inner, min_size=1, max_size=4),
    max_leaves=14,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(GOOD_KEYS, BANKISH, min_size=1, max_size=5), st.sampled_from([2, 3, 4]), st.data())
def test_documents_written_in_the_subset(document: dict[str, Any], step: int, data: st.DataObject) -> None:
    lines = emit(document, 0, step, data.draw)
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    check(raw)
    same_parse(raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(GOOD_KEYS, BANKISH, min_size=1, max_size=4), st.data())
def test_subset_documents_mangled(document: dict[str, Any], data: st.DataObject) -> None:
    """Lines dropped, repeated, re-indented, and junk spliced in: refused, or read as the composer reads them."""
    lines = emit(document, 0, 2, data.draw)
    index = data.draw(st.integers(0, len(lines) - 1))
    how = data.draw(st.sampled_from(["drop", "repeat", "indent", "dedent", "junk"]))
    if how == "drop":
        del lines[index]
    elif how == "repeat":
        lines.insert(index, lines[index])
    elif how == "indent":
        lines[index] = " " * data.draw(st.integers(1, 3)) + lines[index]
    elif how == "dedent":
        lines[index] = lines[index][data.draw(st.integers(1, 3)):]
    else:
        cut = data.draw(st.integers(0, len(lines[index])))
        junk = data.draw(st.sampled_from(["", " ", "- ", ":", "x", "{", "]", "'", '"', "#", "&a ", "*a", "!t "]))
        lines[index] = lines[index][:cut] + junk + lines[index][cut:]
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    check(raw)
    same_parse(raw)
