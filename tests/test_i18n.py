"""Translations: both languages say everything, every key the dashboard asks for exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from dashboard import i18n
from queries import labels, vocab

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def test_both_languages_have_the_same_keys():
    assert set(i18n.VI) - set(i18n.EN) == set()
    assert set(i18n.EN) - set(i18n.VI) == set()


def test_no_empty_text():
    for lang, table in i18n.STRINGS.items():
        assert [k for k, v in table.items() if not v.strip()] == [], lang


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_placeholders_match_between_languages():
    mismatched = {
        k: (_fields(i18n.VI[k]), _fields(i18n.EN[k]))
        for k in i18n.VI
        if _fields(i18n.VI[k]) != _fields(i18n.EN[k])
    }
    assert mismatched == {}


def test_every_key_used_by_the_dashboard_exists():
    used = set()
    for path in DASHBOARD.rglob("*.py"):
        used |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan found no t('...') calls"
    assert sorted(k for k in used - set(i18n.VI) if labels.label(k) is None) == []  # or the catalogue's


@pytest.mark.parametrize(
    "values",
    [
        vocab.UNIT_LEVELS,
        vocab.SUBJECTS,
        vocab.KINDS,
        vocab.MOVEMENTS,
        vocab.FIELDS,
        vocab.RESULTS,
        vocab.RECOGNITION_LEVELS,
        vocab.AWARD_FORMS,
        vocab.AWARD_LEVELS,
        vocab.AWARD_STATUSES,
        vocab.CONFERENCE_TYPES,
    ],
)
def test_every_stored_label_has_an_english_name(values):
    assert [v for v in values if v not in labels.VALUES_EN] == []


def test_every_template_column_has_a_label_in_both_languages():
    for table in vocab.TABLES:
        for column in table.columns:
            assert i18n.t(f"col.{column.alias}", "vi") == column.header
            assert column.alias in labels.COLUMNS_EN


def test_t_fills_fields_and_tv_translates_only_in_english():
    assert i18n.t("period.phase", "vi", a=2021, b=2023) == "Giai đoạn 2021-2023"
    assert i18n.t("period.phase", "en", a=2021, b=2023) == "Phase 2021-2023"
    assert i18n.t("page.overview", "en") == "Overview"
    assert i18n.tv("Kinh tế", "vi") == "Kinh tế"
    assert i18n.tv("Kinh tế", "en") == "Economy"
    assert i18n.tv("something new", "en") == "something new"
    assert i18n.tv(None, "en") == ""
