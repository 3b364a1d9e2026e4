"""Read a Word .docx into blocks: running paragraphs and table grids, in document order.

The result feeds `toolkit.model.blocks.plan_from_blocks`. A block is a paragraph
(`str`) or a table (`list[list[str]]`, one list of cell texts per row). Tables keep the
shape text extraction gives them: a vertically merged continuation cell is "", a
horizontally merged cell repeats its text in each spanned column, the paragraphs of a cell
are joined with "\\n", rows marked "repeat as header row" are kept once, where they are.
Automatic list numbering (which python-docx does not render) is rendered the way Word
shows it, so 「1．…」「2．…」 items in a cell can be split.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from toolkit.io.sniff import check_office
from toolkit.model.errors import ToolkitError, UnreadableFileError, UnsupportedFileError

if TYPE_CHECKING:
    from docx.document import Document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Elements that only wrap content (content controls, custom XML, tracked insertions).
WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo"}
# Parts of a paragraph whose text is not what the page shows.
SKIPPED = {MC_FALLBACK, W + "del", W + "moveFrom", W + "txbxContent", W + "pPr", W + "rPr"}

Block = str | list[list[str]]


class Element(Protocol):
    """The part of lxml's element API read here (python-docx's oxml elements are lxml elements)."""

    @property
    def tag(self) -> object: ...  # a str; a function for comments and processing instructions
    @property
    def text(self) -> str | None: ...
    def __iter__(self) -> Iterator[Element]: ...
    def iter(self, tag: str) -> Iterator[Element]: ...
    def find(self, path: str) -> Element | None: ...
    def get(self, key: str, default: str | None = None) -> str | None: ...
    def getparent(self) -> Element | None: ...


MAX_COLUMNS = 63  # Word's limit; caps hostile gridSpan/gridBefore values


def read_blocks(path: str | Path) -> list[Block]:
    """Paragraphs (non-empty, stripped) and tables of a .docx body, in document order."""
    import docx

    path = Path(path)
    check_office(path, "docx")
    try:
        document = docx.Document(str(path))
        body = document.element.body
        numbering = _Numbering(document)
        return [block for block in _body_blocks(body, numbering) if block]
    except ToolkitError as exc:
        raise type(exc)(f"文件“{path.name}”：{exc}") from exc
    except Exception as exc:  # python-docx/lxml raise many kinds on damaged parts
        raise UnreadableFileError(
            f"无法读取 Word 文件“{path.name}”：文件内容已损坏或不是标准 .docx（{type(exc).__name__}）。"
            "请在 Word/WPS 中打开后“另存为” .docx 再导入。"
        ) from exc


def _body_blocks(parent: Element, numbering: _Numbering) -> Iterator[Block]:
    for child in _children(parent):
        if child.tag == W + "p":
            for box in _text_boxes(child):  # red-header 文号 and titles often sit in text boxes
                yield from _body_blocks(box, numbering)
            yield _paragraph_text(child, numbering).strip()
        elif child.tag == W + "tbl":
            yield _table_grid(child, numbering)
        elif child.tag == W + "altChunk":
            raise UnsupportedFileError(
                "文件中有以嵌入网页/RTF（altChunk）方式保存的内容，无法直接读取。"
                "请在 Word/WPS 中打开后“另存为”新的 .docx 再导入。"
            )


def _text_boxes(p: Element) -> Iterator[Element]:
    """Text boxes anchored in paragraph `p` (not their VML fallback copies, not nested ones)."""
    for box in p.iter(W + "txbxContent"):
        ancestor = box.getparent()
        while ancestor is not None and ancestor is not p and ancestor.tag not in (MC_FALLBACK, W + "txbxContent"):
            ancestor = ancestor.getparent()
        if ancestor is p:
            yield box


def _children(element: Element) -> Iterator[Element]:
    """Child elements, looking through wrapper elements such as content controls."""
    for child in element:
        if child.tag in WRAPPERS:
            yield from _children(child)
        elif child.tag != W + "sdtPr":
            yield child


def _paragraph_text(p: Element, numbering: _Numbering) -> str:
    """What the page shows for one paragraph: its list number, text, tabs and line breaks."""
    parts = [numbering.label(p)]
    _collect_text(p, parts)
    return "".join(parts)


def _collect_text(element: Element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in SKIPPED or not isinstance(tag, str):
            continue
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag == W + "tab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        else:
            _collect_text(child, parts)


def _table_grid(tbl: Element, numbering: _Numbering) -> list[list[str]]:
    """One row of cell texts per w:tr, merged cells laid out as text extraction shows them."""
    rows: list[list[str]] = []
    for tr in _children(tbl):
        if tr.tag != W + "tr" or tr.find(f"{W}trPr/{W}del") is not None:
            continue
        row = [""] * min(_trpr_int(tr, "gridBefore"), MAX_COLUMNS)
        for tc in _children(tr):
            if tc.tag != W + "tc":
                continue
            span = min(max(_tcpr_int(tc, "gridSpan", 1), 1), MAX_COLUMNS)
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            continued = vmerge is not None and vmerge.get(W + "val", "continue") == "continue"
            hmerge = tc.find(f"{W}tcPr/{W}hMerge")  # legacy horizontal merge
            if hmerge is not None and hmerge.get(W + "val", "continue") == "continue" and row:
                row.extend([row[-1]] * span)
                continue
            text = "" if continued else _cell_text(tc, numbering)
            row.extend([text] * span)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _cell_text(tc: Element, numbering: _Numbering) -> str:
    """A cell's paragraphs joined with "\\n"; a nested table contributes one line per row."""
    lines: list[str] = []
    for child in _children(tc):
        if child.tag == W + "p":
            lines.append(_paragraph_text(child, numbering))
        elif child.tag == W + "tbl":
            for row in _table_grid(child, numbering):
                lines.append(" ".join(_distinct(cell for cell in row if cell)))
    return "\n".join(line.strip() for line in lines if line.strip())


