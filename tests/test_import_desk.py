"""The import desk: the preview's diff, confirming what was previewed, history, undo, submission status.

Every database is built through the real importer (tests/support/builders.py); the figures of
the small data sets are worked out by hand in the comments.
"""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from queries import audit, cli, history, store
from queries.importer import import_files
from queries.status import submission_status
from tests.support.builders import BLOC, BRANCH, COMMITTEE, GRASSROOTS_BRANCH, DataSet, cursor
from tests.support.files import query


def small() -> DataSet:
    """K (bloc) > A (đảng bộ cơ sở) > A1 (chi bộ trực thuộc); K > B (chi bộ cơ sở)."""
    d = DataSet()
    d.unit("K", cap=BLOC).unit("A", "K").unit("A1", "A", cap=BRANCH).unit("B", "K", cap=GRASSROOTS_BRANCH)
    d.reg(2024, "A1", score=80.0, key="R1").reg(2024, "A1", score=70.0, key="R2").reg(2024, "B", key="R3")
    return d


@pytest.fixture
def dvk(capsys):
    def run(args: list[str]) -> tuple[int, str, str]:
        try:
            code = cli.main(args)
        except SystemExit as exc:
            code = int(exc.code)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


# --- the preview ----------------------------------------------------------------------------------


def test_an_unchanged_resend_is_all_unchanged(tmp_path):
    d = small()
    db = d.build(tmp_path)
    report = import_files(db, d.write_csvs(tmp_path / "again"), dry_run=True)
    assert report.ok
    assert {t: (c.added, c.changed, c.unchanged, c.missing) for t, c in report.counts.items()} == {
        "don_vi": (0, 0, 4, 0),
        "dang_ky": (0, 0, 3, 0),
    }
    assert report.changes_frame().is_empty()
    assert "0 dòng thay đổi, 3 dòng không đổi" in report.summary()


def test_one_changed_score_is_listed_field_by_field_and_a_dropped_row_is_missing(tmp_path):
    d = small()
    db = d.build(tmp_path)
    # A1's 2024 re-sent: R1's score 80 -> 85, R2 left out, a new R4; B's row unchanged
    d.registrations[0]["diem"] = 85.0
    del d.registrations[1]
    d.reg(2024, "A1", key="R4")
    report = import_files(db, d.write_csvs(tmp_path / "again"), dry_run=True)
    count = report.counts["dang_ky"]
    assert (count.added, count.changed, count.unchanged, count.missing) == (1, 1, 1, 1)
    changes = report.changes_frame()
    assert changes.select("table", "ma_don_vi", "record", "kind", "field", "old", "new").rows() == [
        ("dang_ky", "A1", "R1", "changed", "Điểm", "80", "85"),
        ("dang_ky", "A1", "R2", "missing", None, None, None),
    ]
    assert changes.row(0, named=True)["file"] == "dang_ky.csv"
    assert changes.row(0, named=True)["row"] == 2
    # nothing was written by the preview
    assert query(db, "select diem from dang_ky where ma_dang_ky = 'R1'") == [(80.0,)]


def test_dry_run_cli_prints_the_change_and_writes_a_safe_csv(tmp_path, dvk):
    d = small()
    db = d.build(tmp_path)
    d.registrations[0]["diem"] = 85.0
    d.units[3]["ten_don_vi"] = "=HYPERLINK(1)"  # B's name changed to a formula-like text
    csvs = d.write_csvs(tmp_path / "again")
    out_csv = tmp_path / "changes.csv"
    code, out, _ = dvk(
        ["import", "--db", str(db), "--dry-run", "--changes-csv", str(out_csv), *map(str, csvs)]
    )
    assert code == 0
    assert "R1 (" in out and "Điểm: 80 → 85" in out
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pl.read_csv(raw[3:], separator=";")  # Excel-native in Vietnamese
    assert frame.columns[:3] == ["Bảng", "Mã đơn vị", "Mã bản ghi"]
    assert frame.height == 2
    assert "'=HYPERLINK(1)" in frame.get_column("Giá trị mới").to_list()


