"""Scope enforcement (queries.access) on a real database built through the importer.

The tree:

    ROOT  Đảng bộ Khối
    ├── A     Đảng bộ cơ sở      <- the scoped user's unit
    │   ├── A1  Chi bộ trực thuộc
    │   │   (A1X: a unit whose code differs from A1 only by a suffix, under B)
    │   └── A2  Chi bộ trực thuộc
    ├── B     Đảng bộ cơ sở      <- a sibling
    │   ├── B1  Chi bộ trực thuộc
    │   └── A1X Chi bộ trực thuộc
    └── C     Chi bộ cơ sở
"""

from __future__ import annotations

import csv
import dataclasses

import pytest
from support import sheets

from queries import access
from queries.auth import OPEN_USER, User
from queries.figures import Filters
from queries.store import Snapshot

UNITS = [
    ("ROOT", "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh", "", "Đảng bộ Khối"),
    ("A", "Đảng bộ Công ty A", "ROOT", "Đảng bộ cơ sở"),
    ("A1", "Chi bộ Phòng Kỹ thuật", "A", "Chi bộ trực thuộc"),
    ("A2", "Chi bộ Phòng Kinh doanh", "A", "Chi bộ trực thuộc"),
    ("B", "Đảng bộ Công ty B", "ROOT", "Đảng bộ cơ sở"),
    ("B1", "Chi bộ Phân xưởng 1", "B", "Chi bộ trực thuộc"),
    ("A1X", "Chi bộ Phân xưởng 2", "B", "Chi bộ trực thuộc"),
    ("C", "Chi bộ Sở Tài chính", "ROOT", "Chi bộ cơ sở"),
]
SUBTREE_A = {"A", "A1", "A2"}
INJECTION = "x' or '1'='1"

REGISTRATION_HEADERS = sheets.REG_KEYED


