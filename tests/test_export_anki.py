"""`quiz export anki`, checked by importing the packages with the official `anki` library into temp collections.

Times: QUIZ_NOW is pinned a few days before the real clock, so that edits made "by the learner" in Anki (which
Anki stamps with the real time) are newer than every exported note, as they would be in real life.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.scheduler.v3 import CardAnswer
from typer.testing import CliRunner

from quiz.bank import load_bank
from quiz.cli import app
from quiz.export import anki as ax
from quiz.export.anki_notes import EVENT, TAG_ROOT, event_forms
from quiz.model import Bank, Kind

T0 = (datetime.now(timezone.utc) - timedelta(days=3)).replace(microsecond=0)
IF_NEWER = 0  # ImportAnkiPackageUpdateCondition.IF_NEWER: Anki's default, "update notes if newer"

TEACHER = """\
events:
  - id: ev-one
    date: "1905"
    era: early
    title: {ar: "الحدث الأول <script>alert(1)</script>", en: "the first event <script>alert(1)</script>"}
    detail: {ar: تفصيل, en: A detail.}
    source: {doc: doc, para: 1}
  - id: ev-two
    date: "1912"
    era: early
    title: {ar: الحدث الثاني, en: the second event}
    detail: {ar: تفصيل, en: A detail.}
    source: {doc: doc, para: 2}
  - id: ev-three
    date: "1925"
    era: early
    title: {ar: الحدث الثالث, en: the third event}
    detail: {ar: تفصيل, en: A detail.}
    source: {doc: doc, para: 3}
questions:
  - id: t-card
    kind: card
    era: early
    prompt:
      ar: "<script>alert(1)</script> فُجِّرَتْ القنبلةُ الأولى؟"
      en: "<script>alert(1)</script> [red]What[/red] is this?"
    answer: {ar: "جواب <b>عريض</b>", en: "An answer & <i>more</i>"}
    explanation: {ar: "شرح [sound:evil.mp3]", en: "Because [sound:evil.mp3] {{c1::no}}"}
    source: {doc: doc, para: 1}
    tags: [alpha, arms-control]
  - id: t-typed
    kind: typed
    era: middle
    prompt: {ar: "في أي عام؟ <img src=x onerror=alert(1)>", en: "In which year? <img src=x onerror=alert(1)>"}
    answer: {ar: "1945", en: "1945"}
    accept: {en: [nineteen forty-five]}
    tolerance: 1
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 2}
  - id: t-choice
    kind: choice
    era: middle
    prompt: {ar: "اختر <script>x</script>", en: "Choose <script>x</script>"}
    choices:
      - {ar: "<img src=x onerror=alert(1)>", en: "<img src=x onerror=alert(1)>"}
      - {ar: ب, en: B}
      - {ar: ج, en: C}
    answer: {ar: ب, en: B}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 3}
  - id: t-tf
    kind: truefalse
    era: late
    prompt: {ar: "العبارة <script>alert(1)</script>", en: "The statement <script>alert(1)</script>"}
    answer: true
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 4}
  - id: t-order
    kind: order
    era: late
    prompt: {ar: رتب الأحداث, en: Put them in order}
    items:
      - {ar: "الأول <script>", en: "First <script>", year: 1971}
      - {ar: الثاني, en: Second, year: 1980}
      - {ar: الثالث, en: Third, year: 1990}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 5}
  - id: t-cloze
    kind: cloze
    era: late
    prompt:
      ar: "بدأت الحرب عام {{1939}} <script>alert(1)</script>"
      en: "The war began in {{1939}}, <script>alert(1)</script>"
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 6}
  - id: t-draft
    kind: card
    era: late
    draft: true
    prompt: {ar: مسودة, en: A draft}
    answer: {ar: مسودة, en: A draft}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 7}