def _distinct(cells: Iterable[str]) -> Iterator[str]:
    """Cells without the repeats a horizontal merge produces next to each other."""
    previous = None
    for cell in cells:
        if cell != previous:
            yield cell
        previous = cell


def _trpr_int(tr: Element, name: str) -> int:
    el = tr.find(f"{W}trPr/{W}{name}")
    return _int(el.get(W + "val")) if el is not None else 0


def _tcpr_int(tc: Element, name: str, default: int) -> int:
    el = tc.find(f"{W}tcPr/{W}{name}")
    return _int(el.get(W + "val"), default) if el is not None else default


def _int(value: str | None, default: int = 0) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


class _Numbering:
    """Renders Word's automatic list numbers (w:numPr) as the labels Word displays.

    Counters run per abstract list, across the whole document, as in Word; a w:num with a
    start override restarts its list the first time it is used; a deeper level restarts
    when a shallower one advances.
    """

    def __init__(self, document: Document) -> None:
        self.num_to_abstract: dict[str, str] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.style_numpr: dict[str, tuple[str | None, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.iter(W + "abstractNum"):
            aid = abstract.get(W + "abstractNumId")
            if aid is None:  # no w:num names it (kept under None, it numbered the paragraphs of an undefined list)
                continue
            self.levels[aid] = {
                _int(lvl.get(W + "ilvl")): (
                    _int(_val(lvl, "start"), 1),
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                )
                for lvl in abstract.iter(W + "lvl")
            }
        for num in root.iter(W + "num"):
            nid = num.get(W + "numId")
            if nid is None:  # no paragraph can name it
                continue
            self.num_to_abstract[nid] = _val(num, "abstractNumId") or ""
            self.overrides[nid] = {
                _int(o.get(W + "ilvl")): _int(_val(o, "startOverride"), 1)
                for o in num.iter(W + "lvlOverride")
                if _val(o, "startOverride") is not None
            }
        self._read_styles(document)

    def _read_styles(self, document: Document) -> None:
        styles: dict[str, tuple[Element | None, str | None]] = {}
        for style in document.styles.element.iter(W + "style"):
            numpr = style.find(f"{W}pPr/{W}numPr")
            based = style.find(f"{W}basedOn")
            sid = style.get(W + "styleId")
            if sid is None:  # unnamed (kept under None, it numbered the paragraphs of a w:pStyle without w:val)
                continue
            styles[sid] = (numpr, based.get(W + "val") if based is not None else None)
        for sid in styles:
            seen: set[str] = set()
            current: str | None = sid
            while current in styles and current not in seen:
                seen.add(current)
                numpr, based = styles[current]
                if numpr is not None:
                    self.style_numpr[sid] = (_val(numpr, "numId"), _int(_val(numpr, "ilvl")))
                    break
                current = based

    def label(self, p: Element) -> str:
        """The number label of paragraph `p` ("1．", "（二）" …) or "" if it is not numbered."""
        num_id: str | None = None
        ilvl = 0
        style = p.find(f"{W}pPr/{W}pStyle")
        style_id = style.get(W + "val") if style is not None else None
        if style_id is not None and style_id in self.style_numpr:
            num_id, ilvl = self.style_numpr[style_id]
        numpr = p.find(f"{W}pPr/{W}numPr")
        if numpr is not None:
            num_id = _val(numpr, "numId") or num_id
            if _val(numpr, "ilvl") is not None:
                ilvl = _int(_val(numpr, "ilvl"))
        abstract = self.num_to_abstract.get(num_id or "")
        if not num_id or num_id == "0" or abstract is None or abstract not in self.levels:
            return ""
        levels = self.levels[abstract]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in self.overrides.get(num_id, {}).items():
                counters[level] = start - 1
                for deeper in [k for k in counters if k > level]:
                    del counters[deeper]
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        start, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return "•" if not text or "\ue000" <= text[0] <= "\uf8ff" else text
        for level in range(ilvl, -1, -1):
            if f"%{level + 1}" in text:
                value = counters.get(level, levels.get(level, (1,))[0])
                text = text.replace(f"%{level + 1}", _format_number(value, levels.get(level, (1, fmt))[1]))
        return text


def _val(element: Element, name: str) -> str | None:
    child = element.find(W + name)
    return child.get(W + "val") if child is not None else None


CHINESE_DIGITS = "零一二三四五六七八九"


def _format_number(n: int, fmt: str) -> str:
    """Word's list number formats that appear in Chinese government documents."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting"):
        return _chinese(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _chinese(n: int) -> str:
    if n < 10:
        return CHINESE_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, symbol in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out, n = out + symbol, n - value
    return out
