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
from queries import audit, export, periods, shown
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

# Column kinds of a formatted table: a figure's kind (queries.shown: count, rate, number), or
# a date, a text, a stored value (translated).
INT, PCT, NUM = shown.COUNT, shown.RATE, shown.NUMBER
DATE, TEXT, VALUE = "date", "text", "value"


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


def baseline_period(f: Filters, *, key: str, label: str) -> tuple[int, int] | None:
    """A picker for the period to compare `f`'s with, kept in the URL as cmp=2018-2020 or cmp=none:
    the previous period of the same length (the default), another preset, or none (None)."""
    lg = lang()
    period = (f.year_from, f.year_to)
    previous = filters.previous_period(period)
    options = [
        "previous",
        *[p for p in filters.presets(filters.year_options()) if filters.parse_period(p) != period],
        "none",
    ]
    filters.page_param(key, "cmp", "previous", lambda raw: raw if raw in options else None, str)
    if st.session_state.get(key) not in options:
        st.session_state[key] = "previous"

    def option_label(option: str) -> str:
        if option == "previous":
            return t("overview.compare.previous", lg, period=filters.dump_period(previous))
        if option == "none":
            return t("overview.compare.none", lg)
        parsed = filters.parse_period(option)
        return filters.period_label(parsed, lg) if parsed else option

    left, _ = st.columns([2, 3])
    choice = left.selectbox(label, options, key=key, format_func=option_label)
    return None if choice == "none" else previous if choice == "previous" else filters.parse_period(choice)


def url_choice(
    key: str, param: str, options: Sequence[str], label: str, option_key: str, **kwargs: Any
) -> str:
    """Segmented buttons picking one of `options` (the first by default), kept in the URL as
    param=option; an option's text is t(f"{option_key}.{option}"). `kwargs` go to st.segmented_control."""
    filters.page_param(key, param, options[0], lambda v: v if v in options else None, str)
    lg = lang()
    picked = st.segmented_control(
        label,
        list(options),
        key=key,
        format_func=lambda k: t(f"{option_key}.{k}", lg),
        required=True,
        **kwargs,
    )
    return picked or options[0]


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
    if kind in (INT, PCT, NUM):
        return shown.text(kind, value, lg)
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
        exprs.append(_as_shown(pl.col(label), kind).alias(shown.download_name(label, kind)))
    return labelled.select(exprs)


def _as_shown(expr: pl.Expr, kind: str) -> pl.Expr:
    return shown.column(expr, kind) if kind in (INT, PCT, NUM) else expr


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
    change_columns: Sequence[str] = (),
) -> None:
    """CSV and Excel buttons for exactly what the page shows; the files are built on click.

    `sheets` maps a sheet name to its frame (the CSV holds the first); a callable defers building
    the frames too (used for whole filtered tables); `extra_filters` adds lines to the filters sheet
    (the two periods of a comparison); `change_columns` are columns holding changes (a rate's in
    percentage points, queries.export.points_format). Buttons do not rerun the page. The filters are
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
        return export.to_xlsx_bytes(dict(frames()), described, lg, change_columns)

    csv_name = export.export_filename(kind, f, "csv")
    xlsx_name = export.export_filename(kind, f, "xlsx")
    row = st.container(horizontal=True, horizontal_alignment="right", gap="small")
    for label, build, name, mime, ext in (
        (csv_label or t("common.download_csv"), csv, csv_name, "text/csv", "csv"),
        (
            t("common.download_xlsx"),
            xlsx,
            xlsx_name,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    ):
        row.download_button(
            label,
            data=recorded(build, name, table=kind, f=f),
            file_name=name,
            mime=mime,
            key=f"dl_{ext}_{key}",
            on_click="ignore",
            icon=":material/download:",
            help=t("common.download_help"),
            type="tertiary",
        )


def chart_with_downloads(
    fig: go.Figure,
    frame: pl.DataFrame,
    columns: Sequence[tuple[str, str, str]],
    *,
    file: str,
    f: Filters,
    title: str,
    key: str,
) -> None:
    """A chart, then CSV / Excel buttons for the frame it draws (`columns` as for display_frame):
    the file named `file` holds one sheet, `title`, with the values as the page shows them."""
    chart(fig, key=key)
    downloads(file, f, {title: display_frame(frame, columns)}, key=key)


def figure_cards(cards: Sequence[tuple[str, float | None, str]]) -> None:
    """A row of bordered metric cards, one per (label, value, kind), the value written by its kind
    (queries.shown)."""
    lg = lang()
    for col, (label, value, kind) in zip(st.columns(len(cards)), cards, strict=True):
        col.metric(label, shown.text(kind, value, lg), border=True)


def period_figures(f: Filters, cards: Sequence[tuple[str, float | None, str]]) -> pl.DataFrame:
    """Cards (label, value, kind) as a download: a figure column, then one column for `f`'s period."""
    rows = [(label, [value], kind) for label, value, kind in cards]
    return figures_frame(t("compare.col.figure"), rows, [filters.dump_period((f.year_from, f.year_to))])


def pending_caption(summary: Mapping[str, Any]) -> None:
    """The note under the cards when a year's registrations mostly await scoring (its rates are not final)."""
    note = periods.pending_note(summary, lang())
    if note:
        st.caption(note[0].upper() + note[1:] + ".")


def figures_frame(
    label: str, rows: Sequence[tuple[str, Sequence[float | None], str]], value_columns: Sequence[str]
) -> pl.DataFrame:
    """A small table of figures for a download: a label column, then one Float64 column per period.

    Each row is (label, values, kind), written by queries.shown: a rate as its percentage rounded
    as on the page, its label marked "(%)"; a count whole; another number to one decimal.
    """
    data: dict[str, list] = {label: [shown.download_name(r[0], r[2]) for r in rows]}
    for i, column in enumerate(value_columns):
        data[column] = [shown.number(r[2], r[1][i]) for r in rows]
    return pl.DataFrame(data, schema={label: pl.String, **{c: pl.Float64 for c in value_columns}})
