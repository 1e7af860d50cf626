"""Which terminal we print to, and who lays out Arabic there: quiz (`on`: shaped and reordered here) or the
terminal itself (`off`: logical order, with direction marks and isolates so that its bidi algorithm gets each
line right).

Terminals that lay out Arabic themselves do it differently, and none shows a whole Arabic screen right from
logical text, so `auto` has quiz lay it out (`on`) there too and keeps the terminal's bidi out of the way. VTE
drops marks and isolates (a date and its time swap, `%` leaves its number, charts are mirrored): it is put in
explicit mode (BDSM) while quiz runs, as xterm shows text. mlterm (fribidi, per screen line) and Konsole (ICU, every
line a left-to-right paragraph, drawn left-aligned, brackets not mirrored, lam-alef split): each line starts
with a left-to-right override (LRO … PDF), so that their bidi leaves quiz's visual order alone (`guard`).
Konsole drops a zero-width character in the first column, so there the override follows a space.

Only environment variables are read (no escape-sequence queries, no imports beyond `os`), so `quiz --version` can
say what `auto` picks without slowing start-up. A terminal's own variables are set for the programs it starts;
one started from another inherits the outer one's too, so the most specific evidence is checked first: `TERM`
(always set by the innermost terminal), then `TERM_PROGRAM`, then the variables of terminals that do not lay out
Arabic, then those of terminals that do.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Literal

Mode = Literal["on", "off"]
MODES = ("auto", "on", "off")

# (terminal, the variable or value that shows it, who lays out Arabic there)
_BY_TERM: tuple[tuple[str, str, str, Mode], ...] = (
    ("alacritty", "Alacritty", "TERM=alacritty", "on"),
    ("xterm-kitty", "kitty", "TERM=xterm-kitty", "on"),
    ("xterm-ghostty", "Ghostty", "TERM=xterm-ghostty", "on"),
    ("wezterm", "WezTerm", "TERM=wezterm", "on"),
    ("mlterm", "mlterm", "TERM=mlterm", "on"),
)
_BY_TERM_PROGRAM: dict[str, tuple[str, Mode]] = {
    "Apple_Terminal": ("Apple Terminal", "off"),
    "vscode": ("VS Code", "on"),
    "WezTerm": ("WezTerm", "on"),
    "ghostty": ("Ghostty", "on"),
}
_BY_VARIABLE: tuple[tuple[str, str, Mode], ...] = (
    ("WT_SESSION", "Windows Terminal", "on"),
    ("XTERM_VERSION", "xterm", "on"),
    ("ALACRITTY_WINDOW_ID", "Alacritty", "on"),
    ("ALACRITTY_SOCKET", "Alacritty", "on"),
    ("ALACRITTY_LOG", "Alacritty", "on"),
    ("KITTY_WINDOW_ID", "kitty", "on"),
    ("GHOSTTY_RESOURCES_DIR", "Ghostty", "on"),
    ("WEZTERM_EXECUTABLE", "WezTerm", "on"),
    ("VTE_VERSION", "VTE (GNOME Terminal, Tilix, Terminator…)", "on"),
    ("KONSOLE_VERSION", "Konsole", "on"),
    ("MLTERM", "mlterm", "on"),
)
# Most terminal emulators (and the Windows console) do not lay out right-to-left text: reorder for them.
UNKNOWN_MODE: Mode = "on"


@dataclass(frozen=True, slots=True)
class Terminal:
    """What the environment says about the terminal: its name, the evidence, and who should lay out Arabic."""

    name: str
    evidence: str
    mode: Mode

    @property
    def marks(self) -> bool:
        """Whether to send direction marks and isolates for this terminal's own bidi (`off`): seen under Xvfb,
        VTE 0.70 drops them (it gets the paragraph direction by escape sequence instead) and mlterm 3.9 draws
        isolates as boxes and gives every mark a cell of its own, which breaks every table; Konsole and unknown
        terminals get them."""
        return not (self.name.startswith("VTE") or self.name == "mlterm")

    @property
    def guard(self) -> str:
        """What starts each line that quiz laid out itself (`on`), so that the terminal's own bidi leaves it as
        it is: a left-to-right override, ended by PDF at the end of the line. mlterm: LRM (a left-to-right
        paragraph, else it right-aligns the line again) then LRO; Konsole: a space then LRO (Konsole drops a
        zero-width character in the first column; its paragraphs are always left to right). Empty elsewhere."""
        return _GUARDS.get(self.name, ("", "", 0))[0]

    @property
    def guard_cells(self) -> int:
        """The columns the guard and its PDF take: mlterm gives every zero-width character a cell of its own."""
        return _GUARDS.get(self.name, ("", "", 0))[2]

    @property
    def guard_end(self) -> str:
        """What ends each guarded line: PDF (and LRM in Konsole)."""
        return _GUARDS.get(self.name, ("", "", 0))[1]

    @property
    def italic_arabic(self) -> bool:
        """Whether Arabic may be italic: mlterm 3.9 (xft) takes an italic font without Arabic and draws boxes;
        Konsole 22.12 draws italic presentation forms without the spaces between words."""
        return self.name not in ("mlterm", "Konsole")

    @property
    def logical_prompt(self) -> bool:
        """Whether the study prompt goes in logical order, with marks, unguarded, for the terminal to lay out
        with the reply typed after it: mlterm shows a guarded prompt line in logical order again once Arabic is
        typed on it."""
        return self.name == "mlterm"


LRM, LRO, PDF, ZWNJ = "\u200e", "\u202d", "\u202c", "\u200c"
# mlterm: EL first, or the columns that the guard's zero-width cells leave undrawn keep what scrolled past them.
# (start of a line, end of a line, the cells they take). mlterm: 3 cells for LRM, LRO and PDF, 1 for an LRO
# after a bar (see `_reopen`). Konsole: LRM after PDF, or a reply typed in Arabic after the prompt would join the
# override's embedding level and be put on the prompt's left.
_GUARDS = {"mlterm": ("\x1b[K" + LRM + LRO, PDF, 4), "Konsole": (" " + LRO, PDF + LRM, 1)}


def detect(env: Mapping[str, str] | None = None) -> Terminal:
    """The terminal named by the environment, or 'unknown' with the default for unknown terminals."""
    env = os.environ if env is None else env
    term = env.get("TERM", "")
    for prefix, name, evidence, mode in _BY_TERM:
        if term.startswith(prefix):
            return Terminal(name, evidence, mode)
    program = env.get("TERM_PROGRAM", "")
    if program in _BY_TERM_PROGRAM:
        name, mode = _BY_TERM_PROGRAM[program]
        return Terminal(name, f"TERM_PROGRAM={program}", mode)
    for variable, name, mode in _BY_VARIABLE:
        if env.get(variable):
            return Terminal(name, variable, mode)
    return Terminal("unknown", "no known variable", UNKNOWN_MODE)


@dataclass(frozen=True, slots=True)
class BidiChoice:
    """The layout in effect: `on` (quiz reorders), `off` (the terminal does); where the mode came from (`--bidi`,
    `QUIZ_BIDI`, the `bidi` setting or `auto`), and, for `auto`, the terminal it detected."""

    mode: Mode
    source: str
    terminal: Terminal | None = None
    is_terminal: bool = True

    def describe(self) -> str:
        """One line for `quiz --version`: what is used, and why."""
        if self.source != "auto":
            return f"Arabic layout: {self.mode} ({self.source})"
        if not self.is_terminal:
            return "Arabic layout: off (auto: output is not a terminal)"
        assert self.terminal is not None
        who = "quiz reorders" if self.mode == "on" else "the terminal lays it out"
        if self.mode == "on" and self.terminal.guard:
            who += ", each line in a left-to-right override"
        elif self.mode == "on" and self.terminal.name.startswith("VTE"):
            who += ", the terminal's own bidi off while quiz runs (BDSM explicit mode)"
        return f"Arabic layout: {self.mode} (auto: {self.terminal.name}, {self.terminal.evidence}; {who})"


class BadMode(ValueError):
    def __init__(self, source: str, value: str) -> None:
        super().__init__(f"{source}: '{value}' is not a bidi mode; use auto, on or off")
        self.source = source


def choose(option: str | None, setting: str | None = None, *, is_terminal: bool = True,
           env: Mapping[str, str] | None = None) -> BidiChoice:
    """--bidi, else QUIZ_BIDI, else the `bidi` setting, else `auto` (the detected terminal's need). `auto`
    never reorders when output is not a terminal. Raises BadMode for a value that is not a mode."""
    env = os.environ if env is None else env
    for source, raw in (("--bidi", option), ("QUIZ_BIDI", env.get("QUIZ_BIDI")), ("setting bidi", setting)):
        if not raw:
            continue
        value = raw.strip().lower()
        if value not in MODES:
            raise BadMode(source, raw)
        if value != "auto":
            return BidiChoice(value, source, is_terminal=is_terminal)  # type: ignore[arg-type]
        break
    if not is_terminal:
        return BidiChoice("off", "auto", is_terminal=False)
    terminal = detect(env)
    return BidiChoice(terminal.mode, "auto", terminal)


# VTE lays out each paragraph left to right unless told otherwise (VTE ≥ 0.58): SCP (`CSI 2 SP k`) makes new
# paragraphs right to left, also those that start with a Latin word or a digit, which is what an Arabic interface
# needs; private mode 2501 detects each paragraph's direction from its first strong letter (for `--lang both`).
# Lines already shown keep their direction when quiz resets both at exit. Other terminals ignore both.
VTE_RTL_ON, VTE_RTL_OFF = "\x1b[2 k", "\x1b[0 k"
VTE_AUTODETECT_ON, VTE_AUTODETECT_OFF = "\x1b[?2501h", "\x1b[?2501l"


def needs_vte_autodetect(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("VTE_VERSION")) and detect(env).name.startswith("VTE")


# BDSM (VTE ≥ 0.58): in explicit mode (`CSI 8 l`) VTE shows lines as they come, laid out by quiz (`on`), as
# xterm does; implicit (`CSI 8 h`, the default) again at exit. VTE drops marks and isolates, so with its own bidi
# a date and its time swap, `%` leaves its number and charts are mirrored: explicit mode is what `auto` picks.
VTE_EXPLICIT_ON, VTE_EXPLICIT_OFF = "\x1b[8l", "\x1b[8h"


def prepare(stream: IO[str], lang: str = "ar", reorder: bool = False) -> None:
    """Before Arabic lines, in VTE: when quiz reorders, explicit mode (VTE lays out nothing); otherwise, for the
    terminal's own bidi, right-to-left paragraphs for an Arabic interface (detected per line for `both`). Back to
    the default when quiz exits. Once per process."""
    global _prepared
    if _prepared or not needs_vte_autodetect():
        return
    _prepared = True
    import atexit

    if reorder:
        on, off = VTE_EXPLICIT_ON, VTE_EXPLICIT_OFF
    elif lang == "ar":
        on, off = VTE_RTL_ON, VTE_RTL_OFF
    else:
        on, off = VTE_AUTODETECT_ON, VTE_AUTODETECT_OFF
    stream.write(on)
    stream.flush()

    def restore() -> None:
        try:
            stream.write(off)
            stream.flush()
        except (OSError, ValueError):
            pass

    atexit.register(restore)


_prepared = False


# Konsole shapes each line with ICU, which joins a lam followed by an alef, also in presentation forms: in quiz's
# visual order that is the article ال read backwards (لا itself is one ligature already). ZWNJ keeps them apart.
_LAM_ALEF = ("\ufedd\ufede\ufedf\ufee0", "\ufe81\ufe82\ufe83\ufe84\ufe85\ufe86\ufe87\ufe88\ufe8d\ufe8e")


def _is_box(ch: str) -> bool:
    return "\u2500" <= ch <= "\u259f"


def _is_rtl(ch: str) -> bool:
    return "\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefc"


def _reopen(line: str) -> str:
    """mlterm lays out the text between box-drawing characters (U+2500–U+259F: the mastery bars, the legend's
    swatches) as paragraphs of their own, outside the line's override: LRO again after a bar that is followed by
    Arabic words (one letter, a weekday, reads the same either way)."""
    if not any(_is_box(ch) for ch in line):
        return line
    from itertools import groupby

    pieces = ["".join(run) for _, run in groupby(line, key=_is_box)]
    out = []
    added = 0
    for index, piece in enumerate(pieces):
        out.append(piece)
        after = pieces[index + 1] if index + 1 < len(pieces) else ""
        if _is_box(piece[0]) and sum(map(_is_rtl, after)) > 1:
            out.append(LRO)
            added += 1
    return _unpad("".join(out), added)


def _unpad(line: str, cells: int) -> str:
    """The line with up to `cells` of its leading spaces (after any escape sequences) taken out, for the cells
    that mlterm gives zero-width characters: a right-aligned line keeps its right edge."""
    start = 0
    while line.startswith("\x1b[", start):
        end = start + 2
        while end < len(line) and not ("@" <= line[end] <= "~"):
            end += 1
        start = end + 1
    spaces = len(line[start:]) - len(line[start:].lstrip(" "))
    drop = min(cells, spaces)
    return line[:start] + line[start + drop:]


class GuardedStream:
    """A text stream that puts `guard` at the start of every line written through it and `end` at its end (before
    the newline, or at the end of a write that ends mid-line: a prompt, after which the reply typed is the
    terminal's to lay out, and the learner's Enter starts a new line). rich writes each `print` at once, and
    only the study prompt is printed without a newline: with `prompts=False` it is written as it is. Empty
    lines are left empty; with `unjoin`, a lam followed by an alef gets a ZWNJ between them (Konsole); with
    `reopen`, the override starts again after bars (mlterm). The rest is delegated."""

    def __init__(self, stream: IO[str], guard: str, *, end: str = PDF, unjoin: bool = False,
                 prompts: bool = True, reopen: bool = False) -> None:
        self._stream = stream
        self._guard = guard
        self._end = end
        self._unjoin = unjoin
        self._prompts = prompts
        self._reopen = reopen

    def write(self, text: str) -> int:
        if not self._prompts and not text.endswith("\n"):
            return self._stream.write(text)
        lines = text.split("\n")
        if self._reopen:
            lines = [_reopen(line) for line in lines]
        guarded = "\n".join(self._guard + line + self._end if line else line for line in lines)
        if self._unjoin:
            guarded = "".join(ch + ZWNJ if ch in _LAM_ALEF[0] and after in _LAM_ALEF[1] else ch
                              for ch, after in zip(guarded, guarded[1:] + " ", strict=True))
        self._stream.write(guarded)
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def guarded(stream: IO[str], terminal: Terminal) -> GuardedStream:
    """`stream` with the guard of `terminal` on each line."""
    return GuardedStream(stream, terminal.guard, end=terminal.guard_end, unjoin=terminal.name == "Konsole",
                         prompts=not terminal.logical_prompt, reopen=terminal.name == "mlterm")


# --- cell widths ------------------------------------------------------------------------------------------------

_WIDTHS: dict[str, int] = {}


def cells(text: str) -> int | None:
    """The cells `text` takes in a terminal as rich counts them (`rich.cells.cell_len`), for Latin, Arabic and
    the charts' glyphs (tests/test_stats_plain.py holds `_widths` to rich's tables); None when it holds anything
    else (`quiz.render.cell_width` asks rich then), so plain output measures its lines without importing rich."""
    if text.isascii() and text.isprintable():
        return len(text)
    widths = _WIDTHS or _widths()
    total = 0
    for ch in text:
        width = widths.get(ch)
        if width is None:
            return None
        total += width
    return total


def _widths() -> dict[str, int]:
    """Characters rich counts one cell each (its own single-cell ranges, Arabic letters, digits and punctuation,
    general punctuation) or none (Arabic marks, zero-width and direction marks); the Arabic number signs and
    ZWJ (rich measures sequences around it) are left to rich."""
    import unicodedata

    ranges = [(0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2500, 0x25FC), (0x600, 0x6FF),
              (0x750, 0x77F), (0x2010, 0x2027), (0x2030, 0x205E), (0x200B, 0x200F), (0x202A, 0x202E),
              (0x2066, 0x2069)]
    for start, end in ranges:
        for code in range(start, end + 1):
            ch = chr(code)
            category = unicodedata.category(ch)
            if category == "Cn" or ch == "\u200d" or (category == "Cf" and code < 0x2000):
                continue
            _WIDTHS[ch] = 0 if category in ("Mn", "Me", "Cf") else 1
    return _WIDTHS
