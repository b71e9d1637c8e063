"""The empty import template: an instructions sheet, then one sheet per table of vocab.TABLES.

Headers, sheet names and allowed values come from `queries.vocab`, so the template can never drift
from what the importer accepts. The instructions are in Vietnamese, or English with lang="en";
headers and values stay Vietnamese in both, because they are the contract.

The instructions sheet lists the columns one per row (never side by side) and the hidden lists
sheet titles its lists "Danh sách: ...", so the importer's header detection never mistakes either
for a data sheet.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TypedDict

from queries import export
from queries import vocab as v

DEFAULT_NAME = "mau_nhap_lieu_dvk.xlsx"
INSTRUCTIONS_SHEET = {"vi": "Hướng dẫn", "en": "Instructions"}
LISTS_SHEET = {"vi": "Danh mục", "en": "Lists"}


def is_product_sheet(name: str) -> bool:
    """A sheet the product itself writes beside the data: the template's instructions and lists,
    an export's filters sheet. The importer skips them without a notice."""
    own = [*INSTRUCTIONS_SHEET.values(), *LISTS_SHEET.values()]
    own += [export.sheet_name(labels["title"], set()) for labels in export.FILTER_LABELS.values()]
    return v.fold(name) in {v.fold(n) for n in own}


# Validations and formats cover this many data rows below the header.
TEMPLATE_ROWS = 20_000
CREATED = datetime(2025, 1, 1, 8, 0, 0)

TYPE_LABELS = {
    "vi": {v.TEXT: "Chữ", v.INTEGER: "Số nguyên", v.NUMBER: "Số", v.DATE: "Ngày (dd/mm/yyyy)"},
    "en": {v.TEXT: "Text", v.INTEGER: "Whole number", v.NUMBER: "Number", v.DATE: "Date (dd/mm/yyyy)"},
}

TABLE_NOTES = {
    "don_vi": (
        "Mỗi dòng một đơn vị: Tỉnh ủy hoặc Đảng bộ Khối (gốc), đảng bộ cấp trên cơ sở, đảng bộ cơ sở, chi bộ cơ"
        " sở, chi bộ trực thuộc. Đơn vị đổi cấp trên mà giữ mã: mỗi thời kỳ một dòng (Hiệu lực từ/đến không"
        " chồng nhau).",
        "One row per unit: the province or bloc committee (root), committees above the grassroots, grassroots"
        " committees and branches, branches under them. A unit that changes its superior keeping its code: one"
        " row per period (Hiệu lực từ/đến not overlapping).",
    ),
    "quy_mo": (
        "Số đảng viên và người lao động của từng đơn vị theo năm (mẫu số của các tỉ lệ). Không bắt buộc.",
        "Party members and staff of each unit per year (the denominators of rates). Optional.",
    ),
    "dang_ky": (
        "Mỗi dòng một chủ thể (tập thể hoặc cá nhân) đăng ký một mô hình trong một năm.",
        "One row per registrant (collective or individual), model and year.",
    ),
    "khen_thuong": (
        "Khen thưởng đã có quyết định, và đề nghị khen thưởng gửi cấp trên (Trạng thái = Đề nghị).",
        "Awards decided, and nominations sent to a higher level (Trạng thái = Đề nghị).",
    ),
    "hoi_nghi": (
        "Hội nghị đã tổ chức: tuyên dương, khen thưởng; sơ kết; tổng kết; học tập, quán triệt.",
        "Conferences held: commendation, mid-term review, final review, study sessions.",
    ),
}

