"""Users, roles and password checks for the dashboard's logins.

The users file is TOML, one table per user, passwords stored only as argon2id hashes:

    [users."lan"]
    password_hash = "$argon2id$v=19$m=65536,t=3,p=4$..."
    role = "viewer"            # viewer | importer | admin
    unit = "DBCS01"            # a ma_don_vi: the user sees this unit and its subtree; "" = everything
    display_name = "Nguyễn Thị Lan"
    email = "lan@example.vn"   # optional: the OIDC (st.login) identity mapped to this entry

Its path is `--users PATH`, else $DVK_USERS, else `<root>/users.toml` (git-ignored: never commit a
real one). No file means the app runs open (`OPEN_USER`, with a visible notice); a file, even an
empty one, means every visitor must log in. The file is written only by `dvk user` (`add_user`,
`remove_user`), atomically and with mode 0600.

Nothing here imports streamlit; the dashboard calls `verify` (login form) or `user_for_oidc`
(st.login) and then passes the `User` to `queries.access` before every data call.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from queries.store import ROOT, resolve_path

ENV_USERS = "DVK_USERS"
DEFAULT_USERS = ROOT / "users.toml"

ROLE_VIEWER, ROLE_IMPORTER, ROLE_ADMIN = "viewer", "importer", "admin"
ROLES = (ROLE_VIEWER, ROLE_IMPORTER, ROLE_ADMIN)

MIN_PASSWORD_LENGTH = 8
# argon2 accepts any length; the cap only stops a megabyte "password" from being hashed per request.
MAX_PASSWORD_LENGTH = 1024

# Lower case, so that "Lan" and "lan" are one login; '@' and '.' allow e-mail-like names.
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.@-]{0,63}$")
_HASH_PREFIXES = ("$argon2id$", "$argon2i$", "$argon2d$")
_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")
_KNOWN_KEYS = {"password_hash", "role", "unit", "display_name", "email"}

_hasher = PasswordHasher()  # argon2id, the library's RFC 9106 "low memory" profile (64 MiB, t=3)


class UsersFileError(ValueError):
    """The users file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class User:
    """A logged-in person: role and unit scope (`unit=None` = the whole database)."""

    name: str
    role: str
    unit: str | None
    display_name: str
    email: str | None = None
    password_hash: str = field(default="", repr=False, compare=False)

    @property
    def can_import(self) -> bool:
        """Importers and admins may import files."""
        return self.role in (ROLE_IMPORTER, ROLE_ADMIN)

    @property
    def is_admin(self) -> bool:
        """Admins may do everything, users management included."""
        return self.role == ROLE_ADMIN

    @property
    def is_scoped(self) -> bool:
        """True when the user sees only one unit's subtree."""
        return self.unit is not None


# The identity used when no users file is configured: the demo's open mode. Everything is allowed,
# and the dashboard shows a notice saying so. Data-layer functions take a User, never None, so a
# forgotten login cannot silently fall back to open access.
OPEN_USER = User(name="open", role=ROLE_ADMIN, unit=None, display_name="Chế độ mở (open mode)")


