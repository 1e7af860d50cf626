"""Hostile input. Hypothesis fuzzes the bank loader (only QuizError escapes), the grader (total, idempotent
normalisation, linear time), and `quiz study` itself gets control characters, escape sequences, invalid UTF-8
bytes, right-to-left overrides and a megabyte on one line: it re-asks or grades, never crashes, and records
nothing bogus. Bank text (rich markup, terminal escapes) is shown literally and neutralised in `quiz study` and
`quiz show`. Anki field escaping is tested in tests/test_export_anki.py
(`test_no_rendered_card_carries_markup_or_sound_from_the_bank`: <script>, <b>, [sound:], {{c1::}} and [red] all
arrive as text)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
import yaml
from conftest import run_quiz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_kit import (
    FEEDBACK,
    HEADER,
    RATE_PROMPT,
    Learner,
    assert_sound,
    child_env,
    quiz_args,
    review_log,
    spawn_study,
    typed_bank,
    write_bank,
)

from quiz.bank import build_bank, load_bank
from quiz.errors import QuizError
from quiz.grading import grade, normalize, parse_order, parse_truefalse
from quiz.model import Alternatives, Kind, OrderItem, Question, Text

FUZZ_EXAMPLES = {"loader-bytes": 300, "loader-documents": 300, "loader-files": 60, "grader": 500, "stdin": 40}
"""How many examples each Hypothesis test tries (the figures in bench/RELIABILITY.md)."""

# --- the bank loader --------------------------------------------------------------------------------------------

SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**30), max_value=10**30), st.floats(),
    st.text(max_size=30), st.text(alphabet=st.characters(codec="utf-8"), max_size=10),
    st.sampled_from(["", "~", "null", "yes", "1e400", "0x10", "2026-13-45", "{{", "}}", "{{x}}", "[red]x[/red]",
                     "\x1b[2J", "\u202e", "ال", "middle", "doc", "typed", "choice", "order", "cloze", "card",
                     "truefalse", "q1"]),
)
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["id", "kind", "era", "prompt", "answer", "ar", "en", "choices", "items", "year", "accept",
                     "truth", "tolerance", "source", "doc", "para", "tags", "date", "start", "end", "title",
                     "explanation", "draft", "events", "x"]), inner, max_size=6), max_leaves=25)
DOCUMENT = st.fixed_dictionaries({}, optional={
    "sources": st.lists(VALUE, max_size=3), "eras": st.lists(VALUE, max_size=3),
    "events": st.lists(VALUE, max_size=4), "questions": st.lists(VALUE, max_size=5), "junk": VALUE})


def loaded_or_quiz_error(blobs: list[tuple[str, bytes]]) -> None:
    """Loading never raises; making a valid bank of it raises only QuizError (BankError)."""
    result = build_bank(blobs)
    for problem in result.problems:
        assert problem.path in {name for name, _ in blobs} | {"<bank>"} or problem.path
        assert "\n" not in problem.message


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES["loader-bytes"], deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_fuzz_loader_with_bytes(raw: bytes) -> None:
    loaded_or_quiz_error([("fuzz.yaml", raw)])


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES["loader-documents"], deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(DOCUMENT)
def test_fuzz_loader_with_bank_shaped_documents(document: dict[str, object]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    loaded_or_quiz_error([("_header.yaml", HEADER.encode()), ("fuzz.yaml", text.encode("utf-8", "surrogatepass"))])


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES["loader-files"], deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(max_size=300) | DOCUMENT.map(lambda d: yaml.safe_dump(d).encode()), min_size=1,
                max_size=3))
def test_fuzz_the_load_path_the_cli_uses(tmp_path: Path, files: list[bytes]) -> None:
    """`load_bank` over real files, then the CLI's rule (errors → BankError): only QuizError ever escapes."""
    folder = tmp_path / f"bank-{time.monotonic_ns()}"
    folder.mkdir()
    for i, raw in enumerate(files):
        (folder / f"f{i}.yaml").write_bytes(raw)
    try:
        from quiz.cli.options import valid_bank

        valid_bank([folder], True)
    except QuizError as exc:
        assert "\n" not in exc.line()
    assert load_bank([folder], builtin=False) is not None


