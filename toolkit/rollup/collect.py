"""Read every file of the inbox, in threads when there are many (calamine parses without the GIL)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable

from toolkit.io.inbox import Return, read_file

PARALLEL_MIN_FILES = 16  # below this, reading in one thread is as fast


def start_reading(paths: list[Path], inbox: Path, on_progress: Callable[[int, int], None] | None,
                  workers: int | None) -> Callable[..., list[Return]]:
    """Start reading every file (so the plan can be read meanwhile); returns a function that
    waits for the results, or with `cancel=True` abandons them."""
    workers = workers or min(4, os.cpu_count() or 1)
    if len(paths) < PARALLEL_MIN_FILES or workers == 1:
        return lambda cancel=False: [] if cancel else _collect((read_file(p, inbox) for p in paths), len(paths),
                                                               on_progress)
    pool = ThreadPoolExecutor(workers)
    futures = [pool.submit(read_file, p, inbox) for p in paths]

    def wait(cancel: bool = False) -> list[Return]:
        if cancel:
            pool.shutdown(cancel_futures=True)
            return []
        try:
            return _collect((f.result() for f in futures), len(paths), on_progress)
        finally:
            pool.shutdown()

    return wait


def _collect(results: Iterable[Return], total: int, on_progress) -> list[Return]:
    returns = []
    for ret in results:
        returns.append(ret)
        if on_progress:
            on_progress(len(returns), total)
    return returns
