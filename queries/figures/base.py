"""The base-table source: figures computed from dang_ky, don_vi, quy_mo, hoi_nghi and khen_thuong.

How a request runs: the scope's subtree is resolved once in DuckDB (`sql/scope_units.sql`, a
recursive CTE) and registered on the cursor as `scope_units` (code -> unit_idx). `sql/counts.sql`
then makes one pass over the scope's registrations and returns small frames: every unit's own
counts per year (registrations, conferences, awards, sizes) and a per-year cube of the categorical
columns; `sql/award_counts.sql` counts awards by level, form, subject and status. Polars turns
those into figures: subtree totals bottom-up one depth level at a time, then one lazy query per
figure set. A summary is three round trips; models (`sql/models_period.sql`) are a fourth, on request.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

import polars as pl

from queries import named_sql, periods, store, vocab
from queries import structure as unit_structure
from queries.figures.catalogue import CUBE_COLUMNS
from queries.figures.filters import Filters, UnknownUnitError
from queries.figures.frames import SCOPE_GROUP, UNIT_ID, active_between, year_windows
from queries.named_sql import Cursor

SCOPE_VIEW = "scope_units"
PATH_SEPARATOR = chr(31)  # joins the codes of a unit's path in scope_units.sql


@dataclass
class BaseSource:
    """One request answered from the base tables: the filters, the cursor with the scope registered,
    and the resolved units (a Source; open it with open_base)."""

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
        """A named query over the registered scope, run at most once per request, and on a
        read-only snapshot at most once for the same filters (SNAPSHOT_QUERIES)."""
        if name not in self._cache:
            # the filters decide the scope registered and the parameters
            key = (name, repr(self.f))
            self._cache[name] = store.snapshot_kept(
                self.cur, "base_queries", key, lambda: self._run(name), SNAPSHOT_QUERIES
            )
        return self._cache[name]

    def _run(self, name: str) -> pl.DataFrame:
        frame = named_sql.run_sql(self.cur, name, self.params)
        casts = [
            pl.col(c).cast(UNIT_ID if c == "unit_idx" else pl.Int32)
            for c in ("unit_idx", "nam")
            if c in frame.columns
        ]
        return frame.with_columns(casts)

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
        return named_sql.run_sql(self.cur, "scores", {**self.params, "bin_width": bin_width})

    def sibling(self, f: Filters) -> None:
        """None: another request on the base tables registers its own scope (see Source.sibling)."""
        return None

    def own_registrations(self, collective_and_recognised: bool = True) -> pl.DataFrame:
        """Per unit_idx, the unit's own rows: registrations, collective, individual, recognised."""
        return self.own_counts.group_by("unit_idx").agg(
            pl.col("n_registrations").sum().alias("registrations"),
            pl.col("n_collective").sum().alias("collective"),
            pl.col("n_individual").sum().alias("individual"),
            pl.col("n_recognised").sum().alias("recognised"),
        )


# The base tables' answers a read-only snapshot keeps for the next requests with the same filters
# (a page asks for a period's counts for its cards, its charts and its comparison, each its own
# request): the most recently used ones, as many as this. A snapshot never sees a write (writes
# replace the file, queries/store.py), so an answer kept holds until the snapshot closes.
SNAPSHOT_QUERIES = 8


@contextlib.contextmanager
def open_base(cur: Cursor, f: Filters, reported: frozenset[int] | None = None) -> Iterator[BaseSource]:
    """A source on the base tables: the scope's units resolved once (scope_units.sql) and registered
    on the cursor as SCOPE_VIEW for the request's queries; unregistered when the block ends."""
    if reported is None:
        reported = periods.reported_years(cur)
    # the scope's nodes as the reading has them (DOMAIN.md 4a): a unit that moved keeping its code
    # is a node per place; `links` says which node each unit's records of each year belong to
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
        yield BaseSource(cur, f, units, reported)
    finally:
        cur.unregister(SCOPE_VIEW)


# --- subtree totals and groups ----------------------------------------------------------------------------

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


# counts.sql names -> the figures' names
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


def _subtree_totals(ctx: BaseSource) -> pl.DataFrame:
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


def _unit_groups(ctx: BaseSource, per: str) -> tuple[pl.DataFrame, pl.DataFrame]:
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


def _unit_counts(ctx: BaseSource, per: str, by_year: bool) -> pl.DataFrame:
    """From the base tables: the counts behind unit_figures per (group, window).

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
    windows_of_years = year_windows(ctx.f, by_year).lazy()
    nam_window = windows_of_years.select("nam", "window")
    windows = windows_of_years.select("window", "y0", "y1").unique()
    # unit-based figures count the reported years only (periods.reported_years): each window's
    # grassroots units are those active between its first and last reported year, its chi bộ-years
    # those of its reported years; a window without a reported year has neither
    reported = pl.Series(sorted(ctx.reported), dtype=pl.Int32)
    reported_years = windows_of_years.filter(pl.col("nam").is_in(reported.implode()))
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
        .filter(active_between(pl.col("y0"), pl.col("y1")))
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
        .filter(active_between(pl.col("nam"), pl.col("nam")))
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
