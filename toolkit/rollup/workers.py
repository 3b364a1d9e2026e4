"""Worker processes that read and check the returns of a large inbox, one per core.

A worker is this program started again (`python -m toolkit`, or the exe) with `toolkit.WORKER_ENV` set:
it reads its share of the files and then the plan from its stdin, and writes back one pickle per
chunk of files: their returns, checked, holding only what the roll-up keeps. Not `multiprocessing`:
its workers import the caller's main script again, so a script calling `rollup()` without an
`if __name__ == "__main__"` guard would run its own code once more in every worker.
"""

from __future__ import annotations

import gc
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from itertools import zip_longest
from pathlib import Path
from typing import Any, BinaryIO

import toolkit
from toolkit.io.inbox import Return, read_file
from toolkit.model import Plan
from toolkit.model.errors import ToolkitError
from toolkit.rollup.checks import examine, shared

READER, SAVER = "read", "save"  # the roles, as toolkit.WORKER_ENV says them
CHUNK_FILES = 16  # files per pickle sent back: few round trips, the results still streamed
AHEAD_CHUNKS = 4  # chunks a worker parses before it has the plan (their cells held meanwhile)


class WorkerError(ToolkitError):
    """A worker process ended before sending all its results back."""


def serve(role: str) -> int:
    """A worker process (`role`: READER, or SAVER for `saving.serve`). The reader: (inbox, its
    chunks of paths), later the plan, from stdin; a pickle per chunk to stdout. While the parent
    still reads the plan (0.5 s for 7,500 items), up to AHEAD_CHUNKS chunks are parsed."""
    source, out = pipes()
    if role == SAVER:
        from toolkit.rollup.saving import save_served

        return save_served(source, out)
    inbox, chunks = pickle.load(source)
    plan: Future[Plan] = Future()
    threading.Thread(target=_receive, args=(source, plan), daemon=True).start()
    parsed: list[list[Return]] = []
    for n, chunk in enumerate(chunks):
        parsed.append([read_file(p, inbox) for p in chunk])
        if not plan.done() and len(parsed) < AHEAD_CHUNKS and n + 1 < len(chunks):
            continue  # the plan is still on its way: parse on
        for read in parsed:
            for ret in read:
                examine(ret, plan.result())
            pickle.dump(read, out, pickle.HIGHEST_PROTOCOL)
            out.flush()
        parsed = []
    return 0


def _receive(source: BinaryIO, plan: Future[Plan]) -> None:
    """Take the plan from the parent, then freeze it: it lives as long as the worker, so no
    collection need look at it again."""
    try:
        plan.set_result(pickle.load(source))
        gc.freeze()
    except BaseException as exc:  # the parent abandoned the roll-up (EOF)
        plan.set_exception(exc)


def pipes() -> tuple[BinaryIO, BinaryIO]:
    """A worker's (stdin, results pipe): its stdout, which from now on only results reach
    (anything printed goes to stderr)."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return sys.stdin.buffer, out


class Workers:
    """Worker processes reading `paths` (under `inbox`), started at once: each gets every n-th
    file (so no worker is left with a whole chunk more than the others at the end), in chunks,
    then the plan (`results`), and sends back each chunk's returns, checked."""

    def __init__(self, count: int, inbox: Path, paths: list[Path]) -> None:
        self.procs = start(count, READER)  # OSError if they cannot be started
        self.shares = [_chunked(paths[k::count]) for k in range(count)]
        self.plan: Future[bytes] = Future()
        self.arrived: list[queue.SimpleQueue[Any]] = []
        for proc, share in zip(self.procs, self.shares):
            self.arrived.append(queue.SimpleQueue())
            work = pickle.dumps((inbox, share), pickle.HIGHEST_PROTOCOL)
            threading.Thread(target=self._exchange, args=(proc, work, self.arrived[-1]), daemon=True).start()

    def results(self, plan: Plan) -> Iterator[Return]:
        """Every file's return, checked against `plan`, in file order: the n-th chunks of all
        workers interleaved file by file."""
        self.plan.set_result(pickle.dumps(plan, pickle.HIGHEST_PROTOCOL))
        for n in range(len(self.shares[0])):  # the first share is the longest
            chunks = []
            for arrived, share in zip(self.arrived, self.shares):
                if n < len(share):
                    got = arrived.get()
                    if isinstance(got, BaseException):
                        raise WorkerError(f"读取进程中断（{type(got).__name__}: {got}）") from got
                    chunks.append(got)
            for files in zip_longest(*chunks):
                yield from (ret for ret in files if ret is not None)

    def _exchange(self, proc: subprocess.Popen[bytes], work: bytes, arrived: queue.SimpleQueue[Any]) -> None:
        """One worker's side in the parent: send its work and then the plan, and take each chunk's
        results as they come (so the worker never waits for the parent)."""
        stdin, stdout = proc.stdin, proc.stdout
        assert stdin and stdout
        try:
            with stdin:
                stdin.write(work)
                stdin.flush()
                stdin.write(self.plan.result())
            while True:  # until EOF: after the last chunk (never taken), or a worker that ended early
                arrived.put([shared(ret) for ret in pickle.load(stdout)])
        except BaseException as exc:  # EOF, a broken pipe, a worker killed, the roll-up abandoned
            arrived.put(exc)

    def stop(self) -> None:
        """End the workers (they have ended already if all their results were taken)."""
        if not self.plan.done():
            self.plan.set_exception(WorkerError("abandoned"))  # the senders waiting for it end
        end(self.procs)


def _chunked(paths: list[Path]) -> list[list[Path]]:
    return [paths[i : i + CHUNK_FILES] for i in range(0, len(paths), CHUNK_FILES)]


def start(count: int, role: str) -> list[subprocess.Popen[bytes]]:
    """Start `count` workers of `role`; they import what they need and wait for their work. OSError if not."""
    env = dict(os.environ, **{toolkit.WORKER_ENV: role})
    if getattr(sys, "frozen", False):
        command = [sys.executable]
    else:  # the same toolkit, wherever the caller imported it from
        command = [sys.executable, "-m", "toolkit"]
        root = str(Path(toolkit.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # Windows: no console window flashes up
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for _ in range(count):
            procs.append(
                subprocess.Popen(
                    command,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=env,
                    creationflags=flags,
                )
            )
    except OSError:
        end(procs)
        raise
    return procs


def end(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe:
                pipe.close()
