"""Unexpected errors: a short message with an error id for the user, the traceback in the server log.

Streamlit would print an exception's traceback, with the server's paths, into the page; the app
runs each page inside `guarded()`, and `client.showErrorDetails = "none"` (.streamlit/config.toml,
`dvk serve`) hides the details of anything that still escapes (a widget callback).
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import sys
from collections.abc import Iterator

import streamlit as st

from dashboard.escape import md
from dashboard.i18n import t

log = logging.getLogger("dvk.dashboard")
if not log.handlers:  # Streamlit configures only its own loggers: the traceback goes to stderr
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)


def new_error_id() -> str:
    """A short id that names one error in the log and on the page."""
    return secrets.token_hex(4)


def report(exc: BaseException, where: str = "") -> str:
    """Log `exc` with its traceback under a new id, show the id on the page; returns the id."""
    error_id = new_error_id()
    log.error("error %s on %s: %s", error_id, where or "a page", type(exc).__name__, exc_info=exc)
    st.error(t("app.error", id=md(error_id)), icon=":material/error:")
    return error_id


@contextlib.contextmanager
def guarded(where: str = "") -> Iterator[None]:
    """Run a page: an unexpected exception becomes a message with an error id (and a log entry)."""
    # st.stop(), st.rerun() and st.switch_page() raise Streamlit's ScriptControlException, a
    # BaseException: they pass through untouched.
    try:
        yield
    except Exception as exc:  # noqa: BLE001 (the point: nothing reaches the user as a traceback)
        report(exc, where)
