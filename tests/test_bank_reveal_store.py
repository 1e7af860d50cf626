"""The bank's reveals are found on first need, not by every cold load, and kept beside the bank cache
(`quiz.bank.reveal_store`): a cold load searches nothing, the first use searches once and keeps the result, a
warm load reads it back; a missing, damaged or foreign file is found again and rewritten, a cache folder that
cannot be written to only costs the search; pruning the cache removes it; `quiz validate`'s linter searches once
and keeps what it found."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import run_quiz

from quiz.bank import build_bank, cache, facts, load_bank
from quiz.model import Bank

BANK = """\
sources:
  - {id: notes, title: {ar: ملاحظات, en: Notes}}
eras:
  - {id: middle, start: 1950, end: 1970, title: {ar: الوسط, en: Middle}}
events:
  - id: sat
    date: "1957-10-04"
    era: middle
    title: {ar: إطلاق القمر الصناعي الأول, en: The launch of the first satellite}
    source: {doc: notes}
questions:
"""


def q(qid: str, answer: str, explanation: str = "Because.", events: str = "") -> str:
    link = f"events: [{events}], " if events else ""
    return (f"  - {{id: {qid}, kind: typed, era: middle, {link}prompt: {{ar: س {qid}, en: 'Question {qid}?'}}, "
            f"answer: {{ar: ج {qid}, en: '{answer}'}}, explanation: {{ar: ش, en: '{explanation}'}}, "
            "source: {doc: notes}}\n")


QUESTIONS = (q("sat-name", "Sputnik", events="sat") + q("speech", "Kitchen debate", "Nixon met Khrushchev.")
             + q("who", "Khrushchev") + q("spy", "Laika", "Sputnik carried her in 1957.", events="sat"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small teacher bank with reveals (`speech` shows `who`'s answer, `spy` shows `sat-name`'s and the
    launch's year)."""
    root = tmp_path / "bank"
    root.mkdir()
    (root / "bank.yaml").write_text(BANK + QUESTIONS, encoding="utf-8")
    return root


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each reveal search run (`quiz.bank.facts._ready`, where each begins), counted; nothing remembered from an
    earlier one."""
    facts.forget()
    calls: list[int] = []
    search = facts._ready

    def counted(questions: Any, events: Any, first: Any = None) -> Any:
        calls.append(len(questions))
        return search(questions, events, first)

    monkeypatch.setattr(facts, "_ready", counted)
    return calls


def eager(bank: Bank) -> dict[str, tuple[str, ...]]:
    """The reveals as every cold load found them before: `reveal_map` of the bank's questions and events."""
    facts.forget()
    try:
        return facts.reveal_map(tuple(bank.questions), tuple(bank.events))
    finally:
        facts.forget()


def load(folder: Path, cache_dir: Path) -> Bank:
    return load_bank([folder], builtin=False, cache_dir=cache_dir).bank


def side_files(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("bank-*.reveals"))


def test_a_cold_load_searches_nothing_and_the_first_use_searches_once(
        folder: Path, tmp_path: Path, searches: list[int]) -> None:
    bank = load(folder, tmp_path / "cache")
    assert searches == []
    assert side_files(tmp_path / "cache") == []
    found = dict(bank.reveals)
    assert len(searches) == 1
    assert "who" in found["speech"] and "sat-name" in found["spy"]
    assert dict(bank.reveals) == found and len(searches) == 1  # kept in the bank
    [kept] = side_files(tmp_path / "cache")
    assert kept.name == next((tmp_path / "cache").glob("bank-*.pickle")).with_suffix(".reveals").name
    assert found == eager(bank)


def test_a_warm_load_reads_the_kept_reveals_without_searching(
        folder: Path, tmp_path: Path, searches: list[int]) -> None:
    found = dict(load(folder, tmp_path / "cache").reveals)
    assert len(searches) == 1
    warm = load(folder, tmp_path / "cache")
    assert warm.by_id.__class__ is not dict  # really from the cache
    assert dict(warm.reveals) == found
    assert len(searches) == 1


def test_a_warm_load_before_any_use_searches_on_first_use_and_keeps_it(
        folder: Path, tmp_path: Path, searches: list[int]) -> None:
    load(folder, tmp_path / "cache")
    warm = load(folder, tmp_path / "cache")
    assert searches == []
    found = dict(warm.reveals)
    assert len(searches) == 1 and found == eager(warm)
    assert dict(load(folder, tmp_path / "cache").reveals) == found
    assert len(searches) == 2  # `eager`'s own search, none for the third load


