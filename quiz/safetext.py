"""Text from outside the program made safe to show: the one cleaning for bank text and for messages.

Bank files, file names, answers and database contents are written by someone else. Shown raw, they can drive the
terminal (`ESC ] 52` writes the clipboard, `ESC ] 0` sets the window title, `ESC [ 2 J` clears the screen), forge
lines (a newline in a file name makes a second `Error:` line), or display text in another order than it is
stored (bidi overrides and isolates, zero-width characters).

- `for_screen(text)`: bank text shown as content (questions, options, explanations, Anki fields). Escape
  sequences are removed whole, their parameter bytes included (7-bit `ESC [ … J`, `ESC ] … BEL/ST`, `ESC P … ST`
  and their 8-bit C1 forms `CSI`, `OSC`, `DCS`, `SOS`, `PM`, `APC`); other control characters go, except newline
  and tab. Bidi embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), invisible operators and
  deprecated format characters (U+2061–U+2064, U+206A–U+206F), zero-width space, word joiner, Mongolian vowel
  separator and BOM (U+200B, U+2060, U+180E, U+FEFF) are removed. Kept, as Arabic needs them: the marks LRM, RLM
  and ALM (U+200E, U+200F, U+061C), and ZWNJ / ZWJ (U+200C, U+200D) between two Arabic letters (they choose a
  letter's joining form); elsewhere ZWNJ / ZWJ are removed.
- `for_message(text)`: one line of a message that quotes bank text or a path (errors, lint problems, "wrote …").
  Nothing is removed, so the reader sees what is in the file: every control character, and every character
  `for_screen` would remove, is written as a visible escape (`\\n`, `\\r`, `\\t`, `\\x1b`, `\\x9b`, `\\u202e`).
- `for_json(dumped)`: JSON output keeps its values, with C1 controls and hiding characters written as `\\uXXXX`
  too (`json.dumps` with `ensure_ascii=False` escapes only C0): apply to the dumped document.

Standard library only: every layer may call it.
"""

from __future__ import annotations

import re
import unicodedata

_ST = r"(?:\x1b\\|\x9c|\x07)"
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI … final byte (parameters and intermediates included)
    rf"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])(?:(?!{_ST})[\s\S])*{_ST}?"  # OSC, DCS, SOS, PM, APC … ST/BEL
    r"|\x1b[ -/]*[0-~]?"  # any other escape (ESC c resets the terminal, ESC ( B charset …)
)
_HIDDEN = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + [chr(c) for c in range(0x2061, 0x2065)]
    + [chr(c) for c in range(0x206A, 0x2070)]
    + ["\u200b", "\u2060", "\u180e", "\ufeff"]
)
"""Characters that reorder or hide text, removed from bank text (`for_screen`) and shown escaped in messages."""
_JOINERS = frozenset("\u200c\u200d")
_ARABIC_LETTER = re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FF\u0750-\u077F\u08A0-\u08C9]")
_MARKS = re.compile(r"[\u064B-\u065F\u0670\u06D6-\u06ED]")


def _arabic_around(text: str, index: int) -> bool:
    """Whether the joiner at `index` stands between two Arabic letters (diacritics between are skipped)."""
    before = index - 1
    while before >= 0 and (_MARKS.match(text[before]) or text[before] in _JOINERS):
        before -= 1
    after = index + 1
    while after < len(text) and (_MARKS.match(text[after]) or text[after] in _JOINERS):
        after += 1
    return (before >= 0 and after < len(text) and bool(_ARABIC_LETTER.match(text[before]))
            and bool(_ARABIC_LETTER.match(text[after])))


SUSPECT_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + "".join(sorted(_HIDDEN | _JOINERS))
"""The body of a regular expression's character class (no brackets) of the characters `for_screen` may drop: a
control other than newline and tab (every escape sequence starts with one), a surrogate, a hiding character or a
joiner. Text without one is returned as it is."""
_SUSPECT = re.compile(f"[{SUSPECT_CLASS}]")


def for_screen(text: str) -> str:
    """Bank text safe to show or to put in an Anki field (see the module docstring)."""
    if _SUSPECT.search(text) is None:  # nearly all bank text: a C scan instead of a Python loop per character
        return text
    return _screened(text)


def _screened(text: str) -> str:
    """`for_screen` character by character."""
    text = _ESCAPES.sub("", text)
    out = []
    for index, ch in enumerate(text):
        if ch in "\n\t":
            out.append(ch)
        elif ch in _HIDDEN or unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        elif ch in _JOINERS and not _arabic_around(text, index):
            continue
        else:
            out.append(ch)
    return "".join(out)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escaped(text: str, index: int) -> bool:
    ch = text[index]
    if ch in _JOINERS:
        return not _arabic_around(text, index)
    return ch in _HIDDEN or unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp")


def for_message(text: str) -> str:
    """One line that quotes outside text: controls and hiding characters written as visible escapes."""
    if text.isprintable():
        return text
    return "".join(_visible(ch) if _escaped(text, i) else ch for i, ch in enumerate(text))


_JSON_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029" + "".join(sorted(_HIDDEN)) + "]")


def for_json(dumped: str) -> str:
    """A document from `json.dumps(..., ensure_ascii=False)` with DEL, C1 controls, line separators and the
    characters `for_screen` removes escaped as `\\uXXXX` (`json.dumps` escapes C0 itself): same JSON value,
    nothing that acts on a terminal."""
    return _JSON_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
