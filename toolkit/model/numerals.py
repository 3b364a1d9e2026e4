"""Chinese numerals as plans and staff write them. Stdlib only."""

from __future__ import annotations

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_int(text: str) -> int | None:
    """「三」→3, 「十二」→12, 「二十五」→25, 「一百」→100, 「二〇一六」→2016, 「12」→12; else None."""
    if text.isdigit():
        return int(text)
    if text in ("百", "一百"):
        return 100
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = CN_DIGITS.get(tens) if tens else 1
        u = CN_DIGITS.get(ones) if ones else 0
        return None if t is None or u is None or len(ones) > 1 else t * 10 + u
    if text and all(c in CN_DIGITS for c in text):
        return int("".join(str(CN_DIGITS[c]) for c in text))
    return None
