"""CSV and TSV files: one row per question, Arabic and English side by side (the columns: `quiz import --help`
and the package's docstring).

CSV and TSV
-----------
UTF-8 (a byte-order mark from spreadsheets is fine), one row per question, both languages side by side. The
first row is the header; columns may come in any order, and only `kind` and a prompt are required:

    id,kind,era,prompt_ar,prompt_en,answer_ar,answer_en,accept_ar,accept_en,choices_ar,choices_en,
    explanation_ar,explanation_en,source_doc,source_era,source_para,tags

(one line in the file). Optional extra columns: `tolerance` (years, typed questions), `years` (the items' years
for order questions) and `draft` (true/false).

What `quiz export csv` writes imports back unchanged: its extra columns are understood (`items_ar`/`items_en`
hold an order question's items; `generated` rows, made from events, are skipped with a warning; `source_ar`,
`source_en`, `content_hash` and `langs` are ignored), and so are its `'` before a cell a spreadsheet would run as a
formula, its `" | "` lists and the answer words it writes for truefalse, order and cloze questions.

- `id`: empty → proposed from the English prompt (else the Arabic one).
- `kind`: choice, typed, truefalse, order, cloze or card. `era`: an era id (empty → `--era`).
- `accept_*`, `choices_*`, `years`, `tags`: several values separated by `|` (tags also by commas or spaces).
- choice: the answer is copied exactly among the choices. truefalse: the answer is true or false (also
  صح / خطأ, yes / no). order: the items go in `choices_*`, in the right order, and their years in `years`.
  cloze: the prompt marks the answer as `{{...}}`; leave the answer columns empty.
- `source_doc`, `source_era`, `source_para`: where the fact comes from (a document declared under `sources`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from quiz.authoring.add import NewQuestion
from quiz.authoring.importers.entry import FALSE_WORDS, TRUE_WORDS, Entry
from quiz.model import Alternatives, Kind, OrderItem, Source, Text

CSV_COLUMNS = (
    "id", "kind", "era", "prompt_ar", "prompt_en", "answer_ar", "answer_en", "accept_ar", "accept_en",
    "choices_ar", "choices_en", "explanation_ar", "explanation_en", "source_doc", "source_era", "source_para",
    "tags",
)
CSV_EXTRA = ("tolerance", "years", "draft", "generated", "items_ar", "items_en", "source_ar", "source_en",
             "content_hash", "langs")
_FORMULA_ESCAPE = re.compile(r"^'(?=[ \n]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe6b\u2212])")
"""The `'` `quiz export csv` puts before a cell that a spreadsheet would run as a formula."""


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
    cells = {name: _FORMULA_ESCAPE.sub("", value) for name, value in cells.items()}
    get = cells.get
    if (get("generated") or "").casefold() in TRUE_WORDS:
        return Entry(line, None, (), skipped="a generated question (made from the bank's events) is not imported; "
                     "copy the events' YAML instead")
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
    blanks = [re.findall(r"\{\{(.*?)\}\}", getattr(prompt, lang)) for lang in ("ar", "en")]
    written = zip((answer.ar, answer.en), blanks, strict=True)
    if kind is Kind.CLOZE and all(not value or [value] == found for value, found in written):
        answer = Text()  # the answer `quiz export csv` writes: the blank's text
    if kind is Kind.ORDER:
        answer = Text()  # `quiz export csv` writes the items joined with arrows; the items columns hold them
        if get("items_ar") or get("items_en"):
            cells = {**cells, "choices_ar": get("items_ar") or "", "choices_en": get("items_en") or ""}
            get = cells.get
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
        raw_years = [part.strip() for part in (get("years") or "").split("|")] if get("years") else []
        for value in raw_years if any(raw_years) else []:
            try:
                years.append(int(value) if value else None)
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

