"""A cold load read on two cores (`quiz.bank.read_split`) gives exactly what one process gives: the same problems
in the same order, the same bank, the same questions in the same places; and when a file of the child's part
depends on one of this process's part in a way the child could not see, its part is read here again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quiz.bank.read_split as read_split
from quiz.bank import LoadResult, build_bank, builtin_dir, load_bank

BUILTIN = sorted(builtin_dir().glob("*.yaml"))
FILES = {f"bank/{path.name}": path.read_bytes() for path in BUILTIN}


@pytest.fixture(autouse=True)
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")


def _merges(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    used: list[int] = []
    merge = read_split._merge

    def counted(*args: Any) -> None:
        used.append(1)
        merge(*args)

    monkeypatch.setattr(read_split, "_merge", counted)
    return used


def _same(serial: LoadResult, split: LoadResult) -> None:
    assert [str(p) for p in split.problems] == [str(p) for p in serial.problems]
    assert split.problems == serial.problems
    assert split.files == serial.files
    one, two = serial.bank, split.bank
    assert [(q, q.loc, q.bank) for q in two.questions] == [(q, q.loc, q.bank) for q in one.questions]
    assert tuple(two.events) == tuple(one.events) and two.eras == one.eras and two.documents == one.documents
    assert two.infos == one.infos and two.fingerprint == one.fingerprint
    assert dict(two.hashes) == dict(one.hashes) and dict(two.links) == dict(one.links)
    assert dict(two.reveals) == dict(one.reveals)


def both(files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> tuple[LoadResult, LoadResult, bool]:
    """(read in one process, read split, whether the child's reading was kept)."""
    blobs = list(files.items())
    serial = build_bank(blobs, _split_at=1 << 60)
    used = _merges(monkeypatch)
    split = build_bank(blobs, _split_at=0)
    monkeypatch.undo()
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    _same(serial, split)
    return serial, split, bool(used)


def test_the_built_in_bank_read_split_is_the_bank_read_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    serial, _, used = both(FILES, monkeypatch)
    assert used and not serial.errors and len(serial.bank.questions) > 100


def test_one_worker_reads_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "1")
    used = _merges(monkeypatch)
    blobs = list(FILES.items())
    assert build_bank(blobs, _split_at=0) == build_bank(blobs, _split_at=1 << 60)
    assert not used


def _parts(files: dict[str, bytes] = FILES) -> tuple[list[str], list[str]]:
    """The files this process reads while the child reads its own, and the child's, as `build_bank` splits."""
    names = list(files)
    declares = [raw.startswith(b"bank") or b"\nbank:" in raw for raw in files.values()]
    order = sorted(range(len(names)), key=lambda i: not declares[i])
    parts = read_split.split(order, [len(raw) for raw in files.values()], [not d for d in declares], 0)
    assert parts is not None
    return [names[i] for i in parts[1]], [names[i] for i in parts[2]]


def _last_two(files: dict[str, bytes] = FILES) -> tuple[str, str]:
    """The last file with questions this process reads and the child's first."""
    here, child = _parts(files)
    return ([name for name in here if b"\nquestions:" in files[name]][-1],
            [name for name in child if b"\nquestions:" in files[name]][0])


def test_a_duplicate_id_across_the_split_is_read_again_here(monkeypatch: pytest.MonkeyPatch) -> None:
    before, after = _last_two()
    def first_question(raw: bytes) -> bytes:
        return raw.split(b"\nquestions:\n", 1)[1].split(b"- id:", 1)[1].split(b"\n", 1)[0]

    files = dict(FILES)
    head, questions = files[after].split(b"\nquestions:\n", 1)
    questions = questions.replace(b"- id:" + first_question(files[after]) + b"\n",
                                  b"- id:" + first_question(files[before]) + b"\n", 1)
    files[after] = head + b"\nquestions:\n" + questions
    serial, _, used = both(files, monkeypatch)
    assert not used and any("duplicate" in p.message for p in serial.problems)


