"""`quiz import`: questions from CSV/TSV, Moodle GIFT and Aiken files, into a YAML bank file.

Every problem is reported as `FILE:line: message` (the line of the imported file), all of them; nothing is
written when there is any error. The questions are first checked field by field (the same checks as `quiz add`),
then the YAML that would be written is loaded with the real bank loader together with the rest of the bank, and
what the loader finds is mapped back to the line each question came from.

CSV and TSV
-----------
UTF-8 (a byte-order mark from spreadsheets is fine), one row per question, both languages side by side. The
first row is the header; columns may come in any order, and only `kind` and a prompt are required:

    id,kind,era,prompt_ar,prompt_en,answer_ar,answer_en,accept_ar,accept_en,choices_ar,choices_en,
    explanation_ar,explanation_en,source_doc,source_era,source_para,tags

(one line in the file). Optional extra columns: `tolerance` (years, typed questions), `years` (the items' years
for order questions) and `draft` (true/false).

- `id`: empty → proposed from the English prompt (else the Arabic one).
- `kind`: choice, typed, truefalse, order, cloze or card. `era`: an era id (empty → `--era`).
- `accept_*`, `choices_*`, `years`, `tags`: several values separated by `|` (tags also by commas or spaces).
- choice: the answer is copied exactly among the choices. truefalse: the answer is true or false (also
  صح / خطأ, yes / no). order: the items go in `choices_*`, in the right order, and their years in `years`.
  cloze: the prompt marks the answer as `{{...}}`; leave the answer columns empty.
- `source_doc`, `source_era`, `source_para`: where the fact comes from (a document declared under `sources`).

Moodle GIFT
-----------
Multiple choice `{=right ~wrong ~wrong}`, true/false `{T}` / `{FALSE}`, short answer `{=answer =other spelling}`,
numerical `{#1962}`, `{#1962:2}` (tolerance in years) or `{#1960..1964}`; an answer block in the middle of the
sentence makes a cloze (short answer) or a fill-in-the-blank choice. `::title::` names the question (a title that
is already an id, like `::sputnik-year::`, becomes the id), `// comments` and `$CATEGORY:` lines are skipped (a
category whose last part is an era id sets the era), feedback after `#` becomes the explanation, and the escapes
`\\:` `\\=` `\\~` `\\{` `\\}` `\\#` `\\n` are understood. Matching and essay questions are refused.

Aiken
-----
A question line (or several), its options `A.` / `A)` …, then `ANSWER: B`; a blank line between questions.

GIFT and Aiken hold one language: `--lang` says which (default English); the other stays empty (one warning).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from quiz.authoring import yamledit
from quiz.authoring.add import (
    BankContext,
    NewQuestion,
    check_question,
    check_with_loader,
    content_key,
    existing_keys,
    propose_id,
    shown_name,
)
from quiz.bank.rules import ARABIC_RE, LATIN_RE, MISSING_TRANSLATION, UNKNOWN_ERA, Finding, is_id, script
from quiz.errors import AuthoringError, HasProblems, Problem, UsageError
from quiz.model import Alternatives, Kind, OrderItem, Source, Text

FORMATS = ("csv", "tsv", "gift", "aiken")
FORMAT_NAMES = {"csv": "CSV", "tsv": "TSV", "gift": "GIFT", "aiken": "Aiken"}
CSV_COLUMNS = (
    "id", "kind", "era", "prompt_ar", "prompt_en", "answer_ar", "answer_en", "accept_ar", "accept_en",
    "choices_ar", "choices_en", "explanation_ar", "explanation_en", "source_doc", "source_era", "source_para",
    "tags",
)
CSV_EXTRA = ("tolerance", "years", "draft")
TRUE_WORDS = {"true", "t", "yes", "y", "1", "صح", "صحيح", "نعم"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "خطأ", "خطا", "لا", "غلط"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One question read from the imported file: the line it starts on, the question, and what is wrong."""

    line: int
    question: NewQuestion | None
    problems: tuple[str, ...] = ()
    title: str = ""  # GIFT ::title::, used for the id
    skipped: str = ""  # why nothing was read here, when that is no error (a warning)


