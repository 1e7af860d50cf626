"""Which terminal we print to, and who lays out Arabic there: quiz (`on`: shaped and reordered here) or the
terminal itself (`off`: logical order, with direction marks and isolates so that its bidi algorithm gets each
line right).

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
    ("mlterm", "mlterm", "TERM=mlterm", "off"),
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
    ("VTE_VERSION", "VTE (GNOME Terminal, Tilix, Terminator…)", "off"),
    ("KONSOLE_VERSION", "Konsole", "off"),
    ("MLTERM", "mlterm", "off"),
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
        """Whether to send direction marks and isolates (U+200E/F, U+2066–2069) for this terminal's own bidi:
        seen under Xvfb, VTE 0.70 drops them (it gets the paragraph direction by escape sequence instead) and
        mlterm 3.9 draws them as boxes one cell wide, which breaks every table; Konsole and unknown terminals
        (with `--bidi off`) get them."""
        return not (self.name.startswith("VTE") or self.name == "mlterm")


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


def prepare(stream: IO[str], lang: str = "ar") -> None:
    """Before lines meant for the terminal's own bidi: in VTE, right-to-left paragraphs for an Arabic interface
    (detected per line for `both`), back to the default when quiz exits. Once per process."""
    global _prepared
    if _prepared or not needs_vte_autodetect():
        return
    _prepared = True
    import atexit

    on, off = (VTE_RTL_ON, VTE_RTL_OFF) if lang == "ar" else (VTE_AUTODETECT_ON, VTE_AUTODETECT_OFF)
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
