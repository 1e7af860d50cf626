"""Moodle GIFT files: `::title::` prompt `{answers}`, one question per blank-line-separated block.

Moodle GIFT
-----------
Multiple choice `{=right ~wrong ~wrong}`, true/false `{T}` / `{FALSE}`, short answer `{=answer =other spelling}`,
numerical `{#1962}`, `{#1962:2}` (tolerance in years) or `{#1960..1964}`; an answer block in the middle of the
sentence makes a cloze (short answer) or a fill-in-the-blank choice. `::title::` names the question (a title that
is already an id, like `::sputnik-year::`, becomes the id), `// comments` and `$CATEGORY:` lines are skipped (a
category whose last part is an era id sets the era), feedback after `#` becomes the explanation, and the escapes
`\\:` `\\=` `\\~` `\\{` `\\}` `\\#` `\\n` are understood. Matching and essay questions are refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from quiz.authoring.add import NewQuestion
from quiz.authoring.importers.entry import Entry, lang_text
from quiz.model import Alternatives, Kind, Text

_GIFT_ESCAPES = {":": ":", "=": "=", "~": "~", "{": "{", "}": "}", "#": "#", "n": "\n", "\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _GIFT_ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def _find(text: str, target: str, start: int = 0) -> int:
    """The index of the first unescaped `target` at or after `start`, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(target, i):
            return i
        i += 1
    return -1


def _split_unescaped(text: str, markers: str) -> list[tuple[str, str]]:
    """Split at unescaped marker characters: [(marker, text after it)]; text before the first is dropped."""
    parts: list[tuple[str, str]] = []
    current: list[str] | None = None
    marker = ""
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            if current is not None:
                current.append(text[i:i + 2])
            i += 2
            continue
        if char in markers:
            if current is not None:
                parts.append((marker, "".join(current)))
            current, marker = [], char
        elif current is not None:
            current.append(char)
        i += 1
    if current is not None:
        parts.append((marker, "".join(current)))
    return parts


def _clean(text: str) -> str:
    """GIFT text as plain text: unescaped, HTML tags dropped, whitespace collapsed."""
    import html

    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(_unescape(text)).split())



def parse_gift(text: str, *, lang: str = "en", era: str | None = None,
               eras: Sequence[str] = ()) -> tuple[list[Entry], list[tuple[int, str]]]:
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    category_era = era
    block_eras: list[str | None] = []
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if current:
                blocks.append((start, current))
                block_eras.append(category_era)
                current = []
            continue
        if not current and stripped.startswith("$CATEGORY:"):
            last = stripped.split(":", 1)[1].strip().rstrip("/").rsplit("/", 1)[-1].strip()
            category_era = last if last in eras else era
            continue
        if not current:
            start = number
        current.append(raw)
    if current:
        blocks.append((start, current))
        block_eras.append(category_era)
    entries = [_gift_entry(line, "\n".join(lines), lang, block_era)
               for (line, lines), block_era in zip(blocks, block_eras, strict=True)]
    return entries, []


