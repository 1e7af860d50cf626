"""The linter split over processes (`quiz.parallel.split_run`: the questions' own checks by blocks dealt out to
the parts, the near-duplicate search one language a part) finds exactly what it finds in one process, in the same
order, with findings and near-duplicate pairs that cross the blocks and the parts."""

from __future__ import annotations

import sys

import pytest
from conftest import bank_header, run_quiz

from quiz.bank import LoadResult, build_bank, early_checks, lint, load_bank
from quiz.export import stale_records
from quiz.model import Bank, Question

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="splits fork on Linux only")


def card(qid: str, en: str, ar: str) -> str:
    return (f"  - id: {qid}\n    kind: card\n    era: middle\n    prompt: {{ar: {ar}, en: {en}}}\n"
            "    answer: {ar: جواب, en: An answer}\n    explanation: {ar: شرح, en: Why}\n"
            "    source: {doc: notes, era: middle, para: 1}\n")


def choice(qid: str, answer: str, *others: str) -> str:
    options = [answer, *others]
    lines = "".join(f"      - {{ar: خيار {qid} {i}, en: {e}}}\n" for i, e in enumerate(options))
    return (f"  - id: {qid}\n    kind: choice\n    era: middle\n    prompt: {{ar: سؤال {qid}؟, en: Question {qid}?}}\n"
            f"    answer: {{ar: خيار {qid} 0, en: {answer}}}\n    choices:\n{lines}"
            "    explanation: {ar: شرح, en: Why}\n    source: {doc: notes, era: middle, para: 1}\n")


def typed(qid: str, en: str, ar: str, answer: str) -> str:
    return (f"  - id: {qid}\n    kind: typed\n    era: middle\n    prompt: {{ar: {ar}, en: {en}}}\n"
            f"    answer: {{ar: \"{answer}\", en: \"{answer}\"}}\n    explanation: {{ar: شرح, en: Why}}\n"
            "    source: {doc: notes, era: middle, para: 1}\n")


def findings(bank: object, known: object, monkeypatch: pytest.MonkeyPatch, workers: str) -> list[tuple]:
    monkeypatch.setenv("QUIZ_WORKERS", workers)
    return [(p.path, p.line, p.severity, p.code, p.rule, p.message) for p in lint.lint(bank, known)]  # type: ignore[arg-type]


def bank_text(blocks: int = 12) -> str:
    text = ("events:\n  - id: sputnik-launch\n    date: 1957\n    era: middle\n"
            "    title: {ar: إطلاق القمر الصناعي سبوتنيك, en: Sputnik satellite launch}\n"
            "    detail: {ar: شرح, en: Why}\n    source: {doc: notes, era: middle, para: 1}\nquestions:\n")
    for n in range(blocks):  # near-duplicates, faults and links in every block, pairs across blocks and parts
        text += card(f"sputnik-{n}", f"Which country launched the satellite Sputnik {n} in 1957?",
                     f"أي دولة أطلقت القمر الصناعي سبوتنيك {n} عام 1957؟")
        text += card(f"sputnik-{n}-again", f"Which country launched the Sputnik {n} satellite in 1957?",
                     f"ما الدولة التي أطلقت سبوتنيك {n}؟")
        text += choice(f"lend-{n}", "Lend-Lease", "Lend Lease", f"Marshall Plan {n}")
        text += typed(f"late-{n}", f"In which year did thing {n} happen?", f"في أي عام حدث الشيء {n}؟", "1999")
        text += card(f"swap-{n}", f"سؤال {n}", f"Question {n}")
    return text


def test_a_split_lint_finds_what_one_process_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    text = bank_text()
    result = build_bank([("bank/_header.yaml", bank_header("notes", ("early", "middle")).encode()),
                         ("bank/q.yaml", text.encode())])
    alone = findings(result.bank, result.problems, monkeypatch, "1")
    assert {rule for *_, rule, _ in alone} >= {"Q401", "Q403", "Q404", "Q406", "Q408"}
    monkeypatch.setattr(lint, "SPLIT_AT", 0)
    monkeypatch.setattr(lint, "BLOCK", 3)
    assert findings(result.bank, result.problems, monkeypatch, "2") == alone
    assert findings(result.bank, result.problems, monkeypatch, "3") == alone
    assert findings(result.bank, result.problems, monkeypatch, "1") == alone