@dataclass(frozen=True, slots=True)
class ImportPlan(HasProblems):
    """What `quiz import` would write, and every problem found (the import file's lines)."""

    fmt: str
    target: Path
    shown_target: str
    old: bytes | None
    new: bytes | None
    count: int
    problems: tuple[Problem, ...]
    lang: str = "en"
    era: NewEra | None = None  # the era declared in the written file (--new-era, or drafted)


# --- format detection ------------------------------------------------------------------------------------------


def detect_format(path: Path, text: str) -> str:
    """From the extension; for `.txt`, from the content (Aiken's `ANSWER:` lines, GIFT's braces)."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("csv", "tsv", "gift", "aiken"):
        return suffix
    if suffix == "tab":
        return "tsv"
    if re.search(r"^\s*ANSWER\s*:\s*[A-Za-z]\s*$", text, re.MULTILINE):
        return "aiken"
    if re.search(r"(?<!\\)\{\s*(?:[=~#]|T\b|F\b|TRUE\b|FALSE\b)", text):
        return "gift"
    raise UsageError(f"cannot tell the format of {path}; add --format csv, tsv, gift or aiken")


# --- CSV / TSV -------------------------------------------------------------------------------------------------


def _split(value: str, separators: str = "|") -> tuple[str, ...]:
    parts = re.split("[" + re.escape(separators) + "]", value) if value else []
    return tuple(p.strip() for p in parts if p.strip())


def parse_csv(text: str, *, delimiter: str = ",", era: str | None = None) -> tuple[list[Entry], list[tuple[int, str]]]:
    """The rows as entries, and problems of the file itself (header, structure) as (line, message)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    entries: list[Entry] = []
    general: list[tuple[int, str]] = []
    header: list[str] | None = None
    last = 0
    try:
        for row in reader:
            start, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [re.sub(r"[\s-]+", "_", cell.strip().lower()) for cell in row]
                allowed = (*CSV_COLUMNS, *CSV_EXTRA)
                for name in header:
                    if name not in allowed:
                        general.append((start, f"unknown column {name!r} in the header (allowed: "
                                        + ", ".join(allowed) + ")"))
                dupes = sorted({n for n in header if header.count(n) > 1})
                for name in dupes:
                    general.append((start, f"column {name!r} appears twice in the header; keep one"))
                if "kind" not in header:
                    general.append((start, "the header has no 'kind' column; the first row must name the columns, "
                                    "like id,kind,era,prompt_ar,prompt_en,answer_ar,answer_en,..."))
                if "prompt_ar" not in header and "prompt_en" not in header:
                    general.append((start, "the header has no prompt_ar or prompt_en column"))
                if general:
                    return entries, general
                continue
            if len(row) > len(header):
                entries.append(Entry(start, None, (f"the row has {len(row)} fields but the header has "
                                                    f"{len(header)}; quote values that contain the separator",)))
                continue
            cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
            entries.append(_csv_entry(start, cells, era))
    except csv.Error as exc:
        general.append((last + 1, f"CSV syntax error: {exc}; check the quotes on this line"))
    if header is None:
        general.append((1, "the file is empty; the first row must be the header"))
    return entries, general


