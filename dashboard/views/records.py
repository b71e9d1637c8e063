"""Dữ liệu: the filtered records of one table, one page at a time, with the whole filtered table to download."""

from __future__ import annotations

import math

import polars as pl
import streamlit as st

from dashboard import filters, fmt, shared, ui
from dashboard.columns import template as template_columns
from dashboard.i18n import t
from queries import figures

TABLES = figures.RECORD_TABLES  # dang_ky, khen_thuong, hoi_nghi
PAGE_SIZES = (25, 50, 100)

f = filters.current()
lang = ui.lang()
ui.header(t("data.title"), f)

filters.page_param("data_table", "table", TABLES[0], lambda v: v if v in TABLES else None, str)
left, right = st.columns([3, 1], vertical_alignment="bottom")
table = left.segmented_control(
    t("data.table"),
    TABLES,
    key="data_table",
    format_func=lambda name: t(f"data.table.{name}", lang),
    required=True,
)
assert table is not None  # page_param has set data_table to one of TABLES
filters.page_param(
    "data_size",
    "size",
    PAGE_SIZES[0],
    lambda raw: filters.ascii_int(raw) if filters.ascii_int(raw) in PAGE_SIZES else None,
    str,
)
size = right.selectbox(t("data.page_size"), PAGE_SIZES, key="data_size")

# Registrations take every filter; awards only the subject; conferences only the unit and period.
ui.unused_filters_note(
    f,
    applies={"dang_ky": ("field", "subject", "movement", "kind"), "khen_thuong": ("subject",)}.get(table, ()),
)
total = shared.count_records(f, table)
pages = max(1, math.ceil(total / size))
filters.page_param("data_page", "page", 1, lambda raw: filters.ascii_int(raw) or None, str)  # 1 or more
if st.session_state["data_page"] > pages:
    st.session_state["data_page"] = pages

page = st.session_state["data_page"]
offset = (page - 1) * size
rows = shared.records(f, table, size, offset)

columns = []
for column in (c for c in template_columns(table) if c[0] in rows.columns):
    columns.append(column)
    if column[0] == "ma_don_vi":  # the unit's name beside its code, for reading (not in the download)
        columns.append(("ten_don_vi", t("col.ten_don_vi"), ui.TEXT))
rows = rows.with_columns(
    pl.col("ma_don_vi").replace_strict(shared.unit_names(), default=None).alias("ten_don_vi")
)
if total == 0:
    ui.empty_note()
else:
    st.caption(
        t(
            "data.page_of",
            page=fmt.integer(page, lang),
            pages=fmt.integer(pages, lang),
            a=fmt.integer(offset + 1, lang),
            b=fmt.integer(offset + rows.height, lang),
            n=fmt.integer(total, lang),
        )
    )
    ui.table(rows, columns, key="data_rows", height=min(38 + 35 * rows.height, 38 + 35 * 25))
    if pages > 1:
        st.pagination(pages, key="data_page")
    load = shared.all_records_loader(f, table)  # runs on click, off the script thread
    sheet = t(f"data.table.{table}")
    ui.downloads(
        table,
        f,
        lambda: {sheet: load()},
        key="records",
        csv_label=t("data.download_all", n=fmt.integer(total, lang)),
    )
