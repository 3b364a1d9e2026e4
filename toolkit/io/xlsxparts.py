"""Looks into an .xlsx package that the value readers cannot give: formulas saved without values.

A workbook written by a program (or saved by some tools) can hold formulas with no cached result;
python-calamine then reads those cells as empty. Excel/WPS compute and store them on save.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

CELL_RE = re.compile(rb'<c\b([^>]*?)\br="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
SAVED_RE = re.compile(rb"<v>[^<]")
FORMULA_RE = re.compile(rb"<f[\s>/]")  # a cell's <f>, not <formula> of conditional formatting
CELL_START_RE = re.compile(rb"<c[\s>/]")
MAX_SHEET_BYTES = 64 * 1024 * 1024  # do not inflate more than this to look


def _sheet_part(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """The package part of the sheet named `sheet` (xl/worksheets/sheetN.xml), or None."""
    book = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    rid = None
    for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)/?>", book):
        attrs = {k.split(b":")[-1]: v for k, v in re.findall(rb'([\w:]+)="([^"]*)"', m.group(1))}
        if _unescape(attrs.get(b"name", b"")) == sheet:
            rid = attrs.get(b"id")
            break
    if rid is None:
        return None
    for m in re.finditer(rb"<Relationship\b([^>]*)/?>", rels):
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', m.group(1)))
        if attrs.get(b"Id") == rid:
            target = attrs.get(b"Target", b"").decode("utf-8")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def formulas_without_values(path: str | Path, sheet: str, first_row: int = 1) -> list[str]:
    """Cells ("I5") of `sheet` at or below `first_row` holding a formula with no saved value.
    [] when the file is not an .xlsx package or the sheet cannot be found."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = _sheet_part(zf, sheet)
            if part is None or zf.getinfo(part).file_size > MAX_SHEET_BYTES:
                return []
            data = zf.read(part)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return []
    found = []
    end = 0  # where the last cell looked at ends: one cell, one look
    for f in FORMULA_RE.finditer(data):
        if f.start() < end:
            continue
        start = data.rfind(b"<c", end, f.start())
        while start >= 0 and not CELL_START_RE.match(data, start):  # <col>, <cfRule>: not a cell
            start = data.rfind(b"<c", end, start)
        m = CELL_RE.match(data, start) if start >= 0 else None
        if m is None or m.end() <= f.start():
            continue
        end = m.end()
        inner = m.group(5) or b""
        if int(m.group(3)) < first_row:
            continue
        text_result = b't="str"' in m.group(1) + m.group(4)  # an empty text result is a saved value
        if not SAVED_RE.search(inner) and not (text_result and b"<v" in inner):
            found.append(f"{m.group(2).decode()}{m.group(3).decode()}")
    return found
