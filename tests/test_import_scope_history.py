"""A scoped importer's unit sheet across a unit's history (dashboard/import_scope.py, issue 15), on
the small reorganisation of tests/support/reorg.py: CS2 (Đảng bộ cơ sở) has two rows, under K from
01/01/2018 to 31/01/2025 and under U from 01/02/2025. Its own staff (scope CS2: CS2 and, through
the merge, nothing else below it) may restate both rows with their parents, and add a row that keeps
the parent in force where it starts; a row that puts CS2 under a unit outside its subtree is
refused. Before, one arbitrary stored row decided the "kept" parent, so restating one of the two
stored rows was refused.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support.reorg import END_BLOC, FOUNDED, START_NEW, reorganised

from dashboard import import_scope
from queries.auth import User
from queries.store import Snapshot
from tests.support.builders import COMMITTEE, DataSet

CS2_STAFF = User("cs2", "importer", "CS2", "Văn phòng Đảng ủy CS2")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return reorganised().build(tmp_path_factory.mktemp("import_scope_reorg"))


def outside(db: Path, folder: Path, upload: DataSet) -> set[str]:
    paths = upload.write_csvs(folder)
    frames = import_scope.upload_frames(paths, [p.name for p in paths])
    with Snapshot(db).cursor() as cur:
        found = import_scope.check(cur, CS2_STAFF, frames)
    assert not found.foreign_rows
    return found.outside


def test_both_stored_rows_restated_with_their_parents(db, tmp_path):
    upload = DataSet()
    upload.unit("CS2", "K", COMMITTEE, FOUNDED, END_BLOC)
    upload.unit("CS2", "U", COMMITTEE, START_NEW)
    assert outside(db, tmp_path, upload) == set()


@pytest.mark.parametrize(
    ("parent", "start", "refused"),
    [
        ("U", date(2027, 1, 1), set()),  # a new row keeping the parent in force in 2027 (U)
        ("K", date(2027, 1, 1), {"K"}),  # ... moving it back under the bloc: outside CS2's subtree
        ("K", date(2020, 6, 1), set()),  # a row starting while it was under K keeps K
        ("T", date(2020, 6, 1), {"T"}),  # ... not another superior
        ("U", None, set()),  # a row without dates states the unit as it is now, under U
        ("K", None, {"K"}),
    ],
)
def test_a_row_keeps_the_parent_in_force_where_it_starts(db, tmp_path, parent, start, refused):
    upload = DataSet().unit("CS2", parent, COMMITTEE, start)
    assert outside(db, tmp_path, upload) == refused


def test_parent_in_force():
    rows = [(date(2025, 2, 1), "U"), (date(2018, 1, 1), "K")]  # in any order
    assert import_scope.parent_in_force(rows, date(2018, 1, 1)) == "K"  # the same key
    assert import_scope.parent_in_force(rows, date(2025, 1, 31)) == "K"
    assert import_scope.parent_in_force(rows, date(2025, 2, 1)) == "U"
    assert import_scope.parent_in_force(rows, date(2010, 1, 1)) == "K"  # before any: the first
    assert import_scope.parent_in_force(rows, None) == "U"  # no start: the latest
    assert import_scope.parent_in_force([(None, "K"), (date(2025, 2, 1), "U")], None) == "K"  # same key