# --- the grader ---------------------------------------------------------------------------------------------------

T = Text("", "")
QUESTIONS = [
    Question("t", Kind.TYPED, "m", Text("س", "q"), Text("الحرب الباردة", "the Cold War"), T, None,
             Alternatives(("حرب",), ("war",))),
    Question("y", Kind.TYPED, "m", Text("س", "q"), Text("1962", "1962"), T, None, tolerance=2),
    Question("z", Kind.CLOZE, "m", Text("{{ليند-ليز}}", "{{Lend-Lease}}"), Text("ليند-ليز", "Lend-Lease"), T, None),
    Question("c", Kind.CHOICE, "m", Text("س", "q"), Text("يالطا", "Yalta"), T, None,
             choices=(Text("يالطا", "Yalta"), Text("جنيف", "Geneva"), Text("براغ", "Prague"))),
    Question("f", Kind.TRUEFALSE, "m", Text("س", "q"), T, T, None, truth=False),
    Question("o", Kind.ORDER, "m", Text("س", "q"), T, T, None,
             items=tuple(OrderItem(Text(f"ح{i}", f"e{i}"), 1940 + i) for i in range(4))),
]
HOSTILE_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Mn", "Zs", "Nd", "Po", "Sm"]),
            max_size=100),
    st.lists(st.sampled_from(["ال", "the", "1", ",", ".", "٫", "I", "V", "X", "\u202e", "\u200f", "\x1b[31m", "-",
                              " ", "ـ", "\u0651", "\ufffd", "a", "b", "1962", "yalta", "t", "f", "1 2 3 4", "ص"]),
             max_size=60).map("".join),
)


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES["grader"], deadline=None)
@given(HOSTILE_TEXT, st.sampled_from(QUESTIONS), st.sampled_from(["ar", "en"]), st.permutations(range(4)))
def test_fuzz_the_grader_is_total_and_normalisation_idempotent(reply: str, question: Question, lang: str,
                                                               order: list[int]) -> None:
    once = normalize(reply)
    assert normalize(once) == once
    shown = tuple(order) if question.kind is Kind.ORDER else (0, 1, 2)
    verdict = grade(question, reply, lang, shown)  # type: ignore[arg-type]
    assert verdict is None or verdict.rating in (1, 2, 3, 4)
    parse_truefalse(reply)
    parse_order(reply, 4)


def op_count(fn: Callable[[str], object], text: str) -> int:
    """How many Python-level function calls and lines `fn(text)` runs: a clock-free measure of work."""
    count = 0

    def tracer(frame: object, event: str, arg: object) -> object:
        nonlocal count
        count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn(text)
    finally:
        sys.settrace(None)
    return count


class _Counted:
    """Stands in for a compiled regular expression or the `unicodedata` module inside quiz.normalize: every call
    goes through, and the length of every string handed to it is added to `chars`."""

    def __init__(self, target: object, tally: list[int]) -> None:
        self._target = target
        self._tally = tally

    def __getattr__(self, name: str) -> object:
        attribute = getattr(self._target, name)
        if not callable(attribute):
            return attribute

        def counted(*args: object, **kwargs: object) -> object:
            self._tally[0] += sum(len(a) for a in (*args, *kwargs.values()) if isinstance(a, str))
            return attribute(*args, **kwargs)

        return counted


