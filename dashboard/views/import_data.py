"""Nhập dữ liệu: upload workbooks or CSVs, see every problem of a dry run, confirm to import; the empty template."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import shared, ui
from dashboard.i18n import t
from queries import export, importer, messages, template

lang = ui.lang()
st.title(t("import.title"), anchor=False)
st.markdown(t("import.intro"))


def _template_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bieu_mau.xlsx"
        template.write_template(path, lang)
        return path.read_bytes()


st.download_button(
    t("import.template"),
    data=_template_bytes,
    file_name="bieu_mau_dan_van_kheo.xlsx" if lang == "vi" else "dvk_template.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon=":material/description:",
    key="dl_template",
)

uploads = st.file_uploader(
    t("import.uploader"), type=["xlsx", "csv"], accept_multiple_files=True, key="uploads"
)
files = list(uploads or [])
signature = hashlib.sha256(
    b"".join(f.name.encode() + hashlib.sha256(f.getvalue()).digest() for f in files)
).hexdigest()


def _run(dry_run: bool) -> importer.ImportReport:
    """Save the uploads to a temporary folder and run the importer on them under their own names."""
    with tempfile.TemporaryDirectory(prefix="dvk-upload-") as tmp:
        paths = []
        for i, upload in enumerate(files):
            # The index keeps two uploads with the same name apart; the report uses the real names.
            path = Path(tmp) / f"{i:03d}{Path(upload.name).suffix.lower()}"
            path.write_bytes(upload.getvalue())
            paths.append(path)
        return importer.import_files(
            shared.db_path(), paths, dry_run=dry_run, display_names=[u.name for u in files]
        )


PROBLEM_COLUMNS = [
    ("file", t("import.col.file"), ui.TEXT),
    ("sheet", t("import.col.sheet"), ui.TEXT),
    ("row", t("import.col.row"), ui.TEXT),
    ("column", t("import.col.column"), ui.TEXT),
    ("value", t("import.col.value"), ui.TEXT),
    ("reason", t("import.col.reason"), ui.TEXT),
]

if files:
    if st.button(t("import.check"), type="primary", icon=":material/fact_check:", key="import_check"):
        with st.spinner(t("import.checking", n=len(files))):
            st.session_state["import_report"] = (signature, _run(dry_run=True))
        st.session_state.pop("import_done", None)

    stored = st.session_state.get("import_report")
    if stored is not None and stored[0] != signature:
        st.info(t("import.stale"), icon=":material/refresh:")
    elif stored is not None:
        report: importer.ImportReport = stored[1]
        if report.ok:
            st.success(t("import.ok"), icon=":material/check_circle:")
        else:
            st.error(t("import.problems", n=len(report.problems)), icon=":material/error:")
        st.markdown(report.summary(lang))

        if report.counts:
            counts = pl.DataFrame(
                {
                    "table": [messages.table_name(name, lang) for name in report.counts],
                    "added": [c.added for c in report.counts.values()],
                    "updated": [c.updated for c in report.counts.values()],
                }
            )
            st.markdown(f"**{t('import.counts')}**")
            ui.table(
                counts,
                [
                    ("table", t("import.col.table"), ui.TEXT),
                    ("added", t("import.col.added"), ui.INT),
                    ("updated", t("import.col.updated"), ui.INT),
                ],
                key="import_counts",
            )

        if not report.ok:
            problems = report.problems_frame(lang)
            ui.table(
                problems, PROBLEM_COLUMNS, key="import_problems", height=min(38 + 35 * problems.height, 600)
            )
            shown = ui.display_frame(problems, PROBLEM_COLUMNS)
            st.download_button(
                t("import.problems.download"),
                data=lambda: export.to_csv_bytes(shown),
                file_name="loi_nhap_du_lieu.csv" if lang == "vi" else "import_problems.csv",
                mime="text/csv",
                on_click="ignore",
                icon=":material/download:",
                key="dl_problems",
            )

        notices = report.notices_frame(lang)
        if notices.height:
            with st.expander(f"{t('import.notices')} ({notices.height})"):
                ui.table(notices, PROBLEM_COLUMNS, key="import_notices")

        if report.ok and not st.session_state.get("import_done"):
            if st.button(
                t("import.confirm"), type="primary", icon=":material/database_upload:", key="import_confirm"
            ):
                with st.spinner(t("import.importing")):
                    try:
                        final = _run(dry_run=False)
                    except Exception as exc:  # the message is for the user; the database is unchanged
                        st.error(t("import.failed", error=exc), icon=":material/error:")
                    else:
                        if final.ok and final.written:
                            st.session_state["import_done"] = final.summary(lang)
                            st.session_state.pop("import_report", None)
                            st.rerun()
                        else:
                            st.session_state["import_report"] = (signature, final)
                            st.rerun()

if st.session_state.get("import_done"):
    st.success(f"{t('import.done')} {st.session_state['import_done']}", icon=":material/task_alt:")
