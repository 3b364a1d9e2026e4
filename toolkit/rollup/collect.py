"""Read and check every file of the inbox: in worker processes when there are many, else in threads.

A file is parsed (calamine) and then checked against the plan (Python). In threads the checks
hold the GIL, so two threads only overlap one parse with one check. From PROCESS_MIN_FILES files
on, worker processes (`workers`, one per core) read and check them and send back only what the
roll-up keeps; they start while the plan is read. With fewer files, threads parse meanwhile and
wait for the plan to check. If the workers cannot be started or die (a security tool that
blocks child processes), the files are read in threads instead: it is only slower.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from toolkit.io.inbox import Return
from toolkit.model import Plan
from toolkit.rollup.checks import read_checked
from toolkit.rollup.workers import WorkerError, Workers

PARALLEL_MIN_FILES = 16  # below this, reading in one thread is as fast
# Below this, starting worker processes costs more than they save: ≈ 100 files of 150 rows on Linux
# (bench/README.md); a new process starts slower on Windows (1.3–2 s under Wine).
PROCESS_MIN_FILES = 200

T = TypeVar("T")
Progress = Callable[[int, int], None] | None
# finish(plan): the checked returns, and how many worker processes read them; finish(None): abandon
Finish = Callable[[Plan | None], tuple[list[Return], int]]


def start_reading(paths: list[Path], inbox: Path, on_progress: Progress, workers: int | None) -> Finish:
    """Start reading every file of `paths` (under `inbox`); returns `finish`, which takes the plan
    once it is read and gives every file's return, checked (`checks.examine`), in file order."""
    workers = workers or min(4, os.cpu_count() or 1)
    if len(paths) < PARALLEL_MIN_FILES or workers == 1:
        return lambda plan: (
            ([] if plan is None else _collect((read_checked(p, inbox, plan) for p in paths), len(paths), on_progress)),
            0,
        )
    if len(paths) >= PROCESS_MIN_FILES:
        try:
            return _in_processes(paths, inbox, on_progress, workers)
        except OSError:  # no worker could be started here
            pass
    return _in_threads(paths, inbox, on_progress, workers)


def _in_threads(paths: list[Path], inbox: Path, on_progress: Progress, workers: int) -> Finish:
    ready: Future[Plan] = Future()  # each thread parses its file, then waits for the plan to check it
    pool = ThreadPoolExecutor(workers)
    futures = [pool.submit(lambda p: read_checked(p, inbox, ready.result()), p) for p in paths]

    def finish(plan: Plan | None) -> tuple[list[Return], int]:
        if plan is None:
            ready.set_exception(RuntimeError("abandoned"))  # the threads waiting for it end
            pool.shutdown(cancel_futures=True)
            return [], 0
        ready.set_result(plan)
        try:
            return _collect(_results(futures), len(paths), on_progress), 0
        finally:
            pool.shutdown()

    return finish


def _in_processes(paths: list[Path], inbox: Path, on_progress: Progress, workers: int) -> Finish:
    pool = Workers(workers, inbox, paths)  # they start, and parse their first files, while the plan is read

    def finish(plan: Plan | None) -> tuple[list[Return], int]:
        try:
            if plan is None:
                return [], 0
            return _collect(pool.results(plan), len(paths), on_progress), workers
        except (WorkerError, OSError):  # a worker died, or was stopped by a security tool
            assert plan is not None
            return _in_threads(paths, inbox, on_progress, workers)(plan)
        finally:
            pool.stop()

    return finish


def _results(futures: list[Future[T]]) -> Iterator[T]:
    """Each result in order, its future dropped once taken."""
    for n, future in enumerate(futures):
        yield future.result()
        futures[n] = None  # type: ignore[call-overload]


def _collect(results: Iterable[Return], total: int, on_progress: Progress) -> list[Return]:
    returns = []
    for ret in results:
        returns.append(ret)
        if on_progress:
            on_progress(len(returns), total)
    return returns
