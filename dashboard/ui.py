"""Small layout helpers shared by the pages: header, chart, formatted table, downloads."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import filters, fmt, shared, theme
from dashboard.escape import md
from dashboard.i18n import current_lang, t, tv
from queries import audit, export, periods
from queries.auth import User
from queries.figures import Filters

# The toolbar shows on hover only, with two buttons (save as PNG, reset the axes): the full row of
# zoom and select tools reached over the left-aligned title of a chart in a narrow column.
# On a phone (touch: no hover) the stylesheet hides it.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "displayModeBar": "hover",
    "responsive": True,
    "modeBarButtonsToRemove": [
        "zoom2d",
        "pan2d",
        "select2d",
        "lasso2d",
        "zoomIn2d",
        "zoomOut2d",
        "autoScale2d",
        "hoverClosestCartesian",
        "hoverCompareCartesian",
        "toggleSpikelines",
    ],  # fmt: skip
}

# Column kinds of a formatted table.
INT, PCT, NUM, DATE, TEXT, VALUE = "int", "pct", "num", "date", "text", "value"


def lang() -> str:
    """The current language."""
    return current_lang()


def header(title: str, f: Filters | None = None) -> None:
    """The page title and, under it, the filters the page is computed over."""
    st.title(title, anchor=False)
    if f is not None:
        st.caption(md(scope_line(f)))


def scope_line(f: Filters, with_period: bool = True) -> str:
    """ "Giai đoạn 2021-2023 · Đảng bộ Khối … · Lĩnh vực: Kinh tế" (plain text: `md` it for markdown)."""
    parts = [period_text((f.year_from, f.year_to))] if with_period else []
    parts.append(filters.unit_label(f.unit))
    for choice in filters.CHOICES:
        value = getattr(f, choice.param)
        if value:
            parts.append(f"{t(choice.label)}: {tv(value)}")
    return " · ".join(parts)


def period_text(period: tuple[int, int]) -> str:
    """ "Giai đoạn 2021-2025 (số liệu đến 2024)": the period and, when figures cover only some of
    its years, which (DOMAIN.md section 4: years with data)."""
    years = periods.reported_in(range(period[0], period[1] + 1), frozenset(shared.reported_years()))
    note = periods.coverage_note(period[0], period[1], years, lang())
    label = filters.period_label(period)
    return f"{label} ({note})" if note else label


def unused_filters_note(f: Filters, applies: Sequence[str]) -> None:
    """Say which of the chosen filters a table or figure does not take (awards have no field)."""
    ignored = [t(c.label) for c in filters.CHOICES if getattr(f, c.param) and c.param not in applies]
    if ignored:
        st.caption(t("common.filters_ignored", names=", ".join(ignored)))


def chart(fig: go.Figure, key: str | None = None) -> None:
    """Draw a figure with the app's chart settings (theme follows light/dark)."""
    st.plotly_chart(fig, config=PLOTLY_CONFIG, theme="streamlit", key=key)


def uploader_texts(button: str, limits: str) -> None:
    """The file uploader's own words (Streamlit writes "Upload" and "50MB per file • XLSX, CSV" in
    English whatever the page's language, and takes no text for them): replaced by CSS, on this page."""

    def css_string(text: str) -> str:
        return '"' + "".join(c if c.isalnum() or c in " •.,-" else f"\\{ord(c):x} " for c in text) + '"'

    zone = '[data-testid="stFileUploaderDropzone"]'
    st.html(
        f"<style>{zone} button [data-testid='stMarkdownContainer'] p {{ font-size: 0; }}"
        f"{zone} button [data-testid='stMarkdownContainer'] p::after {{ content: {css_string(button)};"
        " font-size: 0.875rem; }"
        f"[data-testid='stFileUploaderDropzoneInstructions'] span {{ font-size: 0; }}"
        f"[data-testid='stFileUploaderDropzoneInstructions'] span::after {{ content: {css_string(limits)};"
        " font-size: 0.875rem; }</style>"
    )


def empty_note(text: str | None = None) -> None:
    """A quiet line where a chart or table has nothing to show."""
    st.info(text or t("app.empty"), icon=":material/info:")


def _format_value(kind: str, value: Any, lg: str) -> str:
    # `value` is a pandas cell (untyped); its type follows `kind`: a number, a date or a text.
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if kind == INT:
        return fmt.integer(value, lg)
    if kind == PCT:
        return fmt.percent(value, lg)
    if kind == NUM:
        return fmt.number(value, lg)
    if kind == DATE:
        return fmt.day(value, lg)
    if kind == VALUE:
        return tv(value, lg)
    return str(value)