def test_a_bank_of_more_blocks_than_runs_is_linted_as_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `quiz.parallel.MAX_RUNS` blocks (a bank of millions), a run is several blocks: the same findings."""
    result = build_bank([("bank/_header.yaml", bank_header("notes", ("early", "middle")).encode()),
                         ("bank/q.yaml", bank_text().encode())])
    alone = findings(result.bank, result.problems, monkeypatch, "1")
    monkeypatch.setattr(lint, "SPLIT_AT", 0)
    monkeypatch.setattr(lint, "BLOCK", 2)
    monkeypatch.setattr(lint, "MAX_RUNS", 7)  # 32 blocks: 7 runs of 5 blocks, the last one of 2
    assert findings(result.bank, result.problems, monkeypatch, "2") == alone


def test_the_builtin_bank_split_is_linted_as_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    result = load_bank([], builtin=True, cache_dir=None)
    alone = findings(result.bank, result.problems, monkeypatch, "1")
    monkeypatch.setattr(lint, "SPLIT_AT", 0)
    monkeypatch.setattr(lint, "BLOCK", 17)
    assert findings(result.bank, result.problems, monkeypatch, "2") == alone


@pytest.mark.usefixtures("workdir")
def test_validate_of_a_large_bank_prints_what_it_prints_in_one_process(tmp_path: object,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A large bank's revision records are read ahead in a child while it loads, its first questions checked in
    a child while it generates the rest, the records worked out in the linter's parts, its near-duplicates
    searched one language a part: the same report."""
    from pathlib import Path

    folder = Path(str(tmp_path)) / "bank"
    folder.mkdir()
    (folder / "_header.yaml").write_text(bank_header("notes", ("early", "middle")), encoding="utf-8")
    (folder / "q.yaml").write_text(bank_text(30), encoding="utf-8")
    assert run_quiz("validate", "--fix", "--no-builtin", "--bank", folder).exit_code == 1  # Q401 errors
    (folder / "q.yaml").write_text(bank_text(30).replace("Which country launched the satellite Sputnik 3",
                                                       "Which country sent the satellite Sputnik 3"), encoding="utf-8")
    args = ("validate", "--no-builtin", "--bank", folder)
    alone = run_quiz(*args, env={"QUIZ_WORKERS": "1"})
    assert "the revision record is stale (1 entries)" in alone.stdout and alone.exit_code == 1
    monkeypatch.setattr(lint, "SPLIT_AT", 0)
    monkeypatch.setattr(lint, "BLOCK", 5)
    monkeypatch.setattr(stale_records, "READ_AHEAD_BYTES", 0)  # the record read in a child while the bank loads
    monkeypatch.setattr(early_checks, "AT_LEAST", 0)  # the own checks begun in a child while the bank generates
    stop = early_checks.EarlyChecks.stop
    monkeypatch.setattr(early_checks.EarlyChecks, "stop", lambda self, wait=False: stop(self, wait=True))  # all of them
    for workers in ("2", "1"):
        split = run_quiz(*args, env={"QUIZ_WORKERS": workers})
        assert (split.stdout, split.stderr, split.exit_code) == (alone.stdout, alone.stderr, alone.exit_code)


