"""Arabic in the terminal (issue 19): which terminal `--bidi auto` detects, the precedence of option, environment
and setting, and the key screens in Arabic checked in visual order through python-bidi's algorithm, both as quiz
lays them out (`on`) and as a terminal with its own bidi lays out what quiz sends it (`off`: marks and isolates)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from bidi import get_display as terminal_bidi  # python-bidi's full UBA (isolates, first-strong direction)
from test_cli_stats import bank, learner  # noqa: F401 - fixtures: ana's hand-computed history
from test_cli_stats import run as run_stats
from typer.testing import CliRunner

from quiz.cli import app
from quiz.render import FSI, LRI, PDI, RLM, Display, marked, visual
from quiz.terminal import BadMode, choose, detect

# --- detection ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("env", "name", "mode"), [
    ({"VTE_VERSION": "7006", "TERM": "xterm-256color"}, "VTE (GNOME Terminal, Tilix, Terminator…)", "off"),
    ({"KONSOLE_VERSION": "221203", "TERM": "xterm-256color"}, "Konsole", "on"),
    ({"MLTERM": "3.9.0", "TERM": "xterm"}, "mlterm", "on"),
    ({"TERM": "mlterm"}, "mlterm", "on"),
    ({"TERM_PROGRAM": "Apple_Terminal", "TERM": "xterm-256color"}, "Apple Terminal", "off"),
    ({"XTERM_VERSION": "XTerm(379)", "TERM": "xterm"}, "xterm", "on"),
    ({"TERM": "alacritty"}, "Alacritty", "on"),
    ({"ALACRITTY_WINDOW_ID": "1234", "TERM": "xterm-256color"}, "Alacritty", "on"),
    ({"TERM_PROGRAM": "vscode", "TERM": "xterm-256color"}, "VS Code", "on"),
    ({"WT_SESSION": "0d2c…", "TERM": "xterm-256color"}, "Windows Terminal", "on"),
    ({"TERM_PROGRAM": "ghostty", "TERM": "xterm-ghostty"}, "Ghostty", "on"),
    ({"KITTY_WINDOW_ID": "1", "TERM": "xterm-kitty"}, "kitty", "on"),
    ({"TERM_PROGRAM": "WezTerm", "TERM": "xterm-256color"}, "WezTerm", "on"),
    ({"TERM": "xterm-256color"}, "unknown", "on"),
    ({}, "unknown", "on"),
])
def test_auto_detects_the_terminal_from_its_variables(env: dict[str, str], name: str, mode: str) -> None:
    terminal = detect(env)
    assert (terminal.name, terminal.mode) == (name, mode)
    assert choose(None, env=env).mode == mode


def test_the_innermost_terminal_wins_over_inherited_variables() -> None:
    # VS Code started from GNOME Terminal keeps VTE_VERSION; Alacritty started from Konsole keeps KONSOLE_VERSION.
    assert detect({"VTE_VERSION": "7006", "TERM_PROGRAM": "vscode"}).name == "VS Code"
    assert detect({"KONSOLE_VERSION": "221203", "TERM": "alacritty"}).name == "Alacritty"
    assert detect({"VTE_VERSION": "7006", "XTERM_VERSION": "XTerm(379)", "TERM": "xterm"}).name == "xterm"


def test_option_then_environment_then_setting_then_auto() -> None:
    xterm = {"XTERM_VERSION": "XTerm(379)"}
    assert (choose("off", "on", env={**xterm, "QUIZ_BIDI": "on"}).mode,
            choose("off", "on", env={**xterm, "QUIZ_BIDI": "on"}).source) == ("off", "--bidi")
    assert choose(None, "off", env={**xterm, "QUIZ_BIDI": "on"}).source == "QUIZ_BIDI"
    assert (choose(None, "off", env=xterm).mode, choose(None, "off", env=xterm).source) == ("off", "setting bidi")
    assert (choose(None, "auto", env=xterm).mode, choose(None, None, env=xterm).source) == ("on", "auto")
    assert choose("auto", "off", env=xterm).mode == "on"  # an explicit --bidi auto overrides the setting
    assert choose(None, None, is_terminal=False, env=xterm).mode == "off"  # auto never reorders into a pipe
    assert choose("on", None, is_terminal=False, env=xterm).mode == "on"
    with pytest.raises(BadMode, match="QUIZ_BIDI: 'sideways' is not a bidi mode; use auto, on or off"):
        choose(None, None, env={"QUIZ_BIDI": "sideways"})


def test_version_says_what_auto_picks() -> None:
    assert choose(None, env={"XTERM_VERSION": "XTerm(379)"}).describe() == \
        "Arabic layout: on (auto: xterm, XTERM_VERSION; quiz reorders)"
    assert choose(None, env={"VTE_VERSION": "7006"}).describe() == \
        "Arabic layout: off (auto: VTE (GNOME Terminal, Tilix, Terminator…), VTE_VERSION; the terminal lays it out)"
    assert choose(None, env={"QUIZ_BIDI": "on"}).describe() == "Arabic layout: on (QUIZ_BIDI)"


def test_the_bidi_setting_is_remembered_and_checked() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["config", "bidi", "on"]).stdout == "bidi = on\n"
    assert runner.invoke(app, ["config", "bidi"]).stdout == "on\n"
    result = runner.invoke(app, ["config", "bidi", "sideways"])
    assert (result.exit_code, result.stderr) == (2, "Error: bidi: 'sideways' must be auto, on or off; "
                                                    "Arabic layout: auto (by terminal), on (quiz reorders) or off "
                                                    "(the terminal does)\n")


def test_a_bad_setting_or_variable_is_one_clear_line(bank: Path, learner: Path) -> None:  # noqa: F811
    result = CliRunner().invoke(app, ["stats", "--no-builtin", "--bank", str(bank), "--profile", "ana"],
                                env={"QUIZ_BIDI": "sideways", "QUIZ_NOW": "2026-11-22T09:00:00Z"})
    assert (result.exit_code, result.stderr) == (2, "Error: QUIZ_BIDI: 'sideways' is not a bidi mode; use auto, "
                                                    "on or off\n")


# --- `off`: lines a terminal's own bidi algorithm lays out right --------------------------------------------------


def plain(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def as_vte(line: str) -> str:
    """What a terminal that lays out Arabic itself shows (paragraph direction from the first strong letter, as VTE
    with autodetection, mlterm and Konsole do), read left to right without the invisible marks."""
    return plain(terminal_bidi(line))


def test_a_line_that_starts_with_latin_is_still_right_to_left() -> None:
    rate = "Enter للموافقة، أو قيّم من 1 إلى 4: "
    assert as_vte(rate).startswith("Enter")  # unmarked: a left-to-right paragraph, the colon at the far right
    assert as_vte(marked(rate)).rstrip().endswith("Enter")  # marked: read from the right, "Enter" comes first
    assert marked(rate).startswith(RLM + LRI + "Enter" + PDI)


def test_key_help_pairs_each_key_with_its_action() -> None:
    help_line = "مفاتيح متاحة دائمًا: u تراجع عن آخر إجابة، s تأجيل إلى الغد، q خروج، ? هذه المساعدة."
    shown = as_vte(marked(help_line))
    # Right to left: u then its action, s then its action, q then "quit".
    for key, action in (("u", "تراجع"), ("s", "تأجيل"), ("q", "خروج")):
        assert f"{action[::-1]} {key}" in shown, (key, shown)


def test_numbers_with_signs_stay_whole() -> None:
    line = "حدّدت الحد الجنوبي عند خط العرض 54°40′ شمالًا، ونسبة التذكر 45.0%."
    assert "54°40′" in as_vte(marked(line)) and "45.0%" in as_vte(marked(line))
    assert marked("السؤال 3 من 10") == "السؤال 3 من 10"  # plain numbers need no isolate


def test_table_cells_are_isolated_and_rows_right_to_left() -> None:
    display = Display("ar", False, 80, marks=True)
    cells = [display.cell(text).plain for text in ("2026-03-01 09:00", "✘ 1", "مجددًا", "76.6%")]
    row = "  ".join(cells)
    assert all(cell.startswith(RLM + FSI) and cell.endswith(PDI) for cell in cells)
    # The first cell ends up on the right, each cell whole, in the order of the columns read from the right.
    assert as_vte(row).split("  ") == ["76.6%", "اًددجم", "✘ 1", "2026-03-01 09:00"]


def test_charts_keep_time_left_to_right() -> None:
    from rich.text import Text as RichText

    display = Display("ar", False, 80, marks=True)
    row = display.chart(RichText("· ░ ▒ █  ن"))
    assert as_vte(row.plain) == "· ░ ▒ █  ن"  # the weekday label stays on the right, the weeks in order


# --- `on`: the key screens in visual order -------------------------------------------------------------------------

STUDY_BANK = """\
questions:
  - id: k-typed
    kind: typed
    era: middle
    prompt: {ar: "ما اسم القمر الصناعي؟", en: "Name the satellite."}
    answer: {ar: سبوتنيك, en: Sputnik}
    explanation: {ar: "أُطلق عام 1957، عند خط العرض 54°40′.", en: "Launched in 1957."}
    source: {doc: doc, para: 2}