def test_a_decimal_score_reads_with_the_decimal_comma_in_vietnamese_and_the_dot_in_english(tmp_path, dvk):
    d = small()
    d.registrations[0]["diem"] = 80.5
    db = d.build(tmp_path)
    d.registrations[0]["diem"] = 85.25  # R1: 80,5 -> 85,25; the unit code "A1" and names untouched
    csvs = d.write_csvs(tmp_path / "again")
    for lang, shown, sep in (("vi", "Điểm: 80,5 → 85,25", ";"), ("en", "Điểm: 80.5 → 85.25", ",")):
        out_csv = tmp_path / f"changes_{lang}.csv"
        code, out, _ = dvk(
            [
                "--lang",
                lang,
                "import",
                "--db",
                str(db),
                "--dry-run",
                "--changes-csv",
                str(out_csv),
                *map(str, csvs),
            ]
        )
        assert code == 0
        assert shown in out
        frame = pl.read_csv(out_csv.read_bytes()[3:], separator=sep, infer_schema=False)
        changed = frame.filter(pl.col(frame.columns[5]) == "Điểm").row(0)
        assert changed[6:8] == tuple(shown.split(": ")[1].split(" → "))


def test_confirming_a_stale_preview_writes_nothing(tmp_path):
    d = small()
    db = d.build(tmp_path)
    d.registrations[0]["diem"] = 85.0
    files = d.write_csvs(tmp_path / "again")
    preview = import_files(db, files, dry_run=True)
    assert preview.db_version
    other = DataSet().unit("C", "K", cap=GRASSROOTS_BRANCH)  # another import lands in between
    assert import_files(db, other.write_csvs(tmp_path / "other")).ok
    stale = import_files(db, files, expect_version=preview.db_version)
    assert not stale.ok and [p.code for p in stale.problems] == ["database_changed"]
    assert query(db, "select diem from dang_ky where ma_dang_ky = 'R1'") == [(80.0,)]
    fresh = import_files(db, files, dry_run=True)
    confirmed = import_files(db, files, expect_version=fresh.db_version)
    assert confirmed.ok and confirmed.written
    assert confirmed.counts["dang_ky"].changed == fresh.counts["dang_ky"].changed == 1
    assert query(db, "select diem from dang_ky where ma_dang_ky = 'R1'") == [(85.0,)]


# --- history and undo -------------------------------------------------------------------------------


def test_undo_restores_the_summary_history_shows_both_and_undo_twice_is_redo(tmp_path, dvk):
    d = small()
    db = d.build(tmp_path)
    summary = ["summary", "--db", str(db), "--from", "2024", "--to", "2024", "--json"]
    before = dvk(summary)[1]
    d.reg(2024, "B", key="R9").reg(2024, "B", key="R10")
    d.registrations[0]["diem"] = 99.0
    assert dvk(["import", "--db", str(db), *map(str, d.write_csvs(tmp_path / "second"))])[0] == 0
    after = dvk(summary)[1]
    assert json.loads(after)["registrations"] != json.loads(before)["registrations"]

    code, out, _ = dvk(["undo", "--db", str(db)])
    assert code == 0 and "bước 2" in out
    assert dvk(summary)[1] == before
    code, out, _ = dvk(["history", "--db", str(db), "--json"])
    steps = json.loads(out)
    assert [(s["step"], s["action"], s["undoes"]) for s in steps] == [
        (3, "undo", 2),
        (2, "import", None),
        (1, "import", None),
    ]
    assert steps[1]["files"].startswith("don_vi.csv (")
    assert steps[1]["counts"]["dang_ky"]["added"] == 2 and steps[1]["counts"]["dang_ky"]["changed"] == 1

    code, out, _ = dvk(["undo", "--db", str(db)])  # undo of the undo: redo
    assert code == 0 and "làm lại" in out.lower()
    assert dvk(summary)[1] == after
    code, out, _ = dvk(["history", "--db", str(db)])
    assert "#4" in out and "Làm lại bước 3" in out and "Hoàn tác bước 2" in out
    assert [a["action"] for a in audit.read_log(audit.resolve_audit_path(db))] == ["undo", "redo"]


