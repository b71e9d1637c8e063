"""The figures engine (DOMAIN.md section 4): scope, period and filters in, figures out as Polars frames.

How a call runs: the scope's subtree is resolved once in DuckDB (`sql/scope_units.sql`, a recursive
CTE) and registered on the cursor as `scope_units`; the named queries then push every group-by over
the big tables into DuckDB and return small frames (per unit and year, per year and label); Polars
turns those into figures. A summary is one scope query plus six small aggregate queries.

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
* **Attendance rate**: over the conferences in the window with `so_dang_vien_du` given and whose
  holding unit has a party-member headcount that year (its own `quy_mo`, else its units' as above):
  sum of min(attending members, members) / sum of members. A conference cannot be attended by more
  members than the unit has; overstated rows are capped.
* **Awards**: `khen_thuong` rows in scope and window with status Đã khen thưởng, by level, form and
  subject; **nominations**: status Đề nghị. Only the subject filter applies to awards.
* Rates are fractions in [0, 1]; a zero denominator gives None (null), never an error. Changes are
  b - a (or this year - previous year); % changes are (b - a) / a, null when a is 0 or null.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from queries import vocab

Cursor = duckdb.DuckDBPyConnection

SQL_DIR = Path(__file__).resolve().parent / "sql"
SCOPE_VIEW = "scope_units"
PATH_SEPARATOR = chr(31)  # joins the codes of a unit's path in scope_units.sql

# --- errors ------------------------------------------------------------------------------------


class FiguresError(ValueError):
    """A request the engine cannot answer (bad filters, unknown unit)."""


class UnknownUnitError(FiguresError):
    """The scope unit code is not in the database."""

    def __init__(self, code: str):
        super().__init__(f"unknown unit code: {code}")
        self.code = code


# --- filters -----------------------------------------------------------------------------------

_FILTER_COLUMNS = {
    "field": vocab.REGISTRATIONS.column("linh_vuc"),
    "subject": vocab.REGISTRATIONS.column("doi_tuong"),
    "movement": vocab.REGISTRATIONS.column("phong_trao"),
    "kind": vocab.REGISTRATIONS.column("loai"),
}


@dataclass(frozen=True)
class Filters:
    """What a figure is computed over: an inclusive period of years, a scope unit and optional filters.

    `unit=None` means the root (all roots when there are several). `field`, `subject`, `movement`
    and `kind` take the labels of `queries.vocab` (FIELDS, SUBJECTS, MOVEMENTS, KINDS); any spelling
    that `vocab.canonical_choice` accepts ("kinh te") is stored as the canonical label, and "" means
    no filter. Invalid values raise FiguresError (a ValueError).
    """

    year_from: int
    year_to: int
    unit: str | None = None
    field: str | None = None
    subject: str | None = None
    movement: str | None = None
    kind: str | None = None

    def __post_init__(self):
        for name in ("year_from", "year_to"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise FiguresError(f"{name} must be an integer year, got {value!r}")
            if not vocab.YEAR_MIN <= value <= vocab.YEAR_MAX:
                raise FiguresError(f"{name} must be between {vocab.YEAR_MIN} and {vocab.YEAR_MAX}")
        if self.year_from > self.year_to:
            raise FiguresError(f"year_from {self.year_from} is after year_to {self.year_to}")
        unit = (self.unit or "").strip() or None
        object.__setattr__(self, "unit", unit)
        for name, column in _FILTER_COLUMNS.items():
            raw = getattr(self, name)
            if raw is None or not str(raw).strip():
                object.__setattr__(self, name, None)
                continue
            label = vocab.canonical_choice(column, str(raw))
            if label is None:
                raise FiguresError(f"{name} must be one of {', '.join(column.choices)}; got {raw!r}")
            object.__setattr__(self, name, label)

    @property
    def years(self) -> list[int]:
        """The years of the period, in order."""
        return list(range(self.year_from, self.year_to + 1))

    @property
    def period_label(self) -> str:
        """'2021-2023', or '2022' for a single year."""
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}-{self.year_to}"

    def with_period(self, year_from: int, year_to: int) -> Filters:
        """The same scope and filters over another period."""
        return Filters(**{**asdict(self), "year_from": year_from, "year_to": year_to})

    def params(self) -> dict[str, object]:
        """Every value a named query may bind."""
        return {
            "unit": self.unit,
            "year_from": self.year_from,
            "year_to": self.year_to,
            "field": self.field,
            "subject": self.subject,
            "movement": self.movement,
            "kind": self.kind,
            "collective": vocab.SUBJECT_COLLECTIVE,
            "individual": vocab.SUBJECT_INDIVIDUAL,
            "recognised_results": list(vocab.RECOGNISED_RESULTS),
            "movement_dvk": vocab.MOVEMENT_DVK,
            "movement_qcdc": vocab.MOVEMENT_QCDC,
        }


# --- the figure catalogue ------------------------------------------------------------------------

COUNT, RATE, NUMBER = "count", "rate", "number"


@dataclass(frozen=True)
class Figure:
    """One scalar figure: its column name, labels and how it is written."""

    key: str
    label_vi: str
    label_en: str
    kind: str = COUNT

    def label(self, lang: str = "vi") -> str:
        """The label in this language."""
        return self.label_en if lang == "en" else self.label_vi


FIGURES: tuple[Figure, ...] = (
    Figure("registrations", "Lượt đăng ký", "Registrations"),
    Figure("collective", "Tập thể đăng ký", "Collective registrations"),
    Figure("individual", "Cá nhân đăng ký", "Individual registrations"),
    Figure("models", "Số mô hình (theo mã)", "Distinct models"),
    Figure("models_carried_over", "Mô hình chuyển tiếp", "Models carried over"),
    Figure("models_new", "Mô hình mới", "New models"),
    Figure("grassroots_units", "Tổ chức cơ sở đảng", "Grassroots units"),
    Figure("units_with_registration", "TCCSĐ có đăng ký", "Grassroots units with registrations"),
    Figure("coverage_rate", "Tỉ lệ TCCSĐ có đăng ký", "Coverage rate", RATE),
    Figure(
        "units_with_conference", "TCCSĐ tổ chức hội nghị tuyên dương", "Units with a commendation conference"
    ),
    Figure("conference_rate", "Tỉ lệ TCCSĐ tổ chức hội nghị tuyên dương", "Conference rate", RATE),
    Figure("branch_years", "Lượt chi bộ - năm", "Branch-years"),
    Figure(
        "branch_years_meeting_target", "Lượt chi bộ - năm đạt chỉ tiêu", "Branch-years meeting the target"
    ),
    Figure("target_compliance_rate", "Tỉ lệ đạt chỉ tiêu 1 DVK + 1 QCDC", "Target compliance rate", RATE),
    Figure("recognised", "Mô hình được công nhận", "Recognised registrations"),
    Figure("recognition_rate", "Tỉ lệ được công nhận", "Recognition rate", RATE),
    Figure("mean_score", "Điểm bình quân", "Mean score", NUMBER),
    Figure("staff", "Số người lao động", "Staff"),
    Figure(
        "individual_per_100_staff",
        "Cá nhân đăng ký / 100 người lao động",
        "Individuals per 100 staff",
        NUMBER,
    ),
    Figure(
        "collective_per_grassroots_unit", "Tập thể đăng ký / TCCSĐ", "Collectives per grassroots unit", NUMBER
    ),
    Figure("attendance_rate", "Tỉ lệ đảng viên dự hội nghị", "Party-member attendance rate", RATE),
    Figure("awards", "Khen thưởng", "Awards"),
    Figure("awards_collective", "Tập thể được khen thưởng", "Collectives awarded"),
    Figure("awards_individual", "Cá nhân được khen thưởng", "Individuals awarded"),
    Figure("nominations", "Đề nghị khen thưởng", "Nominations"),
)
FIGURES_BY_KEY = {fig.key: fig for fig in FIGURES}
RATE_KEYS = tuple(fig.key for fig in FIGURES if fig.kind == RATE)

BREAKDOWN_COLUMNS: dict[str, tuple[str, ...] | None] = {
    "doi_tuong": vocab.SUBJECTS,
    "linh_vuc": vocab.FIELDS,
    "loai": vocab.KINDS,
    "phong_trao": vocab.MOVEMENTS,
    "ket_qua": vocab.RESULTS,
    "ma_don_vi": None,  # zero-filled over the scope's units instead
}

RECORD_TABLES = ("dang_ky", "khen_thuong", "hoi_nghi")

# --- named SQL ---------------------------------------------------------------------------------

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@functools.cache
def load_sql(name: str) -> str:
    """The text of queries/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


