"""Report sentences and number formats (DOMAIN.md section 6)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from support.builders import PERIOD, bloc, cursor
from support.phrases import says

from queries import figures, vocab
from queries.formatting import fmt_change, fmt_date, fmt_int, fmt_num, fmt_pct, fmt_pct_change, fmt_period
from queries.narrative import narrative

# --- formatting --------------------------------------------------------------------------------------


def test_vietnamese_numbers_use_dot_thousands_and_comma_decimals():
    assert fmt_int(1061) == "1.061"
    assert fmt_int(5908, "vi") == "5.908"
    assert fmt_int(1234567) == "1.234.567"
    assert fmt_int(-10955) == "-10.955"
    assert fmt_int(7) == "7"
    assert fmt_pct(67 / 89) == "75,3%"
    assert fmt_pct(0.99, digits=0) == "99%"
    assert fmt_num(1061.26, digits=1) == "1.061,3"
    assert fmt_num(12.0, trim=True) == "12"
    assert fmt_num(-0.01) == "0,0"  # no negative zero


def test_english_numbers():
    assert fmt_int(1061, "en") == "1,061"
    assert fmt_pct(67 / 89, "en") == "75.3%"
    assert fmt_num(1061.26, "en", 2) == "1,061.26"


def test_changes_carry_a_sign():
    assert fmt_change(12) == "+12"
    assert fmt_change(-1061) == "-1.061"
    assert fmt_change(0) == "0"
    assert fmt_change(2.25, "en", 1) == "+2.2"
    assert fmt_pct_change(0.125) == "+12,5%"
    assert fmt_pct_change(-1 / 3, "en") == "-33.3%"


def test_missing_values_are_a_dash():
    assert fmt_int(None) == fmt_pct(None) == fmt_num(float("nan")) == fmt_date(None) == "–"
    assert fmt_change(None) == fmt_pct_change(None) == "–"


def test_dates_and_periods():
    assert fmt_date(date(2023, 10, 19)) == "19/10/2023"
    assert fmt_date(datetime(2023, 10, 19, 3, 10), "en") == "19/10/2023"
    assert fmt_period(2021, 2023) == "2021-2023"
    assert fmt_period(2022, 2022) == "2022"


# --- narrative on a hand-made summary ------------------------------------------------------------------


def _levels(**values) -> dict:
    out = {level: {"collective": 0, "individual": 0} for level in vocab.AWARD_LEVELS}
    out.update(values)
    return out


def seed_summary(**changes) -> dict:
    """The shape of figures.summary with the seed article's numbers (004_898b1ad5cf5961f6)."""
    s = {
        "from": 2021,
        "to": 2023,
        "unit": None,
        "unit_name": None,
        "filters": {"field": None, "subject": None, "movement": None, "kind": None},
        "registrations": {"total": 6969, "collective": 1061, "individual": 5908},
        "grassroots_units": 89,
        "units_with_registration": 87,
        "coverage_rate": 87 / 89,
        "units_with_conference": 67,
        "conference_rate": 67 / 89,
        "target_compliance_rate": None,
        "recognised": 0,
        "recognition_rate": 0.0,
        "awards": {
            "by_level": _levels(
                **{
                    "Cơ sở": {"collective": 126, "individual": 156},
                    "Đảng ủy Khối": {"collective": 61, "individual": 110},
                    "Ban Chỉ đạo tỉnh": {"collective": 0, "individual": 2},
                }
            )
        },
        "nominations": {"by_level": _levels(**{"UBND tỉnh": {"collective": 0, "individual": 1}})},
        "by_year": [
            {"year": 2021, "registrations": 2122},
            {"year": 2022, "registrations": 2318},
            {"year": 2023, "registrations": 2529},
        ],
    }
    s.update(changes)
    return s


def test_vietnamese_narrative_reads_like_the_seed():
    text = narrative(seed_summary())
    assert text.startswith(
        "Giai đoạn 2021-2023, các chi bộ, đảng bộ cơ sở có 1.061 tập thể và 5.908 cá nhân đăng ký thực hiện"
        ' mô hình "Dân vận khéo"; có 67/89 chi bộ, đảng bộ cơ sở (75,3%) tổ chức hội nghị tuyên dương,'
        " khen thưởng cho 126 tập thể và 156 cá nhân; Đảng ủy Khối khen thưởng 61 tập thể và 110 cá nhân;"
    )
    says(
        text,
        "Ban Chỉ đạo tỉnh khen thưởng 2 cá nhân",
        "đề nghị UBND tỉnh khen thưởng 1 cá nhân",
        "87/89 tổ chức cơ sở đảng (97,8%) có mô hình đăng ký",
        "Số lượt đăng ký tăng qua từng năm: 2.122 (2021), 2.318 (2022), 2.529 (2023).",
    )


