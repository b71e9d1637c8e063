"""The figures engine (DOMAIN.md section 4): scope, period and filters in, figures out as Polars frames.

How a call runs: the scope's subtree is resolved once in DuckDB (`sql/scope_units.sql`, a recursive
CTE) and registered on the cursor as `scope_units` (code -> unit_idx). `sql/counts.sql` then makes
one pass over the scope's registrations and returns small frames: every unit's own counts per year
(registrations, conferences, awards, sizes) and a per-year cube of the categorical columns;
`sql/award_counts.sql` counts awards by level, form, subject and status. Polars turns those into
figures: subtree totals bottom-up one depth level at a time, then one lazy query per figure set.
A summary is three round trips; models (`sql/models_period.sql`) are a fourth, on request.

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
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import numbers
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TypedDict, cast

import duckdb
import numpy as np
import polars as pl

from queries import aggregates, periods, store, vocab
from queries import structure as unit_structure

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
    # DOMAIN.md section 4a: records under the superiors of their year, or on today's structure
    structure: unit_structure.Reading = unit_structure.AS_WAS

    def __post_init__(self):
        if self.structure not in unit_structure.READINGS:
            raise FiguresError(
                f"structure must be one of {', '.join(unit_structure.READINGS)}; got {self.structure!r}"
            )
        for name in ("year_from", "year_to"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise FiguresError(f"{name} must be an integer year, got {value!r}")
            value = int(value)  # numpy and other integral types become plain ints
            object.__setattr__(self, name, value)
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
    Figure("recognised", "Lượt đăng ký được công nhận", "Recognised registrations"),
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
    Figure("conferences", "Hội nghị đã tổ chức", "Conferences held"),
    Figure("commendation_conferences", "Hội nghị tuyên dương, khen thưởng", "Commendation conferences"),
    Figure("conference_attendees", "Lượt người dự hội nghị", "Conference attendees"),
    Figure("conference_member_attendees", "Lượt đảng viên dự hội nghị", "Party members attending"),
    Figure("attendance_rate", "Tỉ lệ đảng viên dự hội nghị", "Party-member attendance rate", RATE),
    Figure("awards", "Khen thưởng", "Awards"),
    Figure("awards_collective", "Tập thể được khen thưởng", "Collectives awarded"),
    Figure("awards_individual", "Cá nhân được khen thưởng", "Individuals awarded"),
    Figure("nominations", "Đề nghị khen thưởng", "Nominations"),
)
FIGURES_BY_KEY = {fig.key: fig for fig in FIGURES}

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


def run_numeric_sql(cur: Cursor, name: str, params: Mapping[str, object]) -> pl.DataFrame:
    """run_sql for a query whose columns are all numbers, faster: execute() plans the query once,
    where cur.sql() plans it to make a relation and again to run it."""
    return pl.DataFrame(cur.execute(load_sql(name), _bound(name, params)).fetchnumpy())


def _relation(cur: Cursor, name: str, params: Mapping[str, object]) -> duckdb.DuckDBPyRelation:
    return cur.sql(load_sql(name), params=_bound(name, params))


def _bound(name: str, params: Mapping[str, object]) -> dict[str, object]:
    needed = sql_parameters(name)
    missing = needed - params.keys()
    if missing:
        raise KeyError(f"{name}.sql needs parameters {sorted(missing)}")
    return {k: params[k] for k in needed}


# --- the scope ---------------------------------------------------------------------------------

UNIT_ID = pl.Int32  # unit_idx: a unit's position in its scope, the join key of every frame below
SCOPE_GROUP = 0  # the group id when the whole scope is one group


@dataclass
class _Context:
    """One request: the filters, the cursor with the scope registered, and the resolved units."""

    cur: Cursor
    f: Filters
    units: pl.DataFrame  # scope_units.sql + unit_idx, path (list of codes), path_key (for tree order)
    reported: frozenset[int] = frozenset()  # the years with data (periods.reported_years)
    _cache: dict[str, pl.DataFrame] = field(default_factory=dict)

    @property
    def params(self) -> dict[str, object]:
        return {
            **self.f.params(),
            "commendation": vocab.CONFERENCE_COMMENDATION,
            "awarded": vocab.STATUS_AWARDED,
            "nominated": vocab.STATUS_NOMINATED,
        }

    def query(self, name: str) -> pl.DataFrame:
        """A named query over the registered scope, run at most once per request."""
        if name not in self._cache:
            frame = run_sql(self.cur, name, self.params)
            casts = [
                pl.col(c).cast(UNIT_ID if c == "unit_idx" else pl.Int32)
                for c in ("unit_idx", "nam")
                if c in frame.columns
            ]
            self._cache[name] = frame.with_columns(casts)
        return self._cache[name]

    @functools.cached_property
    def own_counts(self) -> pl.DataFrame:
        """Per unit and year, the counts of the unit's own rows (counts.sql, grain 'unit')."""
        return (
            self.query("counts")
            .filter(pl.col("grain") == "unit")
            .select("unit_idx", "nam", *ADDITIVE, "n_member_reports", "own_staff", "own_members")
            .with_columns(
                pl.col(c for c in (*ADDITIVE, "n_member_reports") if c != "sum_score").cast(pl.Int64),
                pl.col("sum_score").cast(pl.Float64),
                pl.col("own_staff", "own_members").cast(pl.Int64),
            )
        )

    @functools.cached_property
    def cube(self) -> pl.DataFrame:
        """Registrations per year and label (nam, doi_tuong, linh_vuc, loai, phong_trao, ket_qua, n_...)."""
        return (
            self.query("counts")
            .filter(pl.col("grain") == "cube")
            .select("nam", *CUBE_COLUMNS, "n_registrations", "n_scored", "sum_score")
        )

    @functools.cached_property
    def subtree_totals(self) -> pl.DataFrame:
        """Per unit and year, the totals of the unit's whole subtree (see _subtree_totals)."""
        return _subtree_totals(self)

    @property
    def roots(self) -> pl.DataFrame:
        return self.units.filter(pl.col("depth") == 0)

    @property
    def child_depth(self) -> int:
        """Depth of the scope's children: 1 below a single root; 0 (the roots) when there are several."""
        return 1 if self.roots.height == 1 else 0

    def children(self) -> pl.DataFrame:
        """The child units of the scope, in tree order."""
        return self.units.filter(pl.col("depth") == self.child_depth)

    @property
    def unit_name(self) -> str | None:
        """The scope unit's name (None for every root)."""
        return self.roots["ten_don_vi"][0] if self.f.unit is not None else None

    def unit_counts(self, per: str, by_year: bool) -> pl.DataFrame:
        """The counts behind the unit-based figures per (group, window): see _unit_counts."""
        return _unit_counts(self, per, by_year)

    def award_counts(self) -> pl.DataFrame:
        """Awards and nominations per year, level, form, subject and status (award_counts.sql)."""
        return self.query("award_counts")

    def model_counts(self, by_year: bool) -> pl.DataFrame:
        """[nam,] n_models, n_models_carried_over (models_by_year.sql / models_period.sql)."""
        return self.query("models_by_year" if by_year else "models_period")

    def score_counts(self, bin_width: float) -> pl.DataFrame:
        """bin_index, n_registrations, n_recognised (scores.sql)."""
        return run_sql(self.cur, "scores", {**self.params, "bin_width": bin_width})

    def own_registrations(self, collective_and_recognised: bool = True) -> pl.DataFrame:
        """Per unit_idx, the unit's own rows: registrations, collective, individual, recognised."""
        return self.own_counts.group_by("unit_idx").agg(
            pl.col("n_registrations").sum().alias("registrations"),
            pl.col("n_collective").sum().alias("collective"),
            pl.col("n_individual").sum().alias("individual"),
            pl.col("n_recognised").sum().alias("recognised"),
        )


CUBE_COLUMNS = ("doi_tuong", "linh_vuc", "loai", "phong_trao", "ket_qua")


@contextlib.contextmanager
def _open(cur: Cursor, f: Filters, *, aggregates: bool = True) -> Iterator[_Context | _AggContext]:
    """The request's context: from the aggregate tables when they are usable (and `aggregates`),
    else from the base tables, with the scope resolved once and registered on the cursor."""
    reported = periods.reported_years(cur)
    # a unit history the reading must follow (moves; successions on today's structure): the base
    # tables, as the aggregate tables know one tree per unit code (structure.py)
    history = unit_structure.has_history(cur, f.structure)
    tables = _agg_tables(cur) if aggregates and not history else None
    scope = _agg_scope(tables, f) if tables is not None else None
    if scope is not None:
        assert tables is not None  # a scope is found in the tables only
        yield _AggContext(cur, f, tables, scope, reported)
        return
    units, links = unit_structure.scope_units(cur, f.unit, f.year_from, f.year_to, f.structure)
    if f.unit is not None and units.is_empty():
        raise UnknownUnitError(f.unit)
    units = (
        units.with_columns(
            pl.col("path").alias("path_key"),
            pl.col("path").str.split(PATH_SEPARATOR),
            pl.col("depth").cast(pl.Int32),
            pl.col("first_year").cast(pl.Int32),
            pl.col("last_year").cast(pl.Int32),
        )
        .sort("path_key")
        .with_row_index("unit_idx")
        .with_columns(pl.col("unit_idx").cast(UNIT_ID))
    )
    parents = units.select(pl.col("path_key").alias("parent_path"), pl.col("unit_idx").alias("parent_idx"))
    units = units.join(parents, on="parent_path", how="left").sort("unit_idx")
    # where each unit's records of each year belong (one node per unit and year)
    placed = links.join(units.select(pl.col("path_key").alias("path"), "unit_idx"), on="path")
    cur.register(SCOPE_VIEW, placed.select("ma_don_vi", "nam_from", "nam_to", "unit_idx").to_arrow())
    try:
        yield _Context(cur, f, units, reported)
    finally:
        cur.unregister(SCOPE_VIEW)


