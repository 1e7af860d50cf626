"""The mastery table of `quiz stats` drawn without rich's table layout (`quiz.render_grid.grid`) is the same bytes as
the rich table it stands for (`render_stats._table`), with colours and without, and the table is used whenever the
grid cannot promise that."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text as RichText

from quiz import render_stats
from quiz.render import Display
from quiz.render_grid import grid as _grid
from quiz.render_stats import _table, mastery_bar, mastery_view
from quiz.stats import Mastery

TITLES = st.text(alphabet=st.sampled_from("abc XYZ.-…تاريخ中文é\u0301"), max_size=40)


def drawn(renderable: object, *, terminal: bool, width: int) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=terminal, color_system="truecolor" if terminal else None,
                      highlight=False, soft_wrap=False, emoji=False)
    console.print(renderable)
    return out.getvalue()


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[tuple[RichText, str, int]], list[list[RichText]]]:
    era_width = draw(st.integers(1, 34))
    bar_width = draw(st.integers(1, 30))
    number_widths = draw(st.lists(st.integers(1, 8), min_size=4, max_size=4))
    headers = [RichText(draw(st.sampled_from(["era", "", "تاريخ"])))[:era_width], RichText("")]
    headers += [RichText(draw(st.sampled_from(["new", "learning", "جديد", ""]))) for _ in number_widths]
    columns = list(zip(headers, ["left", "left", "right", "right", "right", "right"],
                       [era_width, bar_width, *number_widths], strict=True))
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        counts = draw(st.lists(st.integers(0, 10**6), min_size=4, max_size=4))
        row = Mastery("e", *counts)
        rows.append([RichText(draw(TITLES)), mastery_bar(row, bar_width), *(RichText(str(n)) for n in counts)])
    return columns, rows


@settings(max_examples=150, deadline=None)
@given(tables(), st.integers(20, 140), st.booleans())
def test_the_grid_is_the_table_byte_for_byte(table: tuple[list[tuple[RichText, str, int]], list[list[RichText]]],
                                             width: int, terminal: bool) -> None:
    columns, rows = table
    grid = _grid(columns, rows, width)
    fits = sum(w for _, _, w in columns) + 2 * (len(columns) - 1) <= width
    if grid is None:  # only when something does not fit: rich would cut, fold or shrink it
        from rich.cells import cell_len

        assert not fits or any(cell_len(cell.plain) > w for cells in [[c for c, _, _ in columns], *rows]
                               for cell, (_, _, w) in zip(cells, columns, strict=True))
        return
    assert fits
    assert drawn(grid, terminal=terminal, width=width) == drawn(_table(columns, rows), terminal=terminal, width=width)


def test_a_styled_or_justified_cell_goes_to_the_table() -> None:
    columns = [(RichText("era"), "left", 10), (RichText("n"), "right", 3)]
    assert _grid(columns, [[RichText("Rome"), RichText("1")]], 80) is not None
    assert _grid(columns, [[RichText("Rome", style="bold"), RichText("1")]], 80) is None
    assert _grid(columns, [[RichText("Rome", justify="right"), RichText("1")]], 80) is None
    assert _grid(columns, [[RichText("Ro\nme"), RichText("1")]], 80) is None
    assert _grid(columns, [[RichText("Rome and Carthage"), RichText("1")]], 80) is None
    assert _grid(columns, [[RichText("Rome"), RichText("1")]], 14) is None


class _NoEras:
    def era(self, era_id: str) -> None:
        return None  # the era's id stands for its title


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="abcdefgh-0123456789", min_size=1, max_size=40),
                          *(st.integers(0, 5000) for _ in range(4))), max_size=8),
       st.integers(40, 160), st.booleans(), st.sampled_from(["en", "ar"]))
def test_mastery_view_draws_the_same_with_the_grid_or_the_table(
        rows: list[tuple[str, int, int, int, int]], width: int, terminal: bool, lang: str) -> None:
    mastery = [Mastery(era, *counts) for era, *counts in rows]
    display = Display(lang, False, width)  # type: ignore[arg-type]
    with_grid = drawn(mastery_view(mastery, _NoEras(), display), terminal=terminal, width=width)  # type: ignore[arg-type]
    saved = render_stats.grid
    render_stats.grid = lambda *args: None  # type: ignore[assignment]
    try:
        with_table = drawn(mastery_view(mastery, _NoEras(), display), terminal=terminal, width=width)  # type: ignore[arg-type]
    finally:
        render_stats.grid = saved
    assert with_grid == with_table
