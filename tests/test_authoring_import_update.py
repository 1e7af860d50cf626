"""quiz import --update: a changed file imported again in place; ids, progress and hand edits kept, nothing
duplicated, removed questions reported, an unchanged file a no-op; without --update, one error saying to use it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_quiz

from quiz.bank import load_bank
from quiz.store import Store

GIFT = """\
$CATEGORY: $course$/European Union

::Paris::In which year did six countries sign the Treaty of Paris? {#1951 ####It founded the ECSC.}

::Rome:: The Treaty of Rome created the European Economic Community in 1957. {T#No: it did, in 1957.#Yes.}

::Maastricht:: Which treaty created the European Union in 1993? {=the Maastricht Treaty ~the Treaty of Rome \
~the Treaty of Lisbon#No: that was 2007.}
"""


@pytest.fixture(autouse=True)
def _env(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_FUZZ", "0")
    monkeypatch.setenv("QUIZ_SEED", "7")
    Path("eu.gift").write_text(GIFT, encoding="utf-8")
    first = run_quiz("import", "eu.gift", "-o", "eu/questions.yaml")
    assert first.exit_code == 0, first.stderr


def imp(*extra: str):  # type: ignore[no-untyped-def]
    return run_quiz("import", "eu.gift", "-o", "eu/questions.yaml", *extra)


def test_importing_again_without_update_is_one_error_that_says_to_use_it() -> None:
    before = Path("eu/questions.yaml").read_bytes()
    result = imp()
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("Error: eu/questions.yaml already has 3 of the questions in eu.gift (imported "
                             "before?); to update them in place, run the same command with --update\n")
    assert Path("eu/questions.yaml").read_bytes() == before


def test_an_unchanged_file_is_a_no_op_that_says_so() -> None:
    before = Path("eu/questions.yaml").read_bytes()
    result = imp("--update")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "Nothing to update: eu/questions.yaml already has the 3 questions of eu.gift as they are.\n"
    assert Path("eu/questions.yaml").read_bytes() == before


def test_update_changes_in_place_adds_new_reports_removed_and_keeps_hand_edits() -> None:
    yaml_path = Path("eu/questions.yaml")
    text = yaml_path.read_text(encoding="utf-8")
    # the teacher translated one question by hand and commented it
    english = "prompt: {en: The Treaty of Rome created the European Economic Community in 1957.}"
    assert english in text
    text = text.replace(english, "prompt: {ar: أنشأت معاهدة روما المجموعة الاقتصادية الأوروبية عام 1957., "
                        "en: The Treaty of Rome created the European Economic Community in 1957.}\n"
                        "    # translated by hand")
    yaml_path.write_text(text, encoding="utf-8")
    changed = GIFT.replace("It founded the ECSC.", "It set up the ECSC.").split("::Maastricht::")[0]
    changed = changed.replace("::Rome::", "::Euro::In which year did euro coins come into use? {#2002#Since 2002.}"
                              "\n\n::Rome::")
    Path("eu.gift").write_text(changed, encoding="utf-8")
    dry = imp("--update", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert dry.stdout == ("Would update eu/questions.yaml from eu.gift: 1 updated, 1 added, 1 unchanged, 1 no longer "
                          "in the file, kept.\nWould update: eu-paris\n(dry run: nothing written)\n")
    assert yaml_path.read_text(encoding="utf-8") == text
    result = imp("--update")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("Updated eu/questions.yaml from eu.gift: 1 updated, 1 added, 1 unchanged, 1 no longer "
                             "in the file, kept.\nUpdated (ids and progress kept): eu-paris\n")
    after = yaml_path.read_text(encoding="utf-8")
    start = after.index("  - id: eu-maastricht")
    first = after[:start].count("\n") + 1
    last = after[:after.index("  - id: eu-euro\n")].rstrip("\n").count("\n") + 1
    assert result.stderr == (f"eu/questions.yaml:{first}: warning: question 'eu-maastricht' is no longer in eu.gift; "
                             f"it is kept: to remove it, delete lines {first}-{last} of eu/questions.yaml\n")
    assert "# translated by hand" in after and "ar: أنشأت معاهدة روما" in after
    bank = load_bank([Path("eu")], builtin=False).bank
    assert [q.id for q in bank.questions] == ["eu-paris", "eu-rome", "eu-maastricht", "eu-euro"]
    paris = bank.question("eu-paris")
    assert paris is not None and paris.explanation.en == "It set up the ECSC."
    assert after.replace("It set up", "It founded").startswith(text)  # nothing else moved
    again = imp("--update")
    assert again.stdout.startswith("Nothing to update:")


def test_progress_is_kept_across_an_update() -> None:
    studied = run_quiz("study", "--no-builtin", "--bank", "eu", "--lang", "en", "--new", "3",
                       stdin="1951\n\n" * 10, now="2030-01-10T09:00:00+00:00")
    assert studied.exit_code == 0, studied.output

    def reviews() -> dict[str, int]:
        with Store.open(Path(os.environ["QUIZ_DB"])) as store:
            rows = store.conn.execute("SELECT q.id, COUNT(*) FROM reviews r JOIN questions q ON q.qid = r.qid "
                                      "GROUP BY q.id").fetchall()
        return {r[0]: r[1] for r in rows}

    before = reviews()
    assert before.get("eu-paris", 0) >= 1
    Path("eu.gift").write_text(GIFT.replace("It founded the ECSC.", "It set up the ECSC."), encoding="utf-8")
    assert imp("--update").exit_code == 0
    again = run_quiz("study", "--no-builtin", "--bank", "eu", "--lang", "en", "--new", "0", stdin="",
                     now="2030-01-10T09:30:00+00:00")
    assert again.exit_code == 0, again.output
    assert reviews() == before


def test_csv_update_matches_by_id_and_replaces_every_column() -> None:
    header = "id,kind,era,prompt_en,answer_en,explanation_en\n"
    Path("c.csv").write_text(header + "eu-one,typed,eu-european-union,One?,1,First.\n"
                             "eu-two,typed,eu-european-union,Two?,2,Second.\n", encoding="utf-8")
    assert run_quiz("import", "c.csv", "-o", "eu/c.yaml", "--bank", "eu", "--era", "eu-european-union").exit_code == 0
    Path("c.csv").write_text(header + "eu-two,typed,eu-european-union,Two, really?,2,Second.\n"
                             "eu-one,typed,eu-european-union,One?,1,\n", encoding="utf-8")
    result = run_quiz("import", "c.csv", "-o", "eu/c.yaml", "--bank", "eu", "--era", "eu-european-union", "--update")
    assert result.exit_code == 1  # "Two, really?" splits into two cells: the row is reported, nothing written
    assert result.stderr.splitlines()[-1] == "Error: 1 error in c.csv; nothing was written"
    Path("c.csv").write_text(header + 'eu-two,typed,eu-european-union,"Two, really?",2,Second.\n'
                             "eu-one,typed,eu-european-union,One?,1,\n", encoding="utf-8")
    result = run_quiz("import", "c.csv", "-o", "eu/c.yaml", "--bank", "eu", "--era", "eu-european-union", "--update")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == ("Updated eu/c.yaml from c.csv: 2 updated, 0 added, 0 unchanged.")
    bank = load_bank([Path("eu")], builtin=False).bank
    one, two = bank.question("eu-one"), bank.question("eu-two")
    assert one is not None and one.explanation.en == ""  # the emptied cell empties the field
    assert two is not None and two.prompt.en == "Two, really?"
    assert [q.id for q in bank.questions if q.id in ("eu-one", "eu-two")] == ["eu-one", "eu-two"]  # in place


def test_replace_items_rewrites_only_the_items_given() -> None:
    from quiz.authoring import yamledit

    text = ("# head\r\nquestions:\r\n  - id: a\r\n    kind: card\r\n\r\n  # about b\r\n  - id: b\r\n    kind: card\r\n"
            "events:\r\n  - id: e\r\n")
    new = yamledit.replace_items(text, "questions", {0: {"id": "a", "kind": "typed", "prompt": {"en": "Q?"}}})
    assert new == ("# head\r\nquestions:\r\n  - id: a\r\n    kind: typed\r\n    prompt: {en: Q?}\r\n\r\n"
                   "  # about b\r\n  - id: b\r\n    kind: card\r\nevents:\r\n  - id: e\r\n")
    assert yamledit.item_spans(new, "questions") == [(3, 6), (8, 10)]
