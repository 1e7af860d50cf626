"""Reading the imported file: its bytes as text (UTF-8 or UTF-16), its format, its CSV delimiter, its language."""

from __future__ import annotations

import re
from pathlib import Path

from quiz.bank.rules import ARABIC_RE, LATIN_RE
from quiz.errors import AuthoringError, UsageError

FORMATS = ("csv", "tsv", "gift", "aiken")
FORMAT_NAMES = {"csv": "CSV", "tsv": "TSV", "gift": "GIFT", "aiken": "Aiken"}


def detect_format(path: Path, text: str) -> str:
    """From the extension; for `.txt`, from the content (Aiken's `ANSWER:` lines, GIFT's braces)."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("csv", "tsv", "gift", "aiken"):
        return suffix
    if suffix == "tab":
        return "tsv"
    if re.search(r"^\s*(?:ANSWER|الإجابة|الاجابة|الجواب)\s*:\s*(?:[A-Za-z]|هـ|[أابجدهوزحطي])\s*$", text,
                 re.MULTILINE):
        return "aiken"
    if re.search(r"(?<!\\)\{\s*(?:[=~#]|T\b|F\b|TRUE\b|FALSE\b)", text):
        return "gift"
    raise UsageError(f"cannot tell the format of {path}; add --format csv, tsv, gift or aiken")



def read_text(path: Path) -> str:
    """The file as text: UTF-8 (with or without a byte-order mark) or UTF-16 with its byte-order mark (what
    Excel's "Unicode text" writes); anything else is refused with where the first bad byte is."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AuthoringError(f"cannot read the file ({exc.strerror or exc})", where=str(path)) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise AuthoringError("the file starts like UTF-16 text but is not; save it as UTF-8",
                                 where=str(path)) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AuthoringError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8 (or UTF-16, "
                             "'Unicode text')", where=f"{path}:{line}") from None


def sniff_delimiter(text: str, default: str) -> str:
    """The CSV delimiter the header row uses: comma, semicolon (Excel in many locales) or tab."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts.get(default, 0) else default



def detect_language(text: str) -> str:
    """'ar' when the file has more Arabic letters than Latin ones, else 'en' (for GIFT and Aiken without --lang)."""
    arabic = len(ARABIC_RE.findall(text))
    latin = len(LATIN_RE.findall(re.sub(r"(?m)^\s*(?:ANSWER|\$CATEGORY)\s*:.*$|[A-Z][.)]\s", "", text)))
    return "ar" if arabic > latin else "en"

