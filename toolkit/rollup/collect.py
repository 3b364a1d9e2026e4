"""Read every file of the inbox, in threads when there are many (calamine parses without the GIL)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from toolkit.io.inbox import Return, read_file

PARALLEL_MIN_FILES = 16  # below this, reading in one thread is as fast


Each = Callable[[Return], None]


def start_reading(
    paths: list[Path], inbox: Path, on_progress: Callable[[int, int], None] | None, workers: int | None
) -> Callable[..., list[Return]]:
    """Start reading every file (so the plan can be read meanwhile); returns a function that
    waits for the results, calling `each(ret)` on each one as it arrives (in file order, while the
    threads parse the next files), or with `cancel=True` abandons them."""
    workers = workers or min(4, os.cpu_count() or 1)
    if len(paths) < PARALLEL_MIN_FILES or workers == 1:

        def read_all(cancel: bool = False, each: Each | None = None) -> list[Return]:
            return [] if cancel else _collect((read_file(p, inbox) for p in paths), len(paths), on_progress, each)

        return read_all
    pool = ThreadPoolExecutor(workers)
    futures = [pool.submit(read_file, p, inbox) for p in paths]

    def wait(cancel: bool = False, each: Each | None = None) -> list[Return]:
        if cancel:
            pool.shutdown(cancel_futures=True)
            return []
        try:
            return _collect(_results(futures), len(paths), on_progress, each)
        finally:
            pool.shutdown()

    return wait


def _results(futures: list[Future[Return]]) -> Iterator[Return]:
    """Each result in order, its future dropped once taken (so a return slimmed by `each` is not
    held in full by its future)."""
    for n, future in enumerate(futures):
        yield future.result()
        futures[n] = None  # type: ignore[call-overload]


def _collect(
    results: Iterable[Return], total: int, on_progress: Callable[[int, int], None] | None, each: Each | None
) -> list[Return]:
    returns = []
    for ret in results:
        if each:
            each(ret)
        returns.append(ret)
        if on_progress:
            on_progress(len(returns), total)
    return returns