def test_a_missing_translation_before_the_split_stays_the_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first event after it (with both titles) does not take it for its own (it once did: `Checker._event`
    looked back at the problem found last, whoever it was about)."""
    before, after = _last_two()
    event = (b"events:\n  - id: peek-event\n    date: 1990\n    era: post-soviet\n"
             b"    title: {ar: \xd8\xad\xd8\xaf\xd8\xab, en: An event}\n")
    files = dict(FILES)
    files[before] = files[before] + b"\n  - id: last-one\n    kind: typed\n    era: post-soviet\n" \
        b"    prompt: {ar: \xd8\xb3\xd8\xa4\xd8\xa7\xd9\x84\xd8\x9f, en: A question?}\n" \
        b"    answer: {ar: \xd8\xac\xd9\x88\xd8\xa7\xd8\xa8, en: An answer}\n    explanation: {en: Only English.}\n" \
        b"    source: {doc: timeline, era: post-soviet, para: 1}\n"
    files[after] = event + b"questions:\n" + files[after].split(b"questions:\n", 1)[1] \
        if b"events:" not in files[after] else files[after]
    serial, _, used = both(files, monkeypatch)
    assert [(p.path, p.message) for p in serial.problems] == [
        (before, "typed question 'last-one' has no Arabic explanation; add explanation.ar")] and used


def test_the_child_sends_back_only_the_references_it_could_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reference the child's own files define later (a forward era) is resolved there and not sent back; one
    to what this process's part defines (the eras of eras.yaml) or to nothing is sent, and checked here as one
    process checks it: the same problems (an unknown era reported once, where it is named)."""
    _, child = _parts()
    first, last = child[0], child[-1]

    def typed(qid: str, era: str) -> bytes:
        return (f"  - id: {qid}\n    kind: typed\n    era: {era}\n    prompt: {{ar: سؤال؟, en: A question?}}\n"
                f"    answer: {{ar: جواب, en: An answer}}\n    explanation: {{ar: شرح, en: Why}}\n"
                f"    source: {{doc: timeline, era: post-soviet, para: 1}}\n").encode()
    files = dict(FILES)
    head, questions = files[first].split(b"\nquestions:\n", 1)
    files[first] = head + b"\nquestions:\n" + typed("forward-era", "late-extra") + typed("nowhere-era", "nowhere") \
        + questions
    files[last] += ("\neras:\n  - id: late-extra\n    start: 2030\n    end: 2040\n"
                    "    title: {ar: حقبة لاحقة, en: A later era}\n").encode()
    sent: list[set[str]] = []
    merge = read_split._merge

    def noted(checker: Any, delta: dict[str, Any], store: Any) -> None:
        sent.append({era for era, *_ in delta["era_refs"]})
        merge(checker, delta, store)

    monkeypatch.setattr(read_split, "_merge", noted)
    blobs = list(files.items())
    split = build_bank(blobs, _split_at=0)
    monkeypatch.undo()
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    _same(build_bank(blobs, _split_at=1 << 60), split)
    import re

    named = {era.decode() for name in child for era in re.findall(rb"\n    era: ([\w-]+)", files[name])}
    assert sent == [named - {"late-extra"}] and "nowhere" in named  # eras.yaml is read by this process
    unknown = [p.message for p in split.problems if p.rule == "Q205"]
    assert len(unknown) == 1 and unknown[0].startswith("typed question 'nowhere-era' names era 'nowhere', which is "
                                                       "not defined (use one of: c19, world-wars,")


def test_a_bank_described_after_the_split_is_read_again_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A `bank:` the files were not ordered by (a quoted key): its id is that of the files after it."""
    files = {name: raw for name, raw in FILES.items() if name != "bank/bank.yaml"}
    before, _ = _last_two(files)
    files[before] = b'"bank": {id: another}\n' + files[before]
    serial, _, used = both(files, monkeypatch)
    assert not used and {q.bank for q in serial.bank.questions} == {"bank", "another"}


def test_a_child_that_fails_costs_only_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_split._Collected, "add", lambda self, questions: 1 / 0)
    blobs = list(FILES.items())
    assert build_bank(blobs, _split_at=0) == build_bank(blobs, _split_at=1 << 60)


def test_load_bank_split_caches_the_same_bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold load read split writes a cache: its digests came back from the child."""
    monkeypatch.setattr(read_split, "SPLIT_BYTES", 0)
    cold = load_bank(builtin=True, cache_dir=tmp_path / "c")
    assert list((tmp_path / "c").glob("bank-*.pickle"))
    warm = load_bank(builtin=True, cache_dir=tmp_path / "c")
    _same(cold, warm)
    monkeypatch.setattr(read_split, "SPLIT_BYTES", 1 << 60)
    _same(load_bank(builtin=True, cache_dir=tmp_path / "d"), cold)


LINES = sorted({line for raw in FILES.values() for line in raw.splitlines() if b"id:" in line})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(sorted(FILES)), st.sampled_from(LINES), st.integers(0, 400)),
                max_size=4),
       dropped=st.sets(st.sampled_from(sorted(FILES)), max_size=3))
def test_any_mix_of_files_and_stray_ids_reads_the_same_split(
        edits: list[tuple[str, bytes, int]], dropped: set[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids copied into other files (duplicates, across the split or not, broken YAML too), files left out."""
    files = dict(FILES)
    for name, line, at in edits:
        lines = files[name].splitlines(keepends=True)
        lines.insert(min(at, len(lines)), line + b"\n")
        files[name] = b"".join(lines)
    for name in dropped:
        files.pop(name, None)
    both(files, monkeypatch)


def test_no_temporary_file_reads_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refused(**kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)
    used = _merges(monkeypatch)
    blobs = list(FILES.items())
    assert build_bank(blobs, _split_at=0) == build_bank(blobs, _split_at=1 << 60)
    assert not used
