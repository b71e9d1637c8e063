"""Nhập dữ liệu: upload workbooks or CSVs, see every problem of a dry run, confirm to import; the empty template."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import streamlit as st

from dashboard import fmt, import_desk, import_scope, login, shared, ui
from dashboard.escape import md
from dashboard.i18n import t
from queries import access, audit, export, import_bundle, importer, messages, sandbox, template

lang = ui.lang()
st.title(t("import.title"), anchor=False)
user = shared.require_user()
try:  # the page is only in the navigation of importers and admins, but a URL can be typed
    access.check_table_access(user, access.ACTION_IMPORT, lang)
except PermissionError as exc:
    st.error(md(exc), icon=":material/block:")
    st.stop()
st.markdown(t("import.intro"))


class Refused(Exception):
    """The upload is not imported: its message says why (role, scope)."""


def _template_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bieu_mau.xlsx"
        template.write_template(path, lang)
        return path.read_bytes()


template_name = template.DEFAULT_NAME  # the same name as `dvk template` and the README
st.download_button(
    t("import.template"),
    data=ui.recorded(_template_bytes, template_name, table="template"),
    file_name=template_name,
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon=":material/description:",
    key="dl_template",
)

# server.maxUploadSize (.streamlit/config.toml, `dvk serve`) stops larger uploads in the browser and at
# the server; the same limit is checked below, with a message naming the file.
limit_mb = int(st.get_option("server.maxUploadSize"))
ui.uploader_texts(t("import.uploader.button"), t("import.uploader.limits", limit=limit_mb))
# What the importer reads (readers.EXCEL_SUFFIXES, TEXT_SUFFIXES), and .zip archives of them.
UPLOAD_TYPES = sorted(s.lstrip(".") for s in import_bundle.READABLE | import_bundle.ARCHIVE_SUFFIXES)
folder_mode = st.toggle(t("import.folder_mode"), key="upload_folder_mode")
uploads = st.file_uploader(
    t("import.uploader"),
    type=UPLOAD_TYPES,
    accept_multiple_files="directory" if folder_mode else True,
    key="uploads_folder" if folder_mode else "uploads",
)
files = list(uploads or [])
too_large = [u for u in files if u.size > limit_mb * 1024 * 1024]
for upload in too_large:
    st.error(
        t(
            "import.too_large",
            name=md(upload.name),
            size=fmt.number(upload.size / 1024 / 1024, lang),
            limit=fmt.integer(limit_mb, lang),
        ),
        icon=":material/error:",
    )
if too_large:
    files = []  # the set is checked as a whole: nothing until the large file is removed
signature = hashlib.sha256(
    b"".join(f.name.encode() + hashlib.sha256(f.getvalue()).digest() for f in files)
).hexdigest()


def _scope_refusal(paths: list[Path], names: list[str]) -> str | None:
    """Why a scoped importer may not import these files (units outside their subtree), or None."""
    if not shared.db_exists():
        return t("import.out_of_scope", units="—", name=md(user.name), unit=md(user.unit))
    try:
        frames = import_scope.upload_frames(paths, names)
        cur = shared.snapshot().cursor()
        try:
            found = import_scope.check(cur, user, frames)
        finally:
            cur.close()
    except import_scope.ScopeUnverified as exc:
        return t("import.scope_unverified", error=md(exc))
    if found.outside:
        codes = sorted(found.outside)
        units = ", ".join(codes[:10]) + (" …" if len(codes) > 10 else "")
        return t("import.out_of_scope", units=md(units), name=md(user.name), unit=md(login.scope_label(user)))
    if found.foreign_rows:
        tables = ", ".join(messages.table_name(name, lang) for name in found.foreign_rows)
        return t("import.foreign_rows", n=sum(found.foreign_rows.values()), tables=tables)
    return None


def _run(dry_run: bool, expect_version: str | None = None) -> importer.ImportReport:
    """Save the uploads to a temporary folder and run the importer on them under their own names.

    The role is checked again here, and a scoped importer's files must stay inside their unit's
    subtree (Refused otherwise). Every real import, ok or not, and every refusal is audited.
    """
    names = [u.name for u in files]
    try:
        access.check_table_access(user, access.ACTION_IMPORT, lang)
    except PermissionError as exc:
        audit.record("import", user, db_path=shared.db_path(), what=names, ok=False, refused="role")
        raise Refused(md(exc)) from exc
    with sandbox.upload_folder() as tmp:  # removed at the end; by the next start if the server dies
        paths = []
        for i, upload in enumerate(files):
            # The index keeps two uploads with the same name apart; the report uses the real names.
            path = Path(tmp) / f"{i:03d}{Path(upload.name).suffix.lower()}"
            path.write_bytes(upload.getvalue())
            paths.append(path)
        # .zip archives are opened into their files (import_bundle: safely, with limits)
        bundle = import_bundle.expand(list(zip(paths, names, strict=True)), Path(tmp) / "unpacked")
        if bundle.problems:
            return import_bundle.rejected(bundle, dry_run)
        paths, names = bundle.paths, bundle.names
        if user.is_scoped:
            refusal = _scope_refusal(paths, names)
            if refusal is not None:
                audit.record(
                    "import", user, db_path=shared.db_path(), what=names, ok=False, refused="scope",
                    dry_run=dry_run,
                )  # fmt: skip
                raise Refused(refusal)
        try:
            report = importer.import_files(
                shared.db_path(),
                paths,
                dry_run=dry_run,
                display_names=names,
                who=user.name,
                expect_version=expect_version,
            )
        except Exception as exc:
            if not dry_run:
                audit.record(
                    "import", user, db_path=shared.db_path(), what=names, ok=False, error=str(exc)[:300]
                )
            raise
    if not dry_run:
        audit.record(
            "import", user, db_path=shared.db_path(), what=names, ok=report.ok, import_id=report.import_id,
            problems=len(report.problems), written=report.written,
        )  # fmt: skip
    return report


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
        st.session_state.pop("import_report", None)
        st.session_state.pop("import_done", None)
        with st.spinner(t("import.checking", n=len(files))):
            try:
                st.session_state["import_report"] = (signature, _run(dry_run=True))
            except Refused as exc:
                st.error(str(exc), icon=":material/block:")

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
        if st.session_state.pop("import_db_changed", False):
            st.info(t("import.db_changed"), icon=":material/refresh:")

        if report.counts:
            import_desk.counts_table(report)
        if report.ok:
            import_desk.changes_section(report)
        import_desk.per_file_section(report)

        if not report.ok:
            problems = report.problems_frame(lang)
            ui.table(
                problems, PROBLEM_COLUMNS, key="import_problems", height=min(38 + 35 * problems.height, 600)
            )
            shown = ui.display_frame(problems, PROBLEM_COLUMNS)
            problems_name = "loi_nhap_du_lieu.csv" if lang == "vi" else "import_problems.csv"
            st.download_button(
                t("import.problems.download"),
                data=ui.recorded(lambda: export.to_csv_bytes(shown), problems_name, table="import_problems"),
                file_name=problems_name,
                mime="text/csv",
                on_click="ignore",
                icon=":material/download:",
                key="dl_problems",
            )

        import_desk.notices_section(report, PROBLEM_COLUMNS)

        if report.ok and not st.session_state.get("import_done"):
            if st.button(
                t("import.confirm"), type="primary", icon=":material/database_upload:", key="import_confirm"
            ):
                with st.spinner(t("import.importing")):
                    try:
                        final = _run(dry_run=False, expect_version=report.db_version)
                    except Refused as exc:
                        st.error(str(exc), icon=":material/block:")
                    except Exception as exc:  # the message is for the user; the database is unchanged
                        st.error(t("import.failed", error=md(exc)), icon=":material/error:")
                    else:
                        if final.ok and final.written:
                            st.session_state["import_done"] = final.summary(lang)
                            st.session_state.pop("undo_message", None)
                            st.session_state.pop("import_report", None)
                            st.rerun()
                        elif [p.code for p in final.problems] == ["database_changed"]:
                            # another import or an undo landed after the preview: preview again
                            st.session_state["import_report"] = (signature, _run(dry_run=True))
                            st.session_state["import_db_changed"] = True
                            st.rerun()
                        else:
                            st.session_state["import_report"] = (signature, final)
                            st.rerun()

if st.session_state.get("import_done"):
    st.success(f"{t('import.done')} {st.session_state['import_done']}", icon=":material/task_alt:")

import_desk.history_section(user)
import_desk.status_section()
