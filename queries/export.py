"""Exports that Excel opens safely: CSV bytes (UTF-8 with BOM) and XLSX workbooks (xlsxwriter).

Both are Excel-native in the user's language. The Vietnamese CSV is separated by ";" with the
decimal comma, as Excel writes it on a Vietnamese Windows (whose list separator is ";"); the
English one by "," with the decimal dot. The workbook opens on its data; the filters come second.
Counts carry a thousands format, percentages a percent-like one, booleans read Có/Không (Yes/No).

Both neutralise formula injection. In CSV a text cell that begins with =, +, -, @ (or their
fullwidth forms ＝ ＋ － ＠), a tab or a carriage return gets a leading single quote, so Excel shows it as text and never evaluates it.
In XLSX every text is written as a string cell (never a formula, URL or number); a formula-like
one also gets Excel's quote prefix, and keeps its value.
When a frame's columns are template aliases (records of dang_ky / khen_thuong / hoi_nghi), the
headers are the template's Vietnamese labels in either language, so a downloaded file re-imports
as it is (an English file differs only in its separator and decimal dot, which the importer reads).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Collection, Mapping
from datetime import date, datetime

import polars as pl
import xlsxwriter

from queries import labels, vocab
from queries.figures import Filters
from queries.formatting import fmt_date

FORMULA_STARTS = vocab.FORMULA_STARTS
_FORMULA_START = "^[" + "".join(re.escape(c) for c in FORMULA_STARTS) + "]"
BOM = "\ufeff".encode()
SEPARATORS = {"vi": ";", "en": ","}  # the list separator of Excel on a Windows of that language
BOOLEANS = {"vi": ("Có", "Không"), "en": ("Yes", "No")}

# Every alias of the template -> its Vietnamese header; an alias has the same header in every table.
TEMPLATE_HEADERS: dict[str, str] = labels.COLUMNS_VI


def neutralise(value: str) -> str:
    """A text cell Excel cannot run: a leading ' when it begins like a formula."""
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def template_table(columns: list[str]) -> vocab.Table | None:
    """The template table whose aliases these columns are (all of them), if any."""
    for table in vocab.TABLES:
        if columns and set(columns) <= set(table.aliases):
            return table
    return None


def header_labels(columns: list[str]) -> list[str]:
    """The headers to write: the template's Vietnamese labels when the columns are template aliases."""
    if template_table(columns) is None:
        return list(columns)
    return [TEMPLATE_HEADERS[c] for c in columns]


def _safe_text(frame: pl.DataFrame, template: bool, lang: str = "vi") -> pl.DataFrame:
    """Text columns neutralised; dates written dd/mm/yyyy (as the importer reads them); a whole
    number held as a decimal ("2122.0", a figures column mixing counts and rates) written whole.

    Decimals are written with a decimal comma ("75,5") as Vietnamese Excel reads numbers; in
    English (lang="en") with the decimal dot ("75.5"), records included. The importer reads a dot
    followed by exactly three digits as a thousands separator ("75.125" is 75125), so in a template
    table such a value gets a fourth decimal ("75.1250"): a downloaded file re-imports as it is.
    """
    comma = lang != "en"
    yes, no = BOOLEANS["en" if lang == "en" else "vi"]
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Boolean:
            exprs.append(pl.when(col).then(pl.lit(yes)).when(col.not_()).then(pl.lit(no)).alias(name))
        elif dtype == pl.String:
            exprs.append(
                pl.when(col.str.contains(_FORMULA_START)).then(pl.lit("'") + col).otherwise(col).alias(name)
            )
        elif dtype == pl.Date:
            exprs.append(col.dt.strftime("%d/%m/%Y"))
        elif dtype == pl.Datetime:
            exprs.append(col.dt.strftime("%d/%m/%Y %H:%M"))
        elif dtype.is_float():
            integral = col == col.round(0)
            text = col.cast(pl.String)
            if template and not comma:  # "75.125" would read as 75125: "75.1250" reads as 75,125
                text = pl.when(text.str.contains(r"^-?\d+\.\d{3}$")).then(text + "0").otherwise(text)
            exprs.append(
                pl.when(integral)
                .then(col.cast(pl.Int64).cast(pl.String))
                .otherwise(text.str.replace(".", ",", literal=True) if comma else text)
                .alias(name)
            )
    return frame.with_columns(exprs) if exprs else frame


