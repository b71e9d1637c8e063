"""Build the default report template, queries/report/templates/bao_cao.docx (Hướng dẫn 36-HD/VPTW).

Run `python -m queries.report.make_template` to rebuild it after a change here. The template is a
plain .docx with docxtpl (Jinja) placeholders; an office may copy it, restyle its letterhead and pass
it to `dvk report --template`. The placeholders (render.PLACEHOLDERS documents each):

    {{ co_quan_cap_tren }}  {{ co_quan_ban_hanh }}  {{ so_ky_hieu }}       top left
    {{ dang }}  {{ dia_danh_ngay }}                                          top right
    {{ loai_van_ban }}  {{ tieu_de }}                                        centred
    {{p noi_dung }}                                                          the body (sections I-IV)
    {{ noi_nhan_nhan }}  {{ noi_nhan }}                                      bottom left
    {{ thay_mat }}  {{ chuc_vu }}  {{ nguoi_ky }}                            bottom right
    {{p phu_luc }}                                                           the appendices
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from queries.report import docx_format as fmt

TEMPLATE = Path(__file__).resolve().parent / "templates" / "bao_cao.docx"
CENTRE = WD_ALIGN_PARAGRAPH.CENTER
LEFT_MM, RIGHT_MM = 72, fmt.TEXT_WIDTH_MM - 72


def _line(cell_or_doc, text: str, size: float = 14, align=CENTRE, first: bool = False, **emphasis):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    fmt.paragraph_format(paragraph, align=align, after=0, line=1.0)
    fmt.add_text(paragraph, text, size, **emphasis)
    return paragraph


def build(path: Path = TEMPLATE) -> Path:
    """Write the default template to `path`."""
    doc = Document()
    fmt.page_setup(doc.sections[0])
    normal = doc.styles["Normal"]
    normal.font.name = fmt.FONT
    normal.font.size = Pt(fmt.BODY_PT)
    fonts = normal.element.get_or_add_rPr().find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), fmt.FONT)
    props = doc.core_properties
    props.author = props.last_modified_by = ""
    props.title = "Báo cáo phong trào thi đua Dân vận khéo"
    props.comments = ""
    props.revision = 1
    props.created = props.modified = datetime(2026, 1, 1)

    # letterhead: two borderless columns
    head = doc.add_table(rows=1, cols=2)
    fmt.borders(head, visible=False)
    fmt.fixed_widths(head, [LEFT_MM, RIGHT_MM])
    left, right = head.rows[0].cells
    # no superior (a root unit): the issuing body moves up to the first line, beside the Party's name
    _line(left, "{%p if co_quan_cap_tren %}", first=True)
    _line(left, "{{ co_quan_cap_tren }}")
    _line(left, "{%p endif %}")
    _line(left, "{{ co_quan_ban_hanh }}", bold=True)
    _line(left, "*")
    _line(left, "{{ so_ky_hieu }}")
    _line(right, "{{ dang }}", size=15, bold=True, underline=True, first=True)
    _line(right, "")
    _line(right, "")
    _line(right, "{{ dia_danh_ngay }}", italic=True)

    title = doc.add_paragraph()
    fmt.paragraph_format(title, align=CENTRE, before=18, after=0, line=1.0)
    fmt.add_text(title, "{{ loai_van_ban }}", 16, bold=True)
    subtitle = doc.add_paragraph()
    fmt.paragraph_format(subtitle, align=CENTRE, after=0, line=1.0)
    fmt.add_text(subtitle, "{{ tieu_de }}", 14, bold=True)
    rule = doc.add_paragraph()
    fmt.paragraph_format(rule, align=CENTRE, after=12, line=1.0)
    fmt.add_text(rule, "-----", 14)

    body = doc.add_paragraph()
    fmt.add_text(body, "{{p noi_dung }}", fmt.BODY_PT)

    spacer = doc.add_paragraph()
    fmt.paragraph_format(spacer, after=0, line=1.0)

    # signature block: two borderless columns, recipients left, signer right
    sign = doc.add_table(rows=1, cols=2)
    fmt.borders(sign, visible=False)
    fmt.fixed_widths(sign, [LEFT_MM + 8, RIGHT_MM - 8])
    left, right = sign.rows[0].cells
    p = _line(left, "{{ noi_nhan_nhan }}", size=12, align=WD_ALIGN_PARAGRAPH.LEFT, first=True, bold=True)
    p.runs[0].font.underline = True
    _line(left, "{{ noi_nhan }}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, "{{ thay_mat }}", bold=True, first=True)
    _line(right, "{{ chuc_vu }}", bold=True)
    for _ in range(4):
        _line(right, "")
    _line(right, "{{ nguoi_ky }}", bold=True)
    fmt.keep_row_whole(sign.rows[0])  # the block stays on one page

    # the appendices in a landscape section of their own: wide tables, one line per row
    fmt.page_setup(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    appendix = doc.add_paragraph()
    fmt.add_text(appendix, "{{p phu_luc }}", fmt.BODY_PT)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE))
