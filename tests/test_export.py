"""Exports: Excel-native, Excel-safe CSV (BOM, ";" and the decimal comma in Vietnamese, "," and the dot
in English, template headers, neutralised formulas, clean re-import) and XLSX (data first, number
formats, whole-word sheet names, Có/Không)."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import polars as pl
import pytest
from support.builders import BLOC, INDIVIDUAL, PERIOD, DataSet, bloc, cursor

from queries import figures, vocab
from queries.export import export_filename, filters_description, to_csv_bytes, to_xlsx_bytes
from queries.figures import Filters
from queries.importer import import_files

FORMULAS = ["=1+1", "+x", "-x", "@x", "\tx", "\rx"]


def _rows(data: bytes, delimiter: str = ";") -> list[list[str]]:
    """The CSV's rows, read as Excel on a Vietnamese Windows reads it (";"), or with `delimiter`."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_csv_starts_with_a_bom_and_is_utf8():
    data = to_csv_bytes(pl.DataFrame({"ten_don_vi": ["Đảng bộ Khối"]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Đảng bộ Khối" in data.decode("utf-8-sig")


def test_csv_neutralises_every_formula_start():
    frame = pl.DataFrame({"ten_mo_hinh": [*FORMULAS, "ok", "a=b", None], "nam": list(range(9))})
    rows = _rows(to_csv_bytes(frame))
    assert rows[0] == ["Tên mô hình", "Năm"]
    cells = [r[0] for r in rows[1:]]
    assert cells == ["'=1+1", "'+x", "'-x", "'@x", "'\tx", "'\rx", "ok", "a=b", ""]
    assert not any(c[:1] in ("=", "+", "-", "@", "\t", "\r") for c in cells)


def test_csv_headers_are_template_labels_only_for_template_columns():
    records = pl.DataFrame(
        {alias: [None] for alias in vocab.AWARDS.aliases},
        schema=dict.fromkeys(vocab.AWARDS.aliases, pl.String),
    )
    assert _rows(to_csv_bytes(records))[0] == [c.header for c in vocab.AWARDS.columns]
    other = pl.DataFrame({"figure": ["registrations"], "2021": [2.0]})
    assert _rows(to_csv_bytes(other))[0] == ["figure", "2021"]


def test_csv_writes_dates_and_decimals_the_importer_reads():
    frame = pl.DataFrame({"ngay_dang_ky": [date(2023, 10, 19)], "diem": [75.125], "nam": [2023]})
    assert _rows(to_csv_bytes(frame))[1] == ["19/10/2023", "75,125", "2023"]


@pytest.fixture(scope="module")
def bloc_db(tmp_path_factory):
    d = bloc()
    # text that Excel would run as a formula, stored as it came (the importer trims, so no tab/CR)
    d.reg(2022, "A1", INDIVIDUAL, score=88.5)
    d.registrations[-1].update(ten_chu_the="=1+1", ten_mo_hinh="@SUM(A1)")
    d.reg(2022, "A1")
    d.registrations[-1].update(ten_chu_the="+x", ten_mo_hinh="-x")
    return d.build(tmp_path_factory.mktemp("export"))


def test_exported_records_reimport_cleanly(bloc_db, tmp_path):
    with cursor(bloc_db) as cur:
        records = figures.records(cur, PERIOD, "dang_ky")
        units = cur.execute("select count(*) from don_vi").fetchall()[0][0]
    data = to_csv_bytes(records)
    header = _rows(data)[0]
    assert header == [c.header for c in vocab.REGISTRATIONS.columns]
    cells = {c for row in _rows(data)[1:] for c in row}
    assert {"'=1+1", "'@SUM(A1)", "'+x", "'-x"} <= cells

    # the same file imported again into its own database: nothing new, every row matched by its key
    path = tmp_path / "dang_ky.csv"
    path.write_bytes(data)
    report = import_files(bloc_db, [path], dry_run=True)
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.counts["dang_ky"].added == 0
    assert report.counts["dang_ky"].updated == records.height

    # and into a fresh database together with the units: the same records come back
    with cursor(bloc_db) as cur:
        unit_rows = cur.sql("select * from don_vi").pl()
    units_path = tmp_path / "don_vi.csv"
    units_path.write_bytes(to_csv_bytes(unit_rows.select(vocab.UNITS.aliases)))
    fresh = tmp_path / "fresh.duckdb"
    report = import_files(fresh, [units_path, path])
    assert report.ok, [p.message("en") for p in report.problems]
    with cursor(fresh) as cur:
        again = figures.records(cur, PERIOD, "dang_ky")
        assert cur.execute("select count(*) from don_vi").fetchall()[0][0] == units
    assert again.height == records.height
    assert again.equals(records)  # the neutralising quote is taken off again: the same records
    assert "=1+1" in again["ten_chu_the"].to_list()


def test_awards_and_conferences_reimport_cleanly(bloc_db, tmp_path):
    with cursor(bloc_db) as cur:
        awards = figures.records(cur, PERIOD, "khen_thuong")
        conferences = figures.records(cur, PERIOD, "hoi_nghi")
    paths = []
    for name, frame in (("khen_thuong", awards), ("hoi_nghi", conferences)):
        path = tmp_path / f"{name}.csv"
        path.write_bytes(to_csv_bytes(frame))
        paths.append(path)
    report = import_files(bloc_db, paths, dry_run=True)
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.counts["khen_thuong"].added == 0 and report.counts["khen_thuong"].updated == awards.height
    assert report.counts["hoi_nghi"].added == 0 and report.counts["hoi_nghi"].updated == conferences.height


def _workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_opens_on_the_data_with_the_filters_sheet_last(bloc_db):
    f = Filters(2021, 2023, unit="A", field="Kinh tế")
    with cursor(bloc_db) as cur:
        sheets = {"Đăng ký": figures.records(cur, f, "dang_ky"), "Theo đơn vị": figures.by_unit(cur, f)}
    wb = _workbook(to_xlsx_bytes(sheets, filters_description(f)))
    assert wb.sheetnames == ["Đăng ký", "Theo đơn vị", "Bộ lọc của tệp xuất"]
    assert wb.active.title == "Đăng ký"
    info = {r[0]: r[1] for r in wb["Bộ lọc của tệp xuất"].iter_rows(min_row=4, values_only=True)}
    assert info["Giai đoạn"] == "2021-2023"
    assert info["Đơn vị"] == "A"
    assert info["Lĩnh vực"] == "Kinh tế"
    assert info["Đối tượng"] == "Tất cả"
    assert info["Thời điểm xuất"] is not None
    english = _workbook(
        to_xlsx_bytes({"x": pl.DataFrame({"a": [1]})}, filters_description(f, "en"), lang="en")
    )
    assert english.sheetnames == ["x", "Export filters"]


def test_xlsx_strings_stay_strings_with_a_frozen_header(bloc_db):
    with cursor(bloc_db) as cur:
        records = figures.records(cur, PERIOD, "dang_ky")
    ws = _workbook(to_xlsx_bytes({"Đăng ký": records}, {"Giai đoạn": "2021-2023"}))["Đăng ký"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == [c.header for c in vocab.REGISTRATIONS.columns]
    cells = [
        c
        for row in ws.iter_rows(min_row=2)
        for c in row
        if isinstance(c.value, str) and c.value[:1] in "=+-@"
    ]
    assert {c.value for c in cells} >= {"=1+1", "@SUM(A1)", "+x", "-x"}
    for cell in cells:
        assert cell.data_type == "s"  # a string cell, never a formula ("f")
        assert cell.quotePrefix
    # dates are real dates shown dd/mm/yyyy; numbers are numbers; widths are set
    date_col = vocab.REGISTRATIONS.aliases.index("nam") + 1
    assert ws.cell(row=2, column=date_col).data_type == "n"
    assert ws.column_dimensions["F"].width > 8


def test_xlsx_dates_are_dates():
    frame = pl.DataFrame({"ngay": [date(2023, 10, 19)], "x": ['=HYPERLINK("http://e")']})
    ws = _workbook(to_xlsx_bytes({"Hội nghị": frame}, {}))["Hội nghị"]
    cell = ws["A2"]
    assert cell.is_date and cell.value.date() == date(2023, 10, 19)
    assert cell.number_format == "dd/mm/yyyy"
    assert ws["B2"].data_type == "s" and ws["B2"].value.startswith("=HYPERLINK")


def test_xlsx_sheet_names_are_made_valid_and_unique():
    frame = pl.DataFrame({"a": [1]})
    names = _workbook(
        to_xlsx_bytes({"a/b:c*?[d]": frame, "A/B:C*?[D]": frame, "x" * 40: frame}, {})
    ).sheetnames
    assert names[0] == "a_b_c__[d]".replace("[", "_").replace("]", "_")
    assert names[1].lower() != names[0].lower() and len(names[1]) <= 31
    assert len(names[2]) == 31  # one word longer than a sheet name: cut


def test_xlsx_sheet_names_are_whole_words():
    frame = pl.DataFrame({"a": [1]})
    long = "Đơn vị tăng, giảm nhiều nhất (lượt đăng ký)"  # 43 characters
    names = _workbook(to_xlsx_bytes({long: frame, long + " ": frame}, {})).sheetnames
    assert names[0] == "Đơn vị tăng, giảm nhiều nhất"  # not "... nhất (l"
    assert names[1] == "Đơn vị tăng, giảm nhiều (2)"
    assert all(len(n) <= 31 for n in names)


def test_export_filename_is_ascii_without_spaces():
    assert export_filename("dang_ky", Filters(2021, 2023, unit="DB01"), "csv") == "dang_ky_2021-2023_DB01.csv"
    assert export_filename("figures", Filters(2022, 2022), "xlsx") == "figures_2022.xlsx"
    name = export_filename(
        "khen_thuong", Filters(2021, 2023, unit="Đơn vị 1", field="Văn hóa - xã hội"), ".csv"
    )
    assert name == "khen_thuong_2021-2023_Don-vi-1_van-hoa-xa-hoi.csv"
    assert name.isascii() and " " not in name


def test_empty_frames_export(tmp_path):
    d = DataSet().unit("K", cap=BLOC)
    with cursor(d.build(tmp_path)) as cur:
        records = figures.records(cur, PERIOD, "dang_ky")
    assert records.height == 0
    assert _rows(to_csv_bytes(records)) == [[c.header for c in vocab.REGISTRATIONS.columns]]
    ws = _workbook(to_xlsx_bytes({"Đăng ký": records}, {}))["Đăng ký"]
    assert ws.max_row == 1


def test_csv_separator_and_decimals_follow_the_language():
    frame = pl.DataFrame({"Đơn vị": ["Chi bộ 1, tổ 2"], "Tỉ lệ (%)": [97.8], "Lượt đăng ký": [6969]})
    vi = to_csv_bytes(frame)
    assert vi.decode("utf-8-sig").splitlines()[1] == "Chi bộ 1, tổ 2;97,8;6969"  # as Vietnamese Excel writes
    assert _rows(vi) == [["Đơn vị", "Tỉ lệ (%)", "Lượt đăng ký"], ["Chi bộ 1, tổ 2", "97,8", "6969"]]
    en = to_csv_bytes(frame, "en")
    assert en.decode("utf-8-sig").splitlines()[1] == '"Chi bộ 1, tổ 2",97.8,6969'
    assert _rows(en, ",")[1] == ["Chi bộ 1, tổ 2", "97.8", "6969"]


def test_booleans_read_co_khong():
    frame = pl.DataFrame({"Đơn vị": ["A", "B", "C"], "Chưa đạt": [True, False, None]})
    assert [r[1] for r in _rows(to_csv_bytes(frame))[1:]] == ["Có", "Không", ""]
    assert [r[1] for r in _rows(to_csv_bytes(frame, "en"), ",")[1:]] == ["Yes", "No", ""]
    ws = _workbook(to_xlsx_bytes({"x": frame}, {}))["x"]
    assert [ws.cell(row=i, column=2).value for i in (2, 3, 4)] == ["Có", "Không", None]
    ws = _workbook(to_xlsx_bytes({"x": frame}, {}, lang="en"))["x"]
    assert [ws.cell(row=i, column=2).value for i in (2, 3)] == ["Yes", "No"]


def test_xlsx_counts_and_rates_carry_number_formats():
    frame = pl.DataFrame(
        {
            "Chỉ số": ["Lượt đăng ký", "Tỉ lệ được công nhận (%)", "Điểm bình quân"],
            "2021-2023": [6969.0, 97.8, 81.5],
        }
    )
    by_unit = pl.DataFrame({"Năm": [2023], "Lượt đăng ký": [6969], "Tỉ lệ (%)": [75.3]})
    wb = _workbook(to_xlsx_bytes({"Số liệu": frame, "Theo năm": by_unit}, {}))
    ws = wb["Số liệu"]
    assert (ws["B2"].value, ws["B2"].number_format) == (6969, "#,##0")  # Excel shows 6.969 in vi
    assert (ws["B3"].value, ws["B3"].number_format) == (97.8, '#,##0.0"%"')  # shows 97,8%
    assert ws["B4"].number_format == "#,##0.0##"
    ws = wb["Theo năm"]
    assert ws["A2"].value == 2023 and ws["A2"].number_format == "General"  # a year, not 2.023
    assert ws["B2"].number_format == "#,##0" and ws["C2"].number_format == '#,##0.0"%"'


@pytest.mark.parametrize("lang, unit", [("vi", "điểm %"), ("en", "pp")])
def test_xlsx_shows_the_change_of_a_rate_in_points(lang, unit):
    """A So sánh download: the rate's change column reads "+13,1 điểm %" (97,8% against 84,7%), not
    "13,1%"; the count's change stays a count, the rate's values stay percentages."""
    frame = pl.DataFrame(
        {
            "Chỉ số": ["Lượt đăng ký", "Tỉ lệ TCCSĐ có đăng ký (%)"],
            "A": [6969.0, 97.8],
            "B": [4115.0, 84.7],
            "Thay đổi": [2854.0, 13.1],  # 97,8 - 84,7 = 13,1 points
        }
    )
    ws = _workbook(to_xlsx_bytes({"x": frame}, {}, lang=lang, change_columns=["Thay đổi"]))["x"]
    assert ws["D2"].number_format == "#,##0"
    assert ws["B3"].number_format == ws["C3"].number_format == '#,##0.0"%"'
    assert (ws["D3"].value, ws["D3"].number_format) == (
        13.1,
        f'+#,##0.0" {unit}";-#,##0.0" {unit}";0.0" {unit}"',
    )


def test_a_downloaded_csv_reimports_as_the_same_records_in_both_languages(tmp_path):
    d = bloc()
    d.reg(2022, "A1", key='=HYPERLINK("http://x","y")')
    d.registrations[-1].update(ten_chu_the="=7+7", ten_mo_hinh="'quoted by the user", diem=75.5)
    d.reg(2022, "A1", key="DK-TAB")
    d.registrations[-1].update(ten_chu_the="-x", ten_mo_hinh="'+ stays?")
    db = d.build(tmp_path / "db")
    with cursor(db) as cur:
        records = figures.records(cur, PERIOD, "dang_ky")
    assert '=HYPERLINK("http://x","y")' in records["ma_dang_ky"].to_list()
    for lang in ("vi", "en"):
        path = tmp_path / f"dang_ky_{lang}.csv"
        path.write_bytes(to_csv_bytes(records, lang))
        report = import_files(db, [path], dry_run=True)
        assert report.ok, [p.message("en") for p in report.problems]
        # every row found again by its key, the =HYPERLINK one included: nothing added
        assert (report.counts["dang_ky"].added, report.counts["dang_ky"].updated) == (0, records.height)
        fresh = tmp_path / f"fresh_{lang}.duckdb"
        with cursor(db) as cur:
            units = cur.sql("select * from don_vi").pl().select(vocab.UNITS.aliases)
        units_path = tmp_path / f"don_vi_{lang}.csv"
        units_path.write_bytes(to_csv_bytes(units, lang))
        assert import_files(fresh, [units_path, path]).ok
        with cursor(fresh) as cur:
            again = figures.records(cur, PERIOD, "dang_ky")
        assert again.equals(records)
        # a quote the user typed before non-formula text is theirs: kept
        assert "'quoted by the user" in again["ten_mo_hinh"].to_list()


def test_an_english_records_export_uses_the_dot_and_re_imports(tmp_path, capsys):
    """`dvk --lang en export --what dang_ky`: "," separated, decimal dots (75.5, not "75,5"), the
    template's headers (the file is meant to re-import; the importer reads the template's words),
    and the same records come back: 75.125 is written "75.1250", which the importer cannot take
    for 75125 (a dot before exactly three digits groups thousands)."""
    from queries.cli import main

    d = bloc()
    d.reg(2022, "A1", key="DK-HALF", score=75.5)
    d.reg(2022, "A1", key="DK-THREE", score=75.125)
    d.reg(2022, "A1", key="DK-WHOLE", score=88)
    db = d.build(tmp_path / "db")
    out = tmp_path / "dang_ky_en.csv"
    code = main(["--lang", "en", "export", "--db", str(db), "--what", "dang_ky", "--format", "csv",
                 "--from", "2021", "--to", "2023", "--out", str(out)])  # fmt: skip
    assert code == 0
    rows = _rows(out.read_bytes(), ",")
    assert rows[0] == [c.header for c in vocab.REGISTRATIONS.columns]  # the template's headers
    score = rows[0].index("Điểm")
    by_key = {r[0]: r for r in rows[1:]}
    assert [by_key[k][score] for k in ("DK-HALF", "DK-THREE", "DK-WHOLE")] == ["75.5", "75.1250", "88"]
    assert not any("," in r[score] for r in rows[1:])
    with cursor(db) as cur:
        records = figures.records(cur, PERIOD, "dang_ky")
        units = cur.sql("select * from don_vi").pl().select(vocab.UNITS.aliases)
    report = import_files(db, [out], dry_run=True)
    assert report.ok, [p.message("en") for p in report.problems]
    assert (report.counts["dang_ky"].added, report.counts["dang_ky"].updated) == (0, records.height)
    units_path = tmp_path / "don_vi_en.csv"
    units_path.write_bytes(to_csv_bytes(units, "en"))
    fresh = tmp_path / "fresh.duckdb"
    assert import_files(fresh, [units_path, out]).ok
    with cursor(fresh) as cur:
        again = figures.records(cur, PERIOD, "dang_ky")
    assert again.equals(records)
    assert (
        sorted(s for s in again["diem"].to_list() if s is not None)
        == sorted(s for s in records["diem"].to_list() if s is not None)
        and 75.125 in again["diem"].to_list()
    )
