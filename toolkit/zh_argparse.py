"""argparse speaking Chinese: the one place that knows argparse's English words.

`ArgumentParser` titles its groups, usage line and help option in Chinese and translates the
error messages argparse composes before calling `error` (Python 3.11–3.13 wording).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

_ERRORS = (
    (re.compile(r"the following arguments are required: (.*)"), r"缺少必需的参数：\1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"无法识别的参数：\1"),
    (re.compile(r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)"), r"参数 \1：无效的选项 \2（可选：\3）"),
    (re.compile(r"argument (.*?): invalid (\S+) value: (.*)"), r"参数 \1：无效的值 \3"),
    (re.compile(r"argument (.*?): expected one argument"), r"参数 \1：需要一个值"),
    (re.compile(r"argument (.*?): expected at least one argument"), r"参数 \1：至少需要一个值"),
    (re.compile(r"argument (.*?): ignored explicit argument (.*)"), r"参数 \1：不接受值 \2"),
    (re.compile(r"argument (.*?): not allowed with argument (.*)"), r"参数 \1 不能与 \2 同时使用"),
    (re.compile(r"ambiguous option: (.*?) could match (.*)"), r"选项 \1 有歧义，可能是：\2"),
)


class HelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Chinese; errors exit with 2 as argparse does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # ours below, with Chinese help
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> NoReturn:
        for pattern, chinese in _ERRORS:
            message = pattern.sub(chinese, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")
