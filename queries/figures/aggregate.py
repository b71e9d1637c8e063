"""The aggregate-table source: the same figures as the base tables, from the tables in memory.

Categories are codes: positions in the vocab tuples. A registration's combination is
f * 8 + s * 4 + k * 2 + m (aggregates.combination_bit); its cell packs the codes and its result r
as bits, f << 6 | s << 5 | k << 4 | m << 3 | r, so that any filter is one mask and one comparison.
tests/test_aggregates.py checks every figure against the base tables.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from queries import aggregates, periods, vocab
from queries.figures.agg_tables import AggScope, AggTables, UnitYears, find_scope, ranges
from queries.figures.filters import Filters
from queries.figures.frames import SCOPE_GROUP, UNIT_ID
from queries.named_sql import Cursor

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


class AggregateSource:
    """One request answered from the aggregate tables: the same figures as BaseSource (a Source)."""

    def __init__(
        self,
        cur: Cursor,
        f: Filters,
        tables: AggTables,
        scope: AggScope,
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
        """Depth of the scope's children below the scope's root(s), as BaseSource.child_depth."""
        return 1 if self.scope.n_roots == 1 else 0

    def _units(self, depth: int | None = None) -> pl.DataFrame:
        """The scope's units (at one depth below its root) as BaseSource.units: unit_idx, depth, is_active."""
        f, lo = self.f, self.scope.lo
        units = self.tables.units.slice(lo, self.scope.hi - lo + 1)
        # only the nodes of the period's years (as it was, a unit that moved is a node per place)
        units = units.filter((pl.col("node_from") <= f.year_to) & (pl.col("node_to") >= f.year_from))
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
            in_span = slice(scope.lo, scope.hi + 1)
            placed = (tables.node_from[in_span] <= f.year_to) & (tables.node_to[in_span] >= f.year_from)
            tops = span[(tables.depth[in_span] == top_depth) & placed]
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
            rows, owner = ranges(starts, lengths), np.repeat(counted, lengths)
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
                tables.last_pos[tops] if per != "scope" else np.array([scope.hi]),
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
        """Registrations per year and label, as BaseSource.cube."""
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
        for the windows with models; answers kept for the request (and shared, see sibling)."""
        missing = [w for w in windows if w not in self._models]
        if missing and self.tables.n_models and self.scope.all_roots:  # every registration's models
            first, by_year = self.tables.models_by_year(self.cur, self.cell_mask, self.cell_value)
            first_year = self.tables.model_first_year(self.cur)
            for y0, y1 in missing:
                years = by_year[max(y0 - first, 0) : max(y1 - first + 1, 0)]
                if len(years):
                    seen = np.bitwise_or.reduce(years, axis=0)
                    carried = seen & np.packbits(first_year < y0)
                    self._models[(y0, y1)] = (
                        int(np.bitwise_count(seen).sum()),
                        int(np.bitwise_count(carried).sum()),
                    )
        elif missing and self.tables.n_models:
            facts = self.tables.facts(self.cur)
            first_year = self.tables.model_first_year(self.cur)
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

    def sibling(self, f: Filters) -> AggregateSource | None:
        """A source for other filters on the same tables. When only the period differs, it shares
        this one's answers on models and both periods' models are counted in one pass."""
        scope = find_scope(self.tables, f) if f.structure == self.f.structure else None
        if scope is None:  # another reading, or a unit the base tables answer for
            return None
        other = AggregateSource(self.cur, f, self.tables, scope, self.reported)
        if replace(f, year_from=self.f.year_from, year_to=self.f.year_to) == self.f:
            other._models = self._models
            self.models_in([(self.f.year_from, self.f.year_to), (f.year_from, f.year_to)])
        return other

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


def _group_sums(groups: np.ndarray, where: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group and column of `where` (bool [rows, columns]), how many rows hold; `groups`, the
    group of each row, is in order (rows are in position order, and so are groups)."""
    out = np.zeros((n_groups, where.shape[1]), dtype=np.int64)
    if len(groups) and where.shape[1]:
        starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
        out[groups[starts]] = np.add.reduceat(where, starts, axis=0, dtype=np.int64)
    return out


