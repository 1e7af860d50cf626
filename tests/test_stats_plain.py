"""`quiz stats`' page drawn without rich (quiz.render_stats_plain) is rich's page byte for byte: Hypothesis draws
the figures (calendars of any length, forecasts, eras with long, Arabic or voweled titles, hard questions with
long prompts, clozes, leeches), the language and the terminal's width, and whenever the plain drawing answers
it must equal `stats_view` printed by rich to output that is not a terminal. Also the cell widths quiz counts
without rich (quiz.terminal.cells) against rich's, and the one-pass id lookup of a cached bank."""

from __future__ import annotations

import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from quiz.bank.cached_texts import _Ids
from quiz.model import Kind, Text
from quiz.render import Display, cell_width, make_console
from quiz.render_stats import stats_view
from quiz.render_stats_plain import stats_text
from quiz.stats import HardQuestion, Mastery, Retention, Stats, TimeSpent, Today
from quiz.terminal import _widths

WORDS = ["era", "The", "cold", "war", "détente", "سؤال", "الحرب", "البارِدة", "مُعاهدة", "1962", "q1", "—", "…",
         "a-b", "(x)", "؟", "٣", "ـ", "ٱلـ"]


def title() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)


class FakeBank:
    """What the page reads of a bank: eras (title by language) and questions (prompt, kind)."""

    def __init__(self, eras: dict[str, Text], prompts: dict[str, tuple[Text, Kind]]) -> None:
        self.eras = [SimpleNamespace(id=era_id, title=text) for era_id, text in eras.items()]
        self._prompts = prompts
        self.by_id: dict[str, object] = {}

    def era(self, era_id: str) -> object:
        return next((era for era in self.eras if era.id == era_id), None)

    def question(self, qid: str) -> object:
        found = self._prompts.get(qid)
        return None if found is None else SimpleNamespace(prompt=found[0], kind=found[1])


@st.composite
def pages(draw: st.DrawFn) -> tuple[Stats, FakeBank]:
    days = draw(st.integers(7, 400))
    end = date(2026, 11, 22) - timedelta(days=draw(st.integers(0, 6)))
    counts = draw(st.lists(st.integers(0, 500) | st.just(0), min_size=days, max_size=days))
    heatmap = tuple(((end - timedelta(days=days - 1 - k)).isoformat(), n) for k, n in enumerate(counts))
    forecast = tuple(draw(st.lists(st.integers(0, 20_000), min_size=30, max_size=30)))
    era_ids = draw(st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=0, max_size=6, unique=True))
    titles = {e: Text(draw(title()), draw(title())) for e in era_ids}
    mastery = tuple(Mastery(e, *draw(st.tuples(*[st.integers(0, 3000)] * 4))) for e in era_ids)
    ids = draw(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,40}", fullmatch=True), min_size=0, max_size=12,
                        unique=True))
    prompts = {qid: (Text(draw(title()), draw(title()) + draw(st.sampled_from(["", " {{x}} y"]))),
                     draw(st.sampled_from([Kind.CARD, Kind.CLOZE]))) for qid in ids if draw(st.booleans())}
    lapses = tuple(HardQuestion(qid, draw(st.integers(1, 30)), draw(st.booleans())) for qid in ids[:6])
    lowest = tuple(HardQuestion(qid, 0, retrievability=draw(st.floats(0, 1))) for qid in ids[6:])
    reviews = draw(st.integers(0, 3000)) if draw(st.booleans()) else 0

    def retention(n: int) -> Retention:
        total = draw(st.integers(0, 5000))
        return Retention(n, total, draw(st.integers(0, total)))

    stats = Stats(
        profile=draw(st.sampled_from(["ana", "learner", "سارة"])), today_day=end.isoformat(),
        era=draw(st.sampled_from([None, *era_ids])), today=Today(forecast[0], draw(st.integers(0, 500)),
                                                                 draw(st.integers(0, 50)), 12.0),
        streak=draw(st.integers(0, 2000)), reviews_total=reviews, heatmap=heatmap, retention_7d=retention(7),
        retention_30d=retention(30), desired_retention=draw(st.sampled_from([0.9, 0.85, 0.97])), forecast=forecast,
        mastery=mastery, most_lapses=lapses, leech_count=draw(st.integers(0, 40)),
        leeches=tuple(h for h in lapses if h.leech), lowest_retrievability=lowest,
        time=TimeSpent(draw(st.floats(0, 9000)), draw(st.floats(0, 90000)), draw(st.floats(0, 9e6))),
    )
    return stats, FakeBank(titles, prompts)


