"""`for_screen` returns text with nothing to drop as it is, without its per-character loop: the same result as
the loop (`_screened`) for any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.safetext import _screened, for_screen

SPECIAL = list("ab ع\u0644\u064e\u200c\u200d\n\t\r[];0J\\\x07\x1b\x9b\x9c\x9d\x90\x7f\x00\x1f\x85\u202e\u2066"
               "\u2069\u2061\u206f\u200b\u2060\u180e\ufeff\u200e\u200f\u061c\u2028\ud800\udfff")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(SPECIAL)) | st.text())
def test_the_fast_path_is_the_loop(text: str) -> None:
    assert for_screen(text) == _screened(text)


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_any_character_alone(text: str) -> None:
    for ch in text:
        assert for_screen(ch) == _screened(ch)
        assert for_screen(f"ع{ch}ع") == _screened(f"ع{ch}ع")