@functools.cache
def sql_parameters(name: str) -> frozenset[str]:
    """The $named parameters a query uses (comments ignored)."""
    return frozenset(_PARAMETER.findall(_COMMENT.sub("", load_sql(name))))


def run_sql(cur: Cursor, name: str, params: Mapping[str, object]) -> pl.DataFrame:
    """Run a named query with exactly the parameters it uses, all bound."""
    return _relation(cur, name, params).pl()


def _relation(cur: Cursor, name: str, params: Mapping[str, object]) -> duckdb.DuckDBPyRelation:
    needed = sql_parameters(name)
    missing = needed - params.keys()
    if missing:
        raise KeyError(f"{name}.sql needs parameters {sorted(missing)}")
    return cur.sql(load_sql(name), params={k: params[k] for k in needed})


# --- the scope ---------------------------------------------------------------------------------


@dataclass
class _Context:
    """One request: the filters, the cursor with the scope registered, and the resolved units."""

    cur: Cursor
    f: Filters
    units: pl.DataFrame
    _cache: dict[str, pl.DataFrame] = field(default_factory=dict)

    @property
    def params(self) -> dict[str, object]:
        return self.f.params()

    def query(self, name: str) -> pl.DataFrame:
        """A named query over the registered scope, run at most once per request."""
        if name not in self._cache:
            self._cache[name] = run_sql(self.cur, name, self.params)
        return self._cache[name]

    @functools.cached_property
    def closure(self) -> pl.DataFrame:
        """(descendant, ancestor, anc_depth) for every unit and each of its ancestors-or-self in scope."""
        return (
            self.units.select(
                pl.col("ma_don_vi").alias("descendant"),
                pl.col("path").alias("ancestor"),
                pl.int_ranges(0, pl.col("path").list.len()).alias("anc_depth"),
            )
            .explode(["ancestor", "anc_depth"])
            .with_columns(pl.col("anc_depth").cast(pl.Int64))
        )

    @property
    def roots(self) -> pl.DataFrame:
        return self.units.filter(pl.col("depth") == 0)

    @property
    def single_root(self) -> bool:
        return self.roots.height == 1


@contextlib.contextmanager
def _open(cur: Cursor, f: Filters) -> Iterator[_Context]:
    """Resolve the scope once, register it on the cursor for the named queries, and clean up."""
    units = (
        run_sql(cur, "scope_units", f.params())
        .with_columns(
            pl.col("path").alias("path_key"),
            pl.col("path").str.split(PATH_SEPARATOR),
            pl.col("depth").cast(pl.Int64),
            pl.col("first_year").cast(pl.Int64),
            pl.col("last_year").cast(pl.Int64),
        )
        .sort("path_key")
    )
    if f.unit is not None and units.is_empty():
        raise UnknownUnitError(f.unit)
    cur.register(SCOPE_VIEW, units.select("ma_don_vi").to_arrow())
    try:
        yield _Context(cur, f, units)
    finally:
        cur.unregister(SCOPE_VIEW)


# --- building blocks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grouping:
    """Which group each unit's rows count towards, and the depth of the groups' top units."""

    unit_groups: pl.DataFrame  # ma_don_vi, group
    root_depth: int


