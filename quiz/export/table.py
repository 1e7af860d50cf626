"""The bank as a spreadsheet: one CSV row per question, Arabic and English side by side.

UTF-8 (optionally with a byte order mark, which Excel needs to read Arabic), comma-separated, quoted as needed,
`\\r\\n` line ends, one header row. Lists (accepted answers, choices, order items, tags) are joined with `" | "`.
A cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return,
or their fullwidth forms, after any spaces) gets a leading `'`, so bank text cannot smuggle a formula into someone's
spreadsheet; a plain number such as `-5` or `-2.5` is left readable as it is.
Drafts are never exported.

Columns (`COLUMNS`): id, kind, era, generated, tags, prompt_ar, prompt_en, answer_ar, answer_en (the right answer
as words, for every kind), accept_ar, accept_en, choices_ar, choices_en, items_ar, items_en (in the right order),
years (of the order items), tolerance, explanation_ar, explanation_en, source_doc, source_era, source_para,
source_ar, source_en (the source as a sentence), content_hash, langs (the languages the question is asked in,
`Question.langs`: a question lacking one is neither studied nor exported to Anki in it).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from quiz.export import atomic_write
from quiz.messages import source_line
from quiz.model import Bank, Question

COLUMNS: tuple[str, ...] = (
    "id", "kind", "era", "generated", "tags",
    "prompt_ar", "prompt_en", "answer_ar", "answer_en", "accept_ar", "accept_en",
    "choices_ar", "choices_en", "items_ar", "items_en", "years", "tolerance",
    "explanation_ar", "explanation_en",
    "source_doc", "source_era", "source_para", "source_ar", "source_en",
    "content_hash", "langs",
)
SEPARATOR = " | "
_FORMULA = re.compile(r"^[ \n]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe6b\u2212]")
"""What a spreadsheet may evaluate (OWASP's list: `=`, `+`, `-`, `@`, tab, carriage return, after any leading
spaces or line feeds), with the fullwidth and small forms and the minus sign that some spreadsheets fold to them."""
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading `'` when it would otherwise start a formula. A plain number
    (`-5`, `-2.5`) is left as it is: it evaluates to itself."""
    if _PLAIN_NUMBER.match(value):
        return value
    return "'" + value if _FORMULA.match(value) else value


def row(question: Question, bank: Bank) -> dict[str, str]:
    q = question
    source = q.source
    values = {
        "id": q.id,
        "kind": q.kind.value,
        "era": q.era,
        "generated": "yes" if q.generated else "no",
        "tags": " ".join(q.tags),
        "prompt_ar": q.prompt.ar,
        "prompt_en": q.prompt.en,
        "answer_ar": q.answer_text("ar"),
        "answer_en": q.answer_text("en"),
        "accept_ar": SEPARATOR.join(q.accept.ar),
        "accept_en": SEPARATOR.join(q.accept.en),
        "choices_ar": SEPARATOR.join(c.ar for c in q.choices),
        "choices_en": SEPARATOR.join(c.en for c in q.choices),
        "items_ar": SEPARATOR.join(i.text.ar for i in q.items),
        "items_en": SEPARATOR.join(i.text.en for i in q.items),
        "years": SEPARATOR.join("" if i.year is None else str(i.year) for i in q.items),
        "tolerance": str(q.tolerance) if q.tolerance else "",
        "explanation_ar": q.explanation.ar,
        "explanation_en": q.explanation.en,
        "source_doc": source.doc if source else "",
        "source_era": (source.era or "") if source else "",
        "source_para": "" if source is None or source.para is None else str(source.para),
        "source_ar": source_line(q, bank, "ar"),
        "source_en": source_line(q, bank, "en"),
        "content_hash": q.content_hash(),
        "langs": " ".join(q.langs),
    }
    return {key: safe_cell(value) for key, value in values.items()}


def csv_text(bank: Bank, questions: Sequence[Question]) -> str:
    """The whole CSV as text (header first; drafts left out)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for question in questions:
        if not question.draft:
            writer.writerow(row(question, bank))
    return buffer.getvalue()


def written_by_quiz(path: Path) -> bool:
    """Whether the file starts with this exporter's header row (a CSV quiz wrote, with or without a BOM)."""
    header = ",".join(COLUMNS).encode("ascii")
    with path.open("rb") as handle:
        start = handle.read(len(header) + 8)
    return start.removeprefix(b"\xef\xbb\xbf").startswith(header + b"\r\n")


def write_csv(bank: Bank, questions: Sequence[Question], out: Path, *, bom: bool = False,
              force: bool = False) -> Path:
    """Write the CSV atomically; returns the absolute path written. An existing file quiz did not write is
    replaced only with `force`."""
    data = csv_text(bank, questions).encode("utf-8-sig" if bom else "utf-8")
    return atomic_write(out, lambda tmp: tmp.write_bytes(data), force=force, ours=written_by_quiz)