def test_single_year_opens_with_nam():
    text = narrative(
        seed_summary(**{"from": 2022, "to": 2022, "by_year": [{"year": 2022, "registrations": 9}]})
    )
    assert text.startswith("Năm 2022, ")
    assert "tăng qua từng năm" not in text


def test_english_narrative_uses_english_number_formats():
    text = narrative(seed_summary(), lang="en")
    assert text.startswith(
        "In 2021-2023, the party branches and grassroots party committees registered 1,061"
    )
    assert "5,908 individuals" in text
    # the movement keeps its name, as on the English dashboard (title, filters, charts)
    says(
        text,
        '"Dân vận khéo (skilful mass mobilisation)" models',
        "67 of 89 grassroots party organisations (75.3%) held a commendation conference",
        "awarding 126 collectives and 156 individuals",
        "the bloc party committee awarded 61 collectives and 110 individuals",
        "1 individual was nominated to the provincial People's Committee",
        "Registrations grew every year: 2,122 (2021), 2,318 (2022), 2,529 (2023).",
    )


def empty_summary(**changes) -> dict:
    """A summary with nothing in it: no registration, no unit, no award."""
    return seed_summary(
        registrations={"total": 0, "collective": 0, "individual": 0},
        grassroots_units=0,
        units_with_registration=0,
        coverage_rate=None,
        units_with_conference=0,
        conference_rate=None,
        awards={"by_level": _levels()},
        nominations={"by_level": _levels()},
        by_year=[],
        **changes,
    )


def test_narrative_of_an_empty_scope_says_so():
    empty = empty_summary()
    assert narrative(empty) == (
        'Giai đoạn 2021-2023, các chi bộ, đảng bộ cơ sở chưa có tập thể, cá nhân nào đăng ký thực hiện mô hình "Dân vận khéo".'
    )
    assert narrative(empty, "en").startswith(
        "In 2021-2023, the party branches and grassroots party committees registered no"
    )


def test_a_unit_without_grassroots_units_in_the_period_has_no_figures():
    """The new committee of 2025 read as it was in 2021-2023: no unit under it yet."""
    empty = empty_summary(unit_name="Đảng bộ UBND tỉnh")
    assert narrative(empty).startswith(
        "Giai đoạn 2021-2023, Đảng bộ UBND tỉnh chưa có tổ chức cơ sở đảng nào hoạt động, nên chưa có số liệu"
    )
    assert "had no grassroots party organisation in operation" in narrative(empty, "en")


def test_unit_and_filters_appear_in_the_sentence():
    text = narrative(
        seed_summary(
            unit="DBK.01", unit_name="Đảng bộ Sở Tài chính", filters={"field": "Kinh tế", "movement": "QCDC"}
        )
    )
    assert text.startswith(
        'Giai đoạn 2021-2023, Đảng bộ Sở Tài chính có 1.061 tập thể và 5.908 cá nhân đăng ký thực hiện mô hình "QCDC" trong lĩnh vực Kinh tế;'
    )


def test_flat_years_are_not_called_growth():
    years = [{"year": 2021, "registrations": 5}, {"year": 2022, "registrations": 4}]
    assert "Số lượt đăng ký theo năm: 5 (2021), 4 (2022)." in narrative(seed_summary(by_year=years))


# --- narrative on figures computed from an imported database ------------------------------------------


@pytest.fixture(scope="module")
def summary_of_bloc(tmp_path_factory):
    with cursor(bloc().build(tmp_path_factory.mktemp("narrative"))) as cur:
        return figures.summary(cur, PERIOD)


def test_narrative_of_computed_figures(summary_of_bloc):
    text = narrative(summary_of_bloc)
    # 4 collective and 3 individual registrations; 1/3 grassroots units held a commendation
    # conference; 1 + 1 awards at Cơ sở; Đảng ủy Khối 1 collective; 1 individual nominated to UBND tỉnh
    assert text.startswith(
        "Giai đoạn 2021-2023, các chi bộ, đảng bộ cơ sở có 4 tập thể và 3 cá nhân đăng ký thực hiện"
        ' mô hình "Dân vận khéo"; có 1/3 chi bộ, đảng bộ cơ sở (33,3%) tổ chức hội nghị tuyên dương,'
        " khen thưởng cho 1 tập thể và 1 cá nhân; Đảng ủy Khối khen thưởng 1 tập thể;"
        " đề nghị UBND tỉnh khen thưởng 1 cá nhân."
    )
    says(
        text,
        "2/3 tổ chức cơ sở đảng (66,7%) có mô hình đăng ký",
        "20,0% lượt chi bộ trong năm đạt chỉ tiêu",
        "3 lượt đăng ký (42,9%) được công nhận",
        "Số lượt đăng ký theo năm: 2 (2021), 3 (2022), 2 (2023).",
    )
