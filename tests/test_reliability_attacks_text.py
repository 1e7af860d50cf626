"""Issue 17, security: hostile bank text and file names never reach the terminal, a spreadsheet or Anki as anything
but inert text.

- Escape sequences (ESC ] 52 clipboard, ESC ] 0 title, ESC [ 2 J, their 8-bit C1 forms) in an era, a source id, an
  unknown key or a file name, and a newline in a file name, through `quiz validate` and a command loading the bank:
  shown as visible `\\x1b` / `\\n`, never raw, never a forged second `Error:` line.
- Bidi overrides, isolates and zero-width characters are neutralised on screen and in Anki fields; the marks
  Arabic needs (ZWNJ inside a word, RLM, ALM) are kept; stripped sequences leave none of their parameter bytes.
- `quiz list --json` escapes C1 controls and bidi overrides (the JSON values are unchanged).
- CSV cells a spreadsheet would evaluate are neutralised (OWASP's list, fullwidth forms); plain numbers stay.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability_kit import HEADER
from typer.testing import CliRunner

from quiz.cli import app
from quiz.export.table import safe_cell
from quiz.safetext import for_json, for_message, for_screen

NOW = "2026-03-02T09:00:00Z"
OSC52 = "\x1b]52;c;SGVsbG8=\x07"
TITLE = "\x1b]0;PWNED\x07"
CLEAR = "\x1b[2J"
C1 = "\x9b2J\x9d0;C1-TITLE\x9c"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
"""What must never reach the terminal from bank text or a file name (newline and tab are the output's own)."""


def quiz(*args: str, db: Path) -> object:
    return CliRunner().invoke(app, list(args),
                              env={"QUIZ_DB": str(db), "QUIZ_NOW": NOW, "QUIZ_FUZZ": "0", "QUIZ_CACHE_DIR": ""})


def hostile_bank(folder: Path) -> Path:
    folder.mkdir()
    (folder / "bank.yaml").write_text(HEADER + """questions:
  - id: q1
    kind: typed
    era: "\\e]52;c;SGVsbG8=\\a\\e]0;PWNED\\a\\e[2J"
    prompt: {ar: "سؤال", en: "Prompt"}
    answer: {ar: صحيح, en: right}
    explanation: {ar: شرح, en: Because.}
    source: {doc: "\\x9b2J\\x9d0;C1-TITLE\\x9c", para: 1}
    "\\e[31mcolour": 1
""", encoding="utf-8")
    (folder / "evil\nError: forged.yaml").write_text("questions: [\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", [["validate"], ["study", "--no-builtin", "--bank"], ["list", "--no-builtin",
                                                                                          "--bank"]])
def test_escapes_and_newlines_in_bank_text_and_file_names_never_reach_the_terminal(
        command: list[str], tmp_path: Path) -> None:
    folder = hostile_bank(tmp_path / "bank")
    result = quiz(*command, str(folder), db=tmp_path / "quiz.db")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    # validate's diagnostics are its output (stdout); the other commands report a broken bank on stderr
    err = result.stdout if command == ["validate"] else result.stderr  # type: ignore[attr-defined]
    assert not RAW.search(err), repr(err)
    assert not RAW.search(result.output), repr(result.output)  # type: ignore[attr-defined]
    from quiz.bank import shown_name

    shown = shown_name(folder)  # absolute, or relative when the checkout sits near the temp folder
    assert all(line.startswith(("== ", "/", shown, "Error: ", "0 questions")) for line in err.splitlines()), err
    assert sum(line.startswith("Error: forged") for line in err.splitlines()) == 0
    if command == ["validate"]:
        assert "names era '\\x1b]52;c;SGVsbG8=\\x07\\x1b]0;PWNED\\x07\\x1b[2J'" in err
        assert "source document '\\x9b2J\\x9d0;C1-TITLE\\x9c'" in err
        assert "unknown key '\\x1b[31mcolour'" in err
        assert "evil\\nError: forged.yaml:2: error:" in err


def shown_bank(folder: Path) -> Path:
    folder.mkdir()
    (folder / "bank.yaml").write_text(HEADER + """questions:
  - id: q1
    kind: choice
    era: middle
    prompt:
      ar: "أ\\u200cب في \\u202eالسؤال"
      en: "Pick\\u202e the \\u2066odd\\u2069 one\\u200b\\u2060\\ufeff \\x9b2J\\x9d0;C1-TITLE\\x9c\\e]52;c;QQ==\\a out"
    choices:
      - {ar: "نعم\\u200f", en: "yes\\u202d"}
      - {ar: "لا\\u061c", en: "no"}
    answer: {ar: "لا\\u061c", en: "no"}
    explanation: {ar: شرح, en: "Be\\u200dcause."}
    source: {doc: doc, para: 1}
""", encoding="utf-8")
    return folder


def test_bidi_overrides_and_zero_width_characters_are_neutralised_on_screen(tmp_path: Path) -> None:
    folder = shown_bank(tmp_path / "bank")
    for lang in ("en", "ar"):
        result = quiz("show", "q1", "--lang", lang, "--bidi", "off", "--no-builtin", "--bank", str(folder),
                      db=tmp_path / "quiz.db")
        assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
        out = result.stdout  # type: ignore[attr-defined]
        assert not RAW.search(out), repr(out)
        assert "2J" not in out and "C1-TITLE" not in out and "52;" not in out
    assert "Pick the odd one  out" in quiz("show", "q1", "--lang", "en", "--no-builtin", "--bank", str(folder),
                                           db=tmp_path / "quiz.db").stdout  # type: ignore[attr-defined]


def test_anki_fields_carry_no_bidi_override_and_keep_what_arabic_needs(tmp_path: Path) -> None:
    folder = shown_bank(tmp_path / "bank")
    out = tmp_path / "deck.apkg"
    result = quiz("export", "anki", str(out), "--lang", "both", "--no-builtin", "--bank", str(folder),
                  db=tmp_path / "quiz.db")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    with zipfile.ZipFile(out) as package:
        (tmp_path / "c.anki2").write_bytes(package.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    fields = " ".join(row[0] for row in conn.execute("SELECT flds FROM notes"))
    conn.close()
    assert not RAW.search(fields.replace("\x1f", "")), repr(fields)
    assert "أ\u200cب" in fields and "نعم\u200f" in fields and "لا\u061c" in fields  # ZWNJ in a word, RLM, ALM
    assert "Because." in fields  # ZWJ between Latin letters: removed


def test_list_json_escapes_c1_controls_and_overrides(tmp_path: Path) -> None:
    folder = shown_bank(tmp_path / "bank")
    result = quiz("list", "--json", "--no-builtin", "--bank", str(folder), db=tmp_path / "quiz.db")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    out = result.stdout  # type: ignore[attr-defined]
    assert not RAW.search(out), repr(out)
    assert "\\u009b2J\\u009d0;C1-TITLE\\u009c" in out
    assert json.loads(out)[0]["prompt"]["en"].startswith("Pick\u202e the \u2066odd")  # the value itself is kept


def test_stripped_sequences_leave_no_parameter_bytes() -> None:
    assert for_screen(f"a{OSC52}b{TITLE}c{CLEAR}d{C1}e\x1bcf\x1b(Bg\x90q;1\x9ch") == "abcdefgh"
    assert for_screen("x\x1b]0;unterminated title") == "x"
    assert for_screen("\x9b") == "" and for_screen("\x1b[") == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ع\u200c\u200d\n\t[];0123JmP\\\x07\x1b\x9b\x9c\x9d\x90"
                                                 "\u202e\u2066\u2069\u200b\u2060\ufeff\u200f\u061c\x00\x7f"))))
def test_cleaning_is_total_idempotent_and_leaves_nothing_raw(text: str) -> None:
    screen = for_screen(text)
    assert not RAW.search(screen)
    assert for_screen(screen) == screen
    message = for_message(text)
    assert not RAW.search(message) and "\n" not in message and "\t" not in message
    dumped = for_json(json.dumps(text, ensure_ascii=False))
    assert not RAW.search(dumped) and json.loads(dumped) == text


# --- CSV formula injection ----------------------------------------------------------------------------------------

FORMULAS = [
    "=1+1", "+1+1", "-2+3+cmd|' /C calc'!A0", "-1+HYPERLINK(\"http://x\")", "@SUM(A1)", "\t=1", "\r=1",
    "＝1+1", "＋1", "－1+1", "＠SUM(A1)", " =1+1", "\n=1+1", "-x", "-", "−1+1",
]


@pytest.mark.parametrize("cell", FORMULAS)
def test_csv_neutralises_every_cell_a_spreadsheet_would_evaluate(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-5", "-2.5", "1962", "+7", "a=b", "Ankara", "3 - 2"])
def test_csv_keeps_plain_numbers_and_text_readable(cell: str) -> None:
    assert safe_cell(cell) == cell
