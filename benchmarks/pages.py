"""What each dashboard page asks of the data layer for one set of filters (mirrors dashboard/pages)."""

from __future__ import annotations

from dataclasses import replace

from queries import figures, store


def _cur(con):
    return store.cursor_on(con)


def overview(con, f):
    """Tổng quan: summary for the period and the previous one, trend, field and movement breakdowns."""
    length = f.year_to - f.year_from + 1
    figures.summary(_cur(con), f)
    figures.summary(_cur(con), replace(f, year_from=f.year_from - length, year_to=f.year_to - length))
    figures.breakdown(_cur(con), f, "linh_vuc")
    figures.breakdown(_cur(con), f, "phong_trao")


def units(con, f):
    """Đơn vị: ranking of child units and the hierarchy."""
    figures.by_unit(_cur(con), f)
    figures.unit_tree(_cur(con), f)


def comparison(con, f):
    """So sánh giai đoạn: the period against the previous one of equal length."""
    length = f.year_to - f.year_from + 1
    b = replace(f, year_from=f.year_from - length, year_to=f.year_to - length)
    figures.compare(_cur(con), b, f)
    for by in ("linh_vuc", "doi_tuong"):
        figures.breakdown(_cur(con), f, by)
        figures.breakdown(_cur(con), b, by)
    figures.by_unit(_cur(con), f)
    figures.by_unit(_cur(con), b)


def awards(con, f):
    """Khen thưởng: awards by level, form, subject and year, with the summary."""
    figures.awards_breakdown(_cur(con), f)
    figures.summary(_cur(con), f)


PAGES = {"Tổng quan": overview, "Đơn vị": units, "So sánh": comparison, "Khen thưởng": awards}
