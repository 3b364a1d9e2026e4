"""Row heights as LibreOffice prints them: every wrapped text of a summary and of a unit workbook
is shown whole inside its own row — no last line cut off, none spilling into the next row — also
when a closing 「）」 or 「。」 lands alone on a line."""

import pytest
from render import have_tools, pdf_pages, to_pdf, word_boxes

from toolkit.io.summary import Column, SummaryBook, Table, write_summary
from toolkit.io.unitbook_style import per_line, wrapped_lines
from toolkit.model.text import line_count

CHARS = "推进政务公开工作落实情况按照要求完成部署建立健全制度机制加强督促检查确保取得实效"
WIDTHS = (14, 24, 40)


def text_of(n: int, seed: int) -> str:
    """A Chinese text of `n` characters ending in 「（试行）。」 (closing marks that may wrap alone)."""
    body = "".join(CHARS[(seed * 7 + i * 5) % len(CHARS)] for i in range(max(n - 5, 1)))
    if seed % 3 == 0:
        body = body[: len(body) // 2] + "，2016年" + body[len(body) // 2 :]
    return body + "（试行）。"


def test_closing_marks_stay_with_the_character_before_them():
    assert line_count("一二三）", 3) == 2  # 「三）」 goes down together, as Excel and WPS break
    assert line_count("一二三四", 3) == 2 and line_count("一二三", 3) == 1
    assert line_count("一二（三四五", 3) == 3  # 「（」 never ends a line: 「一二｜（三四｜五」
    assert line_count("见 http://www.gov.cn/zwgk/a.html", 8) == 3  # a URL starts a line, then breaks
    assert wrapped_lines("字" * 40, 40) >= 40 / per_line(40)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    assert have_tools(), "LibreOffice and poppler are needed: .ci/run installs them"
    tmp = tmp_path_factory.mktemp("heights")
    tables, texts = [], {}
    for width in WIDTHS:
        room = int((8 * width + 5) / 14.7)  # characters LibreOffice fits on a line of `width`
        rows = []
        for k in (1, 2, 3, 5):
            for n in range(k * room - 2, k * room + 3):
                row_id = f"{width}-{n}"
                texts[row_id] = text_of(n, n + width)
                rows.append((row_id, texts[row_id]))
        tables.append(Table(f"宽{width}", (Column("编号", 8, "center"), Column("内容", width, "wrap")), rows))
    path = write_summary(SummaryBook("行高", "副标题", [("项目", "值")], tables, {}), tmp / "行高.xlsx")
    return texts, to_pdf(path, tmp)


def test_every_wrapped_text_prints_whole_inside_its_row(printed):
    texts, pdf = printed
    seen = {}
    for page in range(2, len(pdf_pages(pdf)) + 1):
        words = word_boxes(pdf, page)
        ids = sorted((y0, w) for w, x0, y0, _, _ in words if w in texts)
        if not ids:
            continue
        id_right = max(x1 for w, _, _, x1, _ in words if w in texts)
        for i, (top, row_id) in enumerate(ids):
            bottom = ids[i + 1][0] if i + 1 < len(ids) else min(y0 for w, _, y0, _, _ in words if w.startswith("第"))
            inside = sorted(
                (round(y0), x0, w) for w, x0, y0, _, y1 in words if x0 > id_right and top - 2 <= y0 and y1 <= bottom + 1
            )
            seen[row_id] = "".join(w for *_, w in inside)
    assert seen.keys() == texts.keys()
    wrong = {row_id: seen[row_id] for row_id, text in texts.items() if seen[row_id] != text}
    assert not wrong, wrong


def test_heights_worked_out_in_batches_are_each_rows_own(monkeypatch):
    """RowHeights is called a batch of rows at a time, remembering a bounded number of texts per
    column (forgotten every few here): every row still gets the height of its own most-wrapped cell."""
    from toolkit.io import summary

    monkeypatch.setattr(summary, "MEMO_LIMIT", 5)
    columns = (Column("序号", 6, "int"), Column("进展", 14, "wrap"), Column("要求", 24, "wrap"))
    rows = [(n, text_of(n % 90 + 1, n % 7), text_of((n * 7) % 130 + 1, n % 3)) for n in range(300)]
    alone = [h for row in rows for h in summary.RowHeights(columns)([row])]
    heights = summary.RowHeights(columns)
    assert [h for start in range(0, len(rows), 11) for h in heights(rows[start : start + 11])] == alone
    assert len(set(alone)) > 3  # rows of one, two and more lines