def _csv_entry(line: int, cells: dict[str, str], default_era: str | None) -> Entry:
    problems: list[str] = []
    get = cells.get
    raw_kind = (get("kind") or "").lower()
    try:
        kind = Kind(raw_kind)
    except ValueError:
        return Entry(line, None, (f"kind {raw_kind!r} is not one of: " + ", ".join(k.value for k in Kind),))
    era = get("era") or default_era or ""
    if not era:
        problems.append("no era: fill the 'era' column or pass --era")
    prompt = Text(get("prompt_ar") or "", get("prompt_en") or "")
    answer = Text(get("answer_ar") or "", get("answer_en") or "")
    truth: bool | None = None
    if kind is Kind.TRUEFALSE:
        words = {w.casefold() for w in (answer.ar, answer.en) if w}
        if words and words <= TRUE_WORDS:
            truth = True
        elif words and words <= FALSE_WORDS:
            truth = False
        else:
            problems.append(f"a truefalse answer is true or false (or صح / خطأ), not {answer.en or answer.ar!r}")
            truth = False  # a placeholder: the row is reported, and not written
        answer = Text()
    if kind is Kind.CLOZE and (answer.ar or answer.en):
        problems.append("a cloze's answer is the text inside {{...}} in the prompt; leave answer_ar/answer_en empty")
    choices_ar, choices_en = _split(get("choices_ar") or ""), _split(get("choices_en") or "")
    options: tuple[Text, ...] = ()
    if choices_ar or choices_en:
        if choices_ar and choices_en and len(choices_ar) != len(choices_en):
            problems.append(f"choices_ar has {len(choices_ar)} values but choices_en has {len(choices_en)}; give "
                            "the same options in both, in the same order")
        count = max(len(choices_ar), len(choices_en))
        options = tuple(Text(_at(choices_ar, i), _at(choices_en, i)) for i in range(count))
    choices: tuple[Text, ...] = ()
    items: tuple[OrderItem, ...] = ()
    if kind is Kind.ORDER:
        years: list[int | None] = []
        for value in _split(get("years") or ""):
            try:
                years.append(int(value))
            except ValueError:
                problems.append(f"years: {value!r} is not a year")
        if years and len(years) != len(options):
            problems.append(f"'years' has {len(years)} values for {len(options)} items; give one per item")
            years = []
        items = tuple(OrderItem(t, years[i] if years else None) for i, t in enumerate(options))
    else:
        choices = options
    tolerance = 0
    if get("tolerance"):
        try:
            tolerance = int(get("tolerance") or "0")
        except ValueError:
            problems.append(f"tolerance {get('tolerance')!r} is not a whole number of years")
    source: Source | None = None
    if get("source_doc"):
        para: int | None = None
        if get("source_para"):
            try:
                para = int(get("source_para") or "")
            except ValueError:
                problems.append(f"source_para {get('source_para')!r} is not a paragraph number")
        source = Source(get("source_doc") or "", get("source_era") or None, para)
    elif get("source_era") or get("source_para"):
        problems.append("source_era/source_para are given without source_doc")
    draft = (get("draft") or "").casefold() in TRUE_WORDS
    question = NewQuestion(
        kind=kind, era=era, prompt=prompt, answer=answer,
        accept=Alternatives(_split(get("accept_ar") or ""), _split(get("accept_en") or "")),
        choices=choices, items=items, truth=truth, tolerance=tolerance,
        explanation=Text(get("explanation_ar") or "", get("explanation_en") or ""),
        source=source, tags=_split(get("tags") or "", "|, "), id=get("id") or "", draft=draft,
    )
    return Entry(line, question, tuple(problems))


def _at(values: Sequence[str], index: int) -> str:
    return values[index] if index < len(values) else ""


# --- GIFT ------------------------------------------------------------------------------------------------------

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


def _lang_text(lang: str, value: str) -> Text:
    return Text(ar=value) if lang == "ar" else Text(en=value)


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
    close_at = _find(body, "}", open_at + 1)
    if close_at < 0:
        return Entry(line, None, ("the answer block '{' is not closed; add '}' (write \\} for a literal brace)",),
                     title)
    before, inner, after = body[:open_at], body[open_at + 1:close_at], body[close_at + 1:]
    if _find(after, "{") >= 0:
        return Entry(line, None, ("more than one answer block {...}; this importer takes one per question",), title)
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
    t = _lang_text
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
            explanation = _lang_text(lang, _clean(spec[feedback_at + 1:]))
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
    question = replace(base, kind=Kind.TYPED, prompt=_lang_text(lang, prompt), answer=_lang_text(lang, value),
                       tolerance=int(tolerance), explanation=explanation)
    return Entry(line, question, tuple(problems), title)


# --- Aiken -----------------------------------------------------------------------------------------------------

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
                t = _lang_text
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