def to_csv_bytes(df: pl.DataFrame, lang: str = "vi") -> bytes:
    """The frame as CSV bytes for Excel: UTF-8 with BOM, template headers, no formulas; in Vietnamese
    separated by ";" with decimal commas, in English (lang="en") by "," with decimal dots.

    Records (template tables) keep the template's Vietnamese headers and stored values in both
    languages: the file is meant to re-import, and the import template is Vietnamese (its headers
    and values are what the importer reads); labels.COLUMNS_EN names the columns on the pages."""
    safe = _safe_text(df, template=template_table(df.columns) is not None, lang=lang)
    safe = safe.rename(dict(zip(df.columns, header_labels(df.columns), strict=True)))
    buffer = io.BytesIO()
    separator = SEPARATORS["en" if lang == "en" else "vi"]
    safe.write_csv(buffer, include_header=True, quote_style="necessary", separator=separator)
    return BOM + buffer.getvalue()


# --- XLSX ------------------------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

FILTER_LABELS = {
    "vi": {
        "title": "Bộ lọc của tệp xuất",
        "exported_at": "Thời điểm xuất",
        "key": "Tiêu chí",
        "value": "Giá trị",
    },
    "en": {"title": "Export filters", "exported_at": "Exported at", "key": "Filter", "value": "Value"},
}


def _whole_words(text: str, limit: int) -> str:
    """At most `limit` characters, cut after a whole word (a single longer word is cut)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return cut[:limit].rstrip(" ,;.-–(") or text[:limit]


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (at most 31 characters, none of []:*?/\\), cut after a whole word."""
    base = _SHEET_FORBIDDEN.sub("_", name).strip("'").strip() or "Sheet"
    candidate, n = _whole_words(base, 31), 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        candidate = _whole_words(base, 31 - len(suffix)) + suffix
        n += 1
    taken.add(candidate)
    return candidate


def _width(values: list[str], header: str) -> float:
    longest = max([len(header), *(len(v) for v in values[:500])])
    return min(max(8, longest + 2), 60)


# Number formats: Excel writes them with the separators of the reader's locale ("6.969" in
# Vietnamese, "6,969" in English), as the page does.
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0##"
PERCENT_FORMAT = '#,##0.0"%"'  # a percentage as shown ("75,3%"): the value is the percentage


def points_format(lang: str = "vi") -> str:
    """A change of a rate as shown ("+4,2 điểm %" / "+4.2 pp"): the value is in percentage points."""
    unit = labels.unit("points", lang)
    return f'+#,##0.0" {unit}";-#,##0.0" {unit}";0.0" {unit}"'


_PERCENT_MARK = "(%)"  # what marks a percentage column or row (dashboard.ui: "Tỉ lệ … (%)")
_YEAR_HEADERS = {"nam", "năm", "year"}


def _is_year(header: str) -> bool:
    return header.strip().lower() in _YEAR_HEADERS