def _labelled(df: pl.DataFrame, columns: Sequence[tuple[str, str, str]]) -> pl.DataFrame:
    """The chosen columns renamed to their labels, enum values translated; numbers as they are."""
    lg = lang()
    exprs = []
    for column, label, kind in columns:
        expr = pl.col(column)
        if kind == VALUE and lg != "vi":
            expr = expr.map_elements(lambda v: tv(v, lg), return_dtype=pl.String)
        exprs.append(expr.alias(label))
    return df.select(exprs)


def display_frame(df: pl.DataFrame, columns: Sequence[tuple[str, str, str]]) -> pl.DataFrame:
    """The frame as downloaded: what the page shows, as numbers a spreadsheet can sum.

    `columns` lists (column, label, kind). Enum values are translated; counts are whole numbers;
    a rate is its percentage rounded as on the page (0.7528 -> 75.3 under "label (%)"); other
    numbers are rounded to the page's one decimal.
    """
    labelled = _labelled(df, columns)
    exprs = []
    for _, label, kind in columns:
        exprs.append(_as_shown(pl.col(label), kind).alias(_shown_label(label, kind)))
    return labelled.select(exprs)


# A number as the page shows it, for downloads: (factor, decimals) per kind.
_SHOWN = {PCT: (100, 1), INT: (1, 0), NUM: (1, 1)}


def _as_shown(expr: pl.Expr, kind: str) -> pl.Expr:
    if kind not in _SHOWN:
        return expr
    factor, digits = _SHOWN[kind]
    shown = (expr.cast(pl.Float64) * factor).round(digits)
    return shown.cast(pl.Int64) if kind == INT else shown


def _shown_label(label: str, kind: str) -> str:
    return f"{label} (%)" if kind == PCT else label


def table(
    df: pl.DataFrame,
    columns: Sequence[tuple[str, str, str]],
    *,
    highlight: Sequence[bool] | None = None,
    highlight_column: str | None = None,
    key: str | None = None,
    column_config: dict | None = None,
    height: int | Literal["auto"] = "auto",
    on_select: str | Callable = "ignore",
    selection_mode: str = "single-row",
):
    """Show a frame with Vietnamese/English number formats; sorting still uses the raw numbers.

    `highlight` marks rows to tint (e.g. units below target): the whole row, or only the cell in
    `highlight_column` (a label).
    """
    lg = lang()
    shown = _labelled(df, columns).to_pandas()
    kinds = {label: kind for _, label, kind in columns}
    styler = shown.style.format(
        {label: (lambda v, k=kind: _format_value(k, v, lg)) for label, kind in kinds.items()}, na_rep=""
    )
    if highlight is not None:
        marks = list(highlight)
        if highlight_column is None:
            styler = styler.apply(
                lambda row: [theme.ROW_ALERT if marks[row.name] else "" for _ in row], axis=1
            )
        else:
            styler = styler.apply(
                lambda col: [theme.CELL_ALERT if marks[i] else "" for i in range(len(col))],
                subset=[highlight_column],
            )
    styler = styler.hide(axis="index")
    kwargs = {}
    if on_select != "ignore":
        kwargs = {"on_select": on_select, "selection_mode": selection_mode}
    # Streamlit's overloads split on the literal value of on_select, which is passed on only when
    # it is not "ignore": no single overload matches a call that forwards it.
    return st.dataframe(  # type: ignore[call-overload]
        styler,
        hide_index=True,
        width="stretch",
        height=height,
        key=key,
        column_config=column_config,
        placeholder="",
        **kwargs,
    )


