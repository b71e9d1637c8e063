"""Problem and notice sentences of the importer, in Vietnamese (default) and English.

A message is "<where>: <reason>." where <where> names the file, sheet, row and column, e.g.
"Tệp dang_ky.csv, dòng 7, cột «Năm»: giá trị «20222» không hợp lệ — năm phải từ 1990 đến 2100."
"""

from __future__ import annotations

from queries import labels

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1258": "Windows-1258",
}
# A CSV separator as a sentence names it: separator -> (Vietnamese, English).
SEPARATOR_NAMES: dict[str, tuple[str, str]] = {
    ",": ("dấu phẩy", "comma"),
    ";": ("dấu chấm phẩy", "semicolon"),
    "\t": ("tab", "tab"),
}

# code -> (Vietnamese, English); placeholders are filled from the problem's value and params.
PROBLEMS: dict[str, tuple[str, str]] = {
    "required": ("thiếu giá trị bắt buộc", "a required value is missing"),
    "bad_integer": (
        "giá trị «{value}» không hợp lệ — cần một số nguyên",
        "value «{value}» is not valid — a whole number is expected",
    ),
    "bad_number": (
        "giá trị «{value}» không phải là số (viết 75,5 hoặc 1.061)",
        "value «{value}» is not a number (write 75,5 or 1.061)",
    ),
    "bad_date": (
        "giá trị «{value}» không phải là ngày hợp lệ (dd/mm/yyyy, từ năm 1900 đến 2100)",
        "value «{value}» is not a valid date (dd/mm/yyyy, years 1900 to 2100)",
    ),
    "year_range": (
        "giá trị «{value}» không hợp lệ — năm phải từ {min} đến {max}",
        "value «{value}» is not valid — the year must be between {min} and {max}",
    ),
    "score_range": (
        "giá trị «{value}» không hợp lệ — điểm phải từ {min} đến {max}",
        "value «{value}» is not valid — the score must be between {min} and {max}",
    ),
    "negative": (
        "giá trị «{value}» không hợp lệ — số lượng không được âm",
        "value «{value}» is not valid — a count cannot be negative",
    ),
    "out_of_range": (
        "giá trị «{value}» nằm ngoài khoảng cho phép ({min} – {max})",
        "value «{value}» is outside the allowed range ({min} – {max})",
    ),
    "excel_error": (
        "ô có lỗi công thức Excel «{value}» — sửa công thức hoặc nhập giá trị",
        "the cell holds an Excel formula error «{value}» — fix the formula or type the value",
    ),
    "bad_choice": (
        "giá trị «{value}» không thuộc danh sách cho phép: {choices}",
        "value «{value}» is not one of the allowed values: {choices}",
    ),
    "unknown_unit": (
        "mã đơn vị «{value}» không có trong danh sách đơn vị (đã lưu hoặc trong lần nhập này)",
        "unit code «{value}» is not a known unit (neither stored nor in this import)",
    ),
    "missing_parent": (
        "đơn vị cấp trên «{value}» không có trong danh sách đơn vị (đã lưu hoặc trong lần nhập này)",
        "parent unit «{value}» is not a known unit (neither stored nor in this import)",
    ),
    "branch_without_parent": (
        "chi bộ trực thuộc phải có đơn vị cấp trên (đảng bộ cơ sở của nó); chỉ đơn vị gốc để trống ô này",
        "a chi bộ trực thuộc needs its parent unit (its đảng bộ cơ sở); only a root leaves this cell empty",
    ),
    "unknown_successor": (
        "đơn vị kế thừa «{value}» không có trong danh sách đơn vị (đã lưu hoặc trong lần nhập này)",
        "successor unit «{value}» is not a known unit (neither stored nor in this import)",
    ),
    "cycle": (
        "đơn vị cấp trên «{value}» tạo thành vòng lặp trong cây đơn vị ({path})",
        "parent unit «{value}» makes a loop in the unit tree ({path})",
    ),
    "date_order": (
        "ngày «{value}» trước ngày hiệu lực từ «{start}»",
        "date «{value}» is before the start date «{start}»",
    ),
    "validity_overlap": (
        "thời gian hiệu lực từ «{value}» chồng lên dòng khác của đơn vị «{code}» ({period}, ở {other}) "
        "— mỗi thời kỳ của một đơn vị một dòng, không chồng nhau",
        "the validity from «{value}» overlaps another row of unit «{code}» ({period}, at {other}) "
        "— one row per period of a unit, without overlap",
    ),
    "validity_overlap_stored": (
        "ngày «{value}» làm thời gian hiệu lực chồng lên dòng đã lưu của đơn vị «{code}» ({period}) "
        "— ghi «Hiệu lực đến» cho thời kỳ trước",
        "date «{value}» makes the validity overlap the stored row of unit «{code}» ({period}) "
        "— give the earlier period its «Hiệu lực đến»",
    ),
    "successor_without_end": (
        "đơn vị kế thừa «{value}» cần ngày «Hiệu lực đến» của đơn vị được kế thừa",
        "successor unit «{value}» needs the end date («Hiệu lực đến») of the unit it carries on",
    ),
    "successor_inactive": (
        "đơn vị kế thừa «{value}» không hoạt động vào ngày {day} (ngày sau «Hiệu lực đến»)",
        "successor unit «{value}» is not active on {day} (the day after «Hiệu lực đến»)",
    ),
    "succession_cycle": (
        "đơn vị kế thừa «{value}» tạo thành vòng lặp kế thừa ({path})",
        "successor unit «{value}» makes a loop of successions ({path})",
    ),
    "duplicate_key": (
        "bản ghi «{value}» bị trùng — đã có ở {other}",
        "record «{value}» is a duplicate — it already appears at {other}",
    ),
    "duplicate_column": (
        "cột này lặp lại — cột cùng tên đã có ở trước",
        "this column repeats one that appears earlier",
    ),
    "missing_column": (
        "thiếu cột bắt buộc «{column}» của bảng «{table}»",
        "the required column «{column}» of table «{table}» is missing",
    ),
    "no_header": (
        "không tìm thấy dòng tiêu đề cột của bảng «{table}» trong {rows} dòng đầu",
        "no header row of table «{table}» found in the first {rows} rows",
    ),
    "no_table": (
        "không nhận ra bảng dữ liệu nào (tên trang/tệp hoặc tiêu đề cột theo mẫu nhập)",
        "no table of the template recognised (by sheet/file name or column headers)",
    ),
    "unreadable": (
        "không đọc được tệp ({detail})",
        "the file cannot be read ({detail})",
    ),
    "not_found": ("không tìm thấy tệp", "the file does not exist"),
    "bad_database": (
        "không mở được cơ sở dữ liệu {path} ({detail})",
        "the database {path} cannot be opened ({detail})",
    ),
    "write_failed": (
        "không ghi được vào cơ sở dữ liệu ({detail}); cơ sở dữ liệu không thay đổi",
        "the database could not be written ({detail}); it is unchanged",
    ),
    "duplicate_file": (
        "tệp có nội dung giống hệt tệp «{other}» đã chọn",
        "the file has exactly the same content as «{other}», also selected",
    ),
    "empty_file": ("tệp rỗng", "the file is empty"),
    "more_problems": (
        "còn {count} lỗi cùng loại nữa ở cột này của bảng «{table}», không liệt kê ra đây",
        "{count} more problems of the same kind in this column of table «{table}» are not listed here",
    ),
    "password_protected": (
        "tệp được bảo vệ bằng mật khẩu — hãy bỏ mật khẩu trong Excel, lưu lại rồi nhập lại",
        "the workbook is protected by a password — remove the password in Excel, save it and import again",
    ),
    "sheet_too_large": (
        "vùng dữ liệu của trang kéo dài tới ô «{value}» ({cells} ô) — có ô thừa ở rất xa; hãy xóa các hàng, cột thừa rồi lưu lại",
        "the sheet's used range reaches cell «{value}» ({cells} cells) — a stray cell far away; delete the extra rows and columns and save again",
    ),
    "decompressed_too_large": (
        "tệp quá lớn khi giải nén — nội dung nén bên trong vượt quá giới hạn đọc an toàn"
        " (tệp bất thường, có thể là tệp độc hại); hãy mở và lưu lại bằng Excel rồi nhập lại",
        "file too large when decompressed — its compressed content exceeds what can be read safely"
        " (an abnormal, possibly malicious file); open and save it in Excel, then import again",
    ),
    "damaged": (
        "tệp hỏng, không đọc được ({detail}); hãy mở và lưu lại bằng Excel rồi nhập lại",
        "damaged file, it cannot be read ({detail}); open and save it in Excel, then import again",
    ),
    "read_timeout": (
        "đọc tệp quá {seconds} giây nên đã dừng — tệp quá lớn hoặc hỏng",
        "reading the file took over {seconds} seconds and was stopped — it is too large or damaged",
    ),
    "zip_unsafe_path": (
        "thành phần của tệp nén có đường dẫn không an toàn (tuyệt đối, «..» hoặc liên kết), không giải nén",
        "the archive member has an unsafe path (absolute, «..» or a link) and is not unpacked",
    ),
    "zip_encrypted": (
        "thành phần của tệp nén được đặt mật khẩu — hãy nén lại không mật khẩu",
        "the archive member is encrypted — zip it again without a password",
    ),
    "zip_unreadable": ("không đọc được tệp nén ({detail})", "the archive cannot be read ({detail})"),
    "zip_too_many": (
        "tệp nén có {count} tệp, quá giới hạn {limit} tệp",
        "the archive holds {count} files, more than the limit of {limit}",
    ),
    "zip_member_too_large": (
        "tệp trong tệp nén lớn hơn {limit} MB khi giải nén",
        "the archive member unpacks to more than {limit} MB",
    ),
    "zip_too_large": (
        "tệp nén giải nén ra quá {limit} MB",
        "the archive unpacks to more than {limit} MB",
    ),
    "bundle_empty": (
        "không có tệp Excel hoặc CSV nào để nhập",
        "there is no Excel or CSV file to import",
    ),
    "database_changed": (
        "cơ sở dữ liệu đã thay đổi kể từ khi xem trước (có lần nhập hoặc hoàn tác khác); hãy xem trước lại rồi xác nhận",
        "the database changed after the preview (another import or undo); preview again, then confirm",
    ),
    "too_many_columns": (
        "tệp có {count} cột, nhiều hơn giới hạn 16.384 cột của Excel",
        "the file has {count} columns, more than Excel's limit of 16,384",
    ),
}

