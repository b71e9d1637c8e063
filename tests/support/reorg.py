"""A small reorganisation, worked out by hand in tests/test_figures_structure.py (issue 15).

The units (every chi bộ is a Chi bộ cơ sở, so each is a grassroots unit and a chi bộ of the target):

    T   Tỉnh ủy, the root, from 2018
    K   Đảng bộ Khối under T, 2018 .. 31/01/2025, no successor (the bloc ended)
    U   Đảng bộ cấp trên cơ sở under T, from 01/02/2025
    CB1, CB2  under K, .. 30/06/2025, both merged into CB3 (case: two chi bộ merged into a new one)
    CB3       under U, from 01/07/2025
    CB4       under K, .. 30/06/2025, merged into the đảng bộ cơ sở CS2 (case: chi bộ into a đảng bộ)
    CS2       Đảng bộ cơ sở under K .. 31/01/2025, then under U from 01/02/2025 keeping its code
              (case: moved under a new committee; two rows)
    CB5       under K, .. 31/12/2024, dissolved with no successor
    A → B → C A under K .. 31/12/2022, B under K 2023 .. 30/06/2025, C under U from 01/07/2025

Staff (quy_mo): CB1 10 and CB2 20 in 2024.

Registrations (DVK / QCDC), every year reported 2022-2026:

    2022  A: DVK, QCDC
    2023  B: DVK       CB1: DVK, QCDC   CS2: DVK   CB5: QCDC
    2024  CB1: DVK     CB2: QCDC        CB4: DVK   CS2: DVK
    2025  CB3: DVK     CS2: DVK, QCDC   C: QCDC
    2026  CB3: DVK, QCDC                CS2: DVK
"""

from __future__ import annotations

from datetime import date

from support.builders import BLOC, COMMITTEE, DVK, GRASSROOTS_BRANCH, PROVINCE, QCDC, UPPER_COMMITTEE, DataSet

END_BLOC, START_NEW = date(2025, 1, 31), date(2025, 2, 1)
MERGED, START_MERGED = date(2025, 6, 30), date(2025, 7, 1)
FOUNDED = date(2018, 1, 1)


def reorganised() -> DataSet:
    """The units and registrations above."""
    d = DataSet()
    d.unit("T", cap=PROVINCE, start=FOUNDED)
    d.unit("K", "T", cap=BLOC, start=FOUNDED, end=END_BLOC)
    d.unit("U", "T", cap=UPPER_COMMITTEE, start=START_NEW)
    d.unit("CB1", "K", GRASSROOTS_BRANCH, FOUNDED, MERGED, successor="CB3")
    d.unit("CB2", "K", GRASSROOTS_BRANCH, FOUNDED, MERGED, successor="CB3")
    d.unit("CB3", "U", GRASSROOTS_BRANCH, START_MERGED)
    d.unit("CB4", "K", GRASSROOTS_BRANCH, FOUNDED, MERGED, successor="CS2")
    d.unit("CS2", "K", COMMITTEE, FOUNDED, END_BLOC)
    d.unit("CS2", "U", COMMITTEE, START_NEW)
    d.unit("CB5", "K", GRASSROOTS_BRANCH, FOUNDED, date(2024, 12, 31))
    d.unit("A", "K", GRASSROOTS_BRANCH, FOUNDED, date(2022, 12, 31), successor="B")
    d.unit("B", "K", GRASSROOTS_BRANCH, date(2023, 1, 1), MERGED, successor="C")
    d.unit("C", "U", GRASSROOTS_BRANCH, START_MERGED)
    # staff in 2024 of the two chi bộ merged later into CB3 (on today's structure CB3's: 10 + 20)
    d.size("CB1", 2024, staff=10).size("CB2", 2024, staff=20)
    for year, code, movement in [
        (2022, "A", DVK),
        (2022, "A", QCDC),
        (2023, "B", DVK),
        (2023, "CB1", DVK),
        (2023, "CB1", QCDC),
        (2023, "CS2", DVK),
        (2023, "CB5", QCDC),
        (2024, "CB1", DVK),
        (2024, "CB2", QCDC),
        (2024, "CB4", DVK),
        (2024, "CS2", DVK),
        (2025, "CB3", DVK),
        (2025, "CS2", DVK),
        (2025, "CS2", QCDC),
        (2025, "C", QCDC),
        (2026, "CB3", DVK),
        (2026, "CB3", QCDC),
        (2026, "CS2", DVK),
    ]:
        d.reg(year, code, movement=movement)
    return d