def rich_page(stats: Stats, bank: FakeBank, lang: str, width: int) -> str:
    """The page as the full command prints it to output that is not a terminal."""
    console = make_console(file=io.StringIO(), width=width, highlight=False, soft_wrap=False, emoji=False)
    assert not console.is_terminal
    console.print(stats_view(stats, bank, Display(lang, False, width)))  # type: ignore[arg-type]
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages(), st.sampled_from(["en", "ar"]), st.integers(1, 220))
def test_the_plain_page_is_rich_s_page(page: tuple[Stats, FakeBank], lang: str, width: int) -> None:
    stats, bank = page
    plain = stats_text(stats, bank, lang, width)  # type: ignore[arg-type]
    if plain is not None:
        assert plain == rich_page(stats, bank, lang, width)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages(), st.sampled_from(["en", "ar"]), st.integers(100, 220))
def test_a_wide_terminal_gets_the_plain_page(page: tuple[Stats, FakeBank], lang: str, width: int) -> None:
    """Where nothing needs rich's own layout, the plain drawing answers (the test above is not empty)."""
    stats, bank = page
    assert stats_text(stats, bank, lang, width) is not None  # type: ignore[arg-type]


@pytest.mark.parametrize("width", [40, 60, 79, 80, 100, 120])
def test_the_cli_stats_page_in_both_languages(width: int) -> None:
    """The hand-computed page of test_cli_stats, in English and Arabic, at the usual widths."""
    eras = {"early": Text("المرحلة الأولى", "The early era"), "middle": Text("المرحلة الوسطى", "The middle era")}
    bank = FakeBank(eras, {"q8": (Text("سؤال q8", "Question q8?"), Kind.CARD)})
    forecast = (3, 1, 1) + (0,) * 27
    stats = Stats("ana", "2026-11-22", None, Today(3, 2, 2, 20.0), 3, 19,
                  tuple(((date(2026, 11, 22) - timedelta(days=181 - k)).isoformat(), k % 5) for k in range(182)),
                  Retention(7, 5, 2), Retention(30, 6, 2), 0.9, forecast,
                  (Mastery("early", 0, 0, 2, 1), Mastery("middle", 0, 1, 1, 0)),
                  (HardQuestion("q8", 2, True), HardQuestion("q1", 1)), 1, (HardQuestion("q8", 2, True),),
                  (HardQuestion("q8", 2, retrievability=0.721),), TimeSpent(20, 60, 180))
    for lang in ("en", "ar"):
        plain = stats_text(stats, bank, lang, width)  # type: ignore[arg-type]
        assert plain is not None or width < 80, (lang, width)
        if plain is not None:
            assert plain == rich_page(stats, bank, lang, width)


def test_quiz_counts_cells_as_rich_does() -> None:
    widths = _widths()
    assert {ch: w for ch, w in widths.items() if cell_len(ch) != w} == {}
    assert "\u200d" not in widths and "\u0600" not in widths  # measured by rich in context


@given(st.text(alphabet=st.sampled_from(list(_widths()) + ["\u200d", "\ufe0f", "漢", "\U0001f600", "\t", "\n"]),
               max_size=40))
def test_cell_width_is_rich_s(text: str) -> None:
    assert cell_width(text) == cell_len(text)


@given(st.lists(st.sampled_from(["a", "b", "c", "ab", "a-1", "q", "x y"]), max_size=20),
       st.lists(st.sampled_from(["a", "b", "c", "ab", "zz", "", "x y", "a\nb"]), max_size=8))
def test_finding_ids_at_once_finds_what_one_at_a_time_finds(written: list[str], asked: list[str]) -> None:
    one = _Ids("\n".join(written), len(written))
    many = _Ids("\n".join(written), len(written))
    many.find_all(asked)
    for qid in asked:
        assert many.find(qid) == one.find(qid), (written, qid)