# --- the whole import ------------------------------------------------------------------------------------------


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


def parse_text(text: str, fmt: str, *, era: str | None, lang: str,
               eras: Sequence[str] = ()) -> tuple[list[Entry], list[tuple[int, str]]]:
    if fmt in ("csv", "tsv"):
        return parse_csv(text, delimiter=sniff_delimiter(text, "," if fmt == "csv" else "\t"), era=era)
    if fmt == "gift":
        return parse_gift(text, lang=lang, era=era, eras=eras)
    return parse_aiken(text, lang=lang, era=era)


def read_entries(path: Path, fmt: str, *, era: str | None, lang: str,
                 eras: Sequence[str] = ()) -> tuple[list[Entry], list[tuple[int, str]]]:
    try:
        text = read_text(path)
    except AuthoringError as exc:
        return [], [(int(exc.where.rsplit(":", 1)[1]) if exc.where and ":" in exc.where else 1, exc.message)]
    return parse_text(text, fmt, era=era, lang=lang, eras=eras)


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


def detect_language(text: str) -> str:
    """'ar' when the file has more Arabic letters than Latin ones, else 'en' (for GIFT and Aiken without --lang)."""
    arabic = len(ARABIC_RE.findall(text))
    latin = len(LATIN_RE.findall(re.sub(r"(?m)^\s*(?:ANSWER|\$CATEGORY)\s*:.*$|[A-Z][.)]\s", "", text)))
    return "ar" if arabic > latin else "en"


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
    era_id = _prefixed(era_id, prefix)
    years = [int(y) for y in _YEAR.findall(text) if int(y) <= this_year + 50]
    start, end = (min(years), max(years)) if years else (this_year, this_year)
    title = name.replace("_", " ").replace("-", " ").strip()
    title = title[:1].upper() + title[1:]
    return NewEra(era_id, start, end, Text(ar=title) if lang == "ar" else Text(en=title), draft=True)


def bank_id_for(target: Path, context: BankContext) -> str:
    """The id of the bank `target` is written into: its bank.yaml's, else its folder's name."""
    from quiz.bank.files import builtin_dir, slug

    builtin = builtin_dir().resolve()
    teacher = [root for root in context.roots if root.resolve() != builtin]
    from quiz.authoring.scaffold import bank_folder

    folder = bank_folder(target, teacher)
    for info in context.bank.infos:
        if info.loc is not None and info.loc.line and Path(info.loc.path).resolve().parent == folder:
            return info.id
    return slug(folder.name)


def _prefixed(qid: str, prefix: str) -> str:
    return qid if not prefix or qid == prefix or qid.startswith(prefix + "-") else f"{prefix}-{qid}"


