"""Bắt đầu: shown instead of the reports while there is no database; builds the demo on request."""

from __future__ import annotations

import streamlit as st

from dashboard import shared
from dashboard.escape import md
from dashboard.i18n import current_lang, t
from queries import demo

st.title(t("app.no_db.title"), anchor=False)
user = shared.require_user()
if not user.can_import or user.is_scoped:  # building the demo writes the whole database
    st.info(t("app.no_db.ask_importer"), icon=":material/info:")
    st.stop()
st.markdown(t("app.no_db.body", path=shared.db_path()))

if st.button(t("app.no_db.build_demo"), type="primary", icon=":material/auto_awesome:"):
    with st.spinner(t("app.no_db.building")):
        try:
            report = demo.build_demo_database(shared.db_path())
        except Exception as exc:  # shown to the user; nothing was written
            st.error(t("app.no_db.failed", error=md(exc)), icon=":material/error:")
        else:
            if report.ok:
                st.toast(t("app.no_db.built"), icon=":material/check_circle:")
                st.rerun()
            st.error(t("app.no_db.failed", error=md(report.summary(current_lang()))), icon=":material/error:")
