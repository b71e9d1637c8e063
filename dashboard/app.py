"""Entry script of the dashboard: page config, the login gate, the global filters, the navigation, the URL.

Run with `dvk serve` (or `streamlit run dashboard/app.py`); the database is $DVK_DB or data/dvk.duckdb,
the users file $DVK_USERS or users.toml (none: open mode), the audit log $DVK_AUDIT or beside the database.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import errors, filters, login, shared  # noqa: E402
from dashboard.i18n import t  # noqa: E402
from queries.auth import User  # noqa: E402

HERE = Path(__file__).resolve().parent
# The page modules live in views/, not pages/: Streamlit treats a pages/ folder beside the entry
# script as an old-style multipage app for the first session after a start, and answers a link to
# any page but the first with a "Page not found" dialog.

st.set_page_config(
    page_title="Dân vận khéo",
    page_icon=str(HERE / "static" / "logo.svg"),
    layout="wide",
    initial_sidebar_state="auto",  # open on a wide screen, closed on a phone (it would cover the page)
)
st.logo(str(HERE / "static" / "logo.svg"), size="large")
st.html(HERE / "static" / "style.css")

# Every page's URL path: before a login they all show the login form (and nothing else).
URL_PATHS = (
    "tong-quan",
    "don-vi",
    "so-sanh",
    "khen-thuong",
    "chi-tieu",
    "bao-cao",
    "du-lieu",
    "nhap-du-lieu",
    "bat-dau",
)


def _page(file: str, key: str, url: str, icon: str, default: bool = False, hidden: bool = False) -> st.Page:
    return st.Page(
        str(HERE / "views" / file),
        title=t(key),
        url_path=url,
        icon=icon,
        default=default,
        visibility="hidden" if hidden else "visible",
    )


def main() -> None:
    """The gate, the navigation, the sidebar, the page, the URL: one run of the app."""
    # No data function runs before this: without a user (users configured, nobody logged in) it stops.
    user = login.gate(URL_PATHS)
    shared.begin_run()
    filters.begin_run()
    page = st.navigation(_pages(user), position="sidebar")
    login.account_box(user)  # the open-mode notice, or who is logged in and the logout button
    if shared.db_exists():
        filters.sidebar()
    else:  # nothing to filter yet
        with st.sidebar:
            filters.language_switch()
    filters.scope_notice()
    with errors.guarded(page.url_path or "the default page"):
        page.run()
    shared.end_run()  # the database changed during the run: the page again, from one version
    filters.write_url()


def _pages(user: User) -> dict[str, list[st.Page]]:
    # Only importers and admins see the import page (and the page checks the role again on import).
    importer = (
        [_page("import_data.py", "page.import", "nhap-du-lieu", ":material/upload_file:")]
        if user.can_import
        else []
    )
    if shared.db_exists():
        pages = {
            t("nav.section.report"): [
                # The default page is served at the root only: its url_path is reserved but not served.
                # /tong-quan opens the same page through a hidden alias (a link never meets "Page not found").
                _page("overview.py", "page.overview", "trang-chu", ":material/dashboard:", default=True),
                _page("overview.py", "page.overview", "tong-quan", ":material/dashboard:", hidden=True),
                _page("units.py", "page.units", "don-vi", ":material/account_tree:"),
                _page("compare.py", "page.compare", "so-sanh", ":material/compare_arrows:"),
                _page("awards.py", "page.awards", "khen-thuong", ":material/military_tech:"),
                _page("quality.py", "page.quality", "chi-tieu", ":material/verified:"),
                _page("report.py", "page.report", "bao-cao", ":material/description:"),
            ],
            t("nav.section.data"): [
                _page("records.py", "page.data", "du-lieu", ":material/table_view:"),
                *importer,
            ],
        }
    else:
        pages = {
            t("nav.section.data"): [
                _page("setup.py", "page.setup", "bat-dau", ":material/rocket_launch:", default=True),
                *importer,
            ]
        }
    return pages


with errors.guarded("the app"):  # the gate, the sidebar: an error there gets an id too
    main()