def plan_import(
    path: Path,
    context: BankContext,
    *,
    target: Path,
    fmt: str | None = None,
    era: str | None = None,
    lang: str | None = None,
    new_era: str | None = None,
    this_year: int = 2026,
) -> ImportPlan:
    """Read `path`, check every question, render the YAML and check it with the loader; nothing is written.

    Without `era` or `new_era`, questions that name no era go into a draft era made for the file."""
    text = read_text(path)
    if fmt is None:
        fmt = detect_format(path, text[:65536])
    if fmt not in FORMATS:
        raise UsageError(f"--format: '{fmt}' is not a format; use csv, tsv, gift or aiken")
    if lang is None:
        lang = detect_language(text)
    if lang not in ("ar", "en"):
        raise UsageError(f"--lang: '{lang}' is not a language; use ar or en")
    prefix = bank_id_for(target, context)
    declared: NewEra | None = None
    if new_era is not None:
        if era is not None:
            raise UsageError("give --era or --new-era, not both")
        declared = parse_new_era(new_era, lang)
        if context.bank.era(declared.id) is not None:
            raise UsageError(f"--new-era: the era '{declared.id}' exists already; use --era {declared.id}")
    elif era is not None and context.bank.era(era) is None:
        known = ", ".join(e.id for e in context.bank.eras) or "none"
        raise UsageError(f"--era: unknown era '{era}' (known: {known}); to declare it, give its span and title: "
                         f"--new-era {era}:1950-1993:'Its title'")
    elif era is None:
        declared = draft_era(text, path, prefix, lang, this_year)
        if context.bank.era(declared.id) is not None:
            declared = None
            era = draft_era(text, path, prefix, lang, this_year).id  # imported before: the same era again
    bank = context.bank
    if declared is not None:
        from quiz.model import Era

        era = declared.id
        bank = replace(bank, eras=(*bank.eras, Era(declared.id, declared.start, declared.end, declared.title,
                                                  declared.draft)))
    shown = str(path)
    entries, general = parse_text(text, fmt, era=era, lang=lang, eras=[e.id for e in bank.eras])
    problems: list[Problem] = [Problem(shown, line, message) for line, message in general]
    taken: dict[str, str] = dict(context.question_ids)
    keys = existing_keys(bank)
    doc_id = _prefixed(f"{'-'.join(propose_id(Text(en=path.stem), ()).split('-')[:4])}", prefix)
    new_doc = doc_id not in context.doc_ids and any(e.question and e.question.source is None for e in entries)
    if new_doc:
        from quiz.model import Document

        bank = replace(bank, documents=(*bank.documents, Document(doc_id, _lang_text(lang, path.name))))
    good: list[tuple[int, NewQuestion]] = []
    for entry in entries:
        if entry.skipped:
            problems.append(Problem(shown, entry.line, entry.skipped, "warning"))
            continue
        messages = list(entry.problems)
        question = entry.question
        if question is not None:
            if not question.id:
                title_id = entry.title if is_id(entry.title or "") else ""
                proposed = propose_id(Text(en=entry.title) if entry.title else question.naming_text(),
                                      {t.removeprefix(prefix + "-") for t in taken})
                question = replace(question, id=title_id or _prefixed(proposed, prefix))
            if question.source is None and (new_doc or doc_id in context.doc_ids):
                question = replace(question, source=Source(doc_id))
            # a row with no era already says so (from the reader); the era rule would only repeat it
            messages.extend(m for m in check_question(question, bank, taken, taken, keys)
                            if not (m.rule is UNKNOWN_ERA and not question.era))
        problems.extend(message.problem(shown, entry.line) if isinstance(message, Finding)
                        else Problem(shown, entry.line, message) for message in dict.fromkeys(messages))
        if question is not None and not messages:
            good.append((entry.line, question))
            taken[question.id] = f"{shown}:{entry.line}"
            key = content_key(question.kind, question.prompt, question.items)
            keys[key] = f"'{question.id}' ({shown}:{entry.line})"
    if not entries and not general:
        problems.append(Problem(shown, 1, f"no questions found in this {FORMAT_NAMES[fmt]} file"))
    old = target.read_bytes() if target.exists() else None
    new_text: str | None = None
    used_era = declared if declared is not None and any(q.era == declared.id for _, q in good) else None
    sections: dict[str, list[dict[str, Any]]] = {
        "sources": [{"id": doc_id, "title": {lang: path.name}}] if new_doc and good else [],
        "eras": [used_era.mapping()] if used_era is not None else [],
    }
    if good:
        new_text, item_lines, item_ends = _render(target, old, [q for _, q in good], shown, sections)
        shown_target, found = check_with_loader(context.roots, target, new_text)
        problems.extend(_map_back(found, shown_target, shown, item_lines, item_ends, [line for line, _ in good],
                                  single_language=fmt in ("gift", "aiken")))
    languages = _bank_languages(target, context)
    if fmt in ("gift", "aiken") and good and languages is not None and languages != (lang,):
        other = "Arabic" if lang == "en" else "English"
        problems.insert(0, MISSING_TRANSLATION.problem(
            shown, 1, f"{FORMAT_NAMES[fmt]} holds one language: the {other} text of {len(good)} "
            f"question{'s' if len(good) != 1 else ''} is left empty; add it in the YAML before students study in "
            "that language"))
    problems = _collapse(problems)
    problems.sort(key=lambda p: (p.path != shown, p.line, p.severity != "error"))
    has_errors = any(p.severity == "error" for p in problems)
    return ImportPlan(fmt, target, shown_name(target), old,
                      None if has_errors or new_text is None else new_text.encode("utf-8"), len(good),
                      tuple(problems), lang, used_era)


