"""The label catalogue (queries/labels.py): every name in both languages, every name used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from queries import figures, labels, vocab

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for d in ("dashboard", "queries") for p in (ROOT / d).rglob("*.py") if p.name != "labels.py"]


def _source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)


@pytest.mark.parametrize(
    "table",
    [labels.FIGURE_NAMES, labels.SHEETS, labels.UNITS, labels.COMPARE_GROUPS, labels.COMPARE_STATUSES],
)
def test_every_name_exists_in_both_languages(table):
    assert [k for k, (vi, en) in table.items() if not vi.strip() or not en.strip()] == []


def test_every_engine_figure_has_a_name_and_every_name_a_figure_or_a_use():
    engine = {fig.key for fig in figures.FIGURES}
    assert sorted(engine - set(labels.FIGURE_NAMES)) == []
    source = _source()
    unused = [
        key
        for key in set(labels.FIGURE_NAMES) - engine
        if not re.search(rf"""["'](fig\.)?{re.escape(key)}["']""", source)
    ]
    assert unused == []  # e.g. awards_per_registration: the awards page's "fig.awards_per_registration"


def test_every_sheet_and_unit_is_used():
    source = _source()
    assert [k for k in labels.SHEETS if f'"{k}"' not in source] == []
    assert [k for k in labels.UNITS if not re.search(rf"""["']{k}["']""", source)] == []


def test_every_template_column_and_table_has_both_names():
    for table in vocab.TABLES:
        assert labels.table_name(table.name, "vi") == table.label
        assert labels.table_name(table.name, "en") != table.name
        for column in table.columns:
            assert labels.column_name(column.alias, "vi") == column.header
            assert labels.column_name(column.alias, "en") != column.alias
    assert set(labels.COLUMNS_EN) == set(labels.COLUMNS_VI)  # no English name of a column that is not there


def test_one_name_per_concept_where_they_used_to_disagree():
    # issue 13: "Coverage rate" vs "Participation rate"; "Tỉ lệ TCCSĐ tham gia" vs "... có đăng ký";
    # "Mô hình được công nhận" counted registrations.
    assert labels.figure_name("coverage_rate", "en") == "Coverage rate"
    assert labels.figure_name("coverage_rate", "vi") == "Tỉ lệ TCCSĐ có đăng ký"
    assert labels.figure_name("recognised", "vi") == "Lượt đăng ký được công nhận"
    assert labels.figure_name("models", "vi") == "Số mô hình (theo mã)"
    assert labels.unit("points", "vi") == "điểm %"


def test_prefixed_keys_and_comparison_rows():
    assert labels.label("fig.recognition_rate", "en") == "Recognition rate"
    assert labels.label("col.nam", "vi") == "Năm"
    assert labels.label("value.Kinh tế", "en") == "Economy"
    assert labels.label("sheet.figures", "vi") == "Số liệu"
    assert labels.period_name(2021, 2023, "vi") == "Giai đoạn 2021-2023"
    assert labels.period_name(2023, 2023, "en") == "Year 2023"
    assert labels.label("page.overview", "vi") is None  # a UI string, not the catalogue's
    assert labels.compare_row_name("registrations.by_field.Kinh tế", "vi") == "Đăng ký - lĩnh vực Kinh tế"
    assert labels.compare_row_name("registrations.by_field.Kinh tế", "en") == "Registrations - field Economy"
    assert labels.compare_row_name("awards.by_level.Cơ sở", "vi") == "Khen thưởng - Cơ sở"
    assert labels.compare_row_name("awards.by_form.Bằng khen", "vi") == "Khen thưởng - hình thức Bằng khen"
    assert labels.compare_row_name("nominations.by_level.Tỉnh", "en") == "Nominations - Province"
