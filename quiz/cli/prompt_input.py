"""The study prompt: what it asks (the rating preview, the order hint), how it reads the learner's reply, and
the signals that end a session while it waits."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

    from quiz.cli.options import Console  # rich lives in quiz.cli.options (and the renderers)
    from quiz.model import Rating
    from quiz.render import Display
    from quiz.session import Session


class Quit(Exception):
    """The learner ended the session (end of input, or a quit key): the summary follows, exit status 0."""


def prepare_input() -> None:
    """Before the first prompt: SIGHUP exits with 129; SIGTERM and SIGQUIT end the session like Ctrl-C (the
    summary, then 128 + signal); undecodable input bytes are replaced rather than fatal."""
    import signal

    def hangup(signum: int, frame: object) -> None:
        raise SystemExit(129)

    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, hangup)
    _end_on_signals(signal)
    if sys.stdin is not None and hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")


class Signalled(KeyboardInterrupt):
    """SIGTERM or SIGQUIT during a session: handled as Ctrl-C is, with exit status 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.code = 128 + signum


def _end_on_signals(signal: Any) -> None:
    def handler(signum: int, frame: object) -> None:
        raise Signalled(signum)

    for name in ("SIGTERM", "SIGQUIT"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)


def read_line(prompt: str, display: Display, out: Console) -> str:
    """One line of input; end of input ends the session cleanly.

    At a terminal the line is read from the file descriptor (the terminal's own line editing still applies):
    a NUL character (Ctrl-@, Ctrl-Space) is refused and the line asked again, where C's line reading would cut
    the answer at it; Ctrl-D after half a line submits that half line at once, like Enter (Ctrl-D on an empty
    line ends the session).
    """
    from quiz.messages import say

    while True:
        out.print(display.line(prompt, align=False), end="")
        try:
            line = _terminal_line() if _at_terminal() else input()
        except EOFError:
            out.print()
            raise Quit() from None
        if "\x00" not in line:
            return line
        lang = "ar" if any("\u0600" <= ch <= "\u06ff" for ch in prompt) else "en"
        out.print(display.line(say("invalid.nul", lang), "yellow"))  # type: ignore[arg-type]


def _at_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.fileno() == 0 and os.isatty(0)
    except (OSError, ValueError, AttributeError):
        return False


def _terminal_line() -> str:
    """One line from the terminal in canonical mode: a read returns a whole line, or what was typed before
    Ctrl-D; an empty read is the end of input."""
    sys.stdout.flush()
    chunk = os.read(0, 65536)
    if not chunk:
        raise EOFError
    if not chunk.endswith(b"\n"):
        sys.stdout.write("\n")  # Ctrl-D left the cursor after the half line
    return chunk.decode("utf-8", "replace").removesuffix("\n").removesuffix("\r")


def order_example(n: int) -> list[int]:
    """An order that is not the identity, for the hint: 3 1 2, 2 4 1 3, …"""
    if n <= 1:
        return [1]
    if n == 3:
        return [3, 1, 2]
    return [i for i in range(2, n + 1, 2)] + [i for i in range(1, n + 1, 2)]


def preview_prompt(session: Session, lang: str, suggested: Rating, now: datetime, card: bool) -> str:
    """`Enter = Good (10 min) · 1 Again 1 min · 2 Hard 6 min · 4 Easy 4 days: `, from the scheduler."""
    from quiz.messages import say, span
    from quiz.model import Rating

    due = session.preview(now)

    def when(rating: Rating) -> str:
        moment = due[rating]
        return span(0 if moment is None else (moment - now).total_seconds(), lang)  # type: ignore[arg-type]

    name = {r: say(f"rating.{int(r)}", lang) for r in Rating}  # type: ignore[arg-type]
    others = " · ".join(say("prompt.preview.key", lang, digit=int(r), rating=name[r], when=when(r))  # type: ignore[arg-type]
                        for r in Rating if r != suggested)
    text = say("prompt.preview", lang, rating=name[suggested], when=when(suggested), others=others)  # type: ignore[arg-type]
    return (say("prompt.recall", lang) + text) if card else text  # type: ignore[arg-type]