def _bank_languages(target: Path, context: BankContext) -> tuple[str, ...] | None:
    """The languages of the bank `target` belongs to, when it says (its bank.yaml)."""
    bank_id = bank_id_for(target, context)
    info = context.bank.info(bank_id)
    return tuple(info.languages) if info is not None and info.loc is not None and info.loc.line else None


def _render(target: Path, old: bytes | None, questions: Sequence[NewQuestion], shown: str,
            sections: dict[str, list[dict[str, Any]]] | None = None) -> tuple[str, list[int], list[int]]:
    """The new file text (with `sections`, like a new era, before the questions), and the first and
    (exclusive) last line of each added question."""
    items: list[dict[str, Any]] = [q.mapping() for q in questions]
    extra = {name: values for name, values in (sections or {}).items() if values}
    if old is None:
        header = (f"Imported by quiz import from {Path(shown).name}.\n"
                  "Check the questions, add what is missing, then run: quiz validate")
        text, lines = yamledit.render_file({**extra, "questions": items}, header)
        starts = list(lines["questions"])
    else:
        try:
            text = old.decode("utf-8")
        except UnicodeDecodeError:
            raise AuthoringError("the file is not UTF-8 text", where=str(target)) from None
        for name, values in extra.items():
            text = yamledit.append_items(text, name, values, shown=str(target)).text
        splice = yamledit.append_items(text, "questions", items, shown=str(target))
        text, starts = splice.text, list(splice.item_lines)
    last = starts[-1] + len(yamledit.render_items("questions", items[-1:], blank_lines=False)[0].splitlines())
    return text, starts, [*starts[1:], last]


def _map_back(found: Sequence[Problem], shown_target: str, shown: str, item_lines: Sequence[int],
              item_ends: Sequence[int], source_lines: Sequence[int], *, single_language: bool) -> list[Problem]:
    """Loader problems at lines of the rendered YAML, as problems at the lines of the imported file."""
    ends = item_ends
    out: list[Problem] = []
    for problem in found:
        if single_language and problem.rule == MISSING_TRANSLATION.code:
            continue
        inside = [i for i, start in enumerate(item_lines) if start <= problem.line < ends[i]]
        if problem.path != shown_target or not inside:
            if problem.severity == "error":  # the file's own content is not the import's business, unless broken
                out.append(problem)
            continue
        out.append(replace(problem, path=shown, line=source_lines[inside[0]]))
    return out


def _collapse(problems: Sequence[Problem], keep: int = 3) -> list[Problem]:
    """Warnings of one kind repeated more than `keep` times become one line listing where."""
    by_code: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        if problem.severity == "warning" and problem.code:
            by_code.setdefault((problem.path, problem.code), []).append(problem)
    out: list[Problem] = []
    done: set[tuple[str, str]] = set()
    for problem in problems:
        key = (problem.path, problem.code)
        group = by_code.get(key, []) if problem.severity == "warning" and problem.code else []
        if len(group) <= keep:
            out.append(problem)
            continue
        if key in done:
            continue
        done.add(key)
        lines = ", ".join(str(p.line) for p in group[1:9]) + (", …" if len(group) > 9 else "")
        out.append(replace(problem, message=f"{problem.message} (and {len(group) - 1} more like it, at lines "
                                              f"{lines})"))
    return out


def write(plan: ImportPlan) -> None:
    if plan.new is None:
        raise AuthoringError("there are errors; nothing was written", where=plan.shown_target)
    now = plan.target.read_bytes() if plan.target.exists() else None
    if now != plan.old:
        raise AuthoringError("the file changed during the import; run the command again", where=plan.shown_target)
    yamledit.write_atomic(plan.target, plan.new)
