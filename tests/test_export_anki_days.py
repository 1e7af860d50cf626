"""New positions and the package's deck preset, checked where they matter: in Anki's own scheduler (the official
`anki` library, `tests/anki_days.py`), day by day, with the default limits (20 new cards, 200 reviews a day);
and the order itself (`quiz.export.anki_order`) on random plans (Hypothesis)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anki_days
import pytest
from anki.collection import Collection
from anki_kit import export, new_collection
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.bank import load_bank
from quiz.export import anki as ax
from quiz.export.anki_order import SPACING, Slot, spaced


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = new_collection(tmp_path / "anki-profile")
    try:
        yield collection
    finally:
        collection.close()


def built_in(tmp_path: Path, *args: str) -> tuple[Path, list[ax.NoteSpec]]:
    """The built-in bank exported in English through the CLI, and the export's plan (for the notes' events)."""
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "en", *args)
    bank = load_bank().bank
    return out, ax.plan(bank, bank.studyable(), ("en",))


def imported(tmp_path: Path, package: Path, name: str, *, presets: bool) -> Path:
    path = tmp_path / name / "collection.anki2"
    path.parent.mkdir()
    collection = Collection(str(path))
    try:
        anki_days.import_package(collection, package, presets=presets)
    finally:
        collection.close()
    return path


# --- the preset ----------------------------------------------------------------------------------------------------


def test_the_package_brings_its_preset_and_anki_takes_it_only_when_asked(tmp_path: Path, col: Collection) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "en", "--era", "c19")
    anki_days.import_package(col, out)  # Anki's default: "Import deck presets" not ticked
    top = col.decks.id_for_name(ax.TOP_DECKS["en"])
    assert top is not None
    assert col.decks.config_dict_for_deck_id(top)["id"] == 1  # Anki's Default preset: bury siblings off
    assert not col.decks.config_dict_for_deck_id(top)["new"]["bury"]

    other = new_collection(tmp_path / "other")
    try:
        anki_days.import_package(other, out, presets=True)
        for deck in other.decks.all_names_and_ids():
            if deck.name == "Default":
                continue
            config = other.decks.config_dict_for_deck_id(deck.id)  # type: ignore[arg-type]
            assert (config["id"], config["name"]) == (ax.PRESET_ID, ax.PRESET_NAME), deck.name
            assert config["new"]["bury"] and config["rev"]["bury"] and config["buryInterdayLearning"]
            assert (config["new"]["perDay"], config["rev"]["perDay"]) == (20, 200)  # Anki's own defaults
            assert config["newGatherPriority"] == 1  # ascending position, across the era subdecks
        mine = other.decks.config_dict_for_deck_id(other.decks.id_for_name(ax.TOP_DECKS["en"]))  # type: ignore
        mine["new"]["perDay"] = 7  # the learner's own setting
        other.decks.update_config(mine)
        anki_days.import_package(other, out, presets=True)  # a later export, imported the same way
        again = other.decks.config_dict_for_deck_id(other.decks.id_for_name(ax.TOP_DECKS["en"]))  # type: ignore
        assert again["new"]["perDay"] == 7
    finally:
        other.close()


def test_an_events_cards_keep_their_own_new_positions_in_anki(tmp_path: Path, col: Collection) -> None:
    out, notes = built_in(tmp_path)
    anki_days.import_package(col, out)
    events = [n for n in notes if n.kind == "event" and n.cards == 3]
    assert events
    for spec in events:
        (nid,) = col.db.list("SELECT id FROM notes WHERE guid = ?", spec.guid)
        dues = col.db.list("SELECT due FROM cards WHERE nid = ? ORDER BY ord", nid)
        assert dues == [due for _, due in spec.dues]
        assert dues == sorted(dues) and len(set(dues)) == 3  # recognition first, each on its own position


# --- days in Anki ----------------------------------------------------------------------------------------------------


def test_anki_shows_no_two_cards_sharing_an_event_on_day_one(tmp_path: Path) -> None:
    """The built-in bank, the package's preset, Anki's default limits: day one's 20 new cards (and their learning
    steps) share no event, across notes too (comparison, order and hand-written questions on events)."""
    out, notes = built_in(tmp_path)
    path = imported(tmp_path, out, "anki", presets=True)
    days = anki_days.study(path, ax.TOP_DECKS["en"], anki_days.events_by_guid(notes), 1)
    assert days.new_cards == 20
    assert days.pairs[0] == []


@pytest.mark.slow
def test_thirty_days_in_anki_the_package_preset_against_ankis_default(tmp_path: Path) -> None:
    """Thirty days, every card answered Good, default limits. With Anki's Default preset (what an import gives
    unless "Import deck presets" is ticked) new cards are gathered era deck by era deck and siblings are not
    buried: day one is 20 of the first era's 24 cards, on its 3 events, and an event's forms meet on one day.
    With the package's preset: no two cards of one note on a day, none sharing an event on day one, and the
    pairs left are reviews meeting new cards or other reviews, and the tail of the bank, where the last eras'
    busiest events cannot be spread (measured: about 930 against 2,300, 80 new-with-new against 500)."""
    out, notes = built_in(tmp_path)
    events = anki_days.events_by_guid(notes)
    ours = anki_days.study(imported(tmp_path, out, "ours", presets=True), ax.TOP_DECKS["en"], events, 30)
    default = anki_days.study(imported(tmp_path, out, "default", presets=False), ax.TOP_DECKS["en"], events, 30)
    assert ours.new_cards == default.new_cards == sum(n.cards for n in notes)  # every card met within 30 days
    assert ours.same_note == 0 and ours.pairs[0] == []
    assert default.same_note > 0 and len(default.pairs[0]) >= 35  # 16+ cards on 3 events: at least 35 pairs
    assert ours.new_pairs * 3 < default.new_pairs
    assert ours.total * 3 < default.total * 2
    first_week = sum(1 for day in ours.pairs[:4] for a, b, _ in day if a.new and b.new)
    assert first_week == 0  # the first 80 new cards share no event within a day


# --- the order -------------------------------------------------------------------------------------------------------


@st.composite
def plans(draw: Any) -> list[Slot]:
    """Slots in base order: event notes (one to three forms on one event) and question cards on any events."""
    n_events = draw(st.integers(1, 12))
    names = [f"e{i}" for i in range(n_events)]
    slots: list[Slot] = []
    for unit in range(draw(st.integers(1, 60))):
        if draw(st.booleans()):
            event = draw(st.sampled_from(names))
            forms = draw(st.lists(st.sampled_from(["yearpick", "year", "era"]), min_size=1, max_size=3,
                                  unique=True))
            slots.extend(Slot(unit, form, (event,)) for form in ("yearpick", "year", "era") if form in forms)
        else:
            slots.append(Slot(unit, "", tuple(draw(st.lists(st.sampled_from(names), max_size=4, unique=True)))))
    return slots


@settings(max_examples=100, deadline=None)
@given(plans(), st.integers(1, 40))
def test_the_order_places_every_card_once_and_meets_its_needs(slots: list[Slot], spacing: int) -> None:
    out = spaced(slots, spacing)
    assert sorted(out, key=slots.index) == slots  # a permutation
    first: dict[str, int] = {}  # event → the position of its event note's first card
    seen_units: set[int] = set()
    for here, slot in enumerate(out):
        if slot.form:
            if slot.unit in seen_units:
                assert slot.events[0] in first  # a later form after its event's first card
            seen_units.add(slot.unit)
            first.setdefault(slot.events[0], here)
    introduced = {s.events[0] for s in slots if s.form}
    for here, slot in enumerate(out):
        if not slot.form and len(slot.events) > 1:
            assert all(first[e] < here for e in slot.events if e in introduced)  # after each event was met


def test_the_order_keeps_the_spacing_when_the_bank_allows_it() -> None:
    # 8 events with 3 forms and a question each (a span of 3 x 30 + 1), 120 questions on no event to fill in
    slots = [Slot(u, form, (f"e{u}",)) for u in range(8) for form in ("yearpick", "year", "era")]
    slots += [Slot(10 + i, "", (f"e{i}",)) for i in range(8)]
    slots += [Slot(100 + i, "", ()) for i in range(120)]
    out = spaced(slots)
    where: dict[str, list[int]] = {}
    for here, slot in enumerate(out):
        for event in slot.events:
            where.setdefault(event, []).append(here)
    gaps = [b - a for places in where.values() for a, b in zip(places, places[1:], strict=False)]
    assert min(gaps) >= SPACING, sorted(gaps)[:5]
