"""quiz.parallel.split_run: the same results in part order whether the parts run in children or here; a failed
child's part run again here (its exception raised here); no child left behind."""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Iterator

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


# --- split_claimed: runs shared out as the parts get through them -------------------------------------------------


def _claimed(runs: int = 40) -> tuple[list[int], dict[int, list[int]]]:
    """Runs 0 .. runs-1 shared out: each run's result (its square), and the runs each process took. The parts are
    made to meet, whatever the scheduler does: the first run here waits until a child has taken 5 runs (itself
    waiting for a run to be taken here first), so both this process and a child take some."""
    here = os.getpid()
    go_read, go_write = os.pipe()  # here -> children: a run is taken here
    five_read, five_write = os.pipe()  # a child -> here: it has taken 5 runs

    def work(granted: Iterator[int]) -> list[tuple[int, tuple[int, int]]]:
        out = []
        for count, run in enumerate(granted, 1):
            if os.getpid() == here and count == 1:
                os.write(go_write, b"go" * 8)
                assert select.select([five_read], [], [], 60)[0], "no child took 5 runs"
            elif os.getpid() != here and count == 1:
                os.read(go_read, 2)
            elif os.getpid() != here and count == 5:
                os.write(five_write, b"5")
            out.append((run, (run * run, os.getpid())))
        return out

    try:
        results = parallel.split_claimed(work, runs)
    finally:
        for fd in (go_read, go_write, five_read, five_write):
            os.close(fd)
    taken: dict[int, list[int]] = {}
    for run, (_, pid) in enumerate(results):
        taken.setdefault(pid, []).append(run)
    return [square for square, _ in results], taken


@pytest.mark.parametrize("workers", ["2", "3"])
def test_every_run_is_worked_out_once_and_comes_back_in_run_order(monkeypatch: pytest.MonkeyPatch,
                                                                  workers: str) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", workers)
    results, taken = _claimed()
    assert results == [run * run for run in range(40)]
    assert os.getpid() in taken and len(taken) >= 2  # here and in a child
    assert sorted(run for runs in taken.values() for run in runs) == list(range(40))
    assert _no_children_left()


def test_with_two_parts_each_takes_neighbouring_runs_from_its_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    _, taken = _claimed()
    here = taken.pop(os.getpid())
    (there,) = taken.values()
    assert here == list(range(len(here)))  # from the first run on
    assert there == list(range(40 - len(there), 40)) and len(there) >= 5  # from the last run back
    assert len(here) + len(there) == 40


def test_the_runs_a_dead_child_took_are_worked_out_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    here = os.getpid()
    taken_read, taken_write = os.pipe()

    def work(granted: Iterator[int]) -> list[tuple[int, int]]:
        out = []
        for count, run in enumerate(granted, 1):
            if os.getpid() == here and count == 1:
                assert select.select([taken_read], [], [], 60)[0], "the child never took its runs"
            elif os.getpid() != here and count == 5:
                os.write(taken_write, b"5")
                os.kill(os.getpid(), 9)  # killed having taken 5 runs it never sends
            out.append((run, -run))
        return out

    try:
        assert parallel.split_claimed(work, 40) == [-run for run in range(40)]
    finally:
        os.close(taken_read)
        os.close(taken_write)
    assert _no_children_left()


def test_one_worker_takes_every_run_here_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "1")
    seen: list[int] = []

    def work(granted: Iterator[int]) -> list[tuple[int, int]]:
        seen.extend(granted)
        return [(run, run + 1) for run in seen]

    assert parallel.split_claimed(work, 5) == [1, 2, 3, 4, 5]
    assert seen == [0, 1, 2, 3, 4]
    seen.clear()
    assert parallel.split_claimed(work, 0) == []
    with pytest.raises(ValueError, match="at most"):
        parallel.split_claimed(work, parallel.MAX_RUNS + 1)


def test_begun_work_comes_back_from_a_child_while_this_process_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    here = os.getpid()
    read, write = os.pipe()

    def work() -> tuple[bool, bytes]:
        return os.getpid() == here, os.read(read, 5)  # it waits for this process, which goes on meanwhile

    with parallel.begin(work) as pending:
        os.write(write, b"ready")
        assert pending.result() == (False, b"ready")
    os.close(read)
    os.close(write)
    assert _no_children_left()


def test_begun_work_with_a_large_result_passes_through_the_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    with parallel.begin(lambda: b"\x07" * 5_000_000) as pending:
        assert pending.result() == b"\x07" * 5_000_000
    assert _no_children_left()


def test_begun_work_runs_here_when_asked_with_one_worker_or_no_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    seen: list[str] = []

    def work() -> bool:
        seen.append("run")
        return os.getpid() == here

    monkeypatch.setenv("QUIZ_WORKERS", "1")
    pending = parallel.begin(work)
    assert seen == []  # not before it is asked for: in the order one process would run it
    assert pending.result() is True
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    assert parallel.begin(work, fork=False).result() is True
    assert seen == ["run", "run"]


def test_begun_work_whose_child_dies_is_worked_out_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    here = os.getpid()

    def work() -> str:
        if os.getpid() != here:
            os.kill(os.getpid(), 9)
        return "worked out here"

    with parallel.begin(work) as pending:
        assert pending.result() == "worked out here"
    assert _no_children_left()


def test_an_error_in_begun_work_is_raised_here_when_its_result_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")

    def work() -> int:
        raise ValueError("the work is broken")

    pending = parallel.begin(work)
    with pytest.raises(ValueError, match="the work is broken"):
        pending.result()
    assert _no_children_left()


def test_begun_work_not_taken_is_stopped_and_reaped(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("QUIZ_WORKERS", "2")
    start = time.monotonic()
    with pytest.raises(KeyError), parallel.begin(lambda: time.sleep(30)):
        raise KeyError("an error here before the result is wanted")
    assert time.monotonic() - start < 10  # killed, not waited for
    assert _no_children_left()


def test_idle_begun_work_runs_at_the_lowest_priority(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    with parallel.begin(lambda: os.nice(0), idle=True) as pending:
        assert pending.result() == 19
    with parallel.begin(lambda: os.nice(0)) as pending:
        assert pending.result() == os.nice(0)


def test_each_part_gives_its_own_and_a_lost_childs_runs_give_theirs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """`split_claimed_parts`: every run's result in run order, and one part's own from each part that ran
    (here, the child, and here again for the runs a killed child took); one at least, with no run at all."""
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    here = os.getpid()

    def work(granted: Iterator[int]) -> tuple[list[tuple[int, int]], tuple[int, list[int]]]:
        runs = list(granted)
        return [(run, run * 10) for run in runs], (os.getpid(), runs)

    results, owns = parallel.split_claimed_parts(work, 30)
    assert results == [run * 10 for run in range(30)]
    assert sorted(run for _, runs in owns for run in runs) == list(range(30)) and owns[0][0] == here
    assert parallel.split_claimed_parts(work, 0) == ([], [(here, [])])

    def dying(granted: Iterator[int]) -> tuple[list[tuple[int, int]], tuple[int, list[int]]]:
        if os.getpid() != here:
            next(granted)
            os.kill(os.getpid(), 9)  # a run taken, never sent
        return work(granted)

    results, owns = parallel.split_claimed_parts(dying, 30)
    assert results == [run * 10 for run in range(30)] and {pid for pid, _ in owns} == {here}
    assert sorted(run for _, runs in owns for run in runs) == list(range(30))
    assert _no_children_left()
