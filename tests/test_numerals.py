"""Chinese numerals shared by the deadline parser, the prose importer and the value normaliser."""

import pytest

from toolkit.model.numerals import cn_int


@pytest.mark.parametrize(
    "text, value",
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十五", 25),
        ("两", 2),
        ("一百", 100),
        ("二〇一六", 2016),
        ("二零一七", 2017),
        ("12", 12),
        ("", None),
        ("十十", None),
        ("二十五六", None),
        ("第", None),
        ("三a", None),
    ],
)
def test_cn_int(text, value):
    assert cn_int(text) == value