NOTICES: dict[str, tuple[str, str]] = {
    "ignored_column": (
        "cột không có trong mẫu nhập, đã bỏ qua",
        "column not in the template, ignored",
    ),
    "ignored_sheet": (
        "trang không phải bảng dữ liệu của mẫu nhập, đã bỏ qua",
        "sheet is not a table of the template, ignored",
    ),
    "empty_sheet": ("trang trống, đã bỏ qua", "empty sheet, ignored"),
    "total_row": ("dòng tổng cộng, đã bỏ qua", "total row, skipped"),
    "numbering_row": (
        "dòng đánh số cột (1), (2), (3)..., đã bỏ qua",
        "column-numbering row (1), (2), (3)..., skipped",
    ),
    "title_rows": (
        "{count} dòng tiêu đề phía trên dòng tiêu đề cột (dòng {header_row}), đã bỏ qua",
        "{count} title row(s) above the header row (row {header_row}), skipped",
    ),
    "blank_rows": ("{count} dòng trống, đã bỏ qua", "{count} blank row(s), skipped"),
    "table": (
        "đọc thành bảng «{table}» ({rows} dòng dữ liệu)",
        "read as table «{table}» ({rows} data rows)",
    ),
    "encoding": (
        "mã hóa {encoding}, phân cách bằng {separator}",
        "encoding {encoding}, separated by {separator}",
    ),
    "lossy_encoding": (
        "một số ký tự không giải mã được và đã được thay bằng «\ufffd»",
        "some characters could not be decoded and were replaced by «\ufffd»",
    ),
}


