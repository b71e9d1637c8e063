"""The report's default letterhead and signing block by the scope unit's level (Hướng dẫn 36-HD/VPTW,
DOMAIN.md §7), on a small province built through the real importer:

    TU    Tỉnh ủy "Đảng bộ tỉnh Vĩnh Long", the root
    DBK   Đảng bộ Khối "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh" under TU
    UB    Đảng bộ cấp trên cơ sở "Đảng bộ UBND tỉnh" under TU
    STC   Đảng bộ cơ sở "Đảng bộ Sở Tài chính" under UB, with the branch CB (Chi bộ trực thuộc)
    VP    Chi bộ cơ sở "Chi bộ Văn phòng UBND tỉnh" under UB

By level, what the letterhead says (superior line above, issuing committee below, symbol, who signs):
    Tỉnh ủy                  ĐẢNG BỘ TỈNH VĨNH LONG / TỈNH ỦY VĨNH LONG   -BC/TU   T/M BAN THƯỜNG VỤ
    Đảng bộ Khối             ĐẢNG BỘ TỈNH VĨNH LONG / ĐẢNG ỦY KHỐI …      -BC/ĐUK  T/M BAN THƯỜNG VỤ
    Đảng bộ cấp trên cơ sở   ĐẢNG BỘ TỈNH VĨNH LONG / ĐẢNG ỦY UBND TỈNH   -BC/ĐU   T/M BAN THƯỜNG VỤ
    Đảng bộ cơ sở            ĐẢNG BỘ UBND TỈNH / ĐẢNG ỦY SỞ TÀI CHÍNH     -BC/ĐU   T/M ĐẢNG ỦY
    Chi bộ cơ sở             ĐẢNG BỘ UBND TỈNH / CHI BỘ VĂN PHÒNG …       -BC/CB   T/M CHI BỘ
each signed "BÍ THƯ". A unit under the Tỉnh ủy reports to the committee ("Tỉnh ủy Vĩnh Long (để
báo cáo)"), not to the Đảng bộ; the Tỉnh ủy's report goes to the committees under it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from queries.figures import Filters
from queries.report import ReportOptions, build_report
from queries.report.options import province_names
from tests.support.builders import (
    BLOC,
    BRANCH,
    COMMITTEE,
    DVK,
    GRASSROOTS_BRANCH,
    PROVINCE,
    UPPER_COMMITTEE,
    DataSet,
    cursor,
)

START = date(2018, 1, 1)
GAP = "\u00a0" * 6  # the office writes the number by hand


@pytest.fixture(scope="module")
def province_db(tmp_path_factory) -> Path:
    d = DataSet()
    d.unit("TU", cap=PROVINCE, start=START, name="Đảng bộ tỉnh Vĩnh Long")
    d.unit("DBK", "TU", BLOC, START, name="Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh")
    d.unit("UB", "TU", UPPER_COMMITTEE, START, name="Đảng bộ UBND tỉnh")
    d.unit("STC", "UB", COMMITTEE, START, name="Đảng bộ Sở Tài chính")
    d.unit("CB", "STC", BRANCH, START, name="Chi bộ Phòng Ngân sách")
    d.unit("VP", "UB", GRASSROOTS_BRANCH, START, name="Chi bộ Văn phòng UBND tỉnh")
    for code in ("CB", "VP"):
        d.reg(2022, code, movement=DVK)
    return d.build(tmp_path_factory.mktemp("province"))


def letterhead(db: Path, unit: str | None) -> tuple:
    with cursor(db) as cur:
        r = build_report(cur, Filters(2021, 2023, unit=unit), ReportOptions())
    return r.superior, r.issuer, r.symbol, r.on_behalf, r.signer_title, r.recipients


# by level, as in the table above: (unit, superior line, issuing committee, symbol after "-BC/", on behalf of)
@pytest.mark.parametrize(
    ("unit", "superior", "issuer", "symbol", "on_behalf"),
    [
        ("TU", "ĐẢNG BỘ TỈNH VĨNH LONG", "TỈNH ỦY VĨNH LONG", "TU", "T/M BAN THƯỜNG VỤ"),
        (None, "ĐẢNG BỘ TỈNH VĨNH LONG", "TỈNH ỦY VĨNH LONG", "TU", "T/M BAN THƯỜNG VỤ"),  # the single root
        (
            "DBK",
            "ĐẢNG BỘ TỈNH VĨNH LONG",
            "ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
            "ĐUK",
            "T/M BAN THƯỜNG VỤ",
        ),
        ("UB", "ĐẢNG BỘ TỈNH VĨNH LONG", "ĐẢNG ỦY UBND TỈNH", "ĐU", "T/M BAN THƯỜNG VỤ"),
        ("STC", "ĐẢNG BỘ UBND TỈNH", "ĐẢNG ỦY SỞ TÀI CHÍNH", "ĐU", "T/M ĐẢNG ỦY"),  # under an upper committee
        ("VP", "ĐẢNG BỘ UBND TỈNH", "CHI BỘ VĂN PHÒNG UBND TỈNH", "CB", "T/M CHI BỘ"),
        ("CB", "ĐẢNG BỘ SỞ TÀI CHÍNH", "CHI BỘ PHÒNG NGÂN SÁCH", "CB", "T/M CHI BỘ"),
    ],
)
def test_the_letterhead_by_the_units_level(province_db, unit, superior, issuer, symbol, on_behalf):
    head = letterhead(province_db, unit)[:5]
    assert head == (superior, issuer, f"Số{GAP}-BC/{symbol}", on_behalf, "BÍ THƯ")


def test_a_tinh_uy_reports_to_the_committees_under_it(province_db):
    for unit in ("TU", None):
        assert letterhead(province_db, unit)[5] == ("- Các đảng bộ trực thuộc,", "- Lưu Văn phòng.")


def test_a_unit_reports_to_the_committee_above_it(province_db):
    assert letterhead(province_db, "DBK")[5][0] == "- Tỉnh ủy Vĩnh Long (để báo cáo),"
    assert letterhead(province_db, "UB")[5] == (
        "- Tỉnh ủy Vĩnh Long (để báo cáo),",
        "- Các chi bộ, đảng bộ cơ sở,",
        "- Lưu Văn phòng.",
    )
    assert letterhead(province_db, "STC")[5][0] == "- Đảng bộ UBND tỉnh (để báo cáo),"


@pytest.mark.parametrize(
    ("name", "names"),
    [
        ("Đảng bộ tỉnh Vĩnh Long", ("Đảng bộ tỉnh Vĩnh Long", "Tỉnh ủy Vĩnh Long")),
        ("Tỉnh ủy Vĩnh Long", ("Đảng bộ tỉnh Vĩnh Long", "Tỉnh ủy Vĩnh Long")),
        ("TỈNH UỶ  Vĩnh Long", ("Đảng bộ tỉnh Vĩnh Long", "Tỉnh ủy Vĩnh Long")),  # older spelling, caps
        ("Đảng bộ tỉnh", ("Đảng bộ tỉnh", "Tỉnh ủy")),  # the demo's root: no province named
        ("Đảng bộ thành phố Cần Thơ", ("Đảng bộ thành phố Cần Thơ", "Thành ủy Cần Thơ")),
        ("Thành ủy Hà Nội", ("Đảng bộ thành phố Hà Nội", "Thành ủy Hà Nội")),
        ("Đảng bộ Vĩnh Long", ("Đảng bộ tỉnh Vĩnh Long", "Tỉnh ủy Vĩnh Long")),
        ("Vĩnh Long", ("Đảng bộ tỉnh Vĩnh Long", "Tỉnh ủy Vĩnh Long")),
    ],
)
def test_a_provinces_dang_bo_and_committee_from_either_name(name, names):
    assert province_names(name) == names
