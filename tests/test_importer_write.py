"""Writing: upsert by key, idempotent re-import, all-or-nothing over a set of files, dry-run,
unit codes resolved against earlier imports, and the import log."""

from __future__ import annotations

import hashlib

import pytest
from support import sheets
from support.files import query
from support.sheets import UNITS

from queries import parse
from queries.importer import import_files, typed_columns

REG_HEADER = [*sheets.REG_HEADER, "Phong trào", "Điểm"]
REGS = [
    REG_HEADER,
    [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Kinh tế", None, "80"],
    [2022, "CS1", "Cá nhân", "Nguyễn Văn A", "Mô hình B", "Kinh tế", "QCDC", "75,5"],
    [2023, "CS2", "Tập thể", "Chi bộ 2", "Mô hình A", "Văn hóa - xã hội", None, None],
]
TABLES = ("don_vi", "quy_mo", "dang_ky", "khen_thuong", "hoi_nghi", "nhat_ky_nhap")


def table_counts(db) -> dict[str, int]:
    return {t: query(db, f"select count(*) from {t}")[0][0] for t in TABLES}


def snapshot(db) -> tuple:
    """Bytes and every row of every table."""
    rows = tuple(tuple(sorted(query(db, f"select * from {t}"), key=repr)) for t in TABLES)
    return db.read_bytes(), rows


def test_reimport_adds_nothing_and_updates_everything(db_path, make_csv):
    units = make_csv("don_vi.csv", UNITS)
    regs = make_csv("dang_ky.csv", REGS)
    first = import_files(db_path, [units, regs])
    assert first.ok and first.written
    assert {t: (c.added, c.updated) for t, c in first.counts.items()} == {"don_vi": (3, 0), "dang_ky": (3, 0)}
    before = table_counts(db_path)
    second = import_files(db_path, [units, regs])
    assert {t: (c.added, c.updated) for t, c in second.counts.items()} == {
        "don_vi": (0, 3),
        "dang_ky": (0, 3),
    }
    after = table_counts(db_path)
    assert after == {**before, "nhat_ky_nhap": before["nhat_ky_nhap"] + 2}
    assert (
        first.summary() == "Đã nhập: Đơn vị: 3 dòng mới, 0 dòng thay đổi, 0 dòng không đổi; "
        "Đăng ký: 3 dòng mới, 0 dòng thay đổi, 0 dòng không đổi."
    )
    # the same rows again: every key is stored (updated) and nothing differs (unchanged)
    assert second.summary("en") == (
        "Imported: Units: 0 added, 0 changed, 3 unchanged; Registrations: 0 added, 0 changed, 3 unchanged."
    )


def test_changed_values_update_rows_in_place(db_path, make_csv):
    import_files(db_path, [make_csv("don_vi.csv", UNITS), make_csv("dang_ky.csv", REGS)])
    changed = [list(r) for r in REGS]
    changed[1][7] = "90"  # new score, same key
    changed[2][3] = "NGUYỄN VĂN A"  # same registrant in other case: the derived key ignores case
    changed.append([2023, "CS1", "Tập thể", "Chi bộ 3", "Mô hình C", "Kinh tế", None, None])
    report = import_files(db_path, [make_csv("dang_ky_v2.csv", changed)])
    assert (report.counts["dang_ky"].added, report.counts["dang_ky"].updated) == (1, 3)
    assert query(db_path, "select count(*) from dang_ky") == [(4,)]
    assert query(db_path, "select diem from dang_ky where ten_chu_the = 'Chi bộ 1'") == [(90.0,)]
    assert query(db_path, "select ten_chu_the from dang_ky where phong_trao = 'QCDC'") == [("NGUYỄN VĂN A",)]


def test_derived_registration_key_is_documented_and_stable(db_path, make_csv):
    import_files(db_path, [make_csv("don_vi.csv", UNITS), make_csv("dang_ky.csv", REGS)])
    stored = dict(query(db_path, "select ten_chu_the, ma_dang_ky from dang_ky"))
    assert stored["Chi bộ 1"] == parse.registration_key(
        2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Dân vận khéo"
    )
    assert stored["Nguyễn Văn A"] == parse.registration_key(
        2022, "CS1", "Cá nhân", "Nguyễn Văn A", "Mô hình B", "QCDC"
    )
    joined = "2022|cs1|tapthe|chibo1|mohinha|danvankheo"
    assert stored["Chi bộ 1"] == "DK-" + hashlib.sha1(joined.encode()).hexdigest()[:16]


def test_given_registration_codes_are_kept(db_path, make_csv):
    rows = [["Mã đăng ký", *REG_HEADER], ["DK-2022-001", *REGS[1][:]], [None, *REGS[2]]]
    report = import_files(db_path, [make_csv("don_vi.csv", UNITS), make_csv("dang_ky.csv", rows)])
    assert report.ok
    keys = sorted(k for (k,) in query(db_path, "select ma_dang_ky from dang_ky"))
    assert keys[0] == "DK-2022-001" and keys[1].startswith("DK-") and len(keys[1]) == 19


def test_typed_columns_gives_the_keys_an_import_writes(db_path, make_csv):
    """The pre-import reading (the dashboard's scope check) yields the very keys the import stores."""
    rows = [["Mã đăng ký", *REG_HEADER], ["DK-2022-001", *REGS[1][:]], [None, *REGS[2]], [None, *REGS[3]]]
    files = [make_csv("don_vi.csv", UNITS), make_csv("dang_ky.csv", rows)]
    wanted = {"don_vi": ["ma_don_vi", "ma_cap_tren"], "dang_ky": ["ma_don_vi", "ma_dang_ky", "nam", "x"]}
    typed = typed_columns(files, [f.name for f in files], wanted)
    assert typed["don_vi"].columns == ["ma_don_vi", "ma_cap_tren"]
    assert typed["don_vi"].rows() == [("K", None), ("CS1", "K"), ("CS2", "K")]
    assert import_files(db_path, files).ok
    stored = set(query(db_path, "select ma_don_vi, ma_dang_ky, nam from dang_ky"))
    assert set(typed["dang_ky"].rows()) == stored and len(stored) == 3


def test_conference_key_with_and_without_date(db_path, make_csv):
    rows = [
        ["Mã đơn vị", "Năm", "Loại hội nghị", "Ngày", "Số người dự"],
        ["CS1", 2022, "Tuyên dương, khen thưởng", "15/10/2022", "120"],
        ["CS1", 2022, "Tuyên dương, khen thưởng", "", "80"],
    ]
    import_files(db_path, [make_csv("don_vi.csv", UNITS), make_csv("hoi_nghi.csv", rows)])
    rows[1][4] = "125"
    report = import_files(db_path, [make_csv("hoi_nghi_2.csv", rows)])
    assert (report.counts["hoi_nghi"].added, report.counts["hoi_nghi"].updated) == (0, 2)
    assert sorted(query(db_path, "select ma_hoi_nghi, so_nguoi_du from hoi_nghi")) == [
        ("CS1|2022|Tuyên dương, khen thưởng|", 80),
        ("CS1|2022|Tuyên dương, khen thưởng|2022-10-15", 125),
    ]


AWARD_HEADER = ["Số quyết định", "Ngày quyết định", "Năm", "Mã đơn vị", "Đối tượng", "Tên tập thể, cá nhân",
                "Hình thức", "Cấp khen thưởng"]  # fmt: skip


def test_award_key_is_the_decision_of_its_year_with_case_and_spaces_ignored(db_path, make_csv):
    """DOMAIN.md section 3: so_quyet_dinh + year of the decision (of Ngày quyết định, else Năm) +
    doi_tuong + ten_chu_the; text keys match ignoring case, repeated spaces and Unicode form."""
    nfd = __import__("unicodedata").normalize
    awards = [
        AWARD_HEADER,
        ["15-QĐ/ĐUCS", "10/12/2022", 2022, "CS1", "Cá nhân", "Nguyễn Văn A", "Giấy khen", "Cơ sở"],
        # the same number a year later is another decision (numbers restart every year)
        ["15-QĐ/ĐUCS", "05/01/2023", 2023, "CS1", "Cá nhân", "Nguyễn Văn A", "Giấy khen", "Cơ sở"],
        # no decision date: the year is Năm
        ["7-QĐ/ĐUK", None, 2021, "CS2", "Tập thể", "Chi bộ Văn phòng", "Giấy khen", "Đảng ủy Khối"],
    ]
    report = import_files(db_path, [make_csv("don_vi.csv", UNITS), make_csv("khen_thuong.csv", awards)])
    assert report.ok and report.counts["khen_thuong"].added == 3
    # respelt: another case, doubled and surrounding spaces, NFD text; and a new form
    respelt = [
        AWARD_HEADER,
        ["15-qđ/đucs", "10/12/2022", 2022, "CS1", "Cá nhân", "  nguyễn  VĂN a ", "Bằng khen", "Cơ sở"],
        [nfd("NFD", "7-QĐ/ĐUK"), None, 2021, "CS2", "Tập thể", nfd("NFD", "CHI BỘ VĂN PHÒNG"), "Bằng khen",
         "Đảng ủy Khối"],
    ]  # fmt: skip
    report = import_files(db_path, [make_csv("khen_thuong_2.csv", respelt)])
    assert report.ok, [p.message("en") for p in report.problems]
    assert (report.counts["khen_thuong"].added, report.counts["khen_thuong"].updated) == (0, 2)
    rows = set(query(db_path, "select so_quyet_dinh, year(ngay_quyet_dinh), nam, hinh_thuc from khen_thuong"))
    assert rows == {
        ("15-qđ/đucs", 2022, 2022, "Bằng khen"),  # updated in place, as last written
        ("15-QĐ/ĐUCS", 2023, 2023, "Giấy khen"),  # the decision of 2023 untouched
        ("7-QĐ/ĐUK", None, 2021, "Bằng khen"),
    }
    # two rows of one file that are the same award are reported, not both written
    twice = [AWARD_HEADER, respelt[1], ["15-QĐ/ĐUCS", "10/12/2022", 2022, "CS1", "Cá nhân", "Nguyễn Văn A",
                                       "Giấy khen", "Cơ sở"]]  # fmt: skip
    report = import_files(db_path, [make_csv("khen_thuong_3.csv", twice)], dry_run=True)
    assert [(p.row, p.code) for p in report.problems] == [(3, "duplicate_key")]


def test_a_bad_last_file_leaves_the_database_exactly_as_it_was(db_path, make_csv, make_xlsx):
    import_files(db_path, [make_csv("don_vi.csv", UNITS), make_csv("dang_ky.csv", REGS)])
    before = snapshot(db_path)
    more_units = make_csv("don_vi_2.csv", [UNITS[0], ["CS3", "Chi bộ mới", "K", "Chi bộ cơ sở"]])
    more_regs = make_xlsx(
        "dang_ky_2.xlsx",
        {"Đăng ký": [REG_HEADER, [2024, "CS3", "Tập thể", "Chi bộ 3", "Mô hình D", "Kinh tế", None, None]]},
    )
    bad = make_csv(
        "khen_thuong.csv",
        [
            sheets.AWARD_HEADER,
            ["1-QĐ", 20222, "CS1", "Cá nhân", "A", "Giấy khen", "Cơ sở"],
        ],
    )
    report = import_files(db_path, [more_units, more_regs, bad])
    assert [(p.file, p.code) for p in report.problems] == [("khen_thuong.csv", "year_range")]
    assert not report.written and report.counts == {}
    assert snapshot(db_path) == before
    assert not [p for p in db_path.parent.iterdir() if ".tmp" in p.name]


def test_units_resolve_against_an_earlier_import(db_path, make_csv):
    assert import_files(db_path, [make_csv("don_vi.csv", UNITS)]).ok
    report = import_files(db_path, [make_csv("dang_ky.csv", REGS)])
    assert report.ok and report.counts["dang_ky"].added == 3
    child = [UNITS[0], ["CB1", "Chi bộ 1", "CS1", "Chi bộ trực thuộc"]]  # parent only in the database
    assert import_files(db_path, [make_csv("don_vi_con.csv", child)]).ok
    report = import_files(
        db_path,
        [
            make_csv(
                "dang_ky_cb.csv",
                [REG_HEADER, [2024, "CB1", "Tập thể", "Chi bộ 1", "M", "Kinh tế", None, None]],
            )
        ],
    )
    assert report.ok


def test_units_resolve_within_the_same_import_in_any_file_order(db_path, make_csv):
    report = import_files(db_path, [make_csv("dang_ky.csv", REGS), make_csv("don_vi.csv", UNITS)])
    assert report.ok, [p.message("en") for p in report.problems]


def test_dry_run_writes_nothing(db_path, make_csv):
    units, regs = make_csv("don_vi.csv", UNITS), make_csv("dang_ky.csv", REGS)
    report = import_files(db_path, [units, regs], dry_run=True)
    assert report.ok and report.dry_run and not report.written
    assert {t: (c.added, c.updated) for t, c in report.counts.items()} == {
        "don_vi": (3, 0),
        "dang_ky": (3, 0),
    }
    assert not db_path.exists()
    assert "chạy thử" in report.summary() and "dry run" in report.summary("en")
    import_files(db_path, [units])
    before = snapshot(db_path)
    report = import_files(db_path, [units, regs], dry_run=True)
    assert {t: (c.added, c.updated) for t, c in report.counts.items()} == {
        "don_vi": (0, 3),
        "dang_ky": (3, 0),
    }
    assert snapshot(db_path) == before


def test_import_log_has_one_row_per_file_and_table(db_path, make_csv, make_xlsx):
    units = make_csv("don_vi.csv", UNITS)
    book = make_xlsx(
        "bao_cao.xlsx",
        {"Đăng ký": REGS, "Hội nghị": [["Mã đơn vị", "Năm", "Loại hội nghị"], ["CS1", 2022, "Sơ kết"]]},
    )
    first = import_files(db_path, [units, book])
    second = import_files(db_path, [book])
    assert second.import_id > first.import_id
    log = query(
        db_path,
        "select import_id, file_name, file_sha256, table_name, rows_added, rows_updated from nhat_ky_nhap order by import_id, file_name, table_name",
    )
    sha_units = hashlib.sha256(units.read_bytes()).hexdigest()
    sha_book = hashlib.sha256(book.read_bytes()).hexdigest()
    assert log == [
        (first.import_id, "bao_cao.xlsx", sha_book, "dang_ky", 3, 0),
        (first.import_id, "bao_cao.xlsx", sha_book, "hoi_nghi", 1, 0),
        (first.import_id, "don_vi.csv", sha_units, "don_vi", 3, 0),
        (second.import_id, "bao_cao.xlsx", sha_book, "dang_ky", 0, 3),
        (second.import_id, "bao_cao.xlsx", sha_book, "hoi_nghi", 0, 1),
    ]
    (stamp,) = query(
        db_path,
        "select distinct imported_at from nhat_ky_nhap where import_id = $id",
        {"id": second.import_id},
    )
    assert stamp[0] is not None


def test_rejected_import_logs_nothing(db_path, make_csv):
    import_files(db_path, [make_csv("don_vi.csv", UNITS)])
    bad = [REG_HEADER, [2022, "CS1", "Tập thể", "Chi bộ 1", "Mô hình A", "Nông nghiệp", None, None]]
    import_files(db_path, [make_csv("dang_ky.csv", bad)])
    assert query(db_path, "select count(*) from nhat_ky_nhap") == [(1,)]


@pytest.mark.parametrize("dry_run", [False, True])
def test_empty_tables_import_cleanly(db_path, make_xlsx, dry_run):
    book = make_xlsx("mau.xlsx", {"Đơn vị": [UNITS[0]], "Đăng ký": [REG_HEADER]})
    report = import_files(db_path, [book], dry_run=dry_run)
    assert report.ok
    assert report.rows_read == {"don_vi": 0, "dang_ky": 0}
    assert db_path.exists() is not dry_run
