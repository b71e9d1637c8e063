"""dashboard/columns.py: a template column's label is its template header, its kind follows from the vocabulary."""

from __future__ import annotations

from dashboard import columns, ui
from queries import vocab


def test_template_columns_take_their_header_and_kind_from_the_vocabulary():
    # Năm is an integer shown as text (no thousands separator), Đối tượng a closed list (translated),
    # Điểm a number, Ngày đăng ký a date; in the order asked for
    assert columns.template("dang_ky", ["nam", "doi_tuong", "diem", "ngay_dang_ky"]) == [
        ("nam", "Năm", ui.TEXT),
        ("doi_tuong", "Đối tượng", ui.VALUE),
        ("diem", "Điểm", ui.NUM),
        ("ngay_dang_ky", "Ngày đăng ký", ui.DATE),
    ]


def test_without_aliases_every_template_column_in_template_order():
    assert [c[0] for c in columns.template("khen_thuong")] == list(vocab.AWARDS.aliases)