def _write_csv(path, headers, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The tree above with one registration per unit, imported through queries.importer."""
    from queries.importer import import_files

    folder = tmp_path_factory.mktemp("access_db")
    _write_csv(folder / "don_vi.csv", sheets.UNIT_HEADER, UNITS)
    registrations = [
        (f"DK-{code}", 2023, code, "Tập thể", f"Tập thể {code}", f"Mô hình của {code}", "Kinh tế")
        for code, *_ in UNITS
    ]
    _write_csv(folder / "dang_ky.csv", REGISTRATION_HEADERS, registrations)
    report = import_files(folder / "dvk.duckdb", [folder / "don_vi.csv", folder / "dang_ky.csv"])
    assert report.ok, report.problems
    return folder / "dvk.duckdb"


@pytest.fixture
def cur(db):
    """A read-only cursor, as the dashboard has one."""
    return Snapshot(db).cursor()


SCOPED = User("lan", "viewer", "A", "Nguyễn Thị Lan")
BRANCH = User("minh", "importer", "A1", "Lê Minh")
UNSCOPED = User("tam", "viewer", None, "Phạm Tâm")
GHOST = User("ghost", "viewer", "GONE", "Đơn vị đã xóa")  # a unit no longer in the database


def rows_visible(cur, unit):
    """The registrations a figure over `unit` would count (the unit's subtree; all when None)."""
    if unit is None:
        return {r[0] for r in cur.execute("select ma_don_vi from dang_ky").fetchall()}
    sql = f"with units as ({access.SUBTREE_SQL}) select ma_don_vi from dang_ky where ma_don_vi in (select * from units)"
    return {r[0] for r in cur.execute(sql, {"root": unit}).fetchall()}


def test_allowed_units(cur):
    assert access.allowed_units(cur, SCOPED) == SUBTREE_A
    assert access.allowed_units(cur, BRANCH) == {"A1"}
    assert access.allowed_units(cur, UNSCOPED) is None
    assert access.allowed_units(cur, OPEN_USER) is None
    assert access.allowed_units(cur, GHOST) == set()


@pytest.mark.parametrize(
    ("requested", "granted"),
    [
        (None, "A"),
        ("", "A"),
        ("ROOT", "A"),  # the parent
        ("B", "A"),  # a sibling
        ("B1", "A"),  # a sibling's branch
        ("A1X", "A"),  # looks like ours, is not
        ("C", "A"),
        ("NOPE", "A"),  # does not exist
        (INJECTION, "A"),
        ("A' or ma_don_vi like '%", "A"),
        ("a1", "A"),  # codes are exact
        ("A", "A"),
        ("A1", "A1"),  # their own branch
        (" A2 ", "A2"),
    ],
)
def test_scoped_user_gets_only_their_subtree(cur, requested, granted):
    unit = access.scoped_filters(cur, SCOPED, requested)
    assert unit == granted
    assert rows_visible(cur, unit) <= SUBTREE_A
    assert access.in_scope(cur, SCOPED, unit)


@pytest.mark.parametrize("requested", [None, "ROOT", "A", "A2", "B", INJECTION])
def test_branch_user_never_leaves_the_branch(cur, requested):
    assert access.scoped_filters(cur, BRANCH, requested) == "A1"


def test_unscoped_user_gets_any_existing_unit(cur):
    assert access.scoped_filters(cur, UNSCOPED, "B1") == "B1"
    assert access.scoped_filters(cur, UNSCOPED, "ROOT") == "ROOT"
    assert access.scoped_filters(cur, UNSCOPED, None) is None
    assert access.scoped_filters(cur, UNSCOPED, "NOPE") is None
    assert access.scoped_filters(cur, UNSCOPED, INJECTION) is None
    assert rows_visible(cur, None) == {code for code, *_ in UNITS}


def test_user_whose_unit_is_gone_sees_nothing(cur):
    unit = access.scoped_filters(cur, GHOST, "ROOT")
    assert unit == "GONE"
    assert rows_visible(cur, unit) == set()


def test_enforce_replaces_only_the_unit(cur):
    f = Filters(2021, 2023, unit="ROOT", field="Kinh tế", subject="Tập thể")
    enforced = access.enforce(cur, SCOPED, f)
    assert enforced == dataclasses.replace(f, unit="A")
    assert access.enforce(cur, SCOPED, dataclasses.replace(f, unit="A1")).unit == "A1"
    assert access.enforce(cur, UNSCOPED, f) == f
    assert access.enforce(cur, SCOPED, enforced) == enforced  # idempotent


def test_missing_user_fails_closed(cur):
    with pytest.raises(TypeError):
        access.scoped_filters(cur, None, "ROOT")
    with pytest.raises(TypeError):
        access.enforce(cur, None, Filters(2021, 2023))
    with pytest.raises(TypeError):
        access.allowed_units(cur, "lan")


def test_cycle_in_the_tree_terminates(cur):
    # The importer should refuse cycles; the subtree query must not hang if one slips through.
    cur.execute(
        "create temp table don_vi as select * from (values ('P', 'Q'), ('Q', 'P'), ('R', 'Q')) t(ma_don_vi, ma_cap_tren)"
    )
    try:
        assert access.subtree(cur, "P") == {"P", "Q", "R"}
    finally:
        cur.execute("drop table temp.don_vi")


def test_import_needs_importer_or_admin():
    access.check_table_access(BRANCH, "import")
    access.check_table_access(OPEN_USER, "import")
    access.check_table_access(SCOPED, "view")
    access.check_table_access(SCOPED, "download")
    with pytest.raises(PermissionError, match="không có quyền nhập"):
        access.check_table_access(SCOPED, "import")
    with pytest.raises(PermissionError, match="may not import"):
        access.check_table_access(SCOPED, "import", lang="en")
    with pytest.raises(PermissionError):
        access.check_table_access(BRANCH, "manage_users")
    access.check_table_access(User("root", "admin", None, "Admin"), "manage_users")
    with pytest.raises(ValueError):
        access.check_table_access(SCOPED, "drop_tables")


def test_units_outside_scope(cur):
    assert access.units_outside_scope(cur, SCOPED, ["A1", "B1", " A2 ", "NEW"]) == {"B1", "NEW"}
    assert access.units_outside_scope(cur, UNSCOPED, ["B1", "NEW"]) == set()


def test_figures_engine_sees_only_the_scope(cur):
    """End to end with the real figures engine: a crafted unit still yields only subtree rows."""
    from queries import figures

    f = access.enforce(cur, SCOPED, Filters(2023, 2023, unit="ROOT"))
    try:
        frame = figures.records(cur, f, "dang_ky")
    except NotImplementedError:
        pytest.skip("figures.records is not written yet")
    column = next(c for c in frame.columns if c in ("ma_don_vi", "Mã đơn vị"))
    units = set(frame.get_column(column))
    assert units == SUBTREE_A
