"""The import desk's sections of the Nhập dữ liệu page: what the preview will change, the notices
by kind, the result per file, the history with undo, and the submission status of a year.

The page (views/import_data.py) calls these; the data comes from queries/ (import_diff, notices,
import_bundle, history, status) through the report or dashboard/shared.py.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import shared, ui
from dashboard.escape import md
from dashboard.i18n import t
from queries import audit, export, history, import_bundle, import_diff, importer, messages, notices, status
from queries.auth import User
from queries.commands.history import counts_text  # the same words as `dvk history`
from queries.commands.undo import result_message

CHANGE_COLUMNS = [
    ("ma_don_vi", "import.col.unit", ui.TEXT),
    ("table", "import.col.table", ui.TEXT),
    ("record", "import.col.record", ui.TEXT),
    ("description", "import.col.description", ui.TEXT),
    ("kind", "import.col.kind", ui.TEXT),
    ("field", "import.col.field", ui.TEXT),
    ("old", "import.col.old", ui.TEXT),
    ("new", "import.col.new", ui.TEXT),
    ("file", "import.col.file", ui.TEXT),
    ("row", "import.col.row", ui.TEXT),
]
SHOWN_CHANGES = 2000  # rows drawn on the page; the CSV holds every listed change


def _columns(spec: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [(name, t(key), kind) for name, key, kind in spec]


def counts_table(report: importer.ImportReport) -> None:
    """Rows per table: new, changed, unchanged, stored but not in the files."""
    lg = ui.lang()
    counts = pl.DataFrame(
        {
            "table": [messages.table_name(name, lg) for name in report.counts],
            "added": [c.added for c in report.counts.values()],
            "changed": [c.changed for c in report.counts.values()],
            "unchanged": [c.unchanged for c in report.counts.values()],
            "missing": [c.missing for c in report.counts.values()],
        }
    )
    st.markdown(f"**{t('import.counts')}**")
    ui.table(
        counts,
        [
            ("table", t("import.col.table"), ui.TEXT),
            ("added", t("import.col.added"), ui.INT),
            ("changed", t("import.col.changed"), ui.INT),
            ("unchanged", t("import.col.unchanged"), ui.INT),
            ("missing", t("import.col.missing"), ui.INT),
        ],
        key="import_counts",
    )


def changes_section(report: importer.ImportReport) -> None:
    """The changed records field by field (old → new), then the stored ones the files leave out
    (kept), per unit (a unit can be picked), with the whole list as CSV."""
    lg = ui.lang()
    changes = report.changes_frame()
    changed = changes.filter(pl.col("kind") == import_diff.KIND_CHANGED)
    n_records = changed.select("table", "record").n_unique() if changed.height else 0
    st.markdown(f"**{t('import.changes', n=messages.count(n_records, lg))}**")
    if changes.is_empty():
        st.caption(t("import.changes.none"))
        return
    units = changes.get_column("ma_don_vi").unique().sort().to_list()
    names = shared.unit_names() if shared.db_exists() else {}
    picked = st.selectbox(
        t("import.changes.unit"),
        [None, *units],
        format_func=lambda u: t("import.changes.all_units") if u is None else f"{u} — {names.get(u, '')}",
        key="import_changes_unit",
    )
    tables = {name: messages.table_name(name, lg) for name in report.counts}
    for kind, key, columns in (
        (import_diff.KIND_CHANGED, "import_changes", [c for c in CHANGE_COLUMNS if c[0] != "kind"]),
        (
            import_diff.KIND_MISSING,
            "import_missing",
            [c for c in CHANGE_COLUMNS if c[0] not in ("kind", "field", "old", "new", "file", "row")],
        ),
    ):
        part = changes.filter(pl.col("kind") == kind)
        if picked is not None:
            part = part.filter(pl.col("ma_don_vi") == picked)
        if part.is_empty():
            continue
        if kind == import_diff.KIND_MISSING:
            label = import_diff.KIND_LABELS["en" if lg == "en" else "vi"][kind]
            st.markdown(f"**{label} ({messages.count(part.height, lg)})**")
        part = part.with_columns(
            pl.col("table").replace_strict(tables, default=pl.col("table")),
            pl.col("row").cast(pl.String),
        )
        if part.height > SHOWN_CHANGES:
            st.caption(t("import.changes.more", shown=messages.count(SHOWN_CHANGES, lg)))
        ui.table(part.head(SHOWN_CHANGES), _columns(columns), key=key, height=min(38 + 35 * part.height, 420))
    shown = import_diff.labelled_changes(changes, lg)
    name = "thay_doi_nhap_du_lieu.csv" if lg == "vi" else "import_changes.csv"
    st.download_button(
        t("import.changes.download"),
        data=ui.recorded(lambda: export.to_csv_bytes(shown, lg), name, table="import_changes"),
        file_name=name,
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="dl_changes",
    )


def notices_section(report: importer.ImportReport, columns: list[tuple[str, str, str]]) -> None:
    """The notices grouped by kind, each kind with its count; its notices under it."""
    lg = ui.lang()
    groups = notices.grouped(report.notices, lg)
    if groups.is_empty():
        return
    total = int(groups.get_column("count").sum())
    with st.expander(f"{t('import.notices')} ({messages.count(total, lg)})"):
        frame = report.notices_frame(lg)
        codes = [n.code for n in report.notices]
        for group in groups.iter_rows(named=True):
            st.markdown(f"**{group['kind']}** ({messages.count(group['count'], lg)})")
            mask = pl.Series([c == group["code"] for c in codes])
            ui.table(frame.filter(mask), columns, key=f"import_notices_{group['code']}")


def per_file_section(report: importer.ImportReport) -> None:
    """One line per file of the set: its hash, tables, rows and problems."""
    if len(report.files) < 2:
        return
    lg = ui.lang()
    frame = import_bundle.per_file(report, lg).with_columns(
        pl.when(pl.col("problems") == 0)
        .then(pl.lit(t("import.file_ok")))
        .otherwise(pl.format(t("import.file_problems", n="{}"), pl.col("problems")))
        .alias("state"),
        pl.col("sha256").str.slice(0, 12),
    )
    st.markdown(f"**{t('import.files')}**")
    ui.table(
        frame,
        [
            ("file", t("import.col.file"), ui.TEXT),
            ("sha256", t("import.col.sha"), ui.TEXT),
            ("tables", t("import.col.tables"), ui.TEXT),
            ("rows", t("import.col.rows"), ui.INT),
            ("state", t("import.col.status"), ui.TEXT),
        ],
        key="import_per_file",
    )


ACTIONS = {
    "vi": {"import": "Nhập", "undo": "Hoàn tác", "redo": "Làm lại"},
    "en": {"import": "Import", "undo": "Undo", "redo": "Redo"},
}


def history_section(user: User) -> None:
    """The imports, undos and redos, newest first; for an admin, the undo (or redo) button."""
    lg = ui.lang()
    st.subheader(t("import.history"), anchor=False)
    if not shared.db_exists():
        st.caption(t("import.history.none"))
        return
    frame = shared.import_history()
    if frame.is_empty():
        st.caption(t("import.history.none"))
        return
    words = ACTIONS["en" if lg == "en" else "vi"]
    shown = frame.with_columns(
        pl.struct("action", "undoes")
        .map_elements(
            lambda r: (
                words[r["action"]]
                + ("" if r["undoes"] is None else (" step " if lg == "en" else " bước ") + str(r["undoes"]))
            ),
            return_dtype=pl.String,
        )
        .alias("action"),
        pl.col("counts").map_elements(lambda c: counts_text(c, lg), return_dtype=pl.String).alias("counts"),
        pl.col("step").cast(pl.String),
        pl.col("at").dt.strftime("%d/%m/%Y %H:%M:%S"),
    )
    ui.table(
        shown,
        [
            ("step", t("import.col.step"), ui.TEXT),
            ("at", t("import.col.at"), ui.TEXT),
            ("action", t("import.col.action"), ui.TEXT),
            ("who", t("import.col.who"), ui.TEXT),
            ("files", t("import.col.files"), ui.TEXT),
            ("counts", t("import.col.counts"), ui.TEXT),
        ],
        key="import_history",
    )
    if not user.is_admin:
        return
    last = frame.filter(pl.col("step").is_not_null()).head(1)
    if last.is_empty():
        return
    step = last.row(0, named=True)
    label = t("import.redo") if step["action"] == history.ACTION_UNDO else t("import.undo")
    # one confirmation per step: after an undo the box of the next step starts unticked
    sure = st.checkbox(t("import.undo.confirm", step=step["step"]), key=f"undo_sure_{step['step']}")
    if st.button(
        label,
        icon=":material/undo:",
        disabled=not sure,
        help=t("import.undo.help", keep=history.keep_count()),
        key="import_undo",
    ):
        result = history.undo(shared.db_path(), user.name)
        message = result_message(result, lg)
        if result.ok:
            assert result.step is not None and result.undone is not None  # a step done undid one
            audit.record(
                result.code,
                user,
                db_path=shared.db_path(),
                step=result.step.step,
                undoes=result.undone.step,
                via="page",
            )
            st.session_state["undo_message"] = message
            st.session_state.pop("import_report", None)
            st.session_state.pop("import_done", None)
            st.rerun()
        st.error(message, icon=":material/block:")
    if st.session_state.get("undo_message"):
        st.success(st.session_state["undo_message"], icon=":material/undo:")


def status_section() -> None:
    """Tình hình nộp số liệu: the grassroots units of the user's scope and what they sent for a year."""
    lg = ui.lang()
    st.subheader(t("status.title"), anchor=False)
    span = shared.year_span() if shared.db_exists() else None
    if not span or span[0] is None:
        ui.empty_note()
        return
    years = list(range(int(span[1]), int(span[0]) - 1, -1))
    year = st.selectbox(t("status.year"), years, key="status_year")
    frame = shared.submission_status(year, unit=shared.require_user().unit)
    missing = status.missing_units(frame)
    st.markdown(
        t(
            "status.summary",
            year=year,
            n=messages.count(frame.height, lg),
            missing=messages.count(missing.height, lg),
            nothing=messages.count(int(frame.get_column("is_missing").sum()), lg),
        )
    )
    if missing.height:
        names = "; ".join(f"{c} — {n}" for c, n in missing.select("ma_don_vi", "ten_don_vi").rows())
        st.warning(t("status.missing", year=year, units=md(names)), icon=":material/assignment_late:")
    labels = status.LABELS["en" if lg == "en" else "vi"]
    yes, no = status.YES_NO["en" if lg == "en" else "vi"]
    shown = frame.with_columns(
        pl.when(pl.col("is_missing")).then(pl.lit(yes)).otherwise(pl.lit(no)).alias("is_missing"),
        pl.col("last_changed_at").dt.strftime("%d/%m/%Y %H:%M"),
    )
    ui.table(
        shown,
        [
            ("ma_don_vi", labels["ma_don_vi"], ui.TEXT),
            ("ten_don_vi", labels["ten_don_vi"], ui.TEXT),
            ("ten_cap_tren", labels["ten_cap_tren"], ui.TEXT),
            ("n_dang_ky", labels["n_dang_ky"], ui.INT),
            ("n_hoi_nghi", labels["n_hoi_nghi"], ui.INT),
            ("n_khen_thuong", labels["n_khen_thuong"], ui.INT),
            ("is_missing", labels["is_missing"], ui.TEXT),
            ("last_changed_at", labels["last_changed_at"], ui.TEXT),
        ],
        highlight=(frame.get_column("n_dang_ky") == 0).to_list(),
        key="status_table",
        height=min(38 + 35 * frame.height, 420),
    )
    name = f"don_vi_chua_gui_{year}.csv" if lg == "vi" else f"units_not_sent_{year}.csv"
    data = export.to_csv_bytes(status.labelled(missing, lg), lg)
    st.download_button(
        t("status.download"),
        data=ui.recorded(lambda: data, name, table="submission_status"),
        file_name=name,
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="dl_status_missing",
    )
