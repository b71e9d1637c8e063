"""What the report pages draw, worked out from the engine's figures: every grouping, order and ratio a
page shows lives here, so a page only lays out and draws (STYLE.md: "pages only draw").

Functions that read take a cursor and filters (the dashboard calls them through dashboard.shared,
which scopes and caches them); the others are pure over frames. Years are `year` in every frame.
"""

from __future__ import annotations

import collections

import duckdb
import polars as pl

from queries import figures, labels, periods, structure, vocab
from queries.figures import Filters
from queries.formatting import fmt_period

Cursor = duckdb.DuckDBPyConnection


# --- per year ------------------------------------------------------------------------------------


def trend(cur: Cursor, f: Filters) -> pl.DataFrame:
    """Every figure per year (queries.figures.trend), the year as `year`."""
    return figures.trend(cur, f).rename({"nam": "year"})


# --- comparison of two periods -------------------------------------------------------------------


def comparison(cur: Cursor, a: Filters, b: Filters, lang: str = "vi") -> pl.DataFrame:
    """The rows of "A so với B" a page shows (figures.compare: figure, label, a, b, change,
    change_pct), each named by the label catalogue; a breakdown row (a field, a level...) only
    when either period has some."""
    table = figures.compare(cur, a, b, lang)
    rows = table.filter(pl.col("a").is_not_null() | pl.col("b").is_not_null()).filter(
        ~(
            (pl.col("a").fill_null(0) == 0)
            & (pl.col("b").fill_null(0) == 0)
            & pl.col("figure").str.contains(".", literal=True)
        )
    )
    names = [labels.compare_row_name(key, lang) for key in rows["figure"]]
    return rows.with_columns(pl.Series("label", names, dtype=pl.String))


def side_by_side(cur: Cursor, a: Filters, b: Filters, by: str) -> pl.DataFrame:
    """Registrations per value of `by` in A and in B (category, a, b): values either period has."""
    in_a = figures.breakdown(cur, a, by).select(
        pl.col(by).alias("category"), pl.col("registrations").alias("a")
    )
    in_b = figures.breakdown(cur, b, by).select(
        pl.col(by).alias("category"), pl.col("registrations").alias("b")
    )
    out = in_a.join(in_b, on="category", how="full", coalesce=True).with_columns(
        pl.col("a", "b").fill_null(0)
    )
    return out.filter((pl.col("a") > 0) | (pl.col("b") > 0))


def unit_changes(cur: Cursor, a: Filters, b: Filters) -> pl.DataFrame:
    """Registrations per child unit in A and B and the change A - B (ma_don_vi, ten_don_vi, a, b,
    change): units either period has, the largest first. No change (null) when A or B has no
    reported year (DOMAIN.md section 4: never a change against a baseline without data)."""
    reported = periods.reported_years(cur)
    has_data = bool(periods.reported_in(a.years, reported)) and bool(periods.reported_in(b.years, reported))
    in_a = figures.by_unit(cur, a).select("ma_don_vi", "ten_don_vi", pl.col("registrations").alias("a"))
    in_b = figures.by_unit(cur, b).select("ma_don_vi", "ten_don_vi", pl.col("registrations").alias("b"))
    return (
        in_a.join(in_b, on="ma_don_vi", how="full", coalesce=True)
        .with_columns(
            pl.col("a", "b").fill_null(0),
            pl.coalesce("ten_don_vi", "ten_don_vi_right", "ma_don_vi").alias("ten_don_vi"),
        )
        .with_columns(
            (pl.col("a") - pl.col("b") if has_data else pl.lit(None, dtype=pl.Int64)).alias("change")
        )
        .filter((pl.col("a") > 0) | (pl.col("b") > 0))
        .sort(pl.max_horizontal("a", "b"), "ma_don_vi", descending=[True, False])
        .select("ma_don_vi", "ten_don_vi", "a", "b", "change")
    )


def largest_units(units: pl.DataFrame, n: int = 15) -> pl.DataFrame:
    """The `n` units with the most registrations in either period (category, a, b)."""
    return units.head(n).select(pl.col("ten_don_vi").alias("category"), "a", "b")