def test_the_builtin_banks_reveals_are_those_the_eager_search_found(tmp_path: Path, searches: list[int]) -> None:
    bank = load_bank(cache_dir=tmp_path / "cache").bank
    assert searches == []
    found = dict(bank.reveals)
    assert found and found == eager(bank)
    assert dict(load_bank(cache_dir=tmp_path / "cache").bank.reveals) == found


def test_without_a_cache_folder_the_reveals_are_found_once_in_memory(searches: list[int]) -> None:
    bank = build_bank([("bank.yaml", (BANK + QUESTIONS).encode())]).bank
    assert searches == []
    assert "who" in bank.reveals["speech"]
    assert dict(bank.reveals) == eager(bank)
    assert len(searches) == 2  # the first use, and `eager`'s


def damage_truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def damage_flip(data: bytes) -> bytes:
    return data[:-3] + bytes([data[-3] ^ 1]) + data[-2:]


def damage_garbage(data: bytes) -> bytes:
    return b"\x00\xff" * 40


def damage_empty(data: bytes) -> bytes:
    return b""


@pytest.mark.parametrize("damage", [damage_truncate, damage_flip, damage_garbage, damage_empty])
def test_a_damaged_reveals_file_is_found_again_and_rewritten(
        folder: Path, tmp_path: Path, searches: list[int], capfd: pytest.CaptureFixture[str],
        damage: Callable[[bytes], bytes]) -> None:
    found = dict(load(folder, tmp_path / "cache").reveals)
    [kept] = side_files(tmp_path / "cache")
    good = kept.read_bytes()
    kept.write_bytes(damage(good))
    again = load(folder, tmp_path / "cache")
    assert dict(again.reveals) == found
    assert len(searches) == 2
    assert kept.read_bytes() == good  # rewritten
    assert capfd.readouterr().err == ""


def test_a_reveals_file_of_another_bank_is_not_taken(folder: Path, tmp_path: Path, searches: list[int]) -> None:
    found = dict(load(folder, tmp_path / "cache").reveals)
    [kept] = side_files(tmp_path / "cache")
    other = tmp_path / "other"
    other.mkdir()
    (other / "bank.yaml").write_text(BANK + q("solo", "Laika"), encoding="utf-8")
    load(other, tmp_path / "cache")
    theirs = next(p for p in (tmp_path / "cache").glob("bank-*.pickle") if p.with_suffix(".reveals") != kept)
    theirs.with_suffix(".reveals").write_bytes(kept.read_bytes())  # ours, under their name
    theirs_found = dict(load(other, tmp_path / "cache").reveals)
    assert "speech" not in theirs_found and theirs_found == eager(load(other, tmp_path / "cache"))
    assert dict(load(folder, tmp_path / "cache").reveals) == found
    assert len(searches) == 3  # ours, theirs (ours under their name is not taken), `eager`'s; ours read back


def test_a_crafted_reveals_file_is_never_an_error(folder: Path, tmp_path: Path) -> None:
    from quiz.bank import reveal_store

    load(folder, tmp_path / "cache")
    [pickle] = (tmp_path / "cache").glob("bank-*.pickle")
    key = pickle.name[len("bank-"):-len(".pickle")]
    side = pickle.with_suffix(".reveals")
    for text in ("no tab here\nnor here", "\t\t\t", "a\tb,\t,c\n\n", "\udcff\t\udcfe"):
        assert reveal_store._write(side, key, text)
        bank = load(folder, tmp_path / "cache")
        assert isinstance(dict(bank.reveals), dict)  # taken as written: whatever it says, it is read
        assert bank.reveals.get("speech", ()) == dict(bank.reveals).get("speech", ())


