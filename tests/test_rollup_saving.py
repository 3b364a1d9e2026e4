"""The history saved beside the summary's write (toolkit.rollup.saving): a saver process stores what
this process stores; a summary that is not written leaves the history as it was; a saver that
cannot start or dies leaves the save to this process; the saver's side of the pipes."""

from __future__ import annotations

import pickle
import shutil
import sqlite3
import sys
import time
from io import BytesIO
from pathlib import Path

import pytest

from toolkit.model.errors import NoMatchingReturnsError, OutputError
from toolkit.rollup import job, rollup, saving

NOVEMBER = ("收件", "2016年11月")
START = saving.start  # the real one


def _history(path: Path) -> tuple[list, list, list]:
    """Every stored row, run (without its time) and score."""
    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT * FROM rows ORDER BY period, unit, sub_unit, item_id").fetchall()
        runs = con.execute("SELECT period, plan_hash, plan_title, files, units_reported, units_missing FROM runs")
        scores = con.execute("SELECT * FROM scores ORDER BY period, unit").fetchall()
        return rows, runs.fetchall(), scores


@pytest.fixture
def savers(monkeypatch) -> list[object]:
    """Every history saved by a saver process from 1 row on; the savers started, as they are."""
    monkeypatch.setattr(saving, "SAVER_MIN_ROWS", 1)
    started: list[object] = []

    def counted(count, role):
        procs = START(count, role)
        started.extend(procs)
        return procs

    monkeypatch.setattr(saving, "start", counted)
    return started


def _roll(demo: Path, out: Path) -> tuple[list, list, list]:
    out.mkdir()
    rollup(demo.joinpath(*NOVEMBER), demo / "方案.xlsx", out / "汇总.xlsx", history=out / "h.sqlite")
    return _history(out / "h.sqlite")


def test_a_saver_process_stores_what_this_process_stores(demo, tmp_path, monkeypatch, savers):
    monkeypatch.setattr(saving, "SAVER_MIN_ROWS", 10**9)
    here = _roll(demo, tmp_path / "here")
    assert not savers and len(here[0]) > 90 and here[1] and here[2]
    monkeypatch.setattr(saving, "SAVER_MIN_ROWS", 1)
    assert _roll(demo, tmp_path / "saver") == here
    assert len(savers) == 1 and savers[0].poll() is not None  # one saver, ended


def test_a_summary_not_written_leaves_the_history_as_it_was(demo, tmp_path, monkeypatch, savers):
    out = tmp_path / "out"
    before = _roll(demo, out)
    with sqlite3.connect(out / "h.sqlite") as con:
        saved_at = con.execute("SELECT saved_at FROM runs").fetchall()

    def full_disk(book, path):
        time.sleep(1.5)  # the saver has deleted the period and inserted it again meanwhile
        raise OutputError("磁盘空间不足")

    monkeypatch.setattr(job, "write_summary", full_disk)
    fewer = tmp_path / "fewer"  # one return less: a saved period would differ
    shutil.copytree(demo.joinpath(*NOVEMBER), fewer)
    next(fewer.glob("*.xlsx")).unlink()
    with pytest.raises(OutputError):
        rollup(fewer, demo / "方案.xlsx", out / "再次.xlsx", history=out / "h.sqlite")
    assert not (out / "再次.xlsx").exists()
    assert len(savers) == 2 and savers[1].poll() is not None  # the second saver was ended, not committed
    assert not (out / "h.sqlite-journal").exists()  # it rolled back itself: no journal left beside the history
    assert _history(out / "h.sqlite") == before
    with sqlite3.connect(out / "h.sqlite") as con:
        assert con.execute("SELECT saved_at FROM runs").fetchall() == saved_at


def test_a_saver_started_with_the_readers_stores_the_same_and_ends_when_the_roll_up_stops(
    demo, tmp_path, monkeypatch, savers
):
    monkeypatch.setattr(saving, "SAVER_MIN_ROWS", 10**9)
    here = _roll(demo, tmp_path / "here")
    assert not savers  # 19 files: no saver
    monkeypatch.setattr(saving, "EARLY_MIN_FILES", 1)
    assert _roll(demo, tmp_path / "early") == here
    assert len(savers) == 1 and savers[0].poll() is not None
    history = tmp_path / "h.sqlite"
    with pytest.raises(NoMatchingReturnsError):  # stopped before the rows were sent
        rollup(demo.joinpath(*NOVEMBER), demo / "方案.xlsx", tmp_path / "x.xlsx", period="2016-05", history=history)
    assert len(savers) == 2 and savers[1].poll() is not None  # ended, not left waiting
    assert not history.exists() and not (tmp_path / "x.xlsx").exists()


def test_a_saver_that_cannot_start_or_dies_leaves_the_save_to_this_process(demo, tmp_path, monkeypatch, savers):
    monkeypatch.setattr(saving, "SAVER_MIN_ROWS", 10**9)
    here = _roll(demo, tmp_path / "here")
    monkeypatch.setattr(saving, "SAVER_MIN_ROWS", 1)

    def refused(count, role):
        raise PermissionError("blocked by policy")

    monkeypatch.setattr(saving, "start", refused)
    assert _roll(demo, tmp_path / "refused") == here
    fake = tmp_path / "fake-python"  # reads a little of the rows, answers rubbish, exits
    fake.write_text("#!/bin/sh\nhead -c 100 >/dev/null\necho rubbish\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(saving, "start", START)
    monkeypatch.setattr(sys, "executable", str(fake))
    assert _roll(demo, tmp_path / "died") == here


def _served(path: Path, word: bytes, rows: list[tuple], sent: Path) -> object:
    """What the saver's side answers to the file `sent` (the run, `rows` in two chunks), then `word`."""
    with open(sent, "wb") as fh:
        for message in ((path, "2016-11", {"plan_title": "方案", "files": 1}), rows[:1], rows[1:], None):
            pickle.dump(message, fh)
    source = BytesIO(pickle.dumps(sent) + word)
    out = BytesIO()
    assert saving.save_served(source, out) == 0
    return pickle.loads(out.getvalue())


def test_the_saver_commits_only_when_told(tmp_path):
    rows = [("区财政局", "", f"1-{n}", "推进中", 0.5, "", "正常推进", "a.xlsx") for n in range(3)]
    db = tmp_path / "h.sqlite"
    assert _served(db, b"", rows, tmp_path / "rows.pickle") is None  # told nothing (the roll-up ended): rolled back
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM rows").fetchone() == (0,)
    assert _served(db, saving.COMMIT, rows, tmp_path / "rows.pickle") is None
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT * FROM rows ORDER BY item_id").fetchall() == [("2016-11", *r) for r in rows]
    answer = _served(
        tmp_path, saving.COMMIT, rows, tmp_path / "rows.pickle"
    )  # a folder, not a file: the history's own words
    assert isinstance(answer, OutputError) and "是一个文件夹" in str(answer)
