"""The demo generator: deterministic, committed workbook in sync, seed figures exact, scale mode.

The seed figures (DOMAIN.md section 5) are checked with plain SQL on a database built through the
real importer, independently of the figures engine.
"""

from __future__ import annotations

import csv

import duckdb
import openpyxl
import pytest
from polars.testing import assert_frame_equal
from support.commands import run_command

from queries import demo, vocab
from queries.commands import demo as demo_command
from queries.importer import import_files

PHASE = {"year_from": 2021, "year_to": 2023}
GRASSROOTS = list(vocab.GRASSROOTS_LEVELS)


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    return con.execute(sql, params or {}).fetchall()[0][0]


@pytest.fixture(scope="module")
def demo_report(demo_build):
    return demo_build


@pytest.fixture(scope="module")
def con(demo_report):
    db, report = demo_report
    assert report.ok, [p.message("en") for p in report.problems]
    connection = duckdb.connect(str(db), read_only=True)
    yield connection
    connection.close()


# --- determinism -----------------------------------------------------------------------------------


def test_generator_is_deterministic():
    first, second = demo.generate_demo(), demo.generate_demo()
    assert list(first) == [t.name for t in vocab.TABLES]
    for name in first:
        assert first[name].columns == vocab.TABLES_BY_NAME[name].aliases
        assert_frame_equal(first[name], second[name])


def test_another_seed_changes_the_rows_but_not_the_calibration():
    other = demo.generate_demo(seed=7)["dang_ky"]
    assert not other.equals(demo.generate_demo()["dang_ky"])
    assert other.filter(other["nam"].is_between(2021, 2023)).height == 1061 + 5908


@pytest.fixture(scope="module")
def fresh_workbook(tmp_path_factory):
    return demo.write_demo_workbook(tmp_path_factory.mktemp("fresh") / "dvk_demo.xlsx")


@pytest.mark.slow
def test_workbook_bytes_are_reproducible(tmp_path, fresh_workbook):
    again = demo.write_demo_workbook(tmp_path / "again.xlsx")
    assert again.read_bytes() == fresh_workbook.read_bytes()


def _sheet_values(path):
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()


@pytest.mark.slow
def test_committed_workbook_equals_a_fresh_generation(fresh_workbook):
    committed = demo.DEMO_WORKBOOK
    assert committed.exists(), "data/dvk_demo.xlsx is missing: run `dvk demo --regenerate`"
    if fresh_workbook.read_bytes() != committed.read_bytes():
        # Another xlsxwriter version may zip differently; the cells must still be the same.
        assert _sheet_values(fresh_workbook) == _sheet_values(committed), (
            "data/dvk_demo.xlsx differs from queries/demo/: run `dvk demo --regenerate` and commit both"
        )


def test_workbook_looks_like_a_real_file():
    values = _sheet_values(demo.DEMO_WORKBOOK)
    assert list(values) == [t.label for t in vocab.TABLES]
    for table in vocab.TABLES:
        rows = values[table.label]
        headers = [c.header for c in table.columns]
        if table.name in demo.TITLE_ROWS:
            assert rows[0][0] == demo.TITLE_ROWS[table.name]
            rows = rows[1:]
        if table.name in demo.STT_SHEETS:
            assert rows[0][0] == "STT"
            assert [r[0] for r in rows[1:4]] == [1, 2, 3]
            rows = [r[1:] for r in rows]
        assert list(rows[0]) == headers


# --- the seed figures, in plain SQL on the imported database ----------------------------------------


def test_import_is_clean_and_noticed_the_title_row_and_stt(demo_report):
    _, report = demo_report
    assert report.ok
    assert report.written
    codes = {n.code for n in report.notices}
    assert {"title_rows", "ignored_column"} <= codes
    # 13.761 registrations of the bloc's years 2018-2024 and 5.643 of 2025-2026 (the reorganisation)
    assert report.counts["dang_ky"].added == 13_761 + 5_643


