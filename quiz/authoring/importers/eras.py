"""The era `quiz import` declares in the file it writes: from `--new-era`, or drafted from the file itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiz.authoring.importers.entry import prefixed
from quiz.bank.rules import is_id, script
from quiz.errors import UsageError
from quiz.model import Text


@dataclass(frozen=True, slots=True)
class NewEra:
    """An era `quiz import` declares in the file it writes: from --new-era, or drafted from the file itself."""

    id: str
    start: int
    end: int
    title: Text
    draft: bool = False

    def mapping(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "start": self.start, "end": self.end,
                               "title": {k: v for k, v in self.title.as_dict().items() if v}}
        if self.draft:
            out["draft"] = True
        return out


def parse_new_era(spec: str, lang: str = "en") -> NewEra:
    """`--new-era ID:START-END:TITLE`, like `eu-founding:1950-1967:The founding years`."""
    match = re.fullmatch(r"\s*([^:]+):\s*(-?\d{1,4})\s*[-–]\s*(-?\d{1,4})\s*:(.+)", spec)
    example = "--new-era eu-founding:1950-1967:'The founding years'"
    if not match:
        raise UsageError(f"--new-era: {spec!r} is not ID:START-END:TITLE, like {example}")
    era_id, start, end, title = match.group(1).strip(), int(match.group(2)), int(match.group(3)), match.group(4)
    if not is_id(era_id):
        raise UsageError(f"--new-era: the id {era_id!r} is not lowercase letters, digits and hyphens, like {example}")
    if start > end:
        raise UsageError(f"--new-era: {era_id} starts in {start}, after it ends in {end}; swap them")
    title = title.strip()
    return NewEra(era_id, start, end, Text(ar=title) if script(title) == "ar" else Text(en=title))



_YEAR = re.compile(r"(?<![\d.,])(1[0-9]{3}|20[0-9]{2})(?![\d.,]*\d)")


def draft_era(text: str, path: Path, prefix: str, lang: str, this_year: int) -> NewEra:
    """The era of a file imported without --era: its span from the years found in it, its id and title from
    its last `$CATEGORY` (else the file's name)."""
    from quiz.authoring.add import slug_words

    categories = re.findall(r"(?m)^\s*\$CATEGORY:\s*(.+?)\s*$", text)
    name = categories[-1].rstrip("/").rsplit("/", 1)[-1].strip() if categories else ""
    name = re.sub(r"^\$(?:course|system|module|cat\d*)\$", "", name).strip() or path.stem
    words = slug_words(name.replace("_", " "), max_words=4) or ["imported"]
    era_id = "-".join(words)
    era_id = prefixed(era_id, prefix)
    years = [int(y) for y in _YEAR.findall(text) if int(y) <= this_year + 50]
    start, end = (min(years), max(years)) if years else (this_year, this_year)
    title = name.replace("_", " ").replace("-", " ").strip()
    title = title[:1].upper() + title[1:]
    return NewEra(era_id, start, end, Text(ar=title) if lang == "ar" else Text(en=title), draft=True)

