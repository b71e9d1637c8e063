"""`dvk export --what figures --format xlsx`: every sheet as the pages show it, opened with openpyxl.

On the bloc of tests/support/builders.py, 2021-2023 holds r1..r7: fields Kinh tế r1 r3 r6,
Văn hóa - xã hội r4 r5 (2022), Xây dựng hệ thống chính trị r2, Khác r7.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from support.builders import bloc

from queries import labels
from queries.cli import main

PERCENT = '#,##0.0"%"'
COUNT = "#,##0"


@pytest.fixture(scope="module")
def bloc_db(tmp_path_factory) -> Path:
    return bloc().build(tmp_path_factory.mktemp("export_figures"))


def _book(db: Path, tmp_path: Path, lang: str) -> openpyxl.Workbook:
    out = tmp_path / f"figures_{lang}.xlsx"
    code = main(["--lang", lang, "export", "--db", str(db), "--what", "figures", "--format", "xlsx",
                 "--from", "2021", "--to", "2023", "--out", str(out)])  # fmt: skip
    assert code == 0
    return openpyxl.load_workbook(io.BytesIO(out.read_bytes()))


def _rows(sheet) -> list[dict[str, openpyxl.cell.Cell]]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_sheet_is_headed_by_the_catalogue_with_number_formats(bloc_db, tmp_path, lang):
    book = _book(bloc_db, tmp_path, lang)
    year = labels.column_name("nam", lang)
    for sheet in book.worksheets[:-1]:  # the filters sheet last
        header = [c.value for c in sheet[1]]
        raw = [h for h in header if "_" in h or h in ("registrations", "share", "change", "label", "figure")]
        assert raw == [], (sheet.title, raw)  # no engine key as a header
        for row in sheet.iter_rows(min_row=2):
            for name, cell in zip(header, row, strict=True):
                if not isinstance(cell.value, int | float) or name == year:
                    continue
                # a percentage column (or row) shows "75,3%", a count "6.969": never General
                assert cell.number_format != "General", (sheet.title, name, cell.value)
                if name.endswith("(%)"):
                    assert cell.number_format == PERCENT and -100 <= cell.value <= 100, (name, cell.value)


def test_rates_are_percentages_and_changes_named(bloc_db, tmp_path):
    book = _book(bloc_db, tmp_path, "vi")
    by_field = {r["Lĩnh vực"].value: r for r in _rows(book[labels.sheet_name("by_field")])}
    share = by_field["Kinh tế"]["Tỉ trọng (%)"]
    assert (share.value, share.number_format) == (42.9, PERCENT)  # 3 of 7 = 42,857...%, not 0,43
    assert (by_field["Kinh tế"]["Lượt đăng ký"].value, by_field["Kinh tế"]["Lượt đăng ký"].number_format) == (
        3,
        COUNT,
    )
    per_year = {
        (r["Năm"].value, r["Lĩnh vực"].value): r for r in _rows(book[labels.sheet_name("by_field_year")])
    }
    society = per_year[(2023, "Văn hóa - xã hội")]  # 0 in 2023 against 2 in 2022 (r4 r5)
    assert (society["Thay đổi"].value, society["Thay đổi"].number_format) == (-2, COUNT)
    assert (society["Thay đổi (%)"].value, society["Thay đổi (%)"].number_format) == (-100, PERCENT)
    assert per_year[(2022, "Văn hóa - xã hội")]["Thay đổi (%)"].value is None  # no % of nothing
    by_unit = {r["Mã đơn vị"].value: r for r in _rows(book[labels.sheet_name("by_unit")])}
    # unit A, a đảng bộ cơ sở with registrations (r1..r5): 1 of 1 grassroots unit covered -> 100,0%
    coverage = by_unit["A"][f"{labels.figure_name('coverage_rate')} (%)"]
    assert coverage.number_format == PERCENT and coverage.value == 100


def test_english_sheets_name_the_stored_values_in_english(bloc_db, tmp_path):
    book = _book(bloc_db, tmp_path, "en")
    fields = [r["Field"].value for r in _rows(book["By field"])]
    assert "Economy" in fields and "Kinh tế" not in fields
    awards = _rows(book["Awards"])
    assert {r["Status"].value for r in awards} <= {"Awarded", "Nominated"}
