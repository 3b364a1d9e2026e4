"""Reading a large inbox in worker processes (toolkit.rollup.workers): the same roll-up as in one
thread, also when the workers cannot start or die, and never running the caller's script twice."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from toolkit.rollup import collect, rollup, workers

PROCESSES: list[int] = []


@pytest.fixture
def inbox(demo, tmp_path):
    """The demo's November inbox (returns, a damaged copy, a lock file, a mail folder) twice over:
    each unit's return is there twice, one of them taken as the older version."""
    box = tmp_path / "inbox"
    shutil.copytree(demo / "收件" / "2016年11月", box / "早")
    shutil.copytree(demo / "收件" / "2016年11月", box / "晚")
    return box


def _roll(inbox: Path, demo: Path, out: Path, **kw) -> tuple[dict, list, dict]:
    """What a roll-up says (JSON without timings, problems) and every sheet of its summary;
    `PROCESSES` gets how many worker processes read its files."""
    out.mkdir()
    result = rollup(inbox, demo / "方案.xlsx", out / "汇总.xlsx", history=out / "h.sqlite", **kw)
    said = result.to_json()
    PROCESSES.append(said.pop("processes"))
    del said["timings"], said["output"], said["history"]
    made = said["overview"].pop("生成时间")  # and the metadata's generated_at: the times of the run
    problems = [(p.severity, p.code, p.file, p.cell, p.message) for p in result.problems]
    wb = CalamineWorkbook.from_path(str(result.output))
    sheets = {
        name: [
            [v.replace(made, "") if isinstance(v, str) else v for v in row]
            for row in wb.get_sheet_by_name(name).to_python()
            if row[:1] != ["generated_at"]
        ]
        for name in wb.sheet_names
    }
    return said, problems, sheets


