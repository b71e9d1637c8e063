"""A figure's value as every reader sees it, by the figure's kind: one formatter for the pages, the
downloads (CSV / XLSX), the CLI and the report.

- a count is whole: "1.061"; its change signed: "+12"; relative changes as "+12,5%";
- a rate is a percentage: "75,3%"; its change is in percentage points: "+4,2 điểm %" / "+4.2 pp";
- another number (a mean score, a ratio) has one decimal: "72,4"; its change "+1,5".

Downloads hold numbers, not text: `number` gives the value as the page shows it (a rate as its
percentage to one decimal, under a name marked "(%)"), so a spreadsheet can sum it.
"""

from __future__ import annotations

import polars as pl

from queries import figures, labels, vocab
from queries.formatting import MISSING, fmt_change, fmt_int, fmt_num, fmt_pct, fmt_pct_change, is_missing

COUNT, RATE, NUMBER = figures.COUNT, figures.RATE, figures.NUMBER
DIGITS = 1  # decimals of a number and of a percentage, everywhere
PERCENT_MARK = "(%)"  # what marks a percentage column or row in a download


def kind(key: str) -> str:
    """The kind of a figure key (a row of a comparison that is no scalar figure is a count)."""
    fig = figures.FIGURES_BY_KEY.get(key)
    return fig.kind if fig is not None else COUNT


def text(kind: str, value: float | None, lang: str = "vi") -> str:
    """The value written as the page shows it: "1.061", "75,3%", "72,4"; "–" when missing (each
    formatter writes a missing value so)."""
    if kind == RATE:
        return fmt_pct(value, lang, DIGITS)
    if kind == NUMBER:
        return fmt_num(value, lang, DIGITS)
    return fmt_int(value, lang)


def points_unit(lang: str = "vi", space: str = " ") -> str:
    """ "điểm %" / "pp"; `space` joins its words (a document keeps them on one line with "\u00a0")."""
    return labels.unit("points", lang).replace(" ", space)


def points(change: float | None, lang: str = "vi", space: str = " ") -> str:
    """A change of a rate (a difference of two fractions) in percentage points: "+4,2 điểm %"."""
    if change is None or is_missing(change):  # (the None test narrows the type for mypy)
        return MISSING
    return fmt_change(change * 100, lang, DIGITS) + " " + points_unit(lang, space)


def change_text(kind: str, change: float | None, lang: str = "vi", space: str = " ") -> str:
    """A change as the page shows it: "+12" (count), "+4,2 điểm %" (rate), "+1,5" (number); "–" when
    missing."""
    if kind == RATE:
        return points(change, lang, space)
    return fmt_change(change, lang, DIGITS if kind == NUMBER else 0)


def relative_text(relative: float | None, lang: str = "vi") -> str:
    """A relative change as a signed percentage: "+69,4%"."""
    return fmt_pct_change(relative, lang, DIGITS)


def number(kind: str, value: float | None) -> float | None:
    """The value as a download holds it: a rate as its percentage rounded as on the page (0.7528 ->
    75.3), a count whole, another number to one decimal."""
    if value is None or is_missing(value):
        return None
    if kind == RATE:
        return round(float(value) * 100, DIGITS)
    if kind == NUMBER:
        return round(float(value), DIGITS)
    return float(round(float(value)))


def download_name(name: str, kind: str) -> str:
    """A figure's name in a download: a rate's marked "(%)" (its values are percentages)."""
    return f"{name} {PERCENT_MARK}" if kind == RATE else name


def column(expr: pl.Expr, kind: str) -> pl.Expr:
    """A column of values of one kind as `number` writes each (a count stays an integer column)."""
    if kind == RATE:
        return (expr.cast(pl.Float64) * 100).round(DIGITS)
    if kind == NUMBER:
        return expr.cast(pl.Float64).round(DIGITS)
    return expr.cast(pl.Float64).round(0).cast(pl.Int64)


def comparison(table: pl.DataFrame, columns: tuple[str, str, str, str, str]) -> pl.DataFrame:
    """A comparison (queries.figures.compare: figure, a, b, change, change_pct) as a download holds
    it: each row named by the label catalogue, a rate's marked "(%)", its values percentages and its
    change in percentage points (the workbook shows "điểm %"), rounded as on the page; counts whole;
    the % change a percentage. `columns` are the headers: figure, A, B, change, %."""
    name, col_a, col_b, col_change, col_pct = columns
    kinds = [kind(key) for key in table["figure"]]
    names = table["label"].to_list()
    data = {
        name: [download_name(n, k) for n, k in zip(names, kinds, strict=True)],
        col_a: [number(k, v) for k, v in zip(kinds, table["a"], strict=True)],
        col_b: [number(k, v) for k, v in zip(kinds, table["b"], strict=True)],
        col_change: [number(k, v) for k, v in zip(kinds, table["change"], strict=True)],
        col_pct: [number(RATE, v) for v in table["change_pct"]],
    }
    schema = {name: pl.String, **{c: pl.Float64 for c in (col_a, col_b, col_change, col_pct)}}
    return pl.DataFrame(data, schema=schema)


# Columns of the engine's frames that are not figures, by kind: a share and a relative change are
# fractions (shown as percentages), the rest counts.
_COLUMN_KINDS = {"share": RATE, "change_pct": RATE, "change": COUNT, "n_awards": COUNT}
# Template columns holding a stored value of the vocabulary (translated in English).
_VALUE_COLUMNS = {c.alias for table in vocab.TABLES for c in table.columns if c.choices}


def column_kind(name: str) -> str | None:
    """The kind of an engine frame's column (a figure's, or of _COLUMN_KINDS); None for the others."""
    if name in figures.FIGURES_BY_KEY:
        return figures.FIGURES_BY_KEY[name].kind
    return _COLUMN_KINDS.get(name)


def download_frame(frame: pl.DataFrame, lang: str = "vi") -> pl.DataFrame:
    """A frame of the engine (figures.by_unit, breakdown, breakdown_by_year, awards_breakdown...) as
    a download holds it, the way the pages show it: headers from the label catalogue (a rate's
    marked "(%)", so the workbook gives it a percent format), a rate as its percentage to one
    decimal, counts whole, other numbers to one decimal; stored values named in `lang`."""
    exprs = []
    for name, dtype in frame.schema.items():
        col, kind_ = pl.col(name), column_kind(name)
        if name in _VALUE_COLUMNS and dtype == pl.String and lang == "en":
            col = col.replace_strict(labels.VALUES_EN, default=col, return_dtype=pl.String)
        elif kind_ is not None and dtype.is_numeric():
            col = column(col, kind_)
        exprs.append(col.alias(download_name(labels.header(name, lang), kind_ or COUNT)))
    return frame.select(exprs)