def to_xlsx_bytes(
    sheets: Mapping[str, pl.DataFrame],
    filters: Mapping[str, str],
    lang: str = "vi",
    change_columns: Collection[str] = (),
) -> bytes:
    """A workbook: one sheet per frame, then a sheet describing the filters and the export time.

    In a percentage row, a column named in `change_columns` holds the change of the rate: it is
    shown in percentage points ("+4,2 điểm %"), not as a percentage.

    The workbook opens on the first data sheet. Text is written as text (never as a formula, URL or
    number), the header row is frozen, columns get widths from their content, dates are real dates
    shown dd/mm/yyyy. Counts carry a thousands format; a percentage (a column or a row whose label
    ends "(%)") a percent-like one; booleans are written Có/Không (Yes/No).
    """
    lg = "en" if lang == "en" else "vi"
    labels = FILTER_LABELS[lg]
    yes, no = BOOLEANS[lg]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "dd/mm/yyyy",
        },
    )
    bold = workbook.add_format({"bold": True})
    header_format = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    count_format = workbook.add_format({"num_format": COUNT_FORMAT})
    decimal_format = workbook.add_format({"num_format": DECIMAL_FORMAT})
    percent_format = workbook.add_format({"num_format": PERCENT_FORMAT})
    points = workbook.add_format({"num_format": points_format(lg)})
    # A formula-like text keeps its value and is a string cell; the quote prefix keeps it text even
    # when someone edits the cell in Excel.
    text_format = workbook.add_format({"quote_prefix": True})

    def write_text(sheet, row: int, col: int, text: str) -> None:
        if text.startswith(FORMULA_STARTS):
            sheet.write_string(row, col, text, text_format)
        else:
            sheet.write_string(row, col, text)

    def number_format(value: float, header: str, row_label: str | None):
        if row_label is not None and row_label.endswith(_PERCENT_MARK):
            return points if header in change_columns else percent_format
        if header.endswith(_PERCENT_MARK):
            return percent_format
        if _is_year(header):
            return None
        return count_format if float(value).is_integer() else decimal_format

    datetime_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    taken: set[str] = set()

    for name, frame in sheets.items():
        sheet = workbook.add_worksheet(sheet_name(name, taken))
        headers = header_labels(frame.columns)
        for j, header in enumerate(headers):
            sheet.write_string(0, j, header, header_format)
        first = frame.columns[0] if frame.width else None
        row_labels = (
            frame[first].to_list()
            if first is not None and frame.schema[first] == pl.String
            else [None] * frame.height
        )
        for j, (column, dtype) in enumerate(frame.schema.items()):
            values = frame[column].to_list()
            texts = []
            for i, value in enumerate(values, start=1):
                if value is None:
                    continue
                if dtype == pl.Boolean or isinstance(value, bool):
                    sheet.write_string(i, j, yes if value else no)
                    texts.append(yes if value else no)
                elif isinstance(value, datetime):
                    sheet.write_datetime(i, j, value, datetime_format)
                    texts.append("00/00/0000 00:00")
                elif isinstance(value, date):
                    sheet.write_datetime(i, j, datetime(value.year, value.month, value.day), date_format)
                    texts.append(fmt_date(value))
                elif isinstance(value, int | float):
                    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
                        continue
                    fmt = number_format(value, headers[j], row_labels[i - 1] if j else None)
                    sheet.write_number(i, j, value, fmt)
                    texts.append(f"{value:,.1f}" if isinstance(value, float) else f"{value:,}")
                else:
                    text = str(value)
                    write_text(sheet, i, j, text)
                    texts.append(text)
            sheet.set_column(j, j, _width(texts, headers[j]))
        sheet.freeze_panes(1, 0)
        if frame.height:
            sheet.autofilter(0, 0, frame.height, max(frame.width - 1, 0))

    info = workbook.add_worksheet(sheet_name(labels["title"], taken))
    info.write_string(0, 0, labels["title"], bold)
    info.write_string(2, 0, labels["key"], header_format)
    info.write_string(2, 1, labels["value"], header_format)
    row = 3
    for key, value in filters.items():
        write_text(info, row, 0, str(key))
        write_text(info, row, 1, "" if value is None else str(value))
        row += 1
    info.write_string(row, 0, labels["exported_at"])
    now = datetime.now().replace(microsecond=0)
    info.write_datetime(row, 1, now, datetime_format)
    info.set_column(0, 0, 28)
    info.set_column(1, 1, 48)
    info.freeze_panes(3, 0)
    workbook.close()
    return buffer.getvalue()


# --- file names ------------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in folded if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^A-Za-z0-9._]+", "-", plain).strip("-._")


def export_filename(kind: str, f: Filters, ext: str) -> str:
    """An ASCII file name without spaces: "dang_ky_2021-2023_DB01.csv" (the unit only when set)."""
    parts = [_ascii(kind) or "export", f.period_label]
    if f.unit:
        parts.append(_ascii(f.unit))
    for value in (f.field, f.subject, f.movement, f.kind):
        if value:
            parts.append(_ascii(value).lower())
    stem = "_".join(p for p in parts if p)
    return f"{stem}.{_ascii(ext.lstrip('.')) or 'dat'}"


def filters_description(f: Filters, lang: str = "vi") -> dict[str, str]:
    """The filters as labelled text for the first sheet of a workbook."""
    vi = lang != "en"
    every = "Tất cả" if vi else "All"
    return {
        ("Giai đoạn" if vi else "Period"): f.period_label,
        ("Đơn vị" if vi else "Unit"): f.unit or every,
        **{
            labels.column_name(alias, lang): labels.value_label(value, lang) if value else every
            for alias, value in (
                ("linh_vuc", f.field),
                ("doi_tuong", f.subject),
                ("phong_trao", f.movement),
                ("loai", f.kind),
            )
        },
    }
