"""Aiken files: a question, its lettered options, then `ANSWER: X`; a blank line between questions.

Aiken
-----
A question line (or several), its options `A.` / `A)` …, then `ANSWER: B`; a blank line between questions.
"""

from __future__ import annotations

import re

from quiz.authoring.add import NewQuestion
from quiz.authoring.importers.entry import Entry, lang_text
from quiz.model import Kind

_AIKEN_OPTION = re.compile(r"^\s*([A-Z])\s*[.)]\s+(.*\S)\s*$")
_AIKEN_ANSWER = re.compile(r"^\s*ANSWER\s*:\s*(\S*)\s*$", re.IGNORECASE)


def parse_aiken(text: str, *, lang: str = "en", era: str | None = None) -> tuple[list[Entry], list[tuple[int, str]]]:
    entries: list[Entry] = []
    start = 0
    prompt: list[str] = []
    options: list[tuple[str, str]] = []
    problems: list[str] = []

    def reset() -> None:
        nonlocal start, prompt, options, problems
        start, prompt, options, problems = 0, [], [], []

    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        answer = _AIKEN_ANSWER.match(raw)
        option = _AIKEN_OPTION.match(raw)
        if answer:
            if not prompt:
                entries.append(Entry(number, None, ("ANSWER: without a question above it",)))
                reset()
                continue
            letter = answer.group(1).upper()
            letters = [o[0] for o in options]
            if len(options) < 2:
                problems.append(f"the question has {len(options)} option(s); Aiken needs at least two (A., B., ...)")
            if not re.fullmatch(r"[A-Z]", letter):
                problems.append(f"ANSWER: {answer.group(1)!r} is not an option letter")
            elif letter not in letters:
                problems.append(f"ANSWER: {letter} is not one of the options ({', '.join(letters) or 'none'})")
            question = None
            if not problems:
                t = lang_text
                right = options[letters.index(letter)][1]
                question = NewQuestion(kind=Kind.CHOICE, era=era or "", prompt=t(lang, " ".join(prompt)),
                                       answer=t(lang, right), choices=tuple(t(lang, o[1]) for o in options))
                if not era:
                    problems.append("no era: pass --era")
            entries.append(Entry(start, question, tuple(problems)))
            reset()
            continue
        if option and prompt:
            expected = chr(ord("A") + len(options))
            if option.group(1) != expected:
                problems.append(f"line {number}: option {option.group(1)} should be {expected} (options go A, B, C, "
                                "... in order)")
            options.append((option.group(1), option.group(2).strip()))
            continue
        if options:
            entries.append(Entry(start, None, (f"the options are not followed by 'ANSWER: X' (line {number} starts "
                                               "the next question)",)))
            reset()
        if not prompt:
            start = number
        prompt.append(raw.strip())
    if prompt:
        entries.append(Entry(start, None, ("the last question has no 'ANSWER: X' line",)))
    return entries, []

