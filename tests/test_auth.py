"""The users file and password checks (queries.auth)."""

from __future__ import annotations

import os
import stat
import time

import pytest
from argon2 import PasswordHasher, extract_parameters

from queries import auth
from queries.auth import User, UsersFileError

PASSWORD = "mật-khẩu-đủ-dài"


@pytest.fixture
def users_file(tmp_path):
    """A users file with one user of each role."""
    path = tmp_path / "users.toml"
    auth.add_user(path, "lan", PASSWORD, "viewer", "DBCS01", "Nguyễn Thị Lan", email="Lan@Example.vn")
    auth.add_user(path, "hung", "hung-pass-123", "importer", "DBCS02", "Trần Văn Hùng")
    auth.add_user(path, "admin", "admin-pass-123", "admin")
    return path


def write(tmp_path, text: str):
    path = tmp_path / "users.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- hashing ----------------------------------------------------------------------------------


def test_hash_is_argon2id_salted_and_not_the_password():
    first, second = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert first.startswith("$argon2id$")
    assert PASSWORD not in first
    assert first != second  # a fresh salt every time
    assert PasswordHasher().verify(first, PASSWORD)


def test_short_password_is_refused():
    with pytest.raises(ValueError, match="8"):
        auth.hash_password("1234567")
    assert auth.password_problem("12345678") is None
    assert "8" in auth.password_problem("ngắn", "vi")
    assert auth.password_problem("x" * (auth.MAX_PASSWORD_LENGTH + 1)) is not None


def test_verify_right_and_wrong_password(users_file):
    users = auth.load_users(users_file)
    assert auth.verify(users, "lan", PASSWORD) == users["lan"]
    assert auth.verify(users, "  LAN ", PASSWORD) == users["lan"]  # names are case-insensitive
    assert auth.verify(users, "lan", PASSWORD.upper()) is None
    assert auth.verify(users, "lan", "") is None
    assert auth.verify(users, "lan", "hung-pass-123") is None  # another user's password
    assert auth.verify(users, "nobody", PASSWORD) is None
    assert auth.verify(users, "", "") is None
    assert auth.verify(users, "lan", PASSWORD + "x" * 5000) is None


def test_unknown_user_costs_a_hash_too(users_file):
    users = auth.load_users(users_file)

    def elapsed(name):
        start = time.perf_counter()
        for _ in range(3):
            auth.verify(users, name, "wrong-password")
        return time.perf_counter() - start

    known, unknown = elapsed("lan"), elapsed("nobody")
    # An unknown name without a hash check would answer in microseconds.
    assert unknown > known / 3


def test_dummy_hash_follows_the_hasher_parameters():
    hasher = PasswordHasher()
    params = extract_parameters(auth._DUMMY_HASH)
    assert (params.time_cost, params.memory_cost, params.parallelism) == (
        hasher.time_cost,
        hasher.memory_cost,
        hasher.parallelism,
    )
    assert params == extract_parameters(auth.hash_password(PASSWORD))


# --- the file ---------------------------------------------------------------------------------


def test_file_round_trip(users_file):
    users = auth.load_users(users_file)
    assert sorted(users) == ["admin", "hung", "lan"]
    lan = users["lan"]
    assert lan == User("lan", "viewer", "DBCS01", "Nguyễn Thị Lan", email="lan@example.vn")
    assert (lan.can_import, lan.is_admin, lan.is_scoped) == (False, False, True)
    assert (users["hung"].can_import, users["hung"].is_admin) == (True, False)
    admin = users["admin"]
    assert (admin.can_import, admin.is_admin, admin.unit, admin.display_name) == (True, True, None, "admin")
    assert [u.name for u in auth.list_users(users_file)] == ["admin", "hung", "lan"]


