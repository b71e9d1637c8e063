"""What each dashboard page asks of the data layer for one set of filters, uncached.

Each function makes exactly the figures calls its page in dashboard/views/ makes through
dashboard/shared.py when a filter changes, in the same order and with the same arguments.
Look-ups that do not depend on the filters (the unit outline, the data's years, unit names) are
cached by the dashboard per database version and are left out.
"""

from __future__ import annotations

from dataclasses import replace

from queries import figures, store, vocab


def _cur(con):
    return store.cursor_on(con)


def _previous(f: figures.Filters) -> figures.Filters:
    """The period of equal length just before f's (dashboard.filters.previous_period)."""
    length = f.year_to - f.year_from + 1
    return replace(f, year_from=f.year_from - length, year_to=f.year_to - length)


def overview(con, f):
    """Tổng quan (views/overview.py): the summary for the period and for the comparison period
    (the previous one by default); its charts and narrative are drawn from the two summaries."""
    figures.summary(_cur(con), f)
    if f.year_from - (f.year_to - f.year_from + 1) >= vocab.YEAR_MIN:
        figures.summary(_cur(con), _previous(f))


def units(con, f):
    """Đơn vị (views/units.py): the child units' figures and the scope's unit tree."""
    figures.by_unit(_cur(con), f)
    figures.unit_tree(_cur(con), f)


def comparison(con, f):
    """So sánh giai đoạn (views/compare.py) with A = the period and B = the previous one: every
    figure (compare(A, B): A so với B), field and subject breakdowns of A then B, the child units of
    A and B."""
    a, b = f, _previous(f)
    figures.compare(_cur(con), a, b, lang="vi")
    for by in ("linh_vuc", "doi_tuong"):
        figures.breakdown(_cur(con), a, by)
        figures.breakdown(_cur(con), b, by)
    figures.by_unit(_cur(con), a)
    figures.by_unit(_cur(con), b)


def awards(con, f):
    """Khen thưởng (views/awards.py): the summary (cards, registrations per year) and awards by
    year, level, form, subject and status."""
    figures.summary(_cur(con), f)
    figures.awards_breakdown(_cur(con), f)


PAGES = {"Tổng quan": overview, "Đơn vị": units, "So sánh": comparison, "Khen thưởng": awards}