"""


# --- helpers -------------------------------------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def quiz(*args: str, now: datetime = T0) -> Any:
    result = CliRunner().invoke(app, list(args), env={"QUIZ_NOW": iso(now)})
    return result


def export(out: Path, *args: str, now: datetime = T0) -> Any:
    result = quiz("export", "anki", str(out), *args, now=now)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def listed(*args: str) -> list[dict[str, Any]]:
    result = quiz("list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def import_apkg(col: Collection, path: Path) -> Any:
    options = ImportAnkiPackageOptions(update_notes=IF_NEWER, update_notetypes=IF_NEWER, merge_notetypes=False,
                                       with_scheduling=False)
    response = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options))
    return response.log


def notes_snapshot(col: Collection) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in col.db.all("SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id")]


def visible(html_text: str) -> str:
    """A rendered side without its CSS and tags."""
    text = re.sub(r"<style>.*?</style>", "", html_text, flags=re.S)
    return re.sub(r"<[^>]+>", "", text).strip()


def package_mod(path: Path) -> int:
    with zipfile.ZipFile(path) as package, package.open("collection.anki2") as handle:
        data = handle.read()
    tmp = path.with_suffix(".read.anki2")
    tmp.write_bytes(data)
    try:
        conn = sqlite3.connect(tmp)
        (mod,) = conn.execute("SELECT mod FROM col").fetchone()
        conn.close()
    finally:
        tmp.unlink()
    return int(mod)


def note_of(col: Collection, qid: str, lang: str, bank: str | None = None) -> Any:
    """The note of a question (or, for `gen-year-EVENT`, of its event) of the built-in bank, or of `bank`."""
    guid = genanki.guid_for(qid, lang) if bank is None else genanki.guid_for(bank, qid, lang)
    ids = col.db.list("SELECT id FROM notes WHERE guid = ?", guid)
    assert len(ids) == 1, (qid, lang, ids)
    return col.get_note(ids[0])


def expected_notes(bank: Bank, ids: list[str]) -> int:
    """Notes per language of an export of these questions: one per question, or one per event for its forms."""
    forms = event_forms([q for q in bank.questions if q.id in set(ids)])
    carried = {q.id for per in forms.values() for q in per.values()}
    return len([i for i in ids if i not in carried]) + len(forms)


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    folder = tmp_path / "anki-profile"
    folder.mkdir()
    collection = Collection(str(folder / "collection.anki2"))
    try:
        yield collection
    finally:
        collection.close()


@pytest.fixture
def teacher(tmp_path: Path, write_bank: Any) -> Path:
    return write_bank(tmp_path / "teacher", {"qs.yaml": TEACHER})


def rewrite(bank: Path, old: str, new: str) -> None:
    path = bank / "qs.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def own_scripts_removed(side: str) -> str:
    """A rendered side without the templates' own scripts (the answer checker, the typed-answer keeper)."""
    return re.sub(r"<script>(?:/\* timeline-quiz|\(function\(\)\{var b=document).*?</script>", "", side, flags=re.S)


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
    assert len({c.due for c in cards}) == 1  # one new position: Anki buries the siblings
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


# --- re-export without damage ---------------------------------------------------------------------------------------


def test_one_changed_question_updates_exactly_one_note(tmp_path: Path, col: Collection, teacher: Path) -> None:
    v1, v2 = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    args = ("--lang", "en", "--bank", str(teacher))
    export(v1, *args, now=T0)
    first = import_apkg(col, v1)
    total = col.note_count()
    assert len(first.new) == total > 0
    notetypes = {m.id for m in col.models.all_names_and_ids()}
    before = {row[1]: row for row in notes_snapshot(col)}

    rewrite(teacher, "[red]What[/red] is this?", "What is this, now?")
    export(v2, *args, now=T0 + timedelta(hours=1))
    log = import_apkg(col, v2)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 1, total - 1)
    assert len(log.missing_notetype) == 0 and len(log.conflicting) == 0
    assert col.note_count() == total
    assert {m.id for m in col.models.all_names_and_ids()} == notetypes
    changed = note_of(col, "t-card", "en", "teacher")
    assert "What is this, now?" in changed["Prompt"]
    after = {row[1]: row for row in notes_snapshot(col)}
    assert {g for g in after if after[g] != before[g]} == {changed.guid}
    assert after[changed.guid][3] == int((T0 + timedelta(hours=1)).timestamp())  # mod = when content changed


