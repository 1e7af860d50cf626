"""`quiz export csv` and `quiz export json`, atomic writes, and the exporters' error messages."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import run_quiz

from quiz import export as export_pkg
from quiz.bank import load_bank
from quiz.export import anki as ax
from quiz.export import package_zip
from quiz.export.table import COLUMNS, safe_cell
from quiz.model import CardPhase, CardState, Rating
from quiz.store import Store
from quiz.workspace import sync_entries

NOW = datetime(2026, 10, 5, 9, 30, tzinfo=timezone.utc)

TEACHER = """\
questions:
  - id: t-typed
    kind: typed
    era: middle
    prompt: {ar: "في أي عام انتهت الحرب؟", en: "=HYPERLINK(\\"http://x\\") In which year did the war end?"}
    answer: {ar: "1945", en: "1945"}
    accept: {en: [nineteen forty-five, "'45"]}
    tolerance: 1
    explanation: {ar: "شرحٌ, مع فاصلة", en: "Because, \\"quoted\\", and\\nsplit"}
    source: {doc: doc, era: middle, para: 2}
    tags: [war, year]
  - id: t-choice
    kind: choice
    era: early
    prompt: {ar: اختر, en: Choose}
    choices:
      - {ar: أ, en: "-A"}
      - {ar: ب, en: B}
    answer: {ar: ب, en: B}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 1}
  - id: t-draft
    kind: card
    era: late
    draft: true
    prompt: {ar: مسودة, en: A draft}
    answer: {ar: مسودة, en: A draft}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 7}
