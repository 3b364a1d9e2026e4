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
    code = (
        "import sys\nfrom toolkit.cli import build_parser\nbuild_parser().format_help()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'openpyxl', 'matplotlib', 'pandas', "
        "'numpy', 'xlsxwriter', 'docx', 'python_calamine', 'xlwings', 'tkinter'} "
        "or m.startswith(('toolkit.xl', 'toolkit.actions', 'toolkit.io'))))"
    )
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


@pytest.mark.parametrize(
    "argv, words",
    [
        (["import", "方案.txt", "-o", "方案.pdf"], "输出文件“方案.pdf”不是 .xlsx 文件：方案工作簿要存为Excel 工作簿"),
        (
            ["rollup", "收件", "--plan", "方案.xlsx", "-o", "汇总.pdf"],
            "输出文件“汇总.pdf”不是 .xlsx 文件：汇总表要存为Excel 工作簿",
        ),
        (["gantt", "汇总.xlsx", "-o", "甘特图.xlsx"], "输出文件“甘特图.xlsx”不是 .pdf 文件：甘特图要存为PDF 文件"),
        (["report", "汇总.xlsx", "-o", "通报.pdf"], "输出文件“通报.pdf”不是 .docx 文件：通报要存为Word 文档"),
        (["rollup", "收件", "--plan", "方案.xlsx", "-o", "汇总.xlsx", "--due-days", "-5"], "临期天数“-5”无效"),
        (["report", "汇总.xlsx", "-o", "通报.docx", "--no", "0"], "期数“0”无效"),
        *(  # a date not understood names its option
            (argv, f"错误：{argv[-2]} 的日期“{argv[-1]}”无法识别，请写成 2016-12-05")
            for argv in (
                ["distribute", "方案.xlsx", "-o", "分发", "--period", "2016-11", "--return-by", "下周五"],
                ["rollup", "收件", "--plan", "方案.xlsx", "-o", "汇总.xlsx", "--return-by", "12月5日"],
                ["rollup", "收件", "--plan", "方案.xlsx", "-o", "汇总.xlsx", "--as-of", "2016-13-01"],
                ["remind", "汇总.xlsx", "-o", "通知", "--reply-by", "明天"],
            )
        ),
    ],
)
def test_a_wrong_output_suffix_number_or_date_is_refused_before_any_work(tmp_path, monkeypatch, capsys, argv, words):
    monkeypatch.chdir(tmp_path)  # none of the inputs exist: the arguments are checked first
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_distribute_return_by_reaches_the_guide(tmp_path, capsys):
    from openpyxl import load_workbook
    from unit_plans import small_plan

    from toolkit.io import schema as S
    from toolkit.io.planbook import write_plan

    plan = write_plan(small_plan(), tmp_path / "方案.xlsx")
    assert (
        main(
            [
                "distribute",
                str(plan),
                "-o",
                str(tmp_path / "分发"),
                "--period",
                "2016-11",
                "--return-by",
                "2016年12月5日",  # as people write it, read like 2016-12-05
                "--units",
                "区编办",
            ]
        )
        == 0
    )
    book = next(f for f in (tmp_path / "分发").glob("区编办*.xlsx"))
    texts = [c.value for row in load_workbook(book)[S.GUIDE_SHEET].iter_rows() for c in row if c.value]
    assert "请于2016年12月5日前将本工作簿报送牵头协调部门（直接回传本文件，勿改为其他格式）。" in texts
    assert (
        main(["distribute", str(plan), "-o", str(tmp_path / "x"), "--period", "2016-11", "--return-by", "12月5日"]) == 2
    )
    assert "日期“12月5日”无法识别" in capsys.readouterr().err
    help_text = run("distribute", "--help").stdout
    assert "--return-by 日期" in help_text and "报送截止日期" in help_text
