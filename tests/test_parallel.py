"""quiz.parallel.split_run: the same results in part order whether the parts run in children or here; a failed
child's part run again here (its exception raised here); no child left behind."""

from __future__ import annotations

import os
import sys

import pytest

from quiz import parallel

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="splits fork on Linux only")


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_results_come_back_in_part_order_from_the_children(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "3")
    here = os.getpid()
    results = parallel.split_run(lambda part, parts: (part, parts, os.getpid() == here, list(range(part * 5))))
    assert [r[:3] for r in results] == [(0, 3, True), (1, 3, False), (2, 3, False)]
    assert results[2][3] == list(range(10))
    assert _no_children_left()


def test_a_large_result_passes_through_the_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    results = parallel.split_run(lambda part, parts: bytes([part]) * 5_000_000)
    assert [len(r) for r in results] == [5_000_000, 5_000_000]
    assert results[1][:3] == b"\x01\x01\x01"


def test_one_worker_runs_every_part_here_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "1")
    here = os.getpid()
    seen: list[int] = []

    def work(part: int, parts: int) -> int:
        assert os.getpid() == here
        seen.append(part)
        return part * 10

    assert parallel.split_run(work, 3) == [0, 10, 20]
    assert seen == [0, 1, 2]


def test_a_child_that_dies_has_its_part_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    here = os.getpid()

    def work(part: int, parts: int) -> str:
        if os.getpid() != here:
            os.kill(os.getpid(), 9)  # killed before it sends anything
        return f"part {part} of {parts}"

    assert parallel.split_run(work) == ["part 0 of 2", "part 1 of 2"]
    assert _no_children_left()


def test_an_error_in_a_child_part_is_raised_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")

    def work(part: int, parts: int) -> int:
        if part == 1:
            raise ValueError("part one is broken")
        return part

    with pytest.raises(ValueError, match="part one is broken"):
        parallel.split_run(work)
    assert _no_children_left()


def test_an_error_here_leaves_no_child_running(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")

    def work(part: int, parts: int) -> int:
        if part == 0:
            raise KeyError("here")
        import time

        time.sleep(30)  # a child still computing when this process gives up
        return part

    with pytest.raises(KeyError):
        parallel.split_run(work)
    assert _no_children_left()


def test_workers_reads_quiz_workers_and_ignores_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "5")
    assert parallel.workers() == (5 if sys.platform == "linux" else 1)
    monkeypatch.setenv("QUIZ_WORKERS", "zero")
    assert 1 <= parallel.workers() <= parallel.MAX_WORKERS
    monkeypatch.setenv("QUIZ_WORKERS", "0")
    assert 1 <= parallel.workers() <= parallel.MAX_WORKERS
    assert 1 <= parallel.cores() <= parallel.MAX_WORKERS
    monkeypatch.setenv("QUIZ_WORKERS", "3")
    assert parallel.cores() == 3


def test_a_process_running_threads_does_not_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setenv("QUIZ_WORKERS", "2")
    here = os.getpid()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert parallel.workers() == 1
        assert parallel.cores() == 2  # threads (the package's deflate) may still be split
        assert parallel.split_run(lambda part, parts: os.getpid() == here, 2) == [True, True]
    finally:
        release.set()
        other.join()
    assert parallel.workers() == 2


def test_ctrl_c_while_waiting_for_a_child_leaves_none_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    import signal
    import threading

    monkeypatch.setenv("QUIZ_WORKERS", "2")
    here = os.getpid()

    def work(part: int, parts: int) -> int:
        if os.getpid() != here:
            import time

            time.sleep(30)
        else:  # Ctrl-C arrives while this process reads the child's pipe
            signal.setitimer(signal.ITIMER_REAL, 0.3)
        return part

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            parallel.split_run(work)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert threading.active_count() == 1
    assert _no_children_left()


def test_parts_no_child_can_be_forked_for_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "3")
    here = os.getpid()

    def no_fork() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    assert parallel.split_run(lambda part, parts: (part, os.getpid() == here)) == [(0, True), (1, True), (2, True)]
