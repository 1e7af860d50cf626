"""The linter split over processes (`quiz.parallel.split_run`: the questions' own checks by blocks dealt out to
the parts, the near-duplicate search one language a part) finds exactly what it finds in one process, in the same
order, with findings and near-duplicate pairs that cross the blocks and the parts."""

from __future__ import annotations

import sys

import pytest
from conftest import bank_header, run_quiz

from quiz.bank import build_bank, lint, load_bank
from quiz.export import stale_records
from quiz.model import Question

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


def bank_text() -> str:
    text = ("events:\n  - id: sputnik-launch\n    date: 1957\n    era: middle\n"
            "    title: {ar: إطلاق القمر الصناعي سبوتنيك, en: Sputnik satellite launch}\n"
            "    detail: {ar: شرح, en: Why}\n    source: {doc: notes, era: middle, para: 1}\nquestions:\n")
    for n in range(12):  # near-duplicates, faults and links in every block, pairs across blocks and parts
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


def test_the_builtin_bank_split_is_linted_as_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    result = load_bank([], builtin=True, cache_dir=None)
    alone = findings(result.bank, result.problems, monkeypatch, "1")
    monkeypatch.setattr(lint, "SPLIT_AT", 0)
    monkeypatch.setattr(lint, "BLOCK", 17)
    assert findings(result.bank, result.problems, monkeypatch, "2") == alone


@pytest.mark.usefixtures("workdir")
def test_validate_of_a_large_bank_prints_what_it_prints_in_one_process(tmp_path: object,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A large bank's revision records are read ahead in a child while it loads, and worked out in a child beside
    the linter, its near-duplicates searched in a child beside the reveal search: the same report."""
    from pathlib import Path

    folder = Path(str(tmp_path)) / "bank"
    folder.mkdir()
    (folder / "_header.yaml").write_text(bank_header("notes", ("early", "middle")), encoding="utf-8")
    (folder / "q.yaml").write_text(bank_text(), encoding="utf-8")
    assert run_quiz("validate", "--fix", "--no-builtin", "--bank", folder).exit_code == 1  # Q401 errors
    (folder / "q.yaml").write_text(bank_text().replace("Which country launched the satellite Sputnik 3",
                                                       "Which country sent the satellite Sputnik 3"), encoding="utf-8")
    args = ("validate", "--no-builtin", "--bank", folder)
    alone = run_quiz(*args, env={"QUIZ_WORKERS": "1"})
    assert "the revision record is stale (1 entries)" in alone.stdout and alone.exit_code == 1
    monkeypatch.setattr(lint, "SPLIT_AT", 0)
    monkeypatch.setattr(lint, "BLOCK", 5)
    monkeypatch.setattr(stale_records, "READ_AHEAD_BYTES", 0)  # the record read in a child while the bank loads
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
            assert ids == [qid for qid in everything if qid in set(ids)]


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
