"""`python -m toolkit` and the PyInstaller entry point."""

import os
import sys

if getattr(sys, "frozen", False):
    # A frozen matplotlib rebuilds its font cache at every start unless its config dir is fixed.
    base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~")
    os.environ.setdefault("MPLCONFIGDIR", os.path.join(base, "fengong", "matplotlib"))

from toolkit.cli import main  # noqa: E402  (after the environment is set)

sys.exit(main())