def movers(units: pl.DataFrame, n: int = 5) -> pl.DataFrame:
    """The `n` biggest risers, then the `n` biggest fallers (unit, change); none when no change
    is shown (unit_changes: a period without data)."""
    # Ties keep the units' order (a stable sort), so the same units are named on every run.
    risers = units.filter(pl.col("change") > 0).sort("change", descending=True, maintain_order=True).head(n)
    fallers = units.filter(pl.col("change") < 0).sort("change", maintain_order=True).head(n)
    return pl.concat([risers, fallers]).select(pl.col("ten_don_vi").alias("unit"), "change")


def change_counts(changes: pl.DataFrame) -> dict[str, int]:
    """How many of the reorganisation's changes (structure.reorganised_between) are moves under
    another superior and how many are merges: {structure.MOVED: n, structure.MERGED: n}."""
    return {kind: int((changes["thay_doi"] == kind).sum()) for kind in (structure.MOVED, structure.MERGED)}


# --- awards --------------------------------------------------------------------------------------


def awards_per_100(cur: Cursor, f: Filters) -> pl.DataFrame:
    """Awards per 100 registrations (year as text, per_100, is_period): the period first when it
    spans several years (its awards over its registrations, not a mean of the years), then each year
    from the newest. Awards take the period, the scope and the subject only; so do the
    registrations they are set against (figures.awards_by_year)."""
    per_year = figures.awards_by_year(cur, f)
    years = per_year.select(pl.col("year").cast(pl.String), "per_100").drop_nulls().reverse()
    years = years.with_columns(pl.lit(False).alias("is_period"))
    if f.year_to == f.year_from:
        return years
    whole = pl.DataFrame(
        {"year": [fmt_period(f.year_from, f.year_to)], "per_100": [_per_100(per_year)], "is_period": [True]},
        schema=years.schema,
    )
    return pl.concat([whole, years])


def _per_100(per_year: pl.DataFrame) -> float | None:
    registrations = int(per_year["registrations"].sum())
    awarded = int(per_year["collective"].sum()) + int(per_year["individual"].sum())
    return awarded / registrations * 100 if registrations else None


def awards_per_100_period(cur: Cursor, f: Filters) -> float | None:
    """Awards per 100 registrations over the whole period (see awards_per_100)."""
    return _per_100(figures.awards_by_year(cur, f))


def awards_by(cur: Cursor, f: Filters, column: str, status: str = vocab.STATUS_AWARDED) -> pl.DataFrame:
    """Awards (or nominations) of one status per value of `column` (cap_khen_thuong, hinh_thuc),
    split collective / individual, with the total: values in vocabulary order, those without any left out."""
    order = {"cap_khen_thuong": vocab.AWARD_LEVELS, "hinh_thuc": vocab.AWARD_FORMS}[column]
    grid = figures.awards_breakdown(cur, f).filter(pl.col("trang_thai") == status)
    n = pl.col("n_awards")
    split = grid.group_by(column).agg(
        n.filter(pl.col("doi_tuong") == vocab.SUBJECT_COLLECTIVE).sum().alias("collective"),
        n.filter(pl.col("doi_tuong") == vocab.SUBJECT_INDIVIDUAL).sum().alias("individual"),
    )
    ordered = pl.DataFrame({column: list(order)}, schema={column: pl.String})
    return (
        ordered.join(split, on=column, how="left")
        .with_columns(pl.col("collective", "individual").fill_null(0).cast(pl.Int64))
        .with_columns((pl.col("collective") + pl.col("individual")).alias("total"))
        .filter(pl.col("total") > 0)
    )


# --- targets and quality -------------------------------------------------------------------------


