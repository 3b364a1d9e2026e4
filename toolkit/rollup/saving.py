"""The period's history, saved while the summary is written and committed only once it is.

A worker process (`workers`, role SAVER) inserts the rows while this process writes the summary
(≈ 1 s of 150,000 rows off the roll-up's one busy core); it commits when told the summary is
written, and rolls back if it is not (or if it is told nothing: this process ended). It is started
with the readers when the files are read by worker processes (`early`: its start then costs the
roll-up nothing), else once there are SAVER_MIN_ROWS entries. Fewer rows, or a saver that cannot
start or dies, are saved here after the write: saving a period replaces it, so saving again is
always safe.
"""

from __future__ import annotations

import pickle
import subprocess
from collections.abc import Iterator
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO

from toolkit.model import Plan
from toolkit.model.errors import ToolkitError
from toolkit.model.period import Period
from toolkit.rollup.changes import history_rows, run_info
from toolkit.rollup.entry import Entry
from toolkit.rollup.workers import SAVER, end, start

SAVER_MIN_ROWS = 50_000  # a saver started after the match: 200 returns' 30,000 rows took as long with it
EARLY_MIN_FILES = 200  # from this many files on, the saver starts with the readers (collect.PROCESS_MIN_FILES)
CHUNK_ROWS = 10_000  # rows per pickle: the saver never holds them all
# The saver's SQLite page cache (KiB): it has the summary's whole write to finish in, so less than
# the 64 MiB a save in this process takes (5,000 returns: 1,071 MB at the peak with that, both processes).
SAVER_CACHE_KIB = 8 * 1024
COMMIT = b"commit\n"
ABANDON_SECONDS = 30  # a saver still inserting 750,000 rows (5,000 returns) needs a few seconds


def early(files: int) -> subprocess.Popen[bytes] | None:
    """A saver started now, while `files` files are read (None below EARLY_MIN_FILES, or if it
    cannot start); it waits for HistorySave's rows. The caller ends it (`workers.end`) if the
    roll-up stops before."""
    if files < EARLY_MIN_FILES:
        return None
    try:
        return start(1, SAVER)[0]
    except OSError:
        return None


class HistorySave:
    """This period's history for `path`, begun now and made final by `commit` once the summary
    is written (`abandon` if it is not). A saver process (`saver`, started by `early`, or started
    here from SAVER_MIN_ROWS entries) reads the rows from a file in `folder`, written here at once
    (sent through a pipe by a thread, they held this process back longer than writing them takes)."""

    def __init__(
        self,
        path: Path,
        period: Period,
        plan: Plan,
        entries: list[Entry],
        files: int,
        reported: list[str],
        missing: list[str],
        folder: Path,
        saver: subprocess.Popen[bytes] | None = None,
    ) -> None:
        self.path, self.period, self.entries = path, period, entries
        self.info = run_info(plan, files, reported, missing)
        self.proc = saver
        if saver is None and len(entries) < SAVER_MIN_ROWS:
            return
        try:
            if self.proc is None:
                (self.proc,) = start(1, SAVER)  # it starts while the rows are written
            assert self.proc.stdin
            sent = folder / "history.pickle"
            with open(sent, "wb") as fh:
                dump = partial(pickle.dump, file=fh, protocol=pickle.HIGHEST_PROTOCOL)
                dump((path, str(period), self.info))
                rows = history_rows(entries)
                while chunk := list(islice(rows, CHUNK_ROWS)):
                    dump(chunk)
                dump(None)
            self.proc.stdin.write(pickle.dumps(sent))
            self.proc.stdin.flush()
        except OSError:  # no process can be started here, or the file written: saved in this one
            self.abandon()
            self.proc = None

    def commit(self) -> None:
        """Make the period's history final (the summary is written); raises the history's own error."""
        from toolkit.io.history import save_period

        if self.proc:
            try:
                answer = self._ask()
            except Exception:  # the saver died, or what it sent is no answer: saved here instead
                answer = "no answer"
            finally:
                end([self.proc])
            if answer is None:
                return
            if isinstance(answer, ToolkitError):
                raise answer
        save_period(self.path, str(self.period), history_rows(self.entries), **self.info)

    def _ask(self) -> object:
        """The saver's answer to COMMIT: None (committed) or the history's error."""
        assert self.proc and self.proc.stdin and self.proc.stdout
        try:
            self.proc.stdin.write(COMMIT)
            self.proc.stdin.close()
        except OSError:  # it stopped reading (a full disk, say): its answer says why
            pass
        return pickle.load(self.proc.stdout)

    def abandon(self) -> None:
        """The summary was not written: the saver is told so (its stdin closed, it rolls its
        transaction back and ends), so the history stays as it was and no journal is left beside
        it; ended by force if it has not within ABANDON_SECONDS (SQLite then rolls back on next open)."""
        if self.proc:
            try:
                if self.proc.stdin:
                    self.proc.stdin.close()
                self.proc.wait(ABANDON_SECONDS)
            except (OSError, subprocess.TimeoutExpired):
                pass
            end([self.proc])


def save_served(source: BinaryIO, out: BinaryIO) -> int:
    """The saver's side: insert the rows of the file named on `source`, then commit only when
    told COMMIT; send back None, or the history's error (a ToolkitError, said in Chinese)."""
    from toolkit.io.history import save_period

    with open(pickle.load(source), "rb") as sent:
        path, period, info = pickle.load(sent)
        chunks: Iterator[list[Any]] = iter(partial(pickle.load, sent), None)
        answer: ToolkitError | None = None
        try:
            rows = chain.from_iterable(chunks)
            hold = partial(_told, source)
            save_period(path, period, rows, hold=hold, cache_kib=SAVER_CACHE_KIB, **info)
        except ToolkitError as exc:
            answer = exc
    pickle.dump(answer, out, pickle.HIGHEST_PROTOCOL)
    out.flush()
    return 0


def _told(source: BinaryIO) -> bool:
    """Whether this process says to commit (EOF, or anything else: it did not)."""
    return source.readline() == COMMIT
