"""Properties of the figures on random small blocs (hypothesis), each imported through the real importer.

For every generated data set, period and scope: breakdowns sum to totals; the scope's registrations
equal its children's subtrees plus its own; rates lie in [0, 1] or are null; a trend's years add up
to the period; a comparison's change is B - A. A plain-Python oracle written from the definitions
re-derives the main counts from the generated rows.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.budget import examples
from support.builders import BLOC, BRANCH, COMMITTEE, GRASSROOTS_BRANCH, DataSet, cursor, draw_rows

from queries import figures, vocab
from queries.figures import Filters

YEARS = (2019, 2024)
SETTINGS = settings(
    max_examples=examples(10),  # each example is a real import: 40 under DVK_TEST_BUDGET=thorough
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _validity(draw) -> tuple[date | None, date | None]:
    start = draw(st.one_of(st.none(), st.integers(2017, 2024)))
    end = draw(st.one_of(st.none(), st.integers(start or 2017, 2025)))
    start_day = date(start, draw(st.integers(1, 12)), 1) if start else None
    end_day = date(end, draw(st.integers(1, 12)), 28) if end else None
    if start_day and end_day and end_day < start_day:
        end_day = start_day
    return start_day, end_day


@st.composite
def blocs(draw) -> dict:
    """A bloc K with grassroots units (some with branches), and rows of every table."""
    d = DataSet()
    d.unit("K", cap=BLOC)
    units = {"K": (None, BLOC, None, None)}
    for g in range(draw(st.integers(1, 4))):
        code = f"G{g}"
        start, end = _validity(draw)
        committee = draw(st.booleans())
        cap = COMMITTEE if committee else GRASSROOTS_BRANCH
        d.unit(code, "K", cap, start=start, end=end)
        units[code] = ("K", cap, start, end)
        for b in range(draw(st.integers(0, 3)) if committee else 0):
            child = f"{code}.{b}"
            c_start, c_end = _validity(draw)
            d.unit(child, code, BRANCH, start=c_start, end=c_end)
            units[child] = (code, BRANCH, c_start, c_end)
    codes = sorted(units)
    year = st.integers(*YEARS)
    draw_rows(draw, d, codes, year, registrations=25, score=st.one_of(st.none(), st.integers(0, 100)))
    pairs = draw(st.sets(st.tuples(st.sampled_from(codes), year), max_size=8))
    for code, y in sorted(pairs):
        d.size(code, y, members=draw(st.integers(0, 40)), staff=draw(st.integers(0, 150)))
    period = sorted([draw(year), draw(year)])
    scope = draw(st.one_of(st.none(), st.sampled_from(codes)))
    return {"data": d, "units": units, "period": period, "scope": scope}


# --- a plain-Python oracle from the definitions ----------------------------------------------------


def _subtree(units: dict, root: str | None) -> set[str]:
    if root is None:
        return set(units)
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for code, (up, *_rest) in units.items():
            if up == parent and code not in found:
                found.add(code)
                frontier.append(code)
    return found


def _active(unit: tuple, first: int, last: int) -> bool:
    _, _, start, end = unit
    return (start is None or start.year <= last) and (end is None or end.year >= first)


def oracle(case: dict) -> dict:
    units, (first, last), scope = case["units"], case["period"], case["scope"]
    inside = _subtree(units, scope)
    regs = [r for r in case["data"].registrations if r["ma_don_vi"] in inside and first <= r["nam"] <= last]
    # Years with data (DOMAIN.md section 4): a year counts when the database holds a registration
    # of it, anywhere; units are counted over the reported span, chi bộ-years in reported years only.
    reported = {r["nam"] for r in case["data"].registrations}
    years = [y for y in range(first, last + 1) if y in reported]
    grassroots = [
        c
        for c in inside
        if years and units[c][1] in vocab.GRASSROOTS_LEVELS and _active(units[c], years[0], years[-1])
    ]
    with_reg = [g for g in grassroots if any(r["ma_don_vi"] in _subtree(units, g) for r in regs)]
    branch_years = met = 0
    for code in inside:
        if units[code][1] not in vocab.BRANCH_LEVELS:
            continue
        below = _subtree(units, code)
        for y in years:
            if not _active(units[code], y, y):
                continue
            branch_years += 1
            movements = {r["phong_trao"] for r in regs if r["nam"] == y and r["ma_don_vi"] in below}
            met += movements >= {vocab.MOVEMENT_DVK, vocab.MOVEMENT_QCDC}
    awards = [
        a
        for a in case["data"].awards
        if a["ma_don_vi"] in inside and first <= a["nam"] <= last and a["trang_thai"] == vocab.STATUS_AWARDED
    ]
    return {
        "total": len(regs),
        "collective": sum(r["doi_tuong"] == vocab.SUBJECT_COLLECTIVE for r in regs),
        "recognised": sum(r["ket_qua"] in vocab.RECOGNISED_RESULTS for r in regs),
        "grassroots_units": len(grassroots),
        "units_with_registration": len(with_reg),
        "branch_years": branch_years,
        "met": met,
        "awards": len(awards),
    }


def _in_unit_interval(value) -> bool:
    return value is None or 0.0 <= value <= 1.0 + 1e-12


RATES = ("coverage_rate", "conference_rate", "target_compliance_rate", "recognition_rate", "attendance_rate")


@SETTINGS
@given(case=blocs())
def test_random_blocs(tmp_path_factory, case):
    db = case["data"].build(tmp_path_factory.mktemp("random"))
    f = Filters(*case["period"], unit=case["scope"])
    with cursor(db) as cur:
        s = figures.summary(cur, f, with_models=True)
        u = figures.by_unit(cur, f)
        t = figures.trend(cur, f)
        own = figures.breakdown(cur, f, "ma_don_vi")
        frames = {by: figures.breakdown(cur, f, by) for by in figures.BREAKDOWN_COLUMNS}

    # the figures agree with the oracle
    expected = oracle(case)
    regs = s["registrations"]
    assert regs["total"] == expected["total"]
    assert regs["collective"] == expected["collective"]
    assert s["recognised"] == expected["recognised"]
    assert s["grassroots_units"] == expected["grassroots_units"]
    assert s["units_with_registration"] == expected["units_with_registration"]
    assert (s["branch_years"], s["branch_years_meeting_target"]) == (
        expected["branch_years"],
        expected["met"],
    )
    assert s["awards"]["total"] == expected["awards"]

    # breakdowns sum to the totals
    assert regs["collective"] + regs["individual"] == regs["total"]
    for key in ("by_field", "by_movement", "by_kind", "by_subject", "by_result"):
        assert sum(regs[key].values()) == regs["total"], key
    for by, frame in frames.items():
        assert frame["registrations"].sum() == regs["total"], by
    awards = s["awards"]
    assert sum(v["collective"] + v["individual"] for v in awards["by_level"].values()) == awards["total"]
    assert sum(awards["by_form"].values()) == awards["total"]
    nominations = s["nominations"]
    assert (
        sum(v["collective"] + v["individual"] for v in nominations["by_level"].values())
        == nominations["total"]
    )
    assert s["models"]["carried_over"] + s["models"]["new"] == s["models"]["distinct"]

    # the scope's registrations (and awards) = its children's subtrees + the scope's own rows
    roots = own.filter(own["ma_don_vi"].is_in(list(_scope_roots(case))))
    if len(_scope_roots(case)) == 1:
        assert u["registrations"].sum() + roots["registrations"].sum() == regs["total"]
        assert u["collective"].sum() + roots["collective"].sum() == regs["collective"]
    else:  # several roots: the roots are the children and cover everything
        assert u["registrations"].sum() == regs["total"]
    assert u["awards"].sum() <= awards["total"]
    assert u["grassroots_units"].sum() == s["grassroots_units"] - _root_is_grassroots(case, f)

    # rates are fractions or null, everywhere
    for rate in RATES:
        assert _in_unit_interval(s[rate]), rate
        assert all(_in_unit_interval(v) for v in u[rate].to_list()), rate
        assert all(_in_unit_interval(v) for v in t[rate].to_list()), rate
    if regs["total"] == 0:
        assert s["recognition_rate"] is None
    if s["grassroots_units"] == 0:
        assert s["coverage_rate"] is None and s["conference_rate"] is None

    # a trend's years add up to the period for the additive figures
    for key in (
        "registrations",
        "collective",
        "individual",
        "recognised",
        "branch_years",
        "awards",
        "nominations",
    ):
        assert t[key].sum() == (regs["total"] if key == "registrations" else _period_value(s, key)), key
    assert t.height == f.year_to - f.year_from + 1


def _scope_roots(case: dict) -> set[str]:
    if case["scope"] is not None:
        return {case["scope"]}
    return {code for code, (up, *_rest) in case["units"].items() if up is None}


def _root_is_grassroots(case: dict, f: Filters) -> int:
    # a grassroots scope unit counts in the scope but in none of its children
    if case["scope"] is None:
        return 0
    unit = case["units"][case["scope"]]
    reported = {r["nam"] for r in case["data"].registrations}
    years = [y for y in range(f.year_from, f.year_to + 1) if y in reported]  # years with data
    return int(bool(years) and unit[1] in vocab.GRASSROOTS_LEVELS and _active(unit, years[0], years[-1]))


def _period_value(s: dict, key: str) -> int:
    return {
        "collective": s["registrations"]["collective"],
        "individual": s["registrations"]["individual"],
        "recognised": s["recognised"],
        "branch_years": s["branch_years"],
        "awards": s["awards"]["total"],
        "nominations": s["nominations"]["total"],
    }[key]


@SETTINGS
@given(case=blocs(), other=st.tuples(st.integers(*YEARS), st.integers(*YEARS)))
def test_comparison_change_is_a_minus_b(tmp_path_factory, case, other):
    db = case["data"].build(tmp_path_factory.mktemp("compare"))
    a = Filters(*case["period"], unit=case["scope"])
    b = a.with_period(min(other), max(other))
    with cursor(db) as cur:
        c = figures.compare(cur, a, b)
        sa, sb = figures.summary(cur, a), figures.summary(cur, b)
    both_reported = bool(sa["reported_years"]) and bool(sb["reported_years"])
    for row in c.iter_rows(named=True):
        if row["a"] is None or row["b"] is None or not both_reported:
            assert row["change"] is None and row["change_pct"] is None
            continue
        assert row["change"] == pytest.approx(row["a"] - row["b"])
        fig = figures.FIGURES_BY_KEY.get(row["figure"])
        if row["b"] == 0 or (fig is not None and fig.kind == figures.RATE):
            assert row["change_pct"] is None
        else:
            assert row["change_pct"] == pytest.approx((row["a"] - row["b"]) / row["b"])
    rows = {r["figure"]: r for r in c.iter_rows(named=True)}
    assert rows["registrations"]["a"] == sa["registrations"]["total"]
    assert rows["registrations"]["b"] == sb["registrations"]["total"]
    if sa["coverage_rate"] is not None:
        assert rows["coverage_rate"]["a"] == pytest.approx(sa["coverage_rate"], abs=1e-6)
