"""Output that cannot carry Unicode (`PYTHONIOENCODING=ascii`, a cp1252 console): what it cannot encode is written
in plain ASCII (`·` → `-`, `✔` → `+`, `—` → `-`, box lines → `+-|`), anything else as `?`, instead of failing.
Installed by the console script only when stdout or stderr is not UTF-8, so it costs nothing otherwise."""

from __future__ import annotations

import codecs
import sys

FALLBACKS = {
    "·": "-", "—": "-", "–": "-", "…": "...", "✔": "+", "✘": "x", "→": "->", "←": "<-", "«": '"', "»": '"',
    "“": '"', "”": '"', "‘": "'", "’": "'", "±": "+/-", "°": " deg", "′": "'", "″": '"', "×": "x", "•": "*",
    "█": "#", "▓": "#", "▒": "+", "░": ".", "\u00a0": " ",
}
"""Characters with an ASCII stand-in; box-drawing characters are handled by their shape."""
HANDLER = "quiz-ascii"


def _fallback(char: str) -> str:
    if char in FALLBACKS:
        return FALLBACKS[char]
    code = ord(char)
    if 0x2500 <= code <= 0x257F:  # box drawing: corners and crossings +, horizontals -, verticals |
        import unicodedata

        name = unicodedata.name(char, "")
        if "HORIZONTAL" in name and "VERTICAL" not in name:
            return "-"
        if "VERTICAL" in name and "HORIZONTAL" not in name and "AND" not in name:
            return "|"
        return "+"
    if 0x200B <= code <= 0x200F or 0x2066 <= code <= 0x2069 or 0x202A <= code <= 0x202E:  # marks, isolates
        return ""
    return "?"


def _handle(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(_fallback(char) for char in text), error.end


def _is_utf(stream: object) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-16", "utf-32", "utf-8-sig")
    except LookupError:
        return False


def install() -> None:
    """Make stdout and stderr write ASCII stand-ins for what their encoding lacks (only if one is not UTF-8)."""
    streams = [s for s in (sys.stdout, sys.stderr) if s is not None and not _is_utf(s)]
    if not streams:
        return
    codecs.register_error(HANDLER, _handle)
    for stream in streams:
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=HANDLER)
