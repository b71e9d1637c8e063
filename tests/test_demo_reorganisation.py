"""The demo's 2025 reorganisation (issue 15, queries/demo/reorganisation.py): the Tỉnh ủy root, the
bloc ending 31/01/2025, the two committees that follow it, the merged departments; the bloc's
2021-2023 figures as it was are still the seed's, and today's structure reads the same records.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from support.builders import cursor

from queries import demo, figures, vocab
from queries.demo import reorganisation as reorg
from queries.figures import Filters

PHASE = Filters(2021, 2023)


@pytest.fixture(scope="module")
def con(demo_db):
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def cur(demo_db):
    with cursor(demo_db) as c:
        yield c


def rows(con, code: str) -> list[tuple]:
    return con.execute(
        "select ma_cap_tren, cap, hieu_luc_tu, hieu_luc_den, ma_ke_thua from don_vi where ma_don_vi = $code"
        " order by hieu_luc_tu nulls first",
        {"code": code},
    ).fetchall()


def code_of(con, name: str) -> str:
    [(code,)] = con.execute(
        "select distinct ma_don_vi from don_vi where ten_don_vi = $n", {"n": name}
    ).fetchall()
    return code


def test_the_bloc_years_are_the_rows_they_always_were():
    """2018-2024 come from the first random stream: the whole demo's rows of those years are the rows
    of the demo generated without the reorganisation."""
    whole, bloc = demo.generate_demo(), demo.generate_demo(reorganisation=False)
    for table in ("quy_mo", "dang_ky", "khen_thuong", "hoi_nghi"):
        assert_frame_equal(whole[table].filter(pl.col("nam") <= 2024), bloc[table])
    assert bloc["dang_ky"]["nam"].max() == 2024 and whole["dang_ky"]["nam"].max() == 2026


def test_the_tinh_uy_is_the_root_and_the_bloc_ends_on_31_01_2025(con):
    assert con.execute("select ma_don_vi, cap from don_vi where ma_cap_tren is null").fetchall() == [
        (reorg.PROVINCE_CODE, vocab.LEVEL_PROVINCE)
    ]
    # under the Tỉnh ủy all along, no successor: the bloc's grassroots units pass to the committees
    assert rows(con, demo.ROOT_CODE) == [
        (reorg.PROVINCE_CODE, vocab.LEVEL_BLOC, dt.date(2008, 10, 1), dt.date(2025, 1, 31), None)
    ]
    # before 2025 the bloc is the Tỉnh ủy's only child
    children = con.execute(
        "select ma_don_vi from don_vi where ma_cap_tren = $tu and hieu_luc_tu < date '2025-01-01'",
        {"tu": reorg.PROVINCE_CODE},
    ).fetchall()
    assert children == [(demo.ROOT_CODE,)]


def test_the_new_committees_exist_from_01_02_2025(con, cur):
    for code, name in (
        (reorg.PARTY_AGENCIES_CODE, "Đảng bộ các cơ quan Đảng tỉnh"),
        (reorg.GOVERNMENT_CODE, "Đảng bộ UBND tỉnh"),
    ):
        assert code_of(con, name) == code
        assert rows(con, code) == [
            (reorg.PROVINCE_CODE, vocab.LEVEL_UPPER_COMMITTEE, dt.date(2025, 2, 1), None, None)
        ]
        # no records, no grassroots units before 2025; records from 2025
        before = figures.summary(cur, Filters(2021, 2024, unit=code))
        assert before["registrations"]["total"] == 0 and before["grassroots_units"] == 0
        after = figures.summary(cur, Filters(2025, 2026, unit=code))
        assert after["registrations"]["total"] > 0 and after["grassroots_units"] > 0


def test_a_unit_moves_keeping_its_code_and_departments_merge(con):
    # Đảng bộ Sở Tài chính: two rows, the bloc's until 31/01/2025, then the Đảng bộ UBND tỉnh's
    finance = code_of(con, "Đảng bộ Sở Tài chính")
    [(bloc, _, _, end, _), (government, _, start, none, _)] = rows(con, finance)
    assert (bloc, end, government, start, none) == (
        demo.ROOT_CODE,
        dt.date(2025, 1, 31),
        reorg.GOVERNMENT_CODE,
        dt.date(2025, 2, 1),
        None,
    )
    # the merged departments: the old ones end on 28/02/2025 (Kế hoạch và Đầu tư on 30/09/2024)
    # with their successor, active the next day
    merged = {
        "Chi bộ Sở Kế hoạch và Đầu tư": ("Đảng bộ Sở Tài chính", dt.date(2024, 9, 30)),
        "Đảng bộ Sở Lao động - Thương binh và Xã hội": ("Đảng bộ Sở Nội vụ", dt.date(2025, 2, 28)),
        "Đảng bộ Sở Giao thông vận tải": ("Đảng bộ Sở Xây dựng", dt.date(2025, 2, 28)),
        "Chi bộ Sở Xây dựng": ("Đảng bộ Sở Xây dựng", dt.date(2025, 2, 28)),
        "Chi bộ Sở Thông tin và Truyền thông": ("Chi bộ Sở Khoa học và Công nghệ", dt.date(2025, 2, 28)),
    }
    for old, (new, last_day) in merged.items():
        *_, (_, _, _, end, successor) = rows(con, code_of(con, old))
        assert (end, successor) == (last_day, code_of(con, new)), old
    assert code_of(con, "Đảng bộ Sở Xây dựng") == reorg.CONSTRUCTION_CODE
    assert rows(con, reorg.CONSTRUCTION_CODE)[0][2] == dt.date(2025, 3, 1)


def test_the_bloc_2021_2023_as_it_was_is_the_seed(cur):
    """DOMAIN.md section 5: 1.061 collective and 5.908 individual registrations, 67 of 89 grassroots
    units held a commendation conference; the same for the bloc and for the root with no unit."""
    for f in (PHASE, Filters(2021, 2023, unit=demo.ROOT_CODE)):
        s = figures.summary(cur, f)
        assert (s["registrations"]["collective"], s["registrations"]["individual"]) == (1061, 5908)
        assert (s["units_with_conference"], s["grassroots_units"]) == (67, 89)


def test_today_structure_reads_the_same_2021_2023_records_counting_each_unit_once(cur):
    """The Tỉnh ủy on today's structure against the root as it was, 2021-2023: the same records
    (nothing else was under the Tỉnh ủy), its units counted once each."""
    was = figures.summary(cur, PHASE)
    now = figures.summary(cur, Filters(2021, 2023, unit=reorg.PROVINCE_CODE, structure="current"))
    assert now == figures.summary(cur, Filters(2021, 2023, structure="current")) | {
        "unit": reorg.PROVINCE_CODE,
        "unit_name": reorg.PROVINCE_NAME,
    }
    for key in ("registrations", "awards", "nominations", "recognised", "by_year"):
        assert now[key] == was[key], key
    # 89 grassroots units as it was; on today's structure four of them are counted in another:
    # Kế hoạch và Đầu tư in Tài chính, Thông tin và Truyền thông in Khoa học và Công nghệ,
    # Lao động - TB&XH in Nội vụ, and Giao thông vận tải with Xây dựng as the one new Sở Xây dựng
    assert now["grassroots_units"] == 89 - 4 == 85
    # the 2 that registered nothing (Hội Văn học Nghệ thuật, Đoàn Luật sư) merged into none
    assert (was["units_with_registration"], now["units_with_registration"]) == (89 - 2, 85 - 2)
    # chi bộ-years: 648 as it was; the 3 chi bộ cơ sở merged into another unit (Kế hoạch và Đầu tư,
    # Thông tin và Truyền thông, Xây dựng) and the labour department's Văn phòng Sở (into Nội vụ's)
    # are no chi bộ of their own on today's structure: 4 chi bộ x 3 years fewer
    assert (was["branch_years"], now["branch_years"]) == (648, 648 - 4 * 3)
    # a unit of today held a commendation conference when one of its predecessors did
    by_unit = figures.by_unit(cur, Filters(2021, 2023, unit=demo.ROOT_CODE))
    held = dict(zip(by_unit["ma_don_vi"], by_unit["units_with_conference"], strict=True))
    final = {
        "Chi bộ Sở Kế hoạch và Đầu tư": "Đảng bộ Sở Tài chính",
        "Chi bộ Sở Thông tin và Truyền thông": "Chi bộ Sở Khoa học và Công nghệ",
        "Đảng bộ Sở Lao động - Thương binh và Xã hội": "Đảng bộ Sở Nội vụ",
        "Đảng bộ Sở Giao thông vận tải": "Đảng bộ Sở Xây dựng",
        "Chi bộ Sở Xây dựng": "Đảng bộ Sở Xây dựng",
    }
    names = dict(zip(by_unit["ma_don_vi"], by_unit["ten_don_vi"], strict=True))
    today = {final.get(names[code], names[code]) for code, n in held.items() if n}
    assert was["units_with_conference"] == 67
    assert now["units_with_conference"] == len(today)