def compliance_cells(cur: Cursor, f: Filters, per: str = "child") -> pl.DataFrame:
    """The heatmap of target compliance (ma_don_vi, ten_don_vi, unit, year, rate): per chi bộ
    (met or not: 1 or 0, active years only) or per child unit (its rate); `unit` is the name, with
    the code when a name repeats; units furthest from the target first."""
    matrix = figures.compliance_matrix(cur, f, per=per)
    if per == "branch":
        cells = matrix.filter(pl.col("is_active")).select(
            "ma_don_vi",
            "ten_don_vi",
            pl.col("nam").alias("year"),
            pl.col("meets_target").cast(pl.Float64).alias("rate"),
        )
    else:
        cells = matrix.select(
            "ma_don_vi",
            "ten_don_vi",
            pl.col("nam").alias("year"),
            pl.col("target_compliance_rate").alias("rate"),
        ).filter(pl.col("rate").is_not_null())
    names = cells.select("ma_don_vi", "ten_don_vi").unique()
    repeated = names.filter(pl.col("ten_don_vi").is_duplicated())["ma_don_vi"].to_list()
    cells = cells.with_columns(
        pl.when(pl.col("ma_don_vi").is_in(repeated))
        .then(pl.col("ten_don_vi") + " (" + pl.col("ma_don_vi") + ")")
        .otherwise(pl.col("ten_don_vi"))
        .alias("unit")
    )
    order = cells.group_by("ma_don_vi").agg(pl.col("rate").mean().alias("mean_rate"))
    return (
        cells.join(order, on="ma_don_vi")
        .sort(["mean_rate", "unit", "year"], maintain_order=True)
        .select("ma_don_vi", "ten_don_vi", "unit", "year", "rate")
    )


def score_bins(cur: Cursor, f: Filters) -> pl.DataFrame:
    """The score histogram's bins worth drawing: from the lowest bin with a registration (or 25
    points under the recognition threshold, whichever is lower) up; empty when nothing is scored."""
    scores = figures.score_distribution(cur, f)
    scored = scores.filter(pl.col("n_registrations") > 0)
    if scored.is_empty():
        return scored
    first = scored["bin_from"].min()
    assert isinstance(first, float)  # bin_from is Float64, and some bin has registrations
    return scores.filter(pl.col("bin_from") >= min(first, vocab.RECOGNITION_THRESHOLD - 25))


# --- registrations by category -------------------------------------------------------------------


def category_counts(counts: dict[str, int], keep_zero: tuple[str, ...] = ()) -> pl.DataFrame:
    """A summary's counts per value (category, registrations): values with none left out, except
    those of `keep_zero` (the main ones, shown even at zero); empty when there is none at all."""
    rows = [(k, v) for k, v in counts.items() if (v or k in keep_zero) and any(counts.values())]
    return pl.DataFrame(rows, schema={"category": pl.String, "registrations": pl.Int64}, orient="row")


# --- the unit hierarchy --------------------------------------------------------------------------

# Units a hierarchy chart is sent at most. The browser lays out every unit of a treemap or sunburst,
# shown or not: 10,931 units took it 48 s.
HIERARCHY_NODES = 1500


def _subtree_totals(ids: list[str], parents: list[str], values: list[float]) -> list[float]:
    """Each node's value plus everything below it."""
    index = {node: i for i, node in enumerate(ids)}
    totals = [float(v or 0) for v in values]
    for i, own in enumerate(values):
        seen = {ids[i]}
        parent = parents[i]
        while parent in index and parent not in seen:  # a cycle cannot loop forever
            seen.add(parent)
            totals[index[parent]] += float(own or 0)
            parent = parents[index[parent]]
    return totals


def _top_levels(ids: list[str], parents: list[str], max_nodes: int) -> dict[str, int] | None:
    """Node -> level (0: no parent among the nodes) for the levels kept when there are more than
    `max_nodes` nodes; None when every node fits."""
    if len(ids) <= max_nodes:
        return None
    index = {node: i for i, node in enumerate(ids)}
    level: dict[str, int] = {}
    for node in ids:
        path = []
        while node not in level and node in index and node not in path:  # a cycle cannot loop
            path.append(node)
            node = parents[index[node]]
        base = level.get(node, -1)
        for depth, step in enumerate(reversed(path), start=base + 1):
            level[step] = depth
    counts = collections.Counter(level.values())
    cut, total = 0, counts[0]
    while cut + 1 in counts and total + counts[cut + 1] <= max_nodes:
        cut += 1
        total += counts[cut]
    return {node: lv for node, lv in level.items() if lv <= cut}