# --- the aggregate tables ----------------------------------------------------------------------
#
# The aggregate tables (aggregates.py) are read once per content (agg_meta.fingerprint) into
# arrays ordered by unit position, so that a scope is a run of rows; a request then only slices,
# masks and counts them (numpy), and builds its small frames at the end. Categories are codes:
# positions in the vocab tuples. A registration's combination is f * 8 + s * 4 + k * 2 + m
# (aggregates.combination_bit); its cell packs the codes and its result r as bits,
# f << 6 | s << 5 | k << 4 | m << 3 | r, so that any filter is one mask and one comparison.

if not (len(vocab.SUBJECTS) == len(vocab.KINDS) == len(vocab.MOVEMENTS) == 2 and len(vocab.RESULTS) <= 8):
    raise ImportError("the aggregate tables' codes need 2 subjects, kinds and movements and <= 8 results")
_COMBINATIONS = list(itertools.product(vocab.FIELDS, vocab.SUBJECTS, vocab.KINDS, vocab.MOVEMENTS))
_N_CELLS = len(vocab.FIELDS) << 6
_CELL_SHIFTS = {"linh_vuc": 6, "doi_tuong": 5, "loai": 4, "phong_trao": 3}  # the result: the low 3 bits
_CELL_CODES = {
    column: (np.arange(_N_CELLS) >> shift) & (7 if shift == 6 else 1)
    for column, shift in _CELL_SHIFTS.items()
}
_CELL_LABELS = {  # column -> label of each cell
    **{
        column: np.array(labels, dtype=object)[_CELL_CODES[column]]
        for column, labels in (
            ("doi_tuong", vocab.SUBJECTS),
            ("linh_vuc", (*vocab.FIELDS, *[""] * 8)[:8]),
            ("loai", vocab.KINDS),
            ("phong_trao", vocab.MOVEMENTS),
        )
    },
    "ket_qua": np.array((*vocab.RESULTS, *[""] * 8)[:8], dtype=object)[np.arange(_N_CELLS) & 7],
}
_S_COLLECTIVE = vocab.SUBJECTS.index(vocab.SUBJECT_COLLECTIVE)
_R_RECOGNISED = [vocab.RESULTS.index(r) for r in vocab.RECOGNISED_RESULTS]


def _is_collective(cell: np.ndarray) -> np.ndarray:
    return ((cell >> 5) & 1) == _S_COLLECTIVE


def _is_individual(cell: np.ndarray) -> np.ndarray:
    return ((cell >> 5) & 1) != _S_COLLECTIVE


def _is_recognised(cell: np.ndarray) -> np.ndarray:
    result = cell & 7
    out = result == _R_RECOGNISED[0]
    for code in _R_RECOGNISED[1:]:
        out |= result == code
    return out


_AWARD_LABELS = list(
    itertools.product(vocab.AWARD_LEVELS, vocab.AWARD_FORMS, vocab.SUBJECTS, vocab.AWARD_STATUSES)
)
_AWARD_COLUMNS = ("cap_khen_thuong", "hinh_thuc", "doi_tuong", "trang_thai")
_NO_DEPTH = -2  # staff_depth of a registration no staff figure covers


def _combination_mask(f: Filters, *, movement: str | None) -> int:
    """The (field, subject, kind, movement) combinations the filters let through, as the bits of
    agg_unit_year.reg_mask (aggregates.combination_bit); `movement` replaces f.movement."""
    mask = 0
    for field_, subject, kind, move in _COMBINATIONS:
        if all(
            want is None or want == value
            for want, value in ((f.field, field_), (f.subject, subject), (f.kind, kind), (movement, move))
        ):
            mask |= 1 << aggregates.combination_bit(field_, subject, kind, move)
    return mask


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices starts[i] .. starts[i] + lengths[i] - 1 of every i, in order."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - ends + lengths, lengths) + np.arange(ends[-1] if len(ends) else 0)


