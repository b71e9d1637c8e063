"""Password sessions in the dashboard (AppTest): the cookie a login leaves, a reload with it, logout,
a tampered or expired cookie, and failed logins throttled and audited.

AppTest cannot send cookies, so `dashboard.cookies.read` (what the browser sent, st.context.cookies)
is replaced by the cookie each test means to send; the real cookie in a real browser is
tests/test_browser_access.py's.
"""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import APP, run

from dashboard import cookies, login
from dashboard.i18n import t
from queries import audit, auth, sessions, store

TIMEOUT = 60
PASSWORD = "lan-mat-khau-1"


@pytest.fixture
def env(demo_db, tmp_path, monkeypatch) -> dict:
    users = tmp_path / "users.toml"
    auth.add_user(users, "lan", PASSWORD, "viewer", "", "Nguyễn Thị Lan")
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv(store.ENV_DB, str(demo_db))
    monkeypatch.setenv(auth.ENV_USERS, str(users))
    monkeypatch.setenv(audit.ENV_AUDIT, str(log))
    monkeypatch.delenv(sessions.ENV_SECRET, raising=False)
    login.THROTTLE.reset()
    yield {"users": users, "audit": log}
    login.THROTTLE.reset()


def send_cookie(monkeypatch, value: str | None) -> None:
    """What the browser sends with the session's first request from now on."""
    monkeypatch.setattr(cookies, "read", lambda: value)


def new_tab() -> AppTest:
    return run(AppTest.from_file(APP, default_timeout=TIMEOUT))


def on_login_page(at: AppTest) -> bool:
    return at.title[0].value == t("login.title", "vi") and not at.metric


def submit(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="auth_login_name").input(name)
    at.text_input(key="auth_login_password").input(password)
    [button] = [b for b in at.button if b.label == t("login.submit", "vi")]
    button.click()
    return run(at)


def cookie_scripts(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html") if "document.cookie" in h.proto.body]


def log_in_and_take_the_cookie(monkeypatch) -> str:
    send_cookie(monkeypatch, None)
    at = submit(new_tab(), "lan", PASSWORD)
    assert not on_login_page(at)
    [script] = cookie_scripts(at)
    token = at.session_state["_auth_token"]
    assert f"dvk_session={token}; Path=/; Max-Age=43200; SameSite=Strict" in script
    assert '"https:" ? "; Secure"' in script
    return token


def test_a_login_leaves_a_cookie_and_a_new_tab_with_it_needs_no_login(env, monkeypatch):
    token = log_in_and_take_the_cookie(monkeypatch)
    send_cookie(monkeypatch, token)
    for _ in range(2):  # a reload, another tab
        at = new_tab()
        assert not on_login_page(at) and at.title[0].value == t("overview.title", "vi")
        assert cookie_scripts(at) == []  # the browser has it already
    logins = [r for r in audit.read_log(env["audit"]) if r["action"] == "login"]
    assert len(logins) == 1  # one login, not one per reload


def test_logout_ends_the_session_everywhere(env, monkeypatch):
    token = log_in_and_take_the_cookie(monkeypatch)
    send_cookie(monkeypatch, token)
    other = new_tab()  # a second tab, logged in by the cookie
    at = new_tab()
    [logout] = [b for b in at.button if b.label == t("auth.logout", "vi")]
    logout.click()
    run(at)
    assert on_login_page(at)
    [script] = cookie_scripts(at)  # the browser is told to drop the cookie
    assert "dvk_session=; Path=/; Max-Age=0" in script
    assert on_login_page(new_tab())  # the same cookie, sent again: refused
    other.run()  # the other tab's next run: logged out too
    assert on_login_page(other)
    assert [r["action"] for r in audit.read_log(env["audit"])][-1] == "logout"


@pytest.mark.parametrize("how", ["signature", "payload", "made_up", "other_key"])
def test_a_tampered_cookie_is_refused(env, monkeypatch, how):
    token = log_in_and_take_the_cookie(monkeypatch)
    forged = {
        "signature": token[:-3] + ("abc" if not token.endswith("abc") else "xyz"),
        "payload": "eyJ1IjoiaHVuZyJ9" + token[token.index(".") :],
        "made_up": "lan",
    }.get(how)
    if how == "other_key":
        monkeypatch.setenv(sessions.ENV_SECRET, "another-key-" + "z" * 40)
        forged = token
    send_cookie(monkeypatch, forged)
    at = new_tab()
    assert on_login_page(at)
    assert any("Max-Age=0" in s for s in cookie_scripts(at))  # and the browser is told to drop it


def test_an_expired_cookie_is_refused(env, monkeypatch):
    token = log_in_and_take_the_cookie(monkeypatch)
    send_cookie(monkeypatch, token)
    monkeypatch.setenv(sessions.ENV_HOURS, "0.0001")  # 0.36 s
    time.sleep(1.5)
    assert on_login_page(new_tab())


# --- throttling -------------------------------------------------------------------------------------------


def test_the_sixth_wrong_password_within_a_minute_is_refused_and_audited(env, monkeypatch):
    send_cookie(monkeypatch, None)
    at = new_tab()
    started = time.monotonic()
    for _ in range(5):
        submit(at, "lan", "sai-mat-khau")
        assert t("login.failed", "vi") in [e.value for e in at.error]
    assert [w.value for w in at.warning] == [t("login.throttled", "vi", seconds=15)]
    submit(at, "lan", PASSWORD)  # the 6th attempt, even with the right password: refused unchecked
    assert time.monotonic() - started < 60
    assert on_login_page(at)
    assert at.warning and at.warning[0].value.startswith(t("login.throttled", "vi", seconds=0)[:20])
    records = audit.read_log(env["audit"])
    assert [r["action"] for r in records] == ["login_failed"] * 5 + ["login_throttled"]
    assert records[4]["retry_after"] == 15 and records[4]["failures"] == 5
    assert records[-1]["user"] == "lan" and 0 < records[-1]["retry_after"] <= 15
    # another tab gets no fresh start
    assert on_login_page(submit(new_tab(), "lan", PASSWORD))