def test_an_english_only_edit_updates_the_english_note_only(tmp_path: Path, col: Collection, teacher: Path) -> None:
    v1, v2 = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    args = ("--lang", "both", "--no-builtin", "--bank", str(teacher))
    export(v1, *args, now=T0)
    import_apkg(col, v1)
    mine = note_of(col, "t-card", "ar", "teacher")
    mine["Explanation"] = "ملاحظتي"
    col.update_note(mine)
    before = {row[1]: row for row in notes_snapshot(col)}
    rewrite(teacher, "[red]What[/red] is this?", "What, is this?")
    export(v2, *args, now=T0 + timedelta(hours=1))
    log = import_apkg(col, v2)
    assert (len(log.new), len(log.updated)) == (0, 1)
    after = {row[1]: row for row in notes_snapshot(col)}
    assert {g for g in after if after[g] != before[g]} == {genanki.guid_for("teacher", "t-card", "en")}
    assert note_of(col, "t-card", "ar", "teacher")["Explanation"] == "ملاحظتي"
    record = json.loads((teacher / "revisions.json").read_text(encoding="utf-8"))["questions"]["t-card"]
    assert record["ar"][1] == iso(T0) and record["en"][1] == iso(T0 + timedelta(hours=1))


def test_an_unchanged_bank_from_a_fresh_database_updates_nothing(tmp_path: Path, col: Collection,
                                                                 teacher: Path) -> None:
    """Another computer, a reinstall, a teacher's export: note times come from the bank, not the database."""
    v1, v2 = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    bank_args = ("--lang", "both", "--bank", str(teacher))
    export(v1, *bank_args, "--db", str(tmp_path / "mine.db"), now=T0)
    import_apkg(col, v1)
    mine = note_of(col, "t-choice", "en", "teacher")
    mine["Explanation"] = "My own mnemonic"
    mine.tags.append("my-tag")
    col.update_note(mine)
    builtin_note = note_of(col, "alaska-purchase-seward", "en")
    builtin_note["Explanation"] = "Seward's folly"
    col.update_note(builtin_note)
    snapshot = notes_snapshot(col)
    export(v2, *bank_args, "--db", str(tmp_path / "elsewhere.db"), now=T0 + timedelta(days=2))
    log = import_apkg(col, v2)
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert notes_snapshot(col) == snapshot
    assert note_of(col, "t-choice", "en", "teacher")["Explanation"] == "My own mnemonic"
    assert note_of(col, "alaska-purchase-seward", "en")["Explanation"] == "Seward's folly"


def test_two_teachers_banks_with_the_same_ids_give_two_notes(tmp_path: Path, col: Collection,
                                                            write_bank: Any) -> None:
    a = write_bank(tmp_path / "class-a", {"qs.yaml": TEACHER})
    b = write_bank(tmp_path / "class-b", {"qs.yaml": TEACHER.replace("An answer &", "Another answer &")})
    for bank, out in ((a, tmp_path / "a.apkg"), (b, tmp_path / "b.apkg")):
        export(out, "--lang", "en", "--no-builtin", "--bank", str(bank))
        import_apkg(col, out)
    assert len(col.find_notes('"Id:t-card"')) == 2
    assert "An answer" in note_of(col, "t-card", "en", "class-a")["Answer"]
    assert "Another answer" in note_of(col, "t-card", "en", "class-b")["Answer"]
    decks = {d.name for d in col.decks.all_names_and_ids()}
    assert {"class-a (English)", "class-b (English)"} <= decks or {"class-a", "class-b"} <= decks


