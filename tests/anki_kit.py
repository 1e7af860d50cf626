"""Shared by the Anki export tests: a teacher's bank with every kind (and hostile text), the CLI with a pinned
clock, importing with the official `anki` library, and lookups in the collection.

Times: T0 is pinned a few days before the real clock, so that edits made "by the learner" in Anki (which Anki
stamps with the real time) are newer than every exported note, as they would be in real life.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import genanki
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from typer.testing import CliRunner

from quiz.cli import app
from quiz.export.anki_notes import event_forms
from quiz.model import Bank

T0 = (datetime.now(timezone.utc) - timedelta(days=3)).replace(microsecond=0)
IF_NEWER = 0  # ImportAnkiPackageUpdateCondition.IF_NEWER: Anki's default, "update notes if newer"

TEACHER = """\
events:
  - id: ev-one
    date: "1905"
    era: early
    title: {ar: "الحدث الأول <script>alert(1)</script>", en: "the first event <script>alert(1)</script>"}
    detail: {ar: تفصيل, en: A detail.}
    source: {doc: doc, para: 1}
  - id: ev-two
    date: "1912"
    era: early
    title: {ar: الحدث الثاني, en: the second event}
    detail: {ar: تفصيل, en: A detail.}
    source: {doc: doc, para: 2}
  - id: ev-three
    date: "1925"
    era: early
    title: {ar: الحدث الثالث, en: the third event}
    detail: {ar: تفصيل, en: A detail.}
    source: {doc: doc, para: 3}
questions:
  - id: t-card
    kind: card
    era: early
    prompt:
      ar: "<script>alert(1)</script> فُجِّرَتْ القنبلةُ الأولى؟"
      en: "<script>alert(1)</script> [red]What[/red] is this?"
    answer: {ar: "جواب <b>عريض</b>", en: "An answer & <i>more</i>"}
    explanation: {ar: "شرح [sound:evil.mp3]", en: "Because [sound:evil.mp3] {{c1::no}}"}
    source: {doc: doc, para: 1}
    tags: [alpha, arms-control]
  - id: t-typed
    kind: typed
    era: middle
    prompt: {ar: "في أي عام؟ <img src=x onerror=alert(1)>", en: "In which year? <img src=x onerror=alert(1)>"}
    answer: {ar: "1945", en: "1945"}
    accept: {en: [nineteen forty-five]}
    tolerance: 1
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 2}
  - id: t-choice
    kind: choice
    era: middle
    prompt: {ar: "اختر <script>x</script>", en: "Choose <script>x</script>"}
    choices:
      - {ar: "<img src=x onerror=alert(1)>", en: "<img src=x onerror=alert(1)>"}
      - {ar: ب, en: B}
      - {ar: ج, en: C}
    answer: {ar: ب, en: B}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 3}
  - id: t-tf
    kind: truefalse
    era: late
    prompt: {ar: "العبارة <script>alert(1)</script>", en: "The statement <script>alert(1)</script>"}
    answer: true
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 4}
  - id: t-order
    kind: order
    era: late
    prompt: {ar: رتب الأحداث, en: Put them in order}
    items:
      - {ar: "الأول <script>", en: "First <script>", year: 1971}
      - {ar: الثاني, en: Second, year: 1980}
      - {ar: الثالث, en: Third, year: 1990}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 5}
  - id: t-cloze
    kind: cloze
    era: late
    prompt:
      ar: "بدأت الحرب عام {{1939}} <script>alert(1)</script>"
      en: "The war began in {{1939}}, <script>alert(1)</script>"
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 6}
  - id: t-draft
    kind: card
    era: late
    draft: true
    prompt: {ar: مسودة, en: A draft}
    answer: {ar: مسودة, en: A draft}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 7}
"""


# --- helpers -------------------------------------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def quiz(*args: str, now: datetime = T0) -> Any:
    result = CliRunner().invoke(app, list(args), env={"QUIZ_NOW": iso(now)})
    return result


def export(out: Path, *args: str, now: datetime = T0) -> Any:
    result = quiz("export", "anki", str(out), *args, now=now)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def listed(*args: str) -> list[dict[str, Any]]:
    result = quiz("list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def import_apkg(col: Collection, path: Path) -> Any:
    options = ImportAnkiPackageOptions(update_notes=IF_NEWER, update_notetypes=IF_NEWER, merge_notetypes=False,
                                       with_scheduling=False)
    response = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options))
    return response.log


def notes_snapshot(col: Collection) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in col.db.all("SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id")]


def visible(html_text: str) -> str:
    """A rendered side without its CSS and tags."""
    text = re.sub(r"<style>.*?</style>", "", html_text, flags=re.S)
    return re.sub(r"<[^>]+>", "", text).strip()


def package_mod(path: Path) -> int:
    with zipfile.ZipFile(path) as package, package.open("collection.anki2") as handle:
        data = handle.read()
    tmp = path.with_suffix(".read.anki2")
    tmp.write_bytes(data)
    try:
        conn = sqlite3.connect(tmp)
        (mod,) = conn.execute("SELECT mod FROM col").fetchone()
        conn.close()
    finally:
        tmp.unlink()
    return int(mod)


def note_of(col: Collection, qid: str, lang: str, bank: str | None = None) -> Any:
    """The note of a question (or, for `gen-year-EVENT`, of its event) of the built-in bank, or of `bank`."""
    guid = genanki.guid_for(qid, lang) if bank is None else genanki.guid_for(bank, qid, lang)
    ids = col.db.list("SELECT id FROM notes WHERE guid = ?", guid)
    assert len(ids) == 1, (qid, lang, ids)
    return col.get_note(ids[0])


def expected_notes(bank: Bank, ids: list[str]) -> int:
    """Notes per language of an export of these questions: one per question, or one per event for its forms."""
    forms = event_forms([q for q in bank.questions if q.id in set(ids)])
    carried = {q.id for per in forms.values() for q in per.values()}
    return len([i for i in ids if i not in carried]) + len(forms)


def new_collection(folder: Path) -> Collection:
    folder.mkdir()
    return Collection(str(folder / "collection.anki2"))


def rewrite(bank: Path, old: str, new: str) -> None:
    path = bank / "qs.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def own_scripts_removed(side: str) -> str:
    """A rendered side without the templates' own scripts (the answer checker, the typed-answer keeper)."""
    return re.sub(r"<script>(?:/\* timeline-quiz|\(function\(\)\{var b=document).*?</script>", "", side, flags=re.S)


