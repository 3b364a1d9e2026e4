"""`fengong remind`: the 催报 and 督办 notices of a summary workbook, one .docx per unit, and one
text file of short messages (政务微信 / SMS) for all of them.

- 催报通知: each unit that did not report (未报送单位), with its 催报等级 by the periods in a row
  without a return;
- 督办通知: each unit with items 逾期 or 欠序时 (任务明细), listing them with 原定时限, 逾期天数 and
  督办等级 (提醒 → 警示 → 督办, rising with the periods in a row, toolkit.reports.escalation).

Each notice states the basis, the facts, the demand (report by a date and hour, explain, apply
for an extension with reason), the consequence and the office's contact.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from toolkit.io.atomic import atomic_path
from toolkit.model.errors import OutputError
from toolkit.model.schedule import Pace
from toolkit.reports import docx_out as D
from toolkit.reports.escalation import LEVEL_COLOURS, LEVELS
from toolkit.reports.source import SummarySource, cell_text, cn_date, num, read_source

MESSAGES = "短信提醒.txt"
REPLY_WORKING_DAYS = 3  # default reply date: three working days after the notice
NOTICE_WIDTHS = [560, 3100, 1300, 1000, 1000, 1884]
NOTICE_HEADERS = ["序号", "事项", "原定时限", "逾期天数", "序时进度", "督办等级"]
CONSEQUENCE = {
    "提醒": "逾期仍未报送（办结）的，将在督查通报中予以通报。",
    "警示": "逾期仍未报送（办结）的，将在督查通报中点名通报，并按考核规则扣分。",
    "督办": "逾期仍未报送（办结）的，将点名通报、按考核规则扣分，并约谈单位主要负责人。",
}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class Notice:
    """One notice to write: its kind (催报 / 督办), unit, level and the items it lists."""

    kind: str
    unit: str
    level: str
    items: list[list[str]] = field(default_factory=list)
    owed: int = 0
    to: str = ""  # the unit's contact and phone, as the summary lists them (单位名录 or the return)


@dataclass
class RemindResult:
    folder: Path
    chase: list[Path]  # 催报通知
    press: list[Path]  # 督办通知
    messages: Path

    def line(self) -> str:
        return f"通知完成：催报通知 {len(self.chase)} 份，督办通知 {len(self.press)} 份，短信提醒 1 份 → {self.folder}"


def _rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else 0


def notices(src: SummarySource) -> list[Notice]:
    """The notices a summary calls for: 催报 for every unit that did not report, then 督办 for every
    unit with items 逾期 or 欠序时 (unit order of 分单位统计)."""
    out = [
        Notice(
            "催报", str(m["单位"]), str(m.get("催报等级") or LEVELS[0]), owed=int(num(m.get("应报事项数"))), to=_to(m)
        )
        for m in src.rows("未报送单位")
    ]
    days = {
        (str(r.get("编号")), str(r.get("责任单位")), str(r.get("下级单位") or "")): r.get("逾期天数")
        for r in src.rows("逾期事项")
    }
    press: dict[str, Notice] = {}
    for r in src.rows("任务明细"):
        pace = r.get("序时进度")
        if pace not in (Pace.OVERDUE, Pace.BEHIND):
            continue
        unit = str(r["责任单位"])
        level = str(r.get("督办等级") or LEVELS[0])
        notice = press.setdefault(unit, Notice("督办", unit, level))
        if _rank(level) > _rank(notice.level):
            notice.level = level
        sub = str(r.get("下级单位") or "")
        late = days.get((str(r.get("编号")), unit, sub))
        task = f"{r.get('编号')} {cell_text(r.get('工作任务'))}：{cell_text(r.get('具体要求'))}" + (
            f"（{sub}）" if sub else ""
        )
        due = cell_text(r.get("截止日期")) or cell_text(r.get("完成时限"))
        notice.items.append(
            [str(len(notice.items) + 1), task, due, cell_text(late) if late is not None else "—", str(pace), level]
        )
    units = {str(u["单位"]): u for u in src.rows("分单位统计")}
    order = list(units)
    for n in press.values():
        n.to = _to(units.get(n.unit, {}))
    out += sorted(press.values(), key=lambda n: order.index(n.unit) if n.unit in order else len(order))
    return out


def _to(row: dict[str, object]) -> str:
    """「联系人 电话」 of a summary row ("" when neither is known)."""
    return " ".join(cell_text(row.get(k)) for k in ("联系人", "电话") if cell_text(row.get(k)))


def _file_name(notice: Notice, period_label: str) -> str:
    return _UNSAFE.sub("_", f"{notice.kind}通知_{notice.unit}_{period_label}.docx")


def notice_body(src: SummarySource, n: Notice, office: str, contact: str, reply_by: date, issued: date) -> list[str]:
    """The paragraphs and table of one notice."""
    period = src.period
    colour = LEVEL_COLOURS.get(n.level, "")
    title = f"关于{'催报' if n.kind == '催报' else '督办'}{period.label}推进落实情况的通知"
    tag = D.para(
        D.run(f"【{n.level}·{colour}】", D.HEITI, colour={"提醒": "1F4E9F", "警示": "C55A11"}.get(n.level, D.RED)),
        align="right",
        indent=False,
    )
    p = [tag, D.title(title), D.text(f"{n.unit}：", indent=False)]
    plan = f"《{src.plan_title}》"
    if n.kind == "催报":
        p += [
            D.text(
                f"按照{plan}的工作要求，各责任单位应于每月规定时间前报送当月推进落实情况。"
                f"截至{cn_date(src.as_of)}，你单位尚未报送{period.label}推进情况（应报事项 {n.owed} 项）"
                + (f"，已连续 {_LEVEL_PERIODS[n.level]} 期未报送" if n.level != LEVELS[0] else "")
                + "。"
            ),
            D.text(
                f"请于{cn_date(reply_by)}17:00前补报{period.label}任务台账，并书面说明未按时报送的原因。"
                f"{CONSEQUENCE[n.level]}"
            ),
        ]
    else:
        overdue = sum(1 for row in n.items if row[4] == Pace.OVERDUE)
        behind = len(n.items) - overdue
        facts = "、".join(
            x for x in (f"逾期未完成 {overdue} 项" if overdue else "", f"欠序时 {behind} 项" if behind else "") if x
        )
        p += [
            D.text(
                f"按照{plan}的工作要求，各项任务应按规定时限完成、按序时进度推进。根据{period.label}汇总情况"
                f"（统计截至{cn_date(src.as_of)}），你单位承担的任务中{facts}，具体如下："
            ),
            D.table(NOTICE_HEADERS, n.items, NOTICE_WIDTHS),
            D.text(
                f"请你单位高度重视，逐项分析原因、落实整改措施，于{cn_date(reply_by)}17:00前将整改情况和完成时间书面报送；"
                f"确需调整完成时限的，请书面说明理由并申请延期。{CONSEQUENCE[n.level]}"
            ),
        ]
    p += [
        D.text(f"联系人及电话：{contact}" if contact else "联系人及电话：　　　　（请填写）"),
        D.para(D.run(office), align="right", indent=False, before=560),
        D.para(D.run(cn_date(issued)), align="right", indent=False),
    ]
    return p


_LEVEL_PERIODS = {"提醒": "1", "警示": "2", "督办": "3"}


def message(src: SummarySource, n: Notice, office: str, contact: str, reply_by: date) -> str:
    """One line of 短信提醒.txt: whom to send it to (unit, contact, phone) and, after a tab, the
    short message (政务微信 / SMS) of one notice — pasted into Excel, the two are two columns."""
    by = f"{reply_by.month}月{reply_by.day}日17:00前"
    if n.kind == "催报":
        text = f"【{office}·{n.level}】{n.unit}：你单位尚未报送{src.period.label}推进情况，请于{by}补报。"
    else:
        overdue = sum(1 for row in n.items if row[4] == Pace.OVERDUE)
        text = (
            f"【{office}·{n.level}】{n.unit}：你单位有逾期 {overdue} 项、欠序时 {len(n.items) - overdue} 项任务"
            f"（见督办通知），请于{by}报送整改情况。"
        )
    to = f"{n.unit}（{n.to}）" if n.to else n.unit
    return f"{to}\t{text}" + (f"联系电话：{contact}" if contact else "")


def remind(
    summary: str | Path,
    folder: str | Path,
    *,
    office: str = "",
    contact: str = "",
    reply_by: date | None = None,
    issued: date | None = None,
) -> RemindResult:
    """Write every notice of `summary` into `folder` (created if missing) plus the message file."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"“{folder}”是文件，不是文件夹。请指定一个文件夹存放通知。")
    if not folder.parent.is_dir():
        raise OutputError(f"输出文件夹的上级不存在：{folder.parent}。请先建立该文件夹，或换一个输出路径。")
    src = read_source(summary)
    folder.mkdir(exist_ok=True)
    office = office or f"{src.office}督查办"
    issued = issued or date.today()
    reply_by = reply_by or _working_days_after(issued, REPLY_WORKING_DAYS)
    chase: list[Path] = []
    press: list[Path] = []
    lines: list[str] = []
    staging = Path(tempfile.mkdtemp(prefix=".~fengong-", dir=folder))  # each notice appears whole or not at all
    try:
        for n in notices(src):
            name = _file_name(n, src.period.label)
            (staging / name).write_bytes(D.docx_bytes(notice_body(src, n, office, contact, reply_by, issued)))
            try:
                os.replace(staging / name, folder / name)
            except PermissionError as exc:
                raise OutputError(f"无法写入 {folder / name}：文件可能正在 Word/WPS 中打开，请关闭后重试。") from exc
            (chase if n.kind == "催报" else press).append(folder / name)
            lines.append(message(src, n, office, contact, reply_by))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    messages = folder / MESSAGES
    with atomic_path(messages) as tmp:
        tmp.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8-sig")
    return RemindResult(folder, chase, press, messages)


def _working_days_after(day: date, n: int) -> date:
    from toolkit.model.deadlines.calendar import add_working_days

    return add_working_days(day, n)
