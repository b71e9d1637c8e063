"""Báo cáo: the phase report in the Party's format for the sidebar's filters: the letterhead to set,
the outline to read, the .docx to download (the same file as `dvk report` for the same filters)."""

from __future__ import annotations

import dataclasses

import streamlit as st

from dashboard import filters, shared, ui
from dashboard.i18n import t
from queries import vocab
from queries.report import ReportOptions, render
from queries.report.content import with_letterhead as letterhead
from queries.report.model import BODY, CAPTION, H1, H2

f = filters.current()
lang = ui.lang()
ui.header(t("report.title"), f)
st.caption(t("report.caption"))

# --- the baseline period (URL: cmp=2018-2020, cmp=none) ----------------------------------------------
baseline = ui.baseline_period(f, key="rp_compare", label=t("report.compare"))
if baseline is not None and baseline[0] < vocab.YEAR_MIN:
    baseline = None

# --- the letterhead: defaults from the scope's unit, every part editable --------------------------------
# a scoped reader's superior lies outside what they may see: its name is never written for them
user = shared.require_user()
scoped = user.unit is not None and shared.enforce(f).unit == user.unit
defaults = shared.report_options(f, ReportOptions(lang=lang, compare=baseline, name_superior=not scoped))
scope_key = f"{f.unit}_{lang}"  # a new scope or language starts from its own defaults
with st.expander(t("report.letterhead"), expanded=False):
    a, b = st.columns(2)
    superior = a.text_input(t("report.superior"), defaults.superior, key=f"rp_superior_{scope_key}")
    issuer = b.text_input(t("report.issuer"), defaults.issuer, key=f"rp_issuer_{scope_key}")
    symbol = a.text_input(t("report.symbol"), defaults.symbol, key=f"rp_symbol_{scope_key}")
    place = b.text_input(t("report.place"), defaults.place, key=f"rp_place_{scope_key}")
    day = a.date_input(
        t("report.date"), value=None, format="DD/MM/YYYY", key="rp_date", help=t("report.date_help")
    )
    on_behalf = b.text_input(t("report.on_behalf"), defaults.on_behalf, key=f"rp_on_behalf_{scope_key}")
    signer_title = a.text_input(t("report.signer_title"), defaults.signer_title, key=f"rp_title_{scope_key}")
    signer_name = b.text_input(t("report.signer_name"), defaults.signer_name, key=f"rp_name_{scope_key}")
    recipients = st.text_area(
        t("report.recipients"), "\n".join(defaults.recipients or ()), key=f"rp_recipients_{scope_key}"
    )

chosen = dataclasses.replace(
    defaults,
    superior=(superior or "").strip(),
    issuer=(issuer or "").strip(),
    symbol=(symbol or "").strip(),
    place=(place or "").strip(),
    day=day,
    on_behalf=(on_behalf or "").strip(),
    signer_title=(signer_title or "").strip(),
    signer_name=(signer_name or "").strip(),
    recipients=tuple(line.strip() for line in (recipients or "").splitlines() if line.strip()),
)
with st.spinner(t("report.building")):
    # the figures once per scope, period and baseline; the letterhead follows the fields as typed
    content = letterhead(shared.report_content(f, defaults), chosen)

# --- the download: built on click, recorded like every download ---------------------------------------
unit = shared.enforce(f).unit  # the scope the report is computed over names the file
file_name = f"bao_cao_{f.year_from}_{f.year_to}{'_' + unit if unit else ''}.docx"
st.download_button(
    t("report.download"),
    data=ui.recorded(lambda: render.render(content), file_name, table="bao_cao", f=shared.enforce(f)),
    file_name=file_name,
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    key="rp_download",
    on_click="ignore",
    icon=":material/description:",
    type="primary",
)

# --- the outline: headings and sentences as plain text (nothing from the data is rendered) ------------
with st.container(border=True):
    st.caption(t("report.outline"))
    for style, text in content.outline():
        if style == H1:
            st.text(text.upper() if lang != "en" else text)
        elif style == H2:
            st.text("    " + text)
        elif style == CAPTION:
            st.text("        ▸ " + text)
        elif style == BODY:
            st.text("        " + text)
