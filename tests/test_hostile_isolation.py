"""Issue 17: a hostile workbook never takes the CLI or the dashboard down.

The workbooks themselves are cases of the hostile corpus (test_hostile_corpus.py: the three
XFD1048576 variants, the whitespace bomb, the lying zip header). Here: the command line rejects
them all with exit 1 and stays small; the worker process turns running out of memory or time into
a message; leftovers of killed processes go at the next start; the Nhập dữ liệu page shows the
message, and (in Chromium) the server keeps answering while and after it reads them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import bombs
from support.files import write_xlsx

from queries import sandbox, store, xlsx_guard
from queries.importer import import_files
from queries.store import ROOT

PEAK_LIMIT_KB = 1_500_000  # 1.5 GB, in getrusage's kilobytes


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    books = {v: bombs.far_corner(folder / f"{v}.xlsx", v) for v in bombs.FAR_CORNER}
    books["whitespace_bomb"] = bombs.whitespace_bomb(folder / "whitespace_bomb.xlsx")
    books["lying_header"] = bombs.lying_header(folder / "lying_header.xlsx")
    return books


def test_the_guard_names_what_is_wrong_without_inflating_it(hostile):
    for variant in bombs.FAR_CORNER:
        with pytest.raises(xlsx_guard.SheetTooLarge) as far:
            xlsx_guard.check_workbook(hostile[variant])
        assert (far.value.sheet, far.value.last_cell, far.value.cells) == (
            "Đơn vị",
            "XFD1048576",
            16_384 << 20,
        )
    with pytest.raises(xlsx_guard.DecompressedTooLarge) as bomb:
        xlsx_guard.check_workbook(hostile["whitespace_bomb"])
    assert bomb.value.part == "xl/worksheets/sheet1.xml" and bomb.value.size > 1 << 30  # from the directory
    with pytest.raises(xlsx_guard.DecompressedTooLarge) as liar:
        xlsx_guard.check_workbook(hostile["lying_header"])
    assert liar.value.part == "xl/worksheets/sheet1.xml" and liar.value.size <= 2 << 20  # stopped early


def test_the_extent_is_read_as_calamine_reads_it(tmp_path):
    """Rows and cells without references count on from the last one; a prefixed namespace, single
    quotes and attribute order do not matter; a row without cells adds nothing."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    cases = {
        "<row><c><v>1</v></c><c><v>2</v></c></row><row><c/></row>": None,  # B2: small
        "<x:row r='1048576'><x:c r='AB1048576'/></x:row>": None,  # 28 columns: 29,360,128 cells
        "<x:row r='1048576'><x:c r='AC1048576'/></x:row>": ("AC1048576", 29 << 20),
        "<row r='9'/><row r='1048576'/>": None,  # rows without cells
        "<row><c t='inlineStr'><is><t>a\x01b</t></is></c></row>": None,  # a raw control character
        "<row r='5'><c r='C5'/><c/><c/></row><row><c r='XFD7'/></row>": None,  # 7 x 16,384
        "<row r='3000'><c r='A3000'/></row><row><c r='Z2000000'/></row>": ("Z2000000", 52_000_000),
    }
    for rows, expected in cases.items():
        xml = f"<worksheet xmlns='{ns}' xmlns:x='{ns}'><sheetData>{rows}</sheetData></worksheet>".encode()
        path = tmp_path / "s.xlsx"
        path.write_bytes(bombs.replace_sheet(bombs._base_workbook(), xml))
        if expected is None:
            xlsx_guard.check_workbook(path)
            continue
        with pytest.raises(xlsx_guard.SheetTooLarge) as found:
            xlsx_guard.check_workbook(path)
        assert (found.value.last_cell, found.value.cells) == expected, rows


def test_the_command_line_rejects_every_one_with_exit_1_and_stays_small(hostile, tmp_path):
    """`dvk import --dry-run` on the five workbooks (before: exit 134 or 1.7 GB): exit 1, a located
    message for each, no traceback, and the peak memory of the command and its workers (measured
    by a parent that waits for them) under 1.5 GB."""
    db = tmp_path / "dvk.duckdb"
    command = [
        sys.executable,
        "-m",
        "queries",
        "import",
        "--dry-run",
        "--db",
        str(db),
        *map(str, hostile.values()),
    ]
    wrapper = (
        "import resource, subprocess, sys\n"
        f"done = subprocess.run({command!r}, capture_output=True, text=True)\n"
        "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr)\n"
        "print('PEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "RUST_BACKTRACE": "0"},
    )  # fmt: skip
    peak, code = map(int, done.stdout.strip().splitlines()[-1].split()[1:])
    out = done.stdout
    assert code == 1, (code, done.stderr[-2000:])
    assert "Traceback" not in out + done.stderr
    for variant in bombs.FAR_CORNER:
        assert (
            f"Lỗi: Tệp {variant}.xlsx, trang «Đơn vị»: vùng dữ liệu của trang kéo dài tới ô «XFD1048576»"
            in out
        )
    for name in ("whitespace_bomb", "lying_header"):
        assert f"Lỗi: Tệp {name}.xlsx: tệp quá lớn khi giải nén" in out
    assert out.strip().splitlines()[-2].startswith("Không nhập: phát hiện 5 lỗi")
    assert peak < PEAK_LIMIT_KB, peak
    assert not db.exists()