@dataclass(frozen=True)
class _Classes:
    """Some units' rows (UnitYears) inside the groups of a request, as the classes the unit-level
    counts count: a unit at one place is its own class; the places of a unit at several (as it
    was: it moved keeping its code) inside one group are one class, which holds what its places
    hold together. Counting needs no sort of the rows: only those of units with several places
    are ordered, by (group, code), once per request."""

    n_groups: int
    single: np.ndarray  # the rows of units with one place, inside a group
    single_group: np.ndarray
    several: np.ndarray  # the rows of units with several places inside a group, by (group, code)
    starts: np.ndarray  # where each of their classes begins in `several`
    several_group: np.ndarray  # each of those classes' group

    @staticmethod
    def of(units: UnitYears, group_pos: np.ndarray, group_last: np.ndarray, f: Filters) -> _Classes:
        # each unit's group: the last group top at or before its position, if it is in its subtree;
        # only the nodes of the period's years count (UnitYears.placed)
        groups = np.searchsorted(group_pos, units.pos, "right") - 1
        inside = (groups >= 0) & (units.pos <= group_last[np.maximum(groups, 0)])
        inside &= units.placed(f.year_from, f.year_to)
        single = np.flatnonzero(inside & ~units.several)
        several = np.flatnonzero(inside & units.several)
        keys = groups[several] * (int(units.code.max(initial=0)) + 1) + units.code[several]
        order = np.argsort(keys, kind="stable")
        several, keys = several[order], keys[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
        return _Classes(len(group_pos), single, groups[single], several, starts, groups[several[starts]])

    def _any(self, where: np.ndarray) -> np.ndarray:
        """Per class of units with several places and column: whether one of its rows holds."""
        return np.logical_or.reduceat(where[self.several], self.starts, axis=0)

    def count(self, where: np.ndarray) -> np.ndarray:
        """Per group and column of `where` (bool [rows, columns]): the classes with a row where it holds."""
        out = _group_sums(self.single_group, where[self.single], self.n_groups)
        if len(self.starts):
            out += _group_sums(self.several_group, self._any(where), self.n_groups)
        return out

    def count_both(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Per group and column: the classes meeting a and b (at several places, their places
        together do: one may hold the DVK model, another the QCDC one)."""
        out = _group_sums(self.single_group, a[self.single] & b[self.single], self.n_groups)
        if len(self.starts):
            out += _group_sums(self.several_group, self._any(a) & self._any(b), self.n_groups)
        return out


def _unit_level_counts(
    grassroots: UnitYears,
    branches: UnitYears,
    group_pos: np.ndarray,
    group_last: np.ndarray,
    windows: list,
    f: Filters,
    reported: frozenset[int],
) -> dict[str, np.ndarray]:
    """Per group (index into group_pos, its subtree the positions up to group_last) and window
    (index into windows): grassroots units active in the window, those with a registration under
    the filters / a commendation conference in their subtree, chi bộ-years active, and those
    meeting the 1 DVK + 1 QCDC target (under the filters but the movement). Only the window's
    reported years count (periods.reported_years): a window without one has no grassroots unit and
    no chi bộ-year. A unit at several places of a group (as it was: it moved keeping its code)
    counts once, with what its places hold together, as in the base tables (_Classes); only the
    nodes of the period's years count (UnitYears.placed). Every window (and every year of the
    chi bộ-years) is a column of one pass."""
    registered = _combination_mask(f, movement=f.movement)
    dvk = _combination_mask(f, movement=vocab.MOVEMENT_DVK)
    qcdc = _combination_mask(f, movement=vocab.MOVEMENT_QCDC)

    # grassroots units: one column per window
    n_windows = len(windows)
    active = np.zeros((len(grassroots.pos), n_windows), dtype=bool)
    with_registration = np.zeros_like(active)
    with_conference = np.zeros_like(active)
    for w, (_, y0, y1) in enumerate(windows):
        reported_span = periods.span(y0, y1, reported)
        if reported_span is not None:
            active[:, w] = grassroots.active(*reported_span)
        with_registration[:, w] = grassroots.any_registered(y0, y1, registered)
        with_conference[:, w] = grassroots.any_commendation(y0, y1)
    g_classes = _Classes.of(grassroots, group_pos, group_last, f)
    out = {
        "grassroots_units": g_classes.count(active),
        "units_with_registration": g_classes.count(active & with_registration),
        "units_with_conference": g_classes.count(active & with_conference),
    }

    # chi bộ-years: one column per reported year of the windows, then summed per window
    years = periods.reported_in(sorted({y for _, y0, y1 in windows for y in range(y0, y1 + 1)}), reported)
    alive = branches.active_in(years)
    has_dvk, has_qcdc = branches.registered_in(years, dvk), branches.registered_in(years, qcdc)
    b_classes = _Classes.of(branches, group_pos, group_last, f)
    branch_years = b_classes.count(alive)
    met = b_classes.count_both(alive & has_dvk, alive & has_qcdc)
    in_window = np.array([[y0 <= y <= y1 for _, y0, y1 in windows] for y in years], dtype=np.int64)
    in_window = in_window.reshape(len(years), n_windows)
    out["branch_years"] = branch_years @ in_window
    out["branch_years_meeting_target"] = met @ in_window
    # ordered by group, then window
    return {c: out[c].reshape(-1) for c in _UNIT_LEVEL_COLUMNS}


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
