"""Aiken files: a question, its lettered options, then `ANSWER: X`; a blank line between questions.

Aiken
-----
A question line (or several), its options `A.` / `A)` …, then `ANSWER: B`; a blank line between questions.
Arabic files may label the options with Arabic letters in abjad order, `أ.` `ب.` `ج.` `د.` (or `أ)` `ب)` …), and
write the answer line as `الإجابة: ب` (or `ANSWER: ب`).
"""

from __future__ import annotations

import re

from quiz.authoring.add import NewQuestion
from quiz.authoring.importers.entry import Entry, lang_text
from quiz.model import Kind

LATIN_LABELS = tuple(chr(c) for c in range(ord("A"), ord("Z") + 1))
ARABIC_LABELS = ("أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي")
"""Option labels of Arabic quizzes: the abjad order (أ ب ج د هـ و ز ح ط ي)."""
_SAME_LABEL = {"ا": "أ", "إ": "أ", "آ": "أ", "ه": "هـ", "ى": "ي"}
_LABEL = r"[A-Z]|هـ|[أإآابجدهوزحطيى]"
_AIKEN_OPTION = re.compile(rf"^\s*({_LABEL})\s*[.)\u066b\u06d4]\s+(.*\S)\s*$")
_AIKEN_ANSWER = re.compile(r"^\s*(?:ANSWER|الإجابة|الاجابة|الجواب)\s*[:：]\s*(\S*)\s*$", re.IGNORECASE)


def _label(raw: str) -> str:
    raw = raw.strip().rstrip(".)")
    return _SAME_LABEL.get(raw, raw.upper())


def _labels_of(first: str) -> tuple[str, ...]:
    return ARABIC_LABELS if first in ARABIC_LABELS else LATIN_LABELS


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
            letter = _label(answer.group(1))
            letters = [o[0] for o in options]
            if len(options) < 2:
                problems.append(f"the question has {len(options)} option(s); Aiken needs at least two (A., B., ...)")
            if letter not in LATIN_LABELS and letter not in ARABIC_LABELS:
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
            label = _label(option.group(1))
            labels = _labels_of(options[0][0] if options else label)
            expected = labels[len(options)] if len(options) < len(labels) else "?"
            if label != expected:
                order = "أ، ب، ج" if labels is ARABIC_LABELS else "A, B, C"
                problems.append(f"line {number}: option {label} should be {expected} (options go {order}, ... in "
                                "order)")
            options.append((label, option.group(2).strip()))
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

