"""`quiz.export.stale_records` (what `quiz validate` reports of a record, the record not built) counts
what `refreshed` changes: changed and missing hashes, missing languages, entries of ids not in the bank or of
drafts; a broken record is the same error."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from quiz.bank import load_bank
from quiz.errors import ExportError
from quiz.export import revisions, stale_records
from quiz.export.stale_records import StaleRecords
from quiz.model import LANGS, Lang, Question

NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)


def test_stale_records_count_what_refreshed_changes(tmp_path: Path) -> None:
    questions = list(load_bank().bank.questions)
    questions[3] = dataclasses.replace(questions[3], draft=True)
    current, _ = revisions.refreshed(revisions.Record({}), questions, NOW)
    entries = {qid: dict(langs) for qid, langs in current.entries.items()}
    first, second, third = sorted(entries)[:3]
    entries[first]["en"] = ("0" * 20, entries[first]["en"][1])  # a changed hash
    del entries[second]["ar"]  # a missing language
    del entries[third]  # a question not in the record
    entries["gone-question"] = {"ar": ("1" * 20, "2026-01-01T00:00:00Z")}  # an id no longer in the bank
    entries[questions[3].id] = {"ar": ("2" * 20, "2026-01-01T00:00:00Z"), "en": ("3" * 20, "2026-01-01T00:00:00Z")}
    record = revisions.Record(entries)
    (tmp_path / "revisions.json").write_text(revisions.record_text(record), encoding="utf-8")
    expected = revisions.refreshed(record, questions, NOW)[1]
    assert expected == 1 + 1 + 2 + 1 + 2
    assert reference_stale_entries(tmp_path, questions) == expected
    assert counted_on_parts(tmp_path, questions) == [(tmp_path / "revisions.json", expected)]
    # the same record laid out otherwise (by hand, or by another tool): read whole, the same count
    laid_out = json.loads(revisions.record_text(record))
    (tmp_path / "revisions.json").write_text(json.dumps(laid_out, indent=4, ensure_ascii=False), encoding="utf-8")
    assert reference_stale_entries(tmp_path, questions) == expected
    assert counted_on_parts(tmp_path, questions) == [(tmp_path / "revisions.json", expected)]
    # out of order half way (a hand merge): read again whole, the same count
    lines = revisions.record_text(record).split("\n")
    middle = len(lines) // 2
    lines[middle], lines[middle + 1] = lines[middle + 1], lines[middle]
    (tmp_path / "revisions.json").write_text("\n".join(lines), encoding="utf-8")
    assert reference_stale_entries(tmp_path, questions) == expected
    assert counted_on_parts(tmp_path, questions) == [(tmp_path / "revisions.json", expected)]
    (tmp_path / "revisions.json").write_text(revisions.record_text(record), encoding="utf-8")
    current_text = revisions.record_text(revisions.refreshed(record, questions, NOW)[0])
    (tmp_path / "revisions.json").write_text(current_text, encoding="utf-8")
    assert reference_stale_entries(tmp_path, questions) == 0
    assert counted_on_parts(tmp_path, questions) == []


def reference_stale_entries(folder: Path, questions: Iterable[Question]) -> int:
    """How many entries of the record in `folder` `refreshed` changes for `questions` (its bank's), counted
    plainly (what `quiz validate` counted before `quiz.export.stale_records`)."""
    try:
        record = {qid: tuple(e[0] if e else None for e in map(langs.get, LANGS))
                  for qid, langs in revisions.record_pairs(folder)}
    except revisions.NotLaidOut:
        record = {qid: tuple(e[0] if e else None for e in map(langs.get, LANGS))
                  for qid, langs in revisions.record_pairs(folder, whole=True)}
    done: set[str] = set()
    changed = 0
    for q in questions:
        if q.draft:
            continue
        for lang, old in zip(LANGS, record.get(q.id, (None,) * len(LANGS)), strict=True):
            if old is None or old != revisions.lang_hash(q, lang):
                changed += 1
        done.add(q.id)
    return changed + sum(len(v) - v.count(None) for k, v in record.items() if k not in done)


def counted_on_parts(folder: Path, questions: list[Question]) -> list[tuple[Path, int]]:
    """`StaleRecords` as the linter runs it: parts shown the questions dealt out in turn (blocks of 7, a
    question of one id in two parts included), merged; a bank without a record is left out. The same whether
    each part reads the records or they were read ahead, in a forked child (as `quiz validate` does)."""
    folders = {questions[0].bank: folder, "other": folder / "nowhere"}
    counts = []
    for read in (None, read_ahead_forked([folder, folder / "nowhere"])):
        rider = StaleRecords(folders, read)
        parts = [rider.part() for _ in range(3)]
        for at, question in enumerate([*questions, questions[5]]):
            parts[at // 7 % 3].visit(question)
        counts.append(rider.merged([part.result() for part in parts]))
    assert counts[0] == counts[1]
    return counts[0]


def read_ahead_forked(folders: list[Path]) -> dict[Path, Any]:
    """`stale_records.read_ahead` of `folders`, in a forked child whatever the records' size."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stale_records, "READ_AHEAD_BYTES", 0)
        patch.setenv("QUIZ_WORKERS", "2")
        with stale_records.read_ahead(folders, builtin=False) as ahead:
            return ahead.result()


def test_a_broken_record_is_the_same_error(tmp_path: Path) -> None:
    questions = list(load_bank().bank.questions)
    text = revisions.record_text(revisions.refreshed(revisions.Record({}), questions, NOW)[0])
    (tmp_path / "revisions.json").write_text(text.replace("Z\"]", "?\"]", 1), encoding="utf-8")
    with pytest.raises(ExportError, match="the revision record is not valid"):
        revisions.read_record(tmp_path)
    with pytest.raises(ExportError, match="the revision record is not valid"):
        reference_stale_entries(tmp_path, questions)
    with pytest.raises(ExportError, match="the revision record is not valid"):
        StaleRecords({questions[0].bank: tmp_path}).part()
    with pytest.raises(ExportError, match="the revision record is not valid"):  # read ahead: the child fails
        read_ahead_forked([tmp_path])


def test_records_are_read_ahead_in_a_child_only_when_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    questions = list(load_bank().bank.questions)
    (tmp_path / "revisions.json").write_text(
        revisions.record_text(revisions.refreshed(revisions.Record({}), questions, NOW)[0]), encoding="utf-8")
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    forks: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    small = stale_records.read_ahead([tmp_path], builtin=False)
    assert forks == []  # the built-in bank's record (~40 KB): read when wanted, here
    assert list(small.result()) == [tmp_path]
    monkeypatch.setattr(stale_records, "READ_AHEAD_BYTES", (tmp_path / "revisions.json").stat().st_size)
    with stale_records.read_ahead([tmp_path], builtin=False) as large:
        assert forks == [1]
        assert list(large.result()) == [tmp_path]


def plain_lang_hash(q: Question, lang: Lang) -> str:
    """The record's hash as its format defines it, field by field (what `lang_hash` gave before both languages
    were hashed together)."""
    from hashlib import blake2b

    sep, end = "\x1f", "\x1e"
    source = "" if q.source is None else f"{q.source.doc}{sep}{q.source.era}{sep}{q.source.para}"
    parts = [q.kind.value, q.era, q.prompt.get(lang), q.answer.get(lang), q.explanation.get(lang), source,
             sep.join(q.accept.get(lang)),
             sep.join(c.get(lang) for c in q.choices),
             sep.join(f"{i.text.get(lang)}{sep}{i.year}" for i in q.items),
             str(q.truth), str(q.tolerance), sep.join(q.tags)]
    return blake2b(end.join(parts).encode("utf-8"), digest_size=10).hexdigest()


def test_both_languages_hashed_together_are_each_languages_hash() -> None:
    questions = list(load_bank().bank.questions)
    one_sided = dataclasses.replace(questions[0], prompt=dataclasses.replace(questions[0].prompt, en=""))
    for question in [*questions, one_sided]:
        expected = tuple(plain_lang_hash(question, lang) for lang in LANGS)
        assert revisions.lang_hashes(question) == expected
        assert tuple(revisions.lang_hash(question, lang) for lang in LANGS) == expected
        assert revisions.lang_hashes(question, ("en",)) == expected[LANGS.index("en"):][:1]
    assert revisions.lang_hash(one_sided, "en") != revisions.lang_hash(questions[0], "en")


def test_hashes_that_only_join_up_to_the_current_ones_are_changed(tmp_path: Path) -> None:
    # A record edited by hand (or by another tool) may hold hashes of other lengths: an entry whose two hashes,
    # put together, spell the current two is still changed in both languages (the common case is told by one
    # comparison of an id's hashes together, `_Record.unchanged`, then of where they part).
    questions = list(load_bank().bank.questions)
    current, _ = revisions.refreshed(revisions.Record({}), questions, NOW)
    entries = {qid: dict(langs) for qid, langs in current.entries.items()}
    qid = questions[0].id
    ar, en = entries[qid]["ar"], entries[qid]["en"]
    entries[qid] = {"ar": (ar[0] + en[0][:1], ar[1]), "en": (en[0][1:], en[1])}
    record = revisions.Record(entries)
    (tmp_path / "revisions.json").write_text(revisions.record_text(record), encoding="utf-8")
    assert revisions.refreshed(record, questions, NOW)[1] == 2
    assert reference_stale_entries(tmp_path, questions) == 2
    assert counted_on_parts(tmp_path, questions) == [(tmp_path / "revisions.json", 2)]
