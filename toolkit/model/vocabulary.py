"""The words every layer shares: statuses, roles, deadline kinds, frequencies, severities.

Each is a `StrEnum` whose value is what files and JSON hold, so a member compares equal to the
text read from a workbook (`Status.DONE == "已完成"`); `label` is the Chinese word people read.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """完成状态 as staff choose it in a unit workbook (dropdown order)."""

    NOT_STARTED = "未启动"
    DOING = "推进中"
    DONE = "已完成"
    ONGOING = "持续推进"
    PAUSED = "暂缓"

    @property
    def meaning(self) -> str:
        """What the status means, as 填报说明 explains it."""
        return _STATUS_MEANINGS[self]


_STATUS_MEANINGS = {
    Status.NOT_STARTED: "尚未开始办理。",
    Status.DOING: "已开始、尚未完成的限期任务。",
    Status.DONE: "已全部完成；须填写完成日期，并填写公开网址或佐证材料。",
    Status.ONGOING: "全年工作、定期工作等常态化任务，本期已按要求开展。",
    Status.PAUSED: "因上级部署调整等原因暂停；须在“存在问题及下一步措施”中说明原因。",
}
STATUS_VALUES: tuple[str, ...] = tuple(Status)  # the dropdown of 完成状态, in order


class Role(StrEnum):
    """A unit's part in an item (本单位职责)."""

    LEAD = "牵头"
    CO = "配合"


class DeadlineKind(StrEnum):
    """How a 完成时限 reads (docs/deadlines.md)."""

    DATE = "date"
    YEAR_ROUND = "year_round"
    RECURRING = "recurring"
    MULTI = "multi"
    CONDITIONAL = "conditional"
    STATUTORY = "statutory"
    NONE = "none"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    DeadlineKind.DATE: "限期完成",
    DeadlineKind.YEAR_ROUND: "全年工作",
    DeadlineKind.RECURRING: "定期工作",
    DeadlineKind.MULTI: "多个时点",
    DeadlineKind.CONDITIONAL: "视情况而定",
    DeadlineKind.STATUTORY: "法定时限",
    DeadlineKind.NONE: "未定",
}


class Frequency(StrEnum):
    """How often recurring work falls due."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    YEARLY = "yearly"

    @property
    def label(self) -> str:
        return _FREQUENCY_LABELS[self][0]

    @property
    def months(self) -> int | None:
        """Months between due dates (None for daily and weekly work, drawn as a span)."""
        return _FREQUENCY_LABELS[self][1]


_FREQUENCY_LABELS: dict[Frequency, tuple[str, int | None]] = {
    Frequency.DAILY: ("每日", None),
    Frequency.WEEKLY: ("每周", None),
    Frequency.MONTHLY: ("每月", 1),
    Frequency.QUARTERLY: ("每季度", 3),
    Frequency.SEMIANNUAL: ("每半年", 6),
    Frequency.YEARLY: ("每年", 12),
}


class Severity(StrEnum):
    """How bad a problem is: an error stops a row or file from counting, a warning does not."""

    ERROR = "错误"
    WARNING = "提醒"

    @property
    def rank(self) -> int:
        """Sort key: errors first."""
        return 0 if self is Severity.ERROR else 1