def test_file_never_holds_the_plaintext_and_is_private(users_file):
    text = users_file.read_text(encoding="utf-8")
    for password in (PASSWORD, "hung-pass-123", "admin-pass-123"):
        assert password not in text
    assert text.count("$argon2id$") == 3
    assert stat.S_IMODE(os.stat(users_file).st_mode) == 0o600


def test_user_is_frozen_and_repr_hides_the_hash(users_file):
    lan = auth.load_users(users_file)["lan"]
    with pytest.raises(AttributeError):
        lan.role = "admin"
    assert "argon2" not in repr(lan)


def test_add_existing_user_needs_replace(users_file):
    with pytest.raises(ValueError, match="lan"):
        auth.add_user(users_file, "LAN", "another-pass-1", "admin")
    auth.add_user(users_file, "lan", "another-pass-1", "importer", "DBCS03", replace=True)
    users = auth.load_users(users_file)
    assert users["lan"].role == "importer" and users["lan"].unit == "DBCS03"
    assert auth.verify(users, "lan", "another-pass-1") is not None
    assert auth.verify(users, "lan", PASSWORD) is None


def test_add_rejects_bad_input(tmp_path):
    path = tmp_path / "users.toml"
    with pytest.raises(ValueError):
        auth.add_user(path, "lan", "short", "viewer", "X")
    with pytest.raises(ValueError):
        auth.add_user(path, "lan", PASSWORD, "superuser", "X")
    with pytest.raises(ValueError):
        auth.add_user(path, 'lan"]\n[users.evil', PASSWORD, "viewer", "X")
    with pytest.raises(ValueError):
        auth.add_user(path, "lan", PASSWORD, "viewer", "X", email="not-an-email")
    assert not path.exists()


def test_email_must_be_unique(users_file):
    with pytest.raises(ValueError, match="lan@example.vn"):
        auth.add_user(users_file, "lan2", PASSWORD, "viewer", "X", email="LAN@example.vn")


def test_tricky_text_survives_the_round_trip(tmp_path):
    path = tmp_path / "users.toml"
    name = 'Tên "lạ" \\ có\ttab'
    auth.add_user(path, "x", PASSWORD, "viewer", "Mã \"đơn vị\" ' or '1'='1", name)
    user = auth.load_users(path)["x"]
    assert user.display_name == name
    assert user.unit == "Mã \"đơn vị\" ' or '1'='1"


def test_remove_user(users_file):
    assert auth.remove_user(users_file, "Hung") is True
    assert auth.remove_user(users_file, "hung") is False
    assert sorted(auth.load_users(users_file)) == ["admin", "lan"]
    assert stat.S_IMODE(os.stat(users_file).st_mode) == 0o600


def test_write_leaves_no_temporary_files(users_file):
    assert sorted(p.name for p in users_file.parent.iterdir()) == ["users.toml"]


def test_list_of_missing_file_is_empty(tmp_path):
    assert auth.list_users(tmp_path / "none.toml") == []


# --- malformed files --------------------------------------------------------------------------

GOOD_HASH = PasswordHasher().hash("irrelevant-pass")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[users.lan]\nrole = "viewer"\n', "password_hash"),
        (f'[users.lan]\npassword_hash = "{GOOD_HASH}"\nrole = "boss"\n', "boss"),
        (f'[users.lan]\npassword_hash = "{GOOD_HASH}"\n', "role"),
        ('[users.lan]\npassword_hash = "hunter2-secret"\nrole = "viewer"\n', "plaintext"),
        ('[users.lan]\npassword = "hunter2-secret"\nrole = "viewer"\n', "plaintext"),
        ('[users.lan]\npassword_hash = "$argon2id$garbage"\nrole = "viewer"\n', "argon2"),
        (f'[users.lan]\npassword_hash = "{GOOD_HASH}"\nrole = "viewer"\nunit = 12\n', "unit"),
        (f'[users.lan]\npassword_hash = "{GOOD_HASH}"\nrole = "viewer"\nscope = "A"\n', "scope"),
        (f'[users."Lan Anh"]\npassword_hash = "{GOOD_HASH}"\nrole = "viewer"\n', "Lan Anh"),
        (
            f'[users.lan]\npassword_hash = "{GOOD_HASH}"\nrole = "viewer"\n'
            f'[users.LAN]\npassword_hash = "{GOOD_HASH}"\nrole = "viewer"\n',
            "lan",
        ),
        ('users = "everyone"\n', "users"),
        ("[users.lan\n", "TOML"),
    ],
)
def test_malformed_file_names_file_and_entry(tmp_path, body, expected):
    path = write(tmp_path, body)
    with pytest.raises(UsersFileError) as info:
        auth.load_users(path, lang="en")
    message = str(info.value)
    assert str(path) in message
    assert expected in message
    if expected not in ("TOML", "users", "lan"):  # errors of one entry name it
        assert "[users." in message


