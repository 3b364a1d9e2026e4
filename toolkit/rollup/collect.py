"""Read and check every file of the inbox, in threads when there are many.

Each thread reads a file and then checks it (calamine parses without the GIL, the checks are
Python): two threads alternate, one parsing while the other checks, instead of three contending
for the GIL. The checks need the plan, which is read meanwhile: they wait for it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from toolkit.io.inbox import Return, read_file

PARALLEL_MIN_FILES = 16  # below this, reading in one thread is as fast


Each = Callable[[Return], None]


def start_reading(
    paths: list[Path], inbox: Path, each: Each, on_progress: Callable[[int, int], None] | None, workers: int | None
) -> Callable[..., list[Return]]:
    """Start reading every file, calling `each(ret)` on each one once read (in a reading thread,
    in no particular order; `each` may wait for the plan); returns a function that waits for the
    results (in file order), or with `cancel=True` abandons them."""
    workers = workers or min(4, os.cpu_count() or 1)
    if len(paths) < PARALLEL_MIN_FILES or workers == 1:

        def read_all(cancel: bool = False) -> list[Return]:
            return [] if cancel else _collect((_read(p, inbox, each) for p in paths), len(paths), on_progress)

        return read_all
    pool = ThreadPoolExecutor(workers)
    futures = [pool.submit(_read, p, inbox, each) for p in paths]

    def wait(cancel: bool = False) -> list[Return]:
        if cancel:
            pool.shutdown(cancel_futures=True)
            return []
        try:
            return _collect(_results(futures), len(paths), on_progress)
        finally:
            pool.shutdown()

    return wait


def _read(path: Path, inbox: Path, each: Each) -> Return:
    ret = read_file(path, inbox)
    each(ret)
    return ret


def _results(futures: list[Future[Return]]) -> Iterator[Return]:
    """Each result in order, its future dropped once taken."""
    for n, future in enumerate(futures):
        yield future.result()
        futures[n] = None  # type: ignore[call-overload]


def _collect(results: Iterable[Return], total: int, on_progress: Callable[[int, int], None] | None) -> list[Return]:
    returns = []
    for ret in results:
        returns.append(ret)
        if on_progress:
            on_progress(len(returns), total)
    return returns
