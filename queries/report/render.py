"""Write a Report into a .docx: docxtpl fills the template's placeholders, the body and the appendices
are built with python-docx as two sub-documents (`{{p noi_dung }}`, `{{p phu_luc }}`).

Why docxtpl: an office's letterhead, fonts and signing block live in a .docx it can edit in Word
(`--template`); the placeholders are plain Jinja. Why sub-documents for the body: the sections and
tables vary with the data (how many units, which award levels), which python-docx builds directly,
with direct formatting only, so they drop into any template. Text is escaped (autoescape): nothing
from the data can become Word markup. The .docx is byte-for-byte the same for the same report
(fixed zip timestamps), so the dashboard's download and `dvk report` give one file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docxtpl import DocxTemplate, Listing

from queries.report import docx_format as fmt
from queries.report.make_template import TEMPLATE
from queries.report.model import BODY, CAPTION, H1, H2, PLACEHOLDER, Appendix, Paragraph, Report, Table

# Every placeholder a template may use, with what it holds (README and `dvk report --help` quote it).
PLACEHOLDERS = {
    "co_quan_cap_tren": "the superior body, capitals (ĐẢNG BỘ TỈNH …)",
    "co_quan_ban_hanh": "the issuing committee, capitals (ĐẢNG ỦY KHỐI …)",
    "so_ky_hieu": "number and symbol (Số      -BC/ĐUK)",
    "dang": "ĐẢNG CỘNG SẢN VIỆT NAM",
    "dia_danh_ngay": "place and date (…, ngày … tháng … năm …)",
    "loai_van_ban": "BÁO CÁO",
    "tieu_de": "the title (kết quả thực hiện phong trào thi đua …)",
    "noi_dung": "the body, sections I-IV with their tables: {{p noi_dung }} alone in a paragraph",
    "noi_nhan_nhan": "Nơi nhận:",
    "noi_nhan": "the recipients, one per line",
    "thay_mat": "T/M BAN THƯỜNG VỤ",
    "chuc_vu": "BÍ THƯ",
    "nguoi_ky": "the signer's name",
    "phu_luc": "the appendices, each on a new page: {{p phu_luc }} alone in a paragraph",
    "giai_doan": "the period (2021-2023)",
}
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_JUSTIFY, _CENTRE, _LEFT = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
_INDENT_MM = 12.7


def render(report: Report, template: Path | bytes | None = None) -> bytes:
    """The report as .docx bytes, in the default template or an office's own."""
    source = io.BytesIO(template) if isinstance(template, bytes) else (template or TEMPLATE)
    tpl = DocxTemplate(source)
    sections = tpl.get_docx().sections
    body = tpl.new_subdoc()
    for item in report.body:
        if isinstance(item, Table):
            _table(body, item, _text_width(sections[0]))
        else:
            _paragraph(body, item)
    appendices = tpl.new_subdoc()
    for n, appendix in enumerate(report.appendices):
        # the first one opens the template's last section (the default's is landscape), the others a page
        _appendix(appendices, appendix, report, _text_width(sections[-1]), new_page=n > 0)
    context = {
        "co_quan_cap_tren": report.superior,
        "co_quan_ban_hanh": report.issuer,
        "so_ky_hieu": report.symbol,
        "dang": report.party,
        "dia_danh_ngay": report.date_line,
        "loai_van_ban": report.doc_type,
        "tieu_de": report.title,
        "noi_dung": body,
        "noi_nhan_nhan": report.recipients_label,
        "noi_nhan": Listing("\n".join(report.recipients)),
        "thay_mat": report.on_behalf,
        "chuc_vu": report.signer_title,
        "nguoi_ky": report.signer_name,
        "phu_luc": appendices,
        "giai_doan": report.period,
    }
    tpl.render(context, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times: the same report gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _paragraph(doc, item: Paragraph) -> None:
    p = doc.add_paragraph()
    if item.style == H1:
        fmt.paragraph_format(p, align=_JUSTIFY, before=6, after=6, keep_next=True)
        fmt.add_text(p, item.text, fmt.BODY_PT, bold=True)
    elif item.style == H2:
        fmt.paragraph_format(p, align=_JUSTIFY, first_line_mm=_INDENT_MM, before=3, after=6, keep_next=True)
        fmt.add_text(p, item.text, fmt.BODY_PT, bold=True)
    elif item.style == PLACEHOLDER:
        fmt.paragraph_format(p, align=_LEFT, first_line_mm=_INDENT_MM)
        fmt.add_text(p, item.text[:64], fmt.BODY_PT)
    elif item.style == CAPTION:
        fmt.paragraph_format(p, align=_CENTRE, before=6, after=3, keep_next=True)
        fmt.add_text(p, item.text, 13, bold=True, italic=True)
    else:
        assert item.style == BODY, item.style
        fmt.paragraph_format(p, align=_JUSTIFY, first_line_mm=_INDENT_MM)
        fmt.add_text(p, item.text, fmt.BODY_PT)


def _text_width(section) -> float:
    """The width between the margins of a template's section, in mm."""
    return (section.page_width - section.left_margin - section.right_margin) / 36000


def _table(doc, table: Table, width_mm: float, size: float = fmt.TABLE_PT) -> None:
    _paragraph(doc, Paragraph(table.caption, CAPTION))
    rows = [table.columns, *table.rows, *([table.total] if table.total else [])]
    grid = doc.add_table(rows=len(rows), cols=len(table.columns))
    fmt.borders(grid, visible=True)
    scale = width_mm / sum(table.widths)
    fmt.fixed_widths(grid, [w * scale for w in table.widths])
    fmt.cell_margins(grid)
    last = len(rows) - 1
    for r, (row, values) in enumerate(zip(grid.rows, rows, strict=True)):
        header = r == 0
        total = table.total is not None and r == last
        fmt.keep_row_whole(row)
        if header:
            fmt.repeat_header(row)
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            p = cell.paragraphs[0]
            align = _CENTRE if header or table.numeric[c] else _LEFT
            fmt.paragraph_format(p, align=align, after=0, line=1.0)
            fmt.add_text(p, value, size, bold=header or total or _is_group(table, values, c))
            fmt.vertical_centre(cell)
            if header or total:
                fmt.shade(cell)
    if table.note:
        note = doc.add_paragraph()
        fmt.paragraph_format(note, align=_JUSTIFY, before=3, after=6)
        fmt.add_text(note, table.note, 12, italic=True)
    else:
        spacer = doc.add_paragraph()
        fmt.paragraph_format(spacer, after=0, line=1.0)


def _is_group(table: Table, values: tuple[str, ...], c: int) -> bool:
    """A group heading row inside a table ("Theo lĩnh vực" with empty cells after it)."""
    return c == 0 and len(values) > 1 and all(v == "" for v in values[1:])


def _appendix(doc, appendix: Appendix, report: Report, width_mm: float, new_page: bool) -> None:
    label = doc.add_paragraph()
    if new_page:
        fmt.page_break_before(label)
    fmt.paragraph_format(label, align=_CENTRE, after=0, line=1.0)
    fmt.add_text(label, appendix.label.upper(), fmt.BODY_PT, bold=True)
    title = doc.add_paragraph()
    fmt.paragraph_format(title, align=_CENTRE, after=0, line=1.0)
    fmt.add_text(title, appendix.title, fmt.BODY_PT, bold=True)
    source = doc.add_paragraph()
    fmt.paragraph_format(source, align=_CENTRE, after=6, line=1.0)
    fmt.add_text(source, report.attachment_note, 13, italic=True)
    _table(doc, appendix.table, width_mm, size=fmt.LIST_PT)