def _gift_entry(line: int, block: str, lang: str, era: str | None) -> Entry:
    title = ""
    body = block.strip()
    whole = body

    def line_of(index: int) -> int:  # the file's line of `body[index]` (body is always a tail of `whole`)
        return line + whole[: len(whole) - len(body) + index].count("\n")

    if body.startswith("::"):
        end = _find(body, "::", 2)
        if end < 0:
            return Entry(line, None, ("the title ::...:: is not closed; add the second '::'",))
        title = _clean(body[2:end])
        body = body[end + 2:].lstrip()
    body = re.sub(r"^\[(?:html|moodle|plain|markdown)\]", "", body)
    open_at = _find(body, "{")
    if open_at < 0:  # Moodle's "description" item: text shown between questions, nothing to answer
        return Entry(line, None, (), title, skipped="a description item (text with no answer block {...}) is not a "
                     "question; skipped")
    stray = _find(body[:open_at], "}")
    if stray >= 0:
        return Entry(line_of(stray), None, ("a '}' with no '{' before it; write \\} for a literal brace",), title)
    close_at = _find(body, "}", open_at + 1)
    if close_at < 0:
        return Entry(line_of(open_at), None, ("the answer block '{' opened here is not closed; add '}' (write \\} "
                                              "for a literal brace)",), title)
    before, inner, after = body[:open_at], body[open_at + 1:close_at], body[close_at + 1:]
    if _find(after, "{") >= 0:
        return Entry(line_of(close_at + 1 + _find(after, "{")), None,
                     ("a second answer block {...}; this importer takes one per question",), title)
    if _find(after, "}") >= 0:
        return Entry(line_of(close_at + 1 + _find(after, "}")), None,
                     ("a '}' with no '{' before it; write \\} for a literal brace",), title)
    before, after = _clean(before), _clean(after)
    problems: list[str] = []
    if not era:
        problems.append("no era: pass --era (or use a $CATEGORY whose last part is an era id)")
    general = ""
    feedback_at = _find(inner, "####")
    if feedback_at >= 0:
        general = _clean(inner[feedback_at + 4:])
        inner = inner[:feedback_at]
    stripped = inner.strip()
    t = lang_text
    base = NewQuestion(kind=Kind.CARD, era=era or "", explanation=t(lang, general) if general else Text())
    if not stripped:
        return Entry(line, None, ("an essay question (empty {}) has no answer to check; it is not imported",), title)
    if _find(stripped, "->") >= 0:
        return Entry(line, None, ("matching questions (a -> b) are not supported; write them as separate "
                                  "questions",), title)
    tf = re.fullmatch(r"(TRUE|FALSE|T|F)\s*(?:#(.*?))?(?:#(.*))?", stripped, re.DOTALL)
    if tf:
        truth = tf.group(1).startswith("T")
        # Moodle: {T#shown to a wrong answer#shown to a right one}; the first usually explains the fact.
        feedback = _clean(tf.group(2) or "") or _clean(tf.group(3) or "")
        explanation = base.explanation if general else t(lang, feedback) if feedback else Text()
        prompt = " ".join(p for p in (before, after) if p)
        return Entry(line, replace(base, kind=Kind.TRUEFALSE, prompt=t(lang, prompt), truth=truth,
                                   explanation=explanation), tuple(problems), title)
    if stripped.startswith("#"):
        return _gift_numeric(line, base, stripped[1:], before, after, lang, problems, title)
    answers = _split_unescaped(stripped, "=~")
    if not answers or any(marker == "" for marker, _ in answers):
        return Entry(line, None, ("the answer block must start each answer with = (right) or ~ (wrong)",), title)
    parsed: list[tuple[bool, str, str]] = []  # (right, text, feedback)
    for marker, raw in answers:
        weight = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", raw)
        right = marker == "="
        if weight:
            raw = raw[weight.end():]
            value = float(weight.group(1))
            if 0 < value < 100:
                problems.append(f"partial credit (%{weight.group(1)}%) is not supported; mark one answer right "
                                "with = and the others wrong with ~")
            right = right or value == 100
        feedback_at = _find(raw, "#")
        feedback = _clean(raw[feedback_at + 1:]) if feedback_at >= 0 else ""
        answer_text = _clean(raw[:feedback_at] if feedback_at >= 0 else raw)
        if not answer_text:
            problems.append("an answer is empty")
            continue
        parsed.append((right, answer_text, feedback))
    rights = [p for p in parsed if p[0]]
    wrongs = [p for p in parsed if not p[0]]
    explanation = base.explanation
    if not general:
        # Moodle shows each answer's feedback to whoever picks it: the right one's first, then the wrong ones'.
        notes = [rights[0][2]] if rights and rights[0][2] else []
        notes += [f"{text}: {feedback}" for right, text, feedback in parsed if not right and feedback]
        if notes:
            explanation = t(lang, " ".join(notes))
    if wrongs or any(marker == "~" for marker, _ in answers):
        if len(rights) != 1:
            problems.append(f"a multiple-choice question needs exactly one right answer (=), found {len(rights)}")
            return Entry(line, None, tuple(problems), title)
        prompt = f"{before} _____ {after}".strip() if after else before
        question = replace(base, kind=Kind.CHOICE, prompt=t(lang, prompt), answer=t(lang, rights[0][1]),
                           choices=tuple(t(lang, p[1]) for p in parsed), explanation=explanation)
        return Entry(line, question, tuple(problems), title)
    if not rights:
        return Entry(line, None, ("no right answer (=) in the answer block",), title)
    first, others = rights[0][1], tuple(p[1] for p in rights[1:])
    accept = Alternatives(ar=others) if lang == "ar" else Alternatives(en=others)
    if after:
        question = replace(base, kind=Kind.CLOZE, prompt=t(lang, f"{before} {{{{{first}}}}} {after}".strip()),
                           accept=accept, explanation=explanation)
    else:
        question = replace(base, kind=Kind.TYPED, prompt=t(lang, before), answer=t(lang, first), accept=accept,
                           explanation=explanation)
    return Entry(line, question, tuple(problems), title)


def _gift_numeric(line: int, base: NewQuestion, spec: str, before: str, after: str, lang: str,
                  problems: list[str], title: str) -> Entry:
    explanation = base.explanation
    feedback_at = _find(spec, "#")
    if feedback_at >= 0:
        if not explanation.ar and not explanation.en:
            explanation = lang_text(lang, _clean(spec[feedback_at + 1:]))
        spec = spec[:feedback_at]
    spec = spec.strip()
    options = [part for marker, part in _split_unescaped(spec, "=")] if spec.startswith("=") else [spec]
    number = r"-?\d+(?:\.\d+)?"
    value: str | None = None
    tolerance = 0.0
    first = options[0].strip() if options else ""
    first = re.sub(r"^%\d+%", "", first)
    if match := re.fullmatch(rf"({number})\s*(?::\s*({number}))?", first):
        value, tolerance = match.group(1), float(match.group(2) or 0)
    elif match := re.fullmatch(rf"({number})\s*\.\.\s*({number})", first):
        low, high = float(match.group(1)), float(match.group(2))
        middle, half = (low + high) / 2, (high - low) / 2
        if middle != int(middle) or half != int(half):
            problems.append(f"the range {first} has no whole middle year; write it as {{#YEAR:TOLERANCE}}")
            return Entry(line, None, tuple(problems), title)
        value, tolerance = str(int(middle)), half
    else:
        problems.append(f"{{#{spec}}} is not a number like {{#1962}}, {{#1962:2}} or {{#1960..1964}}")
        return Entry(line, None, tuple(problems), title)
    if tolerance != int(tolerance):
        problems.append(f"tolerance {tolerance:g} is not a whole number of years")
    if tolerance and not value.lstrip("-").isdigit():
        problems.append(f"a tolerance needs a whole-number answer (a year), not {value}")
    if len(options) > 1:
        problems.append("several numeric answers: only one is supported; keep the right one")
    prompt = " ".join(p for p in (before, after) if p)
    question = replace(base, kind=Kind.TYPED, prompt=lang_text(lang, prompt), answer=lang_text(lang, value),
                       tolerance=int(tolerance), explanation=explanation)
    return Entry(line, question, tuple(problems), title)

