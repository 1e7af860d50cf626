"""`quiz add --to FOLDER/file.yaml` loads the folder's other bank files as `quiz import` does (the shared
`quiz.authoring.context.destination`): eras declared in a sibling file, the bank.yaml id as the prefix of the
proposed id, ids a sibling uses avoided, and a closing hint naming a validate command that passes."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from conftest import run_quiz

pytestmark = pytest.mark.usefixtures("workdir")

BANK = 'bank:\n  id: euro\n  title: {en: "Europe"}\n  languages: [en]\n'
ERAS = """\
eras:
  - id: eu-founding
    start: 1950
    end: 1967
    title: {en: The founding years, ar: سنوات التأسيس}
"""
SIBLING = """\
questions:
  - id: euro-city-gave-1951-treaty
    kind: typed
    era: eu-founding
    prompt: {en: Who signed the 1951 treaty for France?}
    answer: {en: Robert Schuman}
"""
PROMPT = "Which city gave its name to the 1951 treaty?"
ADDED = """\
questions:
  - id: euro-city-gave-1951-treaty-2
    kind: typed
    era: eu-founding
    prompt: {en: Which city gave its name to the 1951 treaty?}
    answer: {en: Paris}
"""


def warnings(qid: str) -> str:
    return (f"eu/new.yaml:2: warning: typed question '{qid}' has no explanation; add explanation: {{ar: ..., "
            "en: ...}\n"
            f"eu/new.yaml:2: warning: typed question '{qid}' has no source; add source: {{doc: ..., era: ..., "
            "para: N}\n")


def make_folder() -> None:
    Path("eu").mkdir()
    Path("eu/bank.yaml").write_text(BANK, encoding="utf-8")
    Path("eu/eras.yaml").write_text(ERAS, encoding="utf-8")
    Path("eu/people.yaml").write_text(SIBLING, encoding="utf-8")


def hinted(stdout: str) -> list[str]:
    line = next(line for line in stdout.splitlines() if "quiz validate " in line)
    return shlex.split(line.split("quiz validate ", 1)[1].split(")")[0])


def test_add_with_options_into_a_folder_uses_its_eras_prefix_and_ids() -> None:
    make_folder()
    result = run_quiz("add", "--to", "eu/new.yaml", "--kind", "typed", "--era", "eu-founding",
                      "--prompt-en", PROMPT, "--answer-en", "Paris", "--yes")
    assert (result.exit_code, result.stderr) == (0, warnings("euro-city-gave-1951-treaty-2"))
    assert result.stdout == (
        "New question for eu/new.yaml (line 2):\n" + ADDED.rstrip("\n") + "\n"
        "Added question 'euro-city-gave-1951-treaty-2' to eu/new.yaml:2.\n"
        "Check it with: quiz validate eu\n")
    assert Path("eu/new.yaml").read_text(encoding="utf-8") == ADDED
    assert hinted(result.stdout) == ["eu"]
    checked = run_quiz("validate", *hinted(result.stdout))
    assert (checked.exit_code, checked.stderr) == (0, "")
    assert checked.stdout.endswith("2 questions (0 generated) in 4 files: 0 errors, 4 warnings\n")


def test_add_interactively_into_a_folder_offers_its_era_and_a_prefixed_id() -> None:
    make_folder()
    result = run_quiz("add", "--to", "eu/new.yaml", stdin="\n".join([
        "typed", "",  # kind; the era: the folder's own, offered by default
        "", PROMPT, "", "Paris", "", "",  # prompt, answer, accepted alternatives
        "", "", "", "", "",  # explanation, source, tags, id (the proposed one)
        "y"]) + "\n")
    assert (result.exit_code, result.stderr) == (0, warnings("euro-city-gave-1951-treaty-2"))
    assert "Era [eu-founding]: " in result.stdout
    assert "Id [euro-city-gave-1951-treaty-2]: " in result.stdout
    assert result.stdout.endswith("Added question 'euro-city-gave-1951-treaty-2' to eu/new.yaml:2.\n"
                                  "Check it with: quiz validate eu\n")
    assert Path("eu/new.yaml").read_text(encoding="utf-8") == ADDED
    assert run_quiz("validate", *hinted(result.stdout)).exit_code == 0


def test_a_sibling_id_given_with_id_is_refused_naming_where() -> None:
    make_folder()
    result = run_quiz("add", "--to", "eu/new.yaml", "--kind", "typed", "--era", "eu-founding",
                      "--prompt-en", PROMPT, "--answer-en", "Paris", "--id", "euro-city-gave-1951-treaty",
                      "--yes")
    assert result.exit_code == 1
    assert result.stderr == ("Error: id 'euro-city-gave-1951-treaty' is already used at eu/people.yaml:2; "
                             "choose another\n")
    assert not Path("eu/new.yaml").exists()


def test_a_builtin_era_hints_a_check_with_the_builtin_bank() -> None:
    make_folder()
    result = run_quiz("add", "--to", "eu/new.yaml", "--kind", "typed", "--era", "cold-war",
                      "--prompt-en", "Who gave the Fulton speech?", "--answer-en", "Churchill", "--yes")
    assert (result.exit_code, result.stderr) == (0, warnings("euro-gave-fulton-speech"))
    assert result.stdout.endswith("Added question 'euro-gave-fulton-speech' to eu/new.yaml:2.\n"
                                  "Check it with: quiz validate --bank eu\n")
    assert run_quiz("validate", *hinted(result.stdout)).exit_code == 0
    assert run_quiz("validate", "eu").exit_code == 1  # alone, the era is unknown: the hint does not say that


def test_a_file_of_the_builtin_bank_is_not_loaded_twice_and_takes_no_prefix() -> None:
    from quiz.authoring.context import bank_context, destination
    from quiz.bank import builtin_dir

    context = bank_context([], builtin=True)
    where = destination(context, builtin_dir() / "new.yaml")
    assert (where.context, where.prefix) == (context, "")
    assert where.folder == builtin_dir().resolve()