def c_work(fn: Callable[[str], object], text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """A clock-free measure of the work done in C: how many C functions `fn(text)` calls (the profiler's
    `c_call` events), plus how many characters it hands to the grader's regular expressions and to
    `unicodedata` (where one call can do work proportional to its input)."""
    import re

    from quiz import edits, grading
    from quiz import normalize as normalization

    tally = [0]
    with monkeypatch.context() as patch:
        for module in (grading, normalization, edits):
            for name, value in vars(module).items():
                if isinstance(value, re.Pattern):
                    patch.setattr(module, name, _Counted(value, tally))
        patch.setattr(normalization, "unicodedata", _Counted(normalization.unicodedata, tally))

        def profiler(frame: object, event: str, arg: object) -> None:
            if event == "c_call":
                tally[0] += 1

        sys.setprofile(profiler)
        try:
            fn(text)
        finally:
            sys.setprofile(None)
    return tally[0]


PATTERNS = ["ال", "1", "1,000", "1.", "I", "aب1 ", "a\u0301\u0651", "\u202e\u200f", "the ", "cold war ", " ", "-",
            "\x1b[31m", "\ufffd", "ـ"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_grader_is_not_slower_than_linear(pattern: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """n and 10n characters of a repeated pattern: the work grows about tenfold, never a hundredfold. Work is
    counted, never timed: Python steps (`op_count`), and C calls plus the characters handed to the regular
    expressions and unicodedata (`c_work`). The regular expressions themselves have no nested or overlapping
    quantifiers, so each runs in time linear in what it is handed."""
    small = pattern * (1000 // len(pattern) + 1)
    big = pattern * (10000 // len(pattern) + 1)
    for question in QUESTIONS:
        def run(text: str, q: Question = question) -> object:
            normalize(text)
            return grade(q, text, "ar" if "ال" in pattern else "en", (0, 1, 2, 3) if q.kind is Kind.ORDER else
                         (0, 1, 2))

        ops = op_count(run, big) / max(1, op_count(run, small))
        assert ops < 25, (question.id, ops)
        c_calls = c_work(run, big, monkeypatch) / max(1, c_work(run, small, monkeypatch))
        assert c_calls < 25, (question.id, c_calls)


# --- the answer prompt --------------------------------------------------------------------------------------------

MIXED = HEADER + """questions:
  - id: c00
    kind: choice
    era: middle
    prompt: {ar: "سؤال", en: "Prompt for c00"}
    answer: {ar: يالطا, en: Yalta}
    choices:
      - {ar: يالطا, en: Yalta}
      - {ar: جنيف, en: Geneva}
    source: {doc: doc, para: 1}
  - id: f00
    kind: truefalse
    era: middle
    prompt: {ar: "سؤال", en: "Prompt for f00"}
    answer: true
    source: {doc: doc, para: 2}
  - id: o00
    kind: order
    era: middle
    prompt: {ar: "سؤال", en: "Prompt for o00"}
    items:
      - {ar: أ, en: First, year: 1941}
      - {ar: ب, en: Second, year: 1945}
      - {ar: ج, en: Third, year: 1957}
    source: {doc: doc, para: 3}
""" + typed_bank(3).replace(HEADER + "questions:\n", "")
# Bytes that are input, not terminal commands: no ^C ^D ^Z ^\\ (signals, end of input), no ^S ^Q (flow control),
# no erase/kill/word-erase/reprint/literal-next (line editing).
CONTROLS = "".join(chr(c) for c in (1, 2, 5, 6, 7, 11, 12, 14, 16, 20, 24, 25, 27, 29, 30, 31))
PROMPTS = r"Your answer: |Your answer \(number or text\): |True or false\? \(t/f\): |Order, oldest first"
INVALID = r"Type an answer|Type a number from 1 to|Type t \(true\) or f \(false\)|Give all 3 items in order"
ATTACKS: list[tuple[str, bytes]] = [
    ("controls", CONTROLS.encode()),
    ("invalid-utf8", b"\xff\xfe\xc3\x28\xa0\xa1\xed\xa0\x80"),
    ("escapes", b"\x1b[31m\x1b[2J\x1b]0;pwned\x07\x1b[A\x1b[D"),
    ("rtl", "\u202e\u2067\u200f\u061c".encode()),
    ("zero-width", "\u200b\u200c\u200d\ufeff".encode()),
    ("long-line", ("ـ\u0651x " * 1000).encode()[:4000]),
    ("c1-controls", "\x85\x9b2J\x9d0;t\x9c".encode()),
    ("huge-number", b"99999999999999999999999999999999999999"),
    ("surrogate-ish", b"\xed\xb2\x80\xf4\x90\x80\x80"),
]


def right_reply(qid: str, screen: str) -> str:
    """A right answer for what is on screen (the choice and order are read off it)."""
    import re

    if qid.startswith("c"):
        options = re.findall(r"^\s+(\d)\. (\w+)", screen, re.MULTILINE)
        return next(n for n, text in options if text == "Yalta")
    if qid.startswith("f"):
        return "\u202et\u202c"  # an RTL override around "t" still means true
    if qid.startswith("o"):
        items = re.findall(r"^\s+(\d) \(.\)\. (\w+)", screen, re.MULTILINE)
        where = {text: n for n, text in items}
        return " ".join(where[name] for name in ("First", "Second", "Third"))
    return "\u2067right\u2069"  # isolates around a right answer: still right


@pytest.mark.slow
def test_hostile_bytes_at_every_kind_of_prompt(tmp_path: Path) -> None:
    """At each question, every attack is typed first: each is either refused (asked again, nothing recorded) or
    graded (a review, with its feedback); then a right answer. The session never crashes."""
    bank = write_bank(tmp_path / "bank", MIXED)
    db = tmp_path / "data" / "quiz.db"
    learner = Learner(spawn_study(db, bank, "--new", "6", TERM="dumb"))
    child = learner.child
    refused = graded = 0
    for _ in range(6):
        child.expect(r"Prompt for ([a-z]\d\d)")
        qid = child.match.group(1)
        learner.current = qid
        child.expect(PROMPTS)
        screen = child.before
        for _name, raw in ATTACKS:
            os.write(child.child_fd, raw + b"\r")  # raw bytes, straight into the terminal
            index = child.expect([INVALID, FEEDBACK])
            if index == 0:
                refused += 1
                child.expect(PROMPTS)
            else:
                graded += 1
                learner.seen.append((qid, 3 if "Right" in child.match.group(1) else 1))
                child.expect(RATE_PROMPT)
                child.sendline("u")  # take it back, to attack the same question again
                child.expect("Undone")
                learner.seen.pop()
                child.expect(PROMPTS)
                screen = child.before
        child.sendline(right_reply(qid, screen))
        child.expect(FEEDBACK)
        assert "Right" in child.match.group(1), (qid, child.before)
        learner.seen.append((qid, 3))
        child.expect(RATE_PROMPT)
        child.sendline("")
    child.sendline("q")
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in output and "internal error" not in output
    assert review_log(db) == learner.seen  # only the answers whose feedback was shown, each once
    assert_sound(db)
    assert refused >= 30
    print(f"hostile prompt input: {refused} refused and asked again, {graded} graded (then undone)")


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES["stdin"], deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(min_size=1, max_size=60).filter(
    lambda b: not set(b) & {3, 4, 8, 10, 13, 15, 17, 18, 19, 21, 22, 23, 26, 28, 127}), min_size=1, max_size=4))
def test_fuzz_the_prompt_through_stdin(tmp_path: Path, lines: list[bytes]) -> None:
    """Random bytes as answer lines (through a pipe, in-process): the session ends cleanly and records exactly one
    review per feedback it printed."""
    db = tmp_path / f"quiz-{time.monotonic_ns()}.db"
    bank = tmp_path / "fuzz-bank"
    if not bank.exists():
        write_bank(bank, MIXED)
    stdin = b"".join(line + b"\n\n" for line in lines) + b"q\n"
    result = run_quiz("study", "--no-builtin", "--bank", bank, "--lang", "en", "--new", "6", stdin=stdin,
                      env={"QUIZ_DB": str(db), "QUIZ_FUZZ": "0", "QUIZ_CACHE_DIR": ""})
    assert result.exit_code == 0, result.output
    shown = result.stdout.count("✔ ") + result.stdout.count("✘ ") + result.stdout.count("~ ")
    shown += result.stdout.count("Here is the answer; it comes back soon.")  # "-" or an empty line: I don't know
    undone = result.stdout.count("Undone")
    assert len(review_log(db)) == shown - undone
    assert_sound(db)


def test_a_megabyte_on_one_line(tmp_path: Path) -> None:
    """Through a pipe (a terminal keeps 4 KiB of a line): graded as wrong, saved once, and the session goes on."""
    bank = write_bank(tmp_path / "bank", typed_bank(2))
    db = tmp_path / "data" / "quiz.db"
    line = ("ال" + "x" * 98) * 10_486  # a little over 1 MiB of UTF-8
    stdin = line + "\n\nright\n\nq\n"
    done = subprocess.run([sys.executable, *quiz_args("study", "--no-builtin", "--bank", str(bank), "--lang", "en",
                                                      "--new", "2")],
                          input=stdin.encode(), env=child_env(db), capture_output=True, timeout=120, check=False)
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0, done.stderr
    assert "✘ Not quite." in out and "✔ Right!" in out
    assert len(line) > 1_000_000
    assert review_log(db) == [("q00", 1), ("q01", 3)]
    assert_sound(db)


# --- bank text is shown literally -----------------------------------------------------------------------------------

LITERAL = HEADER + r"""questions:
  - id: lit-typed
    kind: typed
    era: middle
    prompt:
      ar: "سؤال [bold]عريض[/bold]"
      en: "Which [red]x[/red] or [link=http://evil.example]click[/link] \e]0;pwned\a\e[2J\e[?1049h?"
    answer: {ar: صحيح, en: "right [/]"}
    accept: {en: ["right"]}
    explanation: {ar: شرح, en: "Because [i]this[/i] \e[31mred\e[0m \u009b2J :smile: \e]8;;http://x\e\\link\e]8;;\e\\."}
    source: {doc: doc, para: 1}
  - id: lit-choice
    kind: choice
    era: middle
    prompt: {ar: "اختر", en: "Pick [blink]one[/blink]"}
    answer: {ar: أ, en: "[green]A[/green]"}
    choices:
      - {ar: أ, en: "[green]A[/green]"}
      - {ar: ب, en: "\e[5mB"}
    explanation: {ar: شرح, en: "[link=file:///etc/passwd]see[/link]"}
    source: {doc: doc, para: 2}
"""
SHOWN = ["Which [red]x[/red] or [link=http://evil.example]click[/link] ?", "Because [i]this[/i] red  :smile: link.",
         "Pick [blink]one[/blink]", "[green]A[/green]", "[link=file:///etc/passwd]see[/link]"]


@pytest.mark.slow
def test_bank_text_is_literal_and_escapes_never_reach_the_terminal_in_study(tmp_path: Path) -> None:
    bank = write_bank(tmp_path / "bank", LITERAL)
    db = tmp_path / "data" / "quiz.db"
    child = spawn_study(db, bank, "--new", "2", TERM="dumb")  # no styling of its own: any ESC would be the bank's
    seen = ""
    for _ in range(2):
        child.expect(PROMPTS)
        seen += child.before + child.after
        if "Pick" in child.before:
            import re

            n = re.search(r"(\d)\. \[green\]A\[/green\]", child.before).group(1)  # type: ignore[union-attr]
            child.sendline(n)
        else:
            child.sendline("right")
        child.expect(RATE_PROMPT)
        seen += child.before
        child.sendline("")
    child.sendline("q")
    child.expect(pexpect.EOF)
    seen += child.before
    child.close()
    assert child.exitstatus == 0
    for text in SHOWN:
        assert text in seen, text
    assert "\x1b" not in seen and "\x9b" not in seen and "\x07" not in seen
    assert "pwned" not in seen


def test_bank_text_is_literal_in_show_and_list(tmp_path: Path) -> None:
    bank = write_bank(tmp_path / "bank", LITERAL)
    env = {"QUIZ_CACHE_DIR": "", "TERM": "xterm-256color", "FORCE_COLOR": "1", "NO_COLOR": ""}
    out = ""
    for args in (["show", "lit-typed"], ["show", "lit-choice"], ["list"]):
        result = run_quiz(*args, "--no-builtin", "--bank", bank, "--lang", "en", env=env)
        assert result.exit_code == 0, result.output
        out += result.stdout
    for text in ("Which [red]x[/red] or [link=http://evil.example]click[/link] ?", "Answer: right [/]",
                 "Because [i]this[/i] red  :smile: link.", "[green]A[/green]", "[link=file:///etc/passwd]see[/link]"):
        assert text in out.replace("\x1b[1m", "").replace("\x1b[0m", "").replace("\x1b[32m", "") \
            .replace("\x1b[3m", "").replace("\x1b[2m", ""), text
    assert "pwned" not in out and "\x9b" not in out and "\x07" not in out and "]8;;" not in out
    assert "\x1b[2J" not in out and "\x1b[5m" not in out and "\x1b[?1049h" not in out and "\x1b[31m" not in out
