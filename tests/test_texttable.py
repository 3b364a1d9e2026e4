"""Terminal tables aligned by display width (used by `fengong deadline` and `fengong history`)."""

from toolkit.model.text import display_width, text_table


def test_columns_line_up_by_display_width_and_right_alignment():
    out = text_table([("单位", "完成率"), ("区政务办", "100%"), ("区府办（区应急办）", "3%")], right=frozenset({1}))
    header, rule, *rows = out.splitlines()
    assert rule == "------------------  ------"
    assert [display_width(line) for line in (header, *rows)] == [display_width(rule)] * 3
    assert rows[1].endswith("    3%") and rows[1].startswith("区府办（区应急办）")


def test_last_column_is_not_padded():
    assert text_table([("a", "说明"), ("长一些的", "x")]).splitlines()[2] == "长一些的  x"