def test_89_grassroots_units_active_in_the_phase(con):
    n = scalar(
        con,
        """
        select count(*) from don_vi
        where cap in ('Đảng bộ cơ sở', 'Chi bộ cơ sở')
          and coalesce(hieu_luc_tu, date '1900-01-01') <= make_date($year_to, 12, 31)
          and coalesce(hieu_luc_den, date '9999-12-31') >= make_date($year_from, 1, 1)
        """,
        PHASE,
    )
    assert n == 89


def test_registrations_1061_collective_5908_individual_growing_every_year(con):
    rows = con.execute(
        """
        select nam,
               count(*) filter (where doi_tuong = 'Tập thể') as collective,
               count(*) filter (where doi_tuong = 'Cá nhân') as individual
        from dang_ky where nam between $year_from and $year_to
        group by nam order by nam
        """,
        PHASE,
    ).fetchall()
    assert [r[0] for r in rows] == [2021, 2022, 2023]
    assert sum(r[1] for r in rows) == 1061
    assert sum(r[2] for r in rows) == 5908
    for (_, c0, i0), (_, c1, i1) in zip(rows, rows[1:], strict=False):
        assert c1 > c0 and i1 > i0


def test_phase_grew_on_the_previous_years(con):
    per_year = dict(con.execute("select nam, count(*) from dang_ky group by nam").fetchall())
    assert sorted(per_year) == list(range(2018, 2027))  # 2025-2026: after the reorganisation
    assert max(per_year[y] for y in (2018, 2019, 2020)) < min(per_year[y] for y in (2021, 2022, 2023))
    assert per_year[2024] > per_year[2023]


def test_67_of_89_units_held_a_commendation_conference(con):
    n = scalar(
        con,
        """
        select count(distinct h.ma_don_vi)
        from hoi_nghi h join don_vi d on d.ma_don_vi = h.ma_don_vi
        where d.cap in ('Đảng bộ cơ sở', 'Chi bộ cơ sở')
          and coalesce(d.hieu_luc_tu, date '1900-01-01') <= make_date($year_to, 12, 31)
          and coalesce(d.hieu_luc_den, date '9999-12-31') >= make_date($year_from, 1, 1)
          and h.loai_hoi_nghi = 'Tuyên dương, khen thưởng'
          and h.nam between $year_from and $year_to
        """,
        PHASE,
    )
    assert n == 67
    # Commendation conferences sit on grassroots units only, so "held one" is unambiguous.
    elsewhere = scalar(
        con,
        """
        select count(*) from hoi_nghi h join don_vi d on d.ma_don_vi = h.ma_don_vi
        where h.loai_hoi_nghi = 'Tuyên dương, khen thưởng' and d.cap not in ('Đảng bộ cơ sở', 'Chi bộ cơ sở')
        """,
    )
    assert elsewhere == 0


def _awards(con, level: str, status: str = "Đã khen thưởng") -> dict[str, int]:
    rows = con.execute(
        """
        select doi_tuong, count(*) from khen_thuong
        where cap_khen_thuong = $level and trang_thai = $status and nam between $year_from and $year_to
        group by doi_tuong
        """,
        {"level": level, "status": status, **PHASE},
    ).fetchall()
    return dict(rows)


def test_grassroots_awards_126_collectives_156_individuals(con):
    assert _awards(con, "Cơ sở") == {"Tập thể": 126, "Cá nhân": 156}


def test_bloc_committee_awards_61_collectives_110_individuals(con):
    assert _awards(con, "Đảng ủy Khối") == {"Tập thể": 61, "Cá nhân": 110}


def test_one_individual_nominated_for_a_provincial_certificate(con):
    rows = con.execute(
        """
        select doi_tuong, hinh_thuc, count(*) from khen_thuong
        where cap_khen_thuong = 'UBND tỉnh' and trang_thai = 'Đề nghị' and nam between $year_from and $year_to
        group by all
        """,
        PHASE,
    ).fetchall()
    assert rows == [("Cá nhân", "Bằng khen", 1)]
    assert _awards(con, "UBND tỉnh") == {}


