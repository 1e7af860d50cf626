"""`quiz import`: questions from CSV/TSV, Moodle GIFT and Aiken files, into a YAML bank file.

One module per concern: `reading` (bytes to text, format, delimiter, language), one reader per format
(`csv_format`, `gift`, `aiken`, each giving `entry.Entry` values), `eras` (the era an import declares) and
`plan` (the whole import: check, render, map problems back, write).

Every problem is reported as `FILE:line: message` (the line of the imported file), all of them; nothing is
written when there is any error. The questions are first checked field by field (the same checks as `quiz add`),
then the YAML that would be written is loaded with the real bank loader together with the rest of the bank, and
what the loader finds is mapped back to the line each question came from.

The formats, in their modules' docstrings: `csv_format` (CSV and TSV), `gift` (Moodle GIFT), `aiken`.
GIFT and Aiken hold one language: `--lang` says which (default English); the other stays empty (one warning).
"""


from quiz.authoring.importers.aiken import parse_aiken
from quiz.authoring.importers.csv_format import CSV_COLUMNS, CSV_EXTRA, parse_csv
from quiz.authoring.importers.entry import Entry
from quiz.authoring.importers.eras import NewEra, draft_era, parse_new_era
from quiz.authoring.importers.gift import parse_gift
from quiz.authoring.importers.plan import ImportPlan, bank_id_for, parse_text, plan_import, read_entries, write
from quiz.authoring.importers.reading import (
    FORMAT_NAMES,
    FORMATS,
    detect_format,
    detect_language,
    read_text,
    sniff_delimiter,
)

__all__ = [
    "CSV_COLUMNS", "CSV_EXTRA", "FORMATS", "FORMAT_NAMES", "Entry", "ImportPlan", "NewEra", "bank_id_for",
    "detect_format", "detect_language", "draft_era", "parse_aiken", "parse_csv", "parse_gift", "parse_new_era",
    "parse_text", "plan_import", "read_entries", "read_text", "sniff_delimiter", "write",
]