"""


def quiz(*args: str, now: datetime = NOW) -> Any:
    return run_quiz(*args, now=now.isoformat())


@pytest.fixture
def teacher(tmp_path: Path, write_bank: Any) -> Path:
    return write_bank(tmp_path / "teacher", {"qs.yaml": TEACHER})


def teacher_args(teacher: Path) -> tuple[str, ...]:
    return ("--no-builtin", "--bank", str(teacher))


# --- CSV --------------------------------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_csv_has_a_header_and_one_row_per_question_in_both_languages(tmp_path: Path, teacher: Path) -> None:
    out = tmp_path / "bank.csv"
    result = quiz("export", "csv", str(out), *teacher_args(teacher))
    assert result.exit_code == 0, result.stderr
    listed = json.loads(quiz("list", "--json", *teacher_args(teacher)).stdout)
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.splitlines()[0].decode() == ",".join(COLUMNS)
    rows = read_csv(out)
    assert [r["id"] for r in rows] == [q["id"] for q in listed]
    assert "t-draft" not in {r["id"] for r in rows}
    assert result.stdout == f"Wrote {len(rows)} questions to {out}\n"
    typed = next(r for r in rows if r["id"] == "t-typed")
    assert typed["prompt_ar"] == "في أي عام انتهت الحرب؟"
    assert typed["prompt_en"] == "'=HYPERLINK(\"http://x\") In which year did the war end?"  # no formula
    assert typed["explanation_en"] == 'Because, "quoted", and\nsplit'
    assert typed["explanation_ar"] == "شرحٌ, مع فاصلة"
    assert typed["accept_en"] == "nineteen forty-five | '45"
    assert (typed["tolerance"], typed["tags"], typed["generated"]) == ("1", "war year", "no")
    assert (typed["source_doc"], typed["source_era"], typed["source_para"]) == ("doc", "middle", "2")
    assert typed["source_en"] == "Source: A document, The middle era, paragraph 2"
    choice = next(r for r in rows if r["id"] == "t-choice")
    assert choice["choices_en"] == "'-A | B" and choice["answer_ar"] == "ب"
    assert any(r["generated"] == "yes" for r in read_csv_builtin(tmp_path))


def read_csv_builtin(tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / "builtin.csv"
    assert quiz("export", "csv", str(out), "--era", "c19").exit_code == 0
    rows = read_csv(out)
    orders = [r for r in rows if r["kind"] == "order"]
    assert orders and all(r["years"] for r in orders)
    return rows


def test_csv_bom_for_excel(tmp_path: Path, teacher: Path) -> None:
    out = tmp_path / "bank.csv"
    assert quiz("export", "csv", str(out), "--bom", *teacher_args(teacher)).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,kind,")


def test_safe_cell() -> None:
    assert [safe_cell(v) for v in ("=1+1", "+x", "@a", "-x", "-1962", "1962", "a=b", "\tx")] == [
        "'=1+1", "'+x", "'@a", "'-x", "-1962", "1962", "a=b", "'\tx"]


# --- JSON -------------------------------------------------------------------------------------------------------------


def test_json_holds_the_bank_and_the_profiles_progress(tmp_path: Path, teacher: Path) -> None:
    bank = load_bank([teacher], builtin=False).bank
    db = Path(os.environ["QUIZ_DB"])
    with Store.open(db, now=NOW) as store:
        store.sync_questions(sync_entries(bank), NOW - timedelta(days=2))
        after = CardState("t-typed", CardPhase.LEARNING, 1, 2.5, 5.0, NOW + timedelta(minutes=10), NOW, 0, 1)
        store.record_answer("ana", "t-typed", before=CardState("t-typed"), after=after, rating=Rating.GOOD,
                            answer="1945", correct=True, duration_ms=1200, reviewed_at=NOW, day="2026-10-05",
                            retrievability=None)
        store.set_suspended("ana", "t-choice", True)
    out = tmp_path / "backup.json"
    result = quiz("export", "json", str(out), "--profile", "ana", *teacher_args(teacher))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote 2 questions, 2 cards and 1 reviews of profile 'ana' to {out}\n"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["profile"]) == ("timeline-quiz-backup", 1, "ana")
    assert data["exported_at"] == "2026-10-05T09:30:00.000Z"
    assert [q["id"] for q in data["bank"]["questions"]] == ["t-typed", "t-choice"]
    typed = data["bank"]["questions"][0]
    assert typed["prompt"]["ar"] == "في أي عام انتهت الحرب؟"
    assert typed["accept"]["en"] == ["nineteen forty-five", "'45"] and typed["tolerance"] == 1
    assert typed["content_hash"] == bank.content_hash("t-typed")
    assert {e["id"] for e in data["bank"]["eras"]} == {"early", "middle", "late"}
    progress = data["progress"]
    assert {q["id"]: q["first_seen"] for q in progress["questions"]} == {
        "t-typed": "2026-10-03T09:30:00.000Z", "t-choice": "2026-10-03T09:30:00.000Z"}
    cards = {c["id"]: c for c in progress["cards"]}
    assert cards["t-typed"]["phase"] == "learning" and cards["t-typed"]["due"] == "2026-10-05T09:40:00.000Z"
    assert cards["t-choice"]["suspended"] is True and cards["t-choice"]["phase"] == "new"
    (review,) = progress["reviews"]
    assert (review["question_id"], review["rating"], review["answer"], review["correct"]) == (
        "t-typed", "good", "1945", True)
    assert review["before"]["phase"] == "new" and review["after"]["reps"] == 1
    other = quiz("export", "json", str(tmp_path / "other.json"), "--profile", "bob", *teacher_args(teacher))
    assert other.exit_code == 0
    assert json.loads((tmp_path / "other.json").read_text())["progress"]["reviews"] == []


def test_json_without_a_database_has_empty_progress_and_creates_none(tmp_path: Path, teacher: Path) -> None:
    db = tmp_path / "none" / "quiz.db"
    out = tmp_path / "backup.json"
    result = quiz("export", "json", str(out), "--db", str(db), *teacher_args(teacher))
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["progress"] == {"questions": [], "cards": [], "reviews": []}
    assert not db.parent.exists()


# --- atomic writes ----------------------------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_failed_anki_export_leaves_the_previous_file_intact(tmp_path: Path, teacher: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "deck.apkg"
    args = ("export", "anki", str(out), "--lang", "en", *teacher_args(teacher))
    assert quiz(*args).exit_code == 0
    before = out.read_bytes()

    def failing_central(out: Any, *a: Any, **kw: Any) -> None:
        # collection.anki2 is already in the zip: the temporary file is half written when this fails
        assert out.tell() > 0
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(package_zip, "_central", failing_central)
        result = quiz(*args, now=NOW + timedelta(hours=1))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: cannot write the export (No space left on device)\n"
    assert out.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_a_crash_mid_export_leaves_no_partial_file(tmp_path: Path, teacher: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "deck.apkg"

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(ax, "_set_col", boom)
    monkeypatch.setenv("QUIZ_DEBUG", "1")
    result = quiz("export", "anki", str(out), "--lang", "en", *teacher_args(teacher))
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    assert not out.exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_a_failed_rename_keeps_the_old_csv_and_json(tmp_path: Path, teacher: Path, kind: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / f"out.{kind}"
    out.write_text("old contents", encoding="utf-8")

    def denied(src: Any, dst: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export_pkg.os, "replace", denied)
    result = quiz("export", kind, str(out), "--force", *teacher_args(teacher))  # not quiz's file: --force
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {out}: cannot write the file: permission denied "
                             "(choose a folder you can write to)\n")
    assert out.read_text(encoding="utf-8") == "old contents"
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path, teacher: Path) -> None:
    out = tmp_path / "bank.csv"
    assert quiz("export", "csv", str(out), *teacher_args(teacher)).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


# --- errors -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["anki", "csv", "json"])
def test_a_missing_folder_is_one_line(tmp_path: Path, teacher: Path, kind: str) -> None:
    out = tmp_path / "missing" / "out.file"
    result = quiz("export", kind, str(out), *teacher_args(teacher))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: the folder {tmp_path / 'missing'} does not exist (create it first)\n"
    assert result.stdout == ""


def test_a_folder_as_target_is_one_line(tmp_path: Path, teacher: Path) -> None:
    result = quiz("export", "anki", str(tmp_path), *teacher_args(teacher))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path}: is a folder; give the path of a file to write\n"


def test_a_dry_run_to_a_missing_folder_says_so(tmp_path: Path, teacher: Path) -> None:
    out = tmp_path / "missing" / "deck.apkg"
    result = quiz("export", "anki", str(out), "--dry-run", *teacher_args(teacher))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: the folder {tmp_path / 'missing'} does not exist (create it first)\n"


def test_bad_filters_and_languages_are_usage_errors(tmp_path: Path) -> None:
    out = str(tmp_path / "deck.apkg")
    result = quiz("export", "anki", out, "--era", "nope")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --era: unknown era 'nope'; use one of: c19, world-wars,")
    result = quiz("export", "anki", out, "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr == "Error: --lang: 'fr' is not a language; use ar, en, both\n"
    result = quiz("export", "csv", out, "--kind", "essay")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --kind: unknown kind 'essay'")
    assert not Path(out).exists()


def test_the_default_output_name(tmp_path: Path, teacher: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = quiz("export", "anki", "--lang", "en", *teacher_args(teacher))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / ax.DEFAULT_FILE).is_file()
    assert result.stdout.startswith(f"Wrote 2 notes to {tmp_path / ax.DEFAULT_FILE} (2 new, 0 changed")