def test_reimporting_an_unchanged_export_changes_nothing(tmp_path: Path, col: Collection, teacher: Path) -> None:
    v1, v2 = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    args = ("--lang", "both", "--bank", str(teacher))
    export(v1, *args, now=T0)
    import_apkg(col, v1)
    snapshot = notes_snapshot(col)
    log = import_apkg(col, v1)
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert notes_snapshot(col) == snapshot
    export(v2, *args, now=T0 + timedelta(days=1))  # a later export of the same bank
    log = import_apkg(col, v2)
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert notes_snapshot(col) == snapshot


def test_package_timestamps_always_increase(tmp_path: Path, teacher: Path) -> None:
    args = ("--lang", "en", "--no-builtin", "--bank", str(teacher))
    mods = []
    for index, now in enumerate((T0, T0, T0 - timedelta(hours=5), T0 + timedelta(minutes=1))):
        out = tmp_path / f"v{index}.apkg"
        export(out, *args, now=now)
        mods.append(package_mod(out))
    assert mods == sorted(mods) and len(set(mods)) == len(mods)
    assert mods[0] == int(T0.timestamp() * 1000)


def test_dry_run_counts_per_output_names_removed_ids_and_writes_nothing(tmp_path: Path, teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    args = ("--lang", "en", "--no-builtin", "--bank", str(teacher))
    bank = load_bank([teacher], builtin=False).bank
    ids = [q["id"] for q in listed("--no-builtin", "--bank", str(teacher))]
    notes, cards = expected_notes(bank, ids), len(ids)
    first = quiz("export", "anki", str(out), *args, "--dry-run")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == (f"Would write {notes} notes ({cards} cards) to {out} ({notes} new, 0 changed, "
                            "0 unchanged since the previous export)\n")
    assert not out.exists()
    export(out, *args)
    written = out.read_bytes()

    rewrite(teacher, "[red]What[/red] is this?", "What is this, now?")
    rewrite(teacher, "  - id: t-tf\n", "  - id: t-tf-renamed\n")  # one removed, one new
    for _ in range(2):  # a dry run records nothing: the second one says the same
        result = quiz("export", "anki", str(out), *args, "--dry-run", now=T0 + timedelta(hours=1))
        assert result.exit_code == 0, result.stderr
        assert result.stdout == (
            f"Would write {notes} notes ({cards} cards) to {out} (1 new, 1 changed, {notes - 2} unchanged since "
            "the previous export)\n"
            'No longer in the bank (1): t-tf; Anki keeps them, find them with the search: "deck:teacher" "Id:t-tf"\n')
    assert out.read_bytes() == written


def test_two_outputs_are_counted_apart(tmp_path: Path, teacher: Path) -> None:
    args = ("--no-builtin", "--bank", str(teacher))
    export(tmp_path / "en.apkg", "--lang", "en", *args)
    result = quiz("export", "anki", str(tmp_path / "both.apkg"), "--lang", "both", *args, "--dry-run")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    bank = load_bank([teacher], builtin=False).bank
    n = expected_notes(bank, [q["id"] for q in listed(*args)])
    assert lines[1:] == [f"  teacher (English) [en]: {n} notes, 0 new, 0 changed, {n} unchanged",
                         f"  teacher (العربية) [ar]: {n} notes, {n} new, 0 changed, 0 unchanged"][::-1] or \
        lines[1:] == [f"  teacher (العربية) [ar]: {n} notes, {n} new, 0 changed, 0 unchanged",
                      f"  teacher (English) [en]: {n} notes, 0 new, 0 changed, {n} unchanged"]


def test_a_kind_change_is_warned_about_before_anki_refuses_it(tmp_path: Path, col: Collection,
                                                              teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    args = ("--lang", "en", "--no-builtin", "--bank", str(teacher))
    export(out, *args)
    import_apkg(col, out)
    rewrite(teacher, "    kind: card\n    era: early\n", "    kind: typed\n    era: early\n")
    dry = quiz("export", "anki", str(out), *args, "--dry-run", now=T0 + timedelta(hours=1))
    assert dry.exit_code == 0, dry.stderr
    assert dry.stderr.startswith("Warning: 1 notes changed their kind under the same id (t-card (en)); Anki skips "
                                 "them as conflicting")
    export(out, *args, now=T0 + timedelta(hours=1))
    assert len(import_apkg(col, out).conflicting) == 1  # what the warning said


def test_dry_run_without_a_database_creates_none(tmp_path: Path, teacher: Path) -> None:
    db = tmp_path / "nowhere" / "quiz.db"
    result = quiz("export", "anki", str(tmp_path / "d.apkg"), "--db", str(db), "--dry-run", "--lang", "en",
                  "--no-builtin", "--bank", str(teacher))
    assert result.exit_code == 0, result.stderr
    assert " new, 0 changed, 0 unchanged" in result.stdout
    assert not db.exists() and not db.parent.exists()
    assert not (teacher / "revisions.json").exists()  # a dry run writes nothing, the record neither


# --- the revision record ---------------------------------------------------------------------------------------------


def test_the_built_in_revision_record_is_current() -> None:
    from quiz.export import revisions

    bank = load_bank().bank
    stale = revisions.fix_records(bank, [], True, T0, write=False)
    assert stale == [], "questions/revisions.json is stale: run `quiz validate --fix` and commit it"


def test_validate_says_when_the_record_is_stale_and_fix_brings_it_up_to_date(teacher: Path) -> None:
    record = teacher / "revisions.json"
    fresh = quiz("validate", str(teacher))
    assert fresh.exit_code == 0 and "revision record" not in fresh.stderr  # none yet: the first export makes it
    fixed = quiz("validate", "--fix", str(teacher))
    assert fixed.exit_code == 0, fixed.stderr
    total = len(listed("--no-builtin", "--bank", str(teacher))) * 2
    assert f"Updated the revision record {record} ({total} entries): commit it with the bank\n" in fixed.stderr
    assert record.is_file()
    again = quiz("validate", str(teacher))
    assert "revision record" not in again.stderr
    rewrite(teacher, "[red]What[/red] is this?", "What is this, now?")
    stale = quiz("validate", str(teacher))
    assert stale.exit_code == 0
    assert (f"{record}: warning: the revision record is stale (1 entries); run `quiz validate --fix` and commit "
            "it\n") in stale.stderr


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


OLD_PACKAGE = Path(__file__).parent / "fixtures" / "anki-main-c19.apkg"


@pytest.mark.parametrize("merge", [False, True])
def test_a_collection_made_from_the_previous_version_updates_in_place(tmp_path: Path, col: Collection,
                                                                     merge: bool) -> None:
    """tests/fixtures/anki-main-c19.apkg: `quiz export anki --era c19 --lang both` of the version before event
    notes (separate notes per generated question, GUIDs from the question id). Its learner's scheduling stays, no
    note is duplicated; with "Merge note types" ticked the old typed year note becomes the event note."""
    import_apkg(col, OLD_PACKAGE)
    old_notes = col.note_count()
    col.db.execute("UPDATE cards SET type = 2, queue = 2, ivl = 12, due = 400, reps = 3, factor = 2500")
    before = {row[0]: row for row in col.db.all("SELECT id, type, queue, ivl, due, reps FROM cards")}
    new = tmp_path / "new.apkg"
    export(new, "--era", "c19", "--lang", "both")
    options = ImportAnkiPackageOptions(update_notes=IF_NEWER, update_notetypes=IF_NEWER, merge_notetypes=merge,
                                       with_scheduling=False)
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(new), options=options)).log
    events = len([e for e in load_bank().bank.events if e.era == "c19"])
    assert len(log.new) == 0 and col.note_count() == old_notes  # no duplicate, no note added twice
    assert len(col.db.list("SELECT guid FROM notes GROUP BY guid HAVING count(*) > 1")) == 0
    after = {row[0]: row for row in col.db.all("SELECT id, type, queue, ivl, due, reps FROM cards")}
    assert all(after[cid] == row for cid, row in before.items())  # every old card keeps its scheduling
    c19 = [q for q in load_bank().bank.studyable() if q.era == "c19"]
    own_notes = [q for q in c19 if q.id not in {f.id for per in event_forms(c19).values() for f in per.values()}]
    # in place: same GUIDs, the new rendering (and, merging, the old typed year notes become event notes)
    assert len(log.updated) == 2 * len(own_notes) + (2 * events if merge else 0)
    assert note_of(col, "alaska-purchase-seward", "en").mid == ax.NOTE_TYPES[("typed", "en")].id
    year = note_of(col, "gen-year-" + next(e.id for e in load_bank().bank.events if e.era == "c19"), "en")
    if merge:
        assert len(log.conflicting) == 0
        assert year["RecallPrompt"]  # the event note now, its old card kept
    else:
        assert len(log.conflicting) == 2 * events  # Anki skips them and keeps the old notes
        assert year.mid == ax.NOTE_TYPES[("typed", "en")].id


