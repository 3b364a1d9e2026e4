"""Fill-in values as staff type them."""

from datetime import date, datetime

import pytest

from toolkit.io.schema import STATUS_VALUES
from toolkit.model import normalise as N


@pytest.mark.parametrize(
    "raw, value, issue",
    [
        (0.8, 0.8, None),
        (1, 1.0, None),
        (0, 0.0, None),
        (None, None, None),
        ("  ", None, None),
        ("80%", 0.8, N.TEXT),
        ("80％", 0.8, N.TEXT),
        ("八成", 0.8, N.TEXT),
        ("八成五", 0.85, N.TEXT),
        ("百分之八十", 0.8, N.TEXT),
        ("一半", 0.5, N.TEXT),
        ("0.8", 0.8, N.TEXT),
        ("80", 0.8, N.TEXT),
        (80, 0.8, N.POINTS),
        (85.5, 0.855, N.POINTS),
        (150, 150.0, N.RANGE),
        (1.5, 1.5, N.RANGE),
        (-0.1, -0.1, N.RANGE),
        ("150%", 1.5, N.RANGE),
        ("差不多", None, N.INVALID),
        (True, None, N.INVALID),
    ],
)
def test_progress(raw, value, issue):
    got = N.progress(raw)
    assert got.issue == issue
    assert got.value == pytest.approx(value) if value is not None else got.value is None


@pytest.mark.parametrize(
    "raw, issue",
    [
        (date(2016, 12, 31), None),
        (datetime(2016, 12, 31, 0, 0), None),
        ("2016.12.31", N.TEXT),
        ("2016年12月31日", N.TEXT),
        ("2016/12/31", N.TEXT),
        ("2016-12-31", N.TEXT),
        ("2016年12月31号", N.TEXT),
        ("20161231", N.TEXT),
        ("42735", N.TEXT),
        (42735, N.SERIAL),
        (42735.0, N.SERIAL),
    ],
)
def test_dates_understood(raw, issue):
    got = N.to_date(raw)
    assert (got.value, got.issue) == (date(2016, 12, 31), issue)


@pytest.mark.parametrize("raw", ["2016.13.01", "年底", "12月", 3.5, 12, "2016.2.30", 73051])
def test_dates_not_understood(raw):
    assert N.to_date(raw) == N.Reading(None, N.INVALID)


@pytest.mark.parametrize(
    "raw, value, issue",
    [
        ("已完成", "已完成", None),
        ("完成了", "已完成", N.UNKNOWN),
        ("已完成。", "已完成", N.UNKNOWN),
        ("进行中", "推进中", N.UNKNOWN),
        ("持续开展", "持续推进", N.UNKNOWN),
        ("不知道", None, N.UNKNOWN),
        (None, None, None),
    ],
)
def test_status(raw, value, issue):
    assert N.status(raw, STATUS_VALUES) == N.Reading(value, issue)


def test_ids():
    assert N.item_id(3.0) == "3" and N.item_id(" 3-2 ") == "3-2"


def test_serial_range_is_the_workbook_date_range():
    assert N.to_date(73050) == N.Reading(date(2099, 12, 31), N.SERIAL)
    assert N.to_date(36526) == N.Reading(date(2000, 1, 1), N.SERIAL)