def _grouping(ctx: _Context, per: str) -> _Grouping:
    """per='scope': the whole scope is one group ''; per='child': one group per child unit of the scope.

    With several roots and no unit, the children of the scope are the roots themselves.
    """
    if per == "scope":
        groups = ctx.units.select("ma_don_vi", pl.lit("").alias("group"))
        return _Grouping(groups, 0)
    depth = 1 if ctx.single_root else 0
    groups = ctx.units.select(
        "ma_don_vi", pl.col("path").list.get(depth, null_on_oob=True).alias("group")
    ).drop_nulls("group")
    return _Grouping(groups, depth)


def _year_windows(f: Filters, by_year: bool) -> pl.DataFrame:
    """nam -> window (the window's first year), with each window's bounds y0..y1."""
    years = f.years
    return pl.DataFrame(
        {
            "nam": years,
            "window": years if by_year else [f.year_from] * len(years),
            "y0": years if by_year else [f.year_from] * len(years),
            "y1": years if by_year else [f.year_to] * len(years),
        },
        schema={"nam": pl.Int64, "window": pl.Int64, "y0": pl.Int64, "y1": pl.Int64},
    )


def _active_between(lo: pl.Expr, hi: pl.Expr) -> pl.Expr:
    """A unit whose validity years overlap lo..hi."""
    return (pl.col("first_year").is_null() | (pl.col("first_year") <= hi)) & (
        pl.col("last_year").is_null() | (pl.col("last_year") >= lo)
    )


def _ratio(num: str, den: str, scale: float = 1.0) -> pl.Expr:
    """num / den * scale, null when den is 0 or null."""
    return (
        pl.when(pl.col(den) > 0)
        .then(pl.col(num).cast(pl.Float64) / pl.col(den) * scale)
        .otherwise(None)
        .cast(pl.Float64)
    )


def _subtree_hits(closure: pl.LazyFrame, unit_windows: pl.LazyFrame) -> pl.LazyFrame:
    """(ma_don_vi, window) for every unit with a hit (a row of unit_windows) in its own subtree."""
    return (
        unit_windows.join(closure, left_on="ma_don_vi", right_on="descendant")
        .select(pl.col("ancestor").alias("ma_don_vi"), "window")
        .unique()
    )


