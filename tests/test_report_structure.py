"""The report on the small reorganisation of tests/support/reorg.py (issue 15): when the scope was
reorganised between the report's period and the baseline, section 5 says which reading the
comparison is on; with no reorganisation in the scope it says nothing of it.

U (Đảng bộ cấp trên cơ sở from 01/02/2025), 2024-2026 against 2021-2023: CS2 moved under U on
01/02/2025 and CB1, CB2, CB4, B merged on 01/07/2025 (tests/test_structure_changes.py). CB5 never
changed (it ended 31/12/2024 with no successor).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.reorg import reorganised

from queries import structure
from queries.figures import Filters
from queries.report import ReportOptions, build_report
from tests.support.builders import cursor

CURRENT_NOTE = "số liệu giai đoạn 2021-2023 được tính theo cơ cấu tổ chức hiện nay"
AS_WAS_NOTE = "số liệu mỗi giai đoạn được tính theo cơ cấu tổ chức tại thời điểm đó"


@pytest.fixture(scope="module")
def reorg_db(tmp_path_factory) -> Path:
    return reorganised().build(tmp_path_factory.mktemp("report_reorg"))


def text(db: Path, unit: str, reading: str, lang: str = "vi") -> str:
    with cursor(db) as cur:
        report = build_report(
            cur,
            Filters(2024, 2026, unit=unit, structure=reading),
            ReportOptions(lang=lang, compare=(2021, 2023)),
        )
    return report.text()


def test_the_comparison_says_it_is_on_todays_structure(reorg_db):
    body = text(reorg_db, "U", structure.CURRENT)
    assert CURRENT_NOTE in body and AS_WAS_NOTE not in body
    assert "read on today's structure" in text(reorg_db, "U", structure.CURRENT, "en")


def test_the_comparison_says_it_is_as_it_was(reorg_db):
    # as it was, U did not exist in 2021-2023: nothing to compare with, and the note says why
    body = text(reorg_db, "U", structure.AS_WAS)
    assert "Không có số liệu đăng ký của giai đoạn 2021-2023 để so sánh." in body
    assert AS_WAS_NOTE in body and CURRENT_NOTE not in body
    # CS2 (moved under U keeping its code) had registrations in 2023: compared, with the note
    body = text(reorg_db, "CS2", structure.AS_WAS)
    assert "So với giai đoạn 2021-2023, lượt đăng ký" in body and AS_WAS_NOTE in body


def test_no_note_without_a_reorganisation_in_the_scope(reorg_db):
    for reading in structure.READINGS:
        body = text(reorg_db, "CB5", reading)
        assert "sắp xếp lại" not in body
