"""Logins: the gate at the top of every run, the login page, the account box and the logout.

Without a users file the app runs open (auth.OPEN_USER) and says so in the sidebar. With one, every
visitor must log in, with a password (auth.verify) or, when `[auth]` is in .streamlit/secrets.toml,
through Streamlit's OIDC login (st.login, mapped to a users-file entry by auth.user_for_oidc).
Until then st.navigation holds only the login page and no data function runs (shared.require_user
fails closed). Logins, failed logins, refused attempts and logouts go to the audit log.

A password login outlasts the browser session: it gets a signed, expiring token
(queries/sessions.py) kept in a cookie (dashboard/cookies.py), so a reload, a typed URL or a new tab
needs no new login until the user logs out or the token expires. Failed logins are throttled per
login name and per client address (queries/throttle.py): a growing wait, then a lockout.

The session keeps the login *name*; the User is looked up again in the users file on every run,
so a user removed from the file (or given another role or unit) is affected at once.
"""

from __future__ import annotations

import importlib.util
import logging
import math
from collections.abc import Sequence

import streamlit as st

from dashboard import cookies, filters, fmt, shared
from dashboard.escape import md
from dashboard.i18n import DEFAULT_LANG, LANGS, current_lang, t
from queries import audit, auth, sessions, throttle
from queries.auth import User

_NAME = "_auth_name"  # login name of a password login
_METHOD = "_auth_method"  # "password" | "oidc"
_OIDC_SEEN = "_auth_oidc_seen"  # the OIDC user whose login is already recorded in this session
_OIDC_FAILED = "_auth_oidc_failed"  # the refused OIDC e-mail already recorded in this session
_OIDC_ERROR = "_auth_oidc_error"  # why the OIDC identity was refused (shown on the login page)
_SID = "_auth_sid"  # the server-side session id of a password login (checked on every run)
_TOKEN = "_auth_token"  # the token this session logged in with, for the browser's cookie
_CLEAR_COOKIE = "_auth_clear_cookie"  # the browser's cookie is no good (logged out, expired, forged)

# One per server process, shared by every session: failed logins per name and per client address.
THROTTLE = throttle.LoginThrottle()
log = logging.getLogger("dvk.dashboard")

LOGIN_PATH = "dang-nhap"
ROLE_KEYS = {
    auth.ROLE_VIEWER: "auth.role.viewer",
    auth.ROLE_IMPORTER: "auth.role.importer",
    auth.ROLE_ADMIN: "auth.role.admin",
}


def _record(action: str, user: User | str | None, **details: object) -> None:
    audit.record(action, user, log_path=None, db_path=shared.db_path(), **details)  # log_path: the default


def _seed_lang() -> None:
    # The login page runs before the filters read the URL: take the language from the link here.
    if filters.K_LANG not in st.session_state:
        lang = st.query_params.get("lang")
        st.session_state[filters.K_LANG] = lang if lang in LANGS else DEFAULT_LANG


# --- OIDC --------------------------------------------------------------------------------------


