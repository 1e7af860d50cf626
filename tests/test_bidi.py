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
    ({"VTE_VERSION": "7006", "TERM": "xterm-256color"}, "VTE (GNOME Terminal, Tilix, Terminator…)", "on"),
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
        "Arabic layout: on (auto: VTE (GNOME Terminal, Tilix, Terminator…), VTE_VERSION; quiz reorders, the " \
        "terminal's own bidi off while quiz runs (BDSM explicit mode))"
    assert choose(None, env={"TERM_PROGRAM": "Apple_Terminal"}).describe() == \
        "Arabic layout: off (auto: Apple Terminal, TERM_PROGRAM=Apple_Terminal; the terminal lays it out)"
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


# --- mlterm and Konsole: quiz's layout, each line in a left-to-right override ------------------------------------

LRM, LRO, PDF, LRE, ZWNJ = "\u200e", "\u202d", "\u202c", "\u202a", "\u200c"
TERMINAL_VARIABLES = ("TERM", "TERM_PROGRAM", "VTE_VERSION", "KONSOLE_VERSION", "MLTERM", "XTERM_VERSION",
                      "WT_SESSION", "KITTY_WINDOW_ID", "ALACRITTY_WINDOW_ID", "ALACRITTY_SOCKET", "ALACRITTY_LOG",
                      "GHOSTTY_RESOURCES_DIR", "WEZTERM_EXECUTABLE", "QUIZ_BIDI")
MLTERM = {"MLTERM": "3.9.0", "TERM": "xterm"}
KONSOLE = {"KONSOLE_VERSION": "221203", "TERM": "xterm-256color"}