def test_two_individuals_commended_by_the_provincial_steering_committee(con):
    assert _awards(con, "Ban Chỉ đạo tỉnh") == {"Cá nhân": 2}
    forms = con.execute(
        """
        select distinct hinh_thuc from khen_thuong
        where cap_khen_thuong = 'Ban Chỉ đạo tỉnh' and nam between $year_from and $year_to
        """,
        PHASE,
    ).fetchall()
    assert {f for (f,) in forms} <= {"Biểu dương", "Giấy khen"}


# --- the rest of the data set is plausible ----------------------------------------------------------


def test_every_level_kind_movement_field_and_result_occurs(con):
    def distinct(sql):
        return {r[0] for r in con.execute(sql).fetchall()}

    assert distinct("select cap_khen_thuong from khen_thuong") == set(vocab.AWARD_LEVELS)
    assert distinct("select loai_hoi_nghi from hoi_nghi") == set(vocab.CONFERENCE_TYPES)
    assert distinct("select linh_vuc from dang_ky") == set(vocab.FIELDS)
    assert distinct("select phong_trao from dang_ky") == set(vocab.MOVEMENTS)
    assert distinct("select loai from dang_ky") == set(vocab.KINDS)
    assert distinct("select ket_qua from dang_ky") == set(vocab.RESULTS)
    # the Tỉnh ủy (the root) and the two Đảng bộ cấp trên cơ sở of the 2025 reorganisation too
    assert distinct("select cap from don_vi") == set(vocab.UNIT_LEVELS)
    assert distinct("select trang_thai from khen_thuong") == set(vocab.AWARD_STATUSES)


def test_scores_agree_with_results(con):
    bad = scalar(
        con,
        """
        select count(*) from dang_ky
        where (ket_qua in ('Được công nhận', 'Tiêu biểu') and (diem is null or diem < 75))
           or (ket_qua = 'Không đạt' and (diem is null or diem >= 75))
           or (ket_qua in ('Đã đăng ký', 'Đang thực hiện', 'Hoàn thành') and diem is not null)
        """,
    )
    assert bad == 0
    latest = dict(
        con.execute("select ket_qua, count(*) from dang_ky where nam = 2024 group by all").fetchall()
    )
    assert latest.get("Đang thực hiện", 0) > 0 and latest.get("Hoàn thành", 0) > 0


def test_validity_dates_are_exercised(con):
    # (the rows that end from 2025 on are the reorganisation's: tests/test_demo_reorganisation.py)
    ended = con.execute(
        """
        select ma_don_vi, year(hieu_luc_den), ma_ke_thua from don_vi
        where hieu_luc_den < date '2025-01-01' order by 2
        """
    ).fetchall()
    assert [year for _, year, _ in ended] == [2019, 2024]
    assert ended[0][2] is None
    successor = ended[1][2]
    # the successor is there: two rows, as it moved under the Đảng bộ UBND tỉnh on 01/02/2025
    assert scalar(con, "select count(*) from don_vi where ma_don_vi = $code", {"code": successor}) == 2
    # The unit dissolved in 2019 has no registration after it ended.
    late = scalar(
        con, "select count(*) from dang_ky where ma_don_vi = $code and nam > 2019", {"code": ended[0][0]}
    )
    assert late == 0


def test_carried_over_models_and_linked_awards(con):
    carried = scalar(
        con,
        """
        select count(*) from dang_ky d
        where exists (select 1 from dang_ky p where p.ma_mo_hinh = d.ma_mo_hinh and p.nam = d.nam - 1)
        """,
    )
    assert carried > 1000
    dangling = scalar(
        con,
        """
        select count(*) from khen_thuong k
        where k.ma_dang_ky is not null and not exists (select 1 from dang_ky d where d.ma_dang_ky = k.ma_dang_ky)
        """,
    )
    assert dangling == 0


def test_sizes_for_every_grassroots_unit_and_branch_each_year(con):
    missing = scalar(
        con,
        """
        select count(*) from don_vi d, range(2018, 2027) y(nam)
        where d.cap not in ('Tỉnh ủy', 'Đảng bộ Khối', 'Đảng bộ cấp trên cơ sở')
          and coalesce(d.hieu_luc_tu, date '1900-01-01') <= make_date(y.nam::int, 12, 31)
          and coalesce(d.hieu_luc_den, date '9999-12-31') >= make_date(y.nam::int, 1, 1)
          and not exists (select 1 from quy_mo q where q.ma_don_vi = d.ma_don_vi and q.nam = y.nam)
        """,
    )
    assert missing == 0


