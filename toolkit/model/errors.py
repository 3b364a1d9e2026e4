"""The one error hierarchy. Messages are Chinese, name the object and say how to fix it."""


class ToolkitError(Exception):
    """Base of every error fengong reports to a user; `exit_code` is what the command exits with."""

    exit_code = 2


class UnsupportedFileError(ToolkitError):
    """A file of a kind fengong cannot read (.doc, .pdf, .wps, .xls under a wrong name …)."""


class UnreadableFileError(ToolkitError):
    """A file that exists but cannot be opened: corrupted, empty, encrypted, too large."""


class NoPlanFoundError(ToolkitError):
    """A document that holds no recognisable plan table or prose items."""


class HeaderNotRecognisedError(ToolkitError):
    """A table whose header row matches none of the known column names."""


class TemplateError(ToolkitError):
    """A workbook that is not a fengong workbook of the expected kind or version."""


class OutputError(ToolkitError):
    """An output that cannot be written (folder missing, file open in Excel …)."""


class UsageError(ToolkitError):
    """Arguments that do not fit together."""


class NothingToChartError(ToolkitError):
    """A source with no items to draw in a Gantt chart."""


class SettingsError(ToolkitError):
    """A setting row (方案信息 sheet of the plan workbook) the Excel add-in cannot read or use."""


class PeriodError(UsageError):
    """A 报送期次 that is not a month fengong understands."""


class DateError(UsageError):
    """A date someone typed (an option, a field, a setting) that is not a date fengong reads."""


class NoMatchingReturnsError(UsageError):
    """A roll-up in which no return is usable for the period (nothing is written or recorded)."""


class HistoryError(ToolkitError):
    """A history database that cannot be used: another plan's, damaged, of a foreign schema."""


class HistoryBusyError(HistoryError):
    """A history database locked by another roll-up: try again later (never delete it)."""

    exit_code = 4
