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
from conftest import run_quiz

from quiz.bank import load_bank
from quiz.export import anki as ax
from quiz.model import Kind

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
    return run_quiz(*args, now=iso(now))


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


def note_of(col: Collection, qid: str, lang: str) -> Any:
    ids = col.db.list("SELECT id FROM notes WHERE guid = ?", genanki.guid_for(qid, lang))
    assert len(ids) == 1, (qid, lang, ids)
    return col.get_note(ids[0])


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
    expected = len(listed(*filters)) * (2 if lang == "both" else 1)
    assert expected > 0
    log = import_apkg(col, out)
    assert len(log.new) == expected
    assert col.note_count() == expected
    assert col.card_count() == expected  # one card per note, cloze included


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
        era = next(t.split("::", 1)[1] for t in note.tags if t.startswith("era::"))
        assert col.decks.name(card.did) == ax.deck_name(era, lang_of[note.mid])  # type: ignore[index]


def test_every_note_type_renders_a_question_and_an_answer(tmp_path: Path, col: Collection, teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "both", "--bank", str(teacher))
    import_apkg(col, out)
    used = set()
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        used.add(card.note().mid)
        question, answer = card.question(), card.answer()
        assert visible(question), card.note().fields
        assert visible(answer), card.note().fields
        assert len(visible(answer)) > len(visible(question)) or card.note_type()["type"] == 1
    assert used == {nt.id for nt in ax.NOTE_TYPES.values()}
    for nt in ax.NOTE_TYPES.values():
        model = col.models.get(nt.id)  # type: ignore[arg-type]
        assert model is not None and model["name"] == nt.name
        assert [f["name"] for f in model["flds"]] == list(ax.FIELDS[nt.kind])
        assert [t["name"] for t in model["tmpls"]] == [nt.template]
        assert model["type"] == (1 if nt.kind is Kind.CLOZE else 0)


def test_no_rendered_card_carries_markup_or_sound_from_the_bank(tmp_path: Path, col: Collection,
                                                               teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "both", "--bank", str(teacher))
    import_apkg(col, out)
    escaped_seen = 0
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        for side in (card.question(), card.answer()):
            lowered = side.lower()
            assert "<script" not in lowered
            assert "<img" not in lowered and "<b>" not in lowered and "<i>" not in lowered
            escaped_seen += "&lt;script&gt;" in side
        assert card.question_av_tags() == [] and card.answer_av_tags() == []
    assert escaped_seen > 0  # the text arrived, as text
    en = note_of(col, "t-card", "en")
    assert en["Prompt"] == "&lt;script&gt;alert(1)&lt;/script&gt; &#91;red&#93;What&#91;/red&#93; is this?"
    assert en["Explanation"] == "Because &#91;sound:evil.mp3&#93; &#123;&#123;c1::no&#125;&#125;"
    cloze = note_of(col, "t-cloze", "en")
    assert cloze["Text"] == "The war began in {{c1::1939}}, &lt;script&gt;alert(1)&lt;/script&gt;"
    assert len(cloze.cards()) == 1


def test_arabic_text_survives_intact(tmp_path: Path, col: Collection, teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "ar", "--bank", str(teacher))
    import_apkg(col, out)
    bank = load_bank([teacher]).bank
    checked = 0
    for question in bank.studyable():
        if question.kind in (Kind.CLOZE, Kind.ORDER):
            continue
        note = note_of(col, question.id, "ar")
        assert note.fields[0] == ax.esc(question.prompt.ar)
        assert ax.esc(question.prompt.ar) in note.cards()[0].question()
        checked += 1
    assert checked > 250
    card = note_of(col, "t-card", "ar")
    assert "فُجِّرَتْ القنبلةُ الأولى؟" in card["Prompt"]
    rendered = card.cards()[0].question()
    assert 'dir="rtl"' in rendered and 'lang="ar"' in rendered and "Noto Naskh Arabic" in rendered
    assert col.models.get(card.mid)["flds"][0]["rtl"] is True  # type: ignore[index]  # the editor is RTL too


def test_tags_and_guids(tmp_path: Path, col: Collection, teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "en", "--no-builtin", "--bank", str(teacher))
    import_apkg(col, out)
    note = note_of(col, "t-card", "en")
    assert sorted(note.tags) == ["alpha", "arms-control", "era::early", "kind::card", "source::doc"]
    assert note.guid == genanki.guid_for("t-card", "en")
    generated = [q for q in listed("--no-builtin", "--bank", str(teacher)) if q["generated"]]
    assert generated
    for q in generated:
        assert "generated" in note_of(col, q["id"], "en").tags
    assert not col.db.list("SELECT id FROM notes WHERE guid = ?", genanki.guid_for("t-draft", "en"))  # no drafts


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
    changed = note_of(col, "t-card", "en")
    assert "What is this, now?" in changed["Prompt"]
    after = {row[1]: row for row in notes_snapshot(col)}
    assert {g for g in after if after[g] != before[g]} == {changed.guid}
    assert after[changed.guid][3] == int((T0 + timedelta(hours=1)).timestamp())  # mod = when content changed


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


