"""The `quiz stats` page as plain text, without rich: the same characters `quiz.render_stats.stats_view` prints
through rich to output that is not a terminal (no colours then), for a display that neither reorders Arabic nor
marks it (`Display(lang, reorder=False, marks=False)`). `quiz stats`'s fast path (`quiz.cli.quick_stats`) prints
it; tests/test_stats_plain.py holds it equal to rich's page, byte for byte, across languages, widths and figures.

The page is a fixed layout: lines of text, charts of glyphs, and four tables whose columns are laid out here as
rich lays out tables that fit (each cell padded to its column's width; one space of padding each side between
the hardest-question columns, two after the retention and mastery columns). Wherever rich would lay something
out by rules not mirrored here — a line wider than the terminal (rich wraps it), a table wider than the terminal
(rich shrinks its columns), a cell wider than its column (rich cuts it), a tab — `stats_text` returns None and the
caller draws the page with rich.

Also the charts' glyphs and the figures' formatting, shared with `quiz.render_stats`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from quiz.messages import duration, say
from quiz.render import cell_width, clean, cloze_prompt, cut

TYPE_CHECKING = False  # not typing's (~7 ms)
if TYPE_CHECKING:
    from collections.abc import Sequence

    from quiz.messages import Lang
    from quiz.model import Bank, Era
    from quiz.stats import HardQuestion, Mastery, Stats

HEAT_GLYPHS = ("·", "░", "▒", "▓", "█")
EIGHTHS = " ▁▂▃▄▅▆▇█"
MASTERY_GLYPHS = (("mature", "█"), ("young", "▓"), ("learning", "▒"), ("new", "░"))
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BAR_WIDTH = 30
PROMPT_WIDTH = 44
ERA_WIDTH = 34
FORECAST_HEIGHT = 5


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def heat_level(count: int, peak: int) -> int:
    """0 for no answers, else 1–4 by the share of the window's busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, max(1, -(-4 * count // peak)))


def bar_cells(row: Mastery, width: int) -> list[int]:
    """How many cells of a mastery bar go to mature, young, learning and new (largest remainders, so they always
    fill `width`); all zero for an era without questions."""
    if row.total == 0:
        return [0, 0, 0, 0]
    values = [getattr(row, key) for key, _ in MASTERY_GLYPHS]
    exact = [v * width / row.total for v in values]
    cells = [int(x) for x in exact]
    for k in sorted(range(len(exact)), key=lambda k: exact[k] - cells[k], reverse=True)[: width - sum(cells)]:
        cells[k] += 1
    return cells


def era_title(bank: Bank, era_id: str, lang: Lang) -> str:
    era = bank.era(era_id)
    return era.title.get(lang) if era is not None else era_id


def prompt_of(bank: Bank, question_id: str, lang: Lang, width: int = PROMPT_WIDTH) -> str:
    """A question's prompt on one line, its cloze blank hidden, cut to `width` cells ("" for no such question)."""
    question = bank.question(question_id)
    if question is None:
        return ""
    from quiz.model import Kind

    text = question.prompt.get(lang)
    if question.kind is Kind.CLOZE:
        text = cloze_prompt(text)
    return cut(" ".join(text.split()), width)


# --- the plain page ---------------------------------------------------------------------------------------------


_CONTROL = re.compile("[\x00-\x1f]")


class _Unsure(Exception):
    """rich would lay this out by rules not mirrored here."""


def _cells(text: str) -> int:
    """`cell_width`, at once for printable ASCII (a cell a character)."""
    return len(text) if text.isascii() and text.isprintable() else cell_width(text)


def _cell(text: str, width: int | None = None) -> str:
    """`Display.cell` of a plain display: cleaned, cut, on one line."""
    return " ".join(cut(clean(text), width).split("\n"))


def _fit(text: str, width: int, justify: str, strip: bool) -> str:
    """A cell padded to its column as rich pads it (a right-justified one in a rich table, `strip`, loses its
    trailing spaces first; `quiz.render_grid` keeps them)."""
    if justify == "right" and strip:
        text = text.rstrip()
    room = width - _cells(text)
    if room < 0:
        raise _Unsure()
    return text + " " * room if justify == "left" else " " * room + text


def _wrap(line: str, width: int) -> list[str]:
    """`rich._wrap.divide_line` (no folding: unsure), then each piece's trailing spaces beyond `width` cut
    (`Text.rstrip_end`, which counts characters)."""
    breaks: list[int] = []
    offset = 0
    for match in re.finditer(r"\s*\S+\s*", line):
        start, word = match.start(), match.group()
        length = _cells(word.rstrip())
        if width - offset >= length:
            offset += _cells(word)
        elif length > width:
            raise _Unsure()
        elif offset and start:
            breaks.append(start)
            offset = _cells(word)
    pieces = [line[a:b] for a, b in zip([0, *breaks], [*breaks, len(line)], strict=True)]
    out = []
    for piece in pieces:
        if len(piece) > width:
            spaces = len(piece) - len(piece.rstrip())
            piece = piece[:len(piece) - min(spaces, len(piece) - width)]
        if _cells(piece) > width:
            raise _Unsure()
        out.append(piece)
    return out


