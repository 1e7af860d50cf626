"""Issue 16's end-to-end flow: from an empty folder, a Moodle GIFT file on another subject becomes a studyable,
exportable bank in two commands, with no hand-written YAML, and `quiz validate --strict` is clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from quiz.cli import app

GIFT = """\
$CATEGORY: $course$/European Union

::Paris::In which year did six countries sign the Treaty of Paris? {#1951 ####The Treaty of Paris (1951) founded \
the European Coal and Steel Community.}

::Rome:: The Treaty of Rome created the European Economic Community in 1957. {T#No: it did, in 1957.#Yes.}

::Maastricht:: Which treaty created the European Union in 1993? {=the Maastricht Treaty#Right. ~the Treaty of \
Rome#No: that was 1957. ~the Treaty of Lisbon#No: that was 2007.}

This text introduces the quiz and has no answers: a description.
"""


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def test_a_gift_file_becomes_a_bank_in_two_commands(empty: Path) -> None:
    (empty / "eu.gift").write_text(GIFT, encoding="utf-8")
    imported = run("import", "eu.gift", "-o", "eu/questions.yaml")
    assert imported.exit_code == 0, imported.stderr  # type: ignore[attr-defined]
    assert imported.stdout.splitlines() == [  # type: ignore[attr-defined]
        "Imported 3 questions from eu.gift (GIFT) into eu/questions.yaml.",
        "Declared a draft era 'eu-european-union' 1951–2007 (its span from the years in the file) in "
        "eu/questions.yaml; check its title and span, then remove 'draft: true'.",
        "Wrote eu/bank.yaml: what the bank is (id, title, languages); edit it to name your subject.",
        "Wrote eu/bank.schema.json: the bank format, for your editor.",
        "Check it with: quiz validate eu",
        "Study it with: quiz study --bank eu",
    ]
    checked = run("validate", "--strict", "eu")
    assert (checked.exit_code, checked.stderr) == (0, "")  # type: ignore[attr-defined]
    assert checked.stdout == "3 questions (0 generated) in 2 files: 0 errors, 0 warnings\n"  # type: ignore[attr-defined]
    from quiz.bank import load_bank

    bank = load_bank([Path("eu")], builtin=False).bank
    assert [info.id for info in bank.infos] == ["eu"] and bank.infos[0].languages == ("en",)
    assert [q.id for q in bank.studyable()] == ["eu-paris", "eu-rome", "eu-maastricht"]
    rome = bank.question("eu-rome")
    assert rome is not None and rome.explanation.en == "No: it did, in 1957."
    exported = run("export", "csv", "eu.csv", "--bank", "eu", "--no-builtin")
    assert exported.exit_code == 0, exported.stderr  # type: ignore[attr-defined]
    assert Path("eu.csv").read_text(encoding="utf-8").count("eu-") >= 3


SIBLING_ERAS = """\
eras:
  - id: eu-founding
    start: 1950
    end: 1967
    title: {en: The founding years, ar: سنوات التأسيس}
"""

SIBLING_QUESTIONS = """\
questions:
  - id: eu-paris
    kind: typed
    era: eu-founding
    prompt: {en: Which city gave its name to the 1951 treaty of the Coal and Steel Community?}
    answer: {en: Paris}
"""

FOUNDING_GIFT = """\
::Paris::In which year did six countries sign the Treaty of Paris? {#1951}

::Rome:: The Treaty of Rome created the European Economic Community in 1957. {T}
"""


def _hinted(stdout: str, verb: str) -> list[str]:
    """The arguments of the `quiz VERB …` command a closing hint names."""
    line = next(line for line in stdout.splitlines() if line.startswith(("Check it with: ", "Study it with: "))
                and f"quiz {verb} " in line)
    import shlex

    return shlex.split(line.split(f"quiz {verb} ", 1)[1])


def test_an_import_into_a_folder_knows_the_eras_and_ids_of_its_sibling_files(empty: Path) -> None:
    (empty / "eu").mkdir()
    (empty / "eu" / "eras.yaml").write_text(SIBLING_ERAS, encoding="utf-8")
    (empty / "eu" / "people.yaml").write_text(SIBLING_QUESTIONS, encoding="utf-8")
    (empty / "founding.gift").write_text(FOUNDING_GIFT, encoding="utf-8")
    imported = run("import", "founding.gift", "-o", "eu/founding.yaml", "--era", "eu-founding")
    assert imported.exit_code == 0, imported.stderr  # type: ignore[attr-defined]
    written = (empty / "eu" / "founding.yaml").read_text(encoding="utf-8")
    assert "era: eu-founding" in written and "\neras:" not in written  # the sibling's era, not a new one
    from quiz.bank import load_bank

    bank = load_bank([Path("eu")], builtin=False).bank
    ids = [q.id for q in bank.questions]
    assert len(ids) == len(set(ids)) == 3 and "eu-paris" in ids  # the sibling's id kept, the new one another
    assert [q.era for q in bank.questions] == ["eu-founding"] * 3
    hinted = _hinted(imported.stdout, "validate")  # type: ignore[attr-defined]
    checked = run("validate", *hinted)
    assert checked.exit_code == 0, checked.stdout  # type: ignore[attr-defined]


def test_an_import_of_a_builtin_era_hints_a_check_that_loads_the_builtin_bank(empty: Path) -> None:
    (empty / "founding.gift").write_text(FOUNDING_GIFT, encoding="utf-8")
    imported = run("import", "founding.gift", "-o", "cw/founding.yaml", "--era", "cold-war")
    assert imported.exit_code == 0, imported.stderr  # type: ignore[attr-defined]
    hinted = _hinted(imported.stdout, "validate")  # type: ignore[attr-defined]
    assert hinted == ["--bank", "cw"]
    checked = run("validate", *hinted)
    assert checked.exit_code == 0, checked.stdout  # type: ignore[attr-defined]


def test_an_import_into_a_folder_takes_the_prefix_of_its_bank_yaml(empty: Path) -> None:
    (empty / "eu").mkdir()
    (empty / "eu" / "bank.yaml").write_text('bank:\n  id: euro\n  title: {en: "Europe"}\n  languages: [en]\n',
                                            encoding="utf-8")
    (empty / "eu" / "eras.yaml").write_text(SIBLING_ERAS, encoding="utf-8")
    (empty / "founding.gift").write_text(FOUNDING_GIFT, encoding="utf-8")
    imported = run("import", "founding.gift", "-o", "eu/founding.yaml", "--era", "eu-founding")
    assert imported.exit_code == 0, imported.stderr  # type: ignore[attr-defined]
    assert "Wrote eu/bank.yaml" not in imported.stdout  # type: ignore[attr-defined]
    from quiz.bank import load_bank

    assert [q.id for q in load_bank([Path("eu")], builtin=False).bank.questions] == ["euro-paris", "euro-rome"]
    assert run("validate", *_hinted(imported.stdout, "validate")).exit_code == 0  # type: ignore[attr-defined]