def _largest_tops(
    keep: dict[str, int], ids: list[str], totals: list[float], max_nodes: int
) -> dict[str, int]:
    """When the top level alone holds more than `max_nodes` units: its `max_nodes` largest."""
    if len(keep) <= max_nodes:
        return keep
    largest = sorted((i for i, node in enumerate(ids) if node in keep), key=lambda i: -totals[i])
    return {ids[i]: 0 for i in largest[:max_nodes]}


def hierarchy_nodes(
    df: pl.DataFrame, *, ids: str, parents: str, labels: str, values: str, max_nodes: int = HIERARCHY_NODES
) -> pl.DataFrame:
    """The nodes a hierarchy chart draws (id, parent, label, own, total): `values` are each unit's
    own figures, `total` adds everything below it. A tree of more than `max_nodes` units is cut at the
    deepest level that keeps it within that many (the top level at least, its largest units when it
    alone is too many), each unit of that level holding its whole subtree as its own value."""
    id_list = df[ids].to_list()
    parent_list = [p or "" for p in df[parents].to_list()]
    own = [float(v or 0) for v in df[values].to_list()]
    label_list = df[labels].to_list()
    totals = _subtree_totals(id_list, parent_list, own)
    keep = _top_levels(id_list, parent_list, max_nodes)
    if keep is not None:  # the levels below are summed into the last one kept
        keep = _largest_tops(keep, id_list, totals, max_nodes)
        cut = max(keep.values())
        rows = [i for i, node in enumerate(id_list) if node in keep]
        own = [totals[i] if keep[id_list[i]] == cut else own[i] for i in rows]
        id_list, parent_list, label_list = (
            [xs[i] for i in rows] for xs in (id_list, parent_list, label_list)
        )
        totals = [totals[i] for i in rows]
    return pl.DataFrame(
        {"id": id_list, "parent": parent_list, "label": label_list, "own": own, "total": totals},
        schema={
            "id": pl.String,
            "parent": pl.String,
            "label": pl.String,
            "own": pl.Float64,
            "total": pl.Float64,
        },
    )


def unit_tree(
    cur: Cursor, f: Filters, max_nodes: int = HIERARCHY_NODES
) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """The scope's units as a hierarchy chart draws them, sized by registrations: (the units drawn,
    with `parent` (empty for a top tile); their hierarchy_nodes; how many units there are). The
    scope unit itself is left out when it is the only top unit: its children are the top tiles
    (click one to see inside); with several top units, they are the top tiles. Empty frames when
    the scope has a single unit or no registration."""
    tree = figures.unit_tree(cur, f)
    if tree.height <= 1 or not tree["registrations"].sum():
        return tree.clear().with_columns(pl.lit("").alias("parent")), _NO_NODES, tree.height
    top = tree.filter(pl.col("depth") == tree["depth"].min())
    if top.height == 1:
        tree = tree.filter(pl.col("depth") > tree["depth"].min())
    ids = tree["ma_don_vi"].to_list()
    tree = tree.with_columns(
        pl.when(pl.col("ma_cap_tren").is_in(ids))
        .then(pl.col("ma_cap_tren"))
        .otherwise(pl.lit(""))
        .alias("parent")
    )
    nodes = hierarchy_nodes(
        tree,
        ids="ma_don_vi",
        parents="parent",
        labels="ten_don_vi",
        values="registrations",
        max_nodes=max_nodes,
    )
    return tree, nodes, tree.height


_NO_NODES = hierarchy_nodes(
    pl.DataFrame(schema={"id": pl.String, "parent": pl.String, "label": pl.String, "own": pl.Float64}),
    ids="id",
    parents="parent",
    labels="label",
    values="own",
)