class _Page:
    def __init__(self, width: int) -> None:
        self.width = width
        self.lines: list[str] = []

    def add(self, text: str) -> None:
        """A text's printed lines: its own lines, each wrapped at spaces as rich wraps a line wider than the
        terminal (`rich.text.Text.wrap`); a word wider than the terminal (folded by rich) or a tab: unsure."""
        if self.width < 1:
            raise _Unsure()
        for line in text.split("\n"):
            if _CONTROL.search(line):
                raise _Unsure()
            if _cells(line) <= self.width:
                self.lines.append(line)
                continue
            self.lines += _wrap(line, self.width)

    def line(self, text: str) -> None:
        """`Display.line` of a plain display: bank text or the interface's words, cleaned."""
        self.add(clean(text))

    def table(self, rows: Sequence[Sequence[str]], columns: Sequence[tuple[str, int]], *, strip: bool = True) -> None:
        """Rows of cells in columns (justify, width), two spaces between columns (the padding after one and before
        the next), none at the edges. rich shrinks a table wider than the terminal: unsure."""
        if not columns or sum(w for _, w in columns) + 2 * (len(columns) - 1) > self.width:
            raise _Unsure()
        for cells in rows:
            self.add("  ".join(_fit(text, w, justify, strip) for text, (justify, w) in zip(cells, columns,
                                                                                           strict=True)))


def stats_text(stats: Stats, bank: Bank, lang: Lang, width: int) -> str | None:
    """The whole `quiz stats` page as rich prints it to output that is not a terminal (a display of `lang` that
    neither reorders nor marks Arabic, `width` columns wide); None where that is not certain."""
    page = _Page(width)
    try:
        _stats_page(page, stats, bank, lang)
    except _Unsure:
        return None
    return "".join(line + "\n" for line in page.lines)


def _stats_page(page: _Page, stats: Stats, bank: Bank, ui: Lang) -> None:
    title_era = era_title(bank, stats.era, ui) if stats.era else None
    page.line(say("stats.title_era", ui, profile=stats.profile, era=title_era) if title_era
              else say("stats.title", ui, profile=stats.profile))
    streak = say("day", ui) if stats.streak == 1 else say("days", ui, n=stats.streak)
    page.line(say("stats.today_line", ui, due=stats.today.due, done=stats.today.done, streak=streak,
                  learned=say("stats.learned", ui, n=stats.today.new)))
    if stats.reviews_total == 0 and not any(m.learning or m.young or m.mature for m in stats.mastery):
        page.add("")
        page.line(say("stats.nothing", ui))
        if stats.mastery:
            page.add("")
            _mastery(page, stats.mastery, bank, ui)
        return
    for part in (_heatmap, _retention, _forecast, _mastery_of, _hardest, _time):
        page.add("")
        part(page, stats, bank, ui)


@dataclass(frozen=True)
class HeatLayout:
    """The heatmap's calendar, for both renderers: weeks from the Monday of the first day, cells of `cell`
    columns, the month labels' line (`header`, right-stripped), the row labels' width."""

    days: list[tuple[date, int]]
    first: date
    last: date
    start: date
    weeks: int
    counts: dict[date, int]
    peak: int
    cell: int
    label_width: int  # English labels lead each row; Arabic ones end it (read from the right)
    header: str
    total: int
    active: int


def heat_layout(heatmap: Sequence[tuple[str, int]], width: int, ui: Lang) -> HeatLayout:
    """The calendar of a non-empty heatmap at `width` columns. Month labels sit above the week that holds each
    month's first day; the first week gets its month's label when that leaves room before the next one."""
    days = [(date.fromisoformat(d), n) for d, n in heatmap]
    first, last = days[0][0], days[-1][0]
    start = first - timedelta(days=first.weekday())
    weeks = (last - start).days // 7 + 1
    cell = 2 if weeks * 2 + 4 <= max(width, 40) else 1

    def month_label(day: date) -> str:
        return MONTHS_EN[day.month - 1] if ui == "en" else str(day.month)

    labels: list[tuple[int, str]] = []
    for week in range(weeks):
        monday = start + timedelta(days=7 * week)
        firsts = [monday + timedelta(days=k) for k in range(7) if (monday + timedelta(days=k)).day == 1]
        if firsts and first <= firsts[0] <= last:
            labels.append((week * cell, month_label(firsts[0])))
    if not labels or labels[0][0] > len(month_label(first)):
        labels.insert(0, (0, month_label(first)))
    header = [" "] * (weeks * cell + 4)
    last_end = -1
    for pos, label in labels:
        if pos > last_end:
            header[pos:pos + len(label)] = list(label)
            last_end = pos + len(label)
    return HeatLayout(days, first, last, start, weeks, dict(days), max((n for _, n in days), default=0), cell,
                      4 if ui == "en" else 0, "".join(header).rstrip(), sum(n for _, n in days),
                      sum(1 for _, n in days if n))