def test_only_the_newest_versions_are_kept(tmp_path, monkeypatch):
    d = small()
    db = d.build(tmp_path)
    for n in range(4):
        d.reg(2024, "B", key=f"X{n}")
        assert import_files(db, d.write_csvs(tmp_path / f"v{n}"), keep_versions=2).ok
    kept = history.kept_versions(db)
    assert len(kept) == 2
    # the last import can still be undone: the version before it is the newest kept
    assert history.undo(db, "tester", keep=2).ok
    assert query(db, "select count(*) from dang_ky") == [(6,)]
    # with nothing kept, an undo has nothing to restore and says so
    monkeypatch.setenv(history.ENV_KEEP, "0")
    for path in history.kept_versions(db):
        path.unlink()
    d.reg(2024, "B", key="Y")
    assert import_files(db, d.write_csvs(tmp_path / "y")).ok
    assert history.kept_versions(db) == []
    result = history.undo(db, "tester")
    assert not result.ok and result.code == "undo_not_kept"


def test_undo_refuses_after_a_write_outside_the_desk(tmp_path):
    d = small()
    db = d.build(tmp_path)
    d.reg(2024, "B", key="R5")
    assert import_files(db, d.write_csvs(tmp_path / "again")).ok
    with store.write_transaction(db) as con:  # any other writer (a migration, dvk demo ...)
        con.execute("delete from dang_ky where ma_dang_ky = 'R5'")
    result = history.undo(db, "tester")
    assert not result.ok and result.code == "undo_changed_since"
    assert query(db, "select count(*) from dang_ky") == [(3,)]


# --- submission status -----------------------------------------------------------------------------


def status_set() -> DataSet:
    """K > A (đảng bộ cơ sở) > A1 (chi bộ trực thuộc); K > B, C, D, E (chi bộ cơ sở).

    2024: A1 registers twice (counts for A), B holds a conference, C only has a 2023 award,
    D ended in 2022 (not in scope), E sent nothing. So for 2024: A (2 reg), B (1 conf) sent;
    C and E sent nothing; B, C and E have no registration (the follow-up list).
    """
    d = DataSet()
    d.unit("K", cap=BLOC).unit("A", "K", cap=COMMITTEE).unit("A1", "A", cap=BRANCH)
    for code in "BCE":
        d.unit(code, "K", cap=GRASSROOTS_BRANCH)
    d.unit("D", "K", cap=GRASSROOTS_BRANCH, end=date(2022, 12, 31))
    d.reg(2024, "A1").reg(2024, "A1").reg(2023, "E")
    d.conf(2024, "B")
    d.award(2023, "C", "Tập thể", "Cơ sở").award(2024, "A", "Cá nhân", "Cơ sở")
    return d


def test_submission_status_by_hand(tmp_path):
    db = status_set().build(tmp_path)
    with cursor(db) as cur:
        frame = submission_status(cur, 2024)
        only_a = submission_status(cur, 2024, "A")
    rows = frame.select("ma_don_vi", "n_dang_ky", "n_hoi_nghi", "n_khen_thuong", "is_missing").rows()
    assert rows == [
        ("A", 2, 0, 1, False),
        ("B", 0, 1, 0, False),
        ("C", 0, 0, 0, True),
        ("E", 0, 0, 0, True),
    ]
    # every unit's rows came with the first import: its time is the last change of all
    ((at,),) = query(db, "select step_at from lich_su where step = 1")
    assert frame.get_column("last_changed_at").to_list() == [at, at, at, at]
    assert only_a.get_column("ma_don_vi").to_list() == ["A"]