"""


def rendered(result: object) -> list[str]:
    return [line.rstrip() for line in result.stdout.splitlines()]  # type: ignore[attr-defined]


def right(text: str, width: int) -> str:
    """Right-aligned in `width` terminal cells (harakat take none)."""
    from rich.cells import cell_len

    return " " * (width - cell_len(text)) + text


def shown(logical: str) -> str:
    """The expected visual form of one logical Arabic line (python-bidi's algorithm, right-to-left paragraph)."""
    return visual(logical, 10_000)


def study_on(tmp_path: Path, write_bank, answers: str, *extra: str) -> list[str]:  # type: ignore[no-untyped-def]
    bank_dir = write_bank(tmp_path / "bank", {"q.yaml": STUDY_BANK})
    result = CliRunner().invoke(app, ["study", "--no-builtin", "--bank", str(bank_dir), "--bidi", "on", *extra],
                                input=answers, env={"QUIZ_NOW": "2026-03-02T09:00:00Z", "COLUMNS": "80",
                                                    "QUIZ_FUZZ": "0", "QUIZ_SEED": "3"})
    assert result.exit_code == 0, result.output
    return rendered(result)


def test_question_feedback_and_summary_in_visual_order(tmp_path: Path, write_bank) -> None:  # type: ignore[no-untyped-def]
    out = study_on(tmp_path, write_bank, "سبوتنيك\n\nq\n", "--lang", "ar")
    header = shown("المرحلة الوسطى · إجابة مكتوبة · جديد")
    assert right(header, 80) in out  # right-aligned, read from the right
    assert right(shown("ما اسم القمر الصناعي؟"), 80) in out
    # The prompt keeps its space before the reply; the reply is echoed in display order after Enter.
    assert any(line.startswith(shown("إجابتك:") + " ") for line in out)
    assert any(line.endswith(shown("إجابتك: سبوتنيك")) for line in out)  # (after the prompt: input is piped)
    assert ("✔ " + shown("إجابة صحيحة!")).strip() in [line.strip() for line in out] or \
        right(shown("✔ إجابة صحيحة!"), 80) in out
    # Explanation: harakat kept (أُطلق keeps its damma), the coordinate whole.
    explanation = next(line for line in out if "54°40′" in line)
    assert "\u064f" in explanation
    # Summary: mirrored columns, the label on the right of its value.
    row = next(line for line in out if shown("الدقة") in line)
    assert re.search(r"100%\s+" + re.escape(shown("الدقة")), row), row


def test_both_languages_keep_answer_readable(tmp_path: Path, write_bank) -> None:  # type: ignore[no-untyped-def]
    out = study_on(tmp_path, write_bank, "x\n\nq\n", "--lang", "both")
    answer = next(line for line in out if "Answer:" in line)
    assert answer.startswith("Answer: " + shown("سبوتنيك")), answer


def test_stats_in_visual_order(bank: Path, learner: Path) -> None:  # noqa: F811
    result = run_stats(bank, "stats", "--profile", "ana", "--lang", "ar", "--bidi", "on", columns=100)
    assert (result.exit_code, result.stderr) == (0, "")
    out = rendered(result)
    assert out[0] == right(shown("تقدّم ana"), 100)
    # Mastery: columns mirrored (the era's title on the right, the counts on the left), titles cut at their end.
    header = next(line for line in out if line.endswith(" " + shown("الحقبة")))
    assert header.split()[0] == shown("ناضج"), header  # the last column (mature) is the leftmost
    first_era = next(line for line in out if shown("المرحلة الأولى") in line)
    assert first_era.endswith(shown("المرحلة الأولى")), first_era
    # Hardest questions: the id on the right, the figure to its left.
    q8 = next(line for line in out if line.rstrip().endswith("q8") and shown("مستعصٍ") in line)
    assert q8.lstrip().startswith(shown("مستعصٍ")), q8
    # The calendar keeps Arabic weekday labels, at the end of their rows.
    assert sum(1 for line in out if line.endswith(tuple(" " + shown(d) for d in "نرج"))) == 3


def test_history_in_visual_order(bank: Path, learner: Path) -> None:  # noqa: F811
    result = run_stats(bank, "history", "q3", "--profile", "ana", "--lang", "ar", "--bidi", "on")
    assert (result.exit_code, result.stderr) == (0, "")
    out = rendered(result)
    header = next(line for line in out if shown("التاريخ") in line)
    assert header.rstrip().endswith(shown("التاريخ"))  # the first column is the rightmost
    row = next(line for line in out if "2026-11-20 20:00" in line)
    assert row.rstrip().endswith("2026-11-20 20:00"), row


def test_truncation_cuts_the_end_of_the_logical_text() -> None:
    display = Display("ar", True, 80)
    cell = display.cell("البدايات والعلاقات الودية في القرن التاسع عشر", width=20).plain
    assert cell.endswith(shown("البدايات"))  # the beginning is kept, on the right
    assert cell.startswith("…")  # the cut is on the left, where the text would go on


def test_bank_marks_do_not_break_our_layout() -> None:
    assert visual("\u2066abc\u2069 نص", 80) == visual("abc نص", 80)