COLUMN_NOTES: dict[tuple[str, str], tuple[str, str]] = {
    ("don_vi", "ma_don_vi"): (
        "Mã duy nhất (lặp lại chỉ ở các thời kỳ của cùng đơn vị); các trang khác dùng mã này.",
        "Unique code (repeated only on the periods of one unit); the other sheets refer to it.",
    ),
    ("don_vi", "ma_cap_tren"): (
        "Mã của đơn vị cấp trên; chỉ để trống với đơn vị gốc.",
        "Code of the parent unit; empty only for the root.",
    ),
    ("don_vi", "hieu_luc_tu"): ("Ngày đơn vị bắt đầu hoạt động.", "Date the unit came into being."),
    ("don_vi", "hieu_luc_den"): (
        "Ngày đơn vị giải thể hoặc hợp nhất; để trống nếu còn hoạt động.",
        "Date the unit was dissolved or merged; empty while it is active.",
    ),
    ("don_vi", "ma_ke_thua"): (
        "Mã đơn vị tiếp nhận sau hợp nhất (hoạt động từ ngày sau Hiệu lực đến).",
        "Code of the successor after a merger (active from the day after Hiệu lực đến).",
    ),
    ("dang_ky", "ma_dang_ky"): (
        "Nếu để trống, chương trình tự tạo khóa từ Năm, Mã đơn vị, Đối tượng, Tên, Tên mô hình, Phong trào.",
        "If empty, a key is derived from Năm, Mã đơn vị, Đối tượng, name, Tên mô hình, Phong trào.",
    ),
    ("dang_ky", "ma_mo_hinh"): (
        "Cùng mã qua các năm nghĩa là mô hình được duy trì.",
        "The same code across years marks a model carried over.",
    ),
    ("dang_ky", "ma_don_vi"): (
        "Đơn vị (chi bộ) của chủ thể đăng ký.",
        "The unit (branch) of the registrant.",
    ),
    ("dang_ky", "ten_chu_the"): (
        "Tên tập thể (chi bộ, phòng, công đoàn...) hoặc họ và tên cá nhân.",
        "Name of the collective (branch, department, union...) or full name of the person.",
    ),
    ("dang_ky", "diem"): (
        "Thang điểm 100; thường đạt từ 75 điểm.",
        "Out of 100; usually recognised from 75.",
    ),
    ("dang_ky", "cap_cong_nhan"): (
        "Cấp công nhận mô hình (nếu có).",
        "Level that recognised the model, if any.",
    ),
    ("khen_thuong", "so_quyet_dinh"): (
        "Số quyết định, ví dụ 15-QĐ/ĐUK (với đề nghị: số tờ trình).",
        "Decision number, e.g. 15-QĐ/ĐUK (for a nomination: the proposal number).",
    ),
    ("khen_thuong", "ma_don_vi"): (
        "Đơn vị của tập thể, cá nhân được khen.",
        "The unit of the collective or person honoured.",
    ),
    ("khen_thuong", "cap_khen_thuong"): ("Cấp ra quyết định khen thưởng.", "The level issuing the award."),
    ("khen_thuong", "trang_thai"): (
        "Đề nghị = đã đề nghị cấp trên, chưa có quyết định.",
        "Đề nghị = nominated to a higher level, not yet decided.",
    ),
    ("khen_thuong", "ma_dang_ky"): (
        "Mã đăng ký của mô hình được khen (nếu có).",
        "Registration code of the model honoured, if any.",
    ),
    ("hoi_nghi", "so_dang_vien_du"): (
        "Số lượt đảng viên dự (không lớn hơn Số người dự).",
        "Party members attending (at most Số người dự).",
    ),
}

EXAMPLES = {
    "don_vi": {
        "ma_don_vi": "DBK.01", "ten_don_vi": "Đảng bộ Sở Tài chính", "ma_cap_tren": "DBK",
        "cap": v.LEVEL_GRASSROOTS_COMMITTEE, "loai_hinh": "Cơ quan", "hieu_luc_tu": "03/08/2013",
    },
    "quy_mo": {"ma_don_vi": "DBK.01", "nam": "2023", "so_dang_vien": "85", "so_nguoi_lao_dong": "190"},
    "dang_ky": {
        "ma_dang_ky": "DK2023-00001", "ma_mo_hinh": "MH-DBK.01.02-004", "nam": "2023", "ma_don_vi": "DBK.01.02",
        "doi_tuong": v.SUBJECT_INDIVIDUAL, "ten_chu_the": "Nguyễn Văn An",
        "ten_mo_hinh": "Dân vận khéo trong chuyển đổi số, thực hiện dịch vụ công trực tuyến",
        "loai": v.KIND_MODEL, "phong_trao": v.MOVEMENT_DVK, "linh_vuc": "Xây dựng hệ thống chính trị",
        "ngay_dang_ky": "15/02/2023", "ket_qua": v.RESULT_RECOGNISED, "diem": "85,5", "cap_cong_nhan": "Cơ sở",
    },
    "khen_thuong": {
        "so_quyet_dinh": "497-QĐ/ĐUK", "ngay_quyet_dinh": "16/10/2023", "nam": "2023", "ma_don_vi": "DBK.01.02",
        "doi_tuong": v.SUBJECT_INDIVIDUAL, "ten_chu_the": "Nguyễn Văn An", "hinh_thuc": "Giấy khen",
        "cap_khen_thuong": "Đảng ủy Khối", "trang_thai": v.STATUS_AWARDED, "ma_dang_ky": "DK2023-00001",
    },
    "hoi_nghi": {
        "ma_don_vi": "DBK.01", "nam": "2023", "loai_hoi_nghi": v.CONFERENCE_COMMENDATION,
        "ngay": "20/09/2023", "so_nguoi_du": "120", "so_dang_vien_du": "85",
    },
}  # fmt: skip


