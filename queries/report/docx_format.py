"""Word formatting the report needs and python-docx has no call for: fonts on every script, table
borders, fixed column widths, header rows repeated on each page, rows kept whole, page geometry.

Formatting is direct (on the paragraph, run and table), never by style name, so the body drops into an
office's own template (`--template`) whatever styles it defines. Hướng dẫn 36-HD/VPTW: Times New Roman,
A4, margins 20-25 / 20-25 / 30-35 / 15-20 mm.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
LIST_PT = 11
PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH_MM = 210 - 30 - 15


def set_run_font(run, size: float | None = None, bold=None, italic=None, underline=None) -> None:
    """Times New Roman on every script (Latin, complex, East Asian), with size and emphasis."""
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic
    if underline is not None:
        run.font.underline = underline


def add_text(paragraph, text: str, size: float, **emphasis) -> None:
    """Text in one run; "\\n" in it becomes a line break."""
    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        set_run_font(run, size, **emphasis)
        if i:
            run._element.insert(run._element.index(run._element.find(qn("w:t"))), OxmlElement("w:br"))


def paragraph_format(
    paragraph, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_mm: float = 0, before: float = 0, after: float = 6,
    line: float | None = 1.1, keep_next: bool = False,
) -> None:  # fmt: skip
    """Alignment, first-line indent, spacing (pt) and line spacing (multiple) of a paragraph."""
    pf = paragraph.paragraph_format
    pf.alignment = align
    pf.first_line_indent = Mm(first_line_mm) if first_line_mm else None
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if keep_next:
        pf.keep_with_next = True


def page_setup(section, landscape: bool = False) -> None:
    """A4 with the 36-HD margins (portrait, or landscape for wide tables)."""
    width, height = PAGE["width"], PAGE["height"]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = PAGE["left"], PAGE["right"]
    section.header_distance = section.footer_distance = Mm(10)


def _element(tag: str, **attrs: str):
    """A WordprocessingML element <w:tag w:name="value" ...>, its attributes in the order given."""
    element = OxmlElement(f"w:{tag}")
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _child(parent, tag: str):
    """`parent`'s <w:tag> child, appended empty when it has none."""
    child = parent.find(qn(f"w:{tag}"))
    if child is None:
        child = OxmlElement(f"w:{tag}")
        parent.append(child)
    return child


def borders(table, visible: bool) -> None:
    """Single black lines around and inside every cell, or none at all (letterhead, signature)."""
    tbl_pr = table._tbl.tblPr
    old = tbl_pr.find(qn("w:tblBorders"))
    if old is not None:
        tbl_pr.remove(old)
    element = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if visible:
            element.append(_element(edge, val="single", sz="4", space="0", color="000000"))
        else:
            element.append(_element(edge, val="nil"))
    tbl_pr.append(element)


def fixed_widths(table, widths_mm: list[float]) -> None:
    """Fixed layout and these column widths (mm), on the grid and on every cell, for Word and LibreOffice."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    _child(tbl_pr, "tblLayout").set(qn("w:type"), "fixed")
    width = _child(tbl_pr, "tblW")
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(sum(widths_mm) * 56.7)))
    for col, w in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)


def cell_margins(table, left_mm: float = 1.2, right_mm: float = 1.2) -> None:
    """Narrow left and right cell margins, so figures fit their columns."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge, mm in (("left", left_mm), ("right", right_mm)):
        margins.append(_element(edge, w=str(int(mm * 56.7)), type="dxa"))
    tbl_pr.append(margins)


def repeat_header(row) -> None:
    """Repeat this row at the top of every page the table runs onto (w:tblHeader)."""
    row._tr.get_or_add_trPr().append(_element("tblHeader", val="true"))


def keep_row_whole(row) -> None:
    """A row never splits across two pages (w:cantSplit)."""
    row._tr.get_or_add_trPr().insert(0, _element("cantSplit", val="true"))


def shade(cell, fill: str = "E7E6E6") -> None:
    """A light grey background (header and total rows)."""
    cell._tc.get_or_add_tcPr().append(_element("shd", val="clear", color="auto", fill=fill))


def vertical_centre(cell) -> None:
    """Cell content centred vertically."""
    cell._tc.get_or_add_tcPr().append(_element("vAlign", val="center"))


def page_break_before(paragraph) -> None:
    """Start this paragraph on a new page."""
    paragraph.paragraph_format.page_break_before = True
