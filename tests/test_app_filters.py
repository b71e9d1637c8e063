"""The filter helpers behind the sidebar and the URL: periods, presets, URL forms of labels."""

from __future__ import annotations

import pytest

from dashboard import filters
from queries import vocab


@pytest.mark.parametrize(
    "label, expected",
    [
        ("Văn hóa - xã hội", "van-hoa-xa-hoi"),
        ("Xây dựng hệ thống chính trị", "xay-dung-he-thong-chinh-tri"),
        ("Dân vận khéo", "dan-van-kheo"),
        ("QCDC", "qcdc"),
        ("Tập thể", "tap-the"),
        ("Điển hình", "dien-hinh"),
    ],
)
def test_slug_is_ascii_and_reversible(label, expected):
    assert filters.slug(label) == expected
    values = vocab.FIELDS + vocab.MOVEMENTS + vocab.SUBJECTS + vocab.KINDS
    assert filters.from_slug(expected, values) == label


def test_from_slug_accepts_loose_spellings_and_rejects_others():
    assert filters.from_slug("kinh te", vocab.FIELDS) == "Kinh tế"
    assert filters.from_slug("KINH-TE", vocab.FIELDS) == "Kinh tế"
    assert filters.from_slug("nonsense", vocab.FIELDS) is None


def test_every_label_has_a_distinct_slug():
    for values in (vocab.FIELDS, vocab.MOVEMENTS, vocab.SUBJECTS, vocab.KINDS):
        assert len({filters.slug(v) for v in values}) == len(values)


@pytest.mark.parametrize(
    "text, period",
    [
        ("2021-2023", (2021, 2023)),
        ("2023-2021", (2021, 2023)),
        ("2022", (2022, 2022)),
        (" 2018-2020 ", (2018, 2020)),
    ],
)
def test_parse_period(text, period):
    assert filters.parse_period(text) == period
    assert filters.parse_period(filters.dump_period(period)) == period


@pytest.mark.parametrize("text", [None, "", "abc", "21-23", "1800-1801", "2021-2023-2025"])
def test_parse_period_rejects(text):
    assert filters.parse_period(text) is None


def test_previous_period_has_equal_length():
    assert filters.previous_period((2021, 2023)) == (2018, 2020)
    assert filters.previous_period((2024, 2024)) == (2023, 2023)
    assert filters.previous_period((2021, 2025)) == (2016, 2020)


def test_presets_offer_the_phases_inside_the_range_then_each_year():
    years = list(range(2018, 2026))
    table = filters.presets(years)
    assert list(table)[:3] == ["2021-2025", "2021-2023", "2018-2020"]
    assert list(table)[3:] == [str(y) for y in range(2025, 2017, -1)]
    assert table["2021-2023"] == (2021, 2023)
    assert "2018-2020" not in filters.presets(list(range(2019, 2026)))


def test_default_period():
    assert filters.default_period(list(range(2018, 2025))) == (2021, 2023)
    assert filters.default_period(list(range(2015, 2019))) == (2016, 2018)
    assert filters.default_period([2024]) == (2024, 2024)


def test_period_label_in_both_languages():
    assert filters.period_label((2021, 2023), "vi") == "Giai đoạn 2021-2023"
    assert filters.period_label((2023, 2023), "vi") == "Năm 2023"
    assert filters.period_label((2021, 2023), "en") == "Phase 2021-2023"