@pytest.fixture
def in_terminal(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Sets the environment of one terminal (and only its variables)."""
    def use(env: dict[str, str]) -> None:
        for name in TERMINAL_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
    return use


def test_the_guard_of_each_terminal() -> None:
    mlterm, konsole = detect(MLTERM), detect(KONSOLE)
    assert (mlterm.guard, mlterm.guard_end, mlterm.guard_cells) == ("\x1b[K" + LRM + LRO, PDF, 4)
    assert (konsole.guard, konsole.guard_end, konsole.guard_cells) == (" " + LRO, PDF + LRM, 1)
    for env in ({"VTE_VERSION": "7006"}, {"XTERM_VERSION": "XTerm(379)"}, {"TERM": "alacritty"}, {}):
        assert (detect(env).guard, detect(env).guard_cells) == ("", 0)
    assert choose(None, env=KONSOLE).describe() == \
        "Arabic layout: on (auto: Konsole, KONSOLE_VERSION; quiz reorders, each line in a left-to-right override)"
    assert (mlterm.marks, konsole.marks, mlterm.logical_prompt, konsole.logical_prompt) == (False, True, True, False)
    assert not mlterm.italic_arabic and not konsole.italic_arabic and detect({"VTE_VERSION": "1"}).italic_arabic


def written(env: dict[str, str], *chunks: str) -> str:
    import io

    from quiz.terminal import guarded

    out = io.StringIO()
    stream = guarded(out, detect(env))
    for chunk in chunks:
        stream.write(chunk)
    return out.getvalue()


def test_guarded_lines_in_mlterm() -> None:
    line = visual("يعود هذا السؤال بعد 10 دقائق.", 80)
    assert written(MLTERM, line + "\n\n") == "\x1b[K" + LRM + LRO + line + PDF + "\n\n"  # empty lines stay empty
    # The prompt (no newline: the reply follows) goes as quiz wrote it: mlterm lays it out with the reply.
    prompt = RLM + LRE + "Enter" + PDF + " للموافقة: "
    assert written(MLTERM, prompt) == prompt
    # After a bar the override starts again (mlterm lays out the text between box-drawing characters apart),
    # one leading space fewer for the cell the LRO takes; a one-letter label needs none.
    row = "  \x1b[32m██░░\x1b[0m  " + visual("الحرب الباردة", 80)
    assert written(MLTERM, row + "\n") == \
        "\x1b[K" + LRM + LRO + " \x1b[32m██░░" + LRO + "\x1b[0m  " + visual("الحرب الباردة", 80) + PDF + "\n"
    assert written(MLTERM, "· ░ ▒ █  ن\n") == "\x1b[K" + LRM + LRO + "· ░ ▒ █  ن" + PDF + "\n"


def test_guarded_lines_in_konsole() -> None:
    prompt = visual("إجابتك (رقم أو نص):", 80) + " "
    assert written(KONSOLE, "\x1b[1m" + prompt) == " " + LRO + "\x1b[1m" + prompt + PDF + LRM
    # ICU (Konsole's shaping) joins a lam and the alef after it in memory: the article read backwards.
    article = visual("البداية", 80)
    assert article.endswith("\ufedf\ufe8d")  # lam (initial), alef: visual order
    assert written(KONSOLE, article + "\n") == " " + LRO + article[:-1] + ZWNJ + article[-1] + PDF + LRM + "\n"
    assert "\ufefb" in visual("لا", 80) and ZWNJ not in written(KONSOLE, visual("لا", 80))  # لا: one ligature


def test_a_guarded_line_is_shown_as_quiz_laid_it_out() -> None:
    """The terminal's bidi algorithm (python-bidi's UBA: mlterm's fribidi and Konsole's ICU run the same) leaves a
    guarded line in quiz's visual order, and puts the reply typed after the prompt on the prompt's right."""
    line = visual("حرب القرم (1853-1856) عند 54°40′ ونسبة 45.0%.", 80)
    for env in (MLTERM, KONSOLE):
        shown = written(env, line + "\n").removesuffix("\n").removeprefix("\x1b[K")
        assert plain(terminal_bidi(shown, base_dir="L")).strip() == line
        assert plain(terminal_bidi(shown)).strip() == line  # also where the paragraph takes its first letter's
    prompt = visual("إجابتك:", 80) + " "
    typed = plain(terminal_bidi(written(KONSOLE, prompt) + "سبوتنيك", base_dir="L"))
    assert typed == " " + prompt + "سبوتنيك"[::-1], typed  # the reply laid out by Konsole, right of the prompt


def test_the_console_carries_the_guard(in_terminal) -> None:  # type: ignore[no-untyped-def]
    import io

    from quiz.cli.options import display_for
    from quiz.render import make_console

    in_terminal(KONSOLE)
    out = make_console(file=io.StringIO(), force_terminal=True, width=60, highlight=False, emoji=False)
    display = display_for("ar", None, out)
    assert (display.reorder, display.guard, display.width, out.width) == (True, " " + LRO, 59, 59)
    out.print(display.line("يعود هذا بعد 10 دقائق."))
    assert out.file.getvalue() == " " + LRO + right(shown("يعود هذا بعد 10 دقائق."), 59) + PDF + LRM + "\n"
    in_terminal(MLTERM)
    out = make_console(file=io.StringIO(), force_terminal=True, width=60, highlight=False, emoji=False)
    display = display_for("ar", None, out)
    assert (display.width, display.logical_prompt, display.prompt_margin, display.italic) == (56, True, 4, False)
    again = display_for("both", None, out)  # a second display (another language) on the same console
    assert (again.width, again.prompt_margin, out.width) == (56, 4, 56) and out.file.getvalue() == ""
    assert display_for("en", None, make_console(file=io.StringIO(), force_terminal=True)).guard == ""
    # Not a terminal: no guard, plain logical text.
    assert display_for("ar", None, make_console(file=io.StringIO())).guard == ""


def test_the_mlterm_prompt_is_logical_marked_and_wrapped_here() -> None:
    display = Display("ar", True, 40, logical_prompt=True, prompt_margin=4)
    prompt = "اضغط Enter لقبول «جيد» (10 دقائق)، أو قيّم: 1 «مرة أخرى» 1 د · 2 «صعب» 6 د: "
    assert display.line(prompt, align=False).plain == (  # each line within 40 - 4 columns, 4 spaces in front
        "    اضغط " + LRE + "Enter" + PDF + " لقبول «جيد» (10 دقائق)،\n"
        "    أو قيّم: 1 «مرة أخرى» 1 د · 2 «صعب»\n"
        "    " + RLM + "6 د: ")
    assert display.line("Enter للموافقة: ", align=False).plain == "    " + RLM + LRE + "Enter" + PDF + " للموافقة: "
    assert display.line("إجابتك: ", align=False).plain == "    إجابتك: "
    assert display.line("إجابتك: ").plain != "    إجابتك: "  # other lines: quiz's layout


def test_italic_arabic_is_dropped_where_the_terminal_has_no_italic_arabic() -> None:
    assert Display("ar", True, 80, italic=False).line("شرح", "italic dim").style == "dim"
    assert Display("ar", True, 80, italic=False).line("why", "italic").style == "italic"
    assert Display("ar", True, 80).line("شرح", "italic").style == "italic"


def test_marks_for_the_mlterm_prompt_are_embeddings() -> None:
    rate = "Enter للموافقة، أو قيّم من 1 إلى 4: "
    assert marked(rate, embed=True) == RLM + LRE + "Enter" + PDF + " للموافقة، أو قيّم من 1 إلى 4: "
    assert marked("عند 54°40′ ونسبة 45.0%.", embed=True) == "عند " + LRE + "54°40′" + PDF + " ونسبة " + LRE + \
        "45.0%" + PDF + "."


def test_vte_is_put_in_explicit_mode_while_quiz_reorders(in_terminal, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import io

    import quiz.terminal
    from quiz.terminal import prepare

    in_terminal({"VTE_VERSION": "7006", "TERM": "xterm-256color"})
    restore: list[object] = []
    monkeypatch.setattr("atexit.register", restore.append)
    for reorder, lang, on, off in ((True, "ar", "\x1b[8l", "\x1b[8h"), (False, "ar", "\x1b[2 k", "\x1b[0 k"),
                                   (False, "both", "\x1b[?2501h", "\x1b[?2501l")):
        monkeypatch.setattr(quiz.terminal, "_prepared", False)
        out = io.StringIO()
        prepare(out, lang, reorder)
        prepare(out, lang, reorder)  # once per process
        assert out.getvalue() == on
        restore.pop()()  # type: ignore[operator]  # at exit
        assert out.getvalue() == on + off
    monkeypatch.setattr(quiz.terminal, "_prepared", False)
    in_terminal(KONSOLE)
    out = io.StringIO()
    prepare(out, "ar", True)
    assert out.getvalue() == ""  # only VTE


@pytest.mark.slow  # a real terminal (pexpect)
@pytest.mark.parametrize(("env", "start", "end"), [
    ({**KONSOLE, "QUIZ_BIDI": "off"}, "", ""),  # the terminal's own bidi: logical lines, written without rich
    (KONSOLE, " " + LRO, PDF + LRM + "\r\n"),  # auto: quiz's layout, guarded
    (MLTERM, "\x1b[K" + LRM + LRO, PDF + "\r\n"),
    ({"VTE_VERSION": "7006", "TERM": "xterm-256color"}, "\x1b[8l", "\r\n\x1b[8h"),  # explicit mode, then back
])
def test_quiz_due_in_a_real_terminal(bank: Path, learner: Path, env: dict[str, str], start: str,  # noqa: F811
                                     end: str) -> None:
    import os
    import sys

    import pexpect

    child_env = {k: v for k, v in os.environ.items() if k not in TERMINAL_VARIABLES}
    child_env.update({**env, "QUIZ_NOW": "2026-11-22T09:00:00Z", "COLUMNS": "100", "LINES": "40"})
    child = pexpect.spawn(sys.executable, ["-m", "quiz", "due", "--no-builtin", "--bank", str(bank), "--profile",
                                           "ana", "--lang", "ar"], env=child_env, encoding="utf-8",
                          timeout=30, dimensions=(40, 100))
    child.expect(pexpect.EOF)
    child.close()
    out = child.before
    assert child.exitstatus == 0, out
    assert out.startswith(start) and out.endswith(end), repr(out)
    text = out.replace(ZWNJ, "")  # Konsole: lam and alef kept apart
    assert ("المستحق الآن" if env.get("QUIZ_BIDI") == "off" else shown("المستحق الآن")) in text, repr(out)
