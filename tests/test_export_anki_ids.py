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


@settings(max_examples=300, deadline=None)
@given(st.integers(0, (1 << 64) - 1), st.integers(0, 40), st.integers(1, 3))
def test_a_shuffle_draws_what_a_fresh_random_gives(seed: int, size: int, times: int) -> None:
    """Choices and items are shuffled by one generator seeded again for each (`anki_html._shuffle`): the orders
    `random.Random(seed).shuffle` gave every earlier export (their positions are the notes' fields)."""
    import random

    from quiz.export import anki_html

    expected, got = list(range(size)), list(range(size))
    reference = random.Random(seed)
    anki_html._RNG.seed(seed)
    for _ in range(times):  # an order question shuffles again while the order is the right one
        reference.shuffle(expected)
        anki_html._shuffle(got)
        assert got == expected