def test_the_learners_edits_to_unchanged_notes_survive(tmp_path: Path, col: Collection, teacher: Path) -> None:
    v1, v2 = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    args = ("--lang", "en", "--no-builtin", "--bank", str(teacher))
    export(v1, *args, now=T0)
    import_apkg(col, v1)
    mine = note_of(col, "t-choice", "en")
    mine["Explanation"] = "My own mnemonic"
    mine.tags.append("my-tag")
    col.update_note(mine)

    rewrite(teacher, "[red]What[/red] is this?", "What is this, now?")
    export(v2, *args, now=T0 + timedelta(hours=2))
    log = import_apkg(col, v2)
    assert (len(log.new), len(log.updated)) == (0, 1)
    kept = note_of(col, "t-choice", "en")
    assert kept["Explanation"] == "My own mnemonic" and "my-tag" in kept.tags
    assert "What is this, now?" in note_of(col, "t-card", "en")["Prompt"]


def test_package_timestamps_always_increase(tmp_path: Path, teacher: Path) -> None:
    args = ("--lang", "en", "--no-builtin", "--bank", str(teacher))
    mods = []
    for index, now in enumerate((T0, T0, T0 - timedelta(hours=5), T0 + timedelta(minutes=1))):
        out = tmp_path / f"v{index}.apkg"
        export(out, *args, now=now)
        mods.append(package_mod(out))
    assert mods == sorted(mods) and len(set(mods)) == len(mods)
    assert mods[0] == int(T0.timestamp() * 1000)


def test_dry_run_counts_new_changed_and_unchanged_and_writes_nothing(tmp_path: Path, teacher: Path) -> None:
    out = tmp_path / "deck.apkg"
    args = ("--lang", "en", "--no-builtin", "--bank", str(teacher))
    total = len(listed("--no-builtin", "--bank", str(teacher)))
    first = quiz("export", "anki", str(out), *args, "--dry-run")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == f"Would write {total} notes to {out} ({total} new, 0 changed, 0 unchanged since the " \
                           "previous export)\n"
    assert not out.exists()
    export(out, *args)
    written = out.read_bytes()

    rewrite(teacher, "[red]What[/red] is this?", "What is this, now?")
    rewrite(teacher, "  - id: t-tf\n", "  - id: t-tf-renamed\n")  # one removed, one new
    for _ in range(2):  # a dry run records nothing: the second one says the same
        result = quiz("export", "anki", str(out), *args, "--dry-run", now=T0 + timedelta(hours=1))
        assert result.exit_code == 0, result.stderr
        assert result.stdout == (f"Would write {total} notes to {out} (1 new, 1 changed, {total - 2} unchanged, "
                                 "1 no longer exported since the previous export)\n")
    assert out.read_bytes() == written


def test_dry_run_without_a_database_creates_none(tmp_path: Path, teacher: Path) -> None:
    db = tmp_path / "nowhere" / "quiz.db"
    result = quiz("export", "anki", str(tmp_path / "d.apkg"), "--db", str(db), "--dry-run", "--lang", "en",
                  "--no-builtin", "--bank", str(teacher))
    assert result.exit_code == 0, result.stderr
    assert " new, 0 changed, 0 unchanged" in result.stdout
    assert not db.exists() and not db.parent.exists()


# --- frozen identity -------------------------------------------------------------------------------------------------


def test_note_type_ids_and_names_are_frozen() -> None:
    assert {(k.value, lang): nt.id for (k, lang), nt in ax.NOTE_TYPES.items()} == {
        ("card", "ar"): 1794221306, ("card", "en"): 1568992416,
        ("typed", "ar"): 2020317741, ("typed", "en"): 1873263175,
        ("choice", "ar"): 1396996815, ("choice", "en"): 1569925952,
        ("truefalse", "ar"): 1826282201, ("truefalse", "en"): 1727843143,
        ("order", "ar"): 1683175342, ("order", "en"): 1709755217,
        ("cloze", "ar"): 1317165678, ("cloze", "en"): 1432786409,
    }
    assert {k.value: list(v) for k, v in ax.FIELDS.items()} == {
        "card": ["Prompt", "Answer", "Explanation", "Source", "Id"],
        "typed": ["Prompt", "Answer", "Accepted", "Explanation", "Source", "Id"],
        "choice": ["Prompt", "Choices", "Marked", "Answer", "Explanation", "Source", "Id"],
        "truefalse": ["Statement", "Answer", "Explanation", "Source", "Id"],
        "order": ["Prompt", "Items", "Answer", "Explanation", "Source", "Id"],
        "cloze": ["Text", "Explanation", "Source", "Id"],
    }
    assert ax.TOP_DECKS == {"en": "Timeline Quiz (English)", "ar": "مسابقة الخط الزمني (العربية)"}
    assert ax.deck_id("Timeline Quiz (English)") == ax.deck_id("Timeline Quiz (English)")
    assert ax.guid("t-card", "en") == genanki.guid_for("t-card", "en")


def test_every_built_in_era_has_a_frozen_deck_name_and_deck_ids_differ() -> None:
    bank = load_bank().bank
    assert {e.id for e in bank.eras} <= set(ax.ERA_DECKS)
    names = [ax.deck_name(era, lang) for era in ax.ERA_DECKS for lang in ("ar", "en")]
    names += list(ax.TOP_DECKS.values())
    assert len({ax.deck_id(n) for n in names}) == len(names)
    assert ax.deck_name("my-era", "en") == "Timeline Quiz (English)::my-era"


def test_order_items_are_shuffled_the_same_way_every_time_and_never_already_in_order() -> None:
    bank = load_bank().bank
    orders = [q for q in bank.studyable() if q.kind is Kind.ORDER]
    assert orders
    for q in orders:
        first = ax.shuffled_order(q)
        assert first == ax.shuffled_order(q)
        assert sorted(first) == list(range(len(q.items))) and first != sorted(first)
