"""The demo as an import-template workbook (the same seed gives the same bytes), and the demo
database built from it through the real importer."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from queries import vocab as v
from queries.demo.builder import generate_demo
from queries.demo.calibration import DEFAULT_SEED, DEMO_WORKBOOK, WORKBOOK_CREATED

# --- the workbook ------------------------------------------------------------------------------

# Like real files: the registrations sheet has a title above its header, the awards sheet an STT column.
TITLE_ROWS = {"dang_ky": "DANH SÁCH ĐĂNG KÝ MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” GIAI ĐOẠN 2018-2026"}
STT_SHEETS = ("khen_thuong",)


def write_demo_workbook(
    path: str | os.PathLike = DEMO_WORKBOOK, seed: int = DEFAULT_SEED, *, reorganisation: bool = True
) -> Path:
    """Write the demo data set as an import-template workbook; the same seed gives the same bytes
    (`reorganisation=False`: the bloc's years only, see generate_demo)."""
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = generate_demo(seed, reorganisation=reorganisation)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties(
        {
            "title": "Dữ liệu mẫu phong trào thi đua Dân vận khéo",
            "author": "dvk demo",
            "created": WORKBOOK_CREATED,
        }
    )
    header_fmt = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    title_fmt = workbook.add_format({"bold": True, "font_size": 13})
    date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy"})
    score_fmt = workbook.add_format({"num_format": "0.0"})
    for table in v.TABLES:
        frame = frames[table.name]
        sheet = workbook.add_worksheet(table.label)
        headers = [c.header for c in table.columns]
        stt = table.name in STT_SHEETS
        if stt:
            headers = ["STT", *headers]
        row0 = 0
        if table.name in TITLE_ROWS:
            sheet.write(0, 0, TITLE_ROWS[table.name], title_fmt)
            row0 = 1
        sheet.write_row(row0, 0, headers, header_fmt)
        sheet.freeze_panes(row0 + 1, 0)
        offset = 1 if stt else 0
        if stt:
            sheet.set_column(0, 0, 6)
        for j, col in enumerate(table.columns):
            width = {v.DATE: 12, v.INTEGER: 10, v.NUMBER: 8}.get(col.type, 16)
            if col.alias in ("ten_don_vi", "ten_mo_hinh", "ten_chu_the"):
                width = 40
            sheet.set_column(j + offset, j + offset, width)
        for i, row in enumerate(frame.iter_rows(), start=row0 + 1):
            if stt:
                sheet.write_number(i, 0, i - row0)
            for j, (col, value) in enumerate(zip(table.columns, row, strict=True)):
                if value is None:
                    continue
                if col.type == v.DATE:
                    sheet.write_datetime(
                        i, j + offset, datetime(value.year, value.month, value.day), date_fmt
                    )
                elif col.type == v.NUMBER:
                    sheet.write_number(i, j + offset, value, score_fmt)
                elif col.type == v.INTEGER:
                    sheet.write_number(i, j + offset, value)
                else:
                    sheet.write_string(i, j + offset, value)
    workbook.close()
    return path


def build_demo_database(
    db_path: str | os.PathLike,
    workbook: str | os.PathLike | None = None,
    *,
    progress: Callable[[str, int, int], None] | None = None,
):
    """Build (or replace) the database at db_path from the demo workbook, through the real importer.

    The import goes into a fresh file beside db_path, which replaces db_path only if it succeeded.
    Returns the importer's ImportReport.
    """
    from queries.importer import import_files

    db_path = Path(db_path)
    workbook = Path(workbook) if workbook else DEMO_WORKBOOK
    if not workbook.exists():
        raise FileNotFoundError(workbook)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fresh = db_path.with_name(db_path.name + ".tmp-demo")
    _remove(fresh)
    try:
        report = import_files(fresh, [workbook], progress=progress)
        if report.ok:
            os.replace(fresh, db_path)
    finally:
        _remove(fresh)
    return report


def _remove(db: Path) -> None:
    for p in (db, Path(str(db) + ".wal")):
        if p.exists():
            p.unlink()
