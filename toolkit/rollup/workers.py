"""Worker processes that read and check the returns of a large inbox, one per core.

A worker is this program started again (`python -m toolkit`, or the exe) with WORKER_ENV set:
it reads the plan and its share of the files from its stdin, and writes back one pickle per chunk
of files: their returns, checked, holding only what the roll-up keeps. Not `multiprocessing`:
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
from pathlib import Path
from typing import IO, Any

import toolkit
from toolkit.io.inbox import Return
from toolkit.model import Plan
from toolkit.model.errors import ToolkitError
from toolkit.rollup.checks import read_checked

WORKER_ENV = "FENGONG_WORKER"
CHUNK_FILES = 16  # files per pickle sent back: few round trips, the results still streamed


class WorkerError(ToolkitError):
    """A worker process ended before sending all its results back."""


def serve() -> int:
    """The worker: (plan, inbox) and then its chunks of paths from stdin, a pickle per chunk to stdout."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")  # the results' pipe; anything printed goes to stderr
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    source = sys.stdin.buffer
    plan, inbox = pickle.load(source)
    chunks: list[list[Path]] = pickle.load(source)
    gc.freeze()  # the plan lives as long as the worker: no collection need look at it again
    for chunk in chunks:
        pickle.dump([read_checked(p, inbox, plan) for p in chunk], out, pickle.HIGHEST_PROTOCOL)
        out.flush()
    return 0


def start(count: int) -> list[subprocess.Popen[bytes]]:
    """Start `count` workers; they import what they need and wait for their work. OSError if not."""
    env = dict(os.environ, **{WORKER_ENV: "1"})
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
        stop(procs)
        raise
    return procs


def results(procs: list[subprocess.Popen[bytes]], plan: Plan, inbox: Path, paths: list[Path]) -> Iterator[Return]:
    """Every file's return, checked by the workers, in file order (chunks dealt out in turn)."""
    chunks = [paths[i : i + CHUNK_FILES] for i in range(0, len(paths), CHUNK_FILES)]
    shared = pickle.dumps((plan, inbox), pickle.HIGHEST_PROTOCOL)
    inboxes: list[queue.SimpleQueue[Any]] = []
    for k, proc in enumerate(procs):
        mine = chunks[k :: len(procs)]
        inboxes.append(queue.SimpleQueue())
        work = (proc.stdin, proc.stdout, shared, mine, inboxes[-1])
        threading.Thread(target=_exchange, args=work, daemon=True).start()
    for n in range(len(chunks)):
        got = inboxes[n % len(procs)].get()
        if isinstance(got, BaseException):
            raise WorkerError(f"读取进程中断（{type(got).__name__}: {got}）") from got
        yield from got


def _exchange(
    stdin: IO[bytes], stdout: IO[bytes], shared: bytes, chunks: list[list[Path]], got: queue.SimpleQueue[Any]
) -> None:
    """One worker's side in the parent: send its work, then take each chunk's results as they come
    (so the worker never waits for the parent)."""
    try:
        with stdin:
            stdin.write(shared)
            pickle.dump(chunks, stdin, pickle.HIGHEST_PROTOCOL)
        for _ in chunks:
            got.put(pickle.load(stdout))
    except BaseException as exc:  # a broken pipe, a worker killed: the parent reads the files itself
        got.put(exc)


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """End the workers (they have ended already if all their results were taken)."""
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe:
                pipe.close()
