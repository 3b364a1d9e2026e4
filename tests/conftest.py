"""Shared fixtures: the five sample plans carried in tests/data/seeds; the demo's files; a private X display."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "tests" / "data" / "seeds"  # public documents issued by the governments named in them


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"sample plans not found at {SEEDS}")
    return SEEDS


def seed(prefix: str) -> Path:
    """The seed file whose name starts with `prefix` (e.g. "000")."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert matches, f"no seed {prefix}_*.txt in {SEEDS}"
    return matches[0]


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder `fengong demo` fills (plan, unit workbooks, returns, summaries), made once:
    tests read its files and write their own elsewhere."""
    from toolkit.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    for _ in run_demo(out):
        pass
    return out


@pytest.fixture(scope="session")
def display():
    """A private X server (Xvfb) for the window tests; DISPLAY points at it. Fails without Xvfb."""
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        pytest.fail("Xvfb not found: install the Debian package xvfb (bash .ci/run installs it) to test the window.")
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.fail("Xvfb started but gave no display number.")
    old = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = f":{number}"
    yield os.environ["DISPLAY"]
    if old is None:
        del os.environ["DISPLAY"]
    else:
        os.environ["DISPLAY"] = old
    server.terminate()
    server.wait(10)
