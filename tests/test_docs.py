"""The Chinese 工作手册: its pictures exist and are small, and it explains the words people ask about."""

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_manual_pictures_exist_and_are_small():
    text = (DOCS / "工作手册.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", text)
    assert len(pictures) >= 8
    for name in pictures:
        path = DOCS / name
        assert path.is_file(), name
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size < 300_000, name


def test_manual_covers_the_monthly_cycle_and_the_terms():
    text = (DOCS / "工作手册.md").read_text(encoding="utf-8")
    for words in (
        "导入方案",
        "分发台账",
        "校验报送",
        "汇总",
        "甘特图",
        "--return-by",
        "--carry-from",
        "**临期**",
        "**状态判断**",
        "**完成率**",
        "按期推进",
        "未报送",
        "统计日期",
    ):
        assert words in text, words
    assert "fengong demo" in text and "docs/pictures.py" in text