@dataclass(frozen=True)
class _ByPosition:
    """Columns of rows ordered by unit position (-1, the virtual root, first): the rows of the
    positions a..b are starts[a + 1]:starts[b + 2]."""

    starts: np.ndarray
    columns: dict[str, np.ndarray]

    @staticmethod
    def of(columns: dict[str, np.ndarray], n_units: int) -> _ByPosition:
        pos = np.asarray(columns.pop("pos"), dtype=np.int64)
        if np.any(pos[1:] < pos[:-1]):
            order = np.argsort(pos, kind="stable")
            pos, columns = pos[order], {name: values[order] for name, values in columns.items()}
        return _ByPosition(np.searchsorted(pos, np.arange(-1, n_units + 1), "left"), columns)

    def span(self, a: int, b: int) -> slice:
        """The rows of positions a..b."""
        return slice(self.starts[a + 1], self.starts[b + 2])

    def rows_of(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows of these positions, and for each row the index of its position."""
        lengths = self.starts[positions + 2] - self.starts[positions + 1]
        return _ranges(self.starts[positions + 1], lengths), np.repeat(np.arange(len(positions)), lengths)


_LOAD_PARAMETERS = {
    "n_results": len(vocab.RESULTS),
    "n_forms": len(vocab.AWARD_FORMS),
    "n_subjects": len(vocab.SUBJECTS),
    "n_statuses": len(vocab.AWARD_STATUSES),
}


def _load(cur: Cursor, name: str, n_units: int) -> _ByPosition:
    rows = cur.execute(load_sql(name), _bound(name, _LOAD_PARAMETERS)).fetchnumpy()
    return _ByPosition.of(dict(rows), n_units)


class _Loaded(TypedDict, total=False):
    """What _AggTables reads on first use."""

    facts: _ByPosition
    model_first_year: np.ndarray  # by model number (0: none)


@dataclass(frozen=True)
class _AggTables:
    """The aggregate tables of one database content, in memory (see above); agg_fact's copy is
    read on first use."""

    units: pl.DataFrame  # agg_unit; row i is position i
    positions: dict[str, int]  # unit code -> position
    depth: np.ndarray  # by position
    last_pos: np.ndarray
    is_top: np.ndarray
    n_roots: int
    n_models: int
    unit_years: _ByPosition  # agg_unit_year: subtree sums per unit and year
    tops: _ByPosition  # agg_top: the top units' subtrees per year and cell
    awards: _ByPosition  # agg_award: awards per unit, year and (level, form, subject, status)
    grassroots: _UnitYears  # the grassroots units' subtree registrations and conferences per year
    branches: _UnitYears  # the chi bộ's subtree registrations per year
    _loaded: _Loaded = field(default_factory=_Loaded)

    @staticmethod
    def load(cur: Cursor, n_models: int) -> _AggTables:
        units = run_sql(cur, "agg_load_units", {}).with_columns(
            pl.col("pos", "last_pos", "depth", "first_year", "last_year").cast(pl.Int32)
        )
        n = units.height
        unit_years = _load(cur, "agg_load_unit_years", n)
        return _AggTables(
            units=units,
            positions=dict(zip(units["ma_don_vi"].to_list(), range(n), strict=True)),
            depth=units["depth"].to_numpy(),
            last_pos=units["last_pos"].to_numpy().astype(np.int64),
            is_top=units["is_top"].to_numpy(),
            n_roots=int((units["depth"] == 0).sum()),
            n_models=n_models,
            unit_years=unit_years,
            tops=_load(cur, "agg_load_tops", n),
            awards=_load(cur, "agg_load_awards", n),
            grassroots=_UnitYears.of(units.filter(pl.col("cap").is_in(vocab.GRASSROOTS_LEVELS)), unit_years),
            branches=_UnitYears.of(units.filter(pl.col("cap").is_in(vocab.BRANCH_LEVELS)), unit_years),
        )

    def facts(self, cur: Cursor) -> _ByPosition:
        """agg_fact: every registration's year, cell, model, staff_depth and score (first use reads it)."""
        with _AGG_LOCK:
            if "facts" not in self._loaded:
                facts = _load(cur, "agg_load_facts", self.units.height)
                c = facts.columns
                c["nam"], c["cell"] = c["nam"].astype(np.int16), c["cell"].astype(np.uint16)
                c["staff_depth"], c["model"] = c["staff_depth"].astype(np.int8), c["model"].astype(np.int32)
                first_year = np.full(self.n_models + 1, vocab.YEAR_MAX + 1, dtype=np.int16)
                first_year[c["model"]] = c.pop("model_first_year")
                self._loaded["facts"] = facts
                self._loaded["model_first_year"] = first_year  # by model number (0: none)
            return self._loaded["facts"]


@dataclass(frozen=True)
class _UnitYears:
    """Some units (by position) with their validity years and, per year of the data, the subtree's
    registered combinations (agg_unit_year.reg_mask) and whether a commendation conference was held."""

    pos: np.ndarray  # sorted
    first_year: np.ndarray  # YEAR_MIN - 1 when unbounded
    last_year: np.ndarray  # YEAR_MAX + 1 when unbounded
    years: np.ndarray  # the years of the columns below, sorted
    masks: np.ndarray  # [unit, year]
    commendation: np.ndarray  # bool [unit, year]

    @staticmethod
    def of(units: pl.DataFrame, unit_years: _ByPosition) -> _UnitYears:
        pos = units["pos"].to_numpy().astype(np.int64)
        rows, owner = unit_years.rows_of(pos)
        nam = unit_years.columns["nam"][rows]
        years = np.unique(nam).astype(np.int64)
        masks = np.zeros((len(pos), len(years)), dtype=np.int64)
        commendation = np.zeros((len(pos), len(years)), dtype=bool)
        column = np.searchsorted(years, nam)
        masks[owner, column] = unit_years.columns["reg_mask"][rows]
        commendation[owner, column] = unit_years.columns["n_commendation"][rows] > 0
        return _UnitYears(
            pos=pos,
            first_year=units["first_year"].fill_null(vocab.YEAR_MIN - 1).to_numpy().astype(np.int64),
            last_year=units["last_year"].fill_null(vocab.YEAR_MAX + 1).to_numpy().astype(np.int64),
            years=years,
            masks=masks,
            commendation=commendation,
        )

    def between(self, lo: int, hi: int) -> _UnitYears:
        """The units at positions lo..hi."""
        a, b = np.searchsorted(self.pos, lo, "left"), np.searchsorted(self.pos, hi, "right")
        return _UnitYears(
            self.pos[a:b],
            self.first_year[a:b],
            self.last_year[a:b],
            self.years,
            self.masks[a:b],
            self.commendation[a:b],
        )

    def active(self, y0: int, y1: int) -> np.ndarray:
        """Which units were active at some time in y0..y1."""
        return (self.first_year <= y1) & (self.last_year >= y0)

    def columns(self, y0: int, y1: int) -> slice:
        """The columns of the years y0..y1."""
        return slice(np.searchsorted(self.years, y0, "left"), np.searchsorted(self.years, y1, "right"))

    def any_registered(self, y0: int, y1: int, mask: int) -> np.ndarray:
        """Which units' subtrees registered one of the combinations in `mask` in y0..y1."""
        return ((self.masks[:, self.columns(y0, y1)] & mask) != 0).any(axis=1)

    def any_commendation(self, y0: int, y1: int) -> np.ndarray:
        return np.any(self.commendation[:, self.columns(y0, y1)], axis=1)


_AGG_CACHE: dict[int, _AggTables] = {}  # by agg_meta.fingerprint, most recently used last
_AGG_CACHE_SIZE = 2
_AGG_LOCK = threading.RLock()


def _agg_tables(cur: Cursor) -> _AggTables | None:
    """The in-memory aggregate tables of the cursor's database; None when it has none usable
    (missing, stale, of another layout: the figures then come from the base tables)."""
    memo = store.snapshot_memo(cur)
    if memo is not None and "agg_status" in memo:  # a read-only snapshot: asked once per connection
        rows = memo["agg_status"]
    else:
        try:
            rows = cur.execute(load_sql("agg_status")).fetchall()
        except duckdb.Error:  # a database from before migration 002
            rows = []
        if memo is not None:
            memo["agg_status"] = rows
    if not rows:
        return None
    version, tree_ok, same_import, same_registrations, n_models, fingerprint = rows[0]
    if not (version == aggregates.VERSION and tree_ok and same_import and same_registrations):
        return None
    with _AGG_LOCK:
        tables = _AGG_CACHE.pop(fingerprint, None)
        if tables is None:
            tables = _AggTables.load(cur, n_models)
        _AGG_CACHE[fingerprint] = tables
        while len(_AGG_CACHE) > _AGG_CACHE_SIZE:
            del _AGG_CACHE[next(iter(_AGG_CACHE))]
    return tables


@dataclass(frozen=True)
class _AggScope:
    """Where a scope lies in the aggregate tables: the positions lo..hi."""

    lo: int
    hi: int
    depth: int  # depth of the scope's root(s) in the whole tree
    all_roots: bool  # no unit: every root (the virtual root -1 sums them)
    n_roots: int
    is_top: bool  # agg_top sums the scope's subtree (always for every root together)
    name: str | None


def _agg_scope(tables: _AggTables, f: Filters) -> _AggScope | None:
    """The scope's positions; raises UnknownUnitError for an unknown unit."""
    if tables.units.is_empty():
        return None  # nothing to aggregate: the base tables answer as fast
    if f.unit is None:
        return _AggScope(0, tables.units.height - 1, 0, True, tables.n_roots, True, None)
    pos = tables.positions.get(f.unit)
    if pos is None:
        raise UnknownUnitError(f.unit)
    row = tables.units.row(pos, named=True)
    return _AggScope(pos, row["last_pos"], row["depth"], False, 1, row["is_top"], row["ten_don_vi"])


def _sums(key: np.ndarray, size: int, weights: dict[str, np.ndarray | None]) -> dict[str, np.ndarray]:
    """Per key (0..size-1), the number of rows (weight None) or the sum of the weights."""
    return {
        name: np.bincount(key, weights=w, minlength=size)
        if w is not None
        else np.bincount(key, minlength=size)
        for name, w in weights.items()
    }


_REGISTRATION_SUMS = ("registrations", "collective", "individual", "recognised", "n_scored", "sum_score")
_TOP_SUMS = (
    "n_conferences", "n_commendation", "attendees", "members_attending", "members_attending_capped",
    "members_expected", "awards_collective", "awards_individual", "nominations_collective",
    "nominations_individual", "staff",
)  # fmt: skip


class _AggContext:
    """One request answered from the aggregate tables: the same figures as _Context."""

    def __init__(
        self,
        cur: Cursor,
        f: Filters,
        tables: _AggTables,
        scope: _AggScope,
        reported: frozenset[int] = frozenset(),
    ):
        self.cur = cur
        self.f = f
        self.reported = reported
        self.tables = tables
        self.scope = scope
        self._models: dict[tuple[int, int], tuple[int, int]] = {}
        # the cells under the filters: cell & mask == value
        self.cell_mask = self.cell_value = 0
        for column, labels, value in (
            ("linh_vuc", vocab.FIELDS, f.field),
            ("doi_tuong", vocab.SUBJECTS, f.subject),
            ("loai", vocab.KINDS, f.kind),
            ("phong_trao", vocab.MOVEMENTS, f.movement),
        ):
            if value is not None:
                self.cell_mask |= (7 if column == "linh_vuc" else 1) << _CELL_SHIFTS[column]
                self.cell_value |= labels.index(value) << _CELL_SHIFTS[column]

    def _kept(self, nam: np.ndarray, cell: np.ndarray) -> np.ndarray:
        """Which rows are in the period under the filters."""
        keep = (nam >= self.f.year_from) & (nam <= self.f.year_to)
        if self.cell_mask:
            keep &= (cell & self.cell_mask) == self.cell_value
        return keep

    # -- units

    @property
    def unit_name(self) -> str | None:
        return self.scope.name

    @property
    def child_depth(self) -> int:
        """Depth of the scope's children below the scope's root(s), as _Context.child_depth."""
        return 1 if self.scope.n_roots == 1 else 0

    def _units(self, depth: int | None = None) -> pl.DataFrame:
        """The scope's units (at one depth below its root) as _Context.units: unit_idx, depth, is_active."""
        f, lo = self.f, self.scope.lo
        units = self.tables.units.slice(lo, self.scope.hi - lo + 1)
        if depth is not None:
            units = units.filter(pl.col("depth") == self.scope.depth + depth)
        return units.select(
            (pl.col("pos") - lo).cast(UNIT_ID).alias("unit_idx"),
            "ma_don_vi",
            "ten_don_vi",
            "ma_cap_tren",
            "cap",
            (pl.col("depth") - self.scope.depth).alias("depth"),
            (
                (pl.col("first_year").is_null() | (pl.col("first_year") <= f.year_to))
                & (pl.col("last_year").is_null() | (pl.col("last_year") >= f.year_from))
            ).alias("is_active"),
            "hieu_luc_tu",
            "hieu_luc_den",
            "first_year",
            "last_year",
        )

    @functools.cached_property
    def units(self) -> pl.DataFrame:
        """The scope's units in tree order."""
        return self._units()

    def children(self) -> pl.DataFrame:
        """The child units of the scope, in tree order."""
        return self._units(self.child_depth)

    # -- registrations

    def _fact_rows(self, a: int, b: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """agg_fact's columns for the rows of positions a..b (views), and which of those rows are
        in the period under the filters."""
        facts = self.tables.facts(self.cur)
        rows = facts.span(a, b)
        columns = {name: values[rows] for name, values in facts.columns.items()}
        nam = columns["nam"]
        return columns, self._kept(nam, columns["cell"])

    def _windows(self, nam: np.ndarray, by_year: bool) -> np.ndarray:
        return (nam - self.f.year_from).astype(np.int64) if by_year else np.zeros(len(nam), dtype=np.int64)

    def unit_counts(self, per: str, by_year: bool) -> pl.DataFrame:
        """The counts behind the unit-based figures per (group, window), as _unit_counts."""
        f, scope, tables = self.f, self.scope, self.tables
        years = f.years
        windows = [(y, y, y) for y in years] if by_year else [(f.year_from, f.year_from, f.year_to)]
        n_w = len(windows)

        # the groups' top units: the scope's root(s) (the virtual root for every root), or its children
        if per == "scope":
            top_depth = -1 if scope.all_roots else scope.depth
            tops = np.array([-1 if scope.all_roots else scope.lo])
            top_is_summed = np.array([scope.is_top])
            groups = np.array([SCOPE_GROUP])
        else:
            top_depth = scope.depth + self.child_depth
            span = np.arange(scope.lo, scope.hi + 1)
            tops = span[tables.depth[scope.lo : scope.hi + 1] == top_depth]
            top_is_summed = tables.is_top[tops]
            groups = tops - scope.lo
        n_g = len(tops)
        if not n_g:  # a scope without children
            return pl.DataFrame(
                schema={"group": UNIT_ID, "window": pl.Int32, "sum_score": pl.Float64}
                | {c: pl.Int64 for c in _UNIT_COUNT_COLUMNS if c != "sum_score"}
            )
        size = n_g * n_w
        out: dict[str, np.ndarray] = {}

        # registrations: agg_top for the top units that have rows there, agg_fact below the others
        totals = {name: np.zeros(size) for name in (*_REGISTRATION_SUMS, "individual_covered")}
        summed = np.flatnonzero(top_is_summed)
        if len(summed):
            rows, owner = tables.tops.rows_of(tops[summed])
            c = tables.tops.columns
            nam, cell = c["nam"][rows], c["cell"][rows]
            keep = self._kept(nam, cell)
            cell, n = cell[keep], c["n"][rows][keep]
            key = summed[owner[keep]] * n_w + self._windows(nam[keep], by_year)
            part = _sums(
                key,
                size,
                {
                    "registrations": n,
                    "collective": n * _is_collective(cell),
                    "individual": n * _is_individual(cell),
                    "recognised": n * _is_recognised(cell),
                    "n_scored": c["n_scored"][rows][keep],
                    "sum_score": c["sum_score"][rows][keep],
                    "individual_covered": c["n_covered"][rows][keep],
                },
            )
            for name in totals:
                totals[name] += part[name]
        counted = np.flatnonzero(~top_is_summed)
        if len(counted):
            facts = tables.facts(self.cur)
            starts = facts.starts[tops[counted] + 1]
            lengths = facts.starts[tables.last_pos[tops[counted]] + 2] - starts
            rows, owner = _ranges(starts, lengths), np.repeat(counted, lengths)
            c = facts.columns
            nam, cell = c["nam"][rows], c["cell"][rows]
            keep = self._kept(nam, cell)
            cell, diem = cell[keep], c["diem"][rows][keep]
            key = owner[keep] * n_w + self._windows(nam[keep], by_year)
            scored = ~np.isnan(diem)
            part = _sums(
                key,
                size,
                {
                    "registrations": None,
                    "collective": _is_collective(cell).astype(float),
                    "individual": _is_individual(cell).astype(float),
                    "recognised": _is_recognised(cell).astype(float),
                    "n_scored": scored.astype(float),
                    "sum_score": np.where(scored, diem, 0.0),
                    "individual_covered": (
                        _is_individual(cell) & (c["staff_depth"][rows][keep] >= top_depth)
                    ).astype(float),
                },
            )
            for name in totals:
                totals[name] += part[name]
        out.update(totals)

        # conferences, attendance, awards and staff: agg_unit_year's subtree sums at the top units
        rows, owner = tables.unit_years.rows_of(tops)
        c = tables.unit_years.columns
        nam = c["nam"][rows]
        keep = (nam >= f.year_from) & (nam <= f.year_to)
        key = owner[keep] * n_w + self._windows(nam[keep], by_year)
        part = _sums(key, size, {name: c[name][rows][keep].astype(float) for name in _TOP_SUMS})
        collective = f.subject in (None, vocab.SUBJECT_COLLECTIVE)
        individual = f.subject in (None, vocab.SUBJECT_INDIVIDUAL)
        out["conferences"] = part["n_conferences"]
        out["commendation_conferences"] = part["n_commendation"]
        out["conference_attendees"] = part["attendees"]
        out["conference_member_attendees"] = part["members_attending"]
        out["members_attending"] = part["members_attending_capped"]
        out["members_expected"] = part["members_expected"]
        out["awards_collective"] = part["awards_collective"] * collective
        out["awards_individual"] = part["awards_individual"] * individual
        out["awards"] = out["awards_collective"] + out["awards_individual"]
        out["nominations"] = (
            part["nominations_collective"] * collective + part["nominations_individual"] * individual
        )
        out["staff"] = part["staff"]

        # grassroots units and chi bộ of the scope, from their subtrees' registrations per year
        first = scope.lo + 1 if per != "scope" and top_depth > scope.depth else scope.lo
        out.update(
            _unit_level_counts(
                tables.grassroots.between(first, scope.hi),
                tables.branches.between(first, scope.hi),
                tops if per != "scope" else np.array([scope.lo]),
                windows,
                f,
                self.reported,
            )
        )
        return pl.DataFrame(
            {
                "group": np.repeat(groups, n_w),
                "window": np.tile([w for w, _, _ in windows], n_g),
                "sum_score": out["sum_score"],
                **{c: out[c] for c in _UNIT_COUNT_COLUMNS if c != "sum_score"},
            }
        ).with_columns(
            pl.col("group").cast(UNIT_ID),
            pl.col("window").cast(pl.Int32),
            pl.col(c for c in _UNIT_COUNT_COLUMNS if c != "sum_score").cast(pl.Int64),
        )

    @functools.cached_property
    def cube(self) -> pl.DataFrame:
        """Registrations per year and label, as _Context.cube."""
        f, scope = self.f, self.scope
        if scope.is_top:
            rows = self.tables.tops.span(*([-1, -1] if scope.all_roots else [scope.lo, scope.lo]))
            c = self.tables.tops.columns
            nam, cell = c["nam"][rows], c["cell"][rows]
            keep = self._kept(nam, cell)
            nam, cell = nam[keep], cell[keep]
            n, n_scored, sum_score = c["n"][rows][keep], c["n_scored"][rows][keep], c["sum_score"][rows][keep]
        else:
            columns, keep = self._fact_rows(scope.lo, scope.hi)
            cell = columns["cell"][keep]
            key = (columns["nam"][keep] - f.year_from).astype(np.int64) * _N_CELLS + cell
            diem = columns["diem"][keep]
            scored = ~np.isnan(diem)
            sums = _sums(
                key,
                len(f.years) * _N_CELLS,
                {"n": None, "n_scored": scored.astype(float), "sum_score": np.where(scored, diem, 0.0)},
            )
            present = np.flatnonzero(sums["n"])
            nam, cell = f.year_from + present // _N_CELLS, present % _N_CELLS
            n, n_scored, sum_score = sums["n"][present], sums["n_scored"][present], sums["sum_score"][present]
        return pl.DataFrame(
            {
                "nam": np.asarray(nam, dtype=np.int32),
                **{
                    column: pl.Series(labels[cell], dtype=pl.String)
                    for column, labels in _CELL_LABELS.items()
                },
                "n_registrations": np.asarray(n, dtype=np.int64),
                "n_scored": np.asarray(n_scored, dtype=np.int64),
                "sum_score": np.asarray(sum_score, dtype=np.float64),
            }
        )

    # -- awards, models, scores, own rows

    def award_counts(self) -> pl.DataFrame:
        f = self.f
        rows = self.tables.awards.span(self.scope.lo, self.scope.hi)
        c = self.tables.awards.columns
        nam, kind = c["nam"][rows], c["kind"][rows]
        keep = (nam >= f.year_from) & (nam <= f.year_to)
        if f.subject is not None:
            subjects = np.array([subject for _, _, subject, _ in _AWARD_LABELS])
            keep &= subjects[kind] == f.subject
        n_kinds = len(_AWARD_LABELS)
        totals = np.bincount(
            (nam[keep] - f.year_from).astype(np.int64) * n_kinds + kind[keep],
            weights=c["n"][rows][keep],
            minlength=len(f.years) * n_kinds,
        )
        present = np.flatnonzero(totals)
        labels = np.array(_AWARD_LABELS, dtype=object)[present % n_kinds]
        return pl.DataFrame(
            {
                "nam": (f.year_from + present // n_kinds).astype(np.int32),
                **{
                    column: pl.Series(labels[:, i] if len(present) else [], dtype=pl.String)
                    for i, column in enumerate(_AWARD_COLUMNS)
                },
                "n_awards": totals[present].astype(np.int64),
            }
        )

    def model_counts(self, by_year: bool) -> pl.DataFrame:
        f = self.f
        if by_year:
            counts = self.models_in([(year, year) for year in f.years])
            return pl.DataFrame(
                [(y0, *counts[(y0, y1)]) for y0, y1 in counts],
                schema={"nam": pl.Int32, "n_models": pl.Int64, "n_models_carried_over": pl.Int64},
                orient="row",
            )
        n, carried = self.models_in([(f.year_from, f.year_to)]).get((f.year_from, f.year_to), (0, 0))
        return pl.DataFrame(
            {"n_models": [n], "n_models_carried_over": [carried]},
            schema={"n_models": pl.Int64, "n_models_carried_over": pl.Int64},
        )

    def models_in(self, windows: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
        """(first year, last year) -> (models, models carried over) in the scope under the filters,
        for the windows with models; answers kept for the request (and shared, see with_filters)."""
        missing = [w for w in windows if w not in self._models]
        if missing and self.tables.n_models:
            facts = self.tables.facts(self.cur)
            first_year = self.tables._loaded["model_first_year"]
            rows = facts.span(self.scope.lo, self.scope.hi)
            nam, model = facts.columns["nam"][rows], facts.columns["model"][rows]
            with_model = model > 0
            if self.cell_mask:
                with_model &= (facts.columns["cell"][rows] & self.cell_mask) == self.cell_value
            for y0, y1 in missing:
                seen = np.zeros(len(first_year), dtype=bool)
                seen[model[with_model & (nam >= y0) & (nam <= y1)]] = True
                seen[0] = False
                self._models[(y0, y1)] = (int(seen.sum()), int((seen & (first_year < y0)).sum()))
        for w in missing:
            self._models.setdefault(w, (0, 0))
        return {w: self._models[w] for w in windows if self._models[w] != (0, 0)}

    def with_filters(self, f: Filters) -> _AggContext:
        """A context for other filters on the same tables; when only the period differs, it shares
        this one's answers on models, so that asking for both periods first counts both at once."""
        scope = _agg_scope(self.tables, f)
        assert scope is not None  # these tables have units: this context has a scope in them
        other = _AggContext(self.cur, f, self.tables, scope, self.reported)
        if replace(f, year_from=self.f.year_from, year_to=self.f.year_to) == self.f:
            other._models = self._models
        return other

    def shares_models(self, other: _AggContext) -> bool:
        return self._models is other._models

    def score_counts(self, bin_width: float) -> pl.DataFrame:
        columns, keep = self._fact_rows(self.scope.lo, self.scope.hi)
        diem, cell = columns["diem"], columns["cell"]
        scored = keep & ~np.isnan(diem)
        last = math.ceil(100 / bin_width) - 1
        bins = np.minimum(np.floor(diem[scored] / bin_width), last).astype(np.int64)
        counts = _sums(
            bins,
            last + 1,
            {"n_registrations": None, "n_recognised": _is_recognised(cell[scored]).astype(float)},
        )
        present = np.flatnonzero(counts["n_registrations"])
        return pl.DataFrame(
            {
                "bin_index": present.astype(np.int64),
                "n_registrations": counts["n_registrations"][present].astype(np.int64),
                "n_recognised": counts["n_recognised"][present].astype(np.int64),
            }
        )

    def own_registrations(self, collective_and_recognised: bool = True) -> pl.DataFrame:
        lo, hi = self.scope.lo, self.scope.hi
        columns, keep = self._fact_rows(lo, hi)
        cell = columns["cell"]
        facts = self.tables.facts(self.cur)
        starts = facts.starts[lo + 1 : hi + 3] - facts.starts[lo + 1]  # each unit's rows
        filled = np.flatnonzero(np.diff(starts))  # the units with rows

        def per_unit(rows: np.ndarray) -> np.ndarray:
            out = np.zeros(hi - lo + 1, dtype=np.int64)
            if len(filled):
                out[filled] = np.add.reduceat(rows, starts[filled], dtype=np.int64)
            return out

        counts = {"registrations": per_unit(keep)}
        if collective_and_recognised:
            counts["collective"] = per_unit(keep & _is_collective(cell))
            counts["individual"] = counts["registrations"] - counts["collective"]
            counts["recognised"] = per_unit(keep & _is_recognised(cell))
        present = np.flatnonzero(counts["registrations"])
        return pl.DataFrame(
            {
                "unit_idx": present.astype(np.int32),
                **{name: values[present] for name, values in counts.items()},
            }
        )


def _unit_level_counts(
    grassroots: _UnitYears,
    branches: _UnitYears,
    group_pos: np.ndarray,
    windows: list,
    f: Filters,
    reported: frozenset[int],
) -> dict[str, np.ndarray]:
    """Per group (index into group_pos) and window (index into windows): grassroots units active in
    the window, those with a registration under the filters / a commendation conference in their
    subtree, chi bộ-years active, and those meeting the 1 DVK + 1 QCDC target (under the filters
    but the movement). Only the window's reported years count (periods.reported_years): a window
    without one has no grassroots unit and no chi bộ-year."""
    n_groups = len(group_pos)

    def group_of(units: _UnitYears) -> np.ndarray:
        # each unit's group: the last group top at or before its position (its ancestor)
        return np.searchsorted(group_pos, units.pos, "right") - 1

    def count(groups: np.ndarray, where: np.ndarray) -> np.ndarray:
        return np.bincount(groups[where], minlength=n_groups)

    g_group, b_group = group_of(grassroots), group_of(branches)
    registered = _combination_mask(f, movement=f.movement)
    dvk = _combination_mask(f, movement=vocab.MOVEMENT_DVK)
    qcdc = _combination_mask(f, movement=vocab.MOVEMENT_QCDC)
    columns: dict[str, list] = {c: [] for c in _UNIT_LEVEL_COLUMNS}
    for _, y0, y1 in windows:
        reported_span = periods.span(y0, y1, reported)
        if reported_span is None:
            active = np.zeros(len(grassroots.pos), dtype=bool)
        else:
            active = grassroots.active(*reported_span)
        branch_years = np.zeros(n_groups, dtype=np.int64)
        met = np.zeros(n_groups, dtype=np.int64)
        for year in periods.reported_in(range(y0, y1 + 1), reported):
            alive = branches.active(year, year)
            branch_years += count(b_group, alive)
            meeting = (
                alive & branches.any_registered(year, year, dvk) & branches.any_registered(year, year, qcdc)
            )
            met += count(b_group, meeting)
        columns["grassroots_units"].append(count(g_group, active))
        columns["units_with_registration"].append(
            count(g_group, active & grassroots.any_registered(y0, y1, registered))
        )
        columns["units_with_conference"].append(count(g_group, active & grassroots.any_commendation(y0, y1)))
        columns["branch_years"].append(branch_years)
        columns["branch_years_meeting_target"].append(met)
    # ordered by group, then window
    return {c: np.stack(v, axis=1).reshape(-1) for c, v in columns.items()}


_UNIT_LEVEL_COLUMNS = (
    "grassroots_units", "units_with_registration", "units_with_conference",
    "branch_years", "branch_years_meeting_target",
)  # fmt: skip
_UNIT_COUNT_COLUMNS = (
    "registrations", "collective", "individual", "recognised", "n_scored", "sum_score",
    "individual_covered", "grassroots_units", "units_with_registration", "units_with_conference",
    "branch_years", "branch_years_meeting_target", "staff", "conferences", "commendation_conferences",
    "conference_attendees", "conference_member_attendees", "members_attending", "members_expected",
    "awards", "awards_collective", "awards_individual", "nominations",
)  # fmt: skip


# --- building blocks ----------------------------------------------------------------------------

# Per (unit, year) counts of a unit's own rows (counts.sql), summed per group for the group figures.
ADDITIVE = (
    "n_registrations", "n_collective", "n_individual", "n_recognised", "n_scored", "sum_score",
    "n_dvk", "n_qcdc", "n_conferences", "n_commendation", "attendees", "members_attending",
    "awards", "awards_collective", "awards_individual", "nominations",
)  # fmt: skip
# The ones also summed over each unit's subtree (coverage, conferences, target compliance).
SUBTREE_SUMS = ("n_registrations", "n_commendation", "n_dvk", "n_qcdc", "n_individual")
# Headcounts: a unit's own quy_mo value when it reported one (> 0), else the sum of its children's.
HEADCOUNTS = ("staff", "members")


def _subtree_totals(ctx: _Context) -> pl.DataFrame:
    """(unit_idx, nam) -> totals over the unit's whole subtree, computed bottom-up one depth level at a time.

    SUBTREE_SUMS are plain sums. `staff` and `members` follow the headcount rule (own value if
    reported, else the children's sum), so nothing is counted twice. `covered_individual` counts
    the subtree's individual registrations that sit under a unit with a staff figure that year
    (all of them if the unit itself reported staff, else what its children cover).
    """
    keys = ["unit_idx", "nam"]
    own = ctx.own_counts.select(*keys, *SUBTREE_SUMS, "own_staff", "own_members").join(
        ctx.units.select("unit_idx", "depth"), on="unit_idx"
    )
    parents = ctx.units.select("unit_idx", "parent_idx").drop_nulls("parent_idx")
    carried = [*SUBTREE_SUMS, *HEADCOUNTS, "covered_individual"]
    children = pl.DataFrame(
        schema={"unit_idx": UNIT_ID, "nam": pl.Int32, **{f"{c}_children": pl.Int64 for c in carried}}
    )
    levels = []
    deepest = ctx.units["depth"].max()  # None without units
    max_depth = deepest if isinstance(deepest, int) else -1
    for depth in range(max_depth, -1, -1):
        level = (
            own.filter(pl.col("depth") == depth)
            .drop("depth")
            .join(children, on=keys, how="full", coalesce=True)
            .with_columns(pl.col(f"{c}_children").fill_null(0) for c in carried)
            .select(
                *keys,
                *((pl.col(c).fill_null(0) + pl.col(f"{c}_children")).alias(c) for c in SUBTREE_SUMS),
                pl.coalesce("own_staff", "staff_children").alias("staff"),
                pl.coalesce("own_members", "members_children").alias("members"),
                pl.when(pl.col("own_staff").is_not_null())
                .then(pl.col("n_individual").fill_null(0) + pl.col("n_individual_children"))
                .otherwise(pl.col("covered_individual_children"))
                .alias("covered_individual"),
            )
        )
        levels.append(level)
        children = (
            level.join(parents, on="unit_idx")
            .group_by(pl.col("parent_idx").alias("unit_idx"), "nam")
            .agg(pl.col(c).sum().alias(f"{c}_children") for c in carried)
        )
    if not levels:  # an empty scope
        return pl.DataFrame(schema={"unit_idx": UNIT_ID, "nam": pl.Int32, **dict.fromkeys(carried, pl.Int64)})
    return pl.concat(levels)


def _unit_groups(ctx: _Context, per: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(unit_groups, group_roots): which group each unit counts towards, and each group's top units.

    per='scope': the whole scope is one group (0) whose top units are the roots. per='child': one
    group per child unit of the scope (its unit_idx); with several roots and no unit, the roots.
    """
    units = ctx.units
    if per == "scope":
        groups = units.select("unit_idx", pl.lit(SCOPE_GROUP, dtype=UNIT_ID).alias("group"))
        return groups, groups.filter(pl.col("unit_idx").is_in(ctx.roots["unit_idx"].implode()))
    depth = ctx.child_depth
    # by path, not code: a unit that moved inside the scope is at two places (structure.py)
    codes = units.select(pl.col("path_key").alias("group_code"), pl.col("unit_idx").alias("group"))
    groups = (
        units.filter(pl.col("depth") >= depth)
        .select("unit_idx", pl.col("path").list.head(depth + 1).list.join(PATH_SEPARATOR).alias("group_code"))
        .join(codes, on="group_code")
        .select("unit_idx", "group")
    )
    return groups, groups.filter(pl.col("unit_idx") == pl.col("group"))


def _year_windows(f: Filters, by_year: bool) -> pl.DataFrame:
    """nam -> window (the window's first year), with each window's bounds y0..y1."""
    years = f.years
    n = len(years)
    return pl.DataFrame(
        {
            "nam": years,
            "window": years if by_year else [f.year_from] * n,
            "y0": years if by_year else [f.year_from] * n,
            "y1": years if by_year else [f.year_to] * n,
        },
        schema={"nam": pl.Int32, "window": pl.Int32, "y0": pl.Int32, "y1": pl.Int32},
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


COUNT_COLUMNS = (
    "registrations", "collective", "individual", "recognised", "n_scored",
    "grassroots_units", "units_with_registration", "units_with_conference",
    "branch_years", "branch_years_meeting_target", "staff", "individual_covered",
    "conferences", "commendation_conferences", "conference_attendees", "conference_member_attendees",
    "members_attending", "members_expected",
    "awards", "awards_collective", "awards_individual", "nominations",
)  # fmt: skip
_RENAMED = {
    "n_registrations": "registrations",
    "n_collective": "collective",
    "n_individual": "individual",
    "n_recognised": "recognised",
    "n_conferences": "conferences",
    "n_commendation": "commendation_conferences",
    "attendees": "conference_attendees",
    "members_attending": "conference_member_attendees",
    "covered_individual": "individual_covered",
}


def _unit_figures(ctx: _Context | _AggContext, per: str, by_year: bool) -> pl.DataFrame:
    """Every unit-based figure per (group, window): see the module docstring for the definitions."""
    return (
        ctx.unit_counts(per, by_year)
        .with_columns(pl.col(COUNT_COLUMNS).fill_null(0).cast(pl.Int64), pl.col("sum_score").fill_null(0.0))
        .with_columns(
            _ratio("units_with_registration", "grassroots_units").alias("coverage_rate"),
            _ratio("units_with_conference", "grassroots_units").alias("conference_rate"),
            _ratio("branch_years_meeting_target", "branch_years").alias("target_compliance_rate"),
            _ratio("recognised", "registrations").alias("recognition_rate"),
            _ratio("sum_score", "n_scored").alias("mean_score"),
            _ratio("individual_covered", "staff", 100.0).alias("individual_per_100_staff"),
            _ratio("collective", "grassroots_units").alias("collective_per_grassroots_unit"),
            _ratio("members_attending", "members_expected").alias("attendance_rate"),
        )
        .sort("group", "window")
    )


def _unit_counts(ctx: _Context, per: str, by_year: bool) -> pl.DataFrame:
    """From the base tables: the counts behind _unit_figures per (group, window).

    Subtree totals are computed once per request; this only joins small frames, lazily, and collects
    the independent parts together.
    """
    unit_groups, group_roots = (frame.lazy() for frame in _unit_groups(ctx, per))

    def in_groups(frame: pl.LazyFrame) -> pl.LazyFrame:
        # the whole scope is one group: no join needed
        if per == "scope":
            return frame.with_columns(pl.lit(SCOPE_GROUP, dtype=UNIT_ID).alias("group"))
        return frame.join(unit_groups, on="unit_idx")

    units = ctx.units.lazy().select("unit_idx", "ma_don_vi", "cap", "first_year", "last_year")
    totals = ctx.subtree_totals.lazy()
    year_windows = _year_windows(ctx.f, by_year).lazy()
    nam_window = year_windows.select("nam", "window")
    windows = year_windows.select("window", "y0", "y1").unique()
    # unit-based figures count the reported years only (periods.reported_years): each window's
    # grassroots units are those active between its first and last reported year, its chi bộ-years
    # those of its reported years; a window without a reported year has neither
    reported = pl.Series(sorted(ctx.reported), dtype=pl.Int32)
    reported_years = year_windows.filter(pl.col("nam").is_in(reported.implode()))
    reported_windows = reported_years.group_by("window").agg(
        pl.col("nam").min().alias("y0"), pl.col("nam").max().alias("y1")
    )
    keys = ["group", "window"]
    groups = group_roots.select("group").unique()
    if per == "scope":  # one row even for an empty scope
        groups = pl.LazyFrame({"group": [SCOPE_GROUP]}, schema={"group": UNIT_ID})
    base = groups.join(windows.select("window"), how="cross")

    # additive figures: the group's own rows over the window's years
    group_sums = (
        in_groups(ctx.own_counts.lazy())
        .join(nam_window, on="nam")
        .group_by(keys)
        .agg(pl.col(*ADDITIVE).sum())
        .rename(_RENAMED, strict=False)
    )
    # headcounts: the group's top units' headcounts, summed over the window's years
    at_roots = (
        totals.join(group_roots, on="unit_idx")
        .join(nam_window, on="nam")
        .group_by(keys)
        .agg(pl.col("staff", "covered_individual").sum())
        .rename(_RENAMED, strict=False)
    )

    # grassroots units active in the window: coverage and commendation conferences in their subtree
    per_window = (
        totals.join(nam_window, on="nam")
        .group_by("unit_idx", "window")
        .agg(pl.col("n_registrations").sum(), pl.col("n_commendation").sum())
    )
    grassroots = (
        in_groups(units.filter(pl.col("cap").is_in(vocab.GRASSROOTS_LEVELS)))
        .join(reported_windows, how="cross")
        .filter(_active_between(pl.col("y0"), pl.col("y1")))
        .join(per_window, on=["unit_idx", "window"], how="left")
        # a unit at two places of the group over the window (it moved) is one unit (structure.py)
        .group_by(*keys, "ma_don_vi")
        .agg(pl.col("n_registrations", "n_commendation").fill_null(0).sum())
        .group_by(keys)
        .agg(
            pl.len().alias("grassroots_units"),
            (pl.col("n_registrations").fill_null(0) > 0).sum().alias("units_with_registration"),
            (pl.col("n_commendation").fill_null(0) > 0).sum().alias("units_with_conference"),
        )
    )

    # target compliance over (chi bộ, year) pairs with the chi bộ active that year
    compliance = (
        in_groups(units.filter(pl.col("cap").is_in(vocab.BRANCH_LEVELS)))
        .join(reported_years, how="cross")
        .filter(_active_between(pl.col("nam"), pl.col("nam")))
        .join(totals.select("unit_idx", "nam", "n_dvk", "n_qcdc"), on=["unit_idx", "nam"], how="left")
        .group_by(*keys, "ma_don_vi", "nam")
        .agg(pl.col("n_dvk", "n_qcdc").fill_null(0).sum())
        .group_by(keys)
        .agg(
            pl.len().alias("branch_years"),
            ((pl.col("n_dvk").fill_null(0) > 0) & (pl.col("n_qcdc").fill_null(0) > 0))
            .sum()
            .alias("branch_years_meeting_target"),
        )
    )

    # attendance: each holding unit's members expected at each conference reporting member attendance
    attendance = (
        in_groups(
            ctx.own_counts.lazy()
            .filter(pl.col("n_member_reports") > 0)
            .select("unit_idx", "nam", "n_member_reports", pl.col("members_attending").alias("attending"))
            .join(totals.select("unit_idx", "nam", "members"), on=["unit_idx", "nam"])
            .filter(pl.col("members") > 0)
            .with_columns((pl.col("n_member_reports") * pl.col("members")).alias("expected"))
        )
        .join(nam_window, on="nam")
        .group_by(keys)
        .agg(
            pl.min_horizontal("attending", "expected").sum().alias("members_attending"),
            pl.col("expected").sum().alias("members_expected"),
        )
    )

    # the parts are independent: collect them together (in parallel), then join the few rows
    out, *parts = pl.collect_all([base, group_sums, at_roots, grassroots, compliance, attendance])
    for part in parts:
        out = out.join(part, on=keys, how="left")
    return out


def _models(ctx: _Context | _AggContext, by_year: bool) -> pl.DataFrame:
    """[nam,] models, models_carried_over, models_new: per year, or one row for the whole period."""
    frame = ctx.model_counts(by_year)
    return frame.select(
        *([pl.col("nam").cast(pl.Int32)] if by_year else []),
        pl.col("n_models").cast(pl.Int64).alias("models"),
        pl.col("n_models_carried_over").cast(pl.Int64).alias("models_carried_over"),
        (pl.col("n_models") - pl.col("n_models_carried_over")).cast(pl.Int64).alias("models_new"),
    )


def _figure_columns(with_models: bool = True) -> list[str]:
    return [fig.key for fig in FIGURES if with_models or not fig.key.startswith("models")]


def _period_figures(ctx: _Context | _AggContext, with_models: bool = True) -> dict[str, float | None]:
    """Every scalar figure of the scope over the whole period (models None unless with_models)."""
    row = _unit_figures(ctx, "scope", by_year=False).row(0, named=True)
    if with_models:
        row.update(_models(ctx, by_year=False).row(0, named=True))
    return {key: row.get(key) for key in _figure_columns()}


def _label_sums(frame: pl.DataFrame, columns: tuple[str, ...], value: str) -> dict[str, dict[object, int]]:
    """Per column, the sum of `value` per label, in one pass over a small frame's rows."""
    sums: dict[str, dict[object, int]] = {column: {} for column in columns}
    for *labels, n in frame.select(*columns, value).iter_rows():
        for column, label in zip(columns, labels, strict=True):
            sums[column][label] = sums[column].get(label, 0) + (n or 0)
    return sums


def _zero_filled(sums: dict[object, int], labels: tuple[str, ...]) -> dict[str, int]:
    return {label: int(sums.get(label, 0)) for label in labels}


def _award_totals(awards: pl.DataFrame, status: str) -> dict[str, object]:
    """Awards (or nominations) by subject, level and form, zero-filled."""
    subjects = {"collective": vocab.SUBJECT_COLLECTIVE, "individual": vocab.SUBJECT_INDIVIDUAL}
    by_level = {level: dict.fromkeys(subjects, 0) for level in vocab.AWARD_LEVELS}
    total = dict.fromkeys(subjects, 0)
    forms: dict[object, int] = {}
    rows = awards.filter(pl.col("trang_thai") == status)
    for level, form, subject, n in rows.select(
        "cap_khen_thuong", "hinh_thuc", "doi_tuong", "n_awards"
    ).iter_rows():
        for key, label in subjects.items():
            if subject == label:
                total[key] += n
                if level in by_level:
                    by_level[level][key] += n
        forms[form] = forms.get(form, 0) + n
    return {
        "total": total["collective"] + total["individual"],
        **total,
        "by_level": by_level,
        "by_form": _zero_filled(forms, vocab.AWARD_FORMS),
    }


def _round(value: object, digits: int = 6) -> object:
    return round(value, digits) if isinstance(value, float) else value


def _years_frame(f: Filters) -> pl.DataFrame:
    return pl.DataFrame({"nam": f.years}, schema={"nam": pl.Int32})


# --- the public API ----------------------------------------------------------------------------


def reported_years(cur: Cursor) -> list[int]:
    """The years with at least one registration (DOMAIN.md section 4: years with data), in order."""
    return sorted(periods.reported_years(cur))


def summary(cur: Cursor, f: Filters, *, with_models: bool = False) -> dict:
    """The headline figures of one scope and period as a JSON-ready dict (rates rounded to 6 digits).

    Distinct models need a pass over the model codes of every year; they are left out (None)
    unless with_models=True, which keeps the common call fast.
    """
    with _open(cur, f) as ctx:
        return _summary(ctx, _period_figures(ctx, with_models=with_models))


def _summary(ctx: _Context | _AggContext, figures: Mapping[str, object]) -> dict:
    f = ctx.f
    cube = ctx.cube
    awards = ctx.award_counts()
    unit_name = ctx.unit_name
    per_year = {
        year: dict.fromkeys(("registrations", "collective", "individual", "awards", "nominations"), 0)
        for year in f.years
    }
    for year, subject, n in cube.select("nam", "doi_tuong", "n_registrations").iter_rows():
        if year in per_year:
            row = per_year[year]
            row["registrations"] += n
            if subject == vocab.SUBJECT_COLLECTIVE:
                row["collective"] += n
            elif subject == vocab.SUBJECT_INDIVIDUAL:
                row["individual"] += n
    for year, status, n in awards.select("nam", "trang_thai", "n_awards").iter_rows():
        if year in per_year and status in (vocab.STATUS_AWARDED, vocab.STATUS_NOMINATED):
            per_year[year]["awards" if status == vocab.STATUS_AWARDED else "nominations"] += n
    pending = dict.fromkeys(f.years, 0)
    for year, result, n in cube.select("nam", "ket_qua", "n_registrations").iter_rows():
        if year in pending and result in periods.PENDING_RESULTS:
            pending[year] += n
    labels = _label_sums(cube, CUBE_COLUMNS, "n_registrations")
    nominations = _award_totals(awards, vocab.STATUS_NOMINATED)
    del nominations["by_form"]
    reported = periods.reported_in(f.years, ctx.reported)
    n_pending = sum(pending.values())
    n_registrations = cast(int, figures["registrations"])  # the figures mapping holds a count here
    return {
        "from": f.year_from,
        "to": f.year_to,
        "reported_years": reported,
        "period_label": periods.coverage_label(f.year_from, f.year_to, reported),
        "period_label_en": periods.coverage_label(f.year_from, f.year_to, reported, "en"),
        "pending": {
            "count": n_pending,
            "share": _round(n_pending / n_registrations) if n_registrations else None,
            "not_final_years": [
                year
                for year, n in pending.items()
                if n and n / per_year[year]["registrations"] > periods.NOT_FINAL_SHARE
            ],
        },
        "unit": f.unit,
        "unit_name": unit_name,
        "filters": {"field": f.field, "subject": f.subject, "movement": f.movement, "kind": f.kind},
        "registrations": {
            "total": figures["registrations"],
            "collective": figures["collective"],
            "individual": figures["individual"],
            "by_field": _zero_filled(labels["linh_vuc"], vocab.FIELDS),
            "by_movement": _zero_filled(labels["phong_trao"], vocab.MOVEMENTS),
            "by_kind": _zero_filled(labels["loai"], vocab.KINDS),
            "by_subject": _zero_filled(labels["doi_tuong"], vocab.SUBJECTS),
            "by_result": _zero_filled(labels["ket_qua"], vocab.RESULTS),
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
        "conferences": {
            "total": figures["conferences"],
            "commendation": figures["commendation_conferences"],
            "attendees": figures["conference_attendees"],
            "member_attendees": figures["conference_member_attendees"],
        },
        "attendance_rate": _round(figures["attendance_rate"]),
        "awards": _award_totals(awards, vocab.STATUS_AWARDED),
        "nominations": nominations,
        "by_year": [
            {
                "year": year,
                **counts,
                "pending": pending[year],
                "pending_share": _round(pending[year] / counts["registrations"])
                if counts["registrations"]
                else None,
            }
            for year, counts in per_year.items()
        ],
    }


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
    """One row per year of the period (column nam): every figure, plus <fig>_change and <fig>_change_pct.

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
    registration, award, nomination or conference in it. `below_target` is true when some
    (chi bộ, year) of its subtree missed the 1 DVK + 1 QCDC target (null when it has no chi bộ
    active in the period). Models are scope-wide only and not broken down per unit.
    """
    with _open(cur, f) as ctx:
        figures = _unit_figures(ctx, "child", by_year=False).drop("window")
        children = ctx.children().select("unit_idx", "ma_don_vi", "ten_don_vi", "cap", "is_active")
    unit_keys = _figure_columns(with_models=False)
    return (
        children.join(figures, left_on="unit_idx", right_on="group", how="left")
        .with_columns(pl.col(c).fill_null(0) for c in COUNT_COLUMNS)
        .filter(
            pl.col("is_active")
            | (pl.col("registrations") + pl.col("awards") + pl.col("nominations") + pl.col("conferences") > 0)
        )
        .with_columns(
            pl.when(pl.col("branch_years") > 0)
            .then(pl.col("branch_years_meeting_target") < pl.col("branch_years"))
            .otherwise(None)
            .alias("below_target")
        )
        .sort("unit_idx")
        .select("ma_don_vi", "ten_don_vi", "cap", "is_active", *unit_keys, "below_target")
    )


_COMPARE_GROUPS = {
    "by_field": ("lĩnh vực", "field"),
    "by_movement": ("phong trào", "movement"),
    "by_kind": ("loại", "kind"),
    "by_subject": ("đối tượng", "subject"),
    "by_result": ("kết quả", "result"),
}


def _compare_rows(ctx: _Context | _AggContext, lang: str) -> list[tuple[str, str, float | None]]:
    """(figure, label, value) for every comparable figure of one period."""
    figures = _period_figures(ctx)
    s = _summary(ctx, figures)
    en = lang == "en"
    rows = [(fig.key, fig.label(lang), figures[fig.key]) for fig in FIGURES]
    word = "Registrations" if en else "Đăng ký"
    for group, (title_vi, title_en) in _COMPARE_GROUPS.items():
        for label, value in s["registrations"][group].items():
            rows.append(
                (f"registrations.{group}.{label}", f"{word} - {title_en if en else title_vi} {label}", value)
            )
    for status_key, title in (
        ("awards", "Awards" if en else "Khen thưởng"),
        ("nominations", "Nominations" if en else "Đề nghị"),
    ):
        for level, split in s[status_key]["by_level"].items():
            rows.append(
                (
                    f"{status_key}.by_level.{level}",
                    f"{title} - {level}",
                    split["collective"] + split["individual"],
                )
            )
    form_title = "Awards - form" if en else "Khen thưởng - hình thức"
    for form, n in s["awards"]["by_form"].items():
        rows.append((f"awards.by_form.{form}", f"{form_title} {form}", n))
    return rows


def compare(cur: Cursor, a: Filters, b: Filters, lang: str = "vi") -> pl.DataFrame:
    """Every figure of period A "so với" period B (DOMAIN.md section 4): figure, label, a, b,
    change (= a - b), change_pct (= change / b; none for a rate, which changes in percentage
    points: its change is the difference of the two fractions). No change at all when A or B has no reported year (periods.change)."""
    ctx_b: _Context | _AggContext
    with _open(cur, a) as ctx_a:
        if isinstance(ctx_a, _AggContext):
            ctx_b = ctx_a.with_filters(b)
            if ctx_b.shares_models(ctx_a):  # count both periods' models in one pass
                ctx_a.models_in([(a.year_from, a.year_to), (b.year_from, b.year_to)])
            rows_b = _compare_rows(ctx_b, lang)
        rows_a = _compare_rows(ctx_a, lang)
        reported = ctx_a.reported
    if not isinstance(ctx_a, _AggContext):
        with _open(cur, b) as ctx_b:
            rows_b = _compare_rows(ctx_b, lang)
    has_data = bool(periods.reported_in(a.years, reported)) and bool(periods.reported_in(b.years, reported))
    figure, label, va, vb, change, pct = [], [], [], [], [], []
    for (key, lab, x), (_, _, y) in zip(rows_a, rows_b, strict=True):
        figure.append(key)
        label.append(lab)
        va.append(None if x is None else float(x))
        vb.append(None if y is None else float(y))
        delta, relative = periods.change(x, y, has_data=has_data)
        change.append(delta)
        rate = key in FIGURES_BY_KEY and FIGURES_BY_KEY[key].kind == RATE
        pct.append(None if rate else relative)  # a rate changes in points, not in % of itself
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
    For ma_don_vi the rows are every unit of the scope in tree order and count the unit's own rows
    (not its subtree).
    """
    if by not in BREAKDOWN_COLUMNS:
        raise FiguresError(f"cannot break down by {by!r}; choose one of {', '.join(BREAKDOWN_COLUMNS)}")
    numbers = ["registrations", "collective", "individual", "recognised"]
    with _open(cur, f) as ctx:
        if by == "ma_don_vi":
            counts = ctx.own_registrations()
            out = (
                ctx.units.select("unit_idx", "ma_don_vi", "ten_don_vi", "cap")
                .join(counts, on="unit_idx", how="left")
                .sort("unit_idx")
                .drop("unit_idx")
            )
        else:
            counts = _label_counts(ctx.cube, [by])
            choices = BREAKDOWN_COLUMNS[by]
            assert choices is not None  # only ma_don_vi has none
            labels = pl.DataFrame({by: list(choices)}, schema={by: pl.String})
            out = labels.join(counts, on=by, how="left")
    out = out.with_columns(pl.col(numbers).fill_null(0).cast(pl.Int64))
    total = out["registrations"].sum()
    return out.with_columns(
        (pl.col("registrations") / total if total else pl.lit(None, dtype=pl.Float64)).alias("share")
    )


def awards_by_year(cur: Cursor, f: Filters) -> pl.DataFrame:
    """Per year of the period: awards to collectives and to individuals, nominations, and awards per
    100 registrations.

    Columns: year, collective, individual, nominations, registrations, per_100. Awards take the
    period, the scope and the subject only, so the registrations they are set against are counted
    over the same (field, movement and kind left out); per_100 is null in a year without any.
    """
    awards = awards_breakdown(cur, f)
    with _open(cur, replace(f, field=None, movement=None, kind=None)) as ctx:
        registrations = ctx.cube.group_by(pl.col("nam").cast(pl.Int64).alias("year")).agg(
            pl.col("n_registrations").sum().cast(pl.Int64).alias("registrations")
        )
    awarded, nominated = (
        pl.col("trang_thai") == vocab.STATUS_AWARDED,
        pl.col("trang_thai") == vocab.STATUS_NOMINATED,
    )
    n = pl.col("n_awards")
    counts = awards.group_by(pl.col("nam").cast(pl.Int64).alias("year")).agg(
        n.filter(awarded & (pl.col("doi_tuong") == vocab.SUBJECT_COLLECTIVE)).sum().alias("collective"),
        n.filter(awarded & (pl.col("doi_tuong") == vocab.SUBJECT_INDIVIDUAL)).sum().alias("individual"),
        n.filter(nominated).sum().alias("nominations"),
    )
    return (
        pl.DataFrame({"year": f.years}, schema={"year": pl.Int64})
        .join(counts, on="year", how="left")
        .join(registrations, on="year", how="left")
        .with_columns(
            pl.col("collective", "individual", "nominations", "registrations").fill_null(0).cast(pl.Int64)
        )
        .with_columns(
            pl.when(pl.col("registrations") > 0)
            .then((pl.col("collective") + pl.col("individual")) / pl.col("registrations") * 100)
            .alias("per_100")
        )
        .sort("year")
    )


def _label_counts(cube: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Registrations, collective, individual and recognised of the cube, per `keys`."""
    n = pl.col("n_registrations")
    return cube.group_by(keys).agg(
        n.sum().alias("registrations"),
        n.filter(pl.col("doi_tuong") == vocab.SUBJECT_COLLECTIVE).sum().alias("collective"),
        n.filter(pl.col("doi_tuong") == vocab.SUBJECT_INDIVIDUAL).sum().alias("individual"),
        n.filter(pl.col("ket_qua").is_in(vocab.RECOGNISED_RESULTS)).sum().alias("recognised"),
    )


def _label_column(by: str) -> tuple[str, ...]:
    labels = BREAKDOWN_COLUMNS.get(by)
    if labels is None:
        choices = ", ".join(k for k, v in BREAKDOWN_COLUMNS.items() if v is not None)
        raise FiguresError(f"cannot break down by {by!r} here; choose one of {choices}")
    return labels


def breakdown_by_year(cur: Cursor, f: Filters, by: str) -> pl.DataFrame:
    """A breakdown (doi_tuong, linh_vuc, loai, phong_trao or ket_qua) for each year of the period,
    with each label's change from the year before.

    Columns: nam, <by>, registrations, collective, individual, recognised, change, change_pct.
    Every year and every canonical label has a row (zero-filled); the first year's changes are null,
    and so is a % change from zero.
    """
    labels = _label_column(by)
    numbers = ["registrations", "collective", "individual", "recognised"]
    with _open(cur, f) as ctx:
        counts = _label_counts(ctx.cube, ["nam", by]).with_columns(pl.col("nam").cast(pl.Int64))
    grid = pl.DataFrame(
        [(year, label) for year in f.years for label in labels],
        schema={"nam": pl.Int64, by: pl.String},
        orient="row",
    )
    out = grid.join(counts, on=["nam", by], how="left").with_columns(
        pl.col(numbers).fill_null(0).cast(pl.Int64)
    )
    before = pl.col("registrations").shift(1).over(by, order_by="nam")
    return out.sort("nam", maintain_order=True).with_columns(
        (pl.col("registrations") - before).alias("change"),
        pl.when(before > 0).then((pl.col("registrations") - before) / before).alias("change_pct"),
    )


def breakdown_by_child(cur: Cursor, f: Filters, by: str) -> pl.DataFrame:
    """A breakdown (doi_tuong, linh_vuc, loai, phong_trao or ket_qua) for each child unit of the
    scope, over the child's whole subtree: the children as `by_unit` lists them.

    Columns: ma_don_vi, ten_don_vi, <by>, registrations, collective, individual, recognised, share
    (of the child's registrations; null for a child without any).
    """
    _label_column(by)
    children = by_unit(cur, f).select("ma_don_vi", "ten_don_vi")
    parts = [
        breakdown(cur, replace(f, unit=code), by).select(
            pl.lit(code).alias("ma_don_vi"), pl.lit(name).alias("ten_don_vi"), pl.all()
        )
        for code, name in children.iter_rows()
    ]
    if not parts:
        empty = {"ma_don_vi": pl.String, "ten_don_vi": pl.String, by: pl.String}
        numbers = {c: pl.Int64 for c in ("registrations", "collective", "individual", "recognised")}
        return pl.DataFrame(schema={**empty, **numbers, "share": pl.Float64})
    return pl.concat(parts)


def awards_breakdown(cur: Cursor, f: Filters) -> pl.DataFrame:
    """Awards and nominations counted by year, level, form, subject and status, zero-filled.

    Columns: nam, cap_khen_thuong, hinh_thuc, doi_tuong, trang_thai, n_awards (every combination of
    the period's years and the canonical labels, so a chart can pivot without gaps).
    """
    with _open(cur, f) as ctx:
        counts = ctx.award_counts()
    dims = ["nam", "cap_khen_thuong", "hinh_thuc", "doi_tuong", "trang_thai"]
    subjects = (f.subject,) if f.subject else vocab.SUBJECTS
    grid = pl.DataFrame(
        list(
            itertools.product(f.years, vocab.AWARD_LEVELS, vocab.AWARD_FORMS, subjects, vocab.AWARD_STATUSES)
        ),
        schema={"nam": pl.Int32, **{d: pl.String for d in dims[1:]}},
        orient="row",
    )
    totals = counts.group_by(dims).agg(pl.col("n_awards").sum())
    return (
        grid.join(totals, on=dims, how="left")
        .with_columns(pl.col("n_awards").fill_null(0).cast(pl.Int64))
        .sort(dims)
    )


def compliance_matrix(cur: Cursor, f: Filters, per: str = "branch") -> pl.DataFrame:
    """Target compliance (>= 1 DVK and >= 1 QCDC registration) per chi bộ (or child unit) and year.

    per='branch': one row per chi bộ of the scope active in the period, and year, in tree order: ma_don_vi,
    ten_don_vi, cap, nam, is_active (that year), n_dvk, n_qcdc (in its subtree), meets_target (null
    when inactive, or in a year without data). per='child': one row per child unit and year: branch_years,
    branch_years_meeting_target, target_compliance_rate (null without an active chi bộ).
    """
    if per not in ("branch", "child"):
        raise FiguresError("per must be 'branch' or 'child'")
    # every chi bộ's own subtree counts: from the base tables (the aggregates sum top units only)
    with _open(cur, f, aggregates=per == "child") as ctx:
        if per == "child":
            figures = _unit_figures(ctx, "child", by_year=True)
            children = ctx.children().select("unit_idx", "ma_don_vi", "ten_don_vi", "cap")
            return (
                children.join(figures.rename({"group": "unit_idx", "window": "nam"}), on="unit_idx")
                .sort("unit_idx", "nam")
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
        assert isinstance(ctx, _Context)  # aggregates=False
        units = ctx.units.lazy()
        movements = ctx.subtree_totals.lazy().select("unit_idx", "nam", "n_dvk", "n_qcdc")
        return (
            units.filter(pl.col("cap").is_in(vocab.BRANCH_LEVELS) & pl.col("is_active"))
            .join(_years_frame(f).lazy(), how="cross")
            .with_columns(_active_between(pl.col("nam"), pl.col("nam")).alias("is_active"))
            .join(movements, on=["unit_idx", "nam"], how="left")
            .with_columns(pl.col("n_dvk", "n_qcdc").fill_null(0).cast(pl.Int64))
            .with_columns(
                pl.when(
                    pl.col("is_active")
                    & pl.col("nam").is_in(pl.Series(sorted(ctx.reported), dtype=pl.Int32).implode())
                )
                .then((pl.col("n_dvk") > 0) & (pl.col("n_qcdc") > 0))
                .otherwise(None)
                .alias("meets_target")
            )
            .sort("unit_idx", "nam")
            .select("ma_don_vi", "ten_don_vi", "cap", "nam", "is_active", "n_dvk", "n_qcdc", "meets_target")
            .collect()
        )


def score_distribution(cur: Cursor, f: Filters, bin_width: float = 5.0) -> pl.DataFrame:
    """Histogram of registration scores (diem): bin_from, bin_to, label, n_registrations, n_recognised, share.

    Bins are [from, to) except the last, which includes 100; every bin is listed.
    """
    if not 0 < bin_width <= 100:
        raise FiguresError("bin_width must be in (0, 100]")
    with _open(cur, f) as ctx:
        counts = ctx.score_counts(float(bin_width))
    n_bins = math.ceil(100 / bin_width)
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
    hieu_luc_tu, hieu_luc_den, registrations (own rows under the filters, for a treemap's sizes)."""
    with _open(cur, f) as ctx:
        own = ctx.own_registrations(collective_and_recognised=False).select("unit_idx", "registrations")
        units = ctx.units
    return (
        units.join(own, on="unit_idx", how="left")
        .with_columns(pl.col("registrations").fill_null(0).cast(pl.Int64))
        .sort("unit_idx")
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
    Rows are ordered by year and key (unique), so pages are stable.
    """
    _check_table(table)
    if (limit is not None and limit < 0) or offset < 0:
        raise FiguresError("limit and offset must not be negative")
    with _open(cur, f, aggregates=False) as ctx:
        assert isinstance(ctx, _Context)  # aggregates=False
        rel = _relation(ctx.cur, f"records_{table}", ctx.params)
        if limit is not None or offset:
            rel = rel.limit(limit if limit is not None else 2**62, offset=offset)
        return rel.pl()


def count_records(cur: Cursor, f: Filters, table: str) -> int:
    """How many rows `records` would return without paging."""
    _check_table(table)
    with _open(cur, f, aggregates=False) as ctx:
        assert isinstance(ctx, _Context)  # aggregates=False
        return int(_relation(ctx.cur, f"records_{table}", ctx.params).aggregate("count(*)").fetchall()[0][0])


def figures_table(cur: Cursor, f: Filters, lang: str = "vi") -> pl.DataFrame:
    """Every scalar figure as a row (figure, label), one column per year and one for the period."""
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
    schema = {k: (pl.String if k in ("figure", "label") else pl.Float64) for k in columns}
    return pl.DataFrame(columns, schema=schema)


def _as_float(value: float | None) -> float | None:
    return None if value is None else float(value)