# A notice's kind in a few words, for grouping notices by kind with a count (queries/notices.py).
NOTICE_KINDS: dict[str, tuple[str, str]] = {
    "ignored_column": ("Cột không có trong mẫu, đã bỏ qua", "Columns not in the template, ignored"),
    "ignored_sheet": ("Trang không phải bảng dữ liệu, đã bỏ qua", "Sheets that are not data tables, ignored"),
    "empty_sheet": ("Trang trống", "Empty sheets"),
    "total_row": ("Dòng tổng cộng, đã bỏ qua", "Total rows, skipped"),
    "numbering_row": ("Dòng đánh số cột, đã bỏ qua", "Column-numbering rows, skipped"),
    "title_rows": ("Dòng tiêu đề phía trên, đã bỏ qua", "Title rows above the headers, skipped"),
    "blank_rows": ("Dòng trống, đã bỏ qua", "Blank rows, skipped"),
    "table": ("Bảng đọc được", "Tables read"),
    "encoding": ("Mã hóa và dấu phân cách của CSV", "CSV encoding and separator"),
    "lossy_encoding": ("Ký tự không giải mã được", "Characters that could not be decoded"),
}

# `dvk undo` and the page's undo button: code -> (Vietnamese, English).
UNDO: dict[str, tuple[str, str]] = {
    "undo": (
        "Đã hoàn tác bước {undone} ({what}): cơ sở dữ liệu trở lại như trước bước đó.",
        "Undid step {undone} ({what}): the database is back as it was before it.",
    ),
    "redo": (
        "Đã làm lại bước {redone} (hoàn tác bước {undone} được hủy).",
        "Redid step {redone} (the undo of step {undone} is reversed).",
    ),
    "undo_nothing": (
        "Không có bước nhập nào để hoàn tác.",
        "There is no import to undo.",
    ),
    "undo_changed_since": (
        "Không hoàn tác được: cơ sở dữ liệu đã được ghi bằng cách khác sau bước {undone} (ví dụ dvk demo).",
        "Cannot undo: the database was written by other means after step {undone} (dvk demo, for instance).",
    ),
    "undo_not_kept": (
        "Không hoàn tác được bước {undone}: phiên bản trước đó không còn được lưu (chỉ giữ {keep} phiên bản gần nhất).",
        "Cannot undo step {undone}: the version before it is no longer kept (only the last {keep} are kept).",
    ),
}