def oidc_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (Streamlit's OIDC login)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file (StreamlitSecretNotFoundError), or an unreadable one
        return False


def _authlib_installed() -> bool:
    return importlib.util.find_spec("authlib") is not None


def _oidc_user(table: dict[str, User], lang: str) -> User | None:
    """The users-file entry of the OIDC identity, if one is logged in and mapped; None otherwise."""
    if not oidc_configured() or not st.user.is_logged_in:
        return None
    claims = st.user.to_dict()
    try:
        user = auth.user_for_oidc(table, claims, lang)
    except PermissionError as exc:
        st.session_state[_OIDC_ERROR] = str(exc)
        email = str(claims.get("email") or "")[:254]
        if st.session_state.get(_OIDC_FAILED) != email:  # once per session, not once per rerun
            st.session_state[_OIDC_FAILED] = email
            _record("login_failed", email or None, method="oidc")
        return None
    st.session_state.pop(_OIDC_ERROR, None)
    if st.session_state.get(_OIDC_SEEN) != user.name:
        st.session_state[_OIDC_SEEN] = user.name
        _record("login", user, method="oidc")
    st.session_state[_METHOD] = "oidc"
    return user


# --- password sessions kept in a cookie --------------------------------------------------------


def session_store() -> sessions.SessionStore | None:
    """The session tokens of the users file; None when its folder cannot hold the key or the ids
    (then a password login lasts as long as the browser tab, as without cookies)."""
    try:
        return sessions.SessionStore(auth.resolve_users_path())
    except (OSError, ValueError) as exc:
        log.warning("password sessions cannot be kept across reloads: %s", exc)
        return None


def _forget_login() -> None:
    for key in (_NAME, _METHOD, _SID, _TOKEN):
        st.session_state.pop(key, None)
    st.session_state[_CLEAR_COOKIE] = True


def _cookie_user(table: dict[str, User]) -> User | None:
    """The user of the browser's session cookie, when it is good (signed, unexpired, not revoked)."""
    token = cookies.read()
    if token is None or st.session_state.get(_CLEAR_COOKIE):
        return None
    store = session_store()
    user = store.resolve(token, table) if store is not None else None
    if store is None or user is None:  # tampered, expired, logged out, user removed or password changed
        st.session_state[_CLEAR_COOKIE] = True
        return None
    st.session_state[_NAME] = user.name
    st.session_state[_METHOD] = "password"
    st.session_state[_SID] = store.session_id(token)
    return user


def _session_user(table: dict[str, User], lang: str) -> User | None:
    name = st.session_state.get(_NAME)
    if name is not None:
        user = table.get(name)
        sid = st.session_state.get(_SID)
        store = session_store() if sid else None
        if user is not None and (sid is None or store is None or store.is_live(sid)):
            return user
        _forget_login()  # removed from the users file, logged out in another tab, or expired
    return _cookie_user(table) or _oidc_user(table, lang)


def _keep_cookie() -> None:
    """After a password login in this session: put its token in the browser's cookie."""
    token = st.session_state.get(_TOKEN)
    if token and cookies.read() != token:
        store = session_store()
        if store is not None:
            cookies.write(token, store.max_age)


# --- the gate ----------------------------------------------------------------------------------


def gate(page_paths: Sequence[str] = ()) -> User:
    """The user of this run, or the login page and st.stop(). Call before anything reads data.

    `page_paths` are the URL paths of the app's pages: a link to one of them shows the login page
    under that path, so the visitor lands on the page they asked for once logged in.
    """
    _seed_lang()
    lang = current_lang()
    try:
        table = shared.users(lang)
    except auth.UsersFileError as exc:  # never fall back to open mode on a broken file
        st.error(t("auth.users_error", error=md(exc)), icon=":material/error:")
        st.stop()
    if table is None:
        st.session_state.pop(shared.USER_KEY, None)
        return auth.OPEN_USER
    user = _session_user(table, lang)
    if user is None:
        st.session_state.pop(shared.USER_KEY, None)
        if st.session_state.get(_CLEAR_COOKIE) and cookies.read() is not None:
            cookies.clear()
        _login_navigation(page_paths)
        st.stop()
    st.session_state[shared.USER_KEY] = user
    _keep_cookie()
    if shared.db_exists() and not shared.scope_exists(user):
        account_box(user)
        st.error(t("auth.unit_missing", unit=md(user.unit), name=md(user.name)), icon=":material/error:")
        st.stop()
    return user


def _login_navigation(page_paths: Sequence[str]) -> None:
    # Only the login page is registered; the app's other paths are hidden aliases of it (no page
    # names, no data), so a shared link opens the login form rather than "Page not found".
    title = t("page.login")
    pages = [st.Page(_login_page, title=title, icon=":material/login:", url_path=LOGIN_PATH, default=True)]
    pages += [
        st.Page(_login_page, title=title, url_path=path, visibility="hidden")
        for path in dict.fromkeys(page_paths)
        if path and path != LOGIN_PATH
    ]
    page = st.navigation(pages, position="hidden")
    with st.sidebar:  # drawn by the main script, as after the login: one widget, one language
        filters.language_switch()
    page.run()


def _login_page() -> None:
    st.title(t("login.title"), anchor=False)
    st.markdown(t("login.intro"))
    left, _ = st.columns([2, 3])
    with left:
        with st.form("auth_login", clear_on_submit=True):
            name = st.text_input(
                t("login.name"), key="auth_login_name", max_chars=64, autocomplete="username"
            )
            password = st.text_input(
                t("login.password"),
                key="auth_login_password",
                type="password",
                max_chars=auth.MAX_PASSWORD_LENGTH,
                autocomplete="current-password",
            )
            submitted = st.form_submit_button(
                t("login.submit"), type="primary", icon=":material/login:", width="stretch"
            )
        if submitted:
            _password_login(name or "", password or "")
        if oidc_configured():
            st.markdown(t("login.oidc_or"))
            if not _authlib_installed():
                st.warning(t("login.oidc_unavailable"), icon=":material/warning:")
            elif not st.user.is_logged_in and st.button(
                t("login.oidc"), icon=":material/badge:", key="auth_oidc", width="stretch"
            ):
                st.login()
            error = st.session_state.get(_OIDC_ERROR)
            if error and st.user.is_logged_in:
                st.error(md(error), icon=":material/block:")
                if st.button(t("auth.logout"), key="auth_oidc_logout", icon=":material/logout:"):
                    _clear_session()
                    st.logout()
        store = session_store()
        if store is not None:
            hours = store.max_age / 3600
            shown = fmt.number(hours, current_lang(), digits=0 if hours == int(hours) else 1)
            st.caption(t("login.reload_note", hours=shown))


def _wait_message(verdict: throttle.Verdict) -> None:
    if verdict.locked:
        st.error(t("login.locked", minutes=math.ceil(verdict.wait / 60)), icon=":material/lock_clock:")
    else:
        st.warning(t("login.throttled", seconds=math.ceil(verdict.wait)), icon=":material/hourglass_top:")


def _password_login(name: str, password: str) -> None:
    table = shared.users(current_lang()) or {}
    login_name = auth.normalize_name(name)[:64]
    client = st.context.ip_address  # None for a browser on the server itself
    keys = throttle.attempt_keys(login_name, client)
    verdict = THROTTLE.check(keys)
    if not verdict.allowed:  # refused unchecked: the password is not even tried
        _record(
            "login_throttled", login_name or None, method="password", client=client,
            retry_after=math.ceil(verdict.wait), locked=verdict.locked,
        )  # fmt: skip
        _wait_message(verdict)
        return
    user = auth.verify(table, name, password)
    if user is None:  # one message for an unknown name and a wrong password
        after = THROTTLE.failure(keys)
        _record(
            "login_failed", login_name or None, method="password", client=client,
            failures=after.failures, retry_after=math.ceil(after.wait), locked=after.locked,
        )  # fmt: skip
        st.error(t("login.failed"), icon=":material/error:")
        if not after.allowed:
            _wait_message(after)
        return
    THROTTLE.success(keys)
    st.session_state[_NAME] = user.name
    st.session_state[_METHOD] = "password"
    st.session_state.pop(_CLEAR_COOKIE, None)
    store = session_store()
    if store is not None:
        token = store.issue(user)
        st.session_state[_TOKEN] = token
        st.session_state[_SID] = store.session_id(token)
    _record("login", user, method="password", client=client)
    st.rerun()


# --- the account box and the logout ------------------------------------------------------------


def _clear_session() -> None:
    """Forget everything of the session but its language (the next visitor starts afresh)."""
    lang = st.session_state.get(filters.K_LANG, DEFAULT_LANG)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[filters.K_LANG] = lang


def logout(user: User) -> None:
    """Record the logout, clear the session and show the login page again."""
    method = st.session_state.get(_METHOD)
    sid = st.session_state.get(_SID)
    _record("logout", user, method=method)
    store = session_store() if sid else None
    if store is not None:
        store.revoke(sid)  # the token is refused from now on, wherever a copy of it is
    _clear_session()
    st.session_state[_CLEAR_COOKIE] = True
    if method == "oidc":
        st.logout()  # clears Streamlit's identity cookie, then reruns
    st.rerun()


def scope_label(user: User) -> str:
    """ "Đảng bộ cơ sở A (DBCS01)", or "Toàn bộ đơn vị" for an unscoped user."""
    if user.unit is None:
        return t("auth.scope_all")
    name = shared.unit_names().get(user.unit) if shared.db_exists() else None
    return f"{name} ({user.unit})" if name else user.unit


def account_box(user: User) -> None:
    """Sidebar: the open-mode notice, or who is logged in (name, role, unit) and the logout button."""
    with st.sidebar:
        if shared.users() is None:
            st.info(t("auth.open_notice"), icon=":material/lock_open:")
            return
        with st.container(border=True, key="auth_account"):
            st.markdown(f"**{md(user.display_name)}**")
            role = t(ROLE_KEYS[user.role]) if user.role in ROLE_KEYS else user.role
            st.caption(md(f"{role} · {scope_label(user)}"))
            if st.button(t("auth.logout"), key="auth_logout", icon=":material/logout:", width="stretch"):
                logout(user)