def _headcounts(units: pl.LazyFrame, closure: pl.LazyFrame, sizes: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """(ma_don_vi, nam, headcount): each unit's size in a year, counted without double counting.

    A unit's headcount is its own reported value, else the sum of the values reported below it by
    units with no reporting unit between them and it.
    """
    reported = (
        sizes.filter(pl.col(column) > 0)
        .select(pl.col("ma_don_vi").alias("descendant"), "nam", pl.col(column).cast(pl.Int64).alias("value"))
        .join(units.select(pl.col("ma_don_vi").alias("descendant"), "depth"), on="descendant")
    )
    shadow = (
        reported.join(closure, on="descendant")
        .filter(pl.col("anc_depth") < pl.col("depth"))
        .join(
            reported.select(pl.col("descendant").alias("ancestor"), "nam"),
            on=["ancestor", "nam"],
            how="semi",
        )
        .group_by("descendant", "nam")
        .agg(pl.col("anc_depth").max().alias("shadow_depth"))
    )
    return (
        reported.join(shadow, on=["descendant", "nam"], how="left")
        .with_columns(pl.col("shadow_depth").fill_null(-1))
        .join(closure, on="descendant")
        .filter(pl.col("shadow_depth") < pl.col("anc_depth"))
        .group_by(pl.col("ancestor").alias("ma_don_vi"), "nam")
        .agg(pl.col("value").sum().alias("headcount"))
    )


def _branch_movements(closure: pl.LazyFrame, regs: pl.LazyFrame) -> pl.LazyFrame:
    """(ma_don_vi, nam, n_dvk, n_qcdc): DVK and QCDC registrations in each unit's subtree per year."""
    return (
        regs.join(closure, left_on="ma_don_vi", right_on="descendant")
        .group_by(pl.col("ancestor").alias("ma_don_vi"), "nam")
        .agg(pl.col("n_dvk").sum(), pl.col("n_qcdc").sum())
    )


def _unit_figures(ctx: _Context, per: str, by_year: bool) -> pl.DataFrame:
    """Every unit-based figure per (group, window): see the module docstring for the definitions.

    Built as one lazy query over the small frames the named SQL returned, collected once.
    """
    grouping = _grouping(ctx, per)
    unit_groups = grouping.unit_groups.lazy()
    units = ctx.units.lazy()
    closure = ctx.closure.lazy()
    year_windows = _year_windows(ctx.f, by_year).lazy()
    nam_window = year_windows.select("nam", "window")
    windows = year_windows.select("window", "y0", "y1").unique()
    reg_units = ctx.query("registration_units").lazy().with_columns(pl.col("nam").cast(pl.Int64))
    conferences = ctx.query("conferences").lazy().with_columns(pl.col("nam").cast(pl.Int64))
    sizes = ctx.query("unit_sizes").lazy().with_columns(pl.col("nam").cast(pl.Int64))
    award_rows = ctx.query("award_counts").lazy().with_columns(pl.col("nam").cast(pl.Int64))
    keys = ["group", "window"]
    base = unit_groups.select("group").unique().join(windows.select("window"), how="cross")

    # registrations
    regs = reg_units.join(unit_groups, on="ma_don_vi").join(nam_window, on="nam")
    # each unit's totals per window: the closure joins below run on these few rows
    regs_by_window = regs.group_by("ma_don_vi", "group", "window").agg(
        pl.col(
            "n_registrations", "n_collective", "n_individual", "n_recognised", "n_scored", "sum_score"
        ).sum()
    )
    registrations = regs_by_window.group_by(keys).agg(
        pl.col("n_registrations").sum().alias("registrations"),
        pl.col("n_collective").sum().alias("collective"),
        pl.col("n_individual").sum().alias("individual"),
        pl.col("n_recognised").sum().alias("recognised"),
        pl.col("n_scored").sum(),
        pl.col("sum_score").sum(),
    )

    # grassroots units, coverage, conferences (each unit's own subtree)
    grassroots = (
        units.filter(pl.col("cap").is_in(vocab.GRASSROOTS_LEVELS))
        .join(unit_groups, on="ma_don_vi")
        .join(windows, how="cross")
        .filter(_active_between(pl.col("y0"), pl.col("y1")))
        .select("ma_don_vi", "group", "window")
    )
    grassroots_closure = closure.join(
        units.filter(pl.col("cap").is_in(vocab.GRASSROOTS_LEVELS)).select(
            pl.col("ma_don_vi").alias("ancestor")
        ),
        on="ancestor",
        how="semi",
    )
    with_registration = _subtree_hits(
        grassroots_closure, regs_by_window.filter(pl.col("n_registrations") > 0).select("ma_don_vi", "window")
    ).with_columns(pl.lit(True).alias("has_registration"))
    with_conference = _subtree_hits(
        grassroots_closure,
        conferences.filter(pl.col("loai_hoi_nghi") == vocab.CONFERENCE_COMMENDATION)
        .join(nam_window, on="nam")
        .select("ma_don_vi", "window")
        .unique(),
    ).with_columns(pl.lit(True).alias("has_conference"))
    grassroots_counts = (
        grassroots.join(with_registration, on=["ma_don_vi", "window"], how="left")
        .join(with_conference, on=["ma_don_vi", "window"], how="left")
        .group_by(keys)
        .agg(
            pl.len().alias("grassroots_units"),
            pl.col("has_registration").fill_null(False).sum().alias("units_with_registration"),
            pl.col("has_conference").fill_null(False).sum().alias("units_with_conference"),
        )
    )

    # target compliance over (chi bộ, year) pairs
    branch_closure = closure.join(
        units.filter(pl.col("cap").is_in(vocab.BRANCH_LEVELS)).select(pl.col("ma_don_vi").alias("ancestor")),
        on="ancestor",
        how="semi",
    )
    compliance = (
        units.filter(pl.col("cap").is_in(vocab.BRANCH_LEVELS))
        .join(unit_groups, on="ma_don_vi")
        .join(year_windows, how="cross")
        .filter(_active_between(pl.col("nam"), pl.col("nam")))
        .join(_branch_movements(branch_closure, reg_units), on=["ma_don_vi", "nam"], how="left")
        .with_columns(
            ((pl.col("n_dvk").fill_null(0) > 0) & (pl.col("n_qcdc").fill_null(0) > 0)).alias("meets")
        )
        .group_by(keys)
        .agg(pl.len().alias("branch_years"), pl.col("meets").sum().alias("branch_years_meeting_target"))
    )

    # staff and individual registrations per 100 staff
    group_roots = unit_groups.join(
        units.filter(pl.col("depth") == grouping.root_depth).select("ma_don_vi"), on="ma_don_vi"
    )
    staff = (
        _headcounts(units, closure, sizes, "so_nguoi_lao_dong")
        .join(group_roots, on="ma_don_vi")
        .join(nam_window, on="nam")
        .group_by(keys)
        .agg(pl.col("headcount").sum().alias("staff"))
    )
    covered = (
        sizes.filter(pl.col("so_nguoi_lao_dong") > 0)
        .select(pl.col("ma_don_vi").alias("ancestor"), "nam")
        .join(closure, on="ancestor")
        .filter(pl.col("anc_depth") >= grouping.root_depth)
        .select(pl.col("descendant").alias("ma_don_vi"), "nam")
        .unique()
    )
    covered_individual = (
        regs.filter(pl.col("n_individual") > 0)
        .join(covered, on=["ma_don_vi", "nam"])
        .group_by(keys)
        .agg(pl.col("n_individual").sum().alias("individual_covered"))
    )

    # party-member attendance at conferences
    attendance = (
        conferences.filter(pl.col("so_dang_vien_du").is_not_null())
        .join(_headcounts(units, closure, sizes, "so_dang_vien"), on=["ma_don_vi", "nam"])
        .join(unit_groups, on="ma_don_vi")
        .join(nam_window, on="nam")
        .group_by(keys)
        .agg(
            pl.min_horizontal("so_dang_vien_du", "headcount").sum().alias("members_attending"),
            pl.col("headcount").sum().alias("members_invited"),
        )
    )

    # awards and nominations
    awarded = pl.col("trang_thai") == vocab.STATUS_AWARDED
    awards = (
        award_rows.join(unit_groups, on="ma_don_vi")
        .join(nam_window, on="nam")
        .group_by(keys)
        .agg(
            pl.col("n_awards").filter(awarded).sum().alias("awards"),
            pl.col("n_awards")
            .filter(awarded & (pl.col("doi_tuong") == vocab.SUBJECT_COLLECTIVE))
            .sum()
            .alias("awards_collective"),
            pl.col("n_awards")
            .filter(awarded & (pl.col("doi_tuong") == vocab.SUBJECT_INDIVIDUAL))
            .sum()
            .alias("awards_individual"),
            pl.col("n_awards")
            .filter(pl.col("trang_thai") == vocab.STATUS_NOMINATED)
            .sum()
            .alias("nominations"),
        )
    )

    out = base
    for part in (registrations, grassroots_counts, compliance, staff, covered_individual, attendance, awards):
        out = out.join(part, on=keys, how="left")
    counts = [
        "registrations", "collective", "individual", "recognised", "n_scored",
        "grassroots_units", "units_with_registration", "units_with_conference",
        "branch_years", "branch_years_meeting_target", "staff", "individual_covered",
        "members_attending", "members_invited", "awards", "awards_collective", "awards_individual", "nominations",
    ]  # fmt: skip
    return (
        out.with_columns(pl.col(counts).fill_null(0).cast(pl.Int64), pl.col("sum_score").fill_null(0.0))
        .with_columns(
            _ratio("units_with_registration", "grassroots_units").alias("coverage_rate"),
            _ratio("units_with_conference", "grassroots_units").alias("conference_rate"),
            _ratio("branch_years_meeting_target", "branch_years").alias("target_compliance_rate"),
            _ratio("recognised", "registrations").alias("recognition_rate"),
            _ratio("sum_score", "n_scored").alias("mean_score"),
            _ratio("individual_covered", "staff", 100.0).alias("individual_per_100_staff"),
            _ratio("collective", "grassroots_units").alias("collective_per_grassroots_unit"),
            _ratio("members_attending", "members_invited").alias("attendance_rate"),
        )
        .sort(keys)
        .collect()
    )


def _models(ctx: _Context, by_year: bool) -> pl.DataFrame:
    """[nam,] models, models_carried_over, models_new: per year, or one row for the whole period."""
    frame = ctx.query("models_by_year" if by_year else "models_period")
    return frame.select(
        *([pl.col("nam").cast(pl.Int64)] if by_year else []),
        pl.col("n_models").cast(pl.Int64).alias("models"),
        pl.col("n_models_carried_over").cast(pl.Int64).alias("models_carried_over"),
        (pl.col("n_models") - pl.col("n_models_carried_over")).cast(pl.Int64).alias("models_new"),
    )


def _figure_columns() -> list[str]:
    return [fig.key for fig in FIGURES]


def _period_figures(ctx: _Context) -> dict[str, object]:
    """Every scalar figure of the scope over the whole period."""
    row = _unit_figures(ctx, "scope", by_year=False).row(0, named=True)
    row.update(_models(ctx, by_year=False).row(0, named=True))
    return {key: row[key] for key in _figure_columns()}


def _zero_filled(frame: pl.DataFrame, column: str, labels: tuple[str, ...], value: str) -> dict[str, int]:
    counts = dict(zip(frame[column].to_list(), frame[value].to_list(), strict=True)) if frame.height else {}
    return {label: int(counts.get(label, 0) or 0) for label in labels}


def _cube_counts(cube: pl.DataFrame, column: str, labels: tuple[str, ...]) -> dict[str, int]:
    totals = cube.group_by(column).agg(pl.col("n_registrations").sum())
    return _zero_filled(totals, column, labels, "n_registrations")


def _level_split(awards: pl.DataFrame, status: str) -> dict[str, dict[str, int]]:
    rows = awards.filter(pl.col("trang_thai") == status)
    out = {}
    for level in vocab.AWARD_LEVELS:
        at_level = rows.filter(pl.col("cap_khen_thuong") == level)
        out[level] = {
            "collective": int(
                at_level.filter(pl.col("doi_tuong") == vocab.SUBJECT_COLLECTIVE)["n_awards"].sum()
            ),
            "individual": int(
                at_level.filter(pl.col("doi_tuong") == vocab.SUBJECT_INDIVIDUAL)["n_awards"].sum()
            ),
        }
    return out


def _award_totals(awards: pl.DataFrame, status: str) -> dict[str, object]:
    rows = awards.filter(pl.col("trang_thai") == status)
    collective = int(rows.filter(pl.col("doi_tuong") == vocab.SUBJECT_COLLECTIVE)["n_awards"].sum())
    individual = int(rows.filter(pl.col("doi_tuong") == vocab.SUBJECT_INDIVIDUAL)["n_awards"].sum())
    forms = rows.group_by("hinh_thuc").agg(pl.col("n_awards").sum())
    return {
        "total": collective + individual,
        "collective": collective,
        "individual": individual,
        "by_level": _level_split(awards, status),
        "by_form": _zero_filled(forms, "hinh_thuc", vocab.AWARD_FORMS, "n_awards"),
    }


def _round(value: object, digits: int = 6) -> object:
    return round(value, digits) if isinstance(value, float) else value


# --- the public API ----------------------------------------------------------------------------


def summary(cur: Cursor, f: Filters) -> dict:
    """The headline figures of one scope and period as a JSON-ready dict (rates rounded to 6 digits)."""
    with _open(cur, f) as ctx:
        figures = _period_figures(ctx)
        cube = ctx.query("registration_cube")
        awards = ctx.query("award_counts")
        unit_name = None
        if f.unit is not None:
            unit_name = ctx.roots["ten_don_vi"][0]
        by_year_regs = cube.group_by("nam").agg(
            pl.col("n_registrations").sum().alias("registrations"),
            pl.col("n_registrations")
            .filter(pl.col("doi_tuong") == vocab.SUBJECT_COLLECTIVE)
            .sum()
            .alias("collective"),
            pl.col("n_registrations")
            .filter(pl.col("doi_tuong") == vocab.SUBJECT_INDIVIDUAL)
            .sum()
            .alias("individual"),
        )
        by_year_awards = awards.group_by("nam").agg(
            pl.col("n_awards").filter(pl.col("trang_thai") == vocab.STATUS_AWARDED).sum().alias("awards"),
            pl.col("n_awards")
            .filter(pl.col("trang_thai") == vocab.STATUS_NOMINATED)
            .sum()
            .alias("nominations"),
        )
        by_year = (
            pl.DataFrame({"nam": f.years}, schema={"nam": pl.Int64})
            .join(by_year_regs.with_columns(pl.col("nam").cast(pl.Int64)), on="nam", how="left")
            .join(by_year_awards.with_columns(pl.col("nam").cast(pl.Int64)), on="nam", how="left")
            .fill_null(0)
            .sort("nam")
        )
        nominations = _award_totals(awards, vocab.STATUS_NOMINATED)
        del nominations["by_form"]
        result = {
            "from": f.year_from,
            "to": f.year_to,
            "unit": f.unit,
            "unit_name": unit_name,
            "filters": {"field": f.field, "subject": f.subject, "movement": f.movement, "kind": f.kind},
            "registrations": {
                "total": figures["registrations"],
                "collective": figures["collective"],
                "individual": figures["individual"],
                "by_field": _cube_counts(cube, "linh_vuc", vocab.FIELDS),
                "by_movement": _cube_counts(cube, "phong_trao", vocab.MOVEMENTS),
                "by_kind": _cube_counts(cube, "loai", vocab.KINDS),
                "by_subject": _cube_counts(cube, "doi_tuong", vocab.SUBJECTS),
                "by_result": _cube_counts(cube, "ket_qua", vocab.RESULTS),
            },
            "models": {
                "distinct": figures["models"],
                "carried_over": figures["models_carried_over"],
                "new": figures["models_new"],
            },
            "grassroots_units": figures["grassroots_units"],
            "units_with_registration": figures["units_with_registration"],
            "coverage_rate": _round(figures["coverage_rate"]),
            "units_with_conference": figures["units_with_conference"],
            "conference_rate": _round(figures["conference_rate"]),
            "branch_years": figures["branch_years"],
            "branch_years_meeting_target": figures["branch_years_meeting_target"],
            "target_compliance_rate": _round(figures["target_compliance_rate"]),
            "recognised": figures["recognised"],
            "recognition_rate": _round(figures["recognition_rate"]),
            "mean_score": _round(figures["mean_score"]),
            "per_capita": {
                "staff": figures["staff"],
                "individual_per_100_staff": _round(figures["individual_per_100_staff"]),
                "collective_per_grassroots_unit": _round(figures["collective_per_grassroots_unit"]),
            },
            "attendance_rate": _round(figures["attendance_rate"]),
            "awards": _award_totals(awards, vocab.STATUS_AWARDED),
            "nominations": nominations,
            "by_year": [
                {
                    "year": row["nam"],
                    "registrations": int(row["registrations"]),
                    "collective": int(row["collective"]),
                    "individual": int(row["individual"]),
                    "awards": int(row["awards"]),
                    "nominations": int(row["nominations"]),
                }
                for row in by_year.iter_rows(named=True)
            ],
        }
    return result


def _with_changes(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Add <col>_change (this row - previous row) and <col>_change_pct (change / previous)."""
    exprs = []
    for col in columns:
        prev = pl.col(col).shift(1)
        change = pl.col(col) - prev
        exprs.append(change.alias(f"{col}_change"))
        exprs.append(
            pl.when(prev.is_not_null() & (prev != 0))
            .then(change.cast(pl.Float64) / prev)
            .otherwise(None)
            .cast(pl.Float64)
            .alias(f"{col}_change_pct")
        )
    return frame.with_columns(exprs)


def trend(cur: Cursor, f: Filters) -> pl.DataFrame:
    """One row per year of the period: every figure, plus <fig>_change and <fig>_change_pct.

    Each year's figures are the figures of that single year; the first year's changes are null.
    """
    with _open(cur, f) as ctx:
        per_year = _unit_figures(ctx, "scope", by_year=True).rename({"window": "nam"})
        models = _models(ctx, by_year=True)
        frame = (
            per_year.join(models, on="nam", how="left")
            .with_columns(pl.col("models", "models_carried_over", "models_new").fill_null(0))
            .select("nam", *_figure_columns())
            .sort("nam")
        )
    return _with_changes(frame, _figure_columns())


def by_unit(cur: Cursor, f: Filters) -> pl.DataFrame:
    """One row per child unit of the scope, each child's whole subtree aggregated over the period.

    Children are the units right below the scope unit (the roots themselves when no unit is given
    and there are several roots). A child is listed when it was active in the period or has any
    registration, award or conference in it. `below_target` is true when some (chi bộ, year) of its
    subtree missed the 1 DVK + 1 QCDC target (null when it has no chi bộ active in the period).
    Models are scope-wide only and not broken down per unit.
    """
    with _open(cur, f) as ctx:
        figures = _unit_figures(ctx, "child", by_year=False).drop("window")
        depth = 1 if ctx.single_root else 0
        children = ctx.units.filter(pl.col("depth") == depth).select(
            "ma_don_vi", "ten_don_vi", "cap", "is_active", "path_key"
        )
        conferences = (
            _subtree_hits(
                ctx.closure.lazy(),
                ctx.query("conferences").lazy().select("ma_don_vi", pl.lit(0).alias("window")),
            )
            .select("ma_don_vi", pl.lit(True).alias("has_conference_rows"))
            .collect()
        )
    frame = (
        children.join(figures, left_on="ma_don_vi", right_on="group", how="left")
        .join(conferences, on="ma_don_vi", how="left")
        .filter(
            pl.col("is_active")
            | (pl.col("registrations") > 0)
            | (pl.col("awards") + pl.col("nominations") > 0)
            | pl.col("has_conference_rows").fill_null(False)
        )
        .with_columns(
            pl.when(pl.col("branch_years") > 0)
            .then(pl.col("branch_years_meeting_target") < pl.col("branch_years"))
            .otherwise(None)
            .alias("below_target")
        )
        .sort("path_key")
    )
    unit_keys = [k for k in _figure_columns() if not k.startswith("models")]
    return frame.select("ma_don_vi", "ten_don_vi", "cap", "is_active", *unit_keys, "below_target")


def _compare_rows(cur: Cursor, f: Filters, lang: str) -> list[tuple[str, str, object]]:
    """(figure, label, value) for every comparable figure of one period."""
    s = summary(cur, f)
    with _open(cur, f) as ctx:
        figures = _period_figures(ctx)
    rows = [(fig.key, fig.label(lang), figures[fig.key]) for fig in FIGURES]
    word = "Đăng ký" if lang != "en" else "Registrations"
    for group, title in (
        ("by_field", "lĩnh vực" if lang != "en" else "field"),
        ("by_movement", "phong trào" if lang != "en" else "movement"),
        ("by_kind", "loại" if lang != "en" else "kind"),
    ):
        for label, value in s["registrations"][group].items():
            rows.append((f"registrations.{group}.{label}", f"{word} - {title} {label}", value))
    award_word = "Khen thưởng" if lang != "en" else "Awards"
    for level, split in s["awards"]["by_level"].items():
        rows.append(
            (f"awards.by_level.{level}", f"{award_word} - {level}", split["collective"] + split["individual"])
        )
    return rows


def compare(cur: Cursor, a: Filters, b: Filters, lang: str = "vi") -> pl.DataFrame:
    """Every figure for A and B side by side: figure, label, a, b, change (= b - a), change_pct (/ a)."""
    rows_a = _compare_rows(cur, a, lang)
    rows_b = _compare_rows(cur, b, lang)
    figure, label, va, vb, change, pct = [], [], [], [], [], []
    for (key, lab, x), (_, _, y) in zip(rows_a, rows_b, strict=True):
        figure.append(key)
        label.append(lab)
        va.append(None if x is None else float(x))
        vb.append(None if y is None else float(y))
        delta = None if x is None or y is None else float(y) - float(x)
        change.append(delta)
        pct.append(None if delta is None or not x else delta / float(x))
    return pl.DataFrame(
        {"figure": figure, "label": label, "a": va, "b": vb, "change": change, "change_pct": pct},
        schema={
            "figure": pl.String,
            "label": pl.String,
            "a": pl.Float64,
            "b": pl.Float64,
            "change": pl.Float64,
            "change_pct": pl.Float64,
        },
    )


def breakdown(cur: Cursor, f: Filters, by: str) -> pl.DataFrame:
    """Registrations counted by one column, zero-filled over all its canonical labels.

    `by` is doi_tuong, linh_vuc, loai, phong_trao, ket_qua or ma_don_vi. Columns: <by> (for
    ma_don_vi also ten_don_vi, cap), registrations, collective, individual, recognised, share.
    For ma_don_vi the rows are every unit of the scope and count the unit's own rows (not its subtree).
    """
    if by not in BREAKDOWN_COLUMNS:
        raise FiguresError(f"cannot break down by {by!r}; choose one of {', '.join(BREAKDOWN_COLUMNS)}")
    with _open(cur, f) as ctx:
        if by == "ma_don_vi":
            counts = (
                ctx.query("registration_units")
                .group_by("ma_don_vi")
                .agg(
                    pl.col("n_registrations").sum().alias("registrations"),
                    pl.col("n_collective").sum().alias("collective"),
                    pl.col("n_individual").sum().alias("individual"),
                    pl.col("n_recognised").sum().alias("recognised"),
                )
            )
            labels = ctx.units.sort("path_key").select("ma_don_vi", "ten_don_vi", "cap")
        else:
            cube = ctx.query("registration_cube")
            counts = cube.group_by(by).agg(
                pl.col("n_registrations").sum().alias("registrations"),
                pl.col("n_registrations")
                .filter(pl.col("doi_tuong") == vocab.SUBJECT_COLLECTIVE)
                .sum()
                .alias("collective"),
                pl.col("n_registrations")
                .filter(pl.col("doi_tuong") == vocab.SUBJECT_INDIVIDUAL)
                .sum()
                .alias("individual"),
                pl.col("n_registrations")
                .filter(pl.col("ket_qua").is_in(vocab.RECOGNISED_RESULTS))
                .sum()
                .alias("recognised"),
            )
            labels = pl.DataFrame({by: list(BREAKDOWN_COLUMNS[by])}, schema={by: pl.String})
    numbers = ["registrations", "collective", "individual", "recognised"]
    out = labels.join(counts, on=by, how="left").with_columns(pl.col(numbers).fill_null(0).cast(pl.Int64))
    total = out["registrations"].sum()
    return out.with_columns(
        (pl.col("registrations") / total if total else pl.lit(None, dtype=pl.Float64)).alias("share")
    )


def awards_breakdown(cur: Cursor, f: Filters) -> pl.DataFrame:
    """Awards and nominations counted by year, level, form, subject and status, zero-filled.

    Columns: nam, cap_khen_thuong, hinh_thuc, doi_tuong, trang_thai, n_awards (every combination of
    the period's years and the canonical labels, so a chart can pivot without gaps).
    """
    with _open(cur, f) as ctx:
        counts = ctx.query("award_counts")
    dims = ["nam", "cap_khen_thuong", "hinh_thuc", "doi_tuong", "trang_thai"]
    subjects = (f.subject,) if f.subject else vocab.SUBJECTS
    grid = pl.DataFrame(
        list(
            itertools.product(f.years, vocab.AWARD_LEVELS, vocab.AWARD_FORMS, subjects, vocab.AWARD_STATUSES)
        ),
        schema={"nam": pl.Int64, **{d: pl.String for d in dims[1:]}},
        orient="row",
    )
    totals = counts.group_by(dims).agg(pl.col("n_awards").sum()).with_columns(pl.col("nam").cast(pl.Int64))
    return (
        grid.join(totals, on=dims, how="left")
        .with_columns(pl.col("n_awards").fill_null(0).cast(pl.Int64))
        .sort(dims)
    )


def compliance_matrix(cur: Cursor, f: Filters, per: str = "branch") -> pl.DataFrame:
    """Target compliance (>= 1 DVK and >= 1 QCDC registration) per chi bộ (or child unit) and year.

    per='branch': one row per chi bộ of the scope and year of the period: ma_don_vi, ten_don_vi, cap,
    nam, is_active (that year), n_dvk, n_qcdc (in its subtree), meets_target (null when inactive).
    per='child': one row per child unit and year: branch_years, branch_years_meeting_target,
    target_compliance_rate (null without active chi bộ).
    """
    if per not in ("branch", "child"):
        raise FiguresError("per must be 'branch' or 'child'")
    with _open(cur, f) as ctx:
        if per == "child":
            depth = 1 if ctx.single_root else 0
            figures = _unit_figures(ctx, "child", by_year=True)
            children = ctx.units.filter(pl.col("depth") == depth).select(
                "ma_don_vi", "ten_don_vi", "cap", "path_key"
            )
            return (
                children.join(figures.rename({"group": "ma_don_vi", "window": "nam"}), on="ma_don_vi")
                .sort("path_key", "nam")
                .select(
                    "ma_don_vi",
                    "ten_don_vi",
                    "cap",
                    "nam",
                    "branch_years",
                    "branch_years_meeting_target",
                    "target_compliance_rate",
                )
            )
        movements = (
            _branch_movements(ctx.closure.lazy(), ctx.query("registration_units").lazy())
            .with_columns(pl.col("nam").cast(pl.Int64))
            .collect()
        )
        branches = ctx.units.filter(pl.col("cap").is_in(vocab.BRANCH_LEVELS))
        years = pl.DataFrame({"nam": f.years}, schema={"nam": pl.Int64})
        return (
            branches.join(years, how="cross")
            .with_columns(_active_between(pl.col("nam"), pl.col("nam")).alias("is_active"))
            .join(movements, on=["ma_don_vi", "nam"], how="left")
            .with_columns(pl.col("n_dvk", "n_qcdc").fill_null(0).cast(pl.Int64))
            .with_columns(
                pl.when(pl.col("is_active"))
                .then((pl.col("n_dvk") > 0) & (pl.col("n_qcdc") > 0))
                .otherwise(None)
                .alias("meets_target")
            )
            .sort("path_key", "nam")
            .select("ma_don_vi", "ten_don_vi", "cap", "nam", "is_active", "n_dvk", "n_qcdc", "meets_target")
        )


def score_distribution(cur: Cursor, f: Filters, bin_width: float = 5.0) -> pl.DataFrame:
    """Histogram of registration scores (diem): bin_from, bin_to, label, n_registrations, n_recognised, share.

    Bins are [from, to) except the last, which includes 100; every bin is listed.
    """
    if not 0 < bin_width <= 100:
        raise FiguresError("bin_width must be in (0, 100]")
    with _open(cur, f) as ctx:
        counts = run_sql(ctx.cur, "scores", {**ctx.params, "bin_width": float(bin_width)})
    n_bins = int(-(-100 // bin_width))
    edges = [(i * bin_width, min((i + 1) * bin_width, 100.0)) for i in range(n_bins)]
    bins = pl.DataFrame(
        {
            "bin_index": list(range(n_bins)),
            "bin_from": [float(lo) for lo, _ in edges],
            "bin_to": [float(hi) for _, hi in edges],
            "label": [f"{lo:g}–{hi:g}" for lo, hi in edges],
        },
        schema={"bin_index": pl.Int64, "bin_from": pl.Float64, "bin_to": pl.Float64, "label": pl.String},
    )
    out = bins.join(
        counts.with_columns(pl.col("bin_index").cast(pl.Int64)), on="bin_index", how="left"
    ).with_columns(pl.col("n_registrations", "n_recognised").fill_null(0).cast(pl.Int64))
    total = out["n_registrations"].sum()
    return out.with_columns(
        (pl.col("n_registrations") / total if total else pl.lit(None, dtype=pl.Float64)).alias("share")
    ).drop("bin_index")


def unit_tree(cur: Cursor, f: Filters) -> pl.DataFrame:
    """The units of the scope in tree order: ma_don_vi, ten_don_vi, ma_cap_tren, cap, depth, is_active,
    hieu_luc_tu, hieu_luc_den, and registrations (own rows under the filters, for a treemap's sizes)."""
    with _open(cur, f) as ctx:
        own = (
            ctx.query("registration_units")
            .group_by("ma_don_vi")
            .agg(pl.col("n_registrations").sum().alias("registrations"))
        )
        units = ctx.units
    return (
        units.join(own, on="ma_don_vi", how="left")
        .with_columns(pl.col("registrations").fill_null(0).cast(pl.Int64), pl.col("depth").cast(pl.Int64))
        .sort("path_key")
        .select(
            "ma_don_vi",
            "ten_don_vi",
            "ma_cap_tren",
            "cap",
            "depth",
            "is_active",
            "hieu_luc_tu",
            "hieu_luc_den",
            "registrations",
        )
    )


def _check_table(table: str) -> None:
    if table not in RECORD_TABLES:
        raise FiguresError(f"records come from {', '.join(RECORD_TABLES)}; got {table!r}")


def records(cur: Cursor, f: Filters, table: str, limit: int | None = None, offset: int = 0) -> pl.DataFrame:
    """Filtered rows of dang_ky / khen_thuong / hoi_nghi with the template's columns (aliases), paged.

    Registrations take every filter; awards the subject only; conferences scope and period only.
    """
    _check_table(table)
    if limit is not None and limit < 0 or offset < 0:
        raise FiguresError("limit and offset must not be negative")
    with _open(cur, f) as ctx:
        rel = _relation(ctx.cur, f"records_{table}", ctx.params)
        if limit is not None or offset:
            rel = rel.limit(limit if limit is not None else 2**62, offset=offset)
        return rel.pl()


def count_records(cur: Cursor, f: Filters, table: str) -> int:
    """How many rows `records` would return without paging."""
    _check_table(table)
    with _open(cur, f) as ctx:
        return int(_relation(ctx.cur, f"records_{table}", ctx.params).aggregate("count(*)").fetchall()[0][0])


def figures_table(cur: Cursor, f: Filters, lang: str = "vi") -> pl.DataFrame:
    """Every scalar figure as rows, one column per year and one for the whole period (for exports)."""
    per_year = trend(cur, f)
    with _open(cur, f) as ctx:
        period = _period_figures(ctx)
    columns: dict[str, list] = {
        "figure": [fig.key for fig in FIGURES],
        "label": [fig.label(lang) for fig in FIGURES],
    }
    for row in per_year.iter_rows(named=True):
        columns[str(row["nam"])] = [_as_float(row[fig.key]) for fig in FIGURES]
    if f.year_from != f.year_to:
        columns[f.period_label] = [_as_float(period[fig.key]) for fig in FIGURES]
    return pl.DataFrame(
        columns, schema={k: (pl.String if k in ("figure", "label") else pl.Float64) for k in columns}
    )


def _as_float(value: object) -> float | None:
    return None if value is None else float(value)
