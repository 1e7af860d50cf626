"""Hypothesis: the GIFT and Aiken readers never crash on arbitrary text, and what they report is one line each."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.authoring.importers import parse_aiken, parse_gift

pytestmark = pytest.mark.slow

# text made of the characters these formats care about, plus Arabic letters and anything else
PIECES = st.sampled_from(["{", "}", "=", "~", "#", "####", "::", "\\", "->", "%50%", "T", "FALSE", "#1962:2",
                          "..", "\n", "\n\n", " ", "$CATEGORY: a/b", "// c", "A.", "B)", "أ.", "ب)", "هـ.",
                          "ANSWER: B", "الإجابة: ب", "ANSWER:", "x", "سؤال", "1989", "[html]", "&amp;", "<b>"])
TEXT = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=200))


def _check(entries, general) -> None:  # type: ignore[no-untyped-def]
    for entry in entries:
        assert entry.line >= 1
        for problem in entry.problems:
            assert isinstance(problem, str) and problem and "Traceback" not in problem
    assert general == [] or all(line >= 1 for line, _ in general)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from(["ar", "en"]))
def test_gift_reader_never_crashes(text: str, lang: str) -> None:
    _check(*parse_gift(text, lang=lang, era="cold", eras=["cold", "b"]))


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from(["ar", "en"]))
def test_aiken_reader_never_crashes(text: str, lang: str) -> None:
    _check(*parse_aiken(text, lang=lang, era="cold"))