def test_target_compliance_is_a_realistic_fraction(con):
    share = scalar(
        con,
        """
        with branches as (
            select q.ma_don_vi, q.nam from quy_mo q join don_vi d on d.ma_don_vi = q.ma_don_vi
            where d.cap in ('Chi bộ cơ sở', 'Chi bộ trực thuộc') and q.nam between $year_from and $year_to
        ),
        met as (
            select ma_don_vi, nam from dang_ky group by all
            having count(*) filter (where phong_trao = 'Dân vận khéo') > 0
               and count(*) filter (where phong_trao = 'QCDC') > 0
        )
        select avg((m.ma_don_vi is not null)::int) from branches b left join met m using (ma_don_vi, nam)
        """,
        PHASE,
    )
    assert 0.3 < share < 0.9


# --- build_demo_database replaces; the command -------------------------------------------------------


def test_build_replaces_an_existing_database(tmp_path):
    db = tmp_path / "dvk.duckdb"
    paths = demo.write_scale_csvs(tmp_path / "other", 500)
    assert import_files(db, list(paths.values())).ok
    report = demo.build_demo_database(db)
    assert report.ok
    with duckdb.connect(str(db), read_only=True) as con:
        assert scalar(con, "select count(*) from don_vi where ma_don_vi like 'T01.%'") == 0
        assert scalar(con, "select count(*) from dang_ky") == 13_761 + 5_643
    assert not list(tmp_path.glob("*.tmp-demo*"))


def _run(argv: list[str]) -> int:
    return run_command(demo_command, argv)


def test_command_builds_the_demo_database(tmp_path, capsys):
    db = tmp_path / "dvk.duckdb"
    assert _run(["--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "1.061 tập thể và 5.908 cá nhân" in out
    assert db.exists()


def test_command_usage_errors(tmp_path, capsys):
    assert _run(["--scale", "10"]) == 2
    assert _run(["--out", str(tmp_path)]) == 2
    assert "--scale" in capsys.readouterr().err
    assert _run(["--db", str(tmp_path / "x.duckdb"), "--workbook", str(tmp_path / "missing.xlsx")]) == 1


# --- scale mode ----------------------------------------------------------------------------------------


def test_scale_csvs_import_cleanly_with_the_requested_rows(tmp_path):
    paths = demo.write_scale_csvs(tmp_path / "csv", 20_000)
    assert {p.name for p in paths.values()} == {f"{t.name}.csv" for t in vocab.TABLES}
    for table in vocab.TABLES:
        with open(paths[table.name], encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == [c.header for c in table.columns]
    db = tmp_path / "scale.duckdb"
    report = import_files(db, list(paths.values()))
    assert report.ok, [p.message("en") for p in report.problems[:5]]
    with duckdb.connect(str(db), read_only=True) as con:
        assert scalar(con, "select count(*) from dang_ky") == 20_000
        assert scalar(con, "select count(distinct ma_dang_ky) from dang_ky") == 20_000
        assert scalar(con, "select min(nam) || '-' || max(nam) from dang_ky") == "2015-2024"
        assert scalar(con, "select count(*) from don_vi where ma_cap_tren is null") >= 1
        assert scalar(con, "select count(distinct cap) from don_vi") == 4
        for table in ("quy_mo", "khen_thuong", "hoi_nghi"):
            assert scalar(con, f"select count(*) from {table}") > 0  # noqa: S608 - fixed names


def test_scale_mode_is_deterministic_and_chunk_independent_in_size(tmp_path):
    a = demo.write_scale_csvs(tmp_path / "a", 3_000)
    b = demo.write_scale_csvs(tmp_path / "b", 3_000)
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes()
    c = demo.write_scale_csvs(tmp_path / "c", 3_001, chunk_rows=1_000)
    with open(c["dang_ky"], encoding="utf-8") as fh:
        assert sum(1 for _ in fh) == 3_001 + 1