def _heatmap(page: _Page, stats: Stats, bank: Bank, ui: Lang) -> None:
    """`render_stats.heatmap_view`."""
    if not stats.heatmap:
        page.add("")
        return
    h = heat_layout(stats.heatmap, page.width, ui)
    start, weeks, first, last, counts, peak, cell, label_width = (h.start, h.weeks, h.first, h.last, h.counts, h.peak,
                                                                  h.cell, h.label_width)
    days, header, total, active = h.days, h.header, h.total, h.active
    page.line(say("stats.heatmap", ui, weeks=say("stats.heatmap.weeks", ui, n=round(len(days) / 7)),
                  total=say("stats.answers", ui, n=total), days=say("stats.heatmap.days", ui, n=len(days),
                                                                     active=active)))
    page.add(" " * label_width + header)
    pad = " " * (cell - 1)
    for weekday in range(7):
        label = say(f"stats.weekday.{weekday}", ui) if weekday in (0, 2, 4) else ""
        row = [f"{label:<{label_width}}"] if label_width else []
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            row.append(" " * cell if day < first or day > last else HEAT_GLYPHS[heat_level(counts.get(day, 0),
                                                                                            peak)] + pad)
        page.add("".join(row))
    entries = [clean(say("stats.less", ui)), *HEAT_GLYPHS, clean(say("stats.more", ui))]
    page.add((" " * label_width + "".join(entry + " " for entry in entries)).rstrip())


def _retention(page: _Page, stats: Stats, bank: Bank, ui: Lang) -> None:
    """`render_stats.retention_view`: a grid (two spaces after each column, each as wide as its widest cell)."""
    rows = []
    for key, ret in (("stats.retention.7", stats.retention_7d), ("stats.retention.30", stats.retention_30d)):
        if ret.rate is None:
            rows.append([_cell("  " + say(key, ui)), _cell("—"), _cell(say("stats.retention.none", ui))])
        else:
            rows.append([_cell("  " + say(key, ui)), _cell(percent(ret.rate)),
                         _cell(say("stats.retention.n", ui, n=ret.reviews))])
    rows.append([_cell("  " + say("stats.retention.desired", ui)), _cell(percent(stats.desired_retention)), ""])
    widths = [max(_cells(row[k]) for row in rows) for k in range(3)]
    if not all(widths):  # rich makes an empty column one wide
        raise _Unsure()
    page.line(say("stats.retention", ui))
    page.table(rows, list(zip(("left", "right", "left"), widths, strict=True)))


def _forecast(page: _Page, stats: Stats, bank: Bank, ui: Lang) -> None:
    """`render_stats.forecast_view`."""
    forecast, height = stats.forecast, FORECAST_HEIGHT
    page.line(say("stats.forecast", ui, total=sum(forecast), today=forecast[0] if forecast else 0,
                  week=sum(forecast[1:8])))
    peak = max(forecast, default=0)
    label_width = max(len(str(peak)), 1) + 1
    cell = 2 if label_width + 2 * len(forecast) + 2 <= page.width else 1
    for level in range(height, 0, -1):
        line = [f"{str(peak) if level == height else '':>{label_width - 1}} "]
        for count in forecast:
            eighths = 0 if peak == 0 else round(count * height * 8 / peak)
            part = min(8, max(0, eighths - (level - 1) * 8))
            if count and level == 1 and part == 0:
                part = 1
            line.append(EIGHTHS[part] * cell)
        page.add("".join(line).rstrip())
    page.add(" " * label_width + "".join(("┬" if day % 7 == 0 else "─") + "─" * (cell - 1)
                                         for day in range(len(forecast))))
    ticks = [" "] * (len(forecast) * cell + 2)
    for day in range(0, len(forecast), 7):
        label = str(day)
        ticks[day * cell:day * cell + len(label)] = list(label)
    page.add(" " * label_width + "".join(ticks).rstrip())


def _mastery_of(page: _Page, stats: Stats, bank: Bank, ui: Lang) -> None:
    _mastery(page, stats.mastery, bank, ui)


