"""The intermediate form every plan reader produces: paragraphs and tables in document order.

Readers (`toolkit.io.docx`, `toolkit.io.sheet_tables`, `toolkit.importers.text`) turn a file
into a list of blocks; `toolkit.importers.plan_from_blocks` turns blocks into a `Plan`.

- A paragraph of running text is a `str` (one paragraph, line breaks inside it kept as "\\n").
- A table is a `Grid`: one list of cell texts per table row, columns in order.
  * A vertically merged continuation cell is "" (as text extraction shows it).
  * A horizontally merged cell repeats its text in each spanned column.
  * Several paragraphs inside one cell are joined with "\\n".
  * Rows may be ragged (fewer cells than the header); the core aligns them and reports it.
"""

from __future__ import annotations

Grid = list[list[str]]
Block = str | Grid


def is_table(block: Block) -> bool:
    """Whether a block is a table (a Grid) rather than a paragraph."""
    return isinstance(block, list)
