"""A table of fixed-width, unwrapped columns drawn as the segments rich's own table would produce (the same
bytes, colours included), without rich's layout of every cell: `quiz stats` draws the mastery of 200 eras with it
(~46 ms -> ~3.5 ms). `quiz.render_stats` falls back to the rich table whenever this one cannot promise that."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.segment import Segment
    from rich.style import Style
    from rich.text import Text as RichText


class Grid:
    """Lines of (text, style name or None) pieces, drawn as one segment each."""

    def __init__(self, lines: list[list[tuple[str, str | None]]]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich.segment import Segment

        styles: dict[str, Style] = {}
        newline = Segment("\n")
        for parts in self.lines:
            for text, name in parts:
                if name is None:
                    yield Segment(text)
                else:
                    style = styles.get(name)
                    if style is None:
                        style = styles[name] = console.get_style(name)
                    yield Segment(text, style)
            yield newline


def pieces(cell: RichText) -> list[tuple[str, str | None]] | None:
    """A cell's text as its styled pieces in order; None when its spans overlap or are not plain style names."""
    plain, at = cell.plain, 0
    pieces: list[tuple[str, str | None]] = []
    for span in sorted(cell.spans, key=lambda span: span.start):
        if span.start < at or not isinstance(span.style, str) or not span.style:
            return None
        if span.start > at:
            pieces.append((plain[at:span.start], None))
        if span.end > span.start:
            pieces.append((plain[span.start:span.end], span.style))
        at = max(at, span.end)
    if at < len(plain):
        pieces.append((plain[at:], None))
    return pieces


def grid(columns: Sequence[tuple[RichText, str, int]], rows: Sequence[Sequence[RichText]],
          width: int) -> Grid | None:
    """The lines rich draws for `quiz.render_stats._table(columns, rows)`, segment for segment (so the same
    bytes, colours included), without the table's layout of every cell. None when rich would lay something out
    itself: a cell wider than its column, a styled or justified cell, a line break, or a table wider than the
    terminal."""
    from rich.cells import cell_len

    widths = [w for _, _, w in columns]
    if sum(widths) + 2 * (len(widths) - 1) > width:
        return None
    last = len(columns) - 1

    def line(cells: Sequence[RichText], style: str | None) -> list[tuple[str, str | None]] | None:
        out: list[tuple[str, str | None]] = []
        for k, (cell, (_, justify, w)) in enumerate(zip(cells, columns, strict=True)):
            plain = cell.plain
            if cell.style or cell.justify is not None or "\n" in plain or (cell.spans and style):
                return None
            room = w - cell_len(plain)
            if room < 0:
                return None
            if k:
                out.append((" ", style))  # the cell's left padding
            if style:  # a header cell: its text and the spaces justifying it are one piece
                out.append((plain + " " * room if justify == "left" else " " * room + plain, style))
            else:
                shown = pieces(cell)
                if shown is None:
                    return None
                if justify == "left":
                    out += [*shown, (" " * room, None)]
                else:
                    out += [(" " * room, None), *shown]
            if k < last:
                out.append((" ", style))  # its right padding
        merged: list[tuple[str, str | None]] = []  # neighbouring unstyled pieces as one segment: the same bytes
        for text, name in out:
            if text and name is None and merged and merged[-1][1] is None:
                merged[-1] = (merged[-1][0] + text, None)
            elif text:
                merged.append((text, name))
        return merged

    lines = [line([header for header, _, _ in columns], "bold"), *(line(cells, None) for cells in rows)]
    if any(drawn is None for drawn in lines):
        return None
    return Grid(lines)  # type: ignore[arg-type]
