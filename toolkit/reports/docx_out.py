"""Word documents in 公文 style, fast: the package (styles, fonts, A4 page, page numbers) is made
once with python-docx, and each document's body is written as WordprocessingML text into a copy
of it, so a folder of 300 notices takes well under a second.

Page: A4 portrait, margins 37/35/28/26 mm (top/bottom/left/right), body 三号 仿宋_GB2312 at a
fixed 28 pt line pitch, headings 黑体 / 楷体_GB2312, the title 二号 方正小标宋简体, page numbers
「— 1 —」 at the foot. Fonts a PC may lack carry the names Word and WPS substitute (w:altName:
仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体); LibreOffice falls back by fontconfig.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack

from toolkit.io.atomic import atomic_path

if TYPE_CHECKING:
    from docx.document import Document

FANGSONG, HEITI, KAITI, TITLE_FONT, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"
ALT_NAMES = {FANGSONG: "仿宋", KAITI: "楷体", TITLE_FONT: "宋体"}
BODY_PT, TITLE_PT, TABLE_PT = 16, 22, 10.5
LINE_TWIPS = 560  # 28 pt, the 公文 line pitch (22 lines a page)
TEXT_WIDTH = 8844  # twips between the margins (156 mm)
RED = "C00000"
DOCUMENT = "word/document.xml"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class _Package:
    static: bytes  # a zip of every part but the document (stored, not compressed), copied into each file
    head: str  # document.xml up to and including <w:body>
    tail: str  # the section properties and the closing tags


def _fonts(name: str, size: float | None = None, bold: bool = False, colour: str = "") -> str:
    parts = [f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>']
    if bold:
        parts.append("<w:b/>")
    if colour:
        parts.append(f'<w:color w:val="{colour}"/>')
    if size:
        parts.append(f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>')
    return "".join(parts)


@lru_cache(maxsize=1)
def _package() -> _Package:
    """The empty 公文 package (built once per process)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)
    styles = doc.styles.element
    for style in styles.findall(".//{*}docDefaults"):
        styles.remove(style)
    styles.insert(
        0,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>{_fonts(FANGSONG, BODY_PT)}"
            '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
            f'<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="{LINE_TWIPS}" w:lineRule="exact"/>'
            '<w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'
        ),
    )
    normal = doc.styles["Normal"].element
    for rpr in normal.findall("{*}rPr"):
        normal.remove(rpr)
    footer = section.footer.paragraphs[0]
    footer._p.append(parse_xml(f'<w:pPr {nsdecls("w")}><w:jc w:val="center"/></w:pPr>'))
    for xml in (
        '<w:r {ns}><w:rPr>{f}</w:rPr><w:t xml:space="preserve">— </w:t></w:r>',
        '<w:fldSimple {ns} w:instr="PAGE"><w:r><w:rPr>{f}</w:rPr><w:t>1</w:t></w:r></w:fldSimple>',
        '<w:r {ns}><w:rPr>{f}</w:rPr><w:t xml:space="preserve"> —</w:t></w:r>',
    ):
        footer._p.append(parse_xml(xml.format(ns=nsdecls("w"), f=_fonts(SONGTI, 14))))
    _slim(doc)
    doc.core_properties.author = "fengong"
    doc.core_properties.title = ""
    buf = io.BytesIO()
    doc.save(buf)
    parts = []
    head = tail = ""
    with zipfile.ZipFile(buf) as z:
        for info in z.infolist():
            data = z.read(info)
            info.compress_type = zipfile.ZIP_STORED  # written as is: compressing 17 parts per file is the cost
            if info.filename == DOCUMENT:
                xml = data.decode("utf-8")
                start = xml.index("<w:body>") + len("<w:body>")
                sect = xml.rindex("<w:sectPr")
                head, tail = xml[:start], xml[sect:]
            elif info.filename == "word/fontTable.xml":
                parts.append((info, _font_table(data.decode("utf-8")).encode("utf-8")))
            else:
                parts.append((info, data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info, data in parts:
            z.writestr(info, data)
    return _Package(out.getvalue(), head, tail)


KEEP_STYLES = {
    "Normal",
    "DefaultParagraphFont",
    "TableNormal",
    "NoList",
    "Header",
    "Footer",
    "HeaderChar",
    "FooterChar",
}


def _slim(doc: Document) -> None:
    """Drop what python-docx's template carries and these documents never use (Word 2010 style
    effects, a thumbnail, custom XML, ~160 styles): a notice is then ~20 KB, not ~800 KB."""
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml", "/webSettings")):
            doc.part.drop_rel(rid)
    package_rels = doc.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rid)
    styles = doc.styles.element
    for child in list(styles):
        tag = child.tag.rsplit("}", 1)[-1]
        style_id = child.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId")
        if tag == "latentStyles" or (tag == "style" and style_id not in KEEP_STYLES):
            styles.remove(child)


def _font_table(xml: str) -> str:
    """The font table with our fonts and the names to fall back to."""
    fonts = "".join(
        f'<w:font w:name="{name}">'
        + (f'<w:altName w:val="{ALT_NAMES[name]}"/>' if name in ALT_NAMES else "")
        + '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        for name in (FANGSONG, HEITI, KAITI, TITLE_FONT, SONGTI)
    )
    return xml.replace("</w:fonts>", fonts + "</w:fonts>")


def write_docx(path: str | Path, body: list[str]) -> Path:
    """Write a .docx whose body is the given paragraph/table XML (atomically)."""
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(docx_bytes(body))
    return Path(path)


def docx_bytes(body: list[str]) -> bytes:
    """The .docx file whose body is the given paragraph/table XML."""
    package = _package()
    document = package.head + "".join(body) + package.tail
    buf = io.BytesIO(package.static)
    buf.seek(0, io.SEEK_END)
    with zipfile.ZipFile(buf, "a", compresslevel=1) as z:  # appending keeps the static parts as they are
        z.writestr(DOCUMENT, document.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buf.getvalue()


# --- body XML ----------------------------------------------------------------------------


def esc(text: object) -> str:
    s = _ILLEGAL.sub("", str(text))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def run(text: str, font: str = "", size: float | None = None, bold: bool = False, colour: str = "") -> str:
    """One run of text (line breaks kept)."""
    rpr = (
        _fonts(font, size, bold, colour)
        if font
        else (
            ("<w:b/>" if bold else "")
            + (f'<w:color w:val="{colour}"/>' if colour else "")
            + (f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>' if size else "")
        )
    )
    pieces = [f'<w:t xml:space="preserve">{esc(line)}</w:t>' for line in str(text).split("\n")]
    return f"<w:r>{'<w:rPr>' + rpr + '</w:rPr>' if rpr else ''}{'<w:br/>'.join(pieces)}</w:r>"


def para(
    *runs: str,
    align: str = "",
    indent: bool = True,
    line: int | None = None,
    before: int = 0,
    after: int = 0,
    rule: str = "",
    keep_next: bool = False,
    page_break: bool = False,
) -> str:
    """A paragraph of runs: `indent` is the 公文 first-line indent of two characters; `rule` a
    bottom border colour (the red line under a masthead)."""
    ppr = []
    if keep_next:
        ppr.append("<w:keepNext/>")
    if page_break:
        ppr.append("<w:pageBreakBefore/>")
    if rule:
        ppr.append(f'<w:pBdr><w:bottom w:val="single" w:sz="18" w:space="4" w:color="{rule}"/></w:pBdr>')
    if line or before or after:
        spacing = f'<w:spacing w:before="{before}" w:after="{after}"'
        spacing += f' w:line="{line}" w:lineRule="exact"/>' if line else "/>"
        ppr.append(spacing)
    if indent:
        ppr.append('<w:ind w:firstLineChars="200" w:firstLine="640"/>')
    if align:
        ppr.append(f'<w:jc w:val="{align}"/>')
    return f"<w:p>{'<w:pPr>' + ''.join(ppr) + '</w:pPr>' if ppr else ''}{''.join(runs)}</w:p>"


class ParaOptions(TypedDict, total=False):
    """The keyword options of `para`."""

    align: str
    indent: bool
    line: int | None
    before: int
    after: int
    rule: str
    keep_next: bool
    page_break: bool


def text(s: str, **kw: Unpack[ParaOptions]) -> str:
    """A body paragraph of plain text."""
    return para(run(s), **kw)


def title(s: str) -> str:
    return para(run(s, TITLE_FONT, TITLE_PT), align="center", indent=False, line=700, before=280, after=280)


def heading(s: str) -> str:
    """一级标题 (一、…) in 黑体."""
    return para(run(s, HEITI), keep_next=True)


def subheading(s: str) -> str:
    """二级标题 ((一)…) in 楷体_GB2312."""
    return para(run(s, KAITI), keep_next=True)


def table(headers: list[str], rows: list[list[str]], widths: list[int], size: float = TABLE_PT) -> str:
    """A bordered table, header row repeated on each page; widths in twips (summing to TEXT_WIDTH)."""
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)

    def cell(value: str, width: int, head: bool) -> str:
        font = HEITI if head else FANGSONG
        paras = "".join(
            para(
                run(line, font, size),
                indent=False,
                line=round(size * 20 * 1.3),
                align="center" if head or len(line) <= 4 else "left",
            )
            for line in (str(value).split("\n") if value else [""])
        )
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>{paras}</w:tc>'

    out = [
        (
            f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ),
        "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
        + "".join(cell(h, w, True) for h, w in zip(headers, widths))
        + "</w:tr>",
    ]
    for row in rows:
        out.append(
            "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            + "".join(cell(v, w, False) for v, w in zip(row, widths))
            + "</w:tr>"
        )
    out.append("</w:tbl>")
    return "".join(out)
