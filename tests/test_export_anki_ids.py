"""Note GUIDs are made without genanki's loop (`quiz.export.anki_names.guid`): the same strings as
`genanki.guid_for`, which every earlier export used and Anki matches on."""

from __future__ import annotations

import genanki
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.export import anki_names as ax


def test_the_base91_digits_are_genankis() -> None:
    assert ax._BASE91 == "".join(genanki.util.BASE91_TABLE)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=3))
def test_a_guid_is_the_one_genanki_gives(parts: list[str]) -> None:
    try:
        expected = genanki.guid_for(*parts)
    except UnicodeEncodeError:  # a lone surrogate: neither can encode it
        return
    assert ax.guid(*parts) == expected


@given(st.one_of(st.integers(0, 1 << 64), st.sampled_from([91 ** k + d for k in range(11) for d in (-1, 0, 1)])))
def test_base91_has_no_leading_zero_digit(value: int) -> None:
    digits, rest = [], value
    while rest > 0:  # genanki's own conversion
        digits.append(ax._BASE91[rest % 91])
        rest //= 91
    assert ax.base91(value) == "".join(reversed(digits))
