"""Shared fixtures: paths to the real seed documents beside the repository."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"seed documents not found at {SEEDS} (../shared must sit beside the repo)")
    return SEEDS


def seed(prefix: str) -> Path:
    """The seed file whose name starts with `prefix` (e.g. "000")."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert matches, f"no seed {prefix}_*.txt in {SEEDS}"
    return matches[0]
