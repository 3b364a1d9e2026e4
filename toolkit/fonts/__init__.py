"""The shipped Simplified Chinese font (Noto Sans SC, SIL OFL 1.1) and its registration."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

FONT_FILE = "NotoSansSC-Regular.otf"


def font_path() -> Path:
    """Path of the shipped Noto Sans SC .otf file."""
    return Path(str(files(__name__) / FONT_FILE))


@cache
def use_in_matplotlib() -> str:
    """Register the shipped font with matplotlib (Agg backend) and make it the default.

    Keeps `pdf.fonttype` 3: with this .otf, Type 42 embeds a mislabelled font.
    Returns the family name. Safe to call many times.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    path = str(font_path())
    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    matplotlib.rcParams.update(
        {
            "font.family": [family],
            "font.sans-serif": [family],
            "axes.unicode_minus": False,
            "pdf.fonttype": 3,
            "hatch.linewidth": 0.6,
        }
    )
    return family
