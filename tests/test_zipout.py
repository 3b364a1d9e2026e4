"""toolkit.io.zipout: the package written by copying members and deflating new ones, read back by zipfile."""

import os
import zipfile

import pytest

from toolkit.io import zipout
from toolkit.io.zipout import ZipOut
from toolkit.model.errors import OutputError


def _source(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>" * 50)
        z.writestr(zipfile.ZipInfo("xl/media/image1.png", (2016, 12, 31, 23, 59, 58)), os.urandom(5000))
        z.writestr("docProps/说明.txt", "中文名的部件".encode())
        z.writestr("empty.xml", b"", zipfile.ZIP_STORED)
    return path


def test_copied_and_written_members_read_back_identically(tmp_path):
    src = _source(tmp_path / "src.zip")
    big = [os.urandom(300) + b"<row>" * 20_000 for _ in range(40)]  # incompressible and repetitive parts
    out = tmp_path / "out.zip"
    with zipfile.ZipFile(src) as zin, open(src, "rb") as raw, open(out, "wb") as fh:
        z = ZipOut(fh)
        for info in zin.infolist():
            z.copy(raw, info)
        z.write(zipfile.ZipInfo("xl/worksheets/sheet1.xml"), iter(big))
        z.write(zipfile.ZipInfo("xl/nothing.xml"), [])
        z.close()
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(src) as zsrc:
        assert zin.testzip() is None  # every CRC checked
        assert zin.namelist() == [*zsrc.namelist(), "xl/worksheets/sheet1.xml", "xl/nothing.xml"]
        for name in zsrc.namelist():
            assert zin.read(name) == zsrc.read(name)
            assert zin.getinfo(name).date_time == zsrc.getinfo(name).date_time
        assert zin.read("xl/worksheets/sheet1.xml") == b"".join(big)
        assert zin.getinfo("xl/worksheets/sheet1.xml").compress_size < len(b"".join(big)) // 5
        assert zin.read("xl/nothing.xml") == b""
        assert zin.getinfo("docProps/说明.txt").flag_bits & zipout.UTF8_NAMES


def test_a_member_too_large_for_plain_zip_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(zipout, "LIMIT", 1000)
    with open(tmp_path / "out.zip", "wb") as fh, pytest.raises(OutputError, match="超过 4 GB"):
        ZipOut(fh).write(zipfile.ZipInfo("big.xml"), [b"x" * 1001])


def test_a_damaged_source_is_not_copied(tmp_path):
    src = _source(tmp_path / "src.zip")
    with zipfile.ZipFile(src) as zin:
        info = zin.getinfo("[Content_Types].xml")
    data = bytearray(src.read_bytes())
    data[info.header_offset] ^= 0xFF  # the local header's signature
    src.write_bytes(bytes(data))
    with open(src, "rb") as raw, open(tmp_path / "out.zip", "wb") as fh, pytest.raises(zipfile.BadZipFile):
        ZipOut(fh).copy(raw, info)
