"""A 5 KB workbook with one cell in A1 and one in XFD1048576: calamine builds the whole rectangle
between them (17 billion cells) and the process aborts on a failed allocation, which in the
dashboard takes the server down. The reader now bounds a sheet's used range before loading it
(xlsx_guard.check_workbook); runs in a subprocess under a 4 GB address-space limit so a
regression fails fast instead of exhausting the machine."""

from __future__ import annotations

import resource
import subprocess
import sys

from queries.store import ROOT

LIMIT = 4 << 30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def _sparse_workbook(path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Đăng ký")
    sheet.write_row(
        0, 0, ["Năm", "Mã đơn vị", "Đối tượng", "Tên tập thể, cá nhân", "Tên mô hình", "Lĩnh vực"]
    )
    sheet.write_row(1, 0, [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế"])
    sheet.write_string(1_048_575, 16_383, "x")  # the last cell of the sheet
    book.close()


def test_a_cell_in_the_far_corner_is_a_problem_not_a_crash(tmp_path):
    book = tmp_path / "goc_xa.xlsx"
    _sparse_workbook(book)
    assert book.stat().st_size < 10_000
    done = subprocess.run(
        [sys.executable, "-m", "queries", "import", "--db", str(tmp_path / "dvk.duckdb"), str(book)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=300,
        preexec_fn=_limit_memory,
        env={"RUST_BACKTRACE": "0", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])
    assert "Tệp goc_xa.xlsx" in done.stdout


def test_the_far_corner_message_names_the_sheet_and_cell_in_both_languages(tmp_path):
    from queries.importer import import_files

    book = tmp_path / "goc_xa.xlsx"
    _sparse_workbook(book)
    db = tmp_path / "dvk.duckdb"
    report = import_files(db, [book])
    assert not report.ok and not db.exists()
    (problem,) = report.problems
    assert (problem.file, problem.sheet, problem.code, problem.value) == (
        "goc_xa.xlsx",
        "Đăng ký",
        "sheet_too_large",
        "XFD1048576",
    )
    assert "17.179.869.184 ô" in problem.message("vi")
    assert "17,179,869,184 cells" in problem.message("en")


def test_a_normal_workbook_passes_the_extent_check(tmp_path):
    import xlsxwriter

    from queries import xlsx_guard

    book = tmp_path / "binh_thuong.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    sheet = wb.add_worksheet("Đăng ký")
    for r in range(2000):
        sheet.write_row(r, 0, [f"v{r}-{c}" for c in range(30)])  # columns A..AD: two-letter refs
    wb.close()
    xlsx_guard.check_workbook(book)  # 2,000 x 30 cells: no exception