def test_a_cache_folder_that_cannot_be_written_still_gives_the_reveals(
        folder: Path, tmp_path: Path, searches: list[int], monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    from quiz.bank import reveal_store

    bank = load(folder, tmp_path / "cache")

    def refused(*args: Any, **kwargs: Any) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(reveal_store.os, "replace", refused)
    found = dict(bank.reveals)
    assert found == eager(bank)
    assert side_files(tmp_path / "cache") == []
    assert [p.name for p in (tmp_path / "cache").iterdir() if "reveals" in p.name] == []  # no temporary file left
    assert capfd.readouterr().err == ""


def test_a_full_cache_folder_still_gives_the_reveals(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz.bank import reveal_store

    bank = load(folder, tmp_path / "cache")
    real_open = open

    def full(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            raise OSError(28, "No space left on device")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(reveal_store, "open", full, raising=False)
    assert dict(bank.reveals) == eager(bank)
    assert side_files(tmp_path / "cache") == []


def test_pruning_the_cache_removes_the_reveals_of_a_pruned_bank(folder: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    assert dict(load(folder, cache_dir).reveals)
    [ours] = cache_dir.glob("bank-*.pickle")
    assert ours.with_suffix(".reveals").exists()
    os.utime(ours, (1_000_000, 1_000_000))  # the oldest entry: the first to go
    for n in range(8):
        other = tmp_path / f"other-{n}"
        other.mkdir()
        (other / "bank.yaml").write_text(BANK + q(f"solo-{n}", "Laika"), encoding="utf-8")
        dict(load(other, cache_dir).reveals)
    assert not ours.exists()
    assert not ours.with_suffix(".reveals").exists()
    assert len(side_files(cache_dir)) == 8
    assert {p.with_suffix(".pickle") for p in side_files(cache_dir)} == set(cache_dir.glob("bank-*.pickle"))


def test_after_quiz_validate_the_reveals_are_kept_and_a_later_load_searches_nothing(
        folder: Path, tmp_path: Path, searches: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(cache_dir))
    result = run_quiz("validate", "--no-builtin", "--bank", str(folder))
    assert "question 'speech' shows 'khrushchev' in its English explanation, the answer of 'who'" in result.stdout
    assert len(searches) == 1  # the linter's, kept for the reveals file: the load searched nothing
    assert len(side_files(cache_dir)) == 1
    bank = load(folder, cache_dir)
    found = dict(bank.reveals)
    assert len(searches) == 1
    assert found == eager(bank)


def test_the_cache_no_longer_carries_the_reveals(folder: Path, tmp_path: Path) -> None:
    load(folder, tmp_path / "cache")
    [pickle] = (tmp_path / "cache").glob("bank-*.pickle")
    assert b"Khrushchev" in pickle.read_bytes()  # the questions, as ever
    assert b"speech\twho" not in pickle.read_bytes()
    assert cache.CACHE_FORMAT >= 13


def test_a_study_day_finds_the_reveals_before_it_looks_up_any_question(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A session's day plan is made first, so the search (forked into parts on a large bank) starts from a
    process holding no question decoded (pages a part would otherwise copy)."""
    import random
    from datetime import datetime, timezone

    from quiz.scheduler import Scheduler, SchedulerConfig
    from quiz.session import Limits, new_session
    from quiz.workspace import open_workspace

    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    load(folder, tmp_path / "cache")
    bank = load(folder, tmp_path / "cache")  # warm, no reveals file yet
    ws = open_workspace(tmp_path / "quiz.db", bank, "default", now)
    bank = load(folder, tmp_path / "cache")  # nothing decoded yet (the workspace's sync decoded its own)
    facts.forget()
    decoded_at_search: list[int] = []
    search = facts._ready

    def watched(questions: Any, events: Any, first: Any = None) -> Any:
        decoded_at_search.append(sum(chunk is not None for chunk in bank.questions._chunks))  # type: ignore[attr-defined]
        return search(questions, events, first)

    monkeypatch.setattr(facts, "_ready", watched)
    session = new_session(ws.store, bank, Scheduler(SchedulerConfig(fuzz=False)), profile="default", lang="en",
                          now=now, day="2026-03-02", day_end=now.replace(day=3, hour=4), only=None,
                          limits=Limits(), rng=random.Random(1))
    assert decoded_at_search == [0]
    assert session.held_back >= 1  # `speech` and `who` (or the two sharing the launch) never on one day


def test_pruning_removes_what_a_write_killed_midway_left_but_not_a_write_under_way(
        folder: Path, tmp_path: Path) -> None:
    from quiz.bank import reveal_store

    cache_dir = tmp_path / "cache"
    dict(load(folder, cache_dir).reveals)
    [kept] = side_files(cache_dir)
    left = kept.with_suffix(".reveals-tmp4242")  # a process killed while writing it, long ago
    left.write_bytes(b"half")
    os.utime(left, (1_000_000, 1_000_000))
    writing = kept.with_suffix(".reveals-tmp4343")  # another process writing it now
    writing.write_bytes(b"half")
    reveal_store.prune(cache_dir)
    assert not left.exists() and writing.exists() and kept.exists()
