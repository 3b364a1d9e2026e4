"""Choose the return of each unit: the newest acceptable one; every other file says why not."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from toolkit.io import schema as S
from toolkit.io.inbox import Return
from toolkit.model import Plan
from toolkit.model.errors import UsageError
from toolkit.model.period import Period
from toolkit.model.problems import ERROR, WARNING


def main_period(returns: list[Return]) -> Period:
    """The period most readable returns name."""
    periods = Counter(r.period for r in returns if r.readable and r.period)
    if not periods:
        raise UsageError(
            "无法从报送文件中识别报送期次（文件中和文件名里都没有），请用 --period 指定，如 --period 2016-11。"
        )
    return periods.most_common(1)[0][0]


def choose(returns: list[Return], plan: Plan, period: Period) -> dict[str, Return]:
    """The newest acceptable return of each unit; the reasons against the others go on them."""
    units = set(plan.units)
    candidates: dict[str, list[Return]] = {}
    for ret in returns:
        if ret.readable and _acceptable(ret, plan, period, units):
            candidates.setdefault(ret.unit, []).append(ret)
    chosen = {}
    for unit, rets in candidates.items():
        rets.sort(key=lambda r: (r.filled_at or datetime.min, r.mtime), reverse=True)
        chosen[unit] = rets[0]
        for older in rets[1:]:
            older.problem(
                WARNING, "older_version", f"“{unit}”报送了多个版本，本文件较早，未采用；采用的是“{rets[0].name}”。"
            )
    return chosen


def _acceptable(ret: Return, plan: Plan, period: Period, units: set[str]) -> bool:
    """Whether `ret` may be used for `period`; a refusal or a caveat is noted on it."""
    if ret.kind == "summary" and ret.plan_hash == plan.content_hash:
        ret.problem(
            ERROR, "own_level", "这是本级（同一方案）的汇总表，不是下级报送，未汇总。请不要把汇总结果放进报送文件夹。"
        )
    elif ret.kind not in ("summary", S.KIND):
        ret.problem(ERROR, "kind", f"不是填报台账或汇总表（类型“{ret.kind}”），未汇总。")
    elif not ret.unit:
        ret.problem(
            ERROR,
            "no_unit",
            "无法识别填报单位（文件中没有单位信息，文件名中也没有本方案的单位名称），未汇总。"
            "请在文件名开头写上单位全称，如“区编办_…xlsx”。",
        )
    elif ret.unit not in units:
        what = "汇总单位" if ret.kind == "summary" else "填报单位"
        hint = "可能是其他层级或其他地区的汇总表" if ret.kind == "summary" else "可能是其他方案的台账，或单位名称被改动"
        ret.problem(ERROR, "unknown_unit", f"{what}“{ret.unit}”不是本方案的责任单位（{hint}），未汇总。")
    elif ret.period and ret.period != period:
        ret.problem(
            ERROR,
            "other_period",
            f"报送期次为 {ret.period.label}，不是本次汇总的 {period.label}，未汇总。如确属本期，请核对后重新报送。",
        )
    elif ret.kind == S.KIND and ret.plan_hash and ret.plan_hash != plan.content_hash and ret.plan_id != plan.plan_id:
        ret.problem(
            ERROR,
            "other_plan",
            f"属于另一个方案（{ret.plan_id or ret.plan_hash}），不是本方案（{plan.plan_id}）的台账，未汇总。",
        )
    elif conflict := _identity_conflict(ret, plan):
        ret.problem(
            ERROR,
            "identity_conflict",
            f"{conflict}，无法确认是哪个单位的报送，未汇总"
            f"（不会替换“{ret.unit}”的其他报送）。请让该单位使用分发给本单位的台账重新报送。",
        )
    else:
        if ret.kind == S.KIND and ret.plan_hash and ret.plan_hash != plan.content_hash:
            ret.problem(WARNING, "plan_changed", "台账分发后方案内容有调整，已按编号匹配汇总；请下期使用新分发的台账。")
        if not ret.period:
            ret.problem(WARNING, "no_period", f"文件中和文件名里都没有报送期次，按本次汇总的 {period.label} 计。")
        return True
    return False


def _identity_conflict(ret: Return, plan: Plan) -> str:
    """Why the hidden metadata, the 填报单位 shown and the table disagree about the unit ("" if they agree)."""
    from toolkit.model.normalise import text

    data = ret.data
    if ret.kind != S.KIND or data is None or not getattr(data, "meta", None):
        return ""
    meta_unit = data.meta.get("unit", "")
    shown = text(data.block.get(S.UNIT_LABEL, ("", None))[1])
    if meta_unit and shown and shown != meta_unit:
        return f"隐藏的元数据写的是“{meta_unit}”，表头填报单位却是“{shown}”"
    mine = plan.ids_for(ret.unit)
    if ret.plan_hash == plan.content_hash and data.item_ids and set(data.item_ids) != mine:
        return f"隐藏的元数据写的是“{ret.unit}”，但其中的事项编号不是分发给“{ret.unit}”的事项"
    ids = {r.item_id for r in ret.rows if r.item_id}
    if mine and ids and not ids & mine:
        return f"表中的事项编号没有一个是“{ret.unit}”的事项"
    return ""
