"""Work split over the machine's cores: `split_run(work, parts)` runs `work(0, parts)` here and the other parts in
forked children, and returns the results in part order; `split_claimed(work, runs)` shares runs of work out to
the parts as they get through them (`split_claimed_parts`: with each part's own result too); `begin(work)` starts
work in a forked child while this process goes on with other work, its result taken when wanted
(`Pending.result`).

For the few passes over a whole bank that are pure computation on values this process already holds (the reveal
scan, the linter's searches): a forked child shares them without pickling, computes its part and sends back only
its result, through a pipe. Nothing else is shared: a child writes no file, opens no database and prints nothing,
and it leaves by `os._exit`, so no `atexit` handler, buffered output or open connection of this process is run,
flushed or closed twice.

A part whose child fails (an exception, a signal, a result that cannot be read) is run again here, so its error
is raised here with the usual handling, and a lost child costs time, never a result. Without `os.fork` (Windows,
or macOS where forking is unsafe with system frameworks), with one core, or with `QUIZ_WORKERS=1`, every part runs
here, in order: the results are the same either way (tested).
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_WORKERS = 2
"""At most this many processes by default (this one included): the passes split are short (seconds), and a
third process on a two-core machine only competes with the other two."""


def workers() -> int:
    """How many processes a split may use: `QUIZ_WORKERS` if set (a whole number ≥ 1), or the cores this process
    may run on (at most `MAX_WORKERS`); 1 where forking is unavailable or unsafe (a process running other threads:
    a child would inherit their locks, held, without them)."""
    if not hasattr(os, "fork") or sys.platform != "linux":
        return 1
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return 1
    return cores()


def cores() -> int:
    """How many threads work that releases the GIL (zlib's) may be split over: `QUIZ_WORKERS` if set (a whole
    number ≥ 1), or the cores this process may run on (at most `MAX_WORKERS`). Unlike `workers`, whatever
    threads already run: no process is forked."""
    chosen = os.environ.get("QUIZ_WORKERS", "").strip()
    if chosen.isdigit() and int(chosen) >= 1:
        return int(chosen)
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, available))


def split_run(work: Callable[[int, int], T], parts: int | None = None) -> list[T]:
    """`[work(0, n), work(1, n), ...]` for n = `parts` (default `workers()`), parts 1.. computed in forked
    children while part 0 is computed here. `work` must only compute: its result comes back pickled."""
    n = workers() if parts is None else max(1, parts)
    if n == 1 or workers() == 1:
        return [work(part, n) for part in range(n)]
    _before_fork()
    children: list[tuple[int, int]] = []  # (pid, read end of its pipe); 0 / -1 once reaped / closed
    try:
        for part in range(1, n):
            child = _fork(work, part, n)
            if child is None:  # the parts not forked run here
                break
            children.append(child)
        results: list[T] = [work(0, n)]
        for part, (pid, read) in enumerate(children, start=1):
            children[part - 1] = (pid, -1)  # the pipe is closed by its reading, whatever happens there
            loaded = _load(read)
            _, status = os.waitpid(pid, 0)
            children[part - 1] = (0, -1)
            if os.waitstatus_to_exitcode(status) != 0:
                loaded = _FAILED
            results.append(work(part, n) if loaded is _FAILED else loaded)  # type: ignore[arg-type]
        results += [work(part, n) for part in range(len(results), n)]  # those no child could be forked for
        return results
    finally:
        for pid, read in children:  # an exception here (Ctrl-C too): no child is left running or unreaped
            _stop(pid, read)


MAX_RUNS = 1 << 14
"""The most runs `split_claimed` shares out: their tokens (two bytes each) fit in a pipe's buffer (64 KiB on Linux),
written before any part reads."""


def split_claimed(work: Callable[[Iterator[int]], list[tuple[int, T]]], runs: int) -> list[T]:
    """The results of runs 0 .. `runs` - 1 of some work, in run order, the runs shared out to the parts
    (`split_run`) as they get through them: a part given cheaper runs takes more, so none waits long for another
    when the cost of a run is not known beforehand. `work` is given the runs its part takes, one at a time as it
    asks for the next, and returns (run, result) for each; one part may keep what it learns from run to run (a
    memo), so with two parts the first takes runs from the first one on and the second from the last one back,
    each through neighbouring runs. A run a failed child took is worked out here.

    Each run is granted by a token read from a pipe written before the fork (a read of a pipe is atomic): with two
    parts a token is a grant, the first part's i-th run i and the second's `runs` - 1 - i, and as there are
    `runs` tokens the two never meet; with more, a token is the number of the next run."""
    return split_claimed_parts(lambda granted: (work(granted), None), runs)[0]


E = TypeVar("E")


def split_claimed_parts(work: Callable[[Iterator[int]], tuple[list[tuple[int, T]], E]], runs: int,
                        parts: int | None = None) -> tuple[list[T], list[E]]:
    """`split_claimed`, where each part's work also gives something of the part's own, second (what a pass
    riding on it found in its runs): the results in run order, and each part's own (one at least, in no
    particular order; a part that took no run gives its own too). `parts`: at most this many (default
    `workers()`)."""
    if not 0 <= runs <= MAX_RUNS:
        raise ValueError(f"split_claimed: {runs} runs, at most {MAX_RUNS}")
    parts = min(workers() if parts is None else max(1, parts), runs)
    if parts <= 1:
        found, own = work(iter(range(runs)))
        return [result for _, result in sorted(found, key=lambda pair: pair[0])], [own]
    read = token_pipe(bytes(2 * runs) if parts == 2 else b"".join(run.to_bytes(2, "little") for run in range(runs)))
    try:
        results = split_run(lambda part, n: work(_granted(read, part, n, runs)), parts)
    finally:
        os.close(read)
    done = {run: result for found, _ in results for run, result in found}
    owns = [own for _, own in results]
    missing = [run for run in range(runs) if run not in done]
    if missing:
        found, own = work(iter(missing))
        done.update(found)
        owns.append(own)
    return [done[run] for run in range(runs)], owns


def token_pipe(tokens: bytes) -> int:
    """The read end of a pipe holding `tokens` (at most a pipe's buffer, 64 KiB on Linux), its write end closed:
    forked children and this process take tokens from it, each read atomic, until it is empty (then a read gives
    nothing). OSError when no pipe can be made."""
    read, write = os.pipe()
    try:
        os.write(write, tokens)
    except BaseException:
        os.close(read)
        raise
    finally:
        os.close(write)
    return read


def _granted(read: int, part: int, parts: int, runs: int) -> Iterator[int]:
    """The runs part `part` takes (`split_claimed`), one token read for each as it is asked for the next."""
    taken = 0
    while len(token := os.read(read, 2)) == 2:
        if parts != 2:
            yield int.from_bytes(token, "little")
        else:
            yield taken if part == 0 else runs - 1 - taken
            taken += 1


class Pending(Generic[T]):
    """Work `begin` started: its result when asked for (`result`), computed meanwhile in a forked child, else (no
    child: forking unavailable or not wanted, or the child failed) computed here then. Used as a context manager:
    a child whose result was not taken by the end of the block (an error here) is killed and reaped."""

    __slots__ = ("_work", "_pid", "_read")

    def __init__(self, work: Callable[[], T], pid: int = 0, read: int = -1) -> None:
        self._work = work
        self._pid = pid
        self._read = read

    def result(self) -> T:
        """The work's result: the child's (waited for), or computed here; its error raised here."""
        pid, read = self._pid, self._read
        if pid <= 0:
            return self._work()
        self._read = -1  # the pipe is closed by its reading, whatever happens there
        loaded = _load(read)
        _, status = os.waitpid(pid, 0)
        self._pid = 0
        if loaded is _FAILED or os.waitstatus_to_exitcode(status) != 0:
            return self._work()
        return loaded  # type: ignore[return-value]

    def ready(self) -> bool:
        """Whether the result can be taken without waiting for a child (it has begun to send it), or is computed
        here when taken (no child)."""
        if self._pid <= 0:
            return True
        import select

        return bool(select.select([self._read], [], [], 0)[0])

    def cancel(self) -> None:
        """Stop the child, if one still computes (its result is not taken)."""
        pid, read = self._pid, self._read
        self._pid, self._read = 0, -1
        _stop(pid, read)

    def __enter__(self) -> Pending[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.cancel()


def begin(work: Callable[[], T], *, fork: bool = True, idle: bool = False) -> Pending[T]:
    """`work()` started in a forked child (when `fork`, and `workers()` allows one) while this process goes on;
    its result is taken by `Pending.result`. `work` must only compute: its result comes back pickled. With
    `idle`, the child runs at the lowest priority (nice 19): on the time this process's own work leaves a core
    idle, for work that is wanted later and can start early."""
    if not fork or workers() == 1:
        return Pending(work)
    _before_fork()
    child = _fork(lambda _part, _parts: work(), 0, 1, idle=idle)
    return Pending(work) if child is None else Pending(work, *child)  # none forked: computed here when asked


def _before_fork() -> None:
    """Ready this process for forking: its freed memory given back (`_give_back`), and nothing left buffered to
    be written twice by a child."""
    _give_back()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def _fork(work: Callable[[int, int], object], part: int, parts: int, idle: bool = False) -> tuple[int, int] | None:
    """A forked child computing part `part` of `parts` of `work` and sending it back (`_child`), at the lowest
    priority with `idle`: (its pid, the read end of its pipe); None when none can be forked (no file descriptor,
    memory or process left)."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: compute, send, leave
        os.close(read)
        if idle:
            try:
                os.nice(19)
            except OSError:
                pass
        _child(work, part, parts, write)
    os.close(write)
    return pid, read


def _stop(pid: int, read: int) -> None:
    """Close a child's pipe (-1: closed) and kill and reap the child (0: reaped already), whatever fails."""
    try:
        if read >= 0:
            os.close(read)
        if pid > 0:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    except OSError:
        pass


def _give_back() -> None:
    """Give the memory freed so far back to the system before forking (glibc's `malloc_trim`; ~30 MB once a
    100k bank is loaded): pages a child would otherwise share, then copy as either process writes to them."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # no glibc (musl): nothing to give back this way
        pass


_FAILED = object()


def _child(work: Callable[[int, int], object], part: int, parts: int, write: int) -> None:
    """Compute a part and send its result, pickled straight into the pipe (its bytes are never all held, here
    or in the parent, which unpickles as it reads: `_load`)."""
    code = 1
    try:
        result = work(part, parts)
        with os.fdopen(write, "wb", buffering=1 << 16) as pipe:
            pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException:  # noqa: BLE001 - any failure: the parent runs the part itself and raises it there
        pass
    finally:
        os._exit(code)


def _load(fd: int) -> object:
    """A child's result, unpickled from its pipe as it is read (closed after); `_FAILED` when it cannot be read
    (the child died or failed before sending all of it: the part is run again here)."""
    with os.fdopen(fd, "rb", closefd=True) as pipe:
        try:
            return pickle.load(pipe)
        except Exception:  # noqa: BLE001 - a truncated or broken result
            return _FAILED