def test_malformed_file_message_is_vietnamese_by_default(tmp_path):
    path = write(tmp_path, '[users.lan]\npassword_hash = "hunter2-secret"\nrole = "viewer"\n')
    with pytest.raises(UsersFileError, match="mục \\[users.lan\\].*mật khẩu dạng rõ"):
        auth.load_users(path)


def test_malformed_file_is_not_rewritten(tmp_path):
    body = '[users.lan]\npassword_hash = "hunter2-secret"\nrole = "viewer"\n'
    path = write(tmp_path, body)
    with pytest.raises(UsersFileError):
        auth.add_user(path, "hung", PASSWORD, "viewer", "X")
    assert path.read_text(encoding="utf-8") == body


def test_empty_unit_means_whole_database(tmp_path):
    path = write(tmp_path, f'[users.lan]\npassword_hash = "{GOOD_HASH}"\nrole = "viewer"\nunit = "  "\n')
    assert auth.load_users(path)["lan"].unit is None


# --- configuration and OIDC -------------------------------------------------------------------


def test_users_path_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv(auth.ENV_USERS, raising=False)
    assert auth.resolve_users_path() == auth.DEFAULT_USERS
    monkeypatch.setenv(auth.ENV_USERS, str(tmp_path / "env.toml"))
    assert auth.resolve_users_path() == tmp_path / "env.toml"
    assert auth.resolve_users_path(tmp_path / "cli.toml") == tmp_path / "cli.toml"


def test_no_file_means_open_mode(tmp_path, users_file):
    assert auth.configured_users(tmp_path / "missing.toml") is None
    assert sorted(auth.configured_users(users_file)) == ["admin", "hung", "lan"]
    assert auth.OPEN_USER.is_admin and auth.OPEN_USER.unit is None


def test_empty_file_still_requires_login(tmp_path):
    assert auth.configured_users(write(tmp_path, "")) == {}


def test_oidc_maps_by_email(users_file):
    users = auth.load_users(users_file)
    assert auth.user_for_oidc(users, {"email": "LAN@example.vn", "email_verified": True}) == users["lan"]
    assert auth.user_for_oidc(users, {"email": "lan@example.vn"}) == users["lan"]


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "stranger@example.vn"},
        {"email": ""},
        {},
        {"email": "lan@example.vn", "email_verified": False},
        {"email": "lan@example.vn", "email_verified": "false"},
        {"name": "admin"},  # a matching name is not an identity: only the e-mail counts
    ],
)
def test_oidc_refuses_unknown_identities(users_file, claims):
    users = auth.load_users(users_file)
    with pytest.raises(PermissionError):
        auth.user_for_oidc(users, claims, lang="en")


def test_oidc_refusal_message(users_file):
    users = auth.load_users(users_file)
    with pytest.raises(PermissionError, match="chưa được cấp quyền"):
        auth.user_for_oidc(users, {"email": "stranger@example.vn"})
    with pytest.raises(PermissionError, match="has no access"):
        auth.user_for_oidc(users, {"email": "stranger@example.vn"}, lang="en")