class _Texts(TypedDict):
    """The instruction texts of one language."""

    title: str
    general: str
    rules: tuple[str, ...]
    sheet: str
    key: str
    columns: tuple[str, ...]
    yes: str
    no: str
    default: str
    range: str
    min: str
    list_title: str
    invalid_title: str
    invalid_list: str
    invalid_number: str
    invalid_date: str
    generated: str


TEXT: dict[str, _Texts] = {
    "vi": {
        "title": "MẪU NHẬP LIỆU THỐNG KÊ PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO”",
        "general": "Hướng dẫn chung",
        "rules": (
            "Tệp gồm 5 trang dữ liệu: Đơn vị, Quy mô, Đăng ký, Khen thưởng, Hội nghị. Có thể nhập đủ 5 trang hoặc chỉ một số trang.",
            "Cũng có thể nhập tệp CSV, mỗi bảng một tệp, tên tệp bắt đầu bằng tên bảng (ví dụ dang_ky_2023.csv), dòng đầu là tiêu đề cột.",
            "Giữ nguyên tên trang và dòng tiêu đề cột (dòng 1). Có thể có dòng tên bảng phía trên và cột STT, cột ghi chú: chương trình bỏ qua và báo lại.",
            "Ngày ghi dạng dd/mm/yyyy (ví dụ 15/03/2023) hoặc ô kiểu ngày của Excel.",
            "Số: dấu chấm ngăn cách hàng nghìn, dấu phẩy ngăn cách phần thập phân (1.061; 75,5). Năm ghi đủ 4 chữ số.",
            "Cột có danh sách: chọn trong danh sách thả xuống; gõ không dấu hoặc khác hoa thường vẫn được nhận (“tap the” = “Tập thể”).",
            "Mã đơn vị ở các trang khác phải có trong trang Đơn vị hoặc đã có trong cơ sở dữ liệu.",
            "Nhập lại cùng dữ liệu không làm nhân đôi: dòng trùng khóa được cập nhật (khóa của từng trang ghi bên dưới).",
            "Dòng sai không bị bỏ qua âm thầm: chương trình báo trang, số dòng, cột và lý do, và không ghi gì cho đến khi hết lỗi.",
        ),
        "sheet": "Trang «{label}» (tên khác: {name})",
        "key": "Khóa nhập lại: {key}",
        "columns": ("Cột (tiêu đề)", "Tên khác", "Kiểu", "Bắt buộc", "Giá trị cho phép, ghi chú", "Ví dụ"),
        "yes": "Có",
        "no": "Không",
        "default": "mặc định: {value}",
        "range": "từ {low} đến {high}",
        "min": "không nhỏ hơn {low}",
        "list_title": "Danh sách: {header}",
        "invalid_title": "Giá trị không có trong mẫu",
        "invalid_list": "Chọn một giá trị trong danh sách.",
        "invalid_number": "Nhập số trong khoảng cho phép.",
        "invalid_date": "Nhập ngày dạng dd/mm/yyyy.",
        "generated": "Tạo từ danh mục của chương trình; đừng sửa trang này.",
    },
    "en": {
        "title": "IMPORT TEMPLATE FOR “DÂN VẬN KHÉO” MOVEMENT STATISTICS",
        "general": "General rules",
        "rules": (
            "The workbook has 5 data sheets: Đơn vị (units), Quy mô (unit sizes), Đăng ký (registrations), Khen thưởng (awards), Hội nghị (conferences). Import all of them or any subset.",
            "CSV works too: one file per table, the file name starting with the table name (e.g. dang_ky_2023.csv), headers in the first line.",
            "Keep the sheet names and the header row (row 1) as they are; the headers are Vietnamese on purpose. A title row above and columns such as STT or notes are ignored, with a notice.",
            "Dates as dd/mm/yyyy (e.g. 15/03/2023) or Excel date cells.",
            "Numbers the Vietnamese way: dot for thousands, comma for decimals (1.061; 75,5). Years with 4 digits.",
            "Columns with a list: pick from the drop-down; values typed without diacritics or in another case are accepted (“tap the” = “Tập thể”).",
            "Unit codes on the other sheets must exist on the Đơn vị sheet or already in the database.",
            "Importing the same data again never duplicates it: rows with the same key are updated (each sheet's key is given below).",
            "A bad row is never dropped silently: the sheet, row, column and reason are reported, and nothing is written until every problem is fixed.",
        ),
        "sheet": "Sheet «{label}» (also: {name})",
        "key": "Re-import key: {key}",
        "columns": ("Column (header)", "Alias", "Type", "Required", "Allowed values, notes", "Example"),
        "yes": "Yes",
        "no": "No",
        "default": "default: {value}",
        "range": "from {low} to {high}",
        "min": "at least {low}",
        "list_title": "Danh sách: {header}",
        "invalid_title": "Value not in the template",
        "invalid_list": "Pick a value from the list.",
        "invalid_number": "Enter a number in the allowed range.",
        "invalid_date": "Enter a date as dd/mm/yyyy.",
        "generated": "Generated from the program's vocabulary; do not edit this sheet.",
    },
}

