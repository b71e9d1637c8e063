"""Session tokens (queries/sessions.py) and the throttling of failed logins (queries/throttle.py)."""

from __future__ import annotations

import os
import stat

import pytest

from queries import auth, sessions, throttle

PASSWORD = "lan-mat-khau-1"


@pytest.fixture
def users_path(tmp_path, monkeypatch):
    monkeypatch.delenv(sessions.ENV_SECRET, raising=False)
    path = tmp_path / "users.toml"
    auth.add_user(path, "lan", PASSWORD, "viewer", "A", "Lan")
    auth.add_user(path, "hung", "hung-mat-khau-1", "admin")
    return path


def _users(path):
    return auth.load_users(path)


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# --- tokens ---------------------------------------------------------------------------------------------


def test_a_token_resolves_to_its_user(users_path):
    store = sessions.SessionStore(users_path)
    users = _users(users_path)
    token = store.issue(users["lan"])
    assert store.resolve(token, users) == users["lan"]
    assert store.resolve(store.issue(users["hung"]), users) == users["hung"]
    assert all(c.isalnum() or c in "-_." for c in token)  # a cookie value as it is


def test_the_key_and_the_ids_are_private_files_beside_the_users_file(users_path):
    store = sessions.SessionStore(users_path)
    store.issue(_users(users_path)["lan"])
    for path in (sessions.secret_path(users_path), sessions.store_path(users_path)):
        assert path.parent == users_path.parent
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    key = sessions.secret_path(users_path).read_text().strip()
    assert len(key) >= 64 and key not in (sessions.store_path(users_path).read_bytes().decode("latin-1"))
    assert sessions.SessionStore(users_path).secret == key  # read again, not made again


def test_the_key_from_the_environment_wins_and_must_be_long(users_path, monkeypatch):
    monkeypatch.setenv(sessions.ENV_SECRET, "k" * 40)
    assert sessions.SessionStore(users_path).secret == "k" * 40
    assert not sessions.secret_path(users_path).exists()
    monkeypatch.setenv(sessions.ENV_SECRET, "short")
    with pytest.raises(ValueError):
        sessions.SessionStore(users_path)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda tok: tok[:-2] + ("AA" if not tok.endswith("AA") else "BB"),  # the signature
        lambda tok: "x" + tok[1:],  # the payload
        lambda tok: tok.split(".")[0],  # no signature
        lambda tok: "",
        lambda tok: "a" * 5000,
    ],
)
def test_a_tampered_token_is_refused(users_path, tamper):
    store = sessions.SessionStore(users_path)
    users = _users(users_path)
    token = store.issue(users["lan"])
    assert store.resolve(tamper(token), users) is None


def test_a_token_signed_with_another_key_is_refused(users_path, tmp_path, monkeypatch):
    users = _users(users_path)
    token = sessions.SessionStore(users_path).issue(users["lan"])
    monkeypatch.setenv(sessions.ENV_SECRET, "another-key-" + "z" * 40)
    assert sessions.SessionStore(users_path).resolve(token, users) is None


def test_a_token_expires(users_path):
    clock = Clock(__import__("time").time())
    store = sessions.SessionStore(users_path, max_age_seconds=3600, clock=clock)
    users = _users(users_path)
    token = store.issue(users["lan"])
    clock.now += 3500
    assert store.resolve(token, users) == users["lan"]
    clock.now += 200
    assert store.resolve(token, users) is None
    assert not store.is_live(store.session_id(token))


def test_a_logout_revokes_the_token_and_only_that_one(users_path):
    store = sessions.SessionStore(users_path)
    users = _users(users_path)
    first, second = store.issue(users["lan"]), store.issue(users["lan"])
    store.revoke(store.session_id(first))
    assert store.resolve(first, users) is None
    assert store.resolve(second, users) == users["lan"]
    # another process (another store object on the same files) sees the revocation
    assert sessions.SessionStore(users_path).resolve(first, users) is None


def test_a_removed_user_or_a_new_password_ends_the_session(users_path):
    store = sessions.SessionStore(users_path)
    users = _users(users_path)
    token = store.issue(users["lan"])
    auth.remove_user(users_path, "lan")
    assert store.resolve(token, _users(users_path)) is None
    auth.add_user(users_path, "lan", "mat-khau-moi-2", "viewer", "A", "Lan")
    assert store.resolve(token, _users(users_path)) is None  # same name, another password hash


def test_a_token_names_no_secret(users_path):
    users = _users(users_path)
    token = sessions.SessionStore(users_path).issue(users["lan"])
    payload = __import__("base64").urlsafe_b64decode(token.split(".")[0] + "==")
    assert b"argon2" not in payload and PASSWORD.encode() not in payload


def test_the_session_length_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(sessions.ENV_HOURS, "2")
    assert sessions.session_hours() == 2
    for bad in ("0", "-1", "abc", "100000"):
        monkeypatch.setenv(sessions.ENV_HOURS, bad)
        assert sessions.session_hours() == sessions.DEFAULT_HOURS


# --- throttling ------------------------------------------------------------------------------------------


def test_five_failures_are_free_then_the_wait_grows_then_a_lockout():
    clock = Clock()
    guard = throttle.LoginThrottle(clock)
    keys = throttle.attempt_keys("lan", None)
    waits = []
    for _ in range(10):
        assert guard.check(keys).allowed
        verdict = guard.failure(keys)
        waits.append(verdict.wait)
        clock.now += verdict.wait  # the attacker waits exactly as long as told
    policy = throttle.USER_POLICY
    assert waits[:4] == [0, 0, 0, 0]
    assert waits[4:9] == [policy.base_delay * 2**i for i in range(5)]  # 15, 30, 60, 120, 240 s
    assert waits[9] == policy.lockout and guard.check(keys).allowed  # waited it out
    clock.now -= 1
    verdict = guard.check(keys)
    assert not verdict.allowed and verdict.locked


def test_the_sixth_attempt_within_a_minute_is_refused():
    clock = Clock()
    guard = throttle.LoginThrottle(clock)
    keys = throttle.attempt_keys("lan", "203.0.113.7")
    for _ in range(5):
        assert guard.check(keys).allowed
        guard.failure(keys)
        clock.now += 5
    verdict = guard.check(keys)
    assert not verdict.allowed and 0 < verdict.wait <= throttle.USER_POLICY.base_delay


def test_a_success_clears_and_a_quiet_window_forgets():
    clock = Clock()
    guard = throttle.LoginThrottle(clock)
    keys = throttle.attempt_keys("lan", None)
    for _ in range(5):
        guard.failure(keys)
    guard.success(keys)
    assert guard.check(keys).allowed and guard.failure(keys).failures == 1
    for _ in range(4):
        guard.failure(keys)
    clock.now += throttle.USER_POLICY.window + throttle.USER_POLICY.wait_after(5) + 1
    assert guard.check(keys).allowed and guard.failure(keys).failures == 1


def test_one_client_trying_many_names_is_slowed_too():
    clock = Clock()
    guard = throttle.LoginThrottle(clock)
    for i in range(throttle.CLIENT_POLICY.free):
        assert guard.check(throttle.attempt_keys(f"user{i}", "203.0.113.7")).allowed
        guard.failure(throttle.attempt_keys(f"user{i}", "203.0.113.7"))
    assert not guard.check(throttle.attempt_keys("someone-else", "203.0.113.7")).allowed
    assert guard.check(throttle.attempt_keys("someone-else", "198.51.100.1")).allowed
