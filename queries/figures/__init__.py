"""The figures engine (DOMAIN.md section 4): scope, period and filters in, figures out as Polars frames.

Definitions as implemented (a *window* is the period, or one year of it in a trend; every figure of
a trend row is the figure computed for that single year):

* **Scope**: the unit `Filters.unit` and its whole subtree; with no unit, every root (a unit whose
  `ma_cap_tren` is empty or unknown) and their subtrees. Rows belong to the scope when their
  `ma_don_vi` is in the subtree; rows are never filtered by their unit's validity dates (a dissolved
  unit's past rows stay). A unit is *active* in a window when its validity range
  (`hieu_luc_tu`..`hieu_luc_den`, null = unbounded) overlaps it, compared by year.
* **Registrations**: rows of `dang_ky` in scope with `nam` in the window, under the filters (field,
  subject, movement, kind); split collective / individual, by field, kind, movement and result.
* **Models**: distinct non-empty `ma_mo_hinh` among those registrations. A model is *carried over*
  when the same code was registered in an earlier year too, anywhere in the database and whatever the
  filters (before that year in a trend row, before `year_from` for a period); the others are *new*.
* **Grassroots units**: units of the scope with `cap` Đảng bộ cơ sở or Chi bộ cơ sở, active in the window.
* **Coverage rate**: grassroots units with at least one registration (filtered) in the window in their
  own subtree / grassroots units.
* **Conference rate**: grassroots units whose subtree (the unit itself or a unit below it) held at
  least one "Tuyên dương, khen thưởng" conference in the window / grassroots units.
* **Target compliance**: over every (chi bộ, year) with the year in the window, the chi bộ (Chi bộ cơ sở
  or Chi bộ trực thuộc) in scope and active that year: the share with at least one Dân vận khéo and at
  least one QCDC registration in its subtree that year. The movement filter does not apply (the target
  is defined across both movements); field, subject and kind filters do.
* **Recognition rate**: registrations with result Được công nhận or Tiêu biểu / registrations.
* **Mean score**: mean of `diem` over the registrations that have one.
* **Staff / party members of a group in a year** (from `quy_mo`, values > 0 only): the sum of the
  reported values of the group's units, where a unit's value is left out when a unit above it (inside
  the group) reported that year too — a unit's headcount covers its whole organisation, so nothing is
  counted twice whether sizes are given per đảng bộ cơ sở, per chi bộ, or both.
* **Individual registrations per 100 staff**: sum over the window's years of individual registrations
  of units covered by a reported staff figure (the unit or a unit above it in the group reported that
  year) / sum over the years of the group's staff * 100. Years and units without staff data drop out
  of both sides. Null without staff data.
* **Collective registrations per grassroots unit**: collective registrations in the window / grassroots
  units active in the window (a phase figure, not per year).
* **Conferences**: conferences held in the window by units of the scope (all types), with the sums of
  their attendees (`so_nguoi_du`) and attending party members (`so_dang_vien_du`).
* **Attendance rate**: for each (holding unit, year) with k conferences reporting `so_dang_vien_du` and
  a party-member headcount m (its own `quy_mo`, else its units' as above), the unit's members are
  expected k times: attending = min(sum of so_dang_vien_du, k * m), expected = k * m; the rate is the
  sum of attending / the sum of expected over the scope. Units without a headcount drop out; the cap
  keeps an overstated row from pushing the rate above 1.
* **Awards**: `khen_thuong` rows in scope and window with status Đã khen thưởng, by level, form and
  subject; **nominations**: status Đề nghị. Only the subject filter applies to awards.
* Rates are fractions in [0, 1]; a zero denominator gives None (null), never an error. Changes are
  b - a (or this year - previous year); % changes are (b - a) / a, null when a is 0 or null.

Where things are (each module says more):

* `filters` (Filters, FiguresError), `catalogue` (the figures' keys and kinds), `frames` (shared
  expressions and column sets);
* `source` (the Source protocol, `open_source`, `use_source`, `answers_from`), `base` (the base
  tables), `agg_tables` and `aggregate` (the aggregate tables in memory); named SQL runs through
  `queries.named_sql`;
* `scalars` (every scalar figure from a source's counts), `period` (summary, trend, figures_table),
  `units` (by_unit, compliance_matrix, unit_tree), `breakdowns` (breakdown*, awards*,
  score_distribution), `comparison` (compare), `records` (records, count_records).
"""

from __future__ import annotations

from queries.figures.base import ADDITIVE, HEADCOUNTS, PATH_SEPARATOR, SCOPE_VIEW, SUBTREE_SUMS
from queries.figures.breakdowns import (
    awards_breakdown,
    awards_by_year,
    breakdown,
    breakdown_by_child,
    breakdown_by_year,
    score_distribution,
)
from queries.figures.catalogue import (
    BREAKDOWN_COLUMNS,
    COUNT,
    CUBE_COLUMNS,
    FIGURES,
    FIGURES_BY_KEY,
    NUMBER,
    RATE,
    RECORD_TABLES,
    Figure,
    figure_columns,
)
from queries.figures.comparison import compare
from queries.figures.filters import FiguresError, Filters, UnknownUnitError
from queries.figures.frames import COUNT_COLUMNS, SCOPE_GROUP, UNIT_ID
from queries.figures.period import Summary, figures_table, reported_years, summary, trend
from queries.figures.records import count_records, records
from queries.figures.scalars import model_figures, period_figures, unit_figures
from queries.figures.source import (
    SOURCE_NAMES,
    Source,
    answers_from,
    forget_aggregates,
    loaded_aggregates,
    open_source,
    use_source,
)
from queries.figures.units import by_unit, compliance_matrix, unit_tree
from queries.named_sql import SQL_DIR, Cursor, load_sql, run_numeric_sql, run_sql, sql_parameters

__all__ = [
    "ADDITIVE",
    "COUNT_COLUMNS",
    "HEADCOUNTS",
    "SCOPE_GROUP",
    "SQL_DIR",
    "SUBTREE_SUMS",
    "UNIT_ID",
    "run_numeric_sql",
    "BREAKDOWN_COLUMNS",
    "COUNT",
    "CUBE_COLUMNS",
    "FIGURES",
    "FIGURES_BY_KEY",
    "NUMBER",
    "PATH_SEPARATOR",
    "RATE",
    "RECORD_TABLES",
    "SCOPE_VIEW",
    "SOURCE_NAMES",
    "Cursor",
    "Figure",
    "Filters",
    "FiguresError",
    "Source",
    "Summary",
    "UnknownUnitError",
    "answers_from",
    "awards_breakdown",
    "awards_by_year",
    "breakdown",
    "breakdown_by_child",
    "breakdown_by_year",
    "by_unit",
    "compare",
    "compliance_matrix",
    "count_records",
    "figure_columns",
    "figures_table",
    "forget_aggregates",
    "load_sql",
    "loaded_aggregates",
    "model_figures",
    "open_source",
    "period_figures",
    "records",
    "reported_years",
    "run_sql",
    "score_distribution",
    "sql_parameters",
    "summary",
    "trend",
    "unit_figures",
    "unit_tree",
    "use_source",
]
