"""The one Period: every way staff write a month, refused in Chinese otherwise."""

from datetime import date

import pytest

from toolkit.model.errors import PeriodError, UsageError
from toolkit.model.period import Period, month_end


@pytest.mark.parametrize(
    "text",
    [
        "2016-11",
        "2016/11",
        "2016.11",
        "2016年11月",
        "201611",
        " 2016 年 11 月 ",
        "2016-11月",
        "2016年11月份",
        "２０１６－１１",
        "2016_11",
        "2016年十一月",  # the month in words, the year written
        "2016 年 十一月份",
    ],
)
def test_every_written_form_is_one_period(text):
    assert Period.parse(text) == Period(2016, 11)
    assert str(Period.parse(text)) == "2016-11"


def test_month_alone_takes_the_plan_year():
    assert Period.parse("11月", year=2016) == Period(2016, 11)
    assert Period.parse("十二月", year=2017) == Period(2017, 12)
    with pytest.raises(PeriodError, match="没有写年份"):
        Period.parse("12月")


@pytest.mark.parametrize(
    "text", ["2016年13月", "2016年十三月", "2016-00", "十一月份吧", "", "2016", "16-11", "2016-11-05", "abc"]
)
def test_anything_else_is_refused_in_chinese(text):
    with pytest.raises(PeriodError) as exc:
        Period.parse(text, year=2016)
    assert "报送期次" in str(exc.value)
    assert isinstance(exc.value, UsageError)  # the command line turns it into 错误：… and exit 2


def test_label_end_previous_and_order():
    p = Period.parse("2016-02")
    assert p.label == "2016年2月" and p.end == date(2016, 2, 29) and p.start == date(2016, 2, 1)
    assert Period(2017, 1).previous() == Period(2016, 12)
    assert Period(2016, 9) < Period(2016, 10) < Period(2017, 1)
    assert month_end(2017, 2) == date(2017, 2, 28)


def test_read_from_a_file_never_raises():
    assert Period.read("2016年11月") == Period(2016, 11)
    assert Period.read("") is None and Period.read(None) is None and Period.read("第十一期") is None