def test_a_reader_out_of_memory_is_a_message_not_a_crash(tmp_path, monkeypatch):
    """A workbook that passes the checks but needs more memory than the worker may have: calamine's
    allocation fails, which aborts the worker (Rust aborts, SIGABRT); the import reports it."""
    book = write_xlsx(
        tmp_path / "lon.xlsx", {"Đăng ký": [["Năm", "Mã đơn vị"], *[[2022, f"CS{i}"] for i in range(3000)]]}
    )
    monkeypatch.setattr(sandbox, "READER_MEMORY", 300 << 20)  # less than calamine and Polars need
    report = import_files(tmp_path / "dvk.duckdb", [book], dry_run=True)
    (problem,) = report.problems
    assert (problem.file, problem.code) == ("lon.xlsx", "decompressed_too_large")
    assert problem.message().startswith("Tệp lon.xlsx: tệp quá lớn khi giải nén")
    assert problem.message("en").startswith("File lon.xlsx: file too large when decompressed")
    monkeypatch.undo()
    assert (
        import_files(tmp_path / "dvk.duckdb", [book], dry_run=True).problems[0].code
        != "decompressed_too_large"
    )


def test_a_reader_that_takes_too_long_is_stopped(tmp_path, monkeypatch):
    book = write_xlsx(tmp_path / "cham.xlsx", {"Đăng ký": [["Năm"], [2022]]})
    monkeypatch.setattr(sandbox, "READER_SECONDS", 0.001)
    report = import_files(tmp_path / "dvk.duckdb", [book], dry_run=True)
    (problem,) = report.problems
    assert (problem.file, problem.code) == ("cham.xlsx", "read_timeout")
    assert problem.message("en").startswith(
        "File cham.xlsx: reading the file took over 0 seconds and was stopped"
    )
    assert problem.message().startswith("Tệp cham.xlsx: đọc tệp quá 0 giây nên đã dừng")
    import multiprocessing

    assert not multiprocessing.active_children()  # the worker was killed and reaped


def test_damaged_and_dead_workers_are_damaged_files(tmp_path):
    error = sandbox._died(-6, tmp_path / "none.log", "x.xlsx")  # SIGABRT without a memory message
    assert isinstance(error, xlsx_guard.Damaged) and "signal 6" in str(error)
    log = tmp_path / "oom.log"
    log.write_text("memory allocation of 549755813888 bytes failed\n")
    assert isinstance(sandbox._died(-6, log, "x.xlsx"), xlsx_guard.DecompressedTooLarge)


def test_leftovers_of_killed_processes_go_at_the_next_start(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale_upload = tmp_path / f"{sandbox.UPLOAD_PREFIX}{dead.pid}-abc"
    live_upload = tmp_path / f"{sandbox.UPLOAD_PREFIX}{os.getpid()}-def"
    for folder in (stale_upload, live_upload):
        folder.mkdir()
        (folder / "000.xlsx").write_bytes(b"x")
    stale_log = tmp_path / f"{sandbox.READER_LOG_PREFIX}{dead.pid}-xyz"
    stale_log.write_text("memory allocation of 549755813888 bytes failed")
    assert sorted(sandbox.remove_dead_uploads(tmp_path)) == sorted([stale_upload, stale_log])
    assert live_upload.exists() and not stale_upload.exists() and not stale_log.exists()

    db = tmp_path / "dvk.duckdb"
    db.write_bytes(b"db")
    copy = tmp_path / "dvk.duckdb.tmp-k1ll3d"
    copy.write_bytes(b"a full-size copy")
    assert store.remove_stale_copies(db)
    assert not copy.exists() and db.read_bytes() == b"db"


def test_an_upload_folder_is_removed_when_the_read_ends():
    with sandbox.upload_folder() as folder:
        assert folder.name.startswith(f"{sandbox.UPLOAD_PREFIX}{os.getpid()}-")
        (folder / "000.xlsx").write_bytes(b"x")
    assert not folder.exists()


@pytest.mark.slow
def test_the_import_page_shows_the_message_and_runs_on(hostile, tmp_path, monkeypatch):
    """Nhập dữ liệu, as an importer uses it: the five workbooks uploaded, "Kiểm tra" clicked; the
    page lists one message per file and the next run of the page works."""
    from streamlit.testing.v1 import AppTest

    from dashboard.i18n import t

    db = tmp_path / "dvk.duckdb"
    assert import_files(
        db,
        [
            write_xlsx(
                tmp_path / "don_vi.xlsx", {"Đơn vị": [bombs.UNIT_HEADER, ["K", "Khối", None, "Đảng bộ Khối"]]}
            )
        ],
    ).ok
    monkeypatch.setenv(store.ENV_DB, str(db))
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/import_data.py").run()
    uploads = [(p.name, p.read_bytes(), "application/octet-stream") for p in hostile.values()]
    at.file_uploader(key="uploads").set_value(uploads)
    at.run()
    [check] = [b for b in at.button if b.label == t("import.check", "vi")]
    check.click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error, "the problems are announced"
    # the problems table (the page also shows history and submission tables)
    [problems] = [d.value for d in at.dataframe if {"Tệp", "Lý do"} <= set(d.value.columns)]
    assert sorted(problems["Tệp"]) == sorted(
        hostile_name for hostile_name in (p.name for p in hostile.values())
    )
    reasons = " ".join(problems["Lý do"])
    assert reasons.count("tệp quá lớn khi giải nén") == 2 and reasons.count("XFD1048576") == 3
    at.run()  # the page (and the process it runs in) carries on
    assert not at.exception