def _msg(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def normalize_name(name: str) -> str:
    """The canonical form of a login name: NFC, trimmed, lower case."""
    return unicodedata.normalize("NFC", str(name)).strip().lower()


def normalize_unit(unit: str | None) -> str | None:
    """A unit code as the importer stores it (NFC, trimmed); empty means unscoped (None)."""
    if unit is None:
        return None
    unit = unicodedata.normalize("NFC", str(unit)).strip()
    return unit or None


def resolve_users_path(cli_value: str | os.PathLike | None = None) -> Path:
    """The users file: `--users` first, then $DVK_USERS, then <root>/users.toml."""
    return resolve_path(cli_value, ENV_USERS, DEFAULT_USERS)


# --- passwords --------------------------------------------------------------------------------


def password_problem(password: str, lang: str = "vi") -> str | None:
    """Why this password is refused by the policy, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _msg(
            lang,
            f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.",
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        return _msg(
            lang,
            f"Mật khẩu dài quá {MAX_PASSWORD_LENGTH} ký tự.",
            f"The password is longer than {MAX_PASSWORD_LENGTH} characters.",
        )
    return None


def hash_password(password: str) -> str:
    """An argon2id hash of the password (random salt; never equal for two calls)."""
    problem = password_problem(password, "en")
    if problem:
        raise ValueError(problem)
    return _hasher.hash(password)


# A hash of a random string nobody knows, with the same parameters as real entries: a login for an
# unknown name verifies against it, so it costs as much as one for a known name (no timing leak).
# tests/test_auth.py checks that its parameters follow the hasher's.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$H6OTd/PwvKJ0/6WXN3JeXA$WMyMO8DIGc5gTGTbo1LMjZR6tndDed3NqMmvK8kvuTE"
)


def _check(password_hash: str, password: str) -> bool:
    if password_hash.startswith(_BCRYPT_PREFIXES):
        import bcrypt  # optional: only for files carried over from another tool

        try:
            return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))
        except ValueError:  # a malformed hash, or a password bcrypt refuses (over 72 bytes)
            return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify(users: Mapping[str, User], name: str, password: str) -> User | None:
    """The user when name and password match, else None; as slow for unknown names as for known."""
    user = users.get(normalize_name(name or ""))
    password = password or ""
    if user is None or not user.password_hash or len(password) > MAX_PASSWORD_LENGTH:
        _check(_DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
        return None
    return user if _check(user.password_hash, password) else None


def user_for_oidc(users: Mapping[str, User], claims: Mapping, lang: str = "vi") -> User:
    """The users-file entry for an OIDC identity (st.user), matched by e-mail; PermissionError if none."""
    email = str(claims.get("email") or "").strip().lower()
    if not email:
        raise PermissionError(
            _msg(
                lang,
                "Nhà cung cấp đăng nhập không trả về địa chỉ email; không thể xác định người dùng.",
                "The identity provider returned no e-mail address; the user cannot be identified.",
            )
        )
    if str(claims.get("email_verified", "")).strip().lower() == "false":  # bool or "false"
        raise PermissionError(
            _msg(
                lang,
                f"Email {email} chưa được nhà cung cấp đăng nhập xác minh.",
                f"The e-mail {email} is not verified by the identity provider.",
            )
        )
    for user in users.values():
        if user.email and user.email.lower() == email:
            return user
    raise PermissionError(
        _msg(
            lang,
            f"Tài khoản {email} chưa được cấp quyền truy cập. Đề nghị quản trị viên thêm bằng "
            f"lệnh: dvk user add ... --email {email}",
            f"The account {email} has no access. Ask an administrator to add it with: "
            f"dvk user add ... --email {email}",
        )
    )


# --- the file ---------------------------------------------------------------------------------


def _read_toml(path: Path, lang: str) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsersFileError(
            _msg(lang, f"{path}: tệp không phải UTF-8 ({exc}).", f"{path}: not UTF-8 ({exc}).")
        ) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsersFileError(
            _msg(lang, f"{path}: lỗi cú pháp TOML: {exc}", f"{path}: invalid TOML: {exc}")
        ) from exc


def _entries(data: dict, path: Path, lang: str) -> dict:
    users = data.get("users", {})
    if not isinstance(users, dict):
        raise UsersFileError(
            _msg(
                lang,
                f"{path}: 'users' phải là một bảng [users.<tên>].",
                f"{path}: 'users' must be a table of [users.<name>] entries.",
            )
        )
    return users


def _user_from_entry(raw_name: str, entry: object, path: Path, lang: str) -> User:
    where_vi, where_en = f"{path}, mục [users.{raw_name}]", f"{path}, entry [users.{raw_name}]"

    def fail(vi: str, en: str) -> UsersFileError:
        return UsersFileError(_msg(lang, f"{where_vi}: {vi}", f"{where_en}: {en}"))

    if not isinstance(entry, dict):
        raise fail("phải là một bảng.", "must be a table.")
    name = normalize_name(raw_name)
    if not NAME_PATTERN.match(name):
        raise fail(
            "tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ - @ (tối đa 64 ký tự).",
            "a login name is lower-case ASCII letters, digits and . _ - @ (at most 64 characters).",
        )
    for key in ("password", "passwd", "plaintext_password"):
        if key in entry:
            raise fail(
                f"có khóa '{key}': không được lưu mật khẩu dạng rõ; dùng 'dvk user add' để tạo mã băm.",
                f"has a '{key}' key: plaintext passwords are not allowed; use 'dvk user add' to store a hash.",
            )
    unknown = sorted(set(entry) - _KNOWN_KEYS)
    if unknown:
        raise fail(f"khóa không hợp lệ: {', '.join(unknown)}.", f"unknown keys: {', '.join(unknown)}.")
    for key in _KNOWN_KEYS:
        if key in entry and not isinstance(entry[key], str):
            raise fail(f"'{key}' phải là chuỗi.", f"'{key}' must be a string.")

    password_hash = entry.get("password_hash", "").strip()
    if not password_hash:
        raise fail("thiếu password_hash.", "password_hash is missing.")
    if password_hash.startswith(_BCRYPT_PREFIXES):
        try:
            import bcrypt  # noqa: F401
        except ImportError:
            raise fail(
                "mã băm bcrypt cần gói 'bcrypt' chưa được cài; tạo lại bằng 'dvk user add'.",
                "a bcrypt hash needs the 'bcrypt' package, which is not installed; re-create it with 'dvk user add'.",
            ) from None
    elif password_hash.startswith(_HASH_PREFIXES):
        try:
            from argon2 import extract_parameters

            extract_parameters(password_hash)
        except (InvalidHashError, ValueError):
            raise fail(
                "password_hash không phải mã băm argon2 hợp lệ.", "password_hash is not a valid argon2 hash."
            ) from None
    else:
        raise fail(
            "password_hash trông như mật khẩu dạng rõ (không phải mã băm argon2/bcrypt); dùng 'dvk user add'.",
            "password_hash looks like a plaintext password (not an argon2/bcrypt hash); use 'dvk user add'.",
        )

    role = entry.get("role", "").strip().lower()
    if role not in ROLES:
        raise fail(
            f"vai trò '{entry.get('role', '')}' không hợp lệ; chọn một trong: {', '.join(ROLES)}.",
            f"role '{entry.get('role', '')}' is invalid; use one of: {', '.join(ROLES)}.",
        )
    email = (entry.get("email") or "").strip().lower() or None
    if email is not None and "@" not in email:
        raise fail(f"email '{email}' không hợp lệ.", f"email '{email}' is invalid.")
    return User(
        name=name,
        role=role,
        unit=normalize_unit(entry.get("unit")),
        display_name=(entry.get("display_name") or "").strip() or name,
        email=email,
        password_hash=password_hash,
    )


def load_users(path: str | os.PathLike, lang: str = "vi") -> dict[str, User]:
    """Every user of the file by login name; UsersFileError naming the file and entry if malformed."""
    path = Path(path)
    data = _read_toml(path, lang)
    users: dict[str, User] = {}
    emails: dict[str, str] = {}
    for raw_name, entry in _entries(data, path, lang).items():
        user = _user_from_entry(raw_name, entry, path, lang)
        if user.name in users:
            raise UsersFileError(
                _msg(
                    lang,
                    f"{path}: tên đăng nhập '{user.name}' xuất hiện hai lần.",
                    f"{path}: the login name '{user.name}' appears twice.",
                )
            )
        if user.email and user.email in emails:
            raise UsersFileError(
                _msg(
                    lang,
                    f"{path}: email {user.email} dùng cho cả '{emails[user.email]}' và '{user.name}'.",
                    f"{path}: the e-mail {user.email} is used by both '{emails[user.email]}' and '{user.name}'.",
                )
            )
        users[user.name] = user
        if user.email:
            emails[user.email] = user.name
    return users


def configured_users(path: str | os.PathLike | None = None, lang: str = "vi") -> dict[str, User] | None:
    """The users when a users file exists (logins required), None when the app runs open."""
    path = resolve_users_path(path)
    if not path.exists():
        return None
    return load_users(path, lang)


def list_users(path: str | os.PathLike, lang: str = "vi") -> list[User]:
    """The users of the file sorted by name; empty when the file does not exist."""
    path = Path(path)
    if not path.exists():
        return []
    return sorted(load_users(path, lang).values(), key=lambda u: u.name)


def _toml_string(value: str) -> str:
    out = ['"']
    for ch in value:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_FILE_HEADER = (
    "# Người dùng của bảng điều khiển DVK (DVK dashboard users).\n"
    "# Quản lý bằng lệnh `dvk user add|remove|list`; mật khẩu chỉ lưu dạng mã băm argon2id.\n"
    "# Managed by `dvk user`; passwords are stored only as argon2id hashes. Never commit this file.\n"
)


def _dump(users: dict[str, dict]) -> str:
    parts = [_FILE_HEADER]
    for name in sorted(users):
        parts.append(f"\n[users.{_toml_string(name)}]\n")
        for key in ("display_name", "role", "unit", "email", "password_hash"):
            if key in users[name]:
                parts.append(f"{key} = {_toml_string(users[name][key])}\n")
    return "".join(parts)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".tmp-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fchmod(fh.fileno(), 0o600)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _raw_users(path: Path, lang: str) -> dict[str, dict]:
    if not path.exists():
        return {}
    load_users(path, lang)  # refuse to rewrite a malformed file: the admin must see and fix it
    return {normalize_name(k): dict(v) for k, v in _entries(_read_toml(path, lang), path, lang).items()}


def add_user(
    path: str | os.PathLike,
    name: str,
    password: str,
    role: str,
    unit: str | None = None,
    display_name: str | None = None,
    *,
    email: str | None = None,
    replace: bool = False,
    lang: str = "vi",
) -> User:
    """Add (or with replace=True, overwrite) a user; the file is rewritten atomically with mode 0600."""
    path = Path(path)
    name = normalize_name(name)
    if not NAME_PATTERN.match(name):
        raise ValueError(
            _msg(
                lang,
                f"Tên đăng nhập '{name}' không hợp lệ: chỉ gồm chữ không dấu, số và . _ - @ (tối đa 64 ký tự).",
                f"Invalid login name '{name}': use ASCII letters, digits and . _ - @ (at most 64 characters).",
            )
        )
    if role not in ROLES:
        raise ValueError(
            _msg(lang, f"Vai trò '{role}' không hợp lệ.", f"Invalid role '{role}'.")
            + f" ({', '.join(ROLES)})"
        )
    problem = password_problem(password, lang)
    if problem:
        raise ValueError(problem)
    email = (email or "").strip().lower() or None
    if email is not None and "@" not in email:
        raise ValueError(_msg(lang, f"Email '{email}' không hợp lệ.", f"Invalid e-mail '{email}'."))
    users = _raw_users(path, lang)
    if name in users and not replace:
        raise ValueError(
            _msg(
                lang,
                f"Người dùng '{name}' đã có trong {path}.",
                f"The user '{name}' already exists in {path}.",
            )
        )
    if email is not None:
        for other, entry in users.items():
            if other != name and (entry.get("email") or "").strip().lower() == email:
                raise ValueError(
                    _msg(
                        lang,
                        f"Email {email} đã dùng cho người dùng '{other}'.",
                        f"The e-mail {email} is already used by '{other}'.",
                    )
                )
    entry = {
        "display_name": (display_name or "").strip() or name,
        "role": role,
        "unit": normalize_unit(unit) or "",
        "password_hash": hash_password(password),
    }
    if email:
        entry["email"] = email
    users[name] = entry
    _write_atomically(path, _dump(users))
    return load_users(path, lang)[name]


def remove_user(path: str | os.PathLike, name: str, lang: str = "vi") -> bool:
    """Remove a user from the file; False when there was no such user."""
    path = Path(path)
    users = _raw_users(path, lang)
    name = normalize_name(name)
    if name not in users:
        return False
    del users[name]
    _write_atomically(path, _dump(users))
    return True