def test_the_first_export_writes_the_teachers_record_and_a_read_only_bank_still_exports(
        tmp_path: Path, teacher: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.errors import ExportError
    from quiz.export import revisions

    args = ("--lang", "en", "--no-builtin", "--bank", str(teacher))
    first = export(tmp_path / "a.apkg", *args)
    record = teacher / "revisions.json"
    assert first.stderr == f"Updated the revision record {record}: commit it with the bank\n"
    assert export(tmp_path / "b.apkg", *args).stderr == ""  # current: nothing to say
    rewrite(teacher, "[red]What[/red] is this?", "What is this, now?")

    def refuse(folder: Path, record: object) -> Path:
        raise ExportError("cannot write the file: permission denied", where=str(folder / "revisions.json"))

    monkeypatch.setattr(revisions, "write_record", refuse)
    result = export(tmp_path / "c.apkg", *args, now=T0 + timedelta(hours=1))
    assert result.stderr.startswith("Warning: ") and "permission denied" in result.stderr
    assert "the notes of bank 'teacher' get this export's times" in result.stderr
    assert (tmp_path / "c.apkg").is_file()


def test_over_ten_days_anki_never_shows_two_cards_of_one_event_note_on_one_day(tmp_path: Path) -> None:
    """Days pass by moving the collection's creation back a day (Anki counts days from it)."""
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "en", "--era", "cold-war")
    path = str(tmp_path / "c.anki2")
    col = Collection(path)
    import_apkg(col, out)
    top = col.decks.id_for_name(ax.TOP_DECKS["en"])
    config = col.decks.config_dict_for_deck_id(top)  # type: ignore[arg-type]
    config["new"]["bury"] = config["rev"]["bury"] = config["buryInterdayLearning"] = True
    col.decks.update_config(config)
    twice = answered = 0
    try:
        for _ in range(10):
            col.decks.select(top)  # type: ignore[arg-type]
            shown: dict[int, set[int]] = {}
            for _ in range(2000):
                queued = col.sched.get_queued_cards(fetch_limit=1)
                if not queued.cards:
                    break
                card = col.get_card(queued.cards[0].card.id)
                shown.setdefault(card.nid, set()).add(card.id)
                card.start_timer()
                col.sched.answer_card(col.sched.build_answer(card=card, states=queued.cards[0].states,
                                                             rating=CardAnswer.GOOD))
                answered += 1
            twice += sum(len(cards) - 1 for cards in shown.values())
            col.db.execute("UPDATE col SET crt = crt - 86400")
            col.close()
            col = Collection(path)
    finally:
        col.close()
    assert answered > 150 and twice == 0
