"""The test builder (tests/support/builders.py) imports every table through the real importer."""

from __future__ import annotations

from datetime import date

from support.builders import BLOC, INDIVIDUAL, DataSet, cursor

from queries import vocab


def test_builder_imports_every_table(tmp_path):
    data = (
        DataSet()
        .unit("K", cap=BLOC)
        .unit("A", "K", end=date(2022, 6, 30))
        .size("A", 2022, members=10, staff=40)
        .reg(2022, "A", score=75.5)
        .award(2022, "A", INDIVIDUAL, "Cơ sở")
        .conf(2022, "A", attendees=9, members=7)
    )
    db = data.build(tmp_path)
    with cursor(db) as cur:
        counts = {
            t.name: cur.execute(f"select count(*) from {t.name}").fetchall()[0][0] for t in vocab.TABLES
        }
        end, score = cur.execute(
            "select hieu_luc_den, (select diem from dang_ky) from don_vi where ma_don_vi = 'A'"
        ).fetchall()[0]
    assert counts == {"don_vi": 2, "quy_mo": 1, "dang_ky": 1, "khen_thuong": 1, "hoi_nghi": 1}
    assert end == date(2022, 6, 30)
    assert score == 75.5