def _spawned(monkeypatch) -> tuple[list[int], list[str]]:
    """Every inbox read in workers from 1 file on; the number of workers started per roll-up, and
    the name of every return the workers sent back."""
    monkeypatch.setattr(collect, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(collect, "PROCESS_MIN_FILES", 1)
    started: list[int] = []
    sent: list[str] = []

    class Counted(workers.Workers):
        def __init__(self, count, inbox, paths):
            started.append(count)
            super().__init__(count, inbox, paths)

        def results(self, plan):
            for ret in super().results(plan):
                sent.append(ret.name)
                yield ret

    monkeypatch.setattr(collect, "Workers", Counted)
    return started, sent


def test_workers_roll_up_exactly_what_one_thread_does(demo, inbox, tmp_path, monkeypatch):
    PROCESSES.clear()
    alone = _roll(inbox, demo, tmp_path / "one", workers=1)
    started, sent = _spawned(monkeypatch)
    progress: list[tuple[int, int]] = []
    shared = _roll(inbox, demo, tmp_path / "two", workers=2, on_progress=lambda n, total: progress.append((n, total)))
    assert started == [2] and len(sent) == len(progress) >= 34  # every file came back from a worker
    assert PROCESSES == [0, 2]
    assert progress[-1] == (len(sent), len(sent))
    assert shared == alone
    assert alone[0]["problems"]["errors"] > 0 and alone[1]  # the damaged file and the older versions are there


def test_workers_that_cannot_start_or_die_leave_the_work_to_threads(demo, inbox, tmp_path, monkeypatch):
    alone = _roll(inbox, demo, tmp_path / "one", workers=1)
    started, sent = _spawned(monkeypatch)

    def refused(count, inbox, paths):
        started.append(count)
        raise PermissionError("blocked by policy")

    counted = collect.Workers
    monkeypatch.setattr(collect, "Workers", refused)
    assert _roll(inbox, demo, tmp_path / "refused", workers=2) == alone
    fake = tmp_path / "fake-python"  # reads a little of its work, answers rubbish, exits
    fake.write_text("#!/bin/sh\nhead -c 100 >/dev/null\necho rubbish\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(collect, "Workers", counted)
    monkeypatch.setattr(sys, "executable", str(fake))
    PROCESSES.clear()
    assert _roll(inbox, demo, tmp_path / "died", workers=2) == alone
    assert started == [2, 2] and sent == [] and PROCESSES == [0]  # refused; then started, and died


def test_a_callers_script_without_a_main_guard_runs_once(demo, inbox, tmp_path):
    """multiprocessing would import the caller's script again in every worker; these workers do not."""
    marks = tmp_path / "marks.txt"
    script = tmp_path / "汇总脚本.py"
    script.write_text(
        "from pathlib import Path\n"
        "from toolkit.rollup import collect, rollup\n"
        f"with open({str(marks)!r}, 'a') as fh:\n"
        "    fh.write('run\\n')\n"
        "collect.PROCESS_MIN_FILES = 1\n"
        "class Counted(collect.Workers):\n"
        "    def __init__(self, count, inbox, paths):\n"
        "        print('workers', count)\n"
        "        super().__init__(count, inbox, paths)\n"
        "collect.Workers = Counted\n"
        f"r = rollup({str(inbox)!r}, {str(demo / '方案.xlsx')!r}, {str(tmp_path / 's.xlsx')!r},"
        f" history={str(tmp_path / 'h.sqlite')!r}, workers=2)\n"
        "print(r.files)\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    said = done.stdout.split()
    assert said[:2] == ["workers", "2"] and int(said[2]) >= 34
    assert marks.read_text() == "run\n"


def test_a_worker_parses_ahead_until_the_plan_comes_and_sends_every_chunk_in_order(demo, inbox):
    """The plan sent a while after the paths (as the parent reads it meanwhile): a worker parses
    up to AHEAD_CHUNKS chunks, then waits; every file comes back once, in order, checked as in
    this process."""
    import pickle
    import time

    from toolkit.io.planbook import read_plan
    from toolkit.rollup.checks import read_checked

    paths = sorted(p for p in inbox.rglob("*.xlsx") if not p.name.startswith("~$"))
    chunks = [[p] for p in paths]  # one file a chunk: more chunks than a worker parses ahead
    assert len(chunks) > workers.AHEAD_CHUNKS
    plan = read_plan(demo / "方案.xlsx")
    (proc,) = workers.start(1, workers.READER)
    try:
        assert proc.stdin and proc.stdout
        proc.stdin.write(pickle.dumps((inbox, chunks)))
        proc.stdin.flush()
        time.sleep(1)  # the parent still reading the plan
        proc.stdin.write(pickle.dumps(plan))
        proc.stdin.close()
        sent = [pickle.load(proc.stdout) for _ in chunks]
        assert proc.stdout.read() == b"" and proc.wait(10) == 0
    finally:
        workers.end([proc])
    here = [read_checked(p, inbox, plan) for p in paths]
    assert [[ret.path for ret in chunk] for chunk in sent] == [[p] for p in paths]
    for (ret,), mine in zip(sent, here):
        assert (ret.unit, ret.period, ret.kind, ret.findings) == (mine.unit, mine.period, mine.kind, mine.findings)
        assert [(r.item_id, r.filled) for r in ret.rows] == [(r.item_id, r.filled) for r in mine.rows]


@pytest.mark.parametrize("count", [2, 3])
def test_workers_share_the_files_evenly_and_send_them_back_in_order(demo, inbox, monkeypatch, count):
    """Each worker gets every n-th file, so their shares differ by one file at most (not by a
    whole chunk); the results still come back in file order, each file once."""
    from toolkit.io.planbook import read_plan

    monkeypatch.setattr(workers, "CHUNK_FILES", 7)  # several rounds, and last chunks of unequal length
    paths = sorted(p for p in inbox.rglob("*.xlsx") if not p.name.startswith("~$"))
    assert len(paths) % (count * 7) > 1
    pool = workers.Workers(count, inbox, paths)
    try:
        sent = [ret.path for ret in pool.results(read_plan(demo / "方案.xlsx"))]
    finally:
        pool.stop()
    assert sent == paths
    shares = [sum(map(len, share)) for share in pool.shares]
    assert max(shares) - min(shares) <= 1 and sum(shares) == len(paths)


def test_a_row_crosses_the_pipe_whole():
    """ReturnRow is pickled as its fields (`__reduce__`): every one of them arrives."""
    import pickle

    from toolkit.io.inbox import ReturnRow

    row = ReturnRow("1-1", 7, {"完成状态": "推进中"}, sub_unit="区编办", reported=False, filled=("推进中", 0.5))
    assert pickle.loads(pickle.dumps(row, pickle.HIGHEST_PROTOCOL)) == row
