"""yamledit: adding items keeps every other byte of the file; writes are atomic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quiz.authoring import yamledit
from quiz.bank.reader import parse_bytes
from quiz.errors import AuthoringError

ITEM = {
    "id": "new-one",
    "kind": "typed",
    "era": "middle",
    "prompt": {"ar": "في أي عام؟", "en": "In which year: really?"},
    "answer": {"ar": "1962", "en": "1962"},
}

BLANK_SEPARATED = """\
# yaml-language-server: $schema=../quiz/schema/bank.schema.json
#
# A teacher's file: comments, odd quoting and spacing must survive.

questions:
  # the first question
  - id: first
    kind: card
    era: middle
    prompt: {ar: "سؤال",   en: 'A question'}    # a trailing comment
    answer: {ar: جواب, en: An answer}

  # the second question
  - id: second
    kind: card
    era: middle
    prompt:
      ar: سؤال آخر
      en: >-
        Another
        question
    answer: {ar: جواب, en: Yes}
"""


def _plain(text: str) -> dict:
    parsed = parse_bytes(text.encode(), "x.yaml")
    assert not [p for p in parsed.problems if p.severity == "error"], parsed.problems
    return parsed.data


def test_append_keeps_every_byte_outside_the_block() -> None:
    splice = yamledit.append_items(BLANK_SEPARATED, "questions", [ITEM])
    assert splice.text.startswith(BLANK_SEPARATED)
    added = splice.text[len(BLANK_SEPARATED):]
    assert added == (
        "\n"
        "  - id: new-one\n"
        "    kind: typed\n"
        "    era: middle\n"
        "    prompt: {ar: في أي عام؟, en: 'In which year: really?'}\n"
        '    answer: {ar: "1962", en: "1962"}\n'
    )
    assert splice.item_lines == (24,)
    assert splice.text.splitlines()[23] == "  - id: new-one"
    data = _plain(splice.text)
    assert [q["id"] for q in data["questions"]] == ["first", "second", "new-one"]
    assert data["questions"][2]["answer"] == {"ar": "1962", "en": "1962"}  # strings, not numbers


def test_append_before_a_following_section_keeps_its_comments() -> None:
    text = (
        "questions:\n"
        "- id: a\n"
        "  kind: card\n"
        "  era: middle\n"
        "  prompt: {ar: س, en: Q}\n"
        "  answer: {ar: ج, en: A}\n"
        "\n"
        "# events of the era\n"
        "events:\n"
        "- id: e\n"
    )
    splice = yamledit.append_items(text, "questions", [ITEM])
    lines = splice.text.splitlines(keepends=True)
    assert "".join(lines[:6]) == text.split("\n\n")[0] + "\n"
    assert lines[6:8] == ["\n", "- id: new-one\n"]  # the file's own indentation: dash at column 0
    assert splice.text.endswith("  answer: {ar: \"1962\", en: \"1962\"}\n\n# events of the era\nevents:\n- id: e\n")
    assert splice.item_lines == (8,)


def test_append_to_a_file_without_the_section_or_final_newline() -> None:
    text = "# just eras here\neras:\n  - id: x\n    start: 1\n    end: 2"
    splice = yamledit.append_items(text, "questions", [ITEM])
    assert splice.text.startswith(text + "\n\nquestions:\n  - id: new-one\n")
    assert splice.item_lines == (8,)


def test_append_under_an_empty_section_and_to_an_empty_file() -> None:
    splice = yamledit.append_items("# header\nquestions:   # none yet\n# trailer\n", "questions", [ITEM])
    assert splice.text.startswith("# header\nquestions:   # none yet\n  - id: new-one\n")
    assert splice.text.endswith("# trailer\n")
    empty = yamledit.append_items("", "questions", [ITEM, {**ITEM, "id": "two"}])
    assert empty.text.startswith("questions:\n  - id: new-one\n")
    assert empty.item_lines == (2, 7)


def test_windows_line_endings_are_kept() -> None:
    text = BLANK_SEPARATED.replace("\n", "\r\n")
    splice = yamledit.append_items(text, "questions", [ITEM])
    assert splice.text.startswith(text)
    assert splice.text[len(text):] == "\r\n  - id: new-one\r\n    kind: typed\r\n    era: middle\r\n" \
        "    prompt: {ar: في أي عام؟, en: 'In which year: really?'}\r\n    answer: {ar: \"1962\", en: \"1962\"}\r\n"


def test_flow_style_list_falls_back_to_a_round_trip_dump() -> None:
    splice = yamledit.append_items("# keep me\nquestions: []\n", "questions", [ITEM])
    assert "# keep me" in splice.text
    assert [q["id"] for q in _plain(splice.text)["questions"]] == ["new-one"]


@pytest.mark.parametrize("value", ["yes", "No", "on", "1962", "null", "~", "1.5", "-3", " padded", "true"])
def test_strings_a_yaml_1_1_reader_would_misread_are_quoted(value: str) -> None:
    splice = yamledit.append_items("", "questions", [{"id": "q", "answer": {"en": value}}])
    assert _plain(splice.text)["questions"][0]["answer"]["en"] == value


def test_long_texts_become_block_mappings() -> None:
    long = "word " * 30
    splice = yamledit.append_items("", "questions", [{"id": "q", "prompt": {"ar": "س", "en": long.strip()}}])
    assert "    prompt:\n      ar: س\n      en: word word" in splice.text


def test_a_broken_file_is_refused_with_its_line() -> None:
    with pytest.raises(AuthoringError) as caught:
        yamledit.append_items("questions:\n  - id: a\n   kind: [\n", "questions", [ITEM], shown="bank/q.yaml")
    assert caught.value.where is not None and caught.value.where.startswith("bank/q.yaml:")


def test_render_file_reports_item_lines() -> None:
    text, lines = yamledit.render_file({"eras": [{"id": "e", "start": 1, "end": 2}], "questions": [ITEM]}, "Hello")
    assert text.startswith("# Hello\n\neras:\n  - id: e\n")
    assert text.splitlines()[lines["questions"][0] - 1] == "  - id: new-one"


def test_write_atomic_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "q.yaml"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o640)
    yamledit.write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.yaml"]


def test_a_failed_write_leaves_the_file_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "q.yaml"
    original = BLANK_SEPARATED.encode()
    target.write_bytes(original)

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        yamledit.write_atomic(target, b"something else")
    assert target.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.yaml"]  # no temporary file left behind
