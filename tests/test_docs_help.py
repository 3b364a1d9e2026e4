"""docs/commands.md holds every command's `--help` as the program prints it: a changed option
fails here until the page is regenerated (FENGONG_UPDATE_DOCS=1 pytest tests/test_docs_help.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from toolkit.cli import build_parser

DOC = Path(__file__).resolve().parents[1] / "docs" / "commands.md"
HEAD = """# 命令参考（fengong --help）

每个命令的完整帮助，与程序输出一致（由 tests/test_docs_help.py 核对；修改命令后运行
`FENGONG_UPDATE_DOCS=1 .venv/bin/python -m pytest tests/test_docs_help.py` 重新生成）。
"""


def _helps(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("COLUMNS", "100")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    helps = {"fengong": parser.format_help()}
    helps.update({f"fengong {name}": p.format_help() for name, p in sub.choices.items()})
    return helps


def _render(helps: dict[str, str]) -> str:
    return HEAD + "".join(f"\n## {name}\n\n```text\n{text.rstrip()}\n```\n" for name, text in helps.items())


def test_the_command_reference_is_what_the_program_prints(monkeypatch):
    helps = _helps(monkeypatch)
    if os.environ.get("FENGONG_UPDATE_DOCS"):
        DOC.write_text(_render(helps), encoding="utf-8")
    documented = dict(re.findall(r"^## (.+?)\n\n```text\n(.*?)\n```$", DOC.read_text(encoding="utf-8"), re.M | re.S))
    assert documented.keys() == helps.keys(), "docs/commands.md lists other commands than the program has"
    for name, text in helps.items():
        assert documented[name] == text.rstrip(), f"docs/commands.md is out of date for `{name} --help`"
