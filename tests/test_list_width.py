"""`quiz list` on a terminal fits its width: ids fold and prompts wrap inside their cells, nothing is cut off at
the edge (issue 14), in English, Arabic and both; piped, it stays tab-separated lines."""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import run_quiz
from rich.cells import cell_len
from rich.console import Console

from quiz.bank import load_valid_bank
from quiz.model import Bank
from quiz.render import Display, cloze_prompt
from quiz.render_bank import question_table


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_valid_bank()


def table_lines(bank: Bank, width: int, lang: str, bidi: str = "off") -> list[str]:
    questions = [q for q in bank.questions if q.era == "c19" and not q.draft][:8]
    console = Console(width=width, file=io.StringIO(), force_terminal=True, color_system=None,
                      legacy_windows=False)
    display = Display.for_terminal(lang, bidi, True, width)  # type: ignore[arg-type]
    console.print(question_table(questions, bank, display))
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def cells(lines: list[str], column: int) -> str:
    """The text of one column, its wrapped lines joined (rows of the table body only)."""
    parts = [line.split("│")[column + 1].strip() for line in lines if line.startswith("│")]
    return " ".join(parts)


@pytest.mark.parametrize("width", [60, 120])
@pytest.mark.parametrize("lang", ["en", "ar", "both"])
def test_the_table_fits_the_terminal_and_keeps_every_word(bank: Bank, width: int, lang: str) -> None:
    lines = table_lines(bank, width, lang)
    assert max(cell_len(line) for line in lines) <= width
    assert all(line.rstrip().endswith(("│", "┃", "┓", "┩", "┘", "questions")) for line in lines if line.strip()), lines
    shown = cells(lines, 3)
    questions = [q for q in bank.questions if q.era == "c19" and not q.draft][:8]
    langs = ("ar", "en") if lang == "both" else (lang,)
    for question in questions:
        for one in langs:
            for word in cloze_prompt(question.prompt.get(one)).split():  # type: ignore[arg-type]
                assert word in shown, (question.id, word)
    ids = re.sub(r"\s+", "", cells(lines, 0))
    assert all(q.id in ids for q in questions)


def test_a_narrow_terminal_folds_long_ids_and_wraps_prompts(bank: Bank) -> None:
    lines = table_lines(bank, 60, "en")
    assert lines[1] == "┃ id              ┃ kind      ┃ era ┃ prompt               ┃"
    assert lines[3] == "│ c19-relations-c │ choice    │ c19 │ According to the     │"
    assert lines[4] == "│ haracter        │           │     │ timeline, what       │"


def test_arabic_laid_out_by_quiz_is_wrapped_before_it_is_reordered(bank: Bank) -> None:
    lines = table_lines(bank, 60, "ar", bidi="on")
    assert max(cell_len(line) for line in lines) <= 60
    first = [line.split("│")[4] for line in lines if line.startswith("│")][:6]
    # each line of the cell holds whole reshaped words (presentation forms), right-aligned in the column
    assert all(re.fullmatch(r" +[\ufb50-\ufeff،؟ ]+[\ufb50-\ufeff] ", part) for part in first), first
    assert lines[3].split("│")[4] == " ،ﻲﻨﻣﺰﻟﺍ ﻞﺴﻠﺴﺘﻟﺍ ﺐﺴﺤﺑ "  # «بحسب التسلسل الزمني،» on a line of its own


def test_piped_it_writes_tab_separated_lines() -> None:
    result = run_quiz("list", "--era", "c19", "--lang", "en")
    assert (result.exit_code, result.stderr) == (0, "")
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and all(len(row) == 4 for row in rows)
    assert rows[0][:3] == ["c19-relations-character", "choice", "c19"]
    assert "│" not in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(("columns", "lang"), [(60, "en"), (60, "ar"), (120, "ar")])
def test_in_a_real_terminal_no_line_is_wider_than_it(columns: int, lang: str, tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update({"NO_COLOR": "1", "COLUMNS": str(columns), "LINES": "40", "TERM": "xterm"})
    child = pexpect.spawn(sys.executable, ["-m", "quiz", "list", "--era", "c19", "--lang", lang, "--bidi", "off"],
                          env=env, encoding="utf-8", timeout=30, dimensions=(40, columns))
    child.expect(pexpect.EOF)
    text = str(child.before)
    child.close()
    assert child.exitstatus == 0, text
    plain = re.sub(r"\x1b\[[0-9;]*m|[\u200e\u200f\u2066-\u2069]", "", text.replace("\r", ""))
    lines = plain.split("\n")
    assert max(cell_len(line) for line in lines) <= columns
    assert "c19-relations" in text and "questions" in lines[-2]


@pytest.mark.parametrize("width", [30, 40, 48])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_narrow_terminal_drops_the_era_and_kind_columns_before_squeezing_the_prompt(
    bank: Bank, width: int, lang: str
) -> None:
    """A phone held upright (Termux): the prompt keeps its room, and the reordered Arabic is not folded again."""
    for bidi in ("off", "on"):
        lines = table_lines(bank, width, lang, bidi)
        assert max(cell_len(line) for line in lines) <= width, (bidi, lines)
        header = next(line for line in lines if "id" in line and "prompt" in line)
        assert "era" not in header, header
        columns = header.count("┃") - 1
        assert columns in (2, 3), header
        prompts = [line.split("│")[columns].strip() for line in lines if line.startswith("│")]
        assert max(cell_len(p) for p in prompts) >= 10
    questions = [q for q in bank.questions if q.era == "c19" and not q.draft][:8]
    shown = cells(table_lines(bank, width, lang), header.count("┃") - 2)
    for question in questions:
        for word in cloze_prompt(question.prompt.get(lang)).split():  # type: ignore[arg-type]
            assert word in shown, (question.id, word)
