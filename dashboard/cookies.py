"""The session cookie in the browser: read through st.context.cookies, written by a two-line script.

Streamlit gives a script no HTTP response to set a header on (its own login cookie is set by a
Tornado route the app cannot add), so the cookie is written by JavaScript in the page, through
`st.html(..., unsafe_allow_javascript=True)` with a script built here from the token alone. Its
attributes: Path=/, Max-Age of the session, SameSite=Strict, and Secure when the page is served
over https. A cookie written from JavaScript cannot be HttpOnly: a script injected into the page
could read it. That is why everything from the data is escaped (dashboard/escape.py), why the
token is bound to a server-side session id that a logout deletes (queries/sessions.py), and why it
expires. The browser sends the cookie with the websocket's opening request, which Streamlit shows
as st.context.cookies for the whole session.
"""

from __future__ import annotations

import json

import streamlit as st

from queries.sessions import COOKIE_NAME

# The container's class (st-key-dvk_cookie) is hidden by static/style.css: the script has no face.
_KEY = "dvk_cookie"


def read() -> str | None:
    """The session cookie the browser sent when this session opened, if any."""
    value = st.context.cookies.get(COOKIE_NAME)
    return value or None


def _script(value: str, max_age: int) -> str:
    cookie = json.dumps(f"{COOKIE_NAME}={value}; Path=/; Max-Age={max_age}; SameSite=Strict")
    return (
        f'<script>document.cookie = {cookie} + (location.protocol === "https:" ? "; Secure" : "");</script>'
    )


def _run(script: str) -> None:
    with st.container(key=_KEY):
        st.html(script, unsafe_allow_javascript=True)


def write(token: str, max_age_seconds: float) -> None:
    """Put the session token in the browser's cookie (the token is URL-safe base64 and dots)."""
    if not all(c.isalnum() or c in "-_." for c in token):
        raise ValueError("a session token holds only URL-safe characters")
    _run(_script(token, int(max_age_seconds)))


def clear() -> None:
    """Remove the session cookie from the browser."""
    _run(_script("", 0))