REGISTRATION_KEY = {
    "vi": "Mã đăng ký (nếu trống: Năm + Mã đơn vị + Đối tượng + Tên tập thể, cá nhân + Tên mô hình + Phong trào)",
    "en": "Mã đăng ký (if empty: Năm + Mã đơn vị + Đối tượng + Tên tập thể, cá nhân + Tên mô hình + Phong trào)",
}
AWARD_KEY = {
    "vi": "Số quyết định + năm của quyết định (năm của Ngày quyết định, nếu trống: Năm) + Đối tượng"
    " + Tên tập thể, cá nhân (không phân biệt chữ hoa, chữ thường và khoảng trắng thừa)",
    "en": "Số quyết định + the year of the decision (of Ngày quyết định, else Năm) + Đối tượng"
    " + Tên tập thể, cá nhân (case and extra spaces ignored)",
}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _allowed(table: v.Table, col: v.Column, lang: str) -> str:
    t = TEXT[lang]
    parts = []
    if col.choices:
        parts.append(" / ".join(col.choices))
    if col.min_value is not None and col.max_value is not None:
        parts.append(t["range"].format(low=_number(col.min_value), high=_number(col.max_value)))
    elif col.min_value is not None:
        parts.append(t["min"].format(low=_number(col.min_value)))
    if col.default:
        parts.append(t["default"].format(value=col.default))
    note = COLUMN_NOTES.get((table.name, col.alias))
    if note:
        parts.append(note[0] if lang == "vi" else note[1])
    return "; ".join(parts)


def _key_text(table: v.Table, lang: str) -> str:
    if table.name == "dang_ky":
        return REGISTRATION_KEY[lang]
    if table.name == "khen_thuong":
        return AWARD_KEY[lang]
    return " + ".join(table.column(alias).header for alias in table.key)