def count(n: int, lang: str = "vi") -> str:
    """A count as each language writes it: 13.761 (vi), 13,761 (en)."""
    text = f"{n:,}"
    return text.replace(",", ".") if lang != "en" else text


def table_name(name: str, lang: str = "vi") -> str:
    """The table's sheet label (vi) or English name (the label catalogue's)."""
    return labels.table_name(name, lang)


def location(
    file: str | None, sheet: str | None, row: int | None, column: str | None, lang: str = "vi"
) -> str:
    """ "Tệp x.xlsx, trang «Đăng ký», dòng 7, cột «Năm»" (or the English equivalent)."""
    vi = lang != "en"
    parts = []
    if file is not None:
        parts.append(("Tệp " if vi else "File ") + str(file))
    if sheet is not None:
        parts.append(("trang «{}»" if vi else "sheet «{}»").format(sheet))
    if row is not None:
        parts.append(("dòng {}" if vi else "row {}").format(row))
    if column is not None:
        parts.append(("cột «{}»" if vi else "column «{}»").format(column))
    text = ", ".join(parts)
    if not parts or file is None:
        text = text[:1].upper() + text[1:]
    return text


def _fill(template: str, value: str | None, params: dict, lang: str) -> str:
    fields = {"value": "" if value is None else value, **params}
    for key in ("count", "rows", "cells"):
        if isinstance(fields.get(key), int):
            fields[key] = count(fields[key], lang)
    if "table" in fields:
        fields["table"] = table_name(str(fields["table"]), lang)
    if "choices" in fields and not isinstance(fields["choices"], str):
        fields["choices"] = ", ".join(fields["choices"])
    if "separator" in fields:
        names = SEPARATOR_NAMES.get(fields["separator"])
        fields["separator"] = fields["separator"] if names is None else names[1 if lang == "en" else 0]
    if "encoding" in fields:
        fields["encoding"] = ENCODING_NAMES.get(fields["encoding"], fields["encoding"])
    if isinstance(fields.get("other"), dict):
        o = fields["other"]
        fields["other"] = location(o.get("file"), o.get("sheet"), o.get("row"), None, lang)
    try:
        return template.format(**fields)
    except (KeyError, IndexError):
        return template


def reason(
    kind: dict[str, tuple[str, str]], code: str, value: str | None, params: dict, lang: str = "vi"
) -> str:
    """The reason part of a message, without the location."""
    pair = kind.get(code)
    if pair is None:
        return code
    return _fill(pair[1] if lang == "en" else pair[0], value, params, lang)


def sentence(where: str, why: str) -> str:
    """Join location and reason into one sentence ending with a full stop."""
    text = f"{where}: {why}" if where else why[:1].upper() + why[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


# How a period's figures cover it (queries.periods.coverage_label): "2021-2025, số liệu đến 2024".
PERIOD_NOTES = {
    "vi": {
        "none": "chưa có số liệu",
        "up_to": "số liệu đến {year}",
        "from": "số liệu từ {year}",
        "years": "số liệu các năm {years}",
        "pending": "kết quả chưa cuối cùng: {share} số đăng ký năm {year} đang chờ đánh giá",
    },
    "en": {
        "none": "no data yet",
        "up_to": "data up to {year}",
        "from": "data from {year}",
        "years": "data for {years}",
        "pending": "results not final: {share} of the {year} registrations await scoring",
    },
}
