"""The command line itself: version, Chinese help, errors without tracebacks."""

import subprocess
import sys

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