def test_last_change_follows_the_import_that_touched_the_unit(tmp_path):
    d = status_set()
    db = d.build(tmp_path)
    d.reg(2024, "A1")  # a new registration under A, nothing else changes
    assert import_files(db, d.write_csvs(tmp_path / "again")).ok
    with cursor(db) as cur:
        frame = submission_status(cur, 2024)
    first, second = (r[0] for r in query(db, "select step_at from lich_su order by step"))
    assert dict(frame.select("ma_don_vi", "last_changed_at").rows()) == {
        "A": second,
        "B": first,
        "C": first,
        "E": first,
    }
    assert history.undo(db, "tester").ok  # undone: A's rows are those of the first import again
    with cursor(db) as cur:
        assert dict(submission_status(cur, 2024).select("ma_don_vi", "last_changed_at").rows())["A"] == first


def test_status_cli_and_missing_csv(tmp_path, dvk):
    db = status_set().build(tmp_path)
    out_csv = tmp_path / "missing.csv"
    code, out, _ = dvk(["status", "--db", str(db), "--year", "2024", "--missing-csv", str(out_csv)])
    assert code == 0
    assert (
        out.splitlines()[0]
        == "Năm 2024: 4 tổ chức cơ sở đảng, 3 chưa có đăng ký, trong đó 2 chưa gửi số liệu nào."
    )
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pl.read_csv(raw[3:], separator=";")  # Excel-native in Vietnamese
    assert frame.get_column("Mã đơn vị").to_list() == ["B", "C", "E"]
    assert frame.get_column("Đơn vị cấp trên").to_list() == ["Đơn vị K"] * 3
    assert frame.get_column("Hội nghị").to_list() == [1, 0, 0]
    assert frame.get_column("Chưa gửi số liệu").to_list() == ["Không", "Có", "Có"]
    assert dvk(["status", "--db", str(db), "--year", "2024", "--unit", "NOPE"])[0] == 1


# --- folders and archives ---------------------------------------------------------------------------


def test_a_folder_and_a_zip_import_as_one_set_all_or_nothing(tmp_path, dvk):
    import zipfile

    d = small()
    db = d.build(tmp_path)
    folder = tmp_path / "units"
    extra = DataSet().reg(2024, "B", key="R7")
    extra.write_csvs(folder / "B")
    (folder / "ghi_chu.txt.md").write_text("not data")
    archive = tmp_path / "gui.zip"
    more = DataSet().reg(2024, "A1", key="R8")
    with zipfile.ZipFile(archive, "w") as zf:
        for path in more.write_csvs(tmp_path / "more"):
            zf.write(path, f"A/{path.name}")
    code, out, _ = dvk(["import", "--db", str(db), str(folder), str(archive)])
    assert code == 0, out
    assert "Bỏ qua (không phải tệp Excel/CSV): units/ghi_chu.txt.md" in out
    assert "units/B/dang_ky.csv (" in out and "gui.zip/A/dang_ky.csv (" in out
    assert query(db, "select ma_dang_ky from dang_ky order by 1") == [
        ("R1",),
        ("R2",),
        ("R3",),
        ("R7",),
        ("R8",),
    ]

    # one bad file in the set: nothing of it is written
    bad = tmp_path / "bad"
    DataSet().reg(2024, "B", key="R20").write_csvs(bad / "ok")
    (bad / "broken").mkdir()
    (bad / "broken" / "dang_ky.csv").write_text("Năm,Mã đơn vị\n20x4,B\n", encoding="utf-8")
    code, out, _ = dvk(["import", "--db", str(db), str(bad)])
    assert code == 1
    assert query(db, "select count(*) from dang_ky where ma_dang_ky = 'R20'") == [(0,)]


