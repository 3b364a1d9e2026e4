"""`python -m toolkit` and the PyInstaller entry point."""

import os
import sys

if getattr(sys, "frozen", False):
    # PyInstaller's matplotlib run-time hook points MPLCONFIGDIR at a new temporary folder, so the
    # font cache would be rebuilt at every `gantt` (≈0.2 s of 1.4 s here): keep it in the user cache.
    base = os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    os.environ["MPLCONFIGDIR"] = os.path.join(base, "fengong", "matplotlib")

from toolkit import WORKER_ENV

if role := os.environ.get(WORKER_ENV):  # started by a roll-up to read returns or save its history
    from toolkit.rollup.workers import serve

    sys.exit(serve(role))

from toolkit.cli import main

sys.exit(main())