def _mastery(page: _Page, mastery: Sequence[Mastery], bank: Bank, ui: Lang) -> None:
    """`render_stats.mastery_view`, drawn as `quiz.render_grid.grid` draws it."""
    keys = ("new", "learning", "young", "mature")
    headers = [say(f"stats.state.{key}", ui) for key in keys]
    number_widths = [max([len(h)] + [len(str(getattr(m, key))) for m in mastery])
                     for h, key in zip(headers, keys, strict=True)]
    eras: dict[str, Era] = {}
    for era in bank.eras:
        eras.setdefault(era.id, era)  # `Bank.era`: the first of an id, without a walk through every era for each
    titles = [eras[m.era].title.get(ui) if m.era in eras else m.era for m in mastery]
    era_width = min(ERA_WIDTH, max([len(t) for t in titles] + [len(say("stats.era", ui))]))
    room = page.width - 1 - sum(number_widths) - 2 * (len(keys) + 1)
    bar_width = max(10, min(BAR_WIDTH, room - min(era_width, 24)))
    era_width = max(12, min(era_width, room - bar_width))
    columns = [("left", era_width), ("left", bar_width), *(("right", w) for w in number_widths)]
    rows = [[_cell(say("stats.era", ui)), "", *(_cell(h) for h in headers)]]
    for row, title in zip(mastery, titles, strict=True):
        cells = bar_cells(row, bar_width)
        bar = "".join(glyph * n for (_, glyph), n in zip(MASTERY_GLYPHS, cells, strict=True)) if row.total \
            else " " * bar_width
        rows.append([_cell(title, width=era_width), bar, *(str(getattr(row, key)) for key in keys)])
    page.line(say("stats.mastery", ui))
    page.table(rows, columns, strip=False)
    legend = "".join(f"{glyph} {clean(say(f'stats.state.{key}', ui))}  " for key, glyph in MASTERY_GLYPHS)
    page.add(("  " + legend).rstrip())
    page.line("  " + say("stats.mature_note", ui))


def _hardest(page: _Page, stats: Stats, bank: Bank, ui: Lang) -> None:
    """`render_stats.hardest_view`."""
    page.line(say("stats.hardest", ui))
    if not stats.most_lapses and not stats.lowest_retrievability and not stats.leech_count:
        page.line("  " + say("stats.none", ui))
        return
    prefetch = getattr(bank.by_id, "prefetch", None)  # a cached bank finds the ids it will show in one pass
    if prefetch is not None:
        prefetch([row.question_id for row in (*stats.most_lapses, *stats.lowest_retrievability)])
    if stats.most_lapses:
        page.line("  " + say("stats.most_lapses", ui))
        _hard_table(page, stats.most_lapses, bank, ui, "stats.lapses")
    page.line("  " + say("stats.leeches", ui, n=stats.leech_count))
    if stats.lowest_retrievability:
        page.line("  " + say("stats.lowest", ui))
        _hard_table(page, stats.lowest_retrievability, bank, ui, "stats.recall")


def _hard_table(page: _Page, rows: Sequence[HardQuestion], bank: Bank, ui: Lang, value_key: str) -> None:
    """`render_stats._hard_table`: spacer, id, prompt (when there is room), the figure, a leech mark."""
    def figure(row: HardQuestion) -> str:
        if value_key != "stats.lapses":
            return percent(row.retrievability)
        return say("stats.lapse", ui) if row.lapses == 1 else say("stats.lapses", ui, n=row.lapses)

    values = [figure(row) for row in rows]
    leech = say("stats.leech", ui)
    value_width = max(len(v) for v in values)
    leech_width = len(leech) if any(row.leech for row in rows) else 0
    id_width = min(30, max(len(row.question_id) for row in rows))
    gaps = 4 + (1 if leech_width else 0)
    prompt_width = page.width - 1 - 2 - id_width - value_width - leech_width - 2 * (gaps - 1)
    columns = [("left", 2), ("left", id_width)]
    if prompt_width >= 12:
        columns.append(("left", min(PROMPT_WIDTH, prompt_width)))
    columns.append(("right", value_width))
    if leech_width:
        columns.append(("left", leech_width))
    lines = []
    for row, value in zip(rows, values, strict=True):
        cells = ["", _cell(row.question_id, width=id_width)]
        if prompt_width >= 12:
            cells.append(_cell(prompt_of(bank, row.question_id, ui, min(PROMPT_WIDTH, prompt_width))))
        cells.append(_cell(value))
        if leech_width:
            cells.append(_cell(leech) if row.leech else "")
        lines.append(cells)
    page.table(lines, columns)


def _time(page: _Page, stats: Stats, bank: Bank, ui: Lang) -> None:
    page.line(say("stats.time", ui))
    page.line(f"  {say('stats.time.today', ui)} {duration(stats.time.today, ui)} · "
              f"{say('stats.time.week', ui)} {duration(stats.time.week, ui)} · "
              f"{say('stats.time.total', ui)} {duration(stats.time.total, ui)} "
              f"({say('stats.answers', ui, n=stats.reviews_total)})")
