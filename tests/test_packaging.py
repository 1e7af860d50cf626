"""The bank ships with the package, and the JSON Schema that editors use agrees with the loader.

(A non-editable wheel installed into a fresh environment and run from another folder is checked by `.ci/run`.)
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import bank_header

import quiz
from quiz.bank import build_bank, builtin_dir
from quiz.bank.reader import parse_bytes

REPO = Path(__file__).resolve().parents[1]
SCHEMA_LINE = "# yaml-language-server: $schema=bank.schema.json"


def schema() -> dict[str, Any]:
    text = (builtin_dir() / "bank.schema.json").read_text(encoding="utf-8")
    loaded = json.loads(text)
    assert isinstance(loaded, dict)
    return loaded


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


BUILTIN = sorted(builtin_dir().glob("*.yaml"))


def test_the_builtin_bank_ships_inside_the_package() -> None:
    folder = builtin_dir()
    assert folder.is_dir()
    names = {p.name for p in BUILTIN}
    assert "eras.yaml" in names and len(names) >= 3
    package = Path(quiz.__file__).resolve().parent
    # Installed: quiz/questions; in a source checkout: questions/ beside the package.
    assert folder in (package / "questions", package.parent / "questions")


def test_the_schema_ships_inside_the_package_and_is_a_valid_2020_12_schema() -> None:
    document = schema()
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)


@pytest.mark.parametrize("path", BUILTIN, ids=[p.name for p in BUILTIN])
def test_every_builtin_file_satisfies_the_schema(path: Path) -> None:
    parsed = parse_bytes(path.read_bytes(), path.name)
    assert parsed.data is not None, [str(p) for p in parsed.problems]
    errors = sorted(validator().iter_errors(parsed.data), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


@pytest.mark.parametrize("path", BUILTIN, ids=[p.name for p in BUILTIN])
def test_every_builtin_file_points_editors_at_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == SCHEMA_LINE


def test_the_schema_reference_resolves_beside_the_bank() -> None:
    """The schema sits in the bank folder itself, so the reference resolves in a checkout and in the wheel."""
    reference = SCHEMA_LINE.split("$schema=", 1)[1]
    target = (builtin_dir() / reference).resolve()
    assert target == (REPO / "questions" / "bank.schema.json").resolve()
    assert target.is_file()


HEADER = bank_header(eras=("middle",))

VALID = HEADER + """\
events:
  - id: ev-a
    date: 1950-06
    era: middle
    title: {ar: حدث, en: an event}
    source: {doc: doc, era: middle, para: 1}
questions:
  - id: q-a
    kind: truefalse
    era: middle
    prompt: {ar: عبارة, en: A statement}
    answer: true
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc}
"""

# Mistakes both an editor (through the schema) and `quiz validate` must catch.
BOTH_REJECT = {
    "unknown top-level key": VALID + "extra: []\n",
    "unknown event key": VALID.replace("    era: middle\n    title: {ar: حدث", "    era: middle\n    when: 1\n"
                                       "    title: {ar: حدث"),
    "bad id": VALID.replace("id: q-a", "id: Q_A"),
    "unknown kind": VALID.replace("kind: truefalse", "kind: essay"),
    "event without a date": VALID.replace("    date: 1950-06\n", ""),
    "question without an era": VALID.replace("    kind: truefalse\n    era: middle\n", "    kind: truefalse\n"),
    "bad date": VALID.replace("date: 1950-06", "date: June 1950"),
    "negative tolerance": VALID.replace("kind: truefalse", "kind: typed").replace("answer: true",
                                        "answer: {ar: '1950', en: '1950'}\n    tolerance: -1"),
    "text that is not bilingual": VALID.replace("prompt: {ar: عبارة, en: A statement}", "prompt: A statement"),
    "tags that are not ids": VALID.replace("    source: {doc: doc}\n",
                                           "    source: {doc: doc}\n    tags: [Not An Id]\n"),
    "source without doc": VALID.replace("source: {doc: doc}", "source: {para: 2}"),
    "paragraph zero": VALID.replace("source: {doc: doc}", "source: {doc: doc, para: 0}"),
}


def test_the_sample_is_valid_for_both() -> None:
    parsed = parse_bytes(VALID.encode(), "t.yaml")
    assert parsed.data is not None
    assert list(validator().iter_errors(parsed.data)) == []
    assert build_bank([("t.yaml", VALID.encode())]).problems == ()


@pytest.mark.parametrize("case", list(BOTH_REJECT))
def test_editor_and_validator_agree_on_mistakes(case: str) -> None:
    text = textwrap.dedent(BOTH_REJECT[case])
    assert text != VALID
    parsed = parse_bytes(text.encode(), "t.yaml")
    assert parsed.data is not None
    assert list(validator().iter_errors(parsed.data)), f"the schema accepts: {case}"
    assert build_bank([("t.yaml", text.encode())]).errors, f"quiz validate accepts: {case}"
