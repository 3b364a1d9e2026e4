"""Dependencies point down: interfaces → jobs → io → model (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "toolkit"
INTERFACES = ("toolkit.cli", "toolkit.gui", "toolkit.actions", "toolkit.xl", "toolkit.zh_argparse", "toolkit.__main__")
JOBS = (
    "toolkit.importers",
    "toolkit.distribute",
    "toolkit.validate",
    "toolkit.rollup",
    "toolkit.charts",
    "toolkit.reports",
    "toolkit.demo",
)
LAYERS = {"model": 0, "io": 1, "jobs": 2, "interfaces": 3}


def _layer(module: str) -> str | None:
    if module.startswith(INTERFACES):
        return "interfaces"
    if module.startswith(JOBS):
        return "jobs"
    if module.startswith("toolkit.io"):
        return "io"
    if module.startswith(("toolkit.model", "toolkit.fonts")):
        return "model"
    return None  # toolkit itself (__version__)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("toolkit"):
            found.update(f"{node.module}.{a.name}" if node.module == "toolkit" else node.module for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("toolkit"))
    return found


MODULES = sorted(PKG.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_no_module_imports_a_layer_above_its_own(path):
    module = "toolkit." + ".".join(path.relative_to(PKG).with_suffix("").parts).removesuffix(".__init__")
    own = _layer(module)
    if own is None:
        return
    upward = [m for m in _imports(path) if (layer := _layer(m)) and LAYERS[layer] > LAYERS[own]]
    assert not upward, f"{module} ({own}) imports {upward}"


def test_the_model_layer_needs_only_the_standard_library_and_chinese_calendar():
    allowed = {"chinese_calendar", "toolkit"}
    for path in (PKG / "model").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
            )
            for name in names:
                top = name.split(".")[0]
                assert top in allowed or top in __import__("sys").stdlib_module_names, f"{path.name} imports {name}"