def test_an_unsafe_zip_is_refused_before_anything_is_read(tmp_path, dvk):
    import zipfile

    db = small().build(tmp_path)
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escape.csv", "Mã đơn vị,Tên đơn vị,Cấp\nZ,Z,Chi bộ cơ sở\n")
        zf.writestr("ok/don_vi.csv", "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Cấp\nZ,Z,K,Chi bộ cơ sở\n")
    code, out, _ = dvk(["import", "--db", str(db), str(archive)])
    assert code == 1
    assert "evil.zip/../../escape.csv" in out and "không an toàn" in out
    assert not (tmp_path.parent / "escape.csv").exists()
    assert query(db, "select count(*) from don_vi where ma_don_vi = 'Z'") == [(0,)]


def test_a_zip_member_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    import zipfile

    from queries import import_bundle

    monkeypatch.setattr(import_bundle, "MAX_MEMBER_BYTES", 1000)
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("dang_ky.csv", "Năm\n" + "2024\n" * 10_000)  # 50 kB that compresses to little
    work = tmp_path / "work"
    work.mkdir()
    bundle = import_bundle.expand([(archive, "big.zip")], work)
    assert [(p.file, p.code) for p in bundle.problems] == [("big.zip/dang_ky.csv", "zip_member_too_large")]
    assert bundle.paths == [] and list(work.rglob("*.csv")) == []


# --- notices and the demo --------------------------------------------------------------------------


@pytest.mark.slow
def test_the_products_own_template_and_downloads_import_without_sheet_notices(tmp_path):
    from queries import export, figures, notices, template
    from queries.figures import Filters

    d = small()
    db = d.build(tmp_path)
    for lang in ("vi", "en"):
        path = template.write_template(tmp_path / f"mau_{lang}.xlsx", lang)
        report = import_files(db, [path], dry_run=True)
        assert report.ok
        assert [n for n in report.notices if n.code in ("ignored_sheet", "empty_sheet")] == []
    with cursor(db) as cur:
        records = {"Đăng ký": figures.records(cur, Filters(2024, 2024), "dang_ky")}
    workbook = tmp_path / "tai_ve.xlsx"
    workbook.write_bytes(export.to_xlsx_bytes(records, {"Năm": "2024"}, "vi"))
    report = import_files(db, [workbook], dry_run=True)
    assert report.ok and [n.code for n in report.notices if n.code == "ignored_sheet"] == []
    assert report.counts["dang_ky"].unchanged == 3
    # a sheet of the user's own is still announced, and notices come grouped by kind with a count
    from tests.support.files import write_xlsx

    extra = write_xlsx(tmp_path / "ghi_chu.xlsx", {"Ghi chú": [["x"], ["y"]], "Hướng dẫn": [["a"], ["b"]]})
    report = import_files(db, [extra, workbook], dry_run=True)
    groups = notices.grouped(report.notices)
    assert groups.filter(pl.col("code") == "ignored_sheet").select("count", "messages").rows() == [
        (1, ["Tệp ghi_chu.xlsx, trang «Ghi chú»: trang không phải bảng dữ liệu của mẫu nhập, đã bỏ qua."])
    ]


@pytest.mark.slow
def test_a_dry_run_of_the_demo_workbook_on_the_demo_is_all_unchanged(tmp_path, dvk):
    from queries.demo import build_demo_database

    db = tmp_path / "demo.duckdb"
    assert build_demo_database(db).ok
    code, out, _ = dvk(["import", "--db", str(db), "--dry-run", str(store.ROOT / "data" / "dvk_demo.xlsx")])
    assert code == 0
    summary = [line for line in out.splitlines() if line.startswith("Kiểm tra xong")][0]
    # 13.761 registrations of 2018-2024 and 5.643 of 2025-2026
    assert "Đăng ký: 0 dòng mới, 0 dòng thay đổi, 19.404 dòng không đổi" in summary
    assert summary.count("0 dòng mới, 0 dòng thay đổi") == 5
    assert "Thay đổi so với dữ liệu đã lưu" not in out
