"""The `fengong` command: parse arguments, make one library call, print the result.

Each command is one thin function `cmd_<name>(args)`; the work lives in the job modules,
imported inside the function so that `fengong --help` starts fast.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.model.errors import ToolkitError
from toolkit.zh_argparse import ArgumentParser

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date


def _json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def cmd_deadline(args: argparse.Namespace) -> int:
    from toolkit.io.text import decode_text
    from toolkit.model import deadlines

    texts = args.text or decode_text(sys.stdin.buffer.read(), "标准输入").splitlines()
    parsed = [deadlines.parse(t, args.year) for t in texts]
    if args.json:
        for d in parsed:
            _json(d.to_dict())
    else:
        print(deadlines.format_table(parsed))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from toolkit.importers import import_plan
    from toolkit.io.atomic import require_suffix
    from toolkit.io.planbook import write_plan

    if args.output:
        require_suffix(args.output, ".xlsx", "方案工作簿")  # said before the import's work, not after
    plan = import_plan(args.source, year=args.year, columns=args.columns)
    if args.output:
        write_plan(plan, args.output)
    if args.json:
        _json(plan.to_dict())
    else:
        where = f"，已写入 {args.output}" if args.output else "（未指定 -o，未写文件）"
        print(
            f"导入完成：{plan.title or args.source}，{len(plan.items)} 项要求，"
            f"{len(plan.units)} 个责任单位，{len(plan.problems)} 处待核实{where}"
        )
    return 0


def cmd_distribute(args: argparse.Namespace) -> int:
    from toolkit.distribute import distribute
    from toolkit.io.planbook import read_plan

    return_by = _date_arg(args.return_by, "--return-by")
    result = distribute(
        read_plan(args.plan),
        args.output,
        args.period,
        units=args.units,
        carry_from=args.carry_from,
        paper=args.paper,
        contact=args.contact or "",
        return_by=return_by,
        plan_book=args.plan,
    )
    for note in result.notes:
        print(note)
    carried = sum(1 for f in result.files if f.carried)
    print(
        f"分发完成：{len(result.files)} 个单位的台账（{'沿用上期填报 ' + str(carried) + ' 个单位，' if carried else ''}"
        f"清单见 {result.manifest}）→ {result.outdir}"
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from toolkit.io.planbook import read_plan
    from toolkit.validate import validate

    report = validate(args.file, read_plan(args.plan) if args.plan else None, period=args.period)
    if args.json:
        _json(report.to_dict())
    else:
        print("\n".join(report.lines()))
    return 1 if report.errors else 0


def _progress_bar(done: int, total: int) -> None:
    """A one-line bar on stderr while many files are read (only on a terminal)."""
    if total < 20 or not sys.stderr.isatty():
        return
    filled = done * 30 // total
    end = "\n" if done == total else ""
    print(f"\r读取报送文件 [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", end=end, file=sys.stderr, flush=True)


def cmd_rollup(args: argparse.Namespace) -> int:
    from toolkit.io.atomic import require_suffix
    from toolkit.rollup import rollup

    require_suffix(args.output, ".xlsx", "汇总表")
    # No cyclic collection until the result is printed and dropped: rollup() turns collection
    # back on as it returns, and the first one then scanned every object it made (0.13 s at
    # 1,000 returns); once the result is gone there is little left to scan.
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = rollup(
            args.inbox,
            args.plan,
            args.output,
            period=args.period,
            history=args.history,
            due_days=args.due_days,
            unit=args.unit,
            return_by=_date_arg(args.return_by, "--return-by"),
            paper=args.paper,
            on_progress=None if args.json else _progress_bar,
            as_of=_date_arg(args.as_of, "--as-of"),
        )
        if args.json:
            _json(result.to_json())
        else:
            print(result.closing_line())
        del result
    finally:
        if collecting:
            gc.enable()
    return 0


def _date_arg(text: str | None, option: str) -> date | None:
    """The date given to `option`, None when the option is not given."""
    from toolkit.model.normalise import typed_date

    return typed_date(text, f"{option} 的日期") if text else None


def cmd_report(args: argparse.Namespace) -> int:
    from toolkit.reports.bulletin import bulletin

    result = bulletin(args.summary, args.output, number=args.no, office=args.office or "")
    print(result.line())
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    from toolkit.reports.reminders import remind

    result = remind(
        args.summary,
        args.output,
        office=args.office or "",
        contact=args.contact or "",
        reply_by=_date_arg(args.reply_by, "--reply-by"),
    )
    print(result.line())
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from toolkit.io.history import drop_period, overview, report

    if args.drop:
        from toolkit.model.period import Period

        period = Period.parse(args.drop)
        removed = drop_period(args.db, str(period))
        print(
            f"已从历史数据库 {args.db} 中删除 {period.label} 的记录（{removed} 行）。该期的汇总表不受影响，需要时可重新汇总。"
        )
        return 0
    periods = overview(args.db)
    if args.json:
        _json([p.to_dict() for p in periods])
    else:
        print(report(args.db, periods))
    return 0


def cmd_gantt(args: argparse.Namespace) -> int:
    from toolkit.charts.gantt import ChartOptions, chart, parse_month
    from toolkit.io.atomic import require_suffix

    require_suffix(args.output, ".pdf", "甘特图")

    options = ChartOptions(
        paper=args.paper,
        group=args.group,
        png=args.png,
        status_date=parse_month(args.status_date, end=True) if args.status_date else None,
        date_from=parse_month(args.date_from) if args.date_from else None,
        date_to=parse_month(args.date_to, end=True) if args.date_to else None,
        units=args.units,
    )
    result = chart(args.source, args.output, options)
    extra = f"，另存 {len(result.pngs)} 张 PNG" if result.pngs else ""
    print(f"甘特图：{result.rows} 行，{result.pages} 页 → {result.path}{extra}")
    return 0


def cmd_xl(args: argparse.Namespace) -> int:
    from toolkit.xl import run

    return run(args.action, from_xl=args.from_xl == "1")


def cmd_demo(args: argparse.Namespace) -> int:
    from toolkit.demo import run_demo

    for line in run_demo(args.outdir):
        print(line)
    return 0


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="fengong",
        description="分工方案工作台：导入印发的分工方案，分发各单位任务台账，汇总报送情况，打印甘特图。",
        epilog="每个命令的用法：fengong 命令 --help",
    )
    parser.add_argument("--version", action="version", version=f"fengong {__version__}", help="显示版本号并退出")
    parser.add_argument("--debug", action="store_true", help="出现内部错误时显示完整的技术信息（供技术支持）")
    sub = parser.add_subparsers(dest="command", title="命令", metavar="命令")

    p = sub.add_parser("deadline", help="解析完成时限文字", description="解析“完成时限”文字，输出截止日期和时限类型。")
    p.add_argument("--year", type=int, required=True, metavar="年度", help="方案年度（文字未写年份时使用）")
    p.add_argument("--json", action="store_true", help="每条输出一行 JSON")
    p.add_argument("text", nargs="*", metavar="文字", help="完成时限文字；不给则从标准输入逐行读取")
    p.set_defaults(func=cmd_deadline)

    p = sub.add_parser(
        "import",
        help="导入分工方案（.docx/.xlsx/.txt）",
        description="把印发的分工方案（Word 表格、Excel 表格或提取的文字）导入为方案工作簿。",
    )
    p.add_argument("source", metavar="方案文件", help="印发的方案：.docx、.xlsx 或 .txt")
    p.add_argument("-o", "--output", metavar="方案.xlsx", help="输出的方案工作簿（.xlsx）")
    p.add_argument("--year", type=int, metavar="年度", help="方案年度（默认从标题、文号或日期识别）")
    p.add_argument(
        "--columns",
        metavar="列=表头,…",
        help="指明表头的含义，如 要求=具体内容,牵头=责任科室；列名：任务 要求 牵头 配合 时限 备注 领导 分类 序号 其他",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出方案")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "distribute",
        help="为各单位生成任务台账",
        description="按方案为每个责任单位生成一份任务台账（.xlsx）和分发清单。",
    )
    p.add_argument("plan", metavar="方案.xlsx", help="方案工作簿（fengong import 的结果）")
    p.add_argument("-o", "--output", required=True, metavar="分发文件夹", help="输出文件夹（不存在则新建）")
    p.add_argument("--period", required=True, metavar="期次", help="报送期次，如 2016-11、2016年11月")
    p.add_argument("--units", nargs="+", metavar="单位", help="只为这些单位生成（默认全部单位，可用顿号分隔）")
    p.add_argument("--carry-from", metavar="上期收件文件夹", help="上期回收的台账所在文件夹：沿用上期填报内容")
    p.add_argument(
        "--paper", choices=("A3", "A4"), default="A3", metavar="纸张", help="打印纸张（横向）：A3（默认）或 A4"
    )
    p.add_argument("--contact", metavar="联系方式", help="填报说明中的联系方式，如“区政务办 张三 83000000”")
    p.add_argument("--return-by", metavar="日期", help="报送截止日期，如 2016-12-05：写入各单位的填报说明")
    p.set_defaults(func=cmd_distribute)

    p = sub.add_parser(
        "validate",
        help="检查单位报回的台账",
        description="检查单位报回的任务台账，逐个单元格指出问题；有错误时退出码为 1。",
    )
    p.add_argument("file", metavar="台账.xlsx", help="单位报回的台账")
    p.add_argument("--plan", metavar="方案.xlsx", help="方案工作簿：核对方案内容是否被改动")
    p.add_argument("--period", metavar="期次", help="本次应报送的期次，如 2016-11")
    p.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "rollup",
        help="汇总各单位报回的台账",
        description="把报送文件夹中各单位报回的台账（或下级汇总表）"
        "汇总为一个汇总工作簿：总览、分单位统计、任务明细、逾期/临期事项、未报送单位、校验问题、本月变化。",
    )
    p.add_argument("inbox", metavar="收件文件夹", help="报送文件夹（含子文件夹）")
    p.add_argument("--plan", required=True, metavar="方案.xlsx", help="方案工作簿")
    p.add_argument("-o", "--output", required=True, metavar="汇总.xlsx", help="输出的汇总工作簿")
    p.add_argument("--period", metavar="期次", help="报送期次，如 2016-11（默认取多数文件的期次）")
    p.add_argument("--history", metavar="历史库", help="历史数据库（默认在方案工作簿旁：方案名_历史.sqlite）")
    p.add_argument("--due-days", type=int, default=30, metavar="天数", help="临期天数：多少天内到期算临期，默认 30")
    p.add_argument("--unit", metavar="单位", help="汇总单位名称（写入汇总表，供上一级汇总识别；默认为方案的印发单位）")
    p.add_argument("--return-by", metavar="日期", help="报送截止日期，如 2016-12-05：用于判断是否按时报送")
    p.add_argument("--as-of", metavar="日期", help="统计日期（默认为期次最后一天与今天中较早者）")
    p.add_argument(
        "--paper", choices=("A3", "A4"), default="A3", metavar="纸张", help="打印纸张（横向）：A3（默认）或 A4"
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出总览、分单位统计和各表行数")
    p.set_defaults(func=cmd_rollup)

    p = sub.add_parser(
        "report",
        help="生成督查通报（Word）",
        description="按汇总表起草本期督查通报（.docx，公文格式）："
        "总体情况、工作成效、存在问题、下一步工作要求，附逾期和欠序时事项清单。",
    )
    p.add_argument("summary", metavar="汇总表.xlsx", help="fengong rollup 生成的汇总表")
    p.add_argument("-o", "--output", required=True, metavar="通报.docx", help="输出的 Word 文件")
    p.add_argument("--no", type=int, metavar="期数", help="督查通报期数（第N期）")
    p.add_argument("--office", metavar="单位", help="发文单位（默认：汇总单位＋督查办）")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "remind",
        help="生成催报、督办通知",
        description="按汇总表为每个未报送单位生成催报通知，为每个有逾期或欠序时事项的"
        "单位生成督办通知（.docx），另附一份短信提醒（.txt）。",
    )
    p.add_argument("summary", metavar="汇总表.xlsx", help="fengong rollup 生成的汇总表")
    p.add_argument("-o", "--output", required=True, metavar="文件夹", help="存放通知的文件夹（不存在则新建）")
    p.add_argument("--office", metavar="单位", help="发文单位（默认：汇总单位＋督查办）")
    p.add_argument("--contact", metavar="联系人", help="联系人及电话，如“张三 83000000”")
    p.add_argument("--reply-by", metavar="日期", help="回复期限，如 2016-12-08（默认：3 个工作日后）")
    p.set_defaults(func=cmd_remind)

    p = sub.add_parser(
        "history", help="查看历次汇总记录", description="列出历史数据库中的各期汇总，以及各单位历次完成情况。"
    )
    p.add_argument("db", metavar="历史库", help="历史数据库（.sqlite）")
    p.add_argument("--drop", metavar="期次", help="删除一期的记录（如误汇总的 2016-12），其他各期不变")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser(
        "gantt",
        help="绘制甘特图（PDF）",
        description="按方案工作簿、单位台账或汇总表绘制截止时间和完成状态的甘特图，输出可打印的分页 PDF。",
    )
    p.add_argument("source", metavar="来源.xlsx", help="方案工作簿、单位台账或汇总表（.xlsx）")
    p.add_argument("-o", "--output", required=True, metavar="甘特图.pdf", help="输出的 PDF 文件")
    p.add_argument("--paper", choices=("A3", "A4"), default="A3", metavar="纸张", help="纸张（横向）：A3（默认）或 A4")
    p.add_argument(
        "--group",
        choices=("unit", "task"),
        default="unit",
        metavar="分组",
        help="分组：unit 按责任单位（默认），task 按工作任务",
    )
    p.add_argument(
        "--status-date",
        metavar="日期",
        help="统计日期，如 2016-11-30（默认：汇总表的统计日期，否则报送期末，否则今天）",
    )
    p.add_argument("--from", dest="date_from", metavar="月份", help="时间轴起始月，如 2016-06")
    p.add_argument("--to", dest="date_to", metavar="月份", help="时间轴结束月，如 2017-03")
    p.add_argument("--units", nargs="+", metavar="单位", help="只画这些单位（可用顿号分隔）")
    p.add_argument("--png", action="store_true", help="同时为每页另存一张 PNG 图片")
    p.set_defaults(func=cmd_gantt)

    p = sub.add_parser(
        "demo", help="用自带示例演示完整流程", description="用自带的示例方案演示完整流程，输出写入指定的文件夹。"
    )
    p.add_argument("outdir", metavar="输出文件夹", help="输出文件夹（不存在则新建）")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "xl",
        help="由 Excel 加载项 fengong.xlam 的按钮调用（check/rollup/gantt/distribute/report/remind）",
        description="由 Excel 加载项 fengong.xlam 的“分工台账”按钮通过 xlwings 调用，处理当前活动的工作簿。"
        "操作：check 校验本表，rollup 汇总文件夹，gantt 生成甘特图，distribute 分发台账；"
        "在汇总表中：report 生成督查通报，remind 生成催报通知。",
    )
    p.add_argument(
        "action",
        metavar="操作",
        help="操作：check、rollup、gantt、distribute、report 或 remind（其他值会得到中文提示）",
    )
    for extra in ("--wb", "--from_xl", "--app", "--hwnd"):  # appended by xlwings' RunFrozenPython
        p.add_argument(extra, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_xl)
    return parser


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) == 1:  # no arguments (a double-clicked fengongw.exe or fengong.exe): the window
        from toolkit.gui import start

        if start():
            return 0
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)  # a cmd_*, set by set_defaults
    if not func:
        parser.print_help()
        return 0
    try:
        return func(args)
    except ToolkitError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `fengong import … --json | head`: the reader left, stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a fault of ours: say so in Chinese, keep the details in a log
        if args.debug:
            raise
        log = _write_crash_log()
        print(
            f"内部错误：{type(exc).__name__}: {exc}\n这是程序本身的问题，不是您的操作错误。"
            f"{'详细信息已写入 ' + str(log) + '，请把该文件发给技术支持。' if log else ''}"
            "（加 --debug 可直接显示详细信息。）",
            file=sys.stderr,
        )
        return INTERNAL_ERROR


INTERNAL_ERROR = 3  # exit code of an unexpected fault (2: a ToolkitError, 1: validate found errors)


def _write_crash_log() -> Path | None:
    """The traceback of the exception being handled, in a log file under the temp folder."""
    import tempfile
    import traceback
    from datetime import datetime

    try:
        fd, name = tempfile.mkstemp(prefix=f"fengong-错误-{datetime.now():%Y%m%d-%H%M%S}-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as log:
            log.write(f"fengong {__version__}  {' '.join(sys.argv)}\n\n{traceback.format_exc()}")
        return Path(name)
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())
