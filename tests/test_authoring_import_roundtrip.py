"""`quiz export csv` output imports back unchanged: every kind, both languages, compared field by field."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from conftest import bank_header, run_quiz

from quiz.bank import load_bank

QUESTIONS = """\
questions:
  - id: rt-choice
    kind: choice
    era: cold
    prompt: {ar: من قاد الاتحاد السوفياتي عام 1962؟, en: Who led the USSR in 1962?}
    answer: {ar: خروتشوف, en: Khrushchev}
    choices:
      - {ar: خروتشوف, en: Khrushchev}
      - {ar: بريجنيف, en: Brezhnev}
      - {ar: ستالين, en: Stalin}
    explanation: {ar: "قاده من 1953 إلى 1964.", en: "He led it from 1953 to 1964, with a comma."}
    source: {doc: notes, era: cold, para: 3}
    tags: [person, crisis]
  - id: rt-typed
    kind: typed
    era: cold
    prompt: {ar: في أي عام سقط جدار برلين؟, en: In which year did the Berlin Wall fall?}
    answer: {ar: "1989", en: "1989"}
    tolerance: 1
    explanation: {ar: سقط عام 1989., en: "It fell in 1989; \\"quoted\\" text | and a bar."}
    source: {doc: notes}
  - id: rt-typed-words
    kind: typed
    era: cold
    prompt: {ar: ما اسم أول قمر صناعي؟, en: What was the first satellite called?}
    answer: {ar: سبوتنيك, en: Sputnik}
    accept: {ar: [سبوتنيك 1], en: [Sputnik 1, Sputnik-1]}
    explanation: {ar: "أُطلق عام 1957.", en: "=1957, a cell a spreadsheet would run."}
    source: {doc: notes}
  - id: rt-truefalse
    kind: truefalse
    era: cold
    prompt: {ar: وُقّعت معاهدة ستارت عام 1991., en: START was signed in 1991.}
    answer: false
    explanation: {ar: "بل عام 1991 حقاً.", en: "-It was, in July 1991."}
    source: {doc: notes}
  - id: rt-order
    kind: order
    era: cold
    prompt: {ar: رتّب الأحداث., en: Put these in order.}
    items:
      - {ar: حصار برلين, en: The Berlin blockade, year: 1948}
      - {ar: ربيع براغ, en: The Prague Spring}
      - {ar: أولمبياد موسكو, en: The Moscow Olympics, year: 1980}
    explanation: {ar: من الأقدم., en: Oldest first.}
    source: {doc: notes}
  - id: rt-cloze
    kind: cloze
    era: cold
    prompt: {ar: "طار {{غاغارين}} إلى الفضاء عام 1961.", en: "{{Gagarin}} flew into space in 1961."}
    accept: {en: [Yuri Gagarin]}
    explanation: {ar: كان أول إنسان في الفضاء., en: He was the first person in space.}
    source: {doc: notes}
  - id: rt-card
    kind: card
    era: cold
    prompt: {ar: ما الستار الحديدي؟, en: What was the Iron Curtain?}
    answer: {ar: الحد بين الشرق والغرب, en: "The line between East and West\\nin Europe"}
    explanation: {ar: عبارة تشرشل., en: Churchill's phrase.}
    source: {doc: notes}
    tags: [term]
"""


@pytest.fixture(autouse=True)
def _env(workdir: Path) -> None:
    header = bank_header("notes", ("cold",), title=("ملاحظات", "Notes"))
    for name in ("one", "two"):
        Path(name).mkdir()
        Path(name, "header.yaml").write_text(header, encoding="utf-8")
    Path("one", "q.yaml").write_text(QUESTIONS, encoding="utf-8")


@pytest.mark.parametrize("bom", [False, True])
def test_export_csv_imports_back_unchanged(bom: bool) -> None:
    original = load_bank([Path("one")], builtin=False)
    assert original.problems == ()
    exported = run_quiz("export", "csv", "out.csv", "--bank", "one", "--no-builtin", *(["--bom"] if bom else []))
    assert exported.exit_code == 0, exported.stderr
    imported = run_quiz("import", "out.csv", "-o", "two/q.yaml", "--bank", "two", "--no-builtin")
    assert imported.exit_code == 0, imported.stderr
    assert imported.stderr == ""
    assert imported.stdout.startswith("Imported 7 questions from out.csv (CSV) into two/q.yaml.\n")
    again = load_bank([Path("two")], builtin=False)
    assert again.problems == ()
    before = {q.id: q for q in original.bank.questions if not q.generated}
    after = {q.id: q for q in again.bank.questions if not q.generated}
    assert list(after) == list(before)
    # everything the CSV carries (the events a question links, its place and bank are not in a CSV)
    compared = [f.name for f in fields(next(iter(before.values()))) if f.name not in ("loc", "bank", "events")]
    for qid, question in before.items():
        for name in compared:
            assert getattr(after[qid], name) == getattr(question, name), (qid, name)
        assert after[qid].content_hash() == question.content_hash()
    # and importing the export again with --update changes nothing
    updated = run_quiz("import", "out.csv", "-o", "two/q.yaml", "--bank", "two", "--no-builtin", "--update")
    assert updated.stdout == "Nothing to update: two/q.yaml already has the 7 questions of out.csv as they are.\n"