def write_template(path: str | os.PathLike = DEFAULT_NAME, lang: str = "vi") -> Path:
    """Write the empty import template (instructions in `lang`, "vi" or "en"); returns the path."""
    import xlsxwriter
    from xlsxwriter.utility import xl_rowcol_to_cell

    if lang not in TEXT:
        raise ValueError(f"unknown language: {lang}")
    t = TEXT[lang]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"title": t["title"], "author": "dvk", "created": CREATED})
    bold = workbook.add_format({"bold": True})
    title_fmt = workbook.add_format({"bold": True, "font_size": 14})
    section_fmt = workbook.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
    th_fmt = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
    )
    td_fmt = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    header_fmt = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy"})
    text_fmt = workbook.add_format({"num_format": "@"})
    score_fmt = workbook.add_format({"num_format": "0.0"})

    # --- instructions ---
    guide = workbook.add_worksheet(INSTRUCTIONS_SHEET[lang])
    guide.set_column(0, 0, 26)
    guide.set_column(1, 1, 18)
    guide.set_column(2, 2, 18)
    guide.set_column(3, 3, 10)
    guide.set_column(4, 4, 60)
    guide.set_column(5, 5, 36)
    row = 0
    guide.write(row, 0, t["title"], title_fmt)
    row += 2
    guide.write(row, 0, t["general"], section_fmt)
    row += 1
    for k, rule in enumerate(t["rules"], start=1):
        guide.write(row, 0, f"{k}.", bold)
        guide.merge_range(row, 1, row, 5, rule, wrap)
        guide.set_row(row, 30)
        row += 1
    for table in v.TABLES:
        row += 1
        guide.write(row, 0, t["sheet"].format(label=table.label, name=table.name), section_fmt)
        row += 1
        note = TABLE_NOTES[table.name][0 if lang == "vi" else 1]
        guide.merge_range(row, 0, row, 5, note, wrap)
        row += 1
        guide.merge_range(row, 0, row, 5, t["key"].format(key=_key_text(table, lang)), wrap)
        row += 1
        guide.write_row(row, 0, t["columns"], th_fmt)
        row += 1
        example = EXAMPLES[table.name]
        for col in table.columns:
            cells = [
                col.header,
                col.alias,
                TYPE_LABELS[lang][col.type],
                t["yes"] if col.required else t["no"],
                _allowed(table, col, lang),
                example.get(col.alias, ""),
            ]
            # Every cell is text: an example "2023" must not become a number cell.
            for j, value in enumerate(cells):
                guide.write_string(row, j, value, td_fmt)
            row += 1
    guide.activate()

    # --- the lists behind the drop-downs (hidden, last) ---
    lists: dict[tuple[str, ...], str] = {}
    list_columns: list[tuple[str, tuple[str, ...]]] = []
    for table in v.TABLES:
        for col in table.columns:
            if col.choices and col.choices not in lists:
                list_columns.append((col.header, col.choices))
                lists[col.choices] = ""

    # --- one sheet per table ---
    list_sheet_name = LISTS_SHEET[lang]
    for j, (_, choices) in enumerate(list_columns):
        first = xl_rowcol_to_cell(1, j, row_abs=True, col_abs=True)
        last = xl_rowcol_to_cell(len(choices), j, row_abs=True, col_abs=True)
        lists[choices] = f"='{list_sheet_name}'!{first}:{last}"
    for table in v.TABLES:
        sheet = workbook.add_worksheet(table.label)
        sheet.freeze_panes(1, 0)
        sheet.set_row(0, 32)
        for j, col in enumerate(table.columns):
            width = max(12, min(45, len(col.header) + 4))
            if col.alias in ("ten_don_vi", "ten_chu_the", "ten_mo_hinh"):
                width = 45
            fmt = {v.DATE: date_fmt, v.TEXT: text_fmt, v.NUMBER: score_fmt}.get(col.type)
            if col.type == v.TEXT and col.choices:
                fmt = None
            sheet.set_column(j, j, width, fmt)
            sheet.write_string(0, j, col.header, header_fmt)
            validation = _validation(col, lists, t)
            if validation:
                sheet.data_validation(1, j, TEMPLATE_ROWS, j, validation)

    lists_sheet = workbook.add_worksheet(list_sheet_name)
    for j, (header, choices) in enumerate(list_columns):
        lists_sheet.write_string(0, j, t["list_title"].format(header=header), bold)
        for i, choice in enumerate(choices, start=1):
            lists_sheet.write_string(i, j, choice)
        lists_sheet.set_column(j, j, max(16, max(len(c) for c in choices) + 2))
    lists_sheet.write_string(len(max(list_columns, key=lambda c: len(c[1]))[1]) + 2, 0, t["generated"])
    lists_sheet.hide()
    workbook.close()
    return path


def _validation(col: v.Column, lists: dict[tuple[str, ...], str], t: _Texts) -> dict | None:
    """The Excel data validation of a column: a drop-down, a number range or a date range.

    Warnings, not stops: the importer also accepts what Excel would reject (values without
    diacritics, dates typed as text), so the user may keep such a value after the warning.
    """
    common = {"error_type": "warning", "error_title": t["invalid_title"]}
    if col.choices:
        return {
            "validate": "list",
            "source": lists[col.choices],
            "error_message": t["invalid_list"],
            **common,
        }
    if col.type in (v.INTEGER, v.NUMBER) and col.min_value is not None:
        rule: dict[str, object] = {
            "validate": "integer" if col.type == v.INTEGER else "decimal",
            "error_message": t["invalid_number"],
            **common,
        }
        if col.max_value is not None:
            rule.update(criteria="between", minimum=col.min_value, maximum=col.max_value)
        else:
            rule.update(criteria=">=", value=col.min_value)
        return rule
    if col.type == v.DATE:
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": datetime(1900, 1, 1),
            "maximum": datetime(2100, 12, 31),
            "error_message": t["invalid_date"],
            **common,
        }
    return None
