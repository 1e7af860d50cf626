"""`quiz export anki`: what the package holds, checked by importing it with the official `anki` library into temp
collections (helpers and the teacher's bank in anki_kit.py)."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anki_days
import genanki
import pytest
from anki.collection import Collection
from anki.scheduler.v3 import CardAnswer
from anki_kit import (
    TEACHER,
    expected_notes,
    export,
    import_apkg,
    listed,
    new_collection,
    note_of,
    own_scripts_removed,
    visible,
)

from quiz.bank import load_bank
from quiz.export import anki as ax
from quiz.export.anki_notes import EVENT, TAG_ROOT, event_forms
from quiz.model import Kind


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = new_collection(tmp_path / "anki-profile")
    try:
        yield collection
    finally:
        collection.close()


@pytest.fixture
def teacher(tmp_path: Path, write_bank: Any) -> Path:
    return write_bank(tmp_path / "teacher", {"qs.yaml": TEACHER})


# --- what the package holds ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "lang"),
    [
        ((), "en"),
        ((), "both"),
        (("--era", "cold-war"), "ar"),
        (("--kind", "cloze"), "both"),
        (("--tag", "treaty"), "en"),
    ],
)
def test_note_and_card_counts_match_quiz_list(tmp_path: Path, col: Collection, filters: tuple[str, ...],
                                              lang: str) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", lang, *filters)
    langs = 2 if lang == "both" else 1
    ids = [q["id"] for q in listed(*filters)]
    assert ids
    log = import_apkg(col, out)
    assert len(log.new) == col.note_count() == expected_notes(load_bank().bank, ids) * langs
    assert col.card_count() == len(ids) * langs  # a card per question: the forms of an event are one note's cards


def test_lang_defaults_to_quiz_lang(tmp_path: Path, col: Collection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_LANG", "ar")
    out = tmp_path / "deck.apkg"
    export(out, "--era", "c19")
    import_apkg(col, out)
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert ax.TOP_DECKS["ar"] in names and ax.TOP_DECKS["en"] not in names


def test_deck_tree_is_one_top_deck_per_language_with_a_subdeck_per_era(tmp_path: Path, col: Collection) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "both")
    import_apkg(col, out)
    bank = load_bank().bank
    eras = [e.id for e in bank.eras if any(q.era == e.id for q in bank.studyable())]
    expected = {"Default"} | set(ax.TOP_DECKS.values())
    expected |= {f"{ax.TOP_DECKS[lang]}::{ax.ERA_DECKS[era][lang]}" for era in eras for lang in ("ar", "en")}
    assert {d.name for d in col.decks.all_names_and_ids()} == expected
    lang_of = {nt.id: nt.lang for nt in ax.NOTE_TYPES.values()}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        note = card.note()
        era = next(t.rsplit("::", 1)[1] for t in note.tags if t.startswith(f"{TAG_ROOT}::era::"))
        assert col.decks.name(card.did) == ax.deck_name(era, lang_of[note.mid])  # type: ignore[index]
    description = col.decks.get(col.decks.id_for_name(ax.TOP_DECKS["en"]))["desc"]  # type: ignore[index]
    assert description.startswith(bank.info("us-russia").description.en)  # type: ignore[union-attr]


def test_a_teachers_bank_has_its_own_deck_names_and_chronological_era_subdecks(
        tmp_path: Path, col: Collection, teacher: Path) -> None:
    (teacher / "bank.yaml").write_text(
        "bank:\n  id: physics-101\n  title: {ar: فيزياء, en: Physics 101}\n"
        "  description: {ar: أسئلة الفيزياء, en: Questions for Physics 101}\n", encoding="utf-8")
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "both", "--no-builtin", "--bank", str(teacher))
    import_apkg(col, out)
    names = sorted(d.name for d in col.decks.all_names_and_ids() if d.name != "Default")
    assert names == [
        "Physics 101", "Physics 101::1900–1939 The early era", "Physics 101::1940–1969 The middle era",
        "Physics 101::1970–1999 The late era",
        "فيزياء", "فيزياء::1900–1939 المرحلة الأولى", "فيزياء::1940–1969 المرحلة الوسطى",
        "فيزياء::1970–1999 المرحلة الأخيرة",
    ]
    top = col.decks.get(col.decks.id_for_name("Physics 101"))
    assert top["desc"].startswith("Questions for Physics 101")  # type: ignore[index]
    assert "US–Russia" not in top["desc"] and "Timeline Quiz" not in " ".join(names)  # type: ignore[index]
    assert note_of(col, "t-card", "en", "physics-101").guid == genanki.guid_for("physics-101", "t-card", "en")

    renamed = tmp_path / "renamed.apkg"
    export(renamed, "--lang", "en", "--no-builtin", "--bank", str(teacher), "--deck", "My class")
    with_override = Collection(str(tmp_path / "other.anki2"))
    try:
        import_apkg(with_override, renamed)
        assert {d.name for d in with_override.decks.all_names_and_ids()} >= {"My class",
                                                                              "My class::1900–1939 The early era"}
    finally:
        with_override.close()


def test_every_note_type_renders_a_question_and_an_answer(tmp_path: Path, col: Collection, teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "both", "--bank", str(teacher))
    import_apkg(col, out)
    used = set()
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        used.add(card.note().mid)
        question, answer = card.question(), card.answer()
        assert visible(own_scripts_removed(question)), card.note().fields
        assert visible(own_scripts_removed(answer)), card.note().fields
        assert len(visible(answer)) > len(visible(question)) or card.note_type()["type"] == 1
    assert used == {nt.id for nt in ax.NOTE_TYPES.values()}
    for nt in ax.NOTE_TYPES.values():
        model = col.models.get(nt.id)  # type: ignore[arg-type]
        assert model is not None and model["name"] == nt.name
        assert [f["name"] for f in model["flds"]] == list(ax.FIELDS[nt.kind])
        if nt.kind == EVENT:
            assert len(model["tmpls"]) == 3
        else:
            assert [t["name"] for t in model["tmpls"]] == [nt.template]
        assert model["type"] == (1 if nt.kind == "cloze" else 0)


def test_an_events_forms_are_the_cards_of_one_note(tmp_path: Path, col: Collection, teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "en", "--no-builtin", "--bank", str(teacher))
    import_apkg(col, out)
    note = note_of(col, "gen-year-ev-one", "en", "teacher")
    assert note.mid == ax.NOTE_TYPES[(EVENT, "en")].id
    cards = sorted(note.cards(), key=lambda c: c.ord)
    assert [c.ord for c in cards] == [0, 1, 2]  # recognition, recall, era
    assert "1905" in cards[0].question() and "[[type:" not in cards[0].question()  # the year among choices
    assert "[[type:Year]]" in cards[1].question()  # the reviewer puts its typing box there
    assert "The early era" in cards[2].question()
    # a new position each, recognition first: the forms come on different days even where Anki buries nothing
    assert cards[0].due < cards[1].due < cards[2].due
    assert note["Event"].startswith("The first event &lt;script&gt;")
    assert "kind::event" in " ".join(note.tags)


def test_no_rendered_card_carries_markup_or_sound_from_the_bank(tmp_path: Path, col: Collection,
                                                               teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "both", "--bank", str(teacher))
    import_apkg(col, out)
    escaped_seen = 0
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        for side in (card.question(), card.answer()):
            lowered = own_scripts_removed(side).lower()
            assert "<script" not in lowered
            assert "<img" not in lowered and "<b>" not in lowered and "<i>" not in lowered
            escaped_seen += "&lt;script&gt;" in side
        assert card.question_av_tags() == [] and card.answer_av_tags() == []
    assert escaped_seen > 0  # the text arrived, as text
    en = note_of(col, "t-card", "en", "teacher")
    assert en["Prompt"] == "&lt;script&gt;alert(1)&lt;/script&gt; &#91;red&#93;What&#91;/red&#93; is this?"
    assert en["Explanation"] == "Because &#91;sound:evil.mp3&#93; &#123;&#123;c1::no&#125;&#125;"
    cloze = note_of(col, "t-cloze", "en", "teacher")
    assert cloze["Text"] == "The war began in {{c1::1939}}, &lt;script&gt;alert(1)&lt;/script&gt;"
    assert len(cloze.cards()) == 1


def test_arabic_text_survives_intact(tmp_path: Path, col: Collection, teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "ar", "--bank", str(teacher))
    import_apkg(col, out)
    bank = load_bank([teacher]).bank
    carried = {q.id for per in event_forms(bank.questions).values() for q in per.values()}
    checked = 0
    for question in bank.studyable():
        if question.kind in (Kind.CLOZE, Kind.ORDER) or question.id in carried:
            continue
        note = note_of(col, question.id, "ar", None if question.bank == "us-russia" else question.bank)
        assert note.fields[0].startswith(ax.esc(question.prompt.ar))
        assert ax.esc(question.prompt.ar) in note.cards()[0].question()
        checked += 1
    assert checked > 120
    card = note_of(col, "t-card", "ar", "teacher")
    assert "فُجِّرَتْ القنبلةُ الأولى؟" in card["Prompt"]
    rendered = card.cards()[0].question()
    assert 'dir="rtl"' in rendered and 'lang="ar"' in rendered and "Noto Naskh Arabic" in rendered
    assert col.models.get(card.mid)["flds"][0]["rtl"] is True  # type: ignore[index]  # the editor is RTL too


def test_tags_live_under_one_root(tmp_path: Path, col: Collection, teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "en", "--no-builtin", "--bank", str(teacher))
    import_apkg(col, out)
    note = note_of(col, "t-card", "en", "teacher")
    assert sorted(note.tags) == [f"{TAG_ROOT}::alpha", f"{TAG_ROOT}::arms-control", f"{TAG_ROOT}::era::early",
                                 f"{TAG_ROOT}::kind::card", f"{TAG_ROOT}::source::doc"]
    assert all(tag.startswith(f"{TAG_ROOT}::") for tag in col.tags.all())
    assert f"{TAG_ROOT}::generated" in note_of(col, "gen-year-ev-one", "en", "teacher").tags
    assert not col.db.list("SELECT id FROM notes WHERE guid = ?", genanki.guid_for("teacher", "t-draft", "en"))


def test_the_first_field_is_unique_within_every_note_type(tmp_path: Path, col: Collection) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "both")
    import_apkg(col, out)
    dupes = col.db.all("SELECT mid, sfld, count(*) FROM notes GROUP BY mid, sfld HAVING count(*) > 1")
    assert dupes == []
    orders = col.find_notes(f"note:{json.dumps(ax.NOTE_TYPES[('order', 'en')].name)}")
    assert len(orders) >= 3
    for nid in orders:  # says what the note is: the items, hidden on the card
        note = col.get_note(nid)
        assert ":" in visible(note["Prompt"]) and "qz-listed" in note["Prompt"]


def _chi_square(counts: list[int]) -> float:
    expected = sum(counts) / len(counts)
    return sum((c - expected) ** 2 / expected for c in counts)


CHI2_CRITICAL_1PCT = {1: 6.63, 2: 9.21, 3: 11.34, 4: 13.28, 5: 15.09, 6: 16.81, 7: 18.48, 8: 20.09, 9: 21.67}


def test_the_right_choice_sits_anywhere_uniform_over_the_bank(tmp_path: Path, col: Collection) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "en")
    import_apkg(col, out)
    positions: dict[int, list[int]] = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        for name in ("Marked", "YearMarked", "EraMarked"):
            if name in note and note[name]:
                items = re.findall(r"<li[^>]*>", note[name])
                right = [i for i, item in enumerate(items) if "qz-right" in item]
                assert len(right) == 1, note[name]  # the back marks the answer
                positions.setdefault(len(items), [0] * len(items))[right[0]] += 1
    four = positions[4]
    total = sum(sum(c) for c in positions.values())
    chi2 = sum(_chi_square(c) for c in positions.values())
    df = sum(len(c) - 1 for c in positions.values())
    print(f"choice positions {positions}: chi2 = {chi2:.2f} on {df} df over {total} notes")
    assert total > 120 and sum(four) > 100
    assert chi2 < CHI2_CRITICAL_1PCT[df]
    assert max(four) / sum(four) < 0.4  # the bank's order had the answer first in 58 % of hand-written ones


def test_choice_layout_is_stable_across_exports_and_languages(teacher: Path) -> None:
    bank = load_bank([teacher], builtin=False).bank
    choice = bank.question("t-choice")
    assert choice is not None
    first = ax.plan(bank, [choice], ("ar", "en"))
    again = ax.plan(bank, [choice], ("ar", "en"))
    assert [n.fields for n in first] == [n.fields for n in again]
    order_ar = re.findall(r"<li>([^<]*)</li>", first[0].fields[1])
    order_en = re.findall(r"<li>([^<]*)</li>", first[1].fields[1])
    assert [["&lt;img src=x onerror=alert(1)&gt;", "ب", "ج"].index(o) for o in order_ar] == \
        [["&lt;img src=x onerror=alert(1)&gt;", "B", "C"].index(o) for o in order_en]


def test_new_positions_interleave_and_an_events_cards_never_meet_on_day_one(tmp_path: Path,
                                                                             col: Collection) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "en")
    import_apkg(col, out)
    event_type = ax.NOTE_TYPES[(EVENT, "en")].id
    kinds = [row[0] == event_type for row in col.db.all(
        "SELECT n.mid FROM cards c JOIN notes n ON n.id = c.nid WHERE c.ord = 0 ORDER BY c.due")]
    run = longest = 0
    for is_event in kinds:  # hand-written and event notes alternate: no long block of either
        run = run + 1 if is_event else 0
        longest = max(longest, run)
    assert longest <= 3, kinds

    top = col.decks.id_for_name(ax.TOP_DECKS["en"])
    config = col.decks.config_dict_for_deck_id(top)  # type: ignore[arg-type]
    config["new"]["perDay"] = 9999
    config["rev"]["perDay"] = 9999  # Anki's v3 scheduler also counts new cards against the review limit (200)
    config["new"]["bury"] = True
    config["rev"]["bury"] = True
    config["buryInterdayLearning"] = True
    col.decks.update_config(config)
    col.decks.select(top)  # type: ignore[arg-type]
    shown: dict[int, set[int]] = {}
    for _ in range(5000):
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            break
        card = col.get_card(queued.cards[0].card.id)
        shown.setdefault(card.nid, set()).add(card.id)
        card.start_timer()
        col.sched.answer_card(col.sched.build_answer(card=card, states=queued.cards[0].states,
                                                    rating=CardAnswer.EASY))
    events = {nid: cards for nid, cards in shown.items() if col.get_note(nid).mid == event_type}
    assert len(events) == len(load_bank().bank.events) - sum(1 for e in load_bank().bank.events if e.draft)
    assert all(len(cards) == 1 for cards in events.values())  # one card of each event on the first day
    assert sum(len(cards) for cards in shown.values()) == len(shown)


def test_over_ten_days_anki_never_shows_two_cards_of_one_event_note_on_one_day(tmp_path: Path) -> None:
    """Anki's Default preset with its burying options ticked, days passing in Anki itself (`anki_days.study`, which
    runs Anki's day check: it unburies yesterday's buried siblings, so the later forms do come)."""
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "en", "--era", "cold-war")
    path = tmp_path / "c" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    try:
        import_apkg(col, out)
    finally:
        col.close()
    bank = load_bank().bank
    notes = ax.plan(bank, [q for q in bank.studyable() if q.era == "cold-war"], ("en",))
    days = anki_days.study(path, ax.TOP_DECKS["en"], anki_days.events_by_guid(notes), 10,
                           options=anki_days.bury_all)
    assert days.cards > 150 and days.same_note == 0
    assert days.new_cards == sum(n.cards for n in notes)  # every form was met, none on its sibling's day


# --- frozen identity -------------------------------------------------------------------------------------------------


def test_note_type_ids_and_names_are_frozen() -> None:
    assert {(k, lang): nt.id for (k, lang), nt in ax.NOTE_TYPES.items()} == {
        ("card", "ar"): 1794221306, ("card", "en"): 1568992416,
        ("typed", "ar"): 2020317741, ("typed", "en"): 1873263175,
        ("choice", "ar"): 1396996815, ("choice", "en"): 1569925952,
        ("truefalse", "ar"): 1826282201, ("truefalse", "en"): 1727843143,
        ("order", "ar"): 1683175342, ("order", "en"): 1709755217,
        ("cloze", "ar"): 1317165678, ("cloze", "en"): 1432786409,
        ("event", "ar"): 1522523693, ("event", "en"): 1098770087,
    }
    assert {k: list(v) for k, v in ax.FIELDS.items()} == {
        "card": ["Prompt", "Answer", "Explanation", "Source", "Id"],
        "typed": ["Prompt", "Answer", "Accepted", "Explanation", "Source", "Id"],
        "choice": ["Prompt", "Choices", "Marked", "Answer", "Explanation", "Source", "Id"],
        "truefalse": ["Statement", "Answer", "Explanation", "Source", "Id"],
        "order": ["Prompt", "Items", "Answer", "Explanation", "Source", "Id"],
        "cloze": ["Text", "Explanation", "Source", "Id"],
        "event": ["Event", "RecognitionPrompt", "YearChoices", "YearMarked", "RecallPrompt", "Year", "Accepted",
                  "YearExplanation", "EraPrompt", "EraChoices", "EraMarked", "Era", "EraExplanation", "Source",
                  "Id"],
    }
    assert ax.TOP_DECKS == {"en": "Timeline Quiz (English)", "ar": "مسابقة الخط الزمني (العربية)"}
    assert ax.guid("t-card", "en") == genanki.guid_for("t-card", "en")


def test_every_built_in_era_has_a_frozen_deck_name_and_deck_ids_differ() -> None:
    bank = load_bank().bank
    assert {e.id for e in bank.eras} <= set(ax.ERA_DECKS)
    names = [ax.deck_name(era, lang) for era in ax.ERA_DECKS for lang in ("ar", "en")]
    names += list(ax.TOP_DECKS.values())
    assert len({ax.deck_id(n) for n in names}) == len(names)


def test_order_items_are_shuffled_the_same_way_every_time_and_never_already_in_order() -> None:
    bank = load_bank().bank
    orders = [q for q in bank.studyable() if q.kind is Kind.ORDER]
    assert orders
    for q in orders:
        first = ax.shuffled_order(q)
        assert first == ax.shuffled_order(q)
        assert sorted(first) == list(range(len(q.items))) and first != sorted(first)




def _esc_reference(text: str) -> str:
    """What `esc` was before its fast path: every replacement applied to every text."""
    import html

    from quiz.safetext import for_screen

    escaped = html.escape(for_screen(text), quote=True)
    escaped = escaped.replace("{", "&#123;").replace("}", "&#125;").replace("[", "&#91;").replace("]", "&#93;")
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def test_esc_fast_path_escapes_as_every_replacement_would() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from quiz.export.anki_notes import esc

    alphabet = st.sampled_from(list("ab &<>\"'{}[]\r\n\t\x1b\x07\u200b\u200c\u202e\u0628\u064e:")) | st.characters()

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet))
    def check(text: str) -> None:
        assert esc(text) == _esc_reference(text)

    check()


def test_both_languages_of_an_era_are_written_one_after_the_other(tmp_path: Path) -> None:
    """The rows of an era's Arabic deck, then its English deck, then the next era's (a cached bank's chunk is then
    decoded once for both languages): the note ids, which Anki never matches on, follow that order."""
    out = tmp_path / "both.apkg"
    result = export(out, "--lang", "both")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as package:
        (tmp_path / "col").write_bytes(package.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "col")
    try:
        names = {int(k): v["name"] for k, v in json.loads(db.execute("SELECT decks FROM col").fetchone()[0]).items()}
        dids = [did for (did,) in db.execute("SELECT c.did FROM notes n JOIN cards c ON c.nid = n.id ORDER BY n.id")]
    finally:
        db.close()
    runs = [names[did] for i, did in enumerate(dids) if i == 0 or did != dids[i - 1]]
    assert runs == [
        f"{ax.TOP_DECKS[lang]}::{ax.ERA_DECKS[era][lang]}" for era in ax.ERA_DECKS for lang in ("ar", "en")
    ]