def filters_description(f: Filters, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The filters of a download as the first sheet of its workbook shows them (labels, names)."""
    lg = lang()
    unit = filters.unit_label(f.unit)
    described = {
        t("filters.preset", lg): filters.period_label((f.year_from, f.year_to), lg),
        t("filters.unit", lg): f"{unit} ({f.unit})" if f.unit else unit,
    }
    for choice in filters.CHOICES:
        value = getattr(f, choice.param)
        described[t(choice.label, lg)] = tv(value, lg) if value else t("filters.all", lg)
    described.update(extra or {})
    return described


def recorded(
    build: Callable[[], bytes], file_name: str, *, table: str, f: Filters | None = None
) -> Callable[[], bytes]:
    """`build` wrapped so that producing the file records the download in the audit log.

    Call in the script run (it captures the session's user and the audit path); the returned
    function runs when the button is clicked, off the script thread, without a rerun: the file is
    built, then the record is written (who, the file name, the table, the enforced filters), then
    the bytes go out. If the record cannot be written, the download fails rather than go unlogged.
    """
    user: User = shared.require_user()
    log = audit.resolve_audit_path(shared.db_path())

    def build_and_record() -> bytes:
        data = build()
        audit.record("download", user, log_path=log, what=file_name, table=table, filters=f)
        return data

    return build_and_record


def downloads(
    kind: str,
    f: Filters,
    sheets: Mapping[str, pl.DataFrame] | Callable[[], Mapping[str, pl.DataFrame]],
    *,
    key: str,
    csv_label: str | None = None,
    extra_filters: Mapping[str, str] | None = None,
) -> None:
    """CSV and Excel buttons for exactly what the page shows; the files are built on click.

    `sheets` maps a sheet name to its frame (the CSV holds the first); a callable defers building
    the frames too (used for whole filtered tables); `extra_filters` adds lines to the filters sheet
    (the two periods of a comparison). Buttons do not rerun the page. The filters are
    scoped to the user (as every data call is), and each file produced is recorded in the audit log.
    """
    lg = lang()
    f = shared.enforce(f)  # what the frames were computed over: named in the file and the log
    described = filters_description(f, extra_filters)  # now: the callables below run outside the script

    def frames() -> Mapping[str, pl.DataFrame]:
        return sheets() if callable(sheets) else sheets

    def csv() -> bytes:
        return export.to_csv_bytes(next(iter(frames().values())), lg)

    def xlsx() -> bytes:
        return export.to_xlsx_bytes(dict(frames()), described, lg)

    csv_name = export.export_filename(kind, f, "csv")
    xlsx_name = export.export_filename(kind, f, "xlsx")
    row = st.container(horizontal=True, horizontal_alignment="right", gap="small")
    row.download_button(
        csv_label or t("common.download_csv"),
        data=recorded(csv, csv_name, table=kind, f=f),
        file_name=csv_name,
        mime="text/csv",
        key=f"dl_csv_{key}",
        on_click="ignore",
        icon=":material/download:",
        help=t("common.download_help"),
        type="tertiary",
    )
    row.download_button(
        t("common.download_xlsx"),
        data=recorded(xlsx, xlsx_name, table=kind, f=f),
        file_name=xlsx_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl_xlsx_{key}",
        on_click="ignore",
        icon=":material/download:",
        help=t("common.download_help"),
        type="tertiary",
    )


def figures_frame(
    label: str, rows: Sequence[tuple[str, Sequence[float | None], str]], value_columns: Sequence[str]
) -> pl.DataFrame:
    """A small table of figures for a download: a label column, then one Float64 column per period.

    Each row is (label, values, kind): a rate (PCT) is its percentage rounded as on the page, its
    label marked "(%)"; a count (INT) whole; another number (NUM) to one decimal.
    """
    data: dict[str, list] = {label: [_shown_label(r[0], r[2]) for r in rows]}
    for i, column in enumerate(value_columns):
        data[column] = [
            None if (value := r[1][i]) is None else round(float(value) * _SHOWN[r[2]][0], _SHOWN[r[2]][1])
            for r in rows
        ]
    return pl.DataFrame(data, schema={label: pl.String, **{c: pl.Float64 for c in value_columns}})


def comparison_frame(
    table: pl.DataFrame, kinds: Sequence[str], columns: tuple[str, str, str, str, str]
) -> pl.DataFrame:
    """A comparison (figures.compare: label, a, b, change, change_pct) as the So sánh page shows
    it, for downloads: a rate's row is marked "(%)", its values are percentages and its change is in
    percentage points, rounded as on the page; counts are whole; the % change is a percentage.

    `kinds` gives each row's kind (INT, PCT, NUM); `columns` the headers: figure, A, B, change, %.
    """
    figure, col_a, col_b, col_change, col_pct = columns

    def shown(value: float | None, kind: str) -> float | None:
        if value is None:
            return None
        factor, digits = _SHOWN[kind]
        return round(float(value) * factor, digits)

    rows = list(
        zip(table["label"], table["a"], table["b"], table["change"], table["change_pct"], kinds, strict=True)
    )
    data = {
        figure: [_shown_label(r[0], r[5]) for r in rows],
        col_a: [shown(r[1], r[5]) for r in rows],
        col_b: [shown(r[2], r[5]) for r in rows],
        col_change: [shown(r[3], r[5]) for r in rows],
        col_pct: [shown(r[4], PCT) for r in rows],
    }
    return pl.DataFrame(
        data, schema={figure: pl.String, **{c: pl.Float64 for c in (col_a, col_b, col_change, col_pct)}}
    )
