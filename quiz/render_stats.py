"""Rich renderables for `quiz stats`, `quiz history` and `quiz optimize`. Builds things to print; never prints.

Bank text (era titles, question ids and prompts, given answers) and the interface's words go through
`Display.line` (cleaned, never markup; Arabic reordered when the terminal needs it). Charts are plain glyphs that
read without colour too (a pasted screenshot keeps its shape): the heatmap uses · ░ ▒ ▓ █, bars use eighth blocks.
Charts hold no letters, so terminals that lay out Arabic themselves keep them left to right (time flows that way).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from quiz.messages import duration, interval, say
from quiz.model import Bank, Lang
from quiz.render import LRI, PDI, RLM, Display
from quiz.render_grid import grid
from quiz.render_stats_plain import (
    BAR_WIDTH,
    EIGHTHS,
    HEAT_GLYPHS,
    PROMPT_WIDTH,
    bar_cells,
    era_title,
    heat_layout,
    heat_level,
    percent,
    prompt_of,
)

if TYPE_CHECKING:
    from quiz.optimizer import Metrics, OptimizeReport
    from quiz.stats import HardQuestion, HistoryEntry, Mastery, Stats

HEAT_STYLES = ("bright_black", "green4", "green3", "green", "bold bright_green")
MASTERY_PARTS = (("mature", "█", "green"), ("young", "▓", "bright_green"), ("learning", "▒", "yellow"),
                 ("new", "░", "bright_black"))
ANSWER_WIDTH = 30


def _ui(display: Display) -> Lang:
    return "ar" if display.lang == "ar" else "en"


# --- quiz stats -----------------------------------------------------------------------------------------------------


def stats_view(stats: Stats, bank: Bank, display: Display) -> RenderableType:
    """The whole `quiz stats` screen."""
    ui = _ui(display)
    title_era = era_title(bank, stats.era, ui) if stats.era else None
    title = (say("stats.title_era", ui, profile=stats.profile, era=title_era) if title_era
             else say("stats.title", ui, profile=stats.profile))
    parts: list[RenderableType] = [display.line(title, "bold"), today_line(stats, display)]
    if stats.reviews_total == 0 and not any(m.learning or m.young or m.mature for m in stats.mastery):
        parts += [RichText(""), display.line(say("stats.nothing", ui))]
        if stats.mastery:
            parts += [RichText(""), mastery_view(stats.mastery, bank, display)]
        return Group(*parts)
    parts += [
        RichText(""), heatmap_view(stats.heatmap, display),
        RichText(""), retention_view(stats, display),
        RichText(""), forecast_view(stats.forecast, display),
        RichText(""), mastery_view(stats.mastery, bank, display),
        RichText(""), hardest_view(stats, bank, display),
        RichText(""), time_view(stats, display),
    ]
    return Group(*parts)


def today_line(stats: Stats, display: Display) -> RichText:
    ui = _ui(display)
    streak = say("day", ui) if stats.streak == 1 else say("days", ui, n=stats.streak)
    text = say("stats.today_line", ui, due=stats.today.due, done=stats.today.done, streak=streak,
               learned=say("stats.learned", ui, n=stats.today.new))
    return display.line(text)


def heatmap_view(heatmap: Sequence[tuple[str, int]], display: Display) -> RenderableType:
    """A contributions-style calendar: one column per week (Monday on top), one cell per study day."""
    ui = _ui(display)
    if not heatmap:
        return RichText("")
    h = heat_layout(heatmap, display.width, ui)
    start, weeks, first, last, counts, peak, cell, label_width = (h.start, h.weeks, h.first, h.last, h.counts, h.peak,
                                                                  h.cell, h.label_width)
    days, total, active = h.days, h.total, h.active
    lines: list[RenderableType] = []
    lines.append(display.line(say("stats.heatmap", ui, weeks=say("stats.heatmap.weeks", ui, n=round(len(days) / 7)),
                                  total=say("stats.answers", ui, n=total),
                                  days=say("stats.heatmap.days", ui, n=len(days), active=active)), "bold"))
    lines.append(display.chart(RichText(" " * label_width + h.header, style="dim")))
    for weekday in range(7):
        row = RichText()
        label = say(f"stats.weekday.{weekday}", ui) if weekday in (0, 2, 4) else ""
        if label_width:
            row.append(f"{label:<{label_width}}", style="dim")
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            if day < first or day > last:
                row.append(" " * cell)
                continue
            level = heat_level(counts.get(day, 0), peak)
            row.append(HEAT_GLYPHS[level] + " " * (cell - 1), style=HEAT_STYLES[level])
        if label and not label_width and display.reorder:  # where the terminal lays out Arabic, a label would
            # turn its row right to left in some terminals and not in others: only when quiz lays it out
            row.rstrip()
            row.append(" " * (1 + (weeks * cell) - row.cell_len))
            shown = display.line(label, "dim") if display.reorder else RichText(label, style="dim")
            shown.justify = None
            row.append_text(shown)
        lines.append(display.chart(row))
    legend = RichText(" " * label_width)
    entries: list[RichText] = [display.line(say("stats.less", ui), "dim")]
    entries += [RichText(glyph, style=HEAT_STYLES[level]) for level, glyph in enumerate(HEAT_GLYPHS)]
    entries.append(display.line(say("stats.more", ui), "dim"))
    for entry in display.mirror(entries):
        entry.justify = None
        legend.append_text(entry)
        legend.append(" ")
    legend.rstrip()
    lines.append(RichText(RLM) + legend if display.marks and ui == "ar" else legend)
    return Group(*lines)


def retention_view(stats: Stats, display: Display) -> RenderableType:
    ui = _ui(display)
    table = Table.grid(padding=(0, 2))
    for justify in display.mirror(["left", "right", "left"]):
        table.add_column(justify=display.justify(justify))  # type: ignore[arg-type]
    for key, ret in (("stats.retention.7", stats.retention_7d), ("stats.retention.30", stats.retention_30d)):
        if ret.rate is None:
            table.add_row(*display.mirror([display.cell("  " + say(key, ui)), display.cell("—", "dim"),
                                           display.cell(say("stats.retention.none", ui), "dim")]))
            continue
        style = "green" if ret.rate >= stats.desired_retention - 0.02 else "yellow"
        table.add_row(*display.mirror([display.cell("  " + say(key, ui)), display.cell(percent(ret.rate), style),
                                       display.cell(say("stats.retention.n", ui, n=ret.reviews), "dim")]))
    table.add_row(*display.mirror([display.cell("  " + say("stats.retention.desired", ui)),
                                   display.cell(percent(stats.desired_retention), "dim"), display.cell("")]))
    return Group(display.line(say("stats.retention", ui), "bold"), table)


def forecast_view(forecast: Sequence[int], display: Display, height: int = 5) -> RenderableType:
    """Vertical bars, one per day (today first), `height` rows of eighth blocks, a tick every 7 days."""
    ui = _ui(display)
    total = sum(forecast)
    title = display.line(say("stats.forecast", ui, total=total, today=forecast[0] if forecast else 0,
                             week=sum(forecast[1:8])), "bold")
    peak = max(forecast, default=0)
    rows: list[RenderableType] = [title]
    label_width = max(len(str(peak)), 1) + 1
    cell = 2 if label_width + 2 * len(forecast) + 2 <= display.width else 1
    for level in range(height, 0, -1):
        line = RichText(f"{str(peak) if level == height else '':>{label_width - 1}} ", style="dim")
        for count in forecast:
            eighths = 0 if peak == 0 else round(count * height * 8 / peak)
            part = min(8, max(0, eighths - (level - 1) * 8))
            if count and level == 1 and part == 0:
                part = 1  # a day with something due shows at least a sliver
            line.append(EIGHTHS[part] * cell, style="cyan")
        line.rstrip()
        rows.append(display.chart(line))
    axis = RichText(" " * label_width, style="dim")
    for day in range(len(forecast)):
        axis.append(("┬" if day % 7 == 0 else "─") + "─" * (cell - 1), style="dim")
    rows.append(display.chart(axis))
    ticks = [" "] * (len(forecast) * cell + 2)
    for day in range(0, len(forecast), 7):
        label = str(day)
        ticks[day * cell:day * cell + len(label)] = list(label)
    rows.append(display.chart(RichText(" " * label_width + "".join(ticks).rstrip(), style="dim")))
    return Group(*rows)


def mastery_view(mastery: Sequence[Mastery], bank: Bank, display: Display) -> RenderableType:
    """One row per era: its title, a stacked bar, and the counts; the bar shrinks to fit the terminal."""
    ui = _ui(display)
    keys = ("new", "learning", "young", "mature")
    headers = [say(f"stats.state.{key}", ui) for key in keys]
    number_widths = [max([len(h)] + [len(str(getattr(m, key))) for m in mastery]) for h, key in zip(headers, keys,
                                                                                                      strict=True)]
    titles = [era_title(bank, m.era, ui) for m in mastery]
    era_width = min(34, max([len(t) for t in titles] + [len(say("stats.era", ui))]))
    room = display.width - 1 - sum(number_widths) - 2 * (len(keys) + 1)  # for the title and the bar (2 between columns)
    bar_width = max(10, min(BAR_WIDTH, room - min(era_width, 24)))
    era_width = max(12, min(era_width, room - bar_width))
    columns: list[tuple[RichText, str, int]] = [(display.cell(say("stats.era", ui)), "left", era_width),
                                                (display.cell(""), "left", bar_width)]
    columns += [(display.cell(h), "right", w) for h, w in zip(headers, number_widths, strict=True)]
    shown = display.mirror(columns)
    number = display.cell if display.marks and display.lang == "ar" else RichText  # digits: nothing to clean or cut
    cells = [display.mirror([display.cell(title, width=era_width), _bar_cell(mastery_bar(row, bar_width), display)]
                            + [number(str(getattr(row, key))) for key in keys])
             for row, title in zip(mastery, titles, strict=True)]
    table: RenderableType | None = None
    if not display.reorder and not display.marks:
        table = grid(shown, cells, display.width)
    if table is None:
        table = _table([(header, display.justify(justify), width) for header, justify, width in shown], cells)
    legend = RichText("  ")
    for key, glyph, style in display.mirror(MASTERY_PARTS):
        label = display.line(say(f"stats.state.{key}", ui), "dim")
        label.justify = None
        pair = [RichText(glyph, style=style), RichText(" "), label]
        for part in display.mirror(pair):
            legend.append_text(part)
        legend.append("  ")
    legend.rstrip()
    if display.mirrored:
        legend.justify = "right"
    if display.marks and ui == "ar":  # one right-to-left paragraph: the terminal puts the first entry on the right
        legend = RichText(RLM) + legend
    return Group(display.line(say("stats.mastery", ui), "bold"), table, legend,
                 display.line("  " + say("stats.mature_note", ui), "dim"))


def _table(columns: Sequence[tuple[RichText, str, int]], rows: Sequence[Sequence[RichText]]) -> Table:
    """The mastery table (columns: header, justify as printed, width)."""
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold", pad_edge=False)
    for header, justify, width in columns:
        table.add_column(header, justify=justify, width=width, no_wrap=True)  # type: ignore[arg-type]
    for cells in rows:
        table.add_row(*cells)
    return table


def _bar_cell(bar: RichText, display: Display) -> RichText:
    """A mastery bar as a table cell: mirrored with its table (mature next to the era's title), isolated where
    the terminal lays out the row."""
    if display.mirrored:
        mirrored = RichText()
        for span_text in reversed(bar.divide(range(1, len(bar.plain)))):
            mirrored.append_text(span_text)
        return mirrored
    if display.marks and display.lang == "ar":
        return RichText(RLM + LRI) + bar + RichText(PDI)
    return bar


def mastery_bar(row: Mastery, width: int = BAR_WIDTH) -> RichText:
    """A stacked bar: mature, young, learning, new (largest remainders, so it always fills `width`)."""
    if row.total == 0:
        return RichText(" " * width)
    bar = RichText()
    for (_, glyph, style), n in zip(MASTERY_PARTS, bar_cells(row, width), strict=True):
        bar.append(glyph * n, style=style)
    return bar


def hardest_view(stats: Stats, bank: Bank, display: Display) -> RenderableType:
    ui = _ui(display)
    parts: list[RenderableType] = [display.line(say("stats.hardest", ui), "bold")]
    if not stats.most_lapses and not stats.lowest_retrievability and not stats.leech_count:
        parts.append(display.line("  " + say("stats.none", ui), "dim"))
        return Group(*parts)
    if stats.most_lapses:
        parts.append(display.line("  " + say("stats.most_lapses", ui), "underline"))
        parts.append(_hard_table(stats.most_lapses, bank, display, "stats.lapses"))
    parts.append(display.line("  " + say("stats.leeches", ui, n=stats.leech_count),
                              "magenta" if stats.leech_count else "dim"))
    if stats.lowest_retrievability:
        parts.append(display.line("  " + say("stats.lowest", ui), "underline"))
        parts.append(_hard_table(stats.lowest_retrievability, bank, display, "stats.recall"))
    return Group(*parts)


def _hard_table(rows: Sequence[HardQuestion], bank: Bank, display: Display, value_key: str) -> Table:
    """Id, prompt (cut to what the terminal leaves), the figure, and a leech mark."""
    ui = _ui(display)
    def figure(row: HardQuestion) -> str:
        if value_key != "stats.lapses":
            return percent(row.retrievability)
        return say("stats.lapse", ui) if row.lapses == 1 else say("stats.lapses", ui, n=row.lapses)

    values = [figure(row) for row in rows]
    leech = say("stats.leech", ui)
    value_width = max(len(v) for v in values)
    leech_width = len(leech) if any(row.leech for row in rows) else 0
    id_width = min(30, max(len(row.question_id) for row in rows))
    gaps = 4 + (1 if leech_width else 0)  # spacer, id, prompt, value, leech
    prompt_width = display.width - 1 - 2 - id_width - value_width - leech_width - 2 * (gaps - 1)
    table = Table(box=None, padding=(0, 1), show_header=False, pad_edge=False)
    columns: list[tuple[str, int]] = [("left", 2), ("left", id_width)]
    if prompt_width >= 12:
        columns.append(("left", min(PROMPT_WIDTH, prompt_width)))
    columns.append(("right", value_width))
    if leech_width:
        columns.append(("left", leech_width))
    for justify, width in display.mirror(columns):
        table.add_column(width=width, justify=display.justify(justify), no_wrap=True, overflow="ellipsis")  # type: ignore[arg-type]
    for row, value in zip(rows, values, strict=True):
        cells: list[RenderableType] = [display.cell(""), display.cell(row.question_id, "cyan", width=id_width)]
        if prompt_width >= 12:
            cells.append(display.cell(prompt_of(bank, row.question_id, ui, min(PROMPT_WIDTH, prompt_width))))
        cells.append(display.cell(value))
        if leech_width:
            cells.append(display.cell(leech, "magenta") if row.leech else display.cell(""))
        table.add_row(*display.mirror(cells))
    return table


def time_view(stats: Stats, display: Display) -> RenderableType:
    ui = _ui(display)
    text = (f"  {say('stats.time.today', ui)} {duration(stats.time.today, ui)} · "
            f"{say('stats.time.week', ui)} {duration(stats.time.week, ui)} · "
            f"{say('stats.time.total', ui)} {duration(stats.time.total, ui)} "
            f"({say('stats.answers', ui, n=stats.reviews_total)})")
    return Group(display.line(say("stats.time", ui), "bold"), display.line(text))


# --- quiz history ---------------------------------------------------------------------------------------------------


def history_view(question_id: str, entries: Sequence[HistoryEntry], bank: Bank, display: Display,
                 tz: tzinfo) -> RenderableType:
    ui = _ui(display)
    parts: list[RenderableType] = [display.line(say("history.title", ui, id=question_id), "bold")]
    prompt = prompt_of(bank, question_id, ui, width=200)
    if prompt:
        parts.append(display.line(prompt, "italic"))
    if not entries:
        parts.append(display.line(say("history.none", ui, id=question_id)))
        return Group(*parts)
    table = Table(box=None, padding=(0, 1), header_style="bold", pad_edge=False)
    columns = (("history.when", "left"), ("history.answer", "left"), ("history.rating", "left"),
               ("history.interval", "right"), ("history.stability", "right"), ("history.recall", "right"))
    for key, justify in display.mirror(columns):
        table.add_column(display.cell(say(key, ui)), justify=display.justify(justify), no_wrap=True,  # type: ignore[arg-type]
                         max_width=ANSWER_WIDTH if key == "history.answer" else None)
    for entry in entries:
        mark = "" if entry.correct is None else ("✔ " if entry.correct else "✘ ")
        table.add_row(*display.mirror([
            display.cell(_local(entry.at, tz)),
            display.cell(mark + entry.answer, "green" if entry.correct else "red" if entry.correct is False else "",
                         width=ANSWER_WIDTH),
            display.cell(say(f"rating.{entry.rating}", ui)),
            display.cell(interval(entry.interval_days, ui)),
            display.cell(stability(entry.stability_after)),
            display.cell(percent(entry.retrievability)),
        ]))
    parts.append(table)
    parts.append(display.line(say("history.count", ui, n=len(entries)), "dim"))
    return Group(*parts)


def stability(days: float | None) -> str:
    """Memory stability in days, to two significant figures when small."""
    if days is None:
        return "—"
    return f"{days:.2g}" if days < 1 else f"{days:.1f}" if days < 100 else f"{days:.0f}"


def _local(at: datetime, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")


# --- quiz optimize --------------------------------------------------------------------------------------------------


def optimize_view(report: OptimizeReport, profile: str, display: Display, tz: tzinfo, *,
                  dry_run: bool) -> RenderableType:
    ui = _ui(display)
    if not report.enough:
        return display.line(say("optimize.not_enough", ui, usable=report.usable, needed=report.needed,
                                reviews=report.reviews, answers=say("stats.answers", ui, n=report.reviews)))
    since = "" if report.split_at is None else report.split_at.astimezone(tz).date().isoformat()
    parts: list[RenderableType] = [
        display.line(say("optimize.split", ui, answers=say("stats.answers", ui, n=report.reviews),
                         usable_reviews=say("optimize.usable", ui, n=report.usable), train=report.train,
                         test=report.test, since=since)),
    ]
    table = Table(box=None, padding=(0, 2), header_style="bold", pad_edge=False)
    headers = [("optimize.params", "left")] + [(k, "right") for k in ("optimize.log_loss", "optimize.rmse",
                                                                       "optimize.auc")]
    for key, justify in display.mirror(headers):
        table.add_column(display.cell(say(key, ui)), justify=display.justify(justify))  # type: ignore[arg-type]
    rows: list[tuple[str, Metrics | None]] = [
        ("optimize.default", report.default), ("optimize.current", report.current), ("optimize.fitted", report.fitted),
    ]
    for key, m in rows:
        if m is None:
            continue
        cells = [say(key, ui), f"{m.log_loss:.4f}", f"{m.rmse_bins:.4f}", "—" if m.auc is None else f"{m.auc:.3f}"]
        table.add_row(*display.mirror([display.cell(c) for c in cells]),
                      style="bold" if key == "optimize.fitted" else "")
    parts += [table, display.line(say("optimize.lower", ui), "dim")]
    if report.saved:
        parts.append(display.line(say("optimize.saved", ui, profile=profile), "bold green"))
    elif report.better and dry_run:
        parts.append(display.line(say("optimize.dry_run", ui), "yellow"))
    else:
        parts.append(display.line(say("optimize.kept", ui), "yellow"))
    return Group(*parts)
