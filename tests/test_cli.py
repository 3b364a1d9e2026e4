"""The command line itself: version, Chinese help, errors without tracebacks."""

import subprocess
import sys

import pytest

from toolkit import __version__
from toolkit.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], capture_output=True, text=True)


def test_version():
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"fengong {__version__}"


def test_help_is_chinese():
    out = run("--help")
    assert out.returncode == 0
    assert "用法" in out.stdout and "分工方案" in out.stdout
    assert "show this help" not in out.stdout


def test_missing_argument_message_is_chinese():
    out = run("deadline")
    assert out.returncode == 2
    assert "缺少必需的参数" in out.stderr


def test_toolkit_error_is_a_message_not_a_traceback(tmp_path, capsys):
    missing = tmp_path / "不存在的方案.docx"
    assert main(["import", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "错误：" in err and "不存在的方案.docx" in err
    assert "Traceback" not in err


def test_help_loads_no_heavy_or_interface_modules():
    code = ("import sys\nfrom toolkit.cli import build_parser\nbuild_parser().format_help()\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'openpyxl', 'matplotlib', 'pandas', "
            "'numpy', 'xlsxwriter', 'docx', 'python_calamine', 'xlwings', 'tkinter'} "
            "or m.startswith(('toolkit.xl', 'toolkit.actions', 'toolkit.io'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_an_internal_fault_is_said_in_chinese_with_a_log(monkeypatch, capsys):
    import toolkit.cli as cli

    def broken(args):
        raise RuntimeError("坏了")

    monkeypatch.setattr(cli, "cmd_history", broken)
    assert main(["history", "x.sqlite"]) == cli.INTERNAL_ERROR
    err = capsys.readouterr().err
    assert err.startswith("内部错误：RuntimeError: 坏了") and "Traceback" not in err
    log = err.split("详细信息已写入 ", 1)[1].split("，请把", 1)[0]
    with open(log, encoding="utf-8") as f:
        assert "Traceback" in f.read()
    with pytest.raises(RuntimeError):
        main(["--debug", "history", "x.sqlite"])


def test_each_error_class_carries_its_exit_code(capsys):
    from toolkit.model.errors import ToolkitError, UsageError

    assert ToolkitError.exit_code == UsageError.exit_code == 2
    assert main(["distribute", "不存在.xlsx", "-o", "x", "--period", "2016年13月"]) == 2
    assert "错误：" in capsys.readouterr().err


def test_argument_errors_are_chinese():
    out = run("gantt", "a.xlsx", "-o", "b.pdf", "--group", "x")
    assert out.returncode == 2 and "无效的选项 'x'" in out.stderr and "invalid" not in out.stderr
    out = run("deadline", "--year", "x")
    assert "无效的值 'x'" in out.stderr
    out = run("demo", "a", "b")
    assert "无法识别的参数：b" in out.stderr
