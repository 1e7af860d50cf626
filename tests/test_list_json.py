"""`quiz list --json` writes its rows from the C encoder's string escaping: the same text, byte for byte, as
`json.dumps(rows, ensure_ascii=False, indent=1)` passed through `for_json` (what it wrote before)."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from quiz.bank import load_bank
from quiz.cli.bank_cmds import _json_text, write_json_rows
from quiz.model import Question
from quiz.safetext import for_json

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**20, max_value=10**20) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


@given(VALUES, st.integers(min_value=0, max_value=3))
def test_json_text_is_json_dumps_with_indent_1(value: Any, depth: int) -> None:
    indent = "\n" + " " * depth
    assert _json_text(value, indent) == json.dumps(value, ensure_ascii=False, indent=1).replace("\n", indent)


def old_rows(questions: list[Question]) -> str:
    """What `quiz list --json` wrote before: json's own indenting encoder, row by row."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=1)
    out, first = [], True
    for q in questions:
        row = {
            "id": q.id, "kind": q.kind.value, "era": q.era, "generated": q.generated, "draft": q.draft,
            "tags": list(q.tags), "langs": list(q.langs), "prompt": q.prompt.as_dict(),
            "answer": {"ar": q.answer_text("ar"), "en": q.answer_text("en")},
            "source": None if q.source is None else {"doc": q.source.doc, "era": q.source.era,
                                                      "para": q.source.para},
        }
        out.append(("[\n " if first else ",\n ") + for_json(encoder.encode(row)).replace("\n", "\n "))
        first = False
    out.append("[]\n" if first else "\n]\n")
    return "".join(out)


def written(questions: list[Question], batch: int = 512) -> str:
    out = io.StringIO()
    write_json_rows(questions, out, batch=batch)
    return out.getvalue()


def test_rows_of_the_builtin_bank_are_what_json_dumps_wrote() -> None:
    questions = list(load_bank().bank.questions)
    assert len(questions) > 100
    expected = old_rows(questions)
    assert written(questions) == expected
    assert written(questions, batch=7) == expected  # batches join to the same text
    assert json.loads(expected)[0]["id"] == questions[0].id


def test_no_rows_is_an_empty_list() -> None:
    assert written([]) == old_rows([]) == "[]\n"
    assert written(list(load_bank().bank.questions)[:1]) == old_rows(list(load_bank().bank.questions)[:1])