class _Seen:
    """A rider that notes, part by part, the process it ran in and the questions it was shown."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def visit(self, question: Question) -> None:
        self.ids.append(question.id)

    def result(self) -> tuple[int, list[str]]:
        import os

        return os.getpid(), self.ids


class _Rider:
    def part(self) -> _Seen:
        return _Seen()

    def merged(self, results: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
        return results


def test_a_rider_is_shown_every_question_once_and_changes_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """`lint_beside`: each part of the linter shows the rider the questions of its blocks (in a child: another
    process); together every question once, each part's in bank order; the findings are `lint`'s, and the
    generated questions are counted."""
    import os

    result = build_bank([("bank/_header.yaml", bank_header("notes", ("early", "middle")).encode()),
                         ("bank/q.yaml", bank_text().encode())])
    alone = findings(result.bank, result.problems, monkeypatch, "1")
    everything = [q.id for q in result.bank.questions]
    monkeypatch.setattr(lint, "SPLIT_AT", 0)
    monkeypatch.setattr(lint, "BLOCK", 2)
    for workers in ("2", "1"):
        monkeypatch.setenv("QUIZ_WORKERS", workers)
        linted = lint.lint_beside(result.bank, result.problems, _Rider())
        assert [(p.path, p.line, p.severity, p.code, p.rule, p.message) for p in linted.problems] == alone
        assert linted.generated == sum(q.generated for q in result.bank.questions) > 0
        assert linted.beside is not None and len(linted.beside) == int(workers)
        pids = [pid for pid, _ in linted.beside]
        assert (pids[-1] != os.getpid()) == (workers == "2") and pids[0] == os.getpid()
        shown = [qid for _, ids in linted.beside for qid in ids]
        assert sorted(shown) == sorted(everything)
        for _, ids in linted.beside:
            _whole_blocks(ids, everything, 2)


def _whole_blocks(ids: list[str], everything: list[str], size: int) -> None:
    """A part was shown whole blocks of `size` questions, each block's in bank order (the blocks in the order
    the part took them)."""
    at = {qid: n for n, qid in enumerate(everything)}
    by_block: dict[int, list[int]] = {}
    for qid in ids:
        by_block.setdefault(at[qid] // size, []).append(at[qid])
    for block, places in by_block.items():
        assert places == list(range(block * size, min(block * size + size, len(everything))))


class _Collector:
    """A rider that notes whether the cyclic collector was on as it was shown each question."""

    def part(self) -> _Collector:
        self.on: list[bool] = []
        return self

    def visit(self, question: Question) -> None:
        import gc

        self.on.append(gc.isenabled())

    def result(self) -> list[bool]:
        return self.on

    def merged(self, results: list[list[bool]]) -> list[bool]:
        return [on for result in results for on in result]


def test_the_linter_runs_with_the_collector_off_and_turns_it_back_on(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    monkeypatch.setenv("QUIZ_WORKERS", "1")
    result = load_bank([], builtin=True, cache_dir=None)
    assert gc.isenabled()
    linted = lint.lint_beside(result.bank, result.problems, _Collector())
    assert linted.beside and not any(linted.beside)
    assert gc.isenabled()
    gc.disable()
    try:  # off before: left off
        lint.lint_beside(result.bank, result.problems, None)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _early_load(early: early_checks.EarlyChecks, blocks: int = 30) -> LoadResult:
    """A bank of 150 hand-written questions (two whole chunks of 64: 42 blocks of 3) loaded cold with `early`."""
    return build_bank([("bank/_header.yaml", bank_header("notes", ("early", "middle")).encode()),
                       ("bank/q.yaml", bank_text(blocks).encode())], begun=early)


def _shown(linted: lint.Linted[list[tuple[int, list[str]]]], bank: Bank) -> list[str]:
    """The ids the rider was shown (each part's blocks whole, in bank order within each), sorted."""
    assert linted.beside is not None
    everything = [q.id for q in bank.questions]
    for _, ids in linted.beside:
        _whole_blocks(ids, everything, 3)
    return sorted(qid for _, ids in linted.beside for qid in ids)


def test_checks_begun_while_the_bank_generates_find_what_one_process_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    """`quiz.bank.early_checks`: a cold load's first blocks are checked in a child while it generates the rest
    (here every block granted, and whatever the child has taken when stopped at once); the linter checks the
    others, and the findings, the rider's count and the generated count are those of one process."""
    import os

    monkeypatch.setattr(lint, "BLOCK", 3)
    monkeypatch.setenv("QUIZ_WORKERS", "1")
    plain = _early_load(early_checks.EarlyChecks(at_least=0))
    alone = findings(plain.bank, plain.problems, monkeypatch, "1")
    assert {rule for *_, rule, _ in alone} >= {"Q401", "Q403", "Q404", "Q406", "Q408"}
    everything = sorted(q.id for q in plain.bank.questions)
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    for wait in (True, False):
        rider = _Rider()
        with early_checks.EarlyChecks(lambda infos: rider, at_least=0) as early:  # noqa: B023 - used at once
            result = _early_load(early)
            taken = early.stop(wait=wait)
            assert early.rider is rider and (taken == 42 if wait else 0 <= taken <= 42)
            linted = lint.lint_beside(result.bank, result.problems, rider, early)
        assert [(p.path, p.line, p.severity, p.code, p.rule, p.message) for p in linted.problems] == alone
        assert linted.generated == sum(q.generated for q in result.bank.questions) > 0
        assert _shown(linted, result.bank) == everything
        if wait:  # the child's part first: the first 126 questions, shown in another process
            assert linted.beside is not None
            pid, ids = linted.beside[0]
            assert pid != os.getpid() and ids == [q.id for q in result.bank.questions][:126]


class _Deadly(_Rider):
    """A rider whose part kills the process it is shown a question in, unless it is this one."""

    def __init__(self) -> None:
        import os

        self.pid = os.getpid()

    def part(self) -> _Seen:
        import os

        pid = self.pid

        class Part(_Seen):
            def visit(self, question: Question) -> None:
                if os.getpid() != pid:
                    os.kill(os.getpid(), 9)
                super().visit(question)
        return Part()


def test_a_lost_early_child_costs_time_not_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child killed while it checks the first blocks (and so every child of the linter): its blocks are
    checked here, each question shown to the rider once, the findings the same."""
    import os

    monkeypatch.setattr(lint, "BLOCK", 3)
    monkeypatch.setenv("QUIZ_WORKERS", "1")
    plain = _early_load(early_checks.EarlyChecks(at_least=0))
    alone = findings(plain.bank, plain.problems, monkeypatch, "1")
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    monkeypatch.setattr(lint, "SPLIT_AT", 0)  # the linter's own split child is killed too
    rider = _Deadly()
    for wait in (True, False):
        with early_checks.EarlyChecks(lambda infos: rider, at_least=0) as early:
            result = _early_load(early)
            early.stop(wait=wait)
            linted = lint.lint_beside(result.bank, result.problems, rider, early)
        assert [(p.path, p.line, p.severity, p.code, p.rule, p.message) for p in linted.problems] == alone
        assert _shown(linted, result.bank) == sorted(q.id for q in result.bank.questions)
        assert linted.beside is not None and {pid for pid, _ in linted.beside} == {os.getpid()}


def test_early_checks_shown_another_rider_show_it_their_questions_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rider given to the linter is not the one the early checks were given (none here): the questions of
    the blocks they took are shown to it in this process, once each."""
    import os

    monkeypatch.setattr(lint, "BLOCK", 3)
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    with early_checks.EarlyChecks(at_least=0) as early:
        result = _early_load(early)
        assert early.stop(wait=True) == 42 and early.rider is None
        linted = lint.lint_beside(result.bank, result.problems, _Rider(), early)
    assert _shown(linted, result.bank) == sorted(q.id for q in result.bank.questions)
    assert linted.beside is not None and linted.beside[0][0] == os.getpid()
    assert linted.beside[0][1] == [q.id for q in result.bank.questions][:126]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_small_bank_or_one_core_begins_no_early_checks(monkeypatch: pytest.MonkeyPatch, workers: str) -> None:
    """Below `AT_LEAST` hand-written questions, or where no child may be forked, nothing begins: the linter
    checks every block."""
    monkeypatch.setattr(lint, "BLOCK", 3)
    monkeypatch.setenv("QUIZ_WORKERS", workers)
    with early_checks.EarlyChecks(at_least=0 if workers == "1" else 151) as early:
        result = _early_load(early)
        assert early.stop(wait=True) == 0
        assert early.result(result.bank, {}, None) == ([], [])


class _Held(_Rider):
    """A rider whose part, in another process than this one, stops at its 7th question (the first of the third
    block of 3) until this process lets it go: it has then taken three blocks."""

    def __init__(self) -> None:
        import os

        self.pid = os.getpid()
        self.held_read, self.held_write = os.pipe()
        self.go_read, self.go_write = os.pipe()

    def part(self) -> _Seen:
        import os

        rider = self

        class Part(_Seen):
            def visit(self, question: Question) -> None:
                super().visit(question)
                if os.getpid() != rider.pid and len(self.ids) == 7:
                    os.write(rider.held_write, b"h")
                    os.read(rider.go_read, 1)
        return Part()


def test_early_checks_stopped_part_way_take_the_blocks_they_began(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child stopped while it checks its third block: that block is its, the linter splits the others over
    the cores, and the findings and the rider's count are one process's."""
    import os
    import select

    monkeypatch.setattr(lint, "BLOCK", 3)
    monkeypatch.setenv("QUIZ_WORKERS", "1")
    plain = _early_load(early_checks.EarlyChecks(at_least=0))
    alone = findings(plain.bank, plain.problems, monkeypatch, "1")
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    monkeypatch.setattr(lint, "SPLIT_AT", 0)
    rider = _Held()
    try:
        with early_checks.EarlyChecks(lambda infos: rider, at_least=0) as early:
            result = _early_load(early)
            assert select.select([rider.held_read], [], [], 60)[0], "the early checks never took a third block"
            assert early.stop() == 3
            os.write(rider.go_write, b"g" * 8)  # it finishes that block, then finds no token; the split goes on
            linted = lint.lint_beside(result.bank, result.problems, rider, early)
    finally:
        for fd in (rider.held_read, rider.held_write, rider.go_read, rider.go_write):
            os.close(fd)
    assert [(p.path, p.line, p.severity, p.code, p.rule, p.message) for p in linted.problems] == alone
    assert _shown(linted, result.bank) == sorted(q.id for q in result.bank.questions)
    assert linted.beside is not None
    pid, ids = linted.beside[0]
    assert pid != os.getpid() and ids == [q.id for q in result.bank.questions][:9]
